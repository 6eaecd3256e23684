//! Chart (stage 4, after collate, before the document that places them): &[`Stats`] → one
//! SVG bar chart per charted question, and the statistical-neighbour chart, drawn with
//! plotters.
//!
//! Bars are horizontal so long option wordings stay readable; each bar carries its percentage
//! and count, so the chart reads without colour. Text is set in the report's face (Carlito),
//! registered with plotters for measuring and named in the SVG so Typst draws the same face.
//!
//! About 620 lines with its tests: the two charts share their drawing and text measuring,
//! each step (grid, bar, reference line, values) a function of its own.

use crate::check::Audit;
use crate::collate::disclose::{Shown, ShownTally, disclose, largest_possible};
use crate::collate::numbers::{self, NO_RETURNS, WITHHELD, one_decimal};
use crate::collate::uncertainty::{Clustering, Interval, wilson_design};
use crate::collate::{Collation, Stats};
use crate::input::model::{Answers, Neighbours, QuestionKind};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

/// The face charts are set in; the same bytes are given to Typst.
pub const FONT_FAMILY: &str = "Carlito";
/// Okabe–Ito blue: distinct for every common colour-vision deficiency, and 5.2:1 against white.
const BAR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe–Ito vermilion, for this authority's bar in the neighbour chart.
const MARK: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
/// The earlier round's bars in a re-audit: a light tint of the bar colour, outlined in it.
const EARLIER: RGBColor = RGBColor(0xCC, 0xE3, 0xF0);

const WIDTH: u32 = 1000;
const LABEL_WIDTH: i32 = 400;
const BAR_LEFT: i32 = 420;
const BAR_RIGHT: i32 = 800;
const ROW: i32 = 46;
const TOP: i32 = 16;
/// plotters writes SVG font sizes as the given size ÷ 1.24, and measures at the given size;
/// text is measured with a font of the size it will be drawn at, so wrapping is exact.
const FONT_SIZE: f64 = 28.0;
const SVG_SCALE: f64 = 1.24;

/// How a chart is drawn: its type's size and where its bars end. A slide's chart has larger
/// type in the same width, to be read from the back of a room (at a slide's full width its
/// labels are about 26 pt); its bars end sooner, leaving room for the values.
#[derive(Debug, Clone, Copy)]
struct Geometry {
    font: f64,
    bar_right: i32,
}

const NORMAL: Geometry = Geometry {
    font: FONT_SIZE,
    bar_right: BAR_RIGHT,
};
const LARGE: Geometry = Geometry {
    font: 36.0,
    bar_right: 680,
};

/// One drawn chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The question id (or `neighbours`): also the file name, `charts/<id>.svg`.
    pub id: String,
    /// The chart's title.
    pub title: String,
    /// The SVG text.
    pub svg: String,
    /// A description of the chart for readers who cannot see it, from its data.
    pub alt: String,
    /// The number of returns the percentages are of (smallest and largest base shown); `None`
    /// when the edition withholds every base.
    pub base: Option<(u32, u32)>,
    /// The figures drawn, as rows (label, count, percentage) for a table beside the chart.
    pub rows: Vec<[String; 3]>,
    /// Each row's count and base, where the edition shows them (for its 95 % interval).
    pub shares: Vec<Option<(u32, u32)>>,
    /// Each row's 95 % interval, widened by its design effect (returns cluster in cases),
    /// where its figures are shown.
    pub intervals: Vec<Option<Interval>>,
    /// The edition's threshold, when the chart withholds any figure under it.
    pub withheld_below: Option<u32>,
    /// For a checklist, the answer whose share each bar is ("Yes").
    pub share_of: Option<String>,
}

