//! Which parts of each framework a run is about: `--scope CC,A` keeps the SOC 2
//! security and availability criteria and leaves the frameworks without those ids whole.

use super::{Crosswalk, NodeId};
use crate::error::Error;
use serde::Serialize;

/// Requirement ids whose descendants alone are in scope, in each framework that has
/// one of them. A framework with none of these ids is taken whole; an empty scope
/// takes everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Scope {
    ids: Vec<String>,
}

impl Scope {
    /// A scope of these requirement ids (repeats dropped, order kept).
    pub fn new<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut out: Vec<String> = Vec::new();
        for id in ids {
            let id = id.into();
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Scope { ids: out }
    }

    /// True when nothing is left out.
    pub fn is_whole(&self) -> bool {
        self.ids.is_empty()
    }

    /// The ids, in the order given.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// An error naming the first id that is no requirement of any of `frameworks`.
    pub fn check(&self, crosswalk: &Crosswalk, frameworks: &[&str]) -> Result<(), Error> {
        for id in &self.ids {
            if !frameworks.iter().any(|fw| crosswalk.find(fw, id).is_some()) {
                return Err(Error::Usage(format!(
                    "--scope {id} names no requirement of {}",
                    frameworks.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The requirements of `framework` the scope names (empty: the whole framework).
    pub fn roots(&self, crosswalk: &Crosswalk, framework: &str) -> Vec<NodeId> {
        self.ids
            .iter()
            .filter_map(|id| crosswalk.find(framework, id))
            .collect()
    }

    /// True when `node` is in scope.
    pub fn contains(&self, crosswalk: &Crosswalk, node: NodeId) -> bool {
        let roots = self.roots(crosswalk, &crosswalk.node(node).framework);
        crosswalk.under(node, &roots)
    }
}

impl Crosswalk {
    /// True when `roots` is empty, or one of them is `node` or an ancestor of it.
    pub fn under(&self, node: NodeId, roots: &[NodeId]) -> bool {
        if roots.is_empty() {
            return true;
        }
        let mut at = Some(node);
        while let Some(n) = at {
            if roots.contains(&n) {
                return true;
            }
            at = self.parent(n);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_narrows_only_the_frameworks_that_have_its_ids() {
        let cw = Crosswalk::builtin().into_result().unwrap();
        let scope = Scope::new(["CC", "CC"]);
        assert_eq!(scope.ids(), ["CC"]);
        let in_scope = |fw: &str| {
            cw.assessable(fw)
                .filter(|n| scope.contains(&cw, *n))
                .count()
        };
        assert_eq!(in_scope("soc2-2017"), 33);
        assert_eq!(
            in_scope("iso27001-2022"),
            cw.assessable("iso27001-2022").count()
        );
        assert!(Scope::default().is_whole());
        let err = Scope::new(["ZZ"]).check(&cw, &["soc2-2017"]).unwrap_err();
        assert!(err.to_string().contains("--scope ZZ"), "{err}");
        assert!(scope.check(&cw, &["iso27001-2022", "soc2-2017"]).is_ok());
    }
}
