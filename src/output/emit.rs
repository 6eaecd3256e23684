//! The Typst sources of each edition (`build --emit-typst`): the layout, the document as
//! `data.json`, the charts and the fonts, so the same document can be compiled by the Typst
//! CLI for comparison. Written only once the checks have passed.

use super::write_atomic;
use crate::chart::ChartSet;
use crate::diag::{Diagnostic, Diagnostics};
use crate::fonts;
use crate::proof::Prepared;
use crate::render::pdf;

/// Writes what Typst needs for each edition of `prepared` into `folder/<edition>/`, so the
/// same document can be compiled by the Typst CLI for comparison: the report's `layout`, or
/// a cover paper's, slides' or briefing's own (as `report.typ`, the file compiled).
pub fn emit(
    folder: &std::path::Path,
    prepared: &Prepared,
    layout: &str,
    layouts: &crate::document::templates::Layouts,
) -> Result<(), Diagnostics> {
    for (edition, document) in &prepared.documents {
        emit_typst(
            &folder.join(&edition.id),
            layouts.of(document.kind).map_or(layout, |(_, own)| own),
            pdf::files_of(document, &prepared.charts[&ChartSet::of(edition)])?,
        )?;
    }
    Ok(())
}

/// Writes what Typst needs to compile one edition on its own: `report.typ`, `data.json`, the
/// charts and the fonts (`typst compile --root DIR --font-path DIR/fonts --ignore-system-fonts
/// DIR/report.typ`).
fn emit_typst(
    dir: &std::path::Path,
    layout: &str,
    files: Vec<(String, Vec<u8>)>,
) -> Result<(), Diagnostics> {
    // Only into folders of their own: an edition's folder (or its `charts/`, `fonts/`) put
    // there as a link would take the sources wherever it points, the audit folder included.
    for folder in [dir.to_path_buf(), dir.join("charts"), dir.join("fonts")] {
        std::fs::create_dir_all(&folder)
            .map_err(|e| Diagnostic::io("create folder", &folder, &e))?;
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::general(format!(
                "`{}` is a symbolic link; the Typst sources are written only into folders of their own",
                folder.display()
            ))
            .into());
        }
    }
    write_atomic(&dir.join("report.typ"), layout.as_bytes())?;
    for (path, bytes) in files {
        write_atomic(&dir.join(path.trim_start_matches('/')), &bytes)?;
    }
    for (i, font) in fonts::ALL
        .iter()
        .copied()
        .chain(typst_assets::fonts())
        .enumerate()
    {
        write_atomic(&dir.join(format!("fonts/font-{i:02}.ttf")), font)?;
    }
    Ok(())
}
