//! Proof (stage 6): each edition's document read as it will print, before anything is
//! typeset: characters the fonts cannot draw, control characters, words and texts too long
//! to lay out, and personal data pieced together by markup, templates or escapes. Run by
//! `prepare`, so `check` finds all `build` would, and by `build` beside typesetting
//! ([`Checks`]: with the guard's scan of the inputs and the figures typed into the prose).
//! What passes is a [`Prepared`] audit, which the renderers typeset and `output` writes.

use crate::chart::{Chart, ChartSet};
use crate::check::Audit;
use crate::check::guard::{Guard, InputScan};
use crate::collate::Stats;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::{Document, literals};
use crate::edition::Edition;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// An audit taken through every stage before typesetting: what `check` reports on and
/// `build` typesets.
pub struct Prepared {
    /// The checked audit.
    pub audit: Audit,
    /// Its collated figures.
    pub stats: Stats,
    /// Its charts, one set per small-number threshold in use.
    pub charts: BTreeMap<ChartSet, Vec<Chart>>,
    /// Each edition to build and its document, prose filled in.
    pub documents: Vec<(Edition, Document)>,
    /// Problems that do not stop a build.
    pub warnings: Diagnostics,
    /// SHA-256 of every input file, by path inside the audit folder.
    pub inputs: BTreeMap<String, String>,
    /// Time taken by each stage so far.
    pub stages: Vec<(&'static str, Duration)>,
}

/// What is left to check once the documents are drafted: the inputs against the personal
/// data guard (under way on its own thread since the folder was read), the documents'
/// printed text against it, and figures typed into the prose. Nothing it finds changes a
/// document, so `build` runs it beside typesetting and writes nothing if it fails.
pub struct Checks {
    /// The guard's scan of the inputs, on its own thread.
    pub scan: InputScan,
    /// What loading found, and what checking the audit found: with the guard's findings,
    /// the report `check` gives of an audit that holds personal data.
    pub loaded: Diagnostics,
    /// What checking the audit found.
    pub validated: Diagnostics,
    /// The figures the lead has reviewed in the prose, which are not warned of again.
    pub reviewed_numbers: Vec<String>,
    /// The layouts given with `--templates`: their own text prints too (the built-in ones
    /// are reviewed with the code).
    pub layouts: Vec<crate::input::Source>,
}

impl Checks {
    /// Runs the checks: the warnings and the guard (for the files once rendered), or every
    /// problem found.
    pub fn run(self, prepared: &Prepared) -> Result<(Diagnostics, Guard), Diagnostics> {
        let (guard, mut personal, mut seen) = self.scan.finish()?;
        personal.extend(guard.scan_sources(self.layouts.iter()).0);
        if !personal.0.is_empty() {
            return Err(as_found(self.loaded, personal, self.validated));
        }
        let mut problems = Diagnostics::default();
        let mut reported = BTreeSet::new();
        for (edition, document) in &prepared.documents {
            problems.extend(check(
                &guard,
                &prepared.audit,
                edition,
                document,
                &mut seen,
                &mut reported,
            ));
        }
        let editions: Vec<Edition> = prepared.documents.iter().map(|(e, _)| e.clone()).collect();
        problems.extend(literals::withheld_percentages(
            &prepared.audit,
            &prepared.stats,
            &editions,
        ));
        problems.into_result(())?;
        let warnings = literals::warnings(
            &prepared.audit,
            &prepared.stats,
            &editions,
            &self.reviewed_numbers,
        );
        Ok((warnings, guard))
    }

