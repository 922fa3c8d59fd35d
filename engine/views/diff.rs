//! What changed between two saved evaluations (`xwalk eval --format json` files): findings
//! new, regressed, resolved, no longer evaluated and persisting; coverage per framework;
//! evidence that went stale; and which inputs differ.
//!
//! A finding is a result row with outcome `fail` or `error`, keyed by (rule, facts file).
//! A finding whose row is gone from the later run is *no longer evaluated*, never
//! *resolved*: nothing in the later run shows it was fixed.

use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::eval::grade;
use crate::eval::{Outcome, Population};
use crate::rules::RuleSeverity;
use crate::source::{SourceFile, MAX_DATA_FILE_BYTES};
use serde::{Deserialize, Deserializer, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

/// Version tag of the JSON diff (schema in docs/schemas/diff.schema.json).
pub const SCHEMA: &str = "xwalk.diff.v1";

/// The only saved layout this comparison reads.
pub const READS: &str = crate::views::results::SCHEMA;

/// One saved evaluation, as much of it as a comparison needs.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedRun {
    /// Evaluation date, `YYYY-MM-DD`.
    pub as_of: String,
    /// What the run was made from.
    pub provenance: SavedProvenance,
    /// Coverage per framework.
    pub coverage: SavedCoverage,
    /// Every result row.
    pub results: Vec<SavedResult>,
}

/// The provenance block of a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedProvenance {
    /// xwalk version that wrote it.
    pub xwalk_version: String,
    /// The rule set.
    pub rules: SavedDigest,
    /// The facts.
    pub facts: SavedDigest,
    /// The crosswalk.
    pub crosswalk: SavedDigest,
    /// Waiver files with their SHA-256.
    pub waivers: Vec<SavedWaiverFile>,
}

/// The digest of one input.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedDigest {
    /// SHA-256 in hex.
    pub digest: String,
}

/// A waiver file of a saved run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
pub struct SavedWaiverFile {
    /// The file as given.
    pub file: String,
    /// Its SHA-256.
    pub sha256: String,
}

/// The coverage block of a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedCoverage {
    /// One entry per framework reported.
    pub frameworks: Vec<SavedFramework>,
}

/// One framework's coverage in a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedFramework {
    /// Framework id.
    pub framework: String,
    /// Requirements per status.
    pub counts: StatusCounts,
    /// Share of applicable requirements satisfied.
    pub satisfied_percent: f64,
    /// Every requirement with its status and procedures.
    pub requirements: Vec<SavedRequirement>,
}

/// Requirements per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StatusCounts {
    /// Satisfied.
    pub satisfied: usize,
    /// Partial.
    pub partial: usize,
    /// Failing.
    pub failing: usize,
    /// Untested.
    pub untested: usize,
}

/// One requirement of a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedRequirement {
    /// Requirement id.
    pub id: String,
    /// Its status (`satisfied`, `partial`, `failing`, `untested`, `not-applicable`).
    pub status: String,
    /// Its test procedures.
    pub procedures: Vec<SavedProcedure>,
}

/// One test procedure of a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedProcedure {
    /// Procedure slug.
    pub id: String,
    /// Its status (`passing`, `failing`, `stale`, ...).
    pub status: String,
    /// Rules claiming it.
    pub rules: Vec<String>,
}

/// One result row of a saved run.
#[derive(Debug, Clone, Deserialize)]
pub struct SavedResult {
    /// Rule id.
    pub rule: String,
    /// Rule severity; null for a rule that did not load.
    #[serde(deserialize_with = "severity")]
    pub severity: Option<RuleSeverity>,
    /// Facts file; null for a no-evidence row.
    pub file: Option<String>,
    /// Outcome.
    pub outcome: Outcome,
    /// The rule's message.
    pub message: String,
    /// Occurrences tested and exceptions, when the rule counted them.
    #[serde(default)]
    pub population: Option<SavedPopulation>,
}

