//! Problems found in an audit folder, reported the same way from every stage.
//!
//! A [`Diagnostic`] is plain data: where (file, line, column), what was expected, what was
//! found. Stages collect them instead of stopping at the first, so the audit lead sees every
//! problem in one run. [`Diagnostics`] is the error type of the whole pipeline.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// For information (blank answers counted as not answered).
    Note,
    /// The build goes on; the lead should look.
    Warning,
    /// The build stops before anything is written.
    Error,
}

/// A place in an input file. Lines and columns count from 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, as the user named it (relative to the working directory where possible).
    pub path: PathBuf,
    /// 1-based line (or spreadsheet row); 0 when the whole file is meant.
    pub line: usize,
    /// 1-based column; 0 when the whole line is meant.
    pub column: usize,
    /// For a spreadsheet: the sheet, the column's heading and the cell's text, so the place
    /// is said as the person who filled it in would say it ("sheet Returns, cell C3").
    pub cell: Option<Box<Cell>>,
}

/// A place in a spreadsheet, beyond its row and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cell {
    /// The sheet of a workbook; `None` for a CSV file, which has one.
    pub sheet: Option<String>,
    /// The column's heading, where the problem is in a column that has one.
    pub heading: Option<String>,
    /// What the cell holds, shown with a caret under it.
    pub text: Option<String>,
}

/// Spreadsheet column letters for a 1-based column (1 → A, 27 → AA).
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut index = column.saturating_sub(1);
    loop {
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

impl Location {
    /// The whole of a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location {
            path: path.into(),
            line: 0,
            column: 0,
            cell: None,
        }
    }

    /// A line and column in a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            path: path.into(),
            line,
            column,
            cell: None,
        }
    }

    /// A cell of a spreadsheet: `row` and `column` as the spreadsheet numbers them (0 for a
    /// whole row or column), on `cell.sheet` of a workbook.
    pub fn cell(path: impl Into<PathBuf>, row: usize, column: usize, cell: Cell) -> Self {
        Location {
            cell: Some(Box::new(cell)),
            ..Location::at(path, row, column)
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(cell) = &self.cell {
            // "book.xlsx, sheet Returns, cell C3"; "returns.csv, row 3, column "q2: …""
            let (row, column) = (self.line, self.column);
            if let Some(sheet) = &cell.sheet {
                write!(f, ", sheet {sheet}")?;
                return match (row, column) {
                    (0, 0) => Ok(()),
                    (0, c) => write!(f, ", column {}", column_letters(c)),
                    (r, 0) => write!(f, ", row {r}"),
                    (r, c) => write!(f, ", cell {}{r}", column_letters(c)),
                };
            }
            if row > 0 {
                write!(f, ", row {row}")?;
            }
            return match (&cell.heading, column) {
                (_, 0) => Ok(()),
                (Some(heading), _) if !heading.trim().is_empty() => {
                    write!(f, ", column \"{}\"", shortened(heading.trim(), 40))
                }
                (_, c) => write!(f, ", column {c}"),
            };
        }
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        Ok(())
    }
}

/// `text` cut to `most` characters, with an ellipsis when cut: a column's heading is often a
/// whole question.
pub fn shortened(text: &str, most: usize) -> String {
    if text.chars().count() <= most {
        text.to_string()
    } else {
        text.chars().take(most - 1).collect::<String>() + "…"
    }
}

/// One problem with the audit folder or the build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where, when the problem is in a file.
    pub location: Option<Location>,
    /// What is wrong, lowercase, saying what was expected and what was found.
    pub message: String,
    /// Advice on how to fix it.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// An error at a place in a file.
    pub fn error(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Some(location),
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// A warning at a place in a file.
    pub fn warning(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// A note about a file.
    pub fn note(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(location, message)
        }
    }

    /// An error that belongs to no input file (a failed write, a typesetting failure).
    pub fn general(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: None,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    /// Adds a line of advice.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// An I/O failure on `path`, naming the path and the cause.
    pub fn io(action: &str, path: &Path, error: &std::io::Error) -> Self {
        Diagnostic::error(
            Location::file(path),
            format!("failed to {action} `{}` ({error})", path.display()),
        )
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        };
        match &self.location {
            Some(location) => write!(f, "{location}: {label}: {}", self.message)?,
            None => write!(f, "{label}: {}", self.message)?,
        }
        for note in &self.notes {
            write!(f, "\n  = note: {note}")?;
        }
        Ok(())
    }
}

/// Everything found wrong in one run; the pipeline's error type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Moves every problem of `other` into this list.
    /// These and `other`'s.
    pub fn with(mut self, other: Diagnostics) -> Diagnostics {
        self.extend(other);
        self
    }

    /// Adds `other`'s.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Sorts by file, then line, so the list reads top to bottom.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| a.location.cmp(&b.location));
    }

    /// `Err(self)` when there are errors, otherwise `Ok(value)` with the warnings kept in `self`.
    pub fn into_result<T>(self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok((value, self))
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// Every option closest in spelling to `found` (all that are equally near, in the order
/// given), for "did you mean" notes; none if nothing is near.
pub fn nearest_all<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let found = found.to_lowercase();
    let near: Vec<(usize, &str)> = candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&found, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 2).max(2))
        .collect();
    let Some(best) = near.iter().map(|(d, _)| *d).min() else {
        return Vec::new();
    };
    let mut all: Vec<&str> = Vec::new();
    for (d, c) in near {
        if d == best && !all.contains(&c) {
            all.push(c);
        }
    }
    all
}

