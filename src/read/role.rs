//! Column roles: what each column of an input is used for, the names `--column` gives them,
//! and the header spellings each is known by.
//!
//! A module of its own so that both the header matching ([`crate::read::schema`]) and the
//! script shapes ([`crate::read::shape`]) can name roles.

use std::fmt;

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
    /// A script's own yes/no for "has some method", which counts methods that are not MFA
    /// (LazyAdmin's Graph `MFA Status`, true for a user with only an email): a hint, never
    /// proof of registration.
    AnyMethod,
    /// One column per method, true when the user has it (LazyAdmin's `SMS token`, ...).
    MethodSms,
    MethodPhone,
    MethodOtp,
    MethodAuthenticator,
    MethodPasswordless,
    MethodHello,
    MethodFido2,
    /// The user's Entra object id (`id` in Graph's registration details, `Id` from Get-MgUser,
    /// `ObjectId` from Get-MsolUser): how `--policies` exports name users.
    ObjectId,
}

/// Number of roles: the size of per-row field arrays.
pub const ROLE_COUNT: usize = 19;

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
    Role::AnyMethod,
    Role::MethodSms,
    Role::MethodPhone,
    Role::MethodOtp,
    Role::MethodAuthenticator,
    Role::MethodPasswordless,
    Role::MethodHello,
    Role::MethodFido2,
    Role::ObjectId,
];

/// The roles that are one column per method, with the method each stands for (a name the
/// vocabulary knows, as Graph writes it).
pub const METHOD_COLUMNS: [(Role, &str); 7] = [
    (Role::MethodSms, "sms"),
    (Role::MethodPhone, "mobilePhone"),
    (Role::MethodOtp, "softwareOneTimePasscode"),
    (Role::MethodAuthenticator, "microsoftAuthenticatorPush"),
    (
        Role::MethodPasswordless,
        "microsoftAuthenticatorPasswordless",
    ),
    (Role::MethodHello, "windowsHelloForBusiness"),
    (Role::MethodFido2, "fido2"),
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
            Role::AnyMethod => "any-method",
            Role::MethodSms => "method-sms",
            Role::MethodPhone => "method-phone",
            Role::MethodOtp => "method-otp",
            Role::MethodAuthenticator => "method-authenticator",
            Role::MethodPasswordless => "method-passwordless",
            Role::MethodHello => "method-hello",
            Role::MethodFido2 => "method-fido2",
            Role::ObjectId => "object-id",
        }
    }

    /// Parses a command-line role name (`registered` is short for `mfa-registered`).
    pub fn from_cli_name(name: &str) -> Option<Role> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("registered") {
            return Some(Role::Registered);
        }
        ROLES
            .into_iter()
            .find(|r| r.cli_name().eq_ignore_ascii_case(name))
    }

    /// True for the one-column-per-method roles.
    pub fn is_method_column(self) -> bool {
        METHOD_COLUMNS.iter().any(|(r, _)| *r == self)
    }

    /// Known header spellings, normalised (see [`normalize`]), best first.
    pub(crate) fn aliases(self) -> &'static [&'static str] {
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
                "signinenabled",
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
            Role::Registered => &["ismfaregistered", "mfaregistered", "mfaregistration"],
            Role::Capable => &["ismfacapable", "mfacapable"],
            Role::Admin => &["isadmin", "admin"],
            Role::UserType => &["usertype"],
            // Graph's userRegistrationDetails `id`, Get-MgUser `Id`, Get-MsolUser `ObjectId`.
            Role::ObjectId => &["objectid", "id"],
            // Only a recognised shape or --column gives these: elsewhere a column named like a
            // method may mean anything.
            Role::AnyMethod
            | Role::MethodSms
            | Role::MethodPhone
            | Role::MethodOtp
            | Role::MethodAuthenticator
            | Role::MethodPasswordless
            | Role::MethodHello
            | Role::MethodFido2 => &[],
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}
