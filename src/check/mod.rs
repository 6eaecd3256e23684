//! Validate: [`AuditFolder`] → [`Audit`], every file checked against the others.
//!
//! Nothing stops at the first problem: every return, case and question is checked and all
//! problems come back together. Errors stop the build before anything is written; warnings
//! (a question printed twice, a case nobody returned) are shown and the build goes on.

pub mod guard;
pub mod printed;

use crate::diag::{Diagnostic, Diagnostics, Location, nearest};
use crate::edition::Edition;
use crate::input::model::{
    AuditInfo, BlockKind, Case, Choice, Neighbours, QuestionBank, QuestionKind, SectionFile,
};
use crate::input::{AuditFolder, Parsed, Source};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A checked audit, ready to collate.
#[derive(Debug, Clone)]
pub struct Audit {
    /// `audit.yaml`.
    pub info: AuditInfo,
    /// The report's date as year, month, day.
    pub date: (i32, u8, u8),
    /// The question bank, with defaults filled in (a checklist's yes/no options).
    pub bank: QuestionBank,
    /// The cases, in `cases.yaml` order.
    pub cases: Vec<Case>,
    /// The returns, in path order.
    pub returns: Vec<Return>,
    /// The narrative sections, in file-name order (prose is rendered later, with the figures).
    pub sections: Vec<Parsed<SectionFile>>,
    /// The statistical-neighbour table, when the audit has one.
    pub neighbours: Option<Parsed<Neighbours>>,
    /// The editions to build: those of `editions.yaml`, or the whole report.
    pub editions: Vec<Edition>,
    /// The text of every other input (audit, question bank, cases, editions, returns), to
    /// point at where something printed was written.
    pub sources: Vec<Source>,
}

/// One agency's checked return for one case.
#[derive(Debug, Clone)]
pub struct Return {
    /// The case id.
    pub case: String,
    /// The agency.
    pub agency: String,
    /// Chosen option ids per measure id (`q2`, `q1.c`); a measure left blank is absent.
    pub answers: BTreeMap<String, Vec<String>>,
    /// Comments per question id.
    pub comments: BTreeMap<String, String>,
    /// The file it came from.
    pub path: PathBuf,
}

/// Checks the folder, adding to the problems found while loading it; `Ok` carries the audit
/// and any warnings.
pub fn validate(
    folder: AuditFolder,
    mut problems: Diagnostics,
) -> Result<(Audit, Diagnostics), Diagnostics> {
    let info_source = &folder.audit.source;
    let info = folder.audit.value;
    let date = parse_date(&info.date).unwrap_or_else(|| {
        problems.push(Diagnostic::error(
            info_source.locate(&["date"]),
            format!("expected a date as YYYY-MM-DD, found `{}`", info.date),
        ));
        (1970, 1, 1)
    });
    for (name, fact) in &info.facts {
        finite(
            fact.value,
            || info_source.locate(&["facts", name, "value"]),
            &mut problems,
        );
    }
    if info.title.trim().is_empty() {
        problems.push(Diagnostic::error(
            info_source.locate(&["title"]),
            "expected the report's title, found nothing",
        ));
    }
    for (a, agency) in info.agencies.iter().enumerate() {
        if agency.trim().is_empty() {
            problems.push(Diagnostic::error(
                info_source.locate(&["agencies", &a.to_string()]),
                "expected an agency's name, found nothing",
            ));
        }
    }
    if info.agencies.is_empty() {
        problems.push(Diagnostic::error(
            info_source.locate(&["agencies"]),
            "expected at least one agency, found none",
        ));
    }

    let bank = check_bank(
        folder.questions.value,
        &folder.questions.source,
        &mut problems,
    );
    let cases = folder.cases.value.cases;
    check_cases(&cases, &info.agencies, &folder.cases.source, &mut problems);
    // The inputs' text stays with the audit, so a problem found in what is printed can be
    // pointed at where it was written.
    let mut sources = vec![
        folder.audit.source.clone(),
        folder.questions.source.clone(),
        folder.cases.source.clone(),
    ];
    sources.extend(folder.editions.iter().map(|e| e.source.clone()));
    let returns = check_returns(
        folder.returns,
        &bank,
        &cases,
        &info.agencies,
        &mut problems,
        &mut sources,
    );
    let with_returns: BTreeSet<&str> = returns.iter().map(|r| r.case.as_str()).collect();
    for case in &cases {
        if !with_returns.contains(case.id.as_str()) {
            problems.push(Diagnostic::warning(
                folder
                    .cases
                    .source
                    .locate(&["cases", &index_of(&cases, case), "id"]),
                format!("case `{}` has no returns", case.id),
            ));
        }
    }
    if let Some(neighbours) = &folder.neighbours {
        check_neighbours(neighbours, &mut problems);
    }
    check_narrative(
        &folder.sections,
        &bank,
        folder.neighbours.is_some(),
        &mut problems,
    );

    let editions = match &folder.editions {
        Some(parsed) => check_editions(parsed, &folder.sections, &mut problems),
        None => vec![Edition::whole_report()],
    };
    let audit = Audit {
        info,
        date,
        bank,
        cases,
        returns,
        sections: folder.sections,
        neighbours: folder.neighbours,
        editions,
        sources,
    };
    problems.sort();
    problems.into_result(audit)
}

