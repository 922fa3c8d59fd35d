//! CSV that a spreadsheet reads back as written: every requirement id a spreadsheet would
//! retype (clause 4.1 as a number, 6.1.2 as a date in a German locale) is written with its
//! framework, `iso27001-2022:6.1.2`, in every CSV output; LibreOffice Calc, in its default
//! import and with en-US and de-DE filter options, keeps each id cell as that text; files
//! start with a byte-order mark; and `--long` gives one value per cell for pivot tables.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::xwalk;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SCALEUP: [&str; 4] = ["--facts", "fixtures/scaleup", "--as-of", "2026-06-30"];

/// Header and rows of CSV text (a leading byte-order mark is not part of the header).
fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (headers, rows)
}

/// The cells of one column.
fn column(csv: &(Vec<String>, Vec<Vec<String>>), header: &str) -> Vec<String> {
    let at = csv
        .0
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", csv.0));
    csv.1.iter().map(|r| r[at].clone()).collect()
}

/// Run a command whose CSV goes to stdout; findings (exit 1) are fine.
fn stdout_csv(args: &[&str]) -> String {
    let run = xwalk(args);
    assert!(run.code == 0 || run.code == 1, "{args:?}: {}", run.stderr);
    run.stdout
}

fn soa(extra: &[&str]) -> String {
    stdout_csv(&[&["soa"], &SCALEUP[..], &["--format", "csv"], extra].concat())
}

fn plan(extra: &[&str]) -> String {
    stdout_csv(&[&["plan"], &SCALEUP[..], &["--format", "csv"], extra].concat())
}

/// `xwalk eval --format csv --out DIR` on the scale-up, with extra flags.
fn eval_files(dir: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let out = dir.to_str().unwrap();
    let run = xwalk(
        &[
            &["eval"],
            &SCALEUP[..],
            &["--format", "csv", "--out", out],
            extra,
        ]
        .concat(),
    );
    assert_eq!(run.code, 1, "the scale-up has findings: {}", run.stderr);
    ["results", "coverage", "evidence", "diagnostics"]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                std::fs::read(dir.join(format!("{n}.csv"))).unwrap(),
            )
        })
        .collect()
}

/// The ids a cell names: one id, or a list (`CC2.2 (partial); CC5.3 (partial)`,
/// `iso27001-2022:5.1 A.5.4`, `5.1/objectives-aligned`), without details and procedures.
fn ids_in(cell: &str) -> Vec<&str> {
    cell.split_whitespace()
        .filter(|t| !t.starts_with('('))
        .map(|t| t.trim_end_matches(';'))
        .map(|t| t.split('/').next().unwrap_or(t))
        .collect()
}

/// What a spreadsheet turns into a number or a date: digits with `.`, `-`, `/` or `:`.
fn number_or_date(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'/' | b':'))
}

/// Every id in these columns is text-safe; returns them all.
fn assert_text_safe(what: &str, text: &str, headers: &[&str]) -> Vec<String> {
    let csv = parse(text);
    let mut all = Vec::new();
    for header in headers {
        for cell in column(&csv, header) {
            for id in ids_in(&cell) {
                assert!(
                    !number_or_date(id),
                    "{what} {header}: bare `{id}` in `{cell}`"
                );
                all.push(id.to_string());
            }
        }
    }
    all
}

#[test]
fn every_id_cell_of_every_csv_output_is_text_safe() {
    let coverage_dir = tempfile::tempdir().unwrap();
    let files = eval_files(coverage_dir.path(), &[]);
    let coverage = String::from_utf8(files["coverage"].clone()).unwrap();
    let ids = assert_text_safe("coverage.csv", &coverage, &["id"]);
    for id in ["4.1", "6.1.2", "9.3.1", "10.2"] {
        let qualified = format!("iso27001-2022:{id}");
        assert!(ids.contains(&qualified), "coverage.csv names {qualified}");
    }
    for id in ["A.5.1", "CC6.1", "PR.AA-01"] {
        assert!(ids.iter().any(|i| i == id), "{id} stays as it is");
    }
    let results = String::from_utf8(files["results"].clone()).unwrap();
    assert_text_safe("results.csv", &results, &["rule"]);

    let soa = soa(&[]);
    let served = assert_text_safe("soa", &soa, &["control", "soc2-2017", "nist-csf-2.0"]);
    assert!(served.iter().any(|i| i == "A.8.9"));

    let wide = plan(&[]);
    let fws = ["iso27001-2022", "soc2-2017"];
    let mut columns = vec!["id".to_string()];
    for what in ["covered", "partly supported", "procedures"] {
        columns.extend(fws.iter().map(|fw| format!("{fw} {what}")));
    }
    let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
    let ids = assert_text_safe("plan", &wide, &columns);
    assert!(ids.iter().any(|i| i == "iso27001-2022:9.3.1"), "{ids:?}");

    let procedures = plan(&["--procedures"]);
    let ids = assert_text_safe("plan --procedures", &procedures, &["requirement"]);
    assert!(ids.iter().any(|i| i == "iso27001-2022:6.1.2"));

    let transition = stdout_csv(&[
        "transition",
        "fixtures/transition/soa-2013.csv",
        "--format",
        "csv",
    ]);
    assert_text_safe("transition", &transition, &["control"]);

    let map = stdout_csv(&["map", "soc2-2017:CC3.1", "--format", "csv"]);
    let ids = assert_text_safe("map", &map, &["id"]);
    assert!(ids.iter().any(|i| i == "iso27001-2022:4.1"), "{ids:?}");
    let overlap = stdout_csv(&[
        "overlap",
        "iso27001-2022",
        "soc2-2017",
        "--detail",
        "--format",
        "csv",
    ]);
    assert_text_safe("overlap --detail", &overlap, &["id"]);
    let show = stdout_csv(&["show", "soc2-2017:CC3.1", "--format", "csv"]);
    assert_text_safe("show", &show, &["id"]);

    // The terminal table keeps the catalogue's own spelling.
    let table = xwalk(&["map", "soc2-2017:CC3.1"]);
    assert!(
        table.stdout.contains("iso27001-2022  4.1 "),
        "{}",
        table.stdout
    );
}

