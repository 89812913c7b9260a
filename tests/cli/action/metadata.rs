//! action.yml read as the runner would read its metadata, against the scripts it runs: every
//! input reaches a script, every variable a script reads is set by its step and no other,
//! every output is one the binary writes, and no `${{ }}` expression lands in a script's text.
//! Also `--version`, which the release and the action print to say what they run.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::process::Command;

use super::root;

/// The `env:` names of each step of action.yml, by the script the step runs, and the
/// top-level `inputs:` / `outputs:` names. Read line by line: action.yml is written in the
/// plain block style this expects, and anything else fails here rather than passing.
struct ActionFile {
    inputs: BTreeSet<String>,
    outputs: BTreeSet<String>,
    /// Script path (relative to the action) -> the environment variables its step sets.
    steps: BTreeMap<String, BTreeSet<String>>,
    /// Every `${{ inputs.NAME }}` used.
    used_inputs: BTreeSet<String>,
    /// Every `${{ steps.audit.outputs.NAME }}` used.
    used_outputs: BTreeSet<String>,
}

fn read_action() -> ActionFile {
    let text = fs::read_to_string(root().join("action.yml")).unwrap();
    let mut file = ActionFile {
        inputs: BTreeSet::new(),
        outputs: BTreeSet::new(),
        steps: BTreeMap::new(),
        used_inputs: BTreeSet::new(),
        used_outputs: BTreeSet::new(),
    };
    let (mut section, mut in_env) = (String::new(), false);
    let mut env = BTreeSet::new();
    for line in text.lines() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        for (marker, into) in [
            ("${{ inputs.", &mut file.used_inputs),
            ("${{ steps.audit.outputs.", &mut file.used_outputs),
        ] {
            for part in body.split(marker).skip(1) {
                let name = part.split(" }}").next().unwrap();
                into.insert(name.to_owned());
            }
        }
        if indent == 0 {
            section = body.trim_end_matches(':').to_owned();
            continue;
        }
        let key = body.split(':').next().unwrap().trim_start_matches("- ");
        match section.as_str() {
            "inputs" if indent == 2 => {
                file.inputs.insert(key.to_owned());
            }
            "outputs" if indent == 2 => {
                file.outputs.insert(key.to_owned());
            }
            "runs" => {
                if body.starts_with("- ") {
                    in_env = false;
                    env = BTreeSet::new();
                }
                if key == "env" {
                    in_env = true;
                } else if key == "run" {
                    in_env = false;
                    let script = body
                        .split("$GITHUB_ACTION_PATH/")
                        .nth(1)
                        .expect("each step runs a script of the action")
                        .trim_end_matches('"');
                    file.steps
                        .insert(script.to_owned(), std::mem::take(&mut env));
                } else if in_env && indent >= 8 {
                    env.insert(key.to_owned());
                }
            }
            _ => {}
        }
    }
    file
}

/// The environment variables a script reads (`$NAME` or `${NAME...}`), less those the runner
/// sets for every step.
fn variables_read(script: &str) -> BTreeSet<String> {
    const RUNNER: [&str; 7] = [
        "GITHUB_ACTION_PATH",
        "GITHUB_OUTPUT",
        "GITHUB_SERVER_URL",
        "RUNNER_ARCH",
        "RUNNER_OS",
        "RUNNER_TEMP",
        "PATH",
    ];
    let text = fs::read_to_string(root().join(script)).unwrap();
    let mut names = BTreeSet::new();
    for part in text.split('$').skip(1) {
        let part = part.strip_prefix('{').unwrap_or(part);
        let name: String = part
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        if name.len() > 1 && !RUNNER.contains(&name.as_str()) {
            names.insert(name);
        }
    }
    names
}

#[test]
fn action_yml_and_its_scripts_agree() {
    let action = read_action();
    assert_eq!(action.inputs, action.used_inputs, "inputs declared vs used");
    assert_eq!(
        action.outputs, action.used_outputs,
        "outputs declared vs mapped"
    );
    let scripts: Vec<&String> = action.steps.keys().collect();
    assert_eq!(
        scripts,
        ["scripts/action/install.sh", "scripts/action/run.sh"]
    );
    for (script, env) in &action.steps {
        assert_eq!(
            &variables_read(script),
            env,
            "{script}: read vs set in action.yml"
        );
    }
    // Every input reaches a script as INPUT_ + its name in capitals, `-` as `_`.
    let all_env: BTreeSet<String> = action.steps.values().flatten().cloned().collect();
    for input in &action.inputs {
        let var = format!("INPUT_{}", input.to_uppercase().replace('-', "_"));
        assert!(all_env.contains(&var), "{input}: no {var} in action.yml");
    }
    // The outputs the action maps are the ones the binary writes (see the run above).
    let written: BTreeSet<String> = [
        "coverage",
        "passed",
        "registered",
        "unregistered",
        "blocked",
        "unknown",
        "excepted",
        "report",
        "json",
        "html",
        "junit",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(action.outputs, written);
    // No input is interpolated into a script's text (the script-injection hole): `${{` may
    // appear only as the value of an `env:` entry or an output's `value:`.
    let text = fs::read_to_string(root().join("action.yml")).unwrap();
    for line in text.lines().filter(|l| l.contains("${{")) {
        let key = line.trim_start().split(':').next().unwrap();
        assert!(
            key == "value" || key.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
            "an expression outside env: {line:?}"
        );
    }
}

/// `--version` names the package version and, built from a git checkout, the commit; the
/// reports and the manual page keep the package version alone (they are compared byte for
/// byte across builds of one release).
#[test]
fn version_names_the_commit_when_built_from_git() {
    let out = crate::mfa().arg("--version").output().unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8(out.stdout).unwrap();
    let package = format!("mfa-audit {}", env!("CARGO_PKG_VERSION"));
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(root())
        .output();
    match head {
        // The binary was built (by this `cargo test`) from the commit checked out now.
        Ok(o) if o.status.success() => {
            let commit = String::from_utf8(o.stdout).unwrap().trim().to_owned();
            assert_eq!(shown, format!("{package} (commit {commit})\n"));
        }
        Ok(_) => assert_eq!(shown, format!("{package}\n")),
        // No git to ask (the Windows tests run under Wine): the form is checked, not the commit.
        Err(_) => {
            let commit = shown
                .strip_prefix(&format!("{package} (commit "))
                .and_then(|rest| rest.strip_suffix(")\n"));
            assert!(
                shown == format!("{package}\n")
                    || commit
                        .is_some_and(|c| c.len() == 12 && c.bytes().all(|b| b.is_ascii_hexdigit())),
                "{shown:?}"
            );
        }
    }
    let man = crate::mfa().arg("man").output().unwrap();
    let man = String::from_utf8(man.stdout).unwrap();
    assert!(man.contains(&format!("\"{package}\"")), "{man}");
    assert!(!man.contains("(commit "), "{man}");
}
