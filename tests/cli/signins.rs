//! Sign-in log analysis and the reference: the six answers checked against numbers worked out
//! by hand, CSV generations, AuthDetails joins, JSON pages, and `explain` in five languages.

use predicates::prelude::*;
use serde_json::Value;

use super::Dir;

/// The interactive sign-ins header of 2025-2026: 57 quoted columns, with "Application ID " and
/// "Resource ID " ending in a space, a double space in "Autonomous system  number", and
/// "Incoming token type" twice.
const HEADER_57: [&str; 57] = [
    "Date (UTC)",
    "Request ID",
    "User agent",
    "Correlation ID",
    "User ID",
    "User",
    "Username",
    "User type",
    "Cross tenant access type",
    "Incoming token type",
    "Authentication Protocol",
    "Unique token identifier",
    "Original transfer method",
    "Client credential type",
    "Token Protection - Sign In Session",
    "Token Protection - Sign In Session StatusCode",
    "Application",
    "Application ID ",
    "App owner tenant ID",
    "Resource",
    "Resource ID ",
    "Resource tenant ID",
    "Resource owner tenant ID",
    "Home tenant ID",
    "Home tenant name",
    "IP address",
    "Location",
    "Status",
    "Sign-in error code",
    "Failure reason",
    "Client app",
    "Device ID",
    "Browser",
    "Operating System",
    "Compliant",
    "Managed",
    "Join Type",
    "Multifactor authentication result",
    "Multifactor authentication auth method",
    "Multifactor authentication auth detail",
    "Authentication requirement",
    "Sign-in identifier",
    "Session ID",
    "IP address (seen by resource)",
    "Through Global Secure Access",
    "Global Secure Access IP address",
    "Autonomous system  number",
    "Flagged for review",
    "Token issuer type",
    "Incoming token type",
    "Token issuer name",
    "Latency",
    "Conditional Access",
    "Managed Identity type",
    "Associated Resource Id",
    "Federated Token Id",
    "Federated Token Issuer",
];

/// One sign-in: (date, request id, upn, status, error, MFA result, method, detail, requirement).
type SignIn<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// A portal CSV with `header` (all fields quoted, CRLF), filling the columns it knows.
fn signins_csv(header: &[&str], rows: &[SignIn]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(",")
        + "\r\n";
    for (date, id, upn, status, error, result, method, detail, req) in rows {
        let cells: Vec<String> = header
            .iter()
            .map(|h| match h.trim() {
                "Date (UTC)" => quote(date),
                "Request ID" => quote(id),
                "Username" => quote(upn),
                "User" => quote(&upn.split('@').next().unwrap().to_uppercase()),
                "Status" => quote(status),
                "Sign-in error code" => quote(error),
                "Multifactor authentication result" => quote(result),
                "Multifactor authentication auth method" => quote(method),
                "Multifactor authentication auth detail" => quote(detail),
                "Authentication requirement" => quote(req),
                "Application" => quote("Office 365 Exchange Online"),
                _ => quote(""),
            })
            .collect();
        out += &(cells.join(",") + "\r\n");
    }
    out
}

const MFA: &str = "Multifactor authentication";
const SFA: &str = "Single-factor authentication";

/// Worked by hand: 8 sign-ins (one repeated Request ID), 6 requiring MFA.
/// ann: satisfied by push, then by claim in the token. bob: declined, then completed by SMS.
/// cy: no response twice, never succeeds. dee: single-factor only. eve: an unknown reason.
fn week() -> Vec<SignIn<'static>> {
    vec![
        (
            "2026-11-02T08:00:00Z",
            "r1",
            "ann@x.com",
            "Success",
            "0",
            "MFA successfully completed",
            "Mobile app notification",
            "",
            MFA,
        ),
        (
            "2026-11-02T09:00:00Z",
            "r2",
            "ann@x.com",
            "Success",
            "0",
            "MFA requirement satisfied by claim in the token",
            "",
            "",
            MFA,
        ),
        (
            "2026-11-03T08:00:00Z",
            "r3",
            "bob@x.com",
            "Failure",
            "500121",
            "MFA denied; user declined the authentication",
            "Mobile app notification",
            "",
            MFA,
        ),
        (
            "2026-11-03T08:05:00Z",
            "r4",
            "bob@x.com",
            "Success",
            "0",
            "MFA successfully completed",
            "Text message",
            "+1 4255551264",
            MFA,
        ),
        (
            "2026-11-04T10:00:00Z",
            "r5",
            "cy@x.com",
            "Failure",
            "500121",
            "MFA denied; user did not respond to mobile app notification",
            "Mobile app notification",
            "",
            MFA,
        ),
        (
            "2026-11-05T10:00:00Z",
            "r6",
            "cy@x.com",
            "Failure",
            "500121",
            "MFA denied; user did not respond to mobile app notification",
            "Mobile app notification",
            "",
            MFA,
        ),
        (
            "2026-11-05T11:00:00Z",
            "r7",
            "dee@x.com",
            "Success",
            "0",
            "",
            "",
            "",
            SFA,
        ),
        (
            "2026-11-06T11:00:00Z",
            "r8",
            "eve@x.com",
            "Failure",
            "500121",
            "MFA denied; quantum token desynchronised",
            "",
            "",
            MFA,
        ),
    ]
}

