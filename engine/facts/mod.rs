//! Facts: JSON documents describing the organisation, one document per file.
//!
//! Every document is an object with a `kind` (accounts, policy, soa ...) and
//! whatever fields that kind has, usually an `items` array. A piece of evidence
//! is a file path plus a JSON pointer into it: `accounts/okta.json#/items/3`.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod corpus;
pub mod parse;
pub mod schema;
pub mod shard;
pub mod soa;

pub use corpus::Corpus;

use crate::diag::codes;
use crate::diag::{self, Diagnostic, Location};
use crate::source;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Default largest facts file read; larger files are refused with `XW0303`.
pub const MAX_FACTS_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Default deepest nesting of arrays and objects in a facts file (`XW0306`).
pub const MAX_FACTS_DEPTH: usize = 64;

/// What every facts file is held to: hard limits checked before it is parsed, and
/// (when set) the vocabulary its document is checked against after.
#[derive(Debug, Clone)]
pub struct FactsLimits {
    /// Largest file read, in bytes (`XW0303`).
    pub max_file_bytes: u64,
    /// Deepest nesting of arrays and objects (`XW0306`); capped at [`parse::PARSER_MAX_DEPTH`].
    pub max_depth: usize,
    /// The vocabulary; each violation becomes an `XW0310` on the document
    /// ([`Document::violations`]), and no rule may conclude anything from it.
    pub vocabulary: Option<Arc<schema::SchemaSet>>,
}

impl PartialEq for FactsLimits {
    fn eq(&self, other: &Self) -> bool {
        self.max_file_bytes == other.max_file_bytes
            && self.max_depth == other.max_depth
            && match (&self.vocabulary, &other.vocabulary) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

impl Default for FactsLimits {
    fn default() -> Self {
        FactsLimits {
            max_file_bytes: MAX_FACTS_FILE_BYTES,
            max_depth: MAX_FACTS_DEPTH,
            vocabulary: None,
        }
    }
}

/// One facts document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Path relative to the facts directory, with `/` separators (shared by every
    /// result row about this document).
    pub path: Arc<str>,
    /// The document's `kind`.
    pub kind: String,
    /// The parsed JSON object.
    pub value: Value,
    /// Where the document breaks the vocabulary of its kind (empty when it does not, or
    /// when it was not checked).
    pub violations: Vec<Diagnostic>,
    /// The day the evidence was collected, read once when the document is parsed
    /// ([`collected_on`]).
    pub collected_on: Option<jiff::civil::Date>,
}

/// The field that stands for a document's collection date when it has no `collected_on`,
/// by kind: the date the export or register itself records.
pub const COLLECTED_ON_FALLBACKS: [(&str, &str); 4] = [
    ("vulnerability_scan", "scanned_on"),
    ("risk_register", "assessed_on"),
    ("soa", "reviewed_on"),
    ("dlp", "last_tested_on"),
];

impl Document {
    /// An evidence reference to a place inside this document.
    pub fn evidence(&self, pointer: &str) -> String {
        format!("{}#{}", self.path, pointer)
    }
}

/// The day a document's evidence was collected: `collected_on`, else the kind's own date
/// field ([`COLLECTED_ON_FALLBACKS`]); `None` when the document says neither.
pub fn collected_on(kind: &str, value: &Value) -> Option<jiff::civil::Date> {
    let field = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .and_then(crate::dates::parse_date)
    };
    field("collected_on").or_else(|| {
        COLLECTED_ON_FALLBACKS
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, name)| field(name))
    })
}

/// All facts documents of a run, grouped by kind, plus the files that could not be used.
#[derive(Debug, Clone, Default)]
pub struct FactsSet {
    docs: Vec<Arc<Document>>,
    by_kind: BTreeMap<String, Vec<usize>>,
    /// One diagnostic per file that could not be used; the others are still loaded.
    pub diagnostics: Vec<Diagnostic>,
}

