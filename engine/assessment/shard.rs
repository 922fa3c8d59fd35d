//! Runs split across machines: each shard evaluates its own documents into a
//! [`Partial`], and a merge of every shard's partial is the assessment a single run over
//! the whole corpus would have made, byte for byte ([docs/scaling.md]).
//!
//! A partial is raw evaluation: no waiver applied, no coverage, no gate. Those come after
//! the merge, from the merged results, so no view ever sees a shard's share as the whole.

use super::{evaluate_loaded, in_pool, Assessment, Inputs, Progress};
use crate::diag::{codes, Diagnostic, Location, Severity};
use crate::error::Error;
use crate::eval::{Evaluation, Outcome, Population, RuleResult};
use crate::facts::shard::Shard;
use crate::facts::{parse_document_with, Corpus, FactsSet};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// Version tag of a shard's partial result (schema in docs/schemas/partial.schema.json).
pub const SCHEMA: &str = "xwalk.partial.v1";

/// Largest partial file read (a shard of ten million documents writes a few GB).
pub const MAX_PARTIAL_BYTES: u64 = 64 << 30;

/// What one shard evaluated, with everything a merge needs and nothing it would have to
/// read again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Partial {
    /// [`SCHEMA`].
    pub schema: String,
    /// `K/N`.
    pub shard: String,
    /// The xwalk version that ran the shard.
    pub xwalk_version: String,
    /// The evaluation date.
    pub as_of: String,
    /// The observation period, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The digest of the rules with their parameter values ([`crate::rules::RuleSet::digest`]).
    pub rules_digest: String,
    /// The digest of the crosswalk.
    pub crosswalk_digest: String,
    /// What the whole corpus held when this shard read it: the SHA-256 of every usable
    /// document's path and kind ([`crate::facts::corpus::listing_digest`]). Every shard of
    /// one corpus has the same, and the merge checks the shards' documents give it.
    pub corpus_listing: String,
    /// The shard's usable documents, by path.
    pub documents: Vec<PartialDocument>,
    /// The text of the shard's documents of the kinds rules join on (read by every shard,
    /// reported by their owner).
    pub resident: Vec<ResidentText>,
    /// The shard's files that could not be used.
    pub unusable: Vec<PartialDiagnostic>,
    /// Problems found while evaluating (vocabulary violations, files changed since the scan).
    pub diagnostics: Vec<PartialDiagnostic>,
    /// Result rows, by rule then file.
    pub results: Vec<PartialRow>,
    /// The items of the shard's own documents in every sample population of a hand-tested
    /// procedure, so that a merge draws the samples one run draws.
    pub populations: Vec<PartialPopulation>,
}

/// The items of one sample population in a shard's documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialPopulation {
    /// The facts kind whose items form it.
    pub kind: String,
    /// The field an item must have (empty: every item).
    pub field: String,
    /// The value that field must have.
    pub equals: String,
    /// The items, as evidence references (`file#/items/N`), sorted.
    pub items: Vec<String>,
}

/// One usable document of a shard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialDocument {
    /// Path relative to the facts directory.
    pub path: String,
    /// Its `kind`.
    pub kind: String,
    /// SHA-256 of its text.
    pub sha256: String,
}

/// A resident document as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResidentText {
    /// Path relative to the facts directory.
    pub path: String,
    /// The file's text.
    pub text: String,
}

/// A diagnostic as written in a partial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialDiagnostic {
    /// Its code (`XW0310`).
    pub code: String,
    /// `error` or `warning`.
    pub severity: String,
    /// The message.
    pub message: String,
    /// File.
    pub file: String,
    /// Line (0: unknown).
    pub line: u64,
    /// Column (0: unknown).
    pub column: u64,
    /// The rule or requirement it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// A result row as written in a partial (before any waiver).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartialRow {
    /// Rule id.
    pub rule: String,
    /// Rule severity (absent for a rule that did not load).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Facts file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Outcome.
    pub outcome: String,
    /// Message.
    pub message: String,
    /// Evidence references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// What the rule printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
    /// Collection date of the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected_on: Option<String>,
    /// `[total, exceptions]` when the rule counted its population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<[u64; 2]>,
}

