//! `init`: a new audit folder, or the next round of one.

use super::fail;
use std::path::Path;
use std::process::ExitCode;

/// Writes the new audit folder and says what to do next.
pub fn run(dir: &Path, from: Option<&Path>) -> ExitCode {
    match audit_report::init::init(dir, from) {
        Ok(written) => {
            let d = dir.display();
            say!("wrote {} files into {d}/", written.len());
            match from {
                None => say!(
                    "next: audit-report build {d}   (then edit {d}/audit.yaml, questions.yaml, cases.yaml, returns/ and narrative/; audit-report preview {d} shows the report as you write)"
                ),
                Some(_) => say!(
                    "next: add this round's cases to {d}/cases.yaml and its returns to {d}/returns/ (audit-report template {d} writes a collection workbook), then audit-report build {d}"
                ),
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "init failed; nothing was written"),
    }
}
