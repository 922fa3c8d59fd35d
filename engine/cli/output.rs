//! Output plumbing shared by the subcommands: formats, exit codes, loading the crosswalk.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report::{self, csv::CsvOptions, Table};
use xwalk::{Crosswalk, Error, Verdict};

/// Exit code for usage or input errors.
pub fn exit_input() -> ExitCode {
    ExitCode::from(2)
}

/// Exit code when a check found problems.
pub fn exit_findings() -> ExitCode {
    ExitCode::from(1)
}

/// How a command renders its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned columns for the terminal.
    #[default]
    Table,
    /// Pretty JSON.
    Json,
    /// RFC 4180 CSV, formula-safe for spreadsheets.
    Csv,
}

/// The exit code for a gate verdict: 0 pass, 1 findings, 2 unusable input.
pub fn exit_for(verdict: Verdict) -> ExitCode {
    match verdict {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Findings => exit_findings(),
        Verdict::InputErrors => exit_input(),
    }
}

/// Load the built-in crosswalk plus user directories; print its warnings.
pub fn load_crosswalk(dirs: &[PathBuf]) -> Result<Crosswalk, Error> {
    let (crosswalk, warnings) = xwalk::assessment::load_crosswalk(dirs)?;
    for d in &warnings {
        eprint(&format!("{d}\n"));
    }
    Ok(crosswalk)
}

/// Report an error that stopped a command, with the diagnostics it carries.
pub fn report_error(err: &Error) -> ExitCode {
    if let Error::Invalid { diagnostics, .. } = err {
        for d in diagnostics {
            eprint(&format!("{d}\n"));
        }
    }
    eprint(&format!("error: {err}\n"));
    exit_input()
}

/// Write text to stdout, ignoring a closed pipe (`xwalk ... | head`).
pub fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Write text to stderr; unlike `eprintln!`, a closed stderr (`2>&1 | head`) is not a panic.
pub fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Print a table as text or CSV.
pub fn print_table(table: &Table, format: Format) {
    match format {
        Format::Csv => print(&String::from_utf8_lossy(&report::csv::render(
            table,
            CsvOptions::default(),
        ))),
        _ => print(&table.render_text()),
    }
}
