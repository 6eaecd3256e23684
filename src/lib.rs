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
//! [`prepare`] and [`build`] below are the pipeline, stage by stage; [`drive`] runs the
//! stages that share threads (the guard's scan of the inputs beside drafting; the proof and
//! the staging of the output set beside typesetting). `ARCHITECTURE.md` says more about each
//! stage and where to change what.

pub mod chart;
pub mod check;
pub mod collate;
pub mod diag;
pub mod digest;
pub mod document;
pub mod drive;
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

use diag::Diagnostics;
pub use document::templates::{self, Templates};
pub use drive::has_prose;
use drive::{Stopwatch, draft::draft, typeset::typeset};
pub use edition::RECORDS;
pub use input::places::output_folders;
pub use output::options::BuildOptions;
pub use output::report::{Written, WrittenFile};
pub use proof::Prepared;
use std::path::PathBuf;
use std::time::Duration;

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
    // stages 1–5, the guard reading the inputs beside them
    let (mut prepared, checks) = draft(options, templates, progress)?;
    // stage 6
    let (warnings, guard) = checks.run(&prepared)?;
    prepared.warnings.extend(warnings);
    Ok((prepared, guard))
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
    // stages 1–5, the guard reading the inputs beside them
    let (mut prepared, checks) = draft(options, &templates, progress)?;
    let mut watch = Stopwatch::start(prepared.stages.clone());
    progress("typesetting");
    let prose = has_prose(&prepared.audit);
    // stages 6 and 7 side by side, and 8 staged beside them
    let typeset = match typeset(options, &templates, &mut prepared, checks, editions_done) {
        Ok(typeset) => typeset,
        Err(mut problems) => {
            // A layout that did not settle is reported with its sources, as its message
            // asks: written where nothing else failed (a failed check of the printed text
            // keeps them unwritten); a failure to write them is told beside it.
            let unsettled = |d: &diag::Diagnostic| d.message.contains(render::pdf::UNSETTLED);
            let errors = || problems.0.iter().filter(|d| d.is_error());
            if let Some(folder) = &options.emit_typst
                && errors().all(unsettled)
                && let Err(more) =
                    output::emit::emit(folder, &prepared, &templates.layout, &templates.layouts)
            {
                problems.0.extend(more.0);
            }
            return Err(problems);
        }
    };
    prepared.warnings.extend(typeset.warnings);
    // (only once the checks passed: these are the document's data as it would print)
    if let Some(folder) = &options.emit_typst {
        output::emit::emit(folder, &prepared, &templates.layout, &templates.layouts)?;
    }
    watch.lap("typeset and render");
    progress("writing");
    // stage 8
    let (editions, charts) =
        output::report::write(options, &prepared, typeset.staged, typeset.rendered)?;
    watch.lap("write");
    Ok(BuildSummary {
        editions,
        charts,
        warnings: drive::free_beside(prepared),
        stages: watch.stages,
        prose,
    })
}
