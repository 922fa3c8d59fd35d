//! The identity-provider importers through the binary (Okta, Microsoft Entra ID, Google
//! Workspace): a golden output per importer that passes `facts check`, the same bytes on
//! a second run, the gaps planted in the sample exports found by `eval`, facts an export
//! lacks asked for rather than guessed, and bad exports refused at their file, line and
//! column with nothing written.

mod common;

use common::{eval_json, rows_of, xwalk};
use serde_json::Value;
use std::path::Path;

const OKTA: &str = "fixtures/imports/okta";
const ENTRA: &str = "fixtures/imports/entra";
const GOOGLE: &str = "fixtures/imports/google";

/// `xwalk import FORMAT ARGS... --out TMP`.
fn import(format: &str, args: &[String]) -> (tempfile::TempDir, common::Run) {
    let out = tempfile::tempdir().unwrap();
    let mut all: Vec<&str> = vec!["import", format];
    all.extend(args.iter().map(String::as_str));
    all.extend(["--out", out.path().to_str().unwrap()]);
    let run = xwalk(&all);
    (out, run)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The Okta arguments for the export in `dir`.
fn okta_args(dir: &str) -> Vec<String> {
    strings(&[
        &format!("{dir}/users-1.json"),
        &format!("{dir}/users-2.json"),
        &format!("{dir}/deprovisioned.json"),
        "--factors",
        &format!("{dir}/factors"),
        "--privileged",
        &format!("{dir}/admins.json"),
    ])
}

/// The Entra arguments for the export in `dir`.
fn entra_args(dir: &str) -> Vec<String> {
    strings(&[
        &format!("{dir}/users-1.json"),
        &format!("{dir}/users-2.json"),
        "--role-members",
        &format!("{dir}/roles.json"),
        "--mfa-registration",
        &format!("{dir}/mfa-registration.json"),
    ])
}

/// The Google Workspace arguments for the export in `dir`.
fn google_args(dir: &str) -> Vec<String> {
    strings(&[
        &format!("{dir}/users-1.json"),
        &format!("{dir}/users-2.json"),
    ])
}

/// What every complete import shows: `facts check` passes with no problem, each users
/// page is named in the provenance with its digest, and a second run gives the same bytes.
fn check_golden(
    format: &str,
    args: &[String],
    out: &Path,
    output: &str,
    pages: &[&str],
) -> (String, Value) {
    let text = std::fs::read_to_string(out.join(output)).unwrap();
    let check = xwalk(&["facts", "check", out.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);

    let doc: Value = serde_json::from_str(&text).unwrap();
    let inputs = doc["provenance"]["inputs"].as_array().unwrap();
    for page in pages {
        let name = Path::new(page).file_name().unwrap().to_str().unwrap();
        let input = inputs
            .iter()
            .find(|i| i["file"] == name)
            .unwrap_or_else(|| panic!("{name} not in provenance: {inputs:?}"));
        assert_eq!(input["read_as"], "users page");
        use sha2::Digest;
        let bytes = std::fs::read(common::root().join(page)).unwrap();
        let digest: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(input["sha256"], digest, "{name}");
    }
    let (again, run) = import(format, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(again.path().join(output)).unwrap(),
        text,
        "the same input gives the same bytes"
    );
    (text, doc)
}

fn account<'a>(doc: &'a Value, user: &str) -> &'a Value {
    doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["user"] == user)
        .unwrap_or_else(|| panic!("no account {user}"))
}

/// An HR roster with one leaver, Olaf Berg (F1006), who left on 2026-03-13.
fn add_leaver(out: &Path) {
    std::fs::create_dir_all(out.join("hr")).unwrap();
    std::fs::write(
        out.join("hr/people.json"),
        r#"{"kind": "people", "source": "test roster", "collected_on": "2026-06-30", "items": [
  {"id": "F1006", "name": "Olaf Berg", "email": "olaf.berg@fjordline.example", "status": "left",
   "start_date": "2023-05-22", "end_date": "2026-03-13", "department": "Sales", "role": "Account Executive",
   "screening_completed_on": "2023-05-15", "nda_signed_on": "2023-05-20", "contractor": false}
]}
"#,
    )
    .unwrap();
}

