//! Records: what each edition was built from, and what changed since.
//!
//! For every edition a build writes `out/records/<edition>.record.json`: the tool's version,
//! the audit (its title and folder), a SHA-256 of every input file, every collated figure (all
//! cases and each case), and where each figure is shown. The next build of the same audit
//! compares its figures with the last record and says, figure by figure, what changed and
//! where it shows; `diff` does the same for any two records.

use crate::collate::numbers::percent;
use crate::collate::{Collation, Stats, Tally, Totals};
use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What one edition was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `audit-report` and its version.
    pub tool: String,
    /// The audit it was built from; `None` in a record written before audits were told
    /// apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditIdentity>,
    /// The edition's id.
    pub edition: String,
    /// SHA-256 (hex) of each input file, by path inside the audit folder.
    pub inputs: BTreeMap<String, String>,
    /// Requests, returns, response rate.
    pub totals: TotalsRecord,
    /// Every measure, all cases together: id → figures.
    pub figures: BTreeMap<String, Figure>,
    /// Every measure for each case: case id → measure id → figures.
    pub by_case: BTreeMap<String, BTreeMap<String, Figure>>,
    /// Where each figure is shown in this edition: measure id or `total:…` → places.
    pub shown_in: BTreeMap<String, BTreeSet<String>>,
}

/// Which audit a build was of: its folder (one audit, one folder), and its title to name it
/// by. Two rounds of an audit share a title, not a folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditIdentity {
    /// The report's title.
    pub title: String,
    /// The audit folder, absolute, through its links.
    pub folder: String,
}

impl AuditIdentity {
    /// The identity of the audit titled `title` in the folder `folder`.
    pub fn of(title: &str, folder: &Path) -> AuditIdentity {
        AuditIdentity {
            title: title.to_string(),
            folder: super::resolved(folder).display().to_string(),
        }
    }

    /// Whether it is the same audit: the same folder, whatever its title says now (a title
    /// corrected is the same audit; a next round copied from it is not).
    pub fn same(&self, other: &AuditIdentity) -> bool {
        self.folder == other.folder
    }
}

impl std::fmt::Display for AuditIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "“{}” (folder `{}`)", self.title, self.folder)
    }
}

/// The totals, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalsRecord {
    /// Cases.
    pub cases: u32,
    /// Requests.
    pub requests: u32,
    /// Returns.
    pub returns: u32,
}

/// One measure's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// What it is ("Case summary or chronology of key events").
    pub label: String,
    /// Returns that answered.
    pub base: u32,
    /// Returns choosing each option.
    pub counts: BTreeMap<String, u32>,
}

impl Record {
    /// The record of a build.
    pub fn new(
        edition: &str,
        inputs: BTreeMap<String, String>,
        stats: &Stats,
        labels: &BTreeMap<String, String>,
        shown_in: BTreeMap<String, BTreeSet<String>>,
    ) -> Record {
        let figures = |collation: &Collation| -> BTreeMap<String, Figure> {
            collation
                .measures
                .iter()
                .map(|(id, tally)| {
                    (
                        id.clone(),
                        figure(tally, labels.get(id).cloned().unwrap_or_default()),
                    )
                })
                .collect()
        };
        let Totals {
            cases,
            requests,
            returns,
            ..
        } = stats.totals;
        Record {
            tool: format!("audit-report {}", env!("CARGO_PKG_VERSION")),
            audit: None,
            edition: edition.to_string(),
            inputs,
            totals: TotalsRecord {
                cases,
                requests,
                returns,
            },
            figures: figures(&stats.all),
            by_case: stats
                .by_case
                .iter()
                .map(|(case, c)| (case.clone(), figures(c)))
                .collect(),
            shown_in,
        }
    }

    /// The record, saying which audit it is of.
    pub fn of_audit(mut self, audit: AuditIdentity) -> Record {
        self.audit = Some(audit);
        self
    }

