//! Rows to verdicts and counts.

pub mod accounts;
pub mod classify;
pub mod counter;
pub mod dedup;
pub mod diff;
pub mod exceptions;
pub mod gates;
pub mod methods;
pub mod run;
pub mod tally;
pub mod vocab;
