//! What a chart says, before it is drawn: its bars from the collated figures as the edition
//! shows them (a withheld figure has no bar, only its reach; a re-audit's answers have the
//! earlier round's bar beside them), the rows of the table printed beside it, its intervals
//! and its alt text. Nothing here knows how a bar looks ([`super::draw`]).

use super::{Chart, ChartSet, Rounds};
use crate::collate::disclose::{Shown, ShownTally, disclose, largest_possible};
use crate::collate::numbers::{self, NO_RETURNS, WITHHELD};
use crate::collate::uncertainty::{Clustering, Interval, wilson_design};
use crate::collate::{Collation, Stats, Tally};
use crate::input::model::{Answers, ChartSpec, Neighbours, Question, QuestionKind, Stated};

/// One bar: a label, a percentage, and what to print beside the bar.
#[derive(Clone)]
pub(super) struct Bar {
    /// The option's or item's id: what pairs a bar with the earlier round's.
    pub(super) id: String,
    pub(super) label: String,
    pub(super) percent: f64,
    pub(super) note: String,
    /// The count and percentage as printed in a table.
    pub(super) count: String,
    pub(super) share: String,
    /// In a re-audit, the same answer's bar in the earlier round, drawn above it.
    pub(super) earlier: Option<Box<Bar>>,
    /// The count and base drawn, where shown.
    pub(super) shown: Option<(u32, u32)>,
    /// Its 95 % interval, drawn across the bar's end, where the edition shows them.
    pub(super) interval: Option<Interval>,
    /// The design effect its interval is widened by (returns cluster in cases).
    pub(super) deff: f64,
    /// A withheld figure's reach: the most it could be, in per cent, drawn as a hatched bar
    /// so it never reads as zero (what the edition's own figures give away, no more).
    pub(super) reach: Option<f64>,
}

impl Bar {
    /// A bar for `count` of `base` as the edition shows them, "12.0% (9 of 75)": one
    /// decimal and the base on every bar of every chart. A withheld figure (see `disclose`)
    /// has no bar, and "withheld" where its figures would be.
    pub(super) fn of(id: &str, label: String, count: Shown, base: Shown) -> Bar {
        let empty = |note: &str| Bar {
            id: id.to_string(),
            label: label.clone(),
            percent: 0.0,
            note: note.to_string(),
            count: note.to_string(),
            share: note.to_string(),
            earlier: None,
            shown: None,
            interval: None,
            deff: 1.0,
            reach: None,
        };
        let (Shown::Count(count), Shown::Count(base)) = (count, base) else {
            return empty(WITHHELD);
        };
        // A share of no returns is no figure: never "0.0% (0 of 0)".
        if base == 0 {
            return empty(NO_RETURNS);
        }
        let percent = 100.0 * f64::from(count) / f64::from(base);
        let share = format!("{}%", numbers::percent(count, base));
        let note = format!("{share} ({count} of {base})");
        Bar {
            id: id.to_string(),
            label,
            percent,
            note,
            count: count.to_string(),
            share,
            earlier: None,
            shown: Some((count, base)),
            interval: None,
            deff: 1.0,
            reach: None,
        }
    }

    /// A withheld bar drawn to the most it could be (`shown`'s count at `index`, read as
    /// `disclose`'s reader would), and labelled "fewer than 5" where it could only be that.
    fn withheld(self, shown: &ShownTally, index: usize, answers: Answers, below: u32) -> Bar {
        let Some(Some(most)) = largest_possible(shown, answers, below).get(index).copied() else {
            return self;
        };
        let reach = match shown.base.count() {
            Some(base) if base > 0 => 100.0 * f64::from(most.min(base)) / f64::from(base),
            // a withheld base: the share could be anything
            _ => 100.0,
        };
        let note = if most < below {
            numbers::fewer_than(below)
        } else {
            self.note.clone()
        };
        Bar {
            reach: Some(reach),
            note,
            ..self
        }
    }

