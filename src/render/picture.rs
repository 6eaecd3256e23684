//! A chart's SVG for formats that cannot use it as the PDF does: for a web page (whose
//! reader may not have Carlito), and as a PNG at print resolution (Word). Both measure or
//! draw the chart's text with the report's own faces.

use resvg::{tiny_skia, usvg};
use std::sync::{Arc, LazyLock};

/// Print resolution for a chart in Word, dots per inch.
pub const PRINT_DPI: f32 = 300.0;

static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    for face in crate::fonts::ALL {
        fonts.load_font_data(face.to_vec());
    }
    Arc::new(fonts)
});

fn parse(svg: &str) -> Result<usvg::Tree, String> {
    let options = usvg::Options {
        fontdb: FONTS.clone(),
        ..usvg::Options::default()
    };
    usvg::Tree::from_str(svg, &options).map_err(|e| format!("the chart could not be read: {e}"))
}

/// The chart for a web page: its text stays text (a reader can select it, and it is a tenth
/// of the size of outlines), set in Carlito where the reader has it or Calibri (the same
/// widths), else the reader's sans-serif, each line held to its width in Carlito so no label
/// runs out of the chart in a wider face.
pub fn for_web(svg: &str) -> Result<String, String> {
    let tree = parse(svg)?;
    let mut widths = Vec::new();
    text_widths(tree.root(), &mut widths);
    let opening = "<text ";
    // Only where each drawn line can be matched to its element; otherwise left as drawn.
    let matched = svg.matches(opening).count() == widths.len();
    let mut out = String::with_capacity(svg.len() + widths.len() * 48);
    let mut widths = widths.into_iter();
    for (i, piece) in svg.split(opening).enumerate() {
        if i > 0 {
            out.push_str(opening);
            if matched && let Some(width) = widths.next() {
                out.push_str(&format!(
                    "textLength=\"{width:.1}\" lengthAdjust=\"spacingAndGlyphs\" "
                ));
            }
        }
        out.push_str(piece);
    }
    Ok(out.replace(
        "font-family=\"Carlito\"",
        "font-family=\"Carlito, Calibri, Arial, sans-serif\"",
    ))
}

/// The drawn width of every text element under `group`, in document order.
fn text_widths(group: &usvg::Group, widths: &mut Vec<f32>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(inner) => text_widths(inner, widths),
            usvg::Node::Text(text) => widths.push(text.bounding_box().width()),
            _ => {}
        }
    }
}

/// The chart as a PNG `width_inches` wide at [`PRINT_DPI`]; its size in pixels.
pub fn png(svg: &str, width_inches: f32) -> Result<(Vec<u8>, (u32, u32)), String> {
    let tree = parse(svg)?;
    let size = tree.size();
    let scale = width_inches * PRINT_DPI / size.width();
    let (width, height) = (
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(width.max(1), height.max(1))
        .ok_or_else(|| "the chart is too large to draw".to_string())?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let bytes = pixmap
        .encode_png()
        .map_err(|e| format!("the chart could not be written as PNG: {e}"))?;
    Ok((bytes, (width, height)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = r##"<svg width="200" height="50" viewBox="0 0 200 50" xmlns="http://www.w3.org/2000/svg"><rect x="0" y="0" width="120" height="20" fill="#0072B2"/><text x="10" y="40" font-family="Carlito" font-size="16">Yes 12.0%</text></svg>"##;

    #[test]
    fn web_text_is_held_to_its_width_in_the_report_face() {
        let svg = for_web(CHART).unwrap();
        let at = svg.find("textLength=\"").expect("a text length") + 12;
        let width: f32 = svg[at..].split('"').next().unwrap().parse().unwrap();
        // "Yes 12.0%" at 16 px in Carlito: about 62 px wide.
        assert!((50.0..75.0).contains(&width), "{width}");
        assert!(svg.contains("font-family=\"Carlito, Calibri, Arial, sans-serif\""));
    }

    #[test]
    fn png_is_drawn_at_print_resolution() {
        let (bytes, (width, height)) = png(CHART, 2.0).unwrap();
        assert_eq!((width, height), (600, 150));
        assert_eq!(&bytes[1..4], b"PNG");
    }
}
