//! What would change a count, or hide an account, without saying so: exceptions for everyone,
//! user names that hide characters, boolean columns nobody can read, and the cause named when a
//! Graph registration column cannot be read.

use predicates::prelude::*;

use super::{buckets, crlf, Dir};

const HEADER: &str = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods";

/// Four users able to sign in, none with an exception yet: ann and bob registered, cy and
/// svc-backup not.
fn tenant() -> String {
    crlf(&[
        HEADER,
        "ann@x.com,False,PhoneAppOTP",
        "bob@x.com,False,OneWaySMS",
        "cy@x.com,False,",
        "svc-backup@x.com,False,",
    ])
}

/// Runs `audit ARGS`: exit code 2, `message` on standard error, and nothing written.
fn refused(d: &Dir, args: &[&str], message: &str) {
    let before = d.files();
    d.cmd()
        .arg("audit")
        .args(args)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(d.files(), before, "{args:?}: nothing written");
}

#[test]
fn exceptions_for_everyone_are_refused() {
    let d = Dir::new();
    d.write("t.csv", tenant());
    // Patterns that match the empty string match every user: refused as they are read.
    for pattern in ["", ".*", "^", "x?"] {
        refused(
            &d,
            &["t.csv", "--exclude", pattern, "--max-unregistered", "0"],
            "--exclude: the pattern",
        );
    }
    d.write("ex.txt", "# allowlist\nregex:\n");
    refused(
        &d,
        &["t.csv", "--exceptions", "ex.txt"],
        "ex.txt:2: the pattern \"\" matches the empty string",
    );
    // A pattern that matched all four users audited: refused after the last row.
    d.write(
        "ex2.csv",
        "UserPrincipalName,Reason\r\nregex:@x\\.com$,everyone\r\n",
    );
    refused(
        &d,
        &["t.csv", "--exceptions", "ex2.csv"],
        "ex2.csv:2: the exception \"regex:@x\\\\.com$\" matches every one of the 4 users",
    );
    // The same pattern is fine when one user it does not match is audited with them.
    d.write("t2.csv", format!("{}dee@y.com,False,\r\n", tenant()));
    let j = d.audit_json(&["t2.csv", "--exceptions", "ex2.csv"]);
    assert_eq!(j["excepted"], 4);
    // A pattern for the accounts it is meant for passes.
    let j = d.audit_json(&["t.csv", "--exclude", "^svc-"]);
    assert_eq!(
        (buckets(&j), j["excepted"].as_u64()),
        ((2, 1, 0, 0, 0), Some(1))
    );
}

#[test]
fn allowlists_covering_more_than_five_percent_are_a_finding() {
    let d = Dir::new();
    // 11 service accounts and 89 people (11% excepted, 11 users): a warning. 10 of 100 would
    // not be (not more than 10 users).
    let mut lines = vec![HEADER.to_owned()];
    for i in 0..11 {
        lines.push(format!("svc-{i}@x.com,False,"));
    }
    for i in 0..89 {
        lines.push(format!("user{i}@x.com,False,PhoneAppOTP"));
    }
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    d.write("t.csv", crlf(&refs));
    d.write(
        "ex.txt",
        "regex:^svc-, service accounts\nuser0@x.com, travelling\n",
    );
    let j = d.audit_json(&["t.csv", "--exceptions", "ex.txt"]);
    assert_eq!(j["excepted"], 12);
    let w = j["warnings"].to_string();
    assert!(
        w.contains(
            "exceptions cover 12 of the 100 users audited (12.0%, more than 5%): \
             \\\"regex:^svc-\\\" at ex.txt:1 (11 users), \\\"user0@x.com\\\" at ex.txt:2 (1 user)"
        ),
        "{w}"
    );
    // Ten service accounts excepted: not more than 10 users, no warning.
    d.write("ex.txt", "regex:^svc-[0-9]@\n");
    let j = d.audit_json(&["t.csv", "--exceptions", "ex.txt"]);
    assert_eq!(j["excepted"], 10);
    assert!(!j["warnings"].to_string().contains("allowlist this wide"));
}

