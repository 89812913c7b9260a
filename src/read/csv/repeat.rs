//! The header of a second export in the middle of a file.
//!
//! Two exports joined with `cat a.csv b.csv` (or `Get-Content a.csv, b.csv | Set-Content`)
//! carry the second file's `#TYPE` line, BOM and header row in the middle of the first. Read as
//! data, that header became a user whose UPN is `UserPrincipalName`, counted among the
//! unregistered: a wrong number with no word. Here each record after the header is checked
//! against it on the parser thread: a copy of the header (in any letter case, quoted or not,
//! behind a BOM or its mojibake) and the lines that come before a header (`#TYPE`, `sep=`, a lone
//! BOM) are marked for the reader to skip and name in one warning; a header with the same names
//! in another order is an error, since the rows after it would be read under the wrong columns.

use anyhow::{anyhow, Result};
use csv::ByteRecord;

/// What a record after the header is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RecordKind {
    /// A row of data.
    #[default]
    Data,
    /// The header again, or a line written before one (`#TYPE`, `sep=`, a BOM).
    RepeatedHeader,
}

/// The byte order mark as UTF-8, and the same bytes read as windows-1252 and written again as
/// UTF-8 (`ï»¿`, what a BOM becomes when a tool does not recognise it).
const BOMS: [&[u8]; 2] = [b"\xEF\xBB\xBF", b"\xC3\xAF\xC2\xBB\xC2\xBF"];

/// `field` without leading BOMs (or their mojibake), surrounding white space and quotes: a
/// quote after a BOM does not open a quoted field, so the parser keeps it.
pub fn bare(field: &[u8]) -> &[u8] {
    let mut f = field;
    loop {
        f = f.trim_ascii();
        match BOMS.iter().find(|b| f.starts_with(b)) {
            Some(b) => f = &f[b.len()..],
            None => break,
        }
    }
    if f.len() >= 2 && f[0] == b'"' && f[f.len() - 1] == b'"' {
        f = f[1..f.len() - 1].trim_ascii();
    }
    f
}

/// Recognises the header's copies (see the module documentation).
pub struct HeaderMatcher {
    /// The header's cells, bare and in lower case, in the field encoding.
    cells: Vec<Vec<u8>>,
    /// The line of the header, for messages.
    line: u64,
}

impl HeaderMatcher {
    /// `cells`: the header's cells encoded as the fields are (see [`crate::read::detect`]).
    pub fn new(cells: impl IntoIterator<Item = Vec<u8>>, line: u64) -> HeaderMatcher {
        HeaderMatcher {
            cells: cells
                .into_iter()
                .map(|c| bare(&c).to_ascii_lowercase())
                .collect(),
            line,
        }
    }

    /// What `record` is; an error for a header whose columns differ from the first one's.
    /// `name` and `line` are for the message.
    pub fn kind(&self, record: &ByteRecord, name: &str, line: u64) -> Result<RecordKind> {
        let Some(first) = record.get(0).map(bare) else {
            return Ok(RecordKind::Data);
        };
        let rest_empty = || record.iter().skip(1).all(|f| bare(f).is_empty());
        if (first.is_empty() || first.starts_with(b"#TYPE ") || is_sep(first)) && rest_empty() {
            // A lone BOM (all the other fields empty), a #TYPE or a sep= line.
            let bom_only = record.get(0).is_some_and(|f| !f.trim_ascii().is_empty());
            if first.is_empty() && !bom_only {
                return Ok(RecordKind::Data);
            }
            return Ok(RecordKind::RepeatedHeader);
        }
        // Cheap test first: most records are data and their first field is no header name.
        if !self.is_header_name(first) {
            return Ok(RecordKind::Data);
        }
        let cells: Vec<Vec<u8>> = record
            .iter()
            .map(|f| bare(f).to_ascii_lowercase())
            .filter(|c| !c.is_empty())
            .collect();
        let named = cells.iter().filter(|c| self.is_header_name(c)).count();
        // A header: at least half its cells are header names (two at least, unless the file
        // has one column). A user's fields are values, not column names.
        if named * 2 < cells.len() || (named < 2 && self.cells.len() > 1) {
            return Ok(RecordKind::Data);
        }
        let same = record
            .iter()
            .map(|f| bare(f).to_ascii_lowercase())
            .zip(self.cells.iter())
            .all(|(a, b)| a == *b)
            && record
                .iter()
                .skip(self.cells.len())
                .all(|f| bare(f).is_empty())
            && self.cells.len() <= record.len();
        if same {
            return Ok(RecordKind::RepeatedHeader);
        }
        Err(anyhow!(
            "{name}:{line}: a header row with other columns than the header on line {}: the file \
             joins exports of different shapes, and the rows after it would be read under the \
             wrong columns; nothing was written\nhint: audit each export on its own, or export \
             them again with the same columns before joining them",
            self.line
        ))
    }

