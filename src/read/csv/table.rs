//! A CSV file as a table: its first record and the records after it, decoded, each with the
//! physical line it starts on.
//!
//! This is everything about CSV that does not depend on what the file is for: the preamble
//! (`#TYPE`, comments, `sep=`), the delimiter, the record-size and column caps, line numbers,
//! and decoding fields in the detected encoding. User exports ([`super::CsvSource`]) resolve
//! roles on top of it; `--exceptions` files and sign-in downloads (through
//! [`crate::read::table`]) read its records as they are, so that every CSV input gets the same
//! treatment and the same `file:line` in its messages.

use std::io::{Cursor, Read};

use anyhow::{anyhow, bail, Result};
use csv::ByteRecord;
use encoding_rs::UTF_8;

use super::lines::LineTracker;
use super::records::{Parser, Record, RecordFeed};
use super::repeat::{HeaderMatcher, RecordKind};
use super::{
    delimiter_line, delimiter_name, detect_delimiter, is_blank, memchr_nul, scan_preamble,
};
use crate::read::detect::{FieldDecoder, Source as Detected, Text};
use crate::read::{ByteStream, InputInfo, ReadOptions, RecordBudget};

/// See the module documentation.
pub struct CsvTable {
    pub name: String,
    records: RecordFeed,
    pub decoder: FieldDecoder,
    /// Lines before the CSV data (#TYPE, comments, sep=), added to the parser's line numbers.
    line_offset: u64,
    max_columns: usize,
    /// Average bytes per line at the start of the file, when it did not all fit the sample.
    pub bytes_per_row: Option<f64>,
    /// The first record with data (the header, for files that have one) and its line; `None`
    /// when the file has no such record.
    pub first: Option<(Vec<String>, u64)>,
    /// Why there is no first record, for messages: "nothing", "only a #TYPE line", ...
    pub empty: &'static str,
    /// Rows with data before the header (a title above it), with their lines.
    pub above_header: Vec<u64>,
    /// Lines of copies of the header after it (exports joined into one file), skipped.
    /// Shared, so that a reader can name them after the last record while the table is
    /// still borrowed by it.
    pub repeated: std::sync::Arc<std::sync::Mutex<Vec<u64>>>,
    /// Format, encoding, delimiter and `#TYPE` line (no columns: the table has no roles).
    pub info: InputInfo,
}

impl CsvTable {
    /// Opens a CSV input from its text (see [`crate::read::detect::text`]) and reads its first
    /// record.
    pub fn open(name: &str, text: Text, options: &ReadOptions) -> Result<CsvTable> {
        CsvTable::open_with_header(name, text, options, &|_| true)
    }

