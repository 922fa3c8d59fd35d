//! The `xwalk plan` report: the unified evidence request list and the reuse it buys.

use super::csv::IdForm;
use super::long::{self, List};
use super::Table;
use crate::views::plan::{Plan, Request, RequestState, METHOD};

fn framework_ids(plan: &Plan) -> Vec<String> {
    plan.frameworks
        .iter()
        .map(|f| f.framework.to_string())
        .collect()
}

/// Frameworks: requirements planned, requests alone, framework-specific count.
pub fn frameworks_table(plan: &Plan) -> Table {
    let mut t = Table::new([
        "framework",
        "requirements",
        "procedures",
        "excluded in SoA",
        "requests alone",
        "framework-specific",
    ]);
    for f in &plan.frameworks {
        t.push([
            f.framework.to_string(),
            f.requirements.to_string(),
            f.procedures.to_string(),
            f.excluded.to_string(),
            f.requests_alone.to_string(),
            f.specific.len().to_string(),
        ]);
    }
    t
}

/// The ids of `fw` in one of a request's maps, in `form`, separated by spaces.
fn ids_in(map: &std::collections::BTreeMap<String, Vec<String>>, fw: &str, form: IdForm) -> String {
    map.get(fw)
        .map(|ids| form.spell_all(fw, ids, " "))
        .unwrap_or_default()
}

/// The requirements whose procedures a request covers; `~` marks those it covers only
/// some procedures of.
fn touched_in(r: &Request, fw: &str) -> String {
    let whole = r.serves.get(fw);
    let mut out: Vec<String> = Vec::new();
    for label in r.procedures.get(fw).into_iter().flatten() {
        let id = label.split('/').next().unwrap_or(label);
        let shown = if whole.is_some_and(|w| w.iter().any(|x| x == id)) {
            id.to_string()
        } else {
            format!("{id}~")
        };
        if !out.contains(&shown) {
            out.push(shown);
        }
    }
    out.join(" ")
}

