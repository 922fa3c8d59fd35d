//! The `xwalk readiness` report: Stage 1, Stage 2, graded findings, common gaps, estimate.

use super::Table;
use crate::views::readiness::{Estimate, Range, Readiness};

/// Stage 1 documents with their status and the rules behind it.
pub fn stage1_table(r: &Readiness) -> Table {
    let mut t = Table::new(["document", "status", "facts", "rules"]);
    for i in &r.stage1.items {
        let rules: Vec<String> = i
            .rules
            .iter()
            .map(|o| format!("{} {}", o.rule, o.outcome))
            .collect();
        t.push([
            i.item.clone(),
            i.status.to_string(),
            i.kinds.join(" "),
            rules.join(", "),
        ]);
    }
    t
}

/// Findings, gravest grade first, each with the extent that decided its grade.
pub fn findings_table(r: &Readiness) -> Table {
    let mut t = Table::new(["grade", "extent", "rule", "title", "finding"]);
    for f in &r.findings {
        let extent = f.grading.extent_text();
        t.push([
            f.grade.to_string(),
            extent,
            f.rule.clone(),
            f.title.clone(),
            f.messages.join(" | "),
        ]);
    }
    t
}

/// The guide's common gaps with the rules that detect them.
pub fn gaps_table(r: &Readiness) -> Table {
    let mut t = Table::new(["common gap", "present", "detected by"]);
    for g in &r.common_gaps {
        let rules: Vec<String> = g
            .rules
            .iter()
            .map(|o| format!("{} {}", o.rule, o.outcome))
            .collect();
        t.push([
            g.name.to_string(),
            if g.present { "yes" } else { "no" }.to_string(),
            rules.join(", "),
        ]);
    }
    t
}

fn dollars(n: u32) -> String {
    format!("${}", super::table::thousands(n as usize))
}

pub(crate) fn usd(r: Range) -> String {
    format!("{}-{}", dollars(r.low), dollars(r.high))
}

/// The drivers of the estimate: each one's value, where it came from and what it moved.
pub fn drivers_table(e: &Estimate) -> Table {
    let mut t = Table::new([
        "driver",
        "value",
        "from",
        "effect on timeline",
        "effect on cost",
    ]);
    for d in &e.drivers {
        t.push([
            d.driver.to_string(),
            d.value.clone(),
            d.from.clone(),
            d.timeline.clone(),
            d.cost.clone(),
        ]);
    }
    t
}

/// The estimate block, labelled as an estimate.
pub fn estimate_text(e: &Estimate) -> String {
    let mut out = format!(
        "Estimate (indicative, from the guide's benchmarks; not a quote): {}\n  maturity {} (score {:.2})\n",
        e.headline,
        e.maturity.as_str(),
        e.score
    );
    out.push_str(&format!(
        "  timeline: {}-{} months from kickoff to Stage 2 completion\n",
        e.months.low, e.months.high
    ));
    for (phase, m) in &e.phases {
        out.push_str(&format!("    {phase}: {}-{} months\n", m.low, m.high));
    }
    out.push_str(&format!(
        "  still ahead: {} ({}-{} months; {}-{} from the measured state alone)\n",
        e.ahead.join(", "),
        e.months_ahead.low,
        e.months_ahead.high,
        e.base_months_ahead.low,
        e.base_months_ahead.high
    ));
    out.push_str(&format!(
        "  external cost to certification: {}; surveillance audits {} a year; recertification {}\n",
        usd(e.cost_usd),
        usd(e.surveillance_usd_per_year),
        usd(e.recertification_usd)
    ));
    out.push_str("\nWhat moved the estimate\n");
    // Whole cells: the reasons are the point of this table.
    out.push_str(&drivers_table(e).render(&super::table::TextView::FULL));
    for n in &e.notes {
        out.push_str(&format!("  note: {n}\n"));
    }
    out
}

/// The terminal report.
pub fn render_text(r: &Readiness) -> String {
    let mut out = format!("Certification readiness as of {}: {}\n", r.as_of, r.verdict);
    out.push_str(&format!(
        "\nStage 1 (documentation review): {} of {} documents ready\n",
        r.stage1.ready,
        r.stage1.items.len()
    ));
    out.push_str(&stage1_table(r).render_text());
    let s = &r.stage2;
    out.push_str(&format!(
        "\nStage 2 (controls operating, with evidence): {} of {} applicable Annex A controls implemented and tested ({:.1}%); {} more only partly evidenced; {} untested; procedures: {} of {} tested pass ({:.1}%), {} of {} tested\n",
        s.implemented_and_tested,
        s.applicable_controls,
        s.implemented_percent,
        s.tested - s.decided,
        s.untested,
        s.procedures_passing,
        s.procedures_tested,
        s.pass_rate_percent,
        s.procedures_tested,
        s.procedures
    ));
    out.push_str(&format!(
        "  controls with passing rule results ({}): {}\n",
        s.passing_controls.len(),
        s.passing_controls.join(" ")
    ));
    out.push_str(&format!(
        "  controls with failing rule results ({}): {}\n",
        s.failing_controls.len(),
        s.failing_controls.join(" ")
    ));
    out.push_str(&format!(
        "\nFindings: {}, {}, {}\n",
        super::counted_as(
            r.grades.major,
            "major nonconformity",
            "major nonconformities"
        ),
        super::counted_as(
            r.grades.minor,
            "minor nonconformity",
            "minor nonconformities"
        ),
        super::counted_as(
            r.grades.ofi,
            "opportunity for improvement",
            "opportunities for improvement"
        )
    ));
    if !r.findings.is_empty() {
        out.push_str(&findings_table(r).render_text());
    }
    if !r.accepted_exceptions.is_empty() {
        out.push_str("\nAccepted exceptions (waived failures: not counted as findings, not passes; the auditor will ask for each risk acceptance)\n");
        let mut t = Table::new(["rule", "severity", "file", "risk", "approved by", "expires"]);
        for e in &r.accepted_exceptions {
            t.push([
                e.rule.clone(),
                e.severity.map(|s| s.to_string()).unwrap_or_default(),
                e.file.clone().unwrap_or_default(),
                e.risk.clone(),
                e.approved_by.clone(),
                e.expires_on.clone(),
            ]);
        }
        out.push_str(&t.render_text());
    }
    let present: Vec<&str> = r
        .common_gaps
        .iter()
        .filter(|g| g.present)
        .map(|g| g.name)
        .collect();
    out.push_str(&format!(
        "\nCommon gaps (from the guide) present: {}\n",
        if present.is_empty() {
            "none".to_string()
        } else {
            present.join(", ")
        }
    ));
    out.push_str(&gaps_table(r).render_text());
    out.push('\n');
    out.push_str(&estimate_text(&r.estimate));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_have_thousands_separators() {
        assert_eq!(dollars(40_000), "$40,000");
        assert_eq!(dollars(120_000), "$120,000");
        assert_eq!(dollars(999), "$999");
    }
}
