//! Any bytes as a sign-in download (CSV, AuthDetails CSV or JSON), then the analysis.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_audit::signins::analysis::Analysis;
use mfa_audit::read::signins::{read_bytes, Contents};
use mfa_audit::read::ReadOptions;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    if let Ok(Contents::Events(events)) = read_bytes("fuzz", data.to_vec(), &options) {
        let mut a = Analysis::default();
        for e in &events {
            a.add(e);
        }
        let (denied, never) = a.users_denied();
        assert!(never <= denied);
        let _ = a.issues();
    }
});
