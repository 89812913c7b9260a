//! Each control's decision: which exports it needs ([`missing`]), whom it is about and whether
//! they pass ([`judge`]), and what it asks of the tenant as a whole ([`tenant`]). The tables in
//! the tests are the controls' decision tables; docs/controls.md says the same in prose.

use super::facts::{Facts, Known, Membership, PerUser, Roles, Tenantwide};
use super::{ControlId, Input};
use crate::audit::enforcement::Enforcement;

/// One user under one control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    OutOfScope,
    Pass,
    Fail(String),
    /// In scope, or possibly in scope, and the files cannot tell whether they pass.
    Unknown(String),
}

/// What a control asks of the tenant, apart from its users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantCheck {
    /// Nothing beyond the users.
    None,
    Pass(String),
    Fail(String),
    Cannot(String),
}

/// The exports the control needs and the run lacks.
pub fn missing(id: ControlId, tw: &Tenantwide) -> Vec<Input> {
    let mut need = Vec::new();
    let ca = || (!tw.conditional_access).then_some(Input::ConditionalAccess);
    let roles = || (!tw.roles_exported).then_some(Input::RoleAssignments);
    match id {
        ControlId::Cis5_2_3_4 => {}
        ControlId::Cis5_1_2_1 => {
            if !tw.per_user_export && !tw.per_user_column {
                need.push(Input::PerUserMfa);
            }
        }
        ControlId::Cis5_2_2_2 | ControlId::ScubaAad3_1 | ControlId::ScubaAad3_2 => {
            need.extend(ca());
        }
        ControlId::Cis5_2_2_1 | ControlId::Cis5_2_2_5 | ControlId::ScubaAad3_6 => {
            need.extend(ca());
            need.extend(roles());
        }
        ControlId::ScubaAad3_5 => {
            if tw.methods.is_none() {
                need.push(Input::MethodsPolicy);
            }
        }
    }
    need
}

/// Decides one user (who can sign in, or whose sign-in state is unknown; exceptions are
/// applied by the caller).
pub fn judge(id: ControlId, f: &Facts) -> Judgement {
    match id {
        ControlId::Cis5_2_3_4 => {
            let verdict = match &f.capable {
                Known::Yes(()) => Judgement::Pass,
                Known::No(why) => Judgement::Fail(why.clone()),
                Known::Unknown(why) => Judgement::Unknown(why.clone()),
            };
            match (f.membership, verdict) {
                (Membership::Guest, _) => Judgement::OutOfScope,
                (Membership::Unknown, j @ (Judgement::Pass | Judgement::OutOfScope)) => j,
                (Membership::Unknown, Judgement::Fail(why) | Judgement::Unknown(why)) => {
                    Judgement::Unknown(format!(
                        "{why}, and whether this #EXT# user is a member or a guest cannot be \
                         told (the export has no userType)"
                    ))
                }
                (Membership::Member, j) => j,
            }
        }
        ControlId::Cis5_1_2_1 => match &f.per_user {
            PerUser::Off => Judgement::Pass,
            PerUser::On(state) => Judgement::Fail(format!("per-user MFA {state}")),
            PerUser::Unknown(why) => Judgement::Unknown(why.clone()),
            // The control is not assessable as a whole (`missing`).
            PerUser::NotExported => Judgement::Unknown("no per-user MFA state".to_owned()),
        },
        ControlId::Cis5_2_2_2 | ControlId::ScubaAad3_2 => enforced(f),
        ControlId::Cis5_2_2_1 => in_roles(&f.admin, enforced(f)),
        ControlId::Cis5_2_2_5 => in_roles(&f.admin, phishing_resistant(f)),
        ControlId::ScubaAad3_1 => phishing_resistant(f),
        ControlId::ScubaAad3_6 => in_roles(&f.highly_privileged, phishing_resistant(f)),
        ControlId::ScubaAad3_5 => Judgement::OutOfScope,
    }
}

