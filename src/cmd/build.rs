//! `build`: the report, every edition, into its output set.

use super::{GuardArgs, audit_folder, fail, print_summary};
use audit_report::BuildOptions;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

// The arguments of `audit-report build` and `watch`. (Not a doc comment: clap would
// take one for the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// Once built (watch: the first time), open each edition's first file (its PDF where it
    /// has one) with the system's opener (AUDIT_REPORT_OPENER names another program).
    #[arg(long)]
    pub open: bool,
    /// Where each edition's folder and the build records go (default: `output: out:` in
    /// audit.yaml, else out/ in the audit folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where the chart SVGs go (default: `output: charts:` in audit.yaml, else charts/ in the
    /// audit folder).
    #[arg(long)]
    charts: Option<PathBuf>,
    /// Build into an output folder that holds another audit's build, replacing it (without
    /// this, refused: its change lists would compare two audits).
    #[arg(long)]
    replace: bool,
    /// A folder with report.typ and wording.yaml to use instead of the built-in ones.
    #[arg(long)]
    templates: Option<PathBuf>,
    /// Build only this edition (its id or name in editions.yaml).
    #[arg(long)]
    edition: Option<String>,
    #[command(flatten)]
    guard: GuardArgs,
    /// Also write each edition's Typst sources, data, charts and fonts into this folder.
    #[arg(long, value_name = "DIR")]
    emit_typst: Option<PathBuf>,
    /// Build only this format (pdf, docx or html) for every edition, instead of each
    /// edition's `formats` in editions.yaml.
    #[arg(long, value_name = "FORMAT")]
    format: Option<audit_report::render::Format>,
}

impl From<Args> for BuildOptions {
    fn from(a: Args) -> Self {
        // (given on the command line, the folders are as given: relative to where it runs)
        let placed = BuildOptions::new(audit_folder(a.audit));
        BuildOptions {
            out: a.out.unwrap_or(placed.out.clone()),
            charts: a.charts.unwrap_or(placed.charts.clone()),
            templates: a.templates,
            edition: a.edition,
            private_names: a.guard.private_names.or(placed.private_names.clone()),
            emit_typst: a.emit_typst,
            format: a.format,
            replace: a.replace,
            ..placed
        }
    }
}

/// Runs `audit-report build` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    let open = args.open;
    run(&args.into(), open)
}

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
