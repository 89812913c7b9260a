//! CSV records parsed on a second thread (see [`crate::read::feed`]), each with the physical line it
//! starts on.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{anyhow, Result};
use csv::ByteRecord;

use super::lines::LineTracker;
use super::repeat::{HeaderMatcher, RecordKind};
use crate::read::feed::Feed;
use crate::read::{ByteStream, Limits, RecordTooLarge};

/// The error for a record the parser could not read; a record over the size cap is said so.
pub(super) fn read_error(e: csv::Error, name: &str, near: u64, limits: Limits) -> anyhow::Error {
    let too_large = match e.kind() {
        csv::ErrorKind::Io(io) => io
            .get_ref()
            .is_some_and(|inner| inner.downcast_ref::<RecordTooLarge>().is_some()),
        _ => false,
    };
    if too_large {
        return anyhow!(
            "{name}:{near}: a record is longer than {} MiB, the cap; an unterminated quote \
             swallows the rest of the file into one field\nhint: check the quotes at that line, \
             or raise the cap with --max-record-size MB",
            limits.max_record_bytes >> 20
        );
    }
    anyhow::Error::new(e).context(format!("cannot read {name}"))
}

/// A CSV parser over a stream that knows its line numbers.
pub type Parser = csv::Reader<LineTracker<ByteStream>>;

/// A record and the line (within the parsed stream) where it starts.
#[derive(Default)]
pub struct Record {
    pub fields: ByteRecord,
    pub line: u64,
    pub kind: RecordKind,
}

/// The main thread's end: records in order, with their lines.
pub struct RecordFeed {
    feed: Feed<Record>,
}

impl RecordFeed {
    /// Starts parsing the rest of `parser`'s stream on a new thread. `name` is for messages;
    /// `budget` is the byte count of the stream's [`crate::read::RecordBudget`], reset per record.
    /// `header` recognises copies of the header (lines are the parser's, before `line_offset`).
    pub fn spawn(
        mut parser: Parser,
        name: &str,
        budget: Arc<AtomicU64>,
        limits: Limits,
        header: Option<HeaderMatcher>,
        line_offset: u64,
    ) -> Result<RecordFeed> {
        let name = name.to_owned();
        let feed = Feed::spawn("csv-parser", move |producer| {
            // The last record, and whether one of its fields held a line break.
            let mut last = (0u64, false);
            producer.run(|slot: &mut Record| {
                let more = match parser.read_byte_record(&mut slot.fields) {
                    Ok(more) => more,
                    Err(e) => {
                        let at = parser.position().byte();
                        let near = parser.get_mut().line_of(at);
                        return Err(read_error(e, &name, near, limits));
                    }
                };
                budget.store(0, Ordering::Relaxed);
                if more {
                    let start = slot.fields.position().map_or(0, |p| p.byte());
                    slot.line = parser.get_mut().line_of(start);
                    // One memchr over the fields' bytes, which lie end to end.
                    let multiline = memchr::memchr(b'\n', slot.fields.as_slice()).is_some();
                    last = (slot.line, multiline);
                    slot.kind = match &header {
                        Some(h) => h.kind(&slot.fields, &name, slot.line + line_offset)?,
                        None => RecordKind::Data,
                    };
                } else if last.1 && parser.get_ref().quote_open() {
                    // csv_core ends a quoted field at the end of the input without a word:
                    // the rows after the opening quote would silently vanish into one field.
                    return Err(anyhow!(
                        "{name}:{}: a quoted field opened in this record is never closed: the \
                         rest of the file ran into it, so the rows after it would be lost; \
                         nothing was written\nhint: look for an unbalanced quote at that line",
                        last.0
                    ));
                }
                Ok(more)
            })
        })?;
        Ok(RecordFeed { feed })
    }

    /// The next record for which `skip` is false, and the line it starts on, or `None` after
    /// the last one. Skipped records are counted in `skipped`.
    pub fn next_record(
        &mut self,
        skip: impl Fn(&Record) -> bool,
        skipped: &mut u64,
    ) -> Result<Option<(&ByteRecord, u64)>> {
        Ok(self.feed.next(skip, skipped)?.map(|r| (&r.fields, r.line)))
    }
}
