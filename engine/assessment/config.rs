//! `xwalk.toml`: the settings a team would otherwise repeat on every run. Found in the
//! working directory or given with `--config FILE`; a flag given on the command line wins
//! over the file, the file over the default. Paths are relative to the file's directory.
//!
//! ```toml
//! facts = "facts"
//! rules = ["our-rules"]          # laid over the built-in library
//! builtin_rules = true
//! as_of = 2026-06-30
//! frameworks = ["iso27001-2022", "soc2-2017"]
//! scope = ["CC", "A"]
//! waivers = ["waivers.toml"]
//!
//! [params."access.reviews-periodic"]
//! review_days = 31
//!
//! [readiness]                  # cost drivers of the readiness estimate
//! headcount = 374
//! sites = 2
//! certification_body = "standard"   # premium, standard or budget
//! day_rate_usd = 1800
//! grc_platform = true
//! dual_framework = true
//!
//! [gate]
//! min_coverage = 60
//! fail_on = "major"
//!
//! [output]
//! format = "json"
//! out = "reports"
//! ```
//!
//! An unknown key or a bad value is an error at its line and column (XW0601).

use super::inputs::ParamSetting;
use crate::diag::{codes, Diagnostic, Location};
use crate::error::Error;
use crate::rules::params::ParamValue;
use crate::rules::RuleSeverity;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file looked for in the working directory.
pub const FILE_NAME: &str = "xwalk.toml";

/// A value of the file and the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Its line in the file.
    pub line: u64,
}

/// Every setting of a configuration file; `None` where the file says nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file read.
    pub path: String,
    /// Facts directory.
    pub facts: Option<Setting<PathBuf>>,
    /// Rules directories laid over the library.
    pub rules: Option<Setting<Vec<PathBuf>>>,
    /// Whether the built-in library runs.
    pub builtin_rules: Option<Setting<bool>>,
    /// Evaluation date.
    pub as_of: Option<Setting<Date>>,
    /// Observation period (`period = "2026-01-01..2026-06-30"`).
    pub period: Option<Setting<crate::dates::Period>>,
    /// Frameworks reported.
    pub frameworks: Option<Setting<Vec<String>>>,
    /// Parts of each framework in scope.
    pub scope: Option<Setting<Vec<String>>>,
    /// Waiver files.
    pub waivers: Option<Setting<Vec<PathBuf>>>,
    /// Rule parameters (source `FILE:LINE`).
    pub params: Vec<ParamSetting>,
    /// Gate: minimum satisfied share, percent.
    pub min_coverage: Option<Setting<f64>>,
    /// Gate: failures of at least this severity fail the run.
    pub fail_on: Option<Setting<RuleSeverity>>,
    /// Output format (`table`, `json`, `csv`, `xlsx`).
    pub format: Option<Setting<String>>,
    /// Output directory.
    pub out: Option<Setting<PathBuf>>,
    /// The cost drivers of `[readiness]`, each with `FILE:LINE` as where it came from.
    pub drivers: crate::views::drivers::CostDrivers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    facts: Option<Spanned<String>>,
    rules: Option<Spanned<Vec<String>>>,
    builtin_rules: Option<Spanned<bool>>,
    as_of: Option<Spanned<toml::Value>>,
    period: Option<Spanned<String>>,
    frameworks: Option<Spanned<Vec<String>>>,
    scope: Option<Spanned<Vec<String>>>,
    waivers: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    params: BTreeMap<String, BTreeMap<String, Spanned<toml::Value>>>,
    gate: Option<RawGate>,
    output: Option<RawOutput>,
    readiness: Option<RawReadiness>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReadiness {
    headcount: Option<Spanned<u64>>,
    sites: Option<Spanned<u32>>,
    certification_body: Option<Spanned<String>>,
    day_rate_usd: Option<Spanned<u32>>,
    grc_platform: Option<Spanned<bool>>,
    dual_framework: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    min_coverage: Option<Spanned<f64>>,
    fail_on: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    format: Option<Spanned<String>>,
    out: Option<Spanned<String>>,
}

/// The formats `[output] format` accepts.
pub const FORMATS: [&str; 4] = ["table", "json", "csv", "xlsx"];

impl Config {
    /// `--config FILE` when given, else `xwalk.toml` in `dir` when there is one.
    pub fn find(given: Option<&Path>, dir: &Path) -> Result<Option<Config>, Error> {
        match given {
            Some(path) => Config::read(path).map(Some),
            None => {
                let path = dir.join(FILE_NAME);
                if path.is_file() {
                    Config::read(&path).map(Some)
                } else {
                    Ok(None)
                }
            }
        }
    }

