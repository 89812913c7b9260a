//! mfa-audit: who in a Microsoft 365 / Entra ID tenant can and cannot do multi-factor
//! authentication, from the user lists admins export with PowerShell or the Entra portal.

pub mod audit;
pub mod cli;
pub(crate) mod dates;
pub mod error;
pub(crate) mod interrupt;
pub(crate) mod numbers;
pub(crate) mod panics;
pub mod phone;
pub mod read;
pub(crate) mod report;
pub mod signins;
pub mod terminal;
pub mod warnings;
