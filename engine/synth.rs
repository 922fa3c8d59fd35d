//! Synthetic but realistic facts corpora for benchmarks and scale tests.
//!
//! The same seed and size always give the same files. Documents are about
//! 2 KB each and follow the facts vocabulary: most are the bulk exports a large
//! organisation produces (accounts per system, asset inventories, scanner
//! results, backup jobs), a few are the small registers rules join against
//! (HR roster, access reviews, org profile, SoA).

use crate::error::Error;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::Path;

/// Share of each kind among the documents that are not HR rosters, per thousand.
const MIX: [(&str, u32); 9] = [
    ("accounts", 360),
    ("asset_inventory", 205),
    ("vulnerability_scan", 155),
    ("backup", 80),
    ("logging", 70),
    ("change", 50),
    ("repository", 40),
    ("access_review", 30),
    ("policy", 10),
];

/// Every `PEOPLE_EVERY`-th document is an HR roster (2 %).
const PEOPLE_EVERY: usize = 50;

/// Evaluation date the generated dates are relative to.
pub const AS_OF: &str = "2026-06-30";

/// People per HR roster document.
const PEOPLE_PER_DOC: usize = 8;

/// The kind of document number `i` in a corpus of `n` (deterministic, evenly mixed).
pub fn kind_of(i: usize) -> &'static str {
    if i % PEOPLE_EVERY == PEOPLE_EVERY - 1 {
        return "people";
    }
    let slot = (i.wrapping_mul(7919) % 1000) as u32;
    let mut acc = 0;
    for (kind, share) in MIX {
        acc += share;
        if slot < acc {
            return kind;
        }
    }
    "policy"
}

fn date(rng: &mut ChaCha8Rng, max_days_ago: i64) -> String {
    let days = rng.random_range(0..=max_days_ago);
    let base: jiff::civil::Date = AS_OF.parse().unwrap_or_default();
    base.checked_sub(jiff::Span::new().days(days))
        .map(|d| d.to_string())
        .unwrap_or_else(|_| AS_OF.to_string())
}

fn pick<'a>(rng: &mut ChaCha8Rng, options: &[&'a str]) -> &'a str {
    options[rng.random_range(0..options.len())]
}

/// Number of HR roster documents in a corpus of `n` documents.
fn people_docs(n: usize) -> usize {
    (n / PEOPLE_EVERY).max(1)
}

fn email(person: usize) -> String {
    format!("user{person}@example.com")
}

