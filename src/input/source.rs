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
    /// The sheet of a workbook (`None` for CSV) and every column's heading, shared by the
    /// rows of one sheet.
    pub sheet: std::sync::Arc<Sheet>,
}

/// What the rows of one sheet share: its name and its headings.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The sheet of a workbook; `None` for a CSV file.
    pub name: Option<String>,
    /// Each column's heading, the first at 0.
    pub headings: Vec<String>,
}

impl Cells {
    /// The place of the cell of the row's text at `line` (0-based): its sheet, row and
    /// column, its column's heading and its text.
    fn place(&self, path: &std::path::Path, text: &str, line: usize) -> Location {
        let column = self.columns.get(line).copied().unwrap_or(0);
        Location::cell(
            path,
            self.row,
            column,
            crate::diag::Cell {
                sheet: self.sheet.name.clone(),
                heading: column
                    .checked_sub(1)
                    .and_then(|c| self.sheet.headings.get(c).cloned()),
                text: (column > 0)
                    .then(|| text.lines().nth(line).map(str::to_string))
                    .flatten(),
            },
        )
    }
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
            Some(cells) => cells.place(&self.path, &self.text, line),
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
                // On `from`'s own line, only from its column on.
                let skip = if l == start {
                    line.char_indices()
                        .nth(from.column.saturating_sub(1))
                        .map_or(line.len(), |(i, _)| i)
                } else {
                    0
                };
                line[skip..]
                    .find(text)
                    .map(|c| Location::at(&self.path, l + 1, line[..skip + c].chars().count() + 1))
            })
    }

    /// [`Source::find_after`], with any run of white space in `text` standing for any run in
    /// the file: a figure that a folded YAML string breaks over two lines is found whole.
    pub fn find_after_loose(&self, from: &Location, text: &str) -> Option<Location> {
        if self.cells.is_some() {
            return None;
        }
        let words: Vec<String> = text.split_whitespace().map(regex::escape).collect();
        if words.is_empty() {
            return None;
        }
        let pattern = regex::Regex::new(&words.join(r"\s+")).ok()?;
        // the byte where `from` stands
        let line_start: usize = self
            .text
            .split_inclusive('\n')
            .take(from.line.saturating_sub(1))
            .map(str::len)
            .sum();
        let line = self.text[line_start..].split('\n').next().unwrap_or("");
        let start = line_start
            + line
                .char_indices()
                .nth(from.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
        let found = pattern.find_at(&self.text, start)?;
        let before = &self.text[..found.start()];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some(Location::at(&self.path, line, column))
    }

    /// Where `text` first stands in this file, if it does: line and column, or in a
    /// spreadsheet row the cell.
    pub fn find(&self, text: &str) -> Option<Location> {
        self.find_part(text, 0)
    }

    /// Where the byte `offset` of `text` stands, where `text` first stands in this file.
    pub fn find_part(&self, text: &str, offset: usize) -> Option<Location> {
        if text.is_empty() {
            return None;
        }
        let at = self.text.find(text)? + offset;
        let before = &self.text[..at];
        let line = before.matches('\n').count();
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        Some(self.place(line, column))
    }

    /// The location of the value at `keys` (a path of mapping keys and list indices), or of
    /// the nearest enclosing one that can be found; the whole file if none. A scalar value
    /// is pointed at itself; a mapping or list at its key (where the block begins).
    ///
    /// serde_yaml keeps no positions for values it parsed successfully, so the file is read
    /// again with a parser that does (saphyr-parser) when a problem needs its place: exact,
    /// in flow and block style alike, and through anchors and aliases (a value reached
    /// through `*alias` is pointed at where its anchor defines it).
    pub fn locate(&self, keys: &[&str]) -> Location {
        if let Some(cells) = &self.cells {
            // the longest known prefix of the key path
            let found = (1..=keys.len())
                .rev()
                .find_map(|n| cells.keys.get(&keys[..n].join("/")));
            return match found {
                Some(line) => cells.place(&self.path, &self.text, *line),
                None => cells.place(&self.path, &self.text, usize::MAX),
            };
        }
        let positions = Positions::of(&self.text);
        // the longest prefix of the path that stands in the file
        (1..=keys.len())
            .rev()
            .find_map(|n| positions.find(&keys[..n].join("/"), 0))
            .map_or_else(
                || Location::file(&self.path),
                |(line, column)| Location::at(&self.path, line, column),
            )
    }
}

/// Where each node of a YAML file stands: key path (`cases/3/id`) → line and column (both
/// 1-based), and which paths are aliases of which anchored ones.
#[derive(Default)]
struct Positions {
    values: std::collections::HashMap<String, (usize, usize)>,
    keys: std::collections::HashMap<String, (usize, usize)>,
    aliases: Vec<(String, String)>,
}

/// A collection being read: its path, and the key awaiting its value (mapping) or the next
/// index (list).
enum Open {
    Mapping { path: String, key: Option<String> },
    List { path: String, next: usize },
}

