//! Intake: returns as spreadsheets, the way an e-survey tool exports them. (Over 500 lines:
//! matching headings, checking the columns and turning rows into returns are one path from
//! a sheet to returns, each step its own function, with their tests.) CSV or XLSX, one
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
//! Reading the sheet itself (encodings, separators, the workbook's layout) is `sheet`'s. What
//! the layout hides, a column absent or blank, and a heading that is no question are said
//! here at their places; see docs/audit-folder.md, "Spreadsheets from agencies".

use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::input::model::{QuestionBank, QuestionKind, RawReturn};
use crate::input::sheet::{self, Row, Table};
use crate::input::{Cells, Parsed, Sheet, Source};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

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

/// A heading as compared: as an answer is (`model::folded`).
fn normal(text: &str) -> String {
    crate::input::model::folded(text)
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

/// Reads a CSV or XLSX file of returns. Every problem of the file is reported at once: a
/// heading that cannot be read leaves its column out, and the rest is still read.
pub fn read(
    path: &Path,
    bank: &QuestionBank,
    map: &ColumnMap,
    problems: &mut Diagnostics,
) -> Vec<Parsed<RawReturn>> {
    let table = match sheet::read(path) {
        Ok(table) => table,
        Err(found) => {
            problems.extend(found);
            return Vec::new();
        }
    };
    let heading_index = heading_index(&table, bank, map);
    let Some(((header_row, headers), data)) = table.rows[heading_index..].split_first() else {
        problems.push(
            Diagnostic::error(table.place(path, &[], (0, 0), None), "file is empty")
                .with_note("expected a header row, then one row per return"),
        );
        return Vec::new();
    };
    if heading_index > 0 {
        problems.push(rows_above(path, &table, heading_index, *header_row));
    }
    let place = |row: usize, column: usize, text: Option<&str>| {
        table.place(path, headers, (row, column), text)
    };
    other_sheets(path, &table, bank, map, problems);
    let Some(columns) = columns(&table, path, *header_row, headers, bank, map, problems) else {
        return Vec::new();
    };
    layout(
        &table,
        &place,
        *header_row,
        headers,
        &columns,
        data,
        problems,
    );
    beyond_headings(&place, headers, data, problems);
    absent_or_blank(&place, *header_row, headers, &columns, data, bank, problems);
    let shared = Arc::new(Sheet {
        name: table.sheet.clone(),
        headings: headers.clone(),
    });
    let mut blanks: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let (returns, unanswered) = row_returns(path, data, &columns, bank, &shared, &mut blanks);
    if !unanswered.is_empty() {
        problems.push(unanswered_rows(place(0, 0, None), &unanswered));
    }
    if !blanks.is_empty() {
        problems.push(Diagnostic::note(
            place(0, 0, None),
            blank_cells(&table, headers, &blanks),
        ));
    }
    returns
}

/// The returns the rows of `data` hold, and the rows that hold none though they are not
/// empty; blank answer cells are added to `blanks`.
fn row_returns(
    path: &Path,
    data: &[Row],
    columns: &[Column],
    bank: &QuestionBank,
    shared: &Arc<Sheet>,
    blanks: &mut BTreeMap<usize, Vec<usize>>,
) -> (Vec<Parsed<RawReturn>>, Vec<usize>) {
    let mut returns = Vec::new();
    // A row sent out with its case and agency filled in, and not one answer or comment
    // added, is a return not made: counting it would count a return with no answers.
    let mut unanswered = Vec::new();
    for (row, cells) in data {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let answered = columns.iter().zip(cells).any(|(column, cell)| {
            matches!(column, Column::Answer(..) | Column::Comments(_)) && !cell.trim().is_empty()
        });
        if !answered {
            unanswered.push(*row);
            continue;
        }
        returns.push(row_return(path, *row, cells, columns, bank, shared, blanks));
    }
    (returns, unanswered)
}

/// Where the headings are: the first row (of the first ten) to name a case column, so that a
/// title or a note typed above them is passed over (and said); else the first row.
fn heading_index(table: &Table, bank: &QuestionBank, map: &ColumnMap) -> usize {
    table
        .rows
        .iter()
        .take(10)
        .position(|(_, cells)| {
            cells
                .iter()
                .any(|c| classify(c, bank, map) == Some(Column::Case))
        })
        .unwrap_or(0)
}

/// The note that the rows above the headings (row `header_row`) are not read.
fn rows_above(path: &Path, table: &Table, heading_index: usize, header_row: usize) -> Diagnostic {
    let above: Vec<String> = table.rows[..heading_index]
        .iter()
        .map(|(row, _)| row.to_string())
        .collect();
    Diagnostic::note(
        table.place(path, &[], (table.rows[0].0, 0), None),
        format!(
            "row(s) {} above the headings (row {header_row}) are not read",
            above.join(", ")
        ),
    )
}

/// The note that rows with a case and an agency and nothing else are not returns.
fn unanswered_rows(at: Location, unanswered: &[usize]) -> Diagnostic {
    let rows: Vec<String> = unanswered.iter().map(usize::to_string).collect();
    Diagnostic::note(
        at,
        format!(
            "row(s) {} hold no answer and no comment: not read as returns (each is outstanding)",
            rows.join(", ")
        ),
    )
    .with_note("a return with every answer left empty on purpose needs a comment saying so")
}

/// The blank answer cells (rows by column) in words: the first six columns, eight rows each.
fn blank_cells(table: &Table, headers: &[String], blanks: &BTreeMap<usize, Vec<usize>>) -> String {
    let count: usize = blanks.values().map(Vec::len).sum();
    let mut said: Vec<String> = blanks
        .iter()
        .take(6)
        .map(|(c, rows)| {
            let shown: Vec<String> = rows.iter().take(8).map(usize::to_string).collect();
            let more = if rows.len() > 8 { ", …" } else { "" };
            format!(
                "{} (row {}{more})",
                column_name(table, headers, *c),
                shown.join(", ")
            )
        })
        .collect();
    if blanks.len() > 6 {
        said.push(format!("and {} more columns", blanks.len() - 6));
    }
    format!(
        "{count} blank answer cell(s) count as not answered: {}",
        said.join("; ")
    )
}

/// A column as a message names it: its letter in a workbook, its number in a CSV file, and
/// what it holds (`C (q2)`).
fn column_name(table: &Table, headers: &[String], c: usize) -> String {
    let at = match table.sheet {
        Some(_) => format!("column {}", crate::diag::column_letters(c)),
        None => format!("column {c}"),
    };
    match headers.get(c - 1).map(|h| h.trim()) {
        Some(h) if !h.is_empty() => {
            format!("{at} (\"{}\")", crate::diag::shortened(h, 32))
        }
        _ => at,
    }
}

/// Returns put on another sheet of a workbook than the one read would be passed over: a
/// sheet whose first row reads as a `case` column or an answer, with rows below it.
fn other_sheets(
    path: &Path,
    table: &Table,
    bank: &QuestionBank,
    map: &ColumnMap,
    problems: &mut Diagnostics,
) {
    let Some(read) = &table.sheet else { return };
    for (name, heads, rows_below) in &table.others {
        let holds_returns = *rows_below
            && heads.iter().any(|h| {
                matches!(
                    classify(h, bank, map),
                    Some(Column::Case | Column::Answer(..))
                )
            });
        if holds_returns {
            problems.push(
                Diagnostic::error(
                    Location::cell(
                        path,
                        0,
                        0,
                        crate::diag::Cell {
                            sheet: Some(name.clone()),
                            ..Default::default()
                        },
                    ),
                    format!(
                        "sheet `{name}` holds returns too (its first row has the headings of a returns sheet), but only sheet `{read}` is read"
                    ),
                )
                .with_note(format!("put every return on sheet `{read}`, or send the other sheet as a workbook of its own")),
            );
        }
    }
}

/// What each heading of a sheet reads as (`None` only when there is no case or agency
/// column, so no row can be read). A heading that matches nothing is a column not read,
/// said once; two headings read as one answer, or one that could be several questions,
/// are errors, and those columns are left out so the rest of the sheet is still checked.
fn columns(
    table: &Table,
    path: &Path,
    header_row: usize,
    headers: &[String],
    bank: &QuestionBank,
    map: &ColumnMap,
    problems: &mut Diagnostics,
) -> Option<Vec<Column>> {
    let place = |column: usize| {
        table.place(
            path,
            headers,
            (header_row, column),
            headers.get(column.wrapping_sub(1)).map(String::as_str),
        )
    };
    let mut columns = Vec::new();
    let mut unread = Vec::new();
    for (c, header) in headers.iter().enumerate() {
        match classify(header, bank, map) {
            Some(column) => columns.push(column),
            None if header.trim().is_empty() => columns.push(Column::Ignore),
            None => {
                columns.push(Column::Ignore);
                unread.push(c + 1);
            }
        }
    }
    // Without a case and an agency column no row can be read, and the rest of what the
    // headings would say (columns not read) would be said of a row that is no headings.
    let mut ok = true;
    for (needed, column) in [("case", Column::Case), ("agency", Column::Agency)] {
        if !columns.contains(&column) {
            ok = false;
            problems.push(no_column(table, path, header_row, headers, needed));
        }
    }
    if !ok {
        return None;
    }
    // Columns that are not questions (notes, the auditor, a date) are allowed, and said
    // once; one that is a question's heading misspelt is a warning, with the heading meant.
    if !unread.is_empty() {
        unread_columns(table, path, header_row, headers, &unread, bank, problems);
    }
    // Two columns read as one answer would let the second overwrite the first, and a
    // heading two questions share (their wording) could be either.
    for c in 0..columns.len() {
        if columns[c] == Column::Ignore {
            continue;
        }
        if let Some((message, help)) = ambiguous(table, headers, &columns, c, bank) {
            problems.push(Diagnostic::error(place(c + 1), message).with_note(help));
            columns[c] = Column::Ignore;
        }
    }
    Some(columns)
}

/// The error that the headings in row `header_row` have no `needed` column.
fn no_column(
    table: &Table,
    path: &Path,
    header_row: usize,
    headers: &[String],
    needed: &str,
) -> Diagnostic {
    let shown: Vec<String> = headers
        .iter()
        .filter(|h| !h.trim().is_empty())
        .take(4)
        .map(|h| format!("`{}`", crate::diag::shortened(h.trim(), 24)))
        .collect();
    let mut d = Diagnostic::error(
        table.place(path, headers, (header_row, 0), None),
        format!("no `{needed}` column; expected one among the headings of row {header_row}"),
    )
    .with_note(format!(
        "row {header_row} is taken as the headings, as the first row holding anything: it holds {}; if the headings row was deleted, put it back (`template` writes one)",
        shown.join(", ")
    ));
    if let Some(separator) = table.separator {
        d = d.with_note(format!(
            "the file was read as cells separated by {}",
            sheet::separator_name(separator)
        ));
    }
    d
}

/// The columns (1-based, `unread`) whose headings match no question: a warning for each that
/// is a question's heading misspelt, one note for the rest.
fn unread_columns(
    table: &Table,
    path: &Path,
    header_row: usize,
    headers: &[String],
    unread: &[usize],
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) {
    let known: Vec<String> = collection_headings(bank);
    let mut plain = Vec::new();
    for &c in unread {
        let header = headers[c - 1].trim();
        match nearest(header, known.iter().map(String::as_str)) {
            Some(near) => problems.push(
                Diagnostic::warning(
                    table.place(path, headers, (header_row, c), Some(&headers[c - 1])),
                    format!("column `{header}` matches no question, so it is not read"),
                )
                .with_note(format!("did you mean {near}?"))
                .with_note("head it as the template does, or say what it is in columns.yaml (`columns:` then `\"heading\": q2`)"),
            ),
            None => plain.push(column_name(table, headers, c)),
        }
    }
    if !plain.is_empty() {
        problems.push(
            Diagnostic::note(
                table.place(path, headers, (header_row, 0), None),
                format!(
                    "not read, as no question's heading: {}",
                    plain.join(", ")
                ),
            )
            .with_note("a column that is an answer needs its question's id or wording as its heading, or a line in columns.yaml (`columns:` then `\"heading\": q2`)"),
        );
    }
}

/// What is wrong (and what to do) when column `c` (0-based) reads as the same answer as an
/// earlier column, or its heading is the wording two questions share.
fn ambiguous(
    table: &Table,
    headers: &[String],
    columns: &[Column],
    c: usize,
    bank: &QuestionBank,
) -> Option<(String, &'static str)> {
    Some(
        if let Some(first) = columns[..c]
            .iter()
            .position(|earlier| *earlier == columns[c])
        {
            (
                format!(
                    "column `{}` reads as the same answer as {}",
                    headers[c].trim(),
                    column_name(table, headers, first + 1)
                ),
                "head each column with its question id (`q2`, `q1.a`, `q2 comments`)",
            )
        } else {
            let h = normal(&headers[c]);
            let sharing: Vec<&str> = bank
                .questions
                .iter()
                .filter(|q| q.kind != QuestionKind::Checklist && normal(&q.text) == h)
                .map(|q| q.id.as_str())
                .collect();
            if sharing.len() <= 1 {
                return None;
            }
            (
                format!(
                    "column `{}` could be any of questions {}, which share that wording",
                    headers[c].trim(),
                    sharing.join(", ")
                ),
                "head the column with the question id (`q2: …`)",
            )
        },
    )
}

/// The headings a question's columns are known by, for "did you mean": its id, its id and
/// wording as the collection template heads it, its items and its comments.
fn collection_headings(bank: &QuestionBank) -> Vec<String> {
    let mut known = Vec::new();
    for q in &bank.questions {
        // (a question of comments only has no answer column)
        if q.kind != QuestionKind::Text {
            known.push(q.id.clone());
            known.push(format!("{}: {}", q.id, q.text));
        }
        known.push(format!("{} comments", q.id));
        for item in &q.items {
            known.push(format!("{}.{}", q.id, item.id));
        }
    }
    known
}

/// What the workbook's layout would change unseen: a hidden or filtered-out row or a hidden
/// column still holding what is read, merged cells (all but the first read as empty), a
/// formula whose result was never saved (read as empty). Each an error at its place.
fn layout(
    table: &Table,
    place: &dyn Fn(usize, usize, Option<&str>) -> Location,
    header_row: usize,
    headers: &[String],
    columns: &[Column],
    data: &[Row],
    problems: &mut Diagnostics,
) {
    let layout = &table.layout;
    let read = |c: usize| {
        columns
            .get(c - 1)
            .is_some_and(|column| *column != Column::Ignore)
    };
    hidden_rows(layout, place, columns, data, problems);
    if layout.hidden_rows.contains(&header_row) {
        problems.push(
            Diagnostic::error(
                place(header_row, 0, None),
                format!("row {header_row}, the headings, is hidden"),
            )
            .with_note("unhide the row and save"),
        );
    }
    for &c in layout.hidden_columns.iter().filter(|c| read(**c)) {
        let filled = data
            .iter()
            .filter(|(_, cells)| cells.get(c - 1).is_some_and(|s| !s.trim().is_empty()))
            .count();
        problems.push(
            Diagnostic::error(
                place(header_row, c, headers.get(c - 1).map(String::as_str)),
                format!(
                    "{} is hidden, yet is read: {filled} cell(s) in it would be counted unseen",
                    column_name(table, headers, c)
                ),
            )
            .with_note("unhide the column and check it; delete it if it holds nothing that belongs in the returns"),
        );
    }
    merged_and_unsaved(layout, place, problems);
}

/// Each hidden row holding a return, an error at the row.
fn hidden_rows(
    layout: &sheet::Layout,
    place: &dyn Fn(usize, usize, Option<&str>) -> Location,
    columns: &[Column],
    data: &[Row],
    problems: &mut Diagnostics,
) {
    for (row, cells) in data
        .iter()
        .filter(|(row, _)| layout.hidden_rows.contains(row))
    {
        let said = |column: &Column| {
            columns
                .iter()
                .position(|c| c == column)
                .and_then(|c| cells.get(c))
                .map_or("", |s| s.trim())
        };
        let how = if layout.filtered {
            "hidden (filtered out, or hidden by hand)"
        } else {
            "hidden"
        };
        problems.push(
            Diagnostic::error(
                place(*row, 0, None),
                format!(
                    "row {row} is {how}, yet holds a return (case `{}`, `{}`): a hidden row would still be counted",
                    said(&Column::Case),
                    said(&Column::Agency)
                ),
            )
            .with_note("to withdraw the return, delete the row; to keep it, unhide the row (or clear the filter) and save"),
        );
    }
}

/// Merged cells and formulas without a saved result, each an error at its place.
fn merged_and_unsaved(
    layout: &sheet::Layout,
    place: &dyn Fn(usize, usize, Option<&str>) -> Location,
    problems: &mut Diagnostics,
) {
    for ((from_row, from_column), (to_row, to_column), range) in &layout.merged {
        if from_row == to_row && from_column == to_column {
            continue;
        }
        let first = format!("{}{from_row}", crate::diag::column_letters(*from_column));
        problems.push(
            Diagnostic::error(
                place(*from_row, *from_column, None),
                format!(
                    "cells {range} are merged: a merged cell keeps its text in {first} only, and every other cell of it reads as empty"
                ),
            )
            .with_note("unmerge the cells (Home › Merge & Center) and fill in each one"),
        );
    }
    for ((row, column), formula) in &layout.unsaved_formulas {
        problems.push(
            Diagnostic::error(
                place(*row, *column, Some(&format!("={formula}"))),
                "this cell holds a formula whose result was never saved, so it reads as empty",
            )
            .with_note("open the workbook in Excel and save it (the result is saved with it), or type the answer in"),
        );
    }
}

/// Whether any row has text beyond the last heading (each such cell an error).
fn beyond_headings(
    place: &dyn Fn(usize, usize, Option<&str>) -> Location,
    headers: &[String],
    data: &[Row],
    problems: &mut Diagnostics,
) {
    let headings = headers.len();
    for (row, cells) in data {
        // A column without a heading is passed over: what is written in it would be lost.
        for (c, cell) in cells.iter().enumerate().take(headings) {
            if headers[c].trim().is_empty() && !cell.trim().is_empty() {
                problems.push(
                    Diagnostic::error(
                        place(*row, c + 1, Some(cell)),
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
            problems.push(
                Diagnostic::error(
                    place(*row, c + 1, Some(&cells[c])),
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
}

/// Every answer the bank asks for has its column: an absent one (deleted, or renamed past
/// recognition) is an error, since every return of the file would count as not answering
/// it. A column blank on every row is a warning at its heading: a whole question unanswered
/// by every return of a file is rare enough to look at.
fn absent_or_blank(
    place: &dyn Fn(usize, usize, Option<&str>) -> Location,
    header_row: usize,
    headers: &[String],
    columns: &[Column],
    data: &[Row],
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) {
    let mut absent = Vec::new();
    for question in &bank.questions {
        let wanted: Vec<Column> = match question.kind {
            QuestionKind::Text => Vec::new(),
            QuestionKind::Checklist => question
                .items
                .iter()
                .map(|item| Column::Answer(question.id.clone(), Some(item.id.clone())))
                .collect(),
            _ => vec![Column::Answer(question.id.clone(), None)],
        };
        for column in wanted {
            if !columns.contains(&column) {
                let Column::Answer(q, item) = &column else {
                    continue;
                };
                absent.push(match item {
                    Some(item) => format!("`{q}.{item}`"),
                    None => format!("`{q}`"),
                });
            }
        }
    }
    if !absent.is_empty() {
        problems.push(
            Diagnostic::error(
                place(header_row, 0, None),
                format!(
                    "no column for {}: every return in this file would count as not answering {}",
                    absent.join(", "),
                    if absent.len() == 1 { "it" } else { "them" }
                ),
            )
            .with_note("put the column back, headed as the template heads it (`q3: …`); if nobody answered it, keep the column and leave its cells empty"),
        );
    }
    let rows: Vec<&Row> = data
        .iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    if rows.is_empty() {
        return;
    }
    for (c, column) in columns.iter().enumerate() {
        let Column::Answer(q, item) = column else {
            continue;
        };
        let blank = rows
            .iter()
            .all(|(_, cells)| cells.get(c).is_none_or(|s| s.trim().is_empty()));
        if blank {
            let measure = match item {
                Some(item) => format!("{q}.{item}"),
                None => q.clone(),
            };
            problems.push(
                Diagnostic::warning(
                    place(header_row, c + 1, headers.get(c).map(String::as_str)),
                    format!(
                        "this column is empty on every row: no return in this file answers `{measure}`"
                    ),
                )
                .with_note("if its answers were lost (pasted over, cleared), fill them in; if nobody could answer it, nothing needs doing"),
            );
        }
    }
}

/// One row as a return, with where each cell stands; blank answers are noted in `blanks`
/// (column → rows).
fn row_return(
    path: &Path,
    row: usize,
    cells: &[String],
    columns: &[Column],
    bank: &QuestionBank,
    sheet: &Arc<Sheet>,
    blanks: &mut BTreeMap<usize, Vec<usize>>,
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
                    blanks.entry(c + 1).or_default().push(row);
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
            sheet: Arc::clone(sheet),
        }),
    };
    Parsed { value, source }
}

/// One answer cell into the return's answers (an option's id or wording → its id, as
/// [`Question::option_typed`](crate::input::model::Question::option_typed) reads it in
/// every format): a checklist item into its question's map, a multiple choice split at `;`.
/// What matches no option is kept as typed, for the check to report at its cell.
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
    let as_id = |text: &str| -> String {
        question
            .and_then(|x| x.option_typed(text))
            .unwrap_or(text)
            .to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

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
