//! Any bytes as an input file: format detection (CSV, JSON, XLSX/XLSB/XLS/ODS), encoding and
//! delimiter detection, every reader, and classification of every row. Errors are fine;
//! panics, hangs and unbounded memory are not. Seeded with CSV, JSON and workbook samples, it
//! is run as the CSV, JSON and XLSX target (see docs/robustness.md).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfa_audit::audit::classify::classify;
use mfa_audit::read::{open_bytes, ReadOptions};
use mfa_audit::warnings::Warnings;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    let Ok(mut source) = open_bytes("fuzz", data.to_vec(), &options) else {
        return;
    };
    let polarity = source.schema().polarity;
    let mut warnings = Warnings::new(false);
    let mut rows = 0u64;
    loop {
        match source.next_row(&mut warnings) {
            Ok(Some(at)) => {
                let _ = classify(&at.row, polarity);
                rows += 1;
            }
            // An error ends the input (the audit stops with exit code 2).
            Err(_) => return,
            Ok(None) => break,
        }
    }
    // Every row that came out is counted once, and nothing else.
    assert_eq!(source.info().rows, rows);
});
