//! Read-only views of facts documents for rules, without copying the JSON.
//!
//! A [`FactsValue`] is a handle: the shared document plus the path to one
//! object or array inside it. Rules read fields with `x.field` or `x["field"]`;
//! objects come back as further handles, arrays as Rhai arrays of handles and
//! scalars as plain Rhai values. Reading a field that is not there is an error,
//! so a rule can never pass because data was missing.

use crate::facts::{Document, FactsSet};
use rhai::{Array, Dynamic, EvalAltResult, ImmutableString, Position};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

#[derive(Debug, Clone)]
enum Seg {
    Key(ImmutableString),
    Index(usize),
}

/// A linked path from the document root, cheap to extend and share.
#[derive(Debug, Clone, Default)]
struct PathNode(Option<Arc<(PathNode, Seg)>>);

impl PathNode {
    fn child(&self, seg: Seg) -> PathNode {
        PathNode(Some(Arc::new((self.clone(), seg))))
    }

    fn segments(&self) -> Vec<&Seg> {
        let mut out = Vec::new();
        let mut cur = self;
        while let Some(node) = &cur.0 {
            out.push(&node.1);
            cur = &node.0;
        }
        out.reverse();
        out
    }
}

/// Follow a path from `root`, parents first, without allocating: this runs on
/// every field a rule reads. Depth is bounded by the facts nesting limit.
fn resolve<'a>(path: &PathNode, root: &'a Value) -> &'a Value {
    let Some(node) = &path.0 else {
        return root;
    };
    step(resolve(&node.0, root), &node.1)
}

/// One segment down from `parent`.
fn step<'a>(parent: &'a Value, seg: &Seg) -> &'a Value {
    match (seg, parent) {
        (Seg::Key(k), Value::Object(m)) => m.get(k.as_str()).unwrap_or(&Value::Null),
        (Seg::Index(i), Value::Array(a)) => a.get(*i).unwrap_or(&Value::Null),
        _ => &Value::Null,
    }
}

/// A handle on an object or array inside a facts document.
///
/// The path is kept as the parent's (shared) path plus this handle's own last segment,
/// so the items of an array share one path node instead of allocating one each.
#[derive(Debug, Clone)]
pub struct FactsValue {
    doc: Arc<Document>,
    path: PathNode,
    last: Option<Seg>,
}

/// Build a Rhai error with a message.
pub fn error(message: impl Into<String>) -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorRuntime(
        Dynamic::from(message.into()),
        Position::NONE,
    ))
}

// Rhai methods: rules call `len()`; `is_empty()` on arrays covers emptiness.
#[allow(clippy::len_without_is_empty)]
impl FactsValue {
    /// A handle on the whole document.
    pub fn root(doc: Arc<Document>) -> Self {
        FactsValue {
            doc,
            path: PathNode::default(),
            last: None,
        }
    }

    /// The JSON value this handle points at.
    fn value(&self) -> &Value {
        let parent = resolve(&self.path, &self.doc.value);
        match &self.last {
            None => parent,
            Some(seg) => step(parent, seg),
        }
    }

    /// The whole path of this handle, as a node its children can share.
    fn full_path(&self) -> PathNode {
        match &self.last {
            None => self.path.clone(),
            Some(seg) => self.path.child(seg.clone()),
        }
    }

