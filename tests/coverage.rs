//! Coverage semantics (docs/coverage.md): a requirement is satisfied only when every one of
//! its procedures passes; links carry satisfaction only where the relationship guarantees it
//! and carry failure to the requirements that contain the failing one.

use xwalk::coverage::{self, ProcedureStatus, RequirementCoverage, Status, Trace};
use xwalk::eval;
use xwalk::facts::{Corpus, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};
use xwalk::source::SourceFile;
use xwalk::{Crosswalk, Relationship};

/// fw-a:N relates to fw-b:N as: 1 intersects-with, 2 equal, 3 subset-of, 4 superset-of
/// (and 4 intersects-with fw-b:5). Every requirement has procedures p1 and p2, except
/// fw-b:5 (one procedure) and fw-a:4 (none).
fn crosswalk() -> Crosswalk {
    let mut procedures_a = String::from("requirement,procedure,tests,renewal,statement\n");
    for id in 1..=3 {
        procedures_a.push_str(&format!(
            "{id},p1,design,on-change,first check\n{id},p2,operation,quarterly,second check\n"
        ));
    }
    let mut procedures_b = String::from("requirement,procedure,tests,renewal,statement\n");
    for id in 1..=4 {
        procedures_b.push_str(&format!(
            "{id},p1,design,on-change,first check\n{id},p2,operation,quarterly,second check\n"
        ));
    }
    procedures_b.push_str("5,p1,operation,annual,only check\n");
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
        SourceFile::new("fw-a.procedures.csv", procedures_a),
        SourceFile::new("fw-b.procedures.csv", procedures_b),
    ];
    let loaded = Crosswalk::from_files(&files);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.crosswalk
}

/// A rule claiming `tests` (comma-separated procedure references) with a fixed outcome.
fn rule(id: &str, tests: &str, outcome: &str) -> SourceFile {
    header_rule(id, &format!("tests: {tests}"), "thing", outcome)
}

/// A rule that only tags a requirement.
fn tag(id: &str, requirement: &str, outcome: &str) -> SourceFile {
    header_rule(
        id,
        &format!("requirements: {requirement}"),
        "thing",
        outcome,
    )
}

fn header_rule(id: &str, line: &str, facts: &str, outcome: &str) -> SourceFile {
    SourceFile::new(
        format!("{id}.rhai"),
        format!("//! id: {id}\n//! title: t\n//! severity: minor\n//! {line}\n//! facts: {facts}\n\nfn evaluate(doc) {{ {outcome}(\"{id}\") }}\n"),
    )
}

fn coverage_of(rules: Vec<SourceFile>) -> Vec<(String, RequirementCoverage)> {
    coverage_on(rules, r#"{"kind":"thing","collected_on":"2026-06-01"}"#)
}

/// Coverage with one `thing` document, evaluated as of 2026-06-30.
fn coverage_on(rules: Vec<SourceFile>, doc: &str) -> Vec<(String, RequirementCoverage)> {
    let cw = crosswalk();
    let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
    let set = RuleSet::compile(&rules, &sandbox);
    assert!(set.diagnostics.is_empty(), "{:?}", set.diagnostics);
    assert!(set.check_requirements(&cw).is_empty());
    let facts = Corpus::from_set(FactsSet::from_texts(&[("t.json".into(), doc.into())]));
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
            f.requirements
                .iter()
                .map(|r| (f.framework.to_string(), r.clone()))
        })
        .collect()
}

fn of<'a>(rows: &'a [(String, RequirementCoverage)], reference: &str) -> &'a RequirementCoverage {
    let (fw, id) = reference.split_once(':').unwrap();
    rows.iter()
        .find(|(f, r)| f == fw && r.id == id)
        .map(|(_, r)| r)
        .unwrap()
}

fn status(rows: &[(String, RequirementCoverage)], reference: &str) -> Status {
    of(rows, reference).status
}

