//! Data that tries to be markup, a formula or a command goes through every writer as data:
//! neutralised in CSV, a text cell in XLSX, escaped in HTML, valid XML in JUnit, plain text in
//! the GitHub step summary, no workflow command on standard output or error under GitHub
//! Actions, and no raw control or bidi character on the terminal.

use std::io::Read;

use calamine::{open_workbook, Data, Reader, Xlsx};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use quick_xml::XmlVersion::Implicit1_0 as V1;

use super::*;

/// The input's name is hostile too: a GitHub workflow command where a message names the file.
/// Windows file names cannot hold `:`, so there the name is plain and the data carries the test.
const HOSTILE_NAME: &str = if cfg!(windows) { "t.csv" } else { "::t.csv" };

/// UPNs that try their luck, each unregistered (so each is named by a gate, the JUnit report
/// and the lists).
const UPNS: [&str; 10] = [
    "=HYPERLINK(\"http://e\",\"x\")@x.com",
    "<script>alert(1)</script>@x.com",
    "]]>@x.com",
    "\u{1b}]8;;http://x\u{7}@x.com",
    "\u{202e}moc.x@a",
    "::add-mask::x@y.com",
    "x|y](http://e)@x.com",
    "\u{1}@x.com",
    "\u{fffe}@x.com",
    "##[add-mask]z@x.com",
];

/// Display names, one per UPN above (a display name may hold a line break).
const NAMES: [&str; 10] = [
    "=1+2",
    "<img src=x onerror=alert(1)>",
    "a\n::error::pwned@x.com",
    "\u{1b}[2J\u{1b}[31mred",
    "\u{2066}evil\u{2069}",
    "-cmd|' /C calc'!A0",
    "[link](http://e) ![img](http://e/i.png)",
    "`code` *em* _em_ ~s~ #h",
    "\u{9b}31m C1",
    "@SUM(1)",
];

/// `--require` patterns: the first names the first five UPNs, the second the other five (a
/// gate's detail shows five users). Their names carry `|`, `\`, `:` and `,` too.
const PATTERNS: [&str; 2] = [
    r"HYPERLINK|script|\]\]>|\x1b|\x{202e}",
    r"^::add-mask::|\||\x01{1,}|\x{fffe}|##",
];

fn quoted(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// A CSV export with the hostile users, a registered one and two ordinary unregistered ones.
fn hostile_export() -> String {
    let mut lines = vec![
        "\"UserPrincipalName\",\"DisplayName\",\"BlockCredential\",\"StrongAuthenticationMethods\""
            .to_owned(),
        "\"ok@x.com\",\"Ok\",\"False\",\"PhoneAppNotification\"".to_owned(),
    ];
    for (upn, name) in UPNS.iter().zip(NAMES) {
        lines.push(
            [*upn, name, "False", ""]
                .iter()
                .map(|f| quoted(f))
                .collect::<Vec<_>>()
                .join(","),
        );
    }
    lines.push("\"a.b@contoso.com\",\"A B\",\"False\",\"\"".to_owned());
    lines.push("\"first_last@contoso.com\",\"F L\",\"False\",\"\"".to_owned());
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}

/// Characters no data may send raw to a terminal.
fn terminal_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{61c}' | '\u{2028}' | '\u{2029}')
}

/// Asserts that `text`, printed to a terminal or read by a GitHub Actions runner, holds no raw
/// control or bidi character and no workflow command but `allowed` ones.
fn assert_terminal_safe(what: &str, text: &str, allowed: impl Fn(&str) -> bool) {
    for line in text.lines() {
        assert!(
            !line.contains(terminal_unsafe),
            "{what}: raw control or bidi character in {line:?}"
        );
        assert!(
            !line.contains("##["),
            "{what}: old-style command in {line:?}"
        );
        if line.trim_start().starts_with("::") {
            assert!(
                allowed(line),
                "{what}: a line passes for a command: {line:?}"
            );
        }
    }
}

