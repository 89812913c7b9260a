//! MFA_Report.csv: Microsoft's three columns by default, more on request.
//!
//! Default columns and headers are those of the reference command:
//! `"UserPrincipalName","MFA Status","MFA Methods"`. `--columns` adds DisplayName,
//! Default Method, Registered, Blocked and Source (file:line of the row), and with `--policies`
//! MFA Enforcement and Enforcement Detail.

use anyhow::{bail, Result};

use super::commit::Output;
use super::table::{Table, Value};
use crate::audit::classify::{Blocked, Methods, StrengthClass, Verdict};
use crate::audit::enforcement::Decision;
use crate::audit::exceptions::Exception;
use crate::audit::methods::{NAMES_NOT_IN_INPUT, NOT_LISTED};
use crate::audit::vocab::NameStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Upn,
    Status,
    Methods,
    DisplayName,
    DefaultMethod,
    Registered,
    Blocked,
    Capable,
    Admin,
    UserType,
    Strongest,
    Exception,
    Source,
    /// `--policies`: the verdict ("MFA Enforcement").
    Enforcement,
    /// `--policies`: the deciding policies and what narrows them ("Enforcement Detail").
    EnforcementDetail,
}

const ALL: [(Column, &str, &str); 15] = [
    (Column::Upn, "upn", "UserPrincipalName"),
    (Column::Status, "status", "MFA Status"),
    (Column::Methods, "methods", "MFA Methods"),
    (Column::DisplayName, "display-name", "DisplayName"),
    (Column::DefaultMethod, "default-method", "Default Method"),
    (Column::Registered, "registered", "Registered"),
    (Column::Blocked, "blocked", "Blocked"),
    (Column::Capable, "mfa-capable", "MFA Capable"),
    (Column::Admin, "admin", "Is Admin"),
    (Column::UserType, "user-type", "User Type"),
    (Column::Strongest, "strongest-method", "Strongest Method"),
    (Column::Exception, "exception", "Exception"),
    (Column::Source, "source", "Source"),
    (Column::Enforcement, "enforcement", "MFA Enforcement"),
    (
        Column::EnforcementDetail,
        "enforcement-detail",
        "Enforcement Detail",
    ),
];

impl Column {
    pub fn header(self) -> &'static str {
        ALL.iter()
            .find(|(c, ..)| *c == self)
            .map(|(_, _, h)| *h)
            .unwrap_or_default()
    }

    /// As `--columns` names it.
    pub fn name(self) -> &'static str {
        ALL.iter()
            .find(|(c, ..)| *c == self)
            .map(|(_, n, _)| *n)
            .unwrap_or_default()
    }

    /// Columns only `--policies` can fill.
    pub fn needs_policies(self) -> bool {
        matches!(self, Column::Enforcement | Column::EnforcementDetail)
    }

    /// Parses `--columns upn,status,methods,...`.
    pub fn parse_list(list: &str) -> Result<Vec<Column>> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((col, ..)) = ALL.iter().find(|(_, n, _)| n.eq_ignore_ascii_case(name)) else {
                let names: Vec<_> = ALL.iter().map(|(_, n, _)| *n).collect();
                bail!(
                    "--columns: unknown column {name:?}; choose from {}",
                    names.join(",")
                );
            };
            if out.contains(col) {
                bail!("--columns: {name} is listed twice");
            }
            out.push(*col);
        }
        if out.is_empty() {
            bail!("--columns: give at least one column");
        }
        Ok(out)
    }
}

/// Writes report rows.
pub struct ReportWriter {
    out: Box<dyn Table>,
    columns: Vec<Column>,
    separator: String,
    names: NameStyle,
    joined: String,
    pub rows: u64,
}

