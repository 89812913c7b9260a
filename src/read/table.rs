//! Inputs that are not user exports: `--exceptions` files and sign-in downloads (and their
//! AuthDetails companions), opened as a table of records or a stream of JSON objects.
//!
//! They used to have parsers of their own, and each missed something the user-export reader
//! knows: a UTF-16 file (what `>` writes in Windows PowerShell 5.1) was read as mojibake and
//! silently matched nobody, standard input was not accepted, and a record had no size cap.
//! Here they go through the same machinery as user exports: [`Source`] for the bytes,
//! [`detect`] for the encoding (BOM, UTF-16 without BOM, legacy code pages, `--encoding`),
//! [`CsvTable`] for CSV (preamble, delimiter, `--max-record-size`, `--max-columns`, `file:line`
//! positions), and [`stream_items`] for JSON. What the records mean is the caller's business.

use std::io;

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};

use crate::read::csv::CsvTable;
use crate::read::items::{next_link_error, stream_items, ItemHandler};
use crate::read::{
    detect, json, read_sample, refuse_non_text, workbook, ByteStream, Limits, NextLinkPolicy,
    ReadOptions, Source, SAMPLE_LEN,
};

/// An opened input: CSV records, or JSON objects.
pub enum Table {
    /// Boxed: a CSV table carries its parser's state, an order of magnitude more than JSON.
    Csv(Box<CsvTable>),
    Json(JsonItems),
}

/// The objects of a JSON input, not yet read.
pub struct JsonItems {
    name: String,
    stream: ByteStream,
    limits: Limits,
    next_link: NextLinkPolicy,
}

impl JsonItems {
    /// Streams every object to `each` (with its 1-based position); an error from `each` stops
    /// the read and is returned as it is.
    pub fn for_each(
        self,
        mut each: impl FnMut(u64, Map<String, Value>) -> Result<(), String>,
    ) -> Result<()> {
        struct Handler<'f, F> {
            next_link: NextLinkPolicy,
            name: String,
            count: u64,
            each: &'f mut F,
        }
        impl<F: FnMut(u64, Map<String, Value>) -> Result<(), String>> ItemHandler for Handler<'_, F> {
            fn item(&mut self, item: Map<String, Value>) -> Result<(), String> {
                self.count += 1;
                (self.each)(self.count, item)
            }
            fn name(&self) -> &str {
                &self.name
            }
            fn count(&self) -> u64 {
                self.count
            }
            fn next_link(&mut self, link: &str) -> Result<(), String> {
                match self.next_link {
                    NextLinkPolicy::Refuse => Err(next_link_error(&self.name, link)),
                    NextLinkPolicy::OtherPages | NextLinkPolicy::Allowed => Ok(()),
                }
            }
        }
        let mut handler = Handler {
            next_link: self.next_link,
            name: self.name,
            count: 0,
            each: &mut each,
        };
        stream_items(self.stream, &mut handler, self.limits)
    }
}

impl JsonItems {
    /// Streams every object to a handler of the caller's (one that needs the page's
    /// `@odata.context`, or decides about `@odata.nextLink` itself).
    pub fn stream(self, handler: &mut dyn ItemHandler) -> Result<()> {
        stream_items(self.stream, handler, self.limits)
    }
}

impl Table {
    /// The input's name, for messages.
    pub fn name(&self) -> &str {
        match self {
            Table::Csv(t) => &t.name,
            Table::Json(j) => &j.name,
        }
    }
}

/// Opens `source` as a table (see the module documentation). `options` gives the encoding
/// and the caps; a `--delimiter` meant for the user exports is not applied.
pub fn open(source: &Source, options: &ReadOptions) -> Result<Table> {
    let name = source.display();
    open_stream(&name, source.open()?, options)
}

/// Opens an input held in memory (tests use this).
pub fn open_bytes(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Table> {
    open_stream(name, Box::new(io::Cursor::new(bytes)), options)
}

fn open_stream(name: &str, mut raw: ByteStream, options: &ReadOptions) -> Result<Table> {
    let (sample, at_eof) =
        read_sample(&mut raw, SAMPLE_LEN).with_context(|| format!("cannot read {name}"))?;
    if workbook::sniff(&sample).is_some() {
        bail!(
            "{name}: this is a workbook; this input is read as CSV (or JSON)\n\
             hint: save it from Excel as \"CSV UTF-8 (Comma delimited)\""
        );
    }
    refuse_non_text(name, &sample)?;
    let text = detect::text(name, sample, at_eof, raw, options.encoding)?;
    if json::looks_like_json(&text.sample) {
        return Ok(Table::Json(JsonItems {
            name: name.to_owned(),
            stream: text.into_utf8_stream(),
            limits: options.limits,
            next_link: options.next_link,
        }));
    }
    let mut csv = options.clone();
    csv.delimiter = None;
    Ok(Table::Csv(Box::new(CsvTable::open(name, text, &csv)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(bytes: &[u8]) -> Result<Vec<(u64, Vec<String>)>> {
        let Table::Csv(mut t) = open_bytes("t.csv", bytes.to_vec(), &ReadOptions::default())?
        else {
            panic!("not read as CSV");
        };
        let mut out: Vec<(u64, Vec<String>)> =
            t.first.take().map(|(f, l)| (l, f)).into_iter().collect();
        let mut fields = Vec::new();
        while let Some(line) = t.next_record(&mut fields, false)? {
            out.push((line, fields.clone()));
        }
        Ok(out)
    }

    #[test]
    fn every_encoding_gives_the_same_records_and_lines() {
        let utf8 = "# note\r\nUPN;Reason\r\nzoë@x;ok\r\n\r\n;\r\n";
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
        let mut utf16_nobom = Vec::new();
        utf16_nobom.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
        let cp1252 = encoding_rs::WINDOWS_1252.encode(utf8).0.into_owned();
        let want = vec![
            (2, vec!["UPN".to_owned(), "Reason".to_owned()]),
            (3, vec!["zoë@x".to_owned(), "ok".to_owned()]),
            (5, vec![String::new(), String::new()]),
        ];
        for bytes in [utf8.as_bytes().to_vec(), utf16, utf16_nobom, cp1252] {
            assert_eq!(records(&bytes).unwrap(), want);
        }
    }

    #[test]
    fn caps_name_the_line_and_json_streams_objects() {
        let mut options = ReadOptions::default();
        options.limits.max_columns = 2;
        let Table::Csv(mut t) =
            open_bytes("t.csv", b"a,b\n1,2\n1,2,3\n".to_vec(), &options).unwrap()
        else {
            panic!("not CSV");
        };
        let mut fields = Vec::new();
        assert_eq!(t.next_record(&mut fields, false).unwrap(), Some(2));
        let err = t.next_record(&mut fields, false).unwrap_err().to_string();
        assert!(err.starts_with("t.csv:3: 3 fields"), "{err}");

        let json = br#"{"value": [{"a": 1}, {"a": 2}]}"#.to_vec();
        let Table::Json(items) = open_bytes("t.json", json, &ReadOptions::default()).unwrap()
        else {
            panic!("not JSON");
        };
        let mut seen = Vec::new();
        items
            .for_each(|n, o| {
                seen.push((n, o["a"].clone()));
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, vec![(1, Value::from(1)), (2, Value::from(2))]);
    }
}
