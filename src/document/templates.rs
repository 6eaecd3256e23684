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
