//! Rules: one `.rhai` file each, a `//!` metadata header and an `evaluate` function.
#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod layers;
pub mod library;
pub mod meta;
pub mod params;

pub use layers::BUILTIN_ORIGIN;
pub use meta::{RuleMeta, RuleSeverity};

use crate::crosswalk::Crosswalk;
use crate::diag::codes;
use crate::diag::{self, Diagnostic, Location};
use crate::error::Error;
use crate::ids::RuleId;
use crate::sandbox::Sandbox;
use crate::source::{self, SourceFile};
use std::path::Path;
use std::sync::Arc;

/// Largest rule file read.
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;

/// Suffix of the test-case file beside a rule: `name.rhai` -> `name.tests.json`.
pub const TESTS_SUFFIX: &str = ".tests.json";

/// The function every rule defines: `fn evaluate(doc)` or `fn evaluate(doc, facts)`.
pub const ENTRY_POINT: &str = "evaluate";

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Its metadata.
    pub meta: RuleMeta,
    /// Path of the rule file (relative to the rules directory).
    pub path: String,
    /// Where it comes from: [`BUILTIN_ORIGIN`] or the rules directory; empty for sources
    /// given in memory.
    pub origin: Arc<str>,
    /// Compiled script, shared by all threads.
    pub ast: Arc<rhai::AST>,
    /// Whether `evaluate` takes the facts set as second argument.
    pub wants_facts: bool,
    /// Header fields with their positions, for diagnostics.
    pub header: meta::Header,
    /// The value of each declared parameter and where it came from.
    pub params: Vec<params::ParamUse>,
    /// The same values as `param("name")` reads them.
    pub param_values: Arc<rhai::Map>,
    /// SHA-256 of the rule file's text, for provenance.
    pub digest: Arc<str>,
}

impl Rule {
    /// The kind the rule runs once per document of.
    pub fn primary_kind(&self) -> &str {
        self.meta
            .facts
            .first()
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// Where a header field's value starts (line 1 when absent).
    pub fn field_location(&self, key: &str) -> Location {
        let (line, column) = self.header.field(key).map_or((1, 1), |(_, l, c)| (l, c));
        Location::at(&self.path, line, column)
    }

    /// Where one requirement reference sits in the `requirements:` line.
    pub fn requirement_location(&self, reference: &str) -> Location {
        self.reference_location("requirements", reference)
    }

    /// Where a reference sits in a header line (`tests` or `requirements`).
    pub fn reference_location(&self, key: &str, reference: &str) -> Location {
        let mut at = self.field_location(key);
        if let Some((value, ..)) = self.header.field(key) {
            at.column += value.find(reference).unwrap_or(0) as u64;
        }
        at
    }

    /// Requirements the rule tags without claiming any of their procedures: partial
    /// support, never the whole requirement.
    pub fn bare_requirements(&self) -> impl Iterator<Item = &crate::ids::RequirementRef> + '_ {
        self.meta
            .requirements
            .iter()
            .filter(|r| !self.meta.procedures.iter().any(|p| &p.requirement == *r))
    }
}

/// A rule file that could not be used, kept so evaluation can report it as an error result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenRule {
    /// The rule id when the header gave one, else the file path.
    pub id: RuleId,
    /// The rule file.
    pub path: String,
    /// Where it comes from, as for [`Rule::origin`].
    pub origin: Arc<str>,
    /// Why it cannot run.
    pub reason: String,
}

