//! Inputs: open a path (or `-` for standard input), recognise what it is, and hand out rows
//! with their fields resolved by role.
//!
//! Every reader implements [`RowSource`]; the audit loop does not know which format it reads.

pub mod boolean;
mod boolean_words;
pub mod conditional_access;
pub(crate) mod csv;
pub mod detect;
pub(crate) mod feed;
pub(crate) mod hash;
pub(crate) mod items;
pub(crate) mod json;
pub mod policies;
pub mod role;
pub mod schema;
pub mod shape;
pub mod signin_columns;
pub mod signin_steps;
pub mod signins;
pub mod source;
pub(crate) mod table;
pub(crate) mod workbook;

pub use source::{ByteStream, InputSpec, Source};

use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::read::schema::Row;
use crate::read::schema::{Polarity, Role, Schema, ROLES};
use crate::warnings::Warnings;

/// Caps that keep a hostile or broken input from taking unbounded memory or time. Each can be
/// raised on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest CSV record (`--max-record-size`): an unterminated quote would otherwise swallow
    /// the rest of the file into one field.
    pub max_record_bytes: u64,
    /// Most columns (`--max-columns`); Excel's own limit is 16,384.
    pub max_columns: usize,
    /// Largest total uncompressed size of a workbook's parts (`--max-unpacked`).
    pub max_unpacked: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_record_bytes: 16 << 20,
            max_columns: 16_384,
            max_unpacked: 4 << 30,
        }
    }
}

/// How to read inputs, from the command line.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub limits: Limits,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub delimiter: Option<u8>,
    pub overrides: Vec<crate::read::schema::ColumnOverride>,
    /// The worksheet to read (`--sheet`), by name or 1-based position.
    pub sheet: Option<String>,
    /// Roles the command does not use (by [`Role::index`]): their fields are not decoded.
    pub ignore: [bool; crate::read::schema::ROLE_COUNT],
    /// Hash each input's bytes as they are read, into [`InputInfo::sha256`] (the HTML report).
    pub hash: bool,
    /// What a Graph page that carries `@odata.nextLink` means for this run.
    pub next_link: NextLinkPolicy,
}

/// A Graph page with `@odata.nextLink` is one page of a longer list: what to do with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NextLinkPolicy {
    /// The only input: the other pages are missing, so every count would be short. Refused.
    #[default]
    Refuse,
    /// The run has other inputs, presumably the next pages: read, with a warning to check
    /// that every page is there.
    OtherPages,
    /// `--allow-partial`: the admin audits this page alone on purpose; a major warning.
    Allowed,
}

/// Where a row is in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based physical line where the record starts (CSV).
    Line(u64),
    /// 1-based row of a worksheet.
    Row(u64),
    /// 1-based position of a user in a JSON array.
    Item(u64),
}

/// A row's place, for messages: `file:line`, or `file:Sheet1 row 12` in a workbook.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    pub input: &'a str,
    /// The worksheet, for workbook inputs.
    pub sheet: Option<&'a str>,
    pub pos: &'a Position,
}

impl Position {
    /// The line (or row) number, for remembering where a user was first seen.
    pub fn number(&self) -> u64 {
        match self {
            Position::Line(n) | Position::Row(n) | Position::Item(n) => *n,
        }
    }
}

impl<'a> Location<'a> {
    /// The place of one field of the row: in a workbook the cell (`file:Sheet1!C12`), in a
    /// CSV file the line.
    pub fn cell(self, column: Option<usize>) -> CellAt<'a> {
        CellAt { at: self, column }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.pos, self.sheet) {
            (Position::Row(row), Some(sheet)) => write!(f, "{}:{sheet} row {row}", self.input),
            (Position::Item(n), _) => write!(f, "{}: user {n}", self.input),
            (pos, _) => write!(f, "{}:{}", self.input, pos.number()),
        }
    }
}

/// See [`Location::cell`].
#[derive(Debug, Clone, Copy)]
pub struct CellAt<'a> {
    at: Location<'a>,
    column: Option<usize>,
}

impl<'a> CellAt<'a> {
    /// The row's place.
    pub fn location(&self) -> Location<'a> {
        self.at
    }
}

impl fmt::Display for CellAt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.at.pos, self.at.sheet, self.column) {
            (Position::Row(row), Some(sheet), Some(col)) => {
                write!(f, "{}:{}", self.at.input, cell_name(sheet, *row, col))
            }
            _ => self.at.fmt(f),
        }
    }
}

/// `Sheet1!C12`; sheet names that need it are quoted as Excel does (`'My Users'!C12`).
pub fn cell_name(sheet: &str, row: u64, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    let letters = String::from_utf8(letters).unwrap_or_default();
    if sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
        format!("{sheet}!{letters}{row}")
    } else {
        format!("'{}'!{letters}{row}", sheet.replace('\'', "''"))
    }
}

