//! JUnit XML for CI dashboards: rule test runs (`xwalk test --format junit`) and
//! evaluations (`xwalk eval --format junit`: a suite per rule, a case per document). A
//! failure carries its first line as the message and the whole text as its body, so the
//! detail survives a viewer that shows only one of them. Only a pass is a success: a rule
//! with nothing to test, no evidence or a waived failure is skipped, saying why.

use crate::eval::Outcome;
use crate::ruletest::TestRun;
use crate::views::results::EvalReport;
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
            s.set_message(strip_controls(first_line(&case.detail)));
            s.set_description(strip_controls(&case.detail));
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

/// The first line of a text, for a message attribute (which viewers show on one line).
fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// An evaluation: one suite per rule, one case per document it ran on.
pub fn render_eval(report: &EvalReport<'_>) -> String {
    let mut junit = Report::new(format!("xwalk eval as of {}", report.as_of));
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for r in report.results {
        let suite = suites
            .entry(r.rule.as_str())
            .or_insert_with(|| TestSuite::new(strip_controls(r.rule.as_str())));
        let evidence = if r.evidence.is_empty() {
            String::new()
        } else {
            format!("\n\nevidence:\n{}", r.evidence.join("\n"))
        };
        let body = strip_controls(&format!("{}{evidence}", r.message));
        let status = match r.outcome {
            Outcome::Pass => TestCaseStatus::success(),
            Outcome::Fail | Outcome::Error => {
                let kind = if r.outcome == Outcome::Fail {
                    NonSuccessKind::Failure
                } else {
                    NonSuccessKind::Error
                };
                let mut s = TestCaseStatus::non_success(kind);
                let severity = r.severity.map(|s| s.to_string()).unwrap_or_default();
                s.set_message(strip_controls(first_line(&r.message)));
                s.set_type(if severity.is_empty() {
                    r.outcome.to_string()
                } else {
                    severity
                });
                s.set_description(body);
                s
            }
            Outcome::NotApplicable | Outcome::NoEvidence | Outcome::Waived => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "{}: {}",
                    r.outcome,
                    strip_controls(first_line(&r.message))
                ));
                s.set_description(body);
                s
            }
        };
        let name = r.file.as_deref().unwrap_or("(no facts)");
        let mut tc = TestCase::new(strip_controls(name), status);
        tc.set_classname(strip_controls(r.rule.as_str()));
        suite.add_test_case(tc);
    }
    junit.add_test_suites(suites.into_values());
    junit
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
