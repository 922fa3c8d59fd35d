//! `xwalk explain RULE_ID [FACTS...]`: one rule, its results, and their meaning across frameworks.

use crate::inputs::{self, InputArgs};
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::eval::Outcome;
use xwalk::{report, FactsInput, RuleId};

/// Arguments of `xwalk explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule id.
    rule: String,
    /// Facts files or directories (default: the built-in demo organisation, or --facts).
    facts_paths: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) inputs: InputArgs,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Run the command: exit 1 when the rule fails or errors.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    if !args.inputs.from_shards.is_empty() {
        return Err(xwalk::Error::Usage(
            "explain evaluates its one rule itself: leave out --from-shards".into(),
        ));
    }
    let mut inputs = args.inputs.inputs(dirs, &[]);
    inputs.only_rules = vec![RuleId::from(args.rule.as_str())];
    if !args.facts_paths.is_empty() {
        inputs.facts = FactsInput::Paths(args.facts_paths.clone());
    }
    let assessment = inputs::run(&inputs, &())?;
    let explanation = assessment.explain(&args.rule)?;
    match args.format {
        Format::Json => output::print(&report::to_json(&explanation)),
        _ => crate::terminal::print_table_text(&report::explain::render_text(&explanation)),
    }
    for d in &assessment.facts().diagnostics {
        crate::terminal::problem(&format!("{d}\n"));
    }
    Ok(match explanation.outcome {
        Outcome::Fail | Outcome::Error => output::exit_findings(),
        _ => ExitCode::SUCCESS,
    })
}
