//! Render: the report's charts, and the document in each output format.
//!
//! [`chart`] draws the bar charts (SVG) from the collated figures. Each output format is a
//! module here implementing [`Format`]: a [`Document`] and its charts in, a file out. [`pdf`]
//! typesets with Typst; a new format (Word, HTML) is a module beside it reading the same
//! `Document`, so every edition, figure, suppression and check applies to it unchanged.

pub mod chart;
pub mod fonts;
pub mod pdf;

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::Document;
use chart::Chart;

/// One edition rendered in one format.
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its pages (for a format without pages, 0).
    pub pages: usize,
    /// All its text, in reading order (for the summary's checks and for tests).
    pub text: String,
}

/// An output format: a document and its charts in, a file out.
pub trait Format: Sync {
    /// The file name's extension (`pdf`).
    fn extension(&self) -> &'static str;
    /// The edition's file.
    fn render(&self, document: &Document, charts: &[Chart]) -> Result<Rendered, Diagnostics>;
}

/// Renders every edition of `prepared` in `format`, on parallel threads; all problems of all
/// editions together.
pub fn render_editions(
    format: &dyn Format,
    prepared: &crate::Prepared,
) -> Result<Vec<Rendered>, Diagnostics> {
    let results: Vec<Result<Rendered, Diagnostics>> = std::thread::scope(|scope| {
        let handles: Vec<_> = prepared
            .documents
            .iter()
            .map(|(edition, document)| {
                let charts = &prepared.charts[&edition.suppress_below];
                scope.spawn(move || format.render(document, charts))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Diagnostic::general("rendering stopped unexpectedly").into())
                })
            })
            .collect()
    });
    let mut rendered = Vec::new();
    let mut problems = Diagnostics::default();
    for result in results {
        match result {
            Ok(done) => rendered.push(done),
            Err(found) => problems.extend(found),
        }
    }
    problems.into_result(rendered).map(|(rendered, _)| rendered)
}
