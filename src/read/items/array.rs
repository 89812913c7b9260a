//! The large case of a JSON export, a top-level array of objects (`ConvertTo-Json`, the
//! portal's download), read from memory one element at a time.
//!
//! serde_json reads a stream a byte at a time through its line and column counter, which made a
//! JSON export seven times slower to audit than the same users as CSV. Here a scan that follows
//! only strings and nesting finds where each element of the array ends, and serde_json parses
//! the element from a slice. The rest is [`super::stream_items`]'s: the same visitors and
//! handler, the same byte cap per element, and the same messages with the same line and column
//! (a test runs both readers over valid, broken and hostile files and compares every outcome).

use std::io::{self, Read};

use anyhow::{anyhow, Result};
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::{json_error_at, too_large, ItemHandler, Limited, UserSeed};
use crate::read::Limits;

/// JSON's white space, which serde_json skips between tokens.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\t' | b'\r')
}

/// The input, buffered, with the position serde_json would report: the line, and the bytes
/// read on it.
pub(super) struct Input<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    line: u64,
    col: u64,
    /// Bytes read since the last element ended (the cap counts them, as the stream reader's).
    used: u64,
    cap: u64,
}

/// Why reading stopped.
pub(super) enum Stop {
    /// An I/O error from the input.
    Io(io::Error),
    /// More than the cap since the last element: the line of the byte past it.
    TooLarge { line: u64 },
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Io(e)
    }
}

impl<R: Read> Input<R> {
    pub(super) fn new(inner: R, cap: u64) -> Input<R> {
        Input {
            inner,
            buf: vec![0; 256 * 1024],
            pos: 0,
            end: 0,
            eof: false,
            line: 1,
            col: 0,
            used: 0,
            cap,
        }
    }

    /// True when bytes are there to read; reads more when none are.
    fn fill(&mut self) -> io::Result<bool> {
        while self.pos == self.end && !self.eof {
            self.pos = 0;
            self.end = 0;
            match self.inner.read(&mut self.buf) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end = n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(self.pos < self.end)
    }

    /// The first byte that is not white space, without reading past it or counting it: how
    /// the file starts. `None` for a file of white space, or of more white space than the cap.
    pub(super) fn first_byte(&mut self) -> io::Result<Option<u8>> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            // Only looked at: the start of the buffer stays for a reader that wants it whole.
            if let Some(b) = self.buf[self.pos..self.end].iter().find(|b| !is_space(**b)) {
                return Ok(Some(*b));
            }
            if self.eof || self.buf.len() as u64 > self.cap {
                // White space to the end, or more of it than the cap: the stream reader reads
                // it and says what is wrong.
                return Ok(None);
            }
            if self.end < self.buf.len() && !self.eof {
                let (end, len) = (self.end, self.buf.len());
                match self.inner.read(&mut self.buf[end..len]) {
                    Ok(0) => self.eof = true,
                    Ok(n) => self.end += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            } else {
                // A buffer of white space; the file goes on. Rare: grow and look further.
                let len = self.buf.len();
                self.buf.resize(len * 2, 0);
            }
        }
    }

    /// The input from its start, for the stream reader, when the file is not an array.
    pub(super) fn into_reader(self) -> impl Read {
        io::Cursor::new(self.buf[self.pos..self.end].to_vec()).chain(self.inner)
    }

    /// Reads the next `n` buffered bytes: the position moves past them, and the cap is
    /// checked. Over the cap, only the bytes up to the first one past it are read, as the
    /// stream reader stops there.
    fn consume(&mut self, n: usize) -> Result<(), Stop> {
        let room = self.cap - self.used.min(self.cap);
        let over = n as u64 > room;
        let take = if over { room as usize + 1 } else { n };
        let bytes = &self.buf[self.pos..self.pos + take];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                self.col = (bytes.len() - last - 1) as u64;
            }
            None => self.col += bytes.len() as u64,
        }
        self.pos += take;
        self.used += take as u64;
        if over {
            return Err(Stop::TooLarge { line: self.line });
        }
        Ok(())
    }

    /// Skips white space; the next byte, not read, or `None` at the end of the input.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            let rest = &self.buf[self.pos..self.end];
            let spaces = rest
                .iter()
                .position(|b| !is_space(*b))
                .unwrap_or(rest.len());
            self.consume(spaces)?;
            if self.pos < self.end {
                return Ok(Some(self.buf[self.pos]));
            }
        }
    }

    /// Reads one byte already peeked.
    fn bump(&mut self) -> Result<(), Stop> {
        self.consume(1)
    }

    /// Where serde_json reports an error at the next byte, `next` (peeked): that byte counted.
    fn at_next(&self, next: Option<u8>) -> (u64, u64) {
        match next {
            Some(b'\n') => (self.line + 1, 0),
            Some(_) => (self.line, self.col + 1),
            None => (self.line, self.col),
        }
    }

    /// Reads one element whose first byte is peeked, into `out` (appended). False when the
    /// input ended inside it.
    fn element(&mut self, out: &mut Vec<u8>) -> Result<bool, Stop> {
        let mut scan = Scan::default();
        loop {
            if !self.fill()? {
                return Ok(false);
            }
            let (n, done) = scan.advance(&self.buf[self.pos..self.end]);
            let start = self.pos;
            let read = self.consume(n);
            out.extend_from_slice(&self.buf[start..self.pos]);
            read?;
            if done {
                return Ok(true);
            }
        }
    }
}