/// A result's population.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct SavedPopulation {
    /// Occurrences in the period.
    pub total: u64,
    /// Exceptions among them.
    pub exceptions: u64,
}

fn severity<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RuleSeverity>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|s| RuleSeverity::from_str(&s).map_err(serde::de::Error::custom))
        .transpose()
}

fn is_finding(o: Outcome) -> bool {
    matches!(o, Outcome::Fail | Outcome::Error)
}

/// Read a saved `xwalk.eval.v2` report; any other file is refused with a diagnostic naming
/// it (and the line and column where the JSON breaks).
pub fn read_run(path: &Path) -> Result<SavedRun, Error> {
    let file = SourceFile::read(path, MAX_DATA_FILE_BYTES)?;
    let invalid = |code, line, column, message: String| Error::Invalid {
        what: format!("{}, which is not a saved xwalk eval report", file.path),
        diagnostics: vec![Diagnostic::new(
            code,
            Location::at(&file.path, line, column),
            message,
        )],
    };
    let json: serde_json::Value = serde_json::from_str(&file.text).map_err(|e| {
        invalid(
            codes::XW0901,
            e.line() as u64,
            e.column() as u64,
            format!("not JSON: {e}"),
        )
    })?;
    let tag = json.get("schema").and_then(|s| s.as_str());
    if tag != Some(READS) {
        let line = file
            .text
            .lines()
            .position(|l| l.contains("\"schema\""))
            .map_or(0, |n| n as u64 + 1);
        let found = match tag {
            Some(t) => format!("schema `{t}`"),
            None => "no `schema` tag".to_string(),
        };
        return Err(invalid(
            codes::XW0902,
            line,
            0,
            format!("{found}; xwalk diff reads `{READS}` (xwalk eval --format json)"),
        ));
    }
    serde_json::from_str(&file.text).map_err(|e| {
        invalid(
            codes::XW0901,
            e.line() as u64,
            e.column() as u64,
            format!("not the {READS} layout: {e}"),
        )
    })
}

/// Compare two saved reports: `old` the earlier checkpoint, `new` the later one.
pub fn compare(old: &Path, new: &Path) -> Result<Diff, Error> {
    let (a, b) = (read_run(old)?, read_run(new)?);
    Ok(Diff::of(
        &old.display().to_string(),
        &a,
        &new.display().to_string(),
        &b,
    ))
}

/// When `xwalk diff` fails a pipeline: new findings from this severity up (or never).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// New findings at or above this severity.
    Severity(RuleSeverity),
    /// Never: report only.
    None,
}

impl FromStr for FailOn {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(FailOn::None),
            other => RuleSeverity::from_str(other)
                .map(FailOn::Severity)
                .map_err(|e| format!("{e}, none")),
        }
    }
}

/// How a finding moved between the two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// Passed before, fails now.
    Regressed,
    /// A finding now that was not one before (not evaluated, not applicable, waived).
    New,
    /// Still a finding.
    Persisting,
    /// A finding before; now passes or does not apply.
    Resolved,
    /// A finding before; the later run has no row for it, so nothing shows it was fixed.
    NoLongerEvaluated,
}

impl Change {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Regressed => "regressed",
            Change::New => "new",
            Change::Persisting => "persisting",
            Change::Resolved => "resolved",
            Change::NoLongerEvaluated => "no longer evaluated",
        }
    }
}

/// One side of a finding: its outcome and message in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// Outcome in that run.
    pub outcome: Outcome,
    /// Message in that run.
    pub message: String,
}

