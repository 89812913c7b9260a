//! The exports that say who is who and what is switched on: transitive group memberships,
//! directory role assignments, per-user MFA states, security defaults and the authentication
//! methods policy, each record added to the [`Tenant`] being built.
//!
//! Every id is lower-cased (Graph ids are GUIDs; exports differ in case) and every file that
//! pairs an object id with a UPN feeds [`Directory`](crate::read::policies::model::Directory),
//! so that a user export that carries only one of them can still be matched.
//!
//! Absence stays distinct from emptiness: a group with a row whose `MemberId` is empty is a
//! known, empty group; a group with no row at all is not in the export (`Tenant::groups` has
//! no key for it), and a policy that names it cannot be decided.

use serde_json::{Map, Value};

use crate::read::policies::conditional_access::{object, text};
use crate::read::policies::model::{
    MethodsPolicy, PerUserState, Principal, RoleAssignment, Tenant,
};
use crate::terminal::quote;

/// One row of the memberships export, from CSV cells or a JSON object's fields.
pub struct MemberRow<'r> {
    pub group_id: &'r str,
    pub group_name: &'r str,
    pub member_id: &'r str,
    pub member_upn: &'r str,
    pub member_type: &'r str,
}

/// The memberships export's columns, as the loop in docs/enforcement.md writes them.
pub const MEMBER_COLUMNS: [&str; 5] = [
    "GroupId",
    "GroupDisplayName",
    "MemberId",
    "MemberUserPrincipalName",
    "MemberType",
];

/// The per-user MFA export's columns.
pub const PER_USER_COLUMNS: [&str; 3] = ["UserPrincipalName", "Id", "PerUserMfaState"];

/// Pairs an object id with a UPN in the directory; a second, different UPN for one id (a
/// rename between two exports) keeps the first and is noted.
pub fn pair(tenant: &mut Tenant, id: &str, upn: &str, at: &str) {
    let (id, upn) = (
        id.trim().to_ascii_lowercase(),
        upn.trim().to_ascii_lowercase(),
    );
    if id.is_empty() || upn.is_empty() {
        return;
    }
    match tenant.directory.upn_by_id.get(&id) {
        Some(known) if *known != upn => tenant.notes.push(format!(
            "{at}: object id {} is paired with {} here but with {} in an earlier file; the \
             first is kept (a rename between the exports?)",
            quote(&id),
            quote(&upn),
            quote(known)
        )),
        Some(_) => {}
        None => {
            tenant.directory.upn_by_id.insert(id.clone(), upn.clone());
            tenant.directory.id_by_upn.entry(upn).or_insert(id);
        }
    }
}

/// Adds one membership row: a member of a group, or (empty `MemberId`) an empty group.
pub fn member(tenant: &mut Tenant, row: &MemberRow, at: &str) -> Result<(), String> {
    let group = row.group_id.trim().to_ascii_lowercase();
    if group.is_empty() {
        return Err(format!(
            "{at}: no GroupId\nhint: every row of the memberships export names its group; \
             export it again with the loop in docs/enforcement.md"
        ));
    }
    let name = row.group_name.trim();
    if !name.is_empty() {
        tenant
            .group_names
            .entry(group.clone())
            .or_insert_with(|| name.to_owned());
    }
    let members = tenant.groups.entry(group).or_default();
    let id = row.member_id.trim().to_ascii_lowercase();
    if id.is_empty() {
        if !row.member_upn.trim().is_empty() {
            return Err(format!(
                "{at}: member {} has no MemberId\nhint: an empty MemberId says the group has no \
                 members; export the memberships again with the loop in docs/enforcement.md",
                quote(row.member_upn)
            ));
        }
        return Ok(());
    }
    if !members.iter().any(|m| m.id == id) {
        let upn = Some(row.member_upn.trim()).filter(|u| !u.is_empty());
        members.push(Principal {
            id: id.clone(),
            upn: upn.map(str::to_owned),
            kind: row.member_type.trim().to_owned(),
        });
    }
    pair(tenant, &id, row.member_upn, at);
    Ok(())
}

