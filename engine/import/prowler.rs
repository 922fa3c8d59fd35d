//! Prowler's OCSF JSON output (`prowler aws -M json-ocsf`: an array of OCSF Detection
//! Findings, one per check and resource) -> `cloud_check` documents, one per cloud account,
//! so that the checks a team already runs count as evidence.
//!
//! Each finding becomes an item:
//! - `check` from `metadata.event_code`, `title` from `finding_info.title`, `detail` from
//!   `status_detail`;
//! - `status` from `status_code`: `PASS` -> `pass`, `FAIL` -> `fail`, `MANUAL` -> `manual`
//!   (Prowler could not decide: never a pass); `muted` when Prowler's status is
//!   `Suppressed` (a muted failure is still a failure: record the acceptance as an xwalk
//!   waiver, where it is reviewed and expires);
//! - `severity` from `severity`, lower-cased (`critical` ... `informational`);
//! - `resource` and `region` from the first of `resources` (`uid`, `region`);
//! - `requirements`: the ids of `unmapped.compliance` that name a requirement of the
//!   built-in frameworks (`ISO27001-2022` `A.8.24` -> `iso27001-2022:A.8.24`, `SOC2`
//!   `cc_6_1` -> `soc2-2017:CC6.1`, `NIST-CSF-2.0` `pr_aa_01` -> `nist-csf-2.0:PR.AA-01`,
//!   `ISO27001-2013` -> `iso27001-2013`); every other mapping (CIS, PCI, ...) is kept in
//!   `other_requirements` as `FRAMEWORK ID`, and an id of a built-in framework that does not
//!   exist is counted in the provenance, never silently dropped.
//!
//! The document's `collected_on` is the day of the earliest finding (`time_dt`, else
//! `finding_info.created_time_dt`): the scan says when it ran, so no flag is needed, and a
//! scan that ran over several days is as fresh as its oldest check. A finding with no time
//! leaves the document undated.

use super::json::Export;
use super::{file_name, invalid, render, sha256, Imported, Input, Options, Provenance};
use crate::crosswalk::Crosswalk;
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The importer's name on the command line.
pub const NAME: &str = "prowler-ocsf";

/// The framework keys of `unmapped.compliance` that name built-in frameworks.
const FRAMEWORKS: [(&str, &str); 4] = [
    ("ISO27001-2022", "iso27001-2022"),
    ("ISO27001-2013", "iso27001-2013"),
    ("SOC2", "soc2-2017"),
    ("NIST-CSF-2.0", "nist-csf-2.0"),
];

/// A Prowler requirement id in xwalk's spelling, for the framework it belongs to.
pub fn requirement_id(framework: &str, id: &str) -> String {
    let id = id.trim();
    match framework {
        // cc_6_1 -> CC6.1, cc_a_1_2 -> A1.2, cc_c_1_1 -> C1.1, pi_1_1 -> PI1.1
        "soc2-2017" if id.contains('_') => {
            let parts: Vec<&str> = id.split('_').collect();
            let (prefix, rest) = match parts.as_slice() {
                ["cc", p, rest @ ..] if p.chars().all(|c| c.is_ascii_alphabetic()) => {
                    (p.to_ascii_uppercase(), rest)
                }
                ["cc", rest @ ..] => ("CC".to_string(), rest),
                [p, rest @ ..] => (p.to_ascii_uppercase(), rest),
                [] => (String::new(), &[][..]),
            };
            match rest {
                [] => prefix,
                [first] => format!("{prefix}{first}"),
                [first, more @ ..] => format!("{prefix}{first}.{}", more.join(".")),
            }
        }
        // pr_aa_01 -> PR.AA-01
        "nist-csf-2.0" if id.contains('_') => {
            let parts: Vec<String> = id.split('_').map(str::to_ascii_uppercase).collect();
            match parts.as_slice() {
                [f, c, n] => format!("{f}.{c}-{n}"),
                _ => id.to_ascii_uppercase(),
            }
        }
        _ => id.to_string(),
    }
}

/// What one account's findings become.
#[derive(Default)]
struct Account {
    provider: String,
    items: Vec<Value>,
    /// The earliest finding's day; `None` with `undated` when a finding has no time.
    earliest: Option<Date>,
    undated: bool,
}