/// A finding in either run and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// How it moved.
    pub change: Change,
    /// Rule id.
    pub rule: String,
    /// Facts file (null for a row without a document).
    pub file: Option<String>,
    /// Rule severity (null for a rule that did not load).
    pub severity: Option<RuleSeverity>,
    /// Grade by extent, when the rule counted occurrences (of the run where it is a finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<RuleSeverity>,
    /// The row in the earlier run; null when it had none.
    pub old: Option<Side>,
    /// The row in the later run; null when it has none.
    pub new: Option<Side>,
    /// Persisting: the message differs (the finding's extent or detail moved).
    pub message_changed: bool,
    /// Why a finding is no longer evaluated, or what a resolved one now is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A result that is an accepted exception in either run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaivedChange {
    /// Rule id.
    pub rule: String,
    /// Facts file.
    pub file: Option<String>,
    /// Rule severity.
    pub severity: Option<RuleSeverity>,
    /// Outcome in the earlier run (null: no row).
    pub old: Option<Outcome>,
    /// Outcome in the later run (null: no row).
    pub new: Option<Outcome>,
}

/// An old and a new value with the difference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta<T> {
    /// In the earlier run.
    pub old: T,
    /// In the later run.
    pub new: T,
    /// New minus old.
    pub delta: T,
}

fn delta_count(old: usize, new: usize) -> Delta<i64> {
    Delta {
        old: old as i64,
        new: new as i64,
        delta: new as i64 - old as i64,
    }
}

/// One framework's coverage, old -> new.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkChange {
    /// Framework id.
    pub framework: String,
    /// In both runs (false: only one reported it, and the other side's figures are zero).
    pub in_both: bool,
    /// Satisfied requirements.
    pub satisfied: Delta<i64>,
    /// Partial requirements.
    pub partial: Delta<i64>,
    /// Failing requirements.
    pub failing: Delta<i64>,
    /// Untested requirements.
    pub untested: Delta<i64>,
    /// Share of applicable requirements satisfied.
    pub satisfied_percent: Delta<f64>,
    /// Requirements whose status changed, in the later run's catalog order.
    pub requirements: Vec<StatusChange>,
}

/// A requirement whose status changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    /// Requirement id.
    pub id: String,
    /// Status before (null: not reported).
    pub old: Option<String>,
    /// Status now (null: not reported).
    pub new: Option<String>,
}

/// A test procedure whose evidence became stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleProcedure {
    /// Framework id.
    pub framework: String,
    /// Requirement id.
    pub requirement: String,
    /// Procedure slug.
    pub procedure: String,
    /// Its status before (null: not reported).
    pub old: Option<String>,
    /// Rules claiming it.
    pub rules: Vec<String>,
}

/// One input's identity in both runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputChange {
    /// Which input: `xwalk`, `rules`, `facts`, `crosswalk`, `waivers`.
    pub input: &'static str,
    /// Its version or digest before.
    pub old: String,
    /// Its version or digest now.
    pub new: String,
    /// Whether they differ.
    pub changed: bool,
}

/// One of the two runs compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRef {
    /// The file as given.
    pub file: String,
    /// Its evaluation date.
    pub as_of: String,
}

/// Counts of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct DiffSummary {
    /// Findings new in the later run (not counting regressions).
    pub new: usize,
    /// Findings of checks that passed before.
    pub regressed: usize,
    /// Findings of both runs.
    pub persisting: usize,
    /// Of those, with a changed message.
    pub persisting_changed: usize,
    /// Findings that now pass or do not apply.
    pub resolved: usize,
    /// Findings the later run has no row for.
    pub no_longer_evaluated: usize,
    /// Findings of the earlier run.
    pub findings_old: usize,
    /// Findings of the later run.
    pub findings_new: usize,
}

/// Everything `xwalk diff` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Schema version.
    pub schema: &'static str,
    /// The earlier run.
    pub old: RunRef,
    /// The later run.
    pub new: RunRef,
    /// Warnings about the comparison itself (files in the wrong order).
    pub warnings: Vec<String>,
    /// Counts.
    pub summary: DiffSummary,
    /// Every finding of either run, by change, then rule, then file.
    pub findings: Vec<FindingChange>,
    /// Accepted exceptions of either run.
    pub waived: Vec<WaivedChange>,
    /// Coverage per framework.
    pub coverage: Vec<FrameworkChange>,
    /// Procedures whose status became `stale`.
    pub newly_stale: Vec<StaleProcedure>,
    /// The inputs of both runs.
    pub inputs: Vec<InputChange>,
}

