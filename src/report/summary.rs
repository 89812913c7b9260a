//! Counts of a run, and how they are shown: the human summary (stderr) and the JSON summary.
//!
//! Accounting invariant, checked before anything is committed:
//! `users = registered + unregistered + blocked + unknown + duplicates + excluded + excepted`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::{bail, Result};
use serde::Serialize;

use crate::audit::classify::{Bucket, Methods, Verdict};
pub use crate::audit::counter::NameCounter;
use crate::audit::gates::GateResult;
use crate::read::InputInfo;
use crate::warnings::Warnings;

/// Everything counted in a run.
#[derive(Debug, Default)]
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
    /// MFA Status of the users in the report.
    pub status: NameCounter,
    /// Methods of the users in the report.
    pub methods: NameCounter,
    /// Users in the report registered with method names not in the input.
    pub unnamed_methods: u64,
    /// Method names of users in the report that the vocabulary does not know.
    pub unrecognised: NameCounter,
    /// The users who can sign in.
    pub population: Population,
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
    /// Users whose strongest method is a phone (text message or voice call).
    pub phone_only: u64,
    /// Users with methods, none of them MFA (e.g. only `email`): unregistered.
    pub only_non_mfa_methods: u64,
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
        let Some(key) = v.strength else {
            return;
        };
        *p.strongest_method.entry(key).or_insert(0) += 1;
        p.phone_only += u64::from(key == crate::audit::vocab::Strength::Phone.name());
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
    pub excluded: u64,
    pub excepted: u64,
    pub coverage_percent: Option<f64>,
    pub blocked_excluded: bool,
    pub status: BTreeMap<String, u64>,
    pub methods: BTreeMap<String, u64>,
    pub users_with_unnamed_methods: u64,
    #[serde(flatten)]
    pub population: &'a Population,
    pub unrecognised_methods: BTreeMap<String, u64>,
    pub warnings: Vec<&'a str>,
    pub warnings_total: u64,
    pub inputs: &'a [InputInfo],
    /// The gates asked for, and whether all passed.
    pub gates: &'a [GateResult],
    pub passed: bool,
    /// Only with `--timestamp`: outputs are otherwise the same bytes for the same input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
}

impl<'a> JsonSummary<'a> {
    pub fn new(
        tally: &'a Tally,
        warnings: &'a Warnings,
        inputs: &'a [InputInfo],
    ) -> JsonSummary<'a> {
        JsonSummary {
            version: env!("CARGO_PKG_VERSION"),
            users: tally.users,
            registered: tally.registered,
            unregistered: tally.unregistered,
            blocked: tally.blocked,
            unknown: tally.unknown,
            duplicates: tally.duplicates,
            excluded: tally.excluded,
            excepted: tally.excepted,
            coverage_percent: tally.coverage_percent(),
            blocked_excluded: inputs.iter().all(|i| i.columns.contains_key("blocked")),
            status: tally.status.to_map(),
            methods: tally.methods.to_map(),
            users_with_unnamed_methods: tally.unnamed_methods,
            population: &tally.population,
            unrecognised_methods: tally.unrecognised.to_map(),
            warnings: warnings.all().map(String::as_str).collect(),
            warnings_total: warnings.total(),
            inputs,
            gates: &[],
            passed: true,
            generated_at: None,
        }
    }

    /// Adds the gates' outcome and, with `--timestamp`, the time of the run.
    pub fn with_gates(mut self, gates: &'a [GateResult], generated_at: Option<String>) -> Self {
        self.gates = gates;
        self.passed = gates.iter().all(|g| g.passed);
        self.generated_at = generated_at;
        self
    }
}

/// Colour for the human summary: only on a terminal, and never when `NO_COLOR` is set.
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Marks warnings and failed gates red (and passed gates green) when `colour` is on.
pub fn paint(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    text.replace("WARNING:", "\x1b[1;31mWARNING:\x1b[0m")
        .replace("  FAIL  ", "  \x1b[1;31mFAIL\x1b[0m  ")
        .replace("  pass  ", "  \x1b[32mpass\x1b[0m  ")
}

/// The gates, for the human summary: every gate with its outcome.
pub fn human_gates(gates: &[GateResult]) -> String {
    let mut s = String::new();
    if gates.is_empty() {
        return s;
    }
    let failed = gates.iter().filter(|g| !g.passed).count();
    let _ = writeln!(
        s,
        "\nGates: {}",
        if failed == 0 {
            "all passed".to_owned()
        } else {
            format!("{failed} of {} FAILED (exit code 1)", gates.len())
        }
    );
    for g in gates {
        let mark = if g.passed { "pass" } else { "FAIL" };
        let _ = writeln!(s, "  {mark}  {}: {}", g.name, g.summary);
    }
    s
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
    if tally.excepted > 0 {
        line(
            &mut s,
            "Excepted",
            tally.excepted,
            "covered by an exception: out of the gates and lists",
        );
    }
    if tally.excluded > 0 {
        line(
            &mut s,
            "Excluded",
            tally.excluded,
            "left out by --admins-only / --members-only",
        );
    }
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
    let p = &tally.population;
    if let Some(n) = p.mfa_capable {
        line(
            &mut s,
            "MFA capable",
            n,
            "of those who can sign in: registered and allowed by policy (isMfaCapable)",
        );
    }
    if let (Some(n), Some(without)) = (p.admins, p.admins_unregistered) {
        let note = format!(
            "of those who can sign in; {} without MFA",
            thousands(without)
        );
        line(&mut s, "Admins", n, &note);
    }
    if p.guests > 0 {
        line(&mut s, "Guests", p.guests, "of those who can sign in");
    }
    if !p.strongest_method.is_empty() {
        let order = [
            "phishing-resistant",
            "app",
            "phone",
            "not-mfa",
            "unrecognised",
        ];
        let mut parts: Vec<String> = order
            .iter()
            .filter_map(|k| {
                p.strongest_method
                    .get(k)
                    .map(|n| format!("{k} {}", thousands(*n)))
            })
            .collect();
        parts.extend(
            p.strongest_method
                .iter()
                .filter(|(k, _)| !order.contains(k))
                .map(|(k, n)| format!("{k} {}", thousands(*n))),
        );
        let _ = writeln!(
            s,
            "\nStrongest method (users who can sign in): {}{}",
            parts.join(", "),
            if p.phone_only > 0 {
                format!(
                    "\n  {} users rely on text message or voice call alone (phone only)",
                    thousands(p.phone_only)
                )
            } else {
                String::new()
            }
        );
    }
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
    fn colour_only_when_wanted() {
        let text = "WARNING: x\n  FAIL  gate\n";
        assert_eq!(paint(text, false), text);
        assert!(paint(text, true).contains("\x1b[1;31mWARNING:\x1b[0m"));
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
