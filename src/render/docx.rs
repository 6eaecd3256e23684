//! Word: the document as a `.docx` the board secretary can work with. (Over 500 lines: every
//! Word structure the report uses, in the schema order Word checks, kept in one writer.)
//!
//! Built with docx-rs, so styles, numbering, footnotes, fields, tables and pictures are
//! Word's own structures: Heading 1 to 3 (sections, sub-sections, questions) for the
//! navigation pane and a contents field Word fills in, paragraph numbers as in the PDF,
//! footnotes as Word footnotes, bullets as a Word list, tables with a repeating header row,
//! findings in a shaded box, the marking in the page header and footer and page numbers as
//! fields, captions numbered by `SEQ` fields as the PDF numbers them. Charts are PNG at print
//! resolution with their alt text as the picture's description. Where the layout depends on
//! how wide text is (a paragraph number's tab, table columns that never break a word), it is
//! measured in Carlito, which has Calibri's metrics, with room for a wider stand-in face.
//!
//! docx-rs leaves a few things out, which [`package`] adds to the parts it built: the
//! document properties (title, author, language, dates), a picture's description, the
//! repeating header row, the footnote's own number and separators, and "update fields on
//! opening". It also numbers some parts from counters that run on through a process, so
//! the parts are zipped again here with fixed ids and the audit's date: the same inputs
//! give the same bytes.
//!
//! docx-rs (0.4.22) also writes the children of paragraph, run and section properties,
//! styles, numbering levels and settings in an order of its own, not the schema's (each
//! `pPr` opens with an empty `rPr`, `numId` comes before `ilvl`, the header references
//! after the page size), and a `type` on each grid column that the schema does not
//! declare; Word asks to repair such a file. Its writer fixes that order in code we cannot
//! reach from here, so [`schema_order`] puts each part's children in the schema's sequence
//! as the parts are zipped, and [`package`] adds the theme part Word expects. The result has
//! no violations under `openxml-audit` (Office 2019 rules), which a test checks.

use super::chart::Chart;
use super::html::{FIGURE, TABLE};
use super::{Format, Rendered, Renderer, picture};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::prose::Inline;
use crate::document::{COVER_DETAILS, Content, Document, Figure};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx as Word, FieldCharType, Footer,
    Footnote, Header, HeightRule, IndentLevel, InstrText, InstrToC, Level, LevelJc, LevelText,
    NumPages, NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Pic, Run,
    RunFonts, Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Tab, TabValueType,
    Table, TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellBorder,
    TableCellBorderPosition, TableCellBorders, TableLayoutType, TableRow, VertAlignType, WidthType,
};
use std::io::Write;

/// Writes the Word edition.
pub struct Docx;

impl Renderer for Docx {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn render(&self, document: &Document, charts: &[Chart]) -> Result<Rendered, Diagnostics> {
        let mut writer = Writer::new(document, charts);
        let mut problems = Diagnostics::default();
        for section in &document.sections {
            // A cover paper's details are a table of label and value, as in the PDF.
            if document.kind == crate::edition::Kind::Cover
                && section.label.as_deref() == Some(COVER_DETAILS)
            {
                writer.details(&section.blocks);
                continue;
            }
            let mut heading = writer.heading(1, &section.heading);
            if section.new_page {
                heading = heading.page_break_before(true);
            }
            writer.push(heading);
            writer.aligned = super::aligns_unnumbered(&section.blocks);
            for block in &section.blocks {
                if let Err(problem) = writer.block(block) {
                    problems.push(problem);
                }
            }
        }
        problems.into_result(())?;
        let Writer {
            word,
            pictures,
            text,
            ..
        } = writer;
        let bytes = package(word, document, &pictures)
            .map_err(|e| Diagnostic::general(format!("the Word file could not be written: {e}")))?;
        Ok(Rendered {
            format: Format::Docx,
            bytes,
            pages: 0,
            text,
        })
    }
}

const ACCENT: &str = "005A8C";
const TINT: &str = "EEF4F9";
const GREY: &str = "5A5A5A";
const FONT: &str = "Calibri";
/// A4, in twentieths of a point.
const PAGE: (u32, u32) = (11906, 16838);
/// The PDF's margins: 2.4 cm at the sides, 2.9 cm top, 2.7 cm bottom.
const MARGIN_X: i32 = 1361;
/// The width between the margins.
const TEXT_WIDTH: usize = (PAGE.0 as i32 - 2 * MARGIN_X) as usize;
/// Paragraph numbers hang at least 1.35 cm, as in the PDF.
const HANG: i32 = 765;
/// The body text's size, half-points: the report's, and a cover paper's or briefing's.
const BODY: usize = 23;
const PAPER_BODY: usize = 22;
/// A quote's least indent (about 1 em), where no paragraph numbers set one.
const QUOTE_INDENT: i32 = 227;
/// The least gap between a paragraph's number and its text, ems.
const NUMBER_GAP: f64 = 0.5;
/// Where a template question's choice starts, and how far its mark hangs before it (the
/// `Choice` style's indent, 0.3 cm, and 0.7 cm), twips.
const CHOICE_INDENT: i32 = 170;
const MARK_HANG: i32 = 397;
/// A chart's printed width, inches (the text width, less a little).
const CHART_INCHES: f32 = 6.2;
const EMU_PER_INCH: f32 = 914_400.0;
/// The bullet list's numbering id (docx-rs defines 1 itself).
const BULLETS: usize = 2;
/// A header row's height, marking it for [`package`] to make it repeat on every page.
const HEADER_ROW_TWIPS: f32 = 397.0;

struct Writer<'a> {
    document: &'a Document,
    charts: &'a [Chart],
    word: Word,
    /// Footnotes so far.
    notes: usize,
    /// Each picture's description, in order.
    pictures: Vec<String>,
    text: String,
    /// Charts and tables numbered so far: one count for each kind, as Typst numbers the
    /// PDF's figures and the web page its captions.
    figures: usize,
    tables: usize,
    /// Where a numbered paragraph's text starts: [`number_tab`].
    number_tab: i32,
    /// Whether this section's unnumbered paragraphs start there too
    /// ([`super::aligns_unnumbered`]).
    aligned: bool,
}

fn run(text: &str) -> Run {
    run_on(Run::new(), text)
}

/// `run` with `text` added, each line break as written ([`super::lines_as_written`]) Word's
/// break: Word drops a newline inside text, joining the words either side. A tab is a space,
/// as the PDF and the web page print it (Word would jump to its next tab stop).
fn run_on(mut run: Run, text: &str) -> Run {
    for (i, line) in super::lines_as_written(text).enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(line.replace('\t', " "));
    }
    run
}

impl<'a> Writer<'a> {
    fn new(document: &'a Document, charts: &'a [Chart]) -> Self {
        let mut writer = Writer {
            document,
            charts,
            word: setup(document),
            notes: 0,
            pictures: Vec::new(),
            text: String::new(),
            figures: 0,
            tables: 0,
            number_tab: number_tab(document),
            aligned: false,
        };
        writer.cover();
        // (a cover paper or briefing of a page or two starts on its first page, uncontented)
        if document.kind == crate::edition::Kind::Report {
            writer.contents();
        }
        writer
    }

    fn push(&mut self, paragraph: Paragraph) {
        let word = std::mem::take(&mut self.word);
        self.word = word.add_paragraph(paragraph);
    }

    fn push_table(&mut self, table: Table) {
        let word = std::mem::take(&mut self.word);
        self.word = word.add_table(table);
    }

    /// A paragraph of plain text, also kept as the document's text.
    fn plain(&mut self, text: &str) -> Paragraph {
        self.text.push_str(text);
        self.text.push('\n');
        Paragraph::new().add_run(run(text))
    }

    fn heading(&mut self, level: usize, text: &str) -> Paragraph {
        self.plain(text).style(&format!("Heading{level}"))
    }

    fn cover(&mut self) {
        let document = self.document;
        let space = if document.kind == crate::edition::Kind::Report {
            4
        } else {
            0
        };
        for _ in 0..space {
            self.push(Paragraph::new());
        }
        let title = self.plain(&document.title).style("Title");
        self.push(title);
        for line in &document.cover {
            let line = self.plain(line).style("Cover");
            self.push(line);
        }
    }

