//! Typesetting with the proof beside it: every edition rendered while, on a second thread,
//! the checks of what prints run and the output set short of the typeset files is staged;
//! then the guard reads the rendered files back. Nothing is written here.

use crate::diag::{Diagnostic, Diagnostics};
use crate::document::templates::Templates;
use crate::output::options::BuildOptions;
use crate::output::report::{Staging, stage};
use crate::proof::{Checks, Prepared};
use crate::render::{self, Rendered, Renderer};

/// Every edition typeset and checked, ready to write.
pub struct Typeset {
    /// Each edition's files, in the order of its documents.
    pub rendered: Vec<Vec<Rendered>>,
    /// What the checks warned of.
    pub warnings: Diagnostics,
    /// The output set short of the typeset files, staged.
    pub staged: Staging,
}

/// Typesets every edition of `prepared` with `checks` run and the output set staged beside
/// it, then lets the guard read the files back: the files, or every problem, the checks'
/// first (as `check` says them: a typesetter's complaint about the same text, a character
/// no font has, would only repeat it).
pub fn typeset(
    options: &BuildOptions,
    templates: &Templates,
    prepared: &mut Prepared,
    checks: Checks,
    editions_done: &(dyn Fn(usize, usize) + Sync),
) -> Result<Typeset, Diagnostics> {
    let pdf = render::pdf::Pdf {
        layout: &templates.layout,
        layout_path: &templates.layout_path,
        layouts: &templates.layouts,
    };
    let renderers: [&dyn Renderer; 3] = [&pdf, &render::docx::Docx, &render::html::Html];
    // Every figure is collated and every document drafted: nothing reads the returns again.
    // Freed as typesetting starts, their memory is there for Typst to reuse (a tenth of the
    // peak at 2,000 cases); freed on the side thread, Typst does not wait for it (13 ms at
    // 2,000 cases, 70 ms at 10,000).
    let returns = std::mem::take(&mut prepared.audit.returns);
    let prepared = &*prepared;
    let (rendered, checked, staged) = std::thread::scope(|scope| {
        let side = scope.spawn(move || {
            drop(returns);
            check_and_stage(options, prepared, checks)
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
    let (warnings, guard) = checked?;
    let rendered = rendered?;
    // The guard's last look, at the files as they will be written (what a layout of the
    // lead's own assembled or set as metadata included): nothing is written if it finds any.
    render::guard_rendered(&guard, &options.out, prepared, &rendered)?;
    // (staged whenever the checks passed)
    let staged = staged.unwrap_or_else(|| Err(Diagnostic::general("nothing was staged").into()))?;
    Ok(Typeset {
        rendered,
        warnings,
        staged,
    })
}

/// What the checks found (their warnings and the guard, or every problem), and the output
/// set staged if they passed.
type CheckedAndStaged = (
    Result<(Diagnostics, crate::check::guard::Guard), Diagnostics>,
    Option<Result<Staging, Diagnostics>>,
);

/// The side thread's work. Typesetting keeps one core busy for most of its time: the
/// checks of what will be printed, then the output set short of the typeset files (charts,
/// records, figures, change lists) are worked out and staged beside it. Only what passed
/// the checks is staged, and nothing replaces the last set unless every edition typeset.
fn check_and_stage(
    options: &BuildOptions,
    prepared: &Prepared,
    checks: Checks,
) -> CheckedAndStaged {
    let checked = checks.run(prepared);
    let staged = (checked.as_ref().ok()).map(|(_, guard)| stage(options, prepared, guard));
    (checked, staged)
}
