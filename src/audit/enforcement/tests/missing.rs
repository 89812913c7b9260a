//! What each missing export leaves open, and the precedence of the rules around it: an
//! unknown never hides behind a rule below it, and a sure rule above it needs nothing else.

use super::*;

fn tweaked(c: Case, tweak: fn(&mut Tenant)) -> Case {
    Case { tweak, ..c }
}

#[test]
fn missing_exports_and_precedence() {
    let alice = || member("alice@contoso.example", "a1");
    let all = || users(&["All"]);
    let missing = || UserScope {
        include_groups: strs(&["g-missing"]),
        ..UserScope::default()
    };
    let gone = "membership of group g-missing not in the export";
    check(vec![
        // A policy that takes in a group with no membership rows cannot be decided...
        case(
            "include a missing group",
            vec![mfa("Pilot", missing())],
            alice(),
            Undetermined,
            gone,
        ),
        // ...nor one that excludes it from everyone...
        case(
            "exclude a missing group",
            vec![excluding(mfa("Require MFA", all()), |u| {
                u.exclude_groups = strs(&["g-missing"])
            })],
            alice(),
            Undetermined,
            gone,
        ),
        // ...unless another policy surely decides the same rule, or a rule above it.
        case(
            "another policy decides",
            vec![
                excluding(mfa("Require MFA", all()), |u| {
                    u.exclude_groups = strs(&["g-missing"])
                }),
                mfa("Everyone", all()),
            ],
            alice(),
            ConditionalAccess,
            "Everyone",
        ),
        case(
            "a missing group under a decided rule",
            vec![
                mfa("Everyone", all()),
                with_apps(mfa("Pilot", missing()), &["Office365"]),
            ],
            alice(),
            ConditionalAccess,
            "Everyone",
        ),
        // Rule 1 unknown: a sure rule 2 cannot be reported, rule 1 could hold.
        case(
            "partial under an unknown full",
            vec![
                mfa("Pilot", missing()),
                with_apps(mfa("O365", all()), &["Office365"]),
            ],
            alice(),
            Undetermined,
            gone,
        ),
        // A group-held role whose group has no rows: unknown too.
        tweaked(
            case(
                "role group missing",
                vec![mfa(
                    "Admins",
                    UserScope {
                        include_roles: strs(&[EXCHANGE_ADMIN]),
                        ..UserScope::default()
                    },
                )],
                member("gina@contoso.example", "g1"),
                Undetermined,
                "membership of group g-admins not in the export",
            ),
            |t| {
                t.groups.remove("g-admins");
            },
        ),
        tweaked(
            case(
                "no role assignments",
                vec![mfa(
                    "Admins",
                    UserScope {
                        include_roles: strs(&[GLOBAL_ADMIN]),
                        ..UserScope::default()
                    },
                )],
                member("erin@contoso.example", "e1"),
                Undetermined,
                "role assignments not in the export",
            ),
            |t| {
                t.roles.clear();
                t.files.clear();
            },
        ),
        // Security defaults: rule 3, after Conditional Access, before per-user.
        tweaked(
            case(
                "security defaults",
                vec![],
                alice(),
                SecurityDefaults,
                "security defaults on",
            ),
            |t| t.security_defaults = Some(true),
        ),
        tweaked(
            case(
                "partial beats security defaults",
                vec![with_apps(mfa("O365", all()), &["Office365"])],
                alice(),
                ConditionalAccessPartial,
                "O365 (apps: Office365)",
            ),
            |t| t.security_defaults = Some(true),
        ),
        // No Conditional Access export: security defaults on rule it out (Microsoft allows
        // only one of the two); off, nothing can be said.
        tweaked(
            case(
                "no CA export, defaults on",
                vec![],
                alice(),
                SecurityDefaults,
                "security defaults on",
            ),
            |t| {
                t.conditional_access = None;
                t.security_defaults = Some(true);
            },
        ),
        tweaked(
            case(
                "no CA export",
                vec![],
                alice(),
                Undetermined,
                "no Conditional Access export",
            ),
            |t| t.conditional_access = None,
        ),
        // No security defaults export: an enabled policy (even one not about MFA) rules them
        // out; without one, nothing can be said.
        tweaked(
            case(
                "no defaults export, enabled policy",
                vec![with_grant(mfa("Block legacy", all()), &["block"], false)],
                alice(),
                NotEnforced,
                "",
            ),
            |t| t.security_defaults = None,
        ),
        tweaked(
            case(
                "no defaults export",
                vec![with_state(mfa("Trial", all()), PolicyState::ReportOnly)],
                alice(),
                Undetermined,
                "security defaults not in the export",
            ),
            |t| t.security_defaults = None,
        ),
        // Per-user MFA: rule 4, before report-only.
        tweaked(
            case(
                "per-user enforced",
                vec![with_state(mfa("Trial", all()), PolicyState::ReportOnly)],
                alice(),
                PerUser,
                "per-user MFA enforced",
            ),
            |t| {
                t.per_user
                    .as_mut()
                    .unwrap()
                    .insert("a1".into(), PerUserState::Enforced);
            },
        ),
        // Found by UPN when the user export has no id and the per-user rows are keyed by UPN.
        tweaked(
            case(
                "per-user enabled by UPN",
                vec![],
                ("Alice@Contoso.example".into(), None, Some(false)),
                PerUser,
                "per-user MFA enabled",
            ),
            |t| {
                let states = t.per_user.as_mut().unwrap();
                states.remove("a1");
                states.insert("alice@contoso.example".into(), PerUserState::Enabled);
            },
        ),
        tweaked(
            case(
                "security defaults beat per-user",
                vec![],
                alice(),
                SecurityDefaults,
                "security defaults on",
            ),
            |t| {
                t.security_defaults = Some(true);
                t.per_user
                    .as_mut()
                    .unwrap()
                    .insert("a1".into(), PerUserState::Enforced);
            },
        ),
        tweaked(
            case(
                "no per-user export",
                vec![],
                alice(),
                Undetermined,
                "per-user MFA state not in the export",
            ),
            |t| t.per_user = None,
        ),
        tweaked(
            case(
                "no per-user row",
                vec![],
                alice(),
                Undetermined,
                "no per-user MFA state for this user",
            ),
            |t| {
                let states = t.per_user.as_mut().unwrap();
                states.remove("a1");
                states.remove("alice@contoso.example");
            },
        ),
        // A full policy decides before any missing export below it matters.
        tweaked(
            case(
                "rule 1 needs nothing else",
                vec![mfa("Require MFA", all())],
                alice(),
                ConditionalAccess,
                "Require MFA",
            ),
            |t| {
                t.security_defaults = None;
                t.per_user = None;
                t.groups.clear();
            },
        ),
    ]);
}
