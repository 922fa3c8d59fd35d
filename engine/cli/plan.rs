//! `xwalk plan`: one evidence request list for several frameworks, ordered by greedy set cover.

use crate::inputs::{print_input_problems, problems, InputArgs};
use crate::output::FileOutput;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: InputArgs,
    /// Frameworks to plan the audit for (repeatable; default iso27001-2022 and soc2-2017).
    #[arg(long = "framework", value_name = "FW")]
    frameworks: Vec<String>,
    /// Output format (csv: the request list).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// List every test procedure instead: automated or manual, its status, what to
    /// collect, from whom, how often, and the request covering it.
    #[arg(long)]
    procedures: bool,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let assessment = args.inputs.assess(dirs, &args.frameworks)?;
    if args.procedures {
        let items = assessment.evidence_list()?;
        let table = report::plan::evidence_table(&items.procedures);
        match args.format {
            Format::Table => args.output.emit(table.render_text().as_bytes())?,
            Format::Json => args
                .output
                .emit(report::to_json_with_problems(&items, &problems(&assessment)).as_bytes())?,
            Format::Csv => args.output.emit_csv(
                report::csv::render(&table, args.output.csv()),
                &problems(&assessment),
            )?,
        }
        print_input_problems(&assessment);
        return Ok(if assessment.has_input_errors() {
            output::exit_input()
        } else {
            ExitCode::SUCCESS
        });
    }
    let plan = assessment.plan()?;
    let bytes = match args.format {
        Format::Table => report::plan::render_text(&plan).into_bytes(),
        Format::Json => report::to_json_with_problems(&plan, &problems(&assessment)).into_bytes(),
        Format::Csv => {
            let csv = report::csv::render(&report::plan::csv_table(&plan), args.output.csv());
            args.output.emit_csv(csv, &problems(&assessment))?;
            Vec::new()
        }
    };
    if args.format != Format::Csv {
        args.output.emit(&bytes)?;
    }
    print_input_problems(&assessment);
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
