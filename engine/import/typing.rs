//! Turning one cell into the JSON value of a vocabulary field, or saying why it cannot be.
//! Nothing is inferred: a value is taken when the cell holds exactly that type (or text
//! that reads unambiguously as it), when it is one of the schema's enum values (in any
//! case), or when the mapping translates it. Everything else is refused with the values
//! that would have been accepted.

use super::fields::{Field, Shape};
use super::sheet::{display, Cell};
use jiff::civil::Date;
use serde_json::Value;

/// What a cell gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Got {
    /// A value of the field's type.
    Value(Value),
    /// Nothing: the cell is blank, or holds a value the mapping lists as blank.
    Blank,
}

/// How the mapping reads one column.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Cell texts (lower-cased) and the values they stand for.
    pub values: Vec<(String, Value)>,
    /// Cell texts (lower-cased) that count as a blank cell.
    pub blanks: Vec<String>,
    /// strftime formats of dates written as text; ISO 8601 when empty.
    pub formats: Vec<String>,
    /// What separates the entries of a list.
    pub separator: String,
}

/// The value of `cell` for `field`, read as the mapping says.
pub fn convert(field: &Field, cell: &Cell, reading: &Reading) -> Result<Got, String> {
    if let Cell::Unusable(why) = cell {
        return Err(format!(
            "holds {why}, not {} for {}",
            field.shape.describe(),
            field.name
        ));
    }
    let text = display(cell);
    let key = text.to_lowercase();
    if reading.blanks.contains(&key) && !key.is_empty() {
        return Ok(Got::Blank);
    }
    if let Some((_, value)) = reading.values.iter().find(|(k, _)| *k == key) {
        return Ok(Got::Value(value.clone()));
    }
    if cell.is_empty() {
        return Ok(Got::Blank);
    }
    let name = &field.name;
    let hint = |what: &str| {
        format!("{what} (a [values.{name}] table in the mapping can translate the sheet's wording)")
    };
    match &field.shape {
        Shape::Text => match &field.choices {
            Some(choices) => choice(choices, &text)
                .map(|c| Got::Value(Value::String(c)))
                .ok_or_else(|| {
                    hint(&format!(
                        "{name} `{text}` is not one of {}",
                        allowed(choices, reading)
                    ))
                }),
            None => Ok(Got::Value(Value::String(text))),
        },
        Shape::Integer => {
            let n = match cell {
                Cell::Int(i) => Some(*i),
                Cell::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
                Cell::Text(t) => t.parse::<i64>().ok(),
                _ => None,
            };
            n.map(|n| Got::Value(Value::from(n)))
                .ok_or_else(|| format!("{name} `{text}` is not a whole number"))
        }
        Shape::Number => {
            let n = match cell {
                Cell::Int(i) => Some(*i as f64),
                Cell::Float(f) => Some(*f),
                Cell::Text(t) => t.parse::<f64>().ok().filter(|f| f.is_finite()),
                _ => None,
            };
            let number = match (cell, n) {
                (Cell::Int(i), _) => Some(serde_json::Number::from(*i)),
                (_, Some(f)) => serde_json::Number::from_f64(f),
                _ => None,
            };
            number
                .map(|n| Got::Value(Value::Number(n)))
                .ok_or_else(|| format!("{name} `{text}` is not a number"))
        }
        Shape::Boolean => {
            let b = match cell {
                Cell::Bool(b) => Some(*b),
                Cell::Text(t) if t.eq_ignore_ascii_case("true") => Some(true),
                Cell::Text(t) if t.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            };
            b.map(|b| Got::Value(Value::Bool(b))).ok_or_else(|| {
                let words: Vec<String> = ["true", "false"]
                    .iter()
                    .map(|s| s.to_string())
                    .chain(reading.values.iter().map(|(k, _)| k.clone()))
                    .collect();
                hint(&format!(
                    "{name} `{text}` is not true or false; the values allowed are {}",
                    words.join(", ")
                ))
            })
        }
        Shape::Date => match cell {
            Cell::Date(..) => Ok(Got::Value(Value::String(text))),
            Cell::Text(t) => date_text(t, &reading.formats)
                .map(|d| Got::Value(Value::String(d)))
                .map_err(|why| format!("{name} {why}")),
            Cell::Int(_) | Cell::Float(_) => Err(format!(
                "{name} holds the number {text}, not a date: format the cell as a date, or type the date as text"
            )),
            _ => Err(format!("{name} `{text}` is not a date")),
        },
        Shape::List => {
            let mut out = Vec::new();
            for part in text.split(reading.separator.as_str()) {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let entry = match &field.choices {
                    Some(choices) => choice(choices, part).ok_or_else(|| {
                        format!(
                            "{name} entry `{part}` is not one of {}",
                            choices.join(", ")
                        )
                    })?,
                    None => part.to_string(),
                };
                out.push(Value::String(entry));
            }
            if out.is_empty() {
                return Ok(Got::Blank);
            }
            Ok(Got::Value(Value::Array(out)))
        }
        Shape::Unsupported(why) => Err(format!("{name} is {why}")),
    }
}

