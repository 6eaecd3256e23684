//! `build`: the report, every edition, into its output set.

use super::{fail, print_summary};
use audit_report::BuildOptions;
use std::process::ExitCode;
use std::time::Instant;

/// Builds, showing each stage as it starts, then the summary or every problem.
pub fn run(options: &BuildOptions) -> ExitCode {
    let started = Instant::now();
    match audit_report::build(options, &mut |stage| eprintln!("  {stage} …")) {
        Ok(summary) => {
            print_summary(&summary, options, started.elapsed());
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "build failed; nothing was written"),
    }
}
