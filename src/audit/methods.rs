//! The MFA methods cell: every way an export writes a user's list of methods.
//!
//! A single name, a list joined by `,` `;` `|` or spaces, PowerShell's display form `{A, B}`,
//! a JSON array (of names, or of `{"MethodType": ...}` objects), or a list a JSON reader has
//! already split ([`LIST_SEPARATOR`]). Names are kept as written
//! (trimmed), in order, without case-insensitive duplicates.
//!
//! Community scripts write a placeholder where a user has no method (`-`, `None`, `No data`,
//! `N/A`): that is an empty list, never a method called "-".
//!
//! Some cells carry no names at all and must never be read as "no methods":
//! - `System.Object[]`: what `Export-Csv` writes for `StrongAuthenticationMethods.methodtype`
//!   when a user has two or more methods (Microsoft's own MFA_Report.csv command). The user
//!   *is* registered; only the names were lost.
//! - a boolean (`True`, `False`, `Yes`, `No`): the column is a registration flag, not a list,
//!   and reading `False` as a method named "False" would make everyone registered.
//! - any other .NET type name (``System.Collections.Generic.List`1[...]``, `System.String[]`):
//!   what `Export-Csv` writes for an unflattened collection. It says nothing about the user.

use std::borrow::Cow;

use smallvec::SmallVec;

use crate::audit::vocab;
use crate::read::schema::LIST_SEPARATOR;

/// Written in the report in place of method names that the input did not carry, and
/// recognised when such a report is read back.
pub const NAMES_NOT_IN_INPUT: &str = "(2 or more methods; names not in input)";
/// Written for a registered user whose export said so in a column of its own but wrote the
/// method list as a type name (Graph's `System.String[]`), and recognised when read back.
pub const NOT_LISTED: &str = "(registered; names not in input)";

/// Method names of one user, borrowed from the cell where possible.
pub type Names<'a> = SmallVec<[Cow<'a, str>; 4]>;

/// What a methods cell says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MethodsCell<'a> {
    /// The names, possibly none (an empty list: not registered).
    Names(Names<'a>),
    /// `System.Object[]`: two or more methods whose names were not exported.
    TwoOrMoreUnnamed,
    /// [`NOT_LISTED`]: registered, with methods whose names were not exported.
    NotListed,
    /// A .NET collection type name: the export lost the list entirely.
    TypeName(&'a str),
    /// A boolean word: the column is a flag, not a list of methods.
    Boolean(&'a str),
}

/// Words scripts write in place of a value they do not have (no method, no data), compared
/// case-insensitively after trimming. None of them is a method name.
const PLACEHOLDERS: &[&str] = &[
    "-",
    "--",
    "\u{2013}",
    "none",
    "no data",
    "n/a",
    "na",
    "null",
    "$null",
    "not available",
];

/// True when a cell holds a placeholder for "nothing" rather than a value.
pub fn is_placeholder(cell: &str) -> bool {
    let t = cell.trim();
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(t))
}

/// True when `cell` is the name of a .NET collection type, as `Export-Csv` writes an
/// unflattened collection (``System.Collections.Generic.List`1[...]``, `System.String[]`,
/// `System.Object[]`, `Microsoft.Online....[]`).
pub fn is_type_name(cell: &str) -> bool {
    let t = cell.trim();
    (t.starts_with("System.") || t.starts_with("Microsoft."))
        && (t.ends_with("[]") || t.contains("`1[") || t.ends_with(']'))
        && !t.contains(char::is_whitespace)
}

/// Parses a methods cell.
pub fn parse_methods(cell: &str) -> MethodsCell<'_> {
    let t = cell.trim();
    if t.is_empty() || t == "[]" || t == "{}" || is_placeholder(t) {
        return MethodsCell::Names(Names::new());
    }
    if crate::read::boolean::parse_bool(t).is_some() {
        return MethodsCell::Boolean(t);
    }
    if t == "System.Object[]" || t == NAMES_NOT_IN_INPUT {
        return MethodsCell::TwoOrMoreUnnamed;
    }
    if t == NOT_LISTED {
        return MethodsCell::NotListed;
    }
    if is_type_name(t) {
        return MethodsCell::TypeName(t);
    }
    let mut names = Names::new();
    // A list a reader already split (a JSON array of names): taken as it is.
    if let Some(list) = t.strip_prefix(LIST_SEPARATOR) {
        for name in list.split(LIST_SEPARATOR) {
            push_unique(&mut names, Cow::Borrowed(name));
        }
        return MethodsCell::Names(names);
    }
    if t.starts_with('[') && t.ends_with(']') {
        if let Some(list) = parse_json_array(t) {
            for name in list {
                push_unique(&mut names, name);
            }
            return MethodsCell::Names(names);
        }
    }
    // PowerShell's display form of a collection: {PhoneAppOTP, OneWaySMS}
    let body = match t.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        Some(inner) if !inner.contains('"') => inner,
        _ => t,
    };
    split_plain(body, &mut names);
    MethodsCell::Names(names)
}

/// Splits a plain list. Explicit separators win; spaces separate only when every word is a
/// known method identifier, so that a name like "Microsoft Authenticator app" stays whole.
fn split_plain<'a>(body: &'a str, names: &mut Names<'a>) {
    if body.contains([',', ';', '|']) {
        for part in body.split([',', ';', '|']) {
            push_unique(names, Cow::Borrowed(part));
        }
    } else if body.contains(char::is_whitespace) && body.split_whitespace().all(vocab::is_method_id)
    {
        for part in body.split_whitespace() {
            push_unique(names, Cow::Borrowed(part));
        }
    } else {
        push_unique(names, Cow::Borrowed(body));
    }
}

