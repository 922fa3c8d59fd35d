//! Diagnostics as data: a code, a severity, a message and where it points.
//!
//! Every loader and checker in xwalk reports problems as [`Diagnostic`] values;
//! the CLI decides how to render them (human text or JSON).

pub mod codes;

pub use codes::Code;

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input cannot be used as written.
    Error,
    /// The input works but is probably not what the author meant.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A place in an input file: path as given, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Location {
    /// File path as the user gave it (or `<builtin>/name` for embedded data).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: u64,
    /// 1-based column, 0 when unknown.
    pub column: u64,
}

impl Location {
    /// A location at a line of a file, column unknown.
    pub fn line(file: impl Into<String>, line: u64) -> Self {
        Location {
            file: file.into(),
            line,
            column: 0,
        }
    }

    /// A location at a line and column of a file.
    pub fn at(file: impl Into<String>, line: u64, column: u64) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{}", self.file, l),
            (l, c) => write!(f, "{}:{}:{}", self.file, l, c),
        }
    }
}

/// One finding about an input: stable code, severity, message, location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `XW0301`; documented in `docs/diagnostics.md`.
    pub code: &'static Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// Where it is.
    pub location: Location,
    /// The rule or requirement the diagnostic is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: &'static Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity,
            message: message.into(),
            location,
            subject: None,
        }
    }

    /// Attach the rule or requirement id this diagnostic is about.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location, self.severity, self.code, self.message
        )?;
        if let Some(subject) = &self.subject {
            write!(f, " ({subject})")?;
        }
        Ok(())
    }
}

/// Sort diagnostics by file, line, column, code so output is stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.location, a.code, &a.message).cmp(&(&b.location, b.code, &b.message)));
}

/// `1 opportunity for improvement`, `2 opportunities for improvement`: a count with a
/// noun whose plural is not the singular with `s`.
pub fn counted_as(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `1 rule`, `2 rules`: a count with its noun in the right number (nouns that take `s`),
/// for every message a person reads.
pub fn counted(n: usize, noun: &str) -> String {
    counted_as(n, noun, &format!("{noun}s"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_subject() {
        let d = Diagnostic::new(codes::XW0020, Location::at("a.csv", 3, 7), "bad")
            .with_subject("iso27001-2022:A.5.1");
        assert_eq!(
            d.to_string(),
            "a.csv:3:7: error[XW0020]: bad (iso27001-2022:A.5.1)"
        );
        let w = Diagnostic::new(codes::XW0005, Location::line("b.csv", 2), "meh");
        assert_eq!(w.to_string(), "b.csv:2: warning[XW0005]: meh");
    }
}
