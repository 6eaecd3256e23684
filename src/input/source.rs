//! The text of an input file, kept to point at values in it: a line and column in YAML, a
//! row and column in a spreadsheet.

use crate::diag::Location;
use std::path::PathBuf;

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
}
