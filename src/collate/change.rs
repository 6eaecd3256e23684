//! One share compared between the earlier round and this one: what prose, charts and the
//! progress table all say of a change, decided once, from the counts.
//!
//! The difference is of the unrounded shares, rounded once where it is printed. Whether it is
//! a rise, a fall or no clear change follows its 95 % interval (Newcombe's, each round's
//! Wilson interval widened by its design effect, see `uncertainty`): a rise or a fall only
//! where the interval leaves out zero. A round with no answers has nothing to compare, and a
//! round with fewer than [`TOO_FEW`] answers has too few.

use super::uncertainty::{Interval, newcombe_design};

/// Fewer answers than this in either round are too few to compare: a single return moves
/// such a share by over ten points. docs/figures-in-prose.md says so.
pub const TOO_FEW: u32 = 10;

/// What a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Its interval lies above zero.
    Rise,
    /// Its interval lies below zero.
    Fall,
    /// Its interval holds zero: the change could be chance at these numbers.
    NoClearChange,
    /// The same share, to the tenth printed.
    Unchanged,
    /// Fewer than [`TOO_FEW`] answers in a round.
    TooFew,
    /// No answer in a round (no return answered, or none where the question applied).
    NoAnswers,
}

/// A share in two rounds, compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// The earlier round's count and base.
    pub was: (u32, u32),
    /// This round's count and base.
    pub now: (u32, u32),
    /// This round's share less the earlier's, unrounded (as a proportion); `None` when a
    /// round has no answers.
    pub difference: Option<f64>,
    /// The difference's 95 % interval, allowing for clustering.
    pub interval: Option<Interval>,
    /// What it is, in a word.
    pub verdict: Verdict,
}

/// Compares `count` of `base` this round (design effect `deff`) with `was` of `was_base`
/// earlier (design effect `was_deff`).
pub fn compare(
    (was, was_base, was_deff): (u32, u32, f64),
    (count, base, deff): (u32, u32, f64),
) -> Change {
    let share = |k: u32, n: u32| f64::from(k) / f64::from(n);
    let mut change = Change {
        was: (was, was_base),
        now: (count, base),
        difference: None,
        interval: None,
        verdict: Verdict::NoAnswers,
    };
    if base == 0 || was_base == 0 || count > base || was > was_base {
        return change;
    }
    change.difference = Some(share(count, base) - share(was, was_base));
    change.interval = newcombe_design((count, base, deff), (was, was_base, was_deff));
    change.verdict = if base < TOO_FEW || was_base < TOO_FEW {
        Verdict::TooFew
    } else if super::tenths(count, base) == super::tenths(was, was_base) {
        Verdict::Unchanged
    } else {
        match change.interval {
            Some(i) if i.low > 0.0 => Verdict::Rise,
            Some(i) if i.high < 0.0 => Verdict::Fall,
            _ => Verdict::NoClearChange,
        }
    };
    change
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe's example (56 of 70 against 48 of 80) is a rise; 33 of 72 against 31 of 72
    /// (the progress table's 43.1 → 47.2 kind) is no clear change; a round with no answers,
    /// or under ten, compares nothing.
    #[test]
    fn a_change_is_a_rise_or_a_fall_only_where_its_interval_leaves_out_zero() {
        let rise = compare((48, 80, 1.0), (56, 70, 1.0));
        assert_eq!(rise.verdict, Verdict::Rise);
        assert!((rise.difference.unwrap() - (0.8 - 0.6)).abs() < 1e-12);
        assert_eq!(compare((56, 70, 1.0), (48, 80, 1.0)).verdict, Verdict::Fall);
        assert_eq!(
            compare((31, 72, 1.0), (34, 72, 1.0)).verdict,
            Verdict::NoClearChange
        );
        // clustering widens the interval: a clear rise at independence may not be one
        let clustered = compare((48, 80, 3.0), (56, 70, 3.0));
        assert_eq!(clustered.verdict, Verdict::NoClearChange);
        assert_eq!(
            compare((0, 0, 1.0), (5, 9, 1.0)).verdict,
            Verdict::NoAnswers
        );
        assert_eq!(compare((5, 9, 1.0), (0, 0, 1.0)).difference, None);
        assert_eq!(compare((4, 9, 1.0), (40, 50, 1.0)).verdict, Verdict::TooFew);
        assert_eq!(
            compare((44, 75, 1.0), (88, 150, 1.0)).verdict,
            Verdict::Unchanged
        );
    }
}
