//! `xwalk import prowler-ocsf`.

use super::{read_all, Common};
use std::path::PathBuf;
use xwalk::import::{prowler, Imported};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Prowler's OCSF JSON output (`prowler aws -M json-ocsf`), one file per scan.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

impl Args {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        prowler::import(&read_all(&self.files)?, &self.common.options())
    }
}
