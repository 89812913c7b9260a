#!/usr/bin/env python3
"""Writes one small file per community MFA script's output layout, as the script writes it.

Usage: make_script_fixtures.py OUT_DIR

Each layout follows the script's own source (headers, value spellings, placeholders):
LazyAdmin MFAStatus.ps1 / Get-MgMFAStatus.ps1 / Get-MgEntraMFAStatus.ps1, AdminDroid
GetMFAStatus.ps1 (both reports) / GetMFAStatusReport.ps1 / CheckMFAStatus.ps1 / the registered
authentication methods report / the MFA deployment sources report, Office365itpros
ReportMFAStatusUsers.PS1, and CIPP's MFA Report CSV export. PowerShell's Export-Csv quotes every
field and header and ends lines with CRLF; CIPP's browser export does the same and starts with a
UTF-8 BOM. Names are fictional (contoso.com, fabrikam.com). The output is deterministic: the
tests in tests/cli/scripts.rs work out every user's verdict by hand from these rows.
"""

import os
import sys


def quoted(fields):
    return ",".join('"' + str(f).replace('"', '""') + '"' for f in fields)


def write(out_dir, name, headers, rows, bom=False):
    text = "\r\n".join(quoted(r) for r in [headers] + rows) + "\r\n"
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(out_dir, name), "wb") as f:
        f.write(data)


def upn(n):
    return f"user{n:02}@contoso.com"


def lazyadmin_msol(out):
    # Get-MFAStatus | Export-Csv -NoTypeInformation, default layout. Method columns are True or
    # "-" (never False); MFAEnforced is True or "-"; "MFA Enabled" is True/False.
    headers = ["DisplayName", "UserPrincipalName", "isAdmin", "MFA Enabled", "MFA Type",
               "SMS token", "Phone call verification", "Hardware token or authenticator app",
               "Authenticator app", "Email Verification", "Registered phone",
               "Alternative phone", "MFAEnforced"]
    rows = [
        ["Ada Park", upn(1), "True", "True", "Authenticator app", "-", "-", "True", "True",
         "ada@fabrikam.com", "+1 4255550101", "-", "True"],
        ["Ben Ortiz", upn(2), "-", "True", "SMS token", "True", "-", "-", "-", "-",
         "+1 4255550102", "-", "-"],
        ["Cleo Ruiz", upn(3), "-", "False", "", "-", "-", "-", "-", "cleo@fabrikam.com", "-",
         "-", "-"],
        ["Dev Shah", upn(4), "-", "False", "", "-", "-", "-", "-", "-", "-", "-", "True"],
        # office phone only: no column for it, but MFA Enabled says registered
        ["Eli Wong", upn(5), "-", "True", "", "-", "-", "-", "-", "-", "-", "-", "-"],
        ["Fay Lind", upn(6), "-", "True", "Hardware token or authenticator app", "-", "-",
         "True", "-", "-", "-", "-", "True"],
        ["Gus Berg", upn(7), "-", "False", "", "-", "-", "-", "-", "-", "-", "-", "-"],
        # a hand-edited row: the flag is empty and no method column is true
        ["Hal Voss", upn(8), "-", "", "", "-", "-", "-", "-", "-", "-", "-", "-"],
    ]
    write(out, "lazyadmin-msol.csv", headers, rows)


def lazyadmin_graph(out):
    # Get-MgMFAStatus.ps1: fields start as "-"; MFA Status is lowercase enabled/disabled.
    headers = ["Name", "Emailaddress", "UserPrincipalName", "isAdmin", "MFA Status",
               "MFA Preferred method", "Phone Authentication", "Authenticator App",
               "Passwordless", "Hello for Business", "FIDO2 Security Key",
               "Temporary Access Pass", "Authenticator device", "Phone number",
               "Email for SSPR", "Manager"]

    def row(n, status, pref, phone="-", app="-", hello="-", fido="-", sspr="-"):
        return [f"User {n}", upn(n), upn(n), "-", status, pref, phone, app, "-", hello, fido,
                "-", "Pixel 8" if app == "True" else "",
                "mobile +1 4255550100" if phone == "True" else "-", sspr, ""]

    rows = [
        row(1, "enabled", "push", phone="True", app="True"),
        row(2, "enabled", "none", fido="True"),
        row(3, "disabled", ""),
        row(4, "enabled", "", sspr="user04@fabrikam.com"),  # email only: not MFA
        row(5, "disabled", "", phone="True"),  # a phone but no preferred method
        row(6, "enabled", "oath"),  # software OATH only: the script has no column for it
        row(7, "disabled", ""),
        row(8, "enabled", "push", hello="True"),
    ]
    write(out, "lazyadmin-graph.csv", headers, rows)


