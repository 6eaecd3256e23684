//! The slides: the scope, a slide per chart the lead picked, the findings, the
//! recommendations, the action plan where there is one, questions where there are.

use super::{Paper, SlidesWording, footnotes_file, paragraph, section, text_run};
use crate::document::prose::Inline;
use crate::document::{ActionRow, Content, Printed, Section};
use crate::input::Parsed;
use crate::input::model::SectionFile;
use crate::input::model::{Block, BlockKind};
use crate::input::pack::{PackText, SlidesText};

/// The slides: the scope, a slide per chart the lead picked, the findings, the
/// recommendations, the action plan where there is one, questions where there are. Each
/// section is a slide (the title slide is the layout's); a list too long for one slide
/// runs on to the next.
pub(super) fn slides(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &SlidesText,
    words: &SlidesWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let mut cover: Vec<String> = text.subtitle.iter().cloned().collect();
    cover.extend(paper.lines(&words.lines));
    let mut sections = Vec::new();
    scope_slide(paper, words, &mut sections);
    chart_slides(paper, parsed, &file, text, &mut sections);
    finding_slides(paper, words, &mut sections);
    action_slides(paper, words, &mut sections);
    if !text.questions.is_empty() {
        let at = place(&sections, &words.questions_title);
        let items = (text.questions.iter().enumerate())
            .map(|(q, item)| paper.prose(parsed, &file, &["questions", &q.to_string()], item, &at))
            .collect();
        sections.push(section(
            words.questions_title.clone(),
            "questions",
            vec![Content::List { items }],
        ));
    }
    (paper.audit.info.title.clone(), cover, sections)
}

/// Where the next slide is, for a problem in it: by its number and heading (the title
/// slide is slide 1).
fn place(sections: &[Section], heading: &str) -> String {
    format!("slide {} ({heading})", sections.len() + 2)
}

/// The scope: the pack's standard lines, figures filled in.
fn scope_slide(paper: &mut Paper, words: &SlidesWording, sections: &mut Vec<Section>) {
    let at = place(sections, &words.scope_title);
    let scope = (words.scope.iter())
        .map(|line| vec![text_run(paper.figures_line(line, &at))])
        .collect();
    sections.push(section(
        words.scope_title.clone(),
        "scope",
        vec![Content::List { items: scope }],
    ));
}

/// A slide per chart the lead picked: the lead's message about it, then the question and
/// its chart as the report writes them.
fn chart_slides(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    file: &SectionFile,
    text: &SlidesText,
    sections: &mut Vec<Section>,
) {
    for (c, slide) in text.charts.iter().enumerate() {
        let question = paper
            .audit
            .bank
            .questions
            .iter()
            .find(|q| q.id == slide.question);
        let title = question
            .and_then(|q| q.chart.as_ref())
            .map_or_else(|| slide.question.clone(), |chart| chart.title.clone());
        let at = place(sections, &title);
        let mut blocks = Vec::new();
        if let Some(message) = &slide.message {
            let path = ["charts", &c.to_string(), "message"];
            blocks.push(paragraph(paper.prose(parsed, file, &path, message, &at)));
        }
        let block = Block {
            kind: BlockKind::Question(slide.question.clone()),
            editions: Vec::new(),
        };
        let path = ["charts", &c.to_string(), "question"];
        blocks.extend(paper.blocks(parsed, file, &path[..2], std::slice::from_ref(&block), &at));
        sections.push(section(title, &format!("chart-{}", slide.question), blocks));
    }
}

/// The findings, then the recommendations (each finding's challenge), each list running on
/// over as many slides as it needs.
fn finding_slides(paper: &mut Paper, words: &SlidesWording, sections: &mut Vec<Section>) {
    let at = place(sections, &words.findings_title);
    let findings = paper.findings(&at);
    let items = super::finding_items(&findings);
    let recommendations: Vec<Vec<Inline>> = findings.into_iter().flat_map(|(_, _, c)| c).collect();
    for (title, label, items) in [
        (&words.findings_title, "findings", items),
        (
            &words.recommendations_title,
            "recommendations",
            recommendations,
        ),
    ] {
        let runs = run_on(items, 750);
        let of = runs.len();
        for (n, items) in runs.into_iter().enumerate() {
            let heading = continued(paper, words, title, n, of);
            sections.push(section(
                heading,
                &format!("{label}-{}", n + 1),
                vec![Content::List { items }],
            ));
        }
    }
}

/// The action plan, six actions a slide.
fn action_slides(paper: &mut Paper, words: &SlidesWording, sections: &mut Vec<Section>) {
    let rows = action_rows(paper);
    let of = rows.len().div_ceil(6);
    for (n, rows) in rows.chunks(6).enumerate() {
        let heading = continued(paper, words, &words.actions_title, n, of);
        let plan = Content::ActionPlan {
            caption: String::new(),
            header: words.actions_header.clone(),
            rows: rows.to_vec(),
        };
        sections.push(section(heading, &format!("actions-{}", n + 1), vec![plan]));
    }
}

/// The heading of the `n`th of `of` slides a list runs on over: the title alone when one
/// slide holds it all.
fn continued(paper: &mut Paper, words: &SlidesWording, title: &str, n: usize, of: usize) -> String {
    if of > 1 {
        paper.fill(
            &words.continued,
            serde_json::json!({ "title": title, "number": n + 1, "of": of }),
        )
    } else {
        title.to_string()
    }
}

/// `items` in runs of about `budget` characters each, a slide's worth: an item never split,
/// each run at least one item.
fn run_on(items: Vec<Vec<Inline>>, budget: usize) -> Vec<Vec<Vec<Inline>>> {
    let mut runs: Vec<Vec<Vec<Inline>>> = Vec::new();
    let mut used = 0;
    for item in items {
        let size = crate::document::printed_text(&item).chars().count();
        match runs.last_mut() {
            Some(run) if used + size <= budget => run.push(item),
            _ => {
                runs.push(vec![item]);
                used = 0;
            }
        }
        used += size;
    }
    runs
}

/// Every action of the narrative's findings: what, when, and where it stands (in words, and
/// as a colour), its words recorded for the guard.
fn action_rows(paper: &mut Paper) -> Vec<ActionRow> {
    let statuses = &paper.filler.wording.action_plan.statuses;
    let mut rows = Vec::new();
    for section in &paper.audit.sections {
        for (f, finding) in section.value.findings.iter().enumerate() {
            for (a, action) in finding.actions.iter().enumerate() {
                paper.printed.push(Printed {
                    file: section.source.path.clone(),
                    path: [
                        "findings",
                        &f.to_string(),
                        "actions",
                        &a.to_string(),
                        "what",
                    ]
                    .map(String::from)
                    .to_vec(),
                    text: action.what.clone(),
                });
                let id = action.status.id();
                rows.push(ActionRow {
                    cells: vec![
                        action.what.clone(),
                        crate::document::style::date_from(&action.due),
                    ],
                    status: statuses.get(id).cloned().unwrap_or_else(|| id.to_string()),
                    rag: crate::document::plan::status_colour(action, paper.audit.date),
                });
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_runs_on_to_the_next_slide_never_splitting_an_item() {
        let item = |n: usize| {
            vec![Inline::Text {
                text: "x".repeat(n),
            }]
        };
        let runs = run_on(vec![item(400), item(300), item(100), item(900)], 750);
        let sizes: Vec<Vec<usize>> = runs
            .iter()
            .map(|run| {
                run.iter()
                    .map(|i| crate::document::printed_text(i).len())
                    .collect()
            })
            .collect();
        assert_eq!(sizes, [vec![400, 300], vec![100], vec![900]]);
    }
}
