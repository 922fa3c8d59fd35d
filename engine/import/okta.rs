//! The Okta Users API -> an `accounts` document.
//!
//! What is read:
//! - the users list, `GET /api/v1/users`: a JSON array of users, one file per page (Okta
//!   puts the link to the next page in a response header, so nothing in a page says
//!   whether more follow). That list leaves deactivated (DEPROVISIONED) users out unless
//!   they are asked for, so the list of `GET /api/v1/users?filter=status eq
//!   "DEPROVISIONED"` is given as one more page;
//! - each user's factors, `GET /api/v1/users/{id}/factors`, saved as `DIR/{id}.json`
//!   (`--factors DIR`): the users list does not hold them;
//! - who holds an administrator role (`--privileged FILE`), which the users list does not
//!   hold either: the JSON of `GET /api/v1/iam/assignees/users` (one file per page), or
//!   one login or user id per line;
//! - optionally, which accounts are service accounts (`--service FILE`, one login per line).
//!
//! What each account's fields come from:
//! - `user` from `profile.login`, `email` from `profile.email`, `person_id` from
//!   `profile.employeeNumber` (null when absent or blank);
//! - `created_on` from `created`; `last_login` from `lastLogin` (null: never signed in);
//! - `status`: `disabled` for SUSPENDED and DEPROVISIONED users, with `disabled_on` the
//!   date of `statusChanged`, the change that disabled them (null when Okta recorded
//!   none). Every other status (ACTIVE, PASSWORD_EXPIRED, LOCKED_OUT, RECOVERY,
//!   PROVISIONED, STAGED) is `active`: the account exists and is one step (a password
//!   reset, an unlock, an activation) away from signing in, so the rules check it like
//!   any live account. A status not in these lists is an error;
//! - `mfa`: true when the user has at least one factor with status ACTIVE other than a
//!   security question (`question`), which is a second thing the user knows rather than
//!   a second factor; a factor waiting for activation does not count. An active user
//!   without a factors file is an error. A disabled user without one gets `false` and the
//!   provenance says so: no rule counts MFA on a disabled account;
//! - `privileged`: on the `--privileged` list. A listed user the users list does not have
//!   is an error: the two exports are of different orgs, or a page is missing;
//! - `type`: `service` when on the `--service` list, else `human`. A service account left
//!   off the list is checked as a person's (MFA, dormancy, an owner in the HR roster):
//!   more checks, never a pass it did not earn.
//!
//! Whether a sign-on policy requires MFA is a policy, not a field of the users list:
//! `--mfa-required` sets `mfa_required`; without it the field is left out and the
//! provenance says so. An API response does not record when it was fetched, so
//! `collected_on` comes from `--collected-on`; without it the document is undated.

use super::accounts::{self, Account, Draft, Listed, Source};
use super::json::Export;
use super::{Imported, Input, Options};
use crate::diag::{Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The importer's name on the command line.
pub const NAME: &str = "okta-users";

/// Where the output goes under the facts directory.
pub const OUTPUT: &str = "identity/okta.json";

/// Statuses of a user who exists and can sign in, or is a step away from it.
const LIVE: [&str; 6] = [
    "ACTIVE",
    "PASSWORD_EXPIRED",
    "LOCKED_OUT",
    "RECOVERY",
    "PROVISIONED",
    "STAGED",
];

/// Statuses of a user who cannot sign in.
const DISABLED: [&str; 2] = ["SUSPENDED", "DEPROVISIONED"];

/// The factor type that does not count as MFA.
const QUESTION: &str = "question";

/// What an Okta import reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The pages of `GET /api/v1/users`.
    pub users: &'a [SourceFile],
    /// The directory the factors files are in, for messages.
    pub factors_dir: &'a str,
    /// The factors files (`{user id}.json`).
    pub factors: &'a [SourceFile],
    /// The admin role assignments (JSON pages, or lists of logins).
    pub privileged: &'a [SourceFile],
    /// The list of service accounts, when given.
    pub service: Option<&'a SourceFile>,
}

/// A user as read from the users list.
struct User {
    id: String,
    login: String,
    email: String,
    person_id: Option<String>,
    status: String,
    disabled_on: Option<Date>,
    created_on: Date,
    last_login: Option<Date>,
    at: Location,
}

impl User {
    fn disabled(&self) -> bool {
        DISABLED.contains(&self.status.as_str())
    }
}

