//! `xwalk.toml` on the command line: found in the working directory or given with
//! `--config`; a flag given on the command line wins over the file, the file over the
//! default. `xwalk config show` prints every setting and where it came from.

use crate::inputs::InputArgs;
use crate::output::{self, Format};
use clap::parser::ValueSource;
use clap::ArgMatches;
use std::path::Path;
use std::process::ExitCode;
use xwalk::assessment::config::Config;
use xwalk::report::Table;

/// The configuration in force: `--config FILE`, else `./xwalk.toml` when there is one.
pub fn find(given: Option<&Path>) -> Result<Option<Config>, xwalk::Error> {
    Config::find(given, Path::new("."))
}

/// True when the flag with this id was typed on the command line.
fn typed(m: &ArgMatches, id: &str) -> bool {
    m.try_get_raw(id).is_ok() && m.value_source(id) == Some(ValueSource::CommandLine)
}

/// Fill the inputs the command line left unset from the file.
pub fn apply_inputs(a: &mut InputArgs, m: &ArgMatches, c: &Config) {
    if !typed(m, "facts") {
        if let Some(s) = &c.facts {
            a.facts = Some(s.value.clone());
        }
    }
    if !typed(m, "dirs") {
        if let Some(s) = &c.rules {
            a.rules.dirs = s.value.clone();
        }
    }
    if !typed(m, "no_builtin_rules") {
        if let Some(s) = &c.builtin_rules {
            a.rules.no_builtin_rules = !s.value;
        }
    }
    if !typed(m, "as_of") {
        if let Some(s) = &c.as_of {
            a.as_of = Some(s.value);
        }
    }
    if !typed(m, "scope") {
        if let Some(s) = &c.scope {
            a.scope = s.value.clone();
        }
    }
    if !typed(m, "waivers") {
        if let Some(s) = &c.waivers {
            a.waivers = s.value.clone();
        }
    }
    // Parameters merge: the file's first, so a --param of the same name wins.
    let mut params = c.params.clone();
    params.append(&mut a.params);
    a.params = params;
}

/// Fill `eval`'s frameworks, gate and output from the file where no flag set them.
pub fn apply_eval(a: &mut crate::eval::Args, m: &ArgMatches, c: &Config) {
    apply_inputs(&mut a.inputs, m, c);
    if !typed(m, "frameworks") {
        if let Some(s) = &c.frameworks {
            a.frameworks = s.value.clone();
        }
    }
    if !typed(m, "min_coverage") {
        if let Some(s) = &c.min_coverage {
            a.min_coverage = Some(s.value);
        }
    }
    if !typed(m, "fail_on") {
        if let Some(s) = &c.fail_on {
            a.fail_on = s.value;
        }
    }
    if !typed(m, "format") {
        if let Some(s) = &c.format {
            a.format = match s.value.as_str() {
                "json" => Format::Json,
                "csv" => Format::Csv,
                _ => Format::Table,
            };
        }
    }
    if !typed(m, "out") {
        if let Some(s) = &c.out {
            a.out = Some(s.value.clone());
        }
    }
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
    output::print_table(&t, format);
    Ok(ExitCode::SUCCESS)
}
