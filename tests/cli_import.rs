//! `xwalk import` through the binary: a golden output per importer that passes `facts
//! check`, the same output on every run, facts the export lacks asked for rather than
//! guessed, and bad exports refused at their row and column with nothing written.

mod common;

use common::xwalk;

const REPORT: &str = "fixtures/imports/aws/credential-report.csv";
const ADMINS: &str = "fixtures/imports/aws/admins.json";

fn import(report: &str, extra: &[&str]) -> (tempfile::TempDir, common::Run) {
    let out = tempfile::tempdir().unwrap();
    let run = xwalk(
        &[
            &[
                "import",
                "aws-iam-credential-report",
                report,
                "--out",
                out.path().to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat(),
    );
    (out, run)
}

/// Each bad variant of an export, written as `name` and imported by `run`, exits 2 with a
/// message at `at` saying `says`, and writes nothing under `written`.
fn refused(
    cases: &[(&str, String, &str, &str)],
    name: &str,
    written: &str,
    run: impl Fn(&str) -> (tempfile::TempDir, common::Run),
) {
    let dir = tempfile::tempdir().unwrap();
    for (what, text, at, says) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (out, result) = run(path.to_str().unwrap());
        assert_eq!(result.code, 2, "{what}: {}", result.stderr);
        assert!(
            result.stderr.contains(at) && result.stderr.contains(says),
            "{what}: {}",
            result.stderr
        );
        assert!(
            !out.path().join(written).exists(),
            "{what}: nothing half-written"
        );
    }
}

#[test]
fn the_aws_credential_report_becomes_an_accounts_document_with_provenance() {
    let args = [
        "--privileged",
        ADMINS,
        "--collected-on",
        "2026-06-30",
        "--mfa-required",
        "true",
    ];
    let (out, run) = import(REPORT, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let path = out.path().join("identity/aws-iam.json");
    let text = std::fs::read_to_string(&path).unwrap();
    insta::assert_snapshot!("import_aws_iam_credential_report", text);

    let check = xwalk(&["facts", "check", out.path().to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);

    // The provenance names the input by its digest; a second run gives the same bytes.
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let input = std::fs::read(common::root().join(REPORT)).unwrap();
    use sha2::Digest;
    let digest: String = sha2::Sha256::digest(&input)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(doc["provenance"]["sha256"], digest);
    assert_eq!(doc["provenance"]["rows_read"], 6);
    let (again, _) = import(REPORT, &args);
    assert_eq!(
        std::fs::read_to_string(again.path().join("identity/aws-iam.json")).unwrap(),
        text
    );

    // The rules read it like any accounts export.
    let eval = xwalk(&[
        "eval",
        "--facts",
        out.path().to_str().unwrap(),
        "--as-of",
        "2026-06-30",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&eval.stdout).unwrap();
    let mfa = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "access.mfa-enforced")
        .unwrap();
    assert_eq!(mfa["outcome"], "fail", "tomas.lindgren has no MFA: {mfa}");
    assert!(
        mfa["message"].as_str().unwrap().contains("tomas.lindgren"),
        "{mfa}"
    );
}

#[test]
fn facts_the_export_does_not_hold_are_asked_for_not_guessed() {
    let (out, run) = import(REPORT, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("does not say who holds administrator rights; give --privileged FILE"),
        "{}",
        run.stderr
    );
    assert!(!out.path().join("identity").exists(), "nothing written");

    // Without --collected-on the document is undated, and the provenance says why.
    let (out, run) = import(REPORT, &["--privileged", ADMINS]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("identity/aws-iam.json")).unwrap(),
    )
    .unwrap();
    assert!(doc.get("collected_on").is_none());
    assert!(
        doc.get("mfa_required").is_none(),
        "enforcement is a policy, not a column"
    );
    assert!(doc["provenance"]["collected_on_from"]
        .as_str()
        .unwrap()
        .starts_with("not stated"));

    // A privileged list from another account is refused.
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("admins.txt");
    std::fs::write(&other, "# admins\namara.osei\nsomeone.else\n").unwrap();
    let (_, run) = import(REPORT, &["--privileged", other.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("names users the credential report does not have: someone.else"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_export_is_refused_at_its_row_and_column_and_nothing_is_written() {
    let original = std::fs::read_to_string(common::root().join(REPORT)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "renamed column",
            original.replacen("mfa_active", "mfa", 1),
            "credential-report.csv:1:",
            "missing column(s) mfa_active",
        ),
        (
            "foreign date",
            original.replacen("2026-06-29T08:41:10+00:00", "29/06/2026 08:41", 1),
            "credential-report.csv:3:5:",
            "password_last_used of amara.osei is `29/06/2026 08:41`",
        ),
        (
            "not a flag",
            original.replacen(",true,2026-02-11", ",yes,2026-02-11", 1),
            "credential-report.csv:4:4:",
            "password_enabled of tomas.lindgren is `yes`",
        ),
        (
            "empty",
            String::new(),
            "credential-report.csv:1:",
            "the credential report is empty",
        ),
        (
            "header only",
            original.lines().next().unwrap().to_string() + "\n",
            "credential-report.csv:1:",
            "no rows",
        ),
    ];
    refused(&cases, "credential-report.csv", "identity", |path| {
        import(path, &["--privileged", ADMINS])
    });
    // Not UTF-8 (a report saved as Latin-1).
    let path = dir.path().join("credential-report.csv");
    let mut bytes = original.into_bytes();
    bytes.extend_from_slice(b"j\xf6rg,arn,2026-01-01T00:00:00+00:00\n");
    std::fs::write(&path, bytes).unwrap();
    let (_, run) = import(path.to_str().unwrap(), &["--privileged", ADMINS]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
}

const ROSTER: &str = "fixtures/imports/hr/roster.csv";
const MAPPING: &str = "fixtures/imports/hr/mapping.toml";

fn roster(file: &str, mapping: &str, extra: &[&str]) -> (tempfile::TempDir, common::Run) {
    let out = tempfile::tempdir().unwrap();
    let run = xwalk(
        &[
            &[
                "import",
                "hr-roster",
                file,
                "--mapping",
                mapping,
                "--out",
                out.path().to_str().unwrap(),
            ][..],
            extra,
        ]
        .concat(),
    );
    (out, run)
}

#[test]
fn an_hr_roster_becomes_a_people_document_through_its_mapping() {
    let (out, run) = roster(ROSTER, MAPPING, &["--collected-on", "2026-06-30"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(out.path().join("hr/people.json")).unwrap();
    insta::assert_snapshot!("import_hr_roster", text);
    let check = xwalk(&["facts", "check", out.path().to_str().unwrap()]);
    assert!(
        check.stdout.contains("0 problems"),
        "{}{}",
        check.stdout,
        check.stderr
    );
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let person = |id: &str| {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(person("1005")["status"], "left", "terminated on 2026-05-30");
    assert_eq!(person("1006")["contractor"], true);
    assert_eq!(
        person("1003")["screening_completed_on"],
        serde_json::Value::Null,
        "not recorded"
    );
    // Whether someone has left depends on the day the report was taken: it is asked for.
    let (_, run) = roster(ROSTER, MAPPING, &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("give --collected-on DATE"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_roster_value_the_mapping_does_not_cover_is_refused_at_its_cell() {
    let original = std::fs::read_to_string(common::root().join(ROSTER)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown employment status",
            original.replacen(",Contractor,", ",Freelancer,", 1),
            "roster.csv:7:9:",
            "`Freelancer`, in neither [contractor] list",
        ),
        (
            "ISO date where the mapping says US",
            original.replacen("04/15/2024", "2024-04-15", 1),
            "roster.csv:6:4:",
            "not a date in the format %m/%d/%Y",
        ),
        (
            "renamed column",
            original.replacen("Work Email", "Email", 1),
            "roster.csv:1:",
            "missing column(s) work email",
        ),
    ];
    refused(&cases, "roster.csv", "hr", |path| {
        roster(path, MAPPING, &["--collected-on", "2026-06-30"])
    });
    let bad = dir.path().join("mapping.toml");
    std::fs::write(&bad, "[columns]\nid = \"Employee #\"\nsalary = \"Pay\"\n").unwrap();
    let (_, run) = roster(
        ROSTER,
        bad.to_str().unwrap(),
        &["--collected-on", "2026-06-30"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("mapping.toml:3:1: error[XW0701]")
            && run.stderr.contains("unknown field `salary`"),
        "{}",
        run.stderr
    );
}
