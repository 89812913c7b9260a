//! The columns of a sign-in download, in every portal language we have a source for, and the
//! roles `signins --column ROLE=HEADER` gives them.
//!
//! The Entra admin center writes its CSV downloads in the portal's display language: a French
//! portal writes "Nom d'utilisateur" where an English one writes "Username". The headers are
//! matched by name (letter case, extra spaces and the apostrophe's style ignored), so every
//! generation (54, 55, 57 columns) and every known language reads. Each spelling below says
//! where it comes from; a language whose spellings no public source shows is not guessed at:
//! docs/signins.md lists it, and `--column` maps its headers. A file whose user column cannot
//! be found is refused with the roles that are needed and the headers it has, never read
//! half-way.

use std::fmt;

use anyhow::{bail, Result};

use crate::read::schema::{quoted_list, split_override};

/// What a column of a sign-in download is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigninRole {
    Upn,
    RequestId,
    Date,
    /// The sign-in's "Authentication requirement", or an AuthDetails step's "Requirement".
    Requirement,
    /// The MFA result text (an AuthDetails file: the step's "Result detail").
    Result,
    Status,
    ErrorCode,
    /// The MFA method (an AuthDetails file: the step's "Authentication method").
    Method,
    /// The method detail (an AuthDetails file: "Authentication method detail").
    Detail,
    /// An AuthDetails step's own success flag.
    Succeeded,
    /// The overall "Conditional Access" outcome (Success / Failure / Not Applied).
    ConditionalAccess,
    /// Graph PowerShell's `IsInteractive` column (signIn objects written by Export-Csv).
    Interactive,
    /// Graph beta's `SignInEventTypes` column (interactiveUser, nonInteractiveUser, ...).
    EventTypes,
}

/// Every role, in the order messages list them.
pub const SIGNIN_ROLES: [SigninRole; 13] = [
    SigninRole::Upn,
    SigninRole::RequestId,
    SigninRole::Date,
    SigninRole::Requirement,
    SigninRole::Result,
    SigninRole::Status,
    SigninRole::ErrorCode,
    SigninRole::Method,
    SigninRole::Detail,
    SigninRole::Succeeded,
    SigninRole::ConditionalAccess,
    SigninRole::Interactive,
    SigninRole::EventTypes,
];

impl SigninRole {
    /// The name on the command line; `upn` as in `audit --column`.
    pub fn cli_name(self) -> &'static str {
        match self {
            SigninRole::Upn => "upn",
            SigninRole::RequestId => "request-id",
            SigninRole::Date => "date",
            SigninRole::Requirement => "requirement",
            SigninRole::Result => "result",
            SigninRole::Status => "status",
            SigninRole::ErrorCode => "error-code",
            SigninRole::Method => "method",
            SigninRole::Detail => "detail",
            SigninRole::Succeeded => "succeeded",
            SigninRole::ConditionalAccess => "conditional-access",
            SigninRole::Interactive => "interactive",
            SigninRole::EventTypes => "event-types",
        }
    }

    fn from_cli_name(name: &str) -> Option<SigninRole> {
        SIGNIN_ROLES
            .into_iter()
            .find(|r| r.cli_name().eq_ignore_ascii_case(name.trim()))
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for SigninRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.cli_name())
    }
}

/// `signins --column ROLE=HEADER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigninOverride {
    pub role: SigninRole,
    pub header: String,
}

/// Parses `ROLE=HEADER` for `signins`, with `audit --column`'s syntax and messages.
pub fn parse_signin_override(arg: &str) -> Result<SigninOverride, String> {
    let (name, header) = split_override(arg)?;
    let role = SigninRole::from_cli_name(name).ok_or_else(|| {
        format!(
            "unknown role {name:?}; sign-in roles are {}",
            role_names(&SIGNIN_ROLES)
        )
    })?;
    Ok(SigninOverride {
        role,
        header: header.to_owned(),
    })
}

