//! Audit gates for CI: conditions that fail the run (exit code 1) while the outputs are still
//! written, so that a scheduled job goes red when MFA coverage falls.
//!
//! Gates see the distinct users that no exception covers. Coverage, unregistered and unknown
//! counts come from the tally; the per-user gates (`--require`, `--require-admins`,
//! `--fail-on-phone-only`) watch each user as the audit passes and remember who failed them;
//! `--fail-on-phone-only` also fails on registered users whose methods cannot say whether
//! they are phone only (it never passes on what it could not measure).
//! The enforcement gates (`--fail-on-unenforced`, `--require-enforced`) watch the verdict of
//! `--policies` on the same users ([`GateWatch::observe_enforcement`]), and
//! `--require-admins-phishing-resistant` their privileged roles and phishing-resistant methods
//! ([`GateWatch::observe_admin`]).

use regex::Regex;
use serde::Serialize;
use serde_json::{json, Value};

use crate::audit::admins::{AdminStatus, PhishingResistance};
use crate::audit::classify::{Bucket, StrengthClass, Verdict};
use crate::audit::enforcement::Enforcement;
use crate::audit::phone_end::{self, PhoneOnly};
use crate::audit::tally::Tally;
use crate::audit::vocab::Strength;

/// The gates asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct GateOptions {
    pub fail_under: Option<f64>,
    pub max_unregistered: Option<u64>,
    pub fail_on_unknown: bool,
    pub require: Vec<Regex>,
    pub require_admins: bool,
    pub fail_on_phone_only: bool,
    /// `--fail-on-unenforced`: any user whose MFA is not enforced for every sign-in, or
    /// cannot be told to be.
    pub fail_on_unenforced: bool,
    /// `--require-enforced REGEX`: matching users must be enforced by Conditional Access or
    /// security defaults.
    pub require_enforced: Vec<Regex>,
    /// `--require-admins-phishing-resistant`: every admin (privileged role at `/`) must have a
    /// phishing-resistant method registered, and it must be possible to tell.
    pub require_admins_phishing_resistant: bool,
}

/// Verdicts `--fail-on-unenforced` fails on: MFA is not required at every sign-in (partial,
/// report-only, not at all), or the exports cannot tell (undetermined, never a pass).
pub fn unenforced(verdict: Enforcement) -> bool {
    matches!(
        verdict,
        Enforcement::ConditionalAccessPartial
            | Enforcement::ReportOnly
            | Enforcement::NotEnforced
            | Enforcement::Undetermined
    )
}

/// Verdicts `--require-enforced` accepts: a tenant-wide mechanism the exports show in full.
/// Per-user MFA is not among them: Microsoft tells admins to replace it by Conditional Access,
/// and its state is a switch on each account, changed one user at a time outside any policy.
pub fn enforced_for_require(verdict: Enforcement) -> bool {
    matches!(
        verdict,
        Enforcement::ConditionalAccess | Enforcement::SecurityDefaults
    )
}

impl GateOptions {
    pub fn any(&self) -> bool {
        self.fail_under.is_some()
            || self.max_unregistered.is_some()
            || self.fail_on_unknown
            || !self.require.is_empty()
            || self.require_admins
            || self.fail_on_phone_only
            || self.fail_on_unenforced
            || !self.require_enforced.is_empty()
            || self.require_admins_phishing_resistant
    }
}

/// Users who failed a per-user gate: how many, and the first of them by name.
#[derive(Debug, Clone, Default)]
struct Failing {
    count: u64,
    users: Vec<String>,
}

/// Users named per failed gate, at most.
const NAMED: usize = 100;

impl Failing {
    fn add(&mut self, upn: &str) {
        self.count += 1;
        if self.users.len() < NAMED {
            self.users.push(upn.to_owned());
        }
    }
}

