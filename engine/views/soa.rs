//! The Statement of Applicability (SoA) of ISO/IEC 27001:2022: every Annex A control, with what
//! the organisation declares about it, what the rules measured, and the defects an auditor flags.
//!
//! The 93 controls come from the catalog, never from the facts, so a control the SoA forgot is
//! still listed (and flagged). For each control:
//!
//! - *applicable* and *justification* come from the `soa` facts;
//! - *declared* is the SoA's own `implementation` field;
//! - *implementation* is derived from rule results through [`crate::coverage`]:
//!   coverage `satisfied` -> [`Implementation::Implemented`] when every procedure of the
//!   control passes here, or `ImplementedViaLink` when only a full link from a requirement
//!   measured satisfied elsewhere makes it so; `partial` -> `Partial`, `failing` ->
//!   `NotImplemented`, `untested` -> `Untested`, and a control the SoA excludes (coverage
//!   `not-applicable`) -> `Excluded`. So "implemented" always means "every test procedure
//!   of it measured working";
//! - *evidence* lists the facts files behind the rule results that decided it, and the
//!   references the SoA itself gives;
//! - *serves* lists the requirements of other frameworks (SOC 2, NIST CSF ...) the control
//!   is linked to, with the support the link carries (full or partial).

use crate::coverage::{FrameworkCoverage, ProcedureCounts, RequirementCoverage, Status, Trace};
use crate::crosswalk::{Crosswalk, NodeId, Relationship, Scope, Support};
use crate::dates::{days_between, parse_date};
use crate::diag::codes::{self, Code};
use crate::error::Error;
use crate::eval::{Evaluation, Outcome, RuleResult};
use crate::facts::soa::{self as declared_soa, text_field, Declared};
use crate::facts::{Document, FactsSet};
use crate::ids::FrameworkId;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Framework id of ISO/IEC 27001:2013 (predecessor links are not "serves" links).
pub use crate::ids::ISO_2013;
/// Framework id of ISO/IEC 27001:2022.
pub use crate::ids::ISO_2022;
/// Version tag of `xwalk soa --format json`; bumped on any incompatible change
/// (see docs/json-outputs.md, schema in docs/schemas/soa.schema.json).
pub const SCHEMA: &str = "xwalk.soa.v1";
/// Days after which an SoA review is stale (12 months, as the `soa.reviewed` rule counts).
pub const REVIEW_DAYS: i64 = 365;

/// Justifications that say nothing (compared lower-cased and trimmed), as `soa.exclusions-justified` reads them.
const PLACEHOLDERS: [&str; 8] = [
    "",
    "n/a",
    "na",
    "-",
    "none",
    "not applicable",
    "tbd",
    "todo",
];

/// How far a control is implemented, as measured by the rules (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Implementation {
    /// Coverage `satisfied` by its own procedures: every one passes here.
    Implemented,
    /// Coverage `satisfied` only through a full link from a requirement measured
    /// satisfied elsewhere; its own procedures are not all tested here.
    ImplementedViaLink,
    /// Coverage `partial`: only partial links or inconclusive rules.
    Partial,
    /// Coverage `failing`: a rule testing it fails.
    NotImplemented,
    /// Coverage `untested`: no rule reaches it.
    Untested,
    /// Excluded in the SoA (coverage `not-applicable`).
    Excluded,
}

impl Implementation {
    /// Every value, in report order.
    pub const ALL: [Implementation; 6] = [
        Implementation::Implemented,
        Implementation::ImplementedViaLink,
        Implementation::Partial,
        Implementation::NotImplemented,
        Implementation::Untested,
        Implementation::Excluded,
    ];

    /// The derivation from a coverage status.
    pub fn from_status(status: Status) -> Self {
        match status {
            Status::Satisfied => Implementation::Implemented,
            Status::Partial => Implementation::Partial,
            Status::Failing => Implementation::NotImplemented,
            Status::Untested => Implementation::Untested,
            Status::NotApplicable => Implementation::Excluded,
        }
    }

    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Implemented => "implemented",
            Implementation::ImplementedViaLink => "implemented-via-link",
            Implementation::Partial => "partial",
            Implementation::NotImplemented => "not-implemented",
            Implementation::Untested => "untested",
            Implementation::Excluded => "excluded",
        }
    }
}

