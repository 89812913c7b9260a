#!/usr/bin/env python3
"""Writes a fictional tenant's policy exports, in every shape `--policies` reads.

Usage: make_policy_fixtures.py OUT_DIR

Shapes follow Microsoft Graph's reference pages (conditionalAccessPolicy and its condition
set, users, applications and grantControls resources; identitySecurityDefaultsEnforcementPolicy;
unifiedRoleAssignment with $expand=principal; authenticationMethodsPolicy with its sms and voice
configurations), the loops in docs/enforcement.md (memberships and per-user states, as
Export-Csv -NoTypeInformation writes them: every field quoted), EntraExporter (one policy object
per file) and ScubaGear (ScubaResults_*.json, the policies as the Graph PowerShell SDK serialises
them, PascalCase keys, under Raw.conditional_access_policies).

- tenant/: a folder as an admin would hand it over: every kind, plus the user export and a
  README (both skipped), in a sub-folder too.
- shapes/: the other shapes of the same objects (v1.0 page, bare array, EntraExporter files,
  ScubaGear results, JSON memberships and per-user states, an empty Conditional Access page).
- broken/: one broken export of each kind, each an error naming the file.

Tenant Contoso; every name and GUID is made up. The output is deterministic:
tests/cli/policies_read.rs works out every expected value by hand from it.
"""

import json
import os
import sys

BETA = "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies"
V1 = "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies"

GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"  # Entra built-in roles page
BREAK_GLASS_GROUP = "6b1f0c2e-0000-4000-8000-00000000b001"
STAFF_GROUP = "6b1f0c2e-0000-4000-8000-00000000a001"
NESTED_GROUP = "6b1f0c2e-0000-4000-8000-00000000a002"  # a member of STAFF_GROUP
EMPTY_GROUP = "6b1f0c2e-0000-4000-8000-00000000e001"
MISSING_GROUP = "6b1f0c2e-0000-4000-8000-00000000f001"  # named by a policy, not exported
ANN = ("1d0a0000-0000-4000-8000-000000000001", "ann.lee@contoso.com")
BEN = ("1d0a0000-0000-4000-8000-000000000002", "ben.ortiz@contoso.com")
CHO = ("1d0a0000-0000-4000-8000-000000000003", "cho.park@contoso.com")
GLASS = ("1d0a0000-0000-4000-8000-000000000009", "glass.break@contoso.com")


def conditions(users, apps=None, **extra):
    c = {
        "userRiskLevels": [],
        "signInRiskLevels": [],
        "clientAppTypes": ["all"],
        "servicePrincipalRiskLevels": [],
        "platforms": None,
        "locations": None,
        "devices": None,
        "clientApplications": None,
        "applications": {
            "includeApplications": ["All"],
            "excludeApplications": [],
            "includeUserActions": [],
            "includeAuthenticationContextClassReferences": [],
            "applicationFilter": None,
        },
        "users": {
            "includeUsers": [],
            "excludeUsers": [],
            "includeGroups": [],
            "excludeGroups": [],
            "includeRoles": [],
            "excludeRoles": [],
            "includeGuestsOrExternalUsers": None,
            "excludeGuestsOrExternalUsers": None,
        },
    }
    c["users"].update(users)
    if apps:
        c["applications"].update(apps)
    c.update(extra)
    return c


def grant(controls, operator="OR", strength=None):
    g = {
        "operator": operator,
        "builtInControls": controls,
        "customAuthenticationFactors": [],
        "termsOfUse": [],
        "authenticationStrength@odata.context": "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies('x')/grantControls/authenticationStrength/$entity",
        "authenticationStrength": strength,
    }
    return g


def policy(n, name, state, conds, grants):
    return {
        "id": f"ca000000-0000-4000-8000-00000000000{n}",
        "templateId": None,
        "displayName": name,
        "createdDateTime": "2026-01-05T09:00:00Z",
        "modifiedDateTime": "2026-10-01T09:00:00Z",
        "state": state,
        "sessionControls": None,
        "conditions": conds,
        "grantControls": grants,
    }


PHISHING_RESISTANT = {
    "id": "00000000-0000-0000-0000-000000000004",
    "createdDateTime": "2021-12-01T08:00:00Z",
    "modifiedDateTime": "2021-12-01T08:00:00Z",
    "displayName": "Phishing-resistant MFA",
    "description": "Phishing-resistant, Passwordless methods for the strongest authentication",
    "policyType": "builtIn",
    "requirementsSatisfied": "mfa",
    "allowedCombinations": ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
}

