//! A return read without the YAML reader when it has the plain shape `generate`, the intake
//! and most editors write: `case:` and `agency:` on a line each, then `answers:` and
//! `comments:` blocks of one `id: value` line per question, each value a word, a flow list of
//! words (`[caf, school]`) or a flow map of words (`{a: no, b: yes}`), comments one line of
//! plain text. Thousands of returns are read per build, and the YAML reader was most of the
//! time spent reading them.
//!
//! Anything else (quotes, block lists, several lines, anchors, tags, a comment after a value,
//! a word YAML reads as a boolean or a number, a key twice, any doubt) is left to the YAML
//! reader: [`read`] gives `None`, never a different value or a different error. A test pins
//! it to the YAML reader on generated returns.

use super::model::RawReturn;
use serde_yaml::{Mapping, Value};
use std::collections::BTreeMap;

/// The return in `text`, if it has the plain shape; what the YAML reader would give for it.
pub fn read(text: &str) -> Option<RawReturn> {
    let mut case = None;
    let mut agency = None;
    let mut answers: Option<BTreeMap<String, Value>> = None;
    let mut comments: Option<BTreeMap<String, String>> = None;
    // The block being filled (`answers` or `comments`) and its entries' indentation.
    let mut block: Option<(&str, usize)> = None;
    // (the YAML reader refuses control characters anywhere, comments included)
    if !text.chars().all(|c| c == '\n' || printable(c)) {
        return None;
    }
    for line in text.split('\n') {
        if line.bytes().all(|b| b == b' ') || line.starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let (key, value) = line[indent..].split_once(':')?;
        if !is_key(key) {
            return None;
        }
        let value = value.strip_prefix(' ').map_or(value, |v| v);
        if indent == 0 {
            block = None;
            match (key, value.trim_end_matches(' ')) {
                ("case", v) if case.is_none() => case = Some(text_scalar(v)?),
                ("agency", v) if agency.is_none() => agency = Some(text_scalar(v)?),
                ("answers", "") if answers.is_none() => {
                    answers = Some(BTreeMap::new());
                    block = Some(("answers", 0));
                }
                ("comments", "") if comments.is_none() => {
                    comments = Some(BTreeMap::new());
                    block = Some(("comments", 0));
                }
                _ => return None,
            }
            // (`case:value` without the space is a different thing in YAML)
            if !value.is_empty() && !line[indent + key.len() + 1..].starts_with(' ') {
                return None;
            }
            continue;
        }
        let (name, at) = block.as_mut()?;
        if *at == 0 {
            *at = indent;
        } else if *at != indent {
            return None;
        }
        if !line[indent + key.len() + 1..].starts_with(' ') {
            return None;
        }
        let value = value.trim_end_matches(' ');
        let fresh = match *name {
            "answers" => answers
                .as_mut()?
                .insert(key.to_string(), answer(value)?)
                .is_none(),
            _ => comments
                .as_mut()?
                .insert(key.to_string(), text_scalar(value)?)
                .is_none(),
        };
        if !fresh {
            return None;
        }
    }
    // An empty block is YAML's null, which the reader treats its own way.
    if answers.as_ref().is_some_and(BTreeMap::is_empty)
        || comments.as_ref().is_some_and(BTreeMap::is_empty)
    {
        return None;
    }
    Some(RawReturn {
        case: case?,
        agency: agency?,
        answers: answers.unwrap_or_default(),
        comments: comments.unwrap_or_default(),
    })
}

/// The longest key taken here: the YAML reader refuses a key of more than 1,024 characters.
const LONGEST_KEY: usize = 1000;

/// A key: a [word](is_word) of at most [`LONGEST_KEY`] characters.
fn is_key(text: &str) -> bool {
    text.len() <= LONGEST_KEY && is_word(text)
}

/// A key or an option id: a letter, then letters, digits, `_` or `-`, and not a word YAML
/// reads as something other than text.
fn is_word(text: &str) -> bool {
    let mut bytes = text.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(in_word) && is_text(text)
}

