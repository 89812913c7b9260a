//! One row in, one verdict out: Microsoft's classification, exactly, and honest about what the
//! row cannot tell.
//!
//! The reference is the pair of `Get-MsolUser` filters in Microsoft's article:
//! registered = `StrongAuthenticationMethods -ne $null -and BlockCredential -eq $False`,
//! unregistered = `StrongAuthenticationMethods.Count -eq 0 -and BlockCredential -eq $False`.
//! `-eq $False` on imported text matches only a false value: an empty or odd blocked cell puts
//! the user in neither list, which we call *unknown* and say so. MFA Status is
//! `StrongAuthenticationRequirements.State`, `Disabled` when empty.
//!
//! Microsoft Graph exports say more: `isMfaRegistered` decides registration when present (its
//! `methodsRegistered` may then be `System.String[]`, which is no loss); otherwise a user is
//! registered when at least one method is an MFA method (a user with only `email`, a password or
//! security questions is not). `isMfaCapable`, `isAdmin` and `userType` are carried along.
//!
//! Community scripts say it in other ways ([`crate::read::shape`]): a registration flag
//! (`MFA Enabled`, `MFARegistration`, `ActivationStatus`), one true/`-` column per method, or a
//! yes/no that counts methods which are not MFA ([`Role::AnyMethod`]). A method a column names
//! is a fact; a flag that is unreadable (`No data`), or a hint that no named method confirms, is
//! not: then the user's registration is unknown, and the verdict says which column could not
//! tell. A status that is not Enabled, Enforced or Disabled is kept out of MFA Status.

use std::fmt;

use std::borrow::Cow;

use crate::audit::methods::{
    is_placeholder, is_type_name, parse_methods, push_unique, MethodsCell, Names,
};
use crate::audit::registration::{parse_flag, parse_method_column};
use crate::audit::vocab::{self, Strength};
use crate::read::boolean::parse_bool;
use crate::read::schema::{Polarity, Role, Row, METHOD_COLUMNS};

/// Where a user lands; every row counts in exactly one bucket (duplicates aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    Registered,
    Unregistered,
    Blocked,
    Unknown,
}

impl Bucket {
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Registered => "registered",
            Bucket::Unregistered => "unregistered",
            Bucket::Blocked => "blocked",
            Bucket::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the blocked column says of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    Yes,
    No,
    /// The cell is empty or not a boolean.
    Unreadable,
    /// The input has no blocked column: the user is taken as not blocked (and the input is
    /// flagged once, loudly).
    NoColumn,
}

/// Per-user MFA state (`StrongAuthenticationRequirements.State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    Enabled,
    Enforced,
    Disabled,
    /// The input has no state column: we do not claim per-user MFA is off.
    NotInInput,
    /// A value that is not per-user state (`Strong`, `Enabled via Conditional Access`,
    /// `No data`): kept for the warning that quotes it, written as `Unknown`.
    Other(&'a str),
    /// The cell is there but the file does not say what it shows (a workbook formula without
    /// a saved result): written as `Unknown`, never as the `Disabled` an empty cell means.
    Unreadable,
}

impl<'a> Status<'a> {
    /// The text written in the report's MFA Status column: never a value that is not per-user
    /// state, which could pass for one.
    pub fn as_str(&self) -> &'a str {
        match self {
            Status::Enabled => "Enabled",
            Status::Enforced => "Enforced",
            Status::Disabled => "Disabled",
            Status::NotInInput | Status::Other(_) | Status::Unreadable => "Unknown",
        }
    }
}

/// A user's MFA methods as far as the input tells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Methods<'a> {
    Names(Names<'a>),
    /// Registered with two or more methods whose names the export dropped (`System.Object[]`).
    TwoOrMoreUnnamed,
    /// The export wrote the list as a type name (`System.String[]`) but says whether the user is
    /// registered in a column of its own (`IsMfaRegistered`).
    NotListed,
}

