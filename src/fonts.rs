//! The report's faces, compiled into the binary so no system font is ever needed and every
//! machine produces the same PDF. Carlito (SIL Open Font Licence, `fonts/OFL.txt`) is
//! metric-compatible with Calibri, the face most council board papers are set in.
//!
//! A shared leaf: the charts measure text in these faces, the printed-text checks ask which
//! characters no face can draw, and the renderers draw with them.

use std::sync::LazyLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// Carlito Regular.
pub const REGULAR: &[u8] = include_bytes!("../fonts/Carlito-Regular.ttf");
/// Carlito Bold.
pub const BOLD: &[u8] = include_bytes!("../fonts/Carlito-Bold.ttf");
/// Carlito Italic.
pub const ITALIC: &[u8] = include_bytes!("../fonts/Carlito-Italic.ttf");
/// Carlito Bold Italic.
pub const BOLD_ITALIC: &[u8] = include_bytes!("../fonts/Carlito-BoldItalic.ttf");

/// Every face of the report, for the typesetter.
pub const ALL: [&[u8]; 4] = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];

/// Every face Typst may draw with and their book.
pub struct FontSet {
    /// What each face covers, for Typst's world.
    pub book: LazyHash<FontBook>,
    /// The faces, Carlito's first.
    pub fonts: Vec<Font>,
}

/// The faces, Carlito's then Typst's own as fallback, loaded once per process.
pub static FONTS: LazyLock<FontSet> = LazyLock::new(|| {
    let mut fonts = Vec::new();
    for data in ALL {
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    // Typst's own faces as fallback for characters Carlito lacks.
    for data in typst_assets::fonts() {
        fonts.extend(Font::iter(Bytes::new(data)));
    }
    FontSet {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

/// Reads the faces' tables now (they are otherwise read on first use).
pub fn warm_up() {
    LazyLock::force(&FONTS);
}

/// The width of `text` in ems of Carlito (regular or bold), which has Calibri's metrics
/// (kerning aside); a character Carlito lacks counts as 0.6 em. `None` if the face is not
/// in the set. For what is laid out outside Typst: the paragraph numbers' column, Word's
/// tab stops and table columns.
pub fn carlito_ems(text: &str, bold: bool) -> Option<f64> {
    use typst::text::{FontVariant, FontVariations, FontWeight};
    let variant = FontVariant {
        weight: if bold {
            FontWeight::BOLD
        } else {
            FontWeight::REGULAR
        },
        ..FontVariant::default()
    };
    let fonts = &*FONTS;
    let font = fonts
        .book
        .select("carlito", variant)
        .and_then(|i| fonts.fonts.get(i))?;
    // (a static face: its advances in ems are the same at any size)
    let face = font.clone().instantiate(
        variant,
        typst::layout::Abs::pt(11.5),
        &FontVariations::default(),
    );
    Some(
        text.chars()
            .map(|c| {
                face.ttf()
                    .glyph_index(c)
                    .and_then(|glyph| face.x_advance(glyph.0))
                    .map_or(0.6, |em| em.get())
            })
            .sum(),
    )
}

/// Characters of `text` that none of the report's fonts can draw. Typst would draw an empty
/// box for them, and PDF/UA export refuses that; finding them first lets the build say where.
pub fn unprintable(text: &str) -> Vec<char> {
    let fonts = &*FONTS;
    let mut missing: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        // joiners and variation selectors are not drawn themselves
        .filter(|c| !matches!(*c as u32, 0x200B..=0x200F | 0xFE00..=0xFE0F | 0x2060..=0x2064))
        .filter(|&c| {
            !(0..fonts.fonts.len()).any(|i| {
                fonts
                    .book
                    .info(i)
                    .is_some_and(|info| info.coverage.contains(c as u32))
            })
        })
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// Characters of `text` that the face in `font` (one font file) cannot draw.
pub fn unprintable_in(text: &str, font: &'static [u8]) -> Vec<char> {
    let Some(face) = Font::iter(Bytes::new(font)).next() else {
        return Vec::new();
    };
    let mut missing: Vec<char> = text
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_control() && !face.info().coverage.contains(*c as u32)
        })
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}