/// The outcome and message of one rule, evaluated on 2026-06-30.
fn outcome(out: &Path, rule: &str) -> (String, String) {
    let (_, report) = eval_json(out.to_str().unwrap(), &[]);
    let rows = rows_of(&report, rule);
    assert_eq!(rows.len(), 1, "{rule}: {rows:?}");
    (
        rows[0]["outcome"].as_str().unwrap().to_string(),
        rows[0]["message"].as_str().unwrap().to_string(),
    )
}

/// A bad variant of an export: files replaced (`Some(text)`) or removed (`None`).
struct Case {
    what: &'static str,
    edits: Vec<(&'static str, Option<String>)>,
    at: &'static str,
    says: &'static str,
}

fn case(
    what: &'static str,
    file: &'static str,
    text: String,
    at: &'static str,
    says: &'static str,
) -> Case {
    Case {
        what,
        edits: vec![(file, Some(text))],
        at,
        says,
    }
}

/// Each variant of the fixture export in `fixture`, imported by `args` (given the
/// variant's directory), exits 2 with a message at `at` saying `says`, and writes nothing.
fn refused(fixture: &str, format: &str, args: impl Fn(&str) -> Vec<String>, cases: &[Case]) {
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::root().join(fixture), dir.path());
        for (file, text) in &case.edits {
            let path = dir.path().join(file);
            match text {
                Some(text) => std::fs::write(&path, text).unwrap(),
                None => std::fs::remove_file(&path).unwrap(),
            }
        }
        let (out, run) = import(format, &args(dir.path().to_str().unwrap()));
        assert_eq!(run.code, 2, "{}: {}", case.what, run.stderr);
        assert!(
            run.stderr.contains(&format!("/{}", case.at)) && run.stderr.contains(case.says),
            "{}: expected `{}` saying `{}`, got:\n{}",
            case.what,
            case.at,
            case.says,
            run.stderr
        );
        assert!(run.stderr.contains("error[XW0701]"), "{}", run.stderr);
        assert!(
            std::fs::read_dir(out.path()).unwrap().next().is_none(),
            "{}: nothing written",
            case.what
        );
    }
}

fn fixture(dir: &str, file: &str) -> String {
    std::fs::read_to_string(common::root().join(dir).join(file)).unwrap()
}

/// A fixture file with a replacement that must apply.
fn replaced(dir: &str, file: &str, from: &str, to: &str) -> String {
    let text = fixture(dir, file);
    assert!(text.contains(from), "{file} has no `{from}`");
    text.replacen(from, to, 1)
}

// ---------------------------------------------------------------------------------------
// Okta

