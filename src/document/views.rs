//! Generated views for the audit lead's edition: a page per case, figures by agency, and
//! every comment by question. Each returns content blocks for `document::build`.

use super::{Content, Inline};
use crate::check::Audit;
use crate::collate::Stats;

/// The option a measure is summed up by: the chart's option, else the first.
fn headline(question: &crate::input::model::Question) -> Option<&crate::input::model::Choice> {
    let chosen = question.chart.as_ref().and_then(|c| c.option.as_deref());
    question
        .options
        .iter()
        .find(|o| Some(o.id.as_str()) == chosen)
        .or(question.options.first())
}

/// Every charted measure with its question and a row label ("2 Supervision: Yes"): the
/// report's own figures, short enough for a case's page.
fn headline_rows(audit: &Audit) -> Vec<(crate::input::model::Measure, String, String)> {
    let mut rows = Vec::new();
    for question in audit.bank.questions.iter().filter(|q| q.chart.is_some()) {
        let Some(option) = headline(question) else {
            continue;
        };
        for measure in question.measures() {
            let what = match &measure.item {
                Some(item) => item.chart_label().to_string(),
                None => question
                    .chart
                    .as_ref()
                    .map_or_else(|| question.text.clone(), |c| c.title.clone()),
            };
            let label = format!("{} {what}: {}", question.number, option.chart_label());
            rows.push((measure, option.id.clone(), label));
        }
    }
    rows
}

fn share(tally: Option<&crate::collate::Tally>, option: &str) -> String {
    match tally {
        Some(t) if t.base > 0 => {
            let k = t.count(option).unwrap_or(0);
            format!(
                "{}% ({k} of {})",
                crate::document::words::percent(k, t.base),
                t.base
            )
        }
        _ => "–".into(),
    }
}

fn table(caption: String, header: Vec<String>, rows: Vec<Vec<String>>) -> Content {
    Content::Table {
        caption,
        header,
        rows,
        footer: Vec::new(),
        note: None,
    }
}

/// A page per case: what the case is, each agency's answers, and the case's figures beside
/// the whole audit's.
pub(super) fn case_summaries(audit: &Audit, stats: &Stats) -> Vec<Content> {
    let measures = headline_rows(audit);
    let mut blocks = Vec::new();
    for case in &audit.cases {
        let returns: Vec<&crate::check::Return> =
            audit.returns.iter().filter(|r| r.case == case.id).collect();
        blocks.push(Content::PageHeading {
            text: format!("Case {}", case.id),
            new_page: !blocks.is_empty(),
        });
        let interval = case
            .interval_months
            .map(|m| format!(" · {m} months between plans"))
            .unwrap_or_default();
        let text = format!(
            "{} · {} · {}{interval} · {} of {} requested returns",
            case.category,
            case.age_band,
            case.gender,
            returns.len(),
            case.requested.len()
        );
        blocks.push(Content::Paragraph {
            number: None,
            runs: vec![Inline::Text { text }],
        });
        let mut header = vec!["Question".to_string()];
        header.extend(returns.iter().map(|r| r.agency.clone()));
        header.extend(["This case".to_string(), "All cases".to_string()]);
        let rows = measures
            .iter()
            .map(|(measure, option, label)| {
                let mut row = vec![label.clone()];
                for r in &returns {
                    let answer = r.answers.get(&measure.id).map(|chosen| {
                        chosen
                            .iter()
                            .map(|id| {
                                measure
                                    .options
                                    .iter()
                                    .find(|o| &o.id == id)
                                    .map_or(id.as_str(), |o| o.chart_label())
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    });
                    row.push(answer.unwrap_or_else(|| "–".into()));
                }
                row.push(share(
                    stats
                        .by_case
                        .get(&case.id)
                        .and_then(|c| c.measures.get(&measure.id)),
                    option,
                ));
                row.push(share(stats.all.measures.get(&measure.id), option));
                row
            })
            .collect();
        blocks.push(table(
            format!("Case {}: answers by agency", case.id),
            header,
            rows,
        ));
    }
    blocks
}

/// Returns requested and received per agency, and each agency's figures beside the audit's.
pub(super) fn agency_figures(audit: &Audit, stats: &Stats) -> Vec<Content> {
    let rate = |got: u32, asked: u32| {
        if asked == 0 {
            "–".to_string()
        } else {
            format!("{}%", crate::document::words::percent(got, asked))
        }
    };
    let mut rows: Vec<Vec<String>> = stats
        .by_agency
        .iter()
        .map(|(agency, (asked, c))| {
            vec![
                agency.clone(),
                asked.to_string(),
                c.returns.to_string(),
                rate(c.returns, *asked),
            ]
        })
        .collect();
    let t = &stats.totals;
    rows.push(vec![
        "All agencies".into(),
        t.requests.to_string(),
        t.returns.to_string(),
        rate(t.returns, t.requests),
    ]);
    let mut blocks = vec![table(
        "Returns requested and received, by agency".into(),
        vec![
            "Agency".into(),
            "Requested".into(),
            "Returned".into(),
            "Response rate".into(),
        ],
        rows,
    )];
    let measures = headline_rows(audit);
    for (agency, (_, collation)) in &stats.by_agency {
        let rows = measures
            .iter()
            .map(|(m, option, label)| {
                vec![
                    label.clone(),
                    share(collation.measures.get(&m.id), option),
                    share(stats.all.measures.get(&m.id), option),
                ]
            })
            .collect();
        blocks.push(table(
            format!("{agency}: answers beside the whole audit's"),
            vec!["Question".into(), agency.clone(), "All agencies".into()],
            rows,
        ));
    }
    blocks
}

/// Every comment, grouped by question, then case and agency, for the lead to pick quotes.
pub(super) fn comments_annex(audit: &Audit) -> Vec<Content> {
    let mut blocks = Vec::new();
    for question in &audit.bank.questions {
        let mut items: Vec<(&str, &str, &str)> = audit
            .returns
            .iter()
            .filter_map(|r| {
                r.comments
                    .get(&question.id)
                    .map(|c| (r.case.as_str(), r.agency.as_str(), c.as_str()))
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        items.sort();
        blocks.push(Content::Paragraph {
            number: None,
            runs: vec![Inline::Strong {
                text: format!("{}) {}", question.number, question.text),
            }],
        });
        blocks.push(Content::List {
            items: items
                .into_iter()
                .map(|(case, agency, comment)| {
                    vec![
                        Inline::Emph {
                            text: format!("{case}, {agency}: "),
                        },
                        Inline::Text {
                            text: comment.to_string(),
                        },
                    ]
                })
                .collect(),
        });
    }
    blocks
}
