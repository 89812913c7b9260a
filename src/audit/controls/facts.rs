//! What the controls ask about one user, taken once from the row's verdict, its enforcement
//! decision and the admins finding ([`Facts`]), and what they ask about the tenant as a whole
//! ([`Tenantwide`]). Every fact has a "cannot tell" state with its reason: the controls turn it
//! into `not assessable`, never into a pass.

use crate::audit::admins::{AdminStatus, PrivilegedRole, PRIVILEGED_ROLES};
use crate::audit::classify::{Blocked, Status, Verdict};
use crate::audit::enforcement::scope::{self, Missing, Tri, Who};
use crate::audit::enforcement::strength::{self, Coverage, Demand};
use crate::audit::enforcement::{self, Decision, Enforcement, UserRef};
use crate::read::policies::model::{CaPolicy, PerUserState, PolicyFileKind, PolicyState, Tenant};
use crate::read::{Location, Position};

/// Where a user's row is: `file` and, in a text file, the `line` (a workbook row or a JSON
/// item has no line a code-scanning tool could open); `text` as messages say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: Option<u64>,
    pub text: String,
}

impl Place {
    pub fn of(at: Location<'_>) -> Place {
        Place {
            file: at.input.to_owned(),
            line: match at.pos {
                Position::Line(n) => Some(*n),
                _ => None,
            },
            text: at.to_string(),
        }
    }
}

/// Can the user sign in? Blocked users are out of every control's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignIn {
    Can,
    Blocked,
    /// The blocked cell could not be read: a failing user may be out of scope.
    Unknown,
}

/// Yes, no, or cannot tell and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Known<T> {
    Yes(T),
    No(String),
    Unknown(String),
}

/// Member or guest (CIS 5.2.3.4 is about members).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Member,
    Guest,
    /// No `userType`, and a `#EXT#` UPN: a B2B guest, or an external member.
    Unknown,
}

/// The user's per-user MFA state, from the per-user export or the input's MFA Status column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PerUser {
    Off,
    /// `Enabled` or `Enforced`.
    On(&'static str),
    Unknown(String),
    /// Neither the export nor the column: the control needs an input.
    NotExported,
}

/// Whether the user holds one of the roles a control is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roles {
    No,
    Yes(Vec<&'static str>),
    /// May hold one: why the exports cannot tell.
    Maybe(String),
    NotExported,
}

/// What the controls need about one user of the audit.
#[derive(Debug, Clone)]
pub struct Facts {
    pub upn: String,
    pub place: Place,
    pub sign_in: SignIn,
    /// Registered for MFA as CIS 5.2.3.4 means it (`isMfaCapable` where the export has it).
    pub capable: Known<()>,
    pub membership: Membership,
    /// The `--exceptions` reason, when one covers the user.
    pub excepted: Option<String>,
    pub per_user: PerUser,
    /// The enforcement verdict and its detail, with `--policies`.
    pub enforcement: Option<(Enforcement, String)>,
    /// Privileged roles as the admins finding counts them (CIS 5.2.2.1, 5.2.2.5).
    pub admin: Roles,
    /// SCuBA's highly privileged roles (MS.AAD.3.6v1).
    pub highly_privileged: Roles,
    /// Does an enabled policy require the phishing-resistant strength of every sign-in?
    /// `None` without a Conditional Access export.
    pub phishing_resistant: Option<Known<String>>,
}

/// SCuBA's "Highly Privileged Roles" list (baselines/aad.md, section of that name), by the
/// display names of [`PRIVILEGED_ROLES`].
const SCUBA_HIGHLY_PRIVILEGED: [&str; 8] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "User Administrator",
    "SharePoint Administrator",
    "Exchange Administrator",
    "Hybrid Identity Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
];

/// The built-in authentication strength that allows only phishing-resistant methods: its
/// display name as Graph's authenticationStrengthPolicy lists the built-in ones
/// ("Multifactor authentication", "Passwordless MFA", "Phishing-resistant MFA").
const PHISHING_RESISTANT_STRENGTH: &str = "Phishing-resistant MFA";
const OTHER_BUILT_IN_STRENGTHS: [&str; 2] = ["Multifactor authentication", "Passwordless MFA"];

/// The authentication methods policy as MS.AAD.3.5v1 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodStates {
    pub sms: bool,
    pub voice: bool,
    pub email: Option<bool>,
    pub migration_complete: bool,
}