#[test]
fn okta_users_become_accounts_with_their_factors_and_admin_roles() {
    let mut args = okta_args(OKTA);
    args.extend(strings(&[
        "--service",
        "fixtures/imports/okta/service.txt",
        "--collected-on",
        "2026-06-30",
        "--mfa-required",
        "true",
    ]));
    let (out, run) = import("okta-users", &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = [
        "fixtures/imports/okta/users-1.json",
        "fixtures/imports/okta/users-2.json",
        "fixtures/imports/okta/deprovisioned.json",
    ];
    let (text, doc) = check_golden(
        "okta-users",
        &args,
        out.path(),
        "identity/okta.json",
        &pages,
    );
    insta::assert_snapshot!("import_okta_users", text);

    assert_eq!(doc["provenance"]["rows_read"], 9);
    // Every file read is traced: three users pages, eight factors files, the admin
    // assignments and the service list.
    assert_eq!(doc["provenance"]["inputs"].as_array().unwrap().len(), 13);
    let tariq = account(&doc, "tariq.mensah@fjordline.example");
    assert_eq!(tariq["status"], "active", "LOCKED_OUT can be unlocked");
    assert_eq!(
        tariq["mfa"], false,
        "a security question is not a second factor"
    );
    let emma = account(&doc, "emma.lund@fjordline.example");
    assert_eq!(emma["status"], "active", "STAGED can be activated");
    assert_eq!(emma["last_login"], Value::Null);
    let olaf = account(&doc, "olaf.berg@fjordline.example");
    assert_eq!(olaf["status"], "disabled");
    assert_eq!(olaf["disabled_on"], "2026-03-13");
    assert_eq!(
        account(&doc, "felix.brandt@fjordline.example")["person_id"],
        Value::Null
    );
    assert_eq!(
        account(&doc, "svc-reporting@fjordline.example")["type"],
        "service"
    );

    // The planted gaps: an administrator whose only factor was never activated, and a
    // password-expired analyst unused since March.
    let (mfa, message) = outcome(out.path(), "access.mfa-enforced");
    assert_eq!(mfa, "fail", "{message}");
    assert!(
        message.contains("marcus.hale@fjordline.example"),
        "{message}"
    );
    assert!(
        message.contains("tariq.mensah@fjordline.example"),
        "{message}"
    );
    let (dormant, message) = outcome(out.path(), "access.dormant-accounts");
    assert_eq!(dormant, "fail", "{message}");
    assert!(
        message.contains("aino.virtanen@fjordline.example (last login 2026-03-02)"),
        "{message}"
    );
    assert!(
        message.contains("felix.brandt@fjordline.example (never logged in"),
        "{message}"
    );

    // Okta dates the deactivation: a leaver removed on the day is on time. The roster
    // holds only the leaver, so the other active accounts are tied to no one and the
    // rule cannot pass: they may be leavers' too.
    add_leaver(out.path());
    let (leaver, message) = outcome(out.path(), "people.leavers-access-removed");
    assert_eq!(leaver, "fail", "{message}");
    assert!(!message.contains("not disabled within"), "{message}");
    assert!(
        message.contains("tied to no one on the HR roster"),
        "{message}"
    );
}

#[test]
fn okta_asks_for_factors_and_admin_roles_and_says_what_it_left_out() {
    let mut no_factors = okta_args(OKTA);
    no_factors.drain(3..5);
    let (out, run) = import("okta-users", &no_factors);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("does not say who has MFA enrolled; give --factors DIR")
            && run
                .stderr
                .contains("GET /api/v1/users/{id}/factors saved as {id}.json"),
        "{}",
        run.stderr
    );
    assert!(std::fs::read_dir(out.path()).unwrap().next().is_none());

    let mut no_admins = okta_args(OKTA);
    no_admins.truncate(5);
    let (_, run) = import("okta-users", &no_admins);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("does not say who holds an administrator role; give --privileged FILE (GET /api/v1/iam/assignees/users"),
        "{}",
        run.stderr
    );

    // Undated, no MFA policy, no service list, no deactivated users: each said.
    let mut partial = okta_args(OKTA);
    partial.remove(2);
    let (out, run) = import("okta-users", &partial);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("identity/okta.json")).unwrap(),
    )
    .unwrap();
    assert!(doc.get("collected_on").is_none());
    assert!(doc.get("mfa_required").is_none());
    let provenance = &doc["provenance"];
    assert!(provenance["collected_on_from"]
        .as_str()
        .unwrap()
        .starts_with("not stated"));
    let notes = provenance["notes"].to_string();
    for said in [
        "mfa_required left out",
        "no DEPROVISIONED users in the export",
        "every account is typed human",
    ] {
        assert!(notes.contains(said), "{said}: {notes}");
    }
}

