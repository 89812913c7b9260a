//! Writers: where outputs go (all committed together), how CSV and workbooks are written, and what the
//! report holds.

pub mod audit;
pub mod ci;
pub mod commit;
pub mod controls;
pub mod csv;
pub mod destinations;
pub mod diff;
pub mod enforcement;
pub mod escape;
pub mod html;
pub mod mfa_report;
pub mod sarif;
pub mod signins;
pub mod signins_ca;
pub mod summary;
pub mod table;
pub mod temp;

/// Writes `doc` as pretty JSON to a new output at `path` (`-`: standard output), not yet
/// committed.
pub fn json_output(path: &str, doc: &impl serde::Serialize) -> anyhow::Result<commit::Output> {
    use anyhow::Context;
    use std::io::Write;
    let mut out = commit::Output::create(path)?;
    serde_json::to_writer_pretty(&mut out, doc).context("cannot write the JSON")?;
    out.write_all(b"\n")?;
    Ok(out)
}
