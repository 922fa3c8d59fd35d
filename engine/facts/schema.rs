//! JSON Schema of the standard facts vocabulary, and `xwalk facts check`.
//!
//! One schema per kind lives in `engine/facts/vocabulary/<kind>.schema.json` and is
//! compiled into the binary. Documents of kinds without a schema are allowed
//! (custom rules may read them) and only counted.

use super::{parse, FactsSet};
use crate::dates::parse_date;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use jiff::civil::Date;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::collections::BTreeMap;

/// The format the vocabulary gives to dates that record something that happened.
pub const OBSERVED_DATE: &str = "xwalk-observed-date";
/// The format of planned dates: a real calendar date, which may lie ahead.
pub const DATE: &str = "xwalk-date";

static SCHEMAS: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/engine/facts/vocabulary");

/// Compiled validators of the standard kinds.
pub struct SchemaSet {
    validators: BTreeMap<String, jsonschema::Validator>,
    as_of: Date,
}

impl std::fmt::Debug for SchemaSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.validators.keys()).finish()
    }
}

/// The outcome of checking a facts set.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Documents validated against a schema.
    pub checked: usize,
    /// Documents of kinds without a schema (custom kinds).
    pub custom: Vec<String>,
    /// One diagnostic per schema violation, plus the files that did not parse.
    pub diagnostics: Vec<Diagnostic>,
}

impl SchemaSet {
    /// The built-in schemas, checking observed dates against today.
    pub fn builtin() -> Result<SchemaSet, crate::error::Error> {
        SchemaSet::builtin_at(jiff::Zoned::now().date())
    }

    /// The built-in schemas (`<kind>.schema.json`), compiled; a date that records
    /// something that happened (format `xwalk-observed-date`) must not lie after `as_of`.
    pub fn builtin_at(as_of: Date) -> Result<SchemaSet, crate::error::Error> {
        let mut validators = BTreeMap::new();
        for file in SCHEMAS.files() {
            let name = file.path().to_string_lossy();
            let Some(kind) = name.strip_suffix(".schema.json") else {
                continue;
            };
            let bad =
                |why: String| crate::error::Error::Usage(format!("built-in schema {name}: {why}"));
            let value: serde_json::Value =
                serde_json::from_slice(file.contents()).map_err(|e| bad(e.to_string()))?;
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .with_format(OBSERVED_DATE, move |s: &str| {
                    parse_date(s).is_some_and(|d| d <= as_of)
                })
                .with_format(DATE, |s: &str| parse_date(s).is_some())
                .build(&value)
                .map_err(|e| bad(e.to_string()))?;
            validators.insert(kind.to_string(), validator);
        }
        Ok(SchemaSet { validators, as_of })
    }

    /// Kinds with a schema, sorted.
    pub fn kinds(&self) -> impl Iterator<Item = &str> + '_ {
        self.validators.keys().map(String::as_str)
    }

    /// The JSON Schema of a built-in kind, as written in `<kind>.schema.json`.
    pub fn builtin_schema(kind: &str) -> Option<Value> {
        let file = SCHEMAS.get_file(format!("{kind}.schema.json"))?;
        serde_json::from_slice(file.contents()).ok()
    }

    /// The kinds of the built-in vocabulary, sorted, without compiling any schema.
    pub fn builtin_kinds() -> Vec<String> {
        let mut kinds: Vec<String> = SCHEMAS
            .files()
            .filter_map(|f| {
                f.path()
                    .to_string_lossy()
                    .strip_suffix(".schema.json")
                    .map(str::to_string)
            })
            .collect();
        kinds.sort();
        kinds
    }

    /// The violations of one document of `kind`, each located in `text` (the file it was
    /// parsed from) by line and column and naming the field. A kind without a schema
    /// (a custom kind) has none.
    pub fn violations(&self, path: &str, text: &str, kind: &str, value: &Value) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = self
            .problems(kind, value)
            .into_iter()
            .map(|(pointer, message)| {
                let (line, column) = parse::locate(text, &pointer).unwrap_or((1, 1));
                let field = if pointer.is_empty() {
                    "/"
                } else {
                    pointer.as_str()
                };
                Diagnostic::new(
                    codes::XW0310,
                    Location::at(path, line, column),
                    format!("{kind} field {field}: {message}"),
                )
            })
            .collect();
        crate::diag::sort(&mut out);
        out
    }

    /// The violations of one document of `kind` as `(JSON pointer, message)`, for callers
    /// that locate them in their own input (an importer points at the cell a value came
    /// from). A kind without a schema has none.
    pub fn problems(&self, kind: &str, value: &Value) -> Vec<(String, String)> {
        let Some(validator) = self.validators.get(kind) else {
            return Vec::new();
        };
        validator
            .iter_errors(value)
            .map(|error| {
                let pointer = error.instance_path.as_str().to_string();
                let message = match &error.kind {
                    ValidationErrorKind::Format { format } if format == DATE => {
                        format!("{} is not a calendar date (YYYY-MM-DD)", error.instance)
                    }
                    ValidationErrorKind::Format { format } if format == OBSERVED_DATE => {
                        match error.instance.as_str().and_then(parse_date) {
                            Some(_) => format!(
                                "{} is after the evaluation date {}: evidence cannot come from the future",
                                error.instance, self.as_of
                            ),
                            None => format!("{} is not a calendar date", error.instance),
                        }
                    }
                    _ => error.to_string(),
                };
                (pointer, message)
            })
            .collect()
    }

    /// Validate every document; errors name the file and the JSON pointer.
    pub fn check(&self, facts: &FactsSet) -> CheckReport {
        let mut report = CheckReport {
            diagnostics: facts.diagnostics.clone(),
            ..CheckReport::default()
        };
        for doc in facts.documents() {
            let Some(validator) = self.validators.get(&doc.kind) else {
                report.custom.push(doc.path.to_string());
                continue;
            };
            report.checked += 1;
            for error in validator.iter_errors(&doc.value) {
                let pointer = error.instance_path.as_str().to_string();
                let at = if pointer.is_empty() {
                    "/".to_string()
                } else {
                    pointer
                };
                report.diagnostics.push(Diagnostic::new(
                    codes::XW0310,
                    Location::line(&*doc.path, 0),
                    format!("at {at}: {error}"),
                ));
            }
        }
        crate::diag::sort(&mut report.diagnostics);
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schemas_compile() {
        let set = SchemaSet::builtin().unwrap();
        assert!(set.kinds().count() > 0 || SCHEMAS.files().count() == 0);
    }
}