    /// The earlier round's place for an option or item it did not have.
    fn new_this_round(&self, rounds: &Rounds) -> Bar {
        Bar {
            percent: 0.0,
            note: rounds.new.clone(),
            count: String::new(),
            share: rounds.new.clone(),
            earlier: None,
            shown: None,
            interval: None,
            reach: None,
            ..self.clone()
        }
    }
}

/// The neighbour chart's scale, reference line and highlighted row.
pub(super) struct Reference<'a> {
    /// The axis maximum.
    pub(super) scale: f64,
    /// The national figure, drawn as a line.
    pub(super) line: &'a Stated,
    /// The line's label ("England").
    pub(super) label: &'a str,
    /// The row drawn in the highlight colour (this authority).
    pub(super) highlight: usize,
    /// The axis's title, with its unit ("Repeat plans (%)"): the bars are values, not
    /// shares of returns.
    pub(super) axis: &'a str,
}

/// A question's bars as `set` shows them: in a re-audit (`rounds`), each with the earlier
/// round's bar of the same answer; with their 95 % intervals where the set draws them.
pub(super) fn bars_of_rounds(
    question: &Question,
    spec: &ChartSpec,
    stats: &Stats,
    set: ChartSet,
    rounds: Option<&Rounds>,
) -> Vec<Bar> {
    let suppress_below = set.suppress_below;
    let option = spec.option.as_deref();
    let mut bars = question_bars(
        question,
        option,
        &stats.all,
        &stats.clustering,
        suppress_below,
    );
    if let (Some(previous), Some(rounds)) = (&stats.previous, rounds) {
        let before = question_bars(
            question,
            option,
            &previous.all,
            &previous.clustering,
            suppress_below,
        );
        // (a question the earlier round did not ask is drawn alone, as before)
        for bar in bars.iter_mut().filter(|_| !before.is_empty()) {
            // Matched by id (two options may share a label); an option or item the
            // earlier round did not have reads "new this round" there.
            bar.earlier = Some(Box::new(
                before
                    .iter()
                    .find(|b| b.id == bar.id)
                    .cloned()
                    .unwrap_or_else(|| bar.new_this_round(rounds)),
            ));
        }
    }
    if set.intervals {
        for bar in &mut bars {
            bar.interval = bar.shown.and_then(|(k, n)| wilson_design(k, n, bar.deff));
            if let Some(earlier) = bar.earlier.as_mut() {
                earlier.interval = earlier
                    .shown
                    .and_then(|(k, n)| wilson_design(k, n, earlier.deff));
            }
        }
    }
    bars
}

/// A question's chart as drawn in `svg` from `bars`: its title, base, table rows, shares,
/// intervals and alt text.
pub(super) fn question_chart(
    question: &Question,
    spec: &ChartSpec,
    stats: &Stats,
    suppress_below: Option<u32>,
    rounds: Option<&Rounds>,
    bars: &[Bar],
    svg: String,
) -> Chart {
    let base = shown_base(question, stats, suppress_below);
    let share_of = checklist_share_of(question, spec);
    let title = match &share_of {
        Some(option) => format!("{}, share answering {option}", spec.title),
        None => spec.title.clone(),
    };
    let alt = alt_text(&title, base, bars, rounds);
    Chart {
        share_of,
        id: question.id.clone(),
        title: spec.title.clone(),
        svg,
        alt,
        base,
        rows: bars
            .iter()
            .map(|b| [b.label.clone(), b.count.clone(), b.share.clone()])
            .collect(),
        shares: bars.iter().map(|b| b.shown).collect(),
        intervals: bars
            .iter()
            .map(|b| b.shown.and_then(|(k, n)| wilson_design(k, n, b.deff)))
            .collect(),
        withheld_below: suppress_below.filter(|_| bars.iter().any(|b| b.count == WITHHELD)),
    }
}

