//! Microsoft Graph and Entra admin center exports: registration details as CSV and JSON, the
//! method vocabulary, admins and guests, and the join with a user list (`--accounts`).

use predicates::prelude::*;

use super::{buckets, crlf, Dir};

/// `Get-MgReportAuthenticationMethodUserRegistrationDetail -All | Export-Csv` in Windows
/// PowerShell 5.1: `#TYPE`, PascalCase, `System.String[]` for the method lists.
fn graph_powershell_export(delimiter: &str) -> String {
    let rows = [
        [
            "Id",
            "IsAdmin",
            "IsMfaCapable",
            "IsMfaRegistered",
            "IsPasswordlessCapable",
            "MethodsRegistered",
            "SystemPreferredAuthenticationMethods",
            "UserDisplayName",
            "UserPrincipalName",
            "UserType",
            "AdditionalProperties",
        ],
        [
            "1",
            "True",
            "True",
            "True",
            "False",
            "System.String[]",
            "System.String[]",
            "Ann",
            "ann@contoso.com",
            "member",
            "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
        ],
        [
            "2",
            "True",
            "False",
            "False",
            "False",
            "System.String[]",
            "System.String[]",
            "Bob",
            "bob@contoso.com",
            "member",
            "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
        ],
        [
            "3",
            "False",
            "False",
            "True",
            "False",
            "System.String[]",
            "System.String[]",
            "Cy",
            "cy@contoso.com",
            "member",
            "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
        ],
        [
            "4",
            "False",
            "False",
            "False",
            "False",
            "System.String[]",
            "System.String[]",
            "Gus",
            "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com",
            "guest",
            "System.Collections.Generic.Dictionary`2[System.String,System.Object]",
        ],
    ];
    let mut lines = vec![
        "#TYPE Microsoft.Graph.PowerShell.Models.MicrosoftGraphUserRegistrationDetails".to_owned(),
    ];
    for r in rows {
        let quoted: Vec<String> = r.iter().map(|f| format!("\"{f}\"")).collect();
        lines.push(quoted.join(delimiter));
    }
    crlf(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn graph_powershell_export_uses_is_mfa_registered_and_counts_admins_and_guests() {
    for delimiter in [",", ";"] {
        let d = Dir::new();
        d.write("reg.csv", graph_powershell_export(delimiter));
        let j = d.audit_json(&[
            "reg.csv",
            "--columns",
            "upn,methods,registered,mfa-capable,admin,user-type",
        ]);
        // System.String[] is no loss here: IsMfaRegistered says who is registered.
        assert_eq!(buckets(&j), (2, 2, 0, 0, 0), "delimiter {delimiter}");
        assert_eq!(j["mfa_capable"], 1);
        assert_eq!(j["admins"], 2);
        assert_eq!(j["admins_unregistered"], 1);
        assert_eq!(j["guests"], 1);
        assert_eq!(j["blocked_excluded"], false);
        assert_eq!(
            d.read("MFA_Report.csv"),
            crlf(&[
                "\"UserPrincipalName\",\"MFA Methods\",\"Registered\",\"MFA Capable\",\"Is Admin\",\"User Type\"",
                "\"ann@contoso.com\",\"(registered; names not in input)\",\"True\",\"True\",\"True\",\"member\"",
                "\"bob@contoso.com\",\"\",\"False\",\"False\",\"True\",\"member\"",
                "\"cy@contoso.com\",\"(registered; names not in input)\",\"True\",\"False\",\"False\",\"member\"",
                "\"gus_fabrikam.com#EXT#@contoso.onmicrosoft.com\",\"\",\"False\",\"False\",\"False\",\"guest\"",
            ])
        );
        // The report read back keeps the verdicts.
        let again = d.audit_json(&["MFA_Report.csv", "-o", "again.csv"]);
        assert_eq!(buckets(&again), (2, 2, 0, 0, 0));
    }
    // Filters: admins only, members only; the others are counted as excluded.
    let d = Dir::new();
    d.write("reg.csv", graph_powershell_export(","));
    let j = d.audit_json(&["reg.csv", "--admins-only"]);
    assert_eq!(
        (buckets(&j), j["excluded"].as_u64()),
        ((1, 1, 0, 0, 0), Some(2))
    );
    let j = d.audit_json(&["reg.csv", "--members-only"]);
    assert_eq!(
        (buckets(&j), j["excluded"].as_u64()),
        ((2, 1, 0, 0, 0), Some(1))
    );
    d.write(
        "msol.csv",
        "UPN,BlockCredential,Methods\r\na@x,False,OneWaySMS\r\n",
    );
    d.cmd()
        .args(["audit", "msol.csv", "--admins-only"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--admins-only needs an isAdmin column",
        ));
}

/// The Entra admin center's "User registration details" download (2026): no isMfaRegistered,
/// methods as JSON array text.
const PORTAL: &str = "userPrincipalName,userDisplayName,isMfaCapable,isPasswordlessCapable,isSsprCapable,defaultMfaMethod,methodsRegistered,lastUpdatedDateTime\r\n\
ann@contoso.com,Ann,True,False,True,microsoftAuthenticatorPush,\"[\"\"microsoftAuthenticatorPush\"\",\"\"softwareOneTimePasscode\"\",\"\"email\"\"]\",2026-11-01T10:00:00Z\r\n\
bob@contoso.com,Bob,False,False,True,none,\"[\"\"email\"\"]\",2026-11-01T10:00:00Z\r\n\
cy@contoso.com,Cy,False,False,False,none,[],2026-11-01T10:00:00Z\r\n\
dee@contoso.com,Dee,True,True,True,passKeyDeviceBound,\"[\"\"passKeyDeviceBound\"\",\"\"mobilePhone\"\"]\",2026-11-01T10:00:00Z\r\n\
eve@contoso.com,Eve,True,False,True,mobilePhone,\"[\"\"mobilePhone\"\",\"\"alternateMobilePhone\"\"]\",2026-11-01T10:00:00Z\r\n\
fay@contoso.com,Fay,False,False,False,none,\"[\"\"quantumToken\"\"]\",2026-11-01T10:00:00Z\r\n";

#[test]
fn portal_download_with_the_method_vocabulary() {
    let d = Dir::new();
    d.write("portal.csv", PORTAL);
    let j = d.audit_json(&[
        "portal.csv",
        "--columns",
        "upn,methods,default-method,strongest-method",
        "--method-names",
        "display",
    ]);
    // Bob has only email (not MFA), Cy nothing: unregistered. Fay's unknown method counts.
    assert_eq!(buckets(&j), (4, 2, 0, 0, 0));
    assert_eq!(j["only_non_mfa_methods"], 1);
    assert_eq!(j["phone_only"]["users"], 1);
    assert_eq!(
        j["strongest_method"],
        serde_json::json!({"app": 1, "not-mfa": 1, "phishing-resistant": 1, "phone": 1, "unrecognised": 1})
    );
    assert_eq!(
        j["unrecognised_methods"],
        serde_json::json!({"quantumToken": 1})
    );
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("1 user has methods, but none of them is MFA"),
        "{warnings}"
    );
    assert!(warnings.contains("unrecognised method names, kept as written and counted as MFA methods: \\\"quantumToken\\\" (1)"), "{warnings}");
    let report = d.read("MFA_Report.csv");
    for line in [
        "\"ann@contoso.com\",\"Microsoft Authenticator, Software OATH token, Email\",\"Microsoft Authenticator\",\"app\"",
        "\"bob@contoso.com\",\"Email\",\"\",\"not-mfa\"",
        "\"dee@contoso.com\",\"Passkey (device-bound), Mobile phone\",\"Passkey (device-bound)\",\"phishing-resistant\"",
        "\"fay@contoso.com\",\"quantumToken\",\"\",\"unrecognised\"",
    ] {
        assert!(report.contains(line), "{line} in {report}");
    }
    // Canonical names merge MSOnline's spellings: SMS and voice are both the mobile phone.
    d.write(
        "msol.csv",
        "UPN,BlockCredential,Methods\r\na@x,False,\"OneWaySMS,TwoWayVoiceMobile,PhoneAppOTP\"\r\n",
    );
    d.audit_json(&["msol.csv", "--method-names", "canonical", "-o", "c.csv"]);
    assert!(d
        .read("c.csv")
        .contains("\"a@x\",\"Unknown\",\"mobilePhone, softwareOneTimePasscode\""));
}

#[test]
fn registration_details_joined_with_a_user_list() {
    let d = Dir::new();
    d.write("portal.csv", PORTAL);
    d.write(
        "accounts.csv",
        "\"UserPrincipalName\",\"AccountEnabled\"\r\n\"ANN@contoso.com\",\"True\"\r\n\"bob@contoso.com\",\"True\"\r\n\"cy@contoso.com\",\"True\"\r\n\"dee@contoso.com\",\"False\"\r\n\"eve@contoso.com\",\"True\"\r\n",
    );
    let j = d.audit_json(&["portal.csv", "--accounts", "accounts.csv"]);
    // Dee's account is disabled: blocked. Fay is not in the user list: unknown.
    assert_eq!(buckets(&j), (2, 2, 1, 1, 0));
    assert_eq!(j["blocked_excluded"], true);
    assert_eq!(
        j["inputs"][0]["columns"]["blocked"],
        "AccountEnabled (from --accounts accounts.csv)"
    );
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("portal.csv:7: fay@contoso.com: not in the --accounts file"),
        "{warnings}"
    );
    // Without the join, the loud warning says how to get the full result.
    d.cmd()
        .args(["audit", "portal.csv", "-o", "r.csv"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "pass a user list with --accounts FILE",
        ));
    d.write("nostate.csv", "UserPrincipalName,City\r\na@x,Lyon\r\n");
    d.cmd()
        .args(["audit", "portal.csv", "--accounts", "nostate.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--accounts nostate.csv: no accountEnabled or BlockCredential column",
        ));
}

