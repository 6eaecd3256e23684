//! Showing problems to the person who has to fix them: as the Rust and Typst tools do (the
//! file and place, the source line with a caret under the spot, what is wrong, and `help:`
//! lines saying what to do), or one line each (`--diagnostic-format short`, for editors).
//! Colour only on a terminal, and never with `NO_COLOR` set.

use crate::diag::{Diagnostic, Severity};
use codespan_reporting::diagnostic::{Diagnostic as Shown, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Buffer, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};
use std::io::{IsTerminal, Write};

/// How problems are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// The source line, a caret and help, as the Rust and Typst tools show them.
    #[default]
    Human,
    /// `file:line:column: error: message`, exactly one line each and no help, as `rustc
    /// --error-format short` and `typst --diagnostic-format short` give them: for editors and
    /// `grep`.
    Short,
}

impl std::str::FromStr for Style {
    type Err = String;
    fn from_str(name: &str) -> Result<Style, String> {
        match name {
            "human" => Ok(Style::Human),
            "short" => Ok(Style::Short),
            other => Err(format!("expected human or short, found `{other}`")),
        }
    }
}

/// The problem as the Rust and Typst tools show it, without colour.
pub fn human(problem: &Diagnostic) -> String {
    let mut out = NoColor::new(Vec::new());
    emit(&mut out, problem);
    String::from_utf8(out.into_inner())
        .unwrap_or_else(|_| format!("{}\n", printable(&problem.to_string())))
}

/// Writes `problems` to standard error in `style`, in colour where standard error is a
/// terminal and `NO_COLOR` is not set.
pub fn to_stderr<'a>(problems: impl IntoIterator<Item = &'a Diagnostic>, style: Style) {
    use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    // Buffered: a problem shown is a few hundred small writes (a caret, a bar, a colour), each
    // a system call unbuffered.
    let mut out = BufferedStandardStream::stderr(if colour {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    });
    for problem in problems {
        match style {
            Style::Short => {
                let _ = writeln!(out, "{}", one_line(problem));
            }
            Style::Human => emit(&mut out, problem),
        }
    }
    let _ = out.flush();
}

/// The problem on one line, `place: severity: message`, without its help. A line break in
/// the message (a value quoted from an input) is shown as a space: an editor reads one
/// problem a line.
pub fn one_line(problem: &Diagnostic) -> String {
    let head = Diagnostic {
        notes: Vec::new(),
        ..problem.clone()
    };
    printable(&head.to_string()).replace(['\r', '\n'], " ")
}

