//! The admins finding of `audit --policies`: which users of the report hold a privileged
//! directory role, and, for each, whether Conditional Access enforces MFA for every sign-in and
//! whether a phishing-resistant method is registered. Also the policies that ask for MFA only
//! at user actions or authentication contexts, counted apart: they protect registration and
//! step-up, not sign-in.
//!
//! An admin is a user holding one of [`PRIVILEGED_ROLES`] through an active assignment scoped
//! to `/`, directly or through a role-assignable group (the same test Conditional Access makes;
//! an assignment scoped to an administrative unit does not make an admin here). When the
//! exports cannot tell (a role held through a group whose membership is not exported), the
//! user is *undetermined*, never a quiet "not an admin". Likewise a user whose export does not
//! list methods in a way that could show a phishing-resistant one is *unknown*, not *without*.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::audit::classify::{Methods, Verdict};
use crate::audit::enforcement::{self, Decision, Enforcement, UserRef};
use crate::audit::vocab::Strength;
use crate::read::policies::model::{PolicyFileKind, Tenant};
use crate::read::schema::{normalize, Role, Schema};
use crate::read::shape::Shape;

pub use crate::audit::roles::{PrivilegedRole, PRIVILEGED_ROLES};

/// Whether an input can show a phishing-resistant method at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodsShown {
    Shown,
    /// Why no row of this input can say: then a user without one listed is unknown.
    NotShown(&'static str),
}

impl MethodsShown {
    pub fn of(schema: &Schema) -> MethodsShown {
        let msol = matches!(
            schema.shape,
            Some(
                Shape::LazyAdminMsol | Shape::AdminDroidMsolEnabled | Shape::AdminDroidMsolDisabled
            )
        ) || schema
            .header(Role::Methods)
            .is_some_and(|h| normalize(h).starts_with("strongauthenticationmethods"));
        if msol {
            // MSOnline's StrongAuthenticationMethods has only phone and app method types
            // (OneWaySMS, TwoWayVoice*, PhoneAppOTP, PhoneAppNotification): FIDO2 keys,
            // passkeys and Windows Hello never appear in it.
            return MethodsShown::NotShown(
                "an MSOnline export, whose method types cannot name FIDO2 keys, passkeys or \
                 Windows Hello",
            );
        }
        if schema.column(Role::Methods).is_some() {
            return MethodsShown::Shown;
        }
        // One column per method: only when both phishing-resistant columns are there.
        if schema.column(Role::MethodFido2).is_some() && schema.column(Role::MethodHello).is_some()
        {
            return MethodsShown::Shown;
        }
        MethodsShown::NotShown("the input has no column that lists phishing-resistant methods")
    }
}

/// Does the user have a phishing-resistant method registered?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhishingResistance {
    Registered,
    Without,
    /// The export cannot tell, and why.
    Unknown(&'static str),
}

impl PhishingResistance {
    pub fn name(self) -> &'static str {
        match self {
            PhishingResistance::Registered => "yes",
            PhishingResistance::Without => "no",
            PhishingResistance::Unknown(_) => "unknown",
        }
    }
}

/// A phishing-resistant method listed is a fact whatever else the row says; its absence
/// counts only when the row lists every method by a name the vocabulary knows.
pub fn phishing_resistance(v: &Verdict, shown: MethodsShown) -> PhishingResistance {
    let profile = v.methods.profile();
    if profile.strongest == Some(Strength::PhishingResistant) {
        return PhishingResistance::Registered;
    }
    if let MethodsShown::NotShown(why) = shown {
        return PhishingResistance::Unknown(why);
    }
    if v.registration_unknown
        .is_some_and(|r| r == Role::Methods || r.is_method_column())
    {
        return PhishingResistance::Unknown("the methods cell could not be read");
    }
    match v.methods {
        Methods::TwoOrMoreUnnamed | Methods::NotListed => {
            PhishingResistance::Unknown("the export does not name the methods")
        }
        Methods::Names(_) if profile.unrecognised => {
            PhishingResistance::Unknown("a method name the vocabulary does not know")
        }
        Methods::Names(_) => PhishingResistance::Without,
    }
}

/// Whether a user holds a privileged role at `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminStatus {
    NotAdmin,
    /// The privileged roles held, by display name.
    Admin(Vec<&'static str>),
    /// No role surely held, but some may be: what the exports lack, and the roles.
    Undetermined {
        roles: Vec<&'static str>,
        why: Vec<String>,
    },
    /// No role assignment export among `--policies`: nobody's roles can be told.
    NoRoleExport,
}

