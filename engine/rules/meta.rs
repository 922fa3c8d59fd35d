//! Rule metadata: the `//!` header of a rule file, read without running the rule.
//!
//! ```text
//! //! id: access.mfa-all-users
//! //! title: MFA is enforced for every active user
//! //! severity: major
//! //! tests: iso27001-2022:A.8.5/mfa-enforced, soc2-2017:CC6.1/authentication
//! //! requirements: nist-csf-2.0:PR.AA-03
//! //! facts: accounts
//! //! description: Every active account has multi-factor authentication;
//! //!   continuation lines are indented.
//! ```
//!
//! `tests:` names the test procedures the rule tests (a pass is evidence for each of
//! them); `requirements:` tags requirements without naming a procedure, which counts as
//! partial support only. A rule needs at least one of the two.

use crate::crosswalk::ProcedureRef;
use crate::diag::codes;
use crate::diag::{Diagnostic, Location};
use crate::ids::{RequirementRef, RuleId};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// How an auditor would grade the finding when the rule fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    /// Major nonconformity: a requirement is not met; blocks certification.
    Major,
    /// Minor nonconformity: a lapse to fix within about 90 days.
    Minor,
    /// Opportunity for improvement.
    Ofi,
}

impl RuleSeverity {
    /// The spelling used in rule files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSeverity::Major => "major",
            RuleSeverity::Minor => "minor",
            RuleSeverity::Ofi => "ofi",
        }
    }

    /// The audit term for a failure of this severity.
    pub fn finding(self) -> &'static str {
        match self {
            RuleSeverity::Major => "major nonconformity",
            RuleSeverity::Minor => "minor nonconformity",
            RuleSeverity::Ofi => "opportunity for improvement",
        }
    }
}

impl fmt::Display for RuleSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RuleSeverity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "major" => Ok(RuleSeverity::Major),
            "minor" => Ok(RuleSeverity::Minor),
            "ofi" => Ok(RuleSeverity::Ofi),
            other => Err(format!(
                "severity `{other}` is not one of major, minor, ofi"
            )),
        }
    }
}

/// What a rule declares about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleMeta {
    /// Stable id, e.g. `access.mfa-all-users`.
    pub id: RuleId,
    /// One-line title.
    pub title: String,
    /// What the rule checks and why.
    pub description: String,
    /// Grade of the finding when it fails.
    pub severity: RuleSeverity,
    /// Every requirement it bears on: those of its procedures, then the bare tags.
    pub requirements: Vec<RequirementRef>,
    /// The test procedures it claims (`tests:`): a pass is evidence for each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub procedures: Vec<ProcedureRef>,
    /// Facts kinds it needs; it is evaluated once per document of the first kind, and
    /// reports `no-evidence` when any of them has no documents.
    pub facts: Vec<String>,
    /// Kinds it may read when present (written `kind?` in the `facts:` line).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub optional_facts: Vec<String>,
    /// Rule libraries whose functions it calls (`uses:`; `lib/NAME.rhai` of its rules
    /// directory or of the built-in library).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<String>,
    /// Parameters it declares (`params:`), with their defaults and ranges.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<super::params::ParamDecl>,
}

impl RuleMeta {
    /// Every kind the rule may read: the needed ones, then the optional ones.
    pub fn readable_kinds(&self) -> impl Iterator<Item = &str> + '_ {
        self.facts
            .iter()
            .chain(&self.optional_facts)
            .map(String::as_str)
    }

    /// True when the rule declares `kind` (needed or optional).
    pub fn may_read(&self, kind: &str) -> bool {
        self.readable_kinds().any(|k| k == kind)
    }
}

/// Header fields with the line and column of their value, for diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Header {
    fields: Vec<(String, String, u64, u64)>,
}

impl Header {
    /// The value of a field, with its line and column.
    pub fn field(&self, key: &str) -> Option<(&str, u64, u64)> {
        self.fields
            .iter()
            .find(|(k, ..)| k == key)
            .map(|(_, v, l, c)| (v.as_str(), *l, *c))
    }
}

