//! Disclosure: what an edition may show of a tally. (Over 500 lines: half of it is the tests
//! of the withholding rule, which belong beside it.) Small numbers are withheld so that no
//! withheld count can be worked out from what is shown.
//!
//! An edition with `suppress_below: N` withholds every count from 1 to N−1 (*primary*
//! suppression). That alone is not enough: where the counts of a question add up to its
//! base, one withheld cell is the base minus the others. So further cells are withheld
//! (*secondary* suppression), the next-smallest shown count each time, until every withheld
//! cell has at least three values consistent with what is shown; a base below N withholds
//! the whole tally, zeros included. Every consumer (charts, chart tables, prose, alt text,
//! the edition's `figures.csv`) reads the same [`ShownTally`], so they agree.
//!
//! The reader this guards against knows the threshold, the base (when shown), every shown
//! count, that zero counts are always shown, and that counts of a single-answer question add
//! up to its base and those of a multiple-answer question add up to at least it; and takes
//! every withheld count to be below N where that fits what is shown (else at least one).
//! `docs/safety.md` states the rule, why three values, and its limits.

use crate::collate::Tally;
pub use crate::input::model::Answers;

/// A count as an edition shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Shown as it is.
    Count(u32),
    /// Withheld: small, or protecting one that is.
    Withheld,
}

impl Shown {
    /// The count, when shown.
    pub fn count(self) -> Option<u32> {
        match self {
            Shown::Count(n) => Some(n),
            Shown::Withheld => None,
        }
    }
}

/// A tally as an edition shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownTally {
    /// Returns that answered.
    pub base: Shown,
    /// Each option's count, in the question's order.
    pub counts: Vec<(String, Shown)>,
}

impl ShownTally {
    /// How `option` shows; `None` if the measure has no such option.
    pub fn count(&self, option: &str) -> Option<Shown> {
        self.counts
            .iter()
            .find(|(id, _)| id == option)
            .map(|(_, shown)| *shown)
    }
}

/// The facts (audit.yaml's counts typed by the lead: `(name, value)`) an edition that
/// withholds counts below `below` withholds: each from 1 to below−1, and then, where a shown
/// fact less another shown fact is a withheld one (34 plans, 31 of neglect, "the remaining"
/// withheld: 34 − 31 = 3), the smaller of the two too, until none is. Nothing says which
/// facts add up, so every difference of two counts; differences of three or more facts are
/// not tried (they met by coincidence often enough to withhold half the sample's facts).
///
/// `totals` are figures every edition shows (the audit's cases, requests and returns): a
/// fact less a total, or a total less a fact ("17 cases were selected and 15 audited"),
/// counts too, and then the fact is withheld.
pub fn withheld_facts(
    facts: &[(&str, f64)],
    totals: &[f64],
    below: u32,
) -> std::collections::BTreeSet<String> {
    let small = |v: f64| v > 0.0 && v < f64::from(below);
    let mut withheld: std::collections::BTreeSet<String> = facts
        .iter()
        .filter(|(_, v)| small(*v))
        .map(|(n, _)| n.to_string())
        .collect();
    loop {
        let hidden: Vec<f64> = facts
            .iter()
            .filter(|(n, _)| withheld.contains(*n))
            .map(|(_, v)| *v)
            .collect();
        // shown facts by name, then the totals, which have none
        let shown: Vec<(Option<&str>, f64)> = facts
            .iter()
            .filter(|(n, _)| !withheld.contains(*n))
            .map(|&(n, v)| (Some(n), v))
            .chain(totals.iter().map(|&v| (None, v)))
            .collect();
        let same = |a: f64, b: f64| (a - b).abs() < 1e-9;
        let mut also = None;
        'search: for (i, &(whole_name, whole)) in shown.iter().enumerate() {
            for (j, &(part_name, p)) in shown.iter().enumerate() {
                if i == j {
                    continue;
                }
                if hidden.iter().any(|&h| same(whole - p, h))
                    && let Some(name) = part_name.or(whole_name)
                {
                    also = Some(name);
                    break 'search;
                }
            }
        }
        match also {
            Some(name) => {
                withheld.insert(name.to_string());
            }
            None => return withheld,
        }
    }
}