type Key = (String, Option<String>);

fn rows(run: &SavedRun) -> BTreeMap<Key, &SavedResult> {
    run.results
        .iter()
        .map(|r| ((r.rule.clone(), r.file.clone()), r))
        .collect()
}

fn side(r: &SavedResult) -> Side {
    Side {
        outcome: r.outcome,
        message: r.message.clone(),
    }
}

fn grade_of(r: &SavedResult) -> Option<RuleSeverity> {
    let (severity, p) = (r.severity?, r.population?);
    let population = Population {
        total: p.total,
        exceptions: p.exceptions,
    };
    Some(grade::grade(severity, Some(population)).grade)
}

/// Why the later run has no row for a finding of the earlier one.
fn absence(key: &Key, new: &SavedRun) -> String {
    let has_file = |f: &str| new.results.iter().any(|r| r.file.as_deref() == Some(f));
    let has_rule = new.results.iter().any(|r| r.rule == key.0);
    match &key.1 {
        Some(f) if !has_file(f) => format!("{f} is not in the later run's facts"),
        _ if !has_rule => format!("rule {} is not in the later run's rule set", key.0),
        _ => "the later run has no result for it".to_string(),
    }
}

fn classify(
    key: &Key,
    o: Option<&SavedResult>,
    n: Option<&SavedResult>,
    new: &SavedRun,
) -> Option<FindingChange> {
    let was = o.is_some_and(|r| is_finding(r.outcome));
    let is = n.is_some_and(|r| is_finding(r.outcome));
    let (change, note) = match (was, is, n.map(|r| r.outcome)) {
        (true, true, _) => (Change::Persisting, None),
        (false, true, _) if o.is_some_and(|r| r.outcome == Outcome::Pass) => {
            (Change::Regressed, None)
        }
        (false, true, _) => (Change::New, None),
        (true, false, Some(Outcome::Waived)) | (false, false, _) => return None,
        (true, false, None) => (Change::NoLongerEvaluated, Some(absence(key, new))),
        (true, false, Some(Outcome::NoEvidence)) => (
            Change::NoLongerEvaluated,
            Some("the later run found no evidence for it".to_string()),
        ),
        (true, false, Some(outcome)) => (Change::Resolved, Some(format!("now {outcome}"))),
    };
    let finding = if is { n } else { o };
    Some(FindingChange {
        change,
        rule: key.0.clone(),
        file: key.1.clone(),
        severity: finding.and_then(|r| r.severity),
        grade: finding.and_then(grade_of),
        message_changed: change == Change::Persisting && o.map(side) != n.map(side),
        old: o.map(side),
        new: n.map(side),
        note,
    })
}

fn framework_change(
    fw: &str,
    o: Option<&SavedFramework>,
    n: Option<&SavedFramework>,
) -> FrameworkChange {
    let counts = |f: Option<&SavedFramework>| f.map(|f| f.counts).unwrap_or_default();
    let (a, b) = (counts(o), counts(n));
    let pct = |f: Option<&SavedFramework>| f.map_or(0.0, |f| f.satisfied_percent);
    let statuses = |f: Option<&SavedFramework>| -> Vec<(String, String)> {
        f.map(|f| {
            f.requirements
                .iter()
                .map(|r| (r.id.clone(), r.status.clone()))
                .collect()
        })
        .unwrap_or_default()
    };
    let (before, after) = (statuses(o), statuses(n));
    let before_map: BTreeMap<&str, &str> = before
        .iter()
        .map(|(i, s)| (i.as_str(), s.as_str()))
        .collect();
    let after_map: BTreeMap<&str, &str> = after
        .iter()
        .map(|(i, s)| (i.as_str(), s.as_str()))
        .collect();
    let mut requirements: Vec<StatusChange> = after
        .iter()
        .filter(|(id, s)| before_map.get(id.as_str()) != Some(&s.as_str()))
        .map(|(id, s)| StatusChange {
            id: id.clone(),
            old: before_map.get(id.as_str()).map(|s| s.to_string()),
            new: Some(s.clone()),
        })
        .collect();
    requirements.extend(
        before
            .iter()
            .filter(|(id, _)| !after_map.contains_key(id.as_str()))
            .map(|(id, s)| StatusChange {
                id: id.clone(),
                old: Some(s.clone()),
                new: None,
            }),
    );
    FrameworkChange {
        framework: fw.to_string(),
        in_both: o.is_some() && n.is_some(),
        satisfied: delta_count(a.satisfied, b.satisfied),
        partial: delta_count(a.partial, b.partial),
        failing: delta_count(a.failing, b.failing),
        untested: delta_count(a.untested, b.untested),
        satisfied_percent: Delta {
            old: pct(o),
            new: pct(n),
            delta: pct(n) - pct(o),
        },
        requirements,
    }
}

