//! (Over 500 lines: a test for each everyday command, each asserting its whole output, sharing
//! the helpers at the top.)
//!
//! The everyday commands a lead expects of a tool like Quarto's or mdBook's (issue 31): "did
//! you mean" for a command or an edition wherever one is named, `editions`, `clean`,
//! `build --open`, completions and the manual page.

use crate::common::{edit, scratch};
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
    edit(&file, "  - p: >-\n", "  - editions: [pubilc]\n    p: >-\n");
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
        "5 edition(s) of \"Multi-agency case audit\" ({a}), each into a folder of {a}/out:
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
  cover  Cover paper (draft)
      for:      Safeguarding Children Board Executive Group
      formats:  pdf, docx
      figures:  all shown, small counts included
      marking:  OFFICIAL-SENSITIVE
      files:    {a}/out/cover/ (cover.pdf, cover.docx, figures.csv)
  slides  Slides (draft)
      for:      Safeguarding Children Board Executive Group
      formats:  pdf
      figures:  all shown, small counts included
      marking:  OFFICIAL-SENSITIVE
      files:    {a}/out/slides/ (slides.pdf, figures.csv)
  briefing  7-minute briefing (draft)
      for:      Practitioners in every agency
      formats:  pdf, docx, html
      figures:  counts below 3 withheld (\"fewer than 3\")
      marking:  OFFICIAL
      files:    {a}/out/briefing/ (briefing.pdf, briefing.docx, briefing.html, figures.csv)
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
    // (as the command shows it: relative to where it runs when inside it, as in a clean
    // clone whose target folder is inside the repository)
    assert!(
        said.contains("everyday-editions/published/board/ (")
            && !said.contains("my-audit/out/board/"),
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
        said.contains("removed from a/out/: board, briefing, cover, public, slides, records\n"),
        "{said}"
    );
    assert!(
        said.contains("kept in a/out/ (not written by a build): notes.txt, template.xlsx"),
        "{said}"
    );
    assert!(
        said.contains("removed from a/charts/: ")
            && said.contains("fewer-than-3, large, charts-folder.txt; the folder, left empty, too"),
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
        .arg(audit.join("narrative"))
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

/// What a hostile pass made `clean` take that was not a build's: the lead's drawings in a
/// folder given as --charts (a build now refuses such a folder, and a build's mark names
/// its charts), and a folder of the lead's beside a copied build record, or a file of
/// theirs in an edition's folder (the folder is kept, and named).
#[test]
fn clean_never_takes_the_lead_s_files_for_a_build_s() {
    let audit = new_audit("everyday-clean-mine");
    let work = audit.parent().unwrap();
    let pictures = work.join("pictures");
    std::fs::create_dir_all(&pictures).unwrap();
    std::fs::write(pictures.join("holiday.svg"), "<svg/>").unwrap();
    let refused = audit_report()
        .args(["build", "--quiet", "--format", "html", "--charts"])
        .arg(&pictures)
        .arg(&audit)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "holds files (`holiday.svg`) and no `charts-folder.txt`, so no build wrote it"
        ),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_dir(&pictures).unwrap().count(), 1);
    // a build's own folders, with the lead's files put among them afterwards
    let built = audit_report()
        .args(["build", "--quiet", "--format", "html"])
        .arg(&audit)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let (out, charts) = (audit.join("out"), audit.join("charts"));
    std::fs::write(charts.join("crest.svg"), "<svg/>").unwrap();
    std::fs::write(charts.join("large/crest.svg"), "<svg/>").unwrap();
    std::fs::write(out.join("public/lead-notes.txt"), "mine").unwrap();
    let cleaned = audit_report().arg("clean").arg(&audit).output().unwrap();
    let said =
        String::from_utf8_lossy(&cleaned.stdout).replace(&format!("{}/", audit.display()), "a/");
    assert!(
        said.contains("kept in a/out/ (not written by a build): public"),
        "{said}"
    );
    assert!(
        said.contains("kept in a/charts/ (not written by a build): crest.svg, large"),
        "{said}"
    );
    assert!(
        out.join("public/lead-notes.txt").is_file() && out.join("public/public.html").is_file()
    );
    assert!(charts.join("crest.svg").is_file() && charts.join("large/crest.svg").is_file());
    assert!(!charts.join("q1.svg").exists() && !out.join("board").exists());
    // nor does a build drop the lead's file from an edition's folder: it is refused
    let refused = audit_report()
        .args(["build", "--quiet", "--format", "html"])
        .arg(&audit)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("public` holds `lead-notes.txt`, which no build wrote; the edition `public` replaces its folder whole and would drop it: move it out"),
        "{}",
        stderr(&refused)
    );
    assert!(out.join("public/lead-notes.txt").is_file());
    std::fs::remove_file(out.join("public/lead-notes.txt")).unwrap();
    // a build record copied beside a folder of the lead's does not make it a build's
    let home = work.join("home");
    for folder in ["public", "records", "Documents"] {
        std::fs::create_dir_all(home.join(folder)).unwrap();
    }
    std::fs::write(home.join("public/index.html"), "my site").unwrap();
    let built = audit_report()
        .args(["build", "--quiet", "--format", "html"])
        .arg(&audit)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    std::fs::copy(
        out.join("records/public.record.json"),
        home.join("records/public.record.json"),
    )
    .unwrap();
    let cleaned = audit_report()
        .arg("clean")
        .arg(&audit)
        .arg("--out")
        .arg(&home)
        .arg("--charts")
        .arg(work.join("nowhere"))
        .output()
        .unwrap();
    assert!(home.join("public/index.html").is_file(), "{cleaned:?}");
    assert!(home.join("Documents").is_dir(), "{cleaned:?}");
}

