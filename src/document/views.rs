//! Generated views for the audit lead's edition: a page per case, figures by agency, and
//! every comment by question. Each returns content blocks for `document::build`.

use super::{Content, Filler, Inline};
use crate::check::Audit;
use crate::collate::Stats;
use serde_json::json;
use std::collections::BTreeMap;

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
/// report's own figures, short enough for a case's page. A yes/no question (its first option
/// `yes`), a checklist item, or a question whose chart names its option give that one
/// option, each agency's answer in words under it; any other question gives a row for each
/// option, since no one option sums it up, and so does one whose answers are too long for an
/// agency's narrow column.
fn headline_rows(audit: &Audit) -> Vec<ViewRow> {
    let mut rows = Vec::new();
    for question in audit.bank.questions.iter().filter(|q| q.chart.is_some()) {
        let named = question.chart.as_ref().is_some_and(|c| c.option.is_some());
        let yes_no = question.options.first().is_some_and(|o| o.id == "yes");
        let checklist = question.kind == crate::input::model::QuestionKind::Checklist;
        // (an agency's column is about 2 cm: "No, we do not have information to contribute"
        // took four lines there, hyphenated, its last "tribute")
        let short =
            (question.options.iter()).all(|o| o.chart_label().chars().count() <= SHORT_ANSWER);
        let one = (named || yes_no || checklist) && short;
        let options: Vec<&crate::input::model::Choice> = if one {
            headline(question).into_iter().collect()
        } else {
            question.options.iter().collect()
        };
        for measure in question.measures() {
            for (i, option) in options.iter().enumerate() {
                let (measure, option_id, label) = row(question, &measure, option);
                // The question once, then its options alone.
                let label = if i == 0 {
                    label
                } else {
                    format!("… {}", option.chart_label())
                };
                let option = option_id;
                rows.push(ViewRow {
                    measure,
                    option,
                    label,
                    per_option: !one,
                });
            }
        }
    }
    rows
}

/// The longest answer, in characters, an agency's column of a case's table prints in words:
/// two lines of it ("Not applicable", "Don't know").
const SHORT_ANSWER: usize = 20;

/// One row of a view.
struct ViewRow {
    measure: crate::input::model::Measure,
    /// The option whose share the row gives.
    option: String,
    /// "2 Supervision: Yes".
    label: String,
    /// One of several rows of a question, one per option: an agency's cell marks whether it
    /// chose this option, rather than repeating its answer on every row.
    per_option: bool,
}

/// One row of a view: the measure, the option's id, and its label.
fn row(
    question: &crate::input::model::Question,
    measure: &crate::input::model::Measure,
    option: &crate::input::model::Choice,
) -> (crate::input::model::Measure, String, String) {
    let what = match &measure.item {
        Some(item) => item.chart_label().to_string(),
        None => question
            .chart
            .as_ref()
            .map_or_else(|| question.text.clone(), |c| c.title.clone()),
    };
    let label = format!("{} {what}: {}", question.number, option.chart_label());
    (measure.clone(), option.id.clone(), label)
}

