//! The rows of the page's tables: the SoA, the findings and the evidence, each evidence
//! file listed once (in the evidence section) and referred to by anchor elsewhere.

use super::Labels;
use crate::crosswalk::Support;
use crate::views::readiness::Readiness;
use crate::views::results::EvalReport;
use crate::views::soa::{Implementation, Soa};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// An evidence file as a link to its row in the evidence section.
#[derive(Serialize)]
pub struct EvidenceRef {
    file: String,
    anchor: String,
}

/// The evidence files of the page, each with a stable anchor.
pub struct EvidenceIndex {
    anchors: BTreeMap<String, String>,
}

impl EvidenceIndex {
    /// Anchors for every file the reuse table or the SoA names, in file order.
    pub fn new(report: &EvalReport<'_>, soa: &Soa) -> EvidenceIndex {
        let mut files: Vec<&str> = report.reuse.items.iter().map(|i| i.file.as_str()).collect();
        files.extend(
            soa.entries
                .iter()
                .flat_map(|e| e.evidence.iter().map(String::as_str)),
        );
        files.sort_unstable();
        files.dedup();
        let anchors = files
            .into_iter()
            .enumerate()
            .map(|(i, f)| (f.to_string(), format!("ev-{}", i + 1)))
            .collect();
        EvidenceIndex { anchors }
    }

    fn link(&self, file: &str) -> Option<EvidenceRef> {
        self.anchors.get(file).map(|a| EvidenceRef {
            file: file.to_string(),
            anchor: a.clone(),
        })
    }
}

/// One control of the Statement of Applicability.
#[derive(Serialize)]
pub struct SoaRow {
    control: String,
    title: String,
    applicable: &'static str,
    justification: String,
    declared: String,
    implementation: String,
    class: &'static str,
    owner: String,
    risks: String,
    last_tested: String,
    serves: Vec<String>,
    evidence: Vec<EvidenceRef>,
    /// What the SoA itself cites, less the files already linked.
    cited: Vec<String>,
    flags: String,
}

/// The SoA's rows; "also serves" grouped per framework (`~` marks a partial link).
pub fn soa(soa: &Soa, index: &EvidenceIndex, labels: &Labels<'_>) -> Vec<SoaRow> {
    soa.entries
        .iter()
        .map(|e| {
            let class = match e.implementation {
                Implementation::Implemented | Implementation::ImplementedViaLink => "satisfied",
                Implementation::Partial => "partial",
                Implementation::NotImplemented => "failing",
                Implementation::Untested => "untested",
                Implementation::Excluded => "na",
            };
            let mut serves: Vec<(String, Vec<String>)> = Vec::new();
            for s in &e.serves {
                let id = match s.support {
                    Support::Full => s.id.clone(),
                    _ => format!("{}~", s.id),
                };
                match serves.last_mut() {
                    Some((fw, ids)) if *fw == s.framework.as_str() => ids.push(id),
                    _ => serves.push((s.framework.to_string(), vec![id])),
                }
            }
            let evidence: Vec<EvidenceRef> =
                e.evidence.iter().filter_map(|f| index.link(f)).collect();
            // The SoA's own references, less any part that names a file already linked
            // (`ISMS Manual s.5; org/profile.json` keeps only the manual).
            let cited = e
                .soa_evidence
                .iter()
                .flat_map(|c| c.split(';'))
                .map(str::trim)
                .filter(|c| !c.is_empty() && !e.evidence.iter().any(|f| f == c))
                .map(str::to_string)
                .collect();
            SoaRow {
                control: e.control.clone(),
                title: e.title.clone(),
                applicable: e.applicable_text(),
                justification: e.justification.clone(),
                declared: e
                    .declared
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                implementation: e.implementation.to_string(),
                class,
                owner: crate::report::soa::owner_text(e),
                risks: e.risks.join(" "),
                last_tested: crate::report::soa::last_tested_text(e),
                serves: serves
                    .into_iter()
                    .map(|(fw, ids)| format!("{}: {}", labels.of(&fw), ids.join(" ")))
                    .collect(),
                evidence,
                cited,
                flags: e.flags.iter().map(|c| c.id).collect::<Vec<_>>().join(" "),
            }
        })
        .collect()
}

/// One evidence file: what it is and what it serves.
#[derive(Serialize)]
pub struct EvidenceRow {
    file: String,
    anchor: String,
    kind: String,
    frameworks: usize,
    satisfies: usize,
    supports: usize,
    rules: String,
    controls: String,
}

/// Every evidence file once: the reuse figures of files that passing results used, and
/// the files behind the SoA's decisions (failing ones included), with the controls whose
/// row cites each.
pub fn evidence(
    report: &EvalReport<'_>,
    soa: &Soa,
    index: &EvidenceIndex,
    facts: &[(Arc<str>, Arc<str>)],
) -> Vec<EvidenceRow> {
    let mut controls: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in &soa.entries {
        for f in &e.evidence {
            controls
                .entry(f.as_str())
                .or_default()
                .push(e.control.as_str());
        }
    }
    let kinds: BTreeMap<&str, &str> = facts.iter().map(|(p, k)| (&**p, &**k)).collect();
    let reuse: BTreeMap<&str, _> = report
        .reuse
        .items
        .iter()
        .map(|i| (i.file.as_str(), i))
        .collect();
    index
        .anchors
        .iter()
        .map(|(file, anchor)| {
            let item = reuse.get(file.as_str());
            EvidenceRow {
                file: file.clone(),
                anchor: anchor.clone(),
                kind: item
                    .map(|i| i.kind.clone())
                    .or_else(|| kinds.get(file.as_str()).map(|k| k.to_string()))
                    .unwrap_or_default(),
                frameworks: item.map_or(0, |i| i.framework_count()),
                satisfies: item.map_or(0, |i| i.satisfied_count()),
                supports: item.map_or(0, |i| i.supported_count()),
                rules: item.map(|i| i.rules.join(", ")).unwrap_or_default(),
                controls: controls
                    .get(file.as_str())
                    .map(|c| c.join(" "))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// A graded finding.
#[derive(Serialize)]
pub struct FindingRow {
    grade: &'static str,
    class: &'static str,
    rule: String,
    title: String,
    requirements: String,
    messages: Vec<String>,
}

/// The findings, most serious first (the view's order).
pub fn findings(readiness: &Readiness) -> Vec<FindingRow> {
    readiness
        .findings
        .iter()
        .map(|f| FindingRow {
            grade: f.grade,
            class: match f.severity {
                crate::rules::RuleSeverity::Major => "failing",
                crate::rules::RuleSeverity::Minor => "partial",
                crate::rules::RuleSeverity::Ofi => "untested",
            },
            rule: f.rule.clone(),
            title: f.title.clone(),
            requirements: f.requirements.join(" "),
            messages: f.messages.clone(),
        })
        .collect()
}
