//! The action plan: each finding's actions checked (ids, dates, lead agencies), the tracking
//! workbook's statuses and updates applied over the narrative's, and warnings for what a lead
//! should chase (an action past its date and not done) or fix (a measure of impact naming a
//! question or option the template does not have).

use super::{id_problem, parse_date};
use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::input::Parsed;
use crate::input::actions::ActionUpdate;
use crate::input::model::{Action, ActionStatus, QuestionBank, SectionFile};
use std::collections::BTreeMap;

/// Applies the tracking workbook's `updates` over the narrative's actions: each update's
/// status, and its words where it has some. Done before the actions are checked, so an
/// action the workbook marks done is not reported overdue.
pub(super) fn apply_updates(sections: &mut [Parsed<SectionFile>], updates: &[ActionUpdate]) {
    for parsed in sections.iter_mut() {
        for finding in parsed.value.findings.iter_mut() {
            for action in finding.actions.iter_mut() {
                for update in updates
                    .iter()
                    .filter(|u| u.id.eq_ignore_ascii_case(&action.id))
                {
                    action.status = update.status;
                    action.update = update.update.clone().or(action.update.take());
                }
            }
        }
    }
}

/// Checks every action (with the workbook's `updates` applied, see [`apply_updates`]) and
/// every update; `as_of` is the report's date, after which an action not done is overdue
/// (the plan is printed as it stands then: a February plan's September action is not late,
/// whenever the report is rebuilt).
pub(super) fn check_actions(
    sections: &[Parsed<SectionFile>],
    updates: &[ActionUpdate],
    bank: &QuestionBank,
    agencies: &[String],
    as_of: Option<time::Date>,
    problems: &mut Diagnostics,
) {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let measures: Measures = bank
        .questions
        .iter()
        .flat_map(|q| q.measures())
        .map(|m| (m.id, m.options.into_iter().map(|o| o.id).collect()))
        .collect();
    for parsed in sections {
        let source = &parsed.source;
        for (f, finding) in parsed.value.findings.iter().enumerate() {
            for (a, action) in finding.actions.iter().enumerate() {
                let (f, a) = (f.to_string(), a.to_string());
                // (a status or an update the tracking workbook gave is said at its cell)
                let tracked =
                    (updates.iter().rev()).find(|u| u.id.eq_ignore_ascii_case(&action.id));
                let at = |key: &str| match (key, tracked) {
                    ("status", Some(u)) => u.status_at.clone(),
                    ("update", Some(u)) if u.update.is_some() => u.update_at.clone(),
                    _ => source.locate(&["findings", &f, "actions", &a, key]),
                };
                if let Some(problem) = id_problem("action", &action.id) {
                    problems.push(Diagnostic::error(at("id"), problem));
                }
                let place = source.path.display().to_string();
                if let Some(first) = seen.insert(action.id.to_lowercase(), place.clone()) {
                    problems.push(Diagnostic::error(
                        at("id"),
                        format!("action id `{}` is used twice (also in {first})", action.id),
                    ));
                }
                check_action(action, &at, agencies, as_of, &measures, problems);
            }
        }
    }
    check_updates_name_actions(sections, updates, &seen, problems);
}

/// Each question with measures, by id, and the ids of its options.
type Measures = BTreeMap<String, Vec<String>>;

/// One action's lead agency, due date and measure of impact; `at` places a key of it.
fn check_action(
    action: &Action,
    at: &dyn Fn(&str) -> Location,
    agencies: &[String],
    as_of: Option<time::Date>,
    measures: &Measures,
    problems: &mut Diagnostics,
) {
    if !agencies.contains(&action.lead_agency) {
        let mut d = Diagnostic::error(
            at("lead_agency"),
            format!(
                "lead agency `{}` is not one of audit.yaml's agencies",
                action.lead_agency
            ),
        );
        if let Some(near) = nearest(&action.lead_agency, agencies.iter().map(String::as_str)) {
            d = d.with_note(format!("did you mean {near}?"));
        }
        problems.push(d);
    }
    match parse_date(&action.due) {
        None => problems.push(Diagnostic::error(
            at("due"),
            super::date_problem(&action.due),
        )),
        Some(due) if as_of.is_some_and(|d| due < d) && action.status != ActionStatus::Done => {
            problems.push(Diagnostic::warning(
                at("due"),
                format!(
                    "action `{}` was due on {}, before the report's date ({}), and is not done (status: {})",
                    action.id,
                    action.due,
                    as_of.map(|d| d.to_string()).unwrap_or_default(),
                    action.status.id()
                ),
            ).with_note("update its status and note what is happening, here or in the tracking workbook"));
        }
        Some(_) => {}
    }
    if let Some(measure) = &action.measure {
        if let Some(message) = measure_problem(action, measures) {
            problems.push(Diagnostic::warning(at("measure"), message));
        }
        if !(0.0..=100.0).contains(&measure.target) {
            problems.push(Diagnostic::error(
                at("measure"),
                format!(
                    "expected a target from 0 to 100 (per cent), found {}",
                    measure.target
                ),
            ));
        }
    }
}

