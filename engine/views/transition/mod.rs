//! Transition from an ISO 27001:2013 Statement of Applicability to a draft 2022 one.
//!
//! The 2013 SoA is a CSV with the columns `control, applicable, justification, implementation,
//! evidence` (evidence references separated by `;`). Each 2022 Annex A control takes over from
//! its 2013 predecessors, the 2013 controls linked to it in the `iso27001-2013 ->
//! iso27001-2022` link set by a typed relationship (anything but `not-related`):
//!
//! - *applicable* when any predecessor is applicable, excluded when every listed one is;
//! - *justification* and *evidence* are carried over (prefixed with the predecessor's id when
//!   several predecessors say different things);
//! - *implementation* combines the predecessors': all implemented -> `implemented`, none
//!   implemented and some planned -> `planned`, none at all -> `not-implemented`, otherwise
//!   `partial`;
//! - a control with several predecessors is *merged*; one fed by a predecessor that also feeds
//!   other 2022 controls is *split*; one with no predecessor is *new* and needs a decision.
//!
//! Beside the draft: the clause-level changes of clauses 4-10 to review ([`clauses`]), the
//! draft as a `soa` facts document ([`facts`]), and the remapping of 2013 control ids in
//! other facts documents ([`remap`]).

pub mod clauses;
pub mod facts;
pub mod remap;

use crate::crosswalk::{Crosswalk, NodeId, Relationship};
use crate::csvfile;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use crate::views::soa::{annex_a, ISO_2013, ISO_2022};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Columns of a 2013 SoA CSV (the draft 2022 SoA CSV starts with them, then [`TRACE_COLUMNS`]).
pub const COLUMNS: [&str; 5] = [
    "control",
    "applicable",
    "justification",
    "implementation",
    "evidence",
];

/// Columns the draft 2022 SoA CSV adds after [`COLUMNS`]: the 2013 predecessors (`;`
/// between them) and the change.
pub const TRACE_COLUMNS: [&str; 2] = ["from_2013", "change"];

/// Version tag of `xwalk transition --format json` (schema in
/// docs/schemas/transition.schema.json).
pub const SCHEMA: &str = "xwalk.transition.v1";

/// Implementation values the SoA facts accept.
pub const IMPLEMENTATION: [&str; 4] = ["implemented", "partial", "planned", "not-implemented"];

/// One row of the 2013 SoA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row2013 {
    /// 2013 control id, e.g. `A.9.2.1`.
    pub control: String,
    /// Declared applicable.
    pub applicable: bool,
    /// Justification (empty when none).
    pub justification: String,
    /// Implementation status (empty when none).
    pub implementation: String,
    /// Evidence references.
    pub evidence: Vec<String>,
    /// Line in the CSV file.
    pub line: u64,
}

/// Parse `yes`/`no` and their usual spellings.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "applicable" => Some(true),
        "no" | "n" | "false" | "0" | "excluded" | "not applicable" => Some(false),
        _ => None,
    }
}

/// Read a 2013 SoA CSV; every problem is a diagnostic naming the file and line.
///
/// Codes: `XW0001`/`XW0002` (unreadable CSV, missing column) as for any CSV input, then
/// `XW0801` unknown 2013 control, `XW0802` applicable not yes/no, `XW0803` control listed
/// twice, `XW0804` unknown implementation value.
pub fn read_soa_2013(
    file: &SourceFile,
    crosswalk: &Crosswalk,
) -> Result<Vec<Row2013>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let rows = csvfile::read(file, &COLUMNS, &mut diags);
    if rows.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0002,
            Location::line(&file.path, 1),
            "the file holds no SoA rows",
        ));
    }
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    let mut out = Vec::new();
    for row in rows {
        let at = Location::line(&file.path, row.line);
        let control = crate::ids::bare_id(row.get("control"), ISO_2013).to_string();
        if crosswalk.find(ISO_2013, &control).is_none() {
            let hint = crosswalk
                .suggest(ISO_2013, &control)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            diags.push(Diagnostic::new(
                codes::XW0801,
                at,
                format!("`{control}` is not an ISO 27001:2013 Annex A control{hint}"),
            ));
            continue;
        }
        if let Some(first) = seen.insert(control.clone(), row.line) {
            diags.push(Diagnostic::new(
                codes::XW0803,
                at,
                format!("{control} is listed again (first on line {first})"),
            ));
            continue;
        }
        let Some(applicable) = parse_bool(row.get("applicable")) else {
            diags.push(Diagnostic::new(
                codes::XW0802,
                at,
                format!(
                    "applicable is `{}` for {control}; write yes or no",
                    row.get("applicable")
                ),
            ));
            continue;
        };
        let implementation = row.get("implementation").to_ascii_lowercase();
        if !implementation.is_empty() && !IMPLEMENTATION.contains(&implementation.as_str()) {
            diags.push(Diagnostic::new(
                codes::XW0804,
                at,
                format!(
                    "implementation is `{implementation}` for {control}; write one of {}",
                    IMPLEMENTATION.join(", ")
                ),
            ));
            continue;
        }
        out.push(Row2013 {
            control,
            applicable,
            justification: row.get("justification").to_string(),
            implementation,
            evidence: split_evidence(row.get("evidence")),
            line: row.line,
        });
    }
    if diags.iter().any(Diagnostic::is_error) {
        crate::diag::sort(&mut diags);
        return Err(diags);
    }
    Ok(out)
}

