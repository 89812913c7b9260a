//! Users seen more than once, across all inputs.
//!
//! A tenant split over files, or an export appended to itself, repeats users. A UPN is the same
//! user whatever its letter case. The index keeps 16 bytes per distinct user, not the UPN text:
//! a 64-bit fingerprint of the lower-cased UPN, and where the user was first seen with a short
//! digest of what that row said, so that a repeat can name the first place and say whether the
//! two rows disagree. Two different UPNs share a fingerprint with a probability of about
//! n²/2⁶⁵ (3·10⁻⁸ for a million users); such a collision would still show, since every
//! duplicate is named with both places in a warning.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
    /// Bucket, MFA Status and methods all equal (by digest).
    pub same_data: bool,
}

/// Fingerprints are already hashes: the map uses them as they are.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys are hashed")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Default)]
pub struct UpnIndex {
    seen: HashMap<u64, u64, BuildHasherDefault<PassThrough>>,
    /// Scratch space for lower-cased text, reused across rows.
    scratch: Vec<u8>,
}

const INPUT_BITS: u32 = 10;
const DIGEST_BITS: u32 = 20;

impl UpnIndex {
    pub fn new() -> UpnIndex {
        UpnIndex::default()
    }

    /// Makes room for about `users` more users at once, so that the table is not rebuilt
    /// (and briefly held twice) while it grows.
    pub fn reserve(&mut self, users: usize) {
        self.seen.reserve(users);
    }

    /// Distinct users recorded.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Records a user; returns where it was seen before if it was.
    pub fn insert(&mut self, verdict: &Verdict, input: usize, line: u64) -> Option<FirstSeen> {
        let key = self.fingerprint(verdict.upn);
        let digest = self.digest(verdict);
        match self.seen.entry(key) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(pack(input, line, verdict.bucket, digest));
                None
            }
            std::collections::hash_map::Entry::Occupied(e) => Some(unpack(*e.get(), digest)),
        }
    }

    /// Where the user with fingerprint `key` ([`upn_fingerprint`]) was first seen, as (input,
    /// line), each `None` past what the index keeps.
    pub fn first_place(&self, key: u64) -> Option<(Option<usize>, Option<u64>)> {
        self.seen.get(&key).map(|&p| {
            let first = unpack(p, 0);
            (first.input, first.line)
        })
    }

    fn fingerprint(&mut self, upn: &str) -> u64 {
        upn_fingerprint(&mut self.scratch, upn)
    }

    /// A short hash of what the row says: bucket, MFA Status and methods, ignoring case.
    fn digest(&mut self, v: &Verdict) -> u32 {
        let buf = &mut self.scratch;
        buf.clear();
        buf.push(bucket_bits(v.bucket) as u8);
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
        (xxh3_64(buf) as u32) & ((1 << DIGEST_BITS) - 1)
    }
}

/// A UPN's 64-bit fingerprint, ignoring letter case; `scratch` is reused between calls.
pub fn upn_fingerprint(scratch: &mut Vec<u8>, upn: &str) -> u64 {
    scratch.clear();
    push_lower(scratch, upn.trim());
    xxh3_64(scratch)
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

fn bucket_bits(b: Bucket) -> u64 {
    match b {
        Bucket::Registered => 0,
        Bucket::Unregistered => 1,
        Bucket::Blocked => 2,
        Bucket::Unknown => 3,
    }
}

/// line: 32 bits | input: 10 bits | bucket: 2 bits | digest: 20 bits.
fn pack(input: usize, line: u64, bucket: Bucket, digest: u32) -> u64 {
    let line = line.min(u32::MAX as u64);
    let input = (input as u64).min((1 << INPUT_BITS) - 1);
    (line << 32) | (input << 22) | (bucket_bits(bucket) << 20) | u64::from(digest)
}

fn unpack(p: u64, digest: u32) -> FirstSeen {
    let line = p >> 32;
    let input = ((p >> 22) & ((1 << INPUT_BITS) - 1)) as usize;
    let bucket = match (p >> 20) & 3 {
        0 => Bucket::Registered,
        1 => Bucket::Unregistered,
        2 => Bucket::Blocked,
        _ => Bucket::Unknown,
    };
    FirstSeen {
        input: (input < (1 << INPUT_BITS) - 1).then_some(input),
        line: (line < u32::MAX as u64).then_some(line),
        bucket,
        same_data: (p as u32) & ((1 << DIGEST_BITS) - 1) == digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::audit::classify::test_verdict as verdict;

    #[test]
    fn case_insensitive_with_first_place_and_conflicts() {
        let mut idx = UpnIndex::new();
        assert_eq!(
            idx.insert(
                &verdict("Ann@Contoso.com", Bucket::Registered, &["OneWaySMS"]),
                0,
                7
            ),
            None
        );
        assert_eq!(
            idx.insert(&verdict("bob@contoso.com", Bucket::Unregistered, &[]), 0, 8),
            None
        );
        let same = idx
            .insert(
                &verdict("ann@contoso.COM", Bucket::Registered, &["onewaysms"]),
                2,
                99,
            )
            .unwrap();
        assert_eq!(
            same,
            FirstSeen {
                input: Some(0),
                line: Some(7),
                bucket: Bucket::Registered,
                same_data: true
            }
        );
        let other = idx
            .insert(&verdict("ANN@contoso.com", Bucket::Blocked, &[]), 1, 3)
            .unwrap();
        assert!(!other.same_data);
        assert_eq!(
            idx.insert(&verdict("ÅSA@contoso.com", Bucket::Registered, &[]), 0, 9),
            None
        );
        assert!(idx
            .insert(&verdict("åsa@contoso.com", Bucket::Registered, &[]), 0, 10)
            .is_some());
        assert_eq!(idx.len(), 3);
    }

    #[test]
    fn huge_positions_saturate_instead_of_lying() {
        let mut idx = UpnIndex::new();
        idx.insert(&verdict("a@x", Bucket::Unknown, &[]), 5000, u64::MAX);
        let seen = idx
            .insert(&verdict("a@x", Bucket::Unknown, &[]), 0, 1)
            .unwrap();
        assert_eq!(
            (seen.input, seen.line, seen.bucket),
            (None, None, Bucket::Unknown)
        );
    }
}
