//! Reading sign-in downloads into events: the Entra admin center's CSV files (interactive and
//! non-interactive sign-ins, and their AuthDetails companions) and JSON (the portal download,
//! or Graph `signIn` objects, pages or arrays).
//!
//! Columns are matched by name, ignoring letter case and extra spaces ("Application ID " and
//! "Autonomous system  number" are found), so the 54-, 55- and 57-column generations all read;
//! a repeated header ("Incoming token type") keeps its first column. The names, in every
//! portal language we know, and `--column`, are [`crate::read::signin_columns`]'s.

use std::collections::HashMap;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use crate::read::conditional_access::{self as ca, AppliedPolicy, CaStatus};
use crate::read::csv::CsvTable;
use crate::read::signin_columns::{missing_message, Columns, Kind, SigninOverride, SigninRole};
pub use crate::read::signin_steps::Step;
use crate::read::signin_steps::{choose, StepEvidence};
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
    /// What the sign-in's authentication steps say about MFA (which one, if any, is the MFA
    /// step); `NotListed` until an AuthDetails file or `authenticationDetails` supplies them.
    pub steps: StepEvidence,
    /// The overall "Conditional Access" outcome (CSV column, Graph `conditionalAccessStatus`).
    pub ca_status: Option<CaStatus>,
    /// Graph `appliedConditionalAccessPolicies`; `None` when the file does not carry them (the
    /// CSV download never does).
    pub policies: Option<Vec<AppliedPolicy>>,
    /// Interactive (true) or non-interactive (false); `None` when the file does not say.
    pub interactive: Option<bool>,
}

/// What a sign-in file holds.
pub enum Contents {
    Events(Vec<Event>),
    /// AuthDetails: steps by Request ID.
    Steps(HashMap<String, Vec<Step>>),
}

pub use crate::read::signin_columns::requirement;

fn boolean(text: &str) -> Option<bool> {
    crate::read::boolean::parse_bool(text)
}

/// Reads one sign-in file (CSV or JSON, detected from its first bytes; `-` is standard
/// input), with the encoding detection and caps of every input.
pub fn read(source: &Source, options: &ReadOptions) -> Result<Contents> {
    read_with(source, options, &[], &mut [])
}

/// [`read`] with `--column` mappings for CSV files; `matched[i]` is set when `columns[i]`
/// named a header of this file.
pub fn read_with(
    source: &Source,
    options: &ReadOptions,
    columns: &[SigninOverride],
    matched: &mut [bool],
) -> Result<Contents> {
    contents(table::open(source, options)?, columns, matched)
}

