//! `init` → `preview` → edit → `build`, as the README's quick start has it: a new audit
//! folder builds at once, and the live preview, in a real headless browser, shows a
//! corrected return's new figure within seconds, and a broken file's problem at its place.

use crate::common::{have, root, scratch};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

type Lines = std::io::Lines<BufReader<std::process::ChildStdout>>;

/// `preview` started on `audit`: the process, the `host:port` it printed, and the rest of
/// its output.
fn start_preview(audit: &std::path::Path) -> (std::process::Child, String, Lines) {
    let mut preview = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .arg("preview")
        .arg(audit)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(preview.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let address = first
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:"))
        .map(|port| format!("127.0.0.1:{}", port.trim_end_matches('/')))
        .unwrap_or_else(|| panic!("no address in {first}"));
    (preview, address, lines)
}

#[test]
fn init_then_preview_shows_each_edit_then_build() {
    let work = scratch("preview");
    let audit = work.join("my-audit");
    let bin = env!("CARGO_BIN_EXE_audit-report");
    let init = Command::new(bin).arg("init").arg(&audit).output().unwrap();
    assert!(init.status.success(), "{init:?}");
    // it builds at once, with the figure the test then corrects
    let build = |out: &str| {
        let built = Command::new(bin)
            .args(["build", "--quiet", "--out", out, "--charts"])
            .arg(work.join("charts"))
            .arg(&audit)
            .current_dir(&work)
            .output()
            .unwrap();
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
    };
    build("out-first");
    let html = std::fs::read_to_string(work.join("out-first/board/board.html")).unwrap();
    assert!(html.contains("(75 per cent)"), "the starter's q1 figure");

    let ready = have("node")
        && have("chromium")
        && root()
            .join("tests/browser/node_modules/playwright-core")
            .is_dir();
    if !ready {
        crate::common::skipped(
            "the browser part of init_then_preview",
            "needs node, chromium and `npm ci --prefix tests/browser` (.ci/run installs them)",
        );
    } else {
        let (mut preview, address, lines) = start_preview(&audit);
        let url = format!("http://{address}/");
        // the rest of its output is drained so it never blocks
        std::thread::spawn(move || for _ in lines {});
        let police = audit.join("returns/A1/police.yaml");
        let run = Command::new("node")
            .arg(root().join("tests/browser/preview.mjs"))
            .arg(&url)
            .arg(&police)
            .args(["q1: 'no'", "q1: 'yes'", "(75 per cent)", "(87.5 per cent)"])
            .output()
            .unwrap();
        let _ = preview.kill();
        let _ = preview.wait();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let result: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        for step in ["before", "after", "problem", "mended"] {
            assert_eq!(result[step], true, "{step}: {result}");
        }
        // (the reload time is a figure for the notes, not a test of speed)
        eprintln!("preview reloaded {} ms after the edit", result["reload_ms"]);
    }
    // and the build, after the edit, has the new figure
    std::fs::write(
        audit.join("returns/A1/police.yaml"),
        std::fs::read_to_string(audit.join("returns/A1/police.yaml"))
            .unwrap()
            .replace("q1: 'no'", "q1: 'yes'"),
    )
    .unwrap();
    build("out-second");
    let html = std::fs::read_to_string(work.join("out-second/board/board.html")).unwrap();
    assert!(html.contains("(87.5 per cent)"));
}

#[test]
fn preview_answers_only_requests_addressed_to_this_machine() {
    use std::io::{Read, Write};
    let work = scratch("preview-host");
    let audit = work.join("audit");
    let bin = env!("CARGO_BIN_EXE_audit-report");
    assert!(
        Command::new(bin)
            .arg("init")
            .arg(&audit)
            .status()
            .unwrap()
            .success()
    );
    let (mut preview, address, mut lines) = start_preview(&audit);
    // the first rebuild is done once it is reported
    let shown = lines.next().unwrap().unwrap();
    assert!(shown.contains("report shown"), "{shown}");
    let ask = |host: &str| {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        write!(stream, "GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    };
    let own = ask(&address);
    // a page elsewhere that rebinds its name to 127.0.0.1 gets nothing
    let rebound = ask(&format!(
        "attacker.example:{}",
        address.rsplit(':').next().unwrap()
    ));
    let _ = preview.kill();
    let _ = preview.wait();
    assert!(
        own.starts_with("HTTP/1.1 200") && own.contains("Multi-agency case audit"),
        "{own}"
    );
    assert!(
        rebound.starts_with("HTTP/1.1 403") && !rebound.contains("audit"),
        "{rebound}"
    );
}