/// What an edition with threshold `below` (none: show everything) shows of `tally`.
pub fn disclose(tally: &Tally, below: Option<u32>) -> ShownTally {
    let answers = tally.answers;
    let show_all = || ShownTally {
        base: Shown::Count(tally.base),
        counts: tally
            .counts
            .iter()
            .map(|(id, n)| (id.clone(), Shown::Count(*n)))
            .collect(),
    };
    let Some(below) = below else {
        return show_all();
    };
    let small = |n: u32| n > 0 && n < below;
    if small(tally.base) {
        // A handful of returns: any figure at all, a zero too, narrows down who they are.
        return ShownTally {
            base: Shown::Withheld,
            counts: tally
                .counts
                .iter()
                .map(|(id, _)| (id.clone(), Shown::Withheld))
                .collect(),
        };
    }
    let counts: Vec<u32> = tally.counts.iter().map(|(_, n)| *n).collect();
    let mut withheld: Vec<bool> = counts.iter().map(|&n| small(n)).collect();
    let mut base_withheld = false;
    while !safe(tally.base, &counts, &withheld, answers, below) {
        let next = (0..counts.len())
            .filter(|&i| !withheld[i] && counts[i] > 0)
            .min_by_key(|&i| (counts[i], i));
        match next {
            Some(i) => withheld[i] = true,
            None => {
                base_withheld = true;
                break;
            }
        }
    }
    ShownTally {
        base: if base_withheld {
            Shown::Withheld
        } else {
            Shown::Count(tally.base)
        },
        counts: tally
            .counts
            .iter()
            .zip(&withheld)
            .map(|((id, n), &w)| {
                (
                    id.clone(),
                    if w { Shown::Withheld } else { Shown::Count(*n) },
                )
            })
            .collect(),
    }
}

/// Whether every withheld cell keeps enough possible values (see [`possible_values`]) for
/// the reader of the module comment: at least three, or, where every withheld count could
/// be a small one and the threshold leaves fewer than three small values (N = 3), all of
/// them.
fn safe(base: u32, counts: &[u32], withheld: &[bool], answers: Answers, below: u32) -> bool {
    let k = withheld.iter().filter(|&&w| w).count();
    if k == 0 {
        return true;
    }
    let visible: u64 = counts
        .iter()
        .zip(withheld)
        .filter(|(_, w)| !**w)
        .map(|(&n, _)| u64::from(n))
        .sum();
    let (values, all_small) = values_of_a_withheld_cell(Some(base), visible, k, answers, below);
    let count: u64 = values.iter().map(|r| r.end() + 1 - r.start()).sum();
    count >= needed(all_small, below) as u64
}

/// How many possible values a withheld count must keep: three, or every small value where
/// the reader may take every withheld count to be small and there are fewer than three.
fn needed(all_small: bool, below: u32) -> usize {
    if all_small {
        3.min((below as usize).saturating_sub(1))
    } else {
        3
    }
}

/// What [`largest_possible`] gives for a count nothing bounds: one under a withheld base.
pub const UNBOUNDED: u32 = u32::MAX;

/// The largest value each count of `shown` could take for the module's reader (the most
/// [`possible_values`] gives, worked out at once rather than by search, so it is cheap at any
/// base): `None` for a shown count. What an edition may say of a withheld figure ("fewer
/// than 5", "no more than 16 per cent") is what this gives, so it tells the reader nothing
/// they could not work out from what is shown.
pub fn largest_possible(shown: &ShownTally, answers: Answers, below: u32) -> Vec<Option<u32>> {
    let hidden = shown
        .counts
        .iter()
        .filter(|(_, s)| *s == Shown::Withheld)
        .count() as u32;
    let visible: u32 = shown.counts.iter().filter_map(|(_, s)| s.count()).sum();
    shown
        .counts
        .iter()
        .map(|(_, s)| match (s, shown.base, answers) {
            (Shown::Count(_), _, _) => None,
            // A withheld base may be a small one or one withheld because its counts could
            // not be protected otherwise: nothing bounds a count under it ([`UNBOUNDED`]).
            (Shown::Withheld, Shown::Withheld, _) => Some(UNBOUNDED),
            // The withheld cells add up to the rest, each at least 1 (zeros are shown), and
            // one of them below the threshold (the others at 1 are).
            (Shown::Withheld, Shown::Count(base), Answers::One) => Some(
                base.saturating_sub(visible)
                    .saturating_sub(hidden.saturating_sub(1))
                    .max(1),
            ),
            // A lone withheld cell is the small one; of two or more, any could be the base.
            (Shown::Withheld, Shown::Count(_), Answers::Several) if hidden == 1 => {
                Some(below.saturating_sub(1))
            }
            (Shown::Withheld, Shown::Count(base), Answers::Several) => Some(base),
        })
        .collect()
}

