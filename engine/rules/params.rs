//! Rule parameters: thresholds a rule declares with a default, which the organisation's own
//! policy may set. A rule declares them in its header, with an optional range inside which
//! its claims still hold:
//!
//! ```text
//! //! params: review_days = 92 (1..92), privileged_share = 0.1 (0..0.5), scope = "all"
//! ```
//!
//! and reads them with `param("review_days")`. A value comes from, last one winning: the
//! default, a `parameters` document in the facts (a policy that states the value), and
//! `--param RULE.NAME=VALUE` on the command line. A value of another type than the default,
//! or outside the declared range, is refused, so a policy cannot loosen a rule past what
//! its claims need.

use crate::diag::{codes, Diagnostic, Location};

/// The facts kind in which a policy states parameter values.
pub const KIND: &str = "parameters";
use serde::Serialize;
use std::fmt;

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Float(f64),
    /// true or false.
    Bool(bool),
    /// Text.
    Text(String),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(n) => write!(f, "{n}"),
            ParamValue::Float(x) => write!(f, "{x}"),
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Text(s) => write!(f, "{s:?}"),
        }
    }
}

impl ParamValue {
    /// Read a value as written in a header or on the command line: a number, `true` or
    /// `false`, or text (quoted in a header; bare text is accepted on the command line).
    pub fn parse(text: &str) -> Option<ParamValue> {
        let t = text.trim();
        if let Some(inner) = t.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            return Some(ParamValue::Text(inner.to_string()));
        }
        match t {
            "true" => return Some(ParamValue::Bool(true)),
            "false" => return Some(ParamValue::Bool(false)),
            _ => {}
        }
        if let Ok(n) = t.parse::<i64>() {
            return Some(ParamValue::Int(n));
        }
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(ParamValue::Float)
    }

    /// From a JSON value in a facts document.
    pub fn from_json(value: &serde_json::Value) -> Option<ParamValue> {
        match value {
            serde_json::Value::Bool(b) => Some(ParamValue::Bool(*b)),
            serde_json::Value::String(s) => Some(ParamValue::Text(s.clone())),
            serde_json::Value::Number(n) => n
                .as_i64()
                .map(ParamValue::Int)
                .or_else(|| n.as_f64().map(ParamValue::Float)),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            ParamValue::Int(n) => Some(*n as f64),
            ParamValue::Float(x) => Some(*x),
            _ => None,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ParamValue::Int(_) => "a whole number",
            ParamValue::Float(_) => "a number",
            ParamValue::Bool(_) => "true or false",
            ParamValue::Text(_) => "text",
        }
    }

    /// As a Rhai value.
    pub fn to_dynamic(&self) -> rhai::Dynamic {
        match self {
            ParamValue::Int(n) => (*n).into(),
            ParamValue::Float(x) => (*x).into(),
            ParamValue::Bool(b) => (*b).into(),
            ParamValue::Text(s) => s.clone().into(),
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamDecl {
    /// Its name, as `param("name")` reads it.
    pub name: String,
    /// The value when nothing sets it.
    pub default: ParamValue,
    /// The range a number must stay in, both ends included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<(f64, f64)>,
}

impl ParamDecl {
    /// `value` if it can stand for this parameter (same type, inside the range), else why
    /// not. A whole number stands for a fractional default.
    pub fn accept(&self, value: ParamValue) -> Result<ParamValue, String> {
        let value = match (&self.default, value) {
            (ParamValue::Float(_), ParamValue::Int(n)) => ParamValue::Float(n as f64),
            (_, v) => v,
        };
        if std::mem::discriminant(&value) != std::mem::discriminant(&self.default) {
            return Err(format!(
                "`{}` must be {} (its default is {}), not {value}",
                self.name,
                self.default.kind(),
                self.default
            ));
        }
        if let (Some((low, high)), Some(x)) = (self.range, value.number()) {
            if x < low || x > high {
                return Err(format!(
                    "`{}` = {value} is outside {low}..{high}, the range in which the rule's claims hold",
                    self.name
                ));
            }
        }
        Ok(value)
    }
}

/// The value a rule runs with, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamUse {
    /// The parameter.
    pub name: String,
    /// Its value.
    pub value: ParamValue,
    /// `default`, the facts document that set it, or `--param`.
    pub source: String,
}

/// The values as a Rhai map, for `param("name")`.
pub fn values(uses: &[ParamUse]) -> rhai::Map {
    uses.iter()
        .map(|u| (u.name.as_str().into(), u.value.to_dynamic()))
        .collect()
}

/// Read a `params:` header value; problems go to `diags` at `location`.
pub fn parse_decls(text: &str, location: &Location, diags: &mut Vec<Diagnostic>) -> Vec<ParamDecl> {
    let mut out: Vec<ParamDecl> = Vec::new();
    for item in split_top(text) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let bad = |why: String, diags: &mut Vec<Diagnostic>| {
            diags.push(Diagnostic::new(codes::XW0419, location.clone(), why));
        };
        let Some((name, rest)) = item.split_once('=') else {
            bad(format!("parameter `{item}` is not `name = default`"), diags);
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            bad(
                format!("parameter name `{name}` must be lowercase letters, digits and _"),
                diags,
            );
            continue;
        }
        let (value_text, range_text) = match rest.trim().rsplit_once('(') {
            Some((v, r)) if r.trim_end().ends_with(')') && !v.trim().is_empty() => {
                (v.trim(), Some(r.trim_end().trim_end_matches(')').trim()))
            }
            _ => (rest.trim(), None),
        };
        let Some(default) = ParamValue::parse(value_text) else {
            bad(
                format!(
                    "parameter `{name}`: `{value_text}` is not a number, true/false or quoted text"
                ),
                diags,
            );
            continue;
        };
        let range = match range_text {
            None => None,
            Some(r) => {
                let bounds = r.split_once("..").and_then(|(a, b)| {
                    Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))
                });
                match bounds {
                    Some((a, b)) if a <= b && default.number().is_some() => Some((a, b)),
                    _ => {
                        bad(format!("parameter `{name}`: range `({r})` is not `(low..high)` around a number"), diags);
                        continue;
                    }
                }
            }
        };
        let decl = ParamDecl {
            name: name.to_string(),
            default: default.clone(),
            range,
        };
        if let Err(why) = decl.accept(default) {
            bad(format!("the default of {why}"), diags);
            continue;
        }
        if out.iter().any(|d| d.name == decl.name) {
            bad(format!("parameter `{name}` is declared twice"), diags);
            continue;
        }
        out.push(decl);
    }
    out
}

