//! The registers as tables: the nonconformity register and the evidence request list.

use super::csv::IdForm;
use super::Table;
use crate::views::registers::{NonconformityRegister, RequestList};
use std::collections::BTreeMap;

fn opt(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

/// The nonconformity register, one row per finding; `full` adds the reason, the evidence,
/// root cause and action (the spreadsheet). Requirements are written `FW:ID`, which no
/// spreadsheet reads as a number or a date.
pub fn nonconformity_table(r: &NonconformityRegister, full: bool) -> Table {
    let mut head = vec![
        "id",
        "grade",
        "extent",
        "requirements",
        "owner",
        "due",
        "status",
        "finding",
    ];
    if full {
        head.extend([
            "grade_reason",
            "rule",
            "title",
            "owner_source",
            "due_source",
            "raised_on",
            "corrective_action",
            "root_cause",
            "action",
            "evidence",
        ]);
    }
    let mut t = Table::new(head);
    for n in &r.items {
        let mut row = vec![
            n.id.clone(),
            n.grade.to_string(),
            n.grading.extent_text(),
            n.requirements.join(" "),
            opt(&n.owner),
            n.due.map(|d| d.to_string()).unwrap_or_default(),
            n.status.to_string(),
            n.messages.join(" | "),
        ];
        if full {
            let ca = n.corrective_action.as_ref();
            row.extend([
                n.grading.reason.clone(),
                n.rule.clone(),
                n.title.clone(),
                n.owner_source.clone(),
                n.due_source.clone(),
                n.raised_on.to_string(),
                ca.map(|a| a.id.clone()).unwrap_or_default(),
                ca.and_then(|a| a.root_cause.clone()).unwrap_or_default(),
                ca.and_then(|a| a.action.clone()).unwrap_or_default(),
                n.evidence.join("; "),
            ]);
        }
        t.push(row);
    }
    t
}

/// The headline of the register.
pub fn nonconformity_summary(r: &NonconformityRegister) -> String {
    let c = r.counts;
    let period = r
        .period
        .map(|p| format!(", period {p}"))
        .unwrap_or_default();
    format!(
        "Nonconformity register as of {}{period}: {}, {}, {}\n",
        r.as_of,
        crate::diag::counted_as(c.major, "major nonconformity", "major nonconformities"),
        crate::diag::counted_as(c.minor, "minor nonconformity", "minor nonconformities"),
        crate::diag::counted_as(
            c.ofi,
            "opportunity for improvement",
            "opportunities for improvement"
        ),
    )
}

fn per_framework(map: &BTreeMap<String, Vec<String>>, ids: IdForm) -> String {
    map.iter()
        .map(|(fw, list)| {
            let spelled: Vec<String> = list
                .iter()
                .map(|id| ids.spell(fw, id).into_owned())
                .collect();
            format!("{fw}: {}", spelled.join(" "))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The evidence request list, one row per request; `full` adds what each serves, the
/// state, the samples chosen (the spreadsheet).
pub fn request_table(r: &RequestList, full: bool, ids: IdForm) -> Table {
    let mut head = vec![
        "request", "how", "owner", "due", "covers", "sample", "collect",
    ];
    if full {
        head.extend([
            "adds_coverage",
            "owner_source",
            "state",
            "serves",
            "supports",
            "selected",
        ]);
    }
    let mut t = Table::new(head);
    for q in &r.requests {
        let mut row = vec![
            q.id.clone(),
            q.how.to_string(),
            opt(&q.owner),
            q.due.to_string(),
            q.covers.clone(),
            q.sample.clone(),
            q.collect.clone(),
        ];
        if full {
            let selected: Vec<String> = q
                .samples
                .iter()
                .filter(|(_, s)| !s.selected.is_empty())
                .map(|(p, s)| format!("{p}: {}", s.selected.join(" ")))
                .collect();
            row.extend([
                if q.adds_coverage { "yes" } else { "no" }.to_string(),
                q.owner_source.clone(),
                q.state.to_string(),
                per_framework(&q.serves, ids),
                per_framework(&q.supports, ids),
                selected.join("; "),
            ]);
        }
        t.push(row);
    }
    t
}

/// The headline of the request list.
pub fn request_summary(r: &RequestList) -> String {
    let extra = r.requests.iter().filter(|q| !q.adds_coverage).count();
    let period = r
        .period
        .map(|p| format!(", period {p}"))
        .unwrap_or_default();
    format!(
        "Evidence requests as of {}{period}: {} ({} of them add no new requirement but are still asked for); samples chosen with seed {}\n",
        r.as_of,
        crate::diag::counted(r.requests.len(), "request"),
        extra,
        r.seed
    )
}
