//! Column roles and how headers are recognised.
//!
//! Exports name the same data in many ways (`UserPrincipalName`, `User Principal Name`, `UPN`;
//! `StrongAuthenticationMethods.MethodType`, `MFA Methods`, `AllMFAMethods`, ...). Headers are
//! compared case-, space-, `_`- and `-`-insensitively against an ordered alias list per role; the
//! earliest alias wins, so a raw export with both `UserPrincipalName` and `SignInName` uses the
//! former. A raw MSOnline `State` column is the address state and is never taken for MFA.
//!
//! Files written by the community's MFA scripts are recognised by their header set first
//! ([`crate::read::shape`]): there a header means what that script meant by it (LazyAdmin's
//! `MFA Enabled` is a registration flag, AdminDroid's `MFA Status` a registration verdict that
//! is never per-user state), and the aliases only fill the roles the shape leaves open.

use anyhow::{bail, Result};

use crate::read::shape::{Meaning, Shape};

pub use crate::read::role::{Role, METHOD_COLUMNS, ROLES, ROLE_COUNT};

/// Which way a blocked-state column points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// True means sign-in is blocked (`BlockCredential`).
    TrueIsBlocked,
    /// True means sign-in is allowed (`AccountEnabled`).
    TrueIsEnabled,
}

/// Blocked-column headers (normalised) whose true means the user can sign in.
const ENABLED_HEADERS: &[&str] = &["accountenabled", "signinenabled", "enabled", "isenabled"];