impl Methods<'_> {
    /// True when the input lists no method at all.
    pub fn is_empty(&self) -> bool {
        matches!(self, Methods::Names(n) if n.is_empty())
    }

    /// The strongest class among the listed methods; `None` when none is listed or the names
    /// are not in the input. Names not in the vocabulary do not count here.
    pub fn strongest(&self) -> Option<Strength> {
        self.profile().strongest
    }

    /// What the vocabulary says of the listed names, in one pass.
    pub fn profile(&self) -> MethodProfile {
        let mut p = MethodProfile::default();
        match self {
            Methods::Names(names) => {
                for n in names {
                    match vocab::lookup(n) {
                        Some(m) => {
                            p.has_mfa |= m.strength != Strength::NotMfa;
                            p.strongest = p.strongest.max(Some(m.strength));
                        }
                        None => {
                            // Unknown names count, as they would in PowerShell.
                            p.has_mfa = true;
                            p.unrecognised = true;
                        }
                    }
                }
            }
            Methods::TwoOrMoreUnnamed | Methods::NotListed => p.has_mfa = true,
        }
        p
    }

    /// The strength class as counted and reported: the strongest known class, `unrecognised`
    /// when every name is unknown, `names not in input` when the names were not exported;
    /// `None` without methods.
    pub fn strength_label(&self) -> Option<StrengthClass> {
        self.label_with(self.strongest())
    }

    fn label_with(&self, strongest: Option<Strength>) -> Option<StrengthClass> {
        match (strongest, self) {
            (Some(s), _) => Some(StrengthClass::Known(s)),
            (None, Methods::Names(n)) if n.is_empty() => None,
            (None, Methods::Names(_)) => Some(StrengthClass::Unrecognised),
            (None, _) => Some(StrengthClass::NamesNotInInput),
        }
    }
}

/// The strength class a user is counted and reported under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrengthClass {
    /// The strongest class among the methods the vocabulary knows.
    Known(Strength),
    /// Every listed name is unknown to the vocabulary.
    Unrecognised,
    /// Methods are there but their names were not exported (`System.Object[]`).
    NamesNotInInput,
}

impl StrengthClass {
    /// The name in every output: `phishing-resistant`, `app`, `phone`, `not-mfa`,
    /// `unrecognised`, `names not in input`.
    pub fn name(self) -> &'static str {
        match self {
            StrengthClass::Known(s) => s.name(),
            StrengthClass::Unrecognised => "unrecognised",
            StrengthClass::NamesNotInInput => "names not in input",
        }
    }
}

/// What the vocabulary says of a user's methods.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MethodProfile {
    /// At least one method is a second factor (unnamed and unknown methods count).
    pub has_mfa: bool,
    pub strongest: Option<Strength>,
    /// Some name is not in the vocabulary.
    pub unrecognised: bool,
}

/// The verdict on one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict<'a> {
    /// Trimmed; empty when the row has no UPN (then the bucket is never a list bucket).
    pub upn: &'a str,
    pub display_name: Option<&'a str>,
    pub default_method: Option<&'a str>,
    pub blocked: Blocked,
    pub status: Status<'a>,
    pub methods: Methods<'a>,
    /// The strength class of the strongest method ([`Methods::strength_label`]).
    pub strength: Option<StrengthClass>,
    /// Some method name is not in the vocabulary.
    pub unrecognised_methods: bool,
    /// Registered only because of names the vocabulary does not know: no known MFA method,
    /// and no registration column that says so.
    pub registered_by_unrecognised: bool,
    /// Registered for MFA, whatever the blocked state: `isMfaRegistered`, or at least one MFA
    /// method.
    pub registered: bool,
    /// The user has methods, but none of them is MFA (e.g. only `email`).
    pub only_non_mfa_methods: bool,
    /// `isMfaCapable`, when the input has it and the cell is readable.
    pub capable: Option<bool>,
    /// `isAdmin`, when the input has it and the cell is readable.
    pub admin: Option<bool>,
    /// `userType` as written (Member, Guest), when the input has it.
    pub user_type: Option<&'a str>,
    /// The column that could not tell whether the user is registered (an unreadable flag, a
    /// hint no listed method confirms); the user is then unknown unless blocked.
    pub registration_unknown: Option<Role>,
    /// The registration flag and the method list disagree (the flag decided).
    pub flag_conflict: Option<FlagConflict>,
    pub bucket: Bucket,
}

