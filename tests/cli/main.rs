//! Integration tests: the real `mfa-audit` binary on fixture files in a temporary folder.
//!
//! Fixtures are written here byte for byte (encodings, BOMs, CRLF) so that each test shows the
//! exact input it is about.

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;

use predicates::prelude::*;
use serde_json::Value;

mod action;
mod architecture;
mod audit_more;
mod commit;
mod controls;
mod corpus;
mod enforcement;
mod enforcement_admins;
mod enforcement_properties;
mod enforcement_status;
mod escaping;
mod formula_results;
mod gates;
mod graph;
mod html;
mod hygiene;
mod phone_end;
mod phone_end_gate;
mod policies_read;
mod properties;
mod readers;
mod readers12;
mod readers_more;
mod real_world;
mod samples_signins;
mod scripts;
mod signin_ca;
mod signin_explain;
mod signin_github;
mod signin_lang;
mod signin_locales;
mod signin_no_result;
mod signin_request_ids;
mod signin_steps;
mod signins;
mod util;
mod windows;
mod workbook12;
mod workbooks;

pub use util::{bin, mfa, Dir};

/// (registered, unregistered, blocked, unknown, duplicates) of a JSON summary, checking the
/// accounting invariant (with the users a filter excluded or an exception covers) on the way.
type Buckets = (u64, u64, u64, u64, u64);

fn buckets(j: &Value) -> Buckets {
    let n = |k: &str| j[k].as_u64().unwrap_or_else(|| panic!("{k} in {j}"));
    let b = (
        n("registered"),
        n("unregistered"),
        n("blocked"),
        n("unknown"),
        n("duplicates"),
    );
    assert_eq!(
        n("users"),
        b.0 + b.1 + b.2 + b.3 + b.4 + n("excluded") + n("excepted"),
        "users = sum of buckets in {j}"
    );
    b
}

fn crlf(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}

const PS51_HEADER: &str = "\"UserPrincipalName\",\"DisplayName\",\"BlockCredential\",\"StrongAuthenticationMethods\",\"StrongAuthenticationRequirements\"";

/// Windows PowerShell 5.1 `Export-Csv -Encoding UTF8`: BOM, #TYPE, all quoted, nulls unquoted.
fn ps51_export() -> Vec<u8> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(crlf(&[
        "#TYPE Selected.Microsoft.Online.Administration.User",
        PS51_HEADER,
        "\"ann@contoso.com\",\"Ann Lee\",\"False\",\"PhoneAppNotification,PhoneAppOTP\",\"Enforced\"",
        "\"bob@contoso.com\",\"Bob, Jr.\",\"False\",,",
        "\"cy@contoso.com\",\"Cy \"\"CJ\"\" Jones\",\"True\",\"OneWaySMS\",\"Enabled\"",
        "\"dee@contoso.com\",\"Dee\",,\"OneWaySMS\",",
        "\"asa@contoso.com\",\"Åsa Lindström\",\"False\",\"TwoWayVoiceMobile\",\"Enabled\"",
        "\"yamada@contoso.com\",\"山田 太郎\",\"True\",,",
    ]).into_bytes());
    bytes
}

#[test]
fn powershell_51_export_is_classified_as_the_seed_commands_do() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    let j = d.audit_json(&["users.csv"]);
    assert_eq!(buckets(&j), (2, 1, 2, 1, 0));
    assert_eq!(j["coverage_percent"], 66.67);
    assert_eq!(j["inputs"][0]["encoding"], "UTF-8 with BOM");
    assert_eq!(
        j["inputs"][0]["type_name"],
        "Selected.Microsoft.Online.Administration.User"
    );
    assert_eq!(j["status"]["Enforced"], 1);
    // Report: PowerShell's own format, blocked users left out, unknown users kept.
    assert_eq!(
        d.read("MFA_Report.csv"),
        crlf(&[
            "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"",
            "\"ann@contoso.com\",\"Enforced\",\"PhoneAppNotification, PhoneAppOTP\"",
            "\"bob@contoso.com\",\"Disabled\",\"\"",
            "\"dee@contoso.com\",\"Disabled\",\"OneWaySMS\"",
            "\"asa@contoso.com\",\"Enabled\",\"TwoWayVoiceMobile\"",
        ])
    );
    // The unknown user is named with file and physical line (BOM, #TYPE and header before it).
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("users.csv:6: dee@contoso.com: BlockCredential is empty"),
        "{warnings}"
    );
}

