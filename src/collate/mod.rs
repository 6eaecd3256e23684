//! Collate: &[`Audit`] → [`Stats`], the counts behind every figure, chart and table.
//!
//! Pure: no I/O and no errors. Each measure (a question, or one checklist item) is counted
//! for all cases together and for each case separately. A percentage is of the returns that
//! answered the measure (its base), as the reference report states its figures.

pub mod change;
pub mod disclose;
pub mod numbers;
pub mod uncertainty;

use crate::check::{Audit, Return};
use crate::input::model::Measure;
use serde::Serialize;
use std::collections::BTreeMap;

/// `count` of `base` in tenths of a per cent, rounded half up as a spreadsheet rounds (4 of
/// 64 is 6.25 %: 63 tenths, 6.3 %). Integer arithmetic, so a tie is always a tie. Every
/// printed percentage is this figure.
pub fn tenths(count: u32, base: u32) -> u64 {
    if base == 0 {
        return 0;
    }
    let (count, base) = (u64::from(count), u64::from(base));
    (2000 * count + base) / (2 * base)
}

/// Counts for one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tally {
    /// Returns that answered (for multiple choice: that ticked anything).
    pub base: u32,
    /// Returns choosing each option, in the question's option order.
    pub counts: Vec<(String, u32)>,
    /// Whether the counts add up to the base (one answer per return) or more.
    #[serde(skip)]
    pub answers: crate::input::model::Answers,
    /// The cases its answering returns come from (for all cases together; 1 or 0 for a
    /// case's own tally): with the base, the mean returns per case of its design effect.
    #[serde(skip)]
    pub cases: u32,
}

impl Tally {
    /// Returns choosing `option`; `None` if the measure has no such option.
    pub fn count(&self, option: &str) -> Option<u32> {
        self.counts
            .iter()
            .find(|(id, _)| id == option)
            .map(|(_, n)| *n)
    }

    /// `count` as a percentage of the base; 0 when nobody answered.
    pub fn percent_of(&self, count: u32) -> f64 {
        if self.base == 0 {
            0.0
        } else {
            100.0 * f64::from(count) / f64::from(self.base)
        }
    }
}

/// Every measure's tally for one group of returns.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Collation {
    /// Returns in the group.
    pub returns: u32,
    /// Tally per measure id, for every measure in the bank.
    pub measures: BTreeMap<String, Tally>,
}

/// Requests, returns and response rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Cases in the sample.
    pub cases: u32,
    /// Returns requested (each case's agencies asked).
    pub requests: u32,
    /// Returns received.
    pub returns: u32,
    /// Returns as a percentage of requests.
    pub response_rate: f64,
}

/// The collated audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// Requests, returns, response rate.
    pub totals: Totals,
    /// All cases together.
    pub all: Collation,
    /// Each case separately, by case id.
    pub by_case: BTreeMap<String, Collation>,
    /// Each agency separately, by agency: its returns and how many it was asked for.
    pub by_agency: BTreeMap<String, (u32, Collation)>,
    /// For a re-audit, the earlier round's figures under this round's ids (a question or
    /// option new this round is absent). Not part of this round's record.
    #[serde(skip)]
    pub previous: Option<Box<Earlier>>,
    /// How this round's returns cluster in its cases, for its intervals.
    #[serde(skip)]
    pub clustering: uncertainty::Clustering,
}

/// The earlier round's figures, under this round's question and option ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// Its requests, returns and response rate.
    pub totals: Totals,
    /// All its cases together.
    pub all: Collation,
    /// When it was audited, in words (its `period`).
    pub period: String,
    /// How its returns cluster in its cases.
    pub clustering: uncertainty::Clustering,
}

