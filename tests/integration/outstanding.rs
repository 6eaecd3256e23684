//! Returns asked for and not come back: named case by case by `check` and `build`, and listed
//! in the lead's edition (never in a published one).

use crate::common::{copy_audit, edit, fixture, options_in, root, scratch};
use audit_report::diag::Severity;
use audit_report::{BuildOptions, Templates, prepare};
use std::fs;
use std::path::Path;
use std::process::Command;

/// The typeset text with line breaks and runs of spaces folded, so phrases that wrap still match.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn prepared(audit: &Path, edition: Option<&str>) -> audit_report::Prepared {
    let options = BuildOptions {
        edition: edition.map(str::to_string),
        ..BuildOptions::new(audit)
    };
    prepare(&options, &Templates::load(None).unwrap(), &mut |_| {})
        .unwrap_or_else(|p| panic!("{p}"))
}

/// The small fixture audit copied to `work/audit` (X1 asks Police, School and Health; X2
/// Police and School; only X2's School return is missing).
fn other_audit(work: &Path) -> std::path::PathBuf {
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    audit
}

#[test]
fn check_and_build_name_every_outstanding_return_in_one_note_at_cases_yaml() {
    let work = scratch("outstanding-note");
    let audit = other_audit(&work);
    fs::remove_file(audit.join("returns/X1/health.yaml")).unwrap();
    let notes: Vec<String> = prepared(&audit, None)
        .warnings
        .0
        .iter()
        .filter(|d| d.message.contains("outstanding"))
        .map(|d| {
            assert_eq!(d.severity, Severity::Note, "{d}");
            d.to_string()
        })
        .collect();
    assert_eq!(
        notes,
        [format!(
            "{}: note: 2 of 5 requested returns are outstanding: X1 Health, X2 School\n  = note: the response rate counts them as not returned; put each return in returns/ as it comes back, or take the agency off the case's `requested` list if it was not asked after all",
            audit.join("cases.yaml").display()
        )]
    );
    // `check` prints it, and keeps the response rate as it was; a note is not a warning
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(
        stderr.contains("note: 2 of 5 requested returns are outstanding: X1 Health, X2 School"),
        "{stderr}"
    );
    assert!(
        stdout.contains("3 of 5 requested returns (60.0%), 0 warning(s)"),
        "{stdout}"
    );
    assert!(output.status.success(), "{stdout}{stderr}");
}

#[test]
fn the_lead_s_edition_lists_the_outstanding_returns_and_the_public_one_does_not() {
    let work = scratch("outstanding-lead");
    let options = BuildOptions {
        format: Some(audit_report::render::Format::Pdf),
        ..options_in(&root().join("data"), &work, Some("lead"))
    };
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let lead = flat(summary.editions[0].text());
    // the sample's 13 of 90, a row each, in cases.yaml's order
    assert!(
        lead.contains(
            "Outstanding returns Case Agency C02 Health C02 Voluntary Sector C07 Private nurseries C09 Health C09 Schools C10 Police C10 Schools C11 Police C11 Voluntary Sector C13 Police C13 Youth Offending Service C14 Police C14 Schools"
        ),
        "{}",
        lead[lead.rfind("Figures by agency").unwrap_or(0)..]
            .chars()
            .take(2000)
            .collect::<String>()
    );
    assert!(
        summary.warnings.0.iter().any(|d| d.message.starts_with(
            "13 of 90 requested returns are outstanding: C02 Health, C02 Voluntary Sector, C07 Private nurseries,"
        )),
        "{}",
        summary.warnings
    );
    // each case's page names whom it waits for, and has its comments under its table, by
    // question, then agency; a case with all its returns says nothing of the kind
    let c13 = &lead[lead.find("Case C13 emotional abuse").expect("C13's page")..];
    let c13 = &c13[..c13.find("Case C14").unwrap()];
    assert!(
        c13.starts_with("Case C13 emotional abuse · over 10 · female · 16 months between plans · 4 of 6 requested returns No return yet from Police, Youth Offending Service. Table"),
        "{c13}"
    );
    let comments = &c13[c13.find("Comments on this case").expect("C13's comments")..];
    for (earlier, later) in [
        (
            "1) Schools: Chronology is several months out of date",
            "5) Children's Social Care: the plan is very vague",
        ),
        (
            "5) Children's Social Care: the plan is very vague",
            "13) Catch 22: The recording is very clear",
        ),
        (
            "13) Catch 22: The recording is very clear",
            "13) Health: voice of the child",
        ),
    ] {
        let (a, b) = (comments.find(earlier), comments.find(later));
        assert!(
            a.is_some() && b.is_some() && a < b,
            "{earlier} before {later}: {comments}"
        );
    }
    let c01 = &lead[lead.find("Case C01 ").expect("C01's page")..];
    let c01 = &c01[..c01.find("Table").unwrap()];
    assert!(!c01.contains("No return yet"), "{c01}");
    // the published edition shows no single return, and so none of these
    let public = prepared(&root().join("data"), Some("public"));
    let document = serde_json::to_string(&public.documents[0].1).unwrap();
    assert!(!document.contains("Outstanding returns"));
    assert!(
        !document.contains("C07"),
        "no case id in the public edition"
    );
}

#[test]
fn with_every_return_in_the_lead_is_told_so_in_a_sentence() {
    let work = scratch("outstanding-none");
    let audit = other_audit(&work);
    // X2's School return comes in; the lead's figures by agency are in an appendix
    let school = audit.join("returns/X2/school.yaml");
    fs::copy(audit.join("returns/X2/police.yaml"), &school).unwrap();
    edit(&school, "agency: Police", "agency: School");
    let appendix = audit.join("narrative/02-appendix.yaml");
    let mut text = fs::read_to_string(&appendix).unwrap();
    text.push_str(
        "  - id: agency-figures\n    title: Figures by agency\n    generated: agencies\n",
    );
    fs::write(&appendix, text).unwrap();
    let options = BuildOptions {
        format: Some(audit_report::render::Format::Pdf),
        ..options_in(&audit, &work, None)
    };
    let summary = audit_report::build(&options, &mut |_| {}).unwrap_or_else(|p| panic!("{p}"));
    let text = flat(summary.editions[0].text());
    assert!(
        text.contains("All 5 requested returns have come back: none is outstanding."),
        "{text}"
    );
    assert!(!text.contains("Outstanding returns"), "no empty table");
    assert!(
        !summary
            .warnings
            .0
            .iter()
            .any(|d| d.message.contains("outstanding")),
        "{}",
        summary.warnings
    );
}
