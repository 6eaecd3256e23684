//! Writing a build: the charts, and for each edition its folder (PDF and the figures it
//! shows) and its record and change list in the internal `records/` folder, each folder set
//! replaced all or nothing (see the module above).

use super::folders::fs_exists;
use super::options::BuildOptions;
use super::record::AuditIdentity;
use super::resolved;
use crate::check::guard::Guard;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::{Format, RECORDS};
use crate::proof::Prepared;
use crate::render::Rendered;
use std::path::{Path, PathBuf};

pub use super::folders::check_folders;

/// An output set staged short of its rendered files: the charts in full, and the records,
/// figures and change lists of the editions, each synced in its staging folder, with both
/// folders locked. Made while the editions typeset; [`write`] adds what they render and
/// swaps both sets in.
pub struct Staging {
    charts: super::Staged,
    out: super::Staged,
    chart_paths: Vec<PathBuf>,
    /// What changed in each edition (in the order of `prepared.documents`) since the last
    /// build's record, when there was one.
    changes: Vec<Option<Vec<String>>>,
    /// The editions of another audit's build that this one replaces: removed once the set
    /// is in.
    replaced: Vec<String>,
    // (dropped last: the staging folders go before the locks, and with them any folder
    // the locks created)
    chart_lock: Option<super::Lock>,
    out_lock: super::Lock,
}

/// The charts: one folder per threshold and interval choice in use.
fn charts_of(prepared: &Prepared) -> super::OutputSet {
    let mut charts = super::OutputSet::default();
    for (set, drawn) in &prepared.charts {
        let folder = PathBuf::from(set.folder());
        for chart in drawn {
            charts.add(
                folder.join(format!("{}.svg", chart.id)),
                chart.svg.clone().into_bytes(),
            );
        }
    }
    charts
}

/// The output set short of the rendered editions: each edition's figures, and in the
/// internal `records/` every figure unsuppressed, each edition's record and, where the last
/// build left one to compare with, the list of what changed since (given back beside it).
fn records_of(
    options: &BuildOptions,
    prepared: &Prepared,
    audit: &AuditIdentity,
    labels: &std::collections::BTreeMap<String, String>,
) -> (super::OutputSet, Vec<Option<Vec<String>>>) {
    // Each edition's folder holds only what may go to its audience; the records, the change
    // lists and every figure unsuppressed stay in `records/`, which is internal.
    let mut out = super::OutputSet::default();
    let records = PathBuf::from(RECORDS);
    out.add(
        records.join("figures.csv"),
        super::figures::figures_csv(&prepared.stats, labels, None),
    );
    let mut changes = Vec::new();
    for (edition, document) in &prepared.documents {
        let record_path = records.join(format!("{}.record.json", edition.id));
        let record = super::record::Record::new(
            &edition.id,
            prepared.inputs.clone(),
            &prepared.stats,
            labels,
            document.shown_in.clone(),
        )
        .of_audit(audit.clone());
        // A missing or unreadable old record just means nothing to compare with, and so
        // does another audit's, replaced.
        let changed = super::record::Record::read(&options.out.join(&record_path))
            .ok()
            .filter(|old| old.audit.as_ref().is_none_or(|theirs| theirs.same(audit)))
            .map(|old| super::record::changes(&old, &record));
        if let Some(changed) = &changed {
            let mut text = changed.join("\n");
            text.push('\n');
            out.add(
                records.join(format!("{}.changes.txt", edition.id)),
                text.into_bytes(),
            );
        }
        changes.push(changed);
        out.add(
            PathBuf::from(&edition.id).join("figures.csv"),
            super::figures::figures_csv(&prepared.stats, labels, Some((edition, document))),
        );
        out.add(&record_path, record.to_json());
    }
    (out, changes)
}

