//! Shared by the audit-planning subcommands: evaluate the inputs once, write output where asked.

use crate::eval::{Inputs, Loaded};
use crate::output;
use std::path::{Path, PathBuf};
use xwalk::eval::{self, Evaluation};
use xwalk::report::csv::CsvOptions;
use xwalk::soa::{Soa, ISO_2022};

/// Inputs loaded and evaluated.
pub struct Assessed {
    /// Crosswalk, rules, facts and the evaluation date.
    pub loaded: Loaded,
    /// Every rule result.
    pub evaluation: Evaluation,
}

impl Assessed {
    /// True when a facts file or rule could not be used (exit code 2).
    pub fn has_input_errors(&self) -> bool {
        self.loaded.rules.diagnostics.iter().any(|d| d.is_error())
            || !self.loaded.facts.diagnostics.is_empty()
            || !self.evaluation.diagnostics.is_empty()
    }

    /// The ISO 27001:2022 Statement of Applicability, from ISO coverage of this evaluation
    /// (built whatever frameworks the command reports on).
    pub fn soa(&self) -> Result<Soa, xwalk::Error> {
        let l = &self.loaded;
        let coverage = xwalk::coverage::compute(
            &l.crosswalk,
            &l.rules,
            &self.evaluation,
            l.facts.resident(),
            &[ISO_2022.to_string()],
        );
        let iso = coverage
            .frameworks
            .first()
            .ok_or_else(|| xwalk::Error::Usage(format!("no coverage for {ISO_2022}")))?;
        xwalk::soa::build(
            &l.crosswalk,
            iso,
            &self.evaluation,
            l.facts.resident(),
            l.as_of,
        )
    }

    /// Print the problems with the inputs to stderr.
    pub fn print_input_problems(&self) {
        let all = self
            .loaded
            .rules
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .chain(&self.loaded.facts.diagnostics)
            .chain(&self.evaluation.diagnostics);
        for d in all {
            eprintln!("{d}");
        }
    }
}

/// Load the inputs as `eval` does and run every rule.
pub fn assess(inputs: &Inputs, dirs: &[PathBuf]) -> Result<Assessed, xwalk::Error> {
    let loaded = inputs.load(dirs)?;
    let evaluation = eval::evaluate(&loaded.rules, &loaded.sandbox, &loaded.facts, &|| {});
    Ok(Assessed { loaded, evaluation })
}

/// Where a report goes: `--out FILE` (written atomically) or standard output, and
/// whether CSV starts with a byte-order mark.
#[derive(Debug, clap::Args)]
pub struct FileOutput {
    /// Write to FILE (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte-order mark (for Excel).
    #[arg(long)]
    bom: bool,
}

impl FileOutput {
    /// CSV settings for this output.
    pub fn csv(&self) -> CsvOptions {
        CsvOptions { bom: self.bom }
    }

    /// Write the report where asked.
    pub fn emit(&self, bytes: &[u8]) -> Result<(), xwalk::Error> {
        emit(self.out.as_deref(), bytes)
    }
}

/// Write bytes to a file atomically, or to stdout when no file is given.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), xwalk::Error> {
    match out {
        Some(path) => xwalk::report::write::atomic(path, bytes),
        None => {
            output::print(&String::from_utf8_lossy(bytes));
            Ok(())
        }
    }
}