/// Where an element ends: nesting and strings followed across buffers.
#[derive(Default)]
struct Scan {
    started: bool,
    /// A scalar (number, literal): ends before white space, `,`, `]` or `}`.
    scalar: bool,
    depth: u64,
    in_string: bool,
    escaped: bool,
}

impl Scan {
    /// How many bytes of `bytes` belong to the element, and whether it ends with them.
    fn advance(&mut self, bytes: &[u8]) -> (usize, bool) {
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if !self.started {
                self.started = true;
                match b {
                    b'{' | b'[' => self.depth = 1,
                    b'"' => self.in_string = true,
                    _ => self.scalar = true,
                }
                i += 1;
                continue;
            }
            if self.scalar {
                if is_space(b) || matches!(b, b',' | b']' | b'}') {
                    return (i, true);
                }
                i += 1;
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Strings are most of an export: jump to the next quote or backslash.
                match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
                    None => return (bytes.len(), false),
                    Some(k) => {
                        i += k;
                        if bytes[i] == b'\\' {
                            self.escaped = true;
                        } else {
                            self.in_string = false;
                            if self.depth == 0 {
                                return (i + 1, true);
                            }
                        }
                        i += 1;
                        continue;
                    }
                }
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        (bytes.len(), false)
    }
}

/// Streams the elements of a top-level array whose `[` is the next byte of `input`.
pub(super) fn stream_array<R: Read>(
    input: &mut Input<R>,
    handler: &mut Limited<'_>,
    limits: Limits,
) -> Result<()> {
    let name = handler.name().to_owned();
    // An error of the file's structure, where serde_json reports it.
    let syntax = |message: &str, (line, column): (u64, u64)| {
        anyhow!(
            "{name}: line {line}, column {column}: not valid JSON: {message} at line {line} \
             column {column}\nhint: the file may be cut short; export it again (ConvertTo-Json \
             -Depth 4, or the Graph response saved whole)"
        )
    };
    let mut item = Vec::new();
    let result = (|| -> Result<Result<(), anyhow::Error>, Stop> {
        input.peek()?;
        input.bump()?;
        let mut first = true;
        loop {
            let next = input.peek()?;
            match next {
                None => return Ok(Err(syntax("EOF while parsing a list", input.at_next(None)))),
                Some(b']') => break,
                Some(b',') if !first => {
                    input.bump()?;
                    match input.peek()? {
                        Some(b']') => {
                            return Ok(Err(syntax("trailing comma", input.at_next(Some(b']')))))
                        }
                        None => {
                            return Ok(Err(syntax(
                                "EOF while parsing a value",
                                input.at_next(None),
                            )))
                        }
                        Some(_) => {}
                    }
                }
                Some(b) if !first => {
                    return Ok(Err(syntax("expected `,` or `]`", input.at_next(Some(b)))))
                }
                Some(_) => {}
            }
            first = false;
            // Where the element starts, for positions inside it.
            let (line, col) = (input.line, input.col);
            item.clear();
            // Parsed as the one element of an array, so that serde_json's nesting limit counts
            // the file's own array, as it does for the stream.
            item.push(b'[');
            let whole = match input.element(&mut item) {
                Ok(whole) => whole,
                Err(Stop::TooLarge { line: over }) => {
                    // A file broken before the cap is said broken, as the stream reader would
                    // have found it before reading that far. The last byte is the one whose
                    // reading passed the cap: left out, nothing it would complete is complete.
                    let before = &item[..item.len() - 1];
                    // Parsed into values, as the stream reader does (serde_json places some
                    // errors one byte apart when it only skips a string).
                    let syntax = serde_json::from_slice::<serde_json::Value>(before);
                    if let Err(e) = syntax.map(drop) {
                        if !e.is_eof() {
                            return Ok(Err(translate(&name, e, line, col)));
                        }
                    }
                    return Err(Stop::TooLarge { line: over });
                }
                Err(e) => return Err(e),
            };
            if whole {
                item.push(b']');
            }
            handler.lines.set(input.line - 1);
            if let Err(e) = parse_one(&item, handler, whole) {
                return Ok(Err(translate(&name, e, line, col)));
            }
            input.used = 0;
        }
        input.bump()?;
        if let Some(b) = input.peek()? {
            return Ok(Err(syntax("trailing characters", input.at_next(Some(b)))));
        }
        Ok(Ok(()))
    })();
    match result {
        Ok(outcome) => outcome,
        Err(Stop::Io(e)) => Err(anyhow::Error::new(e).context(format!("cannot read {name}"))),
        Err(Stop::TooLarge { line }) => {
            // The last byte is the one whose reading passed the cap: the stream reader stopped
            // there, before it could change the key.
            let read = item
                .get(1..item.len().saturating_sub(1))
                .unwrap_or_default();
            let key = current_key(read);
            Err(too_large(handler, limits, line, key.as_deref()))
        }
    }
}