/// Stages the output set of `prepared` short of its rendered files (see [`Staging`]): locks
/// the output and charts folders (waiting for another build writing there), refuses folders
/// no build wrote, compares each edition's figures with the last build's record, and writes
/// and syncs the charts, the records, the figures and the change lists. Nothing of the
/// folders is replaced yet.
pub fn stage(
    options: &BuildOptions,
    prepared: &Prepared,
    guard: &Guard,
) -> Result<Staging, Diagnostics> {
    // Locked before the last build's records are read, so none is replaced meanwhile; both
    // folders in one order, whichever is --out (two builds with the folders the other way
    // round each held one and waited for the other).
    let (out_lock, chart_lock) = lock_both(options)?;
    // (begun here: a set a stopped build was swapping in is finished, as a staging folder
    // begins, before its records are read)
    let staged_out = super::Staged::begin(&options.out)?;
    let staged_charts = super::Staged::begin(&options.charts)?;
    refuse_foreign_folders(options, prepared)?;
    unmarked_charts(options)?;
    let audit = AuditIdentity::of(&prepared.audit.info.title, &options.audit);
    let replaced = another_audits_editions(options, &audit)?;
    another_audits_charts(options, &audit)?;
    let labels = super::figures::measure_labels(&prepared.audit);
    let mut charts = charts_of(prepared);
    let (out, changes) = records_of(options, prepared, &audit, &labels);
    // The guard reads these as it reads the documents: a name in a question's label, say,
    // would reach the charts and figures.csv too. Nothing is swapped in if it finds any.
    let mut found = guard_set(guard, &options.charts, &charts);
    found.extend(guard_set(guard, &options.out, &out));
    found.into_result(())?;
    let chart_paths: Vec<PathBuf> = charts.paths().map(|p| options.charts.join(p)).collect();
    // (written with them, so the folder is known for what it holds: see `check_folders`;
    // each chart named, so `clean` takes those and no file of the lead's beside them)
    let listed = super::clean::mark_lines(&options.charts, charts.paths());
    charts.add(
        super::CHARTS_MARKER,
        format!(
            "{}{AUDIT_LINE}{}\n{listed}",
            super::CHARTS_MARKER_TEXT,
            audit.folder
        )
        .into_bytes(),
    );
    staged_charts.add(&charts)?;
    staged_charts.finish(charts.keep_only.as_deref())?;
    staged_out.add(&out)?;
    Ok(Staging {
        charts: staged_charts,
        out: staged_out,
        chart_paths,
        changes,
        replaced,
        chart_lock,
        out_lock,
    })
}

/// The personal data guard's findings in every file of `set` (charts, figures, records),
/// each at its place under `folder`.
fn guard_set(guard: &Guard, folder: &std::path::Path, set: &super::OutputSet) -> Diagnostics {
    let mut found = Diagnostics::default();
    for (path, bytes) in set.files() {
        found.extend(crate::render::printed::guard_data(
            guard,
            &folder.join(path),
            bytes,
        ));
    }
    found
}

/// Refuses a charts folder that holds files (other than hidden ones) and no build's mark:
/// the lead's own (`--charts pictures`), whose `q1.svg` a chart would replace and whose
/// drawings `clean` would later have taken for charts.
fn unmarked_charts(options: &BuildOptions) -> Result<(), Diagnostic> {
    if fs_exists(&options.charts.join(super::CHARTS_MARKER)) {
        return Ok(());
    }
    let held: Vec<String> = std::fs::read_dir(&options.charts)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.') && !super::clean::CLUTTER.contains(&name.as_str()))
        .collect();
    if held.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::general(format!(
        "the charts folder `{}` holds files (`{}`) and no `{}`, so no build wrote it; a build would put its charts among them",
        options.charts.display(),
        crate::diag::shortened(&held.join("`, `"), 80),
        super::CHARTS_MARKER
    ))
    .with_note("give a new or empty folder for the charts (without --charts, `charts/` in the audit folder)"))
}

/// How the charts folder's mark names the audit whose charts it holds.
const AUDIT_LINE: &str = "Audit folder: ";

/// Refuses a charts folder that holds another audit's charts (its mark names the audit),
/// unless the build replaces the other audit's build: the two audits' charts would be
/// mixed, and this build's would sweep the other's away.
fn another_audits_charts(options: &BuildOptions, audit: &AuditIdentity) -> Result<(), Diagnostic> {
    let Ok(mark) = std::fs::read_to_string(options.charts.join(super::CHARTS_MARKER)) else {
        return Ok(());
    };
    let theirs = mark.lines().find_map(|l| l.strip_prefix(AUDIT_LINE));
    match theirs {
        Some(theirs) if theirs != audit.folder && !options.replace => Err(Diagnostic::general(format!(
            "the charts folder `{}` holds the charts of another audit (folder `{theirs}`); this is {audit}: building into it would replace that audit's charts with this audit's",
            options.charts.display()
        ))
        .with_note("give each audit its own charts folder (without --charts, a build writes into `charts/` in its audit folder), or build with --replace to replace the other audit's charts")),
        _ => Ok(()),
    }
}

