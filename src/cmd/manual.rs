//! `completions` and `manual`: the shells' completions and the manual page, made from the
//! same argument definitions as `--help`, so none of them can fall behind the others.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// The arguments of `audit-report completions`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

// The arguments of `audit-report manual`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct ManualArgs {
    /// The folder for a page per command (audit-report.1, audit-report-build.1, …).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Writes `shell`'s completions of `command` to standard output.
pub fn completions(mut command: clap::Command, shell: clap_complete::Shell) -> ExitCode {
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, name, &mut script);
    written(std::io::stdout().lock().write_all(&script), "completions")
}

/// Writes the manual page of `command` to standard output, or with `dir` a page for it and
/// one for each of its commands into that folder.
pub fn manual(command: clap::Command, dir: Option<&Path>) -> ExitCode {
    match dir {
        Some(dir) => {
            let made =
                std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(command, dir));
            let done = written(made, "manual");
            if done == ExitCode::SUCCESS {
                say!("wrote the manual pages into {}", dir.display());
            }
            done
        }
        None => {
            let mut page = Vec::new();
            let rendered = clap_mangen::Man::new(command).render(&mut page);
            written(
                rendered.and_then(|()| std::io::stdout().lock().write_all(&page)),
                "manual",
            )
        }
    }
}

/// Success, or the failure said (a closed pipe, a full disk, a folder not writable).
fn written(result: std::io::Result<()>, what: &str) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {what} not written: {e}");
            ExitCode::FAILURE
        }
    }
}
