//! The 7-minute briefing: its seven parts, numbered.

use super::{BriefingWording, Paper, footnotes_file, section};
use crate::document::Section;
use crate::input::Parsed;
use crate::input::pack::{BriefingText, PackText};

/// The 7-minute briefing: its seven parts, numbered.
pub(super) fn briefing(
    paper: &mut Paper,
    parsed: &Parsed<PackText>,
    text: &BriefingText,
    words: &BriefingWording,
) -> (String, Vec<String>, Vec<Section>) {
    let file = footnotes_file(&text.footnotes);
    let title = match &text.title {
        Some(title) => title.clone(),
        None => paper.fill(&words.title, serde_json::json!({})),
    };
    let cover = paper.lines(&words.lines);
    let mut sections = Vec::new();
    for (n, (key, blocks)) in text.parts().into_iter().enumerate() {
        let part = words.parts.get(key).cloned().unwrap_or_default();
        let heading = paper.fill(
            &words.part_heading,
            serde_json::json!({ "number": n + 1, "title": part }),
        );
        let written = paper.blocks(parsed, &file, &[key], blocks, &heading);
        sections.push(section(heading, &key.replace('_', "-"), written));
    }
    (title, cover, sections)
}
