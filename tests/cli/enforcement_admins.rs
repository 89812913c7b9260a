//! The admins finding of `audit --policies`, end to end on the tenant that
//! scripts/make_enforcement_tenant.py generates, with every expectation worked out by hand.
//!
//! Role assignments in tenant/role-assignments.json (template ids from Microsoft's built-in
//! roles page):
//! - dave: Global Administrator at "/"; methods fido2 (phishing-resistant); "Require MFA for
//!   admins" takes him in through the role → Conditional Access. Not a finding.
//! - frank: User Administrator at "/"; only softwareOneTimePasscode (an app, not phishing-
//!   resistant); the staff policy excludes his role, the pilot is report-only → Report-only.
//!   Both findings.
//! - niaj: Security Administrator through the role-assignable group "Security operations"
//!   (a group principal, resolved through the memberships export); microsoftAuthenticatorPush
//!   only; no policy takes him in → Not enforced. Both findings.
//! - erin: Global Administrator scoped to an administrative unit only: not an admin here
//!   (Conditional Access ignores such assignments, and so does the finding).

use serde_json::Value;

use crate::enforcement::run;
use crate::util::Dir;

fn tenant() -> Dir {
    Dir::generated("make_enforcement_tenant.py")
}

/// Runs the audit against `policies` with the HTML report (`r.html`), returning the exit
/// code, the JSON and standard error.
fn audit(d: &Dir, policies: &str, more: &[&str]) -> (i32, Value, String) {
    let html = ["--html", "r.html"];
    let args: Vec<&str> = html.iter().chain(more).copied().collect();
    run(d, policies, &args, None)
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn admins_are_counted_and_listed_as_worked_out() {
    let d = tenant();
    let (code, j, err) = audit(&d, "tenant", &[]);
    assert_eq!(code, 0, "no gate asked for: {err}");
    let a = &j["admins"];
    assert_eq!(a["roles_exported"], true);
    // dave, frank, niaj; erin's administrative-unit assignment does not count.
    assert_eq!(a["admins"], 3, "{a}");
    assert_eq!(a["undetermined"], 0, "{a}");
    assert_eq!(a["not_conditional_access"], 2);
    assert_eq!(
        strings(&a["not_conditional_access_users"]),
        ["frank@contoso.com", "niaj@contoso.com"]
    );
    assert_eq!(a["without_phishing_resistant"], 2);
    assert_eq!(
        strings(&a["without_phishing_resistant_users"]),
        ["frank@contoso.com", "niaj@contoso.com"]
    );
    // The registration details list every method by a known name: nothing is unknown.
    assert_eq!(a["phishing_resistant_unknown"], 0);
    let users = a["users"].as_array().unwrap();
    let rows: Vec<(&str, Vec<&str>, &str, &str)> = users
        .iter()
        .map(|u| {
            (
                u["upn"].as_str().unwrap(),
                strings(&u["roles"]),
                u["enforcement"].as_str().unwrap(),
                u["phishing_resistant"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "dave@contoso.com",
                vec!["Global Administrator"],
                "Conditional Access",
                "yes"
            ),
            (
                "frank@contoso.com",
                vec!["User Administrator"],
                "Report-only",
                "no"
            ),
            (
                "niaj@contoso.com",
                vec!["Security Administrator"],
                "Not enforced",
                "no"
            ),
        ]
    );
    // The human summary and the HTML page show the same.
    assert!(
        err.contains("directly or through a group): 3 users"),
        "{err}"
    );
    assert!(
        err.contains(
            "niaj@contoso.com: Security Administrator; Not enforced; phishing-resistant: no"
        ),
        "{err}"
    );
    let html = d.read("r.html");
    assert!(html.contains("id=\"admins-admins\">3<"), "{html}");
    assert!(html.contains("Security Administrator"), "{html}");
}

/// "Require MFA to register security info" targets a user action, so it is counted apart:
/// every user of the report (14) is in it, and it protects no sign-in.
#[test]
fn step_up_only_policies_are_counted_apart() {
    let d = tenant();
    let (_, j, err) = audit(&d, "tenant", &[]);
    assert_eq!(
        strings(&j["step_up_only"]["policies"]),
        ["Require MFA to register security info"]
    );
    assert_eq!(j["step_up_only"]["users"], 14);
    assert!(
        err.contains("protect registration/step-up, not sign-in: 1 (14 users taken in)"),
        "{err}"
    );
    assert!(d.read("r.html").contains("id=\"step-up-only\""));
}

/// The gate fails on frank and niaj (no phishing-resistant method) in every CI output; an
/// exception for both makes it pass (dave has FIDO2).
#[test]
fn the_gate_fails_on_admins_without_phishing_resistance() {
    let d = tenant();
    let step = d.path("step.md");
    let (code, j, _) = run(
        &d,
        "tenant",
        &[
            "--require-admins-phishing-resistant",
            "--junit",
            "j.xml",
            "--github-summary",
            "-q",
        ],
        Some(step.as_ref()),
    );
    assert_eq!(code, 1);
    let g = &j["gates"][0];
    assert_eq!(g["name"], "require-admins-phishing-resistant");
    assert_eq!(g["passed"], false);
    assert_eq!(
        strings(&g["users"]),
        ["frank@contoso.com", "niaj@contoso.com"]
    );
    assert!(d
        .read("j.xml")
        .contains("require-admins-phishing-resistant"));
    assert!(d
        .read("step.md")
        .contains("require-admins-phishing-resistant"));

    d.write(
        "ex.csv",
        "UserPrincipalName,Reason,Expires,Owner\r\n\
         frank@contoso.com,FIDO2 key on order,,secops\r\n\
         niaj@contoso.com,FIDO2 key on order,,secops\r\n",
    );
    let (code, j, _) = audit(
        &d,
        "tenant",
        &[
            "--require-admins-phishing-resistant",
            "--exceptions",
            "ex.csv",
        ],
    );
    assert_eq!(code, 0, "{}", j["gates"]);
}

#[test]
fn the_gate_needs_policies() {
    let d = tenant();
    let err = d.stderr_of(
        &[
            "audit",
            "registration-details.json",
            "--require-admins-phishing-resistant",
        ],
        2,
    );
    assert!(err.contains("--policies"), "{err}");
}

/// Without a role assignment export admins cannot be told: the finding says so and the gate
/// fails, never a quiet "no admins".
#[test]
fn without_role_assignments_admins_are_not_told() {
    let d = tenant();
    std::fs::remove_file(d.path("tenant/role-assignments.json")).unwrap();
    let (code, j, err) = audit(&d, "tenant", &["--require-admins-phishing-resistant"]);
    assert_eq!(code, 1);
    assert_eq!(j["admins"]["roles_exported"], false);
    assert_eq!(j["admins"]["admins"], 0);
    assert!(err.contains("no role assignment export"), "{err}");
    assert!(j["gates"][0]["passed"] == false, "{}", j["gates"]);
}

/// The same tenant's users as an MSOnline-style export (StrongAuthenticationMethods cannot name
/// FIDO2 keys): frank and niaj are unknown, not without; dave's row lists nothing phishing-
/// resistant either, so he is unknown too. The gate cannot pass on what it cannot see.
#[test]
fn an_msonline_export_cannot_tell_phishing_resistance() {
    let d = tenant();
    d.write(
        "msol.csv",
        "UserPrincipalName,ObjectId,BlockCredential,StrongAuthenticationMethods\r\n\
         dave@contoso.com,00000000-0000-4000-8000-000000000004,False,PhoneAppNotification\r\n\
         frank@contoso.com,00000000-0000-4000-8000-000000000006,False,PhoneAppOTP\r\n\
         niaj@contoso.com,00000000-0000-4000-8000-000000000012,False,PhoneAppNotification\r\n",
    );
    let out = d
        .cmd()
        .args([
            "audit",
            "msol.csv",
            "--policies",
            "tenant",
            "--require-admins-phishing-resistant",
            "--json",
            "s.json",
            "-q",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Value = serde_json::from_str(&d.read("s.json")).unwrap();
    let a = &j["admins"];
    assert_eq!(a["admins"], 3, "{a}");
    assert_eq!(a["without_phishing_resistant"], 0, "{a}");
    assert_eq!(a["phishing_resistant_unknown"], 3, "{a}");
    assert!(a["users"][0]["why"].as_str().unwrap().contains("MSOnline"));
    assert_eq!(j["gates"][0]["actual"], 3);
}

/// docs/enforcement.md's export block gets every file the verdict and the admins finding
/// need: the memberships loop takes in the groups that hold roles (else a role held through a
/// group is undetermined for every such admin) and those the SMS and voice settings target,
/// after the files that name them are written.
#[test]
fn the_export_block_gets_every_group_the_verdict_needs() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/enforcement.md"))
        .unwrap();
    let start = doc.find("```powershell\n").unwrap();
    let block = &doc[start..start + doc[start..].find("\n```\n").unwrap()];
    for file in [
        "policies/ca-policies.json",
        "policies/security-defaults.json",
        "policies/role-assignments.json",
        "policies/authentication-methods-policy.json",
        "policies/group-members.csv",
        "policies/per-user-mfa.csv",
    ] {
        assert!(block.contains(file), "{file}");
    }
    // The columns the memberships and per-user readers look for.
    for column in [
        "GroupId ",
        "GroupDisplayName ",
        "MemberId ",
        "MemberUserPrincipalName ",
        "MemberType ",
        "PerUserMfaState = ",
    ] {
        assert!(block.contains(column), "{column}");
    }
    let at = |s: &str| {
        block
            .find(s)
            .unwrap_or_else(|| panic!("{s:?} not in the block"))
    };
    // Role-holding groups and SMS/voice groups go into the group list, once their files exist.
    let roles_written = at("$assignments = while");
    let role_groups = at(
        "$assignments | Where-Object { $_.principal.'@odata.type' -eq '#microsoft.graph.group' }",
    );
    let methods_written = at("-OutputFilePath policies/authentication-methods-policy.json");
    let methods_groups = at("$_.targetType -eq 'group'");
    let loop_start = at("$rows = foreach ($id in $groupIds)");
    assert!(roles_written < role_groups && role_groups < loop_start);
    assert!(methods_written < methods_groups && methods_groups < loop_start);
}
