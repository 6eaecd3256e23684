//! Load: an audit folder on disk → [`AuditFolder`], the files parsed but not yet checked
//! against each other.
//!
//! Every file is read and parsed even when an earlier one failed, so one run reports every
//! syntax error. Each parsed file keeps its [`Source`] text, so later stages can point at the
//! line of a value they reject.

pub mod model;
pub mod spreadsheet;
pub mod synthetic;

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::EditionList;
use crate::input::model::{AuditInfo, CaseList, Neighbours, QuestionBank, RawReturn, SectionFile};
use serde::de::DeserializeOwned;
use std::fs;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// The text of one input file, kept to locate values in it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's path.
    pub path: PathBuf,
    /// Its contents (for a spreadsheet row: its cells, one per line).
    pub text: String,
    /// For a spreadsheet row: where each line of `text` stands in the sheet.
    pub cells: Option<Cells>,
}

/// Where a spreadsheet row's cells stand, so problems point at row and column.
#[derive(Debug, Clone)]
pub struct Cells {
    /// The row (1-based, as the spreadsheet shows it).
    pub row: usize,
    /// The column (1-based) of each line of the row's text.
    pub columns: Vec<usize>,
    /// Key paths (`answers/q2`, `case`) → line of the row's text.
    pub keys: std::collections::BTreeMap<String, usize>,
}

/// A parsed file and where it came from.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The parsed value.
    pub value: T,
    /// The file it was parsed from.
    pub source: Source,
}

/// Every file of an audit folder, parsed.
#[derive(Debug, Clone)]
pub struct AuditFolder {
    /// The folder itself.
    pub root: PathBuf,
    /// `audit.yaml`.
    pub audit: Parsed<AuditInfo>,
    /// `questions.yaml`.
    pub questions: Parsed<QuestionBank>,
    /// `cases.yaml`.
    pub cases: Parsed<CaseList>,
    /// Every `*.yaml` under `returns/`, in path order.
    pub returns: Vec<Parsed<RawReturn>>,
    /// Every `*.yaml` under `narrative/`, in file-name order: one section each.
    pub sections: Vec<Parsed<SectionFile>>,
    /// `neighbours.yaml`, when present.
    pub neighbours: Option<Parsed<Neighbours>>,
    /// `editions.yaml`, when present.
    pub editions: Option<Parsed<EditionList>>,
    /// `allow.yaml`, when present: text reviewed and accepted by the personal data guard.
    pub allow: Option<Parsed<AllowList>>,
}

/// `allow.yaml`: reviewed false positives of the personal data guard.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// Each accepted text and why.
    #[serde(default)]
    pub allow: Vec<Allowed>,
    /// Words around a small number in prose that were reviewed: it is not a count of people
    /// (so it need not be withheld in an edition that suppresses small numbers).
    #[serde(default)]
    pub numbers: Vec<Allowed>,
}

/// One accepted text.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allowed {
    /// The text exactly as the guard found it (case aside).
    pub text: String,
    /// Why it is not personal data, for whoever reviews the audit next.
    pub reason: String,
}

impl AuditFolder {
    /// Every file whose text may be printed (all but `allow.yaml`).
    pub fn sources(&self) -> Vec<&Source> {
        let mut sources = vec![
            &self.audit.source,
            &self.questions.source,
            &self.cases.source,
        ];
        sources.extend(self.returns.iter().map(|p| &p.source));
        sources.extend(self.sections.iter().map(|p| &p.source));
        sources.extend(self.neighbours.iter().map(|p| &p.source));
        sources.extend(self.editions.iter().map(|p| &p.source));
        sources
    }

    /// The texts `allow.yaml` lists as reviewed false positives of the personal data guard.
    pub fn allowed_texts(&self) -> Vec<String> {
        self.allow
            .iter()
            .flat_map(|a| a.value.allow.iter().map(|entry| entry.text.clone()))
            .collect()
    }

    /// The words `allow.yaml` lists around small numbers reviewed as counting no one.
    pub fn reviewed_numbers(&self) -> Vec<String> {
        self.allow
            .iter()
            .flat_map(|a| a.value.numbers.iter().map(|entry| entry.text.clone()))
            .collect()
    }

