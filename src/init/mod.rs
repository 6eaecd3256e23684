//! `init`: a new audit folder that builds at once, to edit into the lead's own; or, with
//! `--from`, the next round of an existing audit (its template, editions and comparison
//! table, no cases, returns or reviewed exceptions yet, and `previous:` naming the earlier
//! round), which checks with no errors: what it must give again (date, audience, period,
//! facts, versions) is listed under `carried_over:`, a warning until changed.

mod next_round;
mod yaml_text;

use crate::diag::{Diagnostic, Diagnostics, Location};
use next_round::next_round;
use std::path::{Path, PathBuf};

/// The starter audit, compiled in (`report-templates/new-audit/`).
const STARTER: &[(&str, &str)] = &[
    (
        "audit.yaml",
        include_str!("../../report-templates/new-audit/audit.yaml"),
    ),
    (
        "questions.yaml",
        include_str!("../../report-templates/new-audit/questions.yaml"),
    ),
    (
        "cases.yaml",
        include_str!("../../report-templates/new-audit/cases.yaml"),
    ),
    (
        "editions.yaml",
        include_str!("../../report-templates/new-audit/editions.yaml"),
    ),
    (
        "neighbours.yaml",
        include_str!("../../report-templates/new-audit/neighbours.yaml"),
    ),
    ("cover.yaml", COVER),
    ("slides.yaml", SLIDES),
    ("briefing.yaml", BRIEFING),
    (
        "narrative/01-report.yaml",
        include_str!("../../report-templates/new-audit/narrative/01-report.yaml"),
    ),
    (
        "returns/A1/childrens-social-care.yaml",
        include_str!("../../report-templates/new-audit/returns/A1/childrens-social-care.yaml"),
    ),
    (
        "returns/A1/health.yaml",
        include_str!("../../report-templates/new-audit/returns/A1/health.yaml"),
    ),
    (
        "returns/A1/police.yaml",
        include_str!("../../report-templates/new-audit/returns/A1/police.yaml"),
    ),
    (
        "returns/A2/childrens-social-care.yaml",
        include_str!("../../report-templates/new-audit/returns/A2/childrens-social-care.yaml"),
    ),
    (
        "returns/A2/health.yaml",
        include_str!("../../report-templates/new-audit/returns/A2/health.yaml"),
    ),
    (
        "returns/A2/schools.yaml",
        include_str!("../../report-templates/new-audit/returns/A2/schools.yaml"),
    ),
    (
        "returns/A3/childrens-social-care.yaml",
        include_str!("../../report-templates/new-audit/returns/A3/childrens-social-care.yaml"),
    ),
    (
        "returns/A3/schools.yaml",
        include_str!("../../report-templates/new-audit/returns/A3/schools.yaml"),
    ),
];

/// The starters of the papers that travel with the report, also written for a next round.
const COVER: &str = include_str!("../../report-templates/new-audit/cover.yaml");
const BRIEFING: &str = include_str!("../../report-templates/new-audit/briefing.yaml");

const SLIDES: &str = include_str!("../../report-templates/new-audit/slides.yaml");

/// The starter of a paper of `kind` for a next round, whose question bank may not have the
/// starter's questions: the cover paper and briefing name only figures any audit has; the
/// slides chart the bank's first charted questions.
fn pack_starter(
    kind: crate::edition::Kind,
    bank: &crate::input::model::QuestionBank,
) -> Option<String> {
    match kind {
        crate::edition::Kind::Cover => Some(COVER.to_string()),
        crate::edition::Kind::Briefing => Some(BRIEFING.to_string()),
        crate::edition::Kind::Slides => {
            let head = SLIDES.split("\ncharts:").next().unwrap_or_default();
            let charts: String = (bank.questions.iter())
                .filter(|q| q.chart.is_some())
                .take(3)
                .map(|q| format!("- question: {}\n", q.id))
                .collect();
            Some(format!("{head}\ncharts:\n{charts}"))
        }
        crate::edition::Kind::Report => None,
    }
}

/// What `init` wrote, and what the lead should know of it before going on.
#[derive(Debug, Default)]
pub struct Written {
    /// Every file written.
    pub files: Vec<PathBuf>,
    /// For the next round: what was not carried over, or carried with a mark, a sentence each.
    pub notes: Vec<String>,
}

/// Writes a new audit folder at `dir` (which must not exist, or be empty): the starter
/// audit, or the next round of `from`.
/// `names` is the private names list, which the files are read against (with the guard's
/// patterns) before any is written.
pub fn init(dir: &Path, from: Option<&Path>, names: &[String]) -> Result<Written, Diagnostics> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied || dir.is_file() {
        return Err(Diagnostic::error(
            Location::file(dir),
            format!(
                "`{}` is not empty: init starts a new audit folder and never writes over one",
                dir.display()
            ),
        )
        .with_note("name a new folder: audit-report init my-audit")
        .into());
    }
    let (files, notes) = match from {
        None => (
            STARTER
                .iter()
                .map(|(path, text)| (PathBuf::from(path), text.to_string()))
                .collect(),
            Vec::new(),
        ),
        Some(from) => next_round(dir, from)?,
    };
    guarded(dir, &files, names)?;
    let mut written = Written {
        files: Vec::new(),
        notes,
    };
    for (path, text) in files {
        let target = dir.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create", parent, &e))?;
        }
        std::fs::write(&target, text).map_err(|e| Diagnostic::io("write", &target, &e))?;
        written.files.push(target);
    }
    // The returns folder is there to fill, even when empty.
    let returns = dir.join("returns");
    std::fs::create_dir_all(&returns).map_err(|e| Diagnostic::io("create", &returns, &e))?;
    Ok(written)
}

/// The files `init` would write (each path relative to `dir`, and its text), read by the
/// guard before any is written, names and text: the next round carries the earlier round's
/// words (its narrative, editions and template) and must not carry a private name or
/// personal data into the new folder with them.
fn guarded(dir: &Path, files: &[(PathBuf, String)], names: &[String]) -> Result<(), Diagnostics> {
    use crate::check::guard::{Guard, mask};
    let guard = Guard::new(names, &[]);
    let sources: Vec<crate::input::Source> = files
        .iter()
        .map(|(path, text)| crate::input::Source {
            path: dir.join(path),
            text: text.clone(),
            cells: None,
        })
        .collect();
    let (mut problems, _) = guard.scan_sources(&sources);
    for (path, _) in files {
        for part in path.iter() {
            let name = part.to_string_lossy();
            let stem = name
                .rsplit_once('.')
                .map_or(name.as_ref(), |(stem, _)| stem);
            for hit in guard.find(&stem.replace('_', " ")) {
                problems.push(Diagnostic::error(
                    Location::file(dir.join(path)),
                    format!(
                        "possible personal data ({}) in a file or folder name: `{}`",
                        hit.kind,
                        mask(&hit.text)
                    ),
                ));
            }
        }
    }
    problems.into_result(()).map(|_| ())
}
