//! The explanation of one rule as text.

use crate::views::explain::Explanation;

/// Human-readable explanation.
pub fn render_text(e: &Explanation) -> String {
    let mut out = format!(
        "rule {}: {} ({}, {} when failing)\n",
        e.rule.id,
        e.rule.title,
        e.rule.severity,
        e.rule.severity.finding()
    );
    if !e.rule.description.is_empty() {
        out.push_str(&format!("  {}\n", e.rule.description));
    }
    out.push_str(&format!("reads: {}\n", e.rule.facts.join(", ")));
    for p in &e.params {
        out.push_str(&format!(
            "parameter {} = {} ({})\n",
            p.name, p.value, p.source
        ));
    }
    out.push('\n');
    for r in &e.results {
        out.push_str(&format!(
            "{}: {}\n",
            r.file.as_deref().unwrap_or("(no facts file)"),
            r.outcome
        ));
        if !r.message.is_empty() {
            out.push_str(&format!("  message: {}\n", r.message));
        }
        for ev in &r.evidence {
            out.push_str(&format!("  evidence: {ev}\n"));
        }
        for line in &r.output {
            out.push_str(&format!("  printed: {line}\n"));
        }
    }
    out.push_str(&format!("\noverall: {}\n", e.outcome));
    out.push_str("\nwhat this means through the crosswalk:\n");
    for t in &e.requirements {
        out.push_str(&format!("  {} {}: {}\n", t.requirement, t.title, t.effect));
        for p in &t.procedures {
            out.push_str(&format!("    tests procedure {}/{p}\n", t.requirement));
        }
        for i in &t.implications {
            out.push_str(&format!(
                "    -> {} {}: {} (via {})\n",
                i.requirement, i.title, i.effect, i.relationship
            ));
        }
    }
    out
}