impl FactsSet {
    /// Build a set from documents (sorted by path so runs are deterministic).
    pub fn from_documents(docs: Vec<Document>, diagnostics: Vec<Diagnostic>) -> Self {
        FactsSet::from_shared(docs.into_iter().map(Arc::new).collect(), diagnostics)
    }

    /// Build a set from documents already shared (a merge of sets: no document is copied).
    pub fn from_shared(mut docs: Vec<Arc<Document>>, diagnostics: Vec<Diagnostic>) -> Self {
        docs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut set = FactsSet {
            diagnostics,
            ..FactsSet::default()
        };
        for doc in docs {
            set.by_kind
                .entry(doc.kind.clone())
                .or_default()
                .push(set.docs.len());
            set.docs.push(doc);
        }
        diag::sort(&mut set.diagnostics);
        set
    }

    /// The documents and the diagnostics, taken apart.
    pub fn into_parts(self) -> (Vec<Arc<Document>>, Vec<Diagnostic>) {
        (self.docs, self.diagnostics)
    }

    /// Parse in-memory files `(relative path, text)`.
    pub fn from_texts(files: &[(String, String)]) -> Self {
        FactsSet::from_texts_with(files, &FactsLimits::default())
    }

    /// [`FactsSet::from_texts`] with explicit limits.
    pub fn from_texts_with(files: &[(String, String)], limits: &FactsLimits) -> Self {
        let parsed: Vec<Result<Document, Diagnostic>> = files
            .par_iter()
            .map(|(path, text)| parse_document_with(path, text, limits))
            .collect();
        split(parsed)
    }

    /// Load every `.json` file under a directory, in parallel.
    pub fn load_dir(dir: &Path) -> Result<Self, crate::error::Error> {
        FactsSet::load_dir_with(dir, &FactsLimits::default())
    }

    /// [`FactsSet::load_dir`] with explicit limits.
    pub fn load_dir_with(dir: &Path, limits: &FactsLimits) -> Result<Self, crate::error::Error> {
        let paths = source::files_with_extension(dir, "json")?;
        let parsed: Vec<Result<Document, Diagnostic>> = paths
            .par_iter()
            .map(|p| {
                let rel = relative(dir, p);
                read_document(p, &rel, limits)
            })
            .collect();
        Ok(split(parsed))
    }

    /// All documents, sorted by path.
    pub fn documents(&self) -> &[Arc<Document>] {
        &self.docs
    }

    /// Documents of one kind, sorted by path.
    pub fn of_kind(&self, kind: &str) -> impl Iterator<Item = &Arc<Document>> + '_ {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .filter_map(|i| self.docs.get(*i))
    }

    /// Number of documents of a kind.
    pub fn count_of(&self, kind: &str) -> usize {
        self.by_kind.get(kind).map_or(0, Vec::len)
    }

    /// The kinds present, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &str> + '_ {
        self.by_kind.keys().map(String::as_str)
    }
}

fn split(parsed: Vec<Result<Document, Diagnostic>>) -> FactsSet {
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for p in parsed {
        match p {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(d),
        }
    }
    FactsSet::from_documents(docs, diags)
}

/// `dir/a/b.json` -> `a/b.json`, always with `/`.
pub(crate) fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a facts file's text, refusing files over the size cap and text that is not UTF-8.
pub(crate) fn read_text(
    path: &Path,
    rel: &str,
    limits: &FactsLimits,
) -> Result<String, Diagnostic> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::new(
            codes::XW0305,
            Location::line(rel, 0),
            format!("cannot read facts file: {e}"),
        )
    };
    let bytes = match source::read_capped(path, limits.max_file_bytes) {
        Ok(bytes) => bytes,
        Err(source::Capped::TooLarge(size)) => return Err(too_large(rel, size, limits)),
        Err(source::Capped::Io(e)) => return Err(unreadable(e)),
    };
    decode(rel, &bytes).map(str::to_string)
}

