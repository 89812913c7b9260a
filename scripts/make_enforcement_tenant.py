#!/usr/bin/env python3
"""Writes a fictional tenant's exports for `mfa-audit audit --policies`, one folder per variant.

Usage: make_enforcement_tenant.py OUT_DIR

OUT_DIR/registration-details.json   the user export (the audit's input): a Graph
    `reports/authenticationMethods/userRegistrationDetails` page (v1.0 resource docs:
    `id` is the user's object id, `userType` member/guest, `isAdmin`, `methodsRegistered`).
OUT_DIR/users.csv                   Get-MgUser -All -Property Id,UserPrincipalName,
    DisplayName,AccountEnabled,UserType | Export-Csv -NoTypeInformation (for --accounts; it has
    no methods column, so it is not an audit input).
OUT_DIR/<variant>/                  the --policies folder of each variant:
    ca-policies.json        Invoke-MgGraphRequest -Uri 'beta/identity/conditionalAccess/policies'
                            -OutputFilePath: an `@odata.context` page of conditionalAccessPolicy
                            objects (beta resource docs: conditions.users/applications/locations,
                            grantControls.operator/builtInControls/authenticationStrength).
    security-defaults.json  v1.0/policies/identitySecurityDefaultsEnforcementPolicy (`isEnabled`).
    group-members.csv       GroupId,GroupDisplayName,MemberId,MemberUserPrincipalName,MemberType
                            from the loop over Get-MgGroupTransitiveMember in docs/enforcement.md
                            (MemberType is the member's `@odata.type`; an empty group is one row
                            with empty member fields).
    role-assignments.json   v1.0/roleManagement/directory/roleAssignments?$expand=principal
                            (unifiedRoleAssignment: roleDefinitionId is the template id of a
                            built-in role, directoryScopeId "/" or an administrative unit).
    per-user-mfa.csv        UserPrincipalName,Id,PerUserMfaState from the loop over
                            beta/users/{id}/authentication/requirements (strongAuthentication
                            Requirements: disabled, enabled, enforced).
    users.csv               a copy of the user list: not a policy export, skipped with a note.

Admins (tests/cli/enforcement_admins.rs): dave is a Global Administrator with a FIDO2 key,
frank a User Administrator with only an authenticator app, niaj a Security Administrator
through the role-assignable group Security operations, erin a Global Administrator of an
administrative unit only (not an admin for Conditional Access).

Variants: `tenant` (every rule), `tenant-missing` (the same plus a policy naming a group whose
membership is not exported), `tenant-defaults` (security defaults on, no Conditional Access
policies). tests/cli/enforcement.rs works out every user's verdict by hand from these files.
Names and ids are fictional and the output is deterministic.
"""

import csv
import io
import json
import os
import sys


def oid(n):
    """A deterministic object id."""
    return f"00000000-0000-4000-8000-{n:012d}"


# Built-in role template ids (Microsoft Entra built-in roles, permissions reference).
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1"
SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d"

# (name, object id n, userType, AccountEnabled, methods)
USERS = [
    ("alice", 1, "member", True, ["microsoftAuthenticatorPush"]),
    ("bob", 2, "member", True, ["microsoftAuthenticatorPush"]),
    ("carol", 3, "member", True, ["mobilePhone"]),
    ("dave", 4, "member", True, ["fido2"]),
    ("erin", 5, "member", True, ["microsoftAuthenticatorPush"]),
    ("frank", 6, "member", True, ["softwareOneTimePasscode"]),
    ("grace", 7, "member", True, ["microsoftAuthenticatorPush"]),
    ("heidi", 8, "member", True, ["mobilePhone"]),
    ("ivan", 9, "member", True, ["microsoftAuthenticatorPush"]),
    ("judy", 10, "member", True, []),
    ("mallory", 11, "guest", True, ["mobilePhone"]),
    ("niaj", 12, "member", True, ["microsoftAuthenticatorPush"]),
    ("oscar", 13, "member", True, ["mobilePhone"]),
    ("peggy", 14, "member", True, []),
    ("trent", 15, "member", False, []),
]


def upn(name, kind):
    if kind == "guest":
        # How Entra names an invited user.
        return f"{name}_fabrikam.com#EXT#@contoso.onmicrosoft.com"
    return f"{name}@contoso.com"


USER = {name: (oid(n), upn(name, kind)) for name, n, kind, _, _ in USERS}

# Groups: (id, display name, direct members: user names or group keys)
GROUPS = {
    "staff": (oid(101), "All staff", ["alice", "carol", "frank", "sales"]),
    "sales": (oid(102), "Sales", ["bob"]),
    "breakglass": (oid(103), "Break glass", ["carol"]),
    "pilot": (oid(104), "MFA pilot", ["frank"]),
    "o365": (oid(105), "Office users", ["grace"]),
    "remote": (oid(106), "Remote workers", ["heidi"]),
    "devices": (oid(107), "Managed device users", ["ivan"]),
    "contractors": (oid(108), "Contractors", ["judy"]),
    "empty": (oid(109), "Leavers", []),
    # Role-assignable: holds Security Administrator (the admins finding); no policy names it.
    "secops": (oid(110), "Security operations", ["niaj"]),
}
MISSING_GROUP = oid(199)


