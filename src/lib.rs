//! audit-report: the returns of a multi-agency case audit → the finished, board-ready report.
//!
//! The pipeline, one folder or module per stage, each taking plain values and giving plain
//! values (no stage reaches back into an earlier one):
//!
//! 1. [`input`]: the audit folder → parsed files ([`input::AuditFolder`]);
//! 2. [`check`]: parsed files → a checked [`check::Audit`], every problem at once, and the
//!    personal data guard;
//! 3. [`collate`]: the audit → [`collate::Stats`], all cases together and each case
//!    separately, and what each edition may show of them ([`collate::disclose`]);
//! 4. [`render::chart`]: the stats → one SVG bar chart per charted question;
//! 5. [`document`]: audit, stats, charts and wording → the report as data, prose filled in;
//! 6. [`render::pdf`]: the document and the static Typst layout → PDF bytes;
//! 7. [`output`]: bytes → the output set, all or nothing.
//!
//! `ARCHITECTURE.md` says more about each stage and where to change what.

pub mod check;
pub mod collate;
pub mod diag;
pub mod digest;
pub mod document;
pub mod edition;
pub mod init;
pub mod input;
pub mod output;
pub mod parallel;
pub mod preview;
pub mod render;
pub mod schema;
pub mod show;
pub mod templates;
pub mod watch;

use diag::{Diagnostic, Diagnostics};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};
pub use templates::Templates;

/// The internal folder of an output set: build records, change lists, every figure.
pub const RECORDS: &str = "records";

/// What to build and where to put it.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The audit folder.
    pub audit: PathBuf,
    /// Where each edition's folder and the internal records go.
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
    /// Build only this format, for every edition; each edition's own `formats` when `None`.
    pub format: Option<render::Format>,
    /// Write into an output folder that holds another audit's build, replacing it whole
    /// (refused otherwise: its change lists would compare two audits).
    pub replace: bool,
}

impl BuildOptions {
    /// Building the audit in `audit`, every edition, into the folders its `audit.yaml` names
    /// under `output:`, else into `out/` and `charts/` in the audit folder: outputs belong to
    /// their audit, wherever the command runs.
    pub fn new(audit: impl Into<PathBuf>) -> Self {
        let audit = audit.into();
        let (out, charts) = output_folders(&audit);
        BuildOptions {
            audit,
            out,
            charts,
            templates: None,
            edition: None,
            private_names: None,
            emit_typst: None,
            format: None,
            replace: false,
        }
    }
}

/// The output and charts folders of the audit in `audit`: those `output:` in its
/// `audit.yaml` names, relative to the audit folder, else `out/` and `charts/` in it. An
/// `audit.yaml` that cannot be read gives the defaults (reading the audit reports why, and
/// the build stops before writing).
pub fn output_folders(audit: &std::path::Path) -> (PathBuf, PathBuf) {
    placed(audit, &input::output_setting(audit).unwrap_or_default())
}

/// The output and charts folders `set` gives the audit in `audit`.
pub(crate) fn placed(
    audit: &std::path::Path,
    set: &input::model::OutputFolders,
) -> (PathBuf, PathBuf) {
    let place = |given: &Option<String>, default: &str| match given {
        // (shown as the system will take it: `data/../out` is `out`)
        Some(given) => output::shown(&audit.join(given)),
        None => audit.join(default),
    };
    (place(&set.out, "out"), place(&set.charts, "charts"))
}

/// One file of an edition written.
#[derive(Debug, Clone)]
pub struct WrittenFile {
    /// Its format.
    pub format: render::Format,
    /// Its path.
    pub path: PathBuf,
    /// Its pages (0 for a format without pages).
    pub pages: usize,
    /// All its text, in reading order.
    pub text: String,
}

