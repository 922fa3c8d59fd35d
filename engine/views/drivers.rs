//! What moves the readiness estimate besides measured maturity: an existing SOC 2 report
//! (facts: `org_profile.soc2_report`) and the cost drivers the guide names (scope: headcount
//! and sites; the certification body; a GRC platform; a dual-framework approach), given as
//! flags, in `[readiness]` of `xwalk.toml`, or read from the facts. Each driver says its
//! value, where the value came from and how it moved the timeline and the cost.
//!
//! Also the audit-time chart of ISO/IEC 27006-1 (`crosswalks/audit-time/`), which turns a
//! headcount into auditor-days.

use crate::facts::Corpus;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

/// A value and where it came from (`--headcount`, `xwalk.toml:12`, `facts org/profile.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Given<T> {
    /// The value.
    pub value: T,
    /// Where it was set.
    pub from: String,
}

impl<T> Given<T> {
    /// A value set at `from`.
    pub fn new(value: T, from: impl Into<String>) -> Self {
        Given {
            value,
            from: from.into(),
        }
    }
}

/// The tier of certification body, after the guide: large, globally recognised bodies charge
/// premium rates, smaller accredited bodies less, for a certificate of the same validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyTier {
    /// A large, globally recognised certification body.
    Premium,
    /// A mid-sized accredited body (the guide's range as it is).
    Standard,
    /// A smaller accredited body with lower fees.
    Budget,
}

impl BodyTier {
    /// The spelling used in flags, files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            BodyTier::Premium => "premium",
            BodyTier::Standard => "standard",
            BodyTier::Budget => "budget",
        }
    }
}

impl std::str::FromStr for BodyTier {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "premium" => Ok(BodyTier::Premium),
            "standard" => Ok(BodyTier::Standard),
            "budget" => Ok(BodyTier::Budget),
            other => Err(format!(
                "`{other}` is not a certification body tier: write premium, standard or budget"
            )),
        }
    }
}

/// The cost drivers of a run; `None` where nothing set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CostDrivers {
    /// People in the ISMS scope (default: `org_profile.employees`).
    pub headcount: Option<Given<u64>>,
    /// Sites (offices, data centres) in the ISMS scope.
    pub sites: Option<Given<u32>>,
    /// The certification body's tier.
    pub certification_body: Option<Given<BodyTier>>,
    /// The certification body's day rate, US dollars per auditor-day.
    pub day_rate_usd: Option<Given<u32>>,
    /// Whether a GRC platform runs the ISMS (risk register, policies, evidence, audits).
    pub grc_platform: Option<Given<bool>>,
    /// Whether ISO 27001 and SOC 2 are pursued together with one evidence collection.
    pub dual_framework: Option<Given<bool>>,
}

/// SOC 2 report type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Soc2Type {
    /// Design of controls at a date.
    Type1,
    /// Design and operating effectiveness over a period.
    Type2,
}

/// An existing SOC 2 report, as `org_profile.soc2_report` records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Soc2Report {
    /// Type I or Type II.
    #[serde(rename = "type")]
    pub report_type: Soc2Type,
    /// First day of the period (Type II).
    #[serde(serialize_with = "crate::dates::serialize_opt")]
    pub period_start: Option<Date>,
    /// Last day of the period (Type II), or the report date (Type I).
    #[serde(serialize_with = "crate::dates::serialize")]
    pub period_end: Date,
    /// The opinion: `unqualified`, `qualified`, `adverse` or `disclaimer`.
    pub opinion: String,
    /// Trust services categories in scope (`CC`, `A`, `C`, `PI`, `P`).
    pub criteria: Vec<String>,
    /// The facts file it was read from.
    pub file: String,
    /// Whether it may shorten the estimate, and why (not).
    pub usable: bool,
    /// Why it is usable or not.
    pub why: String,
}

