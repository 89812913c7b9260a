//! `mfa-audit audit`: the main job. MFA_Report.csv, the registered / unregistered / excepted
//! lists, the JSON summary, the CI outputs (JUnit, GitHub step summary) and the human summary,
//! all committed only when the whole run succeeded; then the gates decide the exit code.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::audit::classify::{Bucket, StrengthClass, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::gates::GateOptions;
use crate::audit::run::{self, in_report, EngineOptions, Sink};
use crate::audit::vocab::NameStyle;
use crate::cli::args::{AuditArgs, GateArgs, Newline};
use crate::read::schema::Role;
use crate::read::Location;
use crate::report::ci;
use crate::report::commit::{Commit, Output};
use crate::report::csv::CsvStyle;
use crate::report::destinations::check_destinations;
use crate::report::html::{HtmlInput, HtmlRow};
use crate::report::mfa_report::{Column, ReportWriter, UpnList};
use crate::report::summary::{self, JsonSummary};
use crate::report::table::{self, Table, TableFormat, Value};

/// The audit's outputs while they are being written.
struct AuditSink {
    report: ReportWriter,
    registered: Option<UpnList>,
    unregistered: Option<UpnList>,
    excepted: Option<(Box<dyn Table>, u64)>,
    /// Unregistered users (not excepted), for the JUnit report.
    unregistered_upns: Option<Vec<String>>,
    /// Every distinct user, for the HTML report.
    html_rows: Option<Vec<HtmlRow>>,
    include_blocked: bool,
}

impl Sink for AuditSink {
    fn accept(
        &mut self,
        v: &Verdict,
        at: Location<'_>,
        exception: Option<&Exception>,
    ) -> Result<()> {
        if in_report(v, self.include_blocked) {
            self.report.write(v, &at, exception)?;
        }
        if let Some(rows) = &mut self.html_rows {
            rows.push(html_row(v, exception.is_some()));
        }
        if let Some(e) = exception {
            if let Some((table, rows)) = &mut self.excepted {
                let expires = e.expires.map(|d| d.to_string()).unwrap_or_default();
                for cell in [v.upn, &e.reason, &expires, &e.owner, &e.target] {
                    table.cell(Value::Text(cell))?;
                }
                table.end_row()?;
                *rows += 1;
            }
            return Ok(());
        }
        let list = match v.bucket {
            Bucket::Registered => self.registered.as_mut(),
            Bucket::Unregistered => {
                if let Some(upns) = &mut self.unregistered_upns {
                    upns.push(v.upn.to_owned());
                }
                self.unregistered.as_mut()
            }
            _ => None,
        };
        if let Some(list) = list {
            list.write(v.upn)?;
        }
        Ok(())
    }
}

