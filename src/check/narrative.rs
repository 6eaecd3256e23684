//! The narrative, the neighbour table and the editions checked: what they name exists,
//! labels are ids, a suppressed edition shows nothing that gives a single return away, and
//! no paragraph or bullet of the narrative or a paper is blank.

use super::{id_problem, parse_date};
use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::edition::Edition;
use crate::input::Parsed;
use crate::input::model::{BlockKind, Neighbours, QuestionBank, SectionFile};
use std::collections::BTreeSet;

pub(super) fn unknown_question(location: Location, found: &str, bank: &QuestionBank) -> Diagnostic {
    let mut d = Diagnostic::error(
        location,
        format!("question `{found}` is not in questions.yaml"),
    );
    if let Some(near) = nearest(found, bank.questions.iter().map(|q| q.id.as_str())) {
        d = d.with_note(format!("did you mean {near}?"));
    }
    d
}

/// An error unless `value` is an ordinary number (YAML also reads `.nan` and `.inf`) of a
/// size a report's figure has.
pub(super) fn finite(value: f64, at: impl Fn() -> Location, problems: &mut Diagnostics) {
    if !value.is_finite() {
        problems.push(Diagnostic::error(
            at(),
            format!("expected a number, found `{value}`"),
        ));
    } else if value.abs() > 1e12 {
        // (as read: a figure this large may already have lost its last digits, so it is
        // shown in powers of ten rather than as digits it was not written with)
        problems.push(Diagnostic::error(
            at(),
            format!("expected a number no larger than a million million (1e12), found `{value:e}`"),
        ));
    }
}

/// A fact of `audit.yaml`: a number, and where it is a count, a whole one of zero or more
/// (a count is withheld or shown by the small-number rule and spelt out in words: a
/// negative or a part of one is a slip).
pub(super) fn check_fact(
    name: &str,
    fact: &crate::input::model::Fact,
    at: impl Fn() -> Location,
    problems: &mut Diagnostics,
) {
    finite(fact.value, &at, problems);
    let whole = fact.value >= 0.0 && fact.value.fract() == 0.0;
    if fact.count && fact.value.is_finite() && !whole {
        problems.push(
            Diagnostic::error(
                at(),
                format!(
                    "fact `{name}` is a count (of children, families, people or returns): expected a whole number of zero or more, found `{}`",
                    fact.value
                ),
            )
            .with_note("if it counts nothing (a rate, an average, a change, a period), give it `count: false`"),
        );
    }
}

