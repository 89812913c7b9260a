//! Benchmark baseline: the cheapest honest read of a CSV file with the csv crate (one reused
//! `ByteRecord`, same buffer size as mfa-audit), counting records and touching one field so
//! the loop is not optimised away. `mfa-audit audit` is measured against this in
//! docs/BENCHMARKS.md.
//!
//! cargo run --release --example bare_csv -- FILE

use std::fs::File;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: bare_csv FILE")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(256 * 1024)
        .from_reader(File::open(path)?);
    let mut record = csv::ByteRecord::new();
    let (mut records, mut bytes) = (0u64, 0u64);
    while reader.read_byte_record(&mut record)? {
        records += 1;
        bytes += record.get(0).map_or(0, |f| f.len() as u64);
    }
    println!("{records} records, {bytes} bytes in the first column");
    Ok(())
}
