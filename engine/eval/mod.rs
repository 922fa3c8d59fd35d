//! Evaluation: every rule against every facts document of the kind it reads, in parallel.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use crate::diag::Diagnostic;
use crate::facts::corpus::DEFAULT_CHUNK;
use crate::facts::{Corpus, Document};
use crate::ids::RuleId;
use crate::rules::{Rule, RuleSet, RuleSeverity, ENTRY_POINT};
use crate::sandbox::json::{FactsValue, FactsView};
use crate::sandbox::Sandbox;
use jiff::civil::Date;
use rayon::prelude::*;
use rhai::Dynamic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// What one rule concluded about one facts document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// A failure the organisation accepted as a risk, under a waiver that applies on the
    /// evaluation date: still not a pass, but no longer a finding for the gate.
    Waived,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 6] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::NotApplicable,
        Outcome::NoEvidence,
        Outcome::Error,
        Outcome::Waived,
    ];

    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NoEvidence => "no-evidence",
            Outcome::Error => "error",
            Outcome::Waived => "waived",
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
    pub rule: RuleId,
    /// Rule severity (absent for rules that failed to load).
    pub severity: Option<RuleSeverity>,
    /// Facts file evaluated, when there was one.
    pub file: Option<Arc<str>>,
    /// Outcome.
    pub outcome: Outcome,
    /// The rule's message, or why it errored.
    pub message: String,
    /// Evidence references (`file#pointer`).
    pub evidence: Vec<String>,
    /// What the rule printed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
    /// When the evidence was collected: the oldest collection date of the document and of
    /// every document of the kinds it joins; `None` when one of them is undated.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::dates::serialize_opt"
    )]
    pub collected_on: Option<Date>,
    /// The waiver that turned this failure into an accepted exception (`outcome: waived`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Arc<waiver::Waiver>>,
    /// The occurrences the rule tested in the period and how many were exceptions, when the
    /// rule counted them (`population(...)` in the rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
}

/// What a rule over a recurring activity tested: every occurrence in the period (each
/// review, change, leaver), and how many of them were exceptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Population {
    /// Occurrences in the period, every one tested.
    pub total: u64,
    /// Occurrences that did not meet the control.
    pub exceptions: u64,
}

impl Population {
    /// Exceptions per occurrence tested (0 for an empty population).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.exceptions as f64 / self.total as f64
        }
    }

    /// Two populations as one (a rule's results over several documents).
    pub fn merged(self, other: Population) -> Population {
        Population {
            total: self.total + other.total,
            exceptions: self.exceptions + other.exceptions,
        }
    }
}

impl Serialize for Population {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Population", 4)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("tested", &self.total)?;
        st.serialize_field("exceptions", &self.exceptions)?;
        st.serialize_field(
            "exception_rate",
            &((self.rate() * 10_000.0).round() / 10_000.0),
        )?;
        st.end()
    }
}

/// Every result of a run, in a deterministic order (rule id, then facts file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// Result rows.
    pub results: Vec<RuleResult>,
    /// The evaluation date (the freshness of evidence is judged against it).
    #[serde(skip)]
    pub as_of: Option<Date>,
    /// Facts files that failed to parse while streaming (changed since the scan).
    #[serde(skip)]
    pub diagnostics: Vec<Diagnostic>,
}

impl Evaluation {
    /// The overall outcome of each rule over all documents: fail > error > waived > pass >
    /// n/a > no-evidence.
    pub fn rule_outcomes(&self) -> BTreeMap<RuleId, Outcome> {
        let rank = |o: Outcome| match o {
            Outcome::Fail => 5,
            Outcome::Error => 4,
            Outcome::Waived => 3,
            Outcome::Pass => 2,
            Outcome::NotApplicable => 1,
            Outcome::NoEvidence => 0,
        };
        let mut out: BTreeMap<RuleId, Outcome> = BTreeMap::new();
        for r in &self.results {
            let slot = out.entry(r.rule.clone()).or_insert(r.outcome);
            if rank(r.outcome) > rank(*slot) {
                *slot = r.outcome;
            }
        }
        out
    }

    /// Result rows whose rule could not be evaluated (`error`): the run is incomplete.
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

