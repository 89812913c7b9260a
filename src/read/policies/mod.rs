//! `--policies`: the tenant's policy exports, recognised by their content and read into
//! [`model::Tenant`].

pub mod model;

use anyhow::Result;

use crate::read::ReadOptions;

/// Reads every `--policies` path (a folder is read recursively). (Placeholder body until the
/// readers land: nothing recognised.)
pub fn read(paths: &[String], _options: &ReadOptions) -> Result<model::Tenant> {
    let _ = paths;
    Ok(model::Tenant::default())
}
