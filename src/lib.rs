//! mfa-audit: who in a Microsoft 365 / Entra ID tenant can and cannot do multi-factor
//! authentication, from the user lists admins export with PowerShell or the Entra portal.
//!
//! The pipeline: [`input`] readers turn any export into rows with fields by role;
//! [`classify::classify`] turns a row into a verdict; [`engine`] runs the loop, de-duplicates
//! and counts; [`output`] writers turn verdicts into files. Subcommands live in [`commands`].

pub mod accounts;
pub mod boolean;
pub mod classify;
pub mod cli;
pub mod columns;
pub mod commands;
pub mod counter;
pub mod dedup;
pub mod engine;
pub mod error;
pub mod exceptions;
pub mod gates;
pub mod input;
pub mod methods;
pub mod output;
pub mod panics;
pub mod signins;
pub mod summary;
pub mod vocab;
pub mod warnings;
