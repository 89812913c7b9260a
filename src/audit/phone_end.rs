//! The end of Microsoft-provided SMS and voice MFA: who will be stopped, and when.
//!
//! Microsoft Learn, "Passkeys by default and retirement of Microsoft-provided SMS and voice
//! authentication" (concept-sms-voice-retirement, ms.date 06/10/2026): "From February 1, 2027,
//! Microsoft-provided telecom delivery for SMS and voice will be retired", and after it "users
//! whose only available MFA method is SMS or voice will be required to register a passkey
//! during sign-in ... This prompt will be blocking." An earlier version of Microsoft's own
//! scanner script (github.com/microsoft/entra-sms-voice-usage-analyzer,
//! Get-SmsVoicePolicyUsers.ps1) printed "Jan 28, 2027: Microsoft SMS/Voice delivery RETIRED";
//! its later versions say Feb 1, 2027 and name the Learn page the source of truth. The outputs
//! count down to the retirement page's date and name the other one, so nobody plans on a date
//! a Microsoft source contradicts without knowing it.
//!
//! "Phone only" means every MFA method the user has is a text message or a voice call: the
//! vocabulary's phone class (OneWaySMS, TwoWayVoiceMobile, TwoWayVoiceOffice,
//! TwoWayVoiceAlternateMobile, Graph's mobilePhone, officePhone, alternateMobilePhone and
//! their other spellings), with at least one of them, and nothing else that is MFA (an email
//! or a password is not MFA, so it does not rescue anyone). A name the vocabulary does not
//! know, or a list whose names were not exported, cannot tell: counted apart, never guessed.
//!
//! With the authentication methods policy, each phone-only user is checked against the SMS
//! and voice configurations: enabled, included (`all_users`, the user, or a group the user is
//! a transitive member of) and not excluded. A group without membership rows cannot tell; and
//! while `policyMigrationState` is not `migrationComplete`, the legacy MFA and SSPR policies
//! may still allow a method this policy turns off, so its "no" cannot be told either.

use serde::Serialize;

use crate::audit::classify::{Methods, Verdict};
use crate::audit::enforcement::scope::{Missing, Tri, Who};
use crate::audit::enforcement::UserRef;
use crate::audit::vocab::{self, Strength};
use crate::dates::Day;
use crate::read::policies::model::{MethodsPolicy, Tenant};

/// The retirement page's date (Microsoft Learn, concept-sms-voice-retirement).
pub const RETIREMENT: Day = Day {
    year: 2027,
    month: 2,
    day: 1,
};
/// The date an earlier version of Microsoft's Get-SmsVoicePolicyUsers.ps1 printed.
pub const SCRIPT_DATE: Day = Day {
    year: 2027,
    month: 1,
    day: 28,
};
/// Where each date comes from, as every output names them.
pub const DATE_SOURCES: &str = "2027-02-01 (Microsoft's retirement page) / 2027-01-28 (an \
                                earlier version of Microsoft's SMS/voice scanner script)";

/// Does a user rely on SMS and voice alone?
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneOnly {
    /// Every MFA method is a text message or a voice call, and there is at least one.
    Yes,
    /// Some other MFA method, or no phone method at all.
    No,
    /// A name the vocabulary does not know, or names not exported, and no other MFA method
    /// known: the methods cannot say.
    CannotTell,
}

/// Whether `methods` are phone only.
pub fn phone_only(methods: &Methods) -> PhoneOnly {
    let names = match methods {
        Methods::Names(names) => names,
        Methods::TwoOrMoreUnnamed | Methods::NotListed => return PhoneOnly::CannotTell,
    };
    let (mut phone, mut unknown) = (false, false);
    for n in names {
        match vocab::lookup(n).map(|m| m.strength) {
            Some(Strength::App | Strength::PhishingResistant) => return PhoneOnly::No,
            Some(Strength::Phone) => phone = true,
            Some(Strength::NotMfa) => {}
            None => unknown = true,
        }
    }
    match (unknown, phone) {
        (true, _) => PhoneOnly::CannotTell,
        (false, true) => PhoneOnly::Yes,
        (false, false) => PhoneOnly::No,
    }
}

/// Whether the methods policy still allows one method to one user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Allowed {
    Yes,
    No,
    /// What the exports would have to carry.
    CannotTell(String),
}

impl Allowed {
    /// As the `--phone-only` list writes it.
    pub fn text(&self) -> String {
        match self {
            Allowed::Yes => "yes".to_owned(),
            Allowed::No => "no".to_owned(),
            Allowed::CannotTell(why) => format!("cannot tell: {why}"),
        }
    }
}

/// SMS and voice for one phone-only user, by the methods policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub sms: Allowed,
    pub voice: Allowed,
}

/// Is the user one of the targets (`all_users`, a user id, a group id)?
fn targeted(who: &Who, policy: &MethodsPolicy, ids: &[String]) -> Tri {
    Tri::any(ids.iter().map(|id| {
        if id == "all_users" {
            Tri::Yes
        } else if policy.user_targets.contains(id) {
            who.is_user(id)
        } else {
            who.in_group(id)
        }
    }))
}

