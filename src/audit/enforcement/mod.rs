//! Is MFA enforced for a user? Conditional Access, security defaults and per-user MFA, decided
//! offline from the exports read into [`Tenant`], first match wins (docs/enforcement.md).
//!
//! Each rule is answered yes, no or unknown ([`scope::Tri`]); the verdict is the first rule
//! that is not a sure no: its own verdict when it is a yes, `Undetermined` when it is unknown
//! (a rule above the deciding one could still hold, so no rule below it may be reported).
//! `scope` says whom a policy takes in, `strength` what its grant and apps demand.
//!
//! What each missing export means (the exports say nothing, so the verdict says so):
//!
//! | missing export | what it leaves open | verdict when no rule above decides |
//! |---|---|---|
//! | Conditional Access (`conditional_access == None`) | rules 1, 2 and 5, unless security defaults are on: Microsoft lets only one of the two be on, so security defaults on rules Conditional Access out | `Security defaults` when they are on, else `Undetermined` ("no Conditional Access export") |
//! | security defaults (`security_defaults == None`) | rule 3, unless the Conditional Access export has an enabled policy (any policy: Microsoft refuses to enable one while security defaults are on) | `Undetermined` ("security defaults not in the export") when rules 1 and 2 do not decide |
//! | group membership (a policy or a role assignment names a group absent from `groups`) | whether that policy takes the user in (included or excluded through the group) | `Undetermined` ("membership of group ID not in the export"), unless another policy surely decides a rule above |
//! | role assignments (no `RoleAssignments` file and no assignment) | whether a policy naming roles takes the user in | `Undetermined` ("role assignments not in the export") likewise |
//! | the user's object id (none in the user export, none in the directory) | whether a policy naming a user id that no export ties to a UPN means this user | `Undetermined` ("object id ID not tied to a UPN") likewise |
//! | the user's guest status (`guest == None`, or a type the export cannot pin down) | whether a policy targeting some guest or external user types takes the user in | `Undetermined` ("guest or external user type unknown") likewise |
//! | per-user MFA (`per_user == None`) | rule 4 | `Undetermined` ("per-user MFA state not in the export") when rules 1 to 3 do not decide |
//! | the user's row in the per-user export | rule 4 | `Undetermined` ("no per-user MFA state for this user") likewise |
//! | authentication methods policy | nothing here (it matters for the end of SMS and voice only) | — |

pub(crate) mod scope;
pub(crate) mod strength;

use std::collections::BTreeSet;

use crate::read::policies::model::{PerUserState, PolicyState, Tenant};

use scope::{Missing, Tri, Who};
use strength::{Coverage, Demand};

/// The verdict of the "MFA Enforcement" column: exactly one per user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Enforcement {
    /// An enabled MFA policy applies for all cloud apps with no narrowing condition and no
    /// non-MFA alternative.
    ConditionalAccess,
    /// An enabled MFA policy applies, but only to some apps, under some conditions, or with a
    /// non-MFA alternative.
    ConditionalAccessPartial,
    SecurityDefaults,
    /// Per-user MFA `enabled` or `enforced`.
    PerUser,
    /// Only report-only policies would require MFA.
    ReportOnly,
    NotEnforced,
    /// Depends on a group whose membership is not in the export.
    Undetermined,
}

impl Enforcement {
    /// Every verdict, in the order of the rules.
    pub const ALL: [Enforcement; 7] = [
        Enforcement::ConditionalAccess,
        Enforcement::ConditionalAccessPartial,
        Enforcement::SecurityDefaults,
        Enforcement::PerUser,
        Enforcement::ReportOnly,
        Enforcement::NotEnforced,
        Enforcement::Undetermined,
    ];

    /// As the report writes it.
    pub fn label(self) -> &'static str {
        match self {
            Enforcement::ConditionalAccess => "Conditional Access",
            Enforcement::ConditionalAccessPartial => "Conditional Access (partial)",
            Enforcement::SecurityDefaults => "Security defaults",
            Enforcement::PerUser => "Per-user",
            Enforcement::ReportOnly => "Report-only",
            Enforcement::NotEnforced => "Not enforced",
            Enforcement::Undetermined => "Undetermined",
        }
    }

    /// The key in the JSON summary.
    pub fn key(self) -> &'static str {
        match self {
            Enforcement::ConditionalAccess => "conditional_access",
            Enforcement::ConditionalAccessPartial => "conditional_access_partial",
            Enforcement::SecurityDefaults => "security_defaults",
            Enforcement::PerUser => "per_user",
            Enforcement::ReportOnly => "report_only",
            Enforcement::NotEnforced => "not_enforced",
            Enforcement::Undetermined => "undetermined",
        }
    }
}

