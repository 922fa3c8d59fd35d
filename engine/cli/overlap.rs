//! `xwalk overlap FW_A FW_B [--detail]`: coverage of each framework by the other.

use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk overlap`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// First framework id.
    a: String,
    /// Second framework id.
    b: String,
    /// List every requirement with what covers it.
    #[arg(long)]
    detail: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let cw = output::load_crosswalk(dirs)?;
    cw.framework(&args.a)?;
    cw.framework(&args.b)?;
    let overlap = cw.overlap(&args.a, &args.b);
    match args.format {
        Format::Json => output::print(&report::to_json(&overlap)),
        Format::Csv if args.detail => {
            output::print_table(&report::crosswalk::overlap_detail(&overlap), args.format)
        }
        Format::Csv => {
            output::print_table(&report::crosswalk::overlap_summary(&overlap), args.format)
        }
        Format::Table => {
            output::print_table(&report::crosswalk::overlap_summary(&overlap), args.format);
            output::print("\n");
            output::print(&report::crosswalk::overlap_verdict(&overlap));
            if args.detail {
                output::print("\n");
                output::print_table(&report::crosswalk::overlap_detail(&overlap), args.format);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
