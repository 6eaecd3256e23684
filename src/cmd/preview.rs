//! `preview`: the report in a browser, rebuilt on every change.

use audit_report::BuildOptions;
use std::process::ExitCode;

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
