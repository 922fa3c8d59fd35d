//! The `xwalk eval` report: results, coverage per framework, evidence reuse.

use super::csv::IdForm;
use super::table::TextView;
use super::Table;
use crate::coverage::{Status, Trace};
use crate::eval::Outcome;
use crate::views::results::EvalReport;
use std::collections::BTreeMap;

/// Coverage per framework: counts and satisfied share.
pub fn coverage_table(report: &EvalReport<'_>) -> Table {
    let mut headers = vec!["framework".to_string(), "requirements".to_string()];
    headers.extend(Status::ALL.iter().map(|s| s.to_string()));
    headers.push("satisfied %".to_string());
    headers.push("partial %".to_string());
    headers.extend(["procedures", "passing", "tested"].map(String::from));
    let mut t = Table::new(headers);
    for fw in &report.coverage.frameworks {
        let mut row = vec![fw.framework.to_string(), fw.counts.total.to_string()];
        row.extend(Status::ALL.iter().map(|s| fw.counts.get(*s).to_string()));
        row.push(format!("{:.1}", fw.counts.percent(Status::Satisfied)));
        row.push(format!("{:.1}", fw.counts.percent(Status::Partial)));
        let p = &fw.procedures;
        row.extend([p.total, p.passing, p.tested].map(|n| n.to_string()));
        t.push(row);
    }
    t
}

/// Result rows: failing and erroring first when `problems_only`.
pub fn results_table(report: &EvalReport<'_>, problems_only: bool) -> Table {
    let mut t = Table::new(["rule", "severity", "file", "outcome", "message", "evidence"]);
    for r in report.results {
        if problems_only && !is_finding(r.outcome) {
            continue;
        }
        t.push([
            r.rule.to_string(),
            r.severity.map(|s| s.to_string()).unwrap_or_default(),
            r.file.as_deref().unwrap_or_default().to_string(),
            r.outcome.to_string(),
            r.message.clone(),
            r.evidence.join("; "),
        ]);
    }
    t
}

pub(crate) fn trace_text(t: &Trace) -> String {
    match t {
        Trace::Rule {
            rule,
            outcome,
            procedure: Some(p),
        } => format!("rule {rule}: {outcome} ({p})"),
        Trace::Rule { rule, outcome, .. } => format!("rule {rule}: {outcome} (tag only: partial)"),
        Trace::Link {
            from,
            relationship,
            support,
            ..
        } => format!("{from} {relationship} ({support})"),
        Trace::FailingPart {
            from, relationship, ..
        } => format!("{from} {relationship}, failing: this cannot be met"),
        Trace::WaivedPart {
            from, relationship, ..
        } => format!("{from} {relationship}, failure waived: at most partial"),
        Trace::Excluded {
            evidence,
            justification,
        } if justification.is_empty() => format!("excluded in SoA {evidence} (no justification)"),
        Trace::Excluded {
            evidence,
            justification,
        } => format!("excluded in SoA {evidence}: {justification}"),
    }
}

/// One row per requirement per framework, with the trace of its status; ids in `ids` form.
pub fn coverage_detail_table(report: &EvalReport<'_>, ids: IdForm) -> Table {
    let mut t = Table::new([
        "framework",
        "id",
        "kind",
        "title",
        "status",
        "procedures",
        "passing",
        "tested",
        "because",
    ]);
    for fw in &report.coverage.frameworks {
        for r in &fw.requirements {
            let p = &r.procedure_counts;
            t.push([
                fw.framework.to_string(),
                ids.spell(fw.framework.as_str(), &r.id).into_owned(),
                r.kind.clone(),
                r.title.clone(),
                r.status.to_string(),
                p.total.to_string(),
                p.passing.to_string(),
                p.tested.to_string(),
                r.because
                    .iter()
                    .map(trace_text)
                    .collect::<Vec<_>>()
                    .join("; "),
            ]);
        }
    }
    t
}

