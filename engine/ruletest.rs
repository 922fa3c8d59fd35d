//! Rule test cases: facts in, expected outcome and message out, run by one driver.
//!
//! Each rule `area/name.rhai` may have `area/name.tests.json` beside it:
//!
//! ```json
//! { "as_of": "2026-06-30",
//!   "cases": [ { "name": "all users enrolled",
//!                "facts": { "accounts/idp.json": { "kind": "accounts", "items": [] } },
//!                "expect": { "outcome": "pass", "message": "regex" } } ] }
//! ```
//!
//! The expected outcome is the rule's overall outcome over all documents
//! (fail, then error, then pass, then not-applicable, then no-evidence), and a
//! word that is not an outcome (`"passed"`) makes the file unreadable; the
//! message pattern must match the message of at least one row with that outcome;
//! `evidence`, when given, lists every evidence reference of those rows. A case
//! may set its own `as_of`. A file or a case may set an observation `period`
//! (`"2026-01-01..2026-06-30"`, as `--period`), and a case may expect the
//! `population` the rule counted, `[occurrences, exceptions]` summed over its rows.
//! The same driver runs in `cargo test` and in `xwalk test`.

use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::eval::{self, Outcome};
use crate::facts::{Corpus, FactsSet};
use crate::rules::RuleSet;
use crate::sandbox::{Limits, Sandbox};
use crate::source::SourceFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Evaluation date of test files that do not set `as_of`.
pub const DEFAULT_AS_OF: &str = "2026-06-30";

pub use crate::rules::TESTS_SUFFIX;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    #[serde(default)]
    as_of: Option<String>,
    /// Observation period of every case (`FROM..TO`).
    #[serde(default)]
    period: Option<String>,
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// This case's own evaluation date, replacing the file's.
    #[serde(default)]
    as_of: Option<String>,
    /// This case's own observation period, replacing the file's.
    #[serde(default)]
    period: Option<String>,
    /// Parameter values for this case (`{"review_days": 31}`), as a policy would set them.
    #[serde(default)]
    params: BTreeMap<String, serde_json::Value>,
    facts: BTreeMap<String, serde_json::Value>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// Refused when the file is read if it is not an outcome (`"passed"`).
    outcome: Outcome,
    #[serde(default)]
    message: Option<String>,
    /// The evidence references the rule gives with that outcome, every one and no other
    /// (`file#/json/pointer`), in any order.
    #[serde(default)]
    evidence: Option<Vec<String>>,
    /// `[occurrences, exceptions]` the rule counted, summed over its rows.
    #[serde(default)]
    population: Option<[u64; 2]>,
}

/// The result of one test case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    /// Rule id (or rule file when it did not load).
    pub rule: String,
    /// Test file.
    pub file: String,
    /// Case name.
    pub case: String,
    /// Expected outcome.
    pub expected: String,
    /// Outcome seen.
    pub actual: String,
    /// True when outcome and message matched.
    pub passed: bool,
    /// Why it failed (empty when passed).
    pub detail: String,
    /// Time taken.
    #[serde(skip)]
    pub duration: Duration,
}

