//! Gates, exceptions, diff and the CI outputs: exit codes at each threshold's boundary, outputs
//! written either way, and the same bytes from the same input.

use predicates::prelude::*;
use serde_json::Value;

use super::{buckets, crlf, Dir};

/// Three registered users, one unregistered (coverage 75%), one blocked; admin@ is an admin
/// with SMS only, svc-backup has no method.
fn tenant() -> String {
    crlf(&[
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods,IsAdmin",
        "ann@x.com,False,PhoneAppNotification,False",
        "bob@x.com,False,\"OneWaySMS,TwoWayVoiceMobile\",False",
        "admin@x.com,False,OneWaySMS,True",
        "svc-backup@x.com,False,,False",
        "gone@x.com,True,,False",
    ])
}

/// Runs audit with `args` (plus --json s.json -q); returns the exit code and the summary.
fn run(d: &Dir, args: &[&str]) -> (i32, Value) {
    let out = d
        .cmd()
        .arg("audit")
        .args(args)
        .args(["--json", "s.json", "-q"])
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code, serde_json::from_str(&d.read("s.json")).unwrap())
}

#[test]
fn each_gate_passes_at_its_boundary_and_fails_past_it() {
    let d = Dir::new();
    d.write("t.csv", tenant());
    let cases: &[(&[&str], i32)] = &[
        (&["--fail-under", "75"], 0),
        (&["--fail-under", "75.01"], 1),
        (&["--max-unregistered", "1"], 0),
        (&["--max-unregistered", "0"], 1),
        (&["--fail-on-unknown"], 0),
        (&["--require", "^admin@"], 0),
        (&["--require", "^SVC-"], 1),
        (&["--require-admins"], 0),
        (&["--fail-on-phone-only"], 1),
        (&["--fail-under", "50", "--max-unregistered", "5"], 0),
    ];
    for (gate_args, want) in cases {
        let mut args = vec!["t.csv", "-o", "r.csv"];
        args.extend_from_slice(gate_args);
        std::fs::remove_file(d.path("r.csv")).ok();
        let (code, j) = run(&d, &args);
        assert_eq!(code, *want, "{gate_args:?}: {}", j["gates"]);
        assert_eq!(j["passed"], *want == 0, "{gate_args:?}");
        // Outputs are written whether the gates pass or not.
        assert!(d.exists("r.csv"), "{gate_args:?}");
    }
    let (_, j) = run(&d, &["t.csv", "--require", "^svc-", "--fail-on-phone-only"]);
    assert_eq!(j["gates"][0]["name"], "require ^svc-");
    assert_eq!(
        j["gates"][0]["users"],
        serde_json::json!(["svc-backup@x.com"])
    );
    // Bob has SMS and voice: phone only; the admin has SMS.
    assert_eq!(
        j["gates"][1]["users"],
        serde_json::json!(["bob@x.com", "admin@x.com"])
    );
    // The human summary names each gate and the exit code.
    d.cmd()
        .args(["audit", "t.csv", "-o", "r.csv", "--fail-under", "80"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Gates: 1 of 1 FAILED (exit code 1)",
        ))
        .stderr(predicate::str::contains(
            "FAIL  fail-under: coverage 75% (registered 3 of 4); at least 80% required",
        ));
    // Unknown sign-in state, and an input that cannot exclude blocked users, fail it.
    // (b@x's readable cell keeps the column from being refused as unreadable throughout.)
    d.write(
        "u.csv",
        "UPN,BlockCredential,Methods\r\na@x,,OneWaySMS\r\nb@x,False,OneWaySMS\r\n",
    );
    assert_eq!(run(&d, &["u.csv", "-o", "r.csv", "--fail-on-unknown"]).0, 1);
    d.write("nb.csv", "UPN,Methods\r\na@x,OneWaySMS\r\n");
    assert_eq!(
        run(&d, &["nb.csv", "-o", "r.csv", "--fail-on-unknown"]).0,
        1
    );
    d.cmd()
        .args(["audit", "t.csv", "--fail-under", "120"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--fail-under: 120 is not a percentage",
        ));
}

