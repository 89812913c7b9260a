//! The outputs of `mfa-audit audit`: MFA_Report.csv (or .xlsx), the registered / unregistered /
//! excepted lists, the JSON summary, the HTML and JUnit reports and the GitHub step summary.
//! They are written while the audit runs (this is the audit's [`Sink`]) and all committed
//! together once it has succeeded ([`AuditOutputs::commit`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::audit::classify::{Bucket, StrengthClass, Verdict};
use crate::audit::enforcement::Decision;
use crate::audit::exceptions::Exception;
use crate::audit::phone_end::Allowance;
use crate::audit::run::{in_report, Outcome, Sink};
use crate::audit::vocab::NameStyle;
use crate::numbers::users;
use crate::read::Location;
use crate::report::ci;
use crate::report::commit::{Commit, Output};
use crate::report::csv::CsvStyle;
use crate::report::html::{HtmlInput, HtmlRow};
use crate::report::mfa_report::{Column, ReportWriter, UpnList};
use crate::report::summary::{self, JsonSummary};
use crate::report::table::{self, Table, TableFormat, Value};

/// What to write, and where: the audit's output flags, checked.
pub struct AuditPlan<'a> {
    /// The report (`-o`; `-` is standard output).
    pub output: &'a str,
    /// The report's format when its extension should not decide (`--format`).
    pub format: Option<TableFormat>,
    pub registered: Option<&'a str>,
    pub unregistered: Option<&'a str>,
    pub excepted: Option<&'a str>,
    /// `--phone-only`: users who rely on SMS and voice alone.
    pub phone_only: Option<&'a str>,
    /// `--policies` was given: the `--phone-only` list gets the methods policy's columns.
    pub policies: bool,
    pub json: Option<&'a str>,
    pub junit: Option<&'a str>,
    pub html: Option<&'a str>,
    /// `--controls`: the benchmark controls as JSON.
    pub controls: Option<&'a str>,
    /// `--sarif`: the same controls as SARIF 2.1.0.
    pub sarif: Option<&'a str>,
    /// Append to `$GITHUB_STEP_SUMMARY` (`--github-summary`).
    pub github_summary: bool,
    /// Append step outputs to this file (`--github-output`: `$GITHUB_OUTPUT`).
    pub github_output: Option<&'a Path>,
    pub columns: Vec<Column>,
    pub method_separator: &'a str,
    pub method_names: NameStyle,
    pub style: CsvStyle,
    pub include_blocked: bool,
    /// Add the time of the run to the JSON summary (`--timestamp`).
    pub timestamp: bool,
}

