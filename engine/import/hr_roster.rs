//! An HR roster report (CSV, as BambooHR, HiBob, Personio or Workday custom reports give
//! it) -> a `people` document, through a mapping file (TOML) that names the columns:
//!
//! ```toml
//! [columns]
//! id = "Employee #"
//! name = "Full Name"
//! email = "Work Email"
//! start_date = "Hire Date"
//! end_date = "Termination Date"
//! department = "Department"
//! role = "Job Title"
//! contractor = "Employment Status"          # the column that tells contractors apart
//! screening_completed_on = "Background Check Date"   # optional
//! nda_signed_on = "NDA Signed"                         # optional
//!
//! [contractor]
//! contractor = ["Contractor", "Consultant"]            # values meaning a contractor
//! employee = ["Full-Time", "Part-Time", "Intern"]      # values meaning an employee
//!
//! [dates]
//! format = "%m/%d/%Y"                                  # strftime; default ISO 8601
//! ```
//!
//! A value of the contractor column that is in neither list is an error: guessing
//! "employee" would be a fact no one checked. An unmapped screening or NDA column gives
//! `null` (not recorded), which the screening and confidentiality rules treat as missing.
//! `status` is `left` when the termination date is on or before the day the report was
//! taken (`--collected-on`, required for that reason), `active` otherwise.

use super::{file_name, invalid, render, sha256, Imported, Options, Provenance, SkippedRow};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeSet;

/// The importer's name on the command line.
pub const NAME: &str = "hr-roster";

/// Where the output goes under the facts directory.
pub const OUTPUT: &str = "hr/people.json";

