//! A self-contained HTML report for auditors: a summary and a table of contents at the top,
//! then coverage, overlap, readiness, graded findings, the Statement of Applicability, every
//! evidence file once, and the provenance of the run (xwalk version, digests of the rules,
//! facts and crosswalk), with print styles so it also reads on paper.
//!
//! One file with inline CSS and inline SVG bar charts: no scripts, no fonts, no URLs, so it
//! opens offline and can be mailed to an auditor. The page is rendered by `minijinja` with HTML
//! auto-escaping on, so any text that comes from facts or rules (`<script>` in a justification,
//! say) stays text.

mod bars;
mod tables;

use crate::catalog::Framework;
use crate::coverage::Status;
use crate::crosswalk::Overlap;
use crate::error::Error;
use crate::eval::Outcome;
use crate::report::counted_as;
use crate::views::provenance::Provenance;
use crate::views::readiness::Readiness;
use crate::views::results::EvalReport;
use crate::views::soa::Soa;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::sync::Arc;

/// The page template.
const TEMPLATE: &str = include_str!("page.jinja");

/// What the HTML report shows.
#[derive(Debug, Clone, Copy)]
pub struct HtmlInput<'a> {
    /// Page title.
    pub title: &'a str,
    /// The evaluation report: coverage, results, reuse.
    pub report: &'a EvalReport<'a>,
    /// Overlaps between pairs of frameworks.
    pub overlaps: &'a [Overlap],
    /// The Statement of Applicability.
    pub soa: &'a Soa,
    /// Certification readiness and graded findings.
    pub readiness: &'a Readiness,
    /// Every framework the crosswalk knows, for the names shown.
    pub frameworks: &'a [Framework],
    /// `(path, kind)` of every usable facts document.
    pub facts: &'a [(Arc<str>, Arc<str>)],
}

/// Framework ids to the names people know them by.
pub struct Labels<'a>(&'a [Framework]);

impl Labels<'_> {
    /// `ISO/IEC 27001:2022` for `iso27001-2022`; an unknown id as it is.
    pub fn of(&self, id: &str) -> String {
        self.0
            .iter()
            .find(|f| f.id.as_str() == id)
            .map_or_else(|| id.to_string(), |f| f.label.clone())
    }
}

/// An input problem as the page lists it.
#[derive(Serialize)]
struct ProblemRow {
    code: &'static str,
    severity: String,
    place: String,
    message: String,
}

