//! The figures prose may name. (Over 500 lines: every Handlebars helper a lead may write, one
//! function each, listed together as `docs/figures-in-prose.md` lists them.) The helpers
//! `{{pct}}`, `{{words}}`, `{{count}}` and the rest each read the collated figures as the
//! edition shows them (`collate::disclose`).

use crate::check::Audit;
use crate::collate::change::{Verdict, compare};
use crate::collate::disclose::{Shown, ShownTally, disclose, largest_possible};
use crate::collate::uncertainty::wilson_design;
use crate::collate::{Stats, Tally};
use crate::document::withheld::Withheld;
use crate::document::words::{
    Qualifier, WITHHELD, chance_words, change_words, number_words, one_decimal, percent_in_text,
    phrase,
};
use crate::input::model::{Case, Neighbours};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// Everything prose may name, gathered once per build.
pub struct Figures<'a> {
    stats: &'a Stats,
    bank: &'a crate::input::model::QuestionBank,
    cases: &'a [Case],
    facts: BTreeMap<String, crate::input::model::Fact>,
    neighbours: Option<Neighbours>,
    /// Measures and totals named since the last `take_used` on each thread (prose is filled
    /// on several at once), to record where each figure is shown (a rebuild then says which
    /// paragraphs a corrected return changed).
    used: Mutex<std::collections::HashMap<std::thread::ThreadId, BTreeSet<String>>>,
    /// Counts below this (and above 0) are withheld.
    suppress_below: Option<u32>,
    /// The facts this edition withholds (see `withheld_facts`).
    withheld_facts: BTreeSet<String>,
    /// Whether percentages carry their 95 % intervals.
    intervals: bool,
}

impl<'a> Figures<'a> {
    /// Gathers the figures of a checked, collated audit as `edition` shows them: it may
    /// withhold small counts, and give percentages their intervals (see `Edition`).
    pub fn new(audit: &'a Audit, stats: &'a Stats, edition: &crate::edition::Edition) -> Self {
        Figures {
            stats,
            bank: &audit.bank,
            cases: &audit.cases,
            facts: audit
                .info
                .facts
                .iter()
                .map(|(k, f)| (k.clone(), f.clone()))
                .collect(),
            neighbours: audit.neighbours.as_ref().map(|n| n.value.clone()),
            used: Mutex::default(),
            suppress_below: edition.suppress_below,
            withheld_facts: edition.suppress_below.map_or_else(BTreeSet::new, |below| {
                let counts: Vec<(&str, f64)> = audit
                    .info
                    .facts
                    .iter()
                    .filter(|(_, f)| f.count)
                    .map(|(name, f)| (name.as_str(), f.value))
                    .collect();
                let t = &stats.totals;
                let totals = [t.cases, t.requests, t.returns].map(f64::from);
                crate::collate::disclose::withheld_facts(&counts, &totals, below)
            }),
            intervals: edition.intervals,
        }
    }

    /// The measures and totals named on this thread since its last call.
    pub(super) fn take_used(&self) -> BTreeSet<String> {
        let thread = std::thread::current().id();
        self.used
            .lock()
            .ok()
            .and_then(|mut used| used.remove(&thread))
            .unwrap_or_default()
    }

