//! What the identity-provider importers (Okta, Microsoft Entra ID, Google Workspace) have
//! in common: an export saved as several files (one per page of a paginated API), lists
//! a flag names (one login per line), and the `accounts` document they all write.

use super::json::Export;
use super::{file_name, invalid, render, sha256, Imported, Input, Options, Provenance};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// One account, with the fields of the `accounts` vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The login name.
    pub user: String,
    /// The email address on the account, when the export holds one.
    pub email: Option<String>,
    /// The HR id of its owner, when the export holds one.
    pub person_id: Option<String>,
    /// True for a service account, false for a person's.
    pub service: bool,
    /// True when the account cannot sign in.
    pub disabled: bool,
    /// When it was disabled, when the export says.
    pub disabled_on: Option<Date>,
    /// True when MFA is enrolled.
    pub mfa: bool,
    /// True for administrator or other privileged access.
    pub privileged: bool,
    /// The last sign-in; `None` when there was none.
    pub last_login: Option<Date>,
    /// When the account was created.
    pub created_on: Date,
}

impl Account {
    /// The account as an item of the `accounts` vocabulary.
    pub fn to_json(&self) -> Value {
        json!({
            "user": self.user,
            "email": self.email,
            "person_id": self.person_id,
            "type": if self.service { "service" } else { "human" },
            "status": if self.disabled { "disabled" } else { "active" },
            "disabled_on": self.disabled_on.map(|d| d.to_string()),
            "mfa": self.mfa,
            "privileged": self.privileged,
            "last_login": self.last_login.map(|d| d.to_string()),
            "created_on": self.created_on.to_string(),
        })
    }
}

/// The index a lookup gives for a user the export lists but that could not be read: that
/// user's problems are already reported, so a list naming it is not one more.
pub const UNREADABLE: usize = usize::MAX;

/// The text values of an item's fields (`id`, `profile/login`), lower-cased: how the lists
/// of other files may name a user whose entry could not be read.
pub fn names_of(item: &Value, fields: &[&str]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|f| item.pointer(&format!("/{f}")).and_then(Value::as_str))
        .map(|s| s.trim().to_lowercase())
        .collect()
}

/// A problem at a place in an input.
pub fn problem(at: Location, why: impl Into<String>) -> Diagnostic {
    Diagnostic::new(codes::XW0701, at, why)
}

/// The first line and column of a file, for a problem about the file as a whole.
pub fn start(file: &SourceFile) -> Location {
    Location::at(&file.path, 1, 1)
}

/// Parse each file of an export. An empty file or one that is not JSON is a problem
/// collected with the others, so every bad page is reported in one run.
pub fn parse_all<'a>(
    files: &'a [SourceFile],
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Vec<Export<'a>>, Error> {
    let mut out = Vec::new();
    for file in files {
        match Export::parse(file, what) {
            Ok(export) => out.push(export),
            Err(Error::Invalid { diagnostics, .. }) => diags.extend(diagnostics),
            Err(other) => return Err(other),
        }
    }
    Ok(out)
}

/// Move the problems every export found into `diags`.
pub fn drain(exports: &mut [Export], diags: &mut Vec<Diagnostic>) {
    for export in exports {
        diags.append(&mut export.diags);
    }
}

/// The message of an API error saved in place of a response: Okta's
/// `{"errorCode", "errorSummary"}` or the `{"error": {"code", "message"}}` of Microsoft
/// Graph and Google APIs.
pub fn api_error(value: &Value) -> Option<String> {
    if let Some(code) = value.get("errorCode").and_then(Value::as_str) {
        let summary = value
            .get("errorSummary")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Some(format!("{code}: {summary}"));
    }
    let error = value.get("error")?;
    let code = match error.get("code") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return None,
    };
    let message = error
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Some(format!("{code}: {message}"))
}

/// Refuse a file that holds an API error instead of a response (a missing permission or
/// licence, an expired token): it would otherwise read as a page with no users.
pub fn refuse_api_error(export: &mut Export, what: &str) -> bool {
    let Some(message) = api_error(&export.value) else {
        return false;
    };
    export.problem(
        "",
        format!("this is an error the API returned, not {what}: {message}"),
    );
    true
}