#[test]
fn lists_hold_the_registered_and_unregistered_users() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args([
            "audit",
            "users.csv",
            "--registered",
            "reg.csv",
            "--unregistered",
            "unreg.csv",
            "-q",
        ])
        .assert()
        .success();
    assert_eq!(
        d.read("reg.csv"),
        crlf(&[
            "\"UserPrincipalName\"",
            "\"ann@contoso.com\"",
            "\"asa@contoso.com\""
        ])
    );
    assert_eq!(
        d.read("unreg.csv"),
        crlf(&["\"UserPrincipalName\"", "\"bob@contoso.com\""])
    );
    for (bucket, want) in [
        ("registered", "ann@contoso.com\nasa@contoso.com\n"),
        ("unregistered", "bob@contoso.com\n"),
        ("blocked", "cy@contoso.com\nyamada@contoso.com\n"),
        ("unknown", "dee@contoso.com\n"),
    ] {
        d.cmd()
            .args(["list", bucket, "users.csv"])
            .assert()
            .success()
            .stdout(want.to_owned());
    }
}

#[test]
fn extra_columns_include_blocked_and_options_for_excel() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args([
            "audit",
            "users.csv",
            "--include-blocked",
            "--columns",
            "upn,display-name,registered,blocked,source",
            "--bom",
            "--newline",
            "lf",
            "-q",
        ])
        .assert()
        .success();
    let report = d.read("MFA_Report.csv");
    assert!(
        report.starts_with(
            "\u{feff}\"UserPrincipalName\",\"DisplayName\",\"Registered\",\"Blocked\",\"Source\"\n"
        ),
        "{report}"
    );
    assert!(
        report.contains(
            "\"cy@contoso.com\",\"Cy \"\"CJ\"\" Jones\",\"True\",\"True\",\"users.csv:5\"\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("\"dee@contoso.com\",\"Dee\",\"True\",\"Unknown\",\"users.csv:6\"\n"),
        "{report}"
    );
    assert!(
        report.contains("\"yamada@contoso.com\",\"山田 太郎\",\"False\",\"True\""),
        "{report}"
    );
    assert!(!report.contains('\r'));
}

#[test]
fn powershell_7_export_utf8_lf_no_type_line() {
    let d = Dir::new();
    d.write(
        "users.csv",
        "\"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods.MethodType\",\"StrongAuthenticationRequirements.State\"\n\
         \"a@x.com\",\"False\",\"PhoneAppOTP\",\"enforced\"\n\
         \"b@x.com\",\"False\",\"\",\"\"\n",
    );
    let j = d.audit_json(&["users.csv"]);
    assert_eq!(buckets(&j), (1, 1, 0, 0, 0));
    assert_eq!(j["inputs"][0]["encoding"], "UTF-8");
    assert!(d
        .read("MFA_Report.csv")
        .contains("\"a@x.com\",\"Enforced\",\"PhoneAppOTP\"\r\n"));
}