    fn is_header_name(&self, cell: &[u8]) -> bool {
        !cell.is_empty() && self.cells.iter().any(|c| c.eq_ignore_ascii_case(cell))
    }
}

fn is_sep(cell: &[u8]) -> bool {
    cell.len() == 5 && cell[..4].eq_ignore_ascii_case(b"sep=")
}

/// The warning naming the skipped lines, or `None` when there were none.
pub fn warning(name: &str, lines: &[u64]) -> Option<String> {
    const SHOWN: usize = 10;
    let (first, rest) = lines.split_at(lines.len().min(SHOWN));
    let mut list: Vec<String> = first.iter().map(u64::to_string).collect();
    if !rest.is_empty() {
        list.push(format!("and {} more", rest.len()));
    }
    let (noun, verb) = if lines.len() == 1 {
        ("line", "repeats")
    } else if lines.is_empty() {
        return None;
    } else {
        ("lines", "repeat")
    };
    Some(format!(
        "{name}: {noun} {} {verb} the header (or the #TYPE, sep= or byte order mark lines \
         written before one): the file looks like exports joined into one; skipped, not read as \
         users. Check that every joined export is complete",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&[u8]]) -> ByteRecord {
        ByteRecord::from(fields.to_vec())
    }

    #[test]
    fn copies_of_the_header_and_its_preamble_are_recognised() {
        let m = HeaderMatcher::new(
            [
                b"UserPrincipalName".to_vec(),
                b"BlockCredential".to_vec(),
                b"StrongAuthenticationMethods".to_vec(),
            ],
            1,
        );
        use RecordKind::*;
        let cases: &[(&[&[u8]], RecordKind)] = &[
            (&[b"a@x", b"False", b"PhoneAppOTP"], Data),
            (
                &[
                    b"userprincipalname",
                    b"BLOCKCREDENTIAL",
                    b"StrongAuthenticationMethods",
                ],
                RepeatedHeader,
            ),
            // A BOM before a quoted field: the parser keeps the quotes.
            (
                &[
                    b"\xEF\xBB\xBF\"UserPrincipalName\"",
                    b"BlockCredential",
                    b"StrongAuthenticationMethods",
                ],
                RepeatedHeader,
            ),
            (
                &[b"\xC3\xAF\xC2\xBB\xC2\xBF#TYPE Selected.Microsoft.Online.Administration.User"],
                RepeatedHeader,
            ),
            (
                &[
                    b"#TYPE Selected.Microsoft.Online.Administration.User",
                    b"",
                    b"",
                ],
                RepeatedHeader,
            ),
            (&[b"sep=,"], RepeatedHeader),
            (&[b"\xEF\xBB\xBF"], RepeatedHeader),
            // An empty first field is a user without a UPN, not a header.
            (&[b"", b"False", b""], Data),
            // A user whose display name happens to be a header name is still a user.
            (&[b"UserPrincipalName", b"False", b"OneWaySMS"], Data),
        ];
        for (fields, want) in cases {
            let got = m.kind(&record(fields), "t.csv", 9).unwrap();
            assert_eq!(got, *want, "{fields:?}");
        }
        let err = m
            .kind(
                &record(&[
                    b"BlockCredential",
                    b"UserPrincipalName",
                    b"StrongAuthenticationMethods",
                ]),
                "t.csv",
                9,
            )
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.csv:9: a header row with other columns than the header on line 1"),
            "{err}"
        );
    }

    #[test]
    fn the_warning_lists_the_lines() {
        assert_eq!(warning("t.csv", &[]), None);
        let w = warning("t.csv", &[5, 6]).unwrap();
        assert!(w.starts_with("t.csv: lines 5, 6 repeat the header"), "{w}");
        let many: Vec<u64> = (1..=12).collect();
        assert!(warning("t.csv", &many)
            .unwrap()
            .contains("10, and 2 more repeat"));
    }
}
