//! Facts: JSON documents describing the organisation, one document per file.
//!
//! Every document is an object with a `kind` (accounts, policy, soa ...) and
//! whatever fields that kind has, usually an `items` array. A piece of evidence
//! is a file path plus a JSON pointer into it: `accounts/okta.json#/items/3`.

pub mod corpus;
pub mod schema;

pub use corpus::Corpus;

use crate::diag::{self, Diagnostic, Location};
use crate::source;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Largest facts file read; larger files are refused with `XW0303`.
pub const MAX_FACTS_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// One facts document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Path relative to the facts directory, with `/` separators.
    pub path: String,
    /// The document's `kind`.
    pub kind: String,
    /// The parsed JSON object.
    pub value: Value,
    /// The path, shared by every result row about this document.
    pub shared_path: Arc<str>,
}

impl Document {
    /// An evidence reference to a place inside this document.
    pub fn evidence(&self, pointer: &str) -> String {
        format!("{}#{}", self.path, pointer)
    }
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
    pub fn from_documents(mut docs: Vec<Document>, diagnostics: Vec<Diagnostic>) -> Self {
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
            set.docs.push(Arc::new(doc));
        }
        diag::sort(&mut set.diagnostics);
        set
    }

    /// Parse in-memory files `(relative path, text)`.
    pub fn from_texts(files: &[(String, String)]) -> Self {
        let parsed: Vec<Result<Document, Diagnostic>> = files
            .par_iter()
            .map(|(path, text)| parse_document(path, text))
            .collect();
        split(parsed)
    }

    /// Load every `.json` file under a directory, in parallel.
    pub fn load_dir(dir: &Path) -> Result<Self, crate::Error> {
        let paths = source::files_with_extension(dir, "json")?;
        let parsed: Vec<Result<Document, Diagnostic>> = paths
            .par_iter()
            .map(|p| {
                let rel = relative(dir, p);
                read_document(p, &rel)
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
            .map(|i| &self.docs[*i])
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

pub(crate) fn read_document(path: &Path, rel: &str) -> Result<Document, Diagnostic> {
    match source::SourceFile::read(path, MAX_FACTS_FILE_BYTES) {
        Ok(file) => parse_document(rel, &file.text),
        Err(crate::Error::TooLarge { size, limit, .. }) => Err(Diagnostic::error(
            "XW0303",
            Location::line(rel, 0),
            format!("facts file is {size} bytes, above the limit of {limit}"),
        )),
        Err(crate::Error::NotUtf8 { line, column, .. }) => Err(Diagnostic::error(
            "XW0304",
            Location::at(rel, line, column),
            "facts file is not valid UTF-8 (save it as UTF-8)",
        )),
        Err(e) => Err(Diagnostic::error(
            "XW0305",
            Location::line(rel, 0),
            format!("cannot read facts file: {e}"),
        )),
    }
}

/// Parse one facts document from text; errors name file, line and column.
pub fn parse_document(path: &str, text: &str) -> Result<Document, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::error(
            "XW0301",
            Location::at(path, e.line() as u64, e.column() as u64),
            format!(
                "facts file is not valid JSON: {}",
                strip_position(&e.to_string())
            ),
        )
    })?;
    let Value::Object(map) = &value else {
        return Err(Diagnostic::error(
            "XW0302",
            Location::at(path, 1, 1),
            format!(
                "a facts document must be a JSON object with a `kind`, found {}",
                type_name(&value)
            ),
        ));
    };
    let kind = match map.get("kind") {
        Some(Value::String(k)) if !k.trim().is_empty() => k.trim().to_string(),
        _ => {
            return Err(Diagnostic::error(
                "XW0302",
                Location::at(path, 1, 1),
                "facts document has no `kind` string (for example \"kind\": \"accounts\")",
            ))
        }
    };
    Ok(Document {
        path: path.to_string(),
        kind,
        value,
        shared_path: Arc::from(path),
    })
}

/// serde_json appends " at line X column Y"; the location already says that.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
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
        assert_eq!(err.code, "XW0301");
        assert_eq!((err.location.line, err.location.column), (3, 1));
        assert!(!err.message.contains(" at line "));
    }

    #[test]
    fn documents_need_an_object_with_a_kind() {
        assert_eq!(parse_document("a.json", "[]").unwrap_err().code, "XW0302");
        assert_eq!(parse_document("a.json", "null").unwrap_err().code, "XW0302");
        assert_eq!(
            parse_document("a.json", "{\"items\":[]}").unwrap_err().code,
            "XW0302"
        );
        let doc = parse_document("a.json", "\u{feff}{\"kind\":\"policy\"}").unwrap();
        assert_eq!(doc.kind, "policy");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            parse_document("deep.json", &text).unwrap_err().code,
            "XW0301"
        );
    }

    #[test]
    fn sets_sort_by_path_and_group_by_kind() {
        let set = FactsSet::from_texts(&[
            ("b.json".into(), "{\"kind\":\"policy\"}".into()),
            ("a.json".into(), "{\"kind\":\"policy\"}".into()),
            ("c.json".into(), "{".into()),
        ]);
        let paths: Vec<&str> = set.of_kind("policy").map(|d| d.path.as_str()).collect();
        assert_eq!(paths, vec!["a.json", "b.json"]);
        assert_eq!(set.diagnostics.len(), 1);
    }
}
