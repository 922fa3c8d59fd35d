//! The `xwalk soa` report: the Statement of Applicability as a table, a spreadsheet and defects.

use super::csv::IdForm;
use super::long::{self, List};
use super::Table;
use crate::crosswalk::Support;
use crate::ids::FrameworkId;
use crate::views::soa::{Implementation, Soa, SoaEntry};

/// Served requirements of one framework, compact: `CC6.1 CC6.3~` (`~` = partial support).
fn served_short(e: &SoaEntry, framework: &str) -> String {
    e.serves_in(framework)
        .map(|s| match s.support {
            Support::Full => s.id.clone(),
            _ => format!("{}~", s.id),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Served requirements of one framework, spelled out: `CC6.1 (full); CC6.3 (partial)`.
fn served_long(e: &SoaEntry, framework: &str, ids: IdForm) -> String {
    e.serves_in(framework)
        .map(|s| format!("{} ({})", ids.spell(framework, &s.id), s.support))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Column names: the fixed ones, one per framework the controls also serve, then flags.
fn headers(fixed: &[&str], frameworks: &[FrameworkId]) -> Vec<String> {
    fixed
        .iter()
        .map(|s| s.to_string())
        .chain(frameworks.iter().map(|f| f.to_string()))
        .chain(std::iter::once("flags".to_string()))
        .collect()
}

/// The owner column: the SoA's owner, else the roles that provide the evidence, marked as such.
pub fn owner_text(e: &SoaEntry) -> String {
    match &e.owner {
        Some(o) => o.clone(),
        None if e.procedure_owners.is_empty() => String::new(),
        None => format!("({})", e.procedure_owners.join(", ")),
    }
}

/// The last-tested column: a date, `undated` when evidence behind a result has no date, or
/// empty when no rule result decided the control.
pub fn last_tested_text(e: &SoaEntry) -> String {
    match e.last_tested {
        Some(d) => d.to_string(),
        None if e.rules.is_empty() && e.via.is_empty() => String::new(),
        None => "undated".to_string(),
    }
}

/// The terminal table: one row per control.
pub fn table(soa: &Soa, frameworks: &[FrameworkId]) -> Table {
    let mut t = Table::new(headers(
        &[
            "control",
            "title",
            "applicable",
            "declared",
            "implementation",
            "owner",
            "risks",
            "last tested",
        ],
        frameworks,
    ));
    for e in &soa.entries {
        let mut row = vec![
            e.control.clone(),
            e.title.clone(),
            e.applicable_text().to_string(),
            e.declared
                .as_ref()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            e.implementation.to_string(),
            owner_text(e),
            e.risks.join(" "),
            last_tested_text(e),
        ];
        row.extend(frameworks.iter().map(|fw| served_short(e, fw)));
        row.push(e.flags.iter().map(|c| c.id).collect::<Vec<_>>().join(" "));
        t.push(row);
    }
    t
}

/// The spreadsheet: exactly one row per control, every field spelled out, ids in `ids` form.
pub fn csv_table(soa: &Soa, frameworks: &[FrameworkId], ids: IdForm) -> Table {
    let mut t = Table::new(headers(
        &[
            "control",
            "title",
            "theme",
            "applicable",
            "justification",
            "declared_implementation",
            "implementation",
            "coverage",
            "owner",
            "evidence_owners",
            "how_implemented",
            "risks",
            "last_tested",
            "rules",
            "evidence",
            "soa_evidence",
        ],
        frameworks,
    ));
    for e in &soa.entries {
        let rules: Vec<String> = e
            .rules
            .iter()
            .map(|r| format!("{} ({})", r.rule, r.outcome))
            .chain(e.via.iter().map(|v| format!("via {v}")))
            .collect();
        let mut row = vec![
            e.control.clone(),
            e.title.clone(),
            e.theme.clone(),
            e.applicable_text().to_string(),
            e.justification.clone(),
            e.declared
                .as_ref()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            e.implementation.to_string(),
            e.coverage.to_string(),
            e.owner.clone().unwrap_or_default(),
            e.procedure_owners.join("; "),
            e.description.clone().unwrap_or_default(),
            e.risks.join("; "),
            last_tested_text(e),
            rules.join("; "),
            e.evidence.join("; "),
            e.soa_evidence.join("; "),
        ];
        row.extend(frameworks.iter().map(|fw| served_long(e, fw, ids)));
        row.push(e.flags.iter().map(|c| c.id).collect::<Vec<_>>().join(" "));
        t.push(row);
    }
    t
}

/// The columns of [`csv_table`] that hold several values a cell.
pub fn lists(frameworks: &[FrameworkId]) -> Vec<List> {
    let mut lists = vec![
        List::new("evidence_owners", "; "),
        List::new("risks", "; "),
        List::new("rules", "; ").with_detail(),
        List::new("evidence", "; "),
        List::new("soa_evidence", "; "),
    ];
    lists.extend(
        frameworks
            .iter()
            .map(|fw| List::new(fw.to_string(), "; ").with_detail()),
    );
    lists.push(List::new("flags", " "));
    lists
}

/// The long form of [`csv_table`]: one row per control, column and value (a rule and its
/// outcome, a facts file, an SoA reference, a served requirement and its support, a flag).
pub fn csv_long(soa: &Soa, frameworks: &[FrameworkId], ids: IdForm) -> Table {
    long::long(
        &csv_table(soa, frameworks, ids),
        &["control"],
        &lists(frameworks),
    )
}

/// Every defect: code, control, name and message.
pub fn defects_table(soa: &Soa) -> Table {
    let mut t = Table::new(["code", "control", "defect", "message"]);
    for d in &soa.defects {
        t.push([
            d.code.to_string(),
            d.control.clone().unwrap_or_else(|| "(SoA)".into()),
            d.kind.name().to_string(),
            d.message.clone(),
        ]);
    }
    t
}

/// The headline in two lines.
pub fn summary_text(soa: &Soa) -> String {
    let s = &soa.summary;
    let h = &soa.header;
    let reviewed = h.reviewed_on.as_deref().unwrap_or("never");
    let version = h.version.as_deref().unwrap_or("?");
    let mut out = format!(
        "Statement of Applicability (ISO/IEC 27001:2022 Annex A) as of {}: SoA version {version}, reviewed {reviewed}",
        soa.as_of
    );
    if let Some(changed) = &h.last_org_change {
        out.push_str(&format!(", last organisational change {changed}"));
    }
    out.push('\n');
    out.push_str(&format!(
        "{} controls: {} applicable, {} excluded, {} not in SoA; measured {}: {}, {}: {}, {}: {}, {}: {}, {}: {}; {} defects\n",
        s.controls,
        s.applicable,
        s.excluded,
        s.not_in_soa,
        Implementation::Implemented,
        s.implemented,
        Implementation::ImplementedViaLink,
        s.implemented_via_link,
        Implementation::Partial,
        s.partial,
        Implementation::NotImplemented,
        s.not_implemented,
        Implementation::Untested,
        s.untested,
        s.defects
    ));
    out
}

/// The terminal report: headline, the SoA, a legend, the defects.
pub fn render_text(soa: &Soa, frameworks: &[FrameworkId]) -> String {
    render_text_with(soa, frameworks, &super::table::TextView::PIPE)
}

/// [`render_text`] within a [`super::table::TextView`]: long tables cut where it says, and said so.
pub fn render_text_with(
    soa: &Soa,
    frameworks: &[FrameworkId],
    view: &super::table::TextView,
) -> String {
    let mut out = summary_text(soa);
    out.push('\n');
    out.push_str(&table(soa, frameworks).render(view));
    out.push_str(
        "\nimplementation is measured: satisfied coverage = implemented, partial = partial, failing = not-implemented, no rule = untested; `~` marks a partial link\n",
    );
    if soa.has_defects() {
        out.push_str("\nDefects\n");
        out.push_str(&defects_table(soa).render(view));
    } else {
        out.push_str("\nNo defects.\n");
    }
    out
}
