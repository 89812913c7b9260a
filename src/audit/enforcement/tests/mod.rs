//! The rules of the verdict on tenants built in code: every rule, every exclusion path, every
//! missing export, and precedence. Each case is also run with its policies reversed: the
//! verdict and its detail never depend on the order of the export.

use std::collections::HashMap;

use super::*;
use crate::read::policies::model::{
    AppScope, CaPolicy, Grant, Narrowing, PolicyFile, PolicyFileKind, Principal, RoleAssignment,
    UserScope,
};

const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
const EXCHANGE_ADMIN: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
/// Not privileged: named by the built-in roles table all the same.
const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";

fn user(upn: &str, id: &str) -> Principal {
    Principal {
        id: id.into(),
        upn: Some(upn.into()),
        kind: "#microsoft.graph.user".into(),
    }
}

/// A tenant with everything exported: security defaults off, every user per-user disabled,
/// three groups with members (g-missing is named by policies only), roles at `/` and at an
/// administrative unit.
fn tenant() -> Tenant {
    let mut t = Tenant {
        conditional_access: Some(Vec::new()),
        security_defaults: Some(false),
        ..Tenant::default()
    };
    let people = [
        ("alice@contoso.example", "a1"),
        ("bob@contoso.example", "b1"),
        ("carol_fabrikam.example#ext#@contoso.example", "c1"),
        ("dave@contoso.example", "d1"),
        ("erin@contoso.example", "e1"),
        ("frank@contoso.example", "f1"),
        ("gina@contoso.example", "g1"),
        ("hana@contoso.example", "h1"),
    ];
    let mut per_user = HashMap::new();
    for (upn, id) in people {
        per_user.insert(upn.to_owned(), PerUserState::Disabled);
        per_user.insert(id.to_owned(), PerUserState::Disabled);
        t.directory.upn_by_id.insert(id.into(), upn.into());
        t.directory.id_by_upn.insert(upn.into(), id.into());
    }
    t.per_user = Some(per_user);
    // Hana is in no export's directory: the user export is all that knows her.
    t.directory.upn_by_id.remove("h1");
    t.directory.id_by_upn.remove("hana@contoso.example");
    t.groups
        .insert("g-staff".into(), vec![user("bob@contoso.example", "b1")]);
    t.groups.insert(
        "g-breakglass".into(),
        vec![user("alice@contoso.example", "a1")],
    );
    // Named by the memberships export: messages use the name.
    t.group_names
        .insert("g-breakglass".into(), "Break glass".into());
    t.groups
        .insert("g-admins".into(), vec![user("gina@contoso.example", "g1")]);
    let assign = |role: &str, p: Principal, scope: &str| RoleAssignment {
        role_id: role.into(),
        principal: p,
        scope: scope.into(),
    };
    t.roles = vec![
        assign(GLOBAL_ADMIN, user("erin@contoso.example", "e1"), "/"),
        assign(
            GLOBAL_ADMIN,
            user("frank@contoso.example", "f1"),
            "/administrativeUnits/au1",
        ),
        assign(DIRECTORY_READERS, user("dave@contoso.example", "d1"), "/"),
        assign(
            EXCHANGE_ADMIN,
            Principal {
                id: "g-admins".into(),
                upn: None,
                kind: "#microsoft.graph.group".into(),
            },
            "/",
        ),
    ];
    t.files.push(PolicyFile {
        path: "roles.json".into(),
        kind: PolicyFileKind::RoleAssignments,
        items: 4,
    });
    t
}

