//! The folders a build may write into, refused before anything is read: not the audit's
//! own, not one nothing can be written in, not another build's charts or records, and the
//! output and charts folders apart (charts hold every figure unsuppressed).

use super::options::BuildOptions;
use super::resolved;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::RECORDS;
use crate::input::places::{misplaced, placed};
use std::path::{Path, PathBuf};

/// Whether anything is at `path` (a link too, even one pointing nowhere).
pub(super) fn fs_exists(path: &std::path::Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Refuses output folders a build must not write into: those [`misplaced`] refuses, those
/// nothing can be written in ([`super::unwritable`]), an output folder holding a build's
/// charts ([`super::CHARTS_MARKER`]) or a charts folder holding a build's records, and a
/// charts folder that is the output folder, inside it or holds it (a publication folder
/// would get every chart unsuppressed). Checked before anything is read.
pub fn check_folders(options: &BuildOptions) -> Result<(), Diagnostics> {
    let (audit, out, charts) = (
        resolved(&options.audit),
        resolved(&options.out),
        resolved(&options.charts),
    );
    let mut problems = Diagnostics::default();
    check_placed(options, &mut problems);
    for (what, given) in [("output", &options.out), ("charts", &options.charts)] {
        if let Some(why) = super::unwritable(given) {
            problems.push(Diagnostic::general(format!(
                "the {what} folder `{}` cannot be written into: {why}",
                given.display()
            )));
        }
    }
    check_not_another_kind(options, &out, &charts, &mut problems);
    check_apart(options, [&audit, &out, &charts], &mut problems);
    check_earlier_round(options, [&audit, &out, &charts], &mut problems);
    if problems.0.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// Refuses `target` for a workbook `template` or `actions` writes where it would replace
/// what is not such a workbook: a name not ending `.xlsx` (`--out questions.yaml`, a
/// published PDF, the private names list would be overwritten whole), a file already in the
/// audit folder outside its output and charts folders (a return, the tracking workbook the
/// audit reads), or a place in one of the `editions`' folders, where the audit team's
/// workbook would sit beside what is published. Said before anything is written.
pub fn check_workbook_target(
    target: &Path,
    options: &BuildOptions,
    editions: &[String],
) -> Result<(), Diagnostic> {
    let workbook = target
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !workbook {
        return Err(Diagnostic::error(
            crate::diag::Location::file(target),
            "expected a workbook's name ending `.xlsx`: writing here would replace this file with a spreadsheet",
        )
        .with_note("name a new file, like actions.xlsx"));
    }
    let (at, audit) = (resolved(target), resolved(&options.audit));
    let (out, charts) = (resolved(&options.out), resolved(&options.charts));
    let ours = at.starts_with(&out) || at.starts_with(&charts);
    if let Some(edition) = editions.iter().find(|id| at.starts_with(out.join(id))) {
        return Err(Diagnostic::error(
            crate::diag::Location::file(target),
            format!("this is inside edition `{edition}`'s folder, whose files are shared as they are: a workbook for the audit team never goes there"),
        )
        .with_note("write it in the output folder itself (the default) or anywhere outside the audit"));
    }
    if fs_exists(target) && at.starts_with(&audit) && !ours {
        return Err(Diagnostic::error(
            crate::diag::Location::file(target),
            "this file is one of the audit's own (a return, or the tracking workbook the build reads): a new workbook never replaces it",
        )
        .with_note("write it elsewhere (the default is the output folder), compare, and replace the audit's copy yourself"));
    }
    Ok(())
}

/// Refuses an output or charts folder that is the earlier round's audit folder a re-audit
/// names (`previous:`), holds it, or is inside it but not inside this audit's own folder:
/// the build would put its records and unsuppressed charts among the earlier round's
/// returns, which both rounds then read as returns. (`audit`, `out`, `charts`: as the
/// system takes them.)
fn check_earlier_round(
    options: &BuildOptions,
    [audit, out, charts]: [&Path; 3],
    problems: &mut Diagnostics,
) {
    let Some(previous) = crate::input::audit_settings(&options.audit)
        .ok()
        .and_then(|info| info.previous)
    else {
        return;
    };
    let earlier = resolved(&options.audit.join(&previous));
    for (what, folder, given) in [
        ("output", out, &options.out),
        ("charts", charts, &options.charts),
    ] {
        let inside = folder.starts_with(&earlier) && !folder.starts_with(audit);
        if inside || earlier.starts_with(folder) {
            problems.push(
                Diagnostic::general(format!(
                    "the {what} folder `{}` is, holds or is inside the earlier round's audit folder `{}` (`previous: {previous}` in audit.yaml)",
                    given.display(),
                    options.audit.join(&previous).display(),
                ))
                .with_note("give this round folders of its own (without --out and --charts, `out/` and `charts/` in its audit folder)"),
            );
        }
    }
}

/// Tells the lead to give the output folder and the charts folder a folder each.
const SEPARATE_FOLDERS: &str = "give the output folder and the charts folder a folder each, the same each time (without --out and --charts, `out/` and `charts/` in the audit folder)";

/// Refuses the output and charts folders [`misplaced`] refuses, saying where audit.yaml
/// sets one that it set.
fn check_placed(options: &BuildOptions, problems: &mut Diagnostics) {
    // (a folder `output:` in audit.yaml set is said to be, so the lead knows where to mend it)
    let setting = crate::input::output_setting(&options.audit).unwrap_or_default();
    let (placed_out, placed_charts) = placed(&options.audit, &setting);
    for (what, given, placed, set) in [
        ("output", &options.out, placed_out, setting.out.is_some()),
        (
            "charts",
            &options.charts,
            placed_charts,
            setting.charts.is_some(),
        ),
    ] {
        if let Some(problem) = misplaced(what, given, &options.audit) {
            let key = if what == "output" { "out" } else { "charts" };
            problems.push(match set && *given == placed {
                true => Diagnostic::general(problem).with_note(format!(
                    "the folder is `output: {key}:` in `{}`",
                    options.audit.join("audit.yaml").display()
                )),
                false => Diagnostic::general(problem),
            });
        }
    }
}

/// Refuses an output folder holding a build's charts, a charts folder holding a build's
/// records, and either inside another build's output set or charts folder (`out`, `charts`:
/// the folders as the system takes them).
fn check_not_another_kind(
    options: &BuildOptions,
    out: &Path,
    charts: &Path,
    problems: &mut Diagnostics,
) {
    // One build's charts folder given as another's output folder (or the other way round)
    // puts every chart unsuppressed beside the editions' folders, which may be published.
    let marker = options.out.join(super::CHARTS_MARKER);
    if fs_exists(&marker) {
        problems.push(
            Diagnostic::general(format!(
                "the output folder `{}` holds the charts of a build (`{}`), every figure in them unsuppressed; editions built into it would sit beside them",
                options.out.display(),
                marker.display()
            ))
            .with_note(SEPARATE_FOLDERS),
        );
    }
    let records = options.charts.join(RECORDS);
    if fs_exists(&records) {
        problems.push(
            Diagnostic::general(format!(
                "the charts folder `{}` holds `{}`, the internal records of a build's editions: it is an output folder, and charts with every figure unsuppressed would sit beside its editions",
                options.charts.display(),
                records.display()
            ))
            .with_note(SEPARATE_FOLDERS),
        );
    }
    // An output set or charts folder inside another build's: inside an edition's folder
    // it would be published with it, records and charts unsuppressed; inside a charts
    // folder it is beside every chart.
    for (what, given, folder) in [
        ("output", &options.out, out),
        ("charts", &options.charts, charts),
    ] {
        if let Some((holder, kind)) = inside_a_build(folder) {
            problems.push(
                Diagnostic::general(format!(
                    "the {what} folder `{}` is inside `{}`, {kind}; what a build writes there would travel with it",
                    given.display(),
                    holder.display()
                ))
                .with_note("give this round folders of its own (without --out and --charts, `out/` and `charts/` in its audit folder)"),
            );
        }
    }
}

/// Refuses output, charts, audit and Typst-source folders that are, hold or are inside each
/// other (`[audit, out, charts]`: as the system takes them).
fn check_apart(
    options: &BuildOptions,
    [audit, out, charts]: [&PathBuf; 3],
    problems: &mut Diagnostics,
) {
    let overlap = |a: &PathBuf, b: &PathBuf| a.starts_with(b) || b.starts_with(a);
    if overlap(out, charts) {
        problems.push(Diagnostic::general(format!(
            "the charts folder `{}` and the output folder `{}` are, hold or are inside each other; give each a folder of its own (charts hold every figure unsuppressed and must not be published with an edition)",
            options.charts.display(),
            options.out.display()
        )));
    }
    // The Typst sources are written before the set is swapped in: inside the output or
    // charts folder they would land in the last good set (or be swept away with it), inside
    // the audit folder they would be read as inputs next time.
    if let Some(given) = &options.emit_typst {
        let emitted = resolved(given);
        for (what, folder) in [("output", out), ("charts", charts), ("audit", audit)] {
            if overlap(&emitted, folder) {
                problems.push(Diagnostic::general(format!(
                    "the folder for the Typst sources `{}` and the {what} folder are, hold or are inside each other; give the sources a folder of their own",
                    given.display()
                )));
            }
        }
    }
}

/// The nearest folder holding `folder` (not itself) that a build wrote as its output set (it
/// holds `records/` with a build record) or as its charts folder, and which it is.
fn inside_a_build(folder: &std::path::Path) -> Option<(PathBuf, &'static str)> {
    folder.ancestors().skip(1).find_map(|holder| {
        if fs_exists(&holder.join(super::CHARTS_MARKER)) {
            return Some((holder.to_path_buf(), "the charts folder of a build"));
        }
        let records = std::fs::read_dir(holder.join(RECORDS)).ok()?;
        records
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".record.json"))
            .then(|| (holder.to_path_buf(), "the output set of a build"))
    })
}
