//! The files popular community MFA scripts write, recognised by their header sets, and what
//! each of their columns means.
//!
//! Admins keep the CSV of a LazyAdmin, AdminDroid, Office365itpros or CIPP script and hand it
//! to an auditor. Read by header names alone, those files lie: LazyAdmin's `MFA Enabled` is a
//! registration flag, AdminDroid's `MFA Status` is `Strong`/`Weak`/`Disabled` (a verdict on
//! the methods, not per-user MFA), Office365itpros' `MFAStatus` is `Good`/`Check!`, and the
//! method columns of several scripts are one column per method holding `True` or `-`. A shape
//! is recognised when every header of its fingerprint is present (names compared as
//! [`crate::read::schema::normalize`] does); it then declares the role of each column it knows,
//! and which status columns are *not* per-user state. Roles it leaves open are filled by the
//! ordinary aliases, and `--column` still wins over both. A file that matches no fingerprint is
//! read exactly as before. The meaning of every column comes from the scripts' own source
//! (docs/input-formats.md, "Files written by community scripts").

use std::fmt;

use serde::{Serialize, Serializer};

use crate::read::role::Role;

/// A community script's output layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// LazyAdmin `Office365/MFAStatus.ps1` (MSOnline), any of its four layouts.
    LazyAdminMsol,
    /// LazyAdmin `MsGraph/Get-MgMFAStatus.ps1`, default layout.
    LazyAdminGraph,
    /// LazyAdmin `MsGraph/Get-MgMFAStatus.ps1 -withOutMFAOnly`.
    LazyAdminGraphWithoutMfa,
    /// LazyAdmin `MsGraph/Get-MgEntraMFAStatus.ps1` (registration details report).
    LazyAdminEntra,
    /// AdminDroid `GetMFAStatus.ps1` (MSOnline), the MFA-enabled users report.
    AdminDroidMsolEnabled,
    /// AdminDroid `GetMFAStatus.ps1 -DisabledOnly`, the MFA-disabled users report.
    AdminDroidMsolDisabled,
    /// AdminDroid `GetMFAStatusReport.ps1` (Graph; Strong/Weak/Disabled).
    AdminDroidGraph,
    /// AdminDroid `CheckMFAStatus.ps1` (per-user MFA through Graph).
    AdminDroidPerUser,
    /// AdminDroid `GetUsersRegisteredAuthenticationMethodsDetail.ps1`.
    AdminDroidRegisteredMethods,
    /// AdminDroid `IdentifyMFADeploymentSourcesReport.ps1`.
    AdminDroidDeploymentSources,
    /// Office365itpros `ReportMFAStatusUsers.PS1`.
    Office365itprosUsers,
    /// Office365itpros `ReportMFAStatusAdmins.PS1` (a workbook): display names, no UPN.
    Office365itprosAdmins,
    /// CIPP's MFA Report, exported as CSV from the web page.
    Cipp,
}

/// What a recognised shape says one of its columns means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// The column plays this role.
    Role(Role),
    /// A status column that is not per-user MFA state, and what it is instead: never read as
    /// MFA Status.
    NotState(&'static str),
}

use Meaning::{NotState, Role as R};

/// One shape: its fingerprint and its columns (normalised header names).
struct Def {
    shape: Shape,
    name: &'static str,
    /// Every one of these headers is present in the script's file.
    fingerprint: &'static [&'static str],
    columns: &'static [(&'static str, Meaning)],
    /// What the file cannot tell, said once when it is read.
    caveat: Option<&'static str>,
}