/// The per-user gates' observations.
#[derive(Debug, Clone, Default)]
pub struct GateWatch {
    options: GateOptions,
    /// Per `--require` pattern: matching users, and those not registered.
    required: Vec<(u64, Failing)>,
    admins: Failing,
    admins_seen: bool,
    phone_only: Failing,
    /// Registered users whose methods cannot say whether they are phone only (names not
    /// exported, or unknown to the vocabulary): `--fail-on-phone-only` cannot pass over them.
    phone_only_cannot_tell: Failing,
    unenforced: Failing,
    /// Per `--require-enforced` pattern: matching users, and those not enforced.
    required_enforced: Vec<(u64, Failing)>,
    /// Admins (or possible admins) without a phishing-resistant method, or who cannot be told.
    admins_phishing: Failing,
    /// No role assignment export: admins cannot be told at all.
    no_role_export: bool,
}

/// One gate's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct GateResult {
    pub name: String,
    pub threshold: Value,
    pub actual: Value,
    pub passed: bool,
    /// Users who failed the gate (the first 100), for per-user gates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
    /// One line for people.
    #[serde(skip)]
    pub summary: String,
}

impl GateWatch {
    pub fn new(options: GateOptions) -> GateWatch {
        GateWatch {
            required: vec![(0, Failing::default()); options.require.len()],
            required_enforced: vec![(0, Failing::default()); options.require_enforced.len()],
            options,
            ..GateWatch::default()
        }
    }

    /// Watches one distinct user that no exception covers.
    pub fn observe(&mut self, v: &Verdict) {
        if v.bucket == Bucket::Blocked || v.upn.is_empty() {
            return;
        }
        for (re, (matched, failing)) in self.options.require.iter().zip(&mut self.required) {
            if re.is_match(v.upn) {
                *matched += 1;
                if !v.registered {
                    failing.add(v.upn);
                }
            }
        }
        if self.options.require_admins && v.admin.is_some() {
            self.admins_seen = true;
            if v.admin == Some(true) && !v.registered {
                self.admins.add(v.upn);
            }
        }
        if self.options.fail_on_phone_only && v.registered {
            if v.strength == Some(StrengthClass::Known(Strength::Phone)) {
                self.phone_only.add(v.upn);
            } else if phone_end::phone_only(&v.methods) == PhoneOnly::CannotTell {
                // A list of method names the export dropped, or a name mfa-audit does not
                // know, may be nothing but a phone: the gate cannot say it passes.
                self.phone_only_cannot_tell.add(v.upn);
            }
        }
    }

    /// Watches the enforcement verdict of one distinct user that no exception covers (the
    /// same users as [`GateWatch::observe`]: blocked users cannot sign in, so are left out).
    pub fn observe_enforcement(&mut self, v: &Verdict, verdict: Enforcement) {
        if v.bucket == Bucket::Blocked || v.upn.is_empty() {
            return;
        }
        if self.options.fail_on_unenforced && unenforced(verdict) {
            self.unenforced.add(v.upn);
        }
        let patterns = self.options.require_enforced.iter();
        for (re, (matched, failing)) in patterns.zip(&mut self.required_enforced) {
            if re.is_match(v.upn) {
                *matched += 1;
                if !enforced_for_require(verdict) {
                    failing.add(v.upn);
                }
            }
        }
    }

    /// Watches the admin status and phishing resistance of one distinct user that no exception
    /// covers. A user who may hold a privileged role (the exports cannot tell) fails unless a
    /// phishing-resistant method is registered: a gate that cannot be checked never passes.
    pub fn observe_admin(&mut self, v: &Verdict, admin: &AdminStatus, pr: PhishingResistance) {
        if !self.options.require_admins_phishing_resistant
            || v.bucket == Bucket::Blocked
            || v.upn.is_empty()
        {
            return;
        }
        match admin {
            AdminStatus::NoRoleExport => self.no_role_export = true,
            AdminStatus::NotAdmin => {}
            AdminStatus::Admin(_) | AdminStatus::Undetermined { .. } => {
                if pr != PhishingResistance::Registered {
                    self.admins_phishing.add(v.upn);
                }
            }
        }
    }

