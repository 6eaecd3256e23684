//! Render (stage 7): the proofed document in each output format.
//!
//! Each output format is a module here implementing [`Renderer`]: a [`Document`] and its
//! charts in, a file out. [`pdf`] typesets with Typst; [`docx`] writes Word and [`html`] a web page from the same
//! `Document`, so every edition, figure, suppression and check applies to them unchanged.

pub mod docx;
pub mod html;
pub mod pdf;
pub mod picture;
pub mod printed;

use crate::chart::{Chart, ChartSet};
use crate::check::guard::Guard;
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::Document;
use crate::edition::Edition;
use crate::proof::Prepared;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The charts, drawn before the document (stage 4); here by their old name for the
/// renderers and the preview that still name them so.
pub use crate::chart;
/// The output formats, declared with the editions that list them.
pub use crate::edition::Format;

/// One edition rendered in one format.
pub struct Rendered {
    /// The format.
    pub format: Format,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its pages (for a format without pages, 0).
    pub pages: usize,
    /// All its text, in reading order (for the summary's checks and for tests).
    pub text: String,
}

/// An output format's writer: a document and its charts in, a file out.
pub trait Renderer: Sync {
    /// The format it writes.
    fn format(&self) -> Format;
    /// The edition's file.
    fn render(&self, document: &Document, charts: &[Chart]) -> Result<Rendered, Diagnostics>;
}

/// Renders every edition of `prepared` in each of its formats (or only in `only`), on
/// parallel threads; each edition's files in the order of [`Format::ALL`]; all problems of
/// all editions together.
pub fn render_editions(
    renderers: &[&dyn Renderer],
    prepared: &Prepared,
    only: Option<Format>,
    editions_done: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Vec<Rendered>>, Diagnostics> {
    let jobs = jobs(renderers, prepared, only);
    // Each edition's files still to make, and the editions made: `editions_done` hears of
    // each edition as its last file is made, on whichever thread made it.
    let left: Vec<AtomicUsize> = jobs.iter().map(|j| AtomicUsize::new(j.len())).collect();
    let finished = AtomicUsize::new(0);
    let all = jobs.iter().filter(|j| !j.is_empty()).count();
    editions_done(0, all);
    let index = |edition: &(Edition, Document)| {
        prepared
            .documents
            .iter()
            .position(|e| std::ptr::eq(e, edition))
            .unwrap_or(0)
    };
    let render = |edition @ (_, document): &(Edition, Document), renderer: &dyn Renderer| {
        let made = renderer.render(document, &prepared.charts[&ChartSet::of(&edition.0)]);
        if left[index(edition)].fetch_sub(1, Ordering::SeqCst) == 1 {
            editions_done(finished.fetch_add(1, Ordering::SeqCst) + 1, all);
        }
        made
    };
    let results = if jobs.iter().flatten().count() == 1 {
        // One file to make: made on this thread, whose memory holds what the earlier
        // stages freed, for Typst to reuse.
        render_here(prepared, &jobs, &render)
    } else {
        render_on_threads(prepared, &jobs, &render)
    };
    every_file_or_every_problem(results)
}

/// One edition rendered by one renderer.
type RenderOne<'a> =
    dyn Fn(&(Edition, Document), &dyn Renderer) -> Result<Rendered, Diagnostics> + Sync + 'a;

/// The renderers each edition of `prepared` is rendered by: those of the formats it lists,
/// or with `only`, that format's if the edition's kind has it (slides are pages to project:
/// `--format docx` builds none of them).
fn jobs<'r>(
    renderers: &[&'r dyn Renderer],
    prepared: &Prepared,
    only: Option<Format>,
) -> Vec<Vec<&'r dyn Renderer>> {
    let wanted = |edition: &Edition, format: Format| match only {
        Some(only) => only == format && edition.kind.formats().contains(&format),
        None => edition.formats.contains(&format),
    };
    prepared
        .documents
        .iter()
        .map(|(edition, _)| {
            renderers
                .iter()
                .copied()
                .filter(|r| wanted(edition, r.format()))
                .collect()
        })
        .collect()
}

