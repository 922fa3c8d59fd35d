//! The CI gate: one verdict from an evaluation, for pipelines that must go red, and the
//! reasons for it, so a red pipeline says which gate failed and by how much.

use crate::error::Error;
use crate::rules::RuleSeverity;
use serde::Serialize;
use std::fmt;

/// When an evaluation counts as passing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gate {
    /// Fail when any framework's satisfied share is below this percentage (0 to 100).
    pub min_coverage: Option<f64>,
    /// Fail on failing results of at least this severity (`Ofi` counts every failure).
    pub fail_on: RuleSeverity,
}

impl Default for Gate {
    fn default() -> Self {
        Gate {
            min_coverage: None,
            fail_on: RuleSeverity::Ofi,
        }
    }
}

impl Gate {
    /// Refuse a minimum coverage that no share can be compared with.
    pub fn check(&self) -> Result<(), Error> {
        match self.min_coverage {
            Some(min) if !(0.0..=100.0).contains(&min) => Err(Error::Usage(format!(
                "minimum coverage {min} is not a percentage: give a value from 0 to 100"
            ))),
            _ => Ok(()),
        }
    }
}

/// Parse a minimum coverage percentage, refusing values outside 0-100 (for flags and config).
pub fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!(
            "{value} is not a percentage: give a value from 0 to 100"
        ))
    }
}

/// Shares are compared with this slack so that 60.0 % printed is 60.0 % met.
pub const COVERAGE_TOLERANCE: f64 = 1e-9;

/// What the gate concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every input was usable, no framework below the minimum, no failure at the severity.
    Pass,
    /// Findings at the gate's severity, or coverage below the minimum.
    Findings,
    /// An input could not be used, or a rule could not be evaluated: nothing can be concluded.
    InputErrors,
}

impl Verdict {
    /// True for [`Verdict::Pass`].
    pub fn passed(self) -> bool {
        self == Verdict::Pass
    }
}

/// One reason the gate did not pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "gate", rename_all = "kebab-case")]
pub enum GateReason {
    /// Inputs (facts files, rules, crosswalk files) that could not be used.
    InputErrors {
        /// How many error diagnostics.
        count: usize,
    },
    /// Rules that could not be evaluated on some document.
    RuleErrors {
        /// How many results are errors.
        count: usize,
    },
    /// A framework's satisfied share is below the minimum.
    Coverage {
        /// The framework.
        framework: String,
        /// Its satisfied share, in percent.
        satisfied_percent: f64,
        /// The minimum asked for.
        min_coverage: f64,
    },
    /// Failing results at or above the gate's severity.
    Failures {
        /// How many failing results count.
        count: usize,
        /// The gate's severity.
        fail_on: RuleSeverity,
    },
}

impl fmt::Display for GateReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateReason::InputErrors { count } => write!(
                f,
                "{count} input error{} (see the diagnostics): nothing can be concluded",
                plural(*count)
            ),
            GateReason::RuleErrors { count } => write!(
                f,
                "{count} rule result{} could not be evaluated: their requirements are unjudged",
                plural(*count)
            ),
            GateReason::Coverage {
                framework,
                satisfied_percent,
                min_coverage,
            } => write!(
                f,
                "{framework}: {satisfied_percent:.1} % satisfied < {min_coverage} % (--min-coverage)"
            ),
            GateReason::Failures { count, fail_on } => {
                let which = match fail_on {
                    RuleSeverity::Ofi => "of any severity".to_string(),
                    s => format!("of severity {s} or worse"),
                };
                write!(
                    f,
                    "{count} failing result{} {which} (--fail-on {fail_on})",
                    plural(*count)
                )
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The verdict with what the gate was and every reason it did not pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateResult {
    /// The verdict.
    pub verdict: Verdict,
    /// The minimum coverage asked for, if any.
    pub min_coverage: Option<f64>,
    /// The severity at which failures count.
    pub fail_on: RuleSeverity,
    /// Why it did not pass; empty when it passed.
    pub reasons: Vec<GateReason>,
}

impl GateResult {
    /// True when the gate passed.
    pub fn passed(&self) -> bool {
        self.verdict.passed()
    }
}
