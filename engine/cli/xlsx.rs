//! Workbooks: a table as one sheet for any command, and the evaluation's workbook.

use std::io::Write;
use std::path::Path;
use xwalk::report::{self, table::Table};
use xwalk::views::results::EvalReport;

/// The views a workbook holds beside the evaluation.
pub struct Sheets {
    pub soa: xwalk::views::soa::Soa,
    pub others: Vec<xwalk::FrameworkId>,
    pub plan: xwalk::views::plan::Plan,
    pub procedures: xwalk::views::evidence::EvidenceList,
}

/// Write the evaluation's workbook.
pub fn write_eval(
    report: &EvalReport<'_>,
    views: Option<&Sheets>,
    path: &Path,
) -> Result<(), xwalk::Error> {
    let v =
        views.ok_or_else(|| xwalk::Error::Usage("the workbook's views were not built".into()))?;
    let views = report::workbook::Views {
        soa: (&v.soa, &v.others),
        plan: &v.plan,
        procedures: &v.procedures,
    };
    report::write::atomic(path, &report::workbook::eval(report, &views)?)?;
    crate::output::eprint(&format!("wrote {}\n", path.display()));
    Ok(())
}

/// A table as a workbook of one sheet, dated today.
pub fn one_sheet(table: &Table) -> Result<Vec<u8>, xwalk::Error> {
    let sheet = report::xlsx::Sheet {
        name: "xwalk",
        table,
    };
    report::xlsx::workbook(&[sheet], jiff::Zoned::now().date())
}

/// Write a workbook to a file, or to standard output when that is not a terminal.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), xwalk::Error> {
    use std::io::IsTerminal;
    match out {
        Some(path) => xwalk::report::write::atomic(path, bytes),
        None if std::io::stdout().is_terminal() => Err(xwalk::Error::Usage(
            "an xlsx workbook is not for the terminal: give --out FILE or redirect the output (> report.xlsx)".into(),
        )),
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(bytes);
            let _ = out.flush();
            Ok(())
        }
    }
}
