//! What changed between two audits (typically last run's MFA_Report.csv and today's export):
//! who became registered, lost registration, appeared unregistered, disappeared, was blocked or
//! unblocked, changed MFA Status or methods.
//!
//! Both sides are read by the same readers and classifier as `audit` (any format) into a
//! [`Snapshot`], one small record per user: a diff needs both sides whole. Method names are
//! compared through the vocabulary, so `OneWaySMS` before and `mobilePhone` after is no change.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use serde::Serialize;

use crate::audit::classify::{Bucket, Methods, Status, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::run::Sink;
use crate::audit::vocab::NameStyle;
use crate::read::Location;

/// One user as one side of the diff saw them.
#[derive(Debug, Clone)]
pub struct UserState {
    pub upn: String,
    pub bucket: Bucket,
    pub registered: bool,
    /// `None` when the input has no MFA Status.
    pub status: Option<String>,
    /// `None` when the names are not in the input.
    pub methods: Option<Vec<String>>,
}

impl UserState {
    /// The user's state as the changes name it: `blocked`, `unknown` (sign-in state
    /// unreadable), `registered` or `unregistered`.
    pub fn registration(&self) -> &'static str {
        match (self.bucket, self.registered) {
            (Bucket::Blocked, _) => "blocked",
            (Bucket::Unknown, _) => "unknown",
            (_, true) => "registered",
            (_, false) => "unregistered",
        }
    }
}

/// `registered` or `unregistered`, whatever the sign-in state.
fn registered_name(registered: bool) -> &'static str {
    if registered {
        "registered"
    } else {
        "unregistered"
    }
}

/// All users of one side, in input order.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub users: Vec<UserState>,
    pub by_upn: HashMap<String, usize>,
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
            Status::NotInInput => None,
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

/// The kinds of change, in the order the summary lists them (regressions first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    LostRegistration,
    StatusDown,
    AppearedUnregistered,
    BecameRegistered,
    StatusUp,
    StatusChanged,
    MethodsChanged,
    Appeared,
    Disappeared,
    Blocked,
    Unblocked,
    /// The sign-in state became unreadable: the user is in neither list now.
    BecameUnknown,
    /// The sign-in state is readable again.
    NoLongerUnknown,
    /// A new user whose sign-in state is unreadable.
    AppearedUnknown,
}

impl ChangeKind {
    /// Every kind, in the order the summary lists them.
    pub const ALL: [ChangeKind; 14] = [
        ChangeKind::LostRegistration,
        ChangeKind::StatusDown,
        ChangeKind::AppearedUnregistered,
        ChangeKind::BecameRegistered,
        ChangeKind::StatusUp,
        ChangeKind::StatusChanged,
        ChangeKind::MethodsChanged,
        ChangeKind::Appeared,
        ChangeKind::Disappeared,
        ChangeKind::Blocked,
        ChangeKind::Unblocked,
        ChangeKind::BecameUnknown,
        ChangeKind::NoLongerUnknown,
        ChangeKind::AppearedUnknown,
    ];

    /// The name in every output: `lost-registration`, `status-down`, ...
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::LostRegistration => "lost-registration",
            ChangeKind::StatusDown => "status-down",
            ChangeKind::AppearedUnregistered => "appeared-unregistered",
            ChangeKind::BecameRegistered => "became-registered",
            ChangeKind::StatusUp => "status-up",
            ChangeKind::StatusChanged => "status-changed",
            ChangeKind::MethodsChanged => "methods-changed",
            ChangeKind::Appeared => "appeared",
            ChangeKind::Disappeared => "disappeared",
            ChangeKind::Blocked => "blocked",
            ChangeKind::Unblocked => "unblocked",
            ChangeKind::BecameUnknown => "became-unknown",
            ChangeKind::NoLongerUnknown => "no-longer-unknown",
            ChangeKind::AppearedUnknown => "appeared-unknown",
        }
    }

    /// Changes that make `--fail-on-regression` fail.
    pub fn is_regression(self) -> bool {
        matches!(self, ChangeKind::LostRegistration | ChangeKind::StatusDown)
    }
}

/// One change of one user.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Change {
    pub upn: String,
    pub change: ChangeKind,
    pub before: String,
    pub after: String,
}

/// How many changes of each kind, by name (sorted by name, as the JSON shows them).
pub fn counts(changes: &[Change]) -> BTreeMap<&'static str, u64> {
    let mut counts = BTreeMap::new();
    for c in changes {
        *counts.entry(c.change.name()).or_insert(0) += 1;
    }
    counts
}

