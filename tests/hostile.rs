//! The catalogue of hostile inputs: one case per file in `tests/hostile/`, run by this one driver.
//!
//! A case is a JSON object:
//!
//! ```json
//! { "about": "what the input is and what must happen",
//!   "command": ["eval", "--facts", "facts", "--rules", "rules", "--as-of", "2026-06-30"],
//!   "files": { "facts/a.json": "text", "rules/r.rhai": "text" },
//!   "bytes": { "facts/b.json": "latin-1 text: each char U+0000..U+00FF is one byte" },
//!   "generate": [ { "path": "facts/deep.json",
//!                   "parts": [ { "text": "{\"kind\":\"x\",\"a\":" },
//!                              { "repeat": "[", "times": 100000 },
//!                              { "repeat": "]", "times": 100000 }, { "text": "}" } ] } ],
//!   "expect": { "exit": 2, "max_seconds": 5,
//!               "stdout_contains": ["deep.json:1:"], "stderr_contains": [],
//!               "stdout_lacks": [], "output_contains": [],
//!               "files_exist": [], "files_absent": [], "dir_entries": { "out": ["a"] },
//!               "file_contains": { "out/results.csv": ["text"] }, "file_lacks": {},
//!               "xml_wellformed": false,
//!               "results": [ { "rule": "r", "outcome": "error", "file": "a.json",
//!                              "message_contains": "operation limit" } ],
//!               "diagnostics": [ { "code": "XW0301", "file": "a.json", "line": 3,
//!                                  "column": 15, "subject": "r" } ] } }
//! ```
//!
//! `results` and `diagnostics` read stdout as JSON (`--format json`): an
//! object with `results` and `diagnostics`, or an array of diagnostics. Each
//! expected entry must match some row; fields left out match anything.
//!
//! The command runs in a fresh temporary directory holding the files, so paths
//! in diagnostics are the short relative ones; `{dir}` in an argument is that
//! directory. In a `repeat`, `{n}` counts from `start` (default 0) and `{p}`
//! is `n - 1`. Large inputs are generated here, never committed. Every case runs
//! under a timeout: a case that takes longer than `max_seconds` (default 5)
//! is killed and fails. `HOSTILE_CASE=part-of-name` runs only matching
//! cases; `HOSTILE_KEEP=1` keeps their directories to rerun by hand.

