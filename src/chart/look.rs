//! How a chart looks: its face (Carlito, registered with plotters for measuring and named in
//! the SVG so Typst draws the same face), colours, sizes and places, and labels wrapped to
//! their column as measured in that face.

use plotters::prelude::*;
use std::sync::Once;

/// The face charts are set in; the same bytes are given to Typst.
pub const FONT_FAMILY: &str = "Carlito";
/// Okabe–Ito blue: distinct for every common colour-vision deficiency, and 5.2:1 against white.
pub(super) const BAR: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Okabe–Ito vermilion, for this authority's bar in the neighbour chart.
pub(super) const MARK: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const GRID: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
/// The earlier round's bars in a re-audit: a light tint of the bar colour, outlined in it.
pub(super) const EARLIER: RGBColor = RGBColor(0xCC, 0xE3, 0xF0);

pub(super) const WIDTH: u32 = 1000;
pub(super) const LABEL_WIDTH: i32 = 400;
pub(super) const BAR_LEFT: i32 = 420;
pub(super) const BAR_RIGHT: i32 = 800;
pub(super) const ROW: i32 = 46;
pub(super) const TOP: i32 = 16;
/// plotters writes SVG font sizes as the given size ÷ 1.24, and measures at the given size;
/// text is measured with a font of the size it will be drawn at, so wrapping is exact.
pub(super) const FONT_SIZE: f64 = 28.0;
pub(super) const SVG_SCALE: f64 = 1.24;

/// How a chart is drawn: its type's size and where its bars end. A slide's chart has larger
/// type in the same width, to be read from the back of a room (at a slide's full width its
/// labels are about 26 pt); its bars end sooner, leaving room for the values.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// The type's size, as plotters takes it.
    pub(super) font: f64,
    /// Where a bar of 100 % ends.
    pub(super) bar_right: i32,
}

pub(super) const NORMAL: Geometry = Geometry {
    font: FONT_SIZE,
    bar_right: BAR_RIGHT,
};
pub(super) const LARGE: Geometry = Geometry {
    font: 36.0,
    bar_right: 680,
};

/// Registers the report's face with plotters, once, for measuring and drawing chart text.
pub(super) fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in, so registration cannot fail on a valid build.
        let _ =
            plotters::style::register_font(FONT_FAMILY, FontStyle::Normal, crate::fonts::REGULAR);
        let _ = plotters::style::register_font(FONT_FAMILY, FontStyle::Bold, crate::fonts::BOLD);
    });
}

/// Splits `text` into lines no wider than `width` in the chart font.
pub(super) fn wrap(
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
