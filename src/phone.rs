//! Phone numbers scrubbed the way the Entra portal shows them (`+X XXXXXXXX64`: the country
//! code and all but the last two digits hidden), wherever they stand in a text.
//!
//! A sign-in download can carry a full number in any field, not only the "auth detail"
//! column: a result text ("Unable to reach +1 (425) 555-0199"), a method column, a detail.
//! The sign-in reader passes every text field through [`mask_phones`] once, so nothing
//! downstream (counts, CSV, XLSX, JSON, HTML, messages) ever holds a number. A leaf module: the
//! reader uses it, and so may every layer above.
//!
//! What counts as a phone number: 7 to 15 digits (E.164's longest is 15; a `00`
//! international prefix adds 2), ASCII or full-width, optionally after `+` or `00`, grouped by
//! spaces, dashes, dots or brackets. A bare run of digits needs 8, so the 7-digit AADSTS error
//! codes (`7000215`) stay. What does not, so that the fields an auditor matches on stay
//! intact: digits glued to letters or to `_:/\=` (GUIDs, request and correlation ids,
//! `AADSTS500121`, times `10:22:33`, paths), dates (`2026-11-01`, `01.11.2026`, `20261101`),
//! IPv4 addresses and dotted version numbers (`10.0.19045.1234`).

use std::borrow::Cow;

/// The digit a character stands for: ASCII `0-9` and full-width `０-９` (what a Japanese
/// keyboard types).
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{ff10}'..='\u{ff19}' => Some((c as u32 - 0xff10) as u8),
        _ => None,
    }
}

fn is_plus(c: char) -> bool {
    matches!(c, '+' | '\u{ff0b}')
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '\u{ff08}')
}

/// Separators inside a number: dashes (ASCII, Unicode hyphens, full-width), dots and brackets.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '(' | ')' | '\u{2010}'
            ..='\u{2013}' | '\u{ff0d}' | '\u{ff0e}' | '\u{ff08}' | '\u{ff09}'
    )
}

/// White space a number may hold between its groups (no line breaks: a number is on one line).
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{3000}')
}

fn is_phone_char(c: char) -> bool {
    digit(c).is_some() || is_plus(c) || is_separator(c) || is_space(c)
}

/// A character that, right next to digits, makes them part of something else: a word, an
/// identifier, a time, a path or a query. Japanese and Chinese text is not glue ("電話
/// 090-1234-5678に" holds a number).
fn is_glue(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || digit(c).is_some()
        || matches!(c, '_' | ':' | '/' | '\\' | '=' | '%' | '#' | '&' | '$')
        || (c.is_alphabetic() && (c as u32) < 0x2e80)
}

