//! Returns as agencies really send them (#25): workbooks filled in, re-saved, filtered and
//! typed into by hand, CSV files in another separator or encoding. Each gives the figures of
//! the same returns in YAML, or a refusal that names the file, the sheet and cell (or row and
//! column) and what to do; never a figure changed unseen.

use crate::common::{copy_audit, edit, fixture, root, scratch};
use crate::intake::{prepared_sample, sample_rows};
use audit_report::{BuildOptions, Templates, prepare};
use std::fs;
use std::path::Path;
use std::process::Command;

/// `out/records/figures.csv` as the audit in `audit` collates it: every figure, for all
/// cases, each case and each agency (the file a build writes, without typesetting).
fn figures_csv(audit: &Path) -> String {
    let templates = Templates::load(None).unwrap();
    let prepared = prepare(&BuildOptions::new(audit), &templates, &mut |_| {})
        .unwrap_or_else(|problems| panic!("{problems}"));
    let labels = audit_report::output::figures::measure_labels(&prepared.audit);
    String::from_utf8(audit_report::output::figures::figures_csv(
        &prepared.stats,
        &labels,
        None,
    ))
    .unwrap()
}

/// A copy of the sample audit without its YAML returns, under `work`.
fn sample_without_returns(work: &Path) -> std::path::PathBuf {
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, false);
    audit
}

/// The workbook `bytes` with its part `name`, as text, rewritten by `edit`.
fn edit_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    crate::common::edit_part(bytes, name, |content| {
        edit(std::str::from_utf8(&content).unwrap()).into_bytes()
    })
}

/// Text as an XML cell of a sheet, written in line as a program filling a workbook may.
fn inline_cell(reference: &str, text: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<c r="{reference}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>"#)
}

/// Spreadsheet column letters of a 0-based index.
fn letters(index: usize) -> String {
    audit_report::diag::column_letters(index + 1)
}

/// `sheet1.xml` with `cells` (row, 0-based column, text) added to rows that already exist
/// (each row's new cells after its own, as they are to the right of Case and Agency).
fn fill_rows(sheet: &str, cells: &[(usize, usize, String)]) -> String {
    let mut sheet = sheet.to_string();
    let rows: std::collections::BTreeSet<usize> = cells.iter().map(|(r, _, _)| *r).collect();
    for row in rows {
        let open = format!("<row r=\"{row}\"");
        let start = sheet.find(&open).unwrap_or_else(|| panic!("no row {row}"));
        let end = start + sheet[start..].find("</row>").unwrap();
        let added: String = cells
            .iter()
            .filter(|(r, _, _)| *r == row)
            .map(|(r, c, text)| inline_cell(&format!("{}{r}", letters(*c)), text))
            .collect();
        sheet.insert_str(end, &added);
    }
    sheet
}

/// Every answer of `cells` (a sample row in the template's columns) as a hurried
/// practitioner might type it: lowercase, or with a space after, or as chosen.
fn hurried(cells: &[String], row: usize) -> Vec<String> {
    cells
        .iter()
        .enumerate()
        .map(|(c, text)| match (row + c) % 3 {
            _ if c < 2 || text.is_empty() => text.clone(),
            0 => text.to_lowercase(),
            1 => format!("{text} "),
            _ => text.clone(),
        })
        .collect()
}