/// Known header keys.
const KEYS: [&str; 9] = [
    "id",
    "title",
    "severity",
    "tests",
    "requirements",
    "facts",
    "uses",
    "params",
    "description",
];

/// Read the `//!` lines at the top of a rule file.
pub fn header(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Header {
    let mut header = Header::default();
    for (n, line) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let trimmed = line.trim_start();
        let Some(rest) = trimmed.strip_prefix("//!") else {
            if trimmed.is_empty() || (trimmed.starts_with("//") && header.fields.is_empty()) {
                continue;
            }
            break;
        };
        // Byte offset of `rest` in the line: columns below are 1-based offsets in `line`.
        let rest_at = line.len() - rest.len();
        if rest.starts_with("  ") || rest.starts_with('\t') {
            if let Some(last) = header.fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(rest.trim());
            }
            continue;
        }
        let key_col = (rest_at + rest.len() - rest.trim_start().len() + 1) as u64;
        let Some((key, value)) = rest.split_once(':') else {
            if !rest.trim().is_empty() {
                diags.push(Diagnostic::new(
                    codes::XW0404,
                    Location::at(path, line_no, key_col),
                    "header line is not `key: value`",
                ));
            }
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        if !KEYS.contains(&key.as_str()) {
            diags.push(Diagnostic::new(
                codes::XW0404,
                Location::at(path, line_no, key_col),
                format!("unknown metadata key `{key}` (known: {})", KEYS.join(", ")),
            ));
            continue;
        }
        let value_at = line.len() - value.len() + (value.len() - value.trim_start().len());
        if let Some((_, _, first, _)) = header.fields.iter().find(|f| f.0 == key) {
            diags.push(Diagnostic::new(
                codes::XW0407,
                Location::at(path, line_no, key_col),
                format!("`{key}` is given twice (first on line {first}); say it once"),
            ));
            continue;
        }
        header
            .fields
            .push((key, value.trim().to_string(), line_no, value_at as u64 + 1));
    }
    header
}