impl fmt::Display for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of SoA defect, each with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DefectKind {
    /// SOA00: the facts hold no Statement of Applicability at all.
    NoSoa,
    /// SOA01: an Annex A control is missing from the SoA.
    NotInSoa,
    /// SOA02: a control is excluded without a real justification.
    UnjustifiedExclusion,
    /// SOA03: a control is applicable but declared planned or not implemented.
    ApplicableNotImplemented,
    /// SOA04: a control is applicable but no rule tests it (no evidence it operates).
    ApplicableUntested,
    /// SOA05: the SoA declares a control implemented but a rule testing it fails.
    DeclaredButFailing,
    /// SOA06: the SoA was not reviewed within the last 12 months (or never).
    ReviewOverdue,
    /// SOA07: the SoA was last reviewed before the last organisational change.
    ReviewBeforeOrgChange,
    /// SOA08: a control is listed more than once.
    Duplicate,
    /// SOA09: an `A.` id that is not a 2022 Annex A control (often left over from 2013).
    UnknownControl,
}

impl DefectKind {
    /// The stable code.
    pub fn code(self) -> &'static Code {
        match self {
            DefectKind::NoSoa => codes::SOA00,
            DefectKind::NotInSoa => codes::SOA01,
            DefectKind::UnjustifiedExclusion => codes::SOA02,
            DefectKind::ApplicableNotImplemented => codes::SOA03,
            DefectKind::ApplicableUntested => codes::SOA04,
            DefectKind::DeclaredButFailing => codes::SOA05,
            DefectKind::ReviewOverdue => codes::SOA06,
            DefectKind::ReviewBeforeOrgChange => codes::SOA07,
            DefectKind::Duplicate => codes::SOA08,
            DefectKind::UnknownControl => codes::SOA09,
        }
    }

    /// A short name for the defect.
    pub fn name(self) -> &'static str {
        match self {
            DefectKind::NoSoa => "no SoA",
            DefectKind::NotInSoa => "not in SoA",
            DefectKind::UnjustifiedExclusion => "exclusion without justification",
            DefectKind::ApplicableNotImplemented => "applicable but not implemented",
            DefectKind::ApplicableUntested => "applicable with no test",
            DefectKind::DeclaredButFailing => "declared implemented but rules fail",
            DefectKind::ReviewOverdue => "not reviewed within 12 months",
            DefectKind::ReviewBeforeOrgChange => {
                "not reviewed since the last organisational change"
            }
            DefectKind::Duplicate => "listed more than once",
            DefectKind::UnknownControl => "not a 2022 Annex A control",
        }
    }
}

/// One defect: its kind, the control (absent for defects of the whole SoA) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defect {
    /// Stable code, e.g. `SOA02`.
    pub code: &'static Code,
    /// Its kind.
    pub kind: DefectKind,
    /// The control concerned, when the defect is about one control.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Defect {
    fn new(kind: DefectKind, control: Option<&str>, message: impl Into<String>) -> Self {
        Defect {
            code: kind.code(),
            kind,
            control: control.map(str::to_string),
            message: message.into(),
        }
    }
}

/// A rule that tests a control directly, with its overall outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCheck {
    /// Rule id.
    pub rule: String,
    /// Worst outcome over the documents it ran on.
    pub outcome: Outcome,
}

/// A requirement of another framework that a control also serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Served {
    /// Framework id.
    pub framework: FrameworkId,
    /// Requirement id.
    pub id: String,
    /// Relationship of the control to it.
    pub relationship: Relationship,
    /// Full or partial.
    pub support: Support,
}

