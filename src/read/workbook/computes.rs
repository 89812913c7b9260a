//! What a formula's text says about the kind of value it computes, so that a saved result of
//! another kind is known for what it is: not the formula's value.
//!
//! Writers that do not calculate still have to put a result beside each formula. libxlsxwriter
//! and XlsxWriter save `0` ("it stores the value 0 as the formula result", their FAQ), and so
//! do some writers of legacy `.xls` (a BIFF FORMULA record holds a number unless marked
//! otherwise). In a column of text any number is wrong, whatever the formula. In a yes/no
//! column (`BlockCredential`, `IsMfaRegistered`, ...) `0` reads as false, so a formula such as
//! `=IF(VLOOKUP(...),"True","False")` saved with `0` would quietly unblock a user. There, the
//! formula's text decides: a formula that can only compute text or a truth value cannot have
//! a number for its result. Excel saves a truth value as a boolean (`t="b"`, BIFF's boolean
//! result) and text as text (`t="str"`), never as a number.
//!
//! The reading is deliberately narrow: only the outermost operation is looked at (a string
//! literal, `&`, a comparison, `TRUE`/`FALSE`, a function whose result is always text or always
//! a truth value, and `IF`/`IFERROR`/`IFS`/`CHOOSE` whose every branch is one of those). Any
//! other formula (a lookup, arithmetic, a reference) may compute a number, and its result is
//! read as saved.

/// Whether `formula` (with or without its leading `=`, in Excel's or OpenDocument's syntax)
/// computes only text or truth values, never a number.
pub(super) fn never_a_number(formula: &str) -> bool {
    let f = formula.trim();
    // OpenDocument writes `of:=...`; Excel's text has no `=` in the file, users type one.
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f);
    expression(f, 0)
}

/// Functions whose result is always text (Excel's "Text functions" that return text).
const TEXT: &[&str] = &[
    "CHAR",
    "CLEAN",
    "CONCAT",
    "CONCATENATE",
    "DOLLAR",
    "FIXED",
    "LEFT",
    "LEFTB",
    "LOWER",
    "MID",
    "MIDB",
    "PROPER",
    "REPLACE",
    "REPLACEB",
    "REPT",
    "RIGHT",
    "RIGHTB",
    "SUBSTITUTE",
    "T",
    "TEXT",
    "TEXTAFTER",
    "TEXTBEFORE",
    "TEXTJOIN",
    "TRIM",
    "UNICHAR",
    "UPPER",
];

/// Functions whose result is always a truth value.
const TRUTH: &[&str] = &[
    "AND",
    "EXACT",
    "FALSE",
    "ISBLANK",
    "ISERR",
    "ISERROR",
    "ISEVEN",
    "ISFORMULA",
    "ISLOGICAL",
    "ISNA",
    "ISNONTEXT",
    "ISNUMBER",
    "ISODD",
    "ISREF",
    "ISTEXT",
    "NOT",
    "OR",
    "TRUE",
    "XOR",
];

/// Nesting beyond which a formula is not looked into (its result is then read as saved).
const DEEPEST: usize = 16;

fn expression(e: &str, depth: usize) -> bool {
    let e = e.trim();
    if e.is_empty() || depth > DEEPEST {
        return false;
    }
    let top = top_level(e);
    // Excel's precedence: comparison binds loosest, then `&`.
    if top.comparison {
        return true;
    }
    if top.concatenation {
        return true;
    }
    if top.other_operator {
        return false;
    }
    if is_string_literal(e) {
        return true;
    }
    if e.eq_ignore_ascii_case("TRUE") || e.eq_ignore_ascii_case("FALSE") {
        return true;
    }
    if let Some(inner) = e.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        if top_level(inner).balanced {
            return expression(inner, depth + 1);
        }
    }
    let Some((name, args)) = call(e) else {
        return false;
    };
    // Newer functions are saved with a prefix (`_xlfn.CONCAT`, `_xlfn.IFS`).
    let name = name.trim_start_matches("_xlfn.").to_ascii_uppercase();
    let name = name.as_str();
    if TEXT.contains(&name) || TRUTH.contains(&name) {
        return true;
    }
    let branches: Vec<&str> = match name {
        // IF(test, then, [else]): a missing `else` is FALSE, which is no number either.
        "IF" => args.iter().skip(1).copied().collect(),
        "IFERROR" | "IFNA" => args.clone(),
        // IFS(test1, value1, test2, value2, ...)
        "IFS" => args.iter().skip(1).step_by(2).copied().collect(),
        // CHOOSE(index, value1, value2, ...)
        "CHOOSE" => args.iter().skip(1).copied().collect(),
        _ => return false,
    };
    !branches.is_empty() && branches.iter().all(|b| expression(b, depth + 1))
}

/// What the outermost level of an expression holds (outside strings, brackets and braces).
#[derive(Default)]
struct TopLevel {
    comparison: bool,
    concatenation: bool,
    /// Arithmetic, or anything else that may compute a number.
    other_operator: bool,
    /// Brackets close where they open (a whole `( ... )` is one group).
    balanced: bool,
}

