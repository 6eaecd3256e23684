//! Editions: the versions of one report for each audience, declared in `editions.yaml`.
//!
//! An edition names its audience, the parts of the narrative it leaves out (by label), its
//! protective marking, its version and whether it is final (a draft carries a DRAFT
//! watermark). Numbering, contents and cross-references are worked out per edition, after the
//! parts are left out, so each edition reads right on its own.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};

/// The internal folder of an output set, beside the editions' folders: build records,
/// change lists, every figure. No edition may take it as its id.
pub const RECORDS: &str = "records";

/// What `template` and `actions` write into the audit's output folder by default: the lead's
/// working files, sent to agencies and read back, never part of a build's set (`clean` keeps
/// them; no edition may take one's name).
pub const WORKING_FILES: [&str; 3] = ["template.xlsx", "collection", "actions.xlsx"];

/// The file written with the charts that marks their folder as a charts folder: they hold
/// every figure unsuppressed, so no build takes the folder as an output folder, whose
/// editions' folders may be published (see `output::folders::check_folders`); and the
/// guard's look at the audit folder passes over a build's own folders inside it.
pub const CHARTS_MARKER: &str = "charts-folder.txt";

/// An output format of an edition (`formats:` in `editions.yaml`, `build --format`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PDF, typeset with Typst: the report as printed.
    Pdf,
    /// Word, for the board secretary's papers pack.
    Docx,
    /// One self-contained web page, for publication.
    Html,
}

impl Format {
    /// Every format, in the order an edition's files are listed.
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Docx, Format::Html];

    /// The file name's extension, which is also its name in `editions.yaml`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(name: &str) -> Result<Format, String> {
        Format::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("expected one of pdf, docx, html, found `{name}`"))
    }
}

/// What an edition is: the report itself, or one of the papers that travel with it, each
/// written from the same audit (see `docs/editions.md`).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The report (the default).
    #[default]
    Report,
    /// The cover paper for a board meeting: one or two A4 pages under the board's headings.
    Cover,
    /// Slides for the meeting, 16:9.
    Slides,
    /// The 7-minute briefing for practitioners, in seven short parts.
    Briefing,
}

impl Kind {
    /// Its name in `editions.yaml`, and its layout's file name (`cover.typ`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Cover => "cover",
            Kind::Slides => "slides",
            Kind::Briefing => "briefing",
        }
    }

    /// The formats it can be built in: slides are pages to project, a PDF.
    pub fn formats(self) -> &'static [Format] {
        match self {
            Kind::Slides => &[Format::Pdf],
            _ => &Format::ALL,
        }
    }
}

/// `editions.yaml`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EditionList {
    /// Every edition, in the order they are built.
    pub editions: Vec<Edition>,
}

/// One edition of the report.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edition {
    /// Its id: its folder and its files' name (`out/<id>/<id>.pdf`, `.docx`, `.html`) and
    /// what `build --edition` takes.
    pub id: String,
    /// Its name ("Executive Group").
    pub name: String,
    /// What it is: `report` (the default), `cover` (the board's cover paper), `slides` or
    /// `briefing` (the 7-minute briefing).
    #[serde(default)]
    pub kind: Kind,
    /// For a cover paper, slides or briefing: its own words, a file in the audit folder
    /// (`cover.yaml`, `slides.yaml`, `briefing.yaml` when absent).
    #[serde(default)]
    pub text: Option<String>,
    /// Who it is for, on the cover; the audit's audience when absent.
    #[serde(default)]
    pub audience: Option<String>,
    /// Protective marking for header and footer ("OFFICIAL-SENSITIVE").
    #[serde(default)]
    pub marking: Option<String>,
    /// Version, printed on the cover ("0.3").
    #[serde(default)]
    pub version: Option<String>,
    /// The edition's date, `YYYY-MM-DD`; the audit's date when absent.
    #[serde(default)]
    pub date: Option<String>,
    /// A final edition has no DRAFT watermark.
    #[serde(default, rename = "final")]
    pub is_final: bool,
    /// Labels of sections, sub-sections or appendices this edition leaves out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Counts from 1 up to one less than this are shown as "fewer than N", and their
    /// percentages withheld, in text, tables and charts alike (for editions leaving the board).
    #[serde(default)]
    pub suppress_below: Option<u32>,
    /// Print each chart's figures as a table under it too.
    #[serde(default)]
    pub chart_tables: bool,
    /// The lead's working copy: notes what the lead should know of the template (a question
    /// printed twice), which other editions print as it was.
    #[serde(default)]
    pub working_copy: bool,
    /// Every percentage its prose and chart tables print carries its 95 % interval (Wilson),
    /// and every change its interval (Newcombe): for the lead, who must not read too much
    /// into small numbers.
    #[serde(default)]
    pub intervals: bool,
    /// The files built for it (`[pdf, docx, html]`); a PDF alone when absent.
    #[serde(default = "pdf_only")]
    pub formats: Vec<Format>,
}

