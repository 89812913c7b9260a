//! The audit loop shared by every subcommand: read each input's rows, classify them, drop
//! repeated users, count, warn, and hand each verdict to a [`Sink`].
//!
//! Per row the work is: one record read into a reused buffer, the role fields decoded (borrowed
//! when already UTF-8), one classification, one fingerprint lookup. Nothing per row is kept but
//! the fingerprint.

use std::collections::HashSet;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Once;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::classify::{classify, Blocked, Bucket, LostData, Status, Verdict};
use crate::columns::Role;
use crate::dedup::UpnIndex;
use crate::error::Interrupted;
use crate::input::{self, InputInfo, InputSpec, Location, ReadOptions, RowSource};
use crate::summary::Tally;
use crate::warnings::Warnings;

/// Receives the verdict on every distinct user, in input order.
pub trait Sink {
    fn accept(&mut self, verdict: &Verdict, at: Location<'_>) -> Result<()>;
}

#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub read: ReadOptions,
    pub strict: bool,
    /// Show a progress bar for large inputs (only on a terminal).
    pub progress: bool,
    /// Blocked users belong in the report (and its status/method counts).
    pub include_blocked: bool,
}

/// What a run produced besides the sink's output.
#[derive(Debug)]
pub struct Outcome {
    pub tally: Tally,
    pub warnings: Warnings,
    pub inputs: Vec<InputInfo>,
}

/// True when the verdict goes in MFA_Report.csv.
pub fn in_report(v: &Verdict, include_blocked: bool) -> bool {
    !v.upn.is_empty() && (include_blocked || v.bucket != Bucket::Blocked)
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ctrl-C stops the run at the next row, so that no output is committed; a second Ctrl-C
/// exits at once.
pub fn install_interrupt_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::SeqCst) {
                std::process::exit(i32::from(crate::error::EXIT_INTERRUPTED));
            }
        });
    });
}

/// Inputs larger than this get a progress bar.
const PROGRESS_MIN_BYTES: u64 = 8 * 1024 * 1024;
/// Most users the duplicate index makes room for in advance (a wrong estimate must not cost
/// much memory).
const MAX_RESERVE: usize = 20_000_000;
/// Rows between interrupt checks and progress updates.
const CHECK_EVERY: u64 = 4096;

/// Runs the audit loop over all inputs.
pub fn run(inputs: &[InputSpec], options: &EngineOptions, sink: &mut dyn Sink) -> Result<Outcome> {
    let mut warnings = Warnings::new(options.strict);
    let mut tally = Tally::default();
    let mut index = UpnIndex::new();
    let mut infos: Vec<InputInfo> = Vec::with_capacity(inputs.len());
    let mut odd_status: HashSet<String> = HashSet::new();

    for (input_no, spec) in inputs.iter().enumerate() {
        let mut source = input::open(spec, &options.read)?;
        check_columns(source.as_ref(), &mut warnings)?;
        let name = source.info().path.clone();
        let sheet = source.info().sheet.clone();
        // For naming places in this input while its rows borrow the source.
        let here = source.info().clone();
        // Rows borrow the source; what the loop needs besides them is taken out first.
        let schema = source.schema().clone();
        let bytes_read = source.byte_counter();
        if let Some(rows) = source.estimated_rows(spec.file_size()) {
            index.reserve((rows as usize).min(MAX_RESERVE));
        }
        let progress = progress_bar(spec, options.progress);
        let mut rows: u64 = 0;
        while let Some(at) = source.next_row(&mut warnings)? {
            rows += 1;
            if rows.is_multiple_of(CHECK_EVERY) {
                if INTERRUPTED.load(Ordering::Relaxed) {
                    return Err(Interrupted.into());
                }
                if let Some(p) = &progress {
                    p.set_position(bytes_read.load(std::sync::atomic::Ordering::Relaxed));
                }
            }
            let location = Location {
                input: &name,
                sheet: sheet.as_deref(),
                pos: &at.pos,
            };
            let verdict = match classify(&at.row, schema.polarity) {
                Ok(v) => v,
                Err(lost) => return Err(lost_data_error(&lost, &schema, location)),
            };
            tally.users += 1;
            row_warnings(
                &verdict,
                &at.row,
                &schema,
                location,
                &mut warnings,
                &mut odd_status,
            )?;
            if !verdict.upn.is_empty() {
                if let Some(first) = index.insert(&verdict, input_no, at.pos.number()) {
                    tally.duplicates += 1;
                    let place = match (first.input, first.line) {
                        (Some(i), Some(l)) => infos.get(i).unwrap_or(&here).place(l),
                        _ => "an earlier row".to_owned(),
                    };
                    let how = if first.same_data {
                        String::new()
                    } else if first.bucket != verdict.bucket {
                        format!(
                            " but disagrees with it (there: {}, here: {}); the first row is used",
                            first.bucket, verdict.bucket
                        )
                    } else {
                        " but with a different MFA Status or methods; the first row is used"
                            .to_owned()
                    };
                    warnings.push(format!(
                        "{location}: {} repeats the user at {place}{how}; counted once",
                        verdict.upn
                    ))?;
                    continue;
                }
            }
            tally.count_bucket(verdict.bucket);
            if in_report(&verdict, options.include_blocked) {
                tally.count_reported(&verdict);
            }
            sink.accept(&verdict, location)?;
        }
        if let Some(p) = progress {
            p.finish_and_clear();
        }
        infos.push(source.info().clone());
    }
    if tally.unnamed_methods > 0 {
        warnings.push(format!(
            "{} users have \"System.Object[]\" as their methods: Export-Csv wrote the type name \
             for their two or more methods. They count as registered; their method names are \
             not in the input. Export with ($_.StrongAuthenticationMethods.MethodType -join ',') \
             to keep the names",
            tally.unnamed_methods
        ))?;
    }
    tally.check_invariant()?;
    Ok(Outcome {
        tally,
        warnings,
        inputs: infos,
    })
}

