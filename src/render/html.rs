//! Web: one self-contained HTML page per edition. (Over 500 lines: one writer for the whole
//! page, its stylesheet included, as the page is one file.) The document as a web page, for
//! publication.
//!
//! Styles and charts are inline (charts as SVG, see [`picture::for_web`]); there is no script and no request
//! to any other host, so the page can be saved and read offline. The structure is semantic
//! for assistive technology: one `h1`, nested headings, `nav`, `main`, numbered paragraphs,
//! notes linked both ways, findings as `aside`, tables with `th` and `scope`, charts as
//! images with a title and description followed by their figures as a table. Every piece of
//! user text is escaped: it is data, never markup.

use super::chart::Chart;
use super::{Format, Rendered, Renderer, picture};
use crate::diag::{Diagnostic, Diagnostics};
use crate::document::prose::Inline;
use crate::document::{Content, Document, Figure, Furniture};
use std::fmt::Write;

/// Writes the web edition.
pub struct Html;

impl Renderer for Html {
    fn format(&self) -> Format {
        Format::Html
    }

    fn render(&self, document: &Document, charts: &[Chart]) -> Result<Rendered, Diagnostics> {
        let mut page = Page::new(document, charts);
        page.write()?;
        Ok(Rendered {
            format: Format::Html,
            bytes: page.html.into_bytes(),
            pages: 0,
            text: page.text,
        })
    }
}

/// `text` with the characters HTML gives meaning to escaped, for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` as a CSS string literal: nothing in it can end the string or the style element.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        if c.is_alphanumeric() && c.is_ascii() || " .,:;-–()".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", c as u32);
        }
    }
    out.push('"');
    out
}

/// The id a cross-reference label becomes; the page's own ids never start with `at-`.
fn anchor(label: &str) -> String {
    format!("at-{label}")
}

/// Fills `{{name}}` in a furniture template.
fn fill(template: &str, name: &str, value: &str) -> String {
    template.replace(&format!("{{{{{name}}}}}"), value)
}

const ACCENT: &str = "#005a8c";
const INK: &str = "#1f1f1f";
const TINT: &str = "#eef4f9";
const GREY: &str = "#5a5a5a";

/// The words before a caption's number: Typst's own for the language the PDF is set in, so a
/// caption reads the same in both ("Figure 3: …", "Table 2: …").
/// The Word file numbers its captions with the same words.
pub(super) const FIGURE: &str = "Figure";
pub(super) const TABLE: &str = "Table";

struct Page<'a> {
    document: &'a Document,
    charts: &'a [Chart],
    html: String,
    /// All text, in reading order.
    text: String,
    /// Notes cited so far, their content written.
    notes: Vec<String>,
    /// The level of the heading the next question or case heading goes under.
    depth: usize,
    /// Whether this section's unnumbered paragraphs line up with its numbered paragraphs'
    /// text ([`super::aligns_unnumbered`]).
    aligned: bool,
    /// Headings without a label, numbered for their ids.
    unlabelled: usize,
    /// Charts and tables numbered so far, in the PDF's order: one count for each kind, as
    /// Typst keeps them (a chart's figures shown only on request are no table of the PDF).
    figures: usize,
    tables: usize,
}

impl<'a> Page<'a> {
    fn new(document: &'a Document, charts: &'a [Chart]) -> Self {
        Page {
            document,
            charts,
            html: String::new(),
            text: String::new(),
            notes: Vec::new(),
            depth: 2,
            aligned: false,
            unlabelled: 0,
            figures: 0,
            tables: 0,
        }
    }

