//! How much of one framework another covers, fully and partly, through direct links.

use super::{Crosswalk, NodeId, Relationship, Scope, Support};
use serde::Serialize;

/// Counts of requirements by the support they receive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SupportCounts {
    /// Requirements considered.
    pub total: usize,
    /// Fully covered (an equal or superset-of link from the other side).
    pub full: usize,
    /// Only partly covered (subset-of or intersects-with links only).
    pub partial: usize,
    /// Not covered.
    pub none: usize,
}

impl SupportCounts {
    fn add(&mut self, support: Support) {
        self.total += 1;
        match support {
            Support::Full => self.full += 1,
            Support::Partial => self.partial += 1,
            Support::None => self.none += 1,
        }
    }

    /// Share of `part` in the total, in percent (0 when empty).
    pub fn percent(&self, part: usize) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            part as f64 * 100.0 / self.total as f64
        }
    }
}

/// One requirement on the covered side and what covers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverlapEntry {
    /// Requirement id.
    pub id: String,
    /// Level name.
    pub kind: String,
    /// Short title.
    pub title: String,
    /// Best support it receives from the other framework.
    pub support: Support,
    /// The requirements that give that support, as `ID (relationship)`, relationship read from the covering side.
    pub covered_by: Vec<String>,
}

/// One direction of an overlap: how much of `framework` the `covered_by` framework covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapSide {
    /// The framework whose requirements are counted.
    pub framework: String,
    /// The framework that covers them.
    pub covered_by: String,
    /// Totals over assessable requirements.
    pub counts: SupportCounts,
    /// Totals per requirement kind.
    pub by_kind: Vec<(String, SupportCounts)>,
    /// Every assessable requirement, in catalog order.
    pub entries: Vec<OverlapEntry>,
}

/// The overlap between two frameworks, both ways.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// How much of the first framework the second covers, then the reverse.
    pub sides: [OverlapSide; 2],
    /// What the comparison was limited to.
    pub options: OverlapOptions,
}

/// What an overlap counts: which parts of the frameworks are in scope, and which links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OverlapOptions {
    /// The parts of each framework compared (`CC` keeps the SOC 2 security criteria;
    /// `CC`, `A` adds availability); a framework with none of its ids is compared whole.
    pub scope: Scope,
    /// Links weaker than this (1-10) are left out.
    pub min_strength: u8,
}

impl Crosswalk {
    /// Compare two frameworks through the links between them.
    pub fn overlap(&self, a: &str, b: &str) -> Overlap {
        self.overlap_with(a, b, &OverlapOptions::default())
    }

    /// [`Crosswalk::overlap`] limited to a scope and to links of a least strength.
    pub fn overlap_with(&self, a: &str, b: &str, options: &OverlapOptions) -> Overlap {
        Overlap {
            sides: [
                self.coverage_of(a, b, options),
                self.coverage_of(b, a, options),
            ],
            options: options.clone(),
        }
    }

    /// How the requirements of `covered` are supported by those of `by`.
    fn coverage_of(&self, covered: &str, by: &str, options: &OverlapOptions) -> OverlapSide {
        let mut counts = SupportCounts::default();
        let mut by_kind: Vec<(String, SupportCounts)> = Vec::new();
        let mut entries = Vec::new();
        let covered_roots = options.scope.roots(self, covered);
        let by_roots = options.scope.roots(self, by);
        for req in self.assessable(covered) {
            if !self.under(req, &covered_roots) {
                continue;
            }
            let entry = self.entry(req, by, options.min_strength, &by_roots);
            counts.add(entry.support);
            match by_kind.iter_mut().find(|(k, _)| *k == entry.kind) {
                Some((_, c)) => c.add(entry.support),
                None => {
                    let mut c = SupportCounts::default();
                    c.add(entry.support);
                    by_kind.push((entry.kind.clone(), c));
                }
            }
            entries.push(entry);
        }
        OverlapSide {
            framework: covered.to_string(),
            covered_by: by.to_string(),
            counts,
            by_kind,
            entries,
        }
    }

    fn entry(&self, req: NodeId, by: &str, min_strength: u8, by_roots: &[NodeId]) -> OverlapEntry {
        // Relationship of each covering requirement to `req`.
        let incoming: Vec<(NodeId, Relationship)> = self
            .links(req)
            .into_iter()
            .filter(|v| self.node(v.other).framework == by)
            .filter(|v| v.link.strength >= min_strength)
            .filter(|v| self.under(v.other, by_roots))
            .map(|v| (v.other, v.relationship.inverse()))
            .collect();
        let support = incoming
            .iter()
            .map(|(_, r)| r.support())
            .min()
            .unwrap_or(Support::None);
        let covered_by = incoming
            .iter()
            .filter(|(_, r)| support != Support::None && r.support() == support)
            .map(|(n, r)| format!("{} ({r})", self.node(*n).id))
            .collect();
        let node = self.node(req);
        OverlapEntry {
            id: node.id.clone(),
            kind: node.kind.clone(),
            title: node.title.clone(),
            support,
            covered_by,
        }
    }
}