fn describe(missing: &std::collections::BTreeSet<Missing>, who: &Who) -> String {
    let parts: Vec<String> = missing
        .iter()
        .map(|m| match m {
            Missing::Group(id) => format!("membership of group {} not in the export", {
                who.group_label(id)
            }),
            other => other.describe(),
        })
        .collect();
    parts.join("; ")
}

/// One method's configuration for one user: enabled, included and not excluded.
fn allowed(
    who: &Who,
    policy: &MethodsPolicy,
    enabled: bool,
    include: &[String],
    exclude: &[String],
) -> Allowed {
    let answer = if !enabled {
        Tri::No
    } else {
        targeted(who, policy, include).and_not(targeted(who, policy, exclude))
    };
    match answer {
        Tri::Yes => Allowed::Yes,
        // A legacy MFA or SSPR policy may still allow what this one does not.
        Tri::No if !policy.migration_complete => Allowed::CannotTell(
            "policy migration not complete: the legacy MFA and SSPR policies may still allow it"
                .to_owned(),
        ),
        Tri::No => Allowed::No,
        Tri::Unknown(m) => Allowed::CannotTell(describe(&m, who)),
    }
}

/// SMS and voice for a phone-only user; `None` without a methods policy export.
pub fn allowance(tenant: &Tenant, v: &Verdict, object_id: Option<&str>) -> Option<Allowance> {
    let policy = tenant.methods_policy.as_ref()?;
    let user = UserRef {
        upn: v.upn,
        id: object_id.map(str::trim).filter(|s| !s.is_empty()),
        guest: v.user_type.map(|t| t.eq_ignore_ascii_case("guest")),
    };
    let who = Who::new(tenant, &user);
    Some(Allowance {
        sms: allowed(
            &who,
            policy,
            policy.sms_enabled,
            &policy.sms_targets,
            &policy.sms_excluded,
        ),
        voice: allowed(
            &who,
            policy,
            policy.voice_enabled,
            &policy.voice_targets,
            &policy.voice_excluded,
        ),
    })
}

/// What the methods policy says of the phone-only users, counted.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PolicyCounts {
    /// The SMS configuration is enabled (for someone).
    pub sms_enabled: bool,
    pub voice_enabled: bool,
    /// `policyMigrationState` is `migrationComplete`.
    pub migration_complete: bool,
    /// Phone-only users still allowed SMS, voice, either.
    pub sms_allowed: u64,
    pub voice_allowed: u64,
    pub still_allowed: u64,
    /// Allowed neither: they already cannot complete MFA with what they have.
    pub not_allowed: u64,
    /// The exports cannot say for SMS or voice, and neither is surely allowed.
    pub cannot_tell: u64,
}

impl PolicyCounts {
    pub fn new(policy: &MethodsPolicy) -> PolicyCounts {
        PolicyCounts {
            sms_enabled: policy.sms_enabled,
            voice_enabled: policy.voice_enabled,
            migration_complete: policy.migration_complete,
            ..PolicyCounts::default()
        }
    }

    pub fn add(&mut self, a: &Allowance) {
        self.sms_allowed += u64::from(a.sms == Allowed::Yes);
        self.voice_allowed += u64::from(a.voice == Allowed::Yes);
        if a.sms == Allowed::Yes || a.voice == Allowed::Yes {
            self.still_allowed += 1;
        } else if a.sms == Allowed::No && a.voice == Allowed::No {
            self.not_allowed += 1;
        } else {
            self.cannot_tell += 1;
        }
    }
}

/// The JSON summary's `"phone_only"` and what the human summary and HTML page say.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PhoneEnd {
    /// Users who can sign in whose every MFA method is SMS or voice.
    pub users: u64,
    /// Users who can sign in whose methods cannot say (unknown names, names not exported).
    pub cannot_tell: u64,
    /// The retirement page's date.
    pub date: String,
    /// The date another Microsoft source gave.
    pub other_date: String,
    /// Which source says which date.
    pub date_sources: &'static str,
    /// Days from `--today` to the date; `None` once it has come.
    pub days_left: Option<i64>,
    /// The date has come (`--today` is on or after it).
    pub passed: bool,
    /// With the authentication methods policy in `--policies`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyCounts>,
}

impl PhoneEnd {
    pub fn new(today: Day, users: u64, cannot_tell: u64, policy: Option<PolicyCounts>) -> PhoneEnd {
        let left = RETIREMENT.to_unix_days() - today.to_unix_days();
        PhoneEnd {
            users,
            cannot_tell,
            date: RETIREMENT.to_string(),
            other_date: SCRIPT_DATE.to_string(),
            date_sources: DATE_SOURCES,
            days_left: (left > 0).then_some(left),
            passed: left <= 0,
            policy,
        }
    }

