//! `xwalk readiness`: Stage 1 and Stage 2 readiness, graded findings, common gaps, an estimate.

use crate::inputs::{print_input_problems, problems, InputArgs};
use crate::output;
use crate::output::emit;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Output formats of `xwalk readiness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON.
    Json,
}

/// Arguments of `xwalk readiness`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    #[command(flatten)]
    pub(crate) drivers: crate::drivers::DriverArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Run the command: exit 0 when ready for Stage 1 and Stage 2, 1 otherwise, 2 on unusable input.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let assessment = args.inputs.assess(dirs, &[])?;
    let readiness = assessment.readiness_with(&args.drivers.drivers())?;
    match args.format {
        Format::Table => output::emit_text(
            args.out.as_deref(),
            &report::readiness::render_text(&readiness),
        )?,
        Format::Json => emit(
            args.out.as_deref(),
            report::to_json_with_problems(&readiness, &problems(&assessment)).as_bytes(),
        )?,
    }
    print_input_problems(&assessment);
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else if readiness.stage2.ready {
        ExitCode::SUCCESS
    } else {
        output::exit_findings()
    })
}
