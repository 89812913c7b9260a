//! Every output medium escapes data here, one function per medium, so that no writer escapes
//! (or forgets to) on its own. Data is whatever came from an input: UPNs, display names,
//! method names, headers, file names, and the gate details that quote them. Human text on a
//! terminal is escaped by the leaf module [`crate::terminal`] (errors are printed from below
//! this layer).
//!
//! | medium | function | rule |
//! |---|---|---|
//! | CSV cells | [`formula`] | a cell starting with `=` `+` `-` `@` tab or CR gets a leading `'` |
//! | XLSX cells | (none needed) | text is written as a text cell, never a formula |
//! | HTML | [`html`], [`json_in_html_script`] | `& < > " '` as entities; JSON in `<script>` with `\u003c` `\u003e` `\u0026` |
//! | XML 1.0 (JUnit) | [`xml_text`], [`xml_attr`] | as HTML, characters XML cannot hold become U+FFFD |
//! | Markdown (step summary) | [`markdown`], [`markdown_code`] | no HTML, link, image, emphasis, table break or bidi trick from data |
//! | GitHub workflow commands | [`workflow_data`], [`workflow_property`] | `%` `\r` `\n` (and `:` `,` in properties) %-encoded |
//! | GitHub step outputs (`$GITHUB_OUTPUT`) | [`github_output`] | `name=value`, or `name<<DELIMITER` with a delimiter the value does not hold |

use std::borrow::Cow;
use std::fmt::Write as _;

use serde::Serialize;

// ---- Spreadsheets -------------------------------------------------------------------------