#[test]
fn a_requirement_is_satisfied_only_when_every_procedure_passes() {
    let rows = coverage_of(vec![
        rule("both", "fw-a:1/p1, fw-a:1/p2", "pass"),
        rule("half", "fw-a:2/p1", "pass"),
        tag("tagged", "fw-a:3", "pass"),
    ]);
    assert_eq!(status(&rows, "fw-a:1"), Status::Satisfied);
    assert_eq!(
        of(&rows, "fw-a:1").procedure_summary(),
        "2 of 2 procedures passing, 2 tested"
    );
    assert_eq!(
        status(&rows, "fw-a:2"),
        Status::Partial,
        "one of two procedures"
    );
    assert_eq!(
        of(&rows, "fw-a:2").procedure_summary(),
        "1 of 2 procedures passing, 1 tested"
    );
    assert_eq!(
        of(&rows, "fw-a:2").procedures[1].status,
        ProcedureStatus::Untested
    );
    assert_eq!(
        status(&rows, "fw-a:3"),
        Status::Partial,
        "a bare tag is partial support only"
    );
    assert_eq!(
        of(&rows, "fw-a:3").procedure_summary(),
        "0 of 2 procedures passing, 0 tested"
    );
    // A requirement without procedures can never be satisfied by its own rules.
    let rows = coverage_of(vec![tag("t", "fw-a:4", "pass")]);
    assert_eq!(status(&rows, "fw-a:4"), Status::Partial);
}

#[test]
fn satisfaction_travels_only_from_a_fully_satisfied_requirement_that_contains_this_one() {
    let all = |r: &str| format!("{r}/p1, {r}/p2");
    let rows = coverage_of(vec![
        rule("r1", &all("fw-a:1"), "pass"),
        rule("r2", &all("fw-a:2"), "pass"),
        rule("r3", &all("fw-a:3"), "pass"),
    ]);
    assert_eq!(
        status(&rows, "fw-b:1"),
        Status::Partial,
        "intersects-with never satisfies"
    );
    assert_eq!(
        status(&rows, "fw-b:2"),
        Status::Satisfied,
        "equal satisfies"
    );
    assert_eq!(
        status(&rows, "fw-b:3"),
        Status::Partial,
        "a part satisfied is not the whole"
    );
    let link = of(&rows, "fw-b:1")
        .because
        .iter()
        .find(|t| matches!(t, Trace::Link { .. }))
        .cloned();
    assert_eq!(
        link,
        Some(Trace::Link {
            from: "fw-a:1".into(),
            relationship: Relationship::IntersectsWith,
            support: xwalk::Support::Partial,
            rules: vec!["r1".into()],
        })
    );
    // Read the other way: fw-b:3 contains fw-a:3, so a satisfied fw-b:3 satisfies fw-a:3.
    let rows = coverage_of(vec![rule("b3", &all("fw-b:3"), "pass")]);
    assert_eq!(status(&rows, "fw-a:3"), Status::Satisfied);
    // A partly satisfied neighbour carries nothing, whatever the link.
    let rows = coverage_of(vec![rule("half", "fw-a:2/p1", "pass")]);
    assert_eq!(status(&rows, "fw-b:2"), Status::Untested);
}

#[test]
fn a_failing_part_makes_the_requirements_containing_it_fail() {
    let rows = coverage_of(vec![
        rule("a2", "fw-a:2/p1", "fail"),
        rule("a3", "fw-a:3/p2", "fail"),
        tag("a4", "fw-a:4", "fail"),
        rule(
            "b",
            "fw-b:2/p1, fw-b:2/p2, fw-b:3/p1, fw-b:3/p2, fw-b:4/p1, fw-b:4/p2",
            "pass",
        ),
    ]);
    assert_eq!(
        status(&rows, "fw-b:2"),
        Status::Failing,
        "equal to a failing requirement"
    );
    assert_eq!(
        status(&rows, "fw-b:3"),
        Status::Failing,
        "contains a failing requirement"
    );
    assert!(of(&rows, "fw-b:3").because.iter().any(|t| matches!(
        t,
        Trace::FailingPart { from, relationship: Relationship::SubsetOf, .. } if from == "fw-a:3"
    )));
    assert_eq!(
        status(&rows, "fw-b:4"),
        Status::Satisfied,
        "fw-a:4 contains fw-b:4: its failure says nothing of fw-b:4"
    );
    // Its own failure wins over a satisfied link.
    let rows = coverage_of(vec![
        rule("a", "fw-a:2/p1, fw-a:2/p2", "pass"),
        rule("b", "fw-b:2/p1", "fail"),
    ]);
    assert_eq!(status(&rows, "fw-b:2"), Status::Failing);
}