POLICIES = [
    policy(1, "CA001: Require MFA for all users", "enabled",
           conditions({"includeUsers": ["All"], "excludeUsers": [GLASS[0]],
                       "excludeGroups": [BREAK_GLASS_GROUP]}),
           grant(["mfa"])),
    policy(2, "CA002: Phishing-resistant MFA for admins", "enabled",
           conditions({"includeRoles": [GLOBAL_ADMIN]}),
           grant([], "OR", PHISHING_RESISTANT)),
    policy(3, "CA003: MFA for Office 365 outside trusted locations", "enabledForReportingButNotEnforced",
           conditions({"includeGroups": [STAFF_GROUP]}, {"includeApplications": ["Office365"]},
                      locations={"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]}),
           grant(["mfa"])),
    policy(4, "CA004: MFA or compliant device for guests", "enabled",
           conditions({"includeGuestsOrExternalUsers": {
               "guestOrExternalUserTypes": "internalGuest,b2bCollaborationGuest,b2bCollaborationMember",
               "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
                                   "membershipKind": "all"}}, "includeGroups": [MISSING_GROUP]}),
           grant(["mfa", "compliantDevice"])),
    policy(5, "CA005: Old pilot (disabled)", "disabled",
           conditions({"includeUsers": [BEN[0]]}, platforms={"includePlatforms": ["android", "iOS"], "excludePlatforms": []},
                      signInRiskLevels=["high", "medium"]),
           grant(["mfa"])),
    policy(6, "CA006: MFA to register security info", "enabled",
           conditions({"includeUsers": ["All"]}, {"includeApplications": [],
                                                  "includeUserActions": ["urn:user:registersecurityinfo"]}),
           grant(["mfa"])),
]


def sdk(value):
    """The Graph PowerShell SDK's serialisation: PascalCase keys, no @odata annotations."""
    if isinstance(value, dict):
        return {k[0].upper() + k[1:]: sdk(v) for k, v in value.items() if "@" not in k}
    if isinstance(value, list):
        return [sdk(v) for v in value]
    return value


def write(path, text, bom=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        f.write(text)


def dump(path, obj):
    write(path, json.dumps(obj, indent=2) + "\n")


def csv(path, header, rows):
    q = lambda f: '"' + f.replace('"', '""') + '"'
    lines = [",".join(q(h) for h in header)] + [",".join(q(f) for f in r) for r in rows]
    write(path, "\r\n".join(lines) + "\r\n", bom=True)


MEMBER_HEADER = ["GroupId", "GroupDisplayName", "MemberId", "MemberUserPrincipalName", "MemberType"]
MEMBERS = [
    # Transitive: ann is in the nested group, so Get-MgGroupTransitiveMember lists her under
    # Staff too, and lists the nested group itself.
    [STAFF_GROUP, "Staff", BEN[0], BEN[1], "#microsoft.graph.user"],
    [STAFF_GROUP, "Staff", NESTED_GROUP, "", "#microsoft.graph.group"],
    [STAFF_GROUP, "Staff", ANN[0], ANN[1], "#microsoft.graph.user"],
    [NESTED_GROUP, "Staff - Sales", ANN[0], ANN[1], "#microsoft.graph.user"],
    [BREAK_GLASS_GROUP, "Break glass", GLASS[0], GLASS[1], "#microsoft.graph.user"],
    # The loop writes one row with empty member fields for a group with no members.
    [EMPTY_GROUP, "Contractors (empty)", "", "", ""],
]
PER_USER_HEADER = ["UserPrincipalName", "Id", "PerUserMfaState"]
PER_USER = [[ANN[1], ANN[0], "disabled"], [BEN[1], BEN[0], "enforced"], [CHO[1], CHO[0], "Enabled"]]


def roles_page(expand=True):
    def assignment(n, principal, scope):
        a = {"id": f"ra-{n}", "principalId": principal["id"], "directoryScopeId": scope,
             "roleDefinitionId": GLOBAL_ADMIN}
        if expand:
            a["principal"] = principal
        return a
    user = lambda u: {"@odata.type": "#microsoft.graph.user", "id": u[0], "displayName": u[1].split("@")[0],
                      "userPrincipalName": u[1]}
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleAssignments(principal())",
        "value": [
            assignment(1, user(CHO), "/"),
            assignment(2, user(GLASS), "/"),
            assignment(3, {"@odata.type": "#microsoft.graph.group", "id": BREAK_GLASS_GROUP.upper(),
                           "displayName": "Break glass"}, "/administrativeUnits/au-1"),
        ],
    }


SECURITY_DEFAULTS = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity",
    "id": "00000000-0000-0000-0000-000000000005",
    "displayName": "Security Defaults",
    "description": "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
    "isEnabled": False,
}


