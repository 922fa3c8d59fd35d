//! The crosswalk commands through the binary: counts, validation, map, overlap.

mod common;

use common::xwalk;

#[test]
fn frameworks_shows_the_catalog_counts() {
    let run = xwalk(&["frameworks", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let count = |fw: &str, kind: &str| {
        v["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == fw)
            .and_then(|f| {
                f["kinds"].as_array()?.iter().find(|k| k["kind"] == kind)?["count"].as_u64()
            })
            .unwrap_or_else(|| panic!("{fw} {kind} in {v}"))
    };
    assert_eq!(count("iso27001-2022", "control"), 93);
    assert_eq!(count("soc2-2017", "criterion"), 61);
    assert_eq!(count("nist-csf-2.0", "subcategory"), 106);
    assert_eq!(count("iso27001-2013", "control"), 114);
    let table = xwalk(&["frameworks"]);
    insta::assert_snapshot!("frameworks_table", table.stdout);
}

#[test]
fn the_builtin_crosswalk_checks_clean() {
    let run = xwalk(&["crosswalk", "check"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
}

#[test]
fn a_broken_crosswalk_directory_gets_one_diagnostic_per_fault() {
    let run = xwalk(&["crosswalk", "check", "tests/data/broken-crosswalk"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    insta::assert_snapshot!("broken_crosswalk_check", run.stdout);
}

#[test]
fn map_a_5_15_marks_full_and_partial_targets() {
    let run = xwalk(&["map", "iso27001-2022:A.5.15"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("map_a_5_15", run.stdout);
    let json = xwalk(&["map", "iso27001-2022:A.5.15", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v.to_string().contains("soc2-2017"), "{v}");
    let via = xwalk(&[
        "map",
        "iso27001-2022:A.5.15",
        "--to",
        "nist-csf-2.0",
        "--via",
        "soc2-2017",
    ]);
    assert_eq!(via.code, 0, "{}", via.stderr);
    insta::assert_snapshot!("map_a_5_15_via_soc2", via.stdout);
}

#[test]
fn overlap_of_iso_and_soc2_splits_full_and_partial() {
    let run = xwalk(&["overlap", "iso27001-2022", "soc2-2017"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("overlap_iso_soc2", run.stdout);
    let csv = xwalk(&["overlap", "iso27001-2022", "soc2-2017", "--format", "csv"]);
    assert_eq!(csv.code, 0, "{}", csv.stderr);
    assert!(csv.stdout.lines().count() >= 3, "{}", csv.stdout);
}

#[test]
fn show_names_parent_children_and_links() {
    let run = xwalk(&["show", "iso27001-2022:A.5.15"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_a_5_15", run.stdout);
    let unknown = xwalk(&["show", "iso27001-2022:A.5.155"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("A.5.15"), "{}", unknown.stderr);
}

#[test]
fn overlap_can_be_limited_to_soc2_categories_and_strong_links() {
    let json = |extra: &[&str]| {
        let mut args = vec!["overlap", "iso27001-2022", "soc2-2017", "--format", "json"];
        args.extend(extra);
        let run = xwalk(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    let counts = |j: &serde_json::Value, side: usize| {
        let c = &j["sides"][side]["counts"];
        (
            c["total"].as_u64().unwrap(),
            c["full"].as_u64().unwrap(),
            c["partial"].as_u64().unwrap(),
        )
    };
    let all = json(&[]);
    let security = json(&["--scope", "CC"]);
    // The SOC 2 side keeps only the common criteria; the ISO side keeps all 123.
    assert_eq!(counts(&all, 1).0, 61);
    assert_eq!(counts(&security, 1).0, 33);
    assert_eq!(counts(&security, 0).0, 123);
    // Fewer covering criteria can only lower what SOC 2 covers of ISO.
    assert!(counts(&security, 0).1 <= counts(&all, 0).1);
    assert!(security["sides"][1]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["id"].as_str().unwrap().starts_with("CC")));
    let strong = json(&["--min-strength", "4"]);
    assert!(
        counts(&strong, 0).2 < counts(&all, 0).2,
        "weak links dropped"
    );
    assert_eq!(strong["options"]["min_strength"], 4);
    let table = xwalk(&["overlap", "iso27001-2022", "soc2-2017", "--scope", "CC,A"]);
    assert!(table.stdout.contains("In scope: CC, A"), "{}", table.stdout);
    assert_eq!(
        xwalk(&["overlap", "iso27001-2022", "soc2-2017", "--scope", "ZZ"]).code,
        2
    );
    assert_eq!(
        xwalk(&[
            "overlap",
            "iso27001-2022",
            "soc2-2017",
            "--min-strength",
            "11"
        ])
        .code,
        2
    );
}

/// A published pairing xwalk rejects is on record (`disputed`, with our reason), shown by
/// `show` and `map`, and carries nothing: `map` does not follow it.
#[test]
fn disputed_references_are_shown_and_never_followed() {
    let run = xwalk(&["map", "iso27001-2022:A.8.17", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let m: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let disputed: Vec<&str> = m["disputed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        disputed,
        [
            "nist-csf-2.0:PR.DS-01",
            "nist-csf-2.0:PR.DS-02",
            "nist-csf-2.0:PR.DS-10",
            "nist-csf-2.0:PR.IR-03"
        ]
    );
    for s in m["disputed"].as_array().unwrap() {
        assert_eq!(s["relationship"], "disputed");
        assert_eq!(s["source"], "nist-olir");
        assert!(s["rationale"]
            .as_str()
            .unwrap()
            .starts_with("Disagree with the reference"));
    }
    let reached: Vec<String> = m["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                t["framework"].as_str().unwrap(),
                t["id"].as_str().unwrap()
            )
        })
        .collect();
    for d in &disputed {
        assert!(!reached.iter().any(|r| r == d), "{d} followed");
    }
    let table = xwalk(&["map", "iso27001-2022:A.8.17"]);
    assert!(
        table.stdout.contains("published pairings xwalk disputes"),
        "{}",
        table.stdout
    );
    let show = xwalk(&["show", "nist-csf-2.0:PR.DS-01"]);
    assert!(show.stdout.contains("(1 disputed:"), "{}", show.stdout);
    assert!(show.stdout.contains("disputed"), "{}", show.stdout);
    // Through --via, a disputed hop is not a path either.
    let via = xwalk(&[
        "map",
        "nist-csf-2.0:PR.DS-01",
        "--via",
        "iso27001-2022",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&via.stdout).unwrap();
    assert!(v["targets"].as_array().unwrap().iter().all(|t| t["path"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["relationship"] != "disputed")));
}

#[test]
fn facts_check_takes_format_like_every_command_and_still_takes_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("idp.json"),
        r#"{"kind": "accounts", "system": "okta", "items": [{"user": "ana"}]}"#,
    )
    .unwrap();
    let facts = dir.path().to_str().unwrap();
    let old = xwalk(&["facts", "check", facts, "--json"]);
    let new = xwalk(&["facts", "check", facts, "--format", "json"]);
    assert_eq!(old.code, 1);
    assert_eq!(old.stdout, new.stdout, "--json is --format json");
    let csv = xwalk(&["facts", "check", facts, "--format", "csv"]);
    assert!(
        csv.stdout.starts_with("severity,code,file,line,column"),
        "{}",
        csv.stdout
    );
    let text = xwalk(&["facts", "check", facts]);
    assert!(
        text.stdout.contains("1 document checked"),
        "{}",
        text.stdout
    );
    let sarif = xwalk(&["facts", "check", facts, "--format", "sarif"]);
    assert_eq!(sarif.code, 2);
    assert!(
        sarif.stderr.contains("cannot write sarif"),
        "{}",
        sarif.stderr
    );
    let cw = xwalk(&["crosswalk", "check", "--format", "json"]);
    assert_eq!(cw.code, 0, "{}", cw.stderr);
    assert!(cw.stdout.trim_start().starts_with('['), "{}", cw.stdout);
}
