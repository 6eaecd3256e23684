//! `actions`: the action plan as a tracking workbook (XLSX) the lead keeps up to date.

use super::{GuardArgs, audit_folder, fail};
use audit_report::diag::{Diagnostic, Diagnostics};
use audit_report::{BuildOptions, Templates, prepare_guarded};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report actions`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// The workbook to write (default actions.xlsx in the audit's output folder).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    guard: GuardArgs,
}

/// Runs `audit-report actions` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    let audit = audit_folder(args.audit);
    let out = args
        .out
        .unwrap_or_else(|| BuildOptions::new(&audit).out.join("actions.xlsx"));
    run(&audit, &out, args.guard.private_names)
}

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
            let editions: Vec<String> = p.audit.editions.iter().map(|e| e.id.clone()).collect();
            audit_report::output::check_workbook_target(out, &options, &editions)?;
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
