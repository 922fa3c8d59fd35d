//! `--format xlsx`: the evaluation as one workbook whose ids stay text (clause 4.1 is not
//! the number 4.1, 6.1.2 is not a date), with counts as numbers, the same bytes on every
//! run, and LibreOffice (the spreadsheet its users open) reading it back with every id
//! intact. Any table command writes a one-sheet workbook into a pipe or file.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::xwalk;
use std::io::Cursor;
use std::path::Path;

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).expect("a workbook calamine can open")
}

fn eval_workbook(dir: &Path) -> Vec<u8> {
    let run = xwalk(&[
        "eval",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--format",
        "xlsx",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "the start-up has findings: {}", run.stderr);
    std::fs::read(dir.join("report.xlsx")).unwrap()
}

/// The cells of a sheet, by header.
fn column(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, header: &str) -> Vec<Data> {
    let range = book.worksheet_range(sheet).unwrap();
    let mut rows = range.rows();
    let headers = rows.next().unwrap();
    let at = headers
        .iter()
        .position(|h| matches!(h, Data::String(s) if s == header))
        .unwrap_or_else(|| panic!("{sheet} has no column {header}"));
    rows.map(|r| r[at].clone()).collect()
}

#[test]
fn the_evaluation_is_one_workbook_with_ids_as_text_and_counts_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = eval_workbook(dir.path());
    let mut book = workbook(bytes.clone());
    assert_eq!(
        book.sheet_names(),
        [
            "Summary",
            "Results",
            "Findings",
            "Coverage",
            "Procedures",
            "Evidence",
            "SoA",
            "Plan",
            "Diagnostics"
        ]
    );
    let ids = column(&mut book, "Coverage", "id");
    for id in ["4.1", "6.1.2", "9.3.1", "A.5.1", "CC6.1", "PR.AA-01"] {
        assert!(
            ids.contains(&Data::String(id.to_string())),
            "{id} kept as text"
        );
    }
    assert!(ids.iter().all(|c| matches!(c, Data::String(_))));
    let controls = column(&mut book, "SoA", "control");
    assert_eq!(controls.len(), 93);
    assert!(controls.iter().all(|c| matches!(c, Data::String(_))));
    let procedures = column(&mut book, "Coverage", "procedures");
    assert!(procedures.iter().all(|c| matches!(c, Data::Float(_))));
    // Findings: one evidence pointer per row, so a pivot table can count them.
    let pointers = column(&mut book, "Findings", "evidence");
    assert!(pointers.iter().all(|p| !p.to_string().contains("; ")));
    let results = column(&mut book, "Results", "outcome");
    assert_eq!(results.len(), 109);

    let again = tempfile::tempdir().unwrap();
    assert_eq!(
        eval_workbook(again.path()),
        bytes,
        "same inputs, same bytes"
    );

    // Without a directory there is nowhere to write it.
    let run = xwalk(&["eval", "--facts", "fixtures/startup", "--format", "xlsx"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("give --out DIR"), "{}", run.stderr);
}

#[test]
fn any_table_command_writes_a_one_sheet_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("soa.xlsx");
    let run = xwalk(&[
        "soa",
        "--facts",
        "fixtures/startup",
        "--as-of",
        "2026-06-30",
        "--format",
        "xlsx",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    let mut book = workbook(std::fs::read(&out).unwrap());
    let controls = column(&mut book, "xwalk", "control");
    assert!(controls.contains(&Data::String("A.8.9".into())));
    // Into a pipe (the test's stdout is one), `frameworks` writes the workbook itself.
    let run = xwalk(&["frameworks", "--format", "xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn libreoffice_reads_the_workbook_back_with_ids_intact() {
    let Some(soffice) = ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
    else {
        common::skipped(
            "LibreOffice (soffice) is not installed; the workbook was not checked with it",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    eval_workbook(dir.path());
    let back = dir.path().join("back");
    let profile = dir.path().join("profile");
    let status = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&back)
        .arg(dir.path().join("report.xlsx"))
        .env("LANG", "de_DE.UTF-8")
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // What LibreOffice wrote after reading ours: the ids are still text, the counts numbers.
    let mut book = workbook(std::fs::read(back.join("report.xlsx")).unwrap());
    assert_eq!(book.sheet_names().len(), 9);
    let ids = column(&mut book, "Coverage", "id");
    for id in ["4.1", "6.1.2", "9.3.1", "10.2"] {
        assert!(
            ids.contains(&Data::String(id.to_string())),
            "LibreOffice kept {id} as text"
        );
    }
    assert!(ids.iter().all(|c| matches!(c, Data::String(_))));
    let procedures = column(&mut book, "Coverage", "procedures");
    assert!(procedures
        .iter()
        .all(|c| matches!(c, Data::Float(_) | Data::Int(_))));
}
