//! Flags for the spreadsheet outputs shared by the commands: the CSV byte-order mark and
//! the long form for pivot tables.

use crate::output::Format;
use xwalk::report::csv::CsvOptions;

/// Whether CSV starts with a UTF-8 byte-order mark: in a file by default, since Excel
/// reads UTF-8 without one as its local code page; not on standard output, where the
/// reader is usually another program.
#[derive(Debug, clap::Args)]
pub struct Bom {
    /// Start CSV with a UTF-8 byte-order mark on standard output too (files get one anyway).
    #[arg(long, overrides_with = "no_bom")]
    bom: bool,
    /// Write CSV files without the UTF-8 byte-order mark (for readers that show it as
    /// part of the first header).
    #[arg(long, overrides_with = "bom")]
    no_bom: bool,
}

impl Bom {
    /// CSV settings for output to a file (`to_file`) or to standard output.
    pub fn csv(&self, to_file: bool) -> CsvOptions {
        CsvOptions {
            bom: !self.no_bom && (self.bom || to_file),
        }
    }
}

/// `--long`: the long ("tidy") form of a report for pivot tables.
#[derive(Debug, clap::Args)]
pub struct Long {
    /// Write the long form for pivot tables (with --format csv or xlsx): instead of one
    /// row per item with several values in a cell ("a; b"), one row per item, column and
    /// value, headed KEY..., column, value (and detail: a rule's outcome, a link's support).
    #[arg(long)]
    long: bool,
}

impl Long {
    /// Whether the long form was asked for; an error when the format has no such form.
    pub fn wanted(&self, format: Format) -> Result<bool, xwalk::Error> {
        match (self.long, format) {
            (true, Format::Csv | Format::Xlsx) | (false, _) => Ok(self.long),
            (true, _) => Err(xwalk::Error::Usage(
                "--long is a form of the CSV and XLSX output: add --format csv (or xlsx)".into(),
            )),
        }
    }
}
