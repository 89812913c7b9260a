//! JSON exports: a Microsoft Graph page (`{"value": [...]}`, `@odata.nextLink` ignored), a bare
//! array of users, a single user object, and `Get-MsolUser | ConvertTo-Json -Depth 4`, whose
//! `StrongAuthenticationMethods` is an array of `{MethodType, IsDefault}` objects and
//! `StrongAuthenticationRequirements` an array of `{State, RelyingParty}`.
//!
//! The array is streamed on a parser thread: each user object is read, turned into role texts
//! and handed over in recycled batches ([`super::feed`]), so memory does not grow with the
//! file. Columns are resolved from the keys of the first users (the union over a window of
//! [`WINDOW_USERS`] users, so that a key a writer left out of the first user, or only later
//! users carry, is not lost), with the same aliases and letter-case rules as CSV headers. A key
//! that appears after the window and would fill a role the columns lack is an error, never a
//! value silently ignored. A key given twice in one user is a warning naming it and the user;
//! a page that still carries `@odata.nextLink` is refused unless `--allow-partial`.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{mpsc, Arc, Mutex};

use anyhow::{anyhow, Result};
use serde_json::{Map, Value};

use super::feed::{Feed, Pusher};
use super::items::{stream_items, ItemHandler};
use super::{
    row_of, ByteStream, InputInfo, NextLinkPolicy, Position, ReadOptions, RowAt, RowSource,
};
use crate::read::schema::{Role, Schema, LIST_SEPARATOR, ROLES, ROLE_COUNT};
use crate::warnings::Warnings;

/// Users whose keys make the columns: read ahead, and held, before the first row is handed on.
const WINDOW_USERS: usize = 1000;
/// ... unless their text takes more than this first (memory stays bounded).
const WINDOW_BYTES: usize = 64 << 20;

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
    /// Keys given more than once for one role in this user (the last value is kept).
    duplicates: Vec<String>,
}

