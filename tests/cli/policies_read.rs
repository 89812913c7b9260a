//! `read::policies::read` on the exports scripts/make_policy_fixtures.py writes: every kind in
//! every shape read into the model, the files of a folder that are no export skipped and named,
//! broken exports refused naming the file, and a folder read in a fixed order. The command-line
//! flag comes with the wiring; these tests call the reader itself. Every expected value is
//! worked out by hand from the generator.

use mfa_audit::read::policies::model::{
    Narrowing, PerUserState, PolicyFileKind, PolicyState, Tenant,
};
use mfa_audit::read::policies::read;
use mfa_audit::read::{NextLinkPolicy, ReadOptions};

use crate::util::Dir;

const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
const STAFF: &str = "6b1f0c2e-0000-4000-8000-00000000a001";
const NESTED: &str = "6b1f0c2e-0000-4000-8000-00000000a002";
const EMPTY: &str = "6b1f0c2e-0000-4000-8000-00000000e001";
const MISSING: &str = "6b1f0c2e-0000-4000-8000-00000000f001";
const ANN: &str = "1d0a0000-0000-4000-8000-000000000001";
const BEN: &str = "1d0a0000-0000-4000-8000-000000000002";

fn fixtures() -> Dir {
    Dir::generated("make_policy_fixtures.py")
}

fn read_paths(d: &Dir, paths: &[&str], options: &ReadOptions) -> anyhow::Result<Tenant> {
    let paths: Vec<String> = paths
        .iter()
        .map(|p| d.path(p).to_string_lossy().into_owned())
        .collect();
    read(&paths, options)
}

fn tenant(d: &Dir, paths: &[&str]) -> Tenant {
    read_paths(d, paths, &ReadOptions::default()).unwrap()
}

fn error(d: &Dir, path: &str) -> String {
    format!(
        "{:#}",
        read_paths(d, &[path], &ReadOptions::default()).unwrap_err()
    )
}

/// Each file as (path below the folder, with `/` between folders as on Unix, kind, items).
fn files(d: &Dir, t: &Tenant, under: &str) -> Vec<(String, PolicyFileKind, u64)> {
    let root = d.path(under).to_string_lossy().into_owned();
    let unix = |p: &str| match cfg!(windows) {
        true => p.replace('\\', "/"),
        false => p.to_owned(),
    };
    t.files
        .iter()
        .map(|f| (unix(&f.path[root.len() + 1..]), f.kind.clone(), f.items))
        .collect()
}

