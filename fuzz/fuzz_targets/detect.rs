//! Encoding detection on any first bytes, and the text stream built from it.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use mfa_audit::read::detect;

fuzz_target!(|data: &[u8]| {
    let d = detect::detect(data, true, None);
    assert!(d.bom_len <= data.len());
    if let Ok(text) = detect::text("fuzz", data.to_vec(), true, Box::new(std::io::empty()), None) {
        let mut all = Vec::new();
        let _ = text.into_utf8_stream().take(1 << 20).read_to_end(&mut all);
    }
});
