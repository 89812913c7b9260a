//! Boolean cells as PowerShell, Excel and admins write them.
//!
//! PowerShell writes `True`/`False`; Excel re-saves booleans in the words of the region it runs
//! in (`SANT`/`FALSKT`, `WAAR`/`ONWAAR`, `VRAI`/`FAUX`, ...); hand-made sheets use `1`/`0` or
//! `Yes`/`No`. Anything else is *not* a boolean: the caller decides what that means (for the
//! blocked column it means "unknown", exactly as PowerShell's `-eq $False` would exclude it).

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
    if t.is_empty() || t.len() > 24 {
        return None;
    }
    if t.is_ascii() {
        if TRUE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            return Some(true);
        }
        if FALSE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
            return Some(false);
        }
        return None;
    }
    let lower = t.to_lowercase();
    let eq = |w: &&str| w.to_lowercase() == lower;
    if TRUE_WORDS.iter().any(eq) {
        Some(true)
    } else if FALSE_WORDS.iter().any(eq) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::parse_bool;

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
        ];
        for (cell, want) in cases {
            assert_eq!(parse_bool(cell), *want, "cell {cell:?}");
        }
    }
}
