//! The report's MFA Status from the per-user MFA export of `--policies`, when the user export
//! has no per-user state of its own (Graph's registration details do not). The seeds' MFA
//! Status is exactly the per-user state (StrongAuthenticationRequirements.State), so the
//! column shows it, in MSOnline's words, rather than `Unknown`; a state the input carries
//! itself is kept. Tenant: scripts/make_enforcement_tenant.py.

use crate::util::Dir;

/// The report's header as MSOnline's MFA_Report.csv has it.
const MSONLINE_HEADER: &str = "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"";

fn tenant() -> Dir {
    Dir::generated("make_enforcement_tenant.py")
}

fn run(d: &Dir, report: &str, more: &[&str]) {
    d.cmd()
        .args([
            "audit",
            "registration-details.json",
            "--accounts",
            "users.csv",
            "-o",
            report,
            "-q",
        ])
        .args(more)
        .assert()
        .success();
}

/// per-user-mfa.csv: erin `enforced`, oscar `enabled`, everyone else `disabled` (PER_USER in
/// the script); trent's account is disabled, so he is not in the report.
#[test]
fn the_per_user_export_fills_mfa_status() {
    let d = tenant();
    run(&d, "with.csv", &["--policies", "tenant"]);
    let got = d.report_column("with.csv", MSONLINE_HEADER);
    assert_eq!(got.len(), 14);
    for (name, status) in &got {
        let want = match name.as_str() {
            "erin" => "Enforced",
            "oscar" => "Enabled",
            _ => "Disabled",
        };
        assert_eq!(status, want, "{name}");
    }
    // The human summary counts the same states.
    let err = d.stderr_of(
        &[
            "audit",
            "registration-details.json",
            "--accounts",
            "users.csv",
            "--policies",
            "tenant",
            "-o",
            "again.csv",
        ],
        0,
    );
    assert!(
        err.contains("MFA Status: Disabled 12, Enabled 1, Enforced 1"),
        "{err}"
    );
}

/// Without --policies, or without the per-user export among them, nothing tells the state:
/// the column stays `Unknown`, byte for byte as before.
#[test]
fn without_the_per_user_export_mfa_status_stays_unknown() {
    let d = tenant();
    run(&d, "without.csv", &[]);
    // The same folder less its per-user export.
    std::fs::remove_file(d.path("tenant/per-user-mfa.csv")).unwrap();
    run(&d, "no-per-user.csv", &["--policies", "tenant"]);
    for report in ["without.csv", "no-per-user.csv"] {
        let got = d.report_column(report, MSONLINE_HEADER);
        assert_eq!(got.len(), 14, "{report}");
        assert!(got.iter().all(|(_, s)| s == "Unknown"), "{report}: {got:?}");
    }
}

/// A user missing from the per-user export stays `Unknown`: no row is no state, not
/// `Disabled`.
#[test]
fn a_user_without_a_row_stays_unknown() {
    let d = tenant();
    let per_user = d.read("tenant/per-user-mfa.csv");
    let kept: Vec<&str> = per_user
        .split_inclusive("\r\n")
        .filter(|l| !l.contains("oscar@"))
        .collect();
    d.write("tenant/per-user-mfa.csv", kept.concat());
    run(&d, "r.csv", &["--policies", "tenant"]);
    let got = d.report_column("r.csv", MSONLINE_HEADER);
    let oscar = got.iter().find(|(n, _)| n == "oscar").unwrap();
    assert_eq!(oscar.1, "Unknown");
    let erin = got.iter().find(|(n, _)| n == "erin").unwrap();
    assert_eq!(erin.1, "Enforced");
}

/// An input with its own per-user state column keeps it, even where the per-user export
/// says otherwise: the report shows what the audited file says, and the enforcement verdict
/// (Per-user) reads the export.
#[test]
fn a_state_in_the_input_is_kept() {
    let d = tenant();
    d.write(
        "msol.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods,MFA Status\r\n\
         erin@contoso.com,False,PhoneAppNotification,\r\n\
         oscar@contoso.com,False,PhoneAppNotification,Enforced\r\n",
    );
    d.cmd()
        .args([
            "audit",
            "msol.csv",
            "--policies",
            "tenant",
            "-o",
            "m.csv",
            "-q",
        ])
        .assert()
        .success();
    let got = d.report_column("m.csv", MSONLINE_HEADER);
    assert_eq!(
        got,
        [
            ("erin".to_owned(), "Disabled".to_owned()),
            ("oscar".to_owned(), "Enforced".to_owned()),
        ]
    );
}
