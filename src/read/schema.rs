//! Column roles and how headers are recognised.
//!
//! Exports name the same data in many ways (`UserPrincipalName`, `User Principal Name`, `UPN`;
//! `StrongAuthenticationMethods.MethodType`, `MFA Methods`, `AllMFAMethods`, ...). Headers are
//! compared case-, space-, `_`- and `-`-insensitively against an ordered alias list per role; the
//! earliest alias wins, so a raw export with both `UserPrincipalName` and `SignInName` uses the
//! former. A raw MSOnline `State` column is the address state and is never taken for MFA.

use std::fmt;

use anyhow::{bail, Result};

/// What a column is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Upn,
    DisplayName,
    Blocked,
    Methods,
    State,
    DefaultMethod,
    /// Graph's `isMfaRegistered`.
    Registered,
    /// Graph's `isMfaCapable`: registered and allowed by policy.
    Capable,
    /// Graph's `isAdmin`.
    Admin,
    /// Graph's `userType`: Member or Guest.
    UserType,
}

/// Number of roles: the size of per-row field arrays.
pub const ROLE_COUNT: usize = 10;

/// Every role, in field-array order.
pub const ROLES: [Role; ROLE_COUNT] = [
    Role::Upn,
    Role::DisplayName,
    Role::Blocked,
    Role::Methods,
    Role::State,
    Role::DefaultMethod,
    Role::Registered,
    Role::Capable,
    Role::Admin,
    Role::UserType,
];

impl Role {
    /// Index in per-row field arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used on the command line (`--column ROLE=HEADER`).
    pub fn cli_name(self) -> &'static str {
        match self {
            Role::Upn => "upn",
            Role::DisplayName => "display-name",
            Role::Blocked => "blocked",
            Role::Methods => "methods",
            Role::State => "status",
            Role::DefaultMethod => "default-method",
            Role::Registered => "mfa-registered",
            Role::Capable => "mfa-capable",
            Role::Admin => "admin",
            Role::UserType => "user-type",
        }
    }

    /// Parses a command-line role name.
    pub fn from_cli_name(name: &str) -> Option<Role> {
        ROLES
            .into_iter()
            .find(|r| r.cli_name().eq_ignore_ascii_case(name.trim()))
    }

    /// Known header spellings, normalised (see [`normalize`]), best first.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Role::Upn => &["userprincipalname", "upn", "userprincipal", "signinname"],
            Role::DisplayName => &["displayname", "userdisplayname", "fullname", "name"],
            Role::Blocked => &[
                "blockcredential",
                "blocked",
                "signinblocked",
                "blocksignin",
                "isblocked",
                "signinstatus",
                "accountenabled",
                "enabled",
                "isenabled",
                "accountstatus",
            ],
            Role::Methods => &[
                "strongauthenticationmethods.methodtype",
                "strongauthenticationmethods",
                "mfamethods",
                "allmfamethods",
                "strongauthmethods",
                "mfamethod",
                "methods",
                "methodtypes",
                "registeredmethods",
                "methodsregistered",
                "authenticationmethods",
            ],
            Role::State => &[
                "strongauthenticationrequirements.state",
                "strongauthenticationrequirements",
                "mfastatus",
                "mfastate",
                "perusermfastate",
                "perusermfastatus",
                "perusermfa",
                "strongauthenticationstate",
            ],
            Role::DefaultMethod => &[
                "defaultmethod",
                "defaultmfamethod",
                "mfadefaultmethod",
                "defaultauthenticationmethod",
                "strongauthenticationmethods.default",
                "defaultmethodtype",
                "preferredmethod",
                "userpreferredmethodforsecondaryauthentication",
            ],
            Role::Registered => &["ismfaregistered", "mfaregistered"],
            Role::Capable => &["ismfacapable", "mfacapable"],
            Role::Admin => &["isadmin", "admin"],
            Role::UserType => &["usertype"],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// Which way a blocked-state column points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// True means sign-in is blocked (`BlockCredential`).
    TrueIsBlocked,
    /// True means sign-in is allowed (`AccountEnabled`).
    TrueIsEnabled,
}

