//! The action plan's tracking workbook read back (`actions.xlsx` or `actions.csv` in the
//! audit folder, as `audit-report actions` writes it): each row's status and update, which
//! the build uses over the narrative's. Checked like returns: a problem names its row and
//! column.

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::input::model::ActionStatus;
use std::path::{Path, PathBuf};

/// The workbook's columns, in order; the build reads `Action id`, `Status` and `Update`.
pub const COLUMNS: [&str; 8] = [
    "Action id",
    "Finding",
    "Action",
    "Lead agency",
    "Owner",
    "Due",
    "Status",
    "Update",
];

/// One row of the tracking workbook.
#[derive(Debug, Clone)]
pub struct ActionUpdate {
    /// The action's id.
    pub id: String,
    /// Its status.
    pub status: ActionStatus,
    /// The update, if the row has one.
    pub update: Option<String>,
    /// Where the row is (its id's cell).
    pub location: Location,
    /// Its status's cell, and its update's: what is said of the status or the update is
    /// said there, not at the narrative's words the workbook stands in for.
    pub status_at: Location,
    /// (see `status_at`)
    pub update_at: Location,
    /// What its other columns hold (the action's words, lead agency, owner, due date), for
    /// reference only, as found: the field each stands for, its text and its cell. The
    /// build prints the narrative's; a change made here is said, not lost unsaid.
    pub copied: Vec<(&'static str, String, Location)>,
}

/// The reference columns a row repeats from the narrative, and the action's field each is.
const COPIED: [(&str, &str); 4] = [
    ("Action", "what"),
    ("Lead agency", "lead_agency"),
    ("Owner", "owner"),
    ("Due", "due"),
];

/// The tracking workbook in `root`, if there is one.
pub fn find(root: &Path) -> Option<PathBuf> {
    ["actions.xlsx", "actions.csv"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())
}

/// Reads the tracking workbook at `path`; every problem, each at its row and column.
pub fn read(path: &Path, problems: &mut Diagnostics) -> Vec<ActionUpdate> {
    let table = match super::sheet::read(path) {
        Ok(table) => table,
        Err(found) => {
            problems.extend(found);
            return Vec::new();
        }
    };
    sheet_problems(path, &table, problems);
    let rows = &table.rows;
    let Some(((heading_row, headings), data)) = rows.split_first() else {
        return Vec::new();
    };
    let place = |row: usize, column: usize, text: &str| {
        table.place(path, headings, (row, column + 1), Some(text))
    };
    let column = |name: &str| {
        headings
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id), Some(status), update) =
        (column("Action id"), column("Status"), column("Update"))
    else {
        problems.push(
            Diagnostic::error(
                table.place(path, &[], (*heading_row, 0), None),
                format!(
                    "expected the headings {}, found {}",
                    COLUMNS.join(", "),
                    headings.join(", ")
                ),
            )
            .with_note("`audit-report actions` writes a workbook with them"),
        );
        return Vec::new();
    };
    let mut updates = Vec::new();
    for (row, cells) in data {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match row_update(&place, *row, cells, (id, status, update), &updates) {
            Ok(mut found) => {
                for (heading, field) in COPIED {
                    let Some(c) = column(heading) else { continue };
                    let text = cells.get(c).map(|s| s.trim()).unwrap_or("");
                    if !text.is_empty() {
                        found
                            .copied
                            .push((field, text.to_string(), place(*row, c, text)));
                    }
                }
                updates.push(found)
            }
            Err(problem) => problems.push(problem),
        }
    }
    updates
}

/// What is wrong with the workbook's sheets as a whole: another sheet holding action rows
/// (only one is read: `Actions`, else the first), and a formula whose result was never
/// saved (it reads as empty).
fn sheet_problems(path: &Path, table: &super::sheet::Table, problems: &mut Diagnostics) {
    for (name, heads, rows_below) in &table.others {
        let holds = |h: &str| heads.iter().any(|x| x.trim().eq_ignore_ascii_case(h));
        if *rows_below && holds("Action id") && holds("Status") {
            problems.push(Diagnostic::error(
                Location::file(path),
                format!(
                    "sheet `{name}` holds action rows too; only sheet `{}` is read",
                    table.sheet.as_deref().unwrap_or("")
                ),
            )
            .with_note("keep the plan's rows on one sheet, named Actions, and delete the other sheet's"));
        }
    }
    let headings = table.rows.first().map(|(_, h)| h.as_slice()).unwrap_or(&[]);
    // (a status or update a program wrote as a formula with no result reads as empty)
    for ((row, column), formula) in &table.layout.unsaved_formulas {
        problems.push(
            Diagnostic::error(
                table.place(
                    path,
                    headings,
                    (*row, *column),
                    Some(&format!("={formula}")),
                ),
                "this cell holds a formula whose result was never saved, so it reads as empty",
            )
            .with_note("open the workbook in Excel and save it, or type the status or update in"),
        );
    }
}

/// The update in row `row` (its `cells`; the columns of the id, the status and the update),
/// or what is wrong with it: no id, an action already given a row (in `earlier`), or no
/// status.
fn row_update(
    place: &dyn Fn(usize, usize, &str) -> Location,
    row: usize,
    cells: &[String],
    (id, status, update): (usize, usize, Option<usize>),
    earlier: &[ActionUpdate],
) -> Result<ActionUpdate, Diagnostic> {
    let cell = |c: usize| cells.get(c).map(|s| s.trim()).unwrap_or("");
    let at = |c: usize| place(row, c, cell(c));
    if cell(id).is_empty() {
        return Err(Diagnostic::error(
            at(id),
            "expected an action id, found an empty cell",
        ));
    }
    // Two rows for one action: which says where it stands?
    if let Some(first) = earlier.iter().find(|u| u.id == cell(id)) {
        return Err(Diagnostic::error(
            at(id),
            format!(
                "action `{}` has a row already, at row {}; give each action one row",
                cell(id),
                first.location.line
            ),
        ));
    }
    let found = cell(status);
    let Some(&(_, value)) = ActionStatus::ALL
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(found))
    else {
        let names: Vec<&str> = ActionStatus::ALL.iter().map(|(n, _)| *n).collect();
        return Err(Diagnostic::error(
            at(status),
            format!("expected a status ({}), found `{found}`", names.join(", ")),
        ));
    };
    Ok(ActionUpdate {
        id: cell(id).to_string(),
        status: value,
        update: update
            .map(cell)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        location: at(id),
        status_at: at(status),
        update_at: update.map_or_else(|| at(status), at),
        copied: Vec::new(),
    })
}
