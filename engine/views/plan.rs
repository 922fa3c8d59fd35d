//! The unified audit plan: one evidence request list for several frameworks at once.
//!
//! 1. The assessable requirements of the chosen frameworks (less the Annex A controls the SoA
//!    excludes) are grouped into *common objectives* through the crosswalk: every requirement
//!    outside the anchor framework (ISO 27001:2022 when chosen, else the first one) joins its
//!    best-linked partner (`equal`, `subset-of`, `superset-of` or `intersects-with`; full
//!    support first, then the stronger link), and the objectives are the connected components
//!    of those choices, each named after its ISO 27001:2022 member or its first member.
//! 2. What has to be covered is every *test procedure* of those requirements (a requirement
//!    without procedures counts as one). Every rule of the rule set is a candidate *evidence
//!    request*: collect the facts it reads. It covers the procedures it claims and, for a
//!    requirement whose every procedure it claims, all procedures of the requirements that
//!    one contains through a full link (`equal`, `superset-of`); tags and partial links are
//!    listed as partly supported and never count as covered. Each objective whose members
//!    keep procedures no rule covers gets one candidate "Documented evidence for ..." request
//!    covering those procedures in every framework.
//! 3. Requests are ordered by *greedy set cover*: each next request is the one that covers the
//!    most still-uncovered procedures (ties: rule-based first, then by id). Rule-based
//!    requests that add nothing are reported apart as redundant.
//! 4. The same procedure run on each framework alone gives the requests each would need
//!    separately; the difference to the unified list is the effort saved by reuse.
//! 5. A requirement needs framework-specific evidence when it has no typed link to any
//!    requirement of the other chosen frameworks.

use crate::coverage::{Coverage, Status};
use crate::crosswalk::{Crosswalk, NodeId, Scope, Support};
use crate::error::Error;
use crate::eval::{Evaluation, Outcome};
use crate::ids::FrameworkId;
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// The name of the ordering method, as reports print it.
pub const METHOD: &str = "greedy set cover";

/// Version tag of `xwalk plan --format json`; bumped on any incompatible change
/// (see docs/json-outputs.md, schema in docs/schemas/plan.schema.json).
pub const SCHEMA: &str = "xwalk.plan.v1";

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
        "cloud_check" => "Cloud posture check results",
        "asset_inventory" => "Asset inventory",
        "change" => "Change log",
        "repository" => "Source repository settings",
        "supplier" => "Supplier register",
        "incident" => "Incident register and response plan",
        "bcdr_test" => "Continuity and recovery test records",
        "threat_intel" => "Threat intelligence sources",
        "dlp" => "Data leakage prevention configuration",
        "endpoint" => "Device management export",
        other => other,
    }
}

/// What collecting a rule's facts means, e.g. `Identity provider export (accounts): every ...`.
pub fn collect_text(kinds: &[String], title: &str) -> String {
    let labels: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} ({k})", kind_label(k)))
        .collect();
    // Lower-case the first letter unless it starts an acronym ("ISMS roles ...").
    let mut chars = title.chars();
    let title = match (chars.next(), title.chars().nth(1)) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => title.to_string(),
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
    /// The rule passes, but on evidence older than the renewal period of a procedure it
    /// covers (or undated): collect it again.
    Stale,
    /// The rule fails, and the failure is waived by a current risk acceptance.
    Waived,
}

impl RequestState {
    /// Every state, in report order.
    pub const ALL: [RequestState; 7] = [
        RequestState::Satisfied,
        RequestState::Failing,
        RequestState::NotCollected,
        RequestState::NotApplicable,
        RequestState::Error,
        RequestState::Stale,
        RequestState::Waived,
    ];

