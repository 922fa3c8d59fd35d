//! Strict types in rules: a comparison between values of different types, or a
//! callback that does not return what its caller needs, is an error, not `false`.
//!
//! Rhai compares mismatched types as `false` and lets `filter`, `all` and `some`
//! treat a non-boolean as `false`; in a compliance rule either can turn a finding
//! into a pass (`"15" > 10` is false, so `!(score > threshold)` passes). Equality
//! with `()` stays allowed: it is how a rule asks whether a field is null.

use super::json::error;
use rhai::{Array, Dynamic, EvalAltResult, FnPtr, ImmutableString, NativeCallContext, INT};
use std::cmp::Ordering;

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

fn mismatch<T>(op: &str, left: &str, right: &str) -> RhaiResult<T> {
    Err(error(format!(
        "cannot compare {left} {op} {right}: the values have different types (check the facts, or convert one side)"
    )))
}

/// For each pair of types, refuse every operator in `$ops` both ways round.
macro_rules! refuse {
    ($engine:expr, $ops:expr, $(($a:ty, $an:literal, $b:ty, $bn:literal)),+ $(,)?) => {
        $(
            for op in $ops {
                $engine.register_fn(op, move |_: $a, _: $b| -> RhaiResult<bool> {
                    mismatch(op, $an, $bn)
                });
                $engine.register_fn(op, move |_: $b, _: $a| -> RhaiResult<bool> {
                    mismatch(op, $bn, $an)
                });
            }
        )+
    };
}

/// Register the six comparisons for two values of the same type, as Rust compares them.
macro_rules! same_type {
    ($engine:expr, $($t:ty),+ $(,)?) => {
        $(
            $engine
                .register_fn("==", |a: $t, b: $t| a == b)
                .register_fn("!=", |a: $t, b: $t| a != b)
                .register_fn("<", |a: $t, b: $t| a < b)
                .register_fn(">", |a: $t, b: $t| a > b)
                .register_fn("<=", |a: $t, b: $t| a <= b)
                .register_fn(">=", |a: $t, b: $t| a >= b);
        )+
    };
}

const ALL_OPS: [&str; 6] = ["==", "!=", "<", ">", "<=", ">="];
const ORDER_OPS: [&str; 4] = ["<", ">", "<=", ">="];

/// Register the strict comparisons and the strict array callbacks.
pub fn register(engine: &mut rhai::Engine) {
    // Text against numbers or booleans, and numbers against booleans.
    refuse!(
        engine,
        ALL_OPS,
        (ImmutableString, "a string", INT, "a number"),
        (ImmutableString, "a string", f64, "a number"),
        (ImmutableString, "a string", bool, "a boolean"),
        (INT, "a number", bool, "a boolean"),
        (f64, "a number", bool, "a boolean"),
    );
    // Null has no order.
    refuse!(
        engine,
        ORDER_OPS,
        ((), "null", INT, "a number"),
        ((), "null", f64, "a number"),
        ((), "null", ImmutableString, "a string"),
        ((), "null", bool, "a boolean"),
    );

    // Like types compare natively, exactly as Rhai's built-in operators do: without this
    // each comparison searched every module for an overload, then built the built-in
    // operator afresh (an allocation) on every evaluation of a callback.
    same_type!(engine, INT, bool, &str);

    engine
        .register_fn(
            "filter",
            |ctx: NativeCallContext, a: Array, f: FnPtr| -> RhaiResult<Array> {
                let mut out = Array::new();
                for item in a {
                    if predicate(&ctx, &f, &item, "filter")? {
                        out.push(item);
                    }
                }
                Ok(out)
            },
        )
        .register_fn(
            "all",
            |ctx: NativeCallContext, a: Array, f: FnPtr| -> RhaiResult<bool> {
                for item in &a {
                    if !predicate(&ctx, &f, item, "all")? {
                        return Ok(false);
                    }
                }
                Ok(true)
            },
        )
        .register_fn(
            "some",
            |ctx: NativeCallContext, a: Array, f: FnPtr| -> RhaiResult<bool> {
                for item in &a {
                    if predicate(&ctx, &f, item, "some")? {
                        return Ok(true);
                    }
                }
                Ok(false)
            },
        )
        .register_fn(
            "sort",
            |ctx: NativeCallContext, a: &mut Array, f: FnPtr| -> RhaiResult<()> {
                sort(&ctx, a, &f)
            },
        );
}

