//! No silent passes: every finding on the two fixtures survives type-violating edits.
//!
//! For each result that fails on a fixture, each field the finding points at (the
//! items its evidence names, and the document's own top-level fields) is changed
//! in turn to null, a value of the wrong type, an empty string, the wrong case of an
//! enumerated value and a date after the evaluation date. Every change must leave
//! the rule failing or in error on that document: never passing, never silent.
//!
//! Two changes are exempt, each for a reason the vocabulary states: the wrong case
//! of a string the vocabulary does not enumerate (free text), and a future date in
//! a field the vocabulary marks as planned (a due date lies ahead by nature).

use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use xwalk::eval::{self, Outcome};
use xwalk::facts::schema::SchemaSet;
use xwalk::facts::{Corpus, FactsLimits, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};

const AS_OF: &str = "2026-06-30";
const FUTURE: &str = "2027-01-15";
/// Items of a finding's evidence that are changed, at most.
const ITEMS_PER_FINDING: usize = 3;

fn texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Every leaf under `value` at `pointer` (arrays of scalars count as one leaf).
fn leaves(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                leaves(v, format!("{pointer}/{k}"), out);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (i, v) in items.iter().enumerate().take(ITEMS_PER_FINDING) {
                leaves(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => out.push(pointer),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    Null,
    WrongType,
    Empty,
    WrongCase,
    Future,
}

fn changed(original: &Value, change: Change) -> Option<Value> {
    let looks_like_date = |s: &str| xwalk::dates::parse_date(s).is_some();
    match (change, original) {
        (Change::Null, Value::Null) => None,
        (Change::Null, _) => Some(Value::Null),
        (Change::WrongType, Value::String(_)) => Some(Value::from(0)),
        (Change::WrongType, Value::Number(n)) => Some(Value::from(n.to_string())),
        (Change::WrongType, Value::Bool(b)) => Some(Value::from(b.to_string())),
        (Change::WrongType, Value::Array(_)) => Some(Value::from("x")),
        (Change::WrongType, Value::Object(_)) => Some(Value::Array(Vec::new())),
        (Change::WrongType, Value::Null) => Some(Value::from(true)),
        (Change::Empty, Value::String(s)) if !s.is_empty() => Some(Value::from("")),
        (Change::WrongCase, Value::String(s)) if !looks_like_date(s) && s.to_uppercase() != *s => {
            Some(Value::from(s.to_uppercase()))
        }
        (Change::Future, Value::String(s)) if looks_like_date(s) => Some(Value::from(FUTURE)),
        _ => None,
    }
}

struct Fixture {
    texts: Vec<(String, String)>,
    limits: FactsLimits,
    sandbox: Sandbox,
    rules: RuleSet,
    vocabulary: Arc<SchemaSet>,
}

impl Fixture {
    fn load(dir: &str) -> Fixture {
        let as_of = xwalk::dates::parse_date(AS_OF).unwrap();
        let vocabulary = Arc::new(SchemaSet::builtin_at(as_of).unwrap());
        let sandbox = Sandbox::new(Limits::default(), as_of);
        let rules = RuleSet::builtin(&sandbox);
        Fixture {
            texts: texts(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)),
            limits: FactsLimits {
                vocabulary: Some(vocabulary.clone()),
                ..FactsLimits::default()
            },
            sandbox,
            rules,
            vocabulary,
        }
    }

    fn run(&self, rules: &RuleSet, texts: &[(String, String)]) -> eval::Evaluation {
        let facts = Corpus::from_set(FactsSet::from_texts_with(texts, &self.limits));
        eval::evaluate(rules, &self.sandbox, &facts, &|| {})
    }
}

fn kind_of(text: &str) -> String {
    serde_json::from_str::<Value>(text).unwrap()["kind"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// (file, pointer, change, outcome) of every change that let a failing rule pass.
fn silent_passes(dir: &str) -> (usize, usize, Vec<String>) {
    let fx = Fixture::load(dir);
    let baseline = fx.run(&fx.rules, &fx.texts);
    let failing: Vec<_> = baseline
        .results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .collect();
    assert!(!failing.is_empty(), "{dir} has findings to mutate");
    let mut jobs = Vec::new();
    for result in &failing {
        let rule = fx.rules.get(&result.rule).unwrap();
        let file = result.file.as_deref().unwrap();
        let one = RuleSet {
            rules: vec![rule.clone()],
            ..RuleSet::default()
        };
        // Only the documents of the kinds the rule reads.
        let texts: Vec<(String, String)> = fx
            .texts
            .iter()
            .filter(|(_, t)| rule.meta.may_read(&kind_of(t)))
            .cloned()
            .collect();
        let (_, text) = texts.iter().find(|(p, _)| p == file).unwrap();
        let doc: Value = serde_json::from_str(text).unwrap();
        let mut pointers = Vec::new();
        for (k, v) in doc.as_object().unwrap() {
            if k != "kind" && k != "items" {
                leaves(v, format!("/{k}"), &mut pointers);
            }
        }
        let mut items: Vec<String> = result
            .evidence
            .iter()
            .filter_map(|e| e.split_once('#'))
            .filter(|(f, _)| *f == file)
            .map(|(_, p)| p.to_string())
            .filter(|p| p.starts_with("/items/"))
            .collect();
        items.dedup();
        for item in items.iter().take(ITEMS_PER_FINDING) {
            if let Some(v) = doc.pointer(item) {
                leaves(v, item.clone(), &mut pointers);
            }
        }
        for pointer in pointers {
            for change in [
                Change::Null,
                Change::WrongType,
                Change::Empty,
                Change::WrongCase,
                Change::Future,
            ] {
                jobs.push((
                    one.clone(),
                    texts.clone(),
                    file.to_string(),
                    pointer.clone(),
                    change,
                ));
            }
        }
    }
    let tried = std::sync::atomic::AtomicUsize::new(0);
    let problems: Vec<String> = jobs
        .par_iter()
        .filter_map(|(rules, texts, file, pointer, change)| {
            let (_, text) = texts.iter().find(|(p, _)| p == file)?;
            let mut doc: Value = serde_json::from_str(text).ok()?;
            let kind = doc["kind"].as_str().unwrap_or_default().to_string();
            let slot = doc.pointer_mut(pointer)?;
            let new = changed(slot, *change)?;
            *slot = new.clone();
            let new_text = serde_json::to_string_pretty(&doc).ok()?;
            let violations = fx.vocabulary.violations(file, &new_text, &kind, &doc);
            // Exempt: free text in another case; a future date where the vocabulary plans one.
            if violations.is_empty() && matches!(change, Change::WrongCase | Change::Future) {
                return None;
            }
            tried.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let texts: Vec<(String, String)> = texts
                .iter()
                .map(|(p, t)| {
                    if p == file {
                        (p.clone(), new_text.clone())
                    } else {
                        (p.clone(), t.clone())
                    }
                })
                .collect();
            let evaluation = fx.run(rules, &texts);
            let outcome = evaluation
                .results
                .iter()
                .find(|r| r.file.as_deref() == Some(file.as_str()))
                .map(|r| r.outcome);
            match outcome {
                Some(Outcome::Fail | Outcome::Error) => None,
                other => Some(format!(
                    "{dir}/{file}{pointer} {change:?} -> {new}: rule {} gave {other:?}",
                    rules.rules[0].meta.id
                )),
            }
        })
        .collect();
    (
        failing.len(),
        tried.load(std::sync::atomic::Ordering::Relaxed),
        problems,
    )
}

#[test]
fn no_type_violating_change_turns_a_finding_into_a_pass() {
    let mut all = Vec::new();
    for dir in ["fixtures/startup", "fixtures/scaleup"] {
        let (findings, tried, problems) = silent_passes(dir);
        println!(
            "{dir}: {findings} findings, {tried} changes tried, {} passed",
            problems.len()
        );
        all.extend(problems);
    }
    all.sort();
    assert!(
        all.is_empty(),
        "{} change(s) turned a finding into a pass:\n{}",
        all.len(),
        all.join("\n")
    );
}
