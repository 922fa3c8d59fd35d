//! OSCAL 1.1 assessment results (JSON) from an evaluation, for GRC tools that read OSCAL:
//! one result for the run, an observation per rule result (what was tested, on which
//! document, with its evidence), and a finding per requirement that a rule reached, whose
//! target is `satisfied` only when xwalk's coverage says so. Partial, failing and unknown
//! requirements are `not-satisfied`, with xwalk's own status kept as a property, so no
//! OSCAL reader sees more assurance than the evaluation gave. Requirements nothing tested
//! are left out (they were not assessed). UUIDs are derived from the content, so the same
//! evaluation gives the same document.

use crate::coverage::{Status, Trace};
use crate::eval::Outcome;
use crate::views::results::EvalReport;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of xwalk's own properties.
const NS: &str = "https://xwalk.dev/ns/oscal";

/// A name-based UUID (version 5 layout) from the parts.
fn uuid(parts: &[&str]) -> String {
    let hex = crate::import::sha256(parts.join("\u{1f}").as_bytes());
    let h = hex.as_bytes();
    let s =
        |a: usize, b: usize| String::from_utf8_lossy(h.get(a..b).unwrap_or_default()).into_owned();
    let variant = match h.get(16) {
        Some(c) => ["8", "9", "a", "b"][(*c as usize) % 4],
        None => "8",
    };
    format!(
        "{}-{}-5{}-{variant}{}-{}",
        s(0, 8),
        s(8, 12),
        s(13, 16),
        s(17, 20),
        s(20, 32)
    )
}

/// An OSCAL token for a requirement: `iso27001-2022_A.5.15`, `soc2-2017_CC6.1`.
fn token(framework: &str, id: &str) -> String {
    let raw = format!("{framework}_{id}");
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NS, "value": value })
}

/// The assessment results of an evaluation.
pub fn assessment_results(report: &EvalReport<'_>) -> Value {
    let at = format!("{}T00:00:00+00:00", report.as_of);
    let plan = uuid(&["plan", &report.as_of]);
    let mut observations = Vec::new();
    let mut by_rule: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, r) in report.results.iter().enumerate() {
        if r.outcome == Outcome::NotApplicable {
            continue;
        }
        let file = r.file.as_deref().unwrap_or_default();
        let id = uuid(&[
            "observation",
            r.rule.as_str(),
            file,
            &i.to_string(),
            &report.as_of,
        ]);
        by_rule.entry(r.rule.as_str()).or_default().push(id.clone());
        let evidence: Vec<Value> = r
            .evidence
            .iter()
            .map(|e| json!({ "href": e, "description": format!("evidence of {}", r.rule) }))
            .collect();
        let collected = r
            .collected_on
            .map_or(at.clone(), |d| format!("{d}T00:00:00+00:00"));
        let mut o = json!({
            "uuid": id,
            "title": format!("{} on {}", r.rule, if file.is_empty() { "(no facts)" } else { file }),
            "description": if r.message.is_empty() { r.outcome.to_string() } else { r.message.clone() },
            "props": [prop("rule", r.rule.as_str()), prop("outcome", r.outcome.as_str())],
            "methods": ["TEST"],
            "collected": collected,
        });
        if !evidence.is_empty() {
            o["relevant-evidence"] = json!(evidence);
        }
        observations.push(o);
    }
    let mut findings = Vec::new();
    for fw in &report.coverage.frameworks {
        for req in &fw.requirements {
            if matches!(req.status, Status::Untested | Status::NotApplicable) {
                continue;
            }
            let related: Vec<Value> = req
                .because
                .iter()
                .filter_map(|t| match t {
                    Trace::Rule { rule, .. } => by_rule.get(rule.as_str()),
                    _ => None,
                })
                .flatten()
                .map(|o| json!({ "observation-uuid": o }))
                .collect();
            let why: Vec<String> = req.because.iter().map(super::eval::trace_text).collect();
            let state = if req.status == Status::Satisfied {
                "satisfied"
            } else {
                "not-satisfied"
            };
            let mut f = json!({
                "uuid": uuid(&["finding", fw.framework.as_str(), &req.id, &report.as_of]),
                "title": format!("{} {}: {}", fw.framework, req.id, req.title),
                "description": format!("xwalk status: {}. {}", req.status, why.join("; ")),
                "props": [prop("xwalk-status", &req.status.to_string()), prop("procedures", &req.procedure_summary())],
                "target": {
                    "type": "objective-id",
                    "target-id": token(fw.framework.as_str(), &req.id),
                    "status": { "state": state },
                },
            });
            if !related.is_empty() {
                f["related-observations"] = json!(related);
            }
            findings.push(f);
        }
    }
    json!({
        "assessment-results": {
            "uuid": uuid(&["assessment-results", &report.as_of, &report.results.len().to_string()]),
            "metadata": {
                "title": format!("xwalk assessment results as of {}", report.as_of),
                "last-modified": at,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": { "href": format!("#{plan}") },
            "results": [{
                "uuid": uuid(&["result", &report.as_of]),
                "title": format!("xwalk eval as of {}", report.as_of),
                "description": format!(
                    "{} rules over {} facts documents: {} results. Findings are per requirement; a requirement is satisfied only when every test procedure passes.",
                    report.summary.rules, report.summary.facts_documents, report.summary.results
                ),
                "start": at,
                "reviewed-controls": { "control-selections": [{ "include-all": {} }] },
                "observations": observations,
                "findings": findings,
            }],
            "back-matter": { "resources": [{
                "uuid": plan,
                "title": "The assessment plan: xwalk's rule set and crosswalk, evaluated over the facts directory",
            }]},
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_version_5_and_stable() {
        let a = uuid(&["x", "y"]);
        assert_eq!(a, uuid(&["x", "y"]));
        assert_ne!(a, uuid(&["x", "z"]));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('5'));
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
        assert_eq!(token("nist-csf-2.0", "PR.AA-01"), "nist-csf-2.0_PR.AA-01");
    }
}