fn ids(map: &BTreeMap<String, Vec<String>>) -> String {
    map.iter()
        .map(|(fw, ids)| format!("{fw}: {}", ids.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Evidence items, widest reach first (`limit` rows at most).
pub fn evidence_table(report: &EvalReport<'_>, limit: usize, with_ids: bool) -> Table {
    let mut headers = vec![
        "file",
        "kind",
        "frameworks",
        "satisfies",
        "supports",
        "rules",
    ];
    if with_ids {
        headers.extend(["satisfied requirements", "supported requirements"]);
    }
    let mut t = Table::new(headers);
    for item in report.reuse.items.iter().take(limit) {
        let mut row = vec![
            item.file.clone(),
            item.kind.clone(),
            item.framework_count().to_string(),
            item.satisfied_count().to_string(),
            item.supported_count().to_string(),
            item.rules.join(" "),
        ];
        if with_ids {
            row.push(ids(&item.satisfies));
            row.push(ids(&item.supports));
        }
        t.push(row);
    }
    t
}

/// The files `xwalk eval --format csv` writes, in order.
pub const CSV_FILES: [&str; 4] = [
    "results.csv",
    "coverage.csv",
    "evidence.csv",
    "diagnostics.csv",
];

/// The CSV tables of an evaluation, named as in [`CSV_FILES`].
pub fn csv_files(report: &EvalReport<'_>) -> [(&'static str, Table); 4] {
    [
        (CSV_FILES[0], results_table(report, false)),
        (
            CSV_FILES[1],
            coverage_detail_table(report, IdForm::TextSafe),
        ),
        (CSV_FILES[2], evidence_table(report, usize::MAX, true)),
        (CSV_FILES[3], diagnostics_table(&report.diagnostics)),
    ]
}

/// Input problems, one row each (a header only when there are none): what could not be
/// used, so a spreadsheet reader sees what the figures leave out.
pub fn diagnostics_table(diagnostics: &[crate::diag::Diagnostic]) -> Table {
    let mut t = Table::new([
        "severity", "code", "file", "line", "column", "subject", "message",
    ]);
    for d in diagnostics {
        let number = |n: u64| if n == 0 { String::new() } else { n.to_string() };
        t.push([
            d.severity.to_string(),
            d.code.id.to_string(),
            d.location.file.clone(),
            number(d.location.line),
            number(d.location.column),
            d.subject.clone().unwrap_or_default(),
            d.message.clone(),
        ]);
    }
    t
}

/// The reuse headline in one sentence.
pub fn reuse_sentence(report: &EvalReport<'_>) -> String {
    let s = &report.reuse.summary;
    format!(
        "{} evidence items; {} serve two or more frameworks; each satisfies {:.1} requirements on average ({:.1} counting partial support).\n",
        s.items, s.multi_framework_items, s.mean_satisfied_per_item, s.mean_served_per_item
    )
}

/// Why the gate did not pass, one line each, for stderr; empty when it passed.
pub fn gate_lines(gate: &crate::views::gate::GateResult) -> String {
    if gate.passed() {
        return String::new();
    }
    let mut out = String::from("xwalk: gate not passed:\n");
    for reason in &gate.reasons {
        out.push_str(&format!("  {reason}\n"));
    }
    out
}

/// The terminal report: header, coverage, findings, errors, reuse.
pub fn render_text(report: &EvalReport<'_>) -> String {
    render_text_with(report, &TextView::PIPE)
}

/// The findings rule by rule: how many results of each rule failed (or erred, or were
/// waived), with its first finding, for a terminal that cannot take every row.
pub fn findings_by_rule(report: &EvalReport<'_>) -> Table {
    // Rows are sorted by rule, so each (rule, outcome) is one run: its first row and a count.
    let mut runs: Vec<(&crate::eval::RuleResult, usize)> = Vec::new();
    for r in report.results.iter().filter(|r| is_finding(r.outcome)) {
        match runs.last_mut() {
            Some((first, n)) if first.rule == r.rule && first.outcome == r.outcome => *n += 1,
            _ => runs.push((r, 1)),
        }
    }
    let mut t = Table::new([
        "rule",
        "severity",
        "outcome",
        "results",
        "first file",
        "first message",
    ]);
    for (r, n) in runs {
        t.push([
            r.rule.to_string(),
            r.severity.map(|s| s.to_string()).unwrap_or_default(),
            r.outcome.to_string(),
            super::table::thousands(n),
            r.file.as_deref().unwrap_or_default().to_string(),
            r.message.clone(),
        ]);
    }
    t
}

/// A result the findings list shows: a failure, an error, or a failure under a waiver.
fn is_finding(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Fail | Outcome::Error | Outcome::Waived)
}

/// [`render_text`] within a [`TextView`]: on a terminal, more findings than its rows are
/// summed up rule by rule (with how to see every row), and the evidence reuse list says how
/// much of it is shown.
pub fn render_text_with(report: &EvalReport<'_>, view: &TextView) -> String {
    let s = &report.summary;
    let count = |o: Outcome| s.outcomes.get(&o).copied().unwrap_or(0);
    let mut out = format!(
        "xwalk eval as of {}: {}, {}, {} ({} pass, {} fail, {} not-applicable, {} no-evidence, {} error{})\n\n",
        report.as_of,
        super::counted(s.rules, "rule"),
        super::counted(s.facts_documents, "facts document"),
        super::counted(s.results, "result"),
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::NotApplicable),
        count(Outcome::NoEvidence),
        count(Outcome::Error),
        match count(Outcome::Waived) {
            0 => String::new(),
            n => format!(", {n} waived"),
        },
    );
    out.push_str("Coverage (assessable requirements; % of applicable)\n");
    if !report.coverage.scope.is_whole() {
        out.push_str(&format!(
            "In scope: {} (and everything under them); requirements outside are not counted.\n",
            report.coverage.scope.ids().join(", ")
        ));
    }
    out.push_str(&coverage_table(report).render_text());
    let stale: Vec<String> = report
        .coverage
        .frameworks
        .iter()
        .flat_map(|fw| {
            fw.requirements.iter().flat_map(move |r| {
                r.procedures
                    .iter()
                    .filter(|p| p.status == crate::coverage::ProcedureStatus::Stale)
                    .map(move |p| format!("{}:{}/{} ({})", fw.framework, r.id, p.id, p.renewal))
            })
        })
        .collect();
    if !stale.is_empty() {
        out.push_str(&format!(
            "\n{} {} on evidence older than their renewal period, or undated; they do not count as passing (collect it again, or give the facts a collected_on date):\n  {}\n",
            super::counted(stale.len(), "procedure"),
            if stale.len() == 1 { "rests" } else { "rest" },
            stale.join(", ")
        ));
    }
    let problems = results_table(report, true);
    match view.rows {
        _ if problems.rows.is_empty() => {}
        Some(max) if problems.rows.len() > max => {
            out.push_str(&format!(
                "\nFindings and errors: {} rows, rule by rule (--full lists every row; --format csv or json writes them)\n",
                super::table::thousands(problems.rows.len())
            ));
            out.push_str(&findings_by_rule(report).render(view));
        }
        _ => {
            out.push_str("\nFindings and errors\n");
            out.push_str(&problems.render(view));
        }
    }
    let mut waived = Table::new([
        "rule",
        "file",
        "risk",
        "approved by",
        "approved",
        "expires",
        "justification",
        "waiver",
    ]);
    for r in report.results {
        if let Some(w) = &r.waiver {
            waived.push([
                r.rule.to_string(),
                r.file.as_deref().unwrap_or_default().to_string(),
                w.risk.clone(),
                w.approved_by.clone(),
                w.approved_on.to_string(),
                w.expires_on.to_string(),
                w.justification.clone(),
                w.source.clone(),
            ]);
        }
    }
    if !waived.rows.is_empty() {
        out.push_str(
            "\nAccepted exceptions (waived failures: not a pass, not counted by the gate)\n",
        );
        out.push_str(&waived.render(view));
    }
    let no_evidence: Vec<&str> = report
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::NoEvidence)
        .map(|r| &*r.rule)
        .collect();
    if !no_evidence.is_empty() {
        out.push_str(&format!("\nNo evidence for: {}\n", no_evidence.join(", ")));
    }
    out.push_str("\nEvidence reuse (collect once, widest reach first)\n");
    out.push_str(&reuse_sentence(report));
    if !report.reuse.items.is_empty() {
        out.push_str(&evidence_table(report, usize::MAX, false).render_top(view));
    }
    if !report.diagnostics.is_empty() {
        out.push_str("\nInput problems\n");
        for d in &report.diagnostics {
            out.push_str(&format!("{d}\n"));
        }
    }
    out
}