/// One row of the SoA: one Annex A control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SoaEntry {
    /// Control id, e.g. `A.5.15`.
    pub control: String,
    /// Short title from the catalog.
    pub title: String,
    /// Annex A theme.
    pub theme: String,
    /// True when the SoA facts list the control.
    pub in_soa: bool,
    /// Applicability as the SoA declares it (absent when not in the SoA).
    pub applicable: Option<bool>,
    /// The SoA's justification (empty when none).
    pub justification: String,
    /// The SoA's own implementation field (`implemented`, `partial`, `planned`, `not-implemented`).
    pub declared: Option<Declared>,
    /// Implementation derived from rule results via coverage.
    pub implementation: Implementation,
    /// The coverage status it was derived from.
    pub coverage: Status,
    /// Its test procedures: total, tested, passing (from coverage).
    pub procedures: ProcedureCounts,
    /// Rules testing the control directly.
    pub rules: Vec<RuleCheck>,
    /// Requirements whose passing rules reach this control through a link (`FW:ID`).
    pub via: Vec<String>,
    /// Facts files behind the deciding rule results.
    pub evidence: Vec<String>,
    /// Evidence references written in the SoA.
    pub soa_evidence: Vec<String>,
    /// Who answers for the control, as the SoA names them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Who provides the evidence of its test procedures (roles from the procedure files), for
    /// a control whose SoA entry names no owner.
    pub procedure_owners: Vec<String>,
    /// How the control is implemented, in the SoA's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Risks of the risk register treated by this control (their ids).
    pub risks: Vec<String>,
    /// When the control was last tested: the oldest collection date of the evidence behind
    /// the rule results that decided it (absent when none decided it or one is undated, so it
    /// never reads fresher than its oldest evidence).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::dates::serialize_opt"
    )]
    pub last_tested: Option<Date>,
    /// Requirements of other frameworks the control also serves.
    pub serves: Vec<Served>,
    /// Codes of the defects flagged on this control.
    pub flags: Vec<&'static Code>,
}

impl SoaEntry {
    /// The applicability column: `yes`, `no` or `not in SoA`.
    pub fn applicable_text(&self) -> &'static str {
        match self.applicable {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not in SoA",
        }
    }

    /// Requirements served in one framework.
    pub fn serves_in<'a>(&'a self, framework: &'a str) -> impl Iterator<Item = &'a Served> + 'a {
        self.serves.iter().filter(move |s| s.framework == framework)
    }
}

/// Headline counts of the SoA.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SoaSummary {
    /// Annex A controls in the catalog.
    pub controls: usize,
    /// Declared applicable.
    pub applicable: usize,
    /// Declared not applicable.
    pub excluded: usize,
    /// Missing from the SoA.
    pub not_in_soa: usize,
    /// Derived implemented, by its own procedures.
    pub implemented: usize,
    /// Derived implemented only through a full link.
    pub implemented_via_link: usize,
    /// Derived partial.
    pub partial: usize,
    /// Derived not implemented (a rule fails).
    pub not_implemented: usize,
    /// Derived untested.
    pub untested: usize,
    /// Applicable (or unlisted) controls that are implemented and tested.
    pub applicable_implemented: usize,
    /// Defects flagged, the SoA's own included.
    pub defects: usize,
}

/// The document-level fields of the SoA facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SoaHeader {
    /// Facts files holding the SoA.
    pub files: Vec<String>,
    /// The SoA's version.
    pub version: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When it was last reviewed.
    pub reviewed_on: Option<String>,
    /// The last organisational change recorded in `org_profile`.
    pub last_org_change: Option<String>,
}

/// The Statement of Applicability view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Soa {
    /// Schema version, always [`SCHEMA`].
    pub schema: &'static str,
    /// Evaluation date.
    pub as_of: String,
    /// The SoA document's own fields.
    pub header: SoaHeader,
    /// Headline counts.
    pub summary: SoaSummary,
    /// The parts of the other frameworks each control is shown to serve (left out
    /// when everything is).
    #[serde(skip_serializing_if = "Scope::is_whole")]
    pub scope: Scope,
    /// One entry per Annex A control, in catalog order.
    pub entries: Vec<SoaEntry>,
    /// Every defect: those of the whole SoA first, then by control in catalog order.
    pub defects: Vec<Defect>,
}

