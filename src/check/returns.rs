//! Cases and returns checked against the bank, the cases and the agencies; answers read
//! into chosen options per measure.

use super::bank::unknown_option;
use super::narrative::unknown_question;
use super::{Return, id_problem};
use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::input::model::{Case, Question, QuestionBank, QuestionKind, RawReturn};
use crate::input::{Parsed, Source};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check_cases(
    cases: &[Case],
    agencies: &[String],
    source: &Source,
    problems: &mut Diagnostics,
) {
    let mut ids = BTreeSet::new();
    for (index, case) in cases.iter().enumerate() {
        let i = index.to_string();
        if !ids.insert(&case.id) {
            problems.push(Diagnostic::error(
                source.locate(&["cases", &i, "id"]),
                format!("case id `{}` is used twice", case.id),
            ));
        }
        if let Some(problem) = id_problem("case", &case.id) {
            problems.push(Diagnostic::error(
                source.locate(&["cases", &i, "id"]),
                problem,
            ));
        }
        // (an agency asked twice would count as two returns asked for: a wrong rate)
        let mut asked = BTreeSet::new();
        for (r, agency) in case.requested.iter().enumerate() {
            if !asked.insert(agency) {
                problems.push(Diagnostic::error(
                    source.locate(&["cases", &i, "requested", &r.to_string()]),
                    format!("agency `{agency}` is listed twice in case {}'s `requested`; list each agency once", case.id),
                ));
            }
            if !agencies.contains(agency) {
                problems.push(unknown_agency(
                    source.locate(&["cases", &i, "requested", &r.to_string()]),
                    agency,
                    agencies,
                ));
            }
        }
    }
}

pub(super) fn unknown_agency(location: Location, found: &str, agencies: &[String]) -> Diagnostic {
    let mut d = Diagnostic::error(
        location,
        format!("agency `{found}` is not listed in audit.yaml"),
    );
    if let Some(near) = nearest(found, agencies.iter().map(String::as_str)) {
        d = d.with_note(format!("did you mean {near}?"));
    }
    d
}

pub(super) fn check_returns(
    raw: Vec<Parsed<crate::input::model::RawReturn>>,
    bank: &QuestionBank,
    cases: &[Case],
    agencies: &[String],
    problems: &mut Diagnostics,
    sources: &mut Vec<Source>,
) -> Vec<Return> {
    // the first return from each agency for each case, by its index in `sources`: its place
    // is found only when a second one turns up (locating walks the file)
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.id.as_str(), c)).collect();
    // Each return's answers are checked on their own, so thousands are checked a share per
    // core; what involves other returns (a second return from one agency) follows in order.
    let checked = answers_of(&raw, bank);
    let mut returns = Vec::new();
    // The answers as read, once checked: freed together, after (see below).
    let mut spent = Vec::with_capacity(raw.len());
    for (Parsed { mut value, source }, (answers, found)) in raw.into_iter().zip(checked) {
        spent.push(std::mem::take(&mut value.answers));
        problems.extend(found);
        check_case_and_agency(&value, &source, &by_id, cases, agencies, problems);
        let key = (value.case.clone(), value.agency.clone());
        if let Some(&first) = seen.get(&key) {
            problems.push(Diagnostic::error(
                source.locate(&["agency"]),
                format!(
                    "second return from `{}` for case `{}`; the first is at {}",
                    value.agency,
                    value.case,
                    sources[first].locate(&["agency"])
                ),
            ));
        } else {
            seen.insert(key, sources.len());
        }

        check_comments_of(&value, &source, bank, problems);
        returns.push(Return {
            case: value.case,
            agency: value.agency,
            answers,
            comments: value.comments,
            path: source.path.clone(),
        });
        sources.push(source);
    }
    crate::parallel::free_beside(spent, SPENT_ON_A_THREAD);
    returns
}

