//! One Conditional Access policy object read into [`CaPolicy`]: Graph's
//! `conditionalAccessPolicy` resource (v1.0 and beta, camelCase keys), and the same objects as
//! the Microsoft Graph PowerShell SDK serialises them (PascalCase keys, what ScubaGear keeps
//! under `Raw.conditional_access_policies`), so keys are matched without regard to case.
//!
//! Spellings are those of the Graph reference pages `conditionalAccessPolicy`,
//! `conditionalAccessConditionSet`, `conditionalAccessUsers`, `conditionalAccessApplications`,
//! `conditionalAccessGrantControls` and `conditionalAccessGuestsOrExternalUsers`. A field we do
//! not know is ignored (Graph adds fields); a field the verdict needs (`state`, `conditions`)
//! missing, or a value of `state` or `operator` we do not know, is an error: guessing whether a
//! policy is on would be the silently wrong number this tool exists to avoid.

use serde_json::{Map, Value};

use crate::read::policies::model::{AppScope, CaPolicy, Grant, Narrowing, PolicyState, UserScope};
use crate::terminal::quote;

/// The value of `key` in `object`, whatever the case of the key (SDK objects are PascalCase).
pub(super) fn get<'v>(object: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    object.get(key).or_else(|| {
        object
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// `get` for an object value; `null` and absence are both `None`.
pub(super) fn object<'v>(
    parent: &'v Map<String, Value>,
    key: &str,
) -> Option<&'v Map<String, Value>> {
    get(parent, key).and_then(Value::as_object)
}