    /// The contents: a field over headings 1 to 3 that Word fills in (it is marked to be
    /// updated, and the file asks Word to update fields on opening); until then it shows
    /// what to do.
    fn contents(&mut self) {
        let title = self
            .plain(&self.document.contents_title)
            .style("ContentsTitle")
            .page_break_before(true);
        self.push(title);
        let pending = &self.document.furniture.contents_pending;
        let field = Paragraph::new()
            .add_run(
                Run::new()
                    .add_field_char(FieldCharType::Begin, true)
                    .add_instr_text(InstrText::TOC(
                        InstrToC::new().heading_styles_range(1, 3).hyperlink(),
                    ))
                    .add_field_char(FieldCharType::Separate, false),
            )
            .add_run(run(pending).italic().color(GREY))
            .add_run(Run::new().add_field_char(FieldCharType::End, false));
        self.push(field);
    }

    /// Inline runs: bold, italic, cross-references as their text, footnotes as Word's.
    fn runs(&mut self, mut paragraph: Paragraph, runs: &[Inline]) -> Paragraph {
        for inline in runs {
            paragraph = match inline {
                Inline::Text { text } | Inline::Ref { text, .. } => {
                    self.text.push_str(text);
                    paragraph.add_run(run(text))
                }
                Inline::Strong { text } => {
                    self.text.push_str(text);
                    paragraph.add_run(run(text).bold())
                }
                Inline::Emph { text } => {
                    self.text.push_str(text);
                    paragraph.add_run(run(text).italic())
                }
                Inline::Footnote { body } => {
                    let note = self.footnote(body);
                    paragraph.add_run(Run::new().add_footnote_reference(note))
                }
            };
        }
        self.text.push('\n');
        paragraph
    }

    fn footnote(&mut self, body: &[Inline]) -> Footnote {
        self.notes += 1;
        let content = self.runs(
            Paragraph::new()
                .style("FootnoteText")
                .add_run(run(FOOTNOTE_NUMBER).style("FootnoteReference"))
                .add_run(run(" ")),
            body,
        );
        Footnote {
            id: self.notes,
            content: vec![content],
        }
    }

    fn bullets(&mut self, items: &[Vec<Inline>]) {
        for item in items {
            let paragraph = Paragraph::new()
                .style("ListParagraph")
                .numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
            let paragraph = self.runs(paragraph, item);
            self.push(paragraph);
        }
    }

    fn block(&mut self, block: &Content) -> Result<(), Diagnostic> {
        match block {
            Content::Subheading { text, .. } => {
                let heading = self.heading(2, text);
                self.push(heading);
            }
            Content::Paragraph { number, runs } => self.paragraph(number.as_deref(), runs),
            Content::List { items } => self.bullets(items),
            Content::Quote { runs } => {
                let quote = Paragraph::new().style("Quote");
                let quote = self.runs(quote, runs);
                self.push(quote);
            }
            Content::Question {
                text,
                choices,
                chart,
                table,
                table_caption,
            } => self.question(
                text,
                choices,
                chart.as_ref(),
                table.as_deref(),
                table_caption.as_deref(),
            )?,
            Content::Table {
                caption,
                header,
                rows,
                footer,
                note,
            } => self.table(caption, note.as_deref(), header, rows, footer, &[]),
            Content::ActionPlan {
                caption,
                header,
                rows,
            } => {
                let (cells, rags) = crate::document::ActionRow::table(rows);
                let widths = self.plan_widths(header);
                self.table_of(caption, None, header, (&cells, &[]), &rags, widths);
            }
            Content::Chart { figure } => self.figure(figure)?,
            Content::Finding {
                title,
                runs,
                challenge_title,
                challenge,
                ..
            } => self.finding(title, runs, challenge_title, challenge),
            Content::PageHeading { text, new_page } => {
                let heading = self.heading(3, text).page_break_before(*new_page);
                self.push(heading);
            }
            Content::TemplateQuestion {
                number,
                text,
                items,
                options,
                comments,
                note,
            } => self.template_question(number, text, items, options, *comments, note.as_deref()),
        }
        Ok(())
    }

    /// A paragraph of prose, numbered where the document numbers it (its number hanging).
    fn paragraph(&mut self, number: Option<&str>, runs: &[Inline]) {
        let paragraph = match number {
            Some(number) => {
                self.text.push_str(number);
                self.text.push(' ');
                hanging(self.number_tab, self.number_tab).add_run(run(number).add_tab())
            }
            None if self.aligned => {
                Paragraph::new().indent(Some(self.number_tab), None, None, None)
            }
            None => Paragraph::new(),
        };
        // A paragraph ending in a colon (or the older ":-") introduces what follows, and one
        // all in bold heads it (a question over its comments): kept with it.
        let introduces = matches!(runs.last(), Some(Inline::Text { text })
            if text.trim_end().ends_with(':') || text.trim_end().ends_with(":-"))
            || matches!(runs, [Inline::Strong { .. }]);
        let paragraph = self.runs(paragraph, runs).keep_next(introduces);
        self.push(paragraph);
    }

    /// A question of the audit: its wording, its options and its chart, with the figures
    /// under it where the edition prints them.
    fn question(
        &mut self,
        text: &str,
        choices: &[String],
        chart: Option<&Figure>,
        table: Option<&[[String; 3]]>,
        table_caption: Option<&str>,
    ) -> Result<(), Diagnostic> {
        let heading = self.heading(3, text);
        self.push(heading);
        // The question, its options and its chart stay on one page together.
        for choice in choices {
            let choice = self
                .plain(choice)
                .style("Choice")
                .keep_next(chart.is_some());
            self.push(choice);
        }
        if let Some(figure) = chart {
            self.figure(figure)?;
        }
        if let (Some(rows), Some(caption)) = (table, table_caption) {
            let header = self.document.chart_table_header.clone();
            let rows: Vec<Vec<String>> = rows.iter().map(|r| r.to_vec()).collect();
            self.table(caption, None, &header, &rows, &[], &[]);
        }
        Ok(())
    }

    /// A question of the collection template, with boxes to tick and room for comments.
    fn template_question(
        &mut self,
        number: &str,
        text: &str,
        items: &[String],
        options: &[String],
        comments: bool,
        note: Option<&str>,
    ) {
        let question = format!("{number} {text}");
        self.text.push_str(&question);
        self.text.push('\n');
        self.push(
            Paragraph::new()
                .keep_next(true)
                .add_run(run(&question).bold()),
        );
        if let Some(note) = note {
            let note = self.plain(note);
            self.push(note.keep_next(true).style("LeadNote"));
        }
        let boxes = items.iter().map(|i| ("□", i));
        for (mark, choice) in boxes.chain(options.iter().map(|o| ("○", o))) {
            self.text.push_str(&format!("{mark} {choice}\n"));
            // A choice that wraps runs on under its words, its mark hanging.
            let hang = hanging(CHOICE_INDENT + MARK_HANG, MARK_HANG);
            self.push(
                hang.style("Choice")
                    .add_run(run_on(run(mark).add_tab(), choice)),
            );
        }
        if comments {
            let label = self.plain(&self.document.furniture.comments);
            self.push(label.style("Choice"));
        }
    }

    /// A chart as a picture at print resolution, its alt text as the description, and its
    /// caption under it.
    fn figure(&mut self, figure: &Figure) -> Result<(), Diagnostic> {
        let chart = self
            .charts
            .iter()
            .find(|c| c.id == figure.chart)
            .ok_or_else(|| Diagnostic::general(format!("Word: no chart `{}`", figure.chart)))?;
        let (png, (width, height)) = picture::png(&chart.svg, CHART_INCHES)
            .map_err(|e| Diagnostic::general(format!("chart `{}`: {e}", figure.chart)))?;
        self.pictures.push(figure.alt.clone());
        let emu = |pixels: u32| (pixels as f32 / picture::PRINT_DPI * EMU_PER_INCH) as u32;
        let picture = Pic::new_with_dimensions(png, width, height)
            .size(emu(width), emu(height))
            .id(format!("rIdImage{}", self.pictures.len()));
        self.push(
            Paragraph::new()
                .keep_next(true)
                .align(AlignmentType::Center)
                .add_run(Run::new().add_image(picture)),
        );
        self.figures += 1;
        let caption = self.caption(FIGURE, self.figures, &figure.caption);
        self.text.push('\n');
        self.push(caption);
        Ok(())
    }