impl Soa {
    /// True when any defect is flagged.
    pub fn has_defects(&self) -> bool {
        !self.defects.is_empty()
    }

    /// Defects of the whole SoA (not about one control).
    pub fn document_defects(&self) -> impl Iterator<Item = &Defect> + '_ {
        self.defects.iter().filter(|d| d.control.is_none())
    }
}

/// One SoA item as read from the facts.
#[derive(Debug, Clone, Default)]
struct Item {
    applicable: Option<bool>,
    justification: String,
    declared: Option<Declared>,
    evidence: Vec<String>,
    owner: Option<String>,
    description: Option<String>,
    count: usize,
}

/// True when a justification says nothing.
pub fn is_placeholder(justification: &str) -> bool {
    PLACEHOLDERS.contains(&justification.trim().to_lowercase().as_str())
}

/// Every item of the SoA documents, keyed by control; the first row of a control counts.
fn read_items(docs: &[&Document]) -> BTreeMap<String, Item> {
    let mut items: BTreeMap<String, Item> = BTreeMap::new();
    for raw in declared_soa::items(docs.iter().copied()) {
        let item = items.entry(raw.control).or_default();
        item.count += 1;
        if item.count > 1 {
            continue;
        }
        item.applicable = raw.applicable;
        item.justification = raw.justification;
        item.declared = raw.declared;
        item.evidence = raw.evidence;
        item.owner = raw.owner;
        item.description = raw.description;
    }
    items
}

/// The risks of the risk register that name each control (`controls: ["A.5.15"]`): control ->
/// risk ids, in register order. A malformed register links nothing.
fn linked_risks(facts: &FactsSet) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for doc in facts
        .of_kind("risk_register")
        .filter(|d| d.violations.is_empty())
    {
        let items = doc.value.get("items").and_then(serde_json::Value::as_array);
        for item in items.into_iter().flatten() {
            let Some(id) = text_field(item, "id") else {
                continue;
            };
            let controls = item.get("controls").and_then(serde_json::Value::as_array);
            for c in controls.into_iter().flatten().filter_map(|c| c.as_str()) {
                let list = out
                    .entry(crate::ids::bare_id(c.trim(), ISO_2022).to_string())
                    .or_default();
                if !list.contains(&id) {
                    list.push(id.clone());
                }
            }
        }
    }
    out
}

/// Facts files behind the results of a rule (the file evaluated and every file its evidence cites).
fn result_files<'a>(results: impl Iterator<Item = &'a RuleResult>) -> BTreeSet<String> {
    let mut files = BTreeSet::new();
    for r in results {
        files.extend(r.file.as_deref().map(str::to_string));
        files.extend(
            r.evidence
                .iter()
                .map(|e| e.split('#').next().unwrap_or(e).to_string()),
        );
    }
    files
}

/// The Annex A controls of the catalog, in catalog order.
pub fn annex_a(crosswalk: &Crosswalk) -> Vec<NodeId> {
    crosswalk
        .assessable(ISO_2022)
        .filter(|n| {
            let node = crosswalk.node(*n);
            node.id.starts_with("A.") && node.kind == "control"
        })
        .collect()
}

