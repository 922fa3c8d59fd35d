//! Remap ISO 27001:2013 Annex A control ids in facts documents to their 2022 successors.
//!
//! The fields that hold control ids are named per kind in [`CONTROL_FIELDS`] (read from the
//! vocabulary: `risk_register` and `policy` items' `controls`, `internal_audit` items'
//! `scope`). A 2013 control with exactly one successor in the `iso27001-2013 ->
//! iso27001-2022` link set (a typed relationship, not `not-related`) is rewritten in place;
//! every other byte of the file stays as it was. What cannot be remapped is kept as written
//! and listed as a decision: a 2013 control split over several 2022 controls (the item does
//! not say which it meant), a 2013 control with no successor, a 2013 objective or domain
//! rather than a control, an `A.` id of neither edition, and a clause 10.1 or 10.2 reference
//! (the two were swapped in 2022 and the id does not say which edition it follows). An id
//! already in 2022 numbering is left alone, so remapping twice changes nothing more.

use crate::crosswalk::{Crosswalk, NodeId, Relationship};
use crate::error::Error;
use crate::ids::{annex_a, bare_id, ISO_2013, ISO_2022};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Fields that hold Annex A control ids, by facts kind, as JSON pointer patterns (`*`: any
/// array index).
pub const CONTROL_FIELDS: [(&str, &str); 3] = [
    ("internal_audit", "/items/*/scope/*"),
    ("policy", "/items/*/controls/*"),
    ("risk_register", "/items/*/controls/*"),
];

/// Clause ids whose meaning swapped between the editions.
const SWAPPED_CLAUSES: [(&str, &str); 2] = [
    (
        "10.1",
        "2013's 10.1 (nonconformity and corrective action) is 2022's 10.2",
    ),
    ("10.2", "2013's 10.2 (continual improvement) is 2022's 10.1"),
];

/// One facts file as read: its path relative to the facts folder, its kind and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsText {
    /// Path relative to the facts folder, with `/`.
    pub path: String,
    /// The document's `kind`.
    pub kind: String,
    /// The text (without a byte-order mark).
    pub text: String,
    /// The parsed document.
    pub value: Value,
}

/// An id rewritten to its 2022 successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remapped {
    /// The file, relative to the facts folder.
    pub file: String,
    /// JSON pointer of the value.
    pub pointer: String,
    /// Line of the value in the file.
    pub line: u64,
    /// The id as written.
    pub from: String,
    /// Its 2022 successor.
    pub to: String,
    /// How the 2013 control relates to the 2022 one (`equal`: renumbered; `subset-of`:
    /// merged into a broader control).
    pub relationship: Relationship,
    /// The pointer of an earlier value in the same list that now names the same 2022
    /// control (two 2013 controls merged); both are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
}

/// Why an id was kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionKind {
    /// A 2013 control feeding several 2022 controls.
    Split,
    /// A 2013 control with no 2022 successor.
    NoSuccessor,
    /// A 2013 objective or domain, not a control.
    NotAControl,
    /// An `A.` id of neither edition.
    Unknown,
    /// A clause 10.1 or 10.2 reference, whose meaning swapped in 2022.
    ClauseSwapped,
}

/// An id that needs a person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The file, relative to the facts folder.
    pub file: String,
    /// JSON pointer of the value.
    pub pointer: String,
    /// Line of the value in the file.
    pub line: u64,
    /// The id as written (kept).
    pub id: String,
    /// Why it was kept.
    pub kind: DecisionKind,
    /// The 2022 controls it could become (for a split: each successor).
    pub candidates: Vec<String>,
    /// What to decide, in a sentence.
    pub message: String,
}

/// A document after remapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemappedFile {
    /// Path relative to the facts folder.
    pub path: String,
    /// Its kind.
    pub kind: String,
    /// Ids rewritten in it.
    pub remapped: usize,
    /// Ids in it that need a decision.
    pub decisions: usize,
    /// The new text (the old one when nothing was rewritten).
    #[serde(skip)]
    pub text: String,
}

