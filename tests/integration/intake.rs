//! Returns from the field: the sample's returns as CSV and as XLSX build to the same figures
//! as from YAML, and broken spreadsheets each get their exact message.

use crate::common::{copy_audit, root, scratch};
use audit_report::{BuildOptions, Templates, prepare};
use serde_yaml::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// The sample audit, checked and collated.
pub(crate) fn prepared_sample() -> audit_report::Prepared {
    let templates = Templates::load(None).unwrap();
    prepare(
        &BuildOptions::new(root().join("data")),
        &templates,
        &mut |_| {},
    )
    .unwrap()
}

/// Every sample return as a spreadsheet row under the template's headers, answers written
/// as their wordings, the way an e-survey tool exports them.
pub(crate) fn sample_rows() -> (Vec<String>, Vec<Vec<String>>) {
    let prepared = prepared_sample();
    let bank = &prepared.audit.bank;
    let headers: Vec<String> = audit_report::output::collection::headers(bank)
        .into_iter()
        .map(|(h, _)| h)
        .collect();
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(root().join("data/returns"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let mut rows = Vec::new();
    for path in paths {
        let raw: Value = serde_yaml::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        let text = |v: &Value| v.as_str().unwrap_or("").to_string();
        let mut row = vec![text(&raw["case"]), text(&raw["agency"])];
        for q in &bank.questions {
            let answer = &raw["answers"][q.id.as_str()];
            let wording = |id: &Value| {
                q.options
                    .iter()
                    .find(|o| o.id == text(id))
                    .map(|o| o.text.clone())
                    .unwrap_or_default()
            };
            match q.kind {
                audit_report::input::model::QuestionKind::Checklist => {
                    for item in &q.items {
                        row.push(wording(&answer[item.id.as_str()]));
                    }
                }
                audit_report::input::model::QuestionKind::Text => {}
                _ => row.push(wording(answer)),
            }
            if q.comments {
                row.push(text(&raw["comments"][q.id.as_str()]));
            }
        }
        rows.push(row);
    }
    (headers, rows)
}

fn figures(audit: &Path, work: &Path) -> serde_json::Value {
    let options = BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        edition: Some("executive-group".into()),
        ..BuildOptions::new(audit)
    };
    let summary = audit_report::build(&options, &mut |_| {}).unwrap();
    let record = fs::read(work.join("out/records/executive-group.record.json")).unwrap();
    let record: serde_json::Value = serde_json::from_slice(&record).unwrap();
    assert!(summary.editions[0].pages() > 20);
    serde_json::json!({ "figures": record["figures"], "by_case": record["by_case"], "totals": record["totals"] })
}

fn write_csv(path: &Path, headers: &[String], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(headers).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

fn write_xlsx(path: &Path, headers: &[String], rows: &[Vec<String>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Returns").unwrap();
    for (c, header) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, header).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, cell).unwrap();
            }
        }
    }
    book.save(path).unwrap();
}

#[test]
fn the_sample_as_csv_and_as_xlsx_gives_the_same_figures_as_yaml() {
    let work = scratch("intake-same");
    let from_yaml = figures(&root().join("data"), &work.join("yaml"));
    let (headers, rows) = sample_rows();
    assert_eq!(rows.len(), 77);

    let csv_audit = {
        let audit = work.join("csv/audit");
        copy_audit(&root().join("data"), &audit, false);
        audit
    };
    write_csv(&csv_audit.join("returns/returns.csv"), &headers, &rows);
    assert_eq!(figures(&csv_audit, &work.join("csv")), from_yaml, "CSV");

    let xlsx_audit = {
        let audit = work.join("xlsx/audit");
        copy_audit(&root().join("data"), &audit, false);
        audit
    };
    write_xlsx(&xlsx_audit.join("returns/returns.xlsx"), &headers, &rows);
    assert_eq!(figures(&xlsx_audit, &work.join("xlsx")), from_yaml, "XLSX");
}

