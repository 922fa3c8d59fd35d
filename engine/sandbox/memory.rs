//! The allocation budget: bytes a rule evaluation may allocate, counted the same way
//! whatever the thread count or the machine's load, so that it decides deterministically
//! where a wall clock cannot.
//!
//! The library cannot see allocations by itself; the program that embeds it installs
//! a probe (the `xwalk` binary wraps its allocator and reports each thread's running
//! total). Without a probe the budget is not enforced and [`enforced`] says so.

use std::cell::Cell;
use std::sync::OnceLock;

static PROBE: OnceLock<fn() -> u64> = OnceLock::new();

thread_local! {
    /// Allocations on this thread that are not charged to the running rule (shared caches).
    static UNCHARGED: Cell<u64> = const { Cell::new(0) };
}

/// Install the probe: a function returning the bytes allocated so far on the calling
/// thread (a running total that never goes down). Only the first call takes effect.
pub fn set_probe(probe: fn() -> u64) {
    let _ = PROBE.set(probe);
}

/// True when a probe is installed, so the allocation budget is enforced.
pub fn enforced() -> bool {
    PROBE.get().is_some()
}

/// Bytes charged to rules on this thread so far (0 without a probe).
pub fn charged() -> u64 {
    PROBE
        .get()
        .map_or(0, |probe| probe().saturating_sub(UNCHARGED.with(Cell::get)))
}

/// Run `f` without charging what it allocates to the running rule: a cache built on
/// first use is shared by every rule, and charging it to whichever rule came first
/// would make the budget depend on the order the threads ran in.
pub fn uncharged<T>(f: impl FnOnce() -> T) -> T {
    let Some(probe) = PROBE.get() else {
        return f();
    };
    let before = probe();
    let out = f();
    let spent = probe().saturating_sub(before);
    UNCHARGED.with(|u| u.set(u.get() + spent));
    out
}