/// Why the measure of `action` cannot be read from the returns, if it cannot: it names a
/// question the template does not have, or options that question does not have.
fn measure_problem(action: &Action, measures: &Measures) -> Option<String> {
    let measure = action.measure.as_ref()?;
    let Some(options) = measures.get(&measure.question) else {
        let near = nearest(&measure.question, measures.keys().map(String::as_str));
        return Some(format!(
            "the measure of action `{}` names question `{}`, which the template does not have{}",
            action.id,
            measure.question,
            near.map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default()
        ));
    };
    let unknown: Vec<&str> = measure
        .option
        .split('+')
        .map(str::trim)
        .filter(|o| !options.iter().any(|k| k == o))
        .collect();
    (!unknown.is_empty()).then(|| {
        format!(
            "the measure of action `{}` names option `{}` of `{}`, which has {}",
            action.id,
            unknown.join("+"),
            measure.question,
            options.join(", ")
        )
    })
}

/// An error for each update of the tracking workbook that names no action of the narrative
/// (matched as [`apply_updates`] matches them), with the nearest id of those `seen`.
fn check_updates_name_actions(
    sections: &[Parsed<SectionFile>],
    updates: &[ActionUpdate],
    seen: &BTreeMap<String, String>,
    problems: &mut Diagnostics,
) {
    for update in updates {
        let applied = sections
            .iter()
            .flat_map(|parsed| &parsed.value.findings)
            .flat_map(|finding| &finding.actions)
            .any(|action| update.id.eq_ignore_ascii_case(&action.id));
        if applied {
            continue;
        }
        let known: Vec<&str> = seen.keys().map(String::as_str).collect();
        let mut d = Diagnostic::error(
            update.location.clone(),
            format!(
                "the tracking workbook names action `{}`, which no finding has",
                update.id
            ),
        );
        if let Some(near) = nearest(&update.id.to_lowercase(), known.iter().copied()) {
            d = d.with_note(format!("did you mean {near}?"));
        }
        problems.push(d);
    }
}

/// What the tracking workbook changed that it does not carry (an action's words, lead
/// agency, owner or due date: the build prints the narrative's), each a warning at its
/// cell; and, where it leaves out an action, a note naming it (the narrative's status is
/// printed for it).
pub(super) fn check_copied(
    sections: &[Parsed<SectionFile>],
    updates: &[ActionUpdate],
    problems: &mut Diagnostics,
) {
    let Some(first) = updates.first() else {
        return;
    };
    let actions = || {
        (sections.iter())
            .flat_map(|parsed| parsed.value.findings.iter().map(move |f| (parsed, f)))
            .flat_map(|(parsed, f)| f.actions.iter().map(move |a| (parsed, a)))
    };
    let mut missing = Vec::new();
    for (parsed, action) in actions() {
        let Some(update) = updates
            .iter()
            .find(|u| u.id.eq_ignore_ascii_case(&action.id))
        else {
            missing.push(format!("`{}`", action.id));
            continue;
        };
        for (field, text, at) in &update.copied {
            let narrative = match *field {
                "what" => &action.what,
                "lead_agency" => &action.lead_agency,
                "owner" => &action.owner,
                _ => &action.due,
            };
            let same = match *field {
                "due" => parse_date(text).is_some() && parse_date(text) == parse_date(narrative),
                _ => text.split_whitespace().eq(narrative.split_whitespace()),
            };
            if !same {
                problems.push(
                    Diagnostic::warning(
                        at.clone(),
                        format!(
                            "the workbook gives action `{}` the {} `{text}`, the narrative `{narrative}`; the build reads only Status and Update from the workbook, so the narrative's is printed",
                            action.id,
                            match *field {
                                "what" => "words",
                                "lead_agency" => "lead agency",
                                "owner" => "owner",
                                _ => "due date",
                            },
                        ),
                    )
                    .with_note(format!("change it in {} (or put the workbook's back)", parsed.source.path.display())),
                );
            }
        }
    }
    if !missing.is_empty() {
        let file = crate::diag::Location::file(first.location.path.clone());
        problems.push(Diagnostic::note(
            file,
            format!(
                "the tracking workbook has no row for action {}; the narrative's status and update are printed",
                missing.join(", ")
            ),
        ));
    }
}

