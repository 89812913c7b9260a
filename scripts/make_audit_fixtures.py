#!/usr/bin/env python3
"""Writes the files tests/cli/audit_more.rs audits: a registration flag that contradicts the
method list, look-alike user principal names, and Office365itpros' admins workbook.

Usage: make_audit_fixtures.py OUT_DIR

- office365itpros-admins.xlsx: ReportMFAStatusAdmins.PS1 (12Knocksinna/Office365itpros,
  2023-03-08) ends `$UserRegistrationDetails | Export-Excel -Path ...UserRegistrationDetails.xlsx`
  with User = $User.Displayname, Id = $User.Id, AdminAccount ($True/$False), AdminRoles (role
  names joined with ", ", $Null for others), MfaRegistered / isMfaCapable (booleans) and
  defaultMfaMethod from the beta userRegistrationDetails, Methods = MethodsRegistered -join ", ".
  Export-Excel (EPPlus, default sheet "Sheet1") stores strings in the shared-strings table,
  booleans as native cells (t="b") and $Null as no cell.
- graph-flag-contradictions.csv: Get-MgReportAuthenticationMethodUserRegistrationDetail -All |
  Select-Object UserPrincipalName,IsMfaRegistered,@{N='MethodsRegistered';E={$_.MethodsRegistered
  -join ','}} | Export-Csv -NoTypeInformation: every field quoted, CRLF.
- cipp-flag-contradictions.csv: CIPP's MFA Report exported as CSV from the web page (BOM, every
  field quoted): MFARegistration Yes/No, MFAMethods joined with ", ".
- lookalike-upns.csv: an MSOnline export whose UPNs imitate others with Cyrillic, Greek and
  full-width letters.

Names are fictional (contoso.com). The output is deterministic.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape


def quoted(fields):
    return ",".join('"' + str(f).replace('"', '""') + '"' for f in fields)


def write_csv(out, name, rows, bom=False):
    data = ("\r\n".join(quoted(r) for r in rows) + "\r\n").encode("utf-8")
    with open(os.path.join(out, name), "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data)


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_epplus(path, rows):
    strings = []

    def cell(ref, v):
        if v is None:
            return ""
        if isinstance(v, bool):
            return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
        if v not in strings:
            strings.append(v)
        return f'<c r="{ref}" t="s"><v>{strings.index(v)}</v></c>'

    body = "".join(
        f'<row r="{n}">' + "".join(cell(f"{col(c)}{n}", v) for c, v in enumerate(r)) + "</row>"
        for n, r in enumerate(rows, 1)
    )
    ns = "http://schemas.openxmlformats.org/"
    main = ns + "spreadsheetml/2006/main"
    rel = ns + "officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml."
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:{col(len(rows[0]) - 1)}{len(rows)}"/>'
            f"<sheetData>{body}</sheetData></worksheet>"
        ),
    }
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts["xl/sharedStrings.xml"] = (
        f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))


def office365itpros_admins(out):
    rows = [["User", "Id", "AdminAccount", "AdminRoles", "MfaRegistered", "defaultMfaMethod",
             "isMfaCapable", "Methods"]]
    data = [
        ("Ada Park", True, "Global Administrator, Exchange Administrator", True,
         "microsoftAuthenticatorPush", True, "microsoftAuthenticatorPush, mobilePhone"),
        ("Ben Ortiz", False, None, False, "none", False, ""),
        ("Cleo Ruiz", True, "User Administrator", False, "none", False, "email"),
        ("Dev Shah", False, None, True, "mobilePhone", True, "mobilePhone"),
    ]
    for n, (name, admin, roles, reg, default, capable, methods) in enumerate(data, 1):
        rows.append([name, f"00000000-0000-4000-8000-0000000000{n:02}", admin, roles, reg,
                     default, capable, methods])
    write_epplus(os.path.join(out, "office365itpros-admins.xlsx"), rows)


def graph_flags(out):
    rows = [["UserPrincipalName", "IsMfaRegistered", "MethodsRegistered"]]
    data = [
        ("True", "microsoftAuthenticatorPush,mobilePhone"),
        ("False", "mobilePhone"),
        ("True", ""),
        ("True", "email"),
        ("False", ""),
        ("False", "email"),
        ("True", "System.String[]"),
        ("False", "microsoftAuthenticatorPush"),
    ]
    rows += [[f"user{n:02}@contoso.com", f, m] for n, (f, m) in enumerate(data, 1)]
    write_csv(out, "graph-flag-contradictions.csv", rows)


def cipp_flags(out):
    rows = [["UPN", "AccountEnabled", "PerUser", "isLicensed", "MFARegistration", "MFAMethods",
             "CoveredByCA", "CAPolicies", "CoveredBySD", "IsAdmin", "UserType", "CacheTimestamp"]]
    data = [
        ("Yes", "Yes", "microsoftAuthenticatorPush, mobilePhone"),
        ("Yes", "No", "mobilePhone"),
        ("Yes", "Yes", ""),
        ("No", "No", "mobilePhone"),
        ("Yes", "No", ""),
        ("Yes", "Yes", "email"),
    ]
    rows += [[f"user{n:02}@contoso.com", en, "disabled", "Yes", reg, m, "Not Enforced", "", "No",
              "No", "Member", "2026-03-16T10:00:00.0000000Z"]
             for n, (en, reg, m) in enumerate(data, 1)]
    write_csv(out, "cipp-flag-contradictions.csv", rows, bom=True)


def lookalikes(out):
    rows = [["UserPrincipalName", "DisplayName", "BlockCredential", "StrongAuthenticationMethods"]]
    data = [
        ("admin@contoso.com", "PhoneAppNotification"),
        ("\u0430dmin@contoso.com", ""),                     # Cyrillic а
        ("j\u03bfhn@contoso.com", ""),                      # Greek ο, before the real one
        ("John@contoso.com", "PhoneAppOTP"),
        ("\uff42\uff4f\uff42@contoso.com", ""),             # full-width ｂｏｂ, no real bob
        ("\u0440\u0430\u0443\u0440\u0430l@contoso.com", ""),  # Cyrillic раура + Latin l
        ("\u0440\u0430\u0443\u0440\u0430@contoso.com", ""),   # wholly Cyrillic раура
        ("ivan@contoso.com", "OneWaySMS"),
    ]
    rows += [[u, f"User {n}", "False", m] for n, (u, m) in enumerate(data, 1)]
    write_csv(out, "lookalike-upns.csv", rows)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_audit_fixtures.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in (office365itpros_admins, graph_flags, cipp_flags, lookalikes):
        make(out)


if __name__ == "__main__":
    main()
