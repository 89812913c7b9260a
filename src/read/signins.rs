//! Reading sign-in downloads into events: the Entra admin center's CSV files (interactive and
//! non-interactive sign-ins, and their AuthDetails companions) and JSON (the portal download,
//! or Graph `signIn` objects, pages or arrays).
//!
//! Columns are matched by name, ignoring letter case and extra spaces ("Application ID " and
//! "Autonomous system  number" are found), so the 54-, 55- and 57-column generations all read;
//! a repeated header ("Incoming token type") keeps its first column.

use std::collections::HashMap;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use crate::read::csv::CsvTable;
use crate::read::table::{self, Table};
use crate::read::{ReadOptions, Source};

/// One sign-in, with what matters for MFA.
#[derive(Debug, Clone, Default)]
pub struct Event {
    pub request_id: String,
    pub date: String,
    pub upn: String,
    /// "Authentication requirement": true for multifactor, false for single-factor.
    pub mfa_required: Option<bool>,
    /// The MFA result text as written (or the AuthDetails result detail).
    pub result: String,
    /// The step's own success flag, when the file has one (AuthDetails, Graph JSON).
    pub succeeded: Option<bool>,
    pub method: String,
    pub detail: String,
    pub status: String,
    pub error_code: String,
}

/// One MFA step of an AuthDetails file, joined to its sign-in by Request ID.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub method: String,
    pub detail: String,
    pub succeeded: Option<bool>,
    pub result: String,
}

/// What a sign-in file holds.
pub enum Contents {
    Events(Vec<Event>),
    /// AuthDetails: steps by Request ID.
    Steps(HashMap<String, Vec<Step>>),
}

/// A header normalised for matching: lower case, single spaces, trimmed.
fn norm(h: &str) -> String {
    h.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Columns of a sign-in CSV, by the names the portal has used.
struct Columns {
    request_id: Option<usize>,
    date: Option<usize>,
    upn: Option<usize>,
    requirement: Option<usize>,
    result: Option<usize>,
    method: Option<usize>,
    detail: Option<usize>,
    status: Option<usize>,
    error_code: Option<usize>,
    // AuthDetails
    step_method: Option<usize>,
    step_detail: Option<usize>,
    succeeded: Option<usize>,
    result_detail: Option<usize>,
}

impl Columns {
    fn resolve(headers: &[String]) -> Columns {
        let find = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| headers.iter().position(|h| h == n))
        };
        Columns {
            request_id: find(&["request id", "requestid", "correlation id"]),
            date: find(&["date (utc)", "date", "created date time", "createddatetime"]),
            upn: find(&[
                "username",
                "user principal name",
                "userprincipalname",
                "user",
            ]),
            requirement: find(&["authentication requirement", "authenticationrequirement"]),
            result: find(&["multifactor authentication result", "mfa result"]),
            method: find(&["multifactor authentication auth method", "mfa auth method"]),
            detail: find(&["multifactor authentication auth detail", "mfa auth detail"]),
            status: find(&["status"]),
            error_code: find(&["sign-in error code", "error code", "errorcode"]),
            step_method: find(&["authentication method"]),
            step_detail: find(&["authentication method detail"]),
            succeeded: find(&["succeeded"]),
            result_detail: find(&["result detail"]),
        }
    }

    fn is_auth_details(&self) -> bool {
        self.step_method.is_some() && self.succeeded.is_some() && self.upn.is_none()
    }
}

/// "Multifactor authentication" / "multiFactorAuthentication": true; single-factor: false.
pub fn requirement(text: &str) -> Option<bool> {
    let t = norm(text).replace([' ', '-'], "");
    if t.contains("multifactor") {
        Some(true)
    } else if t.contains("singlefactor") {
        Some(false)
    } else {
        None
    }
}

fn boolean(text: &str) -> Option<bool> {
    crate::read::boolean::parse_bool(text)
}

/// Reads one sign-in file (CSV or JSON, detected from its first bytes; `-` is standard
/// input), with the encoding detection and caps of every input.
pub fn read(source: &Source, options: &ReadOptions) -> Result<Contents> {
    contents(table::open(source, options)?)
}

