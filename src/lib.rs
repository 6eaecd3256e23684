//! audit-report: the returns of a multi-agency case audit → the finished, board-ready PDF.
//!
//! The pipeline, one module per stage, each taking plain values and giving plain values:
//!
//! 1. [`load`]: the audit folder → parsed files ([`load::AuditFolder`]);
//! 2. [`validate`]: parsed files → a checked [`validate::Audit`], every problem at once;
//! 3. [`collate`]: the audit → [`collate::Stats`], all cases together and each case separately;
//! 4. [`chart`]: the stats → one SVG bar chart per charted question;
//! 5. [`document`]: audit, stats, charts and wording → the report as data, prose filled in;
//! 6. [`typeset`]: the data and the static Typst layout → PDF bytes;
//! 7. [`write`]: bytes → files, atomically.
//!
//! `ARCHITECTURE.md` says more about each stage.

pub mod chart;
pub mod collate;
pub mod diag;
pub mod document;
pub mod fonts;
pub mod load;
pub mod model;
pub mod prose;
pub mod typeset;
pub mod validate;
pub mod words;
pub mod write;

use diag::{Diagnostic, Diagnostics};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The layout and wording compiled into the binary, used unless `--templates` names others.
const DEFAULT_LAYOUT: &str = include_str!("../report-templates/report.typ");
const DEFAULT_WORDING: &str = include_str!("../report-templates/wording.yaml");

/// What to build and where to put it.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The audit folder.
    pub audit: PathBuf,
    /// Where PDFs go.
    pub out: PathBuf,
    /// Where chart SVGs go.
    pub charts: PathBuf,
    /// A folder with `report.typ` and `wording.yaml` to use instead of the built-in ones.
    pub templates: Option<PathBuf>,
}

/// The layout and standard wording.
pub struct Templates {
    /// `report.typ` source.
    pub layout: String,
    /// Where it came from, for messages.
    pub layout_path: PathBuf,
    /// `wording.yaml`, parsed.
    pub wording: document::Wording,
}

impl Templates {
    /// The built-in templates, or the ones in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Templates, Diagnostics> {
        let (layout_path, layout, wording_source) = match dir {
            None => (
                PathBuf::from("report-templates/report.typ"),
                DEFAULT_LAYOUT.to_string(),
                load::Source {
                    path: "report-templates/wording.yaml".into(),
                    text: DEFAULT_WORDING.into(),
                },
            ),
            Some(dir) => {
                let read = |name: &str| {
                    let path = dir.join(name);
                    std::fs::read_to_string(&path)
                        .map(|text| (path.clone(), text))
                        .map_err(|e| Diagnostic::io("read", &path, &e))
                };
                let (layout_path, layout) = read("report.typ")?;
                let (path, text) = read("wording.yaml")?;
                (layout_path, layout, load::Source { path, text })
            }
        };
        let wording = document::parse_wording(&wording_source)?;
        Ok(Templates {
            layout,
            layout_path,
            wording,
        })
    }
}

/// One PDF written.
#[derive(Debug, Clone)]
pub struct Written {
    /// Its path.
    pub path: PathBuf,
    /// Its pages.
    pub pages: usize,
    /// All text on its pages, in order.
    pub text: String,
}

/// What a build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// The PDFs written.
    pub editions: Vec<Written>,
    /// The chart files written.
    pub charts: Vec<PathBuf>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Time taken by each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

/// A checked and collated audit: what `check` reports on and `build` starts from.
pub struct Checked {
    /// The checked audit.
    pub audit: validate::Audit,
    /// Its collated figures.
    pub stats: collate::Stats,
    /// Warnings.
    pub warnings: Diagnostics,
}

/// Loads, validates and collates the audit folder.
pub fn check(audit_dir: &Path) -> Result<Checked, Diagnostics> {
    let folder = load::load(audit_dir)?;
    let (audit, warnings) = validate::validate(folder)?;
    let stats = collate::collate(&audit);
    Ok(Checked {
        audit,
        stats,
        warnings,
    })
}

/// Builds the report: every stage in order; nothing is written unless every stage before
/// writing succeeded. `progress` hears the name of each stage as it starts.
pub fn build(
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildSummary, Diagnostics> {
    let mut stages = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, stages: &mut Vec<(&'static str, Duration)>| {
        stages.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    progress("loading and checking the audit folder");
    let templates = Templates::load(options.templates.as_deref())?;
    let Checked {
        audit,
        stats,
        warnings,
    } = check(&options.audit)?;
    lap("load, validate, collate", &mut stages);

    progress("drawing charts");
    let charts = chart::render(&audit, &stats).map_err(Diagnostic::general)?;
    lap("charts", &mut stages);

    progress("filling templates");
    let document = document::build(&audit, &stats, &charts, &templates.wording)?;
    let data = serde_json::to_vec_pretty(&document)
        .map_err(|e| Diagnostic::general(format!("failed to serialise the document ({e})")))?;
    lap("templates", &mut stages);

    progress("typesetting");
    let mut files = vec![("/data.json".to_string(), data)];
    files.extend(
        charts
            .iter()
            .map(|c| (format!("/charts/{}.svg", c.id), c.svg.clone().into_bytes())),
    );
    let typeset = typeset::typeset(typeset::Input {
        layout: templates.layout,
        layout_path: templates.layout_path,
        files,
        date: audit.date,
    })?;
    lap("typeset and PDF", &mut stages);

    progress("writing");
    let mut chart_paths = Vec::new();
    for chart in &charts {
        let path = options.charts.join(format!("{}.svg", chart.id));
        write::write_atomic(&path, chart.svg.as_bytes())?;
        chart_paths.push(path);
    }
    let pdf_path = options.out.join("report.pdf");
    write::write_atomic(&pdf_path, &typeset.pdf)?;
    lap("write", &mut stages);

    Ok(BuildSummary {
        editions: vec![Written {
            path: pdf_path,
            pages: typeset.pages,
            text: typeset.text,
        }],
        charts: chart_paths,
        warnings,
        stages,
    })
}
