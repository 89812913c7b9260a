//! A structural check of OLE compound files (legacy `.xls`, password-protected workbooks)
//! before calamine reads them.
//!
//! calamine follows sector chains without looking for loops: fuzzing found a 10 KB file whose
//! looping chain made it allocate gigabytes. A chain that visits each sector at most once can
//! only yield as many bytes as the file holds, so this module refuses files whose allocation
//! tables (FAT, mini FAT, DIFAT) contain a loop; what is left is bounded by the file's size.

/// Why a compound file is refused.
pub type Problem = String;

const FREE_OR_END: u32 = 0xFFFF_FFFA; // ids from here up are markers, not sectors

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Checks the allocation tables of an OLE compound file.
pub fn check(bytes: &[u8]) -> Result<(), Problem> {
    let short = || "the compound file is shorter than its header".to_owned();
    let shift = u16_at(bytes, 30).ok_or_else(short)?;
    let size: usize = match shift {
        9 => 512,
        12 => 4096,
        s => return Err(format!("sector size 2^{s} is not one a workbook uses")),
    };
    let sectors = bytes.len().saturating_sub(size) / size;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(size)?;
        bytes.get(start..start + size)
    };
    // The FAT's own sectors: 109 in the header, then the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 76 + 4 * i))
        .filter(|id| *id < FREE_OR_END)
        .collect();
    let mut next = u32_at(bytes, 68).ok_or_else(short)?;
    let mut hops = 0;
    while next < FREE_OR_END {
        hops += 1;
        if hops > sectors {
            return Err("the DIFAT chain loops".to_owned());
        }
        let s = sector(next).ok_or("the DIFAT chain points past the end of the file")?;
        let per = size / 4 - 1;
        fat_sectors.extend(
            (0..per)
                .filter_map(|i| u32_at(s, 4 * i))
                .filter(|id| *id < FREE_OR_END),
        );
        next = u32_at(s, 4 * per).unwrap_or(u32::MAX);
    }
    let mut fat: Vec<u32> = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        let s = sector(id).ok_or("a FAT sector lies past the end of the file")?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    acyclic(&fat, "FAT")?;
    // The mini FAT is a chain in the FAT (acyclic by now), and its entries form chains too.
    let mut mini = Vec::new();
    let mut next = u32_at(bytes, 60).ok_or_else(short)?;
    let mut hops = 0;
    while next < FREE_OR_END {
        hops += 1;
        if hops > sectors {
            return Err("the mini FAT chain is longer than the file".to_owned());
        }
        let Some(s) = sector(next) else { break };
        mini.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
        next = fat.get(next as usize).copied().unwrap_or(u32::MAX);
    }
    acyclic(&mini, "mini FAT")
}

/// Fails when following `next[i]` from some entry comes back to an entry already on the path.
fn acyclic(next: &[u32], what: &str) -> Result<(), Problem> {
    // 0: not visited, 1: on the current path, 2: known to end.
    let mut state = vec![0u8; next.len()];
    for start in 0..next.len() {
        let mut path = Vec::new();
        let mut at = start;
        loop {
            match state[at] {
                1 => return Err(format!("a chain in the {what} loops back on itself")),
                2 => break,
                _ => {}
            }
            state[at] = 1;
            path.push(at);
            match next[at] as usize {
                n if n < next.len() => at = n,
                _ => break,
            }
        }
        for p in path {
            state[p] = 2;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_found() {
        assert!(acyclic(&[1, 2, 0xFFFF_FFFE], "FAT").is_ok());
        assert!(acyclic(&[1, 2, 0], "FAT").is_err());
        assert!(
            acyclic(&[0xFFFF_FFFE, 1], "FAT").is_err(),
            "a sector pointing at itself"
        );
        assert!(
            acyclic(&[2, 2, 0xFFFF_FFFF], "FAT").is_ok(),
            "two chains joining is no loop"
        );
        assert!(check(&[0u8; 10]).is_err());
    }
}
