//! What a sign-in download says about Conditional Access and about the kind of sign-in, read
//! into enums: the overall "Conditional Access" status (CSV column, Graph
//! `conditionalAccessStatus`), each applied policy of Graph `appliedConditionalAccessPolicies`
//! with its result and whether its grant controls ask for MFA, and whether the sign-in was
//! interactive (Graph `isInteractive` / beta `signInEventTypes`, or the portal's file name).
//!
//! Spellings come from Microsoft's Graph reference: `appliedConditionalAccessPolicy`
//! (`id`, `displayName`, `enforcedGrantControls`, `result`, and in beta
//! `authenticationStrength`), the `appliedConditionalAccessPolicyResult` enum, and the
//! `signIn` resource (`conditionalAccessStatus`: success, failure, notApplied). The grant
//! control words ("Mfa", "Block", "RequireCompliantDevice", ...) are those of Graph sign-in
//! samples and Sentinel's SigninLogs; an authentication strength shows as
//! "RequireAuthenticationStrength" (optionally ":<strength name>").
//! A text none of these matches is kept as written and counted apart, never guessed.

use serde_json::{Map, Value};

/// The sign-in's overall Conditional Access outcome.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaStatus {
    Success,
    Failure,
    NotApplied,
    /// A value we do not know, as written.
    Other(String),
}

impl CaStatus {
    /// The CSV column's words (Success / Failure / Not Applied) and Graph's (`notApplied`);
    /// `None` for an empty cell.
    pub fn parse(text: &str) -> Option<CaStatus> {
        let t = squash(text);
        Some(match t.as_str() {
            "" => return None,
            "success" => CaStatus::Success,
            "failure" => CaStatus::Failure,
            "notapplied" => CaStatus::NotApplied,
            _ => CaStatus::Other(text.trim().to_owned()),
        })
    }
}

/// An applied policy's result on one sign-in (Graph `appliedConditionalAccessPolicyResult`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyResult {
    Success,
    Failure,
    NotApplied,
    NotEnabled,
    ReportOnlySuccess,
    ReportOnlyFailure,
    ReportOnlyNotApplied,
    ReportOnlyInterrupted,
    /// `unknown`, `unknownFutureValue`, an empty or a new value: the log does not say.
    Unknown,
}

impl PolicyResult {
    pub const ALL: [PolicyResult; 9] = [
        PolicyResult::Success,
        PolicyResult::Failure,
        PolicyResult::NotApplied,
        PolicyResult::NotEnabled,
        PolicyResult::ReportOnlySuccess,
        PolicyResult::ReportOnlyFailure,
        PolicyResult::ReportOnlyNotApplied,
        PolicyResult::ReportOnlyInterrupted,
        PolicyResult::Unknown,
    ];

    pub fn parse(text: &str) -> PolicyResult {
        match squash(text).as_str() {
            "success" => PolicyResult::Success,
            "failure" => PolicyResult::Failure,
            "notapplied" => PolicyResult::NotApplied,
            "notenabled" => PolicyResult::NotEnabled,
            "reportonlysuccess" => PolicyResult::ReportOnlySuccess,
            "reportonlyfailure" => PolicyResult::ReportOnlyFailure,
            "reportonlynotapplied" => PolicyResult::ReportOnlyNotApplied,
            "reportonlyinterrupted" => PolicyResult::ReportOnlyInterrupted,
            _ => PolicyResult::Unknown,
        }
    }

    /// Graph's spelling, used as the JSON key.
    pub fn name(self) -> &'static str {
        match self {
            PolicyResult::Success => "success",
            PolicyResult::Failure => "failure",
            PolicyResult::NotApplied => "notApplied",
            PolicyResult::NotEnabled => "notEnabled",
            PolicyResult::ReportOnlySuccess => "reportOnlySuccess",
            PolicyResult::ReportOnlyFailure => "reportOnlyFailure",
            PolicyResult::ReportOnlyNotApplied => "reportOnlyNotApplied",
            PolicyResult::ReportOnlyInterrupted => "reportOnlyInterrupted",
            PolicyResult::Unknown => "unknown",
        }
    }

    /// The policy was enforced on the sign-in: its controls were asked for (and met or not).
    pub fn enforced(self) -> bool {
        matches!(self, PolicyResult::Success | PolicyResult::Failure)
    }

    /// A report-only policy whose conditions matched: it would have asked for its controls.
    /// (`reportOnlyInterrupted`: the user would have been stopped to meet them.)
    pub fn would_have_applied(self) -> bool {
        matches!(
            self,
            PolicyResult::ReportOnlySuccess
                | PolicyResult::ReportOnlyFailure
                | PolicyResult::ReportOnlyInterrupted
        )
    }
}