fn split_evidence(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A 2013 control feeding a 2022 one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Predecessor {
    /// 2013 control id.
    pub control: String,
    /// Relationship of the 2013 control to the 2022 one.
    pub relationship: Relationship,
    /// Its applicability in the 2013 SoA (absent when the SoA does not list it).
    pub applicable: Option<bool>,
    /// Other 2022 controls it also feeds (non-empty for a split).
    pub also_to: Vec<String>,
}

/// One row of the draft 2022 SoA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftRow {
    /// 2022 control id.
    pub control: String,
    /// Title from the catalog.
    pub title: String,
    /// Carried-over applicability; absent for new controls (a decision is needed).
    pub applicable: Option<bool>,
    /// Carried-over justification.
    pub justification: String,
    /// Combined implementation status (empty for new controls).
    pub implementation: String,
    /// Carried-over evidence references.
    pub evidence: Vec<String>,
    /// The 2013 predecessors.
    pub predecessors: Vec<Predecessor>,
    /// Several predecessors.
    pub merged: bool,
    /// A predecessor also feeds other 2022 controls.
    pub split: bool,
    /// No predecessor: new in 2022.
    pub new: bool,
}

impl DraftRow {
    /// What changed, in a few words: `new`, `merged`, `split`, `renumbered`, `narrowed` ...
    pub fn change(&self) -> String {
        if self.new {
            return "new in 2022: decide".to_string();
        }
        let mut parts = Vec::new();
        if self.merged {
            parts.push("merged".to_string());
        }
        if self.split {
            let from: Vec<String> = self
                .predecessors
                .iter()
                .filter(|p| !p.also_to.is_empty())
                .map(|p| format!("split from {} (also {})", p.control, p.also_to.join(", ")))
                .collect();
            parts.extend(from);
        }
        if parts.is_empty() {
            parts.push(match self.predecessors.first().map(|p| p.relationship) {
                Some(Relationship::Equal) => "renumbered".to_string(),
                Some(r) => format!("carried over ({r})"),
                None => String::new(),
            });
        }
        parts.join("; ")
    }

    /// The 2013 predecessors' ids, in link order.
    pub fn from_2013(&self) -> Vec<&str> {
        self.predecessors
            .iter()
            .map(|p| p.control.as_str())
            .collect()
    }

    /// The applicability column: `yes`, `no` or empty (decide).
    pub fn applicable_text(&self) -> &'static str {
        match self.applicable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "",
        }
    }
}

/// A 2022 control new in this edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewControl {
    /// Control id.
    pub control: String,
    /// Title.
    pub title: String,
}

/// Headline counts of a transition.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TransitionSummary {
    /// Rows in the 2013 SoA.
    pub rows_2013: usize,
    /// 2013 rows carried into at least one 2022 control.
    pub mapped_2013: usize,
    /// 2022 controls in the draft.
    pub controls_2022: usize,
    /// Draft controls applicable.
    pub applicable: usize,
    /// Draft controls excluded.
    pub excluded: usize,
    /// Merged controls.
    pub merged: usize,
    /// Split controls.
    pub split: usize,
    /// New controls needing a decision.
    pub new: usize,
}

/// The draft 2022 SoA and what the transition did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The 2013 SoA file.
    pub source: String,
    /// Headline counts.
    pub summary: TransitionSummary,
    /// One row per 2022 Annex A control, in catalog order.
    pub draft: Vec<DraftRow>,
    /// Controls new in 2022 (no typed 2013 link), in catalog order.
    pub new_controls: Vec<NewControl>,
    /// 2013 controls the SoA does not list.
    pub missing_2013: Vec<String>,
    /// 2013 rows that feed no 2022 control.
    pub unmapped_2013: Vec<String>,
    /// The clause-level changes of clauses 4-10 to review, in clause order.
    pub clause_changes: Vec<clauses::ClauseChange>,
}

