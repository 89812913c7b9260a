//! `audit --policies`: the enforcement part of a run. The tenant's policy exports are read once,
//! before the row loop; each distinct user is then decided by [`crate::audit::enforcement`],
//! and what the summaries need is counted here: users by verdict, how each user was found in
//! the policy exports (by object id, by UPN, not at all), and the MFA-policy exclusions no
//! `--exceptions` entry documents.
//!
//! A run whose users the exports cannot name is the quiet failure this module exists to make
//! loud: a user found in no export's directory can still be decided by policies that target
//! everyone, but never through a group or role, so the count of such users is always shown.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::audit::admins::{AdminStatus, Findings};
use crate::audit::classify::{Status, Verdict};
use crate::audit::enforcement::{self, Decision, Enforcement, ExcludedVia, Exclusion, UserRef};
use crate::read::policies::model::{PerUserState, PolicyFileKind, Tenant};

/// How a user of the report was found in the policy exports' directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// By object id (both sides carry one).
    ById,
    /// By UPN, case-insensitively.
    ByUpn,
    /// In no export that pairs ids and UPNs.
    NotFound,
}

/// Users by verdict, serialised with every verdict's key present, in the order of the rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByVerdict([u64; Enforcement::ALL.len()]);

impl ByVerdict {
    pub fn add(&mut self, verdict: Enforcement) {
        self.0[index(verdict)] += 1;
    }

    pub fn get(&self, verdict: Enforcement) -> u64 {
        self.0[index(verdict)]
    }

    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

fn index(verdict: Enforcement) -> usize {
    Enforcement::ALL
        .iter()
        .position(|v| *v == verdict)
        .expect("every verdict is in ALL")
}

impl Serialize for ByVerdict {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Enforcement::ALL.len()))?;
        for v in Enforcement::ALL {
            map.serialize_entry(v.key(), &self.get(v))?;
        }
        map.end()
    }
}

/// One `--policies` file as the summaries show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileNote {
    pub path: String,
    /// `conditional_access`, `security_defaults`, ..., or `skipped`.
    pub kind: &'static str,
    pub items: u64,
    /// Why a skipped file was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
}

/// The JSON summary's `"policies"` object, and the human summary's lines.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct PolicySummary {
    pub files: Vec<FileNote>,
    pub users_matched_by_id: u64,
    pub users_matched_by_upn: u64,
    pub users_not_found: u64,
    /// Users the report lists who are excluded from an MFA policy without an `--exceptions`
    /// entry (CIS: only documented exclusions).
    pub undocumented_exclusions: u64,
}

/// The policies of a run and what they decided.
#[derive(Debug)]
pub struct Enforced {
    tenant: Tenant,
    /// Users in the report by verdict.
    pub counts: ByVerdict,
    pub summary: PolicySummary,
    /// The admins finding and the step-up-only policies (`audit::admins`).
    pub findings: Findings,
}

impl Enforced {
    pub fn new(tenant: Tenant) -> Enforced {
        let files = tenant.files.iter().map(file_note).collect();
        Enforced {
            findings: Findings::new(&tenant),
            tenant,
            counts: ByVerdict::default(),
            summary: PolicySummary {
                files,
                ..PolicySummary::default()
            },
        }
    }

    /// The exports read, for the findings that are not enforcement verdicts (the end of SMS
    /// and voice reads the authentication methods policy).
    pub fn tenant(&self) -> &Tenant {
        &self.tenant
    }

    /// Decides one distinct user; `object_id` from the user export's object-id column.
    pub fn decide(&self, v: &Verdict, object_id: Option<&str>) -> (Decision, Found) {
        let user = user_ref(v, object_id);
        (
            enforcement::evaluate(&self.tenant, &user),
            self.find(v.upn, user.id),
        )
    }

