//! `xwalk import join`: tie imported accounts that carry no HR id (AWS IAM users, GitHub
//! logins) to the people of the HR roster, so that the leaver and orphan rules can follow
//! them. An account is tied, in this order:
//! - by the HR id it already carries (`person_id`), when the roster has it;
//! - by the identities file, which names, per system, the HR id or work email of an account
//!   (`[github] tlindgren = "1002"`);
//! - by its email, when the roster has that email (case ignored);
//! - by its user name, when that is a roster email (SSO-style logins).
//!
//! Nothing else is guessed: a user name that merely looks like a person's (`amara.osei` and
//! `amara.osei@…`) is not tied, only suggested in the report. An account tied to no one keeps
//! a null `person_id` and is listed in the document's provenance and on the report, never
//! dropped, and the rules then count it as owned by no one. Service accounts are left as
//! they are. Only imported documents (those with a `provenance` block) are rewritten.

use super::{file_name, invalid, render, sha256, Imported};
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The command's name.
pub const NAME: &str = "join";

/// What a join did.
#[derive(Debug, Clone, PartialEq)]
pub struct Joined {
    /// The rewritten accounts documents.
    pub imported: Imported,
    /// One line per account tied to no one, with a suggestion where one exists.
    pub unmatched: Vec<String>,
    /// Lines of the identities file naming accounts no document has (stale entries).
    pub unused: Vec<String>,
}

/// A person of the roster, as the join needs it.
struct Person {
    id: String,
    email: String,
}

/// `(system, account)`, lower-cased -> `(HR id or email, line in the identities file)`.
type Identities = BTreeMap<(String, String), (String, u64)>;

