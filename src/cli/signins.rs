//! `mfa-audit signins`: the six questions of Microsoft's article, answered from sign-in
//! downloads, with per-user counts, the MFA-relevant events normalised, and an optional join
//! with a user export (challenged but unregistered; registered but never challenged).
//!
//! Sign-in downloads are at most 100,000 rows a file; the events of all files are held in
//! memory (AuthDetails files must be read before the sign-ins they complete can be decoded).

use std::collections::HashMap;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use crate::audit::run;
use crate::cli::args::SigninsArgs;
use crate::read::signins::{self, Contents, Event, Step};
use crate::read::source::stdin_at_most_once;
use crate::read::{Limits, NextLinkPolicy, ReadOptions, Source};
use crate::report::commit::{Commit, Output};
use crate::report::destinations::check_destinations;
use crate::report::signins::{
    answers, github_output, html_page, human, open_table, write_per_user,
};
use crate::report::table::Value;
use crate::signins::analysis::{event_row, Analysis, EVENT_HEADERS};
use crate::signins::join::{join_steps, join_users, merge_steps};

pub fn run(args: SigninsArgs) -> Result<ExitCode> {
    run::install_interrupt_handler();
    let mut destinations = Vec::new();
    for (flag, path) in [
        ("--per-user", &args.per_user),
        ("--events", &args.events),
        ("--json", &args.json),
        ("--html", &args.html),
        ("--policy-counts", &args.policy_counts),
    ] {
        if let Some(p) = path {
            destinations.push((flag, p.as_str()));
        }
    }
    let step_output = super::github_output(args.github_output)?;
    if let Some((_, name)) = &step_output {
        destinations.push(("GITHUB_OUTPUT", name.as_str()));
    }
    let output_path = step_output.as_ref().map(|(path, _)| path.as_path());
    let mut inputs: Vec<(&str, &str)> = args.inputs.iter().map(|p| ("", p.as_str())).collect();
    inputs.extend(args.users.iter().map(|p| ("--users", p.as_str())));
    check_destinations(&destinations, &inputs)?;
    stdin_at_most_once(inputs.iter().copied())?;
    let read = ReadOptions {
        encoding: args.encoding,
        limits: Limits {
            max_record_bytes: args.max_record_size.saturating_mul(1 << 20),
            max_columns: args.max_columns,
            ..Limits::default()
        },
        // A Graph page among several inputs is one of the run's pages.
        next_link: if args.inputs.len() > 1 {
            NextLinkPolicy::OtherPages
        } else {
            NextLinkPolicy::Refuse
        },
        ..ReadOptions::default()
    };

    let mut events: Vec<Event> = Vec::new();
    let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
    let mut files = Vec::new();
    let mut matched = vec![false; args.column_map.len()];
    for path in &args.inputs {
        match signins::read_with(
            &Source::from_arg(path),
            &read,
            &args.column_map,
            &mut matched,
        )? {
            Contents::Events(e) => {
                files.push(json!({"path": path, "kind": "sign-ins", "rows": e.len()}));
                events.extend(e);
            }
            Contents::Steps(s) => {
                files.push(json!({"path": path, "kind": "auth-details", "sign_ins": s.len()}));
                merge_steps(&mut steps, s);
            }
        }
    }
    unmatched_columns(&args, &matched)?;
    join_steps(&mut events, &steps);

    let mut analysis = Analysis::default();
    let mut headers = EVENT_HEADERS.to_vec();
    headers.extend(crate::report::signins_ca::EVENT_HEADERS);
    let mut events_out = open_table(&args.events, "Events", &headers)?;
    for e in &events {
        if !analysis.add(e) {
            continue;
        }
        let outcome = analysis.outcome(e);
        if let Some(t) = events_out.as_mut() {
            if e.mfa_required == Some(true)
                || outcome.class.is_some()
                || outcome.interrupted.is_some()
            {
                for cell in event_row(e, outcome) {
                    t.cell(Value::Text(&cell))?;
                }
                for cell in crate::report::signins_ca::event_cells(e) {
                    t.cell(Value::Text(&cell))?;
                }
                t.end_row()?;
            }
        }
    }

    let registration = args
        .users
        .as_deref()
        .map(|path| join_users(path, &analysis, &read))
        .transpose()?;

    let mut finished = Vec::new();
    if let Some(t) = events_out {
        finished.push(t.finish()?);
    }
    if let Some(path) = &args.per_user {
        finished.push(write_per_user(path, &analysis, registration.as_ref())?);
    }
    if let Some(path) = &args.policy_counts {
        finished.push(crate::report::signins_ca::write_policies(
            path,
            &analysis.ca,
        )?);
    }
    let doc = answers(&analysis, &files, registration.as_ref());
    if let Some(path) = &args.json {
        finished.push(crate::report::json_output(path, &doc)?);
    }
    if let Some(path) = &args.html {
        let mut out = Output::create(path)?;
        out.write_all(html_page(&analysis, registration.as_ref()).as_bytes())?;
        finished.push(out);
    }
    let mut commit = Commit::new();
    for out in finished {
        commit.add(out);
    }
    if let Some(path) = output_path {
        // The files written, by output name, as the command line named them; standard output
        // is not a path.
        let paths: Vec<(&'static str, String)> = [
            ("per-user", &args.per_user),
            ("events", &args.events),
            ("json", &args.json),
            ("html", &args.html),
            ("policy-counts", &args.policy_counts),
        ]
        .into_iter()
        .filter_map(|(name, p)| Some((name, p.clone()?)))
        .filter(|(_, p)| p != "-")
        .collect();
        github_output(&analysis, &paths, path, &mut commit);
    }
    commit.commit()?;
    if !args.quiet {
        let text = human(&analysis, registration.as_ref());
        eprint!("{}", crate::terminal::layout(&text));
    }
    Ok(ExitCode::SUCCESS)
}

/// A `--column` that named no header of any input is a typo or the wrong file: refused, since
/// the run would otherwise answer from the column it meant to replace.
fn unmatched_columns(args: &SigninsArgs, matched: &[bool]) -> Result<()> {
    let missed: Vec<String> = args
        .column_map
        .iter()
        .zip(matched)
        .filter(|(_, m)| !**m)
        .map(|(o, _)| format!("{}={}", o.role, crate::terminal::quote(&o.header)))
        .collect();
    if !missed.is_empty() {
        anyhow::bail!(
            "--column {}: no input has such a header (CSV downloads only; JSON keys are fixed)\n\
             hint: copy the header from the file's first line",
            missed.join(", --column ")
        );
    }
    Ok(())
}
