//! Reading facts text as hostile input: encoding, nesting depth and duplicate keys.
//!
//! Checks run before the JSON parser where they can (encoding, depth), so a
//! crafted file is refused with a located diagnostic instead of costing memory
//! or stack. Duplicate keys are an error rather than last-wins: in evidence a
//! second `"mfa": true` must not silently hide a first `"mfa": false`.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

/// serde_json stops at 128 levels; a depth limit above that could never be reached.
pub const PARSER_MAX_DEPTH: usize = 127;

/// Prefix of the error message for a duplicate key, used to give it its own code.
pub(crate) const DUPLICATE_KEY: &str = "duplicate key";

/// Why bytes are not UTF-8 text: the 1-based line and column, and a hint for known encodings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    /// Line of the first offending byte.
    pub line: u64,
    /// Column of the first offending byte.
    pub column: u64,
    /// What the file looks like instead (UTF-16, UTF-32), when recognisable.
    pub encoding: Option<&'static str>,
}

/// Decode a facts file: UTF-8 (a byte-order mark is accepted and dropped).
///
/// UTF-16 and UTF-32 files are recognised by their byte-order mark or by NUL
/// bytes in the first characters, so the message can say how to fix them.
pub fn decode(bytes: &[u8]) -> Result<&str, NotText> {
    let encoding = other_encoding(bytes);
    if let Some(encoding) = encoding {
        return Err(NotText {
            line: 1,
            column: 1,
            encoding: Some(encoding),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').unwrap_or(text)),
        Err(e) => {
            let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let (line, column) = position(valid);
            Err(NotText {
                line,
                column,
                encoding: None,
            })
        }
    }
}

fn other_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some("UTF-32"),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Some("UTF-16"),
        // `{"` or `[` in UTF-16 without a byte-order mark: every other byte is NUL.
        [a, 0, b, 0, ..] | [0, a, 0, b, ..] if a.is_ascii() && b.is_ascii() && *a != 0 => {
            Some("UTF-16")
        }
        _ => None,
    }
}

/// 1-based line and column (in characters) just after `prefix`.
fn position(prefix: &[u8]) -> (u64, u64) {
    let line = prefix.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let column = prefix
        .iter()
        .rev()
        .take_while(|b| **b != b'\n')
        .filter(|b| (**b & 0xC0) != 0x80)
        .count() as u64
        + 1;
    (line, column)
}

/// Where JSON text first nests deeper than `max_depth` arrays and objects.
///
/// A linear scan that never recurses, run before parsing so a file of a million
/// `[` costs neither stack nor memory.
pub fn too_deep(text: &str, max_depth: usize) -> Option<(u64, u64)> {
    match prescan(text, max_depth) {
        Some((Prescan::TooDeep, line, column)) => Some((line, column)),
        _ => None,
    }
}

/// What [`prescan`] found wrong before parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prescan {
    /// Arrays and objects nest deeper than allowed.
    TooDeep,
    /// An integer literal does not fit 64 bits (the parser would make it a float).
    OversizedInteger,
}

/// One linear pass over the text, outside strings: nesting deeper than `max_depth`,
/// and integer literals too large for 64 bits. The first problem, with its 1-based
/// line and column.
pub fn prescan(text: &str, max_depth: usize) -> Option<(Prescan, u64, u64)> {
    let bytes = text.as_bytes();
    let at = |i: usize| position(bytes.get(..i).unwrap_or_default());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut number: Option<usize> = None;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let in_number = b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
        match (number, in_number) {
            (None, true) if b.is_ascii_digit() || b == b'-' => number = Some(i),
            (Some(start), false) => {
                if oversized(bytes.get(start..i).unwrap_or_default()) {
                    return Some((Prescan::OversizedInteger, at(start).0, at(start).1));
                }
                number = None;
            }
            _ => {}
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max_depth {
                    let (line, column) = at(i);
                    return Some((Prescan::TooDeep, line, column));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    match number {
        Some(start) if oversized(bytes.get(start..).unwrap_or_default()) => {
            let (line, column) = at(start);
            Some((Prescan::OversizedInteger, line, column))
        }
        _ => None,
    }
}

/// True for an integer literal (no fraction, no exponent) outside i64 and u64.
fn oversized(literal: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(literal) else {
        return false;
    };
    !text.contains(['.', 'e', 'E'])
        && text != "-"
        && text.parse::<i64>().is_err()
        && text.parse::<u64>().is_err()
}

/// Parse JSON text into a value, refusing duplicate keys.
pub fn value(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = Strict::deserialize(&mut de)?.0;
    de.end()?;
    Ok(v)
}

/// What the scan of a corpus needs from a document: is it an object, and its `kind`.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// True when the top level is an object.
    pub object: bool,
    /// The `kind` value, when the object has one.
    pub kind: Option<Value>,
}

/// Check JSON text as [`value`] does (syntax, duplicate keys) but build only its outline.
pub fn outline(text: &str) -> Result<Outline, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let o = de.deserialize_any(OutlineVisitor)?;
    de.end()?;
    Ok(o)
}

