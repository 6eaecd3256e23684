//! The audit cycle's re-audit: a round compared with the earlier one it names as
//! `previous:`, its questions matched by id or `same_as:`, its changes in words with their
//! statistics, and its charts in pairs. Driven on the example under `examples/`.

use crate::common::{copy_audit, edit, options_in, root, scratch};
use audit_report::build;
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the example re-audit whose `previous:` points at the sample in place.
pub(crate) fn example_copy(work: &Path) -> PathBuf {
    let audit = work.join("audit");
    copy_audit(&root().join("examples/repeat-cpp-2015"), &audit, true);
    let info = audit.join("audit.yaml");
    edit(
        &info,
        "previous: ../../data",
        &format!("previous: {}", root().join("data").display()),
    );
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
    // The action plan's progress table prints q7's "Yes, mine or another's" 25 of 53
    // (47.2%): the edition's figures.csv, which the change list reads, holds q7 (it had
    // no row of it).
    assert!(
        board.contains("least 75% 43.1% 47.2% No clear change"),
        "{board}"
    );
    let csv = std::fs::read_to_string(work.join("out/executive-group/figures.csv")).unwrap();
    for row in [
        "q7,Professional to speak and see the child alone,yes_mine,7,53,13.2",
        "q7,Professional to speak and see the child alone,yes_other,18,53,34.0",
    ] {
        assert!(csv.contains(row), "{row} in:\n{csv}");
    }
    // the first audit's 58 of 70 against this round's 48 of 51: an interval holding zero,
    // so no "rose"
    assert!(board.contains("supervision went from 82.9 per cent to 94.1 per cent: no clear change, since at these numbers a difference this size could be chance."), "{board}");
    // tasks are compared where the question applied (N/A fell from 33.3 to 5.5 per cent):
    // 82.0 → 88.5 per cent, no headline rise from N/A alone
    assert!(board.contains("Clear tasks and dates for completion in the plan went from 82 per cent to 88.5 per cent of the returns where it applied: no clear change"), "{board}");
    assert!(!board.contains("rose sharply"), "{board}");
    assert!(board.contains("against 82.9 per cent in the first audit"));
    assert!(
        board.contains(
            "The first audit received 77 returns, 70 of them answering its supervision question."
        ),
        "{board}"
    );
    // The lead's copy gives each percentage and change its 95 % interval, widened for the
    // returns' clustering in cases; each difference is of the unrounded shares (48/51 −
    // 58/70 = 11.26 points: +11.3, not the printed 94.1 − 82.9 = 11.2).
    let lead = flat(summary.editions[1].text());
    let differences = [
        ((58, 70), (48, 51)),
        ((41, 50), (46, 52)),
        ((71, 77), (57, 58)),
        ((30, 72), (20, 55)),
    ];
    let written: Vec<String> = regex::Regex::new(r"a change of ([+−][0-9.]+) points")
        .unwrap()
        .captures_iter(&lead)
        .map(|c| c[1].replace('−', "-"))
        .take(4)
        .collect();
    assert_eq!(written.len(), 4, "{lead}");
    for (((was, was_base), (now, base)), written) in differences.iter().zip(&written) {
        let exact =
            100.0 * (f64::from(*now) / f64::from(*base) - f64::from(*was) / f64::from(*was_base));
        assert_eq!(
            written,
            &format!("{exact:+.1}"),
            "{was}/{was_base} → {now}/{base}"
        );
    }
    assert!(
        lead.contains("went from 82.9 per cent to 94.1 per cent (a change of +11.3 points, 95% interval −1.7 to +23.3)"),
        "{lead}"
    );
    assert!(
        lead.contains("In this round 94.1 (95% interval 83.4 to 98.1) per cent"),
        "{lead}"
    );
    // and so does each chart's table of figures (Wilson at the design effect, 48 of 51)
    assert!(lead.contains("Yes 48 94.1% (83.4 to 98.1)"), "{lead}");
    // the method appendix says how
    assert!(lead.contains("the returns are clustered by case"), "{lead}");
    assert!(
        regex::Regex::new(r"averaged over them: 0\.\d\d this round and 0\.\d\d in the first")
            .unwrap()
            .is_match(&lead),
        "{lead}"
    );
    // the progress table follows the intervals: no "moved" for a change holding zero
    assert!(lead.contains("41.7% 36.4% No clear change"), "{lead}");
    assert!(lead.contains("43.1% 47.2% No clear change"), "{lead}");
    assert!(
        !lead.contains("Moved") && !lead.contains("Not moved"),
        "{lead}"
    );
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
    // The legend's two entries share a line where they fit across the chart (a line saved
    // in every chart of a re-audit).
    let at = |words: &str| {
        let at = regex::Regex::new(&format!(
            r#"<text x="(\d+)" y="(\d+)"[^>]*>\s*{}"#,
            regex::escape(words)
        ))
        .unwrap();
        let found = at
            .captures(&q2)
            .unwrap_or_else(|| panic!("{words} in {q2}"));
        (found[1].to_string(), found[2].to_string())
    };
    let (earlier, this) = (at("Earlier audit"), at("This audit"));
    assert!(
        earlier.1 == this.1 && earlier.0 != this.0,
        "{earlier:?} {this:?}"
    );
    // A chart a little too tall for the rest of its page is drawn smaller there: question 10
    // follows question 9's tall chart on its page, where it moved over whole and left that
    // page a third blank (the board's copy was a page longer).
    let Some(pages) = crate::common::laid_out(
        &work.join("out/executive-group/executive-group.pdf"),
        "the_example_re_audit_states_its_changes_with_their_statistics",
    ) else {
        return;
    };
    let page = pages
        .split('\u{c}')
        .find(|p| p.contains("Figure 6:"))
        .unwrap();
    assert!(page.contains("Figure 7:"), "{page}");
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
        message.contains("questions.yaml:82:7: error: question `q6b` has no match in the earlier round (it has no question `q6b`)"),
        "{message}"
    );
    assert!(
        message.contains("add `same_as: <id>`") && message.contains("did you mean `same_as: q6`?")
    );
    // matched by `same_as`, it builds and compares
    edit(&bank, "- id: q6b\n", "- id: q6b\n  same_as: q6\n");
    let summary =
        build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        flat(summary.editions[0].text())
            .contains("lived experience went from 92.2 per cent to 98.3 per cent")
    );
    // an option renamed without `same_as` is an error at the option
    rename(
        &audit,
        &regex::Regex::new(r"(?m)^(  q6b: )'no'$").unwrap(),
        "${1}none",
    );
    edit(
        &bank,
        "  - id: 'no'\n    text: No, we do not have",
        "  - id: none\n    text: No, we do not have",
    );
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`none` has no match among the earlier round's options (yes, no)"),
        "{message}"
    );
    // marked new, it is simply not compared: its earlier bar reads "new this round", never
    // "0.0% (0 of 77)"
    edit(&bank, "  - id: none\n", "  - id: none\n    new: true\n");
    build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let html = fs::read_to_string(work.join("out/executive-group/executive-group.html")).unwrap();
    let alt = regex::Regex::new(r"No, we do not have[^;]*?: Earlier audit \([^)]*\) ([^,]*),")
        .unwrap()
        .captures(&html)
        .unwrap_or_else(|| panic!("{html}"))[1]
        .to_string();
    assert_eq!(alt, "new this round");
}

