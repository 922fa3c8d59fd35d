//! Waivers: a failing result the organisation has accepted as a risk, with who approved it,
//! why, until when, and the risk acceptance it rests on. A waived failure is reported as
//! `waived`: never a pass, never hidden, and no longer a finding for the CI gate. An expired
//! waiver, or one not yet approved on the evaluation date, stops applying and says so.
//!
//! ```toml
//! [[waiver]]
//! rule = "ops.network-exposure-limited"
//! file = "ops/network.json"                      # optional: only results on this facts file
//! evidence = ["ops/network.json#/items/3"]       # optional: only failures resting on these
//! justification = "Bastion SSH kept open for the supplier until the VPN migration"
//! approved_by = "Daniel Reyes (CTO)"
//! approved_on = 2026-05-20
//! expires_on = 2026-08-31
//! risk = "RISK-014"
//! ```
//!
//! With `evidence`, a failing result is waived only when every evidence reference it gives
//! is listed: a failure with one more offending item than the waiver names stays a failure.

use super::{Evaluation, Outcome};
use crate::diag::{codes, Diagnostic, Location};
use crate::rules::RuleSet;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One accepted exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiver {
    /// The rule whose failures it waives.
    pub rule: String,
    /// Only results on this facts file (as results name it), when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Only failures whose every evidence reference is one of these, when given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Why the risk is accepted.
    pub justification: String,
    /// Who accepted it.
    pub approved_by: String,
    /// When it was accepted.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub approved_on: Date,
    /// The last day it applies.
    #[serde(serialize_with = "crate::dates::serialize")]
    pub expires_on: Date,
    /// The risk acceptance it rests on (a risk register id, a ticket).
    pub risk: String,
    /// Where it is written: `file:line`.
    pub source: String,
}

/// The waivers of a run and what was wrong with the file.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    /// Usable waivers, in file order.
    pub waivers: Vec<(Waiver, Location)>,
    /// Problems reading them (XW0501).
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waiver: Vec<toml::Spanned<RawWaiver>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: String,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    evidence: Vec<String>,
    justification: String,
    approved_by: String,
    approved_on: toml::Spanned<DateText>,
    expires_on: toml::Spanned<DateText>,
    risk: String,
}

/// A TOML date (`2026-05-20`) or the same written as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum DateText {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateText {
    fn date(&self) -> Option<Date> {
        let text = match self {
            DateText::Toml(d) => d.to_string(),
            DateText::Text(s) => s.clone(),
        };
        crate::dates::parse_date(&text)
    }
}

impl Waivers {
    /// Parse waivers; every problem is a diagnostic at its line and column, and a bad waiver
    /// never stops the others from being read.
    pub fn parse(path: &str, text: &str) -> Waivers {
        let mut out = Waivers::default();
        let at = |offset: usize| {
            let (line, column) = crate::source::line_col(text, offset);
            Location::at(path, line, column)
        };
        let raw: RawFile = match toml::from_str(text) {
            Ok(raw) => raw,
            Err(e) => {
                let offset = e.span().map_or(0, |s| s.start);
                out.diagnostics.push(Diagnostic::new(
                    codes::XW0501,
                    at(offset),
                    format!("waiver file: {}", e.message()),
                ));
                return out;
            }
        };
        for spanned in raw.waiver {
            let start = spanned.span().start;
            let w = spanned.into_inner();
            let location = at(start);
            let mut bad = |offset: usize, message: String| {
                out.diagnostics.push(
                    Diagnostic::new(codes::XW0501, at(offset), message).with_subject(&w.rule),
                );
            };
            let approved = w.approved_on.get_ref().date();
            let expires = w.expires_on.get_ref().date();
            let (Some(approved_on), Some(expires_on)) = (approved, expires) else {
                let offset = if approved.is_none() {
                    w.approved_on.span().start
                } else {
                    w.expires_on.span().start
                };
                bad(
                    offset,
                    format!("waiver for `{}`: a date is not YYYY-MM-DD", w.rule),
                );
                continue;
            };
            if expires_on < approved_on {
                bad(
                    w.expires_on.span().start,
                    format!(
                        "waiver for `{}` expires on {expires_on}, before it was approved on {approved_on}",
                        w.rule
                    ),
                );
                continue;
            }
            let blank = [
                ("justification", &w.justification),
                ("approved_by", &w.approved_by),
                ("risk", &w.risk),
                ("rule", &w.rule),
            ]
            .into_iter()
            .find(|(_, v)| v.trim().is_empty());
            if let Some((field, _)) = blank {
                bad(start, format!("waiver for `{}`: `{field}` is empty; an accepted risk says who, why and which acceptance", w.rule));
                continue;
            }
            let source = format!("{path}:{}", location.line);
            out.waivers.push((
                Waiver {
                    rule: w.rule,
                    file: w.file,
                    evidence: w.evidence,
                    justification: w.justification,
                    approved_by: w.approved_by,
                    approved_on,
                    expires_on,
                    risk: w.risk,
                    source,
                },
                location,
            ));
        }
        out
    }