/// One row and where it is.
#[derive(Debug)]
pub struct RowAt<'a> {
    pub pos: Position,
    pub row: Row<'a>,
}

/// A row from texts by role (readers that keep one text per role): the roles the input has and
/// the command uses, the others `None`.
pub fn row_of<'a>(
    schema: &Schema,
    ignore: &[bool; crate::read::schema::ROLE_COUNT],
    fields: &'a [String; crate::read::schema::ROLE_COUNT],
) -> Row<'a> {
    let mut row = Row::default();
    for role in ROLES {
        let i = role.index();
        if schema.column(role).is_some() && !ignore[i] {
            row.fields[i] = Some(fields[i].as_str());
        }
    }
    row
}

/// What an input turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    Csv,
    Json,
    Xlsx,
    Xlsb,
    Xls,
    /// OpenDocument spreadsheet (LibreOffice Calc).
    Ods,
}

impl InputFormat {
    /// As the summaries name it: `csv`, `json`, `xlsx`, `xlsb`, `xls`, `ods`.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Json => "json",
            InputFormat::Xlsx => "xlsx",
            InputFormat::Xlsb => "xlsb",
            InputFormat::Xls => "xls",
            InputFormat::Ods => "ods",
        }
    }
}

/// What the summary says about an input.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub path: String,
    pub format: InputFormat,
    pub encoding: String,
    pub encoding_source: &'static str,
    pub delimiter: Option<String>,
    /// `#TYPE` line, when PowerShell 5.1 wrote one.
    pub type_name: Option<String>,
    /// The worksheet read, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The row holding the headers, for workbooks (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    /// Users read (rows with data).
    pub rows: u64,
    /// Rows with no data at all, skipped.
    pub blank_rows: u64,
    /// The header used for each role found.
    pub columns: std::collections::BTreeMap<&'static str, String>,
    /// Meaning of the blocked column.
    pub blocked_column_meaning: Option<&'static str>,
    /// The community script that wrote the input, recognised by its headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<crate::read::shape::Shape>,
    /// Which column decided sign-in state, and which way it reads (human summary).
    #[serde(skip)]
    pub sign_in_from: String,
    /// Which columns decided registration (human summary).
    #[serde(skip)]
    pub registration_from: String,
    /// SHA-256 of the input's bytes, when [`ReadOptions::hash`] asked for it and the input was
    /// read to its end. Not in the JSON summary.
    #[serde(skip)]
    pub sha256: Option<String>,
}

impl InputInfo {
    pub fn new(path: &str, format: InputFormat) -> InputInfo {
        InputInfo {
            path: path.to_owned(),
            format,
            encoding: String::new(),
            encoding_source: "",
            delimiter: None,
            type_name: None,
            sheet: None,
            header_row: None,
            rows: 0,
            blank_rows: 0,
            columns: Default::default(),
            blocked_column_meaning: None,
            shape: None,
            sign_in_from: String::new(),
            registration_from: String::new(),
            sha256: None,
        }
    }

    /// The encoding as the human summary shows it.
    pub fn encoding_label(&self) -> String {
        match self.encoding_source {
            "guessed" => format!(
                "{}, guessed: pass --encoding if names look wrong",
                self.encoding
            ),
            "--encoding" => format!("{}, from --encoding", self.encoding),
            "NUL byte pattern" => format!("{} without BOM", self.encoding),
            _ => self.encoding.clone(),
        }
    }

    /// Where row (or line) `number` of this input is, for messages.
    pub fn place(&self, number: u64) -> String {
        let pos = match (self.sheet.is_some(), self.format) {
            (true, _) => Position::Row(number),
            (false, InputFormat::Json) => Position::Item(number),
            _ => Position::Line(number),
        };
        Location {
            input: &self.path,
            sheet: self.sheet.as_deref(),
            pos: &pos,
        }
        .to_string()
    }

