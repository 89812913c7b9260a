//! The objects of a JSON file, streamed one at a time: a Graph page (`{"value": [...]}`,
//! `@odata.*` keys ignored), a bare array, or a single object (what `ConvertTo-Json` writes for
//! one). User exports ([`super::json`]) and sign-in downloads ([`super::signins`]) both read
//! their objects through [`stream_items`], so that the same caps and the same error positions
//! apply to every JSON input, and no file is ever held whole in memory.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

use anyhow::{anyhow, Result};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::read::{Limits, RecordTooLarge};
use crate::terminal::quote;

/// Marks our own errors raised inside the visitor (serde_json wraps them in its error type).
const MESSAGE_PREFIX: &str = "mfa-audit: ";

/// Receives the objects of a JSON file one at a time (see [`stream_items`]).
pub trait ItemHandler {
    /// One object of the array (or the file's single object). An error stops the parse.
    fn item(&mut self, item: Map<String, Value>) -> Result<(), String>;
    /// The file, for messages.
    fn name(&self) -> &str;
    /// Objects handled so far.
    fn count(&self) -> u64;
    /// The page carries `@odata.nextLink`: the users of the next pages are not in the file.
    /// Refused unless the handler knows better (`--allow-partial`).
    fn next_link(&mut self, link: &str) -> Result<(), String> {
        Err(next_link_error(self.name(), link))
    }
    /// A key that appears twice in one object (`item` is 1-based); the later value is kept,
    /// as every JSON parser does, so readers whose data it may change say so.
    fn duplicate_key(&mut self, item: u64, key: &str) {
        let _ = (item, key);
    }
    /// The key of the current object whose value is being read (`None` between values), so
    /// that a value beyond the byte cap is named by its key.
    fn at_key(&mut self, key: Option<&str>) {
        let _ = key;
    }
    /// The page's `@odata.context` (the entity set it lists): how a reader that takes several
    /// kinds of export tells what an empty page was a page of.
    fn context(&mut self, url: &str) {
        let _ = url;
    }
}

/// The error for a Graph page that is not the last one.
pub fn next_link_error(name: &str, link: &str) -> String {
    format!(
        "{name}: the file is one page of a Microsoft Graph response: it carries \
         @odata.nextLink ({}), so the users on the next pages are not in it and every count \
         would be short; nothing was written\nhint: export every page (Get-MgUser -All, \
         Get-MgReportAuthenticationMethodUserRegistrationDetail -All, or follow each \
         @odata.nextLink and join the pages' value arrays); to audit this page alone, pass \
         --allow-partial",
        crate::terminal::quote(link)
    )
}

/// Streams the objects of a JSON file (an array, a Graph page `{"value": [...]}`, or a single
/// object) to `handler`; errors name the file, and the line and column for invalid JSON.
///
/// The caps of every input apply: one object may not take more than `--max-record-size`
/// bytes (a string value of gigabytes, or one that never closes, would otherwise be read
/// whole: the bytes are counted as they are read, so no value is held beyond the cap) nor
/// more than `--max-columns` keys.
pub fn stream_items(
    text: impl std::io::Read,
    handler: &mut dyn ItemHandler,
    limits: Limits,
) -> Result<()> {
    let mut limited = Limited::new(handler, limits);
    let mut input = array::Input::new(text, limits.max_record_bytes);
    let first = input
        .first_byte()
        .map_err(|e| json_error(limited.name(), serde_json::Error::io(e)))?;
    if first == Some(b'[') {
        return array::stream_array(&mut input, &mut limited, limits);
    }
    stream_any(input.into_reader(), limited, limits)
}

/// Streams any JSON file through serde_json's stream reader, which reads a byte at a time:
/// pages and single objects, which are small, and any file that does not start as an array.
fn stream_any(text: impl std::io::Read, mut limited: Limited<'_>, limits: Limits) -> Result<()> {
    let (used, lines, key) = (
        Rc::clone(&limited.used),
        Rc::clone(&limited.lines),
        Rc::clone(&limited.key),
    );
    // serde_json takes its input a byte at a time, so the counts above the buffer are exact.
    let capped = Capped {
        inner: BufReader::with_capacity(256 * 1024, text),
        used: Rc::clone(&used),
        lines: Rc::clone(&lines),
        cap: limits.max_record_bytes,
    };
    let mut de = serde_json::Deserializer::from_reader(capped);
    let result = (&mut de)
        .deserialize_any(TopLevel(&mut limited))
        .and_then(|()| de.end());
    result.map_err(|e| {
        if e.is_io() && used.get() > limits.max_record_bytes {
            let key = key.borrow().clone();
            return too_large(&limited, limits, lines.get() + 1, key.as_deref());
        }
        json_error(limited.name(), e)
    })
}