/// One bar: a label, a percentage, and what to print beside the bar.
#[derive(Clone)]
struct Bar {
    /// The option's or item's id: what pairs a bar with the earlier round's.
    id: String,
    label: String,
    percent: f64,
    note: String,
    /// The count and percentage as printed in a table.
    count: String,
    share: String,
    /// In a re-audit, the same answer's bar in the earlier round, drawn above it.
    earlier: Option<Box<Bar>>,
    /// The count and base drawn, where shown.
    shown: Option<(u32, u32)>,
    /// Its 95 % interval, drawn across the bar's end, where the edition shows them.
    interval: Option<Interval>,
    /// The design effect its interval is widened by (returns cluster in cases).
    deff: f64,
    /// A withheld figure's reach: the most it could be, in per cent, drawn as a hatched bar
    /// so it never reads as zero (what the edition's own figures give away, no more).
    reach: Option<f64>,
}

impl Bar {
    /// A bar for `count` of `base` as the edition shows them, "12.0% (9 of 75)": one
    /// decimal and the base on every bar of every chart. A withheld figure (see `disclose`)
    /// has no bar, and "withheld" where its figures would be.
    fn of(id: &str, label: String, count: Shown, base: Shown) -> Bar {
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

/// What a re-audit's paired bars are: the earlier round's label and this round's, for the
/// legend and the alt text.
#[derive(Debug, Clone)]
pub struct Rounds {
    /// The earlier round ("Earlier audit (January and February 2014)").
    pub earlier: String,
    /// This round ("This audit (January 2015)").
    pub this: String,
    /// What stands for the earlier round's figure of an option or item new this round.
    pub new: String,
}

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in, so registration cannot fail on a valid build.
        let _ =
            plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, crate::fonts::REGULAR);
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, crate::fonts::BOLD);
    });
}

/// Which charts an edition needs: its small-number threshold, and whether its bars carry
/// their 95 % intervals (the lead's copy). Editions that agree share one set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChartSet {
    /// Counts from 1 up to one less than this are withheld.
    pub suppress_below: Option<u32>,
    /// Each bar carries its 95 % interval.
    pub intervals: bool,
    /// Large type, for slides.
    pub large: bool,
}

impl ChartSet {
    /// The charts `edition` shows.
    pub fn of(edition: &crate::edition::Edition) -> ChartSet {
        ChartSet {
            suppress_below: edition.suppress_below,
            intervals: edition.intervals,
            large: edition.kind == crate::edition::Kind::Slides,
        }
    }

    fn geometry(&self) -> Geometry {
        if self.large { LARGE } else { NORMAL }
    }

    /// The folder of `charts/` this set is written to ("" for the first, plain set).
    pub fn folder(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.suppress_below {
            parts.push(format!("fewer-than-{n}"));
        }
        if self.intervals {
            parts.push("with-intervals".to_string());
        }
        if self.large {
            parts.push("large".to_string());
        }
        parts.join("-")
    }
}

/// The charts of every edition: one set per threshold and interval choice in use (most
/// editions share the first).
pub fn render_editions(
    audit: &Audit,
    stats: &Stats,
    editions: &[crate::edition::Edition],
    rounds: Option<&Rounds>,
) -> Result<std::collections::BTreeMap<ChartSet, Vec<Chart>>, crate::diag::Diagnostic> {
    let mut charts = std::collections::BTreeMap::new();
    for edition in editions {
        let set = ChartSet::of(edition);
        if let std::collections::btree_map::Entry::Vacant(slot) = charts.entry(set) {
            slot.insert(
                render(audit, stats, set, rounds).map_err(crate::diag::Diagnostic::general)?,
            );
        }
    }
    Ok(charts)
}

