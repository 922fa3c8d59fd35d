//! `xwalk.toml` on the command line: found in the working directory or given with
//! `--config`; a flag given on the command line wins over the file, the file over the
//! default. `xwalk config show` prints every setting and where it came from.

use crate::inputs::InputArgs;
use crate::output::{self, Format};
use clap::parser::ValueSource;
use clap::ArgMatches;
use std::path::Path;
use std::process::ExitCode;
use xwalk::assessment::config::{Config, Setting};
use xwalk::report::Table;

/// The configuration in force: `--config FILE`, else `./xwalk.toml` when there is one.
pub fn find(given: Option<&Path>) -> Result<Option<Config>, xwalk::Error> {
    Config::find(given, Path::new("."))
}

/// True when the flag with this id was typed on the command line.
fn typed(m: &ArgMatches, id: &str) -> bool {
    m.try_get_raw(id).is_ok() && m.value_source(id) == Some(ValueSource::CommandLine)
}

/// Apply a setting of the file unless its flag was typed.
fn unless_typed<T>(m: &ArgMatches, id: &str, setting: &Option<Setting<T>>, apply: impl FnOnce(&T)) {
    if let (false, Some(s)) = (typed(m, id), setting) {
        apply(&s.value);
    }
}

/// Fill the inputs the command line left unset from the file.
pub fn apply_inputs(a: &mut InputArgs, m: &ArgMatches, c: &Config) {
    unless_typed(m, "facts", &c.facts, |v| a.facts = Some(v.clone()));
    unless_typed(m, "dirs", &c.rules, |v| a.rules.dirs = v.clone());
    unless_typed(m, "no_builtin_rules", &c.builtin_rules, |v| {
        a.rules.no_builtin_rules = !v
    });
    unless_typed(m, "as_of", &c.as_of, |v| a.as_of = Some(*v));
    unless_typed(m, "period", &c.period, |v| a.period = Some(*v));
    unless_typed(m, "scope", &c.scope, |v| a.scope = v.clone());
    unless_typed(m, "waivers", &c.waivers, |v| a.waivers = v.clone());
    // Parameters merge: the file's first, so a --param of the same name wins.
    let mut params = c.params.clone();
    params.append(&mut a.params);
    a.params = params;
}

/// Fill `eval`'s frameworks, gate and output from the file where no flag set them.
pub fn apply_eval(a: &mut crate::eval::Args, m: &ArgMatches, c: &Config) {
    apply_inputs(&mut a.inputs, m, c);
    unless_typed(m, "frameworks", &c.frameworks, |v| a.frameworks = v.clone());
    unless_typed(m, "min_coverage", &c.min_coverage, |v| {
        a.min_coverage = Some(*v)
    });
    unless_typed(m, "fail_on", &c.fail_on, |v| a.fail_on = *v);
    unless_typed(m, "format", &c.format, |v| {
        a.format = match v.as_str() {
            "json" => Format::Json,
            "csv" => Format::Csv,
            "xlsx" => Format::Xlsx,
            _ => Format::Table,
        }
    });
    unless_typed(m, "out", &c.out, |v| a.out = Some(v.clone()));
}

/// `xwalk config show`.
pub fn show(config: Option<&Config>, format: Format) -> Result<ExitCode, xwalk::Error> {
    let empty = Config::default();
    let c = config.unwrap_or(&empty);
    let rows = c.show();
    if format == Format::Json {
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(k, v, f)| serde_json::json!({"setting": k, "value": v, "from": f}))
            .collect();
        output::print(&xwalk::report::to_json(&json));
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new(["setting", "value", "from"]);
    for (key, value, from) in rows {
        t.push([key, value, from]);
    }
    if config.is_none() && format == Format::Table {
        output::print("no xwalk.toml in the working directory and no --config: every setting is its default\n\n");
    }
    output::print_table(&t, format)?;
    Ok(ExitCode::SUCCESS)
}
