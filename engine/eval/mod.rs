//! Evaluation: every rule against every facts document of the kind it reads, in parallel.

use crate::facts::{Document, FactsSet};
use crate::rules::{Rule, RuleSet, RuleSeverity, ENTRY_POINT};
use crate::sandbox::json::{FactsValue, FactsView};
use crate::sandbox::Sandbox;
use rayon::prelude::*;
use rhai::Dynamic;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// What one rule concluded about one facts document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The requirement is met by this document.
    Pass,
    /// The requirement is not met: a finding.
    Fail,
    /// The rule does not apply to this document.
    NotApplicable,
    /// No facts of the kinds the rule needs: nothing was tested.
    NoEvidence,
    /// The rule could not be evaluated (limit broken, script error, bad return value).
    Error,
}

impl Outcome {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NoEvidence => "no-evidence",
            Outcome::Error => "error",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One result row: a rule, the document it looked at, and what it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleResult {
    /// Rule id.
    pub rule: String,
    /// Rule severity (absent for rules that failed to load).
    pub severity: Option<RuleSeverity>,
    /// Facts file evaluated, when there was one.
    pub file: Option<String>,
    /// Outcome.
    pub outcome: Outcome,
    /// The rule's message, or why it errored.
    pub message: String,
    /// Evidence references (`file#pointer`).
    pub evidence: Vec<String>,
    /// What the rule printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
}

/// Every result of a run, in a deterministic order (rule id, then facts file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Result rows.
    pub results: Vec<RuleResult>,
}

impl Evaluation {
    /// Results of one rule.
    pub fn of_rule<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a RuleResult> + 'a {
        self.results.iter().filter(move |r| r.rule == id)
    }
}

/// One unit of work: a rule and the document it runs on.
struct Job<'a> {
    rule: &'a Rule,
    doc: &'a Arc<Document>,
}

/// Evaluate every rule of `rules` over `facts`.
///
/// Rules are pre-filtered by the facts kinds they declare: a rule runs once
/// per document of its first kind, and reports `no-evidence` when any of its
/// kinds has no documents. Rules that failed to load give one `error` row each.
/// `progress` is called once per finished evaluation.
pub fn evaluate(
    rules: &RuleSet,
    sandbox: &Sandbox,
    facts: &Arc<FactsSet>,
    progress: &(dyn Fn() + Sync),
) -> Evaluation {
    let mut results: Vec<RuleResult> = Vec::new();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for rule in &rules.rules {
        let missing: Vec<&str> = rule
            .meta
            .facts
            .iter()
            .map(String::as_str)
            .filter(|k| facts.count_of(k) == 0)
            .collect();
        if !missing.is_empty() {
            results.push(RuleResult {
                rule: rule.meta.id.clone(),
                severity: Some(rule.meta.severity),
                file: None,
                outcome: Outcome::NoEvidence,
                message: format!("no facts of kind {}", missing.join(", ")),
                evidence: Vec::new(),
                output: Vec::new(),
            });
            continue;
        }
        let primary = rule
            .meta
            .facts
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        jobs.extend(facts.of_kind(primary).map(|doc| Job { rule, doc }));
    }
    results.extend(rules.broken.iter().map(|b| RuleResult {
        rule: b.id.clone(),
        severity: None,
        file: Some(b.path.clone()),
        outcome: Outcome::Error,
        message: b.reason.clone(),
        evidence: Vec::new(),
        output: Vec::new(),
    }));
    let view = FactsView::new(facts.clone());
    let evaluated: Vec<RuleResult> = jobs
        .par_iter()
        .map(|job| {
            let r = run_one(sandbox, job.rule, job.doc, &view);
            progress();
            r
        })
        .collect();
    results.extend(evaluated);
    results.sort_by(|a, b| (&a.rule, &a.file).cmp(&(&b.rule, &b.file)));
    Evaluation { results }
}

/// Number of (rule, document) evaluations a run will make, for progress bars.
pub fn job_count(rules: &RuleSet, facts: &FactsSet) -> u64 {
    rules
        .rules
        .iter()
        .filter(|r| r.meta.facts.iter().all(|k| facts.count_of(k) > 0))
        .map(|r| {
            facts.count_of(r.meta.facts.first().map(String::as_str).unwrap_or_default()) as u64
        })
        .sum()
}

/// Run one rule on one document and turn what it returned into a result row.
pub fn run_one(
    sandbox: &Sandbox,
    rule: &Rule,
    doc: &Arc<Document>,
    view: &FactsView,
) -> RuleResult {
    let mut args = vec![Dynamic::from(FactsValue::root(doc.clone()))];
    if rule.wants_facts {
        args.push(Dynamic::from(view.clone()));
    }
    let call = sandbox.call(&rule.ast, ENTRY_POINT, args);
    let mut row = RuleResult {
        rule: rule.meta.id.clone(),
        severity: Some(rule.meta.severity),
        file: Some(doc.path.clone()),
        outcome: Outcome::Error,
        message: String::new(),
        evidence: Vec::new(),
        output: call.output,
    };
    match call.result.and_then(read_outcome) {
        Ok((outcome, message, evidence)) => {
            row.outcome = outcome;
            row.message = message;
            row.evidence = evidence;
        }
        Err(reason) => {
            row.message = format!("rule {} on {}: {reason}", rule.meta.id, doc.path);
        }
    }
    row
}

const WRONG_RETURN: &str = "rule must return pass(...), fail(...) or not_applicable(...)";

/// Check the value a rule returned: a map from the outcome helpers.
fn read_outcome(value: Dynamic) -> Result<(Outcome, String, Vec<String>), String> {
    let type_name = value.type_name().to_string();
    let Some(map) = value.try_cast::<rhai::Map>() else {
        return Err(format!("{WRONG_RETURN}, not {type_name}"));
    };
    let outcome = match map
        .get("outcome")
        .and_then(|v| v.clone().into_string().ok())
        .as_deref()
    {
        Some("pass") => Outcome::Pass,
        Some("fail") => Outcome::Fail,
        Some("not-applicable") => Outcome::NotApplicable,
        _ => {
            return Err(format!(
                "{WRONG_RETURN}; the returned map has no valid `outcome`"
            ))
        }
    };
    let message = map
        .get("message")
        .map(|m| m.to_string())
        .unwrap_or_default();
    let evidence = map
        .get("evidence")
        .and_then(|e| e.clone().into_array().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    Ok((outcome, message, evidence))
}