/// Results of a test run plus problems with test files.
#[derive(Debug, Clone, Default)]
pub struct TestRun {
    /// One entry per case, sorted by rule then file then case order.
    pub cases: Vec<CaseResult>,
    /// Unreadable test files, rules without tests (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

impl TestRun {
    /// Number of passed cases.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    /// Number of failed cases.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// The test file path of a rule file: `x/y.rhai` -> `x/y.tests.json`.
pub fn tests_path_for(rule_path: &str) -> String {
    format!(
        "{}{TESTS_SUFFIX}",
        rule_path.strip_suffix(".rhai").unwrap_or(rule_path)
    )
}

/// Run every test file against the rule file beside it.
///
/// `filter` keeps cases whose rule id, file or name contains it.
/// Rule libraries (`lib/NAME.rhai`) among `rule_files` are linked into the rules that use
/// them and need no test file of their own.
pub fn run(rule_files: &[SourceFile], test_files: &[SourceFile], filter: Option<&str>) -> TestRun {
    let mut run = TestRun::default();
    let (libs, rule_files): (Vec<&SourceFile>, Vec<&SourceFile>) = rule_files
        .iter()
        .partition(|f| crate::rules::library::library_name(&f.path).is_some());
    let libs: Vec<SourceFile> = libs.into_iter().cloned().collect();
    for rule_file in rule_files.iter().copied() {
        let tests_path = tests_path_for(&rule_file.path);
        let Some(tests) = test_files.iter().find(|t| t.path == tests_path) else {
            run.diagnostics.push(Diagnostic::new(
                codes::XW0412,
                Location::line(&rule_file.path, 1),
                format!("rule has no test cases; add {tests_path}"),
            ));
            continue;
        };
        run_file(rule_file, &libs, tests, filter, &mut run);
    }
    for tests in test_files {
        let has_rule = rule_files
            .iter()
            .any(|r| tests_path_for(&r.path) == tests.path);
        if !has_rule {
            run.diagnostics.push(Diagnostic::new(
                codes::XW0413,
                Location::line(&tests.path, 1),
                "test file has no rule file beside it",
            ));
        }
    }
    run
}

fn run_file(
    rule_file: &SourceFile,
    libs: &[SourceFile],
    tests: &SourceFile,
    filter: Option<&str>,
    run: &mut TestRun,
) {
    let parsed: TestFile = match serde_json::from_str(&tests.text) {
        Ok(t) => t,
        Err(e) => {
            run.diagnostics.push(Diagnostic::new(
                codes::XW0420,
                Location::at(&tests.path, e.line() as u64, e.column() as u64),
                format!("unreadable test file: {e}"),
            ));
            return;
        }
    };
    let file_as_of = parsed.as_of.as_deref().unwrap_or(DEFAULT_AS_OF);
    let file_period = parsed.period.as_deref();
    let files: Vec<SourceFile> = libs.iter().chain([rule_file]).cloned().collect();
    let Some(compiled) = Compiled::new(&files, tests, (file_as_of, file_period), 1, run) else {
        return;
    };
    for case in parsed.cases {
        let wanted = filter.is_none_or(|f| {
            compiled.rule_id.contains(f) || tests.path.contains(f) || case.name.contains(f)
        });
        if !wanted {
            continue;
        }
        // A case with its own date or period gets a sandbox (and a compilation) of its own.
        let date = case.as_of.as_deref().unwrap_or(file_as_of);
        let period = case.period.as_deref().or(file_period);
        let own = if (date, period) != (file_as_of, file_period) {
            let line = line_of(&tests.text, &case.name);
            match Compiled::new(&files, tests, (date, period), line, run) {
                Some(c) => Some(c),
                None => continue,
            }
        } else {
            None
        };
        let use_ = own.as_ref().unwrap_or(&compiled);
        run.cases.push(run_case(use_, &tests.path, case));
    }
}

/// A rule compiled in a sandbox for one evaluation date (and period).
struct Compiled {
    sandbox: Sandbox,
    rules: RuleSet,
    rule_id: String,
}

impl Compiled {
    /// `files`: the libraries, then the rule file last.
    fn new(
        files: &[SourceFile],
        tests: &SourceFile,
        (as_of_text, period_text): (&str, Option<&str>),
        line: u64,
        run: &mut TestRun,
    ) -> Option<Self> {
        let Some(as_of) = crate::dates::parse_date(as_of_text) else {
            run.diagnostics.push(Diagnostic::new(
                codes::XW0420,
                Location::line(&tests.path, line),
                format!("as_of `{as_of_text}` is not a date"),
            ));
            return None;
        };
        let period = match period_text.map(crate::dates::Period::parse).transpose() {
            Ok(p) => p,
            Err(e) => {
                run.diagnostics.push(Diagnostic::new(
                    codes::XW0420,
                    Location::line(&tests.path, line),
                    format!("period: {e}"),
                ));
                return None;
            }
        };
        let sandbox = Sandbox::with_period(Limits::default(), as_of, period);
        let rules = RuleSet::compile(files, &sandbox);
        let rule_file = files.last()?;
        let rule_id = rules
            .rules
            .first()
            .map(|r| r.meta.id.to_string())
            .or_else(|| rules.broken.first().map(|b| b.id.to_string()))
            .unwrap_or_else(|| rule_file.path.clone());
        Some(Compiled {
            sandbox,
            rules,
            rule_id,
        })
    }
}

/// The line of a case's name in its test file, for diagnostics (1 when not found).
fn line_of(text: &str, name: &str) -> u64 {
    let quoted = serde_json::to_string(name).unwrap_or_default();
    text.lines()
        .position(|l| l.contains(&quoted))
        .map_or(1, |i| i as u64 + 1)
}

fn run_case(compiled: &Compiled, file: &str, case: Case) -> CaseResult {
    let start = Instant::now();
    let rule_id = compiled.rule_id.as_str();
    let texts: Vec<(String, String)> = case
        .facts
        .iter()
        .map(|(path, doc)| (path.clone(), doc.to_string()))
        .collect();
    let facts = Corpus::from_set(FactsSet::from_texts(&texts));
    let mut with_params = None;
    for (name, value) in &case.params {
        let rules = with_params.get_or_insert_with(|| compiled.rules.clone());
        let set = crate::rules::params::ParamValue::from_json(value)
            .ok_or_else(|| format!("parameter `{name}`: not a number, true/false or text"))
            .and_then(|v| rules.set_param(rule_id, name, v, "test case"));
        if let Err(why) = set {
            return CaseResult {
                rule: rule_id.to_string(),
                file: file.to_string(),
                case: case.name,
                expected: case.expect.outcome.to_string(),
                actual: "-".to_string(),
                passed: false,
                detail: format!("bad parameter: {why}"),
                duration: start.elapsed(),
            };
        }
    }
    let rules = with_params.as_ref().unwrap_or(&compiled.rules);
    let evaluation = eval::evaluate(rules, &compiled.sandbox, &facts, &|| {});
    let actual = evaluation
        .rule_outcomes()
        .get(rule_id)
        .copied()
        .unwrap_or(Outcome::NoEvidence);
    let expected = case.expect.outcome;
    let mut detail = String::new();
    if actual != expected {
        detail = format!("expected {expected}, got {actual}");
    } else if let Some(pattern) = &case.expect.message {
        match regex::Regex::new(pattern) {
            Ok(re) => {
                let hit = evaluation
                    .results
                    .iter()
                    .any(|r| r.outcome == actual && re.is_match(&r.message));
                if !hit {
                    detail = format!("no {actual} message matches /{pattern}/");
                }
            }
            Err(e) => detail = format!("bad message pattern: {e}"),
        }
    }
    if let (true, Some(wanted)) = (detail.is_empty(), &case.expect.evidence) {
        let mut got: Vec<&str> = evaluation
            .results
            .iter()
            .filter(|r| r.outcome == actual)
            .flat_map(|r| r.evidence.iter().map(String::as_str))
            .collect();
        got.sort_unstable();
        got.dedup();
        let mut wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
        wanted.sort_unstable();
        wanted.dedup();
        if got != wanted {
            detail = format!(
                "evidence differs: expected [{}], got [{}]",
                wanted.join(", "),
                got.join(", ")
            );
        }
    }
    if let (true, Some([total, exceptions])) = (detail.is_empty(), case.expect.population) {
        let got = evaluation
            .of_rule(rule_id)
            .filter_map(|r| r.population)
            .reduce(eval::Population::merged);
        match got {
            Some(p) if (p.total, p.exceptions) == (total, exceptions) => {}
            Some(p) => {
                detail = format!(
                    "population differs: expected {total} occurrences with {exceptions} exceptions, got {} with {}",
                    p.total, p.exceptions
                )
            }
            None => detail = "the rule counted no population".to_string(),
        }
    }
    if !detail.is_empty() {
        let messages: Vec<String> = evaluation
            .results
            .iter()
            .map(|r| {
                format!(
                    "{} {}: {}",
                    r.outcome,
                    r.file.as_deref().unwrap_or("-"),
                    r.message
                )
            })
            .chain(facts.diagnostics.iter().map(|d| d.to_string()))
            .collect();
        if !messages.is_empty() {
            detail.push_str(&format!(" [{}]", messages.join(" | ")));
        }
    }
    CaseResult {
        rule: rule_id.to_string(),
        file: file.to_string(),
        case: case.name,
        expected: expected.to_string(),
        actual: actual.to_string(),
        passed: detail.is_empty(),
        detail,
        duration: start.elapsed(),
    }
}