/// Map a 2013 SoA onto the 2022 Annex A; the clause changes are listed beside the draft.
pub fn draft(
    crosswalk: &Crosswalk,
    source: &str,
    rows: &[Row2013],
    clause_changes: Vec<clauses::ClauseChange>,
) -> Result<Transition, Error> {
    crosswalk.framework(ISO_2013)?;
    crosswalk.framework(ISO_2022)?;
    let by_control: BTreeMap<&str, &Row2013> =
        rows.iter().map(|r| (r.control.as_str(), r)).collect();
    let successors = |node: NodeId| -> Vec<String> {
        crosswalk
            .links(node)
            .into_iter()
            .filter(|v| v.relationship.carries() && crosswalk.node(v.other).framework == ISO_2022)
            .map(|v| crosswalk.node(v.other).id.clone())
            .collect()
    };
    let mut draft = Vec::new();
    let mut fed: BTreeSet<String> = BTreeSet::new();
    for node in annex_a(crosswalk) {
        let n = crosswalk.node(node);
        let predecessors: Vec<Predecessor> = crosswalk
            .links(node)
            .into_iter()
            .filter(|v| v.relationship.carries() && crosswalk.node(v.other).framework == ISO_2013)
            .map(|v| {
                let id = crosswalk.node(v.other).id.clone();
                let also_to = successors(v.other)
                    .into_iter()
                    .filter(|s| s != &n.id)
                    .collect();
                Predecessor {
                    applicable: by_control.get(id.as_str()).map(|r| r.applicable),
                    control: id,
                    // The view is from the 2022 control; report the 2013 control's relationship to it.
                    relationship: v.relationship.inverse(),
                    also_to,
                }
            })
            .collect();
        fed.extend(predecessors.iter().map(|p| p.control.clone()));
        let listed: Vec<&Row2013> = predecessors
            .iter()
            .filter_map(|p| by_control.get(p.control.as_str()).copied())
            .collect();
        draft.push(carry(n.id.clone(), n.title.clone(), predecessors, &listed));
    }
    let new_controls: Vec<NewControl> = draft
        .iter()
        .filter(|r| r.new)
        .map(|r| NewControl {
            control: r.control.clone(),
            title: r.title.clone(),
        })
        .collect();
    let missing_2013 = crosswalk
        .assessable(ISO_2013)
        .map(|n| crosswalk.node(n).id.clone())
        .filter(|id| !by_control.contains_key(id.as_str()))
        .collect();
    let unmapped_2013: Vec<String> = rows
        .iter()
        .filter(|r| !fed.contains(&r.control))
        .map(|r| r.control.clone())
        .collect();
    let summary = TransitionSummary {
        rows_2013: rows.len(),
        mapped_2013: rows.len() - unmapped_2013.len(),
        controls_2022: draft.len(),
        applicable: draft.iter().filter(|r| r.applicable == Some(true)).count(),
        excluded: draft.iter().filter(|r| r.applicable == Some(false)).count(),
        merged: draft.iter().filter(|r| r.merged).count(),
        split: draft.iter().filter(|r| r.split).count(),
        new: new_controls.len(),
    };
    Ok(Transition {
        schema: SCHEMA,
        source: source.to_string(),
        summary,
        draft,
        new_controls,
        missing_2013,
        unmapped_2013,
        clause_changes,
    })
}

/// Carry the listed predecessors' answers over to one 2022 control.
fn carry(
    control: String,
    title: String,
    predecessors: Vec<Predecessor>,
    listed: &[&Row2013],
) -> DraftRow {
    let applicable = if listed.is_empty() {
        None
    } else {
        Some(listed.iter().any(|r| r.applicable))
    };
    // Carry what the rows that decided the applicability say.
    let deciding: Vec<&Row2013> = listed
        .iter()
        .copied()
        .filter(|r| Some(r.applicable) == applicable)
        .collect();
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for r in &deciding {
        let j = r.justification.trim();
        if !j.is_empty() && !texts.iter().any(|(_, t)| *t == j) {
            texts.push((&r.control, j));
        }
    }
    let justification = match texts.as_slice() {
        [(_, only)] => only.to_string(),
        many => many
            .iter()
            .map(|(c, t)| format!("{c}: {t}"))
            .collect::<Vec<_>>()
            .join("; "),
    };
    let mut evidence: Vec<String> = Vec::new();
    for r in &deciding {
        for e in &r.evidence {
            if !evidence.contains(e) {
                evidence.push(e.clone());
            }
        }
    }
    let statuses: Vec<&str> = deciding.iter().map(|r| r.implementation.as_str()).collect();
    let implementation = combine(&statuses);
    DraftRow {
        merged: predecessors.len() > 1,
        split: predecessors.iter().any(|p| !p.also_to.is_empty()),
        new: predecessors.is_empty(),
        control,
        title,
        applicable,
        justification,
        implementation,
        evidence,
        predecessors,
    }
}

/// Combine the implementation statuses of several predecessors.
fn combine(statuses: &[&str]) -> String {
    let known: Vec<&str> = statuses.iter().copied().filter(|s| !s.is_empty()).collect();
    if known.is_empty() {
        return String::new();
    }
    let all = |s: &str| known.iter().all(|k| *k == s);
    let any = |s: &str| known.contains(&s);
    let status = if all("implemented") {
        "implemented"
    } else if all("not-implemented") {
        "not-implemented"
    } else if !any("implemented") && !any("partial") && any("planned") {
        "planned"
    } else {
        "partial"
    };
    status.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_combine_to_the_weaker_picture() {
        assert_eq!(combine(&["implemented", "implemented"]), "implemented");
        assert_eq!(combine(&["implemented", "planned"]), "partial");
        assert_eq!(combine(&["planned", "not-implemented"]), "planned");
        assert_eq!(combine(&["not-implemented"]), "not-implemented");
        assert_eq!(combine(&[""]), "");
    }

    #[test]
    fn yes_and_no_spellings() {
        assert_eq!(parse_bool(" Yes "), Some(true));
        assert_eq!(parse_bool("FALSE"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}