/// The schema's spelling of `text` among `choices`, matched without regard to case.
fn choice(choices: &[String], text: &str) -> Option<String> {
    choices
        .iter()
        .find(|c| c.to_lowercase() == text.to_lowercase())
        .cloned()
}

fn allowed(choices: &[String], reading: &Reading) -> String {
    let mut words: Vec<String> = choices.to_vec();
    words.extend(reading.values.iter().map(|(k, _)| format!("`{k}`")));
    words.join(", ")
}

/// A date written as text, as `YYYY-MM-DD` (an ISO timestamp is kept as written): in the
/// mapping's formats, or ISO 8601 when it sets none. A text that two formats read as two
/// different days is refused, not settled by the order of the formats.
pub fn date_text(text: &str, formats: &[String]) -> Result<String, String> {
    if formats.is_empty() {
        return match crate::dates::parse_date(text) {
            Some(d) if text.len() == 10 => Ok(d.to_string()),
            Some(_) => Ok(text.to_string()),
            None => Err(format!(
                "`{text}` is not a date written YYYY-MM-DD (set [dates] format in the mapping if the sheet writes dates another way)"
            )),
        };
    }
    let mut read: Vec<(Date, &str)> = Vec::new();
    for f in formats {
        if let Ok(d) = jiff::fmt::strtime::parse(f, text).and_then(|p| p.to_date()) {
            if !read.iter().any(|(seen, _)| *seen == d) {
                read.push((d, f));
            }
        }
    }
    match read.as_slice() {
        [] => Err(format!(
            "`{text}` is not a date in the format {} set in the mapping",
            formats.join(" or ")
        )),
        [(d, _)] if d.year() < 1000 => Err(format!(
            "`{text}` has a year of fewer than four digits ({}); write the year in full",
            d.year()
        )),
        [(d, _)] => Ok(d.to_string()),
        several => Err(format!(
            "`{text}` is ambiguous: it reads as {}",
            several
                .iter()
                .map(|(d, f)| format!("{d} with {f}"))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

/// Whether a strftime format reads a whole date (day, month and year): it must read back
/// the day it writes.
pub fn date_format_ok(format: &str) -> bool {
    let Ok(day) = Date::new(2026, 11, 27) else {
        return false;
    };
    let Ok(text) = jiff::fmt::strtime::format(format, day) else {
        return false;
    };
    jiff::fmt::strtime::parse(format, &text)
        .and_then(|p| p.to_date())
        .is_ok_and(|d| d == day)
}

/// A TOML value as JSON: dates and times as the text TOML writes them.
pub fn json_of(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        // nan and inf have no JSON form: kept as text, which a number field refuses.
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(json_of).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), json_of(v))).collect())
        }
    }
}

