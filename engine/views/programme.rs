//! The ISO 27001 certification cycle as a plan: Stage 1, Stage 2 (certification), surveillance
//! 1 (year 2), surveillance 2 (year 3) and recertification (year 4, the start of the next
//! cycle), with what each audit covers, the auditor-days for the headcount and the SOC 2
//! observation periods of the same years.
//!
//! - **Controls**: Stage 2 and recertification audit every applicable Annex A control (from
//!   the SoA view). The two surveillance audits split them between them, theme by theme: each
//!   theme's controls in catalog order, the first half to surveillance 1 and the rest to
//!   surveillance 2, an odd one going to whichever audit has fewer so far. So each control is
//!   audited again once over the two, and their sizes differ by at most one.
//! - **Clauses**: every audit covers 9.1, 9.2, 9.3, 10.1 and 10.2 and the parts of 4-8 that
//!   move with change (4.3 scope, 6.1 risk, 6.3 changes, 8.2 and 8.3 risk assessment and
//!   treatment); Stage 1, Stage 2 and recertification cover every clause.
//! - **Prior findings first**: a control or clause a failing rule tests goes into the next
//!   audit that looks at controls, first in its list, with the rule and its grade; the audit
//!   after it follows the correction up.
//! - **Changed areas first**: the `isms_change` items dated after the last internal audit name
//!   the controls they touch (`controls`, or `A.x.y` ids in the description); those controls
//!   come next in the next audit, marked "changed since last audit", and clause 6.3 lists
//!   every such change.

use crate::crosswalk::Crosswalk;
use crate::eval::Outcome;
use crate::facts::Corpus;
use crate::ids::ISO_2022;
use crate::views::drivers::{self, AuditTimeRow, CostDrivers};
use crate::views::readiness::Readiness;
use crate::views::soa::Soa;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Version tag of `xwalk programme --format json` (docs/schemas/programme.schema.json).
pub const SCHEMA: &str = "xwalk.programme.v1";

/// The clauses every audit of the cycle covers.
pub const EVERY_AUDIT: [&str; 10] = [
    "4.3", "6.1", "6.3", "8.2", "8.3", "9.1", "9.2", "9.3", "10.1", "10.2",
];

/// Why an item is in an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A failing rule tests it: audited first.
    PriorFinding,
    /// The audit after a prior finding checks that the correction worked.
    FollowUp,
    /// An ISMS change since the last audit touches it.
    Changed,
    /// Covered in every audit of the cycle.
    EveryAudit,
    /// Stage 1 reviews the documented ISMS.
    Documentation,
    /// Stage 2 and recertification audit everything applicable.
    FullAudit,
    /// The surveillance rotation's share.
    Rotation,
}

impl Reason {
    /// The spelling used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::PriorFinding => "prior finding",
            Reason::FollowUp => "follow-up of a prior finding",
            Reason::Changed => "changed since last audit",
            Reason::EveryAudit => "every audit",
            Reason::Documentation => "documentation review",
            Reason::FullAudit => "full audit",
            Reason::Rotation => "surveillance rotation",
        }
    }
}

/// One reason, with its detail (the rule and grade, the change).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Why {
    /// The reason.
    pub reason: Reason,
    /// What stands behind it.
    pub detail: String,
}

/// A clause or control in an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Clause (`9.2`) or control (`A.5.15`) id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Why it is in this audit, most pressing first.
    pub why: Vec<Why>,
}

impl Item {
    /// Prior findings and their follow-ups first, then changes, then the rest.
    fn rank(&self) -> u8 {
        if self.has(Reason::PriorFinding) || self.has(Reason::FollowUp) {
            0
        } else if self.has(Reason::Changed) {
            1
        } else {
            2
        }
    }

    /// True when a reason of this kind is given.
    pub fn has(&self, reason: Reason) -> bool {
        self.why.iter().any(|w| w.reason == reason)
    }
}

/// One audit of the cycle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    /// `stage1`, `stage2`, `surveillance1`, `surveillance2`, `recertification`.
    pub id: &'static str,
    /// Its name.
    pub name: &'static str,
    /// Year of the cycle (1 to 4; 4 is the first year of the next cycle).
    pub year: u32,
    /// Planned date.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub date: Date,
    /// Auditor-days, an estimate (when a headcount is known).
    pub auditor_days: Option<f64>,
    /// Clauses it covers, prior findings and changes first.
    pub clauses: Vec<Item>,
    /// Annex A controls it covers, prior findings and changes first.
    pub controls: Vec<Item>,
}