    fn from_outcome(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Pass => RequestState::Satisfied,
            Outcome::Fail => RequestState::Failing,
            Outcome::Waived => RequestState::Waived,
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
            RequestState::Stale => "stale, collect again",
            RequestState::Waived => "waived (accepted risk)",
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
    /// Requirements whose every procedure it covers, per framework (framework order,
    /// catalog order).
    pub serves: BTreeMap<String, Vec<String>>,
    /// Requirements it only partly supports (some procedures, a tag, a partial link).
    pub supports: BTreeMap<String, Vec<String>>,
    /// The procedures it covers, per framework, as `ID/PROCEDURE` (`ID` alone for a
    /// requirement without procedures).
    pub procedures: BTreeMap<String, Vec<String>>,
    /// Procedures it newly covered when the set cover picked it (0 for redundant requests).
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
    pub framework: FrameworkId,
    /// Requirements planned (assessable, not excluded).
    pub requirements: usize,
    /// Their test procedures (a requirement without procedures counts as one).
    pub procedures: usize,
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
    /// Schema version, always [`SCHEMA`].
    pub schema: &'static str,
    /// How requests are ordered: always [`METHOD`].
    pub method: &'static str,
    /// The framework whose requirements anchor the common objectives.
    pub anchor: String,
    /// The chosen frameworks.
    pub frameworks: Vec<FrameworkPlan>,
    /// The parts of each framework planned (left out when everything is).
    #[serde(skip_serializing_if = "Scope::is_whole")]
    pub scope: Scope,
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

/// One thing to cover: a procedure of a requirement, by index ([`WHOLE`] for a requirement
/// without procedures).
type Element = (NodeId, usize);

/// The element standing for a requirement that has no procedures.
const WHOLE: usize = usize::MAX;

/// Every element of the requirements in `nodes`.
fn elements_of(crosswalk: &Crosswalk, nodes: &BTreeSet<NodeId>) -> BTreeSet<Element> {
    nodes
        .iter()
        .flat_map(|n| {
            let count = crosswalk.procedures(*n).len();
            let indices: Vec<usize> = if count == 0 {
                vec![WHOLE]
            } else {
                (0..count).collect()
            };
            indices.into_iter().map(move |i| (*n, i))
        })
        .collect()
}

/// A candidate request before ordering.
struct Candidate {
    id: String,
    collect: String,
    source: RequestSource,
    rank: (u8, (usize, u64, String)),
    covers: BTreeSet<Element>,
    partly: BTreeSet<NodeId>,
    state: RequestState,
}

/// A common objective while planning: the member it is named after and every member.
struct Group {
    namesake: NodeId,
    members: Vec<NodeId>,
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
    let all_elements = elements_of(crosswalk, &all);
    let anchor = frameworks
        .iter()
        .find(|f| f.as_str() == crate::views::soa::ISO_2022)
        .or(frameworks.first())
        .ok_or_else(|| Error::Usage("the plan needs at least one --framework".into()))?;
    let groups = group(crosswalk, &all, anchor);
    let outcomes = crate::coverage::RuleEvidence::of(evaluation);
    let candidates = candidates_for(crosswalk, rules, &outcomes, &all, &groups);
    let (chosen, redundant) = greedy(&candidates, &all_elements);
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
        let own = candidates_for(crosswalk, rules, &outcomes, &alone, &groups);
        let alone_elements = elements_of(crosswalk, &alone);
        let (picked, _) = greedy(&own, &alone_elements);
        let specific = alone
            .iter()
            .copied()
            .filter(|n| !shares(crosswalk, *n, &all))
            .collect::<BTreeSet<_>>();
        plans.push(FrameworkPlan {
            framework: fw.into(),
            requirements: alone.len(),
            procedures: alone_elements.len(),
            excluded: excluded.get(fw).copied().unwrap_or(0),
            requests_alone: picked.len(),
            specific: ordered(crosswalk, &specific)
                .into_iter()
                .map(|n| crosswalk.node(n).id.clone())
                .collect(),
        });
    }
    let separately: usize = plans.iter().map(|p| p.requests_alone).sum();
    let with_reuse = requests.len();
    let saved = separately.saturating_sub(with_reuse);
    Ok(Plan {
        schema: SCHEMA,
        method: METHOD,
        anchor: anchor.clone(),
        frameworks: plans,
        scope: coverage.scope.clone(),
        objectives: groups.iter().map(|g| objective(crosswalk, g)).collect(),
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

/// Nodes in framework, then catalog order.
fn ordered(crosswalk: &Crosswalk, nodes: &BTreeSet<NodeId>) -> Vec<NodeId> {
    let mut sorted: Vec<NodeId> = nodes.iter().copied().collect();
    sorted.sort_by_key(|n| crosswalk.sort_key(*n));
    sorted
}

/// Links of a node that carry something, to requirements of other frameworks in `universe`.
fn cross_links<'a>(
    crosswalk: &'a Crosswalk,
    node: NodeId,
    universe: &'a BTreeSet<NodeId>,
) -> impl Iterator<Item = crate::crosswalk::LinkView<'a>> + 'a {
    let fw = crosswalk.node(node).framework.clone();
    crosswalk.links(node).into_iter().filter(move |v| {
        v.relationship.carries()
            && universe.contains(&v.other)
            && crosswalk.node(v.other).framework != fw
    })
}

/// True when a requirement has a typed link to another chosen framework.
fn shares(crosswalk: &Crosswalk, node: NodeId, universe: &BTreeSet<NodeId>) -> bool {
    cross_links(crosswalk, node, universe).next().is_some()
}

/// Group requirements into common objectives.
///
/// Every requirement outside the anchor framework joins its best partner: a requirement of
/// the anchor framework when it has a link there, otherwise of another chosen framework;
/// full support before partial, then the stronger link, then catalog order. Objectives are
/// the connected components of these choices, so each is one anchor requirement with the
/// requirements that attach to it. (Components of *all* links would melt almost everything
/// into one objective, since most SOC 2 criteria intersect several ISO controls.)
fn group(crosswalk: &Crosswalk, universe: &BTreeSet<NodeId>, anchor: &str) -> Vec<Group> {
    let nodes: Vec<NodeId> = ordered(crosswalk, universe);
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
        if crosswalk.node(*node).framework == anchor {
            continue;
        }
        let best = cross_links(crosswalk, *node, universe).min_by_key(|v| {
            (
                crosswalk.node(v.other).framework != anchor,
                v.relationship.support(),
                std::cmp::Reverse(v.link.strength),
                crosswalk.sort_key(v.other),
            )
        });
        let Some(j) = best.and_then(|v| index.get(&v.other).copied()) else {
            continue;
        };
        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut components: BTreeMap<usize, Vec<NodeId>> = BTreeMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let r = root(&mut parent, i);
        components.entry(r).or_default().push(*node);
    }
    let mut groups: Vec<Group> = components
        .into_values()
        .filter_map(|members| {
            let namesake = members
                .iter()
                .copied()
                .find(|n| crosswalk.node(*n).framework == crate::views::soa::ISO_2022)
                .or_else(|| members.first().copied())?;
            Some(Group { namesake, members })
        })
        .collect();
    groups.sort_by_key(|g| crosswalk.sort_key(g.namesake));
    groups
}

fn objective(crosswalk: &Crosswalk, g: &Group) -> Objective {
    let n = crosswalk.node(g.namesake);
    Objective {
        name: n.reference().to_string(),
        title: n.title.clone(),
        members: by_framework(crosswalk, &g.members.iter().copied().collect()),
    }
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

/// Rule-based candidates, then one documented-evidence candidate per objective for the
/// procedures no rule covers.
fn candidates_for(
    crosswalk: &Crosswalk,
    rules: &RuleSet,
    outcomes: &crate::coverage::RuleEvidence,
    universe: &BTreeSet<NodeId>,
    groups: &[Group],
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for rule in &rules.rules {
        let mut claimed: BTreeMap<NodeId, BTreeSet<usize>> = BTreeMap::new();
        for p in &rule.meta.procedures {
            if let Ok((node, procedure)) = crosswalk.procedure(p) {
                if let Some(i) = crosswalk
                    .procedures(node)
                    .iter()
                    .position(|q| q.id == procedure.id)
                {
                    claimed.entry(node).or_default().insert(i);
                }
            }
        }
        let mut covers: BTreeSet<Element> = BTreeSet::new();
        let mut partly: BTreeSet<NodeId> = BTreeSet::new();
        for (node, indices) in &claimed {
            if universe.contains(node) {
                covers.extend(indices.iter().map(|i| (*node, *i)));
            }
            // Claiming every procedure, the rule alone can satisfy the requirement, and a
            // satisfied requirement satisfies what it contains.
            if indices.len() == crosswalk.procedures(*node).len() {
                let reached: BTreeSet<NodeId> = reach(crosswalk, *node, Support::Full, universe)
                    .into_iter()
                    .collect();
                covers.extend(elements_of(crosswalk, &reached));
            } else {
                partly.insert(*node);
            }
            partly.extend(reach(crosswalk, *node, Support::Partial, universe));
        }
        for r in rule.bare_requirements() {
            if let Ok(node) = crosswalk.resolve(r) {
                partly.insert(node);
                partly.extend(reach(crosswalk, node, Support::Partial, universe));
            }
        }
        if covers.is_empty() {
            continue;
        }
        partly.retain(|n| universe.contains(n));
        // A pass on evidence too old for a procedure it covers does not satisfy the request.
        let current = rule.meta.procedures.iter().all(|p| {
            crosswalk
                .procedure(p)
                .is_ok_and(|(_, q)| outcomes.current(&rule.meta.id, q.renewal))
        });
        let state = match RequestState::from_outcome(outcomes.outcome(&rule.meta.id)) {
            RequestState::Satisfied if !current => RequestState::Stale,
            state => state,
        };
        out.push(Candidate {
            id: rule.meta.id.to_string(),
            collect: collect_text(&rule.meta.facts, &rule.meta.title),
            source: RequestSource::Rule {
                rule: rule.meta.id.to_string(),
                kinds: rule.meta.facts.clone(),
            },
            rank: (0, (0, 0, rule.meta.id.to_string())),
            covers,
            partly,
            state,
        });
    }
    let ruled: BTreeSet<Element> = out.iter().flat_map(|c| c.covers.iter().copied()).collect();
    for g in groups {
        let members: BTreeSet<NodeId> = g
            .members
            .iter()
            .copied()
            .filter(|n| universe.contains(n))
            .collect();
        let open: BTreeSet<Element> = elements_of(crosswalk, &members)
            .into_iter()
            .filter(|e| !ruled.contains(e))
            .collect();
        if open.is_empty() {
            continue;
        }
        let open_nodes: BTreeSet<NodeId> = open.iter().map(|(n, _)| *n).collect();
        let mut partly = BTreeSet::new();
        for n in &open_nodes {
            partly.extend(reach(crosswalk, *n, Support::Partial, universe));
        }
        let n = crosswalk.node(g.namesake);
        let reference = n.reference().to_string();
        out.push(Candidate {
            id: format!("documented:{reference}"),
            collect: format!("Documented evidence for {}", n.title),
            source: RequestSource::Documented {
                requirement: reference,
            },
            rank: (1, crosswalk.sort_key(g.namesake)),
            covers: open,
            partly,
            state: RequestState::NotCollected,
        });
    }
    out.sort_by(|a, b| a.rank.cmp(&b.rank));
    out
}

/// Greedy set cover: indices of the chosen candidates with what each newly covered, then the
/// rule-based candidates that added nothing.
fn greedy(
    candidates: &[Candidate],
    universe: &BTreeSet<Element>,
) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut uncovered: BTreeSet<Element> = universe.clone();
    let mut used = vec![false; candidates.len()];
    let mut chosen = Vec::new();
    while !uncovered.is_empty() {
        let best = candidates
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, c)| (i, c.covers.intersection(&uncovered).count()))
            .filter(|(_, gain)| *gain > 0)
            // The earliest candidate wins a tie (max_by_key keeps the last maximum).
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
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in ordered(crosswalk, nodes) {
        let node = crosswalk.node(n);
        out.entry(node.framework.to_string())
            .or_default()
            .push(node.id.clone());
    }
    out
}

fn request(crosswalk: &Crosswalk, c: &Candidate, new: usize) -> Request {
    // Covered elements always come whole per requirement from the universe, so a
    // requirement is served when all of its elements are among them.
    let mut covered_per_node: BTreeMap<NodeId, usize> = BTreeMap::new();
    for (n, _) in &c.covers {
        *covered_per_node.entry(*n).or_default() += 1;
    }
    let (mut whole, mut part) = (BTreeSet::new(), BTreeSet::new());
    for (n, covered) in covered_per_node {
        if covered == crosswalk.procedures(n).len().max(1) {
            whole.insert(n);
        } else {
            part.insert(n);
        }
    }
    let mut supports: BTreeSet<NodeId> = part;
    supports.extend(c.partly.iter().filter(|n| !whole.contains(n)));
    let mut procedures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut covered: Vec<&Element> = c.covers.iter().collect();
    covered.sort_by_key(|(n, i)| (crosswalk.sort_key(*n), *i));
    for (n, i) in covered {
        let node = crosswalk.node(*n);
        let label = match crosswalk.procedures(*n).get(*i) {
            Some(p) => format!("{}/{}", node.id, p.id),
            None => node.id.clone(),
        };
        procedures
            .entry(node.framework.to_string())
            .or_default()
            .push(label);
    }
    Request {
        id: c.id.clone(),
        collect: c.collect.clone(),
        source: c.source.clone(),
        serves: by_framework(crosswalk, &whole),
        supports: by_framework(crosswalk, &supports),
        procedures,
        new,
        state: c.state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Corpus, FactsSet};
    use crate::sandbox::{Limits, Sandbox};
    use crate::source::SourceFile;

    /// fw-a 1 = fw-b 1, fw-a 2 intersects fw-b 2, and one requirement on each side alone;
    /// each has one procedure, and one passing rule tests the procedure of fw-a 1.
    #[test]
    fn reuse_counts_full_links_and_shared_objectives_once() {
        let files = vec![
            SourceFile::new("frameworks.csv", "id,name\nfw-a,A\nfw-b,B\n"),
            SourceFile::new(
                "fw-a.csv",
                "id,parent,kind,title\n1,,control,One\n2,,control,Two\n3,,control,Three\n",
            ),
            SourceFile::new(
                "fw-b.csv",
                "id,parent,kind,title\n1,,criterion,Uno\n2,,criterion,Dos\n3,,criterion,Tres\n",
            ),
            SourceFile::new(
                "fw-a__fw-b.csv",
                "from,to,relationship,strength,rationale,source\n1,1,equal,9,same,test\n2,2,intersects-with,5,overlap,test\n",
            ),
            SourceFile::new(
                "fw-a.procedures.csv",
                "requirement,procedure,tests,renewal,statement\n1,pr,operation,on-change,done\n2,pr,operation,on-change,done\n3,pr,operation,on-change,done\n",
            ),
            SourceFile::new(
                "fw-b.procedures.csv",
                "requirement,procedure,tests,renewal,statement\n1,pr,operation,on-change,done\n2,pr,operation,on-change,done\n3,pr,operation,on-change,done\n",
            ),
        ];
        let crosswalk = Crosswalk::from_files(&files).crosswalk;
        let sandbox = Sandbox::new(Limits::default(), jiff::civil::date(2026, 6, 30));
        let rule = SourceFile::new(
            "r.rhai",
            "//! id: t.one\n//! title: One is done\n//! severity: minor\n//! tests: fw-a:1/pr\n//! facts: thing\n\nfn evaluate(doc) { pass(\"ok\") }\n",
        );
        let rules = RuleSet::compile(&[rule], &sandbox);
        let facts = Corpus::from_set(FactsSet::from_texts(&[(
            "t.json".into(),
            "{\"kind\":\"thing\"}".into(),
        )]));
        let evaluation = crate::eval::evaluate(&rules, &sandbox, &facts, &|| {});
        let fws = vec!["fw-a".to_string(), "fw-b".to_string()];
        let ids: Vec<crate::ids::FrameworkId> = fws.iter().map(Into::into).collect();
        let coverage = crate::coverage::compute(
            &crosswalk,
            &rules,
            &evaluation,
            facts.resident(),
            &ids,
            &Default::default(),
        );
        let plan = build(&crosswalk, &rules, &evaluation, &coverage, &fws).unwrap();
        let ids: Vec<&str> = plan.requests.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "t.one",
                "documented:fw-a:2",
                "documented:fw-a:3",
                "documented:fw-b:3"
            ]
        );
        assert_eq!(plan.requests[0].state, RequestState::Satisfied);
        assert_eq!(plan.requests[0].serves.get("fw-b").unwrap(), &["1"]);
        assert_eq!(plan.requests[1].serves.get("fw-b").unwrap(), &["2"]);
        assert_eq!(plan.requests[0].procedures.get("fw-b").unwrap(), &["1/pr"]);
        assert_eq!(plan.frameworks[0].procedures, 3);
        assert_eq!(plan.effort.with_reuse, 4);
        assert_eq!(plan.effort.separately, 6);
        assert_eq!(plan.frameworks[0].specific, ["3"]);
        assert_eq!(plan.frameworks[1].specific, ["3"]);
    }

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
            collect_text(&["accounts".into(), "people".into()], "Xy"),
            "Identity provider export (accounts) + HR roster (people): xy"
        );
        assert_eq!(
            collect_text(&["org_profile".into()], "ISMS roles"),
            "Organisation profile (org_profile): ISMS roles"
        );
    }
}
