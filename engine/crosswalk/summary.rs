//! Read-only views of the crosswalk: framework counts and one requirement in detail.

use super::{Crosswalk, NodeId, Relationship, Support};
use crate::ids::FrameworkId;
use serde::Serialize;

/// How many requirements of one kind a framework has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// Level name.
    pub kind: String,
    /// Number of requirements of that kind.
    pub count: usize,
}

/// A framework with its requirement counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkSummary {
    /// Framework id.
    pub id: FrameworkId,
    /// Display name.
    pub name: String,
    /// Edition.
    pub version: String,
    /// All requirements.
    pub requirements: usize,
    /// Requirements without children (the level that is tested).
    pub assessable: usize,
    /// Counts by kind, in the order kinds first appear in the catalog.
    pub kinds: Vec<KindCount>,
}

/// The links between two frameworks, by relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkSetSummary {
    /// Framework of the `from` column.
    pub from: FrameworkId,
    /// Framework of the `to` column.
    pub to: FrameworkId,
    /// Number of link rows.
    pub links: usize,
    /// Rows per relationship, in [`Relationship::ALL`] order.
    pub by_relationship: Vec<(Relationship, usize)>,
}

/// One link of a requirement, seen from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkDetail {
    /// Framework of the other end.
    pub framework: FrameworkId,
    /// Id of the other end.
    pub id: String,
    /// Title of the other end.
    pub title: String,
    /// Relationship of the shown requirement to the other end.
    pub relationship: Relationship,
    /// What satisfying the shown requirement does for the other end.
    pub support: Support,
    /// 1-10.
    pub strength: u8,
    /// Why.
    pub rationale: String,
    /// Basis.
    pub source: String,
    /// `file:line` of the link row.
    pub defined_at: String,
}

/// A short reference to a requirement: id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    /// Requirement id.
    pub id: String,
    /// Short title.
    pub title: String,
}

/// One requirement with its place in the hierarchy and every link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequirementDetail {
    /// Framework id.
    pub framework: FrameworkId,
    /// Requirement id.
    pub id: String,
    /// Level name.
    pub kind: String,
    /// Short title.
    pub title: String,
    /// Theme, when the catalog has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Parent requirement.
    pub parent: Option<Brief>,
    /// Child requirements.
    pub children: Vec<Brief>,
    /// Links, sorted by framework then catalog order.
    pub links: Vec<LinkDetail>,
    /// Its test procedures, in file order.
    pub procedures: Vec<super::Procedure>,
}

impl Crosswalk {
    /// Every framework with its counts.
    pub fn summaries(&self) -> Vec<FrameworkSummary> {
        self.frameworks
            .iter()
            .map(|fw| {
                let mut kinds: Vec<KindCount> = Vec::new();
                for n in self.requirements(&fw.id) {
                    let kind = &self.node(n).kind;
                    match kinds.iter_mut().find(|k| &k.kind == kind) {
                        Some(k) => k.count += 1,
                        None => kinds.push(KindCount {
                            kind: kind.clone(),
                            count: 1,
                        }),
                    }
                }
                FrameworkSummary {
                    id: fw.id.clone(),
                    name: fw.name.clone(),
                    version: fw.version.clone(),
                    requirements: self.requirements(&fw.id).count(),
                    assessable: self.assessable(&fw.id).count(),
                    kinds,
                }
            })
            .collect()
    }

    /// Link rows grouped by the pair of frameworks they join, in the direction written.
    pub fn link_sets(&self) -> Vec<LinkSetSummary> {
        let mut sets: Vec<LinkSetSummary> = Vec::new();
        for fw in &self.frameworks {
            for n in self.requirements(&fw.id) {
                for view in self.links(n).into_iter().filter(|v| !v.inverted) {
                    let to = &self.node(view.other).framework;
                    let set = match sets.iter_mut().position(|s| s.from == fw.id && &s.to == to) {
                        Some(i) => &mut sets[i],
                        None => {
                            sets.push(LinkSetSummary {
                                from: fw.id.clone(),
                                to: to.clone(),
                                links: 0,
                                by_relationship: Relationship::ALL
                                    .iter()
                                    .map(|r| (*r, 0))
                                    .collect(),
                            });
                            let last = sets.len() - 1;
                            &mut sets[last]
                        }
                    };
                    set.links += 1;
                    if let Some(slot) = set
                        .by_relationship
                        .iter_mut()
                        .find(|(r, _)| *r == view.relationship)
                    {
                        slot.1 += 1;
                    }
                }
            }
        }
        sets
    }

    /// One requirement with parent, children and links.
    pub fn detail(&self, id: NodeId) -> RequirementDetail {
        let node = self.node(id);
        let brief = |n: NodeId| Brief {
            id: self.node(n).id.clone(),
            title: self.node(n).title.clone(),
        };
        RequirementDetail {
            framework: node.framework.clone(),
            id: node.id.clone(),
            kind: node.kind.clone(),
            title: node.title.clone(),
            theme: node.theme.clone(),
            parent: self.parent(id).map(brief),
            children: self.children(id).into_iter().map(brief).collect(),
            links: self
                .links(id)
                .into_iter()
                .map(|v| {
                    let other = self.node(v.other);
                    LinkDetail {
                        framework: other.framework.clone(),
                        id: other.id.clone(),
                        title: other.title.clone(),
                        relationship: v.relationship,
                        support: v.relationship.support(),
                        strength: v.link.strength,
                        rationale: v.link.rationale.clone(),
                        source: v.link.source.clone(),
                        defined_at: v.link.location.to_string(),
                    }
                })
                .collect(),
            procedures: self.procedures(id).to_vec(),
        }
    }
}
