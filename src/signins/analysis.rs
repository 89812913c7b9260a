//! The six questions Microsoft's article asks of the sign-in report, answered from events:
//! was the sign-in challenged, how was MFA completed, why did it fail, how many users were
//! challenged, how many could not complete it, and what are the common issues.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::reference::{Class, Group, Reason};
use super::{class_of_text, decode_reason, mask_phone};
use crate::read::signins::Event;

/// What one sign-in's MFA result says.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub class: Option<Class>,
    pub reason: Option<&'static Reason>,
}

/// Per-user counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UserStats {
    pub upn: String,
    pub sign_ins: u64,
    pub mfa_required: u64,
    pub satisfied: u64,
    pub denied: u64,
    /// The latest denial's reason (by date).
    pub last_denial: Option<(String, String)>,
    pub methods: BTreeSet<String>,
    pub first_seen: String,
    pub last_seen: String,
}

/// Everything counted over the sign-ins.
#[derive(Debug, Default)]
pub struct Analysis {
    pub sign_ins: u64,
    pub duplicate_request_ids: u64,
    pub mfa_required: u64,
    pub single_factor: u64,
    pub requirement_unknown: u64,
    pub satisfied: u64,
    pub denied: u64,
    pub by_method: BTreeMap<String, u64>,
    pub by_satisfied_reason: BTreeMap<&'static str, u64>,
    pub by_denied_reason: BTreeMap<&'static str, u64>,
    pub by_group: BTreeMap<Group, u64>,
    /// Result texts no known reason matches, with their counts: never dropped.
    pub unrecognised: BTreeMap<String, u64>,
    /// By lower-cased UPN, in first-seen order of keys sorted (deterministic).
    pub users: BTreeMap<String, UserStats>,
    seen: HashSet<String>,
    decoded: HashMap<String, Outcome>,
}

impl Analysis {
    /// The outcome of a result text (cached: a log repeats the same few texts).
    pub fn outcome(&mut self, e: &Event) -> Outcome {
        let decoded = match self.decoded.get(&e.result) {
            Some(o) => *o,
            None => {
                let reason = decode_reason(&e.result);
                let o = Outcome {
                    class: reason.map(|r| r.class).or_else(|| class_of_text(&e.result)),
                    reason,
                };
                self.decoded.insert(e.result.clone(), o);
                o
            }
        };
        Outcome {
            // A step's own success flag wins over wording.
            class: e
                .succeeded
                .map(|s| if s { Class::Satisfied } else { Class::Denied })
                .or(decoded.class),
            reason: decoded.reason,
        }
    }

    /// Counts one sign-in; false when its Request ID was seen before (not counted again).
    pub fn add(&mut self, e: &Event) -> bool {
        if !e.request_id.is_empty() && !self.seen.insert(e.request_id.clone()) {
            self.duplicate_request_ids += 1;
            return false;
        }
        self.sign_ins += 1;
        match e.mfa_required {
            Some(true) => self.mfa_required += 1,
            Some(false) => self.single_factor += 1,
            None => self.requirement_unknown += 1,
        }
        let outcome = self.outcome(e);
        if !e.result.is_empty() && outcome.reason.is_none() {
            *self.unrecognised.entry(e.result.clone()).or_insert(0) += 1;
        }
        let user = self
            .users
            .entry(e.upn.to_lowercase())
            .or_insert_with(|| UserStats {
                upn: e.upn.clone(),
                first_seen: e.date.clone(),
                last_seen: e.date.clone(),
                ..UserStats::default()
            });
        user.sign_ins += 1;
        user.mfa_required += u64::from(e.mfa_required == Some(true));
        if !e.date.is_empty() && (user.first_seen.is_empty() || e.date < user.first_seen) {
            user.first_seen = e.date.clone();
        }
        if e.date > user.last_seen {
            user.last_seen = e.date.clone();
        }
        if outcome.class.is_some() && !e.method.is_empty() {
            user.methods.insert(e.method.clone());
        }
        match outcome.class {
            Some(Class::Satisfied) => {
                self.satisfied += 1;
                user.satisfied += 1;
                let method = if e.method.is_empty() {
                    "(not in the log)"
                } else {
                    &e.method
                };
                *self.by_method.entry(method.to_owned()).or_insert(0) += 1;
                let reason = outcome.reason.map_or("(unrecognised)", |r| r.en);
                *self.by_satisfied_reason.entry(reason).or_insert(0) += 1;
            }
            Some(Class::Denied) => {
                self.denied += 1;
                user.denied += 1;
                let reason = outcome.reason.map_or("(unrecognised)", |r| r.en);
                *self.by_denied_reason.entry(reason).or_insert(0) += 1;
                if let Some(g) = outcome.reason.and_then(|r| r.group) {
                    *self.by_group.entry(g).or_insert(0) += 1;
                }
                let later = user.last_denial.as_ref().is_none_or(|(d, _)| e.date >= *d);
                if later {
                    user.last_denial = Some((e.date.clone(), reason.to_owned()));
                }
            }
            None => {}
        }
        true
    }