    fn furniture(&self) -> &'a Furniture {
        &self.document.furniture
    }

    /// Raw markup.
    fn tag(&mut self, markup: &str) {
        self.html.push_str(markup);
    }

    /// User text: escaped into the page, and into the text.
    fn put(&mut self, text: &str) {
        // A line break in the text as written is a break on the page too, as in the PDF and
        // Word (a browser would run the lines together).
        for (i, line) in super::lines_as_written(text).enumerate() {
            if i > 0 {
                self.html.push_str("<br>");
            }
            self.html.push_str(&escape(line));
        }
        self.text.push_str(text);
    }

    /// A whole element holding only text.
    fn element(&mut self, open: &str, text: &str) {
        let name = open.split_whitespace().next().unwrap_or(open);
        self.tag(&format!("<{open}>"));
        self.put(text);
        self.tag(&format!("</{name}>\n"));
        self.text.push('\n');
    }

    fn id_for(&mut self, label: Option<&str>) -> String {
        match label {
            Some(label) => anchor(label),
            None => {
                self.unlabelled += 1;
                format!("part-{}", self.unlabelled)
            }
        }
    }

    fn write(&mut self) -> Result<(), Diagnostics> {
        let document = self.document;
        self.head();
        self.tag(&format!(
            "<body>\n<a class=\"skip\" href=\"#main\">{}</a>\n<header>\n",
            escape(&self.furniture().skip_link)
        ));
        self.marking();
        if document.draft {
            self.element("p class=\"draft\"", &self.furniture().draft);
        }
        self.element("h1", &document.title);
        for line in &document.cover {
            self.element("p class=\"cover\"", line);
        }
        self.tag("</header>\n");
        if document.kind == crate::edition::Kind::Report {
            self.contents();
        }
        self.tag("<main id=\"main\">\n");
        let mut problems = Diagnostics::default();
        for section in &document.sections {
            let id = self.id_for(section.label.as_deref());
            let class = if section.new_page {
                " class=\"new-page\""
            } else {
                ""
            };
            self.tag(&format!("<section{class} aria-labelledby=\"{id}\">\n"));
            self.element(&format!("h2 id=\"{id}\""), &section.heading);
            self.depth = 2;
            self.aligned = super::aligns_unnumbered(&section.blocks);
            for block in &section.blocks {
                if let Err(problem) = self.block(block) {
                    problems.push(problem);
                }
            }
            self.back_to_contents();
            self.tag("</section>\n");
        }
        self.notes();
        self.tag("</main>\n<footer>\n");
        self.marking();
        self.tag("</footer>\n</body>\n</html>\n");
        problems.into_result(()).map(|_| ())
    }

    fn head(&mut self) {
        let document = self.document;
        let date = document.date;
        let (year, month, day) = (date.year(), u8::from(date.month()), date.day());
        let lang = escape(&document.lang);
        self.tag(&format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"author\" content=\"{}\">\n\
             <meta name=\"date\" content=\"{year:04}-{month:02}-{day:02}\">\n\
             <title>{}</title>\n<style>\n{}</style>\n</head>\n",
            escape(&document.author),
            escape(&document.title),
            self.style(),
        ));
    }

    fn style(&self) -> String {
        let marking = self.document.marking.as_deref().unwrap_or("");
        let (before, rest) = self
            .furniture()
            .page_number
            .split_once("{{page}}")
            .unwrap_or((&self.furniture().page_number, ""));
        let (between, after) = rest.split_once("{{pages}}").unwrap_or((rest, ""));
        format!(
            r#"body {{ font-family: Carlito, Calibri, "Segoe UI", Arial, sans-serif; color: {INK};
  background: #fff; max-width: 46rem; margin: 0 auto; padding: 1rem 1.25rem; line-height: 1.5; font-size: 1.05rem;
  overflow-wrap: break-word; }}