impl ReportWriter {
    /// The header row for `columns`.
    pub fn headers(columns: &[Column]) -> Vec<&'static str> {
        columns.iter().map(|c| c.header()).collect()
    }

    /// Continues `out`, a table started with [`ReportWriter::headers`].
    pub fn new(
        out: Box<dyn Table>,
        columns: Vec<Column>,
        separator: &str,
        names: NameStyle,
    ) -> ReportWriter {
        ReportWriter {
            out,
            columns,
            separator: separator.to_owned(),
            names,
            joined: String::new(),
            rows: 0,
        }
    }

    pub fn write(
        &mut self,
        v: &Verdict,
        source: &dyn std::fmt::Display,
        exception: Option<&Exception>,
        decision: Option<&Decision>,
    ) -> Result<()> {
        for col in &self.columns {
            let value = match col {
                Column::Upn => Value::Text(v.upn),
                Column::Status => Value::Text(v.status.as_str()),
                Column::Methods => {
                    self.joined.clear();
                    methods_text(v, &self.separator, self.names, &mut self.joined);
                    Value::Text(&self.joined)
                }
                Column::DisplayName => Value::Text(v.display_name.unwrap_or("")),
                Column::DefaultMethod => {
                    Value::Text(v.default_method.map_or("", |m| self.names.apply(m)))
                }
                Column::Registered => Value::Bool(Some(v.registered)),
                Column::Blocked => Value::Bool(match v.blocked {
                    Blocked::Yes => Some(true),
                    Blocked::No => Some(false),
                    Blocked::Unreadable | Blocked::NoColumn => None,
                }),
                Column::Capable => Value::Bool(v.capable),
                Column::Admin => Value::Bool(v.admin),
                Column::UserType => Value::Text(v.user_type.unwrap_or(if v.is_guest() {
                    "Guest"
                } else {
                    "Member"
                })),
                Column::Strongest => Value::Text(v.strength.map_or("", StrengthClass::name)),
                Column::Exception => Value::Text(if exception.is_some() { "Excepted" } else { "" }),
                Column::Enforcement => Value::Text(decision.map_or("", |d| d.verdict.label())),
                Column::EnforcementDetail => Value::Text(decision.map_or("", |d| &d.detail)),
                Column::Source => {
                    self.joined.clear();
                    use std::fmt::Write as _;
                    let _ = write!(self.joined, "{source}");
                    Value::Text(&self.joined)
                }
            };
            self.out.cell(value)?;
        }
        self.out.end_row()?;
        self.rows += 1;
        Ok(())
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Adds the summary where the format has room for it (a workbook's second sheet).
    pub fn summary(&mut self, doc: &crate::report::summary::JsonSummary<'_>) -> Result<()> {
        self.out.summary(doc)
    }

    pub fn finish(self) -> Result<Output> {
        self.out.finish()
    }
}

/// A user's methods as the report writes them: names in `style`, joined by `separator`, each
/// once (renaming can merge two: OneWaySMS and TwoWayVoiceMobile are both mobilePhone), or the
/// marker for names the input did not carry. Appended to `out`.
pub fn methods_text(v: &Verdict, separator: &str, style: NameStyle, out: &mut String) {
    match &v.methods {
        Methods::Names(names) => {
            let mut written: smallvec::SmallVec<[&str; 4]> = Default::default();
            for n in names {
                let n = style.apply(n);
                if written.iter().any(|w| w.eq_ignore_ascii_case(n)) {
                    continue;
                }
                if !written.is_empty() {
                    out.push_str(separator);
                }
                written.push(n);
                out.push_str(n);
            }
        }
        Methods::TwoOrMoreUnnamed => out.push_str(NAMES_NOT_IN_INPUT),
        Methods::NotListed if v.registered => out.push_str(NOT_LISTED),
        Methods::NotListed => {}
    }
}

/// A list of UPNs (`--registered`, `--unregistered`): the single header "UserPrincipalName".
pub struct UpnList {
    out: Box<dyn Table>,
    pub rows: u64,
}

impl UpnList {
    pub const HEADERS: [&'static str; 1] = ["UserPrincipalName"];

    /// Continues `out`, a table started with [`UpnList::HEADERS`].
    pub fn new(out: Box<dyn Table>) -> UpnList {
        UpnList { out, rows: 0 }
    }

    pub fn write(&mut self, upn: &str) -> Result<()> {
        self.out.cell(Value::Text(upn))?;
        self.out.end_row()?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<Output> {
        self.out.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_lists() {
        assert_eq!(
            Column::parse_list("upn,status,methods").unwrap(),
            vec![Column::Upn, Column::Status, Column::Methods]
        );
        assert_eq!(
            Column::parse_list(" UPN , source ").unwrap(),
            vec![Column::Upn, Column::Source]
        );
        assert!(Column::parse_list("upn,colour").is_err());
        assert!(Column::parse_list("upn,upn").is_err());
        assert!(Column::parse_list(" , ").is_err());
        assert_eq!(Column::DefaultMethod.header(), "Default Method");
    }
}