/// A JSON value parsed with duplicate keys refused.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BuildVisitor).map(Strict)
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("{DUPLICATE_KEY} `{key}`"))
}

/// Builds a [`Value`]; objects refuse a key seen before.
struct BuildVisitor;

impl<'de> Visitor<'de> for BuildVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(Key(key)) = map.next_key()? {
            if out.contains_key(key.as_ref()) {
                return Err(duplicate(&key));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key.into_owned(), v);
        }
        Ok(Value::Object(out))
    }
}

/// Walks a value without building it, refusing duplicate keys.
struct CheckSeed;

impl<'de> DeserializeSeed<'de> for CheckSeed {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(CheckVisitor)
    }
}

struct CheckVisitor;

impl<'de> Visitor<'de> for CheckVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(CheckSeed)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(Key(key)) = map.next_key()? {
            if seen.contains(&key) {
                return Err(duplicate(&key));
            }
            map.next_value_seed(CheckSeed)?;
            seen.insert(key);
        }
        Ok(())
    }
}

/// The top level: any value, with the `kind` of an object kept.
struct OutlineVisitor;

impl<'de> Visitor<'de> for OutlineVisitor {
    type Value = Outline;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_str<E>(self, _: &str) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_unit<E>(self) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_none<E>(self) -> Result<Outline, E> {
        Ok(NOT_OBJECT)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Outline, A::Error> {
        CheckVisitor.visit_seq(seq)?;
        Ok(NOT_OBJECT)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut seen: HashSet<Cow<'de, str>> = HashSet::new();
        let mut kind = None;
        while let Some(Key(key)) = map.next_key()? {
            if seen.contains(&key) {
                return Err(duplicate(&key));
            }
            if key == "kind" {
                kind = Some(map.next_value::<Strict>()?.0);
            } else {
                map.next_value_seed(CheckSeed)?;
            }
            seen.insert(key);
        }
        Ok(Outline { object: true, kind })
    }
}

const NOT_OBJECT: Outline = Outline {
    object: false,
    kind: None,
};

#[cfg(test)]
mod tests {
    #[test]
    fn span_covers_the_whole_value() {
        let text = "{\n  \"items\": [\n    {\"user\": \"ana\", \"mfa\": false}\n  ]\n}\n";
        assert_eq!(span(text, "/items/0/mfa"), Some((3, 28, 3, 33, "false")));
        let (line, column, end_line, end_column, value) = span(text, "/items").unwrap();
        assert_eq!((line, column, end_line, end_column), (2, 12, 4, 4));
        assert!(value.starts_with('[') && value.ends_with(']'));
        assert_eq!(span(text, "/nothing"), None);
    }

    use super::*;

    #[test]
    fn duplicate_keys_are_refused_at_any_depth() {
        for text in [
            r#"{"a":1,"a":2}"#,
            r#"{"kind":"x","items":[{"mfa":false,"mfa":true}]}"#,
            r#"{"k\u0069nd":"x","kind":"y"}"#,
        ] {
            let err = value(text).unwrap_err();
            assert!(err.to_string().starts_with(DUPLICATE_KEY), "{err}");
            let err = outline(text).unwrap_err();
            assert!(err.to_string().starts_with(DUPLICATE_KEY), "{err}");
        }
        assert_eq!(
            value(r#"{"a":{"b":1},"b":[1,{"a":2}]}"#).unwrap(),
            serde_json::json!({"a":{"b":1},"b":[1,{"a":2}]})
        );
    }

    #[test]
    fn outline_keeps_only_the_kind() {
        let o = outline(r#"{"items":[1,2],"kind":"policy"}"#).unwrap();
        assert_eq!(o.kind, Some(Value::String("policy".into())));
        assert!(!outline("[]").unwrap().object);
        assert!(outline("{} x").is_err());
    }

    #[test]
    fn depth_is_measured_outside_strings() {
        assert_eq!(too_deep("[[[]]]", 3), None);
        assert_eq!(too_deep("[[[[]]]]", 3), Some((1, 4)));
        assert_eq!(too_deep(r#"["[[[[[[", "\"[[[["]"#, 2), None);
        assert_eq!(too_deep("{\n \"a\": [[\n[", 3), Some((3, 1)));
    }

    #[test]
    fn encodings_are_recognised() {
        assert_eq!(decode(b"\xef\xbb\xbf{}").unwrap(), "{}");
        let utf16: Vec<u8> = "\u{feff}{\"kind\":1}"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode(&utf16).unwrap_err().encoding, Some("UTF-16"));
        assert_eq!(decode(b"{\0\"\0").unwrap_err().encoding, Some("UTF-16"));
        let bad = decode(b"{\n  \"a\": \"\xff\"}").unwrap_err();
        assert_eq!((bad.line, bad.column, bad.encoding), (2, 9, None));
    }
}

/// The first integer literal (outside strings) too large for 64 bits, as a 1-based line
/// and column: serde_json would turn it into the nearest float, silently changing it.
pub fn oversized_integer(text: &str) -> Option<(u64, u64)> {
    match prescan(text, usize::MAX) {
        Some((Prescan::OversizedInteger, line, column)) => Some((line, column)),
        _ => None,
    }
}

/// Where the value at a JSON pointer (`/items/3/status`) starts in the text, as a 1-based
/// line and column; `None` when the text has no such value. Used to point a vocabulary
/// violation at its place in the file; the text has already parsed.
pub fn locate(text: &str, pointer: &str) -> Option<(u64, u64)> {
    let bytes = text.as_bytes();
    Some(position(bytes.get(..start(text, pointer)?)?))
}

/// The byte offset where the value at a JSON pointer starts.
fn start(text: &str, pointer: &str) -> Option<usize> {
    let target: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, 0);
    for segment in &target {
        at = child(bytes, at, segment)?;
    }
    Some(at)
}

/// Where the value at a JSON pointer starts and ends: `(start line, start column, end
/// line, end column)`, 1-based, the end column just past the value's last character, and
/// the value's text. `None` when the text has no such value.
pub fn span<'a>(text: &'a str, pointer: &str) -> Option<(u64, u64, u64, u64, &'a str)> {
    let bytes = text.as_bytes();
    let at = start(text, pointer)?;
    let rest = text.get(at..)?;
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    let end = at + values.byte_offset();
    let (line, column) = position(bytes.get(..at)?);
    let (end_line, end_column) = position(bytes.get(..end)?);
    Some((line, column, end_line, end_column, text.get(at..end)?))
}

/// The byte range of the value at a JSON pointer, for rewriting one value in place and
/// leaving every other byte as it was. `None` when the text has no such value.
pub fn byte_span(text: &str, pointer: &str) -> Option<std::ops::Range<usize>> {
    let at = start(text, pointer)?;
    Some(at..value_end(text.as_bytes(), at)?)
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
        at += 1;
    }
    at
}

/// The end (exclusive) of the string starting at `at` (which holds `"`).
fn string_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    at += 1;
    loop {
        match bytes.get(at)? {
            b'\\' => at += 2,
            b'"' => return Some(at + 1),
            _ => at += 1,
        }
    }
}

