//! The Statement of Applicability as the organisation declares it: `soa` facts, typed.
//!
//! Coverage reads the exclusions (an excluded control is not applicable); the
//! SoA view compares every declaration with what the rules measured.

use super::{Document, FactsSet};
use crate::ids::{bare_id, ISO_2022};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// The facts kind that holds the SoA.
pub const KIND: &str = "soa";

/// How far the organisation says a control is implemented (the item's `implementation`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Declared {
    /// `implemented`
    Implemented,
    /// `partial`
    Partial,
    /// `planned`
    Planned,
    /// `not-implemented`
    NotImplemented,
    /// Any other text, kept as written (the vocabulary check reports it).
    Other(String),
}

impl Declared {
    /// Read the field's text.
    pub fn parse(text: &str) -> Self {
        match text {
            "implemented" => Declared::Implemented,
            "partial" => Declared::Partial,
            "planned" => Declared::Planned,
            "not-implemented" => Declared::NotImplemented,
            other => Declared::Other(other.to_string()),
        }
    }

    /// The text as written in the facts.
    pub fn as_str(&self) -> &str {
        match self {
            Declared::Implemented => "implemented",
            Declared::Partial => "partial",
            Declared::Planned => "planned",
            Declared::NotImplemented => "not-implemented",
            Declared::Other(text) => text,
        }
    }

    /// True for `implemented` and `partial`: the control is (at least partly) in place.
    pub fn in_place(&self) -> bool {
        matches!(self, Declared::Implemented | Declared::Partial)
    }
}

impl fmt::Display for Declared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Declared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One row of an SoA document's `items`.
#[derive(Debug, Clone)]
pub struct SoaItem<'a> {
    /// The document it is in.
    pub doc: &'a Document,
    /// Its index in `items`.
    pub index: usize,
    /// The control id without an `iso27001-2022:` prefix.
    pub control: String,
    /// `applicable`, when it is a boolean.
    pub applicable: Option<bool>,
    /// `justification`, trimmed; empty when absent.
    pub justification: String,
    /// `implementation`, when given as text.
    pub declared: Option<Declared>,
    /// `evidence` references given in the SoA.
    pub evidence: Vec<String>,
    /// `owner`: who answers for the control.
    pub owner: Option<String>,
    /// `description`: how the control is implemented, in the organisation's words.
    pub description: Option<String>,
}

impl SoaItem<'_> {
    /// The evidence reference of this row (`file#/items/N`).
    pub fn reference(&self) -> String {
        self.doc.evidence(&format!("/items/{}", self.index))
    }
}

/// A text field, trimmed.
pub fn text_field(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
}

/// Every item with a control id of the given SoA documents, in document then item order.
/// A document that breaks the vocabulary declares nothing: an exclusion read from it
/// would take controls out of the count on the word of a malformed file.
pub fn items<'a>(docs: impl IntoIterator<Item = &'a Document>) -> Vec<SoaItem<'a>> {
    let mut out = Vec::new();
    for doc in docs.into_iter().filter(|d| d.violations.is_empty()) {
        let Some(list) = doc.value.get("items").and_then(Value::as_array) else {
            continue;
        };
        for (index, raw) in list.iter().enumerate() {
            let Some(control) = raw.get("control").and_then(Value::as_str) else {
                continue;
            };
            out.push(SoaItem {
                doc,
                index,
                control: bare_id(control, ISO_2022).to_string(),
                applicable: raw.get("applicable").and_then(Value::as_bool),
                justification: text_field(raw, "justification").unwrap_or_default(),
                declared: text_field(raw, "implementation").map(|t| Declared::parse(&t)),
                evidence: raw
                    .get("evidence")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                owner: text_field(raw, "owner").filter(|t| !t.is_empty()),
                description: text_field(raw, "description").filter(|t| !t.is_empty()),
            });
        }
    }
    out
}

/// Annex A exclusions declared in the facts: control id -> (evidence, justification).
/// When a control is excluded twice, the last row counts.
pub fn exclusions(facts: &FactsSet) -> BTreeMap<String, (String, String)> {
    items(facts.of_kind(KIND).map(|d| &**d))
        .into_iter()
        .filter(|item| item.applicable == Some(false))
        .map(|item| (item.control.clone(), (item.reference(), item.justification)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::schema::SchemaSet;
    use crate::facts::FactsLimits;
    use std::sync::Arc;

    fn soa(implementation: &str) -> FactsSet {
        let text = format!(
            r#"{{"kind": "soa", "version": "1", "approved_by": "ciso", "reviewed_on": "2026-01-10",
               "items": [{{"control": "A.5.1", "applicable": false, "justification": "no policies here",
                           "implementation": "{implementation}"}}]}}"#
        );
        let limits = FactsLimits {
            vocabulary: Some(Arc::new(
                SchemaSet::builtin_at(jiff::civil::date(2026, 6, 30)).unwrap(),
            )),
            ..FactsLimits::default()
        };
        FactsSet::from_texts_with(&[("isms/soa.json".to_string(), text)], &limits)
    }

    #[test]
    fn a_malformed_soa_excludes_nothing() {
        assert_eq!(exclusions(&soa("not-implemented")).len(), 1);
        let broken = soa("DONE");
        assert!(!broken.documents()[0].violations.is_empty());
        assert!(
            exclusions(&broken).is_empty(),
            "an exclusion from a broken SoA counted"
        );
    }
}
