//! Microsoft Entra ID through Microsoft Graph -> an `accounts` document.
//!
//! What is read, each a Graph response saved as JSON (`{"value": [...]}`), one file per
//! page (a page with `@odata.nextLink` has a next one; the last page given must have
//! none):
//! - the users, `GET /users?$select=id,userPrincipalName,mail,accountEnabled,
//!   createdDateTime,userType,employeeId,signInActivity`;
//! - the directory roles with their members, `GET /directoryRoles?$expand=members`
//!   (`--role-members`), since a user object does not say which roles it holds;
//! - the MFA registration report, `GET
//!   /reports/authenticationMethods/userRegistrationDetails` (`--mfa-registration`),
//!   since a user object does not say which methods are registered either;
//! - optionally, which accounts are service accounts (`--service FILE`, one user
//!   principal name per line).
//!
//! What each account's fields come from:
//! - `user` from `userPrincipalName`; `email` from `mail` (null when the account has no
//!   mailbox address: the user principal name is a sign-in name, not necessarily an
//!   address anyone reads); `person_id` from `employeeId`, null when absent;
//! - `created_on` from `createdDateTime`. Graph leaves it null for some accounts created
//!   long ago; such an account is an error, as the vocabulary needs a creation date;
//! - `status`: `disabled` when `accountEnabled` is false, else `active`. Graph keeps no
//!   date of disabling (the directory audit log does, for its retention period), so
//!   `disabled_on` is null, which the leaver rule reports as disabled on an unrecorded
//!   date, never as on time;
//! - `type`: `service` when on the `--service` list, else `human`, guests (`userType`
//!   Guest) included: a guest is a person from outside, and a service account left off
//!   the list is only checked more, never passed;
//! - `last_login` from `signInActivity`: `lastSuccessfulSignInDateTime` when the response
//!   has it, since the other two times also count failed attempts; otherwise the later of
//!   `lastSignInDateTime` and `lastNonInteractiveSignInDateTime`, and the provenance says
//!   that attempts were counted. A user without `signInActivity` (or with all its times
//!   null) has no sign-in on record and gets null (never). When no user in the export has
//!   `signInActivity` at all, it was not selected or Graph withheld it (it needs the
//!   AuditLog.Read.All permission and a Microsoft Entra ID P1 or P2 licence), and the
//!   import stops: null would claim that no one ever signed in;
//! - `privileged`: a member of any activated directory role, read-only roles such as
//!   Global Reader included. The roles differ in power, but reading the whole directory
//!   or reports is itself sensitive, and counting a reader as privileged only adds checks
//!   (a justification, a review). This endpoint lists the members of built-in roles
//!   assigned for the whole directory: PIM-eligible assignments, custom roles and
//!   assignments scoped to an administrative unit are not in it, which the provenance
//!   says. A role held by a group
//!   is an error, as the response does not say who is in the group; service principals
//!   holding a role are not user accounts and are left out;
//! - `mfa` from the registration report: `isMfaRegistered`, and false when the report
//!   also says `isMfaCapable` is false (the methods registered are not allowed by the
//!   tenant's policy, so they cannot be used). An active user missing from the report is
//!   an error; the report leaves disabled users out, so a disabled user missing from it
//!   gets `false` and the provenance says so (no rule counts MFA on a disabled account).
//!
//! Whether Conditional Access or security defaults require MFA at sign-in is not in these
//! responses: `--mfa-required` sets `mfa_required`, left out otherwise. No response
//! records when it was fetched, so `collected_on` comes from `--collected-on`.

use super::accounts::{self, Account, Draft, Source};
use super::json::Export;
use super::{Imported, Input, Options};
use crate::diag::{Diagnostic, Location};
use crate::error::Error;
use crate::source::SourceFile;
use jiff::civil::Date;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The importer's name on the command line.
pub const NAME: &str = "entra-users";

/// Where the output goes under the facts directory.
pub const OUTPUT: &str = "identity/entra-id.json";

/// Graph's link to the next page of a response.
const NEXT: &str = "/@odata.nextLink";

/// How to save every page.
const EVERY_PAGE: &str =
    "save every page, following @odata.nextLink until a page has none, and give them all";

/// What an Entra import reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The pages of `GET /users`.
    pub users: &'a [SourceFile],
    /// The pages of `GET /directoryRoles?$expand=members`.
    pub roles: &'a [SourceFile],
    /// The pages of the registration report.
    pub registration: &'a [SourceFile],
    /// The list of service accounts, when given.
    pub service: Option<&'a SourceFile>,
}