/// Draws a chart for every charted question (all cases together), in question-bank order.
///
/// With `suppress_below`, what `disclose` withholds is drawn as "withheld", with no bar and
/// no percentage (an edition for readers outside the board). In a re-audit (`rounds`, and
/// the earlier round's figures in `stats`), each answer's bar has the earlier round's above it.
pub fn render(
    audit: &Audit,
    stats: &Stats,
    set: ChartSet,
    rounds: Option<&Rounds>,
) -> Result<Vec<Chart>, String> {
    let suppress_below = set.suppress_below;
    let earlier = stats.previous.as_ref().map(|p| &p.all);
    let rounds = rounds.filter(|_| earlier.is_some());
    register_fonts();
    let mut charts = Vec::new();
    for question in &audit.bank.questions {
        let Some(spec) = &question.chart else {
            continue;
        };
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
        // Only bases the edition shows: a withheld base is not given away by the caption.
        let bases: Vec<u32> = question
            .measures()
            .iter()
            .filter_map(|m| stats.all.measures.get(&m.id))
            .filter_map(|t| disclose(t, suppress_below).base.count())
            .collect();
        let base = bases.iter().copied().min().zip(bases.iter().copied().max());
        unprintable_labels(&question.id, &bars)?;
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
        let svg = draw(&bars, None, rounds, set.geometry())?;
        let share_of = (question.kind == QuestionKind::Checklist)
            .then(|| {
                let chosen = spec.option.as_deref();
                question
                    .options
                    .iter()
                    .find(|o| Some(o.id.as_str()) == chosen)
                    .or(question.options.first())
                    .map(|o| o.chart_label().to_string())
            })
            .flatten();
        let title = match &share_of {
            Some(option) => format!("{}, share answering {option}", spec.title),
            None => spec.title.clone(),
        };
        let alt = alt_text(&title, base, &bars, rounds);
        charts.push(Chart {
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
        });
    }
    if let Some(neighbours) = &audit.neighbours {
        let chart = neighbour_chart(&neighbours.value, set.geometry())?;
        charts.push(chart);
    }
    Ok(charts)
}

