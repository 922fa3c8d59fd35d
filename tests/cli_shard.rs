//! `xwalk eval --shard K/N` and `xwalk merge`: for N = 1..4, every shard runs as a process
//! of its own and the merge of their partial results is byte for byte the report of one
//! run over the whole corpus, in JSON and as the table, with the same exit code. The
//! corpora hold what a split could get wrong: documents joined by other rules (read by
//! every shard), a file that does not parse and documents that break the vocabulary (each
//! reported once), rules with no facts (one `no-evidence` row), an observation period and
//! waivers (applied after the merge). Every other view reads the same partials
//! (`--from-shards`) as it reads one run.

mod common;

use common::xwalk;
use std::path::Path;

/// The scale-up organisation plus a synthetic corpus and three bad files.
fn corpus(dir: &Path) {
    common::copy_dir(&common::root().join("fixtures/scaleup"), &dir.join("org"));
    let synth = dir.join("synthetic");
    let run = xwalk(&[
        "gen-facts",
        "--docs",
        "240",
        "--seed",
        "7",
        "--out",
        synth.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("truncated.json"),
        r#"{"kind":"endpoint","items":[{"#,
    )
    .unwrap();
    // A joined kind that breaks the vocabulary: every rule joining people concludes nothing.
    std::fs::write(
        bad.join("contractors.json"),
        r#"{"kind":"people","collected_on":"2026-06-01","items":[{"email":42}]}"#,
    )
    .unwrap();
    std::fs::write(
        bad.join("laptop.json"),
        r#"{"kind":"endpoint","collected_on":"2099-01-01","items":[]}"#,
    )
    .unwrap();
}

fn waivers(dir: &Path) -> String {
    let path = dir.join("waivers.toml");
    std::fs::write(
        &path,
        "[[waiver]]\nrule = \"ops.network-rules-reviewed\"\njustification = \"the firewall review moves to the new NOC in Q3\"\napproved_by = \"Head of IT\"\napproved_on = 2026-05-01\nexpires_on = 2026-12-31\nrisk = \"RISK-021\"\n",
    )
    .unwrap();
    path.display().to_string()
}

/// One run over the whole corpus, then N shards merged: the same bytes and exit code.
fn same_as_single_run(facts: &Path, common_args: &[&str]) {
    let facts = facts.to_str().unwrap();
    for format in ["json", "table"] {
        let single = xwalk(
            &[
                &["eval", "--facts", facts, "--format", format][..],
                common_args,
            ]
            .concat(),
        );
        // Exit 2 here: the bad files are input errors, and the merge must say so too.
        assert!(!single.stdout.is_empty(), "{}", single.stderr);
        for n in 1..=4 {
            let parts = tempfile::tempdir().unwrap();
            let out = parts.path().to_str().unwrap();
            let mut files = Vec::new();
            for k in 1..=n {
                let shard = format!("{k}/{n}");
                let run = xwalk(
                    &[
                        &["eval", "--facts", facts, "--shard", &shard, "--out", out][..],
                        common_args,
                    ]
                    .concat(),
                );
                assert_eq!(run.code, 0, "shard {shard}: {}", run.stderr);
                files.push(parts.path().join(format!("partial-{k}-of-{n}.json")));
            }
            // In any order.
            files.reverse();
            let names: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
            let merged =
                xwalk(&[&["merge"][..], &names, &["--format", format], common_args].concat());
            assert_eq!(merged.code, single.code, "{n} shards: {}", merged.stderr);
            assert!(
                merged.stdout == single.stdout,
                "{format} report of {n} merged shards differs from one run:\n{}",
                first_difference(&single.stdout, &merged.stdout)
            );
        }
    }
}

fn first_difference(a: &str, b: &str) -> String {
    let line = a.lines().zip(b.lines()).position(|(x, y)| x != y);
    match line {
        Some(i) => format!(
            "line {}: single `{}` merged `{}`",
            i + 1,
            a.lines().nth(i).unwrap_or_default(),
            b.lines().nth(i).unwrap_or_default()
        ),
        None => format!("lengths {} and {}", a.len(), b.len()),
    }
}

#[test]
fn merged_shards_report_exactly_what_one_run_reports() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let waivers = waivers(dir.path());
    same_as_single_run(
        dir.path(),
        &[
            "--as-of",
            "2026-06-30",
            "--period",
            "2026-01-01..2026-06-30",
            "--waivers",
            &waivers,
        ],
    );
}

