//! Known exceptions (`--exceptions FILE`, `--exclude REGEX`): users the gates and the lists must
//! leave alone, such as break-glass accounts, but that stay visible in their own bucket.
//!
//! The file is CSV with a header (`UserPrincipalName` or `Pattern`, `Reason`, `Expires`,
//! `Owner`, in any order and letter case) or plain lines (`upn` or `regex:PATTERN`, then
//! optionally `, reason, YYYY-MM-DD, owner`); `#` starts a comment. An exception past its expiry
//! date no longer applies, and one that matches nobody is reported: stale allowlists are an
//! audit finding.
//!
//! An exception for everyone is no exception: it passes every gate while checking nobody. A
//! pattern that matches the empty string (`regex:`, `--exclude ''`, `.*`, `^`) is refused when
//! it is read, and one that matched every user of a run (two or more) is refused after the
//! last row, before anything is written. Exceptions that cover more than [`WIDE_PERCENT`]% of
//! the users, and more than [`WIDE_USERS`] of them, are a warning naming the widest: a careless
//! allowlist is a finding too.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;

use anyhow::{bail, Context, Result};
use regex::{Regex, RegexBuilder};

use crate::dates::Day;
use crate::read::table::{self, Table};
use crate::read::{ReadOptions, Source};

/// Whom an exception covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One user, by UPN (any letter case).
    Upn(String),
    /// Every user whose UPN matches (`regex:PATTERN` in a file, `--exclude PATTERN`).
    Pattern(String),
}

impl Target {
    /// As written in an exceptions file: `regex:PATTERN`, or a UPN.
    pub fn parse(text: &str) -> Target {
        match text.strip_prefix("regex:") {
            Some(p) => Target::Pattern(p.trim().to_owned()),
            None => Target::Upn(text.to_owned()),
        }
    }
}

/// Written as in an exceptions file, so that a message or the `--excepted` list can be pasted
/// back into one.
impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Upn(upn) => f.write_str(upn),
            Target::Pattern(p) => write!(f, "regex:{p}"),
        }
    }
}

/// One exception.
#[derive(Debug, Clone)]
pub struct Exception {
    pub target: Target,
    pub reason: String,
    pub expires: Option<Day>,
    pub owner: String,
    /// Where it was written (`file:line`, or `--exclude`).
    pub origin: String,
    /// Users it matched in this run.
    matched: Cell<u64>,
}

impl Exception {
    pub fn matched(&self) -> u64 {
        self.matched.get()
    }
}

/// Exceptions covering more than this share of the users audited (in percent) ...
pub const WIDE_PERCENT: u64 = 5;
/// ... and more than this many users are a warning.
pub const WIDE_USERS: u64 = 10;

/// A pattern in force, and whether it has matched every user asked about so far.
#[derive(Debug, Clone)]
struct Pattern {
    re: Regex,
    /// Index in `active`.
    index: usize,
    matched_all: Cell<bool>,
}

/// The exceptions in force, and those that expired.
#[derive(Debug, Clone, Default)]
pub struct Exceptions {
    pub active: Vec<Exception>,
    pub expired: Vec<Exception>,
    /// Lower-cased UPN -> index in `active`.
    by_upn: HashMap<String, usize>,
    patterns: Vec<Pattern>,
    /// Users with a UPN asked about in this run.
    asked: Cell<u64>,
    /// Patterns whose `matched_all` is still true: while none is, a user costs no extra match.
    matching_all: Cell<usize>,
}

impl Exceptions {
    /// Reads `--exceptions` files (`-` is standard input) and `--exclude` patterns, as of
    /// `today`. The files are read as every input is: `options` gives the encoding and caps.
    pub fn load(
        files: &[String],
        excludes: &[String],
        today: Day,
        options: &ReadOptions,
    ) -> Result<Exceptions> {
        let mut all = Vec::new();
        for path in files {
            let table = table::open(&Source::from_arg(path), options)?;
            parse_table(table, &mut all)?;
        }
        for pattern in excludes {
            all.push(Exception {
                target: Target::Pattern(pattern.clone()),
                reason: String::new(),
                expires: None,
                owner: String::new(),
                origin: "--exclude".to_owned(),
                matched: Cell::new(0),
            });
        }
        Exceptions::from_list(all, today)
    }

