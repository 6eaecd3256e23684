//! The audit's folders as listed once: the YAML files parsed (`returns/`, `narrative/`),
//! the spreadsheets among the returns found, and what is not read said (other kinds of
//! file, symbolic links, pipes, a workbook still open in Excel).

use super::{Parsed, parse_file_with};
use crate::diag::{Diagnostic, Diagnostics, Location};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// A folder's entries, walked once, sorted by file name: every file and folder below it
/// (symbolic links not followed) and the errors met on the way.
pub(super) struct Listing {
    dir: PathBuf,
    entries: Vec<walkdir::DirEntry>,
    errors: Vec<walkdir::Error>,
}

impl Listing {
    pub(super) fn of(dir: &Path) -> Listing {
        let mut listing = Listing {
            dir: dir.to_path_buf(),
            entries: Vec::new(),
            errors: Vec::new(),
        };
        // (a linked folder is not walked: see `unread`)
        let linked = fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink());
        if dir.is_dir() && !linked {
            for entry in WalkDir::new(dir).sort_by_file_name() {
                match entry {
                    Ok(entry) => listing.entries.push(entry),
                    Err(error) => listing.errors.push(error),
                }
            }
        }
        listing
    }

    /// Its files (not the folder itself, not links).
    fn files(&self) -> impl Iterator<Item = &walkdir::DirEntry> {
        self.entries.iter().filter(|e| e.file_type().is_file())
    }
}

/// Parses every `.yaml`/`.yml` file of `listing`, sorted by path so the order is stable
/// (`plain` as in [`parse_file_with`]).
pub(super) fn parse_tree<T: DeserializeOwned + Send>(
    listing: &Listing,
    plain: fn(&str) -> Option<T>,
    problems: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    let dir = listing.dir.as_path();
    if !dir.is_dir() {
        problems.push(Diagnostic::error(
            Location::file(dir),
            format!("folder `{}` is missing", dir.display()),
        ));
        return Vec::new();
    }
    for error in &listing.errors {
        problems.push(Diagnostic::error(
            Location::file(error.path().unwrap_or(dir)),
            format!("failed to read folder ({error})"),
        ));
    }
    let paths: Vec<PathBuf> = listing
        .files()
        .filter(|e| is_yaml(e.path()))
        .map(|e| e.path().to_path_buf())
        .collect();
    // Thousands of returns parse in parallel and come back in path order.
    let parsed = crate::parallel::by_share(&paths, 64, |share| {
        let mut problems = Diagnostics::default();
        let parsed: Vec<Parsed<T>> = share
            .iter()
            .filter_map(|path| parse_file_with(path, plain, &mut problems))
            .collect();
        (parsed, problems)
    });
    let mut all = Vec::with_capacity(paths.len());
    for share in parsed {
        match share {
            Ok((chunk, found)) => {
                all.extend(chunk);
                problems.extend(found);
            }
            // (should reading ever fail this way, each file of its share says so: none is
            // left out of the figures unnoticed)
            Err(stopped) => {
                for path in stopped {
                    problems.push(Diagnostic::error(
                        Location::file(path),
                        "reading this file stopped unexpectedly; it is not read",
                    ));
                }
            }
        }
    }
    all
}

/// The CSV and XLSX files of `listing`, in path order.
pub(super) fn spreadsheets(listing: &Listing) -> Vec<PathBuf> {
    listing
        .files()
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with("~$") && is_spreadsheet(p)
        })
        .collect()
}

/// The extensions returns may come in as spreadsheets (lower case): the one list the
/// reader, its messages and `watch` go by.
pub const SPREADSHEETS: &[&str] = &["csv", "xlsx"];

/// `path`'s extension, lower case (`Police.XLSX` is a workbook too).
fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
}

/// Whether `path` is a YAML file, by its extension in any case.
pub fn is_yaml(path: &Path) -> bool {
    matches!(extension(path).as_deref(), Some("yaml" | "yml"))
}

/// Whether `path` is a spreadsheet returns may be read from, by its extension in any case.
pub fn is_spreadsheet(path: &Path) -> bool {
    extension(path).is_some_and(|e| SPREADSHEETS.contains(&e.as_str()))
}