/// The workbooks `template --per-agency` writes for the sample, filled in from its YAML
/// returns (answers typed in three ways), each return in the row its case was sent in; the
/// rows of returns never made left as sent. They collate to the same figures, byte for byte.
#[test]
fn per_agency_workbooks_filled_in_give_the_figures_of_the_yaml_returns() {
    let work = scratch("agencies-per-agency");
    let audit = sample_without_returns(&work);
    let prepared = prepared_sample();
    let (headers, rows) = sample_rows();
    let by_return: std::collections::BTreeMap<(String, String), &Vec<String>> = rows
        .iter()
        .map(|row| ((row[0].clone(), row[1].clone()), row))
        .collect();
    let mut filled = 0;
    for (agency, bytes) in audit_report::output::collection::per_agency(&prepared.audit).unwrap() {
        // the rows as sent: case and agency in columns A and B from row 2
        let cases: Vec<&str> = prepared
            .audit
            .cases
            .iter()
            .filter(|c| c.requested.contains(&agency))
            .map(|c| c.id.as_str())
            .collect();
        let mut cells = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let row = i + 2;
            let Some(answers) = by_return.get(&(case.to_string(), agency.clone())) else {
                continue;
            };
            filled += 1;
            for (c, text) in hurried(answers, row).into_iter().enumerate().skip(2) {
                if !text.is_empty() {
                    cells.push((row, c, text));
                }
            }
        }
        assert_eq!(headers.len(), rows[0].len());
        let bytes = edit_part(&bytes, "xl/worksheets/sheet1.xml", |sheet| {
            fill_rows(sheet, &cells)
        });
        let name: String = agency.chars().filter(|c| c.is_alphanumeric()).collect();
        fs::write(audit.join(format!("returns/{name}.xlsx")), bytes).unwrap();
    }
    assert_eq!(
        filled, 77,
        "every sample return filled into its agency's workbook"
    );

    // built as the lead builds it: the figures file of the records
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args([
            "build",
            "--quiet",
            "--edition",
            "executive-group",
            "--format",
            "pdf",
        ])
        .arg(&audit)
        .arg("--out")
        .arg(work.join("out"))
        .arg("--charts")
        .arg(work.join("charts"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let built = fs::read_to_string(work.join("out/records/figures.csv")).unwrap();
    assert_eq!(built, figures_csv(&root().join("data")));
    assert!(built.lines().count() > 100, "{built}");
}

/// The sample's returns as one CSV file in each separator and encoding Excel saves, and as
/// a workbook typed into by hand with a notes column added: the same figures, byte for byte.
#[test]
fn separators_encodings_typing_and_a_notes_column_change_no_figure() {
    let work = scratch("agencies-csv");
    let expected = figures_csv(&root().join("data"));
    let (headers, rows) = sample_rows();
    let csv_with = |separator: u8| -> String {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(separator)
            .from_writer(Vec::new());
        writer.write_record(&headers).unwrap();
        for row in &rows {
            writer.write_record(row).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    };
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let variants: Vec<(&str, &str, Vec<u8>)> = vec![
        ("semicolons", "returns.csv", csv_with(b';').into_bytes()),
        ("tabs", "returns.csv", csv_with(b'\t').into_bytes()),
        // Excel's "Unicode text": UTF-16 with its mark, tabs between cells
        ("utf-16", "returns.csv", utf16(&csv_with(b'\t'))),
        (
            "utf-8 with its mark",
            "returns.csv",
            [&[0xEF, 0xBB, 0xBF][..], csv_with(b';').as_bytes()].concat(),
        ),
    ];
    for (name, file, bytes) in variants {
        let audit = sample_without_returns(&work.join(name.replace(' ', "-")));
        fs::write(audit.join("returns").join(file), bytes).unwrap();
        assert_eq!(figures_csv(&audit), expected, "{name}");
    }
    // typed by hand: lowercase, spaces after, and a column of the auditor's notes
    let audit = sample_without_returns(&work.join("typed"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Returns").unwrap();
    for (c, heading) in headers
        .iter()
        .chain(["Notes (auditor)".to_string()].iter())
        .enumerate()
    {
        sheet.write_string(0, c as u16, heading).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in hurried(row, r).iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, text).unwrap();
            }
        }
        sheet
            .write_string(
                r as u32 + 1,
                headers.len() as u16,
                "checked # $ * _ @ [x] // ok",
            )
            .unwrap();
    }
    book.save(audit.join("returns/typed.xlsx")).unwrap();
    assert_eq!(figures_csv(&audit), expected, "typed by hand");
}

/// What `check` prints for the small fixture audit with `files` as its returns, and its
/// exit code.
fn check_with(name: &str, files: &[(&str, Vec<u8>)]) -> (String, i32) {
    let work = scratch(&format!("agencies-{name}"));
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, false);
    for (file, bytes) in files {
        fs::write(audit.join("returns").join(file), bytes).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .arg("check")
        .arg(&audit)
        .env("NO_COLOR", "1")
        .current_dir(&work)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

/// The fixture's headings as the collection template writes them.
const HEADINGS: [&str; 7] = [
    "Case",
    "Agency",
    "offered: Was a return home interview offered within 72 hours? (// not a comment, #not code, $not maths$)",
    "records.a: Does the record show - the child's own words",
    "records.b: Does the record show - push and pull factors [risk * 2]",
    "followup: Which follow-up was arranged?",
    "offered comments",
];

/// A workbook of the fixture's returns: `rows` under [`HEADINGS`], `shape` applied to the
/// sheet before it is saved.
fn workbook(rows: &[[&str; 7]], shape: impl Fn(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Returns").unwrap();
    for (c, heading) in HEADINGS.iter().enumerate() {
        sheet.write_string(0, c as u16, *heading).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, *text).unwrap();
            }
        }
    }
    shape(sheet);
    book.save_to_buffer().unwrap()
}

