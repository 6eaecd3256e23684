//! The action plan as a tracking workbook (`audit-report actions`): one row per action, the
//! status a drop-down, the headings locked in place. Put back in the audit folder as
//! `actions.xlsx` (or saved as `actions.csv`), its statuses and updates are what the next
//! build prints (`input::actions` reads it).

use crate::check::Audit;
use crate::input::actions::COLUMNS;
use crate::input::model::ActionStatus;
use rust_xlsxwriter::{DataValidation, Format, Workbook, XlsxError};

/// The workbook's bytes.
pub fn workbook(audit: &Audit) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Actions")?;
    let bold = Format::new().set_bold().set_text_wrap();
    let wrap = Format::new().set_text_wrap();
    let widths = [12, 12, 48, 20, 24, 12, 14, 40];
    for (c, (heading, width)) in COLUMNS.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *heading, &bold)?;
        sheet.set_column_width(c as u16, width)?;
    }
    let mut row = 1u32;
    let mut finding = 0;
    for section in &audit.sections {
        for found in &section.value.findings {
            finding += 1;
            for action in &found.actions {
                let cells = [
                    action.id.clone(),
                    finding.to_string(),
                    action.what.clone(),
                    action.lead_agency.clone(),
                    action.owner.clone(),
                    action.due.clone(),
                    action.status.id().to_string(),
                    action.update.clone().unwrap_or_default(),
                ];
                for (c, cell) in cells.iter().enumerate() {
                    sheet.write_string_with_format(row, c as u16, cell, &wrap)?;
                }
                row += 1;
            }
        }
    }
    let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|(id, _)| *id).collect();
    let status = COLUMNS.iter().position(|c| *c == "Status").unwrap_or(6) as u16;
    let rule = DataValidation::new()
        .allow_list_strings(&statuses)?
        .set_input_title("Status")?
        .set_input_message(statuses.join(", "))?;
    sheet.add_data_validation(1, status, row.max(2) + 200, status, &rule)?;
    sheet.set_freeze_panes(1, 1)?;
    book.save_to_buffer()
}
