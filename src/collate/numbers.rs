//! Collated figures as they are printed: a count of a base as a percentage to one decimal
//! (the one format of charts, tables, alt text, figure files and prose), a computed number to
//! one decimal, and the words that stand where a figure is withheld or has no returns. Every
//! later stage (charts, document, output) prints figures through these.

pub use super::tenths;

/// What stands where an edition withholds a figure (see `disclose`): one word for every
/// withheld figure, small or protecting a small one, so a reader cannot tell which is which.
pub const WITHHELD: &str = "withheld";

/// What stands for a withheld count that could only be below the edition's threshold (the
/// reader of `disclose` can tell as much from what is shown): "fewer than 5".
pub fn fewer_than(below: u32) -> String {
    format!("fewer than {below}")
}

/// What stands where a share has no returns under it (nobody answered this round): never
/// "0 per cent", which would read as if some had answered and none chosen it.
pub const NO_RETURNS: &str = "no returns";

/// `count` of `base` as a percentage to one decimal, rounded half up: the one format of
/// charts, tables, alt text and figure files ("12.0", "33.3", "100.0").
pub fn percent(count: u32, base: u32) -> String {
    let t = tenths(count, base);
    format!("{}.{}", t / 10, t % 10)
}

/// `count` of `base` as a percentage for prose, as the reference writes it: one decimal, a
/// whole number without `.0` ("12 per cent", "33.3 per cent").
pub fn percent_in_text(count: u32, base: u32) -> String {
    without_zero(percent(count, base))
}

/// "12.0" → "12"; "12.5" stays.
fn without_zero(text: String) -> String {
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// A number to exactly one decimal, half up ("16.1", "16.0"): a computed figure beside
/// figures published to one decimal.
pub fn one_decimal_fixed(value: f64) -> String {
    // The value to 1e-9 decides a tie, so 6.25 is 6.3 while 6.2499999 (a float's 6.25) is too.
    let t = (value * 10.0 + 1e-9).round() as i64;
    format!("{}.{}", t / 10, (t % 10).abs())
}

/// A percentage given as a number (a rate, a stated figure) to one decimal, half up, without a
/// trailing `.0` ("85.6", "16").
pub fn one_decimal(percent: f64) -> String {
    without_zero(one_decimal_fixed(percent))
}
