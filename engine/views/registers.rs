//! The registers an audit runs on: the nonconformity register (every finding, graded, with
//! its owner, due date and corrective action) and the evidence request list (every request an
//! auditor makes, with its owner, due date, period and sample).
//!
//! Nonconformities come from the failing rules, graded by extent ([`crate::eval::grade`]).
//! The root cause and the corrective action are those of a `corrective_action` item that
//! names the rule (`rule`) or one of the controls it tests (`controls`); a closed action whose
//! rule still fails is reported as not effective, never as closed. The owner is the action's,
//! else the SoA owner of a control the rule tests, else the roles that provide its evidence.
//! The due date is the action's, else [`MAJOR_DUE_DAYS`] or [`MINOR_DUE_DAYS`] from the
//! evaluation date; an opportunity for improvement has none.
//!
//! Requests are every request of the audit plan: those the set cover chose and those it left
//! out because they add no new requirement (an auditor still asks for them: MFA, access
//! reviews, vulnerability deadlines ...).

use crate::coverage::Coverage;
use crate::crosswalk::{Crosswalk, Examines};
use crate::dates::Period;
use crate::eval::grade::{grade_rule, Grading};
use crate::eval::{Evaluation, Outcome, Population};
use crate::facts::Corpus;
use crate::ids::ISO_2022;
use crate::rules::{RuleSet, RuleSeverity};
use crate::views::plan::{Plan, Request, RequestSource, RequestState};
use crate::views::readiness::GradeCounts;
use crate::views::sampling::{self, Frequency, Sample};
use crate::views::soa::Soa;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Version tag of `xwalk register nonconformities --format json`.
pub const NC_SCHEMA: &str = "xwalk.nonconformities.v1";
/// Version tag of `xwalk register requests --format json`.
pub const REQUESTS_SCHEMA: &str = "xwalk.requests.v1";
/// Days to close a major nonconformity when no action sets a date: certification waits
/// until it is corrected and the correction is verified.
pub const MAJOR_DUE_DAYS: i64 = 30;
/// Days to close a minor nonconformity when no action sets a date.
pub const MINOR_DUE_DAYS: i64 = 90;
/// Days from the evaluation date to the due date of evidence requests, unless given.
pub const REQUEST_DUE_DAYS: i64 = 30;

/// A corrective action recorded in the facts for a nonconformity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedAction {
    /// Its id.
    pub id: String,
    /// Evidence reference of the item.
    pub evidence: String,
    /// The root cause found (absent when not analysed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<String>,
    /// The action decided (absent when none yet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Its status as recorded (`open`, `closed`, ...).
    pub status: String,
}

/// One entry of the nonconformity register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nonconformity {
    /// Stable id: `NC-` and the rule id, so two runs name the same finding alike.
    pub id: String,
    /// The rule that found it.
    pub rule: String,
    /// The rule's title: what should hold.
    pub title: String,
    /// The grade by extent, and why.
    pub grading: Grading,
    /// The audit term for the grade.
    pub grade: &'static str,
    /// Requirements the rule tests (`FW:ID`), ISO 27001:2022 first.
    pub requirements: Vec<String>,
    /// What the failing results say.
    pub messages: Vec<String>,
    /// Evidence references of the failing results.
    pub evidence: Vec<String>,
    /// Who answers for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Where the owner comes from.
    pub owner_source: String,
    /// When it was raised: the evaluation date.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub raised_on: Date,
    /// When it is due (absent for an opportunity for improvement).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::dates::serialize_opt"
    )]
    pub due: Option<Date>,
    /// Where the due date comes from.
    pub due_source: String,
    /// The corrective action recorded for it, when the facts hold one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrective_action: Option<LinkedAction>,
    /// `open`, `action in progress`, `action closed but not effective`.
    pub status: &'static str,
}

/// The nonconformity register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NonconformityRegister {
    /// Schema version, always [`NC_SCHEMA`].
    pub schema: &'static str,
    /// Evaluation date.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub as_of: Date,
    /// Observation period, when the run had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Counts per grade.
    pub counts: GradeCounts,
    /// Every nonconformity, gravest first, then by rule.
    pub items: Vec<Nonconformity>,
}

