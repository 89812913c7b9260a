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

/// A built-in directory role the finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrivilegedRole {
    /// Role template id, lower case.
    pub id: &'static str,
    pub name: &'static str,
}

const fn r(id: &'static str, name: &'static str) -> PrivilegedRole {
    PrivilegedRole { id, name }
}

/// Every role marked PRIVILEGED on Microsoft's "Microsoft Entra built-in roles" page
/// (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference, "All
/// roles" table, ms.date 01/20/2026), with the template ids of that table; then the three
/// roles the page does not mark but that run a whole service or the tenant's money, which every
/// MFA-for-admins guidance names (Exchange, SharePoint, Billing Administrator), ids from the
/// same table. Display names as the page writes them.
pub const PRIVILEGED_ROLES: [PrivilegedRole; 32] = [
    r(
        "db506228-d27e-4b7d-95e5-295956d6615f",
        "Agent ID Administrator",
    ),
    r(
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "Application Administrator",
    ),
    r(
        "cf1c38e5-3621-4004-a7cb-879624dced7c",
        "Application Developer",
    ),
    r(
        "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe",
        "Attribute Provisioning Administrator",
    ),
    r(
        "422218e4-db15-4ef9-bbe0-8afb41546d79",
        "Attribute Provisioning Reader",
    ),
    r(
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "Authentication Administrator",
    ),
    r(
        "25a516ed-2fa0-40ea-a2d0-12923a21473a",
        "Authentication Extensibility Administrator",
    ),
    r(
        "aaf43236-0c0d-4d5f-883a-6955382ac081",
        "B2C IEF Keyset Administrator",
    ),
    r(
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "Cloud Application Administrator",
    ),
    r(
        "7698a772-787b-4ac8-901f-60d6b08affd2",
        "Cloud Device Administrator",
    ),
    r(
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "Conditional Access Administrator",
    ),
    r("9360feb5-f418-4baa-8175-e2a00bac4301", "Directory Writers"),
    r(
        "8329153b-31d0-4727-b945-745eb3bc5f31",
        "Domain Name Administrator",
    ),
    r(
        "be2f45a1-457d-42af-a067-6ec1fa63bc45",
        "External Identity Provider Administrator",
    ),
    r(
        "62e90394-69f5-4237-9190-012177145e10",
        "Global Administrator",
    ),
    r("f2ef992c-3afb-46b9-b7cf-a126ee74c451", "Global Reader"),
    r(
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "Helpdesk Administrator",
    ),
    r(
        "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
        "Hybrid Identity Administrator",
    ),
    r(
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
        "Intune Administrator",
    ),
    r(
        "59d46f88-662b-457b-bceb-5c3809e5908f",
        "Lifecycle Workflows Administrator",
    ),
    r(
        "4ba39ca4-527c-499a-b93d-d9b492c50246",
        "Partner Tier1 Support",
    ),
    r(
        "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
        "Partner Tier2 Support",
    ),
    r(
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "Password Administrator",
    ),
    r(
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "Privileged Authentication Administrator",
    ),
    r(
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
        "Privileged Role Administrator",
    ),
    r(
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "Security Administrator",
    ),
    r("5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", "Security Operator"),
    r("5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader"),
    r("fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator"),
    // Not marked PRIVILEGED on the page; named by the finding's brief and every admin-MFA
    // checklist: each controls a whole service, or billing.
    r(
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "Exchange Administrator",
    ),
    r(
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "SharePoint Administrator",
    ),
    r(
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "Billing Administrator",
    ),
];

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
