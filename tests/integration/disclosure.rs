//! Suppressed editions: no withheld count can be worked out from what the edition shows, in
//! its `figures.csv` or in its PDF's text, and its folder holds nothing else.

use crate::common::{edit, edit_each, options_in, root, scratch};
use audit_report::BuildOptions;
use audit_report::collate::disclose::{Answers, Shown, ShownTally, possible_values};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// How each measure of the audit in `audit` is answered, from its question bank.
fn answers_of(audit: &Path) -> BTreeMap<String, Answers> {
    let bank: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(audit.join("questions.yaml")).unwrap()).unwrap();
    let mut answers = BTreeMap::new();
    for q in bank["questions"].as_sequence().unwrap() {
        let id = q["id"].as_str().unwrap().to_string();
        match q["kind"].as_str().unwrap() {
            "multiple" => {
                answers.insert(id, Answers::Several);
            }
            "checklist" => {
                for item in q["items"].as_sequence().unwrap() {
                    answers.insert(
                        format!("{id}.{}", item["id"].as_str().unwrap()),
                        Answers::One,
                    );
                }
            }
            _ => {
                answers.insert(id, Answers::One);
            }
        }
    }
    answers
}

/// Reads an edition's `figures.csv` back into the tallies it shows, by measure.
fn shown_tallies(csv: &str) -> BTreeMap<String, ShownTally> {
    let shown = |cell: &str| match cell {
        "withheld" => Shown::Withheld,
        n => Shown::Count(n.parse().unwrap()),
    };
    let mut tallies: BTreeMap<String, ShownTally> = BTreeMap::new();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    for row in reader.records() {
        let row = row.unwrap();
        assert_eq!(
            &row[0], "all cases",
            "an edition shows the audit's figures only"
        );
        let tally = tallies.entry(row[1].to_string()).or_insert(ShownTally {
            base: shown(&row[5]),
            counts: Vec::new(),
        });
        tally.counts.push((row[3].to_string(), shown(&row[4])));
    }
    tallies
}

/// Asserts that the edition built in `out/<edition>` shows no count from 1 to `below − 1`
/// and leaves every withheld count at least three possible values, in every format it was
/// built in; returns how many were withheld.
fn assert_nothing_derivable(
    audit: &Path,
    out: &Path,
    written: &audit_report::Written,
    below: u32,
) -> usize {
    let edition = written.edition.as_str();
    let answers = answers_of(audit);
    let csv = fs::read_to_string(out.join(edition).join("figures.csv")).unwrap();
    let mut withheld = 0;
    for (measure, tally) in shown_tallies(&csv) {
        for shown in std::iter::once(tally.base).chain(tally.counts.iter().map(|(_, s)| *s)) {
            if let Shown::Count(n) = shown {
                assert!(n == 0 || n >= below, "{measure} shows {n}: {tally:?}");
            }
        }
        let kind = answers[&measure];
        for values in possible_values(&tally, kind, below) {
            withheld += 1;
            // three values, or every small one where all could be small and N − 1 < 3
            let needed = if values.iter().all(|&v| v < below) {
                3.min(below as usize - 1)
            } else {
                3
            };
            assert!(
                values.len() >= needed,
                "{measure}: {tally:?} gives a withheld count away: {values:?}"
            );
        }
    }
    // Every file: every count printed beside a share, "(12)" or "(12 of 70)", is 0 or at
    // least the threshold.
    let counts = regex::Regex::new(r"\((\d+)(?: of \d+)?\)").unwrap();
    for file in &written.files {
        for found in counts.captures_iter(&file.text) {
            let n: u32 = found[1].parse().unwrap();
            assert!(
                n == 0 || n >= below,
                "{:?} prints `{}`",
                file.format,
                &found[0]
            );
        }
    }
    // Nothing but the edition's files and its figures goes to the public.
    let mut files: Vec<String> = fs::read_dir(out.join(edition))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = written
        .files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .chain(["figures.csv".to_string()])
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    withheld
}

#[test]
fn the_sample_public_edition_gives_no_withheld_count_away() {
    let work = scratch("disclosure-sample");
    let options = options_in(&root().join("data"), &work, Some("public"));
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let text = summary.editions[0]
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let withheld =
        assert_nothing_derivable(&root().join("data"), &options.out, &summary.editions[0], 5);
    assert!(
        withheld >= 15,
        "the sample withholds cells in several questions: {withheld}"
    );
    // The same figures in the chart tables: q2's No and Not applicable go together.
    assert!(text.contains("Yes 58 82.9% No withheld withheld Not applicable withheld withheld"));
    // Small numbers written through helpers are withheld in words too.
    assert!(
        text.contains("a small selection (an undisclosed number) of"),
        "{text}"
    );
    // 15 cases by age band, 8, 4 and 3: with the 8 shown, the other two add up to 7 and
    // are each 1 to 4, so 3 or 4; all three are withheld.
    let ages = text
        .split("The ages of the children")
        .nth(1)
        .and_then(|rest| rest.split("over 10 years").next())
        .expect("the methodology's sentence on ages");
    assert!(
        !ages.contains("eight") && ages.contains("being under 5 years"),
        "{ages}"
    );
    // The internal folder is apart, and holds the real figures.
    let all = fs::read_to_string(options.out.join("records/figures.csv")).unwrap();
    assert!(all.contains("all cases,q2,Case overseen or discussed in supervision,no,4,70,5.7"));
}