    /// What the human summary says after the file name: format, encoding, delimiter, sheet.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.format.name().to_uppercase()];
        if let Some(shape) = self.shape {
            parts.push(format!("written by {shape}"));
        }
        if let Some(sheet) = &self.sheet {
            parts.push(format!("sheet {sheet:?}"));
        }
        if let Some(row) = self.header_row.filter(|r| *r > 1) {
            parts.push(format!("headers in row {row}"));
        }
        if !self.encoding.is_empty() {
            parts.push(self.encoding_label());
        }
        if let Some(d) = &self.delimiter {
            parts.push(format!("delimiter {d:?}"));
        }
        if self.blank_rows > 0 {
            let rows = if self.blank_rows == 1 { "row" } else { "rows" };
            parts.push(format!(
                "{} empty {rows} skipped",
                crate::numbers::thousands(self.blank_rows)
            ));
        }
        parts.join(", ")
    }

    /// Records the resolved columns. The object id is recorded only when the command uses it
    /// (`--policies`), so that the summaries of runs without it stay as they were.
    pub fn set_schema(
        &mut self,
        schema: &Schema,
        ignore: &[bool; crate::read::schema::ROLE_COUNT],
    ) {
        for role in ROLES {
            if role == Role::ObjectId && ignore[role.index()] {
                continue;
            }
            if let Some(h) = schema.header(role) {
                self.columns.insert(role.cli_name(), h.to_owned());
            }
        }
        self.blocked_column_meaning = schema.column(Role::Blocked).map(|_| match schema.polarity {
            Polarity::TrueIsBlocked => "true = sign-in blocked",
            Polarity::TrueIsEnabled => "true = account enabled",
        });
        self.shape = schema.shape;
        self.sign_in_from = sign_in_from(schema);
        self.registration_from = registration_from(schema);
    }

    /// The human summary's line on which columns decided sign-in state and registration.
    pub fn columns_line(&self) -> String {
        format!("{}; {}", self.sign_in_from, self.registration_from)
    }
}

/// `sign-in state from "SignIn Status" (Allowed = can sign in)`.
fn sign_in_from(schema: &Schema) -> String {
    let Some(header) = schema.header(Role::Blocked) else {
        return "sign-in state: no column (everyone taken as able to sign in)".to_owned();
    };
    let direction = match (
        crate::read::schema::normalize(header).as_str(),
        schema.polarity,
    ) {
        ("signinstatus" | "accountstatus", _) => "Allowed = can sign in",
        (_, Polarity::TrueIsBlocked) => "true = blocked",
        (_, Polarity::TrueIsEnabled) => "true = can sign in",
    };
    format!(
        "sign-in state from {} ({direction})",
        crate::terminal::quote(header)
    )
}

/// `registration from "MFARegistration" (yes/no), methods from "MFAMethods"`.
fn registration_from(schema: &Schema) -> String {
    let q = |role| {
        schema
            .header(role)
            .map(|h| crate::terminal::quote(h).to_string())
    };
    let method_columns: Vec<String> = crate::read::schema::METHOD_COLUMNS
        .iter()
        .filter_map(|(r, _)| q(*r))
        .collect();
    let mut parts = Vec::new();
    match (q(Role::Registered), q(Role::Methods)) {
        (Some(flag), Some(list)) => parts.push(format!(
            "registration from {flag} (yes/no), methods from {list}"
        )),
        (Some(flag), None) => parts.push(format!("registration from {flag} (yes/no)")),
        (None, Some(list)) => parts.push(format!("registration from the methods in {list}")),
        (None, None) => {}
    }
    if !method_columns.is_empty() {
        parts.push(format!(
            "{} one column each: {}",
            if parts.is_empty() {
                "registration from methods in"
            } else {
                "methods in"
            },
            method_columns.join(", ")
        ));
    }
    if let Some(hint) = q(Role::AnyMethod) {
        parts.push(format!(
            "{hint} only as a hint (it counts methods that are not MFA)"
        ));
    }
    if parts.is_empty() {
        return "registration: no column".to_owned();
    }
    parts.join(", ")
}

/// A reader of user rows.
pub trait RowSource {
    /// The columns, resolved from the header.
    fn schema(&self) -> &Schema;
    /// The next row with data, or `None` at the end.
    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>>;
    /// About how many rows the input holds (`file_size` when it is a regular file), to make
    /// room for them in advance.
    fn estimated_rows(&self, file_size: Option<u64>) -> Option<u64> {
        let _ = file_size;
        None
    }

    /// A live count of the input's bytes consumed so far (for progress).
    fn byte_counter(&self) -> Arc<AtomicU64>;
    /// What the summary says about this input.
    fn info(&self) -> &InputInfo;
    /// The SHA-256 of the input's bytes once read to the end (see [`hash`]).
    fn sha256(&self) -> Option<String> {
        None
    }

    /// Problems with the header row worth a warning, and what a recognised script's file
    /// cannot tell.
    fn header_warnings(&self) -> Vec<String> {
        let schema = self.schema();
        let path = &self.info().path;
        let mut out: Vec<String> = schema
            .duplicate_headers
            .iter()
            .map(|(h, first, later)| {
                format!(
                    "{path}: header {} appears in columns {} and {}; column {} is used",
                    crate::terminal::quote(h),
                    first + 1,
                    later + 1,
                    first + 1
                )
            })
            .collect();
        for (col, what) in &schema.not_state {
            out.push(format!(
                "{path}: column {} is {what}, not per-user MFA state: it is not read as MFA \
                 Status, which is Unknown in the report (map it with --column status=HEADER \
                 if it really is per-user state)",
                crate::terminal::quote(&schema.headers[*col])
            ));
        }
        if let Some(caveat) = schema.shape.and_then(|s| s.caveat()) {
            out.push(format!("{path}: {caveat}"));
        }
        out
    }
}

