//! Any bytes as a sign-in download (CSV, AuthDetails CSV or JSON), then the analysis.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_audit::signins::analysis::Analysis;
use mfa_audit::read::signins::{read_stream, Contents};

fuzz_target!(|data: &[u8]| {
    let stream = Box::new(std::io::Cursor::new(data.to_vec()));
    if let Ok(Contents::Events(events)) = read_stream("fuzz", stream, None) {
        let mut a = Analysis::default();
        for e in &events {
            a.add(e);
        }
        let (denied, never) = a.users_denied();
        assert!(never <= denied);
        let _ = a.issues();
    }
});
