//! `generate`: a synthetic audit of any size, seeded, for benchmarks and demos.

use super::fail;
use audit_report::diag::Diagnostic;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report generate`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// A new or empty folder to write it into (a folder with anything in it is refused).
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

/// Writes a synthetic audit of `cases` cases into `dir`, which must be new or empty: it
/// writes audit.yaml, questions.yaml, cases.yaml, returns/ and narrative/, and a real
/// audit named by mistake would lose its returns.
pub fn run(dir: &Path, cases: usize, seed: u64) -> ExitCode {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied || dir.is_file() {
        let problem = Diagnostic::error(
            audit_report::diag::Location::file(dir),
            format!(
                "`{}` is not empty: generate writes a new synthetic audit and never writes over a folder",
                dir.display()
            ),
        )
        .with_note("name a new folder: audit-report generate synthetic --cases 500");
        return fail(&problem.into(), "generate failed");
    }
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