/// One entry of `appliedConditionalAccessPolicies`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedPolicy {
    pub id: String,
    pub name: String,
    pub result: PolicyResult,
    /// The result as written, when it is not one we know (kept for the message).
    pub raw_result: String,
    /// Its grant controls as written.
    pub grant_controls: Vec<String>,
    /// The grant controls ask for MFA: "Mfa", or an authentication strength.
    pub requires_mfa: bool,
}

/// Lower case, without spaces, dashes or underscores: "Not Applied" and "notApplied" meet.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A grant control that is an MFA requirement: "Mfa" (Graph sign-in logs; the policy itself
/// says `mfa`) or an authentication strength ("RequireAuthenticationStrength", with or
/// without ":<name>"). Compliant device, hybrid join, approved app, terms of use and block
/// are not MFA.
pub fn is_mfa_control(control: &str) -> bool {
    let c = squash(control);
    c == "mfa" || c.starts_with("requireauthenticationstrength") || c == "authenticationstrength"
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The policies of one Graph `signIn` object: `None` when the object has no
/// `appliedConditionalAccessPolicies` (Graph leaves it out for a reader without the right to
/// see Conditional Access data), a list (perhaps empty) otherwise.
pub fn applied_policies(o: &Map<String, Value>) -> Option<Vec<AppliedPolicy>> {
    let list = o.get("appliedConditionalAccessPolicies")?.as_array()?;
    Some(
        list.iter()
            .filter_map(Value::as_object)
            .map(|p| {
                let grant_controls: Vec<String> = p
                    .get("enforcedGrantControls")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                // Beta writes the strength as an object of its own as well.
                let strength = p
                    .get("authenticationStrength")
                    .is_some_and(|s| s.is_object());
                let raw = text(p.get("result"));
                let result = PolicyResult::parse(&raw);
                AppliedPolicy {
                    id: text(p.get("id")),
                    name: text(p.get("displayName")),
                    result,
                    raw_result: if result == PolicyResult::Unknown {
                        raw
                    } else {
                        String::new()
                    },
                    requires_mfa: strength || grant_controls.iter().any(|c| is_mfa_control(c)),
                    grant_controls,
                }
            })
            .collect(),
    )
}

/// Interactive or not, from a Graph `signIn` object: `isInteractive` (v1.0), or beta's
/// `signInEventTypes` (`interactiveUser`, `nonInteractiveUser`); `None` when neither says.
pub fn json_interactive(o: &Map<String, Value>) -> Option<bool> {
    if let Some(b) = o.get("isInteractive").and_then(Value::as_bool) {
        return Some(b);
    }
    let types = o.get("signInEventTypes")?.as_array()?;
    let has = |w: &str| {
        types
            .iter()
            .any(|t| t.as_str().is_some_and(|s| squash(s) == w))
    };
    if has("interactiveuser") {
        Some(true)
    } else if has("noninteractiveuser") {
        Some(false)
    } else {
        None
    }
}

/// Interactive or not, from a CSV cell: an `IsInteractive` column (`Get-MgAuditLogSignIn |
/// Export-Csv`) holds True / False; a `SignInEventTypes` column holds the beta words.
pub fn csv_interactive(is_interactive: &str, event_types: &str) -> Option<bool> {
    if let Some(b) = crate::read::boolean::parse_bool(is_interactive) {
        return Some(b);
    }
    let t = squash(event_types);
    if t.contains("noninteractiveuser") {
        Some(false)
    } else if t.contains("interactiveuser") {
        Some(true)
    } else {
        None
    }
}

/// Interactive or not, from the portal's file name: the Entra admin center names its
/// downloads `InteractiveSignIns_<from>_<to>.csv` and `NonInteractiveSignIns_<from>_<to>.csv`
/// (nothing in a row of either says which it is, so the portal's name is what does). `None`
/// for any other name: a renamed file's sign-ins are "not said", never guessed.
pub fn interactive_from_name(path: &str) -> Option<bool> {
    let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let b = squash(base);
    if b.starts_with("noninteractivesignins") {
        Some(false)
    } else if b.starts_with("interactivesignins") {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_results() {
        for (text, want) in [
            ("Success", Some(CaStatus::Success)),
            ("Failure", Some(CaStatus::Failure)),
            ("Not Applied", Some(CaStatus::NotApplied)),
            ("notApplied", Some(CaStatus::NotApplied)),
            (" ", None),
            ("Réussite", Some(CaStatus::Other("Réussite".into()))),
        ] {
            assert_eq!(CaStatus::parse(text), want, "{text}");
        }
        for r in PolicyResult::ALL {
            if r != PolicyResult::Unknown {
                assert_eq!(PolicyResult::parse(r.name()), r);
            }
        }
        assert_eq!(
            PolicyResult::parse("unknownFutureValue"),
            PolicyResult::Unknown
        );
        assert_eq!(PolicyResult::parse("3"), PolicyResult::Unknown);
    }

    #[test]
    fn mfa_controls() {
        for (c, want) in [
            ("Mfa", true),
            ("mfa", true),
            ("RequireAuthenticationStrength", true),
            ("RequireAuthenticationStrength:Phishing-resistant MFA", true),
            ("RequireCompliantDevice", false),
            ("RequireDomainJoinedDevice", false),
            ("Block", false),
            ("RequireCompliantApp", false),
            ("", false),
        ] {
            assert_eq!(is_mfa_control(c), want, "{c}");
        }
    }

    #[test]
    fn policies_from_json() {
        let o: Value = serde_json::json!({
            "appliedConditionalAccessPolicies": [
                {"id": "a", "displayName": "MFA", "enforcedGrantControls": ["Mfa"], "result": "success"},
                {"id": "b", "displayName": "Device", "enforcedGrantControls": ["RequireCompliantDevice"], "result": "reportOnlyFailure"},
                {"id": "c", "displayName": "Strength", "enforcedGrantControls": [], "authenticationStrength": {"displayName": "Phishing-resistant MFA"}, "result": "weird"},
            ]
        });
        let p = applied_policies(o.as_object().unwrap()).unwrap();
        assert_eq!(p.len(), 3);
        assert!(p[0].requires_mfa && p[0].result == PolicyResult::Success);
        assert!(!p[1].requires_mfa && p[1].result == PolicyResult::ReportOnlyFailure);
        assert!(p[2].requires_mfa && p[2].result == PolicyResult::Unknown);
        assert_eq!(p[2].raw_result, "weird");
        assert!(applied_policies(&Map::new()).is_none());
    }

    #[test]
    fn interactive_or_not() {
        let o = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            json_interactive(&o(serde_json::json!({"isInteractive": false}))),
            Some(false)
        );
        assert_eq!(
            json_interactive(&o(
                serde_json::json!({"signInEventTypes": ["nonInteractiveUser"]})
            )),
            Some(false)
        );
        assert_eq!(
            json_interactive(&o(
                serde_json::json!({"signInEventTypes": ["interactiveUser"]})
            )),
            Some(true)
        );
        assert_eq!(json_interactive(&o(serde_json::json!({}))), None);
        assert_eq!(csv_interactive("False", ""), Some(false));
        assert_eq!(csv_interactive("", "[\"nonInteractiveUser\"]"), Some(false));
        assert_eq!(csv_interactive("", ""), None);
        for (name, want) in [
            (
                "NonInteractiveSignIns_2026-11-01_2026-11-08.csv",
                Some(false),
            ),
            (
                "dl/InteractiveSignIns_2026-11-01_2026-11-08.csv",
                Some(true),
            ),
            ("C:\\x\\noninteractivesignins_a.json", Some(false)),
            ("signins.csv", None),
        ] {
            assert_eq!(interactive_from_name(name), want, "{name}");
        }
    }
}