/// True when a spreadsheet could read `field` as a formula: it starts with `=`, `+`, `-`, `@`,
/// tab or CR.
pub fn needs_neutralising(field: &str) -> bool {
    matches!(
        field.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// A CSV cell that a spreadsheet shows as text: with a leading `'` when it would otherwise be
/// run as a formula (an export is data an attacker can partly choose: a display name is
/// enough to plant `=HYPERLINK(...)`). Borrows when nothing changes.
///
/// Workbooks need no such prefix: [`crate::report::table`] writes text as a text cell, which
/// Excel never evaluates, so the same string stays as it is there.
pub fn formula(field: &str) -> Cow<'_, str> {
    if needs_neutralising(field) {
        let mut out = String::with_capacity(field.len() + 1);
        out.push('\'');
        out.push_str(field);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(field)
    }
}

// ---- HTML ---------------------------------------------------------------------------------

/// Text for HTML content and (quoted) attribute values: `& < > " '` as entities.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside a `<script>` element: no `</script>` or `<!--` can appear (`<`,
/// `>` and `&` are written as JSON's `\u003c`, `\u003e`, `\u0026`, the same strings).
pub fn json_in_html_script(value: &impl Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "[]".to_owned())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

// ---- XML 1.0 ------------------------------------------------------------------------------

/// True for a character XML 1.0 cannot hold at all, not even as a character reference: C0
/// controls other than tab, LF and CR, and U+FFFE, U+FFFF. (Lone surrogates, the rest of the
/// excluded range, cannot occur in a Rust string.)
fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

fn xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // A raw CR is read back as LF, and in an attribute tab and LF as spaces.
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            c if xml_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text for XML 1.0 element content: `& < > " '` as entities, CR as `&#13;`, and characters XML
/// cannot hold (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) as U+FFFD.
pub fn xml_text(text: &str) -> String {
    xml(text, false)
}

/// Text for a double-quoted XML 1.0 attribute value: as [`xml_text`], and tab, LF, CR as
/// character references (a parser would read them raw as spaces).
pub fn xml_attr(text: &str) -> String {
    xml(text, true)
}

// ---- Markdown (GitHub's step summary) -----------------------------------------------------

/// Text for GitHub-flavoured Markdown, inline in a table cell: data can produce no HTML, link,
/// image, emphasis, heading or table break, and stays on its line.
///
/// - `<`, `>`, `&`, `[`, `]` become character references (`&lt;` `&gt;` `&amp;` `&#91;` `&#93;`),
///   which Markdown shows as the character but never reads as markup: no raw HTML, no `<...>`
///   autolink, no `[text](url)` or `![image](src)`.
/// - `\`, `` ` ``, `*`, `~`, `#`, `!`, `|` get a backslash (`\|` keeps the cell whole).
/// - `_` gets a backslash unless it sits between two letters or digits, where Markdown never
///   reads it as emphasis: `first_last@contoso.com` is written as it is.
/// - The bare-address autolinks of GitHub's Markdown are broken: `://` is written `\://` and
///   `www.` as `www\.`. (An address like `a.b@contoso.com` is still shown as a mail link, as
///   before: escaping `@` would change every UPN, and the link is to the address shown.)
/// - CR and LF become a space. Other control characters and the bidi controls (which could
///   show a UPN reversed) are written as [`crate::terminal`] shows them, `\u{202e}`.
///
/// `(`, `)`, `.`, `-`, `@` and `:` are otherwise left alone: without `[` they make no link,
/// and ordinary UPNs and our own text (`coverage 75% (registered 3 of 4)`) stay byte for byte
/// as they were.
pub fn markdown(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '\\' | '`' | '*' | '~' | '#' | '!' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' if word(i.checked_sub(1)) && word(Some(i + 1)) => out.push('_'),
            '_' => out.push_str("\\_"),
            ':' if chars.get(i + 1) == Some(&'/') && chars.get(i + 2) == Some(&'/') => {
                out.push_str("\\:")
            }
            '.' if i >= 3 && chars[i - 3..i].iter().all(|w| w.eq_ignore_ascii_case(&'w')) => {
                out.push_str("\\.")
            }
            '\r' if chars.get(i + 1) == Some(&'\n') => {
                out.push(' ');
                i += 1;
            }
            '\r' | '\n' => out.push(' '),
            // Shown as the terminal shows them, the backslash escaped: `\\u{202e}`.
            c if crate::terminal::is_unsafe(c) => {
                let _ = write!(out, "\\\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Text as an inline code span in a table cell (a gate's name): `` `fail-under` ``. A `|`
/// inside is written `\|`, which GitHub's tables read as part of the cell. Text that a code
/// span cannot carry safely (a backtick, a control or bidi character, or a `\` just before a `|`,
/// which would end the cell) is written as [`markdown`] text instead, without the backticks.
pub fn markdown_code(text: &str) -> String {
    if text.contains(|c: char| c == '`' || crate::terminal::is_unsafe(c)) || text.contains("\\|") {
        return markdown(text);
    }
    format!("`{}`", text.replace('|', "\\|"))
}

// ---- GitHub workflow commands -------------------------------------------------------------

/// Escapes as GitHub's runner unescapes workflow command values (`:` and `,` too in a
/// property). Other characters a terminal would act on (see [`crate::terminal::is_unsafe`])
/// are shown as `\u{..}`, as the terminal shows them (the command's line may reach one), and
/// so is the `##` of an older-syntax command (`##[`), which no line of ours may carry.
fn workflow(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if crate::terminal::is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    crate::terminal::break_old_commands(&out).into_owned()
}

/// The message of a workflow command (`::error title=...::MESSAGE`): `%` as `%25`, CR as
/// `%0D`, LF as `%0A`, as GitHub's toolkit escapes them; the runner turns them back. The
/// command stays one line whatever the data holds. Control and bidi characters and `##[` are
/// shown as the terminal shows them (`\u{1b}`, `#\u{23}[`).
pub fn workflow_data(text: &str) -> String {
    workflow(text, false)
}

/// A property value of a workflow command (`title=VALUE`): as [`workflow_data`], and `:` as
/// `%3A`, `,` as `%2C`, which would otherwise end the value.
pub fn workflow_property(text: &str) -> String {
    workflow(text, true)
}

// ---- GitHub step outputs ($GITHUB_OUTPUT) -------------------------------------------------

/// What a step output holds, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputValue<'a> {
    /// A value we make (a count, `true`, a percentage): one line, written `name=value`.
    Word(&'a str),
    /// A value that can hold anything, a line end included (a path from the command line):
    /// always written in the heredoc form, so that no value can add an output of its own.
    Text(&'a str),
}

/// The prefix of every heredoc delimiter: the one GitHub's toolkit uses (`ghadelimiter_`
/// followed by a random UUID, in `@actions/core`'s file commands).
const DELIMITER_PREFIX: &str = "ghadelimiter_";

/// One step output as GitHub's runner reads `$GITHUB_OUTPUT`: `name=value` on one line, or
///
/// ```text
/// name<<ghadelimiter_RANDOM
/// value
/// ghadelimiter_RANDOM
/// ```
///
/// The runner reads CR, LF and CRLF each as a line end, so a [`OutputValue::Word`] that
/// holds one (none of ours does) is written in the heredoc form too rather than split into a
/// second output. `random` gives the random part of the delimiter; it is asked again until the
/// delimiter occurs nowhere in the value (the runner ends the value at the first line that is
/// the delimiter). `name` is ours: letters, digits, `-` and `_`.
pub fn github_output(
    name: &str,
    value: OutputValue<'_>,
    random: &mut dyn FnMut() -> String,
) -> String {
    debug_assert!(
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{name:?} is not an output name"
    );
    let text = match value {
        OutputValue::Word(w) if !w.contains(['\r', '\n']) => return format!("{name}={w}\n"),
        OutputValue::Word(t) | OutputValue::Text(t) => t,
    };
    let delimiter = loop {
        let d = format!("{DELIMITER_PREFIX}{}", random());
        if !text.contains(&d) && !name.contains(&d) {
            break d;
        }
    };
    format!("{name}<<{delimiter}\n{text}\n{delimiter}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas() {
        for (field, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("a.b@contoso.com", "a.b@contoso.com"),
            ("", ""),
            ("'=x", "'=x"),
        ] {
            assert_eq!(formula(field), want, "{field:?}");
            assert_eq!(needs_neutralising(field), field != want, "{field:?}");
        }
    }

    #[test]
    fn html_entities() {
        for (text, want) in [
            ("a.b@contoso.com", "a.b@contoso.com"),
            (
                "<script>alert('x')</script>&",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;",
            ),
            ("\"q\"", "&quot;q&quot;"),
            ("]]>", "]]&gt;"),
            ("\u{202e}\u{1}", "\u{202e}\u{1}"),
        ] {
            assert_eq!(html(text), want, "{text:?}");
        }
        let json = json_in_html_script(&["</script><!--&"]);
        assert_eq!(json, r#"["\u003c/script\u003e\u003c!--\u0026"]"#);
        let back: Vec<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ["</script><!--&"]);
    }

    #[test]
    fn xml_holds_only_what_xml_allows() {
        for (text, content, attribute) in [
            ("a.b@contoso.com", "a.b@contoso.com", "a.b@contoso.com"),
            (
                "o'brien <&> \"q\"",
                "o&#39;brien &lt;&amp;&gt; &quot;q&quot;",
                "o&#39;brien &lt;&amp;&gt; &quot;q&quot;",
            ),
            ("]]>", "]]&gt;", "]]&gt;"),
            (
                "a\u{1}b\u{0}c\u{1b}",
                "a\u{FFFD}b\u{FFFD}c\u{FFFD}",
                "a\u{FFFD}b\u{FFFD}c\u{FFFD}",
            ),
            (
                "\u{fffe}\u{ffff}\u{fffd}",
                "\u{FFFD}\u{FFFD}\u{FFFD}",
                "\u{FFFD}\u{FFFD}\u{FFFD}",
            ),
            ("a\tb\nc\rd", "a\tb\nc&#13;d", "a&#9;b&#10;c&#13;d"),
            (
                "\u{202e}\u{85}\u{10ffff}",
                "\u{202e}\u{85}\u{10ffff}",
                "\u{202e}\u{85}\u{10ffff}",
            ),
        ] {
            assert_eq!(xml_text(text), content, "{text:?}");
            assert_eq!(xml_attr(text), attribute, "{text:?}");
        }
    }

    #[test]
    fn markdown_makes_no_markup_from_data() {
        for (text, want) in [
            // Ordinary data and our own text are unchanged.
            ("a.b@contoso.com", "a.b@contoso.com"),
            ("first_last@contoso.com", "first_last@contoso.com"),
            ("svc-backup@x.com", "svc-backup@x.com"),
            (
                "coverage 75% (registered 3 of 4); at least 80% required",
                "coverage 75% (registered 3 of 4); at least 80% required",
            ),
            (
                "2 admins (isAdmin) who can sign in are not registered: a@x.com, b@x.com, ...",
                "2 admins (isAdmin) who can sign in are not registered: a@x.com, b@x.com, ...",
            ),
            // Markup from data is not.
            ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
            ("x|y](http://e)", "x\\|y&#93;(http\\://e)"),
            ("![i](http://e/p.png)", "\\!&#91;i&#93;(http\\://e/p.png)"),
            ("[a][b]", "&#91;a&#93;&#91;b&#93;"),
            ("<http://e>", "&lt;http\\://e&gt;"),
            (
                "see www.e.com or WWW.E.COM",
                "see www\\.e.com or WWW\\.E.COM",
            ),
            ("`code` *em* ~s~ #1", "\\`code\\` \\*em\\* \\~s\\~ \\#1"),
            ("_em_ a_b __c__", "\\_em\\_ a_b \\_\\_c\\_\\_"),
            ("a\\", "a\\\\"),
            ("a\r\nb\nc\rd", "a b c d"),
            ("a\n::error::pwned@x.com", "a ::error::pwned@x.com"),
            ("x\u{1}\u{1b}y\u{202e}", "x\\\\u{1}\\\\u{1b}y\\\\u{202e}"),
            ("&amp;", "&amp;amp;"),
        ] {
            assert_eq!(markdown(text), want, "{text:?}");
        }
    }

    #[test]
    fn markdown_code_spans() {
        for (text, want) in [
            ("fail-under", "`fail-under`"),
            ("require ^adm.*@x\\.com$", "`require ^adm.*@x\\.com$`"),
            ("require admin|root", "`require admin\\|root`"),
            ("require a`b", "require a\\`b"),
            ("require a\\|b", "require a\\\\\\|b"),
            ("a\nb", "a b"),
        ] {
            assert_eq!(markdown_code(text), want, "{text:?}");
        }
    }

    #[test]
    fn workflow_commands() {
        for (text, data, property) in [
            ("fail-under", "fail-under", "fail-under"),
            (
                "coverage 75% (3 of 4)",
                "coverage 75%25 (3 of 4)",
                "coverage 75%25 (3 of 4)",
            ),
            (
                "a\n::error::pwned@x.com",
                "a%0A::error::pwned@x.com",
                "a%0A%3A%3Aerror%3A%3Apwned@x.com",
            ),
            ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
            ("x,y:z", "x,y:z", "x%2Cy%3Az"),
            ("%0A", "%250A", "%250A"),
            (
                "\u{1b}]8;;x\u{7}\u{202e}",
                "\\u{1b}]8;;x\\u{7}\\u{202e}",
                "\\u{1b}]8;;x\\u{7}\\u{202e}",
            ),
            (
                "a ##[add-mask]b",
                "a #\\u{23}[add-mask]b",
                "a #\\u{23}[add-mask]b",
            ),
        ] {
            assert_eq!(workflow_data(text), data, "{text:?}");
            assert_eq!(workflow_property(text), property, "{text:?}");
        }
    }

    /// A source of "random" delimiter parts for the tests: the given ones, in order.
    fn delimiters(parts: &[&str]) -> impl FnMut() -> String {
        let mut parts: Vec<String> = parts.iter().rev().map(|p| p.to_string()).collect();
        move || {
            parts
                .pop()
                .expect("asked for more delimiters than the test gave")
        }
    }

    #[test]
    fn github_outputs() {
        use OutputValue::{Text, Word};
        for (name, value, random, want) in [
            ("coverage", Word("64.1"), &["r1"][..], "coverage=64.1\n"),
            ("passed", Word("false"), &["r1"][..], "passed=false\n"),
            ("coverage", Word(""), &["r1"][..], "coverage=\n"),
            // A path is always a heredoc, newline or not.
            (
                "report",
                Text("out dir/MFA Report.csv"),
                &["r1"][..],
                "report<<ghadelimiter_r1\nout dir/MFA Report.csv\nghadelimiter_r1\n",
            ),
            // A value that holds a line end cannot add an output of its own...
            (
                "json",
                Text("a\npassed=true"),
                &["r1"][..],
                "json<<ghadelimiter_r1\na\npassed=true\nghadelimiter_r1\n",
            ),
            // ... not even when it is a word (none of ours is, but the form must hold).
            (
                "coverage",
                Word("1\rpassed=true"),
                &["r1"][..],
                "coverage<<ghadelimiter_r1\n1\rpassed=true\nghadelimiter_r1\n",
            ),
            // A value that holds the delimiter gets another one.
            (
                "html",
                Text("x\nghadelimiter_r1\npassed=true"),
                &["r1", "r2"][..],
                "html<<ghadelimiter_r2\nx\nghadelimiter_r1\npassed=true\nghadelimiter_r2\n",
            ),
            (
                "junit",
                Text("ghadelimiter_r1ghadelimiter_r2"),
                &["r1", "r2", "r3"][..],
                "junit<<ghadelimiter_r3\nghadelimiter_r1ghadelimiter_r2\nghadelimiter_r3\n",
            ),
            (
                "report",
                Text(""),
                &["r1"][..],
                "report<<ghadelimiter_r1\n\nghadelimiter_r1\n",
            ),
        ] {
            assert_eq!(
                github_output(name, value, &mut delimiters(random)),
                want,
                "{value:?}"
            );
        }
    }
}
