//! Template: the report as plain data. (Over 500 lines: the `Document` types, the contract
//! every renderer and layout reads, are declared with the one function that builds them.)
//! &[`Audit`], &[`Stats`], &[`Chart`] → [`Document`].
//!
//! Here the structure gets its numbers (sections, sub-sections, paragraphs 1.1.1, findings,
//! appendices), the prose gets its figures (Handlebars, see `prose`), and the standard wording
//! around them (headings, captions, the cover) is filled from `report-templates/wording.yaml`.
//! The result is serialised to JSON and handed to the static Typst layout
//! (`report-templates/report.typ`), which reads it as values: user text is never markup.

mod compare;
pub mod figures;
pub mod literals;
mod numbering;
mod pack;
mod plan;
pub mod prose;
pub mod style;
pub mod templates;
mod views;
mod writer;

use numbering::{Numbers, References, collect_labels};
use writer::Writer;
pub mod withheld;
pub mod words;
use crate::chart::{Chart, ChartSet};
use crate::check::Audit;
use crate::collate::Stats;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::figures::Figures;
use crate::document::prose::{Inline, Prose};
use crate::edition::Edition;
use crate::input::Source;
use handlebars::Handlebars;
pub use pack::{COVER_DETAILS, PackWording};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The report, ready for the layout.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// What it is: the report, or a paper that travels with it (its layout is its kind's).
    pub kind: crate::edition::Kind,
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
    /// Words of the Word and web files.
    pub furniture: Furniture,
    /// The document's language, for hyphenation and PDF metadata.
    pub lang: String,
    /// The report's author, for PDF metadata.
    pub author: String,
    /// The report's date (given to the layouts as `[year, month, day]`).
    #[serde(serialize_with = "year_month_day")]
    pub date: time::Date,
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
    /// Whether it starts a new page.
    pub new_page: bool,
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
        /// The table's caption.
        table_caption: Option<String>,
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
    /// Actions and where each stands (the action plan appendix).
    ActionPlan {
        /// The caption ("The response to Finding 1").
        caption: String,
        /// Column headings; the last is the status.
        header: Vec<String>,
        /// One row per action.
        rows: Vec<ActionRow>,
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
        /// A note for the lead's working copy (a question repeated).
        note: Option<String>,
    },
}

/// One action in the action plan: its cells, and its status in words and as a colour.
#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    /// Every cell but the status.
    pub cells: Vec<String>,
    /// The status in words.
    pub status: String,
    /// The status's colour: `red`, `amber`, `green` or `grey` (done).
    pub rag: &'static str,
}

impl ActionRow {
    /// `rows` as a table's rows, the status last, and each row's colour.
    pub fn table(rows: &[ActionRow]) -> (Vec<Vec<String>>, Vec<&'static str>) {
        rows.iter()
            .map(|r| {
                let mut cells = r.cells.clone();
                cells.push(r.status.clone());
                (cells, r.rag)
            })
            .unzip()
    }
}

/// A chart placed in the document.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The chart's id (its question's, or `neighbours`).
    pub chart: String,
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
    /// The caption of a chart's table of figures, over the chart's `title`.
    pub chart_table_caption: String,
    /// What a cross-reference shows for each kind of target.
    #[serde(deserialize_with = "crate::input::model::unique")]
    pub references: BTreeMap<String, String>,
    /// Neighbour table: the name column's heading.
    pub neighbour_name_heading: String,
    /// Neighbour table: the average row's label.
    pub neighbour_average: String,
    /// Neighbour table: the England row's label.
    pub neighbour_england: String,
    /// The lead's views: a page per case, figures by agency.
    pub views: ViewWording,
    /// A working copy's note on a template question that repeats question `{{first}}`.
    pub duplicate_note: String,
    /// Words the Word and web files print that the PDF has in its layout.
    pub furniture: Furniture,
    /// A re-audit's chart legend, each over its round's `period`.
    pub rounds: RoundWording,
    /// The action plan appendix.
    pub action_plan: ActionPlanWording,
    /// A withheld figure in prose (an edition with `suppress_below`); a lead's own wording
    /// without it takes the built-in one's.
    #[serde(default = "built_in_withheld")]
    pub withheld: withheld::WithheldWording,
    /// The notes at the start of a reduced or suppressing edition.
    #[serde(default = "built_in_edition_notes")]
    pub edition_notes: EditionNotes,
}

