//! Figures written the way an audit report writes them. (Over 500 lines: nearly half is the
//! tests of the phrase rules.) "Nearly 60 per cent", "just over half", "a third", "less
//! than 6%".
//!
//! The author chooses the qualifier ("over", "nearly" …); the rules here choose the round
//! figure ("landmark") so that the phrase stays true for whatever the data say. A re-run with
//! corrected returns can turn "over 80 per cent" into "over three quarters", never into a false
//! statement. The rules, which `docs/figures-in-prose.md` states for authors:
//!
//! - Landmarks come in three levels: (1) multiples of 10 and the fractions a quarter, a third,
//!   half, two thirds, three quarters; (2) multiples of 5; (3) whole numbers. Below 10 per cent
//!   whole numbers count as level 1, since small shares read as exact numbers ("less than 6%").
//! - Loose bounds (`over`, `more than`, `at least`, `less than`, `under`) take the nearest
//!   level-1 landmark on the right side within 10 points, else level 2 within 5, else level 3.
//! - Close bounds (`just over`, `just under`, `just less than`, `nearly`, `almost`) take the
//!   nearest landmark on the right side within 5 points at level 1, 2.5 at level 2, 1 at
//!   level 3; `close to` and `around` the same on either side.
//! - `about` (the default) names a fraction within half a point of it ("a third"), otherwise
//!   the whole number ("88 per cent").
//! - `over`, `more than`, `just over` need the figure strictly above the landmark; `at least`
//!   allows it to equal it; the "under" family needs it strictly below. Where no landmark
//!   keeps the phrase true (nothing is "over" 0 per cent… of nothing below), the qualifier is
//!   dropped and the `about` form is used.