#[test]
fn swedish_excel_resave_semicolons_windows_1252_and_localised_booleans() {
    let d = Dir::new();
    let mut bytes =
        b"UserPrincipalName;DisplayName;BlockCredential;MFA Methods;MFA Status\r\n".to_vec();
    bytes.extend(b"asa@x.se;\xC5sa Lindstr\xF6m;FALSKT;PhoneAppOTP,OneWaySMS;Enforced\r\n");
    bytes.extend(b"olle@x.se;Olle;FALSKT;;\r\n");
    bytes.extend(b"bo@x.se;Bo;SANT;OneWaySMS;\r\n");
    bytes.extend(b";;;;\r\n");
    d.write("users.csv", bytes);
    let j = d.audit_json(&["users.csv", "--columns", "upn,display-name,methods"]);
    assert_eq!(buckets(&j), (1, 1, 1, 0, 0));
    assert_eq!(j["inputs"][0]["encoding"], "windows-1252");
    assert_eq!(j["inputs"][0]["encoding_source"], "guessed");
    assert_eq!(j["inputs"][0]["delimiter"], ";");
    assert_eq!(j["inputs"][0]["blank_rows"], 1);
    assert!(d
        .read("MFA_Report.csv")
        .contains("\"asa@x.se\",\"Åsa Lindström\",\"PhoneAppOTP, OneWaySMS\""));
}

#[test]
fn utf16_from_powershell_redirection_and_encoding_override() {
    let d = Dir::new();
    let text = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\nzoe@x.fr,False,PhoneAppOTP\r\nluc@x.fr,False,\r\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    d.write("le.csv", &le);
    let j = d.audit_json(&["le.csv"]);
    assert_eq!(buckets(&j), (1, 1, 0, 0, 0));
    assert_eq!(j["inputs"][0]["encoding"], "UTF-16LE with BOM");
    // Without a BOM it is recognised too.
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    d.write("be.csv", &be);
    assert_eq!(buckets(&d.audit_json(&["be.csv"])), (1, 1, 0, 0, 0));
    // --encoding overrides detection.
    d.write(
        "latin.csv",
        b"UPN,Blocked,Methods,DisplayName\nzoe@x.fr,False,OneWaySMS,Zo\xEB\n",
    );
    d.audit_json(&[
        "latin.csv",
        "--encoding",
        "iso-8859-15",
        "--columns",
        "upn,display-name",
    ]);
    assert!(d.read("MFA_Report.csv").contains("\"Zoë\""));
}

#[test]
fn microsofts_mfa_report_fed_back_in() {
    let d = Dir::new();
    d.write(
        "MFA_Report_in.csv",
        crlf(&[
            "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"",
            "\"a@x.com\",\"Enforced\",\"System.Object[]\"",
            "\"b@x.com\",\"Disabled\",\"PhoneAppOTP\"",
            "\"c@x.com\",\"Disabled\",\"\"",
        ]),
    );
    let j = d.audit_json(&["MFA_Report_in.csv"]);
    assert_eq!(buckets(&j), (2, 1, 0, 0, 0));
    assert_eq!(j["users_with_unnamed_methods"], 1);
    assert_eq!(j["blocked_excluded"], false);
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("blocked accounts could not be excluded"),
        "{warnings}"
    );
    assert!(warnings.contains("System.Object[]"), "{warnings}");
    let report = d.read("MFA_Report.csv");
    assert!(
        report.contains("\"a@x.com\",\"Enforced\",\"(2 or more methods; names not in input)\""),
        "{report}"
    );
    // The human summary puts the blocked-accounts warning first, loudly.
    d.cmd()
        .args(["audit", "MFA_Report_in.csv", "-o", "again.csv"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with(
            "WARNING: MFA_Report_in.csv has no blocked-sign-in column",
        ));
    // Our own report read back gives the same verdicts.
    let again = d.audit_json(&["MFA_Report.csv", "-o", "again.csv"]);
    assert_eq!(buckets(&again), (2, 1, 0, 0, 0));
    assert_eq!(d.read("again.csv"), report);
}

