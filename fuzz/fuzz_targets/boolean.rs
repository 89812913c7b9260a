//! The boolean parser and the blocked-state reader on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_audit::audit::classify::parse_blocked;
use mfa_audit::read::schema::Polarity;

fuzz_target!(|text: &str| {
    let b = mfa_audit::read::boolean::parse_bool(text);
    let blocked = parse_blocked(text, Polarity::TrueIsBlocked);
    let enabled = parse_blocked(text, Polarity::TrueIsEnabled);
    if b.is_some() {
        // A boolean reads the opposite way in the two polarities.
        assert_ne!(blocked, enabled, "{text:?}");
    }
});
