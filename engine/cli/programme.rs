//! `xwalk programme`: the three-year ISO 27001 certification cycle as a plan.

use crate::drivers::DriverArgs;
use crate::inputs::{print_input_problems, problems, InputArgs};
use crate::output::{self, FileOutput};
use std::process::ExitCode;
use xwalk::report;

/// Output formats of `xwalk programme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON (schema xwalk.programme.v1).
    Json,
    /// One row per audit and clause or control, for a spreadsheet.
    Csv,
}

/// Arguments of `xwalk programme`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    #[command(flatten)]
    pub(crate) drivers: DriverArgs,
    /// Stage 1 date (YYYY-MM-DD). Default: the evaluation date when ready for Stage 1 and
    /// Stage 2, else so that Stage 2 falls at the end of the readiness timeline.
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    start: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[std::path::PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let assessment = args.inputs.assess(dirs, &[])?;
    let programme = assessment.programme(args.start, &args.drivers.drivers())?;
    let problems = problems(&assessment);
    match args.format {
        Format::Table => args
            .output
            .emit_text(&report::programme::render_text(&programme))?,
        Format::Json => args
            .output
            .emit(report::to_json_with_problems(&programme, &problems).as_bytes())?,
        Format::Csv => {
            let table = report::programme::csv_table(&programme);
            args.output
                .emit_csv(report::csv::render(&table, args.output.csv()), &problems)?
        }
    }
    print_input_problems(&assessment);
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