fn too_large(rel: &str, size: u64, limits: &FactsLimits) -> Diagnostic {
    Diagnostic::new(
        codes::XW0303,
        Location::line(rel, 0),
        format!(
            "facts file is {size} bytes, above the limit of {} (--max-facts-bytes)",
            limits.max_file_bytes
        ),
    )
}

/// Facts bytes as text: UTF-8 with an optional byte-order mark, else `XW0304`.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Diagnostic> {
    parse::decode(bytes).map_err(|e| {
        let message = match e.encoding {
            Some(enc) => format!("facts file is {enc}, not UTF-8 (save it as UTF-8)"),
            None => "facts file is not valid UTF-8 (save it as UTF-8)".to_string(),
        };
        Diagnostic::new(codes::XW0304, Location::at(path, e.line, e.column), message)
    })
}

/// Read and parse one facts file under the limits; `rel` is the path shown in evidence.
pub fn read_document(path: &Path, rel: &str, limits: &FactsLimits) -> Result<Document, Diagnostic> {
    let text = read_text(path, rel, limits)?;
    parse_document_with(rel, &text, limits)
}

/// Parse facts bytes (as read from a file) with the given limits.
pub fn parse_bytes(path: &str, bytes: &[u8], limits: &FactsLimits) -> Result<Document, Diagnostic> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(too_large(path, bytes.len() as u64, limits));
    }
    parse_document_with(path, decode(path, bytes)?, limits)
}

/// Parse one facts document from text; errors name file, line and column.
pub fn parse_document(path: &str, text: &str) -> Result<Document, Diagnostic> {
    parse_document_with(path, text, &FactsLimits::default())
}

/// Refuse text nested deeper than the limit (`XW0306`), before any parsing.
pub(crate) fn check_depth(path: &str, text: &str, limits: &FactsLimits) -> Result<(), Diagnostic> {
    let max = limits.max_depth.min(parse::PARSER_MAX_DEPTH);
    match parse::prescan(text, max) {
        Some((parse::Prescan::TooDeep, line, column)) => Err(Diagnostic::new(
            codes::XW0306,
            Location::at(path, line, column),
            format!("facts file nests arrays and objects deeper than {max} levels"),
        )),
        Some((parse::Prescan::OversizedInteger, line, column)) => Err(Diagnostic::new(
            codes::XW0308,
            Location::at(path, line, column),
            "an integer too large for 64 bits would silently become an approximate number; write it as a string",
        )),
        None => Ok(()),
    }
}

/// A serde_json error as a located diagnostic: `XW0307` for a duplicate key, else `XW0301`.
pub(crate) fn json_error(path: &str, text: &str, e: &serde_json::Error) -> Diagnostic {
    let mut message = strip_position(&e.to_string());
    if message.contains("hex escape") && (text.contains("\\ud") || text.contains("\\uD")) {
        message = format!(
            "a lone UTF-16 surrogate escape (\\uD800 to \\uDFFF without its pair) is not text ({message})"
        );
    }
    let at = Location::at(path, e.line() as u64, (e.column() as u64).max(1));
    if message.starts_with(parse::DUPLICATE_KEY) {
        return Diagnostic::new(
            codes::XW0307,
            at,
            format!("facts file has a {message}; each key may appear once per object"),
        );
    }
    Diagnostic::new(
        codes::XW0301,
        at,
        format!("facts file is not valid JSON: {message}"),
    )
}

