//! Certification readiness: Stage 1 (documentation), Stage 2 (controls operating), graded
//! findings, the common gaps certification auditors find, and an indicative timeline and cost.
//!
//! - **Stage 1** checks the nine documents a Stage 1 auditor reviews. Each is mapped to the facts
//!   kinds that hold it and the built-in rules that test it: `missing` when no facts of its kinds
//!   exist (or its rules found nothing to read), `gap` when one of its rules fails or errors (or
//!   no loaded rule checks it), `ready` when its rules pass.
//! - **Stage 2** looks at Annex A through the SoA view ([`crate::views::soa`]): how many applicable
//!   controls are implemented *and* tested (a rule measured them working), and which controls
//!   have passing or failing rule results. The rules check recency windows (quarterly access
//!   reviews, a restore test in the last 12 months ...), so a pass is evidence of operation over
//!   a period, not of a one-off.
//! - **Findings** are the failing rules, graded by the extent of the failure within their
//!   severity ([`crate::eval::grade`]); without a counted population by severity: `major` -> major
//!   nonconformity, `minor` -> minor nonconformity, `ofi` -> opportunity for improvement.
//! - **Common gaps** are the six the guide names, each detected by a family of rules.
//! - **Estimate**: maturity is measured as the mean of the Stage 1 ready share and the share of
//!   all procedures of applicable Annex A controls that pass (untested ones count against it); it picks the guide's timeline band and a third of the
//!   guide's mid-market cost range. Then the drivers move it ([`crate::views::drivers`]: an
//!   existing SOC 2 report, headcount, sites, certification body, day rate, GRC platform,
//!   dual-framework approach), each listed with its value, source and effect
//!   (`readiness/estimate.rs`). It is an estimate, labelled as such.

use crate::eval::{Evaluation, Outcome};
use crate::facts::Corpus;
use crate::rules::{RuleSet, RuleSeverity};
use crate::views::soa::{Implementation, Soa};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

mod estimate;

/// Version tag of `xwalk readiness --format json`; bumped on any incompatible change
/// (see docs/json-outputs.md, schema in docs/schemas/readiness.schema.json).
pub const SCHEMA: &str = "xwalk.readiness.v1";

/// Readiness of one Stage 1 document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemStatus {
    /// Present and its rules pass.
    Ready,
    /// Present but a rule fails, errors, or nothing checks it.
    Gap,
    /// No facts hold it.
    Missing,
}

impl ItemStatus {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Ready => "ready",
            ItemStatus::Gap => "gap",
            ItemStatus::Missing => "missing",
        }
    }
}

impl fmt::Display for ItemStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rule and its overall outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    /// Rule id.
    pub rule: String,
    /// Worst outcome over the documents it ran on.
    pub outcome: Outcome,
    /// Severity of the rule.
    pub severity: RuleSeverity,
}

/// The Stage 1 documents, the facts kinds that hold them and the rules that test them.
pub const STAGE1: [(&str, &[&str], &[&str]); 9] = [
    ("ISMS scope", &["org_profile"], &["isms.scope-documented"]),
    (
        "Information security policy",
        &["policy"],
        &["isms.policy-approved", "isms.policies-reviewed"],
    ),
    (
        "Risk assessment method",
        &["risk_register"],
        &["risk.method-defined"],
    ),
    (
        "Risk assessment",
        &["risk_register"],
        &["risk.assessment-current"],
    ),
    (
        "Statement of Applicability",
        &["soa"],
        &["soa.complete", "soa.exclusions-justified", "soa.reviewed"],
    ),
    (
        "Risk treatment plan",
        &["risk_register"],
        &["risk.high-risks-treated"],
    ),
    (
        "Internal audit",
        &["internal_audit"],
        &["audit.programme-run", "audit.substantive"],
    ),
    (
        "Management review",
        &["management_review"],
        &["review.held", "review.inputs-outputs"],
    ),
    (
        "Corrective action register",
        &["corrective_action"],
        &[
            "improvement.actions-closed",
            "improvement.root-cause-recorded",
            "improvement.effectiveness-verified",
        ],
    ),
];