#[test]
fn the_six_answers_from_a_57_column_download() {
    let d = Dir::new();
    let mut rows = week();
    // The same sign-in in the next file (overlapping days): counted once.
    let repeat = vec![rows[4]];
    rows.truncate(8);
    d.write(
        "InteractiveSignIns_2026-11-02_2026-11-06.csv",
        signins_csv(&HEADER_57, &rows),
    );
    d.write(
        "InteractiveSignIns_2026-11-05_2026-11-06.csv",
        signins_csv(&HEADER_57, &repeat),
    );
    d.cmd()
        .args([
            "signins",
            "InteractiveSignIns_2026-11-02_2026-11-06.csv",
            "InteractiveSignIns_2026-11-05_2026-11-06.csv",
            "--json", "a.json", "--per-user", "users.csv", "--events", "events.csv",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("1. Challenged with MFA: 7 required MFA, 1 single-factor"))
        .stderr(predicate::str::contains("5. Users unable to complete MFA: 3 (at least one denial); 2 of them never succeeded"))
        .stderr(predicate::str::contains("Unrecognised MFA results (counted, kept as written): MFA denied; quantum token desynchronised 1"));
    d.cmd()
        .args([
            "signins",
            "InteractiveSignIns_2026-11-02_2026-11-06.csv",
            "--html",
            "s.html",
            "-q",
        ])
        .assert()
        .success();
    let page = d.read("s.html");
    assert!(
        page.contains("6. Common issues") && page.contains("<td>user action</td><td>3</td>"),
        "{page}"
    );
    let j: Value = serde_json::from_str(&d.read("a.json")).unwrap();
    assert_eq!(j["sign_ins"], 8);
    assert_eq!(j["duplicate_request_ids"], 1);
    // 1. challenged
    assert_eq!(
        j["challenged"],
        serde_json::json!({"mfa_required": 7, "single_factor": 1, "requirement_not_in_log": 0})
    );
    // 2. completed: three sign-ins, by method and reason
    assert_eq!(j["completed"]["satisfied"], 3);
    assert_eq!(
        j["completed"]["by_method"],
        serde_json::json!({"(not in the log)": 1, "Mobile app notification": 1, "Text message": 1})
    );
    assert_eq!(
        j["completed"]["by_reason"],
        serde_json::json!({"satisfied by claim in the token": 1, "successfully completed": 2})
    );
    // 3. denied, by reason; the unknown reason is counted, never dropped
    assert_eq!(j["failed"]["denied"], 4);
    assert_eq!(
        j["failed"]["by_reason"],
        serde_json::json!({"(unrecognised)": 1, "user declined the authentication": 1, "user did not respond to mobile app notification": 2})
    );
    // 4. and 5.
    assert_eq!(j["users_challenged"], 4);
    assert_eq!(
        j["users_denied"],
        serde_json::json!({"count": 3, "never_succeeded": 2})
    );
    // 6. all three known denials are user action
    assert_eq!(j["common_issues"][0]["group"], "user action");
    assert_eq!(j["common_issues"][0]["count"], 3);
    // Per user, and the events with the phone number scrubbed.
    let users = d.read("users.csv");
    assert!(users.contains("\"bob@x.com\",\"2\",\"2\",\"1\",\"1\",\"user declined the authentication\",\"Mobile app notification, Text message\",\"2026-11-03T08:00:00Z\",\"2026-11-03T08:05:00Z\""), "{users}");
    // (CSV outputs neutralise cells a spreadsheet would run as a formula: the leading +.)
    let events = d.read("events.csv");
    assert!(events.contains("\"'+X XXXXXXXX64\""), "{events}");
    assert!(!events.contains("4255551264"));
    assert!(
        !events.contains("dee@x.com"),
        "single-factor sign-ins are not MFA events"
    );
}

#[test]
fn older_generations_auth_details_and_json() {
    // A 54-column file of an older portal: no Global Secure Access columns, no second
    // "Incoming token type"; MFA results only in the AuthDetails companion.
    let old: Vec<&str> = HEADER_57
        .iter()
        .copied()
        .filter(|h| !h.contains("Global Secure Access") && !h.starts_with("Federated"))
        .collect();
    assert_eq!(old.len(), 53);
    let mut old = old;
    old.push("Flagged for review 2");
    let d = Dir::new();
    let rows: Vec<SignIn> = vec![
        (
            "2026-11-02T08:00:00Z",
            "a1",
            "ann@x.com",
            "Success",
            "0",
            "",
            "",
            "",
            MFA,
        ),
        (
            "2026-11-02T09:00:00Z",
            "a2",
            "bob@x.com",
            "Failure",
            "500121",
            "",
            "",
            "",
            MFA,
        ),
    ];
    d.write("InteractiveSignIns.csv", signins_csv(&old, &rows));
    d.write(
        "InteractiveSignIns_AuthDetails.csv",
        "\"Date (UTC)\",\"Request ID\",\"Authentication method\",\"Authentication method detail\",\"Succeeded\",\"Result detail\",\"Requirement\"\r\n\
         \"2026-11-02T08:00:00Z\",\"a1\",\"Password\",\"Password in the cloud\",\"true\",\"Correct password\",\"Primary authentication\"\r\n\
         \"2026-11-02T08:00:00Z\",\"a1\",\"Text message\",\"+46 701234567\",\"true\",\"MFA successfully completed\",\"MFA\"\r\n\
         \"2026-11-02T09:00:00Z\",\"a2\",\"Password\",\"\",\"true\",\"Correct password\",\"Primary authentication\"\r\n\
         \"2026-11-02T09:00:00Z\",\"a2\",\"Phone call\",\"\",\"false\",\"Phone call went to voicemail\",\"MFA\"\r\n",
    );
    d.cmd()
        .args([
            "signins",
            "InteractiveSignIns_AuthDetails.csv",
            "InteractiveSignIns.csv",
            "--json",
            "a.json",
            "--events",
            "e.csv",
            "-q",
        ])
        .assert()
        .success();
    let j: Value = serde_json::from_str(&d.read("a.json")).unwrap();
    assert_eq!(
        j["completed"]["by_method"],
        serde_json::json!({"Text message": 1})
    );
    assert_eq!(
        j["failed"]["by_reason"],
        serde_json::json!({"phone call went to voicemail": 1})
    );
    assert_eq!(j["common_issues"][0]["group"], "phone and delivery");
    assert!(d.read("e.csv").contains("\"'+X XXXXXXX67\""));

    // Graph signIn objects: two pages, and a sign-in in both.
    let sign_in = |id: &str, upn: &str, ok: bool, detail: &str| {
        format!(
            r#"{{"id":"{id}","createdDateTime":"2026-11-02T08:00:00Z","userPrincipalName":"{upn}","authenticationRequirement":"multiFactorAuthentication","status":{{"errorCode":{}}},"authenticationDetails":[{{"authenticationMethod":"Password","succeeded":true,"authenticationStepResultDetail":"Correct password"}},{{"authenticationMethod":"Mobile app notification","succeeded":{ok},"authenticationStepResultDetail":"{detail}"}}]}}"#,
            if ok { 0 } else { 500121 }
        )
    };
    d.write(
        "page1.json",
        format!(
            r#"{{"value":[{},{}],"@odata.nextLink":"https://graph.microsoft.com/x"}}"#,
            sign_in("g1", "ann@x.com", true, "MFA successfully completed"),
            sign_in(
                "g2",
                "bob@x.com",
                false,
                "User did not respond to mobile app notification"
            )
        ),
    );
    d.write(
        "page2.json",
        format!(
            "[{}]",
            sign_in(
                "g2",
                "bob@x.com",
                false,
                "User did not respond to mobile app notification"
            )
        ),
    );
    d.cmd()
        .args([
            "signins",
            "page1.json",
            "page2.json",
            "--json",
            "g.json",
            "-q",
        ])
        .assert()
        .success();
    let j: Value = serde_json::from_str(&d.read("g.json")).unwrap();
    assert_eq!(
        (j["sign_ins"].as_u64(), j["duplicate_request_ids"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(j["completed"]["satisfied"], 1);
    assert_eq!(
        j["failed"]["by_reason"],
        serde_json::json!({"user did not respond to mobile app notification": 1})
    );

    d.write(
        "users.csv",
        "UPN,BlockCredential,Methods\r\nann@x.com,False,PhoneAppNotification\r\n",
    );
    d.cmd()
        .args(["signins", "users.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "users.csv: not a sign-in download: no Username column",
        ));
}

#[test]
fn join_with_a_user_export() {
    let d = Dir::new();
    d.write("s.csv", signins_csv(&HEADER_57, &week()));
    d.write(
        "users.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
         ann@x.com,False,PhoneAppNotification\r\nbob@x.com,False,OneWaySMS\r\n\
         cy@x.com,False,\r\nzed@x.com,False,PhoneAppOTP\r\n",
    );
    d.cmd()
        .args([
            "signins",
            "s.csv",
            "--users",
            "users.csv",
            "--json",
            "a.json",
            "-q",
        ])
        .assert()
        .success();
    let j: Value = serde_json::from_str(&d.read("a.json")).unwrap();
    assert_eq!(
        j["registration"]["challenged_unregistered"],
        serde_json::json!(["cy@x.com"])
    );
    assert_eq!(
        j["registration"]["registered_never_challenged"],
        serde_json::json!(["zed@x.com"])
    );
    assert_eq!(j["registration"]["not_in_export"], 2);
}

#[test]
fn explain_codes_and_reasons_in_five_languages() {
    let d = Dir::new();
    let cases = [
        (
            "FAILED_PHONE_APP_NO_RESPONSE",
            "FAILED_PHONE_APP_NO_RESPONSE (result code, Failure): No answer in the app",
        ),
        (
            "config_issue",
            "CONFIG_ISSUE (result code, Failure): Call did not get through",
        ),
        (
            "user declined the authentication",
            "\"user declined the authentication\" (MFA denied)",
        ),
        (
            "användaren nekade autentiseringen",
            "(Swedish) = \"user declined the authentication\" (MFA denied)",
        ),
        (
            "gebruiker heeft verificatie geweigerd",
            "(Dutch) = \"user declined the authentication\"",
        ),
        (
            "refus de l’authentification par l’utilisateur",
            "(French) = \"user declined the authentication\"",
        ),
        (
            "ユーザーが認証を拒否しました",
            "(Japanese) = \"user declined the authentication\"",
        ),
        (
            "slutfört i molnet",
            "= \"completed in the cloud\" (MFA satisfied)",
        ),
    ];
    for (query, want) in cases {
        d.cmd()
            .args(["explain", query])
            .assert()
            .success()
            .stdout(predicate::str::contains(want));
    }
    d.cmd()
        .args(["explain", "voicemail"])
        .assert()
        .success()
        .stdout(predicate::str::contains("phone call went to voicemail"))
        .stdout(predicate::str::contains("What to do:"));
    d.cmd()
        .args(["explain", "no such thing"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing matches"));
    // Every code and every reason, in every language it has, resolves to itself.
    let out = d
        .cmd()
        .args(["explain", "--list", "--json"])
        .output()
        .unwrap();
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&Value> = all.iter().filter(|e| e["kind"] == "result-code").collect();
    assert_eq!(codes.len(), 45);
    let mut queries = 0;
    // Sign-in error codes are listed too; tests/cli/signin_explain.rs looks them up.
    for e in all.iter().filter(|e| e["kind"] != "error-code") {
        let texts: Vec<String> = if e["kind"] == "result-code" {
            vec![e["code"].as_str().unwrap().to_owned()]
        } else {
            let mut t = vec![e["en"].as_str().unwrap().to_owned()];
            for lang in ["sv", "nl", "fr", "ja"] {
                let s = e["translations"][lang].as_str().unwrap();
                if !s.is_empty() {
                    t.push(s.to_owned());
                }
            }
            t
        };
        for text in texts {
            queries += 1;
            let out = d.cmd().args(["explain", "--json", &text]).output().unwrap();
            assert!(out.status.success(), "{text}");
            let found: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
            let key = if e["kind"] == "result-code" {
                "code"
            } else {
                "en"
            };
            assert!(
                found.iter().any(|f| f[key] == e[key]),
                "{text} -> {found:?}"
            );
        }
    }
    assert_eq!(queries, 45 + 36 + 34 * 4);
}