const X1_POLICE: [&str; 7] = ["X1", "Police", "Yes", "Fully", "Partly", "Mentor", ""];
const X1_SCHOOL: [&str; 7] = ["X1", "School", "No", "Partly", "Fully", "None", "by phone"];
const X2_POLICE: [&str; 7] = [
    "X2",
    "Police",
    "Yes, but late",
    "Fully",
    "Fully",
    "Mentor; Family support @ home",
    "",
];

fn assert_says(listed: &str, expected: &[&str]) {
    for e in expected {
        assert!(listed.contains(e), "missing `{e}` in:\n{listed}");
    }
}

#[test]
fn a_hidden_or_filtered_row_is_refused_at_its_row_not_counted() {
    let book = workbook(&[X1_POLICE, X1_SCHOOL, X2_POLICE], |sheet| {
        sheet.set_row_hidden(2).unwrap();
    });
    let (listed, code) = check_with("hidden-row", &[("police.xlsx", book)]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: row 3 is hidden, yet holds a return (case `X1`, `School`): a hidden row would still be counted\n ┌─ ",
            "returns/police.xlsx, sheet Returns, row 3",
            "= help: to withdraw the return, delete the row",
        ],
    );
    // filtered out: the sheet has a filter, and the rows it hides are hidden rows
    let book = workbook(&[X1_POLICE, X1_SCHOOL, X2_POLICE], |sheet| {
        sheet.autofilter(0, 0, 3, 6).unwrap();
        sheet.set_row_hidden(3).unwrap();
    });
    let (listed, code) = check_with("filtered-row", &[("police.xlsx", book)]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: row 4 is hidden (filtered out, or hidden by hand), yet holds a return (case `X2`, `Police`)",
        ],
    );
    // a row dragged down to no height, and a column to no width, are hidden all the same
    let book = workbook(&[X1_POLICE, X1_SCHOOL], |sheet| {
        sheet.set_column_width(3, 0).unwrap();
    });
    let book = edit_part(&book, "xl/worksheets/sheet1.xml", |sheet| {
        // (as a program other than Excel may write it: a size of nothing, no `hidden`)
        sheet.replace(" hidden=\"1\"", "").replacen(
            "<row r=\"2\"",
            "<row r=\"2\" ht=\"0\" customHeight=\"1\"",
            1,
        )
    });
    let (listed, code) = check_with("zero-size", &[("police.xlsx", book)]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: row 2 is hidden, yet holds a return (case `X1`, `Police`)",
            "error: column D (\"records.a: Does the record show…\") is hidden, yet is read",
        ],
    );
}

