//! Word: the document as a `.docx` the board secretary can work with.
//!
//! Built with docx-rs, so styles, numbering, footnotes, fields, tables and pictures are
//! Word's own structures: Heading 1 to 3 (sections, sub-sections, questions) for the
//! navigation pane and a contents field Word fills in, paragraph numbers as in the PDF,
//! footnotes as Word footnotes, bullets as a Word list, tables with a repeating header row,
//! findings in a shaded box, the marking in the page header and footer and page numbers as
//! fields. Charts are PNG at print resolution with their alt text as the picture's
//! description.
//!
//! docx-rs leaves a few things out, which [`package`] adds to the parts it built: the
//! document properties (title, author, language, dates), a picture's description, the
//! repeating header row, the footnote's own number and separators, and "update fields on
//! opening". It also numbers some parts from counters that run on through a process, so
//! the parts are zipped again here with fixed ids and the audit's date: the same inputs
//! give the same bytes.

use super::chart::Chart;
use super::{Format, Rendered, Renderer, picture};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::prose::Inline;
use crate::document::{Content, Document, Figure};
use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, Docx as Word, FieldCharType, Footer, Footnote,
    Header, HeightRule, IndentLevel, InstrText, InstrToC, Level, LevelJc, LevelText, NumPages,
    NumberFormat, Numbering, NumberingId, PageMargin, PageNum, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, SpecialIndentType, Start, Style, StyleType, Table, TableBorders, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableLayoutType, TableRow,
    VertAlignType, WidthType,
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
            let mut heading = writer.heading(1, &section.heading);
            if section.new_page {
                heading = heading.page_break_before(true);
            }
            writer.push(heading);
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
/// Paragraph numbers hang 1.35 cm, as in the PDF.
const HANG: i32 = 765;
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
}

