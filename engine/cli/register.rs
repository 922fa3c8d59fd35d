//! `xwalk register nonconformities|requests`: the registers an audit runs on.

use crate::inputs::{print_input_problems, problems, InputArgs};
use crate::output::{self, FileOutput, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report::{self, registers};

/// Which register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Every finding graded by extent, with owner, due date, root cause and corrective action.
    Nonconformities,
    /// Every evidence request with owner, due date, the period it covers and its sample.
    Requests,
}

/// Arguments of `xwalk register`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The register to write.
    #[arg(value_enum)]
    which: Which,
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    /// Frameworks the requests serve (repeatable; default iso27001-2022 and soc2-2017).
    #[arg(long = "framework", value_name = "FW")]
    frameworks: Vec<String>,
    /// Due date of every evidence request (default: 30 days after the evaluation date).
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    due: Option<jiff::civil::Date>,
    /// Seed of the sample selection: the same seed and facts choose the same items.
    #[arg(long, value_name = "N", default_value_t = 1)]
    seed: u64,
    /// Output format (csv: every column, for a spreadsheet).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    if matches!(args.format, Format::Sarif | Format::Junit | Format::Oscal) {
        return Err(crate::xlsx::not_for(args.format, "register"));
    }
    let assessment = args.inputs.assess(dirs, &args.frameworks)?;
    let problems = problems(&assessment);
    let ids = args.format.ids();
    let (json, summary, table, full) = match args.which {
        Which::Nonconformities => {
            let r = assessment.nonconformities()?;
            (
                report::to_json_with_problems(&r, &problems),
                registers::nonconformity_summary(&r),
                registers::nonconformity_table(&r, false),
                registers::nonconformity_table(&r, true),
            )
        }
        Which::Requests => {
            let r = assessment.requests(args.due, args.seed)?;
            (
                report::to_json_with_problems(&r, &problems),
                registers::request_summary(&r),
                registers::request_table(&r, false, ids),
                registers::request_table(&r, true, ids),
            )
        }
    };
    match args.format {
        Format::Json => args.output.emit(json.as_bytes())?,
        Format::Csv => args
            .output
            .emit_csv(report::csv::render(&full, args.output.csv()), &problems)?,
        Format::Xlsx => args.output.emit_xlsx(&full)?,
        _ => {
            let mut text = summary;
            text.push('\n');
            text.push_str(&table.render(&args.output.view()));
            args.output.emit_text(&text)?
        }
    }
    print_input_problems(&assessment);
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
