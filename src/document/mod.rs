//! Template: &[`Audit`], &[`Stats`], &[`Chart`] → [`Document`], the report as plain data.
//!
//! Here the structure gets its numbers (sections, sub-sections, paragraphs 1.1.1, findings,
//! appendices), the prose gets its figures (Handlebars, see `prose`), and the standard wording
//! around them (headings, captions, the cover) is filled from `report-templates/wording.yaml`.
//! The result is serialised to JSON and handed to the static Typst layout
//! (`report-templates/report.typ`), which reads it as values: user text is never markup.

pub mod literals;
pub mod prose;
mod views;
pub mod words;
use crate::check::Audit;
use crate::collate::Stats;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::prose::{Figures, Inline, Prose, parse_inline};
use crate::edition::Edition;
use crate::input::model::{Block, BlockKind, QuestionKind, SectionFile};
use crate::input::{Parsed, Source};
use crate::render::chart::Chart;
use handlebars::Handlebars;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The report, ready for the layout.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// The report's title.
    pub title: String,
    /// Cover lines under the title, in order (board, author, date, audience).
    pub cover: Vec<String>,
    /// The running header.
    pub header: String,
    /// Protective marking for header and footer, if any.
    pub marking: Option<String>,
    /// Whether the edition is a draft (a DRAFT watermark on every page).
    pub draft: bool,
    /// The heading of the contents page.
    pub contents_title: String,
    /// Column headings of a chart's table of figures.
    pub chart_table_header: Vec<String>,
    /// The document's language, for hyphenation and PDF metadata.
    pub lang: String,
    /// The report's author, for PDF metadata.
    pub author: String,
    /// The report's date (year, month, day).
    pub date: (i32, u8, u8),
    /// The sections, in order.
    pub sections: Vec<Section>,
    /// Where each figure is shown: measure id (`q1.c`) or total (`total:returns`) → places
    /// ("paragraph 3.1.1", "chart q1"). Kept for the build record, not typeset.
    #[serde(skip)]
    pub shown_in: BTreeMap<String, BTreeSet<String>>,
    /// Every piece of narrative prose as printed (runs joined, footnotes after), with the file
    /// and key path it was written at: what the personal data guard reads. Not typeset.
    #[serde(skip)]
    pub printed: Vec<Printed>,
}

/// A piece of prose as printed, and where it was written.
#[derive(Debug, Clone)]
pub struct Printed {
    /// The narrative file.
    pub file: std::path::PathBuf,
    /// The key path of the value inside it.
    pub path: Vec<String>,
    /// The text as printed.
    pub text: String,
}

/// The text of `runs` as a reader sees it; footnotes follow, each on a line of its own.
pub fn printed_text(runs: &[Inline]) -> String {
    let mut text = String::new();
    let mut notes = Vec::new();
    for run in runs {
        match run {
            Inline::Text { text: t } | Inline::Strong { text: t } | Inline::Emph { text: t } => {
                text.push_str(t)
            }
            Inline::Ref { text: t, .. } => text.push_str(t),
            Inline::Footnote { body } => notes.push(printed_text(body)),
        }
    }
    for note in notes {
        text.push('\n');
        text.push_str(&note);
    }
    text
}

/// A numbered section.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Its heading with number ("Section 3: Analysis of thematic findings").
    pub heading: String,
    /// Its cross-reference label.
    pub label: Option<String>,
    /// Its content.
    pub blocks: Vec<Content>,
}

