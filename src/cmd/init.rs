//! `init`: a new audit folder, or the next round of one.

use super::{GuardArgs, fail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report init`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The new folder (it must not exist, or be empty).
    #[arg(default_value = "my-audit")]
    dir: PathBuf,
    /// Start the next round of this audit: its template and editions, no returns.
    #[arg(long, value_name = "AUDIT")]
    from: Option<PathBuf>,
    #[command(flatten)]
    guard: GuardArgs,
}

/// Runs `audit-report init` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    run(&args.dir, args.from.as_deref(), args.guard.private_names)
}

/// Writes the new audit folder and says what to do next. What it writes is read by the
/// guard first, against the private names list given (`--private-names`, the environment)
/// or, for the next round, the earlier round's own (`private_names:` in its audit.yaml).
pub fn run(dir: &Path, from: Option<&Path>, private_names: Option<PathBuf>) -> ExitCode {
    let list = private_names.or_else(|| from.and_then(audit_report::input::places::private_names));
    let names = match list.as_deref().map(audit_report::check::guard::read_names) {
        Some(Err(problem)) => return fail(&problem.into(), "init failed; nothing was written"),
        Some(Ok(names)) => names,
        None => Vec::new(),
    };
    match audit_report::init::init(dir, from, &names) {
        Ok(written) => {
            let d = dir.display();
            super::tell!("wrote {} files into {d}/", written.files.len());
            // What the lead must know before going on: what was not carried over, and what
            // was carried with a mark that `check` shows until it is changed.
            for note in &written.notes {
                say!("note: {note}");
            }
            match from {
                None => super::tell!(
                    "next: audit-report build {d}   (then edit {d}/audit.yaml, questions.yaml, cases.yaml, returns/ and narrative/; audit-report preview {d} shows the report as you write)"
                ),
                Some(_) => super::tell!(
                    "next: give this round's date, period and audience in {d}/audit.yaml (audit-report check {d} lists each field still holding the earlier round's value), add this round's cases to {d}/cases.yaml and its returns to {d}/returns/ (audit-report template {d} writes a collection workbook), then audit-report build {d}"
                ),
            }
            ExitCode::SUCCESS
        }
        Err(problems) => fail(&problems, "init failed; nothing was written"),
    }
}