    fn note_use(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            let thread = std::thread::current().id();
            used.entry(thread).or_default().insert(key.to_string());
        }
    }

    fn tally(&self, measure: &str, at: At) -> Result<&Tally, String> {
        if at.earlier {
            return self.earlier_tally(measure, at.case);
        }
        self.note_use(measure);
        let collation = match at.case {
            None => &self.stats.all,
            Some(case) => self
                .stats
                .by_case
                .get(case)
                .ok_or_else(|| format!("unknown case `{case}`"))?,
        };
        collation.measures.get(measure).ok_or_else(|| {
            if let Some(why) = without_figures(self.bank, measure) {
                return why;
            }
            let known: Vec<&str> = collation.measures.keys().map(String::as_str).collect();
            match crate::diag::nearest(measure, known.iter().copied()) {
                Some(near) => format!("unknown question `{measure}` (did you mean {near}?)"),
                None => format!("unknown question `{measure}`"),
            }
        })
    }

    /// The earlier round's tally of `measure` (under this round's ids).
    fn earlier_tally(&self, measure: &str, case: Option<&str>) -> Result<&Tally, String> {
        let earlier = self.stats.previous.as_ref().ok_or(
            "`round=\"previous\"` needs an earlier round: name its folder as `previous:` in audit.yaml",
        )?;
        if case.is_some() {
            return Err("the earlier round's figures are compared for all cases together; leave out `case=`".into());
        }
        self.note_use(&format!("previous:{measure}"));
        earlier.all.measures.get(measure).ok_or_else(|| {
            if self.stats.all.measures.contains_key(measure) {
                format!(
                    "question `{measure}` is new this round: the earlier round has no figure for it"
                )
            } else {
                format!("unknown question `{measure}`")
            }
        })
    }

    /// The design effect of a share of `base` answers to `measure` at `at` (a base may leave
    /// out "not applicable"): returns cluster in cases (see `uncertainty`); one case's
    /// returns are one cluster, so nothing to widen there.
    fn design_effect(&self, measure: &str, at: At, base: u32) -> f64 {
        if at.case.is_some() {
            return 1.0;
        }
        let cases = self.tally(measure, at).map_or(0, |t| t.cases);
        match (&self.stats.previous, at.earlier) {
            (Some(earlier), true) => earlier.clustering.design_effect(base, cases),
            _ => self.stats.clustering.design_effect(base, cases),
        }
    }

    /// `measure`'s tally as this edition shows it (see `disclose`).
    fn shown(&self, measure: &str, at: At) -> Result<ShownTally, String> {
        Ok(disclose(self.tally(measure, at)?, self.suppress_below))
    }

    /// Count of `options` (ids joined by `+` are added up) for `measure`, and its base, as this
    /// edition shows them: a sum with any withheld part is withheld, or it would give it away.
    fn count(&self, measure: &str, options: &str, at: At) -> Result<(Shown, Shown), String> {
        let tally = self.shown(measure, at)?;
        let mut total = Shown::Count(0);
        let mut named = std::collections::BTreeSet::new();
        for option in options.split('+').map(str::trim) {
            // `yes+yes` would count each of those returns twice.
            if !named.insert(option) {
                return Err(format!(
                    "option `{option}` is named twice in `{options}`; name each option once"
                ));
            }
            let count = tally.count(option).ok_or_else(|| {
                let known: Vec<&str> = tally.counts.iter().map(|(id, _)| id.as_str()).collect();
                let round = if at.earlier {
                    " in the earlier round"
                } else {
                    ""
                };
                let bare = option.trim_matches(QUOTES);
                let hint = if bare != option && known.contains(&bare) {
                    format!(" (write it between straight double quotes alone: \"{bare}\")")
                } else {
                    crate::diag::nearest(option, known.iter().copied())
                        .map(|near| format!(" (did you mean {near}?)"))
                        .unwrap_or_default()
                };
                format!(
                    "question `{measure}` has no option `{option}`{round}{hint}; expected one of {}",
                    known.join(", ")
                )
            })?;
            total = match (total, count) {
                (Shown::Count(a), Shown::Count(b)) => Shown::Count(a + b),
                _ => Shown::Withheld,
            };
        }
        Ok((total, tally.base))
    }

    /// What a reader could work out of the withheld sum of `options` of `measure`: the most
    /// it could be (see `disclose::largest_possible`) and its base, where shown.
    fn withheld(&self, measure: &str, options: &str, at: At, share: bool) -> Withheld {
        let below = self.suppress_below.unwrap_or(0);
        let Ok(tally) = self.tally(measure, at) else {
            return Withheld {
                share,
                below,
                ..Withheld::default()
            };
        };
        let shown = disclose(tally, self.suppress_below);
        let largest = largest_possible(&shown, tally.answers, below);
        let mut sum = Some(0u32);
        for option in options.split('+').map(str::trim) {
            let most = shown
                .counts
                .iter()
                .zip(&largest)
                .find(|((id, _), _)| id == option)
                .and_then(|((_, s), most)| s.count().or(*most));
            sum = sum.zip(most).map(|(a, b)| a.saturating_add(b));
        }
        let base = shown.base.count();
        Withheld {
            share,
            largest: sum.map(|n| base.map_or(n, |b| n.min(b))),
            base,
            below,
            ..Withheld::default()
        }
    }

    fn neighbour(&self, what: &str) -> Result<f64, String> {
        let table = self
            .neighbours
            .as_ref()
            .ok_or("the audit has no neighbours.yaml")?;
        Ok(match what {
            "average" => (table.mean() * 10.0).round() / 10.0,
            "england" => table.england.number,
            "this_authority" => table.this_authority.value.number,
            _ => {
                return Err(format!(
                    "unknown neighbour figure `{what}`; expected average, england or this_authority"
                ));
            }
        })
    }
}