    /// The user's per-user MFA state from the per-user export, as the report's MFA Status
    /// writes it (MSOnline's words: Enabled, Enforced, Disabled); `None` without that export
    /// or without a row for the user.
    pub fn per_user_status(&self, v: &Verdict, object_id: Option<&str>) -> Option<Status<'static>> {
        let state = enforcement::per_user_state(&self.tenant, &user_ref(v, object_id))?;
        Some(match state {
            PerUserState::Disabled => Status::Disabled,
            PerUserState::Enabled => Status::Enabled,
            PerUserState::Enforced => Status::Enforced,
        })
    }

    /// The privileged roles the user holds at `/` (the admins finding).
    pub fn admin(&self, v: &Verdict, object_id: Option<&str>) -> AdminStatus {
        self.findings.status(&self.tenant, &user_ref(v, object_id))
    }

    /// Where the directory the exports pair (id ⇄ UPN) knows the user from.
    pub fn find(&self, upn: &str, id: Option<&str>) -> Found {
        let dir = &self.tenant.directory;
        if id.is_some_and(|id| dir.upn_by_id.contains_key(&id.to_lowercase())) {
            Found::ById
        } else if dir.id_by_upn.contains_key(&upn.to_lowercase()) {
            Found::ByUpn
        } else {
            Found::NotFound
        }
    }

    /// Counts a user of the report.
    pub fn count(&mut self, decision: &Decision, found: Found, excepted: bool) {
        self.counts.add(decision.verdict);
        let s = &mut self.summary;
        match found {
            Found::ById => s.users_matched_by_id += 1,
            Found::ByUpn => s.users_matched_by_upn += 1,
            Found::NotFound => s.users_not_found += 1,
        }
        if !excepted && !decision.exclusions.is_empty() {
            s.undocumented_exclusions += 1;
        }
    }

    /// The warning for users no export names, when there are any.
    pub fn not_found_warning(&self) -> Option<String> {
        let s = &self.summary;
        let reported = self.counts.total();
        if s.users_not_found == 0 {
            return None;
        }
        let all = if s.users_not_found == reported {
            "none of the"
        } else {
            "some"
        };
        Some(format!(
            "--policies: {} of {} users in the report are in no policy export's directory \
             ({all} users matched by object id or UPN): policies that target them through a group \
             or a role cannot apply to them here; export the group memberships and role \
             assignments (docs/enforcement.md), and give the user export's object id column \
             (--column object-id=HEADER) if it has another name",
            crate::numbers::thousands(s.users_not_found),
            crate::numbers::thousands(reported),
        ))
    }
}

/// The user as the policy exports can name them.
fn user_ref<'a>(v: &'a Verdict<'_>, object_id: Option<&'a str>) -> UserRef<'a> {
    UserRef {
        upn: v.upn,
        id: object_id.map(str::trim).filter(|s| !s.is_empty()),
        // userType when the export has it; otherwise only `#EXT#` says guest, and its
        // absence says nothing.
        guest: match v.user_type {
            Some(t) => Some(t.eq_ignore_ascii_case("guest")),
            None => v.is_guest().then_some(true),
        },
    }
}

/// `the MFA policy "Require MFA" (through the group "Break glass")`, for warnings; names are
/// quoted for the terminal.
pub fn exclusions_text(exclusions: &[Exclusion]) -> String {
    let quote = |s: &str| crate::terminal::quote(s).to_string();
    let one = |x: &Exclusion| {
        let via = match &x.via {
            ExcludedVia::User => "directly".to_owned(),
            ExcludedVia::Group(g) => format!("through the group {}", quote(g)),
            ExcludedVia::Role(r) => format!("through the role {}", quote(r)),
            ExcludedVia::GuestType(t) => format!("as guest type {}", quote(t)),
        };
        format!("the MFA policy {} ({via})", quote(&x.policy))
    };
    exclusions.iter().map(one).collect::<Vec<_>>().join(", ")
}