pub struct JsonSource {
    feed: Feed<JsonRow>,
    schema: Schema,
    info: InputInfo,
    ignore: [bool; ROLE_COUNT],
    bytes: Arc<AtomicU64>,
    /// The `@odata.nextLink` of a page read anyway, said after the last row.
    partial: Arc<Mutex<Option<String>>>,
    policy: NextLinkPolicy,
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
        let partial = Arc::new(Mutex::new(None));
        let next_link = (options.next_link != NextLinkPolicy::Refuse).then(|| Arc::clone(&partial));
        let policy = options.next_link;
        let mut feed = Feed::spawn("json-parser", move |producer| {
            let mut reader = UserReader {
                name: owned_name,
                overrides,
                ignore,
                opened: Some(opened_tx),
                pusher: producer.pusher(),
                columns: None,
                window: Vec::new(),
                window_bytes: 0,
                window_len: 0,
                pending_duplicates: Vec::new(),
                other_keys: HashMap::new(),
                places: Vec::new(),
                next_link,
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
        info.set_schema(&schema, &options.ignore);
        Ok(JsonSource {
            feed,
            schema,
            info,
            ignore,
            bytes,
            partial,
            policy,
        })
    }
}

impl RowSource for JsonSource {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn next_row(&mut self, warnings: &mut Warnings) -> Result<Option<RowAt<'_>>> {
        let Some(r) = self.feed.next(|_| false, &mut 0)? else {
            let link = self
                .partial
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let (Some(link), NextLinkPolicy::OtherPages) = (&link, self.policy) {
                warnings.push(format!(
                    "{}: this is one page of a Microsoft Graph response (it carries \
                     @odata.nextLink {}): read as one of the run's pages; check that every page \
                     is among the inputs (the last one has no @odata.nextLink)",
                    self.info.path,
                    crate::terminal::quote(link)
                ))?;
            } else if let Some(link) = link {
                warnings.push_major(format!(
                    "{}: this is one page of a Microsoft Graph response (it carries \
                     @odata.nextLink {}); --allow-partial reads it alone: the users on the next \
                     pages are not counted",
                    self.info.path,
                    crate::terminal::quote(&link)
                ))?;
            }
            return Ok(None);
        };
        self.info.rows += 1;
        for key in &r.duplicates {
            warnings.push(format!(
                "{}: user {}: key {} is given more than once; the last value is read",
                self.info.path,
                r.item,
                crate::terminal::quote(key)
            ))?;
        }
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

/// The parser thread's state: resolves the columns from the first users, then turns each
/// user into role texts.
struct UserReader {
    name: String,
    overrides: Vec<crate::read::schema::ColumnOverride>,
    ignore: [bool; ROLE_COUNT],
    /// Answered once, with the schema or an error.
    opened: Option<mpsc::SyncSender<Result<Schema>>>,
    pusher: Pusher<JsonRow>,
    /// Key in lower case -> roles read from it; `None` until the window is read.
    columns: Option<HashMap<String, Vec<Role>>>,
    /// The first users, held until the columns are resolved: position, object, keys given
    /// twice.
    window: Vec<(u64, Map<String, Value>, Vec<String>)>,
    window_bytes: usize,
    /// How many users the columns were resolved from.
    window_len: usize,
    /// Keys given twice in the object being read (see [`ItemHandler::duplicate_key`]).
    pending_duplicates: Vec<String>,
    /// Keys (lower case) first seen after the window, checked once each: the role they
    /// would fill, if the columns lack it.
    other_keys: HashMap<String, Option<Role>>,
    /// The roles of each key by its place in the object, once checked: every object of an
    /// export has the same keys in the same order, so the key at a place is nearly always the
    /// one the previous object had there, and one comparison spares lower-casing and hashing
    /// it (that was a fifth of reading a large file).
    places: Vec<(String, Option<Vec<Role>>)>,
    /// Where a page's `@odata.nextLink` goes with `--allow-partial`; `None` refuses it.
    next_link: Option<Arc<Mutex<Option<String>>>>,
    items: u64,
    /// The main thread stopped listening.
    stopped: bool,
}

/// Most keys first seen after the window that are remembered (a hostile file could hold
/// millions); past it each is checked again.
const OTHER_KEYS_CAP: usize = 4096;

impl UserReader {
    fn user(&mut self, user: Map<String, Value>) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        self.items += 1;
        let duplicates = std::mem::take(&mut self.pending_duplicates);
        if self.columns.is_none() {
            self.window_bytes += approximate_size(&user);
            self.window.push((self.items, user, duplicates));
            if self.window.len() >= WINDOW_USERS || self.window_bytes >= WINDOW_BYTES {
                self.resolve_window()?;
            }
            return Ok(());
        }
        self.emit(self.items, &user, duplicates)
    }

    /// Resolves the columns from the window and hands its users on.
    fn resolve_window(&mut self) -> Result<(), String> {
        let window = std::mem::take(&mut self.window);
        self.resolve(&window)?;
        for (item, user, duplicates) in window {
            self.emit(item, &user, duplicates)?;
        }
        Ok(())
    }

    fn emit(
        &mut self,
        item: u64,
        user: &Map<String, Value>,
        mut duplicates: Vec<String>,
    ) -> Result<(), String> {
        if self.stopped {
            return Ok(());
        }
        for (place, key) in user.keys().enumerate() {
            if self.places.get(place).is_some_and(|(k, _)| k == key) {
                continue;
            }
            let lower = key.to_lowercase();
            let roles = self
                .columns
                .as_ref()
                .expect("resolved")
                .get(&lower)
                .cloned();
            if roles.is_none() {
                self.check_other_key(item, key, lower)?;
            }
            // Checked: the same key at this place needs no second look.
            let entry = (key.clone(), roles);
            match self.places.get_mut(place) {
                Some(known) => *known = entry,
                None => self.places.push(entry),
            }
        }
        let slot = self.pusher.slot();
        slot.item = item;
        let mut filled = [false; ROLE_COUNT];
        for (role, field) in ROLES.iter().zip(slot.fields.iter_mut()) {
            field.clear();
            if *role == Role::DefaultMethod {
                if let Some(m) = default_from_methods(user) {
                    field.push_str(m);
                }
            }
        }
        for ((key, value), (_, roles)) in user.iter().zip(&self.places) {
            let Some(roles) = roles else {
                continue;
            };
            for role in roles {
                // Keys differing only in letter case are one column, as CSV headers are.
                if std::mem::replace(&mut filled[role.index()], true)
                    && !duplicates.iter().any(|d| d.eq_ignore_ascii_case(key))
                {
                    duplicates.push(key.clone());
                }
                value_text(value, *role, &mut slot.fields[role.index()]);
            }
        }
        slot.duplicates = duplicates;
        if !self.pusher.commit() {
            self.stopped = true;
        }
        Ok(())
    }

    /// A key the window's users did not have: an error when it would fill a role the columns
    /// lack (its values would be ignored for every user without a word).
    fn check_other_key(&mut self, item: u64, key: &str, lower: String) -> Result<(), String> {
        let role = match self.other_keys.get(&lower) {
            Some(role) => *role,
            None => {
                let schema = self.schema_of(vec![key.to_owned()]).ok();
                let columns = self.columns.as_ref().expect("resolved");
                let has = |role: Role| columns.values().any(|roles| roles.contains(&role));
                let role = schema.and_then(|s| {
                    ROLES
                        .into_iter()
                        .find(|r| !self.ignore[r.index()] && s.column(*r).is_some() && !has(*r))
                });
                if self.other_keys.len() < OTHER_KEYS_CAP {
                    self.other_keys.insert(lower, role);
                }
                role
            }
        };
        match role {
            Some(role) => Err(format!(
                "{}: user {item} has key {} (read as {}), which none of the first {} users has: \
                 the columns were resolved without it, and its values would be ignored; \
                 nothing was written\nhint: export every user with the same properties \
                 (Select-Object with the same list, or Graph $select), or name the key with \
                 --column {}={key}",
                self.name,
                crate::terminal::quote(key),
                role.cli_name(),
                self.window_len,
                role.cli_name()
            )),
            None => Ok(()),
        }
    }

    fn schema_of(&self, headers: Vec<String>) -> Result<Schema> {
        Schema::resolve(headers, &self.overrides)
    }

    /// The columns, from the union of the window's keys (first spelling of each, in order).
    fn resolve(&mut self, window: &[(u64, Map<String, Value>, Vec<String>)]) -> Result<(), String> {
        self.window_len = window.len();
        let mut headers: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut virtual_default = false;
        for (_, user, _) in window {
            for key in user.keys() {
                if seen.insert(key.to_lowercase()) {
                    headers.push(key.clone());
                }
            }
            virtual_default |= default_from_methods(user).is_some() || methods_are_objects(user);
        }
        if virtual_default {
            headers.push(DEFAULT_FROM_METHODS.to_owned());
        }
        let schema = match self.schema_of(headers) {
            Ok(s) if s.column(Role::Upn).is_some() => s,
            Ok(s) => {
                let who = if window.len() == 1 {
                    "the first user has no user principal name; its keys are".to_owned()
                } else {
                    format!(
                        "none of the first {} users has a user principal name; their keys are",
                        window.len()
                    )
                };
                return Err(format!(
                    "{}: {who}: {}\nhint: name the key with --column upn=KEY",
                    self.name,
                    crate::read::schema::quoted_list(&s.headers)
                ));
            }
            Err(e) => return Err(format!("{}: {e:#}", self.name)),
        };
        let mut columns: HashMap<String, Vec<Role>> = HashMap::new();
        for role in ROLES {
            if self.ignore[role.index()] {
                continue;
            }
            if let Some(h) = schema.header(role).filter(|h| *h != DEFAULT_FROM_METHODS) {
                columns.entry(h.to_lowercase()).or_default().push(role);
            }
        }
        // Every key of the window is known: the ones without a role are read as nothing.
        for key in seen {
            columns.entry(key).or_default();
        }
        self.columns = Some(columns);
        if let Some(tx) = self.opened.take() {
            let _ = tx.send(Ok(schema));
        }
        Ok(())
    }

    /// Reports how the file ended: an error before the first user answers the opening.
    fn end(mut self, mut result: Result<()>) {
        if result.is_ok() && self.columns.is_none() && !self.window.is_empty() {
            if let Err(e) = self.resolve_window() {
                result = Err(anyhow!("{e}"));
            }
        }
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

/// About how many bytes a user object takes in memory, to bound the window.
fn approximate_size(user: &Map<String, Value>) -> usize {
    fn size(v: &Value) -> usize {
        match v {
            Value::String(s) => 32 + s.len(),
            Value::Array(a) => 32 + a.iter().map(size).sum::<usize>(),
            Value::Object(o) => 32 + o.iter().map(|(k, v)| 32 + k.len() + size(v)).sum::<usize>(),
            _ => 32,
        }
    }
    user.iter().map(|(k, v)| 64 + k.len() + size(v)).sum()
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
    fn next_link(&mut self, link: &str) -> Result<(), String> {
        match &self.next_link {
            Some(partial) => {
                *partial.lock().unwrap_or_else(|e| e.into_inner()) = Some(link.to_owned());
                Ok(())
            }
            None => Err(super::items::next_link_error(&self.name, link)),
        }
    }
    fn duplicate_key(&mut self, _item: u64, key: &str) {
        self.pending_duplicates.push(key.to_owned());
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