#[test]
fn a_hidden_column_merged_cells_and_an_unsaved_formula_are_refused_at_their_cells() {
    let book = workbook(&[X1_POLICE, X1_SCHOOL, X2_POLICE], |sheet| {
        sheet.set_column_hidden(4).unwrap();
        sheet
            .merge_range(2, 0, 3, 0, "X1", &rust_xlsxwriter::Format::new())
            .unwrap();
        sheet.write_formula(3, 2, "=C2").unwrap();
        sheet.write_formula(2, 5, "=F2").unwrap();
    });
    // a formula saved by a program that does not calculate has no result beside it, or an
    // empty one (as openpyxl writes it)
    let book = edit_part(&book, "xl/worksheets/sheet1.xml", |sheet| {
        sheet
            .replace("<f>C2</f><v>0</v>", "<f>C2</f>")
            .replace("<f>F2</f><v>0</v>", "<f>F2</f><v/>")
    });
    let (listed, code) = check_with("hidden-column", &[("police.xlsx", book)]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: column E (\"records.b: Does the record show…\") is hidden, yet is read: 3 cell(s) in it would be counted unseen",
            "returns/police.xlsx, sheet Returns, cell E1",
            "error: cells A3:A4 are merged: a merged cell keeps its text in A3 only, and every other cell of it reads as empty",
            "= help: unmerge the cells (Home › Merge & Center) and fill in each one",
            "error: this cell holds a formula whose result was never saved, so it reads as empty",
            "returns/police.xlsx, sheet Returns, cell C4",
            "4 │ =C2",
            "returns/police.xlsx, sheet Returns, cell F3\n  │\n3 │ =F2",
            // the merged cell's empty half: said as an empty cell, not "add an empty id"
            "error: expected the case's id, found an empty cell",
        ],
    );
    assert!(!listed.contains("is not in cases.yaml"), "{listed}");
}

#[test]
fn a_deleted_or_blank_answer_column_is_said_at_the_column() {
    // records.b's column deleted, followup's left blank on every row
    let headings: Vec<&str> = HEADINGS
        .iter()
        .copied()
        .filter(|h| !h.starts_with("records.b"))
        .collect();
    let csv = format!(
        "{}\nX1,Police,Yes,Fully,,\nX2,Police,No,Partly,,\n",
        headings
            .iter()
            .map(|h| if h.contains(',') {
                format!("\"{h}\"")
            } else {
                h.to_string()
            })
            .collect::<Vec<_>>()
            .join(",")
    );
    let (listed, code) = check_with("deleted-column", &[("police.csv", csv.into_bytes())]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: no column for `records.b`: every return in this file would count as not answering it",
            "returns/police.csv, row 1",
            "warning: this column is empty on every row: no return in this file answers `followup`",
            "returns/police.csv, row 1, column \"followup: Which follow-up was arranged?\"\n  │\n1 │ followup: Which follow-up was arranged?",
            "note: 2 blank answer cell(s) count as not answered: column 5 (\"followup: Which follow-up was a…\") (row 2, 3)",
        ],
    );
}

#[test]
fn options_typed_by_hand_are_said_at_their_cell_and_item() {
    let mut x1 = X1_POLICE;
    x1[3] = "Y";
    let mut x2 = X2_POLICE;
    x2[2] = "Partly";
    let (listed, code) = check_with("typed", &[("police.xlsx", workbook(&[x1, x2], |_| {}))]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: `Y` is not an option of item `records.a`; expected one of `full` (\"Fully\"), `partly`, `none` (\"Not at all\")",
            "returns/police.xlsx, sheet Returns, cell D2",
            "2 │ Y\n  │ ^",
            "error: `Partly` is not an option of question `offered`",
            "returns/police.xlsx, sheet Returns, cell C3",
        ],
    );
    // the short form for editors: one line, the place as people say it
    let work = scratch("agencies-typed-short");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, false);
    fs::write(audit.join("returns/police.xlsx"), workbook(&[x1], |_| {})).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .current_dir(&work)
        .output()
        .unwrap();
    let short = String::from_utf8_lossy(&output.stderr);
    assert!(
        short.contains("audit/returns/police.xlsx, sheet Returns, cell D2: error: `Y` is not an option of item `records.a`"),
        "{short}"
    );
}

