//! `xwalk show FW:ID`: one requirement with parent, children and links.

use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The requirement, as FRAMEWORK:ID (e.g. iso27001-2022:A.5.15).
    requirement: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let cw = output::load_crosswalk(dirs)?;
    let detail = cw.detail(cw.resolve_str(&args.requirement)?);
    match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "show"))
        }
        Format::Json => output::print(&report::to_json(&detail)),
        Format::Csv | Format::Xlsx => output::print_table(
            &report::crosswalk::detail_links(&detail, args.format.ids()),
            args.format,
        )?,
        Format::Table => {
            output::print(&report::crosswalk::detail_header(&detail));
            output::print(&format!(
                "test procedures: {} (satisfied only when every one passes)\n",
                detail.procedures.len()
            ));
            if !detail.procedures.is_empty() {
                output::print_table(&report::crosswalk::detail_procedures(&detail), args.format)?;
            }
            output::print(&report::crosswalk::detail_link_count(&detail));
            if !detail.links.is_empty() {
                output::print_table(
                    &report::crosswalk::detail_links(&detail, args.format.ids()),
                    args.format,
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
