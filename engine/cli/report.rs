//! `xwalk report --format html --out FILE`: one self-contained HTML page for auditors.

use crate::assessment::assess;
use crate::eval::{Inputs, DEFAULT_FRAMEWORKS};
use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report::eval::EvalReport;
use xwalk::report::html::{self, HtmlInput};

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
    inputs: Inputs,
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
    let frameworks = output::frameworks_or(&args.frameworks, &DEFAULT_FRAMEWORKS);
    let assessed = assess(&args.inputs, dirs)?;
    for fw in &frameworks {
        assessed.loaded.crosswalk.framework(fw)?;
    }
    let has_input_errors = assessed.has_input_errors();
    assessed.print_input_problems();
    let l = &assessed.loaded;
    // The SoA is built from ISO coverage even when the report leaves ISO out.
    let soa = assessed.soa()?;
    let readiness = xwalk::readiness::build(&l.rules, &assessed.evaluation, &l.facts, &soa);
    let mut overlaps = Vec::new();
    for (i, a) in frameworks.iter().enumerate() {
        for b in &frameworks[i + 1..] {
            overlaps.push(l.crosswalk.overlap(a, b));
        }
    }
    let report = EvalReport::build(
        l.as_of.to_string(),
        &l.crosswalk,
        &l.rules,
        &l.facts,
        assessed.evaluation.clone(),
        &frameworks,
    );
    let title = match &readiness.organisation {
        Some(name) => format!("{name}: compliance report"),
        None => "Compliance report".to_string(),
    };
    let page = html::render(&HtmlInput {
        title: &title,
        report: &report,
        overlaps: &overlaps,
        soa: &soa,
        readiness: &readiness,
    })?;
    match args.format {
        Format::Html => xwalk::report::write::atomic(&args.out, page.as_bytes())?,
    }
    eprintln!("wrote {}", args.out.display());
    Ok(if has_input_errors {
        output::exit_input()
    } else {
        ExitCode::SUCCESS
    })
}
