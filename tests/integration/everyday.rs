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

/// `editions` says, for each edition, its id and name, audience, formats, what it withholds,
/// its marking and where its files go (the audit's output folder); then the internal folders.
#[test]
fn editions_lists_each_edition_and_where_its_files_go() {
    let audit = new_audit("everyday-editions");
    let output = audit_report().arg("editions").arg(&audit).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let a = audit.display();
    let expected = format!(
        "2 edition(s) of \"Multi-agency case audit\" ({a}), each into a folder of {a}/out:
  board  Board (draft)
      for:      Safeguarding Children Board Executive Group
      formats:  pdf, docx, html
      figures:  all shown, small counts included
      marking:  OFFICIAL-SENSITIVE
      files:    {a}/out/board/ (board.pdf, board.docx, board.html, figures.csv)
  public  Public (draft)
      for:      Published on the board's website
      formats:  pdf, html
      figures:  counts below 3 withheld (\"fewer than 3\")
      marking:  OFFICIAL
      files:    {a}/out/public/ (public.pdf, public.html, figures.csv)
Internal only, never to be sent on:
"
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.starts_with(&expected), "{said}");
    for internal in [
        format!("{a}/out/records/"),
        format!("{a}/charts/"),
        "every chart, small counts not withheld".into(),
    ] {
        assert!(said.contains(&internal), "{internal} in {said}");
    }
    // `output:` in audit.yaml moves the files, and the list says so
    let settings = audit.join("audit.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text + "output:\n  out: ../published\n").unwrap();
    let output = audit_report().arg("editions").arg(&audit).output().unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    let published = audit.parent().unwrap().join("published");
    assert!(
        said.contains(&format!("files:    {}/board/ (", published.display())),
        "{said}"
    );
}

/// `clean` removes the output set (each edition's folder and records/) and the charts,
/// keeps what is not a build's, and refuses a folder no build marked.
#[test]
fn clean_removes_only_what_a_build_wrote() {
    let audit = new_audit("everyday-clean");
    let (out, charts) = (audit.join("out"), audit.join("charts"));
    let built = audit_report()
        .args(["build", "--quiet", "--format", "html"])
        .arg(&audit)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(out.join("board/board.html").is_file() && charts.join("q1.svg").is_file());
    std::fs::write(out.join("template.xlsx"), b"the lead's").unwrap();
    std::fs::write(out.join("notes.txt"), b"mine").unwrap();
    let output = audit_report().arg("clean").arg(&audit).output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let said =
        String::from_utf8_lossy(&output.stdout).replace(&format!("{}/", audit.display()), "a/");
    assert!(
        said.contains("removed from a/out/: board, public, records\n"),
        "{said}"
    );
    assert!(
        said.contains("kept in a/out/ (not written by a build): notes.txt, template.xlsx"),
        "{said}"
    );
    assert!(
        said.contains("removed from a/charts/: ")
            && said.contains("charts-folder.txt, fewer-than-3; the folder, left empty, too"),
        "{said}"
    );
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(!charts.exists());
    // again: nothing of a build is left, and nothing else is touched
    let output = audit_report().arg("clean").arg(&audit).output().unwrap();
    assert_eq!(output.status.code(), Some(1), "notes.txt is not a build's");
    assert!(out.join("notes.txt").is_file());
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    let output = audit_report().arg("clean").arg(&audit).output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout).starts_with("nothing to clean"),
        "{output:?}"
    );
    // a folder no build marked is refused whole, with both reasons at once
    let mine = audit.parent().unwrap().join("mine");
    std::fs::create_dir_all(mine.join("board")).unwrap();
    std::fs::write(mine.join("board/board.pdf"), b"someone's").unwrap();
    let output = audit_report()
        .arg("clean")
        .arg(&audit)
        .arg("--out")
        .arg(&mine)
        .arg("--charts")
        .arg(&audit.join("narrative"))
        .output()
        .unwrap();
    let said = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "error: the output folder `{}` has no `{}`, so no build of audit-report marked it as its own; clean removes only what a build wrote, and nothing was removed",
            mine.display(),
            mine.join("records").display()
        )) && said.contains("charts-folder.txt`, so no build")
            && said.contains("clean refused: 2 error(s)"),
        "{said}"
    );
    assert!(mine.join("board/board.pdf").is_file());
    assert!(audit.join("narrative").read_dir().unwrap().next().is_some());
}