/// Every document of a kind, resident or not (a non-resident kind is read again from disk).
pub fn documents(facts: &Corpus, kind: &str) -> Vec<std::sync::Arc<crate::facts::Document>> {
    let mut out: Vec<_> = facts.resident().of_kind(kind).cloned().collect();
    if !facts.is_resident(kind) {
        let kinds = std::iter::once(kind.to_string()).collect();
        // The files were read once already; one that no longer parses is left out here and
        // reported by the run that read it.
        let _ = facts.stream(&kinds, 64, |docs| out.extend(docs));
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Read `org_profile.soc2_report`; a report that cannot be read is never usable, and
/// says why.
pub fn soc2_report(facts: &Corpus, as_of: Date) -> Option<Soc2Report> {
    let doc = documents(facts, "org_profile")
        .into_iter()
        .find(|d| d.value.get("soc2_report").is_some())?;
    let v = doc.value.get("soc2_report")?;
    let date = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .and_then(crate::dates::parse_date)
    };
    let text = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let report_type = match text("type").to_ascii_lowercase().as_str() {
        "type2" | "type ii" | "type 2" => Some(Soc2Type::Type2),
        "type1" | "type i" | "type 1" => Some(Soc2Type::Type1),
        _ => None,
    };
    let criteria: Vec<String> = v
        .get("criteria")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    let opinion = text("opinion").to_ascii_lowercase();
    let period_end = date("period_end");
    let period_start = date("period_start");
    let (usable, why) = match (report_type, period_end) {
        (None, _) => (
            false,
            "its type is not type1 or type2: read as no report".to_string(),
        ),
        (_, None) => (false, "it has no period_end date".to_string()),
        (Some(t), Some(end)) => judge(t, period_start, end, &opinion, &criteria, as_of),
    };
    Some(Soc2Report {
        report_type: report_type.unwrap_or(Soc2Type::Type1),
        period_start,
        period_end: period_end.unwrap_or(as_of),
        opinion,
        criteria,
        file: doc.path.to_string(),
        usable,
        why,
    })
}

/// Whether a report may shorten the estimate: an unqualified opinion on the security
/// criteria (CC), a period that ended at most 12 months before the evaluation date.
fn judge(
    t: Soc2Type,
    start: Option<Date>,
    end: Date,
    opinion: &str,
    criteria: &[String],
    as_of: Date,
) -> (bool, String) {
    let age = crate::dates::days_between(end, as_of);
    if opinion != "unqualified" {
        let shown = if opinion.is_empty() {
            "not recorded"
        } else {
            opinion
        };
        return (
            false,
            format!("the opinion is {shown}, not unqualified: it does not shorten the estimate"),
        );
    }
    if age < 0 {
        return (
            false,
            format!("its period ends {end}, after the evaluation date: not yet a report"),
        );
    }
    if age > 365 {
        return (
            false,
            format!("its period ended {end}, {age} days before the evaluation date (more than 12 months): too old to shorten the estimate"),
        );
    }
    if !criteria.iter().any(|c| c == "CC") {
        return (
            false,
            "the common criteria (CC, security) are not in its scope".to_string(),
        );
    }
    if t == Soc2Type::Type2 && start.is_none_or(|s| s > end) {
        return (
            false,
            "a Type II report needs a period_start on or before its period_end".to_string(),
        );
    }
    (
        true,
        format!("unqualified, security criteria in scope, period ended {end} ({age} days before the evaluation date)"),
    )
}

/// The employees recorded in `org_profile`, with the file.
pub fn employees(facts: &Corpus) -> Option<Given<u64>> {
    documents(facts, "org_profile").iter().find_map(|d| {
        d.value
            .get("employees")
            .and_then(Value::as_u64)
            .map(|n| Given::new(n, format!("facts {}", d.path)))
    })
}

/// The headcount in force: the driver when given, else `org_profile.employees`.
pub fn headcount(drivers: &CostDrivers, facts: &Corpus) -> Option<Given<u64>> {
    drivers.headcount.clone().or_else(|| employees(facts))
}

/// One row of the audit-time chart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AuditTimeRow {
    /// Fewest persons of the row.
    pub min_persons: u64,
    /// Most persons of the row.
    pub max_persons: u64,
    /// Initial audit time, Stage 1 and Stage 2 together, in auditor-days.
    pub initial_days: f64,
}

/// Where the chart comes from, as its file says.
pub const AUDIT_TIME_SOURCE: &str = "ISO/IEC 27006-1:2024 Annex C audit time chart (the figures of ISO/IEC 27006:2015 Table B.1); surveillance 1/3 and recertification 2/3 of the initial time after IAF MD 5";

/// The audit-time chart compiled into the binary, lowest headcount first.
pub fn audit_time_chart() -> Vec<AuditTimeRow> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(crate::builtin::AUDIT_TIME_CSV.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            Some(AuditTimeRow {
                min_persons: r.get(0)?.trim().parse().ok()?,
                max_persons: r.get(1)?.trim().parse().ok()?,
                initial_days: r.get(2)?.trim().parse().ok()?,
            })
        })
        .collect()
}

/// The chart's row for a headcount; above the last row, the last row (the chart says to
/// follow its progression: a certification body adds time).
pub fn audit_time(persons: u64) -> Option<AuditTimeRow> {
    let chart = audit_time_chart();
    chart
        .iter()
        .find(|r| r.min_persons <= persons.max(1) && persons.max(1) <= r.max_persons)
        .or(chart.last())
        .copied()
}

/// Round up to the next half day.
pub fn half_days(days: f64) -> f64 {
    (days * 2.0).ceil() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_contiguous_and_grows() {
        let chart = audit_time_chart();
        assert_eq!(chart.len(), 22);
        assert_eq!(chart[0].min_persons, 1);
        for w in chart.windows(2) {
            assert_eq!(w[0].max_persons + 1, w[1].min_persons);
            assert!(w[0].initial_days < w[1].initial_days);
        }
        assert_eq!(audit_time(374).unwrap().initial_days, 15.0);
        assert_eq!(audit_time(40).unwrap().initial_days, 8.5);
        assert_eq!(audit_time(20_000).unwrap().initial_days, 28.0);
        assert_eq!(half_days(15.0 / 3.0), 5.0);
        assert_eq!(half_days(8.5 / 3.0), 3.0);
    }

    #[test]
    fn tiers_parse() {
        assert_eq!("Premium".parse::<BodyTier>(), Ok(BodyTier::Premium));
        assert!("big4".parse::<BodyTier>().is_err());
    }
}