/// Evaluate the shard the inputs name ([`Inputs::shard`]) into its partial result.
pub fn run(inputs: &Inputs, progress: &dyn Progress) -> Result<Partial, Error> {
    let Some(shard) = inputs.shard else {
        return Err(Error::Usage("no shard given (--shard K/N)".into()));
    };
    in_pool(inputs, || {
        let loaded = inputs.load()?;
        let evaluation = evaluate_loaded(&loaded, progress);
        let facts = &loaded.facts;
        let mut resident: Vec<ResidentText> = facts
            .resident_texts()
            .iter()
            .map(|(path, text)| ResidentText {
                path: path.to_string(),
                text: text.clone(),
            })
            .collect();
        resident.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Partial {
            schema: SCHEMA.into(),
            shard: shard.to_string(),
            xwalk_version: env!("CARGO_PKG_VERSION").into(),
            as_of: loaded.as_of.to_string(),
            period: loaded.sandbox.period().map(|p| p.to_string()),
            rules_digest: loaded.rules.digest(),
            crosswalk_digest: loaded.crosswalk.digest().to_string(),
            corpus_listing: facts.listing().to_string(),
            // The index and the file digests are the shard's own documents, both by path.
            documents: facts
                .index()
                .iter()
                .zip(facts.file_digests())
                .map(|((path, kind), (_, sha256))| PartialDocument {
                    path: path.to_string(),
                    kind: kind.to_string(),
                    sha256: sha256.clone(),
                })
                .collect(),
            resident,
            unusable: facts
                .diagnostics
                .iter()
                .map(PartialDiagnostic::of)
                .collect(),
            diagnostics: evaluation
                .diagnostics
                .iter()
                .map(PartialDiagnostic::of)
                .collect(),
            results: evaluation.results.iter().map(PartialRow::of).collect(),
            populations: crate::views::sampling::every_population()
                .into_iter()
                .map(|(kind, field, equals)| PartialPopulation {
                    items: crate::views::sampling::population_refs(facts, &kind, &field, &equals),
                    kind,
                    field,
                    equals,
                })
                .collect(),
        })
    })
}

impl Partial {
    /// Read a partial written by `xwalk eval --shard K/N`; a file that is not one is an
    /// error naming the file and the line.
    pub fn read(path: &Path) -> Result<Partial, Error> {
        let name = path.display().to_string();
        let bytes = crate::source::read_bytes(path, MAX_PARTIAL_BYTES)?;
        let partial: Partial = serde_json::from_slice(&bytes).map_err(|e| {
            Error::Usage(format!(
                "{name}:{}:{}: not a shard's partial result (`xwalk eval --shard K/N --format json`): {e}",
                e.line(),
                e.column()
            ))
        })?;
        if partial.schema != SCHEMA {
            return Err(Error::Usage(format!(
                "{name}: schema `{}` is not {SCHEMA}; merge partials written by this xwalk version",
                partial.schema
            )));
        }
        Ok(partial)
    }
}

impl Assessment {
    /// The assessment of a whole corpus from every shard's partial result: `parts` yields
    /// `(file name, partial)`, one per shard 1..N in any order, read one at a time (each is
    /// taken apart and dropped before the next is read). The inputs are those the shards
    /// ran with (rules, crosswalk, date, period, parameters) plus the waivers; their facts
    /// are not read. Shards that disagree, or a shard missing or given twice, are an error
    /// naming the file.
    pub fn merge<I>(inputs: &Inputs, parts: I) -> Result<Assessment, Error>
    where
        I: IntoIterator<Item = Result<(String, Partial), Error>>,
    {
        let mut merged = Merged::default();
        for part in parts {
            let (name, part) = part?;
            merged.take(name, part)?;
        }
        check_shards(&merged.headers)?;
        let first = &merged.headers.first().ok_or_else(no_parts)?.1;
        let mut inputs = inputs.clone();
        inputs.shard = None;
        if inputs.as_of.is_none() {
            inputs.as_of = crate::dates::parse_date(&first.as_of);
        }
        let Merged {
            headers,
            index,
            digests,
            resident,
            unusable,
            mut results,
            mut diagnostics,
            mut populations,
            ..
        } = merged;
        for items in populations.values_mut() {
            items.sort();
        }
        let loaded = inputs.load_with(|_, limits| {
            let mut docs = Vec::with_capacity(resident.len());
            for (name, r) in &resident {
                let doc = parse_document_with(&r.path, &r.text, limits)
                    .map_err(|d| Error::Usage(format!("{name}: resident document {d}")))?;
                docs.push(doc);
            }
            Ok(Corpus::from_shards(
                index,
                digests,
                FactsSet::from_documents(docs, Vec::new()),
                unusable,
            ))
        })?;
        let expected = Expected::of(&loaded);
        for (name, part) in &headers {
            expected.check(name, part)?;
        }
        results.sort_by(|a: &RuleResult, b| (&a.rule, &a.file).cmp(&(&b.rule, &b.file)));
        crate::diag::sort(&mut diagnostics);
        let evaluation = Evaluation {
            results,
            as_of: Some(loaded.as_of),
            diagnostics,
        };
        let mut assessment = Assessment::finish(&inputs, loaded, evaluation)?;
        assessment.populations = Some(populations);
        Ok(assessment)
    }
}