/// The user a verdict is asked for, as the user export identifies them.
#[derive(Debug, Clone, Copy)]
pub struct UserRef<'a> {
    pub upn: &'a str,
    /// Object id, when the user export carries one (`Id`, `ObjectId`).
    pub id: Option<&'a str>,
    /// `userType` Guest (true) / Member (false), when known.
    pub guest: Option<bool>,
}

/// How a user is kept out of an MFA policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExcludedVia {
    User,
    /// Group display name or id.
    Group(String),
    /// Role display name or template id.
    Role(String),
    GuestType(String),
}

/// One exclusion of the user from an enabled or report-only MFA policy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Exclusion {
    pub policy: String,
    pub via: ExcludedVia,
}

/// The verdict and what decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Enforcement,
    /// The "Enforcement Detail" column: the deciding policies by display name and, for
    /// partial coverage, what narrows them; for `Undetermined`, the group that is missing.
    pub detail: String,
    /// Every MFA policy the user is excluded from, and how.
    pub exclusions: Vec<Exclusion>,
    /// Enabled MFA policies that take the user in but target only user actions (register
    /// security information, register or join devices) or authentication contexts: they ask
    /// for MFA at those steps, not at sign-in, so they enforce nothing here. Display names.
    pub step_up_only: Vec<String>,
}

/// One rule's answer over every policy: the policies that surely satisfy it (as the detail
/// names them) and what is missing to know about the others.
#[derive(Default)]
struct Rule {
    yes: Vec<String>,
    missing: BTreeSet<Missing>,
}

impl Rule {
    fn add(&mut self, applies: &Tri, entry: impl FnOnce() -> String) {
        match applies {
            Tri::Yes => self.yes.push(entry()),
            Tri::Unknown(m) => self.missing.extend(m.iter().cloned()),
            Tri::No => {}
        }
    }

    fn unknown(m: Missing) -> Rule {
        Rule {
            yes: Vec::new(),
            missing: BTreeSet::from([m]),
        }
    }

    /// Yes (with the sorted entries), unknown, or no.
    fn answer(mut self) -> (Tri, String) {
        if !self.yes.is_empty() {
            // Sorted so that the order of the policies in the export never shows.
            self.yes.sort();
            self.yes.dedup();
            (Tri::Yes, self.yes.join("; "))
        } else if !self.missing.is_empty() {
            (Tri::Unknown(self.missing), String::new())
        } else {
            (Tri::No, String::new())
        }
    }
}

/// Does the user hold the directory role (template id) through an active assignment at `/`,
/// directly or through a role-assignable group? `Err` names what the exports lack when they
/// cannot tell (the admins finding, `audit::admins`).
pub fn holds_role(tenant: &Tenant, user: &UserRef, role: &str) -> Result<bool, Vec<String>> {
    match Who::new(tenant, user).has_role(role) {
        Tri::Yes => Ok(true),
        Tri::No => Ok(false),
        Tri::Unknown(missing) => Err(missing.iter().map(Missing::describe).collect()),
    }
}

/// The user's row of the per-user MFA export (by object id where the user has one, else by
/// UPN); `None` when there is no such export or no row for the user. The report's MFA Status
/// shows it when the user export has no per-user state of its own.
pub fn per_user_state(tenant: &Tenant, user: &UserRef) -> Option<PerUserState> {
    per_user_state_of(tenant, &Who::new(tenant, user))
}

fn per_user_state_of(tenant: &Tenant, who: &Who) -> Option<PerUserState> {
    let states = tenant.per_user.as_ref()?;
    who.id()
        .and_then(|id| states.get(id))
        .or_else(|| states.get(who.upn()))
        .copied()
}