    /// Results of one rule.
    pub fn of_rule<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a RuleResult> + 'a {
        self.results.iter().filter(move |r| &*r.rule == id)
    }
}

/// Evaluate every rule of `rules` over a corpus.
///
/// Rules are pre-filtered by the facts kinds they declare: a rule runs once
/// per document of its first kind, and reports `no-evidence` when any of its
/// kinds has no documents. Resident documents are evaluated in one parallel
/// pass; the others are streamed a chunk at a time. Rules that failed to load
/// give one `error` row each. `progress` is called once per evaluation.
/// Results come back sorted by rule id then facts file, whatever the thread count.
/// A shard ([`Corpus::shard`]) evaluates only the documents it owns, joins every resident
/// document, and leaves the rows that belong to no document to the first shard.
pub fn evaluate(
    rules: &RuleSet,
    sandbox: &Sandbox,
    corpus: &Corpus,
    progress: &(dyn Fn() + Sync),
) -> Evaluation {
    evaluate_chunked(rules, sandbox, corpus, DEFAULT_CHUNK, progress)
}

/// [`evaluate`] with an explicit streaming chunk size.
pub fn evaluate_chunked(
    rules: &RuleSet,
    sandbox: &Sandbox,
    corpus: &Corpus,
    chunk: usize,
    progress: &(dyn Fn() + Sync),
) -> Evaluation {
    let mut results: Vec<RuleResult> = Vec::new();
    // Rules that can run, by their primary kind.
    let mut by_kind: BTreeMap<&str, Vec<&Rule>> = BTreeMap::new();
    for rule in &rules.rules {
        let missing: Vec<&str> = rule
            .meta
            .facts
            .iter()
            .map(String::as_str)
            .filter(|k| corpus.count_of(k) == 0)
            .collect();
        if missing.is_empty() {
            by_kind.entry(rule.primary_kind()).or_default().push(rule);
            continue;
        }
        if !corpus.reports_run_rows() {
            continue;
        }
        results.push(RuleResult {
            rule: rule.meta.id.clone(),
            severity: Some(rule.meta.severity),
            file: None,
            outcome: Outcome::NoEvidence,
            message: format!("no facts of kind {}", missing.join(", ")),
            evidence: Vec::new(),
            output: Vec::new(),
            collected_on: None,
            waiver: None,
            population: None,
        });
    }
    let broken_rules = rules.broken.iter().filter(|_| corpus.reports_run_rows());
    results.extend(broken_rules.map(|b| RuleResult {
        rule: b.id.clone(),
        severity: None,
        file: Some(Arc::from(b.path.as_str())),
        outcome: Outcome::Error,
        message: b.reason.clone(),
        evidence: Vec::new(),
        output: Vec::new(),
        collected_on: None,
        waiver: None,
        population: None,
    }));
    // One row per (rule, document) evaluation: room for all of them at once, so the rows of a
    // large corpus are not copied (and briefly held twice) each time the vector grows.
    let jobs: usize = by_kind
        .iter()
        .map(|(kind, rules)| corpus.own_count_of(kind).saturating_mul(rules.len()))
        .sum();
    results.reserve_exact(jobs);
    let all = FactsView::new(corpus.resident().clone());
    // Each joining rule sees only the kinds it declares (the caches stay shared).
    let views: BTreeMap<&str, FactsView> = rules
        .rules
        .iter()
        .filter(|r| r.wants_facts)
        .map(|r| (r.meta.id.as_str(), all.for_kinds(r.meta.readable_kinds())))
        .collect();
    // Resident documents that break the vocabulary: a rule joining their kind concludes nothing.
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut broken_kinds: BTreeMap<&str, &Document> = BTreeMap::new();
    for doc in corpus.resident().documents() {
        if !doc.violations.is_empty() {
            // Each shard reports the documents it owns; every shard joins them all.
            if corpus.owns(&doc.path) {
                diagnostics.extend(doc.violations.iter().cloned());
            }
            broken_kinds.entry(doc.kind.as_str()).or_insert(doc);
        }
    }
    let run_docs = |docs: &[Arc<Document>]| -> Vec<RuleResult> {
        let count: usize = docs
            .iter()
            .map(|doc| by_kind.get(doc.kind.as_str()).map_or(0, Vec::len))
            .sum();
        let mut jobs: Vec<(&Rule, &Arc<Document>)> = Vec::with_capacity(count);
        jobs.extend(docs.iter().flat_map(|doc| {
            by_kind
                .get(doc.kind.as_str())
                .into_iter()
                .flatten()
                .map(move |rule| (*rule, doc))
        }));
        jobs.par_iter()
            .map(|(rule, doc)| {
                let view = views.get(rule.meta.id.as_str()).unwrap_or(&all);
                let r = unusable(rule, doc, &broken_kinds)
                    .unwrap_or_else(|| run_one(sandbox, rule, doc, view));
                progress();
                r
            })
            .collect()
    };
    let resident: Vec<Arc<Document>> = corpus
        .resident()
        .documents()
        .iter()
        .filter(|d| by_kind.contains_key(d.kind.as_str()) && corpus.owns(&d.path))
        .cloned()
        .collect();
    results.extend(run_docs(&resident));
    let streamed: BTreeSet<String> = by_kind.keys().map(|k| k.to_string()).collect();
    let mut streamed_violations = Vec::new();
    let unreadable = corpus.stream(&streamed, chunk, |docs| {
        for doc in &docs {
            streamed_violations.extend(doc.violations.iter().cloned());
        }
        results.extend(run_docs(&docs))
    });
    diagnostics.extend(unreadable);
    diagnostics.extend(streamed_violations);
    crate::diag::sort(&mut diagnostics);
    sort_rows(&mut results);
    // A result is as fresh as the oldest document it rests on: its own and every
    // document of the kinds the rule joins.
    let joined: BTreeMap<&str, Option<Date>> = rules
        .rules
        .iter()
        .filter(|r| r.wants_facts)
        .map(|r| {
            let kinds = r.meta.readable_kinds().filter(|k| *k != r.primary_kind());
            let docs = kinds.flat_map(|k| corpus.resident().of_kind(k));
            let oldest = docs
                .map(|d| d.collected_on)
                .try_fold(None, |acc: Option<Date>, d| {
                    d.map(|d| Some(acc.map_or(d, |a| a.min(d))))
                });
            // `None` here: some joined document is undated.
            (r.meta.id.as_str(), oldest.map(|o| o.unwrap_or(Date::MAX)))
        })
        .collect();
    for r in &mut results {
        if let (Some(own), Some(join)) = (r.collected_on, joined.get(&*r.rule)) {
            r.collected_on = join.map(|j| own.min(j));
        }
    }
    Evaluation {
        results,
        as_of: Some(sandbox.as_of()),
        diagnostics,
    }
}

