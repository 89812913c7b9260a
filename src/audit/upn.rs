//! What a user principal name can hide: characters that do not show (controls, zero-width
//! characters, an embedded byte order mark, bidi overrides and isolates), letters of two
//! look-alike scripts in one label (a Cyrillic `а` among Latin letters), a label wholly in
//! letters that pass for Latin ones ([`crate::audit::lookalike`]), and a length Entra ID does
//! not allow.
//!
//! An account whose name cannot be read as it is written is how a user hides in a report: it
//! sorts, filters and reads as someone else, or as nobody. None of these changes a verdict (the
//! user is counted as the row says), but each is named with the row's place. Two names that are
//! equal once their invisible characters are removed are named as a probable duplicate
//! ([`SameReading`] with [`visible`]): they still count as two users, since the file says they
//! are two accounts.
//!
//! The loop runs at a million rows a second, so an ASCII name costs one pass over its bytes.

use std::collections::HashMap;

use crate::audit::dedup::{upn_fingerprint, UpnIndex};

/// Longest user principal name Entra ID accepts, in characters.
pub const MAX_CHARS: usize = 113;
/// Longest part before the `@`, in characters.
pub const MAX_LOCAL_CHARS: usize = 64;

/// A character that does not show for what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// C0 or C1 control, DEL, NUL.
    Control(char),
    /// Zero-width space, joiner, non-joiner, word joiner, byte order mark.
    ZeroWidth(char),
    /// Bidi override, embedding, isolate or directional mark: reorders what is shown.
    Bidi(char),
}

impl Hidden {
    fn of(c: char) -> Option<Hidden> {
        match c {
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => Some(Hidden::Control(c)),
            '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => Some(Hidden::ZeroWidth(c)),
            '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}' => Some(Hidden::Bidi(c)),
            _ => None,
        }
    }

    fn describe(self) -> String {
        let (c, what) = match self {
            Hidden::Control(c) if c == '\0' => (c, "a NUL"),
            Hidden::Control(c) => (c, "a control character"),
            Hidden::ZeroWidth('\u{feff}') => ('\u{feff}', "a byte order mark"),
            Hidden::ZeroWidth(c) => (c, "a zero-width character"),
            Hidden::Bidi(c) => (c, "a bidi control, which reorders what is shown"),
        };
        format!("{what} (U+{:04X})", c as u32)
    }
}

/// Scripts whose letters look alike; a label with letters from two of them is a homoglyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Greek,
    Cyrillic,
    Armenian,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        match c {
            'a'..='z' | 'A'..='Z' => Some(Script::Latin),
            '\u{d7}' | '\u{f7}' => None,
            '\u{c0}'..='\u{24f}'
            | '\u{1e00}'..='\u{1eff}'
            | '\u{2c60}'..='\u{2c7f}'
            | '\u{a720}'..='\u{a7ff}'
            | '\u{ff21}'..='\u{ff3a}'
            | '\u{ff41}'..='\u{ff5a}' => Some(Script::Latin),
            '\u{370}'..='\u{3ff}' | '\u{1f00}'..='\u{1fff}' => Some(Script::Greek),
            '\u{400}'..='\u{52f}'
            | '\u{1c80}'..='\u{1c8f}'
            | '\u{2de0}'..='\u{2dff}'
            | '\u{a640}'..='\u{a69f}' => Some(Script::Cyrillic),
            '\u{531}'..='\u{58f}' => Some(Script::Armenian),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
        }
    }
}

/// What one user principal name hides; empty (and not allocated) for an ordinary name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concerns {
    /// The first hidden character of each kind, in order of appearance.
    pub hidden: Vec<Hidden>,
    /// Two look-alike scripts in one label, and the label.
    pub mixed: Option<(Script, Script, String)>,
    /// A label wholly in letters of another script that pass for Latin ones, and what it reads
    /// as (`раура` reads as `paypa`): not mixed, and still a look-alike.
    pub whole_label: Option<(String, String)>,
    /// Characters in all and before the `@`, when either is more than Entra ID allows.
    pub too_long: Option<(usize, usize)>,
}

impl Concerns {
    pub fn is_empty(&self) -> bool {
        self.hidden.is_empty()
            && self.mixed.is_none()
            && self.whole_label.is_none()
            && self.too_long.is_none()
    }

