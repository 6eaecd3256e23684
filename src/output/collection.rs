//! Template: the question bank → an empty collection spreadsheet (XLSX), so the next round of
//! returns comes back clean: a column per question or checklist item with a drop-down of its
//! options, a comments column per question, and the headers `input::spreadsheet` reads without a mapping.

use crate::diag::{Diagnostic, Diagnostics};
use crate::input::model::{Choice, QuestionBank, QuestionKind};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

/// Rows given drop-downs: more returns than any audit round is likely to have.
const ROWS: u32 = 2000;

/// The headers of a collection spreadsheet for `bank`, with each answer column's options
/// (empty for comments, case and agency, and for multiple choice, which a drop-down cannot
/// hold).
pub fn headers(bank: &QuestionBank) -> Vec<(String, Vec<String>)> {
    let yes_no = [
        Choice {
            id: "yes".into(),
            text: "Yes".into(),
            ..Choice::default()
        },
        Choice {
            id: "no".into(),
            text: "No".into(),
            ..Choice::default()
        },
    ];
    let mut columns = vec![
        ("Case".to_string(), Vec::new()),
        ("Agency".to_string(), Vec::new()),
    ];
    for question in &bank.questions {
        let options: Vec<String> =
            if question.options.is_empty() && question.kind == QuestionKind::Checklist {
                yes_no.iter().map(|o| o.text.clone()).collect()
            } else {
                question.options.iter().map(|o| o.text.clone()).collect()
            };
        match question.kind {
            QuestionKind::Checklist => {
                for item in &question.items {
                    columns.push((
                        format!(
                            "{}.{}: {} - {}",
                            question.id, item.id, question.text, item.text
                        ),
                        options.clone(),
                    ));
                }
            }
            // Headed by id and wording: two questions may share a wording.
            QuestionKind::Single => {
                columns.push((format!("{}: {}", question.id, question.text), options))
            }
            // a drop-down holds one answer: several are typed, separated by `;`
            QuestionKind::Multiple => {
                columns.push((format!("{}: {}", question.id, question.text), Vec::new()))
            }
            QuestionKind::Text => {}
        }
        if question.comments {
            columns.push((format!("{} comments", question.id), Vec::new()));
        }
    }
    columns
}

/// One row of a workbook filled in before it is sent: the case and the agency asked.
pub type Prefilled = (String, String);

/// One workbook per agency asked for any return: the agency, and its workbook's bytes with
/// the cases it was asked about filled in. Its Case drop-down lists those cases only: an
/// agency choosing from every case of the audit could answer for a case it was never asked
/// about (and sees the ids of the others' cases).
pub fn per_agency(audit: &crate::check::Audit) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let mut books = Vec::new();
    for agency in &audit.info.agencies {
        let rows: Vec<Prefilled> = audit
            .cases
            .iter()
            .filter(|c| c.requested.contains(agency))
            .map(|c| (c.id.clone(), agency.clone()))
            .collect();
        if !rows.is_empty() {
            let cases: Vec<String> = rows.iter().map(|(case, _)| case.clone()).collect();
            let bytes = template(&audit.bank, &cases, std::slice::from_ref(agency), &rows)?;
            books.push((agency.clone(), bytes));
        }
    }
    Ok(books)
}

/// An agency's name as a file name, without its extension: lowercase letters and digits,
/// each run of anything else one `-` ("Children's Social Care" → `childrens-social-care`).
pub fn file_name(agency: &str) -> String {
    let name: String = agency
        .to_lowercase()
        .chars()
        .filter(|c| *c != '\'')
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let name = name
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if name.is_empty() {
        "agency".into()
    } else {
        name
    }
}

