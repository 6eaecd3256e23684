//! User text is data, never markup: arbitrary strings (Typst markup and code characters,
//! `#import`, `$`, `//`, `/*`, backslashes, brackets, right-to-left and combining characters,
//! very long words) put into every printed text field come out of the typesetter as written.

use crate::common::scratch;
use audit_report::{BuildOptions, build};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};
use std::fs;
use std::path::Path;

/// Characters that mean something to Typst, YAML, Handlebars or our inline syntax, and some
/// that test shaping: accents, Hebrew and Arabic letters, typographic marks.
const SPECIAL: &[char] = &[
    '#', '$', '*', '_', '@', '<', '>', '\\', '[', ']', '{', '}', '/', '`', '~', '=', '-', '+', '"',
    '\'', ':', ';', '%', '&', '|', '^', '!', '?', ',', '.', '(', ')', 'é', 'ß', '€', '—', '“', '”',
    'א', 'ב', 'ש', 'ع', 'ل', 'م',
];

fn nasty_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(SPECIAL).prop_map(|c| c.to_string()),
        // a letter with a combining mark (decomposed é, ñ, ü), as text carries them
        1 => proptest::sample::select(&["e\u{301}", "n\u{303}", "u\u{308}"][..]).prop_map(str::to_string),
        2 => "[a-zA-Z0-9 ]{1,6}",
        1 => Just("#import \"x.typ\": *".to_string()),
        1 => Just("#{panic()} $x^2$ // line /* block */".to_string()),
        1 => Just("= Heading\n- item".to_string()),
        1 => "[a-z]{120,200}",
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|parts| parts.concat())
}

/// The same string written so our narrative syntax prints it as is: `\` before `*`, `[`, `]`
/// and `\`, and Handlebars' own `\{{` before a double brace.
fn as_narrative(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if matches!(c, '*' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.replace("{{", "\\{{")
}

fn yaml(value: Value) -> String {
    serde_yaml::to_string(&value).unwrap()
}

fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Mapping(
        pairs
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect::<Mapping>(),
    )
}

fn s(text: &str) -> Value {
    Value::from(text)
}

/// Writes a small audit whose printed fields hold `texts` between numbered sentinels.
fn write_audit(dir: &Path, texts: &[String]) {
    let marked: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("QQS{i}Q{t}QQE{i}Q"))
        .collect();
    let narrative: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| format!("QQS{i}Q{}QQE{i}Q", as_narrative(t)))
        .collect();
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("returns")).unwrap();
    fs::create_dir_all(dir.join("narrative")).unwrap();
    let agencies = Value::Sequence(vec![s("Police")]);
    fs::write(
        dir.join("audit.yaml"),
        yaml(map(vec![
            ("title", s(&marked[0])),
            ("board", s(&marked[1])),
            ("board_short", s("B")),
            ("author", s(&marked[2])),
            ("date", s("2025-01-31")),
            ("audience", s(&marked[3])),
            ("agencies", agencies.clone()),
        ])),
    )
    .unwrap();
    let option = |id: &str, text: &str| map(vec![("id", s(id)), ("text", s(text))]);
    fs::write(
        dir.join("questions.yaml"),
        yaml(map(vec![
            ("title", s(&marked[4])),
            (
                "questions",
                Value::Sequence(vec![map(vec![
                    ("id", s("q1")),
                    ("number", s("1")),
                    ("text", s(&marked[5])),
                    ("kind", s("single")),
                    (
                        "options",
                        Value::Sequence(vec![option("a", &marked[6]), option("b", &marked[7])]),
                    ),
                    ("chart", map(vec![("title", s(&marked[8]))])),
                ])]),
            ),
        ])),
    )
    .unwrap();
    fs::write(
        dir.join("cases.yaml"),
        yaml(map(vec![(
            "cases",
            Value::Sequence(vec![map(vec![
                ("id", s("X")),
                ("category", s("neglect")),
                ("age_band", s("under 5")),
                ("gender", s("female")),
                ("requested", agencies),
            ])]),
        )])),
    )
    .unwrap();
    fs::write(
        dir.join("returns/x.yaml"),
        yaml(map(vec![
            ("case", s("X")),
            ("agency", s("Police")),
            ("answers", map(vec![("q1", s("a"))])),
            ("comments", map(vec![("q1", s(&marked[9]))])),
        ])),
    )
    .unwrap();
    let block = |key: &str, value: Value| map(vec![(key, value)]);
    fs::write(
        dir.join("narrative/01.yaml"),
        yaml(map(vec![
            ("id", s("one")),
            ("title", s(&marked[10])),
            (
                "subsections",
                Value::Sequence(vec![map(vec![
                    ("title", s(&marked[11])),
                    (
                        "blocks",
                        Value::Sequence(vec![
                            block("p", s(&format!("{}[^n]", narrative[12]))),
                            block("text", s(&narrative[13])),
                            block("list", Value::Sequence(vec![s(&narrative[14])])),
                            block("quote", s(&narrative[15])),
                            block("question", s("q1")),
                            block("table", s("neighbours")),
                        ]),
                    ),
                ])]),
            ),
            (
                "appendices",
                Value::Sequence(vec![map(vec![
                    ("id", s("template")),
                    ("title", s("Template")),
                    ("generated", s("question-bank")),
                ])]),
            ),
            (
                "findings",
                Value::Sequence(vec![map(vec![
                    ("text", s(&narrative[16])),
                    ("challenge_title", s(&marked[17])),
                    ("challenge", Value::Sequence(vec![s(&narrative[18])])),
                ])]),
            ),
            ("footnotes", map(vec![("n", s(&narrative[19]))])),
        ])),
    )
    .unwrap();
    let row = |name: &str, value: f64| map(vec![("name", s(name)), ("value", Value::from(value))]);
    fs::write(
        dir.join("neighbours.yaml"),
        yaml(map(vec![
            ("title", s(&marked[20])),
            ("measure", s(&marked[21])),
            (
                "rows",
                Value::Sequence(vec![row(&marked[22], 10.0), row("Other", 12.0)]),
            ),
            ("england", Value::from(11.0)),
            ("this_authority", row(&marked[23], 9.5)),
        ])),
    )
    .unwrap();
}

