//! `xwalk eval`: run the rules over the facts and report coverage and reuse.

use crate::output::{self, Format};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::eval;
use xwalk::facts::{Corpus, FactsLimits, FactsSet};
use xwalk::report::{self, csv::CsvOptions, eval::EvalReport};
use xwalk::rules::{RuleSet, RuleSeverity};
use xwalk::sandbox::{Limits, Sandbox};

/// Frameworks reported when `--framework` is not given.
pub const DEFAULT_FRAMEWORKS: [&str; 3] = ["iso27001-2022", "soc2-2017", "nist-csf-2.0"];

/// Where facts and rules come from, and the sandbox settings; shared by eval-like commands.
#[derive(Debug, clap::Args)]
pub struct Inputs {
    /// Facts directory (JSON files). Default: the built-in demo organisation.
    #[arg(long, value_name = "DIR")]
    pub facts: Option<PathBuf>,
    /// Rules directory (.rhai files). Default: the built-in rule library.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Evaluation date for every "within N days" check (YYYY-MM-DD). Default: today, or the
    /// demo organisation's own date (2026-06-30) when --facts is not given.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Wall-clock budget per rule evaluation, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub time_budget_ms: u64,
    /// Rhai operations allowed per rule evaluation.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_operations)]
    pub max_operations: u64,
    /// Largest facts file read, in bytes; larger files are reported (XW0303) and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = xwalk::facts::MAX_FACTS_FILE_BYTES)]
    pub max_facts_bytes: u64,
}

/// Everything loaded for an evaluation.
pub struct Loaded {
    pub crosswalk: xwalk::Crosswalk,
    pub sandbox: Sandbox,
    pub rules: RuleSet,
    pub facts: Corpus,
    pub as_of: jiff::civil::Date,
}

impl Inputs {
    /// Load crosswalk, rules and facts as the flags say.
    pub fn load(&self, crosswalk_dirs: &[PathBuf]) -> Result<Loaded, xwalk::Error> {
        self.load_for(crosswalk_dirs, self.facts.is_none())
    }

    /// Load as [`Inputs::load`]; `demo` says whether the built-in demo facts are evaluated,
    /// which decides the default evaluation date.
    pub fn load_for(&self, crosswalk_dirs: &[PathBuf], demo: bool) -> Result<Loaded, xwalk::Error> {
        if let Some(n) = self.threads {
            // Only the first call in a process sets the pool; later calls keep it.
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build_global();
        }
        let crosswalk = output::load_crosswalk(crosswalk_dirs)?;
        let as_of = match &self.as_of {
            Some(text) => xwalk::sandbox::helpers::parse_date(text).ok_or_else(|| {
                xwalk::Error::Usage(format!("--as-of `{text}` is not a date; write YYYY-MM-DD"))
            })?,
            None if demo => xwalk::sandbox::helpers::parse_date(xwalk::builtin::DEMO_AS_OF)
                .unwrap_or_else(|| jiff::Zoned::now().date()),
            None => jiff::Zoned::now().date(),
        };
        let limits = Limits {
            time_budget: std::time::Duration::from_millis(self.time_budget_ms),
            max_operations: self.max_operations,
            ..Limits::default()
        };
        let sandbox = Sandbox::new(limits, as_of);
        let mut rules = match &self.rules {
            Some(dir) => RuleSet::load_dir(dir, &sandbox)?,
            None => RuleSet::builtin(&sandbox),
        };
        rules
            .diagnostics
            .extend(rules.check_requirements(&crosswalk));
        xwalk::diag::sort(&mut rules.diagnostics);
        let facts = match &self.facts {
            Some(dir) => Corpus::scan_dir_with(
                dir,
                &rules.resident_kinds(),
                &FactsLimits {
                    max_file_bytes: self.max_facts_bytes,
                    ..FactsLimits::default()
                },
            )?,
            None => Corpus::from_set(FactsSet::from_texts(&xwalk::builtin::demo_facts())),
        };
        Ok(Loaded {
            crosswalk,
            sandbox,
            rules,
            facts,
            as_of,
        })
    }
}