/// Reads a per-user MFA state (`disabled`, `enabled`, `enforced`, any case).
pub fn per_user_state(value: &str, at: &str) -> Result<PerUserState, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "disabled" => Ok(PerUserState::Disabled),
        "enabled" => Ok(PerUserState::Enabled),
        "enforced" => Ok(PerUserState::Enforced),
        _ => Err(format!(
            "{at}: PerUserMfaState is {}, none of disabled, enabled, enforced\nhint: the \
             column holds perUserMfaState from beta/users/{{id}}/authentication/requirements; \
             export it again with the loop in docs/enforcement.md",
            quote(value)
        )),
    }
}

/// Adds one user's per-user MFA state, by lower-cased UPN and by lower-cased id. The same user
/// twice with two states is an error: which is true cannot be told.
pub fn per_user(
    tenant: &mut Tenant,
    upn: &str,
    id: &str,
    state: &str,
    at: &str,
) -> Result<(), String> {
    let (upn, id) = (
        upn.trim().to_ascii_lowercase(),
        id.trim().to_ascii_lowercase(),
    );
    if upn.is_empty() && id.is_empty() {
        return Err(format!(
            "{at}: neither UserPrincipalName nor Id is given, so the state is nobody's\nhint: \
             export it again with the loop in docs/enforcement.md"
        ));
    }
    let state = per_user_state(state, at)?;
    let map = tenant.per_user.get_or_insert_with(Default::default);
    for key in [&upn, &id].into_iter().filter(|k| !k.is_empty()) {
        match map.get(key) {
            Some(known) if *known != state => {
                return Err(format!(
                    "{at}: {} has per-user MFA state {state:?} here but {known:?} earlier\n\
                     hint: give one export of per-user states (the same user twice with two \
                     states cannot be decided)",
                    quote(key)
                ))
            }
            _ => {
                map.insert(key.clone(), state);
            }
        }
    }
    pair(tenant, &id, &upn, at);
    Ok(())
}

/// Reads one `unifiedRoleAssignment` with its expanded `principal`.
pub fn role_assignment(item: &Map<String, Value>, at: &str) -> Result<RoleAssignment, String> {
    let Some(role) = text(item, "roleDefinitionId") else {
        return Err(format!(
            "{at}: no roleDefinitionId\nhint: export the assignments whole"
        ));
    };
    let Some(scope) = text(item, "directoryScopeId") else {
        return Err(format!(
            "{at}: no directoryScopeId, so whether the role counts for Conditional Access \
             (scope \"/\") cannot be told\nhint: export the assignments whole (no $select)"
        ));
    };
    let Some(principal) = object(item, "principal") else {
        return Err(format!(
            "{at}: the principal is not expanded, so whether it is a user or a group cannot \
             be told\nhint: export v1.0/roleManagement/directory/roleAssignments?$expand=principal"
        ));
    };
    let Some(id) = text(principal, "id").or_else(|| text(item, "principalId")) else {
        return Err(format!(
            "{at}: the principal has no id\nhint: export the assignments whole"
        ));
    };
    Ok(RoleAssignment {
        role_id: role.to_ascii_lowercase(),
        principal: Principal {
            id: id.to_ascii_lowercase(),
            upn: text(principal, "userPrincipalName").map(str::to_owned),
            kind: text(principal, "@odata.type").unwrap_or("").to_owned(),
        },
        scope: scope.to_owned(),
    })
}

/// `identitySecurityDefaultsEnforcementPolicy.isEnabled`.
pub fn security_defaults(item: &Map<String, Value>, at: &str) -> Result<bool, String> {
    match crate::read::policies::conditional_access::get(item, "isEnabled") {
        Some(Value::Bool(on)) => Ok(*on),
        other => Err(format!(
            "{at}: isEnabled is {}, not true or false\nhint: export \
             v1.0/policies/identitySecurityDefaultsEnforcementPolicy whole",
            other.map_or_else(|| "missing".to_owned(), Value::to_string)
        )),
    }
}