/// All rules of a run, sorted by id, with everything found wrong while loading.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// Usable rules, sorted by id.
    pub rules: Vec<Rule>,
    /// Rules that failed to load.
    pub broken: Vec<BrokenRule>,
    /// Diagnostics from loading, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl RuleSet {
    /// One SHA-256 over the usable rules: each rule's id, its file (relative to its
    /// directory), the digest of its text and the parameter values it runs with, in id order. Two runs with the
    /// same digest ran the same rule code with the same thresholds.
    pub fn digest(&self) -> String {
        let mut text = String::new();
        for r in &self.rules {
            text.push_str(&format!("{}\u{1f}{}\u{1f}{}", r.meta.id, r.path, r.digest));
            for p in &r.params {
                text.push_str(&format!("\u{1f}{}={:?}", p.name, p.value));
            }
            text.push('\n');
        }
        crate::source::sha256(text.as_bytes())
    }

    /// The built-in rule library.
    pub fn builtin(sandbox: &Sandbox) -> RuleSet {
        RuleSet::compile(&crate::builtin::rule_files(), sandbox).with_origin(BUILTIN_ORIGIN)
    }

    /// Every `.rhai` file under a directory; paths are shown relative to it.
    ///
    /// A file that cannot be read (too large, not UTF-8) becomes a broken rule
    /// with a diagnostic; the other files still load.
    pub fn load_dir(dir: &Path, sandbox: &Sandbox) -> Result<RuleSet, Error> {
        let (files, unreadable) = read_dir(dir)?;
        let origin = dir.display().to_string();
        let mut set = RuleSet::compile(&files, sandbox).with_origin(&origin);
        for (path, e) in unreadable {
            let location = match &e {
                Error::NotUtf8 { line, column, .. } => Location::at(&path, *line, *column),
                _ => Location::line(&path, 0),
            };
            let message = match &e {
                Error::NotUtf8 { .. } => "rule file is not valid UTF-8".to_string(),
                Error::TooLarge { size, limit, .. } => {
                    format!("rule file is {size} bytes, above the limit of {limit}")
                }
                other => other.to_string(),
            };
            let d = Diagnostic::new(codes::XW0409, location, message);
            set.broken.push(BrokenRule {
                id: path.as_str().into(),
                path,
                origin: Arc::from(origin.as_str()),
                reason: d.to_string(),
            });
            set.diagnostics.push(d);
        }
        set.broken
            .sort_by(|a, b| a.id.cmp(&b.id).then(a.path.cmp(&b.path)));
        diag::sort(&mut set.diagnostics);
        Ok(set)
    }

    /// Parse headers and compile scripts. One bad file never stops the others. Files under
    /// `lib/` are rule libraries ([`library`]), linked into the rules that use them.
    pub fn compile(files: &[SourceFile], sandbox: &Sandbox) -> RuleSet {
        let mut set = RuleSet::default();
        let (libs, rules): (Vec<&SourceFile>, Vec<&SourceFile>) = files
            .iter()
            .partition(|f| library::library_name(&f.path).is_some());
        let libraries = library::Libraries::compile(&libs, sandbox, &mut set.diagnostics);
        for file in rules {
            let before = set.diagnostics.len();
            let rule = compile_one(file, sandbox, &libraries, &mut set.diagnostics);
            match rule {
                Some(rule) => set.rules.push(rule),
                None => {
                    let first_error = set
                        .diagnostics
                        .get(before..)
                        .unwrap_or_default()
                        .iter()
                        .find(|d| d.is_error());
                    let id = meta_id(&file.text).unwrap_or_else(|| file.path.clone());
                    set.broken.push(BrokenRule {
                        id: id.into(),
                        path: file.path.clone(),
                        origin: Arc::from(""),
                        reason: first_error
                            .map_or_else(|| "cannot be loaded".to_string(), |d| d.to_string()),
                    });
                }
            }
        }
        set.rules
            .sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then(a.path.cmp(&b.path)));
        set.duplicates();
        diag::sort(&mut set.diagnostics);
        set
    }

    /// Two files with the same rule id: the later file is reported and dropped.
    fn duplicates(&mut self) {
        let mut kept: Vec<Rule> = Vec::new();
        for rule in std::mem::take(&mut self.rules) {
            match kept.iter().find(|r| r.meta.id == rule.meta.id) {
                Some(first) => {
                    let d = Diagnostic::new(
                        codes::XW0406,
                        rule.field_location("id"),
                        format!(
                            "duplicate rule id `{}` (also in {})",
                            rule.meta.id, first.path
                        ),
                    )
                    .with_subject(&rule.meta.id);
                    self.broken.push(BrokenRule {
                        id: rule.meta.id.clone(),
                        path: rule.path.clone(),
                        origin: rule.origin.clone(),
                        reason: d.to_string(),
                    });
                    self.diagnostics.push(d);
                }
                None => kept.push(rule),
            }
        }
        self.rules = kept;
    }

    /// Diagnostics for requirement ids that are not in the crosswalk (`XW0405`).
    pub fn check_requirements(&self, crosswalk: &Crosswalk) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for rule in &self.rules {
            for p in &rule.meta.procedures {
                let text = p.to_string();
                let at = rule.reference_location("tests", &text);
                let found = match crosswalk.resolve(&p.requirement) {
                    Err(e) => Err((codes::XW0405, e.to_string())),
                    Ok(_) => crosswalk
                        .procedure(p)
                        .map(|_| ())
                        .map_err(|e| (codes::XW0408, e.to_string())),
                };
                if let Err((code, message)) = found {
                    out.push(Diagnostic::new(code, at, message).with_subject(&rule.meta.id));
                }
            }
            for r in rule.bare_requirements() {
                if let Err(e) = crosswalk.resolve(r) {
                    let at = rule.requirement_location(&r.to_string());
                    out.push(
                        Diagnostic::new(codes::XW0405, at, e.to_string())
                            .with_subject(&rule.meta.id),
                    );
                }
            }
        }
        out
    }

    /// The kinds to keep in memory while the rest is streamed, once the corpus's documents
    /// per kind are known (`count`): those joined by a rule that can run (every kind after
    /// its first, and its optional kinds, when every kind it reads has documents), and
    /// those the views read (`soa`, parameters, risks, corrective actions, the
    /// organisation profile). A kind joined only by rules that will report `no-evidence`
    /// is streamed like any other, not held.
    pub fn resident_kinds_for(
        &self,
        count: &dyn Fn(&str) -> usize,
    ) -> std::collections::BTreeSet<String> {
        let mut kinds: std::collections::BTreeSet<String> = self
            .rules
            .iter()
            .filter(|r| r.meta.facts.iter().all(|k| count(k) > 0))
            .flat_map(|r| {
                r.meta
                    .facts
                    .iter()
                    .skip(1)
                    .chain(&r.meta.optional_facts)
                    .cloned()
            })
            .collect();
        kinds.insert(crate::facts::soa::KIND.to_string());
        kinds.insert(params::KIND.to_string());
        // The SoA view links each control to the risks that name it; the nonconformity
        // register reads the corrective actions; the SoA header and readiness read the
        // organisation profile; the audit programme reads the internal audits and the ISMS
        // changes (held, so that a merge of shards has them too).
        kinds.insert("risk_register".to_string());
        kinds.insert("corrective_action".to_string());
        kinds.insert("org_profile".to_string());
        kinds.insert("internal_audit".to_string());
        kinds.insert("isms_change".to_string());
        kinds
    }

    /// A rule by id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    /// Set a parameter of a rule to `value`, saying where it came from; refused (with why)
    /// for an unknown rule or parameter, another type than the default, or a value outside
    /// the declared range.
    pub fn set_param(
        &mut self,
        rule: &str,
        name: &str,
        value: params::ParamValue,
        source: &str,
    ) -> Result<(), String> {
        let Some(r) = self.rules.iter_mut().find(|r| r.meta.id == rule) else {
            let known = self.rules.iter().map(|r| r.meta.id.as_str());
            let hint = crate::catalog::closest(rule, known)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("no rule `{rule}` is loaded{hint}"));
        };
        let Some(decl) = r.meta.params.iter().find(|d| d.name == name) else {
            let declared: Vec<&str> = r.meta.params.iter().map(|d| d.name.as_str()).collect();
            return Err(format!(
                "rule `{rule}` has no parameter `{name}` (it declares: {})",
                if declared.is_empty() {
                    "none".to_string()
                } else {
                    declared.join(", ")
                }
            ));
        };
        let value = decl.accept(value)?;
        if let Some(slot) = r.params.iter_mut().find(|p| p.name == name) {
            slot.value = value;
            slot.source = source.to_string();
        }
        r.param_values = Arc::new(params::values(&r.params));
        Ok(())
    }
}