/// The error for an item over the byte cap, at `line`, in the value of `key` if one was being
/// read.
fn too_large(limited: &Limited<'_>, limits: Limits, line: u64, key: Option<&str>) -> anyhow::Error {
    let at = match key.filter(|k| !k.is_empty()) {
        Some(k) => format!(", in the value of {}", quote(k)),
        None => String::new(),
    };
    anyhow!(
        "{}:{line}: item {} is longer than {} MiB, the cap on one record{at}: either a value \
         that large, which no export holds, or a string that is never closed and swallows the \
         rest of the file; it was not read whole\nhint: check the quotes near that line, or \
         raise the cap with --max-record-size MB",
        limited.name(),
        limited.count() + 1,
        limits.max_record_bytes >> 20
    )
}

/// The bytes read since the last object ended, and the line breaks read so far.
struct Capped<R> {
    inner: R,
    used: Rc<Cell<u64>>,
    lines: Rc<Cell<u64>>,
    cap: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Past the cap nothing more is read: serde_json still asks for the ends of the
        // open arrays and objects, and the line of the message is where the cap was passed.
        if self.used.get() > self.cap {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                RecordTooLarge(self.cap),
            ));
        }
        let n = self.inner.read(buf)?;
        let breaks = buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
        self.lines.set(self.lines.get() + breaks);
        self.used.set(self.used.get() + n as u64);
        if self.used.get() > self.cap {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                RecordTooLarge(self.cap),
            ));
        }
        Ok(n)
    }
}

/// Holds each object to the column cap, and starts the byte budget afresh after it.
struct Limited<'h> {
    inner: &'h mut dyn ItemHandler,
    used: Rc<Cell<u64>>,
    lines: Rc<Cell<u64>>,
    max_columns: usize,
    /// The key whose value is being read, kept in one buffer (no allocation per key).
    key: Rc<RefCell<Option<String>>>,
}

impl<'h> Limited<'h> {
    fn new(inner: &'h mut dyn ItemHandler, limits: Limits) -> Limited<'h> {
        Limited {
            inner,
            used: Rc::new(Cell::new(0)),
            lines: Rc::new(Cell::new(0)),
            max_columns: limits.max_columns,
            key: Rc::new(RefCell::new(None)),
        }
    }
}

impl ItemHandler for Limited<'_> {
    fn item(&mut self, item: Map<String, Value>) -> Result<(), String> {
        if item.len() > self.max_columns {
            return Err(format!(
                "{}:{}: item {} has {} keys, more than the cap of {} columns\nhint: raise the \
                 cap with --max-columns N",
                self.inner.name(),
                self.lines.get() + 1,
                self.inner.count() + 1,
                item.len(),
                self.max_columns
            ));
        }
        let result = self.inner.item(item);
        self.used.set(0);
        self.at_key(None);
        result
    }
    fn at_key(&mut self, key: Option<&str>) {
        let mut current = self.key.borrow_mut();
        match (key, current.as_mut()) {
            (Some(k), Some(buf)) => {
                buf.clear();
                buf.push_str(k);
            }
            (Some(k), None) => *current = Some(k.to_owned()),
            (None, _) => {
                if let Some(buf) = current.as_mut() {
                    // Kept for its capacity; an empty key is never read.
                    buf.clear();
                }
            }
        }
    }
    fn name(&self) -> &str {
        self.inner.name()
    }
    fn count(&self) -> u64 {
        self.inner.count()
    }
    fn next_link(&mut self, link: &str) -> Result<(), String> {
        self.inner.next_link(link)
    }
    fn duplicate_key(&mut self, item: u64, key: &str) {
        self.inner.duplicate_key(item, key)
    }
    fn context(&mut self, url: &str) {
        self.inner.context(url)
    }
}

/// Our own message for an error the handler raised, or serde_json's with its position.
fn json_error(name: &str, e: serde_json::Error) -> anyhow::Error {
    let (line, column) = (e.line() as u64, e.column() as u64);
    json_error_at(name, e, line, column)
}

/// [`json_error`] for an error whose position in the file is `line`, `column` (an error found in
/// a part of the file read on its own carries its position within that part).
fn json_error_at(name: &str, e: serde_json::Error, line: u64, column: u64) -> anyhow::Error {
    let text = e.to_string();
    if e.is_data() && text.starts_with(MESSAGE_PREFIX) {
        let text = &text[MESSAGE_PREFIX.len()..];
        // serde_json appends the position; our message carries its own.
        let text = text.rsplit_once(" at line ").map_or(text, |(t, _)| t);
        return anyhow!("{text}");
    }
    // serde_json's text is the message, then its position when it has one.
    let (message, at) = match text.rsplit_once(" at line ") {
        Some((message, _)) if e.line() != 0 => {
            (message, format!(" at line {line} column {column}"))
        }
        _ => (text.as_str(), String::new()),
    };
    if message.starts_with("recursion limit exceeded") {
        return anyhow!(
            "{name}: line {line}, column {column}: the JSON nests deeper than 128 levels, the \
             reader's fixed cap (exports nest a few levels)\nhint: this is not a user export"
        );
    }
    anyhow!(
        "{name}: line {line}, column {column}: not valid JSON: {message}{at}\n\
         hint: the file may be cut short; export it again (ConvertTo-Json -Depth 4, or the \
         Graph response saved whole)"
    )
}

