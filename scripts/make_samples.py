#!/usr/bin/env python3
"""Writes the files in samples/: one fictional tenant (Contoso) exported the ways admins
really export it. Deterministic: running it again gives the same bytes.

    python3 scripts/make_samples.py            # writes samples/*.csv and samples/README.md
    pip install openpyxl==3.1.5 xlwt==1.3.0    # for the two workbooks (skipped without them)

Every sample holds the same 48 users, so the counts in samples/README.md can be compared
across shapes. The names, addresses and tenants are fictional.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "samples")

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
