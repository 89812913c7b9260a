//! `--controls PATH`: the benchmark controls as JSON (docs/outputs.md, docs/controls.md), and
//! the HTML report's "Controls" section. Free text that came from the inputs (an exception's
//! reason, policy and group names in a "why") goes through `phone::mask_phones` first: a
//! phone number typed into a reason must not reach a file an auditor passes on.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::audit::controls::{Benchmark, ControlOutcome, Named, Outcome};
use crate::phone::mask_phones;
use crate::report::escape::html as esc;

/// The JSON document.
pub fn document(controls: &[ControlOutcome]) -> Value {
    let benchmarks: Vec<Value> = Benchmark::ALL
        .iter()
        .map(|b| json!({"name": b.name(), "version": b.version(), "uri": b.uri()}))
        .collect();
    let list: Vec<Value> = controls.iter().map(control).collect();
    json!({"benchmarks": benchmarks, "controls": list})
}

fn control(c: &ControlOutcome) -> Value {
    let missing: Vec<Value> = c
        .missing
        .iter()
        .map(|m| json!({"input": m.key(), "how": m.how()}))
        .collect();
    json!({
        "id": c.control.code,
        "benchmark": c.control.benchmark.name(),
        "benchmark_version": c.control.benchmark.version(),
        "title": c.control.title,
        "help_uri": c.control.help_uri,
        "result": c.result.label(),
        "reason": mask_phones(&c.reason),
        "missing_inputs": missing,
        "evidence": {
            "in_scope": c.in_scope,
            "passing": c.passing,
            "failing": c.failing,
            "unknown": c.unknown,
            "excepted": c.excepted,
        },
        "failing_users": users(&c.failing_users, "why"),
        "failing_users_left_out": c.failing_users.left_out,
        "unknown_users": users(&c.unknown_users, "why"),
        "unknown_users_left_out": c.unknown_users.left_out,
        "excepted_users": users(&c.excepted_users, "reason"),
        "excepted_users_left_out": c.excepted_users.left_out,
    })
}

fn users(named: &Named, why_key: &str) -> Value {
    named
        .users
        .iter()
        .map(|u| {
            let mut o = serde_json::Map::new();
            o.insert("upn".into(), json!(u.upn));
            o.insert("file".into(), json!(u.place.file));
            o.insert("line".into(), json!(u.place.line));
            o.insert("place".into(), json!(u.place.text));
            o.insert(why_key.into(), json!(mask_phones(&u.why)));
            Value::Object(o)
        })
        .collect()
}

/// Users shown per list in the HTML report; the JSON has the rest.
const HTML_USERS: usize = 50;

/// The "Controls" section of the HTML report.
pub fn html(controls: &[ControlOutcome]) -> String {
    let mut h = String::from(
        "<section aria-labelledby=\"controls-h\"><h2 id=\"controls-h\">Controls</h2><p>",
    );
    let versions: Vec<String> = Benchmark::ALL
        .iter()
        .map(|b| format!("{} {}", esc(b.name()), esc(b.version())))
        .collect();
    let _ = write!(
        h,
        "{}. A control that the files cannot decide is <em>not assessable</em>, never a pass \
         (docs/controls.md).</p><table><thead><tr><th scope=\"col\">Control</th>\
         <th scope=\"col\">Title</th><th scope=\"col\">Result</th><th scope=\"col\">In scope</th>\
         <th scope=\"col\">Failing</th><th scope=\"col\">Unknown</th><th scope=\"col\">Excepted</th>\
         <th scope=\"col\">Why</th></tr></thead><tbody>",
        versions.join("; ")
    );
    for c in controls {
        let class = match c.result {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotAssessable => "warn",
        };
        let _ = write!(
            h,
            "<tr class=\"{class}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}{}</td></tr>",
            esc(c.control.code),
            esc(c.control.title),
            esc(c.result.label()),
            c.in_scope,
            c.failing,
            c.unknown,
            c.excepted,
            esc(&mask_phones(&c.reason)),
            user_list(c),
        );
    }
    h.push_str("</tbody></table></section>");
    h
}

/// The first users of each list, in a collapsed block.
fn user_list(c: &ControlOutcome) -> String {
    let mut h = String::new();
    for (label, named) in [
        ("failing", &c.failing_users),
        ("unknown", &c.unknown_users),
        ("excepted", &c.excepted_users),
    ] {
        if named.users.is_empty() {
            continue;
        }
        let total = named.users.len() as u64 + named.left_out;
        let _ = write!(h, "<details><summary>{total} {label}</summary><ul>");
        for u in named.users.iter().take(HTML_USERS) {
            let _ = write!(
                h,
                "<li>{} ({}): {}</li>",
                esc(&u.upn),
                esc(&u.place.text),
                esc(&mask_phones(&u.why))
            );
        }
        let shown = named.users.len().min(HTML_USERS) as u64;
        if total > shown {
            let _ = write!(h, "<li>and {} more (see --controls)</li>", total - shown);
        }
        h.push_str("</ul></details>");
    }
    h
}
