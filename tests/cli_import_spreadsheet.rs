//! `xwalk import spreadsheet` through the binary: per sample (a risk register workbook, a
//! supplier register CSV, a CAPA log workbook) a golden document that passes `facts
//! check`, the same bytes on a second run and a rule that reads the gap planted in the
//! sheet; and every kind of bad sheet refused at its file, sheet, row and column with
//! nothing written.
//!
//! The committed workbooks are written by the generators below. After changing one, run
//! `XWALK_REGENERATE_FIXTURES=1 cargo test --release --test cli_import_spreadsheet committed`
//! to write them again; without the variable that test checks that the committed files
//! hold exactly the cells the generators write.

mod common;

use common::xwalk;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};
const RISKS: &str = "fixtures/imports/spreadsheet/risk-register.xlsx";
const RISKS_MAP: &str = "fixtures/imports/spreadsheet/risk-register.toml";
const SUPPLIERS: &str = "fixtures/imports/spreadsheet/supplier-register.csv";
const SUPPLIERS_MAP: &str = "fixtures/imports/spreadsheet/supplier-register.toml";
const CAPA: &str = "fixtures/imports/spreadsheet/corrective-actions.xlsx";
const CAPA_MAP: &str = "fixtures/imports/spreadsheet/corrective-actions.toml";

// ----- The workbooks, as a spreadsheet user would have them -----

/// A cell of a generated sheet.
#[derive(Clone, Copy)]
enum V {
    S(&'static str),
    N(f64),
    D(u16, u8, u8),
    Blank,
}

fn date_format() -> Format {
    Format::new().set_num_format("dd.mm.yyyy")
}

fn write_row(sheet: &mut Worksheet, row: u32, cells: &[V]) {
    let dates = date_format();
    for (col, v) in cells.iter().enumerate() {
        let col = col as u16;
        match *v {
            V::S(s) => {
                sheet.write_string(row, col, s).unwrap();
            }
            V::N(n) => {
                sheet.write_number(row, col, n).unwrap();
            }
            V::D(y, m, d) => {
                let day = ExcelDateTime::from_ymd(y, m, d).unwrap();
                sheet
                    .write_datetime_with_format(row, col, &day, &dates)
                    .unwrap();
            }
            V::Blank => {}
        }
    }
}

/// A workbook whose bytes do not depend on the day it is written.
fn workbook() -> Workbook {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 6, 30)
        .unwrap()
        .and_hms(9, 0, 0)
        .unwrap();
    book.set_properties(
        &DocProperties::new()
            .set_author("Fjordline Analytics ISMS team")
            .set_company("Fjordline Analytics AS")
            .set_creation_datetime(&created),
    );
    book
}

const RISK_HEADER: [&str; 12] = [
    "Risk ID",
    "Risk",
    "Owner",
    "Likelihood (1-5)",
    "Impact (1-5)",
    "Score",
    "Treatment",
    "Controls",
    "Accepted by",
    "Treatment due",
    "Status",
    "Next review",
];

use V::{Blank, D, N, S};