/// The smallest and largest number of returns the chart's percentages are of. Only bases
/// the edition shows: a withheld base is not given away by the caption.
fn shown_base(
    question: &Question,
    stats: &Stats,
    suppress_below: Option<u32>,
) -> Option<(u32, u32)> {
    let bases: Vec<u32> = question
        .measures()
        .iter()
        .filter_map(|m| stats.all.measures.get(&m.id))
        .filter_map(|t| disclose(t, suppress_below).base.count())
        .collect();
    bases.iter().copied().min().zip(bases.iter().copied().max())
}

/// For a checklist, the answer whose share each bar is (the chart's option, or the first).
fn checklist_share_of(question: &Question, spec: &ChartSpec) -> Option<String> {
    (question.kind == QuestionKind::Checklist)
        .then(|| {
            let chosen = spec.option.as_deref();
            question
                .options
                .iter()
                .find(|o| Some(o.id.as_str()) == chosen)
                .or(question.options.first())
                .map(|o| o.chart_label().to_string())
        })
        .flatten()
}

/// A question's bars from `collation` (this round's, or the earlier round's under this
/// round's ids, where an option or item it did not have has no tally or count, and no bar).
fn question_bars(
    question: &Question,
    option: Option<&str>,
    collation: &Collation,
    clustering: &Clustering,
    suppress_below: Option<u32>,
) -> Vec<Bar> {
    let tally = |id: &str| collation.measures.get(id);
    let bar = |id: &str, label: &str, option: &str, t: &Tally, shown: &ShownTally| {
        let index = shown.counts.iter().position(|(o, _)| o == option)?;
        let k = shown.counts[index].1;
        let drawn = Bar {
            deff: clustering.design_effect(t.base, t.cases),
            ..Bar::of(id, label.to_string(), k, shown.base)
        };
        Some(match (k, suppress_below) {
            (Shown::Withheld, Some(below)) => drawn.withheld(shown, index, t.answers, below),
            _ => drawn,
        })
    };
    match question.kind {
        QuestionKind::Checklist => {
            let option = option
                .or(question.options.first().map(|o| o.id.as_str()))
                .unwrap_or("yes");
            question
                .measures()
                .into_iter()
                .filter_map(|m| {
                    let full = tally(&m.id)?;
                    let t = disclose(full, suppress_below);
                    let item = m.item?;
                    bar(&item.id, item.chart_label(), option, full, &t)
                })
                .collect()
        }
        _ => {
            let Some(full) = tally(&question.id) else {
                return Vec::new();
            };
            let t = disclose(full, suppress_below);
            question
                .options
                .iter()
                .filter_map(|o| bar(&o.id, o.chart_label(), &o.id, full, &t))
                .collect()
        }
    }
}

/// Chart text is drawn in Carlito alone (Typst resolves an SVG's font by name, without the
/// document's fallback faces), so a label with a character Carlito lacks is refused here,
/// with the question it belongs to, rather than failing the PDF export without a place.
pub(super) fn unprintable_labels(chart: &str, bars: &[Bar]) -> Result<(), String> {
    for bar in bars {
        let missing = crate::fonts::unprintable_in(&bar.label, crate::fonts::REGULAR);
        if !missing.is_empty() {
            let names: Vec<String> = missing
                .iter()
                .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
                .collect();
            return Err(format!(
                "the chart of `{chart}` cannot print {} in the label \"{}\": chart labels are set in Carlito; give the option a `label` without it",
                names.join(", "),
                bar.label
            ));
        }
    }
    Ok(())
}

