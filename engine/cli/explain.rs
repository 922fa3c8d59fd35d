//! `xwalk explain RULE_ID [FACTS...]`: one rule, its results, and their meaning across frameworks.

use crate::eval::Inputs;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::facts::{self, Corpus, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::{eval, explain, report};

/// Arguments of `xwalk explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule id.
    rule: String,
    /// Facts files or directories (default: the built-in demo organisation, or --facts).
    facts_paths: Vec<PathBuf>,
    #[command(flatten)]
    inputs: Inputs,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command: exit 1 when the rule fails or errors.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let demo = args.facts_paths.is_empty() && args.inputs.facts.is_none();
    let loaded = args.inputs.load_for(dirs, demo)?;
    let Some(rule) = loaded.rules.get(&args.rule).cloned() else {
        let ids: Vec<&str> = loaded
            .rules
            .rules
            .iter()
            .map(|r| r.meta.id.as_str())
            .collect();
        let hint = xwalk::catalog::closest(&args.rule, ids.iter().copied())
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        return Err(xwalk::Error::Usage(format!(
            "no rule `{}`{hint}",
            args.rule
        )));
    };
    let facts = if args.facts_paths.is_empty() {
        loaded.facts
    } else {
        Corpus::from_set(load_paths(&args.facts_paths)?)
    };
    let one = RuleSet {
        rules: vec![rule.clone()],
        ..RuleSet::default()
    };
    let evaluation = eval::evaluate(&one, &loaded.sandbox, &facts, &|| {});
    let explanation = explain::explain(&loaded.crosswalk, &rule.meta, evaluation);
    match args.format {
        Format::Json => output::print(&report::to_json(&explanation)),
        _ => output::print(&explain::render_text(&explanation)),
    }
    for d in &facts.diagnostics {
        eprintln!("{d}");
    }
    Ok(match explanation.outcome {
        eval::Outcome::Fail | eval::Outcome::Error => output::exit_findings(),
        _ => ExitCode::SUCCESS,
    })
}

/// Facts from a mix of files and directories.
fn load_paths(paths: &[PathBuf]) -> Result<FactsSet, xwalk::Error> {
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let set = if path.is_dir() {
            FactsSet::load_dir(path)?
        } else {
            let file = xwalk::source::SourceFile::read(path, facts::MAX_FACTS_FILE_BYTES)?;
            FactsSet::from_texts(&[(file.path, file.text)])
        };
        docs.extend(set.documents().iter().map(|d| (**d).clone()));
        diags.extend(set.diagnostics);
    }
    Ok(FactsSet::from_documents(docs, diags))
}