    /// A caption, "Figure 3: …": its number a `SEQ` field, so Word keeps counting as the
    /// secretary adds or moves figures, with the number it has now as the field's result, so
    /// it shows before fields are updated. Kept as text, without its paragraph's end.
    fn caption(&mut self, kind: &str, number: usize, text: &str) -> Paragraph {
        self.text.push_str(&format!("{kind} {number}: {text}"));
        Paragraph::new()
            .style("Caption")
            .add_run(run(&format!("{kind} ")).bold())
            .add_run(
                Run::new()
                    .add_field_char(FieldCharType::Begin, false)
                    .add_instr_text(InstrText::Unsupported(format!(" SEQ {kind} \\* ARABIC ")))
                    .add_field_char(FieldCharType::Separate, false),
            )
            .add_run(run(&number.to_string()).bold())
            .add_run(Run::new().add_field_char(FieldCharType::End, false))
            .add_run(run(":").bold())
            .add_run(run(&format!(" {text}")))
    }

    fn table(
        &mut self,
        caption: &str,
        note: Option<&str>,
        header: &[String],
        rows: &[Vec<String>],
        footer: &[Vec<String>],
        rags: &[&str],
    ) {
        let widths = column_widths(header, rows, footer, type_size(header));
        self.table_of(caption, note, header, (rows, footer), rags, widths);
    }

    /// The columns of every action plan table under `header` in the document, measured
    /// together: one finding's table has the same columns as the next, as in the PDF.
    fn plan_widths(&self, header: &[String]) -> Vec<usize> {
        let mut all = Vec::new();
        for section in &self.document.sections {
            for block in &section.blocks {
                if let Content::ActionPlan {
                    header: theirs,
                    rows,
                    ..
                } = block
                    && theirs == header
                {
                    all.extend(crate::document::ActionRow::table(rows).0);
                }
            }
        }
        column_widths(header, &all, &[], type_size(header))
    }

    /// A table of `rows` above `footer` in columns `widths` wide (twips), each row's status
    /// on its colour where `rags` gives one.
    fn table_of(
        &mut self,
        caption: &str,
        note: Option<&str>,
        header: &[String],
        (rows, footer): (&[Vec<String>], &[Vec<String>]),
        rags: &[&str],
        widths: Vec<usize>,
    ) {
        self.table_title(caption, note);
        let size = type_size(header);
        // A short table stays whole and with its caption: every row's paragraphs but the
        // last are kept with the next (each row is also kept whole). A long one keeps its
        // caption, header and first row together, its last row with its totals, and breaks
        // between rows elsewhere.
        let whole = rows.len() <= 20;
        let keep = |r: usize| {
            if whole {
                r + 1 < rows.len() + footer.len()
            } else {
                r == 0 || (r + 1 == rows.len() && !footer.is_empty())
            }
        };
        let mut cells = Cells {
            widths: &widths,
            size,
            bold: true,
            keep_next: true,
            // The action plan is words throughout; elsewhere figures line up on the right.
            words: !rags.is_empty(),
        };
        let mut table_rows = vec![self.header_row(header, &cells)];
        cells.bold = false;
        for (r, row) in rows.iter().enumerate() {
            cells.keep_next = keep(r);
            table_rows.push(self.body_row(row, &cells, rags.get(r).copied()));
        }
        cells.bold = true;
        for (f, row) in footer.iter().enumerate() {
            cells.keep_next = f + 1 < footer.len();
            let done = self
                .row(row, &cells)
                .into_iter()
                .map(|cell| cell.set_borders(rule(TableCellBorderPosition::Top)))
                .collect();
            table_rows.push(TableRow::new(done).cant_split());
        }
        let table = Table::new(table_rows)
            .set_grid(widths.clone())
            .width(widths.iter().sum(), WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(TableBorders::with_empty());
        self.push_table(table);
        // Word runs a table straight into the next paragraph; a small gap, as in the PDF.
        self.push(Paragraph::new().style("AfterTable"));
    }

    /// A cover paper's details: each paragraph's bold label (less its colon) in a tinted
    /// cell beside its value, thin grey rules, the rows kept together (and each whole, but
    /// one taller than half a page). Any other block (none today) is written as it would
    /// be elsewhere, before the table.
    fn details(&mut self, blocks: &[Content]) {
        let label_width = 2381; // 4.2 cm, the PDF's
        let widths = vec![label_width, TEXT_WIDTH - label_width];
        let mut rows = Vec::new();
        for (i, block) in blocks.iter().enumerate() {
            let Content::Paragraph { runs, .. } = block else {
                let _ = self.block(block);
                continue;
            };
            let (label, value) = match runs.split_first() {
                Some((Inline::Strong { text }, value)) => {
                    (text.trim().trim_end_matches(':'), value)
                }
                _ => ("", &runs[..]),
            };
            let keep = i + 1 < blocks.len();
            self.text.push_str(label);
            self.text.push('\t');
            let label = Paragraph::new()
                .style("TableText")
                .keep_next(keep)
                .add_run(run(label).bold());
            let value = self.runs(Paragraph::new().style("TableText").keep_next(keep), value);
            let shade = Shading::new()
                .shd_type(ShdType::Clear)
                .color("auto")
                .fill(TINT);
            let row = TableRow::new(vec![
                TableCell::new()
                    .width(widths[0], WidthType::Dxa)
                    .shading(shade)
                    .add_paragraph(label),
                TableCell::new()
                    .width(widths[1], WidthType::Dxa)
                    .add_paragraph(value),
            ]);
            let value = runs_text(runs);
            rows.push(whole_unless_long(row, &[(&value, widths[1])], PAPER_BODY));
        }
        if rows.is_empty() {
            return;
        }
        let grey = |position| {
            TableBorder::new(position)
                .border_type(BorderType::Single)
                .size(4)
                .color("C8C8C8")
        };
        let mut borders = TableBorders::with_empty();
        for position in [
            TableBorderPosition::Top,
            TableBorderPosition::Left,
            TableBorderPosition::Bottom,
            TableBorderPosition::Right,
            TableBorderPosition::InsideH,
            TableBorderPosition::InsideV,
        ] {
            borders = borders.set(grey(position));
        }
        let table = Table::new(rows)
            .set_grid(widths.clone())
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(borders);
        self.push_table(table);
        self.push(Paragraph::new().style("AfterTable"));
    }

    /// A table's numbered caption, with its note as a footnote. A caption stays with its
    /// table (see the rows in [`Writer::table`]).
    fn table_title(&mut self, caption: &str, note: Option<&str>) {
        self.tables += 1;
        let mut title = self.caption(TABLE, self.tables, caption).keep_next(true);
        if let Some(note) = note {
            let note = self.footnote(&[Inline::Text {
                text: note.to_string(),
            }]);
            title = title.add_run(Run::new().add_footnote_reference(note));
        }
        self.text.push('\n');
        self.push(title);
    }

    /// A table's header: tinted, ruled below, never split, at least a row's height.
    fn header_row(&mut self, header: &[String], cells: &Cells) -> TableRow {
        let heading_cells = self
            .row(header, cells)
            .into_iter()
            .map(|cell| {
                cell.shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(TINT),
                )
                .set_borders(rule(TableCellBorderPosition::Bottom))
            })
            .collect();
        TableRow::new(heading_cells)
            .cant_split()
            .row_height(HEADER_ROW_TWIPS)
            .height_rule(HeightRule::AtLeast)
    }

