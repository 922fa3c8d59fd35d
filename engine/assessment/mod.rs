//! The facade: load the inputs, evaluate once, and offer every view of the result.
//!
//! The CLI is one user of this module; a web service, a CI plugin or a notebook
//! is another. See the crate documentation for an example.

pub mod config;
mod inputs;
pub mod shard;

pub use crate::views::gate::{
    parse_percent, Gate, GateReason, GateResult, Verdict, COVERAGE_TOLERANCE,
};
use inputs::Loaded;
pub use inputs::{
    facts_limits, load_crosswalk, rule_set, FactsInput, Inputs, ParamSetting, RulesInput,
};

use crate::coverage::{self, Coverage};
use crate::crosswalk::{Crosswalk, Overlap, OverlapOptions, Scope};
use crate::diag::Diagnostic;
use crate::error::Error;
use crate::eval::{self, Evaluation};
use crate::facts::Corpus;
use crate::ids::{FrameworkId, ISO_2013, ISO_2022, PLANNED_FRAMEWORKS, REPORTED_FRAMEWORKS};
use crate::report::html::{self, HtmlInput};
use crate::rules::RuleSet;
use crate::sandbox::Sandbox;
use crate::source::{SourceFile, MAX_DATA_FILE_BYTES};
use crate::views::drivers::CostDrivers;
use crate::views::explain::{self, Explanation};
use crate::views::plan::{self, Plan};
use crate::views::programme;
use crate::views::provenance::{FileDigest, Provenance};
use crate::views::readiness::{self, Readiness};
use crate::views::results::EvalReport;
use crate::views::soa::{self, Soa};
use crate::views::transition::{self, Transition};
use jiff::civil::Date;
use std::sync::OnceLock;

/// Told how an evaluation advances (a progress bar, a log line); every method may be left out.
pub trait Progress: Sync {
    /// Evaluation starts with this many (rule, document) jobs.
    fn start(&self, _jobs: u64) {}
    /// One job is done.
    fn tick(&self) {}
    /// Evaluation is over.
    fn finish(&self) {}
}

/// No progress reporting.
impl Progress for () {}

/// Inputs loaded and every rule evaluated once; views are computed on demand and kept.
pub struct Assessment {
    crosswalk: Crosswalk,
    crosswalk_diagnostics: Vec<Diagnostic>,
    sandbox: Sandbox,
    rules: RuleSet,
    facts: Corpus,
    as_of: Date,
    frameworks: Vec<FrameworkId>,
    scope: Scope,
    evaluation: Evaluation,
    reported: OnceLock<Coverage>,
    iso: OnceLock<Coverage>,
    provenance: Provenance,
    /// The sample populations, when the shards of a merge read them.
    populations: Option<crate::views::registers::Populations>,
}

/// Run `f` on the worker threads the inputs ask for (`None`: rayon's pool, one per core).
fn in_pool<T: Send>(
    inputs: &Inputs,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> Result<T, Error> {
    match inputs.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_err(|e| Error::Usage(format!("cannot start {n} worker threads: {e}")))?
            .install(f),
        None => f(),
    }
}

/// Every rule over the loaded facts, reporting progress.
fn evaluate_loaded(loaded: &Loaded, progress: &dyn Progress) -> Evaluation {
    progress.start(eval::job_count(&loaded.rules, &loaded.facts));
    let evaluation = eval::evaluate(&loaded.rules, &loaded.sandbox, &loaded.facts, &|| {
        progress.tick()
    });
    progress.finish();
    evaluation
}

fn ids(list: &[&str]) -> Vec<FrameworkId> {
    list.iter().map(|s| FrameworkId::from(*s)).collect()
}

impl Assessment {
    /// Load the inputs and evaluate every rule.
    pub fn run(inputs: &Inputs) -> Result<Self, Error> {
        Self::run_with(inputs, &())
    }

    /// [`Assessment::run`], reporting progress while the rules run.
    pub fn run_with(inputs: &Inputs, progress: &dyn Progress) -> Result<Self, Error> {
        if let Some(shard) = inputs.shard {
            return Err(Error::Usage(format!(
                "shard {shard} evaluates part of the facts: its results are never reported alone, only merged with the other shards' (`xwalk merge`)"
            )));
        }
        in_pool(inputs, || {
            let loaded = inputs.load()?;
            let evaluation = evaluate_loaded(&loaded, progress);
            Self::finish(inputs, loaded, evaluation)
        })
    }