/// The `id:` of a header, if present, for naming broken rules.
fn meta_id(text: &str) -> Option<String> {
    meta::header("", text, &mut Vec::new())
        .field("id")
        .map(|(v, ..)| v.to_string())
        .filter(|v| !v.is_empty())
}

fn compile_one(
    file: &SourceFile,
    sandbox: &Sandbox,
    libraries: &library::Libraries,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    // In-memory files (built-in, test drivers, library callers) get the same cap as files on disk.
    let size = file.text.len() as u64;
    if size > MAX_RULE_FILE_BYTES {
        let mut d = Diagnostic::new(
            codes::XW0409,
            Location::line(&file.path, 0),
            format!("rule file is {size} bytes, above the limit of {MAX_RULE_FILE_BYTES}"),
        );
        if let Some(id) = meta_id(&file.text) {
            d = d.with_subject(id);
        }
        diags.push(d);
        return None;
    }
    let (meta, header) = meta::parse(&file.path, &file.text, diags);
    let ast = match sandbox.compile(&file.text) {
        Ok(ast) => ast,
        Err(e) => {
            let (line, column) = (
                e.position().line().unwrap_or(0),
                e.position().position().unwrap_or(0),
            );
            let mut d = Diagnostic::new(
                codes::XW0410,
                Location::at(&file.path, line as u64, column as u64),
                format!("syntax error: {}", e.err_type()),
            );
            if let Some(id) = meta
                .as_ref()
                .map(|m| m.id.clone())
                .or_else(|| meta_id(&file.text).map(RuleId::from))
            {
                d = d.with_subject(id);
            }
            diags.push(d);
            return None;
        }
    };
    let meta = meta?;
    let ast = match libraries.link(ast, &meta.uses) {
        Ok(ast) => ast,
        Err(why) => {
            let at = header
                .field("uses")
                .map_or(Location::at(&file.path, 1, 1), |(_, l, c)| {
                    Location::at(&file.path, l, c)
                });
            diags.push(Diagnostic::new(codes::XW0417, at, why).with_subject(&meta.id));
            return None;
        }
    };
    let entry = ast
        .iter_functions()
        .filter(|f| f.name == ENTRY_POINT)
        .map(|f| f.params.len())
        .max();
    let wants_facts = match entry {
        Some(1) => false,
        Some(2) => true,
        _ => {
            diags.push(
                Diagnostic::new(
                    codes::XW0411,
                    Location::at(&file.path, 1, 1),
                    "rule has no `fn evaluate(doc)` or `fn evaluate(doc, facts)`",
                )
                .with_subject(&meta.id),
            );
            return None;
        }
    };
    let params: Vec<params::ParamUse> = meta
        .params
        .iter()
        .map(|d| params::ParamUse {
            name: d.name.clone(),
            value: d.default.clone(),
            source: "default".to_string(),
        })
        .collect();
    let param_values = Arc::new(params::values(&params));
    Some(Rule {
        meta,
        path: file.path.clone(),
        origin: Arc::from(""),
        ast: Arc::new(ast),
        wants_facts,
        header,
        params,
        param_values,
        digest: Arc::from(crate::source::sha256(file.text.as_bytes())),
    })
}

