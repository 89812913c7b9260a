//! Properties of the enforcement verdict on random small tenants: exclusions only ever take
//! enforcement away, a membership missing from the export only ever turns a verdict into
//! `Undetermined` (never into another verdict, which would be a guess), and the order of the
//! policies in the export never shows.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::sample::subsequence;

use mfa_audit::audit::enforcement::{evaluate, Decision, Enforcement, UserRef};
use mfa_audit::read::policies::model::{
    AppScope, CaPolicy, Grant, Narrowing, PerUserState, PolicyFile, PolicyFileKind, PolicyState,
    Principal, RoleAssignment, Tenant, UserScope,
};

const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
const GROUPS: [&str; 3] = ["g0", "g1", "g2"];
const ROLES: [&str; 2] = ["r0", "r1"];
const GUEST_TYPES: [&str; 3] = [
    "internalGuest",
    "b2bCollaborationGuest",
    "otherExternalUser",
];

fn upn(id: &str) -> String {
    format!("{id}@contoso.example")
}

fn strs(v: Vec<&str>) -> Vec<String> {
    v.into_iter().map(str::to_owned).collect()
}

fn scope() -> impl Strategy<Value = UserScope> {
    let mut include: Vec<&'static str> = USERS.to_vec();
    include.push("All");
    (
        subsequence(include, 0..=2),
        subsequence(USERS.to_vec(), 0..=1),
        subsequence(GROUPS.to_vec(), 0..=2),
        subsequence(GROUPS.to_vec(), 0..=1),
        subsequence(ROLES.to_vec(), 0..=1),
        subsequence(ROLES.to_vec(), 0..=1),
        subsequence(GUEST_TYPES.to_vec(), 0..=3),
        subsequence(GUEST_TYPES.to_vec(), 0..=3),
    )
        .prop_map(|(iu, eu, ig, eg, ir, er, it, et)| UserScope {
            include_users: strs(iu),
            exclude_users: strs(eu),
            include_groups: strs(ig),
            exclude_groups: strs(eg),
            include_roles: strs(ir),
            exclude_roles: strs(er),
            include_guest_types: strs(it),
            exclude_guest_types: strs(et),
            ..UserScope::default()
        })
}

fn policy() -> impl Strategy<Value = CaPolicy> {
    let states = prop_oneof![
        Just(PolicyState::Enabled),
        Just(PolicyState::ReportOnly),
        Just(PolicyState::Disabled)
    ];
    let controls = prop_oneof![
        Just(vec!["mfa"]),
        Just(vec!["mfa", "compliantDevice"]),
        Just(vec!["compliantDevice"]),
        Just(vec!["block"]),
    ];
    let apps = prop_oneof![Just("All"), Just("Office365")];
    (
        0u32..1000,
        states,
        scope(),
        apps,
        any::<bool>(),
        controls,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(n, state, users, app, located, built_in, all, strength)| CaPolicy {
                id: format!("p{n}"),
                display_name: format!("Policy {n}"),
                state,
                users,
                apps: AppScope {
                    include: vec![app.to_owned()],
                    ..AppScope::default()
                },
                narrowing: if located {
                    vec![Narrowing::Locations]
                } else {
                    Vec::new()
                },
                grant: Grant {
                    require_all: all,
                    built_in: strs(built_in),
                    authentication_strength: strength.then(|| "Multifactor authentication".into()),
                    ..Grant::default()
                },
            },
        )
}

fn per_user_state() -> impl Strategy<Value = Option<PerUserState>> {
    prop_oneof![
        Just(None),
        Just(Some(PerUserState::Disabled)),
        Just(Some(PerUserState::Enabled)),
        Just(Some(PerUserState::Enforced)),
    ]
}

