//! Rows to verdicts and counts.

pub(crate) mod accounts;
pub mod admins;
pub mod classify;
pub mod controls;
pub(crate) mod counter;
pub(crate) mod dedup;
pub(crate) mod diff;
pub mod enforced;
pub mod enforcement;
pub mod exceptions;
pub(crate) mod gates;
pub(crate) mod lookalike;
pub mod methods;
pub mod phone_end;
pub(crate) mod readable;
pub mod registration;
pub mod roles;
pub mod run;
pub(crate) mod tally;
pub(crate) mod upn;
pub mod vocab;
