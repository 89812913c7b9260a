//! Which authentication step of a sign-in is its MFA step.
//!
//! A sign-in lists its steps (Graph `authenticationDetails`, or the rows of an AuthDetails
//! download), each with its own requirement: the password, a first-factor claim ("Previously
//! satisfied / First factor requirement satisfied by claim in the token"), federation and
//! passwordless primary steps are *primary authentication* and say nothing about MFA. Only a
//! step whose requirement is MFA carries an MFA result. Taking any step with result text for
//! the MFA step counts password-only sign-ins as MFA satisfied and wrong passwords as MFA
//! denied, so the choice is made here, once, for JSON and for AuthDetails alike.

/// One authentication step of a sign-in: a row of an AuthDetails file (joined to its sign-in
/// by Request ID) or a Graph `authenticationDetail`. Defined here, beside the choice that
/// reads it; `read::signins` re-exports it.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub method: String,
    pub detail: String,
    pub succeeded: Option<bool>,
    pub result: String,
    /// The step's own requirement as written ("Primary authentication", "MFA").
    pub requirement: String,
}

/// What a step's requirement says it was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepRole {
    /// Primary authentication: never an MFA outcome.
    Primary,
    /// The MFA requirement.
    Mfa,
    /// The file does not say (older downloads, Graph objects without the field).
    NotSaid,
}

/// What a sign-in's steps say about MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StepEvidence {
    /// The file lists no steps (a CSV without its AuthDetails): the sign-in's own MFA result
    /// columns are all there is.
    #[default]
    NotListed,
    /// Steps are listed and none is an MFA step: the sign-in has no MFA result.
    NoMfaStep,
    /// One step is the MFA step; its method, detail, result and success flag are the event's.
    MfaStep,
    /// A multifactor sign-in completed by one passwordless, phishing-resistant primary step
    /// (FIDO2, passkey, Windows Hello for Business, Authenticator passwordless): MFA is
    /// satisfied by that method.
    Passwordless,
}

/// A requirement text reduced for matching: lower case, no spaces or hyphens.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The role a step's requirement text names. Spellings: "Primary authentication" and "MFA"
/// (Graph signIn docs' JSON samples), "Multifactor authentication" (the portal's
/// Authentication Details tab); camel case and hyphens are tolerated.
pub fn step_role(requirement: &str) -> StepRole {
    match squash(requirement).as_str() {
        "primaryauthentication" => StepRole::Primary,
        "mfa" | "multifactorauthentication" => StepRole::Mfa,
        _ => StepRole::NotSaid,
    }
}

/// A result text that reports the first factor, not MFA: "First factor requirement
/// satisfied by claim in the token" (Previously satisfied single sign-on). The reference's
/// "satisfied by claim in the token" is contained in it, so it must be told apart first.
pub fn is_first_factor_text(text: &str) -> bool {
    squash(text).contains("firstfactorrequirement")
}

/// Methods that sign in without a password and satisfy a multifactor requirement on their
/// own, as the sign-in log names them ("FIDO2 security key", "Passkey (device-bound)",
/// "Passkey (Microsoft Authenticator)", "Windows Hello for Business", "Passwordless phone
/// sign-in").
fn is_passwordless(method: &str) -> bool {
    let m = squash(method);
    [
        "fido2",
        "passkey",
        "windowshelloforbusiness",
        "passwordless",
    ]
    .iter()
    .any(|w| m.contains(w))
}

/// The role of a step: its requirement when the file gives one, otherwise what its method
/// and result text show. A step without a requirement whose method is a second factor
/// (a notification, a code, a call) is the MFA step: nothing else uses those methods.
fn role_of(step: &Step) -> StepRole {
    match step_role(&step.requirement) {
        StepRole::NotSaid => {}
        role => return role,
    }
    let method = squash(&step.method);
    if is_first_factor_text(&step.result)
        || method.is_empty()
        || method == "password"
        || is_passwordless(&step.method)
    {
        return StepRole::Primary;
    }
    if method.starts_with("previouslysatisfied") {
        // A claim step without a requirement: its result text says which factor it was.
        return if squash(&step.result).contains("mfarequirement") {
            StepRole::Mfa
        } else {
            StepRole::Primary
        };
    }
    StepRole::Mfa
}