#[test]
fn a_bad_okta_export_is_refused_at_its_line_and_column_and_nothing_is_written() {
    let users = |from: &str, to: &str| replaced(OKTA, "users-1.json", from, to);
    let cases = [
        case("empty", "users-1.json", String::new(), "users-1.json:1:1:", "the Okta users list is empty"),
        case("not JSON", "users-1.json", "id,status\n00u1,ACTIVE\n".into(), "users-1.json:1:", "the Okta users list is not JSON"),
        case(
            "a missing creation time",
            "users-1.json",
            users("    \"created\": \"2024-01-15T09:00:00.000Z\",\n", ""),
            "users-1.json:24:3:",
            "marcus.hale@fjordline.example has no created",
        ),
        case(
            "a number for a time",
            "users-1.json",
            users("\"lastLogin\": \"2026-06-27T13:41:09.000Z\"", "\"lastLogin\": 1782567669"),
            "users-1.json:30:18:",
            "lastLogin of marcus.hale@fjordline.example is 1782567669, not an ISO 8601 time",
        ),
        case(
            "a US date",
            "users-1.json",
            users("\"lastLogin\": \"2026-06-29T07:55:12.000Z\"", "\"lastLogin\": \"06/29/2026\""),
            "users-1.json:8:18:",
            "lastLogin of ingrid.solberg@fjordline.example is `06/29/2026`",
        ),
        case(
            "an unknown status",
            "users-1.json",
            users("\"status\": \"LOCKED_OUT\"", "\"status\": \"LOCKED\""),
            "users-1.json:70:15:",
            "status of tariq.mensah@fjordline.example is `LOCKED`",
        ),
        case(
            "an API error saved as a page",
            "users-2.json",
            "{\"errorCode\": \"E0000011\", \"errorSummary\": \"Invalid token provided\"}\n".into(),
            "users-2.json:1:1:",
            "this is an error the API returned, not a users list: E0000011",
        ),
        Case {
            what: "a missing factors file",
            edits: vec![("factors/00ufjl2marcus00002.json", None)],
            at: "users-1.json:24:3:",
            says: "no factors file for marcus.hale@fjordline.example (ACTIVE): save GET /api/v1/users/00ufjl2marcus00002/factors as",
        },
        case(
            "a factor without a status",
            "factors/00ufjl3aino000003.json",
            replaced(OKTA, "factors/00ufjl3aino000003.json", "    \"status\": \"ACTIVE\",\n", ""),
            "00ufjl3aino000003.json:2:3:",
            "factor 1 of aino.virtanen@fjordline.example has no status",
        ),
        case(
            "factors of a user the list does not have",
            "factors/00ufjl0someone0000.json",
            "[]\n".into(),
            "00ufjl0someone0000.json:1:1:",
            "factors of user id `00ufjl0someone0000`, whom the users list does not have",
        ),
        case(
            "an administrator from another org",
            "admins.json",
            replaced(OKTA, "admins.json", "\"id\": \"00ufjl2marcus00002\"", "\"id\": \"00uother0000000001\""),
            "admins.json:11:5:",
            "`00uother0000000001` is on the admin role assignments but not in the users list",
        ),
        case(
            "a page of admin assignments missing",
            "admins.json",
            replaced(
                OKTA,
                "admins.json",
                "\"self\": {\"href\": \"https://fjordline.okta.example/api/v1/iam/assignees/users\"}",
                "\"self\": {\"href\": \"https://fjordline.okta.example/api/v1/iam/assignees/users\"},\n    \"next\": {\"href\": \"https://fjordline.okta.example/api/v1/iam/assignees/users?after=00ufjl2\"}",
            ),
            "admins.json:22:13:",
            "this page links to a next one (`_links/next`)",
        ),
    ];
    refused(OKTA, "okta-users", okta_args, &cases);

    // Every problem at once, across files.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join(OKTA), dir.path());
    std::fs::write(dir.path().join("users-2.json"), "").unwrap();
    std::fs::write(
        dir.path().join("users-1.json"),
        users(
            "\"lastLogin\": \"2026-06-29T07:55:12.000Z\"",
            "\"lastLogin\": \"06/29/2026\"",
        ),
    )
    .unwrap();
    let (_, run) = import("okta-users", &okta_args(dir.path().to_str().unwrap()));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("users-1.json:8:18:") && run.stderr.contains("users-2.json:1:1:"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------
// Microsoft Entra ID

#[test]
fn entra_users_become_accounts_with_their_roles_and_mfa_registration() {
    let mut args = entra_args(ENTRA);
    args.extend(strings(&[
        "--service",
        "fixtures/imports/entra/service.txt",
        "--collected-on",
        "2026-06-30",
        "--mfa-required",
        "true",
    ]));
    let (out, run) = import("entra-users", &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = [
        "fixtures/imports/entra/users-1.json",
        "fixtures/imports/entra/users-2.json",
    ];
    let (text, doc) = check_golden(
        "entra-users",
        &args,
        out.path(),
        "identity/entra-id.json",
        &pages,
    );
    insta::assert_snapshot!("import_entra_users", text);

    assert_eq!(doc["provenance"]["rows_read"], 8);
    let ravi = account(&doc, "ravi.iyer@fjordline.example");
    assert_eq!(
        ravi["privileged"], true,
        "a directory reader counts as privileged"
    );
    let guest = account(
        &doc,
        "kai.nordmann_northwind.example#EXT#@fjordline.onmicrosoft.example",
    );
    assert_eq!(guest["type"], "human");
    assert_eq!(guest["email"], "kai.nordmann@northwind.example");
    assert_eq!(guest["person_id"], Value::Null);
    let pia = account(&doc, "pia.holm@fjordline.example");
    assert_eq!(
        pia["last_login"], "2026-01-15",
        "a failed attempt is not a sign-in"
    );
    let olaf = account(&doc, "olaf.berg@fjordline.example");
    assert_eq!(olaf["status"], "disabled");
    assert_eq!(olaf["disabled_on"], Value::Null, "Graph does not date it");
    assert_eq!(
        account(&doc, "build-agent@fjordline.example")["type"],
        "service"
    );
    let notes = doc["provenance"]["notes"].to_string();
    assert!(
        notes.contains("PIM-eligible assignments, custom roles and assignments scoped to an administrative unit are not in GET /directoryRoles"),
        "{notes}"
    );
    assert!(
        notes.contains("not used: 1 entry of the registration report"),
        "{notes}"
    );

    // The planted gaps: a User Administrator without MFA, and a user whose only recent
    // sign-in attempt failed.
    let (mfa, message) = outcome(out.path(), "access.mfa-enforced");
    assert_eq!(mfa, "fail", "{message}");
    assert!(
        message.contains("marcus.hale@fjordline.example"),
        "{message}"
    );
    let (dormant, message) = outcome(out.path(), "access.dormant-accounts");
    assert_eq!(dormant, "fail", "{message}");
    assert!(
        message.contains("pia.holm@fjordline.example (last login 2026-01-15)"),
        "{message}"
    );

    // Graph does not say when an account was disabled: a leaver's account cannot be shown
    // to have been disabled in time.
    add_leaver(out.path());
    let (leaver, message) = outcome(out.path(), "people.leavers-access-removed");
    assert_eq!(leaver, "fail", "{message}");
    assert!(
        message.contains("disabled on an unrecorded date"),
        "{message}"
    );
}

#[test]
fn entra_asks_for_role_members_and_mfa_registration() {
    let mut args = entra_args(ENTRA);
    args.drain(2..4);
    let (_, run) = import("entra-users", &args);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("give --role-members FILE (GET /directoryRoles?$expand=members"),
        "{}",
        run.stderr
    );
    let mut args = entra_args(ENTRA);
    args.truncate(4);
    let (_, run) = import("entra-users", &args);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "give --mfa-registration FILE (GET /reports/authenticationMethods/userRegistrationDetails"
        ),
        "{}",
        run.stderr
    );
    // Only the first page: the export says more follow.
    let mut args = entra_args(ENTRA);
    args.remove(1);
    let (out, run) = import("entra-users", &args);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("users-1.json:73:22:")
            && run
                .stderr
                .contains("this page links to a next one (`@odata.nextLink`)"),
        "{}",
        run.stderr
    );
    assert!(std::fs::read_dir(out.path()).unwrap().next().is_none());
}