/// Undoes GitHub's workflow-command escaping (as the runner does).
fn unescape_property(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// The cells of a Markdown table row as GitHub's table parser splits it: on every `|` that a
/// backslash does not escape.
fn table_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let cell = cells.last_mut().unwrap();
                cell.push(c);
                if let Some(next) = chars.next() {
                    cell.push(next);
                }
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

#[test]
fn hostile_data_goes_through_every_writer_as_data() {
    let d = Dir::new();
    // The input's name is data too: it starts lines of the human summary.
    d.write(HOSTILE_NAME, hostile_export());
    let mut args = vec![
        "audit",
        HOSTILE_NAME,
        "-o",
        "r.csv",
        "--columns",
        "upn,display-name",
        "--unregistered",
        "u.xlsx",
        "--html",
        "r.html",
        "--junit",
        "j.xml",
        "--json",
        "s.json",
        "--github-summary",
    ];
    for p in &PATTERNS {
        args.extend(["--require", p]);
    }
    let out = d
        .cmd()
        .args(&args)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", d.path("summary.md"))
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");

    // CSV: formulas neutralised, everything else as it was.
    let csv = d.read("r.csv");
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\")@x.com\",\"'=1+2\""),
        "{csv}"
    );
    assert!(csv.contains("\"'-cmd|' /C calc'!A0\""), "{csv}");
    assert!(csv.contains("\"'@SUM(1)\""), "{csv}");
    assert!(csv.contains("\"::add-mask::x@y.com\""), "{csv}");

    // XLSX: every value is a text cell (never a formula) and reads back as written.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(d.path("u.xlsx")).unwrap()).unwrap();
    let mut sheet_xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet_xml)
        .unwrap();
    assert!(
        !sheet_xml.contains("<f>") && !sheet_xml.contains("<f "),
        "{sheet_xml}"
    );
    let mut wb: Xlsx<_> = open_workbook(d.path("u.xlsx")).unwrap();
    let range = wb.worksheet_range("Users").unwrap();
    let cells: Vec<&Data> = range.rows().skip(1).map(|r| &r[0]).collect();
    let mut want: Vec<&str> = UPNS.to_vec();
    want.extend(["a.b@contoso.com", "first_last@contoso.com"]);
    assert_eq!(cells.len(), want.len());
    for (cell, upn) in cells.iter().zip(&want) {
        assert_eq!(**cell, Data::String((*upn).to_owned()), "{upn:?}");
    }

    // HTML: markup from the input is text.
    let html = d.read("r.html");
    assert!(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;@x.com</td>"));
    assert!(html.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"));
    assert!(!html.contains("<script>alert") && !html.contains("<img"));
    let data = &html[html.find("<script id=\"data\"").unwrap()..];
    let data = &data[..data.find("</script>").unwrap()];
    assert!(!data[1..].contains('<'), "{data}");

    // JUnit: only characters XML allows, and it parses back to the same names.
    let xml = d.read("j.xml");
    for c in xml.chars() {
        let allowed = matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}';
        assert!(allowed, "XML 1.0 cannot hold {c:?}");
    }
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut names, mut failure_texts) = (Vec::new(), Vec::new());
    let mut failure: Option<String> = None;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "testcase" => {
                let attr = e.try_get_attribute("name").unwrap().unwrap();
                names.push(attr.normalized_value(V1).unwrap().into_owned());
            }
            Event::Start(e) if e.name().as_ref() == "failure" => failure = Some(String::new()),
            Event::Text(t) => {
                if let Some(f) = &mut failure {
                    f.push_str(&t.xml_content(V1));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(f) = &mut failure {
                    match r.resolve_char_ref().unwrap() {
                        Some(c) => f.push(c),
                        None => f.push_str(resolve_predefined_entity(&r.xml_content(V1)).unwrap()),
                    }
                }
            }
            Event::End(e) if e.name().as_ref() == "failure" => {
                failure_texts.extend(failure.take());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let xml_safe = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' => {
                    '\u{fffd}'
                }
                c => c,
            })
            .collect()
    };
    let mut want_names: Vec<String> = PATTERNS.iter().map(|p| format!("require {p}")).collect();
    want_names.extend(want.iter().map(|u| xml_safe(u)));
    assert_eq!(names, want_names);
    assert_eq!(
        failure_texts,
        [
            xml_safe(&UPNS[..5].join("\n")),
            xml_safe(&UPNS[5..].join("\n"))
        ],
        "{xml}"
    );

    // GitHub step summary: no HTML, no link, and each gate row stays four cells.
    let md = d.read("summary.md");
    assert!(!md.contains('<') && !md.contains("]("), "{md}");
    assert!(
        md.match_indices("://")
            .all(|(i, _)| md[..i].ends_with('\\')),
        "a bare address would be a link: {md}"
    );
    assert!(!md.contains(terminal_unsafe), "{md}");
    let gate_rows: Vec<&str> = md.lines().filter(|l| l.contains("fail |")).collect();
    assert_eq!(gate_rows.len(), 2, "{md}");
    for row in &gate_rows {
        let cells = table_cells(row);
        assert_eq!(cells.len(), 5, "{row}: {cells:?}");
    }
    assert!(
        gate_rows[0]
            .starts_with(r"| `require HYPERLINK\|script\|\]\]>\|\x1b\|\x{202e}` | ❌ fail |"),
        "{md}"
    );
    assert!(
        gate_rows[1].contains(r"\#\#&#91;add-mask&#93;z@x.com"),
        "{md}"
    );
    assert!(gate_rows[1].contains(r"x\|y&#93;(http\://e)@x.com"), "{md}");

    // Standard output under GitHub Actions: our annotations and nothing else; their title and
    // message are escaped the way the runner unescapes them.
    assert_terminal_safe("stdout", &stdout, |line| line.starts_with("::error title="));
    let annotations: Vec<&str> = stdout.lines().collect();
    assert_eq!(annotations.len(), 2, "{stdout}");
    for (line, pattern) in annotations.iter().zip(PATTERNS) {
        let rest = line.strip_prefix("::error title=").unwrap();
        let (title, message) = rest.split_once("::").unwrap();
        assert_eq!(
            unescape_property(title),
            format!("mfa-audit gate require {pattern}")
        );
        assert!(!message.contains(['\r', '\n']));
        assert!(
            message.starts_with("5 of the 5 users matching"),
            "{message}"
        );
    }
    assert!(
        annotations[0].contains("\\u{1b}]8;;http://x\\u{7}@x.com"),
        "{stdout}"
    );

    // Standard error (the human summary): data escaped, our layout kept.
    assert_terminal_safe("stderr", &stderr, |_| false);
    assert!(
        stderr.contains("\\u{1b}]8;;http://x\\u{7}@x.com"),
        "{stderr}"
    );
    assert!(stderr.contains("\\u{202e}moc.x@a"), "{stderr}");
    assert!(
        stderr.contains("are not registered: ::add-mask::x@y.com, "),
        "{stderr}"
    );
    assert!(stderr.contains("#\\u{23}[add-mask]z@x.com"), "{stderr}");
    assert!(stderr.contains("\nGates: 2 of 2 FAILED"), "{stderr}");
    // The name as the terminal shows it: a leading `::` would be a workflow command.
    let shown = if cfg!(windows) {
        "t.csv"
    } else {
        "\\u{3a}:t.csv"
    };
    assert!(
        stderr.starts_with(&format!("{shown}: 13 users (CSV,")),
        "{stderr}"
    );

    // The JSON summary keeps data as data (JSON escapes what it must).
    let json: Value = serde_json::from_str(&d.read("s.json")).unwrap();
    assert_eq!(json["gates"][1]["users"][0], UPNS[5]);
}

