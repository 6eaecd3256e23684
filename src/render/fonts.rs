//! The report's faces, compiled into the binary so no system font is ever needed and every
//! machine produces the same PDF. Carlito (SIL Open Font Licence, `fonts/OFL.txt`) is
//! metric-compatible with Calibri, the face most council board papers are set in.

/// Carlito Regular.
pub const REGULAR: &[u8] = include_bytes!("../../fonts/Carlito-Regular.ttf");
/// Carlito Bold.
pub const BOLD: &[u8] = include_bytes!("../../fonts/Carlito-Bold.ttf");
/// Carlito Italic.
pub const ITALIC: &[u8] = include_bytes!("../../fonts/Carlito-Italic.ttf");
/// Carlito Bold Italic.
pub const BOLD_ITALIC: &[u8] = include_bytes!("../../fonts/Carlito-BoldItalic.ttf");

/// Every face of the report, for the typesetter.
pub const ALL: [&[u8]; 4] = [REGULAR, BOLD, ITALIC, BOLD_ITALIC];
