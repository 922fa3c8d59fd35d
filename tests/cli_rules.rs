//! The rule-author commands through the binary: check, test, new.

mod common;

use common::{xwalk, xwalk_in};
use quick_xml::events::Event;

#[test]
fn check_reports_syntax_unknown_id_and_duplicate_with_positions() {
    let run = xwalk(&["check", "tests/data/check-broken"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let errors = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("error["))
        .count();
    assert_eq!(errors, 3, "{}", run.stdout);
    for at in [
        "second.rhai:1:9",
        "syntax.rhai:8:59",
        "unknown-control.rhai:4:19",
    ] {
        assert!(run.stdout.contains(at), "{at} in {}", run.stdout);
    }
    for code in ["XW0410", "XW0405", "XW0406"] {
        assert!(run.stdout.contains(code), "{code} in {}", run.stdout);
    }
    assert!(run.stdout.contains("did you mean"), "{}", run.stdout);
    insta::assert_snapshot!("check_broken_rules", run.stdout);
}

#[test]
fn the_builtin_library_checks_clean() {
    let run = xwalk(&["check"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
}

#[test]
fn check_sarif_has_the_required_fields() {
    let run = xwalk(&["check", "tests/data/check-broken", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "xwalk");
    let rule_ids: Vec<&str> = driver["rules"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    let results = runs[0]["results"].as_array().unwrap();
    assert!(results.len() >= 3);
    for r in results {
        assert!(r["message"]["text"].is_string(), "{r}");
        let id = r["ruleId"].as_str().unwrap();
        assert!(rule_ids.contains(&id), "{id} declared in driver.rules");
        assert!(["error", "warning", "note", "none"].contains(&r["level"].as_str().unwrap()));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string(), "{r}");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
    }
}

#[test]
fn check_json_lists_diagnostics() {
    let run = xwalk(&["check", "tests/data/check-broken", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let all = v
        .as_array()
        .or_else(|| v["diagnostics"].as_array())
        .unwrap();
    assert!(
        all.iter().filter(|d| d["severity"] == "error").count() == 3,
        "{v}"
    );
}

#[test]
fn test_runs_the_builtin_cases_and_filters() {
    let run = xwalk(&["test"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let last = run.stdout.lines().last().unwrap_or_default();
    assert!(last.ends_with(", 0 failed"), "{last}");
    let filtered = xwalk(&["test", "--filter", "mfa-enforced"]);
    assert_eq!(filtered.code, 0);
    let lines = filtered
        .stdout
        .lines()
        .filter(|l| l.contains("access.mfa-enforced"))
        .count();
    assert!(lines >= 2, "{}", filtered.stdout);
    assert!(
        !filtered.stdout.contains("soa.complete"),
        "{}",
        filtered.stdout
    );
}

#[test]
fn test_junit_output_parses_as_xml_with_counts() {
    let run = xwalk(&["test", "--format", "junit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = quick_xml::Reader::from_str(&run.stdout);
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.name().as_ref() {
                b"testsuite" => suites += 1,
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(e) => panic!("not XML: {e}\n{}", run.stdout),
            _ => {}
        }
    }
    assert!(suites >= 1 && cases >= 80, "{suites} suites, {cases} cases");
    assert_eq!(failures, 0);
}

#[test]
fn a_failing_case_exits_one_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("t/always-pass.rhai");
    std::fs::create_dir_all(rule.parent().unwrap()).unwrap();
    std::fs::write(
        &rule,
        "//! id: t.always-pass\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) { pass(\"fine\") }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("t/always-pass.tests.json"),
        r#"{"as_of":"2026-06-30","cases":[
          {"name":"expects a failure","facts":{"a.json":{"kind":"accounts","items":[]}},"expect":{"outcome":"fail"}},
          {"name":"expects a pass","facts":{"a.json":{"kind":"accounts","items":[]}},"expect":{"outcome":"pass","message":"^fine$"}}
        ]}"#,
    )
    .unwrap();
    let run = xwalk(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stdout.contains("expects a failure"), "{}", run.stdout);
    assert!(run.stdout.contains("1 passed, 1 failed"), "{}", run.stdout);
}

/// A rule that passes on a document whose `due` date is not past the evaluation date,
/// with the document as evidence, and its test file.
fn dated_rule(tests: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/due.rhai"),
        "//! id: t.due\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) { if days_until(doc.due) >= 0 { pass(\"not due\", doc) } else { fail(\"overdue\", doc.items) } }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("t/due.tests.json"), tests).unwrap();
    dir
}

#[test]
fn a_test_file_that_cannot_be_used_exits_two_and_names_the_line() {
    for (text, line, says) in [
        ("{bad", 1, "unreadable test file"),
        (
            "{\"cases\": [\n {\"name\": \"n\", \"facts\": {}, \"expect\": {\"outcome\": \"passed\"}}]}",
            2,
            "unknown variant `passed`",
        ),
        (
            "{\"cases\": [\n {\"name\": \"n\", \"as_of\": \"June\", \"facts\": {}, \"expect\": {\"outcome\": \"pass\"}}]}",
            2,
            "as_of `June` is not a date",
        ),
    ] {
        let dir = dated_rule(text);
        let run = xwalk(&["test", dir.path().to_str().unwrap()]);
        assert_eq!(run.code, 2, "{text}: {}{}", run.stdout, run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(all.contains(&format!("due.tests.json:{line}:")), "{text}: {all}");
        assert!(all.contains(says), "{text}: {all}");
    }
}

#[test]
fn a_case_sets_its_own_date_and_pins_the_evidence() {
    let doc = r#"{"kind": "accounts", "due": "2026-07-15", "items": [{"u": 1}]}"#;
    let dir = dated_rule(&format!(
        r#"{{"as_of": "2026-06-30", "cases": [
          {{"name": "before the due date", "facts": {{"a.json": {doc}}}, "expect": {{"outcome": "pass", "evidence": ["a.json#"]}}}},
          {{"name": "after it", "as_of": "2026-08-01", "facts": {{"a.json": {doc}}}, "expect": {{"outcome": "fail", "evidence": ["a.json#/items/0"]}}}},
          {{"name": "wrong evidence", "as_of": "2026-08-01", "facts": {{"a.json": {doc}}}, "expect": {{"outcome": "fail", "evidence": ["a.json#"]}}}}
        ]}}"#
    ));
    let run = xwalk(&["test", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("2 passed, 1 failed"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("evidence differs: expected [a.json#], got [a.json#/items/0]"),
        "{}",
        run.stdout
    );
}

#[test]
fn new_rule_scaffold_passes_check_and_test_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let scaffold = [
        "new",
        "rule",
        "acme.backups-offsite",
        "--requirement",
        "iso27001-2022:A.8.13",
        "--dir",
        "mine",
    ];
    let run = xwalk_in(dir.path(), &scaffold);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(xwalk_in(dir.path(), &["check", "mine"]).code, 0);
    let test = xwalk_in(dir.path(), &["test", "mine"]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    assert!(
        test.stdout.contains("2 passed, 0 failed"),
        "{}",
        test.stdout
    );
    let again = xwalk_in(dir.path(), &scaffold);
    assert_eq!(again.code, 2, "refuses to overwrite");
    let bad = xwalk_in(
        dir.path(),
        &[
            "new",
            "rule",
            "acme.x",
            "--requirement",
            "iso27001-2022:A.8.133",
            "--dir",
            "mine",
        ],
    );
    assert_eq!(bad.code, 2, "an unknown requirement is refused");
}

#[test]
fn explain_honours_the_facts_size_cap_for_files_and_directories() {
    let dir = std::env::temp_dir().join(format!("xwalk-explain-cap-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("more")).unwrap();
    let doc =
        r#"{"kind": "accounts", "items": [{"user": "ana", "status": "active", "mfa": true}]}"#;
    std::fs::write(dir.join("idp.json"), doc).unwrap();
    std::fs::write(dir.join("more/idp2.json"), doc).unwrap();
    let file = dir.join("idp.json");
    let sub = dir.join("more");
    let args = |cap: &'static str| {
        vec![
            "explain".to_string(),
            "access.mfa-enforced".to_string(),
            file.display().to_string(),
            sub.display().to_string(),
            "--as-of".to_string(),
            "2026-06-30".to_string(),
            "--max-facts-bytes".to_string(),
            cap.to_string(),
        ]
    };
    let run_with = |cap: &'static str| {
        let owned = args(cap);
        let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
        xwalk(&refs)
    };
    let small = run_with("10");
    let refused = small.stderr.matches("XW0303").count();
    assert_eq!(refused, 2, "both files are over the cap:\n{}", small.stderr);
    assert!(
        small.stdout.contains("no-evidence") || small.stdout.contains("untested"),
        "nothing was read, so nothing was tested:\n{}",
        small.stdout
    );
    let large = run_with("1000000");
    assert!(!large.stderr.contains("XW0303"), "{}", large.stderr);
    assert!(!large.stdout.contains("no-evidence"), "{}", large.stdout);
    std::fs::remove_dir_all(&dir).ok();
}