/// Columns an input must have, and the loud warning when it cannot exclude blocked users.
fn check_columns(source: &dyn RowSource, warnings: &mut Warnings) -> Result<()> {
    let schema = source.schema();
    let name = &source.info().path;
    if schema.column(Role::Methods).is_none() {
        bail!(
            "{name}: no MFA methods column, so registered and unregistered users cannot be told \
             apart; the headers are: {}\n\
             hint: export StrongAuthenticationMethods as text (see the README), or name the \
             column with --column methods=HEADER",
            crate::columns::quoted_list(&schema.headers)
        );
    }
    for w in source.header_warnings() {
        warnings.push(w)?;
    }
    if schema.column(Role::Blocked).is_none() {
        warnings.push_major(format!(
            "{name} has no blocked-sign-in column (BlockCredential): blocked accounts could not \
             be excluded, so every user in it is taken as able to sign in. Add BlockCredential \
             to the export (or map a column with --column blocked=HEADER) for the full result"
        ))?;
    }
    Ok(())
}

fn row_warnings(
    v: &Verdict,
    row: &crate::classify::Row,
    schema: &crate::columns::Schema,
    at: Location<'_>,
    warnings: &mut Warnings,
    odd_status: &mut HashSet<String>,
) -> Result<()> {
    if v.upn.is_empty() {
        warnings.push(format!(
            "{at}: no user principal name; the row is counted as unknown"
        ))?;
    } else if v.upn.contains(['\n', '\r']) {
        bail!(
            "{at}: the user principal name spans several lines: the file's quoting is broken \
             (an unbalanced quote swallows the following rows)\n\
             hint: open the file in a text editor at that line and fix the quotes"
        );
    } else if !v.upn.contains('@') || v.upn.contains(char::is_whitespace) {
        warnings.push(format!(
            "{at}: {:?} does not look like a user principal name",
            v.upn
        ))?;
    }
    if v.blocked == Blocked::Unreadable {
        let header = schema.header(Role::Blocked).unwrap_or("BlockCredential");
        let value = row.get(Role::Blocked).unwrap_or("");
        let what = if value.trim().is_empty() {
            "empty".to_owned()
        } else {
            format!("{:?}", value.trim())
        };
        let at = at.cell(schema.column(Role::Blocked));
        warnings.push(format!(
            "{at}: {}: {header} is {what}, not True or False, so the user is in neither list \
             (PowerShell's -eq $False excludes it too)",
            if v.upn.is_empty() { "(no UPN)" } else { v.upn }
        ))?;
    }
    if let Status::Other(s) = v.status {
        if odd_status.len() < 100 && odd_status.insert(s.to_ascii_lowercase()) {
            let header = schema.header(Role::State).unwrap_or("MFA Status");
            let at = at.cell(schema.column(Role::State));
            warnings.push(format!(
                "{at}: {header} {s:?} is not Enabled, Enforced or Disabled; kept as written \
                 (first row with this value)"
            ))?;
        }
    }
    Ok(())
}

/// The error for a row whose cell holds a .NET type name instead of data.
fn lost_data_error(
    lost: &LostData,
    schema: &crate::columns::Schema,
    at: Location<'_>,
) -> anyhow::Error {
    let col = schema.column(lost.role).map_or(0, |c| c + 1);
    let header = schema.header(lost.role).unwrap_or_default();
    let what = match lost.role {
        Role::Methods => "every user's MFA methods",
        _ => "every user's per-user MFA state",
    };
    let at = at.cell(schema.column(lost.role));
    anyhow::anyhow!(
        "{at}: column {col} ({header:?}) holds {:?} instead of data: this export lost {what}. \
         Export-Csv writes the type name of a collection, not its content. Nothing was written.\n\
         hint: export the collections as text, for example:\n  {}",
        lost.type_name,
        EXPORT_COMMAND
    )
}

/// A PowerShell command whose export keeps everything mfa-audit reads.
pub const EXPORT_COMMAND: &str = "Get-MsolUser -All | Select-Object UserPrincipalName,DisplayName,BlockCredential,\
@{N='StrongAuthenticationMethods';E={($_.StrongAuthenticationMethods | ForEach-Object MethodType) -join ','}},\
@{N='StrongAuthenticationRequirements';E={$_.StrongAuthenticationRequirements.State}},\
@{N='DefaultMethod';E={($_.StrongAuthenticationMethods | Where-Object IsDefault).MethodType}} | \
Export-Csv -NoTypeInformation -Encoding UTF8 -Path users.csv";

fn progress_bar(spec: &InputSpec, wanted: bool) -> Option<ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let len = spec.file_size().filter(|l| *l >= PROGRESS_MIN_BYTES)?;
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .ok()?
            .progress_chars("=> "),
    );
    bar.set_message(spec.display().to_owned());
    Some(bar)
}
