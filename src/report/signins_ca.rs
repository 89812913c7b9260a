//! The Conditional Access section of `mfa-audit signins` in every medium: JSON, the human
//! summary, the HTML page and the per-policy table (`--policy-counts`, CSV or workbook).
//!
//! Enforced and report-only results stay in separate columns and lines everywhere: "which
//! policies enforced MFA" and "which only would have" are different answers, and a reader
//! adding them up would overstate enforcement.

use std::fmt::Write as _;

use anyhow::Result;
use serde_json::{json, Map, Value as Json};

use crate::numbers::{sign_ins, thousands};
use crate::read::conditional_access::{CaStatus, PolicyResult};
use crate::read::signins::Event;
use crate::report::commit::Output;
use crate::report::html;
use crate::report::signins::open_table;
use crate::report::table::Value;
use crate::signins::policies::{Evidence, Kind, PolicyStats};
use crate::terminal::quote;

/// Where per-policy results come from, for the message shown when a log lacks them.
pub const PER_POLICY_HINT: &str = "per-policy results come only from the JSON download or \
Graph (Sign-in logs > Download > JSON, or Get-MgAuditLogSignIn), read with the right to see \
Conditional Access data (Security Reader, or Policy.Read.ConditionalAccess); the CSV holds the \
overall Conditional Access column only";

fn policy_name(p: &PolicyStats) -> &str {
    if p.name.is_empty() {
        &p.id
    } else {
        &p.name
    }
}

fn results_json(p: &PolicyStats) -> Map<String, Json> {
    PolicyResult::ALL
        .iter()
        .map(|r| (r.name().to_owned(), json!(p.count(*r))))
        .collect()
}

/// The section as JSON: `conditional_access` and `by_kind`.
pub fn json(ev: &Evidence) -> (Json, Json) {
    let policies: Vec<Json> = ev
        .sorted_policies()
        .into_iter()
        .map(|p| {
            json!({
                "id": p.id,
                "display_name": p.name,
                "requires_mfa": p.requires_mfa,
                "grant_controls": p.grant_controls,
                "sign_ins": results_json(p),
                "enforced": p.enforced(),
                "report_only": p.report_only(),
                "users_enforced": p.users_enforced.len(),
                "users_report_only": p.users_report_only.len(),
                "unrecognised_results": p.unrecognised,
            })
        })
        .collect();
    let names = |f: &dyn Fn(&PolicyStats) -> bool| -> Vec<String> {
        ev.sorted_policies()
            .into_iter()
            .filter(|p| p.requires_mfa && f(p))
            .map(|p| policy_name(p).to_owned())
            .collect()
    };
    let ca = json!({
        "status": {
            "success": ev.status_count(Some(&CaStatus::Success)),
            "failure": ev.status_count(Some(&CaStatus::Failure)),
            "not_applied": ev.status_count(Some(&CaStatus::NotApplied)),
            "not_in_log": ev.status_count(None),
            "unrecognised": ev.unrecognised_status(),
        },
        "sign_ins_with_policy_details": ev.with_policy_details,
        "sign_ins_without_policy_details": ev.without_policy_details,
        "mfa_enforced_by": names(&|p| p.enforced() > 0),
        "mfa_report_only_in": names(&|p| p.report_only() > 0),
        "policies": policies,
    });
    let kinds: Map<String, Json> = Kind::ALL
        .iter()
        .map(|k| {
            let s = ev.kind(*k);
            (
                k.key().to_owned(),
                json!({
                    "sign_ins": s.sign_ins,
                    "mfa_required": s.mfa_required,
                    "satisfied": s.satisfied,
                    "denied": s.denied,
                }),
            )
        })
        .collect();
    (ca, Json::Object(kinds))
}

