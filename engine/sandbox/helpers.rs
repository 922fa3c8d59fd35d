//! Functions rule authors call: outcomes, evidence, dates measured from `--as-of`, collections;
//! text helpers live in [`super::text`], Annex A ids in [`super::iso27001`].

use super::json::{error, FactsIndex, FactsValue};
use super::strict::predicate;
use jiff::civil::Date;
use rhai::{Array, Dynamic, EvalAltResult, FnPtr, ImmutableString, Map, NativeCallContext};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Every native helper a rule can call by name. A rule that defines a function of one of
/// these names replaces the helper for its own calls, so the rule library must not.
pub const NAMES: &[&str] = &[
    "pass",
    "fail",
    "not_applicable",
    "evidence",
    "as_of",
    "is_date",
    "days_since",
    "days_until",
    "within_days",
    "days_between",
    "add_days",
    "minutes_between",
    "count",
    "any",
    "none",
    "pluck",
    "names",
    "join",
    "levels",
    "latest_by",
    "param",
    "match_key",
    "listed",
    "joined",
    "blank",
    "blank_or_empty",
    "counted",
    "annex_a",
    "period_from",
    "period_to",
    "in_period",
    "period_windows",
    "population",
];

use crate::dates::{days_between, parse_date};

fn date_arg(text: &str) -> RhaiResult<Date> {
    parse_date(text).ok_or_else(|| error(format!("`{text}` is not a date; write YYYY-MM-DD")))
}

/// Evidence references from a handle, a string, or an array of those.
fn evidence_list(value: Dynamic) -> RhaiResult<Array> {
    if value.is_unit() {
        return Ok(Array::new());
    }
    if value.is_array() {
        let items = value.into_array().unwrap_or_default();
        let mut out = Array::new();
        for item in items {
            out.extend(evidence_list(item)?);
        }
        return Ok(out);
    }
    let value = match value.try_cast_result::<FactsValue>() {
        Ok(v) => return Ok(vec![Dynamic::from(v.evidence())]),
        Err(value) => value,
    };
    if value.is_string() {
        return Ok(vec![value]);
    }
    Err(error(format!(
        "evidence must be facts values or strings, not {}",
        value.type_name()
    )))
}

fn outcome(kind: &str, message: &str, evidence: Dynamic) -> RhaiResult<Map> {
    let mut map = Map::new();
    map.insert("outcome".into(), Dynamic::from(kind.to_string()));
    map.insert("message".into(), Dynamic::from(message.to_string()));
    map.insert(
        "evidence".into(),
        Dynamic::from_array(evidence_list(evidence)?),
    );
    Ok(map)
}

/// Register outcome, evidence, date, collection, text and Annex A helpers.
pub fn register(engine: &mut rhai::Engine, as_of: Date) {
    super::text::register(engine);
    super::iso27001::register(engine);
    engine
        .register_fn("pass", |m: &str| outcome("pass", m, Dynamic::UNIT))
        .register_fn("pass", |m: &str, e: Dynamic| outcome("pass", m, e))
        .register_fn("fail", |m: &str| outcome("fail", m, Dynamic::UNIT))
        .register_fn("fail", |m: &str, e: Dynamic| outcome("fail", m, e))
        .register_fn("not_applicable", |m: &str| {
            outcome("not-applicable", m, Dynamic::UNIT)
        })
        .register_fn("not_applicable", |m: &str, e: Dynamic| {
            outcome("not-applicable", m, e)
        })
        .register_fn("evidence", |v: Dynamic| -> RhaiResult<Array> {
            evidence_list(v)
        });

    engine
        .register_fn("as_of", move || as_of.to_string())
        .register_fn("is_date", |s: &str| parse_date(s).is_some())
        .register_fn("is_date", |_: ()| false)
        .register_fn("days_since", move |s: &str| -> RhaiResult<i64> {
            Ok(days_between(date_arg(s)?, as_of))
        })
        .register_fn("days_until", move |s: &str| -> RhaiResult<i64> {
            Ok(days_between(as_of, date_arg(s)?))
        })
        .register_fn("within_days", move |s: &str, n: i64| -> RhaiResult<bool> {
            let d = days_between(date_arg(s)?, as_of);
            Ok((0..=n).contains(&d))
        })
        .register_fn("within_days", |_: (), _: i64| false)
        .register_fn("days_between", |a: &str, b: &str| -> RhaiResult<i64> {
            Ok(days_between(date_arg(a)?, date_arg(b)?))
        })
        .register_fn("minutes_between", |a: Dynamic, b: Dynamic| -> Dynamic {
            match (minute_of(&a), minute_of(&b)) {
                (Some(a), Some(b)) => Dynamic::from(b - a),
                _ => Dynamic::UNIT,
            }
        })
        .register_fn("add_days", |s: &str, n: i64| -> RhaiResult<String> {
            let d = date_arg(s)?;
            d.checked_add(
                jiff::Span::new()
                    .try_days(n)
                    .map_err(|e| error(e.to_string()))?,
            )
            .map(|d| d.to_string())
            .map_err(|e| error(e.to_string()))
        });

    engine
        .register_fn(
            "count",
            |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> RhaiResult<i64> {
                let mut n = 0;
                for item in a.iter() {
                    if predicate(&ctx, &f, item, "count")? {
                        n += 1;
                    }
                }
                Ok(n)
            },
        )
        .register_fn(
            "any",
            |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> RhaiResult<bool> {
                for item in a.iter() {
                    if predicate(&ctx, &f, item, "any")? {
                        return Ok(true);
                    }
                }
                Ok(false)
            },
        )
        .register_fn(
            "none",
            |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> RhaiResult<bool> {
                for item in a.iter() {
                    if predicate(&ctx, &f, item, "none")? {
                        return Ok(false);
                    }
                }
                Ok(true)
            },
        )
        .register_fn(
            "pluck",
            |a: &mut Array, field: ImmutableString| -> RhaiResult<Array> {
                a.iter()
                    .map(|item| match facts_of(item) {
                        Some(v) => v.field(field.clone()),
                        None => Err(error(format!("pluck(\"{field}\") needs facts objects"))),
                    })
                    .collect()
            },
        )
        .register_fn(
            "names",
            |a: &mut Array, field: ImmutableString| -> RhaiResult<String> { names(a, field) },
        )
        .register_fn("join", |a: &mut Array, sep: &str| -> String {
            a.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(sep)
        })
        .register_fn("levels", levels)
        .register_fn(
            "latest_by",
            move |a: &mut Array, key: ImmutableString, date: ImmutableString| -> RhaiResult<Map> {
                latest_by(a, key, date, as_of)
            },
        )
        .register_fn("param", |name: &str| super::param(name))
        .register_fn("match_key", |v: Dynamic| -> String {
            FactsIndex::key(&v).unwrap_or_default()
        });
}

