//! The `audit-report` binary as a user runs it: exit codes, the summary, the messages.

use crate::common::{edit, scratch};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .output()
        .expect("the binary runs")
}

#[test]
fn build_prints_a_summary_of_what_it_wrote() {
    let work = scratch("cli-build");
    let (out, charts) = (work.join("out"), work.join("charts"));
    let output = run(&[
        "build",
        "--out",
        out.to_str().unwrap(),
        "--charts",
        charts.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("Built 7 edition(s) in"), "{stdout}");
    assert!(
        stdout.contains("executive-group.pdf") && stdout.contains("improvement-board.pdf"),
        "{stdout}"
    );
    assert!(stdout.contains("36 chart(s) in"), "{stdout}");
    // who may have the charts folder: its charts withhold nothing
    assert!(
        stdout.contains(&format!(
            "{}/ internal only: every chart, small counts not withheld",
            charts.display()
        )) || stdout
            .lines()
            .any(|l| l.contains(&charts.display().to_string())
                && l.contains("internal only: every chart")),
        "{stdout}"
    );
    // piped, no progress: only the problems (a terminal gets a display, `everyday.rs`)
    assert!(
        !stderr.contains("typesetting") && !stderr.contains("loading"),
        "no progress when piped: {stderr}"
    );
    assert!(
        stderr.contains("warning: question 3 repeats the wording of question 2"),
        "{stderr}"
    );
    assert!(
        std::fs::read(out.join("executive-group/executive-group.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
}

#[test]
fn a_build_whose_output_cannot_be_printed_still_succeeds() {
    // (standard output to a full disk; a closed pipe, `| head -c0`, is the same error)
    let Ok(full) = std::fs::File::create("/dev/full") else {
        crate::common::skipped(
            "a_build_whose_output_cannot_be_printed_still_succeeds",
            "no /dev/full here",
        );
        return;
    };
    let work = scratch("cli-full");
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args([
            "build",
            "--format",
            "pdf",
            "--edition",
            "executive-group",
            "--out",
        ])
        .arg(work.join("out"))
        .arg("--charts")
        .arg(work.join("charts"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .stdout(full)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        work.join("out/executive-group/executive-group.pdf")
            .is_file()
    );
}

#[test]
fn check_reports_the_totals_and_warnings() {
    let output = run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // the sample's template repeats question 2 as question 3: a warning, so status 3
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        run(&["check", "tests/fixtures/other-audit"]).status.code(),
        Some(0),
        "clean"
    );
    assert_eq!(
        run(&["check", "no-such-audit"]).status.code(),
        Some(1),
        "errors"
    );
    // (none of the February plan's actions is due by the report's date)
    // and, with no private names list, that names were not looked for
    assert_eq!(
        stdout.trim(),
        "data: 15 cases, 77 of 90 requested returns (85.6%), 1 warning(s)\n\
         Names were not checked: no private names list (give `private_names:` in audit.yaml, --private-names FILE, or set AUDIT_REPORT_PRIVATE_NAMES)"
    );
    let names = scratch("cli-names").join("names.txt");
    std::fs::create_dir_all(names.parent().unwrap()).unwrap();
    std::fs::write(&names, "Jayden Smith\n").unwrap();
    let with_names = run(&["check", "--private-names", names.to_str().unwrap()]);
    assert!(
        !String::from_utf8_lossy(&with_names.stdout).contains("Names were not checked"),
        "{}",
        String::from_utf8_lossy(&with_names.stdout)
    );
}

#[test]
fn a_missing_audit_folder_fails_with_a_message_and_no_panic() {
    let output = run(&[
        "build",
        "no-such-audit",
        "--out",
        scratch("cli-missing").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("error: audit folder `no-such-audit` does not exist or is not a folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("build failed; nothing was written: 1 error(s), 0 warning(s)"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn build_edition_writes_only_that_edition() {
    let work = scratch("cli-edition");
    let (out, charts) = (work.join("out"), work.join("charts"));
    let (out, charts) = (out.to_str().unwrap(), charts.to_str().unwrap());
    let output = run(&[
        "build",
        "--edition",
        "Improvement Board",
        "--out",
        out,
        "--charts",
        charts,
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        work.join("out/improvement-board/improvement-board.pdf")
            .exists()
    );
    assert!(
        !work
            .join("out/executive-group/executive-group.pdf")
            .exists()
    );
    let output = run(&[
        "build",
        "--edition",
        "cabinet",
        "--out",
        out,
        "--charts",
        charts,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    let expected = "no edition is called `cabinet`; the audit has `executive-group` (Executive Group), `improvement-board` (Improvement Board)";
    assert!(stderr.contains(expected), "{stderr}");
}

#[test]
fn diff_shows_what_changed_between_two_records() {
    let work = scratch("cli-diff");
    let (out, charts) = (work.join("out"), work.join("charts"));
    let output = run(&[
        "build",
        "--edition",
        "executive-group",
        "--out",
        out.to_str().unwrap(),
        "--charts",
        charts.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let new = out.join("records/executive-group.record.json");
    let old = work.join("old.record.json");
    // the same record with three fewer returns
    std::fs::copy(&new, &old).unwrap();
    edit(&old, "\"returns\": 77", "\"returns\": 74");
    let output = run(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert_eq!(
        stdout,
        "  returns: 74 → 77\n      shown in paragraph 2.2.1\n"
    );
    let output = run(&["diff", old.to_str().unwrap(), "missing.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("failed to read `missing.json`"));
    // records of two editions say so; a count over its base is no build's record
    let other = work.join("other.record.json");
    std::fs::copy(&new, &other).unwrap();
    edit(
        &other,
        "\"edition\": \"executive-group\"",
        "\"edition\": \"public\"",
    );
    let output = run(&["diff", new.to_str().unwrap(), other.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .starts_with("  edition: executive-group → public\n"),
        "{output:?}"
    );
    edit(&other, "\"base\": 70,", "\"base\": 0,");
    let output = run(&["diff", new.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error: expected counts no larger than their base, found `q2` option `na` 8 of a base of 0: no build wrote this record"),
        "{output:?}"
    );
}

#[test]
fn watch_rebuilds_when_a_return_is_corrected() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let work = scratch("cli-watch");
    let audit = work.join("audit");
    crate::common::copy_audit(&crate::common::root().join("data"), &audit, true);
    let mut child = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args([
            "watch",
            audit.to_str().unwrap(),
            "--edition",
            "executive-group",
        ])
        .args([
            "--out",
            work.join("out").to_str().unwrap(),
            "--charts",
            work.join("charts").to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (lines, received) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let wait_for = |needle: &str| -> Result<(), String> {
        let mut seen = String::new();
        while let Ok(line) = received.recv_timeout(Duration::from_secs(30)) {
            seen.push_str(&line);
            seen.push('\n');
            if line.contains(needle) {
                return Ok(());
            }
        }
        Err(format!("no `{needle}` in:\n{seen}"))
    };
    let first = wait_for("Built 1 edition(s)");
    // correct one return's answer to question 2
    let corrected = walkdir::WalkDir::new(audit.join("returns"))
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.is_file() && std::fs::read_to_string(p).unwrap().contains("q2: 'yes'"))
        .unwrap();
    edit(&corrected, "q2: 'yes'", "q2: 'no'");
    let rebuilt = wait_for(
        "q2 Case overseen or discussed in supervision – yes: 82.9% (58 of 70) → 81.4% (57 of 70)",
    );
    let _ = child.kill();
    let _ = child.wait();
    first.unwrap();
    rebuilt.unwrap();
}

#[test]
fn an_interrupted_build_leaves_the_last_good_pdf_whole() {
    let work = scratch("cli-interrupted");
    let (out, charts) = (work.join("out"), work.join("charts"));
    let args = [
        "build",
        "--edition",
        "executive-group",
        "--out",
        out.to_str().unwrap(),
        "--charts",
        charts.to_str().unwrap(),
    ];
    assert!(run(&args).status.success());
    let good = std::fs::read(out.join("executive-group/executive-group.pdf")).unwrap();
    for delay in [5, 20, 40, 60, 80, 100, 140] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_audit-report"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // Same inputs, so the file is either untouched or replaced whole by identical bytes.
        assert_eq!(
            std::fs::read(out.join("executive-group/executive-group.pdf")).unwrap(),
            good,
            "killed after {delay} ms"
        );
    }
}

#[test]
fn build_inside_the_audit_folder_needs_no_argument_and_quiet_prints_only_problems() {
    let work = crate::common::scratch("inside");
    let audit = work.join("audit");
    crate::common::copy_audit(&crate::common::fixture("other-audit"), &audit, true);
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["build", "--quiet"])
        .current_dir(&audit)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!String::from_utf8_lossy(&output.stderr).contains("typesetting"));
    assert!(audit.join("out/report/report.pdf").is_file());
    let help = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Exit status: 0 done") && help.contains("3 check: warnings only"),
        "{help}"
    );
}

/// `--version` and `version` name the tool's version, the commit it was built from and the
/// Typst version `Cargo.lock` pins.
#[test]
fn the_version_names_the_commit_and_typst() {
    let lock = std::fs::read_to_string(crate::common::root().join("Cargo.lock")).unwrap();
    let typst = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"typst\"\n"))
        .and_then(|p| p.split("version = \"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap();
    let head = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    for args in [&["--version"][..], &["version"]] {
        let output = run(args);
        assert!(output.status.success());
        let said = String::from_utf8_lossy(&output.stdout);
        let commit = head.as_deref().unwrap_or("unknown");
        assert_eq!(
            said.trim(),
            format!(
                "audit-report {} (commit {commit}, Typst {typst})",
                env!("CARGO_PKG_VERSION")
            ),
            "{args:?}"
        );
    }
}
