//! The `xwalk programme` report: the certification cycle, audit by audit, with auditor-days
//! and the SOC 2 periods beside it; CSV with one row per audit and clause or control.

use super::Table;
use crate::views::programme::{Audit, Item, Programme, Reason};

fn days(d: Option<f64>) -> String {
    match d {
        Some(d) if d.fract() == 0.0 => format!("{d:.0}"),
        Some(d) => format!("{d:.1}"),
        None => "-".to_string(),
    }
}

fn count(items: &[Item], reason: Reason) -> usize {
    items.iter().filter(|i| i.has(reason)).count()
}

/// One row per audit: date, auditor-days and what it covers.
pub fn audits_table(p: &Programme) -> Table {
    let mut t = Table::new([
        "audit",
        "year",
        "date",
        "auditor-days",
        "clauses",
        "controls",
        "prior findings",
        "follow-ups",
        "changed",
    ]);
    for a in &p.audits {
        let both = |r: Reason| count(&a.clauses, r) + count(&a.controls, r);
        t.push([
            a.name.to_string(),
            a.year.to_string(),
            a.date.to_string(),
            days(a.auditor_days),
            a.clauses.len().to_string(),
            a.controls.len().to_string(),
            both(Reason::PriorFinding).to_string(),
            both(Reason::FollowUp).to_string(),
            both(Reason::Changed).to_string(),
        ]);
    }
    t
}

/// An item's id with its marks: `!` prior finding or follow-up, `*` changed.
fn marked(i: &Item) -> String {
    let mut s = i.id.clone();
    if i.has(Reason::PriorFinding) || i.has(Reason::FollowUp) {
        s.push('!');
    }
    if i.has(Reason::Changed) {
        s.push('*');
    }
    s
}

fn audit_lines(a: &Audit) -> String {
    let ids = |items: &[Item]| items.iter().map(marked).collect::<Vec<_>>().join(" ");
    let mut out = format!("\n{} ({}, year {})\n", a.name, a.date, a.year);
    out.push_str(&format!(
        "  clauses ({}): {}\n",
        a.clauses.len(),
        ids(&a.clauses)
    ));
    if !a.controls.is_empty() {
        out.push_str(&format!(
            "  controls ({}): {}\n",
            a.controls.len(),
            ids(&a.controls)
        ));
    }
    for i in a.clauses.iter().chain(&a.controls) {
        for w in i.why.iter().filter(|w| {
            matches!(
                w.reason,
                Reason::PriorFinding | Reason::FollowUp | Reason::Changed
            )
        }) {
            out.push_str(&format!(
                "    {} {}: {}\n",
                i.id,
                w.reason.as_str(),
                w.detail
            ));
        }
    }
    out
}

/// The SOC 2 Type II periods.
pub fn soc2_table(p: &Programme) -> Table {
    let mut t = Table::new(["SOC 2 period", "year", "from", "to", "basis"]);
    for (n, s) in p.soc2_periods.iter().enumerate() {
        t.push([
            format!("Type II period {}", n + 1),
            s.year.to_string(),
            s.from.to_string(),
            s.to.to_string(),
            s.basis.clone(),
        ]);
    }
    t
}

/// The terminal report.
pub fn render_text(p: &Programme) -> String {
    let mut out = format!(
        "Certification programme{} as of {}: Stage 1 on {} ({})\n",
        p.organisation
            .as_deref()
            .map(|o| format!(" for {o}"))
            .unwrap_or_default(),
        p.as_of,
        p.start,
        p.start_basis
    );
    out.push_str(&format!(
        "{} applicable Annex A controls: all in Stage 2 and recertification, split between the two surveillance audits; clauses {} in every audit\n\n",
        p.applicable_controls.len(),
        crate::views::programme::EVERY_AUDIT.join(" ")
    ));
    out.push_str(&audits_table(p).render_text());
    out.push_str("(! prior finding or its follow-up, * changed since last audit)\n");
    for a in &p.audits {
        out.push_str(&audit_lines(a));
    }
    let d = &p.auditor_days;
    out.push_str("\nAuditor-days (estimate; a certification body adjusts them): ");
    match (d.headcount, d.row) {
        (Some(n), Some(row)) => out.push_str(&format!(
            "headcount {n} ({}) -> row {}-{} persons: {} days for Stage 1 + Stage 2 (Stage 1 {}, Stage 2 {}); surveillance {} each; recertification {}\n",
            d.headcount_from.as_deref().unwrap_or(""),
            row.min_persons,
            row.max_persons,
            days(d.initial),
            days(d.stage1),
            days(d.stage2),
            days(d.surveillance),
            days(d.recertification)
        )),
        _ => out.push_str("no headcount known\n"),
    }
    out.push_str(&format!("  source: {}\n", d.source));
    out.push_str("\nSOC 2 Type II observation periods beside the cycle\n");
    out.push_str(&soc2_table(p).render_text());
    if !p.changes.is_empty() {
        out.push_str(&format!(
            "\nISMS changes (since the last internal audit{}: marked yes)\n",
            p.last_internal_audit
                .as_deref()
                .map(|d| format!(" on {d}"))
                .unwrap_or_default()
        ));
        let mut t = Table::new(["change", "date", "since last audit", "controls", "what"]);
        for c in &p.changes {
            t.push([
                c.id.clone(),
                c.date.clone(),
                if c.since_last_audit { "yes" } else { "no" }.to_string(),
                c.controls.join(" "),
                c.description.clone(),
            ]);
        }
        out.push_str(&t.render_text());
    }
    for n in &p.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// One row per audit and clause or control, for a spreadsheet.
pub fn csv_table(p: &Programme) -> Table {
    let mut t = Table::new([
        "audit", "year", "date", "type", "id", "title", "reasons", "detail",
    ]);
    for a in &p.audits {
        for (kind, items) in [("clause", &a.clauses), ("control", &a.controls)] {
            for i in items {
                let reasons: Vec<&str> = i.why.iter().map(|w| w.reason.as_str()).collect();
                let detail: Vec<&str> = i
                    .why
                    .iter()
                    .map(|w| w.detail.as_str())
                    .filter(|d| !d.is_empty())
                    .collect();
                t.push([
                    a.id.to_string(),
                    a.year.to_string(),
                    a.date.to_string(),
                    kind.to_string(),
                    i.id.clone(),
                    i.title.clone(),
                    reasons.join("; "),
                    detail.join("; "),
                ]);
            }
        }
    }
    t
}
