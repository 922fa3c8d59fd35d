//! SARIF for code scanning: `xwalk eval --format sarif` reports each finding at the line
//! and column of its evidence in the facts file, with fingerprints that survive a re-run
//! and a waived failure as a suppressed result; `xwalk check --format sarif` describes
//! every rule it reports. The SARIF Multitool, with its GitHub rules, finds no error,
//! warning or note in either (skipped, saying so, where the Multitool is not installed).

mod common;

use common::xwalk;
use serde_json::Value;
use std::path::PathBuf;

fn eval_sarif(extra: &[&str]) -> Value {
    let args = [
        &[
            "eval",
            "--facts",
            "fixtures/startup",
            "--as-of",
            "2026-06-30",
            "--format",
            "sarif",
        ][..],
        extra,
    ]
    .concat();
    let run = xwalk(&args);
    assert_eq!(run.code, 1, "findings: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn eval_findings_are_located_at_their_evidence_in_the_facts() {
    let log = eval_sarif(&[]);
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "xwalk/eval/");
    let mfa: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r["ruleId"] == "ops.network-exposure-limited")
        .collect();
    assert!(!mfa.is_empty());
    let loc = &mfa[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("fixtures/startup/"), "{uri}");
    // The region is the evidence value itself: reading the file there gives its snippet.
    let region = &loc["region"];
    let text = std::fs::read_to_string(common::root().join(uri)).unwrap();
    let line = text
        .lines()
        .nth(region["startLine"].as_u64().unwrap() as usize - 1)
        .unwrap();
    let start = region["startColumn"].as_u64().unwrap() as usize - 1;
    let snippet = region["snippet"]["text"].as_str().unwrap();
    assert!(
        line.get(start..)
            .unwrap()
            .starts_with(snippet.lines().next().unwrap()),
        "{line} / {snippet}"
    );
    assert!(region["endLine"].as_u64().unwrap() >= region["startLine"].as_u64().unwrap());
    // Each failing rule is described, with help and its source as the help link.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "ops.network-exposure-limited")
        .unwrap();
    assert_eq!(rule["name"], "OpsNetworkExposureLimited");
    assert!(rule["fullDescription"]["text"].as_str().unwrap().len() > 40);
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .contains("Test procedures:"));
    let link = rule["helpUri"].as_str().unwrap();
    let source = link.split("/blob/main/").nth(1).unwrap();
    assert!(common::root().join(source).exists(), "{link}");
    // Same run, same fingerprints.
    let again = eval_sarif(&[]);
    let prints = |l: &Value| -> Vec<Value> {
        results(l)
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(prints(&log), prints(&again));
}

#[test]
fn a_waived_failure_is_a_suppressed_result_not_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("waivers.toml");
    std::fs::write(
        &path,
        "[[waiver]]\nrule = \"ops.network-exposure-limited\"\njustification = \"SSH kept open for the supplier until the VPN migration\"\napproved_by = \"Daniel Reyes (CTO)\"\napproved_on = 2026-06-01\nexpires_on = 2026-09-30\nrisk = \"RISK-014\"\n",
    )
    .unwrap();
    let log = eval_sarif(&["--waivers", path.to_str().unwrap()]);
    let waived: Vec<&Value> = results(&log)
        .iter()
        .filter(|r| r["ruleId"] == "ops.network-exposure-limited")
        .collect();
    assert!(!waived.is_empty());
    for r in waived {
        let s = &r["suppressions"][0];
        assert_eq!(s["kind"], "external");
        assert_eq!(s["status"], "accepted");
        assert!(s["justification"].as_str().unwrap().contains("RISK-014"));
    }
}

/// The Multitool: `SARIF_MULTITOOL`, else `sarif-multitool` on the PATH.
fn multitool() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SARIF_MULTITOOL").map(PathBuf::from) {
        return p.exists().then_some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("sarif-multitool"))
            .find(|p| p.exists())
    })
}

#[test]
fn the_sarif_multitool_with_its_github_rules_finds_nothing_to_report() {
    let Some(tool) = multitool() else {
        common::skipped("the SARIF Multitool is not installed (set SARIF_MULTITOOL); the SARIF was not checked with it");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let check = xwalk(&["check", "tests/data/check-broken", "--format", "sarif"]);
    let logs = [
        (
            "eval.sarif",
            serde_json::to_string(&eval_sarif(&[])).unwrap(),
        ),
        ("check.sarif", check.stdout),
    ];
    for (name, text) in logs {
        let input = dir.path().join(name);
        let output = dir.path().join(format!("{name}.validation.sarif"));
        std::fs::write(&input, text).unwrap();
        let run = std::process::Command::new(&tool)
            .arg("validate")
            .arg(&input)
            .args(["--rule-kind", "Gh;Sarif", "--log", "ForceOverwrite", "-o"])
            .arg(&output)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stdout)
        );
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
        let found: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}: {}", r["level"], r["ruleId"], r["message"]["text"]))
            .collect();
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}
