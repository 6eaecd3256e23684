//! Single files and paths of the output folders: every path is checked to stay inside its
//! folder where it is joined; a file written on its own is written whole or not at all.

use crate::diag::Diagnostic;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

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

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_unsynced(path, bytes)?;
    fs::File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| Diagnostic::io("write", path, &e))
}

/// Writes `bytes` to `path`, creating the folder if needed, leaving it to the caller to
/// sync.
pub(super) fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
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
    use crate::output::testing::{names, temp};

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
    fn paths_outside_the_folder_are_refused() {
        let root = Path::new("out");
        assert!(inside(root, Path::new("public/public.pdf")).is_ok());
        for bad in ["../x.svg", "/etc/x", "a/../../x", "", "."] {
            assert!(inside(root, Path::new(bad)).is_err(), "{bad}");
        }
    }
}