#[test]
fn no_state_column_is_unknown_status_not_disabled() {
    let d = Dir::new();
    d.write(
        "u.csv",
        "UPN,BlockCredential,Methods\na@x.com,False,OneWaySMS\n",
    );
    let j = d.audit_json(&["u.csv"]);
    assert_eq!(j["status"]["Unknown"], 1);
    assert!(d
        .read("MFA_Report.csv")
        .contains("\"a@x.com\",\"Unknown\",\"OneWaySMS\""));
}

#[test]
fn raw_export_that_lost_the_methods_is_refused_and_nothing_is_written() {
    let d = Dir::new();
    d.write("MFA_Report.csv", "previous report\r\n");
    d.write(
        "raw.csv",
        crlf(&[
            "#TYPE Microsoft.Online.Administration.User",
            "\"BlockCredential\",\"State\",\"StrongAuthenticationMethods\",\"StrongAuthenticationRequirements\",\"UserPrincipalName\"",
            "\"False\",\"WA\",\"System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationMethod]\",\"System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationRequirement]\",\"a@x.com\"",
        ]),
    );
    d.cmd()
        .args([
            "audit",
            "raw.csv",
            "--registered",
            "reg.csv",
            "--json",
            "s.json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "raw.csv:3: column 3 (\"StrongAuthenticationMethods\")",
        ))
        .stderr(predicate::str::contains("lost every user's MFA methods"))
        .stderr(predicate::str::contains(
            "Get-MsolUser -All | Select-Object",
        ));
    assert_eq!(d.read("MFA_Report.csv"), "previous report\r\n");
    assert_eq!(
        d.files(),
        vec!["MFA_Report.csv", "raw.csv"],
        "no new or temporary files"
    );
}

#[test]
fn bad_inputs_exit_2_with_file_line_and_fix() {
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.csv", b"", "empty.csv: the file holds nothing"),
        ("bom.csv", b"\xEF\xBB\xBF", "the file holds nothing"),
        ("type.csv", b"#TYPE Microsoft.Online.Administration.User\r\n", "only a #TYPE line"),
        ("noupn.csv", b"Name,Blocked,Methods\r\nann,False,x\r\n", "noupn.csv:1: no user principal name column"),
        ("nomethods.csv", b"UserPrincipalName,BlockCredential\r\na@x,False\r\n", "no MFA methods column"),
        ("png.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "this is a PNG image"),
        ("zip.csv", b"PK\x03\x04\x14\0\0\0", "zip.csv: cannot read the workbook"),
        ("nul-byte.csv", b"UserPrincipalName,Methods\r\na@x\0,b\r\n", "NUL byte"),
        (
            "mixed.csv",
            "UPN,Blocked,Methods,DisplayName\na@x,False,,Åsa Ström\nb@x,False,,Jürgen Müller\nc@x,False,,Zoë Dupré\n"
                .bytes()
                .chain(*b"d@x,False,T\xE9l\xE9phone,Bo\n")
                .collect::<Vec<u8>>()
                .leak(),
            "mixed.csv:5: column 3 (\"Methods\") is not valid UTF-8 text",
        ),
        (
            "split.csv",
            b"UPN,Blocked,Methods\na@x,False,x\n\"b@x\nc@x\",False,x\n",
            "split.csv:3: the user principal name spans several lines",
        ),
    ];
    for (name, bytes, message) in cases {
        refused(name, bytes, message);
    }
}

/// Audits `bytes` saved as `name`: exit code 2, `message` on stderr, no panic, nothing written.
fn refused(name: &str, bytes: &[u8], message: &str) -> assert_cmd::assert::Assert {
    let d = Dir::new();
    d.write(name, bytes);
    let assert = d
        .cmd()
        .args(["audit", name])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(d.files(), vec![name.to_string()], "{name}: nothing written");
    assert
}

#[test]
fn header_only_export_is_a_valid_empty_audit() {
    let d = Dir::new();
    d.write("u.csv", format!("#TYPE X\r\n{PS51_HEADER}\r\n"));
    let j = d.audit_json(&["u.csv"]);
    assert_eq!(buckets(&j), (0, 0, 0, 0, 0));
    assert_eq!(j["coverage_percent"], Value::Null);
    assert_eq!(
        d.read("MFA_Report.csv"),
        "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"\r\n"
    );
}

#[test]
fn duplicates_across_inputs_are_counted_once_and_named() {
    let d = Dir::new();
    d.write(
        "a.csv",
        "UPN,BlockCredential,Methods\nann@x.com,False,OneWaySMS\nbob@x.com,False,\n",
    );
    d.write("b.csv", "UPN,BlockCredential,Methods\nANN@X.COM,False,OneWaySMS\nbob@x.com,True,\ncat@x.com,False,\n");
    let j = d.audit_json(&["a.csv", "b.csv"]);
    assert_eq!(buckets(&j), (1, 2, 0, 0, 2));
    let w = j["warnings"].to_string();
    assert!(
        w.contains("b.csv:2: ANN@X.COM repeats the user at a.csv:2; counted once"),
        "{w}"
    );
    assert!(w.contains("b.csv:3: bob@x.com repeats the user at a.csv:3 but disagrees with it (there: unregistered, here: blocked)"), "{w}");
    assert_eq!(d.read("MFA_Report.csv").lines().count(), 4);
}

#[test]
fn strict_turns_a_warning_into_exit_2_without_outputs() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "--strict"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("users.csv:6: dee@contoso.com"))
        .stderr(predicate::str::contains("--strict"));
    assert!(!d.exists("MFA_Report.csv"));
}