    /// A row of a table's body; an action plan's row has its status's colour behind the
    /// status's words (`rag`, in its last cell).
    fn body_row(&mut self, row: &[String], cells: &Cells, rag: Option<&str>) -> TableRow {
        let done = self
            .row(row, cells)
            .into_iter()
            .enumerate()
            .map(|(i, cell)| match rag.filter(|_| i + 1 == row.len()) {
                Some(rag) => cell.shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(rag_fill(rag)),
                ),
                None => cell,
            })
            .collect();
        let texts: Vec<(&str, usize)> = row
            .iter()
            .enumerate()
            .map(|(i, text)| (text.as_str(), cells.widths[i.min(cells.widths.len() - 1)]))
            .collect();
        whole_unless_long(TableRow::new(done), &texts, cells.size)
    }

    /// One row's cells, each a paragraph in the table's type; kept as text, a tab between
    /// cells.
    fn row(&mut self, texts: &[String], cells: &Cells) -> Vec<TableCell> {
        let n = cells.widths.len();
        let row = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                self.text.push_str(text);
                self.text.push('\t');
                let column = i.min(n - 1);
                let mut words = run(text).size(cells.size);
                if cells.bold {
                    words = words.bold();
                }
                // Words read left to right; figures line up on the right.
                let align = if column == 0 || cells.words {
                    AlignmentType::Left
                } else {
                    AlignmentType::Right
                };
                let paragraph = Paragraph::new()
                    .style("TableText")
                    .align(align)
                    .keep_next(cells.keep_next)
                    .add_run(words);
                TableCell::new()
                    .width(cells.widths[column], WidthType::Dxa)
                    .add_paragraph(paragraph)
            })
            .collect();
        self.text.push('\n');
        row
    }

    /// A finding and its challenge in a shaded box with the accent rule at its left.
    fn finding(
        &mut self,
        title: &str,
        runs: &[Inline],
        challenge_title: &str,
        challenge: &[Vec<Inline>],
    ) {
        self.text.push_str(title);
        self.text.push_str(": ");
        let statement = Paragraph::new().add_run(run(&format!("{title}: ")).bold().color(ACCENT));
        let statement = self.runs(statement, runs);
        let heading = Paragraph::new()
            .keep_next(true)
            .add_run(run(challenge_title).bold());
        self.text.push_str(challenge_title);
        self.text.push('\n');
        let mut cell = TableCell::new()
            .width(TEXT_WIDTH, WidthType::Dxa)
            .shading(
                Shading::new()
                    .shd_type(ShdType::Clear)
                    .color("auto")
                    .fill(TINT),
            )
            .set_borders(
                TableCellBorders::with_empty().set(
                    TableCellBorder::new(TableCellBorderPosition::Left)
                        .border_type(BorderType::Single)
                        .size(24)
                        .color(ACCENT),
                ),
            )
            .add_paragraph(statement)
            .add_paragraph(heading);
        for item in challenge {
            let bullet = Paragraph::new()
                .style("ListParagraph")
                .numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
            cell = cell.add_paragraph(self.runs(bullet, item));
        }
        let mut words = format!("{title}: {}\n{challenge_title}", runs_text(runs));
        for item in challenge {
            words.push('\n');
            words.push_str(&runs_text(item));
        }
        let row = whole_unless_long(TableRow::new(vec![cell]), &[(&words, TEXT_WIDTH)], BODY);
        let table = Table::new(vec![row])
            .set_grid(vec![TEXT_WIDTH])
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(TableBorders::with_empty());
        self.push_table(table);
        self.push(Paragraph::new().style("AfterTable"));
    }
}

/// A paragraph whose text starts `indent` from the margin, its first line `hang` before
/// that, with a tab stop where the text starts (Word's implicit stop at a hanging indent
/// is not one every reader honours).
fn hanging(indent: i32, hang: i32) -> Paragraph {
    Paragraph::new()
        .indent(
            Some(indent),
            Some(SpecialIndentType::Hanging(hang)),
            None,
            None,
        )
        .add_tab(
            Tab::new()
                .val(TabValueType::Left)
                .pos(indent.max(0) as usize),
        )
}

/// Where a numbered paragraph's text starts, twips: past the widest number in the document
/// ("2.1.10") at the body size, in a face up to 30 % wider than Calibri, and a gap;
/// never nearer than the PDF's 1.35 cm.
fn number_tab(document: &Document) -> i32 {
    let widest = document
        .sections
        .iter()
        .flat_map(|section| &section.blocks)
        .filter_map(|block| match block {
            Content::Paragraph {
                number: Some(number),
                ..
            } => Some(ems(number, false)),
            _ => None,
        })
        .fold(0.0, f64::max);
    if widest == 0.0 {
        // (a paper without numbered paragraphs: bullets and quotes from the margin)
        return 0;
    }
    let needed = (widest * WIDER_FACE + NUMBER_GAP) * BODY as f64 * 10.0;
    HANG.max(needed.ceil() as i32)
}

/// How the cells of a table row are set.
struct Cells<'w> {
    /// Each column's width, twips.
    widths: &'w [usize],
    /// The type size, half-points.
    size: usize,
    bold: bool,
    /// Kept on the page of the next row.
    keep_next: bool,
    /// Every column is words, set flush left.
    words: bool,
}

/// The type size of a table under `header`, half-points: wide tables (answers by agency,
/// the action plan) use smaller type, as in the PDF.
fn type_size(header: &[String]) -> usize {
    if header.len() > 3 { 16 } else { 21 }
}

/// A cell this short ("On track", "Not started", "2014-07-31") is never wrapped.
const WHOLE_CELL: usize = 12;
/// Word's cell margins, left and right together (0.19 cm each), twips.
const CELL_MARGINS: f64 = 216.0;
/// A machine without Calibri or Carlito sets the text in a wider face (DejaVu Sans,
/// LibreOffice's usual stand-in, is up to 30 % wider: "Safeguarding", and its bold more),
/// so widths allow for that.
const WIDER_FACE: f64 = 1.3;
const WIDER_BOLD: f64 = 1.4;

/// The width of `text` in ems of Carlito, which has Calibri's metrics (kerning aside); a
/// character Carlito lacks counts as 0.6 em.
fn ems(text: &str, bold: bool) -> f64 {
    crate::fonts::carlito_ems(text, bold).unwrap_or_else(|| 0.6 * text.chars().count() as f64)
}

/// The width `text` takes at `half_points`, twips, allowing for a wider face.
fn twips(text: &str, bold: bool, half_points: usize) -> f64 {
    // an em is the type size: half-points × 10 twips
    let wider = if bold { WIDER_BOLD } else { WIDER_FACE };
    ems(text, bold) * half_points as f64 * 10.0 * wider
}

/// Each column's width, twips. Where every column fits as wide as its longest cell, it is
/// that wide (as the PDF's columns are); otherwise each is at least as wide as its longest
/// word (or a short cell whole), so no word is broken, and the width to spare goes to the
/// columns whose text makes the rows tall ([`share_spare`]).
fn column_widths(
    header: &[String],
    rows: &[Vec<String>],
    footer: &[Vec<String>],
    half_points: usize,
) -> Vec<usize> {
    let n = header.len().max(1);
    let mut word = vec![0.0_f64; n];
    let mut whole = vec![0.0_f64; n];
    let mut cells = Vec::new();
    // (a heading wraps at its words, "Lead / agency", as in the PDF: kept whole, the
    // headings' widths left the action's words a narrow column)
    let all = std::iter::once((header, true, true))
        .chain(rows.iter().map(|r| (r.as_slice(), false, false)))
        .chain(footer.iter().map(|r| (r.as_slice(), true, false)));
    for (row, bold, heading) in all {
        let mut line = Vec::new();
        for (i, text) in row.iter().enumerate() {
            let column = i.min(n - 1);
            let width = twips(text, bold, half_points) + CELL_MARGINS;
            let longest = if !heading && text.chars().count() <= WHOLE_CELL {
                width
            } else {
                let words = text.split_whitespace().map(|w| twips(w, bold, half_points));
                words.fold(0.0, f64::max) + CELL_MARGINS
            };
            word[column] = word[column].max(longest);
            whole[column] = whole[column].max(width);
            line.push((column, width));
        }
        cells.push(line);
    }
    let room = TEXT_WIDTH as f64;
    let twips = |widths: Vec<f64>| widths.into_iter().map(|w| w.floor() as usize).collect();
    if whole.iter().sum::<f64>() <= room {
        return twips(whole);
    }
    let least: f64 = word.iter().sum();
    if least >= room {
        // Some word must break: every column short of its longest word alike.
        return twips(word.iter().map(|w| w * room / least).collect());
    }
    twips(share_spare(word, &cells, room))
}

