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

/// The allocation tables of a compound file, checked for loops.
struct Tables<'a> {
    bytes: &'a [u8],
    size: usize,
    fat: Vec<u32>,
    mini: Vec<u32>,
}

/// Checks the allocation tables of an OLE compound file.
#[cfg(test)]
pub fn check(bytes: &[u8]) -> Result<(), Problem> {
    tables(bytes).map(|_| ())
}

fn tables(bytes: &[u8]) -> Result<Tables<'_>, Problem> {
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
    acyclic(&mini, "mini FAT")?;
    Ok(Tables {
        bytes,
        size,
        fat,
        mini,
    })
}

impl Tables<'_> {
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = (id as usize + 1).checked_mul(self.size)?;
        self.bytes.get(start..start + self.size)
    }

    /// The bytes of a chain of (big) sectors, at most `len` (the chains are acyclic, so this
    /// is bounded by the file).
    fn chain(&self, mut id: u32, len: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while id < FREE_OR_END && out.len() < len {
            let Some(s) = self.sector(id) else { break };
            out.extend_from_slice(s);
            id = self.fat.get(id as usize).copied().unwrap_or(u32::MAX);
        }
        out.truncate(len);
        out
    }

    /// A stream by directory name (`Workbook`), from the big or the mini stream.
    fn stream(&self, names: &[&str]) -> Option<Vec<u8>> {
        let dir_start = u32_at(self.bytes, 48)?;
        let dir = self.chain(dir_start, self.bytes.len());
        let entry = |i: usize| dir.get(i * 128..i * 128 + 128);
        let root = entry(0)?;
        // As the reader finds it: the name is the first 64 bytes up to a NUL, whatever the
        // entry's type and declared name length.
        let name_of = |e: &[u8]| {
            let units: Vec<u16> = (0..32)
                .filter_map(|i| u16_at(e, 2 * i))
                .take_while(|u| *u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        let found = (0..dir.len() / 128)
            .filter_map(entry)
            .find(|e| names.iter().any(|n| name_of(e).eq_ignore_ascii_case(n)))?;
        let start = u32_at(found, 116)?;
        let len = u32_at(found, 120)? as usize;
        if len >= 4096 {
            return Some(self.chain(start, len));
        }
        let ministream = self.chain(u32_at(root, 116)?, u32_at(root, 120)? as usize);
        let mut out = Vec::new();
        let mut id = start;
        while id < FREE_OR_END && out.len() < len {
            let at = id as usize * 64;
            out.extend_from_slice(ministream.get(at..at + 64)?);
            id = self.mini.get(id as usize).copied().unwrap_or(u32::MAX);
        }
        out.truncate(len);
        Some(out)
    }
}

/// The number of cells calamine would lay out if it read this legacy .xls: it reserves room
/// for each sheet's declared DIMENSIONS and then expands every sheet (values and formulas) to
/// a dense grid from its first to its last cell, so a tiny file declaring huge dimensions or
/// naming far-apart cells would make it allocate gigabytes (or abort). Scans the BIFF records
/// of the Workbook stream, sheet by sheet.
pub fn xls_dense_cells(bytes: &[u8]) -> Result<u64, Problem> {
    let t = tables(bytes)?;
    let Some(stream) = t.stream(&["Workbook", "Book"]) else {
        return Ok(0);
    };
    // Like the reader: the sheets start where the workbook's BoundSheet8 records say (a crafted
    // file can point them anywhere), and each runs to its end-of-file record.
    let mut total: u64 = 0;
    for (kind, body) in records(&stream, 0) {
        match kind {
            0x0085 => {
                if let Some(pos) = u32_at(body, 0) {
                    total = total.saturating_add(sheet_cells(&stream, pos as usize));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    Ok(total)
}

/// The BIFF records of `stream` from `start`: (type, body).
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let body = stream.get(at + 4..(at + 4 + len).min(stream.len()))?;
        at += 4 + len;
        Some((kind, body))
    })
}

/// The cells the reader lays out for the sheet at `pos`: its declared DIMENSIONS plus the
/// dense grid from its first to its last cell (values, and formulas counted again).
fn sheet_cells(stream: &[u8], pos: usize) -> u64 {
    let mut reserved: u64 = 0;
    // (min row, max row, min col, max col)
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut cell = |row: u16, col: u16| {
        let (r, c) = (u32::from(row), u32::from(col));
        let b = bounds.get_or_insert((r, r, c, c));
        *b = (b.0.min(r), b.1.max(r), b.2.min(c), b.3.max(c));
    };
    let (mut seen_bof, mut depth) = (false, 0usize);
    for (kind, body) in records(stream, pos) {
        if depth > 0 {
            match kind {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        match kind {
            // A nested substream (an embedded chart) is skipped, as the reader does.
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            // DIMENSIONS: the reader reserves room for rows x columns cells up front.
            0x0200 => {
                let dims = match body.len() {
                    10 => (0..4).map(|i| u16_at(body, 2 * i).map(u32::from)).collect(),
                    14 | 16 => vec![
                        u32_at(body, 0),
                        u32_at(body, 4),
                        u16_at(body, 8).map(u32::from),
                        u16_at(body, 10).map(u32::from),
                    ],
                    _ => Vec::new(),
                };
                if let [Some(rf), Some(rl), Some(cf), Some(cl)] = dims[..] {
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        let rows = u64::from(rl.wrapping_sub(1).wrapping_sub(rf).wrapping_add(1));
                        let cols = u64::from(cl - 1 - cf.min(cl - 1) + 1);
                        reserved = reserved.saturating_add(rows.saturating_mul(cols));
                    }
                }
            }
            // LABELSST, NUMBER, RK, BLANK, BOOLERR, LABEL, FORMULA, RSTRING
            0x00FD | 0x0203 | 0x027E | 0x0201 | 0x0205 | 0x0204 | 0x0006 | 0x00D6 => {
                if let (Some(r), Some(c)) = (u16_at(body, 0), u16_at(body, 2)) {
                    cell(r, c);
                }
            }
            // MULRK, MULBLANK: a run of cells in one row
            0x00BD | 0x00BE if body.len() >= 6 => {
                if let (Some(r), Some(c0), Some(c1)) = (
                    u16_at(body, 0),
                    u16_at(body, 2),
                    u16_at(body, body.len() - 2),
                ) {
                    cell(r, c0);
                    cell(r, c1.max(c0));
                }
            }
            _ => {}
        }
    }
    let dense = bounds.map_or(0, |(r0, r1, c0, c1)| {
        u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1)
    });
    // Values and formulas are laid out as two grids.
    reserved.saturating_add(dense.saturating_mul(2))
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

    #[test]
    fn dense_grid_of_a_legacy_workbook() {
        let sample = include_bytes!("../../../samples/msonline-xlwt.xls");
        // 48 users and a header in 5 columns: two grids (values, formulas) and DIMENSIONS.
        assert_eq!(xls_dense_cells(sample), Ok(3 * 49 * 5));
        let bomb = include_bytes!("../../../fuzz/findings/calamine-xls-dense-grid.xls");
        assert!(xls_dense_cells(bomb).unwrap() >= 39_169_430);
        let dims = include_bytes!("../../../fuzz/findings/calamine-xls-huge-dimensions.xls");
        assert!(xls_dense_cells(dims).unwrap() >= 1_095_216_692_935);
        let offsets = include_bytes!("../../../fuzz/findings/calamine-xls-sheet-offsets.xls");
        assert!(xls_dense_cells(offsets).unwrap() > 8_000_000_000);
        let looping = include_bytes!("../../../fuzz/findings/calamine-cfb-looping-chain.xls");
        assert!(xls_dense_cells(looping).unwrap_err().contains("loops"));
    }
}
