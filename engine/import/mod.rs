//! Importers: the exports teams already have, turned into facts documents of the
//! vocabulary, each with a provenance block that says where it came from. An importer
//! never guesses a fact the export does not hold (who is privileged, when the export was
//! taken): it asks for it, or leaves the document undated and says so. A row it cannot
//! read is an error at its row and column, never dropped, so nothing the export shows can
//! go missing from the evidence. The same input always gives the same output.

pub mod accounts;
pub mod aws_iam;
pub mod entra;
pub mod fields;
pub mod github;
pub mod google_workspace;
pub mod hr_roster;
pub mod join;
pub mod json;
pub mod okta;
pub mod prowler;
pub mod sheet;
pub mod spreadsheet;
pub mod typing;

use crate::diag::Diagnostic;
use crate::error::Error;
use jiff::civil::Date;
use serde::Serialize;

/// The version written into every provenance block.
pub const IMPORTER_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where an imported document came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The importer (`aws-iam-credential-report`) and xwalk's version.
    pub importer: String,
    /// The xwalk version that imported it.
    pub version: String,
    /// The system the export comes from.
    pub source_system: String,
    /// The input file's name (the first one, when the export came in several files: then
    /// `inputs` lists every file read).
    pub file: String,
    /// SHA-256 of that input, hex.
    pub sha256: String,
    /// The sheet read, for a workbook.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The mapping file that said which column is which, when the importer takes one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping: Option<String>,
    /// SHA-256 of the mapping file, hex: the same sheet read through another mapping is
    /// other evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping_sha256: Option<String>,
    /// Data rows read.
    pub rows_read: usize,
    /// Rows left out, each with its row number and why (blank rows only: a row that
    /// cannot be read stops the import).
    pub rows_skipped: Vec<SkippedRow>,
    /// Where `collected_on` came from: `export`, `mapping`, `--collected-on`, or `not stated`.
    pub collected_on_from: String,
    /// Every file read, when there was more than one (pages of a paginated API, side files
    /// such as a list of administrators), in the order read; left out for a single file.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// What the export could not show and how the importer dealt with it (a field left
    /// out, a value written for want of one); left out when there is nothing to say.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One file an import read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    /// The file's name.
    pub file: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// What the importer read it as (`users page`, `admin role assignments`).
    pub read_as: String,
}

impl Input {
    /// The provenance entry of a file read as `read_as`.
    pub fn of(file: &crate::source::SourceFile, read_as: impl Into<String>) -> Input {
        Input {
            file: file_name(&file.path),
            sha256: sha256(file.text.as_bytes()),
            read_as: read_as.into(),
        }
    }
}

/// A row the importer left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// 1-based row: the line of a CSV file, the sheet row of a workbook.
    pub row: u64,
    /// Why.
    pub why: String,
}

/// What an import produced: documents to write under the facts directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// `(path relative to the facts directory, pretty JSON)`, sorted by path.
    pub files: Vec<(String, String)>,
}

/// Options every importer takes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The day the export was taken, when the export does not say.
    pub collected_on: Option<Date>,
    /// The system name written into the document (`aws`, `aws-prod`).
    pub system: Option<String>,
    /// Whether the system enforces MFA at every sign-in by policy, when the export does
    /// not say (an identity export lists enrolment, not enforcement).
    pub mfa_required: Option<bool>,
}

/// The names of a plain list file ([`accounts::lines`]: one per line, comments and blank
/// lines ignored), as a set.
pub fn list_lines(file: &crate::source::SourceFile) -> std::collections::BTreeSet<String> {
    accounts::lines(file).into_iter().map(|l| l.name).collect()
}

pub use crate::source::sha256;

/// The file name of a path as given, for provenance.
pub fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// Pretty JSON with a trailing newline, the form every importer writes.
pub fn render(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// An import error carrying every diagnostic found, so all bad rows are reported at once.
pub fn invalid(path: &str, diagnostics: Vec<Diagnostic>) -> Error {
    Error::Invalid {
        what: path.to_string(),
        diagnostics,
    }
}

/// Check every document an import produced against the vocabulary before anything is
/// written: an importer's output that `xwalk facts check` would refuse (a date after
/// today in the export, a field outside the vocabulary) is refused here, at its pointer.
pub fn check(imported: &Imported) -> Result<(), Error> {
    let facts = crate::facts::FactsSet::from_texts(&imported.files);
    let report = crate::facts::schema::SchemaSet::builtin()?.check(&facts);
    if report.diagnostics.is_empty() {
        return Ok(());
    }
    let what = imported
        .files
        .iter()
        .map(|(p, _)| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Err(invalid(&what, report.diagnostics))
}
