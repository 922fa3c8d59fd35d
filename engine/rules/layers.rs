//! Rule sets in layers: the built-in library, then any number of rules directories. A
//! later layer's rule replaces an earlier rule of the same id, and says so (`XW0416`), so
//! a team can adapt one built-in rule without copying the library.

use super::RuleSet;
use crate::diag::{self, codes, Diagnostic, Location};
use std::sync::Arc;

/// The origin of the rules compiled into the binary.
pub const BUILTIN_ORIGIN: &str = "built-in";

impl RuleSet {
    /// The same set with every rule (and broken rule) marked as coming from `origin`.
    pub fn with_origin(mut self, origin: &str) -> RuleSet {
        let origin: Arc<str> = Arc::from(origin);
        for rule in &mut self.rules {
            rule.origin = origin.clone();
        }
        for broken in &mut self.broken {
            broken.origin = origin.clone();
        }
        self
    }

    /// This set with `upper` laid over it: a rule of `upper`, usable or broken, replaces a
    /// rule of the same id here (a broken replacement is reported as broken; the replaced
    /// rule does not run in its place). Rules stay sorted by id.
    pub fn layer(mut self, upper: RuleSet) -> RuleSet {
        // Every id the upper layer defines, with where it comes from and where to point.
        let incoming = upper
            .rules
            .iter()
            .map(|r| (&r.meta.id, &r.origin, r.field_location("id")))
            .chain(
                upper
                    .broken
                    .iter()
                    .map(|b| (&b.id, &b.origin, Location::line(&b.path, 1))),
            );
        for (id, origin, at) in incoming {
            let old = match self.rules.iter().position(|r| r.meta.id == *id) {
                Some(i) => Some(self.rules.remove(i)).map(|r| (r.origin, r.path)),
                None => self
                    .broken
                    .iter()
                    .position(|b| b.id == *id)
                    .map(|i| self.broken.remove(i))
                    .map(|b| (b.origin, b.path)),
            };
            if let Some((old_origin, old_path)) = old {
                self.diagnostics.push(
                    Diagnostic::new(
                        codes::XW0416,
                        at,
                        format!("rule `{id}` from {origin} replaces the one from {old_origin} ({old_path})"),
                    )
                    .with_subject(id.as_str()),
                );
            }
        }
        self.rules.extend(upper.rules);
        self.broken.extend(upper.broken);
        self.diagnostics.extend(upper.diagnostics);
        self.rules
            .sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then(a.path.cmp(&b.path)));
        self.broken
            .sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
        diag::sort(&mut self.diagnostics);
        self
    }
}