/// Build the SoA view.
///
/// `coverage` must be the coverage of `iso27001-2022` computed from the same evaluation and facts.
pub fn build(
    crosswalk: &Crosswalk,
    coverage: &FrameworkCoverage,
    evaluation: &Evaluation,
    facts: &FactsSet,
    as_of: Date,
    scope: &Scope,
) -> Result<Soa, Error> {
    crosswalk.framework(ISO_2022)?;
    if coverage.framework != ISO_2022 {
        return Err(Error::Usage(format!(
            "the SoA needs the coverage of {ISO_2022}, not of {}",
            coverage.framework
        )));
    }
    let docs: Vec<&Document> = facts.of_kind(declared_soa::KIND).map(|d| &**d).collect();
    let items = read_items(&docs);
    let header = read_header(&docs, facts);
    let by_id: BTreeMap<&str, &RequirementCoverage> = coverage
        .requirements
        .iter()
        .map(|r| (r.id.as_str(), r))
        .collect();
    let mut defects = document_defects(&docs, &header, as_of);
    let risks = linked_risks(facts);
    let controls = annex_a(crosswalk);
    let known: BTreeSet<&str> = controls
        .iter()
        .map(|n| crosswalk.node(*n).id.as_str())
        .collect();
    for id in items.keys() {
        if id.starts_with("A.") && !known.contains(id.as_str()) {
            defects.push(Defect::new(
                DefectKind::UnknownControl,
                None,
                format!("the SoA lists {id}, which is not an ISO 27001:2022 Annex A control"),
            ));
        }
    }
    let mut entries = Vec::with_capacity(controls.len());
    for node in controls {
        let (entry, found) = entry(
            crosswalk,
            node,
            by_id.get(crosswalk.node(node).id.as_str()).copied(),
            items.get(&crosswalk.node(node).id),
            evaluation,
            !docs.is_empty(),
        );
        defects.extend(found);
        let mut entry = entry;
        entry.risks = risks.get(&entry.control).cloned().unwrap_or_default();
        entry.serves.retain(|s| {
            crosswalk
                .find(&s.framework, &s.id)
                .is_some_and(|n| scope.contains(crosswalk, n))
        });
        entries.push(entry);
    }
    for e in &mut entries {
        e.flags = defects
            .iter()
            .filter(|d| d.control.as_deref() == Some(e.control.as_str()))
            .map(|d| d.code)
            .collect();
    }
    let summary = summarise(&entries, defects.len());
    Ok(Soa {
        schema: SCHEMA,
        as_of: as_of.to_string(),
        header,
        summary,
        scope: scope.clone(),
        entries,
        defects,
    })
}

fn read_header(docs: &[&Document], facts: &FactsSet) -> SoaHeader {
    let first = docs.first();
    let field = |key: &str| first.and_then(|d| text_field(&d.value, key));
    SoaHeader {
        files: docs.iter().map(|d| d.path.to_string()).collect(),
        version: field("version"),
        approved_by: field("approved_by"),
        reviewed_on: field("reviewed_on"),
        last_org_change: facts
            .of_kind("org_profile")
            .filter_map(|d| text_field(&d.value, "last_org_change"))
            .max(),
    }
}

fn document_defects(docs: &[&Document], header: &SoaHeader, as_of: Date) -> Vec<Defect> {
    if docs.is_empty() {
        return vec![Defect::new(
            DefectKind::NoSoa,
            None,
            "the facts hold no Statement of Applicability (kind soa)",
        )];
    }
    let mut out = Vec::new();
    let reviewed = header.reviewed_on.as_deref().and_then(parse_date);
    match reviewed {
        None => out.push(Defect::new(
            DefectKind::ReviewOverdue,
            None,
            "the SoA has no review date: it has never been reviewed",
        )),
        Some(on) if days_between(on, as_of) > REVIEW_DAYS => out.push(Defect::new(
            DefectKind::ReviewOverdue,
            None,
            format!(
                "the SoA was last reviewed on {on}, {} days before {as_of}",
                days_between(on, as_of)
            ),
        )),
        Some(on) if days_between(on, as_of) < 0 => out.push(Defect::new(
            DefectKind::ReviewOverdue,
            None,
            format!("the SoA's review date {on} is after {as_of}"),
        )),
        Some(_) => {}
    }
    let changed = header.last_org_change.as_deref().and_then(parse_date);
    if let (Some(on), Some(changed)) = (reviewed, changed) {
        if on < changed && changed <= as_of {
            out.push(Defect::new(
                DefectKind::ReviewBeforeOrgChange,
                None,
                format!(
                    "the SoA was last reviewed on {on}, before the organisational change of {changed}"
                ),
            ));
        }
    }
    out
}