/// `--column ROLE=HEADER`: the header to use for a role. `enabled=HEADER` is the blocked role
/// read the other way round (true = can sign in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnOverride {
    pub role: Role,
    pub header: String,
    /// Set by `enabled=`; otherwise the header's name decides.
    pub polarity: Option<Polarity>,
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
    /// The community script that wrote the file, recognised by its headers.
    pub shape: Option<Shape>,
    /// Status columns the shape says are not per-user MFA state, with what they are instead:
    /// never read as MFA Status.
    pub not_state: Vec<(usize, &'static str)>,
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
    /// win over the shape and the aliases and must name an existing header.
    pub fn resolve(headers: Vec<String>, overrides: &[ColumnOverride]) -> Result<Schema> {
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
        // Columns the shape gave a meaning: no alias takes them for another role.
        let mut claimed = vec![false; headers.len()];
        let mut not_state = Vec::new();
        let shape = Shape::recognise(&normalized);
        for (header, meaning) in shape.map_or(&[][..], Shape::columns) {
            let Some(i) = normalized.iter().position(|n| n == header) else {
                continue;
            };
            claimed[i] = true;
            match meaning {
                Meaning::Role(role) => columns[role.index()] = Some(i),
                Meaning::NotState(what) => not_state.push((i, *what)),
            }
        }
        for role in ROLES {
            if columns[role.index()].is_some() {
                continue;
            }
            // Earliest alias wins; for equal names the first column wins.
            columns[role.index()] = role.aliases().iter().find_map(|alias| {
                (0..normalized.len()).find(|&i| !claimed[i] && normalized[i] == *alias)
            });
        }
        let mut polarity = None;
        for o in overrides {
            let wanted = normalize(&o.header);
            match normalized.iter().position(|n| *n == wanted) {
                Some(i) => {
                    columns[o.role.index()] = Some(i);
                    not_state.retain(|(c, _)| *c != i);
                    if o.role == Role::Blocked {
                        polarity = o.polarity;
                    }
                }
                None => bail!(
                    "--column {}={:?}: no such header; the headers are: {}",
                    o.role,
                    o.header,
                    quoted_list(&headers)
                ),
            }
        }
        let polarity = polarity.unwrap_or_else(|| {
            match columns[Role::Blocked.index()].map(|i| normalized[i].as_str()) {
                Some(h) if ENABLED_HEADERS.contains(&h) => Polarity::TrueIsEnabled,
                _ => Polarity::TrueIsBlocked,
            }
        });
        Ok(Schema {
            headers,
            columns,
            polarity,
            duplicate_headers,
            shape,
            not_state,
        })
    }

    /// Why the file cannot be audited at all, when its shape names no account
    /// ([`Shape::refusal`]).
    pub fn refusal(&self) -> Option<&'static str> {
        self.shape?
            .refusal(self.column(Role::Upn), self.column(Role::DisplayName))
    }

    /// True when the input says whether users are registered: a method list, a registration
    /// flag, or one column per method.
    pub fn tells_registration(&self) -> bool {
        [Role::Methods, Role::Registered, Role::AnyMethod]
            .iter()
            .chain(METHOD_COLUMNS.iter().map(|(r, _)| r))
            .any(|r| self.column(*r).is_some())
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

/// Splits `ROLE=HEADER` into its two halves (the role's name trimmed), with the messages every
/// `--column` gives; shared by `audit` and `signins`.
pub fn split_override(arg: &str) -> Result<(&str, &str), String> {
    let (name, header) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected ROLE=HEADER, got {arg:?}"))?;
    if header.trim().is_empty() {
        return Err(format!("no header name after {}=", name.trim()));
    }
    Ok((name.trim(), header))
}

/// Parses `ROLE=HEADER`; `enabled=HEADER` is the blocked role with true = can sign in.
pub fn parse_override(arg: &str) -> Result<ColumnOverride, String> {
    let (name, header) = split_override(arg)?;
    let (role, polarity) = if name.trim().eq_ignore_ascii_case("enabled") {
        (Role::Blocked, Some(Polarity::TrueIsEnabled))
    } else {
        let role = Role::from_cli_name(name).ok_or_else(|| {
            let names: Vec<_> = ROLES.iter().map(|r| r.cli_name()).collect();
            format!(
                "unknown role {name:?}; roles are {}, enabled (true = can sign in), registered",
                names.join(", ")
            )
        })?;
        // `blocked=` keeps the header's own direction (`blocked=accountEnabled` reads true as
        // enabled, as it always did): only `enabled=` says which way explicitly.
        (role, None)
    };
    Ok(ColumnOverride {
        role,
        header: header.to_owned(),
        polarity,
    })
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
    /// Roles (bits by [`Role::index`]) whose cell is there but cannot be read for what it
    /// shows: a workbook formula without a saved result, a number saved for a text formula, an
    /// error value. Their text is empty; the classifier treats them as "the file cannot tell",
    /// never as an empty cell (which is a verdict).
    pub unreadable: u32,
}

impl<'a> Row<'a> {
    pub fn get(&self, role: Role) -> Option<&'a str> {
        self.fields[role.index()]
    }

    /// Whether the row has `role`'s cell but cannot say what it holds.
    pub fn is_unreadable(&self, role: Role) -> bool {
        self.unreadable & (1 << role.index()) != 0
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
            // Graph's userRegistrationDetails, Get-MgUser, Get-MsolUser.
            ("id", Role::ObjectId),
            ("Id", Role::ObjectId),
            ("ObjectId", Role::ObjectId),
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

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(|h| h.trim().to_owned()).collect()
    }

    /// Each shape's roles, and the status columns kept out of MFA Status.
    #[test]
    fn columns_get_the_scripts_meaning() {
        let resolve = |line: &str| Schema::resolve(headers(line), &[]).unwrap();
        let s = resolve("Name,UPN,Department,License Status,SignIn Status,Authentication Methods,MFA Status,MFA Phone");
        assert_eq!(
            s.column(Role::State),
            None,
            "Strong/Weak is not per-user state"
        );
        assert_eq!(
            s.not_state.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            vec![6]
        );
        assert_eq!(s.column(Role::Methods), Some(5));
        assert_eq!(s.header(Role::Blocked), Some("SignIn Status"));

        let s = resolve("Name,Emailaddress,UserPrincipalName,isAdmin,MFA Status,MFA Preferred method,Phone Authentication,Authenticator App,Passwordless,Hello for Business,FIDO2 Security Key,Temporary Access Pass");
        assert_eq!(s.column(Role::State), None);
        assert_eq!(s.header(Role::AnyMethod), Some("MFA Status"));
        assert_eq!(s.header(Role::MethodFido2), Some("FIDO2 Security Key"));
        assert_eq!(s.header(Role::DisplayName), Some("Name"));

        let s = resolve("DisplayName,UserPrincipalName,isAdmin,MFA Enabled,MFA Type,SMS token,Phone call verification,Hardware token or authenticator app,Authenticator app,Email Verification,MFAEnforced");
        assert_eq!(s.header(Role::Registered), Some("MFA Enabled"));
        assert_eq!(s.header(Role::MethodSms), Some("SMS token"));
        assert_eq!(
            s.header(Role::MethodOtp),
            Some("Hardware token or authenticator app")
        );
        assert_eq!(s.column(Role::State), None);
        assert_eq!(s.not_state.len(), 1);

        let s = resolve("UPN,AccountEnabled,PerUser,isLicensed,MFARegistration,MFAMethods");
        assert_eq!(s.header(Role::State), Some("PerUser"));
        assert_eq!(s.header(Role::Registered), Some("MFARegistration"));
        assert_eq!(s.polarity, Polarity::TrueIsEnabled);

        let s = resolve("User Name,UPN,Registered Auth Methods,Default Auth Method,System Preferred MFA Status,Signin Enabled");
        assert_eq!(s.polarity, Polarity::TrueIsEnabled);
        assert_eq!(s.column(Role::State), None);

        let s = resolve("User,UPN,Methods,MFAStatus,LastSignIn,LastSignInApp");
        assert_eq!(s.column(Role::State), None);
        assert_eq!(s.header(Role::DisplayName), Some("User"));
    }

    #[test]
    fn overrides_win_over_the_shape() {
        let o = parse_override("status=MFA Status").unwrap();
        let s = Schema::resolve(
            headers("Name,UPN,SignIn Status,Authentication Methods,MFA Status"),
            &[o],
        )
        .unwrap();
        assert_eq!(s.header(Role::State), Some("MFA Status"));
        assert!(s.not_state.is_empty());
    }
}
