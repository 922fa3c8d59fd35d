//! Shared-evidence reuse: which requirements each piece of evidence serves, in every framework.
//!
//! An evidence item is a facts file that a passing rule read. It serves the
//! requirements that rule tests and, through the crosswalk, the requirements
//! those satisfy or partly support: "test once, satisfy many".

use crate::coverage::{Coverage, Status, Trace};
use crate::crosswalk::Support;
use crate::eval::{Evaluation, Outcome};
use crate::facts::Corpus;
use serde::Serialize;
use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// One evidence item and everything it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceItem {
    /// Facts file.
    pub file: String,
    /// Its facts kind.
    pub kind: String,
    /// Passing rules that used it.
    pub rules: Vec<String>,
    /// Requirements it helps satisfy, per framework (`FW` -> ids).
    pub satisfies: BTreeMap<String, Vec<String>>,
    /// Requirements it only partly supports, per framework.
    pub supports: BTreeMap<String, Vec<String>>,
}

impl EvidenceItem {
    /// Number of frameworks served.
    pub fn framework_count(&self) -> usize {
        self.satisfies
            .keys()
            .chain(self.supports.keys())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Number of requirements satisfied.
    pub fn satisfied_count(&self) -> usize {
        self.satisfies.values().map(Vec::len).sum()
    }

    /// Number of requirements partly supported.
    pub fn supported_count(&self) -> usize {
        self.supports.values().map(Vec::len).sum()
    }
}

/// Headline figures of reuse.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReuseSummary {
    /// Evidence items that serve at least one requirement.
    pub items: usize,
    /// Items serving two or more frameworks.
    pub multi_framework_items: usize,
    /// Mean number of requirements satisfied per item.
    pub mean_satisfied_per_item: f64,
    /// Mean number of requirements satisfied or supported per item.
    pub mean_served_per_item: f64,
}

/// Reuse of every evidence item, widest reach first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reuse {
    /// Headline figures.
    pub summary: ReuseSummary,
    /// Items sorted by frameworks served, then requirements served, then file.
    pub items: Vec<EvidenceItem>,
}

/// Compute reuse from the coverage traces and the passing results.
pub fn compute(coverage: &Coverage, evaluation: &Evaluation, facts: &Corpus) -> Reuse {
    let kinds: HashMap<&str, &str> = facts.index().iter().map(|(p, k)| (&**p, &**k)).collect();
    // rule -> files it passed on (the file evaluated plus files its evidence cites).
    let mut files_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for r in evaluation
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Pass)
    {
        let files = files_of.entry(&*r.rule).or_default();
        files.extend(r.file.as_deref().map(str::to_string));
        files.extend(
            r.evidence
                .iter()
                .map(|e| e.split('#').next().unwrap_or(e).to_string()),
        );
    }
    let mut items: BTreeMap<String, EvidenceItem> = BTreeMap::new();
    for fw in &coverage.frameworks {
        for req in &fw.requirements {
            if !matches!(req.status, Status::Satisfied | Status::Partial) {
                continue;
            }
            for trace in &req.because {
                let (rules, full): (Vec<&str>, bool) = match trace {
                    Trace::Rule {
                        rule,
                        outcome: Outcome::Pass,
                        ..
                    } => (vec![rule.as_str()], req.status == Status::Satisfied),
                    Trace::Link { rules, support, .. } => (
                        rules.iter().map(String::as_str).collect(),
                        *support == Support::Full && req.status == Status::Satisfied,
                    ),
                    _ => continue,
                };
                for rule in rules {
                    for file in files_of.get(rule).into_iter().flatten() {
                        let item = items.entry(file.clone()).or_insert_with(|| EvidenceItem {
                            file: file.clone(),
                            kind: kinds
                                .get(file.as_str())
                                .map(|k| k.to_string())
                                .unwrap_or_default(),
                            rules: Vec::new(),
                            satisfies: BTreeMap::new(),
                            supports: BTreeMap::new(),
                        });
                        if !item.rules.iter().any(|r| r == rule) {
                            item.rules.push(rule.to_string());
                        }
                        let target = if full {
                            &mut item.satisfies
                        } else {
                            &mut item.supports
                        };
                        let ids = target.entry(fw.framework.to_string()).or_default();
                        if !ids.contains(&req.id) {
                            ids.push(req.id.clone());
                        }
                    }
                }
            }
        }
    }
    let mut items: Vec<EvidenceItem> = items.into_values().collect();
    for item in &mut items {
        item.rules.sort();
        // A requirement satisfied by this item is not also listed as merely supported.
        for (fw, ids) in item.supports.iter_mut() {
            if let Some(full) = item.satisfies.get(fw) {
                ids.retain(|id| !full.contains(id));
            }
        }
        item.supports.retain(|_, ids| !ids.is_empty());
    }
    items.sort_by(|a, b| {
        (
            b.framework_count(),
            b.satisfied_count(),
            b.supported_count(),
            &a.file,
        )
            .cmp(&(
                a.framework_count(),
                a.satisfied_count(),
                a.supported_count(),
                &b.file,
            ))
    });
    let n = items.len();
    let mean = |f: &dyn Fn(&EvidenceItem) -> usize| {
        if n == 0 {
            0.0
        } else {
            items.iter().map(f).sum::<usize>() as f64 / n as f64
        }
    };
    let summary = ReuseSummary {
        items: n,
        multi_framework_items: items.iter().filter(|i| i.framework_count() >= 2).count(),
        mean_satisfied_per_item: mean(&|i| i.satisfied_count()),
        mean_served_per_item: mean(&|i| i.satisfied_count() + i.supported_count()),
    };
    Reuse { summary, items }
}
