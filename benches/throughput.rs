//! Throughput benchmark: xwalk (Rhai) against the same checks in native Rust and in Rego (regorus).
//!
//! `cargo bench --bench throughput -- [--sizes 10000,100000,1000000] [--reps 3] [--engines a,b]`
//!
//! For each corpus size the harness generates a synthetic corpus on disk once
//! (`target/bench-corpus/N`), then runs every configuration in a child
//! process of its own (so peak memory is per configuration) and prints a table
//! of medians: documents/s and rule evaluations/s end to end, the time split
//! into read, parse (+convert) and evaluation, for 1 and 2 threads, peak
//! memory, and the ratios xwalk/native and xwalk/regorus from the same run.
//!
//! The 12 checks in `benches/checks/` (Rhai), `benches/checks/checks.rego` and
//! `native_check` below implement the same logic. The row `xwalk-library`
//! runs the built-in rule library through the product path (`Corpus` scan and
//! streaming evaluation) on the same corpus; `xwalk-library-period` runs it with a six-month
//! observation period and `xwalk-library-vocab` with every document checked against the
//! vocabulary (as `xwalk eval` does), to price that work.
//!
//! After the tables the harness prints each target of issue 20 on a line of its own, computed
//! from this run's medians: `target: ...; measured: ...; holds: yes/no` (or `not measured`
//! when the size or configuration it needs was not run). 10,000,000 documents is possible
//! (`--sizes 10000000`: about 14 GB of JSON, some 40 GB on a file system of 4 KB blocks,
//! each file written as it is generated; one repetition) but not the default. `scan MB` is
//! the library's peak memory when the scan ended (join kinds resident), before any rule ran.

use mimalloc::MiMalloc;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use xwalk::dates::parse_date;
use xwalk::eval;
use xwalk::facts::{parse_document, Corpus, Document, FactsSet};
use xwalk::rules::RuleSet;
use xwalk::sandbox::{Limits, Sandbox};

#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

const SEED: u64 = 42;
const CHUNK: usize = 4096;
const ENGINES: [&str; 6] = [
    "native",
    "xwalk",
    "regorus",
    "xwalk-library",
    "xwalk-library-period",
    "xwalk-library-vocab",
];
/// The six-month observation period of `xwalk-library-period` (ends on the corpus date).
const PERIOD: &str = "2026-01-01..2026-06-30";