fn role_names(roles: &[SigninRole]) -> String {
    roles
        .iter()
        .map(|r| r.cli_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A header normalised for matching: lower case, single spaces, trimmed, typographic
/// apostrophes straightened ("Nom d’utilisateur" is "Nom d'utilisateur").
pub fn norm(h: &str) -> String {
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['\u{2019}', '\u{2018}'], "'")
        .to_lowercase()
}

/// Headers of the sign-in files (interactive and non-interactive), normalised, by role, best
/// first. Sources:
/// - English: the 57-column download of 2025-2026 and its 54/55-column elders (our fixtures
///   and /work/shared/FORMATS.md), Graph's property names for hand-made files.
/// - Spanish (es): the full 57-column header of a Spanish portal download as a public C#
///   importer validates it (AccessWatchLite, `CsvImportService.cs`, `KnownHeaders`).
/// - French (fr): the interactive download's columns as a public Python investigation tool
///   maps them (`SIGNIN_FIELD_CANDIDATES`, "export Interactive sign-ins de Microsoft Entra
///   ID"); "exigence d'authentification" is Microsoft's own French for "authentication
///   requirement" (the French usage-insights article's "Connexions par exigence
///   d'authentification"). The French auth-detail column is not known.
/// - German (de): the columns a public browser tool for German Entra admin center downloads
///   reads ("Überwachung & Integrität > Anmeldeprotokolle > Herunterladen > CSV herunterladen";
///   support.sheet, `js/entra.js`, "Field mapping (German column names)"). "Code des
///   Anmeldefehlers" is also the field's name in Microsoft's German sign-in troubleshooting
///   articles. Its Request ID, requirement, method and detail columns are not known: a German
///   download is refused until `--column requirement=HEADER` names the requirement, and the
///   message names the other roles it lacks (Microsoft's German docs are no source for them:
///   they call the error code field both "Code des Anmeldefehlers" and "Anmeldefehlercode").
const SIGNIN_HEADERS: &[(SigninRole, &[&str])] = &[
    (
        SigninRole::RequestId,
        &[
            "request id",
            "requestid",
            "correlation id",
            "id. de solicitud", // es
            "id de requête",    // fr
        ],
    ),
    (
        SigninRole::Date,
        &[
            "date (utc)",  // en, fr
            "datum (utc)", // de
            "date",
            "created date time",
            "createddatetime",
            "fecha (utc)", // es
        ],
    ),
    (
        SigninRole::Upn,
        &[
            "username",
            "user principal name",
            "userprincipalname",
            "user",
            "nombre de usuario", // es
            "nom d'utilisateur", // fr
            "benutzername",      // de (not "Benutzer", the display name)
        ],
    ),
    (
        SigninRole::Requirement,
        &[
            "authentication requirement",
            "authenticationrequirement",
            "requisito de autenticación",  // es
            "exigence d'authentification", // fr
        ],
    ),
    (
        SigninRole::Result,
        &[
            "multifactor authentication result",
            "mfa result",
            "resultado de la autenticación multifactor", // es
            "résultat de l'authentification multifacteur", // fr
            "ergebnis der multi-faktor-authentifizierung", // de
        ],
    ),
    (
        SigninRole::Method,
        &[
            "multifactor authentication auth method",
            "mfa auth method",
            "método de autenticación de la autenticación multifactor", // es
            "méthode d'authentification multifacteur",                 // fr
        ],
    ),
    (
        SigninRole::Detail,
        &[
            "multifactor authentication auth detail",
            "mfa auth detail",
            "detalle de autenticación de la autenticación multifactor", // es
        ],
    ),
    (
        SigninRole::Status,
        &["status", "estado" /* es */, "statut" /* fr */],
    ),
    (
        SigninRole::ErrorCode,
        &[
            "sign-in error code",
            "error code",
            "errorcode",
            "código de error de inicio de sesión", // es
            "code d'erreur de connexion",          // fr
            "code des anmeldefehlers",             // de
        ],
    ),
    (
        SigninRole::ConditionalAccess,
        &[
            "conditional access",
            "conditionalaccessstatus",
            "acceso condicional", // es
            "accès conditionnel", // fr
            "bedingter zugriff",  // de
        ],
    ),
    // Graph PowerShell's signIn objects written by Export-Csv.
    (
        SigninRole::Interactive,
        &["isinteractive", "is interactive"],
    ),
    (
        SigninRole::EventTypes,
        &["signineventtypes", "sign-in event types"],
    ),
];

/// Headers of the AuthDetails companions, normalised, by role. Only the English spellings are
/// known (FORMATS.md and the portal's English download); no public source shows a localized
/// AuthDetails file, so `--column` maps one.
const AUTH_DETAILS_HEADERS: &[(SigninRole, &[&str])] = &[
    (SigninRole::RequestId, &["request id", "requestid"]),
    (SigninRole::Date, &["date (utc)", "date"]),
    (SigninRole::Method, &["authentication method"]),
    (SigninRole::Detail, &["authentication method detail"]),
    (SigninRole::Succeeded, &["succeeded"]),
    (SigninRole::Result, &["result detail"]),
    (SigninRole::Requirement, &["requirement"]),
];

/// What a sign-in CSV is, from its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SignIns,
    /// An AuthDetails companion: authentication steps by Request ID, no user column.
    AuthDetails,
}