def lazyadmin_entra(out):
    headers = ["Name", "Emailaddress", "UserPrincipalName", "User Type", "isAdmin",
               "MFA Capable", "MFA Default method", "MFA Preferred method",
               "MFA Methods Registered", "System Preferred method", "Passwordless Capable",
               "SSPR Registered", "SSPR Capable", "Manager"]
    methods = [
        ("True", "push", "microsoftAuthenticatorPush, mobilePhone"),
        ("False", "none", ""),
        ("False", "none", "email"),
        ("True", "sms", "email, mobilePhone"),
        ("True", "none", "fido2SecurityKey"),
        ("False", "none", "securityQuestion, email"),
        ("False", "none", "temporaryAccessPass"),
        ("True", "oath", "softwareOneTimePasscode"),
    ]
    rows = [[f"User {n}", upn(n), upn(n), "member", "False", cap, "", pref, m, pref, "False",
             "False", "False", ""] for n, (cap, pref, m) in enumerate(methods, 1)]
    write(out, "lazyadmin-entra.csv", headers, rows)


def admindroid_msol(out):
    headers = ["DisplayName", "UserPrincipalName", "MFAStatus", "ActivationStatus",
               "DefaultMFAMethod", "AllMFAMethods", "MFAPhone", "MFAEmail", "LicenseStatus",
               "IsAdmin", "AdminRoles", "SignInStatus"]
    data = [
        ("Enforced", "Yes", "PhoneAppNotification", "PhoneAppNotification,PhoneAppOTP", "Allowed"),
        ("Enabled", "No", "-", "-", "Allowed"),
        ("Enabled", "Yes", "OneWaySMS", "OneWaySMS", "Denied"),
        ("Enabled via Conditional Access", "Yes", "PhoneAppOTP", "PhoneAppOTP", "Allowed"),
        ("Enforced", "No", "-", "-", "Allowed"),
        ("Enabled", "Yes", "", "TwoWayVoiceMobile", "Allowed"),
        ("Enforced", "Yes", "PhoneAppOTP", "PhoneAppOTP", "Denied"),
        ("Enabled", "No", "-", "-", "Denied"),
    ]
    rows = [[f"User {n}", upn(n), st, act, dm, am, "-", "-", "Licensed", "False", "No roles",
             sign] for n, (st, act, dm, am, sign) in enumerate(data, 1)]
    write(out, "admindroid-msol-enabled.csv", headers, rows)
    headers = ["DisplayName", "UserPrincipalName", "Department", "MFAStatus", "LicenseStatus",
               "IsAdmin", "AdminRoles", "SignInStatus"]
    rows = [[f"User {n}", upn(n), "-", "Disabled", "Licensed", "False", "No roles",
             "Denied" if n in (3, 7) else "Allowed"] for n in range(1, 9)]
    write(out, "admindroid-msol-disabled.csv", headers, rows)


def admindroid_graph(out):
    headers = ["Name", "UPN", "Department", "License Status", "SignIn Status",
               "Authentication Methods", "MFA Status", "MFA Phone",
               "Microsoft Authenticator Configured Device", "Is 3rd-Party Authenticator Used",
               "Additional Details"]
    data = [
        ("Allowed", "AuthenticatorApp,PasswordAuthentication", "Strong"),
        ("Allowed", "PasswordAuthentication", "Disabled"),
        ("Allowed", "EmailAuthentication,PasswordAuthentication", "Disabled"),
        ("Blocked", "PasswordAuthentication,PhoneAuthentication", "Strong"),
        ("Allowed", "PasswordAuthentication,SoftwareOath", "Weak"),
        ("Allowed", "Fido2,PasswordAuthentication,WindowsHelloForBusiness", "Strong"),
        ("Blocked", "PasswordAuthentication", "Disabled"),
        ("Allowed", "PasswordAuthentication,PhoneAuthentication", "Strong"),
    ]
    rows = [[f"User {n}", upn(n), "", "Licensed", sign, m, st, "-", "-",
             "True" if "SoftwareOath" in m else "False", ""]
            for n, (sign, m, st) in enumerate(data, 1)]
    write(out, "admindroid-graph.csv", headers, rows)


def admindroid_per_user(out):
    headers = ["Name", "UPN", "Per-user MFA Status", "Department", "License Status",
               "SignIn Status", "Registered Authentication Methods", "MFA Phone",
               "Microsoft Authenticator Configured Device", "Is 3rd-Party Authenticator Used",
               "Additional Details"]
    data = [
        ("enforced", "Allowed", "AuthenticatorApp,PasswordAuthentication"),
        ("disabled", "Allowed", "PasswordAuthentication"),
        ("enabled", "Allowed", "Passkeys(FIDO2),PasswordAuthentication"),
        ("disabled", "Allowed", "EmailAuthentication,PasswordAuthentication"),
        ("disabled", "Blocked", "PasswordAuthentication,PhoneAuthentication"),
        ("enabled", "Allowed", "PasswordAuthentication,WindowsHelloForBusiness"),
        ("disabled", "Allowed", "PasswordAuthentication,SoftwareOath"),
        ("enforced", "Blocked", "PasswordAuthentication"),
    ]
    rows = [[f"User {n}", upn(n), st, "", "Licensed", sign, m, "-", "-", "False", ""]
            for n, (st, sign, m) in enumerate(data, 1)]
    write(out, "admindroid-per-user.csv", headers, rows)


