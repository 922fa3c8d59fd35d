//! Runs docs/writing-rules.md as a new user would: every `sh` block's commands,
//! every block marked `file=PATH` written to disk, in order, in an empty directory; and
//! checks that its reference lists every native helper.

mod common;

#[test]
fn writing_rules_tutorial_works_as_written() {
    let doc = std::fs::read_to_string(common::root().join("docs/writing-rules.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut in_block: Option<String> = None;
    let mut body = String::new();
    let mut commands = 0;
    let tutorial = doc.split("## Reference").next().unwrap();
    for line in tutorial.lines() {
        if let Some(info) = &in_block {
            if line.starts_with("```") {
                run_block(info, &body, dir.path(), &mut commands);
                in_block = None;
                body.clear();
            } else {
                body.push_str(line);
                body.push('\n');
            }
        } else if let Some(info) = line.strip_prefix("```") {
            in_block = Some(info.to_string());
        }
    }
    assert!(commands >= 6, "the tutorial ran only {commands} commands");
    let rule = dir.path().join("my-rules/acme/laptops-encrypted.rhai");
    assert!(std::fs::read_to_string(rule)
        .unwrap()
        .contains("Every laptop is encrypted"));
}

fn run_block(info: &str, body: &str, dir: &std::path::Path, commands: &mut usize) {
    if let Some(path) = info
        .split_whitespace()
        .find_map(|w| w.strip_prefix("file="))
    {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
        return;
    }
    if info.trim() != "sh" {
        return;
    }
    for line in body.lines().filter(|l| l.starts_with("xwalk ")) {
        let (command, expected) = match line.split_once("# exit ") {
            Some((c, code)) => (c.trim(), code.trim().parse::<i32>().unwrap()),
            None => (line.trim(), 0),
        };
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let run = common::xwalk_in(dir, &args);
        assert_eq!(
            run.code, expected,
            "`{command}` exited {}\nstdout:\n{}\nstderr:\n{}",
            run.code, run.stdout, run.stderr
        );
        if command.starts_with("xwalk test") {
            assert!(run.stdout.contains("2 passed, 0 failed"), "{}", run.stdout);
        }
        if command.starts_with("xwalk explain") {
            assert!(run.stdout.contains("bo-xps"), "{}", run.stdout);
            assert!(
                run.stdout.contains("assets.json#/items/1"),
                "{}",
                run.stdout
            );
            assert!(run.stdout.contains("soc2-2017:CC6.7"), "{}", run.stdout);
        }
        *commands += 1;
    }
}

#[test]
fn every_native_helper_is_in_the_reference() {
    let doc = std::fs::read_to_string(common::root().join("docs/writing-rules.md")).unwrap();
    let reference = doc.split("## Reference").nth(1).unwrap();
    let missing: Vec<&&str> = xwalk::sandbox::helpers::NAMES
        .iter()
        .filter(|name| !reference.contains(&format!("| `{name}(")))
        .collect();
    assert!(
        missing.is_empty(),
        "helpers missing from docs/writing-rules.md: {missing:?}"
    );
}