/// The resolved columns of one sign-in CSV.
#[derive(Debug, Clone)]
pub struct Columns {
    pub kind: Kind,
    columns: [Option<usize>; SIGNIN_ROLES.len()],
}

impl Columns {
    /// The column of `role`, if the file has one.
    pub fn get(&self, role: SigninRole) -> Option<usize> {
        self.columns[role.index()]
    }

    /// Resolves the roles of the file `path` from its header row (as written). `overrides` are
    /// `--column` mappings; each applies to the files that have its header and wins there, and
    /// `matched[i]` is set when `overrides[i]` did. A sign-in file without a user column is
    /// refused with the roles, the headers and how to map them.
    pub fn resolve(
        path: &str,
        headers: &[String],
        overrides: &[SigninOverride],
        matched: &mut [bool],
    ) -> Result<Columns> {
        let normalized: Vec<String> = headers.iter().map(|h| norm(h)).collect();
        let find = |table: &[(SigninRole, &[&str])], role: SigninRole| {
            table
                .iter()
                .filter(|(r, _)| *r == role)
                .flat_map(|(_, names)| names.iter())
                .find_map(|n| normalized.iter().position(|h| h == n))
        };
        // Overrides first: they may decide the kind (a localized AuthDetails file).
        let mut forced = [None; SIGNIN_ROLES.len()];
        for (i, o) in overrides.iter().enumerate() {
            let wanted = norm(&o.header);
            if let Some(c) = normalized.iter().position(|h| *h == wanted) {
                forced[o.role.index()] = Some(c);
                if let Some(m) = matched.get_mut(i) {
                    *m = true;
                }
            }
        }
        let upn = forced[SigninRole::Upn.index()].or(find(SIGNIN_HEADERS, SigninRole::Upn));
        let succeeded = forced[SigninRole::Succeeded.index()]
            .or(find(AUTH_DETAILS_HEADERS, SigninRole::Succeeded));
        let steps =
            forced[SigninRole::Method.index()].or(find(AUTH_DETAILS_HEADERS, SigninRole::Method));
        let kind = if upn.is_none() && succeeded.is_some() && steps.is_some() {
            Kind::AuthDetails
        } else {
            Kind::SignIns
        };
        let table = match kind {
            Kind::SignIns => SIGNIN_HEADERS,
            Kind::AuthDetails => AUTH_DETAILS_HEADERS,
        };
        let mut columns = [None; SIGNIN_ROLES.len()];
        for role in SIGNIN_ROLES {
            columns[role.index()] = forced[role.index()].or_else(|| find(table, role));
        }
        let c = Columns { kind, columns };
        if kind == Kind::SignIns && c.get(SigninRole::Upn).is_none() {
            bail!(
                "{path}: not a sign-in download: no Username column (role upn) among the \
                 headers: {}\n\
                 hint: a sign-in download needs the roles upn and requirement, and uses \
                 request-id, date, result, method, detail, status and error-code when there; \
                 name the columns of another language or tool with --column ROLE=HEADER, e.g. \
                 --column upn=HEADER --column requirement=HEADER (or download Sign-in logs \
                 from the Entra admin center in English, CSV or JSON)",
                quoted_list(headers),
            );
        }
        if kind == Kind::AuthDetails && c.get(SigninRole::RequestId).is_none() {
            bail!(
                "{path}: an AuthDetails file without a Request ID column cannot be joined; the \
                 headers are: {}\nhint: name it with --column request-id=HEADER",
                quoted_list(headers)
            );
        }
        Ok(c)
    }