#[test]
fn synthetic_suppressed_audits_give_no_withheld_count_away() {
    let work = scratch("disclosure-synthetic");
    let mut withheld = 0;
    for seed in 1..=50u64 {
        let audit = work.join(format!("audit-{seed}"));
        let cases = 2 + (seed as usize * 7) % 23;
        let below = 3 + (seed as u32 % 5);
        audit_report::input::synthetic::generate(&audit, cases, seed).unwrap();
        fs::write(
            audit.join("editions.yaml"),
            format!(
                "editions:\n  - id: public\n    name: Public\n    final: true\n    suppress_below: {below}\n    chart_tables: true\n    exclude: [case-pages]\n    formats: [pdf, docx, html]\n"
            ),
        )
        .unwrap();
        let options = options_in(&audit, &audit, None);
        let summary = audit_report::build(&options, &mut |_| {})
            .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let text = summary.editions[0]
            .text()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        withheld += assert_nothing_derivable(&audit, &options.out, &summary.editions[0], below);
        // The totals are bases too.
        let looked = if cases < below as usize {
            format!("The audit looked at fewer than {below} cases.")
        } else {
            format!("The audit looked at {cases} cases.")
        };
        assert!(text.contains(&looked), "seed {seed}: {text}");
    }
    assert!(
        withheld > 100,
        "the audits withhold enough to test: {withheld}"
    );
}

#[test]
fn a_suppressed_edition_refuses_single_cases_and_views() {
    let work = scratch("disclosure-refused");
    let audit = work.join("audit");
    audit_report::input::synthetic::generate(&audit, 4, 1).unwrap();
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: public\n    name: Public\n    suppress_below: 2\n",
    )
    .unwrap();
    let options = options_in(&audit, &work, None);
    let problems = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("editions.yaml:4:")
            && problems.contains("expected `suppress_below` of 3 or more"),
        "{problems}"
    );
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: public\n    name: Public\n    suppress_below: 5\n",
    )
    .unwrap();
    let problems = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("narrative/03-cases.yaml:")
            && problems.contains("figures of one case (`case=\"C00001\"`) cannot be shown in an edition that withholds counts below 5"),
        "{problems}"
    );
    assert!(!work.join("out").exists() && !work.join("charts").exists());
}

/// Prose that chooses its words by comparing a figure (`{{#if (gt (count …) 4)}}`) is refused
/// in an edition that withholds that figure, at its paragraph: compared as the mark it
/// stands in as, it took a branch the figure did not support ("four or fewer" for eight);
/// where the figure is shown, the comparison chooses as written.
#[test]
fn a_withheld_figure_cannot_choose_the_words() {
    let work = scratch("disclosure-compare");
    let audit = work.join("audit");
    crate::common::copy_audit(&root().join("data"), &audit, true);
    edit(
        &audit.join("narrative/02-methodology.yaml"),
        "- blocks:\n  - p: >-\n",
        "- blocks:\n  - p: '{{#if (gt (count \"q2\" \"na\") 4)}}More than four{{else}}Four or fewer{{/if}} answered not applicable.'\n  - p: >-\n",
    );
    let board = audit_report::build(
        &options_in(&audit, &work, Some("executive-group")),
        &mut |_| {},
    )
    .unwrap();
    assert!(
        board.editions[0]
            .text()
            .contains("More than four answered not applicable."),
        "the eight shown choose the words"
    );
    let problems = audit_report::build(&options_in(&audit, &work, Some("public")), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("02-methodology.yaml:7:")
            && problems.contains("`gt` compares a figure this edition withholds"),
        "{problems}"
    );
}

