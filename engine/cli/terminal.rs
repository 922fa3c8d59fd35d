//! What every command shares about the terminal: `--quiet`, `--color` and `--full`, set once
//! from the global flags, and where notes, problems and text tables are written.

use std::io::Write;
use std::sync::OnceLock;

/// When to colour: `auto` colours a terminal unless `NO_COLOR` is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum When {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` forces it).
    #[default]
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

/// The flags every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct Flags {
    /// Print only the report and errors: no progress bar, no "wrote FILE" notes, no hints.
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// Colour outcome words and errors: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t, global = true)]
    pub color: When,
    /// Text tables: show every row and every cell whole (a terminal otherwise gets the first
    /// rows of long lists, says how many it left out, and cuts cells at 60 characters).
    #[arg(long, global = true)]
    pub full: bool,
}

static FLAGS: OnceLock<Flags> = OnceLock::new();

/// Record the global flags (once, before the command runs).
pub fn set(flags: Flags) {
    anstream::ColorChoice::write_global(match flags.color {
        When::Auto => anstream::ColorChoice::Auto,
        When::Always => anstream::ColorChoice::Always,
        When::Never => anstream::ColorChoice::Never,
    });
    let _ = FLAGS.set(flags);
}

/// The global flags (defaults when none were set, as in unit tests).
pub fn flags() -> &'static Flags {
    FLAGS.get_or_init(|| Flags {
        quiet: false,
        color: When::Auto,
        full: false,
    })
}

/// How much of a long table text output shows: everything with `--full`; on a terminal,
/// long lists cut to their first rows; into a pipe or file, every row (cells cut either way).
pub fn view() -> xwalk::report::table::TextView {
    use std::io::IsTerminal;
    use xwalk::report::table::TextView;
    if !flags().full && std::io::stdout().is_terminal() {
        TextView::TERMINAL
    } else {
        file_view()
    }
}

/// How much text written to a file shows: every row, cells cut unless `--full`.
pub fn file_view() -> xwalk::report::table::TextView {
    match flags().full {
        true => xwalk::report::table::TextView::FULL,
        false => xwalk::report::table::TextView::PIPE,
    }
}

/// A note for a person at the terminal ("wrote FILE"): on stderr, left out with `--quiet`.
pub fn note(text: &str) {
    if !flags().quiet {
        crate::output::eprint(text);
    }
}

/// An error or warning line on stderr, `error:`/`warning:` coloured where colour is on.
pub fn problem(text: &str) {
    let mut err = anstream::stderr().lock();
    let _ = err.write_all(crate::paint::problem(text).as_bytes());
}

/// Print a text table to stdout, outcome words coloured where colour is on.
pub fn print_table_text(text: &str) {
    let mut out = anstream::stdout().lock();
    let _ = out.write_all(crate::paint::table(text).as_bytes());
    let _ = out.flush();
}
