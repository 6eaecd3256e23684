//! Records: what each PDF was built from, and what changed since.
//!
//! Beside every `out/<edition>.pdf` a build writes `out/<edition>.record.json`: the tool's
//! version, a SHA-256 of every input file, every collated figure (all cases and each case),
//! and where each figure is shown. The next build compares its figures with the last record
//! and says, figure by figure, what changed and where it shows; `diff` does the same for any
//! two records.

use crate::collate::{Collation, Stats, Tally, Totals};
use crate::diag::Diagnostic;
use crate::document::words::percent;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What one edition was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// `audit-report` and its version.
    pub tool: String,
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

    /// Reads a record file.
    pub fn read(path: &Path) -> Result<Record, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| Diagnostic::io("read", path, &e))?;
        serde_json::from_slice(&bytes).map_err(|e| {
            Diagnostic::error(
                crate::diag::Location::at(path, e.line(), e.column()),
                format!("failed to read build record ({e})"),
            )
        })
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
    let places = |key: &str| -> String {
        match new.shown_in.get(key) {
            Some(places) if !places.is_empty() => {
                format!(
                    "\n      shown in {}",
                    places.iter().cloned().collect::<Vec<_>>().join(", ")
                )
            }
            _ => String::new(),
        }
    };
    for (name, a, b) in [
        ("cases", old.totals.cases, new.totals.cases),
        ("requests", old.totals.requests, new.totals.requests),
        ("returns", old.totals.returns, new.totals.returns),
    ] {
        if a != b {
            lines.push(format!(
                "{name}: {a} → {b}{}",
                places(&format!("total:{name}"))
            ));
        }
    }
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
            last.push_str(&places(id));
        }
    }
    for id in old
        .figures
        .keys()
        .filter(|id| !new.figures.contains_key(*id))
    {
        lines.push(format!("{id}: question removed"));
    }
    let files: BTreeSet<&String> = old.inputs.keys().chain(new.inputs.keys()).collect();
    for file in files {
        match (old.inputs.get(file), new.inputs.get(file)) {
            (Some(a), Some(b)) if a != b => lines.push(format!("input changed: {file}")),
            (None, Some(_)) => lines.push(format!("input added: {file}")),
            (Some(_), None) => lines.push(format!("input removed: {file}")),
            _ => {}
        }
    }
    if old.tool != new.tool {
        lines.push(format!("tool: {} → {}", old.tool, new.tool));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(chronology: u32, returns: u32) -> Record {
        Record {
            tool: "audit-report 0.1.0".into(),
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