/// Every phone number in `text` replaced by its scrubbed form; the text itself when it holds
/// none (the common case costs no allocation).
pub fn mask_phones(text: &str) -> Cow<'_, str> {
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to, masked) in found {
        out.push_str(&text[at..from]);
        out.push_str(&masked);
        at = to;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The phone numbers in `text`, as written (for checks that an output holds none of an
/// input's numbers).
pub fn phone_numbers(text: &str) -> Vec<&str> {
    find(text)
        .into_iter()
        .map(|(from, to, _)| &text[from..to])
        .collect()
}

/// The numbers of `text`: byte ranges and scrubbed forms, in order.
fn find(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_phone_char(chars[i].1) || is_space(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_phone_char(chars[i].1) {
            i += 1;
        }
        found.extend(numbers_in(&chars, start, i, text.len()));
    }
    found
}

/// The numbers in one run `chars[start..end]` of digits, separators and spaces, as byte ranges
/// of the text and their scrubbed form. The run is cut into space-separated tokens, and the
/// longest stretch of tokens that reads as one number wins, so "2026-11-01 4255550199" keeps
/// its date and loses its number.
fn numbers_in(
    chars: &[(usize, char)],
    start: usize,
    end: usize,
    len: usize,
) -> Vec<(usize, usize, String)> {
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut i = start;
    while i < end {
        if is_space(chars[i].1) {
            i += 1;
            continue;
        }
        let s = i;
        while i < end && !is_space(chars[i].1) {
            i += 1;
        }
        tokens.push((s, i));
    }
    let before = start.checked_sub(1).map(|k| chars[k].1);
    // The run may end in spaces: what follows its last token is what it could be glued to.
    let after = tokens.last().and_then(|t| chars.get(t.1)).map(|c| c.1);
    let byte = |k: usize| chars.get(k).map_or(len, |c| c.0);
    let mut out = Vec::new();
    let mut a = 0;
    while a < tokens.len() {
        let mut hit = None;
        for b in (a + 1..=tokens.len()).rev() {
            let (mut s, mut e) = (tokens[a].0, tokens[b - 1].1);
            let first = chars[s].1;
            // Glued to what stands before the run (only the first token touches it); a `+`
            // or a bracket opens a number whatever precedes it.
            if a == 0 && !is_plus(first) && !is_open(first) && before.is_some_and(is_glue) {
                continue;
            }
            if b == tokens.len() && after.is_some_and(is_glue) {
                continue;
            }
            while s < e
                && !(digit(chars[s].1).is_some() || is_plus(chars[s].1) || is_open(chars[s].1))
            {
                s += 1;
            }
            while e > s && digit(chars[e - 1].1).is_none() {
                e -= 1;
            }
            let piece: Vec<char> = chars[s..e].iter().map(|c| c.1).collect();
            if let Some(masked) = scrubbed(&piece) {
                hit = Some((b, byte(s), byte(e), masked));
                break;
            }
        }
        match hit {
            Some((b, from, to, masked)) => {
                out.push((from, to, masked));
                a = b;
            }
            None => a += 1,
        }
    }
    out
}

/// The scrubbed form of `piece` if it reads as a phone number, `None` if not.
fn scrubbed(piece: &[char]) -> Option<String> {
    let plus = piece.first().copied().is_some_and(is_plus);
    let digits: Vec<u8> = piece.iter().filter_map(|&c| digit(c)).collect();
    // Digit groups, and the separators between them.
    let mut groups: Vec<usize> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut run = 0;
    for &c in piece {
        if digit(c).is_some() {
            run += 1;
        } else {
            if run > 0 {
                groups.push(run);
                run = 0;
            }
            if !is_plus(c) {
                seps.push(c);
            }
        }
    }
    if run > 0 {
        groups.push(run);
    }
    let intl = !plus && digits.starts_with(&[0, 0]);
    let bare = !plus && seps.is_empty();
    let min = if bare { 8 } else { 7 };
    let max = if intl { 17 } else { 15 };
    if digits.len() < min || digits.len() > max {
        return None;
    }
    if !plus && is_date(&digits, &groups, &seps) {
        return None;
    }
    let dots_only = !seps.is_empty() && seps.iter().all(|&c| matches!(c, '.' | '\u{ff0e}'));
    // IPv4 addresses and version numbers: dotted groups of one digit or of five and more.
    if dots_only && (groups.iter().any(|g| !(2..=4).contains(g)) || is_ipv4(&digits, &groups)) {
        return None;
    }
    // The country code, where the text sets it apart ("+46 70...", "0046-70..."); otherwise
    // one digit is taken for it, as the portal's own "+X" does.
    let national = if plus || intl {
        let lead = if intl { 2 } else { 0 };
        match groups.first() {
            Some(&g) if groups.len() > 1 && g > lead && g - lead <= 3 => digits.len() - g,
            _ => digits.len() - lead - 1,
        }
    } else {
        digits.len()
    };
    let last: String = digits[digits.len() - 2..]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    Some(format!(
        "+X {}{last}",
        "X".repeat(national.saturating_sub(2).max(1))
    ))
}

/// `2026-11-01`, `01.11.2026`, `1.11.2026` and a bare `20261101`.
fn is_date(digits: &[u8], groups: &[usize], seps: &[char]) -> bool {
    let value = |ds: &[u8]| ds.iter().fold(0u32, |n, &d| n * 10 + u32::from(d));
    if groups.len() == 3 && seps.len() == 2 && seps[0] == seps[1] {
        let (g0, g1, g2) = (groups[0], groups[1], groups[2]);
        return (g0 == 4 && g1 <= 2 && g2 <= 2) || (g2 == 4 && g0 <= 2 && g1 <= 2);
    }
    if groups.len() == 1 && digits.len() == 8 {
        let (year, month, day) = (
            value(&digits[..4]),
            value(&digits[4..6]),
            value(&digits[6..]),
        );
        return (1900..=2099).contains(&year)
            && (1..=12).contains(&month)
            && (1..=31).contains(&day);
    }
    false
}

fn is_ipv4(digits: &[u8], groups: &[usize]) -> bool {
    if groups.len() != 4 || groups.iter().any(|&g| g > 3) {
        return false;
    }
    let mut at = 0;
    groups.iter().all(|&g| {
        let n = digits[at..at + g]
            .iter()
            .fold(0u32, |n, &d| n * 10 + u32::from(d));
        at += g;
        n <= 255
    })
}

/// [`mask_phones`], owned: for a field that is only a number (the portal's auth detail).
pub fn mask_phone(text: &str) -> String {
    mask_phones(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_scrubbed_in_every_common_form() {
        for (text, want) in [
            ("+1 4255551264", "+X XXXXXXXX64"),
            ("+46 701234567", "+X XXXXXXX67"),
            ("4255551264", "+X XXXXXXXX64"),
            ("+14255551264", "+X XXXXXXXX64"),
            ("+1 (425) 555-0199", "+X XXXXXXXX99"),
            ("(425) 555-0199", "+X XXXXXXXX99"),
            ("425-555-0199", "+X XXXXXXXX99"),
            ("425.555.0199", "+X XXXXXXXX99"),
            ("555-0199", "+X XXXXX99"),
            ("0046 70 123 45 67", "+X XXXXXXX67"),
            ("0046701234567", "+X XXXXXXXX67"),
            ("06.12.34.56.78", "+X XXXXXXXX78"),
            ("+33 6 12 34 56 78", "+X XXXXXXX78"),
            // Full-width digits, plus and hyphens, as a Japanese keyboard types them.
            ("＋８１ ９０－１２３４－５６７８", "+X XXXXXXXX78"),
            ("電話０９０－１２３４－５６７８に", "電話+X XXXXXXXXX78に"),
            (
                "MFA denied; unable to reach +1 (425) 555-0199.",
                "MFA denied; unable to reach +X XXXXXXXX99.",
            ),
            (
                "Text message to +1 425 555 0199",
                "Text message to +X XXXXXXXX99",
            ),
            ("2026-11-01 4255550199", "2026-11-01 +X XXXXXXXX99"),
            ("Phone:+14255550199", "Phone:+X XXXXXXXX99"),
            ("4255550199@contoso.com", "+X XXXXXXXX99@contoso.com"),
            (
                "a +1 425 555 0199 and +46 70 123 45 67",
                "a +X XXXXXXXX99 and +X XXXXXXX67",
            ),
        ] {
            assert_eq!(mask_phones(text), want, "{text}");
        }
    }

    #[test]
    fn what_is_not_a_phone_number_is_left_alone() {
        for text in [
            "",
            "+X XXXXXXXX64",
            "+X XXXXXXX67",
            "Mobile app notification",
            // Request and correlation ids, even all-digit GUID segments.
            "8d2c5a61-3b0e-4c1f-9a77-1e2d3c4b5a69",
            "12345678-1234-1234-1234-123456789012",
            "a1b2c3d4-1234-5678-9012-3456789abcde",
            // Dates and times as the downloads write them.
            "2026-11-01",
            "2026-11-01T10:22:33Z",
            "2026-11-01 10:22:33",
            "01.11.2026 10:22",
            "11/1/2026 10:22:33 AM",
            "20261101",
            // Addresses and versions.
            "192.168.100.200",
            "10.0.0.1",
            "2001:db8::1",
            "10.0.19045.1234",
            // Error codes, with and without prefix; 7-digit AADSTS codes.
            "500121",
            "AADSTS500121",
            "7000215",
            "AADSTS7000215: Invalid client secret",
            "Sign-in error code 50074",
            // Identifiers with digits glued to letters.
            "user1234567@contoso.com",
            "session_12345678",
            "O9tq3zE2y0Wc1pNbXk4RAA",
            "63182",
        ] {
            assert_eq!(mask_phones(text), text, "{text}");
            assert!(matches!(mask_phones(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn scrubbing_is_idempotent() {
        for text in [
            "+1 (425) 555-0199",
            "call 0046 70 123 45 67 now",
            "４２５５５５０１９９",
        ] {
            let once = mask_phones(text).into_owned();
            assert_eq!(mask_phones(&once), once, "{text}");
            assert!(!once.contains("555") && !once.contains("５５５"), "{once}");
        }
    }
}
