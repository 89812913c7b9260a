//! CSV exports as PowerShell, Excel and people write them.
//!
//! Handles: a BOM, `#TYPE ...` and other leading `#` lines (Windows PowerShell 5.1), Excel's
//! `sep=;` line, `,` `;` or tab detected from the header, quoted / unquoted / as-needed fields,
//! CRLF or LF, quoted line breaks, blank and all-empty rows, short and long rows. Parsing runs
//! on bytes, on a thread of its own ([`records`]), into reused `ByteRecord`s; only the
//! fields of the roles a command uses are decoded.

pub mod lines;
pub mod records;
pub mod repeat;
pub mod table;

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use anyhow::{bail, Context, Result};

use crate::read::detect::{Source, Text};
use crate::read::schema::Row;
use crate::read::schema::{quoted_list, Role, Schema, ROLES, ROLE_COUNT};
use crate::read::{InputInfo, Position, ReadOptions, RowAt, RowSource};
use crate::warnings::Warnings;
pub use table::CsvTable;

pub struct CsvSource {
    table: CsvTable,
    schema: Schema,
    /// Decoded text of legacy-encoded fields, one buffer per role, reused.
    buffers: [String; ROLE_COUNT],
    bytes: Arc<AtomicU64>,
    warned_long_row: bool,
    ignore: [bool; ROLE_COUNT],
    /// Said with the first row: the rows above the header that were skipped.
    title_warning: Option<String>,
    /// The copies of the header were named (after the last row).
    ended: bool,
    /// The table's copies of the header and its name, for the warning at the end.
    repeated: Arc<std::sync::Mutex<Vec<u64>>>,
    table_name: String,
}

/// What comes before the header: lines we skip and what they tell.
#[derive(Debug, Default, PartialEq, Eq)]
struct Preamble {
    /// Bytes to skip.
    len: usize,
    lines: u64,
    type_name: Option<String>,
    sep: Option<u8>,
}

impl CsvSource {
    /// Opens a CSV input from its text (see [`crate::read::detect::text`]).
    pub fn open(
        name: &str,
        text: Text,
        bytes: Arc<AtomicU64>,
        options: &ReadOptions,
    ) -> Result<CsvSource> {
        let overrides = &options.overrides;
        let is_header = |fields: &[String]| {
            Schema::resolve(fields.to_vec(), overrides).is_ok_and(|s| s.column(Role::Upn).is_some())
        };
        let mut table = CsvTable::open_with_header(name, text, options, &is_header)?;
        let Some((headers, header_line_no)) = table.first.take() else {
            bail!(
                "{name}: the file holds {}: expected a header row such as \
                 \"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\n\
                 hint: the export may have been cut short or written by a command that found no users",
                table.empty
            );
        };
        let schema = Schema::resolve(headers, &options.overrides)
            .with_context(|| format!("{name}:{header_line_no}: cannot use the header row"))?;
        if let Some(why) = schema.refusal() {
            bail!("{name}:{header_line_no}: {why}");
        }
        if schema.column(Role::Upn).is_none() {
            bail!(
                "{name}:{header_line_no}: no user principal name column; the headers are: {}\n\
                 hint: name the column with --column upn=HEADER (a delimiter other than {:?}? \
                 pass --delimiter)",
                quoted_list(&schema.headers),
                table.info.delimiter.as_deref().unwrap_or(",")
            );
        }
        table.info.set_schema(&schema, &options.ignore);
        let title_warning = (!table.above_header.is_empty()).then(|| {
            table.info.header_row = Some(header_line_no);
            let lines: Vec<String> = table.above_header.iter().map(u64::to_string).collect();
            let (rows, is) = if lines.len() == 1 {
                ("row above it (line", "is")
            } else {
                ("rows above it (lines", "are")
            };
            format!(
                "{name}:{header_line_no}: the header is on line {header_line_no}; the {rows} \
                 {}) {is} read as a title and skipped, not as users",
                lines.join(", ")
            )
        });
        Ok(CsvSource {
            repeated: Arc::clone(&table.repeated),
            table_name: name.to_owned(),
            title_warning,
            ended: false,
            table,
            schema,
            buffers: Default::default(),
            bytes,
            warned_long_row: false,
            ignore: options.ignore,
        })
    }
}

