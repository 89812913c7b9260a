//! The GitHub Action (`action.yml`): its run script with the built binary, as the runner
//! would start it (inputs as `INPUT_*` variables, `GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`,
//! `GITHUB_ACTIONS`, `RUNNER_TEMP` set), and what lands in each file; and action.yml and its
//! scripts agreeing on every variable between them.
//!
//! The script runs under bash, which GitHub's runners have on every system (Git Bash on
//! Windows); the tests that run it start the system's bash, which only Unix has for certain,
//! so they are `#[cfg(unix)]`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::{bin, Dir};

mod metadata;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The step outputs in a `$GITHUB_OUTPUT` file, read as GitHub's runner reads it: a line
/// `name=value`, or `name<<DELIMITER`, the value's lines, and a line that is the delimiter.
/// A repeated name is refused here (the runner keeps the last; a test must not hide one).
fn parse_outputs(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut lines = text.split('\n');
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        let heredoc = line.find("<<");
        let equals = line.find('=');
        let (name, value) = match (heredoc, equals) {
            (Some(h), e) if e.is_none_or(|e| h < e) => {
                let delimiter = &line[h + 2..];
                assert!(!delimiter.is_empty(), "empty delimiter: {line:?}");
                let mut value = Vec::new();
                loop {
                    let l = lines
                        .next()
                        .unwrap_or_else(|| panic!("no end for {line:?} in {text:?}"));
                    if l == delimiter {
                        break;
                    }
                    value.push(l);
                }
                (&line[..h], value.join("\n"))
            }
            (_, Some(e)) => (&line[..e], line[e + 1..].to_owned()),
            _ => panic!("not an output line: {line:?} in {text:?}"),
        };
        assert!(
            out.insert(name.to_owned(), value).is_none(),
            "{name} set twice in {text:?}"
        );
    }
    out
}

/// One run of `scripts/action/run.sh` in `d` with the inputs given (names as action.yml's
/// `env:` has them), the runner's files in `d/runner/`.
fn run_action(d: &Dir, inputs: &[(&str, &str)]) -> Output {
    let runner = d.path("runner");
    fs::create_dir_all(runner.join("temp")).unwrap();
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("scripts/action/run.sh"))
        .current_dir(d.path(""))
        .env("MFA_AUDIT_BIN", bin())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_OUTPUT", runner.join("output"))
        .env("GITHUB_STEP_SUMMARY", runner.join("summary.md"))
        .env("RUNNER_TEMP", runner.join("temp"));
    for (k, _) in std::env::vars() {
        if k.starts_with("INPUT_") {
            cmd.env_remove(k);
        }
    }
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn runner_file(d: &Dir, name: &str) -> String {
    fs::read_to_string(d.path("runner").join(name)).unwrap_or_default()
}

/// A shipped sample copied under a name with spaces in a folder with spaces.
fn sample_with_spaces(d: &Dir) -> &'static str {
    fs::create_dir_all(d.path("tenant exports")).unwrap();
    fs::copy(
        root().join("samples/msonline-ps51.csv"),
        d.path("tenant exports/users 2026-11.csv"),
    )
    .unwrap();
    "tenant exports/users 2026-11.csv"
}

