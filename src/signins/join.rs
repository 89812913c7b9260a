//! Joins around the sign-in analysis: sign-ins completed from their AuthDetails steps (by
//! Request ID), and the analysed users joined with a user export, read by the audit's own
//! readers and classifier (challenged but unregistered; registered but never challenged).

use std::collections::HashMap;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::audit::classify::{Bucket, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::run::{self, EngineOptions, Sink};
use crate::read::signin_steps::{choose, is_first_factor_text, StepEvidence};
use crate::read::signins::{Event, Step};
use crate::read::{InputSpec, Location, ReadOptions};
use crate::signins::analysis::Analysis;

/// Completes sign-ins from their AuthDetails steps (joined on Request ID). The MFA step is
/// chosen by each step's Requirement column (see `read::signin_steps`): a first-factor claim
/// or a password is never taken for it, and a sign-in whose steps hold no MFA step has no
/// MFA result unless its own MFA result column states one.
pub fn join_steps(events: &mut [Event], steps: &HashMap<String, Vec<Step>>) {
    if steps.is_empty() {
        return;
    }
    for e in events.iter_mut() {
        let Some(list) = steps.get(&e.request_id) else {
            continue;
        };
        let (evidence, chosen) = choose(list, e.mfa_required);
        // The sign-in's own MFA result column is evidence too: steps that hold no MFA step
        // beside a row that states an MFA result (not a first-factor claim) leave the row's
        // own columns to speak, rather than erasing what the row says.
        let own_result = !e.result.is_empty() && !is_first_factor_text(&e.result);
        if evidence == StepEvidence::NoMfaStep && own_result {
            continue;
        }
        e.steps = evidence;
        let Some(s) = chosen.map(|i| &list[i]) else {
            continue;
        };
        if e.method.is_empty() {
            e.method = s.method.clone();
        }
        if e.detail.is_empty() {
            e.detail = s.detail.clone();
        }
        if e.result.is_empty() || is_first_factor_text(&e.result) {
            e.result = s.result.clone();
        }
        e.succeeded = e.succeeded.or(s.succeeded);
    }
}

/// Adds one AuthDetails file's steps to those read so far. Overlapping daily downloads list
/// the same steps of a Request ID in two files: a repeated step is one step, not a second
/// attempt, and a sign-in split across two files keeps the steps of both.
pub fn merge_steps(into: &mut HashMap<String, Vec<Step>>, from: HashMap<String, Vec<Step>>) {
    for (id, list) in from {
        let have = into.entry(id).or_default();
        for s in list {
            let same = |o: &Step| {
                o.method == s.method
                    && o.detail == s.detail
                    && o.succeeded == s.succeeded
                    && o.result == s.result
                    && o.requirement == s.requirement
            };
            if !have.iter().any(same) {
                have.push(s);
            }
        }
    }
}

/// A user export's verdicts, by lower-cased UPN.
#[derive(Default)]
struct Registrations(HashMap<String, (String, Bucket, bool)>);

impl Sink for Registrations {
    fn accept(&mut self, v: &Verdict, _at: Location<'_>, _e: Option<&Exception>) -> Result<()> {
        self.0.insert(
            v.upn.to_lowercase(),
            (v.upn.to_owned(), v.bucket, v.registered),
        );
        Ok(())
    }
}

/// The join with a user export.
#[derive(Debug, Serialize)]
pub struct Registration {
    pub path: String,
    /// Challenged in the period but not registered (registration was prompted, or failed).
    pub challenged_unregistered: Vec<String>,
    /// Registered, able to sign in, and never challenged in the period.
    pub registered_never_challenged: Vec<String>,
    /// Users of the log that the export does not list.
    pub not_in_export: u64,
}

/// Joins the user export at `path` (`-` is standard input), read with `read`'s encoding and
/// caps.
pub fn join_users(path: &str, analysis: &Analysis, read: &ReadOptions) -> Result<Registration> {
    let mut users = Registrations::default();
    let options = EngineOptions {
        read: read.clone(),
        ..EngineOptions::default()
    };
    let spec = InputSpec::from_arg(path);
    run::run(std::slice::from_ref(&spec), &options, &mut users)
        .with_context(|| format!("--users {path}"))?;
    let mut r = Registration {
        path: path.to_owned(),
        challenged_unregistered: Vec::new(),
        registered_never_challenged: Vec::new(),
        not_in_export: 0,
    };
    for (key, u) in &analysis.users {
        let challenged = u.mfa_required > 0 || u.satisfied + u.denied + u.interrupted > 0;
        match users.0.get(key) {
            Some((_, Bucket::Unregistered, _)) if challenged => {
                r.challenged_unregistered.push(u.upn.clone())
            }
            Some(_) => {}
            None => r.not_in_export += 1,
        }
    }
    let mut never: Vec<&(String, Bucket, bool)> = users
        .0
        .iter()
        .filter(|(key, (_, bucket, _))| {
            *bucket == Bucket::Registered
                && analysis.users.get(*key).is_none_or(|u| {
                    u.mfa_required == 0 && u.satisfied + u.denied + u.interrupted == 0
                })
        })
        .map(|(_, v)| v)
        .collect();
    never.sort_by(|a, b| a.0.cmp(&b.0));
    r.registered_never_challenged = never.into_iter().map(|v| v.0.clone()).collect();
    Ok(r)
}
