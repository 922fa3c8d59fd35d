//! A self-contained HTML report: coverage, overlap, SoA, findings, readiness and evidence reuse.
//!
//! One file with inline CSS and inline SVG bar charts: no scripts, no fonts, no URLs, so it
//! opens offline and can be mailed to an auditor. The page is rendered by `minijinja` with HTML
//! auto-escaping on, so any text that comes from facts or rules (`<script>` in a justification,
//! say) stays text.

use crate::coverage::Status;
use crate::crosswalk::Overlap;
use crate::error::Error;
use crate::views::readiness::Readiness;
use crate::views::results::EvalReport;
use crate::views::soa::Soa;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;

/// The page template.
const TEMPLATE: &str = include_str!("html.jinja");

/// Width of a bar chart's plotting area, in SVG units.
const BAR_WIDTH: f64 = 560.0;

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
}

/// An input problem as the page lists it.
#[derive(Serialize)]
struct ProblemRow {
    code: &'static str,
    severity: String,
    place: String,
    message: String,
}

#[derive(Serialize)]
struct Segment {
    label: String,
    count: usize,
    x: String,
    width: String,
    class: &'static str,
}

#[derive(Serialize)]
struct Bar {
    name: String,
    total: usize,
    caption: String,
    segments: Vec<Segment>,
}

/// Segments of one stacked bar from (label, count, css class) parts.
fn bar(name: String, caption: String, parts: Vec<(String, usize, &'static str)>) -> Bar {
    let total: usize = parts.iter().map(|(_, n, _)| n).sum();
    let mut x = 0.0;
    let segments = parts
        .into_iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(label, count, class)| {
            let width = BAR_WIDTH * count as f64 / total.max(1) as f64;
            let s = Segment {
                label,
                count,
                x: format!("{x:.1}"),
                width: format!("{width:.1}"),
                class,
            };
            x += width;
            s
        })
        .collect();
    Bar {
        name,
        total,
        caption,
        segments,
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Satisfied => "satisfied",
        Status::Partial => "partial",
        Status::Failing => "failing",
        Status::Untested => "untested",
        Status::NotApplicable => "na",
    }
}

fn coverage_bars(report: &EvalReport<'_>) -> Vec<Bar> {
    report
        .coverage
        .frameworks
        .iter()
        .map(|fw| {
            let parts = Status::ALL
                .iter()
                .map(|s| (s.to_string(), fw.counts.get(*s), status_class(*s)))
                .collect();
            bar(
                fw.framework.to_string(),
                format!(
                    "{} requirements, {:.1}% satisfied, {:.1}% partial; test procedures: {} of {} passing, {} tested",
                    fw.counts.total,
                    fw.counts.percent(Status::Satisfied),
                    fw.counts.percent(Status::Partial),
                    fw.procedures.passing,
                    fw.procedures.total,
                    fw.procedures.tested
                ),
                parts,
            )
        })
        .collect()
}

fn overlap_bars(overlaps: &[Overlap]) -> Vec<Bar> {
    overlaps
        .iter()
        .flat_map(|o| o.sides.iter())
        .map(|side| {
            let c = &side.counts;
            bar(
                format!("{} covered by {}", side.framework, side.covered_by),
                format!(
                    "{:.1}% fully, {:.1}% partly, {:.1}% not covered ({} requirements)",
                    c.percent(c.full),
                    c.percent(c.partial),
                    c.percent(c.none),
                    c.total
                ),
                vec![
                    ("full".to_string(), c.full, "satisfied"),
                    ("partial".to_string(), c.partial, "partial"),
                    ("none".to_string(), c.none, "untested"),
                ],
            )
        })
        .collect()
}

#[derive(Serialize)]
struct SoaRow {
    control: String,
    title: String,
    applicable: &'static str,
    justification: String,
    declared: String,
    implementation: String,
    class: &'static str,
    serves: String,
    evidence: String,
    flags: String,
}

fn soa_rows(soa: &Soa) -> Vec<SoaRow> {
    soa.entries
        .iter()
        .map(|e| {
            let class = match e.implementation {
                crate::views::soa::Implementation::Implemented
                | crate::views::soa::Implementation::ImplementedViaLink => "satisfied",
                crate::views::soa::Implementation::Partial => "partial",
                crate::views::soa::Implementation::NotImplemented => "failing",
                crate::views::soa::Implementation::Untested => "untested",
                crate::views::soa::Implementation::Excluded => "na",
            };
            // Per framework, compact: `soc2-2017: CC6.1 CC6.3~` (`~` = partial support).
            let mut serves: Vec<String> = Vec::new();
            for s in &e.serves {
                let id = match s.support {
                    crate::crosswalk::Support::Full => s.id.clone(),
                    _ => format!("{}~", s.id),
                };
                match serves.last_mut() {
                    Some(last) if last.starts_with(&format!("{}:", s.framework)) => {
                        last.push(' ');
                        last.push_str(&id);
                    }
                    _ => serves.push(format!("{}: {id}", s.framework)),
                }
            }
            let evidence: Vec<String> = e
                .evidence
                .iter()
                .chain(e.soa_evidence.iter())
                .cloned()
                .collect();
            SoaRow {
                control: e.control.clone(),
                title: e.title.clone(),
                applicable: e.applicable_text(),
                justification: e.justification.clone(),
                declared: e
                    .declared
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                implementation: e.implementation.to_string(),
                class,
                serves: serves.join("; "),
                evidence: evidence.join(", "),
                flags: e.flags.iter().map(|c| c.id).collect::<Vec<_>>().join(" "),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct ReuseRow {
    file: String,
    kind: String,
    frameworks: usize,
    satisfies: usize,
    supports: usize,
    rules: String,
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
    let reuse: Vec<ReuseRow> = input
        .report
        .reuse
        .items
        .iter()
        .map(|i| ReuseRow {
            file: i.file.clone(),
            kind: i.kind.clone(),
            frameworks: i.framework_count(),
            satisfies: i.satisfied_count(),
            supports: i.supported_count(),
            rules: i.rules.join(", "),
        })
        .collect();
    let context = minijinja::context! {
        title => input.title,
        as_of => &input.report.as_of,
        bar_width => BAR_WIDTH,
        coverage => coverage_bars(input.report),
        overlaps => overlap_bars(input.overlaps),
        soa_summary => crate::report::soa::summary_text(input.soa),
        soa => soa_rows(input.soa),
        defects => &input.soa.defects,
        readiness => input.readiness,
        estimate => crate::report::readiness::estimate_text(&input.readiness.estimate),
        reuse_summary => &input.report.reuse.summary,
        reuse => reuse,
        problems => input.report.diagnostics.iter().map(|d| ProblemRow {
            code: d.code.id,
            severity: d.severity.to_string(),
            place: d.location.to_string(),
            message: d.message.clone(),
        }).collect::<Vec<_>>(),
    };
    template
        .render(context)
        .map_err(|e| Error::Usage(format!("HTML report: {e}")))
}