    /// RFC 6901 pointer of this handle inside its document.
    pub fn pointer(&self) -> String {
        let mut out = String::new();
        for seg in self.path.segments().into_iter().chain(self.last.as_ref()) {
            match seg {
                Seg::Key(k) => {
                    out.push('/');
                    out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => {
                    let _ = write!(out, "/{i}");
                }
            }
        }
        out
    }

    /// Evidence reference: `file#pointer`.
    pub fn evidence(&self) -> String {
        self.doc.evidence(&self.pointer())
    }

    fn at(&self, seg: Seg) -> FactsValue {
        FactsValue {
            doc: self.doc.clone(),
            path: self.full_path(),
            last: Some(seg),
        }
    }

    /// Convert the child at `seg` (whose JSON is `v`) into a Rhai value.
    fn wrap(&self, seg: Seg, v: &Value) -> Dynamic {
        match v {
            Value::Object(_) => Dynamic::from(self.at(seg)),
            Value::Array(items) => self.at(seg).wrap_array(items),
            scalar => wrap_scalar(scalar),
        }
    }

    /// The elements of the array this handle points at (`items`), as a Rhai array.
    fn wrap_array(&self, items: &[Value]) -> Dynamic {
        let parent = self.full_path();
        let array: Array = items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(_) | Value::Array(_) => {
                    let element = FactsValue {
                        doc: self.doc.clone(),
                        path: parent.clone(),
                        last: Some(Seg::Index(i)),
                    };
                    match item {
                        Value::Array(inner) => element.wrap_array(inner),
                        _ => Dynamic::from(element),
                    }
                }
                scalar => wrap_scalar(scalar),
            })
            .collect();
        Dynamic::from_array(array)
    }

    /// `x.field` / `x["field"]`: a missing field is an error naming file and pointer.
    pub fn get_field(&mut self, key: &str) -> Result<Dynamic, Box<EvalAltResult>> {
        self.field(key.into())
    }

    /// [`FactsValue::get_field`] on a shared handle, with the key Rhai already holds (a
    /// property name or an index string): reading a field copies no text.
    pub fn field(&self, key: ImmutableString) -> Result<Dynamic, Box<EvalAltResult>> {
        match self.value() {
            Value::Object(m) => match m.get(key.as_str()) {
                Some(v) => Ok(self.wrap(Seg::Key(key), v)),
                None => Err(error(format!(
                    "facts file {} has no field `{key}` at {}",
                    self.doc.path,
                    self.pointer_or_root()
                ))),
            },
            other => Err(error(format!(
                "{}{} is {}, not an object; cannot read `{key}`",
                self.doc.path,
                self.pointer_or_root(),
                crate::facts::type_name(other)
            ))),
        }
    }

    fn pointer_or_root(&self) -> String {
        let p = self.pointer();
        if p.is_empty() {
            "the top level".to_string()
        } else {
            format!("#{p}")
        }
    }

    /// True when the object has the field (and it is not null).
    pub fn has(&mut self, key: &str) -> bool {
        matches!(self.value(), Value::Object(m) if m.get(key).is_some_and(|v| !v.is_null()))
    }

    /// The field, or `default` when it is absent or null.
    pub fn get_or(&mut self, key: ImmutableString, default: Dynamic) -> Dynamic {
        self.field_or(key, default)
    }

    /// [`FactsValue::get_or`] on a shared handle.
    pub fn field_or(&self, key: ImmutableString, default: Dynamic) -> Dynamic {
        match self.value() {
            Value::Object(m) => match m.get(key.as_str()) {
                Some(v) if !v.is_null() => self.wrap(Seg::Key(key), v),
                _ => default,
            },
            _ => default,
        }
    }

    /// Field names of an object, sorted.
    pub fn keys(&mut self) -> Array {
        match self.value() {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter().map(|k| Dynamic::from(k.clone())).collect()
            }
            _ => Array::new(),
        }
    }

    /// Number of fields or elements.
    pub fn len(&mut self) -> i64 {
        match self.value() {
            Value::Object(m) => m.len() as i64,
            Value::Array(a) => a.len() as i64,
            _ => 0,
        }
    }

    /// The JSON text of this value.
    pub fn json(&mut self) -> String {
        self.value().to_string()
    }
}

/// A JSON scalar as a Rhai value (objects and arrays become handles, see [`FactsValue::wrap`]).
fn wrap_scalar(v: &Value) -> Dynamic {
    match v {
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => number(n),
        Value::String(s) => Dynamic::from(ImmutableString::from(s.as_str())),
        _ => Dynamic::UNIT,
    }
}

