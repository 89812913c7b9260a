//! Users seen more than once, across all inputs.
//!
//! A tenant split over files, or an export appended to itself, repeats users. A UPN is the same
//! user whatever its letter case. The index is the only state kept per user, so it is built to
//! be small: an open-addressing table of 8-byte slots (a 24-bit tag of the UPN's 64-bit
//! fingerprint and where the user's record is), at most six sevenths full, so about 9.3 bytes
//! per user. The record itself (the lower-cased UPN, where the user was first seen, and a digest
//! of what that row said) goes to a spill file that is only read back when a tag matches, so a
//! million users cost about 9.5 MB of memory and 40 MB of (cached, temporary) disk.
//!
//! A tag or fingerprint match is never taken as the same user on its own: the earlier UPN is
//! read back and compared byte for byte, so two different users are never merged and one user
//! is never split, whatever the hash does (the tests force collisions with a constant hash).

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};

use xxhash_rust::xxh3::xxh3_64;

use crate::audit::classify::{Bucket, Methods, Verdict};

/// Where and how a user was first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstSeen {
    /// Index of the input; `None` past the 1,023rd input.
    pub input: Option<usize>,
    /// Line (or row) number; `None` past u32::MAX.
    pub line: Option<u64>,
    pub bucket: Bucket,
    /// Bucket, MFA Status and methods all equal (by a 64-bit digest).
    pub same_data: bool,
}

/// Slots hold `tag << OFFSET_BITS | (record offset + 1)`; 0 is an empty slot.
const OFFSET_BITS: u32 = 40;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
/// Inputs past this many are not named (as before: `None`).
const INPUT_LIMIT: usize = (1 << 10) - 1;
/// The spill stays in memory up to this size, so small audits never touch the disk (and a
/// write of this size costs little next to parsing it).
const TAIL_MAX: usize = 1 << 16;
/// Record header: line (u32), input (u16), bucket (u8), digest (u64), UPN length (u32).
const HEADER: usize = 4 + 2 + 1 + 8 + 4;

/// How a lower-cased UPN becomes a 64-bit fingerprint (a weak one is injected in tests).
type KeyFn = fn(&[u8]) -> u64;

pub struct UpnIndex {
    slots: Vec<u64>,
    len: usize,
    spill: Spill,
    key_of: KeyFn,
    /// Scratch space for lower-cased text, reused across rows.
    scratch: Vec<u8>,
    /// The record read back on a tag match.
    earlier: Vec<u8>,
}

impl Default for UpnIndex {
    fn default() -> UpnIndex {
        UpnIndex::with_key(xxh3_64)
    }
}

impl UpnIndex {
    pub fn new() -> UpnIndex {
        UpnIndex::default()
    }

    fn with_key(key_of: KeyFn) -> UpnIndex {
        UpnIndex {
            slots: Vec::new(),
            len: 0,
            spill: Spill::default(),
            key_of,
            scratch: Vec::new(),
            earlier: Vec::new(),
        }
    }

    /// Makes room for about `users` more users at once (from the input's estimated row count),
    /// so that the table is not rebuilt while it grows.
    pub fn reserve(&mut self, users: usize) -> io::Result<()> {
        let want = slots_for(self.len.saturating_add(users));
        if want > self.slots.len() {
            self.rebuild(want)?;
        }
        Ok(())
    }

    /// Distinct users recorded.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Records a user; returns where it was seen before if it was.
    pub fn insert(
        &mut self,
        verdict: &Verdict,
        input: usize,
        line: u64,
    ) -> io::Result<Option<FirstSeen>> {
        let digest = digest(&mut self.scratch, verdict);
        self.scratch.clear();
        push_lower(&mut self.scratch, verdict.upn.trim());
        let key = (self.key_of)(&self.scratch);
        let upn = std::mem::take(&mut self.scratch);
        let found = self.find(key, &upn);
        let result = match found {
            Ok(Found::At(at)) => {
                let first = read_first(&self.spill, at, &mut self.earlier)?;
                Ok(Some(FirstSeen {
                    same_data: first.digest == digest,
                    ..first.seen
                }))
            }
            Ok(Found::Free(_)) => self.add(key, &upn, input, line, verdict.bucket, digest),
            Err(e) => Err(e),
        };
        self.scratch = upn;
        result
    }