impl Verdict<'_> {
    /// A guest: `userType` Guest, or, without that column, a UPN with `#EXT#` (how Entra names
    /// invited users).
    pub fn is_guest(&self) -> bool {
        match self.user_type {
            Some(t) => t.eq_ignore_ascii_case("guest"),
            // (A byte search first: this runs for every user.)
            None => {
                memchr::memchr(b'#', self.upn.as_bytes()).is_some() && self.upn.contains("#EXT#")
            }
        }
    }
}

/// A registration flag that the same row's method list contradicts. The flag still decides
/// (Graph computes `isMfaRegistered` from the methods the authentication methods policy
/// allows, so `No` beside `mobilePhone` usually means text message and voice are turned off
/// there); the contradiction is counted, so that the coverage it moves is not silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagConflict {
    /// The flag says not registered; the list holds an MFA method.
    NoButMethods,
    /// The flag says registered; the list holds no MFA method (empty, a placeholder, or only
    /// methods that are not MFA).
    YesWithoutMethods,
}

/// A row whose cells hold a .NET type name instead of data: the export lost the information,
/// and no verdict can be honest. Or a methods column that holds a boolean: it is a flag, and
/// must be read as one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LostData<'a> {
    pub role: Role,
    pub type_name: &'a str,
    pub kind: Lost,
}

/// What a refused cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// A .NET type name in place of the data.
    TypeName,
    /// A true/false word in the methods column.
    Boolean,
}

impl LostData<'_> {
    /// The message for a methods column that holds booleans, naming `header` and the fix;
    /// `None` for a type name (whose message depends on the format).
    pub fn boolean_message(&self, header: &str) -> Option<String> {
        (self.kind == Lost::Boolean).then(|| {
            let header = crate::terminal::quote(header);
            format!(
                "column {header} holds {} where MFA method names belong: it is a yes/no flag, \
                 not a list of methods, and reading it as one would count every user as \
                 registered. Nothing was written.\n\
                 hint: if it says whether the user is registered for MFA, pass --column \
                 registered={header}; if it says something else, name the methods column with \
                 --column methods=HEADER",
                crate::terminal::quote(self.type_name)
            )
        })
    }
}

/// A verdict for tests of what comes after classification: `upn` in `bucket`, registered when
/// `methods` is not empty, nothing else known.
#[cfg(test)]
pub(crate) fn test_verdict(
    upn: &str,
    bucket: Bucket,
    methods: &[&'static str],
) -> Verdict<'static> {
    let upn: &'static str = Box::leak(upn.to_owned().into_boxed_str());
    Verdict {
        upn,
        display_name: None,
        default_method: None,
        blocked: Blocked::No,
        status: Status::Disabled,
        methods: Methods::Names(
            methods
                .iter()
                .map(|m| std::borrow::Cow::Borrowed(*m))
                .collect(),
        ),
        registered: !methods.is_empty(),
        strength: None,
        unrecognised_methods: false,
        registered_by_unrecognised: false,
        only_non_mfa_methods: false,
        capable: None,
        admin: None,
        user_type: None,
        registration_unknown: None,
        flag_conflict: None,
        bucket,
    }
}

