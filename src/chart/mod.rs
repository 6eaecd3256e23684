//! Chart (stage 4, after collate, before the document that places them): &[`Stats`] → one
//! SVG bar chart per charted question, and the statistical-neighbour chart.
//!
//! What a chart says (its bars, the rows of the table beside it, its alt text) is worked out
//! from the collated figures in [`data`], as the edition may show them; how it looks is
//! [`draw`]'s (plotters), in the colours, sizes and face of [`look`]. Bars are horizontal so
//! long option wordings stay readable; each bar carries its percentage and count, so the
//! chart reads without colour.

pub mod data;
pub mod draw;
mod legend;
pub mod look;

use crate::check::Audit;
use crate::collate::Stats;
use crate::collate::uncertainty::Interval;
use crate::diag::Diagnostic;
use crate::edition::{Edition, Kind};
use crate::input::model::{ChartSpec, Neighbours, Question};
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// The face charts are set in; the same bytes are given to Typst.
pub use look::FONT_FAMILY;

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
    pub fn of(edition: &Edition) -> ChartSet {
        ChartSet {
            suppress_below: edition.suppress_below,
            intervals: edition.intervals,
            large: edition.kind == Kind::Slides,
        }
    }

    fn geometry(&self) -> look::Geometry {
        if self.large {
            look::LARGE
        } else {
            look::NORMAL
        }
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
    editions: &[Edition],
    rounds: Option<&Rounds>,
) -> Result<BTreeMap<ChartSet, Vec<Chart>>, Diagnostic> {
    let mut charts = BTreeMap::new();
    for edition in editions {
        let set = ChartSet::of(edition);
        if let Entry::Vacant(slot) = charts.entry(set) {
            slot.insert(render(audit, stats, set, rounds).map_err(Diagnostic::general)?);
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
    let rounds = rounds.filter(|_| stats.previous.is_some());
    look::register_fonts();
    let mut charts = Vec::new();
    for question in &audit.bank.questions {
        if let Some(spec) = &question.chart {
            charts.push(question_chart(question, spec, stats, set, rounds)?);
        }
    }
    if let Some(neighbours) = &audit.neighbours {
        charts.push(neighbour_chart(&neighbours.value, set.geometry())?);
    }
    Ok(charts)
}

/// One question's chart: its bars as the set shows them, drawn, with what it says.
fn question_chart(
    question: &Question,
    spec: &ChartSpec,
    stats: &Stats,
    set: ChartSet,
    rounds: Option<&Rounds>,
) -> Result<Chart, String> {
    let bars = data::bars_of_rounds(question, spec, stats, set, rounds);
    data::unprintable_labels(&question.id, &bars)?;
    let svg = draw::draw(&bars, None, rounds, set.geometry())?;
    Ok(data::question_chart(
        question,
        spec,
        stats,
        set.suppress_below,
        rounds,
        &bars,
        svg,
    ))
}

/// The statistical-neighbour chart: the table's values as bars, this authority's
/// highlighted, with England's figure as a line.
fn neighbour_chart(table: &Neighbours, g: look::Geometry) -> Result<Chart, String> {
    let (bars, reference) = data::neighbour_bars(table);
    data::unprintable_labels("neighbours", &bars)?;
    let svg = draw::draw(&bars, Some(reference), None, g)?;
    Ok(data::neighbour_chart(table, svg))
}
