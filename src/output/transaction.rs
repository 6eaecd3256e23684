//! The output set → files, all or nothing: staging, swapping in, and the journal that lets
//! the next build finish a swap that was stopped.
//!
//! A build's files are first written in full to a staging folder inside each output folder
//! (`.staging-<pid>`: the charts' and the editions') and flushed; only then do they replace
//! the previous set, entry by entry, each exchanged with the old in one step (Linux
//! `renameat2` `RENAME_EXCHANGE`), so no folder is ever missing or half-written; the internal
//! records go last. If an entry cannot be swapped in, every entry swapped before it, in
//! either folder, is swapped back: the previous set stands whole. A build that fails or is
//! killed before the swaps leaves the previous set exactly as it was; its staging folder is
//! removed by the next build. A build killed between two exchanges (microseconds) leaves
//! every folder whole, some from the new set, with the old records, until the next build
//! writes a new set.
//! A lock file (`.lock`) keeps two builds from writing into one folder at once: the second
//! waits for the first.

use super::files::{inside, write_unsynced};
use super::swap::{Swap, replace};
use crate::diag::Diagnostic;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files to write under one output folder, by path inside it.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
    /// The top folders in which files of the previous set that this one does not rewrite
    /// are kept; `None`: in every one.
    pub(super) keep_only: Option<Vec<PathBuf>>,
}

impl OutputSet {
    /// Keeps the previous set's files this one does not rewrite only in the top folders
    /// `tops` (the records of editions not built this time); every other folder this set
    /// writes is replaced whole, so no file of an earlier build is left beside the new.
    pub fn keep_old_files_only_in(&mut self, tops: Vec<PathBuf>) {
        self.keep_only = Some(tops);
    }

    /// Adds a file at `path` inside the output folder.
    pub fn add(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((path.into(), bytes));
    }

    /// The bytes added at `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, bytes)| bytes.as_slice())
    }

    /// The paths added, in order.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }

    /// Every file added, with its bytes.
    pub fn files(&self) -> impl Iterator<Item = (&Path, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_path(), b.as_slice()))
    }
}

/// Clears what an interrupted build left in `root`: its staging folder. A build stopped
/// while swapping its set in (some entries new, some old) had staged the whole set and
/// passed every check: its swap is finished first, so the folder holds one set, not a mix.
/// Call with the lock held.
pub fn recover(root: &Path) -> Result<(), Diagnostic> {
    let Ok(entries) = fs::read_dir(root) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(".staging-") {
            continue;
        }
        let staging = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir && let Ok(journal) = fs::read_to_string(staging.join(SWAPPING)) {
            let done: std::collections::HashSet<&str> = journal.lines().collect();
            for name in entries_of(&staging)? {
                let (staged, old) = (staging.join(&name), root.join(&name));
                // (only what a build stages over what a build wrote: a staging folder
                // planted, or left by something else, replaced the lead's files)
                if !done.contains(name.to_string_lossy().as_ref()) && a_build_s(&staged, &old) {
                    replace(
                        &staging.join(&name),
                        &root.join(&name),
                        &staging.join(".old"),
                    )?;
                }
            }
        }
        // (a file of that name too: it would stop every build)
        let removed = match is_dir {
            true => fs::remove_dir_all(&staging),
            false => fs::remove_file(&staging),
        };
        removed.map_err(|e| Diagnostic::io("remove", &staging, &e))?;
    }
    Ok(())
}

/// Whether `staged` is what a build stages, to replace `old`, what a build wrote (or
/// nothing): no working file of the lead's (`collection/`), no change of a name's kind
/// (file or folder), a file only a chart or the charts' mark, a folder only of the files a
/// build writes (an edition's, the records, a chart set).
fn a_build_s(staged: &Path, old: &Path) -> bool {
    let name = staged
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let kind = |p: &Path| fs::symlink_metadata(p).map(|m| m.is_dir()).ok();
    let only_built =
        |folder: &Path| super::clean::only_files(folder, super::clean::written_by_a_build);
    if crate::edition::WORKING_FILES.contains(&name.as_str()) {
        return false;
    }
    match (kind(staged), kind(old)) {
        (Some(a), Some(b)) if a != b => false,
        (Some(false), _) => name.ends_with(".svg") || name == super::CHARTS_MARKER,
        (Some(true), Some(true)) => only_built(staged) && only_built(old),
        (Some(true), None) => only_built(staged),
        _ => false,
    }
}