/// A piece of laid-out content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Content {
    /// A sub-section or appendix heading.
    Subheading {
        /// The heading with its number.
        text: String,
        /// Its cross-reference label.
        label: Option<String>,
    },
    /// A paragraph, numbered ("3.1.1") or not.
    Paragraph {
        /// The number, if numbered.
        number: Option<String>,
        /// The text.
        runs: Vec<Inline>,
    },
    /// A bullet list.
    List {
        /// One item each.
        items: Vec<Vec<Inline>>,
    },
    /// A quotation.
    Quote {
        /// The text.
        runs: Vec<Inline>,
    },
    /// A question of the template with its chart.
    Question {
        /// The question's wording.
        text: String,
        /// Its items or options, when the chart does not show them in full.
        choices: Vec<String>,
        /// Its chart, when charted.
        chart: Option<Figure>,
        /// The chart's figures as table rows (label, returns, per cent), when the edition
        /// asks for tables.
        table: Option<Vec<[String; 3]>>,
    },
    /// A table.
    Table {
        /// Caption.
        caption: String,
        /// Column headings.
        header: Vec<String>,
        /// Body rows.
        rows: Vec<Vec<String>>,
        /// Summary rows set apart at the foot (average).
        footer: Vec<Vec<String>>,
        /// A footnote on the caption.
        note: Option<String>,
    },
    /// A chart that belongs to no question.
    Chart {
        /// The chart.
        figure: Figure,
    },
    /// A finding and its challenge.
    Finding {
        /// "Finding 1".
        title: String,
        /// Its label.
        label: String,
        /// The finding.
        runs: Vec<Inline>,
        /// "Challenge for CESCB".
        challenge_title: String,
        /// The challenge, one bullet each.
        challenge: Vec<Vec<Inline>>,
    },
    /// A minor heading that starts a new page (one case of the case summaries).
    PageHeading {
        /// The heading.
        text: String,
        /// Whether it starts a new page (every case but the first).
        new_page: bool,
    },
    /// A question of the template as agencies saw it (the template appendix).
    TemplateQuestion {
        /// "1)".
        number: String,
        /// The wording.
        text: String,
        /// Checklist items.
        items: Vec<String>,
        /// Options.
        options: Vec<String>,
        /// Whether a comments box follows.
        comments: bool,
    },
}

/// A chart placed in the document.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The virtual path of its SVG.
    pub path: String,
    /// The caption.
    pub caption: String,
    /// Alt text.
    pub alt: String,
}

/// The standard wording around the narrative: Handlebars templates in
/// `report-templates/wording.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// Cover lines, each a template over the audit's `audit.yaml` fields.
    pub cover: Vec<String>,
    /// The running header.
    pub header: String,
    /// The contents page heading.
    pub contents_title: String,
    /// "Section {{number}}: {{title}}".
    pub section_heading: String,
    /// "{{number}} {{title}}".
    pub subsection_heading: String,
    /// "Appendix {{number}} – {{title}}".
    pub appendix_heading: String,
    /// "Finding {{number}}".
    pub finding_title: String,
    /// The caption of a question's chart.
    pub chart_caption: String,
    /// Column headings of a chart's table of figures.
    pub chart_table_header: Vec<String>,
    /// What a cross-reference shows for each kind of target.
    #[serde(deserialize_with = "crate::input::model::unique")]
    pub references: BTreeMap<String, String>,
    /// Neighbour table: the name column's heading.
    pub neighbour_name_heading: String,
    /// Neighbour table: the average row's label.
    pub neighbour_average: String,
    /// Neighbour table: the England row's label.
    pub neighbour_england: String,
}

/// Reads `wording.yaml` text.
pub fn parse_wording(source: &Source) -> Result<Wording, Diagnostic> {
    crate::input::parse_str(source)
}

struct Filler<'a> {
    wording: &'a Wording,
    registry: Handlebars<'static>,
}

impl Filler<'_> {
    fn fill(&self, template: &str, data: &serde_json::Value) -> Result<String, Diagnostic> {
        if let Some((message, _)) = crate::document::prose::template_problem(template) {
            return Err(Diagnostic::general(format!(
                "wording template `{template}`: {message}"
            )));
        }
        self.registry.render_template(template, data).map_err(|e| {
            Diagnostic::general(format!(
                "failed to fill wording template `{template}` ({})",
                e.reason()
            ))
        })
    }
}

/// Where each label points, and what a reference to it shows.
type Labels = BTreeMap<String, String>;