/// Reads one sign-in file held in memory (`name` names it in messages).
pub fn read_bytes(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Contents> {
    contents(table::open_bytes(name, bytes, options)?)
}

fn contents(table: Table) -> Result<Contents> {
    let name = table.name().to_owned();
    match table {
        Table::Csv(t) => read_csv(*t),
        Table::Json(items) => {
            let mut events = Vec::new();
            items.for_each(|n, o| {
                events.push(json_event(&name, n, &o)?);
                Ok(())
            })?;
            Ok(Contents::Events(events))
        }
    }
}

fn read_csv(mut table: CsvTable) -> Result<Contents> {
    let path = table.name.clone();
    let headers: Vec<String> = table
        .first
        .take()
        .map(|(h, _)| h.iter().map(|h| norm(h)).collect())
        .unwrap_or_default();
    let c = Columns::resolve(&headers);
    let field =
        |r: &[String], i: Option<usize>| i.and_then(|i| r.get(i)).cloned().unwrap_or_default();
    let mut record = Vec::new();
    if c.is_auth_details() {
        let Some(_) = c.request_id else {
            bail!("{path}: an AuthDetails file without a Request ID column cannot be joined");
        };
        let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
        while table.next_record(&mut record, false)?.is_some() {
            steps
                .entry(field(&record, c.request_id))
                .or_default()
                .push(Step {
                    method: field(&record, c.step_method),
                    detail: field(&record, c.step_detail),
                    succeeded: boolean(&field(&record, c.succeeded)),
                    result: field(&record, c.result_detail),
                });
        }
        return Ok(Contents::Steps(steps));
    }
    if c.upn.is_none() {
        bail!(
            "{path}: not a sign-in download: no Username column; the headers are: {}\n\
             hint: download Sign-in logs from the Entra admin center (CSV or JSON)",
            headers.join(", ")
        );
    }
    let mut events = Vec::new();
    while table.next_record(&mut record, false)?.is_some() {
        events.push(Event {
            request_id: field(&record, c.request_id),
            date: field(&record, c.date),
            upn: field(&record, c.upn),
            mfa_required: requirement(&field(&record, c.requirement)),
            result: field(&record, c.result),
            succeeded: None,
            method: field(&record, c.method),
            detail: field(&record, c.detail),
            status: field(&record, c.status),
            error_code: field(&record, c.error_code),
        });
    }
    Ok(Contents::Events(events))
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// One Graph `signIn` object (the portal's JSON download has the same shape), the `n`th of
/// file `name`.
fn json_event(name: &str, n: u64, o: &Map<String, Value>) -> Result<Event, String> {
    let status = o.get("status").and_then(Value::as_object);
    let mut event = Event {
        request_id: text_of(o.get("id").or(o.get("correlationId"))),
        date: text_of(o.get("createdDateTime")),
        upn: text_of(o.get("userPrincipalName")),
        mfa_required: requirement(&text_of(o.get("authenticationRequirement"))),
        status: match status.map(|s| text_of(s.get("errorCode"))) {
            Some(code) if code == "0" => "Success".to_owned(),
            Some(code) if !code.is_empty() => "Failure".to_owned(),
            _ => String::new(),
        },
        error_code: status
            .map(|s| text_of(s.get("errorCode")))
            .unwrap_or_default(),
        ..Event::default()
    };
    if event.upn.is_empty() {
        return Err(format!(
            "{name}: sign-in {n} has no userPrincipalName: not a sign-in log"
        ));
    }
    // The MFA step: the last authentication step that is not the password.
    let steps = o.get("authenticationDetails").and_then(Value::as_array);
    if let Some(step) = steps.and_then(|s| {
        s.iter().rev().filter_map(Value::as_object).find(|d| {
            let m = text_of(d.get("authenticationMethod")).to_lowercase();
            !m.is_empty() && m != "password" && !m.starts_with("previously satisfied")
        })
    }) {
        event.method = text_of(step.get("authenticationMethod"));
        event.detail = text_of(step.get("authenticationMethodDetail"));
        event.succeeded = step.get("succeeded").and_then(Value::as_bool);
        event.result = text_of(step.get("authenticationStepResultDetail"));
    } else if let Some(mfa) = o.get("mfaDetail").and_then(Value::as_object) {
        event.method = text_of(mfa.get("authMethod"));
        event.detail = text_of(mfa.get("authDetail"));
    }
    if event.result.is_empty() {
        // A satisfied requirement without a step of its own ("Previously satisfied").
        if let Some(d) = steps.and_then(|s| {
            s.iter()
                .filter_map(Value::as_object)
                .find(|d| !text_of(d.get("authenticationStepResultDetail")).is_empty())
        }) {
            event.result = text_of(d.get("authenticationStepResultDetail"));
            event.succeeded = event
                .succeeded
                .or(d.get("succeeded").and_then(Value::as_bool));
        }
    }
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_words() {
        for (text, want) in [
            ("Multifactor authentication", Some(true)),
            ("multiFactorAuthentication", Some(true)),
            ("Single-factor authentication", Some(false)),
            ("singleFactorAuthentication", Some(false)),
            ("", None),
        ] {
            assert_eq!(requirement(text), want, "{text}");
        }
        assert_eq!(
            norm("  Autonomous system  number "),
            "autonomous system number"
        );
    }
}