/// A users page without `signInActivity`, as Graph returns it when it was not selected.
fn without_sign_in(file: &str) -> String {
    let mut page: Value = serde_json::from_str(&fixture(ENTRA, file)).unwrap();
    for user in page["value"].as_array_mut().unwrap() {
        user.as_object_mut().unwrap().remove("signInActivity");
    }
    serde_json::to_string_pretty(&page).unwrap()
}

#[test]
fn a_bad_entra_export_is_refused_at_its_line_and_column_and_nothing_is_written() {
    let users = |from: &str, to: &str| replaced(ENTRA, "users-1.json", from, to);
    let cases = [
        case("empty", "users-1.json", String::new(), "users-1.json:1:1:", "the Graph users export is empty"),
        case("not JSON", "users-2.json", "{\"value\": [\n".into(), "users-2.json:2:", "the Graph users export is not JSON"),
        case(
            "accountEnabled not selected",
            "users-1.json",
            users("      \"accountEnabled\": true,\n", ""),
            "users-1.json:4:5:",
            "ingrid.solberg@fjordline.example has no accountEnabled: add it to $select",
        ),
        case(
            "a flag written as text",
            "users-1.json",
            users("\"accountEnabled\": true", "\"accountEnabled\": \"true\""),
            "users-1.json:8:25:",
            "accountEnabled of ingrid.solberg@fjordline.example is \"true\", not true or false",
        ),
        case(
            "a US date",
            "users-1.json",
            users("\"createdDateTime\": \"2024-01-15T08:58:12Z\"", "\"createdDateTime\": \"06/29/2026\""),
            "users-1.json:26:26:",
            "createdDateTime of marcus.hale@fjordline.example is `06/29/2026`",
        ),
        case(
            "a response of another shape",
            "users-2.json",
            "{\"users\": []}\n".into(),
            "users-2.json:1:1:",
            "the users (GET /users: {\"value\": [...]}): expected a JSON array here",
        ),
        case(
            "a permission error saved as a page",
            "users-2.json",
            "{\"error\": {\"code\": \"Authentication_RequestFromNonPremiumTenantOrB2CTenant\", \"message\": \"Neither tenant is B2C or tenant doesn't have premium license\"}}\n".into(),
            "users-2.json:1:1:",
            "this is an error the API returned, not a users response: Authentication_RequestFromNonPremiumTenantOrB2CTenant",
        ),
        Case {
            what: "signInActivity not in the export at all",
            edits: vec![
                ("users-1.json", Some(without_sign_in("users-1.json"))),
                ("users-2.json", Some(without_sign_in("users-2.json"))),
            ],
            at: "users-1.json:5:5:",
            says: "no user in the export has signInActivity",
        },
        case(
            "a user missing from the registration report",
            "mfa-registration.json",
            replaced(
                ENTRA,
                "mfa-registration.json",
                "\"id\": \"6f1c2a10-0002-4c1e-9a10-f00000000002\"",
                "\"id\": \"6f1c2a10-0002-4c1e-9a10-f0000000ffff\"",
            ),
            "users-1.json:21:5:",
            "marcus.hale@fjordline.example is not in the MFA registration report",
        ),
        case(
            "a registration entry without its flag",
            "mfa-registration.json",
            replaced(ENTRA, "mfa-registration.json", "      \"isMfaRegistered\": true,\n", ""),
            "mfa-registration.json:4:5:",
            "ingrid.solberg@fjordline.example has no isMfaRegistered",
        ),
        case(
            "a role held by a group",
            "roles.json",
            replaced(
                ENTRA,
                "roles.json",
                "\"@odata.type\": \"#microsoft.graph.user\",\n          \"id\": \"6f1c2a10-0002",
                "\"@odata.type\": \"#microsoft.graph.group\",\n          \"id\": \"6f1c2a10-0002",
            ),
            "roles.json:24:9:",
            "role User Administrator is held by the group",
        ),
        case(
            "a role member from another tenant",
            "roles.json",
            replaced(ENTRA, "roles.json", "\"id\": \"6f1c2a10-0003-4c1e-9a10-f00000000003\"", "\"id\": \"00000000-0000-4000-8000-000000000000\""),
            "roles.json:38:9:",
            "holds role Directory Readers but is not in the users export",
        ),
    ];
    refused(ENTRA, "entra-users", entra_args, &cases);
}