/// Widening by this much at a time (twips), the spare width goes to the column whose words
/// make the rows tallest, until none is left: the table is about as short as its columns
/// allow. `cells` is each row's cells, each with its column and its width on one line.
fn share_spare(mut widths: Vec<f64>, cells: &[Vec<(usize, f64)>], room: f64) -> Vec<f64> {
    const STEP: f64 = 20.0;
    let mut spare = room - widths.iter().sum::<f64>();
    while spare >= STEP {
        // Lines a cell takes, roughly; each row is as tall as its tallest cell.
        let lines = |&(column, width): &(usize, f64), widths: &[f64]| {
            (width - CELL_MARGINS).max(0.0) / (widths[column] - CELL_MARGINS).max(1.0)
        };
        let mut tallness = vec![0.0_f64; widths.len()];
        for row in cells {
            let tallest = row.iter().map(|c| lines(c, &widths)).fold(0.0, f64::max);
            for cell in row.iter().filter(|c| lines(c, &widths) >= tallest) {
                tallness[cell.0] += lines(cell, &widths);
            }
        }
        let Some((column, _)) = tallness
            .iter()
            .enumerate()
            .filter(|(_, t)| **t > 1.0)
            .max_by(|a, b| a.1.total_cmp(b.1))
        else {
            break;
        };
        widths[column] += STEP;
        spare -= STEP;
    }
    // What is left over (every row on one line, or less than a step) goes to the first
    // column, the one that names the row.
    if let Some(first) = widths.first_mut() {
        *first += spare.max(0.0);
    }
    widths
}

/// The light fill behind a status of this colour (dark text stays legible on each).
fn rag_fill(rag: &str) -> &'static str {
    match rag {
        "red" => "F4CCCC",
        "amber" => "FCE5CD",
        "green" => "D9EAD3",
        _ => "E6E6E6",
    }
}

/// `row` kept whole on one page, unless one of its cells (its text and width in twips, at
/// `half_points`) could be taller than half a page: Word (and LibreOffice) clips a row that
/// cannot split and is taller than the page, losing its words. (Half, for the estimate's
/// sake: half an em a character, 1.2 ems a line.)
fn whole_unless_long(row: TableRow, cells: &[(&str, usize)], half_points: usize) -> TableRow {
    let em = half_points as f64 * 10.0;
    let tall = |(text, width): &(&str, usize)| {
        let per_line = (*width as f64 / (0.5 * em)).max(1.0);
        let lines: f64 = text
            .split('\n')
            .map(|line| (line.chars().count() as f64 / per_line).ceil().max(1.0))
            .sum();
        lines * 1.2 * em > f64::from(PAGE.1 - 1644 - 1531) / 2.0
    };
    if cells.iter().any(tall) {
        row
    } else {
        row.cant_split()
    }
}

/// The text of `runs`, as printed.
fn runs_text(runs: &[Inline]) -> String {
    runs.iter()
        .map(|inline| match inline {
            Inline::Text { text }
            | Inline::Ref { text, .. }
            | Inline::Strong { text }
            | Inline::Emph { text } => text.as_str(),
            Inline::Footnote { .. } => "",
        })
        .collect()
}

/// A thin accent rule on one side of a cell.
fn rule(side: TableCellBorderPosition) -> TableCellBorders {
    TableCellBorders::with_empty().set(
        TableCellBorder::new(side)
            .border_type(BorderType::Single)
            .size(6)
            .color(ACCENT),
    )
}

/// Stands where a footnote's own number goes; [`package`] makes it Word's number mark.
const FOOTNOTE_NUMBER: &str = "\u{E000}";

fn paragraph_style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
}

/// The page, the fonts and every style the document uses, its header and footer.
fn setup(document: &Document) -> Word {
    // A cover paper or briefing is set as its PDF is, a size smaller and closer than the
    // report, so that the two-page paper is two pages in Word too.
    let paper = matches!(
        document.kind,
        crate::edition::Kind::Cover | crate::edition::Kind::Briefing
    );
    // The briefing, one page in its PDF's two columns, has the PDF's narrower margins and
    // type (1.7 cm and 2 cm, 10.5 pt) in its one column.
    let briefing = document.kind == crate::edition::Kind::Briefing;
    // Quotes and bullets line up with the numbered paragraphs' text.
    let text_start = number_tab(document);
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    let word = Word::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(if briefing { 1134 } else { 1644 })
                .bottom(if briefing { 1134 } else { 1531 })
                .left(if briefing { 964 } else { MARGIN_X })
                .right(if briefing { 964 } else { MARGIN_X })
                .header(708)
                .footer(708),
        )
        .default_fonts(fonts)
        .default_size(match (briefing, paper) {
            (true, _) => PAPER_BODY - 1,
            (false, true) => PAPER_BODY,
            (false, false) => BODY,
        })
        .default_line_spacing(
            docx_rs::LineSpacing::new()
                .after(if paper { 120 } else { 160 })
                .line(if paper { 252 } else { 264 })
                .line_rule(docx_rs::LineSpacingType::Auto),
        );
    styles(text_start, paper)
        .into_iter()
        .fold(word, |word, style| word.add_style(style))
        .add_abstract_numbering(bullets(text_start))
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .header(page_header(document, true))
        .first_header(page_header(document, false))
        .footer(page_footer(document, true))
        .first_footer(page_footer(document, false))
}

/// Every style the writer names, in the order Word lists them; quotes are indented to
/// `text_start`, where the numbered paragraphs' text starts.
fn styles(text_start: i32, paper: bool) -> Vec<Style> {
    let mut footnote_number =
        Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    footnote_number.run_property = footnote_number
        .run_property
        .vert_align(VertAlignType::SuperScript);
    let mut quote = paragraph_style("Quote", "Quote").italic();
    quote.paragraph_property =
        quote
            .paragraph_property
            .indent(Some(text_start.max(QUOTE_INDENT)), None, Some(454), None);
    let mut choice = paragraph_style("Choice", "Choice").size(21);
    choice.paragraph_property = choice
        .paragraph_property
        .indent(Some(170), None, None, None);
    let spacing = docx_rs::LineSpacing::new;
    vec![
        if paper {
            spaced(
                heading_style(1, 26),
                docx_rs::LineSpacing::new().before(160).after(40),
            )
        } else {
            heading_style(1, 34)
        },
        heading_style(2, 26),
        heading_style(3, 24),
        paragraph_style("Title", "Title")
            .bold()
            .size(if paper { 36 } else { 48 })
            .color(ACCENT),
        paragraph_style("Cover", "Cover line").size(26),
        paragraph_style("ContentsTitle", "TOC Heading")
            .bold()
            .size(34)
            .color(ACCENT),
        paragraph_style("FootnoteText", "footnote text").size(18),
        footnote_number,
        quote,
        choice,
        spaced(
            paragraph_style("ListParagraph", "List Paragraph"),
            spacing().after(if paper { 40 } else { 80 }),
        ),
        spaced(
            paragraph_style("AfterTable", "After table").size(8),
            spacing().after(0),
        ),
        spaced(
            paragraph_style("TableText", "Table text"),
            spacing().before(40).after(40),
        ),
        spaced(
            paragraph_style("Caption", "caption").size(21),
            spacing().before(80).after(200),
        ),
        paragraph_style("LeadNote", "Note for the lead")
            .italic()
            .color(ACCENT),
        paragraph_style("Footer", "footer").size(17).color(GREY),
    ]
}

/// A heading's style: bold in the accent colour, kept with what follows, more space above
/// the higher its level; its outline level makes Word's navigation pane list it.
fn heading_style(level: usize, half_points: usize) -> Style {
    let mut style = paragraph_style(&format!("Heading{level}"), &format!("heading {level}"))
        .bold()
        .size(half_points)
        .color(ACCENT)
        .outline_lvl(level - 1);
    style.paragraph_property = style.paragraph_property.keep_next(true).line_spacing(
        docx_rs::LineSpacing::new()
            .before(240 + 120 * (3 - level as u32))
            .after(160),
    );
    style
}

/// `style` with its own space around it.
fn spaced(mut style: Style, spacing: docx_rs::LineSpacing) -> Style {
    style.paragraph_property = style.paragraph_property.line_spacing(spacing);
    style
}