def methods_policy(voice=True):
    configs = [
        {"@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", "id": "Sms", "state": "enabled",
         "excludeTargets": [], "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": False,
                                                   "isUsableForSignIn": True}]},
        {"@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", "id": "Voice", "state": "disabled",
         "excludeTargets": [], "isOfficePhoneAllowed": False,
         "includeTargets": [{"targetType": "group", "id": STAFF_GROUP, "isRegistrationRequired": False}]},
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "excludeTargets": [], "includeTargets": [{"targetType": "group", "id": "all_users"}]},
    ]
    if not voice:
        configs = [c for c in configs if c["id"] != "Voice"]
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
        "id": "authenticationMethodsPolicy",
        "displayName": "Authentication Methods Policy",
        "policyVersion": "1.5",
        "authenticationMethodConfigurations@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations",
        "authenticationMethodConfigurations": configs,
    }


USERS = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,accountEnabled)",
         "value": [{"id": u[0], "userPrincipalName": u[1], "accountEnabled": True} for u in (ANN, BEN, CHO, GLASS)]}


def main(out):
    t = os.path.join(out, "tenant")
    dump(os.path.join(t, "ca-policies.json"), {"@odata.context": BETA, "value": POLICIES})
    dump(os.path.join(t, "security-defaults.json"), SECURITY_DEFAULTS)
    csv(os.path.join(t, "memberships.csv"), MEMBER_HEADER, MEMBERS)
    dump(os.path.join(t, "roles", "role-assignments.json"), roles_page())
    csv(os.path.join(t, "roles", "per-user-mfa.csv"), PER_USER_HEADER, PER_USER)
    dump(os.path.join(t, "methods.json"), methods_policy())
    dump(os.path.join(t, "Users.json"), USERS)
    write(os.path.join(t, "README.md"), "# Contoso exports, 2026-11-20\n\nTaken by the helpdesk.\n")

    s = os.path.join(out, "shapes")
    v1 = [dict(p) for p in POLICIES[:2]]
    dump(os.path.join(s, "ca-v1.json"), {"@odata.context": V1, "value": v1})
    dump(os.path.join(s, "ca-array.json"), POLICIES[2:4])
    for p in POLICIES[4:]:
        dump(os.path.join(s, "entra", "Identity", "Conditional", "AccessPolicies", p["id"], p["id"] + ".json"), p)
    dump(os.path.join(s, "ScubaResults_3f2a.json"), {
        "MetaData": {"TenantId": "c0n70s0-0000-4000-8000-000000000000", "DisplayName": "Contoso"},
        "Summary": {}, "Results": {},
        "Raw": {"conditional_access_policies": sdk(POLICIES[:2]), "authentication_method": []},
    })
    dump(os.path.join(s, "memberships.json"), [dict(zip(MEMBER_HEADER, r)) for r in MEMBERS[:2]])
    dump(os.path.join(s, "per-user.json"), [dict(zip(PER_USER_HEADER, r)) for r in PER_USER[1:]])
    dump(os.path.join(s, "ca-empty.json"), {"@odata.context": BETA, "value": []})

    b = os.path.join(out, "broken")
    text = json.dumps({"@odata.context": BETA, "value": POLICIES[:1]}, indent=2)
    write(os.path.join(b, "ca-truncated.json"), text[: len(text) // 2])
    dump(os.path.join(b, "ca-nextlink.json"), {"@odata.context": BETA,
         "@odata.nextLink": "https://graph.microsoft.com/beta/identity/conditionalAccess/policies?$skiptoken=abc",
         "value": POLICIES[:1]})
    no_state = {k: v for k, v in POLICIES[0].items() if k != "state"}
    dump(os.path.join(b, "ca-no-state.json"), {"@odata.context": BETA, "value": [no_state]})
    csv(os.path.join(b, "memberships-no-id.csv"), MEMBER_HEADER, [[STAFF_GROUP, "Staff", "", BEN[1], "#microsoft.graph.user"]])
    csv(os.path.join(b, "per-user-bad-state.csv"), PER_USER_HEADER, [[ANN[1], ANN[0], "on"]])
    dump(os.path.join(b, "roles-unexpanded.json"), roles_page(expand=False))
    dump(os.path.join(b, "security-defaults-bad.json"), dict(SECURITY_DEFAULTS, isEnabled="yes"))
    dump(os.path.join(b, "methods-no-voice.json"), methods_policy(voice=False))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
