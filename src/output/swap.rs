//! One entry of a staged set moved into place in one step, and moved back if a later one
//! fails: the step the all-or-nothing swap of [`super::transaction`] is made of.

use crate::diag::Diagnostic;
use std::fs;
use std::path::{Path, PathBuf};

/// One entry moved into place, and how to move it back.
pub(super) enum Swap {
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
    pub(super) fn undo(self) {
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
pub(super) fn replace(from: &Path, to: &Path, aside: &Path) -> Result<Swap, Diagnostic> {
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