pub(super) fn check_neighbours(neighbours: &Parsed<Neighbours>, problems: &mut Diagnostics) {
    let table = &neighbours.value;
    let source = &neighbours.source;
    for (r, row) in table.rows.iter().enumerate() {
        finite(
            row.value.number,
            || source.locate(&["rows", &r.to_string(), "value"]),
            problems,
        );
    }
    finite(
        table.england.number,
        || source.locate(&["england"]),
        problems,
    );
    finite(
        table.this_authority.value.number,
        || source.locate(&["this_authority", "value"]),
        problems,
    );
    if let Some(stated) = &table.stated_average {
        finite(
            stated.number,
            || source.locate(&["stated_average"]),
            problems,
        );
    }
    if table.rows.is_empty() {
        problems.push(Diagnostic::error(
            neighbours.source.locate(&["rows"]),
            "expected at least one neighbour, found none",
        ));
        return;
    }
    if let Some(stated) = &table.stated_average {
        let mean = table.mean();
        if (round1(mean) - stated.number).abs() > 0.05 {
            problems.push(
                Diagnostic::error(
                    neighbours.source.locate(&["stated_average"]),
                    format!(
                        "stated average {} does not match the mean of the rows, {:.1} ({mean:.2})",
                        stated.text,
                        round1(mean)
                    ),
                )
                .with_note("correct the rows or the stated average"),
            );
        }
    }
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(super) fn check_narrative(
    sections: &[Parsed<SectionFile>],
    bank: &QuestionBank,
    has_neighbours: bool,
    problems: &mut Diagnostics,
) {
    for Parsed { value, source } in sections {
        // Labels become cross-reference targets and the layout's labels.
        let mut labels: Vec<(Vec<String>, &str)> = Vec::new();
        labels.extend(value.id.as_deref().map(|id| (vec!["id".to_string()], id)));
        for (s, sub) in value.subsections.iter().enumerate() {
            labels.extend(
                sub.id
                    .as_deref()
                    .map(|id| (vec!["subsections".into(), s.to_string(), "id".into()], id)),
            );
        }
        for (a, appendix) in value.appendices.iter().enumerate() {
            labels.push((
                vec!["appendices".into(), a.to_string(), "id".into()],
                appendix.id.as_str(),
            ));
        }
        for (path, id) in labels {
            if let Some(problem) = id_problem("section", id) {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                problems.push(Diagnostic::error(source.locate(&path), problem));
            }
        }
        for (s, sub) in value.subsections.iter().enumerate() {
            for (b, block) in sub.blocks.iter().enumerate() {
                let at =
                    || source.locate(&["subsections", &s.to_string(), "blocks", &b.to_string()]);
                match &block.kind {
                    BlockKind::Question(id) if !bank.questions.iter().any(|q| &q.id == id) => {
                        problems.push(unknown_question(at(), id, bank));
                    }
                    BlockKind::Table(name) | BlockKind::Chart(name) if name != "neighbours" => {
                        problems.push(Diagnostic::error(
                            at(),
                            format!("unknown table `{name}`; expected `neighbours`"),
                        ));
                    }
                    BlockKind::Table(_) | BlockKind::Chart(_) if !has_neighbours => {
                        problems.push(Diagnostic::error(at(), "the narrative shows the neighbour table but the audit has no neighbours.yaml"));
                    }
                    _ => {}
                }
            }
        }
        for (a, appendix) in value.appendices.iter().enumerate() {
            if let Some(kind) = &appendix.generated
                && !matches!(
                    kind.as_str(),
                    "question-bank" | "cases" | "agencies" | "comments" | "action-plan"
                )
            {
                problems.push(Diagnostic::error(
                    source.locate(&["appendices", &a.to_string(), "generated"]),
                    format!("cannot generate `{kind}`; expected `question-bank`, `cases`, `agencies`, `comments` or `action-plan`"),
                ));
            }
        }
    }
}

/// Every label the narrative defines for sections, sub-sections and appendices.
pub(super) fn part_labels(sections: &[Parsed<SectionFile>]) -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    for Parsed { value, .. } in sections {
        labels.extend(value.id.clone());
        labels.extend(value.subsections.iter().filter_map(|s| s.id.clone()));
        labels.extend(value.appendices.iter().map(|a| a.id.clone()));
    }
    labels
}

/// An edition that withholds small numbers needs a threshold that withholds something, and
/// cannot carry the lead's views: a page per case or agency, or the comments, show single
/// returns, which no suppression can make safe to publish.
pub(super) fn check_suppression(
    edition: &Edition,
    below: u32,
    sections: &[Parsed<SectionFile>],
    source: &crate::input::Source,
    i: &str,
    problems: &mut Diagnostics,
) {
    // Below 3, a withheld count could only be 1, and a reader would know it.
    if below < 3 {
        problems.push(Diagnostic::error(
            source.locate(&["editions", i, "suppress_below"]),
            format!("expected `suppress_below` of 3 or more (counts from 1 to one less are withheld), found {below}"),
        ));
    }
    // (a cover paper, slides or briefing prints no appendix of the narrative)
    let report = edition.kind == crate::edition::Kind::Report;
    for Parsed { value, .. } in sections.iter().filter(|_| report) {
        if !edition.includes(value.id.as_deref()) {
            continue;
        }
        for appendix in &value.appendices {
            let single_returns = matches!(
                appendix.generated.as_deref(),
                Some("cases" | "agencies" | "comments")
            );
            if single_returns && edition.includes(Some(&appendix.id)) {
                problems.push(
                    Diagnostic::error(
                        source.locate(&["editions", i, "suppress_below"]),
                        format!(
                            "edition `{}` withholds small numbers but includes appendix `{}`, which shows single returns",
                            edition.id, appendix.id
                        ),
                    )
                    .with_note(format!("add `{}` to the edition's `exclude`", appendix.id)),
                );
            }
        }
    }
}

