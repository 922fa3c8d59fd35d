//! One grammar for every command: `--quiet`, `--color` and `--full` everywhere, problems on
//! stderr, colour only where asked for and only in text tables.

mod common;

use common::xwalk;

const ESC: char = '\u{1b}';

/// Every subcommand, as `xwalk --help` lists it, nested ones included.
fn commands() -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let list = |args: &[&str]| -> Vec<String> {
        let help = xwalk(args).stdout;
        help.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .filter(|c| c != "help")
            .collect()
    };
    for c in list(&["--help"]) {
        let nested = list(&[c.as_str(), "--help"]);
        if nested.is_empty() {
            out.push(vec![c]);
        } else {
            out.extend(nested.into_iter().map(|n| vec![c.clone(), n]));
        }
    }
    out
}

#[test]
fn every_command_takes_quiet_color_and_full() {
    let commands = commands();
    assert!(commands.len() > 20, "{commands:?}");
    for c in commands {
        let mut args: Vec<&str> = c.iter().map(String::as_str).collect();
        args.push("--help");
        let help = xwalk(&args).stdout;
        for flag in ["--quiet", "--color <WHEN>", "--full"] {
            assert!(help.contains(flag), "`xwalk {}` has no {flag}", c.join(" "));
        }
    }
}

#[test]
fn colour_goes_only_into_text_tables_and_only_when_asked() {
    let always = xwalk(&["eval", "--color", "always"]);
    assert!(
        always.stdout.contains(ESC),
        "--color always colours the table"
    );
    let broken = xwalk(&["eval", "--color", "always", "--facts", "no/such/dir"]);
    assert!(broken.stderr.contains(ESC), "and the problems on stderr");
    assert!(
        strip(&broken.stderr).starts_with("error: "),
        "{}",
        broken.stderr
    );
    let plain = xwalk(&["eval"]);
    assert!(
        !plain.stdout.contains(ESC) && !plain.stderr.contains(ESC),
        "a pipe gets no colour"
    );
    let never = xwalk(&["eval", "--color", "never"]);
    assert!(!never.stdout.contains(ESC));
    // The colour only adds escapes: the text is the plain text.
    let stripped: String = strip(&always.stdout);
    assert_eq!(stripped, plain.stdout);
    for format in ["json", "csv"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("soa");
        let run = xwalk(&[
            "soa",
            "--color",
            "always",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(!written.contains(ESC), "{format}: {}", run.stderr);
        let json = xwalk(&["soa", "--color", "always", "--format", "json"]);
        assert!(
            !json.stdout.contains(ESC),
            "JSON on stdout is never coloured"
        );
    }
}

/// ANSI escapes out (CSI sequences: ESC [ ... letter).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn quiet_leaves_only_the_report_and_the_problems() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let args = ["report", "--out", out.to_str().unwrap()];
    let noisy = xwalk(&args);
    assert!(noisy.stderr.contains("wrote"), "{}", noisy.stderr);
    let quiet = xwalk(&[&args[..], &["--quiet"]].concat());
    assert_eq!(quiet.code, noisy.code);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    // Problems are never quiet: an unusable input still says why.
    let broken = xwalk(&["eval", "-q", "--facts", "no/such/dir"]);
    assert_eq!(broken.code, 2);
    assert!(broken.stderr.contains("error"), "{}", broken.stderr);
}

/// A synthetic corpus of `n` documents, with thousands of findings.
fn corpus(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    xwalk::synth::generate(&dir.path().join("facts"), n, 7).unwrap();
    dir
}

#[test]
fn a_terminal_gets_findings_rule_by_rule_and_is_told_how_to_see_every_row() {
    use xwalk::report::table::TextView;
    let dir = corpus(3000);
    let inputs = xwalk::Inputs {
        facts: xwalk::assessment::FactsInput::Dir(dir.path().join("facts")),
        as_of: xwalk::dates::parse_date(xwalk::synth::AS_OF),
        ..Default::default()
    };
    let assessment = xwalk::Assessment::run(&inputs).unwrap();
    let report = assessment.results().unwrap();
    let failing = report
        .results
        .iter()
        .filter(|r| {
            matches!(
                r.outcome,
                xwalk::eval::Outcome::Fail
                    | xwalk::eval::Outcome::Error
                    | xwalk::eval::Outcome::Waived
            )
        })
        .count();
    assert!(failing > 1000, "{failing} findings");
    let terminal = xwalk::report::eval::render_text_with(&report, &TextView::TERMINAL);
    assert!(
        terminal.contains(&format!(
            "Findings and errors: {} rows, rule by rule (--full lists every row",
            xwalk::report::table::thousands(failing)
        )),
        "{terminal}"
    );
    assert!(
        terminal.lines().count() < 200,
        "a summary, not {failing} rows"
    );
    // The per-rule counts add up to every finding.
    let by_rule = xwalk::report::eval::findings_by_rule(&report);
    let total: usize = by_rule
        .rows
        .iter()
        .map(|r| r[3].replace(',', "").parse::<usize>().unwrap())
        .sum();
    assert_eq!(total, failing);
    // The full view lists each of them.
    let full = xwalk::report::eval::render_text_with(&report, &TextView::FULL);
    assert!(full.lines().count() > failing);
    assert!(!full.contains("rows shown") && !full.contains("is cut at"));
}

#[test]
fn a_pipe_gets_every_row_and_full_gets_every_cell_whole() {
    let dir = corpus(400);
    let facts = dir.path().join("facts");
    let args = [
        "eval",
        "--facts",
        facts.to_str().unwrap(),
        "--as-of",
        xwalk::synth::AS_OF,
    ];
    let piped = xwalk(&args);
    assert!(
        piped.stdout.contains("Findings and errors\n"),
        "every row into a pipe"
    );
    assert!(piped
        .stdout
        .contains("(a cell ending in … is cut at 60 characters: --full shows it whole)"));
    assert!(
        piped.stdout.contains("… 10 of "),
        "the evidence list says what it shows"
    );
    let full = xwalk(&[&args[..], &["--full"]].concat());
    assert!(!full.stdout.contains('…'), "nothing cut with --full");
    assert!(full.stdout.lines().count() > piped.stdout.lines().count());
}

#[test]
fn unknown_ids_get_a_suggestion() {
    for (args, hint) in [
        (
            vec!["eval", "--framework", "soc2"],
            "did you mean `soc2-2017`?",
        ),
        (
            vec!["explain", "access.mfa"],
            "did you mean `access.mfa-enforced`?",
        ),
        (
            vec!["show", "nist:PR.AA-01"],
            "did you mean `nist-csf-2.0`?",
        ),
        (
            vec!["show", "iso27001-2022:A.5.155"],
            "did you mean `A.5.15`?",
        ),
    ] {
        let run = xwalk(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(hint), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn one_evaluation_writes_several_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let specs: Vec<String> = [
        ("json", "r.json"),
        ("sarif", "r.sarif"),
        ("junit", "r.xml"),
        ("oscal", "oscal.json"),
        ("html", "r.html"),
        ("table", "r.txt"),
        ("xlsx", "r.xlsx"),
        ("csv", "csv"),
    ]
    .iter()
    .map(|(f, p)| format!("{f}:{}", at(p)))
    .collect();
    let mut args = vec![
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
    ];
    for s in &specs {
        args.extend(["--output", s.as_str()]);
    }
    let run = xwalk(&args);
    assert_eq!(run.code, 1, "findings: {}", run.stderr);
    let plain = xwalk(&args[..5]);
    assert_eq!(run.stdout, plain.stdout, "stdout still gets the table");
    let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
    let json = xwalk(&[&args[..5], &["--format", "json"]].concat());
    assert_eq!(
        read("r.json"),
        json.stdout,
        "the same report as --format json"
    );
    assert_eq!(read("r.txt"), plain.stdout, "the same text as on stdout");
    let sarif = xwalk(&[&args[..5], &["--format", "sarif"]].concat());
    assert_eq!(read("r.sarif"), sarif.stdout);
    let page = dir.path().join("page.html");
    let report = xwalk(&[
        "report",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--out",
        page.to_str().unwrap(),
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(read("r.html"), std::fs::read_to_string(page).unwrap());
    assert!(read("r.xml").starts_with("<?xml"));
    assert!(read("oscal.json").contains("assessment-results"));
    assert!(std::fs::read(dir.path().join("r.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
    for f in [
        "results.csv",
        "coverage.csv",
        "evidence.csv",
        "diagnostics.csv",
    ] {
        assert!(dir.path().join("csv").join(f).exists(), "{f}");
    }
}

#[test]
fn a_bad_output_is_refused_before_anything_runs() {
    for (spec, says) in [
        ("pdf:r.pdf", "unknown format `pdf`"),
        ("json", "write FORMAT:PATH"),
        ("json:", "no path after `json:`"),
    ] {
        let run = xwalk(&["eval", "--output", spec]);
        assert_eq!(run.code, 2, "{spec}");
        assert!(run.stderr.contains(says), "{spec}: {}", run.stderr);
    }
}

#[test]
fn input_problems_go_to_stderr_in_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts");
    std::fs::create_dir_all(&facts).unwrap();
    std::fs::write(
        facts.join("half.json"),
        "{\"kind\": \"backup\", \"items\": [",
    )
    .unwrap();
    let facts = facts.to_str().unwrap();
    for command in ["eval", "soa", "plan", "readiness"] {
        let run = xwalk(&[command, "--facts", facts, "--as-of", "2026-06-30"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("half.json") && run.stderr.contains("XW0301"),
            "{command}: {}",
            run.stderr
        );
    }
}
