//! Where rule commands read rules from: a directory, or the built-in library.

use std::path::PathBuf;
use xwalk::diag::{Diagnostic, Location};
use xwalk::source::SourceFile;

/// Rule files, test files, and diagnostics for files that could not be read.
pub struct RuleSources {
    pub rules: Vec<SourceFile>,
    pub tests: Vec<SourceFile>,
    pub unreadable: Vec<Diagnostic>,
}

/// Read a rules directory, or the built-in library when `dir` is `None`.
pub fn read(dir: Option<&PathBuf>) -> Result<RuleSources, xwalk::Error> {
    let Some(dir) = dir else {
        return Ok(RuleSources {
            rules: xwalk::builtin::rule_files(),
            tests: xwalk::builtin::rule_test_files(),
            unreadable: Vec::new(),
        });
    };
    if !dir.is_dir() {
        return Err(xwalk::Error::Usage(format!(
            "{} is not a directory of rules",
            dir.display()
        )));
    }
    let (rules, bad_rules) = xwalk::rules::read_dir(dir)?;
    let (tests, bad_tests) = xwalk::rules::read_test_files(dir)?;
    let unreadable = bad_rules
        .into_iter()
        .chain(bad_tests)
        .map(|(path, e)| {
            Diagnostic::error(
                "XW0409",
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