/// Why a question of the bank has no figure by the name `measure`: a text question has
/// comments only; a checklist's figures are its items'. (Said so, not "unknown question".)
fn without_figures(bank: &crate::input::model::QuestionBank, measure: &str) -> Option<String> {
    use crate::input::model::QuestionKind;
    let question = bank.questions.iter().find(|q| q.id == measure)?;
    match question.kind {
        QuestionKind::Text => Some(format!(
            "question `{measure}` asks for text: it has comments, no figures"
        )),
        QuestionKind::Checklist => {
            let items: Vec<String> = (question.items.iter())
                .map(|i| format!("`{measure}.{}`", i.id))
                .collect();
            Some(format!(
                "question `{measure}` is a checklist: its figures are its items' ({})",
                items.join(", ")
            ))
        }
        _ => None,
    }
}

/// Whose figures a helper reads: one case's or all cases', this round's or the earlier's.
#[derive(Clone, Copy)]
struct At<'a> {
    case: Option<&'a str>,
    earlier: bool,
}

/// Quotation marks that are not Handlebars' quotes: a word processor's curly ones.
const QUOTES: [char; 5] = ['“', '”', '‘', '’', '\''];

pub(super) struct FigureHelper<'a> {
    pub(super) figures: Arc<Figures<'a>>,
    pub(super) name: &'static str,
}

fn arg<'a>(h: &'a Helper, index: usize, name: &str) -> Result<&'a Json, RenderError> {
    h.param(index).map(|p| p.value()).ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "`{}` needs a {name} as argument {}",
            h.name(),
            index + 1
        ))
        .into()
    })
}

fn text_arg(h: &Helper, index: usize, name: &str) -> Result<String, RenderError> {
    match arg(h, index, name)? {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        // A word without quotes is read as a name to look up, and is not there.
        Json::Null => {
            let written = h
                .param(index)
                .and_then(|p| p.relative_path().cloned())
                .unwrap_or_default();
            // Curly quotes (a word processor's) are not quotes to Handlebars.
            let bare = written.trim_matches(QUOTES);
            Err(RenderErrorReason::Other(format!(
                "`{}` expects the {name} between straight double quotes: write \"{bare}\", not {written}",
                h.name()
            ))
            .into())
        }
        other => Err(RenderErrorReason::Other(format!(
            "`{}` expects the {name} in quotes, found {other}",
            h.name()
        ))
        .into()),
    }
}

