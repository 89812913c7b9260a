#!/usr/bin/env python3
"""A small fictional tenant for the end of SMS and voice (tests/cli/phone_end.rs).

Writes, into the folder given as the only argument:
- registration-details.json: a Graph page of userRegistrationDetails (v1.0
  reports/authenticationMethods/userRegistrationDetails: id, userPrincipalName,
  userDisplayName, userType, isMfaRegistered, methodsRegistered);
- users.csv: Get-MgUser's Id, UserPrincipalName, DisplayName, AccountEnabled, UserType
  (the registration details have no sign-in state: it is joined with --accounts);
- policies-<variant>/: the authentication methods policy as
  `Invoke-MgGraphRequest v1.0/policies/authenticationMethodsPolicy -OutputFilePath` writes it
  (Graph's authenticationMethodsPolicy resource: policyMigrationState and
  authenticationMethodConfigurations, the Sms and Voice ones with includeTargets /
  excludeTargets of id and targetType), and the transitive memberships export of
  docs/enforcement.md (GroupId, GroupDisplayName, MemberId, MemberUserPrincipalName,
  MemberType).

Deterministic: the same bytes every run. The expected results are worked out by hand in the
test, not here.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_enforcement_tenant as base  # noqa: E402

# The writers and the object ids of the enforcement tenant: the same bytes for the same rows.
oid, csv_text, write = base.oid, base.csv_text, base.write

DOMAIN = "fabrikam-phone.example"


# (key, display name, methods registered, account enabled)
USERS = [
    ("ann", "Ann Okafor", ["mobilePhone"], True),
    ("bob", "Bob Lindqvist", ["mobilePhone", "microsoftAuthenticatorPush"], True),
    ("cleo", "Cleo Marchetti", ["officePhone"], True),
    ("dev", "Dev Raman", ["mobilePhone", "email"], True),
    ("eve", "Eve Halvorsen", ["fido2"], True),
    ("fay", "Fay Oduya", ["mobilePhone"], False),
]
ID = {key: oid(i + 1) for i, (key, *_rest) in enumerate(USERS)}
GRP_SMS = oid(101)  # ann directly, dev through the nested group
GRP_FIELD = oid(102)  # nested in GRP_SMS: dev
GRP_NOVOICE = oid(103)  # cleo
GRP_UNEXPORTED = oid(199)  # named by a policy, no membership rows


def upn(key):
    return f"{key}@{DOMAIN}"


def registration_details():
    value = []
    for key, name, methods, _enabled in USERS:
        mfa = [m for m in methods if m != "email"]
        value.append({
            "id": ID[key],
            "userPrincipalName": upn(key),
            "userDisplayName": name,
            "userType": "member",
            "isMfaRegistered": bool(mfa),
            "methodsRegistered": methods,
        })
    return json.dumps({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails",
        "value": value,
    }, indent=1)


def users_csv():
    return csv_text(
        ["Id", "UserPrincipalName", "DisplayName", "AccountEnabled", "UserType"],
        [[ID[k], upn(k), n, "True" if e else "False", "Member"] for k, n, _m, e in USERS],
    )


def group_members():
    user = "#microsoft.graph.user"
    rows = [
        [GRP_SMS, "SMS allowed", ID["ann"], upn("ann"), user],
        # Transitive: dev is in the nested group, so the export lists him under both.
        [GRP_SMS, "SMS allowed", GRP_FIELD, "", "#microsoft.graph.group"],
        [GRP_SMS, "SMS allowed", ID["dev"], upn("dev"), user],
        [GRP_FIELD, "Field staff", ID["dev"], upn("dev"), user],
        [GRP_NOVOICE, "No voice", ID["cleo"], upn("cleo"), user],
    ]
    return csv_text(
        ["GroupId", "GroupDisplayName", "MemberId", "MemberUserPrincipalName", "MemberType"],
        rows,
    )


def target(kind, id_):
    return {"targetType": kind, "id": id_, "isRegistrationRequired": False}


def methods_policy(migration, sms, voice):
    def config(odata, id_, state, include, exclude):
        return {
            "@odata.type": f"#microsoft.graph.{odata}",
            "id": id_,
            "state": state,
            "excludeTargets": [{"targetType": k, "id": i} for k, i in exclude],
            "includeTargets": [target(k, i) for k, i in include],
        }

    return json.dumps({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/$entity",
        "id": "authenticationMethodsPolicy",
        "displayName": "Authentication Methods Policy",
        "policyVersion": "1.5",
        "policyMigrationState": migration,
        "authenticationMethodConfigurations": [
            config("smsAuthenticationMethodConfiguration", "Sms", *sms),
            config("voiceAuthenticationMethodConfiguration", "Voice", *voice),
            config("fido2AuthenticationMethodConfiguration", "Fido2", "enabled",
                   [("group", "all_users")], []),
        ],
    }, indent=1)


VARIANTS = {
    # SMS for the SMS group; voice for everyone but the "No voice" group.
    "groups": ("migrationComplete",
               ("enabled", [("group", GRP_SMS)], []),
               ("enabled", [("group", "all_users")], [("group", GRP_NOVOICE)])),
    # SMS for a group whose members were not exported; voice off.
    "missing-group": ("migrationComplete",
                      ("enabled", [("group", GRP_UNEXPORTED)], []),
                      ("disabled", [("group", "all_users")], [])),
    # Both off, but the legacy policies still count.
    "legacy": ("migrationInProgress",
               ("disabled", [("group", "all_users")], []),
               ("disabled", [("group", "all_users")], [])),
    # Both off, migration complete; ann excluded by user id as well.
    "off": ("migrationComplete",
            ("disabled", [("group", "all_users")], [("user", ID["ann"])]),
            ("disabled", [("group", "all_users")], [])),
}


def main():
    out = sys.argv[1]
    write(os.path.join(out, "registration-details.json"), registration_details())
    write(os.path.join(out, "users.csv"), users_csv())
    for name, (migration, sms, voice) in VARIANTS.items():
        folder = os.path.join(out, f"policies-{name}")
        write(os.path.join(folder, "authentication-methods-policy.json"),
              methods_policy(migration, sms, voice))
        write(os.path.join(folder, "group-members.csv"), group_members())


if __name__ == "__main__":
    main()
