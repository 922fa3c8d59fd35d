//! `xwalk import hr-roster`.

use super::{read, Common};
use std::path::PathBuf;
use xwalk::import::{hr_roster, Imported};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The roster report (CSV).
    file: PathBuf,
    /// The mapping from the roster's columns to the people fields (TOML; see docs/importing.md).
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

impl Args {
    pub fn import(&self) -> Result<Imported, xwalk::Error> {
        let Some(mapping) = &self.mapping else {
            return Err(xwalk::Error::Usage(
                "an HR roster's columns differ per system: give --mapping FILE (docs/importing.md)"
                    .into(),
            ));
        };
        let mapping = hr_roster::Mapping::parse(&read(mapping)?)?;
        hr_roster::import(&read(&self.file)?, &mapping, &self.common.options())
    }
}
