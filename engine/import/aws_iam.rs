//! The AWS IAM credential report (`aws iam generate-credential-report`, then
//! `get-credential-report`, base64-decoded: one CSV row per IAM user and one for the root
//! account) -> an `accounts` document.
//!
//! What each account's fields come from:
//! - `user` from `user` (the root account keeps AWS's `<root_account>`); `created_on` from
//!   `user_creation_time`; `mfa` from `mfa_active`;
//! - `type`: `human` when the user has a console password (`password_enabled`), `service`
//!   when it signs in with access keys only; the root account is `human`;
//! - `status`: `active` when a password or an access key is enabled, else `disabled`
//!   (the report has no disabled flag and no date for it: `disabled_on` is null);
//! - `last_login`: the latest of `password_last_used` and the two keys'
//!   `access_key_N_last_used_date`; null when none was ever used;
//! - `privileged`: the report does not say. It comes from the list of users holding
//!   administrator rights (`--privileged FILE`: the JSON of `aws iam
//!   list-entities-for-policy --policy-arn arn:aws:iam::aws:policy/AdministratorAccess`,
//!   or one user name per line); the root account is always privileged. Without the list
//!   the import stops: writing `false` would be a fact no one checked;
//! - `email` and `person_id`: null (IAM holds neither; join them to the HR roster later).
//!
//! Whether IAM enforces MFA at sign-in is a policy, not a column: `--mfa-required` sets
//! `mfa_required`; without it the field is left out and the MFA rule says it cannot tell.
//!
//! The CSV carries no generation time, so `collected_on` comes from `--collected-on`;
//! without it the document is undated, and undated evidence counts only for procedures
//! renewed on change (docs/facts.md, `collected_on`).

use super::{file_name, invalid, render, sha256, Imported, Options, Provenance, SkippedRow};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// The importer's name on the command line.
pub const NAME: &str = "aws-iam-credential-report";

/// The columns read; the report has more, which are ignored.
const COLUMNS: [&str; 8] = [
    "user",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_used_date",
    "access_key_2_active",
];

/// The root account's name in the report.
pub const ROOT: &str = "<root_account>";

/// Where the output goes under the facts directory.
pub const OUTPUT: &str = "identity/aws-iam.json";

/// Read the list of privileged users: the JSON of `list-entities-for-policy`
/// (`PolicyUsers[].UserName`), or one name per line (`#` starts a comment).
pub fn privileged_users(file: &SourceFile) -> Result<BTreeSet<String>, Error> {
    if file.text.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(&file.text).map_err(|e| {
            invalid(
                &file.path,
                vec![Diagnostic::new(
                    codes::XW0701,
                    Location::at(&file.path, e.line() as u64, e.column() as u64),
                    format!("not the JSON of list-entities-for-policy: {e}"),
                )],
            )
        })?;
        let users = value
            .get("PolicyUsers")
            .and_then(Value::as_array)
            .ok_or_else(|| {
                invalid(
                    &file.path,
                    vec![Diagnostic::new(
                    codes::XW0701,
                    Location::line(&file.path, 1),
                    "no `PolicyUsers` list: give the output of aws iam list-entities-for-policy",
                )],
                )
            })?;
        return Ok(users
            .iter()
            .filter_map(|u| u.get("UserName").and_then(Value::as_str))
            .map(str::to_string)
            .collect());
    }
    Ok(super::list_lines(file))
}