    /// SHA-256 of every file read, by its path inside the audit folder.
    pub fn inputs(&self) -> std::collections::BTreeMap<String, String> {
        self.sources()
            .into_iter()
            .chain(self.allow.iter().map(|p| &p.source))
            .map(|s| {
                let name = s
                    .path
                    .strip_prefix(&self.root)
                    .unwrap_or(&s.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                // a spreadsheet row is an input of its own, named by its row
                let name = match &s.cells {
                    Some(cells) => format!("{name}#row {}", cells.row),
                    None => name,
                };
                (name, crate::digest::sha256(s.text.as_bytes()))
            })
            .collect()
    }
}

/// Reads and parses the audit folder at `root`. A return or narrative file that fails to
/// parse is left out and reported; `Ok` carries those problems so that validation can add its
/// own and the user sees them all. `Err` means a file everything depends on failed.
pub fn load(root: &Path) -> Result<(AuditFolder, Diagnostics), Diagnostics> {
    let mut problems = Diagnostics::default();
    if !root.is_dir() {
        return Err(Diagnostic::error(
            Location::file(root),
            format!("audit folder `{}` does not exist or is not a folder", root.display()),
        )
        .with_note("expected a folder holding audit.yaml, questions.yaml, cases.yaml, returns/ and narrative/")
        .into());
    }
    let audit = parse_file(&root.join("audit.yaml"), &mut problems);
    let questions = parse_file(&root.join("questions.yaml"), &mut problems);
    let cases = parse_file(&root.join("cases.yaml"), &mut problems);
    let mut returns = parse_tree(&root.join("returns"), &mut problems);
    unread(&root.join("returns"), root, true, &mut problems);
    unread(&root.join("narrative"), root, false, &mut problems);
    // Returns exported as spreadsheets, read with the question bank to match their headers.
    let columns: Option<Parsed<crate::input::spreadsheet::ColumnMap>> =
        parse_optional(&root.join("columns.yaml"), &mut problems);
    let columns = columns.map(|c| c.value).unwrap_or_default();
    if let Some(bank) = &questions {
        for path in spreadsheets(&root.join("returns")) {
            returns.extend(crate::input::spreadsheet::read(
                &path,
                &bank.value,
                &columns,
                &mut problems,
            ));
        }
    }
    let sections = parse_tree(&root.join("narrative"), &mut problems);
    let neighbours = parse_optional(&root.join("neighbours.yaml"), &mut problems);
    let editions = parse_optional(&root.join("editions.yaml"), &mut problems);
    let allow = parse_optional(&root.join("allow.yaml"), &mut problems);
    match (audit, questions, cases) {
        (Some(audit), Some(questions), Some(cases)) => Ok((
            AuditFolder {
                root: root.to_path_buf(),
                audit,
                questions,
                cases,
                returns,
                sections,
                neighbours,
                editions,
                allow,
            },
            problems,
        )),
        _ => Err(problems),
    }
}

fn parse_optional<T: DeserializeOwned>(
    path: &Path,
    problems: &mut Diagnostics,
) -> Option<Parsed<T>> {
    if path.exists() {
        parse_file(path, problems)
    } else {
        None
    }
}

/// The largest input file read, in bytes: far beyond any real return or narrative, well
/// short of what would exhaust memory on the way to the PDF.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// An error if the file at `path` is larger than [`MAX_FILE_BYTES`].
pub fn too_large(path: &Path) -> Option<Diagnostic> {
    let size = fs::metadata(path).ok()?.len();
    (size > MAX_FILE_BYTES).then(|| {
        Diagnostic::error(
            Location::file(path),
            format!(
                "file is {:.1} MB; input files are limited to {} MB",
                size as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
        )
    })
}

fn parse_file<T: DeserializeOwned>(path: &Path, problems: &mut Diagnostics) -> Option<Parsed<T>> {
    if let Some(problem) = too_large(path) {
        problems.push(problem);
        return None;
    }
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
            problems.push(
                Diagnostic::error(Location::file(path), "file is not valid UTF-8 text").with_note(
                    "save it as UTF-8 (in Excel: \"CSV UTF-8\"; in an editor: encoding UTF-8)",
                ),
            );
            return None;
        }
        Err(error) => {
            problems.push(Diagnostic::io("read", path, &error));
            return None;
        }
    };
    // A byte-order mark (Notepad) is not part of the first key.
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let source = Source {
        path: path.to_path_buf(),
        text,
        cells: None,
    };
    match parse_str(&source) {
        Ok(value) => Some(Parsed { value, source }),
        Err(diagnostic) => {
            problems.push(diagnostic);
            None
        }
    }
}

