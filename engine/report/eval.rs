//! The `xwalk eval` report: results, coverage per framework, evidence reuse.

use super::Table;
use crate::coverage::{self, Coverage, Status, Trace};
use crate::crosswalk::Crosswalk;
use crate::diag::Diagnostic;
use crate::eval::{Evaluation, Outcome};
use crate::facts::Corpus;
use crate::reuse::{self, Reuse};
use crate::rules::{RuleSet, RuleSeverity};
use serde::Serialize;
use std::collections::BTreeMap;

/// Version tag of the JSON report; bumped on any incompatible change (see docs/eval-json.md).
pub const SCHEMA: &str = "xwalk.eval.v1";

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
    /// Result rows per outcome.
    pub outcomes: BTreeMap<Outcome, usize>,
    /// Failing results per severity.
    pub failures_by_severity: BTreeMap<RuleSeverity, usize>,
}

/// Everything `xwalk eval` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Schema version.
    pub schema: &'static str,
    /// Evaluation date.
    pub as_of: String,
    /// Headline numbers.
    pub summary: RunSummary,
    /// Coverage per framework.
    pub coverage: Coverage,
    /// Evidence reuse.
    pub reuse: Reuse,
    /// Every result row.
    pub results: Vec<crate::eval::RuleResult>,
    /// Problems with the inputs (facts files, rules).
    pub diagnostics: Vec<Diagnostic>,
}

impl EvalReport {
    /// Assemble the report from an evaluation.
    pub fn build(
        as_of: String,
        crosswalk: &Crosswalk,
        rules: &RuleSet,
        facts: &Corpus,
        evaluation: Evaluation,
        frameworks: &[String],
    ) -> Self {
        let coverage =
            coverage::compute(crosswalk, rules, &evaluation, facts.resident(), frameworks);
        let reuse = reuse::compute(&coverage, &evaluation, facts);
        let mut outcomes = BTreeMap::new();
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
            summary: RunSummary {
                rules: rules.rules.len(),
                broken_rules: rules.broken.len(),
                facts_documents: facts.len(),
                facts_errors: facts.diagnostics.len() + evaluation.diagnostics.len(),
                results: evaluation.results.len(),
                outcomes,
                failures_by_severity,
            },
            coverage,
            reuse,
            results: evaluation.results,
            diagnostics,
        }
    }

    /// True when any input could not be used (exit code 2).
    pub fn has_input_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Result rows whose rule could not be evaluated (`error`): the run is incomplete (exit code 2).
    pub fn rule_errors(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Error)
            .count()
    }

    /// Failing results at or above a severity (`Ofi` counts every failure).
    pub fn failures_at_least(&self, severity: RuleSeverity) -> usize {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Fail && r.severity.is_some_and(|s| s <= severity))
            .count()
    }
}

/// Coverage per framework: counts and satisfied share.
pub fn coverage_table(report: &EvalReport) -> Table {
    let mut headers = vec!["framework".to_string(), "requirements".to_string()];
    headers.extend(Status::ALL.iter().map(|s| s.to_string()));
    headers.push("satisfied %".to_string());
    headers.push("partial %".to_string());
    let mut t = Table::new(headers);
    for fw in &report.coverage.frameworks {
        let mut row = vec![fw.framework.clone(), fw.counts.total.to_string()];
        row.extend(Status::ALL.iter().map(|s| fw.counts.get(*s).to_string()));
        row.push(format!("{:.1}", fw.counts.percent(Status::Satisfied)));
        row.push(format!("{:.1}", fw.counts.percent(Status::Partial)));
        t.push(row);
    }
    t
}

/// Result rows: failing and erroring first when `problems_only`.
pub fn results_table(report: &EvalReport, problems_only: bool) -> Table {
    let mut t = Table::new(["rule", "severity", "file", "outcome", "message", "evidence"]);
    for r in &report.results {
        if problems_only && !matches!(r.outcome, Outcome::Fail | Outcome::Error) {
            continue;
        }
        t.push([
            r.rule.to_string(),
            r.severity.map(|s| s.to_string()).unwrap_or_default(),
            r.file.as_deref().unwrap_or_default().to_string(),
            r.outcome.to_string(),
            r.message.clone(),
            r.evidence.join("; "),
        ]);
    }
    t
}