/// The editions of another audit's build in the output folder (by their records), which a
/// build told to replace it removes; without `replace`, a refusal naming both audits. A
/// record that does not say its audit (written before audits were told apart) is taken as
/// this audit's.
fn another_audits_editions(
    options: &BuildOptions,
    audit: &AuditIdentity,
) -> Result<Vec<String>, Diagnostic> {
    /// Of a record, only which audit it is of.
    #[derive(serde::Deserialize)]
    struct Of {
        #[serde(default)]
        audit: Option<AuditIdentity>,
    }
    let records = options.out.join(RECORDS);
    let mut names: Vec<String> = std::fs::read_dir(&records)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut other = None;
    let mut editions = Vec::new();
    for name in names {
        let Some(edition) = name.strip_suffix(".record.json") else {
            continue;
        };
        let Ok(bytes) = std::fs::read(records.join(&name)) else {
            continue;
        };
        let Ok(Of {
            audit: Some(theirs),
        }) = serde_json::from_slice(&bytes)
        else {
            continue;
        };
        if !theirs.same(audit) {
            editions.push(edition.to_string());
            other.get_or_insert(theirs);
        }
    }
    match other {
        Some(theirs) if !options.replace => Err(Diagnostic::general(format!(
            "the output folder `{}` holds the build of another audit, {theirs}; this is {audit}: building into it would replace that audit's editions and compare its figures with this audit's",
            options.out.display()
        ))
        .with_note("give each audit its own output folder (without --out, a build writes into `out/` in its audit folder), or build with --replace to replace the other audit's build")),
        _ => Ok(editions),
    }
}

/// The locks of the output and charts folders, taken in the order of their paths (a charts
/// folder inside the output folder is covered by the output folder's lock).
fn lock_both(options: &BuildOptions) -> Result<(super::Lock, Option<super::Lock>), Diagnostic> {
    let (out, charts) = (resolved(&options.out), resolved(&options.charts));
    if charts.starts_with(&out) {
        return Ok((super::lock(&options.out)?, None));
    }
    if out < charts {
        let out_lock = super::lock(&options.out)?;
        Ok((out_lock, Some(super::lock(&options.charts)?)))
    } else {
        let chart_lock = super::lock(&options.charts)?;
        Ok((super::lock(&options.out)?, Some(chart_lock)))
    }
}

/// A build replaces an edition's folder and the records folder whole: one it did not write
/// (no record of it) is somebody's folder of the same name, and is left alone.
fn refuse_foreign_folders(options: &BuildOptions, prepared: &Prepared) -> Result<(), Diagnostic> {
    let records_folder = options.out.join(RECORDS);
    let has_records = std::fs::read_dir(&records_folder).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().ends_with(".record.json"))
    }) || super::clean::only_build_records(&records_folder);
    if fs_exists(&records_folder) && !has_records {
        return Err(Diagnostic::general(format!(
            "`{}` is there and holds no build record, so no build wrote it; a build would replace it: move it, or give another output folder",
            records_folder.display()
        )));
    }
    for (edition, _) in &prepared.documents {
        let folder = options.out.join(&edition.id);
        if std::fs::symlink_metadata(&folder).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::general(format!(
                "`{}` is a symbolic link; a build writes an edition's folder itself and would replace the link: remove it, or give another output folder",
                folder.display()
            )));
        }
        let record = records_folder.join(format!("{}.record.json", edition.id));
        if record.exists() {
            super::clean::only_built(&folder, &edition.id)?;
        }
        if fs_exists(&folder) && !record.exists() {
            return Err(Diagnostic::general(format!(
                "`{}` is there and was not written by a build (there is no `{}`); the edition `{}` would replace it: move it, or give another output folder",
                folder.display(),
                record.display(),
                edition.id
            )));
        }
    }
    Ok(())
}