/// The guide's common gaps: (name, the guide's heading, rule id prefixes or ids that detect it).
pub const COMMON_GAPS: [(&str, &str, &[&str]); 6] = [
    (
        "weak risk assessment",
        "Risk assessment lacks rigor",
        &["risk."],
    ),
    (
        "stale or incomplete SoA",
        "Statement of Applicability is incomplete or stale",
        &["soa."],
    ),
    (
        "superficial internal audit",
        "Internal audits are superficial or missing",
        &["audit."],
    ),
    (
        "undocumented management review",
        "Management review is not documented",
        &["review."],
    ),
    (
        "corrective actions not closed or verified",
        "Corrective action process is underdeveloped",
        &["improvement."],
    ),
    (
        "access management gaps",
        "Access management evidence is inconsistent",
        &["access.", "people.leavers-access-removed"],
    ),
];

/// One Stage 1 document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage1Item {
    /// What the auditor reviews.
    pub item: String,
    /// Facts kinds that hold it.
    pub kinds: Vec<String>,
    /// Rules that test it, with their outcomes (only those loaded).
    pub rules: Vec<RuleOutcome>,
    /// Ready, gap or missing.
    pub status: ItemStatus,
}

/// Stage 1 verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage1Verdict {
    /// Every document ready.
    Ready,
    /// Every document present, some with minor gaps.
    MinorGaps,
    /// A document missing, or a gap graded major.
    NotReady,
}

/// Stage 1: documentation review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage1 {
    /// The nine documents.
    pub items: Vec<Stage1Item>,
    /// How many are ready.
    pub ready: usize,
    /// Verdict.
    pub verdict: Stage1Verdict,
}

/// Stage 2: controls operating, with evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage2 {
    /// Annex A controls not excluded by the SoA.
    pub applicable_controls: usize,
    /// Of those, implemented and tested (a rule measured them working).
    pub implemented_and_tested: usize,
    /// `implemented_and_tested` as a share of `applicable_controls`, in percent.
    pub implemented_percent: f64,
    /// Applicable controls some rule reaches (not `untested`).
    pub tested: usize,
    /// Applicable controls measured implemented or not implemented (a full verdict, not partial).
    pub decided: usize,
    /// Test procedures of the applicable controls.
    pub procedures: usize,
    /// Of those, tested by a rule (pass, fail or not applicable).
    pub procedures_tested: usize,
    /// Of those, passing on current evidence.
    pub procedures_passing: usize,
    /// `procedures_passing` as a share of `procedures_tested`, in percent: the pass rate.
    pub pass_rate_percent: f64,
    /// `procedures_passing` as a share of all `procedures`, in percent: an untested
    /// procedure counts as not shown to work. The maturity score uses this share.
    pub passing_percent: f64,
    /// Applicable controls no rule reaches.
    pub untested: usize,
    /// Controls whose own rules pass (none failing).
    pub passing_controls: Vec<String>,
    /// Controls with a failing rule.
    pub failing_controls: Vec<String>,
    /// Ready when Stage 1 is not blocked and there is no major nonconformity.
    pub ready: bool,
}

/// One graded finding: a failing rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// The rule's severity: the worst grade its failure can earn.
    pub severity: RuleSeverity,
    /// The audit grade, by the extent of the failure within the severity: major
    /// nonconformity, minor nonconformity, opportunity for improvement.
    pub grade: &'static str,
    /// The grade on the severity scale, how far the failure reaches, and why.
    pub grading: crate::eval::grade::Grading,
    /// Requirements the rule tests (`FW:ID`).
    pub requirements: Vec<String>,
    /// What the failing results say.
    pub messages: Vec<String>,
}

/// Findings per grade.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GradeCounts {
    /// Major nonconformities.
    pub major: usize,
    /// Minor nonconformities.
    pub minor: usize,
    /// Opportunities for improvement.
    pub ofi: usize,
}

