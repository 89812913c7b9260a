//! Counting the users of each control as the audit runs, and the result once it is over.
//!
//! Counts are exact whatever the size of the tenant; the users named under each control are
//! kept up to [`NAMED_CAP`] per list (a 100,000-user failure would otherwise hold and write
//! every name several times), and how many were left out is said beside the list.

use serde::Serialize;

use super::facts::{Facts, Place, Row, SignIn, Tenantwide};
use super::judge::{self, Judgement, TenantCheck};
use super::{Control, Input, CONTROLS};
use crate::read::policies::model::Tenant;

/// Users named per list and control.
pub const NAMED_CAP: usize = 10_000;

/// `pass`, `fail`, `not assessable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    #[serde(rename = "pass")]
    Pass,
    #[serde(rename = "fail")]
    Fail,
    #[serde(rename = "not assessable")]
    NotAssessable,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotAssessable => "not assessable",
        }
    }
}

/// A user named under a control: where the row is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserNote {
    pub upn: String,
    pub place: Place,
    pub why: String,
}

/// Users named under one heading, and how many more there were.
#[derive(Debug, Clone, Default)]
pub struct Named {
    pub users: Vec<UserNote>,
    pub left_out: u64,
}

impl Named {
    fn push(&mut self, f: &Facts, why: &str) {
        if self.users.len() < NAMED_CAP {
            self.users.push(UserNote {
                upn: f.upn.clone(),
                place: f.place.clone(),
                why: why.to_owned(),
            });
        } else {
            self.left_out += 1;
        }
    }
}

/// One control's counts and users, then its result.
#[derive(Debug, Clone)]
pub struct ControlOutcome {
    pub control: Control,
    pub result: Outcome,
    pub reason: String,
    pub missing: Vec<Input>,
    /// Users the control is about (who can sign in, or may), excepted ones included.
    pub in_scope: u64,
    pub passing: u64,
    pub failing: u64,
    pub unknown: u64,
    pub excepted: u64,
    pub failing_users: Named,
    pub unknown_users: Named,
    pub excepted_users: Named,
}

/// The controls of one run, while it runs.
#[derive(Debug)]
pub struct Controls {
    tenantwide: Tenantwide,
    each: Vec<ControlOutcome>,
}

impl Controls {
    pub fn new(tenant: Option<&Tenant>) -> Controls {
        Controls {
            tenantwide: Tenantwide::new(tenant),
            each: CONTROLS.iter().map(|c| empty(*c)).collect(),
        }
    }

    /// One distinct user of the audit (duplicates and filtered rows never come here).
    pub fn observe(&mut self, tenant: Option<&Tenant>, row: &Row<'_, '_>) {
        if row.verdict.upn.is_empty() {
            return;
        }
        if row.verdict.status != crate::audit::classify::Status::NotInInput {
            self.tenantwide.per_user_column = true;
        }
        let f = Facts::new(&self.tenantwide, tenant, row);
        if f.sign_in == SignIn::Blocked {
            return;
        }
        for c in &mut self.each {
            let j = match (judge::judge(c.control.id, &f), f.sign_in) {
                (Judgement::Fail(why), SignIn::Unknown) => Judgement::Unknown(format!(
                    "{why}; whether sign-in is blocked cannot be read, so the user may be out \
                     of scope"
                )),
                (j, _) => j,
            };
            if j == Judgement::OutOfScope {
                continue;
            }
            c.in_scope += 1;
            if let Some(reason) = &f.excepted {
                c.excepted += 1;
                c.excepted_users.push(&f, reason);
                continue;
            }
            match j {
                Judgement::Pass => c.passing += 1,
                Judgement::Fail(why) => {
                    c.failing += 1;
                    c.failing_users.push(&f, &why);
                }
                Judgement::Unknown(why) => {
                    c.unknown += 1;
                    c.unknown_users.push(&f, &why);
                }
                Judgement::OutOfScope => {}
            }
        }
    }

    /// Every control's result, in the order of [`CONTROLS`].
    pub fn finish(mut self) -> Vec<ControlOutcome> {
        for c in &mut self.each {
            c.missing = judge::missing(c.control.id, &self.tenantwide);
            if !c.missing.is_empty() {
                // Without the export nobody was really judged: counts would read as findings.
                let (control, missing) = (c.control, std::mem::take(&mut c.missing));
                *c = ControlOutcome {
                    control,
                    missing,
                    ..empty(control)
                };
            }
            let (result, reason) = decide(c, judge::tenant(c.control.id, &self.tenantwide));
            c.result = result;
            c.reason = reason;
        }
        self.each
    }
}

fn empty(control: Control) -> ControlOutcome {
    ControlOutcome {
        control,
        result: Outcome::NotAssessable,
        reason: String::new(),
        missing: Vec::new(),
        in_scope: 0,
        passing: 0,
        failing: 0,
        unknown: 0,
        excepted: 0,
        failing_users: Named::default(),
        unknown_users: Named::default(),
        excepted_users: Named::default(),
    }
}

/// The result: a missing export first, then a failure (of the tenant or of a user), then users
/// the files cannot tell about, then a pass; an empty scope decides nothing.
fn decide(c: &ControlOutcome, tenant: TenantCheck) -> (Outcome, String) {
    let n = crate::numbers::users;
    if !c.missing.is_empty() {
        let needs: Vec<&str> = c.missing.iter().map(|m| m.how()).collect();
        return (
            Outcome::NotAssessable,
            format!("needs {}", needs.join("; and ")),
        );
    }
    let excepted = if c.excepted > 0 {
        format!("; {} excepted (--exceptions), listed", n(c.excepted))
    } else {
        String::new()
    };
    let judged = c.in_scope - c.excepted;
    if let TenantCheck::Fail(why) = &tenant {
        let users = if c.failing > 0 {
            format!("; and {} of {} in scope fail", n(c.failing), n(judged))
        } else {
            String::new()
        };
        return (Outcome::Fail, format!("{why}{users}{excepted}"));
    }
    if c.failing > 0 {
        return (
            Outcome::Fail,
            format!("{} of {} in scope fail{excepted}", n(c.failing), n(judged)),
        );
    }
    if let TenantCheck::Cannot(why) = &tenant {
        return (Outcome::NotAssessable, why.clone());
    }
    if c.unknown > 0 {
        return (
            Outcome::NotAssessable,
            format!(
                "no user fails, but the files cannot tell about {} of {} in scope{excepted}",
                n(c.unknown),
                n(judged)
            ),
        );
    }
    match tenant {
        TenantCheck::Pass(why) if c.control.id == super::ControlId::ScubaAad3_5 => {
            (Outcome::Pass, why)
        }
        _ if judged == 0 => (
            Outcome::NotAssessable,
            if c.in_scope == 0 {
                "no user of the audit is in this control's scope: nothing to decide".to_owned()
            } else {
                format!("every user in scope is excepted{excepted}")
            },
        ),
        TenantCheck::Pass(why) => (
            Outcome::Pass,
            format!("{why}; no user fails ({} in scope){excepted}", n(judged)),
        ),
        _ => (
            Outcome::Pass,
            format!("no user fails ({} in scope){excepted}", n(judged)),
        ),
    }
}
