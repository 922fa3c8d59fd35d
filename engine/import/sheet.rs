//! One table of cells, read the same way from a CSV file or from a sheet of an XLSX
//! workbook, so that the spreadsheet importer types and locates values without caring
//! which it was. Rows and columns are numbered from 1 as the spreadsheet shows them: the
//! sheet row in a workbook, the line where the record starts in a CSV file.
//!
//! The reader keeps what a value check needs to refuse a cell rather than trust it: the
//! formulas of a workbook (a cached result is a calculation nobody re-checked), its merged
//! ranges (a value shown across several rows is stored in one of them only) and error
//! cells (`#N/A`).
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use calamine::{Data, Reader, SheetType, SheetVisible, Xlsx};
use jiff::civil::{Date, Time};
use std::collections::BTreeMap;

/// The kinds of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8.
    Csv,
    /// An Office Open XML workbook.
    Xlsx,
}

impl Format {
    /// The format of a file by its extension, in any case; `None` for anything else.
    pub fn of(path: &str) -> Option<Format> {
        let ext = std::path::Path::new(path).extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("csv") {
            Some(Format::Csv)
        } else if ext.eq_ignore_ascii_case("xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }
}

/// One cell's value as the file stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed (every CSV cell is text).
    Text(String),
    /// A whole number stored as such.
    Int(i64),
    /// A number.
    Float(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A cell formatted as a date, with its time of day when it is not midnight.
    Date(Date, Option<Time>),
    /// A value that no field takes: an error such as `#N/A`, a duration, a time of day
    /// without a date; the text says which.
    Unusable(String),
}

impl Cell {
    /// True for an empty cell.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    fn text(text: &str) -> Cell {
        let t = text.trim();
        if t.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t.to_string())
        }
    }

    fn from_xlsx(data: &Data) -> Cell {
        match data {
            Data::Empty => Cell::Empty,
            Data::String(s) | Data::DateTimeIso(s) => Cell::text(s),
            Data::Int(i) => Cell::Int(*i),
            Data::Float(f) => Cell::Float(*f),
            Data::Bool(b) => Cell::Bool(*b),
            Data::Error(e) => Cell::Unusable(format!("the error value {e}")),
            Data::DurationIso(s) => Cell::Unusable(format!("the duration {s}")),
            Data::DateTime(d) if d.is_duration() => {
                Cell::Unusable(format!("a duration ({} days)", d.as_f64()))
            }
            Data::DateTime(d) => {
                if d.as_f64() < 1.0 {
                    return Cell::Unusable("a time of day without a date".into());
                }
                let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
                let Ok(date) = Date::new(y as i16, mo as i8, da as i8) else {
                    return Cell::Unusable(format!(
                        "the serial date {} ({y}-{mo:02}-{da:02}), which is not a calendar day",
                        d.as_f64()
                    ));
                };
                let time = (h, mi, s) != (0, 0, 0);
                let time = time.then(|| Time::new(h as i8, mi as i8, s as i8, 0).ok());
                Cell::Date(date, time.flatten())
            }
        }
    }
}

/// A rectangle of merged cells, 1-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Top-left (row, column).
    pub first: (u32, u32),
    /// Bottom-right (row, column).
    pub last: (u32, u32),
}

impl Region {
    /// The range as Excel writes it, e.g. `B7:B9`.
    pub fn a1(&self) -> String {
        format!(
            "{}:{}",
            a1(self.first.0, self.first.1),
            a1(self.last.0, self.last.1)
        )
    }
}

/// One row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The row number as the spreadsheet shows it (a CSV record's first line).
    pub number: u32,
    /// Cells by column, the first at index 0 (column 1, `A`).
    cells: Vec<Cell>,
}

impl Row {
    /// The cell in a 1-based column; empty beyond the row's end.
    pub fn cell(&self, column: u32) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        column
            .checked_sub(1)
            .and_then(|i| self.cells.get(i as usize))
            .unwrap_or(&EMPTY)
    }

    /// True when no cell of the row holds anything.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// A table read from a file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file as given.
    pub file: String,
    /// CSV or XLSX.
    pub format: Format,
    /// The sheet read, for a workbook.
    pub sheet: Option<String>,
    /// The row holding the column headers.
    pub header_row: u32,
    /// The header cells that hold text, as `(column, text)`.
    pub header: Vec<(u32, String)>,
    /// The rows below the header, blank ones included, in order.
    pub rows: Vec<Row>,
    /// Cells holding a formula, by `(row, column)`.
    pub formulas: BTreeMap<(u32, u32), String>,
    /// Merged ranges of the sheet.
    pub merged: Vec<Region>,
}

