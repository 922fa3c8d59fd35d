//! Helpers shared by the integration tests: run the `xwalk` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Output of one `xwalk` run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `xwalk` with arguments from the repository root.
pub fn xwalk(args: &[&str]) -> Run {
    xwalk_in(&root(), args)
}

/// Run `xwalk` with arguments from a directory.
pub fn xwalk_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the xwalk binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `xwalk eval --facts FACTS --as-of 2026-06-30 --format json EXTRA...`: the exit code and
/// the report (panics when stdout is not a report).
pub fn eval_json(facts: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let base = [
        "eval",
        "--facts",
        facts,
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ];
    let run = xwalk(&[&base[..], extra].concat());
    let report = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not a report ({e}): {}", run.stderr));
    (run.code, report)
}

/// The result rows of one rule in an eval report.
pub fn rows_of<'a>(report: &'a serde_json::Value, rule: &str) -> Vec<&'a serde_json::Value> {
    report["results"]
        .as_array()
        .map(|rows| rows.iter().filter(|r| r["rule"] == rule).collect())
        .unwrap_or_default()
}

/// Say loudly that a check was skipped because its client is missing: written straight to
/// stderr, past the test harness's capture, so it shows even when the test passes.
#[allow(dead_code)]
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED: {why}");
}

/// Copy a directory tree (a fixture to change in a test).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A copy of the start-up with one facts file cut off mid-way (XW0301).
pub fn startup_with_a_truncated_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts");
    copy_dir(&root().join("fixtures/startup"), &facts);
    std::fs::write(
        facts.join("ops/half.json"),
        "{\"kind\": \"backup\", \"items\": [",
    )
    .unwrap();
    (dir, facts)
}