    /// Mark the failing results the active waivers cover as `waived`, and report waivers
    /// that name an unknown rule, have expired, are not approved yet, or match nothing.
    pub fn apply(
        &self,
        evaluation: &mut Evaluation,
        rules: &RuleSet,
        as_of: Date,
    ) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for (waiver, location) in &self.waivers {
            let known = rules.get(&waiver.rule).is_some()
                || rules.broken.iter().any(|b| *b.id == *waiver.rule);
            if !known {
                let hint =
                    crate::catalog::closest(&waiver.rule, rules.rules.iter().map(|r| &*r.meta.id))
                        .map(|c| format!(" (did you mean `{c}`?)"))
                        .unwrap_or_default();
                diags.push(
                    Diagnostic::new(
                        codes::XW0502,
                        location.clone(),
                        format!(
                            "waiver names rule `{}`, which is not loaded{hint}; it waives nothing",
                            waiver.rule
                        ),
                    )
                    .with_subject(&waiver.rule),
                );
                continue;
            }
            if waiver.expires_on < as_of {
                diags.push(
                    Diagnostic::new(
                        codes::XW0503,
                        location.clone(),
                        format!(
                            "waiver for `{}` ({}) expired on {}: its failures count again; renew the risk acceptance or fix them",
                            waiver.rule, waiver.risk, waiver.expires_on
                        ),
                    )
                    .with_subject(&waiver.rule),
                );
                continue;
            }
            if waiver.approved_on > as_of {
                diags.push(
                    Diagnostic::new(
                        codes::XW0504,
                        location.clone(),
                        format!(
                            "waiver for `{}` is approved on {}, after the evaluation date {as_of}: it does not apply yet",
                            waiver.rule, waiver.approved_on
                        ),
                    )
                    .with_subject(&waiver.rule),
                );
                continue;
            }
            let shared = Arc::new(waiver.clone());
            let mut matched = 0;
            for r in evaluation
                .results
                .iter_mut()
                .filter(|r| r.outcome == Outcome::Fail && *r.rule == *waiver.rule)
            {
                let on_file = waiver
                    .file
                    .as_deref()
                    .is_none_or(|f| r.file.as_deref() == Some(f));
                let covered = waiver.evidence.is_empty()
                    || (!r.evidence.is_empty()
                        && r.evidence.iter().all(|e| waiver.evidence.contains(e)));
                if on_file && covered {
                    r.outcome = Outcome::Waived;
                    r.waiver = Some(shared.clone());
                    matched += 1;
                }
            }
            if matched == 0 {
                diags.push(
                    Diagnostic::new(
                        codes::XW0505,
                        location.clone(),
                        format!(
                            "waiver for `{}` ({}) matches no failing result: the failure is gone, or the file or evidence it names differ",
                            waiver.rule, waiver.risk
                        ),
                    )
                    .with_subject(&waiver.rule),
                );
            }
        }
        diags
    }
}
