//! SARIF 2.1.0 output for `xwalk check`, as accepted by code-scanning uploads.

use crate::diag::{Code, Diagnostic, Severity};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The SARIF 2.1.0 schema address.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One SARIF log with one run of xwalk.
pub fn render(diags: &[Diagnostic]) -> Value {
    let codes: BTreeSet<&Code> = diags.iter().map(|d| d.code).collect();
    let rules: Vec<Value> = codes
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "shortDescription": { "text": c.summary },
                "helpUri": format!("https://github.com/xwalk/xwalk/blob/main/{}", c.doc_path()),
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut region = serde_json::Map::new();
            if d.location.line > 0 {
                region.insert("startLine".into(), json!(d.location.line));
            }
            if d.location.column > 0 {
                region.insert("startColumn".into(), json!(d.location.column));
            }
            let mut physical = json!({ "artifactLocation": { "uri": d.location.file } });
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            let mut message = d.message.clone();
            if let Some(s) = &d.subject {
                message.push_str(&format!(" ({s})"));
            }
            json!({
                "ruleId": d.code,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": message },
                "locations": [ { "physicalLocation": physical } ],
            })
        })
        .collect();
    json!({
        "version": "2.1.0",
        "$schema": SCHEMA,
        "runs": [ {
            "tool": { "driver": {
                "name": "xwalk",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/xwalk/xwalk",
                "rules": rules,
            } },
            "results": results,
        } ],
    })
}
