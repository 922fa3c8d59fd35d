//! The JSON outputs against their published schemas (`docs/schemas/*.schema.json`): every
//! command's `--format json` on both fixtures, on facts with an unusable file, with a scope
//! and with a waiver; each schema rejects what it promises to reject; each is valid draft
//! 2020-12 and names the tag the code writes.

mod common;

use common::{root, xwalk};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// One JSON output: its schema file's stem, the subcommand arguments and the Rust tag.
struct Output {
    name: &'static str,
    args: &'static [&'static str],
    tag: &'static str,
}

const OUTPUTS: [Output; 8] = [
    Output {
        name: "eval",
        args: &["eval"],
        tag: xwalk::views::results::SCHEMA,
    },
    Output {
        name: "soa",
        args: &["soa"],
        tag: xwalk::views::soa::SCHEMA,
    },
    Output {
        name: "plan",
        args: &["plan"],
        tag: xwalk::views::plan::SCHEMA,
    },
    Output {
        name: "procedures",
        args: &["plan", "--procedures"],
        tag: xwalk::views::evidence::SCHEMA,
    },
    Output {
        name: "readiness",
        args: &["readiness"],
        tag: xwalk::views::readiness::SCHEMA,
    },
    Output {
        name: "programme",
        args: &["programme"],
        tag: xwalk::views::programme::SCHEMA,
    },
    Output {
        name: "nonconformities",
        args: &["register", "nonconformities"],
        tag: xwalk::views::registers::NC_SCHEMA,
    },
    Output {
        name: "requests",
        args: &["register", "requests"],
        tag: xwalk::views::registers::REQUESTS_SCHEMA,
    },
];

/// `xwalk transition remap`: run on its own fixture, without `--as-of`.
const REMAP: &str = "transition-remap";

/// `xwalk transition SOA.csv`: the draft 2022 SoA.
const TRANSITION: &str = "transition";

/// `xwalk eval --shard K/N`: a shard's partial result.
const PARTIAL: &str = "partial";

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

fn output(name: &str) -> &'static Output {
    OUTPUTS
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no output named {name}"))
}

fn schema_path(name: &str) -> PathBuf {
    root()
        .join("docs/schemas")
        .join(format!("{name}.schema.json"))
}

fn schema(name: &str) -> Value {
    let path = schema_path(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&schema(name))
        .unwrap_or_else(|e| panic!("{name}.schema.json does not compile: {e}"))
}

/// Every error of `instance` against the schema, each as `instance path: message`.
fn errors(name: &str, instance: &Value) -> Vec<String> {
    validator(name)
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect()
}

fn assert_valid(name: &str, what: &str, instance: &Value) {
    let found = errors(name, instance);
    assert!(
        found.is_empty(),
        "{what} does not match docs/schemas/{name}.schema.json ({} errors):\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

/// `xwalk ARGS --format json --facts FACTS --as-of 2026-06-30 EXTRA...`, parsed; exit codes
/// 0 to 2 are reports (findings and unusable input still write one).
fn run_json(out: &Output, facts: &str, extra: &[&str]) -> Value {
    let mut args: Vec<&str> = out.args.to_vec();
    args.extend([
        "--format",
        "json",
        "--facts",
        facts,
        "--as-of",
        "2026-06-30",
    ]);
    args.extend(extra);
    let run = xwalk(&args);
    assert!(
        (0..=2).contains(&run.code),
        "{args:?} exited {}: {}",
        run.code,
        run.stderr
    );
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?} wrote no JSON ({e}): {}", run.stderr))
}

/// Run the output, check its tag is the Rust constant and the whole of it matches its schema.
fn check(out: &Output, facts: &str, extra: &[&str]) -> Value {
    let report = run_json(out, facts, extra);
    assert_eq!(
        report["schema"], out.tag,
        "{} on {facts} {extra:?} carries its tag",
        out.name
    );
    assert_valid(
        out.name,
        &format!("{} on {facts} {extra:?}", out.name),
        &report,
    );
    report
}

#[test]
fn every_json_output_matches_its_schema_on_both_fixtures() {
    for org in ["fixtures/startup", "fixtures/scaleup"] {
        for out in &OUTPUTS {
            check(out, org, &[]);
        }
    }
}

#[test]
fn outputs_naming_an_unusable_file_match_their_schemas() {
    let (_dir, facts) = common::startup_with_a_truncated_file();
    let facts = facts.display().to_string();
    for out in &OUTPUTS {
        let report = check(out, &facts, &[]);
        let problems = if out.name == "eval" {
            &report["diagnostics"]
        } else {
            &report["input_problems"]
        };
        let named = problems
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "XW0301");
        assert!(named, "{} names the truncated file: {problems}", out.name);
    }
}

