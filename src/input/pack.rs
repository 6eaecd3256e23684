//! The papers that travel with the report, each an edition of its own kind: the cover paper
//! (`cover.yaml`), the slides (`slides.yaml`) and the 7-minute briefing (`briefing.yaml`).
//! Each file holds only what that paper says and the report does not; the figures, findings
//! and recommendations come from the same returns and narrative as the report's.

use super::model::Block;
use super::{Parsed, Source, parse_file};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{EditionList, Kind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One paper's own words, as its kind reads them.
#[derive(Debug, Clone)]
pub enum PackText {
    /// `cover.yaml`.
    Cover(CoverText),
    /// `slides.yaml`.
    Slides(SlidesText),
    /// `briefing.yaml`.
    Briefing(BriefingText),
}

impl PackText {
    /// The kind of paper it is written for.
    pub fn kind(&self) -> Kind {
        match self {
            PackText::Cover(_) => Kind::Cover,
            PackText::Slides(_) => Kind::Slides,
            PackText::Briefing(_) => Kind::Briefing,
        }
    }
}

/// A paper's file as an edition names it (`text:`, or its kind's file), parsed.
#[derive(Debug, Clone)]
pub struct PackFile {
    /// Its name in the audit folder (`briefing.yaml`).
    pub name: String,
    /// Its words, and its text to point at.
    pub parsed: Parsed<PackText>,
}

/// What the board is asked to do with a paper: decide, be assured, or note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// For decision.
    Decision,
    /// For assurance.
    Assurance,
    /// For information.
    Information,
}

impl Purpose {
    /// Its key in the wording (`pack.yaml`).
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Decision => "decision",
            Purpose::Assurance => "assurance",
            Purpose::Information => "information",
        }
    }
}

/// `cover.yaml`: what only the cover paper says. Its key findings and the report's
/// recommendations are the narrative's own.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverText {
    /// The board or group the paper goes to ("CESCB Executive Group").
    pub report_to: String,
    /// The meeting's date, `YYYY-MM-DD`.
    pub meeting: String,
    /// The agenda item, if numbered.
    #[serde(default)]
    pub agenda_item: Option<String>,
    /// Who reports (the audit's author and role when absent).
    #[serde(default)]
    pub report_of: Option<String>,
    /// How to reach them (a role's mailbox, never a person's own details).
    #[serde(default)]
    pub contact: Option<String>,
    /// `decision`, `assurance` or `information`.
    pub purpose: Purpose,
    /// What the board is asked to do, one item each ("note the findings …"): prose.
    pub asked: Vec<String>,
    /// A few paragraphs of summary: prose, with figures.
    pub summary: Vec<Block>,
    /// Risks: prose.
    #[serde(default)]
    pub risks: Vec<Block>,
    /// Implications, each prose: `resources`, `legal`, `equality`, `children` (for children
    /// and families), in that order where given.
    #[serde(default, deserialize_with = "super::model::unique")]
    pub implications: BTreeMap<String, String>,
    /// Background papers and appendices (the full report): prose.
    #[serde(default)]
    pub background_papers: Vec<Block>,
    /// Footnote texts by id, for `[^id]` markers in this file.
    #[serde(default, deserialize_with = "super::model::unique")]
    pub footnotes: BTreeMap<String, String>,
}

/// The implications a cover paper may state, in the order printed.
pub const IMPLICATIONS: [&str; 4] = ["resources", "legal", "equality", "children"];

/// `slides.yaml`: the charts the lead shows, each with its message.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlidesText {
    /// A line under the title on the first slide (the meeting).
    #[serde(default)]
    pub subtitle: Option<String>,
    /// The charts, a slide each, in order.
    #[serde(default)]
    pub charts: Vec<ChartSlide>,
    /// The last slide's questions for the room, if any: prose.
    #[serde(default)]
    pub questions: Vec<String>,
    /// Footnote texts by id, for `[^id]` markers in this file.
    #[serde(default, deserialize_with = "super::model::unique")]
    pub footnotes: BTreeMap<String, String>,
}

/// One chart's slide.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChartSlide {
    /// The charted question's id (`q8`).
    pub question: String,
    /// The slide's message, figures in words: prose.
    #[serde(default)]
    pub message: Option<String>,
}

