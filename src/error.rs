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

/// An output that could not be written, worded for the reader: the file, the cause in plain
/// words, and what state the outputs are in. Carried inside the `io::Error` of a failed write so
/// that it survives whatever library (CSV, workbook, JSON) was writing; [`report`] prints it
/// alone, without that library's own wording of the same failure.
#[derive(Debug)]
pub struct WriteFailed {
    /// The output as the command line named it.
    pub path: String,
    /// What went wrong, e.g. "the disk is full".
    pub reason: String,
    /// What was and was not changed, e.g. "nothing was changed".
    pub state: String,
}

impl WriteFailed {
    /// Wraps `err` for a write to `path` before anything was committed.
    pub fn before_commit(path: &str, err: &io::Error) -> io::Error {
        io::Error::new(
            err.kind(),
            WriteFailed {
                path: path.to_owned(),
                reason: plain_reason(err),
                state: "nothing was changed".to_owned(),
            },
        )
    }
}

impl fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write {}: {} ({})",
            self.path, self.reason, self.state
        )
    }
}

impl std::error::Error for WriteFailed {}

/// An I/O error in plain words, without the "(os error N)" tail.
pub fn plain_reason(err: &io::Error) -> String {
    if let Some(inner) = err.get_ref().and_then(|e| e.downcast_ref::<WriteFailed>()) {
        return inner.reason.clone();
    }
    match err
        .raw_os_error()
        .and_then(|code| os_reason(code, cfg!(windows)))
    {
        Some(reason) => reason.to_owned(),
        _ => {
            let text = err.to_string();
            let text = match text.find(" (os error") {
                Some(i) => text[..i].to_owned(),
                None => text,
            };
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// The plain words for an OS error code; `windows`: the code is a Windows system error code
/// (winerror.h), not an errno, whose numbers mean other things (5 is EIO on Unix, "access is
/// denied" on Windows, which is what a report held open by Excel gives).
fn os_reason(code: i32, windows: bool) -> Option<&'static str> {
    Some(if windows {
        match code {
            // ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION: what
            // replacing a file gives while another program holds it open.
            5 | 32 | 33 => {
                "access is denied: the file is probably open in another program (Excel?); \
                 close it there and run again"
            }
            // ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND: as Unix says it.
            2 | 3 => "no such file or directory",
            39 | 112 => "the disk is full",
            19 => "the disk is write-protected",
            206 => "the name is too long for the file system",
            _ => return None,
        }
    } else {
        match code {
            28 => "the disk is full",
            122 => "the disk quota is exceeded",
            30 => "the file system is read-only",
            13 | 1 => "permission denied",
            5 => "an input/output error on the device",
            36 => "the name is too long for the file system",
            _ => return None,
        }
    })
}

/// The [`WriteFailed`] in an error's chain, if any.
fn write_failed(err: &anyhow::Error) -> Option<&WriteFailed> {
    err.chain().find_map(|e| {
        e.downcast_ref::<WriteFailed>().or_else(|| {
            e.downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref())
                .and_then(|inner| inner.downcast_ref::<WriteFailed>())
        })
    })
}

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
    if let Some(failed) = write_failed(err) {
        let text = format!("mfa-audit: error: {failed}\n");
        eprint!("{}", crate::terminal::layout(&text));
        return ExitCode::from(EXIT_ERROR);
    }
    let mut text = String::new();
    let mut chain = err.chain();
    if let Some(top) = chain.next() {
        let _ = writeln!(text, "mfa-audit: error: {top}");
    }
    for cause in chain {
        // An OS error in the same plain words on every system ("File not found. (os error
        // 2)" on Windows, "No such file or directory (os error 2)" on Linux).
        match cause.downcast_ref::<io::Error>() {
            Some(io) if io.raw_os_error().is_some() => {
                let _ = writeln!(text, "  caused by: {}", plain_reason(io));
            }
            _ => {
                let _ = writeln!(text, "  caused by: {cause}");
            }
        }
    }
    eprint!("{}", crate::terminal::layout(&text));
    if err.downcast_ref::<Interrupted>().is_some() {
        ExitCode::from(EXIT_INTERRUPTED)
    } else {
        ExitCode::from(EXIT_ERROR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_error_codes_are_read_as_the_system_numbers_them() {
        // (code, on Windows, on Unix): the same number means different things.
        let table = [
            (
                5,
                Some("probably open in another program"),
                Some("input/output"),
            ),
            (32, Some("probably open in another program"), None),
            (33, Some("probably open in another program"), None),
            (112, Some("disk is full"), None),
            (28, None, Some("disk is full")),
            (13, None, Some("permission denied")),
            (2, Some("no such file or directory"), None),
            (9999, None, None),
        ];
        for (code, windows, unix) in table {
            for (is_windows, want) in [(true, windows), (false, unix)] {
                let got = os_reason(code, is_windows);
                match want {
                    Some(w) => assert!(got.is_some_and(|g| g.contains(w)), "{code}: {got:?}"),
                    None => assert_eq!(got, None, "{code} windows={is_windows}"),
                }
            }
        }
        // As the commit prints it when Excel holds the report open on Windows.
        let excel = WriteFailed {
            path: "MFA_Report.csv".into(),
            reason: os_reason(5, true).unwrap().into(),
            state: "nothing was changed".into(),
        };
        assert!(excel.to_string().starts_with(
            "cannot write MFA_Report.csv: access is denied: the file is probably open"
        ));
        assert!(excel.to_string().ends_with("(nothing was changed)"));
    }
}
