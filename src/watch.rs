//! Watch: rebuild whenever a file of the audit folder (or the templates folder) changes.
//!
//! The process stays up, so fonts are loaded once and Typst's memoised work carries over from
//! one build to the next: a one-return correction re-lays out only what changed.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::input;
use crate::{BuildOptions, BuildSummary, build};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// One build made by `watch`.
pub struct Rebuild {
    /// What the build gave.
    pub result: Result<BuildSummary, Diagnostics>,
    /// How long it took.
    pub took: Duration,
    /// The files whose change set it off (none for the first build).
    pub changed: Vec<PathBuf>,
}

/// A pause in file events this long ends a burst (one save).
const BURST_GAP: Duration = Duration::from_millis(20);

/// A burst is cut off after this long, so a file written continuously still gets built.
const BURST_MOST: Duration = Duration::from_millis(500);

/// Builds once, then again after every change, calling `report` after each build. Returns
/// only if the folder cannot be watched.
pub fn watch(options: &BuildOptions, report: &mut dyn FnMut(Rebuild)) -> Result<(), Diagnostic> {
    on_change(options, &mut |changed| {
        let started = Instant::now();
        let result = build(options, &mut |_| {});
        report(Rebuild {
            result,
            took: started.elapsed(),
            changed,
        });
    })
}

/// Calls `each` once at the start (with no files), then after every change to an input of
/// the audit folder or templates (with the files whose content changed). Returns only if
/// the folders cannot be watched.
pub fn on_change(
    options: &BuildOptions,
    each: &mut dyn FnMut(Vec<PathBuf>),
) -> Result<(), Diagnostic> {
    let (_watcher, events, folders) = start_watching(options)?;
    // The output folders may be in the audit folder (`out/` and `charts/` are by default):
    // what a build writes there (figures.csv, a workbook) is no input, and would set off the
    // next build.
    let outputs = [
        crate::output::resolved(&options.out),
        crate::output::resolved(&options.charts),
    ];
    let is_input = |path: &std::path::Path| {
        is_input(path) && !outputs.iter().any(|folder| path.starts_with(folder))
    };
    // Editors and tools often touch a file more than once per save; a rebuild happens only
    // when an input's content really differs from what the last build read.
    let mut seen: HashMap<PathBuf, Option<String>> = folders
        .iter()
        .flat_map(|folder| walkdir::WalkDir::new(folder).into_iter().flatten())
        .filter(|entry| entry.file_type().is_file() && is_input(entry.path()))
        .map(|entry| (entry.path().to_path_buf(), fingerprint(entry.path())))
        .collect();
    let mut changed = Vec::new();
    loop {
        each(std::mem::take(&mut changed));
        // Keep recent memoised results, drop ones unused for ten builds (as typst watch does).
        typst::comemo::evict(10);
        while changed.is_empty() {
            let Some(batch) = next_burst(&events) else {
                return Ok(());
            };
            let mut touched: Vec<PathBuf> = batch
                .into_iter()
                .flatten()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)
                    )
                })
                .flat_map(|e| e.paths)
                .filter(|p| is_input(p))
                .collect();
            touched.sort();
            touched.dedup();
            for path in touched {
                let now = fingerprint(&path);
                if seen.get(&path) != Some(&now) {
                    seen.insert(path.clone(), now);
                    changed.push(path);
                }
            }
        }
    }
}

/// Events as the watcher sends them.
type Events = mpsc::Receiver<notify::Result<notify::Event>>;

/// Starts watching the audit folder and the templates, recursively: the watcher (which
/// watches while kept), its events, and the folders as absolute paths, as it reports them.
fn start_watching(
    options: &BuildOptions,
) -> Result<(notify::RecommendedWatcher, Events, Vec<PathBuf>), Diagnostic> {
    let (sender, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(sender)
        .map_err(|e| Diagnostic::general(format!("failed to start watching ({e})")))?;
    let mut folders = vec![options.audit.clone()];
    folders.extend(options.templates.clone());
    let folders: Vec<PathBuf> = folders
        .into_iter()
        .map(|f| std::fs::canonicalize(&f).unwrap_or(f))
        .collect();
    for folder in &folders {
        watcher
            .watch(folder, RecursiveMode::Recursive)
            .map_err(|e| {
                Diagnostic::error(
                    Location::file(folder),
                    format!("failed to watch `{}` ({e})", folder.display()),
                )
            })?;
    }
    Ok((watcher, events, folders))
}

/// Waits for a change, then takes the rest of its burst (an editor's save is a few events
/// within milliseconds): the build starts once the events pause for [`BURST_GAP`], not after
/// a fixed wait. `None` once the watcher has stopped.
fn next_burst(events: &Events) -> Option<Vec<notify::Result<notify::Event>>> {
    let first = events.recv().ok()?;
    let mut batch = vec![first];
    let started = Instant::now();
    while started.elapsed() < BURST_MOST {
        match events.recv_timeout(BURST_GAP) {
            Ok(event) => batch.push(event),
            Err(_) => break,
        }
    }
    Some(batch)
}

/// The content hash of a file, `None` if it cannot be read (removed).
fn fingerprint(path: &std::path::Path) -> Option<String> {
    std::fs::read(path)
        .ok()
        .map(|bytes| crate::digest::sha256(&bytes))
}

/// Files a build reads: YAML, returns as spreadsheets, the layout; not editors' swap and
/// backup files, nor a spreadsheet's lock file (`~$returns.xlsx`).
fn is_input(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let hidden = name.starts_with('.') || name.ends_with('~') || name.starts_with("~$");
    // (in any case, as the build reads them: `Police.XLSX` changed is a rebuild)
    let layout = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("typ"));
    !hidden && (input::listing::is_yaml(path) || input::listing::is_spreadsheet(path) || layout)
}

#[cfg(test)]
mod tests {
    use super::is_input;
    use std::path::Path;

    /// A change to any file the build reads is a rebuild, its extension in any case, as the
    /// build reads it (`Police.XLSX` was read but its changes were not watched).
    #[test]
    fn every_file_the_build_reads_is_watched_and_no_other() {
        for read in [
            "returns/C01/police.yaml",
            "cases.YML",
            "returns/Police.XLSX",
            "returns/health.csv",
            "templates/report.Typ",
        ] {
            assert!(is_input(Path::new(read)), "{read}");
        }
        for other in [
            "returns/~$Police.xlsx",
            "notes.txt",
            ".cases.yaml.swp",
            "cases.yaml~",
        ] {
            assert!(!is_input(Path::new(other)), "{other}");
        }
    }
}
