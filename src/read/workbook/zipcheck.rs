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
