//! `audit --policies`: MFA enforcement per user, end to end, on the tenants that
//! scripts/make_enforcement_tenant.py generates from Microsoft Graph's documented shapes.
//!
//! The wiring that does not depend on what the policies decide (flags, columns, JSON keys,
//! gates' presence, the object id read from the user export, runs without --policies
//! unchanged) is tested now; the verdicts themselves are worked out by hand below and tested
//! once the readers and the evaluation are in (`#[ignore = "needs readers/evaluation"]`).

use serde_json::Value;

use crate::util::Dir;

/// The generated tenants in a fresh folder.
/// The header of a report with the enforcement columns asked for.
const ENFORCEMENT_HEADER: &str = "\"UserPrincipalName\",\"MFA Enforcement\",\"Enforcement Detail\"";

fn tenant() -> Dir {
    Dir::generated("make_enforcement_tenant.py")
}

/// The registration details audited with `--accounts users.csv` (the input has no blocked
/// column; trent's account is disabled there) against the policies of `policies`, the JSON
/// summary in `s.json`, then `more`; `step`: the GitHub step summary file, when asked. Returns
/// the exit code (0 or 1), the JSON summary and standard error. Shared with
/// enforcement_admins.rs.
pub(crate) fn run(
    d: &Dir,
    policies: &str,
    more: &[&str],
    step: Option<&std::path::Path>,
) -> (i32, Value, String) {
    let mut cmd = d.cmd();
    cmd.args([
        "audit",
        "registration-details.json",
        "--accounts",
        "users.csv",
        "--policies",
        policies,
        "--json",
        "s.json",
    ])
    .args(more);
    if let Some(step) = step {
        cmd.env("GITHUB_STEP_SUMMARY", step);
    }
    let out = cmd.output().unwrap();
    let code = out.status.code().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    (code, serde_json::from_str(&d.read("s.json")).unwrap(), err)
}

/// [`run`] quietly, with the report's columns UPN, MFA Enforcement and Enforcement Detail.
fn audit(d: &Dir, variant: &str, more: &[&str]) -> (i32, Value) {
    let columns = ["--columns", "upn,enforcement,enforcement-detail", "-q"];
    let args: Vec<&str> = columns.iter().chain(more).copied().collect();
    let (code, json, _) = run(d, variant, &args, None);
    (code, json)
}

const KEYS: [&str; 7] = [
    "conditional_access",
    "conditional_access_partial",
    "security_defaults",
    "per_user",
    "report_only",
    "not_enforced",
    "undetermined",
];

#[test]
fn without_policies_the_summary_has_no_enforcement() {
    let d = tenant();
    let j = d.audit_json(&["registration-details.json", "--accounts", "users.csv"]);
    assert!(j.get("enforcement").is_none(), "{j}");
    assert!(j.get("policies").is_none(), "{j}");
    // The object id is read only for --policies: the input's columns are as before.
    assert!(j["inputs"][0]["columns"].get("object-id").is_none(), "{j}");
    assert_eq!(
        d.read("MFA_Report.csv").lines().next(),
        Some("\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"")
    );
}

/// Every verdict's key is present, zeros included, and counts exactly the users in the
/// report (trent is blocked: not in it); the object id column is recognised.
#[test]
fn with_policies_every_verdict_key_is_counted_over_the_report() {
    let d = tenant();
    let (_, j) = audit(&d, "tenant", &[]);
    let e = j["enforcement"].as_object().expect("an enforcement object");
    // (serde_json's map sorts its keys; the order of the rules is checked in the unit tests.)
    let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
    let mut want = KEYS.to_vec();
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want);
    let total: u64 = e.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total, 14, "{j}");
    assert_eq!(
        d.report_column("MFA_Report.csv", ENFORCEMENT_HEADER).len(),
        14
    );
    assert!(!d
        .report_column("MFA_Report.csv", ENFORCEMENT_HEADER)
        .iter()
        .any(|(n, _)| n == "trent"));
    assert_eq!(j["inputs"][0]["columns"]["object-id"], "id");
    let p = &j["policies"];
    for key in [
        "files",
        "users_matched_by_id",
        "users_matched_by_upn",
        "users_not_found",
        "undocumented_exclusions",
    ] {
        assert!(p.get(key).is_some(), "{key}: {j}");
    }
    let matched = [
        "users_matched_by_id",
        "users_matched_by_upn",
        "users_not_found",
    ]
    .iter()
    .map(|k| p[k].as_u64().unwrap())
    .sum::<u64>();
    assert_eq!(matched, 14, "{j}");
}

