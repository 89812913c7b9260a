//! Is MFA enforced for a user? Conditional Access, security defaults and per-user MFA, decided
//! offline from the exports read into [`Tenant`], first match wins (docs/enforcement.md).

use crate::read::policies::model::Tenant;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludedVia {
    User,
    /// Group display name or id.
    Group(String),
    /// Role display name or template id.
    Role(String),
    GuestType(String),
}

/// One exclusion of the user from an enabled or report-only MFA policy.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Decides one user. (Placeholder body until the evaluation lands: every user undetermined.)
pub fn evaluate(_tenant: &Tenant, _user: &UserRef) -> Decision {
    Decision {
        verdict: Enforcement::Undetermined,
        detail: String::new(),
        exclusions: Vec::new(),
    }
}