/// Parses one YAML text, turning a serde error into a diagnostic at its line and column.
pub fn parse_str<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    if source.text.trim().is_empty() {
        return Err(Diagnostic::error(
            Location::file(&source.path),
            "file is empty",
        ));
    }
    serde_yaml::from_str(&source.text).map_err(|error| {
        let (line, column) = error.location().map_or((0, 0), |l| (l.line(), l.column()));
        // serde_yaml puts " at line L column C" into its message; the location already says it.
        let message = strip_position(&error.to_string());
        Diagnostic::error(
            Location::at(&source.path, line, column),
            format!("failed to read YAML: {message}"),
        )
    })
}

/// `message` without serde_yaml's " at line L column C".
fn strip_position(message: &str) -> String {
    let Some(at) = message.find(" at line ") else {
        return message.to_string();
    };
    let rest = &message[at + " at line ".len()..];
    let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let Some(after) = rest[digits(rest)..].strip_prefix(" column ") else {
        return message.to_string();
    };
    format!("{}{}", &message[..at], &after[digits(after)..])
}

/// Parses every `.yaml`/`.yml` file below `dir`, sorted by path so the order is stable.
fn parse_tree<T: DeserializeOwned + Send>(
    dir: &Path,
    problems: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    if !dir.is_dir() {
        problems.push(Diagnostic::error(
            Location::file(dir),
            format!("folder `{}` is missing", dir.display()),
        ));
        return Vec::new();
    }
    let mut paths = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_yaml(entry.path()) => {
                paths.push(entry.into_path())
            }
            Ok(_) => {}
            Err(error) => problems.push(Diagnostic::error(
                Location::file(error.path().unwrap_or(dir)),
                format!("failed to read folder ({error})"),
            )),
        }
    }
    // Thousands of returns parse in parallel, a contiguous share of the files per core, and
    // come back in path order.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = paths.len().div_ceil(cores).max(64);
    let parsed: Vec<(Vec<Parsed<T>>, Diagnostics)> = std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(share)
            .map(|chunk| {
                scope.spawn(move || {
                    let mut problems = Diagnostics::default();
                    let parsed = chunk
                        .iter()
                        .filter_map(|path| parse_file(path, &mut problems))
                        .collect();
                    (parsed, problems)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut all = Vec::with_capacity(paths.len());
    for (chunk, found) in parsed {
        all.extend(chunk);
        problems.extend(found);
    }
    all
}

/// The CSV and XLSX files below `dir`, in path order.
fn spreadsheets(dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !name.starts_with("~$")
                && matches!(
                    p.extension()
                        .and_then(|e| e.to_str())
                        .map(str::to_lowercase)
                        .as_deref(),
                    Some("csv" | "xlsx")
                )
        })
        .collect()
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase)
            .as_deref(),
        Some("yaml" | "yml")
    )
}

/// Files under `dir` that will not be read, said out loud: other kinds of file (warnings:
/// `what` says what is read there) and symbolic links, which are never followed (an error
/// when the link leads outside the audit folder `root`).
fn unread(dir: &Path, root: &Path, spreadsheets: bool, problems: &mut Diagnostics) {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if entry.path_is_symlink() {
            let outside = path
                .canonicalize()
                .map_or(true, |target| !target.starts_with(&root));
            problems.push(if outside {
                Diagnostic::error(
                    Location::file(path),
                    "this is a symbolic link to something outside the audit folder; it is not read",
                )
                .with_note("copy the file into the audit folder instead")
            } else {
                Diagnostic::warning(
                    Location::file(path),
                    "symbolic links are not followed; this is not read",
                )
                .with_note("copy the file here instead of linking it")
            });
            continue;
        }
        if !entry.file_type().is_file() || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_lowercase);
        let read =
            is_yaml(path) || (spreadsheets && matches!(extension.as_deref(), Some("csv" | "xlsx")));
        if !read {
            let expected = if spreadsheets {
                "returns are read from .yaml, .csv and .xlsx files (save other spreadsheets as .xlsx)"
            } else {
                "narrative is read from .yaml files"
            };
            problems.push(Diagnostic::warning(
                Location::file(path),
                format!("not read: {expected}"),
            ));
        }
    }
}