/// One edition written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The edition's id.
    pub edition: String,
    /// Its files, one per format, in the order of [`render::Format::ALL`].
    pub files: Vec<WrittenFile>,
    /// Its folder: everything in it may go to the edition's audience.
    pub folder: PathBuf,
    /// Who the edition is for.
    pub audience: String,
    /// Its protective marking.
    pub marking: Option<String>,
    /// Its small-number threshold, if it withholds small numbers.
    pub suppress_below: Option<u32>,
    /// What changed since the last build of this edition, when there was one.
    pub changes: Option<Vec<String>>,
}

impl Written {
    /// Its file in `format`, if built.
    pub fn file(&self, format: render::Format) -> Option<&WrittenFile> {
        self.files.iter().find(|f| f.format == format)
    }

    /// Its first file: the PDF where one was built.
    fn first(&self) -> &WrittenFile {
        // An edition is written with at least one file (`formats` is never empty).
        &self.files[0]
    }

    /// The path of its first file (the PDF where one was built).
    pub fn path(&self) -> &std::path::Path {
        &self.first().path
    }

    /// The pages of its first file.
    pub fn pages(&self) -> usize {
        self.first().pages
    }

    /// The text of its first file.
    pub fn text(&self) -> &str {
        &self.first().text
    }
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

/// Times stages.
struct Stopwatch {
    clock: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start(stages: Vec<(&'static str, Duration)>) -> Stopwatch {
        Stopwatch {
            clock: Instant::now(),
            stages,
        }
    }

    fn lap(&mut self, name: &'static str) {
        self.stages.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

/// An audit taken through every stage before typesetting: what `check` reports on and
/// `build` typesets.
pub struct Prepared {
    /// The checked audit.
    pub audit: check::Audit,
    /// Its collated figures.
    pub stats: collate::Stats,
    /// Its charts, one set per small-number threshold in use.
    pub charts: BTreeMap<render::chart::ChartSet, Vec<render::chart::Chart>>,
    /// Each edition to build and its document, prose filled in.
    pub documents: Vec<(edition::Edition, document::Document)>,
    /// Problems that do not stop a build.
    pub warnings: Diagnostics,
    /// SHA-256 of every input file, by path inside the audit folder.
    pub inputs: BTreeMap<String, String>,
    /// Time taken by each stage so far.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Loads, checks and collates the audit folder, draws its charts and fills in its prose for
/// each edition (or only `options.edition`): everything `build` does before typesetting, so
/// `check` finds every problem `build` would (short of a broken layout template).
pub fn prepare(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<Prepared, Diagnostics> {
    let (mut prepared, checks) = draft(options, templates, progress)?;
    let warnings = checks.run(&prepared)?;
    prepared.warnings.extend(warnings);
    Ok(prepared)
}

/// What is left to check once the documents are drafted: the inputs against the personal
/// data guard (under way on its own thread since the folder was read), the documents'
/// printed text against it, and figures typed into the prose. Nothing it finds changes a
/// document, so `build` runs it beside typesetting and writes nothing if it fails.
struct Checks {
    scan: check::guard::InputScan,
    /// What loading found, and what checking the audit found: with the guard's findings,
    /// the report `check` gives of an audit that holds personal data.
    loaded: Diagnostics,
    validated: Diagnostics,
    reviewed_numbers: Vec<String>,
    /// A layout given with `--templates`: its own text prints too (the built-in one is
    /// reviewed with the code).
    layout: Option<input::Source>,
}

impl Checks {
    /// Runs the checks: the warnings, or every problem found.
    fn run(self, prepared: &Prepared) -> Result<Diagnostics, Diagnostics> {
        let (guard, mut personal, mut seen) = self.scan.finish()?;
        if let Some(layout) = &self.layout {
            personal.extend(guard.scan_sources([layout]).0);
        }
        if !personal.0.is_empty() {
            return Err(as_found(self.loaded, personal, self.validated));
        }
        let mut problems = Diagnostics::default();
        let mut reported = BTreeSet::new();
        for (edition, document) in &prepared.documents {
            problems.extend(check::printed::check(
                &guard,
                &prepared.audit,
                edition,
                document,
                &mut seen,
                &mut reported,
            ));
        }
        let editions: Vec<edition::Edition> =
            prepared.documents.iter().map(|(e, _)| e.clone()).collect();
        problems.extend(document::literals::withheld_percentages(
            &prepared.audit,
            &prepared.stats,
            &editions,
        ));
        problems.into_result(())?;
        Ok(document::literals::warnings(
            &prepared.audit,
            &prepared.stats,
            &editions,
            &self.reviewed_numbers,
        ))
    }
}

/// Problems from loading, the guard and checking the audit, in the order `check` lists them:
/// by place, and at one place in the order they were found.
fn as_found(loaded: Diagnostics, personal: Diagnostics, validated: Diagnostics) -> Diagnostics {
    let mut all = loaded.with(personal).with(validated);
    all.sort();
    all
}

/// [`prepare`] short of [`Checks`], which it hands back to be run.
fn draft(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<(Prepared, Checks), Diagnostics> {
    let mut watch = Stopwatch::start(Vec::new());
    // What every build sets up the same way (the guard's patterns, the fonts' tables, Typst's
    // library) is set up beside reading the folder; first use waits for it if need be.
    std::thread::spawn(|| {
        check::guard::warm_up();
        render::pdf::warm_up();
    });
    progress("loading and checking the audit folder");
    let names = match &options.private_names {
        Some(path) => check::guard::read_names(path)?,
        None => Vec::new(),
    };
    let (folder, loaded) = input::load(&options.audit)
        .map_err(|problems| check::guard::scan_unloadable(&options.audit, &names, problems))?;
    let inputs = folder.inputs();
    let reviewed_numbers = folder.reviewed_numbers();
    // The guard reads every input while the audit is checked, collated and drafted. What it
    // finds stops the build, reported as if it had been found first: an audit that holds
    // personal data gets only the problems of its inputs (below, and in `Checks::run`).
    let scan =
        check::guard::Guard::new(&names, &folder.allowed_texts()).scan_inputs_beside(&folder);
    let (audit, validated) = match check::validate(folder, Diagnostics::default()) {
        Ok((audit, mut validated)) if !loaded.has_errors() => {
            if let Some(note) = check::outstanding_note(&audit) {
                validated.push(note);
                validated.sort();
            }
            (audit, validated)
        }
        Ok((_, validated)) | Err(validated) => {
            let (_, personal, _) = scan.finish()?;
            return Err(as_found(loaded, personal, validated));
        }
    };
    let warnings = as_found(loaded.clone(), Diagnostics::default(), validated.clone());
    let checks = Checks {
        scan,
        loaded,
        validated,
        reviewed_numbers,
        layout: options.templates.as_ref().map(|_| input::Source {
            path: templates.layout_path.clone(),
            text: templates.layout.clone(),
            cells: None,
        }),
    };
    let drafted = || {
        let audit = check::previous::attach(audit, &options.audit)?;
        let editions = edition::select(&audit.editions, options.edition.as_deref())?;
        let empty_round = check::empty_round(&audit, &editions)?;
        watch.lap("load and validate");
        let stats = collate::collate(&audit);
        watch.lap("collate");
        progress("drawing charts");
        let rounds = stats.previous.as_ref().map(|earlier| {
            let words = &templates.wording.rounds;
            render::chart::Rounds {
                earlier: words.earlier.replace("{{period}}", &earlier.period),
                this: words.this.replace("{{period}}", &audit.info.period),
                new: words.new.clone(),
            }
        });
        let charts = render::chart::render_editions(&audit, &stats, &editions, rounds.as_ref())?;
        watch.lap("charts");
        progress("filling templates");
        let documents =
            document::build_editions(&audit, &stats, &charts, &templates.wording, editions)?;
        watch.lap("templates");
        Ok((audit, stats, charts, documents, empty_round))
    };
    match drafted() {
        Ok((audit, stats, charts, documents, empty_round)) => Ok((
            Prepared {
                audit,
                stats,
                charts,
                documents,
                warnings: match empty_round {
                    Some(warning) => warnings.with(warning.into()),
                    None => warnings,
                },
                inputs,
                stages: watch.stages,
            },
            checks,
        )),
        // Personal data in the inputs is said first, and alone, whatever else went wrong.
        Err(problems) => {
            let (_, personal, _) = checks.scan.finish()?;
            if personal.0.is_empty() {
                Err(problems)
            } else {
                Err(as_found(checks.loaded, personal, checks.validated))
            }
        }
    }
}

/// Builds the report: every stage in order, then every edition typeset (in parallel where
/// there are cores) and written; nothing is written unless every edition typeset.
/// `progress` hears the name of each stage as it starts.
pub fn build(
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<BuildSummary, Diagnostics> {
    output::report::check_folders(options)?;
    let templates = Templates::load(options.templates.as_deref())?;
    let (mut prepared, checks) = draft(options, &templates, progress)?;
    let mut watch = Stopwatch::start(prepared.stages.clone());
    progress("typesetting");
    let pdf = render::pdf::Pdf {
        layout: &templates.layout,
        layout_path: &templates.layout_path,
    };
    let renderers: [&dyn render::Renderer; 3] = [&pdf, &render::docx::Docx, &render::html::Html];
    // Every figure is collated and every document drafted: nothing reads the returns again.
    // Freed as typesetting starts, their memory is there for Typst to reuse (a tenth of the
    // peak at 2,000 cases); freed on the side thread, Typst does not wait for it (13 ms at
    // 2,000 cases, 70 ms at 10,000).
    let returns = std::mem::take(&mut prepared.audit.returns);
    // Typesetting keeps one core busy for most of its time: the checks of what will be
    // printed, then the output set short of the typeset files (charts, records, figures,
    // change lists) are worked out and staged beside it. Only what passed the checks is
    // staged, and nothing replaces the last set unless every edition typeset.
    let (rendered, checked, staged) = std::thread::scope(|scope| {
        let prepared = &prepared;
        let side = scope.spawn(move || {
            drop(returns);
            let checked = checks.run(prepared);
            let staged = checked
                .is_ok()
                .then(|| output::report::stage(options, prepared));
            (checked, staged)
        });
        let rendered = render::render_editions(&renderers, prepared, options.format);
        let (checked, staged) = side.join().unwrap_or_else(|_| {
            (
                Err(Diagnostic::general("checking stopped unexpectedly").into()),
                None,
            )
        });
        (rendered, checked, staged)
    });
    // What the checks find comes first, as `check` says it: a typesetter's complaint about
    // the same text (a character no font has) would only repeat it.
    let checked = checked?;
    let rendered = rendered?;
    // (staged whenever the checks passed)
    let staged = staged.unwrap_or_else(|| Err(Diagnostic::general("nothing was staged").into()))?;
    prepared.warnings.extend(checked);
    // (only once the checks passed: these are the document's data as it would print)
    if let Some(folder) = &options.emit_typst {
        render::pdf::emit(folder, &prepared, &templates.layout)?;
    }
    watch.lap("typeset and render");
    progress("writing");
    let (editions, charts) = output::report::write(options, &prepared, staged, rendered)?;
    watch.lap("write");
    let Prepared {
        warnings,
        audit,
        stats,
        charts: chart_files,
        documents,
        ..
    } = prepared;
    // Freeing every return, tally and document takes a noticeable share of a large build;
    // nothing waits for it.
    std::thread::spawn(move || drop((audit, stats, chart_files, documents)));
    Ok(BuildSummary {
        editions,
        charts,
        warnings,
        stages: watch.stages,
    })
}