fn number(n: &serde_json::Number) -> Dynamic {
    match n.as_i64() {
        Some(i) => Dynamic::from_int(i),
        None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

/// Lookups built so far, by kind then field: built on first use, then shared by every
/// thread and every evaluation of the run.
///
/// The shared map sits behind a mutex, but a thread takes it only on its first lookup of
/// a (kind, field): each thread keeps weak pointers to what it has seen, keyed by the
/// cache's id, so a hit reads thread-local memory without a lock or an allocation, and
/// a finished run's lookups are freed with its view, whatever thread last saw them.
#[derive(Debug)]
struct RunCache<T> {
    id: u64,
    shared: Mutex<ByKindField<Arc<T>>>,
}

/// Values keyed by kind, then field (looked up by `&str` without building a key).
type ByKindField<T> = HashMap<String, HashMap<String, T>>;

/// What one thread has seen of the most recent cache it read.
type Seen<T> = (u64, ByKindField<Weak<T>>);

/// Gives each cache a distinct id, so one thread's memory never answers for another run.
static NEXT_CACHE_ID: AtomicU64 = AtomicU64::new(1);

/// Types a [`RunCache`] holds, each with its per-thread memory.
trait Cached: Sized + 'static {
    fn with_seen<R>(f: impl FnOnce(&mut Seen<Self>) -> R) -> R;
}

macro_rules! cached {
    ($t:ty, $local:ident) => {
        thread_local! {
            static $local: RefCell<Seen<$t>> = RefCell::new((0, HashMap::new()));
        }
        impl Cached for $t {
            fn with_seen<R>(f: impl FnOnce(&mut Seen<Self>) -> R) -> R {
                $local.with(|seen| f(&mut seen.borrow_mut()))
            }
        }
    };
}

cached!(IndexMap, SEEN_INDEXES);
cached!(GroupMap, SEEN_GROUPS);
cached!(Array, SEEN_ITEMS);

impl<T> Default for RunCache<T> {
    fn default() -> Self {
        RunCache {
            id: NEXT_CACHE_ID.fetch_add(1, Ordering::Relaxed),
            shared: Mutex::new(HashMap::new()),
        }
    }
}

impl<T: Cached> RunCache<T> {
    /// The cached value for (kind, field), or the one `build` makes. The lock is not
    /// held while building; if two threads build at once, both keep the first stored.
    fn get_or_build(
        &self,
        kind: &str,
        field: &str,
        build: impl FnOnce() -> Result<T, Box<EvalAltResult>>,
    ) -> Result<Arc<T>, Box<EvalAltResult>> {
        let seen = T::with_seen(|(id, seen)| {
            if *id != self.id {
                *id = self.id;
                seen.clear();
            }
            seen.get(kind)
                .and_then(|by_field| by_field.get(field))
                .and_then(Weak::upgrade)
        });
        if let Some(found) = seen {
            return Ok(found);
        }
        let found = self.shared_get_or_build(kind, field, build)?;
        // Remembering is bookkeeping shared by every rule: not charged to this one.
        super::memory::uncharged(|| {
            T::with_seen(|(id, seen)| {
                if *id == self.id {
                    seen.entry(kind.to_string())
                        .or_default()
                        .insert(field.to_string(), Arc::downgrade(&found));
                }
            })
        });
        Ok(found)
    }

    fn shared_get_or_build(
        &self,
        kind: &str,
        field: &str,
        build: impl FnOnce() -> Result<T, Box<EvalAltResult>>,
    ) -> Result<Arc<T>, Box<EvalAltResult>> {
        if let Some(found) = self.lock()?.get(kind).and_then(|m| m.get(field)) {
            return Ok(found.clone());
        }
        let built = super::memory::uncharged(|| build().map(Arc::new))?;
        super::memory::uncharged(|| {
            Ok(self
                .lock()?
                .entry(kind.to_string())
                .or_default()
                .entry(field.to_string())
                .or_insert(built)
                .clone())
        })
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, ByKindField<Arc<T>>>, Box<EvalAltResult>> {
        self.shared
            .lock()
            .map_err(|_| error("facts lookup cache is unavailable after an earlier failure"))
    }
}

/// The run's lookups, shared by every view of it.
#[derive(Debug, Default)]
struct RunCaches {
    indexes: RunCache<IndexMap>,
    groups: RunCache<GroupMap>,
    /// The `items` of every document of a kind, concatenated (the field is unused: "").
    items: RunCache<Array>,
}

type IndexMap = HashMap<String, FactsValue>;
type GroupMap = HashMap<String, Array>;

/// All facts of a run, for rules that join several kinds (`facts.items("people")`).
#[derive(Debug, Clone)]
pub struct FactsView {
    set: Arc<FactsSet>,
    caches: Arc<RunCaches>,
    /// The kinds the rule declares; `None` lets every kind through (tools, not rules).
    readable: Option<Arc<[String]>>,
}

/// Documents of one kind grouped by a top-level field, built once per run and shared.
#[derive(Debug, Clone, Default)]
pub struct FactsGroups {
    by_key: Arc<GroupMap>,
}

// Rhai methods: rules call `len()`; `is_empty()` on arrays covers emptiness.
#[allow(clippy::len_without_is_empty)]
impl FactsGroups {
    /// The documents whose field equals `key` (case-insensitive); empty when none.
    pub fn get(&mut self, key: Dynamic) -> Array {
        FactsIndex::key(&key)
            .and_then(|k| self.by_key.get(&k).cloned())
            .unwrap_or_default()
    }

    /// Number of distinct keys.
    pub fn len(&mut self) -> i64 {
        self.by_key.len() as i64
    }
}

/// Items of one kind keyed by one field, built once per run and shared by all threads.
#[derive(Debug, Clone, Default)]
pub struct FactsIndex {
    by_key: Arc<IndexMap>,
}

// Rhai methods: rules call `len()`; `is_empty()` on arrays covers emptiness.
#[allow(clippy::len_without_is_empty)]
impl FactsIndex {
    /// How joins compare keys: the text trimmed and lower-cased; `()` has no key.
    pub(super) fn key(value: &Dynamic) -> Option<String> {
        if value.is_unit() {
            return None;
        }
        let text = value.to_string();
        Some(text.trim().to_lowercase())
    }

    /// The item whose field equals `key` (case-insensitive), or `()`.
    pub fn get(&mut self, key: Dynamic) -> Dynamic {
        Self::key(&key)
            .and_then(|k| self.by_key.get(&k).cloned())
            .map_or(Dynamic::UNIT, Dynamic::from)
    }

    /// True when an item's field equals `key` (case-insensitive).
    pub fn contains(&mut self, key: Dynamic) -> bool {
        Self::key(&key).is_some_and(|k| self.by_key.contains_key(&k))
    }

    /// Number of distinct keys.
    pub fn len(&mut self) -> i64 {
        self.by_key.len() as i64
    }
}

impl FactsView {
    /// A view on a facts set.
    pub fn new(set: Arc<FactsSet>) -> Self {
        FactsView {
            set,
            caches: Arc::default(),
            readable: None,
        }
    }

    /// The same view (sharing its caches) that lets a rule read only the kinds it declares.
    pub fn for_kinds<'a>(&self, kinds: impl IntoIterator<Item = &'a str>) -> Self {
        FactsView {
            readable: Some(kinds.into_iter().map(str::to_string).collect()),
            ..self.clone()
        }
    }

    /// Refuse a kind the rule did not declare: reading it would give a different answer
    /// in `eval` (where only declared kinds are loaded for joins) than in `test`.
    fn check_kind(&self, kind: &str) -> Result<(), Box<EvalAltResult>> {
        match &self.readable {
            Some(kinds) if !kinds.iter().any(|k| k == kind) => Err(error(format!(
                "the rule reads facts of kind `{kind}` but its header does not declare it; add `{kind}` (or `{kind}?` when it may be absent) to its `facts:` line"
            ))),
            _ => Ok(()),
        }
    }

    /// The documents of a kind grouped by a top-level field (say, access reviews by
    /// `system`); built on first use, then shared.
    pub fn group(&mut self, kind: &str, field: &str) -> Result<FactsGroups, Box<EvalAltResult>> {
        self.check_kind(kind)?;
        let by_key = self.caches.groups.get_or_build(kind, field, || {
            let mut by_key: GroupMap = HashMap::new();
            let field = ImmutableString::from(field);
            for doc in self.set.of_kind(kind) {
                let root = FactsValue::root(doc.clone());
                let value = root.field_or(field.clone(), Dynamic::UNIT);
                if let Some(k) = FactsIndex::key(&value) {
                    by_key.entry(k).or_default().push(Dynamic::from(root));
                }
            }
            Ok(by_key)
        })?;
        Ok(FactsGroups { by_key })
    }

    /// The items of a kind keyed by a field; built on first use, then shared.
    pub fn index(&mut self, kind: &str, field: &str) -> Result<FactsIndex, Box<EvalAltResult>> {
        self.check_kind(kind)?;
        let by_key = self.caches.indexes.get_or_build(kind, field, || {
            let mut by_key = HashMap::new();
            let field = ImmutableString::from(field);
            for item in items_of(&self.set, kind)? {
                let Some(v) = item.try_cast::<FactsValue>() else {
                    continue;
                };
                let value = v.field_or(field.clone(), Dynamic::UNIT);
                if let Some(k) = FactsIndex::key(&value) {
                    by_key.entry(k).or_insert(v);
                }
            }
            Ok(by_key)
        })?;
        Ok(FactsIndex { by_key })
    }

    /// Every document of a kind, as handles.
    pub fn docs(&mut self, kind: &str) -> Result<Array, Box<EvalAltResult>> {
        self.check_kind(kind)?;
        Ok(self
            .set
            .of_kind(kind)
            .map(|d| Dynamic::from(FactsValue::root(d.clone())))
            .collect())
    }

    /// The `items` of every document of a kind, concatenated (once per run; each call
    /// gets its own copy of the array, charged to the rule like any array it makes).
    pub fn items(&mut self, kind: &str) -> Result<Array, Box<EvalAltResult>> {
        self.check_kind(kind)?;
        let items = self
            .caches
            .items
            .get_or_build(kind, "", || items_of(&self.set, kind))?;
        Ok(items.as_ref().clone())
    }

    /// Number of documents of a kind.
    pub fn count(&mut self, kind: &str) -> Result<i64, Box<EvalAltResult>> {
        self.check_kind(kind)?;
        Ok(self.set.count_of(kind) as i64)
    }
}

/// The `items` of every document of a kind in `set`, concatenated.
fn items_of(set: &FactsSet, kind: &str) -> Result<Array, Box<EvalAltResult>> {
    let mut out = Array::new();
    for doc in set.of_kind(kind) {
        let mut root = FactsValue::root(doc.clone());
        match root.get_field("items")?.into_array() {
            Ok(items) => out.extend(items),
            Err(found) => {
                return Err(error(format!(
                    "{}#/items is {found}, not an array",
                    doc.path
                )))
            }
        }
    }
    Ok(out)
}

/// Every field name the built-in vocabulary declares, at any depth (read once per process).
fn vocabulary_fields() -> &'static [ImmutableString] {
    static FIELDS: std::sync::OnceLock<Vec<ImmutableString>> = std::sync::OnceLock::new();
    FIELDS.get_or_init(|| {
        fn collect(v: &Value, out: &mut std::collections::BTreeSet<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::Object(props)) = m.get("properties") {
                        out.extend(props.keys().cloned());
                    }
                    m.values().for_each(|c| collect(c, out));
                }
                Value::Array(a) => a.iter().for_each(|c| collect(c, out)),
                _ => {}
            }
        }
        let mut names = std::collections::BTreeSet::new();
        for kind in crate::facts::schema::SchemaSet::builtin_kinds() {
            if let Some(schema) = crate::facts::schema::SchemaSet::builtin_schema(&kind) {
                collect(&schema, &mut names);
            }
        }
        names.into_iter().map(ImmutableString::from).collect()
    })
}

