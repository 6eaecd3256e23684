//! One sheet of a spreadsheet as agencies send it back, read into rows of text: a CSV file
//! in whichever separator and encoding Excel saved it with, or the returns sheet of an XLSX
//! workbook, together with what the workbook's layout hides from the person looking at it
//! (hidden or filtered-out rows, hidden columns, merged cells, formulas with no saved
//! result), so that `spreadsheet` can refuse what would otherwise change a figure unseen.
//!
//! The CSV reader (encodings, separators, quotes) is here; the XLSX reader (limits, cells,
//! other sheets, the scan of the sheet's XML for its layout) is `workbook`.

use crate::diag::{Cell, Diagnostic, Diagnostics, Location};
use std::collections::BTreeSet;
use std::path::Path;

/// A row's number as the spreadsheet shows it, and its cells.
pub(crate) type Row = (usize, Vec<String>);

/// A sheet as read.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// The sheet of a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    /// The rows holding anything, each at the number the spreadsheet shows.
    pub rows: Vec<Row>,
    /// The separator a CSV file was read with.
    pub separator: Option<char>,
    /// What the workbook's layout hides.
    pub layout: Layout,
    /// The other sheets of a workbook: each one's name, the first row holding anything, and
    /// whether a row below it holds anything.
    pub others: Vec<(String, Vec<String>, bool)>,
}

/// A cell as (row, column), both 1-based.
pub(crate) type At = (usize, usize);

/// What a workbook's layout keeps from view, each place 1-based as Excel shows it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Layout {
    /// Rows hidden, by hand or by a filter.
    pub hidden_rows: BTreeSet<usize>,
    /// Columns hidden.
    pub hidden_columns: BTreeSet<usize>,
    /// Whether the sheet has a filter (its hidden rows are then most likely filtered out).
    pub filtered: bool,
    /// Merged ranges: first and last cell, as (row, column), and as Excel writes it (`A3:B3`).
    pub merged: Vec<(At, At, String)>,
    /// Cells holding a formula with no result saved beside it (a file written by a program
    /// that does not calculate): the cell and its formula.
    pub unsaved_formulas: Vec<(At, String)>,
}

impl Table {
    /// The place of a cell of this sheet: its row and column as the spreadsheet shows them
    /// (0 for a whole row or column), the column's heading from `headings`, and its text.
    pub fn place(
        &self,
        path: &Path,
        headings: &[String],
        (row, column): (usize, usize),
        text: Option<&str>,
    ) -> Location {
        Location::cell(
            path,
            row,
            column,
            Cell {
                sheet: self.sheet.clone(),
                heading: column.checked_sub(1).and_then(|c| headings.get(c).cloned()),
                text: text.map(str::to_string),
            },
        )
    }
}

/// Reads the rows of a CSV or XLSX file (the workbook's sheet named "Returns", or its
/// first), within the limits an input has.
pub(crate) fn read(path: &Path) -> Result<Table, Diagnostics> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        read_csv(path).map_err(Diagnostics::from)
    } else {
        super::workbook::read_xlsx(path)
    }
}

/// The text of a CSV file as Excel may save it: UTF-8 with or without its byte-order mark,
/// or UTF-16 ("Unicode text"), with or without one. Anything else is refused, naming the
/// likely encoding (Windows-1252 is what Excel's plain "CSV" gives on Windows).
fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let utf16 = |bytes: &[u8], little: bool| -> Result<String, Diagnostic> {
        let units = bytes.chunks(2).map(|pair| match (pair, little) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            // an odd last byte: not a whole character
            _ => 0xDC00,
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| {
                Diagnostic::error(
                    Location::file(path),
                    "expected UTF-8 or UTF-16 text, found UTF-16 that is cut short or damaged",
                )
                .with_note("save it again from Excel as \"CSV UTF-8\"")
            })
    };
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec())
            .map_err(|e| crate::input::not_utf8(path, e.as_bytes(), true));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    // UTF-16 without its mark: ASCII letters with a zero byte after (little-endian) or
    // before (big-endian) each, which UTF-8 text never has.
    let head = &bytes[..bytes.len().min(512) & !1];
    let zeros = |odd: usize| {
        head.iter()
            .skip(odd)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = head.len() / 2;
    if half >= 2 && zeros(1) * 10 >= half * 9 && zeros(0) == 0 {
        return utf16(bytes, true);
    }
    if half >= 2 && zeros(0) * 10 >= half * 9 && zeros(1) == 0 {
        return utf16(bytes, false);
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| crate::input::not_utf8(path, e.as_bytes(), true))
}

