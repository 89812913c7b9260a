//! The reference: the result codes of downloaded MFA activity reports (45 codes: SUCCESS_*,
//! FAILED_*, CONFIG_ISSUE) and every reason the sign-in report gives for a satisfied or denied
//! MFA requirement, in the five languages of Microsoft's article (English, Swedish, Dutch,
//! French, Japanese), with what each means and what an admin should do, in our own words.
//!
//! Used by `mfa-audit explain`, and by `signins` to decode result columns.

use serde::Serialize;

/// Whether an MFA requirement was met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    Satisfied,
    Denied,
}

/// What kind of problem a denial is, for "what are the common MFA issues?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    UserAction,
    PhoneDelivery,
    Configuration,
    Service,
    SuspectedFraud,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::UserAction,
        Group::PhoneDelivery,
        Group::Configuration,
        Group::Service,
        Group::SuspectedFraud,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Group::UserAction => "user action",
            Group::PhoneDelivery => "phone and delivery",
            Group::Configuration => "configuration",
            Group::Service => "service",
            Group::SuspectedFraud => "suspected fraud",
        }
    }

    /// The one thing an admin should do about this kind of denial.
    pub fn action(self) -> &'static str {
        match self {
            Group::UserAction => {
                "talk to the users concerned: they declined, did not answer or mistyped; check that \
                 they expect the prompts (a run of declines can be MFA fatigue) and know their method"
            }
            Group::PhoneDelivery => {
                "check the users' phone numbers and app registrations, and move them from SMS and \
                 voice to the Authenticator app or a FIDO2 key"
            }
            Group::Configuration => {
                "fix the set-up: register a method for users without one, review blocked users, \
                 and check the MFA configuration (NPS extension, federation)"
            }
            Group::Service => {
                "usually transient or clients retrying; if it persists, check service health and \
                 the clients (RADIUS, NPS) that send duplicate requests"
            }
            Group::SuspectedFraud => {
                "treat it as an attack: contact the user, reset the password, revoke sessions and \
                 review the recent sign-ins"
            }
        }
    }
}

/// A reason in the sign-in report's MFA result.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Reason {
    pub class: Class,
    /// For denials: the kind of problem.
    pub group: Option<Group>,
    pub en: &'static str,
    pub sv: &'static str,
    pub nl: &'static str,
    pub fr: &'static str,
    pub ja: &'static str,
    /// What the reason means, for an admin, in our own words.
    pub meaning: &'static str,
    /// What to look at or do about it.
    pub check: &'static str,
}

impl Reason {
    /// (language, text) of every translation.
    pub fn texts(&self) -> [(&'static str, &'static str); 5] {
        [
            ("en", self.en),
            ("sv", self.sv),
            ("nl", self.nl),
            ("fr", self.fr),
            ("ja", self.ja),
        ]
    }
}

/// Whether a result code means the MFA attempt passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    /// Either way: the code alone does not say (a PIN typed that may be wrong, a PIN change
    /// left unfinished); the authentication result beside it decides.
    Check,
    /// A first half: a code was sent or asked for, and a later result says whether the user
    /// completed it. Never a success by itself.
    Pending,
}

/// A result code of a downloaded activity report (MFA Server and the NPS extension).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ResultCode {
    pub code: &'static str,
    pub outcome: Outcome,
    pub title: &'static str,
    /// What the code means, in our own words (the `SUCCESS_` prefix of some codes describes
    /// the call, not the authentication: the outcome says which).
    pub meaning: &'static str,
    /// What to look at or do about it.
    pub check: &'static str,
}

mod codes;
mod reasons;

pub use codes::RESULT_CODES;
pub use reasons::REASONS;

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of a text, lower case, for comparing phrasing.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase().replace('\u{2019}', "'"))
            .collect()
    }

    /// Every explanation is ours: none shares a run of eight words with Microsoft's English
    /// article (its result-code table and the sign-in report's description).
    #[test]
    fn explanations_are_in_our_own_words() {
        const RUN: usize = 8;
        let article = words(include_str!("../../../tests/data/mfa-reporting-en.txt"));
        let theirs: std::collections::HashSet<&[String]> = article.windows(RUN).collect();
        let ours = RESULT_CODES
            .iter()
            .flat_map(|c| [(c.code, c.title), (c.code, c.meaning), (c.code, c.check)])
            .chain(
                REASONS
                    .iter()
                    .flat_map(|r| [(r.en, r.meaning), (r.en, r.check)]),
            );
        let mut copied = Vec::new();
        for (name, text) in ours {
            let w = words(text);
            if let Some(run) = w.windows(RUN).find(|run| theirs.contains(run)) {
                copied.push(format!("{name}: {:?}", run.join(" ")));
            }
        }
        assert!(copied.is_empty(), "copied phrasing:\n{}", copied.join("\n"));
        // The check is able to fail: the article's own sentence is caught.
        let sample = words("The user took too long to enter the OATH code and gave up");
        assert!(sample.windows(RUN).any(|run| theirs.contains(run)));
    }

    /// Corrections the Dutch, French and Japanese articles agree on: an expired PIN that was
    /// not changed is no success; a PIN typed can still end in a denial; a text sent is only
    /// the first half of an authentication.
    #[test]
    fn outcomes_that_are_not_successes() {
        let code = |name: &str| RESULT_CODES.iter().find(|c| c.code == name).unwrap();
        for (name, want) in [
            ("SUCCESS_PIN_EXPIRED", Outcome::Check),
            ("SUCCESS_WITH_PIN", Outcome::Check),
            ("SUCCESS_NO_PIN", Outcome::Check),
            ("SUCCESS_SMS_SENT", Outcome::Pending),
            ("SUCCESS_OATH_CODE_PENDING", Outcome::Pending),
            ("SUCCESS_NO_PIN_BUT_TIMEOUT", Outcome::Failure),
            ("SUCCESS_OATH_CODE_VERIFIED", Outcome::Success),
        ] {
            assert_eq!(code(name).outcome, want, "{name}");
        }
        assert!(code("SUCCESS_PIN_EXPIRED").title.contains("not replaced"));
        assert_eq!(RESULT_CODES.len(), 45);
        assert!(RESULT_CODES
            .iter()
            .all(|c| !c.meaning.is_empty() && !c.check.is_empty()));
        assert!(REASONS
            .iter()
            .all(|r| !r.meaning.is_empty() && !r.check.is_empty()));
    }
}