    /// `problems` that stopped the drafting, unless the guard found personal data in the
    /// inputs: that is said first, and alone, whatever else went wrong.
    pub fn personal_data_first(self, problems: Diagnostics) -> Diagnostics {
        match self.scan.finish() {
            Err(stopped) => stopped,
            Ok((_, personal, _)) if personal.0.is_empty() => problems,
            Ok((_, personal, _)) => as_found(self.loaded, personal, self.validated),
        }
    }
}

/// Problems from loading, the guard and checking the audit, in the order `check` lists them:
/// by place, and at one place in the order they were found.
pub fn as_found(loaded: Diagnostics, personal: Diagnostics, validated: Diagnostics) -> Diagnostics {
    let mut all = loaded.with(personal).with(validated);
    all.sort();
    all
}

/// Every check on one edition's printed text. Problems are placed at the input the text was
/// written in where it can be found (an escape such as `\a` stands in the file as two
/// characters: then by its neighbours, or at the prose it was filled from), else at the
/// edition. `reported` holds what earlier editions reported, so that a title every edition
/// prints is reported once.
pub fn check(
    guard: &Guard,
    audit: &Audit,
    edition: &Edition,
    document: &Document,
    seen: &mut std::collections::BTreeSet<String>,
    reported: &mut BTreeSet<String>,
) -> Diagnostics {
    let sources = audit_sources(audit);
    let strings = printed_strings(document);
    let locate = |text: &str, at: usize, needle: &str| {
        let written = written_at(&sources, text, at, needle);
        if !written.is_empty() {
            return written;
        }
        let filled_from = || {
            let printed = document.printed.iter().find(|p| {
                p.text.contains(needle) && (p.text.contains(text) || text.contains(&p.text))
            })?;
            let source = audit_sources(audit)
                .into_iter()
                .find(|s| s.path == printed.file)?;
            let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
            Some(source.locate(&path))
        };
        filled_from().into_iter().collect()
    };
    let mut problems = unprintable_text(&strings, edition, &locate, reported);
    problems.extend(personal_data(
        guard, audit, edition, document, &strings, seen,
    ));
    problems
}

/// Where `needle`, at byte `at` of the printed `text`, is written in `sources`: the needle
/// with as much of its neighbours in `text` as stand together in a file, the most first (so
/// the same emoji in two titles is found at each), then alone; in every file that holds
/// it so (the same comment sent in two returns is two places to mend). A character is
/// also found written as a YAML escape (`\a`, `\x07`, `\uE000`) between its neighbours.
fn written_at(
    sources: &[&crate::input::Source],
    text: &str,
    at: usize,
    needle: &str,
) -> Vec<Location> {
    let before: Vec<char> = text[..at].chars().collect();
    let after = &text[at + needle.len()..];
    // (a character a file cannot show, written as an escape)
    let control = needle.chars().count() == 1;
    for reach in [24, 12, 6, 3, 1, 0] {
        let left: String = before[before.len().saturating_sub(reach)..]
            .iter()
            .collect();
        let right: String = after.chars().take(reach).collect();
        let literal = format!("{left}{needle}{right}");
        let found: Vec<Location> = sources
            .iter()
            .filter_map(|s| s.find_part(&literal, left.len()))
            .collect();
        if !found.is_empty() {
            return found;
        }
        if control && reach > 0 {
            let escaped = regex::Regex::new(&format!(
                r"{}\\(?:[0abtnvfreN_LP]|x[0-9A-Fa-f]{{2}}|u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){}",
                regex::escape(&left),
                regex::escape(&right)
            ))
            .ok();
            let found: Vec<Location> = sources
                .iter()
                .filter_map(|s| {
                    let m = escaped.as_ref()?.find(&s.text)?;
                    s.find_part(&s.text[m.start()..m.end()], left.len())
                })
                .collect();
            if !found.is_empty() {
                return found;
            }
        }
    }
    Vec::new()
}

/// The personal data guard over one edition's printed text: its prose at the place each piece
/// was written, then every other string it prints (headings, cover, tables, captions, alt
/// text) at the edition. A hit already reported elsewhere is not repeated.
fn personal_data(
    guard: &Guard,
    audit: &Audit,
    edition: &Edition,
    document: &Document,
    strings: &[String],
    seen: &mut std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for printed in &document.printed {
        // (in the narrative, or a cover paper's, slides' or briefing's own file)
        let locate = || {
            audit_sources(audit)
                .into_iter()
                .find(|s| s.path == printed.file)
                .map(|s| {
                    let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
                    s.locate(&path)
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
pub fn audit_sources(audit: &Audit) -> Vec<&crate::input::Source> {
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

/// The longest word. The layout breaks a long word at least every 20 characters, but a word
/// of thousands is no word, and its pieces would fill pages.
const MAX_WORD: usize = 10_000;

/// What in the printed text would stop the typesetter or print wrongly: characters the
/// report's fonts cannot draw, control characters, words too long to fit a line and texts too
/// long for a page. Each is an error where `locate` (the text, the byte where the problem
/// is in it, the problem's characters) finds it written, else at the edition; a problem at
/// a place in `reported` is not repeated.
pub fn unprintable_text(
    strings: &[String],
    edition: &Edition,
    locate: &dyn Fn(&str, usize, &str) -> Vec<Location>,
    reported: &mut BTreeSet<String>,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for text in strings {
        for (at, needle, message, help) in unprintable_in(text) {
            let context: String = text.chars().take(60).collect();
            let more = if text.chars().count() > 60 { "…" } else { "" };
            let said = format!("{message} (in \"{context}{more}\")");
            let locations = locate(text, at, &needle);
            if locations.is_empty() {
                // (where there is no place, one report per text)
                if reported.insert(format!("{text}\u{0}{message}")) {
                    let problem = format!("edition `{}`: {said}", edition.id);
                    problems.push(Diagnostic::general(problem).with_note(help));
                }
                continue;
            }
            // One report per place (a title printed as a heading, in the contents and by
            // every edition).
            for location in locations {
                if reported.insert(format!("{location}\u{0}{message}")) {
                    problems.push(Diagnostic::error(location, said.clone()).with_note(help));
                }
            }
        }
    }
    problems
}

/// A problem in a printed text: the byte it is at, the characters at fault, the message and
/// what to do.
type Unprintable = (usize, String, String, &'static str);

/// Every kind of problem `text` has, each found once, in the order they are reported.
fn unprintable_in(text: &str) -> Vec<Unprintable> {
    [
        not_in_the_fonts(text),
        private_use(text),
        control_character(text),
        word_too_long(text),
        text_too_long(text),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Characters none of the report's faces can draw.
fn not_in_the_fonts(text: &str) -> Option<Unprintable> {
    let missing = crate::fonts::unprintable(text);
    let first = missing.first()?;
    let names: Vec<String> = missing
        .iter()
        .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
        .collect();
    Some((
        text.find(*first).unwrap_or(0),
        first.to_string(),
        format!("the report's fonts cannot print {}", names.join(", ")),
        "remove or replace it (emoji and CJK scripts are not in the embedded fonts)",
    ))
}

/// A private-use character means nothing to a reader (and the Word writer marks its own
/// places with one).
fn private_use(text: &str) -> Option<Unprintable> {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let (at, c) = text
        .char_indices()
        .find(|(_, c)| c.general_category() == GeneralCategory::PrivateUse)?;
    Some((
        at,
        c.to_string(),
        format!(
            "expected text, found the private-use character U+{:04X}, which stands for nothing a reader can see",
            c as u32
        ),
        "remove it, or write the character it was meant to be",
    ))
}

/// A control character other than a line break or a tab.
fn control_character(text: &str) -> Option<Unprintable> {
    let (at, c) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))?;
    Some((
        at,
        c.to_string(),
        format!(
            "expected text, found the control character U+{:04X}",
            c as u32
        ),
        "remove it (in YAML, an escape in double quotes such as `\\a` or `\\x07` writes one)",
    ))
}

/// A word longer than [`MAX_WORD`].
fn word_too_long(text: &str) -> Option<Unprintable> {
    let word = text
        .split_whitespace()
        .find(|w| w.chars().count() > MAX_WORD)?;
    let start: String = word.chars().take(40).collect();
    Some((
        text.find(&start).unwrap_or(0),
        start,
        format!(
            "a word of {} characters cannot be broken across lines; words are limited to {MAX_WORD}",
            word.chars().count()
        ),
        "break it with spaces",
    ))
}

/// A text longer than [`MAX_TEXT`].
fn text_too_long(text: &str) -> Option<Unprintable> {
    (text.chars().count() > MAX_TEXT).then(|| {
        (
            0,
            text.chars().take(40).collect(),
            format!(
                "a text of {} characters; one piece of text is limited to {MAX_TEXT}",
                text.chars().count()
            ),
            "split it into paragraphs",
        )
    })
}
