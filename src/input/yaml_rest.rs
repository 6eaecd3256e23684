//! Every problem in a file's list at once, not only the first: the YAML reader stops at its
//! first wrong value, so each item it stopped in is set aside (its lines blanked, so every
//! line keeps its number) and the file read again, until it reads or a problem lies outside
//! the list's items. A `cases.yaml` with three cases mistyped says all three.

use super::Source;
use crate::diag::Diagnostic;
use serde::de::DeserializeOwned;

/// The most problems told from one file: past that the file is likely not the kind it is
/// named for, and each reading again costs a reading of the whole file.
const MOST_PER_FILE: usize = 50;

/// Reads `source` as the first problem `first` left it: each later problem inside another
/// item of the same list, said at its own line with its item's number as written.
/// `problem` turns a reader's error into its diagnostic (at `source`'s lines, which blanking
/// keeps).
pub(super) fn later_problems<T: DeserializeOwned>(
    source: &Source,
    first: &serde_yaml::Error,
    problem: impl Fn(&serde_yaml::Error) -> Diagnostic,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // (a value reached through an alias is placed at its anchor, in another item: setting
    // that item aside would lose the anchor and misplace what follows)
    if source.cells.is_some() || has_anchor(&source.text) {
        return found;
    }
    let Some((list, start, indent)) = list_of(&source.text, first) else {
        return found;
    };
    // (a value of the wrong kind in an item: not a slip the reader could not read past)
    let in_item = |d: &Diagnostic| d.message.contains(&format!("{list}["));
    if !in_item(&problem(first)) {
        return found;
    }
    let mut lines: Vec<String> = source.text.split('\n').map(str::to_string).collect();
    let mut set_aside: Vec<usize> = Vec::new();
    let mut error = Owned::of(first);
    while let Some(item) = item_at(&lines, &error, &list, start, indent) {
        set_aside.push(written_index(item.index, &set_aside));
        set_aside.sort_unstable();
        for line in &mut lines[item.lines] {
            line.clear();
        }
        match serde_yaml::from_str::<T>(&lines.join("\n")) {
            Ok(_) => break,
            Err(next) => {
                let Some(index) = path_index(&next.to_string(), &list) else {
                    break;
                };
                let (now, written) = (index, written_index(index, &set_aside));
                let mut diagnostic = problem(&next);
                if !in_item(&diagnostic) {
                    break;
                }
                renumber(&mut diagnostic, &list, now, written);
                if found.len() + 2 >= MOST_PER_FILE {
                    diagnostic = diagnostic.with_note(format!(
                        "no more than {MOST_PER_FILE} problems are told of one file: there may be more after this"
                    ));
                    found.push(diagnostic);
                    break;
                }
                found.push(diagnostic);
                error = Owned::of(&next);
            }
        }
    }
    found
}

/// What [`later_problems`] reads of an error (serde_yaml's are not `Clone`): its message
/// and line.
struct Owned {
    message: String,
    line: Option<usize>,
}

impl Owned {
    fn of(error: &serde_yaml::Error) -> Self {
        Owned {
            message: error.to_string(),
            line: error.location().map(|l| l.line()),
        }
    }
}

/// One item of the list, as the reader now numbers it, and its lines (0-based, end
/// excluded).
struct Item {
    index: usize,
    lines: std::ops::Range<usize>,
}

/// Whether `text` defines a YAML anchor (`&name` where a value starts).
fn has_anchor(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, c)| {
        let starts = i == 0 || chars[i - 1].is_whitespace() || ":[{,-".contains(chars[i - 1]);
        let named = chars
            .get(i + 1)
            .is_some_and(|n| n.is_alphanumeric() || *n == '_');
        *c == '&' && starts && named
    })
}