/// The identities file: system -> account -> HR id or email, with each entry's line
/// (from the value's span, so quoted and dotted names are found too).
fn identities(file: &SourceFile) -> Result<Identities, Error> {
    type Raw = BTreeMap<String, BTreeMap<String, toml::Spanned<toml::Value>>>;
    let raw: Raw = toml::from_str(&file.text).map_err(|e| {
        let (line, column) = crate::source::line_col(&file.text, e.span().map_or(0, |s| s.start));
        invalid(
            &file.path,
            vec![Diagnostic::new(
                codes::XW0701,
                Location::at(&file.path, line, column),
                format!(
                    "identities: {} (each system is a table [system] of account = \"HR id or email\")",
                    e.message().trim()
                ),
            )],
        )
    })?;
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    for (system, accounts) in &raw {
        for (account, who) in accounts {
            let (line, _) = crate::source::line_col(&file.text, who.span().start);
            match who.get_ref() {
                toml::Value::String(text) => {
                    out.insert(
                        (system.to_ascii_lowercase(), account.to_ascii_lowercase()),
                        (text.trim().to_string(), line),
                    );
                }
                other => {
                    let why = if other.is_table() {
                        format!("identities: `{account}.…` under [{system}] is read as a dotted key; quote an account name that holds a dot (\"{account}.name\" = \"HR id or email\")")
                    } else {
                        format!("identities: {system}.{account} must be an HR id or email, as text")
                    };
                    diags.push(Diagnostic::new(
                        codes::XW0701,
                        Location::line(&file.path, line),
                        why,
                    ));
                }
            }
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(invalid(&file.path, diags))
    }
}

/// Join the accounts documents among `docs` (`(path relative to the facts directory, file)`)
/// to the people documents among them.
pub fn join(docs: &[(String, SourceFile)], ids: Option<&SourceFile>) -> Result<Joined, Error> {
    let map = ids.map(identities).transpose()?.unwrap_or_default();
    let mut parsed = Vec::new();
    for (rel, file) in docs {
        let value = crate::facts::parse::value(&file.text).map_err(|e| {
            invalid(
                &file.path,
                vec![Diagnostic::new(
                    codes::XW0701,
                    Location::at(&file.path, e.line() as u64, e.column() as u64),
                    format!("not JSON: {e}"),
                )],
            )
        })?;
        parsed.push((rel, value));
    }
    let mut people = Vec::new();
    for (_, v) in parsed.iter().filter(|(_, v)| v["kind"] == "people") {
        for p in v["items"].as_array().into_iter().flatten() {
            if let (Some(id), Some(email)) = (p["id"].as_str(), p["email"].as_str()) {
                people.push(Person {
                    id: id.to_string(),
                    email: email.to_ascii_lowercase(),
                });
            }
        }
    }
    if people.is_empty() {
        return Err(Error::Usage(
            "the facts directory has no people document to join to: import the HR roster first (xwalk import hr-roster)".into(),
        ));
    }
    // Each person by HR id and by email, lower-cased: one lookup per account.
    let mut by_key: HashMap<String, &Person> = HashMap::new();
    for p in people.iter().rev() {
        by_key.insert(p.email.clone(), p);
        by_key.insert(p.id.to_ascii_lowercase(), p);
    }
    let find = |key: &str| -> Option<&Person> { by_key.get(&key.to_ascii_lowercase()).copied() };
    let mut used = std::collections::BTreeSet::new();
    let mut diags = Vec::new();
    let mut files = Vec::new();
    let mut unmatched = Vec::new();
    for (rel, mut doc) in parsed {
        if doc["kind"] != "accounts" || doc.get("provenance").is_none() {
            continue;
        }
        let system = doc["system"].as_str().unwrap_or_default().to_string();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut left = Vec::new();
        for a in doc["items"].as_array_mut().into_iter().flatten() {
            if a["type"] != "human" {
                continue;
            }
            let user = a["user"].as_str().unwrap_or_default().to_string();
            let key = (system.to_ascii_lowercase(), user.to_ascii_lowercase());
            let listed = map.get(&key);
            let (person, how) = if let Some(p) = a["person_id"].as_str().and_then(find) {
                (Some(p), "person_id")
            } else if let Some((who, line)) = listed {
                used.insert(key.clone());
                match find(who) {
                    Some(p) => (Some(p), "identities file"),
                    None => {
                        let path = ids.map_or("", |f| f.path.as_str());
                        diags.push(Diagnostic::new(
                            codes::XW0701,
                            Location::line(path, *line),
                            format!("identities: {system}.{user} names `{who}`, who is not on the HR roster"),
                        ));
                        (None, "")
                    }
                }
            } else if let Some(p) = a["email"].as_str().and_then(find) {
                (Some(p), "email")
            } else if let Some(p) = Some(user.as_str())
                .filter(|u| u.contains('@'))
                .and_then(find)
            {
                (Some(p), "user name is the email")
            } else {
                (None, "")
            };
            if let (Some(p), Some((who, line))) = (person, listed) {
                if how == "person_id" && find(who).is_some_and(|q| q.id != p.id) {
                    let path = ids.map_or("", |f| f.path.as_str());
                    diags.push(Diagnostic::new(
                        codes::XW0701,
                        Location::line(path, *line),
                        format!("identities: {system}.{user} names `{who}`, but the account already carries HR id {}", p.id),
                    ));
                }
                used.insert(key);
            }
            match person {
                Some(p) => {
                    *counts.entry(how).or_default() += 1;
                    a["person_id"] = json!(p.id);
                    if a["email"].is_null() {
                        a["email"] = json!(p.email);
                    }
                }
                None => {
                    let local = user
                        .split('@')
                        .next()
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    let hint = people
                        .iter()
                        .find(|p| p.email.split('@').next() == Some(local.as_str()))
                        .map(|p| {
                            format!(
                                " (looks like {} {}; add it to the identities file if so)",
                                p.id, p.email
                            )
                        })
                        .unwrap_or_default();
                    unmatched.push(format!(
                        "{system}/{user}: tied to no one on the HR roster{hint}"
                    ));
                    left.push(user);
                }
            }
        }
        doc["provenance"]["join"] = json!({
            "identities": ids.map(|f| json!({"file": file_name(&f.path), "sha256": sha256(f.text.as_bytes())})),
            "tied": counts,
            "unmatched": left,
        });
        files.push((rel.clone(), render(&doc)));
    }
    if !diags.is_empty() {
        crate::diag::sort(&mut diags);
        return Err(invalid(
            ids.map_or("identities", |f| f.path.as_str()),
            diags,
        ));
    }
    let unused = map
        .iter()
        .filter(|(k, _)| !used.contains(*k))
        .map(|((s, a), (_, line))| {
            format!("identities line {line}: {s}.{a} is in no imported accounts document")
        })
        .collect();
    files.sort();
    Ok(Joined {
        imported: Imported { files },
        unmatched,
        unused,
    })
}
