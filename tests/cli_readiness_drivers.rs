//! The readiness estimate's inputs through the binary: an existing SOC 2 report (facts) and
//! the cost drivers (flags, `[readiness]` in xwalk.toml), each moving the estimate as
//! docs/audit-planning.md says, a flag winning over the file.

mod common;

use common::{copy_dir, root, xwalk, xwalk_in};
use serde_json::Value;

fn readiness(facts: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "readiness",
        "--facts",
        facts,
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ];
    args.extend(extra);
    let run = xwalk(&args);
    assert!(run.code <= 1, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stderr))
}

fn driver<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["estimate"]["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["driver"] == name)
        .unwrap_or_else(|| panic!("no driver {name}"))
}

fn range(v: &Value) -> (u64, u64) {
    (v["low"].as_u64().unwrap(), v["high"].as_u64().unwrap())
}

/// A copy of the scale-up with its SOC 2 report changed by `edit` (on the profile's text).
/// The scale-up with one major nonconformity (its BC/DR plan unapproved). With every finding
/// graded by its extent the real scale-up is ready for Stage 2, so only the audits are ahead
/// and a SOC 2 report has nothing left to shorten; the major puts operation back in front.
fn not_ready_scaleup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("fixtures/scaleup"), dir.path());
    let bcdr = dir.path().join("resilience/bcdr.json");
    let text = std::fs::read_to_string(&bcdr).unwrap();
    let unapproved = text.replace(
        "\"plan_approved_on\": \"2025-11-03\"",
        "\"plan_approved_on\": null",
    );
    assert_ne!(unapproved, text, "the BC/DR edit applies");
    std::fs::write(&bcdr, unapproved).unwrap();
    dir
}

/// [`not_ready_scaleup`] with its organisation profile edited.
fn scaleup_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = not_ready_scaleup();
    let profile = dir.path().join("org/profile.json");
    let text = std::fs::read_to_string(&profile).unwrap();
    let changed = edit(text.clone());
    assert_ne!(changed, text, "the edit applies");
    std::fs::write(&profile, changed).unwrap();
    dir
}