/// One corrective action of the facts, read for matching.
struct Action {
    link: LinkedAction,
    rule: Option<String>,
    controls: Vec<String>,
    owner: Option<String>,
    due: Option<Date>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn actions(corpus: &Corpus) -> Vec<Action> {
    let mut out = Vec::new();
    for doc in corpus
        .resident()
        .of_kind("corrective_action")
        .filter(|d| d.violations.is_empty())
    {
        let items = doc.value.get("items").and_then(Value::as_array);
        for (i, item) in items.into_iter().flatten().enumerate() {
            let Some(id) = text(item, "id") else { continue };
            out.push(Action {
                link: LinkedAction {
                    id,
                    evidence: doc.evidence(&format!("/items/{i}")),
                    root_cause: text(item, "root_cause"),
                    action: text(item, "action"),
                    status: text(item, "status").unwrap_or_default(),
                },
                rule: text(item, "rule"),
                controls: item
                    .get("controls")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|c| crate::ids::bare_id(c.trim(), ISO_2022).to_string())
                    .collect(),
                owner: text(item, "owner"),
                due: text(item, "due").and_then(|d| crate::dates::parse_date(&d)),
            });
        }
    }
    out
}

/// The nonconformity register of an evaluation.
pub fn nonconformities(
    rules: &RuleSet,
    evaluation: &Evaluation,
    corpus: &Corpus,
    soa: &Soa,
    as_of: Date,
    period: Option<Period>,
) -> NonconformityRegister {
    let actions = actions(corpus);
    let mut failing: BTreeMap<&str, Vec<&crate::eval::RuleResult>> = BTreeMap::new();
    for r in evaluation
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
    {
        failing.entry(&r.rule).or_default().push(r);
    }
    let mut items = Vec::new();
    for (id, fails) in failing {
        let Some(rule) = rules.get(id) else { continue };
        let grading = grade_rule(rule.meta.severity, evaluation.of_rule(id));
        let mut requirements: Vec<String> = rule
            .meta
            .requirements
            .iter()
            .map(|r| r.to_string())
            .collect();
        requirements.sort_by_key(|r| (!r.starts_with(ISO_2022), r.clone()));
        requirements.dedup();
        let controls: Vec<&str> = rule
            .meta
            .requirements
            .iter()
            .filter(|r| r.framework == ISO_2022)
            .map(|r| r.id.as_str())
            .collect();
        let action = actions
            .iter()
            .find(|a| a.rule.as_deref() == Some(id))
            .or_else(|| {
                // An action that names another rule answers that rule's finding, not this one.
                actions.iter().find(|a| {
                    a.rule.is_none() && a.controls.iter().any(|c| controls.contains(&c.as_str()))
                })
            });
        let (owner, owner_source) = owner_of(action, &controls, soa);
        let (due, due_source) = match (action.and_then(|a| a.due), grading.grade) {
            (Some(d), _) => (
                Some(d),
                format!(
                    "corrective action {}",
                    action.map_or("", |a| a.link.id.as_str())
                ),
            ),
            (None, RuleSeverity::Major) => (
                as_of
                    .checked_add(jiff::Span::new().days(MAJOR_DUE_DAYS))
                    .ok(),
                format!("{MAJOR_DUE_DAYS} days for a major nonconformity"),
            ),
            (None, RuleSeverity::Minor) => (
                as_of
                    .checked_add(jiff::Span::new().days(MINOR_DUE_DAYS))
                    .ok(),
                format!("{MINOR_DUE_DAYS} days for a minor nonconformity"),
            ),
            (None, RuleSeverity::Ofi) => (None, "none for an opportunity for improvement".into()),
        };
        let status = match action.map(|a| a.link.status.as_str()) {
            None => "open",
            Some("closed") => "action closed but not effective",
            Some(_) => "action in progress",
        };
        let mut evidence: Vec<String> = fails
            .iter()
            .flat_map(|r| r.evidence.iter().cloned())
            .collect();
        evidence.sort();
        evidence.dedup();
        items.push(Nonconformity {
            id: format!("NC-{id}"),
            rule: id.to_string(),
            title: rule.meta.title.clone(),
            grade: grading.grade.finding(),
            grading,
            requirements,
            messages: fails.iter().map(|r| r.message.clone()).collect(),
            evidence,
            owner,
            owner_source,
            raised_on: as_of,
            due,
            due_source,
            corrective_action: action.map(|a| a.link.clone()),
            status,
        });
    }
    items.sort_by(|a, b| (a.grading.grade, &a.rule).cmp(&(b.grading.grade, &b.rule)));
    let counts = GradeCounts::of(items.iter().map(|i| i.grading.grade));
    NonconformityRegister {
        schema: NC_SCHEMA,
        as_of,
        period,
        counts,
        items,
    }
}

