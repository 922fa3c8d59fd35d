//! Text helpers for rule messages: short lists, joined lists and blank checks.

use super::json::error;
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, NativeCallContext, Position};

type RhaiResult<T> = Result<T, Box<EvalAltResult>>;

/// Items `listed` shows before it counts the rest.
const SHOWN: i64 = 5;

/// Separator of `listed` and `joined` when the rule names none.
const COMMA: &str = ", ";

/// An item as a rule's `out += item` would append it: text as is, `()` as nothing,
/// anything else through its `to_string` (a facts view gives its JSON).
fn text_of(ctx: &NativeCallContext, item: &mut Dynamic) -> ImmutableString {
    if let Ok(s) = item.as_immutable_string_ref() {
        return s.clone();
    }
    match ctx.call_native_fn_raw("to_string", true, &mut [item]) {
        Ok(s) if s.is_string() => s.into_immutable_string().unwrap_or_default(),
        _ => item.to_string().into(),
    }
}

/// Append, failing as the script would once the text outgrows the string limit;
/// without the check a long array of long strings could take all memory.
fn push(ctx: &NativeCallContext, out: &mut String, text: &str) -> RhaiResult<()> {
    let max = ctx.engine().max_string_size();
    if max > 0 && out.len() + text.len() > max {
        return Err(Box::new(EvalAltResult::ErrorDataTooLarge(
            "Length of string".to_string(),
            Position::NONE,
        )));
    }
    out.push_str(text);
    Ok(())
}

/// The first `max` items separated by `sep`, then ` and N more` for the rest.
pub fn listed(ctx: &NativeCallContext, items: Array, sep: &str, max: i64) -> RhaiResult<String> {
    if max < 0 {
        return Err(error(format!(
            "listed: the number of items to show is {max}; it must be 0 or more"
        )));
    }
    let total = items.len();
    let mut out = String::new();
    for (n, mut item) in items.into_iter().take(max as usize).enumerate() {
        if n > 0 {
            push(ctx, &mut out, sep)?;
        }
        push(ctx, &mut out, &text_of(ctx, &mut item))?;
    }
    let rest = total as i64 - max;
    if rest > 0 {
        push(ctx, &mut out, &format!(" and {rest} more"))?;
    }
    Ok(out)
}

/// Every item separated by `sep`. A separator goes in only once the text so far is
/// not empty, so empty items at the start leave no dangling separator.
pub fn joined(ctx: &NativeCallContext, items: Array, sep: &str) -> RhaiResult<String> {
    let mut out = String::new();
    for mut item in items {
        if !out.is_empty() {
            push(ctx, &mut out, sep)?;
        }
        push(ctx, &mut out, &text_of(ctx, &mut item))?;
    }
    Ok(out)
}

/// True for `()` and for text that is empty or only whitespace.
pub fn blank(value: &Dynamic) -> bool {
    if value.is_unit() {
        return true;
    }
    value
        .as_immutable_string_ref()
        .is_ok_and(|s| s.trim().is_empty())
}

/// As [`blank`], and also true for an empty array.
pub fn blank_or_empty(value: &Dynamic) -> bool {
    blank(value) || (value.is_array() && value.as_array_ref().is_ok_and(|a| a.is_empty()))
}

/// Register `listed`, `joined`, `blank` and `blank_or_empty`.
pub fn register(engine: &mut rhai::Engine) {
    engine
        .register_fn("listed", |ctx: NativeCallContext, items: Array| {
            listed(&ctx, items, COMMA, SHOWN)
        })
        .register_fn(
            "listed",
            |ctx: NativeCallContext, items: Array, sep: &str| listed(&ctx, items, sep, SHOWN),
        )
        .register_fn(
            "listed",
            |ctx: NativeCallContext, items: Array, max: i64| listed(&ctx, items, COMMA, max),
        )
        .register_fn(
            "listed",
            |ctx: NativeCallContext, items: Array, sep: &str, max: i64| {
                listed(&ctx, items, sep, max)
            },
        )
        .register_fn("joined", |ctx: NativeCallContext, items: Array| {
            joined(&ctx, items, COMMA)
        })
        .register_fn(
            "joined",
            |ctx: NativeCallContext, items: Array, sep: &str| joined(&ctx, items, sep),
        )
        .register_fn("blank", |value: Dynamic| blank(&value))
        .register_fn("blank_or_empty", |value: Dynamic| blank_or_empty(&value))
        .register_fn("counted", counted)
        .register_fn("counted", |n: i64, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        });
}