/// A third hostile pass: a hidden file of the lead's in an edition's folder was dropped by
/// the build (only a system's clutter, `.DS_Store`, is passed over, and cleaned with the
/// folder); a forged mark naming a document in a chart set's folder took it; an edition
/// named `collection` took the lead's working folder.
#[test]
fn hidden_files_forged_marks_and_working_names_are_kept() {
    let audit = new_audit("everyday-clean-hidden");
    let build = || {
        audit_report()
            .args(["build", "--quiet", "--format", "html"])
            .arg(&audit)
            .output()
            .unwrap()
    };
    assert!(build().status.success());
    let (out, charts) = (audit.join("out"), audit.join("charts"));
    std::fs::write(out.join("public/.notes-for-board.txt"), "mine").unwrap();
    let refused = build();
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("holds `.notes-for-board.txt`, which no build wrote"),
        "{}",
        stderr(&refused)
    );
    std::fs::remove_file(out.join("public/.notes-for-board.txt")).unwrap();
    std::fs::write(out.join("public/.DS_Store"), "finder").unwrap();
    std::fs::write(out.join("public/Thumbs.db"), "explorer").unwrap();
    assert!(build().status.success());
    std::fs::create_dir_all(charts.join("mine")).unwrap();
    std::fs::write(charts.join("mine/notes.docx"), "mine").unwrap();
    let mark = charts.join("charts-folder.txt");
    let forged = std::fs::read_to_string(&mark).unwrap() + "Chart: mine/notes.docx\n";
    std::fs::write(&mark, forged).unwrap();
    let cleaned = audit_report().arg("clean").arg(&audit).output().unwrap();
    assert!(cleaned.status.success(), "{}", stderr(&cleaned));
    assert!(charts.join("mine/notes.docx").is_file());
    assert!(!out.join("public").exists(), "clutter keeps no folder");
    // a staging folder planted (or left by something else) with a swap "under way" does not
    // replace the lead's files when clean (or a build) finishes it
    assert!(build().status.success());
    std::fs::create_dir_all(out.join("collection")).unwrap();
    std::fs::write(out.join("collection/C01-Police.xlsx"), "returned").unwrap();
    std::fs::write(out.join("my-notes.txt"), "notes").unwrap();
    let planted = out.join(".staging-99999");
    std::fs::create_dir_all(planted.join("collection")).unwrap();
    std::fs::create_dir_all(planted.join("my-notes.txt")).unwrap();
    std::fs::write(planted.join(".swapping"), "").unwrap();
    let cleaned = audit_report().arg("clean").arg(&audit).output().unwrap();
    assert!(cleaned.status.success(), "{}", stderr(&cleaned));
    assert_eq!(
        std::fs::read_to_string(out.join("collection/C01-Police.xlsx")).unwrap(),
        "returned"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("my-notes.txt")).unwrap(),
        "notes"
    );
    assert!(!planted.exists());
    // records/ holding only a build's lists of changes (as an earlier clean left it) is
    // still the build's: the next build is not stopped by it
    std::fs::create_dir_all(out.join("records")).unwrap();
    std::fs::write(out.join("records/public.changes.txt"), "\n").unwrap();
    let built = build();
    assert!(built.status.success(), "{}", stderr(&built));
    // an edition may not take the name of the lead's working folder
    edit(&audit.join("editions.yaml"), "id: public", "id: collection");
    let checked = audit_report().arg("check").arg(&audit).output().unwrap();
    assert!(
        stderr(&checked).contains("edition id `collection` is reserved"),
        "{}",
        stderr(&checked)
    );
}

