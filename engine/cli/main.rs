//! The `xwalk` command: parses arguments, calls the library, renders results.

mod alloc;
mod check;
mod commands;
mod config;
mod crosswalk_check;
mod destination;
mod diagnostics;
mod diff;
mod drivers;
mod eval;
mod explain;
mod facts;
mod format;
mod frameworks;
mod gen_facts;
mod import;
mod inputs;
mod manual;
mod map;
mod new;
mod output;
mod outputs;
mod overlap;
mod paint;
mod plan;
mod programme;
mod progress;
mod readiness;
mod register;
mod report;
mod rules;
mod shard;
mod show;
mod soa;
mod spreadsheet;
mod terminal;
mod test;
mod transition;
mod xlsx;

use clap::{CommandFactory, FromArgMatches, Parser};
use commands::{Command, ConfigCommand, CrosswalkCommand, FactsCommand, NewCommand, RulesCommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Policy-as-code for ISO 27001, SOC 2 and NIST CSF: one crosswalk, one set of rules, honest coverage.
#[derive(Debug, Parser)]
#[command(name = "xwalk", version, about, max_term_width = 100)]
struct Cli {
    /// Add frameworks and links from a directory of CSV files (repeatable; see docs/crosswalk-format.md).
    #[arg(long = "crosswalk", value_name = "DIR", global = true)]
    crosswalk: Vec<PathBuf>,

    /// Configuration file (default: xwalk.toml in the working directory, when there is one);
    /// a flag on the command line wins over it. See docs/configuration.md.
    #[arg(long = "config", value_name = "FILE", global = true)]
    config: Option<PathBuf>,

    #[command(flatten)]
    terminal: terminal::Flags,

    #[command(subcommand)]
    command: Command,
}

// Facts are parsed on every core at once; the system allocator serialised those threads.
// The wrapper counts each thread's allocations for the sandbox's allocation budget.
#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

fn main() -> ExitCode {
    xwalk::sandbox::memory::set_probe(alloc::allocated_on_this_thread);
    let matches = Cli::command().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    terminal::set(cli.terminal.clone());
    let config = match config::find(cli.config.as_deref()) {
        Ok(config) => config,
        Err(err) => return output::report_error(&err),
    };
    if let (Some(c), Some((_, m))) = (&config, matches.subcommand()) {
        cli.command.apply_config(m, c);
    }
    let result = match cli.command {
        Command::Config(ConfigCommand::Show { format }) => config::show(config.as_ref(), format),
        Command::Eval(args) => eval::run(&args, &cli.crosswalk),
        Command::Merge(args) => shard::merge(&args, &cli.crosswalk),
        Command::Frameworks(args) => frameworks::run(&args, &cli.crosswalk),
        Command::Show(args) => show::run(&args, &cli.crosswalk),
        Command::Map(args) => map::run(&args, &cli.crosswalk),
        Command::Overlap(args) => overlap::run(&args, &cli.crosswalk),
        Command::Crosswalk(CrosswalkCommand::Check(args)) => {
            crosswalk_check::run(&args, &cli.crosswalk)
        }
        Command::Facts(FactsCommand::Check(args)) => facts::check(&args),
        Command::Import(args) => import::run(&args),
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
        Command::Register(args) => register::run(&args, &cli.crosswalk),
        Command::Programme(args) => programme::run(&args, &cli.crosswalk),
        Command::Transition(args) => transition::run(&args, &cli.crosswalk),
        Command::Report(args) => report::run(&args, &cli.crosswalk),
        Command::Diff(args) => diff::run(&args),
        Command::Completions { shell } => manual::completions(shell, Cli::command()),
        Command::Man { out } => manual::pages(Cli::command(), out.as_deref()),
    };
    result.unwrap_or_else(|err| output::report_error(&err))
}