#[test]
fn outputs_never_overwrite_inputs_or_each_other() {
    let d = Dir::new();
    d.write("users.csv", ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "-o", "users.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is also an input"));
    assert_eq!(fs::read(d.path("users.csv")).unwrap(), ps51_export());
    d.cmd()
        .args(["audit", "users.csv", "-o", "-", "--json", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("both write to standard output"));
}

#[test]
fn stdin_and_stdout() {
    let d = Dir::new();
    d.cmd()
        .args(["audit", "-", "-o", "-", "-q"])
        .write_stdin(ps51_export())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"\r\n\"ann@contoso.com\"",
        ));
    let out = d
        .cmd()
        .args(["audit", "-", "--json", "-", "-q"])
        .write_stdin(ps51_export())
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["inputs"][0]["path"], "<stdin>");
    assert_eq!(buckets(&j), (2, 1, 2, 1, 0));
}

#[test]
fn formulas_in_cells_are_neutralised() {
    let d = Dir::new();
    d.write("u.csv", "UPN,BlockCredential,Methods,DisplayName\n\"a@x.com\",False,,\"=HYPERLINK(\"\"http://evil\"\")\"\n\"b@x.com\",False,,+1\n");
    d.audit_json(&["u.csv", "--columns", "upn,display-name"]);
    let r = d.read("MFA_Report.csv");
    assert!(r.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{r}");
    assert!(r.contains("\"'+1\""), "{r}");
    d.audit_json(&["u.csv", "--columns", "upn,display-name", "--no-sanitize"]);
    assert!(d.read("MFA_Report.csv").contains("\"=HYPERLINK("));
}

#[test]
fn column_overrides_and_aliases() {
    let d = Dir::new();
    d.write(
        "u.csv",
        "Login,Konto gesperrt,Verfahren\na@x.de,WAHR,OneWaySMS\nb@x.de,FALSCH,PhoneAppOTP\n",
    );
    d.cmd()
        .args(["audit", "u.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--column upn=HEADER"));
    let j = d.audit_json(&[
        "u.csv",
        "--column",
        "upn=Login",
        "--column",
        "blocked=Konto gesperrt",
        "--column",
        "methods=Verfahren",
    ]);
    assert_eq!(buckets(&j), (1, 0, 1, 0, 0));
}

#[test]
fn ascii_start_then_legacy_text_switches_encoding_with_a_warning() {
    let d = Dir::new();
    let mut bytes = b"UPN,BlockCredential,Methods,DisplayName\n".to_vec();
    for i in 0..3000 {
        bytes.extend(format!("user{i}@x.com,False,OneWaySMS,Plain Name {i}\n").into_bytes());
    }
    bytes.extend(b"zoe@x.com,False,,Zo\xEB Dupr\xE9\n");
    assert!(bytes.len() > 64 * 1024, "past the detection sample");
    d.write("u.csv", bytes);
    let j = d.audit_json(&["u.csv", "--columns", "upn,display-name"]);
    assert_eq!(j["users"], 3001);
    assert!(j["warnings"]
        .to_string()
        .contains("u.csv:3002: the first non-ASCII text is not UTF-8"));
    assert!(d.read("MFA_Report.csv").contains("\"Zoë Dupré\""));
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    mfa().args(["audit"]).assert().code(2);
    mfa().args(["audit", "--nope", "x.csv"]).assert().code(2);
    mfa()
        .args(["audit", "x.csv", "--columns", "upn,colour"])
        .assert()
        .code(2);
    mfa()
        .args(["audit", "does-not-exist.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot open does-not-exist.csv"));
    mfa()
        .args(["audit", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit codes:"));
    mfa().arg("--version").assert().success();
}

#[test]
#[cfg_attr(windows, ignore = "needs bash and head")]
fn broken_pipe_is_not_an_error() {
    let d = Dir::new();
    let mut big = String::from("UPN,BlockCredential,Methods\n");
    for i in 0..200_000 {
        big.push_str(&format!("user{i}@x.com,False,OneWaySMS\n"));
    }
    d.write("big.csv", big);
    let bin = bin();
    let status = StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "'{}' list registered big.csv | head -n 1 >/dev/null; exit ${{PIPESTATUS[0]}}",
            bin.display()
        ))
        .current_dir(d.path(""))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn duplicate_headers_first_wins_with_a_warning() {
    let d = Dir::new();
    d.write(
        "u.csv",
        "UPN,BlockCredential,Methods,blockcredential\na@x.com,False,OneWaySMS,True\n",
    );
    let j = d.audit_json(&["u.csv"]);
    assert_eq!(buckets(&j), (1, 0, 0, 0, 0));
    assert!(j["warnings"]
        .to_string()
        .contains("appears in columns 2 and 4; column 2 is used"));
}

/// Every shipped sample is audited (or refused) as samples/README.md says: the same tenant in
/// every shape gives the same verdicts.
#[test]
fn shipped_samples() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let sample = |name: &str| samples.join(name).to_str().unwrap().to_string();
    let accounts = sample("accounts.csv");
    let with_accounts = ["--accounts", accounts.as_str()];
    let cases: &[(&str, &[&str], Buckets)] = &[
        ("msonline-ps51.csv", &[], (25, 14, 7, 2, 0)),
        ("msonline-ps7.csv", &[], (25, 14, 7, 2, 0)),
        ("msonline-excel-sv.csv", &[], (25, 14, 7, 2, 0)),
        ("msonline-openpyxl.xlsx", &[], (25, 14, 7, 2, 0)),
        ("msonline-xlwt.xls", &[], (25, 14, 7, 2, 0)),
        // Graph's registration details joined with the user list: the full semantics again.
        (
            "graph-registration-details.csv",
            &with_accounts,
            (25, 14, 7, 2, 0),
        ),
        (
            "entra-registration-details.csv",
            &with_accounts,
            (25, 14, 7, 2, 0),
        ),
        (
            "graph-registration-details.json",
            &with_accounts,
            (25, 14, 7, 2, 0),
        ),
        // No blocked column: the 7 blocked users are counted by their methods.
        ("MFA_Report.csv", &[], (28, 20, 0, 0, 0)),
        ("graph-registration-details.csv", &[], (28, 20, 0, 0, 0)),
    ];
    let mut lists = Vec::new();
    for (name, extra, expected) in cases {
        let d = Dir::new();
        let input = sample(name);
        let mut args = vec![input.as_str(), "-o", "out.csv", "--registered", "reg.csv"];
        args.extend_from_slice(extra);
        let j = d.audit_json(&args);
        assert_eq!(buckets(&j), *expected, "{name} {extra:?}");
        lists.push(d.read("reg.csv"));
    }
    // Every shape of the full data names the same registered users.
    for (i, list) in lists.iter().enumerate().take(8) {
        assert_eq!(list, &lists[0], "{}", cases[i].0);
    }
    // The README's session: the report and the summary of the first sample.
    let d = Dir::new();
    d.cmd()
        .args(["audit", &sample("msonline-ps51.csv")])
        .assert()
        .success()
        .stderr(predicate::str::contains("Coverage     64.1%"))
        .stderr(predicate::str::contains(
            "msonline-ps51.csv:21: isaiah.langer@contoso.com",
        ));
    let report = d.read("MFA_Report.csv");
    assert_eq!(
        report.lines().count(),
        1 + 25 + 14 + 2,
        "blocked users left out"
    );
    assert!(report.contains(
        "\"alex.wilber@contoso.com\",\"Enforced\",\"PhoneAppNotification, PhoneAppOTP, OneWaySMS\""
    ));
    d.cmd()
        .args(["audit", &sample("msonline-raw-export.csv")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lost every user's MFA methods"));
}

/// A large generated export (about `rows` users) for tests that need a run to take a while.
fn big_export(rows: usize) -> String {
    let mut s = String::with_capacity(rows * 60);
    s.push_str("UserPrincipalName,BlockCredential,StrongAuthenticationMethods,DisplayName\n");
    for i in 0..rows {
        s.push_str(&format!(
            "user{i}@contoso.com,False,PhoneAppOTP,User Number {i}\n"
        ));
    }
    s
}

#[test]
#[cfg_attr(windows, ignore = "needs kill -INT")]
fn ctrl_c_leaves_the_old_report_and_no_temporary_file() {
    let d = Dir::new();
    d.write("big.csv", big_export(3_000_000));
    d.write("MFA_Report.csv", "previous report\r\n");
    let bin = bin();
    let mut child = StdCommand::new(bin)
        .args(["audit", "big.csv", "-q"])
        .current_dir(d.path(""))
        .spawn()
        .unwrap();
    // Wait until the run is under way (its temporary report exists), then interrupt it.
    let started = std::time::Instant::now();
    while !d.files().iter().any(|f| f.ends_with(".mfa-audit.tmp")) {
        assert!(started.elapsed().as_secs() < 20, "the audit never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    StdCommand::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "interrupted runs exit with 130");
    assert_eq!(d.read("MFA_Report.csv"), "previous report\r\n");
    assert_eq!(d.files(), vec!["MFA_Report.csv", "big.csv"]);
}

/// The README's session is what the tool prints today.
#[test]
fn readme_session_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    // --today: the summary counts the days to the end of SMS and voice.
    let command = "$ mfa-audit audit samples/msonline-ps51.csv --registered registered.csv --unregistered unregistered.csv --today 2026-11-25\n";
    let start = readme.find(command).expect("the session in the README") + command.len();
    let end = start + readme[start..].find("\n\n$ head").unwrap();
    let d = Dir::new();
    fs::create_dir(d.path("samples")).unwrap();
    fs::copy(
        root.join("samples/msonline-ps51.csv"),
        d.path("samples/msonline-ps51.csv"),
    )
    .unwrap();
    let out = d
        .cmd()
        .args([
            "audit",
            "samples/msonline-ps51.csv",
            "--registered",
            "registered.csv",
            "--unregistered",
            "unregistered.csv",
            "--today",
            "2026-11-25",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        &readme[start..end],
        "update the README's session"
    );
}
