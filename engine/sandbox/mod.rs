//! The sandbox rules run in: a Rhai engine with every limit on and no way out.
//!
//! Rules are untrusted code. The engine has no file, network, time or module
//! access; `eval` and `import` are disabled; operations, call depth, expression
//! depth and string/array/map sizes are capped; each call has a wall-clock
//! budget; `print` and `debug` are captured per call instead of written out.

pub mod helpers;
pub mod iso27001;
pub mod json;
pub mod memory;
pub mod period;
pub mod strict;
pub mod text;

use crate::dates::Period;
use jiff::civil::Date;
use rhai::{Dynamic, Engine, EvalAltResult, AST};
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Resource limits for one rule evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Rhai operations per call.
    pub max_operations: u64,
    /// Nested function calls.
    pub max_call_levels: usize,
    /// Expression nesting at global level (functions get half).
    pub max_expr_depth: usize,
    /// Longest string a rule may build, in bytes.
    pub max_string_size: usize,
    /// Largest array a rule may build.
    pub max_array_size: usize,
    /// Largest object map a rule may build.
    pub max_map_size: usize,
    /// Bytes a call may allocate in all (counted when the embedding program installs
    /// a probe, see [`memory`]): copies of arrays and strings count, however few
    /// operations they take.
    pub max_alloc_bytes: u64,
    /// Wall-clock backstop per call. The operation and allocation budgets decide;
    /// this only stops what they cannot see (a slow native call), and says so.
    pub time_budget: Duration,
    /// Lines of print/debug output kept per call.
    pub max_output_lines: usize,
    /// Longest print/debug line kept, in bytes; longer lines are cut.
    pub max_output_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_operations: 20_000_000,
            max_call_levels: 48,
            max_expr_depth: 64,
            max_string_size: 1 << 20,
            max_array_size: 2_000_000,
            max_map_size: 100_000,
            max_alloc_bytes: 512 << 20,
            time_budget: Duration::from_secs(10),
            max_output_lines: 100,
            max_output_line_bytes: 1024,
        }
    }
}

/// What one sandboxed call produced.
#[derive(Debug)]
pub struct CallOutcome {
    /// The returned value, or why the call failed.
    pub result: Result<Dynamic, String>,
    /// Captured print/debug lines.
    pub output: Vec<String>,
}

#[derive(Default)]
struct CallState {
    deadline: Option<Instant>,
    /// Why the call was stopped, when the sandbox stopped it.
    stopped: Option<Stop>,
    output: Vec<String>,
    dropped: usize,
    max_lines: usize,
    max_line_bytes: usize,
}

/// Which sandbox budget stopped a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Allocation,
    Clock,
}

/// Record why the call is being stopped and give Rhai the value that stops it.
fn stop(why: Stop, text: &str) -> Dynamic {
    STATE.with(|s| s.borrow_mut().stopped = Some(why));
    Dynamic::from(text.to_string())
}

thread_local! {
    /// Allocation total at which the running call stops (`u64::MAX`: no budget).
    static ALLOC_LIMIT: Cell<u64> = const { Cell::new(u64::MAX) };
    static STATE: RefCell<CallState> = RefCell::new(CallState::default());
    /// The parameters of the rule being called, for `param("name")`.
    static PARAMS: RefCell<Option<Arc<rhai::Map>>> = const { RefCell::new(None) };
}

/// `param("name")`: the value of a parameter of the running rule, or an error naming the
/// parameters it declares (a typo is never a silent default).
pub(crate) fn param(name: &str) -> Result<Dynamic, Box<EvalAltResult>> {
    PARAMS.with(|p| {
        let p = p.borrow();
        let map = p.as_deref();
        match map.and_then(|m| m.get(name)) {
            Some(v) => Ok(v.clone()),
            None => {
                let declared: Vec<String> = map
                    .map(|m| m.keys().map(|k| k.to_string()).collect())
                    .unwrap_or_default();
                Err(json::error(format!(
                    "param(\"{name}\"): the rule declares no such parameter (declared: {}); add it to the header's `params:` line",
                    if declared.is_empty() { "none".to_string() } else { declared.join(", ") }
                )))
            }
        }
    })
}