/// A warning at a spreadsheet of returns whose lock file (`~$name.xlsx`, made while Excel
/// has `name.xlsx` open, or LibreOffice's `.~lock.name.xlsx#`) stands beside it, given the lock file's `path` and `name`:
/// what is read is the copy last saved, which may not hold the last answers typed.
fn open_in_excel(path: &Path, name: &str, problems: &mut Diagnostics) {
    // Excel's `~$name.xlsx`, LibreOffice's `.~lock.name.xlsx#`
    let Some(workbook) = name.strip_prefix("~$").or_else(|| {
        name.strip_prefix(".~lock.")
            .and_then(|rest| rest.strip_suffix('#'))
    }) else {
        return;
    };
    let beside = path.with_file_name(workbook);
    let spreadsheet = is_spreadsheet(&beside);
    if spreadsheet && beside.is_file() {
        problems.push(
            Diagnostic::warning(
                Location::file(&beside),
                format!(
                    "`{workbook}` is open in Excel or LibreOffice (its lock file `{name}` is beside it); what is read is the copy last saved, which may not hold the last answers typed"
                ),
            )
            .with_note("close it, saving it first, and run again")
            .with_note(format!(
                "if it is not open anywhere, the program left `{name}` behind when it stopped: delete `{name}`"
            )),
        );
    }
}

/// Files of `listing` that will not be read, said out loud: other kinds of file (warnings:
/// `what` says what is read there) and symbolic links, which are never followed (an error
/// when the link leads outside the audit folder `root`).
pub(super) fn unread(
    listing: &Listing,
    root: &Path,
    spreadsheets: bool,
    problems: &mut Diagnostics,
) {
    if fs::symlink_metadata(&listing.dir).is_ok_and(|m| m.file_type().is_symlink()) {
        problems.push(
            Diagnostic::error(
                Location::file(&listing.dir),
                "this folder is a symbolic link; an audit reads only what is inside its folder, so nothing in it is read",
            )
            .with_note("copy the folder into the audit folder instead"),
        );
        return;
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in listing.entries.iter().filter(|e| e.depth() >= 1) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() {
            problems.push(linked(path, &root));
            continue;
        }
        let kind = entry.file_type();
        // A pipe or a device among the returns is not one to skip without a word: a return
        // put there is missing from every figure.
        if !kind.is_file() && !kind.is_dir() {
            problems.push(
                Diagnostic::error(
                    Location::file(path),
                    "this is not a plain file (a pipe or a device); it is not read",
                )
                .with_note("put the file itself in the audit folder"),
            );
            continue;
        }
        if spreadsheets && kind.is_file() {
            open_in_excel(path, &name, problems);
        }
        if !kind.is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let read = is_yaml(path) || (spreadsheets && is_spreadsheet(path));
        if !read {
            let expected = if spreadsheets {
                "returns are read from .yaml, .csv and .xlsx files (save other spreadsheets as .xlsx)"
            } else {
                "narrative is read from .yaml files"
            };
            problems.push(Diagnostic::warning(
                Location::file(path),
                format!("not read: {expected}"),
            ));
        }
    }
}

/// A symbolic link in a folder of the audit at `root`: never followed, and an error when it
/// leads outside the audit folder.
fn linked(path: &Path, root: &Path) -> Diagnostic {
    let target = path.canonicalize();
    if target.is_err() {
        return Diagnostic::warning(
            Location::file(path),
            "this is a symbolic link to nothing (what it named is gone); it is not read",
        )
        .with_note("remove it, or copy the file it named here");
    }
    let outside = target.map_or(true, |target| !target.starts_with(root));
    if outside {
        Diagnostic::error(
            Location::file(path),
            "this is a symbolic link to something outside the audit folder; it is not read",
        )
        .with_note("copy the file into the audit folder instead")
    } else {
        Diagnostic::warning(
            Location::file(path),
            "symbolic links are not followed; this is not read",
        )
        .with_note("copy the file here instead of linking it")
    }
}
