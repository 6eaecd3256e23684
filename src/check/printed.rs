//! Checks on what each edition prints, as printed: characters the fonts cannot draw, control
//! characters, words and texts too long to lay out, and personal data pieced together by
//! markup, templates or escapes. Run by `prepare`, so `check` finds all `build` would.

use crate::diag::Diagnostics;

/// Every check on one edition's printed text. Problems are placed at the input the text was
/// written in where it can be found (an escape such as `\a` stands in the file as two
/// characters: then at the prose it was filled from), else at the edition.
pub fn check(
    guard: &super::guard::Guard,
    audit: &super::Audit,
    edition: &crate::edition::Edition,
    document: &crate::document::Document,
    seen: &mut std::collections::BTreeSet<String>,
) -> Diagnostics {
    let sources = audit_sources(audit);
    let strings = crate::document::printed_strings(document);
    let locate = |needle: &str, text: &str| {
        sources
            .iter()
            .find_map(|source| source.find(needle))
            .or_else(|| {
                let printed = document.printed.iter().find(|p| {
                    p.text.contains(needle) && (p.text.contains(text) || text.contains(&p.text))
                })?;
                let section = audit
                    .sections
                    .iter()
                    .find(|s| s.source.path == printed.file)?;
                let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
                Some(section.source.locate(&path))
            })
    };
    let mut problems = crate::document::unprintable_text(&strings, edition, &locate);
    problems.extend(personal_data(
        guard, audit, edition, document, &strings, seen,
    ));
    problems
}

/// The personal data guard over one edition's printed text: its prose at the place each piece
/// was written, then every other string it prints (headings, cover, tables, captions, alt
/// text) at the edition. A hit already reported elsewhere is not repeated.
fn personal_data(
    guard: &super::guard::Guard,
    audit: &super::Audit,
    edition: &crate::edition::Edition,
    document: &crate::document::Document,
    strings: &[String],
    seen: &mut std::collections::BTreeSet<String>,
) -> Diagnostics {
    let mut problems = Diagnostics::default();
    for printed in &document.printed {
        let locate = || {
            audit
                .sections
                .iter()
                .find(|s| s.source.path == printed.file)
                .map(|s| {
                    let path: Vec<&str> = printed.path.iter().map(String::as_str).collect();
                    s.source.locate(&path)
                })
                .unwrap_or_else(|| crate::diag::Location::file(&printed.file))
        };
        problems.extend(guard.scan_printed(&printed.text, &locate, " as printed", seen));
    }
    let at = || crate::diag::Location::file(format!("edition `{}`", edition.id));
    for text in strings {
        problems.extend(guard.scan_printed(text, &at, " in the printed text", seen));
    }
    problems
}

/// Every input file of a checked audit.
pub fn audit_sources(audit: &super::Audit) -> Vec<&crate::input::Source> {
    let mut sources: Vec<&crate::input::Source> =
        audit.sections.iter().map(|s| &s.source).collect();
    sources.extend(audit.neighbours.iter().map(|n| &n.source));
    sources.extend(audit.sources.iter());
    sources
}
