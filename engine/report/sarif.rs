//! SARIF 2.1.0 (through the `serde-sarif` types) for code scanning: `xwalk check`'s rule
//! problems, and an evaluation's findings located in the facts file at the line and column
//! of their evidence. Every rule descriptor carries a name, short and full descriptions,
//! help and a help link; every result a relative URI under `%SRCROOT%`, a region with its
//! end, and a partial fingerprint that stays the same from run to run, so that GitHub can
//! tell new findings from old ones. A waived failure is reported as a suppressed result
//! (accepted, with the waiver's reason), not left out.

use crate::diag::{Diagnostic, Severity};
use crate::eval::Outcome;
use crate::rules::{RuleSet, RuleSeverity};
use crate::views::results::EvalReport;
use serde_json::{json, Value};
use serde_sarif::sarif::{
    ArtifactContent, ArtifactLocation, Location, Message, MultiformatMessageString,
    PhysicalLocation, Region, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent,
};
use std::collections::BTreeMap;

/// The SARIF 2.1.0 schema address.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where xwalk's documentation lives; help links are relative to it.
const HOME: &str = "https://github.com/xwalk/xwalk";

/// The base of relative URIs: the directory the command ran in (a checkout's root).
const SRCROOT: &str = "%SRCROOT%";

/// The longest evidence snippet shown; longer values show their first line.
const SNIPPET: usize = 200;

fn text(s: impl Into<String>) -> Message {
    Message {
        text: Some(s.into()),
        ..Message::default()
    }
}

fn multi(text: impl Into<String>, markdown: Option<String>) -> MultiformatMessageString {
    let mut m = MultiformatMessageString::builder()
        .text(text.into())
        .build();
    m.markdown = markdown;
    m
}

/// `access.mfa-enforced` -> `AccessMfaEnforced`; `XW0301` -> `Xw0301`.
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + c.as_str().to_ascii_lowercase().as_str()
            })
        })
        .collect()
}

/// A relative path under `%SRCROOT%`, or an absolute one as a `file:` URI.
fn artifact(path: &str) -> ArtifactLocation {
    let path = path.replace('\\', "/");
    if path.starts_with('/') {
        return ArtifactLocation {
            uri: Some(format!("file://{path}")),
            ..ArtifactLocation::default()
        };
    }
    ArtifactLocation {
        uri: Some(path.trim_start_matches("./").to_string()),
        uri_base_id: Some(SRCROOT.to_string()),
        ..ArtifactLocation::default()
    }
}

/// A stable fingerprint of the parts that identify a finding.
fn fingerprint(parts: &[&str]) -> BTreeMap<String, String> {
    let digest = crate::import::sha256(parts.join("\u{1f}").as_bytes());
    BTreeMap::from([(
        "xwalk/v1".to_string(),
        digest.get(..32).unwrap_or("").to_string(),
    )])
}

fn log(driver: ToolComponent, results: Vec<SarifResult>, category: &str) -> Value {
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .automation_details(RunAutomationDetails {
            id: Some(format!("{category}/")),
            ..RunAutomationDetails::default()
        })
        .build();
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_value(sarif).unwrap_or(Value::Null)
}

fn driver(rules: Vec<ReportingDescriptor>) -> ToolComponent {
    ToolComponent::builder()
        .name("xwalk")
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(HOME)
        .rules(rules)
        .build()
}

/// `xwalk check`'s problems: one result per diagnostic, one rule per diagnostic code.
pub fn render(diags: &[Diagnostic]) -> Value {
    let mut codes: Vec<&crate::diag::Code> = diags.iter().map(|d| d.code).collect();
    codes.sort_by_key(|c| c.id);
    codes.dedup_by_key(|c| c.id);
    let rules = codes
        .iter()
        .map(|c| {
            let link = format!("{HOME}/blob/main/{}", c.doc_path());
            ReportingDescriptor::builder()
                .id(c.id)
                .name(pascal(
                    c.summary.split(['(', ':', ';']).next().unwrap_or(c.id),
                ))
                .short_description(multi(c.summary, None))
                .full_description(multi(format!("{}: {}.", c.id, c.summary), None))
                .help(multi(
                    format!("{}. See {link}", c.summary),
                    Some(format!("{}. See [{}]({link}).", c.summary, c.id)),
                ))
                .help_uri(link)
                .build()
        })
        .collect();
    let results = diags
        .iter()
        .map(|d| {
            let mut message = d.message.clone();
            if let Some(s) = &d.subject {
                message.push_str(&format!(" ({s})"));
            }
            let region = (d.location.line > 0).then(|| Region {
                start_line: Some(d.location.line as i64),
                start_column: (d.location.column > 0).then_some(d.location.column as i64),
                ..Region::default()
            });
            let line = d.location.line.to_string();
            result(
                d.code.id,
                match d.severity {
                    Severity::Error => ResultLevel::Error,
                    Severity::Warning => ResultLevel::Warning,
                },
                message.clone(),
                artifact(&d.location.file),
                region,
                fingerprint(&[d.code.id, &d.location.file, &line, &message]),
            )
        })
        .collect();
    log(driver(rules), results, "xwalk/check")
}

