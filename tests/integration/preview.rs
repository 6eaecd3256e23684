//! `init` → `preview` → edit → `build`, as the README's quick start has it: a new audit
//! folder builds at once, and the live preview, in a real headless browser, shows a
//! corrected return's new figure within seconds, and a broken file's problem at its place.

use crate::common::{edit, have, root, scratch};
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

    // the return the test corrects: q1 `no` to `yes` (in the browser part, by the page's
    // script, which leaves it corrected; without the browser, here)
    let police = audit.join("returns/A1/police.yaml");
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
        edit(&police, "q1: 'no'", "q1: 'yes'");
    } else {
        let (mut preview, address, lines) = start_preview(&audit);
        let url = format!("http://{address}/");
        // the rest of its output is drained so it never blocks
        std::thread::spawn(move || for _ in lines {});
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

/// A line of `/proc/<pid>/status` (`VmRSS`, `Threads`), as a number (kB for sizes).
#[cfg(target_os = "linux")]
fn status_of(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in {status}"))
}

/// A new audit's preview, started, with its first page shown.
fn previewing(name: &str) -> (std::process::Child, String) {
    let audit = scratch(name).join("audit");
    let made = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .arg("init")
        .arg(&audit)
        .status()
        .unwrap();
    assert!(made.success());
    let (preview, address, mut lines) = start_preview(&audit);
    let shown = lines.next().unwrap().unwrap();
    assert!(shown.contains("report shown"), "{shown}");
    std::thread::spawn(move || for _ in lines {});
    (preview, address)
}

/// Everything the server sends on `stream` until it closes it (or `within` passes), even
/// when the connection ends in a reset.
fn answer_on(stream: &mut std::net::TcpStream, within: std::time::Duration) -> String {
    use std::io::Read;
    stream.set_read_timeout(Some(within)).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// The start of an answer, for a message (a page is megabytes).
fn start(answer: &str) -> &str {
    &answer[..answer.floor_char_boundary(200)]
}

/// A request head larger than the limit is answered 431 and the connection closed, without
/// the server holding what was sent (it held it all: 256 MB sent, 264 MB more memory).
#[cfg(target_os = "linux")]
#[test]
fn preview_refuses_an_oversized_request_head_without_holding_it() {
    use std::io::Write;
    let (mut preview, address) = previewing("preview-big-head");
    let pid = preview.id();
    let before = status_of(pid, "VmRSS");
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    let mut sender = stream.try_clone().unwrap();
    let host = address.clone();
    // 64 MB of one header, never ended, sent while the answer is read
    let sent = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        if write!(sender, "GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: ").is_ok() {
            while sent < 64 << 20 && sender.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
        }
        sent
    });
    let sent = sent.join().unwrap();
    // (the server has had a moment to take in all it was going to)
    std::thread::sleep(std::time::Duration::from_millis(500));
    let after = status_of(pid, "VmRSS");
    let answer = answer_on(&mut stream, std::time::Duration::from_secs(15));
    let _ = preview.kill();
    let _ = preview.wait();
    eprintln!(
        "64 MB head: {} MB sent, VmRSS {before} kB → {after} kB",
        sent >> 20
    );
    assert!(answer.starts_with("HTTP/1.1 431"), "{}", start(&answer));
    assert!(
        after.saturating_sub(before) < 16 * 1024,
        "memory grew from {before} kB to {after} kB"
    );
}

/// More connections at once than the cap: the extra ones are answered 503 at once, without
/// a thread each (1,500 long polls had 1,505 threads), and the server answers again once
/// they go.
#[cfg(target_os = "linux")]
#[test]
fn preview_serves_at_most_its_cap_of_connections_at_once() {
    use audit_report::preview::MAX_CONNECTIONS;
    use std::io::Write;
    let (mut preview, address) = previewing("preview-many");
    let pid = preview.id();
    let threads_before = status_of(pid, "Threads");
    let extra = 64;
    // each a long poll for a version not yet made: held
    let mut polls: Vec<std::net::TcpStream> = (0..MAX_CONNECTIONS + extra)
        .map(|_| {
            let mut stream = std::net::TcpStream::connect(&address).unwrap();
            // (one refused may be closed before its request is sent: its answer is there)
            let _ = write!(stream, "GET /wait?v=1 HTTP/1.1\r\nHost: {address}\r\n\r\n");
            stream
        })
        .collect();
    // (counted while every connection is open: each served one holds a thread)
    std::thread::sleep(std::time::Duration::from_secs(1));
    let threads = status_of(pid, "Threads");
    // the refused are answered at once; the time allowed is shared, or a server holding
    // them all would keep the test waiting for each in turn
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let refused: Vec<String> = polls[MAX_CONNECTIONS..]
        .iter_mut()
        .map(|stream| {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            answer_on(stream, left.max(std::time::Duration::from_millis(100)))
        })
        .collect();
    // the ones served are still held, unanswered
    let held = answer_on(&mut polls[0], std::time::Duration::from_millis(200));
    drop(polls);
    // once they are gone (noticed within a second or two, not at the end of the long
    // poll), a request is served again
    let asked = std::time::Instant::now();
    let again = loop {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        let _ = write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\n\r\n");
        let answer = answer_on(&mut stream, std::time::Duration::from_secs(10));
        if answer.starts_with("HTTP/1.1 200") || asked.elapsed().as_secs() >= 5 {
            break answer;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let _ = preview.kill();
    let _ = preview.wait();
    eprintln!(
        "{} long polls: threads {threads_before} → {threads}",
        MAX_CONNECTIONS + extra
    );
    for answer in &refused {
        assert!(answer.starts_with("HTTP/1.1 503"), "{}", start(answer));
    }
    assert_eq!(held, "");
    assert!(
        threads < threads_before + MAX_CONNECTIONS as u64 + 4,
        "{threads} threads, {threads_before} before"
    );
    assert!(again.starts_with("HTTP/1.1 200"), "{}", start(&again));
}

/// A client that sends nothing, and one that sends its request a byte a second (each read
/// within any per-read timeout), are both answered 408 and dropped once the time for a
/// request head has passed; they held a thread each for as long as they liked.
#[test]
fn preview_drops_a_slow_client_after_the_time_for_a_request() {
    use audit_report::preview::HEAD_TIMEOUT;
    use std::io::Write;
    use std::time::{Duration, Instant};
    let (mut preview, address) = previewing("preview-slow");
    let started = Instant::now();
    let mut silent = std::net::TcpStream::connect(&address).unwrap();
    let mut trickle = std::net::TcpStream::connect(&address).unwrap();
    let request = format!(
        "GET / HTTP/1.1\r\nHost: {address}\r\nX-Pad: {}",
        "a".repeat(60)
    );
    let trickled = {
        let mut trickle = trickle.try_clone().unwrap();
        std::thread::spawn(move || {
            for byte in request.bytes() {
                if trickle.write_all(&[byte]).is_err() {
                    return started.elapsed();
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            started.elapsed()
        })
    };
    let margin = Duration::from_secs(5);
    let silent_answer = answer_on(&mut silent, HEAD_TIMEOUT + margin);
    let trickle_answer = answer_on(&mut trickle, HEAD_TIMEOUT + margin);
    let dropped = started.elapsed();
    let _ = preview.kill();
    let _ = preview.wait();
    let _ = trickled.join();
    assert!(silent_answer.starts_with("HTTP/1.1 408"), "{silent_answer}");
    assert!(
        trickle_answer.starts_with("HTTP/1.1 408"),
        "{trickle_answer}"
    );
    assert!(dropped < HEAD_TIMEOUT + margin, "dropped after {dropped:?}");
}