impl Source {
    /// The place of 0-based `line` and 1-based `column` of the text: in a spreadsheet row, the
    /// cell that line came from.
    pub fn place(&self, line: usize, column: usize) -> Location {
        match &self.cells {
            Some(cells) => Location::at(
                &self.path,
                cells.row,
                cells.columns.get(line).copied().unwrap_or(0),
            ),
            None => Location::at(&self.path, line + 1, column),
        }
    }

    /// The first place at or after `from` where `text` stands, if any: for pointing at a
    /// piece of prose inside a multi-line value.
    pub fn find_after(&self, from: &Location, text: &str) -> Option<Location> {
        if self.cells.is_some() {
            return None;
        }
        let start = from.line.saturating_sub(1);
        self.text
            .lines()
            .enumerate()
            .skip(start)
            .find_map(|(l, line)| {
                line.find(text)
                    .map(|c| Location::at(&self.path, l + 1, line[..c].chars().count() + 1))
            })
    }

    /// Where `text` first stands in this file, if it does: line and column, or in a
    /// spreadsheet row the cell.
    pub fn find(&self, text: &str) -> Option<Location> {
        if text.is_empty() {
            return None;
        }
        let at = self.text.find(text)?;
        let before = &self.text[..at];
        let line = before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some(self.place(line, column))
    }

    /// The location of the value at `keys` (a path of mapping keys and list indices), or of
    /// the nearest enclosing one that can be found; the whole file if none.
    ///
    /// serde_yaml keeps no positions for values it parsed successfully, so checks that span
    /// files (an option not in the question bank, say) find the line again by walking the
    /// indentation of block YAML. Flow mappings (`{a: yes}`) are searched within their line.
    pub fn locate(&self, keys: &[&str]) -> Location {
        if let Some(cells) = &self.cells {
            // the longest known prefix of the key path
            let found = (1..=keys.len())
                .rev()
                .find_map(|n| cells.keys.get(&keys[..n].join("/")));
            return match found {
                Some(line) => Location::at(&self.path, cells.row, cells.columns[*line]),
                None => Location::at(&self.path, cells.row, 0),
            };
        }
        let lines: Vec<&str> = self.text.lines().collect();
        let mut scope = Scope {
            line: 0,
            column: 0,
            end: lines.len(),
        };
        let mut found = None;
        for key in keys {
            let hit = match key.parse::<usize>() {
                Ok(index) => find_item(&lines, &scope, index).map(|(l, c)| (l, c, c, true)),
                Err(_) => {
                    find_key(&lines, &scope, key).map(|(l, c)| (l, c, c + key.len() + 1, false))
                }
            };
            let Some((line, column, after, is_item)) = hit else {
                break;
            };
            found = Some((line, column));
            scope = Scope {
                line,
                column: after,
                end: block_end(&lines, line, column, is_item),
            };
        }
        match found {
            Some((line, column)) => Location::at(&self.path, line + 1, column + 1),
            None => Location::file(&self.path),
        }
    }
}

/// Where to search next: from (`line`, `column`) up to, not including, line `end`.
struct Scope {
    line: usize,
    column: usize,
    end: usize,
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start();
    !t.is_empty() && !t.starts_with('#')
}

/// The line after the value that starts at (`line`, `column`): the first later line indented
/// less (for a list item's content), or no more (for a mapping key) — except that a block
/// list may sit at its key's own indentation.
fn block_end(lines: &[&str], line: usize, column: usize, is_item: bool) -> usize {
    (line + 1..lines.len())
        .find(|&l| {
            let text = lines[l];
            let indent = indent_of(text);
            is_content(text)
                && (indent < column
                    || (!is_item && indent == column && !text[indent..].starts_with("- ")))
        })
        .unwrap_or(lines.len())
}

