//! `mfa-audit diff BEFORE AFTER`: what changed between two audits (typically last run's
//! MFA_Report.csv and today's export): who became registered, lost registration, appeared
//! unregistered, disappeared, was blocked or unblocked, changed MFA Status or methods.
//!
//! Both sides are read by the same readers and classifier as `audit` (any format), and kept in
//! memory as one small record per user: a diff needs both sides whole. Method names are
//! compared through the vocabulary, so `OneWaySMS` before and `mobilePhone` after is no change.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use crate::audit::classify::{Bucket, Methods, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::run::{self, Sink};
use crate::audit::vocab::NameStyle;
use crate::cli::args::DiffArgs;
use crate::read::{InputSpec, Location};
use crate::report::commit::{check_destinations, Output};
use crate::report::csv::CsvStyle;
use crate::report::html;
use crate::report::table::{self, TableFormat, Value};

/// One user as one side of the diff saw them.
#[derive(Debug, Clone)]
struct UserState {
    upn: String,
    bucket: Bucket,
    registered: bool,
    /// `None` when the input has no MFA Status.
    status: Option<String>,
    /// `None` when the names are not in the input.
    methods: Option<Vec<String>>,
}

impl UserState {
    fn registration(&self) -> &'static str {
        match (self.bucket, self.registered) {
            (Bucket::Blocked, _) => "blocked",
            (_, true) => "registered",
            (_, false) => "unregistered",
        }
    }
}

/// All users of one side, in input order.
#[derive(Debug, Default)]
struct Snapshot {
    users: Vec<UserState>,
    by_upn: HashMap<String, usize>,
}

impl Sink for Snapshot {
    fn accept(&mut self, v: &Verdict, _at: Location<'_>, _e: Option<&Exception>) -> Result<()> {
        if v.upn.is_empty() {
            return Ok(());
        }
        let methods = match &v.methods {
            Methods::Names(names) => Some(names.iter().map(|n| n.to_string()).collect()),
            Methods::TwoOrMoreUnnamed | Methods::NotListed => None,
        };
        let status = match v.status {
            crate::audit::classify::Status::NotInInput => None,
            s => Some(s.as_str().to_owned()),
        };
        self.by_upn.insert(v.upn.to_lowercase(), self.users.len());
        self.users.push(UserState {
            upn: v.upn.to_owned(),
            bucket: v.bucket,
            registered: v.registered,
            status,
            methods,
        });
        Ok(())
    }
}

/// One change of one user.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub upn: String,
    pub change: &'static str,
    pub before: String,
    pub after: String,
}

/// Changes that make `--fail-on-regression` fail.
const REGRESSIONS: [&str; 2] = ["lost-registration", "status-down"];

/// Every change kind, in the order the summary lists them.
const KINDS: [&str; 11] = [
    "lost-registration",
    "status-down",
    "appeared-unregistered",
    "became-registered",
    "status-up",
    "status-changed",
    "methods-changed",
    "appeared",
    "disappeared",
    "blocked",
    "unblocked",
];

/// Per-user MFA state, ordered: a move down is a regression.
fn status_rank(s: &str) -> Option<u8> {
    ["disabled", "enabled", "enforced"]
        .iter()
        .position(|k| k.eq_ignore_ascii_case(s))
        .map(|p| p as u8)
}

/// The changes from `before` to `after`: users of `after` in its order, then those that
/// disappeared, in `before`'s order.
fn changes(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |upn: &str, change: &'static str, before: String, after: String| {
        out.push(Change {
            upn: upn.to_owned(),
            change,
            before,
            after,
        })
    };
    for a in &after.users {
        let Some(b) = before
            .by_upn
            .get(&a.upn.to_lowercase())
            .map(|i| &before.users[*i])
        else {
            match (a.bucket, a.registered) {
                (Bucket::Blocked, _) => {}
                (_, false) => push(
                    &a.upn,
                    "appeared-unregistered",
                    String::new(),
                    a.registration().into(),
                ),
                (_, true) => push(&a.upn, "appeared", String::new(), a.registration().into()),
            }
            continue;
        };
        let (was, now) = (b.registration(), a.registration());
        match (was, now) {
            ("blocked", "blocked") => continue,
            (_, "blocked") => push(&a.upn, "blocked", was.into(), now.into()),
            ("blocked", _) => push(&a.upn, "unblocked", was.into(), now.into()),
            ("registered", "unregistered") => {
                push(&a.upn, "lost-registration", was.into(), now.into())
            }
            ("unregistered", "registered") => {
                push(&a.upn, "became-registered", was.into(), now.into())
            }
            _ => {}
        }
        if let (Some(sb), Some(sa)) = (&b.status, &a.status) {
            if !sb.eq_ignore_ascii_case(sa) {
                let kind = match (status_rank(sb), status_rank(sa)) {
                    (Some(x), Some(y)) if y < x => "status-down",
                    (Some(x), Some(y)) if y > x => "status-up",
                    _ => "status-changed",
                };
                push(&a.upn, kind, sb.clone(), sa.clone());
            }
        }
        if let (Some(mb), Some(ma)) = (&b.methods, &a.methods) {
            let key = |n: &String| NameStyle::Canonical.apply(n).to_lowercase();
            let (kb, ka): (Vec<String>, Vec<String>) =
                (mb.iter().map(key).collect(), ma.iter().map(key).collect());
            if kb.iter().any(|k| !ka.contains(k)) || ka.iter().any(|k| !kb.contains(k)) {
                push(&a.upn, "methods-changed", mb.join(", "), ma.join(", "));
            }
        }
    }
    for b in &before.users {
        if !after.by_upn.contains_key(&b.upn.to_lowercase()) {
            push(
                &b.upn,
                "disappeared",
                b.registration().into(),
                String::new(),
            );
        }
    }
    out
}