    /// Where the user named `name` (any letter case) was first seen, as (input, line), each
    /// `None` past what the index keeps.
    pub fn first_place(&self, name: &str) -> io::Result<Option<(Option<usize>, Option<u64>)>> {
        if self.len == 0 {
            return Ok(None);
        }
        let mut lowered = Vec::with_capacity(name.len());
        push_lower(&mut lowered, name.trim());
        let mut earlier = Vec::new();
        match find_in(
            &self.slots,
            &self.spill,
            (self.key_of)(&lowered),
            &lowered,
            &mut earlier,
        )? {
            Found::At(at) => {
                let first = read_first(&self.spill, at, &mut earlier)?;
                Ok(Some((first.seen.input, first.seen.line)))
            }
            Found::Free(_) => Ok(None),
        }
    }

    fn find(&mut self, key: u64, upn: &[u8]) -> io::Result<Found> {
        find_in(&self.slots, &self.spill, key, upn, &mut self.earlier)
    }

    fn add(
        &mut self,
        key: u64,
        upn: &[u8],
        input: usize,
        line: u64,
        bucket: Bucket,
        digest: u64,
    ) -> io::Result<Option<FirstSeen>> {
        if slots_for(self.len + 1) > self.slots.len() {
            let grown = (self.slots.len() * 2).max(slots_for(self.len + 1)).max(64);
            self.rebuild(grown)?;
        }
        let at = self.spill.append(input, line, bucket, digest, upn)?;
        place(&mut self.slots, key, at);
        self.len += 1;
        Ok(None)
    }

    /// Rebuilds the table with `slots` slots from the spilled records (the table keeps only
    /// tags, not whole fingerprints). The old table is freed first, so growing never holds
    /// two tables at once.
    fn rebuild(&mut self, slots: usize) -> io::Result<()> {
        self.slots = Vec::new();
        let mut table = zeroed_table(slots);
        let key_of = self.key_of;
        self.spill
            .for_each(|at, upn| place(&mut table, key_of(upn), at))?;
        self.slots = table;
        Ok(())
    }
}

/// Slots needed to keep `users` at most six sevenths full: linear probing stays short (the
/// probes of one lookup share a cache line or two) while the table stays under 10 bytes a user.
fn slots_for(users: usize) -> usize {
    users.saturating_add(users / 6).saturating_add(1)
}

/// A table of `slots` empty slots. Lookups land on random slots, so past a few megabytes nearly
/// each one misses the TLB as well as the cache; on Linux the table asks for huge pages (one
/// TLB entry covers 2 MiB instead of 4 KiB), where the system grants them on request.
fn zeroed_table(slots: usize) -> Vec<u64> {
    // Zeroed memory this large comes from the system untouched: advised before the first
    // write, its pages are backed as advised.
    let table = vec![0u64; slots];
    #[cfg(target_os = "linux")]
    advise_huge_pages(&table);
    table
}

#[cfg(target_os = "linux")]
fn advise_huge_pages(table: &[u64]) {
    const HUGE_PAGE: usize = 2 << 20;
    const PAGE: usize = 4096;
    let bytes = std::mem::size_of_val(table);
    if bytes < 2 * HUGE_PAGE {
        return;
    }
    let start = table.as_ptr() as usize;
    let aligned = (start + PAGE - 1) & !(PAGE - 1);
    let len = (start + bytes - aligned) & !(PAGE - 1);
    // SAFETY: [aligned, aligned + len) lies within the table's allocation, page-aligned as
    // madvise requires. MADV_HUGEPAGE changes how the pages are backed, never what they hold;
    // where it fails (no transparent huge pages) nothing changes, so the result is ignored.
    unsafe {
        libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
    }
}

enum Found {
    /// The offset of the user's record.
    At(u64),
    /// Not there; the free slot where it would go.
    #[allow(dead_code)]
    Free(usize),
}