/// What a merge keeps of the partials read so far: each one's header (its lists emptied),
/// and everything else moved out of it, strings shared where rows repeat them.
#[derive(Default)]
struct Merged {
    headers: Vec<(String, Partial)>,
    index: Vec<(Arc<str>, Arc<str>)>,
    digests: Vec<(Arc<str>, String)>,
    resident: Vec<(String, ResidentText)>,
    unusable: Vec<Diagnostic>,
    diagnostics: Vec<Diagnostic>,
    results: Vec<RuleResult>,
    populations: crate::views::registers::Populations,
    rules: BTreeMap<String, crate::ids::RuleId>,
    kinds: BTreeMap<String, Arc<str>>,
}

impl Merged {
    fn take(&mut self, name: String, mut part: Partial) -> Result<(), Error> {
        let mut paths: std::collections::HashMap<String, Arc<str>> = Default::default();
        for d in std::mem::take(&mut part.documents) {
            let kind = self
                .kinds
                .entry(d.kind.clone())
                .or_insert_with(|| Arc::from(d.kind.as_str()))
                .clone();
            let path: Arc<str> = Arc::from(d.path.as_str());
            self.index.push((path.clone(), kind));
            self.digests.push((path.clone(), d.sha256));
            paths.insert(d.path, path);
        }
        for r in std::mem::take(&mut part.resident) {
            self.resident.push((name.clone(), r));
        }
        for p in std::mem::take(&mut part.populations) {
            let items = self
                .populations
                .entry((p.kind, p.field, p.equals))
                .or_default();
            items.extend(p.items);
        }
        for d in std::mem::take(&mut part.unusable) {
            self.unusable.push(d.to_diagnostic(&name)?);
        }
        for d in std::mem::take(&mut part.diagnostics) {
            self.diagnostics.push(d.to_diagnostic(&name)?);
        }
        for row in std::mem::take(&mut part.results) {
            let rule = self
                .rules
                .entry(row.rule.clone())
                .or_insert_with(|| row.rule.as_str().into())
                .clone();
            let file = row.file.as_ref().map(|f| {
                paths
                    .get(f)
                    .cloned()
                    .unwrap_or_else(|| Arc::from(f.as_str()))
            });
            self.results.push(row.into_result(&name, rule, file)?);
        }
        self.headers.push((name, part));
        Ok(())
    }
}

fn no_parts() -> Error {
    Error::Usage("no partial results to merge: give every shard's file".into())
}

/// Every shard 1..N exactly once, all of the same N.
fn check_shards(parts: &[(String, Partial)]) -> Result<u32, Error> {
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    let mut count = None;
    for (name, part) in parts {
        let shard = Shard::parse(&part.shard).map_err(|e| Error::Usage(format!("{name}: {e}")))?;
        match count {
            None => count = Some(shard.count()),
            Some(n) if n != shard.count() => {
                return Err(Error::Usage(format!(
                    "{name} is shard {shard}, but the other partials are of {n} shards"
                )))
            }
            Some(_) => {}
        }
        if let Some(other) = seen.insert(shard.index(), name) {
            return Err(Error::Usage(format!(
                "{name} and {other} are both shard {shard}"
            )));
        }
    }
    let n = count.ok_or_else(no_parts)?;
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen.contains_key(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Usage(format!(
            "shard(s) {} missing: a merge of part of the facts would report less than was asked, so nothing is merged",
            missing.join(", ")
        )));
    }
    Ok(n)
}

