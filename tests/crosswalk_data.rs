//! The built-in crosswalk data: counts, completeness and agreement with NIST's references.

use std::collections::{BTreeMap, BTreeSet};
use xwalk::{Crosswalk, Relationship};

fn builtin() -> Crosswalk {
    let loaded = Crosswalk::builtin();
    let errors: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        errors.is_empty(),
        "built-in data has diagnostics:\n{}",
        errors.join("\n")
    );
    loaded.crosswalk
}

fn count(cw: &Crosswalk, fw: &str, kind: &str) -> usize {
    cw.requirements(fw)
        .filter(|n| cw.node(*n).kind == kind)
        .count()
}

fn count_under(cw: &Crosswalk, fw: &str, parent: &str) -> usize {
    let p = cw.find(fw, parent).expect("parent exists");
    cw.children(p).len()
}

#[test]
fn catalog_counts_match_the_standards() {
    let cw = builtin();
    assert_eq!(count(&cw, "iso27001-2022", "control"), 93);
    assert_eq!(count(&cw, "iso27001-2022", "theme"), 4);
    assert_eq!(count(&cw, "iso27001-2022", "clause"), 7);
    for (theme, n) in [("A.5", 37), ("A.6", 8), ("A.7", 14), ("A.8", 34)] {
        assert_eq!(count_under(&cw, "iso27001-2022", theme), n, "{theme}");
    }
    for (clause, children) in [("6.1", 3), ("7.5", 3), ("9.2", 2), ("9.3", 3)] {
        assert_eq!(
            count_under(&cw, "iso27001-2022", clause),
            children,
            "{clause}"
        );
    }
    assert_eq!(count(&cw, "soc2-2017", "criterion"), 61);
    assert_eq!(count(&cw, "soc2-2017", "category"), 5);
    for (cat, n) in [("CC", 33), ("A", 3), ("C", 2), ("PI", 5), ("P", 18)] {
        let c = cw.find("soc2-2017", cat).unwrap();
        let criteria: usize = cw.children(c).iter().map(|g| cw.children(*g).len()).sum();
        assert_eq!(criteria, n, "{cat}");
    }
    assert_eq!(count(&cw, "nist-csf-2.0", "function"), 6);
    assert_eq!(count(&cw, "nist-csf-2.0", "category"), 22);
    assert_eq!(count(&cw, "nist-csf-2.0", "subcategory"), 106);
    assert_eq!(count(&cw, "iso27001-2013", "control"), 114);
    assert_eq!(count(&cw, "iso27001-2013", "domain"), 14);
}

/// Requirements of `fw` of `kind` that appear in no link row at all.
fn unlinked(cw: &Crosswalk, fw: &str, kind: &str) -> Vec<String> {
    cw.requirements(fw)
        .filter(|n| cw.node(*n).kind == kind && cw.links(*n).is_empty())
        .map(|n| cw.node(n).id.clone())
        .collect()
}

#[test]
fn every_control_criterion_and_subcategory_is_considered() {
    let cw = builtin();
    assert_eq!(
        unlinked(&cw, "iso27001-2022", "control"),
        Vec::<String>::new()
    );
    assert_eq!(
        unlinked(&cw, "soc2-2017", "criterion"),
        Vec::<String>::new()
    );
    assert_eq!(
        unlinked(&cw, "nist-csf-2.0", "subcategory"),
        Vec::<String>::new()
    );
    assert_eq!(
        unlinked(&cw, "iso27001-2013", "control"),
        Vec::<String>::new()
    );
}

#[test]
fn iso_and_soc2_consider_each_other_completely() {
    let cw = builtin();
    for n in cw.assessable("iso27001-2022") {
        let to_soc2 = cw
            .links(n)
            .iter()
            .any(|v| cw.node(v.other).framework == "soc2-2017");
        assert!(
            to_soc2,
            "ISO {} has no row in the SOC 2 link file",
            cw.node(n).id
        );
    }
    for n in cw.assessable("soc2-2017") {
        let reached = cw
            .links(n)
            .iter()
            .any(|v| cw.node(v.other).framework == "iso27001-2022" && v.relationship.carries());
        assert!(
            reached,
            "SOC 2 {} is not reached by a typed ISO link",
            cw.node(n).id
        );
    }
}

