//! The stacked bar charts of the page, as inline SVG geometry.

use super::Labels;
use crate::coverage::Status;
use crate::crosswalk::Overlap;
use crate::views::results::EvalReport;
use serde::Serialize;

/// Width of a bar chart's plotting area, in SVG units.
pub const BAR_WIDTH: f64 = 560.0;

/// One coloured part of a bar.
#[derive(Serialize)]
pub struct Segment {
    label: String,
    count: usize,
    x: String,
    width: String,
    class: &'static str,
}

/// One bar: a name, a caption with the figures, its segments.
#[derive(Serialize)]
pub struct Bar {
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

/// The CSS class of a coverage status.
pub fn status_class(status: Status) -> &'static str {
    match status {
        Status::Satisfied => "satisfied",
        Status::Partial => "partial",
        Status::Failing => "failing",
        Status::Untested => "untested",
        Status::NotApplicable => "na",
    }
}

/// A bar per reported framework: its requirements by status.
pub fn coverage(report: &EvalReport<'_>, labels: &Labels<'_>) -> Vec<Bar> {
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
                labels.of(&fw.framework),
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

/// Two bars per pair of frameworks: how much of each the other covers through links.
pub fn overlaps(overlaps: &[Overlap], labels: &Labels<'_>) -> Vec<Bar> {
    overlaps
        .iter()
        .flat_map(|o| o.sides.iter())
        .map(|side| {
            let c = &side.counts;
            bar(
                format!(
                    "{} covered by {}",
                    labels.of(&side.framework),
                    labels.of(&side.covered_by)
                ),
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