/// When a user last signed in, as far as the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignIn {
    /// `signInActivity` is not in the user object.
    Absent,
    /// The last successful sign-in (`None`: none on record).
    Successful(Option<Date>),
    /// The latest sign-in attempt, successful or not (`None`: none on record).
    Attempted(Option<Date>),
}

/// A user as read from the users export.
struct User {
    id: String,
    upn: String,
    mail: Option<String>,
    person_id: Option<String>,
    enabled: bool,
    created_on: Date,
    sign_in: SignIn,
    at: Location,
}

/// Import the users with their directory roles and MFA registration.
pub fn import(inputs: &Inputs, options: &Options) -> Result<Imported, Error> {
    let mut diags = Vec::new();
    let mut exports = accounts::parse_all(inputs.users, "the Graph users export", &mut diags)?;
    accounts::last_page_given(&mut exports, NEXT, EVERY_PAGE);
    let mut users: Vec<User> = Vec::new();
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_upn: BTreeMap<String, usize> = BTreeMap::new();
    let mut unreadable: BTreeSet<String> = BTreeSet::new();
    let mut rows_read = 0;
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a users response") {
            continue;
        }
        let items = export.array("/value", "the users (GET /users: {\"value\": [...]})");
        rows_read += items.len();
        for (i, item) in items.iter().enumerate() {
            let Some(user) = read_user(export, item, &format!("/value/{i}"), i) else {
                unreadable.extend(accounts::names_of(item, &["id", "userPrincipalName"]));
                continue;
            };
            let key = user.upn.to_lowercase();
            let first = by_id.get(&user.id).or_else(|| by_upn.get(&key)).copied();
            if let Some(first) = first {
                let why = format!(
                    "{} ({}) is listed twice, first at {}: was a page given twice?",
                    user.upn, user.id, users[first].at
                );
                diags.push(accounts::problem(user.at.clone(), why));
                continue;
            }
            by_id.insert(user.id.clone(), users.len());
            by_upn.insert(key, users.len());
            users.push(user);
        }
    }
    accounts::drain(&mut exports, &mut diags);
    if !users.is_empty() && users.iter().all(|u| u.sign_in == SignIn::Absent) {
        let at = users.first().map(|u| u.at.clone()).unwrap_or_default();
        diags.push(accounts::problem(
            at,
            "no user in the export has signInActivity, so when anyone last signed in is unknown (null would say never): add signInActivity to $select; Graph returns it only to a caller with the AuditLog.Read.All permission in a tenant with a Microsoft Entra ID P1 or P2 licence",
        ));
    }
    if rows_read == 0 && diags.is_empty() {
        if let Some(first) = inputs.users.first() {
            diags.push(accounts::problem(
                accounts::start(first),
                "the users export holds no users: a tenant has at least the administrator who exported it",
            ));
        }
    }
    let skip = |name: &str| {
        unreadable
            .contains(&name.to_lowercase())
            .then_some(accounts::UNREADABLE)
    };
    let find_id = |id: &str| by_id.get(id).copied().or_else(|| skip(id));

    let mut read: Vec<Input> = inputs
        .users
        .iter()
        .map(|f| Input::of(f, "users page"))
        .collect();
    let privileged = roles(inputs.roles, &find_id, &mut diags)?;
    read.extend(
        inputs
            .roles
            .iter()
            .map(|f| Input::of(f, "directory role members")),
    );
    let (registration, unreadable_entries) = registration(inputs.registration, &mut diags)?;
    read.extend(
        inputs
            .registration
            .iter()
            .map(|f| Input::of(f, "MFA registration report")),
    );
    let mut mfa = vec![false; users.len()];
    let mut unregistered = Vec::new();
    for (i, user) in users.iter().enumerate() {
        match registration.get(&user.id) {
            Some(&registered) => {
                if let Some(m) = mfa.get_mut(i) {
                    *m = registered;
                }
            }
            None if unreadable_entries.contains(&user.id) => {}
            None if !user.enabled => unregistered.push(user.upn.clone()),
            None => diags.push(accounts::problem(
                user.at.clone(),
                format!(
                    "{} is not in the MFA registration report: give every page of GET /reports/authenticationMethods/userRegistrationDetails (needs AuditLog.Read.All), taken after the account was created",
                    user.upn
                ),
            )),
        }
    }
    let unmatched = registration
        .keys()
        .filter(|id| !by_id.contains_key(*id))
        .count();
    let service = match inputs.service {
        Some(file) => {
            read.push(Input::of(file, "service accounts"));
            let find = |name: &str| {
                by_upn
                    .get(&name.to_lowercase())
                    .copied()
                    .or_else(|| skip(name))
            };
            let unknown = |name: &str| {
                format!("`{name}` is on the service account list but not in the users export")
            };
            accounts::resolve(&accounts::lines(file), &find, unknown, &mut diags)
        }
        None => BTreeSet::new(),
    };
    accounts::finish(inputs.users, diags)?;

    let mut notes = Vec::new();
    if options.mfa_required.is_none() {
        notes.push("mfa_required left out: whether Conditional Access or security defaults require MFA at sign-in is not in these responses; pass --mfa-required".to_string());
    }
    let disabled = users.iter().filter(|u| !u.enabled).count();
    if disabled > 0 {
        notes.push(format!(
            "disabled_on is null for {}: Graph does not record when an account was disabled",
            accounts::counted(disabled, "disabled account", "disabled accounts")
        ));
    }
    notes.push("privileged from the active members of built-in directory roles only: PIM-eligible assignments, custom roles and assignments scoped to an administrative unit are not in GET /directoryRoles".to_string());
    let attempted: Vec<String> = users
        .iter()
        .filter(|u| matches!(u.sign_in, SignIn::Attempted(Some(_))))
        .map(|u| u.upn.clone())
        .collect();
    if !attempted.is_empty() {
        notes.push(format!(
            "last_login of {} is the latest sign-in attempt, failed ones included: the export has no lastSuccessfulSignInDateTime for them",
            accounts::some(&attempted, 5)
        ));
    }
    let absent: Vec<String> = users
        .iter()
        .filter(|u| u.sign_in == SignIn::Absent)
        .map(|u| u.upn.clone())
        .collect();
    if !absent.is_empty() {
        notes.push(format!(
            "last_login is null (never) for {}: Graph returned no signInActivity, so no sign-in is on record",
            accounts::some(&absent, 5)
        ));
    }
    if !unregistered.is_empty() {
        notes.push(format!(
            "mfa written false for disabled {} missing from the registration report, which leaves disabled users out: not known, and no rule counts MFA on a disabled account",
            accounts::some(&unregistered, 5)
        ));
    }
    if unmatched > 0 {
        notes.push(format!(
            "not used: {} of the registration report with no user in the users export (deleted since the report was refreshed?)",
            accounts::counted(unmatched, "entry", "entries")
        ));
    }
    if inputs.service.is_none() {
        notes.push("no --service list: every account is typed human".to_string());
    }
    let accounts = users
        .iter()
        .enumerate()
        .map(|(i, u)| Account {
            user: u.upn.clone(),
            email: u.mail.clone(),
            person_id: u.person_id.clone(),
            service: service.contains(&i),
            disabled: !u.enabled,
            disabled_on: None,
            mfa: mfa.get(i).copied().unwrap_or(false),
            privileged: privileged.contains(&i),
            last_login: match u.sign_in {
                SignIn::Absent => None,
                SignIn::Successful(d) | SignIn::Attempted(d) => d,
            },
            created_on: u.created_on,
        })
        .collect();
    let source = Source {
        importer: NAME,
        source_system: "Microsoft Entra ID",
        source: "Microsoft Graph: users, directory role members, MFA registration report",
        system: "entra-id",
        output: OUTPUT,
    };
    let first = inputs
        .users
        .first()
        .ok_or_else(|| Error::Usage("give at least one page of the Graph users export".into()))?;
    let draft = Draft {
        accounts,
        inputs: read,
        rows_read,
        mfa_required: options.mfa_required,
        notes,
    };
    Ok(accounts::document(&source, first, draft, options))
}