pub(super) fn check_editions(
    parsed: &Parsed<crate::edition::EditionList>,
    sections: &[Parsed<SectionFile>],
    problems: &mut Diagnostics,
) -> Vec<Edition> {
    let source = &parsed.source;
    let editions = &parsed.value.editions;
    if editions.is_empty() {
        problems.push(Diagnostic::error(
            source.locate(&["editions"]),
            "expected at least one edition, found none",
        ));
    }
    let labels = part_labels(sections);
    let mut ids = BTreeSet::new();
    for (index, edition) in editions.iter().enumerate() {
        let i = index.to_string();
        let at = |keys: &[&str]| {
            let mut path = vec!["editions", i.as_str()];
            path.extend(keys);
            source.locate(&path)
        };
        check_edition_id(edition, &mut ids, &at, problems);
        check_edition_date_and_formats(edition, &at, problems);
        if let Some(below) = edition.suppress_below {
            check_suppression(edition, below, sections, source, &i, problems);
        }
        check_exclude(edition, &labels, &at, problems);
    }
    check_block_editions(editions, sections, problems);
    editions.clone()
}

/// An edition's id is one, used once, and not the records' folder's.
fn check_edition_id(
    edition: &Edition,
    ids: &mut BTreeSet<String>,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    if !ids.insert(edition.id.to_lowercase()) {
        problems.push(Diagnostic::error(
            at(&["id"]),
            format!("edition id `{}` is used twice", edition.id),
        ));
    }
    if let Some(problem) = id_problem("edition", &edition.id) {
        problems.push(Diagnostic::error(
            at(&["id"]),
            format!("{problem} (it becomes a folder and file name)"),
        ));
    }
    // The internal records' folder sits beside the editions' (out/records/): an edition of
    // that id would publish them, unsuppressed, in its folder.
    if edition.id.eq_ignore_ascii_case(crate::edition::RECORDS) {
        problems.push(Diagnostic::error(
            at(&["id"]),
            format!(
                "edition id `{}` is reserved: `{}/` holds the internal build records, with every figure unsuppressed; choose another id",
                edition.id,
                crate::edition::RECORDS
            ),
        ));
    }
    // (nor the lead's working files: `template --per-agency` writes agencies' workbooks there)
    if crate::edition::WORKING_FILES
        .iter()
        .any(|w| edition.id.eq_ignore_ascii_case(w))
    {
        problems.push(Diagnostic::error(
            at(&["id"]),
            format!(
                "edition id `{}` is reserved: `{}/` in the output folder holds the lead's working files (the collection workbooks, the tracking workbook); choose another id",
                edition.id, edition.id
            ),
        ));
    }
}

/// An edition's date is a date, and its formats are given, each once.
fn check_edition_date_and_formats(
    edition: &Edition,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    if let Some(date) = &edition.date
        && parse_date(date).is_none()
    {
        problems.push(Diagnostic::error(at(&["date"]), super::date_problem(date)));
    }
    if edition.formats.is_empty() {
        problems.push(Diagnostic::error(
            at(&["formats"]),
            "expected at least one of pdf, docx, html, found none",
        ));
    }
    for (f, format) in edition.formats.iter().enumerate() {
        if edition.formats[..f].contains(format) {
            problems.push(Diagnostic::error(
                at(&["formats", &f.to_string()]),
                format!("format `{}` is listed twice", format.extension()),
            ));
        }
    }
}

