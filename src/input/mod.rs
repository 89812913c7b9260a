//! Inputs: open a path (or `-` for standard input), recognise what it is, and hand out rows
//! with their fields resolved by role.
//!
//! Every reader implements [`RowSource`]; the audit loop does not know which format it reads.

pub mod csv;
pub mod feed;
pub mod encoding;
pub mod lines;
pub mod records;

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::classify::Row;
use crate::columns::{Polarity, Role, Schema, ROLES};
use crate::warnings::Warnings;

/// How to read inputs, from the command line.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub delimiter: Option<u8>,
    pub overrides: Vec<(Role, String)>,
    /// Roles the command does not use (by [`Role::index`]): their fields are not decoded.
    pub ignore: [bool; crate::columns::ROLE_COUNT],
}

/// Where a row is in its input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// 1-based physical line where the record starts.
    Line(u64),
}

/// A row's place, for messages: `file:line`.
#[derive(Debug, Clone, Copy)]
pub struct Location<'a> {
    pub input: &'a str,
    pub pos: &'a Position,
}

impl Position {
    /// The line (or row) number, for remembering where a user was first seen.
    pub fn number(&self) -> u64 {
        match self {
            Position::Line(line) => *line,
        }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Position::Line(line) => write!(f, "{}:{}", self.input, line),
        }
    }
}

/// One row and where it is.
#[derive(Debug)]
pub struct RowAt<'a> {
    pub pos: Position,
    pub row: Row<'a>,
}

/// What the summary says about an input.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub path: String,
    pub format: &'static str,
    pub encoding: String,
    pub encoding_source: &'static str,
    pub delimiter: Option<String>,
    /// `#TYPE` line, when PowerShell 5.1 wrote one.
    pub type_name: Option<String>,
    /// Users read (rows with data).
    pub rows: u64,
    /// Rows with no data at all, skipped.
    pub blank_rows: u64,
    /// The header used for each role found.
    pub columns: std::collections::BTreeMap<&'static str, String>,
    /// Meaning of the blocked column.
    pub blocked_column_meaning: Option<&'static str>,
}

impl InputInfo {
    pub fn new(path: &str, format: &'static str) -> InputInfo {
        InputInfo {
            path: path.to_owned(),
            format,
            encoding: String::new(),
            encoding_source: "",
            delimiter: None,
            type_name: None,
            rows: 0,
            blank_rows: 0,
            columns: Default::default(),
            blocked_column_meaning: None,
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

    /// Records the resolved columns.
    pub fn set_schema(&mut self, schema: &Schema) {
        for role in ROLES {
            if let Some(h) = schema.header(role) {
                self.columns.insert(role.cli_name(), h.to_owned());
            }
        }
        self.blocked_column_meaning = schema.column(Role::Blocked).map(|_| match schema.polarity {
            Polarity::TrueIsBlocked => "true = sign-in blocked",
            Polarity::TrueIsEnabled => "true = account enabled",
        });
    }
}

/// A reader of user rows.
pub trait RowSource {
    /// The columns, resolved from the header.
    fn schema(&self) -> &Schema;
    /// The next row with data, or `None` at the end.
    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>>;
    /// Average bytes per row seen at the start of the input, to estimate how many users a
    /// file of a given size holds.
    fn bytes_per_row(&self) -> Option<f64> {
        None
    }

    /// A live count of the input's bytes consumed so far (for progress).
    fn byte_counter(&self) -> Arc<AtomicU64>;
    /// What the summary says about this input.
    fn info(&self) -> &InputInfo;

    /// Problems with the header row worth a warning.
    fn header_warnings(&self) -> Vec<String> {
        let schema = self.schema();
        schema
            .duplicate_headers
            .iter()
            .map(|(h, first, later)| {
                format!(
                    "{}: header {h:?} appears in columns {} and {}; column {} is used",
                    self.info().path,
                    first + 1,
                    later + 1,
                    first + 1
                )
            })
            .collect()
    }
}

/// An input as named on the command line.
#[derive(Debug, Clone)]
pub struct InputSpec {
    /// As given; `-` is standard input.
    pub path: String,
}

impl InputSpec {
    pub fn is_stdin(&self) -> bool {
        self.path == "-"
    }

    /// The name used in messages.
    pub fn display(&self) -> &str {
        if self.is_stdin() {
            "<stdin>"
        } else {
            &self.path
        }
    }

    /// The input's size in bytes, when it is a regular file.
    pub fn file_size(&self) -> Option<u64> {
        if self.is_stdin() {
            return None;
        }
        std::fs::metadata(&self.path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }
}

/// The bytes of an input, readable from the parser's thread.
pub type ByteStream = Box<dyn Read + Send>;

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
pub fn open(spec: &InputSpec, options: &ReadOptions) -> Result<Box<dyn RowSource>> {
    let name = spec.display();
    let raw: ByteStream = if spec.is_stdin() {
        Box::new(io::stdin())
    } else {
        let path = Path::new(&spec.path);
        if path.is_dir() {
            bail!("{name}: is a folder; give the export file itself");
        }
        Box::new(File::open(path).with_context(|| format!("cannot open {name}"))?)
    };
    let count = Arc::new(AtomicU64::new(0));
    let mut raw: ByteStream = Box::new(Counting {
        inner: raw,
        count: Arc::clone(&count),
    });
    let (sample, at_eof) =
        read_sample(&mut raw, SAMPLE_LEN).with_context(|| format!("cannot read {name}"))?;
    refuse_non_text(name, &sample)?;
    let source = csv::CsvSource::open(name, sample, at_eof, raw, count, options)?;
    Ok(Box::new(source))
}

/// Recognises files that are not text exports and says what they are.
fn refuse_non_text(name: &str, sample: &[u8]) -> Result<()> {
    if sample.starts_with(b"PK\x03\x04") {
        bail!(
            "{name}: this is a ZIP container (an .xlsx workbook?), not a CSV export\n\
             hint: in Excel, use File > Save As > CSV UTF-8, or export with Export-Csv"
        );
    }
    if sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        bail!(
            "{name}: this is an OLE compound file (a legacy .xls workbook or a password-protected \
             workbook), not a CSV export\nhint: open it in Excel and save it as CSV UTF-8"
        );
    }
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