fn framework<'a>(run: &'a SavedRun, id: &str) -> Option<&'a SavedFramework> {
    run.coverage.frameworks.iter().find(|f| f.framework == id)
}

fn coverage(old: &SavedRun, new: &SavedRun) -> Vec<FrameworkChange> {
    let mut ids: Vec<&str> = new
        .coverage
        .frameworks
        .iter()
        .map(|f| f.framework.as_str())
        .collect();
    for f in &old.coverage.frameworks {
        if !ids.contains(&f.framework.as_str()) {
            ids.push(&f.framework);
        }
    }
    ids.iter()
        .map(|id| framework_change(id, framework(old, id), framework(new, id)))
        .collect()
}

type ProcedureKey = (String, String, String);

/// Every procedure of a run with its status and claiming rules, in catalog order.
fn procedures(run: &SavedRun) -> Vec<(ProcedureKey, &str, &[String])> {
    let mut out = Vec::new();
    for fw in &run.coverage.frameworks {
        for r in &fw.requirements {
            for p in &r.procedures {
                let key = (fw.framework.clone(), r.id.clone(), p.id.clone());
                out.push((key, p.status.as_str(), p.rules.as_slice()));
            }
        }
    }
    out
}

fn newly_stale(old: &SavedRun, new: &SavedRun) -> Vec<StaleProcedure> {
    let before: BTreeMap<ProcedureKey, &str> = procedures(old)
        .into_iter()
        .map(|(key, status, _)| (key, status))
        .collect();
    procedures(new)
        .into_iter()
        .filter(|(key, status, _)| *status == "stale" && before.get(key) != Some(&"stale"))
        .map(|(key, _, rules)| StaleProcedure {
            old: before.get(&key).map(|s| s.to_string()),
            framework: key.0,
            requirement: key.1,
            procedure: key.2,
            rules: rules.to_vec(),
        })
        .collect()
}

fn waivers(p: &SavedProvenance) -> String {
    let mut files: Vec<&SavedWaiverFile> = p.waivers.iter().collect();
    files.sort();
    let listed: Vec<String> = files
        .iter()
        .map(|w| format!("{} {}", w.file, w.sha256))
        .collect();
    match listed.is_empty() {
        true => "none".to_string(),
        false => listed.join(", "),
    }
}

fn inputs(old: &SavedProvenance, new: &SavedProvenance) -> Vec<InputChange> {
    let pairs = [
        (
            "xwalk",
            old.xwalk_version.clone(),
            new.xwalk_version.clone(),
        ),
        ("rules", old.rules.digest.clone(), new.rules.digest.clone()),
        ("facts", old.facts.digest.clone(), new.facts.digest.clone()),
        (
            "crosswalk",
            old.crosswalk.digest.clone(),
            new.crosswalk.digest.clone(),
        ),
        ("waivers", waivers(old), waivers(new)),
    ];
    pairs
        .into_iter()
        .map(|(input, old, new)| InputChange {
            input,
            changed: old != new,
            old,
            new,
        })
        .collect()
}

