//! One sheet of a spreadsheet as agencies send it back, read into rows of text: a CSV file
//! in whichever separator and encoding Excel saved it with, or the returns sheet of an XLSX
//! workbook, together with what the workbook's layout hides from the person looking at it
//! (hidden or filtered-out rows, hidden columns, merged cells, formulas with no saved
//! result), so that `spreadsheet` can refuse what would otherwise change a figure unseen.
//!
//! About 550 lines: the CSV reader (encodings, separators, quotes), the XLSX reader (limits,
//! cells, other sheets) and the scan of the sheet's XML for its layout, with their tests.

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
        read_xlsx(path)
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
    let text = decode(path, &bytes)?;
    let separator = separator(&text);
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

/// The most rows and columns a returns sheet may span, and the most its parts may unpack
/// to: a sheet of returns is a few hundred rows of a few hundred columns, and these keep a
/// damaged or hostile file from exhausting memory before a message can be given.
const MAX_ROWS: u32 = 100_000;
const MAX_COLUMNS: u32 = 2_000;
const MAX_UNPACKED: u64 = 128 * 1024 * 1024;
const MAX_CELLS: usize = 2_000_000;

/// An error if the XLSX file at `path` is larger than an input may be, or its parts say they
/// unpack to more than [`MAX_UNPACKED`]: checked before anything is unpacked.
fn refuse_large(path: &Path) -> Result<(), Diagnostic> {
    let refuse = |message: String| Diagnostic::error(Location::file(path), message);
    if let Some(problem) = crate::input::too_large(path) {
        return Err(problem);
    }
    let file = std::fs::File::open(path).map_err(|e| Diagnostic::io("read", path, &e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        refuse(format!(
            "failed to read spreadsheet: not an XLSX file ({e})"
        ))
    })?;
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        if let Ok(part) = archive.by_index_raw(i) {
            unpacked = unpacked.saturating_add(part.size());
        }
    }
    if unpacked > MAX_UNPACKED {
        return Err(refuse(format!(
            "spreadsheet unpacks to {} MB; the limit is {} MB",
            unpacked / 1048576,
            MAX_UNPACKED / 1048576
        )));
    }
    // The sizes a zip's headers state can be lies: each part is unpacked here, counting, and
    // refused as it passes the limit, before the spreadsheet reader unpacks it into memory (a
    // 103 KB workbook whose headers understated its size took 2 GB).
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let Ok(mut part) = archive.by_index(i) else {
            continue;
        };
        let left = MAX_UNPACKED - inflated;
        let read = std::io::copy(
            &mut std::io::Read::take(&mut part, left + 1),
            &mut std::io::sink(),
        )
        .unwrap_or(0);
        inflated += read;
        if read > left {
            return Err(refuse(format!(
                "spreadsheet unpacks to more than {} MB (its headers said {} MB); a damaged or hostile file",
                MAX_UNPACKED / 1048576,
                unpacked / 1048576
            )));
        }
    }
    Ok(())
}

/// The most cells of dates or spreadsheet errors listed one by one.
const MAX_CELL_PROBLEMS: usize = 50;

/// A workbook as opened for reading.
type Workbook = calamine::Xlsx<std::io::BufReader<std::fs::File>>;

/// The workbook's returns sheet as rows of text, with what its other sheets hold and what
/// its layout hides.
fn read_xlsx(path: &Path) -> Result<Table, Diagnostics> {
    use calamine::{Reader, open_workbook};
    refuse_large(path)?;
    let mut book: Workbook = open_workbook(path)
        .map_err(|e| refusal(path, format!("failed to read spreadsheet ({e})")))?;
    let Some(first) = returns_sheet(&book.sheet_names()) else {
        return Ok(Table::default());
    };
    let others = other_sheets(&mut book, &first);
    let rows = sheet_rows(&mut book, path, &first)?;
    let layout = layout(path, &first).map_err(|e| {
        refusal(
            path,
            format!("failed to read the layout of sheet `{first}` ({e})"),
        )
    })?;
    Ok(Table {
        sheet: Some(first),
        rows: rows
            .into_iter()
            .map(|(r, cells)| (r as usize + 1, cells))
            .collect(),
        separator: None,
        layout,
        others,
    })
}

/// An error about the whole file at `path`.
fn refusal(path: &Path, message: String) -> Diagnostics {
    Diagnostics::from(Diagnostic::error(Location::file(path), message))
}

