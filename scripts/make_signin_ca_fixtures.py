#!/usr/bin/env python3
"""Writes sign-in downloads that carry Conditional Access evidence and both kinds of sign-in.

Usage: make_signin_ca_fixtures.py OUT_DIR

- signins-ca.json: a Graph `auditLogs/signIns` page ({"value": [...]}) as Microsoft's Graph
  reference documents the `signIn`, `authenticationDetail` and `appliedConditionalAccessPolicy`
  resources: `isInteractive` (v1.0), `signInEventTypes` (beta), `conditionalAccessStatus`,
  `appliedConditionalAccessPolicies[]` with `id`, `displayName`, `enforcedGrantControls`
  ("Mfa", "RequireCompliantDevice" as Graph sign-in samples and Sentinel's SigninLogs write
  them; an authentication strength as "RequireAuthenticationStrength" with beta's
  `authenticationStrength` object), `enforcedSessionControls` and `result`.
- InteractiveSignIns_2026-11-01_2026-11-08.csv and NonInteractiveSignIns_2026-11-01_2026-11-08.csv:
  the Entra admin center's CSV downloads (the 57-column header of 2025-2026, every field
  quoted, CRLF), named as the portal names them; "Conditional Access" holds Success, Failure or
  Not Applied.

Names are fictional (contoso.com). The output is deterministic: tests/cli/signin_ca.rs works
out every expected number by hand from these rows.
"""

import json
import os
import sys

from signin_header import HEADER_57_EN

MFA = {
    "id": "0a1b2c3d-0000-4000-8000-000000000001",
    "displayName": "Require MFA for all users",
    "controls": ["Mfa"],
}
PILOT = {
    "id": "0a1b2c3d-0000-4000-8000-000000000002",
    "displayName": "Pilot: phishing-resistant MFA",
    "controls": ["RequireAuthenticationStrength"],
    "strength": {
        "id": "00000000-0000-0000-0000-000000000004",
        "displayName": "Phishing-resistant MFA",
    },
}
DEVICE = {
    "id": "0a1b2c3d-0000-4000-8000-000000000003",
    "displayName": "Require compliant device for Exchange",
    "controls": ["RequireCompliantDevice"],
}
LEGACY = {
    "id": "0a1b2c3d-0000-4000-8000-000000000004",
    "displayName": "Legacy: block downloads",
    "controls": [],
}


def applied(policy, result):
    p = {
        "id": policy["id"],
        "displayName": policy["displayName"],
        # A disabled policy is listed with no controls (Graph samples).
        "enforcedGrantControls": [] if result == "notEnabled" else policy["controls"],
        "enforcedSessionControls": [],
        "result": result,
    }
    if "strength" in policy:
        p["authenticationStrength"] = policy["strength"]
    return p


PASSWORD = {
    "authenticationMethod": "Password",
    "authenticationMethodDetail": "Password in the cloud",
    "succeeded": True,
    "authenticationStepResultDetail": "Correct password",
    "authenticationStepRequirement": "Primary authentication",
}


def mfa_step(method, ok, detail):
    return {
        "authenticationMethod": method,
        "authenticationMethodDetail": "",
        "succeeded": ok,
        "authenticationStepResultDetail": detail,
        "authenticationStepRequirement": "Multifactor authentication",
    }


def claim_step():
    return {
        "authenticationMethod": "Previously satisfied",
        "authenticationMethodDetail": "",
        "succeeded": True,
        "authenticationStepResultDetail": "MFA requirement satisfied by claim in the token",
        "authenticationStepRequirement": "Multifactor authentication",
    }


def sign_in(i, when, upn, error, steps, ca_status=None, policies=None, **kind):
    o = {
        "id": i,
        "createdDateTime": when,
        "userPrincipalName": upn,
        "appDisplayName": "Office 365 Exchange Online",
        "authenticationRequirement": "multiFactorAuthentication",
        "status": {"errorCode": error, "failureReason": "", "additionalDetails": ""},
        "authenticationDetails": steps,
    }
    if ca_status is not None:
        o["conditionalAccessStatus"] = ca_status
    if policies is not None:
        o["appliedConditionalAccessPolicies"] = policies
    o.update(kind)
    return o


