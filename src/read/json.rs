//! JSON exports: a Microsoft Graph page (`{"value": [...]}`, `@odata.nextLink` ignored), a bare
//! array of users, a single user object, and `Get-MsolUser | ConvertTo-Json -Depth 4`, whose
//! `StrongAuthenticationMethods` is an array of `{MethodType, IsDefault}` objects and
//! `StrongAuthenticationRequirements` an array of `{State, RelyingParty}`.
//!
//! The array is streamed on a parser thread: each user object is read, turned into role texts
//! and handed over in recycled batches ([`super::feed`]), so memory does not grow with the
//! file. Columns are resolved from the first user's keys, with the same aliases as CSV
//! headers.

use std::collections::HashMap;
use std::fmt;
use std::io::BufReader;
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc};

use anyhow::{anyhow, Result};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::feed::{Feed, Pusher};
use super::{row_of, ByteStream, InputInfo, Position, ReadOptions, RowAt, RowSource};
use crate::read::schema::{Role, Schema, ROLES, ROLE_COUNT};
use crate::warnings::Warnings;

/// A virtual column: the method an array of `{MethodType, IsDefault}` marks as default.
const DEFAULT_FROM_METHODS: &str = "StrongAuthenticationMethods.Default";

/// True when the first non-blank text of a (decoded) sample starts a JSON array or object.
pub fn looks_like_json(text: &[u8]) -> bool {
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'[' | b'{')
    )
}

/// One user object as the main thread receives it.
#[derive(Default)]
struct JsonRow {
    /// 1-based position of the user in the file.
    item: u64,
    fields: [String; ROLE_COUNT],
}

pub struct JsonSource {
    feed: Feed<JsonRow>,
    schema: Schema,
    info: InputInfo,
    ignore: [bool; ROLE_COUNT],
    bytes: Arc<AtomicU64>,
}

impl JsonSource {
    /// Reads `text` (UTF-8, without a BOM) on a parser thread.
    pub fn open(
        name: &str,
        text: ByteStream,
        encoding: (String, &'static str),
        bytes: Arc<AtomicU64>,
        options: &ReadOptions,
    ) -> Result<JsonSource> {
        let (opened_tx, opened_rx) = mpsc::sync_channel(1);
        let overrides = options.overrides.clone();
        let ignore = options.ignore;
        let owned_name = name.to_owned();
        let feed = Feed::spawn("json-parser", move |producer| {
            let mut reader = UserReader {
                name: owned_name,
                overrides,
                ignore,
                opened: Some(opened_tx),
                pusher: producer.pusher(),
                columns: None,
                items: 0,
                stopped: false,
            };
            let result = stream_items(text, &mut reader);
            reader.end(result);
        })?;
        let schema = opened_rx.recv().map_err(|_| feed.died(name))??;
        let mut info = InputInfo::new(name, "json");
        info.encoding = encoding.0;
        info.encoding_source = encoding.1;
        info.set_schema(&schema);
        Ok(JsonSource {
            feed,
            schema,
            info,
            ignore,
            bytes,
        })
    }
}

impl RowSource for JsonSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn next_row(&mut self, _warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        let Some(r) = self.feed.next(|_| false, &mut 0)? else {
            return Ok(None);
        };
        self.info.rows += 1;
        let row = row_of(&self.schema, &self.ignore, &r.fields);
        Ok(Some(RowAt {
            pos: Position::Item(r.item),
            row,
        }))
    }

    fn byte_counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.bytes)
    }

    fn info(&self) -> &InputInfo {
        &self.info
    }
}

/// The parser thread's state: resolves the columns from the first user, then turns each user
/// into role texts.
struct UserReader {
    name: String,
    overrides: Vec<(Role, String)>,
    ignore: [bool; ROLE_COUNT],
    /// Answered once, with the schema or an error.
    opened: Option<mpsc::SyncSender<Result<Schema>>>,
    pusher: Pusher<JsonRow>,
    /// Key -> roles read from it; `None` until the first user is seen.
    columns: Option<HashMap<String, Vec<Role>>>,
    items: u64,
    /// The main thread stopped listening.
    stopped: bool,
}