#[test]
fn the_eleven_controls_new_in_2022_have_no_2013_predecessor() {
    let cw = builtin();
    let new: BTreeSet<String> = cw
        .requirements("iso27001-2022")
        .filter(|n| cw.node(*n).kind == "control")
        .filter(|n| {
            !cw.links(*n)
                .iter()
                .any(|v| cw.node(v.other).framework == "iso27001-2013" && v.relationship.carries())
        })
        .map(|n| cw.node(n).id.clone())
        .collect();
    let expected: BTreeSet<String> = [
        "A.5.7", "A.5.23", "A.5.30", "A.7.4", "A.8.9", "A.8.10", "A.8.11", "A.8.12", "A.8.16",
        "A.8.23", "A.8.28",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(new, expected);
    for n in cw
        .requirements("iso27001-2013")
        .filter(|n| cw.node(*n).kind == "control")
    {
        let to_2022 = cw
            .links(n)
            .iter()
            .any(|v| cw.node(v.other).framework == "iso27001-2022");
        assert!(to_2022, "2013 control {} has no successor", cw.node(n).id);
    }
}

/// NIST's informative references (CSF 2.0 -> ISO 27001:2022): each pair must be a
/// typed link in our data or a `disputed` row that says why we disagree, and every
/// row we attribute to NIST must be one of its pairs.
#[test]
fn agrees_with_nist_informative_references() {
    let path = common_shared().join("reference/nist-csf-2.0-to-iso27001-2022.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "NIST's reference pairs are needed to check our data: {} ({e}); the repository expects ../shared beside it",
            path.display()
        )
    });
    let cw = builtin();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut by_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missing = Vec::new();
    let mut published = BTreeSet::new();
    for record in reader.records() {
        let record = record.unwrap();
        let (csf, iso) = (record[0].to_string(), record[1].to_string());
        let csf_node = cw
            .find("nist-csf-2.0", &csf)
            .unwrap_or_else(|| panic!("CSF {csf} in catalog"));
        let iso_node = cw
            .find("iso27001-2022", &iso)
            .unwrap_or_else(|| panic!("ISO {iso} in catalog"));
        match cw.links(csf_node).iter().find(|v| v.other == iso_node) {
            Some(v) if v.relationship == Relationship::Disputed => {
                *by_outcome.entry("disputed").or_default() += 1
            }
            Some(v) if v.relationship.carries() => {
                *by_outcome.entry("typed link").or_default() += 1
            }
            Some(v) => panic!(
                "{csf} -> {iso} is {}: a published pair we reject is `disputed`",
                v.relationship
            ),
            None => missing.push(format!("{csf} -> {iso}")),
        }
        published.insert((csf, iso));
    }
    let total = published.len();
    let agreed = by_outcome.get("typed link").copied().unwrap_or(0);
    eprintln!(
        "NIST CSF 2.0 -> ISO 27001:2022 references: {total} pairs, {agreed} typed links ({:.1}% agreement), {:?}",
        agreed as f64 * 100.0 / total as f64,
        by_outcome
    );
    assert!(
        missing.is_empty(),
        "pairs missing from our data: {missing:?}"
    );
    assert_eq!((total, agreed), (388, 373), "re-measure the README figure");
    // Every row that names NIST as its source is a pair NIST publishes.
    for n in cw.requirements("nist-csf-2.0") {
        for v in cw.links(n) {
            let other = cw.node(v.other);
            if other.framework == "iso27001-2022" && v.link.source == "nist-olir" {
                let pair = (cw.node(n).id.clone(), other.id.clone());
                assert!(
                    published.contains(&pair),
                    "{pair:?} is attributed to NIST but not in its list"
                );
            }
        }
    }
}