/// One result at one place.
fn result(
    rule: &str,
    level: ResultLevel,
    message: String,
    at: ArtifactLocation,
    region: Option<Region>,
    print: BTreeMap<String, String>,
) -> SarifResult {
    let mut r = SarifResult::builder().message(text(message)).build();
    r.rule_id = Some(rule.to_string());
    r.level = Some(level);
    r.locations = Some(vec![Location {
        physical_location: Some(PhysicalLocation {
            artifact_location: Some(at),
            region,
            ..PhysicalLocation::default()
        }),
        ..Location::default()
    }]);
    r.partial_fingerprints = Some(print);
    r
}

/// The level of a failing rule of this severity.
fn level(severity: Option<RuleSeverity>) -> ResultLevel {
    match severity {
        Some(RuleSeverity::Major) | None => ResultLevel::Error,
        Some(RuleSeverity::Minor) => ResultLevel::Warning,
        Some(RuleSeverity::Ofi) => ResultLevel::Note,
    }
}

/// An evaluation's findings (failing, erroring and waived results): one result per
/// evidence pointer, located in its facts file. `facts_dir` is the facts directory as a
/// path relative to where the command ran (`fixtures/startup`); `read` gives the text of
/// a facts file by its path relative to that directory.
pub fn render_eval(
    report: &EvalReport<'_>,
    rules: &RuleSet,
    facts_dir: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Value {
    let dir = facts_dir.trim_end_matches('/');
    let mut texts: BTreeMap<String, Option<String>> = BTreeMap::new();
    let findings: Vec<_> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Fail | Outcome::Error | Outcome::Waived))
        .collect();
    let mut used: Vec<&str> = findings.iter().map(|r| r.rule.as_str()).collect();
    used.sort_unstable();
    used.dedup();
    let descriptors = used
        .iter()
        .map(|id| {
            let rule = rules.rules.iter().find(|r| r.meta.id.as_str() == *id);
            let (title, description) = rule.map_or((id.to_string(), String::new()), |r| {
                (r.meta.title.clone(), r.meta.description.clone())
            });
            let claims: Vec<String> = rule
                .map(|r| r.meta.procedures.iter().map(|p| p.to_string()).collect())
                .unwrap_or_default();
            let full = if description.is_empty() {
                title.clone()
            } else {
                description
            };
            let tests = if claims.is_empty() {
                String::new()
            } else {
                format!("\n\nTest procedures: {}", claims.join(", "))
            };
            // Built-in rules link to their source, whose header explains them.
            let link = rule
                .filter(|r| r.origin.as_ref() == crate::rules::BUILTIN_ORIGIN)
                .map(|r| {
                    format!(
                        "{HOME}/blob/main/{}",
                        r.path.trim_start_matches("<builtin>/")
                    )
                });
            let mut descriptor = ReportingDescriptor::builder()
                .id(*id)
                .name(pascal(id))
                .short_description(multi(title, None))
                .full_description(multi(full.clone(), None))
                .help(multi(
                    format!("{full}{tests}"),
                    Some(format!("{full}{tests}")),
                ))
                .build();
            descriptor.help_uri = link;
            descriptor
        })
        .collect();
    let mut results = Vec::new();
    for r in findings {
        let pointers: Vec<(String, String)> = r
            .evidence
            .iter()
            .filter_map(|e| e.split_once('#'))
            .map(|(f, p)| (f.to_string(), p.to_string()))
            .collect();
        let pointers = if pointers.is_empty() {
            vec![(
                r.file.as_deref().unwrap_or_default().to_string(),
                String::new(),
            )]
        } else {
            pointers
        };
        for (file, pointer) in pointers {
            let text_of = texts
                .entry(file.clone())
                .or_insert_with(|| read(&file))
                .clone();
            let region = text_of
                .as_deref()
                .and_then(|t| crate::facts::parse::span(t, &pointer))
                .map(|(line, column, end_line, end_column, value)| {
                    let snippet = if value.len() <= SNIPPET {
                        value.to_string()
                    } else {
                        value.lines().next().unwrap_or_default().to_string()
                    };
                    Region {
                        start_line: Some(line as i64),
                        start_column: Some(column as i64),
                        end_line: Some(end_line as i64),
                        end_column: Some(end_column as i64),
                        snippet: Some(ArtifactContent {
                            text: Some(snippet),
                            ..ArtifactContent::default()
                        }),
                        ..Region::default()
                    }
                });
            let path = if dir.is_empty() {
                file.clone()
            } else {
                format!("{dir}/{file}")
            };
            let suppressions = r.waiver.as_ref().map(|w| {
                vec![Suppression::builder()
                    .kind(json!("external"))
                    .status(json!("accepted"))
                    .justification(format!(
                        "{} (approved by {} on {}, expires {}; {})",
                        w.justification, w.approved_by, w.approved_on, w.expires_on, w.risk
                    ))
                    .build()]
            });
            let message = if pointer.is_empty() {
                r.message.clone()
            } else {
                format!("{} (evidence: {file}#{pointer})", r.message)
            };
            let mut found = result(
                r.rule.as_str(),
                level(r.severity),
                message,
                artifact(&path),
                region,
                fingerprint(&[r.rule.as_str(), &file, &pointer]),
            );
            found.suppressions = suppressions;
            results.push(found);
        }
    }
    log(driver(descriptors), results, "xwalk/eval")
}