#[test]
fn a_folder_of_every_kind_is_read_in_order_and_the_rest_skipped() {
    let d = fixtures();
    let t = tenant(&d, &["tenant"]);
    let skipped = |why: &str| PolicyFileKind::Skipped(why.to_owned());
    // Byte order of names, sub-folders where they sort: "README.md" and "Users.json" (upper
    // case) before the lower-case names; roles/ between methods.json and security-defaults.json.
    // The README's "# ..." title is a comment line to the CSV reader, so its first text line is
    // what it calls a header.
    assert_eq!(
        files(&d, &t, "tenant"),
        vec![
            ("README.md".into(), skipped("a CSV file whose header (\"Taken by the helpdesk.\") is neither the memberships' (GroupId,GroupDisplayName,MemberId,MemberUserPrincipalName,MemberType) nor the per-user states' (UserPrincipalName,Id,PerUserMfaState)"), 0),
            ("Users.json".into(), skipped("JSON whose objects are none of the policy exports (a user export?)"), 0),
            ("ca-policies.json".into(), PolicyFileKind::ConditionalAccess, 6),
            ("memberships.csv".into(), PolicyFileKind::GroupMembers, 6),
            ("methods.json".into(), PolicyFileKind::MethodsPolicy, 1),
            ("roles/per-user-mfa.csv".into(), PolicyFileKind::PerUserMfa, 3),
            ("roles/role-assignments.json".into(), PolicyFileKind::RoleAssignments, 3),
            ("security-defaults.json".into(), PolicyFileKind::SecurityDefaults, 1),
        ]
    );
    assert!(t.notes.is_empty(), "{:?}", t.notes);

    let ca = t.conditional_access.as_ref().unwrap();
    let names: Vec<(&str, PolicyState)> = ca
        .iter()
        .map(|p| (p.display_name.as_str(), p.state))
        .collect();
    assert_eq!(
        names,
        [
            ("CA001: Require MFA for all users", PolicyState::Enabled),
            (
                "CA002: Phishing-resistant MFA for admins",
                PolicyState::Enabled
            ),
            (
                "CA003: MFA for Office 365 outside trusted locations",
                PolicyState::ReportOnly
            ),
            (
                "CA004: MFA or compliant device for guests",
                PolicyState::Enabled
            ),
            ("CA005: Old pilot (disabled)", PolicyState::Disabled),
            ("CA006: MFA to register security info", PolicyState::Enabled),
        ]
    );
    // CA001: everyone but the break-glass user and group, all apps, plain MFA.
    assert_eq!(ca[0].users.include_users, ["All"]);
    assert_eq!(
        ca[0].users.exclude_users,
        ["1d0a0000-0000-4000-8000-000000000009"]
    );
    assert_eq!(
        ca[0].users.exclude_groups,
        ["6b1f0c2e-0000-4000-8000-00000000b001"]
    );
    assert_eq!(
        (ca[0].apps.include.as_slice(), ca[0].narrowing.as_slice()),
        (&["All".to_owned()][..], &[][..])
    );
    assert_eq!(ca[0].grant.built_in, ["mfa"]);
    // CA002: by role, a strength instead of the mfa control (beta carries it inline).
    assert_eq!(ca[1].users.include_roles, [GLOBAL_ADMIN]);
    assert_eq!(
        ca[1].grant.authentication_strength.as_deref(),
        Some("Phishing-resistant MFA")
    );
    // CA003: Office 365 only, trusted locations excluded.
    assert_eq!(ca[2].apps.include, ["Office365"]);
    assert_eq!(ca[2].narrowing, [Narrowing::Locations]);
    // CA004: guests by type, a group missing from the memberships, MFA OR compliant device.
    assert_eq!(
        ca[3].users.include_guest_types,
        [
            "internalGuest",
            "b2bCollaborationGuest",
            "b2bCollaborationMember"
        ]
    );
    assert_eq!(ca[3].users.include_groups, [MISSING]);
    assert!(!ca[3].grant.require_all);
    assert_eq!(ca[3].grant.built_in, ["mfa", "compliantdevice"]);
    // CA005: platforms and sign-in risk narrow it (in the order the reader checks them).
    assert_eq!(
        ca[4].narrowing,
        [Narrowing::Platforms, Narrowing::SignInRisk]
    );
    // CA006: a user action, no application.
    assert_eq!(ca[5].apps.user_actions, ["urn:user:registersecurityinfo"]);
    assert!(ca[5].apps.include.is_empty());

    assert_eq!(t.security_defaults, Some(false));

    // Transitive: ann (through the nested group), ben, and the nested group itself.
    let staff: Vec<&str> = t.groups[STAFF].iter().map(|m| m.id.as_str()).collect();
    assert_eq!(staff, [BEN, NESTED, ANN]);
    assert_eq!(t.groups[NESTED].len(), 1);
    assert_eq!(
        t.groups[EMPTY],
        [],
        "a row with no member: a known, empty group"
    );
    assert!(
        !t.groups.contains_key(MISSING),
        "never exported: unknown, not empty"
    );

    // Three assignments of Global Administrator; the group's id lower-cased, its scope an
    // administrative unit (which Conditional Access does not count; kept for evaluation).
    let roles: Vec<(&str, &str, &str)> = t
        .roles
        .iter()
        .map(|r| {
            (
                r.principal.id.as_str(),
                r.principal.kind.as_str(),
                r.scope.as_str(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            (
                "1d0a0000-0000-4000-8000-000000000003",
                "#microsoft.graph.user",
                "/"
            ),
            (
                "1d0a0000-0000-4000-8000-000000000009",
                "#microsoft.graph.user",
                "/"
            ),
            (
                "6b1f0c2e-0000-4000-8000-00000000b001",
                "#microsoft.graph.group",
                "/administrativeUnits/au-1"
            ),
        ]
    );
    assert!(t.roles.iter().all(|r| r.role_id == GLOBAL_ADMIN));

    let per_user = t.per_user.as_ref().unwrap();
    assert_eq!(per_user["ann.lee@contoso.com"], PerUserState::Disabled);
    assert_eq!(per_user[BEN], PerUserState::Enforced);
    assert_eq!(
        per_user["cho.park@contoso.com"],
        PerUserState::Enabled,
        "\"Enabled\": any case"
    );

    let m = t.methods_policy.as_ref().unwrap();
    assert_eq!((m.sms_enabled, m.voice_enabled), (true, false));
    assert_eq!(
        (m.sms_targets.as_slice(), m.voice_targets.as_slice()),
        (&["all_users".to_owned()][..], &[STAFF.to_owned()][..])
    );

    // Every file that pairs an id with a UPN fills the directory, lower case.
    assert_eq!(t.directory.upn_by_id[ANN], "ann.lee@contoso.com");
    assert_eq!(
        t.directory.id_by_upn["glass.break@contoso.com"],
        "1d0a0000-0000-4000-8000-000000000009"
    );
    assert_eq!(
        t.directory.id_by_upn["cho.park@contoso.com"],
        "1d0a0000-0000-4000-8000-000000000003"
    );
}

#[test]
fn every_other_shape_reads_to_the_same_policies() {
    let d = fixtures();
    let t = tenant(&d, &["shapes"]);
    let root = "entra/Identity/Conditional/AccessPolicies/ca000000-0000-4000-8000-00000000000";
    assert_eq!(
        files(&d, &t, "shapes"),
        vec![
            // ScubaGear's PascalCase SDK objects: CA001 and CA002.
            (
                "ScubaResults_3f2a.json".into(),
                PolicyFileKind::ConditionalAccess,
                2
            ),
            ("ca-array.json".into(), PolicyFileKind::ConditionalAccess, 2),
            // An empty page still says "no policies", by its @odata.context.
            ("ca-empty.json".into(), PolicyFileKind::ConditionalAccess, 0),
            // The v1.0 page repeats CA001 and CA002: identical, read once.
            ("ca-v1.json".into(), PolicyFileKind::ConditionalAccess, 2),
            (
                format!("{root}5/ca000000-0000-4000-8000-000000000005.json"),
                PolicyFileKind::ConditionalAccess,
                1
            ),
            (
                format!("{root}6/ca000000-0000-4000-8000-000000000006.json"),
                PolicyFileKind::ConditionalAccess,
                1
            ),
            ("memberships.json".into(), PolicyFileKind::GroupMembers, 2),
            ("per-user.json".into(), PolicyFileKind::PerUserMfa, 2),
        ]
    );
    let ca = t.conditional_access.as_ref().unwrap();
    let ids: Vec<&str> = ca.iter().map(|p| &p.id[p.id.len() - 1..]).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6"]);
    assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
    assert!(
        t.notes[0]
            .contains("ca-v1.json: item 1: policy \"CA001: Require MFA for all users\" is also in"),
        "{}",
        t.notes[0]
    );
    // The SDK's objects read to exactly what Graph's JSON reads to.
    let graph = tenant(&d, &["tenant/ca-policies.json"]);
    assert_eq!(ca.as_slice(), graph.conditional_access.unwrap().as_slice());

    assert_eq!(t.groups[STAFF].len(), 2);
    assert_eq!(t.per_user.as_ref().unwrap()[BEN], PerUserState::Enforced);
    assert_eq!(t.security_defaults, None, "not exported: unknown, not off");
    assert!(t.methods_policy.is_none());

    let empty = tenant(&d, &["shapes/ca-empty.json"]);
    assert_eq!(empty.conditional_access, Some(vec![]));
    assert_eq!(Tenant::default().conditional_access, None);
}

#[test]
fn broken_exports_are_errors_naming_the_file_and_the_fix() {
    let d = fixtures();
    let table = [
        ("broken/ca-truncated.json", "not valid JSON"),
        ("broken/ca-nextlink.json", "carries @odata.nextLink"),
        (
            "broken/ca-no-state.json",
            "policy 1 (\"CA001: Require MFA for all users\"): no \"state\"",
        ),
        (
            "broken/memberships-no-id.csv",
            ":2: member \"ben.ortiz@contoso.com\" has no MemberId",
        ),
        (
            "broken/per-user-bad-state.csv",
            ":2: PerUserMfaState is \"on\"",
        ),
        (
            "broken/roles-unexpanded.json",
            "item 1: the principal is not expanded",
        ),
        ("broken/security-defaults-bad.json", "isEnabled is \"yes\""),
        ("broken/methods-no-voice.json", "no Voice configuration"),
    ];
    for (path, want) in table {
        let err = error(&d, path);
        let name = d.path(path).to_string_lossy().into_owned();
        assert!(err.starts_with(&name), "{path}: {err}");
        assert!(err.contains(want), "{path}: {err}");
        assert!(err.contains("hint: "), "{path}: {err}");
    }
    // A broken export inside a folder is an error too, not a skipped file.
    let err = format!(
        "{:#}",
        read_paths(&d, &["broken"], &ReadOptions::default()).unwrap_err()
    );
    assert!(err.contains("ca-nextlink.json"), "{err}");
}

#[test]
fn a_page_with_a_next_link_is_read_alone_only_when_allowed() {
    let d = fixtures();
    let options = ReadOptions {
        next_link: NextLinkPolicy::Allowed,
        ..ReadOptions::default()
    };
    let t = read_paths(&d, &["broken/ca-nextlink.json"], &options).unwrap();
    assert_eq!(t.conditional_access.unwrap().len(), 1);
    assert!(
        t.notes[0].contains("--allow-partial reads it alone"),
        "{:?}",
        t.notes
    );
    // Other pages among the inputs are no excuse: a policy export is one file per kind.
    let options = ReadOptions {
        next_link: NextLinkPolicy::OtherPages,
        ..ReadOptions::default()
    };
    assert!(read_paths(&d, &["broken/ca-nextlink.json"], &options).is_err());
}

#[test]
fn a_file_given_by_name_that_is_no_export_is_an_error_listing_the_kinds() {
    let d = fixtures();
    for path in ["tenant/Users.json", "tenant/README.md"] {
        let err = error(&d, path);
        assert!(err.contains(": not a policy export: "), "{err}");
        assert!(
            err.contains("hint: --policies takes Conditional Access policies"),
            "{err}"
        );
    }
    d.write("empty.json", "[]");
    assert!(error(&d, "empty.json").contains("an empty JSON list"));
    assert!(error(&d, "nowhere.json").contains("cannot open"));
}

#[test]
fn two_exports_that_disagree_are_an_error() {
    let d = fixtures();
    let edited = d
        .read("tenant/ca-policies.json")
        .replace("\"state\": \"disabled\"", "\"state\": \"enabled\"");
    d.write("edited.json", edited);
    let err = format!(
        "{:#}",
        read_paths(
            &d,
            &["tenant/ca-policies.json", "edited.json"],
            &ReadOptions::default()
        )
        .unwrap_err()
    );
    assert!(
        err.contains(
            "edited.json: item 5: policy \"ca000000-0000-4000-8000-000000000005\" is also in"
        ),
        "{err}"
    );
    d.write(
        "per-user-2.csv",
        "UserPrincipalName,Id,PerUserMfaState\r\nBEN.ORTIZ@contoso.com,,disabled\r\n",
    );
    let err = format!(
        "{:#}",
        read_paths(
            &d,
            &["tenant/roles/per-user-mfa.csv", "per-user-2.csv"],
            &ReadOptions::default()
        )
        .unwrap_err()
    );
    assert!(err.contains("per-user-2.csv:2: \"ben.ortiz@contoso.com\" has per-user MFA state Disabled here but Enforced"), "{err}");
}
