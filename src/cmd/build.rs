//! `build`: the report, every edition, into its output set.

use super::{fail, print_summary};
use audit_report::BuildOptions;
use std::process::ExitCode;
use std::time::Instant;

/// Builds, showing each stage as it starts, then the summary or every problem; `quiet`: the
/// problems only.
pub fn run(options: &BuildOptions, quiet: bool) -> ExitCode {
    let started = Instant::now();
    let progress = &mut |stage: &str| {
        if !quiet {
            eprintln!("  {stage} …")
        }
    };
    match audit_report::build(options, progress) {
        Ok(summary) if quiet => {
            super::print_problems(&summary.warnings);
            ExitCode::SUCCESS
        }
        Ok(summary) => {
            print_summary(&summary, options, started.elapsed());
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "build failed; nothing was written"),
    }
}