/// The SMS and voice configurations of `authenticationMethodsPolicy`. Both must be there: a
/// policy exported without them cannot say whether SMS is still allowed.
pub fn methods_policy(item: &Map<String, Value>, at: &str) -> Result<MethodsPolicy, String> {
    let configs =
        crate::read::policies::conditional_access::get(item, "authenticationMethodConfigurations")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
    let mut user_targets = Vec::new();
    let mut find = |wanted: &str| -> Result<(bool, Vec<String>, Vec<String>), String> {
        let Some(config) = configs
            .iter()
            .filter_map(Value::as_object)
            .find(|c| text(c, "id").is_some_and(|id| id.eq_ignore_ascii_case(wanted)))
        else {
            return Err(format!(
                "{at}: authenticationMethodConfigurations has no {wanted} configuration\nhint: \
                 export v1.0/policies/authenticationMethodsPolicy whole (no $select)"
            ));
        };
        let enabled = text(config, "state").is_some_and(|s| s.eq_ignore_ascii_case("enabled"));
        // Graph's smsAuthenticationMethodTarget / authenticationMethodTarget: `id` and
        // `targetType` (`user` or `group`); `all_users` is a group target.
        let mut ids = |key: &str| -> Vec<String> {
            let mut out = Vec::new();
            let targets = crate::read::policies::conditional_access::get(config, key)
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for t in targets.iter().filter_map(Value::as_object) {
                let Some(id) = text(t, "id").map(str::to_ascii_lowercase) else {
                    continue;
                };
                if text(t, "targetType").is_some_and(|k| k.eq_ignore_ascii_case("user")) {
                    user_targets.push(id.clone());
                }
                out.push(id);
            }
            out
        };
        let include = ids("includeTargets");
        let exclude = ids("excludeTargets");
        Ok((enabled, include, exclude))
    };
    let (sms_enabled, sms_targets, sms_excluded) = find("Sms")?;
    let (voice_enabled, voice_targets, voice_excluded) = find("Voice")?;
    // Email OTP matters only to the controls (SCuBA MS.AAD.3.5v1): its absence is no error
    // here, the control says it cannot tell.
    let email_enabled = configs
        .iter()
        .filter_map(Value::as_object)
        .find(|c| text(c, "id").is_some_and(|id| id.eq_ignore_ascii_case("Email")))
        .map(|c| text(c, "state").is_some_and(|s| s.eq_ignore_ascii_case("enabled")));
    Ok(MethodsPolicy {
        sms_enabled,
        voice_enabled,
        email_enabled,
        sms_targets,
        voice_targets,
        sms_excluded,
        voice_excluded,
        user_targets,
        migration_complete: text(item, "policyMigrationState")
            .is_some_and(|s| s.eq_ignore_ascii_case("migrationComplete")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'r>(group: &'r str, id: &'r str, upn: &'r str) -> MemberRow<'r> {
        MemberRow {
            group_id: group,
            group_name: "",
            member_id: id,
            member_upn: upn,
            member_type: "#microsoft.graph.user",
        }
    }

    #[test]
    fn empty_groups_are_known_and_members_pair_ids_with_upns() {
        let mut t = Tenant::default();
        member(&mut t, &row("G-EMPTY", "", ""), "m.csv:2").unwrap();
        member(&mut t, &row("G-1", "U-1", "Ann@Contoso.com"), "m.csv:3").unwrap();
        member(&mut t, &row("g-1", "u-1", "ann@contoso.com"), "m.csv:4").unwrap();
        assert_eq!(t.groups["g-empty"], []);
        assert_eq!(
            t.groups["g-1"].len(),
            1,
            "a member listed twice is one member"
        );
        assert_eq!(t.groups["g-1"][0].upn.as_deref(), Some("Ann@Contoso.com"));
        assert!(!t.groups.contains_key("g-absent"));
        assert_eq!(t.directory.upn_by_id["u-1"], "ann@contoso.com");
        assert_eq!(t.directory.id_by_upn["ann@contoso.com"], "u-1");
        assert!(member(&mut t, &row("", "u", ""), "m.csv:5")
            .unwrap_err()
            .starts_with("m.csv:5: no GroupId"));
        assert!(member(&mut t, &row("g", "", "x@y"), "m.csv:6").is_err());
        // A second UPN for one id is noted, not silently replaced.
        member(&mut t, &row("g-2", "u-1", "renamed@contoso.com"), "m.csv:7").unwrap();
        assert_eq!(t.directory.upn_by_id["u-1"], "ann@contoso.com");
        assert_eq!(t.notes.len(), 1);
        // The group's display name is kept for messages, the first one seen.
        let named = |name| MemberRow {
            group_name: name,
            ..row("G-3", "u-1", "")
        };
        member(&mut t, &named(" Break glass "), "m.csv:8").unwrap();
        member(&mut t, &named("Other"), "m.csv:9").unwrap();
        assert_eq!(t.group_names["g-3"], "Break glass");
        assert!(!t.group_names.contains_key("g-1"));
    }

    #[test]
    fn per_user_states_any_case_and_conflicts() {
        let mut t = Tenant::default();
        for (upn, id, state, want) in [
            ("a@x", "ID-A", "Enforced", PerUserState::Enforced),
            ("b@x", "", "ENABLED", PerUserState::Enabled),
            ("", "id-c", "disabled", PerUserState::Disabled),
        ] {
            per_user(&mut t, upn, id, state, "p.csv:2").unwrap();
            let key = if upn.is_empty() { id } else { upn };
            assert_eq!(t.per_user.as_ref().unwrap()[key], want);
        }
        assert_eq!(t.per_user.as_ref().unwrap()["id-a"], PerUserState::Enforced);
        assert!(per_user(&mut t, "a@x", "", "enforced", "p.csv:5").is_ok());
        let err = per_user(&mut t, "A@X", "", "disabled", "p.csv:6").unwrap_err();
        assert!(
            err.starts_with("p.csv:6: \"a@x\" has per-user MFA state Disabled here but Enforced"),
            "{err}"
        );
        assert!(per_user(&mut t, "d@x", "", "on", "p.csv:7")
            .unwrap_err()
            .contains("none of disabled"));
        assert!(per_user(&mut t, "", "", "enabled", "p.csv:8").is_err());
    }

    #[test]
    fn role_assignments_security_defaults_and_methods() {
        let obj = |s: &str| serde_json::from_str::<Map<String, Value>>(s).unwrap();
        let a = role_assignment(&obj(r##"{"roleDefinitionId":"62E90394-69F5-4237-9190-012177145E10","principalId":"P","directoryScopeId":"/","principal":{"@odata.type":"#microsoft.graph.group","id":"GRP"}}"##), "r.json: item 1").unwrap();
        assert_eq!(
            (a.role_id.as_str(), a.scope.as_str()),
            ("62e90394-69f5-4237-9190-012177145e10", "/")
        );
        assert_eq!(
            (a.principal.id.as_str(), a.principal.kind.as_str()),
            ("grp", "#microsoft.graph.group")
        );
        let err = role_assignment(
            &obj(r##"{"roleDefinitionId":"r","principalId":"p","directoryScopeId":"/"}"##),
            "r.json: item 2",
        )
        .unwrap_err();
        assert!(err.contains("$expand=principal"), "{err}");
        assert!(role_assignment(
            &obj(r##"{"roleDefinitionId":"r","principal":{"id":"p"}}"##),
            "r"
        )
        .is_err());

        assert_eq!(
            security_defaults(&obj(r##"{"isEnabled":true}"##), "s"),
            Ok(true)
        );
        assert!(security_defaults(&obj(r##"{"isEnabled":"yes"}"##), "s").is_err());

        let m = methods_policy(&obj(r##"{"authenticationMethodConfigurations":[
            {"id":"Sms","state":"enabled","includeTargets":[{"targetType":"group","id":"all_users"}]},
            {"id":"Voice","state":"disabled","includeTargets":[{"targetType":"group","id":"GRP-V"}],
             "excludeTargets":[{"targetType":"user","id":"USR-1"}]},
            {"id":"Fido2","state":"enabled"}]}"##), "a").unwrap();
        assert_eq!(
            m,
            MethodsPolicy {
                sms_enabled: true,
                voice_enabled: false,
                // No Email configuration in this export: unknown, not off.
                email_enabled: None,
                sms_targets: vec!["all_users".into()],
                voice_targets: vec!["grp-v".into()],
                sms_excluded: vec![],
                voice_excluded: vec!["usr-1".into()],
                user_targets: vec!["usr-1".into()],
                migration_complete: false,
            }
        );
        let err = methods_policy(
            &obj(r##"{"authenticationMethodConfigurations":[{"id":"Sms","state":"enabled"}]}"##),
            "a",
        )
        .unwrap_err();
        assert!(err.contains("no Voice configuration"), "{err}");
    }
}