/// The auditor-days estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditorDays {
    /// Always `estimate`: a certification body adjusts the days.
    pub label: &'static str,
    /// The headcount used.
    pub headcount: Option<u64>,
    /// Where the headcount came from.
    pub headcount_from: Option<String>,
    /// The row of the chart used.
    pub row: Option<AuditTimeRow>,
    /// Stage 1 + Stage 2.
    pub initial: Option<f64>,
    /// Stage 1: a third of the initial time, rounded up to half a day.
    pub stage1: Option<f64>,
    /// Stage 2: the rest.
    pub stage2: Option<f64>,
    /// Each surveillance audit: a third of the initial time.
    pub surveillance: Option<f64>,
    /// Recertification: two thirds of the initial time.
    pub recertification: Option<f64>,
    /// Where the chart comes from.
    pub source: &'static str,
}

/// A SOC 2 Type II observation period beside the cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Soc2Period {
    /// Year of the cycle.
    pub year: u32,
    /// First day.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub from: Date,
    /// Last day.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub to: Date,
    /// How it was chosen.
    pub basis: String,
}

/// An ISMS change and the controls it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Its reference.
    pub id: String,
    /// When it took effect.
    pub date: String,
    /// What changed.
    pub description: String,
    /// The Annex A controls it names.
    pub controls: Vec<String>,
    /// Dated after the last internal audit (or within 12 months when there is none).
    pub since_last_audit: bool,
    /// The facts file.
    pub file: String,
}

/// Everything `xwalk programme` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    /// Schema version, always [`SCHEMA`].
    pub schema: &'static str,
    /// Evaluation date.
    pub as_of: String,
    /// The organisation's name from `org_profile`.
    pub organisation: Option<String>,
    /// The Stage 1 date the cycle starts from.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub start: Date,
    /// Why that date.
    pub start_basis: String,
    /// The last internal audit, which "changed since last audit" counts from.
    pub last_internal_audit: Option<String>,
    /// Applicable Annex A controls (not excluded by the SoA).
    pub applicable_controls: Vec<String>,
    /// The five audits, in date order.
    pub audits: Vec<Audit>,
    /// The auditor-days estimate.
    pub auditor_days: AuditorDays,
    /// SOC 2 Type II periods of the same years.
    pub soc2_periods: Vec<Soc2Period>,
    /// The ISMS changes the facts record.
    pub changes: Vec<Change>,
    /// Caveats.
    pub notes: Vec<String>,
}

/// What the programme is built from.
pub struct ProgrammeInput<'a> {
    /// The crosswalk (clause titles).
    pub crosswalk: &'a Crosswalk,
    /// The SoA view.
    pub soa: &'a Soa,
    /// The readiness view (timeline, findings and their grades).
    pub readiness: &'a Readiness,
    /// The facts (`isms_change`, `internal_audit`, `org_profile`).
    pub facts: &'a Corpus,
    /// The evaluation date.
    pub as_of: Date,
    /// The run's observation period.
    pub period: Option<crate::dates::Period>,
    /// The Stage 1 date, when given.
    pub start: Option<Date>,
    /// The cost drivers (the headcount).
    pub drivers: &'a CostDrivers,
}

fn add_months(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().months(n)).unwrap_or(d)
}

fn theme_of(control: &str) -> &str {
    control
        .match_indices('.')
        .nth(1)
        .map_or(control, |(i, _)| &control[..i])
}

/// The top-level subclause a clause id belongs to (`9.2.2` -> `9.2`).
fn subclause(id: &str) -> Option<&str> {
    if id.starts_with("A.") || !id.contains('.') {
        return None;
    }
    Some(id.match_indices('.').nth(1).map_or(id, |(i, _)| &id[..i]))
}

