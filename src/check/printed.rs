//! Checks on what each edition prints, as printed: characters the fonts cannot draw, control
//! characters, words and texts too long to lay out, and personal data pieced together by
//! markup, templates or escapes. Run by `prepare`, so `check` finds all `build` would.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::Document;
use crate::edition::Edition;
use std::collections::BTreeSet;

/// Every check on one edition's printed text. Problems are placed at the input the text was
/// written in where it can be found (an escape such as `\a` stands in the file as two
/// characters: then at the prose it was filled from), else at the edition.
pub fn check(
    guard: &super::guard::Guard,
    audit: &super::Audit,
    edition: &crate::edition::Edition,
    document: &crate::document::Document,
    seen: &mut std::collections::BTreeSet<String>,
) -> Diagnostics {
    let sources = audit_sources(audit);
    let strings = printed_strings(document);
    let locate = |needle: &str, text: &str| {
        sources
            .iter()
            .find_map(|source| source.find(needle))
            .or_else(|| {
                let printed = document.printed.iter().find(|p| {
                    p.text.contains(needle) && (p.text.contains(text) || text.contains(&p.text))
                })?;
                let section = audit
                    .sections
                    .iter()
                    .find(|s| s.source.path == printed.file)?;
                let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
                Some(section.source.locate(&path))
            })
    };
    let mut problems = unprintable_text(&strings, edition, &locate);
    problems.extend(personal_data(
        guard, audit, edition, document, &strings, seen,
    ));
    problems
}

/// The personal data guard over one edition's printed text: its prose at the place each piece
/// was written, then every other string it prints (headings, cover, tables, captions, alt
/// text) at the edition. A hit already reported elsewhere is not repeated.
fn personal_data(
    guard: &super::guard::Guard,
    audit: &super::Audit,
    edition: &crate::edition::Edition,
    document: &crate::document::Document,
    strings: &[String],
    seen: &mut std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for printed in &document.printed {
        let locate = || {
            audit
                .sections
                .iter()
                .find(|s| s.source.path == printed.file)
                .map(|s| {
                    let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
                    s.source.locate(&path)
                })
                .unwrap_or_else(|| crate::diag::Location::file(&printed.file))
        };
        problems.extend(guard.scan_printed(&printed.text, &locate, " as printed", seen));
    }
    let at = || crate::diag::Location::file(format!("edition `{}`", edition.id));
    for text in strings {
        problems.extend(guard.scan_printed(text, &at, " in the printed text", seen));
    }
    problems
}

/// Every input file of a checked audit.
pub fn audit_sources(audit: &super::Audit) -> Vec<&crate::input::Source> {
    let mut sources: Vec<&crate::input::Source> =
        audit.sections.iter().map(|s| &s.source).collect();
    sources.extend(audit.neighbours.iter().map(|n| &n.source));
    sources.extend(audit.sources.iter());
    sources
}

/// Every string the layout prints from `document`, in order.
pub fn printed_strings(document: &Document) -> Vec<String> {
    fn strings(value: serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s),
            serde_json::Value::Array(items) => items.into_iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.into_iter().for_each(|(_, v)| strings(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(serde_json::to_value(document).unwrap_or_default(), &mut all);
    all
}

/// The longest piece of text printed in one place.
const MAX_TEXT: usize = 100_000;

/// The longest word: a line cannot break inside one.
const MAX_WORD: usize = 10_000;

/// What in the printed text would stop the typesetter or print wrongly: characters the
/// report's fonts cannot draw, control characters, words too long to fit a line and texts too
/// long for a page. Each is an error where `locate` (the needle, the text it is in) finds
/// it written, else at the edition.
pub fn unprintable_text(
    strings: &[String],
    edition: &Edition,
    locate: &dyn Fn(&str, &str) -> Option<Location>,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    let mut reported = BTreeSet::new();
    for text in strings {
        let mut found: Vec<(String, String)> = Vec::new();
        let missing = crate::render::pdf::unprintable(text);
        if !missing.is_empty() {
            let names: Vec<String> = missing
                .iter()
                .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
                .collect();
            found.push((
                missing[0].to_string(),
                format!("the report's fonts cannot print {}", names.join(", ")),
            ));
        }
        if let Some(c) = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        {
            found.push((
                c.to_string(),
                format!(
                    "expected text, found the control character U+{:04X}",
                    c as u32
                ),
            ));
        }
        if let Some(word) = text
            .split_whitespace()
            .find(|w| w.chars().count() > MAX_WORD)
        {
            found.push((
                word.chars().take(40).collect(),
                format!(
                    "a word of {} characters cannot be broken across lines; words are limited to {MAX_WORD}",
                    word.chars().count()
                ),
            ));
        }
        if text.chars().count() > MAX_TEXT {
            found.push((
                text.chars().take(40).collect(),
                format!(
                    "a text of {} characters; one piece of text is limited to {MAX_TEXT}",
                    text.chars().count()
                ),
            ));
        }
        for (needle, message) in found {
            if !reported.insert(message.clone() + &needle) {
                continue;
            }
            let context: String = text.chars().take(60).collect();
            let more = if text.chars().count() > 60 { "…" } else { "" };
            let message = format!("{message} (in \"{context}{more}\")");
            let problem = match locate(&needle, text) {
                Some(location) => Diagnostic::error(location, message),
                None => Diagnostic::general(format!("edition `{}`: {message}", edition.id)),
            };
            problems.push(problem.with_note(
                "remove or replace it (emoji and CJK scripts are not in the embedded fonts)",
            ));
        }
    }
    problems
}
