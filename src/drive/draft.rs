//! Drafting: the audit folder read and checked, collated, charted and written as a document
//! per edition (stages 1–5), while the personal data guard reads every input on a thread of
//! its own; what is left to check of it is handed back as [`Checks`] (stage 6).

use super::Stopwatch;
use crate::check::{self, Audit, guard};
use crate::diag::Diagnostics;
use crate::document::templates::Templates;
use crate::input::{self, Source};
use crate::output::options::BuildOptions;
use crate::proof::{Checks, Prepared, as_found};
use crate::{chart, collate, document, edition, render};
use std::collections::BTreeMap;

/// Every stage before the proof: a [`Prepared`] audit short of [`Checks`], which it hands
/// back to be run (`prepare` runs them at once, `build` beside typesetting).
pub fn draft(
    options: &BuildOptions,
    templates: &Templates,
    progress: &mut dyn FnMut(&str),
) -> Result<(Prepared, Checks), Diagnostics> {
    let watch = Stopwatch::start(Vec::new());
    warm_up_beside();
    progress("loading and checking the audit folder");
    let checked = load_and_check(options, templates)?;
    match draft_documents(checked.audit, options, templates, watch, progress) {
        Ok(mut prepared) => {
            prepared.warnings = checked.warnings.with(prepared.warnings);
            prepared.inputs = checked.inputs;
            Ok((prepared, checked.checks))
        }
        Err(problems) => Err(checked.checks.personal_data_first(problems)),
    }
}

/// What every build sets up the same way (the guard's patterns, the fonts' tables, Typst's
/// library), set up beside reading the folder; first use waits for it if need be.
fn warm_up_beside() {
    std::thread::spawn(|| {
        guard::warm_up();
        render::pdf::warm_up();
    });
}

/// The audit read and checked (stages 1 and 2), the guard's scan of the inputs under way.
struct Checked {
    audit: Audit,
    /// What loading and checking found that does not stop a build.
    warnings: Diagnostics,
    /// SHA-256 of every input file.
    inputs: BTreeMap<String, String>,
    checks: Checks,
}

/// Reads and checks the audit folder. The guard reads every input while the audit is
/// checked, collated and drafted; what it finds stops the build, reported as if it had
/// been found first: an audit that holds personal data gets only the problems of its inputs
/// (here, and in [`Checks::run`]).
fn load_and_check(options: &BuildOptions, templates: &Templates) -> Result<Checked, Diagnostics> {
    let names = match &options.private_names {
        Some(path) => guard::read_names(path)?,
        None => Vec::new(),
    };
    let (folder, loaded) = input::load(&options.audit)
        .map_err(|problems| guard::scan_unloadable(&options.audit, &names, problems))?;
    let inputs = folder.inputs();
    let reviewed_numbers = folder.reviewed_numbers();
    let scan = guard::Guard::new(&names, &folder.allowed_texts()).scan_inputs_beside(&folder);
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
        layouts: own_layouts(options, templates),
    };
    Ok(Checked {
        audit,
        warnings,
        inputs,
        checks,
    })
}

/// The layouts given with `--templates`, whose own text prints too; none for the built-in
/// ones, which are reviewed with the code.
fn own_layouts(options: &BuildOptions, templates: &Templates) -> Vec<Source> {
    if options.templates.is_none() {
        return Vec::new();
    }
    std::iter::once((templates.layout_path.as_path(), templates.layout.as_str()))
        .chain(templates.layouts.own())
        .map(|(path, text)| Source {
            path: path.to_path_buf(),
            text: text.to_string(),
            cells: None,
        })
        .collect()
}

/// Stages 2 (the earlier round and the editions) to 5: the checked audit collated, charted
/// and written as a document per edition, each stage timed on `watch`. Its warnings are the
/// drafting's own (an empty round); its inputs are left for the caller.
fn draft_documents(
    audit: Audit,
    options: &BuildOptions,
    templates: &Templates,
    mut watch: Stopwatch,
    progress: &mut dyn FnMut(&str),
) -> Result<Prepared, Diagnostics> {
    let audit = check::previous::attach(audit, &options.audit)?;
    let editions = edition::select(&audit.editions, options.edition.as_deref())?;
    let empty_round = check::empty_round(&audit, &editions)?;
    watch.lap("load and validate");
    let stats = collate::collate(&audit);
    watch.lap("collate");
    progress("drawing charts");
    let rounds = chart_rounds(&audit, &stats, templates);
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
    Ok(Prepared {
        audit,
        stats,
        charts,
        documents,
        warnings: Diagnostics(empty_round.into_iter().collect()),
        inputs: BTreeMap::new(),
        stages: watch.stages,
    })
}

/// The names of the rounds a re-audit's charts set side by side, in the wording's words.
fn chart_rounds(
    audit: &Audit,
    stats: &collate::Stats,
    templates: &Templates,
) -> Option<chart::Rounds> {
    stats.previous.as_ref().map(|earlier| {
        let words = &templates.wording.rounds;
        chart::Rounds {
            earlier: words.earlier.replace("{{period}}", &earlier.period),
            this: words.this.replace("{{period}}", &audit.info.period),
            new: words.new.clone(),
        }
    })
}