/// The 2013 -> 2022 link set is ISO/IEC 27002:2022 Table B.1: the same pairs, no more and
/// no fewer (`tests/data/iso27002-2022-table-b1.csv` lists them).
#[test]
fn the_2013_links_are_the_pairs_of_table_b1() {
    let text = include_str!("data/iso27002-2022-table-b1.csv");
    let table: BTreeSet<(String, String)> = text
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (a, b) = l.split_once(',').expect("two columns");
            (a.to_string(), b.to_string())
        })
        .collect();
    let cw = builtin();
    let ours: BTreeSet<(String, String)> = cw
        .requirements("iso27001-2013")
        .flat_map(|n| {
            let cw = &cw;
            cw.links(n)
                .into_iter()
                .filter(|v| {
                    cw.node(v.other).framework == "iso27001-2022" && v.relationship.carries()
                })
                .map(move |v| (cw.node(n).id.clone(), cw.node(v.other).id.clone()))
        })
        .collect();
    assert_eq!(table.len(), 115);
    let extra: Vec<_> = ours.difference(&table).collect();
    let lacking: Vec<_> = table.difference(&ours).collect();
    assert!(
        extra.is_empty() && lacking.is_empty(),
        "not in Table B.1: {extra:?}; missing: {lacking:?}"
    );
    let from: BTreeSet<&str> = table.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(from.len(), 114, "every 2013 control has a successor");
}

/// Rows whose conclusion carries in full (equal, subset-of, superset-of) between ISO and
/// SOC 2 or SOC 2 and CSF rest on the criterion's own sentence or a named point of focus.
#[test]
fn every_full_soc2_link_names_the_criterion_text_it_rests_on() {
    let cw = builtin();
    let mut full = 0;
    for n in cw.requirements("soc2-2017") {
        for v in cw.links(n) {
            let full_either_way = matches!(
                v.relationship,
                Relationship::Equal | Relationship::SubsetOf | Relationship::SupersetOf
            );
            if !full_either_way {
                continue;
            }
            full += 1;
            let r = &v.link.rationale;
            assert!(
                r.contains("own sentence") || r.contains("point of focus") || r.contains("points of focus"),
                "{} <-> {} ({}): the rationale names neither the criterion's sentence nor a point of focus: {r}",
                cw.node(n).id,
                cw.node(v.other).reference(),
                v.relationship
            );
        }
    }
    // 11 ISO <-> SOC 2 and 10 SOC 2 <-> CSF rows after the review (43 before it).
    assert_eq!(full, 21);
}

/// Conclusions the review of the SOC 2 links changed (each was a full link before).
#[test]
fn reviewed_soc2_links_hold_only_what_the_criteria_say() {
    let cw = builtin();
    let rel = |a: &str, b: &str| {
        let (fa, ia) = a.split_once(':').unwrap();
        let (fb, ib) = b.split_once(':').unwrap();
        let from = cw.find(fa, ia).unwrap();
        let to = cw.find(fb, ib).unwrap();
        cw.links(from)
            .into_iter()
            .find(|v| v.other == to)
            .map(|v| v.relationship)
    };
    use Relationship::*;
    // CC4.1 can be met by ongoing evaluations with no audit or independent review.
    for iso in ["9.2.1", "9.2.2", "A.5.35"] {
        assert_eq!(
            rel(&format!("iso27001-2022:{iso}"), "soc2-2017:CC4.1"),
            Some(IntersectsWith),
            "{iso}"
        );
    }
    // Backup testing is a point of focus of A1.3, not A1.2.
    assert_eq!(
        rel("iso27001-2022:A.8.13", "soc2-2017:A1.2"),
        Some(IntersectsWith)
    );
    // Confidentiality agreements: CC9.2's commitments from vendors, not C1.1.
    assert_eq!(
        rel("iso27001-2022:A.6.6", "soc2-2017:CC9.2"),
        Some(IntersectsWith)
    );
    assert_eq!(rel("iso27001-2022:A.6.6", "soc2-2017:C1.1"), None);
    // The false-assurance example: MFA and encryption passing CC6.1 says nothing of utilities.
    assert_eq!(
        rel("iso27001-2022:A.8.18", "soc2-2017:CC6.1"),
        Some(IntersectsWith)
    );
    // C1.1 identifies and keeps confidential information: only classification, labelling
    // and record keeping meet it, not the controls against disclosure.
    let c11 = cw.find("soc2-2017", "C1.1").unwrap();
    let into_c11: BTreeSet<String> = cw
        .links(c11)
        .into_iter()
        .filter(|v| cw.node(v.other).framework == "iso27001-2022")
        .map(|v| cw.node(v.other).id.clone())
        .collect();
    assert_eq!(
        into_c11,
        ["A.5.12", "A.5.13", "A.5.33"].map(String::from).into()
    );
}

