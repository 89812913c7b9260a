//! The outputs of `mfa-audit signins`: the six answers as JSON, an HTML page and the human
//! summary; per-user counts and the MFA-relevant events as tables (CSV or workbook).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde_json::json;

use crate::numbers::{sign_ins, thousands, users};
use crate::report::commit::Output;
use crate::report::csv::CsvStyle;
use crate::report::html;
use crate::report::table::{self, Table, TableFormat, Value};
use crate::signins::analysis::Analysis;
use crate::signins::join::Registration;

/// A table output at `path` when one was asked for, not yet committed.
pub fn open_table(
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

/// Per-user counts at `path` (CSV, or a workbook), not yet committed.
pub fn write_per_user(path: &str, a: &Analysis, reg: Option<&Registration>) -> Result<Output> {
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
        // Added after the first columns, so that what reads them by position still works.
        "Interrupted",
        "Registration",
    ];
    let mut headers = if reg.is_some() {
        headers.to_vec()
    } else {
        headers[..10].to_vec()
    };
    headers.extend(super::signins_ca::USER_HEADERS);
    let mut t = open_table(&Some(path.to_owned()), "Users", &headers)?.expect("a path was given");
    for (key, u) in &a.users {
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
            u.interrupted.to_string(),
        ];
        if let Some(r) = reg {
            let flag = if r.challenged_unregistered.contains(&u.upn) {
                "challenged but unregistered"
            } else {
                ""
            };
            cells.push(flag.to_owned());
        }
        cells.extend(super::signins_ca::user_cells(&a.ca, key));
        for c in &cells {
            t.cell(Value::Text(c))?;
        }
        t.end_row()?;
    }
    t.finish()
}

/// The six answers as JSON.
pub fn answers(
    a: &Analysis,
    files: &[serde_json::Value],
    reg: Option<&Registration>,
) -> serde_json::Value {
    let (denied_users, never) = a.users_denied();
    let (conditional_access, by_kind) = super::signins_ca::json(&a.ca);
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
        "interrupted": {
            "sign_ins": a.interrupted,
            "users": a.users_interrupted(),
            "by_error_code": a.by_interrupt_code,
        },
        "no_mfa_result": {
            "sign_ins": a.no_result,
            "users": a.no_result_users.len(),
            "by_error_code": a.by_no_result_code,
        },
        "no_user": a.no_user,
        "warnings": a.warnings(),
        "unrecognised_results": a.unrecognised,
        "users_challenged": a.users_challenged(),
        "users_denied": {"count": denied_users, "never_succeeded": never},
        "common_issues": a.issues(),
        "registration": reg,
        "conditional_access": conditional_access,
        "by_kind": by_kind,
    })
}