#[test]
fn files_start_with_a_byte_order_mark_unless_told_not_to() {
    let bom = "\u{feff}".as_bytes();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in eval_files(dir.path(), &[]) {
        assert!(bytes.starts_with(bom), "{name}.csv starts with a BOM");
    }
    let plain = tempfile::tempdir().unwrap();
    for (name, bytes) in eval_files(plain.path(), &["--no-bom"]) {
        assert!(
            !bytes.starts_with(bom),
            "{name}.csv has no BOM with --no-bom"
        );
    }
    let file = dir.path().join("soa.csv");
    soa(&["--out", file.to_str().unwrap()]);
    assert!(std::fs::read(&file).unwrap().starts_with(bom));
    // Standard output goes to programs: no BOM unless asked.
    assert!(!soa(&[]).starts_with('\u{feff}'));
    assert!(soa(&["--bom"]).starts_with('\u{feff}'));
}

/// Check that the long form holds exactly the values of the wide one's list cells: for
/// each wide row (found by its key) and list column, the long rows of that row and column,
/// in order, joined again, are the wide cell, and no long row is left over.
fn assert_long_matches_wide(wide: &str, long: &str, key: &[&str], lists: &[(&str, &str)]) {
    let (wide_headers, wide_rows) = parse(wide);
    let (long_headers, long_rows) = parse(long);
    let mut expected_headers: Vec<&str> = key.to_vec();
    expected_headers.extend(["column", "value"]);
    let with_detail = long_headers.last().is_some_and(|h| h == "detail");
    if with_detail {
        expected_headers.push("detail");
    }
    assert_eq!(long_headers, expected_headers);
    let at = |h: &str| wide_headers.iter().position(|w| w == h).unwrap();
    let mut grouped: BTreeMap<(Vec<String>, String), Vec<String>> = BTreeMap::new();
    for r in &long_rows {
        let value = match (with_detail, r.get(key.len() + 2)) {
            (true, Some(d)) if !d.is_empty() => format!("{} ({d})", r[key.len() + 1]),
            _ => r[key.len() + 1].clone(),
        };
        assert!(!value.is_empty(), "a long row without a value: {r:?}");
        let k = (r[..key.len()].to_vec(), r[key.len()].clone());
        grouped.entry(k).or_default().push(value);
    }
    let mut counted = 0;
    for row in &wide_rows {
        let k: Vec<String> = key.iter().map(|h| row[at(h)].clone()).collect();
        for (list, separator) in lists {
            let cell = &row[at(list)];
            let values = grouped
                .get(&(k.clone(), list.to_string()))
                .cloned()
                .unwrap_or_default();
            assert_eq!(&values.join(separator), cell, "{k:?} {list}");
            let wide_count = cell.split(separator).filter(|v| !v.is_empty()).count();
            assert_eq!(values.len(), wide_count, "{k:?} {list}");
            counted += values.len();
        }
    }
    assert_eq!(
        counted,
        long_rows.len(),
        "every long row belongs to a wide cell"
    );
    assert!(counted > 0, "the long form has rows to count");
}