/// The list bullets: hanging, their text in line with the numbered paragraphs' text.
fn bullets(text_start: i32) -> AbstractNumbering {
    AbstractNumbering::new(BULLETS).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("•"),
            LevelJc::new("left"),
        )
        .indent(
            Some(text_start + 340),
            Some(SpecialIndentType::Hanging(340)),
            None,
            None,
        ),
    )
}

fn marking(document: &Document) -> Option<Paragraph> {
    document.marking.as_ref().map(|marking| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(marking).bold().size(18))
    })
}

/// The marking, and after the cover the running header (and DRAFT on a draft).
fn page_header(document: &Document, running: bool) -> Header {
    let mut header = Header::new();
    if let Some(marking) = marking(document) {
        header = header.add_paragraph(marking);
    }
    if document.draft {
        header = header.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(run(&document.furniture.draft).bold().size(28).color(GREY)),
        );
    }
    if running {
        header = header
            .add_paragraph(Paragraph::new().add_run(run(&document.header).size(17).color(GREY)));
    }
    header
}

/// After the cover, "Page N of M" with both numbers as fields; and the marking.
fn page_footer(document: &Document, numbered: bool) -> Footer {
    let mut footer = Footer::new();
    if numbered {
        // (the style sizes the page-number fields too, which take no run properties)
        let small = run;
        let template = &document.furniture.page_number;
        let (before, rest) = template.split_once("{{page}}").unwrap_or((template, ""));
        let (between, after) = rest.split_once("{{pages}}").unwrap_or((rest, ""));
        let line = Paragraph::new()
            .style("Footer")
            .align(AlignmentType::Center)
            .add_run(small(before))
            .add_page_num(PageNum::new())
            .add_run(small(between))
            .add_num_pages(NumPages::new())
            .add_run(small(after));
        footer = footer.add_paragraph(line);
    }
    if let Some(marking) = marking(document) {
        footer = footer.add_paragraph(marking);
    }
    footer
}

/// `text` with the characters XML gives meaning to escaped.
fn xml_escape(text: &str) -> String {
    super::html::escape(text)
}