fn index_of(cases: &[Case], case: &Case) -> String {
    cases
        .iter()
        .position(|c| std::ptr::eq(c, case))
        .unwrap_or(0)
        .to_string()
}

/// `YYYY-MM-DD` → (year, month, day), checking the day exists in that month.
pub fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    // Four-digit years: what a PDF's metadata can carry.
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then_some((year, month, day))
}

/// The longest id.
const ID_LENGTH: usize = 64;

/// Ids name things (questions, options, items, cases, sections, editions) and become parts of
/// file names, labels and lookup keys (`q1.c`, `yes+no`, `charts/q2.svg`): one pattern for
/// all, so none can be a path, be empty, or read as two. `None` when `id` is fine.
pub fn id_problem(kind: &str, id: &str) -> Option<String> {
    let fine = !id.is_empty()
        && id.chars().count() <= ID_LENGTH
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    (!fine).then(|| {
        format!(
            "expected {article} {kind} id of letters, digits, `-` and `_` (starting with a letter or digit, at most {ID_LENGTH}), found `{}`",
            id.escape_debug()
        )
    })
}

/// Question ids the report uses for something else.
const RESERVED: [&str; 1] = ["neighbours"];

fn check_bank(mut bank: QuestionBank, source: &Source, problems: &mut Diagnostics) -> QuestionBank {
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
    bank
}

fn choice(id: &str, text: &str) -> Choice {
    Choice {
        id: id.to_string(),
        text: text.to_string(),
        label: None,
    }
}

fn unknown_option(
    location: Location,
    question: &str,
    found: &str,
    options: &[Choice],
) -> Diagnostic {
    let allowed: Vec<String> = options.iter().map(|o| format!("`{}`", o.id)).collect();
    let mut d = Diagnostic::error(
        location,
        format!(
            "`{found}` is not an option of question `{question}`; expected one of {}",
            allowed.join(", ")
        ),
    );
    if let Some(near) = nearest(found, options.iter().map(|o| o.id.as_str())) {
        d = d.with_note(format!("did you mean `{near}`?"));
    }
    d
}

