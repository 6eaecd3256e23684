//! The action plan appendix (`generated: action-plan`): each finding's actions as a table,
//! each status in words and in colour; in a re-audit, first the earlier round's plan, each
//! measure of impact checked against this round's figures (met; improved, not met; no
//! clear change; worse), the words following the change's interval, not its point.

use super::{ActionRow, Content, Filler, Printed};
use crate::check::Audit;
use crate::collate::change::{Verdict, compare};
use crate::collate::disclose::{Shown, disclose};
use crate::collate::{Collation, Stats};
use crate::document::words::{NO_RETURNS, WITHHELD, percent, tenths};
use crate::edition::Edition;
use crate::input::model::{Action, Direction, ImpactMeasure, QuestionBank};
use serde_json::json;

/// What the appendix prints: its tables, every text of theirs as printed (for the personal
/// data guard), and the measures whose figures it shows (this round's ids: for the
/// edition's figures.csv and the change list).
pub(super) struct Plan {
    pub(super) blocks: Vec<Content>,
    pub(super) printed: Vec<Printed>,
    pub(super) measures: Vec<String>,
}

/// The appendix as `edition` prints it.
pub(super) fn action_plan(
    audit: &Audit,
    stats: &Stats,
    edition: &Edition,
    filler: &Filler,
) -> Plan {
    let mut plan = Plan {
        blocks: Vec::new(),
        printed: Vec::new(),
        measures: Vec::new(),
    };
    if let (Some(previous), Some(earlier)) = (&audit.previous, &stats.previous) {
        let earlier = EarlierRound {
            previous,
            earlier,
            stats,
            edition,
        };
        let blocks = earlier_plan(audit, &earlier, filler, &mut plan);
        plan.blocks.extend(blocks);
    }
    let blocks = findings_plans(audit, filler, &mut plan.printed);
    plan.blocks.extend(blocks);
    plan
}

/// What a re-audit's table of the earlier plan compares: the earlier round and its figures,
/// against this round's as the edition shows them.
struct EarlierRound<'a> {
    previous: &'a crate::check::previous::Previous,
    earlier: &'a crate::collate::Earlier,
    stats: &'a Stats,
    edition: &'a Edition,
}

/// A re-audit's table of the earlier plan's measures, each against this round's figures,
/// with its key; none where no earlier action had a measure.
fn earlier_plan(
    audit: &Audit,
    round: &EarlierRound,
    filler: &Filler,
    plan: &mut Plan,
) -> Vec<Content> {
    let words = &filler.wording.action_plan;
    let mut rows = Vec::new();
    for (action, file, path) in actions(&round.previous.audit) {
        let Some(measure) = &action.measure else {
            continue;
        };
        // The earlier round's words are printed here: the guard reads them too.
        plan.printed.push(Printed {
            file: file.to_path_buf(),
            path,
            text: action.what.clone(),
        });
        let progress = progress(
            measure,
            round.previous,
            &audit.bank,
            round.stats,
            round.earlier,
            round.edition,
        );
        if let Some((this_round, _)) = in_this_round(measure, round.previous) {
            plan.measures.push(this_round.to_string());
        }
        let (was, now, key) = progress.unwrap_or_else(|| ("".into(), "".into(), "not-asked"));
        rows.push(ActionRow {
            cells: vec![
                action.what.clone(),
                measure_text(measure, &round.previous.audit.bank, filler),
                was,
                now,
            ],
            status: (words.progress.get(key).cloned()).unwrap_or_else(|| key.to_string()),
            rag: progress_colour(key),
        });
    }
    if rows.is_empty() {
        return Vec::new();
    }
    let table = Content::ActionPlan {
        caption: words.progress_caption.clone(),
        header: words.progress_header.clone(),
        rows,
    };
    std::iter::once(table)
        .chain(legend(&words.progress_legend))
        .collect()
}

/// The colour a measure's progress is shown on (its words carry it too).
fn progress_colour(key: &str) -> &'static str {
    match key {
        "met" => "green",
        "moved" | "no-clear-change" => "amber",
        WITHHELD | "not-asked" | "too-few" | "no-returns" => "grey",
        _ => "red",
    }
}

/// A table per finding with actions, numbered as in the full report, and the key to their
/// colours under the last.
fn findings_plans(audit: &Audit, filler: &Filler, printed: &mut Vec<Printed>) -> Vec<Content> {
    let words = &filler.wording.action_plan;
    let mut blocks = Vec::new();
    let mut finding = 0;
    for section in &audit.sections {
        for (f, found) in section.value.findings.iter().enumerate() {
            // Findings keep the full report's numbers in every edition.
            finding += 1;
            if found.actions.is_empty() {
                continue;
            }
            let title = filler
                .fill(&filler.wording.finding_title, &json!({ "number": finding }))
                .unwrap_or_default();
            let mut rows = Vec::new();
            for (a, action) in found.actions.iter().enumerate() {
                printed.extend(action_texts(action, &section.source.path, f, a));
                rows.push(action_row(action, audit, filler));
            }
            let caption = filler
                .fill(&words.caption, &json!({ "finding": title }))
                .unwrap_or_default();
            blocks.push(Content::ActionPlan {
                caption,
                header: words.header.clone(),
                rows,
            });
        }
    }
    if !blocks.is_empty() {
        blocks.extend(legend(&words.legend));
    }
    blocks
}

