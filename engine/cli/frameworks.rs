//! `xwalk frameworks`: frameworks, counts by kind, link sets.

use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk frameworks`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let cw = output::load_crosswalk(dirs)?;
    let summaries = cw.summaries();
    let sets = cw.link_sets();
    match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "frameworks"))
        }
        Format::Json => output::print(&report::to_json(&serde_json::json!({
            "frameworks": summaries,
            "link_sets": sets,
        }))),
        Format::Csv | Format::Xlsx => {
            output::print_table(&report::crosswalk::frameworks(&summaries), args.format)?
        }
        Format::Table => {
            output::print_table(&report::crosswalk::frameworks(&summaries), args.format)?;
            output::print("\n");
            output::print_table(&report::crosswalk::link_sets(&sets), args.format)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
