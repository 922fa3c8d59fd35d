//! Observation periods through the binary on both fixtures: `--period FROM..TO` makes the rules
//! over recurring activities test every occurrence dated in it, the JSON results carry what each
//! rule tested (`results[].population`), and readiness grades each finding by its extent.

mod common;

use common::{rows_of, xwalk};
use serde_json::Value;

const PERIOD: &str = "2026-01-01..2026-06-30";

fn json_of(args: &[&str]) -> (i32, String, Value) {
    let run = xwalk(args);
    let value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run.code, run.stdout, value)
}

fn eval_period(org: &str) -> (i32, String, Value) {
    let facts = format!("fixtures/{org}");
    json_of(&[
        "eval", "--facts", &facts, "--period", PERIOD, "--format", "json",
    ])
}

/// `(total, exceptions)` of one rule's row on one facts file.
fn counted(report: &Value, rule: &str, file: &str) -> Option<(u64, u64)> {
    let row = rows_of(report, rule)
        .into_iter()
        .find(|r| r["file"] == file)
        .unwrap_or_else(|| panic!("no {rule} row on {file}"));
    let p = &row["population"];
    Some((p["total"].as_u64()?, p["exceptions"].as_u64()?))
}

fn finding<'a>(readiness: &'a Value, rule: &str) -> &'a Value {
    readiness["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding of {rule}"))
}

#[test]
fn a_period_run_reports_population_tested_exceptions_and_rate() {
    let (code, _, r) = eval_period("scaleup");
    assert_eq!(code, 1, "the scale-up has findings");
    assert_eq!(r["period"]["from"], "2026-01-01");
    assert_eq!(r["period"]["to"], "2026-06-30");
    assert_eq!(
        r["as_of"], "2026-06-30",
        "--as-of defaults to the period's end"
    );
    // Every normal and emergency change of the half-year, one without approval.
    let row = rows_of(&r, "ops.change-approval")[0];
    assert_eq!(row["outcome"], "fail");
    let p = &row["population"];
    assert_eq!(
        (&p["total"], &p["tested"], &p["exceptions"]),
        (&63.into(), &63.into(), &1.into())
    );
    assert_eq!(p["exception_rate"], 0.0159);
    assert!(
        row["message"].as_str().unwrap().contains("CHG-4390"),
        "{}",
        row["message"]
    );
    // The quarterly access reviews: two windows per system, Salesforce's second quarter open.
    let reviews = "access.reviews-periodic";
    assert_eq!(
        counted(&r, reviews, "identity/salesforce.json"),
        Some((2, 1))
    );
    assert_eq!(counted(&r, reviews, "identity/okta.json"), Some((2, 0)));
    assert_eq!(
        counted(&r, "access.privileged-reviewed", "identity/aws.json"),
        Some((2, 0))
    );
    // The leavers of the half-year in Okta, one switched off four days late.
    assert_eq!(
        counted(&r, "people.leavers-access-removed", "identity/okta.json"),
        Some((13, 1))
    );
    // A document check counts nothing.
    assert!(rows_of(&r, "isms.scope-documented")[0]
        .get("population")
        .is_none());

    let (_, _, s) = eval_period("startup");
    assert_eq!(counted(&s, reviews, "identity/aws.json"), Some((2, 2)));
    assert_eq!(
        counted(&s, "people.leavers-access-removed", "identity/github.json"),
        Some((2, 1))
    );
}

#[test]
fn an_exception_outside_the_period_is_not_counted() {
    // The start-up's unapproved AWS administrator grant (IT-126) was made in September 2025:
    // inside the last 12 months, before the period.
    let rule = "access.grants-approved";
    let (_, point) = common::eval_json("fixtures/startup", &[]);
    let (_, _, period) = eval_period("startup");
    let row = |r: &Value| {
        rows_of(r, rule)
            .into_iter()
            .find(|x| x["file"] == "identity/aws.json")
            .unwrap()
            .clone()
    };
    let (before, during) = (row(&point), row(&period));
    assert_eq!(before["outcome"], "fail");
    assert!(before["message"].as_str().unwrap().contains("IT-126"));
    assert_eq!(during["outcome"], "pass", "{}", during["message"]);
    assert_eq!(during["population"]["exceptions"], 0);
    assert!(!during["message"].as_str().unwrap().contains("IT-126"));
    assert!(
        before["population"]["total"].as_u64() > during["population"]["total"].as_u64(),
        "the period holds fewer grants than the last 12 months"
    );
    // And an unapproved change before the period would not count either: the scale-up's
    // changes are all of 2026, so a period from April leaves CHG-4390 (February) out.
    let (_, _, april) = json_of(&[
        "eval",
        "--facts",
        "fixtures/scaleup",
        "--period",
        "2026-04-01..2026-06-30",
        "--format",
        "json",
    ]);
    let changes = rows_of(&april, "ops.change-approval")[0];
    assert_eq!(changes["outcome"], "pass", "{}", changes["message"]);
    assert_eq!(changes["population"]["exceptions"], 0);
}