/// Every Annex A control id that appears in a text (`A.5.15`), in order of appearance.
fn control_ids(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(pos) = text[i..].find("A.") {
        let start = i + pos;
        let mut end = start + 2;
        let mut dots = 0;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            if bytes[end] == b'.' {
                dots += 1;
            }
            end += 1;
        }
        let id = text[start..end].trim_end_matches('.');
        let boundary = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        if boundary && dots >= 1 && id.len() > 4 {
            out.push(id.to_string());
        }
        i = end.max(start + 2);
    }
    out
}

/// Build the programme.
pub fn build(input: &ProgrammeInput) -> Programme {
    let ProgrammeInput {
        crosswalk,
        soa,
        readiness,
        facts,
        as_of,
        period,
        start,
        drivers: given,
    } = input;
    let as_of = *as_of;
    let mut notes = Vec::new();
    let (start, start_basis) = match start {
        Some(d) => (*d, "--start".to_string()),
        None if readiness.stage2.ready => (
            as_of,
            "the evaluation date: ready for Stage 1 and Stage 2".to_string(),
        ),
        None => {
            let ahead = readiness.estimate.months_ahead.high.max(1) as i64;
            (
                add_months(as_of, ahead - 1),
                format!(
                    "the evaluation date + the readiness timeline: not ready yet, and {}-{} months ahead, so Stage 2 falls at its upper end",
                    readiness.estimate.months_ahead.low, readiness.estimate.months_ahead.high
                ),
            )
        }
    };
    let certification = add_months(start, 1);

    // Applicable controls in catalog order; titles from the SoA.
    let applicable: Vec<&crate::views::soa::SoaEntry> = soa
        .entries
        .iter()
        .filter(|e| e.applicable != Some(false))
        .collect();
    let grade_of: BTreeMap<&str, &str> = readiness
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.grade))
        .collect();
    let findings_of = |control: &str| -> Vec<String> {
        soa.entries
            .iter()
            .filter(|e| e.control == control)
            .flat_map(|e| e.rules.iter())
            .filter(|r| r.outcome == Outcome::Fail)
            .map(|r| match grade_of.get(r.rule.as_str()) {
                Some(g) => format!("{}: {g}", r.rule),
                None => r.rule.clone(),
            })
            .collect()
    };
    // Clause findings: the failing rules' requirement tags on clauses.
    let mut clause_findings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in &readiness.findings {
        for req in &f.requirements {
            let Some(id) = req.strip_prefix(&format!("{ISO_2022}:")) else {
                continue;
            };
            if let Some(sub) = subclause(id) {
                let list = clause_findings.entry(sub.to_string()).or_default();
                let text = format!("{}: {}", f.rule, f.grade);
                if !list.contains(&text) {
                    list.push(text);
                }
            }
        }
    }

    let (changes, last_audit) = changes(facts, as_of);
    let mut changed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in changes.iter().filter(|c| c.since_last_audit) {
        for control in &c.controls {
            changed
                .entry(control.clone())
                .or_default()
                .push(format!("{} ({}): {}", c.id, c.date, c.description));
        }
    }
    let recent: Vec<String> = changes
        .iter()
        .filter(|c| c.since_last_audit)
        .map(|c| format!("{} ({})", c.id, c.date))
        .collect();

    // The surveillance split, theme by theme.
    let mut by_theme: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut theme_order: Vec<String> = Vec::new();
    for e in &applicable {
        let t = theme_of(&e.control).to_string();
        if !by_theme.contains_key(&t) {
            theme_order.push(t.clone());
        }
        by_theme.entry(t).or_default().push(&e.control);
    }
    let (mut first, mut second): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for t in &theme_order {
        let list = &by_theme[t];
        let extra = usize::from(list.len() % 2 == 1 && first.len() <= second.len());
        let cut = list.len() / 2 + extra;
        first.extend(&list[..cut]);
        second.extend(&list[cut..]);
    }

    let plan = [
        ("stage1", "Stage 1 (documentation review)", 1, start),
        ("stage2", "Stage 2 (certification audit)", 1, certification),
        (
            "surveillance1",
            "Surveillance audit 1",
            2,
            add_months(certification, 12),
        ),
        (
            "surveillance2",
            "Surveillance audit 2",
            3,
            add_months(certification, 24),
        ),
        (
            "recertification",
            "Recertification audit",
            4,
            add_months(certification, 36),
        ),
    ];
    // The next audit that looks at controls, and the one after it.
    let next = plan
        .iter()
        .skip(1)
        .position(|(_, _, _, d)| *d >= as_of)
        .map(|i| i + 1);
    let follow = next.map(|i| i + 1).filter(|i| *i < plan.len());

    let days = auditor_days(given, facts);
    let clause_title = |id: &str| {
        crosswalk
            .find(ISO_2022, id)
            .map(|n| crosswalk.node(n).title.clone())
            .unwrap_or_default()
    };
    let all_clauses: Vec<String> = crosswalk
        .requirements(ISO_2022)
        .map(|n| crosswalk.node(n))
        .filter(|n| !n.id.starts_with("A.") && n.id.matches('.').count() == 1)
        .map(|n| n.id.clone())
        .collect();

    let mut audits = Vec::new();
    for (i, (id, name, year, date)) in plan.iter().enumerate() {
        let full = matches!(*id, "stage1" | "stage2" | "recertification");
        let base = if *id == "stage1" {
            Reason::Documentation
        } else {
            Reason::FullAudit
        };
        let mut clauses: Vec<Item> = all_clauses
            .iter()
            .filter(|c| full || EVERY_AUDIT.contains(&c.as_str()))
            .map(|c| Item {
                id: c.clone(),
                title: clause_title(c),
                why: vec![Why {
                    reason: if EVERY_AUDIT.contains(&c.as_str()) {
                        Reason::EveryAudit
                    } else {
                        base
                    },
                    detail: String::new(),
                }],
            })
            .collect();
        for item in &mut clauses {
            if Some(i) == next {
                for f in clause_findings.get(&item.id).into_iter().flatten() {
                    item.why.insert(0, why(Reason::PriorFinding, f));
                }
                if item.id == "6.3" && !recent.is_empty() {
                    item.why.insert(0, why(Reason::Changed, &recent.join(", ")));
                }
            }
            if Some(i) == follow {
                for f in clause_findings.get(&item.id).into_iter().flatten() {
                    item.why.insert(0, why(Reason::FollowUp, f));
                }
            }
        }
        let share: Option<&Vec<&str>> = match *id {
            "surveillance1" => Some(&first),
            "surveillance2" => Some(&second),
            _ => None,
        };
        let mut controls: Vec<Item> = Vec::new();
        if *id != "stage1" {
            for e in &applicable {
                let mut reasons = Vec::new();
                if Some(i) == next {
                    reasons.extend(
                        findings_of(&e.control)
                            .iter()
                            .map(|f| why(Reason::PriorFinding, f)),
                    );
                    reasons.extend(
                        changed
                            .get(&e.control)
                            .into_iter()
                            .flatten()
                            .map(|c| why(Reason::Changed, c)),
                    );
                }
                if Some(i) == follow {
                    reasons.extend(
                        findings_of(&e.control)
                            .iter()
                            .map(|f| why(Reason::FollowUp, f)),
                    );
                }
                match share {
                    None => reasons.push(why(Reason::FullAudit, "")),
                    Some(s) if s.contains(&e.control.as_str()) => {
                        reasons.push(why(Reason::Rotation, theme_of(&e.control)))
                    }
                    Some(_) => {}
                }
                if !reasons.is_empty() {
                    controls.push(Item {
                        id: e.control.clone(),
                        title: e.title.clone(),
                        why: reasons,
                    });
                }
            }
        }
        // Stable: catalog order within each rank.
        clauses.sort_by_key(Item::rank);
        controls.sort_by_key(Item::rank);
        let auditor_days = match *id {
            "stage1" => days.stage1,
            "stage2" => days.stage2,
            "recertification" => days.recertification,
            _ => days.surveillance,
        };
        audits.push(Audit {
            id,
            name,
            year: *year,
            date: *date,
            auditor_days,
            clauses,
            controls,
        });
    }

    let soc2_periods = soc2_periods(*period, &audits);
    if days.initial.is_none() {
        notes.push(
            "no headcount: give --headcount or org_profile.employees for the auditor-days"
                .to_string(),
        );
    }
    notes.push("auditor-days are an estimate from the published chart; a certification body adjusts them for complexity, sites, outsourcing and risk, and quotes its own".to_string());
    notes.push("the certificate runs three years from the certification decision: the certification body schedules recertification so that its decision falls before expiry, often two or three months before the anniversary shown".to_string());
    Programme {
        schema: SCHEMA,
        as_of: as_of.to_string(),
        organisation: readiness.organisation.clone(),
        start,
        start_basis,
        last_internal_audit: last_audit.map(|d| d.to_string()),
        applicable_controls: applicable.iter().map(|e| e.control.clone()).collect(),
        audits,
        auditor_days: days,
        soc2_periods,
        changes,
        notes,
    }
}

