//! The shipped sign-in samples (`samples/signins/`, written by scripts/make_samples.py): the
//! files are what the script writes, `signins` gives the answers samples/README.md works out by
//! hand, the CSV download and the JSON page of the same week agree, the French download agrees
//! with its English twin, and the README's sign-in session is what the binary prints.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::util::Dir;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `samples/signins/PREFIX*SUFFIX` as a shell expands it (sorted), relative to the crate.
fn glob(prefix: &str, suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("samples/signins"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .map(|n| format!("samples/signins/{n}"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no samples/signins/{prefix}*{suffix}");
    names
}

/// The whole week as the portal downloads it: both interactive files, the non-interactive
/// one, and their AuthDetails companions.
fn csv_week() -> Vec<String> {
    let mut files = glob("InteractiveSignIns_", ".csv");
    files.extend(glob("NonInteractiveSignIns_", ".csv"));
    assert_eq!(files.len(), 6, "{files:?}");
    files
}

const JSON_PAGE: &str = "samples/signins/graph-signins_2026-11-01_2026-11-08.json";
const FRENCH: &str = "samples/signins/fr/InteractiveSignIns_2026-11-01_2026-11-08.csv";

/// `signins FILES ARGS --json a.json -q` run from the crate's folder (the paths are relative
/// to it), expected to succeed; the JSON without `inputs`, which names the files.
fn answers(files: &[String], args: &[&str]) -> Value {
    let d = Dir::new();
    let json = d.path("a.json");
    let out = Command::new(crate::util::bin())
        .current_dir(root())
        .arg("signins")
        .args(files)
        .args(args)
        .arg("--json")
        .arg(&json)
        .arg("-q")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "signins {files:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut j: Value = serde_json::from_str(&fs::read_to_string(json).unwrap()).unwrap();
    j.as_object_mut().unwrap().remove("inputs");
    j
}

/// `j` without `keys` (those that differ between two readings by design).
fn without(mut j: Value, keys: &[&str]) -> Value {
    for k in keys {
        j.as_object_mut().unwrap().remove(*k);
    }
    j
}

#[test]
fn shipped_sign_in_samples_are_what_the_generator_writes() {
    let d = Dir::new();
    let script = root().join("scripts/make_samples.py");
    if let Err(e) = crate::util::run_python(&script, &[&d.path("")]) {
        panic!("{e}");
    }
    let mut checked = Vec::new();
    let mut folders = vec![PathBuf::from("signins")];
    while let Some(folder) = folders.pop() {
        for e in fs::read_dir(root().join("samples").join(&folder)).unwrap() {
            let e = e.unwrap();
            let rel = folder.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                folders.push(rel);
                continue;
            }
            let shipped = fs::read(e.path()).unwrap();
            let written = fs::read(d.path(rel.to_str().unwrap())).unwrap_or_else(|_| {
                panic!("the script no longer writes samples/{}", rel.display())
            });
            assert!(
                shipped == written,
                "samples/{} differs from what scripts/make_samples.py writes: run it again",
                rel.display()
            );
            checked.push(rel);
        }
    }
    // Both interactive downloads, the non-interactive one, their 3 companions, the JSON page
    // and the French download.
    assert_eq!(checked.len(), 8, "{checked:?}");
    assert_eq!(
        fs::read_to_string(root().join("samples/README.md")).unwrap(),
        d.read("README.md"),
        "samples/README.md is written by scripts/make_samples.py"
    );
}

/// The week as samples/README.md works it out. Interactive: 22 sign-ins in 26 rows (the 4 of
/// 4 November are in both downloads); non-interactive: 6. MFA is required away from the office:
/// 12 interactive sign-ins and 3 non-interactive token refreshes; the other 13 are
/// single-factor, among them patti's wrong password (50126, not an MFA denial).
/// Satisfied 12: app notification 4 (alex, lee, debra, grady), text message 1 (joni), the MFA
/// claim in the token 6 (3 interactive, 3 non-interactive; method "Previously satisfied" as
/// the AuthDetails step names it), FIDO2 alone 1 (megan, passwordless). Denied 1 (pradeep
/// declined, 500121; his only sign-in). Interrupted 2: lee 50074, allan 50079. Challenged
/// users: alex, adele, joni, allan, pradeep, lee, megan, debra, grady = 9.
#[test]
fn the_csv_week_gives_the_hand_worked_answers() {
    let d = Dir::new();
    let events = d.path("events.csv");
    let j = answers(
        &csv_week(),
        &[
            "--users",
            "samples/msonline-ps51.csv",
            "--events",
            events.to_str().unwrap(),
        ],
    );
    // The text message's number stays as the portal scrubbed it, neutralised in CSV outputs.
    let events = d.read("events.csv");
    let text_message = events.lines().find(|l| l.contains("Text message")).unwrap();
    assert!(text_message.contains("joni.sherman") && text_message.contains("'+X XXXXXXXX64"));
    assert_eq!(j["sign_ins"], 28, "{j}");
    assert_eq!(j["duplicate_request_ids"], 4);
    assert_eq!(
        j["challenged"],
        json!({"mfa_required": 15, "single_factor": 13, "requirement_not_in_log": 0})
    );
    assert_eq!(j["completed"]["satisfied"], 12);
    assert_eq!(
        j["completed"]["by_method"],
        json!({"Mobile app notification": 4, "Text message": 1, "Previously satisfied": 6,
               "FIDO2 security key": 1})
    );
    assert_eq!(
        j["completed"]["by_reason"],
        json!({"successfully completed": 5, "satisfied by claim in the token": 6,
               "completed by a passwordless method (multifactor in one step)": 1})
    );
    assert_eq!(
        j["failed"],
        json!({"denied": 1, "by_reason": {"user declined the authentication": 1}})
    );
    assert_eq!(
        j["interrupted"],
        json!({"sign_ins": 2, "users": 2, "by_error_code": {
            "50074 UserStrongAuthClientAuthNRequiredInterrupt": 1,
            "50079 UserStrongAuthEnrollmentRequired": 1}})
    );
    assert_eq!(j["users_challenged"], 9);
    assert_eq!(j["users_denied"], json!({"count": 1, "never_succeeded": 1}));
    assert_eq!(j["common_issues"][0]["group"], "user action");
    assert_eq!(j["common_issues"].as_array().unwrap().len(), 1);
    assert_eq!(j["unrecognised_results"], json!({}));
    assert_eq!(j["no_user"], 0);
    assert_eq!(j["warnings"], json!([]));
    // The kind comes from the portal's file names.
    assert_eq!(
        j["by_kind"],
        json!({
            "interactive": {"sign_ins": 22, "mfa_required": 12, "satisfied": 9, "denied": 1},
            "non_interactive": {"sign_ins": 6, "mfa_required": 3, "satisfied": 3, "denied": 0},
            "not_said": {"sign_ins": 0, "mfa_required": 0, "satisfied": 0, "denied": 0}
        })
    );
    // Success: the 12 satisfied sign-ins, all away from the office. Failure: the denial and
    // the two interruptions. Not applied: the 13 single-factor ones.
    assert_eq!(
        j["conditional_access"]["status"],
        json!({"success": 12, "failure": 3, "not_applied": 13, "not_in_log": 0,
               "unrecognised": {}})
    );
    assert_eq!(
        j["conditional_access"]["sign_ins_without_policy_details"],
        28
    );
    // With the user export: allan has no method; 25 registered users, 8 of them challenged
    // (alex, adele, joni, pradeep, lee, megan, debra, grady); kim.akers is not in the export.
    let reg = &j["registration"];
    assert_eq!(
        reg["challenged_unregistered"],
        json!(["allan.deyoung@contoso.com"])
    );
    assert_eq!(
        reg["registered_never_challenged"].as_array().unwrap().len(),
        17
    );
    assert_eq!(reg["not_in_export"], 1);
}

/// The Graph page holds the same 28 sign-ins with their steps: the six answers, the
/// interruptions, the kinds and the overall status are those of the CSV week. Only the page
/// has the policies: the enabled one enforced MFA on the 15 sign-ins away from the office
/// (12 success, 3 failure) of 9 users; the report-only one would have applied to 27 (12
/// success, 3 failure, and the 12 single-factor sign-ins in the office it would have stopped
/// for MFA) of 10 users (all but patti, whose wrong password ended the sign-in first).
#[test]
fn the_json_page_gives_the_same_answers_and_the_policies() {
    let csv = answers(&csv_week(), &[]);
    let page = answers(&[JSON_PAGE.to_string()], &[]);
    assert_eq!(page["duplicate_request_ids"], 0);
    assert_eq!(
        without(
            csv.clone(),
            &["duplicate_request_ids", "conditional_access"]
        ),
        without(
            page.clone(),
            &["duplicate_request_ids", "conditional_access"]
        )
    );
    assert_eq!(
        csv["conditional_access"]["status"],
        page["conditional_access"]["status"]
    );
    let ca = &page["conditional_access"];
    assert_eq!(ca["sign_ins_with_policy_details"], 28);
    assert_eq!(
        ca["mfa_enforced_by"],
        json!(["Require MFA outside the office network"])
    );
    assert_eq!(
        ca["mfa_report_only_in"],
        json!(["Report-only: require MFA everywhere"])
    );
    let policy = |name: &str| {
        ca["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["display_name"] == name)
            .unwrap_or_else(|| panic!("{name} in {ca}"))
            .clone()
    };
    let enforced = policy("Require MFA outside the office network");
    assert_eq!(enforced["enforced"], 15);
    assert_eq!(enforced["users_enforced"], 9);
    assert_eq!(enforced["report_only"], 0);
    assert_eq!(enforced["sign_ins"]["success"], 12);
    assert_eq!(enforced["sign_ins"]["failure"], 3);
    assert_eq!(enforced["sign_ins"]["notApplied"], 13);
    let report_only = policy("Report-only: require MFA everywhere");
    assert_eq!(
        report_only["enforced"], 0,
        "a report-only policy enforces nothing"
    );
    assert_eq!(report_only["report_only"], 27);
    assert_eq!(report_only["users_report_only"], 10);
    assert_eq!(report_only["sign_ins"]["reportOnlySuccess"], 12);
    assert_eq!(report_only["sign_ins"]["reportOnlyFailure"], 3);
    assert_eq!(report_only["sign_ins"]["reportOnlyInterrupted"], 12);
    assert_eq!(report_only["sign_ins"]["reportOnlyNotApplied"], 1);
}

/// The French download is the interactive week from the portal in French, with no
/// AuthDetails companion: it answers as the two English interactive downloads read without
/// theirs. Worked by hand: 22 sign-ins, 12 requiring MFA, 8 satisfied by the row's own result
/// (notification 4, text message 1, claim 3): megan's FIDO2 sign-in states no MFA result in
/// its row (its one step is primary), so only the steps show it satisfied (9 with them).
#[test]
fn the_french_download_answers_as_its_english_twin() {
    let english = answers(&glob("InteractiveSignIns_2026-", ".csv"), &[]);
    let french = answers(&[FRENCH.to_string()], &[]);
    assert_eq!(english["duplicate_request_ids"], 4);
    assert_eq!(french["duplicate_request_ids"], 0);
    assert_eq!(
        without(french.clone(), &["duplicate_request_ids"]),
        without(english, &["duplicate_request_ids"])
    );
    assert_eq!(french["sign_ins"], 22);
    assert_eq!(french["challenged"]["mfa_required"], 12);
    assert_eq!(french["completed"]["satisfied"], 8);
    assert_eq!(
        french["completed"]["by_reason"],
        json!({"successfully completed": 5, "satisfied by claim in the token": 3})
    );
    assert_eq!(french["failed"]["denied"], 1);
    assert_eq!(french["interrupted"]["sign_ins"], 2);
    assert_eq!(french["users_challenged"], 9);
    // With the AuthDetails companions the FIDO2 sign-in is satisfied too.
    let with_steps = answers(&glob("InteractiveSignIns_", ".csv"), &[]);
    assert_eq!(with_steps["completed"]["satisfied"], 9);
}

/// The commands of the README's sign-in session, each with the output the README shows.
fn readme_session() -> Vec<(String, Vec<String>)> {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("## A sign-in session")
        .expect("the sign-in session in the README");
    let block = &readme[start..];
    let block = &block[block.find("```console\n").unwrap() + 11..];
    let block = &block[..block.find("\n```").unwrap()];
    let mut session: Vec<(String, Vec<String>)> = Vec::new();
    for line in block.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => session.push((command.to_string(), Vec::new())),
            None => session
                .last_mut()
                .expect("the session starts with a command")
                .1
                .push(line.to_string()),
        }
    }
    for (_, shown) in &mut session {
        while shown.last().is_some_and(|l| l.is_empty()) {
            shown.pop();
        }
    }
    session
}

/// Whether `printed` is what the README `shows`: a line `...` stands for any lines, and a line
/// ending in `...` for any line that starts with the rest.
fn shown_matches(shown: &[String], printed: &[&str]) -> bool {
    match shown.split_first() {
        None => printed.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=printed.len()).any(|skip| shown_matches(rest, &printed[skip..]))
        }
        Some((first, rest)) => match printed.split_first() {
            None => false,
            Some((line, more)) => {
                let same = match first.strip_suffix("...") {
                    Some(prefix) => line.starts_with(prefix),
                    None => line == first,
                };
                same && shown_matches(rest, more)
            }
        },
    }
}

