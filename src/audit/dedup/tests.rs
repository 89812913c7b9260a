//! The duplicate index's tests: forced collisions, spilled and rebuilt records.

use super::*;

use crate::audit::classify::test_verdict as verdict;

fn insert(
    idx: &mut UpnIndex,
    upn: &str,
    bucket: Bucket,
    input: usize,
    line: u64,
) -> Option<FirstSeen> {
    idx.insert(&verdict(upn, bucket, &[]), input, line).unwrap()
}

#[test]
fn case_insensitive_with_first_place_and_conflicts() {
    let mut idx = UpnIndex::new();
    assert_eq!(
        idx.insert(
            &verdict("Ann@Contoso.com", Bucket::Registered, &["OneWaySMS"]),
            0,
            7
        )
        .unwrap(),
        None
    );
    assert_eq!(
        insert(&mut idx, "bob@contoso.com", Bucket::Unregistered, 0, 8),
        None
    );
    let same = idx
        .insert(
            &verdict("ann@contoso.COM", Bucket::Registered, &["onewaysms"]),
            2,
            99,
        )
        .unwrap()
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
    let other = insert(&mut idx, "ANN@contoso.com", Bucket::Blocked, 1, 3).unwrap();
    assert!(!other.same_data);
    assert_eq!(
        insert(&mut idx, "ÅSA@contoso.com", Bucket::Registered, 0, 9),
        None
    );
    assert!(insert(&mut idx, "åsa@contoso.com", Bucket::Registered, 0, 10).is_some());
    assert_eq!(idx.len(), 3);
    assert_eq!(
        idx.first_place("BOB@contoso.com").unwrap(),
        Some((Some(0), Some(8)))
    );
    assert_eq!(idx.first_place("eve@contoso.com").unwrap(), None);
}

#[test]
fn huge_positions_saturate_instead_of_lying() {
    let mut idx = UpnIndex::new();
    insert(&mut idx, "a@x", Bucket::Unknown, 5000, u64::MAX);
    let seen = insert(&mut idx, "a@x", Bucket::Unknown, 0, 1).unwrap();
    assert_eq!(
        (seen.input, seen.line, seen.bucket),
        (None, None, Bucket::Unknown)
    );
}

/// Every UPN gets the same fingerprint (and so the same tag and home slot): only the exact
/// comparison with the earlier UPN can tell users apart. Nothing may merge or split.
#[test]
fn colliding_fingerprints_never_merge_or_split_users() {
    for key_of in [(|_: &[u8]| 42) as KeyFn, |b: &[u8]| b.len() as u64] {
        let mut idx = UpnIndex::with_key(key_of);
        let names: Vec<String> = (0..300).map(|i| format!("user{i}@contoso.com")).collect();
        for (line, name) in names.iter().enumerate() {
            assert_eq!(
                insert(&mut idx, name, Bucket::Registered, 0, line as u64),
                None,
                "{name}"
            );
        }
        for (line, name) in names.iter().enumerate() {
            let seen = insert(&mut idx, &name.to_uppercase(), Bucket::Registered, 1, 9).unwrap();
            assert_eq!(
                (seen.input, seen.line),
                (Some(0), Some(line as u64)),
                "{name}"
            );
        }
        assert_eq!(idx.len(), names.len());
    }
}

/// A large audit spills records to the temporary file and rebuilds the table from
/// it while growing; both paths must find every earlier user at its place. Without a
/// temporary file (as when none can be made) the records stay in memory, same answers.
#[test]
fn records_spilled_to_disk_and_rebuilt_are_found() {
    for in_memory in [false, true] {
        spilled_or_kept(in_memory);
    }
}

fn spilled_or_kept(in_memory: bool) {
    let mut idx = UpnIndex::new();
    idx.spill.in_memory = in_memory;
    let n = 20_000u64; // about 640 KB of records: several flushes and rebuilds
    for i in 0..n {
        assert_eq!(
            insert(
                &mut idx,
                &format!("u{i}@x.example"),
                Bucket::Blocked,
                0,
                i + 2
            ),
            None
        );
    }
    match in_memory {
        false => assert!(idx.spill.file.is_some() && idx.spill.blocks.len() >= 4),
        true => assert!(idx.spill.file.is_none() && idx.spill.tail.len() > 600_000),
    }
    for i in (0..n).step_by(997) {
        let seen = insert(&mut idx, &format!("U{i}@X.example"), Bucket::Blocked, 3, 1).unwrap();
        assert_eq!(
            (seen.input, seen.line, seen.same_data),
            (Some(0), Some(i + 2), true)
        );
    }
    idx.reserve(1_000_000).unwrap();
    assert!(insert(&mut idx, "u19999@x.example", Bucket::Blocked, 0, 1).is_some());
    assert_eq!(
        idx.first_place("u7@x.example").unwrap(),
        Some((Some(0), Some(9)))
    );
    assert_eq!(idx.len() as u64, n);
}

#[test]
fn tables_start_empty_at_every_size_whatever_their_pages() {
    // Below and above the size where huge pages are asked for, and not a multiple of a page.
    for slots in [0, 1, 511, 524_288, 524_289, 1_000_003] {
        let table = zeroed_table(slots);
        assert_eq!(table.len(), slots);
        assert!(table.iter().all(|s| *s == 0), "{slots}");
    }
}