/// The minute (since the epoch, UTC, seconds dropped) of a timestamp with a time of day:
/// RFC 3339 with an offset, or a date and time without one, taken as UTC (exports keep to
/// one zone). `None` for a bare date, `()` or anything else.
fn minute_of(value: &Dynamic) -> Option<i64> {
    let text = value.clone().into_immutable_string().ok()?;
    let text = text.trim();
    let seconds = match text.parse::<jiff::Timestamp>() {
        Ok(ts) => ts.as_second(),
        Err(_) => {
            let local: jiff::civil::DateTime = text.parse().ok()?;
            // A bare date parses as a date-time at midnight: it has no time of day.
            if !text.contains([':']) {
                return None;
            }
            local
                .to_zoned(jiff::tz::TimeZone::UTC)
                .ok()?
                .timestamp()
                .as_second()
        }
    };
    Some(seconds.div_euclid(60))
}

/// For joins such as "each person's latest training": a map from each item's `key` field
/// (trimmed, lower-cased, as `match_key` gives it) to the latest `date` among its items.
/// Items without the key or the date are skipped, and so is a date after `as_of`: evidence
/// cannot come from the future. A date that is not one is an error, not a skip.
fn latest_by(
    items: &Array,
    key: ImmutableString,
    date: ImmutableString,
    as_of: Date,
) -> RhaiResult<Map> {
    let mut latest: std::collections::BTreeMap<String, Date> = Default::default();
    for item in items {
        let Some(v) = facts_of(item) else {
            return Err(error(format!(
                "latest_by(\"{key}\", \"{date}\") needs facts objects"
            )));
        };
        let Some(k) = FactsIndex::key(&v.field_or(key.clone(), Dynamic::UNIT)) else {
            continue;
        };
        let when = v.field_or(date.clone(), Dynamic::UNIT);
        if when.is_unit() {
            continue;
        }
        let day = date_arg(&when.to_string())?;
        if day > as_of {
            continue;
        }
        let slot = latest.entry(k).or_insert(day);
        if day > *slot {
            *slot = day;
        }
    }
    Ok(latest
        .into_iter()
        .map(|(k, d)| (k.into(), Dynamic::from(d.to_string())))
        .collect())
}

/// The facts handle an array element holds, read in place (no copy of the element).
fn facts_of(item: &Dynamic) -> Option<rhai::DynamicReadLock<'_, FactsValue>> {
    item.read_lock::<FactsValue>()
}

/// Number of levels of a scale: its `len()` (array, object or text), 0 when `()`.
fn levels(ctx: NativeCallContext, scale: Dynamic) -> RhaiResult<i64> {
    if scale.is_unit() {
        return Ok(0);
    }
    ctx.call_native_fn::<i64>("len", (scale,))
}

