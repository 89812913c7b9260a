//! Conditional Access evidence and the kinds of sign-in, counted over the sign-ins: which
//! policies asked for MFA in practice (enforced: result `success` or `failure`) and which only
//! would have (report-only results, counted apart), on how many sign-ins and users; the
//! overall "Conditional Access" status of each sign-in (all the CSV download holds); and the
//! MFA answers split into interactive and non-interactive sign-ins.
//!
//! An auditor asks "is MFA enforced?": a report-only policy that would have required it is no
//! answer, so the two are never added together. A policy "requires MFA" when the log shows
//! "Mfa" or an authentication strength among its enforced grant controls (see
//! `read::conditional_access`); a policy with MFA OR another control (compliant device) is
//! listed as requiring MFA, and the log cannot tell which of the two a sign-in met.

use std::collections::{BTreeMap, BTreeSet};

use super::reference::Class;
use crate::read::conditional_access::{CaStatus, PolicyResult};
use crate::read::signins::Event;

/// One policy's counts over the sign-ins that list it.
#[derive(Debug, Clone, Default)]
pub struct PolicyStats {
    pub id: String,
    pub name: String,
    /// Seen with an MFA grant control on at least one sign-in.
    pub requires_mfa: bool,
    /// Every grant control seen, as written.
    pub grant_controls: BTreeSet<String>,
    /// Sign-ins per result.
    pub results: BTreeMap<PolicyResult, u64>,
    /// Result texts we do not know, as written, with their counts.
    pub unrecognised: BTreeMap<String, u64>,
    /// Users (lower case) on whom the policy was enforced (success or failure).
    pub users_enforced: BTreeSet<String>,
    /// Users on whom the report-only policy would have applied.
    pub users_report_only: BTreeSet<String>,
}

impl PolicyStats {
    pub fn count(&self, r: PolicyResult) -> u64 {
        self.results.get(&r).copied().unwrap_or(0)
    }

    /// Sign-ins on which the policy was enforced (its controls asked for).
    pub fn enforced(&self) -> u64 {
        self.count(PolicyResult::Success) + self.count(PolicyResult::Failure)
    }

    /// Sign-ins on which the report-only policy would have asked for its controls.
    pub fn report_only(&self) -> u64 {
        PolicyResult::ALL
            .iter()
            .filter(|r| r.would_have_applied())
            .map(|r| self.count(*r))
            .sum()
    }
}

/// MFA answers for one kind of sign-in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindStats {
    pub sign_ins: u64,
    pub mfa_required: u64,
    pub satisfied: u64,
    pub denied: u64,
}

/// Interactive or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Interactive,
    NonInteractive,
    /// The file does not say (a CSV not named as the portal names it, JSON without
    /// `isInteractive`).
    NotSaid,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Interactive, Kind::NonInteractive, Kind::NotSaid];

    pub fn of(interactive: Option<bool>) -> Kind {
        match interactive {
            Some(true) => Kind::Interactive,
            Some(false) => Kind::NonInteractive,
            None => Kind::NotSaid,
        }
    }

    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Interactive => "interactive",
            Kind::NonInteractive => "non_interactive",
            Kind::NotSaid => "not_said",
        }
    }
}

/// Everything this module counts.
#[derive(Debug, Default)]
pub struct Evidence {
    /// Sign-ins per overall Conditional Access status; `None`: the log does not say.
    pub status: BTreeMap<Option<CaStatus>, u64>,
    /// Sign-ins whose file lists the applied policies (Graph JSON), and those whose does not.
    pub with_policy_details: u64,
    pub without_policy_details: u64,
    /// By policy id (the display name when a log has no id).
    pub policies: BTreeMap<String, PolicyStats>,
    pub kinds: BTreeMap<Kind, KindStats>,
    /// Sign-ins per user (keyed as `Analysis::users` is: the lower-cased UPN) and kind.
    pub per_user: BTreeMap<String, BTreeMap<Kind, u64>>,
}

impl Evidence {
    /// Counts one sign-in (already known not to repeat an earlier one), with its MFA class.
    pub fn add(&mut self, e: &Event, class: Option<Class>) {
        *self.status.entry(e.ca_status.clone()).or_insert(0) += 1;
        *self
            .per_user
            .entry(e.upn.to_lowercase())
            .or_default()
            .entry(Kind::of(e.interactive))
            .or_insert(0) += 1;
        let kind = self.kinds.entry(Kind::of(e.interactive)).or_default();
        kind.sign_ins += 1;
        kind.mfa_required += u64::from(e.mfa_required == Some(true));
        match class {
            Some(Class::Satisfied) => kind.satisfied += 1,
            Some(Class::Denied) => kind.denied += 1,
            _ => {}
        }
        let Some(list) = &e.policies else {
            self.without_policy_details += 1;
            return;
        };
        self.with_policy_details += 1;
        let user = e.upn.trim().to_lowercase();
        for p in list {
            let key = if p.id.is_empty() { &p.name } else { &p.id };
            let stats = self
                .policies
                .entry(key.clone())
                .or_insert_with(|| PolicyStats {
                    id: p.id.clone(),
                    ..PolicyStats::default()
                });
            // A policy renamed within the period keeps its latest non-empty name seen.
            if !p.name.is_empty() {
                stats.name = p.name.clone();
            }
            stats.requires_mfa |= p.requires_mfa;
            stats
                .grant_controls
                .extend(p.grant_controls.iter().cloned());
            *stats.results.entry(p.result).or_insert(0) += 1;
            if !p.raw_result.is_empty() {
                *stats.unrecognised.entry(p.raw_result.clone()).or_insert(0) += 1;
            }
            if !user.is_empty() {
                if p.result.enforced() {
                    stats.users_enforced.insert(user.clone());
                } else if p.result.would_have_applied() {
                    stats.users_report_only.insert(user.clone());
                }
            }
        }
    }

