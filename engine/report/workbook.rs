//! An evaluation as one Excel workbook: a summary, then every result, the findings one
//! evidence pointer per row (so a pivot table can count them by rule, file or severity),
//! coverage per requirement, every test procedure with its status, the evidence reuse, the
//! Statement of Applicability, the evidence request plan and the input problems.

use super::csv::IdForm;
use super::table::Table;
use super::xlsx::{workbook, Sheet};
use crate::error::Error;
use crate::eval::Outcome;
use crate::ids::FrameworkId;
use crate::views::evidence::EvidenceList;
use crate::views::plan::Plan;
use crate::views::results::EvalReport;
use crate::views::soa::Soa;

/// The names of the sheets, in order.
pub const SHEETS: [&str; 9] = [
    "Summary",
    "Results",
    "Findings",
    "Coverage",
    "Procedures",
    "Evidence",
    "SoA",
    "Plan",
    "Diagnostics",
];

/// What the workbook holds beyond the evaluation itself.
pub struct Views<'a> {
    /// The Statement of Applicability and the other frameworks it shows.
    pub soa: (&'a Soa, &'a [FrameworkId]),
    /// The evidence request plan.
    pub plan: &'a Plan,
    /// Every test procedure, automated or requested.
    pub procedures: &'a EvidenceList,
}

/// The run in figures, a row each.
fn summary(report: &EvalReport<'_>) -> Table {
    let mut t = Table::new(["item", "value"]);
    let s = &report.summary;
    t.push(["xwalk version", env!("CARGO_PKG_VERSION")]);
    t.push(["evaluated as of", report.as_of.as_str()]);
    t.push(["rules".to_string(), s.rules.to_string()]);
    t.push(["facts documents".to_string(), s.facts_documents.to_string()]);
    t.push(["results".to_string(), s.results.to_string()]);
    for o in Outcome::ALL {
        let n = s.outcomes.get(&o).copied().unwrap_or(0);
        t.push([format!("results {o}"), n.to_string()]);
    }
    for f in &report.coverage.frameworks {
        t.push([
            format!("{} satisfied %", f.framework),
            format!("{:.1}", f.satisfied_percent),
        ]);
        t.push([
            format!("{} procedures passing / tested / all", f.framework),
            format!(
                "{} / {} / {}",
                f.procedures.passing, f.procedures.tested, f.procedures.total
            ),
        ]);
    }
    t
}

/// Failing, erroring and waived results, one row per evidence pointer.
fn findings(report: &EvalReport<'_>) -> Table {
    let mut t = Table::new(["rule", "severity", "outcome", "file", "evidence", "message"]);
    for r in report.results {
        if !matches!(r.outcome, Outcome::Fail | Outcome::Error | Outcome::Waived) {
            continue;
        }
        let pointers: Vec<&str> = if r.evidence.is_empty() {
            vec![""]
        } else {
            r.evidence.iter().map(String::as_str).collect()
        };
        for p in pointers {
            t.push([
                r.rule.to_string(),
                r.severity.map(|s| s.to_string()).unwrap_or_default(),
                r.outcome.to_string(),
                r.file.as_deref().unwrap_or_default().to_string(),
                p.to_string(),
                r.message.clone(),
            ]);
        }
    }
    t
}

/// The evaluation's workbook.
pub fn eval(report: &EvalReport<'_>, views: &Views<'_>) -> Result<Vec<u8>, Error> {
    let tables = [
        summary(report),
        super::eval::results_table(report, false),
        findings(report),
        super::eval::coverage_detail_table(report, IdForm::Bare),
        super::plan::evidence_table(&views.procedures.procedures, IdForm::Bare),
        super::eval::evidence_table(report, usize::MAX, true),
        super::soa::csv_table(views.soa.0, views.soa.1, IdForm::Bare),
        super::plan::csv_table(views.plan, IdForm::Bare),
        super::eval::diagnostics_table(&report.diagnostics),
    ];
    let sheets: Vec<Sheet<'_>> = SHEETS
        .iter()
        .zip(&tables)
        .map(|(name, table)| Sheet { name, table })
        .collect();
    let day = crate::dates::parse_date(&report.as_of)
        .ok_or_else(|| Error::Usage(format!("evaluation date `{}` is not a date", report.as_of)))?;
    workbook(&sheets, day)
}
