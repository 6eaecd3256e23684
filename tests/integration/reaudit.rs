//! The audit cycle's re-audit: a round compared with the earlier one it names as
//! `previous:`, its questions matched by id or `same_as:`, its changes in words with their
//! statistics, and its charts in pairs. Driven on the example under `examples/`.

use crate::common::{copy_audit, options_in, root, scratch};
use audit_report::build;
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the example re-audit whose `previous:` points at the sample in place.
fn example_copy(work: &Path) -> PathBuf {
    let audit = work.join("audit");
    copy_audit(&root().join("examples/repeat-cpp-2015"), &audit, true);
    let info = audit.join("audit.yaml");
    let text = fs::read_to_string(&info).unwrap().replace(
        "previous: ../../data",
        &format!("previous: {}", root().join("data").display()),
    );
    fs::write(&info, text).unwrap();
    audit
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_example_re_audit_states_its_changes_with_their_statistics() {
    let work = scratch("reaudit-example");
    let summary = build(
        &options_in(&root().join("examples/repeat-cpp-2015"), &work, None),
        &mut |_| {},
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let board = flat(summary.editions[0].text());
    // the first audit's 58 of 70 against this round's 48 of 51
    assert!(board.contains("supervision rose from 82.9 per cent to 94.1 per cent: a rise too small, at these numbers, to rule out chance."), "{board}");
    assert!(board.contains("rose sharply from 54.7 per cent to 83.6 per cent: a rise larger than chance alone would give at these numbers."));
    assert!(board.contains("against 82.9 per cent in the first audit"));
    assert!(
        board.contains(
            "The first audit received 77 returns, 70 of them answering its supervision question."
        ),
        "{board}"
    );
    // The lead's copy gives each percentage and change its 95 % interval.
    let lead = flat(summary.editions[1].text());
    assert!(
        lead.contains("rose from 82.9 per cent to 94.1 per cent (a change of +11.2 points, 95% interval −1.0 to +22.4)"),
        "{lead}"
    );
    assert!(
        lead.contains("In this round 94.1 (95% interval 84.1 to 98.0) per cent"),
        "{lead}"
    );
    // and so does each chart's table of figures (Wilson, 48 of 51)
    assert!(lead.contains("Yes 48 94.1% (84.1 to 98.0)"), "{lead}");
    // and each bar of its charts: a line and two ticks per bar, both rounds' (3 answers × 2)
    let lines = |path: &str| {
        fs::read_to_string(work.join(path))
            .unwrap()
            .matches("<polyline")
            .count()
    };
    assert_eq!(
        lines("charts/with-intervals/q2.svg"),
        lines("charts/q2.svg") + 18
    );
    // Charts in pairs: both rounds' figures, and a legend and alt text saying which is which.
    let q2 = fs::read_to_string(work.join("charts/q2.svg")).unwrap();
    assert!(q2.contains("82.9% (58 of 70)") && q2.contains("94.1% (48 of 51)"));
    assert!(q2.contains("Earlier audit (January and February 2014)"));
    assert!(q2.contains("This audit (January 2015)"));
    let html = fs::read_to_string(work.join("out/executive-group/executive-group.html")).unwrap();
    assert!(html.contains("Yes: Earlier audit (January and February 2014) 82.9% (58 of 70), This audit (January 2015) 94.1% (48 of 51)"));
}

/// Replaces `from` with `to` in every YAML file of `audit` (a question or option renamed
/// in the bank, the returns and the prose alike).
fn rename(audit: &Path, from: &regex::Regex, to: &str) {
    for entry in walkdir::WalkDir::new(audit) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = fs::read_to_string(entry.path()).unwrap();
            fs::write(entry.path(), from.replace_all(&text, to).as_ref()).unwrap();
        }
    }
}

#[test]
fn a_question_that_matches_nothing_earlier_is_an_error_unless_new() {
    let work = scratch("reaudit-matching");
    let audit = example_copy(&work);
    let bank = audit.join("questions.yaml");
    // q6 renamed throughout this round: no match earlier, an error at its id with the way out
    rename(&audit, &regex::Regex::new(r"\bq6\b").unwrap(), "q6b");
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("questions.yaml:78:7: error: question `q6b` has no match in the earlier round (it has no question `q6b`)"),
        "{message}"
    );
    assert!(
        message.contains("add `same_as: <id>`") && message.contains("did you mean `same_as: q6`?")
    );
    // matched by `same_as`, it builds and compares
    let renamed = fs::read_to_string(&bank).unwrap();
    fs::write(
        &bank,
        renamed.replacen("- id: q6b\n", "- id: q6b\n  same_as: q6\n", 1),
    )
    .unwrap();
    let summary =
        build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        flat(summary.editions[0].text())
            .contains("lived experience rose from 92.2 per cent to 98.3 per cent")
    );
    // an option renamed without `same_as` is an error at the option
    rename(
        &audit,
        &regex::Regex::new(r"(?m)^(  q6b: )'no'$").unwrap(),
        "${1}none",
    );
    let text = fs::read_to_string(&bank).unwrap();
    fs::write(
        &bank,
        text.replacen(
            "  - id: 'no'\n    text: No, we do not have",
            "  - id: none\n    text: No, we do not have",
            1,
        ),
    )
    .unwrap();
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`none` has no match among the earlier round's options (yes, no)"),
        "{message}"
    );
    // marked new, it is simply not compared
    let text = fs::read_to_string(&bank).unwrap();
    fs::write(
        &bank,
        text.replacen("  - id: none\n", "  - id: none\n    new: true\n", 1),
    )
    .unwrap();
    build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_missing_earlier_round_or_an_earlier_figure_without_one_is_an_error_at_its_place() {
    let work = scratch("reaudit-missing");
    let audit = example_copy(&work);
    let info = audit.join("audit.yaml");
    let text = fs::read_to_string(&info).unwrap();
    let at = text
        .lines()
        .position(|l| l.starts_with("previous:"))
        .unwrap()
        + 1;
    let without = text
        .lines()
        .map(|l| {
            if l.starts_with("previous:") {
                "previous: ../nowhere"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(&info, &without).unwrap();
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("audit.yaml:{at}:"))
            && message.contains("error: expected the earlier round's audit folder at"),
        "{message}"
    );
    // A figure the earlier round does not keep says so, rather than give this round's.
    let summary = audit.join("narrative/01-summary.yaml");
    let prose = fs::read_to_string(&summary).unwrap();
    fs::write(
        &summary,
        prose.replace(
            "{{total \"cases\"}} cases;",
            "{{total \"cases\"}} cases ({{cases \"age_band\" \"under 5\" round=\"previous\"}});",
        ),
    )
    .unwrap();
    fs::write(&info, &text).unwrap();
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`cases` has no `round=\"previous\"`: the earlier round's are not kept"),
        "{message}"
    );
    fs::write(&summary, prose).unwrap();
    // No earlier round at all: prose asking for its figures says what to add.
    let alone = without.replace("previous: ../nowhere", "");
    fs::write(&info, alone).unwrap();
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`round=\"previous\"` needs an earlier round: name its folder as `previous:` in audit.yaml"),
        "{message}"
    );
}
