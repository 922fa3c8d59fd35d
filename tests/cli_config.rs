//! `xwalk.toml` through the binary: found in the working directory or given with
//! `--config`, flags win over it, paths are relative to it, every setting shows where it
//! came from, and a bad key or value is an error at its line.

mod common;

use common::{root, xwalk_in};
use serde_json::Value;

fn dir_with(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("xwalk.toml"), config).unwrap();
    dir
}

fn startup() -> String {
    root().join("fixtures/startup").display().to_string()
}

#[test]
fn the_file_fills_what_the_command_line_leaves_unset_and_flags_win() {
    let dir = dir_with(&format!(
        "facts = {:?}\nas_of = 2026-06-30\nscope = [\"CC\"]\n\n[params.\"access.reviews-periodic\"]\nreview_days = 31\n\n[gate]\nfail_on = \"major\"\n\n[output]\nformat = \"json\"\n",
        startup()
    ));
    let run = xwalk_in(dir.path(), &["eval"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("output.format = json");
    assert_eq!(report["as_of"], "2026-06-30");
    assert_eq!(report["coverage"]["scope"], serde_json::json!(["CC"]));
    assert_eq!(report["gate"]["fail_on"], "major");
    let periodic: Vec<&Value> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "access.reviews-periodic")
        .collect();
    assert!(
        periodic.iter().all(|r| r["outcome"] != "pass"),
        "review_days = 31 applies"
    );

    // Flags win: another date, another format, another parameter value.
    let flags = xwalk_in(
        dir.path(),
        &[
            "eval",
            "--as-of",
            "2026-07-31",
            "--format",
            "table",
            "--fail-on",
            "ofi",
        ],
    );
    assert!(
        flags.stdout.starts_with("xwalk eval as of 2026-07-31:"),
        "{}",
        flags.stdout
    );
    let explain = xwalk_in(dir.path(), &["explain", "access.reviews-periodic"]);
    assert!(
        explain
            .stdout
            .contains("parameter review_days = 31 (./xwalk.toml:6)"),
        "{}",
        explain.stdout
    );
    let over = xwalk_in(
        dir.path(),
        &[
            "explain",
            "access.reviews-periodic",
            "--param",
            "access.reviews-periodic.review_days=60",
        ],
    );
    assert!(
        over.stdout.contains("parameter review_days = 60 (--param)"),
        "{}",
        over.stdout
    );

    // Every setting, with the line it comes from or `default`.
    let show = xwalk_in(dir.path(), &["config", "show", "--format", "json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let rows: Vec<Value> = serde_json::from_str(&show.stdout).unwrap();
    let from = |key: &str| {
        rows.iter()
            .find(|r| r["setting"] == key)
            .map(|r| r["from"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(from("as_of"), "./xwalk.toml:2");
    assert_eq!(from("gate.fail_on"), "./xwalk.toml:9");
    assert_eq!(from("gate.min_coverage"), "default");
    assert_eq!(
        from("params.access.reviews-periodic.review_days"),
        "./xwalk.toml:6"
    );
}

#[test]
fn paths_are_relative_to_the_file_and_config_names_it_from_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("our-rules/t")).unwrap();
    std::fs::write(
        project.join("our-rules/t/one.rhai"),
        "//! id: t.one\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\nfn evaluate(doc) { pass(\"fine\") }\n",
    )
    .unwrap();
    std::fs::write(
        project.join("xwalk.toml"),
        format!("facts = {:?}\nrules = [\"our-rules\"]\nbuiltin_rules = false\nas_of = 2026-06-30\n[output]\nformat = \"json\"\n", startup()),
    )
    .unwrap();
    let run = xwalk_in(dir.path(), &["eval", "--config", "project/xwalk.toml"]);
    let report: Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    assert_eq!(
        report["summary"]["rules"], 1,
        "only our-rules, found next to the file"
    );
}

#[test]
fn an_unknown_key_or_a_bad_value_is_an_error_at_its_line() {
    for (text, at, says) in [
        (
            "facts = \"x\"\ncolour = \"red\"\n",
            "xwalk.toml:2:1",
            "unknown field `colour`",
        ),
        (
            "[gate]\nfail_on = \"critical\"\n",
            "xwalk.toml:2:11",
            "gate.fail_on",
        ),
        (
            "[gate]\nmin_coverage = 150\n",
            "xwalk.toml:2:16",
            "not a percentage",
        ),
        ("as_of = \"June\"\n", "xwalk.toml:1:9", "not a date"),
        (
            "[output]\nformat = \"pdf\"\n",
            "xwalk.toml:2:10",
            "not one of table, json, csv, xlsx",
        ),
    ] {
        let dir = dir_with(text);
        let run = xwalk_in(dir.path(), &["eval"]);
        assert_eq!(run.code, 2, "{text}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{at}: error[XW0601]")),
            "{text}: {}",
            run.stderr
        );
        assert!(run.stderr.contains(says), "{text}: {}", run.stderr);
    }
}

#[test]
fn the_example_configuration_of_the_readme_tour_works() {
    let run = common::xwalk(&["eval", "--config", "fixtures/startup.xwalk.toml"]);
    assert_eq!(
        run.code, 1,
        "the start-up has major findings: {}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("xwalk eval as of 2026-06-30: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("of severity major or worse (--fail-on major)"),
        "{}",
        run.stderr
    );
    let show = common::xwalk(&["config", "show", "--config", "fixtures/startup.xwalk.toml"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.contains("fixtures/startup.xwalk.toml:6"),
        "{}",
        show.stdout
    );
}