/// The fast path of `x.field` for a name of the vocabulary: a property getter, so Rhai
/// finds it at once instead of failing to find a getter (and formatting an error it
/// throws away) before it tries the indexer. Anything but a present field of an object
/// hands over to the indexer, which gives the usual error at the usual position.
fn getter(
    name: ImmutableString,
) -> impl Fn(&mut FactsValue) -> Result<Dynamic, Box<EvalAltResult>> {
    move |v: &mut FactsValue| match v.value() {
        Value::Object(m) => match m.get(name.as_str()) {
            Some(found) => Ok(v.wrap(Seg::Key(name.clone()), found)),
            None => Err(not_a_getter()),
        },
        _ => Err(not_a_getter()),
    }
}

/// The error that makes Rhai fall back from a property getter to the indexer.
fn not_a_getter() -> Box<EvalAltResult> {
    Box::new(EvalAltResult::ErrorDotExpr(String::new(), Position::NONE))
}

/// Register the facts types and their methods on an engine.
pub fn register(engine: &mut rhai::Engine) {
    for name in vocabulary_fields() {
        engine.register_get(name.as_str(), getter(name.clone()));
    }
    engine
        .register_type_with_name::<FactsValue>("facts")
        .register_indexer_get(|v: &mut FactsValue, key: ImmutableString| v.field(key))
        .register_indexer_get(
            |v: &mut FactsValue, i: i64| -> Result<Dynamic, Box<EvalAltResult>> {
                match v.value() {
                    Value::Array(a) => {
                        let len = a.len() as i64;
                        let idx = if i < 0 { len + i } else { i };
                        match a.get(usize::try_from(idx).unwrap_or(usize::MAX)) {
                            Some(item) => Ok(v.wrap(Seg::Index(idx as usize), item)),
                            None => Err(error(format!(
                                "index {i} is out of bounds (length {len}) at {}",
                                v.evidence()
                            ))),
                        }
                    }
                    _ => Err(error(format!("{} is not an array", v.evidence()))),
                }
            },
        )
        .register_fn("has", FactsValue::has)
        .register_fn("get", FactsValue::get_or)
        .register_fn("keys", FactsValue::keys)
        .register_fn("len", FactsValue::len)
        .register_fn("to_json", FactsValue::json)
        .register_fn("evidence", |v: &mut FactsValue| v.evidence())
        .register_fn("to_string", |v: &mut FactsValue| v.json())
        .register_fn("to_debug", |v: &mut FactsValue| v.json());
    engine
        .register_type_with_name::<FactsView>("facts set")
        .register_fn("docs", FactsView::docs)
        .register_fn("items", FactsView::items)
        .register_fn("count", FactsView::count)
        .register_fn("index", FactsView::index)
        .register_fn("group", FactsView::group);
    engine
        .register_type_with_name::<FactsGroups>("facts groups")
        .register_fn("get", FactsGroups::get)
        .register_fn("len", FactsGroups::len);
    engine
        .register_type_with_name::<FactsIndex>("facts index")
        .register_fn("get", FactsIndex::get)
        .register_fn("contains", FactsIndex::contains)
        .register_fn("len", FactsIndex::len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::{Limits, Sandbox};

    fn set(owner: &str) -> Arc<FactsSet> {
        let text = format!(
            r#"{{"kind": "people", "system": "crm", "items": [{{"email": "A@x.org", "name": "{owner}"}}]}}"#
        );
        Arc::new(FactsSet::from_texts(&[("p.json".into(), text)]))
    }

    fn ask(view: &FactsView) -> String {
        let sandbox = Sandbox::new(Limits::default(), "2026-06-30".parse().unwrap());
        let ast = sandbox
            .compile(
                r#"fn f(facts) { let i = facts.index("people", "email");
                let g = facts.group("people", "system").get("CRM");
                g.push(1);
                `${i.get(" a@X.org").name} ${facts.index("people", "email").len()} ${g.len()} ${facts.group("people", "system").get("crm").len()} ${facts.items("people").len()}` }"#,
            )
            .unwrap();
        let got = sandbox.call(&ast, "f", vec![Dynamic::from(view.clone())]);
        got.result.unwrap().to_string()
    }

    #[test]
    fn lookups_are_kept_per_run_and_shared_by_threads_and_views() {
        // Two runs on one thread, in turn: each answers from its own facts.
        let (ana, bo) = (FactsView::new(set("Ana")), FactsView::new(set("Bo")));
        for _ in 0..2 {
            assert_eq!(ask(&ana), "Ana 1 2 1 1");
            assert_eq!(ask(&bo), "Bo 1 2 1 1");
        }
        // Another thread and a view for the rule's kinds reuse the lookups already built.
        let narrowed = ana.for_kinds(["people"]);
        let other = std::thread::spawn(move || ask(&narrowed)).join().unwrap();
        assert_eq!(other, "Ana 1 2 1 1");
        let built = ana.caches.indexes.lock().unwrap();
        assert_eq!(built.get("people").map(HashMap::len), Some(1));
    }
}