fn built_in_withheld() -> withheld::WithheldWording {
    templates::built_in_wording().withheld.clone()
}

fn built_in_edition_notes() -> EditionNotes {
    templates::built_in_wording().edition_notes.clone()
}

/// The notes at the start of an edition that withholds small numbers or leaves parts out
/// (`edition_notes:` in `wording.yaml`): what a reader needs before the first withheld
/// figure or missing number.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionNotes {
    /// "About the figures": the rule (`{{below}}`) and why.
    pub figures_title: String,
    /// Its text.
    pub figures: String,
    /// "About the numbering": why numbers have gaps.
    pub numbering_title: String,
    /// Its text.
    pub numbering: String,
}

/// The words of the action plan appendix (`action_plan:` in `wording.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPlanWording {
    /// A finding's table caption, over `finding` ("Finding 1").
    pub caption: String,
    /// The table's column headings; the last is the status.
    pub header: Vec<String>,
    /// A measure of impact, over `title`, `option`, `direction` and `target`.
    pub measure: String,
    /// The `direction` of a measure to reach its target or more.
    pub at_least: String,
    /// The `direction` of a measure to fall to its target or less.
    pub at_most: String,
    /// Each status's words, by id.
    #[serde(deserialize_with = "crate::input::model::unique")]
    pub statuses: BTreeMap<String, String>,
    /// The caption of a re-audit's table of the earlier plan's progress.
    pub progress_caption: String,
    /// Its column headings; the last is the progress.
    pub progress_header: Vec<String>,
    /// Each progress's words: `met`, `moved`, `not-moved`.
    #[serde(deserialize_with = "crate::input::model::unique")]
    pub progress: BTreeMap<String, String>,
    /// What each status's colour means, printed before the first finding's table.
    #[serde(default)]
    pub legend: Option<String>,
    /// What each progress's colour means, printed before the earlier plan's table.
    #[serde(default)]
    pub progress_legend: Option<String>,
}

/// The legend of a re-audit's paired bars (`rounds:` in `wording.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundWording {
    /// The earlier round, over its `period`.
    pub earlier: String,
    /// This round, over its `period`.
    pub this: String,
    /// The earlier round's figure of an option or item new this round.
    pub new: String,
}

/// Words the Word and web files print that the PDF has in its layout (`furniture:` in
/// `wording.yaml`), kept there so no English is fixed in code.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Furniture {
    /// A page footer, "Page {{page}} of {{pages}}" (the two become page-number fields).
    pub page_number: String,
    /// The word marking a draft.
    pub draft: String,
    /// The label of a template question's comments box.
    pub comments: String,
    /// What Word's contents show until Word fills them in.
    pub contents_pending: String,
    /// The web page's skip link.
    pub skip_link: String,
    /// The heading of a chart's figures on the web page.
    pub chart_figures: String,
    /// The heading of the notes.
    pub notes: String,
    /// A note's link back to its citation, over the note's `number`.
    pub back_to_text: String,
    /// A citation's label, over the note's `number`.
    pub note_label: String,
}

/// The built-in `case_outstanding`, for a `wording.yaml` written before it.
fn built_in_case_outstanding() -> String {
    templates::built_in_wording().views.case_outstanding.clone()
}

/// The built-in `case_comments`, for a `wording.yaml` written before it.
fn built_in_case_comments() -> String {
    templates::built_in_wording().views.case_comments.clone()
}

