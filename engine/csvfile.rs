//! Reading CSV input tables row by row, with a diagnostic per bad row.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::source::SourceFile;
use std::collections::HashMap;

/// One data row: its line number and its cells by column name.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line where the row starts.
    pub line: u64,
    cells: Vec<String>,
    columns: std::rc::Rc<HashMap<String, usize>>,
}

impl Row {
    /// The trimmed cell of a column, empty when the column is absent.
    pub fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|i| self.cells.get(*i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    /// The cell of a column, `None` when empty or absent.
    pub fn opt(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|s| !s.is_empty())
    }
}

/// The header of a CSV text, lower-cased and trimmed; empty when unreadable.
pub fn header(file: &SourceFile) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(_) => Vec::new(),
    }
}

/// Parse a CSV file that must contain `required` columns.
///
/// Rows with the wrong number of cells or broken quoting are reported with
/// code `XW0001` and skipped; a missing required column gives `XW0002` and no rows.
pub fn read(file: &SourceFile, required: &[&str], diags: &mut Vec<Diagnostic>) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            diags.push(Diagnostic::new(
                codes::XW0001,
                Location::line(&file.path, 1),
                format!("unreadable CSV header: {e}"),
            ));
            return Vec::new();
        }
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !headers.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0002,
            Location::line(&file.path, 1),
            format!(
                "missing column(s) {}; the header must contain {}",
                missing.join(", "),
                required.join(", ")
            ),
        ));
        return Vec::new();
    }
    let columns: std::rc::Rc<HashMap<String, usize>> = std::rc::Rc::new(
        headers
            .iter()
            .enumerate()
            .map(|(i, h)| (h.clone(), i))
            .collect(),
    );
    if let Some(line) = unclosed_quote(&file.text) {
        diags.push(Diagnostic::new(
            codes::XW0001,
            Location::line(&file.path, line),
            "a quoted field opened on this line is never closed; the rest of the file was read as one cell",
        ));
    }
    let mut rows = Vec::new();
    let mut lines = LineCounter::new(&file.text);
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
                if record.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                if record.len() != headers.len() {
                    diags.push(Diagnostic::new(
                        codes::XW0001,
                        Location::line(&file.path, line),
                        format!(
                            "row has {} but the header has {}",
                            crate::diag::counted(record.len(), "field"),
                            headers.len()
                        ),
                    ));
                    continue;
                }
                rows.push(Row {
                    line,
                    cells: record.iter().map(str::to_string).collect(),
                    columns: columns.clone(),
                });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                diags.push(Diagnostic::new(
                    codes::XW0001,
                    Location::line(&file.path, line),
                    format!("unreadable CSV row: {e}"),
                ));
            }
        }
    }
    rows
}

/// The line of a quoted field that is still open at the end of the text.
///
/// The csv reader accepts such a file and silently reads everything after the
/// quote as one cell; this follows the same RFC 4180 rules (a quote opens a
/// field only at its start, `""` is an escaped quote) to say where it began.
pub(crate) fn unclosed_quote(text: &str) -> Option<u64> {
    let mut bytes = text.bytes().peekable();
    let (mut line, mut opened) = (1u64, 0u64);
    let (mut quoted, mut field_start) = (false, true);
    while let Some(b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            if b == b'"' && bytes.next_if_eq(&b'"').is_none() {
                quoted = false;
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                quoted = true;
                opened = line;
            }
            b',' | b'\n' | b'\r' => field_start = true,
            _ => field_start = false,
        }
        if b == b'"' {
            field_start = false;
        }
    }
    quoted.then_some(opened)
}

/// Line numbers from byte offsets, robust to CRLF and mixed line ends.
///
/// The csv reader reports a record's start before the rest of a CRLF pair is
/// consumed, so its own line numbers drift on Windows files; counting `\n`
/// bytes up to the first byte of the record does not. Offsets must not go
/// backwards, which keeps the count linear in the file size.
pub(crate) struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    pub(crate) fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(target), Some(b'\r' | b'\n')) {
            target += 1;
        }
        if target < self.byte {
            self.byte = 0;
            self.line = 1;
        }
        self.line += self
            .text
            .get(self.byte..target)
            .unwrap_or_default()
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64;
        self.byte = target;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ragged_rows_are_reported_and_skipped() {
        let f = SourceFile::new("t.csv", "id,title\na,b\nc\nd,e,f\r\ng,h\n");
        let mut diags = Vec::new();
        let rows = read(&f, &["id", "title"], &mut diags);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].get("id"), "g");
        assert_eq!(rows[1].line, 5);
        let lines: Vec<u64> = diags.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, vec![3, 4]);
    }

    #[test]
    fn line_numbers_hold_with_crlf_and_mixed_line_ends() {
        let f = SourceFile::new("t.csv", "id,title\r\na,b\r\nc,d\ne,f\r\n");
        let rows = read(&f, &["id", "title"], &mut Vec::new());
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
    }

    #[test]
    fn an_unclosed_quote_is_reported_where_it_opens() {
        let f = SourceFile::new("t.csv", "id,title\na,\"b \"\"q\"\"\"\nc,\"open\nd,e\n");
        let mut diags = Vec::new();
        read(&f, &["id", "title"], &mut diags);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].location.line, 3);
        assert_eq!(unclosed_quote("id,title\na,5\" screen\n"), None);
    }

    #[test]
    fn missing_columns_are_named() {
        let f = SourceFile::new("t.csv", "id\na\n");
        let mut diags = Vec::new();
        assert!(read(&f, &["id", "title"], &mut diags).is_empty());
        assert!(diags[0].message.contains("title"));
    }
}