/// A string value, trimmed; `null`, absent or empty are `None`.
pub(super) fn text<'v>(parent: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    get(parent, key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A list of strings (`null` or absent is empty). A comma-separated string is split: the
/// flag enums (`guestOrExternalUserTypes`, `insiderRiskLevels`, `transferMethods`) are written
/// that way.
pub(super) fn strings(parent: &Map<String, Value>, key: &str) -> Vec<String> {
    match get(parent, key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s.trim().to_owned()),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

/// Ids lower case; the special values Graph documents kept in their documented spelling.
fn ids(parent: &Map<String, Value>, key: &str, special: &[&str]) -> Vec<String> {
    strings(parent, key)
        .into_iter()
        .map(
            |v| match special.iter().find(|s| s.eq_ignore_ascii_case(&v)) {
                Some(s) => (*s).to_owned(),
                None => v.to_ascii_lowercase(),
            },
        )
        .collect()
}

/// `conditionalAccessUsers`: `All`, `None`, `GuestsOrExternalUsers` are its special values.
const USER_SPECIAL: [&str; 3] = ["All", "None", "GuestsOrExternalUsers"];
/// `conditionalAccessApplications`: `All`, `None`, `Office365`, `MicrosoftAdminPortals`.
const APP_SPECIAL: [&str; 4] = ["All", "None", "Office365", "MicrosoftAdminPortals"];

/// Reads one policy. `name` and `item` place it in its file for messages.
pub fn parse(policy: &Map<String, Value>, name: &str, item: u64) -> Result<CaPolicy, String> {
    let id = text(policy, "id").unwrap_or("").to_ascii_lowercase();
    let display_name = text(policy, "displayName").unwrap_or(&id).to_owned();
    let at = format!("{name}: policy {item} ({})", quote(&display_name));
    let state = match text(policy, "state") {
        None => {
            return Err(format!(
                "{at}: no \"state\", so whether the policy is on cannot be told\nhint: export \
                 the policies whole (no $select), as docs/enforcement.md shows"
            ))
        }
        Some(s) if s.eq_ignore_ascii_case("enabled") => PolicyState::Enabled,
        Some(s) if s.eq_ignore_ascii_case("disabled") => PolicyState::Disabled,
        Some(s) if s.eq_ignore_ascii_case("enabledForReportingButNotEnforced") => {
            PolicyState::ReportOnly
        }
        Some(s) => {
            return Err(format!(
                "{at}: state {} is none of enabled, disabled, \
                 enabledForReportingButNotEnforced\nhint: export the policies again from \
                 Microsoft Graph; a state this version does not know is not guessed",
                quote(s)
            ))
        }
    };
    let Some(conditions) = object(policy, "conditions") else {
        return Err(format!(
            "{at}: no \"conditions\", so who and what the policy applies to cannot be told\n\
             hint: export the policies whole (no $select), as docs/enforcement.md shows"
        ));
    };
    Ok(CaPolicy {
        id,
        display_name,
        state,
        users: users(object(conditions, "users")),
        apps: apps(object(conditions, "applications")),
        narrowing: narrowing(conditions),
        grant: grant(object(policy, "grantControls"), &at)?,
    })
}

fn users(users: Option<&Map<String, Value>>) -> UserScope {
    let Some(u) = users else {
        return UserScope::default();
    };
    let guest_types = |key: &str| {
        object(u, key)
            .map(|g| strings(g, "guestOrExternalUserTypes"))
            .unwrap_or_default()
    };
    // conditionalAccessExternalTenants (Graph v1.0 and beta): `membershipKind` `all`, or
    // `enumerated` with the tenant ids in `members`. Absent or null, as in exports made before
    // the property existed, it is every tenant; any other kind limits the types to some.
    let some_tenants = |key: &str| {
        object(u, key)
            .and_then(|g| object(g, "externalTenants"))
            .and_then(|t| text(t, "membershipKind"))
            .is_some_and(|kind| !kind.eq_ignore_ascii_case("all"))
    };
    UserScope {
        include_users: ids(u, "includeUsers", &USER_SPECIAL),
        exclude_users: ids(u, "excludeUsers", &USER_SPECIAL),
        include_groups: ids(u, "includeGroups", &[]),
        exclude_groups: ids(u, "excludeGroups", &[]),
        include_roles: ids(u, "includeRoles", &[]),
        exclude_roles: ids(u, "excludeRoles", &[]),
        include_guest_types: guest_types("includeGuestsOrExternalUsers"),
        exclude_guest_types: guest_types("excludeGuestsOrExternalUsers"),
        include_guest_some_tenants: some_tenants("includeGuestsOrExternalUsers"),
        exclude_guest_some_tenants: some_tenants("excludeGuestsOrExternalUsers"),
    }
}

fn apps(apps: Option<&Map<String, Value>>) -> AppScope {
    let Some(a) = apps else {
        return AppScope::default();
    };
    AppScope {
        include: ids(a, "includeApplications", &APP_SPECIAL),
        exclude: ids(a, "excludeApplications", &APP_SPECIAL),
        user_actions: ids(a, "includeUserActions", &[]),
        auth_contexts: strings(a, "includeAuthenticationContextClassReferences"),
        // The SDK writes an unset filter as an object whose fields are all null.
        filtered: object(a, "applicationFilter").is_some_and(|f| text(f, "rule").is_some()),
    }
}

/// True unless `values` is empty or exactly the one value `all` (any case).
fn beyond_all(values: &[String]) -> bool {
    !(values.is_empty() || values.len() == 1 && values[0].eq_ignore_ascii_case("all"))
}

/// The conditions that make a policy apply to some sign-ins only.
fn narrowing(c: &Map<String, Value>) -> Vec<Narrowing> {
    let mut out = Vec::new();
    if let Some(l) = object(c, "locations") {
        if beyond_all(&strings(l, "includeLocations")) || !strings(l, "excludeLocations").is_empty()
        {
            out.push(Narrowing::Locations);
        }
    }
    if let Some(p) = object(c, "platforms") {
        if beyond_all(&strings(p, "includePlatforms")) || !strings(p, "excludePlatforms").is_empty()
        {
            out.push(Narrowing::Platforms);
        }
    }
    if let Some(d) = object(c, "devices") {
        let filter = object(d, "deviceFilter").is_some_and(|f| text(f, "rule").is_some());
        // includeDevices / excludeDevices: the device states Graph still returns for old
        // policies; anything but "All" limits the devices the policy covers.
        if filter
            || beyond_all(&strings(d, "includeDevices"))
            || !strings(d, "excludeDevices").is_empty()
        {
            out.push(Narrowing::DeviceFilter);
        }
    }
    let client_apps = strings(c, "clientAppTypes");
    if beyond_all(&client_apps) {
        out.push(Narrowing::ClientAppTypes(client_apps));
    }
    if !strings(c, "userRiskLevels").is_empty() {
        out.push(Narrowing::UserRisk);
    }
    if !strings(c, "signInRiskLevels").is_empty() {
        out.push(Narrowing::SignInRisk);
    }
    if !strings(c, "insiderRiskLevels").is_empty() {
        out.push(Narrowing::InsiderRisk);
    }
    if let Some(f) = object(c, "authenticationFlows") {
        let methods = strings(f, "transferMethods");
        if methods.iter().any(|m| !m.eq_ignore_ascii_case("none")) {
            out.push(Narrowing::AuthenticationFlows);
        }
    }
    out
}

fn grant(g: Option<&Map<String, Value>>, at: &str) -> Result<Grant, String> {
    // No grant controls: a policy of session controls only, which asks for nothing.
    let Some(g) = g else {
        return Ok(Grant::default());
    };
    let built_in: Vec<String> = strings(g, "builtInControls")
        .into_iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    // The beta resource carries the strength inline; v1.0 returns it inline too (a navigation
    // property Graph expands). The SDK writes an unset one as an object of nulls.
    let authentication_strength = object(g, "authenticationStrength")
        .and_then(|s| text(s, "displayName").or_else(|| text(s, "id")))
        .map(str::to_owned);
    let custom_factors = strings(g, "customAuthenticationFactors");
    let terms_of_use = strings(g, "termsOfUse");
    let controls = built_in.len()
        + usize::from(authentication_strength.is_some())
        + custom_factors.len()
        + terms_of_use.len();
    let require_all = match text(g, "operator") {
        Some(o) if o.eq_ignore_ascii_case("AND") => true,
        Some(o) if o.eq_ignore_ascii_case("OR") => false,
        // One control (or none): AND and OR mean the same; say AND, the stricter reading
        // being the true one.
        None if controls <= 1 => true,
        other => {
            return Err(format!(
                "{at}: grantControls.operator is {}, neither AND nor OR, and the policy has {} \
                 controls, so whether one alone satisfies it cannot be told\nhint: export the \
                 policies again from Microsoft Graph",
                other.map_or_else(|| "missing".to_owned(), |o| quote(o).to_string()),
                controls
            ))
        }
    };
    Ok(Grant {
        require_all,
        built_in,
        authentication_strength,
        custom_factors,
        terms_of_use,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(json: &str) -> Result<CaPolicy, String> {
        parse(&serde_json::from_str(json).unwrap(), "ca.json", 1)
    }

    /// A beta policy as Graph's reference example writes it, trimmed.
    const BASE: &str = r#"{"id":"AAAA-1","displayName":"MFA all","state":"enabled",
        "conditions":{"users":{"includeUsers":["All"],"excludeUsers":["B0B-ID"],
        "includeGroups":[],"excludeGroups":["G-ONE"],"includeRoles":[],"excludeRoles":["62E90394-69F5-4237-9190-012177145E10"],
        "includeGuestsOrExternalUsers":null,
        "excludeGuestsOrExternalUsers":{"guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest","externalTenants":{"membershipKind":"all"}}},
        "applications":{"includeApplications":["all"],"excludeApplications":[],"includeUserActions":[],"includeAuthenticationContextClassReferences":[],"applicationFilter":null},
        "clientAppTypes":["all"],"platforms":null,"locations":null,"devices":null,
        "userRiskLevels":[],"signInRiskLevels":[],"authenticationFlows":null},
        "grantControls":{"operator":"OR","builtInControls":["mfa"],"customAuthenticationFactors":[],"termsOfUse":[],
        "authenticationStrength@odata.context":"x","authenticationStrength":null}}"#;

    #[test]
    fn every_field_of_a_policy_is_read() {
        let p = policy(BASE).unwrap();
        assert_eq!(
            (p.id.as_str(), p.display_name.as_str()),
            ("aaaa-1", "MFA all")
        );
        assert_eq!(p.state, PolicyState::Enabled);
        assert_eq!(p.users.include_users, ["All"]);
        assert_eq!(p.users.exclude_users, ["b0b-id"]);
        assert_eq!(p.users.exclude_groups, ["g-one"]);
        assert_eq!(
            p.users.exclude_roles,
            ["62e90394-69f5-4237-9190-012177145e10"]
        );
        assert!(p.users.include_guest_types.is_empty());
        assert_eq!(
            p.users.exclude_guest_types,
            ["internalGuest", "b2bCollaborationGuest"]
        );
        assert!(!p.users.exclude_guest_some_tenants && !p.users.include_guest_some_tenants);
        // "all" is written in Graph's spelling whatever the export's case.
        assert_eq!(p.apps.include, ["All"]);
        assert!(!p.apps.filtered);
        assert!(p.narrowing.is_empty());
        assert!(!p.grant.require_all);
        assert_eq!(p.grant.built_in, ["mfa"]);
        assert_eq!(p.grant.authentication_strength, None);
    }

    /// `externalTenants`: every tenant unless its kind says otherwise (Graph
    /// conditionalAccessExternalTenants: `all`, `enumerated` with `members`).
    #[test]
    fn guest_types_of_some_tenants_are_told_from_all() {
        let all = r#"{"guestOrExternalUserTypes":"internalGuest,b2bCollaborationGuest","externalTenants":{"membershipKind":"all"}}"#;
        for (externals, some) in [
            (r#""externalTenants":{"membershipKind":"all"}"#, false),
            (r#""externalTenants":null"#, false),
            (r#""externalTenants":{"membershipKind":"ALL"}"#, false),
            (
                r##""externalTenants":{"@odata.type":"#microsoft.graph.conditionalAccessEnumeratedExternalTenants","membershipKind":"enumerated","members":["11111111-2222-3333-4444-555555555555"]}"##,
                true,
            ),
            (
                r#""externalTenants":{"membershipKind":"unknownFutureValue"}"#,
                true,
            ),
        ] {
            let guests = all.replace(r#""externalTenants":{"membershipKind":"all"}"#, externals);
            let json = BASE
                .replace(
                    r#""includeGuestsOrExternalUsers":null"#,
                    &format!(r#""includeGuestsOrExternalUsers":{guests}"#),
                )
                .replace(r#""excludeGuestsOrExternalUsers":"#, r#""x":"#);
            let p = policy(&json).unwrap();
            assert_eq!(p.users.include_guest_types.len(), 2, "{externals}");
            assert_eq!(p.users.include_guest_some_tenants, some, "{externals}");
            assert!(!p.users.exclude_guest_some_tenants);
        }
    }

    #[test]
    fn each_condition_that_narrows_a_policy_is_named() {
        let table: [(&str, &str, Vec<Narrowing>); 12] = [
            ("\"locations\":null", "\"locations\":{\"includeLocations\":[\"All\"],\"excludeLocations\":[]}", vec![]),
            ("\"locations\":null", "\"locations\":{\"includeLocations\":[\"All\"],\"excludeLocations\":[\"AllTrusted\"]}", vec![Narrowing::Locations]),
            ("\"locations\":null", "\"locations\":{\"includeLocations\":[\"AllTrusted\"]}", vec![Narrowing::Locations]),
            ("\"platforms\":null", "\"platforms\":{\"includePlatforms\":[\"all\"],\"excludePlatforms\":[]}", vec![]),
            ("\"platforms\":null", "\"platforms\":{\"includePlatforms\":[\"android\",\"iOS\"]}", vec![Narrowing::Platforms]),
            ("\"devices\":null", "\"devices\":{\"deviceFilter\":{\"mode\":\"exclude\",\"rule\":\"device.isCompliant -eq True\"}}", vec![Narrowing::DeviceFilter]),
            ("\"devices\":null", "\"devices\":{\"deviceFilter\":{\"mode\":null,\"rule\":null}}", vec![]),
            ("\"clientAppTypes\":[\"all\"]", "\"clientAppTypes\":[\"exchangeActiveSync\",\"other\"]", vec![Narrowing::ClientAppTypes(vec!["exchangeActiveSync".into(), "other".into()])]),
            ("\"userRiskLevels\":[]", "\"userRiskLevels\":[\"high\"]", vec![Narrowing::UserRisk]),
            ("\"signInRiskLevels\":[]", "\"signInRiskLevels\":[\"medium\",\"high\"]", vec![Narrowing::SignInRisk]),
            ("\"authenticationFlows\":null", "\"authenticationFlows\":{\"transferMethods\":\"deviceCodeFlow\"}", vec![Narrowing::AuthenticationFlows]),
            ("\"authenticationFlows\":null", "\"insiderRiskLevels\":\"elevated\",\"authenticationFlows\":{\"transferMethods\":\"none\"}", vec![Narrowing::InsiderRisk]),
        ];
        for (from, to, want) in table {
            assert!(BASE.contains(from), "{from}");
            let p = policy(&BASE.replace(from, to)).unwrap();
            assert_eq!(p.narrowing, want, "{to}");
        }
    }

    #[test]
    fn apps_actions_contexts_and_filters() {
        let p = policy(&BASE.replace(
            "\"includeApplications\":[\"all\"],\"excludeApplications\":[]",
            "\"includeApplications\":[\"office365\"],\"excludeApplications\":[\"00000003-0000-0FF1-CE00-000000000000\"]",
        ))
        .unwrap();
        assert_eq!(p.apps.include, ["Office365"]);
        assert_eq!(p.apps.exclude, ["00000003-0000-0ff1-ce00-000000000000"]);
        let p = policy(&BASE.replace(
            "\"includeUserActions\":[],\"includeAuthenticationContextClassReferences\":[],\"applicationFilter\":null",
            "\"includeUserActions\":[\"urn:user:registersecurityinfo\"],\"includeAuthenticationContextClassReferences\":[\"c1\"],\"applicationFilter\":{\"mode\":\"include\",\"rule\":\"CustomSecurityAttribute.x -eq \\\"y\\\"\"}",
        ))
        .unwrap();
        assert_eq!(p.apps.user_actions, ["urn:user:registersecurityinfo"]);
        assert_eq!(p.apps.auth_contexts, ["c1"]);
        assert!(p.apps.filtered);
    }

    #[test]
    fn grant_controls_strengths_and_operators() {
        let grant = |g: &str| {
            policy(&BASE.replace(
            "{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"],\"customAuthenticationFactors\":[],\"termsOfUse\":[],\n        \"authenticationStrength@odata.context\":\"x\",\"authenticationStrength\":null}",
            g,
        ))
        };
        let g = grant(r#"{"operator":"OR","builtInControls":["mfa","compliantDevice"]}"#)
            .unwrap()
            .grant;
        assert_eq!(
            (g.require_all, g.built_in),
            (false, vec!["mfa".to_owned(), "compliantdevice".to_owned()])
        );
        let g = grant(r#"{"operator":"AND","builtInControls":[],"authenticationStrength":{"id":"00000000-0000-0000-0000-000000000004","displayName":"Phishing-resistant MFA"}}"#).unwrap().grant;
        assert!(g.require_all);
        assert_eq!(
            g.authentication_strength.as_deref(),
            Some("Phishing-resistant MFA")
        );
        // The SDK (ScubaGear) writes an unset strength as an object of nulls.
        let g = grant(r#"{"Operator":"OR","BuiltInControls":["mfa"],"AuthenticationStrength":{"Id":null,"DisplayName":null}}"#).unwrap().grant;
        assert_eq!(g.authentication_strength, None);
        // No grant controls: a session-only policy asks for nothing.
        assert_eq!(grant("null").unwrap().grant, Grant::default());
        // One control without an operator is unambiguous; two are not.
        assert!(
            grant(r#"{"builtInControls":["mfa"]}"#)
                .unwrap()
                .grant
                .require_all
        );
        let err = grant(r#"{"builtInControls":["mfa","compliantDevice"]}"#).unwrap_err();
        assert!(
            err.starts_with("ca.json: policy 1 (\"MFA all\"): grantControls.operator is missing"),
            "{err}"
        );
        assert!(grant(r#"{"operator":"XOR","builtInControls":["mfa","block"]}"#).is_err());
    }

    #[test]
    fn states_and_missing_required_fields() {
        for (state, want) in [
            ("enabled", PolicyState::Enabled),
            ("Disabled", PolicyState::Disabled),
            ("enabledForReportingButNotEnforced", PolicyState::ReportOnly),
        ] {
            let p =
                policy(&BASE.replace("\"state\":\"enabled\"", &format!("\"state\":\"{state}\"")))
                    .unwrap();
            assert_eq!(p.state, want);
        }
        let err = policy(&BASE.replace("\"state\":\"enabled\",", "")).unwrap_err();
        assert!(
            err.starts_with("ca.json: policy 1 (\"MFA all\"): no \"state\""),
            "{err}"
        );
        let err =
            policy(&BASE.replace("\"state\":\"enabled\"", "\"state\":\"paused\"")).unwrap_err();
        assert!(err.contains("state \"paused\" is none of"), "{err}");
        let err =
            policy(r#"{"id":"x","displayName":"No conditions","state":"enabled"}"#).unwrap_err();
        assert!(
            err.contains("(\"No conditions\"): no \"conditions\""),
            "{err}"
        );
        // Unknown future fields are ignored.
        assert!(
            policy(&BASE.replace("\"state\"", "\"someFutureField\":{\"a\":1},\"state\"")).is_ok()
        );
    }
}
