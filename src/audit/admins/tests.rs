//! The admins finding on small hand-built tenants and rows.

use super::*;
use crate::audit::classify::classify;
use crate::read::policies::model::{PolicyFile, Principal, RoleAssignment};
use crate::read::schema::{Polarity, Row};

const GA: &str = "62e90394-69f5-4237-9190-012177145e10";
const EXCHANGE: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
/// Directory Readers: a built-in role the page does not mark privileged.
const READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";

/// A row with these methods (`None`: the input has no methods cell).
fn verdict(methods: Option<&'static str>) -> Verdict<'static> {
    let mut row = Row::default();
    row.fields[Role::Upn.index()] = Some("admin@contoso.com");
    row.fields[Role::Blocked.index()] = Some("False");
    row.fields[Role::Methods.index()] = methods;
    if methods.is_none() {
        row.fields[Role::Registered.index()] = Some("True");
    }
    classify(&row, Polarity::TrueIsBlocked).unwrap()
}

fn schema(headers: &[&str]) -> Schema {
    Schema::resolve(headers.iter().map(|h| h.to_string()).collect(), &[]).unwrap()
}

/// A method listed decides yes; its absence is "no" only when every name is known and the
/// input can show one; otherwise unknown, with why.
#[test]
fn phishing_resistance_is_unknown_unless_the_export_can_show_it() {
    let graph = MethodsShown::of(&schema(&["userPrincipalName", "methodsRegistered"]));
    assert_eq!(graph, MethodsShown::Shown);
    let msol = MethodsShown::of(&schema(&[
        "UserPrincipalName",
        "StrongAuthenticationMethods",
        "BlockCredential",
    ]));
    assert!(matches!(msol, MethodsShown::NotShown(w) if w.contains("MSOnline")));
    let flag_only = MethodsShown::of(&schema(&["userPrincipalName", "isMfaRegistered"]));
    assert!(matches!(flag_only, MethodsShown::NotShown(_)));

    use PhishingResistance as P;
    let cases: &[(Option<&'static str>, MethodsShown, &str)] = &[
        (Some("fido2"), graph, "yes"),
        (Some("windowsHelloForBusiness, mobilePhone"), graph, "yes"),
        (Some("passKeyDeviceBound"), graph, "yes"),
        // A phishing-resistant method listed is a fact even where absence could not be told.
        (Some("fido2"), msol, "yes"),
        (Some("microsoftAuthenticatorPush"), graph, "no"),
        (Some("softwareOneTimePasscode, mobilePhone"), graph, "no"),
        (Some(""), graph, "no"),
        (Some("PhoneAppNotification"), msol, "unknown"),
        (
            Some("microsoftAuthenticatorPush, zzNewMethod"),
            graph,
            "unknown",
        ),
        (Some("System.Object[]"), graph, "unknown"),
        (None, flag_only, "unknown"),
    ];
    for (methods, shown, want) in cases {
        let got = phishing_resistance(&verdict(*methods), *shown);
        assert_eq!(got.name(), *want, "{methods:?} {shown:?}: {got:?}");
        if *want == "unknown" {
            assert!(matches!(got, P::Unknown(w) if !w.is_empty()));
        }
    }
}

fn assignment(role: &str, id: &str, kind: &str, scope: &str) -> RoleAssignment {
    RoleAssignment {
        role_id: role.into(),
        principal: Principal {
            id: id.into(),
            upn: None,
            kind: kind.into(),
        },
        scope: scope.into(),
    }
}

fn tenant(roles: Vec<RoleAssignment>) -> Tenant {
    let mut t = Tenant::default();
    t.files.push(PolicyFile {
        path: "roles.json".into(),
        kind: PolicyFileKind::RoleAssignments,
        items: roles.len() as u64,
    });
    t.roles = roles;
    t.groups.insert(
        "g-admins".into(),
        vec![Principal {
            id: "u-group".into(),
            upn: None,
            kind: "#microsoft.graph.user".into(),
        }],
    );
    t
}

fn status(t: &Tenant, id: &str) -> AdminStatus {
    let user = UserRef {
        upn: "x@contoso.com",
        id: Some(id),
        guest: Some(false),
    };
    Findings::new(t).status(t, &user)
}

/// Direct and group assignments at `/` make admins, by display name; an administrative-unit
/// scope or a role the list lacks does not; a group without membership rows is undetermined.
#[test]
fn admins_by_role_at_the_root_directly_or_through_a_group() {
    let t = tenant(vec![
        assignment(GA, "u-direct", "#microsoft.graph.user", "/"),
        assignment(EXCHANGE, "g-admins", "#microsoft.graph.group", "/"),
        assignment(
            GA,
            "u-au",
            "#microsoft.graph.user",
            "/administrativeUnits/au1",
        ),
        assignment(READERS, "u-reader", "#microsoft.graph.user", "/"),
        assignment(EXCHANGE, "g-missing", "#microsoft.graph.group", "/"),
    ]);
    assert_eq!(
        status(&t, "u-direct"),
        AdminStatus::Admin(vec!["Global Administrator"])
    );
    assert_eq!(
        status(&t, "u-group"),
        AdminStatus::Admin(vec!["Exchange Administrator"])
    );
    for id in ["u-au", "u-reader", "u-nobody"] {
        // Each of them might be in g-missing, whose members are not exported.
        match status(&t, id) {
            AdminStatus::Undetermined { roles, why } => {
                assert_eq!(roles, ["Exchange Administrator"], "{id}");
                assert!(why[0].contains("g-missing"), "{why:?}");
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    let without_missing = tenant(vec![
        assignment(
            GA,
            "u-au",
            "#microsoft.graph.user",
            "/administrativeUnits/au1",
        ),
        assignment(READERS, "u-reader", "#microsoft.graph.user", "/"),
    ]);
    for id in ["u-au", "u-reader"] {
        assert_eq!(status(&without_missing, id), AdminStatus::NotAdmin, "{id}");
    }
    assert_eq!(
        status(&Tenant::default(), "u-direct"),
        AdminStatus::NoRoleExport
    );
}

/// Every template id is a lower-case GUID, listed once.
#[test]
fn the_role_list_is_well_formed() {
    let mut ids: Vec<&str> = PRIVILEGED_ROLES.iter().map(|r| r.id).collect();
    for id in &ids {
        assert_eq!(id.len(), 36, "{id}");
        assert_eq!(*id, id.to_lowercase(), "{id}");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), PRIVILEGED_ROLES.len());
}

fn decision(verdict: Enforcement, step_up: &[&str]) -> Decision {
    Decision {
        verdict,
        detail: String::new(),
        exclusions: Vec::new(),
        step_up_only: step_up.iter().map(|s| s.to_string()).collect(),
    }
}

/// Counts: not Conditional Access (any other verdict, partial included), without and unknown
/// apart; possible admins apart from admins; step-up policies once each, users each.
#[test]
fn counts_and_lists() {
    let mut f = Findings::new(&tenant(Vec::new()));
    let admin = AdminStatus::Admin(vec!["Global Administrator"]);
    f.count(
        "a@x",
        &decision(Enforcement::ConditionalAccess, &["Reg"]),
        &admin,
        PhishingResistance::Registered,
    );
    f.count(
        "b@x",
        &decision(Enforcement::ConditionalAccessPartial, &["Reg"]),
        &admin,
        PhishingResistance::Without,
    );
    f.count(
        "c@x",
        &decision(Enforcement::PerUser, &[]),
        &admin,
        PhishingResistance::Unknown("why"),
    );
    f.count(
        "d@x",
        &decision(Enforcement::NotEnforced, &[]),
        &AdminStatus::Undetermined {
            roles: vec!["User Administrator"],
            why: vec!["membership of group g not in the export".into()],
        },
        PhishingResistance::Without,
    );
    f.count(
        "e@x",
        &decision(Enforcement::NotEnforced, &[]),
        &AdminStatus::NotAdmin,
        PhishingResistance::Without,
    );
    let a = &f.admins;
    assert_eq!(
        (
            a.admins,
            a.not_conditional_access,
            a.without_phishing_resistant
        ),
        (3, 2, 1)
    );
    assert_eq!((a.phishing_resistant_unknown, a.undetermined), (1, 1));
    assert_eq!(a.not_conditional_access_users, ["b@x", "c@x"]);
    assert_eq!(a.undetermined_users, ["d@x"]);
    assert_eq!(a.users.len(), 4);
    assert_eq!(f.step_up.users, 2);
    assert_eq!(f.step_up.policies.iter().collect::<Vec<_>>(), ["Reg"]);
}
