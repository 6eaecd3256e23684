//! The papers that travel with the report, as documents: the cover paper, the slides and the
//! 7-minute briefing. Each is a [`Document`] of the same parts as the report (sections of
//! paragraphs, lists, charts, tables), so the Word and web writers and every check on what
//! prints take them as they are; its own layout (`cover.typ`, `slides.typ`, `briefing.typ`)
//! sets them out. Their prose is filled as the report's is (the same figure helpers, as the
//! edition shows them), each figure recorded where it is shown, and the findings and
//! recommendations are the narrative's own.

mod briefing;
mod cover;
pub use cover::COVER_DETAILS;
mod slides;

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
use crate::input::model::{Block, SectionFile};
use crate::input::pack::PackText;
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
            let content = writer.block(block, None, &path, self.audit, self.charts);
            written.extend(content.and_then(super::writer::printing));
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
    fn findings(&mut self, place: &str) -> Vec<Finding> {
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

fn text_run(value: String) -> Inline {
    Inline::Text { text: value }
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
    let (title, cover, sections) = write(&mut paper, parsed, pack, &name)?;
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

/// The paper of `paper`'s edition's kind, written from the lead's own words in `parsed`
/// (the file `name`): its title, cover lines and sections (with no links: a paper stands
/// apart from the report).
fn write(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    pack: &PackWording,
    name: &str,
) -> Result<(String, Vec<String>, Vec<Section>), Diagnostics> {
    let edition = paper.edition;
    let (title, cover, sections) = match (&parsed.value, edition.kind) {
        (PackText::Cover(text), Kind::Cover) => {
            cover::cover_paper(paper, parsed, text, &pack.cover)
        }
        (PackText::Slides(text), Kind::Slides) => slides::slides(paper, parsed, text, &pack.slides),
        (PackText::Briefing(text), Kind::Briefing) => {
            briefing::briefing(paper, parsed, text, &pack.briefing)
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
    Ok((title, cover, sections))
}

/// A finding as a paper prints it: its title, its words, its challenges' items.
type Finding = (String, Vec<Inline>, Vec<Vec<Inline>>);

/// Each finding as a list item: its title in bold, then its words (the cover paper's and the
/// slides' list of findings).
fn finding_items(findings: &[Finding]) -> Vec<Vec<Inline>> {
    findings
        .iter()
        .map(|(title, runs, _)| {
            let mut item = vec![Inline::Strong {
                text: format!("{title}: "),
            }];
            item.extend(runs.iter().cloned());
            item
        })
        .collect()
}