impl Diff {
    /// Compare two runs already read; the names are how the report refers to them.
    pub fn of(old_name: &str, old: &SavedRun, new_name: &str, new: &SavedRun) -> Diff {
        let (a, b) = (rows(old), rows(new));
        let keys: BTreeSet<&Key> = a.keys().chain(b.keys()).collect();
        let mut findings: Vec<FindingChange> = keys
            .iter()
            .filter_map(|k| classify(k, a.get(*k).copied(), b.get(*k).copied(), new))
            .collect();
        findings.sort_by(|x, y| (x.change, &x.rule, &x.file).cmp(&(y.change, &y.rule, &y.file)));
        let waived = keys
            .iter()
            .filter_map(|k| {
                let (o, n) = (a.get(*k).map(|r| r.outcome), b.get(*k).map(|r| r.outcome));
                (o == Some(Outcome::Waived) || n == Some(Outcome::Waived)).then(|| WaivedChange {
                    rule: k.0.clone(),
                    file: k.1.clone(),
                    severity: b.get(*k).or(a.get(*k)).and_then(|r| r.severity),
                    old: o,
                    new: n,
                })
            })
            .collect();
        let count = |c: Change| findings.iter().filter(|f| f.change == c).count();
        let summary = DiffSummary {
            new: count(Change::New),
            regressed: count(Change::Regressed),
            persisting: count(Change::Persisting),
            persisting_changed: findings.iter().filter(|f| f.message_changed).count(),
            resolved: count(Change::Resolved),
            no_longer_evaluated: count(Change::NoLongerEvaluated),
            findings_old: old.results.iter().filter(|r| is_finding(r.outcome)).count(),
            findings_new: new.results.iter().filter(|r| is_finding(r.outcome)).count(),
        };
        let mut warnings = Vec::new();
        if new.as_of < old.as_of {
            warnings.push(format!(
                "NEW {new_name} is as of {}, before OLD {old_name} (as of {}): were the files given in the wrong order? xwalk diff takes OLD then NEW",
                new.as_of, old.as_of
            ));
        }
        Diff {
            schema: SCHEMA,
            old: RunRef {
                file: old_name.to_string(),
                as_of: old.as_of.clone(),
            },
            new: RunRef {
                file: new_name.to_string(),
                as_of: new.as_of.clone(),
            },
            warnings,
            summary,
            findings,
            waived,
            coverage: coverage(old, new),
            newly_stale: newly_stale(old, new),
            inputs: inputs(&old.provenance, &new.provenance),
        }
    }

    /// Nothing moved: no finding came, went or changed, no accepted exception moved, no
    /// coverage figure or requirement status changed, no evidence went stale.
    pub fn is_unchanged(&self) -> bool {
        let findings_moved = self
            .findings
            .iter()
            .any(|f| f.change != Change::Persisting || f.message_changed);
        let waivers_moved = self.waived.iter().any(|w| w.old != w.new);
        let coverage_moved = self.coverage.iter().any(|c| {
            !c.in_both
                || !c.requirements.is_empty()
                || [c.satisfied, c.partial, c.failing, c.untested]
                    .iter()
                    .any(|d| d.delta != 0)
        });
        !(findings_moved || waivers_moved || coverage_moved || !self.newly_stale.is_empty())
    }

    /// The findings that fail a pipeline: every regression, and new findings at or above
    /// `fail_on` (a finding of a rule that did not load counts whatever the threshold);
    /// none with [`FailOn::None`].
    pub fn gating(&self, fail_on: FailOn) -> Vec<&FindingChange> {
        let FailOn::Severity(threshold) = fail_on else {
            return Vec::new();
        };
        self.findings
            .iter()
            .filter(|f| match f.change {
                Change::Regressed => true,
                Change::New => f.severity.is_none_or(|s| s <= threshold),
                _ => false,
            })
            .collect()
    }
}
