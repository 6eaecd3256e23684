//! The layout (`report.typ`) and the standard wording (`wording.yaml`): compiled in, or read
//! from a folder of the lead's own (`--templates`).

use crate::diag::Diagnostics;
use std::path::{Path, PathBuf};

/// The layout and wording compiled into the binary, used unless `--templates` names others.
const DEFAULT_LAYOUT: &str = include_str!("../../report-templates/report.typ");
const DEFAULT_WORDING: &str = include_str!("../../report-templates/wording.yaml");

/// The built-in wording, parsed once (what a lead's own `wording.yaml` leaves out is taken
/// from it).
pub fn built_in_wording() -> &'static super::Wording {
    static WORDING: std::sync::LazyLock<super::Wording> = std::sync::LazyLock::new(|| {
        super::parse_wording(&crate::input::Source {
            path: "report-templates/wording.yaml".into(),
            text: DEFAULT_WORDING.into(),
            cells: None,
        })
        .expect("the built-in wording.yaml parses (tested)")
    });
    &WORDING
}

/// The layout and standard wording.
pub struct Templates {
    /// `report.typ` source.
    pub layout: String,
    /// Where it came from, for messages.
    pub layout_path: PathBuf,
    /// `wording.yaml`, parsed.
    pub wording: super::Wording,
}

impl Templates {
    /// The built-in templates, or the ones in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Diagnostics> {
        let (layout_path, layout, wording_source) = match dir {
            None => (
                PathBuf::from("report-templates/report.typ"),
                DEFAULT_LAYOUT.to_string(),
                crate::input::Source {
                    path: "report-templates/wording.yaml".into(),
                    text: DEFAULT_WORDING.into(),
                    cells: None,
                },
            ),
            Some(dir) => {
                let read = |name: &str| {
                    let path = dir.join(name);
                    std::fs::read_to_string(&path)
                        .map(|text| (path.clone(), text))
                        .map_err(|e| crate::diag::Diagnostic::io("read", &path, &e))
                };
                let (layout_path, layout) = read("report.typ")?;
                let (path, text) = read("wording.yaml")?;
                (
                    layout_path,
                    layout,
                    crate::input::Source {
                        path,
                        text,
                        cells: None,
                    },
                )
            }
        };
        let wording = super::parse_wording(&wording_source)?;
        Ok(Templates {
            layout,
            layout_path,
            wording,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::built_in_wording;

    /// The headings the tool writes are in sentence case (docs/house-style.md): a word after
    /// the first is capitalised only as a name ("Word") or an initialism.
    #[test]
    fn the_built_in_headings_are_in_sentence_case() {
        let w = built_in_wording();
        let mut headings = vec![
            &w.contents_title,
            &w.neighbour_name_heading,
            &w.neighbour_average,
            &w.neighbour_england,
            &w.edition_notes.figures_title,
            &w.edition_notes.numbering_title,
            &w.action_plan.progress_caption,
            &w.views.agencies_caption,
            &w.views.outstanding_caption,
            &w.views.this_case,
            &w.views.all_cases,
            &w.views.all_agencies,
            &w.furniture.chart_figures,
            &w.furniture.notes,
        ];
        headings.extend(w.chart_table_header.iter());
        headings.extend(w.action_plan.header.iter());
        headings.extend(w.action_plan.progress_header.iter());
        headings.extend(w.action_plan.statuses.values());
        headings.extend(w.action_plan.progress.values());
        headings.extend(w.views.agencies_header.iter());
        headings.extend(w.views.outstanding_header.iter());
        for heading in &headings {
            let mut words = heading.split_whitespace();
            let first = words.next().unwrap_or_default();
            assert!(
                first.starts_with(char::is_uppercase),
                "{heading:?}: starts in lower case"
            );
            for word in words {
                let initialism = word
                    .chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase);
                assert!(
                    !word.starts_with(char::is_uppercase) || initialism,
                    "{heading:?}: {word:?} capitalised mid-heading"
                );
            }
        }
    }

    /// Every phrase of the built-in wording is in the house style (curly quotes, en-dashed
    /// year ranges) outside its `{{…}}` fields, which are the audit's own words.
    #[test]
    fn the_built_in_wording_is_in_the_house_style() {
        let text = super::DEFAULT_WORDING;
        let mut literal = String::new();
        for line in text.lines().filter(|l| !l.trim_start().starts_with('#')) {
            let value = line.split_once(": ").map_or(line, |(_, v)| v).trim();
            let value = value.trim_start_matches("- ").trim_matches('"');
            let mut rest = value;
            while let Some(start) = rest.find("{{") {
                literal.push_str(&rest[..start]);
                rest = rest[start..].split_once("}}").map_or("", |(_, r)| r);
            }
            literal.push_str(rest);
            literal.push('\n');
        }
        for line in literal.lines() {
            assert_eq!(crate::style::text(line), line, "not in the house style");
        }
    }
}