/// A qualifier the author may put before a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// No qualifier: the nearest whole number or a fraction it equals.
    About,
    /// The figure is above the landmark, possibly by a lot.
    Over(&'static str),
    /// The figure is at or above the landmark.
    AtLeast,
    /// The figure is a little above the landmark.
    JustOver,
    /// The figure is below the landmark, possibly by a lot.
    Under(&'static str),
    /// The figure is a little below the landmark.
    JustUnder(&'static str),
    /// The figure is close to the landmark, on either side.
    Close(&'static str),
}

impl Qualifier {
    /// Parses the author's word(s); `None` for an unknown qualifier.
    pub fn parse(text: &str) -> Option<Qualifier> {
        Some(match text.trim().to_lowercase().as_str() {
            "" | "about" => Qualifier::About,
            "over" => Qualifier::Over("over"),
            "more than" => Qualifier::Over("more than"),
            "at least" => Qualifier::AtLeast,
            "just over" => Qualifier::JustOver,
            "less than" => Qualifier::Under("less than"),
            "under" => Qualifier::Under("under"),
            "nearly" => Qualifier::JustUnder("nearly"),
            "almost" => Qualifier::JustUnder("almost"),
            "just less than" => Qualifier::JustUnder("just less than"),
            "just under" => Qualifier::JustUnder("just under"),
            "close to" => Qualifier::Close("close to"),
            "around" => Qualifier::Close("around"),
            _ => return None,
        })
    }

    /// Every qualifier `parse` accepts, for error messages.
    pub const ALL: &'static str = "about, over, more than, at least, just over, less than, under, nearly, almost, just less than, just under, close to, around";
}

#[derive(Clone, Copy)]
struct Landmark {
    value: f64,
    level: u8,
    word: Option<&'static str>,
}

const FRACTIONS: [(f64, &str); 5] = [
    (25.0, "a quarter"),
    (100.0 / 3.0, "a third"),
    (50.0, "half"),
    (200.0 / 3.0, "two thirds"),
    (75.0, "three quarters"),
];

fn landmarks(small: bool) -> Vec<Landmark> {
    let mut all = Vec::new();
    for &(value, word) in &FRACTIONS {
        all.push(Landmark {
            value,
            level: 1,
            word: Some(word),
        });
    }
    for n in 0..=100u32 {
        let value = f64::from(n);
        if FRACTIONS.iter().any(|(f, _)| *f == value) {
            continue;
        }
        let level = if small && n <= 10 || n.is_multiple_of(10) {
            1
        } else if n.is_multiple_of(5) {
            2
        } else {
            3
        };
        all.push(Landmark {
            value,
            level,
            word: None,
        });
    }
    all
}

/// `percent` (0–100) in words with the author's qualifier, `unit` after numbers
/// (" per cent" or "%").
pub fn phrase(percent: f64, qualifier: Qualifier, unit: &str) -> String {
    let side = |accept: fn(f64, f64) -> bool, tolerances: [f64; 3]| -> Option<Landmark> {
        let small = percent < 10.0;
        let candidates = landmarks(small);
        (1..=3).find_map(|level| {
            candidates
                .iter()
                .filter(|l| l.level == level && accept(percent, l.value))
                .filter(|l| (percent - l.value).abs() <= tolerances[usize::from(level) - 1])
                .min_by(|a, b| {
                    (percent - a.value)
                        .abs()
                        .total_cmp(&(percent - b.value).abs())
                })
                .copied()
        })
    };
    const LOOSE: [f64; 3] = [10.0, 5.0, 1.0];
    const CLOSE: [f64; 3] = [5.0, 2.5, 1.0];
    let (words, landmark) = match qualifier {
        Qualifier::About => return about(percent, unit),
        Qualifier::AtLeast => ("at least", side(|p, l| p >= l, LOOSE)),
        Qualifier::Over(w) => (w, side(|p, l| p > l, LOOSE)),
        Qualifier::JustOver => ("just over", side(|p, l| p > l, CLOSE)),
        Qualifier::Under(w) => (w, side(|p, l| p < l, LOOSE)),
        Qualifier::JustUnder(w) => (w, side(|p, l| p < l, CLOSE)),
        Qualifier::Close(w) => (w, side(|_, _| true, CLOSE)),
    };
    // A figure that is exactly a whole number is that number: "60 per cent", not "almost 61"
    // or "just over 59" beside it (a round landmark still reads: "over half" for 52).
    let exact = percent.fract() == 0.0;
    match landmark {
        Some(l)
            if exact && qualifier != Qualifier::AtLeast && (l.level == 3 || l.value == percent) =>
        {
            about(percent, unit)
        }
        Some(l) => format!("{words} {}", name(l, unit)),
        None => about(percent, unit),
    }
}

fn name(landmark: Landmark, unit: &str) -> String {
    match landmark.word {
        Some(word) => word.to_string(),
        None => format!("{}{unit}", landmark.value),
    }
}

fn about(percent: f64, unit: &str) -> String {
    if let Some((_, word)) = FRACTIONS.iter().find(|(f, _)| (percent - f).abs() < 0.5) {
        return word.to_string();
    }
    let whole = percent.round();
    if whole == 0.0 && percent > 0.0 {
        return format!("less than 1{unit}");
    }
    format!("{whole}{unit}")
}

use crate::collate::change::{Change, Verdict};
/// Figures as numbers, and the words standing in for them, are the collated figures' own
/// (charts and figure files print them too); here with the words built on them.
pub use crate::collate::numbers::{
    NO_RETURNS, WITHHELD, one_decimal, one_decimal_fixed, percent, percent_in_text, tenths,
};

/// A whole number in words, British style: "eight", "thirty-four", "one hundred and two".
/// Numbers of a million or more are written in figures.
pub fn number_words(n: u64) -> String {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_hundred(n: u64) -> String {
        match n {
            0..20 => ONES[n as usize].to_string(),
            _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_string(),
            _ => format!("{}-{}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
        }
    }
    fn below_thousand(n: u64) -> String {
        match (n / 100, n % 100) {
            (0, rest) => below_hundred(rest),
            (h, 0) => format!("{} hundred", ONES[h as usize]),
            (h, rest) => format!("{} hundred and {}", ONES[h as usize], below_hundred(rest)),
        }
    }
    match (n / 1000, n % 1000) {
        (0, rest) => below_thousand(rest),
        (t, 0) if t < 1000 => format!("{} thousand", below_thousand(t)),
        (t, rest) if t < 1000 && rest < 100 => {
            format!("{} thousand and {}", below_thousand(t), below_hundred(rest))
        }
        (t, rest) if t < 1000 => {
            format!("{} thousand, {}", below_thousand(t), below_thousand(rest))
        }
        _ => n.to_string(),
    }
}

/// How a share moved between the earlier round and this one, in words, as `change` (from
/// the counts, see `collate::change`) says it moved: "rose from 58.7 per cent to 71.3 per
/// cent" only where its interval leaves out zero (under 5 points "rose slightly"; 15 or more
/// "rose sharply"; falls alike); otherwise "went from … to …"; "was unchanged at 58.7 per
/// cent"; with no answers in a round, "had no returns to compare" (never 0 per cent).
/// `applicable`: the shares leave out "not applicable", and the words say so.
pub fn change_words(change: &Change, unit: &str, applicable: bool) -> String {
    let ((was, was_base), (count, base)) = (change.was, change.now);
    let (from, to) = (percent_in_text(was, was_base), percent_in_text(count, base));
    let of = if applicable {
        " of the returns where it applied"
    } else {
        ""
    };
    match change.verdict {
        Verdict::NoAnswers if base == 0 => {
            format!("had no returns to compare this round (earlier, {from}{unit}{of})")
        }
        Verdict::NoAnswers => {
            format!("had no earlier returns to compare ({to}{unit}{of} this round)")
        }
        Verdict::Unchanged => format!("was unchanged at {to}{unit}{of}"),
        Verdict::Rise | Verdict::Fall => {
            let verb = if change.verdict == Verdict::Rise {
                "rose"
            } else {
                "fell"
            };
            let points = change.difference.unwrap_or_default().abs() * 100.0;
            let size = if points < 5.0 {
                " slightly"
            } else if points >= 15.0 {
                " sharply"
            } else {
                ""
            };
            format!("{verb}{size} from {from}{unit} to {to}{unit}{of}")
        }
        Verdict::NoClearChange | Verdict::TooFew => {
            format!("went from {from}{unit} to {to}{unit}{of}")
        }
    }
}

/// Whether `change` is more than chance alone would give at these numbers, in words:
/// "a rise larger than chance alone would give at these numbers", "no clear change, since
/// at these numbers a difference this size could be chance", "no change", "too few returns to
/// compare", "no returns to compare".
pub fn chance_words(change: &Change) -> String {
    match change.verdict {
        Verdict::Rise => "a rise larger than chance alone would give at these numbers".into(),
        Verdict::Fall => "a fall larger than chance alone would give at these numbers".into(),
        Verdict::NoClearChange => {
            "no clear change, since at these numbers a difference this size could be chance".into()
        }
        Verdict::Unchanged => "no change".into(),
        Verdict::TooFew => format!(
            "too few returns to compare (fewer than {} in a round)",
            crate::collate::change::TOO_FEW
        ),
        Verdict::NoAnswers => "no returns to compare".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::change::compare;

    fn say(k: u32, n: u32, qualifier: &str) -> String {
        phrase(
            100.0 * f64::from(k) / f64::from(n),
            Qualifier::parse(qualifier).unwrap(),
            " per cent",
        )
    }

    /// Every phrase of the reference report, from the counts that reproduce it.
    #[test]
    fn reproduces_the_reference_phrasing() {
        assert_eq!(say(73, 77, "almost"), "almost 95 per cent");
        assert_eq!(say(68, 77, "about"), "88 per cent");
        assert_eq!(say(69, 77, "just less than"), "just less than 90 per cent");
        assert_eq!(say(58, 70, "over"), "over 80 per cent");
        assert_eq!(say(4, 70, "just less than"), "just less than 6 per cent");
        assert_eq!(say(41, 75, "just over"), "just over half");
        assert_eq!(say(25, 75, "about"), "a third");
        assert_eq!(say(9, 75, "about"), "12 per cent");
        assert_eq!(
            phrase(400.0 / 76.0, Qualifier::parse("less than").unwrap(), "%"),
            "less than 6%"
        );
        assert_eq!(say(71, 77, "over"), "over 90 per cent");
        assert_eq!(say(31, 72, "less than"), "less than half");
        assert_eq!(say(34, 72, "close to"), "close to half");
        assert_eq!(say(44, 75, "nearly"), "nearly 60 per cent");
        assert_eq!(say(14, 75, "nearly"), "nearly 20 per cent");
        assert_eq!(say(39, 75, "over"), "over half");
        assert_eq!(say(25, 74, "at least"), "at least a third");
        assert_eq!(phrase(3100.0 / 72.0, Qualifier::About, "%"), "43%");
    }

    #[test]
    fn phrases_stay_true_when_the_figure_moves() {
        // 80 per cent exactly is not "over 80 per cent"
        assert_eq!(
            phrase(80.0, Qualifier::Over("over"), " per cent"),
            "over three quarters"
        );
        assert_eq!(
            phrase(80.0, Qualifier::AtLeast, " per cent"),
            "at least 80 per cent"
        );
        assert_eq!(
            phrase(63.0, Qualifier::JustUnder("nearly"), " per cent"),
            "nearly two thirds"
        );
        assert_eq!(
            phrase(61.3, Qualifier::JustUnder("nearly"), " per cent"),
            "nearly 62 per cent"
        );
        // exactly half is half (issue 12: a whole figure reads as itself)
        assert_eq!(
            phrase(50.0, Qualifier::Close("close to"), " per cent"),
            "half"
        );
        assert_eq!(
            phrase(49.3, Qualifier::Close("close to"), " per cent"),
            "close to half"
        );
        // nothing is "nearly" above 100 per cent: the qualifier is dropped
        assert_eq!(
            phrase(100.0, Qualifier::JustUnder("nearly"), " per cent"),
            "100 per cent"
        );
        assert_eq!(
            phrase(0.0, Qualifier::Over("over"), " per cent"),
            "0 per cent"
        );
        assert_eq!(
            phrase(0.4, Qualifier::About, " per cent"),
            "less than 1 per cent"
        );
    }

    #[test]
    fn unknown_qualifiers_are_rejected() {
        assert_eq!(Qualifier::parse("roughly"), None);
        assert_eq!(Qualifier::parse("Just Over"), Some(Qualifier::JustOver));
    }

    #[test]
    fn one_decimal_drops_a_trailing_zero() {
        assert_eq!(one_decimal(42.666), "42.7");
        assert_eq!(one_decimal(12.0), "12");
        assert_eq!(one_decimal(100.0), "100");
        assert_eq!(one_decimal(6.66), "6.7");
        assert_eq!(one_decimal(6.25), "6.3");
    }

    #[test]
    fn ties_round_half_up_as_a_spreadsheet_does() {
        // 4 of 64 is 6.25: 6.3, where a float's round-half-even gives 6.2
        assert_eq!(percent(4, 64), "6.3");
        assert_eq!(percent(1, 16), "6.3");
        assert_eq!(percent(1, 80), "1.3");
        assert_eq!(percent(127, 2000), "6.4"); // 6.35, which a float holds as 6.3499…
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(9, 75), "12.0");
        assert_eq!(percent(77, 77), "100.0");
        assert_eq!(percent(0, 75), "0.0");
        assert_eq!(percent(0, 0), "0.0");
        assert_eq!(percent_in_text(9, 75), "12");
        assert_eq!(percent_in_text(1, 3), "33.3");
        assert_eq!(percent_in_text(4, 64), "6.3");
    }

    #[test]
    fn a_whole_figure_reads_as_that_figure() {
        for qualifier in [
            "nearly",
            "almost",
            "just over",
            "just under",
            "close to",
            "around",
        ] {
            let q = Qualifier::parse(qualifier).unwrap();
            assert_eq!(phrase(60.0, q, " per cent"), "60 per cent", "{qualifier}");
        }
        // a round landmark beside it still reads
        assert_eq!(
            phrase(52.0, Qualifier::Over("over"), " per cent"),
            "over half"
        );
        assert_eq!(
            phrase(80.0, Qualifier::Over("over"), " per cent"),
            "over three quarters"
        );
        assert_eq!(
            phrase(60.0, Qualifier::AtLeast, " per cent"),
            "at least 60 per cent"
        );
        assert_eq!(
            phrase(50.0, Qualifier::JustUnder("nearly"), " per cent"),
            "half"
        );
        // just off a whole number, the qualifier stands
        assert_eq!(
            phrase(59.9, Qualifier::JustUnder("nearly"), " per cent"),
            "nearly 60 per cent"
        );
        assert_eq!(
            phrase(60.1, Qualifier::JustOver, " per cent"),
            "just over 60 per cent"
        );
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(number_words(0), "zero");
        assert_eq!(number_words(8), "eight");
        assert_eq!(number_words(34), "thirty-four");
        assert_eq!(number_words(40), "forty");
        assert_eq!(number_words(102), "one hundred and two");
        assert_eq!(number_words(202), "two hundred and two");
        assert_eq!(number_words(2005), "two thousand and five");
        assert_eq!(
            number_words(12_345),
            "twelve thousand, three hundred and forty-five"
        );
        assert_eq!(number_words(2_000_000), "2000000");
    }

    #[test]
    fn changes_read_by_size_and_chance() {
        let unit = " per cent";
        let words = |was: (u32, u32), now: (u32, u32)| {
            let change = compare((was.0, was.1, 1.0), (now.0, now.1, 1.0));
            (change_words(&change, unit, false), chance_words(&change))
        };
        // a rise its interval shows clearly
        assert_eq!(
            words((44, 75), (62, 75)),
            (
                "rose sharply from 58.7 per cent to 82.7 per cent".into(),
                "a rise larger than chance alone would give at these numbers".into()
            )
        );
        assert_eq!(
            words((48, 80), (56, 70)).0,
            "rose sharply from 60 per cent to 80 per cent"
        );
        // 12.6 points whose interval holds zero: no "rose"
        assert_eq!(
            words((44, 75), (57, 80)),
            (
                "went from 58.7 per cent to 71.3 per cent".into(),
                "no clear change, since at these numbers a difference this size could be chance"
                    .into()
            )
        );
        assert_eq!(
            words((9, 75), (3, 75)).0,
            "went from 12 per cent to 4 per cent"
        );
        assert_eq!(
            words((44, 75), (88, 150)),
            ("was unchanged at 58.7 per cent".into(), "no change".into())
        );
        assert_eq!(
            words((58, 70), (0, 0)),
            (
                "had no returns to compare this round (earlier, 82.9 per cent)".into(),
                "no returns to compare".into()
            )
        );
        assert_eq!(
            words((3, 4), (1, 4)).1,
            "too few returns to compare (fewer than 10 in a round)"
        );
        let change = compare((280, 400, 1.0), (360, 400, 1.0));
        assert_eq!(
            change_words(&change, unit, true),
            "rose sharply from 70 per cent to 90 per cent of the returns where it applied"
        );
    }
}
