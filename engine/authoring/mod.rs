//! What rule authors use besides evaluation: reading a rules directory with its test
//! files, checking rules without running them, and writing a new rule's skeleton.

pub mod listing;
pub mod scaffold;

use crate::catalog::closest;
use crate::crosswalk::Crosswalk;
use crate::diag::{self, codes, Diagnostic, Location};
use crate::error::Error;
use crate::facts::schema::SchemaSet;
use crate::rules::RuleSet;
use crate::ruletest;
use crate::sandbox::{Limits, Sandbox};
use crate::source::SourceFile;
use std::path::Path;

/// Rule files, test files, and diagnostics for files that could not be read.
#[derive(Debug, Clone, Default)]
pub struct RuleSources {
    /// `.rhai` files.
    pub rules: Vec<SourceFile>,
    /// `.tests.json` files.
    pub tests: Vec<SourceFile>,
    /// One `XW0409` per file that could not be read.
    pub unreadable: Vec<Diagnostic>,
}

impl RuleSources {
    /// The built-in rule library with its test cases.
    pub fn builtin() -> Self {
        RuleSources {
            rules: crate::builtin::rule_files()
                .into_iter()
                .chain(crate::builtin::library_files())
                .collect(),
            tests: crate::builtin::rule_test_files(),
            unreadable: Vec::new(),
        }
    }

    /// A rules directory, or the built-in library when `dir` is `None`.
    pub fn read(dir: Option<&Path>) -> Result<Self, Error> {
        let Some(dir) = dir else {
            return Ok(RuleSources::builtin());
        };
        if !dir.is_dir() {
            return Err(Error::Usage(format!(
                "{} is not a directory of rules",
                dir.display()
            )));
        }
        let (rules, bad_rules) = crate::rules::read_dir(dir)?;
        let (tests, bad_tests) = crate::rules::read_test_files(dir)?;
        let unreadable = bad_rules
            .into_iter()
            .chain(bad_tests)
            .map(|(path, e)| {
                Diagnostic::new(
                    codes::XW0409,
                    Location::line(&path, 0),
                    format!("cannot read: {e}"),
                )
            })
            .collect();
        Ok(RuleSources {
            rules,
            tests,
            unreadable,
        })
    }
}

impl RuleSources {
    /// How many rule files there are (libraries, `lib/NAME.rhai`, are not rules).
    pub fn rule_count(&self) -> usize {
        self.rules
            .iter()
            .filter(|f| crate::rules::library::library_name(&f.path).is_none())
            .count()
    }

    /// Several rules directories (`--rules` repeated), or the built-in library when none is
    /// given. Paths keep their directory in front, so each test file pairs with the rule
    /// beside it.
    pub fn read_dirs(dirs: &[std::path::PathBuf]) -> Result<Self, Error> {
        if dirs.is_empty() {
            return Ok(RuleSources::builtin());
        }
        let mut all = RuleSources::default();
        for dir in dirs {
            let one = RuleSources::read(Some(dir))?;
            all.rules.extend(one.rules);
            all.tests.extend(one.tests);
            all.unreadable.extend(one.unreadable);
        }
        Ok(all)
    }
}

/// Every problem `xwalk check` reports: compile errors, bad metadata, unknown
/// requirements, rules without test cases. Sorted by file and line.
pub fn check(sources: &RuleSources, crosswalk: &Crosswalk) -> Vec<Diagnostic> {
    let sandbox = Sandbox::new(Limits::default(), jiff::Zoned::now().date());
    let set = RuleSet::compile(&sources.rules, &sandbox);
    let mut diags = set.diagnostics.clone();
    diags.extend(sources.unreadable.iter().cloned());
    diags.extend(set.check_requirements(crosswalk));
    diags.extend(kind_problems(&set, &sources.rules));
    for rule in &sources.rules {
        let tests = ruletest::tests_path_for(&rule.path);
        let compiled = set.rules.iter().any(|r| r.path == rule.path);
        if compiled && !sources.tests.iter().any(|t| t.path == tests) {
            diags.push(Diagnostic::new(
                codes::XW0412,
                Location::line(&rule.path, 1),
                format!("rule has no test cases; add {tests}"),
            ));
        }
    }
    diag::sort(&mut diags);
    diags
}

/// Kinds a rule names that the vocabulary does not know (a warning: custom kinds are
/// allowed), and kinds its script reads without declaring them (an error).
fn kind_problems(set: &RuleSet, files: &[SourceFile]) -> Vec<Diagnostic> {
    let vocabulary = SchemaSet::builtin_kinds();
    let mut out = Vec::new();
    for rule in &set.rules {
        for kind in rule.meta.readable_kinds() {
            if vocabulary.iter().any(|k| k == kind) {
                continue;
            }
            let hint = closest(kind, vocabulary.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            out.push(
                Diagnostic::new(
                    codes::XW0414,
                    rule.field_location("facts"),
                    format!("facts kind `{kind}` is not in the vocabulary{hint}; fine for a custom kind"),
                )
                .with_subject(&rule.meta.id),
            );
        }
        let Some(file) = files.iter().find(|f| f.path == rule.path) else {
            continue;
        };
        for (line, column, kind) in static_reads(&file.text) {
            if !rule.meta.may_read(&kind) {
                out.push(
                    Diagnostic::new(
                        codes::XW0415,
                        Location::at(&rule.path, line, column),
                        format!("reads facts of kind `{kind}`, which the `facts:` line does not declare; add `{kind}` or `{kind}?`"),
                    )
                    .with_subject(&rule.meta.id),
                );
            }
        }
    }
    out
}

/// `facts.items("kind")` and its siblings with a literal kind: (line, column, kind).
fn static_reads(text: &str) -> Vec<(u64, u64, String)> {
    const CALLS: [&str; 5] = ["items", "docs", "count", "index", "group"];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for call in CALLS {
            let needle = format!("facts.{call}(\"");
            let mut from = 0;
            while let Some(at) = code.get(from..).and_then(|rest| rest.find(&needle)) {
                let start = from + at + needle.len();
                let kind: String = code
                    .get(start..)
                    .unwrap_or_default()
                    .chars()
                    .take_while(|c| *c != '"')
                    .collect();
                out.push((i as u64 + 1, (from + at) as u64 + 1, kind));
                from = start;
            }
        }
    }
    out
}

/// Run the test cases of the sources (only the rules whose id contains `filter`).
pub fn test(sources: &RuleSources, filter: Option<&str>) -> ruletest::TestRun {
    let mut run = ruletest::run(&sources.rules, &sources.tests, filter);
    run.diagnostics.extend(sources.unreadable.iter().cloned());
    run
}
