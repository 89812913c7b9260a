//! Ctrl-C and SIGTERM: the run stops and changes nothing.
//!
//! The handler only sets a flag. The audit loop looks at it every few thousand rows, and the
//! commit of the outputs looks at it once more right before the first output is replaced, so
//! a signal that arrives at any moment before that point leaves every output as it was (exit
//! 130). Once the commit has begun, finishing it is safer than stopping halfway: a signal then
//! is noted but does not cut the renames short. Outside a commit a second signal exits at once,
//! for a run that does not notice the first (a slow input).
//!
//! A leaf module: the reading layer checks the flag and the report layer commits, and neither
//! may import the other.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

static INTERRUPTED: AtomicBool = AtomicBool::new(false);
static COMMITTING: AtomicBool = AtomicBool::new(false);

/// Installs the handler for Ctrl-C (SIGINT) and SIGTERM; once per process.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) && !COMMITTING.load(Ordering::SeqCst) {
                std::process::exit(i32::from(crate::error::EXIT_INTERRUPTED));
            }
        });
    });
}

/// True once Ctrl-C or SIGTERM was received.
pub fn requested() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Marks the start of the renames: from now on a signal no longer exits the process at once.
/// Returns false (and marks nothing) when a signal has already arrived, so that the caller
/// gives up instead of committing.
pub fn begin_commit() -> bool {
    COMMITTING.store(true, Ordering::SeqCst);
    if requested() {
        COMMITTING.store(false, Ordering::SeqCst);
        return false;
    }
    true
}