/// The summary's view of one file.
fn file_note(f: &crate::read::policies::model::PolicyFile) -> FileNote {
    let (kind, skipped) = match &f.kind {
        PolicyFileKind::ConditionalAccess => ("conditional_access", None),
        PolicyFileKind::SecurityDefaults => ("security_defaults", None),
        PolicyFileKind::GroupMembers => ("group_members", None),
        PolicyFileKind::RoleAssignments => ("role_assignments", None),
        PolicyFileKind::PerUserMfa => ("per_user_mfa", None),
        PolicyFileKind::MethodsPolicy => ("methods_policy", None),
        PolicyFileKind::Skipped(why) => ("skipped", Some(why.clone())),
    };
    FileNote {
        path: f.path.clone(),
        kind,
        items: f.items,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::policies::model::{PolicyFile, Principal};

    #[test]
    fn every_verdict_key_is_serialised_in_rule_order() {
        let mut c = ByVerdict::default();
        c.add(Enforcement::NotEnforced);
        c.add(Enforcement::NotEnforced);
        c.add(Enforcement::ConditionalAccess);
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(
            json,
            "{\"conditional_access\":1,\"conditional_access_partial\":0,\"security_defaults\":0,\
             \"per_user\":0,\"report_only\":0,\"not_enforced\":2,\"undetermined\":0}"
        );
        assert_eq!(c.total(), 3);
    }

    fn tenant() -> Tenant {
        let mut t = Tenant::default();
        t.directory
            .upn_by_id
            .insert("11111111-aaaa".into(), "adele@contoso.com".into());
        t.directory
            .id_by_upn
            .insert("adele@contoso.com".into(), "11111111-aaaa".into());
        t.groups.insert(
            "g".into(),
            vec![Principal {
                id: "11111111-aaaa".into(),
                upn: Some("adele@contoso.com".into()),
                kind: "User".into(),
            }],
        );
        t
    }

    /// By id first, then by UPN whatever its case; an id the directory lacks falls back to the
    /// UPN; neither is not found.
    #[test]
    fn users_are_found_by_id_then_upn() {
        let e = Enforced::new(tenant());
        let cases: &[(&str, Option<&str>, Found)] = &[
            ("other@contoso.com", Some("11111111-AAAA"), Found::ById),
            ("Adele@Contoso.com", None, Found::ByUpn),
            ("adele@contoso.com", Some("ffff"), Found::ByUpn),
            ("nobody@contoso.com", Some("ffff"), Found::NotFound),
            ("nobody@contoso.com", None, Found::NotFound),
        ];
        for (upn, id, want) in cases {
            assert_eq!(e.find(upn, *id), *want, "{upn} {id:?}");
        }
    }

    #[test]
    fn exclusions_name_the_policy_and_the_way() {
        let x = |via| Exclusion {
            policy: "Require MFA".into(),
            via,
        };
        let text = exclusions_text(&[
            x(ExcludedVia::User),
            x(ExcludedVia::Group("Break glass".into())),
            x(ExcludedVia::Role("Global Administrator".into())),
        ]);
        assert_eq!(
            text,
            "the MFA policy \"Require MFA\" (directly), the MFA policy \"Require MFA\" (through \
             the group \"Break glass\"), the MFA policy \"Require MFA\" (through the role \
             \"Global Administrator\")"
        );
    }

    #[test]
    fn skipped_files_say_why() {
        let mut t = Tenant::default();
        t.files.push(PolicyFile {
            path: "users.csv".into(),
            kind: PolicyFileKind::Skipped("a user export".into()),
            items: 0,
        });
        t.files.push(PolicyFile {
            path: "ca.json".into(),
            kind: PolicyFileKind::ConditionalAccess,
            items: 4,
        });
        let e = Enforced::new(t);
        let json = serde_json::to_value(&e.summary.files).unwrap();
        assert_eq!(json[0]["kind"], "skipped");
        assert_eq!(json[0]["skipped"], "a user export");
        assert_eq!(json[1]["kind"], "conditional_access");
        assert!(json[1].get("skipped").is_none());
    }

    #[test]
    fn not_found_is_loud_and_says_whether_anyone_matched() {
        let mut e = Enforced::new(tenant());
        assert_eq!(e.not_found_warning(), None);
        let d = Decision {
            verdict: Enforcement::NotEnforced,
            detail: String::new(),
            exclusions: Vec::new(),
            step_up_only: Vec::new(),
        };
        e.count(&d, Found::NotFound, false);
        assert!(e.not_found_warning().unwrap().contains("none of the users"));
        e.count(&d, Found::ByUpn, false);
        let w = e.not_found_warning().unwrap();
        assert!(w.contains("1 of 2 users"), "{w}");
        assert!(w.contains("some users"), "{w}");
    }
}
