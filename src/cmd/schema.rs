//! `schema`: JSON Schemas of every audit file, for editors' completion and checks.

use super::{audit_folder, fail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report schema`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
}

/// Runs `audit-report schema` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&audit_folder(args.audit))
}

/// Writes the schemas into `audit/schemas/` and says how to turn them on.
pub fn run(audit: &Path) -> ExitCode {
    let folder = audit.join("schemas");
    match audit_report::schema::write(&folder) {
        Ok(written) => {
            super::tell!("wrote {} files into {}", written.len(), folder.display());
            super::tell!(
                "to turn them on in an editor, put this line at the top of a file (here questions.yaml):"
            );
            super::tell!("  # yaml-language-server: $schema=schemas/questions.schema.json");
            super::tell!(
                "or merge {}/settings.json into .vscode/settings.json",
                folder.display()
            );
            ExitCode::SUCCESS
        }
        Err(problem) => fail(&problem.into(), "schema failed"),
    }
}
