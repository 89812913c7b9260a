//! Every input goes through the same reader: `--exceptions`, `--accounts`, sign-in downloads
//! and `--users` are decoded (UTF-16 from Windows PowerShell's `>`), capped and located
//! (`file:line`) like user exports, and standard input can be named once per run.

use predicates::prelude::*;
use serde_json::Value;

use super::Dir;

/// Text as Windows PowerShell 5.1's `>` writes it: UTF-16LE with a byte order mark.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

const TENANT: &str = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
                      ann@x.com,False,PhoneAppOTP\r\n\
                      bob@x.com,False,\r\n\
                      zoë@x.com,False,\r\n";

/// A quoted field of more than 1 MiB on line 3.
fn oversized(header: &str, row: &str) -> String {
    format!("{header}\r\n{row}\r\n\"{}\",x\r\n", "x".repeat(1_200_000))
}

const SIGNINS: &str = "\"Date (UTC)\",\"Request ID\",\"Username\",\"Status\",\"Authentication requirement\"\r\n\
                       \"2026-11-02T08:00:00Z\",\"r1\",\"ann@x.com\",\"Success\",\"Multifactor authentication\"\r\n\
                       \"2026-11-02T09:00:00Z\",\"r2\",\"bob@x.com\",\"Success\",\"Single-factor authentication\"\r\n";

#[test]
fn a_utf16_exceptions_file_matches_its_users() {
    let d = Dir::new();
    d.write("t.csv", TENANT);
    // Both forms: CSV with a header, and plain lines (with a comment).
    d.write(
        "ex.csv",
        utf16le("UserPrincipalName,Reason\r\nbob@x.com,travelling\r\nZOË@x.com,leave\r\n"),
    );
    d.write(
        "ex.txt",
        utf16le("# break-glass\r\nbob@x.com\r\nzoë@x.com, leave\r\n"),
    );
    for file in ["ex.csv", "ex.txt"] {
        let j = d.audit_json(&["t.csv", "--exceptions", file]);
        assert_eq!(j["excepted"], 2, "{file}: {}", j["warnings"]);
        let warnings = j["warnings"].to_string();
        assert!(!warnings.contains("matches no user"), "{file}: {warnings}");
    }
    // Messages name the line, counted as in the decoded text.
    d.write("bad.txt", utf16le("# note\r\nbob@x.com, r, 31/12/2026\r\n"));
    d.cmd()
        .args(["audit", "t.csv", "--exceptions", "bad.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt:2: expiry \"31/12/2026\" is not a date written YYYY-MM-DD",
        ));
}

#[test]
fn a_utf16_accounts_file_gives_the_state_and_conflicts_name_both_lines() {
    let d = Dir::new();
    d.write(
        "reg.csv",
        "UserPrincipalName,StrongAuthenticationMethods\r\nann@x.com,PhoneAppOTP\r\nbob@x.com,\r\n\
         cy@x.com,\r\n",
    );
    d.write(
        "acc.csv",
        utf16le(
            "UserPrincipalName,AccountEnabled\r\nann@x.com,True\r\nbob@x.com,False\r\n\
             cy@x.com,True\r\nCY@x.com,False\r\n",
        ),
    );
    let j = d.audit_json(&["reg.csv", "--accounts", "acc.csv"]);
    let warnings = j["warnings"].to_string();
    assert!(
        !warnings.contains("ann@x.com: not in the --accounts"),
        "{warnings}"
    );
    assert!(
        warnings.contains(
            "acc.csv:4 and acc.csv:5: --accounts lists CY@x.com twice, blocked in one and not \
             in the other"
        ),
        "{warnings}"
    );
    // Bob's account is disabled: blocked, so left out; Cy is in neither list.
    let report = d.read("MFA_Report.csv");
    assert!(!report.contains("bob@x.com"), "{report}");
    assert!(report.contains("\"cy@x.com\",\"Unknown\""), "{report}");
}

#[test]
fn a_record_over_the_cap_is_refused_with_its_line_in_every_input() {
    let d = Dir::new();
    d.write("t.csv", TENANT);
    d.write(
        "ex.csv",
        oversized("UserPrincipalName,Reason", "bob@x.com,r"),
    );
    d.write(
        "acc.csv",
        oversized("UserPrincipalName,AccountEnabled", "bob@x.com,True"),
    );
    d.write("s.csv", SIGNINS);
    d.write(
        "users.csv",
        oversized(
            "UserPrincipalName,StrongAuthenticationMethods",
            "bob@x.com,",
        ),
    );
    d.write(
        "big-signins.csv",
        oversized("Request ID,Username", "r1,ann@x.com"),
    );
    d.write(
        "big-signins.json",
        format!(
            "[\n{{\"userPrincipalName\": \"ann@x.com\"}},\n{{\"userPrincipalName\": \"{}\"}}\n]",
            "x".repeat(1_200_000)
        ),
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &["audit", "t.csv", "--exceptions", "ex.csv"],
            "ex.csv:3: a record is longer",
        ),
        (
            &["audit", "t.csv", "--accounts", "acc.csv"],
            "acc.csv:3: a record is longer",
        ),
        (
            &["signins", "big-signins.csv"],
            "big-signins.csv:3: a record is longer",
        ),
        (
            &["signins", "big-signins.json"],
            "big-signins.json:3: item 2 is longer",
        ),
        (
            &["signins", "s.csv", "--users", "users.csv"],
            "users.csv:3: a record is longer",
        ),
    ];
    for (args, want) in cases {
        d.cmd()
            .args(*args)
            .args(["--max-record-size", "1", "-q"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(*want));
    }
}

#[test]
fn a_sign_in_download_reads_from_standard_input() {
    let d = Dir::new();
    d.cmd()
        .args(["signins", "-", "--json", "a.json", "-q"])
        .write_stdin(utf16le(SIGNINS))
        .assert()
        .success();
    let j: Value = serde_json::from_str(&d.read("a.json")).unwrap();
    assert_eq!(j["sign_ins"], 2);
    assert_eq!(j["challenged"]["mfa_required"], 1);
}

#[test]
fn standard_input_is_named_once_per_run() {
    let d = Dir::new();
    d.write("t.csv", TENANT);
    d.write("s.csv", SIGNINS);
    let cases: &[(&[&str], &str)] = &[
        (
            &["audit", "-", "--accounts", "-"],
            "both INPUT and --accounts",
        ),
        (
            &["audit", "t.csv", "--accounts", "-", "--exceptions", "-"],
            "both --accounts and --exceptions",
        ),
        (
            &["list", "unregistered", "-", "--exceptions", "-"],
            "both INPUT and --exceptions",
        ),
        (&["signins", "-", "--users", "-"], "both INPUT and --users"),
        (&["signins", "s.csv", "-", "-"], "both INPUT and INPUT"),
        (
            &["diff", "-", "t.csv", "--accounts", "-"],
            "both BEFORE and --accounts",
        ),
    ];
    for (args, want) in cases {
        d.cmd()
            .args(*args)
            .write_stdin(TENANT)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "standard input (-) can be read only once",
            ))
            .stderr(predicate::str::contains(*want));
    }
    // Once is fine, whichever input it is.
    let j = d.audit_json(&["t.csv", "--exceptions", "-"]);
    assert_eq!(j["excepted"], 0);
}
