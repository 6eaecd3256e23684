//! `preview`: the report in a browser, rebuilt on every change.

use super::{GuardArgs, audit_folder};
use audit_report::BuildOptions;
use std::path::PathBuf;
use std::process::ExitCode;

// The arguments of `audit-report preview`. (Not a doc comment: clap would take one for
// the command's description, which is the variant's in main.rs.)
#[derive(clap::Args)]
pub struct Args {
    /// The audit folder (default: data/, or the current folder if it holds audit.yaml).
    audit: Option<PathBuf>,
    /// The edition to show (its id or name); the first in editions.yaml by default.
    #[arg(long)]
    edition: Option<String>,
    /// The port on 127.0.0.1; a free one by default.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// A folder with report.typ and wording.yaml to use instead of the built-in ones.
    #[arg(long)]
    templates: Option<PathBuf>,
    #[command(flatten)]
    guard: GuardArgs,
}

/// Runs `audit-report preview` with its arguments as given.
pub fn command(args: Args) -> ExitCode {
    let options = BuildOptions {
        edition: args.edition,
        templates: args.templates,
        ..BuildOptions::new(audit_folder(args.audit))
    }
    .with_private_names(args.guard.private_names);
    run(&options, args.port)
}

/// Serves the preview on 127.0.0.1 (`port`, or a free one), printing its address and each
/// rebuild.
pub fn run(options: &BuildOptions, port: u16) -> ExitCode {
    if let Some(failed) = super::unknown_edition(options, "preview not started") {
        return failed;
    }
    // Loopback only: the report holds data about children.
    let listener = match std::net::TcpListener::bind(("127.0.0.1", port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port} ({e})");
            return ExitCode::FAILURE;
        }
    };
    let address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    say!(
        "preview of {} on http://{address}/ (Ctrl-C to stop)",
        options.audit.display()
    );
    let result = audit_report::preview::serve(options, listener, &mut |version, fine| {
        if fine {
            super::tell!("  [{version}] report shown");
        } else {
            super::tell!("  [{version}] problems shown; fix them and save");
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => super::fail(&problem.into(), "preview stopped"),
    }
}
