//! Counts of a run, and how they are shown: the human summary (stderr) and the JSON summary.
//!
//! Accounting invariant, checked before anything is committed:
//! `users = registered + unregistered + blocked + unknown + duplicates`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

use anyhow::{bail, Result};
use serde::Serialize;

use crate::classify::{Bucket, Methods, Verdict};
use crate::input::InputInfo;
use crate::warnings::Warnings;

/// Distinct names kept per counter; more are counted under [`OTHER`].
const NAME_CAP: usize = 500;
const OTHER: &str = "(other)";

/// Counts names, merging letter case (first spelling shown), bounded in memory.
///
/// Exports spell the same few names the same way on every row, so the spellings seen first are
/// matched exactly in a short list before any lower-casing or hashing.
#[derive(Debug, Default)]
pub struct NameCounter {
    /// (first spelling, count), in order of first appearance.
    slots: Vec<(Box<str>, u64)>,
    /// Lower-cased name -> slot.
    by_lower: HashMap<Box<str>, usize, BuildHasherDefault<SmallKeyHasher>>,
    /// Spellings seen, up to [`FAST_SPELLINGS`] -> slot.
    fast: Vec<(Box<str>, usize)>,
    scratch: String,
}

/// Spellings matched without hashing.
const FAST_SPELLINGS: usize = 24;

impl NameCounter {
    pub fn add(&mut self, name: &str) {
        if let Some((_, slot)) = self.fast.iter().find(|(s, _)| **s == *name) {
            self.slots[*slot].1 += 1;
            return;
        }
        self.scratch.clear();
        if name.is_ascii() {
            self.scratch.push_str(name);
            self.scratch.make_ascii_lowercase();
        } else {
            self.scratch
                .extend(name.chars().flat_map(char::to_lowercase));
        }
        let slot = match self.by_lower.get(self.scratch.as_str()) {
            Some(slot) => *slot,
            None => {
                let (key, shown) = if self.slots.len() < NAME_CAP {
                    (self.scratch.as_str(), name)
                } else {
                    (OTHER, OTHER)
                };
                let next = self.slots.len();
                let slot = *self.by_lower.entry(key.into()).or_insert(next);
                if slot == next {
                    self.slots.push((shown.into(), 0));
                }
                slot
            }
        };
        self.slots[slot].1 += 1;
        if self.fast.len() < FAST_SPELLINGS {
            self.fast.push((name.into(), slot));
        }
    }

