//! Intake: returns as spreadsheets, the way an e-survey tool exports them: CSV or XLSX, one
//! row per return, a column per question or checklist item, a comments column per question.
//! Each row becomes the same [`RawReturn`] a YAML return gives, with a [`Source`] that points
//! problems back at its row and column.
//!
//! Headers are matched without a mapping in the obvious cases: `case` and `agency`; a
//! question id (`q2`) or its wording; a checklist item as `q1.c`, `q1c` or "wording - item";
//! comments as `q2 comments` or "wording - Comments". `columns.yaml` in the audit folder maps
//! any other header (`"Supervision?": q2`, `"Chronology": q1.c`, `"Notes": comments:q2`,
//! `"Timestamp": ignore`). A cell may hold the option's id or its wording; several options of
//! a multiple-choice question are separated by `;`.
//!
//! About 650 lines: reading CSV and XLSX, matching headings and turning rows into returns
//! are one path from a sheet to returns, with their tests; each step is its own function.

use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::input::model::{QuestionBank, QuestionKind, RawReturn};
use crate::input::{Cells, Parsed, Source};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `columns.yaml`: headers that need telling what they are.
#[derive(Debug, Clone, Default, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ColumnMap {
    /// Header → `case`, `agency`, a question or item id, `comments:<question>` or `ignore`.
    #[serde(deserialize_with = "crate::input::model::unique")]
    pub columns: BTreeMap<String, String>,
}

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
enum Column {
    Case,
    Agency,
    /// An answer: question id, and the item for a checklist.
    Answer(String, Option<String>),
    Comments(String),
    Ignore,
}

/// Lowercase, with runs of anything but letters and digits as one space.
fn normal(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// What `header` names, if anything.
fn classify(header: &str, bank: &QuestionBank, map: &ColumnMap) -> Option<Column> {
    let named = |target: &str| -> Option<Column> {
        match target {
            "case" => Some(Column::Case),
            "agency" => Some(Column::Agency),
            "ignore" => Some(Column::Ignore),
            _ => {
                if let Some(question) = target.strip_prefix("comments:") {
                    return bank
                        .questions
                        .iter()
                        .any(|q| q.id == question)
                        .then(|| Column::Comments(question.to_string()));
                }
                let (question, item) = match target.split_once('.') {
                    Some((q, i)) => (q, Some(i.to_string())),
                    None => (target, None),
                };
                let q = bank.questions.iter().find(|q| q.id == question)?;
                match (&item, q.kind) {
                    (Some(i), QuestionKind::Checklist) if q.items.iter().any(|it| &it.id == i) => {
                        Some(Column::Answer(q.id.clone(), item))
                    }
                    (None, kind) if kind != QuestionKind::Checklist => {
                        Some(Column::Answer(q.id.clone(), None))
                    }
                    _ => None,
                }
            }
        }
    };
    if let Some(target) = map.columns.get(header) {
        return named(target.trim());
    }
    // "q2: Is there evidence…", as the collection template heads its columns.
    if let Some((id, _)) = header.split_once(':')
        && let Some(column) = named(id.trim())
    {
        return Some(column);
    }
    let h = normal(header);
    if matches!(h.as_str(), "case" | "case id") {
        return Some(Column::Case);
    }
    if matches!(h.as_str(), "agency" | "agency name") {
        return Some(Column::Agency);
    }
    for q in &bank.questions {
        let (id, wording) = (normal(&q.id), normal(&q.text));
        for comment in [
            format!("{id} comments"),
            format!("{wording} comments"),
            format!("comments {id}"),
        ] {
            if h == comment {
                return Some(Column::Comments(q.id.clone()));
            }
        }
        if q.kind == QuestionKind::Checklist {
            for item in &q.items {
                let item_id = normal(&item.id);
                for form in [
                    format!("{id} {item_id}"),
                    format!("{id}{item_id}"),
                    format!("{wording} {}", normal(&item.text)),
                    normal(&item.text),
                ] {
                    if h == form {
                        return Some(Column::Answer(q.id.clone(), Some(item.id.clone())));
                    }
                }
            }
        } else if h == id || h == wording {
            return Some(Column::Answer(q.id.clone(), None));
        }
    }
    None
}

/// A cell's text, and whether it was something other than text or a number.
/// A row's number as the spreadsheet shows it, and its cells.
pub(crate) type Row = (usize, Vec<String>);

/// The rows of a CSV or XLSX file (its first sheet, or the one named "Returns"), each at the
/// row number a spreadsheet shows, with the same limits as returns.
pub(crate) fn rows(path: &Path) -> Result<Vec<Row>, Diagnostics> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        read_csv(path).map_err(Diagnostics::from)
    } else {
        read_xlsx(path)
    }
}