/// Random text can look like a postcode or a phone number: the personal data guard would
/// rightly stop the build. Such matches go on the audit's allow list, as a lead would after
/// reviewing them, so the test is about markup.
fn allow_what_the_guard_would_flag(audit: &Path) {
    let mut allowed = Vec::new();
    let guard = audit_report::check::guard::Guard::new(&[], &[]);
    for entry in walkdir::WalkDir::new(audit)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        for hit in guard.find(&text) {
            allowed.push(map(vec![
                ("text", s(hit.text.trim())),
                ("reason", s("generated test text")),
            ]));
        }
    }
    if !allowed.is_empty() {
        fs::write(
            audit.join("allow.yaml"),
            yaml(map(vec![("allow", Value::Sequence(allowed))])),
        )
        .unwrap();
    }
}

/// The text an SVG draws, its text elements' contents one after another (a label cut over
/// two lines reads whole).
fn drawn_text(svg: &str) -> String {
    svg.split("<text")
        .skip(1)
        .filter_map(|element| element.split_once('>'))
        .filter_map(|(_, rest)| rest.split("</text>").next())
        .map(str::trim)
        .collect()
}

/// Fields printed in the text of the PDF: all but the option wordings (6, 7: chart labels,
/// checked in the SVG), this authority's name (23: in the neighbour chart and prose, not the
/// table of neighbours) and the comment (9), which this report does not print.
const PRINTED: [usize; 20] = [
    0, 1, 2, 3, 4, 5, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
];

fn svg_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn is_right_to_left(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF)
}

