//! Numbering: the number of every part an edition includes, and what a cross-reference to
//! each label shows.

use super::Filler;
use crate::check::Audit;
use crate::diag::{Diagnostic, Diagnostics};
use crate::edition::Edition;
use crate::input::{Parsed, Source};
use std::collections::BTreeMap;

/// Where each label points, and what a reference to it shows.
pub(super) type Labels = BTreeMap<String, String>;

/// Every label and what a reference to it shows, before any prose is rendered, so a
/// reference may point forward ("see Appendix 1" in section 2).
/// The number of every part an edition includes, by its place in the narrative; `None` for a
/// part the edition leaves out. Worked out once, so labels, headings and paragraph numbers
/// agree.
pub(super) struct Numbers {
    /// Per section file.
    pub(super) sections: Vec<SectionNumbers>,
}

pub(super) struct SectionNumbers {
    pub(super) number: Option<usize>,
    pub(super) subsections: Vec<Option<usize>>,
    pub(super) findings: Vec<Option<usize>>,
    pub(super) appendices: Vec<Option<usize>>,
}

pub(super) fn count(
    included: impl Iterator<Item = bool>,
    counter: &mut usize,
) -> Vec<Option<usize>> {
    // Every part takes its number whether the edition shows it or not: an edition keeps the
    // full report's numbers, so "paragraph 3.3.2" means the same in every edition.
    included
        .map(|yes| {
            *counter += 1;
            yes.then_some(*counter)
        })
        .collect()
}

impl Numbers {
    /// Whether a part left out is followed by one shown at its level, so the edition's
    /// numbering has a gap a reader will see (a part left out at the end leaves none).
    pub(super) fn has_gaps(&self) -> bool {
        fn gap(numbers: impl Iterator<Item = bool>) -> bool {
            let mut left_out = false;
            for shown in numbers {
                if left_out && shown {
                    return true;
                }
                left_out |= !shown;
            }
            false
        }
        gap(self.sections.iter().map(|s| s.number.is_some()))
            || self
                .sections
                .iter()
                .filter(|s| s.number.is_some())
                .any(|s| gap(s.subsections.iter().map(Option::is_some)))
            || gap(self
                .sections
                .iter()
                .flat_map(|s| s.appendices.iter().map(Option::is_some)))
    }

    pub(super) fn new(audit: &Audit, edition: &Edition) -> Numbers {
        let (mut section, mut finding, mut appendix) = (0, 0, 0);
        let sections = audit
            .sections
            .iter()
            .map(|Parsed { value, .. }| {
                section += 1;
                let number = edition.includes(value.id.as_deref()).then_some(section);
                let inside = number.is_some();
                let mut subsection = 0;
                SectionNumbers {
                    number,
                    subsections: count(
                        value
                            .subsections
                            .iter()
                            .map(|s| inside && edition.includes(s.id.as_deref())),
                        &mut subsection,
                    ),
                    findings: count(value.findings.iter().map(|_| inside), &mut finding),
                    appendices: count(
                        value
                            .appendices
                            .iter()
                            .map(|a| inside && edition.includes(Some(&a.id))),
                        &mut appendix,
                    ),
                }
            })
            .collect();
        Numbers { sections }
    }
}

pub(super) fn collect_labels(
    audit: &Audit,
    numbers: &Numbers,
    filler: &Filler,
    problems: &mut Diagnostics,
) -> Labels {
    let mut labels = Labels::new();
    let mut add =
        |label: Option<String>, kind: &str, number: String, source: &Source, path: &[&str]| {
            let Some(label) = label else { return };
            let template = filler
                .wording
                .references
                .get(kind)
                .map(String::as_str)
                .unwrap_or("{{number}}");
            let text = filler
                .fill(template, &serde_json::json!({ "number": number }))
                .unwrap_or(number);
            if labels.insert(label.clone(), text).is_some() {
                problems.push(Diagnostic::error(
                    source.locate(path),
                    format!("label `{label}` is used twice"),
                ));
            }
        };
    for (Parsed { value, source }, numbers) in audit.sections.iter().zip(&numbers.sections) {
        let Some(n) = numbers.number else { continue };
        add(value.id.clone(), "section", n.to_string(), source, &["id"]);
        for ((s, sub), number) in value
            .subsections
            .iter()
            .enumerate()
            .zip(&numbers.subsections)
        {
            if let Some(number) = number {
                add(
                    sub.id.clone(),
                    "subsection",
                    format!("{n}.{number}"),
                    source,
                    &["subsections", &s.to_string(), "id"],
                );
            }
        }
        for number in numbers.findings.iter().flatten() {
            add(
                Some(format!("finding-{number}")),
                "finding",
                number.to_string(),
                source,
                &["findings"],
            );
        }
        for ((a, appendix), number) in value.appendices.iter().enumerate().zip(&numbers.appendices)
        {
            if let Some(number) = number {
                add(
                    Some(appendix.id.clone()),
                    "appendix",
                    number.to_string(),
                    source,
                    &["appendices", &a.to_string(), "id"],
                );
            }
        }
    }
    labels
}

/// What cross-references can point at in this edition.
pub(super) struct References<'a> {
    pub(super) edition: &'a str,
    pub(super) labels: &'a Labels,
    pub(super) everything: &'a Labels,
}

impl References<'_> {
    /// Whether `label` is a part of the whole report that this edition leaves out.
    pub(super) fn leaves_out(&self, label: &str) -> bool {
        !self.labels.contains_key(label) && self.everything.contains_key(label)
    }

    pub(super) fn text(&self, label: &str) -> Result<String, String> {
        if let Some(text) = self.labels.get(label) {
            return Ok(text.clone());
        }
        if self.everything.contains_key(label) {
            return Err(format!(
                "cross-reference `{label}` points to a part edition `{}` leaves out; limit this text to the editions that keep it (`editions: [...]`)",
                self.edition
            ));
        }
        Err(
            match crate::diag::nearest(label, self.everything.keys().map(String::as_str)) {
                Some(near) => format!("unknown cross-reference `{label}` (did you mean {near}?)"),
                None => format!("unknown cross-reference `{label}`"),
            },
        )
    }
}
