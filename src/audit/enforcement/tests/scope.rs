//! Whom a policy takes in: ids, groups, roles (at the root only, directly or through a
//! group), guest and external user types, and every way of being excluded.

use super::*;

#[test]
fn scope_and_exclusions() {
    let alice = || member("alice@contoso.example", "a1");
    let bob = || member("bob@contoso.example", "b1");
    let all = || users(&["All"]);
    let group = |g: &str| UserScope {
        include_groups: strs(&[g]),
        ..UserScope::default()
    };
    let role = |r: &str| UserScope {
        include_roles: strs(&[r]),
        ..UserScope::default()
    };
    check(vec![
        case(
            "by id",
            vec![mfa("Alice only", users(&["a1"]))],
            alice(),
            ConditionalAccess,
            "Alice only",
        ),
        case(
            "other id",
            vec![mfa("Bob only", users(&["b1"]))],
            alice(),
            NotEnforced,
            "",
        ),
        // Bob is a (transitive) member of g-staff; Alice is not.
        case(
            "group member",
            vec![mfa("Staff", group("g-staff"))],
            bob(),
            ConditionalAccess,
            "Staff",
        ),
        case(
            "not a member",
            vec![mfa("Staff", group("g-staff"))],
            alice(),
            NotEnforced,
            "",
        ),
        // Erin holds Global Administrator at `/`; Frank only over an administrative unit,
        // which Conditional Access does not count.
        case(
            "role at root",
            vec![mfa("Admins", role(GLOBAL_ADMIN))],
            member("erin@contoso.example", "e1"),
            ConditionalAccess,
            "Admins",
        ),
        case(
            "role at an administrative unit",
            vec![mfa("Admins", role(GLOBAL_ADMIN))],
            member("frank@contoso.example", "f1"),
            NotEnforced,
            "",
        ),
        // Gina is Exchange Administrator through the role-assignable group g-admins.
        case(
            "role through a group",
            vec![mfa("Admins", role(EXCHANGE_ADMIN))],
            member("gina@contoso.example", "g1"),
            ConditionalAccess,
            "Admins",
        ),
        // Exclusions win over inclusions, and each says how.
        Case {
            exclusions: vec![("Require MFA", ExcludedVia::User)],
            ..case(
                "excluded user",
                vec![excluding(mfa("Require MFA", all()), |u| {
                    u.exclude_users = strs(&["a1"])
                })],
                alice(),
                NotEnforced,
                "excluded from Require MFA (user)",
            )
        },
        Case {
            exclusions: vec![(
                "Require MFA",
                ExcludedVia::Group("Break glass (g-breakglass)".into()),
            )],
            ..case(
                "excluded group",
                vec![excluding(mfa("Require MFA", all()), |u| {
                    u.exclude_groups = strs(&["g-breakglass"])
                })],
                alice(),
                NotEnforced,
                "excluded from Require MFA (group Break glass (g-breakglass))",
            )
        },
        Case {
            exclusions: vec![(
                "Require MFA",
                ExcludedVia::Role(format!("Global Administrator ({GLOBAL_ADMIN})")),
            )],
            ..case(
                "excluded role",
                vec![excluding(mfa("Require MFA", all()), |u| {
                    u.exclude_roles = strs(&[GLOBAL_ADMIN])
                })],
                member("erin@contoso.example", "e1"),
                NotEnforced,
                "excluded from Require MFA (role Global Administrator (62e90394-69f5-4237-9190-012177145e10))",
            )
        },
        // A role the admins finding does not count is still named, not shown as a GUID.
        Case {
            exclusions: vec![(
                "Require MFA",
                ExcludedVia::Role(format!("Directory Readers ({DIRECTORY_READERS})")),
            )],
            ..case(
                "excluded non-privileged role",
                vec![excluding(mfa("Require MFA", all()), |u| {
                    u.exclude_roles = strs(&[DIRECTORY_READERS])
                })],
                member("dave@contoso.example", "d1"),
                NotEnforced,
                "excluded from Require MFA (role Directory Readers (88d8e3e3-8f55-4a1e-953a-9b9898b8876b))",
            )
        },
        // A report-only policy's exclusions are listed too: the auditor asks about both.
        Case {
            exclusions: vec![("Trial", ExcludedVia::User)],
            ..case(
                "excluded from report-only",
                vec![
                    mfa("Require MFA", all()),
                    with_state(
                        excluding(mfa("Trial", all()), |u| u.exclude_users = strs(&["a1"])),
                        PolicyState::ReportOnly,
                    ),
                ],
                alice(),
                ConditionalAccess,
                "Require MFA",
            )
        },
        // Excluded from one full policy, taken in by another: still enforced, and the
        // exclusion is still listed.
        Case {
            exclusions: vec![("Require MFA", ExcludedVia::User)],
            ..case(
                "excluded from one of two",
                vec![
                    excluding(mfa("Require MFA", all()), |u| {
                        u.exclude_users = strs(&["a1"])
                    }),
                    mfa("Everyone", all()),
                ],
                alice(),
                ConditionalAccess,
                "Everyone",
            )
        },
        // Hana has no object id anywhere but in the user export; a policy naming her id
        // still finds her by id.
        case(
            "id from the user export only",
            vec![mfa("Hana", users(&["h1"]))],
            member("hana@contoso.example", "h1"),
            ConditionalAccess,
            "Hana",
        ),
        // Dave's user export has no id: the directory ties his UPN to d1.
        case(
            "id through the directory",
            vec![mfa("Dave", users(&["d1"]))],
            ("DAVE@contoso.example".into(), None, Some(false)),
            ConditionalAccess,
            "Dave",
        ),
        // A user with no id anywhere, and a policy naming an id no export ties to a UPN:
        // it could be them.
        case(
            "unknown id",
            vec![mfa("Someone", users(&["x9"]))],
            ("nobody@contoso.example".into(), None, Some(false)),
            Undetermined,
            "object id x9 not tied to a UPN",
        ),
    ]);
}

