//! The ZIP container of a workbook, checked before calamine opens it: which kind of workbook
//! it is (XLSX, XLSB or an OpenDocument spreadsheet, told by content; another OpenDocument
//! file or a plain archive is refused with advice), and whether its declared sizes are sane (a
//! decompression bomb is refused before it is unpacked).

use std::io::{Read, Seek};

use anyhow::{anyhow, bail, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ZipKind {
    Xlsx,
    Xlsb,
    /// An OpenDocument spreadsheet (LibreOffice Calc's `.ods`): its `mimetype` member says so.
    Ods,
}

/// The `mimetype` member of an OpenDocument spreadsheet (ODF 1.2, part 3, section 3.3), as
/// calamine checks it.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

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
    let mut mimetype = None;
    let mut shared = None;
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
            "content.xml" => opendocument = true,
            "mimetype" => {
                opendocument = true;
                mimetype = Some(i);
            }
            "xl/sharedstrings.xml" if size <= max_shared => shared = Some((i, size)),
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
    if let (Some(ZipKind::Xlsx), Some((i, size))) = (kind, shared) {
        let entry = zip.by_index(i).map_err(|e| damaged(name, e))?;
        let table = SharedStrings::scan(entry).map_err(|e| damaged(name, e))?;
        let memory = table.memory(size);
        if memory > max_shared {
            bail!(
                "{name}: the workbook's shared-strings table would take about {} of memory \
                 ({} strings declared, {} present), more than the {} this reader holds: it \
                 looks like a decompression bomb, so it is not read\nhint: if the workbook is \
                 genuine, raise the cap with --max-unpacked GB (the shared strings may take a \
                 quarter of it), or save it as CSV UTF-8",
                gib(memory),
                table.declared,
                table.present,
                gib(max_shared)
            );
        }
    }
    if kind.is_none() {
        if let Some(i) = mimetype {
            // The member is 46 bytes; a longer one is not the spreadsheet's (nor calamine's).
            let mut head = Vec::new();
            zip.by_index(i)
                .map_err(|e| damaged(name, e))?
                .take(ODS_MIMETYPE.len() as u64 + 1)
                .read_to_end(&mut head)
                .map_err(|e| damaged(name, e))?;
            if head == ODS_MIMETYPE {
                kind = Some(ZipKind::Ods);
            }
        }
    }
    match kind {
        Some(k) => Ok(k),
        None if opendocument => bail!(
            "{name}: this is an OpenDocument file, but not a spreadsheet (its mimetype is not \
             {})\nhint: open it in LibreOffice Calc and save it as .ods, .xlsx or CSV UTF-8",
            String::from_utf8_lossy(ODS_MIMETYPE)
        ),
        None => bail!(
            "{name}: this is a ZIP archive, but not an Excel workbook (it has no xl/workbook part)\n\
             hint: give the export itself (.csv or .xlsx), not an archive holding it"
        ),
    }
}

/// What the reader will hold for an XLSX shared-strings table. calamine reserves room for
/// the `uniqueCount` the table declares (24 bytes a string, before any text), so a 2 MB part
/// declaring a hundred million strings asks for gigabytes: the declared size alone does not
/// bound it.
struct SharedStrings {
    /// `uniqueCount` on the `sst` element (0 when absent or unreadable, as the reader takes it).
    declared: u64,
    /// `si` elements with content: the strings the reader will push.
    present: u64,
}

impl SharedStrings {
    fn scan(mut part: impl Read) -> std::io::Result<SharedStrings> {
        let mut table = SharedStrings {
            declared: 0,
            present: 0,
        };
        let mut buf = vec![0u8; 64 * 1024];
        // The bytes before the end of the `sst` start tag, while it is not yet complete.
        let mut head: Vec<u8> = Vec::new();
        let mut head_done = false;
        // Bytes at the end of a read that are looked at with the next one, so that a tag split
        // across reads is seen whole.
        const TAIL: usize = 16;
        let mut kept = 0;
        loop {
            let n = part.read(&mut buf[kept..])?;
            let filled = kept + n;
            if !head_done {
                head.extend_from_slice(&buf[kept..filled]);
                if let Some(at) = find(&head, b"sst").and_then(|s| {
                    head[s..]
                        .iter()
                        .position(|b| *b == b'>')
                        .map(|e| (s, s + e))
                }) {
                    table.declared = unique_count(&head[at.0..at.1]);
                    head_done = true;
                    head = Vec::new();
                } else if head.len() > 64 * 1024 || n == 0 {
                    head_done = true;
                    head = Vec::new();
                }
            }
            let limit = if n == 0 {
                filled
            } else {
                filled.saturating_sub(TAIL)
            };
            table.present += (0..limit)
                .filter(|&p| buf[p] == b'<' && starts_string(&buf[p..filled]))
                .count() as u64;
            if n == 0 {
                break;
            }
            kept = filled - limit;
            buf.copy_within(limit..filled, 0);
        }
        Ok(table)
    }

    /// Bytes the table takes: the vector of strings (reserved as declared, grown by doubling
    /// past it) and the text, which the part's size bounds.
    fn memory(&self, size: u64) -> u64 {
        let slots = if self.present > self.declared {
            self.present.next_power_of_two().max(self.declared)
        } else {
            self.declared
        };
        slots
            .saturating_mul(std::mem::size_of::<String>() as u64)
            .saturating_add(size)
    }
}

