//! What a `--policies` file is, told from its content and never from its name: a JSON page's
//! `@odata.context` (the entity set Graph says it lists), else the keys of its first object,
//! else a CSV header. Names lie (`export (3).json`); content does not.
//!
//! The `@odata.context` fragments are those of the response examples on Graph's reference
//! pages for each request in docs/enforcement.md (`$metadata#identity/conditionalAccess/policies`,
//! `#policies/identitySecurityDefaultsEnforcementPolicy`, with `/$entity` in live responses,
//! `#roleManagement/directory/roleAssignments(principal())`, `#policies/authenticationMethodsPolicy`),
//! matched as prefixes of the part after `$metadata#`; the keys are those of each resource's
//! reference page, and of ScubaGear's `ScubaResults_*.json` (`Raw.conditional_access_policies`).

use serde_json::{Map, Value};

use crate::read::policies::conditional_access::{get, object};
use crate::read::policies::members::{MEMBER_COLUMNS, PER_USER_COLUMNS};
use crate::read::policies::model::PolicyFileKind;

/// A recognised export, with the one shape that needs its own handling (ScubaGear's results
/// file holds the policies one level down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ConditionalAccess,
    /// `ScubaResults_*.json`: the policies under `Raw.conditional_access_policies`.
    ScubaResults,
    SecurityDefaults,
    GroupMembers,
    RoleAssignments,
    PerUserMfa,
    MethodsPolicy,
}

impl Kind {
    pub fn file_kind(self) -> PolicyFileKind {
        match self {
            Kind::ConditionalAccess | Kind::ScubaResults => PolicyFileKind::ConditionalAccess,
            Kind::SecurityDefaults => PolicyFileKind::SecurityDefaults,
            Kind::GroupMembers => PolicyFileKind::GroupMembers,
            Kind::RoleAssignments => PolicyFileKind::RoleAssignments,
            Kind::PerUserMfa => PolicyFileKind::PerUserMfa,
            Kind::MethodsPolicy => PolicyFileKind::MethodsPolicy,
        }
    }
}

/// Every kind, for the message that refuses a file passed by name.
pub const KINDS: &str = "Conditional Access policies (a Graph page, an array, one policy per \
    file, or ScubaGear's ScubaResults_*.json), security defaults \
    (identitySecurityDefaultsEnforcementPolicy), group memberships (CSV or JSON with GroupId, \
    MemberId, ...), directory role assignments (roleAssignments?$expand=principal), per-user \
    MFA states (CSV or JSON with PerUserMfaState) and the authentication methods policy";

/// The kind a page's `@odata.context` names, if it is one of ours.
pub fn from_context(url: &str) -> Option<Kind> {
    // The part after `$metadata#` names the entity set; compare without case.
    let set = url.rsplit_once("$metadata#").map_or(url, |(_, s)| s);
    let set = set.to_ascii_lowercase();
    let starts = |prefix: &str| set.starts_with(prefix);
    if starts("identity/conditionalaccess/policies") || starts("conditionalaccess/policies") {
        Some(Kind::ConditionalAccess)
    } else if starts("policies/identitysecuritydefaultsenforcementpolicy") {
        Some(Kind::SecurityDefaults)
    } else if starts("rolemanagement/directory/roleassignments") {
        Some(Kind::RoleAssignments)
    } else if starts("policies/authenticationmethodspolicy") {
        Some(Kind::MethodsPolicy)
    } else {
        None
    }
}

/// The kind an object's keys show, if any.
pub fn from_object(item: &Map<String, Value>) -> Option<Kind> {
    let has = |key: &str| get(item, key).is_some();
    if has("conditions") && (has("grantControls") || has("state") || has("sessionControls")) {
        return Some(Kind::ConditionalAccess);
    }
    if object(item, "Raw").is_some_and(|raw| get(raw, "conditional_access_policies").is_some()) {
        return Some(Kind::ScubaResults);
    }
    if has("authenticationMethodConfigurations") {
        return Some(Kind::MethodsPolicy);
    }
    if has("roleDefinitionId") && (has("principal") || has("principalId")) {
        return Some(Kind::RoleAssignments);
    }
    if has("GroupId") && has("MemberId") {
        return Some(Kind::GroupMembers);
    }
    if has("PerUserMfaState") {
        return Some(Kind::PerUserMfa);
    }
    // isEnabled alone is too common a key; Graph's object also carries its fixed id or name
    // (reference page identitySecurityDefaultsEnforcementPolicy: id
    // 00000000-0000-0000-0000-000000000005, displayName "Security Defaults").
    let named = get(item, "id").and_then(Value::as_str)
        == Some("00000000-0000-0000-0000-000000000005")
        || get(item, "displayName")
            .and_then(Value::as_str)
            .is_some_and(|n| n.eq_ignore_ascii_case("Security Defaults"));
    if has("isEnabled") && named {
        return Some(Kind::SecurityDefaults);
    }
    None
}