/// Import the users list with its factors and admin role assignments.
pub fn import(inputs: &Inputs, options: &Options) -> Result<Imported, Error> {
    let mut diags = Vec::new();
    let mut exports = accounts::parse_all(inputs.users, "the Okta users list", &mut diags)?;
    let mut users: Vec<User> = Vec::new();
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_login: BTreeMap<String, usize> = BTreeMap::new();
    let mut unreadable: BTreeSet<String> = BTreeSet::new();
    let mut rows_read = 0;
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a users list") {
            continue;
        }
        let items = export.array("", "the Okta users list (GET /api/v1/users)");
        rows_read += items.len();
        for (i, item) in items.iter().enumerate() {
            let Some(user) = read_user(export, item, &format!("/{i}"), i) else {
                unreadable.extend(accounts::names_of(item, &["id", "profile/login"]));
                continue;
            };
            if let Some(&first) = by_id.get(&user.id) {
                let why = format!(
                    "user {} ({}) is listed twice, first at {}: was a page given twice?",
                    user.id, user.login, users[first].at
                );
                diags.push(accounts::problem(user.at.clone(), why));
                continue;
            }
            if let Some(&first) = by_login.get(&user.login.to_lowercase()) {
                let why = format!(
                    "login {} belongs to two users, {} and {} (first at {})",
                    user.login, users[first].id, user.id, users[first].at
                );
                diags.push(accounts::problem(user.at.clone(), why));
                continue;
            }
            by_id.insert(user.id.clone(), users.len());
            by_login.insert(user.login.to_lowercase(), users.len());
            users.push(user);
        }
    }
    accounts::drain(&mut exports, &mut diags);
    if rows_read == 0 && diags.is_empty() {
        if let Some(first) = inputs.users.first() {
            diags.push(accounts::problem(
                accounts::start(first),
                "the Okta users list holds no users: an org has at least the administrator who exported it",
            ));
        }
    }
    let find = |name: &str| {
        let key = name.to_lowercase();
        by_id
            .get(name)
            .or_else(|| by_login.get(&key))
            .copied()
            .or_else(|| unreadable.contains(&key).then_some(accounts::UNREADABLE))
    };

    let mut inputs_read: Vec<Input> = inputs
        .users
        .iter()
        .map(|f| Input::of(f, "users page"))
        .collect();
    let known_id = |id: &str| by_id.contains_key(id) || unreadable.contains(&id.to_lowercase());
    let (mfa, unfactored) = factors(inputs, &users, &known_id, &mut inputs_read, &mut diags)?;
    let privileged = privileged(inputs.privileged, &find, &mut diags)?;
    inputs_read.extend(
        inputs
            .privileged
            .iter()
            .map(|f| Input::of(f, "admin role assignments")),
    );
    let service = match inputs.service {
        Some(file) => {
            inputs_read.push(Input::of(file, "service accounts"));
            let listed = accounts::lines(file);
            accounts::resolve(
                &listed,
                &find,
                unknown("the service account list"),
                &mut diags,
            )
        }
        None => BTreeSet::new(),
    };
    accounts::finish(inputs.users, diags)?;

    let mut notes = Vec::new();
    if options.mfa_required.is_none() {
        notes.push("mfa_required left out: whether a sign-on policy requires MFA is not in the users list; pass --mfa-required".to_string());
    }
    if !users.iter().any(|u| u.status == "DEPROVISIONED") {
        notes.push("no DEPROVISIONED users in the export: GET /api/v1/users leaves them out; add the list of GET /api/v1/users?filter=status eq \"DEPROVISIONED\" as a page so that removed accounts of leavers are seen".to_string());
    }
    let undated: Vec<String> = users
        .iter()
        .filter(|u| u.disabled() && u.disabled_on.is_none())
        .map(|u| u.login.clone())
        .collect();
    if !undated.is_empty() {
        notes.push(format!(
            "disabled_on is null for {}: Okta recorded no statusChanged",
            accounts::some(&undated, 5)
        ));
    }
    if !unfactored.is_empty() {
        notes.push(format!(
            "mfa written false for disabled {} without a factors file: not known, and no rule counts MFA on a disabled account",
            accounts::some(&unfactored, 5)
        ));
    }
    if inputs.service.is_none() {
        notes.push("no --service list: every account is typed human".to_string());
    }
    let accounts = users
        .iter()
        .enumerate()
        .map(|(i, u)| Account {
            user: u.login.clone(),
            email: Some(u.email.clone()),
            person_id: u.person_id.clone(),
            service: service.contains(&i),
            disabled: u.disabled(),
            disabled_on: u.disabled_on.filter(|_| u.disabled()),
            mfa: mfa.get(i).copied().unwrap_or(false),
            privileged: privileged.contains(&i),
            last_login: u.last_login,
            created_on: u.created_on,
        })
        .collect();
    let source = Source {
        importer: NAME,
        source_system: "Okta",
        source: "Okta Users API: users, their factors and admin role assignments",
        system: "okta",
        output: OUTPUT,
    };
    let first = inputs
        .users
        .first()
        .ok_or_else(|| Error::Usage("give at least one page of the Okta users list".to_string()))?;
    let draft = Draft {
        accounts,
        inputs: inputs_read,
        rows_read,
        mfa_required: options.mfa_required,
        notes,
    };
    Ok(accounts::document(&source, first, draft, options))
}

