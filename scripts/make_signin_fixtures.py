#!/usr/bin/env python3
"""Writes sign-in downloads in the shapes Microsoft documents, for the tests of which step is
the MFA step.

Usage: make_signin_fixtures.py OUT_DIR

Shapes:
- month.json: a Graph `signIn` page ({"value": [...]}) for November 2026, shaped like the
  signIn and authenticationDetail samples of the Microsoft Graph docs: authenticationRequirement,
  status.errorCode, and authenticationDetails with authenticationStepRequirement
  ("Primary authentication", "MFA") and authenticationStepResultDetail texts as the portal
  writes them. Most sign-ins are single-factor single sign-on or satisfied by a token claim.
- InteractiveSignIns_2026-11-01_2026-11-02.csv and ..._2026-11-02_2026-11-03.csv: two daily
  portal downloads that overlap on 2 November (the same Request IDs in both), with their
  InteractiveSignIns_AuthDetails_* companions carrying the Requirement column.
- required-without-mfa.json and RequiredWithoutMfa_2026-11-20.csv (with
  RequiredWithoutMfa_AuthDetails_2026-11-20.csv): sign-ins whose requirement is multifactor
  and whose steps hold no MFA step (a password-only success, a first-factor claim, a wrong
  password before the prompt), beside one that completed MFA and one stopped at the prompt;
  and a CSV row without AuthDetails steps whose MFA result column is empty.
- InteractiveSignIns_de_2026-11-24.csv: a German portal download (UTF-8 with a BOM, quoted,
  CRLF). Its header names are the ones a public browser tool for German Entra admin center
  downloads reads (support.sheet, js/entra.js): Datum (UTC), Benutzer, Benutzername, Anwendung,
  Ressource, IP-Adresse, Standort, Status, Code des Anmeldefehlers, Fehlerursache, Bedingter
  Zugriff, Ergebnis der Multi-Faktor-Authentifizierung; its status words Erfolg, Fehler and
  Unterbrochen too. No source shows the German names of the Request ID and requirement
  columns, nor the German requirement words or MFA result texts: the two columns are written
  under stand-in headers that say so (only `--column` reads them), with the English words and
  texts as values. The Conditional Access cells are empty: its German words are not known
  either.

Names are fictional (contoso.com). The output is deterministic: tests/cli/signin_steps.rs works
out every answer by hand from these rows.
"""

import json
import os
import sys

DOMAIN = "contoso.com"
PRIMARY = "Primary authentication"
FIRST_FACTOR_CLAIM = "First factor requirement satisfied by claim in the token"
MFA_CLAIM = "MFA requirement satisfied by claim in the token"
BAD_PASSWORD = (
    "Invalid username or password or Invalid on-premise username or password."
)


def step(method, requirement, ok, result, detail=None, at="2026-11-01T08:00:00Z"):
    return {
        "authenticationStepDateTime": at,
        "authenticationMethod": method,
        "authenticationMethodDetail": detail,
        "succeeded": ok,
        "authenticationStepResultDetail": result,
        "authenticationStepRequirement": requirement,
    }


def password(ok=True):
    return step(
        "Password",
        PRIMARY,
        ok,
        "Correct password" if ok else BAD_PASSWORD,
        "Password in the cloud",
    )


def sign_in(n, day, user, requirement, code, steps):
    return {
        "id": "6a1e0000-0000-4000-8000-%012d" % n,
        "createdDateTime": "2026-11-%02dT%02d:%02d:00Z" % (day, 8 + n % 9, n % 60),
        "userDisplayName": user.split("@")[0].title() if user else None,
        "userPrincipalName": user,
        "appDisplayName": "Office 365 Exchange Online",
        "authenticationRequirement": requirement,
        "isInteractive": True,
        "status": {
            "errorCode": code,
            "failureReason": None,
            "additionalDetails": None,
        },
        "mfaDetail": None,
        "appliedConditionalAccessPolicies": [],
        "authenticationDetails": steps,
    }


SINGLE = "singleFactorAuthentication"
MULTI = "multiFactorAuthentication"


