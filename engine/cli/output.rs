//! Output plumbing shared by the subcommands: formats, exit codes, loading the crosswalk.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use xwalk::report::{self, csv::CsvOptions, Table};
use xwalk::{Crosswalk, Error};

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

/// The frameworks asked for with `--framework`, in order and without repeats, or
/// `default` when none were asked for.
pub fn frameworks_or(asked: &[String], default: &[&str]) -> Vec<String> {
    if asked.is_empty() {
        return default.iter().map(|s| s.to_string()).collect();
    }
    let mut unique: Vec<String> = Vec::with_capacity(asked.len());
    for fw in asked {
        if !unique.contains(fw) {
            unique.push(fw.clone());
        }
    }
    unique
}

/// Load the built-in crosswalk plus user directories; print diagnostics; fail on errors.
pub fn load_crosswalk(dirs: &[PathBuf]) -> Result<Crosswalk, Error> {
    let loaded = Crosswalk::with_dirs(dirs)?;
    for d in &loaded.diagnostics {
        eprint(&format!("{d}\n"));
    }
    loaded.into_result()
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