/// Adds the typeset editions of `prepared` (in order) to what [`stage`] staged, and swaps
/// both sets in, each folder all or nothing; returns what was written.
pub fn write(
    options: &BuildOptions,
    prepared: &Prepared,
    mut staging: Staging,
    rendered: Vec<Vec<Rendered>>,
) -> Result<(Vec<Written>, Vec<PathBuf>), Diagnostics> {
    let mut files_of_editions = super::OutputSet::default();
    let mut editions = Vec::new();
    for (((edition, _), done), changes) in
        prepared.documents.iter().zip(rendered).zip(staging.changes)
    {
        let folder = PathBuf::from(&edition.id);
        let mut files = Vec::new();
        for file in done {
            let path = folder.join(format!("{}.{}", edition.id, file.format.extension()));
            files.push(WrittenFile {
                format: file.format,
                path: options.out.join(&path),
                pages: file.pages,
                text: file.text,
            });
            files_of_editions.add(path, file.bytes);
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
    staging.out.add(&files_of_editions)?;
    // An edition's folder holds what this build wrote for it and nothing else: a Word file
    // or web page of an earlier build, with its earlier figures, is not left beside the new
    // PDF. The records of editions not built this time are kept, unless they are another
    // audit's this build replaces.
    let keep = match staging.replaced.is_empty() {
        true => vec![PathBuf::from(RECORDS)],
        false => Vec::new(),
    };
    staging.out.finish(Some(&keep))?;
    // Both sets staged in full before either is swapped in, and the charts swapped first:
    // a set that cannot be swapped in takes the other back out (see the module above).
    super::swap_in(&[staging.charts, staging.out])?;
    staging.out_lock.keep();
    if let Some(lock) = &mut staging.chart_lock {
        lock.keep();
    }
    // The other audit's editions this build did not write over go too, so that none is
    // left beside this audit's (their records are gone with the old records folder). A
    // record's name is only ever one plain folder name here.
    for edition in &staging.replaced {
        let plain = Path::new(edition).components().count() == 1 && !edition.starts_with('.');
        let built = prepared.documents.iter().any(|(e, _)| &e.id == edition);
        if let Ok(folder) = super::inside(&options.out, Path::new(edition))
            && plain
            && !built
            && edition != RECORDS
        {
            // (the set is in: a folder that cannot be removed is left, and the next build
            // is not refused for it, its record being gone)
            let _ = std::fs::remove_dir_all(folder);
        }
    }
    Ok((editions, staging.chart_paths))
}

/// One file of an edition written.
#[derive(Debug, Clone)]
pub struct WrittenFile {
    /// Its format.
    pub format: Format,
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
    /// Its files, one per format, in the order of [`Format::ALL`].
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
    pub fn file(&self, format: Format) -> Option<&WrittenFile> {
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

#[cfg(test)]
mod tests {
    use super::{Guard, guard_set};
    use std::path::Path;

    /// Every file staged beside the documents is read by the guard, at its place in the
    /// folder it goes to: the charts, each edition's figures and the records.
    #[test]
    fn the_guard_reads_charts_figures_and_records_before_they_are_staged() {
        let guard = Guard::new(&["Tyler Ashworth".into()], &[]);
        let mut set = crate::output::OutputSet::default();
        set.add(
            "public/figures.csv",
            b"scope,label\nall cases,Seen\n".to_vec(),
        );
        set.add(
            "records/public.record.json",
            br#"{"sha256":"9f86d0"}"#.to_vec(),
        );
        assert!(guard_set(&guard, Path::new("out"), &set).0.is_empty());
        set.add("q1.svg", b"<svg><desc>Tyler Ashworth</desc></svg>".to_vec());
        set.add(
            "public/figures.csv",
            b"scope,label\ncase Tyler Ashworth,Seen\n".to_vec(),
        );
        let found = guard_set(&guard, Path::new("out"), &set);
        let places: Vec<String> = found.0.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(found.0.len(), 2, "{places:?}");
        assert!(places[0].contains("out/q1.svg"), "{places:?}");
        assert!(places[1].contains("out/public/figures.csv"), "{places:?}");
    }
}
