//! The SHA-256 of an input, computed from the bytes as they are read.
//!
//! The HTML report shows each input's hash so that a reader can tell which export it was made
//! from. Opening the file a second time to hash it would hash something else when the input is
//! a pipe, a FIFO or `<(...)` (already drained) or a file replaced in between; so the opener
//! wraps the raw byte stream in a [`HashingReader`], and the digest is the hash of exactly the
//! bytes the readers consumed. It is known only once the stream has been read to its end
//! (every reader reads to the end: CSV and JSON to check what follows the last record, and a
//! workbook's stream is drained for the hash while the workbook reader reads the file).

use std::io::{self, Read};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use sha2::{Digest, Sha256};

use super::schema::Schema;
use super::{InputInfo, RowAt, RowSource};
use crate::warnings::Warnings;

/// The digest's state, shared between the stream (on the parser's thread) and its source.
#[derive(Default)]
enum State {
    #[default]
    Empty,
    Hashing(Sha256),
    Done(String),
    /// A read failed: the bytes hashed are not the whole input.
    Broken,
}

/// Where the digest of a [`HashingReader`] ends up.
#[derive(Clone, Default)]
pub struct InputHash(Arc<Mutex<State>>);

impl InputHash {
    /// The SHA-256 as lower-case hex, once the stream reached its end; `None` before.
    pub fn hex(&self) -> Option<String> {
        match &*self.0.lock().ok()? {
            State::Done(hex) => Some(hex.clone()),
            _ => None,
        }
    }
}

/// Hashes the bytes read through it.
pub struct HashingReader<R> {
    inner: R,
    hash: InputHash,
}

impl<R: Read> HashingReader<R> {
    /// Wraps `inner`; the digest appears in the returned handle at the end of the stream.
    pub fn new(inner: R) -> (HashingReader<R>, InputHash) {
        let hash = InputHash(Arc::new(Mutex::new(State::Hashing(Sha256::new()))));
        let reader = HashingReader {
            inner,
            hash: hash.clone(),
        };
        (reader, hash)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let result = self.inner.read(buf);
        let Ok(mut state) = self.hash.0.lock() else {
            return result;
        };
        match (&result, &mut *state) {
            (Ok(0), State::Hashing(_)) if !buf.is_empty() => {
                if let State::Hashing(h) = std::mem::take(&mut *state) {
                    *state = State::Done(format!("{:x}", h.finalize()));
                }
            }
            (Ok(n), State::Hashing(h)) => h.update(&buf[..*n]),
            (Err(e), _) if e.kind() == io::ErrorKind::Interrupted => {}
            (Err(_), _) => *state = State::Broken,
            _ => {}
        }
        result
    }
}

/// A reader whose input is hashed; everything else is the inner reader's.
pub struct Hashed {
    pub inner: Box<dyn RowSource>,
    pub digest: InputHash,
}

impl RowSource for Hashed {
    fn schema(&self) -> &Schema {
        self.inner.schema()
    }
    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        self.inner.next_row(warnings)
    }
    fn estimated_rows(&self, file_size: Option<u64>) -> Option<u64> {
        self.inner.estimated_rows(file_size)
    }
    fn byte_counter(&self) -> Arc<AtomicU64> {
        self.inner.byte_counter()
    }
    fn info(&self) -> &InputInfo {
        self.inner.info()
    }
    fn header_warnings(&self) -> Vec<String> {
        self.inner.header_warnings()
    }
    fn sha256(&self) -> Option<String> {
        self.digest.hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads in pieces of `step` bytes, like a parser with a small buffer.
    fn read_in_steps(bytes: &[u8], step: usize) -> Option<String> {
        let (mut r, hash) = HashingReader::new(bytes);
        let mut buf = vec![0u8; step];
        assert_eq!(hash.hex(), None);
        while r.read(&mut buf).unwrap() > 0 {}
        hash.hex()
    }

    #[test]
    fn hashes_exactly_the_bytes_read() {
        let table: [(&[u8], &str); 2] = [
            (
                b"",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                b"abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
        ];
        for (bytes, want) in table {
            for step in [1, 2, 4096] {
                assert_eq!(read_in_steps(bytes, step).as_deref(), Some(want));
            }
        }
    }

    #[test]
    fn no_digest_before_the_end() {
        let (mut r, hash) = HashingReader::new(&b"abcdef"[..]);
        let mut buf = [0u8; 3];
        r.read_exact(&mut buf).unwrap();
        assert_eq!(hash.hex(), None);
        // An empty buffer is not the end of the stream.
        assert_eq!(r.read(&mut []).unwrap(), 0);
        assert_eq!(hash.hex(), None);
    }
}
