//! One method vocabulary: every MFA method name mfa-audit knows, from MSOnline
//! (`StrongAuthenticationMethods.MethodType`), Microsoft Graph (`methodsRegistered`,
//! `defaultMfaMethod`, `systemPreferredAuthenticationMethods`, the older credential-registration
//! report) and the Entra admin center's display names, mapped to one canonical name (Graph's),
//! a display name and a strength class.
//!
//! The list is open: a name not in it is kept as written, counted as unrecognised, and never
//! dropped. Where knowing a name matters (is `PhoneAppOTP PhoneAppNotification` two methods
//! separated by a space, or one name?) identifiers are looked up here.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// How strong a method is, from the point of view of phishing and of CISA's baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// Not a second factor: self-service reset or sign-in helpers (email, password, security
    /// questions, app passwords, a Temporary Access Pass). A user with only these is not
    /// registered for MFA.
    NotMfa,
    /// Text message or voice call.
    Phone,
    /// An authenticator app (push, OTP) or an OATH token.
    App,
    /// FIDO2 keys, passkeys, Windows Hello for Business, certificates, platform credentials.
    PhishingResistant,
}

impl Strength {
    pub const ALL: [Strength; 4] = [
        Strength::PhishingResistant,
        Strength::App,
        Strength::Phone,
        Strength::NotMfa,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strength::PhishingResistant => "phishing-resistant",
            Strength::App => "app",
            Strength::Phone => "phone",
            Strength::NotMfa => "not-mfa",
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A known method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method {
    /// Graph's name (`methodsRegistered`).
    pub canonical: &'static str,
    /// As the Entra admin center shows it.
    pub display: &'static str,
    pub strength: Strength,
}

use Strength::{App, NotMfa, PhishingResistant, Phone};

const fn m(canonical: &'static str, display: &'static str, strength: Strength) -> Method {
    Method {
        canonical,
        display,
        strength,
    }
}

const MOBILE: Method = m("mobilePhone", "Mobile phone", Phone);
const ALT_MOBILE: Method = m("alternateMobilePhone", "Alternate mobile phone", Phone);
const OFFICE: Method = m("officePhone", "Office phone", Phone);
const PUSH: Method = m("microsoftAuthenticatorPush", "Microsoft Authenticator", App);
const PASSWORDLESS: Method = m(
    "microsoftAuthenticatorPasswordless",
    "Microsoft Authenticator passwordless sign-in",
    App,
);
const SOFTWARE_OTP: Method = m("softwareOneTimePasscode", "Software OATH token", App);
const HARDWARE_OTP: Method = m("hardwareOneTimePasscode", "Hardware OATH token", App);
const FIDO2: Method = m("fido2", "FIDO2 security key", PhishingResistant);
const PASSKEY_BOUND: Method = m(
    "passKeyDeviceBound",
    "Passkey (device-bound)",
    PhishingResistant,
);
const PASSKEY_AUTHENTICATOR: Method = m(
    "passKeyDeviceBoundAuthenticator",
    "Passkey in Microsoft Authenticator",
    PhishingResistant,
);
const PASSKEY_SYNCED: Method = m("passKeySynced", "Passkey (synced)", PhishingResistant);
const HELLO: Method = m(
    "windowsHelloForBusiness",
    "Windows Hello for Business",
    PhishingResistant,
);
const CERTIFICATE: Method = m(
    "x509Certificate",
    "Certificate-based authentication",
    PhishingResistant,
);
const MACOS: Method = m(
    "macOsSecureEnclaveKey",
    "macOS Platform Credential",
    PhishingResistant,
);
const EMAIL: Method = m("email", "Email", NotMfa);
const TAP: Method = m("temporaryAccessPass", "Temporary Access Pass", NotMfa);
const QUESTIONS: Method = m("securityQuestion", "Security questions", NotMfa);
const APP_PASSWORD: Method = m("appPassword", "App password", NotMfa);
const PASSWORD: Method = m("password", "Password", NotMfa);
/// QR code and PIN: a first factor for frontline workers, not a second one.
const QR_CODE: Method = m("qrCode", "QR code", NotMfa);
/// An external authentication method (a third-party MFA provider such as Duo): MFA, of a
/// kind the export does not say, so counted with the apps rather than as phishing-resistant.
const EXTERNAL: Method = m("externalAuthMethod", "External authentication method", App);

/// Every spelling we know, normalised (see [`key`]), with its method. Identifiers first: the
/// ones [`is_method_id`] accepts are those without spaces.
const NAMES: &[(&str, Method)] = &[
    // MSOnline MethodType
    ("onewaysms", MOBILE),
    ("twowayvoicemobile", MOBILE),
    ("twowayvoicealternatemobile", ALT_MOBILE),
    ("twowayvoiceoffice", OFFICE),
    ("phoneappotp", SOFTWARE_OTP),
    ("phoneappnotification", PUSH),
    // Microsoft Graph methodsRegistered, defaultMfaMethod, systemPreferred...
    ("mobilephone", MOBILE),
    ("alternatemobilephone", ALT_MOBILE),
    ("officephone", OFFICE),
    ("email", EMAIL),
    ("fido2", FIDO2),
    ("passkeydevicebound", PASSKEY_BOUND),
    ("passkeydeviceboundauthenticator", PASSKEY_AUTHENTICATOR),
    ("passkeydeviceboundwindowshello", HELLO),
    ("passkeysynced", PASSKEY_SYNCED),
    ("windowshelloforbusiness", HELLO),
    ("microsoftauthenticatorpush", PUSH),
    ("microsoftauthenticatorpasswordless", PASSWORDLESS),
    ("softwareonetimepasscode", SOFTWARE_OTP),
    ("hardwareonetimepasscode", HARDWARE_OTP),
    ("temporaryaccesspass", TAP),
    ("macossecureenclavekey", MACOS),
    ("securityquestion", QUESTIONS),
    ("x509certificate", CERTIFICATE),
    ("x509certificatemultifactor", CERTIFICATE),
    ("x509certificatesinglefactor", CERTIFICATE),
    ("sms", MOBILE),
    ("voicemobile", MOBILE),
    ("voicealternatemobile", ALT_MOBILE),
    ("voiceoffice", OFFICE),
    ("push", PUSH),
    ("oath", SOFTWARE_OTP),
    ("microsoftauthenticatorapp", PUSH),
    ("microsoftauthenticator", PUSH),
    ("softwareoath", SOFTWARE_OTP),
    ("hardwareoath", HARDWARE_OTP),
    ("passwordless", PASSWORDLESS),
    ("appcode", SOFTWARE_OTP),
    ("appnotification", PUSH),
    ("apppassword", APP_PASSWORD),
    ("password", PASSWORD),
    ("passkey", PASSKEY_BOUND),
    // the older credentialUserRegistrationDetails report
    ("mobilesms", MOBILE),
    ("mobilecall", MOBILE),
    ("alternatemobilecall", ALT_MOBILE),
    ("fido", FIDO2),
    // Entra admin center display names and sign-in log method names
    ("mobilephone(sms)", MOBILE),
    ("textmessage", MOBILE),
    ("phonecall", MOBILE),
    ("voicecall", MOBILE),
    ("microsoftauthenticatorapp(push)", PUSH),
    ("mobileappnotification", PUSH),
    ("microsoftauthenticatorpasswordlesssignin", PASSWORDLESS),
    ("oathverificationcode", SOFTWARE_OTP),
    ("softwareoathtoken", SOFTWARE_OTP),
    ("hardwareoathtoken", HARDWARE_OTP),
    ("oathhardwaretoken", HARDWARE_OTP),
    ("oathsoftwaretoken", SOFTWARE_OTP),
    ("fido2securitykey", FIDO2),
    ("securitykey", FIDO2),
    ("passkey(devicebound)", PASSKEY_BOUND),
    ("passkey(synced)", PASSKEY_SYNCED),
    ("passkeyinmicrosoftauthenticator", PASSKEY_AUTHENTICATOR),
    ("certificatebasedauthentication", CERTIFICATE),
    ("certificate", CERTIFICATE),
    ("macosplatformcredential", MACOS),
    ("platformcredentialformacos", MACOS),
    ("securityquestions", QUESTIONS),
    ("emailaddress", EMAIL),
    ("emailotp", EMAIL),
    ("phone", MOBILE),
    ("authenticatorapp", PUSH),
    ("authenticatorapp(totp)", SOFTWARE_OTP),
    ("thirdpartyauthenticatorapp", SOFTWARE_OTP),
    ("thirdpartysoftwareoathtoken", SOFTWARE_OTP),
    ("passkeys(fido2)", FIDO2),
    ("passkey(fido2)", FIDO2),
    ("windowshello", HELLO),
    ("helloforbusiness", HELLO),
    ("qrcode", QR_CODE),
    ("qrcodepin", QR_CODE),
    ("externalauthmethod", EXTERNAL),
    ("external", EXTERNAL),
    ("platformcredential", MACOS),
    ("passwordlessmicrosoftauthenticator", PASSWORDLESS),
    // Labels community scripts write (AdminDroid, Office365itpros, LazyAdmin)
    ("phoneauthentication", MOBILE),
    ("passwordauthentication", PASSWORD),
    ("emailauthentication", EMAIL),
    ("temporaryaccesspassauthentication", TAP),
    ("passwordlessmsauthenticator", PASSWORDLESS),
    ("emailverification", EMAIL),
    // LazyAdmin MFAStatus.ps1's names for MSOnline's method types (its MFA Type column)
    ("smstoken", MOBILE),
    ("phonecallverification", MOBILE),
    ("workphonecallverification", OFFICE),
    ("hardwaretokenorauthenticatorapp", SOFTWARE_OTP),
];

/// Prefix of Graph's authentication method types (`#microsoft.graph.fido2AuthenticationMethod`),
/// normalised; some scripts write it without the `#`.
const ODATA_PREFIXES: [&str; 2] = ["#microsoft.graph.", "microsoft.graph."];
/// Suffix of those type names, normalised.
const ODATA_SUFFIX: &str = "authenticationmethod";

/// The method a name stands for, in any of the vocabularies, letter case, spacing, `-` or `_`.
///
/// Called for every method of every user. An export spells the same few names the same way
/// on every row, so the spellings seen first are matched exactly in a short list before any
/// normalising or hashing.
pub fn lookup(name: &str) -> Option<Method> {
    thread_local! {
        static SEEN: RefCell<Vec<(Box<str>, Option<Method>)>> = const { RefCell::new(Vec::new()) };
    }
    SEEN.with(|seen| {
        let mut seen = seen.borrow_mut();
        if let Some((_, m)) = seen.iter().find(|(s, _)| **s == *name) {
            return *m;
        }
        let m = lookup_uncached(name);
        if seen.len() < 32 {
            seen.push((name.into(), m));
        }
        m
    })
}

fn lookup_uncached(name: &str) -> Option<Method> {
    static TABLE: OnceLock<HashMap<&'static str, Method>> = OnceLock::new();
    let table = TABLE.get_or_init(|| NAMES.iter().copied().collect());
    let mut buf = [0u8; 96];
    let mut len = 0;
    for b in name.bytes() {
        if b.is_ascii_whitespace() || b == b'-' || b == b'_' {
            continue;
        }
        if !b.is_ascii() || len == buf.len() {
            // Every known name is short and ASCII.
            return None;
        }
        buf[len] = b.to_ascii_lowercase();
        len += 1;
    }
    let key = std::str::from_utf8(&buf[..len]).ok()?;
    if let Some(m) = table.get(key) {
        return Some(*m);
    }
    // Graph's type names: `#microsoft.graph.phoneAuthenticationMethod` is `phone`.
    let bare = ODATA_PREFIXES
        .iter()
        .find_map(|p| key.strip_prefix(p))
        .unwrap_or(key);
    let bare = bare
        .strip_suffix(ODATA_SUFFIX)
        .filter(|b| !b.is_empty())
        .unwrap_or(bare);
    (bare.len() < key.len())
        .then(|| table.get(bare).copied())
        .flatten()
}

/// True when `name` is a method identifier: a known name written without spaces, as the APIs
/// and cmdlets write them (not a display name).
pub fn is_method_id(name: &str) -> bool {
    !name.contains(char::is_whitespace) && lookup(name).is_some()
}

/// How the report writes method names (`--method-names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum NameStyle {
    /// As the input wrote them.
    #[default]
    AsWritten,
    /// Graph's names (`mobilePhone`, `microsoftAuthenticatorPush`, `fido2`, ...).
    Canonical,
    /// The Entra admin center's names (`Mobile phone`, `Microsoft Authenticator`, ...).
    Display,
}

impl NameStyle {
    /// `name` in this style; unknown names stay as written.
    pub fn apply(self, name: &str) -> &str {
        match (self, lookup(name)) {
            (NameStyle::Canonical, Some(m)) => m.canonical,
            (NameStyle::Display, Some(m)) => m.display,
            _ => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_maps_to_one_method() {
        let cases: &[(&str, &str, &str, Strength)] = &[
            ("OneWaySMS", "mobilePhone", "Mobile phone", Phone),
            ("TwoWayVoiceMobile", "mobilePhone", "Mobile phone", Phone),
            ("TwoWayVoiceOffice", "officePhone", "Office phone", Phone),
            (
                "PhoneAppOTP",
                "softwareOneTimePasscode",
                "Software OATH token",
                App,
            ),
            (
                "PhoneAppNotification",
                "microsoftAuthenticatorPush",
                "Microsoft Authenticator",
                App,
            ),
            (
                "microsoftAuthenticatorPush",
                "microsoftAuthenticatorPush",
                "Microsoft Authenticator",
                App,
            ),
            (
                "Microsoft Authenticator app",
                "microsoftAuthenticatorPush",
                "Microsoft Authenticator",
                App,
            ),
            ("fido2", "fido2", "FIDO2 security key", PhishingResistant),
            (
                "FIDO2 security key",
                "fido2",
                "FIDO2 security key",
                PhishingResistant,
            ),
            (
                "passKeySynced",
                "passKeySynced",
                "Passkey (synced)",
                PhishingResistant,
            ),
            (
                "Windows Hello for Business",
                "windowsHelloForBusiness",
                "Windows Hello for Business",
                PhishingResistant,
            ),
            (
                "windowshelloforbusiness",
                "windowsHelloForBusiness",
                "Windows Hello for Business",
                PhishingResistant,
            ),
            (
                "x509CertificateMultiFactor",
                "x509Certificate",
                "Certificate-based authentication",
                PhishingResistant,
            ),
            ("Mobile phone", "mobilePhone", "Mobile phone", Phone),
            ("Text message", "mobilePhone", "Mobile phone", Phone),
            ("email", "email", "Email", NotMfa),
            (
                "securityQuestion",
                "securityQuestion",
                "Security questions",
                NotMfa,
            ),
            (
                "temporaryAccessPass",
                "temporaryAccessPass",
                "Temporary Access Pass",
                NotMfa,
            ),
            (
                "hardware_one_time_passcode",
                "hardwareOneTimePasscode",
                "Hardware OATH token",
                App,
            ),
        ];
        for (name, canonical, display, strength) in cases {
            let m = lookup(name).unwrap_or_else(|| panic!("{name} unknown"));
            assert_eq!(
                (m.canonical, m.display, m.strength),
                (*canonical, *display, *strength),
                "{name}"
            );
            assert_eq!(NameStyle::Canonical.apply(name), *canonical);
            assert_eq!(NameStyle::AsWritten.apply(name), *name);
        }
        // Graph's method types, with or without the `#` some scripts forget, and the labels
        // the community scripts write.
        for (name, canonical) in [
            ("#microsoft.graph.fido2AuthenticationMethod", "fido2"),
            ("#microsoft.graph.phoneAuthenticationMethod", "mobilePhone"),
            (
                "#microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
                "microsoftAuthenticatorPush",
            ),
            (
                "#microsoft.graph.passwordlessMicrosoftAuthenticatorAuthenticationMethod",
                "microsoftAuthenticatorPasswordless",
            ),
            (
                "microsoft.graph.temporaryAccessPassAuthenticationMethod",
                "temporaryAccessPass",
            ),
            ("#microsoft.graph.passwordAuthenticationMethod", "password"),
            (
                "#microsoft.graph.platformCredentialAuthenticationMethod",
                "macOsSecureEnclaveKey",
            ),
            ("#microsoft.graph.qrCodePinAuthenticationMethod", "qrCode"),
            ("passKeyDeviceBoundWindowsHello", "windowsHelloForBusiness"),
            ("fido2SecurityKey", "fido2"),
            ("externalAuthMethod", "externalAuthMethod"),
            ("qrCode", "qrCode"),
            ("Passkeys(FIDO2)", "fido2"),
            ("Authenticator app (TOTP)", "softwareOneTimePasscode"),
            ("Third-party Authenticator App", "softwareOneTimePasscode"),
            ("Phone", "mobilePhone"),
            ("PasswordAuthentication", "password"),
            ("EmailAuthentication", "email"),
            ("PhoneAuthentication", "mobilePhone"),
            ("AuthenticatorApp", "microsoftAuthenticatorPush"),
            ("Hello for Business", "windowsHelloForBusiness"),
            (
                "PasswordlessMSAuthenticator",
                "microsoftAuthenticatorPasswordless",
            ),
            ("SMS token", "mobilePhone"),
            ("Phone call verification", "mobilePhone"),
            ("Workphone call verification", "officePhone"),
            (
                "Hardware token or authenticator app",
                "softwareOneTimePasscode",
            ),
            ("Email Verification", "email"),
        ] {
            assert_eq!(lookup(name).map(|m| m.canonical), Some(canonical), "{name}");
        }
        for not_mfa in [
            "qrCode",
            "PasswordAuthentication",
            "EmailAuthentication",
            "Email Verification",
            "TemporaryAccessPass",
        ] {
            assert_eq!(
                lookup(not_mfa).map(|m| m.strength),
                Some(NotMfa),
                "{not_mfa}"
            );
        }
        assert_eq!(lookup("#microsoft.graph."), None);
        assert_eq!(lookup("AuthenticationMethod"), None);
        assert_eq!(lookup("quantumEntanglement"), None);
        assert_eq!(
            NameStyle::Display.apply("quantumEntanglement"),
            "quantumEntanglement"
        );
    }

    #[test]
    fn identifiers_are_known_in_any_case_display_names_are_not_identifiers() {
        for (name, want) in [
            ("PhoneAppOTP", true),
            ("phoneappotp", true),
            ("fido2", true),
            ("Microsoft", false),
            ("Mobile phone", false),
            ("", false),
        ] {
            assert_eq!(is_method_id(name), want, "{name}");
        }
    }

    #[test]
    fn every_canonical_name_is_itself_known() {
        for (_, m) in NAMES {
            assert_eq!(lookup(m.canonical), Some(*m), "{}", m.canonical);
            assert_eq!(
                lookup(m.display).map(|x| x.canonical),
                Some(m.canonical),
                "{}",
                m.display
            );
        }
    }
}
