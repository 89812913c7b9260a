//! `--fail-on-phone-only` never passes on users it could not measure: a registered user whose
//! method names were not exported (`System.Object[]`, a flag-only export's `System.String[]`)
//! or are unknown to mfa-audit may rely on SMS or voice alone, so the gate fails and names
//! them. The authentication methods policy does not change the gate: a phone-only user whom
//! the policy no longer allows SMS is stopped all the same, only sooner.

use serde_json::Value;

use crate::util::Dir;

/// Runs `audit FILE --fail-on-phone-only MORE --json s.json -q`: the exit code and the gate.
fn gate(d: &Dir, file: &str, more: &[&str]) -> (i32, Value) {
    let out = d
        .cmd()
        .args([
            "audit",
            file,
            "--fail-on-phone-only",
            "--json",
            "s.json",
            "-q",
        ])
        .args(more)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_str(&d.read("s.json")).unwrap();
    let g = j["gates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == "fail-on-phone-only")
        .unwrap()
        .clone();
    (code, g)
}

fn users(g: &Value) -> Vec<&str> {
    g["users"]
        .as_array()
        .map(|a| a.iter().map(|u| u.as_str().unwrap()).collect())
        .unwrap_or_default()
}

/// MSOnline rows, each worked out by hand:
/// - ann: PhoneAppNotification, an app → not phone only, measured.
/// - otp: PhoneAppOTP, an app → measured, passes.
/// - obj: `System.Object[]` (two or more methods, names dropped) → registered, could be SMS
///   and voice → cannot tell.
/// - q: a name mfa-audit does not know → registered by it, could be anything → cannot tell.
/// - none: no method → unregistered: the gate is about registered users.
/// - gone: blocked, `System.Object[]` → cannot sign in, out of every gate.
const MSOL_HEADER: &str = "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n";

#[test]
fn known_methods_only_are_measured_and_pass() {
    let d = Dir::new();
    d.write(
        "t.csv",
        format!(
            "{MSOL_HEADER}ann@x.com,False,PhoneAppNotification\r\n\
             otp@x.com,False,PhoneAppOTP\r\n\
             none@x.com,False,\r\n\
             gone@x.com,True,System.Object[]\r\n"
        ),
    );
    let (code, g) = gate(&d, "t.csv", &[]);
    assert_eq!((code, &g["passed"]), (0, &Value::Bool(true)), "{g}");
    assert!(users(&g).is_empty(), "{g}");
}

#[test]
fn unnamed_or_unknown_methods_fail_the_gate_and_are_named() {
    let d = Dir::new();
    for (row, who) in [
        ("obj@x.com,False,System.Object[]", "obj@x.com"),
        ("q@x.com,False,QuantumToken", "q@x.com"),
    ] {
        d.write(
            "t.csv",
            format!("{MSOL_HEADER}ann@x.com,False,PhoneAppNotification\r\n{row}\r\n"),
        );
        let (code, g) = gate(&d, "t.csv", &[]);
        assert_eq!(code, 1, "{row}: {g}");
        assert_eq!(g["passed"], false, "{row}");
        // Nobody is known to be phone only; the one who cannot be told is named.
        assert_eq!(g["actual"], 0, "{row}");
        assert_eq!(users(&g), [who], "{row}");
        // An exception for that user takes them out of the gate, as for every gate.
        d.write(
            "ex.csv",
            format!("UserPrincipalName,Reason\r\n{who},checked by hand\r\n"),
        );
        let (code, g) = gate(&d, "t.csv", &["--exceptions", "ex.csv"]);
        assert_eq!(code, 0, "{row} excepted: {g}");
    }
}

/// Both kinds together: the phone-only user first, then the one that cannot be told, and the
/// human summary says why the second fails.
#[test]
fn the_summary_tells_phone_only_from_cannot_tell() {
    let d = Dir::new();
    d.write(
        "t.csv",
        format!(
            "{MSOL_HEADER}bob@x.com,False,\"OneWaySMS,TwoWayVoiceMobile\"\r\n\
             obj@x.com,False,System.Object[]\r\n"
        ),
    );
    let (code, g) = gate(&d, "t.csv", &[]);
    assert_eq!(code, 1);
    assert_eq!(g["actual"], 1);
    assert_eq!(users(&g), ["bob@x.com", "obj@x.com"]);
    let err = d.stderr_of(
        &["audit", "t.csv", "--fail-on-phone-only", "-o", "r.csv"],
        1,
    );
    assert!(
        err.contains(
            "1 registered users who can sign in rely on text message or voice call alone: \
             bob@x.com; 1 more registered users who can sign in have methods that cannot say"
        ),
        "{err}"
    );
}

/// A Graph export written with a plain Export-Csv: `methodsRegistered` is the type name, the
/// registration flag alone says ann is registered. Which methods she has cannot be told.
#[test]
fn a_flag_only_export_cannot_pass_the_gate() {
    let d = Dir::new();
    d.write(
        "f.csv",
        "userPrincipalName,isMfaRegistered,methodsRegistered,AccountEnabled\r\n\
         ann@x.com,True,System.String[],True\r\n\
         cat@x.com,False,System.String[],True\r\n",
    );
    let (code, g) = gate(&d, "f.csv", &[]);
    assert_eq!(code, 1, "{g}");
    // cat is unregistered: not the gate's business.
    assert_eq!(users(&g), ["ann@x.com"]);
}

/// The generated SMS/voice tenant (scripts/make_phone_end_tenant.py): ann, cleo and dev are
/// phone only. The gate names the same three whatever the methods policy says: `off` (SMS and
/// voice disabled), `missing-group` (SMS for a group whose members were not exported: the
/// policy cannot tell), or no policy at all.
#[test]
fn the_methods_policy_does_not_change_the_gate() {
    let d = Dir::generated("make_phone_end_tenant.py");
    for policies in [None, Some("policies-off"), Some("policies-missing-group")] {
        let mut more = vec!["--accounts", "users.csv"];
        if let Some(p) = policies {
            more.extend(["--policies", p]);
        }
        let (code, g) = gate(&d, "registration-details.json", &more);
        assert_eq!(code, 1, "{policies:?}");
        assert_eq!(
            users(&g),
            [
                "ann@fabrikam-phone.example",
                "cleo@fabrikam-phone.example",
                "dev@fabrikam-phone.example"
            ],
            "{policies:?}"
        );
    }
}
