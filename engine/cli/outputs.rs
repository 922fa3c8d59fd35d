//! `--output FORMAT:PATH` (repeatable): several outputs of one evaluation, each written
//! atomically to its own file, so CI evaluates once and feeds every consumer.

use crate::output::Format;
use std::path::{Path, PathBuf};
use xwalk::report;
use xwalk::views::results::EvalReport;

/// What an `--output` writes: one of the `--format`s, or the auditor's HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A `--format`.
    Format(Format),
    /// `xwalk report`'s page.
    Html,
}

/// One `--output FORMAT:PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// What to write.
    pub target: Target,
    /// Where: a file; for `csv` a directory (results, coverage, evidence, diagnostics).
    pub path: PathBuf,
}

/// The names `--output` takes before the colon.
const NAMES: &str = "table, json, csv, xlsx, sarif, junit, oscal, html";

/// Parse `FORMAT:PATH` (`sarif:out/xwalk.sarif`, `csv:out/csv`).
pub fn parse(text: &str) -> Result<Output, String> {
    let Some((name, path)) = text.split_once(':') else {
        return Err(format!(
            "write FORMAT:PATH, e.g. sarif:xwalk.sarif (FORMAT is one of {NAMES})"
        ));
    };
    if path.is_empty() {
        return Err(format!("no path after `{name}:`"));
    }
    let target = match name {
        "html" => Target::Html,
        _ => match <Format as clap::ValueEnum>::from_str(name, true) {
            Ok(f) => Target::Format(f),
            Err(_) => return Err(format!("unknown format `{name}` (one of {NAMES})")),
        },
    };
    Ok(Output {
        target,
        path: PathBuf::from(path),
    })
}

/// A format that is one file: its name under `--out DIR` and its text (a text table as
/// written to a file). `None` for CSV (a directory) and XLSX (bytes).
pub fn one_file(
    format: Format,
    report: &EvalReport<'_>,
    assessment: &xwalk::Assessment,
    facts: Option<&Path>,
) -> Option<(&'static str, String)> {
    Some(match format {
        Format::Table => (
            "report.txt",
            report::eval::render_text_with(report, &crate::terminal::file_view()),
        ),
        Format::Json => ("report.json", report::to_json(report)),
        Format::Sarif => (
            "report.sarif",
            crate::xlsx::sarif(report, assessment, facts),
        ),
        Format::Junit => ("report.junit.xml", report::junit::render_eval(report)),
        Format::Oscal => (
            "assessment-results.json",
            report::to_json(&report::oscal::assessment_results(report)),
        ),
        Format::Csv | Format::Xlsx => return None,
    })
}

/// Write each output; the first failure stops with its error, naming the path.
pub fn write_all(
    outputs: &[Output],
    report: &EvalReport<'_>,
    assessment: &xwalk::Assessment,
    facts: Option<&Path>,
    csv: report::csv::CsvOptions,
) -> Result<(), xwalk::Error> {
    for o in outputs {
        match o.target {
            Target::Html => report::write::atomic(&o.path, assessment.html()?.as_bytes())?,
            Target::Format(Format::Xlsx) => crate::xlsx::write_eval(report, assessment, &o.path)?,
            Target::Format(Format::Csv) => crate::eval::write_csv_dir(report, &o.path, csv)?,
            Target::Format(format) => {
                if let Some((_, text)) = one_file(format, report, assessment, facts) {
                    report::write::atomic(&o.path, text.as_bytes())?;
                }
            }
        }
        if !matches!(o.target, Target::Format(Format::Xlsx | Format::Csv)) {
            crate::terminal::note(&format!("wrote {}\n", o.path.display()));
        }
    }
    Ok(())
}