/// "3 success, 1 failure": the non-zero results among `which`, in Graph's words.
fn results_text(p: &PolicyStats, which: impl Fn(PolicyResult) -> bool) -> String {
    PolicyResult::ALL
        .iter()
        .filter(|r| which(**r) && p.count(**r) > 0)
        .map(|r| format!("{} {}", thousands(p.count(*r)), r.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The section of the human summary.
pub fn human(ev: &Evidence) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "\nConditional Access (per sign-in): {} success, {} failure, {} not applied, {} not in the log",
        thousands(ev.status_count(Some(&CaStatus::Success))),
        thousands(ev.status_count(Some(&CaStatus::Failure))),
        thousands(ev.status_count(Some(&CaStatus::NotApplied))),
        thousands(ev.status_count(None)),
    );
    for (text, n) in ev.unrecognised_status() {
        let _ = write!(s, ", {} {}", thousands(n), quote(&text));
    }
    s.push('\n');
    if ev.without_policy_details > 0 {
        let _ = writeln!(
            s,
            "   {} sign-ins without policy details: {PER_POLICY_HINT}",
            thousands(ev.without_policy_details)
        );
    }
    let policies = ev.sorted_policies();
    let mut section = |title: &str, list: Vec<String>| {
        if !list.is_empty() {
            let _ = writeln!(s, "   {title}:");
            for line in list {
                let _ = writeln!(s, "     {line}");
            }
        }
    };
    let line = |p: &PolicyStats, n: u64, users: usize, which: &dyn Fn(PolicyResult) -> bool| {
        format!(
            "{}: {} ({}), {}",
            quote(policy_name(p)),
            sign_ins(n),
            results_text(p, which),
            crate::numbers::users(users as u64)
        )
    };
    section(
        "MFA enforced by",
        policies
            .iter()
            .filter(|p| p.requires_mfa && p.enforced() > 0)
            .map(|p| line(p, p.enforced(), p.users_enforced.len(), &|r| r.enforced()))
            .collect(),
    );
    section(
        "MFA only in report-only mode (would have required it, not enforced)",
        policies
            .iter()
            .filter(|p| p.requires_mfa && p.report_only() > 0)
            .map(|p| {
                line(p, p.report_only(), p.users_report_only.len(), &|r| {
                    r.would_have_applied()
                })
            })
            .collect(),
    );
    section(
        "Other controls (no MFA in their grant)",
        policies
            .iter()
            .filter(|p| !p.requires_mfa && p.enforced() + p.report_only() > 0)
            .map(|p| {
                format!(
                    "{} ({}): {} sign-ins enforced, {} report-only",
                    quote(policy_name(p)),
                    p.grant_controls
                        .iter()
                        .map(|c| crate::terminal::text(c).into_owned())
                        .collect::<Vec<_>>()
                        .join(", "),
                    thousands(p.enforced()),
                    thousands(p.report_only())
                )
            })
            .collect(),
    );
    let unknown: u64 = policies
        .iter()
        .map(|p| p.count(PolicyResult::Unknown))
        .sum();
    if unknown > 0 {
        let _ = writeln!(
            s,
            "   {} policy results the log does not say (unknown or unrecognised): counted apart",
            thousands(unknown)
        );
    }
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .filter(|k| ev.kind(**k).sign_ins > 0)
        .map(|k| {
            let st = ev.kind(*k);
            format!(
                "{} {}: {} MFA required, {} satisfied, {} denied",
                match k {
                    Kind::Interactive => "interactive",
                    Kind::NonInteractive => "non-interactive",
                    Kind::NotSaid => "interactive or not, not said by the file,",
                },
                sign_ins(st.sign_ins),
                thousands(st.mfa_required),
                thousands(st.satisfied),
                thousands(st.denied)
            )
        })
        .collect();
    if !kinds.is_empty() {
        let _ = writeln!(s, "By kind: {}", kinds.join("; "));
    }
    s
}

/// The section of the HTML page.
pub fn html_sections(ev: &Evidence) -> Vec<(String, String)> {
    let mut body = html::bars(
        "Sign-ins by overall Conditional Access status",
        &[
            ("success".into(), ev.status_count(Some(&CaStatus::Success))),
            ("failure".into(), ev.status_count(Some(&CaStatus::Failure))),
            (
                "not applied".into(),
                ev.status_count(Some(&CaStatus::NotApplied)),
            ),
            ("not in the log".into(), ev.status_count(None)),
        ],
        "bar",
    );
    if ev.without_policy_details > 0 {
        let _ = write!(
            body,
            "<p>{} sign-ins without policy details: {}.</p>",
            ev.without_policy_details,
            crate::report::escape::html(PER_POLICY_HINT)
        );
    }
    body += &html::table(&POLICY_HEADERS, &policy_rows(ev));
    let kinds: Vec<Vec<String>> = Kind::ALL
        .iter()
        .map(|k| {
            let st = ev.kind(*k);
            vec![
                k.key().replace('_', "-"),
                st.sign_ins.to_string(),
                st.mfa_required.to_string(),
                st.satisfied.to_string(),
                st.denied.to_string(),
            ]
        })
        .collect();
    vec![
        (
            "Conditional Access: enforced and report-only".to_owned(),
            body,
        ),
        (
            "Interactive and non-interactive sign-ins".to_owned(),
            html::table(
                &["Kind", "Sign-ins", "MFA required", "Satisfied", "Denied"],
                &kinds,
            ),
        ),
    ]
}

/// Headers of the per-policy table (`--policy-counts` and the page).
pub const POLICY_HEADERS: [&str; 17] = [
    "Policy ID",
    "Policy Name",
    "Requires MFA",
    "Grant Controls",
    "Enforced Sign-ins",
    "Enforced Users",
    "Report-only Sign-ins",
    "Report-only Users",
    "success",
    "failure",
    "notApplied",
    "notEnabled",
    "reportOnlySuccess",
    "reportOnlyFailure",
    "reportOnlyNotApplied",
    "reportOnlyInterrupted",
    "unknown",
];

fn policy_rows(ev: &Evidence) -> Vec<Vec<String>> {
    ev.sorted_policies()
        .into_iter()
        .map(|p| {
            let mut row = vec![
                p.id.clone(),
                p.name.clone(),
                if p.requires_mfa { "True" } else { "False" }.to_owned(),
                p.grant_controls
                    .iter()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
                p.enforced().to_string(),
                p.users_enforced.len().to_string(),
                p.report_only().to_string(),
                p.users_report_only.len().to_string(),
            ];
            row.extend(PolicyResult::ALL.iter().map(|r| p.count(*r).to_string()));
            row
        })
        .collect()
}

/// The per-policy table at `path` (CSV, or a workbook), not yet committed.
pub fn write_policies(path: &str, ev: &Evidence) -> Result<Output> {
    let mut t =
        open_table(&Some(path.to_owned()), "Policies", &POLICY_HEADERS)?.expect("a path was given");
    for row in policy_rows(ev) {
        for c in &row {
            t.cell(Value::Text(c))?;
        }
        t.end_row()?;
    }
    t.finish()
}

/// Columns the per-user table gains: each user's sign-ins by kind.
pub const USER_HEADERS: [&str; 2] = ["Interactive Sign-ins", "Non-interactive Sign-ins"];

/// The cells of [`USER_HEADERS`] for the user `key` (lower-cased UPN); empty where no file
/// said which kind its sign-ins were.
pub fn user_cells(ev: &Evidence, key: &str) -> [String; 2] {
    let said = ev.user_kind(key, Kind::NotSaid) == 0;
    let cell = |k| {
        if said {
            ev.user_kind(key, k).to_string()
        } else {
            String::new()
        }
    };
    [cell(Kind::Interactive), cell(Kind::NonInteractive)]
}

/// Columns the events table gains.
pub const EVENT_HEADERS: [&str; 4] = [
    "Interactive",
    "Conditional Access",
    "MFA Policies Enforced",
    "MFA Policies Report-only",
];

/// The cells of [`EVENT_HEADERS`] for one sign-in: the MFA-requiring policies (by name) that
/// were enforced on it, and those that only reported.
pub fn event_cells(e: &Event) -> [String; 4] {
    let names = |f: fn(PolicyResult) -> bool| -> String {
        e.policies
            .iter()
            .flatten()
            .filter(|p| p.requires_mfa && f(p.result))
            .map(|p| {
                format!(
                    "{} ({})",
                    if p.name.is_empty() { &p.id } else { &p.name },
                    p.result.name()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    [
        match e.interactive {
            Some(true) => "True".into(),
            Some(false) => "False".into(),
            None => String::new(),
        },
        match &e.ca_status {
            Some(CaStatus::Success) => "Success".into(),
            Some(CaStatus::Failure) => "Failure".into(),
            Some(CaStatus::NotApplied) => "Not Applied".into(),
            Some(CaStatus::Other(t)) => t.clone(),
            None => String::new(),
        },
        names(PolicyResult::enforced),
        names(PolicyResult::would_have_applied),
    ]
}
