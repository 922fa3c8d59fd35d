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
    /// Print diagnostics as JSON.
    #[arg(long)]
    json: bool,
}

/// Run the command: exit 1 when a document breaks its schema, 2 when a file does not parse.
pub fn check(args: &CheckArgs) -> Result<ExitCode, xwalk::Error> {
    let facts = FactsSet::load_dir(&args.dir)?;
    let schemas = SchemaSet::builtin()?;
    let result = schemas.check(&facts);
    if args.json {
        output::print(&report::to_json(&result.diagnostics));
    } else {
        for d in &result.diagnostics {
            output::print(&format!("{d}\n"));
        }
        output::print(&format!(
            "{} document(s) checked against the vocabulary, {} of custom kinds, {} problem(s)\n",
            result.checked,
            result.custom.len(),
            result.diagnostics.len()
        ));
    }
    Ok(if !facts.diagnostics.is_empty() {
        output::exit_input()
    } else if result.diagnostics.is_empty() {
        ExitCode::SUCCESS
    } else {
        output::exit_findings()
    })
}