/// Classifies one row.
pub fn classify<'a>(row: &Row<'a>, polarity: Polarity) -> Result<Verdict<'a>, LostData<'a>> {
    // A cell that is there but cannot be read for what it shows (see `Row::unreadable`).
    let unreadable = |role| row.get(role).is_some() && row.is_unreadable(role);
    // isMfaRegistered: None without the column; Some(None) when the cell is unreadable.
    let flag_of = |role| {
        if unreadable(role) {
            Some(None)
        } else {
            row.get(role).map(parse_flag)
        }
    };
    let flag = flag_of(Role::Registered);
    let any_method = flag_of(Role::AnyMethod);
    let mut unreadable_column = None;
    let methods = match parse_methods(row.get(Role::Methods).unwrap_or("")) {
        MethodsCell::Names(mut names) => {
            for (role, name) in METHOD_COLUMNS {
                let cell = if unreadable(role) {
                    Some(None)
                } else {
                    row.get(role).map(parse_method_column)
                };
                match cell {
                    Some(Some(true)) => push_unique(&mut names, Cow::Borrowed(name)),
                    Some(None) => unreadable_column = unreadable_column.or(Some(role)),
                    _ => {}
                }
            }
            Methods::Names(names)
        }
        MethodsCell::TwoOrMoreUnnamed => Methods::TwoOrMoreUnnamed,
        MethodsCell::NotListed => Methods::NotListed,
        // Graph's System.String[] is no loss when registration has a column of its own.
        MethodsCell::TypeName(_) if matches!(flag, Some(Some(_))) => Methods::NotListed,
        MethodsCell::TypeName(type_name) => {
            return Err(LostData {
                role: Role::Methods,
                type_name,
                kind: Lost::TypeName,
            })
        }
        MethodsCell::Boolean(word) => {
            return Err(LostData {
                role: Role::Methods,
                type_name: word,
                kind: Lost::Boolean,
            })
        }
    };
    let status = if unreadable(Role::State) {
        Status::Unreadable
    } else {
        parse_status(row.get(Role::State))?
    };
    let blocked = match row.get(Role::Blocked) {
        None => Blocked::NoColumn,
        Some(_) if unreadable(Role::Blocked) => Blocked::Unreadable,
        Some(cell) => parse_blocked(cell, polarity),
    };
    let methods_unreadable = unreadable(Role::Methods);
    let profile = methods.profile();
    let has_mfa = profile.has_mfa;
    // Some(true/false) when the row tells; None when it cannot, with the column to blame.
    let (registered, registration_unknown) = match (flag, any_method) {
        (Some(Some(b)), _) => (b, None),
        // A method the row lists is a fact, whatever a flag or a hint could not say.
        _ if has_mfa => (true, None),
        // The methods cell is there but unreadable: it may name a method.
        _ if methods_unreadable => (false, Some(Role::Methods)),
        (Some(None), _) => (false, Some(Role::Registered)),
        // The script counted a method that no column names: MFA (a software token) or not
        // (an email): the file cannot tell.
        (None, Some(Some(true)) | Some(None)) => (false, Some(Role::AnyMethod)),
        _ => (false, unreadable_column),
    };
    // Only a list the row writes can contradict the flag: not System.String[] (NotListed), and
    // not a file without a methods column.
    let lists_methods = row.get(Role::Methods).is_some()
        && !methods_unreadable
        && matches!(methods, Methods::Names(_));
    let flag_conflict = match flag {
        Some(Some(false)) if lists_methods && has_mfa => Some(FlagConflict::NoButMethods),
        Some(Some(true)) if lists_methods && !has_mfa => Some(FlagConflict::YesWithoutMethods),
        _ => None,
    };
    let known_mfa = matches!(profile.strongest, Some(s) if s != Strength::NotMfa);
    let registered_by_unrecognised = registered
        && !matches!(flag, Some(Some(_)))
        && profile.unrecognised
        && !known_mfa
        && matches!(methods, Methods::Names(_));
    let upn = row.get(Role::Upn).unwrap_or("").trim();
    let bucket = match blocked {
        Blocked::Yes => Bucket::Blocked,
        Blocked::Unreadable => Bucket::Unknown,
        Blocked::No | Blocked::NoColumn if upn.is_empty() => Bucket::Unknown,
        Blocked::No | Blocked::NoColumn if registration_unknown.is_some() => Bucket::Unknown,
        Blocked::No | Blocked::NoColumn if registered => Bucket::Registered,
        Blocked::No | Blocked::NoColumn => Bucket::Unregistered,
    };
    let optional = |role| {
        row.get(role)
            .map(str::trim)
            .filter(|s: &&str| !s.is_empty())
    };
    let boolean = |role| row.get(role).and_then(parse_bool);
    Ok(Verdict {
        upn,
        display_name: optional(Role::DisplayName),
        // Graph writes "none" for a user without a default method, scripts "-".
        default_method: optional(Role::DefaultMethod).filter(|m| !is_placeholder(m)),
        blocked,
        status,
        only_non_mfa_methods: !methods.is_empty() && !has_mfa,
        strength: methods.label_with(profile.strongest),
        unrecognised_methods: profile.unrecognised,
        registered_by_unrecognised,
        methods,
        registered,
        capable: boolean(Role::Capable),
        admin: boolean(Role::Admin),
        user_type: optional(Role::UserType),
        registration_unknown,
        flag_conflict,
        bucket,
    })
}

