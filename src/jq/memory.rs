//! A bound on the memory `--jq` may add while it runs (`--max-mib`). jaq has none: a
//! filter that recurses through its arguments (`def f(x): f(x); f(.)`) grows without end,
//! and a value is many times the size of its JSON text. Every allocation of the process
//! is counted (the `cap` crate, as the global allocator); while a filter runs, a limit is
//! armed at what is allocated then plus `--max-mib`, and an allocation past it ends
//! saymon with one line and exit 1, as the stack guard does (`overflow`). On every
//! platform, and exactly: no polling.
//!
//! Our own, around `cap`: what happens at the limit. Rust's answer to a refused
//! allocation is an abort with its own message; this one says which flag to raise.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};

/// Every allocation, counted, with a limit (none unless a filter runs).
static COUNTED: cap::Cap<System> = cap::Cap::new(System, usize::MAX);

/// The limit armed, in bytes, for the message; 0 when none is.
static ARMED: AtomicU64 = AtomicU64::new(0);

/// The process's allocator: `System`, counted, and bounded while a filter runs.
pub(crate) struct Counting;

/// In the library, not in main.rs: the fuzz targets and the unit tests run `--jq` under the
/// same bound as the binary.
#[global_allocator]
static ALLOCATOR: Counting = Counting;

// SAFETY: every call is passed on to `cap::Cap<System>` with the same arguments; the only
// addition, `exceeded`, runs when it returned null and ends the process.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `GlobalAlloc::alloc`'s, passed on.
        let ptr = unsafe { COUNTED.alloc(layout) };
        if ptr.is_null() {
            exceeded();
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let ptr = unsafe { COUNTED.alloc_zeroed(layout) };
        if ptr.is_null() {
            exceeded();
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`, as the caller promises.
        unsafe { COUNTED.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `dealloc`, and `new_size` as `GlobalAlloc::realloc` requires.
        let ptr = unsafe { COUNTED.realloc(ptr, layout, new_size) };
        if ptr.is_null() {
            exceeded();
        }
        ptr
    }
}

/// An allocation was refused: past the armed limit, one line and exit 1; otherwise the
/// system is out of memory, and Rust's own answer follows (the null is returned).
fn exceeded() {
    let limit = ARMED.load(Ordering::SeqCst);
    if limit == 0 {
        return;
    }
    // Written without allocating: nothing more can be.
    let mut buf = [0u8; 256];
    let mut line = &mut buf[..];
    let _ = std::io::Write::write_fmt(
        &mut line,
        format_args!(
            "saymon: error: --jq: the filter used more than --max-mib ({} MiB) of memory\nhint: raise --max-mib for a large answer; a filter that recurses through its arguments never ends\n",
            limit >> 20
        ),
    );
    let left = line.len();
    let written = &buf[..buf.len() - left];
    // The filter's thread may be deep inside jaq, and nothing it holds needs finishing:
    // out at once, without running anything more that could allocate.
    #[cfg(unix)]
    // SAFETY: write(2) of a buffer we own, then _exit(2); both async-signal-safe.
    unsafe {
        libc::write(2, written.as_ptr().cast(), written.len());
        libc::_exit(1);
    }
    #[cfg(not(unix))]
    {
        // Writing and exiting may allocate: no limit from here on.
        let _ = COUNTED.set_limit(usize::MAX);
        ARMED.store(0, Ordering::SeqCst);
        let _ = std::io::Write::write_all(&mut std::io::stderr(), written);
        std::process::exit(1);
    }
}

/// Bounded until dropped.
pub(crate) struct Watch;

impl Drop for Watch {
    fn drop(&mut self) {
        // The limit first: while ARMED still holds, a refusal is ours to report.
        let _ = COUNTED.set_limit(usize::MAX);
        ARMED.store(0, Ordering::SeqCst);
    }
}

/// Bound this run: at most `limit` bytes (`--max-mib`) in all, of which `held` (the answer
/// the filter reads, allocated already) count: `limit - held` more than now.
pub(crate) fn watch(limit: u64, held: u64) -> Watch {
    let more = usize::try_from(limit.saturating_sub(held)).unwrap_or(usize::MAX);
    // ARMED first: a refusal under the new limit must find it set.
    ARMED.store(limit.max(1), Ordering::SeqCst);
    let bound = COUNTED.allocated().saturating_add(more);
    if COUNTED.set_limit(bound).is_err() {
        ARMED.store(0, Ordering::SeqCst);
    }
    Watch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_allocated_is_counted() {
        let before = COUNTED.allocated();
        let block = vec![0u8; 8 << 20];
        assert!(COUNTED.allocated() >= before + (8 << 20));
        drop(block);
    }
}
