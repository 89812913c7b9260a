//! The six questions Microsoft's article asks of the sign-in report, answered from events:
//! was the sign-in challenged, how was MFA completed, why did it fail, how many users were
//! challenged, how many could not complete it, and what are the common issues.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::reference::{Class, Group, Reason};
use super::stops::{mfa_error, MfaError, Stop};
use super::{class_of_text, decode_reason, mask_phone};
use crate::numbers::sign_ins;
use crate::read::signin_steps::{is_first_factor_text, StepEvidence};
use crate::read::signins::Event;

/// What one sign-in's MFA result says. `class` is `None` for a sign-in without an MFA result
/// and for an interrupted one (`interrupted` then names the error code).
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub class: Option<Class>,
    pub reason: Option<&'static Reason>,
    /// Prompted for MFA (or registration) and not completed: neither satisfied nor denied.
    pub interrupted: Option<&'static MfaError>,
    /// What decided the class when no reason did (a passwordless method, an error code).
    pub basis: Option<&'static str>,
}

/// The reason a passwordless multifactor sign-in is counted under.
pub const PASSWORDLESS: &str = "completed by a passwordless method (multifactor in one step)";
/// The MFA result of a sign-in that required MFA and whose log shows none (`--events`).
pub const NO_RESULT: &str = "no MFA result in the log";
/// The reason a denial known only from its error code is counted under.
pub const FAILED_500121: &str = "authentication failed during the MFA step (error 500121)";

impl Outcome {
    /// The reason as counted and written: the decoded reason, else what decided the class.
    pub fn reason_name(&self) -> Option<&'static str> {
        self.reason.map(|r| r.en).or(self.basis)
    }
}

/// Per-user counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UserStats {
    pub upn: String,
    pub sign_ins: u64,
    pub mfa_required: u64,
    pub satisfied: u64,
    pub denied: u64,
    pub interrupted: u64,
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
    /// Sign-ins prompted for MFA and not completed, and their error codes ("50074
    /// UserStrongAuthClientAuthNRequiredInterrupt").
    pub interrupted: u64,
    pub by_interrupt_code: BTreeMap<String, u64>,
    /// Sign-ins without a user principal name: counted, never made a user; the first one's
    /// Request ID names them in the warning.
    pub no_user: u64,
    pub no_user_first: Option<String>,
    /// Sign-ins without a Request ID: a sign-in in two overlapping downloads cannot be told
    /// from two sign-ins among them, so they are counted as they come, and warned about.
    pub no_request_id: u64,
    /// Sign-ins whose requirement was multifactor and whose log shows no MFA result: no MFA
    /// step, no denial, no interruption (a password-only success under an MFA requirement, a
    /// one-step method the log does not call multifactor, a wrong password before the prompt).
    /// Neither satisfied nor denied, and never dropped: by error code, and their users.
    pub no_result: u64,
    pub by_no_result_code: BTreeMap<String, u64>,
    pub no_result_users: BTreeSet<String>,
    seen: HashSet<String>,
    decoded: HashMap<String, Outcome>,
    /// Conditional Access evidence and the split by kind of sign-in.
    pub ca: super::policies::Evidence,
}