fn find_key(lines: &[&str], scope: &Scope, key: &str) -> Option<(usize, usize)> {
    for (l, text) in lines.iter().enumerate().take(scope.end).skip(scope.line) {
        let from = if l == scope.line {
            scope.column.min(text.len())
        } else {
            0
        };
        for needle in [
            format!("{key}:"),
            format!("\"{key}\":"),
            format!("'{key}':"),
        ] {
            let mut at = from;
            while let Some(pos) = text.get(at..).and_then(|rest| rest.find(&needle)) {
                let hit = at + pos;
                let before = text[..hit].trim_end();
                if before.is_empty() || before.ends_with(['-', '{', ',']) {
                    return Some((l, hit));
                }
                at = hit + needle.len();
            }
        }
    }
    None
}

fn find_item(lines: &[&str], scope: &Scope, index: usize) -> Option<(usize, usize)> {
    // A flow list on the key's own line: `exclude: [a, b]`.
    if let Some(line) = lines.get(scope.line) {
        let rest = line.get(scope.column..).unwrap_or("");
        if let Some(open) = rest.find('[') {
            let start = scope.column + open + 1;
            let mut column = start;
            for (i, item) in line[start..].split([',', ']']).enumerate() {
                if i == index {
                    return Some((scope.line, column + item.len() - item.trim_start().len()));
                }
                column += item.len() + 1;
            }
            return None;
        }
    }
    let mut seen = 0;
    let mut item_indent = None;
    for (l, text) in lines
        .iter()
        .enumerate()
        .take(scope.end)
        .skip(scope.line + 1)
    {
        let i = indent_of(text);
        if !text[i..].starts_with("- ") || *item_indent.get_or_insert(i) != i {
            continue;
        }
        if seen == index {
            return Some((l, i + 2));
        }
        seen += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: PathBuf::from("f.yaml"),
            text: text.to_string(),
            cells: None,
        }
    }

    #[test]
    fn locates_nested_keys_and_flow_maps() {
        let s = source(
            "case: A\nagency: Police\nanswers:\n  q1: {a: yes, b: maybe}\n  q2: yse\ncomments:\n  q2: x\n",
        );
        assert_eq!(s.locate(&["answers", "q2"]), Location::at("f.yaml", 5, 3));
        assert_eq!(
            s.locate(&["answers", "q1", "b"]),
            Location::at("f.yaml", 4, 16)
        );
        assert_eq!(s.locate(&["comments", "q2"]), Location::at("f.yaml", 7, 3));
        assert_eq!(s.locate(&["agency"]), Location::at("f.yaml", 2, 1));
    }

    #[test]
    fn locates_list_items() {
        let s = source(
            "cases:\n  - id: A\n    requested: [Police]\n  - id: B\n    requested:\n      - Health\n      - Polise\n",
        );
        assert_eq!(
            s.locate(&["cases", "1", "id"]),
            Location::at("f.yaml", 4, 5)
        );
        assert_eq!(
            s.locate(&["cases", "1", "requested", "1"]),
            Location::at("f.yaml", 7, 9)
        );
        assert_eq!(
            s.locate(&["cases", "0", "requested"]),
            Location::at("f.yaml", 3, 5)
        );
        assert_eq!(
            s.locate(&["cases", "0", "requested", "0"]),
            Location::at("f.yaml", 3, 17)
        );
    }

    #[test]
    fn falls_back_to_the_nearest_found_key() {
        let s = source("answers:\n  q1: yes\n");
        assert_eq!(s.locate(&["answers", "q9"]), Location::at("f.yaml", 1, 1));
        assert_eq!(s.locate(&["nothing"]), Location::file("f.yaml"));
    }

    #[test]
    fn position_is_taken_out_of_the_message() {
        assert_eq!(
            strip_position("bad escape at line 8 column 54, while parsing"),
            "bad escape, while parsing"
        );
        assert_eq!(
            strip_position("unknown field `y` at line 2 column 1"),
            "unknown field `y`"
        );
        assert_eq!(strip_position("at line noon"), "at line noon");
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let s = source(
            "title: x\nquestions:\n  - id: q1\n    number: 1\n    text: t\n    kind: singel\n",
        );
        let d = parse_str::<QuestionBank>(&s).unwrap_err();
        assert_eq!(d.location, Some(Location::at("f.yaml", 6, 11)));
        assert!(
            d.message.contains("unknown variant `singel`"),
            "{}",
            d.message
        );
    }
}