/// Whether `tag` (from a `<`) starts an `si` element with content (`<si>`, `<x:si ...>`): the
/// reader pushes a string for those, not for `<si/>` or a closing tag.
fn starts_string(tag: &[u8]) -> bool {
    let name_len = tag[1..]
        .iter()
        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'))
        .unwrap_or(tag.len() - 1);
    let name = &tag[1..1 + name_len];
    let local = name.rsplit(|b| *b == b':').next().unwrap_or_default();
    if local != b"si" {
        return false;
    }
    // Self-closing when the tag ends in "/>" (an unseen end counts: it may take memory).
    match tag.iter().position(|b| *b == b'>') {
        Some(end) => tag[end - 1] != b'/',
        None => true,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `uniqueCount` attribute of an `sst` start tag, as the reader parses it.
fn unique_count(tag: &[u8]) -> u64 {
    let Some(at) = find(tag, b"uniqueCount=") else {
        return 0;
    };
    let value = &tag[at + b"uniqueCount=".len()..];
    let Some((&quote, rest)) = value.split_first() else {
        return 0;
    };
    let digits = rest.iter().take_while(|b| **b != quote);
    let mut n: u64 = 0;
    for d in digits {
        if !d.is_ascii_digit() {
            return 0;
        }
        n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
    }
    n
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

/// How much of `xl/workbook.xml` is read to find `calcPr` (it follows the sheet list and the
/// defined names; a part larger than this is read as not asking).
const WORKBOOK_PART_READ: u64 = 16 << 20;

/// Whether the workbook asks to be calculated when it is opened (`<calcPr
/// fullCalcOnLoad="1"/>` in `xl/workbook.xml`). Writers that save formulas without
/// calculating them set it: XlsxWriter, libxlsxwriter and rust_xlsxwriter (their
/// `_write_calc_pr`, with 0 saved beside every formula) and openpyxl (3.1.5, by default).
/// Their saved results are then not the formulas' values; Excel drops the flag when it saves.
pub(super) fn recalculates_on_load<RS: Read + Seek>(name: &str, rs: &mut RS) -> Result<bool> {
    let mut zip = zip::ZipArchive::new(&mut *rs).map_err(|e| damaged(name, e))?;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| damaged(name, e))?;
        let part = entry.name().map_err(|e| damaged(name, e))?;
        if !part
            .trim_start_matches('/')
            .eq_ignore_ascii_case("xl/workbook.xml")
        {
            continue;
        }
        let mut xml = Vec::new();
        entry
            .take(WORKBOOK_PART_READ)
            .read_to_end(&mut xml)
            .map_err(|e| damaged(name, e))?;
        return Ok(full_calc_on_load(&xml));
    }
    Ok(false)
}

/// `fullCalcOnLoad` set to true (`1` or `true`, xsd:boolean) in the `calcPr` element, with
/// or without a namespace prefix, in either quote.
fn full_calc_on_load(xml: &[u8]) -> bool {
    let Some(at) = xml.windows(6).position(|w| w == b"calcPr") else {
        return false;
    };
    let tag = &xml[at..];
    let tag = &tag[..tag.iter().position(|&b| b == b'>').unwrap_or(tag.len())];
    let Some(attr) = tag.windows(14).position(|w| w == b"fullCalcOnLoad") else {
        return false;
    };
    let value: Vec<u8> = tag[attr + 14..]
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || *b == b'=')
        .skip(1)
        .take_while(|b| *b != b'"' && *b != b'\'')
        .collect();
    value.trim_ascii() == b"1" || value.trim_ascii().eq_ignore_ascii_case(b"true")
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
    fn shared_strings_are_measured_by_what_the_reader_reserves() {
        let scan = |xml: &[u8]| {
            let t = SharedStrings::scan(xml).unwrap();
            (t.declared, t.present)
        };
        let honest = b"<sst xmlns=\"x\" count=\"3\" uniqueCount=\"2\"><si><t>a</t></si><si><t>b</t></si></sst>";
        assert_eq!(scan(honest), (2, 2));
        let t = SharedStrings::scan(&honest[..]).unwrap();
        assert_eq!(t.memory(100), 2 * 24 + 100);
        // A hundred million declared, two present: the reservation is what counts.
        let bomb = b"<x:sst uniqueCount='100000000'><x:si><x:t>a</x:t></x:si><x:si /></x:sst>";
        assert_eq!(scan(bomb), (100_000_000, 1));
        assert_eq!(
            SharedStrings::scan(&bomb[..]).unwrap().memory(10),
            2_400_000_010
        );
        // Fewer declared than present: the vector grows by doubling.
        let under = b"<sst><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>";
        assert_eq!(scan(under), (0, 3));
        assert_eq!(SharedStrings::scan(&under[..]).unwrap().memory(0), 4 * 24);
        assert_eq!(unique_count(b"sst uniqueCount=\"12x\""), 0);
    }

    #[test]
    fn a_workbook_that_asks_to_be_calculated_is_told() {
        let cases: &[(&[u8], bool)] = &[
            // XlsxWriter 3.x and rust_xlsxwriter.
            (
                b"<sheets/><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>",
                true,
            ),
            (b"<x:calcPr fullCalcOnLoad = 'true' />", true),
            (b"<calcPr fullCalcOnLoad=\"0\"/>", false),
            // Excel: no flag.
            (
                b"<calcPr calcId=\"191029\"/><extLst fullCalcOnLoad=\"1\"/>",
                false,
            ),
            (b"<workbook><sheets/></workbook>", false),
        ];
        for (xml, want) in cases {
            assert_eq!(
                full_calc_on_load(xml),
                *want,
                "{}",
                String::from_utf8_lossy(xml)
            );
        }
        // Read from the package: the test package's workbook part is empty.
        assert!(!recalculates_on_load("w.xlsx", &mut xlsx(b"")).unwrap());
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
