//! The audit cycle's action plan: actions on the findings, an appendix with each status in
//! words, a tracking workbook that reads back, warnings for what to chase, and a re-audit's
//! progress against the earlier plan.

use crate::common::{copy_audit, edit, edit_each, options_in, root, scratch};
use audit_report::diag::Diagnostics;
use audit_report::{BuildOptions, Templates, build, prepare};
use std::fs;
use std::path::Path;

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn prepared(audit: &Path) -> Result<audit_report::Prepared, Diagnostics> {
    prepare(
        &BuildOptions::new(audit),
        &Templates::load(None).unwrap(),
        &mut |_| {},
    )
}

#[test]
fn the_sample_prints_its_action_plan_with_statuses_in_words() {
    let work = scratch("actions-sample");
    let options = options_in(&root().join("data"), &work, Some("executive-group"));
    let summary = build(&options, &mut |_| {}).unwrap();
    // each status on one line of its cell (Typst gives each line as a line of the text)
    let lines: Vec<&str> = summary.editions[0].text().lines().map(str::trim).collect();
    for status in ["On track", "Not started", "At risk"] {
        assert!(
            lines.contains(&status),
            "`{status}` broken over lines: {lines:?}"
        );
    }
    for broken in ["On", "Not", "At"] {
        assert!(!lines.contains(&broken), "a status broken: {lines:?}");
    }
    let text = flat(summary.editions[0].text());
    let plan = &text[text
        .rfind("Appendix 4 – Response to audit findings action plan")
        .expect("the appendix")..];
    for expected in [
        "Table 2: The response to Finding 1",
        "Core group chairs check at each meeting that the plan has been explained to the child.",
        "Named nurses for safeguarding 30 June 2014 Case overseen or discussed in supervision: “Yes” at least 90% Revised in Health and the Police; the other agencies are behind. At risk",
        "On track",
        "Not started",
    ] {
        assert!(plan.contains(expected), "`{expected}` not in: {plan}");
    }
    // the same in the web page, the status's colour behind its words
    let html = fs::read_to_string(work.join("out/executive-group/executive-group.html")).unwrap();
    assert!(html.contains("<td class=\"rag-amber\">At risk</td>"));
    // not started, and not due until September: not red in a February report
    assert!(html.contains("<td class=\"rag-grey\">Not started</td>"));
    assert!(!html.contains("<td class=\"rag-red\">"));
    // a key to the colours, once, under the last table (Finding 3's)
    let key = "Each action’s status is shown in words on a colour: green, on track; amber, at risk; red, not started and due by the report’s date; grey, done, or not started and not yet due.";
    assert_eq!(plan.matches(key).count(), 1, "{plan}");
    assert!(plan.find(key) > plan.find("Table 4: The response to Finding 3"));
    assert!(html.contains(key));
}

#[test]
fn the_tracking_workbook_round_trips_and_its_statuses_are_printed() {
    let work = scratch("actions-workbook");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    // As written, the workbook reads back to the same statuses and updates.
    let bytes = audit_report::output::actions::workbook(&prepared(&audit).unwrap().audit).unwrap();
    fs::write(audit.join("actions.xlsx"), &bytes).unwrap();
    let mut problems = Diagnostics::default();
    let rows = audit_report::input::actions::read(&audit.join("actions.xlsx"), &mut problems);
    assert!(problems.0.is_empty(), "{problems}");
    let read: Vec<(String, &str)> = rows.iter().map(|r| (r.id.clone(), r.status.id())).collect();
    assert_eq!(
        read,
        [
            ("a1".to_string(), "on-track"),
            ("a2".to_string(), "not-started"),
            ("a3".to_string(), "on-track"),
            ("a4".to_string(), "at-risk"),
            ("a5".to_string(), "on-track"),
        ]
    );
    assert_eq!(
        rows[3].update.as_deref(),
        Some("Revised in Health and the Police; the other agencies are behind.")
    );
    // The lead updates a status and adds a note: the next build prints them.
    fs::remove_file(audit.join("actions.xlsx")).unwrap();
    fs::write(
        audit.join("actions.csv"),
        "Action id,Finding,Action,Lead agency,Owner,Due,Status,Update\n\
         a4,2,,,,,done,All five agencies have revised their policies.\n",
    )
    .unwrap();
    let options = options_in(&audit, &work, Some("executive-group"));
    let summary = build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let text = flat(summary.editions[0].text());
    assert!(
        text.contains("All five agencies have revised their policies. Done"),
        "{text}"
    );
    assert!(!text.contains("Revised in Health and the Police"));
    // A status the plan does not know, and an action no finding has: errors at row and column.
    fs::write(
        audit.join("actions.csv"),
        "Action id,Finding,Action,Lead agency,Owner,Due,Status,Update\n\
         a4,2,,,,,finished,\n\
         a9,2,,,,,done,\n\
         a1,1,,,,,done,\n\
         a1,1,,,,,at-risk,\n",
    )
    .unwrap();
    let message = build(&options, &mut |_| {}).unwrap_err().to_string();
    assert!(
        message.contains("actions.csv, row 2, column \"Status\": error: expected a status (not-started, on-track, at-risk, done), found `finished`"),
        "{message}"
    );
    assert!(
        message.contains(
            "actions.csv, row 3, column \"Action id\": error: the tracking workbook names action `a9`, which no finding has"
        ),
        "{message}"
    );
    // one action on two rows: the second would have won without a word
    assert!(
        message.contains(
            "actions.csv, row 5, column \"Action id\": error: action `a1` has a row already, at row 4; give each action one row"
        ),
        "{message}"
    );
}

