//! `--accounts FILE`: sign-in state joined from a second export.
//!
//! Graph's registration details have no blocked column. A user list that has one
//! (`Get-MgUser -All -Property UserPrincipalName,AccountEnabled | Export-Csv`, or any export
//! mfa-audit reads with a UPN and a blocked or `accountEnabled` column) is read first into a map
//! from UPN (any letter case) to blocked, and inputs without a blocked column take the state from
//! it: a registration export plus a user list gives the seed commands' full semantics.

use std::collections::HashMap;

use anyhow::{bail, Result};

use crate::audit::classify::{parse_blocked, Blocked};
use crate::audit::dedup::upn_fingerprint;
use crate::read::schema::Role;
use crate::read::{self, InputSpec, ReadOptions};
use crate::warnings::Warnings;

/// Blocked state by UPN fingerprint.
#[derive(Debug, Default)]
pub struct Accounts {
    /// The file, for messages and the summary.
    pub path: String,
    /// Its blocked column as written (`accountEnabled`, `BlockCredential`, ...).
    pub header: String,
    blocked: HashMap<u64, Entry>,
}

/// One user of the file: its state (`None` when the file lists it twice with different
/// states) and the line (or row) that first listed it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    blocked: Option<bool>,
    first: u64,
}

/// What the file says about a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Blocked (`true`) or able to sign in.
    State(bool),
    /// Listed twice with different states: which one holds is unknown.
    Conflicting,
    /// Not in the file.
    Missing,
}

impl Accounts {
    /// Reads `path` whole (one entry of 9 bytes per user, plus the table's slack).
    pub fn load(path: &str, options: &ReadOptions, warnings: &mut Warnings) -> Result<Accounts> {
        let spec = InputSpec::from_arg(path);
        let mut read = options.clone();
        // Only the UPN and the blocked state are needed.
        for role in crate::read::schema::ROLES {
            read.ignore[role.index()] = !matches!(role, Role::Upn | Role::Blocked);
        }
        read.sheet = None;
        let mut source = read::open(&spec, &read)?;
        let schema = source.schema().clone();
        let Some(col) = schema.column(Role::Blocked) else {
            bail!(
                "--accounts {path}: no accountEnabled or BlockCredential column; the headers are: \
                 {}\nhint: export it with Get-MgUser -All -Property UserPrincipalName,AccountEnabled \
                 | Select-Object UserPrincipalName,AccountEnabled | Export-Csv -NoTypeInformation \
                 accounts.csv",
                crate::read::schema::quoted_list(&schema.headers)
            );
        };
        let mut accounts = Accounts {
            path: path.to_owned(),
            header: schema.headers[col].clone(),
            ..Accounts::default()
        };
        let mut unreadable = 0u64;
        let mut readable = 0u64;
        let mut first_unreadable = None;
        let mut samples: Vec<String> = Vec::new();
        let mut conflicts = Vec::new();
        let mut scratch = Vec::new();
        while let Some(at) = source.next_row(warnings)? {
            let upn = at.row.get(Role::Upn).unwrap_or("").trim();
            let state = parse_blocked(at.row.get(Role::Blocked).unwrap_or(""), schema.polarity);
            let line = at.pos.number();
            let blocked = match state {
                Blocked::Yes => true,
                Blocked::No => false,
                _ => {
                    unreadable += 1;
                    first_unreadable.get_or_insert(line);
                    let value = at.row.get(Role::Blocked).unwrap_or("").trim();
                    if samples.len() < 5 && !value.is_empty() && !samples.iter().any(|s| s == value)
                    {
                        samples.push(value.to_owned());
                    }
                    continue;
                }
            };
            readable += 1;
            if upn.is_empty() {
                continue;
            }
            let key = upn_fingerprint(&mut scratch, upn);
            let entry = accounts.blocked.entry(key).or_insert(Entry {
                blocked: Some(blocked),
                first: line,
            });
            if entry.blocked.is_some_and(|b| b != blocked) {
                // Which of the two holds cannot be told: neither list, rather than a guess.
                entry.blocked = None;
                conflicts.push((upn.to_owned(), entry.first, line));
            }
        }
        let info = source.info();
        if readable == 0 {
            if let Some(first) = first_unreadable {
                // Every user of the audit would be "not in --accounts": a file of unknowns.
                let shown: Vec<String> = samples
                    .iter()
                    .map(|s| crate::terminal::quote(s).to_string())
                    .collect();
                bail!(
                    "--accounts {path}: the column {} holds no value mfa-audit can read as \
                     True/False: {} (the first at {}), so it says of no user whether sign-in is \
                     blocked. Nothing was written.\n\
                     hint: if the column is in the wrong place, name the right one with --column \
                     blocked=HEADER; if these are True/False in your language, tell the \
                     mfa-audit maintainers the words",
                    crate::terminal::quote(&accounts.header),
                    if shown.is_empty() {
                        "every cell is empty".to_owned()
                    } else {
                        shown.join(", ")
                    },
                    info.place(first)
                );
            }
        }
        for (upn, first, later) in conflicts {
            warnings.push(format!(
                "{} and {}: --accounts lists {upn} twice, blocked in one and not in the other, \
                 so whether sign-in is blocked is unknown: in neither list",
                info.place(first),
                info.place(later)
            ))?;
        }
        if let Some(first) = first_unreadable {
            warnings.push(format!(
                "--accounts {path}: {unreadable} rows have no readable {} value and were left out \
                 (the first at {})",
                accounts.header,
                info.place(first)
            ))?;
        }
        Ok(accounts)
    }

    /// What the file says about `upn`.
    pub fn blocked(&self, scratch: &mut Vec<u8>, upn: &str) -> Listed {
        match self.blocked.get(&upn_fingerprint(scratch, upn)) {
            Some(Entry {
                blocked: Some(b), ..
            }) => Listed::State(*b),
            Some(_) => Listed::Conflicting,
            None => Listed::Missing,
        }
    }
}