/// Decides one user: the first rule that is not a sure no gives the verdict.
pub fn evaluate(tenant: &Tenant, user: &UserRef) -> Decision {
    let who = Who::new(tenant, user);
    let mut full = Rule::default();
    let mut partial = Rule::default();
    let mut report_only = Rule::default();
    let mut exclusions = Vec::new();
    let mut step_up_only = Vec::new();

    match &tenant.conditional_access {
        // Security defaults on: Conditional Access cannot be (Microsoft allows one or the
        // other), so no policy export is needed to rule rules 1, 2 and 5 out.
        None if tenant.security_defaults == Some(true) => {}
        None => {
            full = Rule::unknown(Missing::ConditionalAccess);
            partial = Rule::unknown(Missing::ConditionalAccess);
            report_only = Rule::unknown(Missing::ConditionalAccess);
        }
        Some(policies) => {
            for p in policies {
                if p.state == PolicyState::Disabled {
                    continue;
                }
                let demand = strength::demand(&p.grant);
                if demand == Demand::NoMfa {
                    continue;
                }
                let coverage = strength::coverage(p);
                if coverage == Coverage::Nothing {
                    continue;
                }
                let scoped = scope::scoped(&who, &p.users);
                exclusions.extend(scoped.excluded.into_iter().map(|via| Exclusion {
                    policy: p.display_name.clone(),
                    via,
                }));
                let name = || p.display_name.clone();
                match (p.state, &coverage, &demand) {
                    (_, Coverage::NotSignIns, _) => {
                        if p.state == PolicyState::Enabled && scoped.applies == Tri::Yes {
                            step_up_only.push(name());
                        }
                    }
                    (PolicyState::ReportOnly, _, _) => report_only.add(&scoped.applies, name),
                    (_, Coverage::Full, Demand::Mfa) => full.add(&scoped.applies, name),
                    _ => partial.add(&scoped.applies, || {
                        let mut why = match &coverage {
                            Coverage::Partial(n) => n.clone(),
                            _ => Vec::new(),
                        };
                        if let Demand::MfaOr(alternatives) = &demand {
                            why.push(format!("OR: {}", alternatives.join(", ")));
                        }
                        format!("{} ({})", p.display_name, why.join(", "))
                    }),
                }
            }
        }
    }

    let defaults = match tenant.security_defaults {
        Some(on) => Rule {
            yes: if on {
                vec!["security defaults on".to_owned()]
            } else {
                Vec::new()
            },
            missing: BTreeSet::new(),
        },
        // An enabled Conditional Access policy means security defaults are off: Microsoft
        // refuses to turn either on while the other is.
        None if tenant
            .conditional_access
            .as_ref()
            .is_some_and(|ps| ps.iter().any(|p| p.state == PolicyState::Enabled)) =>
        {
            Rule::default()
        }
        None => Rule::unknown(Missing::SecurityDefaults),
    };

    let per_user = match &tenant.per_user {
        None => Rule::unknown(Missing::PerUser),
        Some(_) => match per_user_state_of(tenant, &who) {
            None => Rule::unknown(Missing::PerUserRow),
            Some(PerUserState::Disabled) => Rule::default(),
            Some(s) => Rule {
                yes: vec![match s {
                    PerUserState::Enforced => "per-user MFA enforced".to_owned(),
                    _ => "per-user MFA enabled".to_owned(),
                }],
                missing: BTreeSet::new(),
            },
        },
    };

    exclusions.sort();
    exclusions.dedup();
    step_up_only.sort();
    step_up_only.dedup();

    let rules = [
        (Enforcement::ConditionalAccess, full, ""),
        (Enforcement::ConditionalAccessPartial, partial, ""),
        (Enforcement::SecurityDefaults, defaults, ""),
        (Enforcement::PerUser, per_user, ""),
        (Enforcement::ReportOnly, report_only, "report-only: "),
    ];
    for (verdict, rule, prefix) in rules {
        match rule.answer() {
            (Tri::Yes, names) => {
                return Decision {
                    verdict,
                    detail: format!("{prefix}{names}"),
                    exclusions,
                    step_up_only,
                }
            }
            (Tri::Unknown(missing), _) => {
                let why: Vec<String> = missing.iter().map(Missing::describe).collect();
                return Decision {
                    verdict: Enforcement::Undetermined,
                    detail: why.join("; "),
                    exclusions,
                    step_up_only,
                };
            }
            (Tri::No, _) => {}
        }
    }
    Decision {
        verdict: Enforcement::NotEnforced,
        detail: not_enforced_detail(&exclusions, &step_up_only),
        exclusions,
        step_up_only,
    }
}

/// Why nothing enforces MFA, in so far as the exports show it: the policies the user is kept
/// out of, and those that ask for MFA only at user actions or authentication contexts.
fn not_enforced_detail(exclusions: &[Exclusion], step_up_only: &[String]) -> String {
    let mut parts = Vec::new();
    if !exclusions.is_empty() {
        let list: Vec<String> = exclusions
            .iter()
            .map(|e| format!("{} ({})", e.policy, e.via.describe()))
            .collect();
        parts.push(format!("excluded from {}", list.join(", ")));
    }
    if !step_up_only.is_empty() {
        parts.push(format!(
            "MFA only at user actions or authentication contexts: {}",
            step_up_only.join(", ")
        ));
    }
    parts.join("; ")
}

impl ExcludedVia {
    /// As the detail column says it.
    pub fn describe(&self) -> String {
        match self {
            ExcludedVia::User => "user".to_owned(),
            ExcludedVia::Group(g) => format!("group {g}"),
            ExcludedVia::Role(r) => format!("role {r}"),
            ExcludedVia::GuestType(t) => format!("guest type {t}"),
        }
    }
}

#[cfg(test)]
mod tests;
