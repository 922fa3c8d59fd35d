//! Google Workspace through the Admin SDK Directory API -> an `accounts` document.
//!
//! What is read: the response of `users.list` (`GET
//! https://admin.googleapis.com/admin/directory/v1/users?customer=my_customer`,
//! `{"users": [...], "nextPageToken": ...}`), one file per page; a page with
//! `nextPageToken` has a next one, and the last page given must have none. Optionally, a
//! list of service accounts (`--service FILE`, one primary email per line). Unlike the
//! other identity exports, a Workspace user object says who is an administrator and
//! whether 2-step verification is enrolled and enforced, so nothing else is asked for.
//!
//! What each account's fields come from:
//! - `user` and `email` from `primaryEmail`; `person_id` from the `externalIds` entry of
//!   type `organization` (the employee id), null when there is none; two different
//!   organization ids on one user is an error;
//! - `created_on` from `creationTime`; `last_login` from `lastLoginTime`, which Google
//!   writes as `1970-01-01T00:00:00.000Z` for a user who never signed in: null;
//! - `status`: `disabled` when `suspended` or `archived` is true, else `active`; the
//!   response holds no date of suspension or archiving, so `disabled_on` is null, which
//!   the leaver rule reports as disabled on an unrecorded date, never as on time;
//! - `privileged`: `isAdmin` (super administrator) or `isDelegatedAdmin` (any other
//!   administrator role);
//! - `mfa` from `isEnrolledIn2Sv`;
//! - `type`: `service` when on the `--service` list, else `human`: a service account left
//!   off the list is checked as a person's, which adds checks and never a pass.
//!
//! The document's `mfa_required` is true only when every active user has
//! `isEnforcedIn2Sv` (2-step verification enforced by the policy of the user's
//! organisational unit), and false otherwise: the export states enforcement per user, so
//! one unenforced active user means the tenant does not require it of everyone. Every
//! boolean is required: a missing one would otherwise become a guessed `false`.
//!
//! The response does not record when it was fetched, so `collected_on` comes from
//! `--collected-on`; without it the document is undated.

use super::accounts::{self, Account, Draft, Source};
use super::json::Export;
use super::{Imported, Input, Options};
use crate::diag::Location;
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The importer's name on the command line.
pub const NAME: &str = "google-workspace-users";

/// Where the output goes under the facts directory.
pub const OUTPUT: &str = "identity/google-workspace.json";

/// The sign-in time Google writes for a user who never signed in.
const NEVER: Date = jiff::civil::date(1970, 1, 1);

/// What a Google Workspace import reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The pages of `users.list`.
    pub users: &'a [SourceFile],
    /// The list of service accounts, when given.
    pub service: Option<&'a SourceFile>,
}

/// A user as read from the export.
struct User {
    email: String,
    person_id: Option<String>,
    disabled: bool,
    admin: bool,
    enrolled: bool,
    enforced: bool,
    created_on: Date,
    last_login: Option<Date>,
    at: Location,
}