/// Every value each withheld count of `shown` could take, for the reader of the module
/// comment: what someone working back from the edition could learn. The reader assumes the
/// worst for us: where every withheld count could be below the threshold, that they all
/// are (so "15 cases, 8 under five, the other two bands withheld" gives each band only
/// 3 or 4, and is not enough); only where that cannot be, that some withheld count
/// protects a small one and may be any size. Independent of the rule that withholds
/// (`disclose` keeps this at three values or more); used by the tests and open to anyone
/// auditing an edition's figures.
pub fn possible_values(shown: &ShownTally, answers: Answers, below: u32) -> Vec<Vec<u32>> {
    let hidden = shown
        .counts
        .iter()
        .filter(|(_, s)| *s == Shown::Withheld)
        .count();
    if hidden == 0 {
        return Vec::new();
    }
    let visible: u64 = shown
        .counts
        .iter()
        .filter_map(|(_, s)| s.count())
        .map(u64::from)
        .sum();
    let (values, _) =
        values_of_a_withheld_cell(shown.base.count(), visible, hidden, answers, below);
    let values: Vec<u32> = values.into_iter().flatten().map(|v| v as u32).collect();
    // The withheld cells are alike to the reader (the same bounds, one sum), so each
    // has the same possible values.
    vec![values; hidden]
}

/// The values one of `k` withheld cells can take, as ascending disjoint ranges, and whether the reader could take them
/// all to be small. `base` is `None` when it is withheld too (then it is from 1 to
/// below−1, and zeros are withheld with the rest). Each cell's values under a sum of
/// cells with bounds form one interval (two where a cell is either small or protecting),
/// so they are worked out from the bounds, not by trying every assignment: a base of
/// thousands costs nothing.
fn values_of_a_withheld_cell(
    base: Option<u32>,
    visible: u64,
    k: usize,
    answers: Answers,
    below: u32,
) -> (Vec<std::ops::RangeInclusive<u64>>, bool) {
    let bases: Vec<u64> = match base {
        Some(b) => vec![u64::from(b)],
        None => (1..u64::from(below)).collect(),
    };
    let low = u64::from(base.is_some());
    // (`check` refuses a threshold below 3; a library caller's 0 is taken as 1, not a panic)
    let below = u64::from(below.max(1));
    let others = k as u64 - 1;
    // The values x in x_lo..=x_hi for which the other withheld cells, whose sum lies in
    // others_least..=others_most, can make the tally add up.
    #[allow(clippy::reversed_empty_ranges)] // `1..=0`: no value fits
    let fits = |base: u64, x_lo: u64, x_hi: u64, others_least: u64, others_most: u64| {
        let rest = match answers {
            Answers::One => base.checked_sub(visible),
            Answers::Several => Some(base.saturating_sub(visible)),
        };
        let Some(rest) = rest else {
            return 1..=0;
        };
        match answers {
            // x + the others = rest
            Answers::One if rest < others_least => 1..=0,
            Answers::One => {
                x_lo.max(rest.saturating_sub(others_most))..=x_hi.min(rest - others_least)
            }
            // x + the others ≥ rest
            Answers::Several => x_lo.max(rest.saturating_sub(others_most))..=x_hi,
        }
    };
    let mut all_small = Vec::new();
    for &base in &bases {
        let small_most = base.min(below - 1);
        all_small.push(fits(
            base,
            low,
            small_most,
            others * low,
            others * small_most,
        ));
    }
    let all_small = merged(all_small);
    if !all_small.is_empty() {
        return (all_small, true);
    }
    (some_small(&bases, low, below, others, &fits), false)
}

/// The values a withheld cell can take when some withheld count protects a small one and
/// may be any size up to the base: what is true of every tally `disclose` shows (the
/// reader's view when every count cannot be small, and the bound a printed "no more than"
/// may state).
fn some_small(
    bases: &[u64],
    low: u64,
    below: u64,
    others: u64,
    fits: &dyn Fn(u64, u64, u64, u64, u64) -> std::ops::RangeInclusive<u64>,
) -> Vec<std::ops::RangeInclusive<u64>> {
    let mut any = Vec::new();
    for &base in bases {
        let small_most = base.min(below - 1);
        // x is the small one: the others are anything
        any.push(fits(base, low, small_most, others * low, others * base));
        // x protects: one of the others is small
        if others >= 1 {
            let most = small_most + (others - 1) * base;
            any.push(fits(base, below, base, others * low, most));
        }
    }
    merged(any)
}