    /// Apply the waivers to an evaluation of the loaded inputs and keep everything for the
    /// views: the end of a run, and of a merge of shards.
    fn finish(inputs: &Inputs, loaded: Loaded, mut evaluation: Evaluation) -> Result<Self, Error> {
        let mut waivers = eval::waiver::Waivers::default();
        let mut waiver_digests = Vec::new();
        for path in &inputs.waivers {
            // Read once: parsed for the run, digested for its provenance.
            let file = crate::source::SourceFile::read(path, crate::source::MAX_DATA_FILE_BYTES)?;
            let more = eval::waiver::Waivers::parse(&file.path, &file.text);
            waiver_digests.push(FileDigest::of(
                &path.display().to_string(),
                file.text.as_bytes(),
            ));
            waivers.waivers.extend(more.waivers);
            waivers.diagnostics.extend(more.diagnostics);
        }
        // Accepted exceptions: a waived failure stays visible as `waived`, never a pass.
        let applied = waivers.apply(&mut evaluation, &loaded.rules, loaded.as_of);
        evaluation.diagnostics.extend(waivers.diagnostics);
        evaluation.diagnostics.extend(applied);
        crate::diag::sort(&mut evaluation.diagnostics);
        let provenance = Provenance::of(
            &loaded.rules,
            &loaded.facts,
            &loaded.crosswalk,
            waiver_digests,
        );
        Ok(Assessment {
            populations: None,
            provenance,
            crosswalk: loaded.crosswalk,
            crosswalk_diagnostics: loaded.crosswalk_diagnostics,
            sandbox: loaded.sandbox,
            rules: loaded.rules,
            facts: loaded.facts,
            as_of: loaded.as_of,
            frameworks: dedup(&inputs.frameworks),
            scope: inputs.scope.clone(),
            evaluation,
            reported: OnceLock::new(),
            iso: OnceLock::new(),
        })
    }

    /// What the run was made from: xwalk version, digests of rules, facts, crosswalk and
    /// waivers.
    pub fn provenance(&self) -> &Provenance {
        &self.provenance
    }

    /// The crosswalk used.
    pub fn crosswalk(&self) -> &Crosswalk {
        &self.crosswalk
    }

    /// Warnings found while loading the crosswalk.
    pub fn crosswalk_diagnostics(&self) -> &[Diagnostic] {
        &self.crosswalk_diagnostics
    }

    /// The rules evaluated (with their load diagnostics).
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The facts evaluated.
    pub fn facts(&self) -> &Corpus {
        &self.facts
    }

    /// The sandbox the rules ran in.
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    /// The observation period, when the run has one.
    pub fn period(&self) -> Option<crate::dates::Period> {
        self.sandbox.period()
    }

    /// The evaluation date.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Every result row.
    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// Frameworks in scope, or `default` when the inputs named none.
    fn scope_or(&self, default: &[&str]) -> Vec<FrameworkId> {
        if self.frameworks.is_empty() {
            ids(default)
        } else {
            self.frameworks.clone()
        }
    }

