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
    /// The effect, in words: `satisfied`, `partially supported`, `failing`, `partly failing`, `at risk`.
    pub effect: String,
}

/// One requirement the rule tests directly, and its neighbours through the crosswalk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestedRequirement {
    /// `FW:ID`.
    pub requirement: String,
    /// Title (empty when unknown to the crosswalk).
    pub title: String,
    /// Effect on the requirement itself.
    pub effect: String,
    /// Effects on linked requirements in other frameworks.
    pub implications: Vec<Implication>,
}

/// Everything `xwalk explain` shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The rule's metadata.
    pub rule: RuleMeta,
    /// Overall outcome over all documents.
    pub outcome: Outcome,
    /// One row per document.
    pub results: Vec<RuleResult>,
    /// Direct requirements and what the outcome means through the crosswalk.
    pub requirements: Vec<TestedRequirement>,
}

/// The effect of a rule outcome on a linked requirement, given the relationship of the tested one to it.
pub fn effect(outcome: Outcome, relationship: Relationship) -> &'static str {
    match (outcome, relationship) {
        (_, r) if !r.carries() => "none",
        (Outcome::Pass, r) if r.support() == crate::crosswalk::Support::Full => "satisfied",
        (Outcome::Pass, _) => "partially supported",
        (Outcome::Fail, Relationship::Equal) => "failing",
        // The tested requirement is part of the linked one: that part is missing.
        (Outcome::Fail, Relationship::SubsetOf) => "partly failing",
        // The linked requirement may still hold; the finding deserves a look.
        (Outcome::Fail, Relationship::SupersetOf | Relationship::IntersectsWith) => "at risk",
        _ => "untested",
    }
}

fn own_effect(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "satisfied",
        Outcome::Fail => "failing",
        Outcome::NotApplicable => "not applicable to these facts",
        Outcome::NoEvidence => "untested (no evidence)",
        Outcome::Error => "unknown (rule error)",
    }
}

/// Explain one rule's evaluation.
pub fn explain(crosswalk: &Crosswalk, rule: &RuleMeta, evaluation: &Evaluation) -> Explanation {
    let outcome = evaluation
        .rule_outcomes()
        .get(&rule.id)
        .copied()
        .unwrap_or(Outcome::NoEvidence);
    let requirements = rule
        .requirements
        .iter()
        .map(|r| {
            let node = crosswalk.resolve(r).ok();
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
                                effect: effect(outcome, v.relationship).to_string(),
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
                effect: own_effect(outcome).to_string(),
                implications,
            }
        })
        .collect();
    Explanation {
        rule: rule.clone(),
        outcome,
        results: evaluation.of_rule(&rule.id).cloned().collect(),
        requirements,
    }
}