#[test]
fn the_start_up_merges_to_its_single_run_with_its_configuration() {
    same_as_single_run(
        &common::root().join("fixtures/startup"),
        &[
            "--as-of",
            "2026-06-30",
            "--config",
            "fixtures/startup.xwalk.toml",
        ],
    );
}

#[test]
fn a_merge_refuses_missing_repeated_and_mismatched_shards() {
    let parts = tempfile::tempdir().unwrap();
    let out = parts.path().to_str().unwrap();
    for shard in ["1/3", "2/3", "3/3"] {
        let run = xwalk(&[
            "eval",
            "--facts",
            "fixtures/scaleup",
            "--as-of",
            "2026-06-30",
            "--shard",
            shard,
            "--out",
            out,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let p = |k: u32| {
        parts
            .path()
            .join(format!("partial-{k}-of-3.json"))
            .display()
            .to_string()
    };
    let merge = |files: &[String], extra: &[&str]| {
        let names: Vec<&str> = files.iter().map(String::as_str).collect();
        xwalk(&[&["merge"][..], &names, extra].concat())
    };
    let date = ["--as-of", "2026-06-30"];
    let missing = merge(&[p(1), p(3)], &date);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("shard(s) 2/3 missing"),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stdout.is_empty(),
        "nothing is reported from part of the facts"
    );
    let twice = merge(&[p(1), p(2), p(2), p(3)], &date);
    assert!(
        twice.stderr.contains("are both shard 2/3"),
        "{}",
        twice.stderr
    );
    let other_date = merge(&[p(1), p(2), p(3)], &["--as-of", "2026-07-31"]);
    assert_eq!(other_date.code, 2);
    assert!(
        other_date.stderr.contains("different evaluation date"),
        "{}",
        other_date.stderr
    );
    let other_rules = merge(
        &[p(1), p(2), p(3)],
        &["--param", "access.reviews-periodic.review_days=31"],
    );
    assert!(
        other_rules.stderr.contains("different rules"),
        "{}",
        other_rules.stderr
    );
    std::fs::write(p(2), "{\"schema\": \"xwalk.partial.v1\",\n \"shard\": 2}").unwrap();
    let broken = merge(&[p(1), p(2), p(3)], &date);
    assert!(
        broken.stderr.contains("partial-2-of-3.json:2:"),
        "{}",
        broken.stderr
    );
}

#[test]
fn a_shard_alone_is_never_reported_as_an_assessment() {
    let run = xwalk(&[
        "eval",
        "--facts",
        "fixtures/scaleup",
        "--shard",
        "1/2",
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("render the report with `xwalk merge`"),
        "{}",
        run.stderr
    );
    let demo = xwalk(&["eval", "--shard", "1/2"]);
    assert_eq!(demo.code, 2);
    assert!(demo.stderr.contains("give --facts DIR"), "{}", demo.stderr);
    let bad = xwalk(&["eval", "--facts", "fixtures/scaleup", "--shard", "3/2"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("K must be between 1 and N"),
        "{}",
        bad.stderr
    );
}

#[test]
fn shards_of_different_corpora_do_not_merge() {
    // Shard 1 of the scale-up as it is, shard 2 after a file was added: together they
    // would describe a corpus that never existed.
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts");
    common::copy_dir(&common::root().join("fixtures/scaleup"), &facts);
    let parts = dir.path().join("parts");
    let (facts_arg, out) = (facts.to_str().unwrap(), parts.to_str().unwrap());
    let shard = |k: &str| {
        let run = xwalk(&[
            "eval",
            "--facts",
            facts_arg,
            "--as-of",
            "2026-06-30",
            "--shard",
            k,
            "--out",
            out,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    shard("1/2");
    std::fs::write(
        facts.join("late-policy.json"),
        r#"{"kind":"policy","collected_on":"2026-06-01","items":[]}"#,
    )
    .unwrap();
    shard("2/2");
    let p = |k: u32| {
        parts
            .join(format!("partial-{k}-of-2.json"))
            .display()
            .to_string()
    };
    let merged = xwalk(&["merge", &p(1), &p(2), "--as-of", "2026-06-30"]);
    assert_eq!(merged.code, 2, "{}", merged.stdout);
    assert!(
        merged.stderr.contains("different facts corpus"),
        "{}",
        merged.stderr
    );
    assert!(merged.stdout.is_empty());
}

/// Every report made from an assessment reads the shards' partials (`--from-shards`) as it
/// reads one run over the whole corpus: the same bytes, the same exit code.
#[test]
fn every_view_reads_merged_shards_as_one_run() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let facts = dir.path().to_str().unwrap();
    let date = [
        "--as-of",
        "2026-06-30",
        "--period",
        "2026-01-01..2026-06-30",
    ];
    let parts = tempfile::tempdir().unwrap();
    let out = parts.path().to_str().unwrap();
    let mut files = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let run = xwalk(
            &[
                &["eval", "--facts", facts, "--shard", &shard, "--out", out][..],
                &date,
            ]
            .concat(),
        );
        assert_eq!(run.code, 0, "shard {shard}: {}", run.stderr);
        files.push(parts.path().join(format!("partial-{k}-of-3.json")));
    }
    let names: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    let html = |name: &str| parts.path().join(name).display().to_string();
    let (single_html, merged_html) = (html("single.html"), html("merged.html"));
    let views: [(&str, Vec<&str>, Vec<&str>); 7] = [
        ("soa", vec!["--format", "json"], vec![]),
        ("plan", vec!["--format", "json"], vec![]),
        ("readiness", vec!["--format", "json"], vec![]),
        ("programme", vec!["--format", "json"], vec![]),
        (
            "register",
            vec!["nonconformities", "--format", "csv"],
            vec![],
        ),
        ("register", vec!["requests", "--format", "csv"], vec![]),
        (
            "report",
            vec!["--format", "html", "--out"],
            vec![&single_html, &merged_html],
        ),
    ];
    for (view, args, html_out) in &views {
        let with_out = |i: usize| html_out.get(i).map(|s| vec![*s]).unwrap_or_default();
        let single = xwalk(&[&[*view, "--facts", facts][..], args, &with_out(0), &date].concat());
        let merged = xwalk(
            &[
                &[*view][..],
                args,
                &with_out(1),
                &date,
                &["--from-shards"],
                &names,
            ]
            .concat(),
        );
        assert_eq!(merged.code, single.code, "{view}: {}", merged.stderr);
        assert!(
            merged.stdout == single.stdout,
            "{view} from 3 merged shards differs from one run:\n{}",
            first_difference(&single.stdout, &merged.stdout)
        );
        if !html_out.is_empty() {
            let a = std::fs::read_to_string(&single_html).unwrap();
            let b = std::fs::read_to_string(&merged_html).unwrap();
            assert!(a == b, "report: {}", first_difference(&a, &b));
            assert!(a.contains("<html"), "{}", &a[..a.len().min(200)]);
        } else {
            assert!(!single.stdout.is_empty(), "{view}: {}", single.stderr);
        }
    }
    // A shard and the shards' merge at once make no sense; explain runs its one rule itself.
    let both = xwalk(
        &[
            &["eval", "--facts", facts, "--shard", "1/3", "--from-shards"][..],
            &names,
        ]
        .concat(),
    );
    assert_eq!(both.code, 2);
    assert!(both.stderr.contains("give one of them"), "{}", both.stderr);
    let explain = xwalk(
        &[
            &["explain", "access.mfa-enforced", "--from-shards"][..],
            &names,
        ]
        .concat(),
    );
    assert_eq!(explain.code, 2);
    assert!(
        explain.stderr.contains("leave out --from-shards"),
        "{}",
        explain.stderr
    );
}