/// Reads a CSV or XLSX file of returns.
pub fn read(
    path: &Path,
    bank: &QuestionBank,
    map: &ColumnMap,
    problems: &mut Diagnostics,
) -> Vec<Parsed<RawReturn>> {
    let rows = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .as_deref()
    {
        Some("csv") => read_csv(path).map_err(Diagnostics::from),
        _ => read_xlsx(path),
    };
    let rows = match rows {
        Ok(rows) => rows,
        Err(found) => {
            problems.extend(found);
            return Vec::new();
        }
    };
    let Some(((header_row, headers), data)) = rows.split_first() else {
        problems.push(
            Diagnostic::error(Location::file(path), "file is empty")
                .with_note("expected a header row, then one row per return"),
        );
        return Vec::new();
    };
    let Some(columns) = columns(path, *header_row, headers, bank, map, problems) else {
        return Vec::new();
    };
    if beyond_headings(path, headers, data, problems) {
        return Vec::new();
    }
    let mut blanks = Vec::new();
    let mut returns = Vec::new();
    for (row, cells) in data {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        returns.push(row_return(path, *row, cells, &columns, bank, &mut blanks));
    }
    if !blanks.is_empty() {
        blanks.dedup();
        let shown: Vec<String> = blanks.iter().take(12).map(usize::to_string).collect();
        let more = if blanks.len() > 12 { ", …" } else { "" };
        problems.push(Diagnostic::note(
            Location::file(path),
            format!(
                "blank answers on {} row(s) ({}{more}) count as not answered",
                blanks.len(),
                shown.join(", ")
            ),
        ));
    }
    returns
}

/// What each heading of a sheet reads as; `None` (with the problems) when a heading matches
/// nothing, two read as one answer, one could be several questions, or case or agency is
/// missing.
fn columns(
    path: &Path,
    header_row: usize,
    headers: &[String],
    bank: &QuestionBank,
    map: &ColumnMap,
    problems: &mut Diagnostics,
) -> Option<Vec<Column>> {
    let mut columns = Vec::new();
    let mut ok = true;
    for (c, header) in headers.iter().enumerate() {
        match classify(header, bank, map) {
            Some(column) => columns.push(column),
            None if header.trim().is_empty() => columns.push(Column::Ignore),
            None => {
                ok = false;
                let known: Vec<String> = bank.questions.iter().map(|q| q.id.clone()).collect();
                let mut d = Diagnostic::error(
                    Location::at(path, header_row, c + 1),
                    format!("column `{header}` matches no question; expected `case`, `agency`, a question id, its wording, or `<question> comments`"),
                )
                .with_note("say what it is in columns.yaml (`\"header\": q2`, or `ignore`)");
                if let Some(near) = nearest(&normal(header), known.iter().map(String::as_str)) {
                    d = d.with_note(format!("did you mean {near}?"));
                }
                problems.push(d);
            }
        }
    }
    // Two columns read as one answer would let the second overwrite the first, and a
    // heading two questions share (their wording) could be either.
    for (c, column) in columns.iter().enumerate() {
        if *column == Column::Ignore {
            continue;
        }
        if let Some(first) = columns[..c].iter().position(|earlier| earlier == column) {
            ok = false;
            problems.push(
                Diagnostic::error(
                    Location::at(path, header_row, c + 1),
                    format!(
                        "column `{}` reads as the same answer as column {} (`{}`)",
                        headers[c].trim(),
                        first + 1,
                        headers[first].trim()
                    ),
                )
                .with_note("head each column with its question id (`q2`, `q1.a`, `q2 comments`)"),
            );
        }
        let h = normal(&headers[c]);
        let sharing: Vec<&str> = bank
            .questions
            .iter()
            .filter(|q| q.kind != QuestionKind::Checklist && normal(&q.text) == h)
            .map(|q| q.id.as_str())
            .collect();
        if sharing.len() > 1 {
            ok = false;
            problems.push(
                Diagnostic::error(
                    Location::at(path, header_row, c + 1),
                    format!(
                        "column `{}` could be any of questions {}, which share that wording",
                        headers[c].trim(),
                        sharing.join(", ")
                    ),
                )
                .with_note("head the column with the question id (`q2: …`)"),
            );
        }
    }
    for (needed, column) in [("case", Column::Case), ("agency", Column::Agency)] {
        if !columns.contains(&column) {
            ok = false;
            problems.push(Diagnostic::error(
                Location::at(path, header_row, 0),
                format!("no `{needed}` column; expected one among the headers"),
            ));
        }
    }
    ok.then_some(columns)
}