#[derive(Serialize)]
struct DiffJson<'a> {
    version: &'static str,
    before: &'a str,
    after: &'a str,
    counts: BTreeMap<&'static str, u64>,
    regression: bool,
    passed: bool,
    changes: &'a [Change],
}

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
    check_destinations(&destinations, &[args.before.clone(), args.after.clone()])?;
    let read = super::read_options(&args.read)?;
    let options = super::engine_options(&args.read, read, false)?;
    let mut sides = Vec::new();
    let mut warnings = 0;
    for path in [&args.before, &args.after] {
        let mut snapshot = Snapshot::default();
        let spec = InputSpec { path: path.clone() };
        let outcome = run::run(std::slice::from_ref(&spec), &options, &mut snapshot)?;
        warnings += outcome.warnings.total();
        sides.push(snapshot);
    }
    let changes = changes(&sides[0], &sides[1]);
    let mut counts: BTreeMap<&'static str, u64> = BTreeMap::new();
    for c in &changes {
        *counts.entry(c.change).or_insert(0) += 1;
    }
    let regression = changes.iter().any(|c| REGRESSIONS.contains(&c.change));
    let failed = args.fail_on_regression && regression;

    let mut finished = Vec::new();
    if let Some(path) = &args.output {
        let format = TableFormat::for_path(path, None);
        let headers = ["UserPrincipalName", "Change", "Before", "After"];
        let mut t = table::create(
            Output::create(path)?,
            format,
            CsvStyle::default(),
            "Changes",
            &headers,
        )?;
        for c in &changes {
            for cell in [c.upn.as_str(), c.change, &c.before, &c.after] {
                t.cell(Value::Text(cell))?;
            }
            t.end_row()?;
        }
        finished.push(t.finish()?);
    }
    if let Some(path) = &args.json {
        let doc = DiffJson {
            version: env!("CARGO_PKG_VERSION"),
            before: &args.before,
            after: &args.after,
            counts: counts.clone(),
            regression,
            passed: !failed,
            changes: &changes,
        };
        finished.push(crate::report::json_output(path, &doc)?);
    }
    if let Some(path) = &args.html {
        let counted: Vec<(String, u64)> = KINDS
            .iter()
            .filter_map(|k| counts.get(k).map(|n| (k.to_string(), *n)))
            .collect();
        let rows: Vec<Vec<String>> = changes
            .iter()
            .map(|c| {
                vec![
                    c.upn.clone(),
                    c.change.to_owned(),
                    c.before.clone(),
                    c.after.clone(),
                ]
            })
            .collect();
        let sections = vec![
            (
                "Changes by kind".to_owned(),
                html::bars("Changes", &counted, "bar"),
            ),
            (
                "Every change".to_owned(),
                html::table(&["UserPrincipalName", "Change", "Before", "After"], &rows),
            ),
        ];
        let lead = format!(
            "{} changes from {} to {}{}",
            changes.len(),
            args.before,
            args.after,
            if regression {
                " (someone lost registration or MFA Status went down)"
            } else {
                ""
            }
        );
        let command: Vec<String> = std::env::args().collect();
        let mut out = Output::create(path)?;
        out.write_all(
            html::simple_page("MFA audit: changes", &lead, &sections, &command.join(" "))
                .as_bytes(),
        )?;
        finished.push(out);
    }
    for out in finished {
        out.commit()?;
    }
    if !args.quiet {
        eprint!(
            "{}",
            human(&args, &sides, &changes, &counts, warnings, failed)
        );
    }
    Ok(if failed {
        ExitCode::from(crate::error::EXIT_GATE)
    } else {
        ExitCode::SUCCESS
    })
}

