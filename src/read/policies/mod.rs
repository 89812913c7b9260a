//! `--policies`: the tenant's policy exports, recognised by their content and read into
//! [`model::Tenant`].
//!
//! Each path is a file or a folder. A folder is read recursively, its entries in byte order of
//! their names (so two runs, on any platform, read the same files in the same order), without
//! following symbolic links to folders (a link loop could not be walked, and a link out of the
//! folder would read what the admin did not give). A file is recognised by what it holds
//! ([`recognise`]); in a folder, a file that is no policy export (the user export itself, a
//! README) is skipped and named in [`model::Tenant::files`]; a file given by name that is none
//! is an error listing the kinds. An export of a known kind that is broken is an error naming
//! the file and the fix.
//!
//! The bytes go through the project's one reading path: [`Source`], [`table`] (encoding
//! detection, the CSV parser and its caps, `file:line`), and the JSON object stream with its
//! caps, so no file is held whole in memory.

pub mod conditional_access;
pub mod members;
pub mod model;
pub mod recognise;
mod walk;

use std::collections::HashMap;

use anyhow::{anyhow, bail, Result};
use serde_json::{Map, Value};

use crate::read::items::ItemHandler;
use crate::read::policies::conditional_access::{get, text};
use crate::read::policies::members::{MemberRow, MEMBER_COLUMNS, PER_USER_COLUMNS};
use crate::read::policies::model::{CaPolicy, PolicyFile, PolicyFileKind, Tenant};
use crate::read::policies::recognise::{Kind, KINDS};
use crate::read::table::{self, Table};
use crate::read::{NextLinkPolicy, ReadOptions, Source};
use crate::terminal::quote;

/// Reads every `--policies` path (a folder is read recursively).
pub fn read(paths: &[String], options: &ReadOptions) -> Result<Tenant> {
    let mut reader = Reader {
        tenant: Tenant::default(),
        policy_files: HashMap::new(),
        options,
    };
    for path in paths {
        let source = Source::from_arg(path);
        match source.path() {
            Some(dir) if dir.is_dir() => {
                for entry in walk::files(dir)? {
                    match entry {
                        walk::Entry::File(file) => reader.file(Source::Path(file), false)?,
                        walk::Entry::Skipped(file, reason) => reader.skip(&file, reason),
                    }
                }
            }
            _ => reader.file(source, true)?,
        }
    }
    Ok(reader.tenant)
}

struct Reader<'o> {
    tenant: Tenant,
    /// Policy id to the file that gave it, to tell a policy given twice from a conflict.
    policy_files: HashMap<String, String>,
    options: &'o ReadOptions,
}