/// The risk rows from sheet row 4 on; `None` is a blank row.
fn risk_rows() -> Vec<Option<Vec<V>>> {
    vec![
        Some(vec![
            N(1.0),
            S("Laptop lost or stolen with client survey data on it"),
            S("Ingrid Solberg"),
            N(3.0),
            N(4.0),
            N(12.0),
            S("Mitigate"),
            S("A.8.1; A.8.24"),
            Blank,
            D(2026, 9, 30),
            S("In treatment"),
            D(2026, 11, 1),
        ]),
        Some(vec![
            N(2.0),
            S("Phishing leads to a takeover of a consultant's account"),
            S("Magnus Berg"),
            N(4.0),
            N(4.0),
            N(16.0),
            S("Mitigate"),
            S("A.5.17; A.8.5; A.6.3"),
            Blank,
            D(2026, 8, 31),
            S("In treatment"),
            D(2026, 9, 15),
        ]),
        Some(vec![
            N(3.0),
            S("Outage at the cloud provider stops the analytics platform"),
            S("Magnus Berg"),
            N(2.0),
            N(5.0),
            N(10.0),
            S("Transfer"),
            S("A.5.30"),
            Blank,
            Blank,
            S("Treated"),
            D(2027, 5, 1),
        ]),
        None,
        // Planted: a high risk (20) accepted with nobody named as accepting it.
        Some(vec![
            N(4.0),
            S("Ransomware encrypts the shared project drives"),
            S("Ingrid Solberg"),
            N(4.0),
            N(5.0),
            N(20.0),
            S("Accept"),
            Blank,
            Blank,
            Blank,
            S("Accepted"),
            D(2026, 12, 1),
        ]),
        // Planted: a risk nobody owns.
        Some(vec![
            N(5.0),
            S("Former staff keep access to client workspaces"),
            Blank,
            N(3.0),
            N(3.0),
            N(9.0),
            S("Mitigate"),
            S("A.5.18; A.8.2"),
            Blank,
            D(2026, 7, 31),
            S("In treatment"),
            D(2026, 10, 1),
        ]),
        Some(vec![
            N(6.0),
            S("A supplier breach exposes client survey data"),
            S("Ingrid Solberg"),
            N(2.0),
            N(4.0),
            N(8.0),
            S("Mitigate"),
            S("A.5.19; A.5.20"),
            Blank,
            D(2026, 10, 31),
            S("In treatment"),
            D(2026, 11, 1),
        ]),
        Some(vec![
            N(12.0),
            S("Source code pushed to a public repository"),
            S("Magnus Berg"),
            N(2.0),
            N(4.0),
            N(8.0),
            S("Accept"),
            Blank,
            S("Magnus Berg"),
            Blank,
            S("Accepted"),
            D(2027, 1, 15),
        ]),
    ]
}

/// The risk register workbook, with `edit` applied to its "Risk register" sheet last
/// (the bad variants of the refusal test).
fn risk_workbook_with(edit: impl Fn(&mut Worksheet)) -> Vec<u8> {
    let mut book = workbook();
    let sheet = book.add_worksheet();
    sheet.set_name("Risk register").unwrap();
    let title = Format::new().set_bold();
    sheet
        .merge_range(
            0,
            0,
            0,
            11,
            "Fjordline Analytics - information security risk register",
            &title,
        )
        .unwrap();
    sheet
        .write_string(
            1,
            0,
            "Score = likelihood x impact; 15 or more is a high risk. Reviewed by the ISMS manager.",
        )
        .unwrap();
    let header: Vec<V> = RISK_HEADER.iter().map(|h| S(h)).collect();
    write_row(sheet, 2, &header);
    for (i, row) in risk_rows().iter().enumerate() {
        if let Some(cells) = row {
            write_row(sheet, 3 + i as u32, cells);
        }
    }
    for (col, width) in [
        (1u16, 52.0),
        (2, 16.0),
        (7, 22.0),
        (9, 14.0),
        (10, 14.0),
        (11, 14.0),
    ] {
        sheet.set_column_width(col, width).unwrap();
    }
    edit(sheet);
    let scales = book.add_worksheet();
    scales.set_name("Scales").unwrap();
    write_row(scales, 0, &[S("Level"), S("Likelihood"), S("Impact")]);
    for (i, (l, m)) in [
        ("rare", "negligible"),
        ("unlikely", "minor"),
        ("possible", "moderate"),
        ("likely", "major"),
        ("almost certain", "severe"),
    ]
    .iter()
    .enumerate()
    {
        write_row(scales, 1 + i as u32, &[N(1.0 + i as f64), S(l), S(m)]);
    }
    book.save_to_buffer().unwrap()
}

fn risk_workbook() -> Vec<u8> {
    risk_workbook_with(|_| {})
}

