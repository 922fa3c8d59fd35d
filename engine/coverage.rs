//! Coverage: a status for every assessable requirement, from its test procedures, the
//! rule results that claim them, and crosswalk links read with set semantics.
//!
//! Each procedure of a requirement is `passing` (every rule claiming it passes),
//! `failing` (one fails), `unknown` (one could not tell: error, no evidence), `not-applicable`
//! (every claiming rule found nothing to test) or `untested` (no rule claims it). A rule
//! that tags the requirement without claiming a procedure counts as partial support only.
//!
//! A requirement is
//! - `not-applicable` when the SoA facts exclude it (ISO 27001:2022 Annex A only);
//! - `failing` when a procedure or a tagging rule fails, or when a requirement it
//!   contains (linked `equal` or `subset-of` towards it) is failing by its own results;
//! - `satisfied` when every procedure passes (or is not applicable, with at least one
//!   passing) and nothing is unknown, or when a requirement satisfied by its own
//!   procedures contains it (`equal` or `superset-of` towards it) and nothing of its own
//!   is unknown;
//! - `partial` when something passes short of that, or a satisfied requirement reaches it
//!   through a link that guarantees nothing (`subset-of`, `intersects-with`);
//! - `untested` otherwise.
//!
//! Links are followed one step from requirements whose own results decided them, so
//! coverage never snowballs along chains. docs/coverage.md has the full truth table.

use crate::crosswalk::{Crosswalk, Examines, NodeId, Relationship, Renewal, Scope, Support};
use crate::eval::{Evaluation, Outcome};
use crate::facts::FactsSet;
use crate::ids::ISO_2022;
use crate::ids::{FrameworkId, RuleId};
use crate::rules::RuleSet;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// The coverage status of one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Met, by its own rules or through a full link.
    Satisfied,
    /// Only partly supported.
    Partial,
    /// A rule testing it fails.
    Failing,
    /// Nothing reaches it.
    Untested,
    /// Excluded in the Statement of Applicability.
    NotApplicable,
}

impl Status {
    /// All statuses in report order.
    pub const ALL: [Status; 5] = [
        Status::Satisfied,
        Status::Partial,
        Status::Failing,
        Status::Untested,
        Status::NotApplicable,
    ];

    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Partial => "partial",
            Status::Failing => "failing",
            Status::Untested => "untested",
            Status::NotApplicable => "not-applicable",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a requirement has its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "via", rename_all = "kebab-case")]
pub enum Trace {
    /// A rule that tests the requirement directly, with its overall outcome.
    Rule {
        /// Rule id.
        rule: String,
        /// Worst outcome over the documents it ran on.
        outcome: Outcome,
        /// The procedure it tests, or none for a bare tag (partial support only).
        #[serde(skip_serializing_if = "Option::is_none")]
        procedure: Option<String>,
    },
    /// A link from a requirement whose own rules satisfied it.
    Link {
        /// `FW:ID` of the linked requirement.
        from: String,
        /// Relationship of that requirement to this one.
        relationship: Relationship,
        /// What the link carries.
        support: Support,
        /// The passing rules behind the linked requirement.
        rules: Vec<String>,
    },
    /// A requirement this one contains (it is `equal` or `subset-of` towards this one)
    /// fails by its own results, so this one cannot be met.
    FailingPart {
        /// `FW:ID` of the failing requirement.
        from: String,
        /// Relationship of that requirement to this one.
        relationship: Relationship,
        /// The failing rules behind it.
        rules: Vec<String>,
    },
    /// A requirement this one contains has a failure accepted under a waiver: this one
    /// cannot be satisfied while that part is not working.
    WaivedPart {
        /// `FW:ID` of the requirement with the waived failure.
        from: String,
        /// Relationship of that requirement to this one.
        relationship: Relationship,
        /// The rules whose failures are waived.
        rules: Vec<String>,
    },
    /// An exclusion in the Statement of Applicability.
    Excluded {
        /// Evidence reference of the SoA entry.
        evidence: String,
        /// The justification given (empty when missing).
        justification: String,
    },
}