/// The document of each edition; all problems of all editions, each once (the same prose
/// problem shows in every edition).
pub fn build_editions(
    audit: &Audit,
    stats: &Stats,
    charts: &BTreeMap<Option<u32>, Vec<Chart>>,
    wording: &Wording,
    editions: Vec<Edition>,
) -> Result<Vec<(Edition, Document)>, Diagnostics> {
    let mut documents = Vec::new();
    let mut problems = Diagnostics::default();
    for edition in editions {
        match build(
            audit,
            stats,
            &charts[&edition.suppress_below],
            wording,
            &edition,
        ) {
            Ok(document) => documents.push((edition, document)),
            Err(found) => {
                for d in found.0 {
                    if !problems.0.contains(&d) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    problems
        .into_result(documents)
        .map(|(documents, _)| documents)
}

/// Lays out the audit as a [`Document`]: numbers every part, fills in prose and wording.
/// All prose problems are collected.
pub fn build(
    audit: &Audit,
    stats: &Stats,
    charts: &[Chart],
    wording: &Wording,
    edition: &Edition,
) -> Result<Document, Diagnostics> {
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    let filler = Filler { wording, registry };
    let mut problems = Diagnostics::default();
    let numbers = Numbers::new(audit, edition);
    let labels = collect_labels(audit, &numbers, &filler, &mut problems);
    // Labels of the whole report too, to tell a reference to a part this edition leaves out
    // from one to nowhere.
    let everything = collect_labels(
        audit,
        &Numbers::new(audit, &Edition::whole_report()),
        &filler,
        &mut Diagnostics::default(),
    );
    let references = References {
        edition: &edition.id,
        labels: &labels,
        everything: &everything,
    };
    let prose = Prose::new(Figures::new(audit, stats, edition.suppress_below));
    let date = edition
        .date
        .as_deref()
        .and_then(crate::check::parse_date)
        .unwrap_or(audit.date);
    let info = serde_json::to_value(&audit.info).unwrap_or_default();
    let info = merge(
        info,
        serde_json::json!({
            "date_text": date_text(date),
            "edition": {
                "name": edition.name,
                "audience": edition.audience.as_deref().unwrap_or(&audit.info.audience),
                "version": edition.version,
                "marking": edition.marking,
                "final": edition.is_final,
            },
        }),
    );
    let mut fill = |template: &str| {
        filler.fill(template, &info).unwrap_or_else(|d| {
            problems.push(d);
            String::new()
        })
    };
    let cover = wording
        .cover
        .iter()
        .map(|line| fill(line))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let header = fill(&wording.header);
    let mut sections = Vec::new();
    let mut shown_in: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut printed = Vec::new();
    for (parsed, numbers) in audit.sections.iter().zip(&numbers.sections) {
        let Some(number) = numbers.number else {
            continue;
        };
        let file = &parsed.value;
        let mut writer = Writer {
            filler: &filler,
            prose: &prose,
            references: &references,
            source: &parsed.source,
            file,
            problems: Diagnostics::default(),
            place: String::new(),
            chart_tables: edition.chart_tables,
            shown_in: BTreeMap::new(),
            printed: Vec::new(),
        };
        let heading = writer.fill(
            &wording.section_heading,
            &serde_json::json!({ "number": number, "title": file.title }),
        );
        let mut blocks = Vec::new();
        for ((s, sub), sub_number) in file
            .subsections
            .iter()
            .enumerate()
            .zip(&numbers.subsections)
        {
            let Some(sub_number) = sub_number else {
                continue;
            };
            let sub_number = format!("{number}.{sub_number}");
            if let Some(title) = &sub.title {
                let text = writer.fill(
                    &wording.subsection_heading,
                    &serde_json::json!({ "number": sub_number, "title": title }),
                );
                blocks.push(Content::Subheading {
                    text,
                    label: sub.id.clone(),
                });
            }
            let at = ["subsections".to_string(), s.to_string()];
            blocks.extend(writer.blocks(
                &sub.blocks,
                &at,
                Some(&sub_number),
                edition,
                audit,
                charts,
            ));
        }
        for ((f, finding), finding_number) in
            file.findings.iter().enumerate().zip(&numbers.findings)
        {
            let Some(finding_number) = finding_number else {
                continue;
            };
            let title = writer.fill(
                &wording.finding_title,
                &serde_json::json!({ "number": finding_number }),
            );
            writer.place = title.clone();
            let path = |key: &str| vec!["findings".to_string(), f.to_string(), key.to_string()];
            let runs = writer.inline(&finding.text, &path("text"));
            let challenge = finding
                .challenge
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut p = path("challenge");
                    p.push(i.to_string());
                    writer.inline(c, &p)
                })
                .collect();
            blocks.push(Content::Finding {
                title,
                label: format!("finding-{finding_number}"),
                runs,
                challenge_title: finding.challenge_title.clone(),
                challenge,
            });
        }
        writer.place = heading.clone();
        if !file.references.is_empty() {
            let items = file
                .references
                .iter()
                .enumerate()
                .map(|(i, r)| writer.inline(r, &["references".to_string(), i.to_string()]))
                .collect();
            blocks.push(Content::List { items });
        }
        for ((a, appendix), appendix_number) in
            file.appendices.iter().enumerate().zip(&numbers.appendices)
        {
            let Some(appendix_number) = appendix_number else {
                continue;
            };
            let text = writer.fill(
                &wording.appendix_heading,
                &serde_json::json!({ "number": appendix_number, "title": appendix.title }),
            );
            writer.place = text.clone();
            blocks.push(Content::Subheading {
                text,
                label: Some(appendix.id.clone()),
            });
            match appendix.generated.as_deref() {
                Some("question-bank") => {
                    blocks.push(Content::Paragraph {
                        number: None,
                        runs: vec![Inline::Strong {
                            text: audit.bank.title.clone(),
                        }],
                    });
                    blocks.extend(template_questions(audit));
                }
                Some("cases") => blocks.extend(views::case_summaries(audit, stats)),
                Some("agencies") => blocks.extend(views::agency_figures(audit, stats)),
                Some("comments") => blocks.extend(views::comments_annex(audit)),
                _ => {}
            }
            let at = ["appendices".to_string(), a.to_string()];
            blocks.extend(writer.blocks(&appendix.blocks, &at, None, edition, audit, charts));
        }
        problems.extend(writer.problems);
        printed.append(&mut writer.printed);
        for (key, places) in writer.shown_in {
            shown_in.entry(key).or_default().extend(places);
        }
        sections.push(Section {
            heading,
            label: file.id.clone(),
            blocks,
        });
    }
    let document = Document {
        title: audit.info.title.clone(),
        cover,
        header,
        marking: edition.marking.clone(),
        draft: !edition.is_final,
        contents_title: wording.contents_title.clone(),
        chart_table_header: wording.chart_table_header.clone(),
        lang: "en".into(),
        author: audit.info.author.clone(),
        date,
        sections,
        shown_in,
        printed,
    };
    problems.sort();
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(document)
    }
}

fn merge(mut base: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(base), serde_json::Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

/// "February 2014".
pub fn date_text((year, month, _): (i32, u8, u8)) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {year}", MONTHS[usize::from(month.clamp(1, 12)) - 1])
}

/// Every label and what a reference to it shows, before any prose is rendered, so a
/// reference may point forward ("see Appendix 1" in section 2).
/// The number of every part an edition includes, by its place in the narrative; `None` for a
/// part the edition leaves out. Worked out once, so labels, headings and paragraph numbers
/// agree.
struct Numbers {
    /// Per section file.
    sections: Vec<SectionNumbers>,
}

struct SectionNumbers {
    number: Option<usize>,
    subsections: Vec<Option<usize>>,
    findings: Vec<Option<usize>>,
    appendices: Vec<Option<usize>>,
}

fn count(included: impl Iterator<Item = bool>, counter: &mut usize) -> Vec<Option<usize>> {
    included
        .map(|yes| {
            yes.then(|| {
                *counter += 1;
                *counter
            })
        })
        .collect()
}

impl Numbers {
    fn new(audit: &Audit, edition: &Edition) -> Numbers {
        let (mut section, mut finding, mut appendix) = (0, 0, 0);
        let sections = audit
            .sections
            .iter()
            .map(|Parsed { value, .. }| {
                let number = edition.includes(value.id.as_deref()).then(|| {
                    section += 1;
                    section
                });
                let inside = number.is_some();
                let mut subsection = 0;
                SectionNumbers {
                    number,
                    subsections: count(
                        value
                            .subsections
                            .iter()
                            .map(|s| inside && edition.includes(s.id.as_deref())),
                        &mut subsection,
                    ),
                    findings: count(value.findings.iter().map(|_| inside), &mut finding),
                    appendices: count(
                        value
                            .appendices
                            .iter()
                            .map(|a| inside && edition.includes(Some(&a.id))),
                        &mut appendix,
                    ),
                }
            })
            .collect();
        Numbers { sections }
    }
}

fn collect_labels(
    audit: &Audit,
    numbers: &Numbers,
    filler: &Filler,
    problems: &mut Diagnostics,
) -> Labels {
    let mut labels = Labels::new();
    let mut add =
        |label: Option<String>, kind: &str, number: String, source: &Source, path: &[&str]| {
            let Some(label) = label else { return };
            let template = filler
                .wording
                .references
                .get(kind)
                .map(String::as_str)
                .unwrap_or("{{number}}");
            let text = filler
                .fill(template, &serde_json::json!({ "number": number }))
                .unwrap_or(number);
            if labels.insert(label.clone(), text).is_some() {
                problems.push(Diagnostic::error(
                    source.locate(path),
                    format!("label `{label}` is used twice"),
                ));
            }
        };
    for (Parsed { value, source }, numbers) in audit.sections.iter().zip(&numbers.sections) {
        let Some(n) = numbers.number else { continue };
        add(value.id.clone(), "section", n.to_string(), source, &["id"]);
        for ((s, sub), number) in value
            .subsections
            .iter()
            .enumerate()
            .zip(&numbers.subsections)
        {
            if let Some(number) = number {
                add(
                    sub.id.clone(),
                    "subsection",
                    format!("{n}.{number}"),
                    source,
                    &["subsections", &s.to_string(), "id"],
                );
            }
        }
        for number in numbers.findings.iter().flatten() {
            add(
                Some(format!("finding-{number}")),
                "finding",
                number.to_string(),
                source,
                &["findings"],
            );
        }
        for ((a, appendix), number) in value.appendices.iter().enumerate().zip(&numbers.appendices)
        {
            if let Some(number) = number {
                add(
                    Some(appendix.id.clone()),
                    "appendix",
                    number.to_string(),
                    source,
                    &["appendices", &a.to_string(), "id"],
                );
            }
        }
    }
    labels
}

/// What cross-references can point at in this edition.
struct References<'a> {
    edition: &'a str,
    labels: &'a Labels,
    everything: &'a Labels,
}

