//! audit-report: the returns of a multi-agency case audit → the finished, board-ready report.
//!
//! The pipeline, one folder or module per stage, each taking plain values and giving plain
//! values; a stage names only the stages before it and the shared leaves ([`diag`],
//! [`digest`], [`parallel`], [`edition`], [`fonts`]), which `tests/layers.rs` enforces:
//!
//! 1. [`input`]: the audit folder → parsed files ([`input::AuditFolder`]);
//! 2. [`check`]: parsed files → a checked [`check::Audit`], every problem at once, and the
//!    personal data guard;
//! 3. [`collate`]: the audit → [`collate::Stats`], all cases together and each case
//!    separately, what each edition may show of them ([`collate::disclose`]) and how a
//!    figure prints ([`collate::numbers`]);
//! 4. [`chart`]: the stats → one SVG bar chart per charted question;
//! 5. [`document`]: audit, stats, charts and wording → the report as data, prose filled in;
//! 6. [`proof`]: each document's printed text checked → a [`Prepared`] audit;
//! 7. [`render`]: each document → its files (PDF through Typst, Word, web page);
//! 8. [`output`]: files → the output set, all or nothing.
//!
//! `ARCHITECTURE.md` says more about each stage and where to change what.

pub mod chart;
pub mod check;
pub mod collate;
pub mod diag;
pub mod digest;
pub mod document;
pub mod edition;
pub mod fonts;
pub mod init;
pub mod input;
pub mod output;
pub mod parallel;
pub mod preview;
pub mod proof;
pub mod render;
pub mod schema;
pub mod show;
pub mod style;
pub mod watch;

use diag::{Diagnostic, Diagnostics};
pub use document::templates::{self, Templates};
pub use edition::RECORDS;
pub use input::places::output_folders;
pub use output::options::BuildOptions;
pub use output::report::{Written, WrittenFile};
pub use proof::Prepared;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What a build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// Each edition written, with its files (PDF, Word, web page).
    pub editions: Vec<Written>,
    /// The chart files written.
    pub charts: Vec<PathBuf>,
    /// Problems that did not stop the build.
    pub warnings: Diagnostics,
    /// Time taken by each stage, in order.
    pub stages: Vec<(&'static str, Duration)>,
    /// Whether the audit holds prose a person wrote ([`has_prose`]).
    pub prose: bool,
}

