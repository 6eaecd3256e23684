//! The cover paper: its details, what the board is asked to do, the summary, the key
//! findings and the report's recommendations (the narrative's own), risks, implications and
//! background papers.

use super::{CoverWording, Paper, footnotes_file, paragraph, section, text_run};
use crate::document::prose::Inline;
use crate::document::{Content, Section};
use crate::input::Parsed;
use crate::input::model::SectionFile;
use crate::input::pack::{CoverText, IMPLICATIONS, PackText, shows_something};

/// The label of a cover paper's details section, which the layouts set as a table of label
/// and value rather than under its heading.
pub const COVER_DETAILS: &str = "details";

/// The cover paper: its details, what the board is asked to do, the summary, the key
/// findings and the report's recommendations (the narrative's), risks, implications and
/// background papers.
pub(super) fn cover_paper(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &CoverText,
    words: &CoverWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let heading = |key: &str| words.headings.get(key).cloned().unwrap_or_default();
    let title = paper.audit.info.title.clone();
    let cover = paper.lines(&words.lines);
    let details = details(paper, text, words);
    let mut sections = vec![section(
        words.details_heading.clone(),
        COVER_DETAILS,
        details,
    )];
    let place = heading("asked");
    let asked = asked(paper, parsed, &file, text, words, &place);
    sections.push(section(place, "asked", asked));
    let place = heading("summary");
    let summary = paper.blocks(parsed, &file, &["summary"], &text.summary, &place);
    sections.push(section(place, "summary", summary));
    let place = heading("findings");
    let findings = paper.findings(&place);
    let items = super::finding_items(&findings);
    // (a narrative without findings yet, a next round's, has neither list)
    if !findings.is_empty() {
        sections.push(section(place, "findings", vec![Content::List { items }]));
        let recommendations = findings.into_iter().flat_map(|(_, _, c)| c).collect();
        sections.push(section(
            heading("recommendations"),
            "recommendations",
            vec![Content::List {
                items: recommendations,
            }],
        ));
    }
    if !text.risks.is_empty() {
        let place = heading("risks");
        let risks = paper.blocks(parsed, &file, &["risks"], &text.risks, &place);
        sections.push(section(place, "risks", risks));
    }
    let place = heading("implications");
    let implications = implications(paper, parsed, &file, text, words, &place);
    if !implications.is_empty() {
        sections.push(section(place, "implications", implications));
    }
    if !text.background_papers.is_empty() {
        let place = heading("background_papers");
        let papers = paper.blocks(
            parsed,
            &file,
            &["background_papers"],
            &text.background_papers,
            &place,
        );
        sections.push(section(place, "background-papers", papers));
    }
    (title, cover, sections)
}

/// The paper's details, a labelled line each: to whom, the meeting's date in words, the
/// agenda item, of whom (the report's author and role unless the lead names another), the
/// contact and the purpose; a detail not given has no line.
fn details(paper: &Paper, text: &CoverText, words: &CoverWording) -> Vec<Content> {
    let meeting = crate::check::parse_date(&text.meeting)
        .map(|date| format!("{} {}", date.day(), crate::document::date_text(date)))
        .unwrap_or_else(|| text.meeting.clone());
    let info = &paper.audit.info;
    let report_of = text
        .report_of
        .clone()
        .filter(|given| shows_something(given))
        .unwrap_or_else(|| match info.author_role.trim() {
            "" => info.author.clone(),
            role => format!("{}, {role}", info.author),
        });
    let purpose = words.purposes.get(text.purpose.name()).cloned();
    [
        ("report_to", Some(text.report_to.clone())),
        ("meeting", Some(meeting)),
        ("agenda_item", text.agenda_item.clone()),
        ("report_of", Some(report_of)),
        ("contact", text.contact.clone()),
        ("purpose", purpose),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        let label = words.details.get(key).cloned().unwrap_or_default();
        Some(paragraph(vec![
            Inline::Strong {
                text: format!("{label}: "),
            },
            // (a detail given as nothing, `agenda_item: ''`, is not given)
            text_run(value.filter(|v| shows_something(v))?),
        ]))
    })
    .collect()
}

/// What the board is asked to do: the standard words naming the board, then the lead's
/// list.
fn asked(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    file: &SectionFile,
    text: &CoverText,
    words: &CoverWording,
    place: &str,
) -> Vec<Content> {
    let intro = paper.fill(
        &words.asked,
        serde_json::json!({ "report_to": text.report_to }),
    );
    let items = (text.asked.iter().enumerate())
        .map(|(i, item)| paper.prose(parsed, file, &["asked", &i.to_string()], item, place))
        .collect();
    vec![paragraph(vec![text_run(intro)]), Content::List { items }]
}

/// The implications the lead wrote, a labelled paragraph each, in the order the board's
/// papers list them.
fn implications(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    file: &SectionFile,
    text: &CoverText,
    words: &CoverWording,
    place: &str,
) -> Vec<Content> {
    IMPLICATIONS
        .iter()
        .filter_map(|key| {
            let said = text.implications.get(*key)?;
            let label = words.implications.get(*key).cloned().unwrap_or_default();
            let mut runs = vec![Inline::Strong {
                text: format!("{label}: "),
            }];
            runs.extend(paper.prose(parsed, file, &["implications", key], said, place));
            Some(paragraph(runs))
        })
        .collect()
}