    /// Largest count first, then by name.
    pub fn sorted(&self) -> Vec<(&str, u64)> {
        let mut v: Vec<_> = self.slots.iter().map(|(k, n)| (&**k, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    pub fn to_map(&self) -> BTreeMap<String, u64> {
        self.slots
            .iter()
            .map(|(k, n)| (k.to_string(), *n))
            .collect()
    }
}

/// FNV-1a: fast for the few short keys of a name counter (bounded, so collisions cost little).
pub struct SmallKeyHasher(u64);

impl Default for SmallKeyHasher {
    fn default() -> SmallKeyHasher {
        SmallKeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for SmallKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Everything counted in a run.
#[derive(Debug, Default)]
pub struct Tally {
    pub users: u64,
    pub registered: u64,
    pub unregistered: u64,
    pub blocked: u64,
    pub unknown: u64,
    pub duplicates: u64,
    /// MFA Status of the users in the report.
    pub status: NameCounter,
    /// Methods of the users in the report.
    pub methods: NameCounter,
    /// Users in the report registered with method names not in the input.
    pub unnamed_methods: u64,
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
            Methods::Names(names) => names.iter().for_each(|n| self.methods.add(n)),
            Methods::TwoOrMoreUnnamed => self.unnamed_methods += 1,
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
        let sum =
            self.registered + self.unregistered + self.blocked + self.unknown + self.duplicates;
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

/// The JSON summary (`--json`).
#[derive(Debug, Serialize)]
pub struct JsonSummary<'a> {
    pub version: &'static str,
    pub users: u64,
    pub registered: u64,
    pub unregistered: u64,
    pub blocked: u64,
    pub unknown: u64,
    pub duplicates: u64,
    pub coverage_percent: Option<f64>,
    pub blocked_excluded: bool,
    pub status: BTreeMap<String, u64>,
    pub methods: BTreeMap<String, u64>,
    pub users_with_unnamed_methods: u64,
    pub warnings: Vec<&'a str>,
    pub warnings_total: u64,
    pub inputs: &'a [InputInfo],
}

impl<'a> JsonSummary<'a> {
    pub fn new(tally: &Tally, warnings: &'a Warnings, inputs: &'a [InputInfo]) -> JsonSummary<'a> {
        JsonSummary {
            version: env!("CARGO_PKG_VERSION"),
            users: tally.users,
            registered: tally.registered,
            unregistered: tally.unregistered,
            blocked: tally.blocked,
            unknown: tally.unknown,
            duplicates: tally.duplicates,
            coverage_percent: tally.coverage_percent(),
            blocked_excluded: inputs.iter().all(|i| i.columns.contains_key("blocked")),
            status: tally.status.to_map(),
            methods: tally.methods.to_map(),
            users_with_unnamed_methods: tally.unnamed_methods,
            warnings: warnings.all().map(String::as_str).collect(),
            warnings_total: warnings.total(),
            inputs,
        }
    }
}

/// Warnings shown in the human summary; the JSON summary keeps more.
const SHOWN_WARNINGS: usize = 20;

/// `1 user`, `2,000 users`.
pub fn users(n: u64) -> String {
    format!("{} user{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The human summary.
pub fn human(
    tally: &Tally,
    warnings: &Warnings,
    inputs: &[InputInfo],
    include_blocked: bool,
) -> String {
    let mut s = String::new();
    for major in warnings.major() {
        let _ = writeln!(s, "WARNING: {major}\n");
    }
    for i in inputs {
        let _ = writeln!(s, "{}: {} ({})", i.path, users(i.rows), i.describe());
    }
    let width = thousands(tally.users).len().max(5);
    let line = |s: &mut String, label: &str, n: u64, note: &str| {
        let _ = writeln!(s, "  {label:<13}{:>width$}  {note}", thousands(n));
    };
    let _ = writeln!(s);
    line(&mut s, "Users", tally.users, "rows read");
    line(
        &mut s,
        "Registered",
        tally.registered,
        "at least one MFA method, sign-in allowed",
    );
    line(
        &mut s,
        "Unregistered",
        tally.unregistered,
        "no MFA method, sign-in allowed",
    );
    let blocked_note = if include_blocked {
        "sign-in blocked (kept in the report: --include-blocked)"
    } else {
        "sign-in blocked (not in the lists or the report)"
    };
    line(&mut s, "Blocked", tally.blocked, blocked_note);
    line(
        &mut s,
        "Unknown",
        tally.unknown,
        "blocked state unreadable or no UPN: in neither list",
    );
    line(
        &mut s,
        "Duplicates",
        tally.duplicates,
        "repeated UPNs, counted once",
    );
    let coverage = match tally.coverage_percent() {
        Some(p) => format!("{p:.1}%"),
        None => "n/a".to_owned(),
    };
    let _ = writeln!(
        s,
        "  {:<13}{coverage:>width$}  registered / (registered + unregistered) = {} / {}",
        "Coverage",
        thousands(tally.registered),
        thousands(tally.registered + tally.unregistered)
    );
    let join = |pairs: Vec<(&str, u64)>| {
        pairs
            .iter()
            .map(|(k, n)| format!("{k} {}", thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let status = tally.status.sorted();
    if !status.is_empty() {
        let _ = writeln!(s, "\nMFA Status: {}", join(status));
    }
    let methods = tally.methods.sorted();
    if !methods.is_empty() || tally.unnamed_methods > 0 {
        let mut m = join(methods);
        if tally.unnamed_methods > 0 {
            if !m.is_empty() {
                m.push_str(", ");
            }
            let _ = write!(m, "names not in input {}", thousands(tally.unnamed_methods));
        }
        let _ = writeln!(s, "MFA Methods: {m}");
    }
    let others: Vec<&String> = warnings.all().skip(warnings.major().len()).collect();
    if !others.is_empty() {
        // Major warnings were printed first; this heading counts what follows it.
        let heading = if warnings.major().is_empty() {
            "Warnings"
        } else {
            "Other warnings"
        };
        let rest_total = warnings.total() - warnings.major().len() as u64;
        let _ = writeln!(s, "\n{heading} ({}):", thousands(rest_total));
        for w in others.iter().take(SHOWN_WARNINGS) {
            let _ = writeln!(s, "  - {w}");
        }
        let rest = warnings.total()
            - warnings.major().len() as u64
            - others.len().min(SHOWN_WARNINGS) as u64;
        if rest > 0 {
            let _ = writeln!(
                s,
                "  ... and {} more (all kept ones are in --json)",
                thousands(rest)
            );
        }
    }
    s
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

    #[test]
    fn names_merge_case_and_are_capped() {
        let mut c = NameCounter::default();
        c.add("PhoneAppOTP");
        c.add("phoneappotp");
        c.add("OneWaySMS");
        assert_eq!(c.sorted(), vec![("PhoneAppOTP", 2), ("OneWaySMS", 1)]);
        for i in 0..NAME_CAP + 10 {
            c.add(&format!("m{i}"));
        }
        assert!(c.slots.len() <= NAME_CAP + 1);
        assert!(c.to_map()[OTHER] >= 10);
    }

    #[test]
    fn thousands_separators() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }
}