fn users(include_users: &[&str]) -> UserScope {
    UserScope {
        include_users: include_users.iter().map(|s| s.to_string()).collect(),
        ..UserScope::default()
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// An enabled policy requiring MFA alone, for every cloud app, no condition.
fn mfa(name: &str, scope: UserScope) -> CaPolicy {
    CaPolicy {
        id: name.to_lowercase(),
        display_name: name.into(),
        state: PolicyState::Enabled,
        users: scope,
        apps: AppScope {
            include: strs(&["All"]),
            ..AppScope::default()
        },
        narrowing: Vec::new(),
        grant: Grant {
            built_in: strs(&["mfa"]),
            ..Grant::default()
        },
    }
}

fn with_state(mut p: CaPolicy, state: PolicyState) -> CaPolicy {
    p.state = state;
    p
}

fn with_apps(mut p: CaPolicy, include: &[&str]) -> CaPolicy {
    p.apps.include = strs(include);
    p
}

fn with_grant(mut p: CaPolicy, built_in: &[&str], strength: bool) -> CaPolicy {
    p.grant.built_in = strs(built_in);
    p.grant.authentication_strength = strength.then(|| "Multifactor authentication".into());
    p
}

fn with_narrowing(mut p: CaPolicy, n: Narrowing) -> CaPolicy {
    p.narrowing.push(n);
    p
}

fn excluding(mut p: CaPolicy, f: impl FnOnce(&mut UserScope)) -> CaPolicy {
    f(&mut p.users);
    p
}

fn member(upn: &str, id: &str) -> (String, Option<String>, Option<bool>) {
    (upn.into(), Some(id.into()), Some(false))
}

struct Case {
    name: &'static str,
    policies: Vec<CaPolicy>,
    tweak: fn(&mut Tenant),
    user: (String, Option<String>, Option<bool>),
    verdict: Enforcement,
    detail: &'static str,
    exclusions: Vec<(&'static str, ExcludedVia)>,
}

fn case(
    name: &'static str,
    policies: Vec<CaPolicy>,
    user: (String, Option<String>, Option<bool>),
    verdict: Enforcement,
    detail: &'static str,
) -> Case {
    Case {
        name,
        policies,
        tweak: |_| {},
        user,
        verdict,
        detail,
        exclusions: Vec::new(),
    }
}

fn run(c: &Case, reversed: bool) -> Decision {
    let mut t = tenant();
    let mut policies = c.policies.clone();
    if reversed {
        policies.reverse();
    }
    t.conditional_access = Some(policies);
    (c.tweak)(&mut t);
    let (upn, id, guest) = &c.user;
    evaluate(
        &t,
        &UserRef {
            upn,
            id: id.as_deref(),
            guest: *guest,
        },
    )
}

fn check(cases: Vec<Case>) {
    for c in &cases {
        let d = run(c, false);
        assert_eq!(d.verdict, c.verdict, "{}: {d:?}", c.name);
        assert_eq!(d.detail, c.detail, "{}", c.name);
        let want: Vec<Exclusion> = (c.exclusions.iter())
            .map(|(p, via)| Exclusion {
                policy: p.to_string(),
                via: via.clone(),
            })
            .collect();
        assert_eq!(d.exclusions, want, "{}", c.name);
        assert_eq!(run(c, true), d, "{}: depends on policy order", c.name);
    }
}

use Enforcement::*;

mod missing;
mod scope;

#[test]
fn conditional_access_rules() {
    let alice = || member("alice@contoso.example", "a1");
    let all = || users(&["All"]);
    check(vec![
        // Enabled, all users, all apps, MFA alone: rule 1.
        case(
            "all users",
            vec![mfa("Require MFA", all())],
            alice(),
            ConditionalAccess,
            "Require MFA",
        ),
        // A strength is MFA too (Graph: authenticationStrength on the grant).
        case(
            "strength",
            vec![with_grant(mfa("Strength", all()), &[], true)],
            alice(),
            ConditionalAccess,
            "Strength",
        ),
        // AND with a device: MFA is still always required.
        case(
            "mfa and device",
            vec![with_grant(
                CaPolicy {
                    grant: Grant {
                        require_all: true,
                        ..Grant::default()
                    },
                    ..mfa("Both", all())
                },
                &["mfa", "compliantDevice"],
                false,
            )],
            alice(),
            ConditionalAccess,
            "Both",
        ),
        case(
            "disabled",
            vec![with_state(mfa("Off", all()), PolicyState::Disabled)],
            alice(),
            NotEnforced,
            "",
        ),
        case(
            "report-only",
            vec![with_state(mfa("Trial", all()), PolicyState::ReportOnly)],
            alice(),
            ReportOnly,
            "report-only: Trial",
        ),
        case(
            "Office 365 only",
            vec![with_apps(mfa("O365", all()), &["Office365"])],
            alice(),
            ConditionalAccessPartial,
            "O365 (apps: Office365)",
        ),
        case(
            "outside trusted locations",
            vec![with_narrowing(
                mfa("Untrusted", all()),
                Narrowing::Locations,
            )],
            alice(),
            ConditionalAccessPartial,
            "Untrusted (locations)",
        ),
        case(
            "risky sign-ins only",
            vec![with_narrowing(mfa("Risky", all()), Narrowing::SignInRisk)],
            alice(),
            ConditionalAccessPartial,
            "Risky (sign-in risk)",
        ),
        // OR with a compliant device: a compliant device alone lets the user in.
        case(
            "mfa or compliant",
            vec![with_grant(
                mfa("Either", all()),
                &["mfa", "compliantDevice"],
                false,
            )],
            alice(),
            ConditionalAccessPartial,
            "Either (OR: compliantDevice)",
        ),
        // A block refuses sign-in; it does not require MFA.
        case(
            "block",
            vec![with_grant(mfa("Block", all()), &["block"], false)],
            alice(),
            NotEnforced,
            "",
        ),
        case(
            "no grant",
            vec![with_grant(mfa("Session", all()), &[], false)],
            alice(),
            NotEnforced,
            "",
        ),
        // Only the register-security-info user action: MFA at registration, not at sign-in.
        case(
            "user action",
            vec![CaPolicy {
                apps: AppScope {
                    user_actions: strs(&["urn:user:registersecurityinfo"]),
                    ..AppScope::default()
                },
                ..mfa("Register", all())
            }],
            alice(),
            NotEnforced,
            "MFA only at user actions or authentication contexts: Register",
        ),
        case(
            "none",
            vec![mfa("Nobody", users(&["None"]))],
            alice(),
            NotEnforced,
            "",
        ),
        // Precedence: a full policy wins over a partial one, whichever comes first.
        case(
            "full beats partial",
            vec![
                with_apps(mfa("O365", all()), &["Office365"]),
                mfa("Require MFA", all()),
            ],
            alice(),
            ConditionalAccess,
            "Require MFA",
        ),
        case(
            "two full",
            vec![mfa("B policy", all()), mfa("A policy", all())],
            alice(),
            ConditionalAccess,
            "A policy; B policy",
        ),
        // An enabled partial policy wins over report-only.
        case(
            "partial beats report-only",
            vec![
                with_state(mfa("Trial", all()), PolicyState::ReportOnly),
                with_apps(mfa("O365", all()), &["Office365"]),
            ],
            alice(),
            ConditionalAccessPartial,
            "O365 (apps: Office365)",
        ),
    ]);
}
