//! The method names mfa-audit knows by their identifiers.
//!
//! MSOnline's `StrongAuthenticationMethods.MethodType` values and Microsoft Graph's
//! `methodsRegistered` values. The list is open: unknown names are kept as written. It is used
//! where knowing a name matters, e.g. to decide whether `PhoneAppOTP PhoneAppNotification` is two
//! methods separated by a space or one name that happens to contain spaces.

/// Method identifiers, as Microsoft spells them.
pub const METHOD_IDS: &[&str] = &[
    // MSOnline MethodType
    "OneWaySMS",
    "TwoWayVoiceMobile",
    "TwoWayVoiceOffice",
    "TwoWayVoiceAlternateMobile",
    "PhoneAppOTP",
    "PhoneAppNotification",
    // Microsoft Graph methodsRegistered / defaultMfaMethod
    "mobilePhone",
    "alternateMobilePhone",
    "officePhone",
    "email",
    "fido2",
    "passKeyDeviceBound",
    "passKeyDeviceBoundAuthenticator",
    "passKeySynced",
    "windowsHelloForBusiness",
    "microsoftAuthenticatorPush",
    "microsoftAuthenticatorPasswordless",
    "softwareOneTimePasscode",
    "hardwareOneTimePasscode",
    "temporaryAccessPass",
    "macOsSecureEnclaveKey",
    "securityQuestion",
    "sms",
    "voiceMobile",
    "voiceAlternateMobile",
    "voiceOffice",
    "push",
    "oath",
    "appCode",
    "appNotification",
    "appPassword",
    "x509Certificate",
];

/// True when `name` is a known method identifier (case-insensitive).
pub fn is_method_id(name: &str) -> bool {
    METHOD_IDS.iter().any(|id| id.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_known_in_any_case() {
        for (name, want) in [
            ("PhoneAppOTP", true),
            ("phoneappotp", true),
            ("fido2", true),
            ("Microsoft", false),
            ("", false),
        ] {
            assert_eq!(is_method_id(name), want, "{name}");
        }
    }
}