    /// Sorts exceptions into active and expired as of `today`, and indexes the active ones.
    fn from_list(all: Vec<Exception>, today: Day) -> Result<Exceptions> {
        let mut ex = Exceptions::default();
        for e in all {
            if e.expires.is_some_and(|d| d < today) {
                ex.expired.push(e);
                continue;
            }
            let i = ex.active.len();
            match &e.target {
                Target::Pattern(p) => {
                    let re = RegexBuilder::new(p.trim())
                        .case_insensitive(true)
                        .build()
                        .with_context(|| {
                            format!(
                                "{}: not a valid pattern: {}",
                                e.origin,
                                crate::terminal::quote(p)
                            )
                        })?;
                    if re.is_match("") {
                        bail!(
                            "{}: the pattern {} matches the empty string, so it excepts every \
                             user: the gates would check nobody. Nothing was written.\n\
                             hint: write the pattern for the accounts it is meant for, \
                             e.g. regex:^svc- or --exclude '^breakglass[0-9]*@'",
                            e.origin,
                            crate::terminal::quote(p)
                        );
                    }
                    ex.patterns.push(Pattern {
                        re,
                        index: i,
                        matched_all: Cell::new(true),
                    });
                }
                Target::Upn(upn) => {
                    ex.by_upn.entry(upn.to_lowercase()).or_insert(i);
                }
            }
            ex.active.push(e);
        }
        ex.matching_all.set(ex.patterns.len());
        Ok(ex)
    }

    /// Forgets the matches of an earlier run with the same exceptions (`diff` audits twice).
    pub fn reset(&self) {
        for e in &self.active {
            e.matched.set(0);
        }
        for p in &self.patterns {
            p.matched_all.set(true);
        }
        self.asked.set(0);
        self.matching_all.set(self.patterns.len());
    }

    pub fn is_empty(&self) -> bool {
        self.active.is_empty()
    }

    /// The exception covering `upn`, if any (exact UPNs first, then patterns in order); counts
    /// the match.
    pub fn find(&self, upn: &str) -> Option<&Exception> {
        if self.active.is_empty() {
            return None;
        }
        if !upn.is_empty() {
            self.asked.set(self.asked.get() + 1);
            if self.matching_all.get() > 0 {
                for p in self.patterns.iter().filter(|p| p.matched_all.get()) {
                    if !p.re.is_match(upn) {
                        p.matched_all.set(false);
                        self.matching_all.set(self.matching_all.get() - 1);
                    }
                }
            }
        }
        let i = self.by_upn.get(&upn.to_lowercase()).copied().or_else(|| {
            self.patterns
                .iter()
                .find(|p| p.re.is_match(upn))
                .map(|p| p.index)
        })?;
        let e = &self.active[i];
        e.matched.set(e.matched.get() + 1);
        Some(e)
    }

    /// After the last row: the error for a pattern that matched every user of the run (two or
    /// more; one user proves nothing).
    pub fn refuse_everyone(&self) -> Result<()> {
        let asked = self.asked.get();
        if asked < 2 {
            return Ok(());
        }
        if let Some(p) = self.patterns.iter().find(|p| p.matched_all.get()) {
            let e = &self.active[p.index];
            bail!(
                "{}: the exception {} matches every one of the {} users audited, so the gates \
                 would check nobody. Nothing was written.\n\
                 hint: write the pattern for the accounts it is meant for (e.g. regex:^svc-), or \
                 list those accounts by UPN",
                e.origin,
                crate::terminal::quote(&e.target.to_string()),
                crate::numbers::thousands(asked)
            );
        }
        Ok(())
    }

    /// Warnings for expired exceptions, those that matched nobody, and exceptions that
    /// together cover too many users.
    pub fn findings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let asked = self.asked.get();
        let excepted: u64 = self.active.iter().map(Exception::matched).sum();
        if excepted > WIDE_USERS && excepted * 100 > WIDE_PERCENT * asked {
            let mut widest: Vec<&Exception> =
                self.active.iter().filter(|e| e.matched() > 0).collect();
            widest.sort_by_key(|e| std::cmp::Reverse(e.matched()));
            let named: Vec<String> = widest
                .iter()
                .take(5)
                .map(|e| {
                    format!(
                        "{} at {} ({})",
                        crate::terminal::quote(&e.target.to_string()),
                        e.origin,
                        crate::numbers::users(e.matched())
                    )
                })
                .collect();
            out.push(format!(
                "exceptions cover {} of the {} audited ({:.1}%, more than {WIDE_PERCENT}%): {}{}; \
                 an allowlist this wide is an audit finding: check that each entry is still needed",
                crate::numbers::thousands(excepted),
                crate::numbers::users(asked),
                excepted as f64 * 100.0 / asked as f64,
                named.join(", "),
                if widest.len() > 5 { ", ..." } else { "" }
            ));
        }
        for e in &self.expired {
            out.push(format!(
                "{}: the exception for {} expired on {} and no longer applies{}",
                e.origin,
                e.target,
                e.expires.map(|d| d.to_string()).unwrap_or_default(),
                if e.owner.is_empty() {
                    String::new()
                } else {
                    format!(" (owner: {})", e.owner)
                }
            ));
        }
        for e in self.active.iter().filter(|e| e.matched() == 0) {
            out.push(format!(
                "{}: the exception for {} matches no user: remove it, or check the spelling \
                 (a stale allowlist is an audit finding)",
                e.origin, e.target
            ));
        }
        out
    }
}

