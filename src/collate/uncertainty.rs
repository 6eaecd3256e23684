//! Honest statistics for small samples: how far a percentage from a few dozen returns could
//! be from the truth, and whether a change between two rounds is more than chance.
//!
//! - `wilson`: the Wilson score interval for one proportion (good at small bases and near
//!   0 % or 100 %, where the textbook interval fails).
//! - `newcombe`: Newcombe's hybrid score interval for the difference of two independent
//!   proportions (his method 10), built from the two Wilson intervals. Both are kept for the
//!   tests, which pin them (and so the design-adjusted forms at a design effect of 1) to the
//!   published worked examples; Fisher's exact test, which assumes independent answers, is
//!   no longer used: whether a change is clear follows its interval (`change`).
//!
//! - [`Clustering`]: returns are clustered by case (several agencies answer about one child,
//!   and their answers tend to agree), so every interval is widened by Kish's design effect
//!   `1 + (m − 1)ρ`, with `ρ` estimated from the cases by the one-way analysis-of-variance
//!   estimator (Donner & Klar 2000) and pooled over the audit's questions: [`wilson_design`]
//!   gives Wilson's interval at the effective sample size `n / deff`, and
//!   [`newcombe_design`] combines two such intervals as Newcombe's method 10 does (Zou &
//!   Donner's MOVER justifies any good single-proportion limits there).
//!
//! All at 95 %. The distributions come from statrs; the tests pin the results to the
//! published worked examples.

use statrs::distribution::{ContinuousCDF, Normal};

/// The two-sided 95 % point of the standard normal (1.959 96…).
fn z95() -> f64 {
    Normal::standard().inverse_cdf(0.975)
}

/// A 95 % interval, as proportions (0 to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// The Wilson score interval for `count` of `base` (no clustering); for the tests, which pin
/// it to the published values.
#[cfg(test)]
fn wilson(count: u32, base: u32) -> Option<Interval> {
    wilson_design(count, base, 1.0)
}

/// Newcombe's interval for `(a / m) − (b / n)` (no clustering); for the tests.
#[cfg(test)]
fn newcombe(a: u32, m: u32, b: u32, n: u32) -> Option<Interval> {
    newcombe_design((a, m, 1.0), (b, n, 1.0))
}

/// Wilson's interval for a share `p` (0 to 1) from `n` answers, `n` not necessarily whole
/// (an effective sample size).
fn wilson_at(p: f64, n: f64) -> Interval {
    let z = z95();
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// How the returns of one round cluster in its cases.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Clustering {
    /// The intra-case correlation `ρ`, pooled over the round's measures and options (the
    /// mean of their estimates, each truncated at 0); 0 when nothing could be estimated.
    pub rho: f64,
    /// How many measure-option estimates were pooled.
    pub pooled: u32,
}

impl Clustering {
    /// Estimates `ρ` from `groups`: for each measure and option, the answering returns and
    /// the returns choosing it in each case. A measure-option answered in fewer than two
    /// cases, or with no spread at all, gives no estimate.
    pub fn estimate<'a>(groups: impl IntoIterator<Item = &'a [(u32, u32)]>) -> Clustering {
        let (mut sum, mut pooled) = (0.0, 0u32);
        for cases in groups {
            if let Some(rho) = anova_rho(cases) {
                sum += rho.max(0.0);
                pooled += 1;
            }
        }
        Clustering {
            rho: if pooled == 0 {
                0.0
            } else {
                sum / f64::from(pooled)
            },
            pooled,
        }
    }

    /// Kish's design effect for `base` returns from `cases` cases: `1 + (m − 1)ρ`, `m` the
    /// mean returns per case; never below 1.
    pub fn design_effect(&self, base: u32, cases: u32) -> f64 {
        if cases == 0 || base == 0 {
            return 1.0;
        }
        let m = f64::from(base) / f64::from(cases);
        (1.0 + (m - 1.0) * self.rho).max(1.0)
    }
}

/// The one-way ANOVA estimator of the intra-cluster correlation of a 0/1 answer, clusters
/// of unequal size (Donner & Klar 2000, after Fleiss): `cases` holds each case's answering
/// returns `n_i` and those choosing the option `x_i`. `None` when it cannot be estimated.
fn anova_rho(cases: &[(u32, u32)]) -> Option<f64> {
    let cases: Vec<(f64, f64)> = cases
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, x)| (f64::from(*n), f64::from(*x)))
        .collect();
    let k = cases.len() as f64;
    let total: f64 = cases.iter().map(|(n, _)| n).sum();
    if k < 2.0 || total <= k {
        return None;
    }
    let p = cases.iter().map(|(_, x)| x).sum::<f64>() / total;
    let msb = cases
        .iter()
        .map(|(n, x)| n * (x / n - p).powi(2))
        .sum::<f64>()
        / (k - 1.0);
    let msw = cases
        .iter()
        .map(|(n, x)| n * (x / n) * (1.0 - x / n))
        .sum::<f64>()
        / (total - k);
    let n0 = (total - cases.iter().map(|(n, _)| n * n).sum::<f64>() / total) / (k - 1.0);
    let denominator = msb + (n0 - 1.0) * msw;
    (denominator > 0.0).then(|| (msb - msw) / denominator)
}

