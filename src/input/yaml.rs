//! The YAML reader's side of input. (Over 500 lines: about 340 of code, the rest the tests
//! of each plain-words explanation.) A file's text parsed into its type, within the limits
//! (items, bracket depth), and the reader's complaints said in plain words at their place
//! (a quote never closed, an indentation slip, a value of the wrong kind).

use super::Source;
use crate::diag::{Diagnostic, Location};
use serde::de::DeserializeOwned;

/// How deep `[…]` and `{…}` may nest in a YAML file: an audit's files nest a few levels,
/// and the YAML reader's time grows with the square of the depth (a 400 KB file of brackets
/// took minutes).
pub const MAX_FLOW_DEPTH: usize = 64;

/// Where `text` first nests brackets (`[`, `{`) deeper than [`MAX_FLOW_DEPTH`]: 1-based line
/// and column. Brackets inside quotes count too; no audit text holds that many.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The most items (lines, and commas between flow items) one YAML file may hold. Memory
/// grows with items, not bytes: a 2 MB flow list of a million took 1.3 GB to read as a
/// narrative list. A 10,000-case audit's largest file (its narrative) has 150,000; at this
/// limit reading a file stays under about 400 MB (docs/limits.md).
pub const MAX_YAML_ITEMS: usize = 300_000;

/// An error if `source` holds more than [`MAX_YAML_ITEMS`] lines and flow items.
pub(super) fn too_many_items(source: &Source) -> Option<Diagnostic> {
    let items = source
        .text
        .bytes()
        .filter(|b| matches!(b, b',' | b'\n'))
        .count();
    (items > MAX_YAML_ITEMS).then(|| {
        Diagnostic::error(
            Location::file(&source.path),
            format!(
                "file holds {items} lines and list items; an audit file is limited to {MAX_YAML_ITEMS} (a 10,000-case audit's largest holds about half that)"
            ),
        )
        .with_note("split a long narrative over several files in narrative/; a list of a million items is no report's")
    })
}

/// Parses one YAML text, turning a serde error into a diagnostic at its line and column.
pub fn parse_str<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if let Some(problem) = too_many_items(source) {
        return Err(problem);
    }
    parse_counted(source)
}

/// [`parse_str`] of a text whose items were counted already (every audit file is counted
/// before its plain reader: the count is not taken twice).
pub(super) fn parse_counted<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if let Some(problem) = unreadable(source) {
        return Err(problem);
    }
    serde_yaml::from_str(&source.text).map_err(|error| yaml_problem(source, &error))
}

/// [`parse_counted`], telling every item of the file's list the reader stops in, not only
/// the first ([`super::yaml_rest`]).
pub(super) fn parse_counted_all<T: DeserializeOwned>(
    source: &Source,
) -> Result<T, Vec<Diagnostic>> {
    if let Some(problem) = unreadable(source) {
        return Err(vec![problem]);
    }
    serde_yaml::from_str(&source.text).map_err(|error| {
        let problem = |error: &serde_yaml::Error| yaml_problem(source, error);
        let mut problems = vec![problem(&error)];
        problems.extend(super::yaml_rest::later_problems::<T>(
            source, &error, problem,
        ));
        problems
    })
}

/// Why `source` is not given to the YAML reader at all: empty, or nested too deep.
fn unreadable(source: &Source) -> Option<Diagnostic> {
    if source.text.trim().is_empty() {
        return Some(Diagnostic::error(
            Location::file(&source.path),
            "file is empty",
        ));
    }
    let (line, column) = too_deep(&source.text)?;
    Some(Diagnostic::error(
        Location::at(&source.path, line, column),
        format!(
            "brackets (`[`, `{{`) nest more than {MAX_FLOW_DEPTH} deep here; an audit file needs a few levels"
        ),
    ))
}

