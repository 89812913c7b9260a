//! mfa-audit: who in a Microsoft 365 / Entra ID tenant can and cannot do multi-factor
//! authentication, from the user lists admins export with PowerShell or the Entra portal.

pub mod audit;
pub mod cli;
pub mod dates;
pub mod error;
pub mod numbers;
pub mod panics;
pub mod read;
pub mod report;
pub mod signins;
pub mod warnings;