    /// Users with at least one MFA-required sign-in or MFA result.
    pub fn users_challenged(&self) -> u64 {
        self.users
            .values()
            .filter(|u| u.mfa_required > 0 || u.satisfied + u.denied > 0)
            .count() as u64
    }

    /// (users with at least one denial, of them those never satisfied in the period).
    pub fn users_denied(&self) -> (u64, u64) {
        let denied: Vec<&UserStats> = self.users.values().filter(|u| u.denied > 0).collect();
        let never = denied.iter().filter(|u| u.satisfied == 0).count() as u64;
        (denied.len() as u64, never)
    }

    /// The common issues: denial counts per group, most first, with their top reasons.
    pub fn issues(&self) -> Vec<Issue> {
        let mut out: Vec<Issue> = Group::ALL
            .iter()
            .filter_map(|g| {
                let count = *self.by_group.get(g)?;
                let mut reasons: Vec<(&'static str, u64)> = self
                    .by_denied_reason
                    .iter()
                    .filter(|(r, _)| {
                        super::reference::REASONS
                            .iter()
                            .any(|x| x.en == **r && x.group == Some(*g))
                    })
                    .map(|(r, n)| (*r, *n))
                    .collect();
                reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
                Some(Issue {
                    group: g.name(),
                    count,
                    action: g.action(),
                    reasons,
                })
            })
            .collect();
        out.sort_by_key(|i| std::cmp::Reverse(i.count));
        out
    }
}

/// One group of denials.
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    pub group: &'static str,
    pub count: u64,
    pub action: &'static str,
    pub reasons: Vec<(&'static str, u64)>,
}

/// An event as the `--events` file writes it (phone details scrubbed).
pub fn event_row(e: &Event, o: Outcome) -> [String; 10] {
    [
        e.date.clone(),
        e.request_id.clone(),
        e.upn.clone(),
        match e.mfa_required {
            Some(true) => "True".into(),
            Some(false) => "False".into(),
            None => String::new(),
        },
        match o.class {
            Some(Class::Satisfied) => "satisfied".into(),
            Some(Class::Denied) => "denied".into(),
            None => String::new(),
        },
        o.reason.map_or(e.result.clone(), |r| r.en.to_owned()),
        e.method.clone(),
        mask_phone(&e.detail),
        e.status.clone(),
        e.error_code.clone(),
    ]
}

/// Headers of [`event_row`].
pub const EVENT_HEADERS: [&str; 10] = [
    "Date (UTC)",
    "Request ID",
    "UserPrincipalName",
    "MFA Required",
    "MFA Result",
    "Reason",
    "Method",
    "Method Detail",
    "Status",
    "Sign-in Error Code",
];
