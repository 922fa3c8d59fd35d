//! One rule evaluated on arbitrary facts: never a crash, and never a pass built on missing data.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;
use xwalk::eval::{self, Outcome};
use xwalk::facts::{Corpus, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;

const RULE: &str = r#"//! id: fuzz.mfa
//! title: MFA for every active account
//! severity: major
//! requirements: iso27001-2022:A.8.5
//! facts: accounts

fn evaluate(doc) {
    let bad = doc.items.filter(|a| a.active && !a.mfa);
    if bad.is_empty() { pass("all enrolled", doc) } else { fail(`${names(bad, "user")} without MFA`, bad) }
}
"#;

fn setup() -> &'static (Sandbox, RuleSet) {
    static SETUP: OnceLock<(Sandbox, RuleSet)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let limits = Limits {
            time_budget: Duration::from_millis(200),
            max_operations: 200_000,
            ..Limits::default()
        };
        let sandbox = Sandbox::new(limits, jiff::civil::date(2026, 6, 30));
        let rules = RuleSet::compile(&[SourceFile::new("mfa.rhai", RULE)], &sandbox);
        assert_eq!(rules.rules.len(), 1, "{:?}", rules.diagnostics);
        (sandbox, rules)
    })
}

/// What a pass promises: `items` is an array of objects whose `active` is a
/// boolean, and every active one has `mfa: true`.
fn may_pass(doc: &Value) -> bool {
    let Some(items) = doc.get("items").and_then(Value::as_array) else {
        return false;
    };
    items.iter().all(|a| match a.get("active") {
        Some(Value::Bool(false)) => true,
        Some(Value::Bool(true)) => a.get("mfa") == Some(&Value::Bool(true)),
        _ => false,
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (sandbox, rules) = setup();
    let set = FactsSet::from_texts(&[("f.json".to_string(), text.to_string())]);
    let doc = set.documents().first().cloned();
    let corpus = Corpus::from_set(set);
    let evaluation = eval::evaluate(rules, sandbox, &corpus, &|| {});
    assert_eq!(evaluation.results.len(), 1, "{:?}", evaluation.results);
    let row = &evaluation.results[0];
    match &doc {
        Some(d) if d.kind == "accounts" => {
            assert_eq!(row.file.as_deref(), Some("f.json"));
            if row.outcome == Outcome::Pass {
                assert!(may_pass(&d.value), "passed on {}", d.value);
            }
            if row.outcome == Outcome::Error {
                assert!(row.message.contains("fuzz.mfa"), "{}", row.message);
            }
        }
        _ => assert_eq!(row.outcome, Outcome::NoEvidence),
    }
});
