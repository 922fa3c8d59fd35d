//! The auditor's HTML page: a summary and contents first, framework names, every link with
//! its target, each evidence file once, provenance that matches the eval JSON, print styles
//! (checked by printing it in Chromium).

mod common;

use common::{root, xwalk};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const AS_OF: [&str; 2] = ["--as-of", "2026-06-30"];

/// The page of a facts directory, with any extra flags.
fn page(facts: &Path, extra: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let facts = facts.to_str().unwrap().to_string();
    let mut args = vec!["report", "--facts", &facts, "--out", out.to_str().unwrap()];
    args.extend(AS_OF);
    args.extend(extra);
    let run = xwalk(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The page escapes `/` in text; the checks below read it as a person would.
    std::fs::read_to_string(out).unwrap().replace("&#x2f;", "/")
}

fn eval_json(facts: &Path, extra: &[&str]) -> serde_json::Value {
    let facts = facts.to_str().unwrap().to_string();
    let mut args = vec!["eval", "--facts", &facts, "--format", "json"];
    args.extend(AS_OF);
    args.extend(extra);
    let run = xwalk(&args);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr))
}

/// The values of one attribute, in page order.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!(" {name}=\"");
    html.match_indices(&open)
        .filter_map(|(i, _)| {
            let rest = &html[i + open.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The page objects of a PDF: `/Type /Page` (space optional), not `/Pages`.
fn page_objects(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

fn position(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("the page has no {needle}"))
}

#[test]
fn the_page_opens_with_a_summary_then_the_contents() {
    let facts = root().join("fixtures/scaleup");
    let html = page(&facts, &[]);
    let report = eval_json(&facts, &[]);
    let summary = position(&html, "id=\"summary\"");
    let contents = position(&html, "id=\"contents\"");
    assert!(summary < contents && contents < position(&html, "id=\"coverage\""));
    let head = &html[summary..contents];
    let s = &report["summary"];
    for figure in [
        "Northwind Ledger Ltd".to_string(),
        "2026-06-30".to_string(),
        format!("{} facts documents", s["facts_documents"]),
        format!("{} rules ran", s["rules"]),
        format!(
            "{} results: {} pass, {} fail",
            s["results"], s["outcomes"]["pass"], s["outcomes"]["fail"]
        ),
        "ISO/IEC 27001:2022, SOC 2 (TSC 2017), NIST CSF 2.0".to_string(),
        "every requirement of each framework".to_string(),
    ] {
        assert!(head.contains(&figure), "the summary lacks {figure:?}");
    }
    // The findings by grade, with the readiness view's counts and correct plurals.
    let readiness = xwalk(&[
        "readiness",
        "--facts",
        facts.to_str().unwrap(),
        "--format",
        "json",
        AS_OF[0],
        AS_OF[1],
    ]);
    let r: serde_json::Value = serde_json::from_str(&readiness.stdout).unwrap();
    let grades = &r["grades"];
    let major = grades["major"].as_u64().unwrap();
    let ofi = grades["ofi"].as_u64().unwrap();
    assert!(head.contains(&format!("{major} major nonconformit")));
    let ofi_text = if ofi == 1 {
        "1 opportunity for improvement".to_string()
    } else {
        format!("{ofi} opportunities for improvement")
    };
    assert!(head.contains(&ofi_text), "{ofi_text}");
    // One headline row per framework, with its requirement count from the coverage.
    for fw in report["coverage"]["frameworks"].as_array().unwrap() {
        let total = fw["counts"]["total"].as_u64().unwrap();
        assert!(
            head.contains(&format!("<td class=\"num\">{total}</td>")),
            "{}",
            fw["framework"]
        );
    }
}

#[test]
fn a_scope_is_said_in_the_summary() {
    let html = page(&root().join("fixtures/startup"), &["--scope", "A.5,CC6"]);
    let summary = &html[position(&html, "id=\"summary\"")..position(&html, "id=\"contents\"")];
    assert!(summary.contains("only A.5, CC6"), "{summary}");
}

#[test]
fn every_link_on_the_page_has_its_target_and_every_id_is_unique() {
    for org in ["startup", "scaleup"] {
        let html = page(&root().join(format!("fixtures/{org}")), &[]);
        let ids = attributes(&html, "id");
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(unique.len(), ids.len(), "{org}: an id repeats");
        let links = attributes(&html, "href");
        assert!(
            links.len() > 20,
            "{org}: the page links its sections and evidence"
        );
        for link in links {
            let target = link.strip_prefix('#').unwrap_or_else(|| panic!("{link}"));
            assert!(unique.contains(target), "{org}: #{target} has no target");
        }
        for section in [
            "summary",
            "contents",
            "coverage",
            "overlap",
            "readiness",
            "findings",
            "soa",
            "evidence",
            "provenance",
        ] {
            assert!(unique.contains(section), "{org}: no section {section}");
            assert!(
                html.contains(&format!("href=\"#{section}\""))
                    || ["summary", "contents"].contains(&section),
                "{org}: the contents do not list {section}"
            );
        }
    }
}

#[test]
fn frameworks_are_named_not_shown_by_id() {
    let html = page(&root().join("fixtures/scaleup"), &[]);
    for label in ["ISO/IEC 27001:2022", "SOC 2 (TSC 2017)", "NIST CSF 2.0"] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("ISO/IEC 27001:2022 covered by SOC 2 (TSC 2017)"));
    for id in ["iso27001-2022", "soc2-2017", "nist-csf-2.0"] {
        assert!(!html.contains(&format!("<td>{id}</td>")), "{id} as a label");
        assert!(
            !html.contains(&format!("{id} covered by")),
            "{id} as a label"
        );
        assert!(!html.contains(&format!("{id}: ")), "{id} as a label");
    }
}

#[test]
fn each_evidence_file_is_listed_once_and_the_soa_links_to_it() {
    for org in ["startup", "scaleup"] {
        let html = page(&root().join(format!("fixtures/{org}")), &[]);
        let evidence = &html[position(&html, "<section id=\"evidence\"")..];
        let evidence = &evidence[..position(evidence, "</section>")];
        // Row anchors and the file in each row's first cell.
        let mut files: BTreeMap<&str, &str> = BTreeMap::new();
        for (i, _) in evidence.match_indices("<tr id=\"") {
            let row = &evidence[i + 8..];
            let anchor = &row[..row.find('"').unwrap()];
            let cell = &row[row.find("<td>").unwrap() + 4..];
            let file = &cell[..cell.find("</td>").unwrap()];
            assert!(
                files.insert(file, anchor).is_none(),
                "{org}: {file} listed twice"
            );
        }
        assert!(files.len() > 10, "{org}: {} evidence rows", files.len());
        // Every evidence link in the SoA points at the row of the file it names.
        let soa = &html
            [position(&html, "<section id=\"soa\"")..position(&html, "<section id=\"evidence\"")];
        let mut linked = 0;
        for (i, _) in soa.match_indices("<a href=\"#ev-") {
            let rest = &soa[i + 10..];
            let anchor = &rest[..rest.find('"').unwrap()];
            let text = &rest[rest.find('>').unwrap() + 1..rest.find("</a>").unwrap()];
            assert_eq!(files.get(text), Some(&anchor), "{org}: {text}");
            linked += 1;
        }
        assert!(linked > 10, "{org}: {linked} SoA evidence links");
        // A file the SoA row links is not repeated in the row's cited references.
        for row in soa.split("<tr>").skip(1) {
            let Some(cited) = row.split("<em>").nth(1) else {
                continue;
            };
            let cited = &cited[..cited.find("</em>").unwrap()];
            for part in cited.split("; ") {
                assert!(
                    !row.contains(&format!(">{part}</a>")),
                    "{org}: {part} linked and cited in one row"
                );
            }
        }
    }
}

#[test]
fn provenance_names_the_version_and_the_digests_of_the_eval_json() {
    let facts = root().join("fixtures/startup");
    let html = page(&facts, &[]);
    let report = eval_json(&facts, &[]);
    let p = &report["provenance"];
    let section = &html[position(&html, "id=\"provenance\"")..];
    assert!(section.contains(p["xwalk_version"].as_str().unwrap()));
    for input in ["rules", "facts", "crosswalk"] {
        let digest = p[input]["digest"].as_str().unwrap();
        assert_eq!(digest.len(), 64, "{input}");
        assert!(section.contains(digest), "{input} digest");
    }
    assert!(section.contains("86 rules (built-in)"), "{section}");

    // Each digest follows its own input, and only it.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("facts");
    common::copy_dir(&facts, &copy);
    let same = eval_json(&copy, &[]);
    assert_eq!(
        same["provenance"]["facts"], p["facts"],
        "the place does not count"
    );
    let path = copy.join("org/profile.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen('{', "{ ", 1)).unwrap();
    let edited = eval_json(&copy, &[]);
    assert_ne!(
        edited["provenance"]["facts"]["digest"],
        p["facts"]["digest"]
    );
    assert_eq!(edited["provenance"]["rules"], p["rules"]);
    let param = eval_json(
        &facts,
        &["--param", "access.dormant-accounts.unused_days=30"],
    );
    assert_ne!(param["provenance"]["rules"]["digest"], p["rules"]["digest"]);
    assert_eq!(param["provenance"]["facts"], p["facts"]);
    assert_eq!(param["provenance"]["crosswalk"], p["crosswalk"]);
}

#[test]
fn the_page_has_print_styles_and_prints_in_chromium() {
    let html = page(&root().join("fixtures/scaleup"), &[]);
    assert!(html.contains("@media print") && html.contains("@page"));
    // The estimate is a table, not preformatted text.
    assert!(html.contains("<th>external cost to certification</th>"));
    assert!(!html.contains("pre-wrap"));
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        common::skipped("chromium is not installed; the HTML report was not printed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.html");
    std::fs::write(&file, &html).unwrap();
    let pdf = dir.path().join("r.pdf");
    let run = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let bytes = std::fs::read(&pdf)
        .unwrap_or_else(|_| panic!("no PDF: {}", String::from_utf8_lossy(&run.stderr)));
    assert!(bytes.starts_with(b"%PDF"));
    let pages = page_objects(&bytes);
    // Landscape A4 with the contents hidden: the whole scale-up report on a few pages,
    // where the screen layout printed on more than twenty.
    assert!((5..=20).contains(&pages), "{pages} pages");
}
