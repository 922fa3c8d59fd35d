//! `xwalk overlap FW_A FW_B [--detail]`: coverage of each framework by the other.

use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::crosswalk::{OverlapOptions, Scope};
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
    /// Only these parts of a framework (repeatable or comma-separated requirement ids;
    /// for SOC 2 the categories CC, A, C, PI, P). A framework with none of them is compared whole.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    scope: Vec<String>,
    /// Count only links of at least this strength (1-10).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=10))]
    min_strength: u8,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let cw = output::load_crosswalk(dirs)?;
    cw.framework(&args.a)?;
    cw.framework(&args.b)?;
    let options = OverlapOptions {
        scope: Scope::new(&args.scope),
        min_strength: args.min_strength,
    };
    options.scope.check(&cw, &[&args.a, &args.b])?;
    let overlap = cw.overlap_with(&args.a, &args.b, &options);
    match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "overlap"))
        }
        Format::Json => output::print(&report::to_json(&overlap)),
        Format::Csv | Format::Xlsx if args.detail => output::print_table(
            &report::crosswalk::overlap_detail(&overlap, args.format.ids()),
            args.format,
        )?,
        Format::Csv | Format::Xlsx => {
            output::print_table(&report::crosswalk::overlap_summary(&overlap), args.format)?
        }
        Format::Table => {
            output::print_table(&report::crosswalk::overlap_summary(&overlap), args.format)?;
            output::print("\n");
            output::print(&report::crosswalk::overlap_verdict(&overlap));
            if args.detail {
                output::print("\n");
                output::print_table(
                    &report::crosswalk::overlap_detail(&overlap, args.format.ids()),
                    args.format,
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
