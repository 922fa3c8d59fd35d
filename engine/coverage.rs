//! Coverage: a status for every assessable requirement, from rule results and crosswalk links.
//!
//! A requirement is
//! - `not-applicable` when the SoA facts exclude it (ISO 27001:2022 Annex A only);
//! - `failing` when a rule testing it fails;
//! - `satisfied` when its own rules pass (and none fail), or when a requirement
//!   its rules-tested neighbour satisfies reaches it through an `equal` or
//!   `superset-of` link;
//! - `partial` when only `subset-of` / `intersects-with` links reach it from a
//!   satisfied requirement, or when some of its rules pass and others could not
//!   tell (error, no evidence);
//! - `untested` otherwise.
//!
//! Links are followed one step from requirements whose own rules decided them,
//! so coverage never snowballs along chains of partial links.

use crate::crosswalk::{Crosswalk, NodeId, Relationship, Scope, Support};
use crate::eval::{Evaluation, Outcome};
use crate::facts::FactsSet;
use crate::ids::ISO_2022;
use crate::ids::{FrameworkId, RuleId};
use crate::rules::RuleSet;
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
    /// What produced the status.
    pub because: Vec<Trace>,
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

/// The direct verdict of a requirement's own rules.
struct Direct {
    status: Option<Status>,
    traces: Vec<Trace>,
    passing: Vec<String>,
}

fn direct(rules: &[&str], outcomes: &BTreeMap<RuleId, Outcome>) -> Direct {
    let mut traces = Vec::new();
    let mut passing = Vec::new();
    let (mut pass, mut fail, mut unsure) = (0, 0, 0);
    for rule in rules {
        let outcome = outcomes.get(*rule).copied().unwrap_or(Outcome::NoEvidence);
        match outcome {
            Outcome::Pass => {
                pass += 1;
                passing.push(rule.to_string());
            }
            Outcome::Fail => fail += 1,
            Outcome::Error | Outcome::NoEvidence => unsure += 1,
            Outcome::NotApplicable => {}
        }
        traces.push(Trace::Rule {
            rule: rule.to_string(),
            outcome,
        });
    }
    let status = match (pass, fail, unsure) {
        (_, f, _) if f > 0 => Some(Status::Failing),
        (p, 0, 0) if p > 0 => Some(Status::Satisfied),
        (p, 0, _) if p > 0 => Some(Status::Partial),
        _ => None,
    };
    Direct {
        status,
        traces,
        passing,
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
    let outcomes = evaluation.rule_outcomes();
    let mut tested_by: HashMap<NodeId, Vec<&str>> = HashMap::new();
    for rule in &rules.rules {
        for r in &rule.meta.requirements {
            if let Ok(node) = crosswalk.resolve(r) {
                tested_by
                    .entry(node)
                    .or_default()
                    .push(rule.meta.id.as_str());
            }
        }
    }
    let verdicts: HashMap<NodeId, Direct> = tested_by
        .iter()
        .map(|(node, rules)| (*node, direct(rules, &outcomes)))
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
                    let c = requirement(crosswalk, node, &verdicts, excluded);
                    counts.add(c.status);
                    c
                })
                .collect();
            FrameworkCoverage {
                framework: fw.clone(),
                satisfied_percent: counts.percent(Status::Satisfied),
                counts,
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
) -> RequirementCoverage {
    let n = crosswalk.node(node);
    let own = verdicts.get(&node);
    let mut because: Vec<Trace> = own.map(|d| d.traces.clone()).unwrap_or_default();
    let mut best_link: Option<Support> = None;
    for view in crosswalk.links(node) {
        let Some(neighbour) = verdicts.get(&view.other) else {
            continue;
        };
        if neighbour.status != Some(Status::Satisfied) {
            continue;
        }
        let relationship = view.relationship.inverse();
        let support = relationship.support();
        if support == Support::None {
            continue;
        }
        best_link = Some(best_link.map_or(support, |b| b.min(support)));
        because.push(Trace::Link {
            from: crosswalk.node(view.other).reference().to_string(),
            relationship,
            support,
            rules: neighbour.passing.clone(),
        });
    }
    let own_status = own.and_then(|d| d.status);
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
        match (own_status, best_link) {
            (Some(Status::Failing), _) => Status::Failing,
            (Some(Status::Satisfied), _) | (_, Some(Support::Full)) => Status::Satisfied,
            (Some(Status::Partial), _) | (_, Some(Support::Partial)) => Status::Partial,
            _ => Status::Untested,
        }
    };
    RequirementCoverage {
        id: n.id.clone(),
        kind: n.kind.clone(),
        title: n.title.clone(),
        status,
        because,
    }
}