/// Adds a name to a user's list unless it is there already (in any letter case).
pub fn push_unique<'a>(names: &mut Names<'a>, name: Cow<'a, str>) {
    let name = match name {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
    };
    if name.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
        return;
    }
    names.push(name);
}

/// A JSON array of strings, or of objects naming a method (`MethodType`, `methodType`,
/// `authenticationMethod`, `method`). `None` when the text is not such an array.
fn parse_json_array(text: &str) -> Option<Vec<Cow<'_, str>>> {
    // The common case, `["mobilePhone","email"]`, without escapes: borrow the names.
    let inner = &text[1..text.len() - 1];
    if !inner.contains(['\\', '{', '[']) {
        let mut out = Vec::new();
        for item in inner.split(',') {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let unquoted = item.strip_prefix('"')?.strip_suffix('"')?;
            if unquoted.contains('"') {
                return None;
            }
            out.push(Cow::Borrowed(unquoted));
        }
        return Some(out);
    }
    let values: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
    let mut out = Vec::with_capacity(values.len());
    for value in values {
        match value {
            serde_json::Value::String(s) => out.push(Cow::Owned(s)),
            serde_json::Value::Object(map) => {
                let name = ["MethodType", "methodType", "authenticationMethod", "method"]
                    .iter()
                    .find_map(|k| map.get(*k).and_then(|v| v.as_str()))?;
                out.push(Cow::Owned(name.to_owned()));
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cell: &str) -> Vec<String> {
        match parse_methods(cell) {
            MethodsCell::Names(n) => n.iter().map(|s| s.to_string()).collect(),
            other => panic!("{cell:?} gave {other:?}"),
        }
    }

    #[test]
    fn every_separator_and_shape() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("   ", &[]),
            ("[]", &[]),
            ("{}", &[]),
            ("$null", &[]),
            // the placeholders community scripts write for "no method"
            ("-", &[]),
            (" - ", &[]),
            ("None", &[]),
            ("none", &[]),
            ("No data", &[]),
            ("N/A", &[]),
            ("\u{2013}", &[]),
            ("PhoneAppOTP", &["PhoneAppOTP"]),
            ("  PhoneAppOTP  ", &["PhoneAppOTP"]),
            ("PhoneAppOTP,OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("PhoneAppOTP, OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("PhoneAppOTP;OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("PhoneAppOTP|OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("PhoneAppOTP OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("PhoneAppOTP  \t OneWaySMS", &["PhoneAppOTP", "OneWaySMS"]),
            ("{PhoneAppOTP, OneWaySMS}", &["PhoneAppOTP", "OneWaySMS"]),
            ("{PhoneAppOTP}", &["PhoneAppOTP"]),
            (r#"["mobilePhone","email"]"#, &["mobilePhone", "email"]),
            (r#"[ "mobilePhone" , "fido2" ]"#, &["mobilePhone", "fido2"]),
            (r#"["a\"b"]"#, &["a\"b"]),
            (
                r#"[{"MethodType":"PhoneAppOTP","IsDefault":false},{"MethodType":"OneWaySMS","IsDefault":true}]"#,
                &["PhoneAppOTP", "OneWaySMS"],
            ),
            // order kept, duplicates (any case) dropped, empty parts ignored
            (
                "OneWaySMS,PhoneAppOTP,onewaysms,,",
                &["OneWaySMS", "PhoneAppOTP"],
            ),
            // a display name with spaces is one name, not three
            (
                "Microsoft Authenticator app",
                &["Microsoft Authenticator app"],
            ),
            (
                "Microsoft Authenticator app, Mobile phone",
                &["Microsoft Authenticator app", "Mobile phone"],
            ),
            // a future method name passes through unchanged
            ("quantumToken", &["quantumToken"]),
            // not JSON after all: treated as plain text
            ("[PhoneAppOTP]", &["[PhoneAppOTP]"]),
            // a list a reader split already: names kept whole, duplicates dropped
            (
                "\u{1f}mobilePhone\u{1f}a, b\u{1f}MOBILEPHONE",
                &["mobilePhone", "a, b"],
            ),
            (
                "\u{1f}Microsoft Authenticator app",
                &["Microsoft Authenticator app"],
            ),
        ];
        for (cell, want) in cases {
            assert_eq!(names(cell), *want, "cell {cell:?}");
        }
    }

    #[test]
    fn type_names_are_not_method_lists() {
        assert_eq!(
            parse_methods("System.Object[]"),
            MethodsCell::TwoOrMoreUnnamed
        );
        assert_eq!(
            parse_methods(NAMES_NOT_IN_INPUT),
            MethodsCell::TwoOrMoreUnnamed
        );
        for cell in [
            "System.Collections.Generic.List`1[Microsoft.Online.Administration.StrongAuthenticationMethod]",
            "System.String[]",
            " System.String[] ",
            "Microsoft.Online.Administration.StrongAuthenticationMethod[]",
        ] {
            assert!(matches!(parse_methods(cell), MethodsCell::TypeName(_)), "{cell}");
        }
        for cell in ["True", "False", "Yes", "no", " FALSE "] {
            assert_eq!(
                parse_methods(cell),
                MethodsCell::Boolean(cell.trim()),
                "{cell}"
            );
        }
        assert!(!is_type_name("System administrator"));
        assert!(!is_type_name("PhoneAppOTP"));
    }
}
