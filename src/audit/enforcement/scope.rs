//! Does a Conditional Access policy's `conditions.users` take in a given user? Users by object
//! id, groups through their transitive members, directory roles through active assignments at
//! the tenant root, guests and external users by type; exclusions win over inclusions.
//!
//! Every answer is three-valued ([`Tri`]): when the exports cannot tell (a group with no
//! membership rows, roles with no assignment export, a guest type the user export cannot
//! pin down), the answer is `Unknown` with what is missing, and the rules turn it into
//! `Undetermined` unless another rule already decides. Kleene's logic keeps that honest: an
//! unknown never hides behind a known, and a known never hides an unknown that could flip it.

use std::collections::BTreeSet;

use crate::read::policies::model::{PolicyFileKind, Principal, Tenant, UserScope};

use super::{ExcludedVia, UserRef};

/// What an export would have had to carry for the answer to be known.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    /// No Conditional Access export.
    ConditionalAccess,
    /// A group (id) a policy or a role assignment names, with no membership rows.
    Group(String),
    /// A policy names directory roles and no role assignment export was given.
    RoleAssignments,
    /// A policy names an object id that neither side ties to a UPN, and the user export has
    /// no object id.
    UserId(String),
    /// A policy targets some guest or external user types, and the user export's `userType`
    /// (or its absence) cannot say which type the user is.
    GuestType,
    /// A policy targets guest or external user types from some external tenants only, and no
    /// export says which tenant a guest comes from.
    GuestTenant,
    /// No security defaults export, and no enabled Conditional Access policy to rule it out.
    SecurityDefaults,
    /// No per-user MFA export.
    PerUser,
    /// A per-user MFA export without a row for this user.
    PerUserRow,
}

impl Missing {
    /// As the detail column says it.
    pub fn describe(&self) -> String {
        match self {
            Missing::ConditionalAccess => "no Conditional Access export".to_owned(),
            Missing::Group(id) => format!("membership of group {id} not in the export"),
            Missing::RoleAssignments => "role assignments not in the export".to_owned(),
            Missing::UserId(id) => format!("object id {id} not tied to a UPN"),
            Missing::GuestType => "guest or external user type unknown".to_owned(),
            Missing::GuestTenant => {
                "guest's home tenant unknown (the policy names some external tenants)".to_owned()
            }
            Missing::SecurityDefaults => "security defaults not in the export".to_owned(),
            Missing::PerUser => "per-user MFA state not in the export".to_owned(),
            Missing::PerUserRow => "no per-user MFA state for this user".to_owned(),
        }
    }
}

/// Yes, no, or cannot tell and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown(BTreeSet<Missing>),
}

impl Tri {
    fn unknown(m: Missing) -> Tri {
        Tri::Unknown(BTreeSet::from([m]))
    }

    /// Kleene's OR over `items`: yes if any is yes, else unknown (with everything that is
    /// missing to know) if any is unknown, else no. Every "any of several three-valued
    /// answers" fold (policy scopes, methods policy targets) goes through here.
    pub(crate) fn any(items: impl IntoIterator<Item = Tri>) -> Tri {
        let mut missing = BTreeSet::new();
        for t in items {
            match t {
                Tri::Yes => return Tri::Yes,
                Tri::Unknown(m) => missing.extend(m),
                Tri::No => {}
            }
        }
        if missing.is_empty() {
            Tri::No
        } else {
            Tri::Unknown(missing)
        }
    }

    /// Kleene's `self AND NOT excluded`: a sure exclusion wins over anything, a sure "not
    /// included" needs no exclusion, and what is left unknown names everything missing. How
    /// every "included and not excluded" target list is read (policies, methods policy).
    pub(crate) fn and_not(self, excluded: Tri) -> Tri {
        match (self, excluded) {
            (_, Tri::Yes) | (Tri::No, _) => Tri::No,
            (Tri::Yes, Tri::No) => Tri::Yes,
            (Tri::Unknown(mut a), Tri::Unknown(b)) => {
                a.extend(b);
                Tri::Unknown(a)
            }
            (Tri::Unknown(m), Tri::No) | (Tri::Yes, Tri::Unknown(m)) => Tri::Unknown(m),
        }
    }
}

/// The user as the exports can identify them: object id (from the user export, else from the
/// directory the policy exports build), UPN, guest status.
pub struct Who<'a> {
    upn: String,
    id: Option<String>,
    guest: Option<bool>,
    tenant: &'a Tenant,
}