/// Each part an edition leaves out is a section, sub-section or appendix of the narrative.
fn check_exclude(
    edition: &Edition,
    labels: &BTreeSet<String>,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    for (e, label) in edition.exclude.iter().enumerate() {
        if !labels.contains(label) {
            let mut d = Diagnostic::error(
                at(&["exclude", &e.to_string()]),
                format!(
                    "edition `{}` leaves out `{label}`, but no section, sub-section or appendix has that id",
                    edition.id
                ),
            );
            if let Some(near) = nearest(label, labels.iter().map(String::as_str)) {
                d = d.with_note(format!("did you mean {near}?"));
            }
            problems.push(d);
        }
    }
}

/// Every edition a narrative block is limited to (`editions: [...]`) is declared.
fn check_block_editions(
    editions: &[Edition],
    sections: &[Parsed<SectionFile>],
    problems: &mut Diagnostics,
) {
    for Parsed { value, source } in sections {
        let blocks = value.subsections.iter().enumerate().flat_map(|(s, sub)| {
            sub.blocks.iter().enumerate().map(move |(b, block)| {
                (
                    vec![
                        "subsections".to_string(),
                        s.to_string(),
                        "blocks".into(),
                        b.to_string(),
                    ],
                    block,
                )
            })
        });
        let appendix_blocks = value.appendices.iter().enumerate().flat_map(|(a, app)| {
            app.blocks.iter().enumerate().map(move |(b, block)| {
                (
                    vec![
                        "appendices".to_string(),
                        a.to_string(),
                        "blocks".into(),
                        b.to_string(),
                    ],
                    block,
                )
            })
        });
        for (path, block) in blocks.chain(appendix_blocks) {
            for id in &block.editions {
                if !editions.iter().any(|e| &e.id == id) {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    let mut problem = Diagnostic::error(
                        source.locate(&path),
                        format!("block names edition `{id}`, which editions.yaml does not declare"),
                    );
                    if let Some(near) = crate::edition::nearest(id, editions) {
                        problem = problem.with_note(format!("did you mean {near}?"));
                    }
                    problems.push(problem);
                }
            }
        }
    }
}

/// Prose with nothing to print (blank, or only spaces and invisible characters, as a cell
/// pasted from elsewhere may be) would print as a paragraph number, a bullet or a heading
/// with nothing after it: said, not printed silently.
pub(super) fn check_blank_prose(
    sections: &[Parsed<SectionFile>],
    pack: &[crate::input::pack::PackFile],
    problems: &mut Diagnostics,
) {
    use crate::input::pack::PackText;
    let narrative = sections.iter().map(|p| (&p.source, None, p.value.prose()));
    let papers = (pack.iter()).map(|f| {
        (
            &f.parsed.source,
            Some(&f.parsed.value),
            f.parsed.value.prose(),
        )
    });
    for (source, paper, prose) in narrative.chain(papers) {
        for (path, text) in prose {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            // (a cover paper's `asked` and implications are said in their own words)
            let own_words = matches!(paper, Some(PackText::Cover(_)))
                && matches!(path.first(), Some(&("asked" | "implications")));
            if crate::input::pack::shows_something_as_written(text) || own_words {
                continue;
            }
            let slides = matches!(paper, Some(PackText::Slides(_)));
            problems.push(Diagnostic::warning(
                source.locate(&path),
                format!(
                    "expected words, found nothing: {}",
                    printed_empty(&path, slides)
                ),
            ));
        }
    }
}

/// What a piece of prose at `path` prints as when it is empty (of `slides`: their
/// `questions` are bullets; a briefing's are blocks).
fn printed_empty(path: &[&str], slides: bool) -> &'static str {
    match path {
        ["footnotes", ..] => "it would print as an empty footnote",
        ["references", ..] => "it would print as an empty reference",
        ["findings", _, "text"] => "it would print as a finding with no words",
        ["questions", _] if slides => "it would print as an empty bullet",
        ["findings", _, "challenge", _] => "it would print as an empty bullet",
        // (the writer leaves out a block's paragraph or bullet with nothing to print)
        [.., "list", _] => "the bullet is left out of the report",
        _ => "the paragraph is left out of the report",
    }
}
