//! Writing a build: the charts, and for each edition its folder (PDF and the figures it
//! shows) and its record and change list in the internal `records/` folder, each folder set
//! replaced all or nothing (see the module above).

use crate::diag::Diagnostics;
use crate::{BuildOptions, Prepared, Written};
use std::path::PathBuf;

/// Writes the typeset editions of `prepared` (in order) and the charts; returns what was
/// written.
pub fn write(
    options: &BuildOptions,
    prepared: &Prepared,
    rendered: Vec<Vec<crate::render::Rendered>>,
) -> Result<(Vec<Written>, Vec<PathBuf>), Diagnostics> {
    let labels = super::figures::measure_labels(&prepared.audit);
    // Charts: one folder per threshold and interval choice in use.
    let mut chart_set = super::OutputSet::default();
    for (set, charts) in &prepared.charts {
        let folder = PathBuf::from(set.folder());
        for chart in charts {
            chart_set.add(
                folder.join(format!("{}.svg", chart.id)),
                chart.svg.clone().into_bytes(),
            );
        }
    }
    // Each edition's folder holds only what may go to its audience; the records, the change
    // lists and every figure unsuppressed stay in `records/`, which is internal.
    let mut out_set = super::OutputSet::default();
    let records = PathBuf::from(crate::RECORDS);
    out_set.add(
        records.join("figures.csv"),
        super::figures::figures_csv(&prepared.stats, &labels, None),
    );
    let _out_lock = super::lock(&options.out)?;
    super::recover(&options.out)?;
    let mut editions = Vec::new();
    for ((edition, document), done) in prepared.documents.iter().zip(rendered) {
        let folder = PathBuf::from(&edition.id);
        let record_path = records.join(format!("{}.record.json", edition.id));
        let record = super::record::Record::new(
            &edition.id,
            prepared.inputs.clone(),
            &prepared.stats,
            &labels,
            document.shown_in.clone(),
        );
        // A missing or unreadable old record just means nothing to compare with.
        let changes = super::record::Record::read(&options.out.join(&record_path))
            .ok()
            .map(|old| super::record::changes(&old, &record));
        let mut files = Vec::new();
        for file in done {
            let path = folder.join(format!("{}.{}", edition.id, file.format.extension()));
            files.push(crate::WrittenFile {
                format: file.format,
                path: options.out.join(&path),
                pages: file.pages,
                text: file.text,
            });
            out_set.add(path, file.bytes);
        }
        out_set.add(
            folder.join("figures.csv"),
            super::figures::figures_csv(&prepared.stats, &labels, Some((edition, document))),
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
            files,
            folder: options.out.join(&folder),
            audience: edition
                .audience
                .clone()
                .unwrap_or_else(|| prepared.audit.info.audience.clone()),
            marking: edition.marking.clone(),
            suppress_below: edition.suppress_below,
            changes,
        });
    }
    // Charts first: if the build stops between the two, the out folder still holds the last
    // good set whole, and its records say what it was built from.
    let chart_paths: Vec<PathBuf> = chart_set.paths().map(|p| options.charts.join(p)).collect();
    // (A charts folder inside the output folder is covered by its lock.)
    let _chart_lock = match options.charts.starts_with(&options.out) {
        true => None,
        false => Some(super::lock(&options.charts)?),
    };
    super::publish(&options.charts, &chart_set)?;
    super::publish(&options.out, &out_set)?;
    Ok((editions, chart_paths))
}
