//! `schema`: JSON Schemas of every audit file, for editors' completion and checks.

use super::fail;
use std::path::Path;
use std::process::ExitCode;

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