/// A header normalised for comparison: lower case, without white space, `_` and `-`.
pub fn normalize(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The columns of one input, resolved once from its header row.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The header row as written (trimmed).
    pub headers: Vec<String>,
    /// Column index per role (by [`Role::index`]), `None` when the input lacks it.
    pub columns: [Option<usize>; ROLE_COUNT],
    /// How the blocked column reads.
    pub polarity: Polarity,
    /// Headers that appear more than once: (name, first index, later index).
    pub duplicate_headers: Vec<(String, usize, usize)>,
}

impl Schema {
    /// The column of `role`, if the input has one.
    pub fn column(&self, role: Role) -> Option<usize> {
        self.columns[role.index()]
    }

    /// The header of `role`'s column as written.
    pub fn header(&self, role: Role) -> Option<&str> {
        self.column(role).map(|i| self.headers[i].as_str())
    }

    /// Resolves roles from a header row. `overrides` are `--column ROLE=HEADER` mappings, which
    /// win over aliases and must name an existing header.
    pub fn resolve(headers: Vec<String>, overrides: &[(Role, String)]) -> Result<Schema> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
        let mut duplicate_headers = Vec::new();
        for (i, n) in normalized.iter().enumerate() {
            if n.is_empty() {
                continue;
            }
            if let Some(first) = normalized[..i].iter().position(|m| m == n) {
                duplicate_headers.push((headers[i].clone(), first, i));
            }
        }
        let mut columns = [None; ROLE_COUNT];
        for role in ROLES {
            // Earliest alias wins; for equal names the first column wins.
            columns[role.index()] = role
                .aliases()
                .iter()
                .find_map(|alias| normalized.iter().position(|n| n == alias));
        }
        for (role, header) in overrides {
            let wanted = normalize(header);
            match normalized.iter().position(|n| *n == wanted) {
                Some(i) => columns[role.index()] = Some(i),
                None => bail!(
                    "--column {role}={header:?}: no such header; the headers are: {}",
                    quoted_list(&headers)
                ),
            }
        }
        let polarity = match columns[Role::Blocked.index()].map(|i| normalized[i].as_str()) {
            Some("accountenabled" | "enabled" | "isenabled") => Polarity::TrueIsEnabled,
            _ => Polarity::TrueIsBlocked,
        };
        Ok(Schema {
            headers,
            columns,
            polarity,
            duplicate_headers,
        })
    }
}

