//! The decision tables of the per-user controls.

use super::*;
use crate::audit::controls::facts::{Place, SignIn};

fn facts() -> Facts {
    Facts {
        upn: "ann@contoso.example".into(),
        place: Place {
            file: "u.csv".into(),
            line: Some(2),
            text: "u.csv:2".into(),
        },
        sign_in: SignIn::Can,
        capable: Known::Yes(()),
        membership: Membership::Member,
        excepted: None,
        per_user: PerUser::Off,
        enforcement: Some((Enforcement::ConditionalAccess, String::new())),
        admin: Roles::No,
        highly_privileged: Roles::No,
        phishing_resistant: Some(Known::Yes("PR".into())),
    }
}

#[test]
fn unknowns_never_pass_and_roles_scope_the_admin_controls() {
    let unknown = |j: &Judgement| matches!(j, Judgement::Unknown(_));
    let fail = |j: &Judgement| matches!(j, Judgement::Fail(_));
    let mut f = facts();
    assert_eq!(judge(ControlId::Cis5_2_2_1, &f), Judgement::OutOfScope);
    f.admin = Roles::Maybe("group g".into());
    f.enforcement = Some((Enforcement::NotEnforced, String::new()));
    assert!(unknown(&judge(ControlId::Cis5_2_2_1, &f)));
    f.admin = Roles::Yes(vec!["Global Administrator"]);
    assert!(fail(&judge(ControlId::Cis5_2_2_1, &f)));
    // Security defaults do require MFA, but not by Conditional Access.
    f.enforcement = Some((Enforcement::SecurityDefaults, String::new()));
    assert!(fail(&judge(ControlId::Cis5_2_2_2, &f)));
    f.enforcement = Some((Enforcement::Undetermined, "group g".into()));
    assert!(unknown(&judge(ControlId::ScubaAad3_2, &f)));
    // A #EXT# user without userType who is not capable: member or guest cannot be told.
    f.capable = Known::No("isMfaCapable is false".into());
    f.membership = Membership::Unknown;
    assert!(unknown(&judge(ControlId::Cis5_2_3_4, &f)));
    f.membership = Membership::Guest;
    assert_eq!(judge(ControlId::Cis5_2_3_4, &f), Judgement::OutOfScope);
    f.per_user = PerUser::On("enforced");
    assert!(fail(&judge(ControlId::Cis5_1_2_1, &f)));
    f.phishing_resistant = Some(Known::Unknown("custom strength".into()));
    assert!(unknown(&judge(ControlId::ScubaAad3_1, &f)));
}

#[test]
fn the_methods_policy_decides_3_5() {
    use crate::audit::controls::facts::MethodStates;
    let tw = |sms, email, migrated| Tenantwide {
        methods: Some(MethodStates {
            sms,
            voice: false,
            email,
            migration_complete: migrated,
        }),
        ..Tenantwide::default()
    };
    let id = ControlId::ScubaAad3_5;
    assert!(matches!(
        tenant(id, &tw(true, Some(false), true)),
        TenantCheck::Fail(_)
    ));
    assert!(matches!(
        tenant(id, &tw(false, None, true)),
        TenantCheck::Cannot(_)
    ));
    assert!(matches!(
        tenant(id, &tw(false, Some(false), false)),
        TenantCheck::Cannot(_)
    ));
    assert!(matches!(
        tenant(id, &tw(false, Some(false), true)),
        TenantCheck::Pass(_)
    ));
    assert_eq!(missing(id, &Tenantwide::default()), [Input::MethodsPolicy]);
}