/// The texts of action `a` of finding `f` of the section in `file` that the plan prints.
fn action_texts(action: &Action, file: &std::path::Path, f: usize, a: usize) -> Vec<Printed> {
    [
        ("what", Some(&action.what)),
        ("owner", Some(&action.owner)),
        ("update", action.update.as_ref()),
    ]
    .into_iter()
    .filter_map(|(key, text)| {
        Some(Printed {
            file: file.to_path_buf(),
            path: vec![
                "findings".into(),
                f.to_string(),
                "actions".into(),
                a.to_string(),
                key.into(),
            ],
            text: text?.clone(),
        })
    })
    .collect()
}

/// One action's row: its words, who leads and owns it, when it is due, its measure, its
/// latest update and its status, in words on its colour.
fn action_row(action: &Action, audit: &Audit, filler: &Filler) -> ActionRow {
    let words = &filler.wording.action_plan;
    ActionRow {
        cells: vec![
            action.what.clone(),
            action.lead_agency.clone(),
            action.owner.clone(),
            super::style::date_from(&action.due),
            action
                .measure
                .as_ref()
                .map(|m| measure_text(m, &audit.bank, filler))
                .unwrap_or_default(),
            action.update.clone().unwrap_or_default(),
        ],
        status: words
            .statuses
            .get(action.status.id())
            .cloned()
            .unwrap_or_else(|| action.status.id().to_string()),
        rag: status_colour(action, audit.date),
    }
}

/// What the colours of the tables before it mean, as a paragraph of its own under them (a
/// key): the status is in words too, but a reader who sees the colours should not have to
/// guess them.
fn legend(words: &Option<String>) -> Option<Content> {
    words.as_ref().map(|text| Content::Paragraph {
        number: None,
        runs: vec![super::Inline::Text { text: text.clone() }],
    })
}

/// The question of `id` in `bank`.
fn question_in<'b>(bank: &'b QuestionBank, id: &str) -> Option<&'b crate::input::model::Question> {
    bank.questions.iter().find(|q| q.id == id)
}

/// Every action of an audit's findings, with the file and key path of its `what`.
fn actions(audit: &Audit) -> Vec<(&Action, &std::path::Path, Vec<String>)> {
    let mut all = Vec::new();
    for section in &audit.sections {
        for (f, finding) in section.value.findings.iter().enumerate() {
            for (a, action) in finding.actions.iter().enumerate() {
                let path = [
                    "findings",
                    &f.to_string(),
                    "actions",
                    &a.to_string(),
                    "what",
                ]
                .map(str::to_string)
                .to_vec();
                all.push((action, section.source.path.as_path(), path));
            }
        }
    }
    all
}

/// A measure of impact in words, from the question bank it names.
fn measure_text(measure: &ImpactMeasure, bank: &QuestionBank, filler: &Filler) -> String {
    let words = &filler.wording.action_plan;
    let (question, item) = match measure.question.split_once('.') {
        Some((q, item)) => (q, Some(item)),
        None => (measure.question.as_str(), None),
    };
    let question = bank.questions.iter().find(|q| q.id == question);
    let mut title = question
        .map(|q| match &q.chart {
            Some(chart) => chart.title.clone(),
            None => q.report_text().to_string(),
        })
        .unwrap_or_else(|| measure.question.clone());
    if let Some(item) = question.and_then(|q| item.and_then(|i| q.items.iter().find(|c| c.id == i)))
    {
        title = format!("{title}: {}", item.chart_label());
    }
    let option = measure
        .option
        .split('+')
        .map(|o| {
            question
                .and_then(|q| q.options.iter().find(|c| c.id == o.trim()))
                .map_or(o.trim(), |c| c.chart_label())
                .to_string()
        })
        .collect::<Vec<_>>()
        .join(" or ");
    let direction = match measure.direction {
        Direction::AtLeast => &words.at_least,
        Direction::AtMost => &words.at_most,
    };
    let target = if measure.target.fract() == 0.0 {
        format!("{:.0}", measure.target)
    } else {
        format!("{}", measure.target)
    };
    filler
        .fill(
            &words.measure,
            &json!({ "title": title, "option": option, "direction": direction, "target": target }),
        )
        .unwrap_or_default()
}

