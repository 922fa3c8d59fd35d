//! `xwalk transition` through the binary: the draft as `soa` facts, the clause-level
//! changes, the 2013 trace columns of the CSV, and `transition remap` over 2013-era facts.

mod common;

use common::{root, xwalk};
use serde_json::Value;
use std::path::Path;

const SOA_2013: &str = "fixtures/transition/soa-2013.csv";
const FACTS_2013: &str = "fixtures/transition/facts";
const NEW_IN_2022: [&str; 11] = [
    "A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16",
    "A.8.23", "A.8.28",
];

fn json(run: &common::Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}

fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

fn arg(path: &Path) -> String {
    path.display().to_string()
}

/// The start-up's facts with its SoA replaced by the drafted one.
fn startup_with_drafted_soa(dir: &Path, extra: &[&str]) -> (std::path::PathBuf, common::Run) {
    let facts = dir.join("facts");
    common::copy_dir(&root().join("fixtures/startup"), &facts);
    let soa = arg(&facts.join("isms/soa.json"));
    let mut args = vec!["transition", SOA_2013, "--format", "facts", "--out", &soa];
    args.extend(extra);
    let run = xwalk(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (facts, run)
}

#[test]
fn the_facts_draft_passes_the_vocabulary_and_xwalk_soa_reads_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (facts, run) = startup_with_drafted_soa(dir.path(), &[]);
    assert!(
        run.stderr
            .contains("82 of 93 controls written; 11 left out"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--reviewed-on DATE"), "{}", run.stderr);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(facts.join("isms/soa.json")).unwrap())
            .unwrap();
    assert_eq!(doc["kind"], "soa");
    assert_eq!(
        doc["reviewed_on"],
        Value::Null,
        "no review date is invented"
    );
    assert_eq!(doc["approved_by"], "", "no approver is invented");
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 82);
    assert!(items
        .iter()
        .all(|i| !NEW_IN_2022.contains(&i["control"].as_str().unwrap())));

    let check = xwalk(&["facts", "check", &arg(&facts)]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains(" 0 problems"), "{}", check.stdout);

    let soa = xwalk(&[
        "soa",
        "--facts",
        &arg(&facts),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(soa.code, 1, "defects flagged: {}", soa.stderr);
    let j = json(&soa);
    assert_eq!(j["input_problems"].as_array().unwrap().len(), 0);
    let flagged = |code: &str| -> Vec<String> {
        j["defects"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == code)
            .map(|d| d["control"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        flagged("SOA01"),
        NEW_IN_2022,
        "only the undecided are not in the SoA"
    );
    assert_eq!(flagged("SOA06"), [""], "the missing review date is flagged");
    assert!(flagged("SOA09").is_empty(), "no 2013 id is left");
    let excluded = j["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["control"] == "A.8.30")
        .unwrap();
    assert_eq!(excluded["applicable"], false);
}

#[test]
fn the_header_flags_fill_what_the_2013_csv_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let header = [
        "--reviewed-on",
        "2026-05-04",
        "--approved-by",
        "Managing Director",
        "--soa-version",
        "2.0",
    ];
    let (facts, run) = startup_with_drafted_soa(dir.path(), &header);
    assert!(!run.stderr.contains("--reviewed-on DATE"), "{}", run.stderr);
    let soa = xwalk(&[
        "soa",
        "--facts",
        &arg(&facts),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    let j = json(&soa);
    assert_eq!(j["header"]["reviewed_on"], "2026-05-04");
    assert_eq!(j["header"]["approved_by"], "Managing Director");
    assert!(!j["defects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "SOA06"));

    let bad = xwalk(&[
        "transition",
        SOA_2013,
        "--format",
        "facts",
        "--reviewed-on",
        "May 2026",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("May 2026"), "{}", bad.stderr);
    let misplaced = xwalk(&["transition", SOA_2013, "--approved-by", "X"]);
    assert_eq!(misplaced.code, 2);
    assert!(
        misplaced.stderr.contains("--format facts"),
        "{}",
        misplaced.stderr
    );
}

#[test]
fn a_2013_row_without_implementation_is_left_out_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.csv");
    std::fs::write(
        &path,
        "control,applicable,justification,implementation,evidence\n\
         A.5.1.1,yes,Needed,,\n\
         A.12.3.1,yes,Needed,implemented,Backup report\n",
    )
    .unwrap();
    let run = xwalk(&["transition", &arg(&path), "--format", "facts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = json(&run);
    let controls: Vec<&str> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["control"].as_str().unwrap())
        .collect();
    assert_eq!(controls, ["A.8.13"], "A.5.1 has no implementation to carry");
    assert!(
        run.stderr.contains("1 of 93 controls written"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_csv_keeps_the_2013_source_and_the_change() {
    let run = xwalk(&["transition", SOA_2013, "--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (headers, rows) = csv_rows(&run.stdout);
    assert_eq!(
        headers,
        [
            "control",
            "applicable",
            "justification",
            "implementation",
            "evidence",
            "from_2013",
            "change"
        ]
    );
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
    assert_eq!(row("A.5.1")[5..], ["A.5.1.1;A.5.1.2", "merged"]);
    assert_eq!(row("A.5.2")[5..], ["A.6.1.1", "renumbered"]);
    assert_eq!(row("A.5.7")[5..], ["", "new in 2022: decide"]);
    assert!(
        row("A.8.8")[6].contains("split from A.18.2.3"),
        "{:?}",
        row("A.8.8")
    );
    insta::assert_snapshot!(
        "transition_csv_head",
        rows[..6]
            .iter()
            .map(|r| r.join(" | "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_clause_level_changes_are_listed_with_the_rules_that_test_them() {
    let j = json(&xwalk(&["transition", SOA_2013, "--format", "json"]));
    let changes = j["clause_changes"].as_array().unwrap();
    let clauses: Vec<&str> = changes
        .iter()
        .map(|c| c["clause"].as_str().unwrap())
        .collect();
    assert_eq!(
        clauses,
        ["4.2", "4.4", "6.2", "6.3", "7.4", "8.1", "9.1", "9.2", "9.3", "10.1", "10.2"]
    );
    let change = |id: &str| changes.iter().find(|c| c["clause"] == id).unwrap();
    assert_eq!(change("6.3")["change"], "new");
    assert_eq!(change("6.3")["clause_2013"], "");
    assert_eq!(change("10.1")["clause_2013"], "10.2");
    let rules = |id: &str| -> Vec<String> {
        change(id)["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules("9.3"), ["review.held", "review.inputs-outputs"]);
    assert_eq!(rules("6.3"), ["isms.changes-planned"]);
    assert!(rules("7.4").is_empty(), "no rule tests communication");

    let table = xwalk(&["transition", SOA_2013, "--clauses", "--full"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    insta::assert_snapshot!("transition_clauses_table", table.stdout);
    let csv = xwalk(&["transition", SOA_2013, "--clauses", "--format", "csv"]);
    let (headers, rows) = csv_rows(&csv.stdout);
    assert_eq!(headers[0], "clause");
    assert_eq!(
        rows[0][0], "iso27001-2022:4.2",
        "a spreadsheet keeps it as text"
    );
    assert_eq!(rows.len(), 11);
}

fn remap(facts: &str, extra: &[&str]) -> common::Run {
    let mut args = vec!["transition", "remap", "--facts", facts];
    args.extend(extra);
    xwalk(&args)
}

#[test]
fn remap_rewrites_2013_ids_in_place_and_lists_what_needs_a_decision() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("facts-2022");
    let run = remap(FACTS_2013, &["--out", &arg(&out), "--format", "json"]);
    assert_eq!(run.code, 1, "decisions remain: {}", run.stderr);
    let j = json(&run);
    assert_eq!(j["schema"], "xwalk.transition-remap.v1");
    assert_eq!(j["summary"]["documents"], 3);
    assert_eq!(j["summary"]["remapped"], 27);
    let decisions: Vec<(String, String, String)> = j["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                format!(
                    "{}#{}",
                    d["file"].as_str().unwrap(),
                    d["pointer"].as_str().unwrap()
                ),
                d["id"].as_str().unwrap().to_string(),
                d["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "isms/internal-audit.json#/items/0/scope/4",
            "10.1",
            "clause-swapped",
        ),
        (
            "isms/risk-register.json#/items/2/controls/1",
            "A.18.2.3",
            "split",
        ),
        (
            "isms/risk-register.json#/items/5/controls/1",
            "A.12.4",
            "not-a-control",
        ),
        (
            "isms/risk-register.json#/items/5/controls/2",
            "A.12.4.5",
            "unknown",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(decisions, expected);
    let split = &j["decisions"][1];
    assert_eq!(split["candidates"], serde_json::json!(["A.5.36", "A.8.8"]));
    assert_eq!(split["line"], 43);

    // Only the rewritten ids differ; every other byte is as it was.
    for file in [
        "isms/risk-register.json",
        "isms/policies.json",
        "isms/internal-audit.json",
    ] {
        let before = std::fs::read_to_string(root().join(FACTS_2013).join(file)).unwrap();
        let after = std::fs::read_to_string(out.join(file)).unwrap();
        assert_eq!(before.lines().count(), after.lines().count(), "{file}");
        for (b, a) in before.lines().zip(after.lines()) {
            if b != a {
                assert!(
                    b.contains("\"controls\"") || b.contains("\"scope\""),
                    "{file}: {b} -> {a}"
                );
            }
        }
    }
    let register = std::fs::read_to_string(out.join("isms/risk-register.json")).unwrap();
    assert!(
        register.contains(r#""controls": ["A.6.3", "A.8.5", "A.5.17"]"#),
        "{register}"
    );
    assert!(
        register.contains(r#""controls": ["A.8.8", "A.18.2.3"]"#),
        "split kept as written"
    );
    let check = xwalk(&["facts", "check", &arg(&out)]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);

    // Merged 2013 controls that land on one 2022 control are both kept, and said so.
    let merged = j["remapped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["from"] == "A.5.1.2")
        .unwrap();
    assert_eq!(merged["to"], "A.5.1");
    assert_eq!(merged["same_as"], "/items/0/controls/0");

    let table = remap(FACTS_2013, &["--full"]);
    insta::assert_snapshot!("transition_remap_table", table.stdout);
}

#[test]
fn remapping_twice_changes_nothing_more() {
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once");
    let twice = dir.path().join("twice");
    remap(FACTS_2013, &["--out", &arg(&once)]);
    let run = remap(&arg(&once), &["--out", &arg(&twice), "--format", "json"]);
    let j = json(&run);
    assert_eq!(j["summary"]["remapped"], 0);
    assert_eq!(j["summary"]["files_changed"], 0);
    assert_eq!(j["summary"]["decisions"], 4, "the undecided stay listed");
    for file in [
        "isms/risk-register.json",
        "isms/policies.json",
        "isms/internal-audit.json",
    ] {
        assert_eq!(
            std::fs::read(once.join(file)).unwrap(),
            std::fs::read(twice.join(file)).unwrap(),
            "{file}"
        );
    }
    let startup = remap("fixtures/startup", &["--format", "json"]);
    assert_eq!(startup.code, 0, "{}", startup.stderr);
    assert_eq!(
        json(&startup)["summary"]["remapped"],
        0,
        "2022 facts are left alone"
    );
}

#[test]
fn a_2013_control_with_no_successor_is_kept_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let links = std::fs::read_to_string(root().join("crosswalks/iso27001-2013__iso27001-2022.csv"))
        .unwrap();
    let cut: String = links
        .lines()
        .filter(|l| !l.starts_with("A.7.2.2,"))
        .map(|l| format!("{l}\n"))
        .collect();
    let cw = dir.path().join("cw");
    std::fs::create_dir(&cw).unwrap();
    std::fs::write(cw.join("iso27001-2013__iso27001-2022.csv"), cut).unwrap();
    let run = xwalk(&[
        "--crosswalk",
        &arg(&cw),
        "transition",
        "remap",
        "--facts",
        FACTS_2013,
        "--format",
        "json",
    ]);
    let j = json(&run);
    let none = j["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "A.7.2.2")
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert_eq!(none["kind"], "no-successor");
    assert_eq!(none["pointer"], "/items/0/controls/0");
}

#[test]
fn an_unreadable_facts_file_stops_the_remap_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts");
    common::copy_dir(&root().join(FACTS_2013), &facts);
    std::fs::write(
        facts.join("isms/broken.json"),
        "{\n  \"kind\": \"policy\",\n  \"items\": [,]\n}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = remap(&arg(&facts), &["--out", &arg(&out)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("isms/broken.json:3"), "{}", run.stderr);
    assert!(
        run.stderr.contains("nothing was remapped"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "nothing is written");
}
