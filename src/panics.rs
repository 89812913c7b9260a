//! Turning a panic inside a reader into an error.
//!
//! The workbook and JSON readers run third-party parsers on whatever bytes the admin has; a
//! bug there on a damaged file must not take the tool down with a panic message, nor (worse)
//! end a reader thread silently so that the rows after it go missing. [`catch`] runs a closure,
//! keeps the default panic message from being printed for it, and returns the panic as an
//! error text.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Set while [`catch`] runs on this thread: the panic is reported as an error instead.
    static CAUGHT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it becomes `Err(message)`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !CAUGHT.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CAUGHT.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CAUGHT.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an unknown failure".to_owned())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error_and_values_pass_through() {
        assert_eq!(super::catch(|| 7), Ok(7));
        let v: Vec<u8> = Vec::new();
        let err = super::catch(|| v[3]).unwrap_err();
        assert!(err.contains("index out of bounds"), "{err}");
    }
}
