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

use clap::{CommandFactory, Parser, Subcommand};
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

#[derive(Subcommand)]
enum Command {
    /// Start a new audit folder that builds at once (a question of each kind, a few returns,
    /// narrative with every kind of block, two editions); with --from, the next round of an
    /// existing audit.
    Init(cmd::init::Args),
    /// Build the report: each edition's files (PDF, Word, web) into --out, charts into
    /// --charts (by default out/ and charts/ in the audit folder).
    Build(cmd::build::Args),
    /// Check an audit folder and print every problem, without building. Exit status: 0 clean,
    /// 1 errors, 3 warnings only.
    Check(cmd::check::Args),
    /// Build, then rebuild whenever a file of the audit folder changes (Ctrl-C to stop).
    Watch(cmd::build::Args),
    /// Show the report in a browser as you write: serves the edition's pages on
    /// http://127.0.0.1:PORT (printed), reloading within a second of any change; problems
    /// show on the page, at their file and line, until they are fixed. Nothing is written.
    Preview(cmd::preview::Args),
    /// List the editions: each one's id, name, audience, formats, the figures it withholds,
    /// its marking and where its files go; then the internal folders.
    Editions(cmd::editions::Args),
    /// Remove the audit's output set (each edition's folder and records/) and its charts:
    /// only what a build wrote and marked as its own; anything else there is kept, and a
    /// folder no build marked is refused.
    Clean(cmd::clean::Args),
    /// Write JSON Schemas for every file of an audit folder into DIR/schemas/ (and an editor
    /// setting), so an editor with the YAML language server completes and checks fields.
    Schema(cmd::schema::Args),
    /// Write an empty collection spreadsheet (XLSX) from the question bank, with drop-downs.
    Template(cmd::template::Args),
    /// Write a synthetic audit of any size (seeded, deterministic), for benchmarks and demos.
    Generate(cmd::generate::Args),
    /// Write the action plan as a tracking workbook (XLSX); saved back in the audit folder as
    /// actions.xlsx, its statuses and updates are what the next build prints.
    Actions(cmd::actions::Args),
    /// Print the completions of a shell (bash, zsh, fish, powershell, elvish) to standard
    /// output: e.g. `audit-report completions bash > ~/.local/share/bash-completion/completions/audit-report`.
    Completions(cmd::manual::CompletionsArgs),
    /// Print the manual page (roff) to standard output (`audit-report manual | man -l -`),
    /// or with --dir write a page for the tool and one for each command into DIR.
    Manual(cmd::manual::ManualArgs),
    /// Print the version: the tool's, the commit it was built from and Typst's (as
    /// --version).
    Version,
    /// Show what changed between two build records (out/records/<edition>.record.json).
    Diff(cmd::diff::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _ = cmd::STYLE.set(cli.diagnostic_format);
    let _ = cmd::QUIET.set(cli.quiet);
    // (a flat dispatch: each command's arguments and what it does with them are in cmd/)
    match cli.command {
        Command::Init(args) => cmd::init::command(args),
        Command::Build(args) => cmd::build::command(args),
        Command::Check(args) => cmd::check::command(args),
        Command::Watch(args) => cmd::watch::command(args),
        Command::Preview(args) => cmd::preview::command(args),
        Command::Editions(args) => cmd::editions::command(args),
        Command::Clean(args) => cmd::clean::command(args),
        Command::Schema(args) => cmd::schema::command(args),
        Command::Template(args) => cmd::template::command(args),
        Command::Generate(args) => cmd::generate::command(args),
        Command::Actions(args) => cmd::actions::command(args),
        Command::Completions(args) => cmd::manual::completions(Cli::command(), args.shell),
        Command::Manual(args) => cmd::manual::manual(Cli::command(), args.dir.as_deref()),
        Command::Version => {
            say!("audit-report {VERSION}");
            ExitCode::SUCCESS
        }
        Command::Diff(args) => cmd::diff::command(args),
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

/// jemalloc, with `--features jemalloc`: see its entry in Cargo.toml for why and what it
/// measured.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