/// A byte of a word after its first: a letter, a digit, `_` or `-`.
fn in_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// A character YAML takes as it is: printable, not a tab, not one it treats as a line break
/// (U+0085, U+2028, U+2029) or refuses.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{2027}' | '\u{202A}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
}

/// One line of text that YAML reads as the same text: plain (it starts with a letter, holds
/// no `: ` or ` #`, a key or a comment, and does not end with `:`), or in quotes with no quote
/// or backslash inside (the text's characters are [`printable`]).
fn text_scalar(text: &str) -> Option<String> {
    let quoted = |quote: char| text.strip_prefix(quote)?.strip_suffix(quote);
    let ok = if let Some(inner) = quoted('"') {
        return (!inner.contains(['"', '\\'])).then(|| inner.to_string());
    } else if let Some(inner) = quoted('\'') {
        return (!inner.contains('\'')).then(|| inner.to_string());
    } else {
        text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && !text.contains(": ")
            && !text.contains(" #")
            && !text.ends_with(':')
            && is_text(text)
    };
    ok.then(|| text.to_string())
}

/// Not a word YAML reads as a boolean or null (a text starting with a letter is never a
/// number to it).
fn is_text(text: &str) -> bool {
    !matches!(
        text,
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" | "null" | "Null" | "NULL"
    )
}

/// An option id as YAML reads it: a [word](is_word), or letters, digits, `_` and `-` in
/// single or double quotes (`'yes'`: quoted, even `'true'` is text).
fn option(text: &str) -> Option<Value> {
    let quoted = [('\'', '\''), ('"', '"')]
        .iter()
        .find_map(|&(open, close)| text.strip_prefix(open)?.strip_suffix(close));
    match quoted {
        Some(inner) => (!inner.is_empty() && inner.bytes().all(in_word))
            .then(|| Value::String(inner.to_string())),
        None => is_word(text).then(|| Value::String(text.to_string())),
    }
}

/// An answer: an [option](option), `[option, …]` or `{word: option, …}`.
fn answer(text: &str) -> Option<Value> {
    if let Some(inner) = text.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        let items = flow_items(inner)?;
        return items
            .iter()
            .map(|item| option(item))
            .collect::<Option<Vec<_>>>()
            .map(Value::Sequence);
    }
    if let Some(inner) = text.strip_prefix('{') {
        let inner = inner.strip_suffix('}')?;
        let mut map = Mapping::new();
        for item in flow_items(inner)? {
            let (key, value) = item.split_once(": ")?;
            if !is_key(key) {
                return None;
            }
            if map
                .insert(Value::String(key.to_string()), option(value)?)
                .is_some()
            {
                return None;
            }
        }
        return Some(Value::Mapping(map));
    }
    option(text)
}

