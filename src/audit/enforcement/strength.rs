//! What a Conditional Access policy demands once it applies: does its grant require MFA, can it
//! be satisfied without MFA, and which sign-ins does it cover (all cloud apps with no condition,
//! some of them, or no sign-in at all). Who it applies to is `scope`'s question.
//!
//! Spellings are those of Microsoft Graph's conditionalAccessGrantControls resource (v1.0 and
//! beta: `block`, `mfa`, `compliantDevice`, `domainJoinedDevice`, `approvedApplication`,
//! `compliantApplication`, `passwordChange`, `riskRemediation`, `unknownFutureValue`) and of
//! conditionalAccessApplications (`All`, `None`, `Office365`, `MicrosoftAdminPortals`).

use crate::read::policies::model::{AppScope, CaPolicy, Grant, Narrowing};

/// What a policy's grant asks of a sign-in it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Demand {
    /// Not an MFA policy: no `mfa` and no authentication strength, or a block.
    NoMfa,
    /// MFA (or a strength) and nothing that can stand in for it.
    Mfa,
    /// MFA under `OR` with controls that can be met without MFA, as the report names them
    /// (`compliantDevice`, `terms of use`, ...).
    MfaOr(Vec<String>),
}

/// The grant's demand.
pub fn demand(grant: &Grant) -> Demand {
    let has = |name: &str| grant.built_in.iter().any(|c| c.eq_ignore_ascii_case(name));
    // A block does not require MFA: it refuses the sign-in whatever the user proves. A policy
    // that blocks all apps for a user keeps them out, which is not "MFA enforced" either, so
    // block policies take no part in the verdict at all.
    if has("block") {
        return Demand::NoMfa;
    }
    let strength = grant.authentication_strength.is_some();
    if !has("mfa") && !strength {
        return Demand::NoMfa;
    }
    if grant.require_all {
        return Demand::Mfa;
    }
    // Under OR any one control grants access: everything that is not MFA is a way around it.
    // Custom controls (external MFA providers among them) cannot be told apart offline, so
    // they count as alternatives: the verdict says "partial", never more than is known.
    let mut others: Vec<String> = grant
        .built_in
        .iter()
        .filter(|c| !c.eq_ignore_ascii_case("mfa"))
        .cloned()
        .collect();
    others.extend(
        grant
            .custom_factors
            .iter()
            .map(|c| format!("custom control {c}")),
    );
    if !grant.terms_of_use.is_empty() {
        others.push("terms of use".to_owned());
    }
    if others.is_empty() {
        Demand::Mfa
    } else {
        others.sort();
        others.dedup();
        Demand::MfaOr(others)
    }
}

/// Which sign-ins a policy covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Every cloud app, with no condition.
    Full,
    /// Some sign-ins only: what narrows them, as the detail column names it.
    Partial(Vec<String>),
    /// Only user actions or authentication contexts: a step inside a session, not a sign-in.
    NotSignIns,
    /// No application at all (`None`, or nothing listed).
    Nothing,
}

/// The sign-ins `policy` covers, its grant aside.
pub fn coverage(policy: &CaPolicy) -> Coverage {
    let apps = &policy.apps;
    let listed: Vec<&String> = apps
        .include
        .iter()
        .filter(|a| !a.eq_ignore_ascii_case("none"))
        .collect();
    if listed.is_empty() {
        return if apps.user_actions.is_empty() && apps.auth_contexts.is_empty() {
            Coverage::Nothing
        } else {
            Coverage::NotSignIns
        };
    }
    let mut narrow = Vec::new();
    if let Some(apps) = app_narrowing(apps) {
        narrow.push(apps);
    }
    narrow.extend(policy.narrowing.iter().map(narrowing_label));
    if narrow.is_empty() {
        Coverage::Full
    } else {
        Coverage::Partial(narrow)
    }
}

/// "apps: ..." when the policy does not cover every cloud app; `None` when it does.
fn app_narrowing(apps: &AppScope) -> Option<String> {
    let all = apps.include.iter().any(|a| a.eq_ignore_ascii_case("all"));
    if all && apps.exclude.is_empty() && !apps.filtered {
        return None;
    }
    let mut parts = Vec::new();
    if all {
        parts.push("All".to_owned());
    } else {
        parts.push(short_list(&apps.include));
    }
    if !apps.exclude.is_empty() {
        parts.push(format!("except {}", short_list(&apps.exclude)));
    }
    if apps.filtered {
        parts.push("filtered".to_owned());
    }
    Some(format!("apps: {}", parts.join(" ")))
}

/// A list for a detail cell: names as written, at most three, then a count.
fn short_list(items: &[String]) -> String {
    const SHOWN: usize = 3;
    if items.len() <= SHOWN {
        items.join(", ")
    } else {
        format!(
            "{} and {} more",
            items[..SHOWN].join(", "),
            items.len() - SHOWN
        )
    }
}

