//! Outputs for CI systems: a JUnit XML report (one test case per gate and per unregistered
//! user, so failures show natively in GitHub, Azure Pipelines and GitLab), and GitHub Actions'
//! step summary, annotations and step outputs. Data is escaped for each medium by
//! [`super::escape`]: XML for JUnit, Markdown for the step summary, workflow-command escaping
//! for the annotations, the `$GITHUB_OUTPUT` file's own form for the step outputs.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};

use super::commit::Commit;
use super::escape::{
    github_output as output_line, markdown, markdown_code, workflow_data, workflow_property,
    xml_attr, xml_text, OutputValue,
};
use crate::audit::gates::GateResult;
use crate::audit::tally::{Count, Tally};
use crate::dates::Day;
use crate::numbers::thousands;

/// Writes the JUnit report: a "gates" suite, and a "registration" suite with one case per
/// unregistered user who is not excepted (each a failure).
pub fn write_junit(
    out: &mut dyn Write,
    gates: &[GateResult],
    unregistered: &[String],
) -> Result<()> {
    let mut s = String::new();
    let gate_failures = gates.iter().filter(|g| !g.passed).count();
    let total = gates.len() + unregistered.len();
    let failures = gate_failures + unregistered.len();
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        s,
        r#"<testsuites name="mfa-audit" tests="{total}" failures="{failures}" errors="0">"#
    );
    let _ = writeln!(
        s,
        r#"  <testsuite name="gates" tests="{}" failures="{gate_failures}" errors="0" skipped="0">"#,
        gates.len()
    );
    for g in gates {
        let _ = write!(
            s,
            r#"    <testcase classname="mfa-audit.gates" name="{}""#,
            xml_attr(&g.name)
        );
        if g.passed {
            let _ = writeln!(s, "/>");
        } else {
            let _ = writeln!(
                s,
                ">\n      <failure message=\"{}\" type=\"gate\">{}</failure>\n    </testcase>",
                xml_attr(&g.summary),
                xml_text(&g.users.join("\n"))
            );
        }
    }
    let _ = writeln!(s, "  </testsuite>");
    let _ = writeln!(
        s,
        r#"  <testsuite name="registration" tests="{0}" failures="{0}" errors="0" skipped="0">"#,
        unregistered.len()
    );
    for upn in unregistered {
        let _ = writeln!(
            s,
            "    <testcase classname=\"mfa-audit.registration\" name=\"{0}\">\n      <failure \
             message=\"{0} can sign in without any MFA method registered\" type=\"unregistered\"/>\n    \
             </testcase>",
            xml_attr(upn)
        );
    }
    let _ = writeln!(s, "  </testsuite>\n</testsuites>");
    out.write_all(s.as_bytes())
        .context("cannot write the JUnit report")
}

/// The file GitHub Actions collects step summaries in (`$GITHUB_STEP_SUMMARY`), when set.
pub fn step_summary_path() -> Option<PathBuf> {
    std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Adds the Markdown summary to the run's commit, appended to `$GITHUB_STEP_SUMMARY` (when
/// set) together with the other outputs. Gate names and details carry data (UPNs, `--require`
/// patterns): they are escaped as Markdown, so they make no markup.
pub fn github_summary(tally: &Tally, gates: &[GateResult], commit: &mut Commit) {
    let mut md = String::new();
    let _ = writeln!(md, "### MFA audit\n\n| bucket | users |\n|---|---:|");
    for c in Count::SHOWN {
        let _ = writeln!(md, "| {} | {} |", c.label(), thousands(tally.count(c)));
    }
    let coverage = tally
        .coverage_percent()
        .map_or("n/a".to_owned(), |p| format!("{p}%"));
    let _ = writeln!(md, "\n**Coverage:** {coverage}");
    if !gates.is_empty() {
        let _ = writeln!(md, "\n| gate | result | detail |\n|---|---|---|");
        for g in gates {
            let result = if g.passed { "✅ pass" } else { "❌ fail" };
            let _ = writeln!(
                md,
                "| {} | {result} | {} |",
                markdown_code(&g.name),
                markdown(&g.summary)
            );
        }
    }
    if let Some(path) = step_summary_path() {
        commit.append(&path, md.into_bytes());
    }
}

/// The file GitHub Actions reads a step's outputs from (`$GITHUB_OUTPUT`), when set.
pub fn step_output_path() -> Option<PathBuf> {
    std::env::var_os("GITHUB_OUTPUT")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// The numbers a run gives its step outputs, as the JSON summary gives them.
pub struct StepOutputs<'a> {
    pub tally: &'a Tally,
    /// `coverage_percent` of the JSON summary; `None` when nobody could sign in.
    pub coverage_percent: Option<f64>,
    /// Every gate passed (`passed` of the JSON summary).
    pub passed: bool,
    /// The files written, by output name (`report`, `json`, ...), as the command line named
    /// them; standard output is not a path and is left out.
    pub paths: &'a [(&'static str, String)],
}