#[test]
fn unknown_evidence_is_never_outweighed_by_a_link_or_a_pass() {
    let missing = header_rule("lost", "tests: fw-b:2/p2", "missing_kind", "pass");
    let rows = coverage_of(vec![
        rule("a", "fw-a:2/p1, fw-a:2/p2", "pass"),
        rule("b", "fw-b:2/p1", "pass"),
        missing,
    ]);
    let b2 = of(&rows, "fw-b:2");
    assert_eq!(b2.procedures[1].status, ProcedureStatus::Unknown);
    assert_eq!(
        b2.status,
        Status::Partial,
        "an equal, satisfied link does not outweigh no evidence"
    );
    // The same for a bare tag without evidence, and for a second rule on a passing procedure.
    let rows = coverage_of(vec![
        rule("a", "fw-a:2/p1, fw-a:2/p2", "pass"),
        header_rule("lost", "requirements: fw-b:2", "missing_kind", "pass"),
    ]);
    assert_eq!(
        status(&rows, "fw-b:2"),
        Status::Partial,
        "supported, never satisfied"
    );
    let rows = coverage_of(vec![
        rule("ok", "fw-a:1/p1, fw-a:1/p2", "pass"),
        header_rule("lost", "tests: fw-a:1/p1", "missing_kind", "pass"),
    ]);
    assert_eq!(status(&rows, "fw-a:1"), Status::Partial);
}

#[test]
fn not_applicable_procedures_need_a_passing_one_beside_them() {
    let rows = coverage_of(vec![
        rule("a", "fw-a:1/p1", "pass"),
        rule("b", "fw-a:1/p2", "not_applicable"),
        rule("c", "fw-a:2/p1, fw-a:2/p2", "not_applicable"),
    ]);
    assert_eq!(status(&rows, "fw-a:1"), Status::Satisfied);
    assert_eq!(
        of(&rows, "fw-a:1").procedures[1].status,
        ProcedureStatus::NotApplicable
    );
    assert_eq!(
        status(&rows, "fw-a:2"),
        Status::Untested,
        "nothing was shown to work"
    );
}

#[test]
fn evidence_older_than_the_renewal_period_or_undated_is_never_a_pass() {
    // p1 is renewed on change, p2 quarterly (92 days).
    let rules = || vec![rule("r", "fw-a:1/p1, fw-a:1/p2", "pass")];
    let fresh = coverage_on(rules(), r#"{"kind":"thing","collected_on":"2026-04-01"}"#);
    assert_eq!(
        status(&fresh, "fw-a:1"),
        Status::Satisfied,
        "90 days old: still current"
    );
    let old = coverage_on(rules(), r#"{"kind":"thing","collected_on":"2026-03-29"}"#);
    let a1 = of(&old, "fw-a:1");
    assert_eq!(
        a1.procedures[0].status,
        ProcedureStatus::Passing,
        "on-change evidence does not age"
    );
    assert_eq!(
        a1.procedures[1].status,
        ProcedureStatus::Stale,
        "93 days old for a quarterly procedure"
    );
    assert_eq!(a1.status, Status::Partial);
    assert_eq!(a1.procedure_counts.stale, 1);
    // A stale requirement is blocked: a full link from a satisfied one does not outweigh it.
    let linked = coverage_on(
        vec![
            rule("b", "fw-b:2/p1, fw-b:2/p2", "pass"),
            rule("r", "fw-a:2/p2", "pass"),
        ],
        r#"{"kind":"thing","collected_on":"2025-01-01"}"#,
    );
    assert_eq!(
        status(&linked, "fw-b:2"),
        Status::Partial,
        "its own p2 is stale"
    );
    assert_eq!(
        status(&linked, "fw-a:2"),
        Status::Untested,
        "a stale pass is no pass"
    );
    // Undated evidence counts only for procedures renewed on change; the vocabulary's own
    // date field stands in where the kind has one.
    let undated = coverage_on(rules(), r#"{"kind":"thing"}"#);
    assert_eq!(
        of(&undated, "fw-a:1").procedures[1].status,
        ProcedureStatus::Stale
    );
    assert_eq!(
        of(&undated, "fw-a:1").procedures[0].status,
        ProcedureStatus::Passing
    );
}
