//! Files as they come back from spreadsheet programs in other languages, and gates on files
//! that cannot be measured.

use super::Dir;

/// One export re-saved by LibreOffice Calc (or Excel) in a locale, with its words for TRUE and
/// FALSE in the BlockCredential column: the verdicts are those of the English file.
#[test]
fn booleans_in_every_locale_a_spreadsheet_writes() {
    // (locale, TRUE word, FALSE word), as LibreOffice's locale data and Excel write them.
    let locales = [
        ("nb", "SANN", "USANN"),
        ("no (older LibreOffice)", "SANT", "USANT"),
        ("is", "RÉTT", "RANGT"),
        ("et", "TÕENE", "VÄÄR"),
        ("lv", "PATIESS", "APLAMS"),
        ("lt", "TEISINGAI", "NETEISINGAI"),
        ("ro", "ADEVĂRAT", "FALS"),
        ("bg", "ВЯРНО", "НЕВЯРНО"),
        ("el", "ΣΩΣΤΌ", "ΛΆΘΟΣ"),
        ("uk", "ІСТИНА", "БРЕХНЯ"),
        ("zh-TW", "真", "假"),
        ("ko", "참", "거짓"),
        ("ca", "VERITAT", "FALS"),
        ("hr", "TOČNO", "NETOČNO"),
        ("sr", "ТАЧНО", "НЕТАЧНО"),
        ("vi", "ĐÚNG", "SAI"),
        ("id", "BENAR", "SALAH"),
        ("eu", "EGIAZKOA", "FALTSUA"),
        ("th", "จริง", "เท็จ"),
        ("ar", "صح", "خطأ"),
        ("tr", "DOĞRU", "YANLIŞ"),
    ];
    for (locale, yes, no) in locales {
        let d = Dir::new();
        d.write(
            "users.csv",
            format!(
                "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
                 a@x.com,{no},PhoneAppNotification\r\n\
                 b@x.com,{no},\r\n\
                 c@x.com,{yes},OneWaySMS\r\n"
            ),
        );
        let j = d.audit_json(&["users.csv"]);
        let got = (
            j["registered"].as_u64(),
            j["unregistered"].as_u64(),
            j["blocked"].as_u64(),
            j["unknown"].as_u64(),
        );
        assert_eq!(
            got,
            (Some(1), Some(1), Some(1), Some(0)),
            "{locale}: {yes}/{no}"
        );
    }
}

/// A file in which no user can be classified has no coverage: the gates fail, loudly. (One
/// blocked user, since a column with no readable cell at all is refused before any gate.)
#[test]
fn a_gate_that_cannot_be_measured_fails() {
    let d = Dir::new();
    d.write(
        "users.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
         a@x.com,?,PhoneAppNotification\r\n\
         b@x.com,?,\r\n\
         c@x.com,True,\r\n",
    );
    let stderr = d.stderr_of(
        &[
            "audit",
            "users.csv",
            "--fail-under",
            "90",
            "--max-unregistered",
            "0",
        ],
        1,
    );
    assert!(
        stderr.contains("FAIL  fail-under: coverage n/a"),
        "{stderr}"
    );
    assert!(stderr.contains("FAIL  max-unregistered: n/a"), "{stderr}");
}

/// A method name nobody knows still counts (future methods are real), but the headline says
/// how many users it alone made registered, and --fail-on-unknown fails on them.
#[test]
fn users_registered_only_by_unknown_names_are_named_in_the_headline() {
    let d = Dir::new();
    d.write(
        "users.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
         a@x.com,False,PhoneAppNotification\r\n\
         b@x.com,False,Maybe\r\n\
         c@x.com,False,\"email, Maybe\"\r\n",
    );
    let j = d.audit_json(&["users.csv"]);
    assert_eq!(j["registered"], 3);
    assert_eq!(j["registered_by_unrecognised_names"], 2);
    let stderr = d.stderr_of(&["audit", "users.csv", "--fail-on-unknown"], 1);
    assert!(
        stderr.contains("of which       2  registered only by method names mfa-audit does not know: \"Maybe\" (2)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("FAIL  fail-on-unknown: 0 users with an unreadable sign-in state; 2 registered only by method names"),
        "{stderr}"
    );
}

/// A Japanese export whose only Japanese text is half-width katakana, saved in Shift_JIS by
/// Excel: detected as Shift_JIS (statistical detection guessed Cyrillic).
#[test]
fn halfwidth_katakana_in_shift_jis() {
    let d = Dir::new();
    let text = "UserPrincipalName,DisplayName,BlockCredential,StrongAuthenticationMethods\r\n\
                u0@x.jp,ﾔﾏﾀﾞ ﾀﾛｳ,False,PhoneAppOTP\r\n\
                u1@x.jp,ｻﾄｳ ｹﾝ,False,\r\n";
    d.write("users.csv", encoding_rs::SHIFT_JIS.encode(text).0);
    d.cmd()
        .args(["audit", "users.csv", "--columns", "upn,display-name", "-q"])
        .assert()
        .success();
    assert_eq!(
        d.read("MFA_Report.csv"),
        "\"UserPrincipalName\",\"DisplayName\"\r\n\"u0@x.jp\",\"ﾔﾏﾀﾞ ﾀﾛｳ\"\r\n\"u1@x.jp\",\"ｻﾄｳ ｹﾝ\"\r\n"
    );
}