/// Earlier and later bars are paired by id: an option given a label of its own this round
/// keeps its earlier bar; two options of one question sharing a label are refused.
#[test]
fn bars_pair_by_id_and_a_label_two_options_share_is_refused() {
    let work = scratch("reaudit-labels");
    let audit = example_copy(&work);
    let bank = audit.join("questions.yaml");
    let text = fs::read_to_string(&bank).unwrap();
    // q4's options are written out (not the shared anchor) with labels of their own
    let q4 = "- id: q4\n  number: '4'\n";
    let at = text.find(q4).unwrap();
    let options_at = at + text[at..].find("  options: *id001\n").unwrap();
    let labelled = "  options:\n  - {id: 'yes', text: 'Yes', label: Clear}\n  - {id: 'no', text: 'No', label: Not clear}\n  - {id: na, text: Not applicable}\n";
    let relabelled = format!(
        "{}{labelled}{}",
        &text[..options_at],
        &text[options_at + "  options: *id001\n".len()..]
    );
    fs::write(&bank, &relabelled).unwrap();
    build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let html = fs::read_to_string(work.join("out/executive-group/executive-group.html")).unwrap();
    assert!(
        html.contains("Clear: Earlier audit (January and February 2014) 54.7% (41 of 75), This audit (January 2015) 83.6% (46 of 55)"),
        "{html}"
    );
    assert!(html.contains("Not clear: Earlier audit (January and February 2014) 12.0% (9 of 75)"));
    // two options labelled alike: refused at the second
    edit(&bank, "label: Not clear", "label: Clear");
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("error: `yes` and `no` of question `q4` are both labelled \"Clear\", so their bars could not be told apart"),
        "{message}"
    );
}