/// The slot a fingerprint starts probing at: its high bits scaled to the table size, so the
/// table can be any size, not only a power of two (it is sized from the input's estimate).
fn home(key: u64, slots: usize) -> usize {
    ((u128::from(key) * slots as u128) >> 64) as usize
}

/// The low 24 bits: independent of the bits that choose the home slot.
fn tag(key: u64) -> u64 {
    key & 0xFF_FFFF
}

fn place(slots: &mut [u64], key: u64, at: u64) {
    let n = slots.len();
    let mut i = home(key, n);
    while slots[i] != 0 {
        i = if i + 1 == n { 0 } else { i + 1 };
    }
    slots[i] = tag(key) << OFFSET_BITS | (at + 1);
}

/// Linear probing; on a tag match the earlier UPN is read back and compared exactly.
fn find_in(
    slots: &[u64],
    spill: &Spill,
    key: u64,
    upn: &[u8],
    record: &mut Vec<u8>,
) -> io::Result<Found> {
    let n = slots.len();
    if n == 0 {
        return Ok(Found::Free(0));
    }
    let mut i = home(key, n);
    loop {
        let slot = slots[i];
        if slot == 0 {
            return Ok(Found::Free(i));
        }
        if slot >> OFFSET_BITS == tag(key) {
            let at = (slot & OFFSET_MASK) - 1;
            spill.read(at, record)?;
            if &record[HEADER..] == upn {
                return Ok(Found::At(at));
            }
        }
        i = if i + 1 == n { 0 } else { i + 1 };
    }
}

struct First {
    seen: FirstSeen,
    digest: u64,
}

fn read_first(spill: &Spill, at: u64, record: &mut Vec<u8>) -> io::Result<First> {
    spill.read(at, record)?;
    let line = u32::from_le_bytes(record[0..4].try_into().expect("4 bytes"));
    let input = u16::from_le_bytes(record[4..6].try_into().expect("2 bytes"));
    let bucket = match record[6] {
        0 => Bucket::Registered,
        1 => Bucket::Unregistered,
        2 => Bucket::Blocked,
        _ => Bucket::Unknown,
    };
    let digest = u64::from_le_bytes(record[7..15].try_into().expect("8 bytes"));
    Ok(First {
        seen: FirstSeen {
            input: (usize::from(input) < INPUT_LIMIT).then_some(usize::from(input)),
            line: (line < u32::MAX).then_some(u64::from(line)),
            bucket,
            same_data: false,
        },
        digest,
    })
}

/// A UPN's 64-bit fingerprint, ignoring letter case; `scratch` is reused between calls.
pub fn upn_fingerprint(scratch: &mut Vec<u8>, upn: &str) -> u64 {
    scratch.clear();
    push_lower(scratch, upn.trim());
    xxh3_64(scratch)
}

/// A hash of what the row says: bucket, MFA Status and methods, ignoring case.
fn digest(buf: &mut Vec<u8>, v: &Verdict) -> u64 {
    buf.clear();
    buf.push(bucket_bits(v.bucket));
    push_lower(buf, v.status.as_str());
    match &v.methods {
        Methods::Names(names) => {
            for n in names {
                buf.push(0);
                push_lower(buf, n);
            }
        }
        Methods::TwoOrMoreUnnamed => buf.push(0xFF),
        Methods::NotListed => buf.push(0xFE),
    }
    xxh3_64(buf)
}