/// What the controls need about the tenant, read once.
#[derive(Debug, Clone, Default)]
pub struct Tenantwide {
    pub conditional_access: bool,
    pub roles_exported: bool,
    pub per_user_export: bool,
    /// Some row had a per-user state column (an MSOnline export).
    pub per_user_column: bool,
    /// Enabled policies requiring MFA of All users for all cloud apps with no condition and
    /// no way around MFA (CIS 5.2.2.2, SCuBA MS.AAD.3.2v1), by display name.
    pub all_users_mfa: Vec<String>,
    pub methods: Option<MethodStates>,
    /// SCuBA's roles that some active assignment at `/` names.
    pub(super) scuba_roles: Vec<PrivilegedRole>,
}

impl Tenantwide {
    pub fn new(tenant: Option<&Tenant>) -> Tenantwide {
        let Some(t) = tenant else {
            return Tenantwide::default();
        };
        let policies = t.conditional_access.as_deref().unwrap_or_default();
        Tenantwide {
            conditional_access: t.conditional_access.is_some(),
            roles_exported: !t.roles.is_empty()
                || t.files
                    .iter()
                    .any(|f| f.kind == PolicyFileKind::RoleAssignments),
            per_user_export: t.per_user.is_some(),
            per_user_column: false,
            all_users_mfa: policies
                .iter()
                .filter(|p| all_users_mfa(p))
                .map(|p| p.display_name.clone())
                .collect(),
            methods: t.methods_policy.as_ref().map(|m| MethodStates {
                sms: m.sms_enabled,
                voice: m.voice_enabled,
                email: m.email_enabled,
                migration_complete: m.migration_complete,
            }),
            scuba_roles: PRIVILEGED_ROLES
                .into_iter()
                .filter(|r| SCUBA_HIGHLY_PRIVILEGED.contains(&r.name))
                .filter(|r| {
                    (t.roles.iter())
                        .any(|a| a.role_id.eq_ignore_ascii_case(r.id) && a.scope.trim() == "/")
                })
                .collect(),
        }
    }
}

/// Enabled, `includeUsers` All, every cloud app with no condition, MFA with no alternative.
fn all_users_mfa(p: &CaPolicy) -> bool {
    p.state == PolicyState::Enabled
        && p.users
            .include_users
            .iter()
            .any(|u| u.eq_ignore_ascii_case("all"))
        && strength::coverage(p) == Coverage::Full
        && strength::demand(&p.grant) == Demand::Mfa
}

/// One row of the audit, as the run loop has it.
pub struct Row<'a, 'v> {
    pub verdict: &'a Verdict<'v>,
    pub at: Location<'a>,
    pub exception: Option<&'a str>,
    pub decision: Option<&'a Decision>,
    pub admin: Option<&'a AdminStatus>,
    pub object_id: Option<&'a str>,
}

impl Facts {
    pub fn new(tw: &Tenantwide, tenant: Option<&Tenant>, row: &Row<'_, '_>) -> Facts {
        let v = row.verdict;
        let user = UserRef {
            upn: v.upn,
            id: row.object_id.map(str::trim).filter(|s| !s.is_empty()),
            guest: match v.user_type {
                Some(t) => Some(t.eq_ignore_ascii_case("guest")),
                None => v.is_guest().then_some(true),
            },
        };
        Facts {
            upn: v.upn.to_owned(),
            place: Place::of(row.at),
            sign_in: match v.blocked {
                Blocked::Yes => SignIn::Blocked,
                Blocked::No | Blocked::NoColumn => SignIn::Can,
                Blocked::Unreadable => SignIn::Unknown,
            },
            capable: capable(v),
            membership: match v.user_type.map(str::trim) {
                Some(t) if t.eq_ignore_ascii_case("member") => Membership::Member,
                Some(t) if t.eq_ignore_ascii_case("guest") => Membership::Guest,
                Some(_) => Membership::Unknown,
                None if v.is_guest() => Membership::Unknown,
                None => Membership::Member,
            },
            excepted: row.exception.map(str::to_owned),
            per_user: per_user(tenant, v, &user),
            enforcement: row.decision.map(|d| (d.verdict, d.detail.clone())),
            admin: match row.admin {
                None | Some(AdminStatus::NoRoleExport) => Roles::NotExported,
                Some(AdminStatus::NotAdmin) => Roles::No,
                Some(AdminStatus::Admin(roles)) => Roles::Yes(roles.clone()),
                Some(AdminStatus::Undetermined { why, .. }) => Roles::Maybe(why.join("; ")),
            },
            highly_privileged: match tenant {
                Some(t) if tw.roles_exported => roles_held(t, &user, &tw.scuba_roles),
                _ => Roles::NotExported,
            },
            phishing_resistant: tenant.and_then(|t| phishing_resistant(t, &user)),
        }
    }
}

