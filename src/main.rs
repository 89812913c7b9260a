//! The `mfa-audit` binary: run the command, print one error with its causes, map it to an
//! exit code (see [`mfa_audit::error`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    match mfa_audit::cli::run() {
        Ok(code) => code,
        Err(err) => mfa_audit::error::report(&err),
    }
}