/// Timings of one configuration, as the child process reports them.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Measure {
    docs: usize,
    evaluations: u64,
    fails: u64,
    read: f64,
    parse: f64,
    eval: f64,
    total: f64,
    peak_mb: f64,
    /// Peak memory when the scan ended (join kinds resident), before any rule ran.
    #[serde(default)]
    scan_peak_mb: f64,
    digest: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let engine = &args[i + 1];
        let dir = PathBuf::from(&args[i + 2]);
        let threads: usize = args[i + 3].parse().unwrap_or(1);
        let m = child(engine, &dir, threads);
        println!("{}", serde_json::to_string(&m).unwrap_or_default());
        return;
    }
    let sizes: Vec<usize> = flag(&args, "--sizes")
        .unwrap_or_else(|| "10000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().replace('_', "").parse().ok())
        .collect();
    let reps: usize = flag(&args, "--reps")
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let engines: Vec<&str> = match flag(&args, "--engines") {
        Some(list) => ENGINES
            .into_iter()
            .filter(|e| list.split(',').any(|l| l.trim() == *e))
            .collect(),
        None => ENGINES.to_vec(),
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus");
    println!("xwalk throughput benchmark: sizes {sizes:?}, {reps} repetition(s) per configuration (1 for 1,000,000), medians");
    println!(
        "machine: {} logical cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut all: BTreeMap<usize, Results> = BTreeMap::new();
    for n in sizes {
        let dir = root.join(n.to_string());
        ensure_corpus(&dir, n);
        let reps = if n >= 1_000_000 { 1 } else { reps };
        let mut results: Results = BTreeMap::new();
        for threads in [1usize, 2] {
            for engine in &engines {
                let runs: Vec<Measure> = (0..reps)
                    .map(|_| run_child(engine, &dir, threads))
                    .collect();
                results.insert((engine.to_string(), threads), median(runs));
            }
        }
        report(n, &results);
        all.insert(n, results);
    }
    targets(&all);
}

/// The medians of one corpus size, by (engine, threads).
type Results = BTreeMap<(String, usize), Measure>;

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn ensure_corpus(dir: &Path, n: usize) {
    let marker = dir.join(".complete");
    if marker.exists() {
        return;
    }
    let _ = std::fs::remove_dir_all(dir);
    let start = Instant::now();
    let g = xwalk::synth::generate(dir, n, SEED).expect("corpus written");
    let _ = std::fs::write(&marker, b"ok");
    println!(
        "generated {} documents, {:.0} MB, mean {:.0} bytes, in {:.1} s",
        g.documents,
        g.bytes as f64 / 1e6,
        g.bytes as f64 / g.documents as f64,
        start.elapsed().as_secs_f64()
    );
}

fn run_child(engine: &str, dir: &Path, threads: usize) -> Measure {
    let exe = std::env::current_exe().expect("own path");
    let out = Command::new(exe)
        .args([
            "--child",
            engine,
            &dir.display().to_string(),
            &threads.to_string(),
        ])
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().last().unwrap_or("{}")).unwrap_or_else(|e| {
        eprintln!(
            "{engine} x{threads} failed: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Measure::default()
    })
}

fn median(mut runs: Vec<Measure>) -> Measure {
    runs.sort_by(|a, b| a.total.total_cmp(&b.total));
    runs.swap_remove(runs.len() / 2)
}

fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn paths_of(dir: &Path) -> Vec<PathBuf> {
    xwalk::source::files_with_extension(dir, "json").unwrap_or_default()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// FNV-1a over the result lines, to compare runs.
fn digest<'a>(lines: impl Iterator<Item = &'a str>) -> u64 {
    lines.fold(0xcbf2_9ce4_8422_2325, digest_step)
}

/// One line (and its newline) into an FNV-1a hash.
fn digest_step(mut h: u64, line: &str) -> u64 {
    for b in line.bytes().chain(std::iter::once(b'\n')) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn child(engine: &str, dir: &Path, threads: usize) -> Measure {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("pool");
    let start = Instant::now();
    let mut m = pool.install(|| match engine {
        "xwalk-library" => library(dir, false, false),
        "xwalk-library-period" => library(dir, true, false),
        "xwalk-library-vocab" => library(dir, false, true),
        other => chunked(other, dir),
    });
    m.total = secs(start.elapsed());
    m.peak_mb = peak_mb();
    m
}

/// The product path: scan, keep join kinds resident, stream the rest through the built-in
/// rules; with `period`, under a six-month observation period; with `vocabulary`, every
/// document checked against the vocabulary as of the corpus date.
fn library(dir: &Path, period: bool, vocabulary: bool) -> Measure {
    let as_of = parse_date(xwalk::synth::AS_OF).unwrap_or_default();
    let period = period.then(|| xwalk::dates::Period::parse(PERIOD).expect("period"));
    let sandbox = Sandbox::with_period(Limits::default(), as_of, period);
    let rules = RuleSet::builtin(&sandbox);
    let limits = xwalk::facts::FactsLimits {
        vocabulary: vocabulary.then(|| {
            std::sync::Arc::new(
                xwalk::facts::schema::SchemaSet::builtin_at(as_of).expect("schemas"),
            )
        }),
        ..xwalk::facts::FactsLimits::default()
    };
    let t = Instant::now();
    // As `xwalk eval` scans: a kind is held for joins only when a rule that can run joins it.
    let corpus = Corpus::scan_shard(dir, &|count| rules.resident_kinds_for(count), &limits, None)
        .expect("scan");
    let scan = secs(t.elapsed());
    let scan_peak_mb = peak_mb();
    let t = Instant::now();
    let evaluation = eval::evaluate(&rules, &sandbox, &corpus, &|| {});
    let eval_secs = secs(t.elapsed());
    // Results come back sorted by rule and file; hash them one line at a time so
    // the digest does not hold a second copy of millions of rows (peak memory).
    let mut line = String::new();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for r in &evaluation.results {
        line.clear();
        use std::fmt::Write as _;
        let _ = write!(
            line,
            "{} {} {} {}",
            r.rule,
            r.file.as_deref().unwrap_or(""),
            r.outcome,
            r.message
        );
        h = digest_step(h, &line);
    }
    Measure {
        docs: corpus.len(),
        evaluations: evaluation.results.len() as u64,
        fails: evaluation
            .results
            .iter()
            .filter(|r| r.outcome == eval::Outcome::Fail)
            .count() as u64,
        read: scan,
        parse: 0.0,
        eval: eval_secs,
        scan_peak_mb,
        digest: h,
        ..Measure::default()
    }
}

/// The three engines on the same 12 checks, chunk by chunk: read, parse, evaluate.
fn chunked(engine: &str, dir: &Path) -> Measure {
    let paths = paths_of(dir);
    let as_of = parse_date(xwalk::synth::AS_OF).unwrap_or_default();
    let sandbox = Sandbox::new(Limits::default(), as_of);
    let check_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/checks");
    let rhai_rules = RuleSet::load_dir(&check_dir, &sandbox).expect("bench rules");
    assert!(
        rhai_rules.diagnostics.is_empty(),
        "{:?}",
        rhai_rules.diagnostics
    );
    let rego = regorus_engine(&check_dir);
    let mut m = Measure::default();
    let mut lines: Vec<String> = Vec::new();
    for chunk in paths.chunks(CHUNK) {
        let t = Instant::now();
        let texts: Vec<(String, String)> = chunk
            .par_iter()
            .map(|p| {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(p).unwrap_or_default())
            })
            .collect();
        m.read += secs(t.elapsed());
        let t = Instant::now();
        match engine {
            "regorus" => {
                let values: Vec<(String, String, regorus::Value)> = texts
                    .par_iter()
                    .map(|(p, text)| {
                        let v = regorus::Value::from_json_str(text).unwrap_or(regorus::Value::Null);
                        let kind = v["kind"]
                            .as_string()
                            .map(|s| s.to_string())
                            .unwrap_or_default();
                        (p.clone(), kind, v)
                    })
                    .collect();
                m.parse += secs(t.elapsed());
                let t = Instant::now();
                let out: Vec<Vec<String>> = values
                    .par_iter()
                    .map_init(
                        || rego.clone(),
                        |engine, (p, kind, v)| regorus_check(engine, p, kind, v),
                    )
                    .collect();
                m.eval += secs(t.elapsed());
                lines.extend(out.into_iter().flatten());
            }
            _ => {
                let docs: Vec<Document> = texts
                    .par_iter()
                    .filter_map(|(p, text)| parse_document(p, text).ok())
                    .collect();
                m.parse += secs(t.elapsed());
                let t = Instant::now();
                let out: Vec<String> = if engine == "native" {
                    docs.par_iter()
                        .flat_map_iter(|d| native_check(d, as_of))
                        .collect()
                } else {
                    let set = Corpus::from_set(FactsSet::from_documents(docs, Vec::new()));
                    let evaluation = eval::evaluate(&rhai_rules, &sandbox, &set, &|| {});
                    evaluation
                        .results
                        .iter()
                        .filter(|r| r.outcome != eval::Outcome::NoEvidence)
                        .map(|r| {
                            line(
                                &r.rule,
                                r.file.as_deref().unwrap_or(""),
                                r.outcome == eval::Outcome::Fail,
                                r.evidence.len(),
                            )
                        })
                        .collect()
                };
                m.eval += secs(t.elapsed());
                lines.extend(out);
            }
        }
        m.docs += chunk.len();
    }
    lines.sort();
    m.evaluations = lines.len() as u64;
    m.fails = lines.iter().filter(|l| l.contains(" fail ")).count() as u64;
    m.digest = digest(lines.iter().map(String::as_str));
    m
}

fn line(check: &str, file: &str, fail: bool, offenders: usize) -> String {
    format!(
        "{check} {file} {} {offenders}",
        if fail { "fail" } else { "pass" }
    )
}

/// The checks of a kind: (Rhai id, Rego rule).
fn checks_of(kind: &str) -> &'static [(&'static str, &'static str)] {
    match kind {
        "accounts" => &[
            ("bench.dormant", "dormant"),
            ("bench.mfa", "mfa"),
            ("bench.privileged", "privileged"),
        ],
        "asset_inventory" => &[
            ("bench.baseline", "baseline"),
            ("bench.encrypted", "encrypted"),
            ("bench.tls", "tls"),
        ],
        "vulnerability_scan" => &[("bench.vulns", "vulns")],
        "backup" => &[("bench.backups", "backups")],
        "logging" => &[("bench.logging", "logging")],
        "change" => &[("bench.changes", "changes")],
        "repository" => &[("bench.code-review", "code_review")],
        "policy" => &[("bench.policies", "policies")],
        _ => &[],
    }
}

fn regorus_engine(check_dir: &Path) -> regorus::Engine {
    let mut engine = regorus::Engine::new();
    let rego = std::fs::read_to_string(check_dir.join("checks.rego")).expect("rego source");
    engine
        .add_policy("checks.rego".to_string(), rego)
        .expect("rego compiles");
    engine
        .add_data(
            regorus::Value::from_json_str(&format!("{{\"as_of\": \"{}\"}}", xwalk::synth::AS_OF))
                .expect("data"),
        )
        .expect("data added");
    engine
}

fn regorus_check(
    engine: &mut regorus::Engine,
    path: &str,
    kind: &str,
    input: &regorus::Value,
) -> Vec<String> {
    let checks = checks_of(kind);
    if checks.is_empty() {
        return Vec::new();
    }
    engine.set_input(input.clone());
    checks
        .iter()
        .map(|(id, rule)| {
            let offenders = engine
                .eval_rule(format!("data.bench.{rule}"))
                .ok()
                .and_then(|v| v.as_set().ok().map(|s| s.len()))
                .unwrap_or(0);
            line(id, path, offenders > 0, offenders)
        })
        .collect()
}

fn days_since(text: &str, as_of: jiff::civil::Date) -> i64 {
    parse_date(text)
        .and_then(|d| d.until(as_of).ok())
        .map_or(0, |s| i64::from(s.get_days()))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn b(v: &Value, k: &str) -> bool {
    v.get(k).and_then(Value::as_bool).unwrap_or(false)
}

fn i(v: &Value, k: &str) -> i64 {
    v.get(k).and_then(Value::as_i64).unwrap_or(0)
}

/// The 12 checks natively: offending items per check, formatted like the other engines.
fn native_check(doc: &Document, as_of: jiff::civil::Date) -> Vec<String> {
    let empty = Vec::new();
    let items = doc
        .value
        .get("items")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let sla = doc.value.get("sla_days");
    let keep = i(&doc.value, "required_retention_days");
    checks_of(&doc.kind)
        .iter()
        .map(|(id, _)| {
            let offending = |a: &Value| -> bool {
                match *id {
                    "bench.mfa" => {
                        s(a, "status") == "active" && s(a, "type") == "human" && !b(a, "mfa")
                    }
                    "bench.privileged" => {
                        s(a, "status") == "active"
                            && b(a, "privileged")
                            && a.get("privilege_justification").is_none_or(Value::is_null)
                    }
                    "bench.dormant" => {
                        s(a, "status") == "active"
                            && s(a, "type") == "human"
                            && days_since(s(a, "last_login"), as_of) > 90
                    }
                    "bench.encrypted" => {
                        (matches!(s(a, "classification"), "confidential" | "restricted")
                            || b(a, "holds_sensitive_data"))
                            && a.get("encrypted_at_rest") != Some(&Value::Bool(true))
                    }
                    "bench.tls" => matches!(s(a, "tls_min_version"), "1.0" | "1.1"),
                    "bench.baseline" => {
                        matches!(s(a, "type"), "server" | "database" | "network" | "laptop")
                            && a.get("baseline_compliant") != Some(&Value::Bool(true))
                    }
                    "bench.vulns" => {
                        let limit = sla
                            .and_then(|x| x.get(s(a, "severity")))
                            .and_then(Value::as_i64)
                            .unwrap_or(0);
                        s(a, "status") == "open" && days_since(s(a, "found_on"), as_of) > limit
                    }
                    "bench.backups" => {
                        let d = days_since(s(a, "last_success"), as_of);
                        !(0..=2).contains(&d) || i(a, "failures_last_30_days") > 3
                    }
                    "bench.logging" => {
                        !b(a, "enabled") || !b(a, "centralised") || i(a, "retention_days") < keep
                    }
                    "bench.changes" => {
                        a.get("approved_by").is_none_or(Value::is_null)
                            || a.get("approved_by") == a.get("implemented_by")
                    }
                    "bench.code-review" => {
                        b(a, "production")
                            && (!b(a, "default_branch_protected") || i(a, "required_reviews") < 1)
                    }
                    "bench.policies" => {
                        days_since(s(a, "last_reviewed"), as_of) > i(a, "review_cycle_months") * 31
                    }
                    _ => false,
                }
            };
            let bad: Vec<String> = items
                .iter()
                .enumerate()
                .filter(|(_, a)| offending(a))
                .map(|(n, _)| doc.evidence(&format!("/items/{n}")))
                .collect();
            line(id, &doc.path, !bad.is_empty(), bad.len())
        })
        .collect()
}

fn report(n: usize, results: &BTreeMap<(String, usize), Measure>) {
    println!("\nN = {n} documents");
    println!(
        "{:<20} {:>3} {:>10} {:>12} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>18}",
        "engine",
        "thr",
        "docs/s",
        "rule-evals/s",
        "read s",
        "parse s",
        "eval s",
        "total s",
        "peak MB",
        "scan MB",
        "result digest"
    );
    for ((engine, threads), m) in results {
        println!(
            "{:<20} {:>3} {:>10.0} {:>12.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.0} {:>9} {:>18x}",
            engine,
            threads,
            m.docs as f64 / m.total.max(1e-9),
            m.evaluations as f64 / m.total.max(1e-9),
            m.read,
            m.parse,
            m.eval,
            m.total,
            m.peak_mb,
            if m.scan_peak_mb > 0.0 {
                format!("{:.0}", m.scan_peak_mb)
            } else {
                "-".to_string()
            },
            m.digest
        );
    }
    let get = |e: &str, t: usize| {
        results
            .get(&(e.to_string(), t))
            .cloned()
            .unwrap_or_default()
    };
    let ran = |e: &str| results.contains_key(&(e.to_string(), 1));
    for t in [1, 2]
        .into_iter()
        .filter(|_| ran("xwalk") && ran("native") && ran("regorus"))
    {
        let (x, nat, rego) = (get("xwalk", t), get("native", t), get("regorus", t));
        println!(
            "threads {t}: end-to-end xwalk/native {:.2}x, xwalk/regorus {:.2}x; evaluation only xwalk/native {:.2}x, xwalk/regorus {:.2}x; same results as native: {}, as regorus: {}",
            nat.total / x.total.max(1e-9),
            rego.total / x.total.max(1e-9),
            nat.eval / x.eval.max(1e-9),
            rego.eval / x.eval.max(1e-9),
            x.digest == nat.digest,
            x.digest == rego.digest,
        );
    }
    for e in ENGINES
        .into_iter()
        .filter(|e| results.contains_key(&(e.to_string(), 1)))
    {
        let (one, two) = (get(e, 1), get(e, 2));
        println!(
            "{e}: 1 -> 2 threads speed-up {:.2}x; identical results: {}",
            one.total / two.total.max(1e-9),
            one.digest == two.digest
        );
    }
}

/// One target line: what the issue asks, what this run measured, whether it holds.
fn target(what: &str, measured: &str, holds: Option<bool>) {
    let holds = match holds {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not measured",
    };
    println!("target: {what}; measured: {measured}; holds: {holds}");
}

/// A ratio `a / b` of two measured times, when both were measured.
fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if a > 0.0 && b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn shown(r: Option<f64>) -> String {
    r.map_or_else(|| "not measured".to_string(), |r| format!("{r:.2}x"))
}

/// Every target of issue 20, from the medians of this run (`all`: by corpus size).
fn targets(all: &BTreeMap<usize, Results>) {
    println!("\nTargets of issue 20, from this run's medians");
    let time = |n: usize, e: &str, t: usize, f: fn(&Measure) -> f64| {
        all.get(&n)
            .and_then(|r| r.get(&(e.to_string(), t)))
            .filter(|m| m.docs > 0)
            .map(f)
    };
    let eval = |m: &Measure| m.eval;
    let total = |m: &Measure| m.total;
    for &n in all.keys() {
        for t in [1, 2] {
            let r = ratio(time(n, "regorus", t, eval), time(n, "xwalk", t, eval));
            target(
                &format!("N = {n}, {t} thread(s): evaluation alone xwalk >= 1.5x regorus"),
                &shown(r),
                r.map(|r| r >= 1.5),
            );
            let r = ratio(time(n, "regorus", t, total), time(n, "xwalk", t, total));
            target(
                &format!("N = {n}, {t} thread(s): end to end xwalk >= 1.3x regorus"),
                &shown(r),
                r.map(|r| r >= 1.3),
            );
            let r = ratio(time(n, "native", t, total), time(n, "xwalk", t, total));
            target(
                &format!("N = {n}, {t} thread(s): end to end xwalk >= 0.6x native"),
                &shown(r),
                r.map(|r| r >= 0.6),
            );
        }
        for (e, name) in [("xwalk", "the 12 checks"), ("xwalk-library", "the library")] {
            let r = ratio(time(n, e, 1, total), time(n, e, 2, total));
            target(
                &format!("N = {n}: 1 -> 2 threads >= 1.8x for {name}"),
                &shown(r),
                r.map(|r| r >= 1.8),
            );
        }
    }
    let peak = |n: usize| {
        [1, 2]
            .into_iter()
            .filter_map(|t| time(n, "xwalk-library", t, |m| m.peak_mb))
            .reduce(f64::max)
    };
    for (n, limit) in [(1_000_000, 500.0), (10_000_000, 1024.0)] {
        let p = peak(n);
        target(
            &format!(
                "library peak memory at N = {n} <= {limit:.0} MB (the larger of 1 and 2 threads)"
            ),
            &p.map_or_else(|| "not measured".to_string(), |p| format!("{p:.0} MB")),
            p.map(|p| p <= limit),
        );
    }
    // Flat: the largest size's microseconds per document within 1.25x of the 10,000 figure.
    for e in ["xwalk", "xwalk-library"] {
        for t in [1, 2] {
            let us = |n: usize| time(n, e, t, |m| m.total * 1e6 / m.docs as f64);
            let curve: Vec<String> = all
                .keys()
                .filter_map(|&n| us(n).map(|u| format!("{n}: {u:.0}")))
                .collect();
            let largest = all
                .keys()
                .copied()
                .filter(|&n| n > 10_000 && us(n).is_some())
                .max();
            let r = largest.and_then(|n| ratio(us(n), us(10_000)));
            target(
                &format!(
                    "{e}, {t} thread(s): time per document flat from 10,000 to the largest size run (largest within 1.25x of 10,000)"
                ),
                &format!(
                    "us/doc {}; largest/10,000 {}",
                    if curve.is_empty() { "none".to_string() } else { curve.join(", ") },
                    shown(r)
                ),
                r.map(|r| r <= 1.25),
            );
        }
    }
    // The cost of the new work: the library with a period, and with the vocabulary check.
    for &n in all.keys() {
        for t in [1, 2] {
            for (e, what) in [
                (
                    "xwalk-library-period",
                    format!("a six-month --period ({PERIOD})"),
                ),
                ("xwalk-library-vocab", "the vocabulary check".to_string()),
            ] {
                let r = ratio(time(n, e, t, total), time(n, "xwalk-library", t, total));
                let p = ratio(
                    time(n, e, t, |m| m.peak_mb),
                    time(n, "xwalk-library", t, |m| m.peak_mb),
                );
                target(
                    &format!("N = {n}, {t} thread(s): the library with {what} costs little (time within 1.25x of without)"),
                    &format!("time {} of without, peak memory {} of without", shown(r), shown(p)),
                    r.map(|r| r <= 1.25),
                );
            }
        }
    }
}