/// The options closest in spelling to `found`, quoted and joined for a note: "`q12` or
/// `q2`".
pub fn nearest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let all = nearest_all(found, candidates);
    let quoted: Vec<String> = all.iter().map(|c| format!("`{c}`")).collect();
    match quoted.split_last() {
        None => None,
        Some((last, [])) => Some(last.clone()),
        Some((last, rest)) => Some(format!("{} or {last}", rest.join(", "))),
    }
}

/// The item whose names come nearest in spelling to `found`, for "did you mean": each item is
/// what a note says of it and the names it is known by, and a name of several words is also
/// known by each word (`Borad` is a slip for the `Improvement Board`'s `board`). All equally
/// near are given, joined for a note; none if nothing is near.
pub fn nearest_named<'a>(
    found: &str,
    items: impl IntoIterator<Item = (String, Vec<&'a str>)>,
) -> Option<String> {
    let found = found.to_lowercase();
    let mut near: Vec<(usize, String)> = Vec::new();
    for (said, names) in items {
        let words = names
            .iter()
            .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
            .filter(|w| w.chars().count() >= 3);
        let distance = names
            .iter()
            .copied()
            .chain(words)
            .map(|name| {
                let name = name.to_lowercase();
                (strsim::levenshtein(&found, &name), name.chars().count())
            })
            .filter(|&(d, length)| d <= (length / 2).max(2).min(length.saturating_sub(1)))
            .map(|(d, _)| d)
            .min();
        if let Some(d) = distance {
            near.push((d, said));
        }
    }
    let best = near.iter().map(|(d, _)| *d).min()?;
    let said: Vec<String> = near
        .into_iter()
        .filter(|(d, _)| *d == best)
        .map(|(_, s)| s)
        .collect();
    match said.split_last() {
        Some((last, [])) => Some(last.clone()),
        Some((last, rest)) => Some(format!("{} or {last}", rest.join(", "))),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_suggested_by_its_words_too() {
        let items = || {
            [
                ("`board` (Board)", vec!["board", "Board"]),
                ("`public` (Public)", vec!["public", "Public"]),
                ("`lead` (Audit lead)", vec!["lead", "Audit lead"]),
            ]
            .map(|(s, n)| (s.to_string(), n))
        };
        assert_eq!(
            nearest_named("Borad", items()).as_deref(),
            Some("`board` (Board)")
        );
        assert_eq!(
            nearest_named("Pubic", items()).as_deref(),
            Some("`public` (Public)")
        );
        assert_eq!(
            nearest_named("audit", items()).as_deref(),
            Some("`lead` (Audit lead)")
        );
        assert_eq!(nearest_named("minutes", items()), None);
        // a short name is not suggested for anything at all
        assert_eq!(nearest_named("xyz", items()), None);
    }

    #[test]
    fn displays_file_line_column_and_notes() {
        let d = Diagnostic::error(Location::at("data/returns/a.yaml", 4, 7), "bad option")
            .with_note("expected one of `yes`, `no`");
        assert_eq!(
            d.to_string(),
            "data/returns/a.yaml:4:7: error: bad option\n  = note: expected one of `yes`, `no`"
        );
    }

    /// A spreadsheet's place is said as the person who filled it in would say it.
    #[test]
    fn a_cell_is_named_by_sheet_and_cell_or_by_row_and_heading() {
        let sheet = |sheet: &str| Cell {
            sheet: Some(sheet.into()),
            ..Cell::default()
        };
        let at = |row, column, cell| Location::cell("r/health.xlsx", row, column, cell);
        assert_eq!(
            at(3, 3, sheet("Returns")).to_string(),
            "r/health.xlsx, sheet Returns, cell C3"
        );
        assert_eq!(
            at(12, 0, sheet("Returns")).to_string(),
            "r/health.xlsx, sheet Returns, row 12"
        );
        assert_eq!(
            at(0, 28, sheet("Returns")).to_string(),
            "r/health.xlsx, sheet Returns, column AB"
        );
        let csv = Cell {
            heading: Some("q2: Is there evidence that this child's case was overseen?".into()),
            ..Cell::default()
        };
        assert_eq!(
            Location::cell("r.csv", 3, 5, csv).to_string(),
            "r.csv, row 3, column \"q2: Is there evidence that this child's…\""
        );
        assert_eq!(
            Location::cell("r.csv", 3, 5, Cell::default()).to_string(),
            "r.csv, row 3, column 5"
        );
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(702), "ZZ");
        assert_eq!(column_letters(703), "AAA");
    }

    #[test]
    fn nearest_finds_close_spelling_only() {
        assert_eq!(
            nearest("yse", ["yes", "no", "na"]).as_deref(),
            Some("`yes`")
        );
        assert_eq!(
            nearest("dont_kno", ["dont_know", "no"]).as_deref(),
            Some("`dont_know`")
        );
        assert_eq!(nearest("completely different", ["yes", "no"]), None);
        // every candidate as near as the nearest, not whichever came first
        assert_eq!(
            nearest("q22", ["q1", "q12", "q2", "q3"]).as_deref(),
            Some("`q12` or `q2`")
        );
        assert_eq!(
            nearest_all("q22", ["q12", "q2", "q21"]),
            ["q12", "q2", "q21"]
        );
    }
}