/// Call a predicate and insist on a boolean.
pub(super) fn predicate(
    ctx: &NativeCallContext,
    f: &FnPtr,
    item: &Dynamic,
    caller: &str,
) -> RhaiResult<bool> {
    let value: Dynamic = f.call_within_context(ctx, (item.clone(),))?;
    let type_name = value.type_name();
    value.as_bool().map_err(|_| {
        error(format!(
            "the function given to {caller}() returned {type_name}, not true or false"
        ))
    })
}

/// Sort with a comparer returning a number; the first error the comparer raises is the result.
fn sort(ctx: &NativeCallContext, a: &mut Array, f: &FnPtr) -> RhaiResult<()> {
    let mut failure: Option<Box<EvalAltResult>> = None;
    let mut keyed: Vec<Dynamic> = std::mem::take(a);
    keyed.sort_by(|x, y| {
        if failure.is_some() {
            return Ordering::Equal;
        }
        let outcome: RhaiResult<Dynamic> = f.call_within_context(ctx, (x.clone(), y.clone()));
        match outcome.and_then(|v| {
            let type_name = v.type_name();
            v.as_int().map_err(|_| {
                error(format!(
                    "the function given to sort() returned {type_name}, not a number"
                ))
            })
        }) {
            Ok(n) => n.cmp(&0),
            Err(e) => {
                failure = Some(e);
                Ordering::Equal
            }
        }
    });
    *a = keyed;
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::sandbox::{Limits, Sandbox};

    fn run(script: &str) -> Result<rhai::Dynamic, String> {
        let sandbox = Sandbox::new(Limits::default(), jiff::civil::date(2026, 6, 30));
        let ast = sandbox
            .compile(&format!("fn f() {{ {script} }}"))
            .map_err(|e| e.to_string())?;
        sandbox
            .call(&ast, "f", Vec::new())
            .result
            .map_err(|e| e.to_string())
    }

    #[test]
    fn mismatched_comparisons_are_errors() {
        for script in [
            r#""15" > 10"#,
            r#"10 < "15""#,
            r#""15" == 15"#,
            r#"true != "true""#,
            "1 == true",
            "() > 5",
            r#""a" >= ()"#,
        ] {
            let got = run(script);
            assert!(
                got.as_ref().is_err_and(|e| e.contains("different types")),
                "{script}: {got:?}"
            );
        }
    }

    #[test]
    fn like_types_and_null_checks_still_compare() {
        for (script, expected) in [
            ("15 > 10", true),
            ("1 == 1.0", true),
            (r#""a" < "b""#, true),
            (r#""a" == ()"#, false),
            (r#"() != "a""#, true),
            ("() == ()", true),
        ] {
            let got = run(script).map(|v| v.as_bool().unwrap());
            assert_eq!(got, Ok(expected), "{script}");
        }
    }

    #[test]
    fn callbacks_must_return_what_their_caller_needs() {
        assert!(run(r#"[1, 2].filter(|x| "yes")"#).is_err());
        assert!(run("[1, 2].all(|x| 1)").is_err());
        assert!(run("[1, 2].some(|x| ())").is_err());
        assert!(run(r#"let a = [3, 1]; a.sort(|x, y| throw "boom"); a"#)
            .is_err_and(|e| e.contains("boom")));
        assert_eq!(
            run("let a = [3, 1, 2]; a.sort(|x, y| x - y); a").map(|v| v.to_string()),
            Ok("[1, 2, 3]".to_string())
        );
        assert_eq!(
            run("[1, 2, 3].filter(|x| x > 1).len()").map(|v| v.as_int().unwrap()),
            Ok(2)
        );
    }
}
