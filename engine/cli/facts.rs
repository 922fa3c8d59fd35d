//! `xwalk facts check DIR`: validate facts files against the standard vocabulary.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::facts::{schema::SchemaSet, FactsSet};
use xwalk::report;

/// Arguments of `xwalk facts check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Facts directory.
    dir: PathBuf,
    /// Output format (table, json, csv, xlsx).
    #[arg(long, value_enum, default_value_t)]
    format: output::Format,
    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true)]
    json: bool,
}

/// Run the command: exit 1 when a document breaks its schema, 2 when a file does not parse.
pub fn check(args: &CheckArgs) -> Result<ExitCode, xwalk::Error> {
    let facts = FactsSet::load_dir(&args.dir)?;
    let schemas = SchemaSet::builtin()?;
    let result = schemas.check(&facts);
    let format = if args.json {
        output::Format::Json
    } else {
        args.format
    };
    let summary = format!(
        "{} checked against the vocabulary, {} of custom kinds, {}\n",
        report::counted(result.checked, "document"),
        result.custom.len(),
        report::counted(result.diagnostics.len(), "problem")
    );
    crate::diagnostics::print(&result.diagnostics, format, "facts check", &summary)?;
    Ok(if !facts.diagnostics.is_empty() {
        output::exit_input()
    } else if result.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        output::exit_findings()
    })
}
