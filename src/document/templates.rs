//! The layout (`report.typ`) and the standard wording (`wording.yaml`): compiled in, or read
//! from a folder of the lead's own (`--templates`).

use crate::diag::Diagnostics;
use std::path::{Path, PathBuf};

/// The layout and wording compiled into the binary, used unless `--templates` names others.
const DEFAULT_LAYOUT: &str = include_str!("../../report-templates/report.typ");
const DEFAULT_WORDING: &str = include_str!("../../report-templates/wording.yaml");
/// The layouts of the papers that travel with the report, and their wording.
const DEFAULT_PACK: [(crate::edition::Kind, &str); 3] = [
    (
        crate::edition::Kind::Cover,
        include_str!("../../report-templates/cover.typ"),
    ),
    (
        crate::edition::Kind::Slides,
        include_str!("../../report-templates/slides.typ"),
    ),
    (
        crate::edition::Kind::Briefing,
        include_str!("../../report-templates/briefing.typ"),
    ),
];
const DEFAULT_PACK_WORDING: &str = include_str!("../../report-templates/pack.yaml");

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
    /// The layouts of the cover paper, slides and briefing (`cover.typ` …): the folder's
    /// own where it has one, else the built-in.
    pub layouts: Layouts,
    /// `pack.yaml`, parsed: the papers' standard wording (the folder's, else built in).
    pub pack: super::PackWording,
}

/// The layouts of the kinds of edition beside the report: (where it came from, its text).
#[derive(Debug, Clone, Default)]
pub struct Layouts(pub std::collections::BTreeMap<crate::edition::Kind, (PathBuf, String)>);

impl Layouts {
    /// The layout of `kind` (none for the report, whose is `Templates::layout`).
    pub fn of(&self, kind: crate::edition::Kind) -> Option<(&Path, &str)> {
        self.0.get(&kind).map(|(p, t)| (p.as_path(), t.as_str()))
    }

    /// The layouts given in a folder of the lead's own (not the built-in ones).
    pub fn own(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.0
            .values()
            .filter(|(p, _)| !p.starts_with("report-templates"))
            .map(|(p, t)| (p.as_path(), t.as_str()))
    }
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
        // A folder of the lead's own may hold the papers' layouts and wording or not: those it
        // lacks are the built-in ones (a folder made before there were papers still works).
        let own = |name: &str| -> Result<Option<(PathBuf, String)>, crate::diag::Diagnostic> {
            let Some(path) = dir.map(|d| d.join(name)).filter(|p| p.exists()) else {
                return Ok(None);
            };
            std::fs::read_to_string(&path)
                .map(|text| Some((path.clone(), text)))
                .map_err(|e| crate::diag::Diagnostic::io("read", &path, &e))
        };
        let mut layouts = Layouts::default();
        for (kind, text) in DEFAULT_PACK {
            let name = format!("{}.typ", kind.name());
            let layout = own(&name)?.unwrap_or_else(|| {
                (
                    PathBuf::from("report-templates").join(&name),
                    text.to_string(),
                )
            });
            layouts.0.insert(kind, layout);
        }
        let (path, text) = own("pack.yaml")?.unwrap_or_else(|| {
            (
                PathBuf::from("report-templates/pack.yaml"),
                DEFAULT_PACK_WORDING.to_string(),
            )
        });
        let pack = super::pack::parse_pack_wording(&crate::input::Source {
            path,
            text,
            cells: None,
        })?;
        Ok(Templates {
            layout,
            layout_path,
            wording,
            layouts,
            pack,
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