/// `ranges` without the empty ones, in order, those that overlap or touch made one.
fn merged(mut ranges: Vec<std::ops::RangeInclusive<u64>>) -> Vec<std::ops::RangeInclusive<u64>> {
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| *r.start());
    let mut out: Vec<std::ops::RangeInclusive<u64>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if *r.start() <= last.end() + 1 => {
                *last = *last.start()..=(*last.end()).max(*r.end());
            }
            _ => out.push(r),
        }
    }
    out
}
#[cfg(test)]
mod tests {
    /// `largest_possible` is the most `possible_values` finds, for every tally `disclose`
    /// gives of small audits, of one answer or several.
    #[test]
    fn the_largest_possible_value_is_what_the_search_finds() {
        for answers in [Answers::One, Answers::Several] {
            for base in 1..=14u32 {
                for a in 0..=base {
                    for b in 0..=(base - a) {
                        let c = base - a - b;
                        let counts = match answers {
                            Answers::One => vec![a, b, c],
                            Answers::Several => vec![a, b, c.min(base / 2)],
                        };
                        let tally = crate::collate::Tally {
                            base,
                            counts: counts
                                .iter()
                                .enumerate()
                                .map(|(i, n)| (format!("o{i}"), *n))
                                .collect(),
                            answers,
                            cases: 0,
                        };
                        let shown = super::disclose(&tally, Some(4));
                        // (the bound must hold of the tally as it is, so it is the
                        // search's over every tally with a small withheld count, not
                        // the pessimistic reader's of `possible_values`)
                        if shown.base == super::Shown::Withheld {
                            assert!(
                                super::largest_possible(&shown, answers, 4)
                                    .iter()
                                    .zip(&shown.counts)
                                    .all(|(m, (_, s))| s.count().is_some()
                                        || *m == Some(super::UNBOUNDED))
                            );
                            continue;
                        }
                        let found = super::tests::possible_sound(&shown, answers, 4);
                        let largest_of_each = super::largest_possible(&shown, answers, 4);
                        for (((_, real), (_, seen)), most) in
                            tally.counts.iter().zip(&shown.counts).zip(&largest_of_each)
                        {
                            if *seen == super::Shown::Withheld {
                                assert!(most.is_some_and(|m| m >= *real), "{tally:?}: {most:?}");
                            }
                        }
                        let largest: Vec<u32> = largest_of_each.into_iter().flatten().collect();
                        let most: Vec<u32> = found
                            .iter()
                            .map(|v| v.iter().copied().max().unwrap_or(0))
                            .collect();
                        assert_eq!(largest, most, "{tally:?} shown as {shown:?}");
                    }
                }
            }
        }
    }

    /// A withheld fact that is a shown fact less one or two others takes the smallest of
    /// those with it (found by a review helper's attack: 34 plans, 31 of neglect, the rest
    /// withheld, printed "thirty one ... the remaining a withheld number").
    #[test]
    fn a_fact_that_others_give_away_takes_one_of_them_with_it() {
        let facts = [
            ("plans", 34.0),
            ("neglect", 31.0),
            ("emotional", 3.0),
            ("siblings", 7.0),
        ];
        let withheld = super::withheld_facts(&facts, &[], 5);
        assert_eq!(
            withheld.into_iter().collect::<Vec<_>>(),
            ["emotional", "neglect"]
        );
        // three parts are not tried (40 = 30 + 7 + 3): coincidences of three withheld
        // half the sample's facts
        let facts = [
            ("plans", 40.0),
            ("neglect", 30.0),
            ("physical", 7.0),
            ("emotional", 3.0),
        ];
        assert_eq!(super::withheld_facts(&facts, &[], 5).len(), 1);
        // the review's case: the sample's facts and a few more withhold only the small one
        let facts = [
            ("cp_plans", 202.0),
            ("repeat", 34.0),
            ("neglect", 23.0),
            ("emotional", 11.0),
            ("siblings", 7.0),
            ("contacts", 40.0),
            ("police", 20.0),
            ("health", 10.0),
            ("school", 7.0),
            ("parents", 3.0),
        ];
        let withheld = super::withheld_facts(&facts, &[], 5);
        assert!(
            withheld.contains("parents") && !withheld.contains("neglect"),
            "{withheld:?}"
        );
        // a fact against a total the edition shows: 17 selected, 15 audited, 2 dropped
        let facts = [("selected", 17.0), ("dropped", 2.0)];
        let withheld = super::withheld_facts(&facts, &[15.0, 77.0, 90.0], 5);
        assert_eq!(
            withheld.into_iter().collect::<Vec<_>>(),
            ["dropped", "selected"]
        );
        // nothing adds up: only the small one
        let facts = [
            ("cp_plans", 202.0),
            ("repeat", 34.0),
            ("siblings", 7.0),
            ("few", 2.0),
        ];
        assert_eq!(super::withheld_facts(&facts, &[], 5).len(), 1);
        // the sample's facts at the sample's threshold: none is small, none withheld
        let facts = [
            ("a", 202.0),
            ("b", 34.0),
            ("c", 23.0),
            ("d", 11.0),
            ("e", 7.0),
        ];
        assert!(super::withheld_facts(&facts, &[], 5).is_empty());
    }