/// A paginated export must include its last page, the one that links to no next page:
/// when every page given links to a next one (`next`, a JSON pointer such as
/// `/@odata.nextLink`), at least one page is missing, and the accounts on it would be
/// missing from the evidence.
pub fn last_page_given(exports: &mut [Export], next: &str, how: &str) {
    let links = |e: &Export| e.value.pointer(next).is_some_and(|v| !v.is_null());
    if exports.is_empty() || !exports.iter().all(links) {
        return;
    }
    let key = next.trim_start_matches('/');
    if let Some(last) = exports.last_mut() {
        last.problem(
            next,
            format!("this page links to a next one (`{key}`), and none of the files given is the last page: {how}"),
        );
    }
}

/// A name in a list file and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The name (a login or a user id), trimmed.
    pub name: String,
    /// Its line and column.
    pub at: Location,
}

/// The names of a list file: one per line. Blank lines are ignored, and so is a `#` at
/// the start of a line or after a space, with the rest of its line; a `#` inside a name
/// stays (a guest's user principal name in Entra ID holds `#EXT#`).
pub fn lines(file: &SourceFile) -> Vec<Listed> {
    let mut out = Vec::new();
    for (i, line) in file.text.lines().enumerate() {
        let comment = line
            .char_indices()
            .find(|&(at, c)| {
                c == '#'
                    && line.get(..at).is_none_or(|before| {
                        before.is_empty() || before.ends_with(char::is_whitespace)
                    })
            })
            .map_or(line.len(), |(at, _)| at);
        let content = line.get(..comment).unwrap_or(line);
        let name = content.trim();
        if name.is_empty() {
            continue;
        }
        let column = content.chars().take_while(|c| c.is_whitespace()).count() + 1;
        out.push(Listed {
            name: name.to_string(),
            at: Location::at(&file.path, i as u64 + 1, column as u64),
        });
    }
    out
}

/// The accounts a list names, by index, found by `find` (by login, id or address); a
/// name no account has is a problem at its line, with `unknown` saying why it matters.
pub fn resolve(
    listed: &[Listed],
    find: &impl Fn(&str) -> Option<usize>,
    unknown: impl Fn(&str) -> String,
    diags: &mut Vec<Diagnostic>,
) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for entry in listed {
        match find(&entry.name) {
            Some(i) => {
                out.insert(i);
            }
            None => diags.push(problem(entry.at.clone(), unknown(&entry.name))),
        }
    }
    out
}

/// True when the file holds JSON rather than a list of names.
pub fn is_json(file: &SourceFile) -> bool {
    matches!(file.text.trim_start().chars().next(), Some('{' | '['))
}

/// Where the accounts document says it came from.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    /// The importer's name on the command line.
    pub importer: &'a str,
    /// The system the export comes from (`Okta`).
    pub source_system: &'a str,
    /// The document's `source`.
    pub source: &'a str,
    /// The document's `system` unless `--system` names another.
    pub system: &'a str,
    /// Where the document goes under the facts directory.
    pub output: &'a str,
}

/// What an importer read, ready to be written as a document.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// Every account, in any order.
    pub accounts: Vec<Account>,
    /// Every file read, in the order read.
    pub inputs: Vec<Input>,
    /// Users read from the export.
    pub rows_read: usize,
    /// The document's `mfa_required`, when known.
    pub mfa_required: Option<bool>,
    /// What the provenance should say about facts the export lacks.
    pub notes: Vec<String>,
}

/// Why `collected_on` is missing, or where it came from.
pub fn collected_on_from(options: &Options) -> String {
    if options.collected_on.is_some() {
        "--collected-on".into()
    } else {
        "not stated: an API response does not record when it was fetched; pass --collected-on"
            .into()
    }
}