#[test]
fn small_numbers_typed_into_prose_are_warned_about_where_they_are_withheld() {
    let work = scratch("disclosure-literals");
    let audit = work.join("audit");
    crate::common::copy_audit(&crate::common::fixture("other-audit"), &audit, true);
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: board\n    name: Board\n  - id: public\n    name: Public\n    suppress_below: 5\n",
    )
    .unwrap();
    let narrative = audit.join("narrative/01-findings.yaml");
    edit_each(
        &narrative,
        &[
            (
                " For case X1 alone the figure was {{pct \"offered\" \"yes\" case=\"X1\"}} per cent.",
                "",
            ),
            (
                "There were {{fact \"episodes\"}} episodes.",
                "There were {{fact \"episodes\"}} episodes; three parents and 2 carers spoke to us\n          in Section 3, on 4 March 2014 [^n1].",
            ),
        ],
    );
    let options = BuildOptions::new(&audit);
    let templates = audit_report::Templates::load(None).unwrap();
    let warnings = audit_report::prepare(&options, &templates, &mut |_| {})
        .unwrap()
        .warnings
        .to_string();
    let file = narrative.display().to_string();
    assert!(
        warnings.contains(&format!("{file}:14:"))
            && warnings.contains(
                "edition `public` withholds counts below 5, but the prose states `three` as written"
            ),
        "{warnings}"
    );
    assert!(warnings.contains("states `2` as written"), "{warnings}");
    assert!(
        !warnings.contains("`3`")
            && !warnings.contains("`4`")
            && !warnings.contains("edition `board`"),
        "{warnings}"
    );
    // Reviewed: the words around it in allow.yaml's `numbers`.
    fs::write(
        audit.join("allow.yaml"),
        "numbers:\n  - text: three parents and 2 carers\n    reason: reviewed\n",
    )
    .unwrap();
    let warnings = audit_report::prepare(&options, &templates, &mut |_| {})
        .unwrap()
        .warnings
        .to_string();
    assert!(!warnings.contains("withholds counts below"), "{warnings}");
}

/// The action plan's words are held to the prose's rule: a count typed into an update is
/// warned about in an edition that withholds it (and the sample's plan types none).
#[test]
fn small_numbers_typed_into_the_action_plan_are_warned_about_too() {
    let work = scratch("disclosure-plan");
    let audit = work.join("audit");
    crate::common::copy_audit(&root().join("data"), &audit, true);
    let templates = audit_report::Templates::load(None).unwrap();
    let warnings = |audit: &std::path::Path| {
        audit_report::prepare(&BuildOptions::new(audit), &templates, &mut |_| {})
            .unwrap()
            .warnings
            .to_string()
    };
    assert!(!warnings(&audit).contains("withholds counts below"));
    let findings = audit.join("narrative/05-findings.yaml");
    edit(
        &findings,
        "Revised in Health and the Police; the other agencies are behind.",
        "Two of five agencies have revised their policies.",
    );
    let found = warnings(&audit);
    assert!(
        found.contains(
            "edition `public` withholds counts below 5, but the prose states `Two` as written (\"Two of five agencies\")"
        ) && found.contains("05-findings.yaml:61:"),
        "{found}"
    );
}

/// An update naming a date after the report's is warned about, at the date.
#[test]
fn an_update_dated_after_the_report_is_warned_about() {
    let work = scratch("disclosure-plan-dated");
    let audit = work.join("audit");
    crate::common::copy_audit(&root().join("data"), &audit, true);
    let findings = audit.join("narrative/05-findings.yaml");
    edit(
        &findings,
        "the first is due in April.",
        "the first was received in December 2014.",
    );
    let templates = audit_report::Templates::load(None).unwrap();
    let found = audit_report::prepare(&BuildOptions::new(&audit), &templates, &mut |_| {})
        .unwrap()
        .warnings
        .to_string();
    assert!(
        found.contains(
            "the update of action `a5` names December 2014, after the report's date (February 2014)"
        ),
        "{found}"
    );
    assert_eq!(
        found.matches("after the report's date").count(),
        1,
        "{found}"
    );
}

/// What a review helper's attack worked out from the public edition: a withheld fact as a
/// shown fact less another (34 plans, 31 of neglect, "the remaining" withheld: 3), and a
/// count from a typed percentage of a shown base ("6 per cent of the 70": 4).
#[test]
fn a_fact_or_typed_percentage_that_gives_a_withheld_count_away_is_not_printed() {
    let work = scratch("disclosure-facts");
    let audit = work.join("audit");
    crate::common::copy_audit(&root().join("data"), &audit, true);
    let facts = audit.join("audit.yaml");
    edit_each(
        &facts,
        &[
            ("value: 23\n", "value: 31\n"),
            ("value: 11\n", "value: 3\n"),
        ],
    );
    let options = options_in(&audit, &work, Some("public"));
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let text = summary.editions[0]
        .text()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("These 34 plans"), "{text}");
    assert!(
        !text.contains("thirty one") && !text.contains("thirty-one"),
        "{text}"
    );
    // the board's edition shows them all
    let board = options_in(&audit, &work.join("board"), Some("improvement-board"));
    let summary = audit_report::build(&board, &mut |_| {}).unwrap();
    assert!(summary.editions[0].text().contains("thirty one"));

    let findings = audit.join("narrative/03-thematic-findings.yaml");
    edit(
        &findings,
        "  - p: >-\n      The auditors have identified that in",
        "  - p: In 6 per cent of the {{base \"q2\"}} responses there was no supervision.\n  - p: >-\n      The auditors have identified that in",
    );
    let problems = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("03-thematic-findings.yaml:27:11: error: edition `public` withholds the count of `q2` `no` (below 5), but the prose states `6 per cent`, its percentage"),
        "{problems}"
    );
}
