//! Grading a finding by its extent: how many of the occurrences a rule tested were exceptions.
//!
//! ISO 17021-1 separates a *major* nonconformity (a requirement not met at all, or a
//! breakdown of the control) from a *minor* one (an isolated lapse that does not put the
//! requirement in doubt), and an auditor adds *opportunities for improvement*. A rule's
//! severity is the ceiling: the worst grade its failure can earn. The extent decides within it:
//!
//! | extent | when | grade |
//! |---|---|---|
//! | breakdown | every occurrence tested was an exception | major |
//! | systemic | more than one exception and more than [`ISOLATED_RATE`] of the occurrences | major |
//! | isolated | one exception, or at most [`ISOLATED_RATE`] of the occurrences | minor |
//! | not counted | the rule did not count occurrences (a document check, a design check) | the severity |
//!
//! An `ofi` rule is always an opportunity for improvement. A grade never exceeds the rule's
//! severity: a systemic failure of a `minor` rule stays minor, and the reason says so.

use super::{Outcome, Population, RuleResult};
use crate::rules::RuleSeverity;
use serde::Serialize;

/// The largest share of exceptions that still reads as an isolated lapse.
pub const ISOLATED_RATE: f64 = 0.10;

/// How far a failure reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extent {
    /// One exception, or a small share of the occurrences.
    Isolated,
    /// Several exceptions, a large share of the occurrences.
    Systemic,
    /// Every occurrence was an exception: the control is not operating.
    Breakdown,
    /// The rule did not count occurrences.
    NotCounted,
}

impl Extent {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Extent::Isolated => "isolated",
            Extent::Systemic => "systemic",
            Extent::Breakdown => "breakdown",
            Extent::NotCounted => "not counted",
        }
    }
}

/// A graded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grading {
    /// The grade, on the severity scale (major, minor, ofi).
    pub grade: RuleSeverity,
    /// How far the failure reaches.
    pub extent: Extent,
    /// Occurrences tested and exceptions, summed over the rule's results, when counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    /// Why this grade, in a sentence.
    pub reason: String,
}

impl Grading {
    /// The extent as a table cell: `isolated (1 of 4)`, or `not counted`.
    pub fn extent_text(&self) -> String {
        match self.population {
            Some(p) if self.extent != Extent::NotCounted => {
                format!("{} ({} of {})", self.extent.as_str(), p.exceptions, p.total)
            }
            _ => self.extent.as_str().to_string(),
        }
    }
}

fn percent(p: Population) -> String {
    format!("{:.0}%", p.rate() * 100.0)
}

/// Grade a failure of a rule of `severity` that found `population` (`None`: not counted).
pub fn grade(severity: RuleSeverity, population: Option<Population>) -> Grading {
    let counted = population.filter(|p| p.exceptions > 0);
    let (extent, by_extent, why) = match counted {
        None => (
            Extent::NotCounted,
            severity,
            "the rule does not count occurrences, so its severity decides".to_string(),
        ),
        Some(p) if p.exceptions == p.total => (
            Extent::Breakdown,
            RuleSeverity::Major,
            format!(
                "every one of the {} occurrences tested was an exception: the control is not operating",
                p.total
            ),
        ),
        Some(p) if p.exceptions > 1 && p.rate() > ISOLATED_RATE => (
            Extent::Systemic,
            RuleSeverity::Major,
            format!(
                "{} of {} occurrences were exceptions ({}): more than an isolated lapse",
                p.exceptions,
                p.total,
                percent(p)
            ),
        ),
        Some(p) => (
            Extent::Isolated,
            RuleSeverity::Minor,
            format!(
                "{} of {} occurrences {} an exception ({}): an isolated lapse",
                p.exceptions,
                p.total,
                if p.exceptions == 1 { "was" } else { "were" },
                percent(p)
            ),
        ),
    };
    // RuleSeverity orders major < minor < ofi: the larger is the milder grade.
    let grade = by_extent.max(severity);
    let reason = if severity == RuleSeverity::Ofi {
        format!("{why}; the rule marks an improvement, so it is an opportunity for improvement")
    } else if grade != by_extent {
        format!(
            "{why}; the rule's severity caps it at {}",
            severity.finding()
        )
    } else {
        why
    };
    Grading {
        grade,
        extent,
        population,
        reason,
    }
}