/// What every partial must have been made from: the inputs this merge loaded, and the
/// corpus the shards' documents make up together.
struct Expected {
    checks: [(&'static str, String); 6],
}

impl Expected {
    fn of(loaded: &super::Loaded) -> Expected {
        let listing = crate::facts::corpus::listing_digest(
            loaded.facts.index().iter().map(|(p, k)| (&**p, &**k)),
        );
        let period = loaded.sandbox.period().map(|p| p.to_string());
        Expected {
            checks: [
                ("xwalk version", env!("CARGO_PKG_VERSION").to_string()),
                ("evaluation date (--as-of)", loaded.as_of.to_string()),
                ("period (--period)", period.unwrap_or_else(|| "none".into())),
                ("rules (--rules, --param, xwalk.toml), by digest", loaded.rules.digest()),
                ("crosswalk (--crosswalk), by digest", loaded.crosswalk.digest().to_string()),
                (
                    "facts corpus (another directory, or files changed between the shards' runs), by the listing of its documents",
                    listing,
                ),
            ],
        }
    }

    /// The partial was made from these inputs and this corpus.
    fn check(&self, name: &str, part: &Partial) -> Result<(), Error> {
        let none = "none".to_string();
        let theirs = [
            &part.xwalk_version,
            &part.as_of,
            part.period.as_ref().unwrap_or(&none),
            &part.rules_digest,
            &part.crosswalk_digest,
            &part.corpus_listing,
        ];
        for ((what, ours), theirs) in self.checks.iter().zip(theirs) {
            if theirs != ours {
                return Err(Error::Usage(format!(
                    "{name} was evaluated with a different {what}: `{theirs}`, this merge has `{ours}`; merge with the inputs the shards ran with"
                )));
            }
        }
        Ok(())
    }
}

impl PartialDiagnostic {
    fn of(d: &Diagnostic) -> PartialDiagnostic {
        PartialDiagnostic {
            code: d.code.id.to_string(),
            severity: d.severity.to_string(),
            message: d.message.clone(),
            file: d.location.file.clone(),
            line: d.location.line,
            column: d.location.column,
            subject: d.subject.clone(),
        }
    }

    /// The diagnostic again; `name` (the partial's file) is named if it is not one.
    pub fn to_diagnostic(&self, name: &str) -> Result<Diagnostic, Error> {
        let code = codes::ALL
            .iter()
            .find(|c| c.id == self.code)
            .copied()
            .ok_or_else(|| {
                Error::Usage(format!("{name}: unknown diagnostic code `{}`", self.code))
            })?;
        let severity = match self.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            other => {
                return Err(Error::Usage(format!(
                    "{name}: diagnostic severity `{other}` is not error or warning"
                )))
            }
        };
        Ok(Diagnostic {
            code,
            severity,
            message: self.message.clone(),
            location: Location::at(self.file.clone(), self.line, self.column),
            subject: self.subject.clone(),
        })
    }
}

impl PartialRow {
    fn of(r: &RuleResult) -> PartialRow {
        PartialRow {
            rule: r.rule.to_string(),
            severity: r.severity.map(|s| s.to_string()),
            file: r.file.as_ref().map(|f| f.to_string()),
            outcome: r.outcome.as_str().to_string(),
            message: r.message.to_string(),
            evidence: r.evidence.iter().map(|e| e.to_string()).collect(),
            output: r.output.iter().map(|o| o.to_string()).collect(),
            collected_on: r.collected_on.map(|d| d.to_string()),
            population: r.population.map(|p| [p.total, p.exceptions]),
        }
    }

    fn into_result(
        self,
        name: &str,
        rule: crate::ids::RuleId,
        file: Option<Arc<str>>,
    ) -> Result<RuleResult, Error> {
        let bad = |what: &str| {
            Error::Usage(format!(
                "{name}: the row of rule `{}` on {} has {what}",
                self.rule,
                self.file.as_deref().unwrap_or("no file")
            ))
        };
        let outcome = Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == self.outcome && *o != Outcome::Waived)
            .ok_or_else(|| bad(&format!("outcome `{}`", self.outcome)))?;
        let severity = match &self.severity {
            None => None,
            Some(s) => Some(s.parse().map_err(|_| bad(&format!("severity `{s}`")))?),
        };
        let collected_on = match &self.collected_on {
            None => None,
            Some(d) => Some(
                d.parse::<Date>()
                    .map_err(|_| bad(&format!("collection date `{d}`")))?,
            ),
        };
        Ok(RuleResult {
            rule,
            severity,
            file,
            outcome,
            message: self.message,
            evidence: self.evidence,
            output: self.output,
            collected_on,
            waiver: None,
            population: self
                .population
                .map(|[total, exceptions]| Population { total, exceptions }),
        })
    }
}