/// Wilson's interval for `count` of `base` at the effective sample size `base / deff`
/// (Korn & Graubard 1998): with `deff` 1, [`wilson`]. `None` when the base is 0.
pub fn wilson_design(count: u32, base: u32, deff: f64) -> Option<Interval> {
    if base == 0 || count > base {
        return None;
    }
    let p = f64::from(count) / f64::from(base);
    Some(wilson_at(p, f64::from(base) / deff.max(1.0)))
}

/// Newcombe's interval for `(a / m) − (b / n)` from the two design-adjusted Wilson
/// intervals (design effects `deff_a`, `deff_b`); `None` when a base is 0.
pub fn newcombe_design(
    (a, m, deff_a): (u32, u32, f64),
    (b, n, deff_b): (u32, u32, f64),
) -> Option<Interval> {
    let (first, second) = (wilson_design(a, m, deff_a)?, wilson_design(b, n, deff_b)?);
    let (p1, p2) = (f64::from(a) / f64::from(m), f64::from(b) / f64::from(n));
    let d = p1 - p2;
    Some(Interval {
        low: d - ((p1 - first.low).powi(2) + (second.high - p2).powi(2)).sqrt(),
        high: d + ((first.high - p1).powi(2) + (p2 - second.low).powi(2)).sqrt(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(value: f64, expected: f64) -> bool {
        (value - expected).abs() < 0.00005
    }

    /// Newcombe (1998), "Two-sided confidence intervals for the single proportion",
    /// Statistics in Medicine 17, 857–872, Table I, method 3 (score, no continuity
    /// correction).
    #[test]
    fn wilson_matches_newcombe_1998_table_1() {
        for (count, base, low, high) in [
            (81, 263, 0.2553, 0.3662),
            (15, 148, 0.0624, 0.1605),
            (0, 20, 0.0, 0.1611),
            (1, 29, 0.0061, 0.1718),
        ] {
            let i = wilson(count, base).unwrap();
            assert!(
                close(i.low, low) && close(i.high, high),
                "{count}/{base}: {i:?}"
            );
        }
        assert_eq!(wilson(0, 0), None);
    }

    /// Newcombe (1998), "Interval estimation for the difference between independent
    /// proportions", Statistics in Medicine 17, 873–890, Table II, method 10.
    #[test]
    fn newcombe_matches_newcombe_1998_table_2() {
        for ((a, m, b, n), (low, high)) in [
            ((56, 70, 48, 80), (0.0524, 0.3339)),
            ((9, 10, 3, 10), (0.1705, 0.8090)),
        ] {
            let i = newcombe(a, m, b, n).unwrap();
            assert!(
                close(i.low, low) && close(i.high, high),
                "{a}/{m} − {b}/{n}: {i:?}"
            );
        }
    }

    /// At a design effect of 1 the adjusted intervals are the published ones; a larger one
    /// widens them; the ANOVA estimator gives 1 where every case answers as one, about 0
    /// where cases are alike, and nothing for a single case.
    #[test]
    fn the_design_effect_widens_and_reduces_to_the_published_intervals() {
        let plain = wilson(81, 263).unwrap();
        let same = wilson_design(81, 263, 1.0).unwrap();
        assert!(close(plain.low, same.low) && close(plain.high, same.high));
        let wide = wilson_design(81, 263, 2.0).unwrap();
        assert!(wide.low < plain.low && wide.high > plain.high);
        let n = newcombe(56, 70, 48, 80).unwrap();
        let d = newcombe_design((56, 70, 1.0), (48, 80, 1.0)).unwrap();
        assert!(close(n.low, d.low) && close(n.high, d.high));
        // every case all yes or all no: answers within a case agree entirely
        assert!((anova_rho(&[(4, 4), (4, 0), (4, 4), (4, 0)]).unwrap() - 1.0).abs() < 1e-9);
        // each case half and half: no more alike within than between
        assert!(anova_rho(&[(4, 2), (4, 2), (4, 2)]).unwrap() < 0.0);
        assert_eq!(anova_rho(&[(5, 3)]), None);
        let c = Clustering::estimate([&[(4, 4), (4, 0)][..], &[(4, 2), (4, 2)][..]]);
        // (1.0 and a negative estimate truncated at 0, pooled)
        assert_eq!(c.pooled, 2);
        assert!((c.rho - 0.5).abs() < 1e-9, "{c:?}");
        assert!((c.design_effect(8, 2) - 2.5).abs() < 1e-9);
        assert_eq!(Clustering::default().design_effect(77, 15), 1.0);
    }
}
