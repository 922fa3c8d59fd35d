//! The allocator: mimalloc, with a running total of the bytes each thread allocated,
//! which the sandbox reads to hold every rule to its allocation budget.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
}

/// mimalloc, counting.
pub struct Counting;

/// Said once, when the allocator has nothing left: the process is about to abort.
const OUT_OF_MEMORY: &[u8] = b"xwalk: out of memory; the process stops now and the results evaluated so far are lost. Lower --threads or --max-alloc-mib, or give the run more memory.\n";

/// Tell the user before the abort that follows a failed allocation. Writes a fixed text
/// (no formatting, so nothing allocates) and only the first time.
fn out_of_memory(ptr: *mut u8) -> *mut u8 {
    use std::sync::atomic::{AtomicBool, Ordering};
    static SAID: AtomicBool = AtomicBool::new(false);
    if ptr.is_null() && !SAID.swap(true, Ordering::Relaxed) {
        use std::io::Write;
        let _ = std::io::stderr().write_all(OUT_OF_MEMORY);
    }
    ptr
}

fn count(bytes: usize) {
    // `try_with`: during thread teardown the counter may already be gone.
    let _ = ALLOCATED.try_with(|a| a.set(a.get().wrapping_add(bytes as u64)));
}

// SAFETY: every call is passed straight to mimalloc, which upholds the GlobalAlloc
// contract; the counter only reads the requested size.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        out_of_memory(unsafe { mimalloc::MiMalloc.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        out_of_memory(unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) })
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size.saturating_sub(layout.size()));
        out_of_memory(unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
}

/// Bytes allocated on the calling thread since it started.
pub fn allocated_on_this_thread() -> u64 {
    ALLOCATED.try_with(Cell::get).unwrap_or(0)
}
