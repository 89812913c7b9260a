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
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc};

use anyhow::{anyhow, Result};
use serde_json::{Map, Value};

use super::feed::{Feed, Pusher};
use super::items::{stream_items, ItemHandler};
use super::{row_of, ByteStream, InputInfo, Position, ReadOptions, RowAt, RowSource};
use crate::read::schema::{Role, Schema, LIST_SEPARATOR, ROLES, ROLE_COUNT};
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
        let limits = options.limits;
        let owned_name = name.to_owned();
        let mut feed = Feed::spawn("json-parser", move |producer| {
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
            let result = stream_items(text, &mut reader, limits);
            reader.end(result);
        })?;
        let schema = opened_rx.recv().map_err(|_| feed.died(name))??;
        let mut info = InputInfo::new(name, crate::read::InputFormat::Json);
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
    overrides: Vec<crate::read::schema::ColumnOverride>,
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
                // A list of names, or of method objects: one name per element.
                let names: Vec<&str> = items
                    .iter()
                    .filter_map(|item| match item {
                        Value::String(s) => Some(s.as_str()),
                        Value::Object(o) => METHOD_NAME_KEYS
                            .iter()
                            .find_map(|k| o.get(*k).and_then(Value::as_str)),
                        _ => None,
                    })
                    .collect();
                let as_list = role == Role::Methods
                    && !names.is_empty()
                    && !names.iter().any(|n| n.contains(LIST_SEPARATOR));
                if as_list {
                    // Handed to the methods parser as the list it is.
                    for name in names {
                        out.push(LIST_SEPARATOR);
                        out.push_str(name);
                    }
                } else if !names.is_empty() || items.is_empty() {
                    // Other roles keep the JSON text a portal export's cell would hold.
                    out.push_str(&Value::from(names).to_string());
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
                "\u{1f}mobilePhone\u{1f}email",
            ),
            (
                r#"["mobilePhone","email"]"#,
                Role::DefaultMethod,
                r#"["mobilePhone","email"]"#,
            ),
            (
                r#"[{"MethodType":"PhoneAppOTP","IsDefault":false},{"MethodType":"OneWaySMS","IsDefault":true}]"#,
                Role::Methods,
                "\u{1f}PhoneAppOTP\u{1f}OneWaySMS",
            ),
            (
                r#"{"value":[{"MethodType":"OneWaySMS"}],"Count":1}"#,
                Role::Methods,
                "\u{1f}OneWaySMS",
            ),
            // A comma inside a name is not a separator.
            (r#"["a,b", "c"]"#, Role::Methods, "\u{1f}a,b\u{1f}c"),
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