    /// The date line, in every summary.
    pub fn date_line(&self) -> String {
        let when = match self.days_left {
            Some(n) => format!("{n} day{} left", if n == 1 { "" } else { "s" }),
            None => "that date has passed: Microsoft-provided SMS and voice no longer complete \
                     MFA"
            .to_owned(),
        };
        format!(
            "Microsoft-provided SMS and voice MFA end from {DATE_SOURCES}: {when}. Users whose \
             only MFA methods are SMS or voice then must register a passkey at sign-in, a \
             prompt they cannot skip (unless the tenant configures its own telecom provider)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::methods::Names;
    use crate::read::policies::model::Principal;
    use std::borrow::Cow;

    fn names(list: &[&'static str]) -> Methods<'static> {
        Methods::Names(list.iter().map(|n| Cow::Borrowed(*n)).collect::<Names>())
    }

    #[test]
    fn phone_only_means_every_mfa_method_is_sms_or_voice() {
        use PhoneOnly::*;
        let cases: &[(&[&str], PhoneOnly)] = &[
            (&["OneWaySMS"], Yes),
            (&["OneWaySMS", "TwoWayVoiceMobile"], Yes),
            (&["TwoWayVoiceOffice"], Yes),
            (&["TwoWayVoiceAlternateMobile"], Yes),
            (&["mobilePhone", "officePhone", "alternateMobilePhone"], Yes),
            (&["Text message", "Voice call"], Yes),
            // Email is not MFA: it does not keep the user from the prompt.
            (&["mobilePhone", "email"], Yes),
            (&["OneWaySMS", "PhoneAppNotification"], No),
            (&["mobilePhone", "fido2"], No),
            (&["email"], No),
            (&[], No),
            // An unknown name could be anything, including another method.
            (&["mobilePhone", "quantumToken"], CannotTell),
            (&["quantumToken"], CannotTell),
            // ... but a known app settles it.
            (&["quantumToken", "microsoftAuthenticatorPush"], No),
        ];
        for (list, want) in cases {
            assert_eq!(phone_only(&names(list)), *want, "{list:?}");
        }
        assert_eq!(phone_only(&Methods::TwoOrMoreUnnamed), CannotTell);
        assert_eq!(phone_only(&Methods::NotListed), CannotTell);
    }

    #[test]
    fn days_left_and_passed() {
        let at = |d: &str| PhoneEnd::new(Day::parse(d).unwrap(), 0, 0, None);
        assert_eq!(at("2026-11-25").days_left, Some(68));
        assert_eq!(at("2027-01-31").days_left, Some(1));
        assert!(at("2027-01-31").date_line().contains("1 day left"));
        for d in ["2027-02-01", "2027-03-01"] {
            let p = at(d);
            assert_eq!((p.days_left, p.passed), (None, true), "{d}");
            assert!(p.date_line().contains("has passed"));
        }
        assert!(at("2026-01-01").date_line().contains("2027-01-28"));
    }

    fn tenant(policy: MethodsPolicy) -> Tenant {
        let mut t = Tenant::default();
        t.groups.insert(
            "grp-sms".into(),
            vec![Principal {
                id: "id-ann".into(),
                upn: Some("ann@contoso.example".into()),
                kind: "#microsoft.graph.user".into(),
            }],
        );
        t.methods_policy = Some(policy);
        t
    }

    #[test]
    fn allowance_by_policy() {
        let v = |upn: &'static str| {
            crate::audit::classify::test_verdict(
                upn,
                crate::audit::classify::Bucket::Registered,
                &["OneWaySMS"],
            )
        };
        let base = MethodsPolicy {
            sms_enabled: true,
            voice_enabled: false,
            sms_targets: vec!["grp-sms".into()],
            voice_targets: vec!["all_users".into()],
            migration_complete: true,
            ..MethodsPolicy::default()
        };
        let t = tenant(base.clone());
        // Ann is in the SMS group; voice is off.
        let a = allowance(&t, &v("ann@contoso.example"), Some("id-ann")).unwrap();
        assert_eq!((a.sms, a.voice), (Allowed::Yes, Allowed::No));
        // Bob is not in it.
        let b = allowance(&t, &v("bob@contoso.example"), Some("id-bob")).unwrap();
        assert_eq!(b.sms, Allowed::No);
        // Excluded by user id: the exclusion wins.
        let t = tenant(MethodsPolicy {
            sms_excluded: vec!["id-ann".into()],
            user_targets: vec!["id-ann".into()],
            ..base.clone()
        });
        let a = allowance(&t, &v("ann@contoso.example"), Some("id-ann")).unwrap();
        assert_eq!(a.sms, Allowed::No);
        // A group with no membership rows cannot tell.
        let t = tenant(MethodsPolicy {
            sms_targets: vec!["grp-missing".into()],
            ..base.clone()
        });
        let a = allowance(&t, &v("ann@contoso.example"), Some("id-ann")).unwrap();
        assert!(matches!(&a.sms, Allowed::CannotTell(w) if w.contains("grp-missing")));
        // Legacy policies may still allow what this one does not.
        let t = tenant(MethodsPolicy {
            migration_complete: false,
            ..base
        });
        let b = allowance(&t, &v("bob@contoso.example"), Some("id-bob")).unwrap();
        assert!(matches!(&b.voice, Allowed::CannotTell(w) if w.contains("migration")));
        // No methods policy export: nothing to say.
        assert_eq!(
            allowance(&Tenant::default(), &v("ann@contoso.example"), None),
            None
        );
    }
}
