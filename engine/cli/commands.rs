//! The subcommands of `xwalk` and the arguments of each, and how a configuration file
//! fills what the command line left unset.

use crate::*;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Evaluate rules over facts: coverage per framework, findings, evidence reuse.
    Eval(eval::Args),
    /// Merge every shard's partial result (`eval --shard K/N`) into the report of one run.
    Merge(shard::MergeArgs),
    /// List frameworks with their requirement counts and the link sets between them.
    Frameworks(frameworks::Args),
    /// Show one requirement: parent, children and every link.
    Show(show::Args),
    /// What satisfying a requirement gives in other frameworks.
    Map(map::Args),
    /// How much of one framework another covers, fully and partially.
    Overlap(overlap::Args),
    /// Crosswalk data commands.
    #[command(subcommand)]
    Crosswalk(CrosswalkCommand),
    /// Facts commands.
    #[command(subcommand)]
    Facts(FactsCommand),
    /// Turn an export (AWS IAM credential report, Okta, Entra ID or Google Workspace users, an HR roster) into facts documents with provenance.
    Import(import::Args),
    /// Run rule test cases (facts in, expected outcome out).
    Test(test::Args),
    /// Compile rules and validate their metadata without running them.
    Check(check::Args),
    /// The configuration file: show every setting and where it came from.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// The rule set: list it, or export the built-in library to start your own.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Run one rule and show what its outcome means in every framework.
    Explain(explain::Args),
    /// Write a synthetic facts corpus (benchmarks, scale tests).
    GenFacts(gen_facts::Args),
    /// Scaffold new files.
    #[command(subcommand)]
    New(NewCommand),
    /// The ISO 27001:2022 Statement of Applicability: all 93 controls, measured, with defects.
    Soa(soa::Args),
    /// A unified audit plan: one evidence request list for several frameworks.
    Plan(plan::Args),
    /// Certification readiness: Stage 1, Stage 2, graded findings, common gaps, an estimate.
    Readiness(readiness::Args),
    /// The registers: nonconformities (graded by extent, with owner, due date, corrective
    /// action) or evidence requests (owner, due date, period, sample).
    Register(register::Args),
    /// The three-year ISO 27001 certification programme: audits, rotation, auditor-days, SOC 2 periods.
    Programme(programme::Args),
    /// Draft a 2022 SoA from an ISO 27001:2013 SoA (CSV).
    Transition(transition::Args),
    /// Write a self-contained HTML report.
    Report(report::Args),
    /// Compare two saved `eval --format json` reports: findings new, resolved, regressed, coverage moved.
    Diff(diff::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (roff): one per command into DIR, or xwalk(1) to stdout.
    Man {
        /// Directory to write xwalk.1 and xwalk-COMMAND.1 pages to.
        #[arg(long, value_name = "DIR")]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum FactsCommand {
    /// Validate a facts directory against the standard vocabulary (JSON Schema).
    Check(facts::CheckArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Every setting of xwalk.toml (or --config FILE), its value and the line it comes from.
    Show {
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: output::Format,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesCommand {
    /// Every rule of the built-in library and the --rules directories: id, severity, claims, origin.
    List(rules::ListArgs),
    /// Write the built-in rules and their test files to DIR, to adapt and lay over the library.
    Export(rules::ExportArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewCommand {
    /// Write a rule skeleton and a test-case skeleton that pass `xwalk check` and `xwalk test`.
    Rule(new::RuleArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum CrosswalkCommand {
    /// Validate crosswalk data: the built-in data plus DIR when given.
    Check(crosswalk_check::Args),
}

impl Command {
    /// Fill the settings the command line left unset from the configuration file.
    pub(crate) fn apply_config(
        &mut self,
        m: &clap::ArgMatches,
        c: &xwalk::assessment::config::Config,
    ) {
        match self {
            Command::Eval(a) => config::apply_eval(a, m, c),
            Command::Merge(a) => config::apply_eval(&mut a.eval, m, c),
            Command::Plan(a) => config::apply_inputs(&mut a.inputs, m, c),
            Command::Soa(a) => config::apply_inputs(&mut a.inputs, m, c),
            Command::Readiness(a) => {
                config::apply_inputs(&mut a.inputs, m, c);
                a.drivers.apply_config(c);
            }
            Command::Register(a) => config::apply_inputs(&mut a.inputs, m, c),
            Command::Programme(a) => {
                config::apply_inputs(&mut a.inputs, m, c);
                a.drivers.apply_config(c);
            }
            Command::Report(a) => config::apply_inputs(&mut a.inputs, m, c),
            Command::Explain(a) => config::apply_inputs(&mut a.inputs, m, c),
            _ => {}
        }
    }
}
