//! The CI gate: one verdict from an evaluation, for pipelines that must go red.

use crate::rules::RuleSeverity;

/// When an evaluation counts as passing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gate {
    /// Fail when any framework's satisfied share is below this percentage.
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

/// Shares are compared with this slack so that 60.0 % printed is 60.0 % met.
pub const COVERAGE_TOLERANCE: f64 = 1e-9;

/// What the gate concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
