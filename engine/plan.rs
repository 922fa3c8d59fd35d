//! The unified audit plan: one evidence request list for several frameworks at once.
//!
//! 1. The assessable requirements of the chosen frameworks (less the Annex A controls the SoA
//!    excludes) are grouped into *common objectives*: the connected components of the graph whose
//!    edges are the `equal`, `subset-of`, `superset-of` and `intersects-with` links between
//!    requirements of two different chosen frameworks. Each objective is named after its first
//!    ISO 27001:2022 member, or its first member when it has none.
//! 2. Every rule of the rule set is a candidate *evidence request*: collect the facts it reads.
//!    It covers the requirements it tests and those they reach through a full link (`equal`,
//!    `superset-of`); partial links are listed as partly supported and never count as covered.
//!    Every requirement no rule covers gets a candidate "Documented evidence for ..." request,
//!    which also covers the still-uncovered requirements it fully satisfies through a link.
//! 3. Requests are ordered by *greedy set cover*: each next request is the one that covers the
//!    most still-uncovered requirements (ties: rule-based first, then by id). Requests that add
//!    nothing are reported apart as redundant.
//! 4. The same procedure run on each framework alone gives the requests each would need
//!    separately; the difference to the unified list is the effort saved by reuse.

use crate::coverage::{self, Coverage, Status};
use crate::crosswalk::{Crosswalk, NodeId, Relationship, Support};
use crate::error::Error;
use crate::eval::{Evaluation, Outcome};
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// The name of the ordering method, as reports print it.
pub const METHOD: &str = "greedy set cover";

/// A reader's name for the evidence a facts kind holds.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "org_profile" => "Organisation profile",
        "policy" => "Policy register",
        "risk_register" => "Risk register",
        "soa" => "Statement of Applicability",
        "objectives" => "Security objectives register",
        "internal_audit" => "Internal audit programme and reports",
        "management_review" => "Management review records",
        "corrective_action" => "Corrective action register",
        "isms_change" => "ISMS change log",
        "people" => "HR roster",
        "training" => "Training records",
        "accounts" => "Identity provider export",
        "access_review" => "Access review records",
        "backup" => "Backup job report",
        "logging" => "Logging configuration",
        "monitoring" => "Security alert log",
        "vulnerability_scan" => "Vulnerability scan report",
        "asset_inventory" => "Asset inventory",
        "change" => "Change log",
        "repository" => "Source repository settings",
        "supplier" => "Supplier register",
        "incident" => "Incident register and response plan",
        "bcdr_test" => "Continuity and recovery test records",
        "threat_intel" => "Threat intelligence sources",
        "dlp" => "Data leakage prevention configuration",
        other => other,
    }
}

/// What collecting a rule's facts means, e.g. `Identity provider export (accounts): every ...`.
pub fn collect_text(kinds: &[String], title: &str) -> String {
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} ({k})", kind_label(k)))
        .collect();
    let mut chars = title.chars();
    let title = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    };
    format!("{}: {title}", labels.join(" + "))
}

/// Whether the current facts already satisfy a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequestState {
    /// The rule passes on the facts collected.
    Satisfied,
    /// The rule fails: the evidence exists and shows a gap.
    Failing,
    /// No facts of the kinds needed (or a documented-evidence request, which no rule reads).
    NotCollected,
    /// The rule says it does not apply to this organisation.
    NotApplicable,
    /// The rule could not be evaluated.
    Error,
}

impl RequestState {
    /// Every state, in report order.
    pub const ALL: [RequestState; 5] = [
        RequestState::Satisfied,
        RequestState::Failing,
        RequestState::NotCollected,
        RequestState::NotApplicable,
        RequestState::Error,
    ];

    fn from_outcome(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Pass => RequestState::Satisfied,
            Outcome::Fail => RequestState::Failing,
            Outcome::NoEvidence => RequestState::NotCollected,
            Outcome::NotApplicable => RequestState::NotApplicable,
            Outcome::Error => RequestState::Error,
        }
    }

    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Satisfied => "satisfied",
            RequestState::Failing => "failing",
            RequestState::NotCollected => "not yet collected",
            RequestState::NotApplicable => "not applicable",
            RequestState::Error => "error",
        }
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a request comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum RequestSource {
    /// A rule tests the requirements: collect the facts it reads.
    Rule {
        /// Rule id.
        rule: String,
        /// Facts kinds it reads.
        kinds: Vec<String>,
    },
    /// No rule tests the requirement: documented evidence is needed.
    Documented {
        /// `FW:ID` of the requirement the request is written for.
        requirement: String,
    },
}