/// One user of the users export; `None` (with the problems recorded) when unreadable.
fn read_user(export: &mut Export, item: &Value, base: &str, index: usize) -> Option<User> {
    if !item.is_object() {
        export.problem(
            base,
            format!("entry {} of the users is {item}, not a user", index + 1),
        );
        return None;
    }
    let who = item
        .get("userPrincipalName")
        .or_else(|| item.get("id"))
        .and_then(Value::as_str)
        .map_or_else(|| format!("user {}", index + 1), str::to_string);
    let id = export.string(item, base, "id", &who);
    let upn = export.string(item, base, "userPrincipalName", &who);
    let mail = export.opt_string(item, base, "mail", &who);
    let person_id = export.opt_string(item, base, "employeeId", &who);
    let _ = export.opt_string(item, base, "userType", &who);
    let enabled = if item.get("accountEnabled").is_none() {
        export.problem(
            base,
            format!("{who} has no accountEnabled: add it to $select"),
        );
        None
    } else {
        export.boolean(item, base, "accountEnabled", &who)
    };
    let created_on = if Export::field(item, "createdDateTime").is_none() {
        export.problem(
            base,
            format!("{who} has no createdDateTime (Graph leaves it null when it cannot tell when an old account was created; add createdDateTime to $select if it is missing): created_on needs a date, and xwalk will not invent one"),
        );
        None
    } else {
        export.time(item, base, "createdDateTime", &who)
    };
    let sign_in = match item.get("signInActivity") {
        None | Some(Value::Null) => Some(SignIn::Absent),
        Some(Value::Object(activity)) => {
            let path = |field: &str| format!("signInActivity/{field}");
            if activity.contains_key("lastSuccessfulSignInDateTime") {
                let at = export.time(item, base, &path("lastSuccessfulSignInDateTime"), &who);
                Some(SignIn::Successful(at))
            } else {
                let interactive = export.time(item, base, &path("lastSignInDateTime"), &who);
                let other =
                    export.time(item, base, &path("lastNonInteractiveSignInDateTime"), &who);
                Some(SignIn::Attempted(interactive.max(other)))
            }
        }
        Some(other) => {
            export.problem(
                &format!("{base}/signInActivity"),
                format!("signInActivity of {who} is {other}, not an object"),
            );
            None
        }
    };
    Some(User {
        id: id?,
        upn: upn?,
        mail,
        person_id,
        enabled: enabled?,
        created_on: created_on?,
        sign_in: sign_in?,
        at: export.at(base),
    })
}