impl GradeCounts {
    /// Count grades (on the severity scale).
    pub fn of(grades: impl IntoIterator<Item = RuleSeverity>) -> Self {
        let mut counts = GradeCounts::default();
        for g in grades {
            match g {
                RuleSeverity::Major => counts.major += 1,
                RuleSeverity::Minor => counts.minor += 1,
                RuleSeverity::Ofi => counts.ofi += 1,
            }
        }
        counts
    }
}

/// One of the guide's common gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommonGap {
    /// Short name.
    pub name: &'static str,
    /// The guide's heading for it.
    pub guide_heading: &'static str,
    /// True when a detecting rule fails or found no evidence.
    pub present: bool,
    /// The detecting rules and their outcomes.
    pub rules: Vec<RuleOutcome>,
}

/// Measured maturity, after the guide's timeline bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Maturity {
    /// Existing policies, risk assessment and operating controls.
    Mature,
    /// Some policies and controls, gaps in documentation and formal processes.
    Moderate,
    /// No formal ISMS yet.
    FromScratch,
}

impl Maturity {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Maturity::Mature => "mature",
            Maturity::Moderate => "moderate",
            Maturity::FromScratch => "from scratch",
        }
    }
}

/// A range of whole numbers (months, US dollars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    /// Low end.
    pub low: u32,
    /// High end.
    pub high: u32,
}

pub(crate) const fn range(low: u32, high: u32) -> Range {
    Range { low, high }
}

/// The guide's breakdown of a first certification, in months.
pub(crate) const PHASES: [(&str, Range); 4] = [
    ("gap analysis and ISMS design", range(2, 4)),
    ("control implementation and documentation", range(2, 4)),
    ("ISMS operation to generate evidence", range(2, 3)),
    ("Stage 1 and Stage 2 audits", range(2, 3)),
];

/// The indicative timeline and cost, from the guide's benchmarks, moved by the drivers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Always `estimate`: these are benchmarks, not a quote.
    pub label: &'static str,
    /// The estimate in one sentence: months still ahead and external cost, after the drivers.
    pub headline: String,
    /// Measured maturity score, 0-1.
    pub score: f64,
    /// The band it falls in.
    pub maturity: Maturity,
    /// Months from kickoff to Stage 2 completion (the guide's band for the maturity).
    pub months: Range,
    /// The guide's phase breakdown, in months.
    pub phases: Vec<(&'static str, Range)>,
    /// The phases still ahead given the measured state and the drivers.
    pub ahead: Vec<&'static str>,
    /// Months for the phases still ahead, after the drivers.
    pub months_ahead: Range,
    /// Months still ahead from the measured state alone, before the drivers.
    pub base_months_ahead: Range,
    /// External cost to certification, US dollars, after the drivers.
    pub cost_usd: Range,
    /// The third of the guide's range the maturity picks, before the drivers.
    pub base_cost_usd: Range,
    /// Annual surveillance audits, US dollars (from the day rate when one is given).
    pub surveillance_usd_per_year: Range,
    /// Recertification in year 3, US dollars (from the day rate when one is given).
    pub recertification_usd: Range,
    /// Employees in `org_profile`, when given.
    pub employees: Option<u64>,
    /// Each driver: its value, where it came from, and how it moved the timeline and cost.
    pub drivers: Vec<DriverEffect>,
    /// The existing SOC 2 report the facts record, and whether it counted.
    pub soc2_report: Option<crate::views::drivers::Soc2Report>,
    /// The initial audit time for the headcount (Stage 1 + Stage 2), when a headcount is known.
    pub auditor_days: Option<f64>,
    /// How the figures were chosen, and caveats.
    pub notes: Vec<String>,
}

/// One driver of the estimate and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriverEffect {
    /// The driver.
    pub driver: &'static str,
    /// Its value.
    pub value: String,
    /// Where the value came from: a flag, `xwalk.toml:LINE`, a facts file, `measured`, `default`.
    pub from: String,
    /// How it moved the timeline.
    pub timeline: String,
    /// How it moved the cost.
    pub cost: String,
}