    /// The policies, those that require MFA first, then by name.
    pub fn sorted_policies(&self) -> Vec<&PolicyStats> {
        let mut v: Vec<&PolicyStats> = self.policies.values().collect();
        v.sort_by(|a, b| {
            b.requires_mfa
                .cmp(&a.requires_mfa)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.id.cmp(&b.id))
        });
        v
    }

    /// Sign-ins per overall status.
    pub fn status_count(&self, s: Option<&CaStatus>) -> u64 {
        self.status
            .iter()
            .filter(|(k, _)| k.as_ref() == s)
            .map(|(_, n)| *n)
            .sum()
    }

    /// Status texts we do not know, with their counts.
    pub fn unrecognised_status(&self) -> BTreeMap<String, u64> {
        self.status
            .iter()
            .filter_map(|(k, n)| match k {
                Some(CaStatus::Other(t)) => Some((t.clone(), *n)),
                _ => None,
            })
            .collect()
    }

    /// A user's sign-ins of kind `k` (`key`: the lower-cased UPN).
    pub fn user_kind(&self, key: &str, k: Kind) -> u64 {
        self.per_user
            .get(key)
            .and_then(|m| m.get(&k))
            .copied()
            .unwrap_or(0)
    }

    pub fn kind(&self, k: Kind) -> KindStats {
        self.kinds.get(&k).copied().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::conditional_access::AppliedPolicy;

    fn policy(id: &str, result: PolicyResult, mfa: bool) -> AppliedPolicy {
        AppliedPolicy {
            id: id.into(),
            name: format!("Policy {id}"),
            result,
            raw_result: String::new(),
            grant_controls: vec![if mfa { "Mfa" } else { "RequireCompliantDevice" }.into()],
            requires_mfa: mfa,
        }
    }

    fn event(upn: &str, interactive: Option<bool>, policies: Option<Vec<AppliedPolicy>>) -> Event {
        Event {
            upn: upn.into(),
            mfa_required: Some(true),
            interactive,
            policies,
            ca_status: Some(CaStatus::Success),
            ..Event::default()
        }
    }

    /// (UPN, interactive, MFA class, policies) of one sign-in.
    type Case = (
        &'static str,
        Option<bool>,
        Option<Class>,
        Vec<AppliedPolicy>,
    );

    #[test]
    fn enforced_and_report_only_are_counted_apart() {
        let mut ev = Evidence::default();
        let cases: &[Case] = &[
            (
                "a@x",
                Some(true),
                Some(Class::Satisfied),
                vec![
                    policy("p1", PolicyResult::Success, true),
                    policy("r1", PolicyResult::ReportOnlyInterrupted, true),
                ],
            ),
            (
                "A@X",
                Some(false),
                Some(Class::Denied),
                vec![
                    policy("p1", PolicyResult::Failure, true),
                    policy("r1", PolicyResult::ReportOnlyFailure, true),
                ],
            ),
            (
                "b@x",
                None,
                None,
                vec![
                    policy("p1", PolicyResult::NotApplied, true),
                    policy("d1", PolicyResult::ReportOnlySuccess, false),
                ],
            ),
        ];
        for (upn, kind, class, list) in cases {
            ev.add(&event(upn, *kind, Some(list.clone())), *class);
        }
        ev.add(&event("c@x", Some(true), None), None);
        let p1 = &ev.policies["p1"];
        // a@x and A@X are one user: enforced on 2 sign-ins, 1 user.
        assert_eq!(
            (p1.enforced(), p1.report_only(), p1.users_enforced.len()),
            (2, 0, 1)
        );
        assert_eq!(p1.count(PolicyResult::NotApplied), 1);
        let r1 = &ev.policies["r1"];
        assert_eq!(
            (r1.enforced(), r1.report_only(), r1.users_report_only.len()),
            (0, 2, 1)
        );
        assert!(!ev.policies["d1"].requires_mfa);
        assert_eq!((ev.with_policy_details, ev.without_policy_details), (3, 1));
        assert_eq!(
            ev.kind(Kind::Interactive),
            KindStats {
                sign_ins: 2,
                mfa_required: 2,
                satisfied: 1,
                denied: 0
            }
        );
        assert_eq!(
            ev.kind(Kind::NonInteractive),
            KindStats {
                sign_ins: 1,
                mfa_required: 1,
                satisfied: 0,
                denied: 1
            }
        );
        assert_eq!(ev.kind(Kind::NotSaid).sign_ins, 1);
        assert_eq!(ev.user_kind("a@x", Kind::Interactive), 1);
        assert_eq!(ev.user_kind("a@x", Kind::NonInteractive), 1);
        assert_eq!(ev.status_count(Some(&CaStatus::Success)), 4);
        assert_eq!(ev.sorted_policies().last().unwrap().id, "d1");
    }
}
