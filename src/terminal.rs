//! Text for a terminal, and for the CI logs that read our standard output and error: how data
//! from the input is shown in human text. A leaf module: [`crate::error`] prints with it and may
//! not import the report layer (the other media are escaped in `report::escape`).
//!
//! Three rules:
//!
//! - **Control characters and bidi controls are shown, not sent.** C0 controls, DEL, C1
//!   controls (so ESC and OSC sequences, which could recolour the terminal, move the cursor or
//!   plant a hyperlink), the Unicode bidi overrides and isolates (U+202A-U+202E,
//!   U+2066-U+2069), the directional marks U+200E, U+200F, U+061C and the line and paragraph
//!   separators U+2028, U+2029 are written as `\u{1b}`, like Rust's `{:?}`. [`text`] does it for
//!   a piece of data (line breaks and tabs included); [`layout`] for a whole message, keeping
//!   our own line breaks and tabs.
//! - **No line of ours can be read as a CI command.** GitHub Actions runs a line of standard
//!   output or error that starts with `::` (after leading white space) as a workflow command,
//!   and a `##[` anywhere in a line as one in the older syntax (Azure Pipelines reads `##vso[`
//!   the same way). [`layout`] writes a leading `::` as `\u{3a}:` and the `##` of `##[` and
//!   `##vso[` as `#\u{23}`; nothing mfa-audit writes itself contains either, so only data is
//!   changed.
//! - **No message quotes a field whole when it is long**: [`quote`] and [`clip`] keep the first
//!   200 characters and say how long the field was.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Characters of a quoted or clipped field shown in full; longer fields are cut here.
pub const SHOWN_CHARS: usize = 200;

/// True for a character that data may not send raw to a terminal: C0 and C1 controls, DEL,
/// bidi overrides and isolates, directional marks, line and paragraph separators.
pub fn is_unsafe(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{061c}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Escapes `keep`-filtered unsafe characters as `\u{..}`; borrows when nothing changes.
fn escape_unsafe(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !keep(c);
    if !text.contains(needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A piece of data (a UPN, a file name, a header, a gate's detail) as human text shows it:
/// every unsafe character escaped, line breaks and tabs included, so that it stays on its line.
pub fn text(data: &str) -> Cow<'_, str> {
    escape_unsafe(data, |_| false)
}

/// A whole message or summary, just before it is printed (and before any colour is added):
/// unsafe characters escaped except our own line breaks and tabs, and no line that a CI runner
/// would take for a command (see the module documentation). Data inside should already have
/// gone through [`text`] or [`quote`], which also escape line breaks; this is the last guard.
pub fn layout(message: &str) -> Cow<'_, str> {
    let escaped = escape_unsafe(message, |c| matches!(c, '\n' | '\t'));
    if let Cow::Owned(guarded) = guard_commands(&escaped) {
        return Cow::Owned(guarded);
    }
    escaped
}

/// Lines that a CI runner cannot take for a command: a `::` that starts a line (after white
/// space) is written `\u{3a}:`, and the `##` of every `##[` and `##vso[` is written `#\u{23}`.
/// Other characters are left alone (see [`layout`] for control characters). Also for data
/// written as data, such as the UPNs of `mfa-audit list` under GitHub Actions.
pub fn guard_commands(text: &str) -> Cow<'_, str> {
    let starts_command = |line: &str| line.trim_start().starts_with("::");
    if find_old_command(text).is_none() && !text.split('\n').any(starts_command) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut rest = line;
        if starts_command(line) {
            let indent = line.len() - line.trim_start().len();
            out.push_str(&line[..indent]);
            out.push_str("\\u{3a}");
            rest = &line[indent + 1..];
        }
        out.push_str(&break_old_commands(rest));
    }
    Cow::Owned(out)
}

/// `text` with the `##` of every `##[` and `##vso[` written `#\u{23}`, wherever it is: for
/// data inside a line that must not carry a command, such as an annotation's message.
pub fn break_old_commands(text: &str) -> Cow<'_, str> {
    let Some(mut at) = find_old_command(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    loop {
        out.push_str(&rest[..at]);
        out.push_str("#\\u{23}");
        rest = &rest[at + 2..];
        match find_old_command(rest) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Where the first command in the older syntax starts: `##[` (GitHub Actions) or `##vso[`
/// (Azure Pipelines), which the runners find anywhere in a line.
fn find_old_command(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(2)).find(|&i| {
        b[i] == b'#'
            && b[i + 1] == b'#'
            && (b[i + 2] == b'['
                || b.get(i + 2..i + 6)
                    .is_some_and(|v| v.eq_ignore_ascii_case(b"vso[")))
    })
}

/// True when running as a GitHub Actions step (`GITHUB_ACTIONS=true`), whose runner reads
/// workflow commands from our standard output and error.
pub fn github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true")
}

