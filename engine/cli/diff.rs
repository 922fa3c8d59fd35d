//! `xwalk diff OLD NEW`: what changed between two saved `xwalk eval --format json` reports.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report;
use xwalk::views::diff::{self, Change, FailOn};

/// Output formats of `xwalk diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON (`xwalk.diff.v1`).
    Json,
    /// One self-contained HTML page (inline CSS, no scripts, no network).
    Html,
}

/// Arguments of `xwalk diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier saved report (`xwalk eval --format json`).
    old: PathBuf,
    /// The later saved report.
    new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Exit 1 for new findings of at least this severity (major, minor, ofi), or none to
    /// report only; a regression (a check that passed and now fails) exits 1 unless none.
    #[arg(long, value_name = "SEVERITY", default_value = "major")]
    fail_on: FailOn,
}

/// Run the command: exit 0 when nothing regressed and no new finding reaches `--fail-on`,
/// 1 otherwise, 2 when a file is not a saved eval report.
pub fn run(args: &Args) -> Result<ExitCode, xwalk::Error> {
    let d = diff::compare(&args.old, &args.new)?;
    match args.format {
        Format::Table => {
            let view = match args.out {
                Some(_) => crate::terminal::file_view(),
                None => crate::terminal::view(),
            };
            output::emit_text(
                args.out.as_deref(),
                &report::diff::render_text_with(&d, &view),
            )?
        }
        Format::Json => output::emit(args.out.as_deref(), report::to_json(&d).as_bytes())?,
        Format::Html => output::emit(
            args.out.as_deref(),
            report::diff::render_html(&d)?.as_bytes(),
        )?,
    }
    if let Some(path) = &args.out {
        crate::terminal::note(&format!("wrote {}\n", path.display()));
    }
    for w in &d.warnings {
        crate::terminal::problem(&format!("warning: {w}\n"));
    }
    let gating = d.gating(args.fail_on);
    if gating.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let regressed = gating
        .iter()
        .filter(|f| f.change == Change::Regressed)
        .count();
    let new = gating.len() - regressed;
    let threshold = match args.fail_on {
        FailOn::Severity(s) => s.to_string(),
        FailOn::None => "none".to_string(),
    };
    crate::terminal::problem(&format!(
        "xwalk diff: {} and {} at or above {threshold} (--fail-on)\n",
        report::counted_as(regressed, "regression", "regressions"),
        report::counted_as(new, "new finding", "new findings"),
    ));
    Ok(output::exit_findings())
}
