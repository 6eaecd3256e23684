//! The `audit-report` command: argument parsing and error printing; the library does the work.

use audit_report::{BuildOptions, Templates, build, diag::Diagnostics, prepare};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Turns the returns of a multi-agency case audit into the finished, board-ready PDF report.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the report from an audit folder: PDFs into --out, charts into --charts.
    Build {
        /// The audit folder.
        #[arg(default_value = "data")]
        audit: PathBuf,
        /// Where the PDFs go.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Where the chart SVGs go.
        #[arg(long, default_value = "charts")]
        charts: PathBuf,
        /// A folder with report.typ and wording.yaml to use instead of the built-in ones.
        #[arg(long)]
        templates: Option<PathBuf>,
        /// Build only this edition (its id or name in editions.yaml).
        #[arg(long)]
        edition: Option<String>,
    },
    /// Check an audit folder and print every problem, without building.
    Check {
        /// The audit folder.
        #[arg(default_value = "data")]
        audit: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            audit,
            out,
            charts,
            templates,
            edition,
        } => {
            let started = Instant::now();
            let options = BuildOptions {
                audit,
                out,
                charts,
                templates,
                edition,
            };
            let mut progress = |stage: &str| eprintln!("  {stage} …");
            match build(&options, &mut progress) {
                Ok(summary) => {
                    print_problems(&summary.warnings);
                    let mut out = std::io::stdout().lock();
                    let _ = writeln!(
                        out,
                        "Built {} edition(s) in {:.2} s:",
                        summary.editions.len(),
                        started.elapsed().as_secs_f64()
                    );
                    for edition in &summary.editions {
                        let _ = writeln!(
                            out,
                            "  {:<36} {:>3} pages",
                            edition.path.display(),
                            edition.pages
                        );
                    }
                    let _ = writeln!(
                        out,
                        "  {} chart(s) in {}",
                        summary.charts.len(),
                        options.charts.display()
                    );
                    for (stage, time) in &summary.stages {
                        let _ = writeln!(
                            out,
                            "    {stage:<26}{:>8.1} ms",
                            time.as_secs_f64() * 1000.0
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "build failed; nothing was written"),
            }
        }
        Command::Check { audit } => {
            match Templates::load(None).and_then(|t| prepare(&audit, &t, None, &mut |_| {})) {
                Ok(checked) => {
                    print_problems(&checked.warnings);
                    let t = &checked.stats.totals;
                    println!(
                        "{}: {} cases, {} of {} requested returns ({:.1}%), {} warning(s)",
                        audit.display(),
                        t.cases,
                        t.returns,
                        t.requests,
                        t.response_rate,
                        checked.warnings.warning_count()
                    );
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "check failed"),
            }
        }
    }
}

fn print_problems(problems: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for problem in &problems.0 {
        let _ = writeln!(err, "{problem}");
    }
}

fn fail(problems: &Diagnostics, what: &str) -> ExitCode {
    print_problems(problems);
    eprintln!(
        "{what}: {} error(s), {} warning(s)",
        problems.error_count(),
        problems.warning_count()
    );
    ExitCode::FAILURE
}
