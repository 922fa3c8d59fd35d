//! Rule parameters through the binary: the default, a policy in the facts that states the
//! value, `--param` over both, `explain` showing what was used, and refused values.

mod common;

use common::xwalk;

const RULE: &str = "access.reviews-periodic";

/// The start-up's facts with a `parameters` document stating `review_days`.
fn facts_with_policy(review_days: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let copy = std::process::Command::new("cp")
        .args(["-r", "fixtures/startup/.", dir.path().to_str().unwrap()])
        .current_dir(common::root())
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::write(
        dir.path().join("isms/parameters.json"),
        format!(
            r#"{{"kind": "parameters", "policy": "POL-04 Access control policy v3", "items": [
  {{"rule": "{RULE}", "name": "review_days", "value": {review_days}}}
]}}"#
        ),
    )
    .unwrap();
    dir
}

fn explain(facts: &str, extra: &[&str]) -> (i32, String) {
    let run = xwalk(
        &[
            &["explain", RULE, "--facts", facts, "--as-of", "2026-06-30"][..],
            extra,
        ]
        .concat(),
    );
    (run.code, format!("{}{}", run.stdout, run.stderr))
}

fn messages(facts: &str, extra: &[&str]) -> Vec<String> {
    let (_, report) = common::eval_json(facts, extra);
    common::rows_of(&report, RULE)
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["outcome"].as_str().unwrap(),
                r["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn a_policy_in_the_facts_sets_a_parameter_and_the_command_line_wins() {
    let (_, default) = explain("fixtures/startup", &[]);
    assert!(
        default.contains("parameter review_days = 90 (default)"),
        "{default}"
    );
    let base = messages("fixtures/startup", &[]);
    assert!(base.iter().any(|m| m.starts_with("pass ")), "{base:?}");

    // The policy asks for a review every 31 days: the same reviews now fail.
    let dir = facts_with_policy("31");
    let d = dir.path().to_str().unwrap();
    let (_, stated) = explain(d, &[]);
    assert!(
        stated.contains("parameter review_days = 31 (isms/parameters.json#/items/0 (POL-04 Access control policy v3))"),
        "{stated}"
    );
    let strict = messages(d, &[]);
    assert!(strict.iter().all(|m| !m.starts_with("pass ")), "{strict:?}");
    assert!(
        strict.iter().any(|m| m.contains("(more than 31 days)")),
        "{strict:?}"
    );

    // --param wins over the policy.
    let (_, flag) = explain(d, &["--param", "access.reviews-periodic.review_days=90"]);
    assert!(
        flag.contains("parameter review_days = 90 (--param)"),
        "{flag}"
    );
    assert_eq!(
        messages(d, &["--param", "access.reviews-periodic.review_days=90"]),
        base
    );
}

#[test]
fn a_value_the_rule_cannot_stand_behind_is_refused_not_used() {
    for (setting, says) in [
        (
            "access.reviews-periodic.review_days=365",
            "outside 1..92, the range in which the rule's claims hold",
        ),
        (
            "access.reviews-periodic.review_days=quarterly",
            "must be a whole number",
        ),
        (
            "access.reviews-periodic.days=30",
            "has no parameter `days` (it declares: review_days)",
        ),
        (
            "access.review-periodic.review_days=30",
            "no rule `access.review-periodic` is loaded",
        ),
    ] {
        let run = xwalk(&[
            "eval",
            "--facts",
            "fixtures/startup",
            "--as-of",
            "2026-06-30",
            "--param",
            setting,
        ]);
        assert_eq!(run.code, 2, "{setting}: {}", run.stderr);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert!(
            all.contains("XW0421") && all.contains(says),
            "{setting}: {all}"
        );
    }
    // From the facts too: a policy value out of range is an input error at its file.
    let dir = facts_with_policy("400");
    let run = xwalk(&[
        "eval",
        "--facts",
        dir.path().to_str().unwrap(),
        "--as-of",
        "2026-06-30",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("isms/parameters.json#/items/0 (POL-04 Access control policy v3): `review_days` = 400 is outside 1..92"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_rule_reading_a_parameter_it_did_not_declare_is_an_error_not_a_default() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.rhai"),
        "//! id: t.typo\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n//! params: days = 30\n\nfn evaluate(doc) { if param(\"dayz\") > 1 { pass(\"x\") } else { fail(\"y\") } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("r.tests.json"),
        r#"{"cases": [{"name": "reads dayz", "facts": {"a.json": {"kind": "accounts", "items": []}}, "expect": {"outcome": "error", "message": "declared: days"}}]}"#,
    )
    .unwrap();
    let run = xwalk(&["test", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}
