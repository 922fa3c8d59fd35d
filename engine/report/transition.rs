//! The `xwalk transition` report: the draft 2022 SoA and what changed.

use super::Table;
use crate::views::transition::facts::SoaFacts;
use crate::views::transition::remap::Remap;
use crate::views::transition::{Transition, COLUMNS, TRACE_COLUMNS};

/// The draft with the 2013 predecessors and the change for each control.
pub fn table(t: &Transition) -> Table {
    let mut out = Table::new([
        "control",
        "title",
        "applicable",
        "implementation",
        "from 2013",
        "change",
    ]);
    for r in &t.draft {
        let from: Vec<&str> = r.predecessors.iter().map(|p| p.control.as_str()).collect();
        out.push([
            r.control.clone(),
            r.title.clone(),
            match r.applicable {
                Some(_) => r.applicable_text().to_string(),
                None => "decide".to_string(),
            },
            r.implementation.clone(),
            from.join(" "),
            r.change(),
        ]);
    }
    out
}

/// The draft 2022 SoA: the five columns of the `soa` facts (to edit and import), then the
/// 2013 predecessors and the change.
pub fn csv_table(t: &Transition) -> Table {
    let mut out = Table::new(COLUMNS.into_iter().chain(TRACE_COLUMNS));
    for r in &t.draft {
        out.push([
            r.control.clone(),
            r.applicable_text().to_string(),
            r.justification.clone(),
            r.implementation.clone(),
            r.evidence.join("; "),
            r.from_2013().join(";"),
            r.change(),
        ]);
    }
    out
}

/// The clause-level changes of clauses 4-10, with the rules that test each clause; `ids`
/// spells the clause numbers (CSV qualifies them so a spreadsheet keeps them as text).
pub fn clause_table(t: &Transition, ids: super::csv::IdForm) -> Table {
    let mut out = Table::new([
        "clause", "title", "2013", "change", "summary", "review", "rules",
    ]);
    for c in &t.clause_changes {
        out.push([
            ids.spell(crate::ids::ISO_2022, &c.clause).into_owned(),
            c.title.clone(),
            ids.spell(crate::ids::ISO_2013, &c.clause_2013).into_owned(),
            c.change.clone(),
            c.summary.clone(),
            c.review.clone(),
            c.rules.join(" "),
        ]);
    }
    out
}

/// The draft as a `soa` facts document (pretty JSON, as the fixtures are written).
pub fn facts_json(facts: &SoaFacts) -> String {
    super::to_json(&facts.document)
}

/// What writing the facts document did: the controls left out and the fields not given.
pub fn facts_note(facts: &SoaFacts) -> String {
    let doc = &facts.document;
    let mut out = format!(
        "soa facts: {} of {} controls written; {} left out, each needs a decision (xwalk soa flags them SOA01 \"not in SoA\")",
        doc.items.len(),
        doc.items.len() + facts.left_out.len(),
        facts.left_out.len()
    );
    if !facts.left_out.is_empty() {
        let ids: Vec<&str> = facts.left_out.iter().map(|l| l.control.as_str()).collect();
        out.push_str(&format!(": {}", ids.join(" ")));
    }
    out.push('\n');
    for field in &facts.not_given {
        let (how, flag) = match *field {
            "reviewed_on" => ("null (xwalk soa flags SOA06)", "--reviewed-on DATE"),
            "version" => ("empty", "--soa-version TEXT"),
            _ => ("empty", "--approved-by NAME"),
        };
        out.push_str(&format!(
            "soa facts: {field} is not in the 2013 CSV and was written {how}; give {flag} to set it\n"
        ));
    }
    out
}

/// The remapped ids: file, pointer, line, old and new id.
pub fn remap_table(r: &Remap) -> Table {
    let mut out = Table::new([
        "file",
        "pointer",
        "line",
        "from",
        "to",
        "relationship",
        "note",
    ]);
    for m in &r.remapped {
        out.push([
            m.file.clone(),
            m.pointer.clone(),
            m.line.to_string(),
            m.from.clone(),
            m.to.clone(),
            m.relationship.to_string(),
            same_as(m),
        ]);
    }
    out
}