/// The tracking workbook's sheet `Actions` is read, not a sheet of notes in front of it
/// (whose "done" was printed, unsaid), and another sheet of action rows is an error; what
/// is said of an update the workbook gave is said at its cell, not at the narrative's
/// words it stands in for.
#[test]
fn the_actions_sheet_is_read_and_its_cells_are_where_problems_are_said() {
    let work = scratch("actions-sheets");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let updated = [
        "a2",
        "1",
        "",
        "",
        "",
        "",
        "on-track",
        "Done on 3 March 2014",
    ];
    let notes = [["Action id", "Status"], ["a2", "done"]];
    fs::write(
        audit.join("actions.xlsx"),
        tracking_book(&notes, updated, |_| {}),
    )
    .unwrap();
    let said = prepared(&audit)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        said.contains(
            "actions.xlsx: error: sheet `Notes` holds action rows too; only sheet `Actions` is read"
        ),
        "{said}"
    );
    fs::remove_file(audit.join("actions.xlsx")).unwrap();
    fs::write(
        audit.join("actions.xlsx"),
        tracking_book(&[], updated, |_| {}),
    )
    .unwrap();
    let warned = prepared(&audit).unwrap().warnings.to_string();
    assert!(
        warned.contains("actions.xlsx, sheet Actions, cell H2: warning: the update of action `a2` names 3 March 2014, after the report's date (February 2014)"),
        "{warned}"
    );
    // a due date changed in the workbook (which carries only statuses and updates) is said
    // at its cell; the actions it has no row for are named
    fs::remove_file(audit.join("actions.xlsx")).unwrap();
    let moved = ["a2", "1", "", "", "", "2014-01-01", "on-track", ""];
    fs::write(
        audit.join("actions.xlsx"),
        tracking_book(&[], moved, |_| {}),
    )
    .unwrap();
    let warned = prepared(&audit).unwrap().warnings.to_string();
    // (and a status written by a program as a formula with no saved result is said so)
    let formula_book = tracking_book(
        &[],
        ["a2", "1", "", "", "", "2014-01-01", "", ""],
        |sheet| {
            sheet.write_formula(1, 6, "=G3").unwrap();
        },
    );
    // (as a program that does not calculate saves it: no result)
    let bytes = crate::common::edit_part(&formula_book, "xl/worksheets/sheet1.xml", |xml| {
        String::from_utf8(xml)
            .unwrap()
            .replace("<f>G3</f><v>0</v>", "<f>G3</f>")
            .into_bytes()
    });
    let formula = work.join("formula.xlsx");
    fs::write(&formula, bytes).unwrap();
    let mut problems = Diagnostics::default();
    audit_report::input::actions::read(&formula, &mut problems);
    assert!(
        problems.to_string().contains("formula.xlsx, sheet Actions, cell G2: error: this cell holds a formula whose result was never saved"),
        "{problems}"
    );
    assert!(
        warned.contains("actions.xlsx, sheet Actions, cell F2: warning: the workbook gives action `a2` the due date `2014-01-01`, the narrative `2014-09-30`; the build reads only Status and Update from the workbook, so the narrative's is printed"),
        "{warned}"
    );
    assert!(
        warned.contains("note: the tracking workbook has no row for action `a1`, `a3`, `a4`, `a5`; the narrative's status and update are printed"),
        "{warned}"
    );
}

