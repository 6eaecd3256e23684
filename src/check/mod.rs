//! Check: [`AuditFolder`] → [`Audit`], every file checked against the others.
//!
//! Nothing stops at the first problem: every return, case and question is checked and all
//! problems come back together. Errors stop the build before anything is written; warnings
//! (a question printed twice, a case nobody returned) are shown and the build goes on.

pub mod actions;
mod bank;
mod carried;
pub mod guard;
mod narrative;
mod pack;
pub mod previous;
mod returns;

use bank::check_bank;
use narrative::{check_blank_prose, check_editions, check_narrative, check_neighbours};
use returns::{check_cases, check_returns};

use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::Edition;
use crate::input::actions::ActionUpdate;
use crate::input::model::{AuditInfo, Case, Neighbours, QuestionBank, SectionFile};
use crate::input::{AuditFolder, Parsed, Source};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A checked audit, ready to collate.
#[derive(Debug, Clone)]
pub struct Audit {
    /// `audit.yaml`.
    pub info: AuditInfo,
    /// The report's date.
    pub date: time::Date,
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
    /// For a re-audit, the earlier round (`previous:` in `audit.yaml`).
    pub previous: Option<Box<previous::Previous>>,
    /// The own words of each cover paper, slides and briefing (their text is in `sources`
    /// too).
    pub pack: Vec<crate::input::pack::PackFile>,
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
    let mut sources = sources_of(&folder);
    let info_source = &folder.audit.source;
    let info = folder.audit.value;
    let date = check_info(&info, info_source, &mut problems);
    check_output(&info, info_source, &folder.root, &mut problems);
    check_private_names(&info, info_source, &folder.root, &mut problems);

    let bank = check_bank(
        folder.questions.value,
        &folder.questions.source,
        &mut problems,
    );
    let cases = folder.cases.value.cases;
    check_cases(&cases, &info.agencies, &folder.cases.source, &mut problems);
    pack::check_pack(folder.editions.as_ref(), &folder.pack, &bank, &mut problems);
    let returns = check_returns(
        folder.returns,
        &bank,
        &cases,
        &info.agencies,
        &mut problems,
        &mut sources,
    );
    check_cases_have_returns(&cases, &returns, &folder.cases.source, &mut problems);
    if let Some(neighbours) = &folder.neighbours {
        check_neighbours(neighbours, &mut problems);
    }
    // (a neighbours.yaml that failed to parse is reported once, not by each block showing it)
    check_narrative(
        &folder.sections,
        &bank,
        folder.neighbours.is_some() || folder.root.join("neighbours.yaml").exists(),
        &mut problems,
    );
    check_blank_prose(&folder.sections, &folder.pack, &mut problems);
    let mut sections = folder.sections;
    // (the tracking workbook's updates applied first: the actions are checked as updated)
    actions::apply_updates(&mut sections, &folder.action_updates);
    check_action_plan(
        &sections,
        &folder.action_updates,
        &bank,
        &info.agencies,
        parse_date(&info.date).map(|_| date),
        &mut problems,
    );

    let editions = match &folder.editions {
        Some(parsed) => check_editions(parsed, &sections, &mut problems),
        None => vec![Edition::whole_report()],
    };
    carried::check_carried_over(
        &info,
        info_source,
        folder.editions.as_ref(),
        folder.neighbours.as_ref(),
        &sections,
        &mut problems,
    );
    let audit = Audit {
        info,
        date,
        bank,
        cases,
        returns,
        sections,
        neighbours: folder.neighbours,
        editions,
        sources,
        previous: None,
        pack: folder.pack,
    };
    problems.sort();
    problems.into_result(audit)
}

/// The inputs' text, kept with the audit so a problem found in what is printed can be
/// pointed at where it was written (the returns' are added as they are checked).
fn sources_of(folder: &AuditFolder) -> Vec<Source> {
    let mut sources = vec![
        folder.audit.source.clone(),
        folder.questions.source.clone(),
        folder.cases.source.clone(),
    ];
    sources.extend(folder.editions.iter().map(|e| e.source.clone()));
    sources.extend(crate::input::pack::sources(&folder.pack).cloned());
    sources
}

/// A warning for each case with no return at all.
fn check_cases_have_returns(
    cases: &[Case],
    returns: &[Return],
    source: &Source,
    problems: &mut Diagnostics,
) {
    let with_returns: BTreeSet<&str> = returns.iter().map(|r| r.case.as_str()).collect();
    for case in cases {
        if !with_returns.contains(case.id.as_str()) {
            problems.push(Diagnostic::warning(
                source.locate(&["cases", &index_of(cases, case), "id"]),
                format!("case `{}` has no returns", case.id),
            ));
        }
    }
}