    /// The parts of each framework reported ([`Inputs::scope`]).
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Frameworks reported (the inputs' frameworks, or [`REPORTED_FRAMEWORKS`]).
    pub fn reported_frameworks(&self) -> Vec<FrameworkId> {
        self.scope_or(&REPORTED_FRAMEWORKS)
    }

    /// Coverage of any list of frameworks within the scope, computed afresh.
    pub fn coverage_of(&self, frameworks: &[FrameworkId]) -> Result<Coverage, Error> {
        self.coverage_in(frameworks, &self.scope)
    }

    fn coverage_in(&self, frameworks: &[FrameworkId], scope: &Scope) -> Result<Coverage, Error> {
        for fw in frameworks {
            self.crosswalk.framework(fw)?;
        }
        Ok(coverage::compute(
            &self.crosswalk,
            &self.rules,
            &self.evaluation,
            self.facts.resident(),
            frameworks,
            scope,
        ))
    }

    fn cached<'a>(
        &'a self,
        cell: &'a OnceLock<Coverage>,
        fws: &[FrameworkId],
        scope: &Scope,
    ) -> Result<&'a Coverage, Error> {
        if let Some(c) = cell.get() {
            return Ok(c);
        }
        let computed = self.coverage_in(fws, scope)?;
        Ok(cell.get_or_init(|| computed))
    }

    /// Coverage of the reported frameworks.
    pub fn coverage(&self) -> Result<&Coverage, Error> {
        self.cached(&self.reported, &self.reported_frameworks(), &self.scope)
    }

    /// The evaluation report: headline numbers, coverage, evidence reuse, every row.
    pub fn results(&self) -> Result<EvalReport<'_>, Error> {
        let mut report = EvalReport::build(
            self.as_of.to_string(),
            self.provenance.clone(),
            &self.rules,
            &self.facts,
            &self.evaluation,
            self.coverage()?,
        );
        report.period = self.period();
        Ok(report)
    }

    /// The ISO 27001:2022 Statement of Applicability (whatever frameworks are reported).
    /// It always lists all 93 controls; the scope narrows what each is shown to serve.
    pub fn soa(&self) -> Result<Soa, Error> {
        let coverage = self.cached(&self.iso, &ids(&[ISO_2022]), &Scope::default())?;
        let iso = coverage
            .frameworks
            .first()
            .ok_or_else(|| Error::Usage(format!("no coverage for {ISO_2022}")))?;
        soa::build(
            &self.crosswalk,
            iso,
            &self.evaluation,
            self.facts.resident(),
            self.as_of,
            &self.scope,
        )
    }

    /// The frameworks an SoA row shows as served: every framework but the ISO editions,
    /// in manifest order.
    pub fn soa_served_frameworks(&self) -> Vec<FrameworkId> {
        self.crosswalk
            .frameworks()
            .iter()
            .map(|f| f.id.clone())
            .filter(|id| id != ISO_2022 && id != ISO_2013)
            .collect()
    }

    /// A unified audit plan for the frameworks in scope (default [`PLANNED_FRAMEWORKS`]).
    pub fn plan(&self) -> Result<Plan, Error> {
        Ok(self.plan_with_coverage()?.1)
    }

    /// The plan and the coverage of the planned frameworks it was built from.
    fn plan_with_coverage(&self) -> Result<(Coverage, Plan), Error> {
        let frameworks = self.scope_or(&PLANNED_FRAMEWORKS);
        let coverage = self.coverage_of(&frameworks)?;
        let names: Vec<String> = frameworks.iter().map(|f| f.to_string()).collect();
        let plan = plan::build(
            &self.crosswalk,
            &self.rules,
            &self.evaluation,
            &coverage,
            &names,
        )?;
        Ok((coverage, plan))
    }

    /// The evidence list of the plan: one row per test procedure, automated or manual,
    /// with what to collect, from whom, how often, and the request that covers it.
    pub fn evidence_list(&self) -> Result<crate::views::evidence::EvidenceList, Error> {
        let (coverage, plan) = self.plan_with_coverage()?;
        crate::views::evidence::build(&self.crosswalk, &coverage, &plan)
    }

    /// The nonconformity register: every failing rule graded by extent, with owner, due
    /// date and the corrective action the facts record.
    pub fn nonconformities(&self) -> Result<crate::views::registers::NonconformityRegister, Error> {
        Ok(crate::views::registers::nonconformities(
            &self.rules,
            &self.evaluation,
            &self.facts,
            &self.soa()?,
            self.as_of,
            self.period(),
        ))
    }

    /// The evidence request list of the plan: every request with owner, due date (`due`,
    /// default 30 days on), the period it covers and its sample, chosen with `seed`.
    pub fn requests(
        &self,
        due: Option<Date>,
        seed: u64,
    ) -> Result<crate::views::registers::RequestList, Error> {
        let (coverage, plan) = self.plan_with_coverage()?;
        let soa = self.soa()?;
        let inputs = crate::views::registers::RequestInputs {
            crosswalk: &self.crosswalk,
            evaluation: &self.evaluation,
            corpus: &self.facts,
            known_populations: self.populations.as_ref(),
            coverage: &coverage,
            soa: &soa,
            as_of: self.as_of,
            period: self.period(),
            due,
            seed,
        };
        Ok(crate::views::registers::requests(&plan, &inputs))
    }

    /// Certification readiness: Stage 1, Stage 2, graded findings, an estimate.
    pub fn readiness(&self) -> Result<Readiness, Error> {
        self.readiness_with(&CostDrivers::default())
    }

    /// [`Assessment::readiness`] with the cost drivers given (flags, `[readiness]` in
    /// `xwalk.toml`); the estimate says how each moved it.
    pub fn readiness_with(&self, drivers: &CostDrivers) -> Result<Readiness, Error> {
        Ok(self.readiness_from(&self.soa()?, drivers))
    }

    fn readiness_from(&self, soa: &Soa, drivers: &CostDrivers) -> Readiness {
        readiness::build(&self.rules, &self.evaluation, &self.facts, soa, drivers)
    }

    /// The three-year certification programme from a Stage 1 date (default: from readiness).
    pub fn programme(
        &self,
        start: Option<Date>,
        drivers: &CostDrivers,
    ) -> Result<programme::Programme, Error> {
        let soa = self.soa()?;
        let readiness = self.readiness_from(&soa, drivers);
        Ok(programme::build(&programme::ProgrammeInput {
            crosswalk: &self.crosswalk,
            soa: &soa,
            readiness: &readiness,
            facts: &self.facts,
            as_of: self.as_of,
            period: self.period(),
            start,
            drivers,
        }))
    }

    /// What one rule concluded and what that means in every framework.
    pub fn explain(&self, rule: &str) -> Result<Explanation, Error> {
        let rule = self.rules.get(rule).ok_or_else(|| {
            let known = self.rules.rules.iter().map(|r| r.meta.id.as_str());
            let hint = crate::catalog::closest(rule, known)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            Error::Usage(format!("no rule `{rule}`{hint}"))
        })?;
        let mut explanation = explain::explain(&self.crosswalk, &rule.meta, &self.evaluation);
        explanation.params = rule.params.clone();
        Ok(explanation)
    }

    /// Overlap between every pair of reported frameworks, in order.
    pub fn overlaps(&self) -> Vec<Overlap> {
        let frameworks = self.reported_frameworks();
        let options = OverlapOptions {
            scope: self.scope.clone(),
            min_strength: 1,
        };
        let mut out = Vec::new();
        for (i, a) in frameworks.iter().enumerate() {
            for b in frameworks.iter().skip(i + 1) {
                out.push(self.crosswalk.overlap_with(a, b, &options));
            }
        }
        out
    }

    /// The self-contained HTML report: coverage, overlap, SoA, readiness, findings.
    pub fn html(&self) -> Result<String, Error> {
        let soa = self.soa()?;
        let readiness = self.readiness_from(&soa, &CostDrivers::default());
        let report = self.results()?;
        let title = match &readiness.organisation {
            Some(name) => format!("{name}: compliance report"),
            None => "Compliance report".to_string(),
        };
        html::render(&HtmlInput {
            title: &title,
            report: &report,
            overlaps: &self.overlaps(),
            soa: &soa,
            readiness: &readiness,
            frameworks: self.crosswalk.frameworks(),
            facts: self.facts.index(),
        })
    }

    /// Problems with the inputs: rules that could not be used, facts files that could not be
    /// read or parsed.
    pub fn input_problems(&self) -> impl Iterator<Item = &Diagnostic> + '_ {
        self.rules
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .chain(&self.facts.diagnostics)
            // Waiver warnings (expired, unknown rule, matching nothing) live here too; only
            // errors make an input unusable.
            .chain(self.evaluation.diagnostics.iter().filter(|d| d.is_error()))
    }

    /// True when an input could not be used: nothing built from it is complete.
    pub fn has_input_errors(&self) -> bool {
        self.input_problems().next().is_some()
    }

    /// The CI gate's verdict on this evaluation, with every reason it did not pass.
    pub fn gate(&self, gate: &Gate) -> Result<GateResult, Error> {
        gate.check()?;
        let mut reasons = Vec::new();
        let inputs = self.input_problems().count();
        if inputs > 0 {
            reasons.push(GateReason::InputErrors { count: inputs });
        }
        // A rule that could not be evaluated leaves its requirements unjudged: never green.
        let errors = self.evaluation.rule_errors();
        if errors > 0 {
            reasons.push(GateReason::RuleErrors { count: errors });
        }
        let unusable = !reasons.is_empty();
        if let Some(min) = gate.min_coverage {
            for fw in &self.coverage()?.frameworks {
                if fw.satisfied_percent + COVERAGE_TOLERANCE < min {
                    reasons.push(GateReason::Coverage {
                        framework: fw.framework.to_string(),
                        satisfied_percent: fw.satisfied_percent,
                        min_coverage: min,
                    });
                }
            }
        }
        let failures = self.evaluation.failures_at_least(gate.fail_on);
        if failures > 0 {
            reasons.push(GateReason::Failures {
                count: failures,
                fail_on: gate.fail_on,
            });
        }
        let verdict = if unusable {
            Verdict::InputErrors
        } else if reasons.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Findings
        };
        Ok(GateResult {
            verdict,
            min_coverage: gate.min_coverage,
            fail_on: gate.fail_on,
            reasons,
        })
    }
}