/// Per-user MFA state, ordered: a move down is a regression.
fn status_rank(s: &str) -> Option<u8> {
    ["disabled", "enabled", "enforced"]
        .iter()
        .position(|k| k.eq_ignore_ascii_case(s))
        .map(|p| p as u8)
}

/// The changes from `before` to `after`: users of `after` in its order, then those that
/// disappeared, in `before`'s order.
pub fn changes(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    let mut push = |upn: &str, change: ChangeKind, before: String, after: String| {
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
                (Bucket::Unknown, _) => push(
                    &a.upn,
                    ChangeKind::AppearedUnknown,
                    String::new(),
                    a.registration().into(),
                ),
                (_, false) => push(
                    &a.upn,
                    ChangeKind::AppearedUnregistered,
                    String::new(),
                    a.registration().into(),
                ),
                (_, true) => push(
                    &a.upn,
                    ChangeKind::Appeared,
                    String::new(),
                    a.registration().into(),
                ),
            }
            continue;
        };
        let (was, now) = (b.registration(), a.registration());
        let state_change = match (b.bucket, a.bucket) {
            (Bucket::Blocked, Bucket::Blocked) => continue,
            (Bucket::Unknown, Bucket::Unknown) => None,
            (_, Bucket::Unknown) => Some(ChangeKind::BecameUnknown),
            (Bucket::Unknown, _) => Some(ChangeKind::NoLongerUnknown),
            (_, Bucket::Blocked) => Some(ChangeKind::Blocked),
            (Bucket::Blocked, _) => Some(ChangeKind::Unblocked),
            _ => None,
        };
        if let Some(kind) = state_change {
            push(&a.upn, kind, was.into(), now.into());
        }
        // Registration is known even where the sign-in state is not.
        let blocked = a.bucket == Bucket::Blocked || b.bucket == Bucket::Blocked;
        if !blocked && b.registered != a.registered {
            let kind = if a.registered {
                ChangeKind::BecameRegistered
            } else {
                ChangeKind::LostRegistration
            };
            push(
                &a.upn,
                kind,
                registered_name(b.registered).into(),
                registered_name(a.registered).into(),
            );
        }
        if let (Some(sb), Some(sa)) = (&b.status, &a.status) {
            if !sb.eq_ignore_ascii_case(sa) {
                let kind = match (status_rank(sb), status_rank(sa)) {
                    (Some(x), Some(y)) if y < x => ChangeKind::StatusDown,
                    (Some(x), Some(y)) if y > x => ChangeKind::StatusUp,
                    _ => ChangeKind::StatusChanged,
                };
                push(&a.upn, kind, sb.clone(), sa.clone());
            }
        }
        if let (Some(mb), Some(ma)) = (&b.methods, &a.methods) {
            let key = |n: &String| NameStyle::Canonical.apply(n).to_lowercase();
            let (kb, ka): (Vec<String>, Vec<String>) =
                (mb.iter().map(key).collect(), ma.iter().map(key).collect());
            if kb.iter().any(|k| !ka.contains(k)) || ka.iter().any(|k| !kb.contains(k)) {
                push(
                    &a.upn,
                    ChangeKind::MethodsChanged,
                    mb.join(", "),
                    ma.join(", "),
                );
            }
        }
    }
    for b in &before.users {
        if !after.by_upn.contains_key(&b.upn.to_lowercase()) {
            push(
                &b.upn,
                ChangeKind::Disappeared,
                b.registration().into(),
                String::new(),
            );
        }
    }
    out
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
    fn names_are_the_serialised_names() {
        for kind in ChangeKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.name())
            );
        }
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
            ("hidden@x", Registered, true, None, None),
            ("shown@x", Unknown, true, None, None),
            ("wasblocked@x", Blocked, true, None, None),
            ("stillunknown@x", Unknown, true, None, None),
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
            // Sign-in state unreadable: never taken for blocked, unblocked or unchanged.
            ("hidden@x", Unknown, true, None, None),
            ("shown@x", Unregistered, false, None, None),
            ("wasblocked@x", Unknown, true, None, None),
            ("stillunknown@x", Unknown, false, None, None),
            ("newunknown@x", Unknown, false, None, None),
        ]);
        let got: Vec<(String, &str)> = changes(&before, &after)
            .into_iter()
            .map(|c| (c.upn, c.change.name()))
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
            ("hidden@x", "became-unknown"),
            ("shown@x", "no-longer-unknown"),
            ("shown@x", "lost-registration"),
            ("wasblocked@x", "became-unknown"),
            ("stillunknown@x", "lost-registration"),
            ("newunknown@x", "appeared-unknown"),
            ("gone@x", "disappeared"),
        ]
        .into_iter()
        .map(|(u, c)| (u.to_owned(), c))
        .collect();
        assert_eq!(got, want);
    }
}