/// Parses `[element]` (or `[element` cut short by the end of the file, when `whole` is false)
/// through the stream reader's visitors.
fn parse_one(item: &[u8], handler: &mut Limited<'_>, whole: bool) -> serde_json::Result<()> {
    let mut de = serde_json::Deserializer::from_slice(item);
    (&mut de).deserialize_any(OneElement(handler))?;
    if whole {
        de.end()?;
    }
    Ok(())
}

/// An error inside an element, with its position moved from the slice (after the added `[`)
/// to the file.
fn translate(name: &str, e: serde_json::Error, line: u64, col: u64) -> anyhow::Error {
    let (l, c) = (e.line() as u64, e.column() as u64);
    let (line, column) = if l <= 1 {
        (line, col + c.saturating_sub(1))
    } else {
        (line + l - 1, c)
    };
    json_error_at(name, e, line, column)
}

/// The one element of `[element]`.
struct OneElement<'a, 'h>(&'a mut Limited<'h>);

impl<'de> Visitor<'de> for OneElement<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of users")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        seq.next_element_seed(UserSeed(&mut *self.0))?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// The key of the element's own object whose value `partial` (the element as read before the
/// cap was passed) ends in, as the stream reader names it: set once a key is read, cleared once
/// its value is, `None` outside an object.
fn current_key(partial: &[u8]) -> Option<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        BeforeKey,
        InKey(usize),
        AfterKey,
        InString,
        Nested,
        Number,
        /// Letters of `true`, `false` or `null` still to come.
        Literal(u8),
        AfterValue,
    }
    if partial.first() != Some(&b'{') {
        return None;
    }
    let mut at = At::BeforeKey;
    let mut key: Option<&[u8]> = None;
    let (mut depth, mut in_string, mut escaped) = (1u64, false, false);
    for (i, &b) in partial.iter().enumerate().skip(1) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                match at {
                    At::InKey(start) => {
                        key = Some(&partial[start..=i]);
                        at = At::AfterKey;
                    }
                    At::InString if depth == 1 => at = At::AfterValue,
                    _ => {}
                }
            }
            continue;
        }
        if depth > 1 {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 1 {
                        at = At::AfterValue;
                    }
                }
                _ => {}
            }
            continue;
        }
        // A number ends at the first byte that is not part of it.
        if at == At::Number && !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            at = At::AfterValue;
        }
        match (b, at) {
            (b'"', At::BeforeKey) => {
                in_string = true;
                at = At::InKey(i);
            }
            (b'"', At::AfterKey) => {
                in_string = true;
                at = At::InString;
            }
            (b'{' | b'[', At::AfterKey) => {
                depth += 1;
                at = At::Nested;
            }
            (b'}', _) => return None,
            (b',', _) => {
                at = At::BeforeKey;
                key = None;
            }
            (b'-' | b'0'..=b'9', At::AfterKey) => at = At::Number,
            // A literal ends with its last letter (serde_json reads no further).
            (b'f', At::AfterKey) => at = At::Literal(4),
            (b, At::AfterKey) if b.is_ascii_alphabetic() => at = At::Literal(3),
            (_, At::Literal(1)) => at = At::AfterValue,
            (_, At::Literal(n)) => at = At::Literal(n - 1),
            _ => {}
        }
    }
    match at {
        At::AfterKey | At::InString | At::Nested | At::Number | At::Literal(_) => {
            key.and_then(|k| serde_json::from_slice::<String>(k).ok())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
