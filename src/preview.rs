//! Live preview: the report served on the loopback interface as a page showing the chosen
//! edition's pages, laid out exactly as the PDF's, which reloads itself within a second of
//! any change to any input; while an input has a problem, the page shows the problems, at
//! their file and line, instead of the report.
//!
//! Nothing is written to disk: the pages are made in memory. The server answers only on
//! 127.0.0.1, only `GET /` (the page) and `GET /wait?v=N` (which answers when the report is
//! newer than version N, or after 25 seconds).

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::html::escape;
use crate::{BuildOptions, Templates, prepare};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

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
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = shared.clone();
                std::thread::spawn(move || answer(stream, &shared));
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
const SCRIPT: &str = "async function wait(v){for(;;){try{const r=await fetch('/wait?v='+v);\
const n=await r.text();if(n!==String(v)){location.reload();return;}}catch(e){await new Promise(r=>setTimeout(r,500));}}}";

fn answer(stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Of the rest of the request's head, only the host it was addressed to matters.
    let mut host = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("host")
        {
            host = value.trim().to_string();
        }
        line.clear();
    }
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
        let shown = lock.lock().unwrap_or_else(|e| e.into_inner());
        let (shown, _) = changed
            .wait_timeout_while(shown, Duration::from_secs(25), |s| s.version <= seen)
            .unwrap_or_else(|e| e.into_inner());
        ("200 OK", "text/plain", shown.version.to_string())
    } else {
        ("404 Not Found", "text/plain", "not found".to_string())
    };
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
