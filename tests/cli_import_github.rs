//! `xwalk import github-members`, `github-repos` and `join` through the binary: golden
//! outputs that pass `facts check`, facts GitHub does not keep marked unrecorded (never read
//! as "never"), bad responses refused at their line and column with nothing written, and
//! accounts tied to the HR roster only by what says so.

mod common;

use common::xwalk;
use std::path::Path;

const G: &str = "fixtures/imports/github";

fn members(out: &Path, extra: &[&str]) -> common::Run {
    let pages = [
        format!("{G}/members-page-1.json"),
        format!("{G}/members-page-2.json"),
    ];
    let (owners, no2fa, org, service) = (
        format!("{G}/owners.json"),
        format!("{G}/members-2fa-disabled.json"),
        format!("{G}/org.json"),
        format!("{G}/machine-users.txt"),
    );
    let args = [
        "import",
        "github-members",
        &pages[0],
        &pages[1],
        "--admins",
        &owners,
        "--two-factor-disabled",
        &no2fa,
        "--org",
        &org,
        "--service",
        &service,
        "--collected-on",
        "2026-06-30",
        "--out",
        out.to_str().unwrap(),
    ];
    xwalk(&[&args[..], extra].concat())
}

fn repos(out: &Path, pages: &str) -> common::Run {
    let dir = |d: &str| format!("{G}/{d}");
    xwalk(&[
        "import",
        "github-repos",
        pages,
        "--protection",
        &dir("protection"),
        "--rules",
        &dir("rules"),
        "--code-scanning",
        &dir("code-scanning"),
        "--production",
        &dir("production.txt"),
        "--collected-on",
        "2026-06-30",
        "--out",
        out.to_str().unwrap(),
    ])
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn github_members_and_repositories_become_accounts_and_repository_documents() {
    let out = tempfile::tempdir().unwrap();
    let run = members(out.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = repos(out.path(), &format!("{G}/repos.json"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let accounts = read(&out.path().join("identity/github.json"));
    let repositories = read(&out.path().join("code/github.json"));
    insta::assert_snapshot!("import_github_members", accounts);
    insta::assert_snapshot!("import_github_repos", repositories);
    let check = xwalk(&["facts", "check", out.path().to_str().unwrap()]);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);

    // GitHub keeps no creation dates or logins: marked unrecorded, and the rules say so.
    let doc: serde_json::Value = serde_json::from_str(&accounts).unwrap();
    assert_eq!(
        doc["unrecorded"],
        serde_json::json!(["created_on", "last_login"])
    );
    let again = tempfile::tempdir().unwrap();
    members(again.path(), &[]);
    assert_eq!(read(&again.path().join("identity/github.json")), accounts);

    let (_, report) = common::eval_json(out.path().to_str().unwrap(), &[]);
    let outcome = |rule: &str, file: &str| {
        report["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == rule && r["file"] == file)
            .map(|r| (r["outcome"].clone(), r["message"].clone()))
            .unwrap_or_else(|| panic!("no {rule} on {file}"))
    };
    let (o, m) = outcome("access.dormant-accounts", "identity/github.json");
    assert_eq!(o, "fail", "{m}");
    assert!(
        m.as_str().unwrap().contains("does not record logins"),
        "{m}"
    );
    let (o, m) = outcome("dev.code-review", "code/github.json");
    assert_eq!(o, "fail");
    let m = m.as_str().unwrap();
    assert!(
        m.contains("harbourline/web") && m.contains("harbourline/infra"),
        "{m}"
    );
    assert!(!m.contains("harbourline/api"), "{m}");
    let (o, _) = outcome("access.mfa-enforced", "identity/github.json");
    assert_eq!(o, "fail", "the organisation does not require 2FA");
}

#[test]
fn join_ties_accounts_to_the_roster_only_by_what_says_so_and_reports_the_rest() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_str().unwrap();
    assert_eq!(members(out.path(), &[]).code, 0);
    let hr = xwalk(&[
        "import",
        "hr-roster",
        "fixtures/imports/hr/roster.csv",
        "--mapping",
        "fixtures/imports/hr/mapping.toml",
        "--collected-on",
        "2026-06-30",
        "--out",
        dir,
    ]);
    assert_eq!(hr.code, 0, "{}", hr.stderr);
    let aws = xwalk(&[
        "import",
        "aws-iam-credential-report",
        "fixtures/imports/aws/credential-report.csv",
        "--privileged",
        "fixtures/imports/aws/admins.json",
        "--out",
        dir,
    ]);
    assert_eq!(aws.code, 0, "{}", aws.stderr);
    let run = xwalk(&[
        "import",
        "join",
        dir,
        "--identities",
        &format!("{G}/identities.toml"),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A login that only looks like a roster email is suggested, not tied.
    assert!(
        run.stderr
            .contains("aws/amara.osei: tied to no one on the HR roster (looks like 1001"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("github/ines-c: tied to no one"),
        "{}",
        run.stderr
    );
    let doc: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("identity/github.json"))).unwrap();
    let person = |user: &str| {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["user"] == user)
            .unwrap()["person_id"]
            .clone()
    };
    assert_eq!(person("tlindgren"), "1002", "by HR id");
    assert_eq!(person("amara-osei"), "1001", "by email");
    assert_eq!(
        person("ines-c"),
        serde_json::Value::Null,
        "kept, not dropped"
    );
    assert_eq!(
        doc["provenance"]["join"]["unmatched"],
        serde_json::json!(["ines-c"])
    );
    let aws: serde_json::Value =
        serde_json::from_str(&read(&out.path().join("identity/aws-iam.json"))).unwrap();
    assert!(aws["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["person_id"].is_null()));

    // The leaver rule now sees lbrandt (left on 2026-05-30, still a member); the AWS users
    // tied to no one are not passed over as "no leavers".
    let (_, report) = common::eval_json(dir, &[]);
    let leavers: Vec<&serde_json::Value> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["rule"] == "people.leavers-access-removed")
        .collect();
    assert!(
        leavers.iter().all(|r| r["outcome"] == "fail"),
        "{leavers:?}"
    );
    assert!(leavers
        .iter()
        .any(|r| r["message"].as_str().unwrap().contains("lbrandt")));
    assert!(leavers.iter().any(|r| r["message"]
        .as_str()
        .unwrap()
        .contains("tied to no one on the HR roster")));

    // An identities entry naming someone not on the roster is refused at its line.
    let bad = out.path().join("bad.toml");
    std::fs::write(&bad, "[github]\nines-c = \"9999\"\n").unwrap();
    let run = xwalk(&["import", "join", dir, "--identities", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.toml:2") && run.stderr.contains("not on the HR roster"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_github_responses_are_refused_at_their_line_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let original = read(&common::root().join(G).join("repos.json"));
    let cases = [
        ("empty", String::new(), "repos.json:1:1", "is empty"),
        ("not JSON", "[{".to_string(), "repos.json:1:", "is not JSON"),
        (
            "no security_and_analysis",
            original.replacen("\"security_and_analysis\"", "\"x_security\"", 1),
            "repos.json:2:",
            "has no security_and_analysis",
        ),
        (
            "wrong type",
            original.replacen("\"archived\": false", "\"archived\": \"no\"", 1),
            "repos.json:",
            "archived of harbourline/api is \"no\", not true or false",
        ),
    ];
    for (what, text, at, says) in cases {
        let path = dir.path().join("repos.json");
        std::fs::write(&path, text).unwrap();
        let out = tempfile::tempdir().unwrap();
        let run = repos(out.path(), path.to_str().unwrap());
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(at) && run.stderr.contains(says),
            "{what}: {}",
            run.stderr
        );
        assert!(!out.path().join("code").exists(), "{what}: nothing written");
    }
    // Without the 2FA list the import stops: the member list does not say.
    let out = tempfile::tempdir().unwrap();
    let run = xwalk(&[
        "import",
        "github-members",
        &format!("{G}/members-page-1.json"),
        "--admins",
        &format!("{G}/owners.json"),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--two-factor-disabled"),
        "{}",
        run.stderr
    );
    // An owner who is not among the members: responses of different organisations.
    let run = xwalk(&[
        "import",
        "github-members",
        &format!("{G}/members-page-2.json"),
        "--admins",
        &format!("{G}/owners.json"),
        "--two-factor-disabled",
        &format!("{G}/members-2fa-disabled.json"),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("owners.json:2:3")
            && run
                .stderr
                .contains("amara-osei is in the owners list but not a member"),
        "{}",
        run.stderr
    );
    assert!(!out.path().join("identity").exists());
}
