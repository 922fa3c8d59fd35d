//! `xwalk programme` through the binary on both fixtures: the rotation covers every applicable
//! control, clauses 9 and 10 are in every audit, prior findings and changed areas come first,
//! auditor-days follow the headcount, and the JSON and CSV carry the same plan.

mod common;

use common::xwalk;
use serde_json::Value;
use std::collections::BTreeSet;

const AS_OF: [&str; 2] = ["--as-of", "2026-06-30"];

fn run_on(org: &str, args: &[&str]) -> common::Run {
    let facts = format!("fixtures/{org}");
    let mut all: Vec<&str> = vec!["programme"];
    all.extend(args);
    all.extend(["--facts", &facts]);
    all.extend(AS_OF);
    xwalk(&all)
}

fn json_on(org: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = run_on(org, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stderr))
}

fn audit<'a>(p: &'a Value, id: &str) -> &'a Value {
    p["audits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no audit {id}"))
}

fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn reasons(item: &Value) -> Vec<String> {
    item["why"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["reason"].as_str().unwrap().to_string())
        .collect()
}

fn with_reason(items: &Value, reason: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| reasons(i).iter().any(|r| r == reason))
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_applicable_control_is_in_the_cycle_and_the_surveillance_split_is_balanced() {
    for org in ["startup", "scaleup"] {
        let p = json_on(org, &[]);
        let applicable: BTreeSet<String> = p["applicable_controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        // The SoA view agrees on what is applicable.
        let soa: Value = serde_json::from_str(
            &xwalk(&[
                "soa",
                "--facts",
                &format!("fixtures/{org}"),
                AS_OF[0],
                AS_OF[1],
                "--format",
                "json",
            ])
            .stdout,
        )
        .unwrap();
        let from_soa: BTreeSet<String> = soa["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["applicable"] != false)
            .map(|e| e["control"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(applicable, from_soa, "{org}");
        assert!(applicable.len() >= 90, "{org}: {}", applicable.len());
        for full in ["stage2", "recertification"] {
            let got: BTreeSet<String> = ids(&audit(&p, full)["controls"]).into_iter().collect();
            assert_eq!(
                got, applicable,
                "{org} {full} audits every applicable control"
            );
        }
        let s1: BTreeSet<String> = with_reason(&audit(&p, "surveillance1")["controls"], "rotation")
            .into_iter()
            .collect();
        let s2: BTreeSet<String> = with_reason(&audit(&p, "surveillance2")["controls"], "rotation")
            .into_iter()
            .collect();
        assert!(
            s1.is_disjoint(&s2),
            "{org}: each control once in the rotation"
        );
        assert_eq!(
            s1.union(&s2).cloned().collect::<BTreeSet<_>>(),
            applicable,
            "{org}: surveillance 1 and 2 together audit every applicable control again"
        );
        assert!(
            s1.len().abs_diff(s2.len()) <= 1,
            "{org}: balanced {} / {}",
            s1.len(),
            s2.len()
        );
        for theme in ["A.5.", "A.6.", "A.7.", "A.8."] {
            for (n, share) in [(1, &s1), (2, &s2)] {
                assert!(
                    share.iter().any(|c| c.starts_with(theme)),
                    "{org}: surveillance {n} samples theme {theme}"
                );
            }
        }
        // Stage 1 reviews documents, not controls.
        assert!(audit(&p, "stage1")["controls"]
            .as_array()
            .unwrap()
            .is_empty());
    }
}

#[test]
fn clauses_9_and_10_and_the_change_sensitive_clauses_are_in_every_audit() {
    for org in ["startup", "scaleup"] {
        let p = json_on(org, &[]);
        let audits = p["audits"].as_array().unwrap();
        assert_eq!(audits.len(), 5);
        let years: Vec<u64> = audits.iter().map(|a| a["year"].as_u64().unwrap()).collect();
        assert_eq!(years, [1, 1, 2, 3, 4], "{org}");
        for a in audits {
            let clauses = ids(&a["clauses"]);
            for c in [
                "9.1", "9.2", "9.3", "10.1", "10.2", "4.3", "6.1", "6.3", "8.2", "8.3",
            ] {
                assert!(clauses.iter().any(|x| x == c), "{org} {}: {c}", a["id"]);
            }
        }
        // Full audits cover every clause 4-10; surveillance only the every-audit set.
        assert_eq!(ids(&audit(&p, "stage2")["clauses"]).len(), 23, "{org}");
        assert_eq!(
            ids(&audit(&p, "surveillance2")["clauses"]).len(),
            10,
            "{org}"
        );
    }
}

#[test]
fn prior_findings_come_first_with_their_grade_and_are_followed_up() {
    let p = json_on("scaleup", &[]);
    let stage2 = &audit(&p, "stage2")["controls"];
    let prior = with_reason(stage2, "prior-finding");
    // The scale-up's failing rules test these controls (its README's remaining findings).
    for c in ["A.5.18", "A.8.8", "A.7.2", "A.8.20", "A.5.6"] {
        assert!(prior.contains(&c.to_string()), "{c} in {prior:?}");
    }
    let order = ids(stage2);
    assert_eq!(
        order[..prior.len()].to_vec(),
        prior,
        "prior findings open the list"
    );
    let a88 = stage2
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A.8.8")
        .unwrap();
    assert_eq!(a88["why"][0]["reason"], "prior-finding");
    assert_eq!(
        a88["why"][0]["detail"],
        "ops.vulnerabilities-within-sla: minor nonconformity"
    );
    // The next audit follows each up, even where the rotation would not take it.
    let s1 = &audit(&p, "surveillance1")["controls"];
    let follow: BTreeSet<String> = with_reason(s1, "follow-up").into_iter().collect();
    assert_eq!(follow, prior.iter().cloned().collect::<BTreeSet<_>>());
    assert!(with_reason(&audit(&p, "surveillance2")["controls"], "follow-up").is_empty());
    // A clause a failing rule tests is marked too.
    assert!(
        with_reason(&audit(&p, "stage2")["clauses"], "prior-finding").contains(&"10.2".to_string())
    );
    let text = run_on("scaleup", &[]);
    assert!(
        text.stdout
            .contains("A.8.8 prior finding: ops.vulnerabilities-within-sla: minor nonconformity"),
        "{}",
        text.stdout
    );
}

#[test]
fn changes_since_the_last_internal_audit_come_next_and_name_their_controls() {
    let p = json_on("scaleup", &[]);
    assert_eq!(p["last_internal_audit"], "2026-05-12");
    let since: Vec<&str> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["since_last_audit"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(since, ["ISMS-CHG-018"]);
    let stage2 = &audit(&p, "stage2")["controls"];
    let changed = with_reason(stage2, "changed");
    let mut sorted = changed.clone();
    sorted.sort();
    assert_eq!(sorted, ["A.5.3", "A.8.32"]);
    // After the prior findings (A.8.32 is one too: a change there went unapproved), before
    // the rest.
    let order = ids(stage2);
    let prior_ids = with_reason(stage2, "prior-finding");
    let prior = prior_ids.len();
    let only_changed: Vec<String> = changed
        .iter()
        .filter(|c| !prior_ids.contains(c))
        .cloned()
        .collect();
    assert_eq!(only_changed, ["A.5.3"]);
    assert_eq!(order[prior..prior + 1].to_vec(), only_changed);
    // Clause 6.3 lists the change; a change before the last internal audit is not "changed".
    let c63 = audit(&p, "stage2")["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "6.3")
        .unwrap()
        .clone();
    assert_eq!(c63["why"][0]["reason"], "changed");
    assert!(c63["why"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("ISMS-CHG-018"));
    assert!(
        !changed.contains(&"A.5.15".to_string()),
        "ISMS-CHG-016 predates the audit"
    );
}

#[test]
fn auditor_days_follow_the_headcount_row_of_the_chart() {
    let p = json_on("scaleup", &[]);
    let d = &p["auditor_days"];
    assert_eq!(d["label"], "estimate");
    assert_eq!(d["headcount"], 374);
    assert_eq!(d["headcount_from"], "facts org/profile.json");
    assert_eq!(d["row"]["min_persons"], 276);
    assert_eq!(d["row"]["max_persons"], 425);
    assert_eq!(d["initial"], 15.0);
    assert_eq!(d["stage1"], 5.0);
    assert_eq!(d["stage2"], 10.0);
    assert_eq!(d["surveillance"], 5.0);
    assert_eq!(d["recertification"], 10.0);
    assert_eq!(audit(&p, "surveillance1")["auditor_days"], 5.0);
    let startup = json_on("startup", &[]);
    assert_eq!(startup["auditor_days"]["headcount"], 38);
    assert_eq!(startup["auditor_days"]["initial"], 8.5);
    assert_eq!(startup["auditor_days"]["stage1"], 3.0);
    assert_eq!(startup["auditor_days"]["stage2"], 5.5);
    let big = json_on("startup", &["--headcount", "1000"]);
    assert_eq!(big["auditor_days"]["headcount_from"], "--headcount");
    assert_eq!(big["auditor_days"]["row"]["min_persons"], 876);
    assert_eq!(big["auditor_days"]["initial"], 18.5);
    let text = run_on("scaleup", &[]);
    assert!(
        text.stdout
            .contains("headcount 374 (facts org/profile.json) -> row 276-425 persons: 15 days"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("ISO/IEC 27006-1"));
}

#[test]
fn dates_follow_the_start_and_the_soc2_periods_sit_beside_them() {
    let p = json_on("startup", &["--start", "2026-09-01"]);
    assert_eq!(p["start_basis"], "--start");
    let dates: Vec<&str> = p["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dates,
        [
            "2026-09-01",
            "2026-10-01",
            "2027-10-01",
            "2028-10-01",
            "2029-10-01"
        ]
    );
    let periods: Vec<(&str, &str)> = p["soc2_periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["from"].as_str().unwrap(), s["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        periods,
        [
            ("2026-10-01", "2027-09-30"),
            ("2027-10-01", "2028-09-30"),
            ("2028-10-01", "2029-09-30")
        ]
    );
    let with = json_on(
        "startup",
        &[
            "--start",
            "2026-09-01",
            "--period",
            "2026-01-01..2026-06-30",
        ],
    );
    assert_eq!(with["soc2_periods"][0]["from"], "2026-01-01");
    assert_eq!(with["soc2_periods"][0]["to"], "2026-06-30");
    assert_eq!(with["soc2_periods"][1]["from"], "2026-07-01");
    assert_eq!(with["soc2_periods"][2]["year"], 3);
    // Without --start: the start-up is not ready, so Stage 2 falls at the end of the
    // readiness timeline (the evaluation date plus its upper end).
    let readiness: Value = serde_json::from_str(
        &xwalk(&[
            "readiness",
            "--facts",
            "fixtures/startup",
            AS_OF[0],
            AS_OF[1],
            "--format",
            "json",
        ])
        .stdout,
    )
    .unwrap();
    let high = readiness["estimate"]["months_ahead"]["high"]
        .as_u64()
        .unwrap();
    let p = json_on("startup", &[]);
    assert!(p["start_basis"]
        .as_str()
        .unwrap()
        .contains("readiness timeline"));
    assert_eq!(high, 14);
    assert_eq!(audit(&p, "stage2")["date"], "2027-08-30");
    // The scale-up is ready: Stage 1 on the evaluation date, Stage 2 a month later.
    let p = json_on("scaleup", &[]);
    assert!(p["start_basis"]
        .as_str()
        .unwrap()
        .starts_with("the evaluation date: ready"));
    assert_eq!(audit(&p, "stage2")["date"], "2026-07-30");
}

#[test]
fn csv_has_one_row_per_audit_and_item() {
    let p = json_on("scaleup", &[]);
    let expected: usize = p["audits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["clauses"].as_array().unwrap().len() + a["controls"].as_array().unwrap().len())
        .sum();
    let run = run_on("scaleup", &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["audit", "year", "date", "type", "id", "title", "reasons", "detail"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), expected);
    let stage2_controls = rows
        .iter()
        .filter(|r| &r[0] == "stage2" && &r[3] == "control")
        .count();
    assert_eq!(
        stage2_controls,
        p["applicable_controls"].as_array().unwrap().len()
    );
    assert!(rows.iter().any(|r| &r[0] == "stage2"
        && &r[4] == "A.8.8"
        && r[6].starts_with("prior finding")
        && r[7].contains("minor nonconformity")));
}

#[test]
fn unusable_input_exits_2_and_tables_are_pinned() {
    let (_dir, facts) = common::startup_with_a_truncated_file();
    let run = xwalk(&[
        "programme",
        "--facts",
        &facts.display().to_string(),
        AS_OF[0],
        AS_OF[1],
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("half.json"), "{}", run.stderr);
    for org in ["startup", "scaleup"] {
        let run = run_on(org, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(format!("programme_{org}_table"), run.stdout);
    }
}