#[test]
fn the_template_reads_back_as_returns() {
    let prepared = prepared_sample();
    let cases: Vec<String> = prepared.audit.cases.iter().map(|c| c.id.clone()).collect();
    let bytes = audit_report::output::collection::template(
        &prepared.audit.bank,
        &cases,
        &prepared.audit.info.agencies,
        &[],
    )
    .unwrap();
    let work = scratch("intake-template");
    let path = work.join("template.xlsx");
    fs::write(&path, &bytes).unwrap();
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    // it opens on the entry sheet; the lists are hidden at the end
    assert_eq!(book.sheet_names(), ["Returns", "Instructions", "Options"]);
    let returns = book.worksheet_range("Returns").unwrap();
    let headers: Vec<String> = returns
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        headers[..3],
        [
            "Case",
            "Agency",
            "q1.a: Does your agency's file for this child contain? - Up-to-date basic information for the child (name, date of birth address, parent or carer's details, etc.)"
        ]
    );
    assert!(headers.contains(&"q2 comments".to_string()));
    let options = book.worksheet_range("Options").unwrap();
    let column: Vec<String> = options
        .rows()
        .map(|r| r[1].to_string())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        column, prepared.audit.info.agencies,
        "the Agency drop-down lists the agencies"
    );
    // a drop-down on every single-choice and checklist column, a prompt on every column
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    let columns = audit_report::output::collection::headers(&prepared.audit.bank);
    let answer_columns = columns.iter().filter(|(_, o)| !o.is_empty()).count();
    assert_eq!(
        sheet.matches("<dataValidation type=\"list\"").count(),
        answer_columns + 2,
        "answers, case and agency"
    );
    assert_eq!(
        sheet.matches("promptTitle=").count(),
        columns.len(),
        "a prompt per column"
    );
    assert!(
        sheet.contains("promptTitle=\"q2\""),
        "prompts name their question"
    );
    // headings locked: the sheet is protected, its entry columns unlocked
    assert!(sheet.contains("<sheetProtection"));
    // instructions written from the question bank
    let instructions = book.worksheet_range("Instructions").unwrap();
    let text: Vec<String> = instructions
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text.iter().any(|t| t.contains("one row for each case")));
    assert!(
        text.iter()
            .any(|t| t.starts_with("one of: Yes; No; Not applicable")),
        "{text:?}"
    );
}

#[test]
fn an_agency_s_workbook_names_its_cases_and_reads_back_with_only_answers_to_add() {
    let prepared = prepared_sample();
    let audit_info = &prepared.audit;
    let work = scratch("intake-per-agency");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, false);
    let requested: usize = audit_info.cases.iter().map(|c| c.requested.len()).sum();
    for (agency, bytes) in audit_report::output::collection::per_agency(audit_info).unwrap() {
        let name: String = agency.chars().filter(|c| c.is_alphanumeric()).collect();
        fs::write(audit.join(format!("returns/{name}.xlsx")), bytes).unwrap();
    }
    // read back untouched: the rows sent out hold no answer, so none is a return (each is
    // outstanding, and said so), and nothing is wrong
    let (folder, problems) = audit_report::input::load(&audit).unwrap_or_else(|p| panic!("{p}"));
    assert!(!problems.has_errors(), "{problems}");
    assert_eq!(folder.returns.len(), 0);
    let said: usize = problems
        .0
        .iter()
        .filter(|p| {
            p.message
                .contains("hold no answer and no comment: not read as returns")
        })
        .map(|p| p.message.split(", ").count())
        .sum();
    assert_eq!(said, requested, "{problems}");
    // one answer typed into C01's row of one workbook: one return, for C01, from that agency
    let (agency, bytes) = audit_report::output::collection::per_agency(audit_info)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    let name: String = agency.chars().filter(|c| c.is_alphanumeric()).collect();
    let bytes = crate::common::edit_part(&bytes, "xl/worksheets/sheet1.xml", |sheet| {
        let mut sheet = String::from_utf8(sheet).unwrap();
        let row = sheet.find("<row r=\"2\"").unwrap();
        let end = row + sheet[row..].find("</row>").unwrap();
        sheet.insert_str(end, r#"<c r="E2" t="inlineStr"><is><t>Yes</t></is></c>"#);
        sheet.into_bytes()
    });
    fs::write(audit.join(format!("returns/{name}.xlsx")), bytes).unwrap();
    let (folder, problems) = audit_report::input::load(&audit).unwrap_or_else(|p| panic!("{p}"));
    assert!(!problems.has_errors(), "{problems}");
    let made: Vec<(&str, &str)> = folder
        .returns
        .iter()
        .map(|r| (r.value.case.as_str(), r.value.agency.as_str()))
        .collect();
    assert_eq!(made, [("C01", agency.as_str())]);
}