/// Arguments of `xwalk eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    inputs: Inputs,
    /// Frameworks to report coverage for (repeatable).
    #[arg(long = "framework", value_name = "FW")]
    frameworks: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    /// Directory to write report files to (csv: results.csv, coverage.csv, evidence.csv).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Start CSV files with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    bom: bool,
    /// Exit 1 when any framework's satisfied share is below PCT.
    #[arg(long, value_name = "PCT")]
    min_coverage: Option<f64>,
    /// Exit 1 only for failures of at least this severity (major, minor, ofi).
    #[arg(long, value_name = "SEVERITY", default_value = "ofi")]
    fail_on: String,
    /// Never show a progress bar.
    #[arg(long)]
    quiet: bool,
}

/// Run the command.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let fail_on: RuleSeverity = args.fail_on.parse().map_err(xwalk::Error::Usage)?;
    let loaded = args.inputs.load(dirs)?;
    let frameworks = output::frameworks_or(&args.frameworks, &DEFAULT_FRAMEWORKS);
    for fw in &frameworks {
        loaded.crosswalk.framework(fw)?;
    }
    let bar = progress_bar(eval::job_count(&loaded.rules, &loaded.facts), args.quiet);
    let evaluation = eval::evaluate(&loaded.rules, &loaded.sandbox, &loaded.facts, &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    let report = EvalReport::build(
        loaded.as_of.to_string(),
        &loaded.crosswalk,
        &loaded.rules,
        &loaded.facts,
        evaluation,
        &frameworks,
    );
    write(&report, args)?;
    Ok(exit_code(&report, args, fail_on))
}

fn progress_bar(len: u64, quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || len < 1000 {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} evaluating {pos}/{len} [{bar:40}] {per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

fn write(report: &EvalReport, args: &Args) -> Result<(), xwalk::Error> {
    let csv = CsvOptions { bom: args.bom };
    match (args.format, &args.out) {
        (Format::Csv, None) => Err(xwalk::Error::Usage(
            "--format csv writes results.csv, coverage.csv and evidence.csv: give --out DIR".into(),
        )),
        (Format::Csv, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| xwalk::Error::io(&dir.display().to_string(), e))?;
            let files = [
                ("results.csv", report::eval::results_table(report, false)),
                ("coverage.csv", report::eval::coverage_detail_table(report)),
                (
                    "evidence.csv",
                    report::eval::evidence_table(report, usize::MAX, true),
                ),
            ];
            let rendered: Vec<(PathBuf, Vec<u8>)> = files
                .iter()
                .map(|(name, table)| (dir.join(name), report::csv::render(table, csv)))
                .collect();
            report::write::atomic_all(&rendered)?;
            output::eprint(&format!(
                "wrote results.csv, coverage.csv, evidence.csv to {}\n",
                dir.display()
            ));
            Ok(())
        }
        (Format::Json, out) => emit(out.as_deref(), "report.json", &report::to_json(report)),
        (Format::Table, out) => emit(
            out.as_deref(),
            "report.txt",
            &report::eval::render_text(report),
        ),
    }
}

fn emit(out: Option<&std::path::Path>, name: &str, text: &str) -> Result<(), xwalk::Error> {
    match out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| xwalk::Error::io(&dir.display().to_string(), e))?;
            report::write::atomic(&dir.join(name), text.as_bytes())
        }
        None => {
            output::print(text);
            Ok(())
        }
    }
}

fn exit_code(report: &EvalReport, args: &Args, fail_on: RuleSeverity) -> ExitCode {
    // A rule that could not be evaluated leaves its requirements unjudged: never a green gate.
    if report.has_input_errors() || report.rule_errors() > 0 {
        return output::exit_input();
    }
    let below = args.min_coverage.is_some_and(|min| {
        report
            .coverage
            .frameworks
            .iter()
            .any(|fw| fw.satisfied_percent + 1e-9 < min)
    });
    if below || report.failures_at_least(fail_on) > 0 {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    }
}