/// One user of the users list; `None` (with the problems recorded) when it cannot be read.
fn read_user(export: &mut Export, item: &Value, base: &str, index: usize) -> Option<User> {
    if !item.is_object() {
        export.problem(
            base,
            format!(
                "entry {} of the users list is {item}, not a user",
                index + 1
            ),
        );
        return None;
    }
    let who = item
        .pointer("/profile/login")
        .or_else(|| item.get("id"))
        .and_then(Value::as_str)
        .map_or_else(|| format!("user {}", index + 1), str::to_string);
    let id = export.string(item, base, "id", &who);
    let login = export.string(item, base, "profile/login", &who);
    let email = export.string(item, base, "profile/email", &who);
    let person_id = export.opt_string(item, base, "profile/employeeNumber", &who);
    let status = export.string(item, base, "status", &who);
    let created_on = export.required_time(item, base, "created", &who);
    let last_login = export.time(item, base, "lastLogin", &who);
    let changed = export.time(item, base, "statusChanged", &who);
    let status = status?;
    if !LIVE.contains(&status.as_str()) && !DISABLED.contains(&status.as_str()) {
        export.problem(
            &format!("{base}/status"),
            format!(
                "status of {who} is `{status}`, not one of Okta's user statuses ({}, {})",
                LIVE.join(", "),
                DISABLED.join(", ")
            ),
        );
        return None;
    }
    Some(User {
        id: id?,
        login: login?,
        email: email?,
        person_id,
        status,
        disabled_on: changed,
        created_on: created_on?,
        last_login,
        at: export.at(base),
    })
}

/// Whether each user has MFA, by index, and the disabled users without a factors file.
fn factors(
    inputs: &Inputs,
    users: &[User],
    known_id: &impl Fn(&str) -> bool,
    read: &mut Vec<Input>,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Vec<bool>, Vec<String>), Error> {
    let mut files: BTreeMap<String, &SourceFile> = BTreeMap::new();
    for file in inputs.factors {
        let stem = std::path::Path::new(&file.path)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if known_id(&stem) {
            files.insert(stem, file);
        } else if !users.is_empty() {
            diags.push(accounts::problem(
                accounts::start(file),
                format!(
                    "factors of user id `{stem}`, whom the users list does not have: is a page of users missing (the DEPROVISIONED list?), or is this file from another org?"
                ),
            ));
        }
    }
    let mut mfa = vec![false; users.len()];
    let mut unfactored = Vec::new();
    for (i, user) in users.iter().enumerate() {
        let Some(file) = files.get(&user.id) else {
            if user.disabled() {
                unfactored.push(user.login.clone());
            } else {
                diags.push(accounts::problem(
                    user.at.clone(),
                    format!(
                        "no factors file for {} ({}): save GET /api/v1/users/{}/factors as {}/{}.json (an empty list [] when the user has enrolled none)",
                        user.login, user.status, user.id, inputs.factors_dir, user.id
                    ),
                ));
            }
            continue;
        };
        read.push(Input::of(file, format!("factors of {}", user.login)));
        let what = format!("the factors of {}", user.login);
        let mut found = Vec::new();
        let Some(mut export) =
            accounts::parse_all(std::slice::from_ref(*file), &what, &mut found)?.pop()
        else {
            diags.append(&mut found);
            continue;
        };
        if !accounts::refuse_api_error(&mut export, "a factors list") {
            let items = export.array("", &format!("{what} (GET /api/v1/users/{{id}}/factors)"));
            for (j, factor) in items.iter().enumerate() {
                let base = format!("/{j}");
                let who = format!("factor {} of {}", j + 1, user.login);
                if !factor.is_object() {
                    export.problem(&base, format!("{who} is {factor}, not a factor"));
                    continue;
                }
                let kind = export.string(factor, &base, "factorType", &who);
                let status = export.string(factor, &base, "status", &who);
                if let (Some(kind), Some(status)) = (kind, status) {
                    if status == "ACTIVE" && kind != QUESTION {
                        if let Some(m) = mfa.get_mut(i) {
                            *m = true;
                        }
                    }
                }
            }
        }
        diags.append(&mut export.diags);
    }
    Ok((mfa, unfactored))
}

