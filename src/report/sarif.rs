//! `--sarif PATH`: the controls as SARIF 2.1.0 for code-scanning dashboards. One rule per
//! control; one result per control that does not pass: level `error` for `fail`, `warning`
//! for `not assessable` (an auditor must act on it, and dashboards hide `note` by default);
//! no result for a pass. Each result points at the rows of the users it is about (`file`,
//! and the line in a text file), at most [`LOCATIONS_CAP`] of them: a 100,000-user failure
//! would otherwise make a file dashboards refuse. The message says how many were left out.

use std::path::Path;

use serde_json::{json, Value};

use crate::audit::controls::{ControlOutcome, Outcome, UserNote};
use crate::phone::mask_phones;

/// Locations per result.
pub const LOCATIONS_CAP: usize = 1_000;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log.
pub fn document(controls: &[ControlOutcome]) -> Value {
    let rules: Vec<Value> = controls.iter().map(rule).collect();
    let results: Vec<Value> = controls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.result != Outcome::Pass)
        .map(|(i, c)| result(i, c))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mfa-audit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

fn rule(c: &ControlOutcome) -> Value {
    let b = c.control.benchmark;
    json!({
        "id": c.control.code,
        "name": format!("{} {}", short(b), c.control.code),
        "shortDescription": {"text": c.control.title},
        "helpUri": c.control.help_uri,
        "properties": {"benchmark": b.name(), "benchmarkVersion": b.version()},
    })
}

fn short(b: crate::audit::controls::Benchmark) -> &'static str {
    match b {
        crate::audit::controls::Benchmark::Cis => "CIS",
        crate::audit::controls::Benchmark::Scuba => "SCuBA",
    }
}

fn result(index: usize, c: &ControlOutcome) -> Value {
    let (level, named) = match c.result {
        Outcome::Fail => ("error", &c.failing_users),
        _ => ("warning", &c.unknown_users),
    };
    let with_place: Vec<&UserNote> = named.users.iter().filter(|u| u.place.file != "-").collect();
    let locations: Vec<Value> = with_place
        .iter()
        .take(LOCATIONS_CAP)
        .map(|u| location(u))
        .collect();
    let left_out = named.left_out + (named.users.len() - locations.len()) as u64;
    let mut text = format!(
        "{} {}: {}",
        c.control.code,
        c.result.label(),
        mask_phones(&c.reason)
    );
    if left_out > 0 {
        text.push_str(&format!(
            " ({left_out} more users not listed as locations here; --controls lists them)"
        ));
    }
    let mut r = json!({
        "ruleId": c.control.code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
    });
    if !locations.is_empty() {
        r["locations"] = Value::Array(locations);
    }
    r
}

fn location(u: &UserNote) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri(&u.place.file)}});
    if let Some(line) = u.place.line {
        physical["region"] = json!({"startLine": line});
    }
    json!({
        "physicalLocation": physical,
        "message": {"text": format!("{}: {}", u.upn, mask_phones(&u.why))},
    })
}

/// The input's path as a URI reference relative to the working directory (as dashboards
/// resolve them against the checkout), or a `file:` URI when it lies elsewhere.
pub fn uri(path: &str) -> String {
    let p = Path::new(path);
    let relative = if p.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        Some(p.to_path_buf())
    };
    match relative {
        Some(r) => encode(&r.to_string_lossy().replace('\\', "/")),
        None => {
            let s = path.replace('\\', "/");
            let s = if s.starts_with('/') {
                s
            } else {
                format!("/{s}")
            };
            format!("file://{}", encode(&s))
        }
    }
}

/// Percent-encodes what a URI path may not hold as is.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uri_references() {
        for (path, want) in [
            ("exports/users.csv", "exports/users.csv"),
            ("my exports\\users 1.csv", "my%20exports/users%201.csv"),
            ("r\u{e9}sum\u{e9}.csv", "r%C3%A9sum%C3%A9.csv"),
        ] {
            assert_eq!(uri(path), want);
        }
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("a.csv");
        assert_eq!(uri(&inside.to_string_lossy()), "a.csv");
        assert!(uri("/elsewhere/x y.csv").starts_with("file:///"));
    }
}