impl References<'_> {
    fn text(&self, label: &str) -> Result<String, String> {
        if let Some(text) = self.labels.get(label) {
            return Ok(text.clone());
        }
        if self.everything.contains_key(label) {
            return Err(format!(
                "cross-reference `{label}` points to a part edition `{}` leaves out; limit this text to the editions that keep it (`editions: [...]`)",
                self.edition
            ));
        }
        Err(
            match crate::diag::nearest(label, self.everything.keys().map(String::as_str)) {
                Some(near) => format!("unknown cross-reference `{label}` (did you mean `{near}`?)"),
                None => format!("unknown cross-reference `{label}`"),
            },
        )
    }
}

struct Writer<'a> {
    filler: &'a Filler<'a>,
    prose: &'a Prose,
    references: &'a References<'a>,
    source: &'a Source,
    file: &'a SectionFile,
    problems: Diagnostics,
    /// Where the text being written will stand ("paragraph 3.1.1"), for `shown_in`.
    place: String,
    /// Whether charts get their figures as a table too.
    chart_tables: bool,
    /// Figures named so far, and where.
    shown_in: BTreeMap<String, BTreeSet<String>>,
    /// Prose written so far, as printed.
    printed: Vec<Printed>,
}

impl Writer<'_> {
    /// Fills a wording template; a failure is recorded and leaves the text empty.
    fn fill(&mut self, template: &str, data: &serde_json::Value) -> String {
        self.filler.fill(template, data).unwrap_or_else(|d| {
            self.problems.push(d);
            String::new()
        })
    }

    fn at(&self, path: &[String]) -> Location {
        self.source
            .locate(&path.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Fills and parses one piece of prose; problems are recorded at `path`, or at the failing
    /// expression inside it where that can be found.
    fn inline(&mut self, template: &str, path: &[String]) -> Vec<Inline> {
        let (file, prose, references) = (self.file, self.prose, self.references);
        prose.take_used();
        let result = prose.fill(template).and_then(|text| {
            let mut footnote = |id: &str| -> Result<Vec<Inline>, String> {
                let note = file.footnotes.get(id).ok_or_else(|| {
                    let known: Vec<&str> = file.footnotes.keys().map(String::as_str).collect();
                    let known = if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    };
                    format!("unknown footnote `{id}`; this file's `footnotes` has {known}")
                })?;
                let text = prose
                    .fill(note)
                    .map_err(|e| format!("in footnote `{id}`: {}", e.message))?;
                parse_inline(
                    &text,
                    &mut |_| Err("a footnote cannot hold another footnote".into()),
                    &|l| references.text(l),
                )
                .map_err(|e| e.message)
            };
            parse_inline(&text, &mut footnote, &|l| references.text(l))
        });
        for key in prose.take_used() {
            self.shown_in
                .entry(key)
                .or_default()
                .insert(self.place.clone());
        }
        if let Ok(runs) = &result {
            self.printed.push(Printed {
                file: self.source.path.clone(),
                path: path.to_vec(),
                text: printed_text(runs),
            });
        }
        result.unwrap_or_else(|error| {
            // Finding the line walks the file: only worth it when there is a problem to report.
            let location = self.at(path);
            let location = error
                .at
                .as_deref()
                .and_then(|at| self.source.find_after(&location, at))
                .unwrap_or(location);
            self.problems.push(Diagnostic::error(
                location,
                format!("in prose: {}", error.message),
            ));
            Vec::new()
        })
    }

    /// The blocks `edition` shows, written. With `numbering` (a sub-section's "3.1"), `p`
    /// paragraphs are numbered under it ("3.1.2") and each block's place is recorded.
    fn blocks(
        &mut self,
        blocks: &[Block],
        at: &[String; 2],
        numbering: Option<&str>,
        edition: &Edition,
        audit: &Audit,
        charts: &[Chart],
    ) -> Vec<Content> {
        let mut written = Vec::new();
        let mut paragraph = 0;
        for (b, block) in blocks.iter().enumerate() {
            if !edition.shows(&block.editions) {
                continue;
            }
            let path = [
                at[0].clone(),
                at[1].clone(),
                "blocks".to_string(),
                b.to_string(),
            ];
            let mut number = None;
            if let Some(prefix) = numbering {
                if let BlockKind::P(_) = block.kind {
                    paragraph += 1;
                    number = Some(format!("{prefix}.{paragraph}"));
                }
                self.place = match &number {
                    Some(n) => format!("paragraph {n}"),
                    None => format!("section {prefix}"),
                };
            }
            written.extend(self.block(block, number, &path, audit, charts));
        }
        written
    }

    fn block(
        &mut self,
        block: &Block,
        number: Option<String>,
        path: &[String],
        audit: &Audit,
        charts: &[Chart],
    ) -> Option<Content> {
        Some(match &block.kind {
            BlockKind::P(text) => Content::Paragraph {
                number,
                runs: self.inline(text, path),
            },
            BlockKind::Text(text) => Content::Paragraph {
                number: None,
                runs: self.inline(text, path),
            },
            BlockKind::Quote(text) => Content::Quote {
                runs: self.inline(text, path),
            },
            BlockKind::List(items) => Content::List {
                items: items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut p = path.to_vec();
                        p.push(i.to_string());
                        self.inline(item, &p)
                    })
                    .collect(),
            },
            BlockKind::Question(id) => {
                let question = audit.bank.questions.iter().find(|q| &q.id == id)?;
                let list = if question.kind == QuestionKind::Checklist {
                    &question.items
                } else {
                    &question.options
                };
                let shortened = list
                    .iter()
                    .any(|c| c.label.as_ref().is_some_and(|l| l != &c.text));
                let choices = if shortened {
                    list.iter()
                        .enumerate()
                        .map(|(i, c)| format!("{}) {}", letter(i), c.text))
                        .collect()
                } else {
                    Vec::new()
                };
                let chart = charts.iter().find(|c| &c.id == id).map(|c| {
                    let base = match c.base {
                        Some((low, high)) if low == high => low.to_string(),
                        Some((low, high)) => format!("{low} to {high}"),
                        None => crate::document::words::WITHHELD.to_string(),
                    };
                    let data = serde_json::json!({
                        "title": c.title,
                        "base": base,
                        "withheld_below": c.withheld_below,
                    });
                    for measure in question.measures() {
                        self.shown_in
                            .entry(measure.id)
                            .or_default()
                            .insert(format!("chart {}", c.id));
                    }
                    Figure {
                        path: format!("/charts/{}.svg", c.id),
                        caption: self.fill(&self.filler.wording.chart_caption, &data),
                        alt: c.alt.clone(),
                    }
                });
                let table = self
                    .chart_tables
                    .then(|| charts.iter().find(|c| &c.id == id).map(|c| c.rows.clone()))
                    .flatten();
                Content::Question {
                    text: question.text.clone(),
                    choices,
                    chart,
                    table,
                }
            }
            BlockKind::Table(_) => neighbour_table(audit, self.filler.wording)?,
            BlockKind::Chart(_) => {
                let chart = charts.iter().find(|c| c.id == "neighbours")?;
                Content::Chart {
                    figure: Figure {
                        path: "/charts/neighbours.svg".into(),
                        caption: chart.title.clone(),
                        alt: chart.alt.clone(),
                    },
                }
            }
        })
    }
}

