//! `xwalk eval`: run the rules over the facts and report coverage and reuse.

use crate::inputs::InputArgs;
use crate::output::{self, Format};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xwalk::report::{self, csv::CsvOptions};
use xwalk::rules::RuleSeverity;
use xwalk::views::results::EvalReport;
use xwalk::Gate;

/// Arguments of `xwalk eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    /// Frameworks to report coverage for (repeatable).
    #[arg(long = "framework", value_name = "FW")]
    pub(crate) frameworks: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub(crate) format: Format,
    /// Directory to write report files to (csv: results, coverage, evidence and diagnostics .csv).
    #[arg(long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
    #[command(flatten)]
    bom: crate::spreadsheet::Bom,
    /// Also write FORMAT to PATH (repeatable: one evaluation, several files): table, json,
    /// sarif, junit, oscal, html (the auditor's page), xlsx (a workbook) or csv (PATH a
    /// directory). What --format names still goes to standard output or --out.
    #[arg(long = "output", value_name = "FORMAT:PATH", value_parser = crate::outputs::parse)]
    pub(crate) outputs: Vec<crate::outputs::Output>,
    /// Exit 1 when any framework's satisfied share is below PCT (0-100).
    #[arg(long, value_name = "PCT", value_parser = xwalk::assessment::parse_percent)]
    pub(crate) min_coverage: Option<f64>,
    /// Exit 1 only for failures of at least this severity (major, minor, ofi).
    #[arg(long, value_name = "SEVERITY", default_value = "ofi")]
    pub(crate) fail_on: RuleSeverity,
    /// Evaluate only shard K of N of the --facts directory and write its partial result
    /// (JSON) for `xwalk merge`; see docs/scaling.md.
    #[arg(long, value_name = "K/N", value_parser = xwalk::facts::shard::Shard::parse)]
    pub(crate) shard: Option<xwalk::facts::shard::Shard>,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let mut inputs = args.inputs.inputs(dirs, &args.frameworks);
    if args.shard.is_some() {
        inputs.shard = args.shard;
        return crate::shard::write_partial(&inputs, args);
    }
    let bar = crate::progress::Bar::new();
    let assessment = crate::shard::assess(&inputs, &args.inputs.from_shards, &bar)?;
    report(args, &assessment)
}

/// Judge an assessment and write what `eval` writes: a run's, or a merge of shards'.
pub fn report(args: &Args, assessment: &xwalk::Assessment) -> Result<ExitCode, xwalk::Error> {
    let gate = assessment.gate(&Gate {
        min_coverage: args.min_coverage,
        fail_on: args.fail_on,
    })?;
    let mut report = assessment.results()?;
    report.gate = Some(gate.clone());
    write(&report, args, assessment)?;
    crate::outputs::write_all(
        &args.outputs,
        &report,
        assessment,
        args.inputs.facts.as_deref(),
        args.bom.csv(true),
    )?;
    // The report lists what it could not use; so does standard error, as for every command.
    for d in &report.diagnostics {
        crate::terminal::problem(&format!("{d}\n"));
    }
    crate::terminal::problem(&report::eval::gate_lines(&gate));
    Ok(output::exit_for(gate.verdict))
}

fn write(
    report: &EvalReport<'_>,
    args: &Args,
    assessment: &xwalk::Assessment,
) -> Result<(), xwalk::Error> {
    let csv: CsvOptions = args.bom.csv(true);
    match (args.format, &args.out) {
        (Format::Csv, None) => Err(xwalk::Error::Usage(
            "--format csv writes results.csv, coverage.csv, evidence.csv and diagnostics.csv: give --out DIR".into(),
        )),
        (Format::Csv, Some(dir)) => write_csv_dir(report, dir, csv),
        (Format::Xlsx, None) => Err(xwalk::Error::Usage(
            "--format xlsx writes report.xlsx: give --out DIR".into(),
        )),
        (Format::Xlsx, Some(dir)) => {
            create_dir(dir)?;
            crate::xlsx::write_eval(report, assessment, &dir.join("report.xlsx"))
        }
        (Format::Table, None) => {
            let view = crate::terminal::view();
            crate::terminal::print_table_text(&report::eval::render_text_with(report, &view));
            Ok(())
        }
        (format, out) => {
            let facts = args.inputs.facts.as_deref();
            match crate::outputs::one_file(format, report, assessment, facts) {
                Some((name, text)) => emit(out.as_deref(), name, &text),
                None => Ok(()),
            }
        }
    }
}

/// The CSV files of an evaluation into a directory, all or none.
pub fn write_csv_dir(
    report: &EvalReport<'_>,
    dir: &Path,
    csv: CsvOptions,
) -> Result<(), xwalk::Error> {
    let rendered: Vec<(PathBuf, Vec<u8>)> = report::eval::csv_files(report)
        .iter()
        .map(|(name, table)| (dir.join(name), report::csv::render(table, csv)))
        .collect();
    create_dir(dir)?;
    report::write::atomic_all(&rendered)?;
    crate::terminal::note(&format!(
        "wrote {} to {}\n",
        report::eval::CSV_FILES.join(", "),
        dir.display()
    ));
    Ok(())
}

fn create_dir(dir: &Path) -> Result<(), xwalk::Error> {
    std::fs::create_dir_all(dir).map_err(|e| xwalk::Error::io(&dir.display().to_string(), e))
}

fn emit(out: Option<&Path>, name: &str, text: &str) -> Result<(), xwalk::Error> {
    match out {
        Some(dir) => {
            create_dir(dir)?;
            report::write::atomic(&dir.join(name), text.as_bytes())
        }
        None => output::emit(None, text.as_bytes()),
    }
}