/// Whether the audit holds text a person wrote, where a name could have been typed and the
/// guard's private names list is wanted: the narrative's prose (paragraphs, lists, quotes,
/// findings, footnotes) or a comment in a return. An audit whose narrative is not written
/// yet has none.
pub fn has_prose(audit: &check::Audit) -> bool {
    use input::model::BlockKind;
    let written = |blocks: &[input::model::Block]| {
        blocks.iter().any(|b| {
            matches!(
                b.kind,
                BlockKind::P(_) | BlockKind::Text(_) | BlockKind::List(_) | BlockKind::Quote(_)
            )
        })
    };
    let narrative = audit.sections.iter().any(|section| {
        let file = &section.value;
        !file.findings.is_empty()
            || !file.footnotes.is_empty()
            || file.subsections.iter().any(|s| written(&s.blocks))
            || file.appendices.iter().any(|a| written(&a.blocks))
    });
    narrative || audit.returns.iter().any(|r| !r.comments.is_empty())
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

/// Loads, checks and collates the audit folder, draws its charts and fills in its prose for
/// each edition (or only `options.edition`): everything `build` does before typesetting, so
/// `check` finds every problem `build` would (short of a broken layout template).
pub fn prepare(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<Prepared, Diagnostics> {
    prepare_guarded(options, templates, progress).map(|(prepared, _)| prepared)
}

/// [`prepare`], with the personal data guard it set up, for a command that writes files of
/// its own from the audit (the collection and tracking workbooks) to read them back with
/// before they are written ([`render::printed`]).
pub fn prepare_guarded(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<(Prepared, check::guard::Guard), Diagnostics> {
    let (mut prepared, checks) = draft(options, templates, progress)?;
    let (warnings, guard) = checks.run(&prepared)?;
    prepared.warnings.extend(warnings);
    Ok((prepared, guard))
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
    /// The layouts given with `--templates`: their own text prints too (the built-in ones
    /// are reviewed with the code).
    layouts: Vec<input::Source>,
}

impl Checks {
    /// Runs the checks: the warnings and the guard (for the files once rendered), or every
    /// problem found.
    fn run(self, prepared: &Prepared) -> Result<(Diagnostics, check::guard::Guard), Diagnostics> {
        let (guard, mut personal, mut seen) = self.scan.finish()?;
        personal.extend(guard.scan_sources(self.layouts.iter()).0);
        if !personal.0.is_empty() {
            return Err(as_found(self.loaded, personal, self.validated));
        }
        let mut problems = Diagnostics::default();
        let mut reported = BTreeSet::new();
        for (edition, document) in &prepared.documents {
            problems.extend(proof::check(
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
        let warnings = document::literals::warnings(
            &prepared.audit,
            &prepared.stats,
            &editions,
            &self.reviewed_numbers,
        );
        Ok((warnings, guard))
    }
}

/// Every edition's rendered files read back by the personal data guard, on parallel
/// threads (the text of a long report takes it a while): each problem at the file it is in.
fn guard_rendered(
    guard: &check::guard::Guard,
    out: &std::path::Path,
    prepared: &Prepared,
    rendered: &[Vec<render::Rendered>],
) -> Result<(), Diagnostics> {
    let files: Vec<(std::path::PathBuf, &render::Rendered)> = prepared
        .documents
        .iter()
        .zip(rendered)
        .flat_map(|((edition, _), files)| {
            files.iter().map(|file| {
                let name = format!("{}.{}", edition.id, file.format.extension());
                (out.join(&edition.id).join(name), file)
            })
        })
        .collect();
    let found: Vec<Diagnostics> = std::thread::scope(|scope| {
        let threads: Vec<_> = files
            .iter()
            .map(|(path, file)| scope.spawn(move || render::printed::guard_file(guard, path, file)))
            .collect();
        threads
            .into_iter()
            .map(|t| {
                t.join().unwrap_or_else(|_| {
                    Diagnostic::general("the guard stopped reading a file unexpectedly").into()
                })
            })
            .collect()
    });
    let mut problems = Diagnostics::default();
    found.into_iter().for_each(|f| problems.extend(f));
    problems.into_result(()).map(|_| ())
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
        layouts: match options.templates {
            Some(_) => {
                std::iter::once((templates.layout_path.as_path(), templates.layout.as_str()))
                    .chain(templates.layouts.own())
                    .map(|(path, text)| input::Source {
                        path: path.to_path_buf(),
                        text: text.to_string(),
                        cells: None,
                    })
                    .collect()
            }
            None => Vec::new(),
        },
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
            chart::Rounds {
                earlier: words.earlier.replace("{{period}}", &earlier.period),
                this: words.this.replace("{{period}}", &audit.info.period),
                new: words.new.clone(),
            }
        });
        let charts = chart::render_editions(&audit, &stats, &editions, rounds.as_ref())?;
        watch.lap("charts");
        progress("filling templates");
        let documents = document::build_editions(
            &audit,
            &stats,
            &charts,
            &templates.wording,
            &templates.pack,
            editions,
        )?;
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
    build_telling(options, progress, &|_, _| {})
}

/// [`build`], with `editions_done` hearing how many editions of all are typeset as each is
/// (from the thread that typeset it), for a progress display.
pub fn build_telling(
    options: &BuildOptions,
    progress: &mut dyn FnMut(&str),
    editions_done: &(dyn Fn(usize, usize) + Sync),
) -> Result<BuildSummary, Diagnostics> {
    output::report::check_folders(options)?;
    let templates = Templates::load(options.templates.as_deref())?;
    let (mut prepared, checks) = draft(options, &templates, progress)?;
    let mut watch = Stopwatch::start(prepared.stages.clone());
    progress("typesetting");
    let pdf = render::pdf::Pdf {
        layout: &templates.layout,
        layout_path: &templates.layout_path,
        layouts: &templates.layouts,
    };
    let renderers: [&dyn render::Renderer; 3] = [&pdf, &render::docx::Docx, &render::html::Html];
    // Every figure is collated and every document drafted: nothing reads the returns again.
    // Freed as typesetting starts, their memory is there for Typst to reuse (a tenth of the
    // peak at 2,000 cases); freed on the side thread, Typst does not wait for it (13 ms at
    // 2,000 cases, 70 ms at 10,000).
    let prose = has_prose(&prepared.audit);
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
                .as_ref()
                .ok()
                .map(|(_, guard)| output::report::stage(options, prepared, guard));
            (checked, staged)
        });
        let rendered = render::render_editions(&renderers, prepared, options.format, editions_done);
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
    let (checked, guard) = checked?;
    let rendered = rendered?;
    // The guard's last look, at the files as they will be written (what a layout of the
    // lead's own assembled or set as metadata included): nothing is written if it finds any.
    guard_rendered(&guard, &options.out, &prepared, &rendered)?;
    // (staged whenever the checks passed)
    let staged = staged.unwrap_or_else(|| Err(Diagnostic::general("nothing was staged").into()))?;
    prepared.warnings.extend(checked);
    // (only once the checks passed: these are the document's data as it would print)
    if let Some(folder) = &options.emit_typst {
        output::emit::emit(folder, &prepared, &templates.layout, &templates.layouts)?;
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
        prose,
    })
}
