//! The evaluation result: headline numbers, coverage, evidence reuse and every row.

use crate::coverage::Coverage;
use crate::diag::Diagnostic;
use crate::eval::{Evaluation, Outcome, RuleResult};
use crate::facts::Corpus;
use crate::rules::{RuleSet, RuleSeverity};
use crate::views::reuse::{self, Reuse};
use serde::Serialize;
use std::collections::BTreeMap;

/// Version tag of the JSON report; bumped on any incompatible change (see docs/eval-json.md,
/// schema in docs/schemas/eval.schema.json).
pub const SCHEMA: &str = "xwalk.eval.v2";

/// Headline numbers of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// Rules loaded (usable).
    pub rules: usize,
    /// Rules that could not be loaded.
    pub broken_rules: usize,
    /// Facts documents loaded.
    pub facts_documents: usize,
    /// Facts files that could not be used.
    pub facts_errors: usize,
    /// Result rows.
    pub results: usize,
    /// Results per outcome, every outcome listed (zero included), so a reader needs no default.
    pub outcomes: BTreeMap<Outcome, usize>,
    /// Failing results per severity.
    pub failures_by_severity: BTreeMap<RuleSeverity, usize>,
}

/// Everything `xwalk eval` reports. It borrows the evaluation and its coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport<'a> {
    /// Schema version.
    pub schema: &'static str,
    /// Evaluation date.
    pub as_of: String,
    /// The observation period, when the run had one (`--period`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<crate::dates::Period>,
    /// What the run was made from: xwalk version and digests of its inputs.
    pub provenance: super::provenance::Provenance,
    /// Headline numbers.
    pub summary: RunSummary,
    /// The CI gate's verdict and reasons, when the caller judged the run (`xwalk eval` does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<super::gate::GateResult>,
    /// Coverage per framework.
    pub coverage: &'a Coverage,
    /// Evidence reuse.
    pub reuse: Reuse,
    /// Every result row.
    pub results: &'a [RuleResult],
    /// Problems with the inputs (facts files, rules).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> EvalReport<'a> {
    /// Assemble the report from an evaluation and the coverage computed from it.
    pub fn build(
        as_of: String,
        provenance: super::provenance::Provenance,
        rules: &RuleSet,
        facts: &Corpus,
        evaluation: &'a Evaluation,
        coverage: &'a Coverage,
    ) -> Self {
        let reuse = reuse::compute(coverage, evaluation, facts);
        let mut outcomes: BTreeMap<Outcome, usize> = Outcome::ALL.iter().map(|o| (*o, 0)).collect();
        let mut failures_by_severity = BTreeMap::new();
        for r in &evaluation.results {
            *outcomes.entry(r.outcome).or_insert(0) += 1;
            if let (Outcome::Fail, Some(s)) = (r.outcome, r.severity) {
                *failures_by_severity.entry(s).or_insert(0) += 1;
            }
        }
        let mut diagnostics = rules.diagnostics.clone();
        diagnostics.extend(facts.diagnostics.iter().cloned());
        diagnostics.extend(evaluation.diagnostics.iter().cloned());
        crate::diag::sort(&mut diagnostics);
        EvalReport {
            schema: SCHEMA,
            as_of,
            period: None,
            provenance,
            summary: RunSummary {
                rules: rules.rules.len(),
                broken_rules: rules.broken.len(),
                facts_documents: facts.len(),
                facts_errors: facts.diagnostics.len() + evaluation.diagnostics.len(),
                results: evaluation.results.len(),
                outcomes,
                failures_by_severity,
            },
            gate: None,
            coverage,
            reuse,
            results: &evaluation.results,
            diagnostics,
        }
    }
}