impl UserReader {
    fn user(&mut self, user: Map<String, Value>) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        self.items += 1;
        if self.columns.is_none() {
            self.resolve(&user)?;
        }
        let columns = self.columns.as_ref().expect("resolved above");
        let slot = self.pusher.slot();
        slot.item = self.items;
        for (role, field) in ROLES.iter().zip(slot.fields.iter_mut()) {
            field.clear();
            if *role == Role::DefaultMethod {
                if let Some(m) = default_from_methods(&user) {
                    field.push_str(m);
                }
            }
        }
        for (key, value) in &user {
            let Some(roles) = columns.get(key) else {
                continue;
            };
            for role in roles {
                value_text(value, *role, &mut slot.fields[role.index()]);
            }
        }
        if !self.pusher.commit() {
            self.stopped = true;
        }
        Ok(())
    }

    /// The columns, from the first user's keys.
    fn resolve(&mut self, first: &Map<String, Value>) -> Result<(), String> {
        let mut headers: Vec<String> = first.keys().cloned().collect();
        if default_from_methods(first).is_some() || methods_are_objects(first) {
            headers.push(DEFAULT_FROM_METHODS.to_owned());
        }
        let schema = match Schema::resolve(headers, &self.overrides) {
            Ok(s) if s.column(Role::Upn).is_some() => s,
            Ok(s) => {
                return Err(format!(
                    "{}: the first user has no user principal name; its keys are: {}\n\
                     hint: name the key with --column upn=KEY",
                    self.name,
                    crate::read::schema::quoted_list(&s.headers)
                ))
            }
            Err(e) => return Err(format!("{}: {e:#}", self.name)),
        };
        let mut columns: HashMap<String, Vec<Role>> = HashMap::new();
        for role in ROLES {
            if self.ignore[role.index()] {
                continue;
            }
            if let Some(h) = schema.header(role).filter(|h| *h != DEFAULT_FROM_METHODS) {
                columns.entry(h.to_owned()).or_default().push(role);
            }
        }
        self.columns = Some(columns);
        if let Some(tx) = self.opened.take() {
            let _ = tx.send(Ok(schema));
        }
        Ok(())
    }

    /// Reports how the file ended: an error before the first user answers the opening.
    fn end(mut self, result: Result<()>) {
        let error = match result {
            Ok(()) if self.columns.is_some() => return self.pusher.finish(),
            Ok(()) => anyhow!(
                "{}: the file holds no users (an empty array or page)\n\
                 hint: the export may have been cut short, or the command found no users",
                self.name
            ),
            Err(e) => e,
        };
        match self.opened.take() {
            Some(tx) => {
                let _ = tx.send(Err(error));
            }
            None => self.pusher.fail(error),
        }
    }
}

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
}

/// Streams the objects of a JSON file (an array, a Graph page `{"value": [...]}`, or a single
/// object) to `handler`; errors name the file, and the line and column for invalid JSON.
pub fn stream_items(text: impl std::io::Read, handler: &mut dyn ItemHandler) -> Result<()> {
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, text));
    let result = (&mut de)
        .deserialize_any(TopLevel(handler))
        .and_then(|()| de.end());
    result.map_err(|e| json_error(handler.name(), e))
}

/// Our own message for an error the handler raised, or serde_json's with its position.
fn json_error(name: &str, e: serde_json::Error) -> anyhow::Error {
    let text = e.to_string();
    if e.is_data() && text.starts_with(MESSAGE_PREFIX) {
        let text = &text[MESSAGE_PREFIX.len()..];
        // serde_json appends the position; our message carries its own.
        let text = text.rsplit_once(" at line ").map_or(text, |(t, _)| t);
        return anyhow!("{text}");
    }
    if text.starts_with("recursion limit exceeded") {
        return anyhow!(
            "{name}: line {}, column {}: the JSON nests deeper than 128 levels, the reader's \
             fixed cap (exports nest a few levels)\nhint: this is not a user export",
            e.line(),
            e.column()
        );
    }
    anyhow!(
        "{name}: line {}, column {}: not valid JSON: {e}\n\
         hint: the file may be cut short; export it again (ConvertTo-Json -Depth 4, or the \
         Graph response saved whole)",
        e.line(),
        e.column()
    )
}

impl ItemHandler for UserReader {
    fn item(&mut self, item: Map<String, Value>) -> Result<(), String> {
        self.user(item)
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn count(&self) -> u64 {
        self.items
    }
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
            } else if key.starts_with("@odata.") {
                map.next_value::<IgnoredAny>()?;
            } else {
                single.insert(key, map.next_value()?);
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
        let value: Value = serde::Deserialize::deserialize(d)?;
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

/// Keys MSOnline and Graph use for a method's name inside a method object.
const METHOD_NAME_KEYS: [&str; 4] = ["MethodType", "methodType", "type", "@odata.type"];

/// PowerShell 5.1 sometimes wraps an array as `{"value": [...], "Count": n}`.
fn unwrap_array(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        Value::Object(o) => match (o.get("value"), o.get("Count")) {
            (Some(Value::Array(a)), Some(_)) => Some(a),
            _ => None,
        },
        _ => None,
    }
}

fn methods_value(user: &Map<String, Value>) -> Option<&Vec<Value>> {
    user.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("StrongAuthenticationMethods"))
        .and_then(|(_, v)| unwrap_array(v))
}

