//! Output: the output set → files, all or nothing.
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
//!
//! Paths are relative to the output folder and must stay inside it: every one is checked
//! where it is joined.

pub mod actions;
pub mod clean;
pub mod collection;
pub mod emit;
pub mod figures;
pub mod options;
pub mod record;
pub mod report;

use crate::diag::Diagnostic;
/// Paths as the system takes them: where the audit places its outputs (stage 1).
pub(crate) use crate::input::places::resolved;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name.
const LOCK: &str = ".lock";
/// How long a build waits for another to finish writing into the same folder.
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// Files to write under one output folder, by path inside it.
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
    /// The top folders in which files of the previous set that this one does not rewrite
    /// are kept; `None`: in every one.
    keep_only: Option<Vec<PathBuf>>,
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
}

/// `root` joined with `relative`, which must be a plain path inside it: no `..`, no root,
/// no drive. Every output path goes through here, so nothing is written outside `root`.
pub fn inside(root: &Path, relative: &Path) -> Result<PathBuf, Diagnostic> {
    let plain = relative.components().next().is_some()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(root.join(relative))
    } else {
        Err(Diagnostic::general(format!(
            "refused to write `{}`: output paths must stay inside `{}`",
            relative.display(),
            root.display()
        )))
    }
}

/// Holds the output folder's lock while alive: an exclusive `flock` on `.lock`, which the
/// system lets go of when the process ends, however it ends. (A lock told by the number of
/// the process in the file took a live build's number, read from another process namespace
/// or under another program name, for a dead one: the second build cleared the first's
/// staging folder while the first typeset.)
pub struct Lock {
    path: PathBuf,
    /// The folders taking the lock created, deepest first: a build that writes nothing
    /// leaves none of them behind (see [`Lock::keep`]).
    created: Vec<PathBuf>,
    #[cfg(unix)]
    _held: nix::fcntl::Flock<fs::File>,
}

impl Lock {
    /// The set is in: the folders the lock created stay, even one left empty.
    pub fn keep(&mut self) {
        self.created.clear();
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a build waiting on this file finds it gone once it has
        // it, and locks the one at the path then.
        let _ = fs::remove_file(&self.path);
        // Only while empty: anything put there meanwhile, by anyone, keeps its folder.
        for folder in &self.created {
            if fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// The folders that making `root` would create, deepest first, as the system will take
/// them (`missing/../kept` is `kept`, which may well be there: it is not one of them).
fn missing_folders(root: &Path) -> Vec<PathBuf> {
    resolved(root)
        .ancestors()
        .take_while(|folder| fs::symlink_metadata(folder).is_err())
        .map(Path::to_path_buf)
        .collect()
}

/// Waits a moment for the build holding the lock `path` of `root`; an error once it has been
/// waited for since `started` longer than [`LOCK_WAIT`].
fn wait_for_holder(root: &Path, path: &Path, started: Instant) -> Result<(), Diagnostic> {
    if started.elapsed() > LOCK_WAIT {
        return Err(Diagnostic::general(format!(
            "another build has been writing into `{}` for over {} s (see `{}`); nothing was written",
            root.display(),
            LOCK_WAIT.as_secs(),
            path.display()
        )));
    }
    std::thread::sleep(Duration::from_millis(50));
    Ok(())
}

/// The file written with the charts that marks their folder as a charts folder: they hold
/// every figure unsuppressed, so no build takes the folder as an output folder, whose
/// editions' folders may be published (see `report::check_folders`).
pub const CHARTS_MARKER: &str = "charts-folder.txt";

/// What [`CHARTS_MARKER`] says to a person who opens it.
pub const CHARTS_MARKER_TEXT: &str = "This folder holds the charts of an audit-report build: \
every figure in them is unsuppressed, small numbers included. They are for the audit team, \
not for publication, and not to be put beside an edition's files.\n\
audit-report refuses to build an edition into this folder.\n";

/// Why no build could write into the folder `root`, if none could: the nearest part of it
/// that is there (itself, or the folder a build would make it in) is a file, or a folder
/// that takes no new entry (read-only, another user's, or not on a disk at all, as
/// `/proc/self` is). Found by doing what a build does first, making a folder there, and
/// undoing it; without this, a build waited for the lock it could never take and blamed
/// "another build".
pub fn unwritable(root: &Path) -> Option<String> {
    let folder = resolved(root);
    let there = folder
        .ancestors()
        .find(|part| fs::symlink_metadata(part).is_ok())?;
    let shown = root.display();
    if !there.is_dir() {
        return Some(match there == folder {
            true => format!("`{shown}` is a file, not a folder"),
            false => format!(
                "`{shown}` cannot be made: `{}` is a file, not a folder",
                there.display()
            ),
        });
    }
    // (a name of its own per call: builds on threads of one process probe at once)
    static PROBES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PROBES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let probe = there.join(format!(".audit-report-probe-{}-{n}", std::process::id()));
    match fs::create_dir(&probe) {
        Ok(()) => {
            let _ = fs::remove_dir(&probe);
            None
        }
        // (the folder as given where it is there; else the part of it that is)
        Err(e) => Some(format!(
            "nothing can be written in `{}` ({e}): it is read-only, not yours, or not a folder on a disk (as /proc and /sys are not)",
            match there == folder {
                true => shown,
                false => there.display(),
            }
        )),
    }
}

/// Takes the lock of `root`, waiting for another build to finish.
#[cfg(unix)]
pub fn lock(root: &Path) -> Result<Lock, Diagnostic> {
    use nix::errno::Errno;
    use nix::fcntl::{Flock, FlockArg};
    use std::os::unix::fs::MetadataExt;
    let created = missing_folders(root);
    let path = root.join(LOCK);
    let started = Instant::now();
    // Never through a link: a `.lock` planted as a link would have the build write its
    // number into the file it points at.
    let nofollow = nix::fcntl::OFlag::O_NOFOLLOW.bits();
    loop {
        use std::os::unix::fs::OpenOptionsExt;
        // (made again each time: a failed first build waited for takes its folder away)
        fs::create_dir_all(root).map_err(|e| Diagnostic::io("create folder", root, &e))?;
        let opened = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(nofollow)
            .open(&path)
            // (one left by another user: reading it is enough to lock it)
            .or_else(|cannot_write| {
                fs::OpenOptions::new()
                    .read(true)
                    .custom_flags(nofollow)
                    .open(&path)
                    // (none there to read: why it could not be made is the news)
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::NotFound if root.is_dir() => cannot_write,
                        _ => e,
                    })
            });
        let file = match opened {
            Ok(file) => file,
            // the folder taken away by a failed first build this one waited for (a folder
            // still there that says "not found" is one no file can be made in, as in /proc:
            // no wait will change that)
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !root.is_dir() => {
                wait_for_holder(root, &path, started)?;
                continue;
            }
            Err(e) => return Err(Diagnostic::io("lock", &path, &e)),
        };
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(mut held) => {
                let ours = |m: fs::Metadata| (m.dev(), m.ino());
                let same = held.metadata().map(ours).ok() == fs::metadata(&path).map(ours).ok();
                if same {
                    // (which process holds it, for a person looking)
                    let _ = held.set_len(0);
                    let _ = write!(held, "{}", std::process::id());
                    return Ok(Lock {
                        path,
                        created,
                        _held: held,
                    });
                }
            }
            Err((_, Errno::EWOULDBLOCK)) => wait_for_holder(root, &path, started)?,
            Err((_, e)) => return Err(Diagnostic::io("lock", &path, &std::io::Error::from(e))),
        }
    }
}

