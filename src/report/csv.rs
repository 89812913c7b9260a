//! CSV the way PowerShell's `Export-Csv -NoTypeInformation` writes it: a header, every field
//! quoted, embedded quotes doubled, CRLF (or LF), UTF-8 (optionally with a BOM).
//!
//! Fields that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
//! are neutralised with a leading `'` ([`crate::report::escape::formula`]) unless sanitising is
//! turned off: an export is data an attacker can partly choose (a display name is enough), and
//! reports are opened in Excel.

use std::io::Write;

use anyhow::Result;

use super::escape;

/// How our CSV files are written.
#[derive(Debug, Clone, Copy)]
pub struct CsvStyle {
    pub bom: bool,
    pub crlf: bool,
    pub sanitize: bool,
}

impl Default for CsvStyle {
    fn default() -> CsvStyle {
        CsvStyle {
            bom: false,
            crlf: true,
            sanitize: true,
        }
    }
}

pub struct CsvOut<W: Write> {
    writer: csv::Writer<W>,
    sanitize: bool,
}

impl<W: Write> CsvOut<W> {
    /// Starts a file: BOM if asked, then the header.
    pub fn new(mut inner: W, style: CsvStyle, header: &[&str]) -> Result<CsvOut<W>> {
        if style.bom {
            inner.write_all(b"\xEF\xBB\xBF")?;
        }
        let writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .terminator(if style.crlf {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .buffer_capacity(256 * 1024)
            .from_writer(inner);
        let mut out = CsvOut {
            writer,
            sanitize: style.sanitize,
        };
        for h in header {
            out.field(h)?;
        }
        out.end_row()?;
        Ok(out)
    }

    /// Writes one field of the current row.
    pub fn field(&mut self, text: &str) -> Result<()> {
        if self.sanitize {
            self.writer.write_field(escape::formula(text).as_bytes())?;
        } else {
            self.writer.write_field(text)?;
        }
        Ok(())
    }

    pub fn end_row(&mut self) -> Result<()> {
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes and returns the destination.
    pub fn finish(self) -> Result<W> {
        self.writer
            .into_inner()
            .map_err(|e| anyhow::Error::new(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(style: CsvStyle, rows: &[&[&str]]) -> String {
        let mut out = CsvOut::new(Vec::new(), style, &["UserPrincipalName", "MFA Status"]).unwrap();
        for row in rows {
            for f in *row {
                out.field(f).unwrap();
            }
            out.end_row().unwrap();
        }
        String::from_utf8(out.finish().unwrap()).unwrap()
    }

    #[test]
    fn powershell_style() {
        let got = write(
            CsvStyle::default(),
            &[&["a@x", "Enabled"], &["b \"q\"@x", ""]],
        );
        assert_eq!(
            got,
            "\"UserPrincipalName\",\"MFA Status\"\r\n\"a@x\",\"Enabled\"\r\n\"b \"\"q\"\"@x\",\"\"\r\n"
        );
        let got = write(
            CsvStyle {
                bom: true,
                crlf: false,
                sanitize: true,
            },
            &[&["a@x", "x"]],
        );
        assert_eq!(
            got,
            "\u{feff}\"UserPrincipalName\",\"MFA Status\"\n\"a@x\",\"x\"\n"
        );
    }

    #[test]
    fn formulas_are_neutralised_unless_asked_not_to() {
        for (field, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"\"http://x\"\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("a=b", "a=b"),
        ] {
            let got = write(CsvStyle::default(), &[&[field, ""]]);
            assert!(got.contains(&format!("\"{want}\"")), "{field:?} -> {got:?}");
        }
        let got = write(
            CsvStyle {
                sanitize: false,
                ..CsvStyle::default()
            },
            &[&["=1", ""]],
        );
        assert!(got.contains("\"=1\""));
    }
}