/// Import the users.
pub fn import(inputs: &Inputs, options: &Options) -> Result<Imported, Error> {
    let mut diags = Vec::new();
    let mut exports = accounts::parse_all(inputs.users, "the Workspace users list", &mut diags)?;
    accounts::last_page_given(
        &mut exports,
        "/nextPageToken",
        "save every page, passing each nextPageToken as pageToken until a page has none, and give them all",
    );
    let mut users: Vec<User> = Vec::new();
    let mut by_email: BTreeMap<String, usize> = BTreeMap::new();
    let mut unreadable: BTreeSet<String> = BTreeSet::new();
    let mut rows_read = 0;
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a users list") {
            continue;
        }
        // A page of a customer without users has no `users` at all.
        let empty = export.value.is_object()
            && export.value.get("users").is_none()
            && export.value.get("kind").and_then(Value::as_str) == Some("admin#directory#users");
        if empty {
            continue;
        }
        let items = export.array("/users", "the users (users.list: {\"users\": [...]})");
        rows_read += items.len();
        for (i, item) in items.iter().enumerate() {
            let Some(user) = read_user(export, item, &format!("/users/{i}"), i) else {
                unreadable.extend(accounts::names_of(item, &["primaryEmail"]));
                continue;
            };
            let key = user.email.to_lowercase();
            if let Some(&first) = by_email.get(&key) {
                let why = format!(
                    "{} is listed twice, first at {}: was a page given twice?",
                    user.email, users[first].at
                );
                diags.push(accounts::problem(user.at.clone(), why));
                continue;
            }
            by_email.insert(key, users.len());
            users.push(user);
        }
    }
    accounts::drain(&mut exports, &mut diags);
    if rows_read == 0 && diags.is_empty() {
        if let Some(first) = inputs.users.first() {
            diags.push(accounts::problem(
                accounts::start(first),
                "the users list holds no users: a Workspace account has at least the administrator who exported it",
            ));
        }
    }
    let mut read: Vec<Input> = inputs
        .users
        .iter()
        .map(|f| Input::of(f, "users page"))
        .collect();
    let service = match inputs.service {
        Some(file) => {
            read.push(Input::of(file, "service accounts"));
            let find = |name: &str| {
                let key = name.to_lowercase();
                by_email
                    .get(&key)
                    .copied()
                    .or_else(|| unreadable.contains(&key).then_some(accounts::UNREADABLE))
            };
            let unknown = |name: &str| {
                format!("`{name}` is on the service account list but not in the users list")
            };
            accounts::resolve(&accounts::lines(file), &find, unknown, &mut diags)
        }
        None => BTreeSet::new(),
    };
    accounts::finish(inputs.users, diags)?;

    let active: Vec<&User> = users.iter().filter(|u| !u.disabled).collect();
    let unenforced: Vec<String> = active
        .iter()
        .filter(|u| !u.enforced)
        .map(|u| u.email.clone())
        .collect();
    let mfa_required = !active.is_empty() && unenforced.is_empty();
    let mut notes = Vec::new();
    if !unenforced.is_empty() {
        notes.push(format!(
            "mfa_required is false: 2-step verification is not enforced for {} (isEnforcedIn2Sv)",
            accounts::some(&unenforced, 5)
        ));
    }
    let disabled = users.iter().filter(|u| u.disabled).count();
    if disabled > 0 {
        notes.push(format!(
            "disabled_on is null for {}: the users list does not record when a user was suspended or archived",
            accounts::counted(disabled, "disabled account", "disabled accounts")
        ));
    }
    if inputs.service.is_none() {
        notes.push("no --service list: every account is typed human".to_string());
    }
    let accounts = users
        .iter()
        .enumerate()
        .map(|(i, u)| Account {
            user: u.email.clone(),
            email: Some(u.email.clone()),
            person_id: u.person_id.clone(),
            service: service.contains(&i),
            disabled: u.disabled,
            disabled_on: None,
            mfa: u.enrolled,
            privileged: u.admin,
            last_login: u.last_login,
            created_on: u.created_on,
        })
        .collect();
    let source = Source {
        importer: NAME,
        source_system: "Google Workspace",
        source: "Google Workspace Admin SDK Directory API: users.list",
        system: "google-workspace",
        output: OUTPUT,
    };
    let first = inputs
        .users
        .first()
        .ok_or_else(|| Error::Usage("give at least one page of the Workspace users list".into()))?;
    let draft = Draft {
        accounts,
        inputs: read,
        rows_read,
        mfa_required: Some(mfa_required),
        notes,
    };
    Ok(accounts::document(&source, first, draft, options))
}