/// The journal of a swap under way, in each staging folder: there from before the first
/// entry of any set is swapped in, a line for each entry swapped (see [`recover`]).
const SWAPPING: &str = ".swapping";

/// Writes `set` into `root` all or nothing (see the module comment). Call with the lock
/// held.
pub fn publish(root: &Path, set: &OutputSet) -> Result<(), Diagnostic> {
    swap_in(&[stage(root, set)?])
}

/// A set written into its staging folder, waiting to be swapped in; the staging folder
/// (with the old entries swapped out into it) goes when this is dropped.
pub struct Staged {
    root: PathBuf,
    staging: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// Writes `set` into a staging folder inside `root`, each file synced, nothing of `root`
/// touched yet. Call with the lock held.
pub fn stage(root: &Path, set: &OutputSet) -> Result<Staged, Diagnostic> {
    let staged = Staged::begin(root)?;
    staged.add(set)?;
    staged.finish(set.keep_only.as_deref())?;
    Ok(staged)
}

impl Staged {
    /// An empty staging folder in `root`, what an interrupted build left there cleared
    /// first. Call with the lock held, and keep it until the set is swapped in.
    pub fn begin(root: &Path) -> Result<Staged, Diagnostic> {
        recover(root)?;
        let staging = root.join(format!(".staging-{}", std::process::id()));
        fs::create_dir_all(&staging).map_err(|e| Diagnostic::io("create folder", &staging, &e))?;
        Ok(Staged {
            root: root.to_path_buf(),
            staging,
        })
    }

    /// Writes the files of `set` into the staging folder, each synced: their data must reach
    /// the disk before the renames do. (Written first and synced after, together, the disk
    /// takes them in one go rather than one file at a time.) A set may be added in parts,
    /// as its files become known.
    pub fn add(&self, set: &OutputSet) -> Result<(), Diagnostic> {
        // A staging folder gone (removed by hand) is not made anew half-filled.
        if !self.staging.is_dir() {
            return Err(Diagnostic::general(format!(
                "the staging folder `{}` is gone; nothing was written",
                self.staging.display()
            )));
        }
        for (relative, bytes) in &set.files {
            write_unsynced(&inside(&self.staging, relative)?, bytes)?;
        }
        for (relative, _) in &set.files {
            let path = inside(&self.staging, relative)?;
            fs::File::open(&path)
                .and_then(|file| file.sync_all())
                .map_err(|e| Diagnostic::io("write", &path, &e))?;
        }
        Ok(())
    }