/// A round with no returns: "no returns" in words, charts and the progress table, never 0
/// per cent and never a change; a final edition of it is refused, a draft built with a
/// warning.
#[test]
fn a_round_with_no_returns_reads_no_returns_and_is_no_final_edition() {
    let work = scratch("reaudit-empty");
    let audit = example_copy(&work);
    fs::remove_dir_all(audit.join("returns")).unwrap();
    fs::create_dir(audit.join("returns")).unwrap();
    // the questions' section names this round's shares, which a round without returns has
    // not: the summary compares, and says so
    fs::remove_file(audit.join("narrative/02-questions.yaml")).unwrap();
    let message = build(&options_in(&audit, &work, None), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("error: this round has no returns, so there is no figure to report: Executive Group cannot be built final"),
        "{message}"
    );
    let editions = audit.join("editions.yaml");
    edit(&editions, "final: true", "final: false");
    let summary =
        build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        summary
            .warnings
            .0
            .iter()
            .any(|w| w.message.contains("this round has no returns yet")),
        "{:?}",
        summary.warnings
    );
    let board = flat(summary.editions[0].text());
    assert!(
        board.contains("supervision had no returns to compare this round (earlier, 82.9 per cent): no returns to compare."),
        "{board}"
    );
    assert!(
        !board.contains("to 0 per cent") && !board.contains("fell from"),
        "{board}"
    );
    let q2 = fs::read_to_string(work.join("charts/q2.svg")).unwrap();
    assert!(
        q2.contains("no returns") && !q2.contains("(0 of 0)"),
        "{q2}"
    );
    let lead = flat(summary.editions[1].text());
    assert!(lead.contains("82.9% no returns No returns"), "{lead}");
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
    edit(
        &summary,
        "{{total \"cases\"}} cases;",
        "{{total \"cases\"}} cases ({{cases \"age_band\" \"under 5\" round=\"previous\"}});",
    );
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

/// A re-audit's build never writes into the earlier round's folder: an output folder in its
/// `returns/` and charts in its `narrative/` were accepted, and both rounds then read the
/// records and charts as returns (and the earlier round held every figure unsuppressed).
#[test]
fn a_re_audit_refuses_output_folders_in_the_earlier_round() {
    let work = scratch("reaudit-into-earlier");
    let earlier = work.join("earlier");
    copy_audit(&root().join("data"), &earlier, true);
    let audit = work.join("audit");
    copy_audit(&root().join("examples/repeat-cpp-2015"), &audit, true);
    edit(
        &audit.join("audit.yaml"),
        "previous: ../../data",
        &format!("previous: {}", earlier.display()),
    );
    let listing = || {
        let mut all: Vec<PathBuf> = walkdir::WalkDir::new(&earlier)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .collect();
        all.sort();
        all
    };
    let before = listing();
    for (out, charts) in [
        (earlier.join("returns/zz"), earlier.join("narrative/cc")),
        (earlier.clone(), work.join("charts")),
        (work.join("out"), work.clone()),
    ] {
        let options = audit_report::BuildOptions {
            out: out.clone(),
            charts: charts.clone(),
            ..audit_report::BuildOptions::new(&audit)
        };
        let said = build(&options, &mut |_| {}).unwrap_err().to_string();
        let refused = |what: &str| {
            format!("{what} folder `{{}}` is, holds or is inside the earlier round's audit folder")
        };
        let inside_earlier = |p: &Path| p.starts_with(&earlier) || earlier.starts_with(p);
        for (what, folder) in [("output", &out), ("charts", &charts)] {
            let message = refused(what).replace("{}", &folder.display().to_string());
            assert_eq!(
                said.contains(&message),
                inside_earlier(folder),
                "{what}: {said}"
            );
        }
        assert_eq!(listing(), before, "written into the earlier round: {said}");
    }
    // the same folders of the re-audit's own build
    let options = options_in(&audit, &work, Some("executive-group"));
    build(&options, &mut |_| {}).unwrap();
}

/// A question too tall for the rest of its page, moved over whole with the heading above it,
/// is judged at the foot of the page it left, not at the top of the one it reached (where it
/// always fitted, and stayed, however little it was too tall). In this order of the
/// example's questions (found by shuffling them), the tall chart of q9 went over alone and
/// left its page's foot its question, and the page after it 45 % full.
#[test]
fn a_question_moved_over_with_its_heading_is_judged_where_it_started() {
    let work = scratch("reaudit-moved-over");
    let audit = example_copy(&work);
    let part =
        |n: usize, blocks: &str| format!("- id: s{n}\n  title: Part {n}\n  blocks:\n{blocks}");
    let questions =
        |ids: &[&str]| -> String { ids.iter().map(|q| format!("  - question: {q}\n")).collect() };
    let text = [
        "id: questions\ntitle: The questions, then and now\nsubsections:\n".to_string(),
        part(
            1,
            &format!(
                "  - p: A short paragraph.\n{}",
                questions(&["q8", "q12", "q6"])
            ),
        ),
        part(2, &questions(&["q7"])),
        part(3, &questions(&["q2", "q5", "q9"])),
        part(
            4,
            &format!(
                "{}  - p: A paragraph after it.\n{}",
                questions(&["q10"]),
                questions(&["q4"])
            ),
        ),
    ]
    .concat();
    fs::write(audit.join("narrative/02-questions.yaml"), text).unwrap();
    let options = options_in(&audit, &work, Some("executive-group"));
    build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let Some(pages) = crate::common::laid_out(
        &work.join("out/executive-group/executive-group.pdf"),
        "a_question_moved_over_with_its_heading_is_judged_where_it_started",
    ) else {
        return;
    };
    let q9 = "Does your file for this child contain the previous Child Protection Plan";
    let page = pages.split('\u{c}').find(|p| p.contains(q9)).unwrap();
    assert!(
        page.contains("Previous Child Protection Plan on file (percentages"),
        "{page}"
    );
}