impl HelperDef for FigureHelper<'_> {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        check_arguments(self.name, h)?;
        let f = &self.figures;
        let case = h.hash_get("case").map(|v| {
            v.value()
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.value().to_string())
        });
        let case = case.as_deref();
        // One case's figures beside the audit's would let a reader subtract their way to a
        // withheld count: an edition that withholds small numbers shows no case's figures.
        if let (Some(case), Some(below)) = (case, f.suppress_below) {
            return Err(fail(format!(
                "figures of one case (`case=\"{case}\"`) cannot be shown in an edition that withholds counts below {below}; limit this text to other editions (`editions: [...]`)"
            )));
        }
        let earlier = match h.hash_get("round").map(|v| v.value().as_str()) {
            None | Some(Some("this")) => false,
            Some(Some("previous")) => true,
            Some(other) => {
                return Err(fail(format!(
                    "`round` expects \"previous\" or \"this\", found {}",
                    other.unwrap_or("a number")
                )));
            }
        };
        let at = At { case, earlier };
        let unit = h
            .hash_get("unit")
            .and_then(|v| v.value().as_str())
            .unwrap_or(" per cent")
            .to_string();
        let value = match self.name {
            "count" => fill_count(f, h, at)?,
            "base" => fill_base(f, h, at)?,
            "pct" | "words" => fill_pct(f, h, at, self.name, &unit)?,
            "total" => fill_total(f, h, earlier)?,
            // These are this round's alone: asked for the earlier round, they say so rather
            // than give this round's figure.
            "cases" | "fact" | "neighbours" | "change" | "chance" if earlier => {
                return Err(fail(format!(
                    "`{}` has no `round=\"previous\"`: {}",
                    self.name,
                    if matches!(self.name, "change" | "chance") {
                        "it compares the two rounds already"
                    } else {
                        "the earlier round's are not kept; write the figure as the earlier report gave it"
                    }
                )));
            }
            "change" | "chance" => fill_change(f, h, self.name, &unit)?,
            "cases" => fill_cases(f, h)?,
            "fact" => fill_fact(f, h)?,
            "neighbours" => fill_neighbours(f, h)?,
            "in_words" => fill_in_words(h)?,
            "sentence" => fill_sentence(h)?,
            "clustering" => fill_clustering(f, h, earlier)?,
            _ => unreachable!("registered helpers only"),
        };
        Ok(ScopedJson::Derived(value))
    }
}

/// What each helper takes: its arguments in order, and the names it takes as `name="…"`.
/// Anything else is refused: a misspelt `cse="C01"` or a case written as a third argument
/// would otherwise be passed over and the whole audit's figure printed as the case's.
pub(super) const ARGUMENTS: [(&str, &[&str], &[&str]); 13] = [
    ("count", &["question", "option"], &["case", "round"]),
    ("base", &["question"], &["case", "round"]),
    ("pct", &["question", "option"], &["case", "round"]),
    (
        "words",
        &["question", "option", "qualifier"],
        &["case", "round", "unit"],
    ),
    ("total", &["total"], &["round"]),
    ("cases", &["case field", "value"], &["round"]),
    ("fact", &["fact"], &["round"]),
    ("neighbours", &["figure"], &["round"]),
    ("in_words", &["number"], &["zero", "hyphen"]),
    ("sentence", &["text"], &[]),
    ("change", &["question", "option"], &["round", "unit"]),
    ("chance", &["question", "option"], &["round"]),
    ("clustering", &["figure"], &["round"]),
];

fn check_arguments(name: &str, h: &Helper) -> Result<(), RenderError> {
    let Some((_, positional, named)) = ARGUMENTS.iter().find(|(n, _, _)| *n == name) else {
        return Ok(());
    };
    if h.params().len() > positional.len() {
        return Err(fail(format!(
            "`{name}` takes {} ({}), found {}; a case is written `case=\"…\"`",
            if positional.len() == 1 {
                "one argument".to_string()
            } else {
                format!("at most {} arguments", positional.len())
            },
            positional.join(", "),
            h.params().len()
        )));
    }
    if let Some(unknown) = h.hash().keys().find(|k| !named.contains(k)) {
        let takes = if named.is_empty() {
            "no named arguments".to_string()
        } else {
            named
                .iter()
                .map(|n| format!("`{n}=`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(fail(format!(
            "`{name}` has no argument `{unknown}=`; it takes {takes}"
        )));
    }
    Ok(())
}