/// One user of the export; `None` (with the problems recorded) when unreadable.
fn read_user(export: &mut Export, item: &Value, base: &str, index: usize) -> Option<User> {
    if !item.is_object() {
        export.problem(
            base,
            format!("entry {} of the users is {item}, not a user", index + 1),
        );
        return None;
    }
    let who = item
        .get("primaryEmail")
        .and_then(Value::as_str)
        .map_or_else(|| format!("user {}", index + 1), str::to_string);
    let email = export.string(item, base, "primaryEmail", &who);
    let mut flag = |name: &str| export.boolean(item, base, name, &who);
    let suspended = flag("suspended");
    let archived = flag("archived");
    let is_admin = flag("isAdmin");
    let delegated = flag("isDelegatedAdmin");
    let enrolled = flag("isEnrolledIn2Sv");
    let enforced = flag("isEnforcedIn2Sv");
    let created_on = export.required_time(item, base, "creationTime", &who);
    let last_login = export
        .time(item, base, "lastLoginTime", &who)
        .filter(|d| *d != NEVER);
    let person_id = organization_id(export, item, base, &who);
    let (suspended, archived, is_admin, delegated) = (suspended?, archived?, is_admin?, delegated?);
    Some(User {
        email: email?,
        person_id: person_id?,
        disabled: suspended || archived,
        admin: is_admin || delegated,
        enrolled: enrolled?,
        enforced: enforced?,
        created_on: created_on?,
        last_login,
        at: export.at(base),
    })
}

/// The employee id among a user's `externalIds`: `Some(None)` when there is none, `None`
/// (with a problem) when they cannot be read or name two.
fn organization_id(
    export: &mut Export,
    item: &Value,
    base: &str,
    who: &str,
) -> Option<Option<String>> {
    let ids = match Export::field(item, "externalIds") {
        None => return Some(None),
        Some(Value::Array(ids)) => ids.clone(),
        Some(other) => {
            export.problem(
                &format!("{base}/externalIds"),
                format!("externalIds of {who} is {other}, not a list"),
            );
            return None;
        }
    };
    let mut found: Option<String> = None;
    let mut ok = true;
    for (i, entry) in ids.iter().enumerate() {
        let at = format!("{base}/externalIds/{i}");
        let label = format!("external id {} of {who}", i + 1);
        let kind = export.opt_string(entry, &at, "type", &label);
        if kind.as_deref() != Some("organization") {
            continue;
        }
        let Some(value) = export.string(entry, &at, "value", &label) else {
            ok = false;
            continue;
        };
        match &found {
            Some(first) if *first != value => {
                export.problem(
                    &at,
                    format!("{who} has two organization ids, {first} and {value}: which one is the HR id is not for xwalk to guess"),
                );
                ok = false;
            }
            _ => found = Some(value),
        }
    }
    ok.then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(email: &str, suspended: bool, enforced: bool) -> String {
        format!(
            r#"{{"primaryEmail": "{email}", "suspended": {suspended}, "archived": false,
               "isAdmin": false, "isDelegatedAdmin": false, "isEnrolledIn2Sv": true,
               "isEnforcedIn2Sv": {enforced}, "lastLoginTime": "2026-06-01T10:00:00.000Z",
               "creationTime": "2025-01-01T10:00:00.000Z"}}"#
        )
    }

    fn run(pages: &[String]) -> Value {
        let files: Vec<SourceFile> = pages
            .iter()
            .enumerate()
            .map(|(i, text)| SourceFile::new(format!("users-{i}.json"), text.as_str()))
            .collect();
        let inputs = Inputs {
            users: &files,
            service: None,
        };
        let imported = import(&inputs, &Options::default()).unwrap();
        serde_json::from_str(&imported.files[0].1).unwrap()
    }

    #[test]
    fn enforcement_is_required_of_every_active_user_and_only_them() {
        let page = format!(
            r#"{{"users": [{}, {}]}}"#,
            user("a@x.example", false, true),
            user("b@x.example", true, false)
        );
        assert_eq!(run(&[page])["mfa_required"], true, "b is suspended");
        let page = format!(
            r#"{{"users": [{}, {}]}}"#,
            user("a@x.example", false, true),
            user("b@x.example", false, false)
        );
        assert_eq!(run(&[page])["mfa_required"], false);
        let page = format!(r#"{{"users": [{}]}}"#, user("b@x.example", true, true));
        assert_eq!(
            run(&[page])["mfa_required"],
            false,
            "no active user shows nothing"
        );
    }

    #[test]
    fn a_page_without_users_is_read_as_empty() {
        let empty = r#"{"kind": "admin#directory#users", "etag": "e"}"#.to_string();
        let page = format!(r#"{{"users": [{}]}}"#, user("a@x.example", false, true));
        let doc = run(&[page, empty]);
        assert_eq!(doc["items"].as_array().unwrap().len(), 1);
    }
}