/// Reads a blocked-state cell: booleans in the column's polarity, or the words sign-in status
/// columns use ("Blocked"/"Allowed").
pub fn parse_blocked(cell: &str, polarity: Polarity) -> Blocked {
    let is_blocked = match parse_bool(cell) {
        Some(b) => b == (polarity == Polarity::TrueIsBlocked),
        None => {
            let t = cell.trim();
            if ["blocked", "denied", "disabled"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t))
            {
                true
            } else if ["allowed", "enabled", "active"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(t))
            {
                false
            } else {
                return Blocked::Unreadable;
            }
        }
    };
    if is_blocked {
        Blocked::Yes
    } else {
        Blocked::No
    }
}

fn parse_status(cell: Option<&str>) -> Result<Status<'_>, LostData<'_>> {
    let Some(cell) = cell else {
        return Ok(Status::NotInInput);
    };
    let t = cell.trim();
    Ok(if t.is_empty() || t.eq_ignore_ascii_case("disabled") {
        Status::Disabled
    } else if t.eq_ignore_ascii_case("enabled") {
        Status::Enabled
    } else if t.eq_ignore_ascii_case("enforced") {
        Status::Enforced
    } else if is_type_name(t) {
        return Err(LostData {
            role: Role::State,
            type_name: t,
            kind: Lost::TypeName,
        });
    } else {
        Status::Other(t)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(
        upn: &'a str,
        blocked: Option<&'a str>,
        methods: &'a str,
        state: Option<&'a str>,
    ) -> Row<'a> {
        let mut r = Row::default();
        r.fields[Role::Upn.index()] = Some(upn);
        r.fields[Role::Blocked.index()] = blocked;
        r.fields[Role::Methods.index()] = Some(methods);
        r.fields[Role::State.index()] = state;
        r
    }

    /// A cell the workbook does not say (a formula without its result, a number saved for
    /// text) is "cannot tell", never the empty cell it reads as: an empty methods cell would
    /// be unregistered, an empty state Disabled.
    #[test]
    fn unreadable_cells_are_unknown_not_empty() {
        let bit = |roles: &[Role]| roles.iter().fold(0, |b, r| b | 1 << r.index());
        for (unreadable, flag, want, status) in [
            (bit(&[Role::Methods]), None, Bucket::Unknown, "Disabled"),
            // A readable flag still decides.
            (
                bit(&[Role::Methods]),
                Some("True"),
                Bucket::Registered,
                "Disabled",
            ),
            (
                bit(&[Role::Methods]),
                Some("False"),
                Bucket::Unregistered,
                "Disabled",
            ),
            (
                bit(&[Role::Registered]),
                Some(""),
                Bucket::Unknown,
                "Disabled",
            ),
            (bit(&[Role::Blocked]), None, Bucket::Unknown, "Disabled"),
            (bit(&[Role::State]), None, Bucket::Unregistered, "Unknown"),
            (0, None, Bucket::Unregistered, "Disabled"),
        ] {
            let mut r = row("a@x.com", Some("False"), "", Some(""));
            r.fields[Role::Registered.index()] = flag;
            r.unreadable = unreadable;
            let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
            assert_eq!(
                (v.bucket, v.status.as_str()),
                (want, status),
                "{unreadable:b} {flag:?}"
            );
        }
    }

    /// The flag decides; a list it contradicts is named, and only a list the row writes.
    #[test]
    fn flag_against_methods() {
        use FlagConflict::*;
        // (flag, methods cell or no column, registered, conflict)
        let cases: &[(&str, Option<&str>, bool, Option<FlagConflict>)] = &[
            ("True", Some("microsoftAuthenticatorPush"), true, None),
            ("False", Some(""), false, None),
            ("False", Some("email"), false, None),
            // SMS and voice off in the methods policy: Graph says No beside mobilePhone
            ("False", Some("mobilePhone"), false, Some(NoButMethods)),
            (
                "No",
                Some("microsoftAuthenticatorPush, mobilePhone"),
                false,
                Some(NoButMethods),
            ),
            // Yes beside an empty list, a placeholder, or only non-MFA methods
            ("True", Some(""), true, Some(YesWithoutMethods)),
            ("Yes", Some("No data"), true, Some(YesWithoutMethods)),
            (
                "True",
                Some("email, securityQuestion"),
                true,
                Some(YesWithoutMethods),
            ),
            // System.String[] is no list; no methods column is no list
            ("True", Some("System.String[]"), true, None),
            ("False", Some("System.String[]"), false, None),
            ("True", None, true, None),
            // an unreadable flag is not a contradiction (the methods decide)
            ("No data", Some("mobilePhone"), true, None),
        ];
        for (flag, methods, registered, conflict) in cases {
            let mut r = Row::default();
            r.fields[Role::Upn.index()] = Some("a@x");
            r.fields[Role::Blocked.index()] = Some("False");
            r.fields[Role::Registered.index()] = Some(flag);
            r.fields[Role::Methods.index()] = *methods;
            let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
            assert_eq!(v.registered, *registered, "{flag} {methods:?}");
            assert_eq!(v.flag_conflict, *conflict, "{flag} {methods:?}");
        }
    }

    /// The seed commands' table: methods x BlockCredential.
    #[test]
    fn classification_table() {
        use Bucket::*;
        let cases: &[(&str, Option<&str>, &str, Bucket)] = &[
            ("a@x", Some("False"), "PhoneAppOTP", Registered),
            ("a@x", Some("False"), "", Unregistered),
            ("a@x", Some("True"), "PhoneAppOTP", Blocked),
            ("a@x", Some("True"), "", Blocked),
            // -eq $False does not match an empty or odd value: neither list
            ("a@x", Some(""), "PhoneAppOTP", Unknown),
            ("a@x", Some(""), "", Unknown),
            ("a@x", Some("maybe"), "", Unknown),
            // Excel's words
            ("a@x", Some("FALSKT"), "OneWaySMS", Registered),
            ("a@x", Some("SANT"), "OneWaySMS", Blocked),
            // sign-in status words
            ("a@x", Some("Allowed"), "", Unregistered),
            ("a@x", Some("Blocked"), "", Blocked),
            // no blocked column: taken as not blocked
            ("a@x", None, "PhoneAppOTP", Registered),
            ("a@x", None, "", Unregistered),
            // System.Object[]: two or more methods, registered
            ("a@x", Some("False"), "System.Object[]", Registered),
            // no UPN: cannot be listed
            ("  ", Some("False"), "PhoneAppOTP", Unknown),
            ("", Some("True"), "", Blocked),
        ];
        for (upn, blocked, methods, want) in cases {
            let v = classify(&row(upn, *blocked, methods, None), Polarity::TrueIsBlocked).unwrap();
            assert_eq!(
                v.bucket, *want,
                "upn={upn:?} blocked={blocked:?} methods={methods:?}"
            );
        }
    }

    /// Graph's registration details: isMfaRegistered decides; without it, only MFA methods
    /// count.
    #[test]
    fn graph_registration_table() {
        use Bucket::*;
        let cases: &[(Option<&str>, &str, Bucket, bool)] = &[
            (Some("True"), "System.String[]", Registered, false),
            (Some("False"), "System.String[]", Unregistered, false),
            (Some("False"), "[\"email\"]", Unregistered, true),
            (Some("True"), "[]", Registered, false),
            (None, "[\"email\"]", Unregistered, true),
            (None, "[\"email\",\"securityQuestion\"]", Unregistered, true),
            (None, "[\"email\",\"mobilePhone\"]", Registered, false),
            (None, "[\"passKeySynced\"]", Registered, false),
            // a method we do not know is not dropped: it counts, as in PowerShell
            (None, "[\"quantumEntanglement\"]", Registered, false),
            // an unreadable flag falls back to the methods
            (Some(""), "[\"mobilePhone\"]", Registered, false),
        ];
        for (flag, methods, want, only_non_mfa) in cases {
            let mut r = row("a@x", Some("False"), methods, None);
            r.fields[Role::Registered.index()] = *flag;
            let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
            assert_eq!(
                (v.bucket, v.only_non_mfa_methods),
                (*want, *only_non_mfa),
                "{flag:?} {methods}"
            );
        }
        // System.String[] without isMfaRegistered tells nothing.
        let mut r = row("a@x", Some("False"), "System.String[]", None);
        r.fields[Role::Registered.index()] = Some("");
        assert!(classify(&r, Polarity::TrueIsBlocked).is_err());
    }

    /// Unknown names count as methods, and the verdict says when they alone made the user
    /// registered.
    #[test]
    fn registered_only_by_unrecognised_names() {
        // (isMfaRegistered, methods, registered only by unknown names)
        let cases: &[(Option<&str>, &str, bool)] = &[
            (None, "quantumToken", true),
            (None, "email, quantumToken", true),
            (None, "quantumToken, OneWaySMS", false),
            (None, "OneWaySMS", false),
            (None, "", false),
            (None, "System.Object[]", false),
            (Some("True"), "quantumToken", false),
            (Some("False"), "quantumToken", false),
        ];
        for (flag, methods, want) in cases {
            let mut r = row("a@x", Some("False"), methods, None);
            r.fields[Role::Registered.index()] = *flag;
            let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
            assert_eq!(v.registered_by_unrecognised, *want, "{flag:?} {methods}");
        }
    }

    #[test]
    fn capable_admin_and_guests() {
        let mut r = row("a@x", Some("False"), "[]", None);
        r.fields[Role::Capable.index()] = Some("False");
        r.fields[Role::Admin.index()] = Some("True");
        r.fields[Role::UserType.index()] = Some("member");
        let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
        assert_eq!(
            (v.capable, v.admin, v.is_guest()),
            (Some(false), Some(true), false)
        );
        let v = classify(
            &row("jo_fabrikam.com#EXT#@x", Some("False"), "", None),
            Polarity::TrueIsBlocked,
        )
        .unwrap();
        assert_eq!((v.capable, v.admin, v.is_guest()), (None, None, true));
        assert_eq!(
            Methods::Names(["email".into(), "PhoneAppOTP".into()].into_iter().collect())
                .strongest(),
            Some(Strength::App)
        );
    }

    #[test]
    fn account_enabled_points_the_other_way() {
        let v = classify(
            &row("a@x", Some("false"), "", None),
            Polarity::TrueIsEnabled,
        )
        .unwrap();
        assert_eq!(v.bucket, Bucket::Blocked);
        let v = classify(&row("a@x", Some("TRUE"), "", None), Polarity::TrueIsEnabled).unwrap();
        assert_eq!(v.bucket, Bucket::Unregistered);
    }

    #[test]
    fn status_table() {
        let cases: &[(Option<&str>, Status)] = &[
            (None, Status::NotInInput),
            (Some(""), Status::Disabled),
            (Some("Disabled"), Status::Disabled),
            (Some("enabled"), Status::Enabled),
            (Some("ENFORCED "), Status::Enforced),
            (Some("Enforced"), Status::Enforced),
            (
                Some("Conditional Access"),
                Status::Other("Conditional Access"),
            ),
        ];
        for (cell, want) in cases {
            let v = classify(
                &row("a@x", Some("False"), "", *cell),
                Polarity::TrueIsBlocked,
            )
            .unwrap();
            assert_eq!(v.status, *want, "{cell:?}");
        }
        assert_eq!(Status::NotInInput.as_str(), "Unknown");
    }

    #[test]
    fn lost_collections_are_refused() {
        let list = "System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationMethod]";
        let err = classify(
            &row("a@x", Some("False"), list, None),
            Polarity::TrueIsBlocked,
        )
        .unwrap_err();
        assert_eq!(err.role, Role::Methods);
        let req = "System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationRequirement]";
        let err = classify(
            &row("a@x", Some("False"), "", Some(req)),
            Polarity::TrueIsBlocked,
        )
        .unwrap_err();
        assert_eq!(err.role, Role::State);
    }

    #[test]
    fn optional_fields_are_trimmed_and_empty_is_none() {
        let mut r = row(" a@x ", Some("False"), "", None);
        r.fields[Role::DisplayName.index()] = Some("  Åsa  ");
        r.fields[Role::DefaultMethod.index()] = Some("");
        let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
        assert_eq!(v.upn, "a@x");
        assert_eq!(v.display_name, Some("Åsa"));
        assert_eq!(v.default_method, None);
    }

    /// Registration flags, hints and one-column-per-method cells: a named MFA method is a
    /// fact; an unreadable flag or an unconfirmed hint makes the user unknown.
    #[test]
    fn script_columns_table() {
        use Bucket::*;
        // (registered flag, any-method hint, SMS column, FIDO2 column, methods list, bucket)
        type Case<'a> = (
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            Option<&'a str>,
            &'a str,
            Bucket,
        );
        let cases: &[Case] = &[
            (Some("Yes"), None, None, None, "", Registered),
            (Some("No"), None, None, None, "", Unregistered),
            (Some("No data"), None, None, None, "", Unknown),
            (Some("No data"), None, None, None, "mobilePhone", Registered),
            (Some("No data"), None, None, None, "email", Unknown),
            (None, None, Some("True"), Some("-"), "", Registered),
            (None, None, Some("-"), Some("-"), "", Unregistered),
            (None, None, Some("-"), Some("maybe"), "", Unknown),
            (
                None,
                Some("enabled"),
                Some("-"),
                Some("True"),
                "",
                Registered,
            ),
            (None, Some("enabled"), Some("-"), Some("-"), "", Unknown),
            (
                None,
                Some("disabled"),
                Some("-"),
                Some("-"),
                "",
                Unregistered,
            ),
            (
                None,
                Some("disabled"),
                Some("True"),
                Some("-"),
                "",
                Registered,
            ),
            // placeholders are no method; non-MFA names never register
            (None, None, None, None, "-", Unregistered),
            (None, None, None, None, "None", Unregistered),
            (
                None,
                None,
                None,
                None,
                "PasswordAuthentication,EmailAuthentication",
                Unregistered,
            ),
        ];
        for (flag, any, sms, fido, methods, want) in cases {
            let mut r = row("a@x", Some("False"), methods, None);
            r.fields[Role::Registered.index()] = *flag;
            r.fields[Role::AnyMethod.index()] = *any;
            r.fields[Role::MethodSms.index()] = *sms;
            r.fields[Role::MethodFido2.index()] = *fido;
            let v = classify(&r, Polarity::TrueIsBlocked).unwrap();
            assert_eq!(
                v.bucket, *want,
                "{flag:?} {any:?} {sms:?} {fido:?} {methods:?}"
            );
            assert_eq!(v.registration_unknown.is_some(), *want == Unknown);
        }
        // a blocked user stays blocked, whatever registration
        let mut r = row("a@x", Some("True"), "", None);
        r.fields[Role::Registered.index()] = Some("No data");
        assert_eq!(
            classify(&r, Polarity::TrueIsBlocked).unwrap().bucket,
            Blocked
        );
        // a boolean in the methods column is refused
        let err = classify(
            &row("a@x", Some("False"), "False", None),
            Polarity::TrueIsBlocked,
        );
        assert_eq!(err.unwrap_err().kind, Lost::Boolean);
        // a status that is not per-user state is written as Unknown
        let v = classify(
            &row("a@x", Some("False"), "", Some("Strong")),
            Polarity::TrueIsBlocked,
        );
        assert_eq!(v.unwrap().status.as_str(), "Unknown");
    }
}
