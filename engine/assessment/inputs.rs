//! What an assessment is built from, and how each input is loaded.

use crate::catalog::closest;
use crate::crosswalk::{Crosswalk, Scope};
use crate::diag::{self, Diagnostic};
use crate::error::Error;
use crate::facts::schema::SchemaSet;
use crate::facts::{Corpus, FactsLimits, FactsSet};
use crate::ids::{FrameworkId, RuleId};
use crate::rules::RuleSet;
use crate::sandbox::{Limits, Sandbox};
use crate::source::SourceFile;
use jiff::civil::Date;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the facts come from.
#[derive(Debug, Clone, Default)]
pub enum FactsInput {
    /// The built-in demo organisation (evaluated as of its own date by default).
    #[default]
    Demo,
    /// A directory of JSON exports, scanned recursively and streamed.
    Dir(PathBuf),
    /// A mix of JSON files and directories, all held in memory.
    Paths(Vec<PathBuf>),
    /// Documents already in memory: (path shown in evidence, JSON text).
    Texts(Vec<(String, String)>),
}

/// Where the rules come from.
#[derive(Debug, Clone, Default)]
pub enum RulesInput {
    /// The built-in rule library.
    #[default]
    Builtin,
    /// A directory of `.rhai` files (alone, without the library).
    Dir(PathBuf),
    /// Layers: the built-in library (when `builtin`), then each directory in order; a
    /// later layer's rule replaces an earlier rule of the same id (`XW0416` says so).
    Layers {
        /// Start from the built-in library.
        builtin: bool,
        /// Rules directories, lowest layer first.
        dirs: Vec<PathBuf>,
    },
    /// Rule sources already in memory.
    Sources(Vec<SourceFile>),
}

impl RulesInput {
    /// Compile the rules: the library, a directory, sources, or layers laid in order.
    pub fn load(&self, sandbox: &Sandbox) -> Result<RuleSet, Error> {
        Ok(match self {
            RulesInput::Builtin => RuleSet::builtin(sandbox),
            RulesInput::Dir(dir) => RuleSet::load_dir(dir, sandbox)?,
            RulesInput::Sources(files) => RuleSet::compile(files, sandbox),
            RulesInput::Layers { builtin, dirs } => {
                let mut set = if *builtin {
                    RuleSet::builtin(sandbox)
                } else {
                    RuleSet::default()
                };
                for dir in dirs {
                    set = set.layer(RuleSet::load_dir(dir, sandbox)?);
                }
                set
            }
        })
    }
}

/// The rule set of `input`, compiled with default limits, for commands that list or check
/// rules without evaluating them (`xwalk rules list`).
pub fn rule_set(input: &RulesInput) -> Result<RuleSet, Error> {
    let sandbox = Sandbox::new(Limits::default(), jiff::Zoned::now().date());
    input.load(&sandbox)
}

/// Everything an [`super::Assessment`] is built from. `Inputs::default()` is the
/// built-in rules over the built-in demo organisation, reported for the three
/// frameworks of [`crate::ids::REPORTED_FRAMEWORKS`].
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The facts.
    pub facts: FactsInput,
    /// The rules.
    pub rules: RulesInput,
    /// Directories of CSV files that add frameworks and links to the built-in crosswalk.
    pub crosswalk_dirs: Vec<PathBuf>,
    /// The evaluation date; `None` is the end of `period` when there is one, else the demo's
    /// own date for demo facts, today otherwise.
    pub as_of: Option<Date>,
    /// The observation period (`--period FROM..TO`): rules over recurring activities test
    /// every occurrence inside it. `None`: a point-in-time assessment at `as_of`.
    pub period: Option<crate::dates::Period>,
    /// Sandbox limits for every rule evaluation.
    pub limits: Limits,
    /// Limits on every facts file.
    pub facts_limits: FactsLimits,
    /// Frameworks in scope; empty means each view's default.
    pub frameworks: Vec<FrameworkId>,
    /// The parts of each framework reported (`CC` alone for a security-only SOC 2
    /// report); requirements outside it are left out of coverage, plans and the SoA.
    pub scope: Scope,
    /// Only evaluate these rules (empty: all); an unknown id is an error.
    pub only_rules: Vec<RuleId>,
    /// Waiver files (TOML, see [`crate::eval::waiver`]): failures accepted as risks.
    pub waivers: Vec<PathBuf>,
    /// Rule parameters set for this run (`--param RULE.NAME=VALUE`); they win over a
    /// `parameters` document in the facts, which wins over the rule's default.
    pub params: Vec<ParamSetting>,
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Evaluate only this shard's documents (`--shard K/N`, facts from a directory): the
    /// run gives a [`super::shard::Partial`] for `xwalk merge`, never an assessment.
    pub shard: Option<crate::facts::shard::Shard>,
}