/// Headline counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RemapSummary {
    /// Documents of a kind with control-id fields.
    pub documents: usize,
    /// Values read in those fields.
    pub values: usize,
    /// Ids already in 2022 numbering.
    pub already_2022: usize,
    /// Ids rewritten.
    pub remapped: usize,
    /// Ids that need a decision.
    pub decisions: usize,
    /// Documents whose text changed.
    pub files_changed: usize,
}

/// What remapping did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remap {
    /// Schema tag, always [`SCHEMA`].
    pub schema: &'static str,
    /// Headline counts.
    pub summary: RemapSummary,
    /// Each document of a kind with control-id fields, by path.
    pub files: Vec<RemappedFile>,
    /// Each id rewritten, by file and position.
    pub remapped: Vec<Remapped>,
    /// Each id kept as written that needs a decision, by file and position.
    pub decisions: Vec<Decision>,
}

/// Schema tag of the remap JSON.
pub const SCHEMA: &str = "xwalk.transition-remap.v1";

/// What happens to one value.
enum Outcome {
    Keep2022,
    Other,
    Rewrite(String, Relationship),
    Decide(DecisionKind, Vec<String>, String),
}

/// Remap the control ids of the given documents (those of other kinds are ignored).
pub fn remap(crosswalk: &Crosswalk, docs: &[FactsText]) -> Result<Remap, Error> {
    crosswalk.framework(ISO_2013)?;
    crosswalk.framework(ISO_2022)?;
    let annex: BTreeSet<String> = annex_a().into_iter().collect();
    let mut out = Remap {
        schema: SCHEMA,
        summary: RemapSummary::default(),
        files: Vec::new(),
        remapped: Vec::new(),
        decisions: Vec::new(),
    };
    for doc in docs {
        let Some((_, pattern)) = CONTROL_FIELDS.iter().find(|(k, _)| *k == doc.kind) else {
            continue;
        };
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut file = RemappedFile {
            path: doc.path.clone(),
            kind: doc.kind.clone(),
            remapped: 0,
            decisions: 0,
            text: String::new(),
        };
        // Per list, the pointer first naming each 2022 id (after remapping).
        let mut named: std::collections::BTreeMap<(String, String), String> = Default::default();
        for (pointer, value) in matches(&doc.value, pattern) {
            out.summary.values += 1;
            let list = pointer.rsplit_once('/').map_or("", |(l, _)| l).to_string();
            let line = crate::facts::parse::locate(&doc.text, &pointer).map_or(0, |(l, _)| l);
            let Some(text) = value.as_str() else { continue };
            match classify(crosswalk, &annex, &doc.kind, text) {
                Outcome::Keep2022 => {
                    out.summary.already_2022 += 1;
                    named
                        .entry((list, bare_id(text, ISO_2022).to_string()))
                        .or_insert(pointer);
                }
                Outcome::Other => {}
                Outcome::Rewrite(to, relationship) => {
                    let Some(span) = crate::facts::parse::byte_span(&doc.text, &pointer) else {
                        continue;
                    };
                    edits.push((span, serde_json::Value::String(to.clone()).to_string()));
                    file.remapped += 1;
                    let first = named
                        .entry((list, to.clone()))
                        .or_insert_with(|| pointer.clone());
                    let same_as = (*first != pointer).then(|| first.clone());
                    out.remapped.push(Remapped {
                        file: doc.path.clone(),
                        pointer,
                        line,
                        from: text.to_string(),
                        to,
                        relationship,
                        same_as,
                    });
                }
                Outcome::Decide(kind, candidates, message) => {
                    file.decisions += 1;
                    out.decisions.push(Decision {
                        file: doc.path.clone(),
                        pointer,
                        line,
                        id: text.to_string(),
                        kind,
                        candidates,
                        message,
                    });
                }
            }
        }
        file.text = apply(&doc.text, edits);
        out.summary.documents += 1;
        out.summary.files_changed += usize::from(file.text != doc.text);
        out.files.push(file);
    }
    out.summary.remapped = out.remapped.len();
    out.summary.decisions = out.decisions.len();
    Ok(out)
}

