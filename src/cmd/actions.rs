//! `actions`: the action plan as a tracking workbook (XLSX) the lead keeps up to date.

use super::fail;
use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::{BuildOptions, Templates, prepare_guarded};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes the tracking workbook of the audit in `audit` to `out`, nothing if the guard finds
/// personal data (a listed name as an action's owner, say) in the audit.
pub fn run(audit: &Path, out: &Path, private_names: Option<PathBuf>) -> ExitCode {
    let options = BuildOptions::new(audit).with_private_names(private_names);
    let written = Templates::load(None)
        .and_then(|t| prepare_guarded(&options, &t, &mut |_| {}))
        .and_then(|(p, guard)| {
            let bytes = audit_report::output::actions::workbook(&p.audit).map_err(|e| {
                Diagnostic::general(format!("failed to write the spreadsheet ({e})"))
            })?;
            // the workbook as written, every cell, comment and sheet name, read back
            audit_report::render::printed::guard_workbook(&guard, out, &bytes).into_result(())?;
            audit_report::output::write_atomic(out, &bytes).map_err(Diagnostics::from)?;
            Ok(audit_report::has_prose(&p.audit))
        });
    match written {
        Ok(prose) => {
            super::tell!(
                "wrote {}: update its Status and Update columns, then save it in the audit folder as actions.xlsx",
                out.display()
            );
            if let Some(note) = super::names_not_checked(&options, prose) {
                super::tell!("{note}");
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "actions failed"),
    }
}
