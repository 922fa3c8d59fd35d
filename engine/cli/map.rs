//! `xwalk map FW:ID [--to FW] [--via FW]`: what satisfying a requirement gives elsewhere.

use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk map`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The requirement, as FRAMEWORK:ID (e.g. iso27001-2022:A.5.15).
    requirement: String,
    /// Only show targets in this framework.
    #[arg(long, value_name = "FW")]
    to: Option<String>,
    /// Also follow links through this framework (two hops; coverage stays partial unless both hops are full).
    #[arg(long, value_name = "FW")]
    via: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let cw = output::load_crosswalk(dirs)?;
    let start = cw.resolve_str(&args.requirement)?;
    for fw in [&args.to, &args.via].into_iter().flatten() {
        cw.framework(fw)?;
    }
    let mapping = cw.map(start, args.to.as_deref(), args.via.as_deref());
    match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "map"))
        }
        Format::Json => output::print(&report::to_json(&mapping)),
        Format::Csv | Format::Xlsx => output::print_table(
            &report::crosswalk::mapping(&mapping, args.format.ids()),
            args.format,
        )?,
        Format::Table => {
            output::print(&format!(
                "{}  {}\nsatisfying it gives:\n",
                mapping.requirement, mapping.title
            ));
            if mapping.targets.is_empty() {
                output::print("nothing: no links to other frameworks\n");
            } else {
                output::print_table(
                    &report::crosswalk::mapping(&mapping, args.format.ids()),
                    args.format,
                )?;
                output::print("\n");
                output::print(&report::crosswalk::mapping_totals(&mapping));
            }
            if !mapping.disputed.is_empty() {
                output::print("\npublished pairings xwalk disputes (not followed):\n");
                output::print_table(&report::crosswalk::mapping_disputed(&mapping), args.format)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