#[test]
fn exceptions_leave_gates_and_lists_but_stay_visible() {
    let d = Dir::new();
    d.write("t.csv", tenant());
    d.write(
        "ex.csv",
        "UserPrincipalName,Reason,Expires,Owner\r\n\
         regex:^svc-,service account,2026-12-31,it\r\n\
         nobody@x.com,left in 2024,,hr\r\n\
         bob@x.com,travelling,2026-11-01,secops\r\n",
    );
    let args = [
        "t.csv",
        "--exceptions",
        "ex.csv",
        "--today",
        "2026-11-23",
        "--max-unregistered",
        "0",
        "--excepted",
        "excepted.csv",
        "--unregistered",
        "todo.csv",
        "--columns",
        "upn,exception",
    ];
    let (code, j) = run(&d, &args);
    assert_eq!(code, 0, "svc-backup is excepted: no unregistered user left");
    assert_eq!(buckets(&j), (3, 0, 1, 0, 0));
    assert_eq!(j["excepted"], 1);
    assert_eq!(
        d.read("excepted.csv"),
        crlf(&[
            "\"UserPrincipalName\",\"Reason\",\"Expires\",\"Owner\",\"Exception\"",
            "\"svc-backup@x.com\",\"service account\",\"2026-12-31\",\"it\",\"regex:^svc-\"",
        ])
    );
    assert_eq!(d.read("todo.csv"), crlf(&["\"UserPrincipalName\""]));
    assert!(d
        .read("MFA_Report.csv")
        .contains("\"svc-backup@x.com\",\"Excepted\""));
    let warnings = j["warnings"].to_string();
    assert!(
        warnings.contains("ex.csv:4: the exception for bob@x.com expired on 2026-11-01"),
        "{warnings}"
    );
    assert!(
        warnings.contains("ex.csv:3: the exception for nobody@x.com matches no user"),
        "{warnings}"
    );
    // After its expiry date the exception no longer applies, and the gate fails.
    let mut later = args.to_vec();
    later[4] = "2027-01-01";
    assert_eq!(run(&d, &later).0, 1);
    // --exclude: the quick form; list shows the excepted users.
    let (code, _) = run(
        &d,
        &["t.csv", "--exclude", "^svc-", "--max-unregistered", "0"],
    );
    assert_eq!(code, 0);
    d.cmd()
        .args(["list", "excepted", "t.csv", "--exclude", "^SVC-"])
        .assert()
        .success()
        .stdout("svc-backup@x.com\n");
    d.write("bad.txt", "a@x.com, reason, 31/12/2026\n");
    d.cmd()
        .args(["audit", "t.csv", "--exceptions", "bad.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.txt:1: expiry \"31/12/2026\" is not a date written YYYY-MM-DD",
        ));
}

