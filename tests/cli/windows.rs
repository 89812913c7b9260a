//! What differs on Windows, checked through the binary: output names that differ only in case
//! (one file on Windows and macOS), the program name in the help and in the HTML report (not
//! the path of `mfa-audit.exe`), and OS errors in the same words everywhere. The same cases run
//! against the Windows build under Wine in `scripts/windows/compare.sh`.

use crate::util::Dir;

const USERS: &str = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
a@contoso.com,False,PhoneAppOTP\r\n\
b@contoso.com,False,\r\n";

#[test]
fn outputs_differing_in_case_are_one_file_where_names_ignore_case() {
    let d = Dir::new();
    d.write("users.csv", USERS);
    let args = [
        "audit",
        "users.csv",
        "-o",
        "r.csv",
        "--registered",
        "R.CSV",
        "-q",
    ];
    if cfg!(any(windows, target_os = "macos")) {
        // One file: the registered list would silently replace the report.
        let err = d.stderr_of(&args, 2);
        assert!(err.contains("file names ignore case"), "{err}");
        assert_eq!(d.files(), ["users.csv"], "nothing is written");
    } else {
        // Two files on a case-sensitive file system, each with its own content.
        d.cmd().args(args).assert().success();
        assert!(d
            .read("r.csv")
            .starts_with("\"UserPrincipalName\",\"MFA Status\""));
        assert_eq!(
            d.read("R.CSV").lines().count(),
            2,
            "header and a@contoso.com"
        );
    }
}

#[test]
fn help_and_html_name_the_program_not_its_path() {
    let d = Dir::new();
    d.write("users.csv", USERS);
    let help = d
        .cmd()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(help).unwrap();
    assert!(help.contains("Usage: mfa-audit "), "{help}");
    assert!(!help.contains(".exe"), "{help}");
    d.cmd()
        .args(["audit", "users.csv", "--html", "h.html", "-q"])
        .assert()
        .success();
    let page = d.read("h.html");
    // The binary runs from target/; its path (which on Windows holds the user's name) must
    // not be on the page.
    let path = crate::util::bin().display().to_string();
    assert!(
        !page.contains(&path),
        "the executable's path is on the page"
    );
    assert!(
        page.contains("<code>mfa-audit audit users.csv --html h.html -q</code>"),
        "the command line as typed"
    );
}

#[test]
fn os_errors_read_the_same_on_every_system() {
    let d = Dir::new();
    let err = d.stderr_of(&["audit", "missing.csv"], 2);
    assert_eq!(
        err,
        "mfa-audit: error: cannot open missing.csv\n  caused by: no such file or directory\n"
    );
}
