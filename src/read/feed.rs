//! Rows produced on a second thread and handed over in recycled batches.
//!
//! Reading and parsing (CSV records, or workbook cells) is a third of an audit's work and needs
//! nothing from classification, so a producer thread fills batches of items while the main
//! thread classifies and writes. Batches are recycled: after the first few, no memory is
//! allocated, and at most four batches exist at a time, whatever the input's size.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::thread::{self, JoinHandle};

use anyhow::{anyhow, Result};

/// Items per batch: large enough to make hand-over cheap, small enough to stay in cache.
const BATCH: usize = 512;

struct Batch<T> {
    items: Vec<T>,
    len: usize,
}

impl<T> Batch<T> {
    fn new() -> Batch<T> {
        Batch {
            items: Vec::with_capacity(BATCH),
            len: 0,
        }
    }
}

/// The producer's end: hands filled slots to the main thread.
pub struct Producer<T> {
    batches: SyncSender<Result<Batch<T>>>,
    recycled: Receiver<Batch<T>>,
}

impl<T: Default> Producer<T> {
    /// Calls `fill` on reused slots until it returns `Ok(false)` (the input ended) or an
    /// error, which the main thread receives in order after the items before it. Returns early
    /// when the main thread stops listening (it failed or finished early).
    pub fn run(self, mut fill: impl FnMut(&mut T) -> Result<bool>) {
        let mut pusher = self.pusher();
        loop {
            match fill(pusher.slot()) {
                Ok(true) => {
                    if !pusher.commit() {
                        return;
                    }
                }
                Ok(false) => return pusher.finish(),
                Err(e) => return pusher.fail(e),
            }
        }
    }

    /// For producers that are called back (a streaming parser's visitor) rather than asked:
    /// fill [`Pusher::slot`], then [`Pusher::commit`] it.
    pub fn pusher(self) -> Pusher<T> {
        Pusher {
            producer: self,
            batch: Batch::new(),
        }
    }
}

/// See [`Producer::pusher`].
pub struct Pusher<T> {
    producer: Producer<T>,
    batch: Batch<T>,
}

impl<T: Default> Pusher<T> {
    /// The next slot to fill (a reused item: clear what you do not overwrite).
    pub fn slot(&mut self) -> &mut T {
        let batch = &mut self.batch;
        if batch.items.len() == batch.len {
            batch.items.push(T::default());
        }
        &mut batch.items[batch.len]
    }

    /// Keeps the slot; hands the batch over when it is full. False when the main thread has
    /// stopped listening: stop producing.
    pub fn commit(&mut self) -> bool {
        self.batch.len += 1;
        if self.batch.len < BATCH {
            return true;
        }
        let mut next = self
            .producer
            .recycled
            .try_recv()
            .unwrap_or_else(|_| Batch::new());
        next.len = 0;
        let full = std::mem::replace(&mut self.batch, next);
        self.producer.batches.send(Ok(full)).is_ok()
    }

    /// The input ended: hands over what is left, then the end marker (an empty batch), so
    /// that the main thread can tell the end of the input from a reader that died.
    pub fn finish(self) {
        if self.batch.len > 0 && self.producer.batches.send(Ok(self.batch)).is_err() {
            return;
        }
        let _ = self.producer.batches.send(Ok(Batch::new()));
    }

    /// Hands over what is left, then the error.
    pub fn fail(self, error: anyhow::Error) {
        if self.batch.len > 0 && self.producer.batches.send(Ok(self.batch)).is_err() {
            return;
        }
        let _ = self.producer.batches.send(Err(error));
    }
}

/// The main thread's end: items in order.
pub struct Feed<T> {
    batches: Receiver<Result<Batch<T>>>,
    recycle: Sender<Batch<T>>,
    current: Batch<T>,
    pos: usize,
    done: bool,
    /// The producer thread; it returns why it died when it did (a panic in a parser). Joined
    /// when its channel closes without the end marker, so that the reason is its own.
    thread: Option<JoinHandle<Result<(), String>>>,
}