/// The README's sign-in session is what the tool prints today (its globs expanded as a
/// shell does, in a folder holding the samples).
#[test]
fn readme_sign_in_session_is_current() {
    let session = readme_session();
    assert_eq!(session.len(), 3, "{session:?}");
    let d = Dir::new();
    for (command, shown) in &session {
        let mut words = command.split_whitespace();
        assert_eq!(words.next(), Some("mfa-audit"), "{command}");
        let mut args = Vec::new();
        for word in words {
            match word
                .strip_prefix("samples/signins/")
                .and_then(|w| w.split_once('*'))
            {
                Some((prefix, suffix)) => args.extend(glob(prefix, suffix)),
                None => args.push(word.to_string()),
            }
        }
        // Inputs as typed, relative to the crate; outputs into the test's folder.
        let args: Vec<String> = args
            .into_iter()
            .map(
                |a| match !a.starts_with("samples/") && a.ends_with(".csv") {
                    true => d.path(&a).to_str().unwrap().to_string(),
                    false => a,
                },
            )
            .collect();
        let out = Command::new(crate::util::bin())
            .current_dir(root())
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}");
        let printed =
            String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
        let lines: Vec<&str> = printed.trim_end().lines().collect();
        assert!(
            shown_matches(shown, &lines),
            "update the README's sign-in session: `{command}` prints\n{printed}"
        );
    }
}

