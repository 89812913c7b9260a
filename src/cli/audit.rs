//! `mfa-audit audit`: the main job. Builds the read, audit and output options from the
//! arguments, runs the audit with its outputs as the sink ([`crate::report::audit`]), commits
//! them only when the whole run succeeded, prints the summary; the gates decide the exit code.

use std::process::ExitCode;

use anyhow::Result;

use crate::audit::gates::GateOptions;
use crate::audit::run::{self, EngineOptions};
use crate::cli::args::{AuditArgs, GateArgs, Newline};
use crate::read::schema::Role;
use crate::report::audit::{human, AuditOutputs, AuditPlan};
use crate::report::ci;
use crate::report::csv::CsvStyle;
use crate::report::destinations::check_destinations;
use crate::report::mfa_report::Column;
use crate::report::summary;

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    // First, so that a Ctrl-C at any point after it leaves no temporary file behind.
    run::install_interrupt_handler();
    let (specs, mut read) = super::inputs(&args.input)?;
    let columns = args.columns.0.clone();
    read.ignore[Role::DisplayName.index()] =
        !columns.contains(&Column::DisplayName) && args.html.is_none() && args.phone_only.is_none();
    read.ignore[Role::DefaultMethod.index()] = !columns.contains(&Column::DefaultMethod);
    read.ignore[Role::ObjectId.index()] = args.policies.is_empty();
    if args.policies.is_empty() {
        if let Some(c) = columns.iter().find(|c| c.needs_policies()) {
            // A column of verdicts nobody decided would read as a finding.
            anyhow::bail!(
                "--columns {}: the MFA enforcement columns need --policies PATH (the tenant's \
                 policy exports, see docs/enforcement.md)",
                c.name()
            );
        }
    }
    read.hash = args.html.is_some();
    let mut destinations = vec![("--output", args.output.as_str())];
    for (flag, path) in [
        ("--registered", &args.registered),
        ("--unregistered", &args.unregistered),
        ("--excepted", &args.excepted),
        ("--phone-only", &args.phone_only),
        ("--json", &args.json),
        ("--junit", &args.junit),
        ("--html", &args.html),
        ("--controls", &args.controls),
        ("--sarif", &args.sarif),
    ] {
        if let Some(p) = path {
            destinations.push((flag, p.as_str()));
        }
    }
    let summary_path = ci::step_summary_path().filter(|_| args.github_summary);
    let summary_name = summary_path
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    if let Some(p) = &summary_name {
        destinations.push(("GITHUB_STEP_SUMMARY", p.as_str()));
    }
    let step_output = super::github_output(args.github_output)?;
    if let Some((_, name)) = &step_output {
        destinations.push(("GITHUB_OUTPUT", name.as_str()));
    }
    let output_path = step_output.as_ref().map(|(path, _)| path.as_path());
    check_destinations(&destinations, &super::all_inputs(&args.input))?;

    let mut outputs = AuditOutputs::create(&AuditPlan {
        output: &args.output,
        format: args.format,
        registered: args.registered.as_deref(),
        unregistered: args.unregistered.as_deref(),
        excepted: args.excepted.as_deref(),
        phone_only: args.phone_only.as_deref(),
        policies: !args.policies.is_empty(),
        json: args.json.as_deref(),
        junit: args.junit.as_deref(),
        html: args.html.as_deref(),
        controls: args.controls.as_deref(),
        sarif: args.sarif.as_deref(),
        github_summary: args.github_summary,
        github_output: output_path,
        columns,
        method_separator: &args.method_separator,
        method_names: args.method_names,
        style: CsvStyle {
            bom: args.bom,
            crlf: args.newline == Newline::Crlf,
            sanitize: !args.no_sanitize,
        },
        include_blocked: args.include_blocked,
        timestamp: args.timestamp,
    })?;
    let options = EngineOptions {
        include_blocked: args.include_blocked,
        gates: gate_options(&args.gates)?,
        policies: args.policies.clone(),
        // The HTML report shows the controls too.
        controls: args.controls.is_some() || args.sarif.is_some() || args.html.is_some(),
        ..super::engine_options(&args.input.read, read, !args.quiet)?
    };
    let mut outcome = run::run(&specs, &options, &mut outputs)?;
    outputs.warn_missing_columns(&mut outcome)?;
    let wrote = outputs.commit(&outcome)?;

    if !args.quiet {
        let colour = summary::colour_wanted();
        eprint!("{}", human(&outcome, args.include_blocked, &wrote, colour));
    }
    if args.github_summary {
        ci::github_annotations(&outcome.gates)?;
    }
    let failed = outcome.gates.iter().any(|g| !g.passed);
    Ok(if failed {
        ExitCode::from(crate::error::EXIT_GATE)
    } else {
        ExitCode::SUCCESS
    })
}

/// The gates asked for on the command line.
fn gate_options(args: &GateArgs) -> Result<GateOptions> {
    if let Some(p) = args.fail_under {
        if !(0.0..=100.0).contains(&p) {
            anyhow::bail!("--fail-under: {p} is not a percentage from 0 to 100");
        }
    }
    Ok(GateOptions {
        fail_under: args.fail_under,
        max_unregistered: args.max_unregistered,
        fail_on_unknown: args.fail_on_unknown,
        require: args.require.clone(),
        require_admins: args.require_admins,
        fail_on_phone_only: args.fail_on_phone_only,
        fail_on_unenforced: args.fail_on_unenforced,
        require_enforced: args.require_enforced.clone(),
        require_admins_phishing_resistant: args.require_admins_phishing_resistant,
    })
}