/// A byte source that counts what has been read from it.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Fails a read once more than `cap` bytes were read since the reader last reset `used` (the
/// CSV parser does after each record): bounds the memory one record can take.
pub struct RecordBudget<R> {
    pub inner: R,
    pub used: Arc<AtomicU64>,
    pub cap: u64,
}

/// The error [`RecordBudget`] raises, recognised to word the message.
#[derive(Debug)]
pub struct RecordTooLarge(pub u64);

impl fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a record is longer than {} MiB", self.0 >> 20)
    }
}

impl std::error::Error for RecordTooLarge {}

impl<R: Read> Read for RecordBudget<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.used.fetch_add(n as u64, Ordering::Relaxed) + n as u64 > self.cap {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                RecordTooLarge(self.cap),
            ));
        }
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Bytes read to recognise an input.
pub const SAMPLE_LEN: usize = 64 * 1024;

/// Reads up to `limit` bytes; the flag is true when the input ended within them.
pub fn read_sample(reader: &mut dyn Read, limit: usize) -> io::Result<(Vec<u8>, bool)> {
    let mut sample = Vec::with_capacity(limit.min(SAMPLE_LEN));
    reader.take(limit as u64).read_to_end(&mut sample)?;
    let at_eof = sample.len() < limit;
    Ok((sample, at_eof))
}

/// Opens an input and returns the reader for its format.
pub fn open(spec: &Source, options: &ReadOptions) -> Result<Box<dyn RowSource>> {
    let name = spec.display();
    let raw = spec.open()?;
    // A workbook reader seeks: it reads the file itself, not the stream.
    let reopen = spec.path();
    if !options.hash {
        return open_stream(&name, raw, reopen, options);
    }
    let (raw, digest) = hash::HashingReader::new(raw);
    let inner = open_stream(&name, Box::new(raw), reopen, options)?;
    Ok(Box::new(hash::Hashed { inner, digest }))
}

/// Opens an input held in memory (tests and fuzzing use this).
pub fn open_bytes(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Box<dyn RowSource>> {
    open_stream(name, Box::new(io::Cursor::new(bytes)), None, options)
}

/// Recognises the format from the first bytes and opens the reader for it. `reopen`: the file
/// to open again for formats that need to seek (workbooks); without it the stream is read
/// into memory.
fn open_stream(
    name: &str,
    raw: ByteStream,
    reopen: Option<&Path>,
    options: &ReadOptions,
) -> Result<Box<dyn RowSource>> {
    let count = Arc::new(AtomicU64::new(0));
    let mut raw: ByteStream = Box::new(Counting {
        inner: raw,
        count: Arc::clone(&count),
    });
    let (sample, at_eof) =
        read_sample(&mut raw, SAMPLE_LEN).with_context(|| format!("cannot read {name}"))?;
    if let Some(container) = workbook::sniff(&sample) {
        let bytes = match reopen {
            Some(path) => {
                if options.hash {
                    // The hash is of the bytes of this stream, not of the reopened file.
                    io::copy(&mut raw, &mut io::sink())
                        .with_context(|| format!("cannot read {name}"))?;
                }
                count.store(0, Ordering::Relaxed);
                let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
                workbook::WorkbookBytes::File(file)
            }
            None => {
                let mut all = sample;
                raw.read_to_end(&mut all)
                    .with_context(|| format!("cannot read {name}"))?;
                workbook::WorkbookBytes::Memory(all)
            }
        };
        let source = workbook::WorkbookSource::open(name, container, bytes, count, options)?;
        return Ok(Box::new(source));
    }
    refuse_non_text(name, &sample)?;
    let text = detect::text(name, sample, at_eof, raw, options.encoding)?;
    if json::looks_like_json(&text.sample) {
        let described = text.detected.describe();
        let stream = text.into_utf8_stream();
        let source = json::JsonSource::open(name, stream, described, count, options)?;
        return Ok(Box::new(source));
    }
    let source = csv::CsvSource::open(name, text, count, options)?;
    Ok(Box::new(source))
}

/// Recognises files that are not text exports and says what they are.
pub(crate) fn refuse_non_text(name: &str, sample: &[u8]) -> Result<()> {
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"%PDF", "a PDF document"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"GIF8", "a GIF image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
    ];
    for (prefix, what) in magic {
        if sample.starts_with(prefix) {
            bail!("{name}: this is {what}, not a CSV export");
        }
    }
    Ok(())
}
