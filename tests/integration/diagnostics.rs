//! The mistakes an audit lead makes, as the command shows them: the file and place, the
//! source line with a caret under the spot, the message in plain words, and `help:` lines.
//! Each rendered diagnostic is pinned in `tests/snapshots/` through insta (`cargo insta
//! review`, or `INSTA_UPDATE=always cargo test`, after a deliberate change; read the diff).

use crate::common::{copy_audit, edit, root, scratch};
use std::path::Path;
use std::process::Command;

/// `check` on `audit`, standard error as the lead sees it on a terminal without colour, with
/// the scratch folder's path shortened to `audit/` and only the diagnostics about `file`.
fn shown(audit: &Path, file: &str, format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", format])
        .arg(audit)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&format!("{}/", audit.display()), "audit/");
    let blocks: Vec<&str> = if format == "short" {
        stderr.lines().filter(|l| l.contains(file)).collect()
    } else {
        stderr.split("\n\n").filter(|b| b.contains(file)).collect()
    };
    assert!(!blocks.is_empty(), "nothing about {file} in:\n{stderr}");
    blocks.join("\n\n").trim_end().to_string() + "\n"
}

/// `actual` against `tests/snapshots/<name>.snap` (insta: `cargo insta review`, or
/// `INSTA_UPDATE=always cargo test`, after a deliberate change; read the diff). Under CI a
/// missing or different snapshot fails.
fn snapshot(name: &str, actual: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root().join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, actual));
}

/// A copy of the sample with `from` replaced by `to` in `file`.
fn with_mistake(name: &str, file: &str, from: &str, to: &str) -> std::path::PathBuf {
    let work = scratch(&format!("diagnostic-{name}"));
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    edit(&audit.join(file), from, to);
    audit
}

#[test]
fn a_line_indented_one_space_too_far_is_said_in_plain_words() {
    let audit = with_mistake(
        "deeper",
        "cases.yaml",
        "  age_band: under 5\n",
        "   age_band: under 5\n",
    );
    snapshot("indented-too-far", &shown(&audit, "cases.yaml", "human"));
}

#[test]
fn a_line_indented_one_space_short_is_said_in_plain_words() {
    let audit = with_mistake(
        "shallower",
        "cases.yaml",
        "  gender: male\n",
        " gender: male\n",
    );
    let human = shown(&audit, "cases.yaml", "human");
    // not libyaml's "missing field `gender`" as the message, but where and what to do
    assert!(human.starts_with(
        "error: this line is indented 1 space; the lines it belongs with are indented 2"
    ));
    snapshot("indented-short", &human);
    // editors get the one-line form
    snapshot(
        "indented-short-short",
        &shown(&audit, "cases.yaml", "short"),
    );
}

#[test]
fn a_figure_closed_with_one_brace_is_pointed_at_in_the_narrative() {
    let audit = with_mistake(
        "brace",
        "narrative/03-thematic-findings.yaml",
        "{{pct \"q2\" \"na\"}} per cent",
        "{{pct \"q2\" \"na\"} per cent",
    );
    let human = shown(&audit, "03-thematic-findings.yaml", "human");
    assert!(!human.contains("Template error") && !human.contains("trailing_tilde"));
    snapshot("figure-one-brace", &human);
}

#[test]
fn a_misspelt_question_lists_every_equally_near_one() {
    let audit = with_mistake(
        "tie",
        "narrative/03-thematic-findings.yaml",
        "{{words \"q9\" \"other_source\"}}",
        "{{words \"q22\" \"other_source\"}}",
    );
    snapshot(
        "question-ties",
        &shown(&audit, "03-thematic-findings.yaml", "human"),
    );
}

/// A case value a slip away from one the cases have is an error; one no case has and
/// nothing is near (a category with no case) still counts 0.
#[test]
fn a_misspelt_case_value_is_an_error_not_a_zero() {
    let audit = with_mistake(
        "case-value",
        "narrative/03-thematic-findings.yaml",
        "{{cases \"age_band\" \"under 5\"}}",
        "{{cases \"age_band\" \"Under5\"}}, {{cases \"category\" \"neglcet\"}}, {{cases \"category\" \"abandonment\"}}",
    );
    let shown = shown(&audit, "03-thematic-findings.yaml", "short");
    for expected in [
        "error: in prose: no case has age_band `Under5`; did you mean `under 5`?",
        "error: in prose: no case has category `neglcet`; did you mean `neglect`?",
    ] {
        assert!(shown.contains(expected), "{expected} in:\n{shown}");
    }
    assert_eq!(shown.matches("error:").count(), 2, "{shown}");
}

#[test]
fn a_return_for_an_unknown_case_says_where_to_add_it() {
    let audit = with_mistake("case", "returns/C01/police.yaml", "case: C01", "case: C99");
    snapshot("unknown-case", &shown(&audit, "police.yaml", "human"));
}

#[test]
fn today_s_figure_typed_into_prose_is_flagged_with_its_helper() {
    let audit = with_mistake(
        "literal",
        "narrative/03-thematic-findings.yaml",
        "{{pct \"q12\" \"additional\"}} per cent",
        "44.6 per cent",
    );
    let human = shown(&audit, "03-thematic-findings.yaml", "human");
    assert!(
        human.contains("write {{pct \"q12\" \"additional\"}}"),
        "{human}"
    );
    snapshot("literal-today", &human);
}