impl<T: Default + Send + 'static> Feed<T> {
    /// Starts `body` on a new thread named `thread_name`; it produces through the
    /// [`Producer`] it is given.
    pub fn spawn(
        thread_name: &str,
        body: impl FnOnce(Producer<T>) + Send + 'static,
    ) -> Result<Feed<T>> {
        let (batches_tx, batches) = mpsc::sync_channel(2);
        let (recycle, recycled) = mpsc::channel();
        let producer = Producer {
            batches: batches_tx,
            recycled,
        };
        let thread = thread::Builder::new()
            .name(thread_name.into())
            .spawn(move || crate::panics::catch(|| body(producer)))
            .map_err(|e| anyhow!("cannot start the {thread_name} thread: {e}"))?;
        Ok(Feed {
            batches,
            recycle,
            current: Batch::new(),
            pos: 0,
            done: false,
            thread: Some(thread),
        })
    }

    /// The error for a producer that went away before saying it had opened its input.
    pub fn died(&mut self, name: &str) -> anyhow::Error {
        anyhow!(
            "{name}: the reader failed on this file ({}); nothing was written\n\
             hint: the file is probably damaged or not what its name says; export it again",
            self.why_it_died()
        )
    }

    /// Why the producer died, from its thread. Called once its channels are closed, when the
    /// thread has ended or is about to, so the join does not wait on anything.
    fn why_it_died(&mut self) -> String {
        let Some(thread) = self.thread.take() else {
            return "it stopped without a reason".to_owned();
        };
        match thread.join() {
            Ok(Err(why)) => why,
            Ok(Ok(())) => "it stopped without a reason".to_owned(),
            // `catch` turns panics into errors; this is a panic in the panic hook itself.
            Err(payload) => payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "an unknown failure".to_owned()),
        }
    }

    /// The next item for which `skip` is false, or `None` after the last one. Skipped items
    /// are counted in `skipped`.
    pub fn next(&mut self, skip: impl Fn(&T) -> bool, skipped: &mut u64) -> Result<Option<&T>> {
        loop {
            if self.pos < self.current.len {
                if !skip(&self.current.items[self.pos]) {
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
                // The end marker.
                Ok(Ok(batch)) if batch.len == 0 => self.done = true,
                Ok(batch) => {
                    let used = std::mem::replace(&mut self.current, batch?);
                    // The producer may have finished; then the batch is simply dropped.
                    let _ = self.recycle.send(used);
                    self.pos = 0;
                }
                // The producer went away without the end marker: rows may be missing, so this
                // is an error, never a quiet end.
                Err(_) => {
                    let why = self.why_it_died();
                    return Err(anyhow!(
                        "the input's reader failed before its end ({why}); nothing was written\n\
                         hint: the file is probably damaged; export it again"
                    ));
                }
            }
        }
        let i = self.pos;
        self.pos += 1;
        Ok(Some(&self.current.items[i]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_arrive_in_order_across_batches_then_the_error() {
        let mut feed = Feed::spawn("test", |p: Producer<u64>| {
            let mut n = 0;
            p.run(|slot| {
                n += 1;
                if n == 1300 {
                    return Err(anyhow!("broken at 1300"));
                }
                *slot = n;
                Ok(true)
            })
        })
        .unwrap();
        let mut skipped = 0;
        let mut seen = Vec::new();
        let err = loop {
            match feed.next(|n| n % 100 == 0, &mut skipped) {
                Ok(Some(n)) => seen.push(*n),
                Ok(None) => panic!("the error was lost"),
                Err(e) => break e,
            }
        };
        assert_eq!(skipped, 12);
        assert_eq!(seen.len(), 1299 - 12);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(err.to_string(), "broken at 1300");
    }

    #[test]
    fn a_reader_that_dies_is_an_error_not_an_early_end() {
        let mut feed = Feed::spawn("test", |p: Producer<u64>| {
            let mut n = 0;
            p.run(|slot| {
                n += 1;
                assert!(n < 700, "parser bug");
                *slot = n;
                Ok(true)
            })
        })
        .unwrap();
        let mut seen = 0;
        let err = loop {
            match feed.next(|_| false, &mut 0) {
                Ok(Some(_)) => seen += 1,
                Ok(None) => panic!("a dead reader was taken for the end of the input"),
                Err(e) => break e.to_string(),
            }
        };
        assert_eq!(seen, 512);
        assert!(err.contains("parser bug"), "{err}");
    }

    #[test]
    fn the_reason_comes_from_the_thread_itself() {
        type Body = fn(Producer<u8>);
        let cases: [(Body, &str); 2] = [
            (|_p| panic!("bad cell at B7"), "bad cell at B7"),
            (drop, "it stopped without a reason"),
        ];
        for (body, want) in cases {
            let mut feed = Feed::spawn("test", body).unwrap();
            let err = feed.next(|_| false, &mut 0).unwrap_err().to_string();
            assert!(err.contains(want), "{err}");
            let mut feed = Feed::spawn("test", body).unwrap();
            let err = feed.died("x.xlsx").to_string();
            assert!(
                err.starts_with("x.xlsx: the reader failed") && err.contains(want),
                "{err}"
            );
        }
    }

    #[test]
    fn an_empty_input_ends_at_once() {
        let mut feed = Feed::spawn("test", |p: Producer<u8>| p.run(|_| Ok(false))).unwrap();
        assert!(feed.next(|_| false, &mut 0).unwrap().is_none());
        assert!(feed.next(|_| false, &mut 0).unwrap().is_none());
    }
}