/// Headers of the `--excepted` list.
const EXCEPTED_HEADERS: [&str; 5] = [
    "UserPrincipalName",
    "Reason",
    "Expires",
    "Owner",
    "Exception",
];

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    // First, so that a Ctrl-C at any point after it leaves no temporary file behind.
    run::install_interrupt_handler();
    let (specs, mut read) = super::inputs(&args.input)?;
    let columns = args.columns.0.clone();
    read.ignore[Role::DisplayName.index()] =
        !columns.contains(&Column::DisplayName) && args.html.is_none();
    read.ignore[Role::DefaultMethod.index()] = !columns.contains(&Column::DefaultMethod);
    read.hash = args.html.is_some();
    let mut destinations = vec![("--output", args.output.as_str())];
    for (flag, path) in [
        ("--registered", &args.registered),
        ("--unregistered", &args.unregistered),
        ("--excepted", &args.excepted),
        ("--json", &args.json),
        ("--junit", &args.junit),
        ("--html", &args.html),
    ] {
        if let Some(p) = path {
            destinations.push((flag, p.as_str()));
        }
    }
    let summary_path = ci::step_summary_path().filter(|_| args.github_summary);
    let summary_name = summary_path
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    if let Some(p) = &summary_name {
        destinations.push(("GITHUB_STEP_SUMMARY", p.as_str()));
    }
    check_destinations(&destinations, &super::all_inputs(&args.input))?;

    let style = CsvStyle {
        bom: args.bom,
        crlf: args.newline == Newline::Crlf,
        sanitize: !args.no_sanitize,
    };
    // Each output's format follows its own path (the report's can be forced with --format).
    let open = |path: &str, format: Option<TableFormat>, sheet: &str, headers: &[&str]| {
        let format = TableFormat::for_path(path, format);
        table::create(Output::create(path)?, format, style, sheet, headers)
    };
    let list = |path: &Option<String>| -> Result<Option<UpnList>> {
        path.as_deref()
            .map(|p| Ok(UpnList::new(open(p, None, "Users", &UpnList::HEADERS)?)))
            .transpose()
    };
    let report = open(
        &args.output,
        args.format,
        "MFA_Report",
        &ReportWriter::headers(&columns),
    )?;
    let excepted = args
        .excepted
        .as_deref()
        .map(|p| Ok::<_, anyhow::Error>((open(p, None, "Excepted", &EXCEPTED_HEADERS)?, 0)))
        .transpose()?;
    let mut sink = AuditSink {
        report: ReportWriter::new(report, columns, &args.method_separator, args.method_names),
        registered: list(&args.registered)?,
        unregistered: list(&args.unregistered)?,
        excepted,
        unregistered_upns: args.junit.as_ref().map(|_| Vec::new()),
        html_rows: args.html.as_ref().map(|_| Vec::new()),
        include_blocked: args.include_blocked,
    };
    let json = args.json.as_deref().map(Output::create).transpose()?;
    let junit = args.junit.as_deref().map(Output::create).transpose()?;
    let html = args.html.as_deref().map(Output::create).transpose()?;

    let options = EngineOptions {
        include_blocked: args.include_blocked,
        gates: gate_options(&args.gates)?,
        ..super::engine_options(&args.input.read, read, !args.quiet)?
    };
    let mut outcome = run::run(&specs, &options, &mut sink)?;
    warn_missing_columns(&sink, &mut outcome)?;

    // Everything is written: flush, then make the outputs visible.
    let generated_at = args.timestamp.then(ci::now_rfc3339);
    let doc = JsonSummary::new(&outcome.tally, &outcome.warnings, &outcome.inputs)
        .with_gates(&outcome.gates, generated_at);
    sink.report.summary(&doc)?;
    let report_rows = sink.report.rows;
    let report = sink.report.finish()?;
    let report_name = report.describe();
    let mut wrote = vec![format!(
        "{report_name} ({})",
        crate::numbers::users(report_rows)
    )];
    let mut finished = vec![report];
    for list in [sink.registered, sink.unregistered].into_iter().flatten() {
        let rows = list.rows;
        let out = list.finish()?;
        wrote.push(format!(
            "{} ({})",
            out.describe(),
            crate::numbers::users(rows)
        ));
        finished.push(out);
    }
    if let Some((table, rows)) = sink.excepted {
        let out = table.finish()?;
        wrote.push(format!(
            "{} ({})",
            out.describe(),
            crate::numbers::users(rows)
        ));
        finished.push(out);
    }
    if let Some(mut html) = html {
        let inputs: Vec<HtmlInput> = outcome
            .inputs
            .iter()
            .map(|i| HtmlInput {
                description: format!(
                    "{}: {} ({})",
                    i.path,
                    crate::numbers::users(i.rows),
                    i.describe()
                ),
                sha256: i.sha256.clone(),
            })
            .collect();
        let command: Vec<String> = std::env::args().collect();
        let rows = sink.html_rows.take().unwrap_or_default();
        let page = crate::report::html::render(&doc, &inputs, &rows, &command.join(" "));
        html.write_all(page.as_bytes())
            .with_context(|| format!("cannot write {}", html.describe()))?;
        wrote.push(html.describe());
        finished.push(html);
    }
    if let Some(mut junit) = junit {
        let upns = sink.unregistered_upns.unwrap_or_default();
        ci::write_junit(&mut junit, &outcome.gates, &upns)?;
        wrote.push(junit.describe());
        finished.push(junit);
    }
    if let Some(mut json) = json {
        serde_json::to_writer_pretty(&mut json, &doc).context("cannot write the JSON summary")?;
        json.write_all(b"\n")?;
        wrote.push(json.describe());
        finished.push(json);
    }
    let mut commit = Commit::new();
    for out in finished {
        commit.add(out);
    }
    if args.github_summary {
        ci::github_summary(&outcome.tally, &outcome.gates, &mut commit);
    }
    commit.commit()?;

    if !args.quiet {
        let mut text = summary::human(
            &outcome.tally,
            &outcome.warnings,
            &outcome.inputs,
            args.include_blocked,
        );
        text.push_str(&summary::human_gates(&outcome.gates));
        text.push_str(&format!(
            "\nWrote {}\n",
            crate::terminal::text(&wrote.join(", "))
        ));
        // Data is escaped before the colours are added, so only ours reach the terminal.
        eprint!(
            "{}",
            summary::paint(&crate::terminal::layout(&text), summary::colour_wanted())
        );
    }
    if args.github_summary {
        ci::github_annotations(&outcome.gates)?;
    }
    let failed = outcome.gates.iter().any(|g| !g.passed);
    Ok(if failed {
        ExitCode::from(crate::error::EXIT_GATE)
    } else {
        ExitCode::SUCCESS
    })
}

/// A user as the HTML report's table shows them.
fn html_row(v: &Verdict, excepted: bool) -> HtmlRow {
    let mut methods = String::new();
    crate::report::mfa_report::methods_text(v, ", ", NameStyle::AsWritten, &mut methods);
    HtmlRow {
        upn: v.upn.to_owned(),
        bucket: if excepted {
            "excepted"
        } else {
            v.bucket.name()
        },
        status: v.status.as_str().to_owned(),
        methods,
        name: v.display_name.unwrap_or("").to_owned(),
        strength: v.strength.map_or("", StrengthClass::name).to_owned(),
    }
}

/// The gates asked for on the command line.
fn gate_options(args: &GateArgs) -> Result<GateOptions> {
    if let Some(p) = args.fail_under {
        if !(0.0..=100.0).contains(&p) {
            anyhow::bail!("--fail-under: {p} is not a percentage from 0 to 100");
        }
    }
    Ok(GateOptions {
        fail_under: args.fail_under,
        max_unregistered: args.max_unregistered,
        fail_on_unknown: args.fail_on_unknown,
        require: args.require.clone(),
        require_admins: args.require_admins,
        fail_on_phone_only: args.fail_on_phone_only,
    })
}

/// Report columns asked for that no input can fill.
fn warn_missing_columns(sink: &AuditSink, outcome: &mut run::Outcome) -> Result<()> {
    for (col, key) in [
        (Column::DisplayName, "display-name"),
        (Column::DefaultMethod, "default-method"),
    ] {
        if sink.report.columns().contains(&col)
            && outcome.inputs.iter().all(|i| !i.columns.contains_key(key))
        {
            outcome.warnings.push(format!(
                "--columns {key}: no input has such a column, so the {:?} column is empty",
                col.header()
            ))?;
        }
    }
    Ok(())
}