#[test]
fn a_misspelt_helper_or_an_unquoted_option_is_said_in_plain_words() {
    let audit = with_mistake(
        "helper",
        "narrative/03-thematic-findings.yaml",
        "{{pct \"q2\" \"na\"}} per cent",
        "{{pcnt \"q2\" \"na\"}} per cent",
    );
    let human = shown(&audit, "03-thematic-findings.yaml", "human");
    assert!(!human.contains("Helper not found"), "{human}");
    snapshot("unknown-helper", &human);
    let audit = with_mistake(
        "unquoted",
        "narrative/03-thematic-findings.yaml",
        "{{words \"q9\" \"other_source\"}}",
        "{{words \"q9\" other_source}}",
    );
    snapshot(
        "unquoted-option",
        &shown(&audit, "03-thematic-findings.yaml", "human"),
    );
}

#[test]
fn a_file_that_fails_to_parse_gives_one_error_and_no_follow_on() {
    let audit = with_mistake(
        "bracket",
        "neighbours.yaml",
        "title: ",
        "rows_note: [unclosed\ntitle: ",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .output()
        .unwrap();
    let errors: Vec<String> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains(": error:"))
        .map(|l| l.replace(&format!("{}/", audit.display()), "audit/"))
        .collect();
    assert_eq!(
        errors,
        ["audit/neighbours.yaml:3:12: error: this `[` opens a list that is never closed with `]`"]
    );
}

#[test]
fn today_s_counts_typed_into_prose_are_flagged_with_their_helpers() {
    let audit = with_mistake(
        "counts",
        "narrative/03-thematic-findings.yaml",
        "in {{words \"q2\" \"yes\" \"over\"}} of the case sample",
        "in 58 of 70 returns of the case sample",
    );
    let human = shown(&audit, "03-thematic-findings.yaml", "human");
    assert!(
        human.contains("write {{count \"q2\" \"yes\"}} of {{base \"q2\"}}"),
        "{human}"
    );
    snapshot("count-today", &human);
}

/// `--diagnostic-format short`: exactly one line a problem, and nothing of the human form
/// (no `= note:` or `help:`, no source line).
#[test]
fn the_short_form_is_one_line_a_problem() {
    let audit = with_mistake(
        "short-one-line",
        "returns/C01/police.yaml",
        "case: C01",
        "case: C99",
    );
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .output()
        .unwrap();
    let stderr =
        String::from_utf8_lossy(&output.stderr).replace(&format!("{}/", audit.display()), "audit/");
    let lines: Vec<&str> = stderr.lines().collect();
    let (last, problems) = lines.split_last().unwrap();
    assert!(
        last.starts_with("check failed: 1 error(s), 1 warning(s)"),
        "{stderr}"
    );
    // each line a problem of its own, in the form an editor reads
    assert_eq!(problems.len(), 2, "{stderr}");
    assert!(
        problems
            .iter()
            .all(|l| l.starts_with("audit/")
                && (l.contains(": error: ") || l.contains(": warning: "))),
        "{stderr}"
    );
    assert!(
        problems
            .contains(&"audit/returns/C01/police.yaml:1:7: error: case `C99` is not in cases.yaml"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("note") && !stderr.contains("help") && !stderr.contains('│'),
        "{stderr}"
    );
}

/// The reader stops at a file's first wrong value; every other case it would have stopped in
/// is told too, each at its line, numbered as written (a lead fixes them in one go).
#[test]
fn every_mistyped_case_in_a_file_is_told_at_once() {
    let work = scratch("diagnostic-every-case");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    crate::common::edit_each(
        &audit.join("cases.yaml"),
        &[
            ("interval_months: 10\n", "interval_months: ten\n"),
            ("interval_months: 13\n", "interval_months: 13 months\n"),
            ("interval_months: 32\n", "interval_monhts: 32\n"),
        ],
    );
    let short = shown(&audit, "cases.yaml", "short");
    let told: Vec<&str> = short.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(told.len(), 3, "{short}");
    assert!(told[0].starts_with("audit/cases.yaml:8:20: error: failed to read YAML: cases[0].interval_months: invalid type: string \"ten\""), "{short}");
    assert!(told[1].starts_with("audit/cases.yaml:20:20: error: failed to read YAML: cases[1].interval_months: invalid type: string \"13 months\""), "{short}");
    assert!(told[2].starts_with("audit/cases.yaml:32:3: error: failed to read YAML: cases[2]: unknown field `interval_monhts`"), "{short}");
}

/// A figure of a question that has none is said so: a text question's comments, a
/// checklist's items (both were "unknown question", and the lead looked for a typo).
#[test]
fn a_figure_of_a_text_question_or_a_whole_checklist_says_why_there_is_none() {
    let audit = with_mistake(
        "no-figures",
        "narrative/03-thematic-findings.yaml",
        "{{words \"q1.a\" \"yes\"}}",
        "{{pct \"q14\" \"yes\"}} {{pct \"q1\" \"yes\"}}",
    );
    let short = shown(&audit, "03-thematic-findings.yaml", "short");
    assert!(
        short
            .contains("error: in prose: question `q14` asks for text: it has comments, no figures"),
        "{short}"
    );
    assert!(
        short.contains("error: in prose: question `q1` is a checklist: its figures are its items' (`q1.a`, `q1.b`, `q1.c`, `q1.d`, `q1.e`)"),
        "{short}"
    );
}