/// A cell Excel holds as TRUE or FALSE (typed so, or a check box's link) is read as the
/// sheet shows it, as a CSV's `TRUE` is: no option of a Yes/No question, refused at its cell
/// (it was counted as "Yes" or "No", unsaid, moving the figures).
#[test]
fn a_true_or_false_cell_is_refused_at_its_cell_not_counted_as_yes_or_no() {
    let book = workbook(&[X1_POLICE, X2_POLICE], |sheet| {
        sheet.write_boolean(1, 2, false).unwrap();
        sheet.write_boolean(2, 3, true).unwrap();
    });
    let (listed, code) = check_with("booleans", &[("police.xlsx", book)]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: `FALSE` is not an option of question `offered`",
            "returns/police.xlsx, sheet Returns, cell C2",
            "error: `TRUE` is not an option of item `records.a`",
            "returns/police.xlsx, sheet Returns, cell D3",
        ],
    );
}

/// An option listed twice in one answer (`[mentor, Mentor]`) is a slip in the return, said
/// at the answer, not quietly counted once; a checklist item given under two spellings is
/// said as the item that is none (it was only "gives 3 items of 2").
#[test]
fn an_option_listed_twice_or_an_item_misspelt_beside_its_own_is_said() {
    let yaml = "case: X1\nagency: Police\nanswers:\n  offered: 'yes'\n  records: {a: full, A: partly, b: none}\n  followup: [mentor, Mentor, 'Family support @ home']\n";
    let (listed, code) = check_with("twice", &[("police.yaml", yaml.as_bytes().to_vec())]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: question `followup` lists option `mentor` twice (as `mentor`, then as `Mentor`); expected each option once at most",
            "returns/police.yaml:6:",
            "error: `A` is not an item of question `records`; expected one of `a`, `b`",
        ],
    );
}

/// The same answer means the same in every format: `YES` and ` no ` in a YAML return, as in
/// a spreadsheet.
#[test]
fn answers_in_capitals_or_with_spaces_read_alike_in_yaml_and_spreadsheets() {
    let yaml = "case: X1\nagency: Police\nanswers:\n  offered: 'YES'\n  records: {a: ' Fully ', b: partly}\n  followup: [Mentor, 'family support @ home']\n";
    let (listed, code) = check_with("capitals", &[("police.yaml", yaml.as_bytes().to_vec())]);
    // (3: the fixture's case X2 has no return, a warning)
    assert_eq!(code, 3, "{listed}");
    assert!(!listed.contains("error"), "{listed}");
}

#[test]
fn a_semicolon_csv_with_a_notes_column_reads_and_says_what_it_did_not_read() {
    let csv = "Case;Agency;offered;records.a;records.b;followup;Notes (auditor)\nX1;Police;yes ;Fully;PARTLY;Mentor;rang twice, no answer\n";
    let (listed, code) = check_with("semicolons", &[("police.csv", csv.as_bytes().to_vec())]);
    assert_eq!(code, 3, "{listed}");
    assert!(!listed.contains("error"), "{listed}");
    assert_says(
        &listed,
        &["note: not read, as no question's heading: column 7 (\"Notes (auditor)\")"],
    );
    // a heading that is a question's misspelt is a warning, with the heading meant
    let csv = "Case;Agency;offered;records.a;records.b;followup;ofered comments\nX1;Police;yes;Fully;Partly;Mentor;by phone\n";
    let (listed, code) = check_with("misspelt", &[("police.csv", csv.as_bytes().to_vec())]);
    assert_eq!(code, 3, "{listed}");
    assert_says(
        &listed,
        &[
            "warning: column `ofered comments` matches no question, so it is not read",
            "= help: did you mean `offered comments`?",
        ],
    );
    // Excel's `sep=` line names the separator (a file saved with it read as no `case`
    // column); rows are numbered as Excel shows them, without it
    let csv = "sep=|\r\nCase|Agency|offered|records.a|records.b|followup\r\nX1|Police|yes, but late|Fully|Partly|Mentor\r\nX2|Police|maybe|Fully|Partly|Mentor\r\n";
    let (listed, code) = check_with("sep-line", &[("police.csv", csv.as_bytes().to_vec())]);
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "error: `maybe` is not an option of question `offered`",
            "returns/police.csv, row 3, column \"offered\"",
        ],
    );
    assert!(!listed.contains("no `case` column"), "{listed}");
    // no case column: the separator the file was read with is named
    let csv = "Case|Agency|offered\nX1|Police|yes\n";
    let (listed, _) = check_with("pipes", &[("police.csv", csv.as_bytes().to_vec())]);
    assert_says(
        &listed,
        &[
            "error: no `case` column; expected one among the headings of row 1",
            "= help: the file was read as cells separated by commas (,)",
        ],
    );
}