/// The file name of each workbook [`per_agency`] makes (`police.xlsx`), by agency; every
/// pair of agencies whose names make the same file name is an error naming both, since
/// one's workbook would overwrite the other's.
pub fn workbook_names(
    audit: &crate::check::Audit,
) -> Result<std::collections::BTreeMap<String, String>, Diagnostics> {
    let mut names = std::collections::BTreeMap::new();
    // the first agency (in audit.yaml's order) to take each file name, and where it stands
    let mut taken: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut problems = Diagnostics::default();
    let audit_yaml = audit
        .sources
        .iter()
        .find(|s| s.path.file_name().is_some_and(|n| n == "audit.yaml"));
    for (a, agency) in audit.info.agencies.iter().enumerate() {
        // (an agency asked for no return gets no workbook, so takes no name)
        if !audit.cases.iter().any(|c| c.requested.contains(agency)) {
            continue;
        }
        let name = format!("{}.xlsx", file_name(agency));
        match taken.get(&name) {
            Some(&first) => {
                let message = format!(
                    "agencies `{}` and `{agency}` would both have their workbook written to `{name}`; one would overwrite the other",
                    audit.info.agencies[first]
                );
                let place = audit_yaml.map(|s| s.locate(&["agencies", &a.to_string()]));
                let problem = match place {
                    Some(place) => Diagnostic::error(place, message),
                    None => Diagnostic::general(message),
                };
                problems.push(problem.with_note(
                    "a workbook's file name is its agency's name in lowercase letters and digits; rename one of the two agencies in audit.yaml (and in cases.yaml and the returns) so their names differ in letters or digits",
                ));
            }
            None => {
                taken.insert(name.clone(), a);
                names.insert(agency.clone(), name);
            }
        }
    }
    problems.into_result(names).map(|(names, _)| names)
}

/// A message in a cell's prompt: Excel shows at most 255 characters.
fn prompt(text: &str) -> String {
    if text.chars().count() <= 255 {
        text.to_string()
    } else {
        text.chars().take(254).collect::<String>() + "…"
    }
}

/// The spreadsheet's bytes. `cases` and `agencies` give the Case and Agency drop-downs;
/// `rows` (for one agency's workbook) are filled in already, case and agency locked, so the
/// agency types nothing but its answers.
///
/// It opens on the Returns sheet, whose headings are locked and whose every column prompts
/// with its question; an Instructions sheet says what goes where, from the question bank;
/// the drop-downs' lists sit on a hidden sheet at the end.
pub fn template(
    bank: &QuestionBank,
    cases: &[String],
    agencies: &[String],
    rows: &[Prefilled],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let columns = headers(bank);
    // Drop-down lists live on a hidden sheet: Excel limits a list typed into the rule itself
    // to 255 characters, and option wordings are long.
    let mut lists: Vec<Vec<String>> = vec![cases.to_vec(), agencies.to_vec()];
    lists.extend(columns.iter().skip(2).map(|(_, options)| options.clone()));
    let bold = Format::new().set_bold().set_text_wrap();
    returns_sheet(&mut book, bank, &columns, &lists, rows, &bold)?;
    instructions_sheet(&mut book, bank, &columns, &bold)?;
    options_sheet(&mut book, &lists)?;
    book.save_to_buffer()
}

/// The Returns sheet: a column per question, each prompting with its question and offering
/// its options from the Options sheet's `lists`; headings and prefilled `rows` locked.
fn returns_sheet(
    book: &mut Workbook,
    bank: &QuestionBank,
    columns: &[(String, Vec<String>)],
    lists: &[Vec<String>],
    rows: &[Prefilled],
    bold: &Format,
) -> Result<(), XlsxError> {
    let unlocked = Format::new().set_unlocked();
    let sheet = book.add_worksheet();
    sheet.set_name("Returns")?;
    sheet.set_active(true);
    for (c, (header, _)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, header, bold)?;
        sheet.set_column_width(c, if c < 2 { 14 } else { 28 })?;
        sheet.set_column_format(c, &unlocked)?;
        let list = &lists[usize::from(c)];
        let (title, message) = column_prompt(bank, header, c);
        let rule = if list.is_empty() {
            DataValidation::new().allow_any_value()
        } else {
            let letters = crate::diag::column_letters(usize::from(c) + 1);
            DataValidation::new().allow_list_formula(Formula::new(format!(
                "=Options!${letters}$1:${letters}${}",
                list.len()
            )))
        };
        let rule = rule
            .set_input_title(prompt(&title).chars().take(32).collect::<String>())?
            .set_input_message(prompt(&message))?;
        sheet.add_data_validation(1, c, ROWS, c, &rule)?;
    }
    // The rows sent out already name their case and agency; those cells are locked.
    for (r, (case, agency)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, case)?;
        sheet.write_string(r, 1, agency)?;
    }
    sheet.set_freeze_panes(1, 2)?;
    // Headings (and filled-in cases) cannot be changed by accident; widths can.
    sheet.protect_with_options(&rust_xlsxwriter::ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..Default::default()
    });
    Ok(())
}

