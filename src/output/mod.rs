//! Writers: where outputs go (atomically), how CSV and workbooks are written, and what the
//! report holds.

pub mod atomic;
pub mod ci;
pub mod csv_out;
pub mod report;
pub mod table;