/// The requests in set-cover order, with what they serve in each framework.
pub fn requests_table(plan: &Plan) -> Table {
    let fws = framework_ids(plan);
    let mut headers: Vec<String> = ["#", "request", "state", "new"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    headers.extend(fws.iter().cloned());
    let mut t = Table::new(headers);
    for (i, r) in plan.requests.iter().enumerate() {
        let mut row = vec![
            (i + 1).to_string(),
            r.collect.clone(),
            r.state.to_string(),
            r.new.to_string(),
        ];
        row.extend(fws.iter().map(|fw| touched_in(r, fw)));
        t.push(row);
    }
    t
}

/// The request list for a spreadsheet: one row per request, ids spelled out in `ids` form.
pub fn csv_table(plan: &Plan, ids: IdForm) -> Table {
    let fws = framework_ids(plan);
    let mut headers: Vec<String> = ["order", "id", "collect", "state", "new_procedures"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    headers.extend(fws.iter().map(|fw| format!("{fw} covered")));
    headers.extend(fws.iter().map(|fw| format!("{fw} partly supported")));
    headers.extend(fws.iter().map(|fw| format!("{fw} procedures")));
    let mut t = Table::new(headers);
    for (i, r) in plan.requests.iter().enumerate() {
        let mut row = vec![
            (i + 1).to_string(),
            r.id.clone(),
            r.collect.clone(),
            r.state.to_string(),
            r.new.to_string(),
        ];
        row.extend(fws.iter().map(|fw| ids_in(&r.serves, fw, ids)));
        row.extend(fws.iter().map(|fw| ids_in(&r.supports, fw, ids)));
        row.extend(fws.iter().map(|fw| {
            let labels = r.procedures.get(fw).into_iter().flatten();
            labels
                .map(|label| ids.spell_procedure(fw, label))
                .collect::<Vec<_>>()
                .join(" ")
        }));
        t.push(row);
    }
    t
}

/// The columns of [`csv_table`] that hold several ids a cell.
pub fn lists(plan: &Plan) -> Vec<List> {
    let fws = framework_ids(plan);
    ["covered", "partly supported", "procedures"]
        .iter()
        .flat_map(|what| {
            fws.iter()
                .map(move |fw| List::new(format!("{fw} {what}"), " "))
        })
        .collect()
}

/// The long form of [`csv_table`]: one row per request, column and requirement or procedure.
pub fn csv_long(plan: &Plan, ids: IdForm) -> Table {
    long::long(&csv_table(plan, ids), &["id"], &lists(plan))
}

/// The columns of [`evidence_table`] that hold several values a cell.
pub fn evidence_lists() -> Vec<List> {
    vec![List::new("rules", " ")]
}

/// The long form of [`evidence_table`]: one row per procedure and claiming rule.
pub fn evidence_long(items: &[crate::views::evidence::EvidenceItem], ids: IdForm) -> Table {
    long::long(
        &evidence_table(items, ids),
        &["framework", "requirement", "procedure"],
        &evidence_lists(),
    )
}

/// The evidence list: one row per test procedure (`xwalk plan --procedures`), requirement
/// ids in `ids` form.
pub fn evidence_table(items: &[crate::views::evidence::EvidenceItem], ids: IdForm) -> Table {
    let mut t = Table::new([
        "framework",
        "requirement",
        "procedure",
        "tests",
        "renewal",
        "how",
        "status",
        "evidence",
        "owner",
        "rules",
        "request",
        "statement",
    ]);
    for i in items {
        t.push([
            i.framework.clone(),
            ids.spell(&i.framework, &i.requirement).into_owned(),
            i.procedure.clone(),
            i.tests.map(|x| x.to_string()).unwrap_or_default(),
            i.renewal.map(|x| x.to_string()).unwrap_or_default(),
            i.how.to_string(),
            i.status.to_string(),
            i.evidence.clone(),
            i.owner.clone(),
            i.rules.join(" "),
            i.request.clone(),
            i.statement.clone(),
        ]);
    }
    t
}

/// Objectives shared by two or more frameworks.
pub fn objectives_table(plan: &Plan) -> Table {
    let fws = framework_ids(plan);
    let mut headers: Vec<String> = vec!["objective".into(), "title".into()];
    headers.extend(fws.iter().cloned());
    let mut t = Table::new(headers);
    for o in plan.objectives.iter().filter(|o| o.is_shared()) {
        let mut row = vec![o.name.clone(), o.title.clone()];
        row.extend(
            fws.iter()
                .map(|fw| o.members.get(fw).map(|v| v.join(" ")).unwrap_or_default()),
        );
        t.push(row);
    }
    t
}

/// The effort line: requests with reuse against the frameworks separately.
pub fn effort_text(plan: &Plan) -> String {
    let e = &plan.effort;
    let parts: Vec<String> = plan
        .frameworks
        .iter()
        .map(|f| format!("{} {}", f.framework, f.requests_alone))
        .collect();
    format!(
        "Effort: {} requests with reuse against {} separately ({}): {} fewer, {:.1}% saved.\n",
        e.with_reuse,
        e.separately,
        parts.join(" + "),
        e.saved,
        e.saved_percent
    )
}

/// Wrap a list of ids into lines of about 96 characters, indented.
fn wrap(ids: &[String]) -> String {
    let mut out = String::new();
    let mut line = String::from("  ");
    for id in ids {
        if line.len() + id.len() + 1 > 96 && !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from("  ");
        }
        line.push_str(id);
        line.push(' ');
    }
    if !line.trim().is_empty() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The terminal report.
pub fn render_text(plan: &Plan) -> String {
    render_text_with(plan, &super::table::TextView::PIPE)
}

/// [`render_text`] within a [`super::table::TextView`]: long tables cut where it says, and said so.
pub fn render_text_with(plan: &Plan, view: &super::table::TextView) -> String {
    let fws = framework_ids(plan);
    let shared = plan.objectives.iter().filter(|o| o.is_shared()).count();
    let mut out = format!("Unified audit plan: {}\n", fws.join(" + "));
    if !plan.scope.is_whole() {
        out.push_str(&format!(
            "In scope: {} (and everything under them); requirements outside are not planned.\n",
            plan.scope.ids().join(", ")
        ));
    }
    out.push('\n');
    out.push_str(&frameworks_table(plan).render(view));
    out.push_str(&format!(
        "\n{} common objectives (each requirement joined to its best-linked partner, in {} when linked there); {} span two or more frameworks.\n",
        plan.objectives.len(),
        plan.anchor,
        shared
    ));
    out.push_str(&format!(
        "\nEvidence requests, ordered by {METHOD} (each next request covers the most still-uncovered test procedures; 'new' counts them)\n"
    ));
    out.push_str(&requests_table(plan).render(view));
    let states: Vec<String> = RequestState::ALL
        .iter()
        .map(|s| (s, plan.count(*s)))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    out.push_str(&format!("States: {}.\n", states.join(", ")));
    if !plan.redundant.is_empty() {
        let ids: Vec<String> = plan.redundant.iter().map(|r| r.id.clone()).collect();
        out.push_str(
            "Also tested by rules, adding no requirement the list does not already cover:\n",
        );
        out.push_str(&wrap(&ids));
    }
    out.push('\n');
    out.push_str(&effort_text(plan));
    out.push_str("\nRequirements that need framework-specific evidence (nothing shared with the other frameworks)\n");
    for f in &plan.frameworks {
        out.push_str(&format!("{} ({}):\n", f.framework, f.specific.len()));
        out.push_str(&wrap(&f.specific));
    }
    if shared > 0 {
        out.push_str("\nCommon objectives spanning frameworks\n");
        out.push_str(&objectives_table(plan).render(view));
    }
    out
}
