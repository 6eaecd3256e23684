//! `clean`: an audit's output set and charts taken away, and nothing else. Only what a
//! build marked as its own is removed: in the output folder, the internal `records/` (a
//! folder of build records) and the folder of each edition it holds a record of; the charts
//! folder's charts, when the folder carries [`super::CHARTS_MARKER`]. Anything else there
//! (a collection workbook, a file the lead put there) is kept and named, and a folder
//! nothing marks is refused whole, unless it holds nothing or only what the other commands
//! write there ([`WORKING_FILES`]): then there is nothing to clean.

use super::{CHARTS_MARKER, inside, lock, recover};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::RECORDS;
use std::fs;
use std::path::{Path, PathBuf};

/// What `template` and `actions` write into the audit's output folder by default: the lead's
/// working files, sent to agencies and read back, never part of a build's set; kept.
pub const WORKING_FILES: [&str; 3] = ["template.xlsx", "collection", "actions.xlsx"];

/// What a clean did to one folder.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// The folder.
    pub folder: PathBuf,
    /// The names of the entries removed from it (a folder once, not its contents).
    pub removed: Vec<String>,
    /// The names of the entries that are not a build's, left where they were.
    pub kept: Vec<String>,
    /// Whether the folder itself went too, nothing being left in it.
    pub gone: bool,
}

/// Removes the output set in `out` and the charts in `charts` (see the module comment),
/// each under its folder's lock, so no build is writing there meanwhile. A folder that is
/// not there is nothing to clean; one no build marked is refused, and nothing of it
/// removed.
pub fn clean(out: &Path, charts: &Path) -> Result<Vec<Cleaned>, Diagnostics> {
    let mut problems = Diagnostics::default();
    let out_records = refused(out, "output", &out.join(RECORDS), is_records_folder);
    let charts_marked = refused(charts, "charts", &charts.join(CHARTS_MARKER), Path::is_file);
    for refusal in [&out_records, &charts_marked] {
        if let Err(problem) = refusal {
            problems.push(problem.clone());
        }
    }
    // (both checked before either is touched: a refusal removes nothing)
    if !problems.0.is_empty() {
        return Err(problems);
    }
    let mut cleaned = Vec::new();
    if out_records == Ok(true) {
        cleaned.push(clean_folder(out, |name, path| {
            name == RECORDS || fs::symlink_metadata(record_of(out, name)).is_ok() && real_dir(path)
        })?);
    }
    if charts_marked == Ok(true) {
        cleaned.push(clean_folder(charts, |name, path| {
            name == CHARTS_MARKER || chart_file(path) || real_dir(path) && only_charts(path)
        })?);
    }
    Ok(cleaned)
}

/// `Ok(false)` when `folder` is not there; `Ok(true)` when `mark` (inside it) says a build
/// made it; a refusal naming the mark otherwise.
fn refused(
    folder: &Path,
    what: &str,
    mark: &Path,
    is_marked: fn(&Path) -> bool,
) -> Result<bool, Diagnostic> {
    let Ok(meta) = fs::symlink_metadata(folder) else {
        return Ok(false);
    };
    if meta.file_type().is_symlink() || !meta.is_dir() {
        return Err(Diagnostic::general(format!(
            "the {what} folder `{}` is not a folder but a link or a file; clean removes only what a build wrote, and nothing was removed",
            folder.display()
        )));
    }
    if is_marked(mark) {
        return Ok(true);
    }
    let unmarked = fs::read_dir(folder).map_err(|e| Diagnostic::io("read", folder, &e))?;
    let names: Vec<String> = unmarked
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.iter().all(|n| WORKING_FILES.contains(&n.as_str())) {
        return Ok(false);
    }
    Err(Diagnostic::general(format!(
        "the {what} folder `{}` has no `{}`, so no build of audit-report marked it as its own; clean removes only what a build wrote, and nothing was removed",
        folder.display(),
        mark.display()
    ))
    .with_note("give the folders the build wrote (`--out`, `--charts`), or remove this one yourself if it is yours"))
}

/// A `records/` folder (not a link) holding at least one build record.
fn is_records_folder(records: &Path) -> bool {
    real_dir(records)
        && fs::read_dir(records).is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().ends_with(".record.json"))
        })
}

/// The build record an edition's folder named `name` would have.
fn record_of(out: &Path, name: &str) -> PathBuf {
    out.join(RECORDS).join(format!("{name}.record.json"))
}

fn real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

fn chart_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
        && path.extension().is_some_and(|e| e == "svg")
}

/// A folder of a chart set (`fewer-than-5/`): chart files and nothing else.
fn only_charts(folder: &Path) -> bool {
    fs::read_dir(folder).is_ok_and(|entries| entries.flatten().all(|e| chart_file(&e.path())))
}

/// Removes each entry of `folder` that `ours` says a build wrote (by its name and path),
/// under the folder's lock and after finishing or clearing what a stopped build left; the
/// folder itself too when nothing else is left in it.
fn clean_folder(folder: &Path, ours: impl Fn(&str, &Path) -> bool) -> Result<Cleaned, Diagnostic> {
    let mut cleaned = Cleaned {
        folder: folder.to_path_buf(),
        ..Cleaned::default()
    };
    let held = lock(folder)?;
    recover(folder)?;
    let mut entries: Vec<_> = fs::read_dir(folder)
        .map_err(|e| Diagnostic::io("read", folder, &e))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    // (the records last: an edition's folder is known for a build's by its record)
    entries.sort_by_key(|name| name == RECORDS);
    for name in entries {
        if name == ".lock" {
            continue;
        }
        let path = inside(folder, Path::new(&name))?;
        if WORKING_FILES.contains(&name.as_str()) || !ours(&name, &path) {
            cleaned.kept.push(name);
            continue;
        }
        let removed = match real_dir(&path) {
            true => fs::remove_dir_all(&path),
            false => fs::remove_file(&path),
        };
        removed.map_err(|e| Diagnostic::io("remove", &path, &e))?;
        cleaned.removed.push(name);
    }
    // (the lock's file goes with the lock; then the folder, if that left it empty)
    drop(held);
    cleaned.gone = cleaned.kept.is_empty() && fs::remove_dir(folder).is_ok();
    Ok(cleaned)
}
