//! The Entra sign-in error codes that MFA outcomes carry in the download's "Sign-in error code"
//! column (Graph `status.errorCode`), explained for an admin in our own words: what the code
//! says about MFA, and what to check. `explain 500121` and `explain AADSTS500121` find them.
//!
//! The codes and their symbolic names are those of Microsoft's "Microsoft Entra authentication
//! and authorization error codes" list (AADSTS codes), except 500121, which that list leaves out
//! and the sign-in logs use for a failed MFA step ("Authentication failed during strong
//! authentication request" in the sign-in error reference and in public Sentinel/Sigma rules).
//! Kept here are the codes that concern MFA, its registration, and the neighbours an audit must
//! not mistake for an MFA outcome (a wrong password, a Conditional Access block, "keep me
//! signed in").

use serde::Serialize;

/// What an error code says about MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// MFA was asked for and the sign-in stopped there: neither satisfied nor denied.
    Interrupted,
    /// The MFA step was attempted and failed.
    MfaFailed,
    /// The user must register methods before MFA can be done.
    Registration,
    /// An external provider or custom control was to do MFA and did not.
    External,
    /// The MFA service could not complete the request.
    Service,
    /// Not an MFA outcome: must not be counted as one.
    NotMfa,
}

impl ErrorKind {
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Interrupted => "MFA interrupted",
            ErrorKind::MfaFailed => "MFA failed",
            ErrorKind::Registration => "MFA registration needed",
            ErrorKind::External => "external MFA not satisfied",
            ErrorKind::Service => "MFA service problem",
            ErrorKind::NotMfa => "not an MFA outcome",
        }
    }
}

/// One sign-in error code.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ErrorCode {
    pub code: u32,
    /// Microsoft's symbolic name for it.
    pub name: &'static str,
    pub kind: ErrorKind,
    pub meaning: &'static str,
    pub check: &'static str,
}

