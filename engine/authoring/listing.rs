//! `xwalk rules list` and `xwalk rules export`: what a rule set holds, and the built-in
//! library written out as files a team can start from.

use crate::error::Error;
use crate::rules::RuleSet;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One rule of a set, as `xwalk rules list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleEntry {
    /// Rule id.
    pub id: String,
    /// Severity of a failure (`major`, `minor`, `ofi`); `None` for a rule that did not load.
    pub severity: Option<String>,
    /// Title, or why it did not load.
    pub title: String,
    /// Test procedures it claims to test in full (`FW:REQ/procedure`).
    pub tests: Vec<String>,
    /// Requirements it only tags (partial support).
    pub requirements: Vec<String>,
    /// Facts kinds it reads, the primary one first.
    pub facts: Vec<String>,
    /// Its parameters with their default and range: `review_days = 90 (1..92)`.
    pub params: Vec<String>,
    /// Where it comes from: `built-in` or its rules directory.
    pub origin: String,
    /// Its file, relative to its origin.
    pub path: String,
    /// False for a rule that did not load.
    pub loaded: bool,
}

/// Every rule of a set, usable and broken, sorted by id.
pub fn list(set: &RuleSet) -> Vec<RuleEntry> {
    let mut out: Vec<RuleEntry> = set
        .rules
        .iter()
        .map(|r| RuleEntry {
            id: r.meta.id.to_string(),
            severity: Some(r.meta.severity.to_string()),
            title: r.meta.title.clone(),
            tests: r.meta.procedures.iter().map(|p| p.to_string()).collect(),
            requirements: r.meta.requirements.iter().map(|q| q.to_string()).collect(),
            facts: r.meta.readable_kinds().map(str::to_string).collect(),
            params: r
                .meta
                .params
                .iter()
                .map(|d| match d.range {
                    Some((low, high)) => format!("{} = {} ({low}..{high})", d.name, d.default),
                    None => format!("{} = {}", d.name, d.default),
                })
                .collect(),
            origin: r.origin.to_string(),
            path: display_path(&r.path),
            loaded: true,
        })
        .chain(set.broken.iter().map(|b| RuleEntry {
            id: b.id.to_string(),
            severity: None,
            title: b.reason.clone(),
            tests: Vec::new(),
            requirements: Vec::new(),
            facts: Vec::new(),
            params: Vec::new(),
            origin: b.origin.to_string(),
            path: display_path(&b.path),
            loaded: false,
        }))
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
    out
}

/// A built-in file's path as it is written out: `<builtin>/rules/access/x.rhai` ->
/// `access/x.rhai`.
fn display_path(path: &str) -> String {
    let prefix = format!("{}/rules/", crate::builtin::BUILTIN_PREFIX);
    path.strip_prefix(&prefix).unwrap_or(path).to_string()
}

/// The files `xwalk rules export DIR` writes: the built-in rules and their test files under
/// `dir`, as `AREA/NAME.rhai` and `AREA/NAME.tests.json` (and the libraries they use,
/// `lib/NAME.rhai`), sorted by path. An existing file
/// is refused unless `force`: the export is a starting point, and a team's edits are theirs.
pub fn export_files(dir: &Path, force: bool) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = crate::builtin::rule_files()
        .into_iter()
        .chain(crate::builtin::library_files())
        .chain(crate::builtin::rule_test_files())
        .map(|f| (dir.join(display_path(&f.path)), f.text.into_bytes()))
        .collect();
    files.sort();
    if !force {
        let existing: Vec<String> = files
            .iter()
            .filter(|(p, _)| p.exists())
            .map(|(p, _)| p.display().to_string())
            .collect();
        if let Some(first) = existing.first() {
            return Err(Error::Usage(format!(
                "{first} exists ({} of {} files to write already exist); export into an empty directory, or give --force to overwrite",
                existing.len(),
                files.len()
            )));
        }
    }
    Ok(files)
}
