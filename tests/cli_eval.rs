//! `xwalk eval` through the binary: formats, CSV safety, exit codes, bad input.

mod common;

use common::xwalk;

#[test]
fn csv_output_writes_three_files_and_neutralises_formulas() {
    let out = tempfile::tempdir().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let run = xwalk(&[
        "eval",
        "--facts",
        "tests/data/eval/facts",
        "--rules",
        "tests/data/eval/rules",
        "--as-of",
        "2026-06-30",
        "--format",
        "csv",
        "--out",
        out_dir,
        "--bom",
    ]);
    // A facts file does not parse: input error, but every other result is written.
    assert_eq!(run.code, 2, "{}", run.stderr);
    for name in ["results.csv", "coverage.csv", "evidence.csv"] {
        let bytes = std::fs::read(out.path().join(name)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name} has a BOM");
    }
    let results = std::fs::read_to_string(out.path().join("results.csv")).unwrap();
    assert!(results.contains("'=HYPERLINK"), "{results}");
    let mut reader = csv::Reader::from_reader(results.trim_start_matches('\u{feff}').as_bytes());
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "cell `{cell}` would run as a formula"
            );
        }
    }
}

#[test]
fn a_broken_facts_file_is_named_with_line_and_column_and_the_rest_is_evaluated() {
    let run = xwalk(&[
        "eval",
        "--facts",
        "tests/data/eval/facts",
        "--rules",
        "tests/data/eval/rules",
        "--as-of",
        "2026-06-30",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("broken.json:3:15: error[XW0301]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("test.laptops-encrypted"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("no-evidence")
            || run
                .stdout
                .contains("No evidence for: test.policies-present"),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_codes_follow_findings_and_gates() {
    let facts = tempfile::tempdir().unwrap();
    std::fs::copy(
        "tests/data/eval/facts/assets.json",
        facts.path().join("assets.json"),
    )
    .unwrap();
    let dir = facts.path().to_str().unwrap();
    let base = [
        "eval",
        "--facts",
        dir,
        "--rules",
        "tests/data/eval/rules",
        "--as-of",
        "2026-06-30",
    ];
    assert_eq!(xwalk(&base).code, 1, "a major failure exits 1");
    let mut minor_gate = base.to_vec();
    minor_gate.extend(["--fail-on", "major"]);
    assert_eq!(xwalk(&minor_gate).code, 1);
    let run = xwalk(&[&base[..], &["--fail-on", "bogus"]].concat());
    assert_eq!(run.code, 2, "a bad severity is a usage error");
}

#[test]
fn json_output_is_versioned_and_deterministic_across_thread_counts() {
    let args = |threads: &'static str| {
        vec![
            "eval",
            "--facts",
            "tests/data/eval/facts",
            "--rules",
            "tests/data/eval/rules",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
            "--threads",
            threads,
        ]
    };
    let one = xwalk(&args("1"));
    let two = xwalk(&args("2"));
    assert_eq!(one.stdout, two.stdout);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["schema"], "xwalk.eval.v1");
    assert_eq!(v["as_of"], "2026-06-30");
}
