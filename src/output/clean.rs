//! `clean`: an audit's output set and charts taken away, and nothing else. Only what a
//! build marked as its own is removed: in the output folder, the folder of each edition
//! `records/` holds a record of, where it holds only a build's files, and those editions'
//! records; in the charts folder, the charts its [`super::CHARTS_MARKER`] names. Anything
//! else there (a collection workbook, a file the lead put there) is kept and named, with
//! the record or mark that makes the folder known to the next build; a folder nothing marks
//! is refused whole, unless it holds nothing or only what the other commands write there
//! ([`WORKING_FILES`]): then there is nothing to clean.

use super::{CHARTS_MARKER, inside, lock, recover};
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::RECORDS;
use std::fs;
use std::path::{Path, PathBuf};

pub use crate::edition::WORKING_FILES;

/// What a system leaves in a folder it shows (Finder, Explorer): nobody's work. A build
/// passes over it in an edition's folder and `clean` removes it with the folder; any other
/// file, hidden or not, is the lead's.
pub const CLUTTER: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

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
        // An edition's folder goes only when a record names it and it holds only what a
        // build writes there (a record copied beside a folder of the lead's took it whole).
        let editions = |name: &str, path: &Path| {
            name != RECORDS
                && fs::symlink_metadata(record_of(out, name)).is_ok()
                && only_files(path, |file| {
                    edition_file(name, file) || CLUTTER.contains(&file)
                })
        };
        cleaned.push(clean_folder(out, editions, |set| clean_records(out, set))?);
    }
    if charts_marked == Ok(true) {
        // Only the charts the mark names: a drawing of the lead's beside them is kept.
        let listed = listed_charts(&charts.join(CHARTS_MARKER));
        let ours = |name: &str, path: &Path| {
            let named = |relative: &Path| listed.iter().any(|l| l == relative);
            match name == CHARTS_MARKER {
                // (taken last, and only if it leaves the folder empty: a folder of the
                // lead's files and no mark is one a build refuses)
                true => false,
                // (a chart at every depth: a forged mark naming `mine/notes.docx` took it)
                false if real_dir(path) => only_files(path, |file| {
                    file.ends_with(".svg") && named(&Path::new(name).join(file))
                }),
                false => chart_file(path) && named(Path::new(name)),
            }
        };
        let mark = |set: &mut Cleaned| {
            set.kept.retain(|name| name != CHARTS_MARKER);
            let path = charts.join(CHARTS_MARKER);
            // (a hidden file, `.gitkeep`, or a system's clutter is nothing a build would
            // refuse the folder for: the mark may go beside it)
            let lead_s = |k: &String| !k.starts_with('.') && !CLUTTER.contains(&k.as_str());
            if !set.kept.iter().any(lead_s) && !listed.is_empty() {
                fs::remove_file(&path).map_err(|e| Diagnostic::io("remove", &path, &e))?;
                set.removed.push(CHARTS_MARKER.to_string());
            } else {
                set.kept.push(CHARTS_MARKER.to_string());
            }
            Ok(())
        };
        cleaned.push(clean_folder(charts, ours, mark)?);
    }
    Ok(cleaned)
}

/// Whether `file` is a name a build writes in the folder of edition `edition`: its PDF,
/// Word and web files and its figures.
pub fn edition_file(edition: &str, file: &str) -> bool {
    file == "figures.csv"
        || ["pdf", "docx", "html"]
            .iter()
            .any(|e| file == format!("{edition}.{e}"))
}

/// Whether `file` is a name a build writes in any of its folders (an edition's files, a
/// record or list of changes, the figures, a chart), or a system's clutter beside them.
pub(super) fn written_by_a_build(file: &str) -> bool {
    [
        ".pdf",
        ".docx",
        ".html",
        ".svg",
        ".record.json",
        ".changes.txt",
    ]
    .iter()
    .any(|e| file.ends_with(e))
        || file == "figures.csv"
        || CLUTTER.contains(&file)
}