/// Adds the step outputs of a `signins` run to its commit, appended to `path`
/// (`$GITHUB_OUTPUT`) with the other outputs, so a failed run sets none: the answers' counts as
/// the JSON gives them, then the paths written (always in the heredoc form: a path can hold
/// anything), through the same escaper as `audit --github-output`.
pub fn github_output(
    a: &Analysis,
    paths: &[(&'static str, String)],
    path: &std::path::Path,
    commit: &mut crate::report::commit::Commit,
) {
    use crate::report::escape::{github_output as line, OutputValue};
    let mut random = crate::report::ci::random_hex;
    let (denied_users, never) = a.users_denied();
    let mut text = String::new();
    for (name, n) in [
        ("sign-ins", a.sign_ins),
        ("mfa-required", a.mfa_required),
        ("single-factor", a.single_factor),
        ("satisfied", a.satisfied),
        ("denied", a.denied),
        ("interrupted", a.interrupted),
        ("no-mfa-result", a.no_result),
        ("users-challenged", a.users_challenged()),
        ("users-denied", denied_users),
        ("users-never-succeeded", never),
        ("no-user", a.no_user),
    ] {
        text.push_str(&line(name, OutputValue::Word(&n.to_string()), &mut random));
    }
    for (name, p) in paths {
        text.push_str(&line(name, OutputValue::Text(p), &mut random));
    }
    commit.append(path, text.into_bytes());
}

/// The six answers as a page.
pub fn html_page(a: &Analysis, reg: Option<&Registration>) -> String {
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
            format!("2. How was MFA completed? ({})", sign_ins(a.satisfied)),
            html::bars("By method", &methods, "bar") + &html::bars("By reason", &pairs(&a.by_satisfied_reason), "bar"),
        ),
        (
            format!("3. Why could it not be completed? ({})", sign_ins(a.denied)),
            html::bars("By reason", &pairs(&a.by_denied_reason), "bar"),
        ),
        (
            format!(
                "Interrupted: prompted for MFA, not completed ({}, {})",
                sign_ins(a.interrupted),
                users(a.users_interrupted())
            ),
            html::bars(
                "By error code",
                &a.by_interrupt_code
                    .iter()
                    .map(|(k, n)| (k.clone(), *n))
                    .collect::<Vec<_>>(),
                "bar",
            ),
        ),
        (
            format!(
                "MFA required, no MFA result in the log ({}, {})",
                sign_ins(a.no_result),
                users(a.no_result_users.len() as u64)
            ),
            html::bars(
                "By error code",
                &a.by_no_result_code
                    .iter()
                    .map(|(k, n)| (k.clone(), *n))
                    .collect::<Vec<_>>(),
                "bar",
            ),
        ),
        (
            "4. and 5. Users".to_owned(),
            format!(
                "<p>Challenged: {}; {denied} could not complete MFA at least once, and {never} of them never succeeded in the period.</p>",
                users(a.users_challenged())
            ),
        ),
        (
            "6. Common issues".to_owned(),
            html::table(&["Kind", "Denials", "Reasons", "What to do"], &issues),
        ),
    ];
    sections.extend(super::signins_ca::html_sections(&a.ca));
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
    if a.no_user > 0 || a.no_result > 0 {
        let warnings: Vec<Vec<String>> = a.warnings().into_iter().map(|w| vec![w]).collect();
        sections.insert(
            0,
            ("Warnings".to_owned(), html::table(&["Warning"], &warnings)),
        );
    }
    let command = html::this_command_line();
    html::simple_page(
        "MFA audit: sign-ins",
        &format!(
            "{} sign-ins ({} repeated Request IDs counted once)",
            a.sign_ins, a.duplicate_request_ids
        ),
        &sections,
        &command,
    )
}

fn top(map: &BTreeMap<impl AsRef<str>, u64>, n: usize) -> String {
    let mut v: Vec<(&str, u64)> = map.iter().map(|(k, c)| (k.as_ref(), *c)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.iter()
        .take(n)
        .map(|(k, c)| format!("{} {}", crate::terminal::text(k), thousands(*c)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The human summary on standard error.
pub fn human(a: &Analysis, reg: Option<&Registration>) -> String {
    let mut s = String::new();
    for w in a.warnings() {
        let _ = writeln!(s, "WARNING: {w}");
    }
    let _ = writeln!(
        s,
        "{} ({} repeated Request IDs counted once)\n",
        sign_ins(a.sign_ins),
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
    let _ = writeln!(s, "2. MFA completed: {}", sign_ins(a.satisfied));
    if !a.by_method.is_empty() {
        let _ = writeln!(s, "   by method: {}", top(&a.by_method, 8));
        let _ = writeln!(s, "   by reason: {}", top(&a.by_satisfied_reason, 8));
    }
    let _ = writeln!(s, "3. MFA denied: {}", sign_ins(a.denied));
    if !a.by_denied_reason.is_empty() {
        let _ = writeln!(s, "   by reason: {}", top(&a.by_denied_reason, 8));
    }
    if a.interrupted > 0 {
        let _ = writeln!(
            s,
            "   Interrupted (prompted for MFA, not completed; neither satisfied nor denied): \
             {}, {}",
            sign_ins(a.interrupted),
            users(a.users_interrupted())
        );
        let _ = writeln!(s, "   by error code: {}", top(&a.by_interrupt_code, 8));
    }
    if a.no_result > 0 {
        let _ = writeln!(
            s,
            "   No MFA result in the log (MFA required; no MFA step, no denial, not \
             interrupted): {}, {}",
            sign_ins(a.no_result),
            users(a.no_result_users.len() as u64)
        );
        let _ = writeln!(s, "   by error code: {}", top(&a.by_no_result_code, 8));
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
    s.push_str(&super::signins_ca::human(&a.ca));
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
            "\nWith {}: challenged but not registered: {}; registered but never challenged \
             in the period: {}; in the log but not in the export: {}",
            crate::terminal::text(&r.path),
            users(r.challenged_unregistered.len() as u64),
            users(r.registered_never_challenged.len() as u64),
            users(r.not_in_export)
        );
    }
    s
}