/// Chart text is drawn in Carlito alone (Typst resolves an SVG's font by name, without the
/// document's fallback faces), so a label with a character Carlito lacks is refused here,
/// with the question it belongs to, rather than failing the PDF export without a place.
fn unprintable_labels(chart: &str, bars: &[Bar]) -> Result<(), String> {
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

/// A question's bars from `collation` (this round's, or the earlier round's under this
/// round's ids, where an option or item it did not have has no tally or count, and no bar).
fn question_bars(
    question: &crate::input::model::Question,
    option: Option<&str>,
    collation: &Collation,
    clustering: &Clustering,
    suppress_below: Option<u32>,
) -> Vec<Bar> {
    let tally = |id: &str| collation.measures.get(id);
    let bar =
        |id: &str, label: &str, option: &str, t: &crate::collate::Tally, shown: &ShownTally| {
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

fn neighbour_chart(table: &Neighbours, g: Geometry) -> Result<Chart, String> {
    // Every figure drawn and written as the source states it ("16", not "16.0").
    let mut rows: Vec<(&str, &crate::input::model::Stated)> = table
        .rows
        .iter()
        .map(|r| (r.name.as_str(), &r.value))
        .collect();
    rows.push((
        table.this_authority.name.as_str(),
        &table.this_authority.value,
    ));
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
    unprintable_labels("neighbours", &bars)?;
    let highlight = rows.len() - 1;
    let england = &table.england;
    let svg = draw(
        &bars,
        Some(Reference {
            scale,
            line: england,
            label: table.england_label.as_deref().unwrap_or("England"),
            highlight,
            axis: &table.measure,
        }),
        None,
        g,
    )?;
    let parts: Vec<String> = rows
        .iter()
        .map(|(n, v)| format!("{n}: {}", v.text))
        .collect();
    let alt = format!(
        "Bar chart, {}. {}; {} {}.",
        table.title,
        parts.join("; "),
        table.england_label.as_deref().unwrap_or("England average"),
        england.text
    );
    Ok(Chart {
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
    })
}

/// Splits `text` into lines no wider than `width` in the chart font.
fn wrap(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    text: &str,
    font: &TextStyle,
    width: u32,
) -> Vec<String> {
    let fits = |s: &str| {
        area.estimate_text_size(s, font)
            .map(|(w, _)| w <= width)
            .unwrap_or(true)
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    // A word wider than the column on its own (a long reference, a run with no space) is
    // cut where it fills a line: drawn whole, it ran off the chart's edge and was clipped.
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if fits(word) {
            words.push(word.to_string());
            continue;
        }
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if !fits(&piece) && piece.chars().count() > 1 {
                piece.pop();
                words.push(std::mem::replace(&mut piece, c.to_string()));
            }
        }
        words.push(piece);
    }
    for word in &words {
        let word = word.as_str();
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    // No lone last word ("…involved at the / time"): the line before gives one up while the
    // last still fits.
    let n = lines.len();
    if n >= 2 && !lines[n - 1].contains(' ') {
        let before = lines[n - 2].clone();
        if let Some((rest, word)) = before.rsplit_once(' ') {
            let joined = format!("{word} {}", lines[n - 1]);
            if fits(&joined) {
                lines[n - 1] = joined;
                lines[n - 2] = rest.to_string();
            }
        }
    }
    lines
}

/// The neighbour chart's scale, reference line and highlighted row.
struct Reference<'a> {
    /// The axis maximum.
    scale: f64,
    /// The national figure, drawn as a line.
    line: &'a crate::input::model::Stated,
    /// The line's label ("England").
    label: &'a str,
    /// The row drawn in the highlight colour (this authority).
    highlight: usize,
    /// The axis's title, with its unit ("Repeat plans (%)"): the bars are values, not
    /// shares of returns.
    axis: &'a str,
}

/// Draws horizontal bars; `reference` = (axis maximum, England line, highlighted row) for the
/// neighbour chart, whose bars are values rather than percentages.
fn draw(
    bars: &[Bar],
    reference: Option<Reference>,
    rounds: Option<&Rounds>,
    g: Geometry,
) -> Result<String, String> {
    // A re-audit's rows hold two bars, the earlier round's above this round's, under a legend.
    let paired = rounds.filter(|_| bars.iter().any(|b| b.earlier.is_some()));
    let font_for = |size: f64| TextStyle::from((FONT_FAMILY, size).into_font()).color(&INK);
    let measure_font = font_for(g.font / SVG_SCALE);
    // Measure the wrapped labels first so the chart is as tall as its labels need.
    let mut probe = String::new();
    let wrapped: Vec<Vec<String>> = {
        let area = SVGBackend::with_string(&mut probe, (WIDTH, 100)).into_drawing_area();
        bars.iter()
            .map(|b| wrap(&area, &b.label, &measure_font, LABEL_WIDTH as u32 - 10))
            .collect()
    };
    let line_height = (g.font / SVG_SCALE * 1.2) as i32;
    let row = if paired.is_some() { 2 * ROW - 8 } else { ROW };
    let heights: Vec<i32> = wrapped
        .iter()
        .map(|l| row.max(l.len() as i32 * line_height + 14))
        .collect();
    // A reference line's label has a row of its own above the bars, so it never meets a
    // bar's value; so has each line of a legend.
    let top = match (&reference, paired) {
        (Some(_), _) => TOP + 30,
        (None, Some(_)) => TOP + 2 * line_height + 20,
        (None, None) => TOP,
    };
    let axis_y = top + heights.iter().sum::<i32>() + 6;
    // (a reference chart's axis carries its title under the ticks)
    let axis_title = if reference.is_some() {
        line_height + 8
    } else {
        0
    };
    let height = (axis_y + 44 + axis_title) as u32;

    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        area.fill(&WHITE).map_err(fail)?;
        draw_grid(&area, reference.as_ref(), top, axis_y, g)?;
        if let Some(rounds) = paired {
            draw_legend(&area, rounds, line_height, g)?;
        }
        let mut y = top;
        let mut values = Vec::new();
        for (index, ((bar, lines), h)) in bars.iter().zip(&wrapped).zip(&heights).enumerate() {
            let highlighted = reference.as_ref().is_some_and(|r| r.highlight == index);
            values.extend(draw_bar(
                &area,
                bar,
                lines,
                y + h / 2,
                line_height,
                highlighted,
                paired.is_some(),
                g,
            )?);
            y += h;
        }
        if let Some(reference) = &reference {
            draw_reference(&area, reference, axis_y, g)?;
        }
        // Values last, each on a white ground, so a grid or reference line never crosses one.
        for (note, (x, middle), style) in values {
            let (tw, th) = area
                .estimate_text_size(&note, &measure_font)
                .unwrap_or((0, 0));
            let (tw, th) = (tw as i32, th as i32);
            area.draw(&Rectangle::new(
                [
                    (x - 4, middle - th / 2 - 3),
                    (x + tw + 4, middle + th / 2 + 3),
                ],
                WHITE.filled(),
            ))
            .map_err(fail)?;
            area.draw(&Text::new(
                note,
                (x, middle),
                style.pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(fail)?;
        }
        area.draw(&PathElement::new(
            vec![(BAR_LEFT, top), (BAR_LEFT, axis_y)],
            INK.stroke_width(2),
        ))
        .map_err(fail)?;
        area.present().map_err(fail)?;
    }
    Ok(svg)
}

/// The area a chart is drawn on.
type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn fail<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    format!("failed to draw chart ({e})")
}

/// The x of `percent` of the bar area.
fn x_of(percent: f64, g: Geometry) -> i32 {
    BAR_LEFT + ((g.bar_right - BAR_LEFT) as f64 * percent.clamp(0.0, 100.0) / 100.0).round() as i32
}

/// The vertical grid lines and their labels: quarters of 100 %, or fifths of the reference
/// chart's scale.
fn draw_grid(
    area: &Area,
    reference: Option<&Reference>,
    top: i32,
    axis_y: i32,
    g: Geometry,
) -> Result<(), String> {
    let small = TextStyle::from((FONT_FAMILY, g.font * 0.85).into_font()).color(&INK);
    let (maximum, ticks): (f64, Vec<f64>) = match reference {
        Some(Reference { scale, .. }) => (
            *scale,
            (0..=5).map(|i| scale * f64::from(i) / 5.0).collect(),
        ),
        None => (100.0, vec![0.0, 25.0, 50.0, 75.0, 100.0]),
    };
    for tick in &ticks {
        let x = x_of(100.0 * tick / maximum, g);
        area.draw(&PathElement::new(
            vec![(x, top), (x, axis_y)],
            GRID.stroke_width(1),
        ))
        .map_err(fail)?;
        let label = if reference.is_some() {
            one_decimal(*tick)
        } else {
            format!("{}%", one_decimal(*tick))
        };
        area.draw(&Text::new(
            label,
            (x, axis_y + 8),
            small.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(fail)?;
    }
    Ok(())
}

/// The legend of a re-audit's paired bars: the earlier round's swatch (light, outlined) and
/// this round's (solid), each with its words, one line each above the bars.
fn draw_legend(area: &Area, rounds: &Rounds, line_height: i32, g: Geometry) -> Result<(), String> {
    let style = TextStyle::from((FONT_FAMILY, g.font).into_font()).color(&INK);
    for (i, (words, earlier)) in [(&rounds.earlier, true), (&rounds.this, false)]
        .into_iter()
        .enumerate()
    {
        let middle = TOP + line_height / 2 + i as i32 * (line_height + 6);
        swatch(
            area,
            (BAR_LEFT, middle - 10),
            (BAR_LEFT + 34, middle + 10),
            earlier,
        )?;
        area.draw(&Text::new(
            words.clone(),
            (BAR_LEFT + 44, middle),
            style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    Ok(())
}

/// A bar's rectangle: solid for this round, light with a solid outline for the earlier one
/// (the outline keeps 3:1 contrast against white).
fn swatch(area: &Area, from: (i32, i32), to: (i32, i32), earlier: bool) -> Result<(), String> {
    if earlier {
        area.draw(&Rectangle::new([from, to], EARLIER.filled()))
            .map_err(fail)?;
        area.draw(&Rectangle::new([from, to], BAR.stroke_width(2)))
            .map_err(fail)?;
    } else {
        area.draw(&Rectangle::new([from, to], BAR.filled()))
            .map_err(fail)?;
    }
    Ok(())
}

/// A value to print beside a bar: its text, place and style.
type Value<'s> = (String, (i32, i32), TextStyle<'s>);

/// One bar and its wrapped label, centred on `middle` (with `paired`, the earlier round's
/// bar above it); returns each value's text, place and style, drawn last.
#[allow(clippy::too_many_arguments)]
fn draw_bar<'s>(
    area: &Area,
    bar: &Bar,
    lines: &[String],
    middle: i32,
    line_height: i32,
    highlighted: bool,
    paired: bool,
    g: Geometry,
) -> Result<Vec<Value<'s>>, String> {
    let first = middle - (lines.len() as i32 - 1) * line_height / 2;
    let style = if highlighted {
        TextStyle::from((FONT_FAMILY, g.font, FontStyle::Bold).into_font()).color(&INK)
    } else {
        TextStyle::from((FONT_FAMILY, g.font).into_font()).color(&INK)
    };
    for (i, line) in lines.iter().enumerate() {
        area.draw(&Text::new(
            line.clone(),
            (LABEL_WIDTH, first + i as i32 * line_height),
            style.pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    if paired {
        let mut values = Vec::new();
        let earlier = bar.earlier.as_deref();
        for (drawn, centre, is_earlier) in [
            (earlier, middle - 16, true),
            (Some(bar), middle + 16, false),
        ] {
            let Some(drawn) = drawn else {
                continue;
            };
            let end = x_of(drawn.percent, g);
            if end > BAR_LEFT {
                swatch(
                    area,
                    (BAR_LEFT, centre - 13),
                    (end, centre + 13),
                    is_earlier,
                )?;
            }
            let label_at = draw_interval(area, drawn, centre, 7, g)?.unwrap_or(end + 8);
            values.push((drawn.note.clone(), (label_at, centre), style.clone()));
        }
        return Ok(values);
    }
    let end = x_of(bar.percent, g);
    let colour = if highlighted { MARK } else { BAR };
    if let Some(reach) = bar.reach {
        let reach = x_of(reach, g).max(BAR_LEFT + 6);
        hatched(area, (BAR_LEFT, middle - 14), (reach, middle + 14))?;
        return Ok(vec![(bar.note.clone(), (reach + 8, middle), style)]);
    }
    if end > BAR_LEFT {
        area.draw(&Rectangle::new(
            [(BAR_LEFT, middle - 14), (end, middle + 14)],
            colour.filled(),
        ))
        .map_err(fail)?;
    }
    let label_at = draw_interval(area, bar, middle, 9, g)?.unwrap_or(end + 8);
    Ok(vec![(bar.note.clone(), (label_at, middle), style)])
}

/// A withheld bar: outlined, and hatched with lines at 45°, so it reads as "somewhere in
/// here" rather than as a figure (or as zero).
fn hatched(area: &Area, from: (i32, i32), to: (i32, i32)) -> Result<(), String> {
    let ((left, top), (right, bottom)) = (from, to);
    let height = bottom - top;
    let mut start = left - height;
    while start < right {
        // from (start, bottom) up and to the right, clipped to the bar
        let (x0, y0) = if start < left {
            (left, bottom - (left - start))
        } else {
            (start, bottom)
        };
        let (x1, y1) = if start + height > right {
            (right, top + (start + height - right))
        } else {
            (start + height, top)
        };
        if x1 > x0 {
            area.draw(&PathElement::new(
                vec![(x0, y0), (x1, y1)],
                BAR.stroke_width(2),
            ))
            .map_err(fail)?;
        }
        start += 10;
    }
    area.draw(&Rectangle::new([from, to], BAR.stroke_width(2)))
        .map_err(fail)?;
    Ok(())
}

/// A bar's 95 % interval, where it has one: a line across the bar's end from its low to its
/// high, with ticks `tick` high; returns where the bar's value can then be written.
fn draw_interval(
    area: &Area,
    bar: &Bar,
    middle: i32,
    tick: i32,
    g: Geometry,
) -> Result<Option<i32>, String> {
    let Some(interval) = bar.interval else {
        return Ok(None);
    };
    let (low, high) = (
        x_of(interval.low * 100.0, g),
        x_of(interval.high * 100.0, g),
    );
    area.draw(&PathElement::new(
        vec![(low, middle), (high, middle)],
        INK.stroke_width(2),
    ))
    .map_err(fail)?;
    for x in [low, high] {
        area.draw(&PathElement::new(
            vec![(x, middle - tick), (x, middle + tick)],
            INK.stroke_width(2),
        ))
        .map_err(fail)?;
    }
    Ok(Some(high.max(x_of(bar.percent, g)) + 8))
}

/// The reference chart's national line and its label.
fn draw_reference(
    area: &Area,
    reference: &Reference,
    axis_y: i32,
    g: Geometry,
) -> Result<(), String> {
    let small = TextStyle::from((FONT_FAMILY, g.font * 0.85).into_font()).color(&INK);
    let x = x_of(100.0 * reference.line.number / reference.scale, g);
    // Near-black, not the highlighted bar's vermilion: the line is a national figure, the
    // bar this authority's, and one colour for both read as one thing.
    area.draw(&PathElement::new(
        vec![(x, TOP - 6), (x, axis_y)],
        INK.stroke_width(3),
    ))
    .map_err(fail)?;
    area.draw(&Text::new(
        reference.axis.to_string(),
        (
            x_of(50.0, g),
            axis_y + 8 + (g.font * 0.85 / SVG_SCALE * 1.2) as i32 + 8,
        ),
        small.pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(fail)?;
    area.draw(&Text::new(
        format!("{} {}", reference.label, reference.line.text),
        (x + 6, TOP - 4),
        small.pos(Pos::new(HPos::Left, VPos::Top)),
    ))
    .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_carry_percent_labels_and_escaped_text() {
        register_fonts();
        let bars =
            vec![
            Bar::of("yes", "Yes & <sure>".into(), Shown::Count(58), Shown::Count(70)),
            Bar::of(
                "no",
                "A very long option wording that certainly needs to wrap onto a second line to fit"
                    .into(),
                Shown::Count(4),
                Shown::Count(70),
            ),
        ];
        let svg = draw(&bars, None, None, NORMAL).unwrap();
        assert!(svg.contains("82.9% (58 of 70)"));
        assert!(
            svg.contains("Yes &amp; &lt;sure&gt;"),
            "labels must be escaped: {svg}"
        );
        assert!(svg.contains("font-family=\"Carlito\""));
        assert!(svg.contains("needs to wrap"), "{svg}");
        // the long label is split over several text lines
        assert!(!svg.contains(
            "A very long option wording that certainly needs to wrap onto a second line to fit"
        ));
    }

    #[test]
    fn a_word_wider_than_the_labels_column_is_cut_not_clipped() {
        register_fonts();
        let run = "x".repeat(40) + &"y".repeat(40) + &"z".repeat(40);
        let bars = vec![Bar::of(
            "see",
            format!("see {run}"),
            Shown::Count(5),
            Shown::Count(70),
        )];
        let svg = draw(&bars, None, None, NORMAL).unwrap();
        // every character is drawn, over several lines, none of them the whole run
        assert!(!svg.contains(&run), "{svg}");
        let drawn: String = svg
            .split('>')
            .filter_map(|piece| piece.split('<').next())
            .map(str::trim)
            .filter(|text| text.chars().all(|c| "xyz".contains(c)) && !text.is_empty())
            .collect();
        assert_eq!(drawn, run);
    }

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
