//! Every planted gap listed in a fixture's README is found by the rule it names, on the file
//! it names, and every failure of the fixture is a listed gap: the README and the rules
//! cannot drift apart.

mod common;

use common::xwalk;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// (rule ids, facts files) of each row of the README table under `heading`.
fn listed(readme: &str, heading: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let text = std::fs::read_to_string(common::root().join(readme)).unwrap();
    let section = text
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("{readme} has no `{heading}`"));
    let ticked = |cell: &str| -> Vec<String> {
        cell.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').collect();
            assert!(
                cells.len() >= 5,
                "{readme}: a row with too few cells: {row}"
            );
            let rules = ticked(cells[2]);
            let files = ticked(cells[4])
                .into_iter()
                .filter(|f| f.ends_with(".json"))
                .collect();
            assert!(!rules.is_empty(), "{readme}: a gap names no rule: {row}");
            (rules, files)
        })
        .collect()
}

/// Per failing rule, the facts files its failing results rest on (result file and evidence).
fn failures(fixture: &str) -> BTreeMap<String, BTreeSet<String>> {
    let run = xwalk(&[
        "eval",
        "--facts",
        fixture,
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in report["results"].as_array().unwrap() {
        if r["outcome"] != "fail" {
            continue;
        }
        let files = out
            .entry(r["rule"].as_str().unwrap().to_string())
            .or_default();
        if let Some(f) = r["file"].as_str() {
            files.insert(f.to_string());
        }
        for e in r["evidence"].as_array().unwrap() {
            let e = e.as_str().unwrap();
            files.insert(e.split('#').next().unwrap().to_string());
        }
    }
    out
}

fn check(fixture: &str, heading: &str) {
    let gaps = listed(&format!("{fixture}/README.md"), heading);
    let found = failures(fixture);
    let mut named = BTreeSet::new();
    for (rules, files) in &gaps {
        for rule in rules {
            named.insert(rule.clone());
            let on = found.get(rule).unwrap_or_else(|| {
                panic!("{fixture}: `{rule}` is named for a planted gap but does not fail")
            });
            assert!(
                files.is_empty() || files.iter().any(|f| on.contains(f)),
                "{fixture}: `{rule}` fails, but not on {files:?} (it rests on {on:?})"
            );
        }
    }
    let unlisted: Vec<&String> = found.keys().filter(|r| !named.contains(*r)).collect();
    assert!(
        unlisted.is_empty(),
        "{fixture}: failing rules no planted gap names: {unlisted:?}"
    );
}

#[test]
fn every_planted_gap_of_the_startup_is_found_by_its_named_rule() {
    check("fixtures/startup", "## Planted gaps");
}

#[test]
fn every_remaining_finding_of_the_scaleup_is_found_by_its_named_rule() {
    check("fixtures/scaleup", "## Remaining findings");
}
