//! The collection workbooks as they go out to agencies (`template --per-agency`) and as they
//! come back.

use crate::common::{copy_audit, edit, fixture, root, scratch};
use calamine::Reader;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .output()
        .expect("the binary runs")
}

/// The cases of `cases.yaml` in `audit`, and for each the agencies asked for a return, read
/// here from the file itself rather than through the library.
fn requested(audit: &Path) -> Vec<(String, Vec<String>)> {
    let cases: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(audit.join("cases.yaml")).unwrap()).unwrap();
    cases["cases"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|case| {
            let agencies = case["requested"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_string())
                .collect();
            (case["id"].as_str().unwrap().to_string(), agencies)
        })
        .collect()
}

#[test]
fn an_agency_s_workbook_offers_only_the_cases_it_was_asked_about() {
    let work = scratch("collection-own-cases");
    let folder = work.join("collection");
    let output = run(&[
        "template",
        "data",
        "--per-agency",
        "--out",
        folder.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let cases = requested(&root().join("data"));
    let own: Vec<String> = cases
        .iter()
        .filter(|(_, agencies)| agencies.iter().any(|a| a == "Private nurseries"))
        .map(|(id, _)| id.clone())
        .collect();
    // (the sample asks private nurseries about some cases, not all: a list of every case
    // would not pass for theirs)
    assert!(!own.is_empty() && own.len() < cases.len(), "{own:?}");
    let path = folder.join("private-nurseries.xlsx");
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    // the Case drop-down's list, on the hidden Options sheet
    let options = book.worksheet_range("Options").unwrap();
    let listed: Vec<String> = options
        .rows()
        .map(|r| r[0].to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        listed, own,
        "the Case drop-down lists the agency's own cases"
    );
    // the rows filled in name the same cases
    let returns = book.worksheet_range("Returns").unwrap();
    let rows: Vec<String> = returns.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(rows, own);
    // and the drop-down's rule reads the list to its end, not past it
    let mut zip = zip::ZipArchive::new(fs::File::open(&path).unwrap()).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains(&format!("Options!$A$1:$A${}", own.len())),
        "{sheet}"
    );
}

#[test]
fn two_agencies_whose_names_make_one_file_name_are_refused_before_anything_is_written() {
    let work = scratch("collection-same-name");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    // "Police" and "Police!" both make `police.xlsx`
    edit(
        &audit.join("audit.yaml"),
        "agencies: [Police, School, Health]",
        "agencies: [Police, School, Health, \"Police!\"]",
    );
    edit(
        &audit.join("cases.yaml"),
        "requested: [Police, School]}",
        "requested: [Police, School, \"Police!\"]}",
    );
    let folder = work.join("collection");
    let output = run(&[
        "template",
        audit.to_str().unwrap(),
        "--per-agency",
        "--out",
        folder.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "error: agencies `Police` and `Police!` would both have their workbook written to `police.xlsx`; one would overwrite the other"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("audit.yaml:10:"),
        "at the second agency: {stderr}"
    );
    assert!(
        stderr.contains("rename one of the two agencies in audit.yaml"),
        "{stderr}"
    );
    // no workbook at all, not even the other agencies'
    let written: Vec<_> = fs::read_dir(&folder)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{written:?}");
}

#[test]
fn a_workbook_still_open_in_excel_is_a_warning_at_the_workbook() {
    let work = scratch("collection-open");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    // the school's returns come back as its workbook, not as YAML
    fs::remove_file(audit.join("returns/X1/school.yaml")).unwrap();
    let prepared = audit_report::prepare(
        &audit_report::BuildOptions::new(&audit),
        &audit_report::Templates::load(None).unwrap(),
        &mut |_| {},
    )
    .unwrap_or_else(|p| panic!("{p}"));
    let books = audit_report::output::collection::per_agency(&prepared.audit).unwrap();
    let (_, school) = books.iter().find(|(agency, _)| agency == "School").unwrap();
    let workbook = audit.join("returns/school.xlsx");
    fs::write(&workbook, school).unwrap();
    let problems = || {
        let (Ok((_, problems)) | Err(problems)) = audit_report::input::load(&audit);
        problems
            .0
            .into_iter()
            .filter(|d| d.message.contains("Excel"))
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(problems(), Vec::<String>::new(), "closed: nothing to say");
    // Excel keeps `~$school.xlsx` beside it while it is open (a few bytes: who has it)
    fs::write(audit.join("returns/~$school.xlsx"), b"\x0bA N Auditor").unwrap();
    // a lock file whose workbook is gone says nothing either
    fs::write(audit.join("returns/~$renamed.xlsx"), b"\x0bA N Auditor").unwrap();
    assert_eq!(
        problems(),
        [format!(
            "{}: warning: `school.xlsx` is open in Excel or LibreOffice (its lock file `~$school.xlsx` is beside it); what is read is the copy last saved, which may not hold the last answers typed\n  = note: close it, saving it first, and run again\n  = note: if it is not open anywhere, the program left `~$school.xlsx` behind when it stopped: delete `~$school.xlsx`",
            workbook.display()
        )]
    );
    // LibreOffice's lock file says the same
    fs::remove_file(audit.join("returns/~$school.xlsx")).unwrap();
    fs::write(audit.join("returns/.~lock.school.xlsx#"), b"A N Auditor").unwrap();
    let said = problems();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].contains("(its lock file `.~lock.school.xlsx#` is beside it)"),
        "{said:?}"
    );
}