mod common;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    command: Vec<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    #[serde(default)]
    bytes: BTreeMap<String, String>,
    #[serde(default)]
    generate: Vec<Generated>,
    /// Named pipes to create (nobody ever writes to them).
    #[serde(default)]
    fifos: Vec<String>,
    /// Symbolic links to create: path -> target.
    #[serde(default)]
    symlinks: BTreeMap<String, String>,
    /// Files (from `files`) to make read-only before the run.
    #[serde(default)]
    readonly: Vec<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generated {
    path: String,
    parts: Vec<Part>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    repeat: Option<String>,
    #[serde(default)]
    times: usize,
    /// First value of `{n}`.
    #[serde(default)]
    start: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    exit: i32,
    #[serde(default = "default_seconds")]
    max_seconds: f64,
    #[serde(default)]
    stdout_contains: Vec<String>,
    #[serde(default)]
    stderr_contains: Vec<String>,
    /// Text expected on stdout or stderr, whichever the command uses.
    #[serde(default)]
    output_contains: Vec<String>,
    #[serde(default)]
    stdout_lacks: Vec<String>,
    #[serde(default)]
    files_exist: Vec<String>,
    #[serde(default)]
    files_absent: Vec<String>,
    /// Exact sorted entries of directories after the run (no temporaries left behind).
    #[serde(default)]
    dir_entries: BTreeMap<String, Vec<String>>,
    /// Text expected in files written by the command.
    #[serde(default)]
    file_contains: BTreeMap<String, Vec<String>>,
    /// Text that must not appear in files written by the command.
    #[serde(default)]
    file_lacks: BTreeMap<String, Vec<String>>,
    /// stdout must parse as well-formed XML.
    #[serde(default)]
    xml_wellformed: bool,
    #[serde(default)]
    results: Vec<ResultRow>,
    #[serde(default)]
    diagnostics: Vec<DiagnosticRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResultRow {
    rule: String,
    outcome: String,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiagnosticRow {
    code: String,
    file: String,
    #[serde(default)]
    line: Option<u64>,
    #[serde(default)]
    column: Option<u64>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    message_contains: Option<String>,
}

impl ResultRow {
    fn matches(&self, v: &serde_json::Value) -> bool {
        v["rule"] == self.rule.as_str()
            && v["outcome"] == self.outcome.as_str()
            && self.file.as_ref().is_none_or(|f| v["file"] == f.as_str())
            && self.message_contains.as_ref().is_none_or(|m| {
                v["message"]
                    .as_str()
                    .is_some_and(|t| t.contains(m.as_str()))
            })
    }
}

impl DiagnosticRow {
    fn matches(&self, v: &serde_json::Value) -> bool {
        let at = &v["location"];
        v["code"] == self.code.as_str()
            && at["file"] == self.file.as_str()
            && self.line.is_none_or(|l| at["line"] == l)
            && self.column.is_none_or(|c| at["column"] == c)
            && self
                .subject
                .as_ref()
                .is_none_or(|s| v["subject"] == s.as_str())
            && self.message_contains.as_ref().is_none_or(|m| {
                v["message"]
                    .as_str()
                    .is_some_and(|t| t.contains(m.as_str()))
            })
    }
}

/// Check `results` and `diagnostics` expectations against stdout read as JSON.
fn check_json(e: &Expect, stdout: &str, problems: &mut Vec<String>) {
    if e.results.is_empty() && e.diagnostics.is_empty() {
        return;
    }
    let v: serde_json::Value = match serde_json::from_str(stdout) {
        Ok(v) => v,
        Err(err) => {
            problems.push(format!("stdout is not JSON: {err}"));
            return;
        }
    };
    let empty = Vec::new();
    let (results, diags) = match &v {
        serde_json::Value::Array(d) => (&empty, d),
        _ => (
            v["results"].as_array().unwrap_or(&empty),
            v["diagnostics"].as_array().unwrap_or(&empty),
        ),
    };
    for want in &e.results {
        if !results.iter().any(|r| want.matches(r)) {
            problems.push(format!("no result row matches {want:?}"));
        }
    }
    for want in &e.diagnostics {
        if !diags.iter().any(|d| want.matches(d)) {
            problems.push(format!("no diagnostic matches {want:?}"));
        }
    }
}

fn default_seconds() -> f64 {
    5.0
}

fn generate(g: &Generated) -> String {
    let mut out = String::new();
    for part in &g.parts {
        if let Some(text) = &part.text {
            out.push_str(text);
        }
        if let Some(unit) = &part.repeat {
            let numbered = unit.contains("{n}") || unit.contains("{p}");
            for n in part.start..part.start + part.times {
                if numbered {
                    let p = n.saturating_sub(1).to_string();
                    out.push_str(&unit.replace("{n}", &n.to_string()).replace("{p}", &p));
                } else {
                    out.push_str(unit);
                }
            }
        }
    }
    out
}

fn write(dir: &Path, rel: &str, bytes: &[u8]) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Run the binary, killing it once the case's time is up.
fn run(dir: &Path, args: &[String], limit: Duration) -> Outcome {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xwalk"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("the xwalk binary runs");
    let code = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = start.elapsed();
    let read =
        |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let outcome = Outcome {
        code,
        stdout: read(&out_path),
        stderr: read(&err_path),
        elapsed,
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    outcome
}

fn excerpt(text: &str) -> &str {
    let mut end = text.len().min(3000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Check one case; the problems found, empty when it holds.
fn check(name: &str, case: &Case) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for (rel, text) in &case.files {
        write(dir, rel, text.as_bytes());
    }
    for (rel, text) in &case.bytes {
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("bytes are U+0000..U+00FF"))
            .collect();
        write(dir, rel, &bytes);
    }
    for g in &case.generate {
        write(dir, &g.path, generate(g).as_bytes());
    }
    for rel in &case.fifos {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = Command::new("mkfifo").arg(&path).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo {} failed",
            path.display()
        );
    }
    for rel in &case.readonly {
        let path = dir.join(rel);
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&path, perms).unwrap();
    }
    for (rel, target) in &case.symlinks {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &path).unwrap();
    }
    let dir_text = dir.display().to_string();
    let args: Vec<String> = case
        .command
        .iter()
        .map(|a| a.replace("{dir}", &dir_text))
        .collect();
    let limit = Duration::from_secs_f64(case.expect.max_seconds);
    let out = run(dir, &args, limit + Duration::from_secs(2));
    let mut problems = Vec::new();
    let e = &case.expect;
    if out.elapsed > limit {
        problems.push(format!(
            "took {:.2}s, over the {:.1}s allowed",
            out.elapsed.as_secs_f64(),
            e.max_seconds
        ));
    }
    if out.code != Some(e.exit) {
        problems.push(format!("exit {:?}, expected {}", out.code, e.exit));
    }
    for s in &e.stdout_contains {
        if !out.stdout.contains(s.as_str()) {
            problems.push(format!("stdout lacks {s:?}"));
        }
    }
    for s in &e.stderr_contains {
        if !out.stderr.contains(s.as_str()) {
            problems.push(format!("stderr lacks {s:?}"));
        }
    }
    for s in &e.output_contains {
        if !out.stdout.contains(s.as_str()) && !out.stderr.contains(s.as_str()) {
            problems.push(format!("output lacks {s:?}"));
        }
    }
    for s in &e.stdout_lacks {
        if out.stdout.contains(s.as_str()) {
            problems.push(format!("stdout has {s:?}"));
        }
    }
    for f in &e.files_exist {
        if !dir.join(f).exists() {
            problems.push(format!("{f} was not written"));
        }
    }
    for f in &e.files_absent {
        if dir.join(f).exists() {
            problems.push(format!("{f} exists"));
        }
    }
    for (d, want) in &e.dir_entries {
        let mut seen: Vec<String> = std::fs::read_dir(dir.join(d))
            .map(|it| {
                it.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        seen.sort();
        if &seen != want {
            problems.push(format!("{d} holds {seen:?}, expected {want:?}"));
        }
    }
    for (f, wanted) in &e.file_contains {
        let text =
            String::from_utf8_lossy(&std::fs::read(dir.join(f)).unwrap_or_default()).into_owned();
        for w in wanted {
            if !text.contains(w.as_str()) {
                problems.push(format!("{f} lacks {w:?}"));
            }
        }
    }
    for (f, unwanted) in &e.file_lacks {
        let text =
            String::from_utf8_lossy(&std::fs::read(dir.join(f)).unwrap_or_default()).into_owned();
        for u in unwanted {
            if text.contains(u.as_str()) {
                problems.push(format!("{f} has {u:?}"));
            }
        }
    }
    check_json(e, &out.stdout, &mut problems);
    if e.xml_wellformed {
        if let Err(err) = xml_check(&out.stdout) {
            problems.push(format!("stdout is not well-formed XML: {err}"));
        }
    }
    if std::env::var_os("HOSTILE_KEEP").is_some() {
        eprintln!("case {name} kept in {}", tmp.keep().display());
    }
    if !problems.is_empty() {
        problems.push(format!(
            "case {name}: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            case.about,
            excerpt(&out.stdout),
            excerpt(&out.stderr)
        ));
    }
    problems
}

/// Parse XML to the end; also refuse characters XML 1.0 forbids.
fn xml_check(text: &str) -> Result<(), String> {
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("holds control character {:?}", c));
    }
    let mut reader = quick_xml::Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn cases() -> Vec<(String, PathBuf)> {
    let dir = common::root().join("tests/hostile");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    out.sort();
    out
}

#[test]
fn every_hostile_input_is_refused_cleanly_within_its_time() {
    let only = std::env::var("HOSTILE_CASE").ok();
    let all = cases();
    assert!(all.len() >= 40, "the catalogue has {} cases", all.len());
    let mut failures = Vec::new();
    let mut ran = 0;
    for (name, path) in &all {
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let case: Case = match serde_json::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("case {name}: unreadable case file: {e}"));
                continue;
            }
        };
        let start = Instant::now();
        let problems = check(name, &case);
        ran += 1;
        eprintln!(
            "hostile {name} ... {} ({:.2}s)",
            if problems.is_empty() { "ok" } else { "FAILED" },
            start.elapsed().as_secs_f64()
        );
        if !problems.is_empty() {
            failures.push(problems.join("\n"));
        }
    }
    assert!(ran > 0, "no case matched HOSTILE_CASE");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