fn why(reason: Reason, detail: &str) -> Why {
    Why {
        reason,
        detail: detail.to_string(),
    }
}

/// The ISMS changes, and the date of the last internal audit held by the evaluation date.
fn changes(facts: &Corpus, as_of: Date) -> (Vec<Change>, Option<Date>) {
    let date = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .and_then(crate::dates::parse_date)
    };
    let last_audit = drivers::documents(facts, "internal_audit")
        .iter()
        .flat_map(|d| d.value.get("items").and_then(Value::as_array).cloned())
        .flatten()
        .filter_map(|i| date(&i, "date"))
        .filter(|d| *d <= as_of)
        .max();
    let since = last_audit.unwrap_or_else(|| add_months(as_of, -12));
    let mut out = Vec::new();
    for doc in drivers::documents(facts, "isms_change") {
        let items = doc.value.get("items").and_then(Value::as_array);
        for item in items.into_iter().flatten() {
            let text = |k: &str| {
                item.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let description = text("description");
            let mut controls: BTreeSet<String> = item
                .get("controls")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            controls.extend(control_ids(&description));
            let when = date(item, "date");
            out.push(Change {
                id: text("id"),
                date: when.map(|d| d.to_string()).unwrap_or_default(),
                description,
                controls: controls.into_iter().collect(),
                since_last_audit: when.is_some_and(|d| d > since && d <= as_of),
                file: doc.path.to_string(),
            });
        }
    }
    out.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
    (out, last_audit)
}