// Unix only: the script is started with the system's bash (see the module comment).
#[cfg(unix)]
#[test]
fn action_sets_outputs_summary_and_passes_inputs_as_data() {
    let d = Dir::new();
    let input = sample_with_spaces(&d);
    // Odd but newline-free names: quotes, `$`, `;`, `&`, a leading `-`, Unicode.
    let json = "-odd 'name' $HOME; & \"q\" é.json";
    let html = "\"; touch pwned-html; echo \".html";
    let out = run_action(
        &d,
        &[
            ("INPUT_FILES", &format!("\n  {input}  \r\n\n")),
            ("INPUT_REPORT", "out dir report.csv"),
            ("INPUT_JSON", json),
            ("INPUT_HTML", html),
            ("INPUT_JUNIT", "$(touch pwned-junit).xml"),
            // A pattern is data too: as a regex it is valid and matches nobody.
            (
                "INPUT_REQUIRE",
                "$(touch pwned-require)\n`touch pwned-tick`",
            ),
            ("INPUT_FAIL_UNDER", "50"),
            ("INPUT_FAIL_ON_UNKNOWN", "false"),
            ("INPUT_REQUIRE_ADMINS", "FALSE"),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let files = d.files();
    assert!(
        files
            .iter()
            .all(|f| !f.contains("pwned") || f == html || f.starts_with("$(touch")),
        "an input was run as a command: {files:?}"
    );
    for name in ["out dir report.csv", json, html, "$(touch pwned-junit).xml"] {
        assert!(d.exists(name), "{name} not written: {files:?}");
    }

    // The outputs parse, paths in the heredoc form, and agree with the JSON summary.
    let text = runner_file(&d, "output");
    assert!(text.contains("json<<ghadelimiter_"), "{text}");
    let outputs = parse_outputs(&text);
    let summary: Value = serde_json::from_str(&d.read(json)).unwrap();
    // The sample: 25 registered, 14 unregistered, 7 blocked, 2 unknown (samples/README.md);
    // coverage 25 / 39 = 64.1%, above the 50 asked for.
    assert_eq!(summary["coverage_percent"], 64.1);
    assert_eq!(outputs["coverage"], summary["coverage_percent"].to_string());
    assert_eq!(outputs["passed"], "true");
    for (name, want) in [
        ("registered", "25"),
        ("unregistered", "14"),
        ("blocked", "7"),
        ("unknown", "2"),
        ("excepted", "0"),
    ] {
        assert_eq!(outputs[name], want, "{name}");
        assert_eq!(summary[name].to_string(), want, "{name}");
    }
    assert_eq!(outputs["report"], "out dir report.csv");
    assert_eq!(outputs["json"], json);
    assert_eq!(outputs["html"], html);
    assert_eq!(outputs["junit"], "$(touch pwned-junit).xml");
    let names: Vec<&str> = outputs.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "blocked",
            "coverage",
            "excepted",
            "html",
            "json",
            "junit",
            "passed",
            "registered",
            "report",
            "unknown",
            "unregistered"
        ]
    );
    // Both patterns reached the gate as patterns (the JSON names every gate asked for).
    let gates = summary["gates"].to_string();
    assert!(gates.contains("$(touch pwned-require)"), "{gates}");
    assert!(gates.contains("`touch pwned-tick`"), "{gates}");

    let md = runner_file(&d, "summary.md");
    assert!(md.contains("**Coverage:** 64.1%"), "{md}");
    assert!(md.contains("| Unregistered | 14 |"), "{md}");
}

// Unix only: the script is started with the system's bash (see the module comment).
#[cfg(unix)]
#[test]
fn action_fails_the_step_when_a_gate_fails() {
    let d = Dir::new();
    let input = sample_with_spaces(&d);
    let out = run_action(
        &d,
        &[
            ("INPUT_FILES", input),
            ("INPUT_REPORT", "MFA_Report.csv"),
            // 64.1% < 90%: the gate fails, outputs are still written.
            ("INPUT_FAIL_UNDER", "90"),
            ("INPUT_MAX_UNREGISTERED", "20"),
            // The lists' paths are outputs too, apart from the counts of the same buckets.
            (
                "INPUT_EXTRA_ARGS",
                "--registered\nreg list.csv\n--unregistered=todo.csv",
            ),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let outputs = parse_outputs(&runner_file(&d, "output"));
    assert_eq!(outputs["passed"], "false");
    assert_eq!(outputs["coverage"], "64.1");
    assert_eq!(outputs["report"], "MFA_Report.csv");
    assert_eq!(outputs["registered"], "25");
    assert_eq!(outputs["registered-list"], "reg list.csv");
    assert_eq!(outputs["unregistered"], "14");
    assert_eq!(outputs["unregistered-list"], "todo.csv");
    assert!(d
        .read("reg list.csv")
        .starts_with("\"UserPrincipalName\"\r\n"));
    assert!(!outputs.contains_key("json"));
    // The annotation reaches the log: the runner reads it on standard output.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::error title=mfa-audit gate fail-under::coverage 64.1%25"),
        "{stdout}"
    );
    assert!(runner_file(&d, "summary.md").contains("| `fail-under` | ❌ fail |"));
}

// Unix only: the script is started with the system's bash (see the module comment).
#[cfg(unix)]
#[test]
fn action_refuses_bad_inputs_with_exit_2_and_sets_nothing() {
    let d = Dir::new();
    let input = sample_with_spaces(&d);
    for (inputs, message) in [
        (
            vec![("INPUT_FILES", " \n \n")],
            "input files: no file to audit",
        ),
        (
            vec![
                ("INPUT_FILES", input),
                ("INPUT_FAIL_ON_UNKNOWN", "yes\n::error::x"),
            ],
            "input fail-on-unknown: \"yes\\n::error::x\" is neither true nor false",
        ),
        (
            vec![("INPUT_FILES", input), ("INPUT_FAIL_UNDER", "ninety")],
            "--fail-under",
        ),
        (
            vec![("INPUT_FILES", "missing.csv")],
            "cannot open missing.csv",
        ),
    ] {
        let out = run_action(&d, &inputs);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{inputs:?}: {stderr}");
        assert!(stderr.contains(message), "{inputs:?}: {stderr}");
        assert!(
            !stderr.lines().any(|l| l.starts_with("::")),
            "no workflow command from data: {stderr}"
        );
        assert_eq!(runner_file(&d, "output"), "", "{inputs:?}");
    }
}

#[test]
fn github_output_without_the_variable_is_refused() {
    let d = Dir::new();
    fs::copy(
        root().join("samples/msonline-ps51.csv"),
        d.path("users.csv"),
    )
    .unwrap();
    d.cmd()
        .args(["audit", "users.csv", "--github-output", "-q"])
        .env_remove("GITHUB_OUTPUT")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--github-output: $GITHUB_OUTPUT is not set",
        ));
    assert!(!d.exists("MFA_Report.csv"), "nothing written");
}

