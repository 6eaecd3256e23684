//! The `audit-report` command: argument parsing and printing; the library does the work.

use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::record::{Record, changes};
use audit_report::{BuildOptions, BuildSummary, Templates, build, prepare};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Turns the returns of a multi-agency case audit into the finished, board-ready PDF report.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The audit folder.
    #[arg(default_value = "data")]
    audit: PathBuf,
    /// Where the PDFs (and their build records) go.
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
    #[command(flatten)]
    guard: GuardArgs,
    /// Also write each edition's Typst sources, data, charts and fonts into this folder.
    #[arg(long, value_name = "DIR")]
    emit_typst: Option<PathBuf>,
}

#[derive(clap::Args)]
struct GuardArgs {
    /// A file of names (children, parents, workers), one per line, that must never be printed.
    #[arg(long, env = audit_report::guard::NAMES_VARIABLE)]
    private_names: Option<PathBuf>,
}

impl From<BuildArgs> for BuildOptions {
    fn from(a: BuildArgs) -> Self {
        BuildOptions {
            audit: a.audit,
            out: a.out,
            charts: a.charts,
            templates: a.templates,
            edition: a.edition,
            private_names: a.guard.private_names,
            emit_typst: a.emit_typst,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the report: a PDF per edition into --out, charts into --charts.
    Build(BuildArgs),
    /// Check an audit folder and print every problem, without building. Exit status: 0 clean,
    /// 1 errors, 3 warnings only.
    Check {
        /// The audit folder.
        #[arg(default_value = "data")]
        audit: PathBuf,
        #[command(flatten)]
        guard: GuardArgs,
    },
    /// Build, then rebuild whenever a file of the audit folder changes (Ctrl-C to stop).
    Watch(BuildArgs),
    /// Write an empty collection spreadsheet (XLSX) from the question bank, with drop-downs.
    Template {
        /// The audit folder.
        #[arg(default_value = "data")]
        audit: PathBuf,
        /// The spreadsheet to write.
        #[arg(long, default_value = "out/template.xlsx")]
        out: PathBuf,
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
    /// Show what changed between two build records (out/<edition>.record.json).
    Diff {
        /// The earlier record.
        old: PathBuf,
        /// The later record.
        new: PathBuf,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => {
            let started = Instant::now();
            let options = BuildOptions::from(args);
            match build(&options, &mut |stage| eprintln!("  {stage} …")) {
                Ok(summary) => {
                    print_summary(&summary, &options, started.elapsed());
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "build failed; nothing was written"),
            }
        }
        Command::Watch(args) => {
            let options = BuildOptions::from(args);
            eprintln!("watching {} (Ctrl-C to stop)", options.audit.display());
            let watched =
                audit_report::watch::watch(&options, &mut |rebuild| match rebuild.result {
                    Ok(summary) => {
                        for path in &rebuild.changed {
                            println!("changed: {}", path.display());
                        }
                        print_summary(&summary, &options, rebuild.took);
                    }
                    Err(problems) => {
                        print_problems(&problems);
                        eprintln!("build failed; the last good PDFs are unchanged");
                    }
                });
            match watched {
                Ok(()) => ExitCode::SUCCESS,
                Err(problem) => fail(&problem.into(), "watch failed"),
            }
        }
        Command::Check { audit, guard } => {
            let options = BuildOptions {
                private_names: guard.private_names,
                ..BuildOptions::new(&audit)
            };
            match Templates::load(None).and_then(|t| prepare(&options, &t, &mut |_| {})) {
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
                    // Distinct codes so a script can tell "clean" from "look at the warnings".
                    if checked.warnings.warning_count() == 0 {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(WARNINGS_ONLY)
                    }
                }
                Err(problems) => fail(&problems, "check failed"),
            }
        }
        Command::Template { audit, out } => {
            let written = Templates::load(None)
                .and_then(|t| prepare(&BuildOptions::new(&audit), &t, &mut |_| {}))
                .and_then(|p| {
                    let cases: Vec<String> = p.audit.cases.iter().map(|c| c.id.clone()).collect();
                    let bytes = audit_report::sheet::template(
                        &p.audit.bank,
                        &cases,
                        &p.audit.info.agencies,
                    )
                    .map_err(|e| {
                        Diagnostic::general(format!("failed to write the spreadsheet ({e})"))
                    })?;
                    audit_report::write::write_atomic(&out, &bytes).map_err(Diagnostics::from)
                });
            match written {
                Ok(()) => {
                    println!("wrote {}", out.display());
                    ExitCode::SUCCESS
                }
                Err(problems) => fail(&problems, "template failed"),
            }
        }
        Command::Generate { dir, cases, seed } => {
            match audit_report::synthetic::generate(&dir, cases, seed) {
                Ok(()) => {
                    println!(
                        "wrote a synthetic audit of {cases} cases to {}",
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&Diagnostic::io("write", &dir, &e).into(), "generate failed"),
            }
        }
        Command::Diff { old, new } => match (Record::read(&old), Record::read(&new)) {
            (Ok(old), Ok(new)) => {
                print_changes(&changes(&old, &new));
                ExitCode::SUCCESS
            }
            (a, b) => {
                let problems = Diagnostics([a.err(), b.err()].into_iter().flatten().collect());
                fail(&problems, "diff failed")
            }
        },
    }
}

/// `check`'s exit status when there are warnings but no errors (2 is taken by usage errors).
const WARNINGS_ONLY: u8 = 3;

fn print_summary(summary: &BuildSummary, options: &BuildOptions, took: Duration) {
    print_problems(&summary.warnings);
    let mut out = std::io::stdout().lock();
    let elapsed = took.as_secs_f64();
    let _ = writeln!(
        out,
        "Built {} edition(s) in {elapsed:.2} s:",
        summary.editions.len()
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
            edition.audience,
        );
    }
    let _ = writeln!(
        out,
        "  {:<28} internal only: build records, changes and every figure unsuppressed",
        format!("{}/", options.out.join(audit_report::RECORDS).display()),
    );
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
        println!(
            "Changes since the last build (places as in {}):",
            edition.edition
        );
        print_changes(changes);
    }
}

fn print_changes(changes: &[String]) {
    if changes.is_empty() {
        println!("  no figure or input changed");
    }
    for change in changes {
        println!("  {change}");
    }
}

/// The most problems printed: enough to see the pattern; the rest are counted.
const MOST_PRINTED: usize = 200;

fn print_problems(problems: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for problem in problems.0.iter().take(MOST_PRINTED) {
        let _ = writeln!(err, "{problem}");
    }
    if problems.0.len() > MOST_PRINTED {
        let _ = writeln!(
            err,
            "… and {} more problem(s) not shown; fix these and run again",
            problems.0.len() - MOST_PRINTED
        );
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