/// The words of the lead's views (`views:` in `wording.yaml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewWording {
    /// A case's page heading, over the case's fields ("Case {{case}}").
    pub case_heading: String,
    /// The line under it: category, age band, gender, interval, returns.
    pub case_line: String,
    /// The caption of a case's table.
    pub case_table: String,
    /// The line naming the agencies asked for a return for the case that sent none, over
    /// `agencies` ("Police, Health"); not printed when all have come back.
    #[serde(default = "built_in_case_outstanding")]
    pub case_outstanding: String,
    /// The heading over a case's comments (the returns' words, by question).
    #[serde(default = "built_in_case_comments")]
    pub case_comments: String,
    /// The first column's heading.
    pub question: String,
    /// The column of the case's figures.
    pub this_case: String,
    /// The column of the whole audit's figures.
    pub all_cases: String,
    /// The caption of the returns-by-agency table.
    pub agencies_caption: String,
    /// Its column headings.
    pub agencies_header: Vec<String>,
    /// Its total row, and the column of all agencies' figures.
    pub all_agencies: String,
    /// The caption of an agency's table ("{{agency}}: answers beside the whole audit's").
    pub agency_table: String,
    /// The caption of the table of returns asked for and not come back.
    pub outstanding_caption: String,
    /// Its column headings: the case, the agency.
    pub outstanding_header: Vec<String>,
    /// Said instead of that table when every return has come back, over `requested`.
    pub none_outstanding: String,
}

/// Reads `wording.yaml` text.
pub fn parse_wording(source: &Source) -> Result<Wording, Diagnostic> {
    crate::input::parse_str(source)
}

struct Filler<'a> {
    wording: &'a Wording,
    registry: Handlebars<'static>,
}

impl<'a> Filler<'a> {
    /// A filler of `wording`'s templates: strict (a name that is not there is an error, not
    /// an empty string) and unescaped (the renderers escape for their formats).
    fn new(wording: &'a Wording) -> Filler<'a> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        Filler { wording, registry }
    }

    fn fill(&self, template: &str, data: &serde_json::Value) -> Result<String, Diagnostic> {
        if let Some((message, _)) = crate::document::prose::template_problem(template) {
            return Err(Diagnostic::general(format!(
                "wording template `{template}`: {message}"
            )));
        }
        let mut filled = self.registry.render_template(template, data).map_err(|e| {
            Diagnostic::general(format!(
                "failed to fill wording template `{template}` ({})",
                e.reason()
            ))
        })?;
        // Handlebars' output starts at 8 KiB: kept in the document, every case's short
        // heading held all of it (16 MB at 2,000 cases, through typesetting).
        filled.shrink_to_fit();
        Ok(filled)
    }
}