def transitive(key, seen=None):
    """(kind, name) of every member of a group, nested groups and their members included, as
    Get-MgGroupTransitiveMember lists them."""
    seen = seen or set()
    out = []
    for m in GROUPS[key][2]:
        if m in GROUPS:
            if m in seen:
                continue
            seen.add(m)
            out.append(("group", m))
            out.extend(transitive(m, seen))
        else:
            out.append(("user", m))
    return out


def users_scope(**kw):
    scope = {
        "includeUsers": [],
        "excludeUsers": [],
        "includeGroups": [],
        "excludeGroups": [],
        "includeRoles": [],
        "excludeRoles": [],
        "includeGuestsOrExternalUsers": None,
        "excludeGuestsOrExternalUsers": None,
    }
    scope.update(kw)
    return scope


def policy(n, name, state, users, apps=None, grant=None, locations=None, user_actions=None):
    return {
        "id": oid(500 + n),
        "templateId": None,
        "displayName": name,
        "createdDateTime": "2026-01-05T09:00:00Z",
        "modifiedDateTime": "2026-10-01T09:00:00Z",
        "state": state,
        "sessionControls": None,
        "conditions": {
            "userRiskLevels": [],
            "signInRiskLevels": [],
            "clientAppTypes": ["all"],
            "servicePrincipalRiskLevels": [],
            "platforms": None,
            "locations": locations,
            "times": None,
            "devices": None,
            "clientApplications": None,
            "applications": {
                "includeApplications": [] if user_actions else (apps or ["All"]),
                "excludeApplications": [],
                "includeUserActions": user_actions or [],
                "includeAuthenticationContextClassReferences": [],
                "applicationFilter": None,
            },
            "users": users,
        },
        "grantControls": grant
        or {
            "operator": "OR",
            "builtInControls": ["mfa"],
            "customAuthenticationFactors": [],
            "termsOfUse": [],
            "authenticationStrength": None,
        },
    }


def g(key):
    return GROUPS[key][0]


POLICIES = [
    # Members of All staff, transitively (bob through Sales); Break glass and User
    # Administrators excluded.
    policy(1, "Require MFA for staff", "enabled", users_scope(
        includeGroups=[g("staff")], excludeGroups=[g("breakglass")], excludeRoles=[USER_ADMIN])),
    # Global Administrators, by an active assignment at "/" only.
    policy(2, "Require MFA for admins", "enabled", users_scope(includeRoles=[GLOBAL_ADMIN]),
           grant={
               "operator": "OR",
               "builtInControls": [],
               "customAuthenticationFactors": [],
               "termsOfUse": [],
               "authenticationStrength": {
                   "id": "00000000-0000-0000-0000-000000000004",
                   "displayName": "Phishing-resistant MFA",
                   "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
               },
           }),
    policy(3, "MFA pilot (report-only)", "enabledForReportingButNotEnforced",
           users_scope(includeGroups=[g("pilot")])),
    policy(4, "Require MFA for Office 365", "enabled", users_scope(includeGroups=[g("o365")]),
           apps=["Office365"]),
    policy(5, "Require MFA outside trusted locations", "enabled",
           users_scope(includeGroups=[g("remote")]),
           locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}),
    policy(6, "Require MFA or a compliant device", "enabled",
           users_scope(includeGroups=[g("devices")]),
           grant={
               "operator": "OR",
               "builtInControls": ["mfa", "compliantDevice"],
               "customAuthenticationFactors": [],
               "termsOfUse": [],
               "authenticationStrength": None,
           }),
    policy(7, "Require MFA for contractors (disabled)", "disabled",
           users_scope(includeGroups=[g("contractors")])),
    # A #EXT# guest is a B2B collaboration guest or an "other external user": the user export
    # cannot tell which, so both are included for the policy to decide her.
    policy(8, "Require MFA for guests", "enabled", users_scope(includeGuestsOrExternalUsers={
        "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,"
                                    "otherExternalUser",
        "externalTenants": {
            "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
            "membershipKind": "all",
        },
    })),
    # A user action, not a sign-in: protects nobody's sign-ins.
    policy(9, "Require MFA to register security info", "enabled",
           users_scope(includeUsers=["All"]), user_actions=["urn:user:registersecurityinfo"]),
]

MISSING_POLICY = policy(10, "Require MFA for finance", "enabled",
                        users_scope(includeGroups=[MISSING_GROUP]))

