//! The `xwalk diff` report: text tables, and one self-contained HTML page (minijinja with
//! HTML auto-escaping, inline CSS, no scripts, no URLs). The JSON is the view itself.

use super::table::TextView;
use super::Table;
use crate::error::Error;
use crate::views::diff::{Delta, Diff, FindingChange, Side};
use minijinja::{AutoEscape, Environment};

/// The page template.
const TEMPLATE: &str = include_str!("diff.jinja");

fn outcome(side: &Option<Side>) -> String {
    side.as_ref()
        .map_or_else(|| "-".to_string(), |s| s.outcome.to_string())
}

fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// What the row says: the later message, or the earlier one when the later run has none,
/// with the note (what a resolved finding is now, why one is no longer evaluated).
fn detail(f: &FindingChange) -> String {
    let message = f
        .new
        .as_ref()
        .or(f.old.as_ref())
        .map(|s| s.message.as_str());
    let changed = if f.message_changed {
        "message changed: "
    } else {
        ""
    };
    match (&f.note, message) {
        (Some(note), _) if f.new.is_none() => note.clone(),
        (Some(note), Some(m)) => format!("{note}: {m}"),
        (_, Some(m)) => format!("{changed}{m}"),
        _ => String::new(),
    }
}

/// Every finding of either run, with what became of it.
pub fn findings_table(d: &Diff) -> Table {
    let mut t = Table::new([
        "change", "severity", "grade", "rule", "file", "outcome", "detail",
    ]);
    for f in &d.findings {
        t.push([
            f.change.as_str().to_string(),
            opt(&f.severity),
            opt(&f.grade),
            f.rule.clone(),
            opt(&f.file),
            format!("{} -> {}", outcome(&f.old), outcome(&f.new)),
            detail(f),
        ]);
    }
    t
}

fn signed(n: i64) -> String {
    match n {
        0 => "0".to_string(),
        n if n > 0 => format!("+{n}"),
        n => n.to_string(),
    }
}

fn counts(d: &Delta<i64>) -> String {
    format!("{} -> {} ({})", d.old, d.new, signed(d.delta))
}

fn percent(d: &Delta<f64>) -> String {
    format!("{:.1}% -> {:.1}% ({:+.1})", d.old, d.new, d.delta)
}

/// Coverage per framework, old -> new with the difference.
pub fn coverage_table(d: &Diff) -> Table {
    let mut t = Table::new([
        "framework",
        "satisfied",
        "partial",
        "failing",
        "untested",
        "satisfied %",
    ]);
    for c in &d.coverage {
        t.push([
            match c.in_both {
                true => c.framework.clone(),
                false => format!("{} (in one run only)", c.framework),
            },
            counts(&c.satisfied),
            counts(&c.partial),
            counts(&c.failing),
            counts(&c.untested),
            percent(&c.satisfied_percent),
        ]);
    }
    t
}

/// Requirements whose status changed, framework by framework.
pub fn requirements_table(d: &Diff) -> Table {
    let mut t = Table::new(["framework", "requirement", "old", "new"]);
    for c in &d.coverage {
        for r in &c.requirements {
            t.push([c.framework.clone(), r.id.clone(), opt(&r.old), opt(&r.new)]);
        }
    }
    t
}

/// Procedures whose evidence became stale.
pub fn stale_table(d: &Diff) -> Table {
    let mut t = Table::new(["framework", "requirement", "procedure", "was", "rules"]);
    for s in &d.newly_stale {
        t.push([
            s.framework.clone(),
            s.requirement.clone(),
            s.procedure.clone(),
            opt(&s.old),
            s.rules.join(" "),
        ]);
    }
    t
}

/// Accepted exceptions of either run.
pub fn waived_table(d: &Diff) -> Table {
    let mut t = Table::new(["rule", "file", "severity", "outcome"]);
    for w in &d.waived {
        t.push([
            w.rule.clone(),
            opt(&w.file),
            opt(&w.severity),
            format!("{} -> {}", opt(&w.old), opt(&w.new)),
        ]);
    }
    t
}

fn short(digest: &str) -> String {
    match digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        true => format!("{}…", &digest[..12]),
        false => digest.to_string(),
    }
}

