//! The document set in the house style (`crate::style`, docs/house-style.md) once it is
//! built, so the PDF, Word and web files all print the same text.

use super::{Content, Document, Inline};
use crate::style::{curly_quotes, text, year_ranges};

/// A date written `YYYY-MM-DD` (an action's `due`) as printed; anything else as written
/// (`check` has already said what is wrong with it).
pub fn date_from(text: &str) -> String {
    match crate::check::parse_date(text) {
        Some(ymd) => crate::style::date(ymd),
        None => text.to_string(),
    }
}

fn set(s: &mut String) {
    *s = text(s);
}

/// Runs of one paragraph: a quotation mark's side may depend on the run before it.
fn set_runs(runs: &mut [Inline]) {
    let mut before = None;
    for run in runs {
        match run {
            Inline::Text { text: t }
            | Inline::Strong { text: t }
            | Inline::Emph { text: t }
            | Inline::Ref { text: t, .. } => {
                *t = curly_quotes(&year_ranges(t), before);
                before = t.chars().last().or(before);
            }
            Inline::Footnote { body } => set_runs(body),
        }
    }
}

/// Every text of `document` in the house style (what a reader sees; labels, paths and ids
/// are left alone).
pub fn restyle(document: &mut Document) {
    set(&mut document.title);
    document.cover.iter_mut().for_each(set);
    set(&mut document.header);
    document.chart_table_header.iter_mut().for_each(set);
    for section in &mut document.sections {
        set(&mut section.heading);
        for block in &mut section.blocks {
            restyle_block(block);
        }
    }
}

fn restyle_block(block: &mut Content) {
    let all = |v: &mut Vec<String>| v.iter_mut().for_each(set);
    match block {
        Content::Subheading { text, .. } | Content::PageHeading { text, .. } => set(text),
        Content::Paragraph { runs, .. } | Content::Quote { runs } => set_runs(runs),
        Content::List { items } => items.iter_mut().for_each(|i| set_runs(i)),
        Content::Question {
            text,
            choices,
            chart,
            table,
            table_caption,
        } => {
            set(text);
            all(choices);
            if let Some(chart) = chart {
                set(&mut chart.caption);
                set(&mut chart.alt);
            }
            for row in table.iter_mut().flatten() {
                row.iter_mut().for_each(set);
            }
            table_caption.iter_mut().for_each(set);
        }
        Content::Table {
            caption,
            header,
            rows,
            footer,
            note,
        } => {
            set(caption);
            all(header);
            rows.iter_mut().chain(footer.iter_mut()).for_each(all);
            note.iter_mut().for_each(set);
        }
        Content::Chart { figure } => {
            set(&mut figure.caption);
            set(&mut figure.alt);
        }
        Content::Finding {
            title,
            runs,
            challenge_title,
            challenge,
            ..
        } => {
            set(title);
            set_runs(runs);
            set(challenge_title);
            challenge.iter_mut().for_each(|i| set_runs(i));
        }
        Content::ActionPlan {
            caption,
            header,
            rows,
        } => {
            set(caption);
            all(header);
            for row in rows {
                row.cells.iter_mut().for_each(set);
                set(&mut row.status);
            }
        }
        Content::TemplateQuestion {
            text,
            items,
            options,
            note,
            ..
        } => {
            set(text);
            all(items);
            all(options);
            note.iter_mut().for_each(set);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_due_date_prints_in_the_house_style() {
        assert_eq!(date_from("2014-07-31"), "31 July 2014");
        assert_eq!(date_from("by summer"), "by summer");
    }

    #[test]
    fn a_quote_closes_across_runs() {
        let mut runs = vec![
            Inline::Text {
                text: "said \"".into(),
            },
            Inline::Emph {
                text: "enough".into(),
            },
            Inline::Text {
                text: "\" then".into(),
            },
        ];
        set_runs(&mut runs);
        let printed = super::super::printed_text(&runs);
        assert_eq!(printed, "said “enough” then");
    }
}