def month():
    out = []
    n = 0

    def add(day, user, requirement, code, steps):
        nonlocal n
        n += 1
        out.append(sign_in(n, day, user, requirement, code, steps))

    for day in range(1, 31):
        # adele: single-factor single sign-on every day (a first-factor claim).
        add(day, "adele@" + DOMAIN, SINGLE, 0,
            [step("Previously satisfied", PRIMARY, True, FIRST_FACTOR_CLAIM)])
        # ben: password, then MFA satisfied by the claim in his token, every day.
        add(day, "ben@" + DOMAIN, MULTI, 0,
            [password(), step("Previously satisfied", "MFA", True, MFA_CLAIM)])
    for day in range(1, 11):
        # cara: password-only sign-ins that succeed.
        add(day, "cara@" + DOMAIN, SINGLE, 0, [password()])
    for day in range(1, 6):
        # dan: wrong passwords (50126).
        add(day, "dan@" + DOMAIN, SINGLE, 50126, [password(ok=False)])
    # eli: stopped at the MFA prompt twice (50074), then completed MFA.
    add(3, "eli@" + DOMAIN, MULTI, 50074, [password()])
    add(4, "eli@" + DOMAIN, MULTI, 50074, [password()])
    add(5, "eli@" + DOMAIN, MULTI, 0,
        [password(), step("Mobile app notification", "MFA", True,
                          "MFA successfully completed", "Contoso phone")])
    # fay: declined the notification (500121).
    add(7, "fay@" + DOMAIN, MULTI, 500121,
        [password(), step("Mobile app notification", "MFA", False,
                          "MFA denied; user declined the authentication")])
    for day in range(10, 14):
        # gus: a FIDO2 key alone satisfies the multifactor requirement.
        add(day, "gus@" + DOMAIN, MULTI, 0,
            [step("FIDO2 security key", PRIMARY, True, "methodSucceeded", "1G54395783")])
    # gus once more, exactly as the Graph docs' Get signIn sample: FIDO2 then a claim step.
    add(14, "gus@" + DOMAIN, MULTI, 0,
        [step("FIDO2 security key", PRIMARY, True, "methodSucceeded", "1G54395783"),
         step("Claim in access token", "MFA", True, "methodSucceeded")])
    # A sign-in without a user principal name.
    add(20, "", SINGLE, 0, [password()])
    return {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
            "value": out}


HEADER = [
    "Date (UTC)", "Request ID", "User", "Username", "Status", "Sign-in error code",
    "Failure reason", "Multifactor authentication result",
    "Multifactor authentication auth method", "Multifactor authentication auth detail",
    "Authentication requirement", "Conditional Access",
]
AUTH_HEADER = [
    "Request ID", "Authentication method", "Authentication method detail", "Succeeded",
    "Result detail", "Requirement",
]
CSV_PRIMARY = "Primary authentication"
CSV_MFA = "Multifactor authentication"
CSV_SINGLE = "Single-factor authentication"
CSV_MULTI = "Multifactor authentication"

# (date, request id, user, status, error code, requirement, AuthDetails steps)
SIGN_INS = {
    "r01": ("2026-11-01T08:00:00Z", "adele", "Success", "0", CSV_SINGLE,
            [("Previously satisfied", "", "True", FIRST_FACTOR_CLAIM, CSV_PRIMARY)]),
    "r02": ("2026-11-01T09:00:00Z", "ben", "Success", "0", CSV_MULTI,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY),
             ("Previously satisfied", "", "True", MFA_CLAIM, CSV_MFA)]),
    "r03": ("2026-11-02T08:00:00Z", "eli", "Interrupted", "50074", CSV_MULTI,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY)]),
    "r04": ("2026-11-02T09:00:00Z", "fay", "Failure", "500121", CSV_MULTI,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY),
             ("Mobile app notification", "", "False",
              "MFA denied; user declined the authentication", CSV_MFA)]),
    "r05": ("2026-11-03T08:00:00Z", "eli", "Success", "0", CSV_MULTI,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY),
             ("Text message", "+X XXXXXXXX64", "True", "MFA successfully completed", CSV_MFA)]),
    "r06": ("2026-11-03T09:00:00Z", "cara", "Success", "0", CSV_SINGLE,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY)]),
    "r07": ("2026-11-03T10:00:00Z", "dan", "Failure", "50126", CSV_SINGLE,
            [("Password", "Password in the cloud", "False", BAD_PASSWORD, CSV_PRIMARY)]),
    "r08": ("2026-11-03T11:00:00Z", "", "Success", "0", CSV_SINGLE,
            [("Password", "Password in the cloud", "True", "Correct password", CSV_PRIMARY)]),
}
DAYS = {
    "2026-11-01_2026-11-02": ["r01", "r02", "r03", "r04"],
    # Overlaps the first download on 2 November: r03 and r04 again.
    "2026-11-02_2026-11-03": ["r03", "r04", "r05", "r06", "r07", "r08"],
}


def request_id(key):
    return "b7c0%s-0000-4000-8000-000000000000" % key[1:].rjust(4, "0")


def quoted(fields):
    return ",".join('"' + str(f).replace('"', '""') + '"' for f in fields)


def write_csv(path, header, rows):
    # The portal's download: UTF-8 with a BOM, every field quoted, CRLF.
    text = "\r\n".join(quoted(r) for r in [header] + rows) + "\r\n"
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))


def downloads(out_dir):
    for span, keys in DAYS.items():
        rows, auth = [], []
        for key in keys:
            date, user, status, code, req, steps = SIGN_INS[key]
            upn = user + "@" + DOMAIN if user else ""
            # The sign-in's own MFA columns stay empty: the AuthDetails file holds the steps.
            rows.append([date, request_id(key), user.title(), upn, status, code, "", "", "",
                         "", req, "Not Applied"])
            for method, detail, ok, result, requirement in steps:
                auth.append([request_id(key), method, detail, ok, result, requirement])
        write_csv(os.path.join(out_dir, "InteractiveSignIns_%s.csv" % span), HEADER, rows)
        write_csv(os.path.join(out_dir, "InteractiveSignIns_AuthDetails_%s.csv" % span),
                  AUTH_HEADER, auth)