    /// The roles a sign-in file needs for its answers that it lacks, for the message given
    /// after its rows were read (a file missing its requirement column would otherwise count
    /// every sign-in as of unknown requirement, quietly).
    pub fn missing_for_answers(&self) -> Vec<SigninRole> {
        match self.kind {
            Kind::SignIns => [SigninRole::Requirement]
                .into_iter()
                .filter(|r| self.get(*r).is_none())
                .collect(),
            Kind::AuthDetails => Vec::new(),
        }
    }
}

/// Roles a sign-in file may lack and still be read, that change its answers when it has them:
/// without a Request ID a sign-in in two overlapping downloads counts twice, without the
/// result, method or detail a completed MFA reads as "no MFA result", without the error code an
/// interrupted sign-in is not told apart.
const ANSWER_ROLES: [SigninRole; 5] = [
    SigninRole::RequestId,
    SigninRole::Result,
    SigninRole::ErrorCode,
    SigninRole::Method,
    SigninRole::Detail,
];

/// The message for a sign-in file read without a column its answers need. It also names the
/// answer roles the file has no column for, so that a download in a language only partly known
/// (German: docs/signins.md) is mapped whole, not just until it stops being refused.
pub fn missing_message(
    path: &str,
    missing: &[SigninRole],
    columns: &Columns,
    headers: &[String],
) -> String {
    let absent: Vec<SigninRole> = ANSWER_ROLES
        .into_iter()
        .filter(|r| columns.get(*r).is_none())
        .collect();
    let also = if absent.is_empty() {
        String::new()
    } else {
        format!(
            "\nnote: no column was found either for {}; map those the file has as well (without \
             request-id a sign-in in overlapping downloads counts twice)",
            role_names(&absent)
        )
    };
    format!(
        "{path}: no column for the role{} {} among the headers: {}\n\
         hint: name it with --column ROLE=HEADER (e.g. --column requirement=HEADER); \
         docs/signins.md lists the languages read without it{also}",
        if missing.len() == 1 { "" } else { "s" },
        role_names(missing),
        quoted_list(headers)
    )
}

