//! Helpers shared by the integration tests: where things are, fresh folders, copies of audits.

use std::fs;
use std::path::{Path, PathBuf};

/// The sample's editions that are papers beside the report (cover paper, slides, briefing).
pub const PAPERS: [&str; 3] = ["cover", "slides", "briefing"];

/// The repository.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture audit under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Options to build the audit in `audit` into `work/out` and `work/charts`; one edition
/// when `edition` names it.
pub fn options_in(audit: &Path, work: &Path, edition: Option<&str>) -> audit_report::BuildOptions {
    audit_report::BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        edition: edition.map(str::to_string),
        ..audit_report::BuildOptions::new(audit)
    }
}

/// Whether `program` runs here (a test that needs it says it skipped where it does not:
/// [`skipped`]).
pub fn have(program: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Says that a test (or a part of it) is skipped, and why; in CI (`CI=true`, as `.ci/run`
/// and every CI service set it) it fails instead, so a tool the CI forgot to install is a
/// red run, not a test that passed without running.
pub fn skipped(what: &str, why: &str) {
    if std::env::var("CI").is_ok_and(|ci| ci.eq_ignore_ascii_case("true") || ci == "1") {
        panic!("{what} cannot run: {why} (CI=true: a missing tool fails the test)");
    }
    eprintln!("skipped {what}: {why}");
}

/// The PDF's text as laid out on its pages (`pdftotext -layout`), columns kept apart by
/// spaces; `None` (skipped, or failed under CI) where pdftotext is missing.
pub fn laid_out(pdf: &Path, test: &str) -> Option<String> {
    if !have("pdftotext") {
        skipped(test, "pdftotext (poppler-utils) is not installed");
        return None;
    }
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A fresh, empty folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Copies the folder `from` to `to`; with `returns: false`, without the files under
/// `returns/` (to put spreadsheets in their place).
pub fn copy_audit(from: &Path, to: &Path, returns: bool) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        if !returns && relative.starts_with("returns") && entry.file_type().is_file() {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Replaces the first `from` in the file at `path` with `to`, and fails when the file has no
/// `from`. Every test that patches the sample or a fixture does it through this (or
/// [`edit_all`], [`edit_each`]): a patch whose text has left the file (reworded since) must
/// fail the test, not leave it testing the unchanged file and passing.
pub fn edit(path: &Path, from: &str, to: &str) {
    edit_each(path, &[(from, to)]);
}

/// Replaces every `from` in the file at `path` with `to`, and fails when there is none (as
/// [`edit`]).
pub fn edit_all(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}", missing(path, from));
    fs::write(path, text.replace(from, to)).unwrap();
}

/// Several patches of the file at `path`, in order, each as [`edit`]: its first `from` (in
/// the file as the patches before it left it) replaced, and failing when there is none.
pub fn edit_each(path: &Path, patches: &[(&str, &str)]) {
    let mut text = fs::read_to_string(path).unwrap();
    for (from, to) in patches {
        assert!(text.contains(from), "{}", missing(path, from));
        text = text.replacen(from, to, 1);
    }
    fs::write(path, text).unwrap();
}

/// What a patch whose text is not in the file says.
fn missing(path: &Path, from: &str) -> String {
    format!(
        "{} has no `{from}` to patch: the file was reworded, so the test would test the file \
         unchanged; patch what it says now",
        path.display()
    )
}

/// A property test's configuration: `default` cases with a fixed seed under `cargo test`, so
/// CI runs the same cases every time; with the environment variable `cases_variable` set,
/// that many new cases.
pub fn proptest_config(cases_variable: &str, default: u32) -> proptest::test_runner::Config {
    use proptest::test_runner::{Config, RngSeed};
    let asked: Option<u32> = std::env::var(cases_variable)
        .ok()
        .and_then(|n| n.parse().ok());
    Config {
        cases: asked.unwrap_or(default),
        rng_seed: if asked.is_some() {
            RngSeed::Random
        } else {
            RngSeed::Fixed(2026)
        },
        failure_persistence: None,
        ..Config::default()
    }
}

/// The workbook (or any zip) `bytes` with its part `name` rewritten by `edit`, every part
/// deflated, as a program that saves workbooks would leave it.
pub fn edit_part(bytes: &[u8], name: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let mut content = Vec::new();
        part.read_to_end(&mut content).unwrap();
        let part_name = part.name().to_string();
        if part_name == name {
            content = edit(content);
        }
        out.start_file(
            part_name,
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The text of the part `name` (`word/document.xml`) of the Word file at `path`.
pub fn docx_part(path: &Path, name: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{}: no {name} ({e})", path.display()))
        .read_to_string(&mut text)
        .unwrap();
    text
}