def required_without_mfa():
    # (user, error code, steps): every sign-in requires MFA.
    rows = [
        # hal: a password-only success under an MFA requirement: let through, no MFA step.
        ("hal", 0, [password()]),
        # hal again: the first-factor claim alone, success.
        ("hal", 0, [step("Previously satisfied", PRIMARY, True, FIRST_FACTOR_CLAIM)]),
        # ida: a wrong password before any prompt (50126).
        ("ida", 50126, [password(ok=False)]),
        # jon: completed MFA by a notification.
        ("jon", 0, [password(), step("Mobile app notification", "MFA", True,
                                     "MFA successfully completed", "Contoso phone")]),
        # jon: stopped at the prompt (50076).
        ("jon", 50076, [password()]),
    ]
    out = [sign_in(100 + i, 20, u + "@" + DOMAIN, MULTI, code, steps)
           for i, (u, code, steps) in enumerate(rows)]
    return {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns",
            "value": out}


def required_without_mfa_csv(out_dir):
    # The same five sign-ins as a portal download, and a sixth (kim) whose AuthDetails steps
    # were not downloaded and whose own MFA result column is empty.
    rows, auth = [], []
    for i, s in enumerate(required_without_mfa()["value"]):
        rid = "c8d0%04d-0000-4000-8000-000000000000" % i
        code = str(s["status"]["errorCode"])
        status = "Success" if code == "0" else ("Interrupted" if code == "50076" else "Failure")
        rows.append([s["createdDateTime"], rid, "", s["userPrincipalName"], status, code, "",
                     "", "", "", CSV_MULTI, "Not Applied"])
        for st in s["authenticationDetails"]:
            req = CSV_MFA if st["authenticationStepRequirement"] == "MFA" else CSV_PRIMARY
            auth.append([rid, st["authenticationMethod"], st["authenticationMethodDetail"] or "",
                         str(st["succeeded"]), st["authenticationStepResultDetail"], req])
    rows.append(["2026-11-20T18:00:00Z", "c8d00099-0000-4000-8000-000000000000", "",
                 "kim@" + DOMAIN, "Success", "0", "", "", "", "", CSV_MULTI, "Not Applied"])
    write_csv(os.path.join(out_dir, "RequiredWithoutMfa_2026-11-20.csv"), HEADER, rows)
    write_csv(os.path.join(out_dir, "RequiredWithoutMfa_AuthDetails_2026-11-20.csv"),
              AUTH_HEADER, auth)


# The German columns a public tool names, then the two whose German names no source shows.
HEADER_DE = [
    "Datum (UTC)", "Benutzer", "Benutzername", "Anwendung", "Ressource", "IP-Adresse",
    "Standort", "Status", "Code des Anmeldefehlers", "Fehlerursache", "Bedingter Zugriff",
    "Ergebnis der Multi-Faktor-Authentifizierung",
]
STAND_IN_REQUEST_ID = "request id (German name unknown)"
STAND_IN_REQUIREMENT = "requirement (German name unknown)"
STATUS_DE = {"Success": "Erfolg", "Failure": "Fehler", "Interrupted": "Unterbrochen"}

# (time, request id, user, status, error code, multifactor?, MFA result text)
GERMAN = [
    ("08:00", "d1", "ute", "Success", "0", True, "MFA successfully completed"),
    ("08:05", "d2", "max", "Success", "0", False, ""),
    ("09:00", "d3", "lea", "Failure", "500121", True,
     "MFA denied; user declined the authentication"),
    ("09:30", "d4", "jan", "Interrupted", "50074", True, ""),
    ("10:00", "d5", "ute", "Success", "0", True, MFA_CLAIM),
    ("10:30", "d6", "ole", "Success", "0", True, ""),
    # An overlapping download repeats d1.
    ("08:00", "d1", "ute", "Success", "0", True, "MFA successfully completed"),
]


def german(out_dir):
    rows = []
    for time, rid, user, status, code, multi, result in GERMAN:
        rid = "e9f0%s-0000-4000-8000-000000000000" % rid[1:].rjust(4, "0")
        rows.append(["2026-11-24T%s:00Z" % time, user.title(), user + "@" + DOMAIN,
                     "Office 365 Exchange Online", "Office 365 Exchange Online",
                     "203.0.113.24", "Berlin, Berlin, DE", STATUS_DE[status], code, "",
                     "", result, rid, CSV_MULTI if multi else CSV_SINGLE])
    write_csv(os.path.join(out_dir, "InteractiveSignIns_de_2026-11-24.csv"),
              HEADER_DE + [STAND_IN_REQUEST_ID, STAND_IN_REQUIREMENT], rows)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "month.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(month(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    downloads(out_dir)
    with open(os.path.join(out_dir, "required-without-mfa.json"), "w", encoding="utf-8",
              newline="\n") as f:
        json.dump(required_without_mfa(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    required_without_mfa_csv(out_dir)
    german(out_dir)


if __name__ == "__main__":
    main()