/// A tenant, and the user export's guest status of each user.
fn tenant() -> impl Strategy<Value = (Tenant, Vec<Option<bool>>)> {
    (
        proptest::collection::vec(policy(), 0..4),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(proptest::option::of(subsequence(USERS.to_vec(), 0..=4)), 3),
        proptest::collection::vec((0usize..4, 0usize..2, any::<bool>()), 0..4),
        proptest::option::of(proptest::collection::vec(per_user_state(), 4)),
        proptest::collection::vec(proptest::option::of(any::<bool>()), 4),
        any::<bool>(),
    )
        .prop_map(
            |(policies, defaults, members, roles, per_user, guests, ca)| {
                let mut t = Tenant {
                    conditional_access: ca.then_some(policies),
                    security_defaults: defaults,
                    ..Tenant::default()
                };
                for (g, m) in GROUPS.iter().zip(members) {
                    if let Some(m) = m {
                        let ps = m.iter().map(|u| Principal {
                            id: u.to_string(),
                            upn: Some(upn(u)),
                            kind: "user".into(),
                        });
                        t.groups.insert(g.to_string(), ps.collect());
                    }
                }
                t.roles = roles
                    .into_iter()
                    .map(|(u, r, root)| RoleAssignment {
                        role_id: ROLES[r].into(),
                        principal: Principal {
                            id: USERS[u].into(),
                            upn: Some(upn(USERS[u])),
                            kind: "user".into(),
                        },
                        scope: if root {
                            "/".into()
                        } else {
                            "/administrativeUnits/au".into()
                        },
                    })
                    .collect();
                t.files.push(PolicyFile {
                    path: "roles.json".into(),
                    kind: PolicyFileKind::RoleAssignments,
                    items: 0,
                });
                t.per_user = per_user.map(|states| {
                    let mut map = HashMap::new();
                    for (u, s) in USERS.iter().zip(states) {
                        if let Some(s) = s {
                            map.insert(u.to_string(), s);
                        }
                    }
                    map
                });
                (t, guests)
            },
        )
}

fn decide(t: &Tenant, guests: &[Option<bool>]) -> Vec<Decision> {
    USERS
        .iter()
        .zip(guests)
        .map(|(id, guest)| {
            let upn = upn(id);
            evaluate(
                t,
                &UserRef {
                    upn: &upn,
                    id: Some(id),
                    guest: *guest,
                },
            )
        })
        .collect()
}

/// An exclusion to add to one policy.
#[derive(Debug, Clone)]
enum Exclude {
    User(&'static str),
    Group(&'static str),
    Role(&'static str),
    GuestType(&'static str),
}

fn exclude() -> impl Strategy<Value = Exclude> {
    prop_oneof![
        proptest::sample::select(USERS.to_vec()).prop_map(Exclude::User),
        // g9 has no membership rows in any tenant: an exclusion that cannot be decided.
        proptest::sample::select(vec!["g0", "g1", "g2", "g9"]).prop_map(Exclude::Group),
        proptest::sample::select(ROLES.to_vec()).prop_map(Exclude::Role),
        proptest::sample::select(GUEST_TYPES.to_vec()).prop_map(Exclude::GuestType),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Excluding someone from a policy never makes a not-enforced user enforced (nor anything
    /// else: with no MFA policy taking them in, one more exclusion changes nothing).
    #[test]
    fn an_exclusion_never_enforces((t, guests) in tenant(), which in 0usize..4, ex in exclude()) {
        let before = decide(&t, &guests);
        let mut after_t = t.clone();
        if let Some(p) = after_t.conditional_access.as_mut().and_then(|ps| ps.get_mut(which)) {
            let u = &mut p.users;
            match ex {
                Exclude::User(x) => u.exclude_users.push(x.into()),
                Exclude::Group(x) => u.exclude_groups.push(x.into()),
                Exclude::Role(x) => u.exclude_roles.push(x.into()),
                Exclude::GuestType(x) => u.exclude_guest_types.push(x.into()),
            }
        }
        let after = decide(&after_t, &guests);
        for (b, a) in before.iter().zip(&after) {
            if b.verdict == Enforcement::NotEnforced {
                prop_assert_eq!(a.verdict, Enforcement::NotEnforced, "{:?} -> {:?}", b, a);
            }
        }
    }

    /// Taking a group's membership out of the export never turns a decided verdict into a
    /// different decided one: only into the same, or into `Undetermined`.
    #[test]
    fn a_missing_membership_never_changes_a_decision((t, guests) in tenant(), which in 0usize..3) {
        let before = decide(&t, &guests);
        let mut after_t = t.clone();
        after_t.groups.remove(GROUPS[which]);
        let after = decide(&after_t, &guests);
        for (b, a) in before.iter().zip(&after) {
            if b.verdict != Enforcement::Undetermined && a.verdict != Enforcement::Undetermined {
                prop_assert_eq!(a.verdict, b.verdict, "{:?} -> {:?}", b, a);
            }
        }
    }

    /// The order of the policies in the export never changes a decision.
    #[test]
    fn policy_order_never_shows((t, guests) in tenant()) {
        let mut reversed = t.clone();
        if let Some(ps) = reversed.conditional_access.as_mut() {
            ps.reverse();
        }
        prop_assert_eq!(decide(&t, &guests), decide(&reversed, &guests));
    }
}