/// Coverage of one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementCoverage {
    /// Requirement id.
    pub id: String,
    /// Level name.
    pub kind: String,
    /// Short title.
    pub title: String,
    /// Status.
    pub status: Status,
    /// Its test procedures and what the rules say of each.
    pub procedures: Vec<ProcedureCoverage>,
    /// Procedure totals.
    pub procedure_counts: ProcedureCounts,
    /// What produced the status.
    pub because: Vec<Trace>,
}

impl RequirementCoverage {
    /// "k of m procedures passing, t tested".
    pub fn procedure_summary(&self) -> String {
        self.procedure_counts.summary()
    }

    /// True when its own procedures meet it, whatever its links say ([`all_met`]).
    pub fn met_by_own_procedures(&self) -> bool {
        all_met(&self.procedures)
    }
}

/// True when there are procedures, every one passing or not applicable, and at least one
/// passing: what a requirement's own results need to be satisfied.
pub fn all_met(procedures: &[ProcedureCoverage]) -> bool {
    !procedures.is_empty()
        && procedures.iter().all(|p| {
            matches!(
                p.status,
                ProcedureStatus::Passing | ProcedureStatus::NotApplicable
            )
        })
        && procedures
            .iter()
            .any(|p| p.status == ProcedureStatus::Passing)
}

/// The status of one test procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProcedureStatus {
    /// Every rule claiming it passes.
    Passing,
    /// A rule claiming it fails.
    Failing,
    /// A rule claiming it could not tell (error, no evidence): never a pass.
    Unknown,
    /// A claiming rule passed on evidence older than the procedure's renewal period at
    /// the evaluation date, or on undated evidence: never a pass.
    Stale,
    /// A claiming rule failed and the failure is waived by a current risk acceptance: an
    /// accepted exception, never a pass.
    Waived,
    /// Every rule claiming it found nothing to test.
    NotApplicable,
    /// No rule claims it: it needs evidence collected by hand.
    Untested,
}

impl ProcedureStatus {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ProcedureStatus::Passing => "passing",
            ProcedureStatus::Failing => "failing",
            ProcedureStatus::Unknown => "unknown",
            ProcedureStatus::Stale => "stale",
            ProcedureStatus::Waived => "waived",
            ProcedureStatus::NotApplicable => "not-applicable",
            ProcedureStatus::Untested => "untested",
        }
    }

    /// The status given the outcomes of the rules claiming the procedure, each with
    /// whether its passes rest on current evidence.
    pub fn from_outcomes(outcomes: impl IntoIterator<Item = (Outcome, bool)>) -> Self {
        let (mut any, mut pass, mut fail, mut unsure, mut stale, mut waived) =
            (false, false, false, false, false, false);
        for (o, current) in outcomes {
            any = true;
            match o {
                Outcome::Pass if !current => stale = true,
                Outcome::Pass => pass = true,
                Outcome::Fail => fail = true,
                Outcome::Error | Outcome::NoEvidence => unsure = true,
                Outcome::Waived => waived = true,
                Outcome::NotApplicable => {}
            }
        }
        if !any {
            ProcedureStatus::Untested
        } else if fail {
            ProcedureStatus::Failing
        } else if unsure {
            ProcedureStatus::Unknown
        } else if waived {
            ProcedureStatus::Waived
        } else if stale {
            ProcedureStatus::Stale
        } else if pass {
            ProcedureStatus::Passing
        } else {
            ProcedureStatus::NotApplicable
        }
    }
}

impl fmt::Display for ProcedureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One procedure of a requirement and what the rules claiming it say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcedureCoverage {
    /// The procedure slug.
    pub id: String,
    /// Design or operation.
    pub tests: Examines,
    /// How long its evidence stays current.
    pub renewal: Renewal,
    /// Its status.
    pub status: ProcedureStatus,
    /// The rules claiming it.
    pub rules: Vec<String>,
}

