//! Everything a run counts, and the accounting invariant checked before anything is committed:
//! `users = registered + unregistered + blocked + unknown + duplicates + excluded + excepted`.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde::Serialize;

use crate::audit::classify::{Bucket, FlagConflict, Methods, Verdict};
pub use crate::audit::counter::NameCounter;
use crate::audit::phone_end::PhoneOnly;

/// Everything counted in a run. The buckets serialise (into the JSON summary, flattened); the
/// rest is shown there in its own words.
#[derive(Debug, Default, Serialize)]
pub struct Tally {
    pub users: u64,
    pub registered: u64,
    pub unregistered: u64,
    pub blocked: u64,
    pub unknown: u64,
    pub duplicates: u64,
    /// Rows left out by a filter (`--admins-only`, `--members-only`).
    pub excluded: u64,
    /// Distinct users an exception covers (out of the other buckets).
    pub excepted: u64,
    /// Distinct users whose UPN, its look-alike letters read as the Latin ones they imitate,
    /// is another user's: probable impersonations.
    pub lookalike_upns: u64,
    /// MFA Status of the users in the report.
    #[serde(skip)]
    pub status: NameCounter,
    /// Methods of the users in the report.
    #[serde(skip)]
    pub methods: NameCounter,
    /// Users in the report registered with method names not in the input.
    #[serde(skip)]
    pub unnamed_methods: u64,
    /// Method names of users in the report that the vocabulary does not know.
    #[serde(skip)]
    pub unrecognised: NameCounter,
    /// The users who can sign in.
    #[serde(skip)]
    pub population: Population,
}

/// The buckets every summary shows, with the one label and key each has in every output (the
/// human summary, the JSON, the HTML page, the workbook's Summary sheet, the GitHub summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Registered,
    Unregistered,
    Blocked,
    Unknown,
    Duplicates,
    Excepted,
    Excluded,
}

impl Count {
    /// The buckets the HTML page and the GitHub summary show, in their order.
    pub const SHOWN: [Count; 6] = [
        Count::Registered,
        Count::Unregistered,
        Count::Blocked,
        Count::Unknown,
        Count::Excepted,
        Count::Duplicates,
    ];

    /// As a heading or a table row shows it: `Registered`.
    pub fn label(self) -> &'static str {
        match self {
            Count::Registered => "Registered",
            Count::Unregistered => "Unregistered",
            Count::Blocked => "Blocked",
            Count::Unknown => "Unknown",
            Count::Duplicates => "Duplicates",
            Count::Excepted => "Excepted",
            Count::Excluded => "Excluded",
        }
    }

    /// As the JSON summary and the HTML page's ids name it: `registered`.
    pub fn key(self) -> &'static str {
        match self {
            Count::Registered => "registered",
            Count::Unregistered => "unregistered",
            Count::Blocked => "blocked",
            Count::Unknown => "unknown",
            Count::Duplicates => "duplicates",
            Count::Excepted => "excepted",
            Count::Excluded => "excluded",
        }
    }
}

/// What the users who can sign in (registered + unregistered) look like.
#[derive(Debug, Default, Serialize)]
pub struct Population {
    /// `isMfaCapable` true; `None` when no input has the column.
    pub mfa_capable: Option<u64>,
    /// `isAdmin` true; `None` when no input has the column.
    pub admins: Option<u64>,
    /// Admins who are not registered for MFA.
    pub admins_unregistered: Option<u64>,
    /// `userType` Guest (or `#EXT#` in the UPN when there is no such column).
    pub guests: u64,
    /// Users by the strongest class of method listed.
    pub strongest_method: BTreeMap<&'static str, u64>,
    /// Users whose every MFA method is a text message or a voice call
    /// ([`crate::audit::phone_end::phone_only`]). Shown in the JSON summary's `"phone_only"`
    /// object, with the date those methods end.
    #[serde(skip)]
    pub phone_only: u64,
    /// Users whose methods cannot say whether they are phone only (unknown names, names not
    /// exported).
    #[serde(skip)]
    pub phone_only_cannot_tell: u64,
    /// Users with methods, none of them MFA (e.g. only `email`): unregistered.
    pub only_non_mfa_methods: u64,
    /// Users counted as registered only because of method names the vocabulary does not know
    /// (future methods are real, but a placeholder or a typo would inflate coverage).
    pub registered_by_unrecognised_names: u64,
    /// Users whose registration flag the method list contradicts; `None` when no input has
    /// both a flag and a list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag_contradicts_methods: Option<FlagConflicts>,
}

/// Users who can sign in whose registration flag (`isMfaRegistered`, `MFARegistration`, ...)
/// the same row's method list contradicts. The flag decided their bucket.
#[derive(Debug, Default, Serialize)]
pub struct FlagConflicts {
    /// Flag no, an MFA method listed: counted as unregistered. Usually a method the
    /// authentication methods policy does not allow (text message or voice turned off).
    pub flag_no_with_mfa_methods: u64,
    /// Flag yes, no MFA method listed (an empty list, a placeholder, or only methods that are
    /// not MFA): counted as registered. Usually a method the list leaves out, or a stale list.
    pub flag_yes_without_mfa_methods: u64,
    /// The first few places, with the direction, for the warning.
    #[serde(skip)]
    first: Vec<(String, FlagConflict)>,
}

impl FlagConflicts {
    const SHOWN: usize = 5;

