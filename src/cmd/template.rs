//! `template`: a collection workbook (XLSX) from the question bank, with drop-downs, prompts
//! and instructions; with `--per-agency`, one per agency, its cases filled in.

use super::{GuardArgs, audit_folder, fail};
use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::output::collection;
use audit_report::{BuildOptions, Templates, prepare_guarded};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report template`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// The spreadsheet to write (default template.xlsx in the audit's output folder), or
    /// with --per-agency the folder (default collection/ in it).
    #[arg(long)]
    out: Option<PathBuf>,
    /// One workbook per agency, its cases filled in: the agency types only its answers.
    #[arg(long)]
    per_agency: bool,
    #[command(flatten)]
    guard: GuardArgs,
}

/// Runs `audit-report template` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(
        &audit_folder(args.audit),
        args.out.as_deref(),
        args.per_agency,
        args.guard.private_names,
    )
}

/// Writes the collection workbook of the audit in `audit` to `out` (default template.xlsx in
/// the audit's output folder), or with `per_agency` one workbook per agency into the folder
/// `out` (default collection/ in it). Nothing is written if the guard finds personal data
/// (a case id spelt as a child's name, say) in the audit.
pub fn run(
    audit: &Path,
    out: Option<&Path>,
    per_agency: bool,
    private_names: Option<PathBuf>,
) -> ExitCode {
    let options = BuildOptions::new(audit).with_private_names(private_names);
    let written = Templates::load(None)
        .and_then(|t| prepare_guarded(&options, &t, &mut |_| {}))
        .and_then(|(p, guard)| {
            let audit = &p.audit;
            let cases: Vec<String> = audit.cases.iter().map(|c| c.id.clone()).collect();
            let fail = |e: rust_xlsxwriter::XlsxError| {
                Diagnostics::from(Diagnostic::general(format!(
                    "failed to write the spreadsheet ({e})"
                )))
            };
            let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
            if per_agency {
                let folder = out.map_or_else(|| options.out.join("collection"), Path::to_path_buf);
                // Refused before any workbook is made, so none is written.
                let names = collection::workbook_names(audit)?;
                for (agency, bytes) in collection::per_agency(audit).map_err(fail)? {
                    let name = names
                        .get(&agency)
                        .cloned()
                        .unwrap_or_else(|| format!("{}.xlsx", collection::file_name(&agency)));
                    files.push((folder.join(name), bytes));
                }
            } else {
                let bytes = collection::template(&audit.bank, &cases, &audit.info.agencies, &[])
                    .map_err(fail)?;
                files.push((
                    out.map_or_else(|| options.out.join("template.xlsx"), Path::to_path_buf),
                    bytes,
                ));
            }
            // every workbook as written, every cell, comment and sheet name, read back
            // before any is written
            let mut found = Diagnostics::default();
            let editions: Vec<String> = audit.editions.iter().map(|e| e.id.clone()).collect();
            for (path, _) in &files {
                if let Err(problem) =
                    audit_report::output::check_workbook_target(path, &options, &editions)
                {
                    found.push(problem);
                }
            }
            for (path, bytes) in &files {
                found.extend(audit_report::render::printed::guard_workbook(
                    &guard, path, bytes,
                ));
            }
            found.into_result(())?;
            for (path, bytes) in &files {
                audit_report::output::write_atomic(path, bytes).map_err(Diagnostics::from)?;
            }
            let prose = audit_report::has_prose(audit);
            Ok((files.into_iter().map(|(p, _)| p).collect::<Vec<_>>(), prose))
        });
    match written {
        Ok((paths, prose)) => {
            for path in paths {
                super::tell!("wrote {}", path.display());
            }
            if let Some(note) = super::names_not_checked(&options, prose) {
                super::tell!("{note}");
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "template failed"),
    }
}