# (user or group key, role template id, directoryScopeId)
ROLE_ASSIGNMENTS = [
    ("dave", GLOBAL_ADMIN, "/"),
    # Scoped to an administrative unit: does not count for Conditional Access.
    ("erin", GLOBAL_ADMIN, "/administrativeUnits/" + oid(300)),
    ("frank", USER_ADMIN, "/"),
    # Through a role-assignable group: niaj is a Security Administrator.
    ("secops", SECURITY_ADMIN, "/"),
]

PER_USER = {"erin": "enforced", "oscar": "enabled"}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def csv_text(header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def page(context, value):
    return json.dumps({"@odata.context": context, "value": value}, indent=2) + "\n"


def users_csv(users=None, user=None):
    """Get-MgUser's columns for `users` (default: this tenant's); other tenants pass theirs."""
    users, user = users or USERS, user or USER
    rows = [
        [user[name][0], user[name][1], name.title(), str(enabled), kind.title()]
        for name, _, kind, enabled, _ in users
    ]
    return csv_text(["Id", "UserPrincipalName", "DisplayName", "AccountEnabled", "UserType"], rows)


def registration_details():
    value = []
    for name, _, kind, _, methods in USERS:
        value.append({
            "id": USER[name][0],
            "userPrincipalName": USER[name][1],
            "userDisplayName": name.title(),
            "userType": kind,
            "isAdmin": name in ("dave", "frank", "niaj"),
            "isMfaRegistered": bool(methods),
            "isMfaCapable": bool(methods),
            "isPasswordlessCapable": "fido2" in methods,
            "methodsRegistered": methods,
            "defaultMfaMethod": methods[0] if methods else "none",
            "lastUpdatedDateTime": "2026-11-20T08:00:00Z",
        })
    return page("https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/"
                "userRegistrationDetails", value)


def group_members():
    rows = []
    for key, (gid, gname, _) in GROUPS.items():
        members = transitive(key)
        if not members:
            rows.append([gid, gname, "", "", ""])
        for kind, m in members:
            if kind == "group":
                rows.append([gid, gname, GROUPS[m][0], "", "#microsoft.graph.group"])
            else:
                rows.append([gid, gname, USER[m][0], USER[m][1], "#microsoft.graph.user"])
    return csv_text(["GroupId", "GroupDisplayName", "MemberId", "MemberUserPrincipalName",
                     "MemberType"], rows)


def role_assignments(assignments=None, user=None):
    """The roleAssignments page of `assignments` (name, role template id, scope) for the users
    of `user` (default: this tenant's); other tenants pass theirs."""
    assignments, user = assignments or ROLE_ASSIGNMENTS, user or USER
    value = []
    for i, (name, role, scope) in enumerate(assignments):
        if name in GROUPS:
            # An expanded group principal has no userPrincipalName (Graph group resource).
            uid = GROUPS[name][0]
            principal = {"@odata.type": "#microsoft.graph.group", "id": uid,
                         "displayName": GROUPS[name][1]}
        else:
            uid, u = user[name]
            principal = {"@odata.type": "#microsoft.graph.user", "id": uid,
                         "displayName": name.title(), "userPrincipalName": u}
        value.append({
            "id": f"assignment-{i + 1}",
            "roleDefinitionId": role,
            "principalId": uid,
            "directoryScopeId": scope,
            "principal": principal,
        })
    return page("https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/"
                "roleAssignments(principal())", value)


def per_user(states=None, users=None, user=None):
    """The per-user MFA export: `states` by name, everyone else disabled (default: this
    tenant's users and states); other tenants pass theirs."""
    states = PER_USER if states is None else states
    users, user = users or USERS, user or USER
    rows = [[user[n][1], user[n][0], states.get(n, "disabled")] for n, *_ in users]
    return csv_text(["UserPrincipalName", "Id", "PerUserMfaState"], rows)


def security_defaults(enabled):
    return json.dumps({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/"
                          "identitySecurityDefaultsEnforcementPolicy/$entity",
        "id": "00000000-0000-0000-0000-000000000005",
        "displayName": "Security Defaults",
        "description": "Security defaults is a set of basic identity security mechanisms "
                       "recommended by Microsoft.",
        "isEnabled": enabled,
    }, indent=2) + "\n"


CA_CONTEXT = "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies"


def variant(out, folder, policies, defaults):
    base = os.path.join(out, folder)
    write(os.path.join(base, "ca-policies.json"), page(CA_CONTEXT, policies))
    write(os.path.join(base, "security-defaults.json"), security_defaults(defaults))
    write(os.path.join(base, "group-members.csv"), group_members())
    write(os.path.join(base, "role-assignments.json"), role_assignments())
    write(os.path.join(base, "per-user-mfa.csv"), per_user())
    write(os.path.join(base, "users.csv"), users_csv())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    write(os.path.join(out, "registration-details.json"), registration_details())
    write(os.path.join(out, "users.csv"), users_csv())
    variant(out, "tenant", POLICIES, False)
    variant(out, "tenant-missing", POLICIES + [MISSING_POLICY], False)
    variant(out, "tenant-defaults", [], True)


if __name__ == "__main__":
    main()
