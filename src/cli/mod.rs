//! The command line: arguments ([`args`]), the options built from them, and one module per
//! subcommand, each "build the options, call the layers below, map the outcome to an exit code".

pub(crate) mod args;
pub(crate) mod audit;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod explain;
pub(crate) mod list;
pub(crate) mod man;
pub(crate) mod signins;

use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::audit::exceptions::Exceptions;
use crate::audit::gates::GateOptions;
use crate::audit::run::{EngineOptions, Filter};
use crate::cli::args::{Cli, Command, InputArgs, ReadArgs};
use crate::dates::Day;
use crate::read::source::stdin_at_most_once;
use crate::read::{InputSpec, Limits, NextLinkPolicy, ReadOptions};

/// Parses the command line and runs the command.
pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Audit(args) => audit::run(*args),
        Command::List(args) => list::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Signins(args) => signins::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Completions { shell } => completions::run(shell),
        Command::Man => man::run(),
    }
}

/// The engine's options from the shared arguments.
pub fn engine_options(args: &ReadArgs, read: ReadOptions, progress: bool) -> Result<EngineOptions> {
    let today = args.today.unwrap_or_else(Day::today);
    let exceptions = Exceptions::load(&args.exceptions, &args.exclude, today, &read)?;
    Ok(EngineOptions {
        read,
        strict: args.strict,
        progress,
        include_blocked: false,
        filter: Filter {
            admins_only: args.admins_only,
            members_only: args.members_only,
        },
        accounts: args.accounts.clone(),
        exceptions,
        gates: GateOptions::default(),
        policies: Vec::new(),
        today: Some(today),
        controls: false,
    })
}

/// `--github-output`: the file GitHub Actions names in `$GITHUB_OUTPUT` for a later step to
/// read, with its name as the destinations check compares it. Refused where it is not set:
/// that step would read nothing.
pub fn github_output(asked: bool) -> Result<Option<(std::path::PathBuf, String)>> {
    if !asked {
        return Ok(None);
    }
    let Some(path) = crate::report::ci::step_output_path() else {
        anyhow::bail!(
            "--github-output: $GITHUB_OUTPUT is not set; it is set by GitHub Actions in every \
             step. Outside Actions, leave --github-output out (or set GITHUB_OUTPUT to a file to \
             append to)"
        );
    };
    let name = path.to_string_lossy().into_owned();
    Ok(Some((path, name)))
}

/// Every file an audit-style command reads, as (flag, path) for [`check_destinations`]: the
/// positional inputs (flag ""), `--accounts` and each `--exceptions`.
///
/// [`check_destinations`]: crate::report::destinations::check_destinations
pub fn all_inputs(args: &InputArgs) -> Vec<(&'static str, &str)> {
    let mut all: Vec<(&'static str, &str)> = args.inputs.iter().map(|p| ("", p.as_str())).collect();
    all.extend(read_inputs(&args.read));
    all
}

/// The files the shared reading arguments name: `--accounts` and each `--exceptions`.
pub fn read_inputs(args: &ReadArgs) -> Vec<(&'static str, &str)> {
    let accounts = args.accounts.iter().map(|p| ("--accounts", p.as_str()));
    let exceptions = args.exceptions.iter().map(|p| ("--exceptions", p.as_str()));
    accounts.chain(exceptions).collect()
}

/// Inputs and read options from the shared arguments.
pub fn inputs(args: &InputArgs) -> Result<(Vec<InputSpec>, ReadOptions)> {
    let positional = args.inputs.iter().map(|p| ("INPUT", p.as_str()));
    stdin_at_most_once(positional.chain(read_inputs(&args.read)))?;
    let specs = args.inputs.iter().map(|p| InputSpec::from_arg(p)).collect();
    let mut options = read_options(&args.read)?;
    if args.inputs.len() > 1 && options.next_link == NextLinkPolicy::Refuse {
        options.next_link = NextLinkPolicy::OtherPages;
    }
    Ok((specs, options))
}

/// How to read inputs, from the shared arguments.
pub fn read_options(args: &ReadArgs) -> Result<ReadOptions> {
    Ok(ReadOptions {
        encoding: args.encoding,
        delimiter: args.delimiter,
        overrides: args.column_map.clone(),
        sheet: args.sheet.clone(),
        // The object id matters only to `audit --policies`, which asks for it.
        ignore: {
            let mut ignore = [false; crate::read::schema::ROLE_COUNT];
            ignore[crate::read::schema::Role::ObjectId.index()] = true;
            ignore
        },
        hash: false,
        next_link: if args.allow_partial {
            NextLinkPolicy::Allowed
        } else {
            NextLinkPolicy::Refuse
        },
        limits: Limits {
            max_record_bytes: args.max_record_size.saturating_mul(1 << 20),
            max_columns: args.max_columns,
            max_unpacked: args.max_unpacked,
        },
    })
}