/// `{{count "q2" "no"}}`: returns choosing an option (or options joined by `+`).
fn fill_count(f: &Figures<'_>, h: &Helper, at: At) -> Result<Json, RenderError> {
    let (measure, options) = (text_arg(h, 0, "question")?, text_arg(h, 1, "option")?);
    let (count, _) = f.count(&measure, &options, at).map_err(fail)?;
    Ok(match count {
        Shown::Count(n) => json!(n),
        Shown::Withheld => json!(f.withheld(&measure, &options, at, false).mark()),
    })
}

/// `{{base "q2"}}`: returns that answered a question.
fn fill_base(f: &Figures<'_>, h: &Helper, at: At) -> Result<Json, RenderError> {
    Ok(
        match f
            .shown(&text_arg(h, 0, "question")?, at)
            .map_err(fail)?
            .base
        {
            Shown::Count(n) => json!(n),
            // a base is withheld only below the threshold
            Shown::Withheld => json!(
                Withheld {
                    largest: f.suppress_below.map(|b| b.saturating_sub(1)),
                    below: f.suppress_below.unwrap_or(0),
                    ..Withheld::default()
                }
                .mark()
            ),
        },
    )
}

/// `{{pct}}` and `{{words}}`: a share as a figure or in words; see [`Figures`].
fn fill_pct(
    f: &Figures<'_>,
    h: &Helper,
    at: At,
    name: &str,
    unit: &str,
) -> Result<Json, RenderError> {
    let (count, base) = f
        .count(&text_arg(h, 0, "question")?, &text_arg(h, 1, "option")?, at)
        .map_err(fail)?;
    let (Shown::Count(count), Shown::Count(base)) = (count, base) else {
        // Withheld in this edition (see `disclose`): words that read take its place once
        // the text is filled (see `withheld`), `pct`'s unit with it.
        let measure = text_arg(h, 0, "question")?;
        let mut withheld = f.withheld(&measure, &text_arg(h, 1, "option")?, at, true);
        if name != "pct" {
            withheld.unit = Some(unit.to_string());
        }
        return Ok(json!(withheld.mark()));
    };
    // A share of no returns is no figure: "0 per cent", or "almost 1 per cent" in words,
    // would print as if some had answered.
    if base == 0 {
        let whose = match &at.case {
            Some(case) => format!(" for case `{case}`"),
            None => String::new(),
        };
        return Err(fail(format!(
            "no return answered `{}`{whose}, so there is no share to give; check the question, or say so in words",
            text_arg(h, 0, "question")?
        )));
    }
    let percent = 100.0 * f64::from(count) / f64::from(base);
    Ok(if name == "pct" {
        let figure = percent_in_text(count, base);
        let deff = f.design_effect(&text_arg(h, 0, "question")?, at, base);
        match f
            .intervals
            .then(|| wilson_design(count, base, deff))
            .flatten()
        {
            Some(i) => json!(format!(
                "{figure} (95% interval {} to {})",
                points(i.low),
                points(i.high)
            )),
            None => json!(figure),
        }
    } else {
        let words = match h.param(2) {
            Some(_) => text_arg(h, 2, "qualifier")?,
            None => String::new(),
        };
        let qualifier = Qualifier::parse(&words).ok_or_else(|| {
            fail(format!(
                "unknown qualifier `{words}`; expected one of {}",
                Qualifier::ALL
            ))
        })?;
        json!(phrase(percent, qualifier, unit))
    })
}

