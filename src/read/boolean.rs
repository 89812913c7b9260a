//! Boolean cells as PowerShell, spreadsheet programs and admins write them.
//!
//! PowerShell writes `True`/`False`; Excel and LibreOffice re-save booleans in the words of
//! their language or locale (`SANT`/`FALSKT`, `WAAR`/`ONWAAR`, `SANN`/`USANN`, `참`/`거짓`, ...:
//! every locale they ship, in [`crate::read::boolean_words`]); hand-made sheets use `1`/`0` or
//! `Yes`/`No`. Anything else is *not* a boolean: the caller decides what that means (for the
//! blocked column it means "unknown", exactly as PowerShell's `-eq $False` would exclude it).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::read::boolean_words::LOCALE_PAIRS;

/// Words accepted as true, compared case-insensitively after trimming.
const TRUE_WORDS: &[&str] = &[
    "true",
    "1",
    "yes",
    "y",
    "$true", // PowerShell, hand-made sheets
    "sant",
    "waar",
    "vrai",
    "wahr",
    "verdadero",
    "vero",
    "verdadeiro",
    "sand",
    "tosi",
    "prawda",
    "pravda",
    "igaz",
    "doğru",
    "ИСТИНА",
    "真",
];

/// Words accepted as false, compared case-insensitively after trimming.
const FALSE_WORDS: &[&str] = &[
    "false", "0", "no", "n", "$false", // PowerShell, hand-made sheets
    "falskt", "onwaar", "faux", "falsch", "falso", "falsk", "epätosi", "fałsz", "nepravda",
    "hamis", "yanlış", "ЛОЖЬ", "偽",
];

/// Parses a boolean cell; `None` when the text is empty or not a boolean word.
pub fn parse_bool(cell: &str) -> Option<bool> {
    // Fast path: what PowerShell writes, byte for byte.
    match cell {
        "True" => return Some(true),
        "False" => return Some(false),
        _ => {}
    }
    let t = cell.trim();
    if t.is_empty() || t.len() > 48 {
        return None;
    }
    // The common words first, without building the table of every locale.
    if t.is_ascii() {
        if TRUE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            return Some(true);
        }
        if FALSE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            return Some(false);
        }
    }
    if t.is_ascii() {
        // Every row's methods cell comes through here: folding ASCII is lower-casing it (no
        // ASCII letter changes case into another script, and no Greek accent is ASCII), so it
        // is done in a stack buffer, without the three strings `fold` builds.
        let mut buf = [0u8; 48];
        let key = &mut buf[..t.len()];
        key.copy_from_slice(t.as_bytes());
        key.make_ascii_lowercase();
        let key = std::str::from_utf8(key).ok()?;
        return locale_words().get(key).copied();
    }
    locale_words().get(&fold(t)).copied()
}

/// Every spelling, folded, to its value.
fn locale_words() -> &'static HashMap<String, bool> {
    static WORDS: OnceLock<HashMap<String, bool>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut map = HashMap::new();
        let listed = TRUE_WORDS.iter().map(|w| (*w, true));
        let listed = listed.chain(FALSE_WORDS.iter().map(|w| (*w, false)));
        let pairs = LOCALE_PAIRS
            .iter()
            .flat_map(|(t, f)| [(*t, true), (*f, false)]);
        for (word, value) in listed.chain(pairs) {
            let previous = map.insert(fold(word), value);
            debug_assert!(previous.is_none_or(|p| p == value), "{word} means both");
        }
        map
    })
}