/// Totals over procedures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ProcedureCounts {
    /// Procedures.
    pub total: usize,
    /// Claimed by at least one rule that gave an answer (pass, fail or not applicable).
    pub tested: usize,
    /// Passing.
    pub passing: usize,
    /// Failing.
    pub failing: usize,
    /// Unknown: a claiming rule could not tell.
    pub unknown: usize,
    /// Stale: a claiming rule passed on evidence too old for the renewal period, or undated.
    pub stale: usize,
    /// Waived: a claiming rule's failure is an accepted exception under a current waiver.
    #[serde(skip_serializing_if = "is_zero")]
    pub waived: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ProcedureCounts {
    fn add(&mut self, status: ProcedureStatus) {
        self.total += 1;
        match status {
            ProcedureStatus::Passing => self.passing += 1,
            ProcedureStatus::Failing => self.failing += 1,
            ProcedureStatus::Unknown => self.unknown += 1,
            ProcedureStatus::Stale => self.stale += 1,
            ProcedureStatus::Waived => self.waived += 1,
            _ => {}
        }
        if matches!(
            status,
            ProcedureStatus::Passing | ProcedureStatus::Failing | ProcedureStatus::NotApplicable
        ) {
            self.tested += 1;
        }
    }

    /// Add another set of counts to these.
    pub fn extend(&mut self, other: &ProcedureCounts) {
        self.total += other.total;
        self.tested += other.tested;
        self.passing += other.passing;
        self.failing += other.failing;
        self.unknown += other.unknown;
        self.stale += other.stale;
        self.waived += other.waived;
    }

    /// "k of m procedures passing, t tested".
    pub fn summary(&self) -> String {
        format!(
            "{} of {} procedures passing, {} tested",
            self.passing, self.total, self.tested
        )
    }
}

/// Counts of requirements per status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Assessable requirements.
    pub total: usize,
    /// Satisfied.
    pub satisfied: usize,
    /// Partial.
    pub partial: usize,
    /// Failing.
    pub failing: usize,
    /// Untested.
    pub untested: usize,
    /// Not applicable.
    pub not_applicable: usize,
}

impl StatusCounts {
    /// Count of one status.
    pub fn get(&self, status: Status) -> usize {
        match status {
            Status::Satisfied => self.satisfied,
            Status::Partial => self.partial,
            Status::Failing => self.failing,
            Status::Untested => self.untested,
            Status::NotApplicable => self.not_applicable,
        }
    }

    fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Satisfied => self.satisfied += 1,
            Status::Partial => self.partial += 1,
            Status::Failing => self.failing += 1,
            Status::Untested => self.untested += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }

    /// Share of a status among applicable requirements, in percent.
    pub fn percent(&self, status: Status) -> f64 {
        let applicable = self.total - self.not_applicable;
        match (status, applicable) {
            (Status::NotApplicable, _) if self.total > 0 => {
                self.not_applicable as f64 * 100.0 / self.total as f64
            }
            (_, 0) => 0.0,
            _ => self.get(status) as f64 * 100.0 / applicable as f64,
        }
    }
}

/// Coverage of one framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkCoverage {
    /// Framework id.
    pub framework: FrameworkId,
    /// Totals.
    pub counts: StatusCounts,
    /// Satisfied share of applicable requirements, in percent.
    pub satisfied_percent: f64,
    /// Procedure totals over its requirements in scope.
    pub procedures: ProcedureCounts,
    /// Every assessable requirement, in catalog order.
    pub requirements: Vec<RequirementCoverage>,
}

/// Coverage of every selected framework.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Per framework, in the order asked for.
    pub frameworks: Vec<FrameworkCoverage>,
    /// The parts of each framework counted (left out when everything is).
    #[serde(skip_serializing_if = "Scope::is_whole")]
    pub scope: Scope,
}