/// `{{change "q2" "yes"}}`: how a share moved since the earlier round ("rose from 58.7 per
/// cent to 71.3 per cent", only where the change is clear of chance; see
/// `collate::change`); `{{chance "q2" "yes"}}`: whether it is more than chance alone would
/// give at these numbers. Both on the question's comparison base (`compare:` in
/// questions.yaml). Rules in `docs/figures-in-prose.md`.
fn fill_change(f: &Figures<'_>, h: &Helper, name: &str, unit: &str) -> Result<Json, RenderError> {
    let (measure, option) = (text_arg(h, 0, "question")?, text_arg(h, 1, "option")?);
    let now = At {
        case: None,
        earlier: false,
    };
    let then = At {
        case: None,
        earlier: true,
    };
    // The base: every return that answered, or (`compare: applicable`) those where the
    // question applied.
    let question_id = measure.split('.').next().unwrap_or(&measure);
    let question = f.bank.questions.iter().find(|q| q.id == question_id);
    let not_applicable: Vec<&str> = match question {
        Some(q) if q.compare == crate::input::model::CompareBase::Applicable => q.not_applicable(),
        _ => Vec::new(),
    };
    if let Some(na) = option
        .split('+')
        .map(str::trim)
        .find(|o| not_applicable.contains(o))
    {
        return Err(fail(format!(
            "`{question_id}` is compared where it applied (`compare: applicable`), so its `{na}` is left out of the base and has no share to compare"
        )));
    }
    let of_base = |at: At| -> Result<Option<(u32, u32)>, RenderError> {
        let (count, base) = f.count(&measure, &option, at).map_err(fail)?;
        let left_out = if not_applicable.is_empty() {
            Shown::Count(0)
        } else {
            f.count(&measure, &not_applicable.join("+"), at)
                .map_err(fail)?
                .0
        };
        Ok(match (count, base, left_out) {
            (Shown::Count(count), Shown::Count(base), Shown::Count(left_out)) => {
                Some((count, base.saturating_sub(left_out)))
            }
            _ => None,
        })
    };
    let (Some((count, base)), Some((was, was_base))) = (of_base(now)?, of_base(then)?) else {
        return Ok(json!(format!("({WITHHELD})")));
    };
    let change = compare(
        (was, was_base, f.design_effect(&measure, then, was_base)),
        (count, base, f.design_effect(&measure, now, base)),
    );
    Ok(json!(match name {
        "change" => {
            let words = change_words(&change, unit, !not_applicable.is_empty());
            match (f.intervals, change.difference, change.interval) {
                (true, Some(difference), Some(i)) if change.verdict != Verdict::NoAnswers => {
                    format!(
                        "{words} (a change of {} points, 95% interval {} to {})",
                        // the difference of the unrounded shares, rounded once
                        signed(difference),
                        signed(i.low),
                        signed(i.high)
                    )
                }
                _ => words,
            }
        }
        _ => chance_words(&change),
    }))
}

/// `{{clustering "rho"}}`: how alike the answers about one child are (the intra-case
/// correlation the intervals allow for, two decimals); `{{clustering "design_effect"}}`:
/// the design effects it gives over the round's questions ("1.2 to 1.4"); `{{clustering
/// "pooled"}}`: how many answers' estimates were pooled. Each for the earlier round with
/// `round="previous"`. See `collate::uncertainty`.
fn fill_clustering(f: &Figures<'_>, h: &Helper, earlier: bool) -> Result<Json, RenderError> {
    let (clustering, collation) = match (&f.stats.previous, earlier) {
        (Some(previous), true) => (&previous.clustering, &previous.all),
        (None, true) => {
            return Err(fail(
                "`round=\"previous\"` needs an earlier round: name its folder as `previous:` in audit.yaml".into(),
            ));
        }
        _ => (&f.stats.clustering, &f.stats.all),
    };
    let figure = text_arg(h, 0, "figure")?;
    Ok(match figure.as_str() {
        "rho" => json!(format!("{:.2}", clustering.rho)),
        "pooled" => json!(clustering.pooled),
        "design_effect" => {
            let effects: Vec<f64> = collation
                .measures
                .values()
                .filter(|t| t.base > 0)
                .map(|t| clustering.design_effect(t.base, t.cases))
                .collect();
            let low = effects.iter().copied().fold(f64::INFINITY, f64::min);
            let high = effects.iter().copied().fold(1.0, f64::max);
            match (
                effects.is_empty(),
                format!("{low:.1}") == format!("{high:.1}"),
            ) {
                (true, _) => json!("1.0"),
                (false, true) => json!(format!("{high:.1}")),
                (false, false) => json!(format!("{low:.1} to {high:.1}")),
            }
        }
        other => {
            return Err(fail(format!(
                "unknown clustering figure `{other}`; expected rho, design_effect or pooled"
            )));
        }
    })
}

