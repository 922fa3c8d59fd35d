//! The draft 2022 SoA as a facts document of kind `soa`, ready for `--facts`.
//!
//! The vocabulary has no way for an item to say "undecided": `applicable` is a boolean and
//! `implementation` one of four values, both required. So a control whose applicability or
//! implementation the 2013 SoA does not decide (a control new in 2022, or predecessors with
//! no implementation) is left out of `items`, and `xwalk soa` flags it SOA01 "not in SoA"
//! until someone decides. Header fields the 2013 CSV does not hold are never made up:
//! `reviewed_on` is null unless given (SOA06 flags it), `version` and `approved_by` are
//! empty unless given.

use super::{DraftRow, Transition};
use serde::Serialize;

/// The header fields a 2013 SoA CSV does not hold, as the user gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoaHeader {
    /// The SoA's version (empty when not given).
    pub version: Option<String>,
    /// Who approved it (empty when not given).
    pub approved_by: Option<String>,
    /// When it was last reviewed, `YYYY-MM-DD` (null when not given).
    pub reviewed_on: Option<String>,
}

/// One item of the `soa` document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoaItem {
    /// 2022 control id.
    pub control: String,
    /// Carried-over applicability.
    pub applicable: bool,
    /// Carried-over justification; null when none.
    pub justification: Option<String>,
    /// Combined implementation status.
    pub implementation: String,
    /// Carried-over evidence references (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// The `soa` facts document, its fields in the order the fixtures write them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoaDocument {
    /// Always `soa`.
    pub kind: &'static str,
    /// Where the draft came from.
    pub source: String,
    /// The SoA's version.
    pub version: String,
    /// Who approved it.
    pub approved_by: String,
    /// When it was last reviewed; null when not given.
    pub reviewed_on: Option<String>,
    /// The decided controls, in catalog order.
    pub items: Vec<SoaItem>,
}

/// A control left out of the document, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    /// 2022 control id.
    pub control: String,
    /// Why: what needs deciding.
    pub reason: String,
}

/// The document and what was left out or left empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoaFacts {
    /// The document to write.
    pub document: SoaDocument,
    /// Controls left out: each needs a decision (`xwalk soa` flags it SOA01).
    pub left_out: Vec<LeftOut>,
    /// Header fields written empty or null because nobody gave them.
    pub not_given: Vec<&'static str>,
}

/// Build the `soa` document from a transition.
pub fn soa_document(t: &Transition, header: &SoaHeader) -> SoaFacts {
    let mut items = Vec::new();
    let mut left_out = Vec::new();
    for row in &t.draft {
        match item(row) {
            Ok(item) => items.push(item),
            Err(reason) => left_out.push(LeftOut {
                control: row.control.clone(),
                reason,
            }),
        }
    }
    let mut not_given = Vec::new();
    let mut given = |value: &Option<String>, name: &'static str| {
        if value.is_none() {
            not_given.push(name);
        }
        value.clone()
    };
    let version = given(&header.version, "version").unwrap_or_default();
    let approved_by = given(&header.approved_by, "approved_by").unwrap_or_default();
    let reviewed_on = given(&header.reviewed_on, "reviewed_on");
    let source = format!(
        "Draft ISO 27001:2022 SoA written by xwalk transition from the ISO 27001:2013 SoA {}; {} controls that need a decision are left out",
        t.source,
        left_out.len()
    );
    SoaFacts {
        document: SoaDocument {
            kind: crate::facts::soa::KIND,
            source,
            version,
            approved_by,
            reviewed_on,
            items,
        },
        left_out,
        not_given,
    }
}

/// The item for a row, or why it cannot be written yet.
fn item(row: &DraftRow) -> Result<SoaItem, String> {
    if row.new {
        return Err("new in 2022: decide applicability and implementation".to_string());
    }
    let Some(applicable) = row.applicable else {
        return Err("no predecessor is in the 2013 SoA: decide applicability".to_string());
    };
    if row.implementation.is_empty() {
        return Err("the 2013 SoA gives no implementation: decide it".to_string());
    }
    let justification = row.justification.trim();
    Ok(SoaItem {
        control: row.control.clone(),
        applicable,
        justification: (!justification.is_empty()).then(|| justification.to_string()),
        implementation: row.implementation.clone(),
        evidence: row.evidence.clone(),
    })
}
