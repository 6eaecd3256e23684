//! Dates the document prints from the audit's YAML, in the house style (`crate::style`,
//! docs/house-style.md), so the PDF, Word and web files print the same words.

/// A date written `YYYY-MM-DD` (an action's `due`) as printed, "30 June 2014"; anything else
/// as written (`check` has already said what is wrong with it).
pub fn date_from(text: &str) -> String {
    match crate::check::parse_date(text) {
        Some(date) => crate::style::date(date),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_due_date_prints_in_the_house_style() {
        assert_eq!(date_from("2014-07-31"), "31 July 2014");
        assert_eq!(date_from("by summer"), "by summer");
    }
}