/// `isMfaCapable` when the export has it, else registered for an MFA method (the same test:
/// Graph's isMfaCapable is registered for a method the methods policy allows).
fn capable(v: &Verdict) -> Known<()> {
    if v.registration_unknown.is_some() {
        return Known::Unknown("the registration cell could not be read".to_owned());
    }
    match (v.capable, v.registered) {
        (Some(true), _) => Known::Yes(()),
        (Some(false), _) => Known::No("isMfaCapable is false".to_owned()),
        (None, true) => Known::Yes(()),
        (None, false) => Known::No("no MFA method registered".to_owned()),
    }
}

fn per_user(tenant: Option<&Tenant>, v: &Verdict, user: &UserRef) -> PerUser {
    if let Some(t) = tenant.filter(|t| t.per_user.is_some()) {
        return match enforcement::per_user_state(t, user) {
            None => PerUser::Unknown("no row for this user in the per-user MFA export".to_owned()),
            Some(PerUserState::Disabled) => PerUser::Off,
            Some(PerUserState::Enabled) => PerUser::On("enabled"),
            Some(PerUserState::Enforced) => PerUser::On("enforced"),
        };
    }
    match v.status {
        Status::Disabled => PerUser::Off,
        Status::Enabled => PerUser::On("enabled"),
        Status::Enforced => PerUser::On("enforced"),
        Status::NotInInput => PerUser::NotExported,
        Status::Other(_) | Status::Unreadable => {
            PerUser::Unknown("the MFA Status cell is not a per-user state".to_owned())
        }
    }
}

fn roles_held(tenant: &Tenant, user: &UserRef, roles: &[PrivilegedRole]) -> Roles {
    let (mut held, mut why) = (Vec::new(), Vec::new());
    for role in roles {
        match enforcement::holds_role(tenant, user, role.id) {
            Ok(true) => held.push(role.name),
            Ok(false) => {}
            Err(missing) => why.extend(missing.into_iter().map(|m| format!("{}: {m}", role.name))),
        }
    }
    if !held.is_empty() {
        Roles::Yes(held)
    } else if !why.is_empty() {
        why.sort();
        why.dedup();
        Roles::Maybe(why.join("; "))
    } else {
        Roles::No
    }
}

/// Does an enabled policy that covers every sign-in require the phishing-resistant strength
/// of this user, with no way around it? A custom strength cannot be told phishing-resistant
/// from the export (it carries the strength's name only), so it leaves the answer open.
fn phishing_resistant(tenant: &Tenant, user: &UserRef) -> Option<Known<String>> {
    let policies = tenant.conditional_access.as_ref()?;
    let who = Who::new(tenant, user);
    let mut open: Vec<String> = Vec::new();
    for p in policies {
        let Some(name) = p.grant.authentication_strength.as_deref() else {
            continue;
        };
        if p.state != PolicyState::Enabled
            || strength::coverage(p) != Coverage::Full
            || strength::demand(&p.grant) != Demand::Mfa
        {
            continue;
        }
        // Under OR, `mfa` beside the strength lets any MFA method through.
        let mfa_beside = p
            .grant
            .built_in
            .iter()
            .any(|c| c.eq_ignore_ascii_case("mfa"));
        if !p.grant.require_all && mfa_beside {
            continue;
        }
        let builtin_pr = name
            .trim()
            .eq_ignore_ascii_case(PHISHING_RESISTANT_STRENGTH);
        let builtin_other = OTHER_BUILT_IN_STRENGTHS
            .iter()
            .any(|s| name.trim().eq_ignore_ascii_case(s));
        if builtin_other {
            continue;
        }
        match scope::scoped(&who, &p.users).applies {
            Tri::Yes if builtin_pr => return Some(Known::Yes(p.display_name.clone())),
            Tri::Yes => open.push(format!(
                "{}: the custom strength {name} may or may not be phishing-resistant (the \
                 export names it only)",
                p.display_name
            )),
            Tri::Unknown(m) => open.push(format!(
                "{}: {}",
                p.display_name,
                m.iter()
                    .map(Missing::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            Tri::No => {}
        }
    }
    Some(if open.is_empty() {
        Known::No("no enabled policy requires the Phishing-resistant MFA strength".to_owned())
    } else {
        open.sort();
        Known::Unknown(open.join("; "))
    })
}
