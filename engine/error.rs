//! Errors that stop an operation: unreadable files, bad arguments, unknown ids.

/// An error that stops the requested operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A file is larger than the configured cap.
    #[error("{path}: file is {size} bytes, above the limit of {limit} bytes")]
    TooLarge {
        /// The path involved.
        path: String,
        /// Its size.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// A file is not valid UTF-8.
    #[error("{path}:{line}:{column}: file is not valid UTF-8")]
    NotUtf8 {
        /// The path involved.
        path: String,
        /// 1-based line of the first invalid byte.
        line: u64,
        /// 1-based column of the first invalid byte.
        column: u64,
    },
    /// A `FW:ID` reference could not be parsed.
    #[error("`{0}` is not a requirement reference; write FRAMEWORK:ID, e.g. iso27001-2022:A.5.15")]
    BadReference(String),
    /// A framework id is not in the loaded catalogs.
    #[error("unknown framework `{id}`{}", did_you_mean(.suggestion))]
    UnknownFramework {
        /// The id given.
        id: String,
        /// The closest known id.
        suggestion: Option<String>,
    },
    /// A requirement id is not in its framework's catalog.
    #[error("unknown requirement `{id}` in {framework}{}", did_you_mean(.suggestion))]
    UnknownRequirement {
        /// Framework id.
        framework: String,
        /// Requirement id.
        id: String,
        /// The closest known id.
        suggestion: Option<String>,
    },
    /// Input data had errors; the diagnostics (warnings included) say which.
    #[error("{} in {what}", crate::diag::counted(.diagnostics.iter().filter(|d| d.is_error()).count(), "error"))]
    Invalid {
        /// What was being loaded.
        what: String,
        /// Every diagnostic of that input, in report order.
        diagnostics: Vec<crate::diag::Diagnostic>,
    },
    /// Anything else a user must fix, with a message naming the input.
    #[error("{0}")]
    Usage(String),
}

fn did_you_mean(s: &Option<String>) -> String {
    match s {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None => String::new(),
    }
}

impl Error {
    /// An I/O error on a path.
    pub fn io(path: &str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            source,
        }
    }
}
