#!/usr/bin/env python3
"""Writes the files in samples/: one fictional tenant (Contoso) exported the ways admins
really export it. Deterministic: running it again gives the same bytes.

    python3 scripts/make_samples.py            # writes samples/*.csv and samples/README.md
    python3 scripts/make_samples.py DIR        # the same files into DIR
    pip install openpyxl==3.1.5 xlwt==1.3.0    # for the two workbooks (skipped without them)

Every sample holds the same 48 users, so the counts in samples/README.md can be compared
across shapes; samples/signins/ holds a week of their sign-in logs. The names, addresses and tenants are fictional.
"""

import os
import sys

from signin_header import HEADER_57_EN

HERE = os.path.dirname(os.path.abspath(__file__))
# A folder on the command line instead (the tests check the shipped files are what this writes).
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "samples")

# (upn, display name, BlockCredential (True/False/None), [methods, default first], state)
# State: "Enabled", "Enforced" or None (per-user MFA off: an empty requirement list).
USERS = [
    ("adele.vance@contoso.com", "Adele Vance", False, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("alex.wilber@contoso.com", "Alex Wilber", False, ["PhoneAppNotification", "PhoneAppOTP", "OneWaySMS"], "Enforced"),
    ("allan.deyoung@contoso.com", "Allan Deyoung", False, [], None),
    ("asa.lindstrom@contoso.com", "Åsa Lindström", False, ["TwoWayVoiceMobile"], "Enabled"),
    ("bianca.pisani@contoso.com", "Bianca Pisani", False, ["OneWaySMS", "TwoWayVoiceMobile"], None),
    ("brian.johnson@contoso.com", "Brian Johnson (TAILSPIN)", False, [], "Enabled"),
    ("cameron.white@contoso.com", "Cameron White", False, ["PhoneAppOTP"], None),
    ("christie.cline@contoso.com", "Christie Cline", True, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("debra.berger@contoso.com", "Debra Berger", False, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("delia.dennis@contoso.com", "Delia Dennis", False, [], None),
    ("diego.siciliani@contoso.com", "Diego Siciliani", False, ["TwoWayVoiceOffice"], "Enabled"),
    ("emily.braun@contoso.com", "Emily Braun", False, ["PhoneAppNotification", "PhoneAppOTP", "TwoWayVoiceMobile"], "Enforced"),
    ("enrico.cattaneo@contoso.com", "Enrico Cattaneo", False, [], None),
    ("francois.dubois@contoso.com", "François Dubois", False, ["OneWaySMS"], None),
    ("gerhart.moller@contoso.com", "Gerhart Møller", True, [], None),
    ("grady.archie@contoso.com", "Grady Archie", False, ["PhoneAppOTP", "PhoneAppNotification"], "Enabled"),
    ("henrietta.mueller@contoso.com", "Henrietta Müller", False, ["TwoWayVoiceMobile", "TwoWayVoiceAlternateMobile"], "Enforced"),
    ("irvin.sayers@contoso.com", "Irvin Sayers", False, [], None),
    ("isaiah.langer@contoso.com", "Isaiah Langer", None, ["PhoneAppNotification"], None),
    ("johanna.lorenz@contoso.com", "Johanna Lorenz", False, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("joni.sherman@contoso.com", "Joni Sherman", False, ["OneWaySMS"], "Enabled"),
    ("jose.nunez@contoso.com", "José Núñez", False, [], None),
    ("lee.gu@contoso.com", "Lee Gu", False, ["PhoneAppNotification", "PhoneAppOTP"], None),
    ("lidia.holloway@contoso.com", "Lidia Holloway", False, ["TwoWayVoiceMobile"], None),
    ("lynne.robbins@contoso.com", "Lynne Robbins", True, ["OneWaySMS"], None),
    ("mallory.cortez@contoso.com", "Mallory Cortez", False, [], "Enabled"),
    ("megan.bowen@contoso.com", "Megan Bowen", False, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("miriam.graham@contoso.com", "Miriam Graham", False, ["PhoneAppOTP"], "Enforced"),
    ("nestor.wilke@contoso.com", "Nestor Wilke", False, ["OneWaySMS", "TwoWayVoiceMobile", "PhoneAppOTP"], "Enabled"),
    ("patti.fernandez@contoso.com", "Patti Fernandez", False, [], None),
    ("pradeep.gupta@contoso.com", "Pradeep Gupta", False, ["PhoneAppNotification"], None),
    ("raul.razo@contoso.com", "Raul Razo", True, [], None),
    ("sakura.yamada@contoso.com", "山田 さくら", False, ["PhoneAppNotification", "PhoneAppOTP"], "Enforced"),
    ("taro.suzuki@contoso.com", "鈴木 太郎", False, [], None),
    ("zoe.lefevre@contoso.com", "Zoë Lefèvre", False, ["TwoWayVoiceMobile"], "Enabled"),
    ("bjorn.eriksson@contoso.com", "Björn Eriksson", None, [], None),
    ("lotte.de.vries@contoso.com", "Lotte de Vries", False, ["OneWaySMS"], None),
    ("helpdesk@contoso.com", "Helpdesk", True, [], None),
    ("sales@contoso.com", "Sales (shared mailbox)", True, [], None),
    ("room.boardroom@contoso.com", "Boardroom", True, [], None),
    ("svc-backup@contoso.onmicrosoft.com", "svc-backup", False, [], None),
    ("breakglass1@contoso.onmicrosoft.com", "Break Glass 1", False, [], None),
    ("admin@contoso.onmicrosoft.com", "Tenant Admin", False, ["PhoneAppNotification", "PhoneAppOTP", "TwoWayVoiceMobile"], "Enforced"),
    ("jane.doe_fabrikam.com#EXT#@contoso.onmicrosoft.com", "Jane Doe (Fabrikam)", False, [], None),
    ("wu.li_tailspin.com#EXT#@contoso.onmicrosoft.com", "Wu Li (Tailspin)", False, ["OneWaySMS"], None),
    ("nils.o'brien@contoso.com", "Nils O'Brien, Jr.", False, ["PhoneAppOTP"], "Enabled"),
    ("quinn.test@contoso.com", 'Quinn "Q" Test', False, [], "Enforced"),
    ("formula.test@contoso.com", '=HYPERLINK("http://example.invalid")', False, [], None),
]


def counts():
    reg = sum(1 for u in USERS if u[2] is False and u[3])
    unreg = sum(1 for u in USERS if u[2] is False and not u[3])
    blocked = sum(1 for u in USERS if u[2] is True)
    unknown = sum(1 for u in USERS if u[2] is None)
    return reg, unreg, blocked, unknown


def q(field):
    """A PowerShell Export-Csv field: always quoted, quotes doubled; $null unquoted empty."""
    if field is None:
        return ""
    return '"' + str(field).replace('"', '""') + '"'


def ps_bool(b):
    return None if b is None else ("True" if b else "False")


def write(name, text, encoding, errors="strict"):
    data = text.encode(encoding, errors=errors)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def ps51():
    """Windows PowerShell 5.1, the command the README gives: UTF-8 with BOM, CRLF, #TYPE line."""
    lines = ["#TYPE Selected.Microsoft.Online.Administration.User"]
    lines.append(",".join(q(h) for h in [
        "UserPrincipalName", "DisplayName", "BlockCredential", "StrongAuthenticationMethods",
        "StrongAuthenticationRequirements", "DefaultMethod"]))
    for upn, name, blocked, methods, state in USERS:
        lines.append(",".join([
            q(upn), q(name), q(ps_bool(blocked)),
            # -join ',' over no methods gives an empty string, written quoted
            q(",".join(methods)),
            q(state),
            q(methods[0] if methods else None),
        ]))
    write("msonline-ps51.csv", "\ufeff" + "\r\n".join(lines) + "\r\n", "utf-8")


def ps7():
    """PowerShell 7 on Linux: UTF-8 without BOM, LF, no #TYPE, dotted column names, methods in
    PowerShell's display form ({A, B}) as Out-String-style scripts write them."""
    lines = [",".join(q(h) for h in [
        "UserPrincipalName", "DisplayName", "BlockCredential",
        "StrongAuthenticationMethods.MethodType", "StrongAuthenticationRequirements.State"])]
    for upn, name, blocked, methods, state in USERS:
        cell = None if not methods else (methods[0] if len(methods) == 1 else "{" + ", ".join(methods) + "}")
        lines.append(",".join([q(upn), q(name), q(ps_bool(blocked)), q(cell), q(state)]))
    write("msonline-ps7.csv", "\n".join(lines) + "\n", "utf-8")


def excel_sv():
    """The PowerShell 5.1 export opened in Excel with Swedish regional settings and saved as
    "CSV (semicolon separated)": windows-1252 (characters it lacks become ?), semicolons,
    quotes only where needed, booleans in Swedish, a blank row Excel kept at the end."""
    def cell(v):
        v = "" if v is None else str(v)
        if any(c in v for c in ';"\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v

    sv = {True: "SANT", False: "FALSKT", None: ""}
    lines = ["User Principal Name;Display Name;Block Credential;MFA Methods;MFA Status"]
    for upn, name, blocked, methods, state in USERS:
        lines.append(";".join(cell(v) for v in [upn, name, sv[blocked], ",".join(methods), state]))
    lines.append(";;;;")
    write("msonline-excel-sv.csv", "\r\n".join(lines) + "\r\n", "cp1252", errors="replace")


def mfa_report():
    """Microsoft's third command, verbatim, in Windows PowerShell 5.1: no BlockCredential column
    (everyone is in it), System.Object[] for two or more methods, $null for none, ASCII."""
    lines = ['"UserPrincipalName","MFA Status","MFA Methods"']
    for upn, _name, _blocked, methods, state in USERS:
        m = None if not methods else (methods[0] if len(methods) == 1 else "System.Object[]")
        lines.append(",".join([q(upn), q(state or "Disabled"), q(m)]))
    write("MFA_Report.csv", "\r\n".join(lines) + "\r\n", "ascii", errors="replace")


def raw_export():
    """`Get-MsolUser -All | Export-Csv users.csv`: collections written as their type names, so
    no MFA data survives; `State` is the address's state or province."""
    headers = ["ExtensionData", "AlternateEmailAddresses", "BlockCredential", "City", "Country",
               "Department", "DisplayName", "IsLicensed", "ObjectId", "State",
               "StrongAuthenticationMethods", "StrongAuthenticationRequirements",
               "UserPrincipalName"]
    lines = ["#TYPE Microsoft.Online.Administration.User", ",".join(q(h) for h in headers)]
    cities = [("Redmond", "United States", "WA"), ("Stockholm", "Sweden", None),
              ("Lyon", "France", None), ("Toronto", "Canada", "ON")]
    for i, (upn, name, blocked, _methods, _state) in enumerate(USERS[:12]):
        city, country, state = cities[i % len(cities)]
        lines.append(",".join([
            q("System.Runtime.Serialization.ExtensionDataObject"),
            q("System.Collections.Generic.List`1[System.String]"),
            q(ps_bool(blocked)), q(city), q(country), q("Sales"), q(name), q("True"),
            q("%08x-0000-4000-8000-%012x" % (0x5A17E000 + i, 0xC0FFEE + i)), q(state),
            q("System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationMethod]"),
            q("System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationRequirement]"),
            q(upn),
        ]))
    write("msonline-raw-export.csv", "\ufeff" + "\r\n".join(lines) + "\r\n", "utf-8")


# MSOnline MethodType -> Graph methodsRegistered (mfa-audit's canonical names).
GRAPH_NAME = {
    "OneWaySMS": "mobilePhone", "TwoWayVoiceMobile": "mobilePhone",
    "TwoWayVoiceAlternateMobile": "alternateMobilePhone", "TwoWayVoiceOffice": "officePhone",
    "PhoneAppOTP": "softwareOneTimePasscode", "PhoneAppNotification": "microsoftAuthenticatorPush",
}
ADMINS = {"admin@contoso.onmicrosoft.com", "breakglass1@contoso.onmicrosoft.com",
          "megan.bowen@contoso.com", "patti.fernandez@contoso.com"}


def graph_user(upn, name, blocked, methods):
    """The tenant's user as Graph's userRegistrationDetails describes it."""
    registered = []
    for m in methods:
        g = GRAPH_NAME[m]
        if g not in registered:
            registered.append(g)
    return {
        "id": "%08x-0000-4000-8000-%012x" % (abs(hash_upn(upn)) % (1 << 32), len(upn)),
        "userPrincipalName": upn,
        "userDisplayName": name,
        "userType": "guest" if "#EXT#" in upn else "member",
        "isAdmin": upn in ADMINS,
        "isMfaRegistered": bool(registered),
        "isMfaCapable": bool(registered) and blocked is not True,
        "isPasswordlessCapable": False,
        "methodsRegistered": registered,
        "defaultMfaMethod": GRAPH_NAME[methods[0]] if methods else "none",
        "lastUpdatedDateTime": "2026-11-01T09:00:00Z",
    }


def hash_upn(upn):
    """A stable small hash (Python's hash() is salted per run)."""
    h = 0
    for c in upn.encode():
        h = (h * 31 + c) % (1 << 32)
    return h


def graph_ps_export():
    """Get-MgReportAuthenticationMethodUserRegistrationDetail -All | Export-Csv, Windows
    PowerShell 5.1: #TYPE, PascalCase, arrays written as System.String[]."""
    headers = ["Id", "IsAdmin", "IsMfaCapable", "IsMfaRegistered", "IsPasswordlessCapable",
               "LastUpdatedDateTime", "MethodsRegistered", "UserDisplayName",
               "UserPrincipalName", "UserType", "AdditionalProperties"]
    lines = ["#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUserRegistrationDetails",
             ",".join(q(h) for h in headers)]
    for upn, name, blocked, methods, _state in USERS:
        g = graph_user(upn, name, blocked, methods)
        lines.append(",".join(q(v) for v in [
            g["id"], str(g["isAdmin"]), str(g["isMfaCapable"]), str(g["isMfaRegistered"]),
            "False", "11/1/2026 9:00:00 AM", "System.String[]", name, upn, g["userType"],
            "System.Collections.Generic.Dictionary`2[System.String,System.Object]"]))
    write("graph-registration-details.csv", "\ufeff" + "\r\n".join(lines) + "\r\n", "utf-8")


def portal_download():
    """Entra admin center > Authentication methods > User registration details > Download."""
    import json
    lines = ["userPrincipalName,userDisplayName,isMfaCapable,isPasswordlessCapable,"
             "isSsprCapable,defaultMfaMethod,methodsRegistered,lastUpdatedDateTime"]
    for upn, name, blocked, methods, _state in USERS:
        g = graph_user(upn, name, blocked, methods)
        fields = [upn, name, str(g["isMfaCapable"]), "False", str(bool(methods)),
                  g["defaultMfaMethod"], json.dumps(g["methodsRegistered"], separators=(",", ":")),
                  g["lastUpdatedDateTime"]]
        lines.append(",".join('"' + f.replace('"', '""') + '"'
                              if any(c in f for c in ',"') else f for f in fields))
    write("entra-registration-details.csv", "\r\n".join(lines) + "\r\n", "utf-8")


def graph_json():
    """The Graph response itself: GET /reports/authenticationMethods/userRegistrationDetails,
    one page, saved with Invoke-MgGraphRequest -OutputFilePath."""
    import json
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#reports/authenticationMethods/userRegistrationDetails",
        "value": [graph_user(u, n, b, m) for u, n, b, m, _s in USERS],
    }
    write("graph-registration-details.json", json.dumps(page, ensure_ascii=False, indent=1) + "\n", "utf-8")


def accounts():
    """Get-MgUser -All -Property UserPrincipalName,AccountEnabled | Select-Object
    UserPrincipalName,AccountEnabled | Export-Csv -NoTypeInformation (PowerShell 7). Users
    whose sign-in state the tenant could not tell are left out."""
    lines = ['"UserPrincipalName","AccountEnabled"']
    for upn, _name, blocked, _methods, _state in USERS:
        if blocked is not None:
            lines.append(",".join([q(upn), q("False" if blocked else "True")]))
    write("accounts.csv", "\n".join(lines) + "\n", "utf-8")


def workbook_rows():
    """The rows of an Export-Excel style sheet: real booleans, empty cells for $null."""
    yield ["UserPrincipalName", "DisplayName", "BlockCredential",
           "StrongAuthenticationMethods", "StrongAuthenticationRequirements"]
    for upn, name, blocked, methods, state in USERS:
        yield [upn, name, blocked, ",".join(methods) or None, state]


def xlsx_openpyxl():
    """An Export-Excel -Title style workbook written by openpyxl: a title in row 1, headers
    in row 2, booleans as booleans, shared strings, a second sheet after the users."""
    try:
        import openpyxl
    except ImportError:
        print("openpyxl not installed: msonline-openpyxl.xlsx not rewritten", file=sys.stderr)
        return
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Users"
    ws.append(["Contoso MFA export"])
    for row in workbook_rows():
        ws.append(row)
    wb.create_sheet("Notes").append(["Exported with Get-MsolUser and Export-Excel -Title"])
    # Fixed timestamps, so the bytes do not change from run to run.
    import datetime
    stamp = datetime.datetime(2026, 11, 1, 9, 0, 0)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    path = os.path.join(OUT, "msonline-openpyxl.xlsx")
    wb.save(path)
    normalise_zip_times(path)


def normalise_zip_times(path):
    """Rewrites a ZIP with fixed entry times (openpyxl stamps the current time)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def xls_xlwt():
    """A legacy Excel 97-2003 .xls (BIFF8) written by xlwt, as old scripts still produce."""
    try:
        import xlwt
    except ImportError:
        print("xlwt not installed: msonline-xlwt.xls not rewritten", file=sys.stderr)
        return
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for r, row in enumerate(workbook_rows()):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.save(os.path.join(OUT, "msonline-xlwt.xls"))


# ---------------------------------------------------------------------------------------------
# Sign-in logs: samples/signins/. One week (1-7 November 2026) of the same tenant's sign-ins.

# The 57-column header of the English interactive download (scripts/signin_header.py).
SIGNIN_HEADER_EN = HEADER_57_EN

# The AuthDetails companion (FORMATS.md and the portal's English download).
AUTH_DETAILS_HEADER = ["Date (UTC)", "Request ID", "Authentication method",
                       "Authentication method detail", "Succeeded", "Result detail",
                       "Requirement"]
# The French download: the columns a public investigation tool maps for French "Interactive
# sign-ins" exports (see scripts/make_signin_lang.py); the others are not known, so left out.
SIGNIN_HEADER_FR = [
    ("date", "Date (UTC)"), ("request", "ID de requête"), ("display", "Utilisateur"),
    ("upn", "Nom d'utilisateur"), ("app", "Application"), ("ip", "Adresse IP"),
    ("status", "Statut"), ("error", "Code d'erreur de connexion"),
    ("reason", "Raison de l'échec"), ("result", "Résultat de l'authentification multifacteur"),
    ("method", "Méthode d'authentification multifacteur"),
    ("requirement", "Exigence d'authentification"), ("ca", "Accès conditionnel"),
]

TENANT_ID = "72f988bf-0000-4000-8000-00000c0a7050"
OFFICE_IP, HOME_IP = "203.0.113.10", "198.51.100.23"   # documentation ranges (RFC 5737)
PRIMARY = "Primary authentication"
MULTI_STEP = "Multifactor authentication"
# Result texts as the English portal writes them (tests/cli/signins.rs, make_signin_fixtures.py).
CORRECT_PASSWORD = "Correct password"
BAD_PASSWORD = "Invalid username or password or Invalid on-premise username or password."
FIRST_FACTOR_CLAIM = "First factor requirement satisfied by claim in the token"
MFA_CLAIM = "MFA requirement satisfied by claim in the token"
COMPLETED = "MFA successfully completed"
DECLINED = "MFA denied; user declined the authentication"
# French result texts: the French seed's reason words (as make_signin_lang.py uses them).
FRENCH_RESULT = {
    COMPLETED: "réussie",
    MFA_CLAIM: "satisfaite par une revendication dans le jeton",
    DECLINED: "refus de l’authentification par l’utilisateur",
}
# Requirement words: English as the download writes them; French as Microsoft's French
# usage-insights article words them ("authentification multifacteur" / "à facteur unique").
REQUIREMENT = {("en", True): "Multifactor authentication",
               ("en", False): "Single-factor authentication",
               ("fr", True): "Authentification multifacteur",
               ("fr", False): "Authentification à facteur unique"}
# Graph's failure reasons: 50126 as the portal writes it; 500121 as the sign-in error
# reference words it (src/signins/errors.rs).
FAILURE_REASON = {50126: BAD_PASSWORD,
                  500121: "Authentication failed during strong authentication request."}

# The Conditional Access policies the JSON download lists for every sign-in.
CA_ENFORCED = {"id": "c0a70000-0000-4000-8000-000000000001",
               "displayName": "Require MFA outside the office network", "controls": ["Mfa"]}
CA_REPORT_ONLY = {"id": "c0a70000-0000-4000-8000-000000000002",
                  "displayName": "Report-only: require MFA everywhere", "controls": ["Mfa"]}


def pw(ok=True):
    return ("Password", "Password in the cloud", ok,
            CORRECT_PASSWORD if ok else BAD_PASSWORD, PRIMARY)


def first_claim():
    return ("Previously satisfied", "", True, FIRST_FACTOR_CLAIM, PRIMARY)


def mfa_claim():
    return ("Previously satisfied", "", True, MFA_CLAIM, MULTI_STEP)


def app_push(ok=True):
    return ("Mobile app notification", "", ok, COMPLETED if ok else DECLINED, MULTI_STEP)


def text_message():
    # The portal shows the phone number scrubbed: "+X XXXXXXXX64".
    return ("Text message", "+X XXXXXXXX64", True, COMPLETED, MULTI_STEP)


def fido2():
    # The Graph docs' signIn sample: a FIDO2 key as the one (primary) step.
    return ("FIDO2 security key", "", True, "methodSucceeded", PRIMARY)


# Interactive sign-ins: (key, day, time, user, MFA required, error code, steps, where).
# "office": the office network, where the enforced policy does not apply; "away": elsewhere.
# The row's own MFA columns hold what the portal shows for the sign-in's MFA step, if any.
INTERACTIVE = [
    ("i01", 1, "08:10", "adele.vance", False, 0, [pw()], "office"),
    ("i02", 1, "19:42", "alex.wilber", True, 0, [pw(), app_push()], "away"),
    ("i03", 2, "08:05", "alex.wilber", False, 0, [first_claim()], "office"),
    ("i04", 2, "08:31", "debra.berger", False, 0, [pw()], "office"),
    ("i05", 2, "12:15", "adele.vance", True, 0, [pw(), mfa_claim()], "away"),
    ("i06", 2, "20:03", "joni.sherman", True, 0, [pw(), text_message()], "away"),
    ("i07", 3, "07:58", "grady.archie", False, 0, [first_claim()], "office"),
    ("i08", 3, "09:14", "patti.fernandez", False, 50126, [pw(False)], "office"),
    ("i09", 3, "10:27", "allan.deyoung", True, 50079, [pw()], "away"),
    ("i10", 3, "21:50", "pradeep.gupta", True, 500121, [pw(), app_push(False)], "away"),
    # 4 November is in both interactive downloads: these four rows are written twice.
    ("i11", 4, "08:12", "adele.vance", False, 0, [first_claim()], "office"),
    ("i12", 4, "09:00", "lee.gu", True, 50074, [pw()], "away"),
    ("i13", 4, "09:03", "lee.gu", True, 0, [pw(), app_push()], "away"),
    ("i14", 4, "10:45", "megan.bowen", True, 0, [fido2()], "away"),
    ("i15", 5, "08:20", "lee.gu", False, 0, [pw()], "office"),
    ("i16", 5, "13:37", "alex.wilber", True, 0, [pw(), mfa_claim()], "away"),
    ("i17", 5, "16:02", "debra.berger", True, 0, [pw(), app_push()], "away"),
    ("i18", 5, "17:30", "kim.akers", False, 0, [pw()], "office"),
    ("i19", 6, "08:44", "debra.berger", False, 0, [first_claim()], "office"),
    ("i20", 6, "09:05", "joni.sherman", False, 0, [pw()], "office"),
    ("i21", 6, "18:16", "joni.sherman", True, 0, [pw(), mfa_claim()], "away"),
    ("i22", 7, "11:11", "grady.archie", True, 0, [pw(), app_push()], "away"),
]
# lee.gu's completed sign-in continues the interrupted one: the same correlation id.
SAME_FLOW = {"i13": "i12"}
# Non-interactive sign-ins (token refreshes by clients), with the row's own columns only.
NON_INTERACTIVE = [
    ("n01", 1, "08:40", "adele.vance", False, "office"),
    ("n02", 2, "19:00", "alex.wilber", True, "away"),
    ("n03", 3, "09:30", "debra.berger", False, "office"),
    ("n04", 4, "12:00", "megan.bowen", True, "away"),
    ("n05", 5, "21:15", "joni.sherman", True, "away"),
    ("n06", 6, "10:10", "grady.archie", False, "office"),
]
# The portal's date ranges of the two interactive downloads (4 November in both).
INTERACTIVE_SPANS = [("2026-11-01", "2026-11-04", range(1, 5)),
                     ("2026-11-04", "2026-11-08", range(4, 8))]


def guid(prefix, key):
    return "%s-0000-4000-8000-%012d" % (prefix, int(key[1:]) + (500 if key[0] == "n" else 0))


def upn_of(user):
    return user + "@contoso.com"


def signin_outcome(mfa, code, steps):
    """What the row's own columns say: status, and the MFA step's result and method. The row
    shows the last step whose requirement is MFA; a passwordless one-step sign-in shows none."""
    status = "Success" if code == 0 else ("Interrupted" if code in (50074, 50079) else "Failure")
    mfa_steps = [s for s in steps if s[4] == MULTI_STEP]
    last = mfa_steps[-1] if mfa_steps else None
    if last is None:
        return status, "", "", ""
    method = "" if last[0] == "Previously satisfied" else last[0]
    return status, last[3], method, last[1]


def ca_evidence(mfa, code, where):
    """The overall Conditional Access status and each policy's result. The enforced policy
    applies away from the office; the report-only one everywhere, and in the office it would
    have stopped a single-factor sign-in to ask for MFA. A failed password ends the sign-in
    before Conditional Access (nothing applied)."""
    if code == 50126:
        return "notApplied", "notApplied", "reportOnlyNotApplied"
    if where == "office":
        return "notApplied", "notApplied", "reportOnlyInterrupted"
    if code == 0:
        return "success", "success", "reportOnlySuccess"
    return "failure", "failure", "reportOnlyFailure"


CSV_CA = {"success": "Success", "failure": "Failure", "notApplied": "Not Applied"}


def signin_values(key, day, time, user, mfa, code, steps, where, lang="en"):
    status, result, method, detail = signin_outcome(mfa, code, steps)
    if lang == "fr":
        result = FRENCH_RESULT.get(result, result)
    ca, _, _ = ca_evidence(mfa, code, where)
    return {
        "date": "2026-11-%02dT%s:00Z" % (day, time), "request": guid("5a3e0000", key),
        "correlation": guid("c0440000", SAME_FLOW.get(key, key)), "user_id": "%08x-0000-4000-8000-%012x" % (
            hash_upn(upn_of(user)), len(user)),
        "display": user.replace(".", " ").title(), "upn": upn_of(user), "user_type": "Member",
        "app": "Office 365 Exchange Online", "app_id": "00000002-0000-0ff1-ce00-000000000000",
        "ip": OFFICE_IP if where == "office" else HOME_IP,
        "location": "Redmond, Washington, US" if where == "office" else "Seattle, Washington, US",
        "status": status, "error": str(code), "reason": FAILURE_REASON.get(code, ""),
        "client": "Browser", "browser": "Edge 130.0.0", "os": "Windows10",
        "result": result, "method": method, "detail": detail,
        "requirement": REQUIREMENT[(lang, mfa)], "ca": CSV_CA[ca],
        "home_tenant": TENANT_ID, "protocol": "None", "token_issuer": "AzureAD",
    }


SIGNIN_ROLE_EN = {
    "Date (UTC)": "date", "Request ID": "request", "Correlation ID": "correlation",
    "User ID": "user_id", "User": "display", "Username": "upn", "User type": "user_type",
    "Application": "app", "Application ID ": "app_id", "IP address": "ip",
    "Location": "location", "Status": "status", "Sign-in error code": "error",
    "Failure reason": "reason", "Client app": "client", "Browser": "browser",
    "Operating System": "os", "Multifactor authentication result": "result",
    "Multifactor authentication auth method": "method",
    "Multifactor authentication auth detail": "detail", "Authentication requirement": "requirement",
    "Conditional Access": "ca", "Home tenant ID": "home_tenant", "Resource tenant ID": "home_tenant",
    "Authentication Protocol": "protocol", "Token issuer type": "token_issuer",
}


def portal_csv(name, rows, sep=","):
    """The portal's CSV download: UTF-8 with a BOM, every field quoted, CRLF."""
    text = "\r\n".join(sep.join('"' + str(f).replace('"', '""') + '"' for f in r)
                       for r in rows) + "\r\n"
    path = os.path.join(OUT, "signins", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))


def english_row(values):
    return [values.get(SIGNIN_ROLE_EN.get(h, ""), "") for h in SIGNIN_HEADER_EN]


def interactive_downloads():
    """The week's interactive sign-ins as two portal downloads that overlap on 4 November
    (the portal's ranges include both ends), each with its AuthDetails companion."""
    for start, end, days in INTERACTIVE_SPANS:
        rows, steps_rows = [SIGNIN_HEADER_EN], [AUTH_DETAILS_HEADER]
        for s in INTERACTIVE:
            if s[1] not in days:
                continue
            v = signin_values(*s)
            rows.append(english_row(v))
            for method, detail, ok, result, requirement in s[6]:
                steps_rows.append([v["date"], v["request"], method, detail,
                                   "True" if ok else "False", result, requirement])
        portal_csv("InteractiveSignIns_%s_%s.csv" % (start, end), rows)
        portal_csv("InteractiveSignIns_AuthDetails_%s_%s.csv" % (start, end), steps_rows)


def non_interactive_download():
    """Token refreshes: single-factor, or MFA satisfied by the claim in the token, with the
    AuthDetails companion listing the claim steps."""
    rows, steps_rows = [SIGNIN_HEADER_EN], [AUTH_DETAILS_HEADER]
    for key, day, time, user, mfa, where in NON_INTERACTIVE:
        steps = [first_claim()] + ([mfa_claim()] if mfa else [])
        v = signin_values(key, day, time, user, mfa, 0, steps, where)
        v["client"] = "Mobile Apps and Desktop clients"
        rows.append(english_row(v))
        for method, detail, ok, result, requirement in steps:
            steps_rows.append([v["date"], v["request"], method, detail,
                               "True" if ok else "False", result, requirement])
    portal_csv("NonInteractiveSignIns_2026-11-01_2026-11-08.csv", rows)
    portal_csv("NonInteractiveSignIns_AuthDetails_2026-11-01_2026-11-08.csv", steps_rows)


def french_download():
    """The interactive week as one download from the portal in French: the French columns,
    requirement words and result texts; methods and statuses stay as the English portal
    writes them (only shown, never interpreted)."""
    rows = [[h for _, h in SIGNIN_HEADER_FR]]
    for s in INTERACTIVE:
        v = signin_values(*s, lang="fr")
        rows.append([v[role] for role, _ in SIGNIN_HEADER_FR])
    portal_csv("fr/InteractiveSignIns_2026-11-01_2026-11-08.csv", rows)


def graph_signin(key, day, time, user, mfa, code, steps, where, interactive):
    import collections
    v = signin_values(key, day, time, user, mfa, code, steps, where)
    ca, enforced, report_only = ca_evidence(mfa, code, where)

    def applied(policy, result):
        return collections.OrderedDict([
            ("id", policy["id"]), ("displayName", policy["displayName"]),
            ("enforcedGrantControls", policy["controls"]), ("enforcedSessionControls", []),
            ("result", result)])

    return collections.OrderedDict([
        ("id", v["request"]), ("createdDateTime", v["date"]),
        ("userDisplayName", v["display"]), ("userPrincipalName", v["upn"]),
        ("userId", v["user_id"]), ("appId", v["app_id"]), ("appDisplayName", v["app"]),
        ("ipAddress", v["ip"]), ("clientAppUsed", v["client"]),
        ("correlationId", v["correlation"]),
        ("conditionalAccessStatus", ca), ("isInteractive", interactive),
        ("signInEventTypes", ["interactiveUser" if interactive else "nonInteractiveUser"]),
        ("authenticationRequirement",
         "multiFactorAuthentication" if mfa else "singleFactorAuthentication"),
        ("status", collections.OrderedDict([
            ("errorCode", code), ("failureReason", FAILURE_REASON.get(code, "Other.")),
            ("additionalDetails", None)])),
        ("appliedConditionalAccessPolicies",
         [applied(CA_ENFORCED, enforced), applied(CA_REPORT_ONLY, report_only)]),
        ("authenticationDetails", [collections.OrderedDict([
            ("authenticationStepDateTime", v["date"]), ("authenticationMethod", m),
            ("authenticationMethodDetail", d), ("succeeded", ok),
            ("authenticationStepResultDetail", r), ("authenticationStepRequirement", q)])
            for m, d, ok, r, q in steps]),
    ])


def graph_signins_json():
    """The same week from Graph beta (Get-MgBetaAuditLogSignIn, both kinds), one page as
    Invoke-MgGraphRequest -OutputFilePath saves it, read with Policy.Read.ConditionalAccess so
    each sign-in lists the policies."""
    import json
    value = [graph_signin(*s, interactive=True) for s in INTERACTIVE]
    for key, day, time, user, mfa, where in NON_INTERACTIVE:
        steps = [first_claim()] + ([mfa_claim()] if mfa else [])
        value.append(graph_signin(key, day, time, user, mfa, 0, steps, where, interactive=False))
    value.sort(key=lambda o: o["createdDateTime"], reverse=True)   # Graph lists newest first
    page = {"@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
            "value": value}
    with open(os.path.join(OUT, "signins", "graph-signins_2026-11-01_2026-11-08.json"), "w",
              encoding="utf-8", newline="\n") as f:
        json.dump(page, f, indent=1, ensure_ascii=False)
        f.write("\n")


def signin_samples():
    interactive_downloads()
    non_interactive_download()
    french_download()
    graph_signins_json()


README = """# Samples

One fictional tenant, Contoso, {n} users, exported the ways admins really export it.
Written by `python3 scripts/make_samples.py` (deterministic); names are fictional. The
integration test `shipped_samples` audits every file and checks the counts below.

| file | how it was made | registered | unregistered | blocked | unknown |
|---|---|---|---|---|---|
| `msonline-ps51.csv` | Windows PowerShell 5.1, the export command in the README: UTF-8 with BOM, CRLF, `#TYPE` line, every field quoted, `$null` as an empty unquoted field | {reg} | {unreg} | {blocked} | {unknown} |
| `msonline-ps7.csv` | PowerShell 7 on Linux: UTF-8 without BOM, LF, no `#TYPE`, columns `StrongAuthenticationMethods.MethodType` and `StrongAuthenticationRequirements.State`, methods in PowerShell's `{{A, B}}` display form | {reg} | {unreg} | {blocked} | {unknown} |
| `msonline-excel-sv.csv` | the first file opened in Excel with Swedish regional settings and saved as CSV: windows-1252 (the Japanese names became `?`), `;`, `SANT`/`FALSKT`, headers with spaces, one blank row | {reg} | {unreg} | {blocked} | {unknown} |
| `MFA_Report.csv` | Microsoft's own third command, verbatim: no `BlockCredential` column, so the {blocked} blocked users cannot be excluded and are counted by their methods; `System.Object[]` for the users with two or more methods | {mr_reg} | {mr_unreg} | 0 | 0 |
| `msonline-openpyxl.xlsx` | an `Export-Excel -Title` style workbook (openpyxl 3.1): title in row 1, headers in row 2 of sheet `Users`, real booleans, empty cells for `$null`, a `Notes` sheet | {reg} | {unreg} | {blocked} | {unknown} |
| `msonline-xlwt.xls` | a legacy Excel 97-2003 workbook (xlwt 1.3), booleans as booleans | {reg} | {unreg} | {blocked} | {unknown} |
| `graph-registration-details.csv` | `Get-MgReportAuthenticationMethodUserRegistrationDetail -All \\| Export-Csv` (Windows PowerShell 5.1): `IsMfaRegistered` decides, `MethodsRegistered` is `System.String[]`; no sign-in state, so blocked users count by registration | {g_reg} | {g_unreg} | 0 | 0 |
| `entra-registration-details.csv` | the Entra admin center's *User registration details* download: `methodsRegistered` as JSON arrays, no `isMfaRegistered` | {g_reg} | {g_unreg} | 0 | 0 |
| `graph-registration-details.json` | the Graph response page itself (`{{"value": [...]}}`) | {g_reg} | {g_unreg} | 0 | 0 |
| any of the three with `--accounts accounts.csv` | joined with `Get-MgUser -All -Property UserPrincipalName,AccountEnabled \\| Export-Csv` by UPN: the full semantics again; the {unknown} users missing from the list are unknown | {reg} | {unreg} | {blocked} | {unknown} |
| `msonline-raw-export.csv` | `Get-MsolUser -All \\| Export-Csv`: the method and requirement lists were written as their type names. mfa-audit refuses it (exit code 2) and shows the command that keeps the data | - | - | - | - |

The {unknown} unknown users have an empty `BlockCredential`: Microsoft's commands (`-eq $False`)
put them in neither list, and mfa-audit names each of them. Coverage (registered /
(registered + unregistered)) is {cov} in the first three files.

Some rows are there to catch mistakes: guests (`#EXT#`), a display name with a comma and one
with quotes, a display name that a spreadsheet would run as a formula, users with a
requirement state but no method (`Enabled` or `Enforced` without registration: unregistered),
users with methods but no state (`Disabled` but registered), shared mailboxes and rooms
(blocked).

## Sign-in logs (`signins/`)

One week (1-7 November 2026) of the same tenant's sign-ins, as the Entra admin center's
*Sign-in logs > Download* and Graph give it, for `mfa-audit signins`. The integration test
`tests/cli/samples_signins.rs` checks every answer below.

| file | what it is |
|---|---|
| `InteractiveSignIns_2026-11-01_2026-11-04.csv`, `InteractiveSignIns_2026-11-04_2026-11-08.csv` | the interactive sign-ins as two English portal downloads (the 57-column header, UTF-8 with BOM, every field quoted, CRLF) whose ranges both hold 4 November: its 4 sign-ins are in both files and count once |
| `InteractiveSignIns_AuthDetails_*.csv` | their companions: the authentication steps by Request ID, with the Requirement column (*Primary authentication*, *Multifactor authentication*) |
| `NonInteractiveSignIns_2026-11-01_2026-11-08.csv` and its `_AuthDetails_` companion | token refreshes: single-factor, or MFA satisfied by the claim in the token |
| `graph-signins_2026-11-01_2026-11-08.json` | the same 28 sign-ins as one Graph beta page (`isInteractive`, `signInEventTypes`), each with `appliedConditionalAccessPolicies`: the enabled policy "Require MFA outside the office network" and the report-only "Report-only: require MFA everywhere" (both grant `Mfa`) |
| `fr/InteractiveSignIns_2026-11-01_2026-11-08.csv` | the interactive week downloaded from the portal in French (the French headers, requirement words and result texts mfa-audit knows; no AuthDetails companion, so the row's own MFA columns carry the results) |

The sign-ins, in the office network (single-factor there) or away from it (MFA required):

- single-factor successes: 9 interactive (a password, or a first-factor claim in the token;
  `kim.akers@contoso.com` joined after the user export) and 3 non-interactive;
- MFA satisfied: 4 by an app notification (`alex.wilber`, `lee.gu`, `debra.berger`,
  `grady.archie`), 1 by text message (`joni.sherman`; the number scrubbed as the portal shows
  it, `+X XXXXXXXX64`), 3 interactive and 3 non-interactive by the MFA claim in the token, 1
  by a FIDO2 security key alone (`megan.bowen`: passwordless, multifactor in one step);
- `pradeep.gupta` declined the notification (500121): the one denial, and he never succeeded;
- interrupted, neither satisfied nor denied: `lee.gu` stopped at the prompt (50074; he
  completed MFA three minutes later, with the same correlation id) and `allan.deyoung`, who has no method, was asked to
  register (50079);
- `patti.fernandez` typed a wrong password (50126): single-factor, not an MFA denial.

Expected answers of `mfa-audit signins signins/InteractiveSignIns_*.csv
signins/NonInteractiveSignIns_*.csv` (CSV and AuthDetails), worked out from the list above;
the JSON page gives the same, with 0 repeated Request IDs:

| answer | value |
|---|---|
| sign-ins | 28 (32 rows, 4 repeated Request IDs); 22 interactive, 6 non-interactive |
| 1. challenged | 15 required MFA (12 interactive, 3 non-interactive), 13 single-factor |
| 2. completed | 12 satisfied: claim in the token 6, successfully completed 5, passwordless 1; by method: Mobile app notification 4, Previously satisfied 6, Text message 1, FIDO2 security key 1 |
| 3. failed | 1 denied: user declined the authentication; interrupted 2 (50074, 50079) |
| 4. users challenged | 9 |
| 5. users denied | 1, who never succeeded |
| 6. common issues | user action: user declined the authentication 1 |
| Conditional Access status | 12 success, 3 failure (the denial and the two interruptions away from the office), 13 not applied |

The JSON page adds the policies: "Require MFA outside the office network" enforced on 15
sign-ins (12 success, 3 failure) of 9 users; "Report-only: require MFA everywhere" would have
applied to 27 (12 reportOnlySuccess, 3 reportOnlyFailure, and 12 reportOnlyInterrupted: the
single-factor sign-ins in the office, which it would have stopped for MFA) of 10 users, and did
not apply to the wrong password (reportOnlyNotApplied). It enforces nothing.

The French download (or the two English interactive downloads without their AuthDetails) gives
22 sign-ins, 12 requiring MFA, 8 satisfied: the FIDO2 sign-in's one step is a primary step, so
its row states no MFA result and only the steps show how it was satisfied.

With `--users msonline-ps51.csv`: 1 challenged user is not registered (`allan.deyoung`), 17
of the 25 registered users were never challenged, and 1 user of the log
(`kim.akers`) is not in the export.
"""


def main():
    os.makedirs(OUT, exist_ok=True)
    ps51()
    ps7()
    excel_sv()
    mfa_report()
    raw_export()
    xlsx_openpyxl()
    xls_xlwt()
    graph_ps_export()
    portal_download()
    graph_json()
    accounts()
    signin_samples()
    reg, unreg, blocked, unknown = counts()
    mr_reg = sum(1 for u in USERS if u[3])
    with open(os.path.join(OUT, "README.md"), "w", newline="\n") as f:
        f.write(README.format(
            n=len(USERS), reg=reg, unreg=unreg, blocked=blocked, unknown=unknown,
            mr_reg=mr_reg, mr_unreg=len(USERS) - mr_reg, g_reg=mr_reg, g_unreg=len(USERS) - mr_reg,
            cov="%.2f%%" % (100.0 * reg / (reg + unreg))))
    print("samples written: registered %d, unregistered %d, blocked %d, unknown %d"
          % (reg, unreg, blocked, unknown), file=sys.stderr)


if __name__ == "__main__":
    main()
