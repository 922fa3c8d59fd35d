//! `xwalk soa`: the Statement of Applicability with measured implementation and defects.

use crate::inputs::{print_input_problems, problems, InputArgs};
use crate::output::FileOutput;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;

/// Arguments of `xwalk soa`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    /// Output format (csv: exactly one row per Annex A control, for a spreadsheet).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    long: crate::spreadsheet::Long,
    #[command(flatten)]
    output: FileOutput,
}

/// Run the command: exit 1 when the SoA has defects, 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let long = args.long.wanted(args.format)?;
    let assessment = args.inputs.assess(dirs, &[])?;
    let soa = assessment.soa()?;
    let others = assessment.soa_served_frameworks();
    let sheet = match long {
        true => report::soa::csv_long(&soa, &others, args.format.ids()),
        false => report::soa::csv_table(&soa, &others, args.format.ids()),
    };
    let bytes = match args.format {
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(args.format, "soa"))
        }
        Format::Table => {
            args.output.emit_text(&report::soa::render_text_with(
                &soa,
                &others,
                &args.output.view(),
            ))?;
            print_input_problems(&assessment);
            return Ok(exit(&assessment, soa.has_defects()));
        }
        Format::Json => report::to_json_with_problems(&soa, &problems(&assessment)).into_bytes(),
        Format::Xlsx => {
            args.output.emit_xlsx(&sheet)?;
            print_input_problems(&assessment);
            return Ok(exit(&assessment, soa.has_defects()));
        }
        Format::Csv => {
            for d in soa.document_defects() {
                output::eprint(&format!("{} {}: {}\n", d.code, d.kind.name(), d.message));
            }
            let csv = report::csv::render(&sheet, args.output.csv());
            args.output.emit_csv(csv, &problems(&assessment))?;
            print_input_problems(&assessment);
            return Ok(exit(&assessment, soa.has_defects()));
        }
    };
    args.output.emit(&bytes)?;
    print_input_problems(&assessment);
    Ok(exit(&assessment, soa.has_defects()))
}

fn exit(assessment: &xwalk::Assessment, defects: bool) -> ExitCode {
    if assessment.has_input_errors() {
        output::exit_input()
    } else if defects {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    }
}
