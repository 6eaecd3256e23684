//! Honest statistics for small samples: how far a percentage from a few dozen returns could
//! be from the truth, and whether a change between two rounds is more than chance.
//!
//! - [`wilson`]: the Wilson score interval for one proportion (good at small bases and near
//!   0 % or 100 %, where the textbook interval fails).
//! - [`newcombe`]: Newcombe's hybrid score interval for the difference of two independent
//!   proportions (his method 10), built from the two Wilson intervals.
//! - [`fisher`]: Fisher's exact test, two-sided, for a 2×2 table (exact at any base).
//!
//! All at 95 %. The distributions come from statrs; the tests pin the results to the
//! published worked examples.

use statrs::distribution::{ContinuousCDF, Discrete, Hypergeometric, Normal};

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

/// The Wilson score interval for `count` of `base`; `None` when the base is 0.
pub fn wilson(count: u32, base: u32) -> Option<Interval> {
    if base == 0 || count > base {
        return None;
    }
    let (n, p, z) = (f64::from(base), f64::from(count) / f64::from(base), z95());
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Some(Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    })
}

/// Newcombe's interval for `(a / m) − (b / n)`; `None` when a base is 0.
pub fn newcombe(a: u32, m: u32, b: u32, n: u32) -> Option<Interval> {
    let (first, second) = (wilson(a, m)?, wilson(b, n)?);
    let (p1, p2) = (f64::from(a) / f64::from(m), f64::from(b) / f64::from(n));
    let d = p1 - p2;
    Some(Interval {
        low: d - ((p1 - first.low).powi(2) + (second.high - p2).powi(2)).sqrt(),
        high: d + ((first.high - p1).powi(2) + (p2 - second.low).powi(2)).sqrt(),
    })
}

/// Fisher's exact test, two-sided, for `a` of `m` against `b` of `n`: the probability, were
/// both rounds the same, of a table at least as far from even as this one. `None` when a
/// base is 0.
pub fn fisher(a: u32, m: u32, b: u32, n: u32) -> Option<f64> {
    if m == 0 || n == 0 || a > m || b > n {
        return None;
    }
    let (total, successes) = (u64::from(m + n), u64::from(a + b));
    let table = Hypergeometric::new(total, successes, u64::from(m)).ok()?;
    let observed = table.pmf(u64::from(a));
    let low = (a + b).saturating_sub(n);
    let high = (a + b).min(m);
    // Tables as likely as the observed one count as "at least as far"; the tolerance keeps
    // rounding from dropping the observed table's mirror image.
    let p: f64 = (low..=high)
        .map(|k| table.pmf(u64::from(k)))
        .filter(|&p| p <= observed * (1.0 + 1e-7))
        .sum();
    Some(p.min(1.0))
}

/// Whether a change is beyond what chance alone would give at these bases (Fisher's exact
/// test, two-sided, at the 5 % level).
pub fn beyond_chance(a: u32, m: u32, b: u32, n: u32) -> bool {
    fisher(a, m, b, n).is_some_and(|p| p < 0.05)
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

    /// Fisher's "lady tasting tea" (3 of 4 cups right each way: two-sided p = 34/70), and
    /// the dieting example of Wikipedia's "Fisher's exact test" (1 of 10 against 11 of 14:
    /// p = 0.002759).
    #[test]
    fn fisher_matches_the_worked_examples() {
        assert!((fisher(3, 4, 1, 4).unwrap() - 34.0 / 70.0).abs() < 1e-9);
        assert!((fisher(1, 10, 11, 14).unwrap() - 0.002759).abs() < 0.000001);
        assert!((fisher(5, 10, 5, 10).unwrap() - 1.0).abs() < 1e-9);
        assert!(beyond_chance(1, 10, 11, 14) && !beyond_chance(3, 4, 1, 4));
        assert_eq!(fisher(1, 0, 0, 3), None);
    }
}
