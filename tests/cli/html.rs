//! The HTML report in a real browser: headless Chromium renders the file, the DOM holds the
//! expected counts, the search filters the table, and text from the input stays text.
//!
//! Needs `chromium` (Debian's package; `.ci/run` installs it and sets MFA_AUDIT_BROWSER_TEST=1,
//! which makes a missing browser a failure). Without it, only the file itself is checked.

use std::process::Command as StdCommand;

use super::{crlf, Dir};

fn browser() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            StdCommand::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The DOM after the page's script ran, for `url`.
fn dump_dom(d: &Dir, browser: &str, url: &str) -> String {
    let out = StdCommand::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", d.path("profile").display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn html_report_renders_counts_search_and_escaped_text() {
    let d = Dir::new();
    d.write(
        "u.csv",
        crlf(&[
            "UserPrincipalName,DisplayName,BlockCredential,StrongAuthenticationMethods",
            "ann@x.com,Ann,False,PhoneAppNotification",
            "bob@x.com,<script>alert('x')</script>,False,",
            "cy@x.com,Cy,True,OneWaySMS",
        ]),
    );
    d.cmd()
        .args([
            "audit",
            "u.csv",
            "-q",
            "--html",
            "report.html",
            "--fail-under",
            "90",
        ])
        .assert()
        .code(1);
    let html = d.read("report.html");
    // Self-contained: nothing to fetch.
    for needle in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert!(html.contains("default-src 'none'"));
    assert!(!html.contains("<script>alert"), "input text is escaped");
    assert!(html.contains("<dd id=\"count-registered\">1</dd>"));
    assert!(html.contains("fail-under"));
    // The input's SHA-256 is shown.
    let sha = {
        use sha2::Digest;
        format!(
            "{:x}",
            sha2::Sha256::digest(std::fs::read(d.path("u.csv")).unwrap())
        )
    };
    assert!(html.contains(&sha));

    let Some(browser) = browser() else {
        assert!(
            std::env::var_os("MFA_AUDIT_BROWSER_TEST").is_none(),
            "MFA_AUDIT_BROWSER_TEST is set but no Chromium was found"
        );
        eprintln!("no Chromium here: the browser part of this test did not run");
        return;
    };
    let url = format!("file://{}", d.path("report.html").display());
    let dom = dump_dom(&d, browser, &url);
    assert!(dom.contains("id=\"count-unregistered\">1<"), "{dom}");
    assert!(dom.contains("3 of 3 users, page 1 of 1"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
        "rendered as text"
    );
    // The search (given in the address) filters the table.
    let dom = dump_dom(&d, browser, &format!("{url}#q=bob"));
    assert!(dom.contains("1 of 3 users"), "{dom}");
    assert!(dom.contains("<td>bob@x.com</td>"));
    assert!(!dom.contains("<td>ann@x.com</td>"));
    let dom = dump_dom(&d, browser, &format!("{url}#bucket=blocked"));
    assert!(
        dom.contains("1 of 3 users") && dom.contains("<td>cy@x.com</td>"),
        "{dom}"
    );
}