/// A build of one edition keeps the other editions' charts beside its own, and its mark
/// names them too: `clean` then takes them all (it left them, named the lead's).
#[test]
fn clean_after_a_build_of_one_edition_takes_every_chart() {
    let audit = new_audit("everyday-clean-one-edition");
    for edition in [None, Some("public")] {
        let mut build = audit_report();
        build.args(["build", "--quiet", "--format", "html"]);
        if let Some(edition) = edition {
            build.args(["--edition", edition]);
        }
        let built = build.arg(&audit).output().unwrap();
        assert!(built.status.success(), "{}", stderr(&built));
    }
    let cleaned = audit_report().arg("clean").arg(&audit).output().unwrap();
    let said = String::from_utf8_lossy(&cleaned.stdout).into_owned();
    assert!(cleaned.status.success(), "{said}");
    assert!(!audit.join("charts").exists(), "{said}");
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
    let expected: Vec<String> = ["board", "briefing", "cover", "public", "slides"]
        .iter()
        .map(|e| audit.join(format!("out/{e}/{e}.pdf")).display().to_string())
        .collect();
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

/// Standard output and error of `audit-report args… audit`, and whether it succeeded.
fn ran(audit: &Path, args: &[&str], env: Option<&Path>) -> (bool, String, String) {
    let mut command = audit_report();
    command.args(args).arg(audit);
    if let Some(list) = env {
        command.env(audit_report::check::guard::NAMES_VARIABLE, list);
    }
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr(&output),
    )
}

const NOT_CHECKED: &str = "Names were not checked: no private names list";

/// `private_names:` in audit.yaml names the list once for the audit; `--private-names` and
/// the environment variable still win; the "not checked" note comes once a build, and only
/// where there is one to give.
#[test]
fn the_names_list_is_named_once_in_the_audit_settings() {
    let audit = new_audit("everyday-names");
    let work = audit.parent().unwrap().to_path_buf();
    let narrative = audit.join("narrative/01-report.yaml");
    edit(
        &narrative,
        "The plan was on file in",
        "Kayden Brightwater's plan was on file in",
    );
    std::fs::create_dir_all(work.join("private")).unwrap();
    std::fs::write(work.join("private/names.txt"), "Kayden Brightwater\n").unwrap();
    std::fs::write(work.join("private/none.txt"), "# nobody\n").unwrap();
    let out = work.join("out");
    let build = ["build", "--format", "html", "--out", out.to_str().unwrap()];
    // no list: built, and said once
    let (built, stdout, _) = ran(&audit, &build, None);
    assert!(built);
    assert_eq!(stdout.matches(NOT_CHECKED).count(), 1, "{stdout}");
    assert!(
        stdout.contains("give `private_names:` in audit.yaml"),
        "{stdout}"
    );
    // named in audit.yaml: the name is found, and no note
    let settings = audit.join("audit.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(
        &settings,
        format!("{yaml}private_names: ../private/names.txt\n"),
    )
    .unwrap();
    let (built, stdout, stderr) = ran(&audit, &build, None);
    assert!(!built, "{stdout}");
    assert!(stderr.contains("possible personal data"), "{stderr}");
    assert!(!stdout.contains(NOT_CHECKED) && !stderr.contains(NOT_CHECKED));
    let (checked, _, stderr) = ran(&audit, &["check"], None);
    assert!(
        !checked && stderr.contains("possible personal data"),
        "{stderr}"
    );
    // the flag and the variable win over the setting
    let none = work.join("private/none.txt");
    let flagged = [&build[..], &["--private-names", none.to_str().unwrap()]].concat();
    let (built, stdout, stderr) = ran(&audit, &flagged, None);
    assert!(built && !stdout.contains(NOT_CHECKED), "{stderr}");
    let (built, _, stderr) = ran(&audit, &build, Some(&none));
    assert!(built, "{stderr}");
    // the built files say nothing of the list or where it is
    for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("names.txt") && !text.contains("private_names"),
                "{entry:?}"
            );
        }
    }
    // a list inside the audit folder is refused, at its line
    std::fs::copy(work.join("private/names.txt"), audit.join("names.txt")).unwrap();
    std::fs::write(&settings, format!("{yaml}private_names: names.txt\n")).unwrap();
    let (checked, _, stderr) = ran(&audit, &["check"], None);
    let line = yaml.lines().count() + 1;
    assert!(!checked);
    assert!(
        stderr.contains(&format!(
            "error: the private names list `names.txt` is inside the audit folder `{}`; it must be kept outside it",
            audit.display()
        )) && stderr.contains(&format!("audit.yaml:{line}:")),
        "{stderr}"
    );
}

