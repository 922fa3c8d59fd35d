//! The `xwalk transition` report: the draft 2022 SoA and what changed.

use super::Table;
use crate::views::transition::{Transition, COLUMNS};

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

/// The draft 2022 SoA in the column layout of the `soa` facts, ready to edit and import.
pub fn csv_table(t: &Transition) -> Table {
    let mut out = Table::new(COLUMNS);
    for r in &t.draft {
        out.push([
            r.control.clone(),
            r.applicable_text().to_string(),
            r.justification.clone(),
            r.implementation.clone(),
            r.evidence.join("; "),
        ]);
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