/// A Graph page as `Invoke-MgGraphRequest ... | ConvertTo-Json` or the raw response saves it.
fn graph_page(users: &[(&str, bool, &[&str])], next: bool) -> String {
    let items: Vec<String> = users
        .iter()
        .map(|(upn, registered, methods)| {
            format!(
                r#"{{"id":"x","userPrincipalName":"{upn}","userType":"member","isAdmin":false,"isMfaRegistered":{registered},"isMfaCapable":{registered},"methodsRegistered":{},"accountEnabled":true}}"#,
                serde_json::to_string(methods).unwrap()
            )
        })
        .collect();
    let next = if next {
        r#","@odata.nextLink":"https://graph.microsoft.com/v1.0/reports/authenticationMethods/userRegistrationDetails?$skiptoken=x""#
    } else {
        ""
    };
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#reports","value":[{}]{next}}}"#,
        items.join(",\n")
    )
}

#[test]
fn json_pages_arrays_and_msonline_objects() {
    let d = Dir::new();
    d.write(
        "page1.json",
        graph_page(
            &[("ann@x", true, &["fido2"]), ("bob@x", false, &["email"])],
            true,
        ),
    );
    d.write(
        "page2.json",
        graph_page(
            &[
                ("cy@x", true, &["mobilePhone"]),
                ("ANN@x", true, &["fido2"]),
            ],
            false,
        ),
    );
    let j = d.audit_json(&["page1.json", "page2.json"]);
    assert_eq!(buckets(&j), (2, 1, 0, 0, 1));
    assert_eq!(j["inputs"][0]["format"], "json");
    assert!(j["warnings"]
        .to_string()
        .contains("page2.json: user 2: ANN@x repeats the user at page1.json: user 1"));

    // Get-MsolUser | ConvertTo-Json -Depth 4, saved by Windows PowerShell 5.1's Out-File
    // (UTF-16LE with BOM).
    let msol = r#"[
    {
        "UserPrincipalName":  "ann@contoso.com",
        "BlockCredential":  false,
        "StrongAuthenticationMethods":  [
            { "ExtensionData": {}, "IsDefault": false, "MethodType": "PhoneAppOTP" },
            { "ExtensionData": {}, "IsDefault": true, "MethodType": "PhoneAppNotification" }
        ],
        "StrongAuthenticationRequirements":  [ { "RelyingParty": "*", "State": "Enforced" } ],
        "State":  "WA"
    },
    {
        "UserPrincipalName":  "bob@contoso.com",
        "BlockCredential":  false,
        "StrongAuthenticationMethods":  [],
        "StrongAuthenticationRequirements":  [],
        "State":  null
    }
]"#;
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(msol.encode_utf16().flat_map(u16::to_le_bytes));
    d.write("msol.json", utf16);
    let j = d.audit_json(&[
        "msol.json",
        "--columns",
        "upn,status,methods,default-method",
    ]);
    assert_eq!(buckets(&j), (1, 1, 0, 0, 0));
    assert_eq!(j["inputs"][0]["encoding"], "UTF-16LE with BOM");
    assert_eq!(
        d.read("MFA_Report.csv"),
        crlf(&[
            "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\",\"Default Method\"",
            "\"ann@contoso.com\",\"Enforced\",\"PhoneAppOTP, PhoneAppNotification\",\"PhoneAppNotification\"",
            "\"bob@contoso.com\",\"Disabled\",\"\",\"\"",
        ])
    );
    // ConvertTo-Json of a single user writes the object itself.
    d.write(
        "one.json",
        r#"{"UserPrincipalName":"solo@x","BlockCredential":true,"StrongAuthenticationMethods":[]}"#,
    );
    assert_eq!(buckets(&d.audit_json(&["one.json"])), (0, 0, 1, 0, 0));
}

