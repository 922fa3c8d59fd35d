//! The output formats every command chooses from with `--format`.

/// How a command renders its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON.
    Json,
    /// RFC 4180 CSV, formula-safe, ids a spreadsheet would retype written `FW:ID`
    /// (iso27001-2022:6.1.2); UTF-8 with a byte-order mark in files.
    Csv,
    /// An Excel workbook: ids as text, frozen headers, filters (eval: every view as a sheet).
    Xlsx,
    /// SARIF 2.1.0 for code scanning: findings located in the facts (eval only).
    Sarif,
    /// JUnit XML for CI dashboards: a suite per rule, a case per document (eval only).
    Junit,
    /// OSCAL 1.1 assessment results (JSON) for GRC tools (eval only).
    Oscal,
}

impl Format {
    /// How this format spells requirement ids: CSV qualifies the ones a spreadsheet would
    /// read as numbers or dates; every other format keeps them bare.
    pub fn ids(self) -> xwalk::report::csv::IdForm {
        match self {
            Format::Csv => xwalk::report::csv::IdForm::TextSafe,
            _ => xwalk::report::csv::IdForm::Bare,
        }
    }
}