/// The users holding an admin role, by index.
fn privileged(
    files: &[SourceFile],
    find: &impl Fn(&str) -> Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Result<BTreeSet<usize>, Error> {
    let what = "the admin role assignments (GET /api/v1/iam/assignees/users)";
    let json: Vec<SourceFile> = files
        .iter()
        .filter(|f| accounts::is_json(f))
        .cloned()
        .collect();
    let mut listed: Vec<Listed> = files
        .iter()
        .filter(|f| !accounts::is_json(f))
        .flat_map(accounts::lines)
        .collect();
    let mut exports = accounts::parse_all(&json, what, diags)?;
    accounts::last_page_given(
        &mut exports,
        "/_links/next",
        "save every page, following the next link until a page has none, and give each with --privileged",
    );
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a list of admin role assignments") {
            continue;
        }
        let pointer = if export.value.is_array() {
            ""
        } else {
            "/value"
        };
        for (i, item) in export.array(pointer, what).iter().enumerate() {
            let base = format!("{pointer}/{i}");
            if let Some(id) = export.string(item, &base, "id", &format!("assignee {}", i + 1)) {
                listed.push(Listed {
                    name: id,
                    at: export.at(&base),
                });
            }
        }
    }
    accounts::drain(&mut exports, diags);
    Ok(accounts::resolve(
        &listed,
        find,
        unknown("the admin role assignments"),
        diags,
    ))
}

/// Why a listed user the users list does not have stops the import.
fn unknown(list: &str) -> impl Fn(&str) -> String + '_ {
    move |name| {
        format!(
            "`{name}` is on {list} but not in the users list: are both exports of the same org, and was every page of users given (the DEPROVISIONED list too)?"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, login: &str, status: &str) -> String {
        format!(
            r#"{{"id": "{id}", "status": "{status}", "created": "2025-01-06T09:00:00.000Z",
              "statusChanged": "2026-05-31T17:00:00.000Z", "lastLogin": null,
              "profile": {{"login": "{login}", "email": "{login}"}}}}"#
        )
    }

    fn run(users: &str, factors: &[(&str, &str)], admins: &str) -> Result<Value, Error> {
        let users = [SourceFile::new("users.json", users)];
        let factors: Vec<SourceFile> = factors
            .iter()
            .map(|(id, text)| SourceFile::new(format!("factors/{id}.json"), *text))
            .collect();
        let admins = [SourceFile::new("admins.txt", admins)];
        let inputs = Inputs {
            users: &users,
            factors_dir: "factors",
            factors: &factors,
            privileged: &admins,
            service: None,
        };
        let imported = import(&inputs, &Options::default())?;
        Ok(serde_json::from_str(&imported.files[0].1).unwrap())
    }

    #[test]
    fn only_an_active_factor_other_than_a_security_question_counts_as_mfa() {
        let users = format!(
            "[{}, {}, {}]",
            user("u1", "a@x.example", "ACTIVE"),
            user("u2", "b@x.example", "LOCKED_OUT"),
            user("u3", "c@x.example", "STAGED")
        );
        let doc = run(
            &users,
            &[
                ("u1", r#"[{"factorType": "push", "status": "ACTIVE"}]"#),
                ("u2", r#"[{"factorType": "question", "status": "ACTIVE"}]"#),
                (
                    "u3",
                    r#"[{"factorType": "token:software:totp", "status": "PENDING_ACTIVATION"}]"#,
                ),
            ],
            "a@x.example\n",
        )
        .unwrap();
        let items = doc["items"].as_array().unwrap();
        let mfa: Vec<bool> = items.iter().map(|a| a["mfa"].as_bool().unwrap()).collect();
        assert_eq!(mfa, [true, false, false]);
        assert!(items.iter().all(|a| a["status"] == "active"));
        assert_eq!(items[0]["privileged"], true);
        assert_eq!(items[1]["privileged"], false);
    }

    #[test]
    fn suspended_and_deprovisioned_users_are_disabled_on_their_status_change() {
        let users = format!(
            "[{}, {}]",
            user("u1", "a@x.example", "SUSPENDED"),
            user("u2", "b@x.example", "DEPROVISIONED")
        );
        let doc = run(&users, &[("u1", "[]")], "").unwrap();
        for item in doc["items"].as_array().unwrap() {
            assert_eq!(item["status"], "disabled");
            assert_eq!(item["disabled_on"], "2026-05-31");
            assert_eq!(item["mfa"], false);
        }
        let notes = doc["provenance"]["notes"].to_string();
        assert!(
            notes.contains("mfa written false for disabled b@x.example"),
            "{notes}"
        );
    }

    #[test]
    fn an_unknown_status_a_missing_factors_file_and_an_unknown_admin_are_all_reported() {
        let users = format!(
            "[{}, {}]",
            user("u1", "a@x.example", "ACTIVE"),
            user("u2", "b@x.example", "ARCHIVED")
        );
        let err = run(&users, &[], "someone@x.example\n").unwrap_err();
        let text = err.to_string();
        let Error::Invalid { diagnostics, .. } = err else {
            panic!("{text}")
        };
        let messages: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].starts_with("admins.txt:1:1:"), "{messages:#?}");
        assert!(messages[1].contains("no factors file for a@x.example"));
        assert!(messages[2].contains("status of b@x.example is `ARCHIVED`"));
    }
}
