//! The `xwalk` command: parses arguments, calls the library, renders results.

mod alloc;
mod check;
mod crosswalk_check;
mod eval;
mod explain;
mod facts;
mod frameworks;
mod gen_facts;
mod inputs;
mod map;
mod new;
mod output;
mod overlap;
mod plan;
mod readiness;
mod report;
mod rules;
mod show;
mod soa;
mod test;
mod transition;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Policy-as-code for ISO 27001, SOC 2 and NIST CSF: one crosswalk, one set of rules, honest coverage.
#[derive(Debug, Parser)]
#[command(name = "xwalk", version, about, max_term_width = 100)]
struct Cli {
    /// Add frameworks and links from a directory of CSV files (repeatable; see docs/crosswalk-format.md).
    #[arg(long = "crosswalk", value_name = "DIR", global = true)]
    crosswalk: Vec<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Evaluate rules over facts: coverage per framework, findings, evidence reuse.
    Eval(eval::Args),
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
    /// Run rule test cases (facts in, expected outcome out).
    Test(test::Args),
    /// Compile rules and validate their metadata without running them.
    Check(check::Args),
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
    /// Draft a 2022 SoA from an ISO 27001:2013 SoA (CSV).
    Transition(transition::Args),
    /// Write a self-contained HTML report.
    Report(report::Args),
}

#[derive(Debug, Subcommand)]
enum FactsCommand {
    /// Validate a facts directory against the standard vocabulary (JSON Schema).
    Check(facts::CheckArgs),
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Every rule of the built-in library and the --rules directories: id, severity, claims, origin.
    List(rules::ListArgs),
    /// Write the built-in rules and their test files to DIR, to adapt and lay over the library.
    Export(rules::ExportArgs),
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// Write a rule skeleton and a test-case skeleton that pass `xwalk check` and `xwalk test`.
    Rule(new::RuleArgs),
}

#[derive(Debug, Subcommand)]
enum CrosswalkCommand {
    /// Validate crosswalk data: the built-in data plus DIR when given.
    Check(crosswalk_check::Args),
}

// Facts are parsed on every core at once; the system allocator serialised those threads.
// The wrapper counts each thread's allocations for the sandbox's allocation budget.
#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

fn main() -> ExitCode {
    xwalk::sandbox::memory::set_probe(alloc::allocated_on_this_thread);
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Eval(args) => eval::run(&args, &cli.crosswalk),
        Command::Frameworks(args) => frameworks::run(&args, &cli.crosswalk),
        Command::Show(args) => show::run(&args, &cli.crosswalk),
        Command::Map(args) => map::run(&args, &cli.crosswalk),
        Command::Overlap(args) => overlap::run(&args, &cli.crosswalk),
        Command::Crosswalk(CrosswalkCommand::Check(args)) => {
            crosswalk_check::run(&args, &cli.crosswalk)
        }
        Command::Facts(FactsCommand::Check(args)) => facts::check(&args),
        Command::Test(args) => test::run(&args),
        Command::Check(args) => check::run(&args, &cli.crosswalk),
        Command::Rules(RulesCommand::List(args)) => rules::list(&args),
        Command::Rules(RulesCommand::Export(args)) => rules::export(&args),
        Command::Explain(args) => explain::run(&args, &cli.crosswalk),
        Command::New(NewCommand::Rule(args)) => new::rule(&args, &cli.crosswalk),
        Command::GenFacts(args) => gen_facts::run(&args),
        Command::Soa(args) => soa::run(&args, &cli.crosswalk),
        Command::Plan(args) => plan::run(&args, &cli.crosswalk),
        Command::Readiness(args) => readiness::run(&args, &cli.crosswalk),
        Command::Transition(args) => transition::run(&args, &cli.crosswalk),
        Command::Report(args) => report::run(&args, &cli.crosswalk),
    };
    result.unwrap_or_else(|err| output::report_error(&err))
}
