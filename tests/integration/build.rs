//! End-to-end builds on the sample audit and on fixture audits, asserting on the typeset text
//! of the PDF (as Typst laid it out), the chart SVGs and the diagnostics.

use crate::common::{self, copy_audit, edit, fixture, options_in, root, scratch};
use audit_report::diag::Diagnostics;
use audit_report::{BuildOptions, BuildSummary, build};
use std::fs;
use std::path::{Path, PathBuf};

fn build_in(audit: &Path, work: &Path) -> Result<BuildSummary, Diagnostics> {
    build(&options_in(audit, work, None), &mut |_| {})
}

/// The typeset text with line breaks and runs of spaces folded, so phrases that wrap still match.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn assert_contains_all(text: &str, phrases: &[&str]) {
    let missing: Vec<&&str> = phrases.iter().filter(|p| !text.contains(**p)).collect();
    assert!(
        missing.is_empty(),
        "missing from the typeset text: {missing:#?}"
    );
}

#[test]
fn sample_report_states_every_seed_figure_computed_from_the_returns() {
    let work = scratch("sample");
    let summary = build_in(&root().join("data"), &work).unwrap();
    let edition = &summary.editions[0];
    let text = flat(edition.text());
    assert_contains_all(
        &text,
        &[
            // sample and response (2.1.3 – 2.2.1)
            "a sample of 15 child protection cases",
            "had 202 cases with a Child Protection Plan, of which 34 Child Protection Plans (16%)",
            "seven sibling groups; twenty three Child Protection Plans",
            "remaining eleven were in the category of emotional abuse",
            "between 6 months and 10 years",
            "with eight being under 5 years, four between 5-10 years and three over 10 years",
            "the 90 audit requests that were sent out, with 77 being returned",
            // national picture (2.6.2) and the neighbour table
            "there were thirty four children",
            "stood at 14.9 per cent",
            "is 16.1 per cent (2012 – 2013)",
            "Average 16.1",
            "West Berkshire 21.1",
            // section 3
            "present in 100 per cent of cases and in almost 95 per cent of cases",
            "In 88 per cent of cases a case summary",
            "on file in just less than 90 per cent of cases",
            "In 97.3 per cent of child protection cases",
            "in over 80 per cent of the case sample",
            "that 11.4 per cent of the responses were not applicable",
            "in just less than 6 per cent of the sample",
            "In nearly 60 per cent of the audit responses",
            "In 12 per cent of cases the previous Child Protection Plan",
            "in 10.7 per cent it was received",
            "(6.7%)",
            "There were no responses where the information had been provided by child or parent",
            "In nearly 20 per cent of the responses",
            "In over half of the responses",
            "process in 12 per cent of responses and in 10.7 per cent the current practitioner",
            "In over 90 per cent of the responses",
            "In less than half of the audit responses",
            "in 13.9 per cent of the responses",
            "(8 children in this sample were under five years old)",
            "a very high proportion (43%) of auditors",
            "close to half of respondents",
            "in 44.6 per cent of the responses",
            "in at least a third of cases",
            "In just over half of the case sample",
            "In a third of the responses",
            "only 12 per cent of the overall returns",
            "selection (three) of parents",
            // section 4
            "Almost half the auditors did not know",
            "A third of the audit responses indicate",
            "(with less than 6% of respondents",
            // findings and appendices
            "Finding 1:",
            "Finding 3:",
            "Challenge for the CESCB",
            "Appendix 1 – Case example from the audit sample",
            "Child A is 14 year-old white British young man",
            "Appendix 2 – Frontline practitioner's view",
            "I became involved with this 14 year old boy",
            "Children in Need census, 2012 -2013",
            "Appendix 3 – Audit template questions",
        ],
    );
    // cross-references resolve to the numbered targets
    assert!(
        text.contains("(see Appendix 1 Case example)"),
        "cross-reference to appendix 1"
    );
    assert!(
        text.contains("presented as Finding 2 below"),
        "cross-reference to finding 2"
    );
    // every charted question has its chart, with its figures on the bars
    // twelve charts, the same twelve with small counts withheld for the public edition, and
    // again in large type for the slides
    assert_eq!(summary.charts.len(), 36);
    let q1 = fs::read_to_string(work.join("charts/q1.svg")).unwrap();
    assert!(
        q1.contains("97.3% (73 of 75)") && q1.contains("88.3% (68 of 77)"),
        "{q1}"
    );
    let q7 = fs::read_to_string(work.join("charts/q7.svg")).unwrap();
    assert!(q7.contains("43.1% (31 of 72)") && q7.contains("13.9% (10 of 72)"));
    assert!(edition.pages() >= 20, "{} pages", edition.pages());
    let pdf = fs::read(edition.path()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // accessible and archivable: PDF/UA-1 and PDF/A-2b, in British English
    let contains = |needle: &[u8]| pdf.windows(needle.len()).any(|w| w == needle);
    assert!(contains(b"<pdfuaid:part>1</pdfuaid:part>"), "PDF/UA-1");
    assert!(
        contains(b"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"),
        "PDF/A-2b"
    );
    assert!(contains(b"<rdf:li>en-GB</rdf:li>"), "language en-GB");
    // the audit's own date, never the clock: the PDF says when the report was written
    assert!(
        pdf.windows(16).any(|w| w == b"D:20140228000000"),
        "PDF creation date is the audit's"
    );
}

/// The sample return files, and the first whose text contains `needle`.
fn find_return(audit: &Path, needle: &str) -> PathBuf {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(audit.join("returns"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .find(|p| fs::read_to_string(p).unwrap().contains(needle))
        .unwrap()
}

#[test]
fn correcting_one_return_changes_that_figure_in_text_chart_and_totals() {
    let work = scratch("corrected");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);

    let first = build_in(&audit, &work).unwrap();
    assert_eq!(
        first.editions[0].changes, None,
        "nothing to compare with yet"
    );
    let pdf_before = fs::read(first.editions[0].path()).unwrap();
    let q2_before = fs::read(work.join("charts/q2.svg")).unwrap();

    // The same inputs give the same bytes, and nothing is reported as changed.
    let again = build_in(&audit, &work).unwrap();
    assert_eq!(
        fs::read(again.editions[0].path()).unwrap(),
        pdf_before,
        "byte-identical rebuild"
    );
    assert_eq!(again.editions[0].changes, Some(vec![]));

    // One agency corrects its answer to 1c (chronology on file) from no to yes: 68 → 69 of 77.
    let corrected = find_return(&audit, "c: 'no'");
    edit(&corrected, "c: 'no'", "c: 'yes'");
    let summary = build_in(&audit, &work).unwrap();
    let changed_file = corrected
        .strip_prefix(&audit)
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert_eq!(
        summary.editions[0].changes.as_deref().unwrap(),
        [
            "q1.c Case summary or chronology of key events – no: 11.7% (9 of 77) → 10.4% (8 of 77)".to_string(),
            "q1.c Case summary or chronology of key events – yes: 88.3% (68 of 77) → 89.6% (69 of 77)\n      shown in chart q1, paragraph 3.1.1".to_string(),
            format!("input changed: {changed_file}"),
        ],
        "exactly the changed figures, and where they show"
    );
    assert_eq!(
        fs::read(work.join("charts/q2.svg")).unwrap(),
        q2_before,
        "other charts untouched"
    );
    let record: serde_json::Value = serde_json::from_slice(
        &fs::read(work.join("out/records/executive-group.record.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(record["figures"]["q1.c"]["counts"]["yes"], 69);
    assert_eq!(record["totals"]["returns"], 77);
    let text = flat(summary.editions[0].text());
    assert!(
        text.contains("In 90 per cent of cases a case summary"),
        "text follows the data"
    );
    assert!(!text.contains("In 88 per cent of cases a case summary"));
    let q1 = fs::read_to_string(work.join("charts/q1.svg")).unwrap();
    assert!(
        q1.contains("89.6% (69 of 77)") && !q1.contains("88.3%"),
        "chart follows the data"
    );

    // A return withdrawn: the totals, and the bases of every figure, follow.
    fs::remove_file(find_return(&audit, "q1:")).unwrap();
    let summary = build_in(&audit, &work).unwrap();
    let text = flat(summary.editions[0].text());
    assert!(
        text.contains("the 90 audit requests that were sent out, with 76 being returned"),
        "totals follow"
    );
    let q1 = fs::read_to_string(work.join("charts/q1.svg")).unwrap();
    assert!(q1.contains("of 76)"), "chart bases follow: {q1}");
    let changes = summary.editions[0].changes.clone().unwrap();
    assert_eq!(
        changes[0],
        "returns: 77 → 76\n      shown in paragraph 2.2.1"
    );
}

#[test]
fn an_audit_with_other_questions_builds_and_user_text_prints_as_written() {
    let work = scratch("other");
    let summary = build_in(&fixture("other-audit"), &work).unwrap();
    let text = flat(summary.editions[0].text());
    assert_contains_all(
        &text,
        &[
            // figures of this audit, computed
            "Of 4 returns from 5 requests, 2 said an interview was offered in time (50 per cent, over 70 per cent when late offers count)",
            "For case X1 alone the figure was 33.3 per cent",
            "Records held the child's own words in half of returns; 2 of 3 returns arranged family support",
            "There were 41 episodes",
            // text that is Typst markup or code elsewhere prints exactly as written
            "Audit of Return Home Interviews <draft> #2 & $costs",
            "What we found: #1 $ * _ @ < \\ [ ] // all printed as written",
            // (a link and the full stop after it touch on the line: read as one, as a search would)
            "Literal marks: # $ * _ @ < \\ [ ] // and a stray *star and [bracket, see Appendix 1.",
            "(// not a comment, #not code, $not maths$)",
            "push and pull factors [risk * 2]",
            "Family support @ home",
            "A note with #hash and $dollar.",
            // the template appendix comes from this audit's question bank
            "Appendix 1 – The template",
            "Which follow-up was arranged?",
            "Anything else?",
        ],
    );
    assert!(
        !text.contains("Cheshire"),
        "nothing of the sample leaks into another audit"
    );
    let records = fs::read_to_string(work.join("charts/records.svg")).unwrap();
    assert!(records.contains("push and pull factors [risk * 2]"));
    assert!(
        records.contains("50.0% (2 of 4)") && records.contains("66.7% (2 of 3)"),
        "{records}"
    );
    let followup = fs::read_to_string(work.join("charts/followup.svg")).unwrap();
    assert!(followup.contains("Family support @ home") && followup.contains("66.7% (2 of 3)"));
}

#[test]
fn bad_input_reports_every_problem_at_once_and_keeps_the_last_good_pdf() {
    let work = scratch("invalid");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    let good = build_in(&audit, &work).unwrap();
    let good_pdf = fs::read(good.editions[0].path()).unwrap();

    edit(
        &audit.join("audit.yaml"),
        "date: 2025-10-31",
        "date: 2025-02-30",
    );
    edit(
        &audit.join("returns/X1/police.yaml"),
        "offered: yes",
        "offered: yse",
    );
    edit(
        &audit.join("returns/X1/health.yaml"),
        "offered: no",
        "ofered: no",
    );
    edit(
        &audit.join("returns/X1/school.yaml"),
        "records: {a: full, b: full}",
        "records: {a: full, c: full}",
    );
    fs::write(
        audit.join("returns/X2/school.yaml"),
        "case: X3\nagency: School\nanswers:\n  offered: yes\n",
    )
    .unwrap();
    fs::write(
        audit.join("returns/X2/police-again.yaml"),
        "case: X2\nagency: Police\n",
    )
    .unwrap();
    fs::write(
        audit.join("returns/X2/broken.yaml"),
        "case: X2\nagency: 'Police\n",
    )
    .unwrap();
    fs::write(audit.join("returns/X2/empty.yaml"), "").unwrap();
    fs::write(
        audit.join("returns/X2/latin1.yaml"),
        b"case: X2\nagency: Caf\xe9\n",
    )
    .unwrap();

    let problems = build_in(&audit, &work).unwrap_err();
    let listed = problems.to_string();
    let expected = [
        "audit.yaml:8:7: error: expected a date as YYYY-MM-DD, found `2025-02-30`: there is no 30 February 2025",
        "returns/X1/health.yaml:4:11: error: question `ofered` is not in questions.yaml\n  = note: did you mean `offered`?",
        "returns/X1/police.yaml:4:12: error: `yse` is not an option of question `offered`; expected one of `yes`, `late` (\"Yes, but late\"), `no`\n  = note: did you mean `yes`?",
        "returns/X1/school.yaml:5:25: error: `c` is not an item of question `records`; expected one of `a`, `b`",
        "returns/X2/broken.yaml:2:9: error: a quote opens this value and is never closed: end the value with the same quote mark",
        "returns/X2/empty.yaml: error: file is empty",
        "returns/X2/latin1.yaml:2:12: error: expected UTF-8 text, found the byte 0xE9, which is not",
        "returns/X2/police.yaml:2:9: error: second return from `Police` for case `X2`; the first is at",
        "returns/X2/school.yaml:1:7: error: case `X3` is not in cases.yaml",
    ];
    let missing: Vec<&&str> = expected.iter().filter(|e| !listed.contains(**e)).collect();
    assert!(missing.is_empty(), "missing {missing:#?}\nin:\n{listed}");
    assert_eq!(problems.error_count(), expected.len(), "{listed}");
    assert_eq!(
        fs::read(good.editions[0].path()).unwrap(),
        good_pdf,
        "the last good PDF is untouched"
    );
}

/// The problems a build of the other-audit fixture lists once each `(from, to)` edit is made
/// to its narrative's `01-findings.yaml` (the build must fail).
fn problems_after_editing_findings(name: &str, edits: &[(&str, &str)]) -> String {
    let work = scratch(name);
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    for (from, to) in edits {
        edit(&audit.join("narrative/01-findings.yaml"), from, to);
    }
    build_in(&audit, &work).unwrap_err().to_string()
}

#[test]
fn prose_naming_an_unknown_question_or_option_is_an_error_at_its_line() {
    let listed = problems_after_editing_findings(
        "bad-prose",
        &[
            (
                r#"{{count "offered" "yes"}}"#,
                r#"{{count "offerd" "yes"}}"#,
            ),
            (
                r#"{{count "followup" "family"}}"#,
                r#"{{count "followup" "famly"}}"#,
            ),
            ("see [@appendix-x]", "see [@appendix-y]"),
        ],
    );
    for expected in [
        "narrative/01-findings.yaml:9:78: error: in prose: unknown question `offerd` (did you mean `offered`?)",
        "narrative/01-findings.yaml:13:90: error: in prose: question `followup` has no option `famly` (did you mean `family`?); expected one of mentor, family, none",
        "narrative/01-findings.yaml:15:88: error: in prose: unknown cross-reference `appendix-y` (did you mean `appendix-x`?)",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

/// A share of no returns printed "0 per cent", and in words "almost 1 per cent".
#[test]
fn a_share_of_a_question_nobody_answered_is_an_error() {
    let work = scratch("share-of-none");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    edit(
        &audit.join("returns/X2/police.yaml"),
        "  followup: [family]\n",
        "",
    );
    edit(
        &audit.join("narrative/01-findings.yaml"),
        r#"{{pct "offered" "yes" case="X1"}}"#,
        r#"{{pct "followup" "family" case="X2"}}, {{words "followup" "none" "almost" case="X2"}}"#,
    );
    let listed = build_in(&audit, &work).unwrap_err().to_string();
    for expected in [
        "narrative/01-findings.yaml:11:69: error: in prose: no return answered `followup` for case `X2`, so there is no share to give",
        "narrative/01-findings.yaml:11:108: error: in prose: no return answered `followup` for case `X2`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
    assert!(!listed.contains("per cent"), "{listed}");
}

/// A misspelt name (`cse=`) or a case given as a third argument would otherwise be passed
/// over, and the whole audit's figure printed as the case's.
#[test]
fn a_figure_helper_refuses_arguments_it_does_not_take() {
    let listed = problems_after_editing_findings(
        "helper-arguments",
        &[
            (
                r#"{{pct "offered" "yes" case="X1"}}"#,
                r#"{{pct "offered" "yes" cse="X1"}}"#,
            ),
            (
                r#"{{count "followup" "family"}}"#,
                r#"{{count "followup" "family" "X1"}}"#,
            ),
        ],
    );
    for expected in [
        "narrative/01-findings.yaml:11:69: error: in prose: `pct` has no argument `cse=`; it takes `case=`, `round=`",
        "narrative/01-findings.yaml:13:90: error: in prose: `count` takes at most 2 arguments (question, option), found 3; a case is written `case=\"…\"`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

/// Every failing figure of a paragraph is listed in one run (only the first was), each at
/// its own place, and a figure Handlebars cannot read is told in the author's words: an
/// unclosed quote, a `case=` with nothing after it, curly quotes, a block closed by another.
#[test]
fn every_problem_of_a_paragraph_is_listed_at_its_place_in_plain_words() {
    let listed = problems_after_editing_findings(
        "paragraph-problems",
        &[
            (
                r#"{{count "offered" "yes"}}"#,
                r#"{{count "offerd" "yes"}}"#,
            ),
            (r#"{{pct "offered" "yes"}}"#, r#"{{pct "offerd" "yes"}}"#),
            (
                r#"{{words "offered" "yes+late" "over"}}"#,
                r#"{{words "offered" "yes+late "over"}}"#,
            ),
            (
                r#"{{pct "offered" "yes" case="X1"}}"#,
                r#"{{pct “offered” "yes" case="X1"}}"#,
            ),
            (
                r#"{{words "records.a" "full"}}"#,
                r#"{{words "records.a" "“full”"}}"#,
            ),
            (r#"{{fact "episodes"}}"#, r#"{{fact "episodes" case=}}"#),
            ("see [@appendix-x]", "see [@appendix-y] and [@appendix-z]"),
            ("with a note[^n1]", "with a note{{#if true}}x{{/unless}}"),
            (
                r#"{{count "followup" "family"}}"#,
                r#"{{count "followup" "family+family"}}"#,
            ),
            ("support. There were", "support. {{this}} There were"),
        ],
    );
    for expected in [
        "narrative/01-findings.yaml:9:78: error: in prose: unknown question `offerd` (did you mean `offered`?)",
        "narrative/01-findings.yaml:10:50: error: in prose: unknown question `offerd` (did you mean `offered`?)",
        "narrative/01-findings.yaml:10:83: error: in prose: this figure cannot be read: a quoted value is not closed (write each value between two double quotes, `\"yes\"`)",
        "narrative/01-findings.yaml:11:69: error: in prose: `pct` expects the question between straight double quotes: write \"offered\", not “offered”",
        "narrative/01-findings.yaml:13:49: error: in prose: question `records.a` has no option `“full”` (write it between straight double quotes alone: \"full\")",
        "narrative/01-findings.yaml:13:92: error: in prose: option `family` is named twice in `family+family`; name each option once",
        "narrative/01-findings.yaml:14:67: error: in prose: `this` is not a figure prose can name",
        "narrative/01-findings.yaml:14:87: error: in prose: this figure cannot be read: `case=` has no value (write it as `case=\"…\"`)",
        "narrative/01-findings.yaml:15:88: error: in prose: unknown cross-reference `appendix-y` (did you mean `appendix-x`?)",
        "narrative/01-findings.yaml:15:106: error: in prose: unknown cross-reference `appendix-z` (did you mean `appendix-x`?)",
        "narrative/01-findings.yaml:17:52: error: in prose: the block `{{#if …}}` is closed by `{{/unless}}`: close it with `{{/if}}`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

/// In a double-quoted YAML string a figure's quotes are written `\"`: each failing figure is
/// still found at its own place (both were put at the string's opening quote).
#[test]
fn figures_in_a_double_quoted_string_are_found_at_their_place() {
    let listed = problems_after_editing_findings(
        "escaped-quotes",
        &[(
            "      - text: 'Literal marks",
            "      - p: \"B C D E F G {{pct \\\"offered\\\" \\\"ys\\\"}} {{pct \\\"offered\\\" \\\"yy\\\"}}\"\n      - text: 'Literal marks",
        )],
    );
    for expected in [
        "narrative/01-findings.yaml:15:25: error: in prose: question `offered` has no option `ys`",
        "narrative/01-findings.yaml:15:52: error: in prose: question `offered` has no option `yy`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

/// A broken figure beside a character of more than one byte, in a paragraph with a block,
/// is an error at the figure (it stopped the build: a byte index inside `’`).
#[test]
fn a_broken_figure_beside_a_curly_quote_is_an_error_not_a_stop() {
    let listed = problems_after_editing_findings(
        "curly-boundary",
        &[(
            "      - text: 'Literal marks",
            "      - p: \"{{#if true}}Yes{{/if}} {{pct \\\"offered\\\" \\\"yes\\\" )’}} per cent.\"\n      - text: 'Literal marks",
        )],
    );
    assert!(
        listed.contains(
            "narrative/01-findings.yaml:15:36: error: in prose: this figure cannot be read"
        ),
        "{listed}"
    );
}

/// A figure a folded string breaks over two lines is found whole, at its own place; the next
/// figure, which begins the same way, at its own (the first was shown at the second).
#[test]
fn a_figure_broken_over_two_lines_is_found_at_its_place() {
    let listed = problems_after_editing_findings(
        "broken-over-lines",
        &[(
            "      - text: 'Literal marks",
            "      - p: >-\n          Multi {{pct\n          \"offered\" \"nope\"}} and {{pct \"offered\" \"nah\"}}.\n      - text: 'Literal marks",
        )],
    );
    for expected in [
        "narrative/01-findings.yaml:16:17: error: in prose: question `offered` has no option `nope`",
        "narrative/01-findings.yaml:17:34: error: in prose: question `offered` has no option `nah`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

/// In text with blocks every failing figure is listed too, one in a branch not taken
/// included (it would fail only once the data changed): only the first was.
#[test]
fn every_failing_figure_of_text_with_blocks_is_listed() {
    let listed = problems_after_editing_findings(
        "blocks-all",
        &[(
            "      - text: 'Literal marks",
            "      - p: >-\n          {{#if true}}Yes{{else}}{{pct \"offered\" \"nix\"}}{{/if}} {{pct \"offered\" \"nope\"}} and {{pct \"offered\" \"nah\"}}.\n      - text: 'Literal marks",
        )],
    );
    for option in ["nix", "nope", "nah"] {
        let expected = format!("error: in prose: question `offered` has no option `{option}`");
        assert!(
            listed.contains(&expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
}

#[test]
fn each_edition_reads_right_on_its_own() {
    let work = scratch("editions");
    let summary = build_in(&root().join("data"), &work).unwrap();
    let ids: Vec<&str> = summary
        .editions
        .iter()
        .map(|e| e.edition.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "executive-group",
            "improvement-board",
            "public",
            "lead",
            "cover",
            "slides",
            "briefing"
        ]
    );
    let executive = flat(summary.editions[0].text());
    let board = flat(summary.editions[1].text());

    assert!(executive.contains("OFFICIAL-SENSITIVE") && executive.contains("Version 1.0"));
    assert!(executive.contains("For: CESCB Executive Group, March 2014"));
    assert!(
        !executive.contains("DRAFT"),
        "a final edition has no watermark"
    );
    assert!(executive.contains("2.1.7 A case example from the sample"));

    assert!(
        board.contains("For: Children's Improvement Board")
            && board.contains("Version 1.0")
            && !board.contains("DRAFT")
    );
    assert!(board.contains("OFFICIAL") && !board.contains("OFFICIAL-SENSITIVE"));
    // the case example, the practitioner's view and the paragraphs pointing to them are out;
    // every other part keeps the full report's number, so "2.1.8" is the same paragraph in
    // every edition
    assert!(!board.contains("Child A is 14") && !board.contains("I became involved"));
    assert!(!board.contains("A case example from") && !board.contains("2.1.7"));
    assert!(board.contains("2.1.8 An electronic audit template was developed"));
    assert!(executive.contains("2.1.8 An electronic audit template was developed"));
    assert!(board.contains("2.3.1 On completion of the audit") && !board.contains("2.3.2"));
    assert!(board.contains("Appendix 3 – Audit template questions"));
    assert!(!board.contains("Appendix 1 –"));
    // the lead's copy keeps both appendices, and so the paragraphs pointing to them
    let lead = flat(summary.editions[3].text());
    assert!(lead.contains("2.1.7 A case example from the sample"));
    assert!(lead.contains("2.3.2 A case example from a frontline practitioner"));
    // the findings and figures are the same
    assert!(
        board.contains("In 97.3 per cent of child protection cases")
            && board.contains("Finding 3:")
    );
    assert!(summary.editions[1].pages() < summary.editions[0].pages());

    // The public edition withholds counts below 5 in text, charts and tables alike, and
    // with each the next-smallest, so none can be worked out from the base; it prints every
    // chart's figures as a table.
    let public = flat(summary.editions[2].text());
    // A withheld figure reads as what the shown figures allow: q2's No and Not applicable
    // are 12 of 70 between them, so each is at most 11 (15.7 per cent, said rounded up).
    assert!(public.contains(
        "that in no more than 16 per cent of the sample, the case had not been overseen"
    ));
    assert!(public.contains("(with no more than 28% of respondents saying this was not clear)"));
    // q1.e's Yes and No: one is small, but either could be; nothing narrows it.
    assert!(public.contains("In an undisclosed share of child protection cases a marker or alert"));
    assert!(
        !public.contains("(withheld)")
            && !public.contains("a withheld share")
            && !public.contains("a withheld number")
    );
    // The note comes before the first withheld figure, and says the rule and why.
    let note = public
        .find("About the figures. To protect the children")
        .unwrap();
    assert!(public[note..].contains("any count from 1 to 4"));
    // and names every phrase the text uses for a withheld figure
    assert!(
        public[note..]
            .contains("“an undisclosed number” or “an undisclosed share” where it cannot")
    );
    // (15 cases by age band, 8, 4 and 3: all three withheld, since two adding up to 7 would
    // each be 3 or 4; nothing bounds one to half the cases)
    assert!(
        note < public
            .find("an undisclosed number between 5-10 years")
            .unwrap()
    );
    assert!(public.contains("About the numbering. This edition leaves out parts"));
    assert!(!executive.contains("About the figures") && !executive.contains("About the numbering"));
    assert!(
        !public.contains("5.7%") && !public.contains("5.3%") && !public.contains("11.4%"),
        "no share of a small count, nor of the count that would give it away"
    );
    assert!(public.contains(
        "Answer Returns Per cent Yes 58 82.9% No withheld withheld Not applicable withheld withheld"
    ));
    assert!(
        executive.contains("in just less than 6 per cent of the sample")
            && !executive.contains("Answer Returns")
    );
    let q2 = fs::read_to_string(work.join("charts/fewer-than-5/q2.svg")).unwrap();
    assert!(
        q2.contains("withheld") && !q2.contains("5.7%") && !q2.contains("11.4%"),
        "{q2}"
    );
    // A withheld bar is drawn hatched as far as it could reach, never as nothing at zero;
    // one that could only be small says so (q10's handover: 1 to 4 of 75).
    let q10 = fs::read_to_string(work.join("charts/fewer-than-5/q10.svg")).unwrap();
    assert!(
        q10.matches("\nfewer than 5\n").count() == 3 && !q10.contains("withheld"),
        "{q10}"
    );
    let q2_full = fs::read_to_string(work.join("charts/q2.svg")).unwrap();
    assert!(q2.matches("<polyline").count() > q2_full.matches("<polyline").count() + 10);
    assert!(q2_full.contains("5.7% (4 of 70)"));
}

#[test]
fn a_cross_reference_to_a_part_an_edition_leaves_out_is_an_error() {
    let work = scratch("edition-reference");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    edit(
        &audit.join("editions.yaml"),
        "exclude: [case-example, practitioner-view,",
        "exclude: [case-example, practitioner-veiw,",
    );
    let listed = build_in(&audit, &work).unwrap_err().to_string();
    let expected = "editions.yaml:22:29: error: edition `improvement-board` leaves out `practitioner-veiw`, but no section, sub-section or appendix has that id\n  = note: did you mean `practitioner-view`?";
    assert!(
        listed.contains(expected),
        "missing `{expected}` in:\n{listed}"
    );

    edit(
        &audit.join("editions.yaml"),
        "practitioner-veiw",
        "practitioner-view",
    );
    // A paragraph pointing to a part an edition leaves out goes with it; a finding cannot be
    // left out, so a reference in one stays an error.
    let summary = build_in(&audit, &work).unwrap();
    assert!(!flat(summary.editions[1].text()).contains("see Case example"));
    edit(
        &audit.join("narrative/05-findings.yaml"),
        "- text: >-\n",
        "- text: >-\n    See [@case-example].\n",
    );
    let listed = build_in(&audit, &work).unwrap_err().to_string();
    let expected = "error: in prose: cross-reference `case-example` points to a part edition `improvement-board` leaves out";
    assert!(
        listed.contains(expected),
        "missing `{expected}` in:\n{listed}"
    );
}

#[test]
fn check_catches_prose_that_states_a_stale_figure() {
    let work = scratch("stale");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let narrative = audit.join("narrative/03-thematic-findings.yaml");
    edit(
        &narrative,
        r#"In {{words "q1.c" "yes"}} of cases"#,
        "In 88 per cent of cases",
    );
    let templates = audit_report::Templates::load(None).unwrap();
    let warnings = audit_report::prepare(&BuildOptions::new(&audit), &templates, &mut |_| {})
        .unwrap()
        .warnings;
    assert!(
        !warnings.to_string().contains("88 per cent"),
        "88.3% still rounds to 88: not stale"
    );

    edit(&find_return(&audit, "c: 'no'"), "c: 'no'", "c: 'yes'");
    let warnings = audit_report::prepare(&BuildOptions::new(&audit), &templates, &mut |_| {})
        .unwrap()
        .warnings
        .to_string();
    let expected = "narrative/03-thematic-findings.yaml:12:20: warning: prose states `88 per cent`, but no figure of the data is 88 per cent now";
    assert!(
        warnings.contains(expected),
        "missing `{expected}` in:\n{warnings}"
    );
}

#[test]
fn personal_data_stops_the_build_with_a_precise_message_each() {
    let work = scratch("personal-data");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    // the lead's private list, outside the audit folder
    let names = work.join("private-names.txt");
    fs::write(
        &names,
        "# children and parents of this audit\nJayden Smith\n",
    )
    .unwrap();
    edit(
        &audit.join("returns/X1/school.yaml"),
        "  followup: [none]\n",
        "  followup: [none]\ncomments:\n  offered: \"Jayden Smith missed school, DOB 03/04/2012\"\n",
    );
    edit(
        &audit.join("narrative/01-findings.yaml"),
        "There were {{fact \"episodes\"}} episodes.",
        "There were {{fact \"episodes\"}} episodes, one near CW1 2AB (NHS 943 476 5919).",
    );
    let options = BuildOptions {
        private_names: Some(names),
        ..BuildOptions::new(&audit)
    };
    let build_it = || audit_report::build(&options, &mut |_| {});
    let problems = build_it().unwrap_err();
    let listed = problems.to_string();
    for expected in [
        "returns/X1/school.yaml:8:13: error: possible personal data (name on the private list): `Ja**** *****`",
        "returns/X1/school.yaml:8:41: error: possible personal data (date of birth): `DO* **********`",
        "narrative/01-findings.yaml:14:117: error: possible personal data (UK postcode): `CW* ***`",
        "narrative/01-findings.yaml:14:130: error: possible personal data (NHS number): `94* *** ****`",
    ] {
        assert!(
            listed.contains(expected),
            "missing `{expected}` in:\n{listed}"
        );
    }
    assert_eq!(problems.error_count(), 4, "{listed}");
    // (outputs go into the audit's own folder now: nothing there, nor where the test runs)
    assert!(
        !work.join("out").exists() && !options.out.exists() && !options.charts.exists(),
        "nothing is written"
    );

    // A reviewed false positive goes on the allow list and stops being reported.
    fs::write(
        audit.join("allow.yaml"),
        "allow:\n  - text: CW1 2AB\n    reason: the council's own office\n",
    )
    .unwrap();
    let listed = build_it().unwrap_err().to_string();
    assert!(!listed.contains("UK postcode"), "{listed}");
    assert_eq!(build_it().unwrap_err().error_count(), 3);
}

/// A templates folder in `work` with the standard wording and `layout` as its report.typ.
fn templates_with_layout(work: &Path, layout: &str) -> PathBuf {
    let templates = work.join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::copy(
        root().join("report-templates/wording.yaml"),
        templates.join("wording.yaml"),
    )
    .unwrap();
    fs::write(templates.join("report.typ"), layout).unwrap();
    templates
}

#[test]
fn a_template_cannot_read_files_outside_what_the_build_hands_it() {
    let work = scratch("template-escape");
    let templates = templates_with_layout(
        &work,
        "#read(\"/etc/hostname\")\n#read(\"../Cargo.toml\")\n",
    );
    let options = BuildOptions {
        templates: Some(templates),
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(fixture("other-audit"))
    };
    let listed = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        listed.contains("templates/report.typ:1:7: error: failed to typeset the report (file not found (searched at /etc/hostname))"),
        "{listed}"
    );
}

/// Every file under `folder` (hidden ones included) with its bytes, by path inside it.
fn every_file(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(folder)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(folder).unwrap().to_path_buf();
            (path, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// A build stopped between two entries of its swap left some folders new and some old (the
/// records among the old), and the next build threw away the old ones it had swapped out:
/// the mix stayed. The set was whole and checked before the swap began: the next build
/// finishes it, whatever that build then does.
#[test]
fn a_build_stopped_while_swapping_its_set_in_is_finished_by_the_next() {
    let work = scratch("stopped-swap");
    let options = BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(fixture("other-audit"))
    };
    audit_report::build(&options, &mut |_| {}).unwrap();
    // the stopped build's set: another round's figures, made beside
    let elsewhere = scratch("stopped-swap-set");
    let audit = elsewhere.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    edit(
        &audit.join("returns/X2/police.yaml"),
        "offered: yes",
        "offered: no",
    );
    let newer = BuildOptions {
        out: elsewhere.join("out"),
        charts: elsewhere.join("charts"),
        ..BuildOptions::new(audit)
    };
    audit_report::build(&newer, &mut |_| {}).unwrap();
    let (new_out, new_charts) = (every_file(&newer.out), every_file(&newer.charts));
    assert_ne!(every_file(&options.out), new_out);
    // staged, then stopped with every chart and the edition swapped in, the records not
    let exchange = |staged: &Path, live: &Path| {
        let aside = staged.with_extension("aside");
        if live.exists() {
            fs::rename(live, &aside).unwrap();
            fs::rename(staged, live).unwrap();
            fs::rename(&aside, staged).unwrap();
        } else {
            fs::rename(staged, live).unwrap();
        }
    };
    for (from, root, swapped) in [
        (&newer.charts, &options.charts, None),
        (&newer.out, &options.out, Some("report")),
    ] {
        let staging = root.join(".staging-4242");
        fs::rename(from, &staging).unwrap();
        let mut journal = String::new();
        let mut names: Vec<String> = fs::read_dir(&staging)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            if swapped.is_none_or(|only| only == name) {
                exchange(&staging.join(&name), &root.join(&name));
                journal.push_str(&format!("{name}\n"));
            }
        }
        fs::write(staging.join(".swapping"), journal).unwrap();
    }
    assert_ne!(
        every_file(&options.out),
        new_out,
        "a mix: new edition, old records"
    );
    // the next build, though its own layout fails, finishes the stopped one's swap
    let broken = BuildOptions {
        templates: Some(templates_with_layout(&work, "#let x = (1 +\n")),
        ..options.clone()
    };
    assert!(audit_report::build(&broken, &mut |_| {}).is_err());
    assert_eq!(every_file(&options.out), new_out);
    assert_eq!(every_file(&options.charts), new_charts);
}

#[test]
fn a_build_that_fails_typesetting_leaves_the_last_set_and_nothing_else() {
    // The charts, records and figures are staged while the editions typeset: a layout that
    // fails must take all of that back with it.
    let work = scratch("typeset-fails");
    let options = BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(fixture("other-audit"))
    };
    audit_report::build(&options, &mut |_| {}).unwrap();
    let (out, charts) = (every_file(&options.out), every_file(&options.charts));
    assert!(
        out.iter().any(|(p, _)| p.ends_with("figures.csv")),
        "{out:?}"
    );
    assert!(!charts.is_empty());
    let templates = templates_with_layout(&work, "#let x = (1 +\n");
    let broken = BuildOptions {
        templates: Some(templates),
        ..options.clone()
    };
    let listed = audit_report::build(&broken, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(listed.contains("failed to typeset"), "{listed}");
    // byte for byte what the good build wrote: no staging folder, no lock, no new record
    assert_eq!(every_file(&options.out), out);
    assert_eq!(every_file(&options.charts), charts);
    let names = |folder: &Path| -> Vec<String> {
        fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    };
    for folder in [&options.out, &options.charts] {
        assert!(
            names(folder).iter().all(|n| !n.starts_with('.')),
            "{:?}",
            names(folder)
        );
    }
    // a layout that never settles (each pass reads its own last value) is refused too,
    // not printed with page numbers from an unsettled pass
    let restless = templates_with_layout(
        &work,
        "#let s = state(\"s\", 0)\n#context s.update(s.final() + 1)\n#context s.get()\n",
    );
    let emitted = work.join("to-report");
    let restless = BuildOptions {
        templates: Some(restless),
        emit_typst: Some(emitted.clone()),
        ..options.clone()
    };
    let said = audit_report::build(&restless, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        said.contains("did not settle within Typst's five passes")
            && said.contains("report it with the files --emit-typst writes"),
        "{said}"
    );
    assert_eq!(every_file(&options.out), out);
    // and those files are written, as the message asks (nothing was, so it could not be
    // reported)
    let layout = fs::read_to_string(emitted.join("report/report.typ")).unwrap();
    assert!(layout.contains("s.update(s.final() + 1)"), "{layout}");
    assert!(emitted.join("report/data.json").is_file());
}

#[test]
fn a_first_build_that_fails_typesetting_leaves_no_folder_behind() {
    // The output folders are made (and locked) as typesetting starts: a build that writes
    // nothing takes away what it made, however deep, and only that.
    let work = scratch("first-fails");
    fs::create_dir_all(work.join("kept")).unwrap();
    let options = BuildOptions {
        out: work.join("reports/march/out"),
        charts: work.join("kept/charts"),
        templates: Some(templates_with_layout(&work, "#let x = (1 +\n")),
        ..BuildOptions::new(fixture("other-audit"))
    };
    let listed = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(listed.contains("failed to typeset"), "{listed}");
    assert!(
        !work.join("reports").exists(),
        "the output folder's parents"
    );
    assert!(work.join("kept").is_dir() && !work.join("kept/charts").exists());
    // a folder that was there is not one the build made, however the path reaches it
    fs::create_dir_all(work.join("empty")).unwrap();
    let through = BuildOptions {
        out: work.join("ghost/../empty"),
        ..options.clone()
    };
    assert!(audit_report::build(&through, &mut |_| {}).is_err());
    assert!(work.join("empty").is_dir(), "an empty folder of the user's");
    // a good build after it keeps its folders
    let good = BuildOptions {
        templates: None,
        ..options
    };
    audit_report::build(&good, &mut |_| {}).unwrap();
    assert!(!every_file(&good.out).is_empty() && !every_file(&good.charts).is_empty());
}

/// Two builds with the output and charts folders the other way round: each took its
/// output folder's lock, then waited two minutes for the other's. Both finish: the first
/// writes, the second is refused (its charts would go among the first's output set,
/// unsuppressed beside what may be published), with that reason.
#[test]
fn builds_with_the_folders_the_other_way_round_both_finish() {
    let work = scratch("crossed");
    let (x, y) = (work.join("x"), work.join("y"));
    let crossed = [(x.clone(), y.clone()), (y, x)];
    let (done, finished) = std::sync::mpsc::channel();
    for (out, charts) in crossed {
        let done = done.clone();
        let options = BuildOptions {
            out,
            charts,
            ..BuildOptions::new(fixture("other-audit"))
        };
        std::thread::spawn(move || {
            let _ = done.send(audit_report::build(&options, &mut |_| {}).map(|_| ()));
        });
    }
    let mut refused = Vec::new();
    for _ in 0..2 {
        let built = finished
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("both builds within a minute");
        refused.extend(built.err().map(|e| e.to_string()));
    }
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0].contains("`records`")
            && refused[0].contains("and no `charts-folder.txt`, so no build wrote it"),
        "{refused:?}"
    );
}

#[test]
fn the_lead_edition_has_case_agency_and_comment_views_and_figures_go_to_csv() {
    let work = scratch("views");
    let options = options_in(&root().join("data"), &work, Some("lead"));
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let lead = flat(summary.editions[0].text());
    // a page per case with each agency's answers beside the case's and the audit's figures
    assert!(
        lead.contains("Case C01: answers by agency"),
        "case summaries"
    );
    assert!(lead.contains("Case C15"));
    assert!(lead.contains("1 Case summary or chronology of key events: Yes"));
    // a question with many options shows each of them, not only the first
    for option in [
        "9 Previous Child Protection Plan on file: Handover or referral from another service",
        "… Provided by child or parent",
        "… No information",
    ] {
        assert!(lead.contains(option), "{option}");
    }
    // questions 9 and 10 both have the option, on each of 15 case pages and 9 agency tables
    assert_eq!(
        lead.matches("… Provided by child or parent").count(),
        2 * (15 + 9)
    );
    // an answer too long for an agency's narrow column ("No, we do not have information to
    // contribute", hyphenated over four lines) is a row of its own, a dot under each agency
    let long = "No, we do not have information to contribute";
    let rows = lead.matches(&format!("… {long}")).count();
    assert_eq!(rows, 15 + 9);
    // (elsewhere only as the question's option on the form)
    assert_eq!(lead.matches(long).count() - rows, 1);
    assert!(
        lead.contains("88.3% (68 of 77)"),
        "the audit-wide figure beside the case's"
    );
    // returns by agency
    assert!(lead.contains("Returns requested and received, by agency"));
    assert!(lead.contains("All agencies 90 77 85.6%"));
    assert!(lead.contains("Police: answers beside the whole audit’s"));
    // every comment, by question, with its case and agency
    assert!(lead.contains("no actions required for the police that will impact on the child"));
    assert!(lead.contains("Police:"));
    let csv = fs::read_to_string(work.join("out/records/figures.csv")).unwrap();
    assert!(csv.starts_with("scope,measure,label,option,count,base,percent\n"));
    assert!(
        csv.contains("all cases,q1.c,Case summary or chronology of key events,yes,68,77,88.3\n")
    );
    assert!(csv.contains("agency Police,q2,"));
    assert!(csv.contains("case C01,q2,"));
    // The case's share and the audit's sit side by side, apart: as laid out, the columns
    // were too narrow for them and printed over each other ("100.0%(77 of 77)", "100.0%
    // 94.8% (73 of 77)" with the case's count on the next line).
    let Some(laid_out) = common::laid_out(&work.join("out/lead/lead.pdf"), "lead_case_tables")
    else {
        return;
    };
    let side_by_side = regex::Regex::new(r"100\.0% \(6 of 6\) +100\.0% \(77 of 77\)").unwrap();
    assert!(side_by_side.is_match(&laid_out), "{laid_out}");
    assert!(!laid_out.contains("PolicePrivate") && !laid_out.contains("YesNot"));
}

#[test]
fn the_analysis_prints_the_report_wording_and_the_template_the_form_wording() {
    let work = scratch("wording");
    let options = options_in(&root().join("data"), &work, Some("executive-group"));
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let text = flat(summary.editions[0].text());
    let template = text
        .rfind("Appendix 3 – Audit template questions")
        .expect("the template appendix");
    let (analysis, form) = text.split_at(template);
    for instruction in [
        "(please comment below)",
        "please state below",
        "(please comment below on the outcome)",
    ] {
        assert!(
            !analysis.contains(instruction),
            "{instruction} in the analysis"
        );
        assert!(form.contains(instruction), "{instruction} on the form");
    }
    assert!(analysis.contains("f) Yes, this was provided by another source g)"));
    assert!(analysis.contains("e) A marker or alert indicating a Child Protection Plan?"));
    // one label for one answer in every chart
    let q10 = fs::read_to_string(work.join("charts/q10.svg")).unwrap();
    assert!(q10.contains("Provided by another") && !q10.contains("From another"));
    // labels wrap without a lone last word ("…involved at the / time")
    let lone = regex::Regex::new(r">\s*time\s*</text>").unwrap();
    assert!(!lone.is_match(&q10), "{q10}");
    // a checklist chart says what its bars are
    assert!(analysis.contains("Contents of agency files: share answering “Yes” for each item"));
    // question 12's options are not listed under it, as in the reference
    assert!(!analysis.contains("a) Yes - the same issues"));
    // the template as the reference prints it: its words, no boxes after question 14, and no
    // note on the repeated question 3 outside the lead's working copy
    for printed in [
        "(name, date of birth address, parent or carer's details, etc.)",
        "○ Yes - the same issues that were not sufficiently addressed previously.",
        "○ Don't know / Not Sure",
        "Would you be able to help us make contact with this family?",
    ] {
        assert!(form.contains(printed), "{printed}");
    }
    // (no boxes between question 14 and the next appendix, wherever the page breaks)
    let after_14 = &form[form.find("make contact with this family?").unwrap()..];
    let before_next = &after_14[..after_14.find("Appendix 4").expect("the next appendix")];
    assert!(!before_next.contains(['○', '□']), "{before_next}");
    assert!(!form.contains("repeats question 2"));
    // the form's boxes are the report's own face's (□ U+25A1, ○), not a fallback face's that
    // sat below the line (☐ U+2610 came from DejaVu Sans Mono)
    assert!(form.contains("□ ") && !form.contains('☐'), "{form}");
    let pdf = fs::read(work.join("out/executive-group/executive-group.pdf")).unwrap();
    let faces = String::from_utf8_lossy(&pdf);
    assert!(
        faces.contains("+Carlito") && !faces.contains("DejaVu"),
        "a fallback face"
    );
}

#[test]
fn the_lead_s_working_copy_notes_the_repeated_question() {
    let work = scratch("working-copy");
    let options = options_in(&root().join("data"), &work, Some("lead"));
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let text = flat(summary.editions[0].text());
    assert!(text.contains(
        "Note for the audit lead: this repeats question 2, as the printed template did."
    ));
}

#[test]
fn the_sample_returns_agree_with_their_cases_and_carry_the_quotes_the_report_uses() {
    let options = BuildOptions::new(root().join("data"));
    let prepared = audit_report::prepare(
        &options,
        &audit_report::Templates::load(None).unwrap(),
        &mut |_| {},
    )
    .unwrap();
    let audit = &prepared.audit;
    let comments: Vec<(&str, &str)> = audit
        .returns
        .iter()
        .flat_map(|r| {
            r.comments
                .values()
                .map(move |c| (r.case.as_str(), c.as_str()))
        })
        .collect();
    // The auditors' words the analysis quotes (3.3.5, 3.4.3, 3.4.5, 3.6.2, 3.6.3) are
    // comments of some return, so the lead's comments annex shows where each came from.
    for quote in [
        "I would question why the initial CP plan was ended",
        "yes the same issues apparent, and from records appears",
        "there is evidence of habitual behaviour",
        "visits to the child are well recorded",
        "strength of FSW in CEFS",
        "audit of this case has identified deficits in practice",
        "there have been a number of social workers allocated to this family",
        "the child is old enough to understand if plan is explained to her",
    ] {
        assert!(
            comments.iter().any(|(_, c)| c.contains(quote)),
            "no return carries \"{quote}\""
        );
    }
    // A comment about a girl old enough to understand is not on a baby boy's case.
    let case = |id: &str| audit.cases.iter().find(|c| c.id == id).unwrap();
    for (id, comment) in &comments {
        let c = case(id);
        if comment.contains(" her ") || comment.contains("old enough") {
            assert!(
                c.gender == "female" && c.age_band != "under 5",
                "{id}: {comment}"
            );
        }
        if comment.contains("small baby") {
            assert_eq!(c.age_band, "under 5", "{id}: {comment}");
        }
    }
}

#[test]
fn no_heading_or_question_is_stranded_at_the_foot_of_a_page() {
    let work = scratch("stranded");
    let options = options_in(&root().join("data"), &work, None);
    let templates = audit_report::Templates::load(None).unwrap();
    let prepared = audit_report::prepare(&options, &templates, &mut |_| {}).unwrap();
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let footer = regex::Regex::new(r"Page \d+ of \d+|OFFICIAL(-SENSITIVE)?|DRAFT").unwrap();
    for ((edition, document), written) in prepared.documents.iter().zip(&summary.editions) {
        if edition.kind != audit_report::edition::Kind::Report {
            continue;
        }
        let mut headings: Vec<String> = Vec::new();
        for section in &document.sections {
            headings.push(section.heading.clone());
            for block in &section.blocks {
                let value = serde_json::to_value(block).unwrap();
                let kind = value["kind"].as_str().unwrap_or("");
                if matches!(kind, "subheading" | "page-heading" | "question") {
                    headings.push(value["text"].as_str().unwrap().to_string());
                }
                // a paragraph all in bold heads what follows (a question over its comments)
                let runs = value["runs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                if kind == "paragraph" && runs.len() == 1 && runs[0]["kind"] == "strong" {
                    headings.push(runs[0]["text"].as_str().unwrap().to_string());
                }
            }
        }
        // Page 2 is the contents, which lists the headings.
        let pages: Vec<String> = written.text().split('\u{c}').map(flat).collect();
        let mut checked = 0;
        for heading in headings {
            let heading = flat(&heading);
            // (every page it is on: the comments appendix repeats the template's questions)
            for (p, page) in pages.iter().enumerate().skip(2) {
                let Some(at) = page.rfind(&heading) else {
                    continue;
                };
                let after = footer.replace_all(&page[at + heading.len()..], "");
                checked += 1;
                assert!(
                    !after.trim().is_empty(),
                    "{}: \"{heading}\" ends page {}",
                    edition.id,
                    p + 1
                );
            }
        }
        assert!(
            checked >= 25,
            "{}: only {checked} headings found",
            edition.id
        );
    }
}

/// Every page of every report edition is at least two-thirds full: no blank band over a
/// third of its text area (report.typ's margins: 2.9 cm top, 2.7 cm bottom), but on the cover,
/// the contents, the last page and a page before one that must start a page (a section, an
/// appendix, a case). A question whose chart would not fit ends the page with its options,
/// the chart overleaf, rather than leave a third of the page blank (issue 29: Public p8).
#[test]
fn no_page_is_left_a_third_blank_but_before_a_new_section() {
    /// A word's top and bottom on its page (points from the top), and the word.
    type Word = (f64, f64, String);
    let work = scratch("page-fill");
    let summary = build_in(&root().join("data"), &work).unwrap();
    if !common::have("pdftotext") {
        common::skipped("page fill", "pdftotext (poppler-utils) is not installed");
        return;
    }
    let page = regex::Regex::new(r#"<page width="[\d.]+" height="([\d.]+)">"#).unwrap();
    let word = regex::Regex::new(
        r#"<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>"#,
    )
    .unwrap();
    let starts_a_page = regex::Regex::new(r"^(Section \d+|Appendix \d+|Case )").unwrap();
    let cm = 72.0 / 2.54;
    let mut looked = 0;
    for edition in summary
        .editions
        .iter()
        .filter(|e| !common::PAPERS.contains(&e.edition.as_str()))
    {
        let pdf = &edition
            .file(audit_report::edition::Format::Pdf)
            .unwrap()
            .path;
        let out = std::process::Command::new("pdftotext")
            .args(["-bbox"])
            .arg(pdf)
            .arg("-")
            .output()
            .unwrap();
        let html = String::from_utf8_lossy(&out.stdout);
        // each page's height and words inside its text area in reading order
        let pages: Vec<(f64, Vec<Word>)> = html
            .split("</page>")
            .filter_map(|part| {
                let height: f64 = page.captures(part)?[1].parse().ok()?;
                let (top, bottom) = (2.9 * cm, height - 2.7 * cm);
                let words: Vec<Word> = word
                    .captures_iter(part)
                    .map(|c| {
                        (
                            c[1].parse().unwrap(),
                            c[2].parse().unwrap(),
                            c[3].to_string(),
                        )
                    })
                    .filter(|(y0, y1, _)| *y0 >= top && *y1 <= bottom)
                    .collect();
                Some((height, words))
            })
            .collect();
        for (p, (height, words)) in pages.iter().enumerate().skip(2) {
            let Some(next) = pages.get(p + 1) else { break };
            let (top, bottom) = (2.9 * cm, height - 2.7 * cm);
            let mut lines: Vec<(f64, f64)> = words.iter().map(|w| (w.0, w.1)).collect();
            lines.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (mut below, mut blank) = (top, 0.0f64);
            for (y0, y1) in lines {
                blank = blank.max(y0 - below);
                below = below.max(y1);
            }
            blank = blank.max(bottom - below);
            let opening: Vec<&str> = next.1.iter().take(2).map(|w| w.2.as_str()).collect();
            looked += 1;
            if starts_a_page.is_match(&opening.join(" ")) {
                continue;
            }
            assert!(
                blank <= (bottom - top) / 3.0,
                "{}: page {} is {:.0}% blank (the next opens \"{}\")",
                edition.edition,
                p + 1,
                100.0 * blank / (bottom - top),
                opening.join(" ")
            );
        }
    }
    assert!(looked > 100, "{looked} pages looked at");
}

#[test]
fn no_caption_ends_on_a_word_alone() {
    let work = scratch("captions");
    let options = options_in(&root().join("data"), &work, None);
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let caption = regex::Regex::new(r"^(Figure|Table)\s\d+:").unwrap();
    // (the papers beside the report caption no chart or table: tests/integration/pack.rs)
    for edition in summary
        .editions
        .iter()
        .filter(|e| !crate::common::PAPERS.contains(&e.edition.as_str()))
    {
        let lines: Vec<&str> = edition.text().lines().collect();
        let mut captions = 0;
        for (i, line) in lines.iter().enumerate() {
            if !caption.is_match(line) {
                continue;
            }
            captions += 1;
            // Typst gives each line of a caption as a run of its own.
            let next = lines.get(i + 1).copied().unwrap_or("");
            let lone = next.split_whitespace().count() == 1 && next.trim_end().ends_with(')');
            assert!(
                !lone,
                "{}: caption \"{line}\" ends with \"{next}\" alone",
                edition.edition
            );
        }
        assert!(captions >= 10, "{}: {captions} captions", edition.edition);
    }
}
