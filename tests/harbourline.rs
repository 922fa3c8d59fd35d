//! The third demo organisation, Harbourline, built entirely by import: the walk-through of
//! fixtures/harbourline/README.md (and the README's import section) run as written, every
//! document passing `facts check`, and the findings its exports plant found, no more.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn harbourline_is_built_by_import_and_its_planted_gaps_are_found() {
    let out = tempfile::tempdir().unwrap();
    let facts = out.path().join("facts");
    let run = Command::new("bash")
        .arg("fixtures/harbourline/import.sh")
        .arg(&facts)
        .current_dir(common::root())
        .env("XWALK", env!("CARGO_BIN_EXE_xwalk"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("note: github/ines-c: tied to no one on the HR roster"),
        "{stderr}"
    );
    let dir = facts.to_str().unwrap();
    let check = common::xwalk(&["facts", "check", dir]);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);

    let (_, report) = common::eval_json(dir, &[]);
    let failing: BTreeSet<(String, String)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["outcome"] != "pass"
                && r["outcome"] != "not-applicable"
                && r["outcome"] != "no-evidence"
        })
        .map(|r| {
            (
                r["rule"].as_str().unwrap().to_string(),
                r["file"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let planted: BTreeSet<(String, String)> = common::root()
        .join("fixtures/harbourline/README.md")
        .to_str()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .unwrap()
        .lines()
        .filter_map(|l| {
            // Rows of the planted-gap table: | what | `rule` | `file` |
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let rule = cells.get(2)?.strip_prefix('`')?.strip_suffix('`')?;
            let file = cells.get(3)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((rule.to_string(), file.to_string()))
        })
        .collect();
    assert!(!planted.is_empty());
    assert_eq!(failing, planted, "findings vs the README's planted gaps");
}
