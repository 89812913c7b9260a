//! Text encodings of exports: detection, and decoding only the fields we use.
//!
//! PowerShell 5.1 writes ASCII by default, UTF-8 with a BOM (`-Encoding UTF8`), UTF-16LE with a
//! BOM (`-Encoding Unicode`, and `>` redirection) or the ANSI code page (`-Encoding Default`);
//! PowerShell 7 writes UTF-8 without a BOM; Excel saves CSV in the region's code page
//! (windows-1252 in Western Europe, Shift_JIS in Japan). Rules, in order: a BOM wins; UTF-16
//! without a BOM is recognised by its NUL bytes; a valid UTF-8 sample means UTF-8; anything else
//! is guessed with chardetng. `--encoding` overrides all of it.
//!
//! ASCII-compatible encodings (UTF-8, windows-125x, Shift_JIS, GBK, ...) never use the bytes of
//! `,` `;` `"` CR or LF inside a multi-byte character, so the CSV parser works on raw bytes and
//! only the fields we need are decoded. Other encodings (UTF-16, ISO-2022-JP) are transcoded to
//! UTF-8 as a stream first.

use std::io::{Cursor, Read};

use anyhow::{anyhow, Context, Result};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::{read_sample, ByteStream, SAMPLE_LEN};

/// How the encoding was chosen, reported in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    /// The sample is valid UTF-8 (or plain ASCII).
    Utf8Valid,
    /// The sample is mostly UTF-8 with some invalid bytes: read as UTF-8, so that the rows
    /// with other bytes are named in an error instead of decoded wrongly.
    Utf8Mostly,
    /// UTF-16 without BOM, recognised from NUL bytes.
    NulPattern,
    /// Guessed by chardetng.
    Guessed,
    /// Given with `--encoding`.
    Override,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Bom => "byte order mark",
            Source::Utf8Valid => "valid UTF-8",
            Source::Utf8Mostly => "mostly UTF-8",
            Source::NulPattern => "NUL byte pattern",
            Source::Guessed => "guessed",
            Source::Override => "--encoding",
        }
    }
}

/// The encoding chosen for an input.
#[derive(Debug, Clone, Copy)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub source: Source,
    /// Length of the BOM at the start of the input, to skip.
    pub bom_len: usize,
}

impl Detected {
    /// True when the byte stream must be transcoded before CSV parsing.
    pub fn needs_transcoding(&self) -> bool {
        !self.encoding.is_ascii_compatible()
    }

    /// The encoding and how it was found, as the summary shows them.
    pub fn describe(&self) -> (String, &'static str) {
        let name = match self.source {
            Source::Bom => format!("{} with BOM", self.encoding.name()),
            _ => self.encoding.name().to_owned(),
        };
        (name, self.source.name())
    }
}

/// An input's text: how it is encoded, its first bytes after the BOM (transcoded to UTF-8 when
/// the encoding is not ASCII-compatible, e.g. UTF-16), and the rest of the stream in the same
/// form.
pub struct Text {
    pub detected: Detected,
    pub sample: Vec<u8>,
    pub at_eof: bool,
    pub stream: ByteStream,
}

/// Detects the encoding of an input from its first bytes and prepares its text.
pub fn text(
    name: &str,
    sample: Vec<u8>,
    at_eof: bool,
    rest: ByteStream,
    forced: Option<&'static Encoding>,
) -> Result<Text> {
    let detected = detect(&sample, at_eof, forced);
    if detected.needs_transcoding() {
        let mut raw = Cursor::new(sample).chain(rest);
        std::io::copy(
            &mut (&mut raw).take(detected.bom_len as u64),
            &mut std::io::sink(),
        )?;
        let mut utf8: ByteStream = Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(detected.encoding))
                .bom_sniffing(false)
                .build(raw),
        );
        let (sample, at_eof) =
            read_sample(&mut utf8, SAMPLE_LEN).with_context(|| format!("cannot read {name}"))?;
        Ok(Text {
            detected,
            sample,
            at_eof,
            stream: utf8,
        })
    } else {
        let mut sample = sample;
        sample.drain(..detected.bom_len);
        Ok(Text {
            detected,
            sample,
            at_eof,
            stream: rest,
        })
    }
}

impl Text {
    /// The whole text as one UTF-8 stream (legacy encodings transcoded too).
    pub fn into_utf8_stream(self) -> ByteStream {
        let whole: ByteStream = Box::new(Cursor::new(self.sample).chain(self.stream));
        if self.detected.needs_transcoding() || self.detected.encoding == UTF_8 {
            whole
        } else {
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(self.detected.encoding))
                    .bom_sniffing(false)
                    .build(whole),
            )
        }
    }
}