/// Changes listed by name in the human summary, at most.
const SHOWN: usize = 50;

fn human(
    args: &DiffArgs,
    sides: &[Snapshot],
    changes: &[Change],
    counts: &BTreeMap<&'static str, u64>,
    warnings: u64,
    failed: bool,
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({} users) -> {} ({} users): {} changes",
        args.before,
        sides[0].users.len(),
        args.after,
        sides[1].users.len(),
        changes.len()
    );
    for kind in KINDS {
        if let Some(n) = counts.get(kind) {
            let _ = writeln!(s, "  {kind:<22}{n:>8}");
        }
    }
    for c in changes.iter().take(SHOWN) {
        let arrow = match (c.before.is_empty(), c.after.is_empty()) {
            (true, _) => c.after.clone(),
            (_, true) => c.before.clone(),
            _ => format!("{} -> {}", c.before, c.after),
        };
        let _ = writeln!(s, "  {}: {} ({arrow})", c.upn, c.change);
    }
    if changes.len() > SHOWN {
        let _ = writeln!(
            s,
            "  ... and {} more (all are in -o and --json)",
            changes.len() - SHOWN
        );
    }
    if warnings > 0 {
        let _ = writeln!(
            s,
            "{warnings} warnings while reading (run audit on each side to see them)"
        );
    }
    if failed {
        let _ = writeln!(s, "FAILED --fail-on-regression: someone lost registration or MFA Status went down (exit code 1)");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (UPN, bucket, registered, MFA Status, methods)
    type User<'a> = (
        &'a str,
        Bucket,
        bool,
        Option<&'a str>,
        Option<&'a [&'a str]>,
    );

    fn snap(users: &[User]) -> Snapshot {
        let mut s = Snapshot::default();
        for (upn, bucket, registered, status, methods) in users {
            s.by_upn.insert(upn.to_lowercase(), s.users.len());
            s.users.push(UserState {
                upn: (*upn).into(),
                bucket: *bucket,
                registered: *registered,
                status: status.map(Into::into),
                methods: methods.map(|m| m.iter().map(|x| x.to_string()).collect()),
            });
        }
        s
    }

    #[test]
    fn every_change_kind() {
        use Bucket::*;
        let before = snap(&[
            (
                "lost@x",
                Registered,
                true,
                Some("Enforced"),
                Some(&["OneWaySMS"]),
            ),
            ("gained@x", Unregistered, false, Some("Disabled"), Some(&[])),
            (
                "gone@x",
                Registered,
                true,
                Some("Disabled"),
                Some(&["fido2"]),
            ),
            ("block@x", Registered, true, Some("Disabled"), None),
            ("unblock@x", Blocked, false, Some("Disabled"), None),
            (
                "same@x",
                Registered,
                true,
                Some("Enabled"),
                Some(&["OneWaySMS", "PhoneAppOTP"]),
            ),
            ("keys@x", Registered, true, None, Some(&["mobilePhone"])),
        ]);
        let after = snap(&[
            ("LOST@x", Unregistered, false, Some("Enabled"), Some(&[])),
            (
                "gained@x",
                Registered,
                true,
                Some("Enforced"),
                Some(&["fido2"]),
            ),
            ("block@x", Blocked, true, Some("Disabled"), None),
            ("unblock@x", Unregistered, false, Some("Disabled"), None),
            (
                "same@x",
                Registered,
                true,
                Some("ENABLED"),
                Some(&["mobilePhone", "softwareOneTimePasscode"]),
            ),
            (
                "keys@x",
                Registered,
                true,
                Some("Enforced"),
                Some(&["mobilePhone", "passKeySynced"]),
            ),
            ("new@x", Unregistered, false, None, Some(&[])),
            ("newreg@x", Registered, true, None, Some(&["fido2"])),
            ("newblocked@x", Blocked, false, None, None),
        ]);
        let got: Vec<(String, &str)> = changes(&before, &after)
            .into_iter()
            .map(|c| (c.upn, c.change))
            .collect();
        let want: Vec<(String, &str)> = [
            ("LOST@x", "lost-registration"),
            ("LOST@x", "status-down"),
            ("LOST@x", "methods-changed"),
            ("gained@x", "became-registered"),
            ("gained@x", "status-up"),
            ("gained@x", "methods-changed"),
            ("block@x", "blocked"),
            ("unblock@x", "unblocked"),
            // SMS + app OTP before, their Graph names after: no change.
            ("keys@x", "methods-changed"),
            ("new@x", "appeared-unregistered"),
            ("newreg@x", "appeared"),
            ("gone@x", "disappeared"),
        ]
        .into_iter()
        .map(|(u, c)| (u.to_owned(), c))
        .collect();
        assert_eq!(got, want);
    }
}