/// Parses one exceptions file: CSV with a header, or plain lines (read as CSV records
/// without a header, so that they are decoded, capped and numbered as every input is).
fn parse_table(table: Table, out: &mut Vec<Exception>) -> Result<()> {
    let mut table = match table {
        Table::Csv(t) => t,
        json @ Table::Json(_) => bail!(
            "{}: this is JSON; an exceptions file is CSV (UserPrincipalName or Pattern, Reason, \
             Expires, Owner) or plain lines (upn or regex:PATTERN)",
            json.name()
        ),
    };
    // Leading comments and blank lines are skipped by the table; this is the first line after.
    let Some((first, first_line)) = table.first.take() else {
        return Ok(());
    };
    let header: Vec<String> = first
        .iter()
        .map(|h| crate::read::schema::normalize(h))
        .collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let target_col = col(&[
        "userprincipalname",
        "upn",
        "user",
        "pattern",
        "target",
        "account",
    ]);
    let has_header = target_col.is_some();
    let columns = if has_header {
        Columns {
            target: target_col.unwrap_or(0),
            reason: col(&["reason", "justification", "comment"]),
            expires: col(&[
                "expires",
                "expiry",
                "expiration",
                "until",
                "expirydate",
                "expireson",
            ]),
            owner: col(&["owner", "approvedby", "approver"]),
        }
    } else {
        Columns {
            target: 0,
            reason: Some(1),
            expires: Some(2),
            owner: Some(3),
        }
    };
    let name = table.name.clone();
    if !has_header {
        out.push(exception(&name, first_line, &first, &columns)?);
    }
    let mut fields = Vec::new();
    while let Some(line) = table.next_record(&mut fields, true)? {
        if fields.first().is_some_and(|f| f.starts_with('#')) {
            continue;
        }
        out.push(exception(&name, line, &fields, &columns)?);
    }
    Ok(())
}

/// Where each field of an exception is.
struct Columns {
    target: usize,
    reason: Option<usize>,
    expires: Option<usize>,
    owner: Option<usize>,
}