/// Everything `xwalk readiness` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readiness {
    /// Schema version, always [`SCHEMA`].
    pub schema: &'static str,
    /// Evaluation date.
    pub as_of: String,
    /// The organisation's name from `org_profile`, when given.
    pub organisation: Option<String>,
    /// The verdict in one sentence.
    pub verdict: String,
    /// Stage 1.
    pub stage1: Stage1,
    /// Stage 2.
    pub stage2: Stage2,
    /// Findings per grade.
    pub grades: GradeCounts,
    /// Findings, major first, then by rule id.
    pub findings: Vec<Finding>,
    /// Failures the organisation accepted under a waiver: not findings, not passes; an
    /// auditor will still ask for each risk acceptance.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accepted_exceptions: Vec<AcceptedException>,
    /// The guide's common gaps, in the guide's order.
    pub common_gaps: Vec<CommonGap>,
    /// Timeline and cost.
    pub estimate: Estimate,
}

/// A failure waived by a current risk acceptance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedException {
    /// The rule.
    pub rule: String,
    /// Its severity, had it counted.
    pub severity: Option<RuleSeverity>,
    /// The facts file of the waived result.
    pub file: Option<String>,
    /// The risk acceptance.
    pub risk: String,
    /// Who accepted it.
    pub approved_by: String,
    /// The last day it applies.
    pub expires_on: String,
}

fn accepted(evaluation: &Evaluation) -> Vec<AcceptedException> {
    evaluation
        .results
        .iter()
        .filter_map(|r| {
            let w = r.waiver.as_ref()?;
            Some(AcceptedException {
                rule: r.rule.to_string(),
                severity: r.severity,
                file: r.file.as_deref().map(str::to_string),
                risk: w.risk.clone(),
                approved_by: w.approved_by.clone(),
                expires_on: w.expires_on.to_string(),
            })
        })
        .collect()
}

/// Build the readiness view from an evaluation and the SoA view built on it.
///
/// `drivers` are the cost drivers given as flags or in `xwalk.toml`; the existing SOC 2
/// report and the headcount are read from the facts where the drivers leave them out.
pub fn build(
    rules: &RuleSet,
    evaluation: &Evaluation,
    facts: &Corpus,
    soa: &Soa,
    drivers: &crate::views::drivers::CostDrivers,
) -> Readiness {
    let outcomes = evaluation.rule_outcomes();
    let outcome_of = |id: &str| -> Option<RuleOutcome> {
        let rule = rules.get(id)?;
        Some(RuleOutcome {
            rule: id.to_string(),
            outcome: outcomes.get(id).copied().unwrap_or(Outcome::NoEvidence),
            severity: rule.meta.severity,
        })
    };
    let stage1 = stage1(facts, &outcome_of);
    let findings = findings(rules, evaluation);
    let grades = GradeCounts::of(findings.iter().map(|f| f.grading.grade));
    let stage2 = stage2(soa, stage1.verdict, grades);
    let common_gaps = COMMON_GAPS
        .iter()
        .map(|(name, heading, patterns)| {
            let rules: Vec<RuleOutcome> = rules
                .rules
                .iter()
                .filter(|r| matches_any(&r.meta.id, patterns))
                .filter_map(|r| outcome_of(&r.meta.id))
                .collect();
            let present = rules.iter().any(|r| {
                matches!(
                    r.outcome,
                    Outcome::Fail | Outcome::NoEvidence | Outcome::Waived
                )
            });
            CommonGap {
                name,
                guide_heading: heading,
                present,
                rules,
            }
        })
        .collect();
    let as_of = crate::dates::parse_date(&soa.as_of).unwrap_or_default();
    let estimate = estimate::estimate(&stage1, &stage2, facts, drivers, as_of);
    let verdict = verdict(&stage1, &stage2, grades);
    Readiness {
        schema: SCHEMA,
        as_of: soa.as_of.clone(),
        organisation: org_field(facts, "name").and_then(|v| v.as_str().map(str::to_string)),
        verdict,
        stage1,
        stage2,
        grades,
        findings,
        accepted_exceptions: accepted(evaluation),
        common_gaps,
        estimate,
    }
}

