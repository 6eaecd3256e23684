//! `template`: a collection workbook (XLSX) from the question bank, with drop-downs, prompts
//! and instructions; with `--per-agency`, one per agency, its cases filled in.

use super::fail;
use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::{BuildOptions, Templates, prepare};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Writes the collection workbook of the audit in `audit` to `out` (default
/// out/template.xlsx), or with `per_agency` one workbook per agency into the folder `out`
/// (default out/collection/).
pub fn run(audit: &Path, out: Option<&Path>, per_agency: bool) -> ExitCode {
    let written = Templates::load(None)
        .and_then(|t| prepare(&BuildOptions::new(audit), &t, &mut |_| {}))
        .and_then(|p| {
            let audit = &p.audit;
            let cases: Vec<String> = audit.cases.iter().map(|c| c.id.clone()).collect();
            let fail = |e: rust_xlsxwriter::XlsxError| {
                Diagnostics::from(Diagnostic::general(format!(
                    "failed to write the spreadsheet ({e})"
                )))
            };
            let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
            if per_agency {
                let folder = out.map_or_else(|| PathBuf::from("out/collection"), Path::to_path_buf);
                for (agency, bytes) in
                    audit_report::output::collection::per_agency(audit).map_err(fail)?
                {
                    files.push((folder.join(format!("{}.xlsx", file_name(&agency))), bytes));
                }
            } else {
                let bytes = audit_report::output::collection::template(
                    &audit.bank,
                    &cases,
                    &audit.info.agencies,
                    &[],
                )
                .map_err(fail)?;
                files.push((
                    out.map_or_else(|| PathBuf::from("out/template.xlsx"), Path::to_path_buf),
                    bytes,
                ));
            }
            for (path, bytes) in &files {
                audit_report::output::write_atomic(path, bytes).map_err(Diagnostics::from)?;
            }
            Ok(files.into_iter().map(|(p, _)| p).collect::<Vec<_>>())
        });
    match written {
        Ok(paths) => {
            for path in paths {
                say!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "template failed"),
    }
}

/// An agency's name as a file name: letters and digits, the rest as `-`.
fn file_name(agency: &str) -> String {
    let name: String = agency
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = name
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        "agency".into()
    } else {
        name
    }
}