/// Chooses the MFA step of a sign-in's steps (in the order the file lists them): the last
/// step whose role is MFA, as the last attempt holds the outcome (a timed-out notification
/// followed by a text message that succeeded is satisfied). Without one, a multifactor
/// sign-in completed by a passwordless primary step is satisfied by it; anything else has no
/// MFA result.
pub fn choose(steps: &[Step], mfa_required: Option<bool>) -> (StepEvidence, Option<usize>) {
    if steps.is_empty() {
        return (StepEvidence::NotListed, None);
    }
    if let Some(i) = steps.iter().rposition(|s| role_of(s) == StepRole::Mfa) {
        return (StepEvidence::MfaStep, Some(i));
    }
    if mfa_required == Some(true) {
        if let Some(i) = steps
            .iter()
            .rposition(|s| is_passwordless(&s.method) && s.succeeded == Some(true))
        {
            return (StepEvidence::Passwordless, Some(i));
        }
    }
    (StepEvidence::NoMfaStep, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `choose` answers.
    type Choice = (StepEvidence, Option<usize>);

    fn step(method: &str, requirement: &str, ok: Option<bool>, result: &str) -> Step {
        Step {
            method: method.into(),
            detail: String::new(),
            succeeded: ok,
            result: result.into(),
            requirement: requirement.into(),
        }
    }

    #[test]
    fn requirement_spellings() {
        for (text, want) in [
            ("Primary authentication", StepRole::Primary),
            ("primaryAuthentication", StepRole::Primary),
            ("MFA", StepRole::Mfa),
            ("Multifactor authentication", StepRole::Mfa),
            ("multiFactorAuthentication", StepRole::Mfa),
            ("Multi-factor authentication", StepRole::Mfa),
            ("", StepRole::NotSaid),
            ("Authentification principale", StepRole::NotSaid),
        ] {
            assert_eq!(step_role(text), want, "{text}");
        }
    }

    #[test]
    fn which_step_is_the_mfa_step() {
        let pw = step(
            "Password",
            "Primary authentication",
            Some(true),
            "Correct password",
        );
        let bad_pw = step(
            "Password",
            "Primary authentication",
            Some(false),
            "Invalid username or password or Invalid on-premise username or password.",
        );
        let first = step(
            "Previously satisfied",
            "Primary authentication",
            Some(true),
            "First factor requirement satisfied by claim in the token",
        );
        let claim = step(
            "Previously satisfied",
            "MFA",
            Some(true),
            "MFA requirement satisfied by claim in the token",
        );
        let app = step(
            "Mobile app notification",
            "MFA",
            Some(false),
            "MFA denied; user declined the authentication",
        );
        let fido = step(
            "FIDO2 security key",
            "Primary authentication",
            Some(true),
            "",
        );
        let bare_app = step(
            "Mobile app notification",
            "",
            Some(true),
            "MFA successfully completed",
        );
        let bare_first = step(
            "Previously satisfied",
            "",
            Some(true),
            "First factor requirement satisfied by claim in the token",
        );
        let bare_claim = step(
            "Previously satisfied",
            "",
            Some(true),
            "MFA requirement satisfied by claim in the token",
        );
        let cases: Vec<(&str, Vec<Step>, Option<bool>, Choice)> = vec![
            (
                "none listed",
                vec![],
                Some(true),
                (StepEvidence::NotListed, None),
            ),
            (
                "password only",
                vec![pw.clone()],
                Some(false),
                (StepEvidence::NoMfaStep, None),
            ),
            (
                "wrong password",
                vec![bad_pw],
                Some(true),
                (StepEvidence::NoMfaStep, None),
            ),
            (
                "first-factor claim",
                vec![first.clone()],
                Some(false),
                (StepEvidence::NoMfaStep, None),
            ),
            (
                "password + MFA claim",
                vec![pw.clone(), claim],
                Some(true),
                (StepEvidence::MfaStep, Some(1)),
            ),
            (
                "password + app",
                vec![pw.clone(), app.clone()],
                Some(true),
                (StepEvidence::MfaStep, Some(1)),
            ),
            // The MFA step need not be last in the list.
            (
                "app then first factor",
                vec![app, first],
                Some(true),
                (StepEvidence::MfaStep, Some(0)),
            ),
            (
                "FIDO2 alone",
                vec![fido.clone()],
                Some(true),
                (StepEvidence::Passwordless, Some(0)),
            ),
            // A single-factor FIDO2 sign-in says nothing about MFA.
            (
                "FIDO2 single-factor",
                vec![fido],
                Some(false),
                (StepEvidence::NoMfaStep, None),
            ),
            // Steps without requirements (older files): the method and text decide.
            (
                "bare password + app",
                vec![pw.clone(), bare_app],
                Some(true),
                (StepEvidence::MfaStep, Some(1)),
            ),
            (
                "bare first factor",
                vec![pw.clone(), bare_first],
                Some(false),
                (StepEvidence::NoMfaStep, None),
            ),
            (
                "bare MFA claim",
                vec![pw, bare_claim],
                Some(true),
                (StepEvidence::MfaStep, Some(1)),
            ),
        ];
        for (name, steps, req, want) in cases {
            assert_eq!(choose(&steps, req), want, "{name}");
        }
        assert!(is_first_factor_text(
            "First factor requirement satisfied by claim in the token"
        ));
        assert!(!is_first_factor_text(
            "MFA requirement satisfied by claim in the token"
        ));
    }
}