/// Import one or more Prowler OCSF outputs.
pub fn import(files: &[SourceFile], options: &Options) -> Result<Imported, Error> {
    let first = files
        .first()
        .ok_or_else(|| Error::Usage("give at least one Prowler OCSF JSON file".into()))?;
    let crosswalk = Crosswalk::builtin().crosswalk;
    let known = |reference: &str| crosswalk.resolve_str(reference).is_ok();
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    let mut unknown_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut inputs = Vec::new();
    let mut rows = 0;
    for file in files {
        inputs.push(Input::of(file, "findings"));
        let mut export = Export::parse(file, "the Prowler output")?;
        for (i, f) in export.array("", "the Prowler output").iter().enumerate() {
            rows += 1;
            let base = format!("/{i}");
            let who = format!("finding {}", i + 1);
            let check = export.string(f, &base, "metadata/event_code", &who);
            let who = check.clone().unwrap_or(who);
            let title = export.opt_string(f, &base, "finding_info/title", &who);
            let status = match Export::field(f, "status_code").and_then(Value::as_str) {
                Some("PASS") => Some("pass"),
                Some("FAIL") => Some("fail"),
                Some("MANUAL") => Some("manual"),
                other => {
                    export.problem(
                        &format!("{base}/status_code"),
                        format!(
                            "status_code of {who} is {}, not PASS, FAIL or MANUAL",
                            other.map_or("missing".into(), |s| format!("`{s}`"))
                        ),
                    );
                    None
                }
            };
            let severity = export
                .string(f, &base, "severity", &who)
                .map(|s| s.to_ascii_lowercase());
            if let Some(s) = &severity {
                if !["critical", "high", "medium", "low", "informational"].contains(&s.as_str()) {
                    export.problem(
                        &format!("{base}/severity"),
                        format!("severity of {who} is `{s}`, not Critical, High, Medium, Low or Informational"),
                    );
                }
            }
            let resource = match Export::field(f, "resources/0") {
                Some(r) => export.string(r, &format!("{base}/resources/0"), "uid", &who),
                None => {
                    export.problem(&base, format!("{who} names no resource"));
                    None
                }
            };
            let region = Export::field(f, "resources/0/region")
                .or_else(|| Export::field(f, "cloud/region"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let account = export.string(f, &base, "cloud/account/uid", &who);
            let provider = export.string(f, &base, "cloud/provider", &who);
            let when = match Export::field(f, "time_dt") {
                Some(_) => export.time(f, &base, "time_dt", &who),
                None => export.time(f, &base, "finding_info/created_time_dt", &who),
            };
            let mut requirements = Vec::new();
            let mut other = Vec::new();
            if let Some(Value::Object(map)) = Export::field(f, "unmapped/compliance") {
                for (framework, ids) in map {
                    let ids: Vec<&str> = ids
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let ours = FRAMEWORKS.iter().find(|(k, _)| k == framework);
                    for id in ids {
                        match ours {
                            Some((_, fw)) => {
                                let reference = format!("{fw}:{}", requirement_id(fw, id));
                                if known(&reference) {
                                    requirements.push(reference);
                                } else {
                                    *unknown_ids.entry(format!("{framework} {id}")).or_default() +=
                                        1;
                                }
                            }
                            None => other.push(format!("{framework} {id}")),
                        }
                    }
                }
            }
            requirements.sort();
            requirements.dedup();
            other.sort();
            other.dedup();
            let (
                Some(check),
                Some(status),
                Some(severity),
                Some(resource),
                Some(account),
                Some(provider),
            ) = (check, status, severity, resource, account, provider)
            else {
                continue;
            };
            let muted = Export::field(f, "status").and_then(Value::as_str) == Some("Suppressed");
            let entry = accounts.entry(account).or_default();
            entry.provider = provider;
            match when {
                Some(d) => entry.earliest = Some(entry.earliest.map_or(d, |e| e.min(d))),
                None => entry.undated = true,
            }
            entry.items.push(json!({
                "check": check,
                "title": title.unwrap_or_default(),
                "status": status,
                "muted": muted,
                "severity": severity,
                "resource": resource,
                "region": region,
                "detail": export.opt_string(f, &base, "status_detail", "").unwrap_or_default(),
                "requirements": requirements,
                "other_requirements": other,
            }));
        }
        diags.append(&mut export.diags);
    }
    if rows == 0 && diags.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0701,
            Location::line(&first.path, 1),
            "the Prowler output holds no findings: was the scan run with -M json-ocsf?",
        ));
    }
    if !diags.is_empty() {
        crate::diag::sort(&mut diags);
        return Err(invalid(&first.path, diags));
    }
    let mut out = Vec::new();
    for (account, mut a) in accounts {
        a.items.sort_by(|x, y| {
            (x["check"].as_str(), x["resource"].as_str())
                .cmp(&(y["check"].as_str(), y["resource"].as_str()))
        });
        let scanned = a.earliest.filter(|_| !a.undated);
        let collected = options.collected_on.or(scanned);
        let provenance = Provenance {
            importer: NAME.to_string(),
            version: super::IMPORTER_VERSION.to_string(),
            source_system: "Prowler".to_string(),
            file: file_name(&first.path),
            sha256: sha256(first.text.as_bytes()),
            rows_read: a.items.len(),
            rows_skipped: Vec::new(),
            collected_on_from: match (options.collected_on, scanned) {
                (Some(_), _) => "--collected-on".into(),
                (None, Some(_)) => "export: the day of the earliest finding".into(),
                (None, None) => {
                    "not stated: the findings carry no time; pass --collected-on".into()
                }
            },
            inputs: if files.len() > 1 {
                inputs.clone()
            } else {
                Vec::new()
            },
            ..Provenance::default()
        };
        let mut doc = json!({
            "kind": "cloud_check",
            "source": "Prowler OCSF output",
            "tool": "Prowler",
            "provider": a.provider,
            "account": account,
            "provenance": provenance,
            "items": a.items,
        });
        // Ids of built-in frameworks that name no requirement: kept visible, not dropped.
        doc["provenance"]["unknown_requirement_ids"] = json!(unknown_ids);
        if let Some(d) = collected {
            doc["collected_on"] = json!(d.to_string());
        }
        let name = account
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>();
        out.push((
            format!("cloud/prowler-{}-{name}.json", a.provider),
            render(&doc),
        ));
    }
    Ok(Imported { files: out })
}

#[cfg(test)]
mod tests {
    use super::requirement_id;

    #[test]
    fn prowler_ids_take_xwalk_spelling() {
        assert_eq!(requirement_id("soc2-2017", "cc_6_1"), "CC6.1");
        assert_eq!(requirement_id("soc2-2017", "cc_a_1_2"), "A1.2");
        assert_eq!(requirement_id("soc2-2017", "cc_c_1_1"), "C1.1");
        assert_eq!(requirement_id("soc2-2017", "CC7.2"), "CC7.2");
        assert_eq!(requirement_id("nist-csf-2.0", "pr_aa_01"), "PR.AA-01");
        assert_eq!(requirement_id("iso27001-2022", "A.8.24"), "A.8.24");
    }
}
