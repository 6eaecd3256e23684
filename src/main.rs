//! The `audit-report` command: argument parsing and dispatch. Each command, with its
//! printing, is a file of `cmd/`; the library does the work.

/// `println!` that does not stop the program when standard output is gone (a closed pipe,
/// a full disk): by then the build's files are written, and a panic would say otherwise.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod cmd;

use audit_report::BuildOptions;
use clap::{CommandFactory, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Turns the returns of a multi-agency case audit into the finished, board-ready report
/// (PDF, Word, web).
/// The version `--version` and `version` print: the tool's, the commit it was built from
/// (`build.rs`) and the Typst it typesets with, which decides how a PDF lays out.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("AUDIT_REPORT_COMMIT"),
    ", Typst ",
    env!("AUDIT_REPORT_TYPST"),
    ")"
);

#[derive(Parser)]
#[command(
    version = VERSION,
    about,
    after_help = "The audit folder: the one named, else data/ if there is one, else the current folder if it holds audit.yaml.\n\nExit status: 0 done (check: clean); 1 errors, nothing written; 2 the command line was wrong; 3 check: warnings only."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How problems are shown: `human` (the source line, a caret and help) or `short` (one
    /// line each, file:line:column, for editors). Colour only on a terminal; NO_COLOR turns
    /// it off.
    #[arg(long, global = true, default_value = "human", value_name = "FORMAT")]
    diagnostic_format: audit_report::show::Style,
    /// Print only problems and what the command is for (a listing, a script, a page): no
    /// progress, summary or "wrote" lines.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// Once built (watch: the first time), open each edition's first file (its PDF where it
    /// has one) with the system's opener (AUDIT_REPORT_OPENER names another program).
    #[arg(long)]
    open: bool,
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

#[derive(clap::Args)]
struct GuardArgs {
    /// A file of names (children, parents, workers), one per line, that must never be printed.
    #[arg(long, env = audit_report::check::guard::NAMES_VARIABLE)]
    private_names: Option<PathBuf>,
}

impl From<BuildArgs> for BuildOptions {
    fn from(a: BuildArgs) -> Self {
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

#[derive(Subcommand)]
enum Command {
    /// Start a new audit folder that builds at once (a question of each kind, a few returns,
    /// narrative with every kind of block, two editions); with --from, the next round of an
    /// existing audit.
    Init {
        /// The new folder (it must not exist, or be empty).
        #[arg(default_value = "my-audit")]
        dir: PathBuf,
        /// Start the next round of this audit: its template and editions, no returns.
        #[arg(long, value_name = "AUDIT")]
        from: Option<PathBuf>,
    },
    /// Build the report: each edition's files (PDF, Word, web) into --out, charts into
    /// --charts (by default out/ and charts/ in the audit folder).
    Build(BuildArgs),
    /// Check an audit folder and print every problem, without building. Exit status: 0 clean,
    /// 1 errors, 3 warnings only.
    Check {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
        #[command(flatten)]
        guard: GuardArgs,
    },
    /// Build, then rebuild whenever a file of the audit folder changes (Ctrl-C to stop).
    Watch(BuildArgs),
    /// Show the report in a browser as you write: serves the edition's pages on
    /// http://127.0.0.1:PORT (printed), reloading within a second of any change; problems
    /// show on the page, at their file and line, until they are fixed. Nothing is written.
    Preview {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
        /// The edition to show (its id or name); the first in editions.yaml by default.
        #[arg(long)]
        edition: Option<String>,
        /// The port on 127.0.0.1; a free one by default.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// A folder with report.typ and wording.yaml to use instead of the built-in ones.
        #[arg(long)]
        templates: Option<PathBuf>,
        #[command(flatten)]
        guard: GuardArgs,
    },
    /// List the editions: each one's id, name, audience, formats, the figures it withholds,
    /// its marking and where its files go; then the internal folders.
    Editions {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
    },
    /// Remove the audit's output set (each edition's folder and records/) and its charts:
    /// only what a build wrote and marked as its own; anything else there is kept, and a
    /// folder no build marked is refused.
    Clean {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
        /// The output folder to clean (default: the audit's, as build uses).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The charts folder to clean (default: the audit's, as build uses).
        #[arg(long)]
        charts: Option<PathBuf>,
    },
    /// Write JSON Schemas for every file of an audit folder into DIR/schemas/ (and an editor
    /// setting), so an editor with the YAML language server completes and checks fields.
    Schema {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
    },
    /// Write an empty collection spreadsheet (XLSX) from the question bank, with drop-downs.
    Template {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
        /// The spreadsheet to write (default template.xlsx in the audit's output folder), or
        /// with --per-agency the folder (default collection/ in it).
        #[arg(long)]
        out: Option<PathBuf>,
        /// One workbook per agency, its cases filled in: the agency types only its answers.
        #[arg(long)]
        per_agency: bool,
        #[command(flatten)]
        guard: GuardArgs,
    },
    /// Write a synthetic audit of any size (seeded, deterministic), for benchmarks and demos.
    Generate {
        /// Where to write it.
        dir: PathBuf,
        /// How many cases.
        #[arg(long, default_value_t = 15)]
        cases: usize,
        /// The seed: the same seed and size give the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the action plan as a tracking workbook (XLSX); saved back in the audit folder as
    /// actions.xlsx, its statuses and updates are what the next build prints.
    Actions {
        /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
        audit: Option<PathBuf>,
        /// The workbook to write (default actions.xlsx in the audit's output folder).
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        guard: GuardArgs,
    },
    /// Print the completions of a shell (bash, zsh, fish, powershell, elvish) to standard
    /// output: e.g. `audit-report completions bash > ~/.local/share/bash-completion/completions/audit-report`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output (`audit-report manual | man -l -`),
    /// or with --dir write a page for the tool and one for each command into DIR.
    Manual {
        /// The folder for a page per command (audit-report.1, audit-report-build.1, …).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Print the version: the tool's, the commit it was built from and Typst's (as
    /// --version).
    Version,
    /// Show what changed between two build records (out/records/<edition>.record.json).
    Diff {
        /// The earlier record.
        old: PathBuf,
        /// The later record.
        new: PathBuf,
    },
}

/// The audit folder: the one named; else `data/` if there is one; else the current folder if
/// it holds `audit.yaml` (the lead working inside the audit folder); else `data/`, which the
/// build then reports missing.
fn audit_folder(named: Option<PathBuf>) -> PathBuf {
    named.unwrap_or_else(|| {
        let data = PathBuf::from("data");
        if !data.is_dir() && std::path::Path::new("audit.yaml").is_file() {
            PathBuf::from(".")
        } else {
            data
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = cmd::STYLE.set(cli.diagnostic_format);
    let _ = cmd::QUIET.set(cli.quiet);
    match cli.command {
        Command::Build(args) => {
            let open = args.open;
            cmd::build::run(&args.into(), open)
        }
        Command::Watch(args) => {
            let open = args.open;
            cmd::watch::run(&args.into(), open)
        }
        Command::Check { audit, guard } => {
            cmd::check::run(&audit_folder(audit), guard.private_names)
        }
        Command::Template {
            audit,
            out,
            per_agency,
            guard,
        } => cmd::template::run(
            &audit_folder(audit),
            out.as_deref(),
            per_agency,
            guard.private_names,
        ),
        Command::Generate { dir, cases, seed } => cmd::generate::run(&dir, cases, seed),
        Command::Diff { old, new } => cmd::diff::run(&old, &new),
        Command::Completions { shell } => cmd::manual::completions(Cli::command(), shell),
        Command::Manual { dir } => cmd::manual::manual(Cli::command(), dir.as_deref()),
        Command::Version => {
            say!("audit-report {VERSION}");
            ExitCode::SUCCESS
        }
        Command::Preview {
            audit,
            edition,
            port,
            templates,
            guard,
        } => {
            let options = BuildOptions {
                edition,
                templates,
                ..BuildOptions::new(audit_folder(audit))
            }
            .with_private_names(guard.private_names);
            cmd::preview::run(&options, port)
        }
        Command::Schema { audit } => cmd::schema::run(&audit_folder(audit)),
        Command::Clean { audit, out, charts } => {
            let placed = BuildOptions::new(audit_folder(audit));
            let options = BuildOptions {
                out: out.unwrap_or(placed.out.clone()),
                charts: charts.unwrap_or(placed.charts.clone()),
                ..placed
            };
            cmd::clean::run(&options)
        }
        Command::Editions { audit } => cmd::editions::run(&BuildOptions::new(audit_folder(audit))),
        Command::Init { dir, from } => cmd::init::run(&dir, from.as_deref()),
        Command::Actions { audit, out, guard } => {
            let audit = audit_folder(audit);
            let out = out.unwrap_or_else(|| BuildOptions::new(&audit).out.join("actions.xlsx"));
            cmd::actions::run(&audit, &out, guard.private_names)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The Typst version `--version` names (from `Cargo.lock`, by `build.rs`) is the one
    /// linked in.
    #[test]
    fn the_typst_version_said_is_the_one_typesetting() {
        assert_eq!(env!("AUDIT_REPORT_TYPST"), typst::utils::version().raw());
    }
}

/// jemalloc: see its entry in Cargo.toml for why and what it measured.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
