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
