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
    /// Where the row is.
    pub location: Location,
}

/// The tracking workbook in `root`, if there is one.
pub fn find(root: &Path) -> Option<PathBuf> {
    ["actions.xlsx", "actions.csv"]
        .iter()
        .map(|name| root.join(name))
        .find(|path| path.is_file())
}

/// Reads the tracking workbook at `path`; every problem, each at its row and column.
pub fn read(path: &Path, problems: &mut Diagnostics) -> Vec<ActionUpdate> {
    let rows = match crate::input::spreadsheet::rows(path) {
        Ok(rows) => rows,
        Err(found) => {
            problems.extend(found);
            return Vec::new();
        }
    };
    let Some(((heading_row, headings), data)) = rows.split_first() else {
        return Vec::new();
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
                Location::at(path, *heading_row, 1),
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
        match row_update(path, *row, cells, (id, status, update), &updates) {
            Ok(found) => updates.push(found),
            Err(problem) => problems.push(problem),
        }
    }
    updates
}

/// The update in row `row` (its `cells`; the columns of the id, the status and the update),
/// or what is wrong with it: no id, an action already given a row (in `earlier`), or no
/// status.
fn row_update(
    path: &Path,
    row: usize,
    cells: &[String],
    (id, status, update): (usize, usize, Option<usize>),
    earlier: &[ActionUpdate],
) -> Result<ActionUpdate, Diagnostic> {
    let cell = |c: usize| cells.get(c).map(|s| s.trim()).unwrap_or("");
    if cell(id).is_empty() {
        return Err(Diagnostic::error(
            Location::at(path, row, id + 1),
            "expected an action id, found an empty cell",
        ));
    }
    // Two rows for one action: which says where it stands?
    if let Some(first) = earlier.iter().find(|u| u.id == cell(id)) {
        return Err(Diagnostic::error(
            Location::at(path, row, id + 1),
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
            Location::at(path, row, status + 1),
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
        location: Location::at(path, row, id + 1),
    })
}