/// A tracking workbook: a sheet `Notes` of the rows `notes` (where there are any), then the
/// sheet `Actions` with the columns `actions` writes and `row` under them, `shape` applied.
fn tracking_book(
    notes: &[[&str; 2]],
    row: [&str; 8],
    shape: impl Fn(&mut rust_xlsxwriter::Worksheet),
) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    if !notes.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Notes").unwrap();
        for (r, cells) in notes.iter().enumerate() {
            sheet.write_row(r as u32, 0, *cells).unwrap();
        }
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Actions").unwrap();
    sheet
        .write_row(0, 0, audit_report::input::actions::COLUMNS)
        .unwrap();
    sheet.write_row(1, 0, row).unwrap();
    shape(sheet);
    book.save_to_buffer().unwrap()
}

#[test]
fn check_warns_of_overdue_actions_and_measures_naming_nothing() {
    let work = scratch("actions-check");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    // the plan as an August report sees it: two actions past their dates
    edit(
        &audit.join("audit.yaml"),
        "date: '2014-02-28'",
        "date: '2014-08-15'",
    );
    let findings = audit.join("narrative/05-findings.yaml");
    edit_each(
        &findings,
        &[
            (
                "measure: {question: q4, option: 'yes', target: 80}",
                "measure: {question: q44, option: 'yes', target: 80}",
            ),
            (
                "measure: {question: q2, option: 'yes', target: 90}",
                "measure: {question: q2, option: 'yess', target: 90}",
            ),
            ("lead_agency: Health", "lead_agency: Helth"),
        ],
    );
    let problems = match prepared(&audit) {
        Ok(_) => panic!("a lead agency not in audit.yaml is an error"),
        Err(problems) => problems.to_string(),
    };
    assert!(
        problems.contains("error: lead agency `Helth` is not one of audit.yaml's agencies"),
        "{problems}"
    );
    assert!(problems.contains("did you mean `Health`?"));
    assert!(problems.contains("warning: the measure of action `a3` names question `q44`, which the template does not have (did you mean `q4`?)"), "{problems}");
    assert!(
        problems.contains(
            "warning: the measure of action `a4` names option `yess` of `q2`, which has yes, no, na"
        ),
        "{problems}"
    );
    // overdue as the report's date sees it, not the day it is built
    assert!(problems.contains("05-findings.yaml:25:10: warning: action `a1` was due on 2014-07-31, before the report's date (2014-08-15), and is not done (status: on-track)"), "{problems}");
    assert!(problems.contains("action `a4` was due on 2014-06-30, before"));
    assert!(!problems.contains("action `a5` was due"), "{problems}");
}

/// A report's date that is no day (30 February) is the one error said of it: no action is
/// judged overdue or its update late against a date made up in its place (1 January 1970).
#[test]
fn no_action_is_judged_against_a_date_that_is_no_day() {
    let work = scratch("actions-no-date");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    edit(
        &audit.join("audit.yaml"),
        "date: '2014-02-28'",
        "date: '2014-02-30'",
    );
    let problems = match prepared(&audit) {
        Ok(_) => panic!("a date that is no day is an error"),
        Err(problems) => problems.to_string(),
    };
    assert!(
        problems.contains("error: expected a date as YYYY-MM-DD, found `2014-02-30`"),
        "{problems}"
    );
    assert!(!problems.contains("report's date"), "{problems}");
    assert!(!problems.contains("1970"), "{problems}");
}

#[test]
fn a_re_audit_shows_the_earlier_plan_s_progress_against_its_figures() {
    let work = scratch("actions-progress");
    let summary = build(
        &options_in(
            &root().join("examples/repeat-cpp-2015"),
            &work,
            Some("executive-group"),
        ),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let text = flat(summary.editions[0].text());
    let table = &text[text
        .find("Progress against the earlier audit’s action plan")
        .expect("the table")..];
    // supervision: 82.9% → 94.1% against a target of at least 90%
    assert!(
        table.contains("“Yes” at least 90% 82.9% 94.1% Met"),
        "{table}"
    );
    // tasks and dates, compared where the question applied (`compare: applicable`): 82.0%
    // → 88.5%, target 80%
    assert!(
        table.contains("“Yes” at least 80% 82.0% where it applied 88.5% where it applied Met"),
        "{table}"
    );
    // seen alone: up 4 points, short of 75%, and an interval holding zero: no clear change
    // (not "moved")
    assert!(
        table.contains("at least 75% 43.1% 47.2% No clear change"),
        "{table}"
    );
    // explaining the plan: down 5 points, an interval holding zero: no clear change
    assert!(
        table.contains("at least 75% 41.7% 36.4% No clear change"),
        "{table}"
    );
    // its own key to the colours, which mean progress here, not status
    assert!(
        table.contains("Each measure’s progress is shown in words on a colour: green, met;"),
        "{table}"
    );
}