/// The list an error's path starts in (`cases` of `cases[2].age_band: …`; empty for a file
/// that is a list), the line its first item starts on (0-based) and that item's indentation.
/// `None` when the path starts elsewhere or the list is written in brackets.
fn list_of(text: &str, error: &serde_yaml::Error) -> Option<(String, usize, usize)> {
    let message = error.to_string();
    let list = list_name(&message)?;
    let lines: Vec<&str> = text.split('\n').collect();
    let after = if list.is_empty() {
        0
    } else {
        let key = lines.iter().position(|line| {
            line.strip_prefix(list.as_str())
                .and_then(|rest| rest.strip_prefix(':'))
                .is_some_and(|rest| {
                    let rest = rest.trim();
                    rest.is_empty() || rest.starts_with('#')
                })
        })?;
        key + 1
    };
    let first = (after..lines.len()).find(|&i| {
        let t = lines[i].trim();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    })?;
    let indent = marker_indent(lines[first])?;
    Some((list, first, indent))
}

/// The list a reader's message starts its path in: `cases` for `cases[2].id: …`, empty for
/// `[2].id: …`; `None` for a message whose path starts with no list item.
fn list_name(message: &str) -> Option<String> {
    let (path, _) = message.split_once(": ")?;
    let (name, rest) = path.split_once('[')?;
    let plain = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let (digits, _) = rest.split_once(']')?;
    (plain && !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| name.to_string())
}

/// The item number `list[n]` the message's path starts with.
fn path_index(message: &str, list: &str) -> Option<usize> {
    if list_name(message)? != list {
        return None;
    }
    let rest = message.strip_prefix(list)?.strip_prefix('[')?;
    rest.split_once(']')?.0.parse().ok()
}

/// The indentation of a list item's first line (`  - id: C01`): `None` for any other line,
/// or one indented with a tab.
fn marker_indent(line: &str) -> Option<usize> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = line[indent..].trim_end_matches('\r');
    (rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")).then_some(indent)
}

/// The item of `list` the reader stopped in: the one whose lines hold the error's line.
fn item_at(
    lines: &[String],
    error: &Owned,
    list: &str,
    start: usize,
    indent: usize,
) -> Option<Item> {
    let index = path_index(&error.message, list)?;
    let at = error.line?.checked_sub(1)?;
    if at < start || at >= lines.len() {
        return None;
    }
    let ends_item = |line: &str| {
        let t = line.trim_start_matches(' ');
        let depth = line.len() - t.len();
        // (a blank line of a file saved on Windows holds its `\r`)
        let t = t.trim();
        !t.is_empty() && !t.starts_with('#') && depth <= indent
    };
    let first = (start..=at)
        .rev()
        .find(|&i| marker_indent(&lines[i]) == Some(indent))?;
    if (first + 1..=at).any(|i| ends_item(&lines[i])) {
        return None;
    }
    let end = (first + 1..lines.len())
        .find(|&i| ends_item(&lines[i]))
        .unwrap_or(lines.len());
    Some(Item {
        index,
        lines: first..end,
    })
}

/// The number an item had as written, given the ones set aside before (sorted, as written).
fn written_index(now: usize, set_aside: &[usize]) -> usize {
    let mut written = now;
    for &gone in set_aside {
        if gone <= written {
            written += 1;
        }
    }
    written
}

