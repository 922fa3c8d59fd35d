//! JUnit for CI dashboards: `xwalk eval --format junit` gives a suite per rule and a case
//! per document, where only a pass is a success; failures carry the message and, as their
//! body, the whole text with the evidence. junitparser (PyPI), the parser CI tools build on,
//! reads both eval's and `xwalk test`'s reports with the bodies intact (skipped, saying so,
//! where python3 or junitparser is missing).

mod common;

use common::xwalk;
use std::path::Path;

fn eval_junit(out: &Path) {
    let run = xwalk(&[
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--format",
        "junit",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

/// A rule test run with one failing case, as JUnit.
fn test_junit(dir: &Path) -> String {
    let rule = dir.join("t/always-pass.rhai");
    std::fs::create_dir_all(rule.parent().unwrap()).unwrap();
    std::fs::write(
        &rule,
        "//! id: t.always-pass\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) { pass(\"fine\") }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("t/always-pass.tests.json"),
        r#"{"as_of":"2026-06-30","cases":[
          {"name":"expects a failure","facts":{"a.json":{"kind":"accounts","items":[]}},"expect":{"outcome":"fail"}}
        ]}"#,
    )
    .unwrap();
    let run = xwalk(&["test", dir.to_str().unwrap(), "--format", "junit"]);
    assert_eq!(run.code, 1);
    run.stdout
}

#[test]
fn eval_results_are_a_suite_per_rule_with_failure_bodies() {
    let dir = tempfile::tempdir().unwrap();
    eval_junit(dir.path());
    let xml = std::fs::read_to_string(dir.path().join("report.junit.xml")).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), 109);
    assert_eq!(xml.matches("<failure ").count(), 41);
    assert_eq!(
        xml.matches("<skipped ").count(),
        3,
        "not applicable and no evidence are not passes"
    );
    assert!(xml.contains("<testsuite name=\"ops.network-exposure-limited\""));
    // The body holds the evidence, each pointer on its own line.
    assert!(
        xml.contains("\nevidence:\n"),
        "failure bodies carry the evidence"
    );
}

#[test]
fn junitparser_reads_the_reports_with_their_failure_bodies() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import junitparser"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        common::skipped(
            "python3 with junitparser is not installed; the JUnit was not checked with it",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    eval_junit(dir.path());
    let tests = test_junit(&dir.path().join("rules"));
    std::fs::write(dir.path().join("test.junit.xml"), tests).unwrap();
    // Per file: cases, failures, skipped, and the shortest failure body.
    let script = r#"
import sys
from junitparser import JUnitXml, Failure, Skipped
for path in sys.argv[1:]:
    xml = JUnitXml.fromfile(path)
    cases = failures = skipped = 0
    shortest = None
    for suite in xml:
        for case in suite:
            cases += 1
            for r in case.result:
                if isinstance(r, Failure):
                    failures += 1
                    body = r.text or ""
                    assert r.message, "a failure without a message"
                    shortest = body if shortest is None or len(body) < len(shortest) else shortest
                if isinstance(r, Skipped):
                    skipped += 1
    print(cases, failures, skipped, len(shortest or ""))
"#;
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(dir.path().join("report.junit.xml"))
        .arg(dir.path().join("test.junit.xml"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let out = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<Vec<usize>> = out
        .lines()
        .map(|l| l.split(' ').map(|n| n.parse().unwrap()).collect())
        .collect();
    assert_eq!(lines[0][..3], [109, 41, 3], "{out}");
    assert!(lines[0][3] > 20, "every eval failure has a body: {out}");
    assert_eq!(lines[1][..3], [1, 1, 0], "{out}");
    assert!(lines[1][3] > 10, "the rule test failure has a body: {out}");
}