/// An action's update that names a date after the report's (`date`): a report of February
/// 2014 cannot say what happened in December 2014 (an update pasted from a later round, or
/// the tracking workbook of another year). A warning at the update, naming both dates.
pub(super) fn check_dated_after(
    sections: &[Parsed<SectionFile>],
    updates: &[ActionUpdate],
    date: time::Date,
    problems: &mut Diagnostics,
) {
    for parsed in sections {
        for (f, finding) in parsed.value.findings.iter().enumerate() {
            for (a, action) in finding.actions.iter().enumerate() {
                let Some(update) = &action.update else {
                    continue;
                };
                let Some((written, _)) = dates_in(update)
                    .into_iter()
                    .find(|(written, d)| *d > date && !planned(update, written))
                else {
                    continue;
                };
                let (f, a) = (f.to_string(), a.to_string());
                let keys = ["findings", &f, "actions", &a, "update"];
                // (at the workbook's cell where the update came from it)
                let tracked = (updates.iter().rev())
                    .find(|u| u.id.eq_ignore_ascii_case(&action.id) && u.update.is_some());
                let at = match tracked {
                    Some(u) => u.update_at.clone(),
                    None => {
                        let block = parsed.source.locate(&keys);
                        parsed.source.find_after(&block, &written).unwrap_or(block)
                    }
                };
                problems.push(
                    Diagnostic::warning(
                        at,
                        format!(
                            "the update of action `{}` names {written}, after the report's date ({})",
                            action.id,
                            crate::style::month(date)
                        ),
                    )
                    .with_note("a report can say only what had happened by its date: give the update as it stood then, or the report's date"),
                );
            }
        }
    }
}

/// Whether the date `written` in `text` is one looked forward to ("booked for April 2014",
/// "due by June 2014"), which a report may name, not one something happened on.
fn planned(text: &str, written: &str) -> bool {
    const AHEAD: [&str; 12] = [
        "for",
        "by",
        "until",
        "till",
        "before",
        "due",
        "from",
        "planned",
        "expected",
        "scheduled",
        "booked",
        "next",
    ];
    let before = text.split(written).next().unwrap_or("").to_lowercase();
    let mut words = before.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    let word = if last == "in" {
        words.next().unwrap_or("")
    } else {
        last
    };
    AHEAD.contains(&word)
}

/// The dates `text` names, each as written with the earliest day it could mean: "16
/// December 2014", "December 2014" (its first day), "2014-12-16".
fn dates_in(text: &str) -> Vec<(String, time::Date)> {
    use regex::Regex;
    use std::sync::LazyLock;
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:(\d{1,2})(?:st|nd|rd|th)? )?(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.? (\d{4})\b|\b(\d{4}-\d{2}-\d{2})\b")
            .expect("valid pattern")
    });
    DATE.captures_iter(text)
        .filter_map(|m| {
            if let Some(iso) = m.get(4) {
                return Some((iso.as_str().to_string(), super::parse_date(iso.as_str())?));
            }
            let month = m[2].to_lowercase();
            let month = super::MONTHS
                .iter()
                .position(|name| name.to_lowercase().starts_with(&month[..3]))?
                as u8
                + 1;
            let month = time::Month::try_from(month).ok()?;
            let day = m.get(1).map_or(Some(1), |d| d.as_str().parse().ok())?;
            Some((m[0].to_string(), real_day(m[3].parse().ok()?, month, day)?))
        })
        .collect()
}

/// The first real day on or after `day` of `month`, for a day written that the calendar
/// lacks: "0 March" is 1 March, "31 February" 1 March. Against any real date each compares
/// as the day written would, so an update naming one is judged as before.
fn real_day(year: i32, month: time::Month, day: u8) -> Option<time::Date> {
    let last = month.length(year);
    if day > last {
        let last = time::Date::from_calendar_date(year, month, last).ok()?;
        return Some(last.next_day().unwrap_or(time::Date::MAX));
    }
    time::Date::from_calendar_date(year, month, day.max(1)).ok()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn dates_named_in_an_update_are_found_as_written() {
        let found = super::dates_in(
            "First report received in December 2014; the next on 3rd March 2015 (due 2015-06-30). Sect 2014.",
        );
        let found: Vec<(&str, time::Date)> = found.iter().map(|(w, d)| (w.as_str(), *d)).collect();
        assert_eq!(
            found,
            [
                ("December 2014", date!(2014 - 12 - 01)),
                ("3rd March 2015", date!(2015 - 03 - 03)),
                ("2015-06-30", date!(2015 - 06 - 30))
            ]
        );
    }

    #[test]
    fn a_date_looked_forward_to_is_not_one_past() {
        let text =
            "Sessions booked for April 2014; report received in December 2014; due in May 2014.";
        assert!(super::planned(text, "April 2014"));
        assert!(!super::planned(text, "December 2014"));
        assert!(super::planned(text, "May 2014"));
    }

    #[test]
    fn a_day_the_calendar_lacks_falls_where_it_was_written() {
        // (as the (year, month, day) tuples these were compared as did)
        let found = super::dates_in("31 February 2015, 0 March 2015, 29 February 2016");
        let found: Vec<time::Date> = found.iter().map(|(_, d)| *d).collect();
        assert_eq!(
            found,
            [
                date!(2015 - 03 - 01),
                date!(2015 - 03 - 01),
                date!(2016 - 02 - 29)
            ]
        );
        assert!(found[0] > date!(2015 - 02 - 28));
        assert_eq!(super::dates_in("32 December 9999")[0].1, time::Date::MAX);
    }
}
