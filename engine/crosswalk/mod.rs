//! The crosswalk graph: requirements of every framework, their hierarchy and typed links.
//!
//! Nodes are requirements; `Child` edges run from parent to child inside a
//! framework; `Link` edges run from the focal requirement of a link row to its
//! reference requirement and are read in both directions (see [`Crosswalk::links`]).

mod load;
mod map;
mod overlap;
mod procedure;
mod relationship;
mod scope;
mod summary;

pub use load::Loaded;
pub use map::{MapStep, MapTarget, Mapping};
pub use overlap::{Overlap, OverlapEntry, OverlapOptions, OverlapSide, SupportCounts};
pub use procedure::{
    procedures_framework, valid_slug, Examines, Procedure, ProcedureRef, Renewal,
    PROCEDURES_MARKER, PROCEDURE_COLUMNS,
};
pub use relationship::{Relationship, Support};
pub use scope::Scope;
pub use summary::{
    Brief, FrameworkSummary, KindCount, LinkDetail, LinkSetSummary, RequirementDetail,
};

use crate::catalog::{closest, Framework};
use crate::diag::Location;
use crate::error::Error;
use crate::ids::{FrameworkId, RequirementRef};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;
use std::collections::HashMap;

/// The `source` of a link that rests on xwalk's own reading rather than a
/// published reference.
pub const OWN_ANALYSIS: &str = "own-analysis";

/// Handle of a requirement in a [`Crosswalk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(NodeIndex);

/// A requirement in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node {
    /// Framework id.
    pub framework: FrameworkId,
    /// Requirement id inside the framework.
    pub id: String,
    /// Level name (clause, control, criterion, subcategory ...).
    pub kind: String,
    /// Short title.
    pub title: String,
    /// Theme, for catalogs that have one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Where it was defined.
    #[serde(skip)]
    pub location: Location,
}

impl Node {
    /// The `FW:ID` reference of this requirement.
    pub fn reference(&self) -> RequirementRef {
        RequirementRef {
            framework: self.framework.clone(),
            id: self.id.clone(),
        }
    }
}

/// One typed link row between two requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Relationship of the focal (from) requirement to the reference (to) one.
    pub relationship: Relationship,
    /// 1-10.
    pub strength: u8,
    /// Why, in one sentence.
    pub rationale: String,
    /// Basis of the link.
    pub source: String,
    /// Where the row is.
    #[serde(skip)]
    pub location: Location,
}

#[derive(Debug, Clone)]
enum Edge {
    Child,
    Link(Link),
}

/// A link seen from one of its ends.
#[derive(Debug, Clone, Copy)]
pub struct LinkView<'a> {
    /// The requirement at the other end.
    pub other: NodeId,
    /// Relationship of the viewing requirement to `other` (inverted when the row was written the other way).
    pub relationship: Relationship,
    /// True when the row was written from `other` to the viewing requirement.
    pub inverted: bool,
    /// The row itself.
    pub link: &'a Link,
}

/// Largest catalog searched for "did you mean" suggestions.
pub const MAX_SUGGEST_CANDIDATES: usize = 10_000;

/// All frameworks, requirements and links.
#[derive(Debug, Clone, Default)]
pub struct Crosswalk {
    graph: DiGraph<Node, Edge>,
    frameworks: Vec<Framework>,
    index: HashMap<FrameworkId, HashMap<String, NodeIndex>>,
    order: HashMap<FrameworkId, Vec<NodeIndex>>,
    procedures: HashMap<NodeIndex, Vec<Procedure>>,
    digest: String,
}

impl Crosswalk {
    /// One SHA-256 over the CSV files the crosswalk was built from (each file's name and
    /// the SHA-256 of its text, in name order): two runs with the same digest used the
    /// same frameworks, links and test procedures.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// Frameworks in manifest order.
    pub fn frameworks(&self) -> &[Framework] {
        &self.frameworks
    }

    /// A framework by id, with a suggestion when unknown.
    pub fn framework(&self, id: &str) -> Result<&Framework, Error> {
        self.frameworks
            .iter()
            .find(|f| f.id == id)
            .ok_or_else(|| Error::UnknownFramework {
                id: id.to_string(),
                suggestion: closest(id, self.frameworks.iter().map(|f| f.id.as_str())),
            })
    }

