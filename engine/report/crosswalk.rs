//! Tables for the crosswalk views: frameworks, one requirement, a mapping, an overlap.

use super::csv::IdForm;
use super::Table;
use crate::crosswalk::{FrameworkSummary, LinkSetSummary, Mapping, Overlap, RequirementDetail};

/// One row per framework and kind.
pub fn frameworks(summaries: &[FrameworkSummary]) -> Table {
    let mut t = Table::new(["framework", "name", "version", "kind", "count"]);
    for s in summaries {
        for k in &s.kinds {
            t.push([
                s.id.to_string(),
                s.name.clone(),
                s.version.clone(),
                k.kind.clone(),
                k.count.to_string(),
            ]);
        }
    }
    t
}

/// One row per linked pair of frameworks, with counts per relationship.
pub fn link_sets(sets: &[LinkSetSummary]) -> Table {
    let mut headers = vec!["from".to_string(), "to".to_string(), "links".to_string()];
    headers.extend(
        crate::crosswalk::Relationship::ALL
            .iter()
            .map(|r| r.to_string()),
    );
    let mut t = Table::new(headers);
    for s in sets {
        let mut row = vec![s.from.to_string(), s.to.to_string(), s.links.to_string()];
        row.extend(s.by_relationship.iter().map(|(_, n)| n.to_string()));
        t.push(row);
    }
    t
}

/// The links of one requirement, ids in `ids` form.
pub fn detail_links(d: &RequirementDetail, ids: IdForm) -> Table {
    let mut t = Table::new([
        "framework",
        "id",
        "title",
        "relationship",
        "support",
        "strength",
        "rationale",
        "source",
    ]);
    for l in &d.links {
        t.push([
            l.framework.to_string(),
            ids.spell(l.framework.as_str(), &l.id).into_owned(),
            l.title.clone(),
            l.relationship.to_string(),
            l.support.to_string(),
            l.strength.to_string(),
            l.rationale.clone(),
            l.source.clone(),
        ]);
    }
    t
}

/// The test procedures of a requirement, for `xwalk show`.
pub fn detail_procedures(d: &RequirementDetail) -> Table {
    let mut t = Table::new(["procedure", "tests", "renewal", "statement"]);
    for p in &d.procedures {
        t.push([
            format!("{}/{}", d.id, p.id),
            p.tests.to_string(),
            p.renewal.to_string(),
            p.statement.clone(),
        ]);
    }
    t
}

/// The header lines of `xwalk show`: title, kind, parent, children.
pub fn detail_header(d: &RequirementDetail) -> String {
    let mut out = format!("{}:{}  {}\n", d.framework, d.id, d.title);
    out.push_str(&format!("kind: {}", d.kind));
    if let Some(theme) = &d.theme {
        out.push_str(&format!("   theme: {theme}"));
    }
    out.push('\n');
    if let Some(p) = &d.parent {
        out.push_str(&format!("parent: {} {}\n", p.id, p.title));
    }
    if !d.children.is_empty() {
        let ids: Vec<&str> = d.children.iter().map(|c| c.id.as_str()).collect();
        out.push_str(&format!("children: {}\n", ids.join(", ")));
    }
    out
}

/// The published pairings a mapping does not follow because xwalk disputes
/// them, with our reason.
pub fn mapping_disputed(m: &Mapping) -> Table {
    let mut t = Table::new(["to", "source", "why xwalk disagrees"]);
    for s in &m.disputed {
        t.push([s.to.clone(), s.source.clone(), s.rationale.clone()]);
    }
    t
}

/// How many of a requirement's links are disputed references, for the
/// `xwalk show` header.
pub fn detail_link_count(d: &RequirementDetail) -> String {
    let disputed = d
        .links
        .iter()
        .filter(|l| l.relationship == crate::crosswalk::Relationship::Disputed)
        .count();
    match disputed {
        0 => format!("links: {}\n", d.links.len()),
        n => format!(
            "links: {} ({n} disputed: a published reference pairs them, xwalk does not, and nothing carries over)\n",
            d.links.len()
        ),
    }
}

