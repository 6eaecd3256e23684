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
pub mod disclose;
pub mod document;
pub mod edition;
pub mod fonts;
pub mod guard;
pub mod intake;
pub mod load;
pub mod model;
pub mod prose;
pub mod record;
pub mod sheet;
pub mod synthetic;
pub mod typeset;
pub mod validate;
pub mod watch;
pub mod words;
pub mod write;

use diag::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The internal folder of an output set: build records, change lists, every figure.
pub const RECORDS: &str = "records";

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
    /// Build only the edition with this id or name; all editions when `None`.
    pub edition: Option<String>,
    /// The lead's private list of names (children, parents, workers) that must never be
    /// printed; kept outside the repository.
    pub private_names: Option<PathBuf>,
    /// Also write everything Typst needs for each edition (layout, data, charts, fonts) into
    /// this folder, so the same document can be compiled by the Typst CLI for comparison.
    pub emit_typst: Option<PathBuf>,
}

impl BuildOptions {
    /// Building the audit in `audit` into `out/` and `charts/`, every edition.
    pub fn new(audit: impl Into<PathBuf>) -> Self {
        BuildOptions {
            audit: audit.into(),
            out: "out".into(),
            charts: "charts".into(),
            templates: None,
            edition: None,
            private_names: None,
            emit_typst: None,
        }
    }
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
                    cells: None,
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
                (
                    layout_path,
                    layout,
                    load::Source {
                        path,
                        text,
                        cells: None,
                    },
                )
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
    /// The edition's id.
    pub edition: String,
    /// Its path.
    pub path: PathBuf,
    /// Its folder: everything in it may go to the edition's audience.
    pub folder: PathBuf,
    /// Who the edition is for.
    pub audience: String,
    /// Its protective marking.
    pub marking: Option<String>,
    /// Its small-number threshold, if it withholds small numbers.
    pub suppress_below: Option<u32>,
    /// Its pages.
    pub pages: usize,
    /// All text on its pages, in order.
    pub text: String,
    /// What changed since the last build of this edition, when there was one.
    pub changes: Option<Vec<String>>,
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

/// An audit taken through every stage before typesetting: what `check` reports on and
/// `build` typesets.
pub struct Prepared {
    /// The checked audit.
    pub audit: validate::Audit,
    /// Its collated figures.
    pub stats: collate::Stats,
    /// Its charts.
    pub charts: BTreeMap<Option<u32>, Vec<chart::Chart>>,
    /// Each edition to build and its document, prose filled in.
    pub documents: Vec<(edition::Edition, document::Document)>,
    /// Problems that do not stop a build.
    pub warnings: Diagnostics,
    /// SHA-256 of every input file, by path inside the audit folder.
    pub inputs: std::collections::BTreeMap<String, String>,
    /// Time taken by each stage so far.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Times stages.
struct Stopwatch {
    clock: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn lap(&mut self, name: &'static str) {
        self.stages.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

/// Loads, checks and collates the audit folder, draws its charts and fills in its prose for
/// each edition (or only `only`): everything `build` does before typesetting, so `check` finds
/// every problem `build` would (short of a broken layout template).
pub fn prepare(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<Prepared, Diagnostics> {
    let only = options.edition.as_deref();
    let mut watch = Stopwatch {
        clock: Instant::now(),
        stages: Vec::new(),
    };
    progress("loading and checking the audit folder");
    // Nothing personal may reach a report: the guard runs before anything else is built.
    let names = match &options.private_names {
        Some(path) => guard::read_names(path)?,
        None => Vec::new(),
    };
    let (folder, mut problems) = match load::load(&options.audit) {
        Ok(loaded) => loaded,
        Err(mut problems) => {
            // A file everything depends on is broken: still say what else is wrong.
            if options.audit.is_dir() {
                let guard = guard::Guard::new(&names, &[]);
                problems.extend(guard.scan_folder(&options.audit, &Default::default()));
            }
            return Err(problems);
        }
    };
    let inputs = folder.inputs();
    let allowed: Vec<String> = folder
        .allow
        .iter()
        .flat_map(|a| a.value.allow.iter().map(|entry| entry.text.clone()))
        .collect();
    let reviewed_numbers: Vec<String> = folder
        .allow
        .iter()
        .flat_map(|a| a.value.numbers.iter().map(|entry| entry.text.clone()))
        .collect();
    let guard = guard::Guard::new(&names, &allowed);
    let (found, mut seen) = guard.scan_sources(folder.sources());
    problems.extend(found);
    let read: std::collections::BTreeSet<&Path> = folder
        .sources()
        .into_iter()
        .chain(folder.allow.iter().map(|a| &a.source))
        .map(|s| s.path.as_path())
        .collect();
    problems.extend(guard.scan_folder(&folder.root, &read));
    let (audit, warnings) = validate::validate(folder, problems)?;
    let editions: Vec<edition::Edition> = match only {
        None => audit.editions.clone(),
        Some(wanted) => match audit.editions.iter().find(|e| e.is_named(wanted)) {
            Some(edition) => vec![edition.clone()],
            None => {
                let known: Vec<String> = audit
                    .editions
                    .iter()
                    .map(|e| format!("`{}` ({})", e.id, e.name))
                    .collect();
                return Err(Diagnostic::general(format!(
                    "no edition is called `{wanted}`; the audit has {}",
                    known.join(", ")
                ))
                .into());
            }
        },
    };
    watch.lap("load and validate");
    let stats = collate::collate(&audit);
    let mut warnings = warnings;
    warnings.extend(prose::stale_literals(&audit, &stats));
    warnings.extend(prose::small_literal_warnings(
        &audit,
        &editions,
        &reviewed_numbers,
    ));
    watch.lap("collate");
    progress("drawing charts");
    // One set of charts per small-number threshold in use: most editions share the first.
    let mut charts = BTreeMap::new();
    for edition in &editions {
        if let std::collections::btree_map::Entry::Vacant(slot) =
            charts.entry(edition.suppress_below)
        {
            slot.insert(
                chart::render(&audit, &stats, edition.suppress_below)
                    .map_err(Diagnostic::general)?,
            );
        }
    }
    watch.lap("charts");
    progress("filling templates");
    let mut documents = Vec::new();
    let mut problems = Diagnostics::default();
    for edition in editions {
        match document::build(
            &audit,
            &stats,
            &charts[&edition.suppress_below],
            &templates.wording,
            &edition,
        ) {
            Ok(document) => documents.push((edition, document)),
            Err(found) => {
                // The same prose problem shows in every edition; report it once.
                for d in found.0 {
                    if !problems.0.contains(&d) {
                        problems.push(d);
                    }
                }
            }
        }
    }
    // What would stop the typesetter or print wrongly, and personal data, are looked for in
    // what each edition prints: found here, so `check` reports them too. A name or postcode
    // pieced together by markup, templates or escapes is caught as printed.
    let sources = audit_sources(&audit);
    for (edition, document) in &documents {
        let strings = document::printed_strings(document);
        // Where the text was written: as it stands in an input, else the prose it was
        // filled from (an escape such as `\a` stands in the file as two characters).
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
        problems.extend(document::unprintable_text(&strings, edition, &locate));
        problems.extend(scan_printed(
            &guard, &audit, edition, document, &strings, &mut seen,
        ));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    watch.lap("templates");
    Ok(Prepared {
        audit,
        stats,
        charts,
        documents,
        warnings,
        inputs,
        stages: watch.stages,
    })
}

/// Builds the report: every stage in order, then every edition typeset (in parallel where
/// there are cores) and written; nothing is written unless every edition typeset.
/// `progress` hears the name of each stage as it starts.
pub fn build(
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildSummary, Diagnostics> {
    let templates = Templates::load(options.templates.as_deref())?;
    let prepared = prepare(options, &templates, progress)?;
    let mut watch = Stopwatch {
        clock: Instant::now(),
        stages: prepared.stages,
    };

    progress("typesetting");
    let files_of = |edition: &edition::Edition,
                    document: &document::Document|
     -> Result<Vec<(String, Vec<u8>)>, Diagnostics> {
        let data = serde_json::to_vec(document)
            .map_err(|e| Diagnostic::general(format!("failed to serialise the document ({e})")))?;
        let mut files = vec![("/data.json".to_string(), data)];
        files.extend(
            prepared.charts[&edition.suppress_below]
                .iter()
                .map(|c| (format!("/charts/{}.svg", c.id), c.svg.clone().into_bytes())),
        );
        Ok(files)
    };
    if let Some(folder) = &options.emit_typst {
        for (edition, document) in &prepared.documents {
            emit_typst(
                &folder.join(&edition.id),
                &templates.layout,
                files_of(edition, document)?,
            )?;
        }
    }
    let typeset_one = |edition: &edition::Edition,
                       document: &document::Document|
     -> Result<typeset::Typeset, Diagnostics> {
        typeset::typeset(typeset::Input {
            layout: templates.layout.clone(),
            layout_path: templates.layout_path.clone(),
            files: files_of(edition, document)?,
            date: document.date,
        })
    };
    let results: Vec<Result<typeset::Typeset, Diagnostics>> = std::thread::scope(|scope| {
        let handles: Vec<_> = prepared
            .documents
            .iter()
            .map(|(edition, document)| scope.spawn(|| typeset_one(edition, document)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Diagnostic::general("typesetting stopped unexpectedly").into())
                })
            })
            .collect()
    });
    let mut typeset = Vec::new();
    let mut problems = Diagnostics::default();
    for result in results {
        match result {
            Ok(done) => typeset.push(done),
            Err(found) => problems.extend(found),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    watch.lap("typeset and PDF");

    progress("writing");
    let labels = measure_labels(&prepared.audit);
    // Charts: one folder per small-number threshold in use.
    let mut chart_set = write::OutputSet::default();
    for (threshold, charts) in &prepared.charts {
        let folder = match threshold {
            None => PathBuf::new(),
            Some(n) => PathBuf::from(format!("fewer-than-{n}")),
        };
        for chart in charts {
            chart_set.add(
                folder.join(format!("{}.svg", chart.id)),
                chart.svg.clone().into_bytes(),
            );
        }
    }
    // Each edition's folder holds only what may go to its audience; the records, the change
    // lists and every figure unsuppressed stay in `records/`, which is internal.
    let mut out_set = write::OutputSet::default();
    let records = PathBuf::from(RECORDS);
    out_set.add(
        records.join("figures.csv"),
        figures_csv(&prepared.stats, &labels, None),
    );
    let _out_lock = write::lock(&options.out)?;
    write::recover(&options.out)?;
    let mut editions = Vec::new();
    for ((edition, document), done) in prepared.documents.iter().zip(typeset) {
        let folder = PathBuf::from(&edition.id);
        let path = folder.join(format!("{}.pdf", edition.id));
        let record_path = records.join(format!("{}.record.json", edition.id));
        let record = record::Record::new(
            &edition.id,
            prepared.inputs.clone(),
            &prepared.stats,
            &labels,
            document.shown_in.clone(),
        );
        // A missing or unreadable old record just means nothing to compare with.
        let changes = record::Record::read(&options.out.join(&record_path))
            .ok()
            .map(|old| record::changes(&old, &record));
        out_set.add(&path, done.pdf);
        out_set.add(
            folder.join("figures.csv"),
            figures_csv(&prepared.stats, &labels, Some((edition, document))),
        );
        out_set.add(&record_path, record.to_json());
        if let Some(changes) = &changes {
            let mut text = changes.join("\n");
            text.push('\n');
            out_set.add(
                records.join(format!("{}.changes.txt", edition.id)),
                text.into_bytes(),
            );
        }
        editions.push(Written {
            edition: edition.id.clone(),
            path: options.out.join(path),
            folder: options.out.join(&folder),
            audience: edition
                .audience
                .clone()
                .unwrap_or_else(|| prepared.audit.info.audience.clone()),
            marking: edition.marking.clone(),
            suppress_below: edition.suppress_below,
            pages: done.pages,
            text: done.text,
            changes,
        });
    }
    // Charts first: if the build stops between the two, the out folder still holds the last
    // good set whole, and its records say what it was built from.
    let chart_paths: Vec<PathBuf> = chart_set.paths().map(|p| options.charts.join(p)).collect();
    // (A charts folder inside the output folder is covered by its lock.)
    let _chart_lock = match options.charts.starts_with(&options.out) {
        true => None,
        false => Some(write::lock(&options.charts)?),
    };
    write::publish(&options.charts, &chart_set)?;
    write::publish(&options.out, &out_set)?;
    watch.lap("write");

    Ok(BuildSummary {
        editions,
        charts: chart_paths,
        warnings: prepared.warnings,
        stages: watch.stages,
    })
}

/// The personal data guard over one edition's printed text: its prose at the place each piece
/// was written, then every other string it prints (headings, cover, tables, captions, alt
/// text) at the edition. A hit already reported elsewhere is not repeated.
fn scan_printed(
    guard: &guard::Guard,
    audit: &validate::Audit,
    edition: &edition::Edition,
    document: &document::Document,
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
                .unwrap_or_else(|| diag::Location::file(&printed.file))
        };
        problems.extend(guard.scan_printed(&printed.text, &locate, " as printed", seen));
    }
    let at = || diag::Location::file(format!("edition `{}`", edition.id));
    for text in strings {
        problems.extend(guard.scan_printed(text, &at, " in the printed text", seen));
    }
    problems
}

/// Every input file of a checked audit.
fn audit_sources(audit: &validate::Audit) -> Vec<&load::Source> {
    let mut sources: Vec<&load::Source> = audit.sections.iter().map(|s| &s.source).collect();
    sources.extend(audit.neighbours.iter().map(|n| &n.source));
    sources.extend(audit.sources.iter());
    sources
}

/// A readable name for every measure: the checklist item's or the question's chart label.
fn measure_labels(audit: &validate::Audit) -> std::collections::BTreeMap<String, String> {
    let mut labels = std::collections::BTreeMap::new();
    for question in &audit.bank.questions {
        for measure in question.measures() {
            let label = match (&measure.item, &question.chart) {
                (Some(item), _) => item.chart_label().to_string(),
                (None, Some(chart)) => chart.title.clone(),
                (None, None) => question.text.clone(),
            };
            labels.insert(measure.id, label);
        }
    }
    labels
}

/// Writes what Typst needs to compile one edition on its own: `report.typ`, `data.json`, the
/// charts and the fonts (`typst compile --root DIR --font-path DIR/fonts --ignore-system-fonts
/// DIR/report.typ`).
fn emit_typst(dir: &Path, layout: &str, files: Vec<(String, Vec<u8>)>) -> Result<(), Diagnostics> {
    write::write_atomic(&dir.join("report.typ"), layout.as_bytes())?;
    for (path, bytes) in files {
        write::write_atomic(&dir.join(path.trim_start_matches('/')), &bytes)?;
    }
    for (i, font) in fonts::ALL
        .iter()
        .copied()
        .chain(typst_assets::fonts())
        .enumerate()
    {
        write::write_atomic(&dir.join(format!("fonts/font-{i:02}.ttf")), font)?;
    }
    Ok(())
}

/// Figures as CSV: one row per scope, measure and option. Without an edition, every collated
/// figure for all cases, each case and each agency (internal). For an edition, exactly the
/// measures it shows, all cases together, as it shows them (withheld figures read
/// "withheld").
fn figures_csv(
    stats: &collate::Stats,
    labels: &BTreeMap<String, String>,
    edition: Option<(&edition::Edition, &document::Document)>,
) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "scope", "measure", "label", "option", "count", "base", "percent",
    ]);
    let mut scopes: Vec<(String, &collate::Collation)> = vec![("all cases".into(), &stats.all)];
    if edition.is_none() {
        scopes.extend(
            stats
                .by_case
                .iter()
                .map(|(case, c)| (format!("case {case}"), c)),
        );
        scopes.extend(
            stats
                .by_agency
                .iter()
                .map(|(agency, (_, c))| (format!("agency {agency}"), c)),
        );
    }
    let below = edition.and_then(|(e, _)| e.suppress_below);
    let shown = |count: disclose::Shown| match count {
        disclose::Shown::Count(n) => n.to_string(),
        disclose::Shown::Withheld => words::WITHHELD.to_string(),
    };
    for (scope, collation) in scopes {
        for (measure, tally) in &collation.measures {
            if edition.is_some_and(|(_, d)| !d.shown_in.contains_key(measure)) {
                continue;
            }
            let tally = disclose::disclose(tally, below);
            let label = labels.get(measure).map(String::as_str).unwrap_or("");
            for (option, count) in &tally.counts {
                let percent = tally
                    .percent(option)
                    .map_or_else(|| words::WITHHELD.to_string(), |p| format!("{p:.1}"));
                let row = [
                    scope.as_str(),
                    measure,
                    label,
                    option,
                    &shown(*count),
                    &shown(tally.base),
                    &percent,
                ];
                let _ = out.write_record(row);
            }
        }
    }
    out.into_inner().unwrap_or_default()
}
