//! A bound on the memory `--jq` may add while it runs (`--max-mib`). jaq has none: a
//! filter that recurses through its arguments (`def f(x): f(x); f(.)`) grows without end,
//! and a value is many times the size of its JSON text. While a filter runs, a watchdog
//! thread reads this process's resident memory (Linux: /proc/self/statm, every 20 ms) and,
//! past the bound, ends saymon with one line and exit 1, as the stack guard does
//! (`overflow`). Our own: no crate bounds another library's allocations.

/// Watching until dropped.
pub(super) struct Watch {
    #[cfg(target_os = "linux")]
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Watch this run: at most `limit` bytes more than now.
#[cfg(target_os = "linux")]
pub(super) fn watch(limit: u64) -> Watch {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = Arc::new(AtomicBool::new(false));
    let Some(start) = resident() else {
        return Watch { stop };
    };
    let stopped = stop.clone();
    let spawned = std::thread::Builder::new()
        .name("jq-memory".into())
        .spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                if resident().is_some_and(|now| now.saturating_sub(start) > limit) {
                    crate::sys::to_stderr(&format!(
                        "saymon: error: --jq: the filter used more than --max-mib ({} MiB) of memory",
                        limit >> 20
                    ));
                    crate::sys::to_stderr(
                        "hint: raise --max-mib for a large answer; a filter that recurses through its arguments never ends",
                    );
                    // SAFETY: _exit ends the process at once; the main thread may be deep
                    // inside jaq, and nothing it holds needs to be finished.
                    unsafe { libc::_exit(1) };
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
    drop(spawned);
    Watch { stop }
}

#[cfg(not(target_os = "linux"))]
pub fn watch(_limit: u64) -> Watch {
    Watch {}
}

/// Resident memory of this process, in bytes: /proc/self/statm's second field, in pages.
#[cfg(target_os = "linux")]
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    let page = rustix::param::page_size();
    Some(pages * u64::try_from(page).ok()?)
}