#[test]
fn guests() {
    let carol = || {
        let upn = "carol_fabrikam.example#EXT#@contoso.example";
        (upn.to_owned(), Some("c1".to_owned()), Some(true))
    };
    let every_type = || UserScope {
        include_guest_types: strs(&[
            "internalGuest",
            "b2bCollaborationGuest",
            "b2bCollaborationMember",
            "b2bDirectConnectUser",
            "otherExternalUser",
            "serviceProvider",
        ]),
        ..UserScope::default()
    };
    check(vec![
        case("every guest type", vec![mfa("Guests", every_type())], carol(), ConditionalAccess, "Guests"),
        case(
            "legacy value",
            vec![mfa("Guests", users(&["GuestsOrExternalUsers"]))],
            carol(),
            ConditionalAccess,
            "Guests",
        ),
        // An internal member (no #EXT#, userType Member) is no guest or external type.
        case(
            "member",
            vec![mfa("Guests", every_type())],
            member("alice@contoso.example", "a1"),
            NotEnforced,
            "",
        ),
        // Guest status unknown and a guest-only policy: cannot say.
        case(
            "guest status unknown",
            vec![mfa("Guests", every_type())],
            ("alice@contoso.example".into(), Some("a1".into()), None),
            Undetermined,
            "guest or external user type unknown",
        ),
        // Only B2B collaboration guests: Carol could be an "other external user" as far as
        // any export says, so it cannot be decided.
        case(
            "one guest type",
            vec![mfa(
                "B2B",
                UserScope {
                    include_guest_types: strs(&["b2bCollaborationGuest"]),
                    ..UserScope::default()
                },
            )],
            carol(),
            Undetermined,
            "guest or external user type unknown",
        ),
        // Every type, but from some external tenants only (membershipKind enumerated): which
        // tenant Carol comes from is in no export, so neither yes nor no.
        case(
            "some tenants",
            vec![mfa(
                "Partners",
                UserScope {
                    include_guest_some_tenants: true,
                    ..every_type()
                },
            )],
            carol(),
            Undetermined,
            "guest's home tenant unknown (the policy names some external tenants)",
        ),
        // ... but a member is surely none of the types, from whatever tenant.
        case(
            "some tenants, member",
            vec![mfa(
                "Partners",
                UserScope {
                    include_guest_some_tenants: true,
                    ..every_type()
                },
            )],
            member("alice@contoso.example", "a1"),
            NotEnforced,
            "",
        ),
        // Excluded as a guest of some tenants: the exclusion may or may not hold.
        case(
            "excluded from some tenants",
            vec![excluding(mfa("Everyone", users(&["All"])), |u| {
                u.exclude_guest_types = every_type().include_guest_types;
                u.exclude_guest_some_tenants = true;
            })],
            carol(),
            Undetermined,
            "guest's home tenant unknown (the policy names some external tenants)",
        ),
        // A type Carol cannot be at all: surely not.
        case(
            "type she is not",
            vec![mfa(
                "Members",
                UserScope {
                    include_guest_types: strs(&["b2bCollaborationMember", "internalGuest"]),
                    ..UserScope::default()
                },
            )],
            carol(),
            NotEnforced,
            "",
        ),
        Case {
            exclusions: vec![(
                "Require MFA",
                ExcludedVia::GuestType("internalGuest,b2bCollaborationGuest,otherExternalUser".into()),
            )],
            ..case(
                "guests excluded",
                vec![excluding(mfa("Require MFA", users(&["All"])), |u| {
                    u.exclude_guest_types =
                        strs(&["internalGuest", "b2bCollaborationGuest", "otherExternalUser"])
                })],
                carol(),
                NotEnforced,
                "excluded from Require MFA (guest type internalGuest,b2bCollaborationGuest,otherExternalUser)",
            )
        },
    ]);
}