#[test]
fn broken_spreadsheets_each_get_their_exact_message_all_at_once() {
    let work = scratch("intake-broken");
    let audit = work.join("audit");
    copy_audit(&root().join("tests/fixtures/other-audit"), &audit, false);
    let returns = audit.join("returns");
    // a misspelt option, a case not in the sample, a duplicate return, a number for an option
    fs::write(
        returns.join("a.csv"),
        "Case,Agency,\"Was a return home interview offered within 72 hours? (// not a comment, #not code, $not maths$)\",q1.a\n\
         X1,Police,Yse,\n\
         X9,School,Yes,\n\
         X1,Police,No,\n\
         X2,Police,3,\n",
    )
    .unwrap_or_default();
    // an extra column
    fs::write(
        returns.join("b.csv"),
        "Case,Agency,offered,Timestamp\nX2,School,yes,2025-01-01\n",
    )
    .unwrap();
    fs::write(
        returns.join("c.csv"),
        b"Case,Agency,offered\nX2,Caf\xe9,yes\n",
    )
    .unwrap();
    fs::write(returns.join("d.csv"), "").unwrap();
    // a date where an answer belongs
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Case").unwrap();
    sheet.write_string(0, 1, "Agency").unwrap();
    sheet.write_string(0, 2, "offered").unwrap();
    sheet.write_string(1, 0, "X2").unwrap();
    sheet.write_string(1, 1, "School").unwrap();
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 31).unwrap();
    sheet
        .write_datetime_with_format(
            1,
            2,
            &date,
            &rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy"),
        )
        .unwrap();
    book.save(returns.join("e.xlsx")).unwrap();
    // times where answers belong: each listed
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, heading) in ["Case", "Agency", "offered"].iter().enumerate() {
        sheet.write_string(0, column as u16, *heading).unwrap();
    }
    let time = rust_xlsxwriter::ExcelDateTime::from_hms(10, 30, 0).unwrap();
    for row in [1, 2] {
        sheet.write_string(row, 0, "X1").unwrap();
        sheet.write_string(row, 1, format!("Agency {row}")).unwrap();
        sheet
            .write_datetime_with_format(
                row,
                2,
                &time,
                &rust_xlsxwriter::Format::new().set_num_format("hh:mm"),
            )
            .unwrap();
    }
    book.save(returns.join("f.xlsx")).unwrap();
    // returns on a second sheet, which would not be read
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["Returns", "More"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (column, heading) in ["Case", "Agency", "offered"].iter().enumerate() {
            sheet.write_string(0, column as u16, *heading).unwrap();
        }
        if name == "More" {
            for (column, text) in ["X1", "Health", "yes"].iter().enumerate() {
                sheet.write_string(1, column as u16, *text).unwrap();
            }
        }
    }
    book.save(returns.join("g.xlsx")).unwrap();
    // an answer in a column without a heading; a quote not doubled inside a quoted cell
    fs::write(
        returns.join("h.csv"),
        "Case,Agency,,offered\nX2,Health,no,yes\n",
    )
    .unwrap();
    fs::write(
        returns.join("i.csv"),
        "Case,Agency,offered comments\nX2,Carer,\"he said \"hi\" ok\"\n",
    )
    .unwrap();

    let options = BuildOptions {
        out: work.join("out"),
        charts: work.join("charts"),
        ..BuildOptions::new(&audit)
    };
    let problems = audit_report::build(&options, &mut |_| {}).unwrap_err();
    let listed = problems.to_string();
    // (each small file lacks the fixture's other answer columns: said once per file)
    let absent = "error: no column for `records.a`, `records.b`, `followup`: every return in this file would count as not answering them";
    let expected = [
        "returns/a.csv, row 1: note: not read, as no question's heading: column 4 (\"q1.a\")",
        &format!("returns/a.csv, row 1: {absent}"),
        "returns/a.csv, row 2, column \"Was a return home interview offered wit…\": error: `Yse` is not an option of question `offered`; expected one of `yes`, `late` (\"Yes, but late\"), `no`\n  = note: did you mean `yes`?",
        "returns/a.csv, row 3, column \"Case\": error: case `X9` is not in cases.yaml",
        "returns/a.csv, row 4, column \"Agency\": error: second return from `Police` for case `X1`; the first is at",
        "returns/a.csv, row 5, column \"Was a return home interview offered wit…\": error: `3` is not an option of question `offered`",
        "returns/b.csv, row 1: note: not read, as no question's heading: column 4 (\"Timestamp\")",
        &format!("returns/b.csv, row 1: {absent}"),
        "returns/c.csv:2:7: error: expected UTF-8 text, found the byte 0xE9, which is not (the file is in another encoding, Latin-1 or Windows-1252 perhaps)\n  = note: save it as UTF-8 (in Excel: \"CSV UTF-8\")",
        "returns/d.csv: error: file is empty",
        &format!("returns/e.xlsx, sheet Sheet1, row 1: {absent}"),
        // Excel's date of a typed "2025-01-31" is read as that text
        "returns/e.xlsx, sheet Sheet1, cell C2: error: `2025-01-31` is not an option of question `offered`",
        "returns/e.xlsx, sheet Sheet1, cell B2: error: second return from `School` for case `X2`",
        "returns/f.xlsx, sheet Sheet1, cell C2: error: expected text or a number, found a time",
        "returns/f.xlsx, sheet Sheet1, cell C3: error: expected text or a number, found a time",
        "returns/g.xlsx, sheet More: error: sheet `More` holds returns too (its first row has the headings of a returns sheet), but only sheet `Returns` is read",
        &format!("returns/g.xlsx, sheet Returns, row 1: {absent}"),
        &format!("returns/h.csv, row 1: {absent}"),
        "returns/h.csv, row 2, column \"Agency\": error: `Health` made a return for case `X2` but was not asked for one",
        "returns/h.csv, row 2, column 3: error: expected nothing in column 3, which has no heading, found `no`",
        "returns/i.csv, row 2, column 3: error: a quote inside this quoted cell is not doubled",
    ];
    for e in expected {
        assert!(listed.contains(e), "missing `{e}` in:\n{listed}");
    }
    let errors = expected.iter().filter(|e| e.contains("error:")).count();
    assert_eq!(problems.error_count(), errors, "{listed}");

    // columns.yaml says what a heading is: `q1.a` read as records.a, Timestamp passed over
    // without a word
    fs::write(
        audit.join("columns.yaml"),
        "columns:\n  Timestamp: ignore\n  q1.a: records.a\n",
    )
    .unwrap();
    let listed = audit_report::build(&options, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        !listed.contains("not read, as no question's heading"),
        "{listed}"
    );
    assert!(
        listed.contains("returns/a.csv, row 1: error: no column for `records.b`, `followup`"),
        "{listed}"
    );
}