/// The separators a CSV file may use: Excel writes `;` where the decimal mark is a comma,
/// and tabs in "Unicode text".
const SEPARATORS: [char; 3] = [',', ';', '\t'];

/// The cells of the first `most` records of `text` split at `separator`, quotes respected.
fn records(text: &str, separator: char, most: usize) -> Vec<Vec<String>> {
    let mut records = vec![vec![String::new()]];
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let record = records.last_mut().expect("one record at least");
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                record.last_mut().expect("one cell at least").push('"');
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => record.push(String::new()),
            '\n' if !quoted => {
                if records.len() == most {
                    break;
                }
                records.push(vec![String::new()]);
            }
            '\r' if !quoted => {}
            c => record.last_mut().expect("one cell at least").push(c),
        }
    }
    records
}

/// The separator `text` is written with: the one whose first row has the `case` and `agency`
/// headings, or failing that the one that splits the first rows into the same number of
/// cells (more than one), or failing that the comma.
fn separator(text: &str) -> char {
    let score = |separator: char| {
        let rows = records(text, separator, 20);
        let heads = rows.first().map_or(0, |heads| {
            heads
                .iter()
                .filter(|h| {
                    matches!(
                        crate::input::model::folded(h).as_str(),
                        "case" | "case id" | "agency" | "agency name"
                    )
                })
                .count()
        });
        let widths: BTreeSet<usize> = rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .map(Vec::len)
            .collect();
        let width = rows.first().map_or(0, Vec::len);
        let even = widths.len() == 1 && width > 1;
        (heads, even, width)
    };
    let mut best = ',';
    for candidate in SEPARATORS {
        if score(candidate) > score(best) {
            best = candidate;
        }
    }
    best
}

/// `text` without Excel's `sep=;` first line, and the separator it names: Excel reads the
/// file with it and does not show the line as a row, so rows are numbered as Excel shows
/// them.
fn separator_line(text: String) -> (String, Option<char>) {
    let given = text.split_once('\n').and_then(|(first, rest)| {
        let named = first.trim_end_matches('\r').strip_prefix("sep=")?;
        let mut chars = named.chars();
        let separator = chars.next().filter(|_| chars.next().is_none())?;
        Some((rest.to_string(), separator))
    });
    match given {
        Some((rest, separator)) => (rest, Some(separator)),
        None => (text, None),
    }
}

/// The separator as said in a message.
pub(crate) fn separator_name(separator: char) -> &'static str {
    match separator {
        ';' => "semicolons (;)",
        '\t' => "tabs",
        _ => "commas (,)",
    }
}

/// The first quote of a CSV text the reader would take in some other way than written: a
/// quote inside a quoted cell that is not doubled (`"he said "hi" ok"` read as `he said
/// hi" ok"`), a quote inside a cell not in quotes, a quoted cell never closed. Row and
/// column as a spreadsheet shows them (a quoted cell may span lines), and what is wrong.
fn quote_problem(text: &str, separator: char) -> Option<(usize, usize, &'static str)> {
    let (mut row, mut column) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut at_start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if at_start => {
                let opened = (row, column);
                loop {
                    match chars.next() {
                        None => {
                            return Some((
                                opened.0,
                                opened.1,
                                "a quote (\") opens this cell and is never closed, so it takes in every row after it",
                            ));
                        }
                        Some('"') if chars.peek() == Some(&'"') => {
                            chars.next();
                        }
                        Some('"') => break,
                        Some(_) => {}
                    }
                }
                match chars.peek() {
                    None | Some('\n') | Some('\r') => at_start = false,
                    Some(c) if *c == separator => at_start = false,
                    Some(_) => {
                        return Some((
                            opened.0,
                            opened.1,
                            "a quote inside this quoted cell is not doubled, so the cell would be read cut short",
                        ));
                    }
                }
            }
            '"' => {
                return Some((
                    row,
                    column,
                    "a quote inside a cell that is not in quotes would be read as part of the text in one program and as a quote in another",
                ));
            }
            c if c == separator => {
                column += 1;
                at_start = true;
            }
            '\n' => {
                row += 1;
                column = 1;
                at_start = true;
            }
            _ => at_start = false,
        }
    }
    None
}