/// Every requirement a mapping reaches, ids in `ids` form.
pub fn mapping(m: &Mapping, ids: IdForm) -> Table {
    let mut t = Table::new([
        "framework",
        "id",
        "title",
        "support",
        "relationship",
        "strength",
        "path",
    ]);
    for target in &m.targets {
        let path = match target.path.as_slice() {
            [_] => "direct".to_string(),
            steps => {
                let mids: Vec<&str> = steps[..steps.len() - 1]
                    .iter()
                    .map(|s| s.to.as_str())
                    .collect();
                format!("via {}", mids.join(" -> "))
            }
        };
        t.push([
            target.framework.to_string(),
            ids.spell(target.framework.as_str(), &target.id)
                .into_owned(),
            target.title.clone(),
            target.support.to_string(),
            target.relationship.to_string(),
            target.strength.to_string(),
            path,
        ]);
    }
    t
}

/// Per-framework totals of a mapping: `soc2-2017: 2 full, 1 partial`.
pub fn mapping_totals(m: &Mapping) -> String {
    let mut out = String::new();
    let mut frameworks: Vec<&str> = m.targets.iter().map(|t| t.framework.as_str()).collect();
    frameworks.dedup();
    for fw in frameworks {
        let of = |s: crate::crosswalk::Support| {
            m.targets
                .iter()
                .filter(|t| t.framework == fw && t.support == s)
                .count()
        };
        out.push_str(&format!(
            "{fw}: {} fully satisfied, {} partially supported\n",
            of(crate::crosswalk::Support::Full),
            of(crate::crosswalk::Support::Partial)
        ));
    }
    out
}

/// Overlap totals: one row per side and kind, plus an `all` row per side.
pub fn overlap_summary(o: &Overlap) -> Table {
    let mut t = Table::new([
        "framework",
        "covered_by",
        "kind",
        "total",
        "full",
        "full_pct",
        "partial",
        "partial_pct",
        "none",
        "none_pct",
    ]);
    for side in &o.sides {
        let kinds = side.by_kind.iter().map(|(k, c)| (k.as_str(), c));
        let all = std::iter::once(("all", &side.counts));
        let rows: Vec<_> = if side.by_kind.len() > 1 {
            kinds.chain(all).collect()
        } else {
            all.collect()
        };
        for (kind, c) in rows {
            t.push([
                side.framework.clone(),
                side.covered_by.clone(),
                kind.to_string(),
                c.total.to_string(),
                c.full.to_string(),
                format!("{:.1}", c.percent(c.full)),
                c.partial.to_string(),
                format!("{:.1}", c.percent(c.partial)),
                c.none.to_string(),
                format!("{:.1}", c.percent(c.none)),
            ]);
        }
    }
    t
}

/// Overlap detail: one row per requirement on each side, ids in `ids` form.
pub fn overlap_detail(o: &Overlap, ids: IdForm) -> Table {
    let mut t = Table::new([
        "framework",
        "id",
        "kind",
        "title",
        "covered_by",
        "support",
        "through",
    ]);
    for side in &o.sides {
        for e in &side.entries {
            t.push([
                side.framework.clone(),
                ids.spell(&side.framework, &e.id).into_owned(),
                e.kind.clone(),
                e.title.clone(),
                side.covered_by.clone(),
                e.support.to_string(),
                e.covered_by.join("; "),
            ]);
        }
    }
    t
}

/// Plain-language reading of an overlap, set against the guide's 70-80 % claim.
pub fn overlap_verdict(o: &Overlap) -> String {
    let mut out = String::new();
    if !o.options.scope.is_whole() {
        out.push_str(&format!(
            "In scope: {} (and everything under them); frameworks without these ids are compared whole.\n",
            o.options.scope.ids().join(", ")
        ));
    }
    if o.options.min_strength > 1 {
        out.push_str(&format!(
            "Only links of strength {} or more count.\n",
            o.options.min_strength
        ));
    }
    for side in &o.sides {
        let c = &side.counts;
        out.push_str(&format!(
            "{} covers {:.1}% of {} fully and {:.1}% more partially ({} of {} assessable requirements fully, {} partially, {} not at all).\n",
            side.covered_by,
            c.percent(c.full),
            side.framework,
            c.percent(c.partial),
            c.full,
            c.total,
            c.partial,
            c.none
        ));
    }
    out.push_str("A common claim is that ISO 27001 and SOC 2 share 70-80 % of their controls; only the full figure counts as satisfied without further evidence.\n");
    out
}