/// "same control as POINTER" when two 2013 ids of one list became the same 2022 id.
fn same_as(m: &crate::views::transition::remap::Remapped) -> String {
    m.same_as
        .as_ref()
        .map(|p| format!("now the same control as {p}"))
        .unwrap_or_default()
}

/// The ids kept as written because a person must decide.
pub fn decision_table(r: &Remap) -> Table {
    let mut out = Table::new(["file", "pointer", "line", "id", "decide", "candidates"]);
    for d in &r.decisions {
        out.push([
            d.file.clone(),
            d.pointer.clone(),
            d.line.to_string(),
            d.id.clone(),
            d.message.clone(),
            d.candidates.join(" "),
        ]);
    }
    out
}

/// Both remap tables in one CSV-ready table: `action` is `remapped` or `decide`.
pub fn remap_csv_table(r: &Remap) -> Table {
    let mut out = Table::new(["action", "file", "pointer", "line", "from", "to", "message"]);
    for m in &r.remapped {
        out.push([
            "remapped".to_string(),
            m.file.clone(),
            m.pointer.clone(),
            m.line.to_string(),
            m.from.clone(),
            m.to.clone(),
            [m.relationship.to_string(), same_as(m)]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    for d in &r.decisions {
        out.push([
            "decide".to_string(),
            d.file.clone(),
            d.pointer.clone(),
            d.line.to_string(),
            d.id.clone(),
            d.candidates.join(";"),
            d.message.clone(),
        ]);
    }
    out
}

/// The terminal report of a remap.
pub fn render_remap_text(r: &Remap, written: &str, view: &super::table::TextView) -> String {
    let s = &r.summary;
    let mut out = format!(
        "Remapped ISO/IEC 27001:2013 control ids to 2022 numbering in {} documents: {} values read, {} already 2022, {} remapped, {} need a decision; {} files with rewritten ids, {written}\n",
        s.documents, s.values, s.already_2022, s.remapped, s.decisions, s.files_changed
    );
    if !r.remapped.is_empty() {
        out.push_str(&format!("\nRemapped ({})\n", r.remapped.len()));
        out.push_str(&remap_table(r).render(view));
    }
    if !r.decisions.is_empty() {
        out.push_str(&format!(
            "\nKept as written, decide ({})\n",
            r.decisions.len()
        ));
        out.push_str(&decision_table(r).render(view));
    }
    out
}

/// The terminal report.
pub fn render_text(t: &Transition) -> String {
    render_text_with(t, &super::table::TextView::PIPE)
}

/// [`render_text`] within a [`super::table::TextView`]: long tables cut where it says, and said so.
pub fn render_text_with(t: &Transition, view: &super::table::TextView) -> String {
    let s = &t.summary;
    let mut out = format!(
        "Transition of {} from ISO/IEC 27001:2013 to 2022: {} 2013 controls read, {} mapped onto {} controls of 2022 ({} applicable, {} excluded, {} merged, {} split, {} new)\n\n",
        t.source,
        s.rows_2013,
        s.mapped_2013,
        s.controls_2022,
        s.applicable,
        s.excluded,
        s.merged,
        s.split,
        s.new
    );
    out.push_str(&table(t).render(view));
    out.push_str(&format!(
        "\nNew in 2022, no 2013 predecessor: decide applicability and implementation ({})\n",
        t.new_controls.len()
    ));
    let mut news = Table::new(["control", "title"]);
    for n in &t.new_controls {
        news.push([n.control.clone(), n.title.clone()]);
    }
    out.push_str(&news.render(view));
    if !t.clause_changes.is_empty() {
        out.push_str(&format!(
            "\nClause-level changes of 2022 to review, clauses 4-10 ({})\n",
            t.clause_changes.len()
        ));
        out.push_str(&clause_table(t, super::csv::IdForm::Bare).render(view));
    }
    if !t.missing_2013.is_empty() {
        out.push_str(&format!(
            "\n2013 controls missing from the SoA ({}): {}\n",
            t.missing_2013.len(),
            t.missing_2013.join(" ")
        ));
    }
    if !t.unmapped_2013.is_empty() {
        out.push_str(&format!(
            "\n2013 controls with no 2022 successor ({}): {}\n",
            t.unmapped_2013.len(),
            t.unmapped_2013.join(" ")
        ));
    }
    out
}