    /// Read and check a configuration file.
    pub fn read(path: &Path) -> Result<Config, Error> {
        let file = crate::source::SourceFile::read(path, crate::source::MAX_DATA_FILE_BYTES)?;
        let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
        Config::parse(&file.path, &file.text, &base)
    }

    /// Parse a configuration; paths in it are taken relative to `base`.
    pub fn parse(path: &str, text: &str, base: &Path) -> Result<Config, Error> {
        let at = |offset: usize| {
            let (line, column) = crate::source::line_col(text, offset);
            Location::at(path, line, column)
        };
        let invalid = |diagnostics: Vec<Diagnostic>| Error::Invalid {
            what: path.to_string(),
            diagnostics,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            invalid(vec![Diagnostic::new(
                codes::XW0601,
                at(offset),
                format!("configuration: {}", e.message().trim()),
            )])
        })?;
        let line = |offset: usize| crate::source::line_col(text, offset).0;
        let mut bad = Vec::new();
        let mut problem = |offset: usize, message: String| {
            bad.push(Diagnostic::new(codes::XW0601, at(offset), message));
        };
        let setting = |s: Spanned<String>| Setting {
            line: line(s.span().start),
            value: base.join(s.into_inner()),
        };
        let paths = |s: Spanned<Vec<String>>| Setting {
            line: line(s.span().start),
            value: s.into_inner().into_iter().map(|p| base.join(p)).collect(),
        };
        let plain = |s: Spanned<Vec<String>>| Setting {
            line: line(s.span().start),
            value: s.into_inner(),
        };
        let mut config = Config {
            path: path.to_string(),
            facts: raw.facts.map(setting),
            rules: raw.rules.map(paths),
            builtin_rules: raw.builtin_rules.map(|s| Setting {
                line: line(s.span().start),
                value: s.into_inner(),
            }),
            frameworks: raw.frameworks.map(plain),
            scope: raw.scope.map(plain),
            waivers: raw.waivers.map(paths),
            ..Config::default()
        };
        if let Some(s) = raw.as_of {
            let text = match s.get_ref() {
                toml::Value::String(t) => t.clone(),
                other => other.to_string(),
            };
            match crate::dates::parse_date(&text) {
                Some(d) => {
                    config.as_of = Some(Setting {
                        value: d,
                        line: line(s.span().start),
                    })
                }
                None => problem(
                    s.span().start,
                    format!("as_of: `{text}` is not a date; write 2026-06-30"),
                ),
            }
        }
        if let Some(s) = raw.period {
            match crate::dates::Period::parse(s.get_ref()) {
                Ok(p) => {
                    config.period = Some(Setting {
                        value: p,
                        line: line(s.span().start),
                    })
                }
                Err(e) => problem(s.span().start, format!("period: {e}")),
            }
        }
        for (rule, values) in raw.params {
            for (name, value) in values {
                let source = format!("{path}:{}", line(value.span().start));
                let parsed = match value.get_ref() {
                    toml::Value::Integer(n) => Some(ParamValue::Int(*n)),
                    toml::Value::Float(x) => Some(ParamValue::Float(*x)),
                    toml::Value::Boolean(b) => Some(ParamValue::Bool(*b)),
                    toml::Value::String(t) => Some(ParamValue::Text(t.clone())),
                    _ => None,
                };
                match parsed {
                    Some(value) => config.params.push(ParamSetting {
                        rule: rule.clone(),
                        name,
                        value,
                        source,
                    }),
                    None => problem(
                        value.span().start,
                        format!(
                            "params.\"{rule}\".{name}: a parameter is a number, true/false or text"
                        ),
                    ),
                }
            }
        }
        if let Some(gate) = raw.gate {
            if let Some(m) = gate.min_coverage {
                let start = m.span().start;
                match super::parse_percent(&m.get_ref().to_string()) {
                    Ok(v) => {
                        config.min_coverage = Some(Setting {
                            value: v,
                            line: line(start),
                        })
                    }
                    Err(why) => problem(start, format!("gate.min_coverage: {why}")),
                }
            }
            if let Some(f) = gate.fail_on {
                let start = f.span().start;
                match f.get_ref().parse::<RuleSeverity>() {
                    Ok(v) => {
                        config.fail_on = Some(Setting {
                            value: v,
                            line: line(start),
                        })
                    }
                    Err(why) => problem(start, format!("gate.fail_on: {why}")),
                }
            }
        }
        if let Some(output) = raw.output {
            if let Some(f) = output.format {
                let start = f.span().start;
                if FORMATS.contains(&f.get_ref().as_str()) {
                    config.format = Some(Setting {
                        value: f.into_inner(),
                        line: line(start),
                    });
                } else {
                    problem(
                        start,
                        format!(
                            "output.format: `{}` is not one of {}",
                            f.get_ref(),
                            FORMATS.join(", ")
                        ),
                    );
                }
            }
            config.out = output.out.map(setting);
        }
        if let Some(r) = raw.readiness {
            use crate::views::drivers::Given;
            let given = |offset: usize| format!("{path}:{}", line(offset));
            let d = &mut config.drivers;
            d.headcount = r
                .headcount
                .map(|v| Given::new(*v.get_ref(), given(v.span().start)));
            d.sites = r
                .sites
                .map(|v| Given::new(*v.get_ref(), given(v.span().start)));
            d.day_rate_usd = r
                .day_rate_usd
                .map(|v| Given::new(*v.get_ref(), given(v.span().start)));
            d.grc_platform = r
                .grc_platform
                .map(|v| Given::new(*v.get_ref(), given(v.span().start)));
            d.dual_framework = r
                .dual_framework
                .map(|v| Given::new(*v.get_ref(), given(v.span().start)));
            if let Some(b) = r.certification_body {
                match b.get_ref().parse() {
                    Ok(tier) => {
                        d.certification_body = Some(Given::new(tier, given(b.span().start)))
                    }
                    Err(why) => problem(
                        b.span().start,
                        format!("readiness.certification_body: {why}"),
                    ),
                }
            }
        }
        if bad.is_empty() {
            Ok(config)
        } else {
            Err(invalid(bad))
        }
    }

    /// Every setting with its value and where it came from (`FILE:LINE`, or `default`),
    /// for `xwalk config show`.
    pub fn show(&self) -> Vec<(String, String, String)> {
        fn row<T>(
            path: &str,
            key: &str,
            s: &Option<Setting<T>>,
            show: impl Fn(&T) -> String,
            default: &str,
        ) -> (String, String, String) {
            match s {
                Some(s) => (
                    key.to_string(),
                    show(&s.value),
                    format!("{path}:{}", s.line),
                ),
                None => (key.to_string(), default.to_string(), "default".to_string()),
            }
        }
        let list = |v: &Vec<PathBuf>| {
            v.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let path = self.path.as_str();
        let shown = |p: &PathBuf| p.display().to_string();
        let mut out = vec![
            row(
                path,
                "facts",
                &self.facts,
                shown,
                "the built-in demo organisation",
            ),
            row(path, "rules", &self.rules, list, "none"),
            row(
                path,
                "builtin_rules",
                &self.builtin_rules,
                bool::to_string,
                "true",
            ),
            row(
                path,
                "as_of",
                &self.as_of,
                Date::to_string,
                "today (the demo's own date for the demo)",
            ),
            row(
                path,
                "period",
                &self.period,
                crate::dates::Period::to_string,
                "none: a point-in-time assessment",
            ),
            row(
                path,
                "frameworks",
                &self.frameworks,
                |v| v.join(", "),
                "each view's default",
            ),
            row(
                path,
                "scope",
                &self.scope,
                |v| v.join(", "),
                "whole frameworks",
            ),
            row(path, "waivers", &self.waivers, list, "none"),
            row(
                path,
                "gate.min_coverage",
                &self.min_coverage,
                |v| format!("{v} %"),
                "none",
            ),
            row(
                path,
                "gate.fail_on",
                &self.fail_on,
                RuleSeverity::to_string,
                "ofi",
            ),
            row(path, "output.format", &self.format, String::clone, "table"),
            row(path, "output.out", &self.out, shown, "standard output"),
        ];
        let d = &self.drivers;
        let driver = |key: &str, v: Option<(String, &str)>| match v {
            Some((value, from)) => (format!("readiness.{key}"), value, from.to_string()),
            None => (
                format!("readiness.{key}"),
                "not given".to_string(),
                "default".to_string(),
            ),
        };
        out.push(driver(
            "headcount",
            d.headcount
                .as_ref()
                .map(|g| (g.value.to_string(), g.from.as_str())),
        ));
        out.push(driver(
            "sites",
            d.sites
                .as_ref()
                .map(|g| (g.value.to_string(), g.from.as_str())),
        ));
        out.push(driver(
            "certification_body",
            d.certification_body
                .as_ref()
                .map(|g| (g.value.as_str().to_string(), g.from.as_str())),
        ));
        out.push(driver(
            "day_rate_usd",
            d.day_rate_usd
                .as_ref()
                .map(|g| (g.value.to_string(), g.from.as_str())),
        ));
        out.push(driver(
            "grc_platform",
            d.grc_platform
                .as_ref()
                .map(|g| (g.value.to_string(), g.from.as_str())),
        ));
        out.push(driver(
            "dual_framework",
            d.dual_framework
                .as_ref()
                .map(|g| (g.value.to_string(), g.from.as_str())),
        ));
        for p in &self.params {
            out.push((
                format!("params.{}.{}", p.rule, p.name),
                p.value.to_string(),
                p.source.clone(),
            ));
        }
        out
    }
}