#[test]
fn readiness_grades_findings_by_extent_with_the_reason() {
    let (_, _, scaleup) = json_of(&[
        "readiness",
        "--facts",
        "fixtures/scaleup",
        "--period",
        PERIOD,
        "--format",
        "json",
    ]);
    // One leaver's account switched off late, of 30 accounts of leavers in the period: an
    // isolated lapse, a minor nonconformity although the rule is major.
    let f = finding(&scaleup, "people.leavers-access-removed");
    assert_eq!(f["severity"], "major");
    assert_eq!(f["grade"], "minor nonconformity");
    assert_eq!(f["grading"]["extent"], "isolated");
    let reason = f["grading"]["reason"].as_str().unwrap();
    assert!(
        reason.contains("1 of 30 occurrences was an exception (3%): an isolated lapse"),
        "{reason}"
    );
    // The unapproved change is isolated too, and its rule is minor anyway.
    let f = finding(&scaleup, "ops.change-approval");
    assert_eq!(f["grade"], "minor nonconformity");
    assert_eq!(f["grading"]["population"]["total"], 63);
    let (_, _, startup) = json_of(&[
        "readiness",
        "--facts",
        "fixtures/startup",
        "--period",
        PERIOD,
        "--format",
        "json",
    ]);
    // No review of all AWS users in either quarter, out of 6 windows over 3 systems: systemic.
    let f = finding(&startup, "access.reviews-periodic");
    assert_eq!(f["grade"], "major nonconformity");
    assert_eq!(f["grading"]["extent"], "systemic");
    assert_eq!(f["grading"]["population"]["total"], 6);
    assert_eq!(f["grading"]["population"]["exceptions"], 2);
    // A design check that counts nothing keeps its severity.
    let f = finding(&startup, "risk.method-defined");
    assert_eq!(f["grading"]["extent"], "not-counted");
    assert_eq!(f["grade"], "major nonconformity");
}

#[test]
fn the_same_period_run_twice_is_identical() {
    for org in ["startup", "scaleup"] {
        let (_, first, _) = eval_period(org);
        let (_, second, _) = eval_period(org);
        assert_eq!(first, second, "{org}");
    }
}

#[test]
fn readiness_findings_table_with_a_period() {
    for org in ["startup", "scaleup"] {
        let facts = format!("fixtures/{org}");
        let run = xwalk(&["readiness", "--facts", &facts, "--period", PERIOD]);
        assert_ne!(run.code, 2, "{}", run.stderr);
        let findings: String = run
            .stdout
            .split("\n\n")
            .filter(|block| block.starts_with("Findings:"))
            .collect();
        assert!(findings.contains("extent"), "{}", run.stdout);
        insta::assert_snapshot!(format!("readiness_{org}_period_findings"), findings);
    }
}

/// The period comes from `xwalk.toml` as well as from the flag; a reversed period, or an
/// `--as-of` before its end (the period's last days would read as future-dated evidence), is
/// refused with exit 2, never evaluated.
#[test]
fn a_period_from_the_config_and_the_ones_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("xwalk.toml");
    let facts = common::root().join("fixtures/scaleup");
    std::fs::write(
        &config,
        format!(
            "facts = {:?}\nperiod = \"2026-01-01..2026-06-30\"\n",
            facts.display().to_string()
        ),
    )
    .unwrap();
    let config = config.display().to_string();
    let run = xwalk(&["eval", "--config", &config, "--format", "json", "-q"]);
    assert!(run.code < 2, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["as_of"], "2026-06-30",
        "as_of defaults to the period's end"
    );
    assert_eq!(report["period"]["from"], "2026-01-01");
    let early = xwalk(&["eval", "--config", &config, "--as-of", "2026-05-31", "-q"]);
    assert_eq!(early.code, 2);
    assert!(
        early.stderr.contains("before the end of --period"),
        "{}",
        early.stderr
    );
    let reversed = xwalk(&["eval", "--period", "2026-06-30..2026-01-01", "-q"]);
    assert_eq!(reversed.code, 2);
    assert!(
        reversed.stderr.contains("ends before it starts"),
        "{}",
        reversed.stderr
    );
}