    /// Keeps what the previous set had in the folders this one replaces and does not
    /// rewrite, in the folders `keep_only` names (`None`: in every one), and syncs the
    /// staging folder: the set is ready to be swapped in.
    pub fn finish(&self, keep_only: Option<&[PathBuf]>) -> Result<(), Diagnostic> {
        let entries =
            fs::read_dir(&self.staging).map_err(|e| Diagnostic::io("read", &self.staging, &e))?;
        for entry in entries.flatten() {
            let top = PathBuf::from(entry.file_name());
            if top.to_string_lossy().starts_with('.') {
                continue;
            }
            let old = self.root.join(&top);
            let keep = keep_only.is_none_or(|only| only.contains(&top));
            if keep && entry.path().is_dir() && old.is_dir() {
                keep_old_files(&old, &entry.path())?;
            }
        }
        if let Ok(dir) = fs::File::open(&self.staging) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

/// Hard-links (or copies) every file under `old` that `new` lacks into `new`.
fn keep_old_files(old: &Path, new: &Path) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(old).follow_links(false) {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(old) else {
            continue;
        };
        let target = new.join(relative);
        if target.exists() {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create folder", parent, &e))?;
        }
        if fs::hard_link(entry.path(), &target).is_err() {
            fs::copy(entry.path(), &target).map_err(|e| Diagnostic::io("copy", &target, &e))?;
        }
    }
    Ok(())
}

/// Moves every entry of each staged set into its root, replacing what was there: each entry
/// in one step (exchanged with the old one where the system can, so a folder is never
/// missing), the internal records last. If one cannot be moved, every one moved before it
/// is moved back, in every set, and the error returned.
pub fn swap_in(sets: &[Staged]) -> Result<(), Diagnostic> {
    swap_in_with(sets, &mut replace)
}

/// [`swap_in`], with `replace` doing each move (a test makes one fail).
fn swap_in_with(
    sets: &[Staged],
    replace: &mut dyn FnMut(&Path, &Path, &Path) -> Result<Swap, Diagnostic>,
) -> Result<(), Diagnostic> {
    let mut done: Vec<Swap> = Vec::new();
    // Every set's journal begun before any entry moves: a build stopped from here on is
    // finished by the next (see `recover`), in every folder, so none is left old beside a
    // new one. (Not synced: it is there for a stopped process, not a lost disk.)
    // (every set read first: nothing has moved if one cannot be)
    let names = sets
        .iter()
        .map(|set| entries_of(&set.staging))
        .collect::<Result<Vec<_>, _>>()?;
    let mut journals = Vec::new();
    for set in sets {
        let path = set.staging.join(SWAPPING);
        let journal = fs::File::create(&path).map_err(|e| Diagnostic::io("write", &path, &e))?;
        journals.push((journal, path));
    }
    for ((set, names), (journal, journal_path)) in sets.iter().zip(names).zip(&mut journals) {
        for name in names {
            let from = set.staging.join(&name);
            let to = set.root.join(&name);
            let swapped = replace(&from, &to, &set.staging.join(".old")).and_then(|swap| {
                done.push(swap);
                writeln!(journal, "{}", name.to_string_lossy())
                    .map_err(|e| Diagnostic::io("write", journal_path, &e))
            });
            match swapped {
                Ok(()) => {}
                // (an entry that could not be noted is moved back with the rest)
                Err(error) => {
                    for swap in done.into_iter().rev() {
                        swap.undo();
                    }
                    return Err(error);
                }
            }
        }
    }
    for set in sets {
        if let Ok(dir) = fs::File::open(&set.root) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

/// The entries of a staging folder (once swapped, the old ones they replaced), in the order
/// they are swapped in: the internal records last.
fn entries_of(staging: &Path) -> Result<Vec<std::ffi::OsString>, Diagnostic> {
    let entries = fs::read_dir(staging).map_err(|e| Diagnostic::io("read", staging, &e))?;
    let mut names: Vec<_> = entries
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| !n.to_string_lossy().starts_with('.'))
        .collect();
    names.sort_by_key(|n| (n == crate::edition::RECORDS, n.clone()));
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::lock::lock;
    use crate::output::testing::{names, temp};

    #[test]
    fn a_set_replaces_the_last_keeping_files_it_does_not_rewrite() {
        let dir = temp("set");
        let mut first = OutputSet::default();
        first.add("public/public.pdf", b"old".to_vec());
        first.add("records/public.record.json", b"old".to_vec());
        first.add("records/lead.record.json", b"lead".to_vec());
        let _lock = lock(&dir).unwrap();
        publish(&dir, &first).unwrap();
        let mut second = OutputSet::default();
        second.add("public/public.pdf", b"new".to_vec());
        second.add("records/public.record.json", b"new".to_vec());
        publish(&dir, &second).unwrap();
        assert_eq!(fs::read(dir.join("public/public.pdf")).unwrap(), b"new");
        assert_eq!(
            fs::read(dir.join("records/lead.record.json")).unwrap(),
            b"lead"
        );
        assert_eq!(
            names(&dir),
            [
                ".lock",
                "public/public.pdf",
                "records/lead.record.json",
                "records/public.record.json"
            ]
        );
        drop(_lock);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// An edition's folder is replaced whole (a Word file of the last build does not stay
    /// beside the new PDF); in the records' folder the other editions' records stay.
    #[test]
    fn a_set_keeps_old_files_only_where_it_says() {
        let dir = temp("keep-only");
        let mut first = OutputSet::default();
        first.add("public/public.pdf", b"old".to_vec());
        first.add("public/public.docx", b"old".to_vec());
        first.add("records/lead.record.json", b"lead".to_vec());
        let _lock = lock(&dir).unwrap();
        publish(&dir, &first).unwrap();
        let mut second = OutputSet::default();
        second.add("public/public.pdf", b"new".to_vec());
        second.add("records/public.record.json", b"new".to_vec());
        second.keep_old_files_only_in(vec![PathBuf::from("records")]);
        publish(&dir, &second).unwrap();
        assert_eq!(
            names(&dir),
            [
                ".lock",
                "public/public.pdf",
                "records/lead.record.json",
                "records/public.record.json"
            ]
        );
        drop(_lock);
        fs::remove_dir_all(&dir).unwrap();
    }

    /// Two sets (charts, editions) swapped in together: when an entry of the second cannot
    /// be, the entries of both swapped before it are swapped back, and both folders are as
    /// they were, with no staging folder left.
    #[test]
    fn a_swap_that_fails_puts_back_every_entry_swapped_before_it() {
        let charts = temp("undo-charts");
        let out = temp("undo-out");
        let set = |files: &[(&str, &str)]| {
            let mut set = OutputSet::default();
            for (path, text) in files {
                set.add(*path, text.as_bytes().to_vec());
            }
            set
        };
        let old_charts = set(&[("q1.svg", "old q1"), ("fewer-than-5/q1.svg", "old")]);
        let old_out = set(&[
            ("board/board.pdf", "old board"),
            ("public/public.pdf", "old public"),
            ("records/board.record.json", "old"),
        ]);
        publish(&charts, &old_charts).unwrap();
        publish(&out, &old_out).unwrap();
        let before = (names(&charts), names(&out));
        let read = |dir: &Path, path: &str| fs::read_to_string(dir.join(path)).unwrap();
        let staged = [
            stage(
                &charts,
                &set(&[("q1.svg", "new q1"), ("fewer-than-5/q1.svg", "new")]),
            )
            .unwrap(),
            stage(
                &out,
                &set(&[
                    ("board/board.pdf", "new board"),
                    ("public/public.pdf", "new public"),
                    ("records/board.record.json", "new"),
                ]),
            )
            .unwrap(),
        ];
        let mut moves = 0;
        let mut failing = |from: &Path, to: &Path, aside: &Path| {
            moves += 1;
            // the charts' two entries and the editions' first go in; the second fails
            if moves == 4 {
                return Err(Diagnostic::general("refused"));
            }
            replace(from, to, aside)
        };
        let error = swap_in_with(&staged, &mut failing).unwrap_err();
        assert_eq!(error.message, "refused");
        drop(staged);
        assert_eq!((names(&charts), names(&out)), before);
        assert_eq!(read(&charts, "q1.svg"), "old q1");
        assert_eq!(read(&charts, "fewer-than-5/q1.svg"), "old");
        assert_eq!(read(&out, "board/board.pdf"), "old board");
        assert_eq!(read(&out, "public/public.pdf"), "old public");
        fs::remove_dir_all(&charts).unwrap();
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn an_interrupted_set_is_cleared_by_the_next() {
        let dir = temp("recover");
        fs::create_dir_all(dir.join("public")).unwrap();
        fs::write(dir.join("public/public.pdf"), b"old").unwrap();
        // Killed while staging: the old set stands, the staging folder goes.
        fs::create_dir_all(dir.join(".staging-1/public")).unwrap();
        fs::write(dir.join(".staging-1/public/public.pdf"), b"half").unwrap();
        recover(&dir).unwrap();
        assert_eq!(fs::read(dir.join("public/public.pdf")).unwrap(), b"old");
        assert_eq!(names(&dir), ["public/public.pdf"]);
        // Killed while swapping: what was exchanged stays, each folder whole.
        fs::create_dir_all(dir.join(".staging-2/public")).unwrap();
        fs::write(dir.join(".staging-2/public/public.pdf"), b"older").unwrap();
        recover(&dir).unwrap();
        assert_eq!(fs::read(dir.join("public/public.pdf")).unwrap(), b"old");
        assert_eq!(names(&dir), ["public/public.pdf"]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