fn trace_text(t: &Trace) -> String {
    match t {
        Trace::Rule { rule, outcome } => format!("rule {rule}: {outcome}"),
        Trace::Link {
            from,
            relationship,
            support,
            ..
        } => format!("{from} {relationship} ({support})"),
        Trace::Excluded {
            evidence,
            justification,
        } if justification.is_empty() => format!("excluded in SoA {evidence} (no justification)"),
        Trace::Excluded {
            evidence,
            justification,
        } => format!("excluded in SoA {evidence}: {justification}"),
    }
}

/// One row per requirement per framework, with the trace of its status.
pub fn coverage_detail_table(report: &EvalReport) -> Table {
    let mut t = Table::new(["framework", "id", "kind", "title", "status", "because"]);
    for fw in &report.coverage.frameworks {
        for r in &fw.requirements {
            t.push([
                fw.framework.clone(),
                r.id.clone(),
                r.kind.clone(),
                r.title.clone(),
                r.status.to_string(),
                r.because
                    .iter()
                    .map(trace_text)
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
        }
    }
    t
}

fn ids(map: &BTreeMap<String, Vec<String>>) -> String {
    map.iter()
        .map(|(fw, ids)| format!("{fw}: {}", ids.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Evidence items, widest reach first (`limit` rows at most).
pub fn evidence_table(report: &EvalReport, limit: usize, with_ids: bool) -> Table {
    let mut headers = vec![
        "file",
        "kind",
        "frameworks",
        "satisfies",
        "supports",
        "rules",
    ];
    if with_ids {
        headers.extend(["satisfied requirements", "supported requirements"]);
    }
    let mut t = Table::new(headers);
    for item in report.reuse.items.iter().take(limit) {
        let mut row = vec![
            item.file.clone(),
            item.kind.clone(),
            item.framework_count().to_string(),
            item.satisfied_count().to_string(),
            item.supported_count().to_string(),
            item.rules.join(" "),
        ];
        if with_ids {
            row.push(ids(&item.satisfies));
            row.push(ids(&item.supports));
        }
        t.push(row);
    }
    t
}

/// The reuse headline in one sentence.
pub fn reuse_sentence(report: &EvalReport) -> String {
    let s = &report.reuse.summary;
    format!(
        "{} evidence items; {} serve two or more frameworks; each satisfies {:.1} requirements on average ({:.1} counting partial support).\n",
        s.items, s.multi_framework_items, s.mean_satisfied_per_item, s.mean_served_per_item
    )
}

/// The terminal report: header, coverage, findings, errors, reuse.
pub fn render_text(report: &EvalReport) -> String {
    let s = &report.summary;
    let count = |o: Outcome| s.outcomes.get(&o).copied().unwrap_or(0);
    let mut out = format!(
        "xwalk eval as of {}: {} rules, {} facts documents, {} results ({} pass, {} fail, {} not-applicable, {} no-evidence, {} error)\n\n",
        report.as_of,
        s.rules,
        s.facts_documents,
        s.results,
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::NotApplicable),
        count(Outcome::NoEvidence),
        count(Outcome::Error),
    );
    out.push_str("Coverage (assessable requirements; % of applicable)\n");
    out.push_str(&coverage_table(report).render_text());
    let problems = results_table(report, true);
    if !problems.rows.is_empty() {
        out.push_str("\nFindings and errors\n");
        out.push_str(&problems.render_text());
    }
    let no_evidence: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::NoEvidence)
        .map(|r| &*r.rule)
        .collect();
    if !no_evidence.is_empty() {
        out.push_str(&format!("\nNo evidence for: {}\n", no_evidence.join(", ")));
    }
    out.push_str("\nEvidence reuse (collect once, widest reach first)\n");
    out.push_str(&reuse_sentence(report));
    if !report.reuse.items.is_empty() {
        out.push_str(&evidence_table(report, 10, false).render_text());
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\nInput problems\n");
        for d in &report.diagnostics {
            out.push_str(&format!("{d}\n"));
        }
    }
    out
}
