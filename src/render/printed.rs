//! What each written file prints, read back. (Over 500 lines: a reader per kind of file.)
//!
//! What each rendered file prints, read back from the file itself, for the personal data
//! guard's last look before anything is written: a reader each for PDF strings, XML and web
//! markup, CSV and JSON, kept beside the one use they serve.
//!
//! The guard has read every input and every string the documents print (stage 6). This
//! reads what was actually produced, so that a layout of the lead's own (`--templates`),
//! which can assemble text from pieces (`"Jay" + "den Smith"`) or set the document's
//! keywords, cannot get past it: for a PDF, the text Typst set on the pages and the file's
//! metadata, alt text and links; for Word (and any workbook), every text node and every
//! name, description and link target of every part of the zip; for a web page, its text and
//! the attributes a reader or a search engine sees.

use crate::check::guard::Guard;
use crate::diag::{Diagnostics, Location};
use crate::edition::Format;
use quick_xml::events::Event;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use super::Rendered;

/// Every place in `file` where the guard finds what looks like personal data, each once,
/// at `path` (the file as it will be written), naming the part of the file it is in.
pub fn guard_file(guard: &Guard, path: &Path, file: &Rendered) -> Diagnostics {
    guard_parts(guard, path, printed(file), "file")
}

/// Every place in a workbook (or any zip of XML parts) this program made where the guard
/// finds what looks like personal data: every cell, comment and sheet name.
pub fn guard_workbook(guard: &Guard, path: &Path, bytes: &[u8]) -> Diagnostics {
    guard_parts(guard, path, zip_parts(bytes), "workbook")
}

/// Every place in a file of data this program writes beside the documents where the guard
/// finds what looks like personal data: each cell of a CSV file (`figures.csv`), each string
/// of a JSON file (a build's record), or the text, titles and descriptions of an SVG chart.
/// Any other file is read as plain text.
pub fn guard_data(guard: &Guard, path: &Path, bytes: &[u8]) -> Diagnostics {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let (part, text) = match extension {
        "csv" => ("a cell", csv_text(bytes)),
        "json" => ("a value", json_text(bytes)),
        "svg" => ("the text or a description", markup_text(bytes, false)),
        _ => ("the text", String::from_utf8_lossy(bytes).into_owned()),
    };
    guard_parts(guard, path, vec![(part.to_string(), text)], "file")
}

/// Every cell of a CSV file, [`BLOCK_END`] after each, so that figures in neighbouring
/// cells (`943,476,5919`) are not read as one number. A file that does not parse is read
/// as it stands, so nothing goes unread.
fn csv_text(bytes: &[u8]) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = String::new();
    for record in reader.byte_records() {
        let Ok(record) = record else {
            return String::from_utf8_lossy(bytes).into_owned();
        };
        for cell in &record {
            out.push_str(&String::from_utf8_lossy(cell));
            out.push_str(BLOCK_END);
        }
    }
    out
}