/// A release as release.yml lays it out, served by a stand-in `curl` on PATH that copies
/// from `d/release/` and logs each address asked for: the install step of the action with
/// `version` set to a tag.
#[cfg(unix)]
fn install_release(d: &Dir, tamper: bool) -> Output {
    let asset = "mfa-audit-v0.1.0-x86_64-unknown-linux-musl.tar.gz";
    let folder = d.path("build/mfa-audit-v0.1.0-x86_64-unknown-linux-musl");
    fs::create_dir_all(&folder).unwrap();
    // A stand-in binary (the real one is large to pack): what install.sh runs to check it.
    fs::write(
        folder.join("mfa-audit"),
        "#!/bin/sh\necho \"mfa-audit 0.1.0\"\n",
    )
    .unwrap();
    fs::create_dir_all(d.path("release")).unwrap();
    fs::create_dir_all(d.path("fakebin")).unwrap();
    fs::create_dir_all(d.path("runner/temp")).unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -e; tar -czf release/{asset} -C build mfa-audit-v0.1.0-x86_64-unknown-linux-musl
             cd release && sha256sum {asset} > SHA256SUMS"
        ))
        .current_dir(d.path(""))
        .status()
        .unwrap();
    assert!(status.success());
    if tamper {
        // The archive changes after its sum was written: what a corrupted or replaced
        // download looks like.
        let mut bytes = fs::read(d.path("release").join(asset)).unwrap();
        bytes.extend_from_slice(b"tampered");
        fs::write(d.path("release").join(asset), bytes).unwrap();
    }
    d.write(
        "fakebin/curl",
        "#!/usr/bin/env bash\nout= url=\nwhile [ $# -gt 0 ]; do case $1 in -o) out=$2; shift 2 ;; \
         --retry) shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done\n\
         echo \"$url\" >> \"$CURL_LOG\"\ncp \"$RELEASE_DIR/${url##*/}\" \"$out\"\n",
    );
    Command::new("chmod")
        .args(["+x", "fakebin/curl"])
        .current_dir(d.path(""))
        .status()
        .unwrap();
    let path = format!(
        "{}:{}",
        d.path("fakebin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .arg(root().join("scripts/action/install.sh"))
        .current_dir(d.path(""))
        .env("PATH", path)
        .env("CURL_LOG", d.path("curl.log"))
        .env("RELEASE_DIR", d.path("release"))
        .env("INPUT_VERSION", "0.1.0")
        .env("INPUT_RELEASE_REPOSITORY", "your-org/mfa-audit")
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", d.path("runner/temp"))
        .env("GITHUB_OUTPUT", d.path("runner/output"))
        .env("GITHUB_SERVER_URL", "https://github.com")
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn action_installs_a_release_only_when_its_checksum_matches() {
    let d = Dir::new();
    let out = install_release(&d, false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // "0.1.0" is the tag v0.1.0; the archive and the sums come from that release.
    assert_eq!(
        d.read("curl.log"),
        "https://github.com/your-org/mfa-audit/releases/download/v0.1.0/\
         mfa-audit-v0.1.0-x86_64-unknown-linux-musl.tar.gz\n\
         https://github.com/your-org/mfa-audit/releases/download/v0.1.0/SHA256SUMS\n"
    );
    let installed = d.path("runner/temp/mfa-audit/bin/mfa-audit");
    assert_eq!(
        runner_file(&d, "output"),
        format!("bin={}\n", installed.display())
    );
    // The sum was checked, then the binary ran.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("mfa-audit-v0.1.0-x86_64-unknown-linux-musl.tar.gz: OK\n"),
        "{stdout}"
    );
    assert!(stdout.ends_with("\nmfa-audit 0.1.0\n"), "{stdout}");

    let d = Dir::new();
    let out = install_release(&d, true);
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout, "mfa-audit-v0.1.0-x86_64-unknown-linux-musl.tar.gz: FAILED\n",
        "sha256sum names the archive that failed, and nothing ran"
    );
    assert_eq!(runner_file(&d, "output"), "", "no binary is handed on");
    assert!(!d.path("runner/temp/mfa-audit/bin/mfa-audit").exists());
}
