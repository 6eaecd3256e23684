//! The house style, in one place: how the report prints a day, a month, a range of years
//! and a quotation mark, in every format (docs/house-style.md). The document stage prints
//! every date from the YAML through it (`document::style`), and the built-in wording is
//! tested to be in it (`document::templates`); the narrative's own prose prints as written.

use regex::Regex;
use std::sync::LazyLock;
use time::Date;

/// The months' names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A day as printed: "30 June 2014" (no ordinal, no comma: the UK public sector's style).
pub fn date(date: Date) -> String {
    format!("{} {}", date.day(), month(date))
}

/// A date's month as printed: "February 2014" (the report's own date, on the cover).
pub fn month(date: Date) -> String {
    format!(
        "{} {}",
        MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}

/// Two years in a row written with a hyphen, slash or spaced dash ("2012-13", "2012 -2013",
/// "2012/13"): the second year short, after an en dash ("2012–13"). Only consecutive years
/// are a range here, so "2014-06-30" and "5-10 years" are left alone.
pub fn year_ranges(text: &str) -> String {
    static RANGE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b((?:19|20)\d\d) ?[-–/] ?(\d{4}|\d\d)\b").expect("a valid pattern")
    });
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for caps in RANGE.captures_iter(text) {
        let whole = caps.get(0).expect("the match");
        let after = text[whole.end()..].chars().next();
        let first: i32 = caps[1].parse().unwrap_or(0);
        let second: i32 = caps[2].parse().unwrap_or(0);
        let next = if caps[2].len() == 2 {
            first / 100 * 100 + second
        } else {
            second
        };
        // "2014-06-30": a date, not a range.
        if next != first + 1 || matches!(after, Some('-' | '–' | '/')) {
            continue;
        }
        out.push_str(&text[last..whole.start()]);
        // The second year short ("2012–13"), unless the century turns ("1999–2000").
        if next / 100 == first / 100 {
            out.push_str(&format!("{first}–{:02}", next % 100));
        } else {
            out.push_str(&format!("{first}–{next}"));
        }
        last = whole.end();
    }
    out.push_str(&text[last..]);
    out
}

/// Straight quotation marks as curly ones: an opening mark after a space, an opening bracket
/// or dash (or at the start), a closing mark or an apostrophe everywhere else.
pub fn curly_quotes(text: &str, mut before: Option<char>) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        let opens = before.is_none_or(|b| b.is_whitespace() || "([{‘“—–-/".contains(b));
        out.push(match c {
            '"' if opens => '“',
            '"' => '”',
            '\'' if opens => '‘',
            '\'' => '’',
            _ => c,
        });
        before = Some(c);
    }
    out
}

/// A text in the house style: curly quotes and en-dashed year ranges.
pub fn text(text: &str) -> String {
    curly_quotes(&year_ranges(text), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_read_as_the_uk_public_sector_writes_them() {
        assert_eq!(date(date!(2014 - 06 - 30)), "30 June 2014");
        assert_eq!(date(date!(2014 - 01 - 01)), "1 January 2014");
        assert_eq!(month(date!(2014 - 02 - 28)), "February 2014");
    }
    #[test]
    fn consecutive_years_are_a_range_with_an_en_dash() {
        assert_eq!(text("2012-13"), "2012–13");
        assert_eq!(text("(2012 – 2013)"), "(2012–13)");
        assert_eq!(text("2012 -2013 census"), "2012–13 census");
        assert_eq!(text("in 2012/13"), "in 2012–13");
        assert_eq!(text("1999-2000"), "1999–2000");
        // Not ranges: a date, years apart, ages.
        assert_eq!(text("due 2014-06-30"), "due 2014-06-30");
        assert_eq!(text("2010-2014"), "2010-2014");
        assert_eq!(text("5-10 years"), "5-10 years");
    }

    #[test]
    fn quotes_are_curly_and_open_where_a_word_starts() {
        assert_eq!(
            text(r#"the "Think Family" model's 'core' group"#),
            "the “Think Family” model’s ‘core’ group"
        );
        assert_eq!(text(r#""Yes""#), "“Yes”");
        assert_eq!(text("(‘a’) and ('b')"), "(‘a’) and (‘b’)");
    }
}