fn share(tally: Option<&crate::collate::Tally>, option: &str) -> String {
    match tally {
        Some(t) if t.base > 0 => {
            let k = t.count(option).unwrap_or(0);
            // Non-breaking spaces: a narrow column breaks before the count, not inside it.
            format!(
                "{}% ({k}\u{a0}of\u{a0}{})",
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
pub(super) fn case_summaries(audit: &Audit, stats: &Stats, filler: &Filler) -> Vec<Content> {
    let words = &filler.wording.views;
    let fill =
        |template: &str, data: serde_json::Value| filler.fill(template, &data).unwrap_or_default();
    let measures = headline_rows(audit);
    // (each case's returns and outstanding agencies, found once: a 10,000-case audit has
    // 60,000 returns)
    let mut by_case: BTreeMap<&str, Vec<&crate::check::Return>> = BTreeMap::new();
    for r in &audit.returns {
        by_case.entry(r.case.as_str()).or_default().push(r);
    }
    let mut outstanding: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (case, agency) in audit.outstanding() {
        outstanding.entry(case).or_default().push(agency);
    }
    let mut blocks = Vec::new();
    for case in &audit.cases {
        let returns = by_case.remove(case.id.as_str()).unwrap_or_default();
        let data = json!({
            "case": case.id,
            "category": case.category,
            "age_band": case.age_band,
            "gender": case.gender,
            "interval_months": case.interval_months,
            "returned": returns.len(),
            "requested": case.requested.len(),
        });
        blocks.push(Content::PageHeading {
            text: fill(&words.case_heading, data.clone()),
            new_page: !blocks.is_empty(),
        });
        let text = fill(&words.case_line, data.clone());
        blocks.push(Content::Paragraph {
            number: None,
            runs: vec![Inline::Text { text }],
        });
        if let Some(agencies) = outstanding.get(case.id.as_str()) {
            let agencies = agencies.join(", ");
            let text = fill(&words.case_outstanding, json!({ "agencies": agencies }));
            blocks.push(Content::Paragraph {
                number: None,
                runs: vec![Inline::Text { text }],
            });
        }
        let mut header = vec![words.question.clone()];
        header.extend(returns.iter().map(|r| r.agency.clone()));
        header.extend([words.this_case.clone(), words.all_cases.clone()]);
        let rows = measures
            .iter()
            .map(|row| case_row(row, &returns, stats, &case.id))
            .collect();
        blocks.push(table(fill(&words.case_table, data), header, rows));
        blocks.extend(case_comments(audit, &returns, &words.case_comments));
    }
    blocks
}

/// A case's comments under its table, by question in the template's order, then agency as
/// its returns came: the lead reads the case whole on its page (the comments appendix,
/// where the edition has one, gives them all again by question).
fn case_comments(audit: &Audit, returns: &[&crate::check::Return], heading: &str) -> Vec<Content> {
    let items: Vec<Vec<Inline>> = (audit.bank.questions.iter())
        .flat_map(|question| {
            returns.iter().filter_map(move |r| {
                let comment = r.comments.get(&question.id)?;
                Some(said(
                    format!("{}) {}: ", question.number, r.agency),
                    comment,
                ))
            })
        })
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    vec![
        Content::Paragraph {
            number: None,
            runs: vec![Inline::Strong {
                text: heading.to_string(),
            }],
        },
        Content::List { items },
    ]
}

/// One row of a case's table: the measure's label, each return's answer (a dot under each
/// agency that chose the option, for a question of many options), the case's share and
/// the audit's.
fn case_row(
    view: &ViewRow,
    returns: &[&crate::check::Return],
    stats: &Stats,
    case: &str,
) -> Vec<String> {
    let ViewRow {
        measure,
        option,
        label,
        per_option,
    } = view;
    let mut row = vec![label.clone()];
    for r in returns {
        let chosen = r.answers.get(&measure.id);
        if *per_option {
            let chose = chosen.is_some_and(|c| c.contains(option));
            row.push(if chose { "•".into() } else { String::new() });
            continue;
        }
        let answer = chosen.map(|chosen| {
            chosen
                .iter()
                .map(|id| {
                    (measure.options.iter().find(|o| &o.id == id))
                        .map_or(id.as_str(), |o| o.chart_label())
                })
                .collect::<Vec<_>>()
                .join("; ")
        });
        row.push(answer.unwrap_or_else(|| "–".into()));
    }
    let this_case = stats.by_case.get(case);
    row.push(share(
        this_case.and_then(|c| c.measures.get(&measure.id)),
        option,
    ));
    row.push(share(stats.all.measures.get(&measure.id), option));
    row
}

/// Returns requested and received per agency, and each agency's figures beside the audit's.
pub(super) fn agency_figures(audit: &Audit, stats: &Stats, filler: &Filler) -> Vec<Content> {
    let words = &filler.wording.views;
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
        words.all_agencies.clone(),
        t.requests.to_string(),
        t.returns.to_string(),
        rate(t.returns, t.requests),
    ]);
    let mut blocks = vec![table(
        words.agencies_caption.clone(),
        words.agencies_header.clone(),
        rows,
    )];
    blocks.push(outstanding(audit, stats, filler));
    let measures = headline_rows(audit);
    for (agency, (_, collation)) in &stats.by_agency {
        let rows = measures
            .iter()
            .map(
                |ViewRow {
                     measure: m,
                     option,
                     label,
                     ..
                 }| {
                    vec![
                        label.clone(),
                        share(collation.measures.get(&m.id), option),
                        share(stats.all.measures.get(&m.id), option),
                    ]
                },
            )
            .collect();
        blocks.push(table(
            filler
                .fill(&words.agency_table, &json!({ "agency": agency }))
                .unwrap_or_default(),
            vec![
                words.question.clone(),
                agency.clone(),
                words.all_agencies.clone(),
            ],
            rows,
        ));
    }
    blocks
}

/// The returns asked for that have not come back, a row per case and agency in cases.yaml's
/// order (the lead's list of whom to chase); a sentence saying so when there are none, not
/// an empty table.
fn outstanding(audit: &Audit, stats: &Stats, filler: &Filler) -> Content {
    let words = &filler.wording.views;
    let rows: Vec<Vec<String>> = audit
        .outstanding()
        .into_iter()
        .map(|(case, agency)| vec![case.to_string(), agency.to_string()])
        .collect();
    if rows.is_empty() {
        let text = filler
            .fill(
                &words.none_outstanding,
                &json!({ "requested": stats.totals.requests }),
            )
            .unwrap_or_default();
        return Content::Paragraph {
            number: None,
            runs: vec![Inline::Text { text }],
        };
    }
    table(
        words.outstanding_caption.clone(),
        words.outstanding_header.clone(),
        rows,
    )
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
                .map(|(case, agency, comment)| said(format!("{case}, {agency}: "), comment))
                .collect(),
        });
    }
    blocks
}

/// A comment as a list item: who said it, in italics (`whose`), then its words as written.
fn said(whose: String, comment: &str) -> Vec<Inline> {
    vec![
        Inline::Emph { text: whose },
        Inline::Text {
            text: comment.to_string(),
        },
    ]
}
