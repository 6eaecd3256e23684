//! The stages import one way only: input → check → collate → chart → document → proof →
//! render → output (ARCHITECTURE.md). Every `crate::…` path of the library's code outside its
//! tests is read here, and a module naming a later stage (or the pipeline in `lib.rs`) fails
//! the test; so does a `use super::*` outside tests, which would hide such a path.
//!
//! The rooms are kept small the same way: a function of [`MOST_LINES`] lines or more, or a
//! file over [`MOST_FILE_LINES`] lines whose first line does not say why, fails the test
//! unless listed as still to be split.
//!
//! And the integration tests patch the audits they copy only through `common::edit` (and
//! its `edit_all`, `edit_each`), which fail when the text to patch is not in the file: a
//! file's text read, `.replace`d and written back by hand fails the test, since such a patch
//! does nothing once the sample is reworded and the test then tests the sample unchanged.
//!
//! A test binary of its own: it reads the sources, not the library, so it links nothing of
//! Typst and runs in a moment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and its rank: a module may name modules of its rank or lower.
/// Shared leaves are 0; the commands, the pipeline (`lib.rs`) and what drives it are last.
const RANKS: &[(&str, u8)] = &[
    // shared leaves: no stage
    ("diag", 0),
    ("digest", 0),
    ("parallel", 0),
    ("edition", 0),
    ("fonts", 0),
    ("style", 0),
    // the stages, in order
    ("input", 1),
    ("check", 2),
    ("collate", 3),
    ("chart", 4),
    ("document", 5),
    ("proof", 6),
    ("render", 7),
    ("output", 8),
    // what runs the pipeline
    ("lib", 9),
    ("drive", 9),
    ("init", 9),
    ("preview", 9),
    ("schema", 9),
    ("show", 9),
    ("watch", 9),
];

fn rank(module: &str) -> Option<u8> {
    RANKS.iter().find(|(m, _)| *m == module).map(|&(_, r)| r)
}