    /// [`CsvTable::open`] for a file whose header may sit below a title: the first of the
    /// first [`HEADER_SEARCH_ROWS`] rows with data that `is_header` accepts is the header (the
    /// first row with data when none is).
    pub fn open_with_header(
        name: &str,
        text: Text,
        options: &ReadOptions,
        is_header: &dyn Fn(&[String]) -> bool,
    ) -> Result<CsvTable> {
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
        let mut info = InputInfo::new(name, crate::read::InputFormat::Csv);
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
        let header_line_text = delimiter_line(&text_sample[preamble.len..]);
        let delimiter = options
            .delimiter
            .or(preamble.sep)
            .or_else(|| header_delimiter(&text_sample[preamble.len..], is_header))
            .unwrap_or_else(|| detect_delimiter(header_line_text));
        info.delimiter = Some(delimiter_name(delimiter));

        let mut data = Cursor::new(text_sample);
        data.set_position(preamble.len as u64);
        // One record may not take more than the cap (the parser resets the budget per record).
        let budget = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let stream: ByteStream = Box::new(RecordBudget {
            inner: data.chain(stream),
            used: std::sync::Arc::clone(&budget),
            cap: options.limits.max_record_bytes,
        });
        let mut reader: Parser = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(256 * 1024)
            .from_reader(LineTracker::new(stream));

        let presumed = detected.source == Detected::Utf8Valid;
        let mut decoder = FieldDecoder::new(field_encoding, presumed);
        let mut record = ByteRecord::new();
        let line_offset = preamble.lines;
        let mut above_header = Vec::new();
        let mut first: Option<(Vec<String>, u64)> = None;
        let mut rows_with_data = 0;
        let found = loop {
            let more = match reader.read_byte_record(&mut record) {
                Ok(more) => more,
                Err(e) => {
                    let at = reader.position().byte();
                    let near = reader.get_mut().line_of(at) + line_offset;
                    return Err(super::records::read_error(e, name, near, options.limits));
                }
            };
            if !more {
                break false;
            }
            if is_blank(&record) {
                continue;
            }
            budget.store(0, std::sync::atomic::Ordering::Relaxed);
            let line = reader
                .get_mut()
                .line_of(record.position().map_or(0, |p| p.byte()))
                + line_offset;
            let fields = header_fields(name, &record, line, &mut decoder, options)?;
            rows_with_data += 1;
            if is_header(&fields) {
                // Rows above the header are a title only when the header was found.
                first = Some((fields, line));
                break true;
            }
            if first.is_none() {
                first = Some((fields, line));
            }
            above_header.push(line);
            if rows_with_data >= HEADER_SEARCH_ROWS {
                break false;
            }
        };
        budget.store(0, std::sync::atomic::Ordering::Relaxed);
        if !found {
            // No header among the first rows: the first row stands as the header, and the
            // caller says what is wrong with it.
            above_header.clear();
        } else if let Some((_, line)) = &first {
            above_header.retain(|l| l < line);
        }
        let header = first.as_ref().map(|(fields, line)| {
            let encoding = decoder.encoding();
            HeaderMatcher::new(
                fields.iter().map(|f| encoding.encode(f).0.into_owned()),
                *line,
            )
        });
        let empty = if preamble.type_name.is_some() {
            "only a #TYPE line"
        } else if text_at_eof && preamble.len == 0 {
            "nothing"
        } else {
            "no header row"
        };
        Ok(CsvTable {
            name: name.to_owned(),
            records: RecordFeed::spawn(reader, name, budget, options.limits, header, line_offset)?,
            decoder,
            line_offset,
            max_columns: options.limits.max_columns,
            bytes_per_row,
            first,
            empty,
            above_header,
            repeated: Default::default(),
            info,
        })
    }
}

/// The delimiter of the first of the first lines that, split by its own most frequent
/// delimiter, `is_header` accepts: a title above the header may hold a comma of its own.
fn header_delimiter(text: &[u8], is_header: &dyn Fn(&[String]) -> bool) -> Option<u8> {
    let mut rest = text;
    for _ in 0..HEADER_SEARCH_ROWS {
        let line = super::header_line(rest);
        let delimiter = detect_delimiter(line);
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(line);
        let mut record = ByteRecord::new();
        if reader.read_byte_record(&mut record).unwrap_or(false) {
            let mut fields: Vec<String> = record
                .iter()
                .map(|f| String::from_utf8_lossy(f).trim().to_owned())
                .collect();
            if let Some(first) = fields.first_mut() {
                *first = bare_text(first).to_owned();
            }
            if is_header(&fields) {
                return Some(delimiter);
            }
        }
        let end = rest[line.len()..].iter().position(|b| *b == b'\n')?;
        rest = &rest[line.len() + end + 1..];
    }
    None
}

/// How many rows with data are searched for the header (a title may sit above it), as in
/// workbooks.
pub const HEADER_SEARCH_ROWS: usize = 10;