fn capture(mut line: String) {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.output.len() >= s.max_lines {
            s.dropped += 1;
            return;
        }
        if line.len() > s.max_line_bytes {
            let mut cut = s.max_line_bytes;
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            let total = line.len();
            line.truncate(cut);
            let more = total - cut;
            let unit = if more == 1 { "byte" } else { "bytes" };
            line.push_str(&format!(" [... {more} more {unit}]"));
        }
        s.output.push(line);
    });
}

/// A configured engine, shared by all threads of an evaluation.
pub struct Sandbox {
    engine: Engine,
    limits: Limits,
    as_of: Date,
    period: Option<Period>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("limits", &self.limits)
            .finish()
    }
}

impl Sandbox {
    /// An engine with the given limits; date helpers measure from `as_of`.
    pub fn new(limits: Limits, as_of: Date) -> Self {
        Self::with_period(limits, as_of, None)
    }

    /// [`Sandbox::new`] for an observation period: `in_period()`, `period_windows()` and
    /// `period_from()`/`period_to()` in rules read it.
    pub fn with_period(limits: Limits, as_of: Date, period: Option<Period>) -> Self {
        let mut engine = Engine::new();
        engine
            .set_max_operations(limits.max_operations)
            .set_max_call_levels(limits.max_call_levels)
            .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth / 2)
            .set_max_string_size(limits.max_string_size)
            .set_max_array_size(limits.max_array_size)
            .set_max_map_size(limits.max_map_size)
            .set_max_modules(0)
            // The interner sits behind one lock shared by every thread and is taken
            // on each property access (`a.status`): with it, two threads ran no
            // faster than one. Without it a getter name is a small allocation.
            .set_max_strings_interned(0)
            .set_max_variables(1_000)
            .set_max_functions(256)
            .set_strict_variables(true)
            // Operators consult registered overloads, so mismatched comparisons can refuse (strict.rs).
            .set_fast_operators(false)
            .set_fail_on_invalid_map_property(true)
            .set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
        engine.disable_symbol("eval").disable_symbol("import");
        engine.on_print(|s| capture(s.to_string()));
        engine.on_debug(|s, _, pos| capture(format!("[debug {pos}] {s}")));
        // Called on every operation: the allocation check is one thread-local read (and
        // the probe's when a budget is set); the call state is touched only to stop.
        engine.on_progress(|ops| {
            let limit = ALLOC_LIMIT.with(Cell::get);
            if limit != u64::MAX && memory::charged() > limit {
                return Some(stop(Stop::Allocation, "allocation budget exceeded"));
            }
            if ops % 256 == 0
                && STATE.with(|s| s.borrow().deadline.is_some_and(|d| Instant::now() > d))
            {
                return Some(stop(Stop::Clock, "wall-clock backstop exceeded"));
            }
            None
        });
        // Shadow the standard library's sleep and clock: rules must not wait or read time.
        engine
            .register_fn("sleep", |_: i64| -> Result<(), Box<EvalAltResult>> {
                Err(json::error("sleep is not available in rules"))
            })
            .register_fn("sleep", |_: f64| -> Result<(), Box<EvalAltResult>> {
                Err(json::error("sleep is not available in rules"))
            })
            .register_fn("timestamp", || -> Result<(), Box<EvalAltResult>> {
                Err(json::error(
                    "timestamp() is not available in rules; use as_of()",
                ))
            });
        json::register(&mut engine);
        helpers::register(&mut engine, as_of);
        period::register(&mut engine, as_of, period);
        strict::register(&mut engine);
        Sandbox {
            engine,
            limits,
            as_of,
            period,
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The evaluation date the date helpers measure from.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// The observation period, when the run has one.
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// The engine itself, for tests that need to register a misbehaving helper.
    #[cfg(test)]
    pub(crate) fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }

    /// Compile a rule script.
    pub fn compile(&self, script: &str) -> Result<AST, rhai::ParseError> {
        self.engine.compile(script)
    }

    /// Call a function of a compiled rule under the limits and time budget.
    ///
    /// A panic inside the engine or a helper becomes an error result of this call.
    pub fn call(&self, ast: &AST, function: &str, args: Vec<Dynamic>) -> CallOutcome {
        self.call_with_params(ast, function, args, None)
    }

    /// [`Sandbox::call`] with the rule's parameters readable through `param("name")`.
    pub fn call_with_params(
        &self,
        ast: &AST,
        function: &str,
        args: Vec<Dynamic>,
        params: Option<&Arc<rhai::Map>>,
    ) -> CallOutcome {
        PARAMS.with(|p| *p.borrow_mut() = params.cloned());
        let outcome = self.call_unparameterised(ast, function, args);
        PARAMS.with(|p| *p.borrow_mut() = None);
        outcome
    }

    fn call_unparameterised(&self, ast: &AST, function: &str, args: Vec<Dynamic>) -> CallOutcome {
        STATE.with(|s| {
            *s.borrow_mut() = CallState {
                deadline: Some(Instant::now() + self.limits.time_budget),
                max_lines: self.limits.max_output_lines,
                max_line_bytes: self.limits.max_output_line_bytes,
                ..CallState::default()
            }
        });
        let limit = match memory::enforced() {
            true => memory::charged().saturating_add(self.limits.max_alloc_bytes),
            false => u64::MAX,
        };
        ALLOC_LIMIT.with(|l| l.set(limit));
        let options = rhai::CallFnOptions::new()
            .eval_ast(false)
            .rewind_scope(true);
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut scope = rhai::Scope::new();
            self.engine
                .call_fn_with_options::<Dynamic>(options, &mut scope, ast, function, args)
        }));
        ALLOC_LIMIT.with(|l| l.set(u64::MAX));
        let (mut output, dropped, stopped) = STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.deadline = None;
            (std::mem::take(&mut s.output), s.dropped, s.stopped.take())
        });
        let result = match run {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(self.describe(&e, stopped)),
            Err(panic) => Err(format!("internal error: {}", panic_message(&panic))),
        };
        if dropped > 0 {
            let unit = if dropped == 1 { "line" } else { "lines" };
            output.push(format!("[{dropped} more {unit} of output dropped]"));
        }
        CallOutcome { result, output }
    }

    fn describe(&self, e: &EvalAltResult, stopped: Option<Stop>) -> String {
        match (e, stopped) {
            (EvalAltResult::ErrorTerminated(_, _), Some(Stop::Allocation)) => format!(
                "allocation budget of {} MiB exceeded (copies of arrays and strings count)",
                self.limits.max_alloc_bytes >> 20
            ),
            (EvalAltResult::ErrorTerminated(_, _), _) => format!(
                "wall-clock backstop of {} ms exceeded; the operation and allocation budgets did not stop this rule, so its result may depend on the machine's load",
                self.limits.time_budget.as_millis()
            ),
            (e, _) => self.describe_error(e),
        }
    }

    fn describe_error(&self, e: &EvalAltResult) -> String {
        match e {
            EvalAltResult::ErrorTooManyOperations(_) => {
                format!("operation limit of {} exceeded", self.limits.max_operations)
            }
            EvalAltResult::ErrorRuntime(v, pos) if !pos.is_none() => format!(
                "{v} (read by the rule at line {}, column {})",
                pos.line().unwrap_or(0),
                pos.position().unwrap_or(0)
            ),
            EvalAltResult::ErrorRuntime(v, _) => v.to_string(),
            other => other.to_string(),
        }
    }
}

/// The text of a caught panic.
pub fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