/// One evidence request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    /// Stable id: the rule id, or `documented:FW:ID`.
    pub id: String,
    /// What to collect.
    pub collect: String,
    /// Where the request comes from.
    pub source: RequestSource,
    /// Requirements it covers, per framework (framework order, catalog order).
    pub serves: BTreeMap<String, Vec<String>>,
    /// Requirements it only partly supports (partial links), per framework.
    pub supports: BTreeMap<String, Vec<String>>,
    /// Requirements it newly covered when the set cover picked it (0 for redundant requests).
    pub new: usize,
    /// Whether current facts already satisfy it.
    pub state: RequestState,
}

impl Request {
    /// Number of frameworks whose requirements it covers.
    pub fn framework_count(&self) -> usize {
        self.serves.values().filter(|ids| !ids.is_empty()).count()
    }
}

/// A group of requirements linked across the chosen frameworks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Objective {
    /// `FW:ID` of the member it is named after.
    pub name: String,
    /// That member's title.
    pub title: String,
    /// Members per framework, in catalog order.
    pub members: BTreeMap<String, Vec<String>>,
}

impl Objective {
    /// True when the objective has members in two or more frameworks.
    pub fn is_shared(&self) -> bool {
        self.members.values().filter(|m| !m.is_empty()).count() > 1
    }
}

/// One chosen framework in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkPlan {
    /// Framework id.
    pub framework: String,
    /// Requirements planned (assessable, not excluded).
    pub requirements: usize,
    /// Annex A controls left out because the SoA excludes them.
    pub excluded: usize,
    /// Requests this framework would need on its own (greedy set cover over it alone).
    pub requests_alone: usize,
    /// Requirements that share nothing with the other chosen frameworks.
    pub specific: Vec<String>,
}

/// The effort saved by collecting evidence once for all frameworks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effort {
    /// Requests in the unified plan.
    pub with_reuse: usize,
    /// Sum of the requests each framework needs on its own.
    pub separately: usize,
    /// `separately - with_reuse`.
    pub saved: usize,
    /// `saved` as a share of `separately`, in percent.
    pub saved_percent: f64,
}

/// The unified audit plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// How requests are ordered: always [`METHOD`].
    pub method: &'static str,
    /// The chosen frameworks.
    pub frameworks: Vec<FrameworkPlan>,
    /// Common objectives, shared ones first, then by name.
    pub objectives: Vec<Objective>,
    /// The requests, in set-cover order.
    pub requests: Vec<Request>,
    /// Rule-based requests that cover nothing the plan does not already cover.
    pub redundant: Vec<Request>,
    /// Reuse figures.
    pub effort: Effort,
}

impl Plan {
    /// Number of requests in a state.
    pub fn count(&self, state: RequestState) -> usize {
        self.requests.iter().filter(|r| r.state == state).count()
    }
}

/// A candidate request before ordering.
struct Candidate {
    id: String,
    collect: String,
    source: RequestSource,
    rank: (u8, (usize, u64, String)),
    covers: BTreeSet<NodeId>,
    partly: BTreeSet<NodeId>,
    state: RequestState,
}