    /// Requirements of a framework in catalog order.
    pub fn requirements(&self, framework: &str) -> impl Iterator<Item = NodeId> + '_ {
        self.order
            .get(framework)
            .into_iter()
            .flatten()
            .map(|i| NodeId(*i))
    }

    /// Assessable requirements (those without children) of a framework, in catalog order.
    pub fn assessable(&self, framework: &str) -> impl Iterator<Item = NodeId> + '_ {
        self.requirements(framework)
            .filter(move |n| self.is_assessable(*n))
    }

    /// The requirement behind a handle.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.graph[id.0]
    }

    /// Look a requirement up by framework and id.
    pub fn find(&self, framework: &str, id: &str) -> Option<NodeId> {
        self.index.get(framework)?.get(id).map(|i| NodeId(*i))
    }

    /// Resolve a `FW:ID` reference, with "did you mean" suggestions.
    pub fn resolve(&self, reference: &RequirementRef) -> Result<NodeId, Error> {
        self.framework(&reference.framework)?;
        self.find(&reference.framework, &reference.id)
            .ok_or_else(|| Error::UnknownRequirement {
                framework: reference.framework.to_string(),
                id: reference.id.clone(),
                suggestion: self.suggest(&reference.framework, &reference.id),
            })
    }

    /// Parse and resolve `FW:ID` text.
    pub fn resolve_str(&self, text: &str) -> Result<NodeId, Error> {
        self.resolve(&RequirementRef::parse(text)?)
    }

    /// The closest requirement id in a framework, if any is close.
    ///
    /// Frameworks larger than [`MAX_SUGGEST_CANDIDATES`] get no suggestion: the
    /// edit-distance scan would make every unknown id cost a pass over the catalog.
    pub fn suggest(&self, framework: &str, id: &str) -> Option<String> {
        let ids = self.index.get(framework)?;
        if ids.len() > MAX_SUGGEST_CANDIDATES {
            return None;
        }
        // Sorted: a hash map's order differs from run to run, and so would the suggestion.
        let mut keys: Vec<&str> = ids.keys().map(String::as_str).collect();
        keys.sort_unstable();
        closest(id, keys)
    }

    /// The parent requirement, if any.
    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.graph
            .edges_directed(id.0, Direction::Incoming)
            .find(|e| matches!(e.weight(), Edge::Child))
            .map(|e| NodeId(e.source()))
    }

    /// Children in catalog order.
    pub fn children(&self, id: NodeId) -> Vec<NodeId> {
        let mut out: Vec<NodeId> = self
            .graph
            .edges_directed(id.0, Direction::Outgoing)
            .filter(|e| matches!(e.weight(), Edge::Child))
            .map(|e| NodeId(e.target()))
            .collect();
        out.sort_by_key(|n| self.node(*n).location.line);
        out
    }

    /// True when a requirement has no children: the level that gets tested and counted.
    pub fn is_assessable(&self, id: NodeId) -> bool {
        !self
            .graph
            .edges_directed(id.0, Direction::Outgoing)
            .any(|e| matches!(e.weight(), Edge::Child))
    }

    /// Every link touching a requirement, seen from it, sorted by framework order then id.
    pub fn links(&self, id: NodeId) -> Vec<LinkView<'_>> {
        let outgoing = self
            .graph
            .edges_directed(id.0, Direction::Outgoing)
            .filter_map(|e| match e.weight() {
                Edge::Link(link) => Some(LinkView {
                    other: NodeId(e.target()),
                    relationship: link.relationship,
                    inverted: false,
                    link,
                }),
                Edge::Child => None,
            });
        let incoming = self
            .graph
            .edges_directed(id.0, Direction::Incoming)
            .filter_map(|e| match e.weight() {
                Edge::Link(link) => Some(LinkView {
                    other: NodeId(e.source()),
                    relationship: link.relationship.inverse(),
                    inverted: true,
                    link,
                }),
                Edge::Child => None,
            });
        let mut out: Vec<LinkView<'_>> = outgoing.chain(incoming).collect();
        out.sort_by_key(|v| self.sort_key(v.other));
        out
    }

    /// Number of link rows in the graph.
    pub fn link_count(&self) -> usize {
        self.graph
            .edge_weights()
            .filter(|e| matches!(e, Edge::Link(_)))
            .count()
    }

    /// A key that orders requirements by framework (manifest order) then catalog order.
    pub fn sort_key(&self, id: NodeId) -> (usize, u64, String) {
        let node = self.node(id);
        let fw = self
            .frameworks
            .iter()
            .position(|f| f.id == node.framework)
            .unwrap_or(usize::MAX);
        (fw, node.location.line, node.id.clone())
    }

    fn add_node(&mut self, node: Node) -> NodeIndex {
        let framework = node.framework.clone();
        let id = node.id.clone();
        let index = self.graph.add_node(node);
        self.index
            .entry(framework.clone())
            .or_default()
            .insert(id, index);
        self.order.entry(framework).or_default().push(index);
        index
    }
}