/// The CAPA log workbook: this year's actions on the first sheet, last year's after it.
fn capa_workbook_with(edit: impl Fn(&mut Worksheet)) -> Vec<u8> {
    let mut book = workbook();
    let sheet = book.add_worksheet();
    sheet.set_name("Actions").unwrap();
    let header = [
        "Ref",
        "Raised",
        "Raised from",
        "Nonconformity",
        "Root cause",
        "Corrective action",
        "Due",
        "Status",
        "Closed on",
        "Effectiveness checked",
        "Owner",
    ];
    write_row(sheet, 0, &header.map(S));
    let rows = [
        [
            S("CA-2026-01"),
            D(2026, 1, 20),
            S("Internal audit"),
            S("Two leavers still had VPN accounts a month after leaving"),
            S("The leaver checklist did not include the VPN"),
            S("VPN added to the leaver checklist; monthly reconciliation of VPN accounts"),
            D(2026, 2, 28),
            S("Closed"),
            D(2026, 2, 25),
            D(2026, 4, 30),
            S("Magnus Berg"),
        ],
        [
            S("CA-2026-02"),
            D(2026, 2, 11),
            S("Incident"),
            S("The survey database backup failed for nine days without anyone noticing"),
            S("Backup alerts went to a mailbox nobody reads any more"),
            S("Backup alerts routed to the on-call rota"),
            D(2026, 3, 15),
            S("Closed"),
            D(2026, 3, 10),
            Blank,
            S("Magnus Berg"),
        ],
        // Planted: open past its due date.
        [
            S("CA-2026-03"),
            D(2026, 3, 4),
            S("External audit"),
            S("No security review on file for two critical suppliers"),
            S("Nobody was responsible for supplier reviews"),
            S("Name an owner for supplier reviews and record review dates in the register"),
            D(2026, 5, 31),
            S("Open"),
            Blank,
            Blank,
            S("Ingrid Solberg"),
        ],
        [
            S("CA-2026-04"),
            D(2026, 5, 19),
            S("Internal audit"),
            S("The Q1 access review of the analytics platform was skipped"),
            Blank,
            Blank,
            D(2026, 7, 31),
            S("Open"),
            Blank,
            Blank,
            S("Ingrid Solberg"),
        ],
    ];
    for (i, row) in rows.iter().enumerate() {
        write_row(sheet, 1 + i as u32, row);
    }
    sheet.set_column_width(3, 60.0).unwrap();
    edit(sheet);
    let old = book.add_worksheet();
    old.set_name("Closed 2025").unwrap();
    write_row(old, 0, &header.map(S));
    write_row(
        old,
        1,
        &[
            S("CA-2025-07"),
            D(2025, 10, 2),
            S("Internal audit"),
            S("Visitor log not kept at the Bergen office"),
            S("Reception cover was not briefed"),
            S("Visitor log added to the reception handover"),
            D(2025, 11, 30),
            S("Closed"),
            D(2025, 11, 12),
            D(2026, 1, 15),
            S("Kari Nilsen"),
        ],
    );
    book.save_to_buffer().unwrap()
}

fn capa_workbook() -> Vec<u8> {
    capa_workbook_with(|_| {})
}

/// Every sheet of a workbook as (name, cells, formulas, merged ranges), for comparing a
/// committed file with what the generator writes.
type Sheets = Vec<(
    String,
    Vec<((u32, u32), calamine::Data)>,
    Vec<((u32, u32), String)>,
    Vec<calamine::Dimensions>,
)>;

fn sheets(bytes: &[u8]) -> Sheets {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|name| {
            let cells = book.worksheet_range(&name).unwrap();
            let formulas = book.worksheet_formula(&name).unwrap();
            let merged = book
                .worksheet_merge_cells(&name)
                .map(|m| m.unwrap())
                .unwrap_or_default();
            (
                name,
                cells
                    .used_cells()
                    .map(|(r, c, v)| ((r as u32, c as u32), v.clone()))
                    .collect(),
                formulas
                    .used_cells()
                    .map(|(r, c, f)| ((r as u32, c as u32), f.clone()))
                    .collect(),
                merged,
            )
        })
        .collect()
}