/// An "Authentication requirement" value: true for multifactor, false for single-factor,
/// `None` for a word we do not know. Sources: English and Graph (`multiFactorAuthentication`,
/// `singleFactorAuthentication`); Spanish and Dutch write "multifactor" inside their words
/// ("autenticación multifactor", "multi-factor authentication" in the Dutch seed); French
/// "authentification multifacteur" / "authentification à facteur unique" (Microsoft's French
/// usage-insights article); Spanish single-factor "autenticación de un solo factor" (the
/// Spanish usage-insights article); Japanese 多要素認証 (the Japanese seed's word for multi-factor
/// authentication).
pub fn requirement(text: &str) -> Option<bool> {
    let t = norm(text).replace([' ', '-'], "");
    if t.contains("multifactor") || t.contains("multifacteur") || t.contains("多要素") {
        Some(true)
    } else if t.contains("singlefactor")
        || t.contains("facteurunique")
        || t.contains("unsolofactor")
    {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(headers: &[&str], overrides: &[&str]) -> Result<Columns> {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let overrides: Vec<SigninOverride> = overrides
            .iter()
            .map(|o| parse_signin_override(o).unwrap())
            .collect();
        let mut matched = vec![false; overrides.len()];
        Columns::resolve("f.csv", &headers, &overrides, &mut matched)
    }

    #[test]
    fn every_language_finds_its_columns() {
        let cases: &[(&[&str], SigninRole, usize)] = &[
            (&["Request ID", "Username"], SigninRole::Upn, 1),
            (
                &["Id. de solicitud", "Nombre de usuario"],
                SigninRole::Upn,
                1,
            ),
            (
                &["Id. de solicitud", "Nombre de usuario"],
                SigninRole::RequestId,
                0,
            ),
            (&["Nom d’utilisateur", "Statut"], SigninRole::Upn, 0),
            (&["Nom d'utilisateur", "Statut"], SigninRole::Status, 1),
            (
                &["Nom d'utilisateur", "Exigence d'authentification"],
                SigninRole::Requirement,
                1,
            ),
            (
                &["Usuario", "Nombre de usuario", "Requisito de autenticación"],
                SigninRole::Requirement,
                2,
            ),
            (&["  Username ", "Date (UTC)"], SigninRole::Date, 1),
            // German: "Benutzer" is the display name, "Benutzername" the user principal name.
            (&["Benutzer", "Benutzername"], SigninRole::Upn, 1),
            (&["Benutzername", "Datum (UTC)"], SigninRole::Date, 1),
            (&["Benutzername", "Status"], SigninRole::Status, 1),
            (
                &["Benutzername", "Code des Anmeldefehlers"],
                SigninRole::ErrorCode,
                1,
            ),
            (
                &[
                    "Benutzername",
                    "Ergebnis der Multi-Faktor-Authentifizierung",
                ],
                SigninRole::Result,
                1,
            ),
            (
                &["Benutzername", "Bedingter Zugriff"],
                SigninRole::ConditionalAccess,
                1,
            ),
        ];
        for (headers, role, want) in cases {
            let c = resolve(headers, &[]).unwrap();
            assert_eq!(c.kind, Kind::SignIns);
            assert_eq!(c.get(*role), Some(*want), "{headers:?} {role}");
        }
    }

    #[test]
    fn auth_details_files_are_told_apart() {
        let c = resolve(
            &[
                "Request ID",
                "Authentication method",
                "Succeeded",
                "Result detail",
            ],
            &[],
        )
        .unwrap();
        assert_eq!(c.kind, Kind::AuthDetails);
        assert_eq!(c.get(SigninRole::Method), Some(1));
        assert_eq!(c.get(SigninRole::Result), Some(3));
        let forced = resolve(
            &["Anfrage", "Methode", "Erfolgreich"],
            &[
                "request-id=Anfrage",
                "method=Methode",
                "succeeded=Erfolgreich",
            ],
        )
        .unwrap();
        assert_eq!(forced.kind, Kind::AuthDetails);
        let err = resolve(
            &["Methode", "Erfolgreich"],
            &["method=Methode", "succeeded=Erfolgreich"],
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("--column request-id=HEADER"), "{err}");
    }

    #[test]
    fn unknown_headers_are_refused_with_the_roles_and_the_fix() {
        let err = resolve(&["Anmeldename", "Datum"], &[])
            .unwrap_err()
            .to_string();
        for want in [
            "f.csv: not a sign-in download: no Username column (role upn)",
            "\"Anmeldename\", \"Datum\"",
            "--column ROLE=HEADER",
            "--column upn=HEADER",
            "request-id, date, result",
        ] {
            assert!(err.contains(want), "{want} in {err}");
        }
        let c = resolve(
            &["Anmeldename", "Datum"],
            &["upn=anmeldename", "date=Datum"],
        )
        .unwrap();
        assert_eq!(c.get(SigninRole::Upn), Some(0));
        assert_eq!(c.missing_for_answers(), vec![SigninRole::Requirement]);
    }

    #[test]
    fn the_display_name_is_never_the_german_user_column() {
        // "Benutzer" alone is the display name: no user principal name, refused.
        let err = resolve(&["Benutzer", "Status"], &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("no Username column (role upn)"), "{err}");
    }

    #[test]
    fn a_partly_known_language_is_told_what_else_to_map() {
        // The German columns a public source shows: no Request ID, requirement, method or
        // detail among them.
        let headers: Vec<String> = [
            "Datum (UTC)",
            "Benutzername",
            "Status",
            "Code des Anmeldefehlers",
            "Ergebnis der Multi-Faktor-Authentifizierung",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let c = Columns::resolve("de.csv", &headers, &[], &mut []).unwrap();
        let missing = c.missing_for_answers();
        assert_eq!(missing, vec![SigninRole::Requirement]);
        let msg = missing_message("de.csv", &missing, &c, &headers);
        for want in [
            "de.csv: no column for the role requirement among the headers: \"Datum (UTC)\"",
            "--column requirement=HEADER",
            "no column was found either for request-id, method, detail;",
            "counts twice",
        ] {
            assert!(msg.contains(want), "{want} in {msg}");
        }
        // A file with every answer role but the requirement gets no such note.
        let english: Vec<String> = [
            "Request ID",
            "Username",
            "Sign-in error code",
            "Multifactor authentication result",
            "Multifactor authentication auth method",
            "Multifactor authentication auth detail",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let c = Columns::resolve("en.csv", &english, &[], &mut []).unwrap();
        let msg = missing_message("en.csv", &c.missing_for_answers(), &c, &english);
        assert!(!msg.contains("either"), "{msg}");
    }

    #[test]
    fn overrides_win_and_say_when_they_matched() {
        let headers: Vec<String> = ["Username", "Login"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        let overrides = vec![
            parse_signin_override("upn=Login").unwrap(),
            parse_signin_override("status=Nowhere").unwrap(),
        ];
        let mut matched = vec![false; 2];
        let c = Columns::resolve("f.csv", &headers, &overrides, &mut matched).unwrap();
        assert_eq!(c.get(SigninRole::Upn), Some(1));
        assert_eq!(matched, vec![true, false]);
    }

    #[test]
    fn override_syntax() {
        assert_eq!(
            parse_signin_override("error-code=Code").unwrap().role,
            SigninRole::ErrorCode
        );
        let err = parse_signin_override("colour=x").unwrap_err();
        assert!(err.contains("sign-in roles are upn, request-id"), "{err}");
        assert!(parse_signin_override("upn").is_err());
        assert!(parse_signin_override("upn=").is_err());
    }

    #[test]
    fn requirement_words() {
        for (text, want) in [
            ("Multifactor authentication", Some(true)),
            ("multiFactorAuthentication", Some(true)),
            ("Single-factor authentication", Some(false)),
            ("singleFactorAuthentication", Some(false)),
            ("Authentification multifacteur", Some(true)),
            ("Authentification à facteur unique", Some(false)),
            ("Autenticación multifactor", Some(true)),
            ("Autenticación de un solo factor", Some(false)),
            ("多要素認証", Some(true)),
            // No source shows the German portal's requirement words: not guessed.
            ("Multi-Faktor-Authentifizierung", None),
            ("quantum authentication", None),
            ("", None),
        ] {
            assert_eq!(requirement(text), want, "{text}");
        }
        assert_eq!(
            norm("  Autonomous system  number "),
            "autonomous system number"
        );
    }
}