/// `build --open` opens each edition's first file with the opener (here a script standing in
/// for xdg-open); an opener that is not there is said, and the build still succeeds.
#[test]
fn build_open_opens_each_edition_and_never_fails_the_build() {
    let audit = new_audit("everyday-open");
    let work = audit.parent().unwrap();
    let opened = work.join("opened.txt");
    let opener = work.join("opener.sh");
    std::fs::write(
        &opener,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&opener, std::fs::Permissions::from_mode(0o755)).unwrap();
    let output = audit_report()
        .args(["build", "--quiet", "--open"])
        .arg(&audit)
        .env("AUDIT_REPORT_OPENER", &opener)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let started = Instant::now();
    let expected = [
        audit.join("out/board/board.pdf").display().to_string(),
        audit.join("out/public/public.pdf").display().to_string(),
    ];
    // (each opener runs on its own, in whatever order)
    let sorted = || {
        let text = std::fs::read_to_string(&opened).unwrap_or_default();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    while sorted() != expected {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "opened: {:?}",
            sorted()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = audit_report()
        .args(["build", "--quiet", "--open"])
        .arg(&audit)
        .env("AUDIT_REPORT_OPENER", work.join("no-such-opener"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "note: could not open {a}/out/board/board.pdf with `{}`",
            work.join("no-such-opener").display(),
            a = audit.display()
        )),
        "{}",
        stderr(&output)
    );
}

/// The completions of each shell know every command and the options of `build`; bash's
/// loads in bash and completes a command's name.
#[test]
fn completions_know_every_command() {
    let script = |shell: &str| {
        let output = audit_report()
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let commands = [
        "init",
        "build",
        "check",
        "watch",
        "preview",
        "editions",
        "clean",
        "schema",
        "template",
        "generate",
        "actions",
        "completions",
        "manual",
        "version",
        "diff",
    ];
    for (shell, marks) in [
        ("bash", ["_audit__report()", "complete -F _audit__report"]),
        ("zsh", ["#compdef audit-report", "'--open[Once built"]),
        (
            "fish",
            ["complete -c audit-report", "-l open -d 'Once built"],
        ),
        ("powershell", ["Register-ArgumentCompleter", "'--open'"]),
    ] {
        let script = script(shell);
        for mark in marks {
            assert!(script.contains(mark), "{shell}: {mark} in\n{script}");
        }
        for command in commands {
            assert!(script.contains(command), "{shell}: {command}");
        }
    }
    if !crate::common::have("bash") {
        return crate::common::skipped("bash completion", "no bash");
    }
    // completing `audit-report ed` in bash offers `editions`
    let work = scratch("everyday-completions");
    std::fs::write(work.join("audit-report.bash"), script("bash")).unwrap();
    let completed = Command::new("bash")
        .arg("-c")
        .arg("source ./audit-report.bash; COMP_WORDS=(audit-report ed); COMP_CWORD=1; _audit__report audit-report ed audit-report; echo \"${COMPREPLY[@]}\"")
        .current_dir(&work)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&completed.stdout).trim(),
        "editions",
        "{completed:?}"
    );
}

/// The manual page is roff, names the version and every command; with --dir a page per
/// command, each with its options.
#[test]
fn the_manual_page_is_made_from_the_same_definitions() {
    let output = audit_report().arg("manual").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let page = String::from_utf8(output.stdout).unwrap();
    assert!(page.contains(".TH audit-report 1"), "{page}");
    assert!(
        page.contains(&format!("audit-report {}", env!("CARGO_PKG_VERSION"))),
        "{page}"
    );
    for command in ["build", "editions", "clean", "completions", "manual"] {
        assert!(
            page.contains(&format!("audit\\-report\\-{command}(1)")),
            "{command}"
        );
    }
    let dir = scratch("everyday-manual").join("man1");
    let output = audit_report()
        .arg("manual")
        .arg("--dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let build = std::fs::read_to_string(dir.join("audit-report-build.1")).unwrap();
    for option in [
        "\\-\\-open",
        "\\-\\-quiet",
        "\\-\\-edition",
        "\\-\\-private\\-names",
    ] {
        assert!(build.contains(option), "{option} in\n{build}");
    }
    assert!(dir.join("audit-report-clean.1").is_file());
}
