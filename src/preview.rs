//! Live preview: the report served on the loopback interface as a page showing the chosen
//! edition's pages, laid out exactly as the PDF's, which reloads itself within a second of
//! any change to any input; while an input has a problem, the page shows the problems, at
//! their file and line, instead of the report.
//!
//! Nothing is written to disk: the pages are made in memory. The server answers only on
//! 127.0.0.1, only `GET /` (the page) and `GET /wait?v=N` (which answers when the report is
//! newer than version N, or after [`LONG_POLL`]).
//!
//! Any program on the machine can connect, so what one connection may cost is bounded
//! (docs/limits.md): a request head of at most [`MAX_HEAD`] bytes, sent within
//! [`HEAD_TIMEOUT`]; at most [`MAX_CONNECTIONS`] served at once, each on a thread of its own;
//! and an answer taken within [`WRITE_TIMEOUT`].

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::html::escape;
use crate::{BuildOptions, Templates, prepare};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The most a request line and its headers may take: a browser's are well under 2 KB, and
/// the head is held in memory until it ends (unbounded, 256 MB sent took 264 MB).
pub const MAX_HEAD: usize = 16 * 1024;
/// The most connections served at once, each on a thread of its own: a browser opens six
/// to a host, a tab holds one long poll (unbounded, 1,500 long polls held 1,505 threads).
/// Beyond it a connection is answered 503 and closed, without a thread.
pub const MAX_CONNECTIONS: usize = 32;
/// How long a client has to send its whole request head, however it trickles it: a client
/// sending a byte now and then would otherwise hold its thread for ever.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a long poll (`/wait`) is held before it is answered with the version unchanged
/// (the page then asks again).
pub const LONG_POLL: Duration = Duration::from_secs(25);
/// How long a client has to take a whole answer (a page is a few MB of SVG, taken in well
/// under a second): one that never reads, or reads a byte now and then, would otherwise
/// hold its thread for ever.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a refused request's remainder is read and thrown away after the refusal, so the
/// client reads the refusal rather than a reset connection.
const LINGER: Duration = Duration::from_secs(2);

/// The page being served, and its version (bumped on every rebuild).
#[derive(Default)]
struct Shown {
    version: u64,
    body: String,
}

type Shared = Arc<(Mutex<Shown>, Condvar)>;

/// Serves the preview on `listener` (bound by the caller to 127.0.0.1), rebuilding on every
/// change; `ready` hears each rebuild's version and whether it showed the report. Returns
/// only if the audit folder cannot be watched.
pub fn serve(
    options: &BuildOptions,
    listener: TcpListener,
    ready: &mut dyn FnMut(u64, bool),
) -> Result<(), Diagnostic> {
    let shared: Shared = Arc::default();
    {
        let shared = shared.clone();
        let served = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                // (only this thread adds to the count, so it never passes the cap)
                if served.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
                    too_busy(stream);
                    continue;
                }
                let slot = Slot::take(&served);
                let shared = shared.clone();
                // (a thread the system will not give is a connection dropped, its slot freed)
                let _ = std::thread::Builder::new()
                    .name("preview connection".into())
                    .spawn(move || {
                        answer(stream, &shared);
                        drop(slot);
                    });
            }
        });
    }
    crate::watch::on_change(options, &mut |_| {
        let (body, fine) = match render(options) {
            Ok(pages) => (pages, true),
            Err(problems) => (problems_page(&problems), false),
        };
        let (lock, changed) = &*shared;
        let version = {
            let mut shown = lock.lock().unwrap_or_else(|e| e.into_inner());
            shown.version += 1;
            shown.body = body;
            shown.version
        };
        changed.notify_all();
        ready(version, fine);
    })
}

/// The chosen edition's pages as SVG images, one after the other.
fn render(options: &BuildOptions) -> Result<String, Diagnostics> {
    let templates = Templates::load(options.templates.as_deref())?;
    let prepared = prepare(options, &templates, &mut |_| {})?;
    let (edition, document) = prepared.documents.first().ok_or_else(|| {
        Diagnostics::from(Diagnostic::general("the audit has no edition to show"))
    })?;
    let pdf = crate::render::pdf::Pdf {
        layout: &templates.layout,
        layout_path: &templates.layout_path,
        layouts: &templates.layouts,
    };
    let charts = &prepared.charts[&crate::render::chart::ChartSet::of(edition)];
    let pages = crate::render::pdf::page_images(pdf.input(document, charts)?)?;
    let mut body = format!(
        "<p class=\"bar\">{} · {} · {} pages</p>\n",
        escape(&document.title),
        escape(&edition.name),
        pages.len()
    );
    for (n, (page, text)) in pages.iter().enumerate() {
        // The image draws letters as shapes; its text is beside it for finding and reading.
        body.push_str(&format!(
            "<div class=\"page\" aria-label=\"page {}\">{page}<div class=\"text\">{}</div></div>\n",
            n + 1,
            escape(&text.replace('\n', " "))
        ));
    }
    Ok(body)
}

