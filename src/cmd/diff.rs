//! `diff`: what changed between two build records.

use super::{fail, print_changes};
use audit_report::diag::Diagnostics;
use audit_report::output::record::{Record, changes};
use std::path::Path;
use std::process::ExitCode;

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