/// Generate document `i` of a corpus of `n` with the given seed.
pub fn document(i: usize, n: usize, seed: u64, people_total: usize) -> Value {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let kind = kind_of(i);
    let system = format!("system-{}", i % 997);
    match kind {
        "accounts" => {
            let items: Vec<Value> = (0..6)
                .map(|k| {
                    let person = rng.random_range(0..people_total.max(1) + people_total / 50 + 1);
                    let active = rng.random_bool(0.92);
                    json!({
                        "user": format!("u{i}-{k}"), "email": email(person), "person_id": format!("E{person}"),
                        "type": if rng.random_bool(0.95) { "human" } else { "service" },
                        "status": if active { "active" } else { "disabled" },
                        "disabled_on": if active { Value::Null } else { json!(date(&mut rng, 300)) },
                        "mfa": rng.random_bool(0.97), "privileged": rng.random_bool(0.08),
                        "privilege_justification": if rng.random_bool(0.7) { json!("on-call rotation") } else { Value::Null },
                        "last_login": date(&mut rng, 120), "created_on": date(&mut rng, 900)
                    })
                })
                .collect();
            // One system in 25 lets people sign in without MFA (not derived from the random
            // stream, so the other fields stay as they were).
            json!({"kind": "accounts", "system": system, "source": "identity provider export", "collected_on": AS_OF, "mfa_required": i % 25 != 0, "items": items})
        }
        "asset_inventory" => {
            let items: Vec<Value> = (0..6)
                .map(|k| {
                    let ty = pick(&mut rng, &["server", "database", "storage", "laptop", "saas", "network"]);
                    json!({
                        "id": format!("A{i}-{k}"), "name": format!("{ty}-{i}-{k}"), "type": ty,
                        "owner": if rng.random_bool(0.95) { json!("platform-team") } else { Value::Null },
                        "classification": pick(&mut rng, &["internal", "confidential", "restricted", "public"]),
                        "baseline": "cis-level-1", "baseline_compliant": rng.random_bool(0.9),
                        "encrypted_at_rest": rng.random_bool(0.93), "tls_min_version": pick(&mut rng, &["1.2", "1.3", "1.2", "1.0"]),
                        "holds_sensitive_data": rng.random_bool(0.3), "masked_in_non_production": rng.random_bool(0.8)
                    })
                })
                .collect();
            json!({"kind": "asset_inventory", "source": "cloud asset inventory", "items": items})
        }
        "vulnerability_scan" => {
            let items: Vec<Value> = (0..7)
                .map(|k| {
                    let fixed = rng.random_bool(0.7);
                    json!({
                        "id": format!("V{i}-{k}"), "asset": format!("server-{}", rng.random_range(0..5000)),
                        "severity": pick(&mut rng, &["critical", "high", "medium", "low", "medium", "low"]),
                        "found_on": date(&mut rng, 200),
                        "fixed_on": if fixed { json!(date(&mut rng, 30)) } else { Value::Null },
                        "status": if fixed { "fixed" } else { "open" }
                    })
                })
                .collect();
            json!({"kind": "vulnerability_scan", "scanner": "scanner", "scanned_on": AS_OF,
                   "sla_days": {"critical": 15, "high": 30, "medium": 90, "low": 180}, "items": items})
        }
        "backup" => {
            let items: Vec<Value> = (0..7)
                .map(|k| json!({
                    "system": format!("{system}-db{k}"), "schedule": "daily", "last_success": date(&mut rng, 3),
                    "failures_last_30_days": rng.random_range(0..4), "last_restore_test": date(&mut rng, 400),
                    "restore_test_passed": rng.random_bool(0.95), "critical": rng.random_bool(0.4)
                }))
                .collect();
            json!({"kind": "backup", "source": "backup console export", "items": items})
        }
        "logging" => {
            let items: Vec<Value> = (0..10)
                .map(|k| json!({
                    "system": format!("{system}-svc{k}"), "enabled": rng.random_bool(0.97),
                    "retention_days": pick(&mut rng, &["365", "400", "90", "730"]).parse::<i64>().unwrap_or(365),
                    "centralised": rng.random_bool(0.95)
                }))
                .collect();
            json!({"kind": "logging", "required_retention_days": 365, "items": items})
        }
        "change" => {
            let items: Vec<Value> = (0..6)
                .map(|k| {
                    let implementer = format!("dev{}", rng.random_range(0..200));
                    json!({
                        "id": format!("CHG-{i}-{k}"), "date": date(&mut rng, 90), "summary": "deploy service release",
                        "type": pick(&mut rng, &["standard", "normal", "normal", "emergency"]),
                        "requested_by": format!("pm{}", rng.random_range(0..40)),
                        "approved_by": if rng.random_bool(0.95) { json!(format!("lead{}", rng.random_range(0..30))) } else { Value::Null },
                        "implemented_by": implementer, "tested": rng.random_bool(0.95), "post_approved_on": Value::Null
                    })
                })
                .collect();
            json!({"kind": "change", "source": "ticketing export", "items": items})
        }
        "repository" => {
            let items: Vec<Value> = (0..8)
                .map(|k| json!({
                    "name": format!("repo-{i}-{k}"), "default_branch_protected": rng.random_bool(0.93),
                    "required_reviews": rng.random_range(0..3), "dependency_scanning": rng.random_bool(0.9),
                    "secret_scanning": rng.random_bool(0.9), "sast": rng.random_bool(0.7), "production": rng.random_bool(0.6)
                }))
                .collect();
            json!({"kind": "repository", "source": "code hosting settings", "items": items})
        }
        "access_review" => {
            let items: Vec<Value> = (0..4)
                .map(|q| {
                    json!({
                        "period": format!("2026-Q{}", 4 - q), "completed_on": date(&mut rng, 120),
                        "reviewer": "security-lead", "accounts_reviewed": rng.random_range(10..200),
                        "removals": rng.random_range(0..5), "actions_closed": rng.random_bool(0.9)
                    })
                })
                .collect();
            json!({"kind": "access_review", "system": format!("system-{}", rng.random_range(0..997)), "scope": "all", "items": items})
        }
        "people" => {
            let ordinal = i / PEOPLE_EVERY;
            let items: Vec<Value> = (0..PEOPLE_PER_DOC)
                .map(|k| {
                    let person = ordinal * PEOPLE_PER_DOC + k;
                    let left = rng.random_bool(0.05);
                    json!({
                        "id": format!("E{person}"), "name": format!("Person {person}"), "email": email(person),
                        "status": if left { "left" } else { "active" }, "start_date": date(&mut rng, 1500),
                        "end_date": if left { json!(date(&mut rng, 60)) } else { Value::Null },
                        "department": pick(&mut rng, &["engineering", "sales", "operations", "finance"]),
                        "role": "staff", "screening_completed_on": date(&mut rng, 1500),
                        "nda_signed_on": date(&mut rng, 1500), "contractor": rng.random_bool(0.1)
                    })
                })
                .collect();
            json!({"kind": "people", "source": "HR system export", "items": items})
        }
        _ => {
            let items: Vec<Value> = (0..6)
                .map(|k| json!({
                    "id": format!("POL-{i}-{k}"), "title": "Acceptable use", "is_top_level": k == 0,
                    "approved_by": "CEO", "approver_role": "top management", "approved_on": date(&mut rng, 500),
                    "review_cycle_months": 12, "last_reviewed": date(&mut rng, 400), "published": true
                }))
                .collect();
            let _ = n;
            json!({"kind": "policy", "items": items})
        }
    }
}