impl<'a> Who<'a> {
    pub fn new(tenant: &'a Tenant, user: &UserRef) -> Who<'a> {
        let upn = user.upn.trim().to_lowercase();
        let id = match user.id.map(|i| i.trim().to_lowercase()) {
            Some(id) if !id.is_empty() => Some(id),
            _ => tenant.directory.id_by_upn.get(&upn).cloned(),
        };
        Who {
            upn,
            id,
            guest: user.guest,
            tenant,
        }
    }

    /// The user's object id, when known.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    pub fn upn(&self) -> &str {
        &self.upn
    }

    /// Is the principal (`id`, with its UPN when the export gave one) this user? By object id
    /// when both sides have one, else by UPN.
    fn is(&self, id: &str, upn: Option<&str>) -> Tri {
        let id = id.trim().to_lowercase();
        if let (Some(mine), false) = (&self.id, id.is_empty()) {
            return if *mine == id { Tri::Yes } else { Tri::No };
        }
        let upn = upn
            .map(str::to_lowercase)
            .or_else(|| self.tenant.directory.upn_by_id.get(&id).cloned());
        match upn {
            Some(u) if u == self.upn => Tri::Yes,
            Some(_) => Tri::No,
            None if id.is_empty() => Tri::No,
            None => Tri::unknown(Missing::UserId(id)),
        }
    }

    /// Is the user the object `id` (a policy's user target)?
    pub fn is_user(&self, id: &str) -> Tri {
        self.is(id, None)
    }

    fn is_principal(&self, p: &Principal) -> Tri {
        self.is(&p.id, p.upn.as_deref())
    }

    /// A group as the admin knows it: its display name from the memberships export, else its
    /// object id.
    pub fn group_label(&self, group: &str) -> String {
        let id = group.trim().to_lowercase();
        match self.tenant.group_names.get(&id) {
            Some(name) => format!("{name} ({id})"),
            None => group.trim().to_owned(),
        }
    }

    /// Is the user a transitive member of the group?
    pub fn in_group(&self, group: &str) -> Tri {
        let group = group.trim().to_lowercase();
        match self.tenant.groups.get(&group) {
            None => Tri::unknown(Missing::Group(group)),
            Some(members) => Tri::any(members.iter().map(|m| self.is_principal(m))),
        }
    }

    /// Does the user hold the role (template id) through an active assignment at `/`, directly
    /// or through a role-assignable group? Assignments scoped to an administrative unit or an
    /// application do not count for Conditional Access.
    pub fn has_role(&self, role: &str) -> Tri {
        let exported = !self.tenant.roles.is_empty()
            || (self.tenant.files.iter()).any(|f| f.kind == PolicyFileKind::RoleAssignments);
        if !exported {
            return Tri::unknown(Missing::RoleAssignments);
        }
        Tri::any(
            self.tenant
                .roles
                .iter()
                .filter(|a| a.role_id.eq_ignore_ascii_case(role.trim()) && a.scope.trim() == "/")
                .map(|a| {
                    if a.principal.kind.to_lowercase().contains("group") {
                        self.in_group(&a.principal.id)
                    } else {
                        self.is_principal(&a.principal)
                    }
                }),
        )
    }

    /// Is the user one of the guest or external user `types` (Graph's
    /// conditionalAccessGuestOrExternalUserTypes)? A user export carries `userType` (Guest or
    /// Member) and the UPN; B2B collaboration users carry `#EXT#` in their UPN (Microsoft
    /// Learn, "B2B collaboration user properties"). That pins a user down to a few possible
    /// types: yes when every possible type is targeted, no when none is, else unknown.
    pub fn guest_type(&self, types: &[String]) -> Tri {
        const NOT_EXTERNAL: &str = "";
        let external = self.upn.contains("#ext#");
        let possible: &[&str] = match (self.guest, external) {
            (Some(false), false) => &[NOT_EXTERNAL],
            (Some(false), true) => &["b2bcollaborationmember"],
            // A guest could still be an "other external user": the types are Microsoft's
            // reading of how the account authenticates, which no export carries.
            (Some(true), false) => &["internalguest", "otherexternaluser"],
            (Some(true), true) => &["b2bcollaborationguest", "otherexternaluser"],
            (None, false) => &[NOT_EXTERNAL, "internalguest", "otherexternaluser"],
            (None, true) => &[
                "b2bcollaborationguest",
                "b2bcollaborationmember",
                "otherexternaluser",
            ],
        };
        let targeted =
            |t: &str| !t.is_empty() && types.iter().any(|x| x.trim().eq_ignore_ascii_case(t));
        let hits = possible.iter().filter(|t| targeted(t)).count();
        if hits == 0 {
            Tri::No
        } else if hits == possible.len() {
            Tri::Yes
        } else {
            Tri::unknown(Missing::GuestType)
        }
    }
}