/// Reads one sign-in file held in memory (`name` names it in messages).
pub fn read_bytes(name: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Contents> {
    contents(table::open_bytes(name, bytes, options)?, &[], &mut [])
}

fn contents(table: Table, columns: &[SigninOverride], matched: &mut [bool]) -> Result<Contents> {
    built(table, columns, matched).map(Contents::scrub_phones)
}

impl Contents {
    /// Every phone number in every text field scrubbed (`+X XXXXXXXX99`), once, here, so that
    /// nothing downstream (analysis, writers, messages) ever holds one.
    fn scrub_phones(mut self) -> Contents {
        match &mut self {
            Contents::Events(events) => events.iter_mut().for_each(Event::scrub_phones),
            Contents::Steps(steps) => steps.values_mut().flatten().for_each(Step::scrub_phones),
        }
        self
    }
}

/// `field` with its phone numbers scrubbed, without a copy when it holds none.
fn scrub(field: &mut String) {
    if let std::borrow::Cow::Owned(masked) = crate::phone::mask_phones(field) {
        *field = masked;
    }
}

impl Event {
    /// Destructured without `..`: a field added to `Event` does not compile until it is
    /// scrubbed here too (or said to need no scrubbing).
    fn scrub_phones(&mut self) {
        let Event {
            // The portal's GUID, the key of dedup and of the AuthDetails join: scrubbing it
            // could only merge two sign-ins into one.
            request_id: _,
            date,
            // The user's identity and the key of the per-user answers: a UPN made of digits
            // (`4255550199@contoso.com`) scrubbed to its last two digits would make two users one.
            upn: _,
            mfa_required: _,
            result,
            succeeded: _,
            method,
            detail,
            status,
            error_code,
            // Kinds from fixed vocabularies.
            steps: _,
            ca_status: _,
            interactive: _,
            // Policy ids and the names admins gave them, counted per policy: scrubbing could
            // merge two policies.
            policies: _,
        } = self;
        for field in [date, result, method, detail, status, error_code] {
            scrub(field);
        }
    }
}

impl Step {
    /// As [`Event::scrub_phones`].
    fn scrub_phones(&mut self) {
        let Step {
            method,
            detail,
            succeeded: _,
            result,
            requirement,
        } = self;
        for field in [method, detail, result, requirement] {
            scrub(field);
        }
    }
}

fn built(table: Table, columns: &[SigninOverride], matched: &mut [bool]) -> Result<Contents> {
    let name = table.name().to_owned();
    match table {
        Table::Csv(t) => read_csv(*t, columns, matched),
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

fn read_csv(
    mut table: CsvTable,
    overrides: &[SigninOverride],
    matched: &mut [bool],
) -> Result<Contents> {
    let path = table.name.clone();
    let headers: Vec<String> = table
        .first
        .take()
        .map(|(h, _)| h.to_vec())
        .unwrap_or_default();
    let c = Columns::resolve(&path, &headers, overrides, matched)?;
    let field = |r: &[String], role: SigninRole| {
        c.get(role)
            .and_then(|i| r.get(i))
            .cloned()
            .unwrap_or_default()
    };
    let mut record = Vec::new();
    if c.kind == Kind::AuthDetails {
        let mut steps: HashMap<String, Vec<Step>> = HashMap::new();
        while table.next_record(&mut record, false)?.is_some() {
            steps
                .entry(field(&record, SigninRole::RequestId))
                .or_default()
                .push(Step {
                    method: field(&record, SigninRole::Method),
                    detail: field(&record, SigninRole::Detail),
                    succeeded: boolean(&field(&record, SigninRole::Succeeded)),
                    result: field(&record, SigninRole::Result),
                    requirement: field(&record, SigninRole::Requirement),
                });
        }
        return Ok(Contents::Steps(steps));
    }
    let mut events = Vec::new();
    let by_name = ca::interactive_from_name(&path);
    while table.next_record(&mut record, false)?.is_some() {
        events.push(Event {
            ca_status: CaStatus::parse(&field(&record, SigninRole::ConditionalAccess)),
            policies: None,
            interactive: ca::csv_interactive(
                &field(&record, SigninRole::Interactive),
                &field(&record, SigninRole::EventTypes),
            )
            .or(by_name),
            request_id: field(&record, SigninRole::RequestId),
            date: field(&record, SigninRole::Date),
            upn: field(&record, SigninRole::Upn),
            mfa_required: requirement(&field(&record, SigninRole::Requirement)),
            result: field(&record, SigninRole::Result),
            succeeded: None,
            method: field(&record, SigninRole::Method),
            detail: field(&record, SigninRole::Detail),
            status: field(&record, SigninRole::Status),
            error_code: field(&record, SigninRole::ErrorCode),
            steps: StepEvidence::NotListed,
        });
    }
    // Refused after the rows, so that a broken record is named by its line first; a file of
    // sign-ins without a requirement column would answer nothing and say so nowhere.
    let missing = c.missing_for_answers();
    if !events.is_empty() && !missing.is_empty() {
        bail!("{}", missing_message(&path, &missing, &c, &headers));
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

/// One Graph `authenticationDetail` (a step of a sign-in).
fn json_step(d: &Map<String, Value>) -> Step {
    Step {
        method: text_of(d.get("authenticationMethod")),
        detail: text_of(d.get("authenticationMethodDetail")),
        succeeded: d.get("succeeded").and_then(Value::as_bool),
        result: text_of(d.get("authenticationStepResultDetail")),
        requirement: text_of(d.get("authenticationStepRequirement")),
    }
}

/// One Graph `signIn` object (the portal's JSON download has the same shape), the `n`th of
/// file `name`.
fn json_event(name: &str, _n: u64, o: &Map<String, Value>) -> Result<Event, String> {
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
        ca_status: CaStatus::parse(&text_of(o.get("conditionalAccessStatus"))),
        policies: ca::applied_policies(o),
        interactive: ca::json_interactive(o).or(ca::interactive_from_name(name)),
        ..Event::default()
    };
    // An empty userPrincipalName is kept, as in CSV: the analysis counts it under "no user"
    // and warns (naming its Request ID), rather than one sign-in stopping the run.
    let steps: Vec<Step> = o
        .get("authenticationDetails")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_object)
                .map(json_step)
                .collect()
        })
        .unwrap_or_default();
    let (evidence, chosen) = choose(&steps, event.mfa_required);
    event.steps = evidence;
    if let Some(step) = chosen.map(|i| &steps[i]) {
        event.method = step.method.clone();
        event.detail = step.detail.clone();
        event.succeeded = step.succeeded;
        event.result = step.result.clone();
    } else if steps.is_empty() {
        // Older objects carry only the deprecated mfaDetail: the method, never the result.
        if let Some(mfa) = o.get("mfaDetail").and_then(Value::as_object) {
            event.method = text_of(mfa.get("authMethod"));
            event.detail = text_of(mfa.get("authDetail"));
        }
    }
    Ok(event)
}