/// The accounts document: items sorted by user, provenance naming the first users file
/// and, when there was more than one file, every file read.
pub fn document(source: &Source, first: &SourceFile, draft: Draft, options: &Options) -> Imported {
    let mut accounts = draft.accounts;
    accounts.sort_by(|a, b| a.user.cmp(&b.user));
    let provenance = Provenance {
        importer: source.importer.to_string(),
        version: super::IMPORTER_VERSION.to_string(),
        source_system: source.source_system.to_string(),
        file: file_name(&first.path),
        sha256: sha256(first.text.as_bytes()),
        inputs: if draft.inputs.len() > 1 {
            draft.inputs
        } else {
            Vec::new()
        },
        rows_read: draft.rows_read,
        rows_skipped: Vec::new(),
        collected_on_from: collected_on_from(options),
        notes: draft.notes,
        ..Provenance::default()
    };
    let mut doc = json!({
        "kind": "accounts",
        "source": source.source,
        "system": options.system.clone().unwrap_or_else(|| source.system.to_string()),
        "provenance": provenance,
        "items": accounts.iter().map(Account::to_json).collect::<Vec<_>>(),
    });
    if let Some(d) = options.collected_on {
        doc["collected_on"] = json!(d.to_string());
    }
    if let Some(m) = draft.mfa_required {
        doc["mfa_required"] = json!(m);
    }
    Imported {
        files: vec![(source.output.to_string(), render(&doc))],
    }
}

/// Stop with every problem found, sorted, or go on.
pub fn finish(files: &[SourceFile], mut diags: Vec<Diagnostic>) -> Result<(), Error> {
    if diags.is_empty() {
        return Ok(());
    }
    crate::diag::sort(&mut diags);
    diags.dedup();
    let what = files
        .iter()
        .map(|f| f.path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Err(invalid(&what, diags))
}

/// `n` things, as `1 user` or `3 users`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Names joined for a message, at most `max` of them, then `and N more`.
pub fn some(names: &[String], max: usize) -> String {
    let shown = names
        .iter()
        .take(max)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        format!("{shown} and {} more", names.len() - max)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_files_skip_comments_and_blank_lines_and_keep_positions() {
        let file = SourceFile::new(
            "admins.txt",
            "# admins\n\n  ana@x.example  # lead\nbo\nkai_n.example#EXT#@t.example\n",
        );
        let names = lines(&file);
        assert_eq!(names.len(), 3);
        assert_eq!(names[2].name, "kai_n.example#EXT#@t.example");
        assert_eq!(names[0].name, "ana@x.example");
        assert_eq!(names[0].at, Location::at("admins.txt", 3, 3));
        assert_eq!(names[1].at, Location::at("admins.txt", 4, 1));
    }

    #[test]
    fn api_errors_of_okta_graph_and_google_are_recognised() {
        let okta = json!({"errorCode": "E0000006", "errorSummary": "You do not have permission"});
        assert_eq!(
            api_error(&okta).as_deref(),
            Some("E0000006: You do not have permission")
        );
        let graph = json!({"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}});
        assert!(api_error(&graph)
            .unwrap()
            .starts_with("Authorization_RequestDenied"));
        let google = json!({"error": {"code": 403, "message": "Not Authorized"}});
        assert_eq!(api_error(&google).as_deref(), Some("403: Not Authorized"));
        assert_eq!(api_error(&json!({"value": []})), None);
        assert_eq!(api_error(&json!([])), None);
    }

    #[test]
    fn a_missing_last_page_is_a_problem_at_the_link() {
        let a = SourceFile::new("p1.json", "{\"value\": [], \"@odata.nextLink\": \"x\"}");
        let b = SourceFile::new("p2.json", "{\"value\": [], \"@odata.nextLink\": \"y\"}");
        let c = SourceFile::new("p3.json", "{\"value\": []}");
        let mut diags = Vec::new();
        let files = [a.clone(), b.clone()];
        let mut exports = parse_all(&files, "users", &mut diags).unwrap();
        last_page_given(&mut exports, "/@odata.nextLink", "save every page");
        drain(&mut exports, &mut diags);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location, Location::at("p2.json", 1, 34));
        let files = [a, b, c];
        let mut exports = parse_all(&files, "users", &mut diags).unwrap();
        last_page_given(&mut exports, "/@odata.nextLink", "save every page");
        assert!(exports.iter().all(|e| e.diags.is_empty()));
    }

    #[test]
    fn empty_and_broken_pages_are_all_reported() {
        let files = [
            SourceFile::new("a.json", ""),
            SourceFile::new("b.json", "{\"value\": [}"),
            SourceFile::new("c.json", "[]"),
        ];
        let mut diags = Vec::new();
        let exports = parse_all(&files, "the users list", &mut diags).unwrap();
        assert_eq!(exports.len(), 1);
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("the users list is empty"));
        assert!(diags[1].message.contains("is not JSON"));
    }
}