/// One parameter value given for a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSetting {
    /// The rule id.
    pub rule: String,
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: crate::rules::params::ParamValue,
    /// Where it was given (`--param`, a configuration file and line).
    pub source: String,
}

impl ParamSetting {
    /// Read `RULE.NAME=VALUE` (the rule id has dots of its own; the name is after the last).
    pub fn parse(text: &str, source: &str) -> Result<ParamSetting, String> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not RULE.NAME=VALUE"))?;
        let (rule, name) = key.trim().rsplit_once('.').ok_or_else(|| {
            format!("`{key}` is not RULE.NAME (say access.reviews-periodic.review_days)")
        })?;
        let value = value.trim();
        if value.is_empty() {
            return Err(format!("`{text}` gives no value"));
        }
        // On the command line bare text is text: `scope=all` needs no quotes.
        let value = crate::rules::params::ParamValue::parse(value)
            .unwrap_or_else(|| crate::rules::params::ParamValue::Text(value.to_string()));
        Ok(ParamSetting {
            rule: rule.to_string(),
            name: name.to_string(),
            value,
            source: source.to_string(),
        })
    }
}

/// Set the parameters a `parameters` document of the facts states, then those given for
/// the run; every refused value is a diagnostic (XW0421), never a silent default.
/// With `only_some` (one rule explained), values for rules not loaded are passed over.
fn apply_params(
    rules: &mut RuleSet,
    facts: &Corpus,
    settings: &[ParamSetting],
    only_some: bool,
) -> Vec<Diagnostic> {
    use crate::diag::{codes, Location};
    let mut diags = Vec::new();
    for doc in facts.resident().of_kind(crate::rules::params::KIND) {
        let policy = doc
            .value
            .get("policy")
            .and_then(|v| v.as_str())
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let items = doc.value.get("items").and_then(|v| v.as_array());
        for (i, item) in items.into_iter().flatten().enumerate() {
            let field = |k: &str| item.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            if only_some && rules.get(field("rule")).is_none() {
                continue;
            }
            let source = format!("{}#/items/{i}{policy}", doc.path);
            let set = item
                .get("value")
                .and_then(crate::rules::params::ParamValue::from_json)
                .ok_or_else(|| "the value is not a number, true/false or text".to_string())
                .and_then(|v| rules.set_param(field("rule"), field("name"), v, &source));
            if let Err(why) = set {
                diags.push(
                    Diagnostic::new(
                        codes::XW0421,
                        Location::line(&*doc.path, 1),
                        format!("{source}: {why}"),
                    )
                    .with_subject(field("rule")),
                );
            }
        }
    }
    for s in settings {
        if only_some && rules.get(&s.rule).is_none() {
            continue;
        }
        if let Err(why) = rules.set_param(&s.rule, &s.name, s.value.clone(), &s.source) {
            diags.push(
                Diagnostic::new(codes::XW0421, Location::line(&s.source, 0), why)
                    .with_subject(s.rule.as_str()),
            );
        }
    }
    diags
}

/// The inputs, loaded and checked, before any rule runs.
pub(super) struct Loaded {
    pub crosswalk: Crosswalk,
    pub crosswalk_diagnostics: Vec<Diagnostic>,
    pub sandbox: Sandbox,
    pub rules: RuleSet,
    pub facts: Corpus,
    pub as_of: Date,
}

/// The built-in crosswalk plus user directories. Warnings come back beside the
/// crosswalk; errors make it unusable ([`Error::Invalid`] carries them all).
pub fn load_crosswalk(dirs: &[PathBuf]) -> Result<(Crosswalk, Vec<Diagnostic>), Error> {
    let loaded = Crosswalk::with_dirs(dirs)?;
    let warnings = loaded.diagnostics.clone();
    loaded.into_result().map(|crosswalk| (crosswalk, warnings))
}

impl Inputs {
    /// The evaluation date these inputs resolve to.
    pub fn evaluation_date(&self) -> Date {
        match (self.as_of, &self.facts) {
            (Some(date), _) => date,
            (None, _) if self.period.is_some() => self.period.map(|p| p.to).unwrap_or_default(),
            (None, FactsInput::Demo) => crate::dates::parse_date(crate::builtin::DEMO_AS_OF)
                .unwrap_or_else(|| jiff::Zoned::now().date()),
            (None, _) => jiff::Zoned::now().date(),
        }
    }