/// The sheet the returns are on: a filled-in template keeps its answers on "Returns" (its
/// drop-down lists are on a hidden sheet after it); otherwise the first sheet.
fn returns_sheet(names: &[String]) -> Option<String> {
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("returns"))
        .or(names.first())
        .cloned()
}

/// What the sheets other than `first` hold (each one's name, its first row holding anything,
/// and whether a row below it holds anything), so that returns put there are not passed
/// over unsaid.
fn other_sheets(book: &mut Workbook, first: &str) -> Vec<(String, Vec<String>, bool)> {
    use calamine::Reader;
    let mut others = Vec::new();
    for other in book.sheet_names().iter().filter(|n| *n != first) {
        let Ok(range) = book.worksheet_range(other) else {
            continue;
        };
        let mut filled = range
            .rows()
            .filter(|row| row.iter().any(|c| !c.to_string().trim().is_empty()));
        let heads: Vec<String> = filled
            .next()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .unwrap_or_default();
        others.push((other.clone(), heads, filled.next().is_some()));
    }
    others
}

/// The rows of sheet `first` that hold anything, by their index in the sheet (so messages
/// give the row and column Excel shows), each up to its last cell; within the limits, and
/// with every date or error cell listed.
fn sheet_rows(
    book: &mut Workbook,
    path: &Path,
    first: &str,
) -> Result<std::collections::BTreeMap<u32, Vec<String>>, Diagnostics> {
    let refuse = |message: String| refusal(path, message);
    let mut cells = book
        .worksheet_cells_reader(first)
        .map_err(|e| refuse(format!("failed to read sheet `{first}` ({e})")))?;
    let size = cells.dimensions();
    if size.end.0 >= MAX_ROWS || size.end.1 >= MAX_COLUMNS {
        return Err(refuse(format!(
            "sheet `{first}` reaches row {} and column {}; returns sheets are limited to {MAX_ROWS} rows and {MAX_COLUMNS} columns (delete what lies beyond the returns)",
            size.end.0 + 1,
            size.end.1 + 1
        )));
    }
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    // Cells read, and cells held: a row is held up to its last cell, so one far-right cell
    // per row holds the whole width (a sheet of 512 KB held 4.7 GB).
    let (mut count, mut held) = (0usize, 0usize);
    // A date or an error in a cell is listed, and the sheet still read, so that every such
    // cell shows at once.
    let mut problems = CellProblems::default();
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(e) => return Err(refuse(format!("failed to read sheet `{first}` ({e})"))),
        };
        count += 1;
        let (r, c) = cell.get_position();
        if held > MAX_CELLS {
            break;
        }
        if count > MAX_CELLS || r >= MAX_ROWS || c >= MAX_COLUMNS {
            return Err(refuse(format!(
                "sheet `{first}` holds more than {MAX_ROWS} rows, {MAX_COLUMNS} columns or {MAX_CELLS} cells"
            )));
        }
        let text = match cell_text(cell.get_value()) {
            Ok(Some(text)) => text,
            Ok(None) => continue,
            Err(message) => {
                problems.push(xlsx_cell(path, first, r, c), message);
                continue;
            }
        };
        let row = rows.entry(r).or_default();
        if row.len() <= c as usize {
            held += c as usize + 1 - row.len();
            row.resize(c as usize + 1, String::new());
        }
        row[c as usize] = text;
    }
    if held > MAX_CELLS {
        return Err(refuse(format!(
            "sheet `{first}` spans more than {MAX_CELLS} cells from each row's first column to its last; delete what lies to the right of the returns"
        )));
    }
    problems.into_result(path)?;
    Ok(rows)
}

/// The place of the cell at 0-based row `r` and column `c` of sheet `sheet`.
fn xlsx_cell(path: &Path, sheet: &str, r: u32, c: u32) -> Location {
    Location::cell(
        path,
        r as usize + 1,
        c as usize + 1,
        Cell {
            sheet: Some(sheet.to_string()),
            ..Cell::default()
        },
    )
}