/// Grade a rule's failure from all of its results: the occurrences of every result that
/// counted them, summed. When a failing result did not count, or a document could not be
/// evaluated (`error`), the failure is not counted and the severity decides.
pub fn grade_rule<'a>(
    severity: RuleSeverity,
    results: impl IntoIterator<Item = &'a RuleResult>,
) -> Grading {
    let mut sum: Option<Population> = None;
    let mut uncounted_failure = false;
    for r in results {
        match r.population {
            Some(p) => sum = Some(sum.map_or(p, |s| s.merged(p))),
            // A document the rule could not evaluate hides occurrences nobody tested, so the
            // extent is unknown as for an uncounted failure.
            None if matches!(r.outcome, Outcome::Fail | Outcome::Error) => uncounted_failure = true,
            None => {}
        }
    }
    let mut g = grade(severity, if uncounted_failure { None } else { sum });
    if uncounted_failure {
        g.population = sum;
        if sum.is_some() {
            g.reason =
                "a failing or unevaluated result did not count its occurrences, so the rule's severity decides"
                    .to_string();
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(total: u64, exceptions: u64) -> Option<Population> {
        Some(Population { total, exceptions })
    }

    #[test]
    fn extent_decides_within_the_severity_ceiling() {
        let g = grade(RuleSeverity::Major, p(4, 1));
        assert_eq!((g.grade, g.extent), (RuleSeverity::Minor, Extent::Isolated));
        assert!(
            g.reason
                .contains("1 of 4 occurrences was an exception (25%)"),
            "{}",
            g.reason
        );
        let g = grade(RuleSeverity::Major, p(40, 3));
        assert_eq!((g.grade, g.extent), (RuleSeverity::Minor, Extent::Isolated));
        let g = grade(RuleSeverity::Major, p(12, 3));
        assert_eq!((g.grade, g.extent), (RuleSeverity::Major, Extent::Systemic));
        let g = grade(RuleSeverity::Major, p(2, 2));
        assert_eq!(
            (g.grade, g.extent),
            (RuleSeverity::Major, Extent::Breakdown)
        );
        let g = grade(RuleSeverity::Minor, p(2, 2));
        assert_eq!(g.grade, RuleSeverity::Minor);
        assert!(
            g.reason.contains("caps it at minor nonconformity"),
            "{}",
            g.reason
        );
        let g = grade(RuleSeverity::Ofi, p(2, 2));
        assert_eq!(g.grade, RuleSeverity::Ofi);
    }

    #[test]
    fn an_unevaluated_document_keeps_the_severity() {
        let row = |outcome, population| RuleResult {
            rule: "r".into(),
            severity: Some(RuleSeverity::Major),
            file: None,
            outcome,
            message: String::new(),
            evidence: Vec::new(),
            output: Vec::new(),
            collected_on: None,
            waiver: None,
            population,
        };
        let rows = [row(Outcome::Fail, p(40, 1)), row(Outcome::Error, None)];
        let g = grade_rule(RuleSeverity::Major, &rows);
        assert_eq!(
            (g.grade, g.extent),
            (RuleSeverity::Major, Extent::NotCounted)
        );
        let rows = [row(Outcome::Fail, p(40, 1)), row(Outcome::Pass, p(10, 0))];
        let g = grade_rule(RuleSeverity::Major, &rows);
        assert_eq!((g.grade, g.extent), (RuleSeverity::Minor, Extent::Isolated));
    }

    #[test]
    fn an_uncounted_failure_keeps_the_severity() {
        let g = grade(RuleSeverity::Major, None);
        assert_eq!(
            (g.grade, g.extent),
            (RuleSeverity::Major, Extent::NotCounted)
        );
        // A failure with no exceptions counted failed for another reason.
        let g = grade(RuleSeverity::Minor, p(5, 0));
        assert_eq!(
            (g.grade, g.extent),
            (RuleSeverity::Minor, Extent::NotCounted)
        );
    }
}