    /// Counts one user at `place` (made only for the first few).
    pub fn add(&mut self, c: FlagConflict, place: impl FnOnce() -> String) {
        match c {
            FlagConflict::NoButMethods => self.flag_no_with_mfa_methods += 1,
            FlagConflict::YesWithoutMethods => self.flag_yes_without_mfa_methods += 1,
        }
        if self.first.len() < Self::SHOWN {
            self.first.push((place(), c));
        }
    }

    pub fn total(&self) -> u64 {
        self.flag_no_with_mfa_methods + self.flag_yes_without_mfa_methods
    }

    /// The one warning for every contradiction, with the first places; `None` without any.
    pub fn warning(&self) -> Option<String> {
        if self.total() == 0 {
            return None;
        }
        let places: Vec<String> = self
            .first
            .iter()
            .map(|(p, c)| match c {
                FlagConflict::NoButMethods => format!("{p} (no, with methods)"),
                FlagConflict::YesWithoutMethods => format!("{p} (yes, no MFA method)"),
            })
            .collect();
        Some(format!(
            "for {} users the registration flag contradicts the method list in the same row, \
             and the flag decided: {} flagged not registered list an MFA method (counted as \
             unregistered; usually the authentication methods policy does not allow that \
             method, e.g. text message or voice turned off), {} flagged registered list none \
             (counted as registered; the list may be stale or leave a method out). First: {}{}",
            self.total(),
            self.flag_no_with_mfa_methods,
            self.flag_yes_without_mfa_methods,
            places.join(", "),
            if self.total() > Self::SHOWN as u64 {
                ", ..."
            } else {
                ""
            }
        ))
    }
}

impl Tally {
    pub fn count_bucket(&mut self, bucket: Bucket) {
        match bucket {
            Bucket::Registered => self.registered += 1,
            Bucket::Unregistered => self.unregistered += 1,
            Bucket::Blocked => self.blocked += 1,
            Bucket::Unknown => self.unknown += 1,
        }
    }

    /// Counts status and methods of a user written to the report.
    pub fn count_reported(&mut self, v: &Verdict) {
        self.status.add(v.status.as_str());
        match &v.methods {
            Methods::Names(names) => {
                for n in names {
                    self.methods.add(n);
                    if v.unrecognised_methods && crate::audit::vocab::lookup(n).is_none() {
                        self.unrecognised.add(n);
                    }
                }
            }
            Methods::TwoOrMoreUnnamed => self.unnamed_methods += 1,
            Methods::NotListed => {}
        }
    }

    /// Counts what is known of a user who can sign in.
    pub fn count_population(&mut self, v: &Verdict) {
        let p = &mut self.population;
        if let (Some(n), Some(true)) = (p.mfa_capable.as_mut(), v.capable) {
            *n += 1;
        }
        if v.admin == Some(true) {
            *p.admins.get_or_insert(0) += 1;
            if !v.registered {
                *p.admins_unregistered.get_or_insert(0) += 1;
            }
        }
        p.guests += u64::from(v.is_guest());
        p.only_non_mfa_methods += u64::from(v.only_non_mfa_methods);
        match crate::audit::phone_end::phone_only(&v.methods) {
            PhoneOnly::Yes => p.phone_only += 1,
            PhoneOnly::CannotTell => p.phone_only_cannot_tell += 1,
            PhoneOnly::No => {}
        }
        p.registered_by_unrecognised_names += u64::from(v.registered_by_unrecognised);
        let Some(key) = v.strength else {
            return;
        };
        *p.strongest_method.entry(key.name()).or_insert(0) += 1;
    }

    /// One of the counts the summaries show.
    pub fn count(&self, c: Count) -> u64 {
        match c {
            Count::Registered => self.registered,
            Count::Unregistered => self.unregistered,
            Count::Blocked => self.blocked,
            Count::Unknown => self.unknown,
            Count::Duplicates => self.duplicates,
            Count::Excepted => self.excepted,
            Count::Excluded => self.excluded,
        }
    }

    pub fn bucket(&self, b: Bucket) -> u64 {
        match b {
            Bucket::Registered => self.registered,
            Bucket::Unregistered => self.unregistered,
            Bucket::Blocked => self.blocked,
            Bucket::Unknown => self.unknown,
        }
    }

    /// registered / (registered + unregistered), in percent; `None` with nobody to count.
    pub fn coverage_percent(&self) -> Option<f64> {
        let can_sign_in = self.registered + self.unregistered;
        (can_sign_in > 0).then(|| {
            let p = self.registered as f64 * 100.0 / can_sign_in as f64;
            (p * 100.0).round() / 100.0
        })
    }

    /// Fails when a row was lost or counted twice.
    pub fn check_invariant(&self) -> Result<()> {
        let sum = self.registered
            + self.unregistered
            + self.blocked
            + self.unknown
            + self.duplicates
            + self.excluded
            + self.excepted;
        if sum != self.users {
            bail!(
                "internal accounting error: {} rows read but {sum} counted; nothing was written. \
                 Please report this with the input's header row",
                self.users
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_and_invariant() {
        let mut t = Tally {
            users: 10,
            registered: 6,
            unregistered: 2,
            blocked: 1,
            unknown: 0,
            duplicates: 1,
            ..Default::default()
        };
        assert_eq!(t.coverage_percent(), Some(75.0));
        t.check_invariant().unwrap();
        t.users = 11;
        assert!(t.check_invariant().is_err());
        assert_eq!(Tally::default().coverage_percent(), None);
        let t = Tally {
            registered: 2,
            unregistered: 1,
            ..Default::default()
        };
        assert_eq!(t.coverage_percent(), Some(66.67));
    }
}