/// Looks up an encoding by a WHATWG label or a PowerShell `-Encoding` name.
pub fn lookup(name: &str) -> Result<&'static Encoding> {
    let lower = name.trim().to_ascii_lowercase();
    let powershell = match lower.as_str() {
        "unicode" | "utf16" | "utf-16" => Some(UTF_16LE),
        "bigendianunicode" => Some(UTF_16BE),
        "utf8bom" | "utf8nobom" | "utf8" | "ascii" | "us-ascii" => Some(UTF_8),
        "ansi" | "default" | "latin1" | "cp1252" => Some(encoding_rs::WINDOWS_1252),
        "sjis" | "cp932" => Some(encoding_rs::SHIFT_JIS),
        _ => None,
    };
    powershell
        .or_else(|| Encoding::for_label(lower.as_bytes()))
        .ok_or_else(|| {
            anyhow!(
                "unknown encoding {name:?}; use a name such as utf-8, utf-16le, utf-16be, \
                 windows-1252, shift_jis, iso-8859-15, gbk"
            )
        })
}

/// Chooses the encoding of an input from its first bytes. `at_eof`: the sample is the whole
/// input (an incomplete UTF-8 sequence at its end is then an error, not a cut).
pub fn detect(sample: &[u8], at_eof: bool, forced: Option<&'static Encoding>) -> Detected {
    let bom = Encoding::for_bom(sample);
    if let Some(encoding) = forced {
        // A BOM of the forced encoding is still skipped.
        let bom_len = match bom {
            Some((e, len)) if e == encoding => len,
            _ => 0,
        };
        return Detected {
            encoding,
            source: Source::Override,
            bom_len,
        };
    }
    if let Some((encoding, bom_len)) = bom {
        return Detected {
            encoding,
            source: Source::Bom,
            bom_len,
        };
    }
    if let Some(encoding) = utf16_by_nul_pattern(sample) {
        return Detected {
            encoding,
            source: Source::NulPattern,
            bom_len: 0,
        };
    }
    if is_utf8_prefix(sample, at_eof) {
        return Detected {
            encoding: UTF_8,
            source: Source::Utf8Valid,
            bom_len: 0,
        };
    }
    // Not UTF-8: half-width katakana can form a valid UTF-8 pair by chance (`ｻﾄｳ`), so they
    // are recognised before the UTF-8 majority vote.
    if !halfwidth_katakana_only(sample) && mostly_utf8(sample) {
        return Detected {
            encoding: UTF_8,
            source: Source::Utf8Mostly,
            bom_len: 0,
        };
    }
    Detected {
        encoding: guess_legacy(sample),
        source: Source::Guessed,
        bom_len: 0,
    }
}

/// True when valid multi-byte UTF-8 characters are at least as common as invalid bytes: a
/// UTF-8 file with a few rows pasted from elsewhere. (Legacy text forms valid UTF-8 only by
/// chance, e.g. two half-width katakana in Shift_JIS, far less often than it is invalid.)
fn mostly_utf8(sample: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    for chunk in sample.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    valid > 0 && valid >= invalid
}

/// True when `bytes` is UTF-8, allowing a sequence cut at the end of a sample.
fn is_utf8_prefix(bytes: &[u8], at_eof: bool) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && !at_eof,
    }
}

/// chardetng's guess among legacy encodings (never UTF-8: the caller knows it is not).
pub fn guess_legacy(bytes: &[u8]) -> &'static Encoding {
    if halfwidth_katakana_only(bytes) {
        return encoding_rs::SHIFT_JIS;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny)
}

/// True when every non-ASCII byte is one of Shift_JIS's single-byte half-width katakana
/// (0xA1-0xDF) and none touches an ASCII letter: a Japanese export whose only Japanese text is
/// half-width (`ﾔﾏﾀﾞ ﾀﾛｳ`). Statistical detectors read such bytes as Cyrillic or Latin letters,
/// but Latin letters with accents sit inside words of ASCII letters (`Müller`) and Cyrillic or
/// Greek text uses lower-case letters above 0xDF.
fn halfwidth_katakana_only(bytes: &[u8]) -> bool {
    let mut katakana = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii() {
            continue;
        }
        if !(0xA1..=0xDF).contains(&b) {
            return false;
        }
        let letter_at = |j: Option<usize>| {
            j.and_then(|j| bytes.get(j))
                .is_some_and(u8::is_ascii_alphabetic)
        };
        if letter_at(i.checked_sub(1)) || letter_at(i.checked_add(1)) {
            return false;
        }
        katakana += 1;
    }
    katakana >= 2
}

/// UTF-16 without a BOM: text exports are mostly ASCII, so one byte of each pair is NUL.
fn utf16_by_nul_pattern(sample: &[u8]) -> Option<&'static Encoding> {
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // At least 40% of the pairs have a NUL on one side and almost none on the other.
    if odd * 10 >= pairs * 4 && even * 20 <= pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 20 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Field text that could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Byte offset of the first bad byte within the field.
    pub offset: usize,
}