/// Takes the lock of `root`, waiting for another build to finish (where there is no
/// `flock`: the lock file made anew, one older than the wait taken as left behind).
#[cfg(not(unix))]
pub fn lock(root: &Path) -> Result<Lock, Diagnostic> {
    let created = missing_folders(root);
    let path = root.join(LOCK);
    let started = Instant::now();
    loop {
        fs::create_dir_all(root).map_err(|e| Diagnostic::io("create folder", root, &e))?;
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let _ = write!(file, "{}", std::process::id());
                return Ok(Lock { path, created });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let old = fs::metadata(&path)
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > LOCK_WAIT);
                if old {
                    let _ = fs::remove_file(&path);
                    continue;
                }
                wait_for_holder(root, &path, started)?;
            }
            Err(e) => return Err(Diagnostic::io("lock", &path, &e)),
        }
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
                if !done.contains(name.to_string_lossy().as_ref()) {
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

/// One entry moved into place, and how to move it back.
enum Swap {
    /// `from` and `to` exchanged: the old entry is at `from`.
    Exchanged { from: PathBuf, to: PathBuf },
    /// `from` moved to `to`, the old entry (if any) first moved to `aside`.
    Moved {
        from: PathBuf,
        to: PathBuf,
        aside: Option<PathBuf>,
    },
}

impl Swap {
    /// Puts the old entry back (best effort: this runs when something has already failed).
    fn undo(self) {
        match self {
            #[cfg(target_os = "linux")]
            Swap::Exchanged { from, to } => {
                use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
                let _ = renameat2(AT_FDCWD, &from, AT_FDCWD, &to, RenameFlags::RENAME_EXCHANGE);
            }
            #[cfg(not(target_os = "linux"))]
            Swap::Exchanged { .. } => {}
            Swap::Moved { from, to, aside } => {
                let _ = fs::rename(&to, &from);
                if let Some(aside) = aside {
                    let _ = fs::rename(&aside, &to);
                }
            }
        }
    }
}

/// Puts `from` where `to` is, in one step: the two are exchanged (the old ends up at `from`,
/// removed with the staging folder). Where exchanging is not available, the old entry is
/// moved aside into `aside` first.
fn replace(from: &Path, to: &Path, aside: &Path) -> Result<Swap, Diagnostic> {
    #[cfg(target_os = "linux")]
    if fs::symlink_metadata(to).is_ok() {
        use nix::fcntl::{AT_FDCWD, RenameFlags, renameat2};
        return renameat2(AT_FDCWD, from, AT_FDCWD, to, RenameFlags::RENAME_EXCHANGE)
            .map(|()| Swap::Exchanged {
                from: from.to_path_buf(),
                to: to.to_path_buf(),
            })
            .map_err(|e| Diagnostic::io("exchange", to, &std::io::Error::from(e)));
    }
    let mut moved_aside = None;
    if fs::symlink_metadata(to).is_ok() {
        fs::create_dir_all(aside).map_err(|e| Diagnostic::io("create folder", aside, &e))?;
        let old = aside.join(to.file_name().unwrap_or_default());
        fs::rename(to, &old).map_err(|e| Diagnostic::io("move aside", to, &e))?;
        moved_aside = Some(old);
    }
    match fs::rename(from, to) {
        Ok(()) => Ok(Swap::Moved {
            from: from.to_path_buf(),
            to: to.to_path_buf(),
            aside: moved_aside,
        }),
        Err(e) => {
            if let Some(old) = &moved_aside {
                let _ = fs::rename(old, to);
            }
            Err(Diagnostic::io("move into place", to, &e))
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_unsynced(path, bytes)?;
    fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| Diagnostic::io("write", path, &e))
}

/// Writes `bytes` to `path`, creating the folder if needed, leaving it to the caller to
/// sync.
fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Diagnostic::io("create folder", parent, &e))?;
    }
    fs::File::create(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| Diagnostic::io("write", path, &e))
}