/// What `generate` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    /// Documents written.
    pub documents: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// The path of document `i` inside a corpus (1,000 files per folder).
pub fn path_of(i: usize) -> String {
    format!("{:04}/{}-{:07}.json", i / 1000, kind_of(i), i)
}

/// Write `n` documents under `out` (in folders of 1,000), in parallel.
pub fn generate(out: &Path, n: usize, seed: u64) -> Result<Generated, Error> {
    let people_total = people_docs(n) * PEOPLE_PER_DOC;
    let folders = n.div_ceil(1000);
    for f in 0..folders {
        let dir = out.join(format!("{f:04}"));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir.display().to_string(), e))?;
    }
    let bytes: Result<Vec<u64>, Error> = (0..n)
        .into_par_iter()
        .map(|i| {
            let path = out.join(path_of(i));
            let text = document(i, n, seed, people_total).to_string();
            std::fs::write(&path, &text).map_err(|e| Error::io(&path.display().to_string(), e))?;
            Ok(text.len() as u64)
        })
        .collect();
    Ok(Generated {
        documents: n,
        bytes: bytes?.iter().sum(),
    })
}

/// The documents of a corpus in memory, as `(path, text)` (for small corpora and tests).
pub fn in_memory(n: usize, seed: u64) -> Vec<(String, String)> {
    let people_total = people_docs(n) * PEOPLE_PER_DOC;
    (0..n)
        .into_par_iter()
        .map(|i| (path_of(i), document(i, n, seed, people_total).to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_documents_and_about_two_kilobytes_each() {
        let a = in_memory(200, 7);
        let b = in_memory(200, 7);
        assert_eq!(a, b);
        let mean = a.iter().map(|(_, t)| t.len()).sum::<usize>() / a.len();
        assert!((1200..3200).contains(&mean), "mean document size {mean}");
        let kinds: std::collections::BTreeSet<&str> = (0..200).map(kind_of).collect();
        assert!(kinds.len() >= 8, "{kinds:?}");
        assert_ne!(in_memory(20, 8), in_memory(20, 7));
    }
}