/// `1 day`, `3 days`: a count with its noun, made plural by adding `s` unless it is one.
fn counted(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use crate::sandbox::json::FactsValue;
    use crate::sandbox::{Limits, Sandbox};
    use rhai::Dynamic;
    use std::sync::Arc;

    /// The helpers rules used to carry, verbatim but renamed: the native ones must agree.
    const OLD_COPIES: &str = r#"
fn old_listed_comma_5(texts) {
    let out = "";
    let n = 0;
    for t in texts {
        if n == 5 { break; }
        if n > 0 { out += ", "; }
        out += t;
        n += 1;
    }
    if texts.len() > 5 { out += ` and ${texts.len() - 5} more`; }
    out
}

fn old_listed_semicolon_5(texts) {
    let out = "";
    let n = 0;
    for t in texts {
        if n == 5 { break; }
        if n > 0 { out += "; "; }
        out += t;
        n += 1;
    }
    if texts.len() > 5 { out += ` and ${texts.len() - 5} more`; }
    out
}

fn old_listed_max(texts, max) {
    let out = "";
    let n = 0;
    for t in texts {
        if n == max { break; }
        if n > 0 { out += ", "; }
        out += t;
        n += 1;
    }
    if texts.len() > max { out += ` and ${texts.len() - max} more`; }
    out
}

fn old_listed_comma(texts) {
    let out = "";
    for t in texts {
        if out != "" { out += ", "; }
        out += t;
    }
    out
}

fn old_listed_semicolon(texts) {
    let out = "";
    for t in texts {
        if out != "" { out += "; "; }
        out += t;
    }
    out
}

fn old_joined_sep(texts, sep) {
    let out = "";
    for t in texts {
        if out != "" { out += sep; }
        out += t;
    }
    out
}

fn old_joined_reduce(texts) {
    texts.reduce(|s, t| if s == "" { t } else { s + ", " + t }, "")
}

fn old_blank(x) {
    if x == () { return true; }
    if type_of(x) == "string" { let t = x; t.trim(); return t.is_empty(); }
    false
}

fn old_blank_or_empty(x) {
    if x == () { return true; }
    if type_of(x) == "string" { let t = x; t.trim(); return t.is_empty(); }
    if type_of(x) == "array" { return x.is_empty(); }
    false
}

fn lists(doc) {
    [[], ["a"], ["a", "b"], ["", "a"], ["a", "", "b"], ["", "", "c"], [" ", "x"],
     [(), "a"], ["a", ()], [(), (), "b", ()], [1, 2.5, true, 'c'], [[1, "x"], #{k: "v"}],
     ["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f"],
     ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"], ["ü", "é", "\t"],
     doc.items, doc.items.map(|i| i.name), doc.items.map(|i| `${i.name}: ${i.n}`)]
}

fn mismatches(doc) {
    let bad = [];
    for x in lists(doc) {
        if listed(x) != old_listed_comma_5(x) { bad.push(`listed(${x})`); }
        if listed(x, "; ") != old_listed_semicolon_5(x) { bad.push(`listed(${x}, "; ")`); }
        for max in [0, 1, 5, 8, 10, 20] {
            if listed(x, max) != old_listed_max(x, max) { bad.push(`listed(${x}, ${max})`); }
            if listed(x, ", ", max) != old_listed_max(x, max) { bad.push(`listed(${x}, ", ", ${max})`); }
        }
        if joined(x) != old_listed_comma(x) { bad.push(`joined(${x})`); }
        if joined(x, "; ") != old_listed_semicolon(x) { bad.push(`joined(${x}, "; ")`); }
        if joined(x, " + ") != old_joined_sep(x, " + ") { bad.push(`joined(${x}, " + ")`); }
        if x.all(|t| type_of(t) == "string") && joined(x) != old_joined_reduce(x) {
            bad.push(`joined(${x}) reduce`);
        }
    }
    let values = [(), "", " ", "\t\n", " a ", "a", [], [""], [()], #{}, 0, 0.0, false, ' ', doc,
        doc.items, doc.items[0].name, doc.items[1].name, doc.items[2].name, doc.items[3].name];
    for v in values {
        if blank(v) != old_blank(v) { bad.push(`blank(${v})`); }
        if blank_or_empty(v) != old_blank_or_empty(v) { bad.push(`blank_or_empty(${v})`); }
    }
    bad
}
"#;

    const FACTS: &str = r#"{"kind": "k", "items": [
        {"name": "ana", "n": 1}, {"name": "", "n": 2.5}, {"name": null, "n": null}, {"name": "  ", "n": true},
        {"name": "di", "n": [1]}, {"name": "ed", "n": {"x": 1}}, {"name": "fay", "n": "six"}
    ]}"#;

    fn facts() -> Dynamic {
        let doc = crate::facts::parse_document("k.json", FACTS).unwrap();
        Dynamic::from(FactsValue::root(Arc::new(doc)))
    }

    fn call(
        limits: Limits,
        script: &str,
        function: &str,
        args: Vec<Dynamic>,
    ) -> Result<Dynamic, String> {
        let sandbox = Sandbox::new(limits, "2026-06-30".parse().unwrap());
        let ast = sandbox.compile(script).map_err(|e| e.to_string())?;
        sandbox.call(&ast, function, args).result
    }

    fn text(script: &str) -> String {
        let f = format!("fn f() {{ {script} }}");
        call(Limits::default(), &f, "f", vec![])
            .unwrap()
            .into_string()
            .unwrap()
    }

    fn truth(script: &str) -> bool {
        let f = format!("fn f() {{ {script} }}");
        call(Limits::default(), &f, "f", vec![])
            .unwrap()
            .as_bool()
            .unwrap()
    }

    #[test]
    fn native_helpers_agree_with_the_copies_rules_carried() {
        let bad = call(Limits::default(), OLD_COPIES, "mismatches", vec![facts()]).unwrap();
        let bad: Vec<String> = bad
            .into_typed_array::<rhai::ImmutableString>()
            .unwrap()
            .into_iter()
            .map(|s| s.to_string())
            .collect();
        assert!(bad.is_empty(), "{bad:#?}");
    }

    #[test]
    fn listed_shows_five_then_counts_the_rest() {
        assert_eq!(text("listed([])"), "");
        assert_eq!(text(r#"listed(["a", "b"])"#), "a, b");
        assert_eq!(
            text(r#"listed(["a", "b", "c", "d", "e", "f", "g"])"#),
            "a, b, c, d, e and 2 more"
        );
        assert_eq!(text(r#"listed(["a", "b"], "; ")"#), "a; b");
        assert_eq!(text(r#"listed(["a", "b", "c"], 2)"#), "a, b and 1 more");
        assert_eq!(text(r#"listed(["a", "b", "c"], " | ", 1)"#), "a and 2 more");
        assert_eq!(text(r#"listed(["a", "b"], 0)"#), " and 2 more");
        assert_eq!(text(r#"listed(["", "a"])"#), ", a");
        let negative = call(
            Limits::default(),
            r#"fn f() { listed(["a"], -1) }"#,
            "f",
            vec![],
        );
        assert!(negative.unwrap_err().contains("must be 0 or more"));
    }

    #[test]
    fn joined_separates_every_item_but_skips_a_leading_empty_one() {
        assert_eq!(text("joined([])"), "");
        assert_eq!(
            text(r#"joined(["a", "b", "c", "d", "e", "f"])"#),
            "a, b, c, d, e, f"
        );
        assert_eq!(text(r#"joined(["a", "b"], "; ")"#), "a; b");
        assert_eq!(text(r#"joined(["", "a", "", "b"])"#), "a, , b");
        assert_eq!(text(r#"joined([(), 1, "x"])"#), "1, x");
    }

    #[test]
    fn items_that_are_not_text_read_as_a_rule_would_append_them() {
        let views = call(
            Limits::default(),
            "fn f(doc) { joined(doc.items.filter(|i| i.name == \"ed\"), \"; \") }",
            "f",
            vec![facts()],
        );
        assert_eq!(
            views.unwrap().into_string().unwrap(),
            r#"{"n":{"x":1},"name":"ed"}"#
        );
        assert_eq!(text("listed([1, 2.5, true, ()])"), "1, 2.5, true, ");
    }

    #[test]
    fn blank_means_unit_or_whitespace_and_blank_or_empty_adds_empty_arrays() {
        for yes in ["()", r#""""#, r#"" \t""#] {
            assert!(truth(&format!("blank({yes})")), "{yes}");
            assert!(truth(&format!("blank_or_empty({yes})")), "{yes}");
        }
        for no in [r#""a""#, "0", "false", "#{}", r#"[""]"#] {
            assert!(!truth(&format!("blank({no})")), "{no}");
            assert!(!truth(&format!("blank_or_empty({no})")), "{no}");
        }
        assert!(!truth("blank([])"));
        assert!(truth("blank_or_empty([])"));
    }

    #[test]
    fn long_lists_stop_at_the_string_limit() {
        let limits = Limits {
            max_string_size: 100,
            ..Limits::default()
        };
        let script =
            r#"fn f() { let xs = []; for i in 0..50 { xs.push("abcdefghij"); } joined(xs) }"#;
        let err = call(limits.clone(), script, "f", vec![]).unwrap_err();
        assert!(err.contains("Length of string"), "{err}");
        let script =
            r#"fn f() { let xs = []; for i in 0..50 { xs.push("abcdefghij"); } listed(xs, 50) }"#;
        let err = call(limits, script, "f", vec![]).unwrap_err();
        assert!(err.contains("Length of string"), "{err}");
    }

    #[test]
    fn counted_takes_an_irregular_plural() {
        let script = r#"fn f(n) { counted(n, "vulnerability", "vulnerabilities") + "/" + counted(n, "day") }"#;
        let one = call(Limits::default(), script, "f", vec![Dynamic::from(1_i64)]).unwrap();
        assert_eq!(one.into_string().unwrap(), "1 vulnerability/1 day");
        let two = call(Limits::default(), script, "f", vec![Dynamic::from(2_i64)]).unwrap();
        assert_eq!(two.into_string().unwrap(), "2 vulnerabilities/2 days");
    }
}
