//! Rule sets in layers: the built-in library, then any number of rules directories. A
//! later layer's rule replaces an earlier rule of the same id, and says so (`XW0416`), so
//! a team can adapt one built-in rule without copying the library.

use super::{Rule, RuleSet};
use crate::diag::{self, codes, Diagnostic};
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
        let mut notes = Vec::new();
        let replaced = |id: &str, by: (&str, &str), lower: &mut RuleSet, notes: &mut Vec<_>| {
            let old = lower
                .rules
                .iter()
                .position(|r| r.meta.id == id)
                .map(|i| lower.rules.remove(i))
                .map(|r: Rule| (r.origin, r.path))
                .or_else(|| {
                    lower
                        .broken
                        .iter()
                        .position(|b| b.id == id)
                        .map(|i| lower.broken.remove(i))
                        .map(|b| (b.origin, b.path))
                });
            if let Some((origin, path)) = old {
                notes.push((
                    id.to_string(),
                    by.0.to_string(),
                    by.1.to_string(),
                    origin,
                    path,
                ));
            }
        };
        for rule in &upper.rules {
            replaced(
                &rule.meta.id,
                (&rule.origin, &rule.path),
                &mut self,
                &mut notes,
            );
        }
        for broken in &upper.broken {
            replaced(
                &broken.id,
                (&broken.origin, &broken.path),
                &mut self,
                &mut notes,
            );
        }
        for (id, origin, path, old_origin, old_path) in notes {
            let at = upper
                .rules
                .iter()
                .find(|r| r.meta.id == id)
                .map(|r| r.field_location("id"))
                .unwrap_or_else(|| crate::diag::Location::line(&path, 1));
            self.diagnostics.push(
                Diagnostic::new(
                    codes::XW0416,
                    at,
                    format!(
                        "rule `{id}` from {origin} replaces the one from {old_origin} ({old_path})"
                    ),
                )
                .with_subject(id.as_str()),
            );
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