/// Sort result rows by rule id then facts file, keeping rows with equal keys in the order
/// they came (a stable sort). The positions are sorted and the rows moved into place by
/// swaps, so the only extra memory is a word per row, not the half copy of the rows a
/// stable sort of the rows themselves would take.
fn sort_rows(rows: &mut [RuleResult]) {
    let key = |i: usize| rows.get(i).map(|r| (&r.rule, &r.file));
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    // Row `order[i]` goes to position `i`: follow each cycle of the permutation once,
    // marking the positions done.
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        while let Some(slot) = order.get_mut(at) {
            let from = std::mem::replace(slot, DONE);
            if from == DONE || from == start {
                break;
            }
            rows.swap(at, from);
            at = from;
        }
    }
}

/// An `error` row when the document, or a document of a kind the rule joins, breaks the
/// vocabulary: a wrong-typed, misspelt or future-dated field must never turn into a pass.
fn unusable(
    rule: &Rule,
    doc: &Arc<Document>,
    broken: &BTreeMap<&str, &Document>,
) -> Option<RuleResult> {
    let why = match doc.violations.first() {
        Some(first) => format!(
            "{} breaks the `{}` vocabulary ({} problem(s); first at {}: {}); nothing is concluded from it",
            doc.path,
            doc.kind,
            doc.violations.len(),
            first.location,
            first.message
        ),
        None => {
            let (kind, other) = rule
                .meta
                .readable_kinds()
                .find_map(|k| broken.get(k).map(|d| (k, *d)))?;
            let first = other.violations.first()?;
            format!(
                "the rule joins `{kind}` facts and {} breaks that vocabulary (first at {}: {}); nothing is concluded",
                other.path, first.location, first.message
            )
        }
    };
    Some(RuleResult {
        rule: rule.meta.id.clone(),
        severity: Some(rule.meta.severity),
        file: Some(doc.path.clone()),
        outcome: Outcome::Error,
        message: format!("rule {} on {}: {why}", rule.meta.id, doc.path),
        evidence: Vec::new(),
        output: Vec::new(),
        collected_on: None,
        waiver: None,
        population: None,
    })
}