/// An earlier action's measure against this round: the earlier and current figures as
/// printed, and `met` (on the figure, against the target), `moved` (not met, but a change
/// the right way its interval shows clearly), `worse` (a clear change the wrong way),
/// `no-clear-change`, `too-few` or `no-returns` (see `collate::change`), or withheld; `None`
/// if this round did not ask the question.
fn progress(
    measure: &ImpactMeasure,
    previous: &crate::check::previous::Previous,
    bank: &QuestionBank,
    stats: &Stats,
    earlier: &crate::collate::Earlier,
    edition: &Edition,
) -> Option<(String, String, &'static str)> {
    let (this_measure, options) = in_this_round(measure, previous)?;
    // On the question's comparison base, as the prose compares it: where `compare:
    // applicable`, its "not applicable" answers are left out of the base.
    let question_id = this_measure.split('.').next().unwrap_or(this_measure);
    let left_out: Vec<&str> = question_in(bank, question_id)
        .filter(|q| q.compare == crate::input::model::CompareBase::Applicable)
        .map(|q| q.not_applicable())
        .unwrap_or_default();
    let asked = Asked {
        measure: this_measure,
        options: &options,
        left_out: &left_out,
        below: edition.suppress_below,
    };
    let (was, is) = (asked.share(&earlier.all)?, asked.share(&stats.all)?);
    let (Some((was_count, was_base, was_cases)), Some((count, base, cases))) = (was, is) else {
        return Some((WITHHELD.into(), WITHHELD.into(), WITHHELD));
    };
    let change = compare(
        (
            was_count,
            was_base,
            earlier.clustering.design_effect(was_base, was_cases),
        ),
        (count, base, stats.clustering.design_effect(base, cases)),
    );
    let applied = if left_out.is_empty() {
        ""
    } else {
        " where it applied"
    };
    let shown = |k: u32, n: u32| {
        if n == 0 {
            NO_RETURNS.to_string()
        } else {
            format!("{}%{applied}", percent(k, n))
        }
    };
    let key = progress_key(measure, change.verdict, tenths(count, base));
    Some((shown(was_count, was_base), shown(count, base), key))
}

/// The measure's question (or item) and options under this round's ids; the measure names
/// the earlier round's, and the figures are under this round's. `None`: not asked now.
fn in_this_round<'p>(
    measure: &ImpactMeasure,
    previous: &'p crate::check::previous::Previous,
) -> Option<(&'p str, Vec<String>)> {
    let (this_measure, _) = previous
        .measures
        .iter()
        .find(|(_, earlier)| **earlier == measure.question)?;
    let options = measure
        .option
        .split('+')
        .map(|o| {
            previous
                .options
                .iter()
                .find(|((m, _), e)| m == this_measure && *e == o.trim())
                .map(|((_, option), _)| option.clone())
        })
        .collect::<Option<_>>()?;
    Some((this_measure.as_str(), options))
}

/// What a measure counts in one round's figures, as an edition shows them.
struct Asked<'a> {
    measure: &'a str,
    options: &'a [String],
    left_out: &'a [&'a str],
    below: Option<u32>,
}

impl Asked<'_> {
    /// The count of the options, its base (without the answers left out) and the cases it
    /// comes from; `Some(None)` where the edition withholds any of them, `None` where the
    /// round did not ask it.
    fn share(&self, collation: &Collation) -> Option<Option<(u32, u32, u32)>> {
        let full = collation.measures.get(self.measure)?;
        let tally = disclose(full, self.below);
        let mut count = 0;
        for option in self.options {
            match tally.count(option)? {
                Shown::Count(n) => count += n,
                Shown::Withheld => return Some(None),
            }
        }
        let Some(mut base) = tally.base.count() else {
            return Some(None);
        };
        for option in self.left_out {
            match tally.count(option) {
                Some(Shown::Count(n)) => base = base.saturating_sub(n),
                Some(Shown::Withheld) => return Some(None),
                None => {}
            }
        }
        Some(Some((count, base, full.cases)))
    }
}

/// The progress of a measure whose figure is now `after` (in tenths of a per cent), the
/// change since the earlier round judged `verdict`.
fn progress_key(measure: &ImpactMeasure, verdict: Verdict, after: u64) -> &'static str {
    let target = (measure.target * 10.0).round() as u64;
    let better = match measure.direction {
        Direction::AtLeast => Verdict::Rise,
        Direction::AtMost => Verdict::Fall,
    };
    match verdict {
        Verdict::NoAnswers => "no-returns",
        _ if matches!(measure.direction, Direction::AtLeast) && after >= target => "met",
        _ if matches!(measure.direction, Direction::AtMost) && after <= target => "met",
        Verdict::TooFew => "too-few",
        verdict if verdict == better => "moved",
        Verdict::Rise | Verdict::Fall => "worse",
        Verdict::NoClearChange | Verdict::Unchanged => "no-clear-change",
    }
}

/// The colour an action's status is shown on (its words carry it too): red for not started
/// once due by the report's date, amber at risk, green on track, grey done or not yet due.
/// One rule for the report's action plan and the slides.
pub fn status_colour(action: &Action, report_date: time::Date) -> &'static str {
    use crate::input::model::ActionStatus;
    match action.status {
        // not started, but not due by the report's date: no cause for alarm yet
        ActionStatus::NotStarted
            if crate::check::parse_date(&action.due).is_some_and(|due| due > report_date) =>
        {
            "grey"
        }
        ActionStatus::NotStarted => "red",
        ActionStatus::AtRisk => "amber",
        ActionStatus::OnTrack => "green",
        ActionStatus::Done => "grey",
    }
}
