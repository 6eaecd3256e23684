//! Where an audit's outputs go: the folders `output:` in its `audit.yaml` names (else `out/`
//! and `charts/` in it), paths as the system takes them, and the folders a build may not
//! write into. Read with the audit folder (stage 1), so `check` can say what `build` refuses.

use super::model::OutputFolders;
use std::path::{Path, PathBuf};

/// The output and charts folders of the audit in `audit`: those `output:` in its
/// `audit.yaml` names, relative to the audit folder, else `out/` and `charts/` in it. An
/// `audit.yaml` that cannot be read gives the defaults (reading the audit reports why, and
/// the build stops before writing).
pub fn output_folders(audit: &Path) -> (PathBuf, PathBuf) {
    placed(audit, &super::output_setting(audit).unwrap_or_default())
}

/// The private names list `private_names:` in the `audit.yaml` of the audit in `audit`
/// names, relative to the audit folder; `None` when it names none, or cannot be read.
pub fn private_names(audit: &Path) -> Option<PathBuf> {
    let given = super::audit_settings(audit).ok()?.private_names?;
    Some(audit.join(given))
}

/// The output and charts folders `set` gives the audit in `audit`.
pub fn placed(audit: &Path, set: &OutputFolders) -> (PathBuf, PathBuf) {
    let place = |given: &Option<String>, default: &str| match given {
        // (shown as the system will take it: `data/../out` is `out`)
        Some(given) => shown(&audit.join(given)),
        None => audit.join(default),
    };
    (place(&set.out, "out"), place(&set.charts, "charts"))
}

/// Why the `what` folder (`output` or `charts`) `given` may not take a build of the audit in
/// `audit`, if it may not: it is the root of the file system, or the audit folder itself, a
/// folder holding it, or one inside it other than a folder of its own directly in it
/// (`audit/out`: the audit reads only its files and `returns/` and `narrative/`). Checked
/// for `--out` and `--charts` before anything is read, and for `output:` in `audit.yaml`
/// with the audit.
pub fn misplaced(what: &str, given: &Path, audit: &Path) -> Option<String> {
    let (folder, audit_folder) = (resolved(given), resolved(audit));
    let overlap = folder.starts_with(&audit_folder) || audit_folder.starts_with(&folder);
    let own_folder_in_audit = folder.parent() == Some(audit_folder.as_path())
        && folder
            .file_name()
            .is_some_and(|name| name != "returns" && name != "narrative")
        && !folder.is_file();
    let shown = given.display();
    if folder.parent().is_none() {
        Some(format!(
            "the {what} folder `{shown}` is the root of the file system; give a folder of its own"
        ))
    } else if overlap && !own_folder_in_audit {
        Some(format!(
            "the {what} folder `{shown}` is, holds or is inside a folder of the audit `{}`; give a folder beside it, or one of its own directly in it (`out`, `charts`)",
            audit.display(),
        ))
    } else {
        None
    }
}

/// `path` made absolute as the system will follow it: the part of it that exists through
/// its symbolic links and `..` as the kernel takes them (`link/..` is the parent of the
/// link's target, not the folder holding the link), the rest with `..` taken off as written
/// (`missing/../x` is `x`: that is what creating it does).
pub fn resolved(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component> = absolute.components().collect();
    for existing in (1..=parts.len()).rev() {
        let prefix: PathBuf = parts[..existing].iter().collect();
        let Ok(mut real) = prefix.canonicalize() else {
            continue;
        };
        for part in &parts[existing..] {
            match part {
                Component::ParentDir => {
                    real.pop();
                }
                Component::CurDir => {}
                other => real.push(other),
            }
        }
        return real;
    }
    absolute
}

/// `path` as the system will take it ([`resolved`]), relative to the current folder where it
/// is inside it: `data/../out` run from the repository is `out`, as the lead would write it.
pub fn shown(path: &Path) -> PathBuf {
    let real = resolved(path);
    let here = std::env::current_dir().and_then(|d| d.canonicalize());
    match here.as_ref().map(|here| real.strip_prefix(here)) {
        Ok(Ok(inside)) if inside.as_os_str().is_empty() => PathBuf::from("."),
        Ok(Ok(inside)) => inside.to_path_buf(),
        _ => real,
    }
}