#[test]
fn list_under_github_actions_prints_no_command() {
    let d = Dir::new();
    d.write("t.csv", hostile_export());
    let run = |actions: bool| {
        let mut cmd = d.cmd();
        cmd.args(["list", "unregistered", "t.csv"]);
        if actions {
            cmd.env("GITHUB_ACTIONS", "true");
        } else {
            cmd.env_remove("GITHUB_ACTIONS");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (stdout, stderr) = run(true);
    assert_terminal_safe("list stderr", &stderr, |_| false);
    assert!(stderr.contains("mfa-audit: warning: t.csv:"), "{stderr}");
    assert!(!stdout
        .lines()
        .any(|l| l.trim_start().starts_with("::") || l.contains("##[")));
    assert!(stdout.contains("\n\\u{3a}:add-mask::x@y.com\n"), "{stdout}");
    assert!(stdout.contains("\n#\\u{23}[add-mask]z@x.com\n"), "{stdout}");
    assert!(stdout.contains("\na.b@contoso.com\nfirst_last@contoso.com\n"));
    // Elsewhere the list is the data, byte for byte.
    let (stdout, _) = run(false);
    let mut want: String = UPNS.iter().map(|u| format!("{u}\n")).collect();
    want.push_str("a.b@contoso.com\nfirst_last@contoso.com\n");
    assert_eq!(stdout, want);
}

#[test]
fn errors_and_warnings_quote_data_safely_and_briefly() {
    // A line break in a UPN stops the audit; the error names no command.
    let d = Dir::new();
    d.write(
        "t.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
         \"a\n::error::pwned@x.com\",False,\r\n",
    );
    let out = d
        .cmd()
        .args(["audit", "t.csv"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("spans several lines"), "{stderr}");
    assert_terminal_safe("stderr", &stderr, |_| false);

    // A long header is quoted in part, with its length.
    let long = format!("\u{1b}]0;title\u{7}{}", "h".repeat(5000));
    d.write("h.csv", format!("Name,Methods,{long}\r\nx,,y\r\n"));
    let out = d.cmd().args(["audit", "h.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no user principal name column"), "{stderr}");
    assert!(stderr.contains("… (5010 characters)"), "{stderr}");
    assert!(stderr.len() < 1000, "{} bytes: {stderr}", stderr.len());
    assert_terminal_safe("stderr", &stderr, |_| false);

    // So is a long UPN in a warning, in the human summary and in the JSON summary.
    let upn = format!("{}\u{202e}", "u".repeat(3000));
    d.write(
        "l.csv",
        format!(
            "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
             {upn},False,\r\n::x,Maybe,\r\n"
        ),
    );
    let out = d
        .cmd()
        .args(["audit", "l.csv", "--json", "s.json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_terminal_safe("stderr", &stderr, |_| false);
    assert!(
        stderr.contains("… (3001 characters) does not look like"),
        "{stderr}"
    );
    assert!(
        stderr.contains("l.csv:3: \\u{3a}:x: BlockCredential is \"Maybe\"")
            || stderr.contains("l.csv:3: ::x: BlockCredential is \"Maybe\""),
        "{stderr}"
    );
    let json: Value = serde_json::from_str(&d.read("s.json")).unwrap();
    let warnings: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(warnings.iter().all(|w| w.len() < 600), "{warnings:?}");
    assert!(warnings[0].ends_with("… (3001 characters) does not look like a user principal name"));
}

#[test]
fn diff_summary_names_changed_users_safely() {
    let d = Dir::new();
    d.write(
        "before.csv",
        "\"UserPrincipalName\",\"MFA Status\",\"MFA Methods\"\r\n\
         \"::add-mask::x@y.com\",\"Enforced\",\"PhoneAppNotification\"\r\n\
         \"\u{202e}moc.x@a\",\"Enabled\",\"\u{1b}[31mOneWaySMS\"\r\n",
    );
    d.write(
        "after.csv",
        "UserPrincipalName,BlockCredential,StrongAuthenticationMethods\r\n\
         ::add-mask::x@y.com,False,\r\n\
         \u{202e}moc.x@a,False,\r\n",
    );
    let out = d
        .cmd()
        .args(["diff", "before.csv", "after.csv"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_terminal_safe("diff stderr", &stderr, |_| false);
    assert!(
        stderr.contains("\n  \\u{3a}:add-mask::x@y.com: lost-registration"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  \\u{202e}moc.x@a: methods-changed (\\u{1b}[31mOneWaySMS)\n"),
        "{stderr}"
    );
}