/// Every problem, at its file and line, instead of the report.
fn problems_page(problems: &Diagnostics) -> String {
    let mut body = format!(
        "<section class=\"problems\"><h1>{} problem(s) to fix; the report shows again when they are fixed</h1>\n<ul>\n",
        problems.0.len()
    );
    for problem in &problems.0 {
        let place = problem
            .location
            .as_ref()
            .map(|l| format!("<code>{}</code> ", escape(&l.to_string())))
            .unwrap_or_default();
        let kind = if problem.is_error() {
            "error"
        } else {
            "warning"
        };
        body.push_str(&format!(
            "<li class=\"{kind}\">{place}<strong>{kind}:</strong> {}",
            escape(&problem.message)
        ));
        for note in &problem.notes {
            body.push_str(&format!("<br><small>help: {}</small>", escape(note)));
        }
        body.push_str("</li>\n");
    }
    body.push_str("</ul></section>\n");
    body
}

const STYLE: &str = "body{margin:0;background:#e8e8e8;font-family:Carlito,Calibri,sans-serif}\
.bar{position:sticky;top:0;margin:0;padding:.4rem 1rem;background:#005a8c;color:#fff}\
.page{width:min(794px,96vw);margin:12px auto;background:#fff;box-shadow:0 1px 4px #0004}\
.page svg{display:block;width:100%;height:auto}\
.text{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}\
.problems{max-width:60rem;margin:2rem auto;background:#fff;padding:1rem 2rem}\
.problems h1{font-size:1.3rem;color:#a00}.problems li{margin:.6rem 0}";

/// Reloads the page when the report is newer than the version it shows.
/// (An answer that is not 200, a 503 when the server is busy, is waited out, not taken for
/// a new version.)
const SCRIPT: &str = "async function wait(v){for(;;){try{const r=await fetch('/wait?v='+v);\
if(!r.ok)throw r.status;const n=await r.text();if(n!==String(v)){location.reload();return;}}catch(e){await new Promise(r=>setTimeout(r,500));}}}";

/// One connection being served, counted while it lives (a thread that panics gives its
/// slot back too).
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(served: &Arc<AtomicUsize>) -> Slot {
        served.fetch_add(1, Ordering::SeqCst);
        Slot(served.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers 503 on the accepting thread, without waiting on the client for anything: the
/// socket's buffer takes the few bytes at once, and what cannot be sent now is not sent.
/// What the client has sent so far is read first (up to [`MAX_HEAD`]): closed with it
/// unread, the connection would be reset, and the client might see the reset rather than
/// the 503.
fn too_busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let mut buffer = [0; 4096];
    let mut read = 0;
    while read < MAX_HEAD
        && let Ok(n @ 1..) = stream.read(&mut buffer)
    {
        read += n;
    }
    let body = "too many connections; try again in a moment";
    let _ = write!(
        stream,
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.shutdown(Shutdown::Write);
}

/// Whether the client has closed the connection (or it failed), looked at without waiting.
fn gone(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return true;
    }
    let gone = match stream.peek(&mut [0]) {
        Ok(n) => n == 0,
        Err(e) => e.kind() != ErrorKind::WouldBlock,
    };
    gone || stream.set_nonblocking(false).is_err()
}

/// Why a request head was not read.
enum Unread {
    /// Longer than [`MAX_HEAD`].
    TooLarge,
    /// Not all sent within [`HEAD_TIMEOUT`].
    TooSlow,
    /// The connection closed or failed.
    Gone,
}

/// The request line and headers, read within [`HEAD_TIMEOUT`] and [`MAX_HEAD`] bytes, as
/// text (each line without its line end). Whatever follows the head is not read: only
/// `GET` is answered, and it has no body.
fn read_head(mut stream: &TcpStream) -> Result<String, Unread> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0; 4096];
    loop {
        // (a timeout per read would let a byte now and then hold the thread for ever: each
        // read gets what is left of the one deadline)
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return Err(Unread::TooSlow);
        }
        let n = match stream.read(&mut buffer) {
            Ok(0) => return Err(Unread::Gone),
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(Unread::TooSlow);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Err(Unread::Gone),
        };
        // (searched from just before the new bytes: an end may straddle two reads)
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buffer[..n]);
        let end = end_of_head(&head[from..]).map(|end| from + end);
        if end.unwrap_or(head.len()) > MAX_HEAD {
            return Err(Unread::TooLarge);
        }
        if let Some(end) = end {
            head.truncate(end);
            return Ok(String::from_utf8_lossy(&head).replace('\r', ""));
        }
    }
}