#[test]
fn the_session_matcher_skips_only_what_is_elided() {
    let s = |v: &[&str]| v.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    let cases: &[(&[&str], &[&str], bool)] = &[
        (&["a", "b"], &["a", "b"], true),
        (&["a", "b"], &["a", "c"], false),
        (&["a"], &["a", "b"], false),
        (&["a", "..."], &["a", "b", "c"], true),
        (&["...", "c"], &["a", "b", "c"], true),
        (&["...", "d"], &["a", "b", "c"], false),
        (&["long line ..."], &["long line and more"], true),
        (&["long line ..."], &["short"], false),
    ];
    for (shown, printed, expected) in cases {
        assert_eq!(
            shown_matches(&s(shown), printed),
            *expected,
            "{shown:?} {printed:?}"
        );
    }
}

/// The words of one shell command line as `sh` splits them: double quotes group, a `#` that
/// starts a word ends the line.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => words.extend(word.take()),
            '#' if !quoted && word.is_none() => break,
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    words
}

/// Every `mfa-audit` command of the `sh` blocks of docs/signins.md, continuation lines joined.
fn doc_commands() -> Vec<String> {
    let doc = fs::read_to_string(root().join("docs/signins.md")).unwrap();
    let mut commands = Vec::new();
    let mut rest = doc.as_str();
    while let Some(start) = rest.find("```sh\n") {
        let block = &rest[start + 6..];
        let end = block.find("\n```").unwrap();
        let mut pending = String::new();
        for line in block[..end].lines() {
            match line.strip_suffix('\\') {
                Some(part) => pending.push_str(part),
                None => {
                    pending.push_str(line);
                    if pending.trim_start().starts_with("mfa-audit ") {
                        commands.push(std::mem::take(&mut pending));
                    }
                    pending.clear();
                }
            }
        }
        rest = &block[end..];
    }
    commands
}

