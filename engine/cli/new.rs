//! `xwalk new rule ID --requirement FW:ID...`: write a rule skeleton and its test cases.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::authoring::scaffold::Scaffold;
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
    severity: RuleSeverity,
    /// Rules directory to write into.
    #[arg(long, value_name = "DIR", default_value = "rules")]
    dir: PathBuf,
}

/// Run the command.
pub fn rule(args: &RuleArgs, crosswalk_dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let crosswalk = output::load_crosswalk(crosswalk_dirs)?;
    let scaffold = Scaffold::new(
        &crosswalk,
        &args.id,
        &args.requirements,
        &args.facts,
        args.severity,
    )?;
    let files = scaffold.files(&args.dir);
    for (path, _) in [&files.rule, &files.tests] {
        if path.exists() {
            return Err(xwalk::Error::Usage(format!(
                "{} already exists; not overwriting",
                path.display()
            )));
        }
    }
    for (path, text) in [&files.rule, &files.tests] {
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)
                .map_err(|e| xwalk::Error::io(&folder.display().to_string(), e))?;
        }
        xwalk::report::write::atomic(path, text.as_bytes())?;
    }
    output::print(&format!(
        "wrote {}\nwrote {}\nnext: edit the rule, then run `xwalk check {dir}` and `xwalk test {dir}`\n",
        files.rule.0.display(),
        files.tests.0.display(),
        dir = args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
