//! A re-audit's legend: which bar of a pair is the earlier round's and which this round's,
//! placed above the bars.

use super::Rounds;
use super::draw::{Area, fail, swatch};
use super::look::{BAR_LEFT, FONT_FAMILY, Geometry, INK, TOP, WIDTH};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Where a re-audit's legend's two entries go (swatch, then words): on one line where both
/// fit across the chart, from over the bars or as far left as they need (a line saved makes
/// the chart shorter, and a tall chart fits its page more often); else one above the other.
pub(super) fn places(area: &Area, rounds: &Rounds, font: &TextStyle, line: i32) -> Vec<(i32, i32)> {
    let wide = |words: &str| {
        SWATCH
            + area
                .estimate_text_size(words, font)
                .map_or(0, |(w, _)| w as i32)
    };
    let (earlier, this) = (wide(&rounds.earlier), wide(&rounds.this));
    let middle = TOP + line / 2;
    let across = earlier + 30 + this;
    if across <= WIDTH as i32 - 10 {
        let start = BAR_LEFT.min(WIDTH as i32 - 10 - across);
        return vec![(start, middle), (start + earlier + 30, middle)];
    }
    let start = BAR_LEFT.min(WIDTH as i32 - 10 - earlier.max(this)).max(0);
    vec![(start, middle), (start, middle + line + 6)]
}

/// A legend entry's swatch and the space after it, before its words.
const SWATCH: i32 = 44;

/// The legend of a re-audit's paired bars: the earlier round's swatch (light, outlined) and
/// this round's (solid), each with its words, above the bars at `places`.
pub(super) fn draw(
    area: &Area,
    rounds: &Rounds,
    places: &[(i32, i32)],
    g: Geometry,
) -> Result<(), String> {
    let style = TextStyle::from((FONT_FAMILY, g.font).into_font()).color(&INK);
    let entries = [(&rounds.earlier, true), (&rounds.this, false)];
    for ((words, earlier), &(x, middle)) in entries.into_iter().zip(places) {
        swatch(area, (x, middle - 10), (x + 34, middle + 10), earlier)?;
        area.draw(&Text::new(
            words.clone(),
            (x + SWATCH, middle),
            style.pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(fail)?;
    }
    Ok(())
}