/// The list in order, without repeats.
fn dedup(list: &[FrameworkId]) -> Vec<FrameworkId> {
    let mut out: Vec<FrameworkId> = Vec::with_capacity(list.len());
    for fw in list {
        if !out.contains(fw) {
            out.push(fw.clone());
        }
    }
    out
}

/// A draft ISO 27001:2022 SoA from an ISO 27001:2013 SoA in CSV. Rows that cannot be
/// read make the whole file unusable ([`Error::Invalid`] names each, by line).
pub fn transition(crosswalk: &Crosswalk, path: &std::path::Path) -> Result<Transition, Error> {
    let file = SourceFile::read(path, MAX_DATA_FILE_BYTES)?;
    let rows =
        transition::read_soa_2013(&file, crosswalk).map_err(|diagnostics| Error::Invalid {
            what: format!("{}; nothing was mapped", file.path),
            diagnostics,
        })?;
    let mut changes = transition::clauses::read(&crate::builtin::clause_changes_file(), crosswalk)
        .map_err(|diagnostics| Error::Invalid {
            what: "the clause-change data".to_string(),
            diagnostics,
        })?;
    let sandbox = Sandbox::new(Default::default(), jiff::civil::date(2000, 1, 1));
    transition::clauses::link_rules(&mut changes, &RuleSet::builtin(&sandbox).rules);
    transition::draft(crosswalk, &file.path, &rows, changes)
}

