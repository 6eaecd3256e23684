//! The papers that travel with the report, as documents: the cover paper, the slides and the
//! 7-minute briefing. Each is a [`Document`] of the same parts as the report (sections of
//! paragraphs, lists, charts, tables), so the Word and web writers and every check on what
//! prints take them as they are; its own layout (`cover.typ`, `slides.typ`, `briefing.typ`)
//! sets them out. Their prose is filled as the report's is (the same figure helpers, as the
//! edition shows them), each figure recorded where it is shown, and the findings and
//! recommendations are the narrative's own.

use super::numbering::{Numbers, References, collect_labels};
use super::prose::{Inline, Prose};
use super::writer::Writer;
use super::{Content, Document, Filler, Section, edition_info};
use crate::chart::Chart;
use crate::check::Audit;
use crate::collate::Stats;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::figures::Figures;
use crate::edition::{Edition, Kind};
use crate::input::model::{Block, BlockKind, SectionFile};
use crate::input::pack::{BriefingText, CoverText, IMPLICATIONS, PackText, SlidesText};
use crate::input::{Parsed, Source};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The standard wording of the papers (`report-templates/pack.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackWording {
    /// The cover paper's.
    pub cover: CoverWording,
    /// The slides'.
    pub slides: SlidesWording,
    /// The briefing's.
    pub briefing: BriefingWording,
}

/// The cover paper's words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverWording {
    /// Lines under the title.
    pub lines: Vec<String>,
    /// Each detail's label, by its key in `cover.yaml`.
    pub details: BTreeMap<String, String>,
    /// The heading over the details.
    pub details_heading: String,
    /// Each purpose's words.
    pub purposes: BTreeMap<String, String>,
    /// "The {{report_to}} is asked to:".
    pub asked: String,
    /// Each part's heading.
    pub headings: BTreeMap<String, String>,
    /// Each implication's label.
    pub implications: BTreeMap<String, String>,
}

/// The slides' words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlidesWording {
    /// Lines under the title.
    pub lines: Vec<String>,
    /// The scope slide's heading.
    pub scope_title: String,
    /// Its lines: prose with figures.
    pub scope: Vec<String>,
    /// The findings' heading.
    pub findings_title: String,
    /// A heading carried over slides, over `title`, `number` and `of`.
    pub continued: String,
    /// The recommendations' heading.
    pub recommendations_title: String,
    /// The action plan's heading.
    pub actions_title: String,
    /// Its columns; the last is the status.
    pub actions_header: Vec<String>,
    /// The questions' heading.
    pub questions_title: String,
}

/// The briefing's words.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefingWording {
    /// Its title, where the file gives none.
    pub title: String,
    /// Lines under the title.
    pub lines: Vec<String>,
    /// A part's heading, over `number` and `title`.
    pub part_heading: String,
    /// Each part's title, by its key.
    pub parts: BTreeMap<String, String>,
}

/// Reads `pack.yaml` text.
pub fn parse_pack_wording(source: &Source) -> Result<PackWording, Diagnostic> {
    crate::input::parse_str(source)
}

/// What every paper's parts are written with.
struct Paper<'a> {
    audit: &'a Audit,
    charts: &'a [Chart],
    edition: &'a Edition,
    filler: &'a Filler<'a>,
    prose: &'a Prose<'a>,
    references: &'a References<'a>,
    /// What the standard wording fills in: audit.yaml's fields, `date_text`, the edition.
    info: serde_json::Value,
    problems: Diagnostics,
    shown_in: BTreeMap<String, std::collections::BTreeSet<String>>,
    printed: Vec<super::Printed>,
}

impl<'a> Paper<'a> {
    /// A writer of `file` (narrative, or the paper's own) at `place`.
    fn writer<'w>(&self, source: &'w Source, file: &'w SectionFile, place: &str) -> Writer<'w>
    where
        'a: 'w,
    {
        Writer {
            filler: self.filler,
            prose: self.prose,
            references: self.references,
            source,
            file,
            problems: Diagnostics::default(),
            place: place.to_string(),
            chart_tables: self.edition.chart_tables,
            intervals: self.edition.intervals,
            shown_in: BTreeMap::new(),
            printed: Vec::new(),
        }
    }

    /// What a writer found and wrote, kept.
    fn keep(&mut self, writer: Writer) {
        self.problems.extend(writer.problems);
        for (key, places) in writer.shown_in {
            self.shown_in.entry(key).or_default().extend(places);
        }
        self.printed.extend(writer.printed);
    }

    /// A standard wording line over the paper's `info` (and `extra`); a failure is a
    /// problem and leaves it empty.
    fn fill(&mut self, template: &str, extra: serde_json::Value) -> String {
        let data = super::merge(self.info.clone(), extra);
        self.filler.fill(template, &data).unwrap_or_else(|d| {
            self.problems.push(d);
            String::new()
        })
    }

    /// Lines filled in, those that fill to nothing left out.
    fn lines(&mut self, templates: &[String]) -> Vec<String> {
        templates
            .iter()
            .map(|t| self.fill(t, serde_json::json!({})))
            .filter(|l| !l.trim().is_empty())
            .collect()
    }

    /// `blocks` of the paper's own file at `key`, written as the edition shows them.
    fn blocks(
        &mut self,
        parsed: &Parsed<PackText>,
        file: &SectionFile,
        key: &[&str],
        blocks: &[Block],
        place: &str,
    ) -> Vec<Content> {
        let mut writer = self.writer(&parsed.source, file, place);
        let mut written = Vec::new();
        for (b, block) in blocks.iter().enumerate() {
            if !self.edition.shows(&block.editions) {
                continue;
            }
            let mut path: Vec<String> = key.iter().map(|k| k.to_string()).collect();
            path.push(b.to_string());
            written.extend(writer.block(block, None, &path, self.audit, self.charts));
        }
        self.keep(writer);
        written
    }

    /// One piece of the paper's own prose at `path`.
    fn prose(
        &mut self,
        parsed: &Parsed<PackText>,
        file: &SectionFile,
        path: &[&str],
        text: &str,
        place: &str,
    ) -> Vec<Inline> {
        let mut writer = self.writer(&parsed.source, file, place);
        let path: Vec<String> = path.iter().map(|k| k.to_string()).collect();
        let runs = writer.inline(text, &path);
        self.keep(writer);
        runs
    }

    /// Each finding of the narrative (its number, its text) and its challenge, as the
    /// report prints them, recorded at `place`.
    fn findings(&mut self, place: &str) -> Vec<(String, Vec<Inline>, Vec<Vec<Inline>>)> {
        let audit = self.audit;
        let numbers = Numbers::new(audit, self.edition);
        let mut found = Vec::new();
        for (section, numbers) in audit.sections.iter().zip(&numbers.sections) {
            let mut writer = self.writer(&section.source, &section.value, place);
            for (f, (finding, number)) in section
                .value
                .findings
                .iter()
                .zip(&numbers.findings)
                .enumerate()
            {
                let Some(number) = number else { continue };
                let at = |key: &str| vec!["findings".to_string(), f.to_string(), key.to_string()];
                let runs = writer.inline(&finding.text, &at("text"));
                let challenge = (finding.challenge.iter().enumerate())
                    .map(|(c, text)| {
                        let mut path = at("challenge");
                        path.push(c.to_string());
                        writer.inline(text, &path)
                    })
                    .collect();
                let title = writer.fill(
                    &self.filler.wording.finding_title,
                    &serde_json::json!({ "number": number }),
                );
                found.push((title, runs, challenge));
            }
            self.keep(writer);
        }
        found
    }

    /// A line of the standard wording naming figures (`{{total "returns"}}`), filled as
    /// prose is, recorded at `place`.
    fn figures_line(&mut self, template: &str, place: &str) -> String {
        self.prose.take_used();
        let filled = self.prose.fill(template).unwrap_or_else(|problems| {
            for p in problems {
                self.problems.push(Diagnostic::general(format!(
                    "wording template `{template}` (pack.yaml): {}",
                    p.message
                )));
            }
            String::new()
        });
        for key in self.prose.take_used() {
            self.shown_in
                .entry(key)
                .or_default()
                .insert(place.to_string());
        }
        filled
    }
}

/// A section of the paper.
fn section(heading: String, label: &str, blocks: Vec<Content>) -> Section {
    Section {
        heading,
        label: Some(label.to_string()),
        new_page: false,
        blocks,
    }
}

fn paragraph(runs: Vec<Inline>) -> Content {
    Content::Paragraph { number: None, runs }
}

/// A cross-reference printed as its text: a paper has none of the report's parts to point
/// to (its layouts print no links).
fn without_links(runs: Vec<Inline>) -> Vec<Inline> {
    runs.into_iter()
        .map(|run| match run {
            Inline::Ref { text, .. } => Inline::Text { text },
            Inline::Footnote { body } => Inline::Footnote {
                body: without_links(body),
            },
            other => other,
        })
        .collect()
}

fn blocks_without_links(blocks: Vec<Content>) -> Vec<Content> {
    blocks
        .into_iter()
        .map(|block| match block {
            Content::Paragraph { number, runs } => Content::Paragraph {
                number,
                runs: without_links(runs),
            },
            Content::Quote { runs } => Content::Quote {
                runs: without_links(runs),
            },
            Content::List { items } => Content::List {
                items: items.into_iter().map(without_links).collect(),
            },
            other => other,
        })
        .collect()
}

/// A file of the paper's own holding only its footnotes, for the writer.
fn footnotes_file(footnotes: &BTreeMap<String, String>) -> SectionFile {
    SectionFile {
        id: None,
        title: String::new(),
        new_page: false,
        subsections: Vec::new(),
        findings: Vec::new(),
        references: Vec::new(),
        appendices: Vec::new(),
        footnotes: footnotes.clone(),
    }
}

/// The document of a cover paper, slides or briefing `edition`.
pub(super) fn build(
    audit: &Audit,
    stats: &Stats,
    charts: &[Chart],
    filler: &Filler,
    pack: &PackWording,
    edition: &Edition,
) -> Result<Document, Diagnostics> {
    let name = edition.text_file().unwrap_or_default();
    let parsed = audit
        .pack
        .iter()
        .find(|f| f.name == name)
        .map(|f| &f.parsed)
        .ok_or_else(|| Diagnostic::general(format!("`{name}` was not read")))?;
    let mut problems = Diagnostics::default();
    let numbers = Numbers::new(audit, edition);
    let labels = collect_labels(audit, &numbers, filler, &mut problems);
    let everything = collect_labels(
        audit,
        &Numbers::new(audit, &Edition::whole_report()),
        filler,
        &mut Diagnostics::default(),
    );
    let references = References {
        edition: &edition.id,
        labels: &labels,
        everything: &everything,
    };
    let prose = Prose::new(Figures::new(audit, stats, edition));
    let mut front = Diagnostics::default();
    let (date, _, header) = super::front_matter(audit, edition, filler, &mut front);
    problems.extend(front);
    let mut paper = Paper {
        audit,
        charts,
        edition,
        filler,
        prose: &prose,
        references: &references,
        info: edition_info(audit, edition, date),
        problems,
        shown_in: BTreeMap::new(),
        printed: Vec::new(),
    };
    let (title, cover, sections) = match (&parsed.value, edition.kind) {
        (PackText::Cover(text), Kind::Cover) => cover_paper(&mut paper, parsed, text, &pack.cover),
        (PackText::Slides(text), Kind::Slides) => slides(&mut paper, parsed, text, &pack.slides),
        (PackText::Briefing(text), Kind::Briefing) => {
            briefing(&mut paper, parsed, text, &pack.briefing)
        }
        _ => {
            return Err(
                Diagnostic::general(format!("`{name}` is not a {}", edition.kind.name())).into(),
            );
        }
    };
    let sections = sections
        .into_iter()
        .map(|s| Section {
            blocks: blocks_without_links(s.blocks),
            ..s
        })
        .collect();
    let Paper {
        mut problems,
        shown_in,
        printed,
        ..
    } = paper;
    let wording = filler.wording;
    let document = Document {
        kind: edition.kind,
        title,
        cover,
        header,
        marking: edition.marking.clone(),
        draft: !edition.is_final,
        contents_title: wording.contents_title.clone(),
        chart_table_header: wording.chart_table_header.clone(),
        furniture: wording.furniture.clone(),
        lang: "en".into(),
        author: audit.info.author.clone(),
        date,
        sections,
        shown_in,
        printed,
    };
    problems.sort();
    problems.into_result(document).map(|(d, _)| d)
}

/// The cover paper: its details, what the board is asked to do, the summary, the key
/// findings and the report's recommendations (the narrative's), risks, implications and
/// background papers.
fn cover_paper(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &CoverText,
    words: &CoverWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let heading = |key: &str| words.headings.get(key).cloned().unwrap_or_default();
    let title = paper.audit.info.title.clone();
    let cover = paper.lines(&words.lines);
    let meeting = crate::check::parse_date(&text.meeting)
        .map(|(y, m, d)| format!("{d} {}", super::date_text((y, m, d))))
        .unwrap_or_else(|| text.meeting.clone());
    let info = &paper.audit.info;
    let report_of = text
        .report_of
        .clone()
        .unwrap_or_else(|| match info.author_role.trim() {
            "" => info.author.clone(),
            role => format!("{}, {role}", info.author),
        });
    let purpose = words.purposes.get(text.purpose.name()).cloned();
    let details: Vec<Content> = [
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
            text_run(value?),
        ]))
    })
    .collect();
    let mut sections = vec![section(words.details_heading.clone(), "details", details)];
    let place = heading("asked");
    let intro = paper.fill(
        &words.asked,
        serde_json::json!({ "report_to": text.report_to }),
    );
    let items = (text.asked.iter().enumerate())
        .map(|(i, item)| paper.prose(parsed, &file, &["asked", &i.to_string()], item, &place))
        .collect();
    let asked = vec![paragraph(vec![text_run(intro)]), Content::List { items }];
    sections.push(section(place, "asked", asked));
    let place = heading("summary");
    let summary = paper.blocks(parsed, &file, &["summary"], &text.summary, &place);
    sections.push(section(place, "summary", summary));
    let place = heading("findings");
    let findings = paper.findings(&place);
    let items = findings
        .iter()
        .map(|(title, runs, _)| {
            let mut item = vec![Inline::Strong {
                text: format!("{title}: "),
            }];
            item.extend(runs.iter().cloned());
            item
        })
        .collect();
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
    let implications: Vec<Content> = IMPLICATIONS
        .iter()
        .filter_map(|key| {
            let said = text.implications.get(*key)?;
            let label = words.implications.get(*key).cloned().unwrap_or_default();
            let mut runs = vec![Inline::Strong {
                text: format!("{label}: "),
            }];
            runs.extend(paper.prose(parsed, &file, &["implications", key], said, &place));
            Some(paragraph(runs))
        })
        .collect();
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

fn text_run(value: String) -> Inline {
    Inline::Text { text: value }
}

/// The 7-minute briefing: its seven parts, numbered.
fn briefing(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &BriefingText,
    words: &BriefingWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let title = match &text.title {
        Some(title) => title.clone(),
        None => paper.fill(&words.title, serde_json::json!({})),
    };
    let cover = paper.lines(&words.lines);
    let mut sections = Vec::new();
    for (n, (key, blocks)) in text.parts().into_iter().enumerate() {
        let part = words.parts.get(key).cloned().unwrap_or_default();
        let heading = paper.fill(
            &words.part_heading,
            serde_json::json!({ "number": n + 1, "title": part }),
        );
        let written = paper.blocks(parsed, &file, &[key], blocks, &heading);
        sections.push(section(heading, &key.replace('_', "-"), written));
    }
    (title, cover, sections)
}

/// The slides: the scope, a slide per chart the lead picked, the findings, the
/// recommendations, the action plan where there is one, questions where there are. Each
/// section is a slide (the title slide is the layout's); a list too long for one slide
/// runs on to the next.
fn slides(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &SlidesText,
    words: &SlidesWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let mut cover: Vec<String> = text.subtitle.iter().cloned().collect();
    cover.extend(paper.lines(&words.lines));
    // (the title slide is slide 1)
    let place =
        |sections: &[Section], heading: &str| format!("slide {} ({heading})", sections.len() + 2);
    let mut sections = Vec::new();
    let at = place(&sections, &words.scope_title);
    let scope = (words.scope.iter())
        .map(|line| vec![text_run(paper.figures_line(line, &at))])
        .collect();
    sections.push(section(
        words.scope_title.clone(),
        "scope",
        vec![Content::List { items: scope }],
    ));
    for (c, slide) in text.charts.iter().enumerate() {
        let question = paper
            .audit
            .bank
            .questions
            .iter()
            .find(|q| q.id == slide.question);
        let title = question
            .and_then(|q| q.chart.as_ref())
            .map_or_else(|| slide.question.clone(), |chart| chart.title.clone());
        let at = place(&sections, &title);
        let mut blocks = Vec::new();
        if let Some(message) = &slide.message {
            let path = ["charts", &c.to_string(), "message"];
            blocks.push(paragraph(paper.prose(parsed, &file, &path, message, &at)));
        }
        let block = Block {
            kind: BlockKind::Question(slide.question.clone()),
            editions: Vec::new(),
        };
        let path = ["charts", &c.to_string(), "question"];
        blocks.extend(paper.blocks(parsed, &file, &path[..2], std::slice::from_ref(&block), &at));
        sections.push(section(title, &format!("chart-{}", slide.question), blocks));
    }
    let at = place(&sections, &words.findings_title);
    let findings = paper.findings(&at);
    let items: Vec<Vec<Inline>> = findings
        .iter()
        .map(|(title, runs, _)| {
            let mut item = vec![Inline::Strong {
                text: format!("{title}: "),
            }];
            item.extend(runs.iter().cloned());
            item
        })
        .collect();
    let recommendations: Vec<Vec<Inline>> = findings.into_iter().flat_map(|(_, _, c)| c).collect();
    for (title, label, items) in [
        (&words.findings_title, "findings", items),
        (
            &words.recommendations_title,
            "recommendations",
            recommendations,
        ),
    ] {
        let runs = run_on(items, 650);
        let of = runs.len();
        for (n, items) in runs.into_iter().enumerate() {
            let heading = if of > 1 {
                paper.fill(
                    &words.continued,
                    serde_json::json!({ "title": title, "number": n + 1, "of": of }),
                )
            } else {
                title.clone()
            };
            sections.push(section(
                heading,
                &format!("{label}-{}", n + 1),
                vec![Content::List { items }],
            ));
        }
    }
    let rows = action_rows(paper);
    let of = rows.len().div_ceil(6);
    for (n, rows) in rows.chunks(6).enumerate() {
        let heading = if of > 1 {
            paper.fill(
                &words.continued,
                serde_json::json!({ "title": words.actions_title, "number": n + 1, "of": of }),
            )
        } else {
            words.actions_title.clone()
        };
        let plan = Content::ActionPlan {
            caption: String::new(),
            header: words.actions_header.clone(),
            rows: rows.to_vec(),
        };
        sections.push(section(heading, &format!("actions-{}", n + 1), vec![plan]));
    }
    if !text.questions.is_empty() {
        let at = place(&sections, &words.questions_title);
        let items = (text.questions.iter().enumerate())
            .map(|(q, item)| paper.prose(parsed, &file, &["questions", &q.to_string()], item, &at))
            .collect();
        sections.push(section(
            words.questions_title.clone(),
            "questions",
            vec![Content::List { items }],
        ));
    }
    (paper.audit.info.title.clone(), cover, sections)
}

/// `items` in runs of about `budget` characters each, a slide's worth: an item never split,
/// each run at least one item.
fn run_on(items: Vec<Vec<Inline>>, budget: usize) -> Vec<Vec<Vec<Inline>>> {
    let mut runs: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut used = 0;
    for item in items {
        let size = super::printed_text(&item).chars().count();
        match runs.last_mut() {
            Some(run) if used + size <= budget => run.push(item),
            _ => {
                runs.push(vec![item]);
                used = 0;
            }
        }
        used += size;
    }
    runs
}

/// Every action of the narrative's findings: what, when, and where it stands (in words, and
/// as a colour), its words recorded for the guard.
fn action_rows(paper: &mut Paper) -> Vec<super::ActionRow> {
    use crate::input::model::ActionStatus;
    let statuses = &paper.filler.wording.action_plan.statuses;
    let mut rows = Vec::new();
    for section in &paper.audit.sections {
        for (f, finding) in section.value.findings.iter().enumerate() {
            for (a, action) in finding.actions.iter().enumerate() {
                paper.printed.push(super::Printed {
                    file: section.source.path.clone(),
                    path: [
                        "findings",
                        &f.to_string(),
                        "actions",
                        &a.to_string(),
                        "what",
                    ]
                    .map(String::from)
                    .to_vec(),
                    text: action.what.clone(),
                });
                let id = action.status.id();
                rows.push(super::ActionRow {
                    cells: vec![action.what.clone(), action.due.clone()],
                    status: statuses.get(id).cloned().unwrap_or_else(|| id.to_string()),
                    rag: match action.status {
                        ActionStatus::NotStarted => "red",
                        ActionStatus::AtRisk => "amber",
                        ActionStatus::OnTrack => "green",
                        ActionStatus::Done => "grey",
                    },
                });
            }
        }
    }
    rows
}
