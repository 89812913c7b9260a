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
    blocked: HashMap<u64, bool>,
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
        let mut scratch = Vec::new();
        while let Some(at) = source.next_row(warnings)? {
            let upn = at.row.get(Role::Upn).unwrap_or("").trim();
            let state = parse_blocked(at.row.get(Role::Blocked).unwrap_or(""), schema.polarity);
            let blocked = match state {
                Blocked::Yes => true,
                Blocked::No => false,
                _ => {
                    unreadable += 1;
                    continue;
                }
            };
            if upn.is_empty() {
                continue;
            }
            let key = upn_fingerprint(&mut scratch, upn);
            accounts.blocked.insert(key, blocked);
        }
        if unreadable > 0 {
            warnings.push(format!(
                "--accounts {path}: {unreadable} rows have no readable {} value and were left out",
                accounts.header
            ))?;
        }
        Ok(accounts)
    }

    /// The blocked state of `upn`, `None` when the file does not list it.
    pub fn blocked(&self, scratch: &mut Vec<u8>, upn: &str) -> Option<bool> {
        self.blocked.get(&upn_fingerprint(scratch, upn)).copied()
    }
}
