//! Tables as an Excel workbook, one sheet each, for people who live in spreadsheets:
//! every id written as text (so `4.1` or `6.1.2` never turns into a number or a date), a
//! count as a number only in the columns known to hold counts, a bold frozen header row, an
//! autofilter over each table, and widths that fit the text up to a limit. The same tables
//! give the same bytes: the workbook's creation time is the evaluation date, not the clock.

use super::table::Table;
use crate::error::Error;
use jiff::civil::Date;
use rust_xlsxwriter::{DocProperties, Format, Workbook, XlsxError};

/// Headers of columns that hold counts or shares, written as numbers when every cell of
/// the column is one; any other column is text, whatever it looks like.
const NUMERIC: [&str; 14] = [
    "line",
    "column",
    "procedures",
    "passing",
    "tested",
    "frameworks",
    "satisfies",
    "supports",
    "order",
    "new_procedures",
    "results",
    "value",
    "satisfied %",
    "partial %",
];

/// The longest text a cell may hold in Excel is 32,767 characters; longer text is cut
/// here, and says so.
const MAX_CELL: usize = 32_000;

/// Widest a column is set, in characters; the text wraps to the cell's width in Excel.
const MAX_WIDTH: usize = 80;

/// One sheet: its name (at most 31 characters, unique) and its table.
pub struct Sheet<'a> {
    /// The tab's name.
    pub name: &'a str,
    /// What it holds.
    pub table: &'a Table,
}

fn xlsx(e: XlsxError) -> Error {
    Error::Usage(format!("could not build the workbook: {e}"))
}

/// A cell's text, cut (and saying so) when Excel could not hold it.
fn cell(text: &str) -> String {
    if text.chars().count() <= MAX_CELL {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_CELL).collect();
    format!("{cut} … (cut at {MAX_CELL} characters; the JSON output holds the whole text)")
}

/// Whether a column is written as numbers: its header is a count's and every cell is one.
fn numeric(table: &Table, col: usize) -> bool {
    let header = table
        .headers
        .get(col)
        .map(|h| h.to_ascii_lowercase())
        .unwrap_or_default();
    let known = NUMERIC
        .iter()
        .any(|n| header == *n || header.ends_with(&format!(" {n}")));
    known
        && table.rows.iter().all(|r| {
            r.get(col)
                .is_none_or(|c| c.is_empty() || c.parse::<f64>().is_ok())
        })
}

/// Build a workbook of the sheets; `created` is the date written as its creation time.
pub fn workbook(sheets: &[Sheet<'_>], created: Date) -> Result<Vec<u8>, Error> {
    let mut book = Workbook::new();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(
        created.year() as u16,
        created.month() as u8,
        created.day() as u8,
    )
    .map_err(xlsx)?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&day)
            .set_author("xwalk"),
    );
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let t = sheet.table;
        let ws = book.add_worksheet();
        ws.set_name(sheet.name).map_err(xlsx)?;
        let numbers: Vec<bool> = (0..t.headers.len()).map(|c| numeric(t, c)).collect();
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(xlsx)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, text) in row.iter().enumerate() {
                let col = c as u16;
                match text.parse::<f64>() {
                    Ok(n) if numbers.get(c) == Some(&true) => {
                        ws.write_number(r, col, n).map_err(xlsx)?;
                    }
                    _ if text.is_empty() => {}
                    _ => {
                        ws.write_string(r, col, cell(text)).map_err(xlsx)?;
                    }
                }
            }
        }
        for c in 0..t.headers.len() {
            let widest = std::iter::once(t.headers.get(c).map_or(0, |h| h.chars().count()))
                .chain(
                    t.rows
                        .iter()
                        .map(|r| r.get(c).map_or(0, |s| s.chars().count())),
                )
                .max()
                .unwrap_or(0);
            ws.set_column_width(c as u16, (widest.clamp(6, MAX_WIDTH) + 2) as f64)
                .map_err(xlsx)?;
        }
        ws.set_freeze_panes(1, 0).map_err(xlsx)?;
        if !t.headers.is_empty() {
            ws.autofilter(0, 0, t.rows.len() as u32, t.headers.len() as u16 - 1)
                .map_err(xlsx)?;
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_text_and_counts_become_numbers_only_where_declared() {
        let mut t = Table::new(["id", "procedures", "title"]);
        t.push(["6.1.2", "3", "Risk assessment"]);
        t.push(["A.5.1", "", "Policies"]);
        assert!(!numeric(&t, 0), "an id is never a number");
        assert!(numeric(&t, 1));
        let mut mixed = Table::new(["passing"]);
        mixed.push(["n/a"]);
        assert!(
            !numeric(&mixed, 0),
            "one cell that is not a number keeps it text"
        );
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let mut t = Table::new(["id"]);
        t.push(["4.1"]);
        let day = Date::new(2026, 6, 30).unwrap();
        let a = workbook(
            &[Sheet {
                name: "Results",
                table: &t,
            }],
            day,
        )
        .unwrap();
        let b = workbook(
            &[Sheet {
                name: "Results",
                table: &t,
            }],
            day,
        )
        .unwrap();
        assert_eq!(a, b);
        assert!(cell(&"x".repeat(40_000)).contains("cut at 32000 characters"));
    }
}