.skip {{ position: absolute; left: -100vw; }}
.skip:focus {{ position: static; }}
a {{ color: {ACCENT}; }}
.marking {{ text-align: center; font-weight: bold; letter-spacing: 0.06em; font-size: 0.85rem; }}
.draft {{ text-align: center; font-weight: bold; font-size: 1.6rem; color: {GREY}; border: 2px solid {GREY}; }}
h1 {{ color: {ACCENT}; font-size: 2rem; border-left: 4px solid {ACCENT}; padding-left: 0.7rem; }}
h2, h3, h4, h5 {{ color: {ACCENT}; }}
h2 {{ font-size: 1.45rem; margin-top: 2.2rem; }}
h3 {{ font-size: 1.15rem; }}
h4, h5 {{ font-size: 1.05rem; }}
.cover {{ font-size: 1.1rem; margin: 0.2rem 0; }}
nav ol {{ list-style: none; padding-left: 1.2rem; }}
nav > ol {{ padding-left: 0; }}
nav > ol > li > a {{ font-weight: bold; }}
p.numbered {{ padding-left: 3.2rem; text-indent: -3.2rem; }}
p.aligned {{ padding-left: 3.2rem; }} section:has(p.numbered) ul:not([class]) {{ padding-left: 4.4rem; }}
.number {{ display: inline-block; box-sizing: border-box; min-width: 3.2rem; padding-right: 0.4em; text-indent: 0; }}
blockquote {{ font-style: italic; margin-left: 3.2rem; }}
.choices {{ list-style: none; padding-left: 0.6rem; font-size: 0.95rem; }}
figure {{ margin: 1rem 0; }}
svg.chart {{ width: 100%; height: auto; }}
figcaption, caption {{ font-size: 0.95rem; text-align: left; padding: 0.3rem 0; }}
table {{ border-collapse: collapse; margin: 0.8rem 0; }}
th, td {{ padding: 0.25rem 0.6rem; text-align: right; vertical-align: top; overflow-wrap: normal; }}
th[scope="row"], thead th:first-child {{ text-align: left; font-weight: normal; }}
thead th {{ background: {TINT}; border-bottom: 2px solid {ACCENT}; }}
tfoot th, tfoot td {{ font-weight: bold; border-top: 2px solid {ACCENT}; }}
.wide {{ overflow-x: auto; font-size: 0.85rem; }}
.wide table {{ min-width: 40rem; }}
.caption-number {{ font-weight: bold; }}
.back {{ font-size: 0.9rem; margin-top: 1.5rem; }}
.wide td, .wide th {{ text-align: left; }}
.rag-red {{ background: #f4cccc; }} .rag-amber {{ background: #fce5cd; }}
.rag-green {{ background: #d9ead3; }} .rag-grey {{ background: #e6e6e6; }} td[class^="rag-"] {{ white-space: nowrap; }}
aside.finding {{ background: {TINT}; border-left: 4px solid {ACCENT}; padding: 0.5rem 1rem; margin: 1.2rem 0; }}
.finding-title {{ color: {ACCENT}; }}
.boxes {{ list-style: none; padding-left: 1.2rem; }}
.comments, .note-for-lead {{ color: {GREY}; }}
.notes {{ font-size: 0.9rem; border-top: 1px solid {GREY}; margin-top: 2rem; }}
details {{ margin: 0.4rem 0 1rem; }}
summary {{ cursor: pointer; color: {ACCENT}; }}
footer {{ margin-top: 2rem; }}
@media (max-width: 600px) {{
  details::details-content {{ content-visibility: visible; display: block; }}
  details > summary {{ display: none; }}
}}
@page {{ size: A4; margin: 2.9cm 2.4cm 2.7cm;
  @top-center {{ content: {marking}; font: bold 9pt Carlito, Calibri, sans-serif; }}
  @bottom-center {{ content: {before} counter(page) {between} counter(pages) {after}; font: 8.5pt Carlito, Calibri, sans-serif; color: {GREY}; }} }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 11.5pt; }}
  .skip, header .marking, footer .marking, .back {{ display: none; }}
  section.new-page {{ break-before: page; }}
  .question, figure, aside.finding, tr {{ break-inside: avoid; }}
  h2, h3, h4, h5 {{ break-after: avoid; }}
  details::details-content {{ content-visibility: visible; display: block; }}
  summary {{ color: {INK}; }}
  a {{ color: {INK}; text-decoration: none; }}
}}
"#,
            marking = css_string(marking),
            before = css_string(before),
            between = css_string(between),
            after = css_string(after),
        )
    }

    fn marking(&mut self) {
        if let Some(marking) = &self.document.marking {
            self.element("p class=\"marking\"", marking);
        }
    }

    /// The contents: every section, and under it its sub-sections and appendices.
    fn contents(&mut self) {
        let document = self.document;
        let mut ids = 0;
        let mut next_id = |label: Option<&str>| match label {
            Some(label) => anchor(label),
            None => {
                ids += 1;
                format!("part-{ids}")
            }
        };
        self.tag("<nav aria-labelledby=\"contents\">\n");
        self.element("h2 id=\"contents\"", &document.contents_title);
        self.tag("<ol>\n");
        for section in &document.sections {
            let id = next_id(section.label.as_deref());
            self.tag(&format!("<li><a href=\"#{id}\">"));
            self.put(&section.heading);
            self.tag("</a>");
            self.text.push('\n');
            let mut open = false;
            for block in &section.blocks {
                // Numbered in the same order as `write` numbers them.
                let id = match block {
                    Content::Subheading { label, .. } => next_id(label.as_deref()),
                    Content::Question { .. } | Content::PageHeading { .. } => {
                        next_id(None);
                        continue;
                    }
                    _ => continue,
                };
                let Content::Subheading { text, .. } = block else {
                    continue;
                };
                if !open {
                    self.tag("<ol>");
                    open = true;
                }
                self.tag(&format!("<li><a href=\"#{id}\">"));
                self.put(text);
                self.tag("</a></li>\n");
                self.text.push('\n');
            }
            if open {
                self.tag("</ol>");
            }
            self.tag("</li>\n");
        }
        self.tag("</ol>\n</nav>\n");
    }

    /// A link back to the contents at the end of a section: the page is long, and a reader
    /// who has followed a contents link should not have to scroll back up to choose another.
    fn back_to_contents(&mut self) {
        self.tag("<p class=\"back\"><a href=\"#contents\"><span aria-hidden=\"true\">↑ </span>");
        self.put(&self.document.contents_title);
        self.tag("</a></p>\n");
        self.text.push('\n');
    }

    /// A caption's opening tag, number ("Figure 2: …") and text; the caller closes it.
    fn caption(&mut self, open: &str, word: &str, number: usize, caption: &str) {
        let label = format!("{word} {number}:");
        self.tag(&format!(
            "<{open}><span class=\"caption-number\">{label}</span> "
        ));
        self.text.push_str(&label);
        self.text.push(' ');
        self.put(caption);
    }

    fn runs(&mut self, runs: &[Inline]) {
        for run in runs {
            match run {
                Inline::Text { text } => self.put(text),
                Inline::Strong { text } => {
                    self.tag("<strong>");
                    self.put(text);
                    self.tag("</strong>");
                }
                Inline::Emph { text } => {
                    self.tag("<em>");
                    self.put(text);
                    self.tag("</em>");
                }
                Inline::Ref { target, text } => {
                    self.tag(&format!("<a href=\"#{}\">", escape(&anchor(target))));
                    self.put(text);
                    self.tag("</a>");
                }
                Inline::Footnote { body } => self.cite(body),
            }
        }
    }

    /// A note's number at its citation, linked to the note; the note is written at the end.
    fn cite(&mut self, body: &[Inline]) {
        let number = (self.notes.len() + 1).to_string();
        let label = fill(&self.furniture().note_label, "number", &number);
        self.tag(&format!(
            "<sup><a id=\"cite-{number}\" href=\"#note-{number}\" aria-label=\"{}\">{number}</a></sup>",
            escape(&label)
        ));
        // The note's text is written into a page of its own, then kept for the end.
        let mut note = Page::new(self.document, self.charts);
        note.runs(body);
        self.notes.push(note.html);
        self.text.push_str(&number);
    }

    fn notes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        self.tag("<section class=\"notes\" aria-labelledby=\"notes\">\n");
        self.element("h2 id=\"notes\"", &self.furniture().notes);
        self.tag("<ol>\n");
        for (i, note) in std::mem::take(&mut self.notes).iter().enumerate() {
            let number = (i + 1).to_string();
            let back = fill(&self.furniture().back_to_text, "number", &number);
            self.tag(&format!(
                "<li id=\"note-{number}\">{note} <a href=\"#cite-{number}\" aria-label=\"{}\">↩</a></li>\n",
                escape(&back)
            ));
            self.text
                .push_str(&format!("{number} {}\n", strip_tags(note)));
        }
        self.tag("</ol>\n");
        self.back_to_contents();
        self.tag("</section>\n");
    }

    fn paragraph(&mut self, open: &str, runs: &[Inline]) {
        self.tag(&format!("<{open}>"));
        self.runs(runs);
        self.tag("</p>\n");
        self.text.push('\n');
    }

    fn list(&mut self, items: &[Vec<Inline>]) {
        self.tag("<ul>\n");
        for item in items {
            self.tag("<li>");
            self.runs(item);
            self.tag("</li>\n");
            self.text.push('\n');
        }
        self.tag("</ul>\n");
    }

    fn block(&mut self, block: &Content) -> Result<(), Diagnostic> {
        match block {
            Content::Subheading { text, label } => {
                let id = self.id_for(label.as_deref());
                self.element(&format!("h3 id=\"{id}\""), text);
                self.depth = 3;
            }
            Content::Paragraph { number, runs } => match number {
                Some(number) => self.numbered_paragraph(number, runs),
                None if self.aligned => self.paragraph("p class=\"aligned\"", runs),
                None => self.paragraph("p", runs),
            },
            Content::List { items } => self.list(items),
            Content::Quote { runs } => {
                self.tag("<blockquote>");
                self.paragraph("p", runs);
                self.tag("</blockquote>\n");
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
            } => self.table(Some(caption), note.as_deref(), header, rows, footer, &[]),
            Content::ActionPlan {
                caption,
                header,
                rows,
            } => {
                let (cells, rags) = crate::document::ActionRow::table(rows);
                self.table(Some(caption), None, header, &cells, &[], &rags);
            }
            Content::Chart { figure } => {
                self.figure(figure)?;
                self.chart_figures(&figure.chart);
            }
            Content::Finding {
                title,
                label,
                runs,
                challenge_title,
                challenge,
            } => self.finding(title, label, runs, challenge_title, challenge),
            Content::PageHeading { text, .. } => {
                let id = self.id_for(None);
                self.element(&format!("h{} id=\"{id}\"", self.depth + 1), text);
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

    /// A numbered paragraph: its number apart, so a reader's software can find it.
    fn numbered_paragraph(&mut self, number: &str, runs: &[Inline]) {
        self.tag("<p class=\"numbered\"><span class=\"number\">");
        self.put(number);
        self.tag("</span>");
        self.text.push(' ');
        self.runs(runs);
        self.tag("</p>\n");
        self.text.push('\n');
    }

    /// A question of the audit as the report prints it: its wording, its choices, and its
    /// chart with the figures beside it.
    fn question(
        &mut self,
        text: &str,
        choices: &[String],
        chart: Option<&Figure>,
        table: Option<&[[String; 3]]>,
        table_caption: Option<&str>,
    ) -> Result<(), Diagnostic> {
        self.tag("<div class=\"question\">\n");
        let id = self.id_for(None);
        self.element(&format!("h{} id=\"{id}\"", self.depth + 1), text);
        if !choices.is_empty() {
            self.tag("<ul class=\"choices\">\n");
            for choice in choices {
                self.element("li", choice);
            }
            self.tag("</ul>\n");
        }
        if let Some(figure) = chart {
            self.figure(figure)?;
            match (table, table_caption) {
                // The edition prints the figures under every chart: shown as printed.
                (Some(rows), Some(caption)) => self.chart_table(rows, Some(caption)),
                // Otherwise on request, for readers who cannot see the chart.
                _ => self.chart_figures(&figure.chart),
            }
        }
        self.tag("</div>\n");
        Ok(())
    }

    /// A finding, with the challenge it puts to the board.
    fn finding(
        &mut self,
        title: &str,
        label: &str,
        runs: &[Inline],
        challenge_title: &str,
        challenge: &[Vec<Inline>],
    ) {
        let id = anchor(label);
        self.tag(&format!(
            "<aside class=\"finding\" aria-labelledby=\"{id}\">\n<p><strong class=\"finding-title\" id=\"{id}\">"
        ));
        self.put(title);
        self.tag(":</strong> ");
        self.text.push_str(": ");
        self.runs(runs);
        self.tag("</p>\n");
        self.text.push('\n');
        self.tag("<p><strong>");
        self.put(challenge_title);
        self.tag("</strong></p>\n");
        self.text.push('\n');
        self.list(challenge);
        self.tag("</aside>\n");
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
        self.tag("<div class=\"template-question\">\n<p><strong>");
        self.put(&format!("{number} {text}"));
        self.tag("</strong></p>\n");
        self.text.push('\n');
        if let Some(note) = note {
            self.element("p class=\"note-for-lead\"", note);
        }
        if !items.is_empty() || !options.is_empty() {
            self.tag("<ul class=\"boxes\">\n");
            let boxes = items.iter().map(|i| ("□", i));
            for (mark, choice) in boxes.chain(options.iter().map(|o| ("○", o))) {
                self.tag(&format!("<li><span aria-hidden=\"true\">{mark}</span> "));
                self.put(choice);
                self.tag("</li>\n");
                self.text.push('\n');
            }
            self.tag("</ul>\n");
        }
        if comments {
            self.element("p class=\"comments\"", &self.furniture().comments);
        }
        self.tag("</div>\n");
    }

    fn chart(&self, id: &str) -> Result<&'a Chart, Diagnostic> {
        self.charts
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Diagnostic::general(format!("web page: no chart `{id}` was drawn")))
    }

    /// A chart as an image, inline, with its title and description from its alt text.
    fn figure(&mut self, figure: &Figure) -> Result<(), Diagnostic> {
        let chart = self.chart(&figure.chart)?;
        let svg = picture::for_web(&chart.svg)
            .map_err(|e| Diagnostic::general(format!("chart `{}`: {e}", figure.chart)))?;
        let prefix = format!("chart-{}-", figure.chart);
        // The drawing's own markup follows its opening tag, which gets the chart's name.
        let (open, body) = svg.split_once('>').unwrap_or((&svg, "</svg>"));
        let open = open.trim_start_matches("<svg");
        self.tag(&format!(
            "<figure>\n<svg class=\"chart\" role=\"img\" aria-labelledby=\"{prefix}title {prefix}desc\"{open}>\
             <title id=\"{prefix}title\">{}</title><desc id=\"{prefix}desc\">{}</desc>",
            escape(&chart.title),
            escape(&figure.alt),
        ));
        self.tag(body.trim_end());
        self.tag("\n");
        self.figures += 1;
        self.caption("figcaption", FIGURE, self.figures, &figure.caption);
        self.tag("</figcaption>\n</figure>\n");
        self.text.push('\n');
        Ok(())
    }

    /// A chart's figures as a table, collapsed under a summary the reader can open.
    fn chart_figures(&mut self, id: &str) {
        let Ok(chart) = self.chart(id) else {
            return;
        };
        self.tag("<details>\n");
        self.element("summary", &self.furniture().chart_figures);
        self.chart_table(&chart.rows, None);
        self.tag("</details>\n");
    }

    fn chart_table(&mut self, rows: &[[String; 3]], caption: Option<&str>) {
        let header = self.document.chart_table_header.clone();
        let rows: Vec<Vec<String>> = rows.iter().map(|r| r.to_vec()).collect();
        self.table(caption, None, &header, &rows, &[], &[]);
    }

    /// A table; with a `caption` (even an empty one) it is numbered, as the PDF numbers it.
    fn table(
        &mut self,
        caption: Option<&str>,
        note: Option<&str>,
        header: &[String],
        rows: &[Vec<String>],
        footer: &[Vec<String>],
        rags: &[&str],
    ) {
        let number = caption.map(|_| {
            self.tables += 1;
            self.tables
        });
        let caption = caption.unwrap_or("");
        let wide = header.len() > 3;
        if wide {
            // A wide table scrolls on a narrow screen; a keyboard user can reach it to scroll.
            let label = match number {
                Some(n) => format!("{TABLE} {n}: {caption}"),
                None => caption.to_string(),
            };
            self.tag(&format!(
                "<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">\n",
                escape(&label)
            ));
        }
        self.tag("<table>\n");
        if !caption.is_empty() {
            match number {
                Some(n) => self.caption("caption", TABLE, n, caption),
                None => {
                    self.tag("<caption>");
                    self.put(caption);
                }
            }
            if let Some(note) = note {
                self.cite(&[Inline::Text {
                    text: note.to_string(),
                }]);
            }
            self.tag("</caption>\n");
            self.text.push('\n');
        }
        self.tag("<thead><tr>");
        for cell in header {
            self.tag("<th scope=\"col\">");
            self.put(cell);
            self.tag("</th>");
            self.text.push('\t');
        }
        self.tag("</tr></thead>\n<tbody>\n");
        self.text.push('\n');
        self.rows(rows, rags);
        self.tag("</tbody>\n");
        if !footer.is_empty() {
            self.tag("<tfoot>\n");
            self.rows(footer, &[]);
            self.tag("</tfoot>\n");
        }
        self.tag("</table>\n");
        if wide {
            self.tag("</div>\n");
        }
    }

    /// Body rows; with `rags`, each row's last cell is a status in that colour (red, amber,
    /// green or grey), its words saying the same.
    fn rows(&mut self, rows: &[Vec<String>], rags: &[&str]) {
        for (r, row) in rows.iter().enumerate() {
            self.tag("<tr>");
            for (c, cell) in row.iter().enumerate() {
                let status = rags.get(r).filter(|_| c + 1 == row.len());
                match status {
                    Some(rag) => self.tag(&format!("<td class=\"rag-{rag}\">")),
                    None => self.tag(if c == 0 { "<th scope=\"row\">" } else { "<td>" }),
                }
                self.put(cell);
                self.tag(if c == 0 { "</th>" } else { "</td>" });
                self.text.push('\t');
            }
            self.tag("</tr>\n");
            self.text.push('\n');
        }
    }
}

/// The text of escaped markup written here, for the page's plain text.
fn strip_tags(markup: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in markup.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(
            escape(r#"<script>"x" & 'y'</script>"#),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
        // Nothing can end the CSS string or the style element.
        let css = css_string("a\"b</style>\\c\n");
        assert!(!css[1..css.len() - 1].contains(['"', '<', '\n']), "{css}");
        assert_eq!(strip_tags(&escape("a < b & \"c\"")), "a < b & \"c\"");
    }
}
