//! Where a report goes: `--out FILE` or standard output, with the CSV and text settings
//! that depend on which.

use crate::output::{emit, emit_text};
use std::path::PathBuf;
use xwalk::report::{csv::CsvOptions, Table};

/// Where a report goes: `--out FILE` (written atomically) or standard output, and
/// whether CSV starts with a byte-order mark.
#[derive(Debug, clap::Args)]
pub struct FileOutput {
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    bom: crate::spreadsheet::Bom,
}

impl FileOutput {
    /// CSV settings for this output.
    pub fn csv(&self) -> CsvOptions {
        self.bom.csv(self.out.is_some())
    }

    /// Write a text table where asked; on a terminal, outcome words are coloured.
    pub fn emit_text(&self, text: &str) -> Result<(), xwalk::Error> {
        emit_text(self.out.as_deref(), text)
    }

    /// How much a text table shows here: into `--out FILE`, every row; else as the terminal.
    pub fn view(&self) -> xwalk::report::table::TextView {
        match self.out {
            Some(_) => crate::terminal::file_view(),
            None => crate::terminal::view(),
        }
    }

    /// Write the report where asked.
    pub fn emit(&self, bytes: &[u8]) -> Result<(), xwalk::Error> {
        emit(self.out.as_deref(), bytes)
    }

    /// Write a table as a one-sheet workbook where asked (a file, or a pipe).
    pub fn emit_xlsx(&self, table: &Table) -> Result<(), xwalk::Error> {
        crate::xlsx::emit(self.out.as_deref(), &crate::xlsx::one_sheet(table)?)
    }

    /// Write a CSV report where asked; with `--out FILE` and input problems, also
    /// `FILE.diagnostics.csv` beside it (both or neither).
    pub fn emit_csv(
        &self,
        bytes: Vec<u8>,
        problems: &[xwalk::Diagnostic],
    ) -> Result<(), xwalk::Error> {
        match &self.out {
            Some(path) if !problems.is_empty() => {
                let table = xwalk::report::eval::diagnostics_table(problems);
                let beside = path.with_extension("diagnostics.csv");
                let problems_csv = xwalk::report::csv::render(&table, self.csv());
                crate::terminal::note(&format!("input problems written to {}\n", beside.display()));
                xwalk::report::write::atomic_all(&[(path.clone(), bytes), (beside, problems_csv)])
            }
            _ => self.emit(&bytes),
        }
    }
}
