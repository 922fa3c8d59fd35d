//! Files for other tools: a table as a one-sheet workbook for any command, the
//! evaluation's workbook, and its findings as SARIF.

use std::io::Write;
use std::path::Path;
use xwalk::report::{self, table::Table};
use xwalk::views::results::EvalReport;

/// Write the evaluation's workbook.
pub fn write_eval(
    report: &EvalReport<'_>,
    assessment: &xwalk::Assessment,
    path: &Path,
) -> Result<(), xwalk::Error> {
    let (soa, others) = (assessment.soa()?, assessment.soa_served_frameworks());
    let (plan, procedures) = (assessment.plan()?, assessment.evidence_list()?);
    let views = report::workbook::Views {
        soa: (&soa, &others),
        plan: &plan,
        procedures: &procedures,
    };
    report::write::atomic(path, &report::workbook::eval(report, &views)?)?;
    crate::terminal::note(&format!("wrote {}\n", path.display()));
    Ok(())
}

/// The evaluation's findings as SARIF, located in the facts files (the built-in demo
/// organisation's when no --facts was given).
pub fn sarif(
    report: &EvalReport<'_>,
    assessment: &xwalk::Assessment,
    facts: Option<&Path>,
) -> String {
    let demo = xwalk::builtin::demo_facts();
    let dir = facts.map_or_else(
        || "fixtures/startup".to_string(),
        |d| d.display().to_string(),
    );
    let read = |file: &str| match facts {
        Some(d) => std::fs::read_to_string(d.join(file)).ok(),
        None => demo.iter().find(|(p, _)| p == file).map(|(_, t)| t.clone()),
    };
    report::to_json(&report::sarif::render_eval(
        report,
        assessment.rules(),
        &dir,
        &read,
    ))
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

/// The error for a format a command cannot write.
pub fn not_for(format: crate::output::Format, command: &str) -> xwalk::Error {
    let name = match format {
        crate::output::Format::Sarif => {
            "sarif (findings located in files: xwalk eval, xwalk check)"
        }
        crate::output::Format::Junit => "junit (test results: xwalk eval, xwalk test)",
        crate::output::Format::Oscal => "oscal (assessment results: xwalk eval)",
        _ => "this format",
    };
    xwalk::Error::Usage(format!("xwalk {command} cannot write {name}"))
}
