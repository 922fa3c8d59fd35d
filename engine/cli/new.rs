//! `xwalk new rule ID --requirement FW:ID...`: write a rule skeleton and its test cases.

use crate::output;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xwalk::rules::RuleSeverity;

/// Arguments of `xwalk new rule`.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// Rule id as AREA.NAME, e.g. acme.laptops-encrypted.
    id: String,
    /// Requirement the rule tests, as FW:ID (repeatable, at least one).
    #[arg(long = "requirement", value_name = "FW:ID", required = true)]
    requirements: Vec<String>,
    /// Facts kind the rule reads.
    #[arg(long, value_name = "KIND", default_value = "asset_inventory")]
    facts: String,
    /// Severity of a failure: major, minor or ofi.
    #[arg(long, default_value = "minor")]
    severity: String,
    /// Rules directory to write into.
    #[arg(long, value_name = "DIR", default_value = "rules")]
    dir: PathBuf,
}

/// Run the command.
pub fn rule(args: &RuleArgs, crosswalk_dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let crosswalk = output::load_crosswalk(crosswalk_dirs)?;
    for r in &args.requirements {
        crosswalk.resolve_str(r)?;
    }
    args.severity
        .parse::<RuleSeverity>()
        .map_err(xwalk::Error::Usage)?;
    let (area, name) = split_id(&args.id)?;
    let folder = args.dir.join(area);
    let rule_path = folder.join(format!("{name}.rhai"));
    let tests_path = folder.join(format!("{name}.tests.json"));
    for p in [&rule_path, &tests_path] {
        if p.exists() {
            return Err(xwalk::Error::Usage(format!(
                "{} already exists; not overwriting",
                p.display()
            )));
        }
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| xwalk::Error::io(&folder.display().to_string(), e))?;
    write(&rule_path, &rule_text(args))?;
    write(&tests_path, &tests_text(&args.facts))?;
    output::print(&format!(
        "wrote {}\nwrote {}\nnext: edit the rule, then run `xwalk check {dir}` and `xwalk test {dir}`\n",
        rule_path.display(),
        tests_path.display(),
        dir = args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}

fn split_id(id: &str) -> Result<(&str, &str), xwalk::Error> {
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    match id.split_once('.') {
        Some((area, name)) if ok(area) && ok(name) => Ok((area, name)),
        _ => Err(xwalk::Error::Usage(format!(
            "rule id `{id}` must be AREA.NAME with letters, digits, - and _ (e.g. acme.laptops-encrypted)"
        ))),
    }
}

fn write(path: &Path, text: &str) -> Result<(), xwalk::Error> {
    xwalk::report::write::atomic(path, text.as_bytes())
}

fn rule_text(args: &RuleArgs) -> String {
    format!(
        "//! id: {id}\n//! title: Every {kind} item has an owner\n//! severity: {severity}\n//! requirements: {reqs}\n//! facts: {kind}\n//! description: Replace this with what the rule checks and why an auditor cares.\n\nfn evaluate(doc) {{\n    let items = doc.items;\n    if items.is_empty() {{\n        return fail(\"no items recorded\", doc);\n    }}\n    let missing = items.filter(|i| i.get(\"owner\", ()) == ());\n    if missing.is_empty() {{\n        return pass(`${{items.len()}} items, all with an owner`, doc);\n    }}\n    fail(`${{missing.len()}} of ${{items.len()}} items without an owner`, missing)\n}}\n",
        id = args.id,
        kind = args.facts,
        severity = args.severity,
        reqs = args.requirements.join(", "),
    )
}

fn tests_text(kind: &str) -> String {
    let doc = |owner: &str| {
        format!("{{\"kind\": \"{kind}\", \"items\": [{{\"id\": \"item-1\", \"owner\": {owner}}}]}}")
    };
    format!(
        "{{\n  \"as_of\": \"2026-06-30\",\n  \"cases\": [\n    {{\n      \"name\": \"every item has an owner\",\n      \"facts\": {{\"{kind}/sample.json\": {pass}}},\n      \"expect\": {{\"outcome\": \"pass\", \"message\": \"all with an owner\"}}\n    }},\n    {{\n      \"name\": \"an item without an owner fails\",\n      \"facts\": {{\"{kind}/sample.json\": {fail}}},\n      \"expect\": {{\"outcome\": \"fail\", \"message\": \"1 of 1 items without an owner\"}}\n    }}\n  ]\n}}\n",
        pass = doc("\"it-team\""),
        fail = doc("null"),
    )
}
