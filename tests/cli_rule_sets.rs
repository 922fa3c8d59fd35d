//! Rule sets in layers through the binary: the library plus `--rules` directories, a later
//! rule replacing an earlier one of the same id, `xwalk rules list` and `xwalk rules export`.

mod common;

use common::{xwalk, xwalk_in};
use serde_json::Value;

fn eval_json(extra: &[&str]) -> (Value, String) {
    let (code, report) = common::eval_json("fixtures/startup", extra);
    assert!((0..=2).contains(&code), "exit {code}");
    let diagnostics: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect();
    (report, diagnostics.join("\n"))
}

fn library_size() -> usize {
    let run = xwalk(&["rules", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert!(list
        .iter()
        .all(|r| r["origin"] == "built-in" && r["loaded"] == true));
    list.len()
}

#[test]
fn export_then_override_one_rule_over_the_library() {
    let work = tempfile::tempdir().unwrap();
    let run = xwalk_in(work.path(), &["rules", "export", "lib"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let n = library_size();
    let libraries = std::fs::read_dir(work.path().join("lib/lib"))
        .unwrap()
        .count();
    assert!(libraries >= 1, "the built-in libraries are exported too");
    assert!(
        run.stderr.contains(&format!(
            "wrote {n} rules, {libraries} libraries and {n} test files"
        )),
        "{}",
        run.stderr
    );
    // The export is the library, test cases and all.
    let test = xwalk_in(work.path(), &["test", "--rules", "lib"]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    // A second export would overwrite a team's edits: refused unless --force.
    let again = xwalk_in(work.path(), &["rules", "export", "lib"]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);

    // A team tightens one rule: devices must check in every 14 days, not 30.
    let mine = work.path().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    let text = std::fs::read_to_string(work.path().join("lib/ops/endpoints-protected.rhai"))
        .unwrap()
        .replace("days_since(seen) > 30", "days_since(seen) > 1");
    std::fs::write(mine.join("endpoints.rhai"), text).unwrap();
    let mine = mine.to_str().unwrap();

    let (base, _) = eval_json(&[]);
    let (layered, stderr) = eval_json(&["--rules", mine]);
    assert!(
        stderr.contains("XW0416: rule `ops.endpoints-protected` from")
            && stderr.contains("replaces the one from built-in"),
        "{stderr}"
    );
    assert_eq!(
        layered["summary"]["rules"], base["summary"]["rules"],
        "replaced, not added"
    );
    let message = |report: &Value| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == "ops.endpoints-protected")
            .map(|r| r["message"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_ne!(message(&base), message(&layered), "the override ran");
    assert!(
        message(&layered).contains("last checked in"),
        "{}",
        message(&layered)
    );

    // Without the library only the directory's rule runs.
    let (alone, _) = eval_json(&["--rules", mine, "--no-builtin-rules"]);
    assert_eq!(alone["summary"]["rules"], 1);

    let list = xwalk(&["rules", "list", "--rules", mine, "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(list.len(), n);
    let row = list
        .iter()
        .find(|r| r["id"] == "ops.endpoints-protected")
        .unwrap();
    assert_eq!(row["origin"], mine);
    assert!(row["tests"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "iso27001-2022:A.8.1/device-protections-enforced"));
}

#[test]
fn a_broken_override_is_reported_and_the_replaced_rule_does_not_run_in_its_place() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("mfa.rhai"),
        "//! id: access.mfa-enforced\n//! title: t\n//! severity: major\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) { pass( }\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let (report, stderr) = eval_json(&["--rules", d]);
    assert!(stderr.contains("XW0416"), "{stderr}");
    let rows = common::rows_of(&report, "access.mfa-enforced");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["outcome"] == "error"), "{rows:?}");

    let list = xwalk(&["rules", "list", "--rules", d, "--format", "json"]);
    let list: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    let row = list
        .iter()
        .find(|r| r["id"] == "access.mfa-enforced")
        .unwrap();
    assert_eq!(row["loaded"], false);
    assert_eq!(row["origin"], d);
}

#[test]
fn check_and_test_take_the_same_rules_flag_repeated() {
    let work = tempfile::tempdir().unwrap();
    for (dir, id) in [("a", "t.one"), ("b", "t.two")] {
        let path = work.path().join(dir).join("x");
        std::fs::create_dir_all(&path).unwrap();
        std::fs::write(
            path.join("r.rhai"),
            format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) {{ pass(\"fine\") }}\n"),
        )
        .unwrap();
        std::fs::write(
            path.join("r.tests.json"),
            r#"{"cases": [{"name": "passes", "facts": {"a.json": {"kind": "accounts", "items": []}}, "expect": {"outcome": "pass"}}]}"#,
        )
        .unwrap();
    }
    let test = xwalk_in(work.path(), &["test", "--rules", "a", "--rules", "b"]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    assert!(
        test.stdout.contains("t.one") && test.stdout.contains("t.two"),
        "{}",
        test.stdout
    );
    assert!(
        test.stdout.contains("2 passed, 0 failed"),
        "{}",
        test.stdout
    );
    let check = xwalk_in(work.path(), &["check", "--rules", "a", "--rules", "b"]);
    assert!(
        check.stdout.contains("2 rules checked: 0 errors"),
        "{}",
        check.stdout
    );
}

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn rule(id: &str, uses: &str, body: &str) -> String {
    format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n//! uses: {uses}\n\nfn evaluate(doc) {{ {body} }}\n")
}

const CASE: &str = r#"{"cases": [{"name": "two accounts", "facts": {"a.json": {"kind": "accounts", "items": [{"u": 1}, {"u": 2}]}}, "expect": {"outcome": "pass", "message": "^2 accounts$"}}]}"#;

#[test]
fn rules_share_functions_through_a_library() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("mine");
    write(&dir, "lib/counting.rhai", "// how many, with the noun\nfn counted(n, noun) { if n == 1 { `1 ${noun}` } else { `${n} ${noun}s` } }\n");
    write(
        &dir,
        "a/one.rhai",
        &rule(
            "a.one",
            "counting",
            "pass(counted(doc.items.len(), \"account\"))",
        ),
    );
    write(&dir, "a/one.tests.json", CASE);
    // A rule's own function of the same name and arity wins over the library's.
    write(
        &dir,
        "a/two.rhai",
        &(rule(
            "a.two",
            "counting",
            "pass(counted(doc.items.len(), \"account\"))",
        ) + "fn counted(n, noun) { `${n} ${noun}s` }\n"),
    );
    write(&dir, "a/two.tests.json", CASE);
    let d = dir.to_str().unwrap();
    let test = xwalk(&["test", "--rules", d]);
    assert_eq!(test.code, 0, "{}{}", test.stdout, test.stderr);
    assert!(
        test.stdout.contains("2 passed, 0 failed"),
        "{}",
        test.stdout
    );
    assert!(
        !test.stdout.contains("XW0412"),
        "a library needs no tests: {}",
        test.stdout
    );
    let check = xwalk(&["check", "--rules", d]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("2 rules checked: 0 errors, 0 warnings"),
        "{}",
        check.stdout
    );
    let list = xwalk(&[
        "rules",
        "list",
        "--rules",
        d,
        "--no-builtin-rules",
        "--format",
        "json",
    ]);
    let list: Vec<Value> = serde_json::from_str(&list.stdout).unwrap();
    assert_eq!(list.len(), 2, "a library is not a rule: {list:?}");
}

#[test]
fn a_missing_or_impure_library_is_an_error_on_the_rule_that_uses_it() {
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("mine");
    write(&dir, "lib/noisy.rhai", "fn f() { 1 }\nprint(\"loaded\");\n");
    write(&dir, "a/one.rhai", &rule("a.one", "nosuch", "pass(\"x\")"));
    write(&dir, "a/one.tests.json", CASE);
    write(&dir, "a/two.rhai", &rule("a.two", "noisy", "pass(\"x\")"));
    write(&dir, "a/two.tests.json", CASE);
    write(&dir, "a/three.rhai", &rule("a.three", "", "pass(\"fine\")"));
    let d = dir.to_str().unwrap();
    let check = xwalk(&["check", "--rules", d]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    for expected in [
        "error[XW0418]: a rule library may only define functions",
        "lib/noisy.rhai:2:1\n",
        "error[XW0417]: no rule library `nosuch` (known: acknowledgements, approvals",
        "a/one.rhai:6:11\n",
        "error[XW0417]: library `noisy` cannot be used",
        "a/two.rhai:6:11\n",
    ] {
        assert!(
            check.stdout.contains(expected),
            "{expected}\n{}",
            check.stdout
        );
    }
    // The other rules still load and run.
    let eval = xwalk(&[
        "eval",
        "--rules",
        d,
        "--no-builtin-rules",
        "--facts",
        "tests/data/eval/facts",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&eval.stdout).unwrap();
    let outcome = |id: &str| -> Vec<String> {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["rule"] == id)
            .map(|r| r["outcome"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(outcome("a.one"), ["error"]);
    assert_eq!(outcome("a.two"), ["error"]);
    assert_ne!(outcome("a.three"), ["error"]);
}
