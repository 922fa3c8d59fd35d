//! Reading a JSON export (an API response saved to a file) field by field, with every
//! problem reported at its line and column in the export, all of them at once.

use super::invalid;
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::Value;

/// A parsed JSON export and the problems found while reading it.
pub struct Export<'a> {
    /// The file as read.
    pub file: &'a SourceFile,
    /// The parsed text.
    pub value: Value,
    /// Problems found so far.
    pub diags: Vec<Diagnostic>,
}

impl<'a> Export<'a> {
    /// Parse an export; `what` names it in messages (`the Okta users export`). An empty
    /// file or text that is not JSON is an error at its line and column.
    pub fn parse(file: &'a SourceFile, what: &str) -> Result<Export<'a>, Error> {
        let fail = |line: u64, column: u64, why: String| {
            invalid(
                &file.path,
                vec![Diagnostic::new(
                    codes::XW0701,
                    Location::at(&file.path, line, column),
                    why,
                )],
            )
        };
        if file.text.trim().is_empty() {
            return Err(fail(1, 1, format!("{what} is empty")));
        }
        let value = crate::facts::parse::value(&file.text).map_err(|e| {
            fail(
                e.line() as u64,
                e.column().max(1) as u64,
                format!("{what} is not JSON: {e}"),
            )
        })?;
        Ok(Export {
            file,
            value,
            diags: Vec::new(),
        })
    }

    /// Where a JSON pointer's value starts in the export; for a value the export does not
    /// have (a missing `value` list), where the nearest enclosing value starts.
    pub fn at(&self, pointer: &str) -> Location {
        let mut pointer = pointer;
        loop {
            if let Some((line, column)) = crate::facts::parse::locate(&self.file.text, pointer) {
                return Location::at(&self.file.path, line, column);
            }
            match pointer.rfind('/') {
                Some(cut) => pointer = pointer.get(..cut).unwrap_or_default(),
                None => return Location::at(&self.file.path, 1, 1),
            }
        }
    }

    /// Record a problem at a pointer.
    pub fn problem(&mut self, pointer: &str, why: impl Into<String>) {
        let at = self.at(pointer);
        self.diags.push(Diagnostic::new(codes::XW0701, at, why));
    }

    /// The array at `pointer` (`""` for the whole export); a problem when it is not one.
    pub fn array(&mut self, pointer: &str, what: &str) -> Vec<Value> {
        match self.value.pointer(pointer).and_then(Value::as_array) {
            Some(items) => items.clone(),
            None => {
                self.problem(pointer, format!("{what}: expected a JSON array here"));
                Vec::new()
            }
        }
    }

    /// A field of an item, by a relative pointer (`profile/email`): `None` when absent
    /// or null.
    pub fn field<'v>(item: &'v Value, path: &str) -> Option<&'v Value> {
        item.pointer(&format!("/{path}")).filter(|v| !v.is_null())
    }

    /// A required string field; a problem (at the item) when absent, null or not text.
    pub fn string(&mut self, item: &Value, base: &str, path: &str, who: &str) -> Option<String> {
        match Export::field(item, path) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(other) => {
                self.problem(
                    &format!("{base}/{path}"),
                    format!("{path} of {who} is {other}, not text"),
                );
                None
            }
            None => {
                self.problem(base, format!("{who} has no {path}"));
                None
            }
        }
    }

    /// An optional string field: `None` when absent, null or blank; a problem when not text.
    pub fn opt_string(
        &mut self,
        item: &Value,
        base: &str,
        path: &str,
        who: &str,
    ) -> Option<String> {
        match Export::field(item, path) {
            Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            Some(other) => {
                self.problem(
                    &format!("{base}/{path}"),
                    format!("{path} of {who} is {other}, not text"),
                );
                None
            }
            None => None,
        }
    }

    /// A required boolean field; a problem when absent or not `true`/`false` (a guessed
    /// `false` would be a fact no one checked).
    pub fn boolean(&mut self, item: &Value, base: &str, path: &str, who: &str) -> Option<bool> {
        match Export::field(item, path) {
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => {
                self.problem(
                    &format!("{base}/{path}"),
                    format!("{path} of {who} is {other}, not true or false"),
                );
                None
            }
            None => {
                self.problem(base, format!("{who} has no {path}"));
                None
            }
        }
    }

    /// A timestamp field (ISO 8601 / RFC 3339, only the date is kept): `None` when absent
    /// or null (never happened), or when it is not a timestamp, which is recorded as a
    /// problem (so [`Export::finish`] stops the import).
    pub fn time(&mut self, item: &Value, base: &str, path: &str, who: &str) -> Option<Date> {
        match Export::field(item, path) {
            None => None,
            Some(Value::String(s)) => match crate::dates::parse_date(s) {
                Some(d) => Some(d),
                None => {
                    self.problem(
                        &format!("{base}/{path}"),
                        format!("{path} of {who} is `{s}`, not an ISO 8601 time such as 2026-06-30T09:15:00Z"),
                    );
                    None
                }
            },
            Some(other) => {
                self.problem(
                    &format!("{base}/{path}"),
                    format!("{path} of {who} is {other}, not an ISO 8601 time"),
                );
                None
            }
        }
    }

    /// A timestamp the export always holds (a creation time): a problem when absent or
    /// null, as [`Export::time`] otherwise.
    pub fn required_time(
        &mut self,
        item: &Value,
        base: &str,
        path: &str,
        who: &str,
    ) -> Option<Date> {
        if Export::field(item, path).is_none() {
            self.problem(base, format!("{who} has no {path}"));
            return None;
        }
        self.time(item, base, path, who)
    }

    /// Stop with every problem found, or go on.
    pub fn finish(&mut self) -> Result<(), Error> {
        if self.diags.is_empty() {
            Ok(())
        } else {
            crate::diag::sort(&mut self.diags);
            Err(invalid(&self.file.path, std::mem::take(&mut self.diags)))
        }
    }
}