/// `a, b, c and 4 more`: a short list of one field of the items, for messages.
fn names(items: &Array, field: ImmutableString) -> RhaiResult<String> {
    const SHOWN: usize = 5;
    let total = items.len();
    let mut shown = Vec::new();
    for item in items.iter().take(SHOWN) {
        let value = match facts_of(item) {
            Some(v) => v.field(field.clone())?,
            None => return Err(error(format!("names(\"{field}\") needs facts objects"))),
        };
        shown.push(value.to_string());
    }
    let mut out = shown.join(", ");
    if total > SHOWN {
        out.push_str(&format!(" and {} more", total - SHOWN));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::{Limits, Sandbox};

    fn run(script: &str) -> Result<Dynamic, String> {
        let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
        let ast = sandbox.compile(script).map_err(|e| e.to_string())?;
        sandbox.call(&ast, "f", vec![]).result
    }

    #[test]
    fn names_lists_every_registered_helper() {
        let sources = [
            include_str!("helpers.rs"),
            include_str!("text.rs"),
            include_str!("iso27001.rs"),
            include_str!("period.rs"),
        ];
        let call = regex::Regex::new(r#"register_fn\(\s*"(\w+)""#).unwrap();
        let mut registered: Vec<&str> = sources
            .iter()
            .flat_map(|s| call.captures_iter(s).map(|c| c.get(1).unwrap().as_str()))
            .collect();
        registered.sort_unstable();
        registered.dedup();
        let mut named = NAMES.to_vec();
        named.sort_unstable();
        assert_eq!(registered, named);
    }

    #[test]
    fn latest_by_keeps_each_keys_latest_date_up_to_as_of() {
        let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
        let doc = crate::facts::parse_document(
            "t.json",
            r#"{"kind": "training", "items": [
            {"person": " Ana@Example.com", "on": "2026-01-05"},
            {"person": "ana@example.com", "on": "2026-03-01"},
            {"person": "ana@example.com", "on": "2026-07-01"},
            {"person": "bo@example.com", "on": null},
            {"person": null, "on": "2026-02-01"},
            {"person": "cy@example.com", "on": "2026-06-30T10:00:00Z"}
        ]}"#,
        )
        .unwrap();
        let doc = Dynamic::from(FactsValue::root(std::sync::Arc::new(doc)));
        let script = r#"fn f(doc) { let m = latest_by(doc.items, "person", "on");
            `${m.len()} ${m["ana@example.com"]} ${m["cy@example.com"]} ${m.contains("bo@example.com")} ${match_key(" Ana@Example.COM ")}|${match_key(())}` }"#;
        let ast = sandbox.compile(script).unwrap();
        let got = sandbox.call(&ast, "f", vec![doc]).result.unwrap();
        assert_eq!(
            got.to_string(),
            "2 2026-03-01 2026-06-30 false ana@example.com|"
        );
    }

    #[test]
    fn minutes_between_reads_offsets_and_leaves_bare_dates_alone() {
        let m = |a: &str, b: &str| {
            run(&format!("fn f() {{ minutes_between({a}, {b}) }}"))
                .unwrap()
                .as_int()
                .ok()
        };
        assert_eq!(
            m(
                r#""2026-06-08T15:40:00Z""#,
                r#""2026-06-13T13:05:00+00:00""#
            ),
            Some(117 * 60 + 25)
        );
        assert_eq!(
            m(
                r#""2026-06-08T15:40:59Z""#,
                r#""2026-06-08T16:41:00+01:00""#
            ),
            Some(1)
        );
        assert_eq!(
            m(r#""2026-06-08 09:00""#, r#""2026-06-08T09:30:00Z""#),
            Some(30)
        );
        assert_eq!(m(r#""2026-06-08""#, r#""2026-06-09T10:00:00Z""#), None);
        assert_eq!(m("()", r#""2026-06-09T10:00:00Z""#), None);
    }

    #[test]
    fn collection_helpers_read_their_array_in_place_and_leave_it_alone() {
        // Taken by reference: the array is the caller's, unchanged after the call. In a
        // plain call, a closure may read the same variable (shared once captured): Rhai
        // passes a shared variable by value, as it did before the helpers took `&mut`.
        let got = run(r#"fn f() { let a = [1, 2, 3];
            let n = count(a, |x| x > a.len() - 2) + a.count(|x| x > 1);
            let y = a.any(|x| x == 3) && none(a, |x| x > 3) && !none(a, |x| a.contains(x));
            `${n} ${y} ${join(a, "-")} ${a.join(",")} ${a.len()}` }"#)
        .unwrap();
        assert_eq!(got.to_string(), "4 true 1-2-3 1,2,3 3");
        assert!(run(r#"fn f() { pluck([1], "x") }"#)
            .unwrap_err()
            .contains("pluck(\"x\") needs facts objects"));
        assert!(run(r#"fn f() { let a = [#{x: 1}]; a.names("x") }"#)
            .unwrap_err()
            .contains("names(\"x\") needs facts objects"));
    }

    #[test]
    fn levels_counts_a_scale_and_zero_for_unit() {
        assert_eq!(run("fn f() { levels(()) }").unwrap().as_int(), Ok(0));
        assert_eq!(run("fn f() { levels([1, 2, 3]) }").unwrap().as_int(), Ok(3));
        assert_eq!(
            run(r#"fn f() { levels(#{a: 1, b: 2}) }"#).unwrap().as_int(),
            Ok(2)
        );
        assert_eq!(run(r#"fn f() { levels("low") }"#).unwrap().as_int(), Ok(3));
        assert!(run("fn f() { levels(5) }").is_err());
    }
}