#[test]
fn the_long_form_has_exactly_one_value_per_cell() {
    let soa_lists = [
        ("evidence_owners", "; "),
        ("risks", "; "),
        ("rules", "; "),
        ("evidence", "; "),
        ("soa_evidence", "; "),
        ("soc2-2017", "; "),
        ("nist-csf-2.0", "; "),
        ("flags", " "),
    ];
    let long = soa(&["--long"]);
    assert_long_matches_wide(&soa(&[]), &long, &["control"], &soa_lists);
    assert!(parse(&long).1.len() > 93 * 3, "several values a control");
    let rules = column(&parse(&long), "detail");
    assert!(rules.iter().any(|d| d == "pass") && rules.iter().any(|d| d == "partial"));

    let mut plan_lists = Vec::new();
    for what in ["covered", "partly supported", "procedures"] {
        for fw in ["iso27001-2022", "soc2-2017"] {
            plan_lists.push(format!("{fw} {what}"));
        }
    }
    let plan_lists: Vec<(&str, &str)> = plan_lists.iter().map(|l| (l.as_str(), " ")).collect();
    assert_long_matches_wide(&plan(&[]), &plan(&["--long"]), &["id"], &plan_lists);

    assert_long_matches_wide(
        &plan(&["--procedures"]),
        &plan(&["--procedures", "--long"]),
        &["framework", "requirement", "procedure"],
        &[("rules", " ")],
    );

    // Only spreadsheet formats have a long form.
    let run = xwalk(&[&["soa"], &SCALEUP[..], &["--long"]].concat());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--format csv"), "{}", run.stderr);
    let help = xwalk(&["plan", "--help"]);
    assert!(help.stdout.contains("--long"), "{}", help.stdout);
    assert!(help.stdout.contains("pivot tables"), "{}", help.stdout);
}

/// How LibreOffice is told to read the CSV: its default import, or filter options
/// (comma, double quote, UTF-8, from line 1, standard columns, this locale).
const IMPORTS: [(&str, Option<&str>); 3] = [
    ("default import", None),
    ("de-DE", Some("CSV:44,34,76,1,,1031")),
    ("en-US", Some("CSV:44,34,76,1,,1033")),
];

fn soffice() -> Option<&'static Path> {
    ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
}

/// Convert every CSV in `files` to XLSX with LibreOffice; the converted files' directory.
fn convert(soffice: &Path, dir: &Path, files: &[PathBuf], filter: Option<&str>) -> PathBuf {
    let back = dir.join(format!(
        "back-{}",
        filter.map_or("default", |f| f.rsplit(',').next().unwrap_or(f))
    ));
    let mut command = std::process::Command::new(soffice);
    command
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&back);
    if let Some(filter) = filter {
        command.arg(format!("--infilter={filter}"));
    }
    let run = command
        .args(files)
        .env("LANG", "de_DE.UTF-8")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    back
}

/// A cell as text, when LibreOffice kept it as text (or empty).
fn text_of(cell: Option<&Data>) -> Option<String> {
    match cell {
        None | Some(Data::Empty) => Some(String::new()),
        Some(Data::String(s)) => Some(s.clone()),
        _ => None,
    }
}

#[test]
fn libreoffice_reads_every_id_back_as_the_text_written() {
    let Some(soffice) = soffice() else {
        common::skipped("LibreOffice (soffice) is not installed; the CSV was not checked with it");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    eval_files(dir.path(), &[]);
    let out = |name: &str| dir.path().join(format!("{name}.csv"));
    soa(&["--out", out("soa").to_str().unwrap()]);
    plan(&["--out", out("plan").to_str().unwrap()]);
    plan(&["--procedures", "--out", out("procedures").to_str().unwrap()]);
    let checked: [(&str, &[&str]); 5] = [
        ("coverage", &["id"]),
        ("results", &["rule", "message"]),
        ("soa", &["control", "soc2-2017"]),
        (
            "plan",
            &[
                "id",
                "iso27001-2022 covered",
                "iso27001-2022 partly supported",
            ],
        ),
        ("procedures", &["requirement"]),
    ];
    let paths: Vec<PathBuf> = checked.iter().map(|(name, _)| out(name)).collect();
    let written: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let non_ascii = column(&parse(&written[1]), "message")
        .into_iter()
        .find(|m| !m.is_ascii())
        .expect("the scale-up's results carry a name with an accent");
    for (import, filter) in IMPORTS {
        let back = convert(soffice, dir.path(), &paths, filter);
        for ((name, headers), text) in checked.iter().zip(&written) {
            let csv = parse(text);
            let bytes = std::fs::read(back.join(format!("{name}.xlsx"))).unwrap();
            let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
            let range = book.worksheet_range_at(0).unwrap().unwrap();
            let rows: Vec<&[Data]> = range.rows().collect();
            assert_eq!(
                rows.len(),
                csv.1.len() + 1,
                "{import} {name}: every row read"
            );
            for header in headers.iter() {
                if *header == "message" && filter.is_none() {
                    continue; // the default import reads UTF-8 as a Latin code page
                }
                let at = csv.0.iter().position(|h| h == header).unwrap();
                for (row, wrote) in rows[1..].iter().zip(column(&csv, header)) {
                    let read = text_of(row.get(at));
                    assert_eq!(
                        read.as_deref(),
                        Some(wrote.as_str()),
                        "{import} {name} {header}"
                    );
                }
            }
            if filter.is_some() && *name == "results" {
                let survived = rows
                    .iter()
                    .flat_map(|r| r.iter())
                    .any(|c| c == &Data::String(non_ascii.clone()));
                assert!(survived, "{import}: `{non_ascii}` read back as written");
            }
            if filter.is_some() {
                // Told the file is UTF-8, LibreOffice drops the BOM: the header is intact.
                let first = text_of(rows[0].first());
                assert_eq!(first.as_deref(), Some(csv.0[0].as_str()), "{import} {name}");
            }
        }
    }
}
