//! `xwalk plan`: one evidence request list for several frameworks, ordered by greedy set cover.

use crate::assessment::{assess, FileOutput};
use crate::eval::Inputs;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Frameworks planned when `--framework` is not given.
const DEFAULT_FRAMEWORKS: [&str; 2] = ["iso27001-2022", "soc2-2017"];

/// Arguments of `xwalk plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Frameworks to plan the audit for (repeatable; default iso27001-2022 and soc2-2017).
    #[arg(long = "framework", value_name = "FW")]
    frameworks: Vec<String>,
    /// Output format (csv: the request list).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let frameworks = output::frameworks_or(&args.frameworks, &DEFAULT_FRAMEWORKS);
    let assessed = assess(&args.inputs, dirs)?;
    let l = &assessed.loaded;
    for fw in &frameworks {
        l.crosswalk.framework(fw)?;
    }
    let coverage = xwalk::coverage::compute(
        &l.crosswalk,
        &l.rules,
        &assessed.evaluation,
        l.facts.resident(),
        &frameworks,
    );
    let plan = xwalk::plan::build(
        &l.crosswalk,
        &l.rules,
        &assessed.evaluation,
        &coverage,
        &frameworks,
    )?;
    let bytes = match args.format {
        Format::Table => report::plan::render_text(&plan).into_bytes(),
        Format::Json => report::to_json(&plan).into_bytes(),
        Format::Csv => report::csv::render(&report::plan::csv_table(&plan), args.output.csv()),
    };
    args.output.emit(&bytes)?;
    assessed.print_input_problems();
    Ok(if assessed.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
