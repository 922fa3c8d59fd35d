//! Rule test runs as JUnit XML (`xwalk test --format junit`) and as text.

use crate::ruletest::TestRun;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;

/// One test suite per rule, one test case per case.
pub fn render(run: &TestRun) -> String {
    let mut report = Report::new("xwalk rule tests");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for case in &run.cases {
        let suite = suites
            .entry(case.rule.as_str())
            .or_insert_with(|| TestSuite::new(strip_controls(&case.rule)));
        let status = if case.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(strip_controls(&case.detail));
            s
        };
        let mut tc = TestCase::new(strip_controls(&case.case), status);
        tc.set_classname(strip_controls(&format!("{}::{}", case.rule, case.file)));
        tc.set_time(case.duration);
        suite.add_test_case(tc);
    }
    report.add_test_suites(suites.into_values());
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- cannot serialise JUnit report: {e} -->\n"))
}

/// XML 1.0 cannot carry most control characters (nor U+FFFE, U+FFFF); drop them.
pub fn strip_controls(text: &str) -> String {
    text.chars()
        .filter(|c| {
            (!c.is_control() || matches!(c, '\n' | '\t')) && !matches!(c, '\u{fffe}' | '\u{ffff}')
        })
        .collect()
}

/// The test run as a test runner prints it: one line per case, then the totals.
pub fn render_text(run: &TestRun) -> String {
    let mut out = String::new();
    for c in &run.cases {
        let verdict = if c.passed { "ok" } else { "FAILED" };
        out.push_str(&format!("test {} :: {} ... {verdict}\n", c.rule, c.case));
        if !c.passed {
            out.push_str(&format!("    {}\n", c.detail));
        }
    }
    for d in &run.diagnostics {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str(&format!(
        "\n{} passed, {} failed\n",
        run.passed(),
        run.failed()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_xml() {
        assert_eq!(
            strip_controls("a\u{1}b\u{1b}[31mc\n\td\u{ffff}"),
            "ab[31mc\n\td"
        );
    }
}
