//! `xwalk crosswalk check [DIR]`: validate crosswalk data and print one diagnostic per fault.

use crate::output;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report::counted;
use xwalk::Crosswalk;

/// Arguments of `xwalk crosswalk check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A directory of crosswalk CSV files to check on top of the built-in data.
    dir: Option<PathBuf>,
    /// Output format (table, json, csv, xlsx).
    #[arg(long, value_enum, default_value_t)]
    format: output::Format,
    /// The same as --format json (kept for scripts written before --format).
    #[arg(long, hide = true)]
    json: bool,
}

/// Run the command: exit 0 when clean, 1 when there are errors.
pub fn run(args: &Args, dirs: &[PathBuf]) -> Result<ExitCode, xwalk::Error> {
    let mut all: Vec<PathBuf> = dirs.to_vec();
    all.extend(args.dir.clone());
    let loaded = Crosswalk::check_dirs(&all)?;
    let format = if args.json {
        output::Format::Json
    } else {
        args.format
    };
    let cw = &loaded.crosswalk;
    {
        let summary = format!(
            "{}, {}, {}, {}: {}, {}\n",
            counted(cw.frameworks().len(), "framework"),
            counted(
                cw.frameworks()
                    .iter()
                    .map(|f| cw.requirements(&f.id).count())
                    .sum::<usize>(),
                "requirement"
            ),
            counted(cw.link_count(), "link"),
            counted(cw.procedure_count(), "procedure"),
            counted(loaded.error_count(), "error"),
            counted(loaded.diagnostics.len() - loaded.error_count(), "warning"),
        );
        crate::diagnostics::print(&loaded.diagnostics, format, "crosswalk check", &summary)?;
    }
    Ok(if loaded.error_count() > 0 {
        output::exit_findings()
    } else {
        ExitCode::SUCCESS
    })
}