/// The trimmed text of a header row's fields; its column count within the cap.
fn header_fields(
    name: &str,
    record: &ByteRecord,
    line: u64,
    decoder: &mut FieldDecoder,
    options: &ReadOptions,
) -> Result<Vec<String>> {
    if record.len() > options.limits.max_columns {
        bail!(
            "{name}: the header row has {} columns, more than the cap of {} (Excel's own \
                 limit is 16,384)\nhint: check the delimiter (--delimiter), or raise the cap with \
                 --max-columns N",
            record.len(),
            options.limits.max_columns
        );
    }
    let mut fields = Vec::with_capacity(record.len());
    let mut buf = String::new();
    for (i, field) in record.iter().enumerate() {
        let text = decoder.decode(field, &mut buf).map_err(|e| {
            anyhow!(
                "{name}:{line}: header {} is not valid {} text (byte {})\n\
                     hint: pass --encoding with the file's encoding",
                i + 1,
                decoder.encoding().name(),
                e.offset
            )
        })?;
        // A BOM inside the file (exports joined) or read as text (`ï»¿`) is not part of
        // the first header's name; nor are the quotes the parser keeps after it.
        let text = if i == 0 { bare_text(text) } else { text.trim() };
        fields.push(text.to_owned());
    }
    decoder.take_switch();
    Ok(fields)
}

/// See [`super::repeat::bare`].
fn bare_text(text: &str) -> &str {
    let bare = super::repeat::bare(text.as_bytes());
    // `bare` strips whole characters only (ASCII and complete BOM sequences).
    std::str::from_utf8(bare).unwrap_or(text.trim())
}

impl CsvTable {
    /// The next record after the first, undecoded, with the line it starts on and the
    /// table's decoder; `None` after the last. With `skip_blank`, records with no data
    /// (`,,,,`) are skipped and counted in the info's blank rows.
    pub fn next_raw(&mut self, skip_blank: bool) -> Result<Option<RawRecord<'_>>> {
        let CsvTable {
            name,
            records,
            decoder,
            line_offset,
            max_columns,
            info,
            repeated,
            ..
        } = self;
        let blank = std::cell::Cell::new(0);
        let skip = |r: &Record| {
            if skip_blank && is_blank(&r.fields) {
                blank.set(blank.get() + 1);
                return true;
            }
            if r.kind == RecordKind::RepeatedHeader {
                // Locked only here: copies of the header are rare, records are not.
                let mut repeats = repeated.lock().unwrap_or_else(|e| e.into_inner());
                repeats.push(r.line + *line_offset);
                return true;
            }
            false
        };
        let next = records.next_record(skip, &mut 0)?;
        info.blank_rows += blank.get();
        let Some((record, line)) = next else {
            return Ok(None);
        };
        let line = line + *line_offset;
        if record.len() > *max_columns {
            bail!(
                "{name}:{line}: {} fields, more than the cap of {max_columns} columns\nhint: \
                 check the delimiter and quoting at that line, or raise the cap with \
                 --max-columns N",
                record.len(),
            );
        }
        Ok(Some(RawRecord {
            record,
            line,
            name,
            decoder,
            info,
        }))
    }

    /// The next record after the first, each field decoded into `fields` (trimmed), and the
    /// line it starts on; `None` after the last.
    pub fn next_record(
        &mut self,
        fields: &mut Vec<String>,
        skip_blank: bool,
    ) -> Result<Option<u64>> {
        let Some(raw) = self.next_raw(skip_blank)? else {
            return Ok(None);
        };
        let RawRecord {
            record,
            line,
            name,
            decoder,
            ..
        } = raw;
        fields.clear();
        let mut buf = String::new();
        for (i, field) in record.iter().enumerate() {
            let text = decoder.decode(field, &mut buf).map_err(|e| {
                anyhow!(
                    "{name}:{line}: field {} is not valid {} text (byte {} of the field)\n\
                     hint: the file mixes encodings; re-save it as UTF-8, or pass --encoding \
                     with the encoding it is in",
                    i + 1,
                    decoder.encoding().name(),
                    e.offset
                )
            })?;
            fields.push(text.trim().to_owned());
        }
        decoder.take_switch();
        Ok(Some(line))
    }
}

/// One record of a [`CsvTable`], with what decoding it needs.
pub struct RawRecord<'a> {
    pub record: &'a ByteRecord,
    /// The physical line where it starts.
    pub line: u64,
    /// The input's name, for messages.
    pub name: &'a str,
    pub decoder: &'a mut FieldDecoder,
    pub info: &'a mut InputInfo,
}