/// Who answers: the action's owner, else the SoA owner of a control tested, else the roles
/// that provide the evidence of those controls.
fn owner_of(action: Option<&Action>, controls: &[&str], soa: &Soa) -> (Option<String>, String) {
    if let Some((owner, a)) = action.and_then(|a| a.owner.clone().map(|o| (o, a))) {
        return (Some(owner), format!("corrective action {}", a.link.id));
    }
    let entries = soa
        .entries
        .iter()
        .filter(|e| controls.contains(&e.control.as_str()));
    for e in entries.clone() {
        if let Some(o) = &e.owner {
            return (Some(o.clone()), format!("SoA owner of {}", e.control));
        }
    }
    let mut roles: Vec<&str> = entries
        .flat_map(|e| e.procedure_owners.iter().map(String::as_str))
        .collect();
    roles.sort_unstable();
    roles.dedup();
    if roles.is_empty() {
        (None, "no owner recorded".into())
    } else {
        (
            Some(roles.join(", ")),
            "roles that provide the evidence (no owner in the SoA)".into(),
        )
    }
}

/// One evidence request, as the request list gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestItem {
    /// The plan's request id.
    pub id: String,
    /// What to collect.
    pub collect: String,
    /// `automated` (a rule tests what is collected) or `manual`.
    pub how: &'static str,
    /// False for a request the set cover left out because it adds no new requirement.
    pub adds_coverage: bool,
    /// Who provides it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Where the owner comes from.
    pub owner_source: String,
    /// When it is due.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub due: Date,
    /// What it covers: the period (`FROM..TO`) for operation, the date for design.
    pub covers: String,
    /// How much is tested: every occurrence for a rule, a sample per procedure by hand.
    pub sample: String,
    /// Occurrences the rule tested and exceptions, when it counted them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    /// Hand-tested samples, one per procedure with a frequency (`FW:REQ/PROC` -> sample).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub samples: BTreeMap<String, Sample>,
    /// Requirements it covers in full, per framework.
    pub serves: BTreeMap<String, Vec<String>>,
    /// Requirements it partly supports.
    pub supports: BTreeMap<String, Vec<String>>,
    /// Whether current facts already satisfy it.
    pub state: RequestState,
}

/// The evidence request list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestList {
    /// Schema version, always [`REQUESTS_SCHEMA`].
    pub schema: &'static str,
    /// Evaluation date.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub as_of: Date,
    /// Observation period, when the run had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// The seed sample selection used.
    pub seed: u64,
    /// Every request: the plan's, then those that add no new requirement.
    pub requests: Vec<RequestItem>,
}

/// What the request list is built from.
pub struct RequestInputs<'a> {
    /// The crosswalk (procedures).
    pub crosswalk: &'a Crosswalk,
    /// The evaluation.
    pub evaluation: &'a Evaluation,
    /// The facts (sample populations).
    pub corpus: &'a Corpus,
    /// Populations known already, read by the shards of a merged run (the corpus of a merge
    /// holds only the joined kinds).
    pub known_populations: Option<&'a Populations>,
    /// Coverage of the planned frameworks (findings against a procedure raise its sample).
    pub coverage: &'a Coverage,
    /// The SoA (owners).
    pub soa: &'a Soa,
    /// Evaluation date.
    pub as_of: Date,
    /// Observation period.
    pub period: Option<Period>,
    /// Due date of every request (default: [`REQUEST_DUE_DAYS`] after `as_of`).
    pub due: Option<Date>,
    /// Seed of the sample selection.
    pub seed: u64,
}

/// The evidence request list of a plan.
pub fn requests(plan: &Plan, inputs: &RequestInputs<'_>) -> RequestList {
    let due = inputs.due.unwrap_or_else(|| {
        inputs
            .as_of
            .checked_add(jiff::Span::new().days(REQUEST_DUE_DAYS))
            .unwrap_or(inputs.as_of)
    });
    let mut out = Vec::new();
    // Populations read once each: several procedures sample the same items (endpoints).
    let mut populations = inputs.known_populations.cloned().unwrap_or_default();
    for (r, adds) in plan
        .requests
        .iter()
        .map(|r| (r, true))
        .chain(plan.redundant.iter().map(|r| (r, false)))
    {
        out.push(request_item(r, adds, due, inputs, &mut populations));
    }
    RequestList {
        schema: REQUESTS_SCHEMA,
        as_of: inputs.as_of,
        period: inputs.period,
        seed: inputs.seed,
        requests: out,
    }
}

