//! Render: the report's charts, and the document typeset in each output format.
//!
//! [`chart`] draws the bar charts (SVG) from the collated figures; [`pdf`] typesets a
//! [`crate::document::Document`] and its charts with Typst into a PDF. Each output format is a
//! module here reading the same `Document`.

pub mod chart;
pub mod fonts;
pub mod pdf;