/// The inputs of both runs, digests shortened.
pub fn inputs_table(d: &Diff) -> Table {
    let mut t = Table::new(["input", "changed", "old", "new"]);
    for i in &d.inputs {
        t.push([
            i.input.to_string(),
            if i.changed { "yes" } else { "no" }.to_string(),
            short(&i.old),
            short(&i.new),
        ]);
    }
    t
}

/// The headline: findings before and after, and how each moved.
pub fn headline(d: &Diff) -> String {
    let s = &d.summary;
    format!(
        "Findings {} -> {}: {} new, {} regressed, {} resolved, {} no longer evaluated, {} persisting ({} with a changed message)",
        s.findings_old,
        s.findings_new,
        s.new,
        s.regressed,
        s.resolved,
        s.no_longer_evaluated,
        s.persisting,
        s.persisting_changed
    )
}

/// What changed in the inputs, in a sentence.
pub fn inputs_line(d: &Diff) -> String {
    let changed: Vec<&str> = d
        .inputs
        .iter()
        .filter(|i| i.changed)
        .map(|i| i.input)
        .collect();
    match changed.is_empty() {
        true => "Inputs: the same rules, facts, crosswalk and waivers in both runs".to_string(),
        false => format!("Inputs changed: {}", changed.join(", ")),
    }
}

/// The terminal report (every row, cells cut).
pub fn render_text(d: &Diff) -> String {
    render_text_with(d, &TextView::PIPE)
}

/// [`render_text`] within a [`TextView`].
pub fn render_text_with(d: &Diff, view: &TextView) -> String {
    let mut out = format!(
        "xwalk diff: {} (as of {}) -> {} (as of {})\n",
        d.old.file, d.old.as_of, d.new.file, d.new.as_of
    );
    for w in &d.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if d.is_unchanged() {
        out.push_str("No change: the same findings, coverage and evidence status in both runs\n");
    }
    out.push_str(&format!("{}\n{}\n", headline(d), inputs_line(d)));
    if !d.findings.is_empty() {
        out.push_str(&format!("\nFindings ({})\n", d.findings.len()));
        out.push_str(&findings_table(d).render(view));
    }
    if !d.waived.is_empty() {
        out.push_str(&format!("\nAccepted exceptions ({})\n", d.waived.len()));
        out.push_str(&waived_table(d).render(view));
    }
    out.push_str("\nCoverage per framework, old -> new\n");
    out.push_str(&coverage_table(d).render(view));
    let changed = requirements_table(d);
    if !changed.rows.is_empty() {
        out.push_str(&format!(
            "\nRequirements whose status changed ({})\n",
            changed.rows.len()
        ));
        out.push_str(&changed.render(view));
    }
    if !d.newly_stale.is_empty() {
        out.push_str(&format!(
            "\nNewly stale evidence ({} procedures)\n",
            d.newly_stale.len()
        ));
        out.push_str(&stale_table(d).render(view));
    }
    out.push_str("\nInputs\n");
    out.push_str(&inputs_table(d).render_text());
    out
}

fn rows(t: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    (t.headers.clone(), t.rows.clone())
}

/// One self-contained HTML page of the comparison.
pub fn render_html(d: &Diff) -> Result<String, Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("diff.html", TEMPLATE)
        .map_err(|e| Error::Usage(format!("HTML template: {e}")))?;
    let template = env
        .get_template("diff.html")
        .map_err(|e| Error::Usage(format!("HTML template: {e}")))?;
    let full = |f: &FindingChange| -> Vec<String> {
        vec![
            f.change.as_str().to_string(),
            opt(&f.severity),
            opt(&f.grade),
            f.rule.clone(),
            opt(&f.file),
            format!("{} -> {}", outcome(&f.old), outcome(&f.new)),
            detail(f),
        ]
    };
    let context = minijinja::context! {
        old => &d.old,
        new => &d.new,
        warnings => &d.warnings,
        unchanged => d.is_unchanged(),
        headline => headline(d),
        inputs_line => inputs_line(d),
        findings => d.findings.iter().map(|f| (f.change.as_str().replace(' ', "-"), full(f))).collect::<Vec<_>>(),
        waived => rows(&waived_table(d)),
        coverage => rows(&coverage_table(d)),
        requirements => rows(&requirements_table(d)),
        stale => rows(&stale_table(d)),
        inputs => &d.inputs,
    };
    template
        .render(context)
        .map_err(|e| Error::Usage(format!("HTML diff: {e}")))
}