/// The top of the file: an array of users, a page (`{"value": [...]}`), or one user.
struct TopLevel<'r>(&'r mut dyn ItemHandler);

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of users or a Graph page {\"value\": [...]}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(UserSeed(&mut *self.0))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut single = Map::new();
        let mut paged = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" && !paged {
                map.next_value_seed(PageSeed(&mut *self.0, &mut single, &mut paged))?;
            } else if key.eq_ignore_ascii_case("@odata.nextLink") {
                let link = map.next_value::<Value>()?;
                let link = match &link {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                // `null` is how some writers say there is no next page.
                if !link.is_empty() && link != "null" {
                    self.0.next_link(&link).map_err(our_error)?;
                }
            } else if key.eq_ignore_ascii_case("@odata.context") {
                if let Value::String(url) = map.next_value::<Value>()? {
                    self.0.context(&url);
                }
            } else if key.starts_with("@odata.") {
                map.next_value::<IgnoredAny>()?;
            } else {
                self.0.at_key(Some(&key));
                single.insert(key, map.next_value()?);
                self.0.at_key(None);
            }
        }
        if !paged {
            // ConvertTo-Json of a single object writes the object itself.
            self.0.item(single).map_err(our_error)?;
        }
        Ok(())
    }
}

/// The `value` of a top-level object: the page's array of users (streamed), or, when it is
/// not an array, a plain field of a single user (kept).
struct PageSeed<'r, 's>(
    &'r mut dyn ItemHandler,
    &'s mut Map<String, Value>,
    &'s mut bool,
);

impl<'de> DeserializeSeed<'de> for PageSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let PageSeed(reader, single, paged) = self;
        if let Some(v) = d.deserialize_any(ArrayOrValue(reader, paged))? {
            single.insert("value".to_owned(), v);
        }
        Ok(())
    }
}

/// Streams an array through [`UserSeed`] (returning `None`), or returns any other value.
struct ArrayOrValue<'r, 'p>(&'r mut dyn ItemHandler, &'p mut bool);

impl<'de> Visitor<'de> for ArrayOrValue<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        *self.1 = true;
        while seq.next_element_seed(UserSeed(&mut *self.0))?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let d = serde::de::value::MapAccessDeserializer::new(map);
        Ok(Some(Value::Object(serde::Deserialize::deserialize(d)?)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_owned())))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

/// One element of the users array.
struct UserSeed<'r>(&'r mut dyn ItemHandler);

impl<'de> DeserializeSeed<'de> for UserSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let item = self.0.count() + 1;
        let (value, duplicates) = d.deserialize_any(ObjectOrValue(&mut *self.0))?;
        for key in &duplicates {
            self.0.duplicate_key(item, key);
        }
        match value {
            Value::Object(user) => self.0.item(user).map_err(our_error),
            other => Err(our_error(format!(
                "{}: item {} of the array is {}, not a user object",
                self.0.name(),
                self.0.count() + 1,
                kind(&other)
            ))),
        }
    }
}

/// Any JSON value; for an object, also the keys it holds more than once (a `Map` would keep
/// the last value without a word). The handler is told which key's value is being read.
struct ObjectOrValue<'r>(&'r mut dyn ItemHandler);

impl<'de> Visitor<'de> for ObjectOrValue<'_> {
    type Value = (Value, Vec<String>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a user object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = Map::new();
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            self.0.at_key(Some(&key));
            let value: Value = map.next_value()?;
            self.0.at_key(None);
            if object.insert(key.clone(), value).is_some() && !duplicates.contains(&key) {
                duplicates.push(key);
            }
        }
        Ok((Value::Object(object), duplicates))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let d = serde::de::value::SeqAccessDeserializer::new(seq);
        Ok((serde::Deserialize::deserialize(d)?, Vec::new()))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Value::String(v.to_owned()), Vec::new()))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok((Value::Bool(v), Vec::new()))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok((Value::from(v), Vec::new()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok((Value::from(v), Vec::new()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok((Value::from(v), Vec::new()))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok((Value::Null, Vec::new()))
    }
}

fn our_error<E: serde::de::Error>(message: String) -> E {
    E::custom(format!("{MESSAGE_PREFIX}{message}"))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

mod array;
#[cfg(test)]
mod tests;
