//! `generate`: a synthetic audit of any size, seeded, for benchmarks and demos.

use super::fail;
use audit_report::diag::Diagnostic;
use std::path::Path;
use std::process::ExitCode;

/// Writes a synthetic audit of `cases` cases into `dir`.
pub fn run(dir: &Path, cases: usize, seed: u64) -> ExitCode {
    match audit_report::input::synthetic::generate(dir, cases, seed) {
        Ok(()) => {
            super::tell!(
                "wrote a synthetic audit of {cases} cases to {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&Diagnostic::io("write", dir, &e).into(), "generate failed"),
    }
}
