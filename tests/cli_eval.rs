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
        "--no-builtin-rules",
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
    for name in [
        "results.csv",
        "coverage.csv",
        "evidence.csv",
        "diagnostics.csv",
    ] {
        let bytes = std::fs::read(out.path().join(name)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{name} has a BOM");
    }
    // The file that could not be read is in the spreadsheet too, not only on stderr.
    let problems = std::fs::read_to_string(out.path().join("diagnostics.csv")).unwrap();
    assert!(
        problems.contains("XW0301") && problems.contains("broken.json"),
        "{problems}"
    );
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
        "--no-builtin-rules",
        "--as-of",
        "2026-06-30",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stdout.contains("broken.json:3:16: error[XW0301]"),
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
        "--no-builtin-rules",
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
fn a_gate_that_fails_says_which_and_by_how_much() {
    let base = [
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
    ];
    let plain = xwalk(&[&base[..], &["--format", "json"]].concat());
    let plain: serde_json::Value = serde_json::from_str(&plain.stdout).unwrap();
    let iso = plain["coverage"]["frameworks"][0]["satisfied_percent"]
        .as_f64()
        .unwrap();
    assert!(iso < 60.0, "the demo is far from 60 %: {iso}");
    let run = xwalk(&[&base[..], &["--min-coverage", "60", "--fail-on", "major"]].concat());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("xwalk: gate not passed:"),
        "{}",
        run.stderr
    );
    let line = format!("iso27001-2022: {iso:.1} % satisfied < 60 % (--min-coverage)");
    assert!(run.stderr.contains(&line), "{line}: {}", run.stderr);
    assert!(
        regex::Regex::new(
            r"\n  \d+ failing results of severity major or worse \(--fail-on major\)\n"
        )
        .unwrap()
        .is_match(&run.stderr),
        "{}",
        run.stderr
    );

    let json = xwalk(&[&base[..], &["--min-coverage", "0.5", "--format", "json"]].concat());
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let gate = &report["gate"];
    assert_eq!(gate["verdict"], "findings");
    assert_eq!(gate["min_coverage"], 0.5);
    let reasons = gate["reasons"].as_array().unwrap();
    let below: Vec<&str> = reasons
        .iter()
        .filter(|r| r["gate"] == "coverage")
        .map(|r| r["framework"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = plain["coverage"]["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["satisfied_percent"].as_f64().unwrap() < 0.5)
        .map(|f| f["framework"].as_str().unwrap())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(below, expected, "exactly the frameworks below 0.5 %");
    assert!(reasons
        .iter()
        .any(|r| r["gate"] == "failures" && r["fail_on"] == "ofi"));

    for bad in ["150", "-1", "NaN", "sixty"] {
        let flag = format!("--min-coverage={bad}");
        let run = xwalk(&[&base[..], &[flag.as_str()]].concat());
        assert_eq!(run.code, 2, "--min-coverage {bad}: {}", run.stderr);
        assert!(run.stderr.contains("--min-coverage"), "{}", run.stderr);
    }

    // A gate that passes prints nothing on stderr and says so in the JSON.
    let work = tempfile::tempdir().unwrap();
    let (facts, rules) = (work.path().join("facts"), work.path().join("rules"));
    std::fs::create_dir_all(&facts).unwrap();
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::copy(
        "tests/data/eval/rules/laptops.rhai",
        rules.join("laptops.rhai"),
    )
    .unwrap();
    std::fs::write(
        facts.join("assets.json"),
        r#"{"kind": "asset_inventory", "items": [{"id": "A1", "name": "mbp-1", "type": "laptop", "owner": "ana", "classification": "internal", "baseline": "CIS macOS", "baseline_compliant": true, "encrypted_at_rest": true, "tls_min_version": null, "holds_sensitive_data": false, "masked_in_non_production": null}]}"#,
    )
    .unwrap();
    let green = xwalk(&[
        "eval",
        "--facts",
        facts.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--no-builtin-rules",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(green.code, 0, "{}", green.stderr);
    let report: serde_json::Value = serde_json::from_str(&green.stdout).unwrap();
    assert_eq!(report["gate"]["verdict"], "pass");
    assert_eq!(report["gate"]["reasons"], serde_json::json!([]));
    assert!(!green.stderr.contains("gate"), "{}", green.stderr);
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
            "--no-builtin-rules",
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
    assert_eq!(v["schema"], "xwalk.eval.v2");
    assert_eq!(v["as_of"], "2026-06-30");
}

/// `eval` on both fixture organisations, in every format, pinned by snapshots.
#[test]
fn fixture_reports_are_pinned_in_every_format() {
    for org in ["startup", "scaleup"] {
        let facts = format!("fixtures/{org}");
        let base = ["eval", "--facts", &facts, "--as-of", "2026-06-30"];
        let table = xwalk(&base);
        assert_eq!(table.code, 1, "{org}: findings exit 1\n{}", table.stderr);
        insta::assert_snapshot!(format!("eval_{org}_table"), table.stdout);
        let json = xwalk(&[&base[..], &["--format", "json"]].concat());
        let mut v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        // Digests move with every edit of a rule or the crosswalk: checked here, not pinned.
        for input in ["rules", "facts", "crosswalk"] {
            let digest = &mut v["provenance"][input]["digest"];
            let hex = digest.as_str().unwrap_or_default();
            assert!(
                hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
                "{org}: {input} digest {hex:?}"
            );
            *digest = serde_json::json!("[sha256]");
        }
        insta::assert_json_snapshot!(format!("eval_{org}_json"), v);
        let out = tempfile::tempdir().unwrap();
        let csv = xwalk(
            &[
                &base[..],
                &["--format", "csv", "--out", out.path().to_str().unwrap()],
            ]
            .concat(),
        );
        assert_eq!(csv.code, 1, "{}", csv.stderr);
        for name in ["results", "coverage", "evidence"] {
            let text = std::fs::read_to_string(out.path().join(format!("{name}.csv"))).unwrap();
            insta::assert_snapshot!(format!("eval_{org}_{name}_csv"), text);
        }
    }
}

/// The default job (the README's first command) reports all three frameworks and the reuse summary,
/// and does not drift with the calendar.
#[test]
fn the_default_eval_uses_the_demo_and_its_own_date() {
    let run = xwalk(&["eval"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for fw in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
        assert!(run.stdout.contains(fw), "{fw}\n{}", run.stdout);
    }
    let dated = xwalk(&[
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
    ]);
    assert_eq!(run.stdout, dated.stdout);
}

/// Results are identical with 1 and 2 threads on a generated corpus.
#[test]
fn a_generated_corpus_gives_identical_results_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let gen = xwalk(&[
        "gen-facts",
        "--docs",
        "3000",
        "--seed",
        "7",
        "--out",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(gen.code, 0, "{}", gen.stderr);
    let args = |threads: &'static str| {
        vec![
            "eval".to_string(),
            "--facts".into(),
            corpus.display().to_string(),
            "--as-of".into(),
            "2026-06-30".into(),
            "--format".into(),
            "json".into(),
            "--threads".into(),
            threads.into(),
        ]
    };
    let run = |t| {
        let a = args(t);
        xwalk(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let (one, two) = (run("1"), run("2"));
    assert!(one.stdout.len() > 10_000, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let again = xwalk(&[
        "gen-facts",
        "--docs",
        "10",
        "--out",
        corpus.to_str().unwrap(),
    ]);
    assert_eq!(again.code, 2, "refuses a non-empty directory");
}

/// A busy process per core for as long as it lives, to load the machine.
struct Load(Vec<std::process::Child>);

impl Load {
    fn start() -> Load {
        let spin = || {
            std::process::Command::new("sh")
                .args(["-c", "while :; do :; done"])
                .spawn()
                .expect("sh runs")
        };
        Load(vec![spin(), spin()])
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn results_near_the_budget_are_the_same_for_one_and_two_threads_under_load() {
    let args = |threads: &'static str| {
        vec![
            "eval",
            "--facts",
            "tests/data/budget/facts",
            "--rules",
            "tests/data/budget/rules",
            "--no-builtin-rules",
            "--as-of",
            "2026-06-30",
            "--max-operations",
            "500000",
            "--format",
            "json",
            "--threads",
            threads,
        ]
    };
    let quiet = xwalk(&args("1"));
    let _load = Load::start();
    let one = xwalk(&args("1"));
    let two = xwalk(&args("2"));
    assert_eq!(one.stdout, quiet.stdout, "load changed the results");
    assert_eq!(
        one.stdout, two.stdout,
        "the thread count changed the results"
    );
    // The budget really is close: some documents pass, some stop at the operation limit.
    let report: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    let outcomes: Vec<&str> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.contains(&"pass") && outcomes.contains(&"error"),
        "{outcomes:?}"
    );
    assert!(
        one.stdout.contains("operation limit of 500000 exceeded"),
        "{}",
        one.stdout
    );
}

#[test]
fn a_rule_that_allocates_gigabytes_gets_an_error_row_under_a_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("facts")).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    std::fs::write(
        dir.path().join("facts/a.json"),
        r#"{"kind": "things", "items": [{"id": "a"}]}"#,
    )
    .unwrap();
    let header = |id: &str| {
        format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.6\n//! facts: things\n\n")
    };
    // 60 copies of a 1.5-million-element array: about 1.4 GB if nothing stops it.
    let copies: String = (0..60)
        .map(|i| format!("    let c{i} = big; c{i}.push({i});\n"))
        .collect();
    std::fs::write(
        dir.path().join("rules/hog.rhai"),
        format!("{}fn evaluate(doc) {{\n    let big = [];\n    big.pad(1500000, 0);\n{copies}    pass(\"kept\")\n}}\n", header("test.hog")),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("rules/fine.rhai"),
        format!(
            "{}fn evaluate(doc) {{ pass(\"ok\", doc) }}\n",
            header("test.fine")
        ),
    )
    .unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1500000 && exec '{}' eval --facts facts --rules rules --as-of 2026-06-30 --format json",
            env!("CARGO_BIN_EXE_xwalk")
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rows: Vec<(String, String, String)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let s = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            (s("rule"), s("outcome"), s("message"))
        })
        .collect();
    assert!(
        rows.iter()
            .any(|(r, o, m)| r == "test.hog" && o == "error" && m.contains("allocation budget")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|(r, o, _)| r == "test.fine" && o == "pass"),
        "{rows:?}"
    );
    // With the budget lifted the same rule exhausts the memory limit: the process
    // cannot go on, but it says so rather than dying with empty output.
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 1500000 && exec '{}' eval --facts facts --rules rules --as-of 2026-06-30 --format json --max-alloc-mib 100000",
            env!("CARGO_BIN_EXE_xwalk")
        ))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("xwalk: out of memory"), "{stderr}");
}

/// Issue 12's example: MFA and encryption at rest passing on the start-up no longer make
/// CC6.1 satisfied, nor A.8.18 (privileged utility programs) through it; every satisfied
/// requirement has all its procedures passing or a full link, and the figures say so.
#[test]
fn a_narrow_passing_rule_does_not_satisfy_a_broad_requirement() {
    let run = xwalk(&[
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let req = |fw: &str, id: &str| {
        v["coverage"]["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["framework"] == fw)
            .and_then(|f| {
                f["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == id)
            })
            .cloned()
            .unwrap()
    };
    let a818 = req("iso27001-2022", "A.8.18");
    assert_ne!(a818["status"], "satisfied", "{a818}");
    let cc61 = req("soc2-2017", "CC6.1");
    assert_ne!(cc61["status"], "satisfied", "{cc61}");
    let counts = &cc61["procedure_counts"];
    assert!(
        counts["passing"].as_u64().unwrap() < counts["total"].as_u64().unwrap(),
        "{counts}"
    );
    let a85 = req("iso27001-2022", "A.8.5");
    let procs = a85["procedures"].as_array().unwrap();
    assert!(procs
        .iter()
        .any(|p| p["id"] == "mfa-human-accounts" && p["status"] == "passing"));
    assert!(procs.iter().any(|p| p["status"] == "untested"), "{a85}");
    assert_eq!(a85["status"], "partial");
    for fw in v["coverage"]["frameworks"].as_array().unwrap() {
        for r in fw["requirements"].as_array().unwrap() {
            if r["status"] != "satisfied" {
                continue;
            }
            let own = r["procedures"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["status"] == "passing" || p["status"] == "not-applicable");
            let linked = r["because"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["via"] == "link" && t["support"] == "full");
            assert!(
                own || linked,
                "{} {} satisfied on {r}",
                fw["framework"],
                r["id"]
            );
        }
    }
}
