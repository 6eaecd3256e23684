//! `template`: an empty collection workbook (XLSX) from the question bank, with drop-downs.

use super::fail;
use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::{BuildOptions, Templates, prepare};
use std::path::Path;
use std::process::ExitCode;

/// Writes the collection workbook of the audit in `audit` to `out`.
pub fn run(audit: &Path, out: &Path) -> ExitCode {
    let written = Templates::load(None)
        .and_then(|t| prepare(&BuildOptions::new(audit), &t, &mut |_| {}))
        .and_then(|p| {
            let cases: Vec<String> = p.audit.cases.iter().map(|c| c.id.clone()).collect();
            let bytes = audit_report::output::collection::template(
                &p.audit.bank,
                &cases,
                &p.audit.info.agencies,
            )
            .map_err(|e| Diagnostic::general(format!("failed to write the spreadsheet ({e})")))?;
            audit_report::output::write_atomic(out, &bytes).map_err(Diagnostics::from)
        });
    match written {
        Ok(()) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "template failed"),
    }
}