/// Adds the step outputs to the run's commit, appended to `path` (`$GITHUB_OUTPUT`) with the
/// other outputs: a failed run sets none. `coverage` is the JSON summary's number written the
/// same way (`64.1`, `100.0`), and empty when it is not measurable (nobody who can sign in):
/// an empty output is false in a workflow's `if:`, and no number is made up for it.
pub fn github_output(step: &StepOutputs<'_>, path: &std::path::Path, commit: &mut Commit) {
    let mut random = random_hex;
    let mut text = String::new();
    let coverage = step
        .coverage_percent
        .and_then(|p| serde_json::to_string(&p).ok())
        .unwrap_or_default();
    let mut word = |name: &str, value: &str| {
        text.push_str(&output_line(name, OutputValue::Word(value), &mut random));
    };
    word("coverage", &coverage);
    word("passed", if step.passed { "true" } else { "false" });
    for (name, count) in [
        ("registered", Count::Registered),
        ("unregistered", Count::Unregistered),
        ("blocked", Count::Blocked),
        ("unknown", Count::Unknown),
        ("excepted", Count::Excepted),
    ] {
        word(name, &step.tally.count(count).to_string());
    }
    for (name, path) in step.paths {
        text.push_str(&output_line(name, OutputValue::Text(path), &mut random));
    }
    commit.append(path, text.into_bytes());
}

/// 128 random bits as hex, for a heredoc delimiter: the standard library's hasher keys come
/// from the system's random source, new for each hasher, so no dependency is needed for it.
pub(crate) fn random_hex() -> String {
    use std::hash::{BuildHasher, Hasher};
    let part = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.finish()
    };
    format!("{:016x}{:016x}", part(), part())
}

/// Prints an `::error::` annotation per failed gate on standard output, where the runner
/// reads them.
pub fn github_annotations(gates: &[GateResult]) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    for g in gates.iter().filter(|g| !g.passed) {
        // Annotations are one line; the runner decodes %0A as a line break.
        writeln!(
            stdout,
            "::error title={}::{}",
            workflow_property(&format!("mfa-audit gate {}", g.name)),
            workflow_data(&g.summary)
        )?;
    }
    Ok(())
}

/// The current time, UTC, as `2026-11-23T19:05:00Z`.
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = Day::from_unix_days((secs / 86_400) as i64);
    let t = secs % 86_400;
    format!("{day}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn junit_escapes_and_counts() {
        let gates = vec![
            GateResult {
                name: "fail-under".into(),
                threshold: json!(90),
                actual: json!(50),
                passed: false,
                users: vec![],
                summary: "coverage 50% < 90% & \"more\"".into(),
            },
            GateResult {
                name: "max-unregistered".into(),
                threshold: json!(5),
                actual: json!(1),
                passed: true,
                users: vec![],
                summary: String::new(),
            },
        ];
        let mut out = Vec::new();
        write_junit(&mut out, &gates, &["o'brien@x.com".into()]).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(r#"<testsuites name="mfa-audit" tests="3" failures="2" errors="0">"#));
        assert!(text.contains("coverage 50% &lt; 90% &amp; &quot;more&quot;"));
        assert!(text.contains(r#"name="o&#39;brien@x.com""#));
    }
}
