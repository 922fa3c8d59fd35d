//! What rule authors use besides evaluation: reading a rules directory with its test
//! files, checking rules without running them, and writing a new rule's skeleton.

pub mod scaffold;

use crate::crosswalk::Crosswalk;
use crate::diag::codes;
use crate::diag::{self, Diagnostic, Location};
use crate::error::Error;
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
            rules: crate::builtin::rule_files(),
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

/// Every problem `xwalk check` reports: compile errors, bad metadata, unknown
/// requirements, rules without test cases. Sorted by file and line.
pub fn check(sources: &RuleSources, crosswalk: &Crosswalk) -> Vec<Diagnostic> {
    let sandbox = Sandbox::new(Limits::default(), jiff::Zoned::now().date());
    let set = RuleSet::compile(&sources.rules, &sandbox);
    let mut diags = set.diagnostics.clone();
    diags.extend(sources.unreadable.iter().cloned());
    diags.extend(set.check_requirements(crosswalk));
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

/// Run the test cases of the sources (only the rules whose id contains `filter`).
pub fn test(sources: &RuleSources, filter: Option<&str>) -> ruletest::TestRun {
    let mut run = ruletest::run(&sources.rules, &sources.tests, filter);
    run.diagnostics.extend(sources.unreadable.iter().cloned());
    run
}