/// Split a comma-separated list.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Read and validate a header; the metadata is `None` when a required field is missing or malformed.
pub fn parse(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> (Option<RuleMeta>, Header) {
    let errors = |d: &Vec<Diagnostic>| d.iter().filter(|d| d.is_error()).count();
    let before = errors(diags);
    let header = header(path, text, diags);
    let header_errors = errors(diags) > before;
    let meta = validate(path, &header, diags).filter(|_| !header_errors);
    (meta, header)
}

fn validate(path: &str, header: &Header, diags: &mut Vec<Diagnostic>) -> Option<RuleMeta> {
    let before = diags.iter().filter(|d| d.is_error()).count();
    let mut required = |key: &str| -> (String, u64, u64) {
        match header.field(key) {
            Some((v, l, c)) if !v.is_empty() => (v.to_string(), l, c),
            _ => {
                diags.push(Diagnostic::new(
                    codes::XW0401,
                    Location::at(path, 1, 1),
                    format!("rule header has no `{key}` (add a line `//! {key}: ...` at the top)"),
                ));
                (String::new(), 1, 1)
            }
        }
    };
    let (id, ..) = required("id");
    let (title, ..) = required("title");
    let (severity_text, sl, sc) = required("severity");
    let (tests_text, tl, tc) = header
        .field("tests")
        .map(|(v, l, c)| (v.to_string(), l, c))
        .unwrap_or((String::new(), 1, 1));
    let (requirements_text, rl, rc) = match header.field("requirements") {
        Some((v, l, c)) => (v.to_string(), l, c),
        None if !tests_text.is_empty() => (String::new(), 1, 1),
        None => required("requirements"),
    };
    let (facts_text, fl, fc) = required("facts");
    if !facts_text.is_empty() && list(&facts_text).is_empty() {
        diags.push(Diagnostic::new(
            codes::XW0401,
            Location::at(path, fl, fc),
            "the `facts:` line names no kind (write `//! facts: accounts`, say)",
        ));
    }
    let description = header
        .field("description")
        .map(|(v, ..)| v.to_string())
        .unwrap_or_default();
    let severity = match severity_text.parse::<RuleSeverity>() {
        Ok(s) => Some(s),
        Err(message) if !severity_text.is_empty() => {
            diags.push(Diagnostic::new(
                codes::XW0402,
                Location::at(path, sl, sc),
                message,
            ));
            None
        }
        Err(_) => None,
    };
    let mut procedures: Vec<ProcedureRef> = Vec::new();
    for item in list(&tests_text) {
        match ProcedureRef::parse(&item) {
            Ok(p) if !procedures.contains(&p) => procedures.push(p),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::new(
                codes::XW0403,
                Location::at(path, tl, tc),
                e.to_string(),
            )),
        }
    }
    let mut requirements: Vec<RequirementRef> = Vec::new();
    for p in &procedures {
        if !requirements.contains(&p.requirement) {
            requirements.push(p.requirement.clone());
        }
    }
    for item in list(&requirements_text) {
        match RequirementRef::parse(&item) {
            Ok(r) if r.id.contains('/') => diags.push(Diagnostic::new(
                codes::XW0403,
                Location::at(path, rl, rc),
                format!("`{item}` names a procedure; list procedures under `tests:`"),
            )),
            Ok(r) if !requirements.contains(&r) => requirements.push(r),
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::new(
                codes::XW0403,
                Location::at(path, rl, rc),
                e.to_string(),
            )),
        }
    }
    let params = match header.field("params") {
        Some((v, l, c)) => super::params::parse_decls(v, &Location::at(path, l, c), diags),
        None => Vec::new(),
    };
    let subject = id.clone();
    for d in diags.iter_mut().skip(before) {
        if d.subject.is_none() && !subject.is_empty() {
            d.subject = Some(subject.clone());
        }
    }
    if diags.iter().filter(|d| d.is_error()).count() > before {
        return None;
    }
    Some(RuleMeta {
        id: id.into(),
        title,
        description,
        severity: severity?,
        requirements,
        procedures,
        facts: list(&facts_text)
            .into_iter()
            .filter(|k| !k.ends_with('?'))
            .collect(),
        optional_facts: list(&facts_text)
            .into_iter()
            .filter_map(|k| k.strip_suffix('?').map(|k| k.trim().to_string()))
            .collect(),
        uses: header
            .field("uses")
            .map(|(v, ..)| list(v))
            .unwrap_or_default(),
        params,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str = "//! id: access.mfa\n//! title: MFA for all\n//! severity: major\n//! requirements: iso27001-2022:A.8.5, soc2-2017:CC6.1\n//! facts: accounts, people\n//! description: first part\n//!   second part\n\nfn evaluate(doc) { pass(\"ok\") }\n";

    #[test]
    fn reads_every_field_without_running_the_rule() {
        let mut diags = Vec::new();
        let meta = parse("r.rhai", RULE, &mut diags).0.unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.id, "access.mfa");
        assert_eq!(meta.severity, RuleSeverity::Major);
        assert_eq!(meta.requirements.len(), 2);
        assert_eq!(meta.facts, vec!["accounts", "people"]);
        assert_eq!(meta.description, "first part second part");
    }

    #[test]
    fn missing_and_malformed_fields_are_located() {
        let text =
            "//! id: x\n//! severity: critical\n//! requirements: A.5.1\n//! facts: policy\n";
        let mut diags = Vec::new();
        assert!(parse("r.rhai", text, &mut diags).0.is_none());
        let found: Vec<&codes::Code> = diags.iter().map(|d| d.code).collect();
        assert_eq!(found, vec![codes::XW0401, codes::XW0402, codes::XW0403]);
        assert_eq!((diags[1].location.line, diags[1].location.column), (2, 15));
        assert_eq!((diags[2].location.line, diags[2].location.column), (3, 19));
        assert_eq!(diags[1].subject.as_deref(), Some("x"));
    }
}