/// The users holding a directory role, by index.
fn roles(
    files: &[SourceFile],
    find: &impl Fn(&str) -> Option<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Result<BTreeSet<usize>, Error> {
    let what = "the directory roles (GET /directoryRoles?$expand=members)";
    let mut exports = accounts::parse_all(files, what, diags)?;
    accounts::last_page_given(&mut exports, NEXT, EVERY_PAGE);
    let mut out = BTreeSet::new();
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a directory roles response") {
            continue;
        }
        for (r, role) in export.array("/value", what).iter().enumerate() {
            let base = format!("/value/{r}");
            let who = format!("directory role {}", r + 1);
            let name = export.string(role, &base, "displayName", &who);
            let name = name.unwrap_or(who);
            let members = match Export::field(role, "members") {
                Some(Value::Array(m)) => m.clone(),
                Some(other) => {
                    export.problem(
                        &format!("{base}/members"),
                        format!("members of role {name} is {other}, not a list"),
                    );
                    continue;
                }
                None => {
                    export.problem(
                        &base,
                        format!("role {name} has no members list: ask for it with $expand=members"),
                    );
                    continue;
                }
            };
            for (m, member) in members.iter().enumerate() {
                let at = format!("{base}/members/{m}");
                let label = format!("member {} of role {name}", m + 1);
                let kind = export.opt_string(member, &at, "@odata.type", &label);
                let id = export.string(member, &at, "id", &label);
                let shown = member
                    .get("userPrincipalName")
                    .or_else(|| member.get("displayName"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let Some(id) = id else { continue };
                let shown = shown.unwrap_or_else(|| id.clone());
                match kind.as_deref() {
                    Some("#microsoft.graph.servicePrincipal") => continue,
                    Some("#microsoft.graph.group") => {
                        export.problem(
                            &at,
                            format!("role {name} is held by the group {shown} ({id}): this response does not say who is in the group, so who holds the role is unknown, and xwalk does not read group members yet"),
                        );
                        continue;
                    }
                    _ => {}
                }
                match find(&id) {
                    Some(i) => {
                        out.insert(i);
                    }
                    None => export.problem(
                        &at,
                        format!("{shown} ({id}) holds role {name} but is not in the users export: are both from the same tenant, and was every page of users given?"),
                    ),
                }
            }
        }
    }
    accounts::drain(&mut exports, diags);
    Ok(out)
}

/// Whether each user in the registration report (by object id) can use MFA, and the ids
/// of entries that could not be read (already reported).
fn registration(
    files: &[SourceFile],
    diags: &mut Vec<Diagnostic>,
) -> Result<(BTreeMap<String, bool>, BTreeSet<String>), Error> {
    let what =
        "the MFA registration report (GET /reports/authenticationMethods/userRegistrationDetails)";
    let mut exports = accounts::parse_all(files, what, diags)?;
    accounts::last_page_given(&mut exports, NEXT, EVERY_PAGE);
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, Location> = BTreeMap::new();
    let mut unreadable = BTreeSet::new();
    for export in &mut exports {
        if accounts::refuse_api_error(export, "a registration report") {
            continue;
        }
        for (i, entry) in export.array("/value", what).iter().enumerate() {
            let base = format!("/value/{i}");
            let who = entry
                .get("userPrincipalName")
                .or_else(|| entry.get("id"))
                .and_then(Value::as_str)
                .map_or_else(|| format!("entry {}", i + 1), str::to_string);
            let id = export.string(entry, &base, "id", &who);
            let registered = export.boolean(entry, &base, "isMfaRegistered", &who);
            let capable = match Export::field(entry, "isMfaCapable") {
                None => Some(true),
                Some(_) => export.boolean(entry, &base, "isMfaCapable", &who),
            };
            let (Some(id), Some(registered), Some(capable)) = (id.clone(), registered, capable)
            else {
                unreadable.extend(id);
                continue;
            };
            let at = export.at(&base);
            if let Some(first) = seen.get(&id) {
                let why = format!(
                    "{who} is in the report twice, first at {first}: was a page given twice?"
                );
                diags.push(accounts::problem(at, why));
                continue;
            }
            seen.insert(id.clone(), at);
            out.insert(id, registered && capable);
        }
    }
    accounts::drain(&mut exports, diags);
    Ok((out, unreadable))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: &str = r##"{"value": [{"displayName": "Global Reader", "members": [
        {"@odata.type": "#microsoft.graph.user", "id": "u1"},
        {"@odata.type": "#microsoft.graph.servicePrincipal", "id": "app1"}]}]}"##;

    fn run(users: &str, registration: &str) -> Result<Value, Error> {
        let users = [SourceFile::new("users.json", users)];
        let roles = [SourceFile::new("roles.json", ROLES)];
        let registration = [SourceFile::new("reg.json", registration)];
        let inputs = Inputs {
            users: &users,
            roles: &roles,
            registration: &registration,
            service: None,
        };
        let imported = import(&inputs, &Options::default())?;
        Ok(serde_json::from_str(&imported.files[0].1).unwrap())
    }

    #[test]
    fn without_a_successful_sign_in_time_the_latest_attempt_is_used_and_said() {
        let users = r#"{"value": [{"id": "u1", "userPrincipalName": "a@x.example", "accountEnabled": true,
            "createdDateTime": "2025-01-01T00:00:00Z",
            "signInActivity": {"lastSignInDateTime": "2026-05-01T10:00:00Z",
                               "lastNonInteractiveSignInDateTime": "2026-06-02T10:00:00Z"}}]}"#;
        let registration =
            r#"{"value": [{"id": "u1", "isMfaRegistered": true, "isMfaCapable": false}]}"#;
        let doc = run(users, registration).unwrap();
        let account = &doc["items"][0];
        assert_eq!(account["last_login"], "2026-06-02");
        assert_eq!(
            account["mfa"], false,
            "registered methods the policy does not allow"
        );
        assert_eq!(account["privileged"], true, "a reader role counts");
        assert_eq!(
            account["email"],
            Value::Null,
            "no mail, and a UPN is not one"
        );
        let notes = doc["provenance"]["notes"].to_string();
        assert!(
            notes.contains("last_login of a@x.example is the latest sign-in attempt"),
            "{notes}"
        );
    }

    #[test]
    fn a_null_creation_time_is_refused_not_invented() {
        let users = r#"{"value": [{"id": "u1", "userPrincipalName": "a@x.example", "accountEnabled": true,
            "createdDateTime": null, "signInActivity": null}]}"#;
        let Err(Error::Invalid { diagnostics, .. }) = run(users, r#"{"value": []}"#) else {
            panic!("a null creation time was accepted")
        };
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(
            diagnostics[0]
                .message
                .contains("a@x.example has no createdDateTime"),
            "{diagnostics:?}"
        );
    }
}