/// What the YAML reader's `error` means, in plain words where we know them, at its place.
fn yaml_problem(source: &Source, error: &serde_yaml::Error) -> Diagnostic {
    let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
    let raw = error.to_string();
    // serde_yaml puts " at line L column C" into its message; the location already says it.
    let message = strip_position(&raw);
    if let Some((at, explained)) = plain_yaml(&raw) {
        let (l, c) = at.unwrap_or((line, column));
        return Diagnostic::error(Location::at(&source.path, l, c), explained)
            .with_note(format!("the YAML reader said: {message}"));
    }
    if let Some(problem) = control_character(source, &raw) {
        return problem;
    }
    if raw.contains("more than one document") {
        return second_document(source).with_note(format!("the YAML reader said: {message}"));
    }
    // Most YAML errors a person makes are indentation: said in plain words, at the line.
    if let Some((at, explained)) = unclosed_bracket(&source.text) {
        return Diagnostic::error(Location::at(&source.path, at.0, at.1), explained)
            .with_note(format!("the YAML reader said: {message}"));
    }
    if let Some((at, explained)) = indentation_slip(&source.text) {
        return Diagnostic::error(Location::at(&source.path, at.0, at.1), explained)
            .with_note("YAML reads the structure from the indentation: line it up with the lines it belongs with, using spaces")
            .with_note(format!("the YAML reader said: {message}"));
    }
    // A value of the wrong kind: said as the reader says it, at the value (through an
    // alias, where its anchor defines it).
    let of_a_value = [
        "invalid type",
        "unknown field",
        "missing field",
        "invalid value",
        "unknown variant",
        "invalid length",
        "duplicate field",
        "is given twice",
    ]
    .iter()
    .any(|kind| message.contains(kind));
    if of_a_value {
        return value_problem(source, &message, (line, column));
    }
    Diagnostic::error(
        Location::at(&source.path, line, column),
        format!("failed to read YAML: {message}"),
    )
}