    /// Evaluates every gate asked for. `blocked_excluded`: every input could exclude blocked
    /// accounts.
    pub fn evaluate(&self, tally: &Tally, blocked_excluded: bool) -> Vec<GateResult> {
        let mut out = Vec::new();
        let o = &self.options;
        if let Some(min) = o.fail_under {
            let (reg, total) = (tally.registered, tally.registered + tally.unregistered);
            // Exact comparison: at the threshold passes (3 of 4 against 75 passes). Without a
            // single user who can sign in there is no coverage to compare: the gate fails, as
            // a gate that cannot be measured never passes.
            let passed = total > 0 && (reg as f64) * 100.0 >= min * total as f64;
            let actual = tally.coverage_percent();
            out.push(GateResult {
                name: "fail-under".into(),
                threshold: json!(min),
                actual: json!(actual),
                passed,
                users: Vec::new(),
                summary: match actual {
                    Some(p) => format!(
                        "coverage {p}% (registered {reg} of {total}); at least {min}% required"
                    ),
                    None => format!(
                        "coverage n/a: no user who can sign in was classified as registered or \
                         unregistered, so coverage cannot be measured; at least {min}% required"
                    ),
                },
            });
        }
        if let Some(max) = o.max_unregistered {
            // Nobody classified while users were unreadable (or no user at all): the count of
            // unregistered users is not known, so the gate cannot pass.
            let measured = tally.registered + tally.unregistered > 0
                || (tally.users > 0 && tally.unknown == 0);
            out.push(GateResult {
                name: "max-unregistered".into(),
                threshold: json!(max),
                actual: json!(tally.unregistered),
                passed: measured && tally.unregistered <= max,
                users: Vec::new(),
                summary: if measured {
                    format!(
                        "{} unregistered users; at most {max} allowed",
                        tally.unregistered
                    )
                } else {
                    format!(
                        "n/a: no user could be classified as registered or unregistered, so the \
                         unregistered users cannot be counted; at most {max} allowed"
                    )
                },
            });
        }
        if o.fail_on_unknown {
            let by_names = tally.population.registered_by_unrecognised_names;
            let passed = tally.unknown == 0 && blocked_excluded && by_names == 0;
            let mut why = String::new();
            if !blocked_excluded {
                why.push_str("; an input could not exclude blocked accounts");
            }
            if by_names > 0 {
                why.push_str(&format!(
                    "; {by_names} registered only by method names mfa-audit does not know"
                ));
            }
            out.push(GateResult {
                name: "fail-on-unknown".into(),
                threshold: json!(0),
                actual: json!(tally.unknown),
                passed,
                users: Vec::new(),
                summary: format!(
                    "{} users with an unreadable sign-in state{why}",
                    tally.unknown
                ),
            });
        }
        for (re, (matched, failing)) in o.require.iter().zip(&self.required) {
            out.push(per_user(
                format!("require {}", re.as_str()),
                json!(re.as_str()),
                failing,
                format!(
                    "of the {matched} users matching {:?} who can sign in are not registered",
                    re.as_str()
                ),
            ));
        }
        if o.require_admins {
            let mut gate = per_user(
                "require-admins".into(),
                json!(true),
                &self.admins,
                "admins (isAdmin) who can sign in are not registered".into(),
            );
            if !self.admins_seen {
                gate.passed = false;
                gate.summary = "no input has an isAdmin column, so admins cannot be checked".into();
            }
            out.push(gate);
        }
        if o.fail_on_phone_only {
            let mut gate = per_user(
                "fail-on-phone-only".into(),
                json!(0),
                &self.phone_only,
                "registered users who can sign in rely on text message or voice call alone".into(),
            );
            let unknown = &self.phone_only_cannot_tell;
            if unknown.count > 0 {
                // A gate that cannot be measured never passes: these users are named with the
                // others, and the summary says why.
                gate.passed = false;
                let room = NAMED.saturating_sub(gate.users.len());
                gate.users.extend(unknown.users.iter().take(room).cloned());
                let shown: Vec<&str> = unknown.users.iter().take(5).map(String::as_str).collect();
                gate.summary = format!(
                    "{}; {} more registered users who can sign in have methods that cannot say \
                     (names not exported, or unknown to mfa-audit), so the gate cannot pass: {}{}",
                    gate.summary,
                    unknown.count,
                    shown.join(", "),
                    if unknown.count > 5 { ", ..." } else { "" }
                );
            }
            out.push(gate);
        }
        if o.fail_on_unenforced {
            out.push(per_user(
                "fail-on-unenforced".into(),
                json!(0),
                &self.unenforced,
                "users who can sign in are not enforced at every sign-in (Conditional Access \
                 partial, report-only, not enforced or undetermined)"
                    .into(),
            ));
        }
        for (re, (matched, failing)) in o.require_enforced.iter().zip(&self.required_enforced) {
            out.push(per_user(
                format!("require-enforced {}", re.as_str()),
                json!(re.as_str()),
                failing,
                format!(
                    "of the {matched} users matching {:?} who can sign in are not enforced by \
                     Conditional Access or security defaults",
                    re.as_str()
                ),
            ));
        }
        if o.require_admins_phishing_resistant {
            let mut gate = per_user(
                "require-admins-phishing-resistant".into(),
                json!(0),
                &self.admins_phishing,
                "admins who can sign in have no phishing-resistant method registered, or the \
                 exports cannot tell"
                    .into(),
            );
            if self.no_role_export {
                gate.passed = false;
                gate.summary = "no role assignment export among --policies, so admins cannot \
                                be told (docs/enforcement.md)"
                    .into();
            }
            out.push(gate);
        }
        out
    }
}

