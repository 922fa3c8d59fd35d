//! Output plumbing shared by the subcommands: formats, exit codes, loading the crosswalk.

use std::io::Write;
use std::path::{Path, PathBuf};
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

pub use crate::format::Format;

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
        crate::terminal::problem(&format!("{d}\n"));
    }
    Ok(crosswalk)
}

/// Report an error that stopped a command, with the diagnostics it carries.
pub fn report_error(err: &Error) -> ExitCode {
    if let Error::Invalid { diagnostics, .. } = err {
        for d in diagnostics {
            crate::terminal::problem(&format!("{d}\n"));
        }
    }
    crate::terminal::problem(&format!("error: {err}\n"));
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

/// Print a table as text, CSV or a one-sheet workbook (xlsx only into a pipe or file).
pub fn print_table(table: &Table, format: Format) -> Result<(), xwalk::Error> {
    match format {
        Format::Csv => print(&String::from_utf8_lossy(&report::csv::render(
            table,
            CsvOptions::default(),
        ))),
        Format::Xlsx => return crate::xlsx::emit(None, &crate::xlsx::one_sheet(table)?),
        Format::Sarif | Format::Junit | Format::Oscal => {
            return Err(crate::xlsx::not_for(format, "with a table"))
        }
        _ => crate::terminal::print_table_text(&table.render(&crate::terminal::view())),
    }
    Ok(())
}

pub use crate::destination::FileOutput;

/// Write a text table to a file atomically (plain), or to stdout (coloured where colour is on).
pub fn emit_text(out: Option<&Path>, text: &str) -> Result<(), xwalk::Error> {
    match out {
        Some(path) => xwalk::report::write::atomic(path, text.as_bytes()),
        None => {
            crate::terminal::print_table_text(text);
            Ok(())
        }
    }
}

/// Write bytes to a file atomically, or to stdout when no file is given.
pub fn emit(out: Option<&Path>, bytes: &[u8]) -> Result<(), xwalk::Error> {
    match out {
        Some(path) => xwalk::report::write::atomic(path, bytes),
        None => {
            print(&String::from_utf8_lossy(bytes));
            Ok(())
        }
    }
}