// ---------------------------------------------------------------------------------------
// Google Workspace

#[test]
fn google_workspace_users_become_accounts_with_admin_and_2sv_from_the_export() {
    let mut args = google_args(GOOGLE);
    args.extend(strings(&[
        "--service",
        "fixtures/imports/google/service.txt",
        "--collected-on",
        "2026-06-30",
    ]));
    let (out, run) = import("google-workspace-users", &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pages = [
        "fixtures/imports/google/users-1.json",
        "fixtures/imports/google/users-2.json",
    ];
    let (text, doc) = check_golden(
        "google-workspace-users",
        &args,
        out.path(),
        "identity/google-workspace.json",
        &pages,
    );
    insta::assert_snapshot!("import_google_workspace_users", text);

    assert_eq!(doc["provenance"]["rows_read"], 7);
    assert_eq!(
        doc["mfa_required"], true,
        "every active user has 2SV enforced"
    );
    let marcus = account(&doc, "marcus.hale@fjordline.example");
    assert_eq!(
        marcus["privileged"], true,
        "a delegated admin is privileged"
    );
    assert_eq!(marcus["mfa"], false);
    let emma = account(&doc, "emma.lund@fjordline.example");
    assert_eq!(emma["last_login"], Value::Null, "1970-01-01 means never");
    assert_eq!(
        emma["person_id"],
        Value::Null,
        "a badge number is not the HR id"
    );
    assert_eq!(
        account(&doc, "lena.kowalski@fjordline.example")["status"],
        "disabled"
    );
    assert_eq!(
        account(&doc, "olaf.berg@fjordline.example")["status"],
        "disabled",
        "archived"
    );

    let (mfa, message) = outcome(out.path(), "access.mfa-enforced");
    assert_eq!(mfa, "fail", "{message}");
    assert!(
        message.contains("marcus.hale@fjordline.example"),
        "{message}"
    );
    add_leaver(out.path());
    let (leaver, message) = outcome(out.path(), "people.leavers-access-removed");
    assert_eq!(leaver, "fail", "{message}");
    assert!(
        message.contains("disabled on an unrecorded date"),
        "{message}"
    );

    // One active user without enforcement: the tenant does not require 2SV of everyone.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::root().join(GOOGLE), dir.path());
    std::fs::write(
        dir.path().join("users-1.json"),
        replaced(
            GOOGLE,
            "users-1.json",
            "\"isEnrolledIn2Sv\": true,\n      \"isEnforcedIn2Sv\": true",
            "\"isEnrolledIn2Sv\": true,\n      \"isEnforcedIn2Sv\": false",
        ),
    )
    .unwrap();
    let (out, run) = import(
        "google-workspace-users",
        &google_args(dir.path().to_str().unwrap()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("identity/google-workspace.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["mfa_required"], false);
    assert!(doc["provenance"]["notes"][0]
        .as_str()
        .unwrap()
        .contains("not enforced for ingrid.solberg@fjordline.example"));
    assert!(doc.get("collected_on").is_none());
}

#[test]
fn a_bad_google_workspace_export_is_refused_at_its_line_and_column_and_nothing_is_written() {
    let users = |from: &str, to: &str| replaced(GOOGLE, "users-1.json", from, to);
    let cases = [
        case("empty", "users-2.json", "\n".into(), "users-2.json:1:1:", "the Workspace users list is empty"),
        case("not JSON", "users-1.json", "users:\n  - ingrid\n".into(), "users-1.json:1:", "the Workspace users list is not JSON"),
        case(
            "2SV enrolment not in the export",
            "users-1.json",
            users("      \"isEnrolledIn2Sv\": false,\n", ""),
            "users-1.json:43:5:",
            "marcus.hale@fjordline.example has no isEnrolledIn2Sv",
        ),
        case(
            "a flag written as text",
            "users-1.json",
            users("\"suspended\": false", "\"suspended\": \"false\""),
            "users-1.json:20:20:",
            "suspended of ingrid.solberg@fjordline.example is \"false\", not true or false",
        ),
        case(
            "a US date",
            "users-1.json",
            users("\"lastLoginTime\": \"2026-06-26T12:31:40.000Z\"", "\"lastLoginTime\": \"06/29/2026\""),
            "users-1.json:55:24:",
            "lastLoginTime of marcus.hale@fjordline.example is `06/29/2026`",
        ),
        case(
            "two employee ids",
            "users-1.json",
            users(
                "{\n          \"value\": \"F1001\",\n          \"type\": \"organization\"\n        }",
                "{\n          \"value\": \"F1001\",\n          \"type\": \"organization\"\n        },\n        {\"value\": \"F9001\", \"type\": \"organization\"}",
            ),
            "users-1.json:",
            "ingrid.solberg@fjordline.example has two organization ids, F1001 and F9001",
        ),
        case(
            "the last page missing",
            "users-2.json",
            replaced(GOOGLE, "users-2.json", "\"etag\": \"\\\"fjl-page-2\\\"\",", "\"etag\": \"\\\"fjl-page-2\\\"\",\n  \"nextPageToken\": \"Q0FFU0FCZmpvcmRsaW5lLXBhZ2UtMw\","),
            "users-2.json:4:20:",
            "this page links to a next one (`nextPageToken`)",
        ),
        case(
            "a service account the export does not have",
            "service.txt",
            "backup-robot@fjordline.example\nprinter@fjordline.example\n".into(),
            "service.txt:2:1:",
            "`printer@fjordline.example` is on the service account list but not in the users list",
        ),
    ];
    refused(
        GOOGLE,
        "google-workspace-users",
        |dir| {
            let mut args = google_args(dir);
            args.extend(strings(&["--service", &format!("{dir}/service.txt")]));
            args
        },
        &cases,
    );
}