#[test]
fn json_that_lost_its_data_or_was_cut_short_is_refused() {
    let d = Dir::new();
    d.write(
        "shallow.json",
        r#"[{"UserPrincipalName":"a@x","BlockCredential":false,"StrongAuthenticationMethods":["Microsoft.Online.Administration.StrongAuthenticationMethod"]}]"#,
    );
    d.cmd()
        .args(["audit", "shallow.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shallow.json: user 1: \"StrongAuthenticationMethods\" holds \"Microsoft.Online.Administration.StrongAuthenticationMethod\""))
        .stderr(predicate::str::contains("ConvertTo-Json -Depth 4"));
    for (name, text, want) in [
        ("cut.json", "[{\"UserPrincipalName\":\"a@x\",\"StrongAuthenticationMethods\":[]},\n", "cut.json: line 2, column 0: not valid JSON"),
        ("empty.json", "{\"value\":[]}", "empty.json: the file holds no users"),
        ("noupn.json", "[{\"mail\":\"a@x\",\"methodsRegistered\":[]}]", "noupn.json: the first user has no user principal name; its keys are: \"mail\", \"methodsRegistered\""),
        ("numbers.json", "[1,2]", "numbers.json: item 1 of the array is a number, not a user object"),
    ] {
        d.write(name, text);
        d.cmd()
            .args(["audit", name, "-o", "r.csv"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want))
            .stderr(predicate::str::contains("panicked").not());
    }
    assert!(!d.exists("r.csv"));
}