/// Refuses the folder of edition `edition` where it holds what no build writes there (a
/// file of the lead's, a folder): a build replaces the folder whole and would drop it.
pub fn only_built(folder: &Path, edition: &str) -> Result<(), Diagnostic> {
    let mut theirs: Vec<String> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let plain = fs::symlink_metadata(e.path()).is_ok_and(|m| m.is_file());
            let ours = plain && (edition_file(edition, &name) || CLUTTER.contains(&name.as_str()));
            !ours
        })
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    theirs.sort();
    match theirs.first() {
        None => Ok(()),
        Some(first) => Err(Diagnostic::general(format!(
            "`{}` holds `{first}`, which no build wrote; the edition `{edition}` replaces its folder whole and would drop it: move it out",
            folder.display()
        ))),
    }
}

/// The records of the editions `set` removed, and the figures of all cases, from `records/`
/// (a kept edition keeps its record: without it, the next build would take its folder for
/// someone else's); the folder too when that empties it.
fn clean_records(out: &Path, set: &mut Cleaned) -> Result<(), Diagnostic> {
    let records = out.join(RECORDS);
    let mut left = false;
    for entry in fs::read_dir(&records).map_err(|e| Diagnostic::io("read", &records, &e))? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        // (each edition's record and its list of changes)
        let edition =
            (name.strip_suffix(".record.json")).or_else(|| name.strip_suffix(".changes.txt"));
        let removed = edition.is_some_and(|e| set.removed.iter().any(|r| r == e));
        let plain = fs::symlink_metadata(entry.path()).is_ok_and(|m| m.is_file());
        if plain && (removed || name == "figures.csv") {
            let path = entry.path();
            fs::remove_file(&path).map_err(|e| Diagnostic::io("remove", &path, &e))?;
        } else {
            left = true;
        }
    }
    set.kept.retain(|name| name != RECORDS);
    if !left && fs::remove_dir(&records).is_ok() {
        set.removed.push(RECORDS.to_string());
    } else {
        set.kept.push(RECORDS.to_string());
    }
    Ok(())
}

/// The mark's lines naming the charts of the folder `charts` a build writes (`written`),
/// with those an earlier build's mark named, which a build of one edition keeps beside its
/// own (else `clean` would leave them, named the lead's).
pub(super) fn mark_lines<'a>(charts: &Path, written: impl Iterator<Item = &'a Path>) -> String {
    let mut named = listed_charts(&charts.join(CHARTS_MARKER));
    named.extend(written.map(Path::to_path_buf));
    named.sort();
    named.dedup();
    (named.iter())
        .map(|p| format!("{}{}\n", super::CHART_LINE, p.display()))
        .collect()
}

/// The charts a build's mark names (none in a mark written before builds named them:
/// then nothing is taken).
fn listed_charts(mark: &Path) -> Vec<PathBuf> {
    let text = fs::read_to_string(mark).unwrap_or_default();
    text.lines()
        .filter_map(|l| l.strip_prefix(super::CHART_LINE))
        .map(PathBuf::from)
        .collect()
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
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.ends_with(".record.json") || name.ends_with(".changes.txt")
            })
        })
}

/// Whether `records` holds only what a build writes there (records, lists of changes, the
/// figures of all cases), and something: a folder a clean before this one left with the
/// lists of changes only is still the build's.
pub fn only_build_records(records: &Path) -> bool {
    is_records_folder(records)
        && only_files(records, |file| {
            file.ends_with(".record.json")
                || file.ends_with(".changes.txt")
                || file == "figures.csv"
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

/// A folder (not a link) holding plain files only, each a name `ours` says a build writes.
pub(super) fn only_files(folder: &Path, ours: impl Fn(&str) -> bool) -> bool {
    real_dir(folder)
        && fs::read_dir(folder).is_ok_and(|entries| {
            entries.flatten().all(|e| {
                let plain = fs::symlink_metadata(e.path()).is_ok_and(|m| m.is_file());
                plain && ours(&e.file_name().to_string_lossy())
            })
        })
}

/// Removes each entry of `folder` that `ours` says a build wrote (by its name and path),
/// under the folder's lock and after finishing or clearing what a stopped build left; the
/// folder itself too when nothing else is left in it.
fn clean_folder(
    folder: &Path,
    ours: impl Fn(&str, &Path) -> bool,
    then: impl FnOnce(&mut Cleaned) -> Result<(), Diagnostic>,
) -> Result<Cleaned, Diagnostic> {
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
    then(&mut cleaned)?;
    // (the lock's file goes with the lock; then the folder, if that left it empty)
    drop(held);
    cleaned.gone = cleaned.kept.is_empty() && fs::remove_dir(folder).is_ok();
    Ok(cleaned)
}
