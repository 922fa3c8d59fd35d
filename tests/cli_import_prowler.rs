//! `xwalk import prowler-ocsf` through the binary: Prowler's OCSF findings become a
//! `cloud_check` document per account whose requirement mappings use xwalk's ids, dated by
//! the scan itself; a muted failure is still a failure; bad findings are refused at their
//! line with nothing written.

mod common;

use common::xwalk;
use std::path::Path;

const SCAN: &str = "fixtures/imports/prowler/prowler-output-210987654321.ocsf.json";
const OUTPUT: &str = "cloud/prowler-aws-210987654321.json";

fn import(file: &str, out: &Path) -> common::Run {
    xwalk(&[
        "import",
        "prowler-ocsf",
        file,
        "--out",
        out.to_str().unwrap(),
    ])
}

#[test]
fn prowler_findings_become_cloud_checks_mapped_to_xwalk_requirements() {
    let out = tempfile::tempdir().unwrap();
    let run = import(SCAN, out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(out.path().join(OUTPUT)).unwrap();
    insta::assert_snapshot!("import_prowler_ocsf", text);
    let check = xwalk(&["facts", "check", out.path().to_str().unwrap()]);
    assert!(check.stdout.contains("0 problems"), "{}", check.stdout);
    let again = tempfile::tempdir().unwrap();
    import(SCAN, again.path());
    assert_eq!(
        std::fs::read_to_string(again.path().join(OUTPUT)).unwrap(),
        text
    );

    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        doc["collected_on"], "2026-06-29",
        "the day of the earliest finding"
    );
    let item = |check: &str| {
        doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["check"] == check)
            .unwrap()
            .clone()
    };
    assert_eq!(
        item("s3_bucket_default_encryption")["requirements"],
        serde_json::json!(["iso27001-2022:A.8.24", "soc2-2017:C1.1", "soc2-2017:CC6.1"])
    );
    assert_eq!(
        doc["provenance"]["unknown_requirement_ids"]["ISO27001-2022 A.8.99"], 1,
        "an id that names no requirement is counted, not dropped"
    );
    assert_eq!(item("s3_bucket_public_access")["muted"], true);

    let (_, report) = common::eval_json(out.path().to_str().unwrap(), &[]);
    let result = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "ops.cloud-checks-pass")
        .unwrap();
    assert_eq!(result["outcome"], "fail");
    let message = result["message"].as_str().unwrap();
    for expected in [
        "3 of 7 check results",
        "s3_bucket_public_access on arn:aws:s3:::harbourline-marketing-assets (critical, muted in the tool)",
        "iam_user_mfa_enabled_console_access",
        "1 manual check left to a person",
    ] {
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

#[test]
fn bad_prowler_output_is_refused_at_its_line_and_nothing_is_written() {
    let original = std::fs::read_to_string(common::root().join(SCAN)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("empty", String::new(), ":1:1", "is empty"),
        ("no findings", "[]".to_string(), ":1:", "holds no findings"),
        (
            "unknown status",
            original.replacen("\"status_code\": \"PASS\"", "\"status_code\": \"OK\"", 1),
            ".ocsf.json:",
            "status_code of iam_root_mfa_enabled is `OK`, not PASS, FAIL or MANUAL",
        ),
        (
            "foreign time",
            original.replacen(
                "\"time_dt\": \"2026-06-29T02:14:07.512Z\"",
                "\"time_dt\": \"29/06/2026 02:14\"",
                1,
            ),
            ".ocsf.json:",
            "time_dt of iam_root_mfa_enabled is `29/06/2026 02:14`",
        ),
        (
            "no check id",
            original.replacen("\"event_code\"", "\"code\"", 1),
            ".ocsf.json:2:",
            "finding 1 has no metadata/event_code",
        ),
    ];
    for (what, text, at, says) in cases {
        let path = dir.path().join("scan.ocsf.json");
        std::fs::write(&path, text).unwrap();
        let out = tempfile::tempdir().unwrap();
        let run = import(path.to_str().unwrap(), out.path());
        assert_eq!(run.code, 2, "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(at) && run.stderr.contains(says),
            "{what}: {}",
            run.stderr
        );
        assert!(
            !out.path().join("cloud").exists(),
            "{what}: nothing written"
        );
    }
}