impl Coverage {
    /// The coverage of one framework, when it was computed.
    pub fn framework(&self, id: &str) -> Option<&FrameworkCoverage> {
        self.frameworks.iter().find(|f| f.framework == id)
    }
}

/// What each rule concluded, and when the evidence behind its passes was collected: the one
/// place that decides whether a pass is current for a procedure's renewal period.
pub struct RuleEvidence {
    outcomes: BTreeMap<RuleId, Outcome>,
    /// Per rule, the oldest collection date of its passing results (`None` inside:
    /// one of them is undated).
    oldest_pass: HashMap<RuleId, Option<Date>>,
    as_of: Option<Date>,
}

impl RuleEvidence {
    /// Read from an evaluation.
    pub fn of(evaluation: &Evaluation) -> Self {
        let mut oldest_pass: HashMap<RuleId, Option<Date>> = HashMap::new();
        for r in evaluation
            .results
            .iter()
            .filter(|r| r.outcome == Outcome::Pass)
        {
            let slot = oldest_pass.entry(r.rule.clone()).or_insert(r.collected_on);
            *slot = match (*slot, r.collected_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                _ => None,
            };
        }
        RuleEvidence {
            outcomes: evaluation.rule_outcomes(),
            oldest_pass,
            as_of: evaluation.as_of,
        }
    }

    /// The rule's overall outcome (`no-evidence` for a rule with no result).
    pub fn outcome(&self, rule: &str) -> Outcome {
        self.outcomes
            .get(rule)
            .copied()
            .unwrap_or(Outcome::NoEvidence)
    }

    /// True when every pass of `rule` rests on evidence collected within the renewal
    /// period before the evaluation date. Undated evidence is current only for
    /// procedures renewed on change.
    pub fn current(&self, rule: &str, renewal: Renewal) -> bool {
        let Some(max_age) = renewal.max_age_days() else {
            return true;
        };
        let (Some(as_of), Some(oldest)) = (self.as_of, self.oldest_pass.get(rule)) else {
            // No passes (nothing to judge), or no evaluation date (built by hand).
            return true;
        };
        match oldest {
            Some(day) => (as_of - *day).get_days() <= max_age as i32,
            None => false,
        }
    }
}

/// The verdict of a requirement's own procedures and tagging rules.
struct Direct {
    status: Option<Status>,
    /// Something of its own could not tell: no link may satisfy it.
    blocked: bool,
    procedures: Vec<ProcedureCoverage>,
    traces: Vec<Trace>,
    passing: Vec<String>,
    failing: Vec<String>,
    /// Rules whose failure here is waived (an accepted exception).
    waived: Vec<String>,
}

/// The rules bearing on one requirement: per procedure slug, and bare tags.
#[derive(Default)]
struct Claims<'a> {
    by_procedure: HashMap<&'a str, Vec<&'a str>>,
    bare: Vec<&'a str>,
}