/// One admin (or possible admin) of the report as the JSON lists them.
#[derive(Debug, Clone, Serialize)]
pub struct AdminEntry {
    pub upn: String,
    pub roles: Vec<&'static str>,
    /// True when the roles are only possible (a group whose membership is not exported).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub undetermined: bool,
    pub enforcement: &'static str,
    /// `yes`, `no`, `unknown`.
    pub phishing_resistant: &'static str,
    /// Why phishing resistance or the roles cannot be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// The JSON summary's `"admins"` object, counted over the users in the report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AdminsSummary {
    /// A role assignment export was given: without it no count below means anything.
    pub roles_exported: bool,
    pub admins: u64,
    /// Users who may hold a privileged role, the exports cannot tell.
    pub undetermined: u64,
    /// Admins whose verdict is not `Conditional Access`.
    pub not_conditional_access: u64,
    pub without_phishing_resistant: u64,
    pub phishing_resistant_unknown: u64,
    pub not_conditional_access_users: Vec<String>,
    pub without_phishing_resistant_users: Vec<String>,
    pub phishing_resistant_unknown_users: Vec<String>,
    pub undetermined_users: Vec<String>,
    pub users: Vec<AdminEntry>,
}

/// The JSON summary's `"step_up_only"`: enabled MFA policies that target only user actions or
/// authentication contexts, and the users of the report they take in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StepUpSummary {
    pub policies: BTreeSet<String>,
    pub users: u64,
}

/// The admins finding and the step-up count of one run.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Privileged role ids that some active assignment at `/` names: only these are asked
    /// about for each user (the assignments are scanned per role).
    present: Vec<PrivilegedRole>,
    pub admins: AdminsSummary,
    pub step_up: StepUpSummary,
}

impl Findings {
    pub fn new(tenant: &Tenant) -> Findings {
        let roles_exported = !tenant.roles.is_empty()
            || (tenant.files.iter()).any(|f| f.kind == PolicyFileKind::RoleAssignments);
        let present = PRIVILEGED_ROLES
            .into_iter()
            .filter(|p| {
                (tenant.roles.iter())
                    .any(|a| a.role_id.eq_ignore_ascii_case(p.id) && a.scope.trim() == "/")
            })
            .collect();
        Findings {
            present,
            admins: AdminsSummary {
                roles_exported,
                ..AdminsSummary::default()
            },
            step_up: StepUpSummary::default(),
        }
    }

    /// The privileged roles the user holds at `/`.
    pub fn status(&self, tenant: &Tenant, user: &UserRef) -> AdminStatus {
        if !self.admins.roles_exported {
            return AdminStatus::NoRoleExport;
        }
        let (mut held, mut maybe, mut why) = (Vec::new(), Vec::new(), Vec::new());
        for role in &self.present {
            match enforcement::holds_role(tenant, user, role.id) {
                Ok(true) => held.push(role.name),
                Ok(false) => {}
                Err(missing) => {
                    maybe.push(role.name);
                    why.extend(missing);
                }
            }
        }
        if !held.is_empty() {
            AdminStatus::Admin(held)
        } else if !maybe.is_empty() {
            why.sort();
            why.dedup();
            AdminStatus::Undetermined { roles: maybe, why }
        } else {
            AdminStatus::NotAdmin
        }
    }

    /// Counts a user of the report.
    pub fn count(&mut self, upn: &str, d: &Decision, admin: &AdminStatus, pr: PhishingResistance) {
        if !d.step_up_only.is_empty() {
            self.step_up.users += 1;
            (self.step_up.policies).extend(d.step_up_only.iter().cloned());
        }
        let a = &mut self.admins;
        let (roles, undetermined, roles_why) = match admin {
            AdminStatus::NotAdmin | AdminStatus::NoRoleExport => return,
            AdminStatus::Admin(roles) => (roles.clone(), false, None),
            AdminStatus::Undetermined { roles, why } => (roles.clone(), true, Some(why.join("; "))),
        };
        if undetermined {
            a.undetermined += 1;
            a.undetermined_users.push(upn.to_owned());
        } else {
            a.admins += 1;
            if d.verdict != Enforcement::ConditionalAccess {
                a.not_conditional_access += 1;
                a.not_conditional_access_users.push(upn.to_owned());
            }
            match pr {
                PhishingResistance::Registered => {}
                PhishingResistance::Without => {
                    a.without_phishing_resistant += 1;
                    a.without_phishing_resistant_users.push(upn.to_owned());
                }
                PhishingResistance::Unknown(_) => {
                    a.phishing_resistant_unknown += 1;
                    a.phishing_resistant_unknown_users.push(upn.to_owned());
                }
            }
        }
        let pr_why = match pr {
            PhishingResistance::Unknown(w) => Some(w.to_owned()),
            _ => None,
        };
        a.users.push(AdminEntry {
            upn: upn.to_owned(),
            roles,
            undetermined,
            enforcement: d.verdict.label(),
            phishing_resistant: pr.name(),
            why: match (roles_why, pr_why) {
                (Some(r), Some(p)) => Some(format!("{r}; {p}")),
                (r, p) => r.or(p),
            },
        });
    }
}

#[cfg(test)]
mod tests;