/// The value a mapping translation stands for, checked against the field: the error says
/// what the field takes.
pub fn translation(field: &Field, value: &toml::Value) -> Result<Value, String> {
    let name = &field.name;
    let wrong = || {
        format!(
            "{name} takes {}, so a translation cannot give it {}",
            field.shape.describe(),
            value.type_str()
        )
    };
    match (&field.shape, value) {
        (Shape::Text, toml::Value::String(s)) => match &field.choices {
            Some(choices) => choice(choices, s)
                .map(Value::String)
                .ok_or_else(|| format!("`{s}` is not one of {}", choices.join(", "))),
            None => Ok(Value::String(s.clone())),
        },
        (Shape::Integer, toml::Value::Integer(i)) => Ok(Value::from(*i)),
        (Shape::Number, toml::Value::Integer(_) | toml::Value::Float(_)) => Ok(json_of(value)),
        (Shape::Boolean, toml::Value::Boolean(b)) => Ok(Value::Bool(*b)),
        (Shape::Date, toml::Value::Datetime(_) | toml::Value::String(_)) => {
            let text = json_of(value);
            let text = text.as_str().unwrap_or_default();
            date_text(text, &[]).map(Value::String)
        }
        (Shape::List, toml::Value::Array(entries)) => entries
            .iter()
            .map(|e| match (e, &field.choices) {
                (toml::Value::String(s), Some(choices)) => choice(choices, s)
                    .map(Value::String)
                    .ok_or_else(|| format!("`{s}` is not one of {}", choices.join(", "))),
                (toml::Value::String(s), None) => Ok(Value::String(s.clone())),
                _ => Err(format!("{name} is a list of text; `{e}` is not text")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        _ => Err(wrong()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(shape: Shape, choices: Option<&[&str]>) -> Field {
        Field {
            name: "f".into(),
            shape,
            choices: choices.map(|c| c.iter().map(|s| s.to_string()).collect()),
            nullable: true,
            required: true,
        }
    }

    fn reading() -> Reading {
        Reading {
            separator: ";".into(),
            ..Reading::default()
        }
    }

    #[test]
    fn numbers_typed_into_text_fields_keep_no_decimal_point() {
        let f = field(Shape::Text, None);
        assert_eq!(
            convert(&f, &Cell::Float(12.0), &reading()),
            Ok(Got::Value(Value::String("12".into())))
        );
    }

    #[test]
    fn booleans_are_never_guessed() {
        let f = field(Shape::Boolean, None);
        let mut r = reading();
        assert_eq!(
            convert(&f, &Cell::Text("TRUE".into()), &r),
            Ok(Got::Value(Value::Bool(true)))
        );
        let err = convert(&f, &Cell::Text("maybe".into()), &r).unwrap_err();
        assert!(err.contains("true, false"), "{err}");
        r.values.push(("yes".into(), Value::Bool(true)));
        assert_eq!(
            convert(&f, &Cell::Text("Yes".into()), &r),
            Ok(Got::Value(Value::Bool(true)))
        );
        assert!(convert(&f, &Cell::Text("maybe".into()), &r)
            .unwrap_err()
            .contains("true, false, yes"));
    }

    #[test]
    fn enums_match_in_any_case_and_list_what_is_allowed() {
        let f = field(Shape::Text, Some(&["open", "closed"]));
        assert_eq!(
            convert(&f, &Cell::Text("Open".into()), &reading()),
            Ok(Got::Value(Value::String("open".into())))
        );
        let err = convert(&f, &Cell::Text("Parked".into()), &reading()).unwrap_err();
        assert!(err.contains("not one of open, closed"), "{err}");
    }

    #[test]
    fn dates_read_in_the_mapping_format_only_and_never_ambiguously() {
        let dmy = vec!["%d/%m/%Y".to_string()];
        assert_eq!(date_text("3/4/2026", &dmy).unwrap(), "2026-04-03");
        assert!(date_text("2026-04-03", &dmy).is_err());
        assert!(date_text("03/04/26", &dmy)
            .unwrap_err()
            .contains("four digits"));
        let both = vec!["%d/%m/%Y".to_string(), "%m/%d/%Y".to_string()];
        assert!(date_text("03/04/2026", &both)
            .unwrap_err()
            .contains("ambiguous"));
        assert_eq!(date_text("25/04/2026", &both).unwrap(), "2026-04-25");
        assert_eq!(date_text("2026-04-03", &[]).unwrap(), "2026-04-03");
        assert!(date_text("03.04.2026", &[]).is_err());
        assert!(date_format_ok("%d.%m.%Y"));
        assert!(!date_format_ok("%d/%m"));
    }

    #[test]
    fn lists_split_at_the_separator_and_check_each_entry() {
        let f = field(Shape::List, None);
        assert_eq!(
            convert(&f, &Cell::Text("A.8.13; A.5.30 ;".into()), &reading()),
            Ok(Got::Value(serde_json::json!(["A.8.13", "A.5.30"])))
        );
        let e = field(Shape::List, Some(&["a", "b"]));
        assert!(convert(&e, &Cell::Text("a;c".into()), &reading()).is_err());
    }

    #[test]
    fn a_number_is_not_a_date() {
        let f = field(Shape::Date, None);
        let err = convert(&f, &Cell::Float(46022.0), &reading()).unwrap_err();
        assert!(err.contains("format the cell as a date"), "{err}");
    }
}
