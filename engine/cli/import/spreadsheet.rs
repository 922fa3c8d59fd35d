//! `xwalk import spreadsheet`.

use super::{read, Common};
use std::path::PathBuf;
use xwalk::import::{spreadsheet, Imported};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The register: a CSV file (UTF-8) or an .xlsx workbook.
    file: PathBuf,
    /// The mapping: the facts kind, the sheet, which column is which field, and how its
    /// values translate (TOML; see docs/importing.md).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

impl Args {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        let Some(mapping) = &self.mapping else {
            return Err(xwalk::Error::Usage(
                "a spreadsheet says nothing of which kind of facts it holds or which column is which: give --mapping FILE (docs/importing.md)".into(),
            ));
        };
        let mapping = spreadsheet::Mapping::parse(&read(mapping)?)?;
        spreadsheet::import_file(&self.file, &mapping, &self.common.options())
    }
}