/// The Instructions sheet: what goes where, from the question bank.
fn instructions_sheet(
    book: &mut Workbook,
    bank: &QuestionBank,
    columns: &[(String, Vec<String>)],
    bold: &Format,
) -> Result<(), XlsxError> {
    let sheet = book.add_worksheet();
    sheet.set_name("Instructions")?;
    sheet.set_column_width(0, 18)?;
    sheet.set_column_width(1, 70)?;
    sheet.set_column_width(2, 60)?;
    let mut r = 0;
    let mut line = |sheet: &mut rust_xlsxwriter::Worksheet,
                    cells: &[&str],
                    format: Option<&Format>|
     -> Result<(), XlsxError> {
        for (c, text) in cells.iter().enumerate() {
            match format {
                Some(f) => sheet.write_string_with_format(r, c as u16, *text, f)?,
                None => sheet.write_string(r, c as u16, *text)?,
            };
        }
        r += 1;
        Ok(())
    };
    line(sheet, &[&bank.title], Some(bold))?;
    line(
        sheet,
        &[
            "How to fill in the Returns sheet: one row for each case your agency was asked about. Choose each answer from its cell's drop-down; a cell's prompt shows its question. Leave a cell empty if the file does not say. Write comments in the comments columns; never write a child's or family member's name, address or date of birth.",
        ],
        None,
    )?;
    line(sheet, &[], None)?;
    line(sheet, &["Column", "Question", "Answer with"], Some(bold))?;
    for (c, (header, options)) in columns.iter().enumerate() {
        let (title, _) = column_prompt(bank, header, c as u16);
        let answer = if options.is_empty() {
            message_kind(bank, header)
        } else {
            format!("one of: {}", options.join("; "))
        };
        line(sheet, &[&title, header, &answer], None)?;
    }
    Ok(())
}

/// The hidden Options sheet, a column per drop-down list: Excel limits a list typed into
/// the rule itself to 255 characters, and option wordings are long.
fn options_sheet(book: &mut Workbook, lists: &[Vec<String>]) -> Result<(), XlsxError> {
    let options = book.add_worksheet();
    options.set_name("Options")?;
    for (c, list) in lists.iter().enumerate() {
        for (r, value) in list.iter().enumerate() {
            options.write_string(r as u32, c as u16, value)?;
        }
    }
    options.set_hidden(true);
    Ok(())
}

/// A column's prompt: a short title and the question in full.
fn column_prompt(bank: &QuestionBank, header: &str, column: u16) -> (String, String) {
    match column {
        0 => (
            "Case".into(),
            "The case's id, as in the list you were sent.".into(),
        ),
        1 => ("Agency".into(), "Your agency, from the drop-down.".into()),
        _ => {
            let id = header.split(':').next().unwrap_or(header).trim();
            (
                id.to_string(),
                format!("{header}. {}", message_kind(bank, header)),
            )
        }
    }
}

/// How a column is answered, in words.
fn message_kind(bank: &QuestionBank, header: &str) -> String {
    let id = header.split([':', ' ', '.']).next().unwrap_or(header);
    let kind = bank.questions.iter().find(|q| q.id == id).map(|q| q.kind);
    if header.ends_with(" comments") {
        "Comments, in words: no names, addresses or dates of birth.".into()
    } else if kind == Some(QuestionKind::Multiple) {
        "Type every answer that applies, separated by ; (as worded on the form).".into()
    } else {
        "Choose from the drop-down.".into()
    }
}