fn check_cases(cases: &[Case], agencies: &[String], source: &Source, problems: &mut Diagnostics) {
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
        for (r, agency) in case.requested.iter().enumerate() {
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

fn unknown_agency(location: Location, found: &str, agencies: &[String]) -> Diagnostic {
    let mut d = Diagnostic::error(
        location,
        format!("agency `{found}` is not listed in audit.yaml"),
    );
    if let Some(near) = nearest(found, agencies.iter().map(String::as_str)) {
        d = d.with_note(format!("did you mean `{near}`?"));
    }
    d
}

fn check_returns(
    raw: Vec<Parsed<crate::input::model::RawReturn>>,
    bank: &QuestionBank,
    cases: &[Case],
    agencies: &[String],
    problems: &mut Diagnostics,
    sources: &mut Vec<Source>,
) -> Vec<Return> {
    let mut seen: BTreeMap<(String, String), Location> = BTreeMap::new();
    let by_id: BTreeMap<&str, &Case> = cases.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut returns = Vec::new();
    for Parsed { value, source } in raw {
        match by_id.get(value.case.as_str()) {
            None => {
                let mut d = Diagnostic::error(
                    source.locate(&["case"]),
                    format!("case `{}` is not in cases.yaml", value.case),
                );
                if let Some(near) = nearest(&value.case, cases.iter().map(|c| c.id.as_str())) {
                    d = d.with_note(format!("did you mean `{near}`?"));
                }
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
        if !agencies.contains(&value.agency) {
            problems.push(unknown_agency(
                source.locate(&["agency"]),
                &value.agency,
                agencies,
            ));
        }
        let key = (value.case.clone(), value.agency.clone());
        if let Some(first) = seen.get(&key) {
            problems.push(Diagnostic::error(
                source.locate(&["agency"]),
                format!(
                    "second return from `{}` for case `{}`; the first is at {}",
                    value.agency, value.case, first
                ),
            ));
        } else {
            seen.insert(key, source.locate(&["agency"]));
        }

        let mut answers = BTreeMap::new();
        for (question_id, answer) in &value.answers {
            let at = |keys: &[&str]| {
                let mut path = vec!["answers", question_id.as_str()];
                path.extend(keys);
                source.locate(&path)
            };
            let Some(question) = bank.questions.iter().find(|q| &q.id == question_id) else {
                problems.push(unknown_question(at(&[]), question_id, bank));
                continue;
            };
            let options = &question.options;
            // The place is found only for a bad answer: locating walks the file.
            let check = |found: &Value,
                         location: &dyn Fn() -> Location,
                         problems: &mut Diagnostics|
             -> Option<String> {
                let text = scalar_text(found)?;
                if options.iter().any(|o| o.id == text) {
                    Some(text)
                } else {
                    problems.push(unknown_option(location(), &question.id, &text, options));
                    None
                }
            };
            match (question.kind, answer) {
                (_, Value::Null) => {}
                (
                    QuestionKind::Single,
                    value @ (Value::String(_) | Value::Bool(_) | Value::Number(_)),
                ) => {
                    if let Some(option) = check(value, &|| at(&[]), problems) {
                        answers.insert(question.id.clone(), vec![option]);
                    }
                }
                (QuestionKind::Multiple, Value::Sequence(list)) => {
                    let chosen: Vec<String> = list
                        .iter()
                        .filter_map(|v| check(v, &|| at(&[]), problems))
                        .collect();
                    if !chosen.is_empty() {
                        answers.insert(question.id.clone(), chosen);
                    }
                }
                (QuestionKind::Checklist, Value::Mapping(items)) => {
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
                        if let Some(option) = check(value, &|| at(&[&item]), problems) {
                            answers.insert(format!("{}.{item}", question.id), vec![option]);
                        }
                    }
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
        for question_id in value.comments.keys() {
            if !bank.questions.iter().any(|q| &q.id == question_id) {
                problems.push(unknown_question(
                    source.locate(&["comments", question_id]),
                    question_id,
                    bank,
                ));
            }
        }
        returns.push(Return {
            case: value.case,
            agency: value.agency,
            answers,
            comments: value.comments,
            path: source.path.clone(),
        });
        sources.push(source);
    }
    returns
}

fn unknown_question(location: Location, found: &str, bank: &QuestionBank) -> Diagnostic {
    let mut d = Diagnostic::error(
        location,
        format!("question `{found}` is not in questions.yaml"),
    );
    if let Some(near) = nearest(found, bank.questions.iter().map(|q| q.id.as_str())) {
        d = d.with_note(format!("did you mean `{near}`?"));
    }
    d
}

/// A YAML scalar as the text the user typed: `yes`, `true` and `3` all compare as written.
/// A blank string counts as no answer.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn expected_shape(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "one option id",
        QuestionKind::Multiple => "a list of option ids",
        QuestionKind::Checklist => "a map of item id to option id, like `{a: yes, b: no}`",
        QuestionKind::Text => "no answer (it takes comments only)",
    }
}

fn shape_of(value: &Value) -> &'static str {
    match value {
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a map",
        Value::String(_) | Value::Bool(_) | Value::Number(_) => "a single value",
        _ => "something else",
    }
}

/// An error unless `value` is an ordinary number (YAML also reads `.nan` and `.inf`).
fn finite(value: f64, at: impl Fn() -> Location, problems: &mut Diagnostics) {
    if !value.is_finite() || value.abs() > 1e12 {
        problems.push(Diagnostic::error(
            at(),
            format!("expected a number, found `{value}`"),
        ));
    }
}

fn check_neighbours(neighbours: &Parsed<Neighbours>, problems: &mut Diagnostics) {
    let table = &neighbours.value;
    let source = &neighbours.source;
    for (r, row) in table.rows.iter().enumerate() {
        finite(
            row.value,
            || source.locate(&["rows", &r.to_string(), "value"]),
            problems,
        );
    }
    finite(table.england, || source.locate(&["england"]), problems);
    finite(
        table.this_authority.value,
        || source.locate(&["this_authority", "value"]),
        problems,
    );
    if let Some(stated) = table.stated_average {
        finite(stated, || source.locate(&["stated_average"]), problems);
    }
    if table.rows.is_empty() {
        problems.push(Diagnostic::error(
            neighbours.source.locate(&["rows"]),
            "expected at least one neighbour, found none",
        ));
        return;
    }
    if let Some(stated) = table.stated_average {
        let mean = table.mean();
        if (round1(mean) - stated).abs() > 0.05 {
            problems.push(Diagnostic::error(
                neighbours.source.locate(&["stated_average"]),
                format!("stated average {stated} does not match the mean of the rows, {:.1} ({mean:.2})", round1(mean)),
            ).with_note("correct the rows or the stated average"));
        }
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn check_narrative(
    sections: &[Parsed<SectionFile>],
    bank: &QuestionBank,
    has_neighbours: bool,
    problems: &mut Diagnostics,
) {
    for Parsed { value, source } in sections {
        // Labels become cross-reference targets and the layout's labels.
        let mut labels: Vec<(Vec<String>, &str)> = Vec::new();
        labels.extend(value.id.as_deref().map(|id| (vec!["id".to_string()], id)));
        for (s, sub) in value.subsections.iter().enumerate() {
            labels.extend(
                sub.id
                    .as_deref()
                    .map(|id| (vec!["subsections".into(), s.to_string(), "id".into()], id)),
            );
        }
        for (a, appendix) in value.appendices.iter().enumerate() {
            labels.push((
                vec!["appendices".into(), a.to_string(), "id".into()],
                appendix.id.as_str(),
            ));
        }
        for (path, id) in labels {
            if let Some(problem) = id_problem("section", id) {
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                problems.push(Diagnostic::error(source.locate(&path), problem));
            }
        }
        for (s, sub) in value.subsections.iter().enumerate() {
            for (b, block) in sub.blocks.iter().enumerate() {
                let at =
                    || source.locate(&["subsections", &s.to_string(), "blocks", &b.to_string()]);
                match &block.kind {
                    BlockKind::Question(id) if !bank.questions.iter().any(|q| &q.id == id) => {
                        problems.push(unknown_question(at(), id, bank));
                    }
                    BlockKind::Table(name) | BlockKind::Chart(name) if name != "neighbours" => {
                        problems.push(Diagnostic::error(
                            at(),
                            format!("unknown table `{name}`; expected `neighbours`"),
                        ));
                    }
                    BlockKind::Table(_) | BlockKind::Chart(_) if !has_neighbours => {
                        problems.push(Diagnostic::error(at(), "the narrative shows the neighbour table but the audit has no neighbours.yaml"));
                    }
                    _ => {}
                }
            }
        }
        for (a, appendix) in value.appendices.iter().enumerate() {
            if let Some(kind) = &appendix.generated
                && !matches!(
                    kind.as_str(),
                    "question-bank" | "cases" | "agencies" | "comments"
                )
            {
                problems.push(Diagnostic::error(
                    source.locate(&["appendices", &a.to_string(), "generated"]),
                    format!("cannot generate `{kind}`; expected `question-bank`, `cases`, `agencies` or `comments`"),
                ));
            }
        }
    }
}

/// Every label the narrative defines for sections, sub-sections and appendices.
fn part_labels(sections: &[Parsed<SectionFile>]) -> BTreeSet<String> {
    let mut labels = BTreeSet::new();
    for Parsed { value, .. } in sections {
        labels.extend(value.id.clone());
        labels.extend(value.subsections.iter().filter_map(|s| s.id.clone()));
        labels.extend(value.appendices.iter().map(|a| a.id.clone()));
    }
    labels
}

/// An edition that withholds small numbers needs a threshold that withholds something, and
/// cannot carry the lead's views: a page per case or agency, or the comments, show single
/// returns, which no suppression can make safe to publish.
fn check_suppression(
    edition: &Edition,
    below: u32,
    sections: &[Parsed<SectionFile>],
    source: &crate::input::Source,
    i: &str,
    problems: &mut Diagnostics,
) {
    // Below 3, a withheld count could only be 1, and a reader would know it.
    if below < 3 {
        problems.push(Diagnostic::error(
            source.locate(&["editions", i, "suppress_below"]),
            format!("expected `suppress_below` of 3 or more (counts from 1 to one less are withheld), found {below}"),
        ));
    }
    for Parsed { value, .. } in sections {
        if !edition.includes(value.id.as_deref()) {
            continue;
        }
        for appendix in &value.appendices {
            let single_returns = matches!(
                appendix.generated.as_deref(),
                Some("cases" | "agencies" | "comments")
            );
            if single_returns && edition.includes(Some(&appendix.id)) {
                problems.push(
                    Diagnostic::error(
                        source.locate(&["editions", i, "suppress_below"]),
                        format!(
                            "edition `{}` withholds small numbers but includes appendix `{}`, which shows single returns",
                            edition.id, appendix.id
                        ),
                    )
                    .with_note(format!("add `{}` to the edition's `exclude`", appendix.id)),
                );
            }
        }
    }
}

fn check_editions(
    parsed: &Parsed<crate::edition::EditionList>,
    sections: &[Parsed<SectionFile>],
    problems: &mut Diagnostics,
) -> Vec<Edition> {
    let source = &parsed.source;
    let editions = &parsed.value.editions;
    if editions.is_empty() {
        problems.push(Diagnostic::error(
            source.locate(&["editions"]),
            "expected at least one edition, found none",
        ));
    }
    let labels = part_labels(sections);
    let mut ids = BTreeSet::new();
    for (index, edition) in editions.iter().enumerate() {
        let i = index.to_string();
        if !ids.insert(edition.id.to_lowercase()) {
            problems.push(Diagnostic::error(
                source.locate(&["editions", &i, "id"]),
                format!("edition id `{}` is used twice", edition.id),
            ));
        }
        if let Some(problem) = id_problem("edition", &edition.id) {
            problems.push(Diagnostic::error(
                source.locate(&["editions", &i, "id"]),
                format!("{problem} (it becomes a folder and file name)"),
            ));
        }
        if let Some(date) = &edition.date
            && parse_date(date).is_none()
        {
            problems.push(Diagnostic::error(
                source.locate(&["editions", &i, "date"]),
                format!("expected a date as YYYY-MM-DD, found `{date}`"),
            ));
        }
        if let Some(below) = edition.suppress_below {
            check_suppression(edition, below, sections, source, &i, problems);
        }
        for (e, label) in edition.exclude.iter().enumerate() {
            if !labels.contains(label) {
                let mut d = Diagnostic::error(
                    source.locate(&["editions", &i, "exclude", &e.to_string()]),
                    format!(
                        "edition `{}` leaves out `{label}`, but no section, sub-section or appendix has that id",
                        edition.id
                    ),
                );
                if let Some(near) = nearest(label, labels.iter().map(String::as_str)) {
                    d = d.with_note(format!("did you mean `{near}`?"));
                }
                problems.push(d);
            }
        }
    }
    for Parsed { value, source } in sections {
        let blocks = value.subsections.iter().enumerate().flat_map(|(s, sub)| {
            sub.blocks.iter().enumerate().map(move |(b, block)| {
                (
                    vec![
                        "subsections".to_string(),
                        s.to_string(),
                        "blocks".into(),
                        b.to_string(),
                    ],
                    block,
                )
            })
        });
        let appendix_blocks = value.appendices.iter().enumerate().flat_map(|(a, app)| {
            app.blocks.iter().enumerate().map(move |(b, block)| {
                (
                    vec![
                        "appendices".to_string(),
                        a.to_string(),
                        "blocks".into(),
                        b.to_string(),
                    ],
                    block,
                )
            })
        });
        for (path, block) in blocks.chain(appendix_blocks) {
            for id in &block.editions {
                if !editions.iter().any(|e| &e.id == id) {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    problems.push(Diagnostic::error(
                        source.locate(&path),
                        format!("block names edition `{id}`, which editions.yaml does not declare"),
                    ));
                }
            }
        }
    }
    editions.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2014-02-28"), Some((2014, 2, 28)));
        assert_eq!(parse_date("2014-02-29"), None);
        assert_eq!(parse_date("2016-02-29"), Some((2016, 2, 29)));
        assert_eq!(parse_date("28/02/2014"), None);
    }

    #[test]
    fn unknown_option_names_allowed_and_nearest() {
        let options = vec![
            choice("yes", "Yes"),
            choice("no", "No"),
            choice("na", "Not applicable"),
        ];
        let d = unknown_option(Location::at("r.yaml", 3, 7), "q2", "yse", &options);
        assert_eq!(
            d.to_string(),
            "r.yaml:3:7: error: `yse` is not an option of question `q2`; expected one of `yes`, `no`, `na`\n  = note: did you mean `yes`?"
        );
    }
}