    pub(super) fn load(&self) -> Result<Loaded, Error> {
        self.load_with(|rules, limits| {
            if self.shard.is_some() && !matches!(self.facts, FactsInput::Dir(_)) {
                return Err(Error::Usage(
                    "--shard K/N splits a facts directory: give --facts DIR".into(),
                ));
            }
            Ok(match &self.facts {
                FactsInput::Demo => Corpus::from_set(FactsSet::from_texts_with(
                    &crate::builtin::demo_facts(),
                    limits,
                )),
                FactsInput::Dir(dir) => Corpus::scan_shard(
                    dir,
                    &|count| rules.resident_kinds_for(count),
                    limits,
                    self.shard,
                )?,
                FactsInput::Paths(paths) => Corpus::from_set(load_paths(paths, limits)?),
                FactsInput::Texts(texts) => {
                    Corpus::from_set(FactsSet::from_texts_with(texts, limits))
                }
            })
        })
    }

    /// Load the crosswalk, the sandbox and the rules, then the facts `facts` gives (read
    /// from the inputs, or rebuilt from shards), then the parameters the facts set.
    pub(super) fn load_with(
        &self,
        facts: impl FnOnce(&RuleSet, &FactsLimits) -> Result<Corpus, Error>,
    ) -> Result<Loaded, Error> {
        let (crosswalk, crosswalk_diagnostics) = load_crosswalk(&self.crosswalk_dirs)?;
        for fw in &self.frameworks {
            crosswalk.framework(fw)?;
        }
        let all: Vec<&str> = crosswalk
            .frameworks()
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        self.scope.check(&crosswalk, &all)?;
        let as_of = self.evaluation_date();
        if let Some(period) = self.period.filter(|p| as_of < p.to) {
            return Err(Error::Usage(format!(
                "--as-of {as_of} is before the end of --period {period}: evidence of the period's last days would be judged as future-dated"
            )));
        }
        let sandbox = Sandbox::with_period(self.limits.clone(), as_of, self.period);
        let mut rules = self.rules.load(&sandbox)?;
        if !self.only_rules.is_empty() {
            rules = select(rules, &self.only_rules)?;
        }
        rules
            .diagnostics
            .extend(rules.check_requirements(&crosswalk));
        diag::sort(&mut rules.diagnostics);
        // Every document is checked against the vocabulary of its kind as of the
        // evaluation date: a violation is an input error, never a pass.
        let limits = FactsLimits {
            vocabulary: Some(Arc::new(SchemaSet::builtin_at(as_of)?)),
            ..self.facts_limits.clone()
        };
        let facts = facts(&rules, &limits)?;
        let mut rules = rules;
        let refused = apply_params(
            &mut rules,
            &facts,
            &self.params,
            !self.only_rules.is_empty(),
        );
        rules.diagnostics.extend(refused);
        Ok(Loaded {
            crosswalk,
            crosswalk_diagnostics,
            sandbox,
            rules,
            facts,
            as_of,
        })
    }
}

/// Facts from a mix of files and directories, each read under the facts limits.
fn load_paths(paths: &[PathBuf], limits: &FactsLimits) -> Result<FactsSet, Error> {
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        if path.is_dir() {
            let (set_docs, set_diags) = FactsSet::load_dir_with(path, limits)?.into_parts();
            docs.extend(set_docs);
            diags.extend(set_diags);
            continue;
        }
        match crate::facts::read_document(path, &path.display().to_string(), limits) {
            Ok(doc) => docs.push(Arc::new(doc)),
            Err(d) => diags.push(d),
        }
    }
    Ok(FactsSet::from_shared(docs, diags))
}

/// Keep only the named rules; an id that names no rule is an error with a suggestion.
fn select(mut rules: RuleSet, ids: &[RuleId]) -> Result<RuleSet, Error> {
    for id in ids {
        if rules.get(id).is_none() {
            let known = rules.rules.iter().map(|r| r.meta.id.as_str());
            let hint = closest(id, known)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(Error::Usage(format!("no rule `{id}`{hint}")));
        }
    }
    rules.rules.retain(|r| ids.contains(&r.meta.id));
    rules.broken.retain(|b| ids.contains(&b.id));
    let kept: Vec<&str> = rules.rules.iter().map(|r| r.path.as_str()).collect();
    rules
        .diagnostics
        .retain(|d| kept.contains(&d.location.file.as_str()));
    Ok(rules)
}

/// The facts limits with a different largest file (the `--max-facts-bytes` flag).
pub fn facts_limits(max_file_bytes: u64) -> FactsLimits {
    FactsLimits {
        max_file_bytes,
        ..FactsLimits::default()
    }
}