/// Where the empty line that ends a request head begins (a line end alone, `\r\n` or a
/// bare `\n` as some clients send), counted from the start of `bytes`.
fn end_of_head(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find(|&at| {
        bytes[at] == b'\n'
            && (bytes[at + 1..].starts_with(b"\n") || bytes[at + 1..].starts_with(b"\r\n"))
    })
}

/// Writes an answer and closes the connection, the whole answer taken within
/// [`WRITE_TIMEOUT`].
fn respond(mut stream: &TcpStream, status: &str, kind: &str, body: &str) {
    let answer = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let deadline = Instant::now() + WRITE_TIMEOUT;
    let mut rest = answer.as_bytes();
    while !rest.is_empty() {
        // (one deadline for the whole, as for the head)
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_write_timeout(Some(left)).is_err() {
            return;
        }
        match stream.write(rest) {
            Ok(0) => return,
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
    let _ = stream.shutdown(Shutdown::Write);
}

/// Refuses a request not read in full, then reads and throws away what the client is still
/// sending, for at most [`LINGER`]: closed with that unread, the connection would be reset,
/// and the client would likely see the reset rather than the refusal.
fn refuse(mut stream: &TcpStream, status: &str, why: &str) {
    respond(stream, status, "text/plain", why);
    let deadline = Instant::now() + LINGER;
    let mut buffer = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        if !matches!(stream.read(&mut buffer), Ok(n) if n > 0) {
            return;
        }
    }
}

fn answer(stream: TcpStream, shared: &Shared) {
    let head = match read_head(&stream) {
        Ok(head) => head,
        Err(Unread::TooLarge) => {
            let why = format!("the request line and headers are over {MAX_HEAD} bytes");
            return refuse(&stream, "431 Request Header Fields Too Large", &why);
        }
        Err(Unread::TooSlow) => {
            let why = format!(
                "the request was not sent within {} s",
                HEAD_TIMEOUT.as_secs()
            );
            return refuse(&stream, "408 Request Timeout", &why);
        }
        Err(Unread::Gone) => return,
    };
    let mut lines = head.lines();
    let request = lines.next().unwrap_or("");
    // Of the rest of the request's head, only the host it was addressed to matters.
    let host = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim())
        .unwrap_or("");
    let port = stream.local_addr().map(|a| a.port()).unwrap_or(0);
    // A web page elsewhere can make the browser ask for this address under a name of its
    // own (DNS rebinding) and read the answer: only requests addressed to this machine by
    // its loopback name are answered.
    let local = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let target = request.split_whitespace().nth(1).unwrap_or("");
    let (lock, changed) = &**shared;
    let (status, kind, body) = if !local.contains(&host.to_lowercase()) {
        (
            "403 Forbidden",
            "text/plain",
            "only for this machine".to_string(),
        )
    } else if !request.starts_with("GET ") {
        (
            "405 Method Not Allowed",
            "text/plain",
            "GET only".to_string(),
        )
    } else if target == "/" {
        let shown = lock.lock().unwrap_or_else(|e| e.into_inner());
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Preview</title><style>{STYLE}</style></head>\n<body>\n{}<script>{SCRIPT}wait({});</script>\n</body></html>\n",
            shown.body, shown.version
        );
        ("200 OK", "text/html; charset=utf-8", page)
    } else if let Some(seen) = target.strip_prefix("/wait?v=") {
        let seen: u64 = seen.parse().unwrap_or(0);
        let deadline = Instant::now() + LONG_POLL;
        let mut shown = lock.lock().unwrap_or_else(|e| e.into_inner());
        // A page reloaded or closed leaves its long poll behind: looked at every second, a
        // client gone gives its connection's place back then, not when the poll is over.
        while shown.version <= seen {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            if gone(&stream) {
                return;
            }
            shown = changed
                .wait_timeout(shown, left.min(Duration::from_secs(1)))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        ("200 OK", "text/plain", shown.version.to_string())
    } else {
        ("404 Not Found", "text/plain", "not found".to_string())
    };
    respond(&stream, status, kind, &body);
}