#[test]
fn names_that_hide_something_are_named_with_their_line() {
    let d = Dir::new();
    let long = format!("{}@x.com,False,", "l".repeat(70));
    d.write(
        "u.csv",
        crlf(&[
            HEADER,
            "ann@x.com,False,PhoneAppOTP",
            // Line 3: ann again with a zero-width space: reads as ann, is another account.
            "ann\u{200b}@x.com,False,",
            // Line 4: a right-to-left override.
            "\u{202e}moc.x@bob,False,",
            // Line 5: a Cyrillic а (U+0430) in a Latin name.
            "\u{430}dmin@x.com,False,OneWaySMS",
            // Line 6: a byte order mark inside, and line 7 the same name without it.
            "c\u{feff}y@x.com,False,",
            "CY@x.com,False,OneWaySMS",
            // Line 8: 70 characters before the @: Entra allows 64.
            &long,
        ]),
    );
    let j = d.audit_json(&["u.csv"]);
    // The counts are what the file says: seven distinct accounts (the warnings qualify them).
    assert_eq!(buckets(&j), (3, 4, 0, 0, 0));
    let w: Vec<String> = j["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_owned())
        .collect();
    let has = |s: &str| assert!(w.iter().any(|x| x.contains(s)), "{s}\n{w:#?}");
    has("u.csv:3: the user principal name \"ann\\u{200b}@x.com\": it holds a zero-width character (U+200B)");
    has("u.csv:3: \"ann\\u{200b}@x.com\" reads as \"ann@x.com\" once its invisible characters are removed, as the user at u.csv:2 does: probably the same person twice");
    has("u.csv:4: the user principal name \"\\u{202e}moc.x@bob\": it holds a bidi control");
    has("u.csv:5: the user principal name \"аdmin@x.com\": it mixes Cyrillic and Latin letters in \"аdmin\"");
    has("u.csv:6: the user principal name \"c\\u{feff}y@x.com\": it holds a byte order mark (U+FEFF)");
    has("u.csv:7: \"CY@x.com\" reads as \"CY@x.com\" once its invisible characters are removed, as the user at u.csv:6 does");
    has("u.csv:8: the user principal name \"llllll");
    has("is 76 characters long (70 before the @); Entra ID allows 113 (64 before the @)");
    // Ordinary names, accented or not, are left alone.
    d.write(
        "ok.csv",
        crlf(&[HEADER, "åsa.lindström@x.se,False,", "ivan@пример.рф,False,"]),
    );
    let j = d.audit_json(&["ok.csv"]);
    assert_eq!(
        j["warnings"].as_array().unwrap().len(),
        0,
        "{}",
        j["warnings"]
    );
}

#[test]
fn a_boolean_column_nobody_can_read_stops_the_run() {
    let d = Dir::new();
    // A locale we do not know: not one cell says True or False.
    d.write(
        "de.csv",
        crlf(&[
            HEADER,
            "a@x.com,ja,PhoneAppOTP",
            "b@x.com,nein,",
            "c@x.com,nein,",
        ]),
    );
    refused(
        &d,
        &["de.csv"],
        "de.csv: the column \"BlockCredential\" holds no value mfa-audit can read as \
         True/False: \"ja\", \"nein\" (the first at de.csv:2)",
    );
    refused(&d, &["de.csv"], "--column blocked=HEADER");
    // One unreadable cell among readable ones stays a per-row unknown.
    d.write(
        "one.csv",
        crlf(&[HEADER, "a@x.com,ja,PhoneAppOTP", "b@x.com,False,"]),
    );
    assert_eq!(buckets(&d.audit_json(&["one.csv"])), (0, 1, 0, 1, 0));
    // The registration column: every cell unreadable, with readable methods to fall back on.
    d.write(
        "reg.csv",
        crlf(&[
            "UserPrincipalName,IsMfaRegistered,MethodsRegistered",
            "a@x.com,oui,microsoftAuthenticatorPush",
            "b@x.com,non,",
        ]),
    );
    refused(
        &d,
        &["reg.csv"],
        "reg.csv: the column \"IsMfaRegistered\" holds no value mfa-audit can read as \
         True/False: \"oui\", \"non\"",
    );
    // --accounts whose blocked column nobody can read would make every user unknown.
    d.write(
        "acc.csv",
        crlf(&[
            "UserPrincipalName,AccountEnabled",
            "a@x.com,oui",
            "b@x.com,non",
        ]),
    );
    d.write(
        "g.csv",
        crlf(&[
            "UserPrincipalName,IsMfaRegistered,MethodsRegistered",
            "a@x.com,True,microsoftAuthenticatorPush",
            "b@x.com,False,",
        ]),
    );
    refused(
        &d,
        &["g.csv", "--accounts", "acc.csv"],
        "--accounts acc.csv: the column \"AccountEnabled\" holds no value mfa-audit can read \
         as True/False: \"oui\", \"non\" (the first at acc.csv:2)",
    );
}

/// Graph's PowerShell export writes MethodsRegistered as System.String[], which is no loss
/// while IsMfaRegistered can be read; when it cannot, that cell is the cause and the fix.
#[test]
fn an_unreadable_registration_cell_is_named_not_the_method_list() {
    let d = Dir::new();
    d.write(
        "g.csv",
        crlf(&[
            "\"Id\",\"UserPrincipalName\",\"IsMfaRegistered\",\"MethodsRegistered\"",
            "\"1\",\"a@x.com\",\"True\",\"System.String[]\"",
            "\"2\",\"b@x.com\",\"ja\",\"System.String[]\"",
        ]),
    );
    let err = d.stderr_of(&["audit", "g.csv"], 2);
    assert!(
        err.contains(
            "g.csv:3: column 3 (\"IsMfaRegistered\") holds \"ja\", not True or False, and \
             \"MethodsRegistered\" holds \"System.String[]\""
        ),
        "{err}"
    );
    assert!(err.contains("--column registered=HEADER"), "{err}");
    assert!(!err.contains("Get-MsolUser"), "not an MSOnline fix: {err}");
}

/// A user listed twice in --accounts with different states is unknown, and both lines are
/// named.
#[test]
fn a_user_listed_twice_in_accounts_with_different_states_is_unknown() {
    let d = Dir::new();
    d.write(
        "g.csv",
        crlf(&[
            "UserPrincipalName,IsMfaRegistered,MethodsRegistered",
            "ann@x.com,True,microsoftAuthenticatorPush",
            "cy@x.com,True,microsoftAuthenticatorPush",
        ]),
    );
    d.write(
        "acc.csv",
        crlf(&[
            "UserPrincipalName,AccountEnabled",
            "ann@x.com,True",
            "cy@x.com,True",
            "CY@x.com,False",
        ]),
    );
    let j = d.audit_json(&["g.csv", "--accounts", "acc.csv"]);
    // ann can sign in and is registered; cy is enabled on one line and disabled on the other.
    assert_eq!(buckets(&j), (1, 0, 0, 1, 0));
    assert!(j["warnings"]
        .to_string()
        .contains("acc.csv:3 and acc.csv:4: --accounts lists CY@x.com twice"));
}
