//! `xwalk test [RULES_DIR]`: run rule test cases like a test runner.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::authoring::{self, RuleSources};
use xwalk::report;

/// Output format of `xwalk test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum TestFormat {
    /// One line per case and a summary.
    #[default]
    #[value(alias = "text")]
    Table,
    /// JUnit XML for CI.
    Junit,
}

/// Arguments of `xwalk test`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rules directory (the same as --rules DIR).
    #[arg(value_name = "RULES_DIR")]
    rules_dir: Option<PathBuf>,
    /// Rules directory (repeatable; default: the built-in library).
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    /// Only cases whose rule id, test file or name contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: TestFormat,
}

/// Run the command: exit 1 when a case fails, 2 when a test file is unusable (nothing
/// about its rule can be concluded).
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let dirs: Vec<PathBuf> = args.rules_dir.iter().chain(&args.rules).cloned().collect();
    let sources = RuleSources::read_dirs(&dirs)?;
    let run = authoring::test(&sources, args.filter.as_deref());
    match args.format {
        TestFormat::Junit => output::print(&report::junit::render(&run)),
        TestFormat::Table => crate::terminal::print_table_text(&report::junit::render_text(&run)),
    }
    let broken = run.diagnostics.iter().any(|d| d.is_error());
    Ok(if broken {
        output::exit_input()
    } else if run.failed() > 0 {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    })
}
