//! The stages import one way only: input → check → collate → chart → document → proof →
//! render → output (ARCHITECTURE.md). Every `crate::…` path of the library's code outside its
//! tests is read here, and a module naming a later stage (or the pipeline in `lib.rs`) fails
//! the test; so does a `use super::*` outside tests, which would hide such a path.
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
            while i < chars.len() && !chars[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
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