/// Puts the item's number as written into what the reader said of it.
fn renumber(diagnostic: &mut Diagnostic, list: &str, now: usize, written: usize) {
    let (from, to) = (format!("{list}[{now}]"), format!("{list}[{written}]"));
    diagnostic.message = diagnostic.message.replacen(&from, &to, 1);
    for note in &mut diagnostic.notes {
        *note = note.replacen(&from, &to, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::super::yaml::parse_counted_all;
    use super::Source;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        title: String,
        cases: Vec<Case>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Case {
        id: String,
        months: u32,
        #[serde(default)]
        agencies: Vec<String>,
    }

    /// Each problem `text` gives, as `line:column: message`.
    fn problems(text: &str) -> Vec<String> {
        let source = Source {
            path: "cases.yaml".into(),
            text: text.into(),
            cells: None,
        };
        parse_counted_all::<File>(&source)
            .unwrap_err()
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                format!("{}:{}: {}", at.line, at.column, d.message)
            })
            .collect()
    }

    #[test]
    fn every_mistyped_item_is_told_at_its_line_with_its_number_as_written() {
        let text = "title: T\ncases:\n- id: C1\n  months: ten\n- id: C2\n  months: [2]\n- id: C3\n  months: 3\n- id: C4\n  agencies:\n  - Health\n  monhts: 4\n- id: C5\n  months: five\n";
        assert_eq!(
            problems(text),
            [
                "4:11: failed to read YAML: cases[0].months: invalid type: string \"ten\", expected u32",
                "6:11: failed to read YAML: cases[1].months: invalid type: sequence, expected u32",
                "12:3: failed to read YAML: cases[3]: unknown field `monhts`, expected one of `id`, `months`, `agencies`",
                "14:11: failed to read YAML: cases[4].months: invalid type: string \"five\", expected u32",
            ]
        );
    }

    #[test]
    fn a_list_indented_under_its_key_and_comments_between_items_are_read_past() {
        let text = "# cases\ntitle: T\ncases:\n  # first\n  - id: C1\n    months: x\n# a note\n  - id: C2\n    months: 2\n  - id: C3\n    months: y\n";
        assert_eq!(
            problems(text),
            [
                "6:13: failed to read YAML: cases[0].months: invalid type: string \"x\", expected u32",
                "11:13: failed to read YAML: cases[2].months: invalid type: string \"y\", expected u32",
            ]
        );
    }

    #[test]
    fn a_file_saved_on_windows_is_read_past_its_blank_lines() {
        let text = "title: T\r\ncases:\r\n- id: C1\r\n\r\n  months: x\r\n-\r\n  id: C2\r\n  months: 2\r\n- id: C3\r\n  months: y\r\n";
        let told = problems(text);
        assert_eq!(told.len(), 2, "{told:?}");
        assert!(
            told[1].starts_with("10:11: failed to read YAML: cases[2].months"),
            "{told:?}"
        );
    }

    /// A value reached through an alias is placed at its anchor, in another item: such a
    /// file is told its first problem only (setting the anchor's item aside lost the rest).
    #[test]
    fn a_file_with_anchors_is_told_its_first_problem_only() {
        let text = "title: T\ncases:\n- id: C1\n  months: 1\n  agencies: &a [Health]\n- id: C2\n  months: *a\n- id: C3\n  months: x\n";
        assert_eq!(problems(text).len(), 1, "{:?}", problems(text));
        assert!(!super::has_anchor("title: Police & Health; R&D\n"));
        assert!(super::has_anchor("a: &x 1\n"));
    }

    #[test]
    fn a_problem_outside_the_list_or_one_the_reader_cannot_read_past_is_told_once() {
        // a field of the file itself: setting an item aside would not reach it
        let outside = "title: [T]\ncases:\n- id: C1\n  months: x\n";
        assert_eq!(problems(outside).len(), 1, "{:?}", problems(outside));
        // a quote never closed: nothing after it can be read
        let unclosed = "title: T\ncases:\n- id: 'C1\n  months: x\n- id: C2\n  months: y\n";
        assert_eq!(problems(unclosed).len(), 1, "{:?}", problems(unclosed));
        // a list written in brackets: its items have no lines of their own
        let flow = "title: T\ncases: [{id: C1, months: x}, {id: C2, months: y}]\n";
        assert_eq!(problems(flow).len(), 1, "{:?}", problems(flow));
        // once every item is set aside, the empty list is not a problem of its own
        let all = "title: T\ncases:\n- id: C1\n  months: x\n";
        assert_eq!(problems(all).len(), 1, "{:?}", problems(all));
        // a field missing from the file, found after the items: not told as an item's
        let missing = "cases:\n- id: C1\n  months: x\n";
        assert_eq!(problems(missing).len(), 1, "{:?}", problems(missing));
    }

    #[test]
    fn a_file_of_many_wrong_items_is_told_up_to_a_limit() {
        let mut text = String::from("title: T\ncases:\n");
        for i in 0..200 {
            text.push_str(&format!("- id: C{i}\n  months: x\n"));
        }
        let told = problems(&text);
        assert_eq!(told.len(), super::MOST_PER_FILE);
        assert!(told[49].contains("cases[49].months"), "{}", told[49]);
        let source = Source {
            path: "cases.yaml".into(),
            text,
            cells: None,
        };
        let last = parse_counted_all::<File>(&source)
            .unwrap_err()
            .pop()
            .unwrap();
        assert!(last.notes[0].contains("there may be more"), "{last:?}");
    }
}