/// Every `.rs` file under `folder`.
fn sources(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `text` without its comments, string and character literals (blanked, so braces inside them
/// do not count) and without every item marked `#[cfg(test)]`.
fn code(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['r', '#', '"']) || rest.starts_with(&['r', '"']) {
            // a raw string: to its closing quote and as many #s
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            let close: Vec<char> = std::iter::once('"').chain(vec!['#'; hashes]).collect();
            i += 2 + hashes;
            let mut lines = 0;
            while i < chars.len() && !chars[i..].starts_with(&close) {
                lines += usize::from(chars[i] == '\n');
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
            // (its lines kept, so a function's length is counted as written)
            out.extend(std::iter::repeat_n('\n', lines));
        } else if chars[i] == '"' {
            i += 1;
            let mut lines = 0;
            while i < chars.len() && chars[i] != '"' {
                lines += usize::from(chars[i] == '\n');
                // (an escaped line end: a line all the same)
                lines += usize::from(chars[i] == '\\' && chars.get(i + 1) == Some(&'\n'));
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
            out.extend(std::iter::repeat_n('\n', lines));
        } else if chars[i] == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str("' '");
        } else if chars[i] == '\'' && chars.get(i + 1) == Some(&'\\') {
            // an escaped character: '\n', '\'', '\u{1b}'
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    without_tests(&out)
}

/// `code` without the items marked `#[cfg(test)]` (to the `;` or the brace closing them).
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        let mut depth = 0;
        let mut end = item.len();
        for (i, c) in item.char_indices() {
            match c {
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// The first segment of every `crate::` path in `code`: `crate::check::Audit` gives
/// `check`, `crate::{BuildOptions, input::Source}` gives `BuildOptions` and `input`.
fn named(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    let ident = |s: &str| -> String {
        s.trim()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices("crate::") {
        // (`audit_report::` in the binary, `$crate::` in a macro: not this crate's paths)
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        names.push(ident(&group[start..i]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.push(ident(&group[start..i]));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            names.push(ident(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// The top-level module a file of `src/` belongs to (`check/bank.rs`: `check`).
fn module_of(relative: &Path) -> String {
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

#[test]
fn no_stage_imports_a_later_one() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut edges: BTreeMap<(String, String), usize> = BTreeMap::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        let module = module_of(relative);
        // the binary (`main.rs`, `cmd/`) uses the library only through its public API
        if module == "main" || module == "cmd" {
            continue;
        }
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no rank in RANKS (tests/layers.rs): give it its stage",
                relative.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let code = code(&text);
        if code.contains("use super::*") {
            wrong.push(format!(
                "{}: `use super::*` outside tests hides what it imports; name each item",
                relative.display()
            ));
        }
        for name in named(&code) {
            // an item of `lib.rs` (`crate::Prepared`, `crate::build`) is the pipeline's
            let target = if rank(&name).is_some() {
                name
            } else {
                "lib".to_string()
            };
            let theirs = rank(&target).unwrap();
            if target != module {
                *edges.entry((module.clone(), target.clone())).or_default() += 1;
            }
            if theirs > own {
                wrong.push(format!(
                    "{}: `{module}` (rank {own}) names `crate::{target}` (rank {theirs}), a later stage",
                    relative.display()
                ));
            }
        }
    }
    // (the reader must see paths at all, or the test passes by reading nothing)
    assert!(
        edges.contains_key(&("document".to_string(), "collate".to_string())),
        "no `crate::` path read: {edges:?}"
    );
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the pipeline:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_sees_paths_and_skips_tests() {
    let text = r#"
use crate::{BuildOptions, input::{Source, model::X}};
use crate::collate::Stats; // crate::output in a comment
let s = "crate::render";
let c = '{';
fn f() -> audit_report::render::Format {}
#[cfg(test)]
mod tests {
    use crate::output::write_atomic;
    let brace = "}";
}
use crate::check::Audit;
"#;
    assert_eq!(
        named(&code(text)),
        ["BuildOptions", "input", "collate", "check"]
    );
}

/// The longest a function of the library or the binary may be, in lines from its `fn` to
/// its closing brace (ARCHITECTURE.md, "small rooms"): one longer does several things, and
/// each wants a name of its own. A flat `match` dispatch may be longer: list it in
/// [`EXEMPT_FUNCTIONS`] with a comment at the function saying so.
const MOST_LINES: usize = 80;

/// Functions outside tests of [`MOST_LINES`] lines or more, each as (file under `src/`,
/// name), allowed for now: the ones still to be split (issue 28). The list only shrinks: an
/// entry whose function is short now, or gone, fails the test until it is taken off.
const EXEMPT_FUNCTIONS: &[(&str, &str)] = &[];

/// The most lines a file may have without saying why in its first line ("Over 500 lines:
/// …", in its `//!` doc).
const MOST_FILE_LINES: usize = 500;

/// Files under `src/` over [`MOST_FILE_LINES`] lines without a reason, allowed for now (issue
/// 28); like [`EXEMPT_FUNCTIONS`], the list only shrinks.
const EXEMPT_FILES: &[&str] = &[];

/// Every function in `code` (as [`code`] leaves it: no comments, strings or tests, its lines
/// kept) of `most` lines or more, with its length: from the line of `fn` to the line of its
/// closing brace. A declaration without a body (`fn f();`) has none.
fn long_functions(code: &str, most: usize) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut start = 0;
    for line in code.split_inclusive('\n') {
        let at = start;
        start += line.len();
        let mut words = line.trim_start();
        // the qualifiers a function may have before `fn`
        loop {
            let before = words;
            for qualifier in [
                "pub ",
                "const ",
                "async ",
                "unsafe ",
                "extern \"\" ",
                "extern ",
            ] {
                words = words.strip_prefix(qualifier).unwrap_or(words).trim_start();
            }
            if words.starts_with("pub(") {
                words = words[words.find(')').map_or(0, |i| i + 1)..].trim_start();
            }
            if words == before {
                break;
            }
        }
        let Some(rest) = words.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        let from = at + line.len() - words.len();
        let Some(open) = code[from..].find(['{', ';']).map(|i| from + i) else {
            continue;
        };
        if code[open..].starts_with(';') {
            continue;
        }
        let mut depth = 0;
        let mut close = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = open + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let lines = code[at..close].matches('\n').count() + 1;
        if lines >= most {
            found.push((name, lines));
        }
    }
    found
}

/// Whether a file's `text` is over [`MOST_FILE_LINES`] lines without its first line saying
/// why.
fn long_without_reason(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    text.lines().count() > MOST_FILE_LINES && !first.contains("Over 500 lines")
}

#[test]
fn no_function_or_file_is_too_long() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut long = Vec::new();
    let mut functions = 0;
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        let shown = relative.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        functions += long_functions(&code(&text), 1).len();
        for (name, lines) in long_functions(&code(&text), MOST_LINES) {
            long.push((shown.clone(), name.clone()));
            if !EXEMPT_FUNCTIONS.contains(&(shown.as_str(), name.as_str())) {
                wrong.push(format!(
                    "src/{shown}: `{name}` is {lines} lines (at most {}): split it into functions named for what each does",
                    MOST_LINES - 1
                ));
            }
        }
        let exempt = EXEMPT_FILES.contains(&shown.as_str());
        if long_without_reason(&text) && !exempt {
            wrong.push(format!(
                "src/{shown}: {} lines, and its first line does not say why (\"//! … (Over 500 lines: …)\"): split it, or say why",
                text.lines().count()
            ));
        } else if exempt && !long_without_reason(&text) {
            wrong.push(format!(
                "src/{shown}: no longer over {MOST_FILE_LINES} lines without a reason: take it off EXEMPT_FILES (tests/layers.rs)"
            ));
        }
    }
    for (file, name) in EXEMPT_FUNCTIONS {
        if !long.iter().any(|(f, n)| f == file && n == name) {
            wrong.push(format!(
                "src/{file}: `{name}` is no longer {MOST_LINES} lines or more: take it off EXEMPT_FUNCTIONS (tests/layers.rs)"
            ));
        }
    }
    // (the reader must see functions at all, or the test passes by reading nothing)
    assert!(
        functions > 500,
        "read {} files, found {functions} functions",
        files.len()
    );
    assert!(wrong.is_empty(), "rooms too big:\n{}", wrong.join("\n"));
}

#[test]
fn long_functions_are_found_and_tests_comments_and_strings_not_counted() {
    let text = r#"
pub(crate) fn short() -> u8 {
    1
}
fn four_lines(x: &str) -> &str {
    let brace = "}"; // }
    x
}
const fn spans_a_string() -> &'static str {
    "one
two
three"
}
trait T {
    fn declared(&self);
}
#[cfg(test)]
mod tests {
    fn a_long_test() {
        1;
        2;
        3;
        4;
    }
}
"#;
    assert_eq!(
        long_functions(&code(text), 4),
        [
            ("four_lines".to_string(), 4),
            ("spans_a_string".to_string(), 5)
        ]
    );
    assert_eq!(long_functions(&code(text), 6), []);
    let long = format!("//! A stage.\n{}", "x\n".repeat(MOST_FILE_LINES));
    assert!(long_without_reason(&long));
    let said = long.replace("A stage.", "A stage (Over 500 lines: one table).");
    assert!(!long_without_reason(&said));
    assert!(!long_without_reason("//! A stage.\nfn f() {}\n"));
}

/// The lines of `code` (as [`code`] leaves it: no comments or strings, its lines kept) where
/// a file's text is read and then `.replace`d or `.replacen`d: chained to the
/// `read_to_string`, or on a name bound to it in a function that writes a file. Such a patch
/// does nothing when its text has left the file, and the test goes on to test the file
/// unchanged; the integration tests patch through `common::edit`, which fails instead.
fn patched_by_hand(code: &str) -> Vec<usize> {
    let line = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found: Vec<usize> = regex::Regex::new(r"read_to_string\([^;]*\)[^;]*\.replacen?\(")
        .unwrap()
        .find_iter(code)
        .map(|m| line(m.end()))
        .collect();
    let bound = regex::Regex::new(r"let (?:mut )?(\w+)[^=;]*=[^;]*read_to_string\([^;]*;").unwrap();
    for read in bound.captures_iter(code) {
        let from = read.get(0).unwrap().end();
        // to the end of the function: its closing brace, alone at the start of a line
        let rest = &code[from..code[from..].find("\n}").map_or(code.len(), |i| from + i)];
        let replaced =
            regex::Regex::new(&format!(r"(?:^|[^.\w]){}\s*\.replacen?\(", &read[1])).unwrap();
        if rest.contains("fs::write(") {
            found.extend(replaced.find_iter(rest).map(|m| line(from + m.end())));
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn integration_tests_patch_files_through_edit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration");
    let mut files = Vec::new();
    sources(&root, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        if relative == Path::new("common.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for line in patched_by_hand(&code(&text)) {
            wrong.push(format!(
                "tests/integration/{}:{line}: a file's text read, `.replace`d and written back: patch it with common::edit (edit_all, edit_each), which fails when the text is not in the file",
                relative.display()
            ));
        }
    }
    // (the reader must see the tests at all, or the test passes by reading nothing)
    assert!(files.len() > 20, "read {} files", files.len());
    assert!(
        wrong.is_empty(),
        "patches that pass when their text is gone:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn patches_by_hand_are_found_and_edits_and_escapes_are_not() {
    let text = r#"
fn chained(path: &Path) {
    let text = fs::read_to_string(path)
        .unwrap()
        .replace("a; b", "c");
    fs::write(path, text).unwrap();
}
fn bound(path: &Path) {
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("a", "b", 1),
    )
    .unwrap();
}
fn through_edit(path: &Path) {
    let before = fs::read_to_string(path).unwrap();
    edit(path, "a", "b");
    fs::write(path, before).unwrap();
}
fn another_text(path: &Path, summary: &Summary) {
    let text = fs::read_to_string(path).unwrap();
    fs::write(path, summary.text.replace("a", "b")).unwrap();
}
fn compared(path: &Path) {
    let html = fs::read_to_string(path).unwrap();
    assert!(html.replace('\n', " ").contains("a b"));
}
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
}
"#;
    assert_eq!(patched_by_hand(&code(text)), [5, 12]);
}
