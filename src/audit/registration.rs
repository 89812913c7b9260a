//! Registration as the community scripts' columns say it: flags, one column per method, and
//! hints; and the warning for a user whose registration the row cannot tell.
//!
//! A flag (`MFARegistration`, `ActivationStatus`, `MFA Enabled`) may be unreadable on a row:
//! CIPP writes `No data` when Entra's registration report was unavailable. Reading that as
//! "not registered" would put a registered user on the unregistered list; reading it as
//! registered would hide one who is not. The user is unknown, and the warning names the cell.

use anyhow::Result;

use crate::audit::methods::is_placeholder;
use crate::read::boolean::parse_bool;
use crate::read::schema::{Role, Row, Schema};
use crate::read::Location;
use crate::warnings::Warnings;

/// Reads a registration flag: booleans, or `Enabled`/`Disabled` as some scripts write it.
/// `None` when the cell does not say (`No data`, empty, a placeholder).
pub fn parse_flag(cell: &str) -> Option<bool> {
    parse_bool(cell).or_else(|| {
        let t = cell.trim();
        if ["enabled", "registered"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(t))
        {
            Some(true)
        } else if ["disabled", "not registered", "unregistered"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(t))
        {
            Some(false)
        } else {
            None
        }
    })
}

/// Reads a one-column-per-method cell: `True` when the user has the method; `False`, `-` or
/// empty when not (the scripts write `-` for false); `None` when unreadable.
pub fn parse_method_column(cell: &str) -> Option<bool> {
    if cell.trim().is_empty() || is_placeholder(cell) {
        return Some(false);
    }
    parse_bool(cell)
}

/// Warns about a user whose registration `role`'s column could not tell.
pub fn warn_unknown_registration(
    upn: &str,
    row: &Row,
    schema: &Schema,
    role: Role,
    at: Location<'_>,
    warnings: &mut Warnings,
) -> Result<()> {
    let header = crate::terminal::quote(schema.header(role).unwrap_or_default());
    let value = row.get(role).unwrap_or("").trim();
    let value = if value.is_empty() {
        "empty".to_owned()
    } else {
        crate::terminal::quote(value).to_string()
    };
    let why = match role {
        _ if row.is_unreadable(role) => format!(
            "the workbook does not say what {header} shows (a formula saved without its \
             result, a number saved for text, or an error value), and no other column shows \
             an MFA method"
        ),
        Role::AnyMethod => format!(
            "{header} is {value}, which counts methods that are not MFA (an email) as well as \
             methods no column names (a software token), and no column shows an MFA method"
        ),
        Role::Registered => {
            format!("{header} is {value}, not yes or no, and no listed method is MFA")
        }
        _ => format!(
            "{header} is {value}, not true or false, and no other column shows an MFA method"
        ),
    };
    let upn = crate::terminal::quote(upn);
    warnings.push(format!(
        "{}: {upn}: {why}; whether the user is registered is unknown, so the user is in \
         neither list",
        at.cell(schema.column(role))
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_method_columns() {
        let flags: &[(&str, Option<bool>)] = &[
            ("True", Some(true)),
            ("No", Some(false)),
            ("yes", Some(true)),
            ("enabled", Some(true)),
            ("Disabled", Some(false)),
            ("No data", None),
            ("", None),
            ("-", None),
            ("Strong", None),
        ];
        for (cell, want) in flags {
            assert_eq!(parse_flag(cell), *want, "{cell:?}");
        }
        let columns: &[(&str, Option<bool>)] = &[
            ("True", Some(true)),
            ("False", Some(false)),
            ("-", Some(false)),
            ("", Some(false)),
            ("maybe", None),
        ];
        for (cell, want) in columns {
            assert_eq!(parse_method_column(cell), *want, "{cell:?}");
        }
    }
}