/// `briefing.yaml`: the 7-minute briefing's seven parts, each prose blocks.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BriefingText {
    /// Its title (the wording's, over the audit's theme, when absent).
    #[serde(default)]
    pub title: Option<String>,
    /// 1. What was looked at, and why.
    pub background: Vec<Block>,
    /// 2. Why it matters, for children and families.
    pub why_it_matters: Vec<Block>,
    /// 3. What we found: the few key findings, figures in words.
    pub what_we_found: Vec<Block>,
    /// 4. What good looks like: the standard expected.
    pub what_good_looks_like: Vec<Block>,
    /// 5. Questions to reflect on, for practitioners and teams.
    pub questions: Vec<Block>,
    /// 6. What to do now: practical actions.
    pub what_to_do_now: Vec<Block>,
    /// 7. Where to find more: the report, procedures, training.
    pub further_information: Vec<Block>,
    /// Footnote texts by id, for `[^id]` markers in this file.
    #[serde(default, deserialize_with = "super::model::unique")]
    pub footnotes: BTreeMap<String, String>,
}

impl BriefingText {
    /// The seven parts, by their keys, in order.
    pub fn parts(&self) -> [(&'static str, &[Block]); 7] {
        [
            ("background", &self.background),
            ("why_it_matters", &self.why_it_matters),
            ("what_we_found", &self.what_we_found),
            ("what_good_looks_like", &self.what_good_looks_like),
            ("questions", &self.questions),
            ("what_to_do_now", &self.what_to_do_now),
            ("further_information", &self.further_information),
        ]
    }
}

/// Reads the file of each cover paper, slides and briefing `editions` declares, once each.
/// A file name that would leave the folder, a missing file, or one file named by papers of
/// two kinds is an error at the edition.
pub fn load(
    root: &Path,
    editions: Option<&Parsed<EditionList>>,
    problems: &mut Diagnostics,
) -> Vec<PackFile> {
    let Some(editions) = editions else {
        return Vec::new();
    };
    let mut files: Vec<PackFile> = Vec::new();
    for (i, edition) in editions.value.editions.iter().enumerate() {
        let Some(name) = edition.text_file() else {
            continue;
        };
        let i = i.to_string();
        let key = if edition.text.is_some() {
            "text"
        } else {
            "kind"
        };
        let at = || editions.source.locate(&["editions", &i, key]);
        if name.contains(['/', '\\']) || name.starts_with('.') || !name.ends_with(".yaml") {
            problems.push(Diagnostic::error(
                at(),
                format!("expected the name of a .yaml file in the audit folder, found `{name}`"),
            ));
            continue;
        }
        if let Some(known) = files.iter().find(|f| f.name == name) {
            if known.parsed.value.kind() != edition.kind {
                problems.push(Diagnostic::error(
                    at(),
                    format!(
                        "`{name}` is read as a {} already; a {} needs a file of its own",
                        known.parsed.value.kind().name(),
                        edition.kind.name()
                    ),
                ));
            }
            continue;
        }
        let path = root.join(&name);
        if !path.exists() {
            problems.push(
                Diagnostic::error(
                    at(),
                    format!(
                        "edition `{}` is a {}: expected its words in `{name}`, found no such file",
                        edition.id,
                        edition.kind.name()
                    ),
                )
                .with_note("`audit-report init` writes a commented starter of each"),
            );
            continue;
        }
        let parsed = match edition.kind {
            Kind::Cover => parse_as(&path, PackText::Cover, problems),
            Kind::Slides => parse_as(&path, PackText::Slides, problems),
            Kind::Briefing => parse_as(&path, PackText::Briefing, problems),
            Kind::Report => None,
        };
        if let Some(parsed) = parsed {
            files.push(PackFile { name, parsed });
        }
    }
    files
}

fn parse_as<T: serde::de::DeserializeOwned>(
    path: &Path,
    wrap: fn(T) -> PackText,
    problems: &mut Diagnostics,
) -> Option<Parsed<PackText>> {
    let parsed: Parsed<T> = parse_file(path, problems)?;
    Some(Parsed {
        value: wrap(parsed.value),
        source: parsed.source,
    })
}

/// The sources of `files`, for the guard and the build record.
pub fn sources(files: &[PackFile]) -> impl Iterator<Item = &Source> {
    files.iter().map(|f| &f.parsed.source)
}

/// Every piece of prose in `blocks` at `key` (a list item at its index), with its key path.
fn block_prose<'a>(key: &[&str], blocks: &'a [Block], all: &mut Vec<(Vec<String>, &'a str)>) {
    use super::model::BlockKind;
    for (b, block) in blocks.iter().enumerate() {
        let mut at: Vec<String> = key.iter().map(|k| k.to_string()).collect();
        at.push(b.to_string());
        match &block.kind {
            BlockKind::P(text) | BlockKind::Text(text) | BlockKind::Quote(text) => {
                all.push((at, text.as_str()))
            }
            BlockKind::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut at = at.clone();
                    at.extend(["list".to_string(), i.to_string()]);
                    all.push((at, item.as_str()));
                }
            }
            BlockKind::Question(_) | BlockKind::Table(_) | BlockKind::Chart(_) => {}
        }
    }
}