/// Number of (rule, document) evaluations a run will make, for progress bars.
pub fn job_count(rules: &RuleSet, corpus: &Corpus) -> u64 {
    rules
        .rules
        .iter()
        .filter(|r| r.meta.facts.iter().all(|k| corpus.count_of(k) > 0))
        .map(|r| corpus.own_count_of(r.primary_kind()) as u64)
        .sum()
}

/// Run one rule on one document and turn what it returned into a result row.
///
/// A panic anywhere in the evaluation (engine, helper, reading the outcome)
/// becomes an `error` row for this rule and document, never a crash of the run.
pub fn run_one(
    sandbox: &Sandbox,
    rule: &Rule,
    doc: &Arc<Document>,
    view: &FactsView,
) -> RuleResult {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_one_unguarded(sandbox, rule, doc, view)
    }));
    run.unwrap_or_else(|panic| RuleResult {
        rule: rule.meta.id.clone(),
        severity: Some(rule.meta.severity),
        file: Some(doc.path.clone()),
        outcome: Outcome::Error,
        message: format!(
            "rule {} on {}: internal error: {}",
            rule.meta.id,
            doc.path,
            crate::sandbox::panic_message(&panic)
        ),
        evidence: Vec::new(),
        output: Vec::new(),
        collected_on: None,
        waiver: None,
        population: None,
    })
}

fn run_one_unguarded(
    sandbox: &Sandbox,
    rule: &Rule,
    doc: &Arc<Document>,
    view: &FactsView,
) -> RuleResult {
    let mut args = vec![Dynamic::from(FactsValue::root(doc.clone()))];
    if rule.wants_facts {
        args.push(Dynamic::from(view.clone()));
    }
    let call = sandbox.call_with_params(&rule.ast, ENTRY_POINT, args, Some(&rule.param_values));
    let mut row = RuleResult {
        rule: rule.meta.id.clone(),
        severity: Some(rule.meta.severity),
        file: Some(doc.path.clone()),
        outcome: Outcome::Error,
        message: String::new(),
        evidence: Vec::new(),
        output: call.output,
        collected_on: doc.collected_on,
        waiver: None,
        population: None,
    };
    match call.result.and_then(read_outcome) {
        Ok(read) => {
            row.outcome = read.outcome;
            row.message = read.message;
            row.evidence = read.evidence;
            row.population = read.population;
        }
        Err(reason) => {
            row.message = format!("rule {} on {}: {reason}", rule.meta.id, doc.path);
        }
    }
    row
}

const WRONG_RETURN: &str = "rule must return pass(...), fail(...) or not_applicable(...)";

/// What a rule's returned map says.
struct Returned {
    outcome: Outcome,
    message: String,
    evidence: Vec<String>,
    population: Option<Population>,
}

/// The population a returned map carries; a pass with exceptions is refused (it would read
/// as assurance the rule's own count contradicts).
fn read_population(map: &rhai::Map, outcome: Outcome) -> Result<Option<Population>, String> {
    use crate::sandbox::period::{EXCEPTIONS_KEY, POPULATION_KEY};
    let count = |key: &str| match map.get(key) {
        None => Ok(None),
        Some(v) => v
            .as_int()
            .ok()
            .and_then(|n| u64::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("`{key}` must be a whole number of occurrences")),
    };
    let (Some(total), exceptions) = (count(POPULATION_KEY)?, count(EXCEPTIONS_KEY)?) else {
        return Ok(None);
    };
    let exceptions = exceptions.unwrap_or(0);
    if exceptions > total {
        return Err(format!(
            "{exceptions} exceptions in a population of {total}"
        ));
    }
    if outcome == Outcome::Pass && exceptions > 0 {
        return Err(format!(
            "the rule passed with {exceptions} exceptions in {total} occurrences; return fail(...) when any occurrence is an exception"
        ));
    }
    Ok(Some(Population { total, exceptions }))
}

