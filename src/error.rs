//! Exit codes and the errors that choose them.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done (also when the reader of our standard output went away) |
//! | 1 | an audit gate failed (the outputs are written; the summary names the gate) |
//! | 2 | bad usage, unusable input, or an output that could not be written |
//! | 130 | interrupted (Ctrl-C or SIGTERM); no output was changed |

use std::fmt;
use std::io;
use std::process::ExitCode;

pub const EXIT_OK: u8 = 0;
pub const EXIT_GATE: u8 = 1;
pub const EXIT_ERROR: u8 = 2;
pub const EXIT_INTERRUPTED: u8 = 130;

/// The run was stopped by Ctrl-C or SIGTERM before any output was committed.
#[derive(Debug)]
pub struct Interrupted;

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("interrupted; no output file was changed")
    }
}

impl std::error::Error for Interrupted {}

/// True when the error is a closed pipe on our output (`mfa-audit list ... | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<csv::Error>().is_some_and(|c| {
                matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

/// Prints an error with its chain of causes and returns its exit code. Messages quote data
/// (cells, headers, file names): control characters and bidi controls in them are shown
/// escaped, and no line can pass for a CI command (see [`crate::terminal::layout`]).
pub fn report(err: &anyhow::Error) -> ExitCode {
    use std::fmt::Write as _;
    if is_broken_pipe(err) {
        return ExitCode::from(EXIT_OK);
    }
    let mut text = String::new();
    let mut chain = err.chain();
    if let Some(top) = chain.next() {
        let _ = writeln!(text, "mfa-audit: error: {top}");
    }
    for cause in chain {
        let _ = writeln!(text, "  caused by: {cause}");
    }
    eprint!("{}", crate::terminal::layout(&text));
    if err.downcast_ref::<Interrupted>().is_some() {
        ExitCode::from(EXIT_INTERRUPTED)
    } else {
        ExitCode::from(EXIT_ERROR)
    }
}
