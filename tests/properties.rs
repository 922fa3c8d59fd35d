//! Properties that must hold for any input, checked with proptest on generated cases.
//!
//! Case counts are modest so the file runs in seconds in release mode.

use proptest::prelude::*;
use std::sync::{Arc, OnceLock};
use xwalk::coverage::{self, ProcedureStatus, Status, Trace};
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

/// A rule claiming test procedures (`tests:`).
fn claim_text(id: &str, procedures: &str, facts: &str, body: &str) -> String {
    format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! tests: {procedures}\n//! facts: {facts}\n\n{body}\n")
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
                // Rule i claims every procedure of its requirements, so it alone can
                // satisfy them and links can carry that.
                let claims: Vec<String> = pool
                    .iter()
                    .skip(i)
                    .step_by(12)
                    .flat_map(|r| {
                        let node = cw.resolve(&r.parse().unwrap()).unwrap();
                        cw.procedures(node)
                            .iter()
                            .map(|p| format!("{r}/{}", p.id))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                SourceFile::new(
                    format!("r{i}.rhai"),
                    claim_text(
                        &format!("r{i}"),
                        &claims.join(", "),
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
        Just(Outcome::Waived),
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
        collected_on: Some("2026-06-30".parse().unwrap()),
        waiver: None,
        population: None,
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Waiving a failure takes it out of the gate's count, not into satisfaction: no
    /// requirement is satisfied with the failure waived that is not satisfied with it failing.
    #[test]
    fn a_waived_failure_never_satisfies_more_than_the_failure(
        rows in prop::collection::vec((0..12usize, 0..4usize, outcome()), 0..40),
        extra_rule in 0..12usize,
        extra_file in 0..6usize,
    ) {
        let with = |o: Outcome| {
            let mut evaluation = Evaluation {
                results: rows.iter().map(|(r, f, o)| row(*r, *f, *o)).collect(),
                ..Evaluation::default()
            };
            evaluation.results.push(row(extra_rule, extra_file, o));
            figures(&evaluation)
        };
        let (failed, waived, passed) = (with(Outcome::Fail), with(Outcome::Waived), with(Outcome::Pass));
        for (i, fw) in FRAMEWORKS.iter().enumerate() {
            prop_assert!(waived[i].0 <= failed[i].0, "{fw}: waiving satisfied {} > {}", waived[i].0, failed[i].0);
            prop_assert!(waived[i].0 <= passed[i].0, "{fw}: waiving satisfied more than passing");
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

/// Two procedures for each requirement of a small framework: `de` (renewed on change) and
/// `op` (quarterly).
fn procedures(fw: &str) -> String {
    let mut text = "requirement,procedure,tests,renewal,statement\n".to_string();
    for i in 0..4 {
        text.push_str(&format!(
            "{fw}{i},de,design,on-change,designed\n{fw}{i},op,operation,quarterly,operating\n"
        ));
    }
    text
}

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
        SourceFile::new("cw/a.procedures.csv", procedures("a")),
        SourceFile::new("cw/b.procedures.csv", procedures("b")),
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
            .map(|i| SourceFile::new(format!("r{i}.rhai"), claim_text(&format!("r{i}"), &format!("a:a{i}/de, a:a{i}/op"), "policy", "fn evaluate(doc) { pass(\"x\") }")))
            .collect();
        let rules = RuleSet::compile(&files, sandbox());
        let evaluation = Evaluation {
            results: outcomes.iter().enumerate().map(|(i, o)| row(i, 0, *o)).collect(),
            ..Evaluation::default()
        };
        let c = coverage::compute(&cw, &rules, &evaluation, &FactsSet::default(), &["a".into(), "b".into()], &Default::default());
        let a_satisfied: Vec<bool> = c.frameworks[0].requirements.iter().map(|r| r.status == Status::Satisfied).collect();
        let a_failing: Vec<bool> = c.frameworks[0].requirements.iter().map(|r| r.status == Status::Failing).collect();
        for (j, req) in c.frameworks[1].requirements.iter().enumerate() {
            let rel_of = |from: usize| links.iter().find(|(f, t, _)| *f == from && *t == j).map(|l| RELATIONSHIPS[l.2]);
            // A failing requirement that is part of this one (a is equal or subset-of b).
            let failing_part = (0..4).any(|i| a_failing[i] && matches!(rel_of(i), Some("equal" | "subset-of")));
            // A part that works only under a waiver (its rule's failure is waived).
            let waived_part = (0..4).any(|i| outcomes[i] == Outcome::Waived && matches!(rel_of(i), Some("equal" | "subset-of")));
            let full = links.iter().any(|(from, to, rel)| {
                *to == j && a_satisfied[*from] && matches!(RELATIONSHIPS[*rel], "equal" | "superset-of")
                    && links.iter().find(|(f, t, _)| f == from && t == to).map(|l| l.2) == Some(*rel)
            });
            if req.status == Status::Satisfied {
                prop_assert!(full, "b{j} satisfied without a full link: {:?}", req.because);
                let traced = req.because.iter().any(|t| matches!(t, Trace::Link { support: Support::Full, .. }));
                prop_assert!(traced, "b{j} satisfied but no full link is traced");
            } else if !failing_part && !waived_part {
                prop_assert!(!full, "b{j} has a full link from a satisfied requirement but is {}", req.status);
            }
            if waived_part {
                prop_assert!(req.status != Status::Satisfied, "b{} contains a waived failure but is satisfied", j);
            }
            if failing_part {
                prop_assert_eq!(req.status, Status::Failing, "b{} contains a failing requirement", j);
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

/// The kind (0 or 1) the evidence rule for requirement `i` and procedure `p` reads.
fn kind_of(i: usize, p: &str) -> usize {
    (i + usize::from(p == "op")) % 2
}

/// Rules over two custom kinds for the evidence properties: each claims one procedure of
/// `a` or `b` and passes when every item of its document is `ok`.
fn evidence_rules() -> Vec<SourceFile> {
    let mut files = Vec::new();
    for fw in ["a", "b"] {
        for i in 0..4 {
            for p in ["de", "op"] {
                let id = format!("{fw}{i}{p}");
                let kind = format!("k{}", kind_of(i, p));
                files.push(SourceFile::new(
                    format!("{id}.rhai"),
                    claim_text(&id, &format!("{fw}:{fw}{i}/{p}"), &kind,
                        "fn evaluate(doc) { if doc.items.all(|x| x.ok) { pass(\"ok\", doc) } else { fail(\"not ok\", doc) } }"),
                ));
            }
        }
    }
    files
}

/// Documents of kind k0 or k1, each collected some days before 2026-06-30 (or undated).
fn evidence_documents() -> impl Strategy<Value = Vec<(String, String)>> {
    let doc = (
        0..2usize,
        prop::collection::vec(prop::bool::weighted(0.85), 0..3),
        prop_oneof![3 => (0..200i64).prop_map(Some), 1 => Just(None)],
    )
        .prop_map(|(kind, oks, age)| {
            let items: Vec<String> = oks.iter().map(|ok| format!(r#"{{"ok": {ok}}}"#)).collect();
            let date = age
                .map(|days| {
                    let day: jiff::civil::Date = "2026-06-30".parse().unwrap();
                    format!(
                        r#", "collected_on": "{}""#,
                        day - jiff::Span::new().days(days)
                    )
                })
                .unwrap_or_default();
            format!(
                r#"{{"kind": "k{kind}"{date}, "items": [{}]}}"#,
                items.join(",")
            )
        });
    prop::collection::vec(doc, 0..6).prop_map(|docs| {
        docs.into_iter()
            .enumerate()
            .map(|(i, d)| (format!("e{i}.json"), d))
            .collect()
    })
}

fn evidence_coverage(
    cw: &Crosswalk,
    files: &[(String, String)],
) -> (coverage::Coverage, Evaluation) {
    let rules = RuleSet::compile(&evidence_rules(), sandbox());
    assert!(rules.diagnostics.is_empty(), "{:?}", rules.diagnostics);
    let corpus = Corpus::from_set(FactsSet::from_texts(files));
    let evaluation = eval::evaluate(&rules, sandbox(), &corpus, &|| {});
    let c = coverage::compute(
        cw,
        &rules,
        &evaluation,
        corpus.resident(),
        &["a".into(), "b".into()],
        &Default::default(),
    );
    (c, evaluation)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Satisfied means every procedure passing on current evidence, or a full link from a
    /// requirement that is so by its own procedures, with nothing of its own unknown or
    /// stale; a passing procedure never rests on evidence older than its renewal period;
    /// and with every document of a kind removed, nothing claimed over that kind is satisfied.
    #[test]
    fn satisfied_needs_every_procedure_passing_on_current_evidence(
        links in prop::collection::vec((0..4usize, 0..4usize, 0..5usize), 0..10),
        files in evidence_documents(),
        dropped in 0..2usize,
    ) {
        let cw = small_crosswalk(&links);
        let (c, evaluation) = evidence_coverage(&cw, &files);
        let own_satisfied = |reference: &str| {
            let (fw, id) = reference.split_once(':').unwrap();
            c.framework(fw).unwrap().requirements.iter().find(|r| r.id == id).is_some_and(|r| {
                r.procedures.iter().all(|p| matches!(p.status, ProcedureStatus::Passing | ProcedureStatus::NotApplicable))
                    && r.procedures.iter().any(|p| p.status == ProcedureStatus::Passing)
            })
        };
        let as_of: jiff::civil::Date = "2026-06-30".parse().unwrap();
        for fw in &c.frameworks {
            for r in &fw.requirements {
                let all_pass = r.procedures.iter().all(|p| matches!(p.status, ProcedureStatus::Passing | ProcedureStatus::NotApplicable))
                    && r.procedures.iter().any(|p| p.status == ProcedureStatus::Passing);
                let blocked = r.procedures.iter().any(|p| matches!(p.status, ProcedureStatus::Unknown | ProcedureStatus::Stale | ProcedureStatus::Failing));
                if r.status == Status::Satisfied {
                    prop_assert!(!blocked, "{}:{} satisfied with {:?}", fw.framework, r.id, r.procedures);
                    let by_link = r.because.iter().any(|t| matches!(t, Trace::Link { support: Support::Full, from, .. } if own_satisfied(from)));
                    prop_assert!(all_pass || by_link, "{}:{} satisfied without its procedures or a full link", fw.framework, r.id);
                }
                for p in r.procedures.iter().filter(|p| p.status == ProcedureStatus::Passing) {
                    for rule in &p.rules {
                        for result in evaluation.of_rule(rule).filter(|x| x.outcome == Outcome::Pass) {
                            let Some(max) = p.renewal.max_age_days() else { continue };
                            let day = result.collected_on;
                            prop_assert!(day.is_some(), "{rule} passes on undated evidence for {}", p.id);
                            let age = (as_of - day.unwrap()).get_days();
                            prop_assert!(i64::from(age) <= max, "{rule}: {age} days old, passing a {} procedure", p.renewal);
                        }
                    }
                }
            }
        }
        // Remove every document of one kind: nothing claimed over it may stay satisfied.
        let kind = format!("\"k{dropped}\"");
        let kept: Vec<(String, String)> = files.iter().filter(|(_, d)| !d.contains(&kind)).cloned().collect();
        let (without, _) = evidence_coverage(&cw, &kept);
        for fw in &without.frameworks {
            for r in &fw.requirements {
                let i: usize = r.id[1..].parse().unwrap();
                let needs = r.procedures.iter().any(|p| !p.rules.is_empty() && kind_of(i, &p.id) == dropped);
                if needs {
                    prop_assert!(r.status != Status::Satisfied, "{}:{} satisfied without its k{dropped} facts", fw.framework, r.id);
                }
            }
        }
    }
}
