//! Counting names (MFA Status values, method names) bounded in memory, merging letter case.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// Distinct names kept per counter; more are counted under [`OTHER`].
const NAME_CAP: usize = 500;
const OTHER: &str = "(other)";

/// Counts names, merging letter case (first spelling shown), bounded in memory.
///
/// Exports spell the same few names the same way on every row, so the spellings seen first are
/// matched exactly in a short list before any lower-casing or hashing.
#[derive(Debug, Default)]
pub struct NameCounter {
    /// (first spelling, count), in order of first appearance.
    slots: Vec<(Box<str>, u64)>,
    /// Lower-cased name -> slot.
    by_lower: HashMap<Box<str>, usize, BuildHasherDefault<SmallKeyHasher>>,
    /// Spellings seen, up to [`FAST_SPELLINGS`] -> slot.
    fast: Vec<(Box<str>, usize)>,
    scratch: String,
}

/// Spellings matched without hashing.
const FAST_SPELLINGS: usize = 24;

impl NameCounter {
    pub fn add(&mut self, name: &str) {
        if let Some((_, slot)) = self.fast.iter().find(|(s, _)| **s == *name) {
            self.slots[*slot].1 += 1;
            return;
        }
        self.scratch.clear();
        if name.is_ascii() {
            self.scratch.push_str(name);
            self.scratch.make_ascii_lowercase();
        } else {
            self.scratch
                .extend(name.chars().flat_map(char::to_lowercase));
        }
        let slot = match self.by_lower.get(self.scratch.as_str()) {
            Some(slot) => *slot,
            None => {
                let (key, shown) = if self.slots.len() < NAME_CAP {
                    (self.scratch.as_str(), name)
                } else {
                    (OTHER, OTHER)
                };
                let next = self.slots.len();
                let slot = *self.by_lower.entry(key.into()).or_insert(next);
                if slot == next {
                    self.slots.push((shown.into(), 0));
                }
                slot
            }
        };
        self.slots[slot].1 += 1;
        if self.fast.len() < FAST_SPELLINGS {
            self.fast.push((name.into(), slot));
        }
    }

    /// Largest count first, then by name.
    pub fn sorted(&self) -> Vec<(&str, u64)> {
        let mut v: Vec<_> = self.slots.iter().map(|(k, n)| (&**k, *n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    pub fn to_map(&self) -> BTreeMap<String, u64> {
        self.slots
            .iter()
            .map(|(k, n)| (k.to_string(), *n))
            .collect()
    }
}

/// Serialised as a map from name to count, sorted by name.
impl serde::Serialize for NameCounter {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.to_map())
    }
}

/// FNV-1a: fast for the few short keys of a name counter (bounded, so collisions cost little).
pub struct SmallKeyHasher(u64);

impl Default for SmallKeyHasher {
    fn default() -> SmallKeyHasher {
        SmallKeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for SmallKeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_merge_case_and_are_capped() {
        let mut c = NameCounter::default();
        c.add("PhoneAppOTP");
        c.add("phoneappotp");
        c.add("OneWaySMS");
        assert_eq!(c.sorted(), vec![("PhoneAppOTP", 2), ("OneWaySMS", 1)]);
        for i in 0..NAME_CAP + 10 {
            c.add(&format!("m{i}"));
        }
        assert!(c.slots.len() <= NAME_CAP + 1);
        assert!(c.to_map()[OTHER] >= 10);
    }
}
