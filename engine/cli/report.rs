//! `xwalk report --format html --out FILE`: one self-contained HTML page for auditors.

use crate::inputs::{print_input_problems, InputArgs};
use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;

/// Output formats of `xwalk report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// One self-contained HTML file (inline CSS and SVG, no scripts, no network).
    #[default]
    Html,
}

/// Arguments of `xwalk report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    /// Frameworks to report coverage and overlap for (repeatable; default all three).
    #[arg(long = "framework", value_name = "FW")]
    frameworks: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// The file to write (atomically).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Run the command: exit 0, or 2 when inputs are unusable.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let assessment = args.inputs.assess(dirs, &args.frameworks)?;
    print_input_problems(&assessment);
    let page = match args.format {
        Format::Html => assessment.html()?,
    };
    xwalk::report::write::atomic(&args.out, page.as_bytes())?;
    crate::terminal::note(&format!("wrote {}\n", args.out.display()));
    Ok(if assessment.has_input_errors() {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
