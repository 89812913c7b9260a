//! The sign-in error codes that say a sign-in ended at its MFA step, and how.
//!
//! A sign-in that was prompted for MFA (or for MFA registration) and never got past the
//! prompt is neither satisfied nor denied: nobody declined anything, the user closed the
//! window, the client retried, or registration was demanded. Counting those as satisfied
//! (their password step succeeded) or as denied (their status is a failure) is what made the
//! sign-in answers wrong, so they are an outcome of their own. One code is a denial: 500121,
//! authentication failed during the strong-authentication request.
//!
//! Codes and names from Microsoft's "Microsoft Entra authentication and authorization error
//! codes" list; the meanings are ours. The `AADSTS` prefix is optional.

use serde::Serialize;

/// How a sign-in error code ends the MFA step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stop {
    /// Prompted for MFA (or registration) and not completed.
    Interrupted,
    /// The MFA step failed.
    Denied,
}

/// One sign-in error code that concerns the MFA step.
#[derive(Debug)]
pub struct MfaError {
    pub code: &'static str,
    pub name: &'static str,
    pub stop: Stop,
    /// What it means for an admin.
    pub meaning: &'static str,
}

pub const MFA_ERRORS: &[MfaError] = &[
    MfaError {
        code: "50072",
        name: "UserStrongAuthEnrollmentRequiredInterrupt",
        stop: Stop::Interrupted,
        meaning: "the user was sent to register for MFA and the sign-in stopped there",
    },
    MfaError {
        code: "50074",
        name: "UserStrongAuthClientAuthNRequiredInterrupt",
        stop: Stop::Interrupted,
        meaning: "MFA was required and the sign-in stopped at the prompt without completing it",
    },
    MfaError {
        code: "50076",
        name: "UserStrongAuthClientAuthNRequired",
        stop: Stop::Interrupted,
        meaning: "MFA was required (policy, location or per-user state) and the client had to \
                  come back with it; this attempt did not",
    },
    MfaError {
        code: "50079",
        name: "UserStrongAuthEnrollmentRequired",
        stop: Stop::Interrupted,
        meaning: "MFA registration was required before the sign-in could go on",
    },
    MfaError {
        code: "50158",
        name: "ExternalSecurityChallenge",
        stop: Stop::Interrupted,
        meaning: "an external challenge (a federated or external MFA provider) was not \
                  satisfied",
    },
    MfaError {
        code: "53004",
        name: "ProofUpBlockedDueToRisk",
        stop: Stop::Interrupted,
        meaning: "MFA registration was required but blocked because the sign-in was risky",
    },
    MfaError {
        code: "500121",
        name: "AuthenticationFailedDuringStrongAuthRequest",
        stop: Stop::Denied,
        meaning: "the MFA step itself failed (declined, timed out, wrong code)",
    },
];

/// The MFA error a "Sign-in error code" cell names ("50074", "AADSTS50074"), if any.
pub fn mfa_error(code: &str) -> Option<&'static MfaError> {
    let c = code.trim();
    let c = c
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("aadsts"))
        .map_or(c, |_| &c[6..]);
    MFA_ERRORS.iter().find(|e| e.code == c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_and_without_prefix() {
        for (cell, want) in [
            ("50074", Some(Stop::Interrupted)),
            ("AADSTS50076", Some(Stop::Interrupted)),
            ("aadsts50079", Some(Stop::Interrupted)),
            (" 50158 ", Some(Stop::Interrupted)),
            ("500121", Some(Stop::Denied)),
            ("AADSTS500121", Some(Stop::Denied)),
            // A wrong password and a success are not MFA outcomes.
            ("50126", None),
            ("0", None),
            ("", None),
            ("5007", None),
        ] {
            assert_eq!(mfa_error(cell).map(|e| e.stop), want, "{cell}");
        }
    }
}
