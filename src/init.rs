//! `init`: a new audit folder that builds at once, to edit into the lead's own; or, with
//! `--from`, the next round of an existing audit (its template, editions and comparison
//! table, no cases or returns yet, and `previous:` naming the earlier round).

use crate::diag::{Diagnostic, Diagnostics, Location};
use std::path::{Component, Path, PathBuf};

/// The starter audit, compiled in (`report-templates/new-audit/`).
const STARTER: &[(&str, &str)] = &[
    (
        "audit.yaml",
        include_str!("../report-templates/new-audit/audit.yaml"),
    ),
    (
        "questions.yaml",
        include_str!("../report-templates/new-audit/questions.yaml"),
    ),
    (
        "cases.yaml",
        include_str!("../report-templates/new-audit/cases.yaml"),
    ),
    (
        "editions.yaml",
        include_str!("../report-templates/new-audit/editions.yaml"),
    ),
    (
        "neighbours.yaml",
        include_str!("../report-templates/new-audit/neighbours.yaml"),
    ),
    (
        "narrative/01-report.yaml",
        include_str!("../report-templates/new-audit/narrative/01-report.yaml"),
    ),
    (
        "returns/A1/childrens-social-care.yaml",
        include_str!("../report-templates/new-audit/returns/A1/childrens-social-care.yaml"),
    ),
    (
        "returns/A1/health.yaml",
        include_str!("../report-templates/new-audit/returns/A1/health.yaml"),
    ),
    (
        "returns/A1/police.yaml",
        include_str!("../report-templates/new-audit/returns/A1/police.yaml"),
    ),
    (
        "returns/A2/childrens-social-care.yaml",
        include_str!("../report-templates/new-audit/returns/A2/childrens-social-care.yaml"),
    ),
    (
        "returns/A2/health.yaml",
        include_str!("../report-templates/new-audit/returns/A2/health.yaml"),
    ),
    (
        "returns/A2/schools.yaml",
        include_str!("../report-templates/new-audit/returns/A2/schools.yaml"),
    ),
    (
        "returns/A3/childrens-social-care.yaml",
        include_str!("../report-templates/new-audit/returns/A3/childrens-social-care.yaml"),
    ),
    (
        "returns/A3/schools.yaml",
        include_str!("../report-templates/new-audit/returns/A3/schools.yaml"),
    ),
];

/// Writes a new audit folder at `dir` (which must not exist, or be empty): the starter
/// audit, or the next round of `from`. Returns the files written.
pub fn init(dir: &Path, from: Option<&Path>) -> Result<Vec<PathBuf>, Diagnostics> {
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
    let files = match from {
        None => STARTER
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_string()))
            .collect(),
        Some(from) => next_round(dir, from)?,
    };
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create", parent, &e))?;
        }
        std::fs::write(&target, text).map_err(|e| Diagnostic::io("write", &target, &e))?;
        written.push(target);
    }
    // The returns folder is there to fill, even when empty.
    let returns = dir.join("returns");
    std::fs::create_dir_all(&returns).map_err(|e| Diagnostic::io("create", &returns, &e))?;
    Ok(written)
}

/// The next round of `from`: its template, editions and comparison table as they are; its
/// audit.yaml naming it as `previous:`; a narrative with every charted question and how it
/// changed; no cases or returns.
fn next_round(dir: &Path, from: &Path) -> Result<Vec<(PathBuf, String)>, Diagnostics> {
    let read = |name: &str| -> Result<String, Diagnostics> {
        let path = from.join(name);
        std::fs::read_to_string(&path).map_err(|e| Diagnostic::io("read", &path, &e).into())
    };
    let (folder, _) = crate::input::load(from)?;
    let previous = relative(dir, from).ok_or_else(|| {
        Diagnostics::from(Diagnostic::general(format!(
            "cannot say where `{}` is from `{}`",
            from.display(),
            dir.display()
        )))
    })?;
    let mut info: String = read("audit.yaml")?
        .lines()
        .filter(|l| !l.starts_with("previous:"))
        .map(|l| format!("{l}\n"))
        .collect();
    info.push_str(&format!(
        "# The earlier round, whose figures this one's are compared with.\nprevious: {}\n",
        previous.display()
    ));
    let mut files = vec![
        (PathBuf::from("audit.yaml"), info),
        (PathBuf::from("questions.yaml"), read("questions.yaml")?),
        (
            PathBuf::from("cases.yaml"),
            "# This round's cases: one child each, by id only. Never a name or a date of birth.\ncases: []\n".into(),
        ),
    ];
    for optional in ["editions.yaml", "neighbours.yaml", "allow.yaml"] {
        if from.join(optional).is_file() {
            files.push((PathBuf::from(optional), read(optional)?));
        }
    }
    let mut narrative = String::from(
        "# This round's report. Each charted question shows both rounds; {{change}} and\n\
         # {{chance}} say how a figure moved (docs/figures-in-prose.md).\n\
         id: report\ntitle: Findings of the re-audit\nsubsections:\n- id: answers\n  title: What the returns said\n  blocks:\n",
    );
    for question in folder
        .questions
        .value
        .questions
        .iter()
        .filter(|q| q.chart.is_some())
    {
        narrative.push_str(&format!("  - question: {}\n", question.id));
        let first = question.options.first().map(|o| o.id.as_str());
        if let (crate::input::model::QuestionKind::Single, Some(option)) = (question.kind, first) {
            narrative.push_str(&format!(
                "  - p: >-\n      “{}” {{{{change \"{}\" \"{option}\"}}}}: {{{{chance \"{}\" \"{option}\"}}}}.\n",
                question.options[0].text.replace('"', "'"),
                question.id,
                question.id
            ));
        }
    }
    narrative.push_str(
        "appendices:\n- id: action-plan\n  title: Action plan progress\n  generated: action-plan\n",
    );
    files.push((PathBuf::from("narrative/01-report.yaml"), narrative));
    Ok(files)
}

/// `to` as a path relative to the folder `dir` will be.
fn relative(dir: &Path, to: &Path) -> Option<PathBuf> {
    let absolute = |p: &Path| -> Option<PathBuf> {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        // `dir` may not exist yet: resolve `.` and `..` by hand.
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        Some(out)
    };
    let (dir, to) = (absolute(dir)?, absolute(to)?);
    let common = dir
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut path = PathBuf::new();
    for _ in dir.components().skip(common) {
        path.push("..");
    }
    for c in to.components().skip(common) {
        path.push(c);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn the_earlier_round_is_named_from_the_new_folder() {
        assert_eq!(
            relative(Path::new("/a/audits/2015"), Path::new("/a/audits/2014")).unwrap(),
            Path::new("../2014")
        );
        assert_eq!(
            relative(Path::new("/a/x/../b/new"), Path::new("/a/data")).unwrap(),
            Path::new("../../data")
        );
    }
}