/// The items of a flow list or map between its brackets, each trimmed of spaces: none for
/// `[]`, and no empty item (`[a,,b]`, a trailing comma) accepted.
fn flow_items(inner: &str) -> Option<Vec<&str>> {
    if inner.bytes().all(|b| b == b' ') {
        return None;
    }
    inner
        .split(',')
        .map(|item| {
            let item = item.trim_matches(' ');
            (!item.is_empty()).then_some(item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the YAML reader makes of `text`, as a return.
    fn yaml(text: &str) -> Result<RawReturn, serde_yaml::Error> {
        serde_yaml::from_str(text)
    }

    /// The oracle: whatever the plain reader accepts, the YAML reader reads the same.
    fn agrees(text: &str) -> Result<bool, TestCaseError> {
        match read(text) {
            None => Ok(false),
            Some(plain) => {
                let yaml = yaml(text);
                prop_assert!(
                    yaml.is_ok(),
                    "YAML refuses what the plain reader read: {text:?}: {yaml:?}"
                );
                prop_assert_eq!(&plain, &yaml.unwrap(), "{:?}", text);
                Ok(true)
            }
        }
    }

    const WORDS: &[&str] = &[
        "yes",
        "no",
        "dont_know",
        "other",
        "caf",
        "a-b",
        "Y",
        "n",
        "on",
        "off",
        "true",
        "True",
        "FALSE",
        "null",
        "Null",
        "NULL",
        "~",
        "1",
        "01",
        "0x1f",
        "1e5",
        "e5",
        "inf",
        "nan",
        ".inf",
        ".nan",
        "-1",
        "+1",
        "a1",
        "q1",
        "x:y",
        "x:",
        "C#",
        "a b",
        "'q'",
        "\"q\"",
        "&x",
        "*x",
        "!t",
        "!!str x",
        "- a",
        "|",
        ">",
        "%x",
        "@x",
        "`x",
        "?",
        "?x",
        "",
        " ",
        "a\t",
        "a\r",
        "\u{A0}a",
        "a\u{2028}b",
        "a\u{85}b",
        "a\u{FEFF}",
        "é",
        "Zoë",
        "a #b",
        "a#b",
        "a: b",
        "a, b",
        "[a]",
        "{a: b}",
        "a]",
        "yes ",
        "no  ",
    ];

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(WORDS).prop_map(str::to_string)
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => word(),
            2 => prop::collection::vec(word(), 0..4).prop_map(|w| format!("[{}]", w.join(", "))),
            2 => prop::collection::vec((word(), word()), 0..4).prop_map(|kv| format!(
                "{{{}}}",
                kv.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", ")
            )),
            2 => prop::collection::vec(word(), 1..6).prop_map(|w| w.join(" ")),
            1 => prop::collection::vec(word(), 0..4).prop_map(|w| format!("[{}]", w.join(","))),
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let top =
            prop::sample::select(&["case", "agency", "answers", "comments", "other", "Case"][..]);
        let key =
            prop::sample::select(&["q1", "q2", "q3", "a", "1", "true", "q 1", "q1 ", "é"][..]);
        let indent = prop::sample::select(&["", " ", "  ", "  ", "    ", "\t"][..]);
        let gap = prop::sample::select(&[": ", ": ", ":", ":  ", " : "][..]);
        prop_oneof![
            3 => (top.clone(), gap.clone(), value()).prop_map(|(k, g, v)| format!("{k}{g}{v}")),
            2 => top.prop_map(|k| format!("{k}:")),
            6 => (indent, key, gap, value()).prop_map(|(i, k, g, v)| format!("{i}{k}{g}{v}")),
            1 => prop::sample::select(&["", "  ", "# a note", "  # a note", "# a\u{0}note", "# \u{85}", "#\u{FEFF}", "---", "...", "- a"][..])
                .prop_map(str::to_string),
        ]
    }

    /// A return as `generate` writes it, with one line of the grammar above put in.
    fn near_plain() -> impl Strategy<Value = String> {
        let base = "case: C00001\nagency: Health\nanswers:\n  q1: {a: no, b: yes}\n  q2: yes\n  q10: [caf]\n  q12: [health, school]\ncomments:\n  q13: Recording was clear, and the plan was shared.\n";
        (0..10usize, line(), any::<bool>()).prop_map(move |(at, line, replace)| {
            let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
            let at = at.min(lines.len() - 1);
            if replace {
                lines[at] = line;
            } else {
                lines.insert(at, line);
            }
            lines.join("\n") + "\n"
        })
    }

    /// The plain shape with each of its values, at random, swapped for a word of [`WORDS`].
    fn swapped() -> impl Strategy<Value = String> {
        let slot = |usual: &'static str| prop_oneof![6 => Just(usual.to_string()), 1 => word(), 1 => value()];
        (
            (slot("C00001"), slot("Health"), slot("'no'"), slot("yes")),
            (slot("yes"), slot("caf"), slot("health"), slot("school")),
            prop_oneof![1 => slot("Recording was clear."), 1 => slot("\"Recording: clear # yes\"")],
        )
            .prop_map(|((c, a, w1, w2), (w3, w4, w5, w6), t)| {
                format!(
                    "case: {c}\nagency: {a}\nanswers:\n  q1: {{a: {w1}, b: {w2}}}\n  q2: {w3}\n  q10: [{w4}]\n  q12: [{w5}, {w6}]\ncomments:\n  q13: {t}\n"
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn what_the_plain_reader_reads_the_yaml_reader_reads_the_same(
            lines in prop::collection::vec(line(), 1..12),
        ) {
            agrees(&lines.join("\n"))?;
        }

        #[test]
        fn a_return_near_the_plain_shape_is_read_the_same_or_left_to_yaml(text in near_plain()) {
            agrees(&text)?;
        }

        #[test]
        fn a_return_with_other_values_is_read_the_same_or_left_to_yaml(text in swapped()) {
            agrees(&text)?;
        }
    }

    /// The generated returns above reach both outcomes often: the oracle is exercised.
    #[test]
    fn the_generated_returns_are_often_read_and_often_left_to_yaml() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut read_plain, mut left) = (0, 0);
        for _ in 0..2000 {
            let text = swapped().new_tree(&mut runner).unwrap().current();
            match read(&text) {
                Some(_) => read_plain += 1,
                None => left += 1,
            }
        }
        assert!(
            read_plain > 100 && left > 100,
            "{read_plain} read, {left} left"
        );
    }

    /// Every YAML return of the sample audit, the example re-audit and the test fixtures:
    /// where the plain reader reads one, the YAML reader reads the same.
    #[test]
    fn the_returns_in_the_repository_are_read_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut read_plain, mut left) = (0, 0);
        for folder in ["data", "examples", "tests/fixtures"] {
            for entry in walkdir::WalkDir::new(root.join(folder))
                .into_iter()
                .flatten()
            {
                let path = entry.path();
                let in_returns = path.components().any(|c| c.as_os_str() == "returns");
                if !in_returns || path.extension().is_none_or(|e| e != "yaml") {
                    continue;
                }
                let text = std::fs::read_to_string(path).unwrap();
                match read(&text) {
                    Some(plain) => {
                        assert_eq!(Some(plain), yaml(&text).ok(), "{}", path.display());
                        read_plain += 1;
                    }
                    None => left += 1,
                }
            }
        }
        eprintln!("{read_plain} read plainly, {left} left to YAML");
        assert!(read_plain > 0);
    }

    #[test]
    fn the_shape_generate_writes_is_read_without_yaml_and_the_same() {
        let text = "case: C00001\nagency: Voluntary Sector\nanswers:\n  q1: {a: no, b: yes}\n  q2: yes\n  q10: [caf]\n  q12: [health, school]\ncomments:\n  q13: Recording was clear, and the plan's review (at 3 months) was shared.\n";
        let plain = read(text).expect("the plain shape");
        assert_eq!(plain, yaml(text).unwrap());
        assert_eq!(
            plain.answers["q12"],
            Value::Sequence(vec!["health".into(), "school".into()])
        );
        // What YAML reads otherwise, or refuses, is left to it.
        for other in [
            "case: C1\nagency: Police\nanswers:\n  q1: true\n",
            "case: C1\nagency: Police\nanswers:\n  q1: yes # was no\n",
            "case: C1\nagency: Police\ncomments:\n  q1: Note: seen\n",
            "case: C1\nagency: Police\nanswers:\n  q1: yes\n  q1: no\n",
            "case: 007\nagency: Police\n",
            "case: C1\r\nagency: Police\r\n",
            "case: C1\nagency: Police\nanswers:\n",
        ] {
            assert_eq!(read(other), None, "{other:?}");
        }
        // The YAML reader refuses a key over 1,024 characters; one within the limit reads the same.
        let keyed = |key: &str| {
            format!("case: C1\nagency: Police\nanswers:\n  {key}: yes\n  q1: {{{key}: no}}\n")
        };
        let long = keyed(&"q".repeat(1025));
        assert!(yaml(&long).is_err());
        assert_eq!(read(&long), None);
        let within = keyed(&"q".repeat(LONGEST_KEY));
        assert_eq!(read(&within), Some(yaml(&within).unwrap()));
    }
}
