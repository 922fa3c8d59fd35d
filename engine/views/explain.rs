//! One rule on some facts, and what its outcome means in every framework.

use crate::crosswalk::{Crosswalk, Relationship};
use crate::eval::{Evaluation, Outcome, RuleResult};
use crate::rules::RuleMeta;
use serde::Serialize;

/// What an outcome on a tested requirement means for a linked one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Implication {
    /// `FW:ID` of the linked requirement.
    pub requirement: String,
    /// Its title.
    pub title: String,
    /// Relationship of the tested requirement to it.
    pub relationship: Relationship,
    /// The effect, in words (`satisfied`, `partially supported`, `failing`, `none ...`).
    pub effect: String,
}

/// One requirement the rule tests directly, and its neighbours through the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestedRequirement {
    /// `FW:ID`.
    pub requirement: String,
    /// Title (empty when unknown to the crosswalk).
    pub title: String,
    /// The procedures of it the rule claims (empty: a bare tag).
    pub procedures: Vec<String>,
    /// Effect on the requirement itself.
    pub effect: String,
    /// Effects on linked requirements in other frameworks.
    pub implications: Vec<Implication>,
}

/// Everything `xwalk explain` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The rule's metadata.
    pub rule: RuleMeta,
    /// The value of each parameter the rule ran with, and where it came from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<crate::rules::params::ParamUse>,
    /// Overall outcome over all documents.
    pub outcome: Outcome,
    /// One row per document.
    pub results: Vec<RuleResult>,
    /// Direct requirements and what the outcome means through the crosswalk.
    pub requirements: Vec<TestedRequirement>,
}

/// The effect of a rule outcome on a linked requirement, given the relationship of the
/// tested one to it and whether the rule alone decides the tested one (it claims every
/// procedure of it). docs/coverage.md has the full table.
pub fn effect(outcome: Outcome, relationship: Relationship, decides: bool) -> &'static str {
    match (outcome, relationship) {
        (_, r) if !r.carries() => "none",
        // A failing part: the requirements containing it cannot be met.
        (Outcome::Fail, Relationship::Equal | Relationship::SubsetOf) => "failing",
        (Outcome::Fail, _) => "none (a failure travels only to what contains it)",
        (Outcome::Pass, _) if !decides => "none until it is fully satisfied",
        (Outcome::Pass, r) if r.support() == crate::crosswalk::Support::Full => "satisfied",
        (Outcome::Pass, _) => "partially supported",
        _ => "none",
    }
}

fn own_effect(outcome: Outcome, claimed: usize, total: usize, stale: &[String]) -> String {
    match outcome {
        Outcome::Pass if !stale.is_empty() => format!(
            "not a pass: the evidence is older than the renewal period of {}, or undated",
            stale.join(", ")
        ),
        Outcome::Fail => "failing".to_string(),
        Outcome::Waived => {
            "waived: an accepted exception under a current risk acceptance, never a pass".to_string()
        }
        Outcome::NotApplicable => "not applicable to these facts".to_string(),
        Outcome::NoEvidence => "unknown (no evidence): never a pass".to_string(),
        Outcome::Error => "unknown (rule error): never a pass".to_string(),
        Outcome::Pass if claimed == 0 => {
            "partially supported (tagged without naming a procedure)".to_string()
        }
        Outcome::Pass if claimed == total => format!(
            "satisfied: this rule tests all {total} procedure{}",
            if total == 1 { "" } else { "s" }
        ),
        Outcome::Pass => format!(
            "partial: {claimed} of {total} procedures passing from this rule; satisfied only when the others pass too"
        ),
    }
}

/// Explain one rule's evaluation.
pub fn explain(crosswalk: &Crosswalk, rule: &RuleMeta, evaluation: &Evaluation) -> Explanation {
    let evidence = crate::coverage::RuleEvidence::of(evaluation);
    let outcome = evidence.outcome(&rule.id);
    let requirements = rule
        .requirements
        .iter()
        .map(|r| {
            let node = crosswalk.resolve(r).ok();
            let procedures: Vec<String> = rule
                .procedures
                .iter()
                .filter(|p| &p.requirement == r)
                .map(|p| p.procedure.clone())
                .collect();
            let total = node.map_or(0, |n| crosswalk.procedures(n).len());
            let claimed = node.map_or(0, |n| {
                crosswalk
                    .procedures(n)
                    .iter()
                    .filter(|p| procedures.contains(&p.id))
                    .count()
            });
            // Claimed procedures whose evidence is too old for them: the pass does not count.
            let stale: Vec<String> = node
                .map(|n| crosswalk.procedures(n))
                .unwrap_or_default()
                .iter()
                .filter(|p| procedures.contains(&p.id) && !evidence.current(&rule.id, p.renewal))
                .map(|p| p.id.clone())
                .collect();
            let decides = total > 0 && claimed == total && stale.is_empty();
            let implications = node
                .map(|n| {
                    crosswalk
                        .links(n)
                        .into_iter()
                        .filter(|v| crosswalk.node(v.other).framework != r.framework)
                        .filter(|v| v.relationship.carries())
                        .map(|v| {
                            let other = crosswalk.node(v.other);
                            Implication {
                                requirement: other.reference().to_string(),
                                title: other.title.clone(),
                                relationship: v.relationship,
                                effect: effect(outcome, v.relationship, decides).to_string(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            TestedRequirement {
                requirement: r.to_string(),
                title: node
                    .map(|n| crosswalk.node(n).title.clone())
                    .unwrap_or_default(),
                procedures,
                effect: own_effect(outcome, claimed, total, &stale),
                implications,
            }
        })
        .collect();
    Explanation {
        rule: rule.clone(),
        params: Vec::new(),
        outcome,
        results: evaluation.of_rule(&rule.id).cloned().collect(),
        requirements,
    }
}