/// The chart described for a reader who cannot see it: every bar's figures (a re-audit's
/// with the earlier round's), and its interval where drawn.
fn alt_text(
    title: &str,
    base: Option<(u32, u32)>,
    bars: &[Bar],
    rounds: Option<&Rounds>,
) -> String {
    let of = match base {
        Some((low, high)) if low == high => format!("{low} returns"),
        Some((low, high)) => format!("{low} to {high} returns"),
        None => format!("a {} number of returns", WITHHELD),
    };
    let parts: Vec<String> = bars
        .iter()
        .map(|b| match (&b.earlier, rounds) {
            (Some(e), Some(r)) => format!(
                "{}: {} {}, {} {}",
                b.label, r.earlier, e.note, r.this, b.note
            ),
            _ => format!("{}: {}", b.label, b.note),
        })
        .zip(bars)
        .map(|(part, b)| match b.interval {
            Some(i) => format!(
                "{part}, 95% interval {:.1} to {:.1}%",
                i.low * 100.0,
                i.high * 100.0
            ),
            None => part,
        })
        .collect();
    format!(
        "Bar chart, {title}, percentages of {of}. {}.",
        parts.join("; ")
    )
}

/// The neighbours' rows and this authority's last, every figure as the source states it
/// ("16", not "16.0").
fn stated_rows(table: &Neighbours) -> Vec<(&str, &Stated)> {
    let mut rows: Vec<(&str, &Stated)> = table
        .rows
        .iter()
        .map(|r| (r.name.as_str(), &r.value))
        .collect();
    rows.push((
        table.this_authority.name.as_str(),
        &table.this_authority.value,
    ));
    rows
}

/// The neighbour chart's bars, values on a scale of whole fives above the largest (England's
/// included), and its reference: England's line, this authority's bar highlighted.
pub(super) fn neighbour_bars(table: &Neighbours) -> (Vec<Bar>, Reference<'_>) {
    let rows = stated_rows(table);
    let max = rows
        .iter()
        .map(|r| r.1.number)
        .fold(table.england.number, f64::max);
    let scale = (max / 5.0).ceil() * 5.0;
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(name, value)| Bar {
            id: (*name).to_string(),
            label: (*name).to_string(),
            percent: 100.0 * value.number / scale,
            note: value.text.clone(),
            count: String::new(),
            share: value.text.clone(),
            earlier: None,
            shown: None,
            interval: None,
            deff: 1.0,
            reach: None,
        })
        .collect();
    let reference = Reference {
        scale,
        line: &table.england,
        label: table.england_label.as_deref().unwrap_or("England"),
        highlight: rows.len() - 1,
        axis: &table.measure,
    };
    (bars, reference)
}

/// The neighbour chart as drawn in `svg`, with its alt text.
pub(super) fn neighbour_chart(table: &Neighbours, svg: String) -> Chart {
    let parts: Vec<String> = stated_rows(table)
        .iter()
        .map(|(n, v)| format!("{n}: {}", v.text))
        .collect();
    let alt = format!(
        "Bar chart, {}. {}; {} {}.",
        table.title,
        parts.join("; "),
        table.england_label.as_deref().unwrap_or("England average"),
        table.england.text
    );
    Chart {
        id: "neighbours".into(),
        title: table.title.clone(),
        svg,
        alt,
        base: None,
        rows: Vec::new(),
        shares: Vec::new(),
        intervals: Vec::new(),
        withheld_below: None,
        share_of: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_withheld_when_asked() {
        let shown = Bar::of("no", "No".into(), Shown::Withheld, Shown::Count(70));
        assert_eq!(
            (shown.note.as_str(), shown.percent, shown.share.as_str()),
            ("withheld", 0.0, "withheld")
        );
        let kept = Bar::of("yes", "Yes".into(), Shown::Count(58), Shown::Count(70));
        assert_eq!(kept.note, "82.9% (58 of 70)");
        let none = Bar::of(
            "child",
            "Child or parent".into(),
            Shown::Count(0),
            Shown::Count(75),
        );
        assert_eq!(none.note, "0.0% (0 of 75)", "zero reveals nobody");
        // a share of no returns is no figure: never "0.0% (0 of 0)"
        let nobody = Bar::of("yes", "Yes".into(), Shown::Count(0), Shown::Count(0));
        assert_eq!((nobody.note.as_str(), nobody.shown), ("no returns", None));
    }
}