/// Every string of a JSON file, keys included, [`BLOCK_END`] after each (a figure is a
/// number, not a string, and is left out: hashes and sizes would meet a pattern by chance).
/// A file that does not parse is read as it stands.
fn json_text(bytes: &[u8]) -> String {
    fn strings(value: &serde_json::Value, out: &mut String) {
        match value {
            // (an input's SHA-256, which this program wrote: its digits meet a pattern by
            // chance, as a synthetic audit's record showed)
            serde_json::Value::String(s) if is_digest(s) => {}
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push_str(BLOCK_END);
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| {
                out.push_str(k);
                out.push_str(BLOCK_END);
                strings(v, out);
            }),
            _ => {}
        }
    }
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(value) => {
            let mut out = String::new();
            strings(&value, &mut out);
            out
        }
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Whether `text` is a SHA-256 digest as the records write one: 64 lower-case hex digits.
fn is_digest(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The guard's findings in each `(part, text)` of the `what` at `path`, each once.
fn guard_parts(
    guard: &Guard,
    path: &Path,
    parts: Vec<(String, String)>,
    what: &str,
) -> Diagnostics {
    let mut seen = BTreeSet::new();
    let mut problems = Diagnostics::default();
    for (part, text) in parts {
        problems.extend(guard.scan_printed(
            &text,
            &|| Location::file(path),
            &format!(" in {part} of the {what} to be written"),
            &mut seen,
        ));
    }
    problems
}

/// The texts `file` prints, each with the part of the file it is in.
pub fn printed(file: &Rendered) -> Vec<(String, String)> {
    match file.format {
        Format::Pdf => {
            let mut parts = vec![("the typeset text".to_string(), file.text.clone())];
            parts.push((
                "its metadata, alt text and links".into(),
                pdf_strings(&file.bytes),
            ));
            parts
        }
        Format::Docx => zip_parts(&file.bytes),
        Format::Html => vec![("the page".into(), markup_text(&file.bytes, true))],
    }
}

/// The text of every XML part of a zip (a Word file, a workbook), by part name. A part
/// that cannot be read is reported as text that says so, which the guard passes: the
/// file was written by this program, so an unreadable part is a bug for the tests.
pub fn zip_parts(bytes: &[u8]) -> Vec<(String, String)> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            continue;
        };
        let name = entry.name().to_string();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let mut xml = Vec::new();
        if entry.read_to_end(&mut xml).is_ok() {
            parts.push((format!("`{name}`"), markup_text(&xml, false)));
        }
    }
    parts
}

/// Elements after which a reader sees a break: paragraphs, rows, cells, items, headings.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"tr",
    b"tc",
    b"td",
    b"th",
    b"li",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"div",
    b"caption",
    b"figcaption",
    b"title",
    b"br",
    b"dt",
    b"dd",
    b"section",
    b"header",
    b"footer",
    b"nav",
    b"table",
    b"si",
    b"c",
    b"row",
    b"comment",
    b"cr",
    b"tab",
];

/// Attributes whose values a reader, a screen reader or a search engine is given: alt text
/// and descriptions, titles, names (a sheet's, a picture's), link targets, meta content.
const SHOWN: &[&[u8]] = &[
    b"alt",
    b"title",
    b"descr",
    b"name",
    b"content",
    b"aria-label",
    b"href",
    b"target",
    b"tooltip",
];

/// What ends a block in the text the guard reads: a line break and a character no pattern
/// reads across, so that figures in neighbouring cells (`65`, `66`, `67` …) are not taken
/// for one number, as figures on the lines of one paragraph would be.
const BLOCK_END: &str = "\n\u{1e}";

