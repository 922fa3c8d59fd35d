//! `xwalk transition SOA_2013.csv`: a draft ISO 27001:2022 SoA from a 2013 one.

use crate::output::FileOutput;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk transition`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The 2013 SoA as CSV: control, applicable, justification, implementation, evidence.
    file: PathBuf,
    /// Output format (csv: the draft 2022 SoA in the same columns, to edit and import).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when the CSV has errors (each named by file and line).
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let crosswalk = output::load_crosswalk(dirs)?;
    let transition = xwalk::assessment::transition(&crosswalk, &args.file)?;
    let bytes = match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "transition"))
        }
        Format::Table => {
            args.output
                .emit_text(&report::transition::render_text_with(
                    &transition,
                    &args.output.view(),
                ))?;
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => report::to_json(&transition).into_bytes(),
        Format::Csv => report::csv::render(
            &report::transition::csv_table(&transition),
            args.output.csv(),
        ),
        Format::Xlsx => {
            args.output
                .emit_xlsx(&report::transition::csv_table(&transition))?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    args.output.emit(&bytes)?;
    Ok(ExitCode::SUCCESS)
}