fn auditor_days(given: &CostDrivers, facts: &Corpus) -> AuditorDays {
    let headcount = drivers::headcount(given, facts);
    let row = headcount
        .as_ref()
        .and_then(|h| drivers::audit_time(h.value));
    let initial = row.map(|r| r.initial_days);
    let stage1 = initial.map(|d| drivers::half_days(d / 3.0));
    AuditorDays {
        label: "estimate",
        headcount: headcount.as_ref().map(|h| h.value),
        headcount_from: headcount.map(|h| h.from),
        row,
        initial,
        stage1,
        stage2: initial.zip(stage1).map(|(i, s)| i - s),
        surveillance: initial.map(|d| drivers::half_days(d / 3.0)),
        recertification: initial.map(|d| drivers::half_days(d * 2.0 / 3.0)),
        source: drivers::AUDIT_TIME_SOURCE,
    }
}

/// The run's period and the two 12-month periods after it; without one, the 12 months
/// ending at each surveillance audit and at recertification.
fn soc2_periods(period: Option<crate::dates::Period>, audits: &[Audit]) -> Vec<Soc2Period> {
    match period {
        Some(p) => {
            let mut out = vec![Soc2Period {
                year: 1,
                from: p.from,
                to: p.to,
                basis: "the run's --period".to_string(),
            }];
            let mut to = p.to;
            for year in 2..=3 {
                let from = to.tomorrow().unwrap_or(to);
                to = add_months(to, 12);
                out.push(Soc2Period {
                    year,
                    from,
                    to,
                    basis: "the 12 months after the previous period".to_string(),
                });
            }
            out
        }
        None => audits
            .iter()
            .filter(|a| a.year >= 2)
            .map(|a| Soc2Period {
                year: a.year - 1,
                from: add_months(a.date, -12),
                to: a.date.yesterday().unwrap_or(a.date),
                basis: format!("the 12 months before {}", a.name.to_lowercase()),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_are_read_from_text() {
        assert_eq!(
            control_ids("new approval matrix (A.5.3, A.8.32.) and A.7"),
            ["A.5.3", "A.8.32"]
        );
        assert!(control_ids("DATA.5.3").is_empty());
        assert_eq!(theme_of("A.8.32"), "A.8");
        assert_eq!(subclause("9.2.2"), Some("9.2"));
        assert_eq!(subclause("A.5.1"), None);
    }
}