/// Split on commas outside double quotes.
fn split_top(text: &str) -> Vec<&str> {
    let (mut out, mut start, mut quoted) = (Vec::new(), 0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decls(text: &str) -> (Vec<ParamDecl>, Vec<String>) {
        let mut diags = Vec::new();
        let d = parse_decls(text, &Location::line("r.rhai", 3), &mut diags);
        (d, diags.iter().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn declarations_read_defaults_ranges_and_text() {
        let (d, problems) = decls(
            r#"review_days = 92 (1..92), share = 0.1 (0..0.5), scope = "all, really", strict = true"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(d.len(), 4);
        assert_eq!(d[0].default, ParamValue::Int(92));
        assert_eq!(d[0].range, Some((1.0, 92.0)));
        assert_eq!(d[2].default, ParamValue::Text("all, really".into()));
        assert_eq!(d[3].default, ParamValue::Bool(true));
        assert_eq!(d[1].accept(ParamValue::Int(0)), Ok(ParamValue::Float(0.0)));
        assert!(d[0]
            .accept(ParamValue::Int(365))
            .unwrap_err()
            .contains("outside 1..92"));
        assert!(d[0]
            .accept(ParamValue::Text("92".into()))
            .unwrap_err()
            .contains("whole number"));
    }

    #[test]
    fn bad_declarations_are_named() {
        let (_, problems) =
            decls("Days = 3, x = soon, y = 5 (9..1), z = 200 (1..92), w = 1, w = 2");
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("lowercase"));
        assert!(problems[1].contains("not a number"));
        assert!(problems[2].contains("range"));
        assert!(problems[3].contains("default of `z`"));
        assert!(problems[4].contains("twice"));
    }
}
