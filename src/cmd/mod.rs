//! One file per command: it runs the library and prints what the user needs to see. What
//! several commands print (problems, a build's summary, changes) is here.

pub mod actions;
pub mod build;
pub mod check;
pub mod clean;
pub mod diff;
pub mod editions;
pub mod generate;
pub mod init;
pub mod manual;
pub mod preview;
pub mod progress;
pub mod schema;
pub mod template;
pub mod watch;

use audit_report::diag::Diagnostics;
use audit_report::show::printable;
use audit_report::{BuildOptions, BuildSummary};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The personal-data guard's option, shared by the commands that read returns.
#[derive(clap::Args)]
pub struct GuardArgs {
    /// A file of names (children, parents, workers), one per line, that must never be printed.
    #[arg(long, env = audit_report::check::guard::NAMES_VARIABLE)]
    pub private_names: Option<PathBuf>,
}

/// The audit folder: the one named; else `data/` if there is one; else the current folder if
/// it holds `audit.yaml` (the lead working inside the audit folder); else `data/`, which the
/// build then reports missing.
pub fn audit_folder(named: Option<PathBuf>) -> PathBuf {
    named.unwrap_or_else(|| {
        let data = PathBuf::from("data");
        if !data.is_dir() && std::path::Path::new("audit.yaml").is_file() {
            PathBuf::from(".")
        } else {
            data
        }
    })
}

/// `check`'s exit status when there are warnings but no errors (2 is taken by usage errors).
pub const WARNINGS_ONLY: u8 = 3;

pub fn print_summary(summary: &BuildSummary, options: &BuildOptions, took: Duration) {
    print_problems(&summary.warnings);
    let mut out = std::io::stdout().lock();
    let elapsed = took.as_secs_f64();
    let _ = writeln!(
        out,
        "Built {} edition(s) in {elapsed:.2} s:",
        summary.editions.len()
    );
    let files: Vec<_> = summary.editions.iter().flat_map(|e| &e.files).collect();
    let width = files
        .iter()
        .map(|f| f.path.display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    for file in files {
        let size = match file.pages {
            0 => String::new(),
            pages => format!("{pages:>3} pages"),
        };
        let path = file.path.display().to_string();
        let _ = writeln!(out, "  {path:<width$} {size}");
    }
    let _ = writeln!(
        out,
        "  {} chart(s) in {}",
        summary.charts.len(),
        options.charts.display()
    );
    let _ = writeln!(out, "Who may have which folder:");
    for edition in &summary.editions {
        let marking = edition.marking.as_deref().unwrap_or("no marking");
        let small = match edition.suppress_below {
            Some(n) => format!("counts below {n} withheld"),
            None => "all figures shown".into(),
        };
        let _ = writeln!(
            out,
            "  {:<28} {} ({marking}; {small})",
            format!("{}/", edition.folder.display()),
            printable(&edition.audience),
        );
    }
    let _ = writeln!(
        out,
        "  {:<28} internal only: build records, changes and every figure unsuppressed",
        format!("{}/", options.out.join(audit_report::RECORDS).display()),
    );
    // (the charts drawn for every edition that shows all figures: small counts unwithheld)
    let _ = writeln!(
        out,
        "  {:<28} internal only: every chart, small counts not withheld",
        format!("{}/", options.charts.display()),
    );
    if let Some(note) = names_not_checked(options, summary.prose) {
        let _ = writeln!(out, "{note}");
    }
    for (stage, time) in &summary.stages {
        let _ = writeln!(
            out,
            "    {stage:<26}{:>8.1} ms",
            time.as_secs_f64() * 1000.0
        );
    }
    drop(out);
    // The figures are the same in every edition; where they show is that of the first.
    if let Some(edition) = summary.editions.first()
        && let Some(changes) = &edition.changes
    {
        say!(
            "Changes since the last build (places as in {}):",
            edition.edition
        );
        print_changes(changes);
    }
}

pub fn print_changes(changes: &[String]) {
    if changes.is_empty() {
        say!("  no figure or input changed");
    }
    // (a change names input files, whose names are the user's: shown, never acted on)
    for change in changes {
        say!("  {}", printable(change));
    }
}

/// The most problems printed: enough to see the pattern; the rest are counted.
const MOST_PRINTED: usize = 200;

/// How problems are shown (`--diagnostic-format`), set once by `main`.
pub static STYLE: std::sync::OnceLock<audit_report::show::Style> = std::sync::OnceLock::new();

/// `--quiet`, set once by `main`: only problems, and what the command is for.
pub static QUIET: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.get().copied().unwrap_or(false)
}

/// `say!` unless `--quiet`: progress, a summary, "wrote" lines.
macro_rules! tell {
    ($($arg:tt)*) => {{
        if !$crate::cmd::quiet() {
            say!($($arg)*);
        }
    }};
}
pub(crate) use tell;

pub fn print_problems(problems: &Diagnostics) {
    let style = STYLE.get().copied().unwrap_or_default();
    audit_report::show::to_stderr(problems.0.iter().take(MOST_PRINTED), style);
    let mut err = std::io::stderr().lock();
    if problems.0.len() > MOST_PRINTED {
        let _ = writeln!(
            err,
            "… and {} more problem(s) not shown; fix these and run again",
            problems.0.len() - MOST_PRINTED
        );
    }
}

pub fn fail(problems: &Diagnostics, what: &str) -> ExitCode {
    print_problems(problems);
    eprintln!(
        "{what}: {} error(s), {} warning(s)",
        problems.error_count(),
        problems.warning_count()
    );
    ExitCode::FAILURE
}

/// Said once when a command ran without the lead's private names list over an audit with
/// prose (`prose`, [`audit_report::has_prose`]): nothing in the data says a child's name, so
/// without the list none is looked for, and the one who sends the files on should know. An
/// audit with no prose yet has nowhere a name could have been typed: nothing is said.
pub fn names_not_checked(options: &audit_report::BuildOptions, prose: bool) -> Option<String> {
    (options.private_names.is_none() && prose).then(|| {
        format!(
            "Names were not checked: no private names list (give `private_names:` in audit.yaml, --private-names FILE, or set {})",
            audit_report::check::guard::NAMES_VARIABLE
        )
    })
}

/// An edition named on the command line that the audit does not declare, said at once with
/// its "did you mean", before a preview starts serving or a watch starts waiting (each
/// would otherwise show the problem on every change, as if the audit were at fault). `None`
/// when no edition is named, it is declared, or `editions.yaml` cannot be read (the build
/// then says why).
pub fn unknown_edition(options: &BuildOptions, what: &str) -> Option<ExitCode> {
    let wanted = options.edition.as_deref()?;
    let editions = audit_report::input::declared_editions(&options.audit).ok()?;
    let problem = audit_report::edition::select(&editions, Some(wanted)).err()?;
    Some(fail(&problem.into(), what))
}