/// A word as compared: case folded through upper case (so Turkish `YANLIŞ` and `yanlış` meet,
/// as LibreOffice writes the upper case of the locale's word) and Greek accents dropped (upper
/// case Greek is often written without them).
fn fold(word: &str) -> String {
    word.to_uppercase()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ά' => 'α',
            'έ' => 'ε',
            'ή' => 'η',
            'ί' | 'ΐ' | 'ϊ' => 'ι',
            'ό' => 'ο',
            'ύ' | 'ΰ' | 'ϋ' => 'υ',
            'ώ' => 'ω',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::parse_bool;

    #[test]
    fn ascii_folds_as_lower_case() {
        // The ASCII path of `parse_bool` relies on it; every ASCII byte is tried.
        for b in 0u8..128 {
            let s = String::from(b as char);
            assert_eq!(super::fold(&s), s.to_ascii_lowercase(), "{b}");
        }
        assert_eq!(
            super::fold("OneWaySMS,PhoneAppOTP"),
            "onewaysms,phoneappotp"
        );
    }

    #[test]
    fn words_from_powershell_excel_and_people() {
        let cases: &[(&str, Option<bool>)] = &[
            ("True", Some(true)),
            ("False", Some(false)),
            ("TRUE", Some(true)),
            ("false", Some(false)),
            (" True ", Some(true)),
            ("1", Some(true)),
            ("0", Some(false)),
            ("Yes", Some(true)),
            ("no", Some(false)),
            ("$False", Some(false)),
            ("SANT", Some(true)),
            ("FALSKT", Some(false)),
            ("WAAR", Some(true)),
            ("ONWAAR", Some(false)),
            ("VRAI", Some(true)),
            ("FAUX", Some(false)),
            ("WAHR", Some(true)),
            ("FALSCH", Some(false)),
            ("Epätosi", Some(false)),
            ("FAŁSZ", Some(false)),
            ("", None),
            ("   ", None),
            ("Unknown", None),
            ("2", None),
            ("Truee", None),
            ("System.Object[]", None),
            // LibreOffice in Norwegian (now and in older releases), Icelandic, Estonian, ...
            ("SANN", Some(true)),
            ("USANN", Some(false)),
            ("USANT", Some(false)),
            ("RÉTT", Some(true)),
            ("RANGT", Some(false)),
            ("TÕENE", Some(true)),
            ("VÄÄR", Some(false)),
            ("PATIESS", Some(true)),
            ("APLAMS", Some(false)),
            ("TEISINGAI", Some(true)),
            ("NETEISINGAI", Some(false)),
            ("ADEVĂRAT", Some(true)),
            ("FALS", Some(false)),
            ("ВЯРНО", Some(true)),
            ("НЕВЯРНО", Some(false)),
            ("ΣΩΣΤΌ", Some(true)),
            ("ΣΩΣΤΟ", Some(true)),
            ("λάθος", Some(false)),
            ("ΛΑΘΟΣ", Some(false)),
            ("ІСТИНА", Some(true)),
            ("ХИБНІСТЬ", None),
            ("真", Some(true)),
            ("假", Some(false)),
            ("참", Some(true)),
            ("거짓", Some(false)),
            ("VERITAT", Some(true)),
            ("TOČNO", Some(true)),
            ("NETOČNO", Some(false)),
            ("ĐÚNG", Some(true)),
            ("SAI", Some(false)),
            ("BENAR", Some(true)),
            ("SALAH", Some(false)),
            ("EGIAZKOA", Some(true)),
            ("FALTSUA", Some(false)),
            ("จริง", Some(true)),
            ("เท็จ", Some(false)),
            ("صح", Some(true)),
            ("خطأ", Some(false)),
            ("DOĞRU", Some(true)),
            ("YANLIŞ", Some(false)),
            ("yanlış", Some(false)),
            ("NET WIER", Some(false)),
            ("WIER", Some(true)),
            // Never a substring or a word of the cell.
            ("NET", None),
            ("SANN USANN", None),
        ];
        for (cell, want) in cases {
            assert_eq!(parse_bool(cell), *want, "cell {cell:?}");
        }
    }

    /// Every pair of the table reads back as written by the programs (upper case) and in
    /// lower case, and no word means both.
    #[test]
    fn every_locale_word_reads_as_its_value() {
        use super::LOCALE_PAIRS;
        for (t, f) in LOCALE_PAIRS {
            for (word, want) in [(*t, true), (*f, false)] {
                assert_eq!(parse_bool(&word.to_uppercase()), Some(want), "{word:?}");
                assert_eq!(parse_bool(word), Some(want), "{word:?}");
            }
        }
        assert!(LOCALE_PAIRS.len() > 130, "the table lost its locales");
    }
}