/// The action plan's actions (tracking workbook `updates` applied) against the question
/// `bank` and the audit's `agencies`, each as the report's `date` sees it (overdue then, an
/// update dated after it); with no valid date (an error already), neither is judged.
fn check_action_plan(
    sections: &[Parsed<SectionFile>],
    updates: &[ActionUpdate],
    bank: &QuestionBank,
    agencies: &[String],
    date: Option<time::Date>,
    problems: &mut Diagnostics,
) {
    actions::check_actions(sections, updates, bank, agencies, date, problems);
    actions::check_copied(sections, updates, problems);
    if let Some(date) = date {
        actions::check_dated_after(sections, updates, date, problems);
    }
}

impl Audit {
    /// Every return asked for and not (yet) come back: each case's `requested` agencies,
    /// in cases.yaml's order, that made no return for it.
    pub fn outstanding(&self) -> Vec<(&str, &str)> {
        let returned: BTreeSet<(&str, &str)> = self
            .returns
            .iter()
            .map(|r| (r.case.as_str(), r.agency.as_str()))
            .collect();
        self.cases
            .iter()
            .flat_map(|case| {
                case.requested
                    .iter()
                    .map(move |agency| (case.id.as_str(), agency.as_str()))
            })
            .filter(|pair| !returned.contains(pair))
            .collect()
    }
}

/// A round with no returns at all has no figure to report: a final edition of it is an
/// error; a draft (a new round being set up) is built, every share reading "no returns",
/// with a warning.
pub fn empty_round(
    audit: &Audit,
    editions: &[crate::edition::Edition],
) -> Result<Option<Diagnostic>, Diagnostics> {
    if !audit.returns.is_empty() {
        return Ok(None);
    }
    let returns = audit
        .sources
        .iter()
        .find(|s| s.path.file_name().is_some_and(|n| n == "cases.yaml"))
        .and_then(|s| s.path.parent())
        .map_or_else(|| PathBuf::from("returns"), |folder| folder.join("returns"));
    let finals: Vec<&str> = editions
        .iter()
        .filter(|e| e.is_final)
        .map(|e| e.name.as_str())
        .collect();
    if !finals.is_empty() {
        return Err(Diagnostic::error(
            Location::file(&returns),
            format!(
                "this round has no returns, so there is no figure to report: {} cannot be built final",
                finals.join(", ")
            ),
        )
        .with_note("put the returns in returns/ as they come back; a draft edition (`final: false`) builds meanwhile, every share reading \"no returns\"")
        .into());
    }
    Ok(Some(
        Diagnostic::warning(
            Location::file(&returns),
            "this round has no returns yet: every share reads \"no returns\"",
        )
        .with_note("put the returns in returns/ as they come back"),
    ))
}

/// A note at cases.yaml naming every outstanding return, so the lead knows whom to chase:
/// the response rate alone says how many, not which. A note, not a warning: an audit is
/// built with the returns it has. Only for an audit without errors: a return refused for
/// one (in a file that could not be read, say) is not outstanding.
pub fn outstanding_note(audit: &Audit) -> Option<Diagnostic> {
    let cases = audit
        .sources
        .iter()
        .find(|s| s.path.file_name().is_some_and(|n| n == "cases.yaml"))
        .map_or_else(
            || std::path::PathBuf::from("cases.yaml"),
            |s| s.path.clone(),
        );
    let outstanding = audit.outstanding();
    if outstanding.is_empty() {
        return None;
    }
    let requested: usize = audit.cases.iter().map(|c| c.requested.len()).sum();
    let listed: Vec<String> = outstanding
        .iter()
        .map(|(case, agency)| format!("{case} {agency}"))
        .collect();
    let verb = if outstanding.len() == 1 { "is" } else { "are" };
    Some(
        Diagnostic::note(
            Location::file(&cases),
            format!(
                "{} of {requested} requested returns {verb} outstanding: {}",
                outstanding.len(),
                listed.join(", ")
            ),
        )
        .with_note("the response rate counts them as not returned; put each return in returns/ as it comes back, or take the agency off the case's `requested` list if it was not asked after all"),
    )
}

/// `audit.yaml` on its own: its date (as year, month, day), title, agencies and facts.
fn check_info(info: &AuditInfo, source: &Source, problems: &mut Diagnostics) -> time::Date {
    let date = parse_date(&info.date).unwrap_or_else(|| {
        problems.push(Diagnostic::error(
            source.locate(&["date"]),
            date_problem(&info.date),
        ));
        time::OffsetDateTime::UNIX_EPOCH.date()
    });
    for (name, fact) in &info.facts {
        narrative::check_fact(
            name,
            fact,
            || source.locate(&["facts", name, "value"]),
            problems,
        );
    }
    if info.title.trim().is_empty() {
        problems.push(Diagnostic::error(
            source.locate(&["title"]),
            "expected the report's title, found nothing",
        ));
    }
    let mut named = BTreeSet::new();
    for (a, agency) in info.agencies.iter().enumerate() {
        if !agency.trim().is_empty() && !named.insert(agency.trim()) {
            problems.push(Diagnostic::error(
                source.locate(&["agencies", &a.to_string()]),
                format!("agency `{agency}` is listed twice; list each agency once"),
            ));
        }
        if agency.trim().is_empty() {
            problems.push(Diagnostic::error(
                source.locate(&["agencies", &a.to_string()]),
                "expected an agency's name, found nothing",
            ));
        }
    }
    if info.agencies.is_empty() {
        problems.push(Diagnostic::error(
            source.locate(&["agencies"]),
            "expected at least one agency, found none",
        ));
    }
    date
}

