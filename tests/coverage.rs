//! Coverage semantics: partial links stay partial; failures and exclusions win; traces explain.

use xwalk::coverage::{self, Status, Trace};
use xwalk::eval;
use xwalk::facts::{Corpus, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;
use xwalk::{Crosswalk, Relationship};

fn crosswalk() -> Crosswalk {
    let files = vec![
        SourceFile::new("frameworks.csv", "id,name\nfw-a,A\nfw-b,B\n"),
        SourceFile::new(
            "fw-a.csv",
            "id,parent,kind,title\n1,,control,One\n2,,control,Two\n3,,control,Three\n4,,control,Four\n",
        ),
        SourceFile::new(
            "fw-b.csv",
            "id,parent,kind,title\n1,,criterion,One\n2,,criterion,Two\n3,,criterion,Three\n4,,criterion,Four\n5,,criterion,Five\n",
        ),
        SourceFile::new(
            "fw-a__fw-b.csv",
            "from,to,relationship,strength,rationale,source\n\
             1,1,intersects-with,8,overlap only,test\n\
             2,2,equal,10,same,test\n\
             3,3,subset-of,7,part of it,test\n\
             4,4,superset-of,9,contains it,test\n\
             4,5,intersects-with,5,overlap,test\n",
        ),
    ];
    let loaded = Crosswalk::from_files(&files);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.crosswalk
}

fn rule(id: &str, requirement: &str, outcome: &str) -> SourceFile {
    SourceFile::new(
        format!("{id}.rhai"),
        format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! requirements: {requirement}\n//! facts: thing\n\nfn evaluate(doc) {{ {outcome}(\"{id}\") }}\n"),
    )
}

fn statuses(rules: Vec<SourceFile>) -> Vec<(String, String, Status, Vec<Trace>)> {
    let cw = crosswalk();
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let set = RuleSet::compile(&rules, &sandbox);
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
    let facts = Corpus::from_set(FactsSet::from_texts(&[(
        "t.json".into(),
        "{\"kind\":\"thing\"}".into(),
    )]));
    let evaluation = eval::evaluate(&set, &sandbox, &facts, &|| {});
    let cov = coverage::compute(
        &cw,
        &set,
        &evaluation,
        facts.resident(),
        &["fw-a".into(), "fw-b".into()],
        &Default::default(),
    );
    cov.frameworks
        .iter()
        .flat_map(|f| {
            f.requirements.iter().map(|r| {
                (
                    f.framework.to_string(),
                    r.id.clone(),
                    r.status,
                    r.because.clone(),
                )
            })
        })
        .collect()
}

fn status_of(rows: &[(String, String, Status, Vec<Trace>)], fw: &str, id: &str) -> Status {
    rows.iter()
        .find(|r| r.0 == fw && r.1 == id)
        .map(|r| r.2)
        .unwrap()
}

#[test]
fn only_equal_and_superset_links_carry_satisfaction() {
    let rows = statuses(vec![
        rule("r1", "fw-a:1", "pass"),
        rule("r2", "fw-a:2", "pass"),
        rule("r3", "fw-a:3", "pass"),
        rule("r4", "fw-a:4", "pass"),
    ]);
    assert_eq!(
        status_of(&rows, "fw-b", "1"),
        Status::Partial,
        "intersects-with never satisfies"
    );
    assert_eq!(
        status_of(&rows, "fw-b", "2"),
        Status::Satisfied,
        "equal satisfies"
    );
    assert_eq!(
        status_of(&rows, "fw-b", "3"),
        Status::Partial,
        "subset-of is partial"
    );
    assert_eq!(
        status_of(&rows, "fw-b", "4"),
        Status::Satisfied,
        "superset-of satisfies"
    );
    assert_eq!(status_of(&rows, "fw-b", "5"), Status::Partial);
    let (_, _, _, because) = rows.iter().find(|r| r.0 == "fw-b" && r.1 == "1").unwrap();
    assert_eq!(
        because,
        &vec![Trace::Link {
            from: "fw-a:1".into(),
            relationship: Relationship::IntersectsWith,
            support: xwalk::Support::Partial,
            rules: vec!["r1".into()],
        }]
    );
}

#[test]
fn links_in_the_other_direction_are_inverted() {
    // fw-b:3 tested and passing; fw-a:3 is subset-of fw-b:3, so fw-b:3 is a superset of fw-a:3: satisfied.
    let rows = statuses(vec![
        rule("r3", "fw-b:3", "pass"),
        rule("r1", "fw-b:1", "pass"),
    ]);
    assert_eq!(status_of(&rows, "fw-a", "3"), Status::Satisfied);
    assert_eq!(status_of(&rows, "fw-a", "1"), Status::Partial);
    assert_eq!(status_of(&rows, "fw-a", "2"), Status::Untested);
}

#[test]
fn failures_are_direct_and_never_spread_as_satisfaction() {
    let rows = statuses(vec![
        rule("r2", "fw-a:2", "fail"),
        rule("ok", "fw-b:2", "pass"),
    ]);
    assert_eq!(
        status_of(&rows, "fw-a", "2"),
        Status::Failing,
        "its own failing rule wins over a satisfied link"
    );
    assert_eq!(status_of(&rows, "fw-b", "2"), Status::Satisfied);
}

#[test]
fn mixed_direct_results_are_partial() {
    let rows = statuses(vec![
        rule("a", "fw-a:1", "pass"),
        rule("b", "fw-a:1", "not_applicable"),
    ]);
    assert_eq!(status_of(&rows, "fw-a", "1"), Status::Satisfied);
    let rows = statuses(vec![
        rule("a", "fw-a:1", "pass"),
        SourceFile::new("b.rhai", "//! id: b\n//! title: t\n//! severity: minor\n//! requirements: fw-a:1\n//! facts: missing_kind\n\nfn evaluate(doc) { pass(\"x\") }\n"),
    ]);
    assert_eq!(
        status_of(&rows, "fw-a", "1"),
        Status::Partial,
        "one rule without evidence keeps it partial"
    );
}
