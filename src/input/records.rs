//! CSV records parsed on a second thread (see [`super::feed`]), each with the physical line it
//! starts on.

use anyhow::Result;
use csv::ByteRecord;

use super::feed::Feed;
use super::lines::LineTracker;
use super::ByteStream;

/// A CSV parser over a stream that knows its line numbers.
pub type Parser = csv::Reader<LineTracker<ByteStream>>;

/// A record and the line (within the parsed stream) where it starts.
#[derive(Default)]
pub struct Record {
    pub fields: ByteRecord,
    pub line: u64,
}

/// The main thread's end: records in order, with their lines.
pub struct RecordFeed {
    feed: Feed<Record>,
}

impl RecordFeed {
    /// Starts parsing the rest of `parser`'s stream on a new thread. `name` is for messages.
    pub fn spawn(mut parser: Parser, name: &str) -> Result<RecordFeed> {
        let name = name.to_owned();
        let feed = Feed::spawn("csv-parser", move |producer| {
            producer.run(|slot: &mut Record| {
                let more = parser
                    .read_byte_record(&mut slot.fields)
                    .map_err(|e| anyhow::Error::new(e).context(format!("cannot read {name}")))?;
                if more {
                    let start = slot.fields.position().map_or(0, |p| p.byte());
                    slot.line = parser.get_mut().line_of(start);
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
        skip: impl Fn(&ByteRecord) -> bool,
        skipped: &mut u64,
    ) -> Result<Option<(&ByteRecord, u64)>> {
        Ok(self
            .feed
            .next(|r| skip(&r.fields), skipped)?
            .map(|r| (&r.fields, r.line)))
    }
}