impl RowSource for CsvSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        if let Some(w) = self.title_warning.take() {
            warnings.push(w)?;
        }
        if self.ended {
            return Ok(None);
        }
        let raw = self.table.next_raw(true)?;
        if raw.is_none() {
            self.ended = true;
            let lines =
                std::mem::take(&mut *self.repeated.lock().unwrap_or_else(|e| e.into_inner()));
            if let Some(w) = repeat::warning(&self.table_name, &lines) {
                warnings.push(w)?;
            }
            return Ok(None);
        }
        let Some(table::RawRecord {
            record,
            line,
            name,
            decoder,
            info,
        }) = raw
        else {
            return Ok(None);
        };
        info.rows += 1;
        let header_len = self.schema.headers.len();
        if record.len() > header_len && !self.warned_long_row {
            self.warned_long_row = true;
            warnings.push(format!(
                "{name}:{line}: {} fields where the header has {header_len}; extra fields are \
                 ignored (first such row; check the delimiter and quoting)",
                record.len()
            ))?;
        }
        let mut row = Row::default();
        for ((role, slot), buf) in ROLES
            .iter()
            .zip(row.fields.iter_mut())
            .zip(self.buffers.iter_mut())
        {
            let Some(col) = self.schema.column(*role) else {
                continue;
            };
            if self.ignore[role.index()] {
                continue;
            }
            // A short row: the missing trailing fields are empty, as with Import-Csv.
            let bytes = record.get(col).unwrap_or(b"");
            let text = decoder.decode(bytes, buf).map_err(|e| {
                anyhow::anyhow!(
                    "{name}:{line}: column {} ({}) is not valid {} text (byte {} of the field)\n\
                     hint: the file mixes encodings; re-save it as UTF-8, or pass --encoding \
                     with the encoding it is in",
                    col + 1,
                    crate::terminal::quote(&self.schema.headers[col]),
                    decoder.encoding().name(),
                    e.offset
                )
            })?;
            *slot = Some(text);
        }
        if let Some(now) = decoder.take_switch() {
            info.encoding = now.name().to_owned();
            info.encoding_source = Source::Guessed.name();
            warnings.push(format!(
                "{name}:{line}: the first non-ASCII text is not UTF-8; reading the file as {} \
                 (everything before was plain ASCII). If names look wrong, pass --encoding",
                now.name()
            ))?;
        }
        // A decoded field holds a line break only if the record's bytes do (every encoding read
        // here keeps ASCII as it is), so one memchr spares the search of each field.
        let has_break = memchr::memchr(b'\n', record.as_slice()).is_some();
        for (role, value) in ROLES.iter().zip(row.fields.iter()) {
            if has_break && value.is_some_and(|v| v.contains('\n')) {
                let lines = record.as_slice().iter().filter(|b| **b == b'\n').count();
                let header = self.schema.header(*role).unwrap_or_default();
                warnings.push(format!(
                    "{name}:{line}: the {} field contains a line break (the row spans lines \
                     {line}-{}); if that is not intended, look for an unbalanced quote",
                    crate::terminal::quote(header),
                    line + lines as u64
                ))?;
                break;
            }
        }
        Ok(Some(RowAt {
            pos: Position::Line(line),
            row,
        }))
    }

    fn estimated_rows(&self, file_size: Option<u64>) -> Option<u64> {
        // From the average row length at the start of the file.
        Some((file_size? as f64 / self.table.bytes_per_row?) as u64)
    }

    fn byte_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    fn info(&self) -> &InputInfo {
        &self.table.info
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == 0)
}

/// True when every field is empty or white space (`,,,,` rows Excel leaves behind).
///
/// Called for every record: the fields' bytes lie end to end in one buffer, so one pass over
/// it tells the same as a pass per field (an empty field adds no byte) without the per-field
/// bounds.
fn is_blank(record: &::csv::ByteRecord) -> bool {
    record.as_slice().iter().all(u8::is_ascii_whitespace)
}

/// Skips `#` lines, blank lines and `sep=X` before the header.
fn scan_preamble(text: &[u8]) -> Preamble {
    let mut p = Preamble::default();
    let mut rest = text;
    while let Some(end) = rest.iter().position(|b| *b == b'\n') {
        // A BOM read as text (`ï»¿`) or left inside by joined files, and a `#TYPE` line a
        // spreadsheet quoted and padded (`"#TYPE X",,,`), are still the preamble.
        let mut line = repeat::bare(trim_ascii(&rest[..end]));
        if let Some(quoted) = line.strip_prefix(b"\"#") {
            let len = quoted
                .iter()
                .position(|b| *b == b'"')
                .unwrap_or(quoted.len());
            line = &line[1..len + 2];
        }
        if line.starts_with(b"#") {
            if let Some(t) = line.strip_prefix(b"#TYPE ") {
                p.type_name = Some(String::from_utf8_lossy(t).trim().to_owned());
            }
        } else if line.len() == 5 && line[..4].eq_ignore_ascii_case(b"sep=") {
            p.sep = Some(line[4]);
        } else if !line.is_empty() {
            break;
        }
        p.len += end + 1;
        p.lines += 1;
        rest = &rest[end + 1..];
    }
    p
}