fn read_csv(path: &Path) -> Result<Table, Diagnostic> {
    if let Some(problem) = crate::input::too_large(path) {
        return Err(problem);
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io("read", path, &e))?;
    let (text, given) = separator_line(decode(path, &bytes)?);
    let separator = given.unwrap_or_else(|| separator(&text));
    let cell = |row, column| {
        Location::cell(
            path,
            row,
            column,
            Cell {
                heading: None,
                ..Cell::default()
            },
        )
    };
    if let Some((row, column, message)) = quote_problem(&text, separator) {
        return Err(Diagnostic::error(cell(row, column), message)
            .with_note("a cell with a quote in it is written in quotes, the quote doubled: \"he said \"\"hi\"\"\""));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator as u8)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::error(
                Location::at(path, line, 0),
                format!("failed to read CSV ({e})"),
            )
        })?;
        // the row as a spreadsheet shows it (a quoted cell may span lines of the file)
        rows.push((rows.len() + 1, record.iter().map(str::to_string).collect()));
    }
    // Quotes come in pairs ("" inside a cell is two): an odd count means one was opened and
    // never closed, and its cell swallowed every row after it.
    if text.matches('"').count() % 2 == 1
        && let Some((row, cells)) = rows.last()
    {
        let column = cells
            .iter()
            .rposition(|c| c.contains('\n'))
            .unwrap_or(cells.len().saturating_sub(1));
        return Err(Diagnostic::error(
            cell(*row, column + 1),
            "a quote (\") opens this cell and is never closed, so it takes in every row after it",
        )
        .with_note("close the quote, or double a quote that belongs in the text (\"\")"));
    }
    Ok(Table {
        rows,
        separator: Some(separator),
        ..Table::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotes a CSV reader would take otherwise than written, each at its row and column.
    #[test]
    fn quotes_read_otherwise_than_written_are_found_at_their_cell() {
        let ok = "Case,Agency,q2\nC01,Health,\"he said \"\"hi\"\", ok\"\nC02,\"two\nlines\",no\r\n";
        assert_eq!(quote_problem(ok, ','), None);
        let found = |text: &str| quote_problem(text, ',').map(|(r, c, m)| (r, c, &m[..20]));
        assert_eq!(
            found("Case,Agency,q2\nC01,Health,\"he said \"hi\" ok\"\n"),
            Some((2, 3, "a quote inside this "))
        );
        assert_eq!(
            found("Case,Agency,q2,q4\nC01,Health,ye\"s,no\n"),
            Some((2, 3, "a quote inside a cel"))
        );
        assert_eq!(
            found("Case,Agency,q2\nC01,\"Health,yes\nC02,Police,no\n"),
            Some((2, 2, "a quote (\") opens th"))
        );
        assert_eq!(
            quote_problem("Case;Agency;q2\nC01;\"Health; Police\";yes\n", ';'),
            None
        );
    }

    /// Commas inside headings do not make a semicolon file a comma file.
    #[test]
    fn the_separator_is_the_one_that_finds_case_and_agency() {
        let semicolons = "Case;Agency;q1.a: name, date of birth, address\nC01;Health;Yes\n";
        assert_eq!(separator(semicolons), ';');
        assert_eq!(separator("Case\tAgency\tq2\nC01\tHealth\tyes\n"), '\t');
        assert_eq!(separator("Case,Agency,q2\nC01,Health,\"yes; no\"\n"), ',');
        // without the usual headings: the separator that splits every row alike
        assert_eq!(separator("Child;Who;q2, or not\nC01;Health;yes\n"), ';');
    }

    /// Excel's `sep=;` line names the separator and is no row (it read as the headings
    /// row: "no `case` column").
    #[test]
    fn a_sep_line_names_the_separator_and_is_no_row() {
        let (text, given) =
            separator_line("sep=;\r\nCase;Agency;q2\r\nC01;Health;yes, mostly\r\n".into());
        assert_eq!(given, Some(';'));
        assert_eq!(text, "Case;Agency;q2\r\nC01;Health;yes, mostly\r\n");
        let (text, given) = separator_line("sep=x y\nCase,Agency\n".into());
        assert_eq!((text.as_str(), given), ("sep=x y\nCase,Agency\n", None));
    }

    #[test]
    fn utf16_with_or_without_its_mark_reads_as_text() {
        let text = "Case\tAgency\nC01\tHealth — ok\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let path = Path::new("r.csv");
        for bytes in [
            [&[0xFF, 0xFE][..], &le].concat(),
            le.clone(),
            [&[0xFE, 0xFF][..], &be].concat(),
            be.clone(),
            [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        ] {
            assert_eq!(decode(path, &bytes).unwrap(), text);
        }
        // Windows-1252's curly apostrophe is not UTF-8: refused, the encoding named
        let message = decode(path, b"Case,Agency\nC01,Children\x92s Social Care\n")
            .unwrap_err()
            .to_string();
        assert!(message.contains("Windows-1252"), "{message}");
    }
}
