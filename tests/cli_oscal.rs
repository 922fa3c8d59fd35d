//! `xwalk eval --format oscal`: OSCAL 1.1 assessment results whose findings are
//! `satisfied` exactly where xwalk's coverage is, the same bytes on every run, and which
//! compliance-trestle (PyPI), the OSCAL SDK GRC pipelines use, parses as assessment results
//! (skipped, saying so, where python3 or trestle is missing).

mod common;

use common::xwalk;
use std::path::Path;

fn oscal(dir: &Path) -> String {
    let run = xwalk(&[
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--format",
        "oscal",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    std::fs::read_to_string(dir.join("assessment-results.json")).unwrap()
}

#[test]
fn findings_are_satisfied_only_where_coverage_is() {
    let dir = tempfile::tempdir().unwrap();
    let text = oscal(dir.path());
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.2");
    let result = &ar["results"][0];
    let findings = result["findings"].as_array().unwrap();
    let satisfied: Vec<&str> = findings
        .iter()
        .filter(|f| f["target"]["status"]["state"] == "satisfied")
        .map(|f| f["target"]["target-id"].as_str().unwrap())
        .collect();
    // The start-up satisfies two ISO requirements and nothing in SOC 2 or CSF.
    let (_, report) = common::eval_json("fixtures/startup", &[]);
    let expected: usize = report["coverage"]["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["counts"]["satisfied"].as_u64().unwrap() as usize)
        .sum();
    assert_eq!(satisfied.len(), expected, "{satisfied:?}");
    assert!(satisfied.iter().all(|s| s.starts_with("iso27001-2022_")));
    // Partial and failing requirements are not satisfied, with xwalk's status kept.
    let partial = findings
        .iter()
        .find(|f| f["props"][0]["value"] == "partial")
        .unwrap();
    assert_eq!(partial["target"]["status"]["state"], "not-satisfied");
    // Observations carry the evidence of failing results.
    let observed = result["observations"].as_array().unwrap();
    assert!(observed
        .iter()
        .any(|o| o["relevant-evidence"][0]["href"] == "identity/aws.json#/items/19"));
    let again = tempfile::tempdir().unwrap();
    assert_eq!(oscal(again.path()), text, "same evaluation, same document");
}

#[test]
fn compliance_trestle_parses_the_assessment_results() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import trestle.oscal.assessment_results"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        common::skipped(
            "python3 with compliance-trestle is not installed; the OSCAL was not checked with it",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    oscal(dir.path());
    let script = r#"
import json, sys, warnings
warnings.simplefilter("ignore")
from trestle.oscal.assessment_results import AssessmentResults
doc = json.load(open(sys.argv[1]))
ar = AssessmentResults.parse_obj(doc["assessment-results"])
r = ar.results[0]
states = [f.target.status.state for f in r.findings]
states = [getattr(s, "value", s) for s in states]
print(len(r.observations), len(r.findings), states.count("satisfied"))
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("assessment-results.json"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8_lossy(&run.stdout);
    let n: Vec<usize> = out.split_whitespace().map(|x| x.parse().unwrap()).collect();
    assert!(n[0] > 100 && n[1] > 100, "{out}");
    assert_eq!(n[2], 2, "{out}");
}
