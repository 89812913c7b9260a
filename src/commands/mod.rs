//! One module per subcommand; [`run`] dispatches the parsed command line.

pub mod audit;
pub mod list;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::cli::{Cli, Command, InputArgs};
use crate::engine::{EngineOptions, Filter};
use crate::input::{encoding, InputSpec, ReadOptions};

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit::run(args),
        Command::List(args) => list::run(args),
    }
}

/// The engine's options from the shared arguments.
pub fn engine_options(args: &InputArgs, read: ReadOptions, progress: bool) -> EngineOptions {
    EngineOptions {
        read,
        strict: args.strict,
        progress,
        include_blocked: false,
        filter: Filter {
            admins_only: args.admins_only,
            members_only: args.members_only,
        },
        accounts: args.accounts.clone(),
    }
}

/// Inputs and read options from the shared arguments.
pub fn inputs(args: &InputArgs) -> Result<(Vec<InputSpec>, ReadOptions)> {
    let encoding = args.encoding.as_deref().map(encoding::lookup).transpose()?;
    if args.inputs.iter().filter(|p| *p == "-").count() > 1 {
        anyhow::bail!("standard input (-) can be read only once");
    }
    let specs = args
        .inputs
        .iter()
        .map(|p| InputSpec { path: p.clone() })
        .collect();
    let options = ReadOptions {
        encoding,
        delimiter: args.delimiter,
        overrides: args.column_map.clone(),
        sheet: args.sheet.clone(),
        ignore: Default::default(),
    };
    Ok((specs, options))
}