/// Every example of docs/signins.md runs (on the shipped samples, from a copy of them so the
/// outputs land in a temporary folder).
#[test]
fn every_example_in_the_signins_doc_runs() {
    let d = Dir::new();
    fs::create_dir_all(d.path("samples/signins/fr")).unwrap();
    for rel in csv_week()
        .into_iter()
        .chain([JSON_PAGE.to_string(), FRENCH.to_string()])
        .chain(["samples/msonline-ps51.csv".to_string()])
    {
        fs::copy(root().join(&rel), d.path(&rel)).unwrap();
    }
    let commands = doc_commands();
    assert!(commands.len() >= 10, "{commands:?}");
    for command in &commands {
        let mut args = Vec::new();
        for word in shell_words(command).into_iter().skip(1) {
            match word
                .strip_prefix("samples/signins/")
                .and_then(|w| w.split_once('*'))
            {
                Some((prefix, suffix)) => args.extend(glob(prefix, suffix)),
                None => args.push(word),
            }
        }
        d.cmd().args(&args).assert().success();
    }
    assert!(d.exists("mfa.json") && d.exists("policies.csv"));
}

#[test]
fn shell_words_split_as_sh_does() {
    let cases: &[(&str, &[&str])] = &[
        ("mfa-audit explain oath", &["mfa-audit", "explain", "oath"]),
        (
            "mfa-audit explain \"MFA denied; user\"   # a comment",
            &["mfa-audit", "explain", "MFA denied; user"],
        ),
        ("a  b#c", &["a", "b#c"]),
        ("a \"\"", &["a", ""]),
    ];
    for (line, words) in cases {
        assert_eq!(shell_words(line), *words, "{line}");
    }
}
