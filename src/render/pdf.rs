//! PDF: the layout, the document data and the charts → a paged document and PDF bytes,
//! with Typst embedded as a library.
//!
//! The [`World`] here is entirely in memory: the layout (`report.typ`), `data.json` and the
//! chart SVGs are the only files Typst can see, so a template cannot read anything else on
//! disk, and the fonts are the ones compiled into the binary, so the output does not depend
//! on the machine. The document's date comes from the audit, never from the clock.

use crate::chart::Chart;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::document::Document;
use crate::fonts::FONTS;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::layout::{Abs, Frame, FrameItem, Point};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// The virtual path of the layout inside Typst's world.
pub const MAIN: &str = "/report.typ";

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Reads the embedded fonts' tables and sets up Typst's standard library now (they are
/// otherwise set up on first use): a build does it on a spare core while it reads the audit
/// folder.
pub fn warm_up() {
    crate::fonts::warm_up();
    LazyLock::force(&LIBRARY);
}

/// Everything Typst may read for one document.
pub struct Input {
    /// The layout's source text.
    pub layout: String,
    /// Where the layout came from, for error messages.
    pub layout_path: PathBuf,
    /// Other files by virtual path (`/data.json`, `/charts/q1.svg`).
    pub files: Vec<(String, Vec<u8>)>,
    /// The document's date.
    pub date: time::Date,
}

struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }
    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// The width of the widest paragraph number of `document` in ems of Carlito, the body face
/// (kerning aside: numbers are digits and full stops). The layout sizes the numbers' column
/// from it once, rather than measuring every paragraph's number as it typesets.
fn widest_number(document: &Document) -> f64 {
    let width = |number: &str| crate::fonts::carlito_ems(number, false).unwrap_or(0.0);
    document
        .sections
        .iter()
        .flat_map(|section| &section.blocks)
        .filter_map(|block| match block {
            crate::document::Content::Paragraph {
                number: Some(number),
                ..
            } => Some(width(number)),
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// A typeset report.
pub struct Typeset {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Pages.
    pub pages: usize,
    /// All text on the pages, in reading order, a line per text run (for tests and checks).
    pub text: String,
}

/// The PDF format: the static Typst layout filled with each edition's document.
pub struct Pdf<'a> {
    /// The layout's source text.
    pub layout: &'a str,
    /// Where it came from, for messages.
    pub layout_path: &'a std::path::Path,
    /// The layouts of the cover paper, slides and briefing, each of its own kind.
    pub layouts: &'a crate::document::templates::Layouts,
}

impl Pdf<'_> {
    /// Everything Typst reads for `document`, laid out by its kind's layout.
    pub fn input(&self, document: &Document, charts: &[Chart]) -> Result<Input, Diagnostics> {
        let (layout_path, layout) = self
            .layouts
            .of(document.kind)
            .unwrap_or((self.layout_path, self.layout));
        Ok(Input {
            layout: layout.to_string(),
            layout_path: layout_path.to_path_buf(),
            files: files_of(document, charts)?,
            date: document.date,
        })
    }
}

impl super::Renderer for Pdf<'_> {
    fn format(&self) -> super::Format {
        super::Format::Pdf
    }

    fn render(
        &self,
        document: &Document,
        charts: &[Chart],
    ) -> Result<super::Rendered, Diagnostics> {
        let done = typeset(self.input(document, charts)?)?;
        Ok(super::Rendered {
            format: super::Format::Pdf,
            bytes: done.pdf,
            pages: done.pages,
            text: done.text,
        })
    }
}

/// Lays out the layout with its files: the pages, and the world they were made in.
fn compile(input: Input) -> Result<(PagedDocument, ReportWorld, PathBuf), Diagnostics> {
    let main_id = file_id(MAIN).expect("constant path is valid");
    let today = Some(Datetime::Date(input.date));
    let world = ReportWorld {
        main: Source::new(main_id, input.layout),
        files: input
            .files
            .into_iter()
            .filter_map(|(path, data)| Some((file_id(&path)?, Bytes::new(data))))
            .collect(),
        today,
    };
    let result = typst::compile::<PagedDocument>(&world);
    let document = result
        .output
        .map_err(|errors| convert(&world, &input.layout_path, &errors))?;
    // Typst lays a document out until its page numbers and positions settle, five times at
    // most, then only warns; a question placed by the room left on its page and the
    // contents' page numbers could then be wrong, so the build stops instead.
    if result
        .warnings
        .iter()
        .any(|w| w.message.contains("did not converge"))
    {
        return Err(Diagnostic::general(format!(
            "the layout `{}` {UNSETTLED}: its page numbers and the place of each question could be wrong, so no edition was written",
            input.layout_path.display()
        ))
        .with_note("a layout that places things by where they fall on the page can cause this; with the built-in layout, report it with the files --emit-typst writes")
        .into());
    }
    Ok((document, world, input.layout_path))
}

/// What a layout that Typst laid out five times without its pages settling is said to have
/// done (the build writes `--emit-typst`'s files all the same, to report it with).
pub const UNSETTLED: &str = "did not settle within Typst's five passes";

/// The pages of the document as SVG images (for the live preview), laid out exactly as the
/// PDF's, each with its text (the images draw letters as shapes).
pub fn page_images(input: Input) -> Result<Vec<(String, String)>, Diagnostics> {
    let (document, _, _) = compile(input)?;
    let options = typst_svg::SvgOptions::default();
    Ok(document
        .pages()
        .iter()
        .map(|page| {
            let mut text = String::new();
            collect_text(&page.frame, Point::zero(), &mut text, &mut None);
            (typst_svg::svg(page, &options), text)
        })
        .collect())
}

