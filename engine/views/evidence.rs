//! The evidence list: every test procedure of the planned requirements, how it is tested
//! (the rules claiming it, or by hand), its status, what to hand the auditor, who provides
//! it, how often, and the plan request that covers it. One row per procedure, for the
//! spreadsheet a team works its audit preparation from.

use crate::coverage::{Coverage, ProcedureStatus, Status};
use crate::crosswalk::{Crosswalk, Examines, Renewal};
use crate::error::Error;
use crate::views::plan::Plan;
use serde::Serialize;
use std::collections::BTreeMap;

/// Version tag of `xwalk plan --procedures --format json`; bumped on any incompatible
/// change (see docs/json-outputs.md, schema in docs/schemas/procedures.schema.json).
pub const SCHEMA: &str = "xwalk.procedures.v1";

/// One procedure to evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// Framework id.
    pub framework: String,
    /// Requirement id.
    pub requirement: String,
    /// Procedure slug (empty for a requirement without procedures).
    pub procedure: String,
    /// Design or operation (`None` without procedures).
    pub tests: Option<Examines>,
    /// How often its evidence is renewed (`None` without procedures).
    pub renewal: Option<Renewal>,
    /// What the auditor checks.
    pub statement: String,
    /// `automated` when a rule claims it, else `manual`.
    pub how: &'static str,
    /// The rules claiming it.
    pub rules: Vec<String>,
    /// Its status from those rules (`untested` for manual ones).
    pub status: ProcedureStatus,
    /// What to hand the auditor.
    pub evidence: String,
    /// Who provides it.
    pub owner: String,
    /// The plan request that covers it.
    pub request: String,
}

/// The evidence list of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceList {
    /// Schema version, always [`SCHEMA`].
    pub schema: &'static str,
    /// One row per procedure, in framework and catalog order.
    pub procedures: Vec<EvidenceItem>,
}

/// The evidence list of a plan, in framework and catalog order.
pub fn build(
    crosswalk: &Crosswalk,
    coverage: &Coverage,
    plan: &Plan,
) -> Result<EvidenceList, Error> {
    let mut covered_by: BTreeMap<(String, String), String> = BTreeMap::new();
    for r in &plan.requests {
        for (fw, labels) in &r.procedures {
            for label in labels {
                covered_by
                    .entry((fw.clone(), label.clone()))
                    .or_insert_with(|| r.id.clone());
            }
        }
    }
    let mut out = Vec::new();
    for fp in &plan.frameworks {
        let fw = fp.framework.as_str();
        let cov = coverage
            .framework(fw)
            .ok_or_else(|| Error::Usage(format!("no coverage computed for {fw}")))?;
        for req in cov
            .requirements
            .iter()
            .filter(|r| r.status != Status::NotApplicable)
        {
            let node = crosswalk.find(fw, &req.id);
            let defined = node.map(|n| crosswalk.procedures(n)).unwrap_or_default();
            if req.procedures.is_empty() {
                out.push(EvidenceItem {
                    framework: fw.to_string(),
                    requirement: req.id.clone(),
                    procedure: String::new(),
                    tests: None,
                    renewal: None,
                    statement: format!("{} (no test procedures defined)", req.title),
                    how: "manual",
                    rules: Vec::new(),
                    status: ProcedureStatus::Untested,
                    evidence: String::new(),
                    owner: String::new(),
                    request: covered_by
                        .get(&(fw.to_string(), req.id.clone()))
                        .cloned()
                        .unwrap_or_default(),
                });
                continue;
            }
            for p in &req.procedures {
                let def = defined.iter().find(|d| d.id == p.id);
                let label = format!("{}/{}", req.id, p.id);
                out.push(EvidenceItem {
                    framework: fw.to_string(),
                    requirement: req.id.clone(),
                    procedure: p.id.clone(),
                    tests: Some(p.tests),
                    renewal: Some(p.renewal),
                    statement: def.map(|d| d.statement.clone()).unwrap_or_default(),
                    how: if p.rules.is_empty() {
                        "manual"
                    } else {
                        "automated"
                    },
                    rules: p.rules.clone(),
                    status: p.status,
                    evidence: def.map(|d| d.evidence.clone()).unwrap_or_default(),
                    owner: def.map(|d| d.owner.clone()).unwrap_or_default(),
                    request: covered_by
                        .get(&(fw.to_string(), label))
                        .cloned()
                        .unwrap_or_default(),
                });
            }
        }
    }
    Ok(EvidenceList {
        schema: SCHEMA,
        procedures: out,
    })
}
