//! CSV exports as PowerShell, Excel and people write them.
//!
//! Handles: a BOM, `#TYPE ...` and other leading `#` lines (Windows PowerShell 5.1), Excel's
//! `sep=;` line, `,` `;` or tab detected from the header, quoted / unquoted / as-needed fields,
//! CRLF or LF, quoted line breaks, blank and all-empty rows, short and long rows. Parsing runs
//! on bytes, on a thread of its own ([`records`]), into reused `ByteRecord`s; only the
//! fields of the roles a command uses are decoded.

pub mod lines;
pub mod records;

use std::io::{Cursor, Read};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use encoding_rs::UTF_8;

use crate::read::detect::{FieldDecoder, Source, Text};
use crate::read::schema::Row;
use crate::read::schema::{quoted_list, Role, Schema, ROLES, ROLE_COUNT};
use crate::read::{ByteStream, InputInfo, Position, ReadOptions, RecordBudget, RowAt, RowSource};
use crate::warnings::Warnings;
use lines::LineTracker;
use records::{Parser, RecordFeed};

pub struct CsvSource {
    name: String,
    records: RecordFeed,
    schema: Schema,
    decoder: FieldDecoder,
    /// Decoded text of legacy-encoded fields, one buffer per role, reused.
    buffers: [String; ROLE_COUNT],
    /// Lines before the CSV data (#TYPE, comments, sep=), added to the parser's line numbers.
    line_offset: u64,
    bytes: Arc<AtomicU64>,
    info: InputInfo,
    warned_long_row: bool,
    ignore: [bool; ROLE_COUNT],
    bytes_per_row: Option<f64>,
    max_columns: usize,
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
    /// Opens a CSV input from its text (see [`encoding::text`]).
    pub fn open(
        name: &str,
        text: Text,
        bytes: Arc<AtomicU64>,
        options: &ReadOptions,
    ) -> Result<CsvSource> {
        let Text {
            detected,
            sample: text_sample,
            at_eof: text_at_eof,
            stream,
        } = text;
        let field_encoding = if detected.needs_transcoding() {
            UTF_8
        } else {
            detected.encoding
        };
        let mut info = InputInfo::new(name, "csv");
        (info.encoding, info.encoding_source) = detected.describe();
        if let Some(at) = memchr_nul(&text_sample) {
            bail!(
                "{name}: byte {} is a NUL byte: this is binary data, not a text export\n\
                 hint: if it is UTF-16 text without a byte order mark, pass --encoding utf-16le",
                at + detected.bom_len
            );
        }

        let newlines = text_sample.iter().filter(|b| **b == b'\n').count();
        let bytes_per_row =
            (newlines > 1 && !text_at_eof).then(|| text_sample.len() as f64 / newlines as f64);
        let preamble = scan_preamble(&text_sample);
        info.type_name = preamble.type_name.clone();
        let header_line = header_line(&text_sample[preamble.len..]);
        let delimiter = options
            .delimiter
            .or(preamble.sep)
            .unwrap_or_else(|| detect_delimiter(header_line));
        info.delimiter = Some(delimiter_name(delimiter));

        let mut data = Cursor::new(text_sample);
        data.set_position(preamble.len as u64);
        // One record may not take more than the cap (the parser resets the budget per record).
        let budget = Arc::new(AtomicU64::new(0));
        let stream: ByteStream = Box::new(RecordBudget {
            inner: data.chain(stream),
            used: Arc::clone(&budget),
            cap: options.limits.max_record_bytes,
        });
        let mut reader: Parser = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(LineTracker::new(stream));

        let presumed = detected.source == Source::Utf8Valid;
        let mut decoder = FieldDecoder::new(field_encoding, presumed);
        let mut record = ::csv::ByteRecord::new();
        let header_found = loop {
            if !reader
                .read_byte_record(&mut record)
                .with_context(|| format!("cannot read {name}"))?
            {
                break false;
            }
            if !is_blank(&record) {
                break true;
            }
        };
        budget.store(0, std::sync::atomic::Ordering::Relaxed);
        if record.len() > options.limits.max_columns {
            bail!(
                "{name}: the header row has {} columns, more than the cap of {} (Excel's own \
                 limit is 16,384)\nhint: check the delimiter (--delimiter), or raise the cap with \
                 --max-columns N",
                record.len(),
                options.limits.max_columns
            );
        }
        if !header_found {
            let what = if preamble.type_name.is_some() {
                "only a #TYPE line"
            } else if text_at_eof && preamble.len == 0 {
                "nothing"
            } else {
                "no header row"
            };
            bail!(
                "{name}: the file holds {what}: expected a header row such as \
                 \"UserPrincipalName\",\"BlockCredential\",\"StrongAuthenticationMethods\"\n\
                 hint: the export may have been cut short or written by a command that found no users"
            );
        }
        let line_offset = preamble.lines;
        let header_line_no = reader
            .get_mut()
            .line_of(record.position().map_or(0, |p| p.byte()))
            + line_offset;
        let mut headers = Vec::with_capacity(record.len());
        let mut buf = String::new();
        for (i, field) in record.iter().enumerate() {
            let text = decoder.decode(field, &mut buf).map_err(|e| {
                anyhow::anyhow!(
                    "{name}:{header_line_no}: header {} is not valid {} text (byte {})\n\
                     hint: pass --encoding with the file's encoding",
                    i + 1,
                    decoder.encoding().name(),
                    e.offset
                )
            })?;
            headers.push(text.trim().to_owned());
        }
        decoder.take_switch();
        let schema = Schema::resolve(headers, &options.overrides)
            .with_context(|| format!("{name}:{header_line_no}: cannot use the header row"))?;
        if schema.column(Role::Upn).is_none() {
            bail!(
                "{name}:{header_line_no}: no user principal name column; the headers are: {}\n\
                 hint: name the column with --column upn=HEADER (a delimiter other than {:?}? \
                 pass --delimiter)",
                quoted_list(&schema.headers),
                delimiter_name(delimiter)
            );
        }
        info.set_schema(&schema);
        Ok(CsvSource {
            name: name.to_owned(),
            records: RecordFeed::spawn(reader, name, budget, options.limits)?,
            schema,
            decoder,
            buffers: Default::default(),
            line_offset,
            bytes,
            info,
            warned_long_row: false,
            ignore: options.ignore,
            bytes_per_row,
            max_columns: options.limits.max_columns,
        })
    }
}