/// A gate that fails for each user it names; `what` completes "N ..." (e.g. "admins who can
/// sign in are not registered").
fn per_user(name: String, threshold: Value, failing: &Failing, what: String) -> GateResult {
    let summary = if failing.count == 0 {
        format!("0 {what}")
    } else {
        let shown: Vec<&str> = failing.users.iter().take(5).map(String::as_str).collect();
        format!(
            "{} {what}: {}{}",
            failing.count,
            shown.join(", "),
            if failing.count > 5 { ", ..." } else { "" }
        )
    };
    GateResult {
        name,
        threshold,
        actual: json!(failing.count),
        passed: failing.count == 0,
        users: failing.users.clone(),
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(registered: u64, unregistered: u64, unknown: u64) -> Tally {
        Tally {
            users: registered + unregistered + unknown,
            registered,
            unregistered,
            unknown,
            ..Tally::default()
        }
    }

    #[test]
    fn thresholds_pass_at_the_boundary_and_fail_past_it() {
        let under = |p| GateOptions {
            fail_under: Some(p),
            ..Default::default()
        };
        let max = |n| GateOptions {
            max_unregistered: Some(n),
            ..Default::default()
        };
        let unknown = GateOptions {
            fail_on_unknown: true,
            ..Default::default()
        };
        // (gate, (registered, unregistered, unknown), blocked users excluded, passes)
        let cases = [
            (under(75.0), (3, 1, 0), true, true),
            (under(75.01), (3, 1, 0), true, false),
            (under(66.67), (2, 1, 0), true, false),
            // Nothing to measure: never a pass.
            (under(90.0), (0, 0, 0), true, false),
            (under(0.0), (0, 0, 3), true, false),
            (max(0), (0, 0, 2), true, false),
            (max(0), (0, 0, 0), true, false),
            (max(1), (3, 1, 0), true, true),
            (max(0), (3, 1, 0), true, false),
            (unknown.clone(), (3, 1, 0), true, true),
            (unknown.clone(), (3, 1, 1), true, false),
            (unknown, (3, 1, 0), false, false),
        ];
        for (options, (r, u, k), excluded, want) in cases {
            let results = GateWatch::new(options.clone()).evaluate(&tally(r, u, k), excluded);
            assert_eq!(results.len(), 1);
            assert_eq!(
                results[0].passed, want,
                "{options:?} {}",
                results[0].summary
            );
        }
    }

    /// A user who can sign in (or not), as the audit classifies them.
    fn user(upn: &str, blocked: &str) -> Verdict<'static> {
        let upn: &'static str = Box::leak(upn.to_owned().into_boxed_str());
        let blocked: &'static str = Box::leak(blocked.to_owned().into_boxed_str());
        let mut row = crate::read::schema::Row::default();
        row.fields[crate::read::schema::Role::Upn.index()] = Some(upn);
        row.fields[crate::read::schema::Role::Blocked.index()] = Some(blocked);
        row.fields[crate::read::schema::Role::Methods.index()] = Some("PhoneAppNotification");
        crate::audit::classify::classify(&row, crate::read::schema::Polarity::TrueIsBlocked)
            .unwrap()
    }

    /// Which verdicts each enforcement gate fails on; blocked users are never counted.
    #[test]
    fn enforcement_gates_fail_on_the_documented_verdicts() {
        use Enforcement as E;
        // (verdict, fails --fail-on-unenforced, fails --require-enforced)
        let cases = [
            (E::ConditionalAccess, false, false),
            (E::ConditionalAccessPartial, true, true),
            (E::SecurityDefaults, false, false),
            // Per-user MFA requires MFA at sign-in, but is no policy: accepted by the first
            // gate, not by the stricter one.
            (E::PerUser, false, true),
            (E::ReportOnly, true, true),
            (E::NotEnforced, true, true),
            // Cannot be told: never a pass.
            (E::Undetermined, true, true),
        ];
        let admins = Regex::new("^admin").unwrap();
        for (verdict, unenforced_fails, require_fails) in cases {
            let options = GateOptions {
                fail_on_unenforced: true,
                require_enforced: vec![admins.clone()],
                ..GateOptions::default()
            };
            let mut watch = GateWatch::new(options);
            watch.observe_enforcement(&user("admin@contoso.com", "False"), verdict);
            // Blocked: cannot sign in, whatever the verdict.
            watch.observe_enforcement(&user("admin2@contoso.com", "True"), E::NotEnforced);
            let results = watch.evaluate(&tally(1, 0, 0), true);
            assert_eq!(results.len(), 2);
            assert_eq!(results[0].name, "fail-on-unenforced");
            assert_eq!(!results[0].passed, unenforced_fails, "{verdict:?}");
            assert_eq!(results[1].name, "require-enforced ^admin");
            assert_eq!(!results[1].passed, require_fails, "{verdict:?}");
            if unenforced_fails {
                assert_eq!(results[0].users, vec!["admin@contoso.com".to_owned()]);
            }
        }
    }

    /// --require-admins-phishing-resistant: admins and possible admins fail unless a
    /// phishing-resistant method is registered; blocked users and non-admins never count; no
    /// role export fails the gate whoever was seen.
    #[test]
    fn admins_phishing_resistant_gate() {
        use crate::audit::admins::{AdminStatus as A, PhishingResistance as P};
        let admin = A::Admin(vec!["Global Administrator"]);
        let maybe = A::Undetermined {
            roles: vec!["User Administrator"],
            why: vec!["membership of group g not in the export".into()],
        };
        // (status, phishing resistance, blocked, fails)
        let cases = [
            (admin.clone(), P::Registered, "False", false),
            (admin.clone(), P::Without, "False", true),
            (admin.clone(), P::Unknown("why"), "False", true),
            (admin.clone(), P::Without, "True", false),
            (maybe.clone(), P::Registered, "False", false),
            (maybe, P::Without, "False", true),
            (A::NotAdmin, P::Without, "False", false),
        ];
        for (status, pr, blocked, fails) in cases {
            let mut watch = GateWatch::new(GateOptions {
                require_admins_phishing_resistant: true,
                ..GateOptions::default()
            });
            watch.observe_admin(&user("admin@contoso.com", blocked), &status, pr);
            let g = &watch.evaluate(&Tally::default(), true)[0];
            assert_eq!(g.name, "require-admins-phishing-resistant");
            assert_eq!(!g.passed, fails, "{status:?} {pr:?} {blocked}");
        }
        let mut watch = GateWatch::new(GateOptions {
            require_admins_phishing_resistant: true,
            ..GateOptions::default()
        });
        watch.observe_admin(
            &user("a@contoso.com", "False"),
            &A::NoRoleExport,
            P::Registered,
        );
        let g = &watch.evaluate(&Tally::default(), true)[0];
        assert!(!g.passed);
        assert!(
            g.summary.contains("no role assignment export"),
            "{}",
            g.summary
        );
    }
}