/// Build the plan for `frameworks` (two or more make sense; one is allowed).
///
/// `coverage` must include every chosen framework; it decides which Annex A controls the SoA
/// excludes.
pub fn build(
    crosswalk: &Crosswalk,
    rules: &RuleSet,
    evaluation: &Evaluation,
    coverage: &Coverage,
    frameworks: &[String],
) -> Result<Plan, Error> {
    if frameworks.is_empty() {
        return Err(Error::Usage(
            "the plan needs at least one --framework".into(),
        ));
    }
    let mut universe: BTreeMap<String, Vec<NodeId>> = BTreeMap::new();
    let mut excluded: BTreeMap<String, usize> = BTreeMap::new();
    for fw in frameworks {
        crosswalk.framework(fw)?;
        let cov = coverage
            .frameworks
            .iter()
            .find(|c| &c.framework == fw)
            .ok_or_else(|| Error::Usage(format!("no coverage computed for {fw}")))?;
        let mut nodes = Vec::new();
        for r in &cov.requirements {
            if r.status == Status::NotApplicable {
                *excluded.entry(fw.clone()).or_default() += 1;
                continue;
            }
            nodes.extend(crosswalk.find(fw, &r.id));
        }
        universe.insert(fw.clone(), nodes);
    }
    let all: BTreeSet<NodeId> = universe.values().flatten().copied().collect();
    let objectives = objectives(crosswalk, &all);
    let outcomes = coverage::rule_outcomes(evaluation);
    let candidates = candidates_for(crosswalk, rules, &outcomes, &all);
    let (chosen, redundant) = greedy(&candidates, &all);
    let requests: Vec<Request> = chosen
        .iter()
        .map(|(i, new)| request(crosswalk, &candidates[*i], *new))
        .collect();
    let redundant = redundant
        .iter()
        .map(|i| request(crosswalk, &candidates[*i], 0))
        .collect();
    let mut plans = Vec::new();
    for fw in frameworks {
        let alone: BTreeSet<NodeId> = universe.get(fw).into_iter().flatten().copied().collect();
        let own = candidates_for(crosswalk, rules, &outcomes, &alone);
        let (picked, _) = greedy(&own, &alone);
        let specific = objectives
            .iter()
            .filter(|o| !o.is_shared())
            .flat_map(|o| o.members.get(fw).into_iter().flatten().cloned())
            .collect::<Vec<_>>();
        plans.push(FrameworkPlan {
            framework: fw.clone(),
            requirements: alone.len(),
            excluded: excluded.get(fw).copied().unwrap_or(0),
            requests_alone: picked.len(),
            specific: sort_ids(crosswalk, fw, specific),
        });
    }
    let separately: usize = plans.iter().map(|p| p.requests_alone).sum();
    let with_reuse = requests.len();
    let saved = separately.saturating_sub(with_reuse);
    Ok(Plan {
        method: METHOD,
        frameworks: plans,
        objectives,
        requests,
        redundant,
        effort: Effort {
            with_reuse,
            separately,
            saved,
            saved_percent: if separately == 0 {
                0.0
            } else {
                saved as f64 * 100.0 / separately as f64
            },
        },
    })
}

fn sort_ids(crosswalk: &Crosswalk, fw: &str, ids: Vec<String>) -> Vec<String> {
    let mut nodes: Vec<NodeId> = ids.iter().filter_map(|id| crosswalk.find(fw, id)).collect();
    nodes.sort_by_key(|n| crosswalk.sort_key(*n));
    nodes.dedup();
    nodes
        .into_iter()
        .map(|n| crosswalk.node(n).id.clone())
        .collect()
}

/// True for the relationships that put two requirements in one objective.
fn groups(relationship: Relationship) -> bool {
    !matches!(relationship, Relationship::NotRelated)
}

/// Connected components of the cross-framework links inside `universe`.
fn objectives(crosswalk: &Crosswalk, universe: &BTreeSet<NodeId>) -> Vec<Objective> {
    let nodes: Vec<NodeId> = universe.iter().copied().collect();
    let index: HashMap<NodeId, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut parent: Vec<usize> = (0..nodes.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, node) in nodes.iter().enumerate() {
        let fw = &crosswalk.node(*node).framework;
        for view in crosswalk.links(*node) {
            let Some(j) = index.get(&view.other).copied() else {
                continue;
            };
            if &crosswalk.node(view.other).framework == fw || !groups(view.relationship) {
                continue;
            }
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut components: BTreeMap<usize, Vec<NodeId>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let r = root(&mut parent, i);
        components.entry(r).or_default().push(*node);
    }
    let mut named: Vec<((bool, (usize, u64, String)), Objective)> = components
        .into_values()
        .map(|mut members| {
            members.sort_by_key(|n| crosswalk.sort_key(*n));
            let namesake = members
                .iter()
                .copied()
                .find(|n| crosswalk.node(*n).framework == crate::soa::ISO_2022)
                .unwrap_or(members[0]);
            let mut by_fw: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for m in &members {
                let n = crosswalk.node(*m);
                by_fw
                    .entry(n.framework.clone())
                    .or_default()
                    .push(n.id.clone());
            }
            let n = crosswalk.node(namesake);
            let objective = Objective {
                name: n.reference().to_string(),
                title: n.title.clone(),
                members: by_fw,
            };
            ((!objective.is_shared(), crosswalk.sort_key(namesake)), objective)
        })
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    named.into_iter().map(|(_, o)| o).collect()
}

/// Requirements in `universe` a node reaches by one link of the given support.
fn reach(
    crosswalk: &Crosswalk,
    from: NodeId,
    support: Support,
    universe: &BTreeSet<NodeId>,
) -> Vec<NodeId> {
    crosswalk
        .links(from)
        .into_iter()
        .filter(|v| v.relationship.support() == support && universe.contains(&v.other))
        .map(|v| v.other)
        .collect()
}

/// Rule-based candidates, then documented-evidence candidates for what no rule covers.
fn candidates_for(
    crosswalk: &Crosswalk,
    rules: &RuleSet,
    outcomes: &BTreeMap<String, Outcome>,
    universe: &BTreeSet<NodeId>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        let tested: Vec<NodeId> = rule
            .meta
            .requirements
            .iter()
            .filter_map(|r| crosswalk.resolve(r).ok())
            .collect();
        let mut covers: BTreeSet<NodeId> = tested
            .iter()
            .copied()
            .filter(|n| universe.contains(n))
            .collect();
        let mut partly = BTreeSet::new();
        for t in &tested {
            covers.extend(reach(crosswalk, *t, Support::Full, universe));
            partly.extend(reach(crosswalk, *t, Support::Partial, universe));
        }
        if covers.is_empty() {
            continue;
        }
        partly.retain(|n| !covers.contains(n));
        let outcome = outcomes
            .get(&rule.meta.id)
            .copied()
            .unwrap_or(Outcome::NoEvidence);
        out.push(Candidate {
            id: rule.meta.id.clone(),
            collect: collect_text(&rule.meta.facts, &rule.meta.title),
            source: RequestSource::Rule {
                rule: rule.meta.id.clone(),
                kinds: rule.meta.facts.clone(),
            },
            rank: (0, (0, 0, rule.meta.id.clone())),
            covers,
            partly,
            state: RequestState::from_outcome(outcome),
        });
    }
    let ruled: BTreeSet<NodeId> = out.iter().flat_map(|c| c.covers.iter().copied()).collect();
    let open: BTreeSet<NodeId> = universe.difference(&ruled).copied().collect();
    for node in &open {
        let n = crosswalk.node(*node);
        let mut covers: BTreeSet<NodeId> = reach(crosswalk, *node, Support::Full, &open)
            .into_iter()
            .collect();
        covers.insert(*node);
        let partly = reach(crosswalk, *node, Support::Partial, universe)
            .into_iter()
            .filter(|p| !covers.contains(p))
            .collect();
        let reference = n.reference().to_string();
        out.push(Candidate {
            id: format!("documented:{reference}"),
            collect: format!("Documented evidence for {} {}", n.id, n.title),
            source: RequestSource::Documented {
                requirement: reference,
            },
            rank: (1, crosswalk.sort_key(*node)),
            covers,
            partly,
            state: RequestState::NotCollected,
        });
    }
    out.sort_by(|a, b| a.rank.cmp(&b.rank));
    out
}