def admindroid_registered_methods(out):
    headers = ["User Name", "UPN", "Registered Auth Methods", "Default Auth Method",
               "System Preferred MFA Status", "System Preferred MFA Method", "Department",
               "Job Title", "License Status", "Signin Enabled", "Is Admin"]
    data = [
        ("microsoftAuthenticatorPush,mobilePhone", "push", "Enabled", "push", "True"),
        ("", "-", "Disabled", "", "False"),
        ("email", "-", "Enabled", "", "True"),
        ("email,securityQuestion,temporaryAccessPass", "-", "Enabled", "", "True"),
        ("fido2SecurityKey", "-", "Enabled", "Fido2", "True"),
        ("mobilePhone", "sms", "Disabled", "sms", ""),  # the user lookup failed
        ("", "-", "Enabled", "", "True"),
        ("passKeyDeviceBound,email", "-", "Enabled", "", "True"),
    ]
    rows = [[f"User {n}", upn(n), m, d, sps, spm, "", "", "Licensed", sign, "False"]
            for n, (m, d, sps, spm, sign) in enumerate(data, 1)]
    write(out, "admindroid-registered-methods.csv", headers, rows)


def admindroid_deployment(out):
    headers = ["User Display Name", "User Principal Name", "MFA Registered",
               "Methods Registered", "MFA Enforced Via", "Per User MFA Status",
               "Security Default Status", "CA MFA Status", "Assigned CA Policy",
               "Is Registered MFA Supported in CA"]
    data = [
        ("True", "microsoftAuthenticatorPush,mobilePhone", "Conditional Access Policy", "disabled"),
        ("False", "None", "Disabled", "disabled"),
        ("False", "email", "Disabled", "Disabled"),
        ("True", "mobilePhone", "Per User MFA", "enforced"),
        ("False", "None", "SignIn Blocked", "disabled"),
        ("True", "fido2SecurityKey", "Conditional Access Policy", "enabled"),
        ("False", "None", "Disabled", "disabled"),
        ("True", "windowsHelloForBusiness", "Conditional Access Policy", "disabled"),
    ]
    rows = [[f"User {n}", upn(n), reg, m, via, st, "Disabled",
             "Enabled" if "Conditional" in via else "Disabled",
             "Require MFA" if "Conditional" in via else "", "True" if reg == "True" else ""]
            for n, (reg, m, via, st) in enumerate(data, 1)]
    write(out, "admindroid-deployment-sources.csv", headers, rows)


def office365itpros_users(out):
    headers = ["User", "UPN", "Methods", "MFAStatus", "LastSignIn", "LastSignInApp"]
    data = [
        ("AuthenticatorApp, PasswordAuthentication", "Check!"),
        ("PasswordAuthentication", "Check!"),
        ("EmailAuthentication, PasswordAuthentication", "Check!"),
        ("PasswordAuthentication, PhoneAuthentication", "Good"),
        ("Fido2, PasswordAuthentication", "Check!"),
        ("PasswordAuthentication, WindowsHelloForBusiness", "Check!"),
        ("PasswordAuthentication, Third-party Authenticator App", "Check!"),
        ("PasswordAuthentication", "Check!"),
    ]
    rows = [[f"User {n}", upn(n), m, st, f"05/0{n}/2024 09:1{n}:00", "Office 365 Exchange Online"]
            for n, (m, st) in enumerate(data, 1)]
    write(out, "office365itpros-users.csv", headers, rows)


def cipp(out):
    headers = ["Tenant", "UPN", "AccountEnabled", "PerUser", "isLicensed", "MFARegistration",
               "MFAMethods", "CoveredByCA", "CAPolicies", "CoveredBySD", "IsAdmin", "UserType",
               "CacheTimestamp"]
    policy = '{"DisplayName":"Require MFA","UserIncluded":"Yes","AllApps":"Yes","PolicyState":"enabled"}'
    data = [
        ("Yes", "enforced", "Yes", "microsoftAuthenticatorPush, mobilePhone", "Enforced - All Apps"),
        ("Yes", "disabled", "No", "", "Not Enforced"),
        ("Yes", "disabled", "No", "email", "Not Enforced"),
        ("No", "disabled", "Yes", "mobilePhone", "Enforced - All Apps"),
        ("Yes", "enabled", "No data", "", "Not Enforced"),
        ("Yes", "No data", "Yes", "fido2SecurityKey", "Enforced - All Apps"),
        ("Yes", "disabled", "No data", "mobilePhone", "Not Enforced"),
        ("Yes", "disabled", "No", "email, securityQuestion", "Not Enforced"),
    ]
    rows = [["contoso.onmicrosoft.com", upn(n), en, pu, "Yes", reg, m, ca,
             policy if ca.startswith("Enforced") else "", "No", "No", "Member",
             "2026-03-16T10:00:00.0000000Z"]
            for n, (en, pu, reg, m, ca) in enumerate(data, 1)]
    write(out, "MFA Report.csv", headers, rows, bom=True)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_script_fixtures.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for make in (lazyadmin_msol, lazyadmin_graph, lazyadmin_entra, admindroid_msol,
                 admindroid_graph, admindroid_per_user, admindroid_registered_methods,
                 admindroid_deployment, office365itpros_users, cipp):
        make(out)


if __name__ == "__main__":
    main()