impl PackText {
    /// Every piece of prose the paper's own file holds, with its key path: what the checks
    /// of typed figures read, as they read the narrative's.
    pub fn prose(&self) -> Vec<(Vec<String>, &str)> {
        let mut all = Vec::new();
        match self {
            PackText::Cover(cover) => {
                for (i, item) in cover.asked.iter().enumerate() {
                    all.push((vec!["asked".to_string(), i.to_string()], item.as_str()));
                }
                block_prose(&["summary"], &cover.summary, &mut all);
                block_prose(&["risks"], &cover.risks, &mut all);
                for (key, text) in &cover.implications {
                    all.push((vec!["implications".to_string(), key.clone()], text.as_str()));
                }
                block_prose(&["background_papers"], &cover.background_papers, &mut all);
            }
            PackText::Slides(slides) => {
                for (c, chart) in slides.charts.iter().enumerate() {
                    if let Some(message) = &chart.message {
                        let path = ["charts", &c.to_string(), "message"].map(String::from);
                        all.push((path.to_vec(), message.as_str()));
                    }
                }
                for (q, item) in slides.questions.iter().enumerate() {
                    all.push((vec!["questions".to_string(), q.to_string()], item.as_str()));
                }
            }
            PackText::Briefing(briefing) => {
                for (key, blocks) in briefing.parts() {
                    block_prose(&[key], blocks, &mut all);
                }
            }
        }
        all
    }
}

/// Blanks that are not white space to Unicode (the braille blank, the Hangul fillers): they
/// print as a space, so the guard reads them as one and [`shows_something`] as nothing.
pub const BLANK_LETTERS: [char; 5] = ['\u{2800}', '\u{3164}', '\u{115F}', '\u{1160}', '\u{FFA0}'];

/// Whether prose prints anything once its comments (`{{!-- … --}}`, `{{! … }}`) and
/// emphasis marks (`**`, `*`) are taken out: `** **` or a note to self is nothing to print.
/// (A figure or `{{#if …}}` may print words: the build leaves out what fills with none.)
/// A paragraph that prints nothing as written takes no number in any edition.
pub fn shows_something_as_written(text: &str) -> bool {
    let mut rest = text.to_string();
    for (open, close) in [("{{!--", "--}}"), ("{{!", "}}")] {
        while let Some(start) = rest.find(open) {
            let Some(length) = rest[start..].find(close) else {
                break;
            };
            rest.replace_range(start..start + length + close.len(), " ");
        }
    }
    shows_something(&rest.replace('*', ""))
}

/// Whether `text` prints anything: not only spaces, format characters (a zero-width space,
/// a word joiner, a byte-order mark, a soft hyphen: Unicode's category Cf) and
/// [`BLANK_LETTERS`], which the guard reads as nothing too, as a value pasted from elsewhere
/// may be.
pub fn shows_something(text: &str) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    text.chars().any(|c| {
        !c.is_whitespace()
            && c.general_category() != GeneralCategory::Format
            && !BLANK_LETTERS.contains(&c)
    })
}
