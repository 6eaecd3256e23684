//! The Word file's layout as a reader meets it (issue 29): captions numbered as the PDF
//! numbers them, with Word's own `SEQ` fields; paragraph numbers that never run into their
//! text; table columns no narrower than their longest word; tables kept with their captions
//! and rows never split; the template's choices hanging after their marks. Asserted in
//! `word/document.xml`, against estimates made here, not by the writer's own arithmetic.

use crate::common::{options_in, root, scratch};
use audit_report::build;
use audit_report::render::Format;
use regex::Regex;
use std::io::Read;
use std::path::Path;

/// The width between the margins of an A4 page with the report's 2.4 cm margins, twips.
const TEXT_WIDTH: usize = 9184;
/// Word's cell margins, left and right together, twips.
const CELL_MARGINS: f64 = 216.0;

/// The sample's Executive Group edition: its `word/document.xml` and the PDF's text.
fn sample() -> (String, String) {
    let work = scratch("word-layout");
    let summary = build(&options_in(&root().join("data"), &work, None), &mut |_| {}).unwrap();
    let written = summary
        .editions
        .iter()
        .find(|e| e.edition == "executive-group")
        .unwrap();
    let docx = &written.file(Format::Docx).unwrap().path;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut body = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut body)
        .unwrap();
    (body, written.file(Format::Pdf).unwrap().text.clone())
}

