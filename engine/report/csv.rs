//! CSV output that opens safely in Excel, Google Sheets and LibreOffice Calc.
//!
//! A spreadsheet types every CSV cell as it imports it: LibreOffice Calc in an English
//! locale reads the ISO 27001 clause `4.1` as the number 4.1, and in a German one reads
//! `6.1.2` as the date 6 January 2002. So an id a spreadsheet could read as a number or a
//! date is written with its framework, `iso27001-2022:6.1.2` (the form `xwalk show` and
//! `xwalk map` take), by [`text_safe_id`]; ids that start with letters (`A.5.1`, `CC6.1`,
//! `PR.AA-01`) are text everywhere and stay as they are.

use super::Table;
use std::borrow::Cow;

/// How the table builders spell a requirement id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum IdForm {
    /// As the catalogue has it, `6.1.2`: the terminal, JSON, and XLSX (whose cells are typed).
    #[default]
    Bare,
    /// Through [`text_safe_id`]: CSV, where the reader guesses each cell's type.
    TextSafe,
}

impl IdForm {
    /// The id of a requirement of `framework`, spelled in this form.
    pub fn spell<'a>(self, framework: &str, id: &'a str) -> Cow<'a, str> {
        match self {
            IdForm::Bare => Cow::Borrowed(id),
            IdForm::TextSafe => text_safe_id(framework, id),
        }
    }

    /// A test procedure's label, `6.1.2/risk-criteria`, its requirement spelled in this form.
    pub fn spell_procedure(self, framework: &str, label: &str) -> String {
        match label.split_once('/') {
            Some((id, procedure)) => format!("{}/{procedure}", self.spell(framework, id)),
            None => self.spell(framework, label).into_owned(),
        }
    }

    /// Each id of a list separated by `separator`, spelled in this form.
    pub fn spell_all(self, framework: &str, ids: &[String], separator: &str) -> String {
        ids.iter()
            .map(|id| self.spell(framework, id))
            .collect::<Vec<_>>()
            .join(separator)
    }
}

/// A requirement id as CSV writes it: `framework:id` when a spreadsheet could read the bare
/// id as a number, a date or a time (`4.1`, `10.2`, `6.1.2`), else the id unchanged.
pub fn text_safe_id<'a>(framework: &str, id: &'a str) -> Cow<'a, str> {
    if could_be_retyped(id) {
        Cow::Owned(format!("{framework}:{id}"))
    } else {
        Cow::Borrowed(id)
    }
}

/// Whether a spreadsheet might import this text as something other than text: no letter
/// at all (numbers, dates like `6.1.2` or `1/2`, times like `3:15`), a float with an
/// exponent (`1e5`), or a truth value.
pub fn could_be_retyped(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && (!text.bytes().any(|b| b.is_ascii_alphabetic())
            || is_plain_number(text)
            || text.eq_ignore_ascii_case("true")
            || text.eq_ignore_ascii_case("false"))
}

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
    /// Start with a UTF-8 byte-order mark so Excel detects the encoding (LibreOffice
    /// skips it when told the file is UTF-8, and misreads the file either way when not).
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
    fn ids_a_spreadsheet_would_retype_get_their_framework() {
        for (bare, safe) in [
            ("4.1", "iso27001-2022:4.1"),
            ("10.2", "iso27001-2022:10.2"),
            ("6.1.2", "iso27001-2022:6.1.2"),
            ("9.3.1", "iso27001-2022:9.3.1"),
            ("4", "iso27001-2022:4"),
            ("1e5", "iso27001-2022:1e5"),
            ("TRUE", "iso27001-2022:TRUE"),
            ("3:15", "iso27001-2022:3:15"),
        ] {
            assert_eq!(text_safe_id("iso27001-2022", bare), safe);
        }
        for text in [
            "A.5.1",
            "CC6.1",
            "PR.AA-01",
            "GV",
            "5.1/objectives-aligned",
            "",
        ] {
            assert_eq!(text_safe_id("fw", text), text);
        }
        assert_eq!(IdForm::Bare.spell("iso27001-2022", "6.1.2"), "6.1.2");
        assert_eq!(
            IdForm::TextSafe.spell_procedure("iso27001-2022", "9.1/monitoring-plan"),
            "iso27001-2022:9.1/monitoring-plan"
        );
        assert_eq!(
            IdForm::TextSafe.spell_procedure("soc2-2017", "CC1.1/code-of-conduct"),
            "CC1.1/code-of-conduct"
        );
        let ids = ["5.1".to_string(), "A.5.4".to_string()];
        assert_eq!(
            IdForm::TextSafe.spell_all("iso27001-2022", &ids, " "),
            "iso27001-2022:5.1 A.5.4"
        );
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
