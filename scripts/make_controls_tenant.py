#!/usr/bin/env python3
"""Writes a small fictional tenant for `mfa-audit audit --controls/--sarif`, one --policies
folder per variant, so that each benchmark control can be seen to pass, fail and be not
assessable (tests/cli/controls.rs works every result out by hand).

Usage: make_controls_tenant.py OUT_DIR

OUT_DIR/registration.csv   the Entra portal's "Download" of User registration details
    (headers as samples/entra-registration-details.csv: userPrincipalName, userDisplayName,
    isMfaCapable, ..., methodsRegistered as a JSON array) plus `id` and `userType`, so that
    every user has a line the controls can point at.
OUT_DIR/users.csv          Get-MgUser -All -Property Id,UserPrincipalName,DisplayName,
    AccountEnabled,UserType | Export-Csv (for --accounts: sign-in state).
OUT_DIR/good/              every control passes.
OUT_DIR/bad/               each control fails for the reasons tests/cli/controls.rs names.
OUT_DIR/partial/           Conditional Access and per-user states only: the role and methods
    policy controls are not assessable.

The exports' shapes are those of scripts/make_enforcement_tenant.py (Graph v1.0/beta resource
docs), whose helpers this script reuses. Names and ids are fictional; output is deterministic.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_enforcement_tenant as base  # noqa: E402

oid, csv_text, page, write = base.oid, base.csv_text, base.page, base.write
policy, users_scope = base.policy, base.users_scope

# (name, n, userType, AccountEnabled, methods)
USERS = [
    ("ann", 1, "member", True, ["fido2"]),            # Global Administrator
    ("ben", 2, "member", True, ["microsoftAuthenticatorPush"]),
    ("cat", 3, "member", True, ["softwareOneTimePasscode"]),
    ("gus", 4, "guest", True, []),                    # a guest: not in CIS 5.2.3.4's scope
    ("zed", 5, "member", False, []),                  # blocked: out of every control's scope
]
DOMAIN = "fabrikam.example"


def upn(name, kind):
    if kind == "guest":
        return f"{name}_partner.example#EXT#@{DOMAIN}"
    return f"{name}@{DOMAIN}"


USER = {n: (oid(i), upn(n, k)) for n, i, k, _, _ in USERS}


def registration():
    header = ["id", "userPrincipalName", "userDisplayName", "userType", "isMfaCapable",
              "isPasswordlessCapable", "methodsRegistered"]
    rows = []
    for name, _, kind, _, methods in USERS:
        rows.append([USER[name][0], USER[name][1], name.title(), kind, str(bool(methods)),
                     str("fido2" in methods), json.dumps(methods)])
    return csv_text(header, rows)


def users_csv():
    return base.users_csv(USERS, USER)


def strength_grant(name, sid):
    # beta conditionalAccessGrantControls with an inline authenticationStrengthPolicy.
    return {"operator": "OR", "builtInControls": [], "customAuthenticationFactors": [],
            "termsOfUse": [], "authenticationStrength": {"id": sid, "displayName": name}}


PHISHING_RESISTANT = ("Phishing-resistant MFA", "00000000-0000-0000-0000-000000000004")


def policies(variant):
    exclude = [USER["cat"][0]] if variant == "bad" else []
    pr_state = "enabledForReportingButNotEnforced" if variant == "bad" else "enabled"
    return [
        policy(1, "Require MFA for all users", "enabled",
               users_scope(includeUsers=["All"], excludeUsers=exclude)),
        policy(2, "Phishing-resistant MFA for everyone", pr_state,
               users_scope(includeUsers=["All"]), grant=strength_grant(*PHISHING_RESISTANT)),
    ]


def role_assignments():
    return base.role_assignments([("ann", base.GLOBAL_ADMIN, "/")], USER)


def per_user(variant):
    return base.per_user({"ben": "enforced"} if variant == "bad" else {}, USERS, USER)


def methods_policy(variant):
    # v1.0 authenticationMethodsPolicy: configurations by id (Sms, Voice, Email, Fido2).
    def config(kind, on):
        return {"@odata.type": f"#microsoft.graph.{kind[0].lower() + kind[1:]}"
                               "AuthenticationMethodConfiguration",
                "id": kind, "state": "enabled" if on else "disabled",
                "includeTargets": [{"targetType": "group", "id": "all_users"}]}
    return json.dumps({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy",
        "id": "authenticationMethodsPolicy", "displayName": "Authentication Methods Policy",
        "policyVersion": "1.5", "policyMigrationState": "migrationComplete",
        "authenticationMethodConfigurations": [
            config("Sms", variant == "bad"), config("Voice", False), config("Email", False),
            config("Fido2", True)],
    }, indent=2) + "\n"


def variant(out, name):
    d = os.path.join(out, name)
    write(os.path.join(d, "ca-policies.json"), page(base.CA_CONTEXT, policies(name)))
    write(os.path.join(d, "security-defaults.json"), base.security_defaults(False))
    write(os.path.join(d, "per-user-mfa.csv"), per_user(name))
    if name != "partial":
        write(os.path.join(d, "role-assignments.json"), role_assignments())
        write(os.path.join(d, "authentication-methods-policy.json"), methods_policy(name))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    write(os.path.join(out, "registration.csv"), registration())
    write(os.path.join(out, "users.csv"), users_csv())
    for v in ("good", "bad", "partial"):
        variant(out, v)


if __name__ == "__main__":
    main()
