//! `diff`: what changed between two build records.

use super::{fail, print_changes};
use audit_report::diag::Diagnostics;
use audit_report::output::record::{Record, changes};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report diff`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The earlier record.
    old: PathBuf,
    /// The later record.
    new: PathBuf,
}

/// Runs `audit-report diff` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&args.old, &args.new)
}

/// Prints every figure and input that differs between the records `old` and `new`.
pub fn run(old: &Path, new: &Path) -> ExitCode {
    match (Record::read(old), Record::read(new)) {
        (Ok(old), Ok(new)) => {
            print_changes(&changes(&old, &new));
            ExitCode::SUCCESS
        }
        (a, b) => {
            let problems = Diagnostics([a.err(), b.err()].into_iter().flatten().collect());
            fail(&problems, "diff failed")
        }
    }
}
