//! The returns sheet of an XLSX workbook. (Over 500 lines, just: the reader, its limits and
//! the scan of the sheet's XML are one path from a file to a table.) Read into rows of
//! text, within limits (size, unpacked parts, rows, columns, cells), with what its other
//! sheets hold and what its layout hides from the person looking at it (hidden or
//! filtered-out rows, hidden columns, merged cells, formulas with no saved result), read
//! from the sheet's XML.

use super::sheet::{At, Layout, Table};
use crate::diag::{Cell, Diagnostic, Diagnostics, Location};
use std::path::Path;

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
pub(super) fn read_xlsx(path: &Path) -> Result<Table, Diagnostics> {
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

/// The sheet the rows are on: a filled-in template keeps its answers on "Returns" (its
/// drop-down lists are on a hidden sheet after it), the tracking workbook its actions on
/// "Actions" (a sheet of notes put in front of it was read instead); otherwise the first.
fn returns_sheet(names: &[String]) -> Option<String> {
    names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("returns"))
        .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case("actions")))
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
        // As the sheet shows it: TRUE is no "Yes" (a return read it as one, unsaid; the
        // same TRUE in a CSV is refused as no option).
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
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

    #[test]
    fn cell_references_count_like_a_spreadsheet() {
        assert_eq!(cell_reference("C3"), Some((3, 3)));
        assert_eq!(cell_reference("$AB$12"), Some((12, 28)));
        assert_eq!(cell_reference("3"), None);
    }
}