/// Every guest or external user type, for the legacy `GuestsOrExternalUsers` value of
/// `includeUsers` / `excludeUsers` (Graph conditionalAccessUsers).
const ALL_GUEST_TYPES: [&str; 6] = [
    "internalGuest",
    "b2bCollaborationGuest",
    "b2bCollaborationMember",
    "b2bDirectConnectUser",
    "otherExternalUser",
    "serviceProvider",
];

/// A guest type match when the policy names some external tenants only: a type that surely
/// matches may still be from a tenant not listed, which no export tells, so it is at most
/// unknown; a type that surely does not match stays no.
fn some_tenants(types: Tri, limited: bool) -> Tri {
    match types {
        Tri::Yes if limited => Tri::unknown(Missing::GuestTenant),
        Tri::Unknown(mut m) if limited => {
            m.insert(Missing::GuestTenant);
            Tri::Unknown(m)
        }
        t => t,
    }
}

/// Whether a policy's users take the user in, and every way the user is excluded from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scoped {
    pub applies: Tri,
    /// The exclusions that surely name the user (an exclusion that only might is `Unknown`
    /// in `applies`, never listed here).
    pub excluded: Vec<ExcludedVia>,
}

/// Does `scope` take in the user? Exclusions win over inclusions: excluded for sure means no,
/// whatever the inclusions say, and an exclusion that cannot be decided makes an inclusion
/// unknown.
pub fn scoped(who: &Who, scope: &UserScope) -> Scoped {
    let all_types: Vec<String> = ALL_GUEST_TYPES.iter().map(|t| t.to_string()).collect();
    let user_entry = |u: &String| -> Tri {
        let u = u.trim();
        if u.eq_ignore_ascii_case("all") {
            Tri::Yes
        } else if u.eq_ignore_ascii_case("none") {
            Tri::No
        } else if u.eq_ignore_ascii_case("GuestsOrExternalUsers") {
            who.guest_type(&all_types)
        } else {
            who.is(u, None)
        }
    };

    let mut include: Vec<Tri> = scope.include_users.iter().map(user_entry).collect();
    include.extend(scope.include_groups.iter().map(|g| who.in_group(g)));
    include.extend(scope.include_roles.iter().map(|r| who.has_role(r)));
    if !scope.include_guest_types.is_empty() {
        let t = who.guest_type(&scope.include_guest_types);
        include.push(some_tenants(t, scope.include_guest_some_tenants));
    }
    let included = Tri::any(include);

    let mut exclude: Vec<(Tri, ExcludedVia)> = Vec::new();
    for u in &scope.exclude_users {
        let via = if u.trim().eq_ignore_ascii_case("GuestsOrExternalUsers") {
            ExcludedVia::GuestType(u.trim().to_owned())
        } else {
            ExcludedVia::User
        };
        exclude.push((user_entry(u), via));
    }
    for g in &scope.exclude_groups {
        exclude.push((who.in_group(g), ExcludedVia::Group(who.group_label(g))));
    }
    for r in &scope.exclude_roles {
        exclude.push((
            who.has_role(r),
            ExcludedVia::Role(crate::audit::roles::role_label(r)),
        ));
    }
    if !scope.exclude_guest_types.is_empty() {
        let via = ExcludedVia::GuestType(scope.exclude_guest_types.join(","));
        let t = who.guest_type(&scope.exclude_guest_types);
        exclude.push((some_tenants(t, scope.exclude_guest_some_tenants), via));
    }
    let excluded_vias: Vec<ExcludedVia> = exclude
        .iter()
        .filter(|(t, _)| *t == Tri::Yes)
        .map(|(_, v)| v.clone())
        .collect();
    let excluded = Tri::any(exclude.into_iter().map(|(t, _)| t));

    let applies = included.and_not(excluded);
    Scoped {
        applies,
        excluded: excluded_vias,
    }
}
