//! `check`: every problem `build` would find, without building. Exit status 0 clean, 1
//! errors, 3 warnings only.

use super::{GuardArgs, WARNINGS_ONLY, audit_folder, fail, print_problems};
use audit_report::{BuildOptions, Templates, prepare};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report check`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    #[command(flatten)]
    guard: GuardArgs,
}

/// Runs `audit-report check` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&audit_folder(args.audit), args.guard.private_names)
}

/// Checks the audit in `audit`, with the lead's private names list if given.
pub fn run(audit: &Path, private_names: Option<PathBuf>) -> ExitCode {
    let options = BuildOptions::new(audit).with_private_names(private_names);
    match Templates::load(None).and_then(|t| prepare(&options, &t, &mut |_| {})) {
        Ok(checked) => {
            print_problems(&checked.warnings);
            let t = &checked.stats.totals;
            super::tell!(
                "{}: {} cases, {} of {} requested returns ({:.1}%), {} warning(s)",
                audit.display(),
                t.cases,
                t.returns,
                t.requests,
                t.response_rate,
                checked.warnings.warning_count()
            );
            if let Some(note) =
                super::names_not_checked(&options, audit_report::has_prose(&checked.audit))
            {
                super::tell!("{note}");
            }
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