/// MFA required at every sign-in by Conditional Access: the enforcement verdict
/// `Conditional Access`. Security defaults and per-user MFA do require MFA, but the
/// benchmarks ask for a Conditional Access policy (CIS 5.2.2.x audit procedures, SCuBA's
/// instructions), so they fail, saying which.
fn enforced(f: &Facts) -> Judgement {
    match &f.enforcement {
        Some((Enforcement::ConditionalAccess, _)) => Judgement::Pass,
        Some((Enforcement::Undetermined, why)) => Judgement::Unknown(why.clone()),
        Some((verdict, detail)) if detail.is_empty() => Judgement::Fail(verdict.label().to_owned()),
        Some((verdict, detail)) => Judgement::Fail(format!("{}: {detail}", verdict.label())),
        None => Judgement::Unknown("no enforcement verdict (no --policies)".to_owned()),
    }
}

fn phishing_resistant(f: &Facts) -> Judgement {
    match &f.phishing_resistant {
        Some(Known::Yes(_)) => Judgement::Pass,
        Some(Known::No(why)) => Judgement::Fail(why.clone()),
        Some(Known::Unknown(why)) => Judgement::Unknown(why.clone()),
        None => Judgement::Unknown("no Conditional Access export".to_owned()),
    }
}

/// Scoped to the holders of some roles: a possible holder who would fail is unknown; one who
/// would pass passes whatever their roles.
fn in_roles(roles: &Roles, j: Judgement) -> Judgement {
    match (roles, j) {
        (Roles::No, _) => Judgement::OutOfScope,
        (Roles::NotExported, _) => Judgement::Unknown("no role assignment export".to_owned()),
        (Roles::Yes(held), Judgement::Fail(why)) => {
            Judgement::Fail(format!("{} ({why})", held.join(", ")))
        }
        (Roles::Yes(_), j) => j,
        (Roles::Maybe(_), Judgement::Pass) => Judgement::Pass,
        (Roles::Maybe(roles_why), Judgement::Fail(why) | Judgement::Unknown(why)) => {
            Judgement::Unknown(format!("may hold a role in scope ({roles_why}); {why}"))
        }
        (Roles::Maybe(_), Judgement::OutOfScope) => Judgement::OutOfScope,
    }
}

/// The tenant-wide part of a control.
pub fn tenant(id: ControlId, tw: &Tenantwide) -> TenantCheck {
    match id {
        // CIS 5.2.2.2's audit procedure and SCuBA MS.AAD.3.2v1's instructions name one policy:
        // Users include All users, all cloud apps, grant MFA. Users each covered by other
        // policies do not make that policy.
        ControlId::Cis5_2_2_2 | ControlId::ScubaAad3_2 if tw.conditional_access => {
            if tw.all_users_mfa.is_empty() {
                TenantCheck::Fail(
                    "no enabled Conditional Access policy requires MFA of All users for all \
                     cloud apps without conditions"
                        .to_owned(),
                )
            } else {
                TenantCheck::Pass(format!("policy: {}", tw.all_users_mfa.join(", ")))
            }
        }
        ControlId::ScubaAad3_5 => match tw.methods {
            None => TenantCheck::None,
            Some(m) => {
                let on: Vec<&str> = [
                    (m.sms, "SMS"),
                    (m.voice, "Voice call"),
                    (m.email == Some(true), "Email OTP"),
                ]
                .into_iter()
                .filter_map(|(on, name)| on.then_some(name))
                .collect();
                if !on.is_empty() {
                    TenantCheck::Fail(format!(
                        "enabled in the authentication methods policy: {}",
                        on.join(", ")
                    ))
                } else if m.email.is_none() {
                    TenantCheck::Cannot(
                        "the authentication methods policy export has no Email configuration"
                            .to_owned(),
                    )
                } else if !m.migration_complete {
                    // The baseline's note: it applies once Manage Migration is complete; until
                    // then the legacy MFA and SSPR policies may still offer these methods.
                    TenantCheck::Cannot(
                        "SMS, voice and email OTP are disabled here, but the migration is not \
                         complete: the legacy MFA and SSPR policies may still offer them \
                         (MS.AAD.3.4v1)"
                            .to_owned(),
                    )
                } else {
                    TenantCheck::Pass(
                        "SMS, voice call and email OTP are disabled; migration complete".to_owned(),
                    )
                }
            }
        },
        _ => TenantCheck::None,
    }
}

#[cfg(test)]
mod tests;