/// A proportion as percentage points to one decimal ("47.4").
fn points(proportion: f64) -> String {
    format!("{:.1}", proportion * 100.0)
}

/// A difference of proportions as signed percentage points ("+12.6", "−3.1").
fn signed(proportion: f64) -> String {
    let value = (proportion * 1000.0).round() / 10.0;
    if value < 0.0 {
        format!("−{:.1}", -value)
    } else {
        format!("+{value:.1}")
    }
}

/// `{{total "returns"}}`: cases, requests, returns or the response rate.
fn fill_total(f: &Figures<'_>, h: &Helper, earlier: bool) -> Result<Json, RenderError> {
    let t = if earlier {
        &f.stats
            .previous
            .as_ref()
            .ok_or_else(|| fail("`round=\"previous\"` needs an earlier round: name its folder as `previous:` in audit.yaml".into()))?
            .totals
    } else {
        &f.stats.totals
    };
    let which = text_arg(h, 0, "total")?;
    let round = if earlier { "previous:" } else { "" };
    f.note_use(&format!("{round}total:{which}"));
    // A total is the base of every figure: below the threshold it is withheld too,
    // and so is a rate that would give it away.
    let small = |n: u32| f.suppress_below.is_some_and(|below| n > 0 && n < below);
    let below = f.suppress_below.unwrap_or(0);
    let shown = |n: u32| match small(n) {
        true => json!(
            Withheld {
                largest: Some(below.saturating_sub(1)),
                below,
                ..Withheld::default()
            }
            .mark()
        ),
        false => json!(n),
    };
    Ok(match which.as_str() {
        "cases" => shown(t.cases),
        "requests" => shown(t.requests),
        "returns" => shown(t.returns),
        "response_rate" if small(t.returns) || small(t.requests) => json!(
            Withheld {
                share: true,
                below,
                ..Withheld::default()
            }
            .mark()
        ),
        "response_rate" => json!(one_decimal(t.response_rate)),
        other => {
            return Err(fail(format!(
                "unknown total `{other}`; expected cases, requests, returns or response_rate"
            )));
        }
    })
}