/// The kind a CSV header shows: the memberships or per-user columns (any case, any order,
/// other columns allowed).
pub fn from_header(header: &[String]) -> Option<Kind> {
    let has = |name: &str| header.iter().any(|h| h.eq_ignore_ascii_case(name));
    if has(MEMBER_COLUMNS[0]) && has(MEMBER_COLUMNS[2]) {
        Some(Kind::GroupMembers)
    } else if has(PER_USER_COLUMNS[2]) && (has(PER_USER_COLUMNS[0]) || has(PER_USER_COLUMNS[1])) {
        Some(Kind::PerUserMfa)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn contexts_name_their_entity_sets() {
        let table = [
            ("https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies", Some(Kind::ConditionalAccess)),
            ("https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity", Some(Kind::ConditionalAccess)),
            ("https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity", Some(Kind::SecurityDefaults)),
            ("https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())", Some(Kind::RoleAssignments)),
            ("https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity", Some(Kind::MethodsPolicy)),
            ("https://graph.microsoft.com/beta/$metadata#policies/identitySecurityDefaultsEnforcementPolicy", Some(Kind::SecurityDefaults)),
            ("https://graph.microsoft.com/v1.0/$metadata#users", None),
            ("https://graph.microsoft.com/beta/$metadata#reports/authenticationMethods/userRegistrationDetails", None),
        ];
        for (url, want) in table {
            assert_eq!(from_context(url), want, "{url}");
        }
    }

    #[test]
    fn objects_show_their_kind_by_keys_in_any_case() {
        let table = [
            (
                r#"{"id":"a","state":"enabled","conditions":{}}"#,
                Some(Kind::ConditionalAccess),
            ),
            (
                r#"{"Id":"a","State":"enabled","Conditions":{},"GrantControls":null}"#,
                Some(Kind::ConditionalAccess),
            ),
            (
                r#"{"Raw":{"conditional_access_policies":[]}}"#,
                Some(Kind::ScubaResults),
            ),
            (
                r#"{"id":"00000000-0000-0000-0000-000000000005","isEnabled":true}"#,
                Some(Kind::SecurityDefaults),
            ),
            (
                r#"{"displayName":"Security Defaults","isEnabled":false}"#,
                Some(Kind::SecurityDefaults),
            ),
            (
                r#"{"displayName":"Something else","isEnabled":false}"#,
                None,
            ),
            (
                r#"{"roleDefinitionId":"x","principal":{}}"#,
                Some(Kind::RoleAssignments),
            ),
            (r#"{"GroupId":"g","MemberId":""}"#, Some(Kind::GroupMembers)),
            (
                r#"{"UserPrincipalName":"a@x","PerUserMfaState":"enabled"}"#,
                Some(Kind::PerUserMfa),
            ),
            (
                r#"{"authenticationMethodConfigurations":[]}"#,
                Some(Kind::MethodsPolicy),
            ),
            (
                r#"{"id":"u","userPrincipalName":"a@x","accountEnabled":true}"#,
                None,
            ),
        ];
        for (json, want) in table {
            assert_eq!(from_object(&obj(json)), want, "{json}");
        }
    }

    #[test]
    fn headers_show_memberships_and_per_user_states() {
        let h = |s: &str| s.split(',').map(str::to_owned).collect::<Vec<_>>();
        let table = [
            (
                "GroupId,GroupDisplayName,MemberId,MemberUserPrincipalName,MemberType",
                Some(Kind::GroupMembers),
            ),
            ("groupid,memberid", Some(Kind::GroupMembers)),
            (
                "UserPrincipalName,Id,PerUserMfaState",
                Some(Kind::PerUserMfa),
            ),
            ("Id,perusermfastate", Some(Kind::PerUserMfa)),
            ("UserPrincipalName,DisplayName,MFA Status", None),
            ("PerUserMfaState", None),
        ];
        for (header, want) in table {
            assert_eq!(from_header(&h(header)), want, "{header}");
        }
    }
}