    /// The reasons, for a warning that already names the row and the UPN.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.hidden.is_empty() {
            let what: Vec<String> = self.hidden.iter().map(|h| h.describe()).collect();
            parts.push(format!(
                "it holds {} that most viewers do not show, so the account can pass for \
                 another one",
                what.join(" and ")
            ));
        }
        if let Some((a, b, label)) = &self.mixed {
            parts.push(format!(
                "it mixes {} and {} letters in {}: a look-alike (homoglyph) of another name",
                a.name(),
                b.name(),
                crate::terminal::quote(label)
            ));
        }
        if let Some((label, reads)) = &self.whole_label {
            parts.push(format!(
                "its label {} is written wholly in look-alike letters (of another script, or \
                 full-width) that pass for Latin ones: it reads as {}, a look-alike (homoglyph) of a Latin name",
                crate::terminal::quote(label),
                crate::terminal::quote(reads)
            ));
        }
        if let Some((all, local)) = self.too_long {
            parts.push(format!(
                "it is {all} characters long ({local} before the @); Entra ID allows \
                 {MAX_CHARS} ({MAX_LOCAL_CHARS} before the @), so no tenant exported it as it is"
            ));
        }
        parts.join("; ")
    }
}

/// Checks one (trimmed) user principal name.
pub fn check(upn: &str) -> Concerns {
    let bytes = upn.as_bytes();
    // The fast path: ASCII without control characters, short enough not to need counting.
    if bytes.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        if upn.len() <= MAX_LOCAL_CHARS {
            return Concerns::default();
        }
        return Concerns {
            too_long: lengths(upn),
            ..Concerns::default()
        };
    }
    let mut c = Concerns::default();
    for ch in upn.chars() {
        if let Some(h) = Hidden::of(ch) {
            let same_kind = |k: &Hidden| std::mem::discriminant(k) == std::mem::discriminant(&h);
            if !c.hidden.iter().any(same_kind) {
                c.hidden.push(h);
            }
        }
    }
    c.mixed = upn.split(['.', '@']).find_map(|label| {
        let mut first: Option<Script> = None;
        for s in label.chars().filter_map(Script::of) {
            match first {
                None => first = Some(s),
                Some(f) if f != s => return Some((f, s, label.to_owned())),
                Some(_) => {}
            }
        }
        None
    });
    if c.mixed.is_none() {
        c.whole_label = crate::audit::lookalike::whole_script_label(upn);
    }
    c.too_long = lengths(upn);
    c
}

/// (characters, characters before the last `@`) when either is over Entra ID's limits.
fn lengths(upn: &str) -> Option<(usize, usize)> {
    let all = upn.chars().count();
    let local = upn.rfind('@').map_or(all, |at| upn[..at].chars().count());
    (all > MAX_CHARS || local > MAX_LOCAL_CHARS).then_some((all, local))
}

/// The name as it reads: without the characters that do not show; `None` when it has none.
pub fn visible(upn: &str) -> Option<String> {
    if upn.is_ascii() && !upn.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    let shown: String = upn.chars().filter(|&c| Hidden::of(c).is_none()).collect();
    (shown.len() != upn.len()).then_some(shown)
}

/// Names that read the same once a reading (`visible`, or `lookalike::skeleton`) has
/// normalised them: where each name the reading changed was first seen, by the fingerprint of
/// its reading. Holds only such names, so it is empty (and free) for an ordinary file.
#[derive(Debug, Default)]
pub struct SameReading {
    seen: HashMap<u64, (usize, u64)>,
    scratch: Vec<u8>,
}

/// Another place whose name reads the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The name as it reads, for the message: the reading, or (`plain`) the name itself.
    pub reads_as: String,
    /// Input index and line of the other place; `None` when the index could not keep it.
    pub input: Option<usize>,
    pub line: Option<u64>,
    /// This name is the plain one (the reading leaves it as it is), and the other the one
    /// that reads as it.
    pub plain: bool,
}