/// One framework's line in the summary.
#[derive(Serialize)]
struct Headline {
    label: String,
    id: String,
    requirements: usize,
    counts: Vec<(String, usize, &'static str)>,
    satisfied_percent: String,
    procedures: String,
}

fn headlines(report: &EvalReport<'_>, labels: &Labels<'_>) -> Vec<Headline> {
    report
        .coverage
        .frameworks
        .iter()
        .map(|fw| Headline {
            label: labels.of(&fw.framework),
            id: fw.framework.to_string(),
            requirements: fw.counts.total,
            counts: Status::ALL
                .iter()
                .map(|s| (s.to_string(), fw.counts.get(*s), bars::status_class(*s)))
                .collect(),
            satisfied_percent: format!("{:.1}%", fw.counts.percent(Status::Satisfied)),
            procedures: format!(
                "{} of {} passing ({} tested)",
                fw.procedures.passing, fw.procedures.total, fw.procedures.tested
            ),
        })
        .collect()
}

/// The readiness estimate as rows, not preformatted text.
#[derive(Serialize)]
struct EstimateView {
    maturity: &'static str,
    score: String,
    months: String,
    phases: Vec<(&'static str, String)>,
    ahead: String,
    months_ahead: String,
    cost: String,
    surveillance: String,
    recertification: String,
    headline: String,
    moved: Vec<String>,
    notes: Vec<String>,
}

fn estimate(r: &Readiness) -> EstimateView {
    let e = &r.estimate;
    let months = |m: crate::views::readiness::Range| format!("{}-{} months", m.low, m.high);
    EstimateView {
        maturity: e.maturity.as_str(),
        score: format!("{:.2}", e.score),
        months: months(e.months),
        phases: e.phases.iter().map(|(p, m)| (*p, months(*m))).collect(),
        ahead: e.ahead.join(", "),
        months_ahead: months(e.months_ahead),
        cost: crate::report::readiness::usd(e.cost_usd),
        surveillance: crate::report::readiness::usd(e.surveillance_usd_per_year),
        recertification: crate::report::readiness::usd(e.recertification_usd),
        headline: e.headline.clone(),
        // Only the drivers that did something; the terminal and JSON list them all.
        moved: e
            .drivers
            .iter()
            .filter(|d| d.driver != "maturity" && (d.timeline != "none" || d.cost != "none"))
            .map(|d| {
                format!(
                    "{} = {} ({}): timeline {}; cost {}",
                    d.driver, d.value, d.from, d.timeline, d.cost
                )
            })
            .collect(),
        notes: e.notes.clone(),
    }
}

/// The provenance block: what the run read, identified by digest.
fn provenance_rows(p: &Provenance) -> Vec<(String, String)> {
    let mut rows = vec![
        ("xwalk version".to_string(), p.xwalk_version.to_string()),
        (
            "rule set".to_string(),
            format!(
                "{} ({}{}), SHA-256 {}",
                crate::report::counted(p.rules.count, "rule"),
                p.rules.origins.join(" + "),
                if p.rules.broken > 0 {
                    format!("; {} unusable", p.rules.broken)
                } else {
                    String::new()
                },
                p.rules.digest
            ),
        ),
        (
            "facts".to_string(),
            format!(
                "{}{}, SHA-256 {}",
                crate::report::counted(p.facts.documents, "document"),
                if p.facts.unusable > 0 {
                    format!(
                        " ({} left out)",
                        crate::report::counted(p.facts.unusable, "unusable file")
                    )
                } else {
                    String::new()
                },
                p.facts.digest
            ),
        ),
        (
            "crosswalk".to_string(),
            format!(
                "{}, {}, SHA-256 {}",
                crate::report::counted(p.crosswalk.frameworks, "framework"),
                crate::report::counted(p.crosswalk.links, "link"),
                p.crosswalk.digest
            ),
        ),
    ];
    for w in &p.waivers {
        rows.push((
            "waivers".to_string(),
            format!("{}, SHA-256 {}", w.file, w.sha256),
        ));
    }
    rows
}
/// Render the report as one HTML page.
pub fn render(input: &HtmlInput<'_>) -> Result<String, Error> {
    let mut env = Environment::new();
    // Escape everything, whatever the template is called.
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(|e| Error::Usage(format!("HTML template: {e}")))?;
    let template = env
        .get_template("report.html")
        .map_err(|e| Error::Usage(format!("HTML template: {e}")))?;
    let labels = Labels(input.frameworks);
    let report = input.report;
    let index = tables::EvidenceIndex::new(report, input.soa);
    let problems: Vec<ProblemRow> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| ProblemRow {
            code: d.code.id,
            severity: d.severity.to_string(),
            place: d.location.to_string(),
            message: d.message.clone(),
        })
        .collect();
    let outcomes: Vec<(String, usize)> = Outcome::ALL
        .iter()
        .map(|o| {
            (
                o.to_string(),
                report.summary.outcomes.get(o).copied().unwrap_or(0),
            )
        })
        .collect();
    let grades = &input.readiness.grades;
    let context = minijinja::context! {
        title => input.title,
        version => report.provenance.xwalk_version,
        as_of => &report.as_of,
        organisation => &input.readiness.organisation,
        frameworks => report.coverage.frameworks.iter().map(|f| labels.of(&f.framework)).collect::<Vec<_>>(),
        scope => report.coverage.scope.ids(),
        summary => &report.summary,
        outcomes => outcomes,
        findings_summary => format!(
            "{}, {}, {}",
            counted_as(grades.major, "major nonconformity", "major nonconformities"),
            counted_as(grades.minor, "minor nonconformity", "minor nonconformities"),
            counted_as(grades.ofi, "opportunity for improvement", "opportunities for improvement"),
        ),
        headlines => headlines(report, &labels),
        bar_width => bars::BAR_WIDTH,
        coverage => bars::coverage(report, &labels),
        overlaps => bars::overlaps(input.overlaps, &labels),
        soa_summary => crate::report::soa::summary_text(input.soa),
        soa => tables::soa(input.soa, &index, &labels),
        defects => &input.soa.defects,
        readiness => input.readiness,
        estimate => estimate(input.readiness),
        findings => tables::findings(input.readiness),
        reuse_summary => &report.reuse.summary,
        evidence => tables::evidence(report, input.soa, &index, input.facts),
        provenance => provenance_rows(&report.provenance),
        problems => problems,
    };
    template
        .render(context)
        .map_err(|e| Error::Usage(format!("HTML report: {e}")))
}