/// Greedy set cover: indices of the chosen candidates with what each newly covered, then the
/// rule-based candidates that added nothing.
fn greedy(candidates: &[Candidate], universe: &BTreeSet<NodeId>) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut uncovered: BTreeSet<NodeId> = universe.clone();
    let mut used = vec![false; candidates.len()];
    let mut chosen = Vec::new();
    while !uncovered.is_empty() {
        let best = candidates
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, c)| (i, c.covers.intersection(&uncovered).count()))
            .filter(|(_, gain)| *gain > 0)
            // Earliest candidate wins a tie: max_by_key keeps the last maximum, so compare reversed index.
            .max_by_key(|(i, gain)| (*gain, std::cmp::Reverse(*i)));
        let Some((i, gain)) = best else {
            break;
        };
        used[i] = true;
        for n in &candidates[i].covers {
            uncovered.remove(n);
        }
        chosen.push((i, gain));
    }
    let redundant = candidates
        .iter()
        .enumerate()
        .filter(|(i, c)| !used[*i] && matches!(c.source, RequestSource::Rule { .. }))
        .map(|(i, _)| i)
        .collect();
    (chosen, redundant)
}

fn by_framework(crosswalk: &Crosswalk, nodes: &BTreeSet<NodeId>) -> BTreeMap<String, Vec<String>> {
    let mut sorted: Vec<NodeId> = nodes.iter().copied().collect();
    sorted.sort_by_key(|n| crosswalk.sort_key(*n));
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in sorted {
        let node = crosswalk.node(n);
        out.entry(node.framework.clone())
            .or_default()
            .push(node.id.clone());
    }
    out
}

fn request(crosswalk: &Crosswalk, c: &Candidate, new: usize) -> Request {
    Request {
        id: c.id.clone(),
        collect: c.collect.clone(),
        source: c.source.clone(),
        serves: by_framework(crosswalk, &c.covers),
        supports: by_framework(crosswalk, &c.partly),
        new,
        state: c.state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_text_names_kinds_and_lowercases_the_title() {
        assert_eq!(
            collect_text(
                &["accounts".to_string()],
                "Every active human account uses MFA"
            ),
            "Identity provider export (accounts): every active human account uses MFA"
        );
        assert_eq!(
            collect_text(&["accounts".into(), "people".into()], "X"),
            "Identity provider export (accounts) + HR roster (people): x"
        );
    }
}
