//! Physical line numbers of CSV records.
//!
//! The csv crate's record positions point just past the previous record's first terminator
//! byte, with blank lines folded into the next record, so its line numbers drift after blank
//! lines and quoted line breaks. Messages must name the right line, so the bytes the parser
//! reads pass through [`LineTracker`], which remembers where newlines are (only those not yet
//! behind the parser: memory is bounded by its read-ahead) and turns a record's reported start
//! into the line it really starts on. The parser owns the tracker; ask it through
//! `csv::Reader::get_mut`.

use std::collections::VecDeque;
use std::io::{self, Read};

#[derive(Debug, Default)]
pub struct LineIndex {
    /// Bytes seen so far.
    seen: u64,
    /// Newlines not yet behind a record start: (offset, the line before it held only CRs).
    pending: VecDeque<(u64, bool)>,
    /// True while only CR bytes were seen since the last newline.
    only_cr: bool,
    /// Newlines before the last record start.
    counted: u64,
    /// Quote characters seen: escaped quotes come in pairs, so an odd count at the end of the
    /// input means a quoted field never closed.
    quotes: u64,
}

impl LineIndex {
    fn new() -> LineIndex {
        LineIndex {
            only_cr: true,
            ..LineIndex::default()
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.quotes += memchr::memchr_iter(b'"', bytes).count() as u64;
        let mut last = 0;
        for i in memchr::memchr_iter(b'\n', bytes) {
            let line = &bytes[last..i];
            let only_cr = self.only_cr && line.iter().all(|b| *b == b'\r');
            self.pending.push_back((self.seen + i as u64, only_cr));
            self.only_cr = true;
            last = i + 1;
        }
        let tail = &bytes[last..];
        self.only_cr = self.only_cr && tail.iter().all(|b| *b == b'\r');
        self.seen += bytes.len() as u64;
    }

    /// The 1-based line of a record whose reported start is byte `start`. Calls must come in
    /// increasing order of `start`.
    pub fn line_of(&mut self, start: u64) -> u64 {
        while let Some(&(at, _)) = self.pending.front() {
            if at >= start {
                break;
            }
            self.counted += 1;
            self.pending.pop_front();
        }
        // The rest of the previous terminator and blank lines belong before the record.
        let mut first = true;
        while let Some(&(at, only_cr)) = self.pending.front() {
            if !((first && at == start) || only_cr) {
                break;
            }
            self.counted += 1;
            self.pending.pop_front();
            first = false;
        }
        self.counted + 1
    }
}

/// Passes bytes through, indexing newlines.
pub struct LineTracker<R> {
    inner: R,
    index: LineIndex,
}

impl<R: Read> LineTracker<R> {
    pub fn new(inner: R) -> LineTracker<R> {
        LineTracker {
            inner,
            index: LineIndex::new(),
        }
    }

    /// See [`LineIndex::line_of`].
    pub fn line_of(&mut self, start: u64) -> u64 {
        self.index.line_of(start)
    }

    /// True when an odd number of quote characters went through: at the end of the input, a
    /// quoted field that never closed (or a stray quote in an unquoted field).
    pub fn quote_open(&self) -> bool {
        self.index.quotes % 2 == 1
    }
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.index.feed(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of every record as the csv crate reports them, corrected.
    fn lines(data: &str) -> Vec<(String, u64)> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(7) // small reads: newlines arrive across many chunks
            .from_reader(LineTracker::new(data.as_bytes()));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut rec).unwrap() {
            let line = reader.get_mut().line_of(rec.position().unwrap().byte());
            out.push((String::from_utf8_lossy(&rec[0]).into_owned(), line));
        }
        out
    }

    #[test]
    fn lines_survive_crlf_blank_lines_and_quoted_breaks() {
        let cases: &[(&str, &[(&str, u64)])] = &[
            ("h\r\na\r\nb\r\n", &[("h", 1), ("a", 2), ("b", 3)]),
            ("h\na\nb", &[("h", 1), ("a", 2), ("b", 3)]),
            (
                "h\r\na\r\n\r\n\"x\ny\",z\r\n,\r\nlast,1",
                &[("h", 1), ("a", 2), ("x\ny", 4), ("", 6), ("last", 7)],
            ),
            ("h\n\n\n\na\n", &[("h", 1), ("a", 5)]),
            (
                "h\r\n\"1\r\n2\r\n3\"\r\nnext\r\n",
                &[("h", 1), ("1\r\n2\r\n3", 2), ("next", 5)],
            ),
        ];
        for (data, want) in cases {
            let got = lines(data);
            let want: Vec<(String, u64)> = want.iter().map(|(s, l)| (s.to_string(), *l)).collect();
            assert_eq!(got, want, "{data:?}");
        }
    }
}