/// The exception a record at `name:line` states.
fn exception(name: &str, line: u64, fields: &[String], c: &Columns) -> Result<Exception> {
    let get = |i: Option<usize>| i.and_then(|i| fields.get(i)).cloned().unwrap_or_default();
    let origin = format!("{name}:{line}");
    let target = get(Some(c.target));
    if target.is_empty() {
        bail!("{origin}: no UPN or regex:PATTERN in this exception");
    }
    let expires_text = get(c.expires);
    let expires = if expires_text.is_empty() {
        None
    } else {
        Some(Day::parse(&expires_text).with_context(|| {
            format!(
                "{origin}: expiry {} is not a date written YYYY-MM-DD",
                crate::terminal::quote(&expires_text)
            )
        })?)
    };
    Ok(Exception {
        target: Target::parse(&target),
        reason: get(c.reason),
        expires,
        owner: get(c.owner),
        origin,
        matched: Cell::new(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_file(name: &str, text: &str, out: &mut Vec<Exception>) -> Result<()> {
        let options = ReadOptions::default();
        parse_table(
            table::open_bytes(name, text.as_bytes().to_vec(), &options)?,
            out,
        )
    }

    #[test]
    fn csv_and_plain_files_expiry_and_matching() {
        let today = Day::parse("2026-11-23").unwrap();
        let mut all = Vec::new();
        parse_file(
            "ex.csv",
            "\"UserPrincipalName\",\"Reason\",\"Expires\",\"Owner\"\n\
             \"BreakGlass1@contoso.com\",\"break-glass\",\"\",\"secops\"\n\
             \"regex:^svc-\",\"service accounts\",\"2026-11-23\",\"it\"\n\
             \"old@contoso.com\",\"left\",\"2026-11-22\",\"hr\"\n",
            &mut all,
        )
        .unwrap();
        parse_file(
            "ex.txt",
            "# plain lines\nroom@contoso.com\nregex:#EXT#, guests, 2027-01-01\n",
            &mut all,
        )
        .unwrap();
        assert_eq!(all.len(), 5);
        assert_eq!(all[0].owner, "secops");
        assert_eq!(all[4].reason, "guests");
        assert_eq!(all[4].origin, "ex.txt:3");
        let ex = Exceptions::from_list(all, today).unwrap();
        assert_eq!(
            ex.find("breakglass1@CONTOSO.com").unwrap().reason,
            "break-glass"
        );
        // Valid through its expiry day.
        assert_eq!(ex.find("svc-backup@x").unwrap().reason, "service accounts");
        assert!(ex.find("old@contoso.com").is_none(), "expired");
        assert!(ex.find("ann@contoso.com").is_none());
        let findings = ex.findings().join("\n");
        assert!(
            findings.contains("ex.csv:4: the exception for old@contoso.com expired on 2026-11-22"),
            "{findings}"
        );
        assert!(
            findings.contains("ex.txt:2: the exception for room@contoso.com matches no user"),
            "{findings}"
        );
        assert!(
            findings.contains("ex.txt:3: the exception for regex:#EXT# matches no user"),
            "{findings}"
        );
        assert!(parse_file("bad.txt", "a@x, r, 23/11/2026\n", &mut Vec::new()).is_err());
    }

    fn excludes(patterns: &[&str]) -> Result<Exceptions> {
        let all = patterns
            .iter()
            .map(|p| Exception {
                target: Target::Pattern(p.to_string()),
                reason: String::new(),
                expires: None,
                owner: String::new(),
                origin: "--exclude".to_owned(),
                matched: Cell::new(0),
            })
            .collect();
        Exceptions::from_list(all, Day::parse("2026-01-01").unwrap())
    }

    /// A pattern that matches the empty string excepts everyone: refused when read.
    #[test]
    fn patterns_for_everyone_are_refused() {
        // (pattern, refused when read)
        let cases: &[(&str, bool)] = &[
            ("", true),
            ("  ", true),
            (".*", true),
            ("^", true),
            ("$", true),
            ("x?", true),
            ("(?:)", true),
            ("^svc-|", true),
            ("^svc-", false),
            ("#EXT#", false),
            (".+", false),
            ("@", false),
        ];
        for (pattern, refused) in cases {
            match excludes(&[pattern]) {
                Ok(_) => assert!(!refused, "{pattern:?} was accepted"),
                Err(e) => {
                    assert!(refused, "{pattern:?}: {e}");
                    let e = e.to_string();
                    assert!(
                        e.starts_with("--exclude: the pattern") && e.contains("empty string"),
                        "{e}"
                    );
                }
            }
        }
    }

    /// A pattern that matched every user of a run (two or more) is refused after the run.
    #[test]
    fn a_pattern_that_matched_every_user_is_refused() {
        let upns = ["ann@x.com", "bob@x.com", "svc-1@x.com"];
        // (patterns, users asked, refused)
        let cases: &[(&[&str], usize, bool)] = &[
            (&[".+"], 3, true),
            (&["@"], 3, true),
            (&["^svc-", "x\\.com$"], 3, true),
            (&["^svc-"], 3, false),
            (&[".+"], 1, false),
            (&[".+"], 0, false),
        ];
        for (patterns, n, refused) in cases {
            let ex = excludes(patterns).unwrap();
            for upn in &upns[..*n] {
                ex.find(upn);
            }
            assert_eq!(ex.refuse_everyone().is_err(), *refused, "{patterns:?} {n}");
            // A second run starts afresh.
            ex.reset();
            assert!(ex.refuse_everyone().is_ok());
        }
        let ex = excludes(&["x\\.com$"]).unwrap();
        ex.find("ann@x.com");
        ex.find("bob@x.com");
        let e = ex.refuse_everyone().unwrap_err().to_string();
        assert!(
            e.contains(
                "--exclude: the exception \"regex:x\\\\.com$\" matches every one of the 2 users"
            ),
            "{e}"
        );
    }

    /// Exceptions covering more than 5% of the users, and more than 10 users, are a warning
    /// naming the widest.
    #[test]
    fn wide_allowlists_are_a_finding() {
        // (users asked, users matching ^svc-, warned)
        let cases: &[(u64, u64, bool)] = &[
            (100, 10, false),  // 10 users: not more than 10
            (100, 11, true),   // 11%
            (1000, 50, false), // exactly 5%
            (1000, 51, true),
            (30, 11, true),
        ];
        for (asked, svc, warned) in cases {
            let ex = excludes(&["^svc-", "^nobody-"]).unwrap();
            for i in 0..*asked {
                let upn = if i < *svc {
                    format!("svc-{i}@x.com")
                } else {
                    format!("u{i}@x.com")
                };
                ex.find(&upn);
            }
            let findings = ex.findings().join("\n");
            assert_eq!(
                findings.contains("an allowlist this wide"),
                *warned,
                "{asked} {svc}: {findings}"
            );
            if *warned {
                assert!(
                    findings.contains(&format!("\"regex:^svc-\" at --exclude ({svc} users)")),
                    "{findings}"
                );
            }
        }
    }
}