#[test]
fn enforcement_columns_without_policies_are_refused() {
    let d = tenant();
    for col in ["enforcement", "enforcement-detail"] {
        let err = d.stderr_of(
            &[
                "audit",
                "registration-details.json",
                "--columns",
                &format!("upn,{col}"),
            ],
            2,
        );
        assert!(err.contains("need --policies"), "{err}");
    }
    assert!(!d.exists("MFA_Report.csv"));
}

#[test]
fn enforcement_gates_need_policies() {
    let d = tenant();
    for flags in [
        &["--fail-on-unenforced"][..],
        &["--require-enforced", "^dave@"][..],
    ] {
        let mut args = vec!["audit", "registration-details.json"];
        args.extend_from_slice(flags);
        let err = d.stderr_of(&args, 2);
        assert!(err.contains("--policies"), "{err}");
    }
}

/// The gates are evaluated and named in the JSON, JUnit and GitHub outputs like the others.
#[test]
fn enforcement_gates_appear_in_every_ci_output() {
    let d = tenant();
    let summary = d.path("step.md");
    let (_, j, _) = run(
        &d,
        "tenant",
        &[
            "--fail-on-unenforced",
            "--require-enforced",
            "^dave@",
            "--junit",
            "j.xml",
            "--github-summary",
            "-q",
        ],
        Some(summary.as_ref()),
    );
    let names: Vec<&str> = j["gates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["fail-on-unenforced", "require-enforced ^dave@"]);
    let junit = d.read("j.xml");
    assert!(junit.contains("fail-on-unenforced"), "{junit}");
    assert!(junit.contains("require-enforced ^dave@"), "{junit}");
    let step = d.read("step.md");
    assert!(step.contains("fail-on-unenforced"), "{step}");
}

/// The human summary and the HTML page show the enforcement section.
#[test]
fn human_and_html_summaries_show_enforcement() {
    let d = tenant();
    let (_, _, err) = run(&d, "tenant", &["--html", "r.html"], None);
    assert!(
        err.contains("MFA enforcement (14 users in the report)"),
        "{err}"
    );
    assert!(err.contains("users found in the policy exports"), "{err}");
    assert!(err.contains("not decided offline"), "{err}");
    let html = d.read("r.html");
    for key in KEYS {
        assert!(html.contains(&format!("id=\"enforcement-{key}\"")), "{key}");
    }
}

// ---- The verdicts, worked out by hand from scripts/make_enforcement_tenant.py ----

/// tenant/: security defaults off; nine policies.
/// - alice: All staff member → "Require MFA for staff" (enabled, all apps, mfa) → CA.
/// - bob: Sales, nested in All staff (transitive rows) → same policy → CA.
/// - carol: All staff but also Break glass, which the policy excludes; nothing else applies
///   (the register-security-info policy is a user action), per-user disabled → Not enforced.
/// - dave: Global Administrator at "/" → "Require MFA for admins" (an authentication
///   strength) → CA.
/// - erin: Global Administrator scoped to an administrative unit (does not count); per-user
///   enforced → Per-user.
/// - frank: All staff, but User Administrator at "/", a role the staff policy excludes; the
///   pilot policy is report-only → Report-only.
/// - grace: Office 365 only → partial. heidi: trusted locations excluded → partial.
///   ivan: mfa OR compliantDevice → partial.
/// - judy: only the contractors policy, which is disabled → Not enforced.
/// - mallory: a guest (#EXT#, userType guest): a B2B collaboration guest or an "other
///   external user", which the user export cannot tell apart; "Require MFA for guests"
///   includes both types → CA (with only one of them it would be Undetermined).
/// - niaj, peggy: nothing applies, per-user disabled → Not enforced.
/// - oscar: per-user enabled → Per-user.
/// - trent: account disabled in --accounts → blocked, not in the report.
#[test]
fn every_rule_decides_as_worked_out() {
    let d = tenant();
    let (_, j) = audit(&d, "tenant", &[]);
    let want = [
        ("alice", "Conditional Access"),
        ("bob", "Conditional Access"),
        ("carol", "Not enforced"),
        ("dave", "Conditional Access"),
        ("erin", "Per-user"),
        ("frank", "Report-only"),
        ("grace", "Conditional Access (partial)"),
        ("heidi", "Conditional Access (partial)"),
        ("ivan", "Conditional Access (partial)"),
        ("judy", "Not enforced"),
        ("mallory", "Conditional Access"),
        ("niaj", "Not enforced"),
        ("oscar", "Per-user"),
        ("peggy", "Not enforced"),
    ];
    let got = d.report_column("MFA_Report.csv", ENFORCEMENT_HEADER);
    let got: Vec<(&str, &str)> = got.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    assert_eq!(got, want);
    let counts: Vec<u64> = KEYS
        .iter()
        .map(|k| j["enforcement"][k].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [4, 3, 0, 2, 1, 4, 0]);
    // Every user is named by the exports' ids.
    assert_eq!(j["policies"]["users_matched_by_id"], 14);
    assert_eq!(j["policies"]["users_not_found"], 0);
    // carol (Break glass) and frank (User Administrator) are excluded without an exception.
    assert_eq!(j["policies"]["undocumented_exclusions"], 2);
    // users.csv in the folder is the user list, not a policy export: skipped with a note.
    let files = j["policies"]["files"].as_array().unwrap();
    assert!(
        files
            .iter()
            .any(|f| f["path"].as_str().unwrap().ends_with("users.csv") && f["kind"] == "skipped"),
        "{j}"
    );
}

/// A documented exclusion is not a finding: carol's exception leaves frank alone.
#[test]
fn documented_exclusions_are_not_counted() {
    let d = tenant();
    d.write(
        "ex.csv",
        "UserPrincipalName,Reason,Expires,Owner\r\n\
         carol@contoso.com,break-glass account,,secops\r\n",
    );
    let (_, j) = audit(&d, "tenant", &["--exceptions", "ex.csv"]);
    assert_eq!(j["policies"]["undocumented_exclusions"], 1, "{j}");
    let warnings = j["warnings"].to_string();
    assert!(warnings.contains("frank@contoso.com"), "{warnings}");
    assert!(
        !warnings.contains("carol@contoso.com is excluded"),
        "{warnings}"
    );
}

/// tenant-missing/: the same plus "Require MFA for finance" on a group with no membership
/// rows. The four users Conditional Access already decides stay decided; everyone else might
/// be in that group, which would make them Conditional Access: Undetermined, never a guess.
#[test]
fn a_group_missing_from_the_export_is_undetermined() {
    let d = tenant();
    let (_, j) = audit(&d, "tenant-missing", &[]);
    for (name, verdict) in d.report_column("MFA_Report.csv", ENFORCEMENT_HEADER) {
        let want = match name.as_str() {
            "alice" | "bob" | "dave" | "mallory" => "Conditional Access",
            _ => "Undetermined",
        };
        assert_eq!(verdict, want, "{name}");
    }
    assert_eq!(j["enforcement"]["undetermined"], 10);
    let report = d.read("MFA_Report.csv");
    // The detail names the group that is missing.
    assert!(
        report.contains("00000000-0000-4000-8000-000000000199"),
        "{report}"
    );
}

/// tenant-defaults/: security defaults on and no Conditional Access policy: every user,
/// per-user ones included (rule 3 comes before rule 4), is Security defaults.
#[test]
fn security_defaults_decide_everyone() {
    let d = tenant();
    let (_, j) = audit(&d, "tenant-defaults", &[]);
    assert!(d
        .report_column("MFA_Report.csv", ENFORCEMENT_HEADER)
        .iter()
        .all(|(_, v)| v == "Security defaults"));
    assert_eq!(j["enforcement"]["security_defaults"], 14);
}

/// The gates on real verdicts: --fail-on-unenforced fails on the eight users who are partial,
/// report-only or not enforced; --require-enforced passes for dave (CA) and fails for erin
/// (per-user is not accepted).
#[test]
fn gates_on_the_worked_out_verdicts() {
    let d = tenant();
    let (code, j) = audit(&d, "tenant", &["--require-enforced", "^dave@"]);
    assert_eq!(code, 0, "{j}");
    let (code, j) = audit(&d, "tenant", &["--fail-on-unenforced"]);
    assert_eq!(code, 1);
    assert_eq!(j["gates"][0]["actual"], 8, "{j}");
    let (code, _) = audit(&d, "tenant", &["--require-enforced", "^erin@"]);
    assert_eq!(code, 1);
}