/// One problem as the Rust and Typst tools show it. A spreadsheet cell is shown by
/// [`cell_snippet`], right under the message and before its notes: its row and column are
/// not a line and column of the file's text.
fn emit<W: WriteColor>(out: &mut W, problem: &Diagnostic) {
    let (files, shown) = prepare(problem);
    let Some(snippet) = cell_snippet(problem) else {
        if term::emit_to_write_style(out, &Config::default(), &files, &shown).is_err() {
            let _ = writeln!(out, "{}", printable(&problem.to_string()));
        }
        return;
    };
    let head = Shown {
        notes: Vec::new(),
        ..shown.clone()
    };
    // the message alone, in colour where `out` has it, without the blank line after
    let mut buffer = if out.supports_color() {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    if term::emit_to_write_style(&mut buffer, &Config::default(), &files, &head).is_err() {
        let _ = writeln!(out, "{}", printable(&problem.to_string()));
        return;
    }
    let message = buffer.into_inner();
    let end = message
        .iter()
        .rposition(|b| *b != b'\n')
        .map_or(0, |i| i + 1);
    let _ = out.write_all(&message[..end]);
    let _ = write!(out, "\n{snippet}");
    for note in &shown.notes {
        let _ = writeln!(out, "  = {note}");
    }
    let _ = writeln!(out);
}

/// A spreadsheet cell's place and text with a caret under the text, as the Rust tools show
/// a line of source: the cell is the "line" the person who filled it in knows.
fn cell_snippet(problem: &Diagnostic) -> Option<String> {
    let location = problem.location.as_ref()?;
    let cell = location.cell.as_ref()?;
    let row = location.line.to_string();
    let gutter = " ".repeat(row.len());
    let mut out = format!("{gutter}┌─ {}\n", printable(&location.to_string()));
    if let Some(text) = cell.text.as_deref().filter(|t| !t.trim().is_empty()) {
        // on one line, as the cell shows in its row
        let text = printable(&text.replace(['\r', '\n'], " "));
        let text = crate::diag::shortened(text.trim(), 120);
        let carets = "^".repeat(text.chars().count().max(1));
        out.push_str(&format!(
            "{gutter} │\n{row} │ {text}\n{gutter} │ {carets}\n"
        ));
    }
    Some(out)
}

/// The problem in codespan's terms, with its file's text where the place is in a text file.
fn prepare(problem: &Diagnostic) -> (SimpleFiles<String, String>, Shown<usize>) {
    let mut files = SimpleFiles::new();
    let shown = match problem.severity {
        Severity::Error => Shown::error(),
        Severity::Warning => Shown::warning(),
        Severity::Note => Shown::note(),
    }
    .with_message(printable(&problem.message))
    .with_notes(
        problem
            .notes
            .iter()
            .map(|n| format!("help: {}", printable(n)))
            .collect(),
    );
    let Some(location) = &problem.location else {
        return (files, shown);
    };
    // A spreadsheet's cell is shown by `cell_snippet`: its row and column are not a line
    // and column of the file's text.
    if location.cell.is_some() {
        return (files, shown);
    }
    let text = (location.line > 0)
        .then(|| std::fs::read(&location.path).ok())
        .flatten()
        .filter(|bytes| bytes.len() <= crate::input::MAX_FILE_BYTES as usize)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        // A spreadsheet's row and column are not lines of text.
        .filter(|_| {
            !location
                .path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
        });
    let name = printable(&location.path.display().to_string());
    let found =
        text.and_then(|text| span(&text, location.line, location.column).map(|s| (text, s)));
    // A line too long for a terminal (a file of one 200,000-character line) is not drawn
    // with its caret: where it is, and the text around the place, instead.
    let (found, excerpt) = match found {
        Some((text, span)) if line_around(&text, span.start).len() > LONGEST_LINE_SHOWN => {
            let line = line_around(&text, span.start);
            let at = span.start - (line.as_ptr() as usize - text.as_ptr() as usize);
            let from = line.floor_char_boundary(at.saturating_sub(40));
            let to = line.ceil_char_boundary((at + 40).min(line.len()));
            let excerpt = format!(
                "the line is {} characters long; around the place: `…{}…`",
                line.chars().count(),
                printable(&line[from..to])
            );
            (None, Some(excerpt))
        }
        found => (found, None),
    };
    match found {
        Some((text, span)) => {
            let id = files.add(name, printable(&text));
            (files, shown.with_labels(vec![Label::primary(id, span)]))
        }
        None => {
            // No text to show (a folder, a whole file, a spreadsheet cell): where, first.
            let mut notes = vec![format!("in {}", printable(&location.to_string()))];
            notes.extend(excerpt);
            notes.append(&mut shown.notes.clone());
            (files, Shown { notes, ..shown })
        }
    }
}

/// The longest line drawn with its caret, in bytes.
const LONGEST_LINE_SHOWN: usize = 400;

/// The line of `text` that holds byte `at`, without its line break.
fn line_around(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// `text` safe to write to a terminal: a control character (`ESC` starts the sequences that
/// move the cursor, clear lines or change colours) or a direction override in an input would
/// otherwise act on the terminal instead of being shown, and could hide the problem itself.
/// Each is replaced by a character of the same length in UTF-8, so places in the text stay
/// where they were: `?` for one byte, `¿` for two, `�` for three.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' | '\r' => c,
            c if c.is_ascii_control() => '?',
            '\u{80}'..='\u{9F}' => '¿',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The bytes under the caret: from the column to the end of the value on that line (the
/// whole line's text when no column is known).
fn span(text: &str, line: usize, column: usize) -> Option<std::ops::Range<usize>> {
    let start_of_line: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let this_line = text[start_of_line..].split('\n').next()?;
    let this_line = this_line.strip_suffix('\r').unwrap_or(this_line);
    let content_start = this_line.len() - this_line.trim_start().len();
    let from = match column {
        0 => content_start,
        c => this_line
            .char_indices()
            .nth(c - 1)
            .map_or(this_line.len(), |(i, _)| i),
    };
    let mut to = this_line.trim_end().len().max(from);
    // A figure typed into prose ("12.5 per cent", "9 of 40", "40 returns"): the caret
    // under it alone.
    static TYPED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^\d+(?:\.\d+)?(?:%| per cent| percent| (?:out )?of (?:the )?\d+| returns| responses| cases| requests)",
        )
        .expect("valid pattern")
    });
    if let Some(typed) = TYPED.find(&this_line[from..]) {
        to = from + typed.end();
    }
    // A figure in prose: the caret under `{{ … }}` alone (or up to its one closing brace).
    if this_line[from..].starts_with("{{") {
        let inside = &this_line[from + 2..];
        let next = inside.find("{{").unwrap_or(inside.len());
        let end = match inside.find("}}") {
            Some(close) if close < next => Some(close + 4),
            _ => inside[..next].find('}').map(|e| e + 3),
        };
        if let Some(end) = end {
            to = from + end;
        }
    }
    // An empty span still gets its caret.
    // (one whole character, whatever its width in bytes)
    let to = if to == from {
        this_line[from..]
            .chars()
            .next()
            .map_or(from, |c| from + c.len_utf8())
    } else {
        to
    };
    Some(start_of_line + from..start_of_line + to)
}