/// The mapping file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    columns: Columns,
    contractor: Values,
    #[serde(default)]
    dates: Dates,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Columns {
    id: String,
    name: String,
    email: String,
    start_date: String,
    end_date: String,
    department: String,
    role: String,
    contractor: String,
    screening_completed_on: Option<String>,
    nda_signed_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Values {
    contractor: Vec<String>,
    employee: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dates {
    format: Option<String>,
}

impl Mapping {
    /// Read a mapping file; an unknown key or a missing column name is an error at its line.
    pub fn parse(file: &SourceFile) -> Result<Mapping, Error> {
        toml::from_str(&file.text).map_err(|e| {
            let (line, column) =
                crate::source::line_col(&file.text, e.span().map_or(0, |s| s.start));
            invalid(
                &file.path,
                vec![Diagnostic::new(
                    codes::XW0701,
                    Location::at(&file.path, line, column),
                    format!("mapping: {}", e.message().trim()),
                )],
            )
        })
    }
}

/// Import a roster.
pub fn import<'a>(
    roster: &SourceFile,
    mapping: &'a Mapping,
    options: &Options,
) -> Result<Imported, Error> {
    let mut diags = Vec::new();
    let Some(taken) = options.collected_on else {
        return Err(Error::Usage(
            "an HR roster says who has left only relative to the day it was taken: give --collected-on DATE".into(),
        ));
    };
    if roster.text.trim().is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&roster.path, 1),
            "the roster is empty",
        ));
        return Err(invalid(&roster.path, diags));
    }
    let c = &mapping.columns;
    let mut required: Vec<&str> = vec![
        &c.id,
        &c.name,
        &c.email,
        &c.start_date,
        &c.end_date,
        &c.department,
        &c.role,
        &c.contractor,
    ];
    required.extend(c.screening_completed_on.as_deref());
    required.extend(c.nda_signed_on.as_deref());
    let lower: Vec<String> = required
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let rows = crate::csvfile::read(roster, &lower, &mut diags);
    let header = crate::csvfile::header(roster);
    let col = |name: &str| name.trim().to_ascii_lowercase();
    let position = |name: &str| {
        header
            .iter()
            .position(|h| *h == col(name))
            .map_or(0, |i| i as u64 + 1)
    };
    let date = |text: &str| -> Option<Date> {
        match &mapping.dates.format {
            Some(f) => jiff::fmt::strtime::parse(f, text).ok()?.to_date().ok(),
            None => crate::dates::parse_date(text),
        }
    };
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for row in &rows {
        let get = |name: &str| row.get(&col(name)).to_string();
        // Problems of this row, as (column, why), reported at their cells below.
        let mut problems: Vec<(&str, String)> = Vec::new();
        let id = get(&c.id);
        let at = |name: &str| Location::at(&roster.path, row.line, position(name));
        if id.is_empty() || !seen.insert(id.clone()) {
            let why = if id.is_empty() {
                "a row without an employee id".to_string()
            } else {
                format!("employee {id} is listed twice")
            };
            diags.push(Diagnostic::new(codes::XW0701, at(&c.id), why));
            continue;
        }
        let mut day = |name: &'a str, required: bool| -> Option<Date> {
            let text = get(name);
            if text.is_empty() {
                if required {
                    problems.push((name, format!("{name} of {id} is empty")));
                }
                return None;
            }
            let d = date(&text);
            if d.is_none() {
                let wanted = mapping.dates.format.as_deref().unwrap_or("YYYY-MM-DD");
                problems.push((name, format!("{name} of {id} is `{text}`, not a date in the format {wanted} (set [dates] format in the mapping)")));
            }
            d
        };
        let start = day(&c.start_date, true);
        let end = day(&c.end_date, false);
        let screening = c
            .screening_completed_on
            .as_deref()
            .and_then(|n| day(n, false));
        let nda = c.nda_signed_on.as_deref().and_then(|n| day(n, false));
        let kind = get(&c.contractor);
        let listed = |values: &[String]| values.iter().any(|v| v.eq_ignore_ascii_case(&kind));
        let contractor = if listed(&mapping.contractor.contractor) {
            Some(true)
        } else if listed(&mapping.contractor.employee) {
            Some(false)
        } else {
            problems.push((
                &c.contractor,
                format!(
                    "{} of {id} is `{kind}`, in neither [contractor] list of the mapping",
                    c.contractor
                ),
            ));
            None
        };
        if !problems.is_empty() {
            for (name, why) in problems {
                diags.push(Diagnostic::new(codes::XW0701, at(name), why));
            }
            continue;
        }
        let (Some(start), Some(contractor)) = (start, contractor) else {
            continue;
        };
        let left = end.is_some_and(|e| e <= taken);
        items.push(json!({
            "id": id,
            "name": get(&c.name),
            "email": get(&c.email),
            "status": if left { "left" } else { "active" },
            "start_date": start.to_string(),
            "end_date": end.map(|d| d.to_string()),
            "department": get(&c.department),
            "role": get(&c.role),
            "screening_completed_on": screening.map(|d| d.to_string()),
            "nda_signed_on": nda.map(|d| d.to_string()),
            "contractor": contractor,
        }));
    }
    if rows.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&roster.path, 1),
            "the roster has a header but no rows",
        ));
    }
    if !diags.is_empty() {
        return Err(invalid(&roster.path, diags));
    }
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    let provenance = Provenance {
        importer: NAME.to_string(),
        version: super::IMPORTER_VERSION.to_string(),
        source_system: options
            .system
            .clone()
            .unwrap_or_else(|| "HR system".to_string()),
        file: file_name(&roster.path),
        sha256: sha256(roster.text.as_bytes()),
        rows_read: rows.len(),
        rows_skipped: Vec::<SkippedRow>::new(),
        collected_on_from: "--collected-on".into(),
        ..Provenance::default()
    };
    let doc = json!({
        "kind": "people",
        "source": "HR roster report",
        "collected_on": taken.to_string(),
        "provenance": provenance,
        "items": items,
    });
    Ok(Imported {
        files: vec![(OUTPUT.to_string(), render(&doc))],
    })
}
