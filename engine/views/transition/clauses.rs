//! The clause-level changes of ISO 27001:2022 (clauses 4-10) that a transition must review.
//!
//! The data is `crosswalks/iso27001-2022.clause-changes.csv` (columns `clause, clause_2013,
//! change, summary, review`); each change is joined to the rules that test the clause or one
//! of its sub-clauses (a `tests:` claim or a `requirements:` tag on `iso27001-2022:CLAUSE`).

use crate::crosswalk::Crosswalk;
use crate::csvfile;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::ids::ISO_2022;
use crate::rules::Rule;
use crate::source::SourceFile;
use serde::Serialize;
use std::collections::BTreeSet;

/// Columns of the clause-changes file.
pub const COLUMNS: [&str; 5] = ["clause", "clause_2013", "change", "summary", "review"];

/// The kinds of clause-level change.
pub const KINDS: [&str; 4] = ["amended", "new", "split", "reordered"];

/// One clause-level change between the 2013 and 2022 editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseChange {
    /// The 2022 clause, e.g. `9.3`.
    pub clause: String,
    /// Its title in the 2022 catalog.
    pub title: String,
    /// The 2013 clause it comes from; empty for a clause new in 2022.
    pub clause_2013: String,
    /// `amended`, `new`, `split` or `reordered`.
    pub change: String,
    /// What changed.
    pub summary: String,
    /// What to review in the ISMS.
    pub review: String,
    /// Ids of the rules that test the clause or a sub-clause, sorted.
    pub rules: Vec<String>,
}

/// Read the clause changes; a problem is an `XW0805` naming the file and line (or the CSV
/// codes `XW0001`/`XW0002`).
pub fn read(
    file: &SourceFile,
    crosswalk: &Crosswalk,
) -> Result<Vec<ClauseChange>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let rows = csvfile::read(file, &COLUMNS, &mut diags);
    let mut out = Vec::new();
    for row in rows {
        let at = Location::line(&file.path, row.line);
        let clause = row.get("clause").to_string();
        let Some(node) = crosswalk.find(ISO_2022, &clause) else {
            diags.push(Diagnostic::new(
                codes::XW0805,
                at,
                format!("`{clause}` is not a clause of the ISO 27001:2022 catalog"),
            ));
            continue;
        };
        let change = row.get("change").to_string();
        if !KINDS.contains(&change.as_str()) {
            diags.push(Diagnostic::new(
                codes::XW0805,
                at,
                format!(
                    "change is `{change}` for {clause}; write one of {}",
                    KINDS.join(", ")
                ),
            ));
            continue;
        }
        let blank = ["summary", "review"]
            .into_iter()
            .find(|c| row.get(c).trim().is_empty());
        if let Some(column) = blank {
            diags.push(Diagnostic::new(
                codes::XW0805,
                at,
                format!("{column} is empty for {clause}"),
            ));
            continue;
        }
        out.push(ClauseChange {
            title: crosswalk.node(node).title.clone(),
            clause,
            clause_2013: row.get("clause_2013").to_string(),
            change,
            summary: row.get("summary").to_string(),
            review: row.get("review").to_string(),
            rules: Vec::new(),
        });
    }
    if diags.iter().any(Diagnostic::is_error) {
        crate::diag::sort(&mut diags);
        return Err(diags);
    }
    Ok(out)
}

/// Fill each change's `rules` with the rules that test its clause or a sub-clause.
pub fn link_rules(changes: &mut [ClauseChange], rules: &[Rule]) {
    for change in changes {
        let touches =
            |id: &str| id == change.clause || id.starts_with(&format!("{}.", change.clause));
        let ids: BTreeSet<String> = rules
            .iter()
            .filter(|r| {
                r.meta
                    .procedures
                    .iter()
                    .map(|p| &p.requirement)
                    .chain(&r.meta.requirements)
                    .any(|q| q.framework == ISO_2022 && touches(&q.id))
            })
            .map(|r| r.meta.id.to_string())
            .collect();
        change.rules = ids.into_iter().collect();
    }
}
