//! Output: the output set → files, all or nothing.
//!
//! A build writes its whole set into a staging folder first and swaps it in entry by entry,
//! each in one step, so a failed or killed build leaves the last good set whole; a lock
//! keeps two builds from writing into one folder at once. The machinery is in
//! [`transaction`] (staging, swap, journal), [`lock`] (one build per folder) and [`files`]
//! (paths kept inside their folder, single files written whole); what a build writes is put
//! together in [`report`].

pub mod actions;
pub mod clean;
pub mod collection;
pub mod emit;
pub mod figures;
pub mod files;
mod folders;
pub mod lock;
pub mod options;
pub mod record;
pub mod report;
mod swap;
pub mod transaction;

/// Paths as the system takes them: where the audit places its outputs (stage 1).
pub(crate) use crate::input::places::resolved;
pub use files::{inside, write_atomic};
pub use folders::check_workbook_target;
pub use lock::{Lock, lock, unwritable};
pub use transaction::{OutputSet, Staged, publish, recover, stage, swap_in};

pub use crate::edition::CHARTS_MARKER;

/// How [`CHARTS_MARKER`] names each chart the build wrote (a path inside the folder), the
/// only files `clean` removes there.
pub const CHART_LINE: &str = "Chart: ";

/// What [`CHARTS_MARKER`] says to a person who opens it.
pub const CHARTS_MARKER_TEXT: &str = "This folder holds the charts of an audit-report build: \
every figure in them is unsuppressed, small numbers included. They are for the audit team, \
not for publication, and not to be put beside an edition's files.\n\
audit-report refuses to build an edition into this folder.\n";

/// Scratch folders and what they hold, for the tests of the modules that write them.
#[cfg(test)]
pub(crate) mod testing {
    use std::fs;
    use std::path::{Path, PathBuf};

    /// A scratch folder for the test `name`, emptied.
    pub fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("audit-report-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    /// The files under `dir`, as paths relative to it, sorted.
    pub fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
            .collect();
        names.sort();
        names
    }
}