/// `output:` in `audit.yaml`: no folder it names may be the audit's own inputs, where a
/// build would replace returns or be read back as them (the build refuses it too, before
/// reading anything; said here at its line, for `check`).
fn check_output(info: &AuditInfo, source: &Source, root: &Path, problems: &mut Diagnostics) {
    let Some(set) = &info.output else { return };
    for (key, what, given) in [
        ("out", "output", &set.out),
        ("charts", "charts", &set.charts),
    ] {
        let Some(given) = given else { continue };
        let folder = root.join(given);
        if let Some(problem) = crate::input::places::misplaced(what, &folder, root) {
            problems.push(Diagnostic::error(source.locate(&["output", key]), problem));
        }
    }
}

/// `private_names:` in `audit.yaml`: the list must be outside the audit folder, so it never
/// travels with the audit's files (sent to a colleague, put in a repository), the one file
/// that holds the names the rest must not.
fn check_private_names(info: &AuditInfo, source: &Source, root: &Path, problems: &mut Diagnostics) {
    let Some(given) = &info.private_names else {
        return;
    };
    let list = crate::input::places::resolved(&root.join(given));
    if list.starts_with(crate::input::places::resolved(root)) {
        problems.push(
            Diagnostic::error(
                source.locate(&["private_names"]),
                format!(
                    "the private names list `{given}` is inside the audit folder `{}`; it must be kept outside it, so it never travels with the audit's files",
                    root.display()
                ),
            )
            .with_note("move the list to a folder of your own (e.g. ~/private/names.txt) and give that path, absolute or relative to the audit folder (`../../private/names.txt`)"),
        );
    }
}

fn index_of(cases: &[Case], case: &Case) -> String {
    cases
        .iter()
        .position(|c| std::ptr::eq(c, case))
        .unwrap_or(0)
        .to_string()
}

/// `YYYY-MM-DD` → the date, if that day exists in that month.
pub fn parse_date(text: &str) -> Option<time::Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    // Four-digit years: what a PDF's metadata can carry.
    if !(1000..=9999).contains(&year) {
        return None;
    }
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// The months' names, January first (the house style's).
pub use crate::style::MONTHS;

/// What is wrong with a date [`parse_date`] refuses: written as YYYY-MM-DD but no day of the
/// calendar ("there is no 30 February 2014"), or not written so.
pub fn date_problem(text: &str) -> String {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let numbers: Vec<Option<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match (parts.as_slice(), numbers.as_slice()) {
        ([y, _, _], [Some(_), Some(_), Some(_)]) if y.len() != 4 => {
            format!("expected a date as YYYY-MM-DD with a four-digit year, found `{text}`")
        }
        (_, [Some(_), Some(month), Some(_)]) if !(1..=12).contains(month) => {
            format!("expected a date as YYYY-MM-DD, found `{text}`: there is no month {month}")
        }
        (_, [Some(year), Some(month), Some(day)]) => format!(
            "expected a date as YYYY-MM-DD, found `{text}`: there is no {day} {} {year}",
            MONTHS[*month as usize - 1]
        ),
        _ => format!("expected a date as YYYY-MM-DD, found `{text}`"),
    }
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

#[cfg(test)]
mod tests {
    /// A date refused says what is wrong with it in the calendar's words.
    #[test]
    fn a_date_that_is_no_day_says_so() {
        use super::date_problem;
        assert!(date_problem("2014-02-30").ends_with("there is no 30 February 2014"));
        assert!(date_problem("2014-13-01").ends_with("there is no month 13"));
        assert!(date_problem("14-02-01").contains("four-digit year"));
        assert_eq!(
            date_problem("March 2014"),
            "expected a date as YYYY-MM-DD, found `March 2014`"
        );
    }

    use super::bank::{choice, unknown_option};
    use super::*;

    #[test]
    fn dates_must_exist() {
        use time::macros::date;
        assert_eq!(parse_date("2014-02-28"), Some(date!(2014 - 02 - 28)));
        assert_eq!(parse_date("2014-02-29"), None);
        assert_eq!(parse_date("2016-02-29"), Some(date!(2016 - 02 - 29)));
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
            "r.yaml:3:7: error: `yse` is not an option of question `q2`; expected one of `yes`, `no`, `na` (\"Not applicable\")\n  = note: did you mean `yes`?"
        );
    }
}