#[test]
fn the_scaleups_soc2_report_shortens_the_estimate_and_says_why() {
    let dir = not_ready_scaleup();
    let r = readiness(&dir.path().display().to_string(), &[]);
    let e = &r["estimate"];
    assert_eq!(range(&e["base_months_ahead"]), (4, 6));
    assert_eq!(range(&e["months_ahead"]), (2, 3));
    assert_eq!(
        e["ahead"],
        serde_json::json!(["Stage 1 and Stage 2 audits"])
    );
    assert_eq!(range(&e["base_cost_usd"]), (67_000, 93_000));
    assert_eq!(range(&e["cost_usd"]), (40_000, 67_000));
    assert_eq!(e["soc2_report"]["usable"], true);
    let soc2 = driver(&r, "existing SOC 2 report");
    assert_eq!(soc2["from"], "facts org/profile.json");
    assert!(soc2["value"]
        .as_str()
        .unwrap()
        .starts_with("Type II, 2025-01-01..2025-12-31, unqualified"));
    assert!(soc2["timeline"]
        .as_str()
        .unwrap()
        .starts_with("drops \"ISMS operation to generate evidence\""));
    assert!(e["headline"]
        .as_str()
        .unwrap()
        .starts_with("2-3 months to Stage 2 completion, external cost $40,000-$67,000 (from the measured state alone: 4-6 months"));
    // The start-up has no report: nothing moves.
    let s = readiness("fixtures/startup", &[]);
    assert_eq!(s["estimate"]["soc2_report"], Value::Null);
    assert_eq!(
        s["estimate"]["months_ahead"],
        s["estimate"]["base_months_ahead"]
    );
    let text = xwalk(&[
        "readiness",
        "--facts",
        "fixtures/scaleup",
        "--as-of",
        "2026-06-30",
    ]);
    assert!(
        text.stdout.contains("What moved the estimate"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_qualified_or_stale_soc2_report_does_not_shorten_it() {
    let qualified =
        scaleup_with(|t| t.replace("\"opinion\": \"unqualified\"", "\"opinion\": \"qualified\""));
    let stale = scaleup_with(|t| {
        t.replace(
            "\"period_start\": \"2025-01-01\"",
            "\"period_start\": \"2024-06-01\"",
        )
        .replace(
            "\"period_end\": \"2025-12-31\"",
            "\"period_end\": \"2025-05-31\"",
        )
    });
    let type1 = scaleup_with(|t| t.replace("\"type\": \"type2\"", "\"type\": \"type1\""));
    for (dir, why) in [
        (&qualified, "none: the opinion is qualified"),
        (&stale, "more than 12 months"),
    ] {
        let r = readiness(&dir.path().display().to_string(), &[]);
        let e = &r["estimate"];
        assert_eq!(range(&e["months_ahead"]), (4, 6), "{why}");
        assert_eq!(range(&e["cost_usd"]), (67_000, 93_000), "{why}");
        assert_eq!(e["soc2_report"]["usable"], false);
        let t = driver(&r, "existing SOC 2 report")["timeline"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(t.contains(why), "{t}");
    }
    // A Type I shows design, not operation: with Stage 1 ready, nothing it covers is ahead.
    let r = readiness(&type1.path().display().to_string(), &[]);
    assert_eq!(range(&r["estimate"]["months_ahead"]), (4, 6));
}

#[test]
fn each_driver_moves_the_estimate_as_documented() {
    let startup = "fixtures/startup";
    let base = readiness(startup, &[]);
    let base_cost = range(&base["estimate"]["cost_usd"]);
    let base_months = range(&base["estimate"]["months_ahead"]);
    let middle = (67_000, 93_000);
    // From scratch picks the upper third; the start-up's 38 employees, below the guide's
    // 100-500 band, take it down one.
    assert_eq!(base_cost, middle);
    assert!(driver(&base, "headcount")["cost"]
        .as_str()
        .unwrap()
        .starts_with("down one third"));
    assert_eq!(driver(&base, "headcount")["from"], "facts org/profile.json");
    // The other drivers from a headcount inside the band.
    let at = |extra: &[&str]| {
        let mut all = vec!["--headcount", "200"];
        all.extend(extra);
        range(&readiness(startup, &all)["estimate"]["cost_usd"])
    };
    assert_eq!(at(&["--certification-body", "budget"]), middle);
    assert_eq!(at(&["--dual-framework", "yes"]), middle);
    assert_eq!(at(&["--certification-body", "standard"]), (93_000, 120_000));
    let premium = readiness(
        startup,
        &["--headcount", "200", "--certification-body", "premium"],
    );
    assert_eq!(range(&premium["estimate"]["cost_usd"]), (93_000, 120_000));
    assert!(premium["estimate"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("past the upper end")));
    assert_eq!(
        at(&["--sites", "3", "--certification-body", "budget"]),
        (93_000, 120_000)
    );
    // The scale-up sits in the lower third: the other way.
    let scale =
        |extra: &[&str]| range(&readiness("fixtures/scaleup", extra)["estimate"]["cost_usd"]);
    assert_eq!(scale(&["--headcount", "800"]), middle);
    assert_eq!(scale(&["--sites", "2"]), middle);
    let dual = readiness("fixtures/scaleup", &["--dual-framework", "yes"]);
    assert!(driver(&dual, "dual-framework approach")["cost"]
        .as_str()
        .unwrap()
        .contains("already counted"));
    // A GRC platform takes a month off the upper end only.
    let grc = readiness(startup, &["--grc-platform", "yes"]);
    let m = range(&grc["estimate"]["months_ahead"]);
    assert_eq!(m, (base_months.0, base_months.1 - 1));
    assert_eq!(driver(&grc, "GRC platform")["from"], "--grc-platform");
    // A day rate prices the surveillance and recertification audits by auditor-days.
    let rated = readiness("fixtures/scaleup", &["--day-rate", "2000"]);
    assert_eq!(
        range(&rated["estimate"]["surveillance_usd_per_year"]),
        (10_000, 10_000)
    );
    assert_eq!(
        range(&rated["estimate"]["recertification_usd"]),
        (20_000, 20_000)
    );
    assert!(driver(&rated, "day rate")["cost"]
        .as_str()
        .unwrap()
        .contains("certification audit 15 days = $30,000"));
    let bad = xwalk(&["readiness", "--certification-body", "big4"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn a_flag_beats_the_readiness_table_of_xwalk_toml() {
    let dir = tempfile::tempdir().unwrap();
    let facts = root().join("fixtures/scaleup").display().to_string();
    std::fs::write(
        dir.path().join("xwalk.toml"),
        format!(
            "facts = {facts:?}\nas_of = 2026-06-30\n\n[readiness]\nheadcount = 50\nsites = 2\ngrc_platform = true\n"
        ),
    )
    .unwrap();
    let run = xwalk_in(dir.path(), &["readiness", "--format", "json"]);
    let r: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    assert_eq!(driver(&r, "headcount")["value"], "50");
    assert!(driver(&r, "headcount")["from"]
        .as_str()
        .unwrap()
        .ends_with("xwalk.toml:5"));
    assert_eq!(driver(&r, "sites")["value"], "2");
    let run = xwalk_in(
        dir.path(),
        &["readiness", "--format", "json", "--headcount", "800"],
    );
    let r: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(driver(&r, "headcount")["value"], "800");
    assert_eq!(driver(&r, "headcount")["from"], "--headcount");
    assert!(driver(&r, "sites")["from"]
        .as_str()
        .unwrap()
        .ends_with("xwalk.toml:6"));
    let shown = xwalk_in(dir.path(), &["config", "show", "--format", "csv"]);
    assert!(
        shown.stdout.contains("readiness.headcount,50,"),
        "{}",
        shown.stdout
    );
    std::fs::write(
        dir.path().join("xwalk.toml"),
        "[readiness]\ncertification_body = \"big4\"\n",
    )
    .unwrap();
    let bad = xwalk_in(dir.path(), &["readiness"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("xwalk.toml:2"), "{}", bad.stderr);
}