/// Kleene's OR and AND NOT, the two folds every target list is read through: a yes or a sure
/// exclusion decides, otherwise whatever is unknown keeps every missing export it names.
#[test]
fn three_valued_folds() {
    use super::scope::{Missing, Tri};
    use std::collections::BTreeSet;
    let u = |ids: &[&str]| {
        Tri::Unknown(
            ids.iter()
                .map(|g| Missing::Group(g.to_string()))
                .collect::<BTreeSet<_>>(),
        )
    };
    let any_cases: Vec<(Vec<Tri>, Tri)> = vec![
        (vec![], Tri::No),
        (vec![Tri::No, Tri::No], Tri::No),
        (vec![Tri::No, Tri::Yes], Tri::Yes),
        // A yes wins over what is unknown: the others cannot make it a no.
        (vec![u(&["g1"]), Tri::Yes], Tri::Yes),
        (vec![u(&["g1"]), Tri::No, u(&["g2"])], u(&["g1", "g2"])),
        (vec![u(&["g1"]), u(&["g1"])], u(&["g1"])),
    ];
    for (items, want) in any_cases {
        assert_eq!(Tri::any(items.clone()), want, "any {items:?}");
    }
    let and_not_cases: Vec<(Tri, Tri, Tri)> = vec![
        (Tri::Yes, Tri::No, Tri::Yes),
        (Tri::Yes, Tri::Yes, Tri::No),
        (Tri::No, Tri::No, Tri::No),
        // Not included: no exclusion, known or not, can make it apply.
        (Tri::No, u(&["g1"]), Tri::No),
        // Surely excluded: whatever the inclusion.
        (u(&["g1"]), Tri::Yes, Tri::No),
        (Tri::Yes, u(&["g2"]), u(&["g2"])),
        (u(&["g1"]), Tri::No, u(&["g1"])),
        (u(&["g1"]), u(&["g2"]), u(&["g1", "g2"])),
    ];
    for (inc, exc, want) in and_not_cases {
        assert_eq!(
            inc.clone().and_not(exc.clone()),
            want,
            "{inc:?} and not {exc:?}"
        );
    }
}