impl RowSource for CsvSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        let Some((record, line)) = self
            .records
            .next_record(is_blank, &mut self.info.blank_rows)?
        else {
            return Ok(None);
        };
        let line = line + self.line_offset;
        if record.len() > self.max_columns {
            bail!(
                "{}:{line}: {} fields, more than the cap of {} columns\nhint: check the \
                 delimiter and quoting at that line, or raise the cap with --max-columns N",
                self.name,
                record.len(),
                self.max_columns
            );
        }
        self.info.rows += 1;
        let header_len = self.schema.headers.len();
        if record.len() > header_len && !self.warned_long_row {
            self.warned_long_row = true;
            warnings.push(format!(
                "{}:{line}: {} fields where the header has {header_len}; extra fields are \
                 ignored (first such row; check the delimiter and quoting)",
                self.name,
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
            let text = self.decoder.decode(bytes, buf).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{line}: column {} ({}) is not valid {} text (byte {} of the field)\n\
                     hint: the file mixes encodings; re-save it as UTF-8, or pass --encoding \
                     with the encoding it is in",
                    self.name,
                    col + 1,
                    crate::terminal::quote(&self.schema.headers[col]),
                    self.decoder.encoding().name(),
                    e.offset
                )
            })?;
            *slot = Some(text);
        }
        if let Some(now) = self.decoder.take_switch() {
            self.info.encoding = now.name().to_owned();
            self.info.encoding_source = Source::Guessed.name();
            warnings.push(format!(
                "{}:{line}: the first non-ASCII text is not UTF-8; reading the file as {} \
                 (everything before was plain ASCII). If names look wrong, pass --encoding",
                self.name,
                now.name()
            ))?;
        }
        for (role, value) in ROLES.iter().zip(row.fields.iter()) {
            if value.is_some_and(|v| v.contains('\n')) {
                let lines = record.as_slice().iter().filter(|b| **b == b'\n').count();
                let header = self.schema.header(*role).unwrap_or_default();
                warnings.push(format!(
                    "{}:{line}: the {} field contains a line break (the row spans lines \
                     {line}-{}); if that is not intended, look for an unbalanced quote",
                    self.name,
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
        Some((file_size? as f64 / self.bytes_per_row?) as u64)
    }

    fn byte_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    fn info(&self) -> &InputInfo {
        &self.info
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == 0)
}

/// True when every field is empty or white space (`,,,,` rows Excel leaves behind).
fn is_blank(record: &::csv::ByteRecord) -> bool {
    record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Skips `#` lines, blank lines and `sep=X` before the header.
fn scan_preamble(text: &[u8]) -> Preamble {
    let mut p = Preamble::default();
    let mut rest = text;
    while let Some(end) = rest.iter().position(|b| *b == b'\n') {
        let line = trim_ascii(&rest[..end]);
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

/// The header line: up to the first line break outside quotes.
fn header_line(text: &[u8]) -> &[u8] {
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