fn run(text: &str) -> Run {
    Run::new().add_text(text)
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
        };
        writer.cover();
        writer.contents();
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
        for _ in 0..4 {
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
            Content::Paragraph { number, runs } => {
                let paragraph = match number {
                    Some(number) => {
                        self.text.push_str(number);
                        self.text.push(' ');
                        Paragraph::new()
                            .indent(
                                Some(HANG),
                                Some(SpecialIndentType::Hanging(HANG)),
                                None,
                                None,
                            )
                            .add_run(run(number).add_tab())
                    }
                    None => Paragraph::new(),
                };
                // A paragraph ending in a colon introduces what follows: kept with it.
                let introduces = matches!(runs.last(), Some(Inline::Text { text }) if text.trim_end().ends_with(':'));
                let paragraph = self.runs(paragraph, runs).keep_next(introduces);
                self.push(paragraph);
            }
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
            } => {
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
            }
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
                self.table(caption, None, header, &cells, &[], &rags);
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
            } => {
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
                let boxes = items.iter().map(|i| ("☐", i));
                for (mark, choice) in boxes.chain(options.iter().map(|o| ("○", o))) {
                    self.text.push_str(&format!("{mark} {choice}\n"));
                    let line = run(mark).add_tab().add_text(choice);
                    self.push(Paragraph::new().style("Choice").add_run(line));
                }
                if *comments {
                    let label = self.plain(&self.document.furniture.comments);
                    self.push(label.style("Choice"));
                }
            }
        }
        Ok(())
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
        let caption = self.plain(&figure.caption).style("Caption");
        self.push(caption);
        Ok(())
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
        // A caption stays with its table; a long table may start below it on the same page.
        let mut title = Paragraph::new()
            .style("Caption")
            .keep_next(rows.len() <= 20)
            .add_run(run(caption));
        self.text.push_str(caption);
        if let Some(note) = note {
            let note = self.footnote(&[Inline::Text {
                text: note.to_string(),
            }]);
            title = title.add_run(Run::new().add_footnote_reference(note));
        }
        self.text.push('\n');
        self.push(title);
        let n = header.len().max(1);
        // Wide tables (answers by agency) give the first column a larger share.
        let first = if n > 3 {
            TEXT_WIDTH * 18 / (18 + 10 * (n - 1))
        } else {
            TEXT_WIDTH / 2
        };
        let other = (TEXT_WIDTH - first) / (n - 1).max(1);
        let widths: Vec<usize> = (0..n).map(|i| if i == 0 { first } else { other }).collect();
        let size = if n > 3 { 16 } else { 21 };
        let cell = |writer: &mut Self, text: &str, column: usize, bold: bool| {
            writer.text.push_str(text);
            writer.text.push('\t');
            let mut r = run(text).size(size);
            if bold {
                r = r.bold();
            }
            // Words read left to right; figures line up on the right.
            let align = if column == 0 || !rags.is_empty() {
                AlignmentType::Left
            } else {
                AlignmentType::Right
            };
            TableCell::new()
                .width(widths[column], WidthType::Dxa)
                .add_paragraph(Paragraph::new().style("TableText").align(align).add_run(r))
        };
        let mut table_rows = Vec::new();
        let heading_cells: Vec<TableCell> = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                cell(self, h, i, true)
                    .shading(
                        Shading::new()
                            .shd_type(ShdType::Clear)
                            .color("auto")
                            .fill(TINT),
                    )
                    .set_borders(rule(TableCellBorderPosition::Bottom))
            })
            .collect();
        self.text.push('\n');
        table_rows.push(
            TableRow::new(heading_cells)
                .cant_split()
                .row_height(HEADER_ROW_TWIPS)
                .height_rule(HeightRule::AtLeast),
        );
        for (r, row) in rows.iter().enumerate() {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let done = cell(self, c, i.min(n - 1), false);
                    // A status: its colour behind its words.
                    match rags.get(r).filter(|_| i + 1 == row.len()) {
                        Some(rag) => done.shading(
                            Shading::new()
                                .shd_type(ShdType::Clear)
                                .color("auto")
                                .fill(rag_fill(rag)),
                        ),
                        None => done,
                    }
                })
                .collect();
            self.text.push('\n');
            table_rows.push(TableRow::new(cells).cant_split());
        }
        for row in footer {
            let cells = row
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    cell(self, c, i.min(n - 1), true)
                        .set_borders(rule(TableCellBorderPosition::Top))
                })
                .collect();
            self.text.push('\n');
            table_rows.push(TableRow::new(cells).cant_split());
        }
        let table = Table::new(table_rows)
            .set_grid(widths.clone())
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(TableBorders::with_empty());
        self.push_table(table);
        // Word runs a table straight into the next paragraph; a small gap, as in the PDF.
        self.push(Paragraph::new().style("AfterTable"));
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
        let table = Table::new(vec![TableRow::new(vec![cell]).cant_split()])
            .set_grid(vec![TEXT_WIDTH])
            .width(TEXT_WIDTH, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .set_borders(TableBorders::with_empty());
        self.push_table(table);
        self.push(Paragraph::new().style("AfterTable"));
    }
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
    let heading = |level: usize, half_points: usize| {
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
    };
    let mut footnote_number =
        Style::new("FootnoteReference", StyleType::Character).name("footnote reference");
    footnote_number.run_property = footnote_number
        .run_property
        .vert_align(VertAlignType::SuperScript);
    let mut quote = paragraph_style("Quote", "Quote").italic();
    quote.paragraph_property = quote
        .paragraph_property
        .indent(Some(HANG), None, Some(454), None);
    let mut choice = paragraph_style("Choice", "Choice").size(21);
    choice.paragraph_property = choice
        .paragraph_property
        .indent(Some(170), None, None, None);
    let mut list = paragraph_style("ListParagraph", "List Paragraph");
    list.paragraph_property = list
        .paragraph_property
        .line_spacing(docx_rs::LineSpacing::new().after(80));
    let mut after_table = paragraph_style("AfterTable", "After table").size(8);
    after_table.paragraph_property = after_table
        .paragraph_property
        .line_spacing(docx_rs::LineSpacing::new().after(0));
    let mut table_text = paragraph_style("TableText", "Table text");
    table_text.paragraph_property = table_text
        .paragraph_property
        .line_spacing(docx_rs::LineSpacing::new().before(40).after(40));
    let mut caption = paragraph_style("Caption", "caption").size(21);
    caption.paragraph_property = caption
        .paragraph_property
        .line_spacing(docx_rs::LineSpacing::new().before(80).after(200));
    let bullets = AbstractNumbering::new(BULLETS).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("•"),
            LevelJc::new("left"),
        )
        .indent(
            Some(HANG + 340),
            Some(SpecialIndentType::Hanging(340)),
            None,
            None,
        ),
    );
    let fonts = RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT);
    Word::new()
        .page_size(PAGE.0, PAGE.1)
        .page_margin(
            PageMargin::new()
                .top(1644)
                .bottom(1531)
                .left(MARGIN_X)
                .right(MARGIN_X)
                .header(708)
                .footer(708),
        )
        .default_fonts(fonts)
        .default_size(23)
        .default_line_spacing(
            docx_rs::LineSpacing::new()
                .after(160)
                .line(264)
                .line_rule(docx_rs::LineSpacingType::Auto),
        )
        .add_style(heading(1, 34))
        .add_style(heading(2, 26))
        .add_style(heading(3, 24))
        .add_style(
            paragraph_style("Title", "Title")
                .bold()
                .size(48)
                .color(ACCENT),
        )
        .add_style(paragraph_style("Cover", "Cover line").size(26))
        .add_style(
            paragraph_style("ContentsTitle", "TOC Heading")
                .bold()
                .size(34)
                .color(ACCENT),
        )
        .add_style(paragraph_style("FootnoteText", "footnote text").size(18))
        .add_style(footnote_number)
        .add_style(quote)
        .add_style(choice)
        .add_style(list)
        .add_style(after_table)
        .add_style(table_text)
        .add_style(caption)
        .add_style(
            paragraph_style("LeadNote", "Note for the lead")
                .italic()
                .color(ACCENT),
        )
        .add_style(paragraph_style("Footer", "footer").size(17).color(GREY))
        .add_abstract_numbering(bullets)
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .header(page_header(document, true))
        .first_header(page_header(document, false))
        .footer(page_footer(document, true))
        .first_footer(page_footer(document, false))
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
    let (year, month, day) = document.date;
    let date = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
    let parts = word.created_at(&date).updated_at(&date).build();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).map_err(|e| e.to_string());
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><cp:lastModifiedBy>{}</cp:lastModifiedBy><dc:language>{}</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        xml_escape(&document.title),
        xml_escape(&document.author),
        xml_escape(&document.author),
        xml_escape(&document.lang),
    );
    let body = text(parts.document)?;
    // Each picture gets its own id and its description (docx-rs writes one fixed `docPr`).
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
    // Header rows repeat on every page (docx-rs has no `tblHeader`).
    let marker = format!(r#"<w:trHeight w:val="{HEADER_ROW_TWIPS}" w:hRule="atLeast" />"#);
    let body_out = body_out.replace(&marker, &format!("{marker}<w:tblHeader />"));
    let settings = text(parts.settings)?.replacen(
        "<w:compat>",
        r#"<w:updateFields w:val="true" /><w:compat>"#,
        1,
    );
    let footnotes = footnotes_part(&text(parts.footnotes)?);
    files.push(("[Content_Types].xml".into(), parts.content_type));
    files.push(("_rels/.rels".into(), parts.rels));
    files.push(("docProps/app.xml".into(), parts.doc_props.app));
    files.push(("docProps/core.xml".into(), core.into_bytes()));
    files.push(("docProps/custom.xml".into(), parts.doc_props.custom));
    files.push(("word/_rels/document.xml.rels".into(), parts.document_rels));
    files.push((
        "word/document.xml".into(),
        without_para_ids(&body_out).into_bytes(),
    ));
    files.push(("word/styles.xml".into(), parts.styles));
    files.push(("word/settings.xml".into(), settings.into_bytes()));
    files.push(("word/fontTable.xml".into(), parts.font_table));
    files.push(("word/comments.xml".into(), parts.comments));
    files.push(("word/numbering.xml".into(), parts.numberings));
    files.push(("word/commentsExtended.xml".into(), parts.comments_extended));
    files.push((
        "word/footnotes.xml".into(),
        without_para_ids(&footnotes).into_bytes(),
    ));
    for (i, header) in parts.headers.into_iter().enumerate() {
        files.push((
            format!("word/header{}.xml", i + 1),
            without_para_ids(&text(header)?).into_bytes(),
        ));
        if let Some(rels) = parts.header_rels.get(i) {
            files.push((format!("word/_rels/header{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (i, footer) in parts.footers.into_iter().enumerate() {
        files.push((
            format!("word/footer{}.xml", i + 1),
            without_para_ids(&text(footer)?).into_bytes(),
        ));
        if let Some(rels) = parts.footer_rels.get(i) {
            files.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels.clone()));
        }
    }
    for (id, bytes) in parts.media {
        files.push((format!("word/media/{id}.png"), bytes));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraph_ids_go_and_nothing_else() {
        assert_eq!(
            without_para_ids(r#"<w:p w14:paraId="00000A1" w:x="1"><w:t>a "b"</w:t></w:p>"#),
            r#"<w:p w:x="1"><w:t>a "b"</w:t></w:p>"#
        );
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
