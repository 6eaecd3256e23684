//! The output folder's lock: one build at a time writes into a folder, the second waiting
//! for the first; and the check that a folder can be written in at all, so a build does not
//! wait for a lock it could never take.

use crate::diag::Diagnostic;
use crate::input::places::resolved;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name.
const LOCK: &str = ".lock";
/// How long a build waits for another to finish writing into the same folder.
const LOCK_WAIT: Duration = Duration::from_secs(120);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::testing::{names, temp};

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
}
