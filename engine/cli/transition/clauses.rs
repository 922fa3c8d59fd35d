//! `xwalk transition FILE --clauses`: only the clause-level changes of clauses 4-10.

use super::{Args, DraftFormat};
use std::process::ExitCode;
use xwalk::report::{self, csv::IdForm};
use xwalk::views::transition::Transition;

/// Write the clause-change list in the chosen format.
pub fn run(args: &Args, t: &Transition) -> Result<ExitCode, xwalk::Error> {
    let table = |ids| report::transition::clause_table(t, ids);
    match args.format {
        DraftFormat::Table => args
            .output
            .emit_text(&table(IdForm::Bare).render(&args.output.view()))?,
        DraftFormat::Json => args
            .output
            .emit(report::to_json(&t.clause_changes).as_bytes())?,
        DraftFormat::Csv => args.output.emit(&report::csv::render(
            &table(IdForm::TextSafe),
            args.output.csv(),
        ))?,
        DraftFormat::Xlsx => args.output.emit_xlsx(&table(IdForm::Bare))?,
        DraftFormat::Facts => return Err(xwalk::Error::Usage(
            "--clauses lists the clause changes, which are not facts; use table, json, csv or xlsx"
                .to_string(),
        )),
    }
    Ok(ExitCode::SUCCESS)
}