/// A cell's value as the text of an answer; `None` for an empty cell; a message for a cell
/// that holds no answer (a time, a spreadsheet error).
fn cell_text(value: &calamine::DataRef) -> Result<Option<String>, String> {
    use calamine::DataRef;
    Ok(Some(match value {
        DataRef::Empty => return Ok(None),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => (if *b { "yes" } else { "no" }).to_string(),
        // A date Excel made of a typed one ("2014-07-31" in a Due column) is read as
        // that text; a time is no answer.
        DataRef::DateTime(d) if d.is_datetime() && d.as_f64().fract() == 0.0 => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            format!("{year:04}-{month:02}-{day:02}")
        }
        DataRef::DateTimeIso(d) if d.len() == 10 => d.clone(),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
            return Err("expected text or a number, found a time".into());
        }
        DataRef::Error(e) => {
            return Err(format!(
                "expected text or a number, found a spreadsheet error ({e})"
            ));
        }
    }))
}

/// The cells of dates or spreadsheet errors: the first [`MAX_CELL_PROBLEMS`] listed, the
/// rest counted.
#[derive(Default)]
struct CellProblems {
    listed: Diagnostics,
    more: usize,
}

impl CellProblems {
    fn push(&mut self, at: Location, message: String) {
        if self.listed.0.len() < MAX_CELL_PROBLEMS {
            self.listed.push(Diagnostic::error(at, message));
        } else {
            self.more += 1;
        }
    }

    /// An error listing them, if there are any.
    fn into_result(mut self, path: &Path) -> Result<(), Diagnostics> {
        if self.listed.0.is_empty() {
            return Ok(());
        }
        if self.more > 0 {
            self.listed.push(Diagnostic::error(
                Location::file(path),
                format!(
                    "and {} more cells of dates or spreadsheet errors",
                    self.more
                ),
            ));
        }
        Err(self.listed)
    }
}

/// Row and column (1-based) of a cell reference such as `C3` or `$AB$12`.
fn cell_reference(reference: &str) -> Option<(usize, usize)> {
    let reference = reference.replace('$', "");
    let letters = reference
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .count();
    let (column, row) = reference.split_at(letters);
    if letters == 0 || letters > 3 {
        return None;
    }
    let column = column.chars().try_fold(0usize, |n, c| {
        Some(n * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1))
    })?;
    Some((row.parse().ok()?, column))
}

/// The value of the attribute `key` of an element (namespace prefixes aside).
fn attribute(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    let value = e
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)?
        .value;
    let value = String::from_utf8_lossy(&value).into_owned();
    Some(
        quick_xml::escape::unescape(&value)
            .map(|v| v.into_owned())
            .unwrap_or(value),
    )
}

/// The part of the workbook at `path` that holds the sheet named `name`
/// (`xl/worksheets/sheet1.xml`), from the workbook's list of sheets and its relationships.
fn sheet_part(
    archive: &mut zip::ZipArchive<std::fs::File>,
    name: &str,
) -> Result<Option<String>, String> {
    use quick_xml::events::Event;
    let read =
        |archive: &mut zip::ZipArchive<std::fs::File>, part: &str| -> Result<Vec<u8>, String> {
            use std::io::Read;
            let mut file = archive.by_name(part).map_err(|e| e.to_string())?;
            let mut bytes = Vec::new();
            // (the parts' sizes were checked before anything was unpacked)
            file.by_ref()
                .take(MAX_UNPACKED)
                .read_to_end(&mut bytes)
                .map_err(|e| e.to_string())?;
            Ok(bytes)
        };
    let book = read(archive, "xl/workbook.xml")?;
    let mut reader = quick_xml::Reader::from_reader(book.as_slice());
    let mut buf = Vec::new();
    let mut id = None;
    loop {
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"sheet"
                    && attribute(&e, b"name").as_deref() == Some(name) =>
            {
                id = attribute(&e, b"id");
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    let Some(id) = id else { return Ok(None) };
    let links = read(archive, "xl/_rels/workbook.xml.rels")?;
    let mut reader = quick_xml::Reader::from_reader(links.as_slice());
    loop {
        buf.clear();
        match reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?
        {
            Event::Eof => return Ok(None),
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"Relationship"
                    && attribute(&e, b"Id").as_deref() == Some(id.as_str()) =>
            {
                let target = attribute(&e, b"Target").unwrap_or_default();
                return Ok(Some(match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("xl/{target}"),
                }));
            }
            _ => {}
        }
    }
}

/// What the layout of sheet `name` of the workbook at `path` hides: calamine reads a
/// sheet's values, not whether a person can see them.
fn layout(path: &Path, name: &str) -> Result<Layout, String> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| e.to_string())?;
    let Some(part) = sheet_part(&mut archive, name)? else {
        return Ok(Layout::default());
    };
    let part = archive.by_name(&part).map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let mut scan = LayoutScan::default();
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| e.to_string())?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => scan.start(e, false),
            Event::Empty(e) => scan.start(e, true),
            Event::Text(text) => scan.text(text),
            Event::End(e) => scan.end(e.local_name().as_ref()),
            _ => {}
        }
        buf.clear();
    }
    Ok(scan.layout)
}