#[test]
fn junit_github_summary_and_identical_bytes() {
    let d = Dir::new();
    d.write("t.csv", tenant());
    let args = [
        "audit",
        "t.csv",
        "-o",
        "r.csv",
        "--json",
        "s.json",
        "--junit",
        "j.xml",
        "--registered",
        "reg.csv",
        "--fail-under",
        "80",
        "-q",
        "--github-summary",
    ];
    let out = d
        .cmd()
        .args(args)
        .env("GITHUB_STEP_SUMMARY", d.path("summary.md"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "::error title=mfa-audit gate fail-under::coverage 75%25 (registered 3 of 4); at least 80%25 required\n"
    );
    let md = d.read("summary.md");
    assert!(md.contains("| Unregistered | 1 |"), "{md}");
    assert!(md.contains("| `fail-under` | ❌ fail |"), "{md}");

    // The JUnit report parses, with a case per gate and per unregistered user.
    let xml = d.read("j.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (Vec::new(), 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    "testcase" => {
                        let name = e.try_get_attribute("name").unwrap().unwrap();
                        cases.push(name.value.to_string());
                    }
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(cases, ["fail-under", "svc-backup@x.com"]);
    assert_eq!(failures, 2);

    // Same input, same bytes: every output of a second run is identical.
    let first: Vec<Vec<u8>> = ["r.csv", "s.json", "j.xml", "reg.csv"]
        .iter()
        .map(|f| std::fs::read(d.path(f)).unwrap())
        .collect();
    d.cmd().args(args).assert().code(1);
    for (f, bytes) in ["r.csv", "s.json", "j.xml", "reg.csv"].iter().zip(first) {
        assert_eq!(std::fs::read(d.path(f)).unwrap(), bytes, "{f}");
    }
    assert!(!d.read("s.json").contains("generated_at"));
    d.cmd()
        .args([
            "audit",
            "t.csv",
            "-o",
            "r.csv",
            "--json",
            "t.json",
            "--timestamp",
            "-q",
        ])
        .assert()
        .success();
    let stamped: Value = serde_json::from_str(&d.read("t.json")).unwrap();
    let at = stamped["generated_at"].as_str().unwrap();
    assert!(
        at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "{at}"
    );
}

#[test]
fn diff_names_every_change_and_fails_on_regression() {
    let d = Dir::new();
    d.write(
        "before.csv",
        crlf(&[
            "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"",
            "\"ann@x.com\",\"Enforced\",\"PhoneAppNotification\"",
            "\"bob@x.com\",\"Disabled\",\"\"",
            "\"cy@x.com\",\"Enabled\",\"OneWaySMS\"",
            "\"dee@x.com\",\"Disabled\",\"OneWaySMS\"",
        ]),
    );
    d.write(
        "after.csv",
        crlf(&[
            "UserPrincipalName,BlockCredential,StrongAuthenticationMethods,StrongAuthenticationRequirements",
            "ANN@x.com,False,,Enabled",
            "bob@x.com,False,fido2,",
            "dee@x.com,True,OneWaySMS,",
            "eve@x.com,False,,",
        ]),
    );
    d.cmd()
        .args([
            "diff",
            "before.csv",
            "after.csv",
            "-o",
            "changes.csv",
            "--json",
            "d.json",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("8 changes"))
        .stderr(predicate::str::contains(
            "ANN@x.com: lost-registration (registered -> unregistered)",
        ));
    assert_eq!(
        d.read("changes.csv"),
        crlf(&[
            "\"UserPrincipalName\",\"Change\",\"Before\",\"After\"",
            "\"ANN@x.com\",\"lost-registration\",\"registered\",\"unregistered\"",
            "\"ANN@x.com\",\"status-down\",\"Enforced\",\"Enabled\"",
            "\"ANN@x.com\",\"methods-changed\",\"PhoneAppNotification\",\"\"",
            "\"bob@x.com\",\"became-registered\",\"unregistered\",\"registered\"",
            "\"bob@x.com\",\"methods-changed\",\"\",\"fido2\"",
            "\"dee@x.com\",\"blocked\",\"registered\",\"blocked\"",
            "\"eve@x.com\",\"appeared-unregistered\",\"\",\"unregistered\"",
            "\"cy@x.com\",\"disappeared\",\"registered\",\"\"",
        ])
    );
    d.cmd()
        .args(["diff", "before.csv", "after.csv", "--html", "d.html", "-q"])
        .assert()
        .success();
    let page = d.read("d.html");
    assert!(page.contains("8 changes from before.csv to after.csv (someone lost registration"));
    assert!(page.contains("<td>ANN@x.com</td><td>lost-registration</td>"));
    assert!(!page.contains("<script"), "no script needed");
    let j: Value = serde_json::from_str(&d.read("d.json")).unwrap();
    assert_eq!(j["regression"], true);
    assert_eq!(j["counts"]["lost-registration"], 1);
    d.cmd()
        .args([
            "diff",
            "before.csv",
            "after.csv",
            "--fail-on-regression",
            "-q",
        ])
        .assert()
        .code(1);
    // No change, no failure.
    d.cmd()
        .args(["diff", "after.csv", "after.csv", "--fail-on-regression"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 changes"));
}