/// How the detail column names a condition.
pub fn narrowing_label(n: &Narrowing) -> String {
    match n {
        Narrowing::Locations => "locations".to_owned(),
        Narrowing::Platforms => "platforms".to_owned(),
        Narrowing::DeviceFilter => "device filter".to_owned(),
        Narrowing::ClientAppTypes(types) => format!("client apps: {}", types.join(", ")),
        Narrowing::UserRisk => "user risk".to_owned(),
        Narrowing::SignInRisk => "sign-in risk".to_owned(),
        Narrowing::InsiderRisk => "insider risk".to_owned(),
        Narrowing::AuthenticationFlows => "authentication flows".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::policies::model::{PolicyState, UserScope};

    fn grant(require_all: bool, built_in: &[&str], strength: bool) -> Grant {
        Grant {
            require_all,
            built_in: built_in.iter().map(|s| s.to_string()).collect(),
            authentication_strength: strength.then(|| "Phishing-resistant MFA".to_owned()),
            ..Grant::default()
        }
    }

    #[test]
    fn demands() {
        let or = |v: &[&str]| Demand::MfaOr(v.iter().map(|s| s.to_string()).collect());
        let cases: Vec<(Grant, Demand)> = vec![
            (grant(false, &["mfa"], false), Demand::Mfa),
            (grant(true, &["mfa"], false), Demand::Mfa),
            (grant(false, &[], true), Demand::Mfa),
            (grant(false, &["MFA"], false), Demand::Mfa),
            // AND: the device is required as well as MFA, never instead of it.
            (grant(true, &["mfa", "compliantDevice"], false), Demand::Mfa),
            (
                grant(false, &["mfa", "compliantDevice"], false),
                or(&["compliantDevice"]),
            ),
            (
                grant(
                    false,
                    &["domainJoinedDevice", "mfa", "compliantDevice"],
                    false,
                ),
                or(&["compliantDevice", "domainJoinedDevice"]),
            ),
            (
                grant(false, &["compliantDevice"], true),
                or(&["compliantDevice"]),
            ),
            (grant(false, &["compliantDevice"], false), Demand::NoMfa),
            (grant(false, &[], false), Demand::NoMfa),
            // A block refuses the sign-in: it is not an MFA requirement.
            (grant(false, &["block"], false), Demand::NoMfa),
            (grant(false, &["block", "mfa"], false), Demand::NoMfa),
            (
                Grant {
                    terms_of_use: vec!["tou-1".into()],
                    custom_factors: vec!["Duo".into()],
                    ..grant(false, &["mfa"], false)
                },
                or(&["custom control Duo", "terms of use"]),
            ),
            (
                Grant {
                    terms_of_use: vec!["tou-1".into()],
                    ..grant(true, &["mfa"], false)
                },
                Demand::Mfa,
            ),
        ];
        for (g, want) in cases {
            assert_eq!(demand(&g), want, "{g:?}");
        }
    }

    fn policy(apps: AppScope, narrowing: Vec<Narrowing>) -> CaPolicy {
        CaPolicy {
            id: "p".into(),
            display_name: "P".into(),
            state: PolicyState::Enabled,
            users: UserScope::default(),
            apps,
            narrowing,
            grant: grant(false, &["mfa"], false),
        }
    }

    fn apps(include: &[&str], exclude: &[&str]) -> AppScope {
        AppScope {
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            ..AppScope::default()
        }
    }

    #[test]
    fn coverages() {
        let partial = |v: &[&str]| Coverage::Partial(v.iter().map(|s| s.to_string()).collect());
        let cases: Vec<(CaPolicy, Coverage)> = vec![
            (policy(apps(&["All"], &[]), vec![]), Coverage::Full),
            (policy(apps(&["all"], &[]), vec![]), Coverage::Full),
            (
                policy(apps(&["Office365"], &[]), vec![]),
                partial(&["apps: Office365"]),
            ),
            (
                policy(apps(&["All"], &["app-1"]), vec![]),
                partial(&["apps: All except app-1"]),
            ),
            (
                policy(apps(&["a", "b", "c", "d", "e"], &[]), vec![]),
                partial(&["apps: a, b, c and 2 more"]),
            ),
            (
                policy(
                    AppScope {
                        filtered: true,
                        ..apps(&["All"], &[])
                    },
                    vec![],
                ),
                partial(&["apps: All filtered"]),
            ),
            (
                policy(
                    apps(&["All"], &[]),
                    vec![Narrowing::Locations, Narrowing::SignInRisk],
                ),
                partial(&["locations", "sign-in risk"]),
            ),
            (
                policy(
                    apps(&["All"], &[]),
                    vec![Narrowing::ClientAppTypes(vec!["exchangeActiveSync".into()])],
                ),
                partial(&["client apps: exchangeActiveSync"]),
            ),
            (policy(apps(&["None"], &[]), vec![]), Coverage::Nothing),
            (policy(apps(&[], &[]), vec![]), Coverage::Nothing),
            (
                policy(
                    AppScope {
                        user_actions: vec!["urn:user:registersecurityinfo".into()],
                        ..AppScope::default()
                    },
                    vec![],
                ),
                Coverage::NotSignIns,
            ),
            (
                policy(
                    AppScope {
                        auth_contexts: vec!["c1".into()],
                        ..AppScope::default()
                    },
                    vec![],
                ),
                Coverage::NotSignIns,
            ),
        ];
        for (p, want) in cases {
            assert_eq!(coverage(&p), want, "{:?}", p.apps);
        }
    }
}
