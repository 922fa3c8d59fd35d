//! Shell completions and manual pages, generated from the argument definitions: bash loads
//! the completion script and completes a subcommand, and the pages name every command.

mod common;

use common::xwalk;

#[test]
fn bash_loads_the_completion_script_and_completes_subcommands() {
    let run = xwalk(&["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("xwalk.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    // Complete `xwalk ev` the way bash does on Tab.
    let probe = format!(
        "source {}; COMP_WORDS=(xwalk ev); COMP_CWORD=1; _xwalk xwalk ev xwalk; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &probe])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(words.lines().any(|w| w == "eval"), "{words}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let run = xwalk(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("xwalk"), "{shell}");
    }
}

#[test]
fn man_writes_a_page_per_command() {
    let run = xwalk(&["man"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(".TH xwalk 1"), "{}", run.stdout);
    let dir = tempfile::tempdir().unwrap();
    let run = xwalk(&["man", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["xwalk.1", "xwalk-eval.1", "xwalk-import.1", "xwalk-soa.1"] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".SH SYNOPSIS"), "{page}");
    }
    let eval = std::fs::read_to_string(dir.path().join("xwalk-eval.1")).unwrap();
    assert!(eval.contains("min\\-coverage"), "every flag is documented");
}
