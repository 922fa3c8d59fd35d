//! Renderers: plain tables for the terminal, CSV for spreadsheets, JSON for tools.

pub mod crosswalk;
pub mod csv;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod html;
pub mod junit;
pub mod long;
pub mod oscal;
pub mod plan;
pub mod programme;
pub mod readiness;
pub mod registers;
pub mod sarif;
pub mod snippets;
pub mod soa;
pub mod table;
pub mod transition;
pub mod workbook;
pub mod write;
pub mod xlsx;

pub use table::Table;

/// Pretty JSON of a view with the input problems beside its own fields
/// (`"input_problems": []` when every input was used), so a reader of the file
/// knows what the view leaves out.
pub fn to_json_with_problems<T: serde::Serialize>(
    value: &T,
    problems: &[crate::diag::Diagnostic],
) -> String {
    #[derive(serde::Serialize)]
    struct WithProblems<'a, T> {
        #[serde(flatten)]
        view: &'a T,
        input_problems: &'a [crate::diag::Diagnostic],
    }
    to_json(&WithProblems {
        view: value,
        input_problems: problems,
    })
}

/// Pretty JSON of a serialisable value, newline-terminated.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise: {e}\"}}"));
    out.push('\n');
    out
}

pub use crate::diag::{counted, counted_as};
