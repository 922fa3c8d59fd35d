//! Printing a checker's diagnostics in the format asked for: one line each (table), JSON,
//! CSV or a one-sheet workbook. (SARIF is for `xwalk check` and `xwalk eval`, whose
//! locations are exact; a vocabulary violation is located by its JSON pointer only.)

use crate::output::{self, Format};
use xwalk::report;

/// Print diagnostics; `summary` is the closing line of the table format.
pub fn print(
    diags: &[xwalk::Diagnostic],
    format: Format,
    command: &str,
    summary: &str,
) -> Result<(), xwalk::Error> {
    let table = || report::eval::diagnostics_table(diags);
    match format {
        Format::Table => {
            for d in diags {
                output::print(&format!("{d}\n"));
            }
            output::print(summary);
        }
        Format::Json => output::print(&report::to_json(diags)),
        Format::Csv | Format::Xlsx => output::print_table(&table(), format)?,
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(format, command))
        }
    }
    Ok(())
}