impl Reader<'_> {
    fn skip(&mut self, path: &str, reason: String) {
        self.tenant.files.push(PolicyFile {
            path: path.to_owned(),
            kind: PolicyFileKind::Skipped(reason),
            items: 0,
        });
    }

    /// Reads one file. `named`: given by name, so not being a policy export is an error.
    fn file(&mut self, source: Source, named: bool) -> Result<()> {
        let name = source.display();
        let table = match table::open(&source, self.options) {
            Ok(t) => t,
            Err(e) if !named => {
                let reason = e.to_string();
                let first = reason.lines().next().unwrap_or_default();
                let first = first.strip_prefix(&format!("{name}: ")).unwrap_or(first);
                self.skip(&name, format!("not readable as CSV or JSON: {first}"));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let outcome = match table {
            Table::Csv(t) => self.csv(*t)?,
            Table::Json(j) => self.json(&name, j)?,
        };
        match outcome {
            Ok((kind, items)) => self.tenant.files.push(PolicyFile {
                path: name,
                kind: kind.file_kind(),
                items,
            }),
            Err(reason) if named => bail!(
                "{name}: not a policy export: {reason}\nhint: --policies takes {KINDS}; \
                 docs/enforcement.md gives the commands that export each"
            ),
            Err(reason) => self.skip(&name, reason),
        }
        Ok(())
    }

    /// A CSV export: memberships or per-user states, by its header.
    fn csv(&mut self, mut t: crate::read::csv::CsvTable) -> Result<Result<(Kind, u64), String>> {
        let Some((header, _)) = t.first.take() else {
            return Ok(Err(format!("a text file with {} in it", t.empty)));
        };
        let Some(kind) = recognise::from_header(&header) else {
            return Ok(Err(format!(
                "a CSV file whose header ({}) is neither the memberships' ({}) nor the \
                 per-user states' ({})",
                quote(&header.join(",")),
                MEMBER_COLUMNS.join(","),
                PER_USER_COLUMNS.join(",")
            )));
        };
        let column = |wanted: &str| header.iter().position(|h| h.eq_ignore_ascii_case(wanted));
        let cols: Vec<Option<usize>> = match kind {
            Kind::GroupMembers => MEMBER_COLUMNS.iter().map(|c| column(c)).collect(),
            _ => PER_USER_COLUMNS.iter().map(|c| column(c)).collect(),
        };
        let name = t.name.clone();
        let mut fields = Vec::new();
        let mut rows = 0;
        while let Some(line) = t.next_record(&mut fields, true)? {
            let cell = |i: usize| {
                cols[i]
                    .and_then(|c| fields.get(c))
                    .map_or("", String::as_str)
            };
            let at = format!("{name}:{line}");
            let added = match kind {
                Kind::GroupMembers => members::member(
                    &mut self.tenant,
                    &MemberRow {
                        group_id: cell(0),
                        group_name: cell(1),
                        member_id: cell(2),
                        member_upn: cell(3),
                        member_type: cell(4),
                    },
                    &at,
                ),
                _ => members::per_user(&mut self.tenant, cell(0), cell(1), cell(2), &at),
            };
            added.map_err(|e| anyhow!(e))?;
            rows += 1;
        }
        if kind == Kind::PerUserMfa {
            // A header alone still says "these users' states were exported: none".
            self.tenant.per_user.get_or_insert_with(Default::default);
        }
        Ok(Ok((kind, rows)))
    }

    /// A JSON export: any kind, by its `@odata.context` or its first object.
    fn json(&mut self, name: &str, items: table::JsonItems) -> Result<Result<(Kind, u64), String>> {
        let mut handler = JsonFile {
            name: name.to_owned(),
            reader: self,
            context: None,
            kind: None,
            count: 0,
            items: 0,
            unrecognised: None,
            next_link: None,
        };
        let streamed = items.stream(&mut handler);
        if let Some(reason) = handler.unrecognised.take() {
            return Ok(Err(reason));
        }
        streamed?;
        let kind = match handler.kind.or(handler.context) {
            Some(kind) => kind,
            None => {
                return Ok(Err(
                    "an empty JSON list, which says nothing of what it lists".into(),
                ))
            }
        };
        let items = handler.items;
        if let Some(link) = handler.next_link.take() {
            if self.options.next_link != NextLinkPolicy::Allowed {
                bail!(
                    "{name}: the file is one page of a Microsoft Graph response: it carries \
                     @odata.nextLink ({}), so what the next pages hold is not in it and every \
                     verdict could be wrong\nhint: export every page (follow each \
                     @odata.nextLink and join the pages' value arrays, as docs/enforcement.md \
                     does); to read this page alone, pass --allow-partial",
                    quote(&link)
                );
            }
            self.tenant.notes.push(format!(
                "{name}: one page of a Microsoft Graph response (it carries @odata.nextLink \
                 {}); --allow-partial reads it alone: what the next pages hold is missing",
                quote(&link)
            ));
        }
        // An export with no objects still says what it is: no policies, no assignments.
        match kind {
            Kind::ConditionalAccess | Kind::ScubaResults => {
                self.tenant.conditional_access.get_or_insert_with(Vec::new);
            }
            Kind::PerUserMfa => {
                self.tenant.per_user.get_or_insert_with(Default::default);
            }
            _ => {}
        }
        Ok(Ok((kind, items)))
    }

    /// Adds one Conditional Access policy; the same policy in two files (a v1.0 and a beta
    /// export, or a folder that holds both) is kept once, and two different versions of it
    /// are an error.
    fn policy(&mut self, policy: CaPolicy, at: &str, file: &str) -> Result<(), String> {
        let list = self.tenant.conditional_access.get_or_insert_with(Vec::new);
        if let Some(known) = list
            .iter()
            .find(|p| !policy.id.is_empty() && p.id == policy.id)
        {
            let first = &self.policy_files[&policy.id];
            if *known != policy {
                return Err(format!(
                    "{at}: policy {} is also in {first}, with different settings; which is \
                     current cannot be told\nhint: give one export of the policies (remove the \
                     older one)",
                    quote(&policy.id)
                ));
            }
            self.tenant.notes.push(format!(
                "{at}: policy {} is also in {first}, identical; read once",
                quote(&policy.display_name)
            ));
            return Ok(());
        }
        self.policy_files.insert(policy.id.clone(), file.to_owned());
        list.push(policy);
        Ok(())
    }

    /// One object of a recognised JSON export.
    fn item(
        &mut self,
        kind: Kind,
        item: &Map<String, Value>,
        n: u64,
        name: &str,
    ) -> Result<u64, String> {
        let at = format!("{name}: item {n}");
        match kind {
            Kind::ConditionalAccess => {
                let policy = conditional_access::parse(item, name, n)?;
                self.policy(policy, &at, name)?;
            }
            Kind::ScubaResults => {
                let raw = conditional_access::object(item, "Raw").expect("recognised by Raw");
                let Some(Value::Array(list)) = get(raw, "conditional_access_policies") else {
                    return Err(format!(
                        "{name}: Raw.conditional_access_policies is not a list of policies\n\
                         hint: give the ScubaResults_*.json file as ScubaGear wrote it"
                    ));
                };
                for (i, p) in list.iter().enumerate() {
                    let Some(p) = p.as_object() else {
                        return Err(format!(
                            "{name}: Raw.conditional_access_policies item {} is not an object",
                            i + 1
                        ));
                    };
                    let policy = conditional_access::parse(p, name, i as u64 + 1)?;
                    self.policy(policy, &format!("{name}: policy {}", i + 1), name)?;
                }
                return Ok(list.len() as u64);
            }
            Kind::SecurityDefaults => {
                let on = members::security_defaults(item, &at)?;
                match self.tenant.security_defaults {
                    Some(known) if known != on => {
                        return Err(format!(
                            "{at}: security defaults are {} here but {} in an earlier file\n\
                             hint: give one export of identitySecurityDefaultsEnforcementPolicy",
                            if on { "on" } else { "off" },
                            if known { "on" } else { "off" }
                        ))
                    }
                    _ => self.tenant.security_defaults = Some(on),
                }
            }
            Kind::GroupMembers => {
                let field = |k: &str| text(item, k).unwrap_or("");
                let row = MemberRow {
                    group_id: field(MEMBER_COLUMNS[0]),
                    group_name: field(MEMBER_COLUMNS[1]),
                    member_id: field(MEMBER_COLUMNS[2]),
                    member_upn: field(MEMBER_COLUMNS[3]),
                    member_type: field(MEMBER_COLUMNS[4]),
                };
                members::member(&mut self.tenant, &row, &at)?;
            }
            Kind::RoleAssignments => {
                let assignment = members::role_assignment(item, &at)?;
                if let Some(upn) = &assignment.principal.upn {
                    members::pair(&mut self.tenant, &assignment.principal.id, upn, &at);
                }
                self.tenant.roles.push(assignment);
            }
            Kind::PerUserMfa => {
                let field = |k: &str| text(item, k).unwrap_or("");
                let (upn, id, state) = (
                    field(PER_USER_COLUMNS[0]),
                    field(PER_USER_COLUMNS[1]),
                    field(PER_USER_COLUMNS[2]),
                );
                members::per_user(&mut self.tenant, upn, id, state, &at)?;
            }
            Kind::MethodsPolicy => {
                let policy = members::methods_policy(item, &at)?;
                if self
                    .tenant
                    .methods_policy
                    .as_ref()
                    .is_some_and(|k| *k != policy)
                {
                    return Err(format!(
                        "{at}: a second authentication methods policy, different from the \
                         first\nhint: give one export of authenticationMethodsPolicy"
                    ));
                }
                self.tenant.methods_policy = Some(policy);
            }
        }
        Ok(1)
    }
}

/// Streams one JSON file's objects into the reader, its kind decided by the first.
struct JsonFile<'r, 'o> {
    name: String,
    reader: &'r mut Reader<'o>,
    context: Option<Kind>,
    kind: Option<Kind>,
    count: u64,
    /// Policies, rows or objects taken (a ScubaGear file is one object of many policies).
    items: u64,
    /// Set when the first object is no export we know: the stream stops there.
    unrecognised: Option<String>,
    /// Decided after the stream, once the kind is known (Graph writes the link before `value`).
    next_link: Option<String>,
}

impl ItemHandler for JsonFile<'_, '_> {
    fn item(&mut self, item: Map<String, Value>) -> Result<(), String> {
        self.count += 1;
        let kind = match self.kind {
            Some(kind) => kind,
            None => {
                let Some(kind) = self.context.or_else(|| recognise::from_object(&item)) else {
                    self.unrecognised = Some(
                        "JSON whose objects are none of the policy exports (a user export?)"
                            .to_owned(),
                    );
                    return Err(String::new());
                };
                self.kind = Some(kind);
                kind
            }
        };
        self.items += self.reader.item(kind, &item, self.count, &self.name)?;
        Ok(())
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn count(&self) -> u64 {
        self.count
    }
    fn next_link(&mut self, link: &str) -> Result<(), String> {
        self.next_link = Some(link.to_owned());
        Ok(())
    }
    fn context(&mut self, url: &str) {
        self.context = recognise::from_context(url);
    }
}
