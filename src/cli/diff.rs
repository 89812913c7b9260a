//! `mfa-audit diff BEFORE AFTER`: read both sides with the audit's readers and classifier,
//! compare them ([`crate::audit::diff`]), write the changes ([`crate::report::diff`]).

use std::process::ExitCode;

use anyhow::Result;

use crate::audit::diff::{changes, counts, Snapshot};
use crate::audit::run;
use crate::cli::args::DiffArgs;
use crate::read::source::stdin_at_most_once;
use crate::read::InputSpec;
use crate::report::commit::Commit;
use crate::report::destinations::check_destinations;
use crate::report::diff::{self as out, DiffOutcome};

pub fn run(args: DiffArgs) -> Result<ExitCode> {
    run::install_interrupt_handler();
    let mut destinations = Vec::new();
    if let Some(p) = &args.output {
        destinations.push(("--output", p.as_str()));
    }
    if let Some(p) = &args.json {
        destinations.push(("--json", p.as_str()));
    }
    if let Some(p) = &args.html {
        destinations.push(("--html", p.as_str()));
    }
    let mut inputs = vec![
        ("BEFORE", args.before.as_str()),
        ("AFTER", args.after.as_str()),
    ];
    inputs.extend(super::read_inputs(&args.read));
    check_destinations(&destinations, &inputs)?;
    stdin_at_most_once(inputs.iter().copied())?;
    let read = super::read_options(&args.read)?;
    let options = super::engine_options(&args.read, read, false)?;
    let mut sides = Vec::new();
    let mut warnings = 0;
    for path in [&args.before, &args.after] {
        let mut snapshot = Snapshot::default();
        let spec = InputSpec::from_arg(path);
        let outcome = run::run(std::slice::from_ref(&spec), &options, &mut snapshot)?;
        warnings += outcome.warnings.total();
        sides.push(snapshot);
    }
    let changes = changes(&sides[0], &sides[1]);
    let counts = counts(&changes);
    let regression = changes.iter().any(|c| c.change.is_regression());
    let failed = args.fail_on_regression && regression;
    let outcome = DiffOutcome {
        names: [&args.before, &args.after],
        changes: &changes,
        counts: &counts,
        regression,
        failed,
    };

    let mut finished = Vec::new();
    if let Some(path) = &args.output {
        finished.push(out::table(path, &outcome)?);
    }
    if let Some(path) = &args.json {
        finished.push(out::json(path, &outcome)?);
    }
    if let Some(path) = &args.html {
        finished.push(out::html(path, &outcome)?);
    }
    let mut commit = Commit::new();
    for out in finished {
        commit.add(out);
    }
    commit.commit()?;
    if !args.quiet {
        let text = out::human(outcome.names, &sides, &changes, &counts, warnings, failed);
        eprint!("{}", crate::terminal::layout(&text));
    }
    Ok(if failed {
        ExitCode::from(crate::error::EXIT_GATE)
    } else {
        ExitCode::SUCCESS
    })
}