/// A byte the reader refuses (a NUL), which it gives as a byte offset: at its line and
/// column.
fn control_character(source: &Source, raw: &str) -> Option<Diagnostic> {
    let offset = raw
        .split_once("at position ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&n| n <= source.text.len() && source.text.is_char_boundary(n))?;
    let before = &source.text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let found = source.text[offset..].chars().next().unwrap_or(' ');
    Some(
        Diagnostic::error(
            Location::at(&source.path, line, column),
            format!(
                "expected text, found the control character U+{:04X}, which YAML does not allow",
                found as u32
            ),
        )
        .with_note("remove it (an editor that shows invisible characters will find it)"),
    )
}

/// A second document in one file (a `---` after the first's content), at its marker: the
/// reader gives no place.
fn second_document(source: &Source) -> Diagnostic {
    let mut content = false;
    let mut at = 0;
    for (n, line) in source.text.lines().enumerate() {
        let t = line.trim_end();
        let marker = t == "---" || t.starts_with("--- ");
        if marker && content {
            at = n + 1;
            break;
        }
        content |= !marker && !t.trim().is_empty() && !t.trim_start().starts_with(['#', '%']);
    }
    let location = match at {
        0 => Location::file(&source.path),
        line => Location::at(&source.path, line, 1),
    };
    Diagnostic::error(
        location,
        "a second YAML document starts here (`---`); an audit file holds one: remove the line, or put what follows in a file of its own",
    )
}

/// A value of the wrong kind (`message`, the reader's words), at the value: where the reader
/// stopped (`at`), or, when it gives no place, found by the path the message starts with.
fn value_problem(source: &Source, message: &str, at: (usize, usize)) -> Diagnostic {
    let location = if at == (0, 0) {
        let path = message.split_once(": ").map_or("", |(path, _)| path);
        let keys: Vec<&str> = path
            .split(['.', '[', ']'])
            .filter(|k| !k.is_empty())
            .collect();
        source.locate(&keys)
    } else {
        // serde places a field given twice at its mapping's first key; the one to remove is
        // the second
        // (serde's words for a struct's field; `model::unique`'s for a map's key)
        let key = (message.split_once("duplicate field `"))
            .and_then(|(_, rest)| rest.split_once('`'))
            .map(|(key, _)| key)
            .or_else(|| {
                let (before, _) = message.split_once("` is given twice")?;
                before.rsplit_once('`').map(|(_, key)| key)
            });
        let at = key
            .and_then(|key| second_key(&source.text, at, key))
            .unwrap_or(at);
        Location::at(&source.path, at.0, at.1)
    };
    let mut problem = Diagnostic::error(location, format!("failed to read YAML: {message}"));
    if message.contains("unknown field `<<`") {
        problem = problem
            .with_note("YAML merge keys (`<<: *name`) are not read: write the keys out in full");
    }
    if source.text.contains('*') && source.text.contains('&') {
        problem = problem.with_note("a value reached through an alias (`*name`) is shown where its anchor (`&name`) defines it");
    }
    problem
}

/// Where `key:` is given the second time in the block mapping whose first key is at `at`
/// (1-based line and column). `None` when the mapping is a flow one (`{…}`) or the key is
/// not found twice at the mapping's own indentation.
fn second_key(text: &str, at: (usize, usize), key: &str) -> Option<(usize, usize)> {
    let (line, column) = at;
    let indent = column.checked_sub(1)?;
    let spellings = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
    let mut seen = 0;
    for (n, raw) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        // the first line may open with `- ` (a mapping in a list); the others are indented
        let start = if n + 1 == line {
            indent
        } else {
            let body = raw.trim_start_matches(' ');
            // (a blank or comment line, a tab in it too, says nothing of the mapping)
            if body.trim().is_empty() || body.trim_start().starts_with('#') {
                continue;
            }
            let start = raw.len() - body.len();
            match start.cmp(&indent) {
                std::cmp::Ordering::Less => return None,
                std::cmp::Ordering::Greater => continue,
                std::cmp::Ordering::Equal => start,
            }
        };
        let body = raw.get(start..)?;
        let named = spellings.iter().any(|k| {
            body.strip_prefix(k.as_str())
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
        if named {
            seen += 1;
            if seen == 2 {
                return Some((n + 1, start + 1));
            }
        }
    }
    None
}

/// The YAML reader's words for the mistakes people make, in plain words, and where the
/// mistake starts when that is not where the reader stopped.
fn plain_yaml(raw: &str) -> Option<(Option<(usize, usize)>, String)> {
    let place_after = |phrase: &str| -> Option<(usize, usize)> {
        let rest = &raw[raw.find(phrase)? + phrase.len()..];
        let rest = rest.trim_start().strip_prefix("at line ")?;
        let (line, rest) = rest.split_once(" column ")?;
        let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some((line.parse().ok()?, column.parse().ok()?))
    };
    if raw.contains("while scanning a quoted scalar") {
        return Some((
            place_after("while scanning a quoted scalar"),
            "a quote opens this value and is never closed: end the value with the same quote mark"
                .into(),
        ));
    }
    if raw.contains("could not find expected ':'") {
        return Some((
            place_after("while scanning a simple key"),
            "this line has no `:` after its key: write `key: value` (or put text that runs on over lines in quotes)".into(),
        ));
    }
    if raw.contains("found character that cannot start any token") {
        return Some((
            None,
            "a value cannot start with this character (`@`, a backquote, `%` or a tab): put the value in quotes".into(),
        ));
    }
    if raw.contains("unknown anchor") {
        return Some((
            None,
            "this alias (`*name`) names no anchor (`&name`) above it in the file".into(),
        ));
    }
    if raw.contains("found unexpected end of stream") {
        return Some((None, "the file ends in the middle of a value".into()));
    }
    None
}

/// The first `[` or `{` never closed (outside quotes and comments), in words, at its place.
fn unclosed_bracket(text: &str) -> Option<((usize, usize), String)> {
    let mut open: Vec<(char, usize, usize)> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut quote: Option<char> = None;
        for (c, ch) in line.chars().enumerate() {
            match (quote, ch) {
                (Some(q), _) if ch == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => {
                    // A quote starts a quoted value only where a value starts.
                    let before = line.chars().take(c).collect::<String>();
                    let before = before.trim_end();
                    if before.is_empty() || before.ends_with([':', '-', '[', '{', ',']) {
                        quote = Some(ch);
                    }
                }
                (None, '#') if c == 0 || line[..line.char_indices().nth(c)?.0].ends_with(' ') => {
                    break;
                }
                (None, '[' | '{') => open.push((ch, n + 1, c + 1)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    let (bracket, line, column) = open.first().copied()?;
    let (what, close) = if bracket == '[' {
        ("list", ']')
    } else {
        ("mapping", '}')
    };
    Some((
        (line, column),
        format!("this `{bracket}` opens a {what} that is never closed with `{close}`"),
    ))
}

/// The first line indented out of step with the lines around it, and what it should be, in
/// words: "this line is indented 3 spaces; the lines it belongs with are indented 2". Lines
/// of a block scalar (`>-`, `|`) are text, not structure, and are passed over.
fn indentation_slip(text: &str) -> Option<((usize, usize), String)> {
    let mut levels = vec![0usize];
    let mut opens = true;
    let mut scalar_above: Option<usize> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let body = line.trim_start_matches(' ');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if body.starts_with('\t') {
            return Some((
                (n + 1, indent + 1),
                "this line is indented with a tab; YAML indents with spaces only".into(),
            ));
        }
        if let Some(scalar) = scalar_above {
            if indent > scalar {
                continue;
            }
            scalar_above = None;
        }
        let mut popped = None;
        while indent < *levels.last()? {
            popped = levels.pop();
        }
        let top = *levels.last()?;
        if indent > top {
            if !opens || popped.is_some() {
                let expected = popped.unwrap_or(top);
                return Some((
                    (n + 1, indent + 1),
                    format!(
                        "this line is indented {indent} space{}; the lines it belongs with are indented {expected}",
                        if indent == 1 { "" } else { "s" }
                    ),
                ));
            }
            levels.push(indent);
        }
        // A list item holds a mapping whose keys line up after the dash.
        let mut content = body;
        let mut content_indent = indent;
        while let Some(rest) = content.strip_prefix("- ") {
            content_indent += 2 + (rest.len() - rest.trim_start().len());
            content = rest.trim_start();
            levels.push(content_indent);
        }
        let value = content.split_once(": ").map(|(_, v)| v.trim());
        // (a key with only an anchor or a tag, `answers: &a`, opens its block too)
        // (and a dash alone, whose item follows on the lines below)
        opens = (content.ends_with(':')
            || content == "-"
            || value.is_some_and(|v| {
                v.split_whitespace()
                    .all(|w| w.starts_with('&') || w.starts_with('!'))
            }))
            && !content.starts_with(['"', '\'']);
        let block = |v: &str| matches!(v, ">" | ">-" | ">+" | "|" | "|-" | "|+");
        if value.is_some_and(block) || block(content) {
            scalar_above = Some(indent);
        }
    }
    None
}

/// `message` without serde_yaml's " at line L column C".
fn strip_position(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[at + " at line ".len()..];
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = rest[digits(rest)..].strip_prefix(" column ") else {
        return message.to_string();
    };
    format!("{}{}", &message[..at], &after[digits(after)..])
}

#[cfg(test)]
mod tests {
    use super::indentation_slip;

    #[test]
    fn a_field_given_twice_is_placed_at_its_second_time() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Section {
            title: String,
            subsections: Vec<Sub>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Sub {
            id: String,
            title: String,
        }
        let read = |text: &str| {
            let source = crate::input::Source {
                path: "s.yaml".into(),
                text: text.into(),
                cells: None,
            };
            super::parse_str::<Section>(&source)
                .unwrap_err()
                .to_string()
        };
        let in_a_list = "title: T\nsubsections:\n- id: a\n  title: A\n  # a note\n  title: B\n";
        let said = read(in_a_list);
        assert!(
            said.starts_with(
                "s.yaml:6:3: error: failed to read YAML: subsections[0]: duplicate field `title`"
            ),
            "{said}"
        );
        let at_the_top = "'title': T\nsubsections:\n- id: a\n  title: A\n\"title\" : U\n";
        let said = read(at_the_top);
        assert!(said.starts_with("s.yaml:5:1: error:"), "{said}");
        // a flow mapping: where the reader stopped
        let flow = "title: T\nsubsections: [{id: a, title: A, title: B}]\n";
        assert!(read(flow).contains("duplicate field `title`"));
        // a key of a map read by `model::unique` (answers, comments, footnotes), and a key
        // that only begins with the one given twice
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Answers {
            #[serde(deserialize_with = "crate::input::model::unique")]
            answers: std::collections::BTreeMap<String, String>,
        }
        let source = crate::input::Source {
            path: "r.yaml".into(),
            text: "answers:\n  q2: 'yes'\n  q22: 'no'\n  q2: 'no'\n".into(),
            cells: None,
        };
        let said = super::parse_str::<Answers>(&source)
            .unwrap_err()
            .to_string();
        assert!(
            said.starts_with(
                "r.yaml:4:3: error: failed to read YAML: answers: `q2` is given twice"
            ),
            "{said}"
        );
    }

    #[test]
    fn an_indentation_slip_is_said_in_plain_words_at_its_line() {
        let deeper = "cases:\n- id: C1\n  category: x\n   age_band: y\n";
        assert_eq!(
            indentation_slip(deeper),
            Some((
                (4, 4),
                "this line is indented 3 spaces; the lines it belongs with are indented 2".into()
            ))
        );
        let shallower = "cases:\n- id: C1\n  category: x\n gender: y\n";
        assert_eq!(
            indentation_slip(shallower),
            Some((
                (4, 2),
                "this line is indented 1 space; the lines it belongs with are indented 2".into()
            ))
        );
        // text of a block scalar, and a well-formed narrative, are no slips
        let fine = "title: T\nsubsections:\n- id: a\n  blocks:\n  - p: >-\n      one\n        two\n  - list:\n    - x\n    - y\nreferences:\n- >-\n  A\n- B\n";
        assert_eq!(indentation_slip(fine), None);
        // a dash alone on its line, its item's keys on the lines below
        let dash = "cases:\n-\n  id: C1\n  category: x\n- id: C2\n";
        assert_eq!(indentation_slip(dash), None);
        assert!(indentation_slip("a:\n\tb: 1\n").unwrap().1.contains("tab"));
        assert_eq!(
            super::unclosed_bracket("title: x\nrows: [a, 'b]'\n# [not this\n"),
            Some((
                (2, 7),
                "this `[` opens a list that is never closed with `]`".into()
            ))
        );
        assert_eq!(
            super::unclosed_bracket("q1: {a: 'yes', b: \"[no\"}\n"),
            None
        );
        // no false alarm on any file of the sample or the example re-audit
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["data", "examples", "report-templates"] {
            for entry in walkdir::WalkDir::new(root.join(folder)) {
                let entry = entry.unwrap();
                if entry.path().extension().is_some_and(|e| e == "yaml") {
                    let text = std::fs::read_to_string(entry.path()).unwrap();
                    assert_eq!(indentation_slip(&text), None, "{}", entry.path().display());
                    assert_eq!(
                        super::unclosed_bracket(&text),
                        None,
                        "{}",
                        entry.path().display()
                    );
                }
            }
        }
    }

    #[test]
    fn the_reader_s_usual_complaints_are_said_in_plain_words_at_their_start() {
        let message = |text: &str| {
            let source = Source {
                path: "f.yaml".into(),
                text: text.to_string(),
                cells: None,
            };
            super::parse_str::<serde_yaml::Value>(&source)
                .unwrap_err()
                .to_string()
        };
        let quote = message("title: x\nboard: \"Unclosed\nauthor: y\n");
        assert!(
            quote.starts_with("f.yaml:2:8: error: a quote opens this value and is never closed"),
            "{quote}"
        );
        let colon = message("title: x\nboard y\nauthor: z\n");
        assert!(
            colon.starts_with("f.yaml:2:1: error: this line has no `:` after its key"),
            "{colon}"
        );
        let token = message("title: @x\n");
        assert!(
            token.contains("error: a value cannot start with this character"),
            "{token}"
        );
        let second = message("# one\n---\ntitle: x\n---\ntitle: y\n");
        assert!(
            second.starts_with("f.yaml:4:1: error: a second YAML document starts here (`---`)"),
            "{second}"
        );
        let alias = message("a: &x 1\nb: *y\n");
        assert!(
            alias.contains("error: this alias (`*name`) names no anchor"),
            "{alias}"
        );
    }

    use super::*;
    use crate::input::model::QuestionBank;
    use std::path::PathBuf;

    /// Brackets nested past the limit are refused at the first one too deep, before the YAML
    /// reader (whose time grows with the square of the depth) sees them.
    #[test]
    fn brackets_nested_too_deep_are_refused_at_their_place() {
        let nested = |n: usize| format!("case: C01\nq2: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(too_deep(&nested(MAX_FLOW_DEPTH)), None);
        assert_eq!(too_deep(&nested(200_000)), Some((2, 5 + MAX_FLOW_DEPTH)));
        let source = Source {
            path: "f.yaml".into(),
            text: nested(200_000),
            cells: None,
        };
        let shown = parse_str::<serde_yaml::Value>(&source)
            .unwrap_err()
            .to_string();
        assert!(
            shown.starts_with("f.yaml:2:69: error: brackets (`[`, `{`) nest more than 64 deep"),
            "{shown}"
        );
    }

    /// A NUL byte is pointed at by line and column (the reader gives a byte offset), and a
    /// value of the wrong kind reached through an alias is not taken for an indentation slip.
    #[test]
    fn a_nul_byte_and_an_aliased_value_are_said_at_their_place() {
        let shown = |text: &str| {
            let source = Source {
                path: "f.yaml".into(),
                text: text.into(),
                cells: None,
            };
            parse_str::<crate::input::model::RawReturn>(&source)
                .unwrap_err()
                .to_string()
        };
        let nul = shown("case: C01\nagency: Health\nanswers:\n  q2: ye\0s\n");
        assert!(
            nul.starts_with("f.yaml:4:9: error: expected text, found the control character U+0000"),
            "{nul}"
        );
        let alias = shown(
            "case: C01\nagency: Health\nanswers: &a\n  q1: {a: 'yes'}\n  q2: 'no'\ncomments: *a\n",
        );
        assert!(
            alias.starts_with("f.yaml:4:7: error: failed to read YAML: comments.q1: invalid type: map, expected a string"),
            "{alias}"
        );
        assert!(
            alias.contains("where its anchor (`&name`) defines it"),
            "{alias}"
        );
    }

    /// serde_yaml does not merge `<<: *name`: the unknown key `<<` is explained.
    #[test]
    fn a_merge_key_is_explained() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Block {
            title: Option<String>,
        }
        let source = Source {
            path: "f.yaml".into(),
            text: "base: &b {title: x}\nblocks:\n  - <<: *b\n".into(),
            cells: None,
        };
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct File {
            base: Block,
            blocks: Vec<Block>,
        }
        let shown = parse_str::<File>(&source).unwrap_err().to_string();
        assert!(
            shown.starts_with(
                "f.yaml:3:5: error: failed to read YAML: blocks[0]: unknown field `<<`"
            ),
            "{shown}"
        );
        assert!(
            shown.contains("merge keys (`<<: *name`) are not read"),
            "{shown}"
        );
    }

    #[test]
    fn position_is_taken_out_of_the_message() {
        assert_eq!(
            strip_position("bad escape at line 8 column 54, while parsing"),
            "bad escape, while parsing"
        );
        assert_eq!(
            strip_position("unknown field `y` at line 2 column 1"),
            "unknown field `y`"
        );
        assert_eq!(strip_position("at line noon"), "at line noon");
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let s = Source {
            path: PathBuf::from("f.yaml"),
            text:
                "title: x\nquestions:\n  - id: q1\n    number: 1\n    text: t\n    kind: singel\n"
                    .into(),
            cells: None,
        };
        let d = parse_str::<QuestionBank>(&s).unwrap_err();
        assert_eq!(d.location, Some(Location::at("f.yaml", 6, 11)));
        assert!(
            d.message.contains("unknown variant `singel`"),
            "{}",
            d.message
        );
    }
}
