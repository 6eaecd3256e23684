//! The papers that travel with the report (cover paper, slides, briefing) checked against the
//! editions that declare them and the question bank: what serde cannot see.

use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::EditionList;
use crate::input::model::QuestionBank;
use crate::input::pack::{
    CoverText, IMPLICATIONS, PackFile, PackText, SlidesText, shows_something,
};
use crate::input::{Parsed, Source};

/// Each paper's formats, and what its file names: a meeting date, implications, charts.
pub(super) fn check_pack(
    editions: Option<&Parsed<EditionList>>,
    files: &[PackFile],
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) {
    if let Some(parsed) = editions {
        check_formats(parsed, problems);
    }
    for file in files {
        let source = &file.parsed.source;
        match &file.parsed.value {
            PackText::Cover(cover) => check_cover(cover, source, problems),
            PackText::Slides(slides) => check_slides(slides, source, bank, problems),
            PackText::Briefing(_) => {}
        }
    }
}

/// Each edition's formats are ones its kind of paper comes in.
fn check_formats(parsed: &Parsed<EditionList>, problems: &mut Diagnostics) {
    for (i, edition) in parsed.value.editions.iter().enumerate() {
        let allowed = edition.kind.formats();
        for (f, format) in edition.formats.iter().enumerate() {
            if !allowed.contains(format) {
                let names: Vec<&str> = allowed.iter().map(|f| f.extension()).collect();
                problems.push(Diagnostic::error(
                    parsed
                        .source
                        .locate(&["editions", &i.to_string(), "formats", &f.to_string()]),
                    format!(
                        "expected {} for {} (kind: {}), found `{}`",
                        names.join(" or "),
                        edition.id,
                        edition.kind.name(),
                        format.extension()
                    ),
                ));
            }
        }
    }
}

/// A cover paper's meeting date, implications and what the board is asked to do.
fn check_cover(cover: &CoverText, source: &Source, problems: &mut Diagnostics) {
    // (the paper says whom it is for, and "The … is asked to:" names them)
    if !shows_something(&cover.report_to) {
        problems.push(Diagnostic::error(
            source.locate(&["report_to"]),
            format!(
                "expected the board or group the paper is for (`report_to: Executive Group`), found {:?}",
                cover.report_to
            ),
        ));
    }
    if super::parse_date(&cover.meeting).is_none() {
        problems.push(Diagnostic::error(
            source.locate(&["meeting"]),
            super::date_problem(&cover.meeting),
        ));
    }
    for key in cover.implications.keys() {
        if !IMPLICATIONS.contains(&key.as_str()) {
            problems.push(Diagnostic::error(
                source.locate(&["implications", key]),
                format!("expected one of {}, found `{key}`", IMPLICATIONS.join(", ")),
            ));
        }
    }
    // A blank line of the paper would print as an empty bullet or a label with nothing
    // after it.
    for (i, asked) in cover.asked.iter().enumerate() {
        if !shows_something(asked) {
            problems.push(Diagnostic::warning(
                source.locate(&["asked", &i.to_string()]),
                "expected what the board is asked to do, found nothing: it would print as an empty bullet",
            ));
        }
    }
    for (key, said) in &cover.implications {
        if !shows_something(said) {
            problems.push(Diagnostic::warning(
                source.locate(&["implications", key]),
                format!("expected the {key} implications, found nothing: `{key}:` would print with nothing after it"),
            ));
        }
    }
    if cover.asked.is_empty() {
        problems.push(Diagnostic::error(
            source.locate(&["asked"]),
            "expected at least one thing the board is asked to do, found none",
        ));
    }
}

/// The slides' charts are of charted questions of the bank.
fn check_slides(
    slides: &SlidesText,
    source: &Source,
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) {
    for (c, slide) in slides.charts.iter().enumerate() {
        let at = || source.locate(&["charts", &c.to_string(), "question"]);
        match bank.questions.iter().find(|q| q.id == slide.question) {
            None => {
                let known = bank.questions.iter().map(|q| q.id.as_str());
                let near = crate::diag::nearest(&slide.question, known)
                    .map(|n| format!(" (did you mean {n}?)"))
                    .unwrap_or_default();
                problems.push(Diagnostic::error(
                    at(),
                    format!(
                        "expected a question of questions.yaml, found `{}`{near}",
                        slide.question
                    ),
                ));
            }
            Some(q) if q.chart.is_none() => problems.push(Diagnostic::error(
                at(),
                format!(
                    "question `{}` has no chart (give it `chart:` in questions.yaml)",
                    q.id
                ),
            )),
            Some(_) => {}
        }
    }
}