#[cfg(test)]
mod tests {
    use super::span;

    /// An input's control characters are shown, not sent to the terminal: the line shown,
    /// the message and the file name carry no escape, and the caret stays under its value.
    #[test]
    fn control_characters_in_an_input_do_not_reach_the_terminal() {
        let dir = std::env::temp_dir().join(format!("show-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a\u{1b}[2Kb.yaml");
        std::fs::write(&path, "title: \"Back\u{1b}[31m\u{202e}ground\"\nid: x\n").unwrap();
        let location = crate::diag::Location::at(&path, 1, 8);
        let problem =
            crate::diag::Diagnostic::error(location, "found `\u{1b}[2K`").with_note("\u{9b}31m");
        for shown in [
            super::human(&problem),
            super::printable(&problem.to_string()),
        ] {
            assert!(
                !shown.contains(['\u{1b}', '\u{9b}', '\u{202e}']),
                "{shown:?}"
            );
            assert!(shown.contains("found `?[2K`") && shown.contains("a?[2Kb.yaml"));
        }
        let human = super::human(&problem);
        assert!(
            human.contains("1 │ title: \"Back?[31m\u{fffd}ground\""),
            "{human}"
        );
        assert!(human.contains("│        ^"), "{human}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A problem on a line of 200,000 characters is shown by its place and the text
    /// around it, not by the line with its caret (400 KB written to the terminal).
    #[test]
    fn a_very_long_line_is_shown_by_an_excerpt() {
        let dir = std::env::temp_dir().join(format!("show-long-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.yaml");
        let line = format!("comment: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        std::fs::write(&path, format!("case: C01\n{line}\n")).unwrap();
        let problem = crate::diag::Diagnostic::error(
            crate::diag::Location::at(&path, 2, 74),
            "brackets nest more than 64 deep here",
        );
        let human = super::human(&problem);
        assert!(human.len() < 1_000, "{} bytes", human.len());
        assert!(human.contains("r.yaml:2:74"), "{human}");
        assert!(
            human.contains("the line is 200009 characters long; around the place: `…[[[["),
            "{human}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// The short form is one line a problem, without its help.
    #[test]
    fn the_short_form_is_one_line_without_its_help() {
        let location = crate::diag::Location::at("data/r.yaml", 3, 7);
        let problem = crate::diag::Diagnostic::error(location, "`yse` is not\nan option")
            .with_note("did you mean `yes`?")
            .with_note("expected one of `yes`, `no`");
        assert_eq!(
            super::one_line(&problem),
            "data/r.yaml:3:7: error: `yse` is not an option"
        );
        let general = crate::diag::Diagnostic::general("no edition is called `x`");
        assert_eq!(super::one_line(&general), "error: no edition is called `x`");
    }

    #[test]
    fn the_caret_runs_from_the_column_to_the_end_of_the_value() {
        let text = "title: x\ncases:\n  - id: C1  \n";
        assert_eq!(&text[span(text, 3, 5).unwrap()], "id: C1");
        assert_eq!(&text[span(text, 3, 0).unwrap()], "- id: C1");
        assert_eq!(&text[span(text, 1, 8).unwrap()], "x");
        assert_eq!(span(text, 0, 1), None);
        // a column at a wide character after the text: one whole character, never half
        let wide = "key: v\u{a0}\n";
        assert_eq!(&wide[span(wide, 1, 7).unwrap()], "\u{a0}");
        let prose = "  x {{pct \"q2\" \"na\"} per cent {{b}}\n";
        assert_eq!(&prose[span(prose, 1, 5).unwrap()], "{{pct \"q2\" \"na\"}");
        let typed = "In 12.5 per cent of returns\n";
        assert_eq!(&typed[span(typed, 1, 4).unwrap()], "12.5 per cent");
    }
}
