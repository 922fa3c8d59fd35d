//! What satisfying one requirement gives in other frameworks, directly or via a third.

use super::{Crosswalk, NodeId, Relationship, Support};
use crate::ids::FrameworkId;
use serde::Serialize;
use std::collections::BTreeMap;

/// One hop of a mapping path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapStep {
    /// `FW:ID` the hop starts from.
    pub from: String,
    /// `FW:ID` the hop ends at.
    pub to: String,
    /// Relationship of `from` to `to`.
    pub relationship: Relationship,
    /// Link strength 1-10.
    pub strength: u8,
    /// The link's rationale.
    pub rationale: String,
    /// The link's source.
    pub source: String,
}

/// A requirement reached from the mapped one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapTarget {
    /// Framework of the target.
    pub framework: FrameworkId,
    /// Id of the target.
    pub id: String,
    /// Short title of the target.
    pub title: String,
    /// Relationship of the mapped requirement to the target (composed along the path).
    pub relationship: Relationship,
    /// Whether satisfying the mapped requirement satisfies the target fully or partly.
    pub support: Support,
    /// Weakest link strength along the path.
    pub strength: u8,
    /// The links followed: one for a direct link, two through a third framework.
    pub path: Vec<MapStep>,
}

/// The result of `xwalk map`: the mapped requirement and everything it reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// `FW:ID` of the mapped requirement.
    pub requirement: String,
    /// Its title.
    pub title: String,
    /// Reached requirements in framework then catalog order.
    pub targets: Vec<MapTarget>,
    /// Pairings a published reference makes from this requirement and xwalk
    /// rejects (`disputed` links, with our reason); nothing carries over them.
    pub disputed: Vec<MapStep>,
}

impl Crosswalk {
    /// Map a requirement to other frameworks.
    ///
    /// Direct links are always followed; with `via`, links into that framework
    /// are followed one step further. `to` keeps only targets in one framework.
    /// `not-related` and `disputed` links are not followed; the disputed ones
    /// out of `start` are listed apart. When a target is reached several ways,
    /// the best support wins, then the shorter path, then the stronger link.
    pub fn map(&self, start: NodeId, to: Option<&str>, via: Option<&str>) -> Mapping {
        let origin = self.node(start);
        let mut best: BTreeMap<(usize, u64, String), MapTarget> = BTreeMap::new();
        for first in self.steps(start) {
            let mid = self.node(first.0);
            if mid.framework != origin.framework {
                self.offer(&mut best, to, vec![first.clone()]);
            }
            if via != Some(mid.framework.as_str()) {
                continue;
            }
            for second in self.steps(first.0) {
                let end = self.node(second.0);
                if end.framework != origin.framework && end.framework != mid.framework {
                    self.offer(&mut best, to, vec![first.clone(), second]);
                }
            }
        }
        let mut disputed: Vec<(_, MapStep)> = self
            .links(start)
            .into_iter()
            .filter(|v| v.relationship == Relationship::Disputed)
            .filter(|v| to.is_none_or(|fw| fw == self.node(v.other).framework))
            .map(|v| (self.sort_key(v.other), self.step(start, &v)))
            .collect();
        disputed.sort_by(|a, b| a.0.cmp(&b.0));
        Mapping {
            requirement: origin.reference().to_string(),
            title: origin.title.clone(),
            targets: best.into_values().collect(),
            disputed: disputed.into_iter().map(|(_, s)| s).collect(),
        }
    }

    /// Links out of a node that carry something (not `not-related`), as (target, step).
    fn steps(&self, from: NodeId) -> Vec<(NodeId, MapStep)> {
        self.links(from)
            .into_iter()
            .filter(|v| v.relationship.carries())
            .map(|v| (v.other, self.step(from, &v)))
            .collect()
    }

    fn step(&self, from: NodeId, v: &super::LinkView<'_>) -> MapStep {
        MapStep {
            from: self.node(from).reference().to_string(),
            to: self.node(v.other).reference().to_string(),
            relationship: v.relationship,
            strength: v.link.strength,
            rationale: v.link.rationale.clone(),
            source: v.link.source.clone(),
        }
    }

    fn offer(
        &self,
        best: &mut BTreeMap<(usize, u64, String), MapTarget>,
        to: Option<&str>,
        path: Vec<(NodeId, MapStep)>,
    ) {
        let Some(end) = path.last().map(|(n, _)| *n) else {
            return;
        };
        let node = self.node(end);
        if to.is_some_and(|fw| fw != node.framework) {
            return;
        }
        let relationship = path
            .iter()
            .map(|(_, s)| s.relationship)
            .reduce(Relationship::compose)
            .unwrap_or(Relationship::NotRelated);
        let strength = path.iter().map(|(_, s)| s.strength).min().unwrap_or(0);
        let candidate = MapTarget {
            framework: node.framework.clone(),
            id: node.id.clone(),
            title: node.title.clone(),
            relationship,
            support: relationship.support(),
            strength,
            path: path.into_iter().map(|(_, s)| s).collect(),
        };
        let rank = |t: &MapTarget| (t.support, t.path.len(), u8::MAX - t.strength);
        let key = self.sort_key(end);
        match best.get(&key) {
            Some(existing) if rank(existing) <= rank(&candidate) => {}
            _ => {
                best.insert(key, candidate);
            }
        }
    }
}