/// The `../shared` directory beside the repository, when present.
fn common_shared() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

#[test]
fn links_are_usable_in_both_directions_with_inverted_relationships() {
    let cw = builtin();
    for fw in cw.frameworks() {
        for n in cw.requirements(&fw.id) {
            for v in cw.links(n) {
                let back = cw.links(v.other);
                let mirror = back
                    .iter()
                    .find(|b| b.other == n)
                    .expect("link seen from both ends");
                assert_eq!(mirror.relationship, v.relationship.inverse());
            }
        }
    }
}

#[test]
fn split_and_widened_2013_controls_are_not_typed_as_equal() {
    let cw = builtin();
    let relationship = |from: &str, to: &str| {
        let node = cw.find("iso27001-2013", from).unwrap();
        cw.links(node)
            .into_iter()
            .find(|v| cw.node(v.other).id == to && cw.node(v.other).framework == "iso27001-2022")
            .map(|v| v.relationship)
    };
    // A.5.16 spans the whole identity life cycle; registration is one part of it.
    assert_eq!(
        relationship("A.9.2.1", "A.5.16"),
        Some(Relationship::SubsetOf)
    );
    // A.18.2.3 is split between A.5.36 and A.8.8: neither 2022 control contains it.
    assert_eq!(
        relationship("A.18.2.3", "A.5.36"),
        Some(Relationship::IntersectsWith)
    );
    assert_eq!(
        relationship("A.18.2.3", "A.8.8"),
        Some(Relationship::IntersectsWith)
    );
    // C1.1 is about identifying and keeping confidential information.
    let c11 = cw.find("soc2-2017", "C1.1").unwrap();
    assert_eq!(
        cw.node(c11).title,
        "Confidential information identified and maintained"
    );
}

/// Every assessable requirement of the three assessed frameworks has test procedures; the
/// counts are pinned so a change to the procedure files is a deliberate one.
#[test]
fn every_assessable_requirement_has_test_procedures() {
    let cw = builtin();
    let mut counts = Vec::new();
    for fw in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
        let mut total = 0;
        let mut requirements = 0;
        for n in cw.assessable(fw) {
            let procedures = cw.procedures(n);
            assert!(
                !procedures.is_empty(),
                "{} has no test procedures",
                cw.node(n).reference()
            );
            assert!(
                procedures.len() <= 5,
                "{} has {} procedures",
                cw.node(n).reference(),
                procedures.len()
            );
            for p in procedures {
                let len = p.statement.chars().count();
                assert!(
                    (40..=170).contains(&len),
                    "{}/{}: a statement of {len} characters",
                    cw.node(n).reference(),
                    p.id
                );
            }
            total += procedures.len();
            requirements += 1;
        }
        counts.push((fw, requirements, total));
    }
    assert_eq!(
        counts,
        [
            ("iso27001-2022", 123, 325),
            ("soc2-2017", 61, 150),
            ("nist-csf-2.0", 106, 275)
        ]
    );
    // Both kinds of procedure occur in every framework: design alone would be paperwork.
    for fw in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
        let kinds: BTreeSet<&str> = cw
            .assessable(fw)
            .flat_map(|n| cw.procedures(n).iter().map(|p| p.tests.as_str()))
            .collect();
        assert_eq!(kinds.len(), 2, "{fw}");
    }
}