pub const ERROR_CODES: &[ErrorCode] = &[
    ErrorCode {
        code: 500121,
        name: "(strong authentication request failed)",
        kind: ErrorKind::MfaFailed,
        meaning: "The user reached the MFA step and did not pass it: denied, timed out, a wrong code, an unreachable phone.",
        check: "The MFA result column (or the AuthDetails step) gives the reason; `explain` that text.",
    },
    ErrorCode {
        code: 50074,
        name: "UserStrongAuthClientAuthNRequiredInterrupt",
        kind: ErrorKind::Interrupted,
        meaning: "MFA was required and the sign-in stopped at the prompt. Usually the user finishes it in a following sign-in with the same correlation id.",
        check: "Look for a later sign-in of the same user and correlation id that succeeded; a user with only these never completed MFA.",
    },
    ErrorCode {
        code: 50076,
        name: "UserStrongAuthClientAuthNRequired",
        kind: ErrorKind::Interrupted,
        meaning: "A policy (Conditional Access, per-user MFA, a new location) asked for MFA on a request that carried none; the client has to come back interactively.",
        check: "Normal as a first leg; many of them for one client (often non-interactive) mean an app that cannot show the prompt, such as a legacy protocol.",
    },
    ErrorCode {
        code: 50079,
        name: "UserStrongAuthEnrollmentRequired",
        kind: ErrorKind::Registration,
        meaning: "MFA was required but the user has nothing registered (or, when federated, brought no MFA claim): the sign-in stopped to ask for registration.",
        check: "Get the user registered; `mfa-audit audit` lists who is not. For federated users, check the provider sends its MFA claim.",
    },
    ErrorCode {
        code: 50072,
        name: "UserStrongAuthEnrollmentRequiredInterrupt",
        kind: ErrorKind::Registration,
        meaning: "The user was sent to register MFA methods before going on (the interactive registration prompt).",
        check: "Check that the registration was finished; a user who keeps getting this never did.",
    },
    ErrorCode {
        code: 50078,
        name: "UserStrongAuthExpired",
        kind: ErrorKind::Interrupted,
        meaning: "The MFA the session carried was older than a policy allows; the user has to do it again.",
        check: "Expected under a sign-in frequency policy; look for the following sign-in.",
    },
    ErrorCode {
        code: 50158,
        name: "ExternalSecurityChallenge",
        kind: ErrorKind::External,
        meaning: "An outside check (a custom control, an external authentication method, a federated provider) was required and not satisfied.",
        check: "Read that provider's logs; check the user exists there.",
    },
    ErrorCode {
        code: 50161,
        name: "InvalidExternalSecurityChallengeConfiguration",
        kind: ErrorKind::External,
        meaning: "The outside provider's answer lacked the claims Entra ID asked it for.",
        check: "Review the provider's configuration and the claims it returns.",
    },
    ErrorCode {
        code: 50166,
        name: "ExternalClaimsProviderThrottled",
        kind: ErrorKind::External,
        meaning: "The request to the outside claims provider could not be sent: it was throttled.",
        check: "Usually passes; check the provider's capacity if it repeats.",
    },
    ErrorCode {
        code: 50170,
        name: "MissingExternalClaimsProviderMapping",
        kind: ErrorKind::External,
        meaning: "A custom control is required but its mapping is missing, so the outside check cannot run.",
        check: "Review the custom controls used by the Conditional Access policy.",
    },
    ErrorCode {
        code: 50177,
        name: "ExternalChallengeNotSupportedForPassthroughUsers",
        kind: ErrorKind::External,
        meaning: "An outside check was required for a pass-through (guest of another tenant) user, which is not possible.",
        check: "Exclude such users from the policy that asks for the outside check, or give them another control.",
    },
    ErrorCode {
        code: 90072,
        name: "PassThroughUserMfaError",
        kind: ErrorKind::External,
        meaning: "The account signing in does not exist in this tenant, so it could not meet this tenant's MFA requirement.",
        check: "Add the account as a guest, or check the sync anchor (ImmutableID) of a synced user.",
    },
    ErrorCode {
        code: 50087,
        name: "SasRetryableError",
        kind: ErrorKind::Service,
        meaning: "A passing fault in the MFA service during the second step.",
        check: "Usually clears on retry; check service health if it persists.",
    },
    ErrorCode {
        code: 50086,
        name: "SasNonRetryableError",
        kind: ErrorKind::Service,
        meaning: "The MFA service failed during the second step in a way a retry does not fix.",
        check: "Check the user's methods and service health; open a support case if it persists.",
    },
    ErrorCode {
        code: 50088,
        name: "(telecom MFA call limit reached)",
        kind: ErrorKind::Service,
        meaning: "Too many MFA calls or texts were placed for this user in a short time; the service paused them.",
        check: "Many prompts for one user can be an attack; move users from phone to the app.",
    },
    ErrorCode {
        code: 53004,
        name: "ProofUpBlockedDueToRisk",
        kind: ErrorKind::Registration,
        meaning: "The user has to register MFA, but the sign-in was too risky to let them register now.",
        check: "Review the user's risk in Identity Protection; register them from a trusted place or with a Temporary Access Pass.",
    },
    ErrorCode {
        code: 53010,
        name: "ProofUpBlockedDueToSecurityInfoAcr",
        kind: ErrorKind::Registration,
        meaning: "The user could not register methods here: the organisation only allows registration from certain places or devices.",
        check: "Check the Conditional Access policy on registering security information.",
    },
    ErrorCode {
        code: 50126,
        name: "InvalidUserNameOrPassword",
        kind: ErrorKind::NotMfa,
        meaning: "Wrong user name or password: the sign-in failed before any MFA step.",
        check: "Not an MFA denial; many of them for one user can be password spraying.",
    },
    ErrorCode {
        code: 53003,
        name: "BlockedByConditionalAccess",
        kind: ErrorKind::NotMfa,
        meaning: "A Conditional Access policy blocked the sign-in outright; no MFA could have let it through.",
        check: "Not an MFA denial; the Conditional Access column names the policy.",
    },
    ErrorCode {
        code: 50140,
        name: "KmsiInterrupt",
        kind: ErrorKind::NotMfa,
        meaning: "The \"stay signed in?\" question interrupted the sign-in; it often follows a completed MFA.",
        check: "Not an MFA outcome; the next sign-in of the same correlation id carries the result.",
    },
];

/// The error code a query names: `500121`, `AADSTS500121`, `aadsts 50074`, `AADSTS50074:`.
pub fn error_code(query: &str) -> Option<&'static ErrorCode> {
    let q = query.trim();
    let digits = match q.get(..6) {
        Some(p) if p.eq_ignore_ascii_case("aadsts") => &q[6..],
        _ => q,
    };
    let digits = digits.trim().trim_end_matches([':', '.']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    ERROR_CODES.iter().find(|e| e.code == n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_and_without_prefix() {
        for (query, want) in [
            ("500121", Some(500121)),
            ("AADSTS500121", Some(500121)),
            ("aadsts50074", Some(50074)),
            ("AADSTS 50076", Some(50076)),
            ("AADSTS50079:", Some(50079)),
            (" 50126 ", Some(50126)),
            ("53003", Some(53003)),
            ("0", None),
            ("99999", None),
            ("AADSTS", None),
            ("50074x", None),
            ("", None),
        ] {
            assert_eq!(error_code(query).map(|e| e.code), want, "{query}");
        }
    }

    #[test]
    fn every_code_once_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for e in ERROR_CODES {
            assert!(seen.insert(e.code), "{} twice", e.code);
            assert!(!e.meaning.is_empty() && !e.check.is_empty(), "{}", e.code);
        }
        for required in [500121, 50074, 50076, 50079, 50072, 50158, 50126, 53003] {
            assert!(seen.contains(&required), "{required}");
        }
        // A wrong password and a Conditional Access block are never read as MFA outcomes.
        assert_eq!(error_code("50126").unwrap().kind, ErrorKind::NotMfa);
        assert_eq!(error_code("53003").unwrap().kind, ErrorKind::NotMfa);
    }
}