/// An audit with no prose yet (no narrative written, no comment in a return) has nowhere a
/// name could have been typed: no note.
#[test]
fn no_names_note_for_an_audit_without_prose() {
    let audit = new_audit("everyday-no-prose");
    for entry in std::fs::read_dir(audit.join("narrative"))
        .unwrap()
        .flatten()
    {
        std::fs::remove_file(entry.path()).unwrap();
    }
    for entry in walkdir::WalkDir::new(audit.join("returns"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let kept: Vec<&str> = text
                .split_inclusive('\n')
                .scan(false, |in_comments, line| {
                    if line.starts_with("comments:") {
                        *in_comments = true;
                    } else if !line.starts_with(' ') {
                        *in_comments = false;
                    }
                    Some((!*in_comments).then_some(line))
                })
                .flatten()
                .collect();
            std::fs::write(entry.path(), kept.concat()).unwrap();
        }
    }
    let out = audit.parent().unwrap().join("out");
    for args in [
        &["build", "--format", "html", "--out", out.to_str().unwrap()][..],
        &["check"],
    ] {
        let (done, stdout, stderr) = ran(&audit, args, None);
        assert!(done, "{args:?}: {stderr}");
        assert!(!stdout.contains(NOT_CHECKED), "{args:?}: {stdout}");
    }
}

/// `--quiet` on every command that says what it did: nothing but problems.
#[test]
fn quiet_commands_print_nothing_but_problems() {
    let work = scratch("everyday-quiet");
    let audit = work.join("my-audit");
    let out = work.join("out");
    for args in [
        vec!["init", "--quiet", audit.to_str().unwrap()],
        vec!["check", "-q", audit.to_str().unwrap()],
        vec![
            "build",
            "--quiet",
            audit.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        vec![
            "template",
            "--quiet",
            audit.to_str().unwrap(),
            "--out",
            work.join("t.xlsx").to_str().unwrap(),
        ],
        vec![
            "actions",
            "--quiet",
            audit.to_str().unwrap(),
            "--out",
            work.join("a.xlsx").to_str().unwrap(),
        ],
        vec!["schema", "--quiet", audit.to_str().unwrap()],
        vec![
            "generate",
            "--quiet",
            work.join("generated").to_str().unwrap(),
            "--cases",
            "3",
        ],
        vec![
            "clean",
            "--quiet",
            audit.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    ] {
        let output = audit_report().args(&args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "", "{args:?}");
        assert_eq!(stderr(&output), "", "{args:?}");
    }
    assert!(
        !out.exists()
            && work.join("t.xlsx").is_file()
            && work.join("generated/audit.yaml").is_file()
    );
}

/// A build over a second shows its progress on a terminal (stage of all, editions typeset of
/// all, time), taken off before the summary; piped, nothing but the summary and problems.
#[test]
fn a_long_build_shows_progress_on_a_terminal_and_nothing_piped() {
    let work = scratch("everyday-progress");
    let audit = work.join("big");
    let made = audit_report()
        .args(["generate", "--quiet", "--cases", "400"])
        .arg(&audit)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stderr(&made));
    std::fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - {id: board, name: Board}\n  - {id: web, name: Web, formats: [html]}\n",
    )
    .unwrap();
    let out = work.join("out");
    // piped: no progress line, no display's control sequence
    let output = audit_report()
        .arg("build")
        .arg(&audit)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let (stdout, err) = (String::from_utf8_lossy(&output.stdout), stderr(&output));
    assert!(output.status.success(), "{err}");
    assert!(stdout.starts_with("Built 2 edition(s) in"), "{stdout}");
    for said in [stdout.as_ref(), err.as_str()] {
        assert!(
            !said.contains("typeset…")
                && !said.contains("edition(s) typeset")
                && !said.contains("[1/5]")
                && !said.contains('\u{1b}')
                && !said.contains('\r'),
            "{said}"
        );
    }
    if !crate::common::have("script") {
        return crate::common::skipped("the progress on a terminal", "no `script` (util-linux)");
    }
    // on a terminal (`script` gives the build one)
    let command = format!(
        "'{}' build '{}' --out '{}'",
        env!("CARGO_BIN_EXE_audit-report"),
        audit.display(),
        out.display()
    );
    let shown = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{screen}");
    let took: f64 = screen
        .split("Built 2 edition(s) in ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no summary in {screen}"));
    if took < 1.5 {
        // (a machine fast enough to build this in under a second shows nothing, rightly)
        eprintln!("the progress on a terminal not looked at: the build took {took} s");
        return;
    }
    // (shown from a second on: by then this build is typesetting)
    for part in ["[4/5] typesetting", "edition(s) typeset"] {
        assert!(screen.contains(part), "{part} in {screen}");
    }
    assert!(
        screen.contains("0/2 edition(s) typeset") || screen.contains("1/2 edition(s) typeset"),
        "{screen}"
    );
    // taken off the screen before the summary, which follows it whole
    let summary = screen.rfind("Built 2 edition(s)").unwrap();
    assert!(
        !screen[summary..].contains("edition(s) typeset"),
        "{}",
        &screen[summary..]
    );
}