fn top_level(e: &str) -> TopLevel {
    let mut t = TopLevel {
        balanced: true,
        ..TopLevel::default()
    };
    let mut depth = 0i32;
    let mut in_string = false;
    let mut quoted_name = false;
    let bytes = e.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            // `""` inside a string is a quote; the next byte starts the string again.
            if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if quoted_name {
            if b == b'\'' {
                quoted_name = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            // A quoted sheet name: 'Sheet 1'!A1.
            b'\'' => quoted_name = true,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                // Closed before the end: `(a)&(b)` is not one group.
                if depth <= 0 && i + 1 < bytes.len() {
                    t.balanced = false;
                }
            }
            _ if depth > 0 => {}
            b'=' | b'<' | b'>' => t.comparison = true,
            b'&' => t.concatenation = true,
            // A leading sign is an operator too (`-A1`): a number.
            b'+' | b'-' | b'*' | b'/' | b'^' | b'%' => t.other_operator = true,
            _ => {}
        }
    }
    t
}

fn is_string_literal(e: &str) -> bool {
    e.len() >= 2 && e.starts_with('"') && e.ends_with('"') && {
        // One literal: every inner quote is doubled.
        let inner = &e[1..e.len() - 1];
        inner.replace("\"\"", "").find('"').is_none()
    }
}

/// `NAME(args)` spanning the whole expression: the name and the top-level arguments
/// (separated by `,` in Excel's syntax, `;` in OpenDocument's).
fn call(e: &str) -> Option<(&str, Vec<&str>)> {
    let open = e.find('(')?;
    let name = &e[..open];
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        || !e.ends_with(')')
    {
        return None;
    }
    let body = &e[open + 1..e.len() - 1];
    let mut args = Vec::new();
    let (mut depth, mut in_string, mut quoted, mut start) = (0i32, false, false, 0);
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'"' if !quoted => in_string = !in_string,
            b'\'' if !in_string => quoted = !quoted,
            _ if in_string || quoted => {}
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    // `F(a)+G(b)` reaches here only through a top-level operator, but a
                    // bracket closing early means the call does not span the expression.
                    return None;
                }
            }
            b',' | b';' if depth == 0 => {
                args.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || in_string {
        return None;
    }
    if !body.trim().is_empty() || !args.is_empty() {
        args.push(&body[start..]);
    }
    Some((name, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_that_cannot_compute_a_number() {
        let cases = [
            // Text: literals, `&`, text functions (as xlwt's fixture and Export-Excel write).
            (r#""PhoneAppNotification"&"""#, true),
            (r#"="PhoneAppOTP""#, true),
            (r#"CONCATENATE("OneWay","SMS")"#, true),
            (r#"of:=CONCATENATE("OneWay";"SMS")"#, true),
            (r#"_xlfn.CONCAT(A2,"x")"#, true),
            (r#"HYPERLINK("mailto:a@contoso.com","Ann")"#, false),
            (r#"TEXT(A2,"0")"#, true),
            (
                r#"IF(VLOOKUP(A2,Accounts!A:B,2,FALSE),"True","False")"#,
                true,
            ),
            (r#"IF(B2="","Disabled","Enforced")"#, true),
            (r#"IF(B2="","No")"#, true),
            (r#"IFERROR(VLOOKUP(A2,X!A:B,2,FALSE),"No")"#, false),
            (r#"IFERROR("Yes","No")"#, true),
            (r#"_xlfn.IFS(A2=1,"Yes",TRUE,"No")"#, true),
            (r#"CHOOSE(A2,"Yes","No")"#, true),
            (r#"CHOOSE(A2,"Yes",0)"#, false),
            // Truth values: comparisons, TRUE/FALSE, logical and IS functions.
            ("A2>0", true),
            ("=A2<>\"\"", true),
            ("TRUE", true),
            ("FALSE()", true),
            ("NOT(C2)", true),
            ("ISBLANK(F6)", true),
            ("AND(C2,D2)", true),
            ("(A2=1)", true),
            // May be a number: read as saved.
            ("VLOOKUP(A2,Accounts!A:B,2,FALSE)", false),
            ("IF(A2,1,0)", false),
            ("IF(A2,\"x\",1)", false),
            ("A2", false),
            ("'Sheet 1'!A2", false),
            ("-A2", false),
            ("1+1", false),
            ("SUM(A1:A3)", false),
            ("(\"a\")&(\"b\")", true),
            ("(1)+(2)", false),
            ("", false),
            ("=", false),
            ("IF(", false),
            ("\"unclosed", false),
            ("\"a\"\"b\"", true),
        ];
        for (formula, want) in cases {
            assert_eq!(never_a_number(formula), want, "{formula:?}");
        }
    }

    #[test]
    fn nesting_beyond_the_limit_is_read_as_saved() {
        let deep = format!("{}\"x\"{}", "(".repeat(40), ")".repeat(40));
        assert!(!never_a_number(&deep));
        let shallow = format!("{}\"x\"{}", "(".repeat(3), ")".repeat(3));
        assert!(never_a_number(&shallow));
    }
}