def graph_json():
    s1 = sign_in(
        "si-01", "2026-11-02T08:00:00Z", "ann.beck@contoso.com", 0,
        [PASSWORD, mfa_step("FIDO2 security key", True, "MFA successfully completed")],
        "success",
        [applied(MFA, "success"), applied(PILOT, "reportOnlySuccess"),
         applied(DEVICE, "notApplied"), applied(LEGACY, "notEnabled")],
        isInteractive=True,
    )
    s2 = sign_in(
        "si-02", "2026-11-02T08:30:00Z", "ann.beck@contoso.com", 0, [claim_step()],
        "success",
        [applied(MFA, "success"), applied(PILOT, "reportOnlySuccess"),
         applied(DEVICE, "notApplied")],
        isInteractive=False, signInEventTypes=["nonInteractiveUser"],
    )
    s3 = sign_in(
        "si-03", "2026-11-03T09:00:00Z", "bob.kern@contoso.com", 500121,
        [PASSWORD, mfa_step("Mobile app notification", False,
                            "MFA denied; user declined the authentication")],
        "failure",
        [applied(MFA, "failure"), applied(PILOT, "reportOnlyFailure"),
         applied(DEVICE, "notApplied")],
        isInteractive=True,
    )
    s4 = sign_in(
        "si-04", "2026-11-03T10:00:00Z", "carol.diaz@contoso.com", 0,
        [PASSWORD, mfa_step("Mobile app notification", True, "MFA successfully completed")],
        "success",
        [applied(MFA, "success"), applied(PILOT, "reportOnlyInterrupted"),
         applied(DEVICE, "notApplied")],
        isInteractive=True,
    )
    # Beta's shape: signInEventTypes only.
    s5 = sign_in(
        "si-05", "2026-11-04T07:00:00Z", "dan.eld@contoso.com", 53000, [claim_step()],
        "failure",
        [applied(MFA, "success"), applied(PILOT, "reportOnlyNotApplied"),
         applied(DEVICE, "failure")],
        signInEventTypes=["nonInteractiveUser"],
    )
    # Read without the right to see Conditional Access data: no policy list.
    s6 = sign_in(
        "si-06", "2026-11-04T11:00:00Z", "erin.fox@contoso.com", 0,
        [PASSWORD, mfa_step("Mobile app notification", True, "MFA successfully completed")],
        "notApplied", None,
        isInteractive=True,
    )
    # Neither isInteractive nor signInEventTypes.
    s8 = sign_in(
        "si-08", "2026-11-05T12:00:00Z", "fay.gil@contoso.com", 0,
        [PASSWORD, mfa_step("Mobile app notification", True, "MFA successfully completed")],
        "success",
        [applied(MFA, "success"), applied(PILOT, "reportOnlyNotApplied"),
         applied(DEVICE, "success")],
    )
    # An overlapping download repeats bob's sign-in.
    return {"value": [s1, s2, s3, s4, s5, s6, s3, s8]}


HEADER_57 = HEADER_57_EN

MFA_REQ = "Multifactor authentication"
SFA_REQ = "Single-factor authentication"


def csv_rows(rows):
    """rows: (date, request id, upn, status, error, MFA result, method, requirement, CA)."""
    col = {
        "Date (UTC)": 0, "Request ID": 1, "Username": 2, "Status": 3,
        "Sign-in error code": 4, "Multifactor authentication result": 5,
        "Multifactor authentication auth method": 6, "Authentication requirement": 7,
        "Conditional Access": 8,
    }
    out = []
    for r in [HEADER_57] + [
        [r[col[h]] if h in col else ("Office 365 Exchange Online" if h == "Application" else "")
         for h in HEADER_57]
        for r in rows
    ]:
        out.append(",".join('"' + str(f).replace('"', '""') + '"' for f in r))
    return ("\r\n".join(out) + "\r\n").encode("utf-8")


INTERACTIVE = [
    ("2026-11-02T08:00:00Z", "c-01", "frank.hale@contoso.com", "Success", "0",
     "MFA successfully completed", "Mobile app notification", MFA_REQ, "Success"),
    ("2026-11-02T09:00:00Z", "c-02", "frank.hale@contoso.com", "Failure", "500121",
     "MFA denied; user declined the authentication", "Mobile app notification", MFA_REQ,
     "Failure"),
    ("2026-11-03T09:00:00Z", "c-03", "gina.ito@contoso.com", "Success", "0", "", "", SFA_REQ,
     "Not Applied"),
]
NON_INTERACTIVE = [
    ("2026-11-02T08:10:00Z", "n-01", "frank.hale@contoso.com", "Success", "0",
     "MFA requirement satisfied by claim in the token", "", MFA_REQ, "Success"),
    ("2026-11-03T09:10:00Z", "n-02", "gina.ito@contoso.com", "Success", "0", "", "", SFA_REQ,
     "Not Applied"),
    ("2026-11-03T09:20:00Z", "n-03", "gina.ito@contoso.com", "Success", "0", "", "", SFA_REQ,
     ""),
]


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "signins-ca.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(graph_json(), f, indent=2)
        f.write("\n")
    for name, rows in [
        ("InteractiveSignIns_2026-11-01_2026-11-08.csv", INTERACTIVE),
        ("NonInteractiveSignIns_2026-11-01_2026-11-08.csv", NON_INTERACTIVE),
    ]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(csv_rows(rows))


if __name__ == "__main__":
    main()
