//! How a chart is drawn, with plotters as SVG: the grid, each bar (a re-audit's in pairs, a
//! withheld figure hatched to its reach, an interval across a bar's end), the neighbour
//! chart's national line, and the values last on a white ground.

use super::Rounds;
use super::data::{Bar, Reference};
use super::look::{
    BAR, BAR_LEFT, EARLIER, FONT_FAMILY, GRID, Geometry, INK, LABEL_WIDTH, MARK, ROW, SVG_SCALE,
    TOP, WIDTH, wrap,
};
use crate::collate::numbers::one_decimal;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Where a chart's rows fall: each label wrapped, each row's height, and the bars' top, the
/// axis and the whole chart's height.
struct Layout {
    wrapped: Vec<Vec<String>>,
    heights: Vec<i32>,
    line_height: i32,
    top: i32,
    axis_y: i32,
    height: u32,
    /// Where each entry of a re-audit's legend starts, and its line's middle.
    legend: Vec<(i32, i32)>,
}

impl Layout {
    /// Measures the wrapped labels first, so the chart is as tall as its labels need.
    fn of(
        bars: &[Bar],
        reference: Option<&Reference>,
        rounds: Option<&Rounds>,
        g: Geometry,
        measure_font: &TextStyle,
    ) -> Layout {
        let line_height = (g.font / SVG_SCALE * 1.2) as i32;
        let mut probe = String::new();
        let (wrapped, legend): (Vec<Vec<String>>, _) = {
            let area = SVGBackend::with_string(&mut probe, (WIDTH, 100)).into_drawing_area();
            let wrapped = bars
                .iter()
                .map(|b| wrap(&area, &b.label, measure_font, LABEL_WIDTH as u32 - 10))
                .collect();
            let legend = rounds.map_or_else(Vec::new, |r| {
                super::legend::places(&area, r, measure_font, line_height)
            });
            (wrapped, legend)
        };
        let paired = rounds.is_some();
        // (a pair's two bars 6 apart, the pairs 18: the rows are read as pairs, and a
        // re-audit's charts are as short as that allows)
        let row = if paired { 2 * ROW - 16 } else { ROW };
        let heights: Vec<i32> = wrapped
            .iter()
            .map(|l| row.max(l.len() as i32 * line_height + 14))
            .collect();
        // A reference line's label has a row of its own above the bars, so it never meets a
        // bar's value; so has each line of a legend.
        let top = match (reference, paired) {
            (Some(_), _) => TOP + 30,
            (None, true) => legend
                .last()
                .map_or(TOP, |(_, middle)| middle + line_height / 2 + 14),
            (None, false) => TOP,
        };
        let axis_y = top + heights.iter().sum::<i32>() + 6;
        // (a reference chart's axis carries its title under the ticks)
        let axis_title = if reference.is_some() {
            line_height + 8
        } else {
            0
        };
        let height = (axis_y + 44 + axis_title) as u32;
        Layout {
            wrapped,
            heights,
            line_height,
            top,
            axis_y,
            height,
            legend,
        }
    }
}

/// Draws horizontal bars; `reference` (axis maximum, England line, highlighted row) for the
/// neighbour chart, whose bars are values rather than percentages.
pub(super) fn draw(
    bars: &[Bar],
    reference: Option<Reference>,
    rounds: Option<&Rounds>,
    g: Geometry,
) -> Result<String, String> {
    // A re-audit's rows hold two bars, the earlier round's above this round's, under a legend.
    let paired = rounds.filter(|_| bars.iter().any(|b| b.earlier.is_some()));
    let measure_font = TextStyle::from((FONT_FAMILY, g.font / SVG_SCALE).into_font()).color(&INK);
    let layout = Layout::of(bars, reference.as_ref(), paired, g, &measure_font);
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (WIDTH, layout.height)).into_drawing_area();
        area.fill(&WHITE).map_err(fail)?;
        draw_grid(&area, reference.as_ref(), layout.top, layout.axis_y, g)?;
        if let Some(rounds) = paired {
            super::legend::draw(&area, rounds, &layout.legend, g)?;
        }
        let values = draw_bars(
            &area,
            bars,
            &layout,
            reference.as_ref(),
            paired.is_some(),
            g,
        )?;
        if let Some(reference) = &reference {
            draw_reference(&area, reference, layout.axis_y, g)?;
        }
        draw_values(&area, values, &measure_font)?;
        area.draw(&PathElement::new(
            vec![(BAR_LEFT, layout.top), (BAR_LEFT, layout.axis_y)],
            INK.stroke_width(2),
        ))
        .map_err(fail)?;
        area.present().map_err(fail)?;
    }
    Ok(svg)
}

/// Every bar and its label, row under row; returns the values to print beside them.
fn draw_bars<'s>(
    area: &Area,
    bars: &[Bar],
    layout: &Layout,
    reference: Option<&Reference>,
    paired: bool,
    g: Geometry,
) -> Result<Vec<Value<'s>>, String> {
    let mut y = layout.top;
    let mut values = Vec::new();
    let rows = bars.iter().zip(&layout.wrapped).zip(&layout.heights);
    for (index, ((bar, lines), h)) in rows.enumerate() {
        let highlighted = reference.is_some_and(|r| r.highlight == index);
        values.extend(draw_bar(
            area,
            bar,
            lines,
            y + h / 2,
            layout.line_height,
            highlighted,
            paired,
            g,
        )?);
        y += h;
    }
    Ok(values)
}

/// The values, drawn last, each on a white ground, so a grid or reference line never
/// crosses one.
fn draw_values(area: &Area, values: Vec<Value>, measure_font: &TextStyle) -> Result<(), String> {
    for (note, (x, middle), style) in values {
        let (tw, th) = area
            .estimate_text_size(&note, measure_font)
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
    Ok(())
}

/// The area a chart is drawn on.
pub(super) type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

pub(super) fn fail<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
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

/// A bar's rectangle: solid for this round, light with a solid outline for the earlier one
/// (the outline keeps 3:1 contrast against white).
pub(super) fn swatch(
    area: &Area,
    from: (i32, i32),
    to: (i32, i32),
    earlier: bool,
) -> Result<(), String> {
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
    use crate::chart::look::{NORMAL, register_fonts};
    use crate::collate::disclose::Shown;

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
}