impl Table {
    /// Where a cell is, for a diagnostic: its location (file:row:column) and the words
    /// that start the message (`sheet "Risks", cell B7 (row 7, column 2, "Owner")`).
    pub fn at(&self, row: u32, column: u32, header: &str) -> (Location, String) {
        let location = Location::at(&self.file, u64::from(row), u64::from(column));
        let words = match &self.sheet {
            Some(sheet) => format!(
                "sheet \"{sheet}\", cell {} (row {row}, column {column}, \"{header}\")",
                a1(row, column)
            ),
            None => format!("row {row}, column {column} (\"{header}\")"),
        };
        (location, words)
    }

    /// Where a whole row is.
    pub fn at_row(&self, row: u32) -> (Location, String) {
        let location = Location::line(&self.file, u64::from(row));
        let words = match &self.sheet {
            Some(sheet) => format!("sheet \"{sheet}\", row {row}"),
            None => format!("row {row}"),
        };
        (location, words)
    }

    /// What the table is, for messages: `sheet "Risks"` or `the file`.
    pub fn what(&self) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet \"{sheet}\""),
            None => "the file".to_string(),
        }
    }
}

/// A column number as Excel writes it: 1 -> `A`, 27 -> `AA`.
pub fn column_letters(column: u32) -> String {
    let mut n = column;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A cell reference as Excel writes it: (7, 2) -> `B7`.
pub fn a1(row: u32, column: u32) -> String {
    format!("{}{row}", column_letters(column))
}

fn problem(location: Location, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(codes::XW0701, location, message)
}

/// Read the table of a file: a CSV file, or `sheet` of a workbook (the first visible
/// worksheet when `None`), with its header in `header_row`.
pub fn read(
    path: &str,
    bytes: &[u8],
    format: Format,
    sheet: Option<&str>,
    header_row: u32,
) -> Result<Table, Error> {
    match format {
        Format::Csv => read_csv(path, bytes, header_row),
        Format::Xlsx => read_xlsx(path, bytes, sheet, header_row),
    }
}

fn fail(path: &str, diagnostic: Diagnostic) -> Error {
    super::invalid(path, vec![diagnostic])
}

fn read_csv(path: &str, bytes: &[u8], header_row: u32) -> Result<Table, Error> {
    let file = match SourceFile::from_bytes(path.to_string(), bytes.to_vec()) {
        Ok(file) => file,
        Err(Error::NotUtf8 { line, column, .. }) => {
            return Err(fail(
                path,
                problem(
                    Location::at(path, line, column),
                    "the file is not valid UTF-8 (probably saved as Windows-1252 or Latin-1); save it again as \"CSV UTF-8\"",
                ),
            ))
        }
        Err(e) => return Err(e),
    };
    if file.text.trim().is_empty() {
        return Err(fail(
            path,
            problem(Location::line(path, 1), "the file is empty"),
        ));
    }
    let mut diags = Vec::new();
    if let Some(line) = crate::csvfile::unclosed_quote(&file.text) {
        diags.push(problem(
            Location::line(path, line),
            "a quoted cell opened on this line is never closed; the rest of the file would read as one cell",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let mut lines = crate::csvfile::LineCounter::new(&file.text);
    let mut header: Option<(u32, Vec<String>)> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                diags.push(problem(
                    Location::line(path, line),
                    format!("unreadable CSV row: {e}"),
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let number = u32::try_from(line).unwrap_or(u32::MAX);
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match &header {
            None if number < header_row => continue,
            None if number == header_row => header = Some((number, cells)),
            None => {
                diags.push(problem(
                    Location::line(path, u64::from(header_row)),
                    format!(
                        "line {header_row} (header_row) is blank or inside a quoted cell; the first row after it starts on line {number}"
                    ),
                ));
                break;
            }
            Some((_, head)) => {
                if cells.len() != head.len() {
                    diags.push(problem(
                        Location::line(path, line),
                        format!(
                            "row {number} has {} but the header has {}",
                            crate::diag::counted(cells.len(), "cell"),
                            head.len()
                        ),
                    ));
                    continue;
                }
                rows.push(Row {
                    number,
                    cells: cells.iter().map(|c| Cell::text(c)).collect(),
                });
            }
        }
    }
    let Some((_, head)) = header else {
        if diags.is_empty() {
            diags.push(problem(
                Location::line(path, u64::from(header_row)),
                format!("the file has no row {header_row} to read the header from (header_row)"),
            ));
        }
        return Err(super::invalid(path, diags));
    };
    if !diags.is_empty() {
        return Err(super::invalid(path, diags));
    }
    Ok(Table {
        file: path.to_string(),
        format: Format::Csv,
        sheet: None,
        header_row,
        header: header_cells(head.iter().map(|h| Cell::text(h))),
        rows,
        formulas: BTreeMap::new(),
        merged: Vec::new(),
    })
}

fn header_cells(cells: impl Iterator<Item = Cell>) -> Vec<(u32, String)> {
    cells
        .enumerate()
        .filter_map(|(i, c)| {
            let text = match c {
                Cell::Empty => return None,
                other => display(&other),
            };
            Some((i as u32 + 1, text))
        })
        .collect()
}

/// A cell as text, the way the spreadsheet shows it: a whole number without `.0`, a date
/// as YYYY-MM-DD (with its time when it has one).
pub fn display(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Int(i) => i.to_string(),
        Cell::Float(f) => number_text(*f),
        Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Cell::Date(d, None) => d.to_string(),
        Cell::Date(d, Some(t)) => format!("{d}T{}", t.strftime("%H:%M:%S")),
        Cell::Unusable(why) => why.clone(),
    }
}

/// A number as text: `12` for 12.0 (an id typed into Excel), else the shortest form that
/// reads back as the same number.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn read_xlsx(
    path: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    header_row: u32,
) -> Result<Table, Error> {
    let at_file = || Location::line(path, 0);
    if bytes.is_empty() {
        return Err(fail(
            path,
            problem(Location::line(path, 1), "the file is empty"),
        ));
    }
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        fail(
            path,
            problem(
                at_file(),
                format!("not a readable XLSX workbook ({e}); save it again from the spreadsheet program as .xlsx"),
            ),
        )
    })?;
    let sheets = book.sheets_metadata().to_vec();
    let listed = || {
        sheets
            .iter()
            .map(|s| format!("\"{}\"", s.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = match sheet {
        Some(wanted) => match sheets
            .iter()
            .find(|s| s.name.to_lowercase() == wanted.to_lowercase())
        {
            Some(s) => s.name.clone(),
            None => {
                return Err(fail(
                    path,
                    problem(
                        at_file(),
                        format!(
                            "the workbook has no sheet \"{wanted}\"; its sheets are {}",
                            listed()
                        ),
                    ),
                ))
            }
        },
        None => match sheets
            .iter()
            .find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        {
            Some(s) => s.name.clone(),
            None => {
                return Err(fail(
                    path,
                    problem(
                        at_file(),
                        format!(
                            "the workbook has no visible worksheet (its sheets: {})",
                            listed()
                        ),
                    ),
                ))
            }
        },
    };
    let unreadable = |e: calamine::XlsxError| {
        fail(
            path,
            problem(at_file(), format!("sheet \"{name}\" cannot be read: {e}")),
        )
    };
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    let formula_range = book.worksheet_formula(&name).map_err(unreadable)?;
    let merged = match book.worksheet_merge_cells(&name) {
        Some(regions) => regions.map_err(unreadable)?,
        None => Vec::new(),
    };
    let what = format!("sheet \"{name}\"");
    let (Some(start), Some(end)) = (range.start(), range.end()) else {
        return Err(fail(
            path,
            problem(Location::line(path, 1), format!("{what} is empty")),
        ));
    };
    let header_index = header_row - 1;
    if header_index < start.0 || header_index > end.0 {
        return Err(fail(
            path,
            problem(
                Location::line(path, u64::from(header_row)),
                format!(
                    "{what}, row {header_row} (header_row) is empty; its cells start at row {}",
                    start.0 + 1
                ),
            ),
        ));
    }
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let index = start.0 + i as u32;
        if index < header_index {
            continue;
        }
        let mut row: Vec<Cell> = vec![Cell::Empty; start.1 as usize];
        row.extend(cells.iter().map(Cell::from_xlsx));
        if index == header_index {
            header = header_cells(row.into_iter());
        } else {
            rows.push(Row {
                number: index + 1,
                cells: row,
            });
        }
    }
    let formulas = formula_range
        .used_cells()
        .filter(|(_, _, f)| !f.trim().is_empty())
        .filter_map(|(r, c, f)| {
            let (r0, c0) = formula_range.start()?;
            Some(((r0 + r as u32 + 1, c0 + c as u32 + 1), f.clone()))
        })
        .collect();
    Ok(Table {
        file: path.to_string(),
        format: Format::Xlsx,
        sheet: Some(name),
        header_row,
        header,
        rows,
        formulas,
        merged: merged
            .iter()
            .map(|d| Region {
                first: (d.start.0 + 1, d.start.1 + 1),
                last: (d.end.0 + 1, d.end.1 + 1),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_lettered_as_excel_does() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(703), "AAA");
        assert_eq!(a1(7, 2), "B7");
    }

    #[test]
    fn whole_numbers_lose_their_decimal_point() {
        assert_eq!(number_text(12.0), "12");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(12.5), "12.5");
        assert_eq!(number_text(0.1), "0.1");
    }

    #[test]
    fn csv_rows_keep_their_line_and_blank_rows() {
        let t = read_csv(
            "t.csv",
            b"Register\n\nId,Name\r\n1,a\r\n,\r\n2,\"b\nc\"\n3,d\n",
            3,
        )
        .unwrap();
        assert_eq!(t.header, vec![(1, "Id".into()), (2, "Name".into())]);
        let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![4, 5, 6, 8]);
        assert!(t.rows[1].is_blank());
        assert_eq!(t.rows[2].cell(2), &Cell::Text("b\nc".into()));
        assert_eq!(t.rows[0].cell(9), &Cell::Empty);
    }

    #[test]
    fn a_workbook_gives_typed_cells_formulas_and_merged_ranges() {
        use rust_xlsxwriter::{ExcelDateTime, Format as Look, Workbook};
        let mut book = Workbook::new();
        let s = book.add_worksheet();
        s.set_name("Risks").unwrap();
        s.merge_range(0, 0, 0, 2, "Title", &Look::new()).unwrap();
        for (c, h) in ["Id", "Due", "Score"].iter().enumerate() {
            s.write_string(1, c as u16, *h).unwrap();
        }
        s.write_number(2, 0, 12.0).unwrap();
        let day = ExcelDateTime::from_ymd(2026, 9, 30).unwrap();
        let look = Look::new().set_num_format("dd/mm/yyyy");
        s.write_datetime_with_format(2, 1, &day, &look).unwrap();
        s.write_formula(2, 2, "=1+1").unwrap();
        book.add_worksheet()
            .set_name("Hidden")
            .unwrap()
            .set_hidden(true);
        let bytes = book.save_to_buffer().unwrap();
        let t = read_xlsx("r.xlsx", &bytes, None, 2).unwrap();
        assert_eq!(t.sheet.as_deref(), Some("Risks"));
        assert_eq!(t.header[1], (2, "Due".to_string()));
        let row = &t.rows[0];
        assert_eq!(row.number, 3);
        assert_eq!(display(row.cell(1)), "12");
        let due = Date::new(2026, 9, 30).unwrap();
        assert_eq!(row.cell(2), &Cell::Date(due, None));
        assert_eq!(t.formulas.get(&(3, 3)).map(String::as_str), Some("1+1"));
        assert_eq!(t.merged[0].a1(), "A1:C1");
        let err = read_xlsx("r.xlsx", &bytes, Some("Nope"), 2).unwrap_err();
        let Error::Invalid { diagnostics, .. } = err else {
            panic!()
        };
        assert!(diagnostics[0].message.contains("\"Risks\", \"Hidden\""));
    }

    #[test]
    fn a_csv_that_is_not_utf8_is_refused_at_its_byte() {
        let err = read_csv("t.csv", b"Id,Name\n1,J\xf6rg\n", 1).unwrap_err();
        let Error::Invalid { diagnostics, .. } = err else {
            panic!()
        };
        assert_eq!(diagnostics[0].location.to_string(), "t.csv:2:4");
    }
}