/// Files read from a directory, and the ones that could not be read with why.
pub type DirFiles = (Vec<SourceFile>, Vec<(String, Error)>);

/// The `.rhai` files under a directory, with display paths; unreadable files come back apart.
pub fn read_dir(dir: &Path) -> Result<DirFiles, Error> {
    read_matching(dir, "rhai", |_| true, MAX_RULE_FILE_BYTES)
}

/// The rule test-case files (`*.tests.json`) under a directory.
pub fn read_test_files(dir: &Path) -> Result<DirFiles, Error> {
    read_matching(
        dir,
        "json",
        |p| p.ends_with(TESTS_SUFFIX),
        crate::facts::MAX_FACTS_FILE_BYTES,
    )
}

fn read_matching(
    dir: &Path,
    extension: &str,
    keep: impl Fn(&str) -> bool,
    max_bytes: u64,
) -> Result<DirFiles, Error> {
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    for path in source::files_with_extension(dir, extension)? {
        let display = display_path(dir, &path);
        if !keep(&display) {
            continue;
        }
        match SourceFile::read(&path, max_bytes) {
            Ok(mut file) => {
                file.path = display;
                files.push(file);
            }
            Err(e) => unreadable.push((display, e)),
        }
    }
    Ok((files, unreadable))
}

/// `dir/area/rule.rhai` shown as the user gave `dir`, with `/` separators below it.
fn display_path(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let rel = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    format!(
        "{}/{}",
        dir.display().to_string().trim_end_matches('/'),
        rel
    )
}