/// The end (exclusive) of the value starting at `at`.
fn value_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = at;
            while bytes
                .get(i)
                .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
            {
                i += 1;
            }
            Some(i)
        }
    }
}

/// Where the member `segment` of the object or array starting at `at` begins.
fn child(bytes: &[u8], at: usize, segment: &str) -> Option<usize> {
    let open = *bytes.get(at)?;
    if !matches!(open, b'{' | b'[') {
        return None;
    }
    let mut i = skip_ws(bytes, at + 1);
    let mut index = 0usize;
    loop {
        if matches!(bytes.get(i)?, b'}' | b']') {
            return None;
        }
        let found = if open == b'{' {
            let key_end = string_end(bytes, i)?;
            let raw = std::str::from_utf8(bytes.get(i..key_end)?).ok()?;
            let key: String = serde_json::from_str(raw).ok()?;
            i = skip_ws(bytes, key_end);
            if bytes.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(bytes, i + 1);
            key == segment
        } else {
            segment.parse::<usize>().ok() == Some(index)
        };
        if found {
            return Some(i);
        }
        i = skip_ws(bytes, value_end(bytes, i)?);
        if bytes.get(i) == Some(&b',') {
            i = skip_ws(bytes, i + 1);
        }
        index += 1;
    }
}

#[cfg(test)]
mod locate_tests {
    use super::locate;

    #[test]
    fn oversized_integers_are_found_outside_strings_only() {
        use super::oversized_integer;
        assert_eq!(
            oversized_integer(r#"{"a": 9223372036854775807, "b": -1}"#),
            None
        );
        assert_eq!(oversized_integer(r#"{"a": 18446744073709551615}"#), None);
        assert_eq!(
            oversized_integer(r#"{"a": 1.5e400, "s": "123456789012345678901234"}"#),
            None
        );
        assert_eq!(
            oversized_integer("{\n \"a\": 123456789012345678901234}"),
            Some((2, 7))
        );
        assert_eq!(
            oversized_integer(r#"[-99999999999999999999]"#),
            Some((1, 2))
        );
    }

    #[test]
    fn pointers_find_their_value() {
        let text = "{\n  \"kind\": \"accounts\",\n  \"items\": [\n    {\"user\": \"a,b\", \"status\": \"active\"},\n    {\"user\": \"c\\\"d\", \"status\": null}\n  ]\n}\n";
        assert_eq!(locate(text, ""), Some((1, 1)));
        assert_eq!(locate(text, "/kind"), Some((2, 11)));
        assert_eq!(locate(text, "/items/0/status"), Some((4, 31)));
        assert_eq!(locate(text, "/items/1/status"), Some((5, 32)));
        assert_eq!(locate(text, "/items/2"), None);
        assert_eq!(locate(text, "/nope"), None);
    }
}
