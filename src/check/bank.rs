//! The question bank checked: ids, options and items, charts.

use super::id_problem;
use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::input::Source;
use crate::input::model::{Choice, Question, QuestionBank, QuestionKind};
use std::collections::{BTreeMap, BTreeSet};

/// Question ids the report uses for something else.
pub(super) const RESERVED: [&str; 1] = ["neighbours"];

pub(super) fn check_bank(
    mut bank: QuestionBank,
    source: &Source,
    problems: &mut Diagnostics,
) -> QuestionBank {
    let mut ids = BTreeSet::new();
    let mut wordings: BTreeMap<String, String> = BTreeMap::new();
    for (index, question) in bank.questions.iter_mut().enumerate() {
        let at = |keys: &[&str]| {
            let mut path = vec!["questions".to_string(), index.to_string()];
            path.extend(keys.iter().map(|k| k.to_string()));
            source.locate(&path.iter().map(String::as_str).collect::<Vec<_>>())
        };
        if !ids.insert(question.id.clone()) {
            problems.push(Diagnostic::error(
                at(&["id"]),
                format!("question id `{}` is used twice", question.id),
            ));
        }
        if let Some(problem) = id_problem("question", &question.id) {
            problems.push(Diagnostic::error(at(&["id"]), problem));
        } else if RESERVED.contains(&question.id.as_str()) {
            problems.push(Diagnostic::error(
                at(&["id"]),
                format!("question id `{}` is reserved for the statistical-neighbour chart; choose another", question.id),
            ));
        }
        let wording = question.text.trim().to_lowercase();
        if let Some(first) = wordings.get(&wording) {
            problems.push(
                Diagnostic::warning(
                    at(&["text"]),
                    format!("question {} repeats the wording of question {first}", question.number),
                )
                .with_note("the template asks the same thing twice; check whether one should be removed or reworded"),
            );
        } else {
            wordings.insert(wording, question.number.clone());
        }
        if question.kind == QuestionKind::Checklist && question.options.is_empty() {
            question.options = vec![choice("yes", "Yes"), choice("no", "No")];
        }
        check_answers_of(question, &at, problems);
    }
    bank
}

/// What a question can be answered with: options or items for its kind, each id once and an
/// id, and a chart only of what can be counted.
fn check_answers_of(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    check_has_answers(question, at, problems);
    check_choice_ids(question, at, problems);
    check_chart_labels(question, at, problems);
    if question.compare == crate::input::model::CompareBase::Applicable
        && question.not_applicable().is_empty()
    {
        problems.push(
            Diagnostic::error(
                at(&["compare"]),
                format!(
                    "question `{}` is compared where it applied, but none of its options means \"not applicable\"",
                    question.id
                ),
            )
            .with_note("mark the option with `not_applicable: true`, or leave out `compare: applicable`"),
        );
    }
    check_options_read_apart(question, at, problems);
    check_chart_of(question, at, problems);
}

/// A choice question has options, a checklist items.
fn check_has_answers(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    let needs_options = matches!(question.kind, QuestionKind::Single | QuestionKind::Multiple);
    if needs_options && question.options.is_empty() {
        problems.push(Diagnostic::error(
            at(&["kind"]),
            format!(
                "question `{}` is a choice question but has no options",
                question.id
            ),
        ));
    }
    if question.kind == QuestionKind::Checklist && question.items.is_empty() {
        problems.push(Diagnostic::error(
            at(&["kind"]),
            format!("question `{}` is a checklist but has no items", question.id),
        ));
    }
}

/// Each option's and item's id is an id, and given once in its list.
fn check_choice_ids(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    for (list, name) in [(&question.options, "options"), (&question.items, "items")] {
        let mut seen = BTreeSet::new();
        for (i, choice) in list.iter().enumerate() {
            let kind = if name == "options" { "option" } else { "item" };
            if let Some(problem) = id_problem(kind, &choice.id) {
                problems.push(Diagnostic::error(
                    at(&[name, &i.to_string(), "id"]),
                    problem,
                ));
            }
            if !seen.insert(&choice.id) {
                problems.push(Diagnostic::error(
                    at(&[name, &i.to_string(), "id"]),
                    format!(
                        "question `{}` lists `{}` twice in its {name}",
                        question.id, choice.id
                    ),
                ));
            }
        }
    }
}