/// The audit's outputs while they are being written.
pub struct AuditOutputs {
    report: ReportWriter,
    registered: Option<UpnList>,
    unregistered: Option<UpnList>,
    excepted: Option<(Box<dyn Table>, u64)>,
    /// `--phone-only`, its rows, and whether it has the policy columns.
    phone_only: Option<(Box<dyn Table>, u64, bool)>,
    /// Unregistered users (not excepted), for the JUnit report.
    unregistered_upns: Option<Vec<String>>,
    /// Every distinct user, for the HTML report.
    html_rows: Option<Vec<HtmlRow>>,
    json: Option<Output>,
    junit: Option<Output>,
    html: Option<Output>,
    controls: Option<Output>,
    sarif: Option<Output>,
    include_blocked: bool,
    github_summary: bool,
    /// `--github-output`: the file, and the paths written by output name.
    github_output: Option<(PathBuf, Vec<(&'static str, String)>)>,
    timestamp: bool,
}

impl Sink for AuditOutputs {
    fn phone_only(&mut self, v: &Verdict, allowance: Option<&Allowance>) -> Result<()> {
        let Some((table, rows, policy_columns)) = &mut self.phone_only else {
            return Ok(());
        };
        // Methods only, as the input named them: no phone number is ever written here.
        let mut methods = String::new();
        crate::report::mfa_report::methods_text(v, ", ", NameStyle::AsWritten, &mut methods);
        for cell in [v.upn, v.display_name.unwrap_or(""), &methods] {
            table.cell(Value::Text(cell))?;
        }
        if *policy_columns {
            let (sms, voice) = match allowance {
                Some(a) => (a.sms.text(), a.voice.text()),
                None => {
                    let none = "cannot tell: no authentication methods policy in --policies";
                    (none.to_owned(), none.to_owned())
                }
            };
            table.cell(Value::Text(&sms))?;
            table.cell(Value::Text(&voice))?;
        }
        table.end_row()?;
        *rows += 1;
        Ok(())
    }

    fn accept(
        &mut self,
        v: &Verdict,
        at: Location<'_>,
        exception: Option<&Exception>,
    ) -> Result<()> {
        self.accept_decided(v, at, exception, None)
    }

    fn accept_decided(
        &mut self,
        v: &Verdict,
        at: Location<'_>,
        exception: Option<&Exception>,
        decision: Option<&Decision>,
    ) -> Result<()> {
        if in_report(v, self.include_blocked) {
            self.report.write(v, &at, exception, decision)?;
        }
        if let Some(rows) = &mut self.html_rows {
            rows.push(html_row(v, exception.is_some()));
        }
        if let Some(e) = exception {
            if let Some((table, rows)) = &mut self.excepted {
                let expires = e.expires.map(|d| d.to_string()).unwrap_or_default();
                let target = e.target.to_string();
                for cell in [v.upn, &e.reason, &expires, &e.owner, &target] {
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

/// Headers of the `--phone-only` list; the last two only with `--policies`.
const PHONE_ONLY_HEADERS: [&str; 5] = [
    "UserPrincipalName",
    "DisplayName",
    "Methods",
    "SMS Allowed By Policy",
    "Voice Allowed By Policy",
];

impl AuditOutputs {
    /// Creates every output of the plan (temporary files, nothing visible yet).
    pub fn create(plan: &AuditPlan<'_>) -> Result<AuditOutputs> {
        let style = plan.style;
        // Each output's format follows its own path (the report's can be forced).
        let open = |path: &str, format: Option<TableFormat>, sheet: &str, headers: &[&str]| {
            let format = TableFormat::for_path(path, format);
            table::create(Output::create(path)?, format, style, sheet, headers)
        };
        let list = |path: Option<&str>| -> Result<Option<UpnList>> {
            path.map(|p| Ok(UpnList::new(open(p, None, "Users", &UpnList::HEADERS)?)))
                .transpose()
        };
        let report = open(
            plan.output,
            plan.format,
            "MFA_Report",
            &ReportWriter::headers(&plan.columns),
        )?;
        let excepted = plan
            .excepted
            .map(|p| Ok::<_, anyhow::Error>((open(p, None, "Excepted", &EXCEPTED_HEADERS)?, 0)))
            .transpose()?;
        let phone_headers = &PHONE_ONLY_HEADERS[..if plan.policies { 5 } else { 3 }];
        let phone_only = plan
            .phone_only
            .map(|p| {
                Ok::<_, anyhow::Error>((
                    open(p, None, "PhoneOnly", phone_headers)?,
                    0,
                    plan.policies,
                ))
            })
            .transpose()?;
        Ok(AuditOutputs {
            report: ReportWriter::new(
                report,
                plan.columns.clone(),
                plan.method_separator,
                plan.method_names,
            ),
            registered: list(plan.registered)?,
            unregistered: list(plan.unregistered)?,
            excepted,
            phone_only,
            unregistered_upns: plan.junit.map(|_| Vec::new()),
            html_rows: plan.html.map(|_| Vec::new()),
            json: plan.json.map(Output::create).transpose()?,
            junit: plan.junit.map(Output::create).transpose()?,
            html: plan.html.map(Output::create).transpose()?,
            controls: plan.controls.map(Output::create).transpose()?,
            sarif: plan.sarif.map(Output::create).transpose()?,
            include_blocked: plan.include_blocked,
            github_summary: plan.github_summary,
            github_output: plan
                .github_output
                .map(|p| (p.to_path_buf(), step_paths(plan))),
            timestamp: plan.timestamp,
        })
    }

    /// Warns about report columns asked for that no input can fill.
    pub fn warn_missing_columns(&self, outcome: &mut Outcome) -> Result<()> {
        for (col, key) in [
            (Column::DisplayName, "display-name"),
            (Column::DefaultMethod, "default-method"),
        ] {
            if self.report.columns().contains(&col)
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

    /// Writes what needs the whole run (summaries, HTML, JUnit), then commits every output
    /// together. Returns what was written, for the human summary.
    pub fn commit(mut self, outcome: &Outcome) -> Result<Vec<String>> {
        let generated_at = self.timestamp.then(ci::now_rfc3339);
        let doc = JsonSummary::new(&outcome.tally, &outcome.warnings, &outcome.inputs)
            .with_gates(&outcome.gates, generated_at)
            .with_enforcement(outcome.enforced.as_ref())
            .with_phone_end(&outcome.phone_end);
        self.report.summary(&doc)?;
        let report_rows = self.report.rows;
        let report = self.report.finish()?;
        let mut wrote = vec![format!("{} ({})", report.describe(), users(report_rows))];
        let mut finished = vec![report];
        for list in [self.registered, self.unregistered].into_iter().flatten() {
            let rows = list.rows;
            let out = list.finish()?;
            wrote.push(format!("{} ({})", out.describe(), users(rows)));
            finished.push(out);
        }
        if let Some((table, rows)) = self.excepted {
            let out = table.finish()?;
            wrote.push(format!("{} ({})", out.describe(), users(rows)));
            finished.push(out);
        }
        if let Some((table, rows, _)) = self.phone_only {
            let out = table.finish()?;
            wrote.push(format!("{} ({})", out.describe(), users(rows)));
            finished.push(out);
        }
        if let Some(mut html) = self.html {
            let inputs: Vec<HtmlInput> = outcome
                .inputs
                .iter()
                .map(|i| HtmlInput {
                    description: format!("{}: {} ({})", i.path, users(i.rows), i.describe()),
                    sha256: i.sha256.clone(),
                })
                .collect();
            let rows = self.html_rows.take().unwrap_or_default();
            let command = crate::report::html::this_command_line();
            let page = crate::report::html::render(
                &doc,
                &inputs,
                &rows,
                &command,
                outcome.controls.as_deref(),
            );
            html.write_all(page.as_bytes())
                .with_context(|| format!("cannot write {}", html.describe()))?;
            wrote.push(html.describe());
            finished.push(html);
        }
        for (out, doc) in [
            (
                self.controls.take(),
                crate::report::controls::document as fn(&_) -> _,
            ),
            (self.sarif.take(), crate::report::sarif::document),
        ] {
            if let Some(mut out) = out {
                let controls = outcome.controls.as_deref().unwrap_or_default();
                serde_json::to_writer_pretty(&mut out, &doc(controls))
                    .with_context(|| format!("cannot write {}", out.describe()))?;
                out.write_all(b"\n")?;
                wrote.push(out.describe());
                finished.push(out);
            }
        }
        if let Some(mut junit) = self.junit {
            let upns = self.unregistered_upns.unwrap_or_default();
            ci::write_junit(&mut junit, &outcome.gates, &upns)?;
            wrote.push(junit.describe());
            finished.push(junit);
        }
        if let Some(mut json) = self.json {
            serde_json::to_writer_pretty(&mut json, &doc)
                .context("cannot write the JSON summary")?;
            json.write_all(b"\n")?;
            wrote.push(json.describe());
            finished.push(json);
        }
        let mut commit = Commit::new();
        for out in finished {
            commit.add(out);
        }
        if self.github_summary {
            ci::github_summary(&outcome.tally, &outcome.gates, &mut commit);
        }
        if let Some((path, paths)) = &self.github_output {
            let step = ci::StepOutputs {
                tally: &outcome.tally,
                coverage_percent: doc.coverage_percent,
                passed: doc.passed,
                paths,
            };
            ci::github_output(&step, path, &mut commit);
        }
        commit.commit()?;
        Ok(wrote)
    }
}

/// The files a run writes, named as its step outputs (`--github-output`); standard output
/// (`-`) is not a path a later step could read. The lists are `*-list`: `registered`,
/// `unregistered` and `excepted` are the counts.
fn step_paths(plan: &AuditPlan<'_>) -> Vec<(&'static str, String)> {
    [
        ("report", Some(plan.output)),
        ("registered-list", plan.registered),
        ("unregistered-list", plan.unregistered),
        ("excepted-list", plan.excepted),
        ("phone-only", plan.phone_only),
        ("json", plan.json),
        ("html", plan.html),
        ("junit", plan.junit),
    ]
    .into_iter()
    .filter_map(|(name, path)| Some((name, path.filter(|p| *p != "-")?.to_owned())))
    .collect()
}

/// The human summary of an audit, for standard error: counts, warnings, gates and what was
/// written, escaped for the terminal and coloured when `colour`.
pub fn human(outcome: &Outcome, include_blocked: bool, wrote: &[String], colour: bool) -> String {
    let mut text = summary::human(
        &outcome.tally,
        &outcome.warnings,
        &outcome.inputs,
        include_blocked,
    );
    text.push_str(&summary::human_phone_end(&outcome.phone_end));
    if let Some(e) = &outcome.enforced {
        text.push_str(&crate::report::enforcement::human(&e.counts, &e.summary));
        text.push_str(&crate::report::enforcement::human_findings(
            &e.findings.admins,
            &e.findings.step_up,
        ));
    }
    text.push_str(&summary::human_gates(&outcome.gates));
    text.push_str(&format!(
        "\nWrote {}\n",
        crate::terminal::text(&wrote.join(", "))
    ));
    // Data is escaped before the colours are added, so only ours reach the terminal.
    summary::paint(&crate::terminal::layout(&text), colour)
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
