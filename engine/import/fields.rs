//! The item fields of a vocabulary kind as a spreadsheet column can fill them, read from
//! the kind's JSON Schema: the type a cell must turn into, the values an enum allows,
//! whether the field may be null and whether it is required. A field a single cell cannot
//! hold (an object, a list of records, a choice of types) is kept with the reason, so a
//! mapping that names it is refused instead of half-filled.

use crate::facts::schema::{SchemaSet, DATE, OBSERVED_DATE};
use serde_json::Value;

/// What a cell becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// A whole number.
    Integer,
    /// A number.
    Number,
    /// true or false.
    Boolean,
    /// A calendar date, YYYY-MM-DD.
    Date,
    /// A list of strings, one cell split at the mapping's separator.
    List,
    /// Nothing a cell can hold; the reason.
    Unsupported(String),
}

impl Shape {
    /// The shape in words, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Shape::Text => "text",
            Shape::Integer => "a whole number",
            Shape::Number => "a number",
            Shape::Boolean => "true or false",
            Shape::Date => "a date",
            Shape::List => "a list of text",
            Shape::Unsupported(_) => "a structure",
        }
    }
}

/// One item field of a kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name in the vocabulary.
    pub name: String,
    /// What a cell becomes.
    pub shape: Shape,
    /// The values allowed (of the field, or of each list entry), when the schema lists them.
    pub choices: Option<Vec<String>>,
    /// Whether null is allowed.
    pub nullable: bool,
    /// Whether every item must have it.
    pub required: bool,
}

/// What a spreadsheet import needs to know of a kind.
#[derive(Debug, Clone)]
pub struct Kind {
    /// The kind.
    pub name: String,
    /// The document-level fields (other than `kind` and `items`), sorted, and whether each
    /// is required.
    pub document: Vec<(String, bool)>,
    /// The item fields, sorted by name; empty for a single-record kind.
    pub items: Vec<Field>,
    /// Whether documents of the kind hold an `items` table at all.
    pub has_items: bool,
}

impl Kind {
    /// The kind of the built-in vocabulary with this name.
    pub fn builtin(name: &str) -> Option<Kind> {
        let schema = SchemaSet::builtin_schema(name)?;
        Some(Kind::from_schema(name, &schema))
    }

    /// A kind from its JSON Schema.
    pub fn from_schema(name: &str, schema: &Value) -> Kind {
        let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
        let required = |v: &Value| -> Vec<String> {
            v.get("required")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let top_required = required(schema);
        let mut document: Vec<(String, bool)> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| {
                p.keys()
                    .filter(|k| *k != "kind" && *k != "items")
                    .map(|k| (k.clone(), top_required.contains(k)))
                    .collect()
            })
            .unwrap_or_default();
        document.sort();
        let item = schema.pointer("/properties/items/items");
        let has_items = item.is_some();
        let mut items = Vec::new();
        if let Some(item) = item {
            let needed = required(item);
            if let Some(props) = item.get("properties").and_then(Value::as_object) {
                for (field, spec) in props {
                    let spec = resolve(spec, &defs);
                    let (shape, choices, nullable) = shape_of(&spec, &defs);
                    items.push(Field {
                        name: field.clone(),
                        shape,
                        choices,
                        nullable,
                        required: needed.contains(field),
                    });
                }
            }
        }
        items.sort_by(|a, b| a.name.cmp(&b.name));
        Kind {
            name: name.to_string(),
            document,
            items,
            has_items,
        }
    }

    /// The item field with this name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.items.iter().find(|f| f.name == name)
    }
}

/// A property with its `$ref` (into `$defs`) merged in; its own keys win.
fn resolve(spec: &Value, defs: &Value) -> Value {
    let Some(reference) = spec.get("$ref").and_then(Value::as_str) else {
        return spec.clone();
    };
    let name = reference.strip_prefix("#/$defs/").unwrap_or(reference);
    let mut merged = defs.get(name).cloned().unwrap_or(Value::Null);
    if let (Some(out), Some(own)) = (merged.as_object_mut(), spec.as_object()) {
        for (k, v) in own {
            if k != "$ref" {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    merged
}

fn types(spec: &Value) -> Vec<String> {
    match spec.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn choices(spec: &Value) -> (Option<Vec<String>>, bool) {
    match spec.get("enum").and_then(Value::as_array) {
        Some(values) => (
            Some(
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            values.iter().any(Value::is_null),
        ),
        None => (None, false),
    }
}

fn shape_of(spec: &Value, defs: &Value) -> (Shape, Option<Vec<String>>, bool) {
    let all = types(spec);
    let (allowed, null_choice) = choices(spec);
    let nullable = all.iter().any(|t| t == "null") || null_choice;
    let kinds: Vec<&str> = all
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "null")
        .collect();
    let format = spec.get("format").and_then(Value::as_str);
    let shape = match kinds.as_slice() {
        ["string"] if matches!(format, Some(f) if f == DATE || f == OBSERVED_DATE) => Shape::Date,
        ["string"] => Shape::Text,
        ["integer"] => Shape::Integer,
        ["number"] => Shape::Number,
        ["boolean"] => Shape::Boolean,
        ["array"] => {
            let entry = resolve(spec.get("items").unwrap_or(&Value::Null), defs);
            if types(&entry) == ["string"] && entry.get("format").is_none() {
                return (Shape::List, choices(&entry).0, nullable);
            }
            Shape::Unsupported("a list of records, which one cell cannot hold".into())
        }
        ["object"] => {
            Shape::Unsupported("a record of several fields, which one cell cannot hold".into())
        }
        [] => Shape::Unsupported("a field without a declared type".into()),
        several => Shape::Unsupported(format!(
            "one of several types ({}), and a cell would leave the choice to a guess",
            several.join(", ")
        )),
    };
    (shape, allowed, nullable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_register_fields_take_their_types_from_the_schema() {
        let kind = Kind::builtin("risk_register").unwrap();
        let f = |n: &str| kind.field(n).unwrap().clone();
        assert_eq!(f("id").shape, Shape::Text);
        assert!(f("id").required && !f("id").nullable);
        assert_eq!(f("score").shape, Shape::Integer);
        assert!(f("score").nullable);
        assert_eq!(f("controls").shape, Shape::List);
        assert_eq!(f("treatment_due").shape, Shape::Date);
        assert!(!f("treatment_due").required);
        let treatment = f("treatment");
        assert!(treatment.nullable);
        assert_eq!(
            treatment.choices.unwrap(),
            ["mitigate", "transfer", "avoid", "accept"]
        );
        assert!(kind.document.contains(&("method".to_string(), true)));
        assert!(kind.document.contains(&("collected_on".to_string(), false)));
    }

    #[test]
    fn dates_booleans_and_structures_are_told_apart() {
        let supplier = Kind::builtin("supplier").unwrap();
        assert_eq!(
            supplier.field("security_review_on").unwrap().shape,
            Shape::Date
        );
        assert!(supplier.field("security_review_on").unwrap().nullable);
        assert_eq!(
            supplier.field("cloud_service").unwrap().shape,
            Shape::Boolean
        );
        let audit = Kind::builtin("internal_audit").unwrap();
        assert!(audit
            .items
            .iter()
            .any(|f| matches!(f.shape, Shape::Unsupported(_))));
        assert!(!Kind::builtin("org_profile").unwrap().has_items);
        assert!(Kind::builtin("no_such_kind").is_none());
    }
}