/// The parts docx-rs built, completed where it leaves things out, zipped with fixed dates.
fn package(word: Word, document: &Document, pictures: &[String]) -> Result<Vec<u8>, String> {
    let (year, month, day) = (
        document.date.year(),
        u8::from(document.date.month()),
        document.date.day(),
    );
    let date = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
    let parts = word.created_at(&date).updated_at(&date).build();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).map_err(|e| e.to_string());
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let core = core_properties(document, &date);
    let body = text(parts.document)?;
    let body_out = with_pictures_described(&body, pictures);
    let settings = text(parts.settings)?.replacen(
        "<w:compat>",
        r#"<w:updateFields w:val="true" /><w:compat>"#,
        1,
    );
    let footnotes = footnotes_part(&text(parts.footnotes)?);
    // Word's parts, their children in the schema's order (see the module's notes).
    let word_part = |xml: &str| schema_order(&without_para_ids(xml)).into_bytes();
    // The theme docx-rs leaves out: Word expects one, and the file names it.
    let content_types = text(parts.content_type)?.replacen(
        "</Types>",
        r#"<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml" /></Types>"#,
        1,
    );
    let document_rels = text(parts.document_rels)?.replacen(
        "</Relationships>",
        r#"<Relationship Id="rIdTheme1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml" /></Relationships>"#,
        1,
    );
    files.push(("[Content_Types].xml".into(), content_types.into_bytes()));
    files.push(("_rels/.rels".into(), parts.rels));
    files.push(("docProps/app.xml".into(), parts.doc_props.app));
    files.push(("docProps/core.xml".into(), core.into_bytes()));
    files.push(("docProps/custom.xml".into(), parts.doc_props.custom));
    files.push((
        "word/_rels/document.xml.rels".into(),
        document_rels.into_bytes(),
    ));
    files.push(("word/document.xml".into(), word_part(&body_out)));
    files.push(("word/styles.xml".into(), word_part(&text(parts.styles)?)));
    files.push(("word/settings.xml".into(), word_part(&settings)));
    files.push(("word/theme/theme1.xml".into(), THEME.as_bytes().to_vec()));
    files.push(("word/fontTable.xml".into(), parts.font_table));
    files.push(("word/comments.xml".into(), parts.comments));
    files.push((
        "word/numbering.xml".into(),
        word_part(&text(parts.numberings)?),
    ));
    files.push(("word/commentsExtended.xml".into(), parts.comments_extended));
    files.push(("word/footnotes.xml".into(), word_part(&footnotes)));
    for (i, header) in parts.headers.into_iter().enumerate() {
        files.push((
            format!("word/header{}.xml", i + 1),
            word_part(&text(header)?),
        ));
        if let Some(rels) = parts.header_rels.get(i) {
            files.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, footer) in parts.footers.into_iter().enumerate() {
        files.push((
            format!("word/footer{}.xml", i + 1),
            word_part(&text(footer)?),
        ));
        if let Some(rels) = parts.footer_rels.get(i) {
            files.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (id, bytes) in parts.media {
        files.push((format!("word/media/{id}.png"), bytes));
    }
    zipped(files, document.date)
}

/// The document's core properties: its title, author and language, and the audit's date as
/// its dates, so the same inputs give the same bytes.
fn core_properties(document: &Document, date: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy><dc:language>{}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        xml_escape(&document.title),
        xml_escape(&document.author),
        xml_escape(&document.author),
        xml_escape(&document.lang),
    )
}

/// The body with each picture given its own id and its description (docx-rs writes one
/// fixed `docPr`), and each table's header row repeated on every page (docx-rs has no
/// `tblHeader`).
fn with_pictures_described(body: &str, pictures: &[String]) -> String {
    let fixed = r#"<wp:docPr id="1" name="Figure" />"#;
    let mut pieces = body.split(fixed);
    let mut body_out = pieces.next().unwrap_or_default().to_string();
    for (i, piece) in pieces.enumerate() {
        let alt = pictures.get(i).map(String::as_str).unwrap_or_default();
        body_out.push_str(&format!(
            r#"<wp:docPr id="{}" name="Chart {}" descr="{}" />"#,
            i + 1,
            i + 1,
            xml_escape(alt)
        ));
        body_out.push_str(piece);
    }
    let marker = format!(r#"<w:trHeight w:val="{HEADER_ROW_TWIPS}" w:hRule="atLeast" />"#);
    body_out.replace(&marker, &format!("{marker}<w:tblHeader />"))
}

/// The parts zipped, each dated the audit's `date` (`zip` takes years 1980 to 2107 only).
fn zipped(files: Vec<(String, Vec<u8>)>, date: time::Date) -> Result<Vec<u8>, String> {
    let (year, month, day) = (date.year(), u8::from(date.month()), date.day());
    let when = zip::DateTime::from_date_and_time(
        u16::try_from(year.clamp(1980, 2107)).unwrap_or(1980),
        month,
        day,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(when)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The footnotes part with Word's number mark in each note and the separators Word expects.
fn footnotes_part(xml: &str) -> String {
    let xml = xml.replace(
        &format!(r#"<w:t xml:space="preserve">{FOOTNOTE_NUMBER}</w:t>"#),
        "<w:footnoteRef />",
    );
    let Some(at) = xml.find("<w:footnotes") else {
        return xml;
    };
    let Some(end) = xml[at..].find('>').map(|e| at + e + 1) else {
        return xml;
    };
    if xml[..end].ends_with("/>") {
        return xml;
    }
    let separators = r#"<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto" /></w:pPr><w:r><w:separator /></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto" /></w:pPr><w:r><w:continuationSeparator /></w:r></w:p></w:footnote>"#;
    format!("{}{separators}{}", &xml[..end], &xml[end..])
}

/// `xml` without the optional `w14:paraId` attributes, which docx-rs numbers from a counter
/// that runs on through a process (two builds in one process would differ).
fn without_para_ids(xml: &str) -> String {
    let attribute = r#" w14:paraId=""#;
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(at) = rest.find(attribute) {
        out.push_str(&rest[..at]);
        let value = &rest[at + attribute.len()..];
        rest = value.find('"').map_or("", |end| &value[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// The document's theme: Word expects the part (a file without one is reported as broken).
/// Colours and fonts match the report's own; nothing in the document refers to the theme.
const THEME: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Audit report"><a:themeElements>"#,
    r#"<a:clrScheme name="Audit report">"#,
    r#"<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>"#,
    r#"<a:dk2><a:srgbClr val="1F2A33"/></a:dk2><a:lt2><a:srgbClr val="EEF4F9"/></a:lt2>"#,
    r#"<a:accent1><a:srgbClr val="005A8C"/></a:accent1><a:accent2><a:srgbClr val="5A5A5A"/></a:accent2>"#,
    r#"<a:accent3><a:srgbClr val="D9EAD3"/></a:accent3><a:accent4><a:srgbClr val="FCE5CD"/></a:accent4>"#,
    r#"<a:accent5><a:srgbClr val="F4CCCC"/></a:accent5><a:accent6><a:srgbClr val="E6E6E6"/></a:accent6>"#,
    r#"<a:hlink><a:srgbClr val="005A8C"/></a:hlink><a:folHlink><a:srgbClr val="5A3C8C"/></a:folHlink>"#,
    r#"</a:clrScheme>"#,
    r#"<a:fontScheme name="Audit report">"#,
    r#"<a:majorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>"#,
    r#"<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>"#,
    r#"</a:fontScheme>"#,
    r#"<a:fmtScheme name="Audit report">"#,
    r#"<a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>"#,
    r#"<a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>"#,
    r#"<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>"#,
    r#"<a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst>"#,
    r#"</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#,
);

/// Paragraph properties (`CT_PPr`), in the schema's order.
#[rustfmt::skip]
const PARAGRAPH_PROPERTIES: &[&str] = &[
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
];

/// Run properties (`CT_RPr`, and a paragraph mark's `CT_ParaRPr` with its revision marks
/// first), in the schema's order.
#[rustfmt::skip]
const RUN_PROPERTIES: &[&str] = &[
    "ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps",
    "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof",
    "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
    "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang",
    "eastAsianLayout", "specVanish", "oMath", "rPrChange",
];

/// Section properties (`CT_SectPr`): header and footer references first, in any order
/// among themselves (they share a rank), then the rest in the schema's order.
#[rustfmt::skip]
const SECTION_PROPERTIES: &[&str] = &[
    "headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
];

/// A style (`CT_Style`), in the schema's order.
#[rustfmt::skip]
const STYLE: &[&str] = &[
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority",
    "semiHidden", "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose",
    "personalReply", "rsid", "pPr", "rPr", "tblPr", "trPr", "tcPr", "tblStylePr",
];

/// A numbering level (`CT_Lvl`), in the schema's order.
#[rustfmt::skip]
const LEVEL: &[&str] = &[
    "start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId",
    "legacy", "lvlJc", "pPr", "rPr",
];

/// Table properties (`CT_TblPr`), in the schema's order.
#[rustfmt::skip]
const TABLE_PROPERTIES: &[&str] = &[
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
    "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
    "tblLook", "tblCaption", "tblDescription", "tblPrChange",
];

/// Table cell properties (`CT_TcPr`), in the schema's order.
#[rustfmt::skip]
const CELL_PROPERTIES: &[&str] = &[
    "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
    "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
    "cellMerge", "tcPrChange",
];

/// Document settings (`CT_Settings`), in the schema's order.
#[rustfmt::skip]
const SETTINGS: &[&str] = &[
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
    "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
    "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
    "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
    "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
    "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
    "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle", "defaultTableStyle",
    "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
    "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
    "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
    "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
    "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator",
];

/// The schema's sequence for the children of a WordprocessingML element (its name without
/// the `w:` prefix), where it fixes one and docx-rs departs from it.
fn sequence(element: &str) -> Option<&'static [&'static str]> {
    Some(match element {
        "pPr" => PARAGRAPH_PROPERTIES,
        "rPr" => RUN_PROPERTIES,
        "sectPr" => SECTION_PROPERTIES,
        "style" => STYLE,
        "lvl" => LEVEL,
        "numPr" => &["ilvl", "numId", "numberingChange", "ins"],
        "tblPr" => TABLE_PROPERTIES,
        "tcPr" => CELL_PROPERTIES,
        "settings" => SETTINGS,
        _ => return None,
    })
}

/// Where `child` stands in `sequence`; anything the sequence does not name goes last, in
/// the order it came.
fn rank(sequence: &[&str], child: &str) -> usize {
    let local = child.strip_prefix("w:").unwrap_or(child);
    sequence
        .iter()
        .position(|names| names.split('|').any(|name| name == local))
        .unwrap_or(sequence.len())
}

/// An element being read: its start tag, its name, and its children so far (each with its
/// name, or `None` for text), each already written out.
struct Open<'a> {
    tag: String,
    name: &'a str,
    children: Vec<(Option<&'a str>, String)>,
}

impl Open<'_> {
    /// The element written out, its children in the schema's order.
    fn close(self, end: &str) -> String {
        let mut children = self.children;
        let local = self.name.strip_prefix("w:");
        if let Some(sequence) = local.and_then(sequence)
            && children.iter().all(|(name, _)| name.is_some())
        {
            // docx-rs opens every `pPr` with an empty `rPr`: it says nothing, and in a
            // style's or numbering level's `pPr` the schema has no place for it at all.
            if local == Some("pPr") {
                children.retain(|(name, xml)| !(*name == Some("w:rPr") && xml == "<w:rPr />"));
            }
            children.sort_by_key(|(name, _)| rank(sequence, name.unwrap_or_default()));
        }
        let mut out = self.tag;
        for (_, child) in children {
            out.push_str(&child);
        }
        out.push_str(end);
        out
    }
}

/// The XML of one of Word's parts, as docx-rs wrote it, with the children of each element
/// whose order the schema fixes ([`sequence`]) put in that order, no empty `rPr` in a
/// paragraph's properties, and no `type` on grid columns (the schema declares only their
/// width). Text, attributes and everything else are kept as they are.
///
/// This reads the XML docx-rs writes (no DTD, comments or CDATA inside elements; every `<`
/// in text escaped), not any XML.
fn schema_order(xml: &str) -> String {
    // The document itself, as the outermost "element" (never reordered).
    let mut stack = vec![Open {
        tag: String::new(),
        name: "",
        children: Vec::new(),
    }];
    let mut rest = xml;
    while !rest.is_empty() {
        let Some(start) = rest.find('<') else {
            push_child(&mut stack, None, rest.to_string());
            break;
        };
        if start > 0 {
            push_child(&mut stack, None, rest[..start].to_string());
        }
        rest = &rest[start..];
        let end = tag_end(rest);
        let tag = &rest[..end];
        rest = &rest[end..];
        if tag.starts_with("<?") || tag.starts_with("<!") {
            push_child(&mut stack, None, tag.to_string());
        } else if tag.starts_with("</") {
            if stack.len() > 1 {
                let element = stack.pop().expect("more than one open");
                let name = element.name;
                let written = element.close(tag);
                push_child(&mut stack, Some(name), written);
            } else {
                push_child(&mut stack, None, tag.to_string());
            }
        } else {
            let name = tag[1..]
                .split(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .next()
                .unwrap_or_default();
            let tag = if name == "w:gridCol" {
                without_attribute(tag, "w:type")
            } else {
                tag.to_string()
            };
            if tag.ends_with("/>") {
                push_child(&mut stack, Some(name), tag);
            } else {
                stack.push(Open {
                    tag,
                    name,
                    children: Vec::new(),
                });
            }
        }
    }
    // Elements left open (not in docx-rs's output) are written as they came.
    while stack.len() > 1 {
        let element = stack.pop().expect("more than one open");
        let name = element.name;
        let mut written = element.tag;
        for (_, child) in element.children {
            written.push_str(&child);
        }
        push_child(&mut stack, Some(name), written);
    }
    let document = stack.pop().expect("the document");
    document.children.into_iter().map(|(_, xml)| xml).collect()
}

fn push_child<'a>(stack: &mut [Open<'a>], name: Option<&'a str>, xml: String) {
    if let Some(parent) = stack.last_mut() {
        parent.children.push((name, xml));
    }
}

/// The length of the tag that `xml` starts with, up to its `>` outside quotes (or all of
/// `xml` if it never ends).
fn tag_end(xml: &str) -> usize {
    let mut quote = None;
    for (at, c) in xml.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return at + 1,
            _ => {}
        }
    }
    xml.len()
}

/// A start tag without the attribute `name` (its value in double quotes, as docx-rs writes).
fn without_attribute(tag: &str, name: &str) -> String {
    let attribute = format!(" {name}=\"");
    match tag.find(&attribute) {
        Some(at) => {
            let value = &tag[at + attribute.len()..];
            let after = value.find('"').map_or("", |end| &value[end + 1..]);
            format!("{}{after}", &tag[..at])
        }
        None => tag.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_is_a_break_and_nothing_is_lost() {
        use docx_rs::BuildXML;
        for text in [
            "one\ntwo\r\nthree\rfour",
            "one\r\ntwo\nthree\nfour",
            "one\u{2028}two\u{2029}three\nfour",
        ] {
            let xml = String::from_utf8(run(text).build()).unwrap();
            assert_eq!(xml.matches("<w:br").count(), 3, "{xml}");
            for word in ["one", "two", "three", "four"] {
                assert!(xml.contains(&format!(">{word}<")), "{word} in {xml}");
            }
            assert!(!xml.contains('\r') && !xml.contains('\n'), "{xml}");
        }
    }

    #[test]
    fn paragraph_ids_go_and_nothing_else() {
        assert_eq!(
            without_para_ids(r#"<w:p w14:paraId="00000A1" w:x="1"><w:t>a "b"</w:t></w:p>"#),
            r#"<w:p w:x="1"><w:t>a "b"</w:t></w:p>"#
        );
    }

    #[test]
    fn properties_are_put_in_the_schemas_order_and_nothing_else_changes() {
        // As docx-rs writes a numbered, styled paragraph kept with the next.
        let xml = r#"<?xml version="1.0"?><w:document><w:body><w:p><w:pPr><w:rPr /><w:pStyle w:val="A" /><w:numPr><w:numId w:val="2" /><w:ilvl w:val="0" /></w:numPr><w:jc w:val="left" /><w:ind w:left="1" /><w:keepNext /></w:pPr><w:r><w:rPr><w:sz w:val="21" /><w:b /></w:rPr><w:t xml:space="preserve">a &lt; b &gt; "c"</w:t></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            schema_order(xml),
            r#"<?xml version="1.0"?><w:document><w:body><w:p><w:pPr><w:pStyle w:val="A" /><w:keepNext /><w:numPr><w:ilvl w:val="0" /><w:numId w:val="2" /></w:numPr><w:ind w:left="1" /><w:jc w:val="left" /></w:pPr><w:r><w:rPr><w:b /><w:sz w:val="21" /></w:rPr><w:t xml:space="preserve">a &lt; b &gt; "c"</w:t></w:r></w:p></w:body></w:document>"#
        );
    }

    #[test]
    fn sections_styles_and_settings_are_ordered_and_grid_columns_lose_their_type() {
        let section = r#"<w:sectPr><w:pgSz w:w="1" /><w:cols w:num="1" /><w:headerReference w:type="default" r:id="h" /><w:footerReference w:type="default" r:id="f" /><w:titlePg /></w:sectPr>"#;
        assert_eq!(
            schema_order(section),
            r#"<w:sectPr><w:headerReference w:type="default" r:id="h" /><w:footerReference w:type="default" r:id="f" /><w:pgSz w:w="1" /><w:cols w:num="1" /><w:titlePg /></w:sectPr>"#
        );
        let style = r#"<w:style w:styleId="H"><w:name w:val="h" /><w:rPr><w:color w:val="0" /><w:b /></w:rPr><w:pPr><w:rPr /><w:keepNext /></w:pPr><w:next w:val="N" /><w:qFormat /><w:basedOn w:val="N" /></w:style>"#;
        assert_eq!(
            schema_order(style),
            r#"<w:style w:styleId="H"><w:name w:val="h" /><w:basedOn w:val="N" /><w:next w:val="N" /><w:qFormat /><w:pPr><w:keepNext /></w:pPr><w:rPr><w:b /><w:color w:val="0" /></w:rPr></w:style>"#
        );
        let settings = r#"<w:settings><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat><w:x /></w:compat></w:settings>"#;
        assert_eq!(
            schema_order(settings),
            r#"<w:settings><w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:compat><w:x /></w:compat></w:settings>"#
        );
        assert_eq!(
            schema_order(r#"<w:tblGrid><w:gridCol w:w="4592" w:type="dxa" /></w:tblGrid>"#),
            r#"<w:tblGrid><w:gridCol w:w="4592" /></w:tblGrid>"#
        );
    }

    #[test]
    fn a_paragraph_marks_own_run_properties_stay_at_the_end() {
        let xml = r#"<w:pPr><w:rPr><w:b /></w:rPr><w:jc w:val="center" /></w:pPr>"#;
        assert_eq!(
            schema_order(xml),
            r#"<w:pPr><w:jc w:val="center" /><w:rPr><w:b /></w:rPr></w:pPr>"#
        );
    }

    fn strings<const N: usize>(texts: [&str; N]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn words_are_measured_in_calibris_metrics() {
        // Carlito: digits 0.507 em, a full stop 0.252 em
        let number = ems("2.1.10", false);
        assert!((number - 2.532).abs() < 0.01, "{number}");
        assert!(ems("Professional", true) > ems("Professional", false));
    }

    #[test]
    fn columns_fit_their_longest_words_and_the_wordy_ones_get_the_rest() {
        let header = strings(["Action", "Due", "Measure of impact", "Status"]);
        let rows = vec![
            strings([
                "Every agency's case file audit tool asks whether the child was seen alone, \
                 whether the plan was explained to them, and records why not.",
                "2014-07-31",
                "Professional to speak and see the child alone",
                "Not started",
            ]),
            strings(["Supervision policies", "2014-06-30", "Yes", "On track"]),
        ];
        let widths = column_widths(&header, &rows, &[], 16);
        assert_eq!(widths.len(), 4);
        assert!(widths.iter().sum::<usize>() <= TEXT_WIDTH, "{widths:?}");
        let fits = |column: usize, text: &str, bold: bool| {
            widths[column] as f64 >= twips(text, bold, 16) + CELL_MARGINS - 1.0
        };
        for row in &rows {
            for (column, cell) in row.iter().enumerate() {
                for word in cell.split_whitespace() {
                    assert!(fits(column, word, false), "{word}: {widths:?}");
                }
            }
        }
        // short cells whole, the header's words too
        assert!(fits(1, "2014-07-31", false) && fits(3, "Not started", false));
        assert!(fits(2, "Measure", true));
        // the text-heavy columns take what is over
        assert!(widths[0] > widths[2] && widths[2] > widths[1], "{widths:?}");
    }

    #[test]
    fn a_table_whose_cells_fit_is_as_wide_as_they_are() {
        let header = strings(["Local authority", "Repeat plans (%)"]);
        let rows = vec![strings(["Cheshire West and Chester", "11.5"])];
        let widths = column_widths(&header, &rows, &[strings(["Average", "16.1"])], 21);
        assert!(
            widths.iter().sum::<usize>() < TEXT_WIDTH * 2 / 3,
            "{widths:?}"
        );
        let whole = |text: &str, bold: bool| twips(text, bold, 21) + CELL_MARGINS - 1.0;
        assert!(widths[0] as f64 >= whole("Cheshire West and Chester", false));
        assert!(widths[1] as f64 >= whole("Repeat plans (%)", true));
    }

    #[test]
    fn footnotes_get_their_number_mark_and_separators() {
        let xml = format!(
            r#"<w:footnotes xmlns:w="x"><w:footnote w:id="1"><w:p><w:r><w:t xml:space="preserve">{FOOTNOTE_NUMBER}</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let done = footnotes_part(&xml);
        assert!(done.contains("<w:footnoteRef />"), "{done}");
        assert!(done.contains(r#"w:type="separator" w:id="-1""#), "{done}");
        assert!(!done.contains(FOOTNOTE_NUMBER));
    }
}