/// The text of XML (or of this program's HTML, `html`: void elements, entities, no text in
/// `<style>` or `<script>`): text nodes joined as they run, [`BLOCK_END`] after each block,
/// and the values of [`SHOWN`] attributes, a line each. A workbook cell's value that is the
/// number of a shared string, not a figure, is left out (the string is read where it is).
pub fn markup_text(bytes: &[u8], html: bool) -> String {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut out = String::new();
    let mut attributes = String::new();
    let mut skip = 0usize;
    // (inside a workbook cell whose value is the index of a shared string)
    let mut shared_index = false;
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf);
        match event {
            Ok(Event::Start(ref e)) | Ok(Event::Empty(ref e)) => {
                let local = e.local_name();
                let name = local.as_ref();
                if html
                    && matches!(name, b"style" | b"script")
                    && matches!(event, Ok(Event::Start(_)))
                {
                    skip += 1;
                }
                for attribute in e.attributes().with_checks(false).flatten() {
                    if SHOWN.contains(&attribute.key.local_name().as_ref()) {
                        attributes.push_str(&decoded(&attribute.value, html));
                        attributes.push('\n');
                    }
                }
                // (`<br>` in a web page has no end)
                if (matches!(event, Ok(Event::Empty(_))) && BLOCKS.contains(&name)) || name == b"br"
                {
                    out.push_str(BLOCK_END);
                }
            }
            Ok(Event::End(ref e)) => {
                let local = e.local_name();
                let name = local.as_ref();
                if html && matches!(name, b"style" | b"script") {
                    skip = skip.saturating_sub(1);
                }
                if name == b"c" {
                    shared_index = false;
                }
                if BLOCKS.contains(&name) {
                    out.push_str(BLOCK_END);
                }
            }
            Ok(Event::Text(ref t)) if skip == 0 && !shared_index => {
                out.push_str(&decoded(t, html));
            }
            Ok(Event::CData(ref t)) if skip == 0 => out.push_str(&String::from_utf8_lossy(t)),
            Ok(Event::GeneralRef(ref r)) if skip == 0 => out.push_str(&entity(r, html)),
            Ok(Event::Eof) => break,
            // (markup this reader cannot follow any further: what was read is scanned, and
            // the rest as plain text, so nothing goes unread)
            Err(_) => {
                let at = usize::try_from(reader.buffer_position()).unwrap_or(bytes.len());
                out.push_str(&String::from_utf8_lossy(&bytes[at.min(bytes.len())..]));
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    out.push('\n');
    out.push_str(&attributes);
    out
}

/// Text with its character references resolved (`&amp;`, `&#233;`, and in HTML the few
/// named ones this program writes).
fn decoded(raw: &[u8], html: bool) -> String {
    let text = String::from_utf8_lossy(raw);
    if !text.contains('&') {
        return text.into_owned();
    }
    let mut out = String::new();
    let mut rest = text.as_ref();
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        match after.find(';').filter(|&end| end <= 10) {
            Some(end) => {
                out.push_str(&entity(&after.as_bytes()[..end], html));
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One reference's text (`amp`, `#233`, `#x2013`, `nbsp`), or the reference as written.
fn entity(name: &[u8], html: bool) -> String {
    let name = String::from_utf8_lossy(name);
    let number = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    let character = match name.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" if html => Some('\u{a0}'),
        n if n.starts_with("#x") || n.starts_with("#X") => number(&n[2..], 16),
        n if n.starts_with('#') => number(&n[1..], 10),
        _ => None,
    };
    character.map_or_else(|| format!("&{name};"), String::from)
}

/// A PDF's own strings outside the page content: its metadata (the XMP packet, which
/// holds the title, author, keywords and description) and every string of the keys that
/// carry text for readers (`/Title`, `/Author`, `/Subject`, `/Keywords`, `/Alt`,
/// `/ActualText`, `/E`, `/Contents`, `/TU`, `/URI`), literal or hexadecimal (UTF-16), a
/// line each. Typst writes them outside compressed streams.
pub fn pdf_strings(pdf: &[u8]) -> String {
    let mut out = xmp_fields(pdf);
    out.push_str(&dictionary_strings(pdf));
    out
}

/// The text of the XMP fields a document's settings can fill (its ids are hashes, which
/// would meet a pattern by chance).
fn xmp_fields(pdf: &[u8]) -> String {
    let mut out = String::new();
    let Some(start) = find(pdf, b"<x:xmpmeta") else {
        return out;
    };
    let Some(len) = find(&pdf[start..], b"</x:xmpmeta>") else {
        return out;
    };
    let xmp = &pdf[start..start + len];
    for field in [
        "dc:title",
        "dc:creator",
        "dc:description",
        "dc:subject",
        "dc:rights",
        "pdf:Keywords",
    ] {
        let (open, close) = (format!("<{field}>"), format!("</{field}>"));
        let mut at = 0;
        while let Some(found) = find(&xmp[at..], open.as_bytes()) {
            let from = at + found;
            let Some(len) = find(&xmp[from..], close.as_bytes()) else {
                break;
            };
            out.push_str(&markup_text(&xmp[from..from + len + close.len()], false));
            at = from + len;
        }
    }
    out
}

/// Every string of the keys that carry text for readers, outside streams, a line each.
fn dictionary_strings(pdf: &[u8]) -> String {
    const KEYS: &[&[u8]] = &[
        b"/Title",
        b"/Author",
        b"/Subject",
        b"/Keywords",
        b"/Alt",
        b"/ActualText",
        b"/E",
        b"/Contents",
        b"/TU",
        b"/URI",
    ];
    let mut out = String::new();
    let mut at = 0;
    while let Some(found) = pdf[at..].iter().position(|&b| b == b'/' || b == b's') {
        let key_start = at + found;
        at = key_start + 1;
        // (a stream's bytes are pages, fonts and pictures, compressed: not strings, and
        // read as strings they would meet a pattern by chance)
        if pdf[key_start..].starts_with(b"stream")
            && matches!(pdf.get(key_start + 6), Some(b'\r' | b'\n'))
        {
            match find(&pdf[key_start..], b"endstream") {
                Some(end) => at = key_start + end + 9,
                None => break,
            }
            continue;
        }
        let Some(key) = KEYS.iter().find(|k| {
            pdf[key_start..].starts_with(k)
                && !pdf
                    .get(key_start + k.len())
                    .is_some_and(u8::is_ascii_alphanumeric)
        }) else {
            continue;
        };
        let mut i = key_start + key.len();
        while pdf.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let (text, end) = match pdf.get(i) {
            Some(b'(') => literal(pdf, i + 1),
            Some(b'<') if pdf.get(i + 1) != Some(&b'<') => hexadecimal(pdf, i + 1),
            _ => continue,
        };
        out.push_str(&text);
        out.push('\n');
        at = end;
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A literal string from just after its `(`: its text and where it ends.
fn literal(pdf: &[u8], mut i: usize) -> (String, usize) {
    let mut bytes = Vec::new();
    let mut depth = 0usize;
    while let Some(&b) = pdf.get(i) {
        i += 1;
        match b {
            b'\\' => {
                let Some(&next) = pdf.get(i) else { break };
                i += 1;
                match next {
                    b'n' => bytes.push(b'\n'),
                    b'r' => bytes.push(b'\r'),
                    b't' => bytes.push(b'\t'),
                    b'b' | b'f' => {}
                    b'0'..=b'7' => {
                        let mut value = u32::from(next - b'0');
                        for _ in 0..2 {
                            match pdf.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        bytes.push(value as u8);
                    }
                    b'\r' | b'\n' => {}
                    other => bytes.push(other),
                }
            }
            b'(' => {
                depth += 1;
                bytes.push(b);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                bytes.push(b);
            }
            _ => bytes.push(b),
        }
    }
    (pdf_text(&bytes), i)
}

/// A hexadecimal string from just after its `<`: its text and where it ends.
fn hexadecimal(pdf: &[u8], mut i: usize) -> (String, usize) {
    let mut digits = Vec::new();
    while let Some(&b) = pdf.get(i) {
        i += 1;
        match b {
            b'>' => break,
            b if b.is_ascii_hexdigit() => digits.push(b),
            _ => {}
        }
    }
    if digits.len() % 2 == 1 {
        digits.push(b'0');
    }
    let bytes: Vec<u8> = digits
        .chunks(2)
        .filter_map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect();
    (pdf_text(&bytes), i)
}

/// A PDF text string: UTF-16 with its byte order mark, UTF-8 with its own, or else one
/// byte a character (PDFDocEncoding, as Latin-1 for the letters that matter here).
fn pdf_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_strings_are_read_literal_escaped_and_utf16() {
        let pdf = b"<< /Title (Jay\\(den\\) Smith) /Author <FEFF004B00610079006C0065006900670068> /Alt(a\\142c) /Subtype /Link /Length 9 >>\nstream\n/Title(x)\nendstream\n<< /TU (ok) >>";
        let text = pdf_strings(pdf);
        assert_eq!(text, "Jay(den) Smith\nKayleigh\nabc\nok\n");
    }

    #[test]
    fn markup_is_read_as_a_reader_sees_it() {
        let xml = br#"<w:p><w:r><w:t>Jay</w:t></w:r><w:r><w:t xml:space="preserve">den Smith</w:t></w:r></w:p><w:p><w:t>Tom &amp; Ann</w:t></w:p><wp:docPr id="1" name="Chart" descr="Alt text"/>"#;
        let text = markup_text(xml, false);
        assert!(
            text.starts_with("Jayden Smith\n\u{1e}Tom & Ann\n\u{1e}"),
            "{text}"
        );
        assert!(text.contains("Chart\nAlt text\n"), "{text}");
        let html = b"<!DOCTYPE html><html><head><meta name=\"author\" content=\"Kay&#322;eigh\"><style>p{}</style></head><body><p>a&nbsp;b<br>c</p><img alt=\"x\"></body></html>";
        let text = markup_text(html, true);
        assert!(text.contains("a\u{a0}b\n\u{1e}c"), "{text}");
        assert!(
            text.contains("Kay\u{142}eigh") && !text.contains("p{}"),
            "{text}"
        );
    }

    /// CSV cells, JSON strings and SVG text are each read, cell by cell: figures side by
    /// side are not a phone number, but a name in any of them is found.
    #[test]
    fn data_files_are_read_cell_by_cell() {
        let guard = Guard::new(&["Jayden Smith".into()], &[]);
        let found = |name: &str, bytes: &[u8]| {
            guard_data(&guard, Path::new(name), bytes)
                .0
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        };
        assert!(
            found(
                "figures.csv",
                b"scope,count\nall cases,943\nall,476\nx,5919\n"
            )
            .is_empty()
        );
        assert!(found("figures.csv", b"a,b\n943,476,5919\n").is_empty());
        let csv = found(
            "figures.csv",
            "scope,label\nall cases,\"Jay\u{200b}den Smith, seen\"\n".as_bytes(),
        );
        assert_eq!(csv.len(), 1, "{csv:?}");
        assert!(csv[0].contains("in a cell of the file"), "{csv:?}");
        assert!(found("r.record.json", br#"{"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","sizes":[943,476,5919],"date":"2014-02-28"}"#).is_empty());
        // a digest whose digits would read as an NHS number is the program's own
        let digest = format!("{}b9434765919", "0".repeat(53));
        let record = format!(r#"{{"inputs":{{"cases.yaml":"{digest}"}}}}"#);
        assert!(found("r.record.json", record.as_bytes()).is_empty());
        let json = found("r.record.json", br#"{"files":{"Jayden Smith.yaml":1}}"#);
        assert_eq!(json.len(), 1, "{json:?}");
        let svg = found(
            "q1.svg",
            b"<svg><title>Jayden Smith</title><text>Yes</text></svg>",
        );
        assert_eq!(svg.len(), 1, "{svg:?}");
        // not valid CSV or JSON: read as it stands
        assert_eq!(found("x.json", b"{ Jayden Smith").len(), 1);
    }

    /// A workbook's sheet names, comments and cells are read; figures in neighbouring
    /// cells are not one number, nor is a cell's shared-string index a figure.
    #[test]
    fn a_workbook_is_read_cell_comment_and_sheet_name() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Jayden Smith").unwrap();
        for (column, n) in [943.0, 476.0, 5919.0].into_iter().enumerate() {
            sheet.write_number(0, column as u16, n).unwrap();
        }
        sheet.write_string(1, 0, "Recording was clear.").unwrap();
        let note = rust_xlsxwriter::Note::new("seen with Tyler Ashworth");
        sheet.insert_note(1, 0, &note).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let guard = Guard::new(&["Jayden Smith".into(), "Tyler Ashworth".into()], &[]);
        let found = guard_workbook(&guard, Path::new("book.xlsx"), &bytes);
        let messages: Vec<String> = found.0.iter().map(|d| d.message.clone()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("`xl/workbook.xml`") || messages[1].contains("`xl/workbook.xml`"),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("comments")),
            "{messages:?}"
        );
        assert!(messages.iter().all(|m| !m.contains("NHS")), "{messages:?}");
    }
}