/// Whether colour codes written to standard error (a terminal) will be shown as colours. On
/// Windows a console shows them only in virtual-terminal mode, which Windows Terminal turns on
/// but the older console host does not (it prints `←[1;31m`): this turns it on, and answers
/// false where the console refuses (before Windows 10), so that no codes are written there.
/// Elsewhere terminals take them.
#[cfg(windows)]
pub fn stderr_takes_colour() -> bool {
    use windows_sys::Win32::System::Console::{
        GetConsoleMode, GetStdHandle, SetConsoleMode, ENABLE_VIRTUAL_TERMINAL_PROCESSING,
        STD_ERROR_HANDLE,
    };
    // SAFETY: plain Win32 calls on the process's own standard error handle.
    unsafe {
        let handle = GetStdHandle(STD_ERROR_HANDLE);
        let mut mode = 0;
        if GetConsoleMode(handle, &mut mode) == 0 {
            return false;
        }
        mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0
            || SetConsoleMode(handle, mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING) != 0
    }
}

/// See the Windows version: terminals elsewhere take colour codes as they are.
#[cfg(not(windows))]
pub fn stderr_takes_colour() -> bool {
    true
}

/// A field quoted for a message: as `{:?}` writes it (so every control character is escaped),
/// cut after [`SHOWN_CHARS`] characters with the full length said: `"aaaa…"… (5000
/// characters)`.
pub fn quote(field: &str) -> Quoted<'_> {
    Quoted(field)
}

/// See [`quote`].
#[derive(Clone, Copy)]
pub struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match cut(self.0) {
            None => write!(f, "{:?}", self.0),
            Some((head, n)) => write!(f, "{head:?}… ({n} characters)"),
        }
    }
}

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A field written unquoted in a message (a UPN after a file position), cut like [`quote`]:
/// `aaaa… (5000 characters)`. Characters are not escaped here: [`layout`] does it when the
/// message is printed.
pub fn clip(field: &str) -> Cow<'_, str> {
    match cut(field) {
        None => Cow::Borrowed(field),
        Some((head, n)) => Cow::Owned(format!("{head}… ({n} characters)")),
    }
}

/// The first [`SHOWN_CHARS`] characters and the full count, when `field` is longer.
fn cut(field: &str) -> Option<(&str, usize)> {
    let (end, _) = field.char_indices().nth(SHOWN_CHARS)?;
    Some((&field[..end], field.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_whole() {
        for (data, want) in [
            ("a.b@contoso.com", "a.b@contoso.com"),
            ("Zoë Ångström 山田", "Zoë Ångström 山田"),
            ("\u{1b}]8;;http://x\u{7}", "\\u{1b}]8;;http://x\\u{7}"),
            ("\u{1b}[31mred", "\\u{1b}[31mred"),
            ("a\u{202e}b", "a\\u{202e}b"),
            (
                "\u{2066}\u{2069}\u{200e}\u{200f}\u{61c}",
                "\\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{61c}",
            ),
            ("a\n::error::x", "a\\u{a}::error::x"),
            ("a\r\nb\tc", "a\\u{d}\\u{a}b\\u{9}c"),
            ("\u{1}\u{7f}\u{85}\u{9b}", "\\u{1}\\u{7f}\\u{85}\\u{9b}"),
            ("\u{2028}\u{2029}", "\\u{2028}\\u{2029}"),
            ("C:\\Users\\x.csv", "C:\\Users\\x.csv"),
        ] {
            assert_eq!(text(data), want, "{data:?}");
        }
        assert!(matches!(text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn messages_keep_their_layout_and_never_start_a_command() {
        for (message, want) in [
            ("plain\n  indented\ttab\n", "plain\n  indented\ttab\n"),
            ("x: \u{1b}[2J\u{202e}", "x: \\u{1b}[2J\\u{202e}"),
            ("a\r\nb", "a\\u{d}\nb"),
            (
                "::add-mask::x@y.com: 1 user",
                "\\u{3a}:add-mask::x@y.com: 1 user",
            ),
            ("ok\n  ::error::pwned\n", "ok\n  \\u{3a}:error::pwned\n"),
            ("\u{a0}::x::y", "\u{a0}\\u{3a}:x::y"),
            ("a ##[add-mask]b", "a #\\u{23}[add-mask]b"),
            ("##vso[task.setvariable]x", "#\\u{23}vso[task.setvariable]x"),
            ("###[", "##\\u{23}["),
            ("C## and ## x", "C## and ## x"),
            ("##VSO[x]", "#\\u{23}VSO[x]"),
            ("mid :: line", "mid :: line"),
            (": one colon", ": one colon"),
        ] {
            assert_eq!(layout(message), want, "{message:?}");
        }
        assert!(matches!(layout("plain\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_fields_are_cut_when_quoted() {
        assert_eq!(quote("a@x").to_string(), "\"a@x\"");
        assert_eq!(quote("a\"\n\u{1b}").to_string(), "\"a\\\"\\n\\u{1b}\"");
        let exact = "é".repeat(SHOWN_CHARS);
        assert_eq!(quote(&exact).to_string(), format!("{exact:?}"));
        let long = "é".repeat(5000);
        assert_eq!(
            quote(&long).to_string(),
            format!("\"{}\"… (5000 characters)", "é".repeat(SHOWN_CHARS))
        );
        assert_eq!(clip("a@x"), "a@x");
        assert_eq!(
            clip(&"x".repeat(201)),
            format!("{}… (201 characters)", "x".repeat(200))
        );
    }
}
