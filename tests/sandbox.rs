//! Rules are untrusted: every limit holds, and one bad rule never costs the others' results.

use std::time::{Duration, Instant};
use xwalk::eval::{self, Outcome};
use xwalk::facts::{Corpus, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;

fn rule(id: &str, body: &str) -> SourceFile {
    SourceFile::new(
        format!("rules/{id}.rhai"),
        format!(
            "//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.8.5\n//! facts: accounts\n\n{body}\n"
        ),
    )
}

fn run(rules: Vec<SourceFile>) -> (Vec<(String, Outcome, String)>, Duration) {
    let limits = Limits {
        time_budget: Duration::from_millis(500),
        ..Limits::default()
    };
    let sandbox = Sandbox::new(limits, "2026-06-30".parse().unwrap());
    let set = RuleSet::compile(&rules, &sandbox);
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
    let facts = Corpus::from_set(FactsSet::from_texts(&[(
        "accounts/idp.json".to_string(),
        r#"{"kind":"accounts","items":[{"user":"ana","mfa":true},{"user":"bo","mfa":false}]}"#
            .to_string(),
    )]));
    let start = Instant::now();
    let evaluation = eval::evaluate(&set, &sandbox, &facts, &|| {});
    let rows = evaluation
        .results
        .into_iter()
        .map(|r| (r.rule.to_string(), r.outcome, r.message))
        .collect();
    (rows, start.elapsed())
}

#[test]
fn hostile_rules_error_within_budget_and_good_rules_still_report() {
    let (rows, elapsed) = run(vec![
        rule("good", "fn evaluate(doc) { let bad = doc.items.filter(|u| !u.mfa); if bad.is_empty() { pass(\"ok\") } else { fail(`${bad.len()} without MFA`, bad) } }"),
        rule("loop", "fn evaluate(doc) { loop {} }"),
        rule("recurse", "fn f(x) { f(x + 1) } fn evaluate(doc) { f(0) }"),
        rule("throw", "fn evaluate(doc) { throw \"boom\"; }"),
        rule("huge-string", "fn evaluate(doc) { let s = \"x\"; loop { s += s; } }"),
        rule("sleep", "fn evaluate(doc) { sleep(1000); pass(\"slept\") }"),
        rule("wrong-type", "fn evaluate(doc) { 42 }"),
        rule("missing-field", "fn evaluate(doc) { if doc.items[0].no_such_field { pass(\"x\") } else { fail(\"y\") } }"),
    ]);
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    let find = |id: &str| {
        rows.iter()
            .find(|r| r.0 == id)
            .unwrap_or_else(|| panic!("{id} reported"))
    };
    assert_eq!(find("good").1, Outcome::Fail);
    assert_eq!(find("good").2, "1 without MFA");
    for id in [
        "loop",
        "recurse",
        "throw",
        "huge-string",
        "sleep",
        "wrong-type",
        "missing-field",
    ] {
        let (_, outcome, message) = find(id);
        assert_eq!(*outcome, Outcome::Error, "{id}: {message}");
        assert!(
            message.contains(id) && message.contains("accounts/idp.json"),
            "{id}: {message}"
        );
    }
    assert!(find("throw").2.contains("boom"));
    assert!(find("sleep").2.contains("sleep"));
    assert!(find("missing-field").2.contains("no_such_field"));
}

#[test]
fn rules_join_kinds_through_a_shared_index() {
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let rule = SourceFile::new(
        "join.rhai",
        "//! id: join\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.5.16\n//! facts: accounts, people\n\n\
         fn evaluate(doc, facts) {\n  let hr = facts.index(\"people\", \"email\");\n  let unknown = doc.items.filter(|a| !hr.contains(a.email));\n  \
         let left = doc.items.filter(|a| hr.contains(a.email) && hr.get(a.email).status == \"left\");\n  \
         if unknown.is_empty() && left.is_empty() { pass(\"ok\") } else { fail(`unknown ${names(unknown, \"email\")}; left ${names(left, \"email\")}`, unknown + left) }\n}\n",
    );
    let set = RuleSet::compile(&[rule], &sandbox);
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
    let facts = Corpus::from_set(FactsSet::from_texts(&[
        ("accounts.json".into(), r#"{"kind":"accounts","items":[{"email":"Ana@x.io"},{"email":"bo@x.io"},{"email":"cy@x.io"}]}"#.into()),
        ("people.json".into(), r#"{"kind":"people","items":[{"email":"ana@x.io","status":"active"},{"email":"bo@x.io","status":"left"}]}"#.into()),
    ]));
    let evaluation = eval::evaluate(&set, &sandbox, &facts, &|| {});
    let row = &evaluation.results[0];
    assert_eq!(row.outcome, Outcome::Fail);
    assert_eq!(row.message, "unknown cy@x.io; left bo@x.io");
    assert_eq!(
        row.evidence,
        vec!["accounts.json#/items/2", "accounts.json#/items/1"]
    );
}

#[test]
fn facts_group_returns_documents_by_a_top_level_field() {
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let set = RuleSet::compile(
        &[SourceFile::new(
            "rules/g.rhai",
            "//! id: t.group\n//! title: t\n//! severity: minor\n//! requirements: iso27001-2022:A.5.18\n//! facts: accounts, access_review\n\nfn evaluate(doc, facts) { let g = facts.group(\"access_review\", \"system\"); let r = g.get(doc.system); if r.is_empty() { fail(`none for ${doc.system} of ${g.len()}`) } else { pass(`${r.len()} for ${doc.system}: ${r[0].items[0].reviewer}`) } }\n",
        )],
        &sandbox,
    );
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
    let docs = [
        (
            "a/okta.json",
            r#"{"kind":"accounts","system":"Okta","items":[]}"#,
        ),
        (
            "a/aws.json",
            r#"{"kind":"accounts","system":"aws","items":[]}"#,
        ),
        (
            "r/1.json",
            r#"{"kind":"access_review","system":"okta","items":[{"reviewer":"cy"}]}"#,
        ),
        (
            "r/2.json",
            r#"{"kind":"access_review","system":"OKTA ","items":[{"reviewer":"di"}]}"#,
        ),
        (
            "r/3.json",
            r#"{"kind":"access_review","system":"github","items":[]}"#,
        ),
    ];
    let texts: Vec<(String, String)> = docs
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let facts = Corpus::from_set(FactsSet::from_texts(&texts));
    let evaluation = eval::evaluate(&set, &sandbox, &facts, &|| {});
    let mut messages: Vec<String> = evaluation
        .results
        .iter()
        .map(|r| r.message.clone())
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        vec![
            "2 for Okta: cy".to_string(),
            "none for aws of 2".to_string()
        ]
    );
}