fn letter(i: usize) -> char {
    (b'a' + (i % 26) as u8) as char
}

fn neighbour_table(audit: &Audit, wording: &Wording) -> Option<Content> {
    let table = &audit.neighbours.as_ref()?.value;
    let rows = table
        .rows
        .iter()
        .map(|r| vec![r.name.clone(), format!("{:.1}", r.value)])
        .collect();
    let average = table.mean();
    let footer = vec![
        vec![wording.neighbour_average.clone(), format!("{average:.1}")],
        vec![
            table.this_authority.name.clone(),
            format!("{:.1}", table.this_authority.value),
        ],
        vec![
            wording.neighbour_england.clone(),
            format!("{:.1}", table.england),
        ],
    ];
    Some(Content::Table {
        caption: table.title.clone(),
        header: vec![
            wording.neighbour_name_heading.clone(),
            table.measure.clone(),
        ],
        rows,
        footer,
        note: table.source.clone(),
    })
}

fn template_questions(audit: &Audit) -> Vec<Content> {
    audit
        .bank
        .questions
        .iter()
        .map(|q| Content::TemplateQuestion {
            number: format!("{})", q.number),
            text: q.text.clone(),
            items: q.items.iter().map(|i| i.text.clone()).collect(),
            options: if q.kind == QuestionKind::Checklist {
                Vec::new()
            } else {
                q.options.iter().map(|o| o.text.clone()).collect()
            },
            comments: q.comments,
        })
        .collect()
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