/// A workbook sent out with its rows' case and agency filled in, and one of them never
/// answered, counts the answered rows only.
#[test]
fn a_row_sent_out_and_never_answered_is_not_a_return() {
    let unanswered = ["X2", "Police", "", "", "", "", ""];
    let (listed, code) = check_with(
        "unanswered",
        &[("police.xlsx", workbook(&[X1_POLICE, unanswered], |_| {}))],
    );
    assert_eq!(code, 3, "{listed}");
    assert_says(&listed, &["warning: case `X2` has no returns"]);
    assert_says(
        &listed,
        &[
            "note: row(s) 3 hold no answer and no comment: not read as returns (each is outstanding)",
        ],
    );
}

/// A title typed above the headings is passed over, and said; a headings row deleted is
/// said as such, not as a dozen columns that match no question.
#[test]
fn a_title_above_the_headings_is_passed_over_and_a_deleted_headings_row_is_named() {
    let mut titled = rust_xlsxwriter::Workbook::new();
    let sheet = titled.add_worksheet();
    sheet.set_name("Returns").unwrap();
    sheet
        .write_string(0, 0, "Police returns, quarter 3")
        .unwrap();
    for (c, heading) in HEADINGS.iter().enumerate() {
        sheet.write_string(2, c as u16, *heading).unwrap();
    }
    for (c, text) in X1_POLICE.iter().enumerate() {
        if !text.is_empty() {
            sheet.write_string(3, c as u16, *text).unwrap();
        }
    }
    let mut headless = rust_xlsxwriter::Workbook::new();
    let sheet = headless.add_worksheet();
    sheet.set_name("Returns").unwrap();
    for (c, text) in X1_SCHOOL.iter().enumerate() {
        sheet.write_string(0, c as u16, *text).unwrap();
    }
    let (listed, code) = check_with(
        "title-row",
        &[
            ("police.xlsx", titled.save_to_buffer().unwrap()),
            ("school.xlsx", headless.save_to_buffer().unwrap()),
        ],
    );
    assert_eq!(code, 1, "{listed}");
    assert_says(
        &listed,
        &[
            "note: row(s) 1 above the headings (row 3) are not read",
            "error: no `case` column; expected one among the headings of row 1",
            "= help: row 1 is taken as the headings, as the first row holding anything: it holds `X1`, `School`, `No`, `Partly`; if the headings row was deleted, put it back",
        ],
    );
    // the titled workbook's return is read: only the headless one is wrong
    assert_eq!(listed.matches("error:").count(), 2, "{listed}");
    assert!(
        !listed.contains("not read, as no question's heading"),
        "{listed}"
    );
}

/// A wrong key in questions.yaml no longer hides the returns' problems: both are listed in
/// one run (the returns checked against the rest of the bank).
#[test]
fn a_wrong_key_in_the_question_bank_hides_no_return_error() {
    let mut x1 = X1_POLICE;
    x1[2] = "Perhaps";
    let work = scratch("agencies-bank-key");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, false);
    let bank = audit.join("questions.yaml");
    edit(
        &bank,
        "    kind: single\n",
        "    kind: single\n    colour: blue\n",
    );
    fs::write(audit.join("returns/police.xlsx"), workbook(&[x1], |_| {})).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .current_dir(&work)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{listed}");
    assert_says(
        &listed,
        &[
            "questions.yaml:7:5: error: ",
            "`colour`",
            "returns/police.xlsx, sheet Returns, cell C2: error: `Perhaps` is not an option of question `offered`",
        ],
    );
}
