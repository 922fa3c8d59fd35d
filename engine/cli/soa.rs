//! `xwalk soa`: the Statement of Applicability with measured implementation and defects.

use crate::assessment::{assess, FileOutput};
use crate::eval::Inputs;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;
use xwalk::soa::{ISO_2013, ISO_2022};

/// Arguments of `xwalk soa`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Output format (csv: exactly one row per Annex A control, for a spreadsheet).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 1 when the SoA has defects, 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let assessed = assess(&args.inputs, dirs)?;
    let l = &assessed.loaded;
    let soa = assessed.soa()?;
    // Every other framework the controls may serve, in manifest order.
    let others: Vec<String> = l
        .crosswalk
        .frameworks()
        .iter()
        .map(|f| f.id.clone())
        .filter(|id| id != ISO_2022 && id != ISO_2013)
        .collect();
    let bytes = match args.format {
        Format::Table => report::soa::render_text(&soa, &others).into_bytes(),
        Format::Json => report::to_json(&soa).into_bytes(),
        Format::Csv => {
            for d in soa.document_defects() {
                eprintln!("{} {}: {}", d.code, d.kind.name(), d.message);
            }
            report::csv::render(&report::soa::csv_table(&soa, &others), args.output.csv())
        }
    };
    args.output.emit(&bytes)?;
    assessed.print_input_problems();
    Ok(if assessed.has_input_errors() {
        output::exit_input()
    } else if soa.has_defects() {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    })
}