/// Compiles the layout with its files and exports a PDF.
pub fn typeset(input: Input) -> Result<Typeset, Diagnostics> {
    let (year, month, day) = (
        input.date.year(),
        u8::from(input.date.month()),
        input.date.day(),
    );
    let (document, world, layout_path) = compile(input)?;
    let input_layout_path = layout_path;
    // PDF/UA-1 (accessible: tagged, titled, every chart with alt text, headings in order)
    // together with PDF/A-2b (archivable), which Typst 0.15 can check at export.
    let standards =
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::Ua_1, typst_pdf::PdfStandard::A_2b])
            .map_err(|e| Diagnostic::general(format!("failed to set up PDF standards ({e:?})")))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("audit-report".into()),
        standards,
        timestamp: Datetime::from_ymd_hms(year, month, day, 0, 0, 0)
            .map(typst_pdf::Timestamp::new_utc),
        ..Default::default()
    };
    // The pages' text (for the printed-text checks) is read beside the export, which leaves
    // a core idle most of its time (1 % of the build at 2,000 and 10,000 cases).
    let (pdf, text) = std::thread::scope(|scope| {
        let text = scope.spawn(|| {
            let mut text = String::new();
            for page in document.pages() {
                collect_text(&page.frame, Point::zero(), &mut text, &mut None);
                text.push('\u{c}');
            }
            text
        });
        let pdf = typst_pdf::pdf(&document, &options);
        (pdf, text.join())
    });
    let pdf = pdf.map_err(|errors| convert(&world, &input_layout_path, &errors))?;
    let text =
        text.map_err(|_| Diagnostic::general("reading the typeset pages stopped unexpectedly"))?;
    Ok(Typeset {
        pdf,
        pages: document.pages().len(),
        text,
    })
}

/// The text of `frame` in reading order, a line per run. `last` is the previous run and where
/// it was drawn, across nested groups.
fn collect_text(
    frame: &Frame,
    origin: Point,
    out: &mut String,
    last: &mut Option<(String, Point, Abs)>,
) {
    for (at, item) in frame.items() {
        let at = origin + *at;
        match item {
            FrameItem::Group(group) => collect_text(&group.frame, at, out, last),
            FrameItem::Text(run) => {
                // A cluster whose glyphs come from two faces (a letter and a combining mark the
                // main face lacks) is drawn as two runs that both carry the cluster's text, at
                // the same place: that is one piece of text.
                let again = last.as_ref().is_some_and(|(text, point, _)| {
                    text == run.text.as_str()
                        && (point.x - at.x).abs().to_pt() < 2.0
                        && (point.y - at.y).abs().to_pt() < 2.0
                });
                // A run that starts where the last one ended on the same line continues
                // its word ("Jay" then a bold "den"): joined, as a reader's search finds it
                // (and the guard must).
                let touching = last.as_ref().is_some_and(|(_, point, end)| {
                    (point.y - at.y).abs().to_pt() < 0.5 && (*end - at.x).abs().to_pt() < 0.5
                });
                if !again {
                    if touching && out.ends_with('\n') {
                        out.pop();
                    }
                    out.push_str(&run.text);
                    out.push('\n');
                }
                *last = Some((run.text.to_string(), at, at.x + run.width()));
            }
            _ => {}
        }
    }
}

/// Typst's diagnostics as ours, pointing into the layout file where they can.
fn convert(
    world: &ReportWorld,
    layout_path: &std::path::Path,
    errors: &[SourceDiagnostic],
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for error in errors.iter().filter(|e| e.severity == Severity::Error) {
        let location = error.span.id().and_then(|id| {
            let range = world.range(error.span)?;
            let source = world.source(id).ok()?;
            let (line, column) = source.lines().byte_to_line_column(range.start)?;
            let path = if id == world.main.id() {
                layout_path.to_path_buf()
            } else {
                PathBuf::from(id.vpath().get_with_slash())
            };
            Some(Location::at(path, line + 1, column + 1))
        });
        let message = format!("failed to typeset the report ({})", error.message);
        let mut diagnostic = match location {
            Some(location) => Diagnostic::error(location, message),
            None => Diagnostic::general(message),
        };
        for hint in &error.hints {
            diagnostic = diagnostic.with_note(hint.v.to_string());
        }
        problems.push(diagnostic);
    }
    problems
}

/// What Typst needs for one edition besides the layout: the document as `/data.json` and its
/// charts under `/charts/`.
pub fn files_of(
    document: &Document,
    charts: &[Chart],
) -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
    /// The document as the layout reads it.
    #[derive(serde::Serialize)]
    struct Data<'a> {
        #[serde(flatten)]
        document: &'a crate::document::Document,
        /// The widest paragraph number, in ems of the body face, for the numbers' column.
        number_width: f64,
    }
    let data = Data {
        document,
        number_width: widest_number(document),
    };
    let data = serde_json::to_vec(&data)
        .map_err(|e| Diagnostic::general(format!("failed to serialise the document ({e})")))?;
    let mut files = vec![("/data.json".to_string(), data)];
    files.extend(
        charts
            .iter()
            .map(|c| (format!("/charts/{}.svg", c.id), c.svg.clone().into_bytes())),
    );
    Ok(files)
}
