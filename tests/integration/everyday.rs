//! The everyday commands a lead expects of a tool like Quarto's or mdBook's (issue 31): "did
//! you mean" for a command or an edition wherever one is named, `editions`, `clean`,
//! `build --open`, completions and the manual page.

use crate::common::scratch;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn audit_report() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_audit-report"));
    command
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .env("NO_COLOR", "1");
    command
}

/// A new audit folder, from `init`, in a scratch folder of its own (editions `board` and
/// `public`).
fn new_audit(name: &str) -> PathBuf {
    let audit = scratch(name).join("my-audit");
    let init = audit_report().arg("init").arg(&audit).output().unwrap();
    assert!(init.status.success(), "{init:?}");
    audit
}

/// `command` run to its end, or killed and failed after `most`: a command that should stop
/// at once must not start serving or waiting.
fn ends_within(command: &mut Command, most: Duration) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > most {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "still running after {most:?}: {}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_unknown_command_gets_a_did_you_mean() {
    let output = audit_report().arg("biuld").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("a similar subcommand exists: 'build'"),
        "{}",
        stderr(&output)
    );
}

/// `build`, `watch` and `preview` all say which edition was meant, and `watch` and `preview`
/// stop at once rather than wait or serve.
#[test]
fn a_misspelt_edition_gets_a_did_you_mean_and_nothing_starts() {
    let audit = new_audit("everyday-edition");
    let work = audit.parent().unwrap();
    let out = work.join("out");
    for (args, meant, stopped) in [
        (
            vec!["build", "--edition", "Borad"],
            "`board` (Board)",
            "build failed; nothing was written",
        ),
        (
            vec!["watch", "--edition", "Borad"],
            "`board` (Board)",
            "watch not started",
        ),
        (
            vec!["preview", "--edition", "Pubic"],
            "`public` (Public)",
            "preview not started",
        ),
    ] {
        let output = ends_within(
            audit_report()
                .args(&args)
                .arg(&audit)
                .arg_if(args[0] != "preview", "--out", &out),
            Duration::from_secs(60),
        );
        let said = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains(&format!("error: no edition is called `{}`", args[2]))
                && said.contains(&format!("= help: did you mean {meant}?"))
                && said.contains(stopped),
            "{args:?}: {said}"
        );
        // (nothing served, nothing built)
        assert!(
            String::from_utf8_lossy(&output.stdout).is_empty(),
            "{args:?}"
        );
    }
    assert!(!out.exists());
}

/// A narrative block limited to an edition the audit does not declare says which was meant.
#[test]
fn a_block_naming_a_misspelt_edition_gets_a_did_you_mean() {
    let audit = new_audit("everyday-block-edition");
    let narrative = audit.join("narrative");
    let file = std::fs::read_dir(&narrative)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| std::fs::read_to_string(p).unwrap().contains("  - p: >-\n"))
        .expect("a narrative file with a paragraph");
    let text = std::fs::read_to_string(&file).unwrap();
    let limited = text.replacen("  - p: >-\n", "  - editions: [pubilc]\n    p: >-\n", 1);
    assert_ne!(text, limited);
    std::fs::write(&file, limited).unwrap();
    let output = audit_report()
        .args(["check", "--diagnostic-format", "human"])
        .arg(&audit)
        .output()
        .unwrap();
    let said = stderr(&output);
    assert!(
        said.contains("block names edition `pubilc`, which editions.yaml does not declare")
            && said.contains("= help: did you mean `public` (Public)?"),
        "{said}"
    );
}

/// `Command::args` for a flag and its value, only when `given`.
trait ArgIf {
    fn arg_if(&mut self, given: bool, flag: &str, value: &Path) -> &mut Self;
}

impl ArgIf for Command {
    fn arg_if(&mut self, given: bool, flag: &str, value: &Path) -> &mut Self {
        if given {
            self.arg(flag).arg(value);
        }
        self
    }
}