fn methods_are_objects(user: &Map<String, Value>) -> bool {
    methods_value(user).is_some_and(|a| a.iter().any(Value::is_object))
}

/// The method an array of `{MethodType, IsDefault: true}` objects marks as default.
fn default_from_methods(user: &Map<String, Value>) -> Option<&str> {
    methods_value(user)?.iter().find_map(|m| {
        let o = m.as_object()?;
        let is_default = o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("IsDefault"))
            .is_some_and(|(_, v)| v == &Value::Bool(true));
        if !is_default {
            return None;
        }
        METHOD_NAME_KEYS.iter().find_map(|k| o.get(*k)?.as_str())
    })
}

/// `"Microsoft.Online.Administration.StrongAuthenticationMethod"`: what ConvertTo-Json writes
/// for an object nested deeper than its -Depth.
fn is_type_name_item(v: &Value) -> bool {
    v.as_str().is_some_and(|t| {
        (t.starts_with("Microsoft.") || t.starts_with("System."))
            && t.matches('.').count() >= 2
            && !t.contains(char::is_whitespace)
    })
}

/// A JSON value as the text a CSV export would hold in that role's column.
fn value_text(value: &Value, role: Role, out: &mut String) {
    out.clear();
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "True" } else { "False" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => out.push_str(s),
        v => match (unwrap_array(v), role) {
            (Some(items), Role::State) => {
                // StrongAuthenticationRequirements: [{State, RelyingParty}]
                if let Some(state) = items.iter().find_map(|r| {
                    r.as_object()?
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("State"))?
                        .1
                        .as_str()
                }) {
                    out.push_str(state);
                } else if let Some(Value::String(s)) = items.first() {
                    out.push_str(s);
                }
            }
            (Some(items), _) if items.iter().all(is_type_name_item) && !items.is_empty() => {
                // ConvertTo-Json without enough -Depth: each element is its .NET type name.
                // Written as a collection type name, the classifier refuses it as lost data.
                if let Some(Value::String(t)) = items.first() {
                    out.push_str(t);
                    out.push_str("[]");
                }
            }
            (Some(items), _) => {
                // A list of names, or of method objects: one name per element, as JSON text
                // so that the methods cell parser reads it like a portal export's.
                let names: Vec<Value> = items
                    .iter()
                    .filter_map(|item| match item {
                        Value::String(_) => Some(item.clone()),
                        Value::Object(o) => METHOD_NAME_KEYS
                            .iter()
                            .find_map(|k| o.get(*k).filter(|v| v.is_string()).cloned()),
                        _ => None,
                    })
                    .collect();
                if !names.is_empty() || items.is_empty() {
                    out.push_str(&Value::Array(names).to_string());
                } else {
                    out.push_str(&v.to_string());
                }
            }
            (None, _) => out.push_str(&v.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_a_csv_export_would_hold_them() {
        let cases: &[(&str, Role, &str)] = &[
            ("true", Role::Blocked, "True"),
            ("null", Role::Methods, ""),
            ("12", Role::DisplayName, "12"),
            ("[]", Role::Methods, "[]"),
            (
                r#"["mobilePhone","email"]"#,
                Role::Methods,
                r#"["mobilePhone","email"]"#,
            ),
            (
                r#"[{"MethodType":"PhoneAppOTP","IsDefault":false},{"MethodType":"OneWaySMS","IsDefault":true}]"#,
                Role::Methods,
                r#"["PhoneAppOTP","OneWaySMS"]"#,
            ),
            (
                r#"{"value":[{"MethodType":"OneWaySMS"}],"Count":1}"#,
                Role::Methods,
                r#"["OneWaySMS"]"#,
            ),
            (
                r#"[{"RelyingParty":"*","State":"Enforced"}]"#,
                Role::State,
                "Enforced",
            ),
            ("[]", Role::State, ""),
            // ConvertTo-Json without enough -Depth writes the type name of each element
            (
                r#"["Microsoft.Online.Administration.StrongAuthenticationMethod"]"#,
                Role::Methods,
                "Microsoft.Online.Administration.StrongAuthenticationMethod[]",
            ),
        ];
        let mut out = String::from("leftover");
        for (json, role, want) in cases {
            let v: Value = serde_json::from_str(json).unwrap();
            value_text(&v, *role, &mut out);
            assert_eq!(out, *want, "{json}");
        }
        let user: Map<String, Value> = serde_json::from_str(
            r#"{"StrongAuthenticationMethods":[{"MethodType":"PhoneAppOTP","IsDefault":false},{"MethodType":"OneWaySMS","IsDefault":true}]}"#,
        )
        .unwrap();
        assert_eq!(default_from_methods(&user), Some("OneWaySMS"));
        assert!(looks_like_json(b" \r\n [{"));
        assert!(!looks_like_json(b"\"UserPrincipalName\""));
    }
}