/// Counts every measure over all returns and over each case's returns.
pub fn collate(audit: &Audit) -> Stats {
    let measures: Vec<Measure> = audit
        .bank
        .questions
        .iter()
        .flat_map(|q| q.measures())
        .collect();
    // Each return's answers are found by position once; every group below then only adds
    // integers, so the cost grows with the returns, not with groups × returns × ids.
    let index = MeasureIndex::new(&measures);
    // (thousands of returns and cases: a share per core)
    let answered: Vec<Answered> = crate::parallel::map(&audit.returns, 1024, |r| index.of(r));
    let mut all = Tallies::over(&measures, answered.iter()).collation(&measures);
    let mut of_case: BTreeMap<&str, Vec<&Answered>> = BTreeMap::new();
    for (r, positions) in audit.returns.iter().zip(&answered) {
        of_case.entry(r.case.as_str()).or_default().push(positions);
    }
    let by_case = crate::parallel::map(&audit.cases, 256, |case| {
        let returns = of_case
            .get(case.id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        (
            case.id.clone(),
            Tallies::over(&measures, returns.iter().copied()).collation(&measures),
        )
    })
    .into_iter()
    .collect();
    let clustering = clustered(&mut all, &by_case);
    let requests = audit.cases.iter().map(|c| c.requested.len() as u32).sum();
    let returns = audit.returns.len() as u32;
    let response_rate = if requests == 0 {
        0.0
    } else {
        100.0 * f64::from(returns) / f64::from(requests)
    };
    let mut by_agency = BTreeMap::new();
    for agency in &audit.info.agencies {
        let asked = audit
            .cases
            .iter()
            .filter(|c| c.requested.contains(agency))
            .count() as u32;
        if asked > 0 {
            let of_agency = audit
                .returns
                .iter()
                .zip(&answered)
                .filter(|(r, _)| &r.agency == agency)
                .map(|(_, positions)| positions);
            let collation = Tallies::over(&measures, of_agency).collation(&measures);
            by_agency.insert(agency.clone(), (asked, collation));
        }
    }
    Stats {
        totals: Totals {
            cases: audit.cases.len() as u32,
            requests,
            returns,
            response_rate,
        },
        all,
        by_case,
        by_agency,
        previous: audit.previous.as_deref().map(|p| Box::new(earlier(p))),
        clustering,
    }
}

/// How the returns of `all` cluster in the cases of `by_case`: each measure's count of
/// answering cases set, and `ρ` estimated from every measure and option's per-case counts.
/// (Every collation holds the same measures in the same order: they are walked side by side.)
fn clustered(
    all: &mut Collation,
    by_case: &BTreeMap<String, Collation>,
) -> uncertainty::Clustering {
    let mut groups: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut of_case: Vec<_> = by_case.values().map(|c| c.measures.values()).collect();
    for tally in all.measures.values_mut() {
        let mut per_option = vec![Vec::with_capacity(by_case.len()); tally.counts.len()];
        let mut cases = 0;
        for case in &mut of_case {
            let Some(own) = case.next().filter(|t| t.base > 0) else {
                continue;
            };
            cases += 1;
            for (o, (_, n)) in own.counts.iter().enumerate() {
                if let Some(group) = per_option.get_mut(o) {
                    group.push((own.base, *n));
                }
            }
        }
        tally.cases = cases;
        groups.extend(per_option);
    }
    uncertainty::Clustering::estimate(groups.iter().map(Vec::as_slice))
}

/// The earlier round collated, its tallies renamed to this round's measure and option ids.
fn earlier(previous: &crate::check::previous::Previous) -> Earlier {
    let stats = collate(&previous.audit);
    let mut measures = BTreeMap::new();
    for (measure, earlier_measure) in &previous.measures {
        let Some(tally) = stats.all.measures.get(earlier_measure) else {
            continue;
        };
        let counts = previous
            .options
            .range((measure.clone(), String::new())..)
            .take_while(|((m, _), _)| m == measure)
            .filter_map(|((_, option), earlier_option)| {
                tally.count(earlier_option).map(|n| (option.clone(), n))
            })
            .collect();
        measures.insert(
            measure.clone(),
            Tally {
                base: tally.base,
                counts,
                answers: tally.answers,
                cases: tally.cases,
            },
        );
    }
    Earlier {
        totals: stats.totals,
        all: Collation {
            returns: stats.all.returns,
            measures,
        },
        period: previous.audit.info.period.clone(),
        clustering: stats.clustering,
    }
}

/// Where each measure and its options stand in the bank's order.
struct MeasureIndex<'a> {
    /// Measure id → its positions (one, unless the bank repeats an id).
    measures: std::collections::HashMap<&'a str, Vec<usize>>,
    all: &'a [Measure],
}

/// One return's answers by position: the measures it answered, and each (measure, option)
/// it chose, once.
struct Answered {
    measures: Vec<usize>,
    chosen: Vec<(usize, usize)>,
}

impl<'a> MeasureIndex<'a> {
    fn new(all: &'a [Measure]) -> Self {
        let mut measures: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, m) in all.iter().enumerate() {
            measures.entry(m.id.as_str()).or_default().push(i);
        }
        MeasureIndex { measures, all }
    }

    fn of(&self, r: &Return) -> Answered {
        let mut answered = Answered {
            measures: Vec::with_capacity(r.answers.len()),
            chosen: Vec::with_capacity(r.answers.len()),
        };
        for (id, options) in &r.answers {
            for &m in self.measures.get(id.as_str()).into_iter().flatten() {
                answered.measures.push(m);
                for (o, option) in self.all[m].options.iter().enumerate() {
                    if options.contains(&option.id) {
                        answered.chosen.push((m, o));
                    }
                }
            }
        }
        answered
    }
}

/// Counts by position for one group of returns.
struct Tallies {
    returns: u32,
    base: Vec<u32>,
    counts: Vec<Vec<u32>>,
}

impl Tallies {
    fn over<'r>(all: &[Measure], returns: impl Iterator<Item = &'r Answered>) -> Tallies {
        let mut t = Tallies {
            returns: 0,
            base: vec![0; all.len()],
            counts: all.iter().map(|m| vec![0; m.options.len()]).collect(),
        };
        for r in returns {
            t.returns += 1;
            for &m in &r.measures {
                t.base[m] += 1;
            }
            for &(m, o) in &r.chosen {
                t.counts[m][o] += 1;
            }
        }
        t
    }

    fn collation(self, all: &[Measure]) -> Collation {
        let mut measures = BTreeMap::new();
        for ((measure, base), counts) in all.iter().zip(self.base).zip(self.counts) {
            let counts = measure
                .options
                .iter()
                .zip(counts)
                .map(|(o, n)| (o.id.clone(), n))
                .collect();
            measures.insert(
                measure.id.clone(),
                Tally {
                    base,
                    counts,
                    answers: measure.answers,
                    cases: 0,
                },
            );
        }
        Collation {
            returns: self.returns,
            measures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_of_the_base() {
        let t = Tally {
            base: 70,
            counts: vec![("yes".into(), 58), ("no".into(), 4)],
            answers: Default::default(),
            cases: 0,
        };
        assert_eq!(
            format!("{:.1}", t.percent_of(t.count("yes").unwrap())),
            "82.9"
        );
        assert_eq!(format!("{:.1}", t.percent_of(4)), "5.7");
        assert_eq!(t.count("maybe"), None);
        let empty = Tally {
            base: 0,
            counts: vec![],
            answers: Default::default(),
            cases: 0,
        };
        assert_eq!(empty.percent_of(0), 0.0);
    }
}
