//! `xwalk check [RULES_DIR]`: compile every rule and validate its metadata without running it.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::authoring::{self, RuleSources};
use xwalk::report;

/// Output format of `xwalk check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum CheckFormat {
    /// Diagnostics with the source line underlined.
    #[default]
    #[value(alias = "text")]
    Table,
    /// Diagnostics as a JSON array.
    Json,
    /// SARIF 2.1.0 (code-scanning upload).
    Sarif,
}

/// Arguments of `xwalk check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rules directory (the same as --rules DIR).
    #[arg(value_name = "RULES_DIR")]
    rules_dir: Option<PathBuf>,
    /// Rules directory (repeatable; default: the built-in library).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: CheckFormat,
}

/// Run the command: exit 1 when there are errors.
pub fn run(args: &Args, crosswalk_dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let crosswalk = output::load_crosswalk(crosswalk_dirs)?;
    let dirs: Vec<PathBuf> = args.rules_dir.iter().chain(&args.rules).cloned().collect();
    let sources = RuleSources::read_dirs(&dirs)?;
    let diags = authoring::check(&sources, &crosswalk);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match args.format {
        CheckFormat::Json => output::print(&report::to_json(&diags)),
        CheckFormat::Sarif => output::print(&report::to_json(&report::sarif::render(&diags))),
        CheckFormat::Table => {
            output::print(&report::snippets::render(&diags, &sources.rules));
            output::print(&format!(
                "{} checked: {}, {}\n",
                xwalk::report::counted(sources.rule_count(), "rule"),
                xwalk::report::counted(errors, "error"),
                xwalk::report::counted(diags.len() - errors, "warning")
            ));
        }
    }
    Ok(if errors > 0 {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    })
}