#[test]
fn committed_workbooks_are_what_the_generators_write() {
    for (path, bytes) in [(RISKS, risk_workbook()), (CAPA, capa_workbook())] {
        let path = common::root().join(path);
        if std::env::var_os("XWALK_REGENERATE_FIXTURES").is_some() {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; regenerate with XWALK_REGENERATE_FIXTURES=1",
                path.display()
            )
        });
        assert_eq!(
            sheets(&committed),
            sheets(&bytes),
            "{} differs from its generator; regenerate with XWALK_REGENERATE_FIXTURES=1",
            path.display()
        );
    }
    // The creation time is fixed, so writing again gives the same bytes.
    assert_eq!(risk_workbook(), risk_workbook());
}

// ----- Running the importer -----

fn import(file: &str, mapping: &str, extra: &[&str]) -> (tempfile::TempDir, common::Run) {
    let out = tempfile::tempdir().unwrap();
    let run = xwalk(
        &[
            &[
                "import",
                "spreadsheet",
                file,
                "--mapping",
                mapping,
                "--out",
                out.path().to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat(),
    );
    (out, run)
}

/// Import a sample, pin its output, check it against the vocabulary, import it again for
/// the same bytes, and return the facts directory and the document.
fn golden(
    file: &str,
    mapping: &str,
    extra: &[&str],
    written: &str,
    snapshot: &str,
) -> (tempfile::TempDir, serde_json::Value) {
    let (out, run) = import(file, mapping, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(out.path().join(written)).unwrap();
    insta::assert_snapshot!(snapshot, text);

    let check = xwalk(&["facts", "check", out.path().to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);

    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let input = std::fs::read(common::root().join(file)).unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&input)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(doc["provenance"]["sha256"], digest);
    assert_eq!(doc["provenance"]["importer"], "spreadsheet");

    let (again, run) = import(file, mapping, extra);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(again.path().join(written)).unwrap(),
        text,
        "a second run gives the same bytes"
    );
    (out, doc)
}

fn rule<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let rows = common::rows_of(report, id);
    assert_eq!(rows.len(), 1, "{id}: {rows:?}");
    rows[0]
}

#[test]
fn a_risk_register_workbook_becomes_a_risk_register() {
    let (out, doc) = golden(
        RISKS,
        RISKS_MAP,
        &[],
        "isms/risk-register.json",
        "import_spreadsheet_risk_register",
    );
    let items = doc["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["1", "2", "3", "4", "5", "6", "12"],
        "numbers as ids, sheet order"
    );
    assert_eq!(
        items[0]["treatment_due"], "2026-09-30",
        "an Excel date cell"
    );
    assert_eq!(items[0]["controls"], serde_json::json!(["A.8.1", "A.8.24"]));
    assert_eq!(items[0]["status"], "open", "translated by [values.status]");
    assert_eq!(items[3]["controls"], serde_json::json!([]), "\"\" = []");
    assert_eq!(
        items[2]["treatment_due"],
        serde_json::Value::Null,
        "blank and nullable: null"
    );
    assert_eq!(
        items[4]["owner"],
        serde_json::Value::Null,
        "blank and nullable: null"
    );
    assert!(
        items[0].get("next_review").is_none(),
        "an unmapped column is not read"
    );
    let p = &doc["provenance"];
    assert_eq!(p["sheet"], "Risk register");
    assert_eq!(p["rows_read"], 7);
    assert_eq!(
        p["rows_skipped"],
        serde_json::json!([{"row": 7, "why": "blank row"}])
    );
    assert_eq!(p["collected_on_from"], "mapping");
    assert_eq!(p["source_system"], "ISMS workbook on SharePoint");
    assert_eq!(doc["method"]["high_threshold"], 15);

    let (_, report) = common::eval_json(out.path().to_str().unwrap(), &[]);
    let treated = rule(&report, "risk.high-risks-treated");
    assert_eq!(treated["outcome"], "fail", "{treated}");
    let message = treated["message"].as_str().unwrap();
    assert!(
        message.contains("4 score 20 (accepted without a named approver)"),
        "{message}"
    );
    let current = rule(&report, "risk.assessment-current");
    assert_eq!(current["outcome"], "fail", "{current}");
    let message = current["message"].as_str().unwrap();
    assert!(message.contains("5 (no owner)"), "{message}");
}

#[test]
fn a_supplier_register_csv_with_norwegian_dates_becomes_a_supplier_document() {
    let (out, doc) = golden(
        SUPPLIERS,
        SUPPLIERS_MAP,
        &["--collected-on", "2026-06-30"],
        "supplier/supplier-register.json",
        "import_spreadsheet_supplier_register",
    );
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert_eq!(items[0]["security_review_on"], "2025-11-14", "14.11.2025");
    assert_eq!(items[0]["cloud_service"], true);
    assert_eq!(items[0]["assurance"], "iso27001");
    assert_eq!(items[0]["data_processed"], "personal");
    assert_eq!(items[0]["criticality"], "critical");
    assert_eq!(
        items[3]["security_review_on"],
        serde_json::Value::Null,
        "never reviewed"
    );
    assert_eq!(items[3]["assurance"], serde_json::Value::Null);
    assert!(
        items[2].get("exit_plan").is_none(),
        "optional and blank: left out"
    );
    assert_eq!(doc["collected_on"], "2026-06-30");
    assert_eq!(doc["provenance"]["collected_on_from"], "--collected-on");
    assert!(doc["provenance"].get("sheet").is_none());

    let (_, report) = common::eval_json(out.path().to_str().unwrap(), &[]);
    let reviewed = rule(&report, "suppliers.security-reviewed");
    assert_eq!(reviewed["outcome"], "fail", "{reviewed}");
    let message = reviewed["message"].as_str().unwrap();
    assert!(
        message.contains("1 of 4 in-scope suppliers")
            && message.contains("Tallverk Consulting (last reviewed 2025-03-12)"),
        "{message}"
    );

    // Without --collected-on the document is undated and the provenance says so.
    let (out, run) = import(SUPPLIERS, SUPPLIERS_MAP, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("supplier/supplier-register.json")).unwrap(),
    )
    .unwrap();
    assert!(doc.get("collected_on").is_none());
    assert!(doc["provenance"]["collected_on_from"]
        .as_str()
        .unwrap()
        .starts_with("not stated"));
}

