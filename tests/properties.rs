//! Properties that must hold for any input, checked with proptest on generated cases.
//!
//! Case counts are modest so the file runs in seconds in release mode.

use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use xwalk::coverage::{self, Status, Trace};
use xwalk::eval::{self, Evaluation, Outcome, RuleResult};
use xwalk::facts::{Corpus, FactsSet};
use xwalk::report::{self, csv::CsvOptions, Table};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;
use xwalk::{Crosswalk, Support};

const FRAMEWORKS: [&str; 3] = ["iso27001-2022", "soc2-2017", "nist-csf-2.0"];

fn sandbox() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap()))
}

fn builtin() -> &'static Crosswalk {
    static CROSSWALK: OnceLock<Crosswalk> = OnceLock::new();
    CROSSWALK.get_or_init(|| {
        Crosswalk::builtin()
            .into_result()
            .expect("built-in crosswalk")
    })
}

fn rule_text(id: &str, requirements: &str, facts: &str, body: &str) -> String {
    format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: {requirements}\n//! facts: {facts}\n\n{body}\n")
}

/// Twelve rules over requirements of all three frameworks, so links carry coverage across.
fn coverage_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let cw = builtin();
        let mut pool: Vec<String> = Vec::new();
        for fw in FRAMEWORKS {
            pool.extend(
                cw.assessable(fw)
                    .step_by(7)
                    .take(12)
                    .map(|n| cw.node(n).reference().to_string()),
            );
        }
        let files: Vec<SourceFile> = (0..12)
            .map(|i| {
                let reqs: Vec<&str> = pool
                    .iter()
                    .skip(i)
                    .step_by(12)
                    .map(String::as_str)
                    .collect();
                SourceFile::new(
                    format!("r{i}.rhai"),
                    rule_text(
                        &format!("r{i}"),
                        &reqs.join(", "),
                        "policy",
                        "fn evaluate(doc) { pass(\"x\") }",
                    ),
                )
            })
            .collect();
        let set = RuleSet::compile(&files, sandbox());
        assert_eq!(set.rules.len(), 12, "{:?}", set.diagnostics);
        set
    })
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        Just(Outcome::Pass),
        Just(Outcome::Fail),
        Just(Outcome::NotApplicable),
        Just(Outcome::NoEvidence),
        Just(Outcome::Error),
    ]
}

fn row(rule: usize, file: usize, outcome: Outcome) -> RuleResult {
    RuleResult {
        rule: format!("r{rule}").into(),
        severity: None,
        file: Some(Arc::from(format!("f{file}.json"))),
        outcome,
        message: String::new(),
        evidence: Vec::new(),
        output: Vec::new(),
    }
}

/// Per framework: (satisfied, satisfied + partial, failing).
fn figures(evaluation: &Evaluation) -> Vec<(usize, usize, usize)> {
    let frameworks: Vec<xwalk::FrameworkId> = FRAMEWORKS.iter().map(|s| (*s).into()).collect();
    let c = coverage::compute(
        builtin(),
        coverage_rules(),
        evaluation,
        &FactsSet::default(),
        &frameworks,
        &Default::default(),
    );
    c.frameworks
        .iter()
        .map(|f| {
            let n = f.counts;
            (n.satisfied, n.satisfied + n.partial, n.failing)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// A new passing result never lowers a satisfied or covered count, nor raises a failing one.
    #[test]
    fn adding_a_pass_never_lowers_coverage(
        rows in prop::collection::vec((0..12usize, 0..4usize, outcome()), 0..40),
        extra_rule in 0..12usize,
        extra_file in 0..6usize,
    ) {
        let mut evaluation = Evaluation {
            results: rows.iter().map(|(r, f, o)| row(*r, *f, *o)).collect(),
            ..Evaluation::default()
        };
        let before = figures(&evaluation);
        evaluation.results.push(row(extra_rule, extra_file, Outcome::Pass));
        let after = figures(&evaluation);
        for ((fw, b), a) in FRAMEWORKS.iter().zip(&before).zip(&after) {
            prop_assert!(a.0 >= b.0, "{fw}: satisfied fell from {} to {}", b.0, a.0);
            prop_assert!(a.1 >= b.1, "{fw}: covered fell from {} to {}", b.1, a.1);
            prop_assert!(a.2 <= b.2, "{fw}: failing rose from {} to {}", b.2, a.2);
        }
    }
}

/// Rules for the determinism property: one per document, and one joining kinds through an index.
fn eval_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let files = vec![
            SourceFile::new("mfa.rhai", rule_text("mfa", "iso27001-2022:A.8.5", "accounts",
                "fn evaluate(doc) { let bad = doc.items.filter(|a| !a.mfa); if bad.is_empty() { pass(\"ok\", doc) } else { fail(`${names(bad, \"user\")}`, bad) } }")),
            SourceFile::new("join.rhai", rule_text("join", "iso27001-2022:A.5.18", "accounts, people",
                "fn evaluate(doc, facts) { let hr = facts.index(\"people\", \"user\"); let gone = doc.items.filter(|a| hr.contains(a.user) && hr.get(a.user).left); if gone.is_empty() { pass(\"ok\") } else { fail(names(gone, \"user\"), gone) } }")),
            SourceFile::new("count.rhai", rule_text("count", "soc2-2017:CC6.1", "people",
                "fn evaluate(doc) { if doc.items.len() > 2 { pass(`${doc.items.len()}`) } else { not_applicable(\"small\") } }")),
        ];
        let set = RuleSet::compile(&files, sandbox());
        assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
        set
    })
}

