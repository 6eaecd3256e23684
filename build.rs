//! What `--version` says beyond the tool's version: the Typst it typesets with, as
//! `Cargo.lock` pins it, and the commit it is built from: `git rev-parse --short HEAD` where
//! the package is a git work tree of its own, `AUDIT_REPORT_COMMIT` where a packager sets
//! it, else "unknown" (a tarball). Run again only when HEAD moves (its file and its reflog,
//! written on every commit, checkout and reset) or the lock changes, not on every change of
//! a source file.

use std::path::{Path, PathBuf};
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=AUDIT_REPORT_COMMIT");
    let package = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let commit = std::env::var("AUDIT_REPORT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            // (a package unpacked inside some other repository is not that repository's commit)
            let top = git(&package, &["rev-parse", "--show-toplevel"])?;
            let same = Path::new(&top).canonicalize().ok()? == package.canonicalize().ok()?;
            if !same {
                return None;
            }
            let git_dir = PathBuf::from(git(&package, &["rev-parse", "--absolute-git-dir"])?);
            for watched in [git_dir.join("HEAD"), git_dir.join("logs/HEAD")] {
                // (only files that are there: a missing one would run this on every build)
                if watched.is_file() {
                    println!("cargo:rerun-if-changed={}", watched.display());
                }
            }
            git(&package, &["rev-parse", "--short", "HEAD"])
        })
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=AUDIT_REPORT_COMMIT={commit}");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string(package.join("Cargo.lock")).unwrap_or_default();
    println!(
        "cargo:rustc-env=AUDIT_REPORT_TYPST={}",
        locked_version(&lock, "typst")
    );
}

/// The version of the package `name` in the text of a `Cargo.lock`; "unknown" if none.
fn locked_version(lock: &str, name: &str) -> String {
    let named = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == named
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return version.trim_matches('"').to_string();
        }
    }
    "unknown".into()
}