/// Replace each byte range by its text, from the end so earlier ranges keep their offsets.
fn apply(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (range, new) in edits {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, &new);
        }
    }
    out
}

/// Every value a pointer pattern reaches, with its concrete pointer, in document order.
fn matches<'a>(value: &'a Value, pattern: &str) -> Vec<(String, &'a Value)> {
    let mut at: Vec<(String, &Value)> = vec![(String::new(), value)];
    for segment in pattern.split('/').skip(1) {
        let mut next = Vec::new();
        for (pointer, v) in at {
            match (segment, v) {
                ("*", Value::Array(list)) => next.extend(
                    list.iter()
                        .enumerate()
                        .map(|(i, item)| (format!("{pointer}/{i}"), item)),
                ),
                (key, Value::Object(map)) if key != "*" => {
                    if let Some(child) = map.get(key) {
                        next.push((format!("{pointer}/{}", escape(key)), child));
                    }
                }
                _ => {}
            }
        }
        at = next;
    }
    at
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Decide what happens to one value of a control-id field.
fn classify(crosswalk: &Crosswalk, annex: &BTreeSet<String>, kind: &str, text: &str) -> Outcome {
    if annex.contains(bare_id(text, ISO_2022)) {
        return Outcome::Keep2022;
    }
    let id = bare_id(text, ISO_2013);
    if kind == "internal_audit" {
        if let Some((_, why)) = SWAPPED_CLAUSES.iter().find(|(c, _)| *c == id) {
            return Outcome::Decide(
                DecisionKind::ClauseSwapped,
                Vec::new(),
                format!("clause {id}: {why}; keep it if the audit names the 2022 clause, else write the other number"),
            );
        }
    }
    if !id.starts_with("A.") {
        return Outcome::Other;
    }
    let Some(node) = crosswalk.find(ISO_2013, id) else {
        let hint = crosswalk
            .suggest(ISO_2022, id)
            .or_else(|| crosswalk.suggest(ISO_2013, id))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Outcome::Decide(
            DecisionKind::Unknown,
            Vec::new(),
            format!("`{id}` is an Annex A control of neither ISO 27001:2013 nor 2022{hint}"),
        );
    };
    if !crosswalk.is_assessable(node) {
        return Outcome::Decide(
            DecisionKind::NotAControl,
            Vec::new(),
            format!(
                "`{id}` is a 2013 {} ({}), not a control: name the controls meant",
                crosswalk.node(node).kind,
                crosswalk.node(node).title
            ),
        );
    }
    let successors = successors(crosswalk, node);
    match successors.as_slice() {
        [] => Outcome::Decide(
            DecisionKind::NoSuccessor,
            Vec::new(),
            format!("{id} has no successor in ISO 27001:2022: choose a 2022 control or drop it"),
        ),
        [(to, relationship)] => Outcome::Rewrite(to.clone(), *relationship),
        many => {
            let candidates: Vec<String> = many.iter().map(|(c, _)| c.clone()).collect();
            Outcome::Decide(
                DecisionKind::Split,
                candidates.clone(),
                format!(
                    "{id} was split over {}: name the one (or the ones) this item means",
                    candidates.join(", ")
                ),
            )
        }
    }
}

/// The 2022 controls a 2013 control carries over to, in catalog order, with its
/// relationship to each.
fn successors(crosswalk: &Crosswalk, node: NodeId) -> Vec<(String, Relationship)> {
    let mut out: Vec<(String, Relationship)> = crosswalk
        .links(node)
        .into_iter()
        .filter(|v| v.relationship.carries() && crosswalk.node(v.other).framework == ISO_2022)
        .map(|v| (crosswalk.node(v.other).id.clone(), v.relationship))
        .collect();
    let order = annex_a();
    out.sort_by_key(|(id, _)| order.iter().position(|a| a == id));
    out.dedup_by(|a, b| a.0 == b.0);
    out
}