/// Check the value a rule returned: a map from the outcome helpers. The map is the rule's
/// own (nothing else holds it), so its entries are taken, not copied.
fn read_outcome(value: Dynamic) -> Result<Returned, String> {
    let type_name = value.type_name().to_string();
    let Some(mut map) = value.try_cast::<rhai::Map>() else {
        return Err(format!("{WRONG_RETURN}, not {type_name}"));
    };
    let outcome = match map
        .get("outcome")
        .and_then(|v| v.read_lock::<rhai::ImmutableString>())
        .as_deref()
        .map(|s| s.as_str())
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
        .remove("evidence")
        .and_then(|e| e.into_array().ok())
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.to_string())
        .collect();
    let population = read_population(&map, outcome)?;
    Ok(Returned {
        outcome,
        message,
        evidence,
        population,
    })
}

pub mod grade;
pub mod waiver;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactsSet;
    use crate::sandbox::Limits;
    use crate::source::SourceFile;

    fn rule(id: &str, body: &str) -> SourceFile {
        SourceFile::new(
            format!("{id}.rhai"),
            format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.5.1\n//! facts: policy\n\n{body}\n"),
        )
    }

    #[test]
    fn rows_sort_by_rule_then_file_and_equal_keys_keep_their_order() {
        let row = |rule: &str, file: Option<&str>, message: &str| RuleResult {
            rule: RuleId::from(rule),
            severity: None,
            file: file.map(Arc::from),
            outcome: Outcome::Pass,
            message: message.to_string(),
            evidence: Vec::new(),
            output: Vec::new(),
            collected_on: None,
            waiver: None,
            population: None,
        };
        let mut rows = vec![
            row("b", Some("2.json"), "1"),
            row("a", Some("9.json"), "2"),
            row("b", None, "3"),
            row("a", Some("1.json"), "4"),
            row("b", Some("2.json"), "5"),
            row("a", Some("9.json"), "6"),
            row("c", Some("0.json"), "7"),
            row("a", Some("1.json"), "8"),
        ];
        let mut expected = rows.clone();
        expected.sort_by(|a, b| (&a.rule, &a.file).cmp(&(&b.rule, &b.file)));
        sort_rows(&mut rows);
        assert_eq!(rows, expected);
        let messages: Vec<&str> = rows.iter().map(|r| r.message.as_str()).collect();
        assert_eq!(messages, ["4", "8", "2", "6", "3", "1", "5", "7"]);
    }

    #[test]
    fn a_panic_in_one_rule_is_an_error_row_and_the_others_still_report() {
        let mut sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
        sandbox
            .engine_mut()
            .register_fn("explode", || -> bool { panic!("helper exploded") });
        let rules = RuleSet::compile(
            &[
                rule(
                    "boom",
                    "fn evaluate(doc) { if explode() { pass(\"no\") } else { fail(\"no\") } }",
                ),
                rule("fine", "fn evaluate(doc) { pass(\"ok\") }"),
            ],
            &sandbox,
        );
        assert!(rules.diagnostics.is_empty(), "{:?}", rules.diagnostics);
        let facts = Corpus::from_set(FactsSet::from_texts(&[
            ("a.json".into(), r#"{"kind":"policy"}"#.into()),
            ("b.json".into(), r#"{"kind":"policy"}"#.into()),
        ]));
        let evaluation = evaluate(&rules, &sandbox, &facts, &|| {});
        let rows: Vec<(&str, Outcome, &str)> = evaluation
            .results
            .iter()
            .map(|r| (&*r.rule, r.outcome, r.message.as_str()))
            .collect();
        assert_eq!(rows.len(), 4, "{rows:?}");
        for (rule, outcome, message) in &rows[..2] {
            assert_eq!((*rule, *outcome), ("boom", Outcome::Error));
            assert!(
                message.contains("internal error: helper exploded"),
                "{message}"
            );
        }
        for (rule, outcome, _) in &rows[2..] {
            assert_eq!((*rule, *outcome), ("fine", Outcome::Pass));
        }
    }
}
