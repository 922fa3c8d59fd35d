//! `xwalk rules list` and `xwalk rules export DIR`: what the layered rule set holds, and
//! the built-in library written out as a starting point.

use crate::inputs::RulesArgs;
use crate::output::{self, Format};
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::authoring::listing;
use xwalk::report::{self, Table};

/// Arguments of `xwalk rules list`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// Arguments of `xwalk rules export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Directory to write the built-in rules and their test files to.
    dir: PathBuf,
    /// Overwrite files that already exist.
    #[arg(long)]
    force: bool,
}

/// List every rule of the layered set: id, severity, claims, origin.
pub fn list(args: &ListArgs) -> Result<ExitCode, xwalk::Error> {
    let mut set = xwalk::assessment::rule_set(&args.rules.input())?;
    for d in std::mem::take(&mut set.diagnostics) {
        crate::terminal::problem(&format!("{d}\n"));
    }
    let entries = listing::list(&set);
    if args.format == Format::Json {
        output::print(&report::to_json(&entries));
        return Ok(ExitCode::SUCCESS);
    }
    let mut table = Table::new([
        "rule", "severity", "tests", "tags", "origin", "path", "title",
    ]);
    for e in &entries {
        table.push([
            e.id.clone(),
            e.severity.clone().unwrap_or_else(|| "broken".into()),
            e.tests.join(" "),
            e.requirements.join(" "),
            e.origin.clone(),
            e.path.clone(),
            e.title.clone(),
        ]);
    }
    output::print_table(&table, args.format)?;
    if args.format == Format::Table {
        let broken = entries.iter().filter(|e| !e.loaded).count();
        output::print(&format!(
            "\n{} ({broken} did not load)\n",
            xwalk::report::counted(entries.len(), "rule")
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Write the built-in library to a directory.
pub fn export(args: &ExportArgs) -> Result<ExitCode, xwalk::Error> {
    let files = listing::export_files(&args.dir, args.force)?;
    for parent in files.iter().filter_map(|(p, _)| p.parent()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| xwalk::Error::io(&parent.display().to_string(), e))?;
    }
    report::write::atomic_all(&files)?;
    let is = |ext: &str, lib: bool| {
        files
            .iter()
            .filter(|(p, _)| {
                p.extension().is_some_and(|x| x == ext)
                    && p.parent()
                        .and_then(|d| d.file_name())
                        .is_some_and(|d| d == "lib")
                        == lib
            })
            .count()
    };
    let (rules, libraries) = (is("rhai", false), is("rhai", true));
    crate::terminal::note(&format!(
        "wrote {rules} rules, {libraries} libraries and {} test files to {}; run them with --rules {} --no-builtin-rules, or edit one and lay the directory over the library with --rules\n",
        files.len() - rules - libraries,
        args.dir.display(),
        args.dir.display()
    ));
    Ok(ExitCode::SUCCESS)
}