/// Whether any row has text beyond the last heading (each such cell an error).
fn beyond_headings(
    path: &Path,
    headers: &[String],
    data: &[Row],
    problems: &mut Diagnostics,
) -> bool {
    let headings = headers.len();
    let mut beyond = false;
    for (row, cells) in data {
        // A column without a heading is passed over: what is written in it would be lost.
        for (c, cell) in cells.iter().enumerate().take(headings) {
            if headers[c].trim().is_empty() && !cell.trim().is_empty() {
                beyond = true;
                problems.push(
                    Diagnostic::error(
                        Location::at(path, *row, c + 1),
                        format!(
                            "expected nothing in column {}, which has no heading, found `{}`",
                            c + 1,
                            cell.trim()
                        ),
                    )
                    .with_note(
                        "give the column a heading, or move the text into the comments column",
                    ),
                );
            }
        }
        if let Some(c) = cells
            .iter()
            .enumerate()
            .skip(headings)
            .find(|(_, cell)| !cell.trim().is_empty())
            .map(|(c, _)| c)
        {
            beyond = true;
            problems.push(
                Diagnostic::error(
                    Location::at(path, *row, c + 1),
                    format!(
                        "expected nothing beyond the last heading (column {}), found `{}`",
                        headings,
                        cells[c].trim()
                    ),
                )
                .with_note("give the column a heading, or move the text into the comments column"),
            );
        }
    }
    beyond
}

/// One row as a return, with where each cell stands; blank answers are noted in `blanks`.
fn row_return(
    path: &Path,
    row: usize,
    cells: &[String],
    columns: &[Column],
    bank: &QuestionBank,
    blanks: &mut Vec<usize>,
) -> Parsed<RawReturn> {
    let mut value = RawReturn {
        case: String::new(),
        agency: String::new(),
        answers: BTreeMap::new(),
        comments: BTreeMap::new(),
    };
    let mut keys = BTreeMap::new();
    let mut lines = Vec::new();
    let mut text = String::new();
    for (c, column) in columns.iter().enumerate() {
        let cell = cells.get(c).map(|s| s.trim()).unwrap_or("");
        let line = lines.len();
        lines.push(c + 1);
        // One line per cell, so a line is a column (the value itself keeps its breaks).
        text.push_str(&cell.replace(['\r', '\n'], " "));
        text.push('\n');
        match column {
            Column::Case => {
                value.case = cell.to_string();
                keys.insert("case".to_string(), line);
            }
            Column::Agency => {
                value.agency = cell.to_string();
                keys.insert("agency".to_string(), line);
            }
            Column::Ignore => {}
            Column::Comments(q) => {
                if !cell.is_empty() {
                    value.comments.insert(q.clone(), cell.to_string());
                    keys.insert(format!("comments/{q}"), line);
                }
            }
            Column::Answer(q, item) => {
                if cell.is_empty() {
                    blanks.push(row);
                    continue;
                }
                answer(
                    bank,
                    q,
                    item.as_deref(),
                    cell,
                    &mut value.answers,
                    &mut keys,
                    line,
                );
            }
        }
    }
    let source = Source {
        path: path.to_path_buf(),
        text,
        cells: Some(Cells {
            row,
            columns: lines,
            keys,
        }),
    };
    Parsed { value, source }
}

