//! CSV records parsed on a second thread.
//!
//! Parsing (and reading, and transcoding UTF-16) is a third of an audit's work and needs nothing
//! from classification, so a parser thread fills batches of records while the main thread
//! classifies and writes. Batches are recycled: after the first few, no memory is allocated, and
//! at most four batches exist at a time, whatever the input's size.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread;

use anyhow::{anyhow, Result};
use csv::ByteRecord;

use super::lines::LineTracker;
use super::ByteStream;

/// A CSV parser over a stream that knows its line numbers.
pub type Parser = csv::Reader<LineTracker<ByteStream>>;

/// Records per batch: large enough to make hand-over cheap, small enough to stay in cache.
const BATCH: usize = 512;

struct Batch {
    records: Vec<ByteRecord>,
    /// Line (within the parsed stream) where each record starts.
    lines: Vec<u64>,
    len: usize,
}

impl Batch {
    fn new() -> Batch {
        Batch {
            records: Vec::with_capacity(BATCH),
            lines: Vec::with_capacity(BATCH),
            len: 0,
        }
    }
}

/// The main thread's end: records in order, with their lines.
pub struct RecordFeed {
    batches: Receiver<Result<Batch>>,
    recycle: Sender<Batch>,
    current: Batch,
    pos: usize,
    done: bool,
}

impl RecordFeed {
    /// Starts parsing the rest of `parser`'s stream on a new thread. `name` is for messages.
    pub fn spawn(parser: Parser, name: &str) -> Result<RecordFeed> {
        let (batches_tx, batches) = mpsc::sync_channel(2);
        let (recycle, recycled) = mpsc::channel();
        let name = name.to_owned();
        thread::Builder::new()
            .name("csv-parser".into())
            .spawn(move || parse(parser, &name, batches_tx, recycled))
            .map_err(|e| anyhow!("cannot start the CSV parser thread: {e}"))?;
        Ok(RecordFeed {
            batches,
            recycle,
            current: Batch::new(),
            pos: 0,
            done: false,
        })
    }

    /// The next record for which `skip` is false, and the line it starts on, or `None` after
    /// the last one. Skipped records are counted in `skipped`.
    pub fn next_record(
        &mut self,
        skip: impl Fn(&ByteRecord) -> bool,
        skipped: &mut u64,
    ) -> Result<Option<(&ByteRecord, u64)>> {
        loop {
            if self.pos < self.current.len {
                if !skip(&self.current.records[self.pos]) {
                    break;
                }
                *skipped += 1;
                self.pos += 1;
                continue;
            }
            if self.done {
                return Ok(None);
            }
            match self.batches.recv() {
                Ok(batch) => {
                    let used = std::mem::replace(&mut self.current, batch?);
                    // The parser may have finished; then the batch is simply dropped.
                    let _ = self.recycle.send(used);
                    self.pos = 0;
                }
                // The parser hung up: the input is at its end.
                Err(_) => self.done = true,
            }
        }
        let i = self.pos;
        self.pos += 1;
        Ok(Some((&self.current.records[i], self.current.lines[i])))
    }
}

/// The parser thread: fills batches until the input ends, an error occurs, or the main thread
/// stops listening (it failed or finished early).
fn parse(
    mut parser: Parser,
    name: &str,
    batches: SyncSender<Result<Batch>>,
    recycled: Receiver<Batch>,
) {
    loop {
        let mut batch = recycled.try_recv().unwrap_or_else(|_| Batch::new());
        batch.len = 0;
        let mut at_end = false;
        while batch.len < BATCH {
            if batch.records.len() == batch.len {
                batch.records.push(ByteRecord::new());
                batch.lines.push(0);
            }
            match parser.read_byte_record(&mut batch.records[batch.len]) {
                Ok(true) => {
                    let start = batch.records[batch.len].position().map_or(0, |p| p.byte());
                    batch.lines[batch.len] = parser.get_mut().line_of(start);
                    batch.len += 1;
                }
                Ok(false) => {
                    at_end = true;
                    break;
                }
                Err(e) => {
                    let _ = batches.send(Err(
                        anyhow::Error::new(e).context(format!("cannot read {name}"))
                    ));
                    return;
                }
            }
        }
        if batch.len > 0 && batches.send(Ok(batch)).is_err() {
            return;
        }
        if at_end {
            return;
        }
    }
}
