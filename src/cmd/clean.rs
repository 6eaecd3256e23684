//! `clean`: the audit's output set and charts removed, and only what a build wrote.

use super::{audit_folder, fail};
use audit_report::BuildOptions;
use audit_report::show::printable;
use std::path::PathBuf;
use std::process::ExitCode;

// The arguments of `audit-report clean`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// The output folder to clean (default: the audit's, as build uses).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The charts folder to clean (default: the audit's, as build uses).
    #[arg(long)]
    charts: Option<PathBuf>,
}

/// Runs `audit-report clean` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    let placed = BuildOptions::new(audit_folder(args.audit));
    let options = BuildOptions {
        out: args.out.unwrap_or(placed.out.clone()),
        charts: args.charts.unwrap_or(placed.charts.clone()),
        ..placed
    };
    run(&options)
}

/// Removes the output set in `options.out` and the charts in `options.charts`, saying what
/// went and what was kept; `--quiet`: problems only.
pub fn run(options: &BuildOptions) -> ExitCode {
    let cleaned = match audit_report::output::clean::clean(&options.out, &options.charts) {
        Ok(cleaned) => cleaned,
        Err(problems) => return fail(&problems, "clean refused"),
    };
    if super::quiet() {
        return ExitCode::SUCCESS;
    }
    if cleaned.iter().all(|c| c.removed.is_empty()) {
        say!(
            "nothing to clean: no build output in {} or {}",
            options.out.display(),
            options.charts.display()
        );
    }
    for folder in &cleaned {
        let shown = printable(&folder.folder.display().to_string());
        let charts = folder
            .removed
            .iter()
            .filter(|n| n.ends_with(".svg"))
            .count();
        let mut removed: Vec<String> = folder
            .removed
            .iter()
            .filter(|n| !n.ends_with(".svg"))
            .map(|n| printable(n))
            .collect();
        if charts > 0 {
            removed.insert(0, format!("{charts} chart(s)"));
        }
        say!(
            "removed from {shown}/: {}{}",
            removed.join(", "),
            if folder.gone {
                "; the folder, left empty, too"
            } else {
                ""
            }
        );
        if !folder.kept.is_empty() {
            let kept: Vec<String> = folder.kept.iter().map(|n| printable(n)).collect();
            say!(
                "kept in {shown}/ (not written by a build): {}",
                kept.join(", ")
            );
        }
    }
    ExitCode::SUCCESS
}