/// One answer cell into the return's answers (an option's id or wording → its id): a
/// checklist item into its question's map, a multiple choice split at `;`.
fn answer(
    bank: &QuestionBank,
    q: &str,
    item: Option<&str>,
    cell: &str,
    answers: &mut BTreeMap<String, Value>,
    keys: &mut BTreeMap<String, usize>,
    line: usize,
) {
    let question = bank.questions.iter().find(|x| x.id == q);
    // a checklist without options is answered yes or no (as validation assumes)
    let options: Vec<(&str, &str)> = match question {
        Some(x) if x.options.is_empty() && x.kind == QuestionKind::Checklist => {
            vec![("yes", "Yes"), ("no", "No")]
        }
        Some(x) => x
            .options
            .iter()
            .map(|o| (o.id.as_str(), o.text.as_str()))
            .collect(),
        None => Vec::new(),
    };
    let as_id = |text: &str| -> String {
        options
            .iter()
            .find(|(id, wording)| *id == text || normal(wording) == normal(text))
            .map_or_else(|| text.to_string(), |(id, _)| id.to_string())
    };
    match item {
        Some(item) => {
            let entry = answers
                .entry(q.to_string())
                .or_insert_with(|| Value::Mapping(Default::default()));
            if let Value::Mapping(items) = entry {
                items.insert(Value::from(item), Value::from(as_id(cell)));
            }
            keys.entry(format!("answers/{q}")).or_insert(line);
            keys.insert(format!("answers/{q}/{item}"), line);
        }
        None if question.is_some_and(|x| x.kind == QuestionKind::Multiple) => {
            let chosen = cell
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::from(as_id(s)))
                .collect();
            answers.insert(q.to_string(), Value::Sequence(chosen));
            keys.insert(format!("answers/{q}"), line);
        }
        None => {
            answers.insert(q.to_string(), Value::from(as_id(cell)));
            keys.insert(format!("answers/{q}"), line);
        }
    }
}

/// The first quote of a CSV text the reader would take in some other way than written: a
/// quote inside a quoted cell that is not doubled (`"he said "hi" ok"` read as `he said
/// hi" ok"`), a quote inside a cell not in quotes, a quoted cell never closed. Row and
/// column as a spreadsheet shows them (a quoted cell may span lines), and what is wrong.
fn quote_problem(text: &str) -> Option<(usize, usize, &'static str)> {
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
                    None | Some(',') | Some('\n') | Some('\r') => at_start = false,
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
            ',' => {
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

fn read_csv(path: &Path) -> Result<Vec<Row>, Diagnostic> {
    if let Some(problem) = crate::input::too_large(path) {
        return Err(problem);
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io("read", path, &e))?;
    let text =
        String::from_utf8(bytes).map_err(|e| crate::input::not_utf8(path, e.as_bytes(), true))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if let Some((row, column, message)) = quote_problem(text) {
        return Err(Diagnostic::error(Location::at(path, row, column), message)
            .with_note("a cell with a quote in it is written in quotes, the quote doubled: \"he said \"\"hi\"\"\""));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
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
            Location::at(path, *row, column + 1),
            "a quote (\") opens this cell and is never closed, so it takes in every row after it",
        )
        .with_note("close the quote, or double a quote that belongs in the text (\"\")"));
    }
    Ok(rows)
}

/// The most rows and columns a returns sheet may span, and the most its parts may unpack
/// to: a sheet of returns is a few hundred rows of a few hundred columns, and these keep a
/// damaged or hostile file from exhausting memory before a message can be given.
const MAX_ROWS: u32 = 100_000;
const MAX_COLUMNS: u32 = 2_000;
const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
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
    Ok(())
}

/// The most cells of dates or spreadsheet errors listed one by one.
const MAX_CELL_PROBLEMS: usize = 50;