/// A return's case is in cases.yaml and asked its agency for a return, and its agency is
/// one of audit.yaml's.
fn check_case_and_agency(
    value: &RawReturn,
    source: &Source,
    by_id: &BTreeMap<&str, &Case>,
    cases: &[Case],
    agencies: &[String],
    problems: &mut Diagnostics,
) {
    match by_id.get(value.case.as_str()) {
        // (a merged or cleared cell in a spreadsheet; a YAML return without `case`
        // fails to parse)
        None if value.case.trim().is_empty() => problems.push(
            Diagnostic::error(
                source.locate(&["case"]),
                "expected the case's id, found an empty cell",
            )
            .with_note("fill in the case id (a merged cell keeps its text in its first cell only)"),
        ),
        None => {
            let mut d = Diagnostic::error(
                source.locate(&["case"]),
                format!("case `{}` is not in cases.yaml", value.case),
            );
            if let Some(near) = nearest(&value.case, cases.iter().map(|c| c.id.as_str())) {
                d = d.with_note(format!("did you mean {near}?"));
            }
            d = d.with_note(format!(
                "if `{}` is a case of this audit, add it to cases.yaml (its category, age band, gender and the agencies asked for a return)",
                value.case
            ));
            problems.push(d);
        }
        Some(case)
            if !case.requested.contains(&value.agency) && agencies.contains(&value.agency) =>
        {
            problems.push(
                Diagnostic::error(
                    source.locate(&["agency"]),
                    format!(
                        "`{}` made a return for case `{}` but was not asked for one",
                        value.agency, value.case
                    ),
                )
                .with_note("add the agency to the case's `requested` list in cases.yaml"),
            );
        }
        Some(_) => {}
    }
    if value.agency.trim().is_empty() {
        problems.push(
            Diagnostic::error(
                source.locate(&["agency"]),
                "expected the agency's name, found an empty cell",
            )
            .with_note("fill in the agency, as audit.yaml names it"),
        );
    } else if !agencies.contains(&value.agency) {
        problems.push(unknown_agency(
            source.locate(&["agency"]),
            &value.agency,
            agencies,
        ));
    }
}

/// A return's comments are on questions the template has.
fn check_comments_of(
    value: &RawReturn,
    source: &Source,
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) {
    for question_id in value.comments.keys() {
        if !bank.questions.iter().any(|q| &q.id == question_id) {
            problems.push(unknown_question(
                source.locate(&["comments", question_id]),
                question_id,
                bank,
            ));
        }
    }
}

/// Returns from which the answers as read are freed on a thread of their own: freeing them
/// one by one was half of checking at 10,000 cases (130 ms on one core while the other
/// waited). Fewer are freed in place, where a thread would cost more than it saves.
const SPENT_ON_A_THREAD: usize = 1000;

