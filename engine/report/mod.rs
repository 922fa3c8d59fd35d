//! Renderers: plain tables for the terminal, CSV for spreadsheets, JSON for tools.

pub mod crosswalk;
pub mod csv;
pub mod eval;
pub mod explain;
pub mod html;
pub mod junit;
pub mod plan;
pub mod readiness;
pub mod sarif;
pub mod snippets;
pub mod soa;
pub mod table;
pub mod transition;
pub mod write;

pub use table::Table;

/// Pretty JSON of a serialisable value, newline-terminated.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot serialise: {e}\"}}"));
    out.push('\n');
    out
}