fn read_xlsx(path: &Path) -> Result<Vec<Row>, Diagnostics> {
    use calamine::{DataRef, Reader, Xlsx, open_workbook};
    let refuse =
        |message: String| Diagnostics::from(Diagnostic::error(Location::file(path), message));
    refuse_large(path)?;
    let mut book: Xlsx<_> =
        open_workbook(path).map_err(|e| refuse(format!("failed to read spreadsheet ({e})")))?;
    // A filled-in template keeps its answers on "Returns" (its drop-down lists are on a
    // hidden sheet before it); otherwise the first sheet.
    let names = book.sheet_names();
    let Some(first) = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("returns"))
        .or(names.first())
        .cloned()
    else {
        return Ok(Vec::new());
    };
    // Returns on another sheet would be passed over without a word.
    for other in names.iter().filter(|n| **n != first) {
        let Ok(range) = book.worksheet_range(other) else {
            continue;
        };
        let heads: Vec<String> = range
            .rows()
            .next()
            .map(|row| {
                row.iter()
                    .map(|c| c.to_string().trim().to_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        if heads.iter().any(|h| h == "case") && heads.iter().any(|h| h == "agency") {
            return Err(refuse(format!(
                "sheet `{other}` has Case and Agency columns too, but only sheet `{first}` is read; put every return on `{first}`"
            )));
        }
    }
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(|e| refuse(format!("failed to read sheet `{first}` ({e})")))?;
    let size = cells.dimensions();
    if size.end.0 >= MAX_ROWS || size.end.1 >= MAX_COLUMNS {
        return Err(refuse(format!(
            "sheet `{first}` reaches row {} and column {}; returns sheets are limited to {MAX_ROWS} rows and {MAX_COLUMNS} columns (delete what lies beyond the returns)",
            size.end.0 + 1,
            size.end.1 + 1
        )));
    }
    // Rows keep their place in the sheet, so messages give the row and column Excel shows.
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    // Cells read, and cells held: a row is held up to its last cell, so one far-right cell
    // per row holds the whole width (a sheet of 512 KB held 4.7 GB).
    let (mut count, mut held) = (0usize, 0usize);
    // A date or an error in a cell is listed, and the sheet still read, so that every such
    // cell shows at once.
    let mut cell_problems = Diagnostics::default();
    let mut more_problems = 0usize;
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
        let at = || Location::at(path, r as usize + 1, c as usize + 1);
        let mut problem = |message: String| {
            if cell_problems.0.len() < MAX_CELL_PROBLEMS {
                cell_problems.push(Diagnostic::error(at(), message));
            } else {
                more_problems += 1;
            }
        };
        let text = match cell.get_value() {
            DataRef::Empty => continue,
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
                problem("expected text or a number, found a time".into());
                continue;
            }
            DataRef::Error(e) => {
                problem(format!(
                    "expected text or a number, found a spreadsheet error ({e})"
                ));
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
    if !cell_problems.0.is_empty() {
        if more_problems > 0 {
            cell_problems.push(Diagnostic::error(
                Location::file(path),
                format!("and {more_problems} more cells of dates or spreadsheet errors"),
            ));
        }
        return Err(cell_problems);
    }
    Ok(rows
        .into_iter()
        .map(|(r, cells)| (r as usize + 1, cells))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotes a CSV reader would take otherwise than written, each at its row and column.
    #[test]
    fn quotes_read_otherwise_than_written_are_found_at_their_cell() {
        let ok = "Case,Agency,q2\nC01,Health,\"he said \"\"hi\"\", ok\"\nC02,\"two\nlines\",no\r\n";
        assert_eq!(quote_problem(ok), None);
        let found = |text: &str| quote_problem(text).map(|(r, c, m)| (r, c, &m[..20]));
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
    }

    fn bank() -> QuestionBank {
        serde_yaml::from_str(
            "title: t\nquestions:\n  - {id: q1, number: '1', text: Does the file contain?, kind: checklist, items: [{id: a, text: Basic information}, {id: c, text: Chronology}], options: [{id: yes, text: 'Yes'}, {id: no, text: 'No'}]}\n  - {id: q2, number: '2', text: Is there evidence of supervision?, kind: single, options: [{id: yes, text: 'Yes'}, {id: na, text: Not applicable}]}\n",
        )
        .unwrap()
    }

    #[test]
    fn headers_match_ids_wordings_items_and_comments() {
        let (b, m) = (bank(), ColumnMap::default());
        assert_eq!(classify("Case ID", &b, &m), Some(Column::Case));
        assert_eq!(
            classify("q2", &b, &m),
            Some(Column::Answer("q2".into(), None))
        );
        assert_eq!(
            classify("Is there evidence of supervision?", &b, &m),
            Some(Column::Answer("q2".into(), None))
        );
        assert_eq!(
            classify("q1.c", &b, &m),
            Some(Column::Answer("q1".into(), Some("c".into())))
        );
        assert_eq!(
            classify("Q1c", &b, &m),
            Some(Column::Answer("q1".into(), Some("c".into())))
        );
        assert_eq!(
            classify("Does the file contain? - Chronology", &b, &m),
            Some(Column::Answer("q1".into(), Some("c".into())))
        );
        assert_eq!(
            classify("q2 Comments", &b, &m),
            Some(Column::Comments("q2".into()))
        );
        assert_eq!(classify("Timestamp", &b, &m), None);
        let mapped = ColumnMap {
            columns: BTreeMap::from([
                ("Timestamp".into(), "ignore".into()),
                ("Supervised?".into(), "q2".into()),
            ]),
        };
        assert_eq!(classify("Timestamp", &b, &mapped), Some(Column::Ignore));
        assert_eq!(
            classify("Supervised?", &b, &mapped),
            Some(Column::Answer("q2".into(), None))
        );
    }
}