fn pdf_only() -> Vec<Format> {
    vec![Format::Pdf]
}

impl Edition {
    /// The edition built when the audit declares none: everything, final, unmarked.
    pub fn whole_report() -> Edition {
        Edition {
            id: "report".into(),
            name: "Report".into(),
            kind: Kind::Report,
            text: None,
            audience: None,
            marking: None,
            version: None,
            date: None,
            is_final: true,
            exclude: Vec::new(),
            suppress_below: None,
            chart_tables: false,
            working_copy: false,
            intervals: false,
            formats: pdf_only(),
        }
    }

    /// The file of its own words, for a cover paper, slides or briefing.
    pub fn text_file(&self) -> Option<String> {
        match self.kind {
            Kind::Report => None,
            kind => Some(
                self.text
                    .clone()
                    .unwrap_or_else(|| format!("{}.yaml", kind.name())),
            ),
        }
    }

    /// Whether a part with this label is in the edition (unlabelled parts always are).
    pub fn includes(&self, label: Option<&str>) -> bool {
        label.is_none_or(|label| !self.exclude.iter().any(|e| e == label))
    }

    /// Whether a block limited to `editions` (none: all) appears in this edition.
    pub fn shows(&self, editions: &[String]) -> bool {
        editions.is_empty() || editions.contains(&self.id)
    }

    /// Whether `wanted` (from `build --edition`) names this edition, by id or by name.
    pub fn is_named(&self, wanted: &str) -> bool {
        self.id.eq_ignore_ascii_case(wanted) || self.name.eq_ignore_ascii_case(wanted)
    }
}

/// The editions to build: all of them, or the one `only` names (by id or name).
pub fn select(editions: &[Edition], only: Option<&str>) -> Result<Vec<Edition>, Diagnostic> {
    let Some(wanted) = only else {
        return Ok(editions.to_vec());
    };
    match editions.iter().find(|e| e.is_named(wanted)) {
        Some(edition) => Ok(vec![edition.clone()]),
        None => {
            let known: Vec<String> = editions
                .iter()
                .map(|e| format!("`{}` ({})", e.id, e.name))
                .collect();
            let problem = Diagnostic::general(format!(
                "no edition is called `{wanted}`; the audit has {}",
                known.join(", ")
            ));
            Err(match nearest(wanted, editions) {
                Some(near) => problem.with_note(format!("did you mean {near}?")),
                None => problem,
            })
        }
    }
}

/// The editions nearest in spelling to `wanted`, by id, name or a word of either, for "did
/// you mean" wherever an edition is named: "`board` (Board)".
pub fn nearest(wanted: &str, editions: &[Edition]) -> Option<String> {
    crate::diag::nearest_named(
        wanted,
        editions.iter().map(|e| {
            (
                format!("`{}` ({})", e.id, e.name),
                vec![e.id.as_str(), e.name.as_str()],
            )
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_out_what_it_excludes_and_shows_limited_blocks() {
        let board = Edition {
            exclude: vec!["case-example".into()],
            id: "board".into(),
            ..Edition::whole_report()
        };
        assert!(!board.includes(Some("case-example")));
        assert!(board.includes(Some("findings")) && board.includes(None));
        assert!(board.shows(&[]) && board.shows(&["board".into()]));
        assert!(!board.shows(&["executive".into()]));
        assert!(board.is_named("BOARD") && board.is_named("Report"));
    }
}