/// Import a credential report.
pub fn import(
    report: &SourceFile,
    privileged: &BTreeSet<String>,
    options: &Options,
) -> Result<Imported, Error> {
    let mut diags = Vec::new();
    if report.text.trim().is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&report.path, 1),
            "the credential report is empty: generate it again (aws iam generate-credential-report)",
        ));
        return Err(invalid(&report.path, diags));
    }
    let rows = crate::csvfile::read(report, &COLUMNS, &mut diags);
    let header = crate::csvfile::header(report);
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .map_or(0, |i| i as u64 + 1)
    };
    let mut items = Vec::new();
    let bad = |line: u64, col: &str, why: String, diags: &mut Vec<Diagnostic>| {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::at(&report.path, line, column(col)),
            why,
        ));
    };
    let mut seen = BTreeSet::new();
    for row in &rows {
        let user = row.get("user").to_string();
        if user.is_empty() {
            bad(
                row.line,
                "user",
                "a row without a user name".into(),
                &mut diags,
            );
            continue;
        }
        let flag = |col: &str, diags: &mut Vec<Diagnostic>| -> bool {
            match row.get(col) {
                "true" => true,
                "false" => false,
                other => {
                    let why = format!("{col} of {user} is `{other}`, not true or false");
                    bad(row.line, col, why, diags);
                    false
                }
            }
        };
        // Values AWS writes for "never" or "not applicable".
        let when = |col: &str, diags: &mut Vec<Diagnostic>| -> Option<Date> {
            let text = row.get(col);
            if matches!(text, "" | "N/A" | "no_information" | "not_supported") {
                return None;
            }
            let day = crate::dates::parse_date(text);
            if day.is_none() {
                let why = format!("{col} of {user} is `{text}`, not an ISO 8601 time such as 2026-06-30T09:15:00+00:00");
                bad(row.line, col, why, diags);
            }
            day
        };
        let root = user == ROOT;
        let password = root || flag("password_enabled", &mut diags);
        let mfa = flag("mfa_active", &mut diags);
        let key1 = flag("access_key_1_active", &mut diags);
        let key2 = flag("access_key_2_active", &mut diags);
        let created = when("user_creation_time", &mut diags);
        let used = [
            when("password_last_used", &mut diags),
            when("access_key_1_last_used_date", &mut diags),
            row.opt("access_key_2_last_used_date")
                .and_then(|_| when("access_key_2_last_used_date", &mut diags)),
        ]
        .into_iter()
        .flatten()
        .max();
        let Some(created) = created else {
            if row.get("user_creation_time").is_empty() || row.get("user_creation_time") == "N/A" {
                bad(
                    row.line,
                    "user_creation_time",
                    format!("{user} has no creation time"),
                    &mut diags,
                );
            }
            continue;
        };
        if !seen.insert(user.clone()) {
            bad(
                row.line,
                "user",
                format!("{user} is listed twice"),
                &mut diags,
            );
            continue;
        }
        items.push(json!({
            "user": user,
            "email": null,
            "person_id": null,
            "type": if password { "human" } else { "service" },
            "status": if password || key1 || key2 { "active" } else { "disabled" },
            "disabled_on": null,
            "mfa": mfa,
            "privileged": root || privileged.contains(&user),
            "last_login": used.map(|d| d.to_string()),
            "created_on": created.to_string(),
        }));
    }
    if rows.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&report.path, 1),
            "the credential report has a header but no rows; it always lists at least the root account",
        ));
    }
    let unknown: Vec<&String> = privileged.iter().filter(|u| !seen.contains(*u)).collect();
    if !unknown.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&report.path, 1),
            format!(
                "the privileged list names users the credential report does not have: {}; are the two exports of the same account?",
                unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    if !diags.is_empty() {
        return Err(invalid(&report.path, diags));
    }
    items.sort_by(|a, b| a["user"].as_str().cmp(&b["user"].as_str()));
    let provenance = Provenance {
        importer: NAME.to_string(),
        version: super::IMPORTER_VERSION.to_string(),
        source_system: "AWS IAM".to_string(),
        file: file_name(&report.path),
        sha256: sha256(report.text.as_bytes()),
        rows_read: rows.len(),
        rows_skipped: Vec::<SkippedRow>::new(),
        collected_on_from: if options.collected_on.is_some() {
            "--collected-on".into()
        } else {
            "not stated: the credential report carries no generation time; pass --collected-on"
                .into()
        },
        ..Provenance::default()
    };
    let mut doc = json!({
        "kind": "accounts",
        "source": "AWS IAM credential report",
        "system": options.system.clone().unwrap_or_else(|| "aws".to_string()),
        "provenance": provenance,
        "items": items,
    });
    if let Some(d) = options.collected_on {
        doc["collected_on"] = json!(d.to_string());
    }
    if let Some(m) = options.mfa_required {
        doc["mfa_required"] = json!(m);
    }
    Ok(Imported {
        files: vec![(OUTPUT.to_string(), render(&doc))],
    })
}