/// Every return's answers checked against the bank, in order, on parallel threads.
fn answers_of(
    raw: &[Parsed<crate::input::model::RawReturn>],
    bank: &QuestionBank,
) -> Vec<(BTreeMap<String, Vec<String>>, Diagnostics)> {
    crate::parallel::by_share(raw, 256, |share| {
        share
            .iter()
            .map(|Parsed { value, source }| {
                let mut found = Diagnostics::default();
                let answers = check_answers(&value.answers, source, bank, &mut found);
                (answers, found)
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flat_map(|share| {
        share.unwrap_or_else(|share| {
            // (should a check ever fail this way, every return of its share says so, and
            // none is left out unnoticed)
            share
                .iter()
                .map(|p| {
                    let stopped = Diagnostic::error(
                        Location::file(&p.source.path),
                        "checking this return's answers stopped unexpectedly",
                    );
                    (BTreeMap::new(), stopped.into())
                })
                .collect()
        })
    })
    .collect()
}

/// A return's answers checked against the bank: chosen option ids per measure (`q2`,
/// `q1.c`), every unknown question, option, item or wrong shape reported at its place.
fn check_answers(
    raw: &BTreeMap<String, Value>,
    source: &Source,
    bank: &QuestionBank,
    problems: &mut Diagnostics,
) -> BTreeMap<String, Vec<String>> {
    let mut answers = BTreeMap::new();
    for (question_id, answer) in raw {
        let at = |keys: &[&str]| {
            let mut path = vec!["answers", question_id.as_str()];
            path.extend(keys);
            source.locate(&path)
        };
        let Some(question) = bank.questions.iter().find(|q| &q.id == question_id) else {
            problems.push(unknown_question(at(&[]), question_id, bank));
            continue;
        };
        // (a choice question without options is an error of the bank's, said there: its
        // answers would each say "expected one of" nothing)
        if matches!(question.kind, QuestionKind::Single | QuestionKind::Multiple)
            && question.options.is_empty()
        {
            continue;
        }
        check_answer(question, answer, &at, &mut answers, problems);
    }
    answers
}

/// The answers of one return, by measure: chosen option ids.
type Answers = BTreeMap<String, Vec<String>>;

/// One question's answer in its shape for the question's kind, each option chosen put
/// into `answers`; `at` places a key under the answer.
fn check_answer(
    question: &Question,
    answer: &Value,
    at: &dyn Fn(&[&str]) -> Location,
    answers: &mut Answers,
    problems: &mut Diagnostics,
) {
    let options = &question.options;
    match (question.kind, answer) {
        (_, Value::Null) => {}
        (QuestionKind::Single, value @ (Value::String(_) | Value::Bool(_) | Value::Number(_))) => {
            if let Some(option) = chosen(question, value, &question.id, &|| at(&[]), problems) {
                answers.insert(question.id.clone(), vec![option]);
            }
        }
        // Far more answers than the question has options: said once, at the list, not once
        // per item (a list of a million, each located by reading the file again, took
        // minutes). A few more are each said (an option twice, one that is none).
        (QuestionKind::Multiple, Value::Sequence(list))
            if list.len() > options.len() + SAID_EACH =>
        {
            problems.push(Diagnostic::error(
                at(&[]),
                format!(
                    "question `{}` has {} options, but this answer lists {} (each option is listed once at most)",
                    question.id,
                    options.len(),
                    list.len()
                ),
            ));
        }
        (QuestionKind::Checklist, Value::Mapping(items))
            if items.len() > question.items.len() + SAID_EACH =>
        {
            problems.push(Diagnostic::error(
                at(&[]),
                format!(
                    "question `{}` has {} items, but this answer gives {} (each item once at most)",
                    question.id,
                    question.items.len(),
                    items.len()
                ),
            ));
        }
        (QuestionKind::Multiple, Value::Sequence(list)) => {
            check_multiple(question, list, at, answers, problems)
        }
        (QuestionKind::Checklist, Value::Mapping(items)) => {
            check_checklist(question, items, at, answers, problems)
        }
        (kind, found) => problems.push(Diagnostic::error(
            at(&[]),
            format!(
                "question `{}` expects {}, found {}",
                question.id,
                expected_shape(kind),
                shape_of(found)
            ),
        )),
    }
}

/// A multiple-choice answer's options, each named once.
fn check_multiple(
    question: &Question,
    list: &[Value],
    at: &dyn Fn(&[&str]) -> Location,
    answers: &mut Answers,
    problems: &mut Diagnostics,
) {
    let mut picked: Vec<(String, String)> = Vec::new();
    for value in list {
        let Some(option) = chosen(question, value, &question.id, &|| at(&[]), problems) else {
            continue;
        };
        let written = scalar_text(value).unwrap_or_default();
        // (an option named twice is a slip in the return, not two answers: said, not
        // quietly counted once)
        match picked.iter().find(|(id, _)| *id == option) {
            Some((_, first)) => problems.push(Diagnostic::error(
                at(&[]),
                format!(
                    "question `{}` lists option `{option}` twice (as `{first}`, then as `{written}`); expected each option once at most",
                    question.id
                ),
            )),
            None => picked.push((option, written)),
        }
    }
    if !picked.is_empty() {
        answers.insert(
            question.id.clone(),
            picked.into_iter().map(|(id, _)| id).collect(),
        );
    }
}

/// How many answers past a question's options (or a checklist's items) are each said
/// before the answer is refused whole.
const SAID_EACH: usize = 20;

/// A checklist's answers: each item the question has, with one of its options.
fn check_checklist(
    question: &Question,
    items: &serde_yaml::Mapping,
    at: &dyn Fn(&[&str]) -> Location,
    answers: &mut Answers,
    problems: &mut Diagnostics,
) {
    for (item, value) in items {
        let item = scalar_text(item).unwrap_or_default();
        if !question.items.iter().any(|i| i.id == item) {
            let allowed: Vec<String> = question
                .items
                .iter()
                .map(|i| format!("`{}`", i.id))
                .collect();
            problems.push(Diagnostic::error(
                at(&[&item]),
                format!(
                    "`{item}` is not an item of question `{}`; expected one of {}",
                    question.id,
                    allowed.join(", ")
                ),
            ));
            continue;
        }
        let measure = format!("{}.{item}", question.id);
        if let Some(option) = chosen(question, value, &measure, &|| at(&[&item]), problems) {
            answers.insert(format!("{}.{item}", question.id), vec![option]);
        }
    }
}

/// The option `found` names, if it names one of `question`'s; else reported where
/// `location` (found only for a bad answer: locating walks the file) says. `measure` names
/// what was answered: the question, or a checklist's item (`q3.b`).
fn chosen(
    question: &Question,
    found: &Value,
    measure: &str,
    location: &dyn Fn() -> Location,
    problems: &mut Diagnostics,
) -> Option<String> {
    // (a list or map where one option belongs would otherwise read as no answer, and the
    // figures would count one return fewer without a word)
    if matches!(
        found,
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_)
    ) {
        problems.push(Diagnostic::error(
            location(),
            format!(
                "`{measure}` expects one option id, found {}",
                shape_of(found)
            ),
        ));
        return None;
    }
    let text = scalar_text(found)?;
    match question.option_typed(&text) {
        Some(id) => Some(id.to_string()),
        None => {
            problems.push(unknown_option(
                location(),
                measure,
                &text,
                &question.options,
            ));
            None
        }
    }
}

/// A YAML scalar as the text the user typed: `yes`, `true` and `3` all compare as written.
/// A blank string counts as no answer.
pub(super) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn expected_shape(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "one option id",
        QuestionKind::Multiple => "a list of option ids",
        QuestionKind::Checklist => "a map of item id to option id, like `{a: yes, b: no}`",
        QuestionKind::Text => "no answer (it takes comments only)",
    }
}

pub(super) fn shape_of(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::String(_) | Value::Bool(_) | Value::Number(_) => "a single value",
        _ => "something else",
    }
}