/// The bars of a charted question have labels apart.
fn check_chart_labels(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    // Two bars of one chart with one label cannot be told apart (and a re-audit's were
    // once paired by label).
    let (list, name) = if question.kind == QuestionKind::Checklist {
        (&question.items, "items")
    } else {
        (&question.options, "options")
    };
    let mut labels: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, choice) in list.iter().enumerate() {
        if let Some(first) = labels.insert(choice.chart_label(), &choice.id)
            && question.chart.is_some()
        {
            problems.push(
                Diagnostic::error(
                    at(&[name, &i.to_string()]),
                    format!(
                        "`{first}` and `{}` of question `{}` are both labelled \"{}\", so their bars could not be told apart",
                        choice.id,
                        question.id,
                        choice.chart_label()
                    ),
                )
                .with_note("give one a `label` of its own for the chart"),
            );
        }
    }
}

/// No two options fold to one reading.
fn check_options_read_apart(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    // An answer is read as the option whose id or wording it folds to (`YES`, "Yes."): two
    // options that fold alike would make one answer mean either.
    let mut folds: BTreeMap<String, usize> = BTreeMap::new();
    for (i, option) in question.options.iter().enumerate() {
        let mut own = BTreeSet::new();
        for form in [&option.id, &option.text] {
            let fold = crate::input::model::folded(form);
            if fold.is_empty() || !own.insert(fold.clone()) {
                continue;
            }
            match folds.get(&fold) {
                Some(&other) => problems.push(
                    Diagnostic::error(
                        at(&["options", &i.to_string(), "text"]),
                        format!(
                            "options `{}` and `{}` of question `{}` both read as \"{fold}\" (answers are compared without case, spaces or punctuation)",
                            question.options[other].id, option.id, question.id
                        ),
                    )
                    .with_note("word them so that they differ in letters or digits"),
                ),
                None => {
                    folds.insert(fold, i);
                }
            }
        }
    }
}

/// A chart is of a question that can be counted, and of one of its options.
fn check_chart_of(
    question: &Question,
    at: &dyn Fn(&[&str]) -> Location,
    problems: &mut Diagnostics,
) {
    if let Some(chart) = &question.chart {
        if question.kind == QuestionKind::Text {
            problems.push(Diagnostic::error(
                at(&["chart"]),
                format!(
                    "question `{}` has only comments and cannot be charted",
                    question.id
                ),
            ));
        }
        if let Some(option) = &chart.option
            && !question.options.iter().any(|o| &o.id == option)
        {
            problems.push(unknown_option(
                at(&["chart", "option"]),
                &question.id,
                option,
                &question.options,
            ));
        }
    }
}

pub(super) fn choice(id: &str, text: &str) -> Choice {
    Choice {
        id: id.to_string(),
        text: text.to_string(),
        ..Choice::default()
    }
}

pub(super) fn unknown_option(
    location: Location,
    measure: &str,
    found: &str,
    options: &[Choice],
) -> Diagnostic {
    // an option's id, and its wording where that reads otherwise: either may be typed
    let allowed: Vec<String> = options
        .iter()
        .map(|o| {
            if crate::input::model::folded(&o.id) == crate::input::model::folded(&o.text) {
                format!("`{}`", o.id)
            } else {
                format!("`{}` (\"{}\")", o.id, o.text)
            }
        })
        .collect();
    let what = if measure.contains('.') {
        "item"
    } else {
        "question"
    };
    let mut d = Diagnostic::error(
        location,
        format!(
            "`{found}` is not an option of {what} `{measure}`; expected one of {}",
            allowed.join(", ")
        ),
    );
    if let Some(near) = nearest(found, options.iter().map(|o| o.id.as_str())) {
        d = d.with_note(format!("did you mean {near}?"));
    }
    d
}