fn direct(
    crosswalk: &Crosswalk,
    node: NodeId,
    claims: Option<&Claims<'_>>,
    evidence: &RuleEvidence,
) -> Direct {
    let outcome = |rule: &str| evidence.outcome(rule);
    let empty = Claims::default();
    let claims = claims.unwrap_or(&empty);
    let mut traces = Vec::new();
    let (mut passing, mut failing, mut waived_rules) = (Vec::new(), Vec::new(), Vec::new());
    let mut note = |rule: &str, o: Outcome, procedure: Option<&str>, traces: &mut Vec<Trace>| {
        match o {
            Outcome::Pass if !passing.iter().any(|r| r == rule) => passing.push(rule.to_string()),
            Outcome::Fail if !failing.iter().any(|r| r == rule) => failing.push(rule.to_string()),
            Outcome::Waived if !waived_rules.iter().any(|r| r == rule) => {
                waived_rules.push(rule.to_string())
            }
            _ => {}
        }
        traces.push(Trace::Rule {
            rule: rule.to_string(),
            outcome: o,
            procedure: procedure.map(str::to_string),
        });
    };
    let mut procedures = Vec::new();
    for p in crosswalk.procedures(node) {
        let rules = claims
            .by_procedure
            .get(p.id.as_str())
            .cloned()
            .unwrap_or_default();
        for r in &rules {
            note(r, outcome(r), Some(&p.id), &mut traces);
        }
        procedures.push(ProcedureCoverage {
            id: p.id.clone(),
            tests: p.tests,
            renewal: p.renewal,
            status: ProcedureStatus::from_outcomes(
                rules
                    .iter()
                    .map(|r| (outcome(r), evidence.current(r, p.renewal))),
            ),
            rules: rules.iter().map(|r| r.to_string()).collect(),
        });
    }
    for r in &claims.bare {
        note(r, outcome(r), None, &mut traces);
    }
    let any = |s: ProcedureStatus| procedures.iter().any(|p| p.status == s);
    let bare_fail = claims.bare.iter().any(|r| outcome(r) == Outcome::Fail);
    let bare_unsure = claims
        .bare
        .iter()
        .any(|r| matches!(outcome(r), Outcome::Error | Outcome::NoEvidence));
    let bare_pass = claims.bare.iter().any(|r| outcome(r) == Outcome::Pass);
    // A waived failure is an accepted exception: it blocks satisfaction, here and through
    // links, as unknown and stale evidence do, but it is not a failing finding.
    let bare_waived = claims.bare.iter().any(|r| outcome(r) == Outcome::Waived);
    let waived = any(ProcedureStatus::Waived) || bare_waived;
    let blocked =
        any(ProcedureStatus::Unknown) || any(ProcedureStatus::Stale) || bare_unsure || waived;
    let status = if any(ProcedureStatus::Failing) || bare_fail {
        Some(Status::Failing)
    } else if all_met(&procedures) && !blocked {
        Some(Status::Satisfied)
    } else if any(ProcedureStatus::Passing) || bare_pass || waived {
        Some(Status::Partial)
    } else {
        None
    };
    Direct {
        status,
        blocked,
        procedures,
        traces,
        passing,
        failing,
        waived: waived_rules,
    }
}

/// Compute coverage of the given frameworks, limited to the requirements in `scope`
/// (those outside it are neither counted nor listed; links from them still carry).
pub fn compute(
    crosswalk: &Crosswalk,
    rules: &RuleSet,
    evaluation: &Evaluation,
    facts: &FactsSet,
    frameworks: &[FrameworkId],
    scope: &Scope,
) -> Coverage {
    let outcomes = RuleEvidence::of(evaluation);
    let mut claims: HashMap<NodeId, Claims<'_>> = HashMap::new();
    for rule in &rules.rules {
        let id = rule.meta.id.as_str();
        for p in &rule.meta.procedures {
            // A claim on a procedure that does not exist is a check error (XW0408);
            // here it counts as a bare tag: partial support at most.
            match crosswalk.procedure(p) {
                Ok((node, procedure)) => claims
                    .entry(node)
                    .or_default()
                    .by_procedure
                    .entry(procedure.id.as_str())
                    .or_default()
                    .push(id),
                Err(_) => {
                    if let Ok(node) = crosswalk.resolve(&p.requirement) {
                        claims.entry(node).or_default().bare.push(id);
                    }
                }
            }
        }
        for r in rule.bare_requirements() {
            if let Ok(node) = crosswalk.resolve(r) {
                claims.entry(node).or_default().bare.push(id);
            }
        }
    }
    let verdicts: HashMap<NodeId, Direct> = claims
        .iter()
        .map(|(node, c)| (*node, direct(crosswalk, *node, Some(c), &outcomes)))
        .collect();
    let exclusions = crate::facts::soa::exclusions(facts);
    let frameworks = frameworks
        .iter()
        .map(|fw| {
            let mut counts = StatusCounts::default();
            let roots = scope.roots(crosswalk, fw);
            let requirements: Vec<RequirementCoverage> = crosswalk
                .assessable(fw)
                .filter(|node| crosswalk.under(*node, &roots))
                .map(|node| {
                    let excluded = (fw == ISO_2022)
                        .then(|| exclusions.get(&crosswalk.node(node).id))
                        .flatten();
                    let c = requirement(crosswalk, node, &verdicts, excluded, &outcomes);
                    counts.add(c.status);
                    c
                })
                .collect();
            let mut procedures = ProcedureCounts::default();
            for r in &requirements {
                procedures.extend(&r.procedure_counts);
            }
            FrameworkCoverage {
                framework: fw.clone(),
                satisfied_percent: counts.percent(Status::Satisfied),
                counts,
                procedures,
                requirements,
            }
        })
        .collect();
    Coverage {
        frameworks,
        scope: scope.clone(),
    }
}

