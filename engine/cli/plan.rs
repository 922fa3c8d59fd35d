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
    pub(crate) inputs: InputArgs,
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
    long: crate::spreadsheet::Long,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let long = args.long.wanted(args.format)?;
    let assessment = args.inputs.assess(dirs, &args.frameworks)?;
    let problems = problems(&assessment);
    let view = if args.procedures {
        View::Procedures(assessment.evidence_list()?)
    } else {
        View::Plan(assessment.plan()?)
    };
    match (args.format, &view) {
        (Format::Table, View::Plan(plan)) => args
            .output
            .emit_text(&report::plan::render_text_with(plan, &args.output.view()))?,
        (Format::Json, View::Plan(plan)) => args
            .output
            .emit(report::to_json_with_problems(plan, &problems).as_bytes())?,
        (Format::Json, View::Procedures(list)) => args
            .output
            .emit(report::to_json_with_problems(list, &problems).as_bytes())?,
        (format, view) => {
            let ids = format.ids();
            let table = match (view, long) {
                (View::Plan(plan), false) => report::plan::csv_table(plan, ids),
                (View::Plan(plan), true) => report::plan::csv_long(plan, ids),
                (View::Procedures(list), false) => {
                    report::plan::evidence_table(&list.procedures, ids)
                }
                (View::Procedures(list), true) => {
                    report::plan::evidence_long(&list.procedures, ids)
                }
            };
            match format {
                Format::Csv => args
                    .output
                    .emit_csv(report::csv::render(&table, args.output.csv()), &problems)?,
                Format::Xlsx => args.output.emit_xlsx(&table)?,
                _ => args.output.emit_text(&table.render(&args.output.view()))?,
            }
        }
    }
    print_input_problems(&assessment);
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}

/// What `xwalk plan` shows: the request list, or with `--procedures` the evidence list.
enum View {
    Plan(xwalk::views::plan::Plan),
    Procedures(xwalk::views::evidence::EvidenceList),
}