fn account() -> impl Strategy<Value = String> {
    (
        0..6u8,
        prop_oneof![Just("true"), Just("false"), Just("null")],
    )
        .prop_map(|(u, mfa)| format!(r#"{{"user": "u{u}", "mfa": {mfa}}}"#))
}

fn person() -> impl Strategy<Value = String> {
    (0..6u8, any::<bool>()).prop_map(|(u, left)| format!(r#"{{"user": "U{u}", "left": {left}}}"#))
}

fn documents() -> impl Strategy<Value = Vec<(String, String)>> {
    let doc = prop_oneof![
        prop::collection::vec(account(), 0..5)
            .prop_map(|items| format!(r#"{{"kind": "accounts", "items": [{}]}}"#, items.join(","))),
        prop::collection::vec(person(), 0..5)
            .prop_map(|items| format!(r#"{{"kind": "people", "items": [{}]}}"#, items.join(","))),
        Just("{\"kind\": \"accounts\", \"items\": [".to_string()),
    ];
    prop::collection::vec(doc, 1..12).prop_map(|docs| {
        docs.into_iter()
            .enumerate()
            .map(|(i, d)| (format!("d{i:02}.json"), d))
            .collect()
    })
}

fn run_on(threads: usize, files: &[(String, String)]) -> (Vec<RuleResult>, Vec<String>) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        let corpus = Corpus::from_set(FactsSet::from_texts(files));
        let evaluation = eval::evaluate(eval_rules(), sandbox(), &corpus, &|| {});
        let diags = corpus.diagnostics.iter().map(|d| d.to_string()).collect();
        (evaluation.results, diags)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Results do not depend on the thread count nor on the order facts files come in.
    #[test]
    fn results_are_identical_for_any_thread_count_and_file_order(
        (files, shuffled) in documents().prop_flat_map(|d| (Just(d.clone()), Just(d).prop_shuffle())),
        threads in 2..5usize,
    ) {
        let one = run_on(1, &files);
        let many = run_on(threads, &shuffled);
        prop_assert_eq!(&one, &many);
        prop_assert!(!one.0.is_empty());
    }
}

const RELATIONSHIPS: [&str; 5] = [
    "equal",
    "subset-of",
    "superset-of",
    "intersects-with",
    "not-related",
];

/// A framework `a` (tested by rules) linked to `b` (never tested directly).
fn small_crosswalk(links: &[(usize, usize, usize)]) -> Crosswalk {
    let catalog = |fw: &str| {
        let mut text = "id,parent,kind,title\n".to_string();
        for i in 0..4 {
            text.push_str(&format!("{fw}{i},,control,Control {i}\n"));
        }
        text
    };
    let mut link_text = "from,to,relationship,strength,rationale,source\n".to_string();
    let mut seen = std::collections::BTreeSet::new();
    for (from, to, rel) in links {
        if seen.insert((from, to)) {
            link_text.push_str(&format!(
                "a{from},b{to},{},5,generated,proptest\n",
                RELATIONSHIPS[*rel]
            ));
        }
    }
    let files = [
        SourceFile::new(
            "cw/frameworks.csv",
            "id,name,version,source\na,A,1,own\nb,B,1,own\n",
        ),
        SourceFile::new("cw/a.csv", catalog("a")),
        SourceFile::new("cw/b.csv", catalog("b")),
        SourceFile::new("cw/a__b.csv", link_text),
    ];
    let loaded = Crosswalk::from_files(&files);
    assert_eq!(loaded.error_count(), 0, "{:?}", loaded.diagnostics);
    loaded.crosswalk
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// A requirement reached only through subset-of / intersects-with links is never satisfied.
    #[test]
    fn a_partial_link_never_yields_satisfied(
        links in prop::collection::vec((0..4usize, 0..4usize, 0..5usize), 0..12),
        outcomes in prop::collection::vec(outcome(), 4),
    ) {
        let cw = small_crosswalk(&links);
        let files: Vec<SourceFile> = (0..4)
            .map(|i| SourceFile::new(format!("r{i}.rhai"), rule_text(&format!("r{i}"), &format!("a:a{i}"), "policy", "fn evaluate(doc) { pass(\"x\") }")))
            .collect();
        let rules = RuleSet::compile(&files, sandbox());
        let evaluation = Evaluation {
            results: outcomes.iter().enumerate().map(|(i, o)| row(i, 0, *o)).collect(),
            ..Evaluation::default()
        };
        let c = coverage::compute(&cw, &rules, &evaluation, &FactsSet::default(), &["a".into(), "b".into()], &Default::default());
        let a_satisfied: Vec<bool> = c.frameworks[0].requirements.iter().map(|r| r.status == Status::Satisfied).collect();
        for (j, req) in c.frameworks[1].requirements.iter().enumerate() {
            let full = links.iter().any(|(from, to, rel)| {
                *to == j && a_satisfied[*from] && matches!(RELATIONSHIPS[*rel], "equal" | "superset-of")
                    && links.iter().find(|(f, t, _)| f == from && t == to).map(|l| l.2) == Some(*rel)
            });
            if req.status == Status::Satisfied {
                prop_assert!(full, "b{j} satisfied without a full link: {:?}", req.because);
                let traced = req.because.iter().any(|t| matches!(t, Trace::Link { support: Support::Full, .. }));
                prop_assert!(traced, "b{j} satisfied but no full link is traced");
            } else {
                prop_assert!(!full, "b{j} has a full link from a satisfied requirement but is {}", req.status);
            }
        }
    }
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[=+@\\-\t\r ]?[a-z0-9,\"\n\r;()=+-]{0,12}",
        "[+-]?[0-9]{1,4}(\\.[0-9]{1,3})?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// CSV output reads back cell for cell, apart from the `'` that neutralises a formula.
    #[test]
    fn csv_output_round_trips(
        rows in prop::collection::vec(prop::collection::vec(cell(), 3), 0..8),
        bom in any::<bool>(),
    ) {
        let mut table = Table::new(["a", "b", "c"]);
        for r in &rows {
            table.push(r.clone());
        }
        let bytes = report::csv::render(&table, CsvOptions { bom });
        let text = String::from_utf8(bytes).unwrap();
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        prop_assert_eq!(bom, body.len() != text.len());
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(body.as_bytes());
        let read: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        prop_assert_eq!(read.len(), rows.len() + 1);
        for (got, want) in read.iter().skip(1).zip(&rows) {
            for (g, w) in got.iter().zip(want) {
                let neutralised = report::csv::neutralise(w);
                prop_assert_eq!(g, &*neutralised);
                if g != w {
                    prop_assert_eq!(g, &format!("'{w}"));
                    prop_assert!(w.starts_with(['=', '+', '-', '@', '\t', '\r']));
                }
            }
        }
    }
}