fn unescape(xml: &str) -> String {
    xml.replace("&apos;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The text of a piece of the document.
fn text_of(xml: &str) -> String {
    let runs = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").unwrap();
    unescape(
        &runs
            .captures_iter(xml)
            .map(|c| c[1].to_string())
            .collect::<String>(),
    )
}

#[test]
fn the_word_file_numbers_captions_as_the_pdf_and_sets_its_tables_and_numbers_to_fit() {
    let (body, pdf) = sample();
    captions_are_seq_fields_numbered_as_in_the_pdf(&body, &pdf);
    paragraph_numbers_hang_with_room_for_the_longest(&body);
    template_choices_hang_after_their_marks(&body);
    tables_fit_their_words_and_stay_whole(&body);
}

/// "Figure 3: …" and "Table 2: …", the number a `SEQ` field whose result is the number
/// the PDF gives the same caption, in the same order.
fn captions_are_seq_fields_numbered_as_in_the_pdf(body: &str, pdf: &str) {
    let field = Regex::new(
        r#"<w:t xml:space="preserve">(Figure|Table) </w:t></w:r><w:r><w:rPr /><w:fldChar w:fldCharType="begin"[^>]*/><w:instrText>\s*SEQ (Figure|Table) \\\* ARABIC\s*</w:instrText><w:fldChar w:fldCharType="separate"[^>]*/></w:r><w:r><w:rPr>(?:<w:b />|<w:bCs />)*</w:rPr><w:t xml:space="preserve">(\d+)</w:t></w:r><w:r><w:rPr /><w:fldChar w:fldCharType="end"[^>]*/></w:r>"#,
    )
    .unwrap();
    let word: Vec<String> = field
        .captures_iter(body)
        .map(|c| {
            assert_eq!(&c[1], &c[2], "the field counts its own kind");
            format!("{} {}", &c[1], &c[3])
        })
        .collect();
    // (the PDF's text is a line per run: the number may be a run of its own)
    let flat = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    let printed = Regex::new(r"\b(Figure|Table) (\d+) ?:").unwrap();
    let in_pdf: Vec<String> = printed
        .captures_iter(&flat)
        .map(|c| format!("{} {}", &c[1], &c[2]))
        .collect();
    assert_eq!(word.iter().filter(|c| c.starts_with("Figure")).count(), 12);
    assert!(word.iter().filter(|c| c.starts_with("Table")).count() >= 4);
    assert_eq!(word, in_pdf, "the Word file's captions against the PDF's");
    // every caption is numbered, none left without its field
    assert_eq!(body.matches("SEQ ").count(), word.len());
}

/// "2.1.10" in DejaVu Sans (LibreOffice's stand-in for Calibri, wider than it): 0.636 em a
/// digit, 0.318 em a full stop, at 11.5 pt. The text starts past it and a gap.
fn paragraph_numbers_hang_with_room_for_the_longest(body: &str) {
    let numbered = Regex::new(
        r#"<w:p><w:pPr>(?:<w:keepNext />)?<w:tabs><w:tab w:val="left" w:pos="(\d+)" /></w:tabs><w:ind w:left="(\d+)"[^>]* w:hanging="(\d+)" /></w:pPr><w:r><w:rPr /><w:t xml:space="preserve">(\d+\.\d+\.\d+)</w:t><w:tab />"#,
    )
    .unwrap();
    let mut seen = 0;
    for c in numbered.captures_iter(body) {
        let [tab, left, hang]: [usize; 3] = [1, 2, 3].map(|i| c[i].parse().unwrap());
        assert_eq!((tab, hang), (left, left), "{}: text at the tab", &c[4]);
        let long = "2.1.10";
        // (a full stop is half a digit)
        let digit = 0.636;
        let ems = 4.0 * digit + 2.0 * digit / 2.0;
        let needed = ems * 11.5 * 20.0 + 0.3 * 230.0;
        assert!(tab as f64 >= needed, "{} twips for {long}", tab);
        seen += 1;
    }
    let every = Regex::new(r">\d+\.\d+\.\d+</w:t><w:tab />").unwrap();
    assert_eq!(
        seen,
        every.find_iter(body).count(),
        "every numbered paragraph"
    );
    assert!(seen > 60, "{seen} numbered paragraphs");
    assert!(body.contains(">2.1.10</w:t><w:tab />"));
}

/// Appendix 3: a choice that wraps runs on under its words, the mark hanging before them.
fn template_choices_hang_after_their_marks(body: &str) {
    let choice = Regex::new(
        r#"<w:pPr><w:pStyle w:val="Choice" /><w:tabs><w:tab w:val="left" w:pos="(\d+)" /></w:tabs><w:ind w:left="(\d+)"[^>]* w:hanging="(\d+)" /></w:pPr><w:r><w:rPr /><w:t xml:space="preserve">([□○])</w:t><w:tab />"#,
    )
    .unwrap();
    let mut marks = 0;
    for c in choice.captures_iter(body) {
        let [tab, left, hang]: [usize; 3] = [1, 2, 3].map(|i| c[i].parse().unwrap());
        assert_eq!(tab, left);
        assert!(hang >= 300 && hang < left, "{hang} of {left}");
        marks += 1;
    }
    assert_eq!(
        marks,
        body.matches(">□</w:t>").count() + body.matches(">○</w:t>").count()
    );
    assert!(marks > 30, "{marks} choices");
}

/// The width of `word` at `half_points` in DejaVu Sans (LibreOffice's stand-in for Calibri,
/// up to 30 % wider: "Safeguarding" is 6.9 em in it, 5.3 in Calibri), twips; where it is not
/// installed, at half an em a character, about Calibri's.
fn stand_in_width(word: &str, bold: bool, half_points: f64) -> f64 {
    use typst::foundations::Bytes;
    use typst::text::{Font, FontVariant, FontVariations};
    let file = if bold {
        "DejaVuSans-Bold.ttf"
    } else {
        "DejaVuSans.ttf"
    };
    let ems = std::fs::read(Path::new("/usr/share/fonts/truetype/dejavu").join(file))
        .ok()
        .and_then(|data| Font::new(Bytes::new(data), 0))
        .map_or(0.5 * word.chars().count() as f64, |font| {
            let face = font.instantiate(
                FontVariant::default(),
                typst::layout::Abs::pt(11.5),
                &FontVariations::default(),
            );
            word.chars()
                .map(|c| {
                    face.ttf()
                        .glyph_index(c)
                        .and_then(|glyph| face.x_advance(glyph.0))
                        .map_or(0.6, |em| em.get())
                })
                .sum()
        });
    ems * half_points * 10.0
}

/// Every table: its grid within the margins and its cells as wide as their column; no column
/// narrower than its longest word in LibreOffice's stand-in face plus the cell's margins;
/// every row kept whole; a short table kept with its caption, every row but the last kept
/// with the next.
fn tables_fit_their_words_and_stay_whole(body: &str) {
    let tables = Regex::new(r"(?s)<w:tbl>.*?</w:tbl>").unwrap();
    let rows = Regex::new(r"(?s)<w:tr>.*?</w:tr>").unwrap();
    let cells = Regex::new(r"(?s)<w:tc>.*?</w:tc>").unwrap();
    let grid = Regex::new(r#"<w:gridCol w:w="(\d+)" />"#).unwrap();
    let size = Regex::new(r#"<w:sz w:val="(\d+)" />"#).unwrap();
    let mut action_plans = 0;
    let mut plan_grids = std::collections::BTreeSet::new();
    for table in tables.find_iter(body) {
        let start = table.start();
        let table = table.as_str();
        let widths: Vec<usize> = grid
            .captures_iter(table)
            .map(|c| c[1].parse().unwrap())
            .collect();
        assert!(widths.iter().sum::<usize>() <= TEXT_WIDTH, "{widths:?}");
        assert!(table.contains("<w:tblLayout w:type=\"fixed\" />"));
        let all: Vec<&str> = rows.find_iter(table).map(|r| r.as_str()).collect();
        for row in &all {
            assert!(row.contains("<w:cantSplit />"), "a row may split");
        }
        if widths.len() == 1 {
            continue; // a finding's box
        }
        for row in &all {
            for (column, cell) in cells.find_iter(row).enumerate() {
                let cell = cell.as_str();
                assert!(cell.contains(&format!(
                    "<w:tcW w:w=\"{}\" w:type=\"dxa\" />",
                    widths[column]
                )));
                let text = text_of(cell);
                let half_points: f64 = size.captures(cell).map_or(23.0, |c| c[1].parse().unwrap());
                let bold = cell.contains("<w:b />");
                for word in text.split_whitespace() {
                    let needed = stand_in_width(word, bold, half_points) + CELL_MARGINS;
                    assert!(
                        widths[column] as f64 >= needed,
                        "`{word}` in a column {} twips wide, needs {needed}",
                        widths[column]
                    );
                }
            }
        }
        if table.contains(">Measure of impact<") {
            action_plans += 1;
            // the action's words have the widest column but for the measure's, and the
            // headings wrap at their words rather than take the room ("Lead agency" was
            // kept whole and left the action a column narrower than its own)
            let action = widths[0];
            assert!(
                widths[1..].iter().filter(|w| **w > action).count() <= 1,
                "{widths:?}"
            );
            plan_grids.insert(widths.clone());
        }
        // kept with its caption: the paragraph before the table, and every row but the last
        let before = &body[..start];
        let caption = &before[before.rfind("<w:p>").unwrap()..];
        assert!(caption.contains("SEQ Table"), "a table follows its caption");
        assert!(caption.contains("<w:keepNext />"), "{}", text_of(caption));
        if all.len() <= 21 {
            for (r, row) in all.iter().enumerate() {
                let kept = cells
                    .find_iter(row)
                    .all(|c| c.as_str().contains("<w:keepNext />"));
                assert_eq!(kept, r + 1 < all.len(), "row {r} of {}", text_of(caption));
            }
        }
    }
    assert_eq!(action_plans, 3, "the action plan's three tables");
    // one finding's table has the same columns as the next, as in the PDF
    assert_eq!(plan_grids.len(), 1, "{plan_grids:?}");
}