/// The commands that write a single file or a new folder never write over the audit:
/// `generate` refuses a folder with anything in it (a real audit named by mistake kept its
/// returns), and `template` and `actions` refuse a name not ending `.xlsx` (the question
/// bank, a published PDF, the names list) and a file the audit reads (its tracking
/// workbook); each says so, exits non-zero and leaves the file as it was.
#[test]
fn no_command_writes_over_the_audit_or_a_file_not_its_own() {
    let audit = new_audit("everyday-no-overwrite");
    let snapshot = |path: &Path| std::fs::read(path).unwrap();
    let bank = audit.join("questions.yaml");
    let before = snapshot(&bank);
    let generated = audit_report()
        .args(["generate", "--quiet", "--cases", "2"])
        .arg(&audit)
        .output()
        .unwrap();
    assert_eq!(generated.status.code(), Some(1));
    assert!(
        stderr(&generated).contains(
            "is not empty: generate writes a new synthetic audit and never writes over a folder"
        ),
        "{}",
        stderr(&generated)
    );
    let written = |command: &str, out: &Path| {
        let output = audit_report()
            .args([command, "--quiet"])
            .arg(&audit)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap();
        (output.status.code(), stderr(&output))
    };
    for command in ["template", "actions"] {
        let (code, said) = written(command, &bank);
        assert_eq!(code, Some(1), "{command}: {said}");
        assert!(
            said.contains("error: expected a workbook's name ending `.xlsx`"),
            "{command}: {said}"
        );
    }
    assert_eq!(snapshot(&bank), before, "the question bank untouched");
    // nor beside an edition's files, which are shared as they are
    let published = audit.join("out/public/plan.xlsx");
    for command in ["template", "actions"] {
        let (code, said) = written(command, &published);
        assert_eq!(code, Some(1), "{command}: {said}");
        assert!(
            said.contains("this is inside edition `public`'s folder"),
            "{command}: {said}"
        );
    }
    assert!(!published.exists());
    // the tracking workbook the audit reads, saved back in it as the lead is told to
    let fresh = audit.parent().unwrap().join("actions.xlsx");
    assert_eq!(written("actions", &fresh).0, Some(0));
    let tracking = audit.join("actions.xlsx");
    std::fs::copy(&fresh, &tracking).unwrap();
    let kept = snapshot(&tracking);
    for command in ["template", "actions"] {
        let (code, said) = written(command, &tracking);
        assert_eq!(code, Some(1), "{command}: {said}");
        assert!(
            said.contains("is one of the audit's own"),
            "{command}: {said}"
        );
    }
    assert_eq!(snapshot(&tracking), kept);
}