/// Remap the ISO 27001:2013 control ids in the facts documents under `dir` to 2022
/// numbering ([`transition::remap`]). A facts file that cannot be read or parsed makes the
/// folder unusable: nothing is remapped, and [`Error::Invalid`] names each file and line.
pub fn transition_remap(
    crosswalk: &Crosswalk,
    dir: &std::path::Path,
) -> Result<transition::remap::Remap, Error> {
    let mut docs = Vec::new();
    let mut problems = Vec::new();
    for path in crate::source::files_with_extension(dir, "json")? {
        let rel = crate::facts::relative(dir, &path);
        let read = crate::source::read_bytes(&path, crate::facts::MAX_FACTS_FILE_BYTES)
            .map_err(|e| {
                Diagnostic::new(
                    crate::diag::codes::XW0303,
                    crate::diag::Location::line(&rel, 1),
                    e.to_string(),
                )
            })
            .and_then(|bytes| {
                let text = crate::facts::decode(&rel, &bytes)?.to_string();
                let doc = crate::facts::parse_document(&rel, &text)?;
                Ok((text, doc))
            });
        match read {
            Ok((text, doc)) => docs.push(transition::remap::FactsText {
                path: rel,
                kind: doc.kind,
                text: text.strip_prefix('\u{feff}').unwrap_or(&text).to_string(),
                value: doc.value,
            }),
            Err(d) => problems.push(d),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            what: format!("the facts in {}; nothing was remapped", dir.display()),
            diagnostics: problems,
        });
    }
    transition::remap::remap(crosswalk, &docs)
}