/// `"a", "b", "c"` for messages, shortened for very wide files.
pub fn quoted_list(items: &[String]) -> String {
    const SHOWN: usize = 40;
    let mut s = items
        .iter()
        .take(SHOWN)
        .map(|h| crate::terminal::quote(h).to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        s.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    s
}

/// Parses `ROLE=HEADER`.
pub fn parse_override(arg: &str) -> Result<(Role, String), String> {
    let (role, header) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected ROLE=HEADER, got {arg:?}"))?;
    let role = Role::from_cli_name(role).ok_or_else(|| {
        let names: Vec<_> = ROLES.iter().map(|r| r.cli_name()).collect();
        format!("unknown role {role:?}; roles are {}", names.join(", "))
    })?;
    if header.trim().is_empty() {
        return Err(format!("no header name after {role}="));
    }
    Ok((role, header.to_owned()))
}

/// Starts, and separates the names of, a methods field that a reader already holds as a list
/// (a JSON array of names): the methods parser splits it as it is, without parsing JSON again
/// and without reading a `,` inside a name as a separator. U+001F (unit separator) never
/// occurs in a method name.
pub const LIST_SEPARATOR: char = '\u{1f}';

/// The fields of one input row, by role. `None`: the input has no such column; `Some("")`:
/// the column is there and the cell is empty (or the row is short).
#[derive(Debug, Clone, Copy, Default)]
pub struct Row<'a> {
    pub fields: [Option<&'a str>; ROLE_COUNT],
}

impl<'a> Row<'a> {
    pub fn get(&self, role: Role) -> Option<&'a str> {
        self.fields[role.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(headers: &[&str]) -> Schema {
        Schema::resolve(headers.iter().map(|s| s.to_string()).collect(), &[]).unwrap()
    }

    #[test]
    fn every_alias_is_recognised() {
        let cases: &[(&str, Role)] = &[
            ("UserPrincipalName", Role::Upn),
            ("User Principal Name", Role::Upn),
            ("UPN", Role::Upn),
            ("user_principal_name", Role::Upn),
            ("SignInName", Role::Upn),
            ("DisplayName", Role::DisplayName),
            ("Display Name", Role::DisplayName),
            ("userDisplayName", Role::DisplayName),
            ("Name", Role::DisplayName),
            ("BlockCredential", Role::Blocked),
            ("Block Credential", Role::Blocked),
            ("Blocked", Role::Blocked),
            ("Sign-in blocked", Role::Blocked),
            ("SignInStatus", Role::Blocked),
            ("Sign in status", Role::Blocked),
            ("accountEnabled", Role::Blocked),
            ("StrongAuthenticationMethods", Role::Methods),
            ("StrongAuthenticationMethods.MethodType", Role::Methods),
            ("MFA Methods", Role::Methods),
            ("AllMFAMethods", Role::Methods),
            ("Methods", Role::Methods),
            ("StrongAuthenticationRequirements", Role::State),
            ("StrongAuthenticationRequirements.State", Role::State),
            ("MFA Status", Role::State),
            ("MFA State", Role::State),
            ("MFAState", Role::State),
            ("perUserMfaState", Role::State),
            ("DefaultMethod", Role::DefaultMethod),
            ("Default MFA Method", Role::DefaultMethod),
            ("DefaultMFAMethod", Role::DefaultMethod),
        ];
        for (header, role) in cases {
            let schema = resolve(&["Other", header]);
            assert_eq!(schema.column(*role), Some(1), "{header:?} as {role}");
        }
    }

    #[test]
    fn address_state_is_not_mfa_state() {
        let schema = resolve(&["UserPrincipalName", "State", "StrongAuthenticationMethods"]);
        assert_eq!(schema.column(Role::State), None);
    }

    #[test]
    fn best_alias_wins_over_column_order() {
        let schema = resolve(&["SignInName", "UserPrincipalName", "MFA Methods", "Methods"]);
        assert_eq!(schema.column(Role::Upn), Some(1));
        assert_eq!(schema.column(Role::Methods), Some(2));
    }

    #[test]
    fn duplicate_headers_first_wins_and_are_reported() {
        let schema = resolve(&["UPN", "BlockCredential", "blockcredential"]);
        assert_eq!(schema.column(Role::Blocked), Some(1));
        assert_eq!(
            schema.duplicate_headers,
            vec![("blockcredential".into(), 1, 2)]
        );
    }

    #[test]
    fn polarity_follows_the_column_name() {
        assert_eq!(
            resolve(&["UPN", "BlockCredential"]).polarity,
            Polarity::TrueIsBlocked
        );
        assert_eq!(
            resolve(&["UPN", "AccountEnabled"]).polarity,
            Polarity::TrueIsEnabled
        );
    }

    #[test]
    fn overrides_map_unrecognised_headers() {
        let headers = vec!["Login".to_string(), "Zugangsmethoden".to_string()];
        let overrides = vec![
            parse_override("upn=Login").unwrap(),
            parse_override("methods=zugangsmethoden").unwrap(),
        ];
        let schema = Schema::resolve(headers.clone(), &overrides).unwrap();
        assert_eq!(schema.column(Role::Upn), Some(0));
        assert_eq!(schema.column(Role::Methods), Some(1));
        let bad = vec![parse_override("upn=Nope").unwrap()];
        let err = Schema::resolve(headers, &bad).unwrap_err().to_string();
        assert!(err.contains("\"Login\""), "{err}");
        assert!(parse_override("colour=Login").is_err());
        assert!(parse_override("upn").is_err());
        assert!(parse_override("upn=").is_err());
    }
}
