//! Helpers for rules over recurring activities (reviews, changes, leavers): the observation
//! period of the run and the population a rule tested in it.
//!
//! With `--period FROM..TO` a rule counts every occurrence dated inside the period; without
//! one, every occurrence up to `--as-of`. An occurrence with no date stays in the population
//! (`in_period(())` is true): it cannot be shown to lie outside, and the rule reports its
//! missing date as an exception.

use super::json::error;
use crate::dates::{parse_date, Period};
use jiff::civil::Date;
use rhai::{Array, Dynamic, EvalAltResult, Map};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// The key of an outcome map that holds the population a rule tested.
pub const POPULATION_KEY: &str = "population";
/// The key of an outcome map that holds how many occurrences were exceptions.
pub const EXCEPTIONS_KEY: &str = "exceptions";

fn window_map(p: Period) -> Dynamic {
    let mut m = Map::new();
    m.insert("from".into(), Dynamic::from(p.from.to_string()));
    m.insert("to".into(), Dynamic::from(p.to.to_string()));
    Dynamic::from_map(m)
}

/// The period rules see: the run's, or for a point-in-time run `None` (every date up to
/// `as_of` counts).
fn inside(period: Option<Period>, as_of: Date, date: Date) -> bool {
    match period {
        Some(p) => p.contains(date),
        None => date <= as_of,
    }
}

/// Register the period helpers.
pub fn register(engine: &mut rhai::Engine, as_of: Date, period: Option<Period>) {
    let end = |p: Option<Period>, first: bool| match p {
        Some(p) => Dynamic::from(if first { p.from } else { p.to }.to_string()),
        None => Dynamic::UNIT,
    };
    engine
        .register_fn("period_from", move || end(period, true))
        .register_fn("period_to", move || end(period, false))
        .register_fn("in_period", move |d: &str| -> RhaiResult<bool> {
            let date = parse_date(d)
                .ok_or_else(|| error(format!("`{d}` is not a date; write YYYY-MM-DD")))?;
            Ok(inside(period, as_of, date))
        })
        .register_fn("in_period", |_: ()| true)
        .register_fn("period_windows", move |days: i64| -> RhaiResult<Array> {
            if days < 1 {
                return Err(error(format!(
                    "period_windows({days}): a window is at least one day"
                )));
            }
            let whole = period.unwrap_or_else(|| Period {
                from: as_of
                    .checked_sub(jiff::Span::new().days(days - 1))
                    .unwrap_or(as_of),
                to: as_of,
            });
            Ok(whole.windows(days).into_iter().map(window_map).collect())
        })
        .register_fn(
            "population",
            |mut outcome: Map, total: i64, exceptions: i64| -> RhaiResult<Map> {
                if total < 0 || exceptions < 0 || exceptions > total {
                    return Err(error(format!(
                        "population({total}, {exceptions}): exceptions must be between 0 and the population"
                    )));
                }
                outcome.insert(POPULATION_KEY.into(), Dynamic::from(total));
                outcome.insert(EXCEPTIONS_KEY.into(), Dynamic::from(exceptions));
                Ok(outcome)
            },
        );
}

#[cfg(test)]
mod tests {
    use crate::dates::Period;
    use crate::sandbox::{Limits, Sandbox};
    use rhai::Dynamic;

    fn run(script: &str, period: Option<&str>) -> Result<Dynamic, String> {
        let period = period.map(|p| Period::parse(p).unwrap());
        let sandbox =
            Sandbox::with_period(Limits::default(), "2026-06-30".parse().unwrap(), period);
        let ast = sandbox.compile(script).map_err(|e| e.to_string())?;
        sandbox.call(&ast, "f", vec![]).result
    }

    #[test]
    fn in_period_reads_the_period_or_everything_up_to_as_of() {
        let script = r#"fn f() { [in_period("2025-12-31"), in_period("2026-03-01"), in_period("2026-07-01"), in_period(())] }"#;
        let got = |p| {
            run(script, p)
                .unwrap()
                .into_array()
                .unwrap()
                .into_iter()
                .map(|d| d.as_bool().unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            got(Some("2026-01-01..2026-06-30")),
            [false, true, false, true]
        );
        assert_eq!(got(None), [true, true, false, true]);
        assert!(run(r#"fn f() { in_period("soon") }"#, None).is_err());
    }

    #[test]
    fn windows_cover_the_period_and_a_point_in_time_run_has_one() {
        let n = |p| {
            run("fn f() { period_windows(92).len() }", p)
                .unwrap()
                .as_int()
                .unwrap()
        };
        assert_eq!(n(Some("2026-01-01..2026-06-30")), 2);
        assert_eq!(n(Some("2025-07-01..2026-06-30")), 4);
        assert_eq!(n(None), 1);
        let first = run("fn f() { period_windows(92)[0].from }", None).unwrap();
        assert_eq!(first.into_string().unwrap(), "2026-03-31");
        assert!(run("fn f() { period_windows(0) }", None).is_err());
        assert!(run("fn f() { period_from() }", None).unwrap().is_unit());
    }

    #[test]
    fn population_is_checked_and_recorded_on_the_outcome() {
        let m = run(r#"fn f() { fail("late", ()).population(12, 2) }"#, None)
            .unwrap()
            .cast::<rhai::Map>();
        assert_eq!(m["population"].as_int(), Ok(12));
        assert_eq!(m["exceptions"].as_int(), Ok(2));
        assert!(run(r#"fn f() { fail("x", ()).population(2, 3) }"#, None).is_err());
        assert!(run(r#"fn f() { fail("x", ()).population(-1, 0) }"#, None).is_err());
    }
}