    use super::*;

    fn tally(base: u32, counts: &[u32], answers: Answers) -> Tally {
        Tally {
            base,
            answers,
            cases: 0,
            counts: counts
                .iter()
                .enumerate()
                .map(|(i, &n)| (format!("o{i}"), n))
                .collect(),
        }
    }

    fn shown(t: &ShownTally) -> Vec<Option<u32>> {
        t.counts.iter().map(|(_, s)| s.count()).collect()
    }

    #[test]
    fn nothing_is_withheld_without_a_threshold() {
        let t = disclose(&tally(70, &[58, 4, 8], Answers::One), None);
        assert_eq!(shown(&t), [Some(58), Some(4), Some(8)]);
        assert_eq!(t.base, Shown::Count(70));
    }

    #[test]
    fn a_lone_small_cell_takes_the_next_smallest_with_it() {
        // 70 answered: Yes 58, No 4, N/A 8. Showing 58 and 8 would give No = 4.
        let t = disclose(&tally(70, &[58, 4, 8], Answers::One), Some(5));
        assert_eq!(shown(&t), [Some(58), None, None]);
        assert_eq!(t.base, Shown::Count(70));
    }

    #[test]
    fn two_withheld_ones_are_not_enough() {
        // Yes 8, No 1, N/A 1: two withheld cells adding up to 2 are both 1.
        let t = disclose(&tally(10, &[8, 1, 1], Answers::One), Some(5));
        assert_eq!(shown(&t), [None, None, None]);
    }

    #[test]
    fn two_small_cells_known_to_within_one_are_not_enough() {
        // The reader: 15 cases, 8 under five, the other two bands withheld. They
        // add up to 7 and each is 1 to 4, so each is 3 or 4: the 8 goes too.
        let t = disclose(&tally(15, &[8, 4, 3], Answers::One), Some(5));
        assert_eq!(shown(&t), [None, None, None]);
        assert_eq!(t.base, Shown::Count(15));
        // 16 cases, 8 under five and two bands of 4: each is 4 exactly; the 8 goes too.
        let t = disclose(&tally(16, &[8, 4, 4], Answers::One), Some(5));
        assert_eq!(shown(&t), [None, None, None]);
        // 12 cases, 8 and two withheld adding up to 4: each 1, 2 or 3 — three values.
        let t = disclose(&tally(12, &[8, 2, 2], Answers::One), Some(5));
        assert_eq!(shown(&t), [Some(8), None, None]);
        assert_eq!(
            possible_values(&t, Answers::One, 5),
            [vec![1, 2, 3], vec![1, 2, 3]]
        );
    }

    #[test]
    fn a_small_base_withholds_everything_zeros_too() {
        let t = disclose(&tally(1, &[1, 0], Answers::One), Some(5));
        assert_eq!(t.base, Shown::Withheld);
        assert_eq!(shown(&t), [None, None]);
    }

    #[test]
    fn zeros_are_shown_and_not_used_to_protect() {
        let t = disclose(&tally(9, &[8, 1, 0], Answers::One), Some(5));
        assert_eq!(shown(&t), [None, None, Some(0)]);
    }

