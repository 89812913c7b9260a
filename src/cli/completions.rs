//! `mfa-audit completions SHELL`: a shell completion script on standard output.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::args::Cli;

pub fn run(shell: clap_complete::Shell) -> Result<ExitCode> {
    // Rendered into memory first: the generator panics on a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "mfa-audit", &mut script);
    std::io::stdout().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}