    /// Reads a record file.
    pub fn read(path: &Path) -> Result<Record, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| Diagnostic::io("read", path, &e))?;
        let record: Record = serde_json::from_slice(&bytes).map_err(|e| {
            Diagnostic::error(
                crate::diag::Location::at(path, e.line(), e.column()),
                format!("failed to read build record ({e})"),
            )
        })?;
        // (a count over its base is no build's: `diff` would print "5 of 0" as a change)
        let all = (record.figures.iter()).chain(record.by_case.values().flatten());
        for (id, figure) in all {
            if let Some((option, count)) = figure.counts.iter().find(|(_, c)| **c > figure.base) {
                return Err(Diagnostic::error(
                    crate::diag::Location::file(path),
                    format!(
                        "expected counts no larger than their base, found `{id}` option `{option}` {count} of a base of {}: no build wrote this record (edited by hand?)",
                        figure.base
                    ),
                ));
            }
        }
        Ok(record)
    }

    /// The record as pretty JSON.
    pub fn to_json(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

fn figure(tally: &Tally, label: String) -> Figure {
    Figure {
        label,
        base: tally.base,
        counts: tally.counts.iter().cloned().collect(),
    }
}

fn share(count: u32, base: u32) -> String {
    format!("{}% ({count} of {base})", percent(count, base))
}

/// What changed between two records, one line each, each figure with where it shows (in
/// `new`'s edition).
pub fn changes(old: &Record, new: &Record) -> Vec<String> {
    let mut lines = Vec::new();
    // (records of two editions: a withheld figure of one is no change of the other's)
    if old.edition != new.edition {
        lines.push(format!("edition: {} → {}", old.edition, new.edition));
    }
    // (records of two audits: every figure below compares one with the other)
    if let (Some(a), Some(b)) = (&old.audit, &new.audit)
        && !a.same(b)
    {
        lines.push(format!("audit: {a} → {b}"));
    }
    for (name, a, b) in [
        ("cases", old.totals.cases, new.totals.cases),
        ("requests", old.totals.requests, new.totals.requests),
        ("returns", old.totals.returns, new.totals.returns),
    ] {
        if a != b {
            lines.push(format!(
                "{name}: {a} → {b}{}",
                shown_in(new, &format!("total:{name}"))
            ));
        }
    }
    figure_changes(old, new, &mut lines);
    for id in old
        .figures
        .keys()
        .filter(|id| !new.figures.contains_key(*id))
    {
        lines.push(format!("{id}: question removed"));
    }
    input_changes(old, new, &mut lines);
    if old.tool != new.tool {
        lines.push(format!("tool: {} → {}", old.tool, new.tool));
    }
    lines
}

/// Where the figure `key` shows in `new`'s edition, as a line to follow its change.
fn shown_in(new: &Record, key: &str) -> String {
    match new.shown_in.get(key) {
        Some(places) if !places.is_empty() => {
            format!(
                "\n      shown in {}",
                places.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        }
        _ => String::new(),
    }
}

/// Each question's figures that moved, option by option, followed by where they show; a
/// question new since.
fn figure_changes(old: &Record, new: &Record, lines: &mut Vec<String>) {
    for (id, after) in &new.figures {
        let Some(before) = old.figures.get(id) else {
            lines.push(format!("{id} {}: new question", after.label));
            continue;
        };
        if before == after {
            continue;
        }
        let mut options: Vec<&String> = after.counts.keys().chain(before.counts.keys()).collect();
        options.sort();
        options.dedup();
        for option in options {
            let (a, b) = (
                before.counts.get(option).copied().unwrap_or(0),
                after.counts.get(option).copied().unwrap_or(0),
            );
            if a != b || before.base != after.base {
                lines.push(format!(
                    "{id} {} – {option}: {} → {}",
                    after.label,
                    share(a, before.base),
                    share(b, after.base)
                ));
            }
        }
        if let Some(last) = lines.last_mut() {
            last.push_str(&shown_in(new, id));
        }
    }
}

/// Each input file changed, added or removed.
fn input_changes(old: &Record, new: &Record, lines: &mut Vec<String>) {
    let files: BTreeSet<&String> = old.inputs.keys().chain(new.inputs.keys()).collect();
    for file in files {
        match (old.inputs.get(file), new.inputs.get(file)) {
            (Some(a), Some(b)) if a != b => lines.push(format!("input changed: {file}")),
            (None, Some(_)) => lines.push(format!("input added: {file}")),
            (Some(_), None) => lines.push(format!("input removed: {file}")),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(chronology: u32, returns: u32) -> Record {
        Record {
            tool: "audit-report 0.1.0".into(),
            audit: None,
            edition: "board".into(),
            inputs: BTreeMap::from([("returns/a.yaml".into(), format!("{chronology}"))]),
            totals: TotalsRecord {
                cases: 15,
                requests: 90,
                returns,
            },
            figures: BTreeMap::from([(
                "q1.c".to_string(),
                Figure {
                    label: "chronology on file".into(),
                    base: 77,
                    counts: BTreeMap::from([
                        ("yes".into(), chronology),
                        ("no".into(), 77 - chronology),
                    ]),
                },
            )]),
            by_case: BTreeMap::new(),
            shown_in: BTreeMap::from([(
                "q1.c".into(),
                BTreeSet::from(["chart q1".into(), "paragraph 3.1.1".into()]),
            )]),
        }
    }

    #[test]
    fn says_what_changed_figure_by_figure_and_where_it_shows() {
        assert_eq!(
            changes(&record(68, 77), &record(69, 77)),
            vec![
                "q1.c chronology on file – no: 11.7% (9 of 77) → 10.4% (8 of 77)",
                "q1.c chronology on file – yes: 88.3% (68 of 77) → 89.6% (69 of 77)\n      shown in chart q1, paragraph 3.1.1",
                "input changed: returns/a.yaml",
            ]
        );
        assert_eq!(
            changes(&record(68, 77), &record(68, 77)),
            Vec::<String>::new()
        );
        assert_eq!(
            changes(&record(68, 77), &record(68, 76))[0],
            "returns: 77 → 76"
        );
    }

    /// `diff` of two audits' records says so first: every figure after it compares the two.
    #[test]
    fn records_of_two_audits_say_so_first() {
        let of = |title: &str, folder: &str| AuditIdentity {
            title: title.into(),
            folder: folder.into(),
        };
        let mut old = record(68, 77).of_audit(of("Repeat plans", "/audits/2014"));
        let new = record(68, 77).of_audit(of("Repeat plans", "/audits/2015"));
        assert_eq!(
            changes(&old, &new),
            [
                "audit: “Repeat plans” (folder `/audits/2014`) → “Repeat plans” (folder `/audits/2015`)"
            ]
        );
        // the same folder, its title corrected: the same audit
        old.audit = Some(of("Repeat Plans", "/audits/2015"));
        assert!(changes(&old, &new).is_empty());
    }

    /// A build keeps a record only as its JSON while it typesets, and reads it back when
    /// another build wrote in between: read back, it is the same record.
    #[test]
    fn a_record_reads_back_from_its_json_as_it_was() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let options = crate::BuildOptions::new(root.join("data"));
        let templates = crate::Templates::load(None).unwrap();
        let prepared = crate::prepare(&options, &templates, &mut |_| {}).unwrap();
        let labels = crate::output::figures::measure_labels(&prepared.audit);
        let (edition, document) = &prepared.documents[0];
        let record = Record::new(
            &edition.id,
            prepared.inputs.clone(),
            &prepared.stats,
            &labels,
            document.shown_in.clone(),
        );
        assert!(!record.by_case.is_empty() && !record.figures.is_empty());
        let read: Record = serde_json::from_slice(&record.to_json()).unwrap();
        assert_eq!(read, record);
        assert!(changes(&read, &record).is_empty());
    }
}