/// The document of each edition; all problems of all editions, each once (the same prose
/// problem shows in every edition).
pub fn build_editions(
    audit: &Audit,
    stats: &Stats,
    charts: &BTreeMap<ChartSet, Vec<Chart>>,
    wording: &Wording,
    pack: &PackWording,
    editions: Vec<Edition>,
) -> Result<Vec<(Edition, Document)>, Diagnostics> {
    let mut documents = Vec::new();
    let mut problems = Diagnostics::default();
    for edition in editions {
        match build(
            audit,
            stats,
            &charts[&ChartSet::of(&edition)],
            wording,
            pack,
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
    pack: &PackWording,
    edition: &Edition,
) -> Result<Document, Diagnostics> {
    let filler = Filler::new(wording);
    if edition.kind != crate::edition::Kind::Report {
        return pack::build(audit, stats, charts, &filler, pack, edition);
    }
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
    let prose =
        Prose::new(Figures::new(audit, stats, edition)).with_withheld(wording.withheld.clone());
    let front = front_matter(audit, edition, &filler, &mut problems);
    let mut sections = Vec::new();
    let mut written = Written::default();
    for (parsed, numbers) in audit.sections.iter().zip(&numbers.sections) {
        let Some(number) = numbers.number else {
            continue;
        };
        let file = &parsed.value;
        let mut writer = Writer::new(&filler, &prose, &references, parsed, edition);
        let (heading, blocks) = writer.section(number, numbers, edition, audit, stats, charts);
        written.keep(writer);
        sections.push(Section {
            heading,
            label: file.id.clone(),
            new_page: file.new_page,
            blocks,
        });
    }
    problems.extend(std::mem::take(&mut written.problems));
    if let Some(first) = sections.first_mut() {
        let notes = edition_notes(edition, numbers.has_gaps(), &filler, &mut problems);
        first.blocks.splice(0..0, notes);
    }
    let document = report_document(audit, edition, wording, front, sections, written);
    problems.sort();
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(document)
    }
}

/// The report's document, from its front matter (date, cover lines, running header), its
/// sections and what their writers recorded.
fn report_document(
    audit: &Audit,
    edition: &Edition,
    wording: &Wording,
    front: (time::Date, Vec<String>, String),
    sections: Vec<Section>,
    written: Written,
) -> Document {
    let Written {
        shown_in, printed, ..
    } = written;
    let (date, cover, header) = front;
    Document {
        kind: edition.kind,
        title: audit.info.title.clone(),
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
    }
}

/// What the writers of an edition's sections found and wrote, gathered in their order.
#[derive(Default)]
struct Written {
    problems: Diagnostics,
    /// Figures named, and where.
    shown_in: BTreeMap<String, BTreeSet<String>>,
    /// Prose written, as printed.
    printed: Vec<Printed>,
}

impl Written {
    /// What `writer` found and wrote, kept.
    fn keep(&mut self, mut writer: Writer) {
        self.problems.extend(writer.problems);
        self.printed.append(&mut writer.printed);
        for (key, places) in writer.shown_in {
            self.shown_in.entry(key).or_default().extend(places);
        }
    }
}

/// The notes an edition opens with: "About the figures" where it withholds small numbers
/// (before any figure is withheld), "About the numbering" where its numbers have gaps.
fn edition_notes(
    edition: &Edition,
    gaps: bool,
    filler: &Filler,
    problems: &mut Diagnostics,
) -> Vec<Content> {
    let notes = &filler.wording.edition_notes;
    let mut blocks = Vec::new();
    let below = edition.suppress_below;
    for (title, text, wanted) in [
        (&notes.figures_title, &notes.figures, below.is_some()),
        (&notes.numbering_title, &notes.numbering, gaps),
    ] {
        if !wanted {
            continue;
        }
        let below = below.unwrap_or(0);
        let data = serde_json::json!({ "below": below, "last": below.saturating_sub(1) });
        match filler.fill(text, &data) {
            Ok(text) => blocks.push(Content::Paragraph {
                number: None,
                runs: vec![
                    Inline::Strong {
                        text: format!("{title}. "),
                    },
                    Inline::Text { text },
                ],
            }),
            Err(d) => problems.push(d),
        }
    }
    blocks
}

/// The edition's date, cover lines and running header, from the standard wording.
fn front_matter(
    audit: &Audit,
    edition: &Edition,
    filler: &Filler,
    problems: &mut Diagnostics,
) -> (time::Date, Vec<String>, String) {
    let wording = filler.wording;
    let date = edition
        .date
        .as_deref()
        .and_then(crate::check::parse_date)
        .unwrap_or(audit.date);
    let info = edition_info(audit, edition, date);
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
    (date, cover, header)
}

/// What the standard wording's cover lines may name: every field of `audit.yaml`,
/// `date_text` and the edition's.
fn edition_info(audit: &Audit, edition: &Edition, date: time::Date) -> serde_json::Value {
    merge(
        serde_json::to_value(&audit.info).unwrap_or_default(),
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
    )
}

fn merge(mut base: serde_json::Value, extra: serde_json::Value) -> serde_json::Value {
    if let (Some(base), serde_json::Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

/// "February 2014".
pub fn date_text(date: time::Date) -> String {
    crate::style::month(date)
}

/// A date as the layouts read it: `[year, month, day]`.
fn year_month_day<S: serde::Serializer>(date: &time::Date, s: S) -> Result<S::Ok, S::Error> {
    (date.year(), u8::from(date.month()), date.day()).serialize(s)
}