/// The facts populations read so far, by (kind, field, value).
pub type Populations = BTreeMap<(String, String, String), Vec<String>>;

fn request_item(
    r: &Request,
    adds: bool,
    due: Date,
    inputs: &RequestInputs<'_>,
    populations: &mut Populations,
) -> RequestItem {
    let controls: Vec<&str> = r
        .serves
        .get(ISO_2022)
        .into_iter()
        .chain(r.supports.get(ISO_2022))
        .flatten()
        .map(String::as_str)
        .collect();
    let (owner, owner_source) = owner_of(None, &controls, inputs.soa);
    let mut samples = BTreeMap::new();
    let mut operation = false;
    let mut population = None;
    let (how, sample) = match &r.source {
        RequestSource::Rule { rule, .. } => {
            population = inputs
                .evaluation
                .of_rule(rule)
                .filter_map(|x| x.population)
                .reduce(Population::merged);
            operation = true;
            let text = match population {
                Some(p) => format!("all {} occurrences (automated)", p.total),
                None => "every document (automated)".to_string(),
            };
            ("automated", text)
        }
        RequestSource::Documented { .. } => {
            for (fw, labels) in &r.procedures {
                for label in labels {
                    let Some((req, proc_)) = label.split_once('/') else {
                        continue;
                    };
                    let Some(node) = inputs.crosswalk.find(fw, req) else {
                        continue;
                    };
                    let Some(p) = inputs
                        .crosswalk
                        .procedures(node)
                        .iter()
                        .find(|p| p.id == proc_)
                    else {
                        continue;
                    };
                    if p.tests != Examines::Operation {
                        continue;
                    }
                    operation = true;
                    let reference = format!("{fw}:{label}");
                    if let Some(sample) =
                        sample_for(&reference, p.renewal, (fw, req), inputs, populations)
                    {
                        samples.insert(reference, sample);
                    }
                }
            }
            let text = if samples.is_empty() {
                "the document as it stands (design)".to_string()
            } else {
                let sizes: Vec<String> = samples
                    .iter()
                    .map(|(p, s)| format!("{} {}", p.rsplit('/').next().unwrap_or(p), s.text()))
                    .collect();
                format!("by hand: {}", sizes.join("; "))
            };
            ("manual", text)
        }
    };
    let covers = match (operation, inputs.period) {
        (true, Some(p)) => p.to_string(),
        (true, None) => format!("as operating at {}", inputs.as_of),
        (false, _) => format!("as at {}", inputs.as_of),
    };
    RequestItem {
        id: r.id.clone(),
        collect: r.collect.clone(),
        how,
        adds_coverage: adds,
        owner,
        owner_source,
        due,
        covers,
        sample,
        population,
        samples,
        serves: r.serves.clone(),
        supports: r.supports.clone(),
        state: r.state,
    }
}

/// The sample of a hand-tested operation procedure: its frequency, the size (larger when
/// its requirement has a finding), and the items chosen when the facts hold the population.
fn sample_for(
    reference: &str,
    renewal: crate::crosswalk::Renewal,
    (fw, req): (&str, &str),
    inputs: &RequestInputs<'_>,
    populations: &mut Populations,
) -> Option<Sample> {
    let population = sampling::population_of(reference).map(|key| {
        populations
            .entry(key)
            .or_insert_with_key(|(kind, field, equals)| {
                sampling::population_refs(inputs.corpus, kind, field, equals)
            })
            .clone()
    });
    let days = inputs.period.map_or(365, |p| p.days());
    let frequency = Frequency::of_renewal(renewal).or_else(|| {
        population
            .as_ref()
            .map(|p| Frequency::of_occurrences(p.len() as u64, days))
    })?;
    let finding = inputs
        .coverage
        .framework(fw)
        .and_then(|c| c.requirements.iter().find(|r| r.id == req))
        .is_some_and(|r| r.status == crate::coverage::Status::Failing);
    let count = population.as_ref().map(|p| p.len() as u64);
    let size = Sample::size(frequency, count, finding);
    let selected = population
        .as_ref()
        .map(|p| sampling::select(p, size as usize, inputs.seed))
        .unwrap_or_default();
    Some(Sample {
        frequency,
        band: frequency.band(),
        size,
        population: count,
        selected,
        seed: inputs.seed,
    })
}