fn without_space(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Chart labels are set in Carlito alone, which has no Hebrew, Arabic or combining marks (a
/// label with them is refused with a clear message): keep those out of the chart fields.
fn chart_safe(text: &str) -> String {
    text.chars()
        .filter(|c| !is_right_to_left(*c) && !matches!(*c as u32, 0x300..=0x36F))
        .collect()
}

fn check(texts: &[String], work: &Path) -> Result<(), TestCaseError> {
    let mut texts = texts.to_vec();
    for i in [6, 7, 22, 23] {
        texts[i] = chart_safe(&texts[i]);
    }
    let texts = &texts[..];
    let audit = work.join("audit");
    write_audit(&audit, texts);
    allow_what_the_guard_would_flag(&audit);
    let options = BuildOptions {
        audit: audit.clone(),
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(&audit)
    };
    let summary = build(&options, &mut |_| {}).map_err(|e| TestCaseError::fail(e.to_string()))?;
    // A run of text can be split wherever the font changes (a combining mark may come from a
    // fallback face), and runs stand in visual order: compare without white space, and, where
    // right-to-left letters are reordered on the line, compare the characters themselves.
    // The layout lets a word of 30 characters or more break, with zero-width spaces.
    let typeset = without_space(&summary.editions[0].text().replace('\u{200B}', ""));
    // A field broken over a page has the running header and footer in between: take them out.
    let header = without_space(&format!("B · QQS0Q{}QQE0Q", texts[0]));
    let mut typeset = typeset.replace(&header, "");
    while let Some(at) = typeset.find("Page") {
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let rest = &typeset[at + 4..];
        let n = digits(rest);
        if n == 0 || !rest[n..].starts_with("of") || digits(&rest[n + 2..]) == 0 {
            break;
        }
        let end = at + 4 + n + 2 + digits(&rest[n + 2..]);
        typeset.replace_range(at..end, "");
    }
    for i in PRINTED {
        let (start, end) = (format!("QQS{i}Q"), format!("QQE{i}Q"));
        let Some(from) = typeset.find(&start) else {
            return Err(TestCaseError::fail(format!(
                "field {i} missing: {:?}",
                texts[i]
            )));
        };
        let to = typeset[from..]
            .find(&end)
            .map(|t| from + t)
            .ok_or_else(|| TestCaseError::fail(format!("field {i} unterminated")))?;
        let printed = &typeset[from + start.len()..to];
        let written = without_space(&texts[i]);
        if written.chars().any(is_right_to_left) {
            let sorted = |s: &str| {
                let mut chars: Vec<char> = s.chars().collect();
                chars.sort_unstable();
                chars
            };
            prop_assert_eq!(sorted(printed), sorted(&written), "field {}", i);
        } else {
            prop_assert_eq!(printed, written.as_str(), "field {}", i);
        }
    }
    // the chart carries the option wordings as SVG text, escaped, word by word (it wraps
    // them, and cuts a word wider than its column over lines: read line after line)
    let svg = drawn_text(&fs::read_to_string(work.join("charts/q1.svg")).unwrap());
    for i in [6, 7] {
        for word in format!("QQS{i}Q{}QQE{i}Q", texts[i]).split_whitespace() {
            prop_assert!(
                svg.contains(&svg_escaped(word)),
                "field {} word {:?} not in the chart",
                i,
                word
            );
        }
    }
    let neighbours = drawn_text(&fs::read_to_string(work.join("charts/neighbours.svg")).unwrap());
    for word in format!("QQS23Q{}QQE23Q", texts[23]).split_whitespace() {
        prop_assert!(
            neighbours.contains(&svg_escaped(word)),
            "field 23 word {:?} not in the neighbour chart",
            word
        );
    }
    Ok(())
}

proptest! {
    // 24 cases in `cargo test`; set NASTY_CASES for a longer run.
    #![proptest_config(crate::common::proptest_config("NASTY_CASES", 24))]

    #[test]
    fn every_printed_field_prints_exactly_as_written(texts in proptest::collection::vec(nasty_text(), 24)) {
        check(&texts, &scratch("nasty"))?;
    }
}

#[test]
fn the_brief_s_own_example_prints_as_written() {
    let texts: Vec<String> = (0..24)
        .map(|_| r"# $ * _ @ < \ [ ] // /* #import $x$".to_string())
        .collect();
    check(&texts, &scratch("nasty-example")).unwrap();
}

/// The problems a build reports when field `field` holds `text` and every other field is plain.
fn problems_with(field: usize, text: &str, name: &str) -> String {
    let mut texts: Vec<String> = (0..24).map(|i| format!("plain {i}")).collect();
    texts[field] = text.to_string();
    let work = scratch(name);
    write_audit(&work.join("audit"), &texts);
    let options = BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(work.join("audit"))
    };
    build(&options, &mut |_| {}).unwrap_err().to_string()
}

#[test]
fn a_character_no_font_has_is_a_clear_error() {
    let listed = problems_with(13, "Mum said thanks 😀 and left", "nasty-emoji");
    // at the file, line and column where it was written
    let expected = "narrative/01.yaml:7:33: error: the report's fonts cannot print `😀` (U+1F600) (in \"QQS13QMum said thanks 😀 and leftQQE13Q\")";
    assert!(listed.contains(expected), "{listed}");
}

#[test]
fn a_chart_label_the_chart_font_cannot_print_is_a_clear_error() {
    // (Hebrew letters none of which passes for a Latin one: `ן` reads as `l`, and a Latin
    // word with one in it is a disguise the guard reports first)
    let listed = problems_with(6, "כש", "nasty-chart-label");
    let expected = "error: the chart of `q1` cannot print `כ` (U+05DB), `ש` (U+05E9) in the label \"QQS6QכשQQE6Q\"";
    assert!(listed.contains(expected), "{listed}");
}
