//! Outputs belong to their audit: a build writes into its audit's folder wherever it runs,
//! and never mixes two audits in one output folder.

use crate::common::{copy_audit, edit, fixture, root, scratch};
use audit_report::BuildOptions;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary run in `here` with `args`.
fn run_in(here: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(args)
        .current_dir(here)
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .output()
        .expect("the binary runs")
}

/// Every file under `folder` with its bytes, by path inside it.
fn every_file(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(folder).unwrap().to_path_buf();
            (path, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The fixture audit copied to `to`, its title and its edition as given.
fn audit_titled(to: &Path, title: &str, edition: &str) {
    copy_audit(&fixture("other-audit"), to, true);
    let info = to.join("audit.yaml");
    let text = fs::read_to_string(&info).unwrap();
    let line = text.lines().find(|l| l.starts_with("title:")).unwrap();
    edit(&info, line, &format!("title: {title}"));
    fs::write(
        to.join("editions.yaml"),
        format!("editions:\n  - id: {edition}\n    name: {edition}\n"),
    )
    .unwrap();
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_audit_builds_into_its_own_folder_wherever_the_command_runs() {
    let work = scratch("outputs-own-folder");
    let (audit, elsewhere) = (work.join("audit"), work.join("elsewhere"));
    copy_audit(&fixture("other-audit"), &audit, true);
    fs::create_dir_all(&elsewhere).unwrap();
    let built = run_in(&elsewhere, &["build", audit.to_str().unwrap()]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    assert!(
        fs::read(audit.join("out/report/report.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    let record = fs::read_to_string(audit.join("out/records/report.record.json")).unwrap();
    assert!(
        record.contains("Audit of Return Home Interviews"),
        "{record}"
    );
    assert!(
        fs::read_dir(audit.join("charts"))
            .unwrap()
            .flatten()
            .next()
            .is_some()
    );
    assert!(
        text(&built.stdout).contains(&format!("{}/", audit.join("out/report").display())),
        "{}",
        text(&built.stdout)
    );
    // the collection workbook too, by default
    let template = run_in(&elsewhere, &["template", audit.to_str().unwrap()]);
    assert!(template.status.success(), "{}", text(&template.stderr));
    assert!(audit.join("out/template.xlsx").is_file());
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        0,
        "nothing where the command ran"
    );
}

#[test]
fn a_second_audit_into_the_same_output_folder_is_refused_naming_both_unless_replace() {
    let work = scratch("outputs-two-audits");
    let (first, second) = (work.join("first"), work.join("second"));
    audit_titled(&first, "Audit of Return Home Interviews", "board");
    audit_titled(&second, "Audit of Missing Episodes", "public");
    let (out, charts) = (work.join("shared/out"), work.join("shared/charts"));
    let build = |audit: &Path, more: &[&str]| {
        let mut args = vec![
            "build",
            audit.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--charts",
            charts.to_str().unwrap(),
        ];
        args.extend(more);
        run_in(&work, &args)
    };
    let built = build(&first, &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let (out_before, charts_before) = (every_file(&out), every_file(&charts));
    let pdf = fs::read(out.join("board/board.pdf")).unwrap();

    let refused = build(&second, &[]);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    for expected in [
        "holds the build of another audit, “Audit of Return Home Interviews” (folder `",
        &format!(
            "{}`); this is “Audit of Missing Episodes” (folder `",
            first.canonicalize().unwrap().display()
        ),
        "build with --replace",
        "build failed; nothing was written",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    assert_eq!(fs::read(out.join("board/board.pdf")).unwrap(), pdf);
    assert_eq!(
        every_file(&out),
        out_before,
        "nothing in the folder changed"
    );
    assert_eq!(every_file(&charts), charts_before);

    let replaced = build(&second, &["--replace"]);
    let stdout = text(&replaced.stdout);
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    assert!(
        !stdout.contains("Changes since the last build"),
        "no change list against another audit: {stdout}"
    );
    assert!(out.join("public/public.pdf").is_file());
    assert!(
        !out.join("board").exists() && !out.join("records/board.record.json").exists(),
        "the other audit's edition went with its build"
    );
    let record = fs::read_to_string(out.join("records/public.record.json")).unwrap();
    assert!(record.contains("Audit of Missing Episodes"), "{record}");

    // the same audit again: as ever, compared with its own last build
    let again = build(&second, &[]);
    let stdout = text(&again.stdout);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        stdout.contains(
            "Changes since the last build (places as in public):\n  no figure or input changed"
        ),
        "{stdout}"
    );
}

/// Two audits with output folders of their own but one charts folder: the second is
/// refused, naming the audit whose charts are there (its build swept the first audit's
/// charts away and put its own in their place), unless it replaces them.
#[test]
fn a_second_audit_into_the_same_charts_folder_is_refused_unless_replace() {
    let work = scratch("outputs-shared-charts");
    let (first, second) = (work.join("first"), work.join("second"));
    audit_titled(&first, "Audit of Return Home Interviews", "board");
    audit_titled(&second, "Audit of Missing Episodes", "public");
    let charts = work.join("shared-charts");
    let build = |audit: &Path, out: &str, more: &[&str]| {
        let mut args = vec![
            "build",
            audit.to_str().unwrap(),
            "--out",
            out,
            "--charts",
            charts.to_str().unwrap(),
        ];
        args.extend(more);
        run_in(&work, &args)
    };
    let built = build(&first, "out-first", &[]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let before = every_file(&charts);
    let refused = build(&second, "out-second", &[]);
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    let named = format!(
        "holds the charts of another audit (folder `{}`); this is “Audit of Missing Episodes”",
        first.canonicalize().unwrap().display()
    );
    for expected in [
        named.as_str(),
        "build with --replace to replace the other audit's charts",
        "nothing was written",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    assert_eq!(every_file(&charts), before);
    assert!(!work.join("out-second").exists());
    let replaced = build(&second, "out-second", &["--replace"]);
    assert!(replaced.status.success(), "{}", text(&replaced.stderr));
    let mark = fs::read_to_string(charts.join("charts-folder.txt")).unwrap();
    assert!(
        mark.contains(&second.canonicalize().unwrap().display().to_string()),
        "{mark}"
    );
}

#[test]
fn the_samples_setting_puts_its_outputs_beside_it() {
    // run from the repository, the sample's setting gives the top-level out/ and charts/
    let sample = BuildOptions::new(root().join("data"));
    assert_eq!(
        (sample.out, sample.charts),
        (PathBuf::from("out"), PathBuf::from("charts"))
    );
    // a copy of the sample builds into its siblings, as the sample into the repository's
    let work = scratch("outputs-sample");
    let audit = work.join("data");
    copy_audit(&root().join("data"), &audit, true);
    let options = BuildOptions {
        edition: Some("improvement-board".into()),
        format: Some(audit_report::render::Format::Pdf),
        ..BuildOptions::new(&audit)
    };
    audit_report::build(&options, &mut |_| {}).unwrap();
    assert!(
        fs::read(work.join("out/improvement-board/improvement-board.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    assert!(work.join("charts").is_dir());
    assert!(!audit.join("out").exists() && !audit.join("charts").exists());
}

#[test]
fn an_output_setting_into_the_audits_own_inputs_is_refused() {
    let work = scratch("outputs-into-returns");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    let info = audit.join("audit.yaml");
    let text_before = fs::read_to_string(&info).unwrap();
    fs::write(
        &info,
        format!("{text_before}output:\n  out: returns/out\n  charts: ../charts\n"),
    )
    .unwrap();
    let returns_before = every_file(&audit.join("returns"));
    let listed = audit_report::build(&BuildOptions::new(&audit), &mut |_| {})
        .unwrap_err()
        .to_string();
    // (the path as the user would name it: relative to where the command runs, where it can be)
    assert!(
        listed.contains(
            "outputs-into-returns/audit/returns/out` is, holds or is inside a folder of the audit"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("the folder is `output: out:` in"),
        "{listed}"
    );
    assert_eq!(every_file(&audit.join("returns")), returns_before);
    assert!(!work.join("charts").exists());
    // `check` says it at its line
    let checked = run_in(&work, &["check", audit.to_str().unwrap()]);
    let stderr = text(&checked.stderr);
    assert_eq!(checked.status.code(), Some(1), "{stderr}");
    let line = text_before.lines().count() + 2;
    assert!(
        stderr.contains(&format!("audit.yaml:{line}:")),
        "at `out:`: {stderr}"
    );
}

/// One build's charts folder given as another's output folder, and the other way round,
/// or either inside the other build's folders (`--out A/public/o` went out with the public
/// edition, records and all): refused before anything is read, each naming the folder and
/// what it holds, and nothing is written (both builds succeeded, leaving every chart
/// unsuppressed beside `public/`).
#[test]
fn a_charts_folder_and_an_output_folder_swapped_between_builds_are_refused() {
    let work = scratch("outputs-swapped");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    let build = |out: &str, charts: &str| {
        run_in(&work, &["build", "audit", "--out", out, "--charts", charts])
    };
    let first = build("A", "B");
    assert!(first.status.success(), "{}", text(&first.stderr));
    let before = (every_file(&work.join("A")), every_file(&work.join("B")));
    let output_refused =
        "the output folder `B` holds the charts of a build (`B/charts-folder.txt`)";
    let charts_refused =
        "the charts folder `A` holds `A/records`, the internal records of a build's editions";
    let inside = |what: &str, given: &str, holder: &str, kind: &str| {
        format!(
            "the {what} folder `{given}` is inside `{}`, the {kind} of a build",
            work.join(holder).canonicalize().unwrap().display()
        )
    };
    // inside another build's folders: an edition's folder is published whole
    let in_public = inside("output", "A/public/o", "A", "output set");
    let in_charts = inside("output", "B/sub", "B", "charts folder");
    let charts_in_public = inside("charts", "A/public/charts", "A", "output set");
    for (out, charts, expected) in [
        ("B", "A", vec![output_refused, charts_refused]),
        ("B", "C", vec![output_refused]),
        ("D", "A", vec![charts_refused]),
        ("A/public/o", "C", vec![in_public.as_str()]),
        ("B/sub", "C", vec![in_charts.as_str()]),
        ("D", "A/public/charts", vec![charts_in_public.as_str()]),
    ] {
        let refused = build(out, charts);
        let stderr = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        for expected in expected.iter().chain(&["nothing was written"]) {
            assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
        }
        assert_eq!(
            (every_file(&work.join("A")), every_file(&work.join("B"))),
            before,
            "--out {out} --charts {charts} changed nothing"
        );
        assert!(!work.join("C").exists() && !work.join("D").exists());
    }
    // (the mark the refusal goes by, written with the charts)
    assert!(work.join("B/charts-folder.txt").is_file());
}

/// A folder that is not a real writable folder (`/proc/self`, a file) fails at once, with
/// the reason, and nothing is written; `/proc/self` waited two minutes for the lock and
/// then blamed "another build".
#[test]
fn an_output_folder_that_takes_no_files_fails_at_once_with_the_reason() {
    let work = scratch("outputs-unwritable");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    fs::write(work.join("notes.txt"), "mine").unwrap();
    let mut cases = vec![
        (
            ["--out", "notes.txt", "--charts", "charts"],
            "the output folder `notes.txt` cannot be written into: `notes.txt` is a file, not a folder",
        ),
        (
            ["--out", "out", "--charts", "notes.txt/charts"],
            "the charts folder `notes.txt/charts` cannot be written into: `notes.txt/charts` cannot be made: `",
        ),
    ];
    if cfg!(target_os = "linux") {
        cases.push((
            ["--out", "/proc/self", "--charts", "charts"],
            "the output folder `/proc/self` cannot be written into: nothing can be written in `/proc/self` (",
        ));
    }
    for (folders, expected) in cases {
        let started = std::time::Instant::now();
        let mut args = vec!["build", "audit"];
        args.extend(folders);
        let refused = run_in(&work, &args);
        let stderr = text(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
        assert!(!stderr.contains("another build"), "{stderr}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{folders:?} took {:?}",
            started.elapsed()
        );
        assert_eq!(fs::read_to_string(work.join("notes.txt")).unwrap(), "mine");
        let mut left: Vec<_> = fs::read_dir(&work)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(left, ["audit", "notes.txt"], "nothing written: {folders:?}");
    }
}
