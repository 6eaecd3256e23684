//! Template: the question bank → an empty collection spreadsheet (XLSX), so the next round of
//! returns comes back clean: a column per question or checklist item with a drop-down of its
//! options, a comments column per question, and the headers `input::spreadsheet` reads without a mapping.

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

/// The spreadsheet's bytes. `cases` and `agencies` give the Case and Agency drop-downs.
pub fn template(
    bank: &QuestionBank,
    cases: &[String],
    agencies: &[String],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let columns = headers(bank);
    // Drop-down lists live on a hidden sheet: Excel limits a list typed into the rule itself
    // to 255 characters, and option wordings are long.
    let mut lists: Vec<Vec<String>> = vec![cases.to_vec(), agencies.to_vec()];
    lists.extend(columns.iter().skip(2).map(|(_, options)| options.clone()));
    {
        let options = book.add_worksheet();
        options.set_name("Options")?;
        for (c, list) in lists.iter().enumerate() {
            for (r, value) in list.iter().enumerate() {
                options.write_string(r as u32, c as u16, value)?;
            }
        }
        options.set_hidden(true);
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Returns")?;
    let bold = Format::new().set_bold().set_text_wrap();
    for (c, (header, _)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, header, &bold)?;
        sheet.set_column_width(c, if c < 2 { 14 } else { 28 })?;
        let list = &lists[usize::from(c)];
        if !list.is_empty() {
            let letters = column_letters(usize::from(c));
            let rule = DataValidation::new().allow_list_formula(Formula::new(format!(
                "=Options!${letters}$1:${letters}${}",
                list.len()
            )));
            sheet.add_data_validation(1, c, ROWS, c, &rule)?;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    book.save_to_buffer()
}

/// Spreadsheet column letters for a 0-based index (0 → A, 26 → AA).
fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