    #[test]
    fn multiple_answers_withhold_more_only_when_the_lone_cell_is_pinned() {
        // 20 answered, 18 and 3 ticked: the withheld cell is at least 2 and below 5.
        let t = disclose(&tally(20, &[18, 3], Answers::Several), Some(5));
        assert_eq!(shown(&t), [Some(18), None]);
        // 20 answered, 16 ticked the other: the withheld one is at least 4, so exactly 4.
        let t = disclose(&tally(20, &[16, 4], Answers::Several), Some(5));
        assert_eq!(shown(&t), [None, None]);
    }

    /// Every value each withheld cell can take given what is shown, by brute force: the
    /// reader of `possible_values`, written independently of it and of `safe`: every
    /// assignment of the withheld cells is tried; those with every cell small are the
    /// reader's answer if there are any, else those with at least one.
    fn search(shown: &ShownTally, answers: Answers, below: u32, sound: bool) -> Vec<Vec<u32>> {
        let hidden: Vec<usize> = (0..shown.counts.len())
            .filter(|&i| shown.counts[i].1 == Shown::Withheld)
            .collect();
        let visible: u32 = shown.counts.iter().filter_map(|(_, s)| s.count()).sum();
        let bases: Vec<u32> = match shown.base {
            Shown::Count(b) => vec![b],
            Shown::Withheld => (1..below).collect(),
        };
        let mut all_small = vec![std::collections::BTreeSet::new(); hidden.len()];
        let mut some_small = vec![std::collections::BTreeSet::new(); hidden.len()];
        for base in bases {
            let low = u32::from(shown.base != Shown::Withheld);
            let mut values = vec![low; hidden.len()];
            loop {
                let total = visible + values.iter().sum::<u32>();
                let adds_up = match answers {
                    Answers::One => total == base,
                    Answers::Several => total >= base,
                };
                let one_small = shown.base == Shown::Withheld || values.iter().any(|&v| v < below);
                if adds_up && values.iter().all(|&v| v < below) {
                    for (set, &v) in all_small.iter_mut().zip(&values) {
                        set.insert(v);
                    }
                }
                if adds_up && one_small {
                    for (set, &v) in some_small.iter_mut().zip(&values) {
                        set.insert(v);
                    }
                }
                // next assignment, each value in low..=base
                let mut i = 0;
                while i < values.len() && values[i] == base {
                    values[i] = low;
                    i += 1;
                }
                if i == values.len() {
                    break;
                }
                values[i] += 1;
            }
        }
        let seen = if all_small.iter().any(|s| !s.is_empty()) && !sound {
            all_small
        } else {
            some_small
        };
        seen.into_iter().map(|s| s.into_iter().collect()).collect()
    }

    /// [`possible`]'s search over every tally with a small withheld count, whether or not
    /// all could be small: what is true of the tally shown.
    pub(super) fn possible_sound(
        shown: &ShownTally,
        answers: Answers,
        below: u32,
    ) -> Vec<Vec<u32>> {
        search(shown, answers, below, true)
    }

    fn possible(shown: &ShownTally, answers: Answers, below: u32) -> Vec<Vec<u32>> {
        search(shown, answers, below, false)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn no_withheld_count_can_be_worked_out(
            counts in proptest::collection::vec(0u32..7, 1..5),
            several in proptest::bool::ANY,
            extra in 0u32..4,
            below in 3u32..8,
        ) {
            let answers = if several { Answers::Several } else { Answers::One };
            // A multiple-answer base is at most the sum and at least the largest count.
            let base = match answers {
                Answers::One => counts.iter().sum(),
                Answers::Several => {
                    let max = counts.iter().copied().max().unwrap_or(0);
                    counts.iter().sum::<u32>().min(max + extra)
                }
            };
            let t = tally(base, &counts, answers);
            let shown = disclose(&t, Some(below));
            for (i, (_, s)) in shown.counts.iter().enumerate() {
                if let Shown::Count(n) = s {
                    proptest::prop_assert!(*n == 0 || *n >= below, "cell {i} shows {n}");
                }
            }
            let brute = possible(&shown, answers, below);
            let small_only = brute.iter().all(|v| v.iter().all(|&n| n < below));
            let needed = if small_only { 3.min(below as usize - 1) } else { 3 };
            for values in &brute {
                proptest::prop_assert!(values.len() >= needed, "{counts:?} of {base}: {shown:?} narrows a cell to {values:?}");
            }
            proptest::prop_assert_eq!(possible_values(&shown, answers, below), brute);
        }
    }
}
