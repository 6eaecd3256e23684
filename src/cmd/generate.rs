//! `generate`: a synthetic audit of any size, seeded, for benchmarks and demos.

use super::fail;
use audit_report::diag::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report generate`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// Where to write it.
    dir: PathBuf,
    /// How many cases.
    #[arg(long, default_value_t = 15)]
    cases: usize,
    /// The seed: the same seed and size give the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs `audit-report generate` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&args.dir, args.cases, args.seed)
}

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
