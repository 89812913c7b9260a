//! `mfa-audit signins`: the six questions of Microsoft's article, answered from sign-in
//! downloads, with per-user counts, the MFA-relevant events normalised, and an optional join
//! with a user export (challenged but unregistered; registered but never challenged).
//!
//! Sign-in downloads are at most 100,000 rows a file; the events of all files are held in
//! memory (AuthDetails files must be read before the sign-ins they complete can be decoded).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::json;

use crate::audit::classify::{Bucket, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::run::{self, EngineOptions, Sink};
use crate::cli::args::SigninsArgs;
use crate::numbers::thousands;
use crate::read::signins::{self, Contents, Event, Step};
use crate::read::{detect, InputSpec, Location};
use crate::report::commit::{check_destinations, Output};
use crate::report::csv::CsvStyle;
use crate::report::html;
use crate::report::table::{self, Table, TableFormat, Value};
use crate::signins::analysis::{event_row, Analysis, EVENT_HEADERS};

pub fn run(args: SigninsArgs) -> Result<ExitCode> {
    run::install_interrupt_handler();
    let mut destinations = Vec::new();
    for (flag, path) in [
        ("--per-user", &args.per_user),
        ("--events", &args.events),
        ("--json", &args.json),
        ("--html", &args.html),
    ] {
        if let Some(p) = path {
            destinations.push((flag, p.as_str()));
        }
    }
    check_destinations(&destinations, &args.inputs)?;
    let forced = args.encoding.as_deref().map(detect::lookup).transpose()?;

    let mut events: Vec<Event> = Vec::new();
    let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
    let mut files = Vec::new();
    for path in &args.inputs {
        match signins::read(path, forced)? {
            Contents::Events(e) => {
                files.push(json!({"path": path, "kind": "sign-ins", "rows": e.len()}));
                events.extend(e);
            }
            Contents::Steps(s) => {
                files.push(json!({"path": path, "kind": "auth-details", "sign_ins": s.len()}));
                steps.extend(s);
            }
        }
    }
    join_steps(&mut events, &steps);

    let mut analysis = Analysis::default();
    let mut events_out = open_table(&args.events, "Events", &EVENT_HEADERS)?;
    for e in &events {
        if !analysis.add(e) {
            continue;
        }
        let outcome = analysis.outcome(e);
        if let Some(t) = events_out.as_mut() {
            if e.mfa_required == Some(true) || outcome.class.is_some() {
                for cell in event_row(e, outcome) {
                    t.cell(Value::Text(&cell))?;
                }
                t.end_row()?;
            }
        }
    }

    let registration = args
        .users
        .as_deref()
        .map(|path| join_users(path, &analysis))
        .transpose()?;

    let mut finished = Vec::new();
    if let Some(t) = events_out {
        finished.push(t.finish()?);
    }
    if let Some(path) = &args.per_user {
        finished.push(write_per_user(path, &analysis, registration.as_ref())?);
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
    for out in finished {
        out.commit()?;
    }
    if !args.quiet {
        eprint!("{}", human(&analysis, registration.as_ref()));
    }
    Ok(ExitCode::SUCCESS)
}

fn open_table(
    path: &Option<String>,
    sheet: &str,
    headers: &[&str],
) -> Result<Option<Box<dyn Table>>> {
    path.as_deref()
        .map(|p| {
            let format = TableFormat::for_path(p, None);
            table::create(
                Output::create(p)?,
                format,
                CsvStyle::default(),
                sheet,
                headers,
            )
        })
        .transpose()
}

/// Completes sign-ins from their AuthDetails steps (joined on Request ID): the MFA step is
/// the last one that is not the password.
fn join_steps(events: &mut [Event], steps: &HashMap<String, Vec<Step>>) {
    if steps.is_empty() {
        return;
    }
    for e in events.iter_mut() {
        let Some(list) = steps.get(&e.request_id) else {
            continue;
        };
        let mfa = list.iter().rev().find(|s| {
            let m = s.method.to_lowercase();
            !m.is_empty() && m != "password"
        });
        if let Some(s) = mfa {
            if e.method.is_empty() {
                e.method = s.method.clone();
            }
            if e.detail.is_empty() {
                e.detail = s.detail.clone();
            }
            if e.result.is_empty() {
                e.result = s.result.clone();
            }
            e.succeeded = e.succeeded.or(s.succeeded);
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
struct Registration {
    path: String,
    /// Challenged in the period but not registered (registration was prompted, or failed).
    challenged_unregistered: Vec<String>,
    /// Registered, able to sign in, and never challenged in the period.
    registered_never_challenged: Vec<String>,
    /// Users of the log that the export does not list.
    not_in_export: u64,
}

fn join_users(path: &str, analysis: &Analysis) -> Result<Registration> {
    let mut users = Registrations::default();
    let options = EngineOptions::default();
    let spec = InputSpec {
        path: path.to_owned(),
    };
    run::run(std::slice::from_ref(&spec), &options, &mut users)
        .with_context(|| format!("--users {path}"))?;
    let mut r = Registration {
        path: path.to_owned(),
        challenged_unregistered: Vec::new(),
        registered_never_challenged: Vec::new(),
        not_in_export: 0,
    };
    for (key, u) in &analysis.users {
        let challenged = u.mfa_required > 0 || u.satisfied + u.denied > 0;
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
                && analysis
                    .users
                    .get(*key)
                    .is_none_or(|u| u.mfa_required == 0 && u.satisfied + u.denied == 0)
        })
        .map(|(_, v)| v)
        .collect();
    never.sort_by(|a, b| a.0.cmp(&b.0));
    r.registered_never_challenged = never.into_iter().map(|v| v.0.clone()).collect();
    Ok(r)
}

fn write_per_user(path: &str, a: &Analysis, reg: Option<&Registration>) -> Result<Output> {
    let headers = [
        "UserPrincipalName",
        "Sign-ins",
        "MFA Required",
        "Satisfied",
        "Denied",
        "Last Denial Reason",
        "Methods Used",
        "First Seen",
        "Last Seen",
        "Registration",
    ];
    let headers = if reg.is_some() {
        &headers[..]
    } else {
        &headers[..9]
    };
    let mut t = open_table(&Some(path.to_owned()), "Users", headers)?.expect("a path was given");
    for u in a.users.values() {
        let methods: Vec<&str> = u.methods.iter().map(String::as_str).collect();
        let mut cells = vec![
            u.upn.clone(),
            u.sign_ins.to_string(),
            u.mfa_required.to_string(),
            u.satisfied.to_string(),
            u.denied.to_string(),
            u.last_denial
                .as_ref()
                .map(|d| d.1.clone())
                .unwrap_or_default(),
            methods.join(", "),
            u.first_seen.clone(),
            u.last_seen.clone(),
        ];
        if let Some(r) = reg {
            let flag = if r.challenged_unregistered.contains(&u.upn) {
                "challenged but unregistered"
            } else {
                ""
            };
            cells.push(flag.to_owned());
        }
        for c in &cells {
            t.cell(Value::Text(c))?;
        }
        t.end_row()?;
    }
    t.finish()
}

fn answers(
    a: &Analysis,
    files: &[serde_json::Value],
    reg: Option<&Registration>,
) -> serde_json::Value {
    let (denied_users, never) = a.users_denied();
    json!({
        "version": env!("CARGO_PKG_VERSION"),
        "inputs": files,
        "sign_ins": a.sign_ins,
        "duplicate_request_ids": a.duplicate_request_ids,
        "challenged": {
            "mfa_required": a.mfa_required,
            "single_factor": a.single_factor,
            "requirement_not_in_log": a.requirement_unknown,
        },
        "completed": {
            "satisfied": a.satisfied,
            "by_method": a.by_method,
            "by_reason": a.by_satisfied_reason,
        },
        "failed": {
            "denied": a.denied,
            "by_reason": a.by_denied_reason,
        },
        "unrecognised_results": a.unrecognised,
        "users_challenged": a.users_challenged(),
        "users_denied": {"count": denied_users, "never_succeeded": never},
        "common_issues": a.issues(),
        "registration": reg,
    })
}

/// The six answers as a page.
fn html_page(a: &Analysis, reg: Option<&Registration>) -> String {
    let pairs = |m: &BTreeMap<&'static str, u64>| -> Vec<(String, u64)> {
        let mut v: Vec<(String, u64)> = m.iter().map(|(k, n)| (k.to_string(), *n)).collect();
        v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        v
    };
    let mut methods: Vec<(String, u64)> =
        a.by_method.iter().map(|(k, n)| (k.clone(), *n)).collect();
    methods.sort_by_key(|m| std::cmp::Reverse(m.1));
    let (denied, never) = a.users_denied();
    let issues: Vec<Vec<String>> = a
        .issues()
        .iter()
        .map(|i| {
            let reasons: Vec<String> = i
                .reasons
                .iter()
                .map(|(r, n)| format!("{r} ({n})"))
                .collect();
            vec![
                i.group.to_owned(),
                i.count.to_string(),
                reasons.join(", "),
                i.action.to_owned(),
            ]
        })
        .collect();
    let mut sections = vec![
        (
            "1. Was each sign-in challenged with MFA?".to_owned(),
            html::bars(
                "Sign-ins",
                &[
                    ("MFA required".to_owned(), a.mfa_required),
                    ("single-factor".to_owned(), a.single_factor),
                    ("not said".to_owned(), a.requirement_unknown),
                ],
                "bar",
            ),
        ),
        (
            format!("2. How was MFA completed? ({} sign-ins)", a.satisfied),
            html::bars("By method", &methods, "bar") + &html::bars("By reason", &pairs(&a.by_satisfied_reason), "bar"),
        ),
        (
            format!("3. Why could it not be completed? ({} sign-ins)", a.denied),
            html::bars("By reason", &pairs(&a.by_denied_reason), "bar"),
        ),
        (
            "4. and 5. Users".to_owned(),
            format!(
                "<p>{} users were challenged; {denied} could not complete MFA at least once, and {never} of them never succeeded in the period.</p>",
                a.users_challenged()
            ),
        ),
        (
            "6. Common issues".to_owned(),
            html::table(&["Kind", "Denials", "Reasons", "What to do"], &issues),
        ),
    ];
    if let Some(r) = reg {
        sections.push((
            format!("Joined with {}", r.path),
            html::table(
                &[
                    "Challenged but unregistered",
                    "Registered, never challenged",
                ],
                &[vec![
                    r.challenged_unregistered.join(", "),
                    r.registered_never_challenged.join(", "),
                ]],
            ),
        ));
    }
    let command: Vec<String> = std::env::args().collect();
    html::simple_page(
        "MFA audit: sign-ins",
        &format!(
            "{} sign-ins ({} repeated Request IDs counted once)",
            a.sign_ins, a.duplicate_request_ids
        ),
        &sections,
        &command.join(" "),
    )
}

fn top(map: &BTreeMap<impl AsRef<str>, u64>, n: usize) -> String {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, c)| (k.as_ref(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .take(n)
        .map(|(k, c)| format!("{k} {}", thousands(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn human(a: &Analysis, reg: Option<&Registration>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} sign-ins ({} repeated Request IDs counted once)\n",
        thousands(a.sign_ins),
        thousands(a.duplicate_request_ids)
    );
    let _ = writeln!(
        s,
        "1. Challenged with MFA: {} required MFA, {} single-factor{}",
        thousands(a.mfa_required),
        thousands(a.single_factor),
        if a.requirement_unknown > 0 {
            format!(", {} not said", thousands(a.requirement_unknown))
        } else {
            String::new()
        }
    );
    let _ = writeln!(s, "2. MFA completed: {} sign-ins", thousands(a.satisfied));
    if !a.by_method.is_empty() {
        let _ = writeln!(s, "   by method: {}", top(&a.by_method, 8));
        let _ = writeln!(s, "   by reason: {}", top(&a.by_satisfied_reason, 8));
    }
    let _ = writeln!(s, "3. MFA denied: {} sign-ins", thousands(a.denied));
    if !a.by_denied_reason.is_empty() {
        let _ = writeln!(s, "   by reason: {}", top(&a.by_denied_reason, 8));
    }
    let _ = writeln!(
        s,
        "4. Users challenged: {}",
        thousands(a.users_challenged())
    );
    let (denied, never) = a.users_denied();
    let _ = writeln!(
        s,
        "5. Users unable to complete MFA: {} (at least one denial); {} of them never succeeded",
        thousands(denied),
        thousands(never)
    );
    let issues = a.issues();
    if issues.is_empty() {
        let _ = writeln!(s, "6. Common issues: none");
    } else {
        let _ = writeln!(s, "6. Common issues:");
        for i in &issues {
            let reasons: Vec<String> = i
                .reasons
                .iter()
                .take(3)
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            let _ = writeln!(
                s,
                "   {} ({}): {}\n     what to do: {}",
                i.group,
                thousands(i.count),
                reasons.join(", "),
                i.action
            );
        }
    }
    if !a.unrecognised.is_empty() {
        let _ = writeln!(
            s,
            "\nUnrecognised MFA results (counted, kept as written): {}",
            top(&a.unrecognised, 10)
        );
    }
    if let Some(r) = reg {
        let _ = writeln!(
            s,
            "\nWith {}: {} challenged users are not registered; {} registered users were never \
             challenged in the period; {} users of the log are not in it",
            r.path,
            r.challenged_unregistered.len(),
            r.registered_never_challenged.len(),
            r.not_in_export
        );
    }
    s
}
