//! `watch`: build, then rebuild on every real change, printing what changed.

use super::{fail, print_problems, print_summary};
use audit_report::BuildOptions;
use std::process::ExitCode;

/// Runs `audit-report watch` with its arguments as given (`build`'s).
pub fn command(args: super::build::Args) -> ExitCode {
    let open = args.open;
    run(&args.into(), open)
}

/// Watches the audit folder until stopped; `open`: each edition's first file opened once,
/// after the first build that succeeds.
pub fn run(options: &BuildOptions, open: bool) -> ExitCode {
    let mut to_open = open;
    if let Some(failed) = super::unknown_edition(options, "watch not started") {
        return failed;
    }
    if !super::quiet() {
        eprintln!("watching {} (Ctrl-C to stop)", options.audit.display());
    }
    let watched = audit_report::watch::watch(options, &mut |rebuild| match rebuild.result {
        Ok(summary) => {
            for path in &rebuild.changed {
                let path = path.display().to_string();
                super::tell!("changed: {}", audit_report::show::printable(&path));
            }
            if super::quiet() {
                print_problems(&summary.warnings);
            } else {
                print_summary(&summary, options, rebuild.took);
            }
            if std::mem::take(&mut to_open) {
                for edition in &summary.editions {
                    super::build::open_file(edition.path());
                }
            }
        }
        Err(problems) => {
            print_problems(&problems);
            eprintln!("build failed; the last good set is unchanged");
        }
    });
    match watched {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => fail(&problem.into(), "watch failed"),
    }
}