/// Appends `text` in lower case (Unicode-aware, without allocating for ASCII).
fn push_lower(buf: &mut Vec<u8>, text: &str) {
    if text.is_ascii() {
        let start = buf.len();
        buf.extend_from_slice(text.as_bytes());
        buf[start..].make_ascii_lowercase();
    } else {
        let mut utf8 = [0u8; 4];
        for c in text.chars().flat_map(char::to_lowercase) {
            buf.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

fn bucket_bits(b: Bucket) -> u8 {
    match b {
        Bucket::Registered => 0,
        Bucket::Unregistered => 1,
        Bucket::Blocked => 2,
        Bucket::Unknown => 3,
    }
}

/// The users' records, in the order they were first seen: the last 64 KiB in memory, the
/// rest in an anonymous temporary file (deleted by the system however the process ends).
/// Where no temporary file can be made (a read-only system), every record stays in memory:
/// more memory, the same answers.
#[derive(Default)]
struct Spill {
    file: Option<File>,
    /// No temporary file could be made: the tail holds every record.
    in_memory: bool,
    /// Bytes in the file; every flush writes whole records.
    flushed: u64,
    /// Where each flush started in the file, so a rebuild reads whole records per block.
    blocks: Vec<u64>,
    tail: Vec<u8>,
}

impl Spill {
    fn append(
        &mut self,
        input: usize,
        line: u64,
        bucket: Bucket,
        digest: u64,
        upn: &[u8],
    ) -> io::Result<u64> {
        let at = self.flushed + self.tail.len() as u64;
        let size = (HEADER + upn.len()) as u64;
        let len = u32::try_from(upn.len())
            .ok()
            .filter(|_| at + size < OFFSET_MASK);
        let Some(len) = len else {
            return Err(io::Error::other(
                "too many distinct users for the duplicate index (over a terabyte of UPNs)",
            ));
        };
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let input = u16::try_from(input.min(INPUT_LIMIT)).unwrap_or(u16::MAX);
        self.tail.extend_from_slice(&line.to_le_bytes());
        self.tail.extend_from_slice(&input.to_le_bytes());
        self.tail.push(bucket_bits(bucket));
        self.tail.extend_from_slice(&digest.to_le_bytes());
        self.tail.extend_from_slice(&len.to_le_bytes());
        self.tail.extend_from_slice(upn);
        if self.tail.len() >= TAIL_MAX {
            self.flush()?;
        }
        Ok(at)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.in_memory {
            return Ok(());
        }
        let file = match &mut self.file {
            Some(f) => f,
            None => match tempfile::tempfile() {
                Ok(f) => self.file.insert(f),
                Err(_) => {
                    self.in_memory = true;
                    return Ok(());
                }
            },
        };
        file.seek(SeekFrom::End(0))?;
        file.write_all(&self.tail)?;
        self.blocks.push(self.flushed);
        self.flushed += self.tail.len() as u64;
        self.tail.clear();
        Ok(())
    }

    /// Reads the whole record at `at` into `out`.
    fn read(&self, at: u64, out: &mut Vec<u8>) -> io::Result<()> {
        out.clear();
        if at >= self.flushed {
            let rec = &self.tail[(at - self.flushed) as usize..];
            let len = record_len(rec);
            out.extend_from_slice(&rec[..len]);
            return Ok(());
        }
        let file = self.file.as_ref().expect("flushed records have a file");
        out.resize(HEADER, 0);
        read_at(file, out, at)?;
        let len = record_len(out);
        out.resize(len, 0);
        read_at(file, &mut out[HEADER..], at + HEADER as u64)
    }

    /// Calls `f(offset, upn)` for every record, in order.
    fn for_each(&mut self, mut f: impl FnMut(u64, &[u8])) -> io::Result<()> {
        fn walk(base: u64, mut bytes: &[u8], f: &mut impl FnMut(u64, &[u8])) {
            let mut at = base;
            while !bytes.is_empty() {
                let len = record_len(bytes);
                f(at, &bytes[HEADER..len]);
                at += len as u64;
                bytes = &bytes[len..];
            }
        }
        if let Some(file) = &mut self.file {
            file.seek(SeekFrom::Start(0))?;
            let mut reader = BufReader::with_capacity(1 << 16, &*file);
            let mut block = Vec::new();
            for (i, &start) in self.blocks.iter().enumerate() {
                let end = self.blocks.get(i + 1).copied().unwrap_or(self.flushed);
                block.resize((end - start) as usize, 0);
                reader.read_exact(&mut block)?;
                walk(start, &block, &mut f);
            }
        }
        walk(self.flushed, &self.tail, &mut f);
        Ok(())
    }
}

fn record_len(rec: &[u8]) -> usize {
    HEADER + u32::from_le_bytes(rec[15..19].try_into().expect("4 bytes")) as usize
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    // seek_read moves the cursor; appends seek to the end first.
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_read(file, buf, at)?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buf = &mut buf[n..];
        at += n as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