#[test]
fn a_capa_log_workbook_becomes_corrective_actions_from_its_first_sheet() {
    let (out, doc) = golden(
        CAPA,
        CAPA_MAP,
        &["--system", "CAPA log (Teams)"],
        "improvement/corrective-actions.json",
        "import_spreadsheet_corrective_actions",
    );
    let items = doc["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["CA-2026-01", "CA-2026-02", "CA-2026-03", "CA-2026-04"]
    );
    assert_eq!(items[0]["source"], "internal-audit");
    assert_eq!(items[3]["root_cause"], serde_json::Value::Null);
    assert_eq!(doc["provenance"]["sheet"], "Actions", "the first sheet");
    assert_eq!(
        doc["provenance"]["source_system"], "CAPA log (Teams)",
        "--system wins"
    );

    let (_, report) = common::eval_json(out.path().to_str().unwrap(), &[]);
    let closed = rule(&report, "improvement.actions-closed");
    assert_eq!(closed["outcome"], "fail", "{closed}");
    let message = closed["message"].as_str().unwrap();
    assert!(
        message.contains("1 of 2 open corrective actions overdue: CA-2026-03 (due 2026-05-31)"),
        "{message}"
    );
}

// ----- Refusals -----

/// Each bad variant, written as `name` and imported through `mapping`, exits 2 with a
/// message at `at` saying `says`, and writes nothing.
fn refused(cases: &[(&str, Vec<u8>, &str, &str)], name: &str, mapping: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    for (what, bytes, at, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (out, run) = import(path.to_str().unwrap(), mapping, extra);
        if run.code != 2 || !run.stderr.contains(at) || !run.stderr.contains(says) {
            wrong.push(format!(
                "{what}: exit {}, wanted `{at}` and `{says}` in\n{}",
                run.code, run.stderr
            ));
        }
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "{what}: nothing written"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn bytes(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

#[test]
fn a_bad_workbook_is_refused_at_its_sheet_row_and_column() {
    let cases = [
        (
            "a formula",
            risk_workbook_with(|s| {
                s.write_formula(3, 5, "=D4*E4").unwrap();
                s.set_formula_result(3, 5, "12");
            }),
            "risk-register.xlsx:4:6: error[XW0701]",
            "sheet \"Risk register\", cell F4 (row 4, column 6, \"Score\") holds the formula =D4*E4",
        ),
        (
            "merged cells",
            risk_workbook_with(|s| {
                s.merge_range(4, 2, 5, 2, "Magnus Berg", &Format::new()).unwrap();
            }),
            "risk-register.xlsx:5:3: error[XW0701]",
            "cells C5:C6 (rows 5-6, columns 3-3) are merged across the mapped column \"Owner\"",
        ),
        (
            "a date typed as text in a foreign format",
            risk_workbook_with(|s| {
                s.write_string(3, 9, "30/09/2026").unwrap();
            }),
            "risk-register.xlsx:4:10: error[XW0701]",
            "cell J4 (row 4, column 10, \"Treatment due\"): treatment_due `30/09/2026` is not a date written YYYY-MM-DD",
        ),
        (
            "a serial number where a date belongs",
            risk_workbook_with(|s| {
                s.write_number(3, 9, 46295.0).unwrap();
            }),
            "risk-register.xlsx:4:10: error[XW0701]",
            "holds the number 46295, not a date: format the cell as a date",
        ),
        (
            "a value outside the enum",
            risk_workbook_with(|s| {
                s.write_string(3, 6, "Ignore").unwrap();
            }),
            "risk-register.xlsx:4:7: error[XW0701]",
            "treatment `Ignore` is not one of mitigate, transfer, avoid, accept",
        ),
        (
            "a required cell left blank",
            risk_workbook_with(|s| {
                s.write_blank(4, 1, &Format::new()).unwrap();
            }),
            "risk-register.xlsx:5:2: error[XW0701]",
            "cell B5 (row 5, column 2, \"Risk\"): title is blank, and every risk_register item needs it",
        ),
        (
            "an id twice",
            risk_workbook_with(|s| {
                s.write_number(4, 0, 1.0).unwrap();
            }),
            "risk-register.xlsx:5:1: error[XW0701]",
            "id `1` is also in row 4",
        ),
        (
            "a text where a number belongs",
            risk_workbook_with(|s| {
                s.write_string(3, 3, "high").unwrap();
            }),
            "risk-register.xlsx:4:4: error[XW0701]",
            "likelihood `high` is not a whole number",
        ),
        (
            "a renamed column",
            risk_workbook_with(|s| {
                s.write_string(2, 2, "Risk owner").unwrap();
            }),
            "risk-register.xlsx:3: error[XW0701]",
            "sheet \"Risk register\" has no column \"Owner\" in its header (row 3)",
        ),
        (
            "a duplicate header",
            risk_workbook_with(|s| {
                s.write_string(2, 11, "Owner").unwrap();
            }),
            "risk-register.xlsx:3: error[XW0701]",
            "has the header \"Owner\" in two columns (cells C3, L3)",
        ),
        (
            "only a header",
            {
                let mut book = workbook();
                let s = book.add_worksheet();
                s.set_name("Risk register").unwrap();
                write_row(s, 2, &RISK_HEADER.map(S));
                book.save_to_buffer().unwrap()
            },
            "risk-register.xlsx:3: error[XW0701]",
            "sheet \"Risk register\" has a header (row 3) but no data rows below it",
        ),
        (
            "an empty sheet",
            {
                let mut book = workbook();
                book.add_worksheet().set_name("Risk register").unwrap();
                book.save_to_buffer().unwrap()
            },
            "risk-register.xlsx:1: error[XW0701]",
            "sheet \"Risk register\" is empty",
        ),
        (
            "a missing sheet",
            {
                let mut book = workbook();
                book.add_worksheet().set_name("Risks 2026").unwrap();
                book.add_worksheet().set_name("Scales").unwrap();
                book.save_to_buffer().unwrap()
            },
            "risk-register.xlsx: error[XW0701]",
            "the workbook has no sheet \"Risk register\"; its sheets are \"Risks 2026\", \"Scales\"",
        ),
        (
            "not a workbook",
            bytes("Risk ID,Risk\n1,Laptop lost\n"),
            "risk-register.xlsx: error[XW0701]",
            "not a readable XLSX workbook",
        ),
        (
            "an empty file",
            Vec::new(),
            "risk-register.xlsx:1: error[XW0701]",
            "the file is empty",
        ),
    ];
    refused(&cases, "risk-register.xlsx", RISKS_MAP, &[]);

    // Every problem of the file at once.
    let all = risk_workbook_with(|s| {
        s.write_string(3, 6, "Ignore").unwrap();
        s.write_string(5, 10, "Parked").unwrap();
        s.write_string(10, 3, "x").unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("risk-register.xlsx");
    std::fs::write(&path, all).unwrap();
    let (_, run) = import(path.to_str().unwrap(), RISKS_MAP, &[]);
    assert_eq!(run.code, 2);
    for at in [
        "risk-register.xlsx:4:7:",
        "risk-register.xlsx:6:11:",
        "risk-register.xlsx:11:4:",
    ] {
        assert!(run.stderr.contains(at), "{at}: {}", run.stderr);
    }
    assert!(run.stderr.contains("error: 3 errors"), "{}", run.stderr);

    // A formula filled down the column below the last row (showing blank) is not read.
    let filled = risk_workbook_with(|s| {
        for row in 11..40 {
            s.write_formula(
                row,
                5,
                format!("=IF(D{0}=\"\",\"\",D{0}*E{0})", row + 1).as_str(),
            )
            .unwrap();
            s.set_formula_result(row, 5, "");
        }
    });
    std::fs::write(&path, filled).unwrap();
    let (_, run) = import(path.to_str().unwrap(), RISKS_MAP, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // An observed date after today is refused at its cell, not at a JSON pointer.
    let future = capa_workbook_with(|s| {
        let day = ExcelDateTime::from_ymd(2099, 1, 15).unwrap();
        s.write_datetime_with_format(2, 1, &day, &date_format())
            .unwrap();
    });
    refused(
        &[(
            "a date from the future",
            future,
            "corrective-actions.xlsx:3:2: error[XW0701]",
            "cell B3 (row 3, column 2, \"Raised\"): raised_on: \"2099-01-15\" is after the evaluation date",
        )],
        "corrective-actions.xlsx",
        CAPA_MAP,
        &[],
    );
}

#[test]
fn a_bad_csv_is_refused_at_its_row_and_column() {
    let original = std::fs::read_to_string(common::root().join(SUPPLIERS)).unwrap();
    let header = original.lines().next().unwrap().to_string() + "\n";
    let mut latin1 = bytes(&original);
    latin1.extend_from_slice(b"Troms\xf8 Kraft,Power,Low,No,Kari Nilsen,None,,No,,\n");
    let cases = [
        (
            "ISO dates where the mapping says dd.mm.yyyy",
            bytes(&original.replacen("14.11.2025", "2025-11-14", 1)),
            "supplier-register.csv:2:7: error[XW0701]",
            "row 2, column 7 (\"Last security review\"): security_review_on `2025-11-14` is not a date in the format %d.%m.%Y",
        ),
        (
            "a flag that is neither",
            bytes(&original.replacen("Critical,Yes", "Critical,Maybe", 1)),
            "supplier-register.csv:2:4: error[XW0701]",
            "cloud_service `Maybe` is not true or false; the values allowed are true, false, no, yes",
        ),
        (
            "a criticality the vocabulary lacks",
            bytes(&original.replacen("Critical,Yes", "Vital,Yes", 1)),
            "supplier-register.csv:2:3: error[XW0701]",
            "criticality `Vital` is not one of critical, high, medium, low",
        ),
        (
            "not UTF-8",
            latin1,
            "supplier-register.csv:7:6: error[XW0701]",
            "the file is not valid UTF-8",
        ),
        ("empty", Vec::new(), "supplier-register.csv:1:", "the file is empty"),
        (
            "only a header",
            bytes(&header),
            "supplier-register.csv:1:",
            "the file has a header (row 1) but no data rows below it",
        ),
        (
            "a duplicate header",
            bytes(&original.replacen("Exit plan", "Service", 1)),
            "supplier-register.csv:1:",
            "has the header \"Service\" in two columns (cells B1, J1)",
        ),
        (
            "a ragged row",
            bytes(&original.replacen("Office cleaning,", "Office, cleaning,", 1)),
            "supplier-register.csv:5:",
            "row 5 has 11 cells but the header has 10",
        ),
    ];
    refused(&cases, "supplier-register.csv", SUPPLIERS_MAP, &[]);

    // Neither CSV nor XLSX.
    let dir = tempfile::tempdir().unwrap();
    let xls = dir.path().join("suppliers.xls");
    std::fs::write(&xls, b"\xd0\xcf\x11\xe0").unwrap();
    let (out, run) = import(xls.to_str().unwrap(), SUPPLIERS_MAP, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("reads .csv and .xlsx files"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn a_bad_mapping_is_refused_at_its_line_before_the_sheet_is_read() {
    let original = std::fs::read_to_string(common::root().join(SUPPLIERS_MAP)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "an unknown kind",
            original.replacen("kind = \"supplier\"", "kind = \"suppliers\"", 1),
            "supplier-register.toml:3:8: error[XW0701]",
            "`suppliers` is not a kind of the vocabulary (did you mean `supplier`?); the kinds are access_request, access_review",
        ),
        (
            "a required field left unmapped",
            original.replacen("owner = \"Relationship owner\"\n", "", 1),
            "supplier-register.toml:11:1: error[XW0701]",
            "supplier items need owner, but [columns] does not map it",
        ),
        (
            "a field the kind lacks",
            original.replacen("exit_plan = \"Exit plan\"", "exit_plans = \"Exit plan\"", 1),
            "supplier-register.toml:21:1: error[XW0701]",
            "supplier items have no field `exit_plans` (did you mean `exit_plan`?)",
        ),
        (
            "a translation of the wrong type",
            original.replacen("Yes = true", "Yes = \"true\"", 1),
            "supplier-register.toml:24:7: error[XW0701]",
            "[values.cloud_service] cloud_service takes true or false, so a translation cannot give it string",
        ),
        (
            "an output outside the facts directory",
            format!("output = \"../elsewhere.json\"\n{original}"),
            "supplier-register.toml:1:10: error[XW0701]",
            "must be a relative path inside the facts directory",
        ),
        (
            "a date format without a year",
            original.replacen("%d.%m.%Y", "%d.%m", 1),
            "error[XW0701]",
            "the date format `%d.%m` does not read a whole date",
        ),
        (
            "an unknown key",
            original.replacen("[dates]", "[date]", 1),
            "supplier-register.toml:",
            "unknown field `date`",
        ),
    ];
    for (what, text, at, says) in cases {
        let mapping = dir.path().join("supplier-register.toml");
        std::fs::write(&mapping, text).unwrap();
        let (out, run) = import(SUPPLIERS, mapping.to_str().unwrap(), &[]);
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(at) && run.stderr.contains(says),
            "{what}: wanted `{at}` and `{says}` in\n{}",
            run.stderr
        );
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0, "{what}");
    }
    // A kind whose document needs facts no row holds asks for them in [document].
    let training = dir.path().join("training.toml");
    std::fs::write(
        &training,
        "kind = \"training\"\n[columns]\nperson = \"Supplier\"\ncompleted_on = \"Last security review\"\n",
    )
    .unwrap();
    let (_, run) = import(SUPPLIERS, training.to_str().unwrap(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("a training document needs course, cycle_months, required_for"),
        "{}",
        run.stderr
    );
    // No mapping at all.
    let run = xwalk(&[
        "import",
        "spreadsheet",
        SUPPLIERS,
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("give --mapping FILE"), "{}", run.stderr);
}