/// True when a rule id matches a prefix ending in `.` or equals an id.
fn matches_any(id: &str, patterns: &[&str]) -> bool {
    patterns.iter().any(|p| {
        if p.ends_with('.') {
            id.starts_with(p)
        } else {
            id == *p
        }
    })
}

fn stage1(facts: &Corpus, outcome_of: &dyn Fn(&str) -> Option<RuleOutcome>) -> Stage1 {
    let items: Vec<Stage1Item> = STAGE1
        .iter()
        .map(|(item, kinds, ids)| {
            let rules: Vec<RuleOutcome> = ids.iter().filter_map(|id| outcome_of(id)).collect();
            let present = kinds.iter().all(|k| facts.count_of(k) > 0);
            let status = if !present
                || (!rules.is_empty() && rules.iter().all(|r| r.outcome == Outcome::NoEvidence))
            {
                ItemStatus::Missing
            } else if rules.is_empty()
                || rules
                    .iter()
                    .any(|r| !matches!(r.outcome, Outcome::Pass | Outcome::NotApplicable))
            {
                ItemStatus::Gap
            } else {
                ItemStatus::Ready
            };
            Stage1Item {
                item: item.to_string(),
                kinds: kinds.iter().map(|k| k.to_string()).collect(),
                rules,
                status,
            }
        })
        .collect();
    let ready = items
        .iter()
        .filter(|i| i.status == ItemStatus::Ready)
        .count();
    let missing = items.iter().any(|i| i.status == ItemStatus::Missing);
    let major_gap = items.iter().any(|i| {
        i.rules
            .iter()
            .any(|r| r.outcome == Outcome::Fail && r.severity == RuleSeverity::Major)
    });
    let verdict = if missing || major_gap {
        Stage1Verdict::NotReady
    } else if ready == items.len() {
        Stage1Verdict::Ready
    } else {
        Stage1Verdict::MinorGaps
    };
    Stage1 {
        items,
        ready,
        verdict,
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

fn stage2(soa: &Soa, stage1: Stage1Verdict, grades: GradeCounts) -> Stage2 {
    let applicable: Vec<_> = soa
        .entries
        .iter()
        .filter(|e| e.applicable != Some(false))
        .collect();
    let implemented = applicable
        .iter()
        .filter(|e| e.implementation == Implementation::Implemented)
        .count();
    let untested = applicable
        .iter()
        .filter(|e| e.implementation == Implementation::Untested)
        .count();
    let tested = applicable.len() - untested;
    let mut procedures = crate::coverage::ProcedureCounts::default();
    for e in &applicable {
        procedures.extend(&e.procedures);
    }
    let decided = applicable
        .iter()
        .filter(|e| {
            matches!(
                e.implementation,
                Implementation::Implemented | Implementation::NotImplemented
            )
        })
        .count();
    let own = |failing: bool| -> Vec<String> {
        soa.entries
            .iter()
            .filter(|e| {
                let fails = e.rules.iter().any(|r| r.outcome == Outcome::Fail);
                let passes = e.rules.iter().any(|r| r.outcome == Outcome::Pass);
                // A waived failure is not a pass: such a control is not listed as passing.
                let waived = e.rules.iter().any(|r| r.outcome == Outcome::Waived);
                if failing {
                    fails
                } else {
                    passes && !fails && !waived
                }
            })
            .map(|e| e.control.clone())
            .collect()
    };
    Stage2 {
        applicable_controls: applicable.len(),
        implemented_and_tested: implemented,
        implemented_percent: percent(implemented, applicable.len()),
        tested,
        decided,
        procedures: procedures.total,
        procedures_tested: procedures.tested,
        procedures_passing: procedures.passing,
        pass_rate_percent: percent(procedures.passing, procedures.tested),
        passing_percent: percent(procedures.passing, procedures.total),
        untested,
        passing_controls: own(false),
        failing_controls: own(true),
        ready: stage1 != Stage1Verdict::NotReady && grades.major == 0,
    }
}

fn findings(rules: &RuleSet, evaluation: &Evaluation) -> Vec<Finding> {
    let mut by_rule: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in evaluation
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
    {
        by_rule.entry(&r.rule).or_default().push(r.message.clone());
    }
    let mut out: Vec<Finding> = by_rule
        .into_iter()
        .filter_map(|(id, messages)| {
            let rule = rules.get(id)?;
            let grading =
                crate::eval::grade::grade_rule(rule.meta.severity, evaluation.of_rule(id));
            Some(Finding {
                rule: id.to_string(),
                title: rule.meta.title.clone(),
                severity: rule.meta.severity,
                grade: grading.grade.finding(),
                grading,
                requirements: rule
                    .meta
                    .requirements
                    .iter()
                    .map(|r| r.to_string())
                    .collect(),
                messages,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.grading.grade, &a.rule).cmp(&(b.grading.grade, &b.rule)));
    out
}

fn org_field(facts: &Corpus, key: &str) -> Option<Value> {
    facts
        .resident()
        .of_kind("org_profile")
        .find_map(|d| d.value.get(key).cloned())
}

pub(crate) fn employees(facts: &Corpus) -> Option<u64> {
    org_field(facts, "employees").and_then(|v| v.as_u64())
}

/// Maturity score: mean of the Stage 1 ready share and the share of all procedures of
/// applicable controls that pass. An untested procedure weighs as one not shown to work: a
/// high pass rate on a few tested procedures must not read as a mature ISMS.
pub(crate) fn score(stage1: &Stage1, stage2: &Stage2) -> f64 {
    let docs = stage1.ready as f64 / stage1.items.len().max(1) as f64;
    (docs + stage2.passing_percent / 100.0) / 2.0
}

/// Stage 1 documents with a failing rule of major severity.
fn major_gaps(stage1: &Stage1) -> Vec<&str> {
    stage1
        .items
        .iter()
        .filter(|i| {
            i.rules
                .iter()
                .any(|r| r.outcome == Outcome::Fail && r.severity == RuleSeverity::Major)
        })
        .map(|i| i.item.as_str())
        .collect()
}

fn verdict(stage1: &Stage1, stage2: &Stage2, grades: GradeCounts) -> String {
    let missing: Vec<&str> = stage1
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Missing)
        .map(|i| i.item.as_str())
        .collect();
    match stage1.verdict {
        Stage1Verdict::NotReady if !missing.is_empty() => format!(
            "not ready for Stage 1: missing {}; {} major and {} minor nonconformities",
            missing.join(", "),
            grades.major,
            grades.minor
        ),
        Stage1Verdict::NotReady => format!(
            "not ready for Stage 1: major gaps in {}; {} major and {} minor nonconformities",
            major_gaps(stage1).join(", "),
            grades.major,
            grades.minor
        ),
        _ if !stage2.ready => format!(
            "ready for Stage 1{}; not ready for Stage 2: {} to fix first",
            if stage1.verdict == Stage1Verdict::MinorGaps {
                " (with minor documentation gaps)"
            } else {
                ""
            },
            crate::diag::counted_as(grades.major, "major nonconformity", "major nonconformities")
        ),
        _ => format!(
            "ready for Stage 1 and Stage 2: no major nonconformity; {} minor nonconformities to fix within about 90 days",
            grades.minor
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_ids_match_rule_ids() {
        assert!(matches_any("soa.reviewed", &["soa."]));
        assert!(!matches_any("soap.x", &["soa."]));
        assert!(matches_any(
            "people.leavers-access-removed",
            &["access.", "people.leavers-access-removed"]
        ));
        assert!(!matches_any(
            "people.screening",
            &["access.", "people.leavers-access-removed"]
        ));
    }
}
