//! `mfa-audit man`: the manual page (roff) on standard output, generated from the same
//! argument definitions as `--help`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::args::Cli;

pub fn run() -> Result<ExitCode> {
    // Rendered into memory first: the generator panics on a closed pipe.
    let mut page = Vec::new();
    // The package version alone, as the reports give it: a manual page packaged from two
    // builds of one release is the same page (`--version` adds the commit, see build.rs).
    let command = Cli::command().version(env!("CARGO_PKG_VERSION"));
    clap_mangen::Man::new(command).render(&mut page)?;
    std::io::stdout().write_all(&page)?;
    Ok(ExitCode::SUCCESS)
}
