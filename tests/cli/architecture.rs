//! The layer rule, checked on the source itself: `read < audit < signins < report < cli`, each
//! layer importing only from the layers below it, plus leaf modules at the top of `src/` that
//! import no layer; and no import cycle between the modules of one layer.
//! docs/ARCHITECTURE.md explains the rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const LAYERS: [&str; 5] = ["read", "audit", "signins", "report", "cli"];

/// One source file: its path relative to `src/`, and its text.
struct Source {
    path: String,
    text: String,
}

fn layer_rank(name: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == name)
}

/// The code of a file without comments (doc links are not imports) and string literals.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut in_string = false;
        let mut escaped = false;
        for c in code.chars() {
            if in_string {
                match (escaped, c) {
                    (false, '\\') => escaped = true,
                    (false, '"') => in_string = false,
                    _ => escaped = false,
                }
                continue;
            }
            if c == '"' {
                in_string = true;
                continue;
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// Every `crate::a::b` path a file names, as its first two segments (`a`, `b` or "").
/// `crate::{x, y::z}` groups count as `crate::x`, `crate::y::z`.
fn crate_paths(code: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // e.g. `mfa_audit_crate::`
        }
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let mut segs = item.trim().split("::").map(ident);
                let first = segs.next().unwrap_or_default();
                if !first.is_empty() {
                    out.insert((first, segs.next().unwrap_or_default()));
                }
            }
            continue;
        }
        let mut segs = rest.split("::").map(ident);
        let first = segs.next().unwrap_or_default();
        if !first.is_empty() {
            out.insert((first, segs.next().unwrap_or_default()));
        }
    }
    out
}

/// The identifier at the start of `s`.
fn ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The module a file is, as (top, second): `read/csv/mod.rs` -> (`read`, `csv`),
/// `audit/gates.rs` -> (`audit`, `gates`), `error.rs` -> (`error`, "").
fn module_of(path: &str) -> (String, String) {
    let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
    let second = match parts.get(1) {
        Some(&"mod") | None => String::new(),
        Some(s) => s.to_string(),
    };
    (parts[0].to_owned(), second)
}

/// The rule's violations in `files`, one message each.
fn violations(files: &[Source]) -> Vec<String> {
    let mut bad = Vec::new();
    // Module-level edges inside each layer, for the cycle check.
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let (top, second) = module_of(&f.path);
        if top == "lib" || top == "main" {
            continue;
        }
        let own = layer_rank(&top);
        for (first, next) in crate_paths(&code_only(&f.text)) {
            match (own, layer_rank(&first)) {
                // A leaf module names no layer.
                (None, Some(_)) => bad.push(format!("{}: leaf module uses crate::{first}", f.path)),
                (Some(me), Some(them)) if them > me => bad.push(format!(
                    "{}: {top} uses crate::{first}, a layer above it",
                    f.path
                )),
                // Same layer: a module-to-module edge.
                (Some(_), Some(_))
                    if first == top && !second.is_empty() && !next.is_empty() && next != second =>
                {
                    edges
                        .entry(format!("{top}::{second}"))
                        .or_default()
                        .insert(format!("{top}::{next}"));
                }
                _ => {}
            }
        }
    }
    // No cycle between the modules of one layer (a summary that needs the gates that need the
    // summary is how layers rot).
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if next == start {
                    bad.push(format!("import cycle: {} -> {start}", path.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    bad.sort();
    bad.dedup();
    bad
}

fn sources(dir: &Path, root: &Path, out: &mut Vec<Source>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(Source {
                path: p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                text: fs::read_to_string(&p).unwrap(),
            });
        }
    }
}

#[test]
fn layers_import_only_downward() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &root, &mut files);
    for layer in LAYERS {
        assert!(
            files
                .iter()
                .any(|f| f.path.starts_with(&format!("{layer}/"))),
            "src/{layer}/ is missing"
        );
    }
    let bad = violations(&files);
    assert!(
        bad.is_empty(),
        "imports that break the layer rule (see docs/ARCHITECTURE.md):\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn the_checker_finds_what_it_must() {
    let src = |path: &str, text: &str| Source {
        path: path.into(),
        text: text.into(),
    };
    let files = [
        src("read/mod.rs", "use crate::audit::classify::Row;\n"),
        src(
            "read/csv/mod.rs",
            "use crate::{warnings::Warnings, report::x};\n",
        ),
        src(
            "audit/run.rs",
            "use crate::read::open; // crate::cli in a comment\n",
        ),
        src("audit/gates.rs", "use crate::audit::tally::Tally;\n"),
        src("audit/tally.rs", "use crate::audit::gates::GateResult;\n"),
        src(
            "report/html.rs",
            "let s = \"crate::cli\"; use crate::audit::tally;\n",
        ),
        src("numbers.rs", "use crate::read::InputInfo;\n"),
        src("cli/mod.rs", "use crate::report::commit;\n"),
    ];
    assert_eq!(
        violations(&files),
        [
            "import cycle: audit::gates -> audit::tally -> audit::gates",
            "import cycle: audit::tally -> audit::gates -> audit::tally",
            "numbers.rs: leaf module uses crate::read",
            "read/csv/mod.rs: read uses crate::report, a layer above it",
            "read/mod.rs: read uses crate::audit, a layer above it",
        ]
    );
}