fn trim_ascii(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// The line whose delimiters decide the file's: the header line, or when it has none (a
/// title above the header), the first of the next few lines that has one.
fn delimiter_line(text: &[u8]) -> &[u8] {
    let mut rest = text;
    for _ in 0..table::HEADER_SEARCH_ROWS {
        let line = header_line(rest);
        if line.iter().any(|b| matches!(b, b',' | b';' | b'\t')) {
            return line;
        }
        match rest[line.len()..].iter().position(|b| *b == b'\n') {
            Some(end) => rest = &rest[line.len() + end + 1..],
            None => break,
        }
    }
    header_line(text)
}

/// The header line: up to the first line break outside quotes.
pub(super) fn header_line(text: &[u8]) -> &[u8] {
    let mut quoted = false;
    for (i, b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The delimiter used most often outside quotes in the header line; `,` when none is used.
fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    let mut quoted = false;
    for b in header {
        if *b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(i) = candidates.iter().position(|c| c == b) {
                counts[i] += 1;
            }
        }
    }
    let (best, n) = counts
        .iter()
        .enumerate()
        .max_by_key(|(i, n)| (**n, usize::MAX - i))
        .unwrap();
    if *n == 0 {
        b','
    } else {
        candidates[best]
    }
}

/// How a delimiter is shown: `,` `;` `\t`.
pub fn delimiter_name(d: u8) -> String {
    match d {
        b'\t' => "\\t".to_owned(),
        d => (d as char).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_records_are_empty_or_white_space_in_every_field() {
        let cases: &[(&[&str], bool)] = &[
            (&[], true),
            (&[""], true),
            (&["", "", ""], true),
            (&[" ", "\t", "\r\n"], true),
            (&["", "", "x"], false),
            (&["x", "", ""], false),
            (&["", " a ", ""], false),
            // Not ASCII white space: a no-break space is text.
            (&["\u{a0}"], false),
        ];
        for (fields, want) in cases {
            let record = ::csv::ByteRecord::from(fields.to_vec());
            assert_eq!(is_blank(&record), *want, "{fields:?}");
        }
    }

    #[test]
    fn preamble_lines_are_skipped_and_read() {
        let cases: &[(&[u8], Preamble)] = &[
            (b"\"UPN\"\r\n", Preamble::default()),
            (
                b"#TYPE Selected.Microsoft.Online.Administration.User\r\n\"UPN\"\r\n",
                Preamble {
                    len: 53,
                    lines: 1,
                    type_name: Some("Selected.Microsoft.Online.Administration.User".into()),
                    sep: None,
                },
            ),
            (
                b"sep=;\r\nUPN;Blocked\r\n",
                Preamble {
                    len: 7,
                    lines: 1,
                    type_name: None,
                    sep: Some(b';'),
                },
            ),
            (
                b"# exported 2026-01-01\n\n#TYPE X\nUPN\n",
                Preamble {
                    len: 31,
                    lines: 3,
                    type_name: Some("X".into()),
                    sep: None,
                },
            ),
            // After a spreadsheet round trip: quoted and padded to the header's width.
            (
                b"\"#TYPE X\",,\r\nUPN,a,b\r\n",
                Preamble {
                    len: 13,
                    lines: 1,
                    type_name: Some("X".into()),
                    sep: None,
                },
            ),
            // A BOM read as windows-1252 and saved as UTF-8.
            (
                b"\xC3\xAF\xC2\xBB\xC2\xBF#TYPE X\nUPN\n",
                Preamble {
                    len: 14,
                    lines: 1,
                    type_name: Some("X".into()),
                    sep: None,
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(
                scan_preamble(text),
                *want,
                "{:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn delimiter_from_the_header_line() {
        let cases: &[(&[u8], u8)] = &[
            (b"\"UserPrincipalName\",\"BlockCredential\"", b','),
            (b"UserPrincipalName;BlockCredential;MFA Methods", b';'),
            (b"UserPrincipalName\tBlockCredential", b'\t'),
            (b"\"User;Principal;Name\",\"Blocked\"", b','),
            (b"\"a,b,c\";\"d\"", b';'),
            (b"UserPrincipalName", b','),
            (b"a,b;c", b','),
        ];
        for (line, want) in cases {
            assert_eq!(
                detect_delimiter(line),
                *want,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
        assert_eq!(header_line(b"\"a\nb\",c\r\nx,y"), b"\"a\nb\",c");
    }
}