impl SameReading {
    /// Records a distinct user at (`input`, `line`) and returns the other place it reads the
    /// same as, if any. `index` must already hold every earlier distinct user; `read` gives the
    /// name as it reads, `None` when that is the name itself.
    pub fn observe(
        &mut self,
        upn: &str,
        input: usize,
        line: u64,
        index: &UpnIndex,
        read: impl Fn(&str) -> Option<String>,
    ) -> anyhow::Result<Option<Reading>> {
        match read(upn) {
            Some(reads) => {
                let key = upn_fingerprint(&mut self.scratch, &reads);
                let earlier = match self.seen.get(&key) {
                    Some(&(i, l)) => Some((Some(i), Some(l))),
                    None => index.first_place(&reads)?,
                };
                self.seen.entry(key).or_insert((input, line));
                Ok(earlier.map(|(input, line)| Reading {
                    reads_as: reads,
                    input,
                    line,
                    plain: false,
                }))
            }
            None if self.seen.is_empty() => Ok(None),
            // A plain name after one that reads as it.
            None => {
                let key = upn_fingerprint(&mut self.scratch, upn);
                Ok(self.seen.get(&key).map(|&(i, l)| Reading {
                    reads_as: upn.trim().to_owned(),
                    input: Some(i),
                    line: Some(l),
                    plain: true,
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concerns_table() {
        let long_local = format!("{}@contoso.com", "a".repeat(65));
        let long_all = format!("{}@{}.com", "a".repeat(60), "b".repeat(60));
        let ok_64 = format!("{}@contoso.com", "a".repeat(64));
        // (UPN, hidden characters, mixed scripts, too long)
        type Case<'a> = (
            &'a str,
            &'a [Hidden],
            Option<(Script, Script)>,
            Option<(usize, usize)>,
        );
        let cases: &[Case] = &[
            ("ann@contoso.com", &[], None, None),
            ("Åsa.Lindström@contoso.se", &[], None, None),
            ("山田@contoso.jp", &[], None, None),
            ("ivan@пример.рф", &[], None, None),
            (
                "ann\u{200b}@contoso.com",
                &[Hidden::ZeroWidth('\u{200b}')],
                None,
                None,
            ),
            (
                "a\u{2060}nn@x.com",
                &[Hidden::ZeroWidth('\u{2060}')],
                None,
                None,
            ),
            (
                "an\u{feff}n@x.com",
                &[Hidden::ZeroWidth('\u{feff}')],
                None,
                None,
            ),
            ("ann\u{1}@x.com", &[Hidden::Control('\u{1}')], None, None),
            ("ann\u{0}@x.com", &[Hidden::Control('\u{0}')], None, None),
            ("ann\u{85}@x.com", &[Hidden::Control('\u{85}')], None, None),
            ("\u{202e}moc.x@nna", &[Hidden::Bidi('\u{202e}')], None, None),
            (
                "a\u{2066}n\u{200d}n\u{2069}@x.com",
                &[Hidden::Bidi('\u{2066}'), Hidden::ZeroWidth('\u{200d}')],
                None,
                None,
            ),
            // Cyrillic а (U+0430) among Latin letters.
            (
                "\u{430}dmin@contoso.com",
                &[],
                Some((Script::Cyrillic, Script::Latin)),
                None,
            ),
            // Greek ο in the domain.
            (
                "ann@c\u{3bf}ntoso.com",
                &[],
                Some((Script::Latin, Script::Greek)),
                None,
            ),
            // Scripts in different labels are not a homoglyph of one word.
            ("ivan@contoso.рф", &[], None, None),
            // Wholly Cyrillic, every letter a Latin look-alike: not mixed (named on its own,
            // see whole_labels_are_named).
            (
                "\u{440}\u{430}\u{443}\u{440}\u{430}@contoso.com",
                &[],
                None,
                None,
            ),
            (&ok_64, &[], None, None),
            (&long_local, &[], None, Some((77, 65))),
            (&long_all, &[], None, Some((125, 60))),
        ];
        for (upn, hidden, mixed, too_long) in cases {
            let c = check(upn);
            assert_eq!(c.hidden, *hidden, "{upn:?}");
            assert_eq!(c.mixed.as_ref().map(|m| (m.0, m.1)), *mixed, "{upn:?}");
            assert_eq!(c.too_long, *too_long, "{upn:?}");
            assert_eq!(c.is_empty(), c.describe().is_empty(), "{upn:?}");
        }
    }

    #[test]
    fn whole_labels_are_named() {
        let c = check("\u{440}\u{430}\u{443}\u{440}\u{430}@contoso.com");
        assert_eq!(c.whole_label.as_ref().map(|w| w.1.as_str()), Some("paypa"));
        assert!(
            c.describe().contains("it reads as \"paypa\""),
            "{}",
            c.describe()
        );
        // A mixed label is named once, as mixed.
        let c = check("\u{430}dmin@contoso.com");
        assert!(c.mixed.is_some() && c.whole_label.is_none());
        assert!(check("ivan@\u{43f}\u{440}\u{438}\u{43c}\u{435}\u{440}.\u{440}\u{444}").is_empty());
    }

    #[test]
    fn descriptions_name_the_character() {
        let d = check("ann\u{200b}@x.com").describe();
        assert!(d.contains("a zero-width character (U+200B)"), "{d}");
        let d = check("\u{430}dmin@x.com").describe();
        assert!(
            d.contains("mixes Cyrillic and Latin letters in \"\u{430}dmin\""),
            "{d}"
        );
        let d = check(&format!("{}@x.com", "a".repeat(300))).describe();
        assert!(d.contains("306 characters long (300 before the @)"), "{d}");
    }

    #[test]
    fn visible_drops_only_what_does_not_show() {
        for (upn, want) in [
            ("ann@x.com", None),
            ("Åsa@x.se", None),
            ("ann\u{200b}@x.com", Some("ann@x.com")),
            ("\u{feff}ann@x.com", Some("ann@x.com")),
            ("a\u{202e}n\u{1}n@x.com", Some("ann@x.com")),
        ] {
            assert_eq!(visible(upn).as_deref(), want, "{upn:?}");
        }
    }

    /// A twin is found whichever of the two comes first, and ordinary names cost no lookup.
    #[test]
    fn twins_in_either_order() {
        use crate::audit::classify::{test_verdict, Bucket};
        let verdict = |upn: &'static str| test_verdict(upn, Bucket::Unregistered, &[]);
        let mut index = UpnIndex::new();
        let mut twins = SameReading::default();
        // (UPN, line, the line of its twin)
        let rows: &[(&'static str, u64, Option<u64>)] = &[
            ("Ann@x.com", 2, None),
            ("ann\u{200b}@x.com", 3, Some(2)),
            ("bob\u{2060}@x.com", 4, None),
            ("BOB@x.com", 5, Some(4)),
            ("b\u{200d}ob@x.com", 6, Some(4)),
            ("cy@x.com", 7, None),
        ];
        for (upn, line, want) in rows {
            let got = twins.observe(upn, 0, *line, &index, visible).unwrap();
            assert_eq!(got.as_ref().and_then(|t| t.line), *want, "{upn:?}");
            index.insert(&verdict(upn), 0, *line).unwrap();
        }
    }

    /// A look-alike is found whichever comes first, and two look-alikes of one absent name
    /// find each other.
    #[test]
    fn look_alikes_in_either_order() {
        use crate::audit::classify::{test_verdict, Bucket};
        let verdict = |upn: &'static str| test_verdict(upn, Bucket::Unregistered, &[]);
        let mut index = UpnIndex::new();
        let mut seen = SameReading::default();
        // (UPN, line, the line of the name it reads as)
        let rows: &[(&'static str, u64, Option<u64>)] = &[
            ("Admin@contoso.com", 2, None),
            ("\u{430}dmin@contoso.com", 3, Some(2)),
            ("j\u{3bf}hn@contoso.com", 4, None),
            ("JOHN@contoso.com", 5, Some(4)),
            ("\u{ff42}ob@contoso.com", 6, None),
            ("b\u{43e}b@contoso.com", 7, Some(6)),
            ("cy@contoso.com", 8, None),
        ];
        for (upn, line, want) in rows {
            let got = seen
                .observe(upn, 0, *line, &index, crate::audit::lookalike::skeleton)
                .unwrap();
            assert_eq!(got.as_ref().and_then(|t| t.line), *want, "{upn:?}");
            index.insert(&verdict(upn), 0, *line).unwrap();
        }
    }
}