fn entry(
    crosswalk: &Crosswalk,
    node: NodeId,
    coverage: Option<&RequirementCoverage>,
    item: Option<&Item>,
    evaluation: &Evaluation,
    have_soa: bool,
) -> (SoaEntry, Vec<Defect>) {
    let n = crosswalk.node(node);
    let status = coverage.map_or(Status::Untested, |c| c.status);
    let mut rules = Vec::new();
    let mut via = Vec::new();
    let mut deciding: Vec<(String, bool)> = Vec::new();
    for trace in coverage.map(|c| c.because.as_slice()).unwrap_or_default() {
        match trace {
            Trace::Rule { rule, outcome, .. } => {
                if !rules.iter().any(|c: &RuleCheck| &c.rule == rule) {
                    rules.push(RuleCheck {
                        rule: rule.clone(),
                        outcome: *outcome,
                    });
                    deciding.push((rule.clone(), false));
                }
            }
            Trace::Link { from, rules, .. } => {
                via.push(from.clone());
                deciding.extend(rules.iter().map(|r| (r.clone(), true)));
            }
            Trace::FailingPart { from, rules, .. } | Trace::WaivedPart { from, rules, .. } => {
                via.push(from.clone());
                deciding.extend(rules.iter().map(|r| (r.clone(), false)));
            }
            Trace::Excluded { .. } => {}
        }
    }
    let mut evidence = BTreeSet::new();
    // The oldest collection date of the deciding results; `Some(None)` once one is undated.
    let mut oldest: Option<Option<Date>> = None;
    for (rule, passing_only) in &deciding {
        let results: Vec<&RuleResult> = evaluation
            .of_rule(rule)
            .filter(|r| {
                matches!(r.outcome, Outcome::Pass)
                    || (!passing_only && matches!(r.outcome, Outcome::Fail | Outcome::Waived))
            })
            .collect();
        for r in &results {
            oldest = Some(match (oldest, r.collected_on) {
                (None, d) => d,
                (Some(Some(a)), Some(b)) => Some(a.min(b)),
                _ => None,
            });
        }
        evidence.extend(result_files(results.into_iter()));
    }
    let serves = crosswalk
        .links(node)
        .into_iter()
        .filter_map(|v| {
            let other = crosswalk.node(v.other);
            let support = v.relationship.support();
            let skip = other.framework == ISO_2022
                || other.framework == ISO_2013
                || support == Support::None;
            (!skip).then(|| Served {
                framework: other.framework.clone(),
                id: other.id.clone(),
                relationship: v.relationship,
                support,
            })
        })
        .collect();
    let own_procedures_pass = coverage.is_some_and(RequirementCoverage::met_by_own_procedures);
    let procedures = coverage.map(|c| c.procedure_counts).unwrap_or_default();
    let implementation = match Implementation::from_status(status) {
        Implementation::Implemented if !own_procedures_pass => Implementation::ImplementedViaLink,
        other => other,
    };
    let entry = SoaEntry {
        control: n.id.clone(),
        title: n.title.clone(),
        theme: n.theme.clone().unwrap_or_default(),
        in_soa: item.is_some(),
        applicable: item.and_then(|i| i.applicable),
        justification: item.map(|i| i.justification.clone()).unwrap_or_default(),
        declared: item.and_then(|i| i.declared.clone()),
        implementation,
        coverage: status,
        procedures,
        rules,
        via,
        evidence: evidence.into_iter().collect(),
        soa_evidence: item.map(|i| i.evidence.clone()).unwrap_or_default(),
        owner: item.and_then(|i| i.owner.clone()),
        procedure_owners: crosswalk
            .procedures(node)
            .iter()
            .map(|p| p.owner.trim().to_string())
            .filter(|o| !o.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        description: item.and_then(|i| i.description.clone()),
        risks: Vec::new(),
        last_tested: oldest.flatten(),
        serves,
        flags: Vec::new(),
    };
    let defects = control_defects(&entry, item, have_soa);
    (entry, defects)
}

fn control_defects(e: &SoaEntry, item: Option<&Item>, have_soa: bool) -> Vec<Defect> {
    let id = Some(e.control.as_str());
    let c = &e.control;
    let Some(item) = item else {
        let why = if have_soa {
            format!("{c} is missing from the SoA")
        } else {
            format!("{c} has no SoA entry (there is no SoA)")
        };
        return vec![Defect::new(DefectKind::NotInSoa, id, why)];
    };
    let mut out = Vec::new();
    if item.count > 1 {
        out.push(Defect::new(
            DefectKind::Duplicate,
            id,
            format!("{c} is listed {} times in the SoA", item.count),
        ));
    }
    let declared = e.declared.as_ref();
    match e.applicable {
        Some(false) if is_placeholder(&e.justification) => out.push(Defect::new(
            DefectKind::UnjustifiedExclusion,
            id,
            format!("{c} is excluded without a justification"),
        )),
        Some(false) => {}
        // Anything but `false` keeps the control in play; a missing value is treated as applicable.
        _ => {
            if !declared.is_some_and(Declared::in_place) {
                let shown = match declared {
                    None => "no implementation status",
                    Some(d) if d.as_str().is_empty() => "no implementation status",
                    Some(d) => d.as_str(),
                };
                out.push(Defect::new(
                    DefectKind::ApplicableNotImplemented,
                    id,
                    format!("{c} is applicable but declared {shown}"),
                ));
            }
            if e.implementation == Implementation::Untested {
                out.push(Defect::new(
                    DefectKind::ApplicableUntested,
                    id,
                    format!("{c} is applicable but no rule tests it"),
                ));
            }
        }
    }
    if declared == Some(&Declared::Implemented)
        && e.implementation == Implementation::NotImplemented
    {
        let failing: Vec<&str> = e
            .rules
            .iter()
            .filter(|r| r.outcome == Outcome::Fail)
            .map(|r| r.rule.as_str())
            .collect();
        out.push(Defect::new(
            DefectKind::DeclaredButFailing,
            id,
            format!(
                "{c} is declared implemented but {} fails",
                failing.join(", ")
            ),
        ));
    }
    out
}

fn summarise(entries: &[SoaEntry], defects: usize) -> SoaSummary {
    let mut s = SoaSummary {
        controls: entries.len(),
        defects,
        ..SoaSummary::default()
    };
    for e in entries {
        match e.applicable {
            Some(true) => s.applicable += 1,
            Some(false) => s.excluded += 1,
            None if e.in_soa => s.applicable += 1,
            None => s.not_in_soa += 1,
        }
        match e.implementation {
            Implementation::Implemented => s.implemented += 1,
            Implementation::ImplementedViaLink => s.implemented_via_link += 1,
            Implementation::Partial => s.partial += 1,
            Implementation::NotImplemented => s.not_implemented += 1,
            Implementation::Untested => s.untested += 1,
            Implementation::Excluded => {}
        }
        if e.applicable != Some(false) && e.implementation == Implementation::Implemented {
            s.applicable_implemented += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_not_justifications() {
        for p in ["", " N/A ", "none", "TBD", "Not applicable"] {
            assert!(is_placeholder(p), "{p}");
        }
        assert!(!is_placeholder(
            "No on-premises data centre; hosting is AWS."
        ));
    }

    #[test]
    fn implementation_follows_coverage() {
        assert_eq!(
            Implementation::from_status(Status::Satisfied),
            Implementation::Implemented
        );
        assert_eq!(
            Implementation::from_status(Status::Failing),
            Implementation::NotImplemented
        );
        assert_eq!(
            Implementation::from_status(Status::NotApplicable),
            Implementation::Excluded
        );
    }

    #[test]
    fn defect_codes_are_unique() {
        let kinds = [
            DefectKind::NoSoa,
            DefectKind::NotInSoa,
            DefectKind::UnjustifiedExclusion,
            DefectKind::ApplicableNotImplemented,
            DefectKind::ApplicableUntested,
            DefectKind::DeclaredButFailing,
            DefectKind::ReviewOverdue,
            DefectKind::ReviewBeforeOrgChange,
            DefectKind::Duplicate,
            DefectKind::UnknownControl,
        ];
        let codes: BTreeSet<&str> = kinds.iter().map(|k| k.code().id).collect();
        assert_eq!(codes.len(), kinds.len());
    }
}