/// Writes `bytes` to `path` atomically, creating the folder if needed (for single files
/// outside an output set, such as `template`'s workbook).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let temporary = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let result = write_file(&temporary, bytes)
        .and_then(|()| fs::rename(&temporary, path).map_err(|e| Diagnostic::io("write", path, &e)));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("audit-report-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_file_and_leaves_no_partial() {
        let dir = temp("write");
        let path = dir.join("report.pdf");
        fs::create_dir_all(&dir).unwrap();
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(names(&dir), ["report.pdf"]);
        fs::remove_dir_all(&dir).unwrap();
    }

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

    /// A lock left by a process whose number now belongs to another program (pid 1 here) is
    /// taken over at once (it held builds off for the whole wait).
    #[test]
    fn a_lock_left_by_an_ended_build_is_taken_and_a_held_one_waited_for() {
        let dir = temp("left-lock");
        fs::create_dir_all(&dir).unwrap();
        // a lock file left behind, whatever it says, is taken at once
        fs::write(dir.join(LOCK), "1").unwrap();
        let started = Instant::now();
        let held = lock(&dir).unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            fs::read_to_string(dir.join(LOCK)).unwrap(),
            std::process::id().to_string()
        );
        // one held (by this process, on another open file) is waited for, not taken
        let waiter = {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                let again = lock(&dir).unwrap();
                (started.elapsed(), again)
            })
        };
        std::thread::sleep(Duration::from_millis(400));
        drop(held);
        let (waited, again) = waiter.join().unwrap();
        assert!(waited >= Duration::from_millis(300), "{waited:?}");
        drop(again);
        assert!(!dir.join(LOCK).exists());
        // a lock file that is a link is refused, and what it points at left alone
        let outside = dir.with_extension("outside");
        fs::write(&outside, "theirs").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join(LOCK)).unwrap();
        assert!(lock(&dir).is_err());
        assert_eq!(fs::read_to_string(&outside).unwrap(), "theirs");
        fs::remove_file(&outside).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A folder no file can be made in fails at once, with the system's reason; it waited
    /// two minutes and blamed another build.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_folder_that_takes_no_files_is_refused_at_once() {
        let started = Instant::now();
        let error = lock(Path::new("/proc/self")).err().unwrap();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            !error.message.contains("another build"),
            "{}",
            error.message
        );
        let why = unwritable(Path::new("/proc/self")).unwrap();
        assert!(
            why.contains("nothing can be written in `/proc/self`"),
            "{why}"
        );
        // (a folder to be made in it: named by the part that is there, as the system has it)
        let why = unwritable(Path::new("/proc/self/out")).unwrap();
        assert!(why.contains("nothing can be written in `/proc/"), "{why}");
        let dir = temp("unwritable");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("file"), "").unwrap();
        assert_eq!(unwritable(&dir.join("new/out")), None);
        assert!(unwritable(&dir.join("file")).unwrap().contains("is a file"));
        assert!(
            unwritable(&dir.join("file/out"))
                .unwrap()
                .contains("cannot be made")
        );
        // the probe is gone
        assert_eq!(names(&dir), ["file"]);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let root = Path::new("out");
        assert!(inside(root, Path::new("public/public.pdf")).is_ok());
        for bad in ["../x.svg", "/etc/x", "a/../../x", "", "."] {
            assert!(inside(root, Path::new(bad)).is_err(), "{bad}");
        }
    }
}