/// The built-in rules claim only procedures that exist, and every rule claims or tags
/// something.
#[test]
fn built_in_rule_claims_name_existing_procedures() {
    let cw = builtin();
    let sandbox = xwalk::sandbox::Sandbox::new(Default::default(), "2026-06-30".parse().unwrap());
    let rules = xwalk::rules::RuleSet::builtin(&sandbox);
    assert!(
        rules.check_requirements(&cw).is_empty(),
        "{:?}",
        rules.check_requirements(&cw)
    );
    let claims: usize = rules.rules.iter().map(|r| r.meta.procedures.len()).sum();
    assert_eq!((rules.rules.len(), claims), (86, 173));
    for r in &rules.rules {
        assert!(!r.meta.requirements.is_empty(), "{}", r.meta.id);
    }
}

/// Who provides the evidence for a procedure no rule tests.
const OWNERS: [&str; 17] = [
    "top management",
    "CISO",
    "ISMS manager",
    "risk owner",
    "internal audit",
    "IT operations",
    "security operations",
    "engineering",
    "HR",
    "legal and compliance",
    "procurement",
    "facilities",
    "data protection officer",
    "business continuity lead",
    "incident response lead",
    "asset owners",
    "service owners",
];

/// Every procedure is either automated by a built-in rule or a manual request that says
/// what to collect and from whom (its renewal says how often); the split is pinned, per
/// framework and per ISO 27001:2022 part, as the README gives it.
#[test]
fn every_procedure_is_automated_or_a_manual_request() {
    let cw = builtin();
    let sandbox = xwalk::sandbox::Sandbox::new(Default::default(), "2026-06-30".parse().unwrap());
    let rules = xwalk::rules::RuleSet::builtin(&sandbox);
    let claimed: BTreeSet<String> = rules
        .rules
        .iter()
        .flat_map(|r| r.meta.procedures.iter().map(|p| p.to_string()))
        .collect();
    let mut split: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for fw in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
        for n in cw.assessable(fw) {
            let node = cw.node(n);
            let part = match (fw, cw.parent(n)) {
                ("iso27001-2022", Some(p)) if cw.node(p).id.starts_with("A.") => {
                    cw.node(p).id.clone()
                }
                ("iso27001-2022", _) => "clauses 4-10".to_string(),
                _ => fw.to_string(),
            };
            for p in cw.procedures(n) {
                let automated = claimed.contains(&format!("{}/{}", node.reference(), p.id));
                let manual = !p.evidence.is_empty() && OWNERS.contains(&p.owner.as_str());
                assert!(
                    automated || manual,
                    "{}/{} is neither automated by a rule nor a manual request (evidence {:?}, owner {:?})",
                    node.reference(),
                    p.id,
                    p.evidence,
                    p.owner
                );
                // Manual fallbacks exist for automated ones too: the rule may be switched off.
                assert!(
                    manual,
                    "{}/{}: every procedure names its evidence and owner",
                    node.reference(),
                    p.id
                );
                let keys: BTreeSet<String> = [fw.to_string(), part.clone()].into();
                for key in keys {
                    let slot = split.entry(key).or_default();
                    if automated {
                        slot.0 += 1;
                    } else {
                        slot.1 += 1;
                    }
                }
            }
        }
    }
    let got: Vec<(&str, usize, usize)> = split
        .iter()
        .map(|(k, (a, m))| (k.as_str(), *a, *m))
        .collect();
    assert_eq!(
        got,
        [
            ("A.5", 28, 64),
            ("A.6", 4, 14),
            ("A.7", 9, 21),
            ("A.8", 24, 82),
            ("clauses 4-10", 23, 56),
            ("iso27001-2022", 88, 237),
            ("nist-csf-2.0", 52, 223),
            ("soc2-2017", 33, 117),
        ]
    );
}