/// The scan of a sheet's XML for its [`Layout`], an element at a time.
#[derive(Default)]
struct LayoutScan {
    layout: Layout,
    /// The cell being read: its place, its formula, and whether a result was saved.
    cell: Option<(At, String, bool)>,
    in_formula: bool,
    in_value: bool,
}

impl LayoutScan {
    /// An element opens (`empty`: and closes at once, `<f/>`).
    fn start(&mut self, e: &quick_xml::events::BytesStart, empty: bool) {
        let flag = attribute;
        let on = |value: Option<String>| matches!(value.as_deref(), Some("1" | "true"));
        let zero = |value: Option<String>| {
            value
                .and_then(|v| v.parse::<f64>().ok())
                .is_some_and(|v| v <= 0.0)
        };
        let layout = &mut self.layout;
        match e.local_name().as_ref() {
            // (a row or column dragged down to nothing is hidden too, whatever its `hidden`
            // says)
            b"row" if on(flag(e, b"hidden")) || zero(flag(e, b"ht")) => {
                if let Some(row) = flag(e, b"r").and_then(|r| r.parse().ok()) {
                    layout.hidden_rows.insert(row);
                }
            }
            b"col" if on(flag(e, b"hidden")) || zero(flag(e, b"width")) => {
                let number = |key| flag(e, key).and_then(|n| n.parse::<usize>().ok());
                if let (Some(min), Some(max)) = (number(b"min"), number(b"max")) {
                    // (a column range may run to the sheet's last column)
                    layout
                        .hidden_columns
                        .extend(min..=max.min(MAX_COLUMNS as usize));
                }
            }
            b"autoFilter" => layout.filtered = true,
            b"mergeCell" => {
                let range = flag(e, b"ref").unwrap_or_default();
                let (from, to) = range.split_once(':').unwrap_or((&range, &range));
                if let (Some(from), Some(to)) = (cell_reference(from), cell_reference(to)) {
                    layout.merged.push((from, to, range.clone()));
                }
            }
            b"c" if !empty => {
                self.cell = flag(e, b"r")
                    .and_then(|r| cell_reference(&r))
                    .map(|at| (at, String::new(), false));
            }
            b"f" => self.in_formula = !empty,
            // (an empty `<v/>` is no result: openpyxl writes one)
            b"v" => self.in_value = !empty,
            _ => {}
        }
        // a shared formula's later cells are an empty <f/>: still a formula
        if empty
            && e.local_name().as_ref() == b"f"
            && let Some(cell) = &mut self.cell
            && cell.1.is_empty()
        {
            cell.1 = "(shared formula)".into();
        }
    }

    /// Text inside an element: a formula's, or a saved result's.
    fn text(&mut self, text: &quick_xml::events::BytesText) {
        let Some(cell) = &mut self.cell else {
            return;
        };
        if self.in_formula {
            if let Ok(text) = text.decode() {
                cell.1.push_str(&text);
            }
        } else if self.in_value && !text.is_empty() {
            cell.2 = true;
        }
    }

    /// An element closes: a cell with a formula and no saved result is kept.
    fn end(&mut self, name: &[u8]) {
        match name {
            b"f" => self.in_formula = false,
            b"v" => self.in_value = false,
            b"c" => {
                if let Some((at, formula, saved)) = self.cell.take()
                    && !formula.is_empty()
                    && !saved
                {
                    self.layout.unsaved_formulas.push((at, formula));
                }
            }
            _ => {}
        }
    }
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

    #[test]
    fn cell_references_count_like_a_spreadsheet() {
        assert_eq!(cell_reference("C3"), Some((3, 3)));
        assert_eq!(cell_reference("$AB$12"), Some((12, 28)));
        assert_eq!(cell_reference("3"), None);
    }
}