/// Decodes the fields we use. Starts in UTF-8 or a legacy encoding; in UTF-8 that was only
/// presumed from a sample, it may switch once to a legacy encoding when the first non-ASCII text
/// turns out not to be UTF-8: every field decoded before was ASCII, which reads the same in any
/// ASCII-compatible encoding, so nothing already produced changes.
#[derive(Debug)]
pub struct FieldDecoder {
    encoding: &'static Encoding,
    may_switch: bool,
    /// Set when a switch happened and not yet taken by [`FieldDecoder::take_switch`].
    switched: Option<&'static Encoding>,
}

impl FieldDecoder {
    /// `encoding` must be ASCII-compatible (the stream is transcoded otherwise). `presumed`: the
    /// encoding was inferred from a valid UTF-8 sample and may still turn out to be legacy.
    pub fn new(encoding: &'static Encoding, presumed: bool) -> FieldDecoder {
        debug_assert!(encoding.is_ascii_compatible());
        FieldDecoder {
            encoding,
            may_switch: presumed && encoding == UTF_8,
            switched: None,
        }
    }

    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// The encoding switched to since the last call, if any.
    pub fn take_switch(&mut self) -> Option<&'static Encoding> {
        self.switched.take()
    }

    /// Decodes one field, borrowing it when it is already valid text.
    pub fn decode<'a>(
        &mut self,
        bytes: &'a [u8],
        buf: &'a mut String,
    ) -> Result<&'a str, DecodeError> {
        if self.encoding == UTF_8 {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    if self.may_switch && !s.is_ascii() {
                        // Real UTF-8 text seen: from now on bad bytes are errors.
                        self.may_switch = false;
                    }
                    return Ok(s);
                }
                Err(e) if !self.may_switch => {
                    return Err(DecodeError {
                        offset: e.valid_up_to(),
                    })
                }
                Err(_) => {
                    self.encoding = guess_legacy(bytes);
                    self.may_switch = false;
                    self.switched = Some(self.encoding);
                }
            }
        }
        if bytes.is_ascii() {
            // ASCII reads the same in every ASCII-compatible encoding.
            return Ok(std::str::from_utf8(bytes).expect("ASCII is UTF-8"));
        }
        let mut decoder = self.encoding.new_decoder_without_bom_handling();
        buf.clear();
        buf.reserve(
            decoder
                .max_utf8_buffer_length(bytes.len())
                .unwrap_or(bytes.len() * 3),
        );
        let (result, _read) = decoder.decode_to_string_without_replacement(bytes, buf, true);
        match result {
            encoding_rs::DecoderResult::InputEmpty => Ok(buf.as_str()),
            encoding_rs::DecoderResult::Malformed(_, _) => Err(DecodeError { offset: buf.len() }),
            encoding_rs::DecoderResult::OutputFull => {
                unreachable!("buffer reserved for the worst case")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{SHIFT_JIS, WINDOWS_1252};

    #[test]
    fn detection_table() {
        let utf16le: Vec<u8> = "UserPrincipalName,BlockCredential\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        let utf16be: Vec<u8> = "UserPrincipalName,BlockCredential\r\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let (sjis, _, _) = SHIFT_JIS.encode("UserPrincipalName,DisplayName\r\nyamada@contoso.jp,山田 太郎\r\nsato@contoso.jp,佐藤 花子\r\n");
        let cases: &[(&[u8], &'static Encoding, Source, usize)] = &[
            (b"\xEF\xBB\xBFUPN\r\n", UTF_8, Source::Bom, 3),
            (b"\xFF\xFEU\0P\0N\0", UTF_16LE, Source::Bom, 2),
            (b"\xFE\xFF\0U\0P\0N", UTF_16BE, Source::Bom, 2),
            (&utf16le, UTF_16LE, Source::NulPattern, 0),
            (&utf16be, UTF_16BE, Source::NulPattern, 0),
            (b"UPN,Name\r\na@x,Bob\r\n", UTF_8, Source::Utf8Valid, 0),
            (
                "UPN,Name\na@x,Åsa Lindström\n".as_bytes(),
                UTF_8,
                Source::Utf8Valid,
                0,
            ),
            (
                b"UPN;Name\r\na@x;\xC5sa Lindstr\xF6m\r\nb@x;Zo\xEB Dupr\xE9\r\n",
                WINDOWS_1252,
                Source::Guessed,
                0,
            ),
            (&sjis, SHIFT_JIS, Source::Guessed, 0),
            // UTF-8 with one row from a windows-1252 file: read as UTF-8, the bad row is an error
            (
                b"UPN,Name\na@x,\xC3\x85sa\nb@x,Zo\xEB\n",
                UTF_8,
                Source::Utf8Mostly,
                0,
            ),
        ];
        for (bytes, encoding, source, bom_len) in cases {
            let d = detect(bytes, true, None);
            assert_eq!(
                (d.encoding, d.source, d.bom_len),
                (*encoding, *source, *bom_len),
                "{bytes:?}"
            );
        }
        // A multi-byte character cut by the end of the sample is not an error...
        assert_eq!(
            detect("ab\u{e5}".as_bytes().split_last().unwrap().1, false, None).encoding,
            UTF_8
        );
        // ...but at the end of the file it is.
        assert_ne!(detect(b"ab\xC3", true, None).encoding, UTF_8);
    }

    #[test]
    fn halfwidth_katakana_is_shift_jis() {
        let sjis = |s: &str| encoding_rs::SHIFT_JIS.encode(s).0.into_owned();
        for (text, want) in [
            ("a@x.jp,ﾔﾏﾀﾞ ﾀﾛｳ,False\r\nb@x.jp,ｽｽﾞｷ ﾊﾅｺ,True\r\n", true),
            ("a@x.jp,ｻﾄｳ,False\r\n", true),
        ] {
            let bytes = sjis(text);
            assert_eq!(halfwidth_katakana_only(&bytes), want, "{text}");
            assert_eq!(
                detect(&bytes, true, None).encoding,
                encoding_rs::SHIFT_JIS,
                "{text}"
            );
        }
        // Latin letters with accents inside words, and Cyrillic with its lower case, are not.
        let latin = encoding_rs::WINDOWS_1252
            .encode("a@x.de,Müller Ångström,False\r\n")
            .0;
        assert!(!halfwidth_katakana_only(&latin));
        let cyrillic = encoding_rs::ISO_8859_5
            .encode("a@x.ru,Иван Петров,False\r\n")
            .0;
        assert!(!halfwidth_katakana_only(&cyrillic));
        assert!(!halfwidth_katakana_only(b"plain ascii"));
    }

    #[test]
    fn override_wins_and_skips_only_its_own_bom() {
        let d = detect(b"\xEF\xBB\xBFabc", true, Some(WINDOWS_1252));
        assert_eq!(
            (d.encoding, d.source, d.bom_len),
            (WINDOWS_1252, Source::Override, 0)
        );
        let d = detect(b"\xEF\xBB\xBFabc", true, Some(UTF_8));
        assert_eq!(d.bom_len, 3);
    }

    #[test]
    fn names_from_whatwg_and_powershell() {
        for (name, want) in [
            ("utf-8", UTF_8),
            ("UTF8", UTF_8),
            ("Unicode", UTF_16LE),
            ("BigEndianUnicode", UTF_16BE),
            ("utf-16le", UTF_16LE),
            ("windows-1252", WINDOWS_1252),
            ("cp1252", WINDOWS_1252),
            ("Default", WINDOWS_1252),
            ("shift_jis", SHIFT_JIS),
        ] {
            assert_eq!(lookup(name).unwrap(), want, "{name}");
        }
        assert!(lookup("klingon").is_err());
    }

    #[test]
    fn decoder_borrows_utf8_and_decodes_legacy() {
        let mut buf = String::new();
        let mut d = FieldDecoder::new(UTF_8, false);
        assert_eq!(d.decode("Åsa".as_bytes(), &mut buf), Ok("Åsa"));
        assert_eq!(
            d.decode(b"a\xFFb", &mut buf),
            Err(DecodeError { offset: 1 })
        );
        let mut d = FieldDecoder::new(WINDOWS_1252, false);
        assert_eq!(d.decode(b"\xC5sa", &mut buf), Ok("Åsa"));
        let mut d = FieldDecoder::new(SHIFT_JIS, false);
        let (bytes, _, _) = SHIFT_JIS.encode("山田");
        assert_eq!(d.decode(&bytes, &mut buf), Ok("山田"));
    }

    #[test]
    fn presumed_utf8_switches_once_when_only_ascii_was_seen() {
        let mut buf = String::new();
        let mut d = FieldDecoder::new(UTF_8, true);
        assert_eq!(d.decode(b"ascii", &mut buf), Ok("ascii"));
        assert_eq!(
            d.decode(b"Zo\xEB Dupr\xE9 Lindstr\xF6m", &mut buf),
            Ok("Zoë Dupré Lindström")
        );
        assert_eq!(d.take_switch(), Some(WINDOWS_1252));
        assert_eq!(d.take_switch(), None);
        // After real UTF-8 text, bad bytes are an error, not a switch.
        let mut d = FieldDecoder::new(UTF_8, true);
        assert_eq!(d.decode("Åsa".as_bytes(), &mut buf), Ok("Åsa"));
        assert!(d.decode(b"\xC5sa", &mut buf).is_err());
    }
}
