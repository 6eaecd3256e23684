//! `build`: the report, every edition, into its output set.

use super::{fail, print_summary};
use audit_report::BuildOptions;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

/// The environment variable naming the program `build --open` opens files with, instead of
/// the system's (`open`, `xdg-open`, `start`); set empty, nothing is opened.
pub const OPENER_VARIABLE: &str = "AUDIT_REPORT_OPENER";

/// Builds, showing its progress on a terminal ([`super::progress`]), then the summary or
/// every problem; `--quiet`: the problems only; `open`: then each edition's first file (its PDF where it has one) opened
/// as the desktop opens it.
pub fn run(options: &BuildOptions, open: bool) -> ExitCode {
    let quiet = super::quiet();
    let started = Instant::now();
    let shown = super::progress::Progress::start(quiet);
    let built =
        audit_report::build_telling(options, &mut |stage| shown.stage(stage), &|done, all| {
            shown.editions(done, all)
        });
    shown.finish();
    match built {
        Ok(summary) => {
            if quiet {
                super::print_problems(&summary.warnings);
            } else {
                print_summary(&summary, options, started.elapsed());
            }
            if open {
                for edition in &summary.editions {
                    open_file(edition.path());
                }
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "build failed; nothing was written"),
    }
}

/// Opens `file` with the system's opener (or [`OPENER_VARIABLE`]'s), without waiting for
/// it. The file is written whatever happens: an opener that is not there (a server, a
/// container) is said, and the build still succeeds.
pub fn open_file(file: &Path) {
    let (program, first_args): (String, &[&str]) = match std::env::var(OPENER_VARIABLE) {
        Ok(program) if program.trim().is_empty() => return,
        Ok(program) => (program, &[]),
        Err(_) if cfg!(target_os = "macos") => ("open".into(), &[]),
        // (`start` is a command of cmd; its first quoted argument is a window title)
        Err(_) if cfg!(windows) => ("cmd".into(), &["/C", "start", ""]),
        Err(_) => ("xdg-open".into(), &[]),
    };
    let spawned = Command::new(&program)
        .args(first_args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!(
            "note: could not open {} with `{program}` ({e}); the file is written (set {OPENER_VARIABLE} to the program that opens it)",
            file.display()
        );
    }
}
