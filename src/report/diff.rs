//! The outputs of `mfa-audit diff`: the changes as a table (CSV or workbook), as JSON, as an
//! HTML page, and the human summary.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use serde::Serialize;

use crate::audit::diff::{Change, ChangeKind, Snapshot};
use crate::report::commit::Output;
use crate::report::csv::CsvStyle;
use crate::report::html;
use crate::report::table::{self, TableFormat, Value};

/// What the outputs say about one diff.
pub struct DiffOutcome<'a> {
    /// The two inputs as named on the command line.
    pub names: [&'a str; 2],
    pub changes: &'a [Change],
    pub counts: &'a BTreeMap<&'static str, u64>,
    /// Someone lost registration or their MFA Status went down.
    pub regression: bool,
    /// `--fail-on-regression` and a regression.
    pub failed: bool,
}

const HEADERS: [&str; 4] = ["UserPrincipalName", "Change", "Before", "After"];

/// The changes as a table at `path` (CSV, or a workbook for .xlsx), not yet committed.
pub fn table(path: &str, d: &DiffOutcome<'_>) -> Result<Output> {
    let format = TableFormat::for_path(path, None);
    let mut t = table::create(
        Output::create(path)?,
        format,
        CsvStyle::default(),
        "Changes",
        &HEADERS,
    )?;
    for c in d.changes {
        for cell in [c.upn.as_str(), c.change.name(), &c.before, &c.after] {
            t.cell(Value::Text(cell))?;
        }
        t.end_row()?;
    }
    t.finish()
}

#[derive(Serialize)]
pub struct DiffJson<'a> {
    version: &'static str,
    before: &'a str,
    after: &'a str,
    counts: BTreeMap<&'static str, u64>,
    regression: bool,
    passed: bool,
    changes: &'a [Change],
}

/// The changes and their counts as JSON at `path`, not yet committed.
pub fn json(path: &str, d: &DiffOutcome<'_>) -> Result<Output> {
    let doc = DiffJson {
        version: env!("CARGO_PKG_VERSION"),
        before: d.names[0],
        after: d.names[1],
        counts: d.counts.clone(),
        regression: d.regression,
        passed: !d.failed,
        changes: d.changes,
    };
    crate::report::json_output(path, &doc)
}

/// The changes as a self-contained page at `path`, not yet committed.
pub fn html(path: &str, d: &DiffOutcome<'_>) -> Result<Output> {
    let counted: Vec<(String, u64)> = ChangeKind::ALL
        .iter()
        .filter_map(|k| d.counts.get(k.name()).map(|n| (k.name().to_string(), *n)))
        .collect();
    let rows: Vec<Vec<String>> = d
        .changes
        .iter()
        .map(|c| {
            vec![
                c.upn.clone(),
                c.change.name().to_owned(),
                c.before.clone(),
                c.after.clone(),
            ]
        })
        .collect();
    let sections = vec![
        (
            "Changes by kind".to_owned(),
            html::bars("Changes", &counted, "bar"),
        ),
        ("Every change".to_owned(), html::table(&HEADERS, &rows)),
    ];
    let lead = format!(
        "{} changes from {} to {}{}",
        d.changes.len(),
        d.names[0],
        d.names[1],
        if d.regression {
            " (someone lost registration or MFA Status went down)"
        } else {
            ""
        }
    );
    let command = html::this_command_line();
    let mut out = Output::create(path)?;
    out.write_all(html::simple_page("MFA audit: changes", &lead, &sections, &command).as_bytes())?;
    Ok(out)
}

/// Changes listed by name in the human summary, at most.
const SHOWN: usize = 50;

/// The human summary on standard error.
pub fn human(
    names: [&str; 2],
    sides: &[Snapshot],
    changes: &[Change],
    counts: &BTreeMap<&'static str, u64>,
    warnings: u64,
    failed: bool,
) -> String {
    use crate::terminal::text;
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({} users) -> {} ({} users): {} changes",
        text(names[0]),
        sides[0].users.len(),
        text(names[1]),
        sides[1].users.len(),
        changes.len()
    );
    for kind in ChangeKind::ALL.map(ChangeKind::name) {
        if let Some(n) = counts.get(kind) {
            let _ = writeln!(s, "  {kind:<22}{n:>8}");
        }
    }
    for c in changes.iter().take(SHOWN) {
        let arrow = match (c.before.is_empty(), c.after.is_empty()) {
            (true, _) => c.after.clone(),
            (_, true) => c.before.clone(),
            _ => format!("{} -> {}", c.before, c.after),
        };
        let _ = writeln!(
            s,
            "  {}: {} ({})",
            text(&c.upn),
            c.change.name(),
            text(&arrow)
        );
    }
    if changes.len() > SHOWN {
        let _ = writeln!(
            s,
            "  ... and {} more (all are in -o and --json)",
            changes.len() - SHOWN
        );
    }
    if warnings > 0 {
        let _ = writeln!(
            s,
            "{warnings} warnings while reading (run audit on each side to see them)"
        );
    }
    if failed {
        let _ = writeln!(s, "FAILED --fail-on-regression: someone lost registration or MFA Status went down (exit code 1)");
    }
    s
}