fn requirement(
    crosswalk: &Crosswalk,
    node: NodeId,
    verdicts: &HashMap<NodeId, Direct>,
    excluded: Option<&(String, String)>,
    outcomes: &RuleEvidence,
) -> RequirementCoverage {
    let n = crosswalk.node(node);
    let fresh;
    let own = match verdicts.get(&node) {
        Some(d) => d,
        None => {
            fresh = direct(crosswalk, node, None, outcomes);
            &fresh
        }
    };
    let mut because: Vec<Trace> = own.traces.clone();
    let (mut full, mut partial, mut failing_part, mut waived_part) = (false, false, false, false);
    for view in crosswalk.links(node) {
        let Some(neighbour) = verdicts.get(&view.other) else {
            continue;
        };
        // The neighbour's relationship to this requirement.
        let relationship = view.relationship.inverse();
        let from = crosswalk.node(view.other).reference().to_string();
        let part = matches!(relationship, Relationship::Equal | Relationship::SubsetOf);
        if part && !neighbour.waived.is_empty() && neighbour.status != Some(Status::Failing) {
            waived_part = true;
            because.push(Trace::WaivedPart {
                from: from.clone(),
                relationship,
                rules: neighbour.waived.clone(),
            });
        }
        match neighbour.status {
            // A failing part of this requirement: it cannot be met.
            Some(Status::Failing)
                if matches!(relationship, Relationship::Equal | Relationship::SubsetOf) =>
            {
                failing_part = true;
                because.push(Trace::FailingPart {
                    from,
                    relationship,
                    rules: neighbour.failing.clone(),
                });
            }
            Some(Status::Satisfied) if relationship.carries() => {
                let support = relationship.support();
                match support {
                    Support::Full => full = true,
                    _ => partial = true,
                }
                because.push(Trace::Link {
                    from,
                    relationship,
                    support,
                    rules: neighbour.passing.clone(),
                });
            }
            _ => {}
        }
    }
    let status = if let Some((evidence, justification)) = excluded {
        because.insert(
            0,
            Trace::Excluded {
                evidence: evidence.clone(),
                justification: justification.clone(),
            },
        );
        Status::NotApplicable
    } else {
        match own.status {
            Some(Status::Failing) => Status::Failing,
            _ if failing_part => Status::Failing,
            // A part of it works only under an accepted exception: at most partial.
            Some(Status::Satisfied) if waived_part => Status::Partial,
            Some(Status::Satisfied) => Status::Satisfied,
            // Something of its own could not tell: a link never outweighs that.
            _ if full && !own.blocked && !waived_part => Status::Satisfied,
            Some(Status::Partial) => Status::Partial,
            _ if full || partial => Status::Partial,
            _ => Status::Untested,
        }
    };
    let mut procedure_counts = ProcedureCounts::default();
    for p in &own.procedures {
        procedure_counts.add(p.status);
    }
    RequirementCoverage {
        id: n.id.clone(),
        kind: n.kind.clone(),
        title: n.title.clone(),
        status,
        procedures: own.procedures.clone(),
        procedure_counts,
        because,
    }
}
