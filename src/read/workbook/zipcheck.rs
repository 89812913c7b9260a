//! The ZIP container of a workbook, checked before calamine opens it: which kind of workbook
//! it is (XLSX or XLSB, or an OpenDocument file or plain archive, refused with advice), and
//! whether its declared sizes are sane (a decompression bomb is refused before it is unpacked).

use std::io::{Read, Seek};

use anyhow::{anyhow, bail, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ZipKind {
    Xlsx,
    Xlsb,
}

/// What kind of workbook a ZIP file is, after checking that its declared sizes are sane. The
/// zip reader refuses to unpack an entry beyond its declared size, so the check holds.
pub(super) fn check_zip<RS: Read + Seek>(
    name: &str,
    rs: &mut RS,
    max_unpacked: u64,
) -> Result<ZipKind> {
    let max_shared = max_unpacked / 4;
    let mut zip = zip::ZipArchive::new(&mut *rs).map_err(|e| damaged(name, e))?;
    let mut total: u64 = 0;
    let mut kind = None;
    let mut opendocument = false;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| damaged(name, e))?;
        let size = entry.size();
        total = total.saturating_add(size);
        let part = entry
            .name()
            .map_err(|e| damaged(name, e))?
            .trim_start_matches('/')
            .to_ascii_lowercase();
        match part.as_str() {
            "xl/workbook.xml" => kind = Some(ZipKind::Xlsx),
            "xl/workbook.bin" => kind = Some(ZipKind::Xlsb),
            "content.xml" | "mimetype" => opendocument = true,
            "xl/sharedstrings.xml" | "xl/sharedstrings.bin" if size > max_shared => {
                bail!(
                    "{name}: the workbook's shared strings unpack to {}, more than the {} this \
                     reader holds in memory: it looks like a decompression bomb, so it is not \
                     read\nhint: if the workbook is genuine, raise the cap with --max-unpacked GB (the \
                     shared strings may take a quarter of it), or save it as CSV UTF-8",
                    gib(size),
                    gib(max_shared)
                );
            }
            _ => {}
        }
    }
    if total > max_unpacked {
        bail!(
            "{name}: the workbook unpacks to {}, more than the {} a sheet at Excel's row limit \
             needs: it looks like a decompression bomb, so it is not read\n\
             hint: if the workbook is genuine, raise the cap with --max-unpacked GB, or save it \
             as CSV UTF-8",
            gib(total),
            gib(max_unpacked)
        );
    }
    match kind {
        Some(k) => Ok(k),
        None if opendocument => bail!(
            "{name}: this is an OpenDocument file (LibreOffice .ods), not an Excel workbook\n\
             hint: save it as .xlsx or as CSV UTF-8"
        ),
        None => bail!(
            "{name}: this is a ZIP archive, but not an Excel workbook (it has no xl/workbook part)\n\
             hint: give the export itself (.csv or .xlsx), not an archive holding it"
        ),
    }
}

pub(super) fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / f64::from(1u32 << 30))
}

pub(super) fn damaged(name: &str, e: impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "{name}: cannot read the workbook: {e}\nhint: the file may be truncated or damaged (an \
         interrupted download or copy?); export it again, or open it in Excel and save it again"
    )
}

/// Whether any worksheet of an XLSX holds a formula (an `f` element, with or without a
/// namespace prefix). Cell text is escaped in XML, so the bytes `<f` only start an element.
/// Only a workbook with formulas needs the first pass that looks for formulas without
/// results; most exports hold none, and unpacking is much cheaper than parsing the sheet.
pub(super) fn has_formulas<RS: Read + Seek>(name: &str, rs: &mut RS) -> Result<bool> {
    let mut zip = zip::ZipArchive::new(&mut *rs).map_err(|e| damaged(name, e))?;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| damaged(name, e))?;
        let part = entry
            .name()
            .map_err(|e| damaged(name, e))?
            .trim_start_matches('/')
            .to_ascii_lowercase();
        if !(part.starts_with("xl/worksheets/") && part.ends_with(".xml")) {
            continue;
        }
        // The last bytes of the previous read are kept, so a tag split across reads is seen.
        let mut kept = 0;
        loop {
            let n = entry.read(&mut buf[kept..]).map_err(|e| damaged(name, e))?;
            if n == 0 {
                break;
            }
            let filled = kept + n;
            // `<f` or `:f` (a prefixed name) followed by `>`, a space or `/`. A false match
            // (the text `x:f ` in an inline string) only costs the first pass.
            if buf[..filled].windows(3).any(|w| {
                w[1] == b'f' && matches!(w[0], b'<' | b':') && matches!(w[2], b'>' | b' ' | b'/')
            }) {
                return Ok(true);
            }
            kept = filled.min(2);
            buf.copy_within(filled - kept..filled, 0);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn xlsx(sheet: &[u8]) -> Cursor<Vec<u8>> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        zip.write_all(sheet).unwrap();
        zip.finish().unwrap();
        out.set_position(0);
        out
    }

    #[test]
    fn formulas_are_found_with_or_without_a_prefix() {
        let cases: &[(&[u8], bool)] = &[
            (b"<c r=\"A1\"><v>1</v></c>", false),
            (b"<c r=\"A1\"><f>SUM(1)</f><v /></c>", true),
            (b"<x:c r=\"A1\"><x:f t=\"shared\" si=\"0\"/></x:c>", true),
            (b"<c><is><t>&lt;f&gt; is text</t></is></c>", false),
        ];
        for (sheet, want) in cases {
            let got = has_formulas("w.xlsx", &mut xlsx(sheet)).unwrap();
            assert_eq!(got, *want, "{}", String::from_utf8_lossy(sheet));
        }
    }
}