/// [`parse_document`] with explicit limits.
pub fn parse_document_with(
    path: &str,
    text: &str,
    limits: &FactsLimits,
) -> Result<Document, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    check_depth(path, text, limits)?;
    let value: Value = parse::value(text).map_err(|e| json_error(path, text, &e))?;
    let Value::Object(map) = &value else {
        return Err(Diagnostic::new(
            codes::XW0302,
            Location::at(path, 1, 1),
            format!(
                "a facts document must be a JSON object with a `kind`, found {}",
                type_name(&value)
            ),
        ));
    };
    let kind = match map.get("kind") {
        Some(Value::String(k)) if valid_kind(k.trim()) => k.trim().to_string(),
        Some(Value::String(k)) if !k.trim().is_empty() => {
            return Err(Diagnostic::new(
                codes::XW0302,
                Location::at(path, 1, 1),
                format!("facts kind `{k}` must be lowercase letters, digits, `_` or `-` (for example \"access_review\")"),
            ))
        }
        _ => {
            return Err(Diagnostic::new(
                codes::XW0302,
                Location::at(path, 1, 1),
                "facts document has no `kind` string (for example \"kind\": \"accounts\")",
            ))
        }
    };
    let violations = match &limits.vocabulary {
        Some(vocabulary) => vocabulary.violations(path, text, &kind, &value),
        None => Vec::new(),
    };
    Ok(Document {
        path: Arc::from(path),
        collected_on: collected_on(&kind, &value),
        kind,
        value,
        violations,
    })
}

/// A kind as the vocabulary and the rules' `facts:` lines write it.
pub(crate) fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// serde_json appends " at line X column Y"; the location already says that.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(message).to_string(),
        None => message.to_string(),
    }
}

/// A JSON type name for messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = parse_document("a.json", "{\n  \"kind\": \"x\",\n}").unwrap_err();
        assert_eq!(err.code, codes::XW0301);
        assert_eq!((err.location.line, err.location.column), (3, 1));
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn documents_need_an_object_with_a_kind() {
        assert_eq!(
            parse_document("a.json", "[]").unwrap_err().code,
            codes::XW0302
        );
        assert_eq!(
            parse_document("a.json", "null").unwrap_err().code,
            codes::XW0302
        );
        assert_eq!(
            parse_document("a.json", "{\"items\":[]}").unwrap_err().code,
            codes::XW0302
        );
        let doc = parse_document("a.json", "\u{feff}{\"kind\":\"policy\"}").unwrap();
        assert_eq!(doc.kind, "policy");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = parse_document("deep.json", &text).unwrap_err();
        assert_eq!(err.code, codes::XW0306);
        assert_eq!((err.location.line, err.location.column), (1, 65));
        let limits = FactsLimits {
            max_depth: 1000,
            ..FactsLimits::default()
        };
        // The parser's own ceiling still holds when the configured limit is higher.
        let err = parse_document_with("deep.json", &text, &limits).unwrap_err();
        assert_eq!(err.code, codes::XW0306);
    }

    #[test]
    fn duplicate_keys_and_bad_encodings_have_their_own_codes() {
        let err = parse_document("d.json", "{\"kind\":\"x\",\n \"kind\":\"y\"}").unwrap_err();
        assert_eq!(err.code, codes::XW0307);
        assert_eq!(err.location.line, 2);
        let utf16: Vec<u8> = "{\"kind\":\"x\"}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let err = parse_bytes("u.json", &utf16, &FactsLimits::default()).unwrap_err();
        assert_eq!(err.code, codes::XW0304);
        assert!(err.message.contains("UTF-16"), "{}", err.message);
        let err = parse_bytes("e.json", b"", &FactsLimits::default()).unwrap_err();
        assert_eq!(
            (err.code, err.location.line, err.location.column),
            (codes::XW0301, 1, 1)
        );
    }

    #[test]
    fn sets_sort_by_path_and_group_by_kind() {
        let set = FactsSet::from_texts(&[
            ("b.json".into(), "{\"kind\":\"policy\"}".into()),
            ("a.json".into(), "{\"kind\":\"policy\"}".into()),
            ("c.json".into(), "{".into()),
        ]);
        let paths: Vec<&str> = set.of_kind("policy").map(|d| &*d.path).collect();
        assert_eq!(paths, vec!["a.json", "b.json"]);
        assert_eq!(set.diagnostics.len(), 1);
    }
}