/// The optional parts: `scope` (present only with `--scope`), a waived row with its waiver,
/// and readiness's accepted exceptions (present only when a waiver applies).
#[test]
fn scoped_and_waived_outputs_match_their_schemas() {
    for name in ["eval", "soa", "plan"] {
        let report = check(output(name), "fixtures/startup", &["--scope", "CC"]);
        let scope = if name == "eval" {
            &report["coverage"]["scope"]
        } else {
            &report["scope"]
        };
        assert_eq!(scope, &json!(["CC"]), "{name} shows its scope");
    }
    let dir = tempfile::tempdir().unwrap();
    let waivers = dir.path().join("waivers.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nrule = \"ops.network-exposure-limited\"\njustification = \"SSH stays open for the supplier until the VPN migration\"\napproved_by = \"Daniel Reyes (CTO)\"\napproved_on = 2026-05-01\nexpires_on = 2026-12-31\nrisk = \"RISK-014\"\n",
    )
    .unwrap();
    let waivers = waivers.display().to_string();
    let extra = ["--waivers", waivers.as_str()];
    let eval = check(output("eval"), "fixtures/startup", &extra);
    let waived = eval["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["outcome"] == "waived" && r["waiver"].is_object());
    assert!(waived, "the waiver applies to a result row");
    let readiness = check(output("readiness"), "fixtures/startup", &extra);
    assert!(
        !readiness["accepted_exceptions"]
            .as_array()
            .unwrap()
            .is_empty(),
        "readiness lists the accepted exception"
    );
}

/// Split `/a/b/c` into its parent pointer `/a/b` and the last key `c`.
fn parent_and_key(pointer: &str) -> (&str, &str) {
    pointer.rsplit_once('/').expect("a JSON pointer")
}

/// What a schema must refuse: the pointer into a valid output and what to do there.
enum Change {
    /// Replace the value at a pointer that exists.
    Set(&'static str, Value),
    /// Remove the key a pointer ends in.
    Remove(&'static str),
    /// Add a key to the object at a pointer.
    Insert(&'static str, &'static str, Value),
}

fn changed(report: &Value, change: &Change) -> Value {
    let mut bad = report.clone();
    match change {
        Change::Set(at, value) => {
            *bad.pointer_mut(at)
                .unwrap_or_else(|| panic!("{at} is in the output")) = value.clone();
        }
        Change::Remove(at) => {
            let (parent, key) = parent_and_key(at);
            let removed = bad
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .and_then(|o| o.remove(key));
            assert!(removed.is_some(), "{at} is in the output");
        }
        Change::Insert(at, key, value) => {
            bad.pointer_mut(at)
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("{at:?} is an object in the output"))
                .insert(key.to_string(), value.clone());
        }
    }
    bad
}

#[test]
fn each_schema_rejects_a_wrong_value_a_missing_field_and_an_unknown_key() {
    use Change::{Insert, Remove, Set};
    let cases: [(&str, Vec<Change>); 8] = [
        (
            "eval",
            vec![
                Set("/schema", json!("xwalk.eval.v1")),
                Set("/results/0/outcome", json!("passed")),
                Set("/as_of", json!("30/06/2026")),
                Insert("/summary/failures_by_severity", "critical", json!(1)),
                Set(
                    "/coverage/frameworks/0/requirements/0/because/0/via",
                    json!("magic"),
                ),
                Remove("/summary/results"),
                Remove("/summary/outcomes/waived"),
                Insert("", "unexpected", json!(1)),
                Insert(
                    "/coverage/frameworks/0/requirements/0",
                    "unexpected",
                    json!(1),
                ),
            ],
        ),
        (
            "soa",
            vec![
                Set("/schema", json!("xwalk.soa.v2")),
                Set("/entries/0/implementation", json!("done")),
                Set("/entries/0/serves/0/support", json!("some")),
                Set("/defects/0/code", json!("XW0301")),
                Remove("/entries/0/coverage"),
                Remove("/header/version"),
                Insert("/summary", "unexpected", json!(1)),
                Insert("/entries/0", "unexpected", json!(1)),
            ],
        ),
        (
            "plan",
            vec![
                Set("/schema", json!("xwalk.soa.v1")),
                // The text report's spelling, not the JSON's.
                Set("/requests/0/state", json!("not yet collected")),
                Set("/requests/0/source/type", json!("manual")),
                Remove("/effort/saved"),
                Remove("/requests/0/procedures"),
                Insert("/frameworks/0", "unexpected", json!(1)),
                Insert("/requests/0/source", "unexpected", json!(1)),
            ],
        ),
        (
            "procedures",
            vec![
                Set("/schema", json!("xwalk.plan.v1")),
                Set("/procedures/0/status", json!("passed")),
                Set("/procedures/0/how", json!("by hand")),
                Remove("/procedures/0/owner"),
                Remove("/input_problems"),
                Insert("/procedures/0", "unexpected", json!(1)),
            ],
        ),
        (
            "readiness",
            vec![
                Set("/schema", json!("xwalk.readiness.v2")),
                Set("/findings/0/grade", json!("major")),
                Set("/stage1/verdict", json!("almost")),
                Set("/estimate/maturity", json!("expert")),
                Remove("/stage2/ready"),
                Remove("/estimate/label"),
                Insert("/estimate", "unexpected", json!(1)),
                Insert("/grades", "unexpected", json!(1)),
                Set("/estimate/drivers/0/driver", json!("luck")),
                Remove("/estimate/drivers/0/from"),
            ],
        ),
        (
            "programme",
            vec![
                Set("/schema", json!("xwalk.programme.v2")),
                Set("/audits/0/id", json!("stage3")),
                Set("/audits/1/controls/0/why/0/reason", json!("whim")),
                Set("/applicable_controls/0", json!("A.9.1")),
                Set("/auditor_days/label", json!("quote")),
                Remove("/audits/2/controls"),
                Remove("/soc2_periods/0/basis"),
                Insert("/audits/0", "unexpected", json!(1)),
                Insert("/auditor_days", "unexpected", json!(1)),
            ],
        ),
        (
            "nonconformities",
            vec![
                Set("/schema", json!("xwalk.nonconformities.v2")),
                Set("/items/0/grading/extent", json!("widespread")),
                Set("/items/0/id", json!("A-1")),
                Set("/items/0/status", json!("closed")),
                Set("/items/0/due", json!("soon")),
                Remove("/items/0/grading/reason"),
                Remove("/counts/major"),
                Insert("/items/0", "unexpected", json!(1)),
            ],
        ),
        (
            "requests",
            vec![
                Set("/schema", json!("xwalk.requests.v2")),
                Set("/requests/0/how", json!("magic")),
                Set("/requests/0/due", json!("2026-13-45x")),
                Remove("/requests/0/covers"),
                Remove("/seed"),
                Insert("/requests/0", "unexpected", json!(1)),
            ],
        ),
    ];
    for (name, changes) in &cases {
        let report = check(output(name), "fixtures/startup", &[]);
        for change in changes {
            let bad = changed(&report, change);
            let what = match change {
                Set(at, v) => format!("{at} = {v}"),
                Remove(at) => format!("{at} removed"),
                Insert(at, key, v) => format!("{key} = {v} added to {at:?}"),
            };
            assert!(
                !errors(name, &bad).is_empty(),
                "{name}.schema.json accepts {what}"
            );
        }
    }
}

/// The provenance block is required and closed: digests are 64 hex digits, nothing else.
#[test]
fn the_eval_schema_pins_the_provenance_block() {
    let report = check(output("eval"), "fixtures/startup", &[]);
    assert_valid("eval", "eval", &report);
    let mut bad = report.clone();
    bad["provenance"]["facts"]["digest"] = json!("not-a-digest");
    assert!(
        !errors("eval", &bad).is_empty(),
        "a digest that is not SHA-256 hex"
    );
    let mut bad = report.clone();
    bad["provenance"]["rules"]["extra"] = json!(1);
    assert!(
        !errors("eval", &bad).is_empty(),
        "an unknown key in provenance.rules"
    );
    let mut bad = report;
    bad.as_object_mut().unwrap().remove("provenance");
    assert!(!errors("eval", &bad).is_empty(), "eval without provenance");
}

#[test]
fn every_schema_is_valid_draft_2020_12_and_carries_the_tag_the_code_writes() {
    let dir = root().join("docs/schemas");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut tags: Vec<(&str, &str)> = OUTPUTS.iter().map(|o| (o.name, o.tag)).collect();
    tags.push(("diff", xwalk::views::diff::SCHEMA));
    tags.push((REMAP, xwalk::views::transition::remap::SCHEMA));
    tags.push((PARTIAL, xwalk::assessment::shard::SCHEMA));
    tags.push((TRANSITION, xwalk::views::transition::SCHEMA));
    let expected: BTreeSet<String> = tags
        .iter()
        .map(|(name, _)| format!("{name}.schema.json"))
        .collect();
    assert_eq!(files, expected, "docs/schemas holds one schema per output");
    for (name, tag) in tags {
        let out = Output {
            name,
            args: &[],
            tag,
        };
        let s = schema(out.name);
        if let Err(e) = jsonschema::draft202012::meta::validate(&s) {
            panic!(
                "{}.schema.json is not valid draft 2020-12: {}: {e}",
                out.name, e.instance_path
            );
        }
        assert_eq!(
            s["$schema"], DRAFT_2020_12,
            "{} declares its draft",
            out.name
        );
        assert_eq!(
            s["properties"]["schema"]["const"], out.tag,
            "{}.schema.json pins the tag of the Rust SCHEMA constant",
            out.name
        );
        let required = s["required"].as_array().unwrap();
        assert!(
            required.contains(&json!("schema")),
            "{} requires its tag",
            out.name
        );
        assert_eq!(
            s["additionalProperties"],
            json!(false),
            "{} has a closed top level",
            out.name
        );
    }
}
/// against itself, matches docs/schemas/diff.schema.json, which refuses what it promises to.
#[test]
fn the_diff_output_matches_its_schema() {
    let diff = |old: &str, new: &str| -> Value {
        let run = xwalk(&["diff", old, new, "--format", "json"]);
        assert!(run.code < 2, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let mut reports = Vec::new();
    for org in ["startup", "scaleup"] {
        let (old, new) = (
            format!("fixtures/runs/{org}-2026-06-30.json"),
            format!("fixtures/runs/{org}-2026-07-31.json"),
        );
        reports.push(diff(&old, &new));
        reports.push(diff(&new, &old));
        reports.push(diff(&old, &old));
    }
    for report in &reports {
        assert_eq!(report["schema"], xwalk::views::diff::SCHEMA);
        assert_valid("diff", "diff", report);
    }
    use Change::{Insert, Remove, Set};
    let changes = [
        Set("/schema", json!("xwalk.diff.v2")),
        Set("/findings/0/change", json!("fixed")),
        Set("/findings/0/severity", json!("critical")),
        Set("/coverage/0/satisfied/delta", json!(0.5)),
        Set("/old/as_of", json!("30/06/2026")),
        Remove("/summary/resolved"),
        Remove("/findings/0/message_changed"),
        Insert("/findings/0", "unexpected", json!(1)),
        Insert("/coverage/0", "unexpected", json!(1)),
        Insert("", "unexpected", json!(1)),
    ];
    for change in &changes {
        let bad = changed(&reports[0], change);
        assert!(
            !errors("diff", &bad).is_empty(),
            "diff.schema.json accepts a change"
        );
    }
}

#[test]
fn the_transition_remap_json_matches_its_schema() {
    for facts in ["fixtures/transition/facts", "fixtures/startup"] {
        let run = xwalk(&["transition", "remap", "--facts", facts, "--format", "json"]);
        assert!(run.code == 0 || run.code == 1, "{facts}: {}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["schema"], xwalk::views::transition::remap::SCHEMA);
        assert_valid(REMAP, facts, &report);
    }
    let run = xwalk(&[
        "transition",
        "remap",
        "--facts",
        "fixtures/transition/facts",
        "--format",
        "json",
    ]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(!report["decisions"].as_array().unwrap().is_empty());
    let mut bad = report.clone();
    bad["decisions"][0]["kind"] = json!("maybe");
    assert!(!errors(REMAP, &bad).is_empty(), "an unknown decision kind");
    let mut bad = report;
    bad["remapped"][0]["to"] = json!("A.9.2.1");
    assert!(!errors(REMAP, &bad).is_empty(), "a 2013 id as the new id");
}

#[test]
fn a_shards_partial_result_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    for (facts, shard) in [("fixtures/scaleup", "1/2"), ("fixtures/startup", "2/2")] {
        let run = xwalk(&[
            "eval",
            "--facts",
            facts,
            "--as-of",
            "2026-06-30",
            "--period",
            "2026-01-01..2026-06-30",
            "--shard",
            shard,
            "--out",
            out,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    for name in ["partial-1-of-2.json", "partial-2-of-2.json"] {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let partial: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(partial["schema"], xwalk::assessment::shard::SCHEMA);
        assert!(!partial["results"].as_array().unwrap().is_empty());
        assert_valid(PARTIAL, name, &partial);
        let mut bad = partial.clone();
        bad["results"][0]["outcome"] = json!("waived");
        assert!(
            !errors(PARTIAL, &bad).is_empty(),
            "a waiver applied in a shard"
        );
        let mut bad = partial;
        bad["results"][0]["evidence_count"] = json!(1);
        assert!(!errors(PARTIAL, &bad).is_empty(), "an unknown key in a row");
    }
}

#[test]
fn the_transition_json_matches_its_schema() {
    let run = xwalk(&[
        "transition",
        "fixtures/transition/soa-2013.csv",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["schema"], xwalk::views::transition::SCHEMA);
    assert_valid(TRANSITION, "transition", &report);
    let mut bad = report.clone();
    bad["draft"][0]["implementation"] = json!("done");
    assert!(
        !errors(TRANSITION, &bad).is_empty(),
        "an unknown implementation status"
    );
    let mut bad = report.clone();
    bad["draft"][0]["predecessors"][0]["control"] = json!("A.5.1");
    assert!(
        !errors(TRANSITION, &bad).is_empty(),
        "a 2022 id as a predecessor"
    );
    let mut bad = report;
    bad["summary"]["unexpected"] = json!(1);
    assert!(
        !errors(TRANSITION, &bad).is_empty(),
        "an unknown key in the summary"
    );
}