/// `{{cases "age_band" "under 5"}}`: cases with a value of a case field.
fn fill_cases(f: &Figures<'_>, h: &Helper) -> Result<Json, RenderError> {
    let field = text_arg(h, 0, "case field")?;
    let wanted = text_arg(h, 1, "value")?;
    let value_of = |case: &Case| -> Result<String, RenderError> {
        Ok(match field.as_str() {
            "category" => &case.category,
            "age_band" => &case.age_band,
            "gender" => &case.gender,
            other => {
                return Err(fail(format!(
                    "unknown case field `{other}`; expected category, age_band or gender"
                )));
            }
        }
        .to_lowercase())
    };
    // The cases by this field are a tally like a question's (one value each, adding
    // up to the cases), withheld by the same rule.
    let mut counts: Vec<(String, u32)> = vec![(wanted.to_lowercase(), 0)];
    for case in f.cases {
        let value = value_of(case)?;
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    // A value no case has may well be right ("no case of sexual abuse"); one a slip away
    // from a value cases have is taken for a slip (`under5`, `neglcet`), not counted as 0.
    if counts[0].1 == 0 {
        let bare = |v: &str| -> String { v.chars().filter(|c| c.is_alphanumeric()).collect() };
        let asked = bare(&counts[0].0);
        if let Some((near, _)) = counts[1..].iter().find(|(value, _)| {
            bare(value) == asked
                || (asked.chars().count() >= 6 && strsim::levenshtein(&asked, &bare(value)) <= 2)
        }) {
            return Err(fail(format!(
                "no case has {field} `{wanted}`; did you mean `{near}`? (a value no case has counts 0, but this one is a slip away from one cases have)"
            )));
        }
    }
    let tally = Tally {
        base: f.cases.len() as u32,
        counts,
        answers: crate::input::model::Answers::One,
        cases: 0,
    };
    let shown = disclose(&tally, f.suppress_below);
    Ok(match shown.counts[0].1 {
        Shown::Count(n) => json!(n),
        Shown::Withheld => {
            let below = f.suppress_below.unwrap_or(0);
            json!(
                Withheld {
                    largest: largest_possible(&shown, tally.answers, below)[0],
                    base: shown.base.count(),
                    below,
                    ..Withheld::default()
                }
                .mark()
            )
        }
    })
}

/// `{{fact "cp_plans"}}`: a figure stated in `audit.yaml`.
fn fill_fact(f: &Figures<'_>, h: &Helper) -> Result<Json, RenderError> {
    let name = text_arg(h, 0, "fact")?;
    let fact = f.facts.get(&name).ok_or_else(|| {
        let known: Vec<&str> = f.facts.keys().map(String::as_str).collect();
        fail(format!(
            "unknown fact `{name}`; audit.yaml lists {}",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ))
    })?;
    // Nothing shown bounds a withheld fact: another may have been withheld to protect it.
    Ok(if f.withheld_facts.contains(&name) {
        json!(
            Withheld {
                below: f.suppress_below.unwrap_or(0),
                ..Withheld::default()
            }
            .mark()
        )
    } else {
        number(fact.value)
    })
}

/// `{{neighbours "average"}}`: a figure of the statistical-neighbour table.
fn fill_neighbours(f: &Figures<'_>, h: &Helper) -> Result<Json, RenderError> {
    Ok(number(
        f.neighbour(&text_arg(h, 0, "figure")?).map_err(fail)?,
    ))
}

/// `{{in_words (count …)}}`: a whole number in words.
fn fill_in_words(h: &Helper) -> Result<Json, RenderError> {
    Ok(match arg(h, 0, "number")?.as_u64() {
        // `zero="no"` reads better in "there were no responses"
        Some(0) if h.hash_get("zero").is_some() => json!(
            h.hash_get("zero")
                .map(|z| z.value().as_str().unwrap_or("").to_string())
        ),
        // `hyphen=false` writes "twenty three", as some reports do
        Some(n)
            if h.hash_get("hyphen")
                .is_some_and(|v| v.value() == &json!(false)) =>
        {
            json!(number_words(n).replace('-', " "))
        }
        Some(n) => json!(number_words(n)),
        // A figure this edition withholds stays withheld, in words.
        None if arg(h, 0, "number")?
            .as_str()
            .and_then(Withheld::read)
            .is_some() =>
        {
            let (withheld, _) = arg(h, 0, "number")?
                .as_str()
                .and_then(Withheld::read)
                .unwrap_or_default();
            json!(
                Withheld {
                    in_words: true,
                    ..withheld
                }
                .mark()
            )
        }
        None => {
            return Err(fail(format!(
                "`in_words` expects a whole number, found {}",
                arg(h, 0, "number")?
            )));
        }
    })
}

/// `{{sentence (words …)}}`: text with its first letter made a capital.
fn fill_sentence(h: &Helper) -> Result<Json, RenderError> {
    let text = text_arg(h, 0, "text")?;
    if let Some((withheld, length)) = Withheld::read(&text) {
        let capital = Withheld {
            capital: true,
            ..withheld
        };
        return Ok(json!(format!("{}{}", capital.mark(), &text[length..])));
    }
    let mut chars = text.chars();
    Ok(json!(
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    ))
}

/// A helper's failure, in the words the author reads.
fn fail(message: String) -> RenderError {
    RenderErrorReason::Other(message).into()
}

fn number(value: f64) -> Json {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}