/// Most specific fingerprints first: the first match wins.
const DEFS: &[Def] = &[
    Def {
        shape: Shape::Cipp,
        name: "CIPP MFA report",
        fingerprint: &["upn", "accountenabled", "peruser", "mfaregistration"],
        columns: &[
            ("peruser", R(Role::State)),
            ("mfaregistration", R(Role::Registered)),
            ("mfamethods", R(Role::Methods)),
            ("accountenabled", R(Role::Blocked)),
            ("mfacapable", R(Role::Capable)),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::LazyAdminGraph,
        name: "LazyAdmin Get-MgMFAStatus.ps1",
        fingerprint: &[
            "name",
            "emailaddress",
            "userprincipalname",
            "isadmin",
            "mfastatus",
            "mfapreferredmethod",
        ],
        columns: &[
            // enabled when the user has any method the script looks at, email included; and
            // disabled when the user has no preferred method, whatever is registered.
            ("mfastatus", R(Role::AnyMethod)),
            ("mfapreferredmethod", R(Role::DefaultMethod)),
            ("phoneauthentication", R(Role::MethodPhone)),
            ("authenticatorapp", R(Role::MethodAuthenticator)),
            ("passwordless", R(Role::MethodPasswordless)),
            ("helloforbusiness", R(Role::MethodHello)),
            ("fido2securitykey", R(Role::MethodFido2)),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::LazyAdminGraphWithoutMfa,
        name: "LazyAdmin Get-MgMFAStatus.ps1 -withOutMFAOnly",
        fingerprint: &[
            "name",
            "emailaddress",
            "userprincipalname",
            "isadmin",
            "mfaenabled",
            "emailforsspr",
        ],
        columns: &[("mfaenabled", R(Role::AnyMethod))],
        caveat: Some(
            "this LazyAdmin layout lists only users the script calls MFA disabled, which \
             includes users who registered methods but chose no preferred method; the file \
             cannot tell them apart: audit the script's default layout for the full answer",
        ),
    },
    Def {
        shape: Shape::LazyAdminEntra,
        name: "LazyAdmin Get-MgEntraMFAStatus.ps1",
        fingerprint: &[
            "name",
            "emailaddress",
            "userprincipalname",
            "usertype",
            "isadmin",
            "mfacapable",
        ],
        columns: &[
            ("mfamethodsregistered", R(Role::Methods)),
            ("mfapreferredmethod", R(Role::DefaultMethod)),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::LazyAdminMsol,
        name: "LazyAdmin MFAStatus.ps1 (MSOnline)",
        fingerprint: &[
            "displayname",
            "userprincipalname",
            "isadmin",
            "mfaenabled",
            "mfaenforced",
        ],
        columns: &[
            // True exactly when StrongAuthenticationMethods is not empty.
            ("mfaenabled", R(Role::Registered)),
            ("mfatype", R(Role::DefaultMethod)),
            ("mfadefaulttype", R(Role::DefaultMethod)),
            ("smstoken", R(Role::MethodSms)),
            ("phonecallverification", R(Role::MethodPhone)),
            ("hardwaretokenorauthenticatorapp", R(Role::MethodOtp)),
            ("authenticatorapp", R(Role::MethodAuthenticator)),
            (
                "mfaenforced",
                NotState(
                    "LazyAdmin's True/- for per-user MFA Enabled or Enforced, which does not \
                     say which of the two",
                ),
            ),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::AdminDroidMsolEnabled,
        name: "AdminDroid GetMFAStatus.ps1 (MFA-enabled users report)",
        fingerprint: &[
            "displayname",
            "userprincipalname",
            "mfastatus",
            "activationstatus",
            "allmfamethods",
        ],
        columns: &[
            ("mfastatus", R(Role::State)),
            ("activationstatus", R(Role::Registered)),
            ("allmfamethods", R(Role::Methods)),
            ("defaultmfamethod", R(Role::DefaultMethod)),
            ("signinstatus", R(Role::Blocked)),
        ],
        caveat: Some(
            "this AdminDroid report lists only users with per-user MFA Enabled or Enforced \
             (before May 2024 also \"Enabled via Conditional Access\", meaning methods without \
             per-user MFA); users with per-user MFA disabled are in no file the script writes, \
             so the counts cover part of the tenant",
        ),
    },
    Def {
        shape: Shape::AdminDroidMsolDisabled,
        name: "AdminDroid GetMFAStatus.ps1 (MFA-disabled users report)",
        fingerprint: &[
            "displayname",
            "userprincipalname",
            "department",
            "mfastatus",
            "licensestatus",
            "signinstatus",
        ],
        columns: &[
            ("mfastatus", R(Role::State)),
            // The script writes a user here only when it has no method and no per-user MFA:
            // its Disabled says both.
            ("mfastatus", R(Role::Registered)),
            ("signinstatus", R(Role::Blocked)),
        ],
        caveat: Some(
            "this AdminDroid report lists only users with neither a registered method nor \
             per-user MFA; users with methods are in the MFA-enabled report or in no file, so \
             the counts cover part of the tenant",
        ),
    },
    Def {
        shape: Shape::AdminDroidGraph,
        name: "AdminDroid GetMFAStatusReport.ps1",
        fingerprint: &[
            "name",
            "upn",
            "signinstatus",
            "authenticationmethods",
            "mfastatus",
        ],
        columns: &[
            ("authenticationmethods", R(Role::Methods)),
            ("signinstatus", R(Role::Blocked)),
            (
                "mfastatus",
                NotState("AdminDroid's Strong/Weak/Disabled verdict on the registered methods"),
            ),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::AdminDroidPerUser,
        name: "AdminDroid CheckMFAStatus.ps1",
        fingerprint: &[
            "name",
            "upn",
            "perusermfastatus",
            "signinstatus",
            "registeredauthenticationmethods",
        ],
        columns: &[
            ("perusermfastatus", R(Role::State)),
            ("registeredauthenticationmethods", R(Role::Methods)),
            ("signinstatus", R(Role::Blocked)),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::AdminDroidRegisteredMethods,
        name: "AdminDroid registered authentication methods report",
        fingerprint: &[
            "username",
            "upn",
            "registeredauthmethods",
            "systempreferredmfastatus",
        ],
        columns: &[
            ("username", R(Role::DisplayName)),
            ("registeredauthmethods", R(Role::Methods)),
            ("defaultauthmethod", R(Role::DefaultMethod)),
            ("signinenabled", R(Role::Blocked)),
            (
                "systempreferredmfastatus",
                NotState("AdminDroid's Enabled/Disabled for system-preferred MFA"),
            ),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::AdminDroidDeploymentSources,
        name: "AdminDroid MFA deployment sources report",
        fingerprint: &[
            "userdisplayname",
            "userprincipalname",
            "mfaregistered",
            "methodsregistered",
            "mfaenforcedvia",
        ],
        columns: &[
            ("mfaregistered", R(Role::Registered)),
            ("methodsregistered", R(Role::Methods)),
            ("perusermfastatus", R(Role::State)),
        ],
        caveat: None,
    },
    Def {
        shape: Shape::Office365itprosUsers,
        name: "Office365itpros ReportMFAStatusUsers.PS1",
        fingerprint: &["user", "upn", "methods", "mfastatus", "lastsignin"],
        columns: &[
            ("user", R(Role::DisplayName)),
            ("methods", R(Role::Methods)),
            (
                "mfastatus",
                NotState("Office365itpros' Good/Check! verdict on the alphabetically last method"),
            ),
        ],
        caveat: Some(
            "this Office365itpros report lists only users who signed in during the last 30 \
             days or so; users who did not are in no row",
        ),
    },
    Def {
        shape: Shape::Office365itprosAdmins,
        name: "Office365itpros ReportMFAStatusAdmins.PS1",
        // The script's Export-Excel of `User = $User.Displayname`, `Id = $User.Id`, the beta
        // userRegistrationDetails' isMfaRegistered, defaultMfaMethod, isMfaCapable and
        // methodsRegistered joined with ", " (ReportMFAStatusAdmins.PS1, 2023-03-08).
        fingerprint: &[
            "user",
            "id",
            "adminaccount",
            "adminroles",
            "mfaregistered",
            "ismfacapable",
            "methods",
        ],
        columns: &[
            // Display names: never a UPN, whatever the header says.
            ("user", R(Role::DisplayName)),
            ("adminaccount", R(Role::Admin)),
            ("mfaregistered", R(Role::Registered)),
            ("defaultmfamethod", R(Role::DefaultMethod)),
            ("ismfacapable", R(Role::Capable)),
            ("methods", R(Role::Methods)),
        ],
        caveat: Some(
            "this Office365itpros report lists only licensed members; unlicensed accounts and \
             guests are in no row",
        ),
    },
];

impl Shape {
    fn def(self) -> &'static Def {
        DEFS.iter()
            .find(|d| d.shape == self)
            .expect("every shape has a definition")
    }

    /// The shape whose fingerprint the (normalised) headers hold, if any.
    pub fn recognise(normalized: &[String]) -> Option<Shape> {
        DEFS.iter()
            .find(|d| {
                d.fingerprint
                    .iter()
                    .all(|h| normalized.iter().any(|n| n == h))
            })
            .map(|d| d.shape)
    }

    /// The name in the summaries: the script (or report) that writes this layout.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The columns this shape gives a meaning, by normalised header.
    pub fn columns(self) -> &'static [(&'static str, Meaning)] {
        self.def().columns
    }

    /// Why a file of this shape cannot be audited when the user principal name is in column
    /// `upn` and display names in `display_name` (as resolved): a shape whose only name column
    /// holds display names names no account, and a display name taken for a UPN would put
    /// made-up accounts in the lists. `None` when the file can be audited.
    pub fn refusal(self, upn: Option<usize>, display_name: Option<usize>) -> Option<&'static str> {
        let names_no_account = upn.is_none() || upn == display_name;
        match self {
            Shape::Office365itprosAdmins if names_no_account => Some(
                "written by Office365itpros ReportMFAStatusAdmins.PS1: its \"User\" column holds \
                 display names, not user principal names, and the file has no sign-in state \
                 (no BlockCredential or AccountEnabled column), so no row names an account and \
                 blocked users cannot be left out. Nothing was written.\n\
                 hint: export the same registration details with the UPN:\n  \
                 Get-MgReportAuthenticationMethodUserRegistrationDetail -All | Select-Object \
                 UserPrincipalName,IsMfaRegistered,IsMfaCapable,IsAdmin,\
                 @{N='MethodsRegistered';E={$_.MethodsRegistered -join ','}} | Export-Csv \
                 -NoTypeInformation -Encoding UTF8 -Path registration.csv\n\
                 and the sign-in state:\n  \
                 Get-MgUser -All -Property Id,UserPrincipalName,AccountEnabled | Select-Object \
                 Id,UserPrincipalName,AccountEnabled | Export-Csv -NoTypeInformation accounts.csv\n\
                 then run: mfa-audit audit registration.csv --accounts accounts.csv",
            ),
            _ => None,
        }
    }

    /// What a file of this shape cannot tell, for one warning.
    pub fn caveat(self) -> Option<&'static str> {
        self.def().caveat
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Shape {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Headers normalised as the schema does (lower case, no spaces, `-` or `_`).
    fn shape_of(line: &str) -> Option<Shape> {
        let n: Vec<String> = line
            .split(',')
            .map(|h| {
                h.chars()
                    .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
                    .flat_map(char::to_lowercase)
                    .collect()
            })
            .collect();
        Shape::recognise(&n)
    }

    /// Every layout's header row, as the scripts' source writes it.
    #[test]
    fn every_layout_is_recognised() {
        use Shape::*;
        let cases: &[(&str, Option<Shape>)] = &[
            ("DisplayName,UserPrincipalName,isAdmin,MFA Enabled,MFA Type,SMS token,Phone call verification,Hardware token or authenticator app,Authenticator app,Email Verification,Registered phone,Alternative phone,MFAEnforced", Some(LazyAdminMsol)),
            ("DisplayName,UserPrincipalName,isAdmin,MFA Enabled,MFA Type,MFAEnforced,Email Verification,Registered phone,Alternative phone", Some(LazyAdminMsol)),
            ("DisplayName,UserPrincipalName,isAdmin,MFA Enabled,MFA Default Type,SMS token,Phone call verification,Hardware token or authenticator app,Authenticator app,Email Verification,Registered phone,Alternative phone,MFAEnforced", Some(LazyAdminMsol)),
            ("DisplayName,UserPrincipalName,isAdmin,MFAEnabled,MFAType,MFAEnforced,Email Verification,Registered phone", Some(LazyAdminMsol)),
            ("Name,Emailaddress,UserPrincipalName,isAdmin,MFA Status,MFA Preferred method,Phone Authentication,Authenticator App,Passwordless,Hello for Business,FIDO2 Security Key,Temporary Access Pass,Authenticator device,Phone number,Email for SSPR,Manager", Some(LazyAdminGraph)),
            ("Name,Emailaddress,UserPrincipalName,isAdmin,MFAEnabled,Phone number,Email for SSPR", Some(LazyAdminGraphWithoutMfa)),
            ("Name,Emailaddress,UserPrincipalName,User Type,isAdmin,MFA Capable,MFA Default method,MFA Preferred method,MFA Methods Registered,System Preferred method,Passwordless Capable,SSPR Registered,SSPR Capable,Manager", Some(LazyAdminEntra)),
            ("DisplayName,UserPrincipalName,MFAStatus,ActivationStatus,DefaultMFAMethod,AllMFAMethods,MFAPhone,MFAEmail,LicenseStatus,IsAdmin,AdminRoles,SignInStatus", Some(AdminDroidMsolEnabled)),
            ("DisplayName,UserPrincipalName,Department,MFAStatus,LicenseStatus,IsAdmin,AdminRoles,SignInStatus", Some(AdminDroidMsolDisabled)),
            ("Name,UPN,Department,License Status,SignIn Status,Authentication Methods,MFA Status,MFA Phone,Microsoft Authenticator Configured Device,Is 3rd-Party Authenticator Used,Additional Details", Some(AdminDroidGraph)),
            ("Name,UPN,Per-user MFA Status,Department,License Status,SignIn Status,Registered Authentication Methods,MFA Phone,Microsoft Authenticator Configured Device,Is 3rd-Party Authenticator Used,Additional Details", Some(AdminDroidPerUser)),
            ("User Name,UPN,Registered Auth Methods,Default Auth Method,System Preferred MFA Status,System Preferred MFA Method,Department,Job Title,License Status,Signin Enabled,Is Admin", Some(AdminDroidRegisteredMethods)),
            ("User Display Name,User Principal Name,MFA Registered,Methods Registered,MFA Enforced Via,Per User MFA Status,Security Default Status,CA MFA Status,Assigned CA Policy,Is Registered MFA Supported in CA", Some(AdminDroidDeploymentSources)),
            ("User,UPN,Methods,MFAStatus,LastSignIn,LastSignInApp", Some(Office365itprosUsers)),
            ("User,Id,AdminAccount,AdminRoles,MfaRegistered,defaultMfaMethod,isMfaCapable,Methods", Some(Office365itprosAdmins)),
            ("UPN,AccountEnabled,PerUser,isLicensed,MFARegistration,MFAMethods,CoveredByCA,CAPolicies,CoveredBySD,IsAdmin,UserType,CacheTimestamp", Some(Cipp)),
            ("Tenant,UPN,AccountEnabled,PerUser,isLicensed,MFARegistration,MFAMethods,CoveredByCA,CAPolicies,CoveredBySD,IsAdmin,UserType,CacheTimestamp", Some(Cipp)),
            // Microsoft's own exports are no script's shape: read as before.
            ("UserPrincipalName,DisplayName,BlockCredential,StrongAuthenticationMethods", None),
            ("Id,UserPrincipalName,IsMfaRegistered,MethodsRegistered,IsAdmin,UserType", None),
            ("UPN,Methods,MFA Status", None),
        ];
        for (line, want) in cases {
            assert_eq!(shape_of(line), *want, "{line}");
        }
    }

    /// Display names are never a UPN: refused without a UPN column, and when --column makes
    /// the display-name column the UPN; a UPN column added by hand is audited.
    #[test]
    fn refusal_only_without_an_account_name() {
        use Shape::*;
        // (shape, UPN column, display-name column, refused)
        let cases = [
            (Office365itprosAdmins, None, Some(0), true),
            (Office365itprosAdmins, Some(0), Some(0), true),
            (Office365itprosAdmins, Some(8), Some(0), false),
            (Office365itprosUsers, None, Some(0), false),
            (Cipp, Some(0), None, false),
        ];
        for (shape, upn, display, refused) in cases {
            assert_eq!(
                shape.refusal(upn, display).is_some(),
                refused,
                "{shape:?} {upn:?} {display:?}"
            );
        }
    }
}
