//! CSV output that opens safely in Excel and Google Sheets.

use super::Table;

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Prefix a text cell with `'` when a spreadsheet would run it as a formula.
///
/// Plain numbers such as `-5` or `+3.2` are left alone: they are data, not formulas.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(FORMULA_TRIGGERS) && !is_plain_number(cell);
    if risky {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `-5`, `+3.2`, `-1e3`: digits with a sign, point or exponent, and nothing a formula could use
/// (`-inf` and `+NaN` parse as floats but a spreadsheet reads them as names).
fn is_plain_number(cell: &str) -> bool {
    cell.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && cell.parse::<f64>().is_ok()
}

/// Options for CSV output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark so Excel detects the encoding.
    pub bom: bool,
}

/// Render a table as RFC 4180 CSV (CRLF line ends, header row, neutralised cells).
pub fn render(table: &Table, options: CsvOptions) -> Vec<u8> {
    let mut out = Vec::new();
    if options.bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    let rows = std::iter::once(&table.headers).chain(&table.rows);
    for row in rows {
        let cells: Vec<std::borrow::Cow<'_, str>> = row.iter().map(|c| neutralise(c)).collect();
        // Writing into a Vec cannot fail.
        let _ = writer.write_record(cells.iter().map(|c| c.as_bytes()));
    }
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_numbers_kept() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+cmd",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "-inf",
            "+NaN",
        ] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for fine in ["-5", "+3.5", "plain", "", "a=b"] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn renders_rfc4180_with_optional_bom() {
        let mut t = Table::new(["a", "b"]);
        t.push(["x,y", "say \"hi\""]);
        let plain = String::from_utf8(render(&t, CsvOptions::default())).unwrap();
        assert_eq!(plain, "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n");
        let bom = render(&t, CsvOptions { bom: true });
        assert!(bom.starts_with("\u{feff}".as_bytes()));
    }
}