impl Positions {
    fn of(text: &str) -> Positions {
        use saphyr_parser::{Event, Parser};
        let mut positions = Positions::default();
        let mut open: Vec<Open> = Vec::new();
        let mut anchors: std::collections::HashMap<usize, String> = Default::default();
        for event in Parser::new_from_str(text) {
            // A file that does not parse has been reported already: what was read is kept.
            let Ok((event, span)) = event else { break };
            let at = (span.start.line(), span.start.col() + 1);
            // A scalar in a mapping's key place is the key: noted, and nothing more.
            if let (
                Event::Scalar(key, ..),
                Some(Open::Mapping {
                    path,
                    key: slot @ None,
                }),
            ) = (&event, open.last_mut())
            {
                let full = join(path, key);
                positions.keys.insert(full, at);
                *slot = Some(key.to_string());
                continue;
            }
            let node = match open.last_mut() {
                Some(Open::Mapping { path, key }) => key.take().map(|k| join(path, &k)),
                Some(Open::List { path, next }) => {
                    *next += 1;
                    Some(join(path, &(*next - 1).to_string()))
                }
                None => Some(String::new()),
            };
            let is_end = matches!(event, Event::MappingEnd | Event::SequenceEnd);
            if is_end {
                open.pop();
                continue;
            }
            let Some(node) = node else { continue };
            positions.record(event, node, at, &mut open, &mut anchors);
        }
        positions
    }

    /// Notes the place of `node` (its path), which `event` starts at `at`: a scalar's or an
    /// alias's value, a list item's mapping or list; a mapping or list opens.
    fn record(
        &mut self,
        event: saphyr_parser::Event<'_>,
        node: String,
        at: (usize, usize),
        open: &mut Vec<Open>,
        anchors: &mut std::collections::HashMap<usize, String>,
    ) {
        use saphyr_parser::Event;
        match event {
            Event::Scalar(_, _, anchor, _) => {
                self.values.insert(node.clone(), at);
                if anchor > 0 {
                    anchors.insert(anchor, node);
                }
            }
            Event::Alias(anchor) => {
                self.values.insert(node.clone(), at);
                if let Some(target) = anchors.get(&anchor) {
                    self.aliases.push((node, target.clone()));
                }
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                // A list item's mapping starts at its first key, where the item is.
                if open.last().is_some_and(|o| matches!(o, Open::List { .. })) {
                    self.values.insert(node.clone(), at);
                }
                if anchor > 0 {
                    anchors.insert(anchor, node.clone());
                }
                open.push(if matches!(event, Event::MappingStart(..)) {
                    Open::Mapping {
                        path: node,
                        key: None,
                    }
                } else {
                    Open::List {
                        path: node,
                        next: 0,
                    }
                });
            }
            _ => {}
        }
    }

    /// The place of `path`: its value if a scalar, else its key; through an alias, the place
    /// in the anchored node it names.
    fn find(&self, path: &str, depth: usize) -> Option<(usize, usize)> {
        if let Some(at) = self.values.get(path).or_else(|| self.keys.get(path)) {
            // A value that is an alias: point at the alias itself.
            return Some(*at);
        }
        if depth > 8 {
            return None;
        }
        self.aliases.iter().find_map(|(alias, anchor)| {
            let rest = path.strip_prefix(alias.as_str())?.strip_prefix('/')?;
            self.find(&format!("{anchor}/{rest}"), depth + 1)
        })
    }
}

/// The path of `key` in the node at `path` (`findings/0/actions`).
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
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
    fn locates_values_exactly_in_block_and_flow_style() {
        let s = source(
            "case: A\nagency: Police\nanswers:\n  q1: {a: yes, b: maybe}\n  q2: yse\ncomments:\n  q2: x\n",
        );
        assert_eq!(s.locate(&["answers", "q2"]), Location::at("f.yaml", 5, 7));
        assert_eq!(
            s.locate(&["answers", "q1", "b"]),
            Location::at("f.yaml", 4, 19)
        );
        assert_eq!(s.locate(&["comments", "q2"]), Location::at("f.yaml", 7, 7));
        assert_eq!(s.locate(&["agency"]), Location::at("f.yaml", 2, 9));
        // a mapping is pointed at by its key
        assert_eq!(s.locate(&["answers"]), Location::at("f.yaml", 3, 1));
    }

    #[test]
    fn locates_list_items() {
        let s = source(
            "cases:\n  - id: A\n    requested: [Police]\n  - id: B\n    requested:\n      - Health\n      - Polise\n",
        );
        assert_eq!(
            s.locate(&["cases", "1", "id"]),
            Location::at("f.yaml", 4, 9)
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
    fn sees_through_aliases_to_their_anchor() {
        let s = source(
            "first:\n  options: &yn\n  - id: 'yes'\n  - id: nope\nsecond:\n  options: *yn\n",
        );
        // the second question's options are the first's: a bad id is pointed at where it is
        // written
        assert_eq!(
            s.locate(&["second", "options", "1", "id"]),
            Location::at("f.yaml", 4, 9)
        );
        assert_eq!(
            s.locate(&["second", "options"]),
            Location::at("f.yaml", 6, 12)
        );
    }

    #[test]
    fn falls_back_to_the_nearest_found_key() {
        let s = source("answers:\n  q1: yes\n");
        assert_eq!(s.locate(&["answers", "q9"]), Location::at("f.yaml", 1, 1));
        assert_eq!(s.locate(&["nothing"]), Location::file("f.yaml"));
    }
}