impl Analysis {
    /// The outcome of one sign-in: its MFA step's result (text decoded once per distinct
    /// text: a log repeats the same few), what its steps say, and its error code.
    pub fn outcome(&mut self, e: &Event) -> Outcome {
        let decoded = match self.decoded.get(&e.result) {
            Some(o) => *o,
            // "First factor requirement satisfied by claim in the token" reports the first
            // factor: no MFA result, though it contains a reason's words.
            None if is_first_factor_text(&e.result) => Outcome {
                class: None,
                reason: None,
                interrupted: None,
                basis: None,
            },
            None => {
                let reason = decode_reason(&e.result);
                let o = Outcome {
                    class: reason.map(|r| r.class).or_else(|| class_of_text(&e.result)),
                    reason,
                    interrupted: None,
                    basis: None,
                };
                self.decoded.insert(e.result.clone(), o);
                o
            }
        };
        let stop = mfa_error(&e.error_code);
        let none = Outcome {
            class: None,
            reason: None,
            interrupted: None,
            basis: None,
        };
        let by_code = |err: &'static MfaError| match err.stop {
            Stop::Interrupted => Outcome {
                interrupted: Some(err),
                ..none
            },
            Stop::Denied => Outcome {
                class: Some(Class::Denied),
                basis: Some(FAILED_500121),
                ..none
            },
        };
        match e.steps {
            // No MFA step: no MFA result, unless the sign-in stopped at MFA.
            StepEvidence::NoMfaStep => stop.map_or(none, by_code),
            StepEvidence::Passwordless => match stop {
                Some(err) => by_code(err),
                None => Outcome {
                    class: Some(Class::Satisfied),
                    basis: Some(PASSWORDLESS),
                    ..none
                },
            },
            StepEvidence::MfaStep | StepEvidence::NotListed => {
                // A result text that names a denial is a denial, whatever the code; an
                // interrupt code otherwise wins over the step's failed flag (nobody declined).
                if let Some(err) = stop {
                    if decoded.class != Some(Class::Denied) && err.stop == Stop::Interrupted {
                        return by_code(err);
                    }
                }
                // A step's own success flag wins over wording.
                let class = e
                    .succeeded
                    .map(|s| if s { Class::Satisfied } else { Class::Denied })
                    .or(decoded.class);
                match (class, stop) {
                    (None, Some(err)) => by_code(err),
                    _ => Outcome {
                        class,
                        reason: decoded.reason,
                        ..none
                    },
                }
            }
        }
    }

    /// Counts one sign-in; false when its Request ID was seen before (not counted again).
    pub fn add(&mut self, e: &Event) -> bool {
        if e.request_id.trim().is_empty() {
            self.no_request_id += 1;
        } else if !self.seen.insert(e.request_id.clone()) {
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
        self.ca.add(e, outcome.class);
        // A result text of the MFA step that no reason matches is listed, never dropped.
        let from_text = matches!(e.steps, StepEvidence::MfaStep | StepEvidence::NotListed);
        if from_text
            && !e.result.is_empty()
            && outcome.reason.is_none()
            && !is_first_factor_text(&e.result)
        {
            *self.unrecognised.entry(e.result.clone()).or_insert(0) += 1;
        }
        let mut user = if e.upn.trim().is_empty() {
            self.no_user += 1;
            if self.no_user_first.is_none() {
                self.no_user_first = Some(e.request_id.clone());
            }
            None
        } else {
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
            Some(user)
        };
        let reason = outcome.reason_name().unwrap_or("(unrecognised)");
        if let Some(err) = outcome.interrupted {
            self.interrupted += 1;
            *self
                .by_interrupt_code
                .entry(format!("{} {}", err.code, err.name))
                .or_insert(0) += 1;
            if let Some(u) = user.as_mut() {
                u.interrupted += 1;
            }
        }
        match outcome.class {
            Some(Class::Satisfied) => {
                self.satisfied += 1;
                let method = if e.method.is_empty() {
                    "(not in the log)"
                } else {
                    &e.method
                };
                *self.by_method.entry(method.to_owned()).or_insert(0) += 1;
                *self.by_satisfied_reason.entry(reason).or_insert(0) += 1;
                if let Some(u) = user {
                    u.satisfied += 1;
                }
            }
            Some(Class::Denied) => {
                self.denied += 1;
                *self.by_denied_reason.entry(reason).or_insert(0) += 1;
                if let Some(g) = outcome.reason.and_then(|r| r.group) {
                    *self.by_group.entry(g).or_insert(0) += 1;
                }
                if let Some(u) = user {
                    u.denied += 1;
                    let later = u.last_denial.as_ref().is_none_or(|(d, _)| e.date >= *d);
                    if later {
                        u.last_denial = Some((e.date.clone(), reason.to_owned()));
                    }
                }
            }
            None if outcome.interrupted.is_none() && e.mfa_required == Some(true) => {
                self.no_result += 1;
                *self
                    .by_no_result_code
                    .entry(no_result_code(&e.error_code))
                    .or_insert(0) += 1;
                if let Some(u) = user {
                    self.no_result_users.insert(u.upn.to_lowercase());
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
            .filter(|u| u.mfa_required > 0 || u.satisfied + u.denied + u.interrupted > 0)
            .count() as u64
    }

    /// Users with at least one sign-in prompted for MFA and not completed.
    pub fn users_interrupted(&self) -> u64 {
        self.users.values().filter(|u| u.interrupted > 0).count() as u64
    }

    /// The warnings of the run: sign-ins the log cannot tie to a user.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.no_user > 0 {
            out.push(format!(
                "{} sign-ins have no user principal name (the first: Request ID {}); they are \
                 counted under \"no user\", not as a user",
                self.no_user,
                crate::terminal::quote(self.no_user_first.as_deref().unwrap_or(""))
            ));
        }
        if self.no_request_id > 0 {
            out.push(format!(
                "{} have no Request ID, so a sign-in that is in two overlapping downloads cannot \
                 be told from two sign-ins and is counted twice; download the logs with the \
                 Request ID column (the portal's default columns have it), or pass files that do \
                 not overlap",
                sign_ins(self.no_request_id)
            ));
        }
        if self.no_result > 0 {
            out.push(format!(
                "{} required MFA and their log shows no MFA result (no MFA step, no denial, not \
                 interrupted); they are counted under \"no MFA result\", neither satisfied nor \
                 denied: read their authentication details (the JSON download's \
                 authenticationDetails or the AuthDetails file) to see how each was let through",
                sign_ins(self.no_result)
            ));
        }
        out
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

/// The key a sign-in without an MFA result is counted under: its error code, named when the
/// reference knows it ("50126 InvalidUserNameOrPassword"); 0 is a sign-in that succeeded.
fn no_result_code(code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return "(not in the log)".to_owned();
    }
    if code == "0" {
        return "0 (sign-in succeeded)".to_owned();
    }
    match super::errors::error_code(code) {
        Some(known) => format!("{} {}", known.code, known.name),
        None if code.bytes().all(|b| b.is_ascii_digit()) => code.to_owned(),
        None => crate::terminal::quote(code).to_string(),
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
        match (o.class, o.interrupted) {
            (Some(Class::Satisfied), _) => "satisfied".into(),
            (Some(Class::Denied), _) => "denied".into(),
            (None, Some(_)) => "interrupted".into(),
            // Required, and the log shows no MFA result: said, not left blank.
            (None, None) if e.mfa_required == Some(true) => NO_RESULT.into(),
            (None, None) => String::new(),
        },
        match (o.reason_name(), o.interrupted) {
            (Some(r), _) => r.to_owned(),
            (None, Some(err)) => err.meaning.to_owned(),
            (None, None) => e.result.clone(),
        },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, required: Option<bool>, steps: StepEvidence, code: &str) -> Event {
        Event {
            request_id: id.to_owned(),
            upn: "ann@contoso.example".to_owned(),
            mfa_required: required,
            steps,
            error_code: code.to_owned(),
            ..Event::default()
        }
    }

    #[test]
    fn a_required_sign_in_without_an_mfa_result_is_counted_apart() {
        // (requirement, what the steps say, error code, counted under no MFA result?)
        let cases = [
            // Password-only success under an MFA requirement: let through, no MFA step.
            (Some(true), StepEvidence::NoMfaStep, "0", true),
            // A wrong password before the prompt: required, no MFA result either.
            (Some(true), StepEvidence::NoMfaStep, "50126", true),
            // A CSV row without AuthDetails and an empty result column.
            (Some(true), StepEvidence::NotListed, "", true),
            // Interrupted at the prompt: its own outcome, not this one.
            (Some(true), StepEvidence::NoMfaStep, "50074", false),
            // 500121 is a denial.
            (Some(true), StepEvidence::NoMfaStep, "500121", false),
            // Single-factor and unsaid requirements ask for no MFA result.
            (Some(false), StepEvidence::NoMfaStep, "0", false),
            (None, StepEvidence::NoMfaStep, "0", false),
        ];
        for (i, (required, steps, code, want)) in cases.into_iter().enumerate() {
            let mut a = Analysis::default();
            let e = event(&format!("r{i}"), required, steps, code);
            assert!(a.add(&e));
            assert_eq!(a.no_result, u64::from(want), "case {i}");
            assert_eq!(a.no_result_users.len(), usize::from(want), "case {i}");
            assert_eq!(a.warnings().len(), usize::from(want), "case {i}");
            let row = event_row(&e, a.outcome(&e));
            assert_eq!(row[4] == NO_RESULT, want, "case {i}: {row:?}");
        }
    }

    #[test]
    fn sign_ins_without_a_request_id_are_counted_each_time_and_warned_about() {
        let mut a = Analysis::default();
        for id in ["", " ", "r1", "r1", ""] {
            a.add(&event(id, Some(false), StepEvidence::NoMfaStep, "0"));
        }
        // The three without an ID cannot be told apart: each is counted; r1 once.
        assert_eq!((a.sign_ins, a.duplicate_request_ids), (4, 1));
        assert_eq!(a.no_request_id, 3);
        let warnings = a.warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("3 sign-ins have no Request ID"),
            "{warnings:?}"
        );
    }

    #[test]
    fn no_result_codes_are_named() {
        for (code, want) in [
            ("0", "0 (sign-in succeeded)"),
            ("", "(not in the log)"),
            ("50126", "50126 InvalidUserNameOrPassword"),
            ("AADSTS53003", "53003 BlockedByConditionalAccess"),
            ("12345", "12345"),
            ("x\u{7}", "\"x\\u{7}\""),
        ] {
            assert_eq!(no_result_code(code), want, "{code:?}");
        }
    }
}
