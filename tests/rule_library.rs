//! The built-in rule library: every rule compiles, maps to known requirements,
//! passes its own test cases, with at least one passing and one failing case, sits in
//! the folder of its id area and leaves the native helpers alone.

use std::collections::BTreeMap;
use xwalk::builtin;
use xwalk::rules::RuleSet;
use xwalk::ruletest;
use xwalk::sandbox::{helpers, Limits, Sandbox};
use xwalk::Crosswalk;

#[test]
fn every_builtin_rule_loads_and_maps_to_known_requirements() {
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let rules = RuleSet::builtin(&sandbox);
    let problems: Vec<String> = rules.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(rules.broken.is_empty(), "{:?}", rules.broken);
    let crosswalk = Crosswalk::builtin().crosswalk;
    let unknown: Vec<String> = rules
        .check_requirements(&crosswalk)
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    for rule in &rules.rules {
        let iso = rule
            .meta
            .requirements
            .iter()
            .any(|r| r.framework == "iso27001-2022");
        assert!(
            iso,
            "{} maps to no ISO 27001:2022 requirement",
            rule.meta.id
        );
    }
}

#[test]
fn every_builtin_rule_passes_its_test_cases() {
    let run = ruletest::run(&builtin::rule_files(), &builtin::rule_test_files(), None);
    let diags: Vec<String> = run.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(diags.is_empty(), "{}", diags.join("\n"));
    let failed: Vec<String> = run
        .cases
        .iter()
        .filter(|c| !c.passed)
        .map(|c| format!("{} / {}: {}", c.rule, c.case, c.detail))
        .collect();
    assert!(
        failed.is_empty(),
        "{} failing case(s):\n{}",
        failed.len(),
        failed.join("\n")
    );
    let mut seen: BTreeMap<&str, (bool, bool, usize)> = BTreeMap::new();
    for c in &run.cases {
        let e = seen.entry(c.rule.as_str()).or_default();
        e.0 |= c.expected == "pass";
        e.1 |= c.expected == "fail";
        e.2 += 1;
    }
    // A passing case, a failing case, and at least one edge case besides.
    let incomplete: Vec<&&str> = seen
        .iter()
        .filter(|(_, (p, f, n))| !(*p && *f && *n >= 3))
        .map(|(r, _)| r)
        .collect();
    assert!(
        incomplete.is_empty(),
        "rules without a passing, a failing and an edge case: {incomplete:?}"
    );
    let files = builtin::rule_files();
    assert!(files.len() >= 40, "the library has {} rules", files.len());
    assert_eq!(seen.len(), files.len(), "every rule has test cases");
}

#[test]
fn every_builtin_rule_sits_in_the_folder_of_its_id_area() {
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let rules = RuleSet::builtin(&sandbox);
    let misplaced: Vec<String> = rules
        .rules
        .iter()
        .filter(|rule| {
            let folder = rule.path.rsplit('/').nth(1).unwrap_or_default();
            let area = rule.meta.id.split('.').next().unwrap_or_default();
            folder != area
        })
        .map(|rule| format!("{} is in {}", rule.meta.id, rule.path))
        .collect();
    assert!(misplaced.is_empty(), "{}", misplaced.join("\n"));
}

#[test]
fn no_builtin_rule_redefines_a_native_helper() {
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let rules = RuleSet::builtin(&sandbox);
    let copies: Vec<String> = rules
        .rules
        .iter()
        .flat_map(|rule| {
            rule.ast
                .iter_functions()
                .filter(|f| helpers::NAMES.contains(&f.name))
                .map(|f| format!("{} defines fn {}", rule.path, f.name))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(copies.is_empty(), "{}", copies.join("\n"));
}
