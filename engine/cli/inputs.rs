//! The flags every evaluating command shares, parsed once into the library's [`Inputs`].

use std::path::PathBuf;
use xwalk::assessment::facts_limits;
use xwalk::crosswalk::Scope;
use xwalk::sandbox::Limits;
use xwalk::{Assessment, FactsInput, FrameworkId, Inputs, RulesInput};

fn parse_param(text: &str) -> Result<xwalk::assessment::ParamSetting, String> {
    xwalk::assessment::ParamSetting::parse(text, "--param")
}

/// Which rules run: the built-in library and rules directories laid over it.
#[derive(Debug, Clone, clap::Args)]
pub struct RulesArgs {
    /// Rules directory laid over the built-in library (repeatable; a later directory's rule
    /// replaces one of the same id, with a warning).
    #[arg(long = "rules", value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// Leave the built-in rule library out: only the --rules directories run.
    #[arg(long)]
    pub no_builtin_rules: bool,
}

impl RulesArgs {
    /// The library's rules input.
    pub fn input(&self) -> RulesInput {
        if self.dirs.is_empty() && !self.no_builtin_rules {
            return RulesInput::Builtin;
        }
        RulesInput::Layers {
            builtin: !self.no_builtin_rules,
            dirs: self.dirs.clone(),
        }
    }
}

/// Where facts and rules come from, and the sandbox settings.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Facts directory (JSON files). Default: the built-in demo organisation.
    #[arg(long, value_name = "DIR")]
    pub facts: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Evaluation date for every "within N days" check (YYYY-MM-DD). Default: today, or the
    /// demo organisation's own date (2026-06-30) when --facts is not given.
    #[arg(long, value_name = "DATE", value_parser = xwalk::dates::parse_as_of)]
    pub as_of: Option<jiff::civil::Date>,
    /// Observation period FROM..TO (a SOC 2 Type II period): rules over recurring activities
    /// test every occurrence dated in it and report population and exceptions. --as-of
    /// defaults to its last day.
    #[arg(long, value_name = "FROM..TO", value_parser = xwalk::dates::Period::parse)]
    pub period: Option<xwalk::dates::Period>,
    /// Only these parts of each framework (repeatable or comma-separated requirement ids;
    /// for SOC 2 the categories CC, A, C, PI, P). A framework with none of them is reported whole.
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub scope: Vec<String>,
    /// Waiver file (TOML; repeatable): failures accepted as risks, each with its approver,
    /// justification, expiry and risk acceptance; shown as `waived`, never as a pass.
    #[arg(long = "waivers", value_name = "FILE")]
    pub waivers: Vec<PathBuf>,
    /// Set a rule parameter for this run: RULE.NAME=VALUE (repeatable), say
    /// access.reviews-periodic.review_days=31. Wins over a `parameters` document in the facts.
    #[arg(long = "param", value_name = "RULE.NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<xwalk::assessment::ParamSetting>,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Wall-clock backstop per rule evaluation, in milliseconds (the operation and
    /// allocation budgets decide; this stops only what they cannot see).
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub time_budget_ms: u64,
    /// Bytes one rule evaluation may allocate in all, in MiB (copies count).
    #[arg(long, value_name = "MIB", default_value_t = Limits::default().max_alloc_bytes >> 20)]
    pub max_alloc_mib: u64,
    /// Rhai operations allowed per rule evaluation.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_operations)]
    pub max_operations: u64,
    /// Largest facts file read, in bytes; larger files are reported (XW0303) and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = xwalk::facts::MAX_FACTS_FILE_BYTES)]
    pub max_facts_bytes: u64,
    /// Report on every shard's partial result (`xwalk eval --shard K/N --out DIR`) instead of
    /// evaluating: the report one run over the whole corpus gives (see docs/scaling.md).
    #[arg(long = "from-shards", value_name = "PARTIAL", num_args = 1..)]
    pub from_shards: Vec<PathBuf>,
}

impl InputArgs {
    /// The library's inputs: these flags, the global `--crosswalk` directories and the
    /// frameworks in scope.
    pub fn inputs(&self, crosswalk_dirs: &[PathBuf], frameworks: &[String]) -> Inputs {
        Inputs {
            facts: self.facts.clone().map_or(FactsInput::Demo, FactsInput::Dir),
            rules: self.rules.input(),
            crosswalk_dirs: crosswalk_dirs.to_vec(),
            as_of: self.as_of,
            period: self.period,
            limits: Limits {
                time_budget: std::time::Duration::from_millis(self.time_budget_ms),
                max_operations: self.max_operations,
                max_alloc_bytes: self.max_alloc_mib.saturating_mul(1 << 20),
                ..Limits::default()
            },
            facts_limits: facts_limits(self.max_facts_bytes),
            frameworks: frameworks.iter().map(FrameworkId::from).collect(),
            scope: Scope::new(&self.scope),
            only_rules: Vec::new(),
            waivers: self.waivers.clone(),
            params: self.params.clone(),
            threads: self.threads,
            shard: None,
        }
    }

    /// Load and evaluate, printing crosswalk warnings as they are found.
    pub fn assess(
        &self,
        dirs: &[PathBuf],
        frameworks: &[String],
    ) -> Result<Assessment, xwalk::Error> {
        crate::shard::assess(&self.inputs(dirs, frameworks), &self.from_shards, &())
    }
}

/// Evaluate, printing the crosswalk's warnings first.
pub fn run(inputs: &Inputs, progress: &dyn xwalk::Progress) -> Result<Assessment, xwalk::Error> {
    let assessment = Assessment::run_with(inputs, progress)?;
    for d in assessment.crosswalk_diagnostics() {
        crate::terminal::problem(&format!("{d}\n"));
    }
    Ok(assessment)
}

/// The input problems, owned (for a JSON or CSV beside the view).
pub fn problems(assessment: &Assessment) -> Vec<xwalk::Diagnostic> {
    assessment.input_problems().cloned().collect()
}

/// Print the problems with the inputs to stderr.
pub fn print_input_problems(assessment: &Assessment) {
    for d in assessment.input_problems() {
        crate::terminal::problem(&format!("{d}\n"));
    }
}