/// Every job rendered on this thread; a renderer that panics is a problem reported, as on
/// a thread.
fn render_here(
    prepared: &Prepared,
    jobs: &[Vec<&dyn Renderer>],
    render: &RenderOne,
) -> Vec<Vec<Result<Rendered, Diagnostics>>> {
    prepared
        .documents
        .iter()
        .zip(jobs)
        .map(|(edition, jobs)| {
            jobs.iter()
                .map(|&r| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(edition, r)))
                        .unwrap_or_else(|_| {
                            Err(Diagnostic::general("rendering stopped unexpectedly").into())
                        })
                })
                .collect()
        })
        .collect()
}

/// Every job rendered on a thread of its own.
fn render_on_threads(
    prepared: &Prepared,
    jobs: &[Vec<&dyn Renderer>],
    render: &RenderOne,
) -> Vec<Vec<Result<Rendered, Diagnostics>>> {
    std::thread::scope(|scope| {
        let handles: Vec<Vec<_>> = prepared
            .documents
            .iter()
            .zip(jobs)
            .map(|(edition, jobs)| {
                jobs.iter()
                    .map(|&renderer| scope.spawn(move || render(edition, renderer)))
                    .collect()
            })
            .collect();
        handles
            .into_iter()
            .map(|edition| {
                edition
                    .into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(Diagnostic::general("rendering stopped unexpectedly").into())
                        })
                    })
                    .collect()
            })
            .collect()
    })
}

/// Each edition's files, or the problems of all editions together.
fn every_file_or_every_problem(
    results: Vec<Vec<Result<Rendered, Diagnostics>>>,
) -> Result<Vec<Vec<Rendered>>, Diagnostics> {
    let mut rendered = Vec::new();
    let mut problems = Diagnostics::default();
    for edition in results {
        let mut files = Vec::new();
        for result in edition {
            match result {
                Ok(done) => files.push(done),
                Err(found) => problems.extend(found),
            }
        }
        rendered.push(files);
    }
    problems.into_result(rendered).map(|(rendered, _)| rendered)
}

/// Every edition's rendered files read back by the personal data guard, on parallel
/// threads (the text of a long report takes it a while): each problem at the file it is in,
/// as it would be written under `out`.
pub fn guard_rendered(
    guard: &Guard,
    out: &Path,
    prepared: &Prepared,
    rendered: &[Vec<Rendered>],
) -> Result<(), Diagnostics> {
    let files: Vec<(PathBuf, &Rendered)> = prepared
        .documents
        .iter()
        .zip(rendered)
        .flat_map(|((edition, _), files)| {
            files.iter().map(|file| {
                let name = format!("{}.{}", edition.id, file.format.extension());
                (out.join(&edition.id).join(name), file)
            })
        })
        .collect();
    let found: Vec<Diagnostics> = std::thread::scope(|scope| {
        let threads: Vec<_> = files
            .iter()
            .map(|(path, file)| scope.spawn(move || printed::guard_file(guard, path, file)))
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join().unwrap_or_else(|_| {
                    Diagnostic::general("the guard stopped reading a file unexpectedly").into()
                })
            })
            .collect()
    });
    let mut problems = Diagnostics::default();
    found.into_iter().for_each(|f| problems.extend(f));
    problems.into_result(()).map(|_| ())
}

/// Whether a section's unnumbered paragraphs line up with its numbered paragraphs' text (a
/// lead-in such as "These would include ensuring that:-" between 4.1.11 and its list), as
/// its lists and quotes do: so in a section with any numbered paragraph. A section of
/// unnumbered prose (a case example) runs the full width. report.typ applies the same rule.
pub fn aligns_unnumbered(blocks: &[crate::document::Content]) -> bool {
    blocks.iter().any(|block| {
        matches!(
            block,
            crate::document::Content::Paragraph {
                number: Some(_),
                ..
            }
        )
    })
}

/// The lines of `text` as its writer broke them: at `\n`, `\r\n`, a lone `\r` (old Mac
/// files) and Unicode's line and paragraph separators, where Typst breaks too; Word and the
/// web page break at each (Word drops a newline inside text, a browser runs lines together).
pub fn lines_as_written(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|line| {
        line.strip_suffix('\r')
            .unwrap_or(line)
            .split(['\r', '\u{2028}', '\u{2029}'])
    })
}
