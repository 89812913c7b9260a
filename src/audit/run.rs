//! The audit loop shared by every subcommand: read each input's rows, classify them, drop
//! repeated users, count, warn, and hand each verdict to a [`Sink`].
//!
//! Per row the work is: one record read into a reused buffer, the role fields decoded (borrowed
//! when already UTF-8), one classification, one fingerprint lookup. Nothing per row is kept but
//! the fingerprint.

use std::collections::HashSet;
use std::io::IsTerminal;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audit::accounts::{Accounts, Listed};
use crate::audit::classify::{classify, Blocked, Bucket, LostData, Status, Verdict};
use crate::audit::controls::{ControlOutcome, Controls};
use crate::audit::dedup::UpnIndex;
use crate::audit::enforced::Enforced;
use crate::audit::enforcement::Decision;
use crate::audit::exceptions::{Exception, Exceptions};
use crate::audit::gates::{GateOptions, GateResult, GateWatch};
use crate::audit::lookalike;
use crate::audit::phone_end::{self, Allowance, PhoneEnd, PhoneOnly, PolicyCounts};
use crate::audit::readable::Readability;
use crate::audit::tally::Tally;
use crate::audit::upn::{self, SameReading};
use crate::dates::Day;
use crate::error::Interrupted;
use crate::read::schema::Role;
use crate::read::{self, InputInfo, InputSpec, Location, ReadOptions, RowSource};
use crate::terminal::{clip, quote};
use crate::warnings::Warnings;

/// Receives the verdict on every distinct user, in input order, with the exception that
/// covers the user, if any.
pub trait Sink {
    fn accept(
        &mut self,
        verdict: &Verdict,
        at: Location<'_>,
        exception: Option<&Exception>,
    ) -> Result<()>;

    /// As [`Sink::accept`], with the user's MFA enforcement decision when the run has
    /// `--policies`. Only sinks that write it need more than the default.
    fn accept_decided(
        &mut self,
        verdict: &Verdict,
        at: Location<'_>,
        exception: Option<&Exception>,
        _decision: Option<&Decision>,
    ) -> Result<()> {
        self.accept(verdict, at, exception)
    }

    /// A user who can sign in, no exception covers, and whose every MFA method is SMS or
    /// voice; with what the authentication methods policy still allows them, when it was
    /// exported. Called before [`Sink::accept_decided`] for the same user.
    fn phone_only(&mut self, _verdict: &Verdict, _allowance: Option<&Allowance>) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub read: ReadOptions,
    pub strict: bool,
    /// Show a progress bar for large inputs (only on a terminal).
    pub progress: bool,
    /// Blocked users belong in the report (and its status/method counts).
    pub include_blocked: bool,
    /// Audit only these users; the others are counted as excluded.
    pub filter: Filter,
    /// `--accounts FILE`: sign-in state for inputs without a blocked column.
    pub accounts: Option<String>,
    /// Users the gates and lists leave alone (`--exceptions`, `--exclude`).
    pub exceptions: Exceptions,
    pub gates: GateOptions,
    /// `--policies`: the tenant's policy exports; empty when MFA enforcement is not asked.
    pub policies: Vec<String>,
    /// `--today`: the day the end of SMS and voice is counted down from (default: the
    /// system clock's, UTC).
    pub today: Option<Day>,
    /// Decide the benchmark controls (`--controls`, `--sarif`, `--html`).
    pub controls: bool,
}

/// `--admins-only`, `--members-only`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    pub admins_only: bool,
    pub members_only: bool,
}

impl Filter {
    fn keeps(self, v: &Verdict) -> bool {
        (!self.admins_only || v.admin == Some(true)) && (!self.members_only || !v.is_guest())
    }
}

/// Text put in the blocked field of a row whose state comes from `--accounts`.
const FROM_ACCOUNTS: [&str; 2] = ["False", "True"];
/// ... and of a row whose user the accounts file does not list.
const NOT_IN_ACCOUNTS: &str = "(not in --accounts)";
/// ... and of a row whose user it lists twice with different states (warned about on load).
const CONFLICTING_IN_ACCOUNTS: &str = "(conflicting in --accounts)";

/// What a run produced besides the sink's output.
#[derive(Debug)]
pub struct Outcome {
    pub tally: Tally,
    /// The gates asked for, evaluated.
    pub gates: Vec<GateResult>,
    pub warnings: Warnings,
    pub inputs: Vec<InputInfo>,
    /// With `--policies`: what the policies decided, counted over the users in the report.
    pub enforced: Option<Enforced>,
    /// The end of SMS and voice: the date, and who relies on them alone.
    pub phone_end: PhoneEnd,
    /// The benchmark controls, when asked for.
    pub controls: Option<Vec<ControlOutcome>>,
}

/// True when the verdict goes in MFA_Report.csv.
pub fn in_report(v: &Verdict, include_blocked: bool) -> bool {
    !v.upn.is_empty() && (include_blocked || v.bucket != Bucket::Blocked)
}

pub(crate) use crate::interrupt::install as install_interrupt_handler;

/// Inputs larger than this get a progress bar.
const PROGRESS_MIN_BYTES: u64 = 8 * 1024 * 1024;
/// Most users the duplicate index makes room for in advance (a wrong estimate must not cost
/// much memory).
const MAX_RESERVE: usize = 20_000_000;
/// Rows between interrupt checks and progress updates.
const CHECK_EVERY: u64 = 4096;

/// The duplicate index keeps its records in a temporary file; failing to use it stops the
/// audit (a user it cannot look up could be counted twice).
fn index_error(e: std::io::Error) -> anyhow::Error {
    anyhow::anyhow!(
        "the duplicate index failed: {e}; check the temporary directory (TMPDIR) has space"
    )
}

/// Runs the audit loop over all inputs.
pub fn run(inputs: &[InputSpec], options: &EngineOptions, sink: &mut dyn Sink) -> Result<Outcome> {
    let mut warnings = Warnings::new(options.strict);
    options.exceptions.reset();
    let mut tally = Tally::default();
    let mut index = UpnIndex::new();
    let mut infos: Vec<InputInfo> = Vec::with_capacity(inputs.len());
    let mut odd_status: HashSet<String> = HashSet::new();
    let accounts = options
        .accounts
        .as_deref()
        .map(|path| Accounts::load(path, &options.read, &mut warnings))
        .transpose()?;
    let mut scratch = Vec::new();
    let mut not_in_accounts = 0u64;
    let mut watch = GateWatch::new(options.gates.clone());
    // Names equal once invisible characters are removed; once look-alike letters are read
    // as Latin.
    let mut twins = SameReading::default();
    let mut lookalikes = SameReading::default();
    // Read once, before the first row: every user is decided against the same tenant.
    let mut enforced = if options.policies.is_empty() {
        None
    } else {
        Some(Enforced::new(read::policies::read(
            &options.policies,
            &options.read,
        )?))
    };
    let mut phone_policy = enforced
        .as_ref()
        .and_then(|e| e.tenant().methods_policy.as_ref())
        .map(PolicyCounts::new);
    let mut controls = options
        .controls
        .then(|| Controls::new(enforced.as_ref().map(Enforced::tenant)));

    for (input_no, spec) in inputs.iter().enumerate() {
        let mut source = read::open(spec, &options.read)?;
        check_columns(source.as_ref(), options, accounts.as_ref(), &mut warnings)?;
        // Inputs without a blocked column take it from --accounts.
        let join = accounts
            .as_ref()
            .filter(|_| source.schema().column(Role::Blocked).is_none());
        let population = &mut tally.population;
        if source.schema().column(Role::Capable).is_some() {
            population.mfa_capable.get_or_insert(0);
        }
        if source.schema().column(Role::Admin).is_some() {
            population.admins.get_or_insert(0);
            population.admins_unregistered.get_or_insert(0);
        }
        if source.schema().column(Role::Registered).is_some()
            && source.schema().column(Role::Methods).is_some()
        {
            population.flag_contradicts_methods.get_or_insert_default();
        }
        let name = source.info().path.clone();
        let sheet = source.info().sheet.clone();
        // For naming places in this input while its rows borrow the source.
        let here = source.info().clone();
        // Rows borrow the source; what the loop needs besides them is taken out first.
        let schema = source.schema().clone();
        // Whether this input can show a phishing-resistant method (the admins finding).
        let shown = crate::audit::admins::MethodsShown::of(&schema);
        let bytes_read = source.byte_counter();
        if let Some(rows) = source.estimated_rows(spec.file_size()) {
            index
                .reserve((rows as usize).min(MAX_RESERVE))
                .map_err(index_error)?;
        }
        let progress = progress_bar(spec, options.progress);
        let mut readability = Readability::new(&schema, join.is_some());
        let mut rows: u64 = 0;
        while let Some(at) = source.next_row(&mut warnings)? {
            rows += 1;
            if rows.is_multiple_of(CHECK_EVERY) {
                if crate::interrupt::requested() {
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
            let mut row = at.row;
            let mut polarity = schema.polarity;
            if let Some(accounts) = join {
                let upn = row.get(Role::Upn).unwrap_or("");
                row.fields[Role::Blocked.index()] =
                    Some(match accounts.blocked(&mut scratch, upn) {
                        Listed::State(b) => FROM_ACCOUNTS[usize::from(b)],
                        Listed::Conflicting => CONFLICTING_IN_ACCOUNTS,
                        Listed::Missing => NOT_IN_ACCOUNTS,
                    });
                polarity = crate::read::schema::Polarity::TrueIsBlocked;
            }
            let mut verdict = match classify(&row, polarity) {
                Ok(v) => v,
                Err(lost) => return Err(lost_data_error(&lost, &row, &schema, location)),
            };
            // An input without a per-user state (Graph's registration details) leaves MFA
            // Status unknown; the per-user MFA export among --policies knows it. A state the
            // input does carry is its own and is kept.
            if verdict.status == Status::NotInInput {
                if let Some(s) = (enforced.as_ref())
                    .and_then(|e| e.per_user_status(&verdict, row.get(Role::ObjectId)))
                {
                    verdict.status = s;
                }
            }
            readability.observe(
                &row,
                verdict.blocked != Blocked::Unreadable,
                at.pos.number(),
            );
            tally.users += 1;
            if !options.filter.keeps(&verdict) {
                tally.excluded += 1;
                continue;
            }
            if row.get(Role::Blocked) == Some(NOT_IN_ACCOUNTS) {
                not_in_accounts += 1;
                warnings.push(format!(
                    "{location}: {}: not in the --accounts file, so whether sign-in is blocked is \
                     unknown: in neither list",
                    verdict.upn
                ))?;
            }
            row_warnings(
                &verdict,
                &row,
                &schema,
                location,
                &mut warnings,
                &mut odd_status,
            )?;
            if !verdict.upn.is_empty() {
                if let Some(first) = index
                    .insert(&verdict, input_no, at.pos.number())
                    .map_err(index_error)?
                {
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
                if let Some(twin) =
                    twins.observe(verdict.upn, input_no, at.pos.number(), &index, upn::visible)?
                {
                    let place = match (twin.input, twin.line) {
                        (Some(i), Some(l)) => infos.get(i).unwrap_or(&here).place(l),
                        _ => "an earlier row".to_owned(),
                    };
                    warnings.push(format!(
                        "{location}: {} reads as {} once its invisible characters are removed, \
                         as the user at {place} does: probably the same person twice (counted \
                         as two users, as the file lists two accounts)",
                        quote(verdict.upn),
                        quote(twin.reads_as.trim())
                    ))?;
                }
                if let Some(other) = lookalikes.observe(
                    verdict.upn,
                    input_no,
                    at.pos.number(),
                    &index,
                    lookalike::skeleton,
                )? {
                    tally.lookalike_upns += 1;
                    let place = match (other.input, other.line) {
                        (Some(i), Some(l)) => infos.get(i).unwrap_or(&here).place(l),
                        _ => "an earlier row".to_owned(),
                    };
                    let how = if other.plain {
                        format!("the user at {place} reads as {}", quote(verdict.upn))
                    } else {
                        format!("{} reads as the user at {place}", quote(verdict.upn))
                    };
                    warnings.push(format!(
                        "{location}: {how} ({}) once look-alike letters of other scripts are \
                         read as the Latin ones they imitate: a probable impersonation (counted \
                         as two users, as the file lists two accounts)",
                        // Readings are lower case; so is the plain name shown beside them.
                        quote(&other.reads_as.to_lowercase())
                    ))?;
                }
            }
            // Blocked users stay blocked; an exception takes the others out of the buckets the
            // gates and lists use, into a bucket of their own.
            let exception = match verdict.bucket {
                Bucket::Blocked => None,
                _ => options.exceptions.find(verdict.upn),
            };
            if exception.is_some() {
                tally.excepted += 1;
            } else {
                tally.count_bucket(verdict.bucket);
                watch.observe(&verdict);
                if matches!(verdict.bucket, Bucket::Registered | Bucket::Unregistered) {
                    tally.count_population(&verdict);
                    if phone_end::phone_only(&verdict.methods) == PhoneOnly::Yes {
                        let allowance = enforced.as_ref().and_then(|e| {
                            phone_end::allowance(e.tenant(), &verdict, row.get(Role::ObjectId))
                        });
                        if let (Some(counts), Some(a)) = (phone_policy.as_mut(), &allowance) {
                            counts.add(a);
                        }
                        sink.phone_only(&verdict, allowance.as_ref())?;
                    }
                    if let (Some(c), Some(conflicts)) = (
                        verdict.flag_conflict,
                        tally.population.flag_contradicts_methods.as_mut(),
                    ) {
                        conflicts.add(c, || location.to_string());
                    }
                }
            }
            let decision = match &enforced {
                Some(e) if !verdict.upn.is_empty() => {
                    Some(e.decide(&verdict, row.get(Role::ObjectId)))
                }
                _ => None,
            };
            let admin = match (&enforced, &decision) {
                (Some(e), Some(_)) => Some((
                    e.admin(&verdict, row.get(Role::ObjectId)),
                    crate::audit::admins::phishing_resistance(&verdict, shown),
                )),
                _ => None,
            };
            if let (Some((d, _)), None) = (&decision, exception) {
                watch.observe_enforcement(&verdict, d.verdict);
                if let Some((a, pr)) = &admin {
                    watch.observe_admin(&verdict, a, *pr);
                }
                if verdict.bucket != Bucket::Blocked && !d.exclusions.is_empty() {
                    warnings.push(format!(
                        "{location}: {} is excluded from {} and has no --exceptions entry: an \
                         undocumented exclusion (document it with a reason, or remove it)",
                        quote(verdict.upn),
                        crate::audit::enforced::exclusions_text(&d.exclusions)
                    ))?;
                }
            }
            if let Some(c) = controls.as_mut() {
                c.observe(
                    enforced.as_ref().map(Enforced::tenant),
                    &crate::audit::controls::Row {
                        verdict: &verdict,
                        at: location,
                        exception: exception.map(|e| e.reason.as_str()),
                        decision: decision.as_ref().map(|(d, _)| d),
                        admin: admin.as_ref().map(|(a, _)| a),
                        object_id: row.get(Role::ObjectId),
                    },
                );
            }
            if in_report(&verdict, options.include_blocked) {
                tally.count_reported(&verdict);
                if let (Some(e), Some((d, found))) = (enforced.as_mut(), &decision) {
                    e.count(
                        d,
                        *found,
                        exception.is_some() || verdict.bucket == Bucket::Blocked,
                    );
                    if let Some((a, pr)) = &admin {
                        e.findings.count(verdict.upn, d, a, *pr);
                    }
                }
            }
            sink.accept_decided(
                &verdict,
                location,
                exception,
                decision.as_ref().map(|(d, _)| d),
            )?;
        }
        if let Some(p) = progress {
            p.finish_and_clear();
        }
        readability.check(&name, |line| here.place(line))?;
        let mut info = source.info().clone();
        info.sha256 = source.sha256();
        if let Some(accounts) = join {
            info.columns.insert(
                Role::Blocked.cli_name(),
                format!("{} (from --accounts {})", accounts.header, accounts.path),
            );
        }
        infos.push(info);
    }
    options.exceptions.refuse_everyone()?;
    summary_warnings(&tally, not_in_accounts, &mut warnings)?;
    for finding in options.exceptions.findings() {
        warnings.push(finding)?;
    }
    if let Some(w) = enforced.as_ref().and_then(Enforced::not_found_warning) {
        warnings.push_major(w)?;
    }
    let blocked_excluded = infos.iter().all(|i| i.columns.contains_key("blocked"));
    let gates = watch.evaluate(&tally, blocked_excluded);
    tally.check_invariant()?;
    let phone_end = PhoneEnd::new(
        options.today.unwrap_or_else(Day::today),
        tally.population.phone_only,
        tally.population.phone_only_cannot_tell,
        phone_policy,
    );
    Ok(Outcome {
        tally,
        gates,
        warnings,
        inputs: infos,
        enforced,
        phone_end,
        controls: controls.map(Controls::finish),
    })
}

/// Columns an input must have, and the loud warning when it cannot exclude blocked users.
fn check_columns(
    source: &dyn RowSource,
    options: &EngineOptions,
    accounts: Option<&Accounts>,
    warnings: &mut Warnings,
) -> Result<()> {
    let schema = source.schema();
    let name = &source.info().path;
    if !schema.tells_registration() {
        bail!(
            "{name}: no MFA methods column (nor isMfaRegistered), so registered and unregistered \
             users cannot be told apart; the headers are: {}\n\
             hint: export StrongAuthenticationMethods as text (see the README), or name the \
             column with --column methods=HEADER",
            crate::read::schema::quoted_list(&schema.headers)
        );
    }
    if options.filter.admins_only && schema.column(Role::Admin).is_none() {
        bail!(
            "{name}: --admins-only needs an isAdmin column, and this input has none; the headers \
             are: {}\nhint: use Get-MgReportAuthenticationMethodUserRegistrationDetail, which has \
             IsAdmin, or map a column with --column admin=HEADER",
            crate::read::schema::quoted_list(&schema.headers)
        );
    }
    for w in source.header_warnings() {
        warnings.push(w)?;
    }
    if schema.column(Role::Blocked).is_none() && accounts.is_none() {
        warnings.push_major(format!(
            "{name} has no blocked-sign-in column (BlockCredential or accountEnabled): blocked \
             accounts could not be excluded, so every user in it is taken as able to sign in. \
             Add the column to the export, pass a user list with --accounts FILE (e.g. \
             Get-MgUser -All -Property UserPrincipalName,AccountEnabled | Export-Csv), or map a \
             column with --column blocked=HEADER, for the full result"
        ))?;
    }
    Ok(())
}

/// `1 user` + `has`, `2 users` + `have`.
fn people(n: u64) -> (String, &'static str) {
    (
        crate::numbers::users(n),
        if n == 1 { "has" } else { "have" },
    )
}

/// Warnings about the whole run, after the last row.
fn summary_warnings(tally: &Tally, not_in_accounts: u64, warnings: &mut Warnings) -> Result<()> {
    if tally.unnamed_methods > 0 {
        let (who, verb) = people(tally.unnamed_methods);
        warnings.push(format!(
            "{who} {verb} \"System.Object[]\" as their methods: Export-Csv wrote the type name \
             for their two or more methods. They count as registered; their method names are \
             not in the input. Export with ($_.StrongAuthenticationMethods.MethodType -join ',') \
             to keep the names"
        ))?;
    }
    let only = tally.population.only_non_mfa_methods;
    if only > 0 {
        let (who, verb) = people(only);
        warnings.push(format!(
            "{who} {verb} methods, but none of them is MFA (email, password, security \
             questions, app password or Temporary Access Pass only): counted as unregistered"
        ))?;
    }
    if let Some(w) = tally
        .population
        .flag_contradicts_methods
        .as_ref()
        .and_then(|c| c.warning())
    {
        warnings.push(w)?;
    }
    let unrecognised = tally.unrecognised.sorted();
    if !unrecognised.is_empty() {
        let names: Vec<String> = unrecognised
            .iter()
            .take(20)
            .map(|(n, c)| format!("{} ({c})", quote(n)))
            .collect();
        warnings.push(format!(
            "unrecognised method names, kept as written and counted as MFA methods: {}{}",
            names.join(", "),
            if unrecognised.len() > 20 { ", ..." } else { "" }
        ))?;
    }
    if not_in_accounts > 0 {
        let (who, verb) = people(not_in_accounts);
        let verb = if verb == "has" { "is" } else { "are" };
        warnings.push(format!(
            "{who} {verb} not in the --accounts file: counted as unknown"
        ))?;
    }
    Ok(())
}

fn row_warnings(
    v: &Verdict,
    row: &crate::read::schema::Row,
    schema: &crate::read::schema::Schema,
    at: Location<'_>,
    warnings: &mut Warnings,
    odd_status: &mut HashSet<String>,
) -> Result<()> {
    if v.upn.is_empty() {
        warnings.push(format!(
            "{at}: no user principal name; the row is counted as unknown"
        ))?;
    } else if v.upn.contains(['\n', '\r']) && at.sheet.is_some() {
        // In a workbook a cell holds its text whole: there is no quoting to break.
        bail!(
            "{at}: the user principal name cell holds a line break\n\
             hint: open the workbook in Excel, remove the line break from the cell and save it"
        );
    } else if v.upn.contains(['\n', '\r']) {
        bail!(
            "{at}: the user principal name spans several lines: the file's quoting is broken \
             (an unbalanced quote swallows the following rows)\n\
             hint: open the file in a text editor at that line and fix the quotes"
        );
    } else if !plausible_upn(v.upn) {
        warnings.push(format!(
            "{at}: {} does not look like a user principal name",
            quote(v.upn)
        ))?;
    }
    if !v.upn.is_empty() {
        let concerns = upn::check(v.upn);
        if !concerns.is_empty() {
            warnings.push(format!(
                "{at}: the user principal name {}: {}",
                quote(v.upn),
                concerns.describe()
            ))?;
        }
    }
    // (A user missing from --accounts, or listed there twice, was warned about already.)
    let from_accounts = [Some(NOT_IN_ACCOUNTS), Some(CONFLICTING_IN_ACCOUNTS)];
    if v.blocked == Blocked::Unreadable && !from_accounts.contains(&row.get(Role::Blocked)) {
        let header = schema.header(Role::Blocked).unwrap_or("BlockCredential");
        let value = row.get(Role::Blocked).unwrap_or("");
        let what = if row.is_unreadable(Role::Blocked) {
            // A workbook cell whose saved value is not what it shows (a formula without its
            // result): "empty" would send the reader looking for a blank cell.
            "empty as saved (the file does not hold what the cell shows)".to_owned()
        } else if value.trim().is_empty() {
            "empty".to_owned()
        } else {
            quote(value.trim()).to_string()
        };
        let at = at.cell(schema.column(Role::Blocked));
        warnings.push(format!(
            "{at}: {}: {} is {what}, not True or False, so the user is in neither list \
             (PowerShell's -eq $False excludes it too)",
            if v.upn.is_empty() {
                "(no UPN)".into()
            } else {
                clip(v.upn)
            },
            clip(header)
        ))?;
    }
    if let Some(role) = v.registration_unknown {
        crate::audit::registration::warn_unknown_registration(
            v.upn, row, schema, role, at, warnings,
        )?;
    }
    if let Status::Other(s) = v.status {
        if odd_status.len() < 100 && odd_status.insert(s.to_ascii_lowercase()) {
            let header = schema.header(Role::State).unwrap_or("MFA Status");
            let at = at.cell(schema.column(Role::State));
            warnings.push(format!(
                "{at}: {} {} is not Enabled, Enforced or Disabled, so it is not per-user MFA \
                 state: MFA Status is Unknown (first row with this value)",
                clip(header),
                quote(s)
            ))?;
        }
    }
    Ok(())
}

/// A user principal name as Entra allows them: `name@domain`, no white space, none of the
/// characters that only a formula, a list or a mistake would put there.
fn plausible_upn(upn: &str) -> bool {
    match upn.split_once('@') {
        Some((name, domain)) => {
            !name.is_empty()
                && !domain.is_empty()
                && !upn.contains(|c: char| {
                    c.is_whitespace()
                        || matches!(
                            c,
                            '"' | '(' | ')' | ',' | ';' | '<' | '>' | '[' | ']' | '\\' | '='
                        )
                })
        }
        None => false,
    }
}

/// The error for a row whose cell holds a .NET type name instead of data.
fn lost_data_error(
    lost: &LostData,
    row: &crate::read::schema::Row,
    schema: &crate::read::schema::Schema,
    at: Location<'_>,
) -> anyhow::Error {
    // Graph's methodsRegistered is always System.String[] in Export-Csv, and no loss when
    // isMfaRegistered is readable: when it is not, that cell is the cause, not the list.
    if lost.role == Role::Methods && lost.boolean_message("").is_none() {
        if let (Some(col), Some(cell)) =
            (schema.column(Role::Registered), row.get(Role::Registered))
        {
            return unreadable_registration(cell, col, lost, schema, at);
        }
    }
    let col = schema.column(lost.role).map_or(0, |c| c + 1);
    let header = schema.header(lost.role).unwrap_or_default();
    if let Some(message) = lost.boolean_message(header) {
        return anyhow::anyhow!("{}: {message}", at.cell(schema.column(lost.role)));
    }
    let what = match lost.role {
        Role::Methods => "every user's MFA methods",
        _ => "every user's per-user MFA state",
    };
    let at = at.cell(schema.column(lost.role));
    if matches!(at.location().pos, crate::read::Position::Item(_)) {
        return anyhow::anyhow!(
            "{at}: {} holds {} instead of data: ConvertTo-Json wrote the type name of \
             each element, because the objects are nested deeper than its -Depth (2 by \
             default). This export lost {what}. Nothing was written.\n\
             hint: export again with a greater depth: Get-MsolUser -All | ConvertTo-Json -Depth 4 \
             | Out-File users.json",
            quote(header),
            quote(lost.type_name.trim_end_matches("[]"))
        );
    }
    anyhow::anyhow!(
        "{at}: column {col} ({}) holds {} instead of data: this export lost {what}. \
         Export-Csv writes the type name of a collection, not its content. Nothing was written.\n\
         hint: export the collections as text, for example:\n  {}",
        quote(header),
        quote(lost.type_name),
        EXPORT_COMMAND
    )
}

/// The error for a Graph row whose registration cell cannot be read while its method list is a
/// type name: nothing in the row says whether the user is registered.
fn unreadable_registration(
    cell: &str,
    col: usize,
    lost: &LostData,
    schema: &crate::read::schema::Schema,
    at: Location<'_>,
) -> anyhow::Error {
    let header = schema.header(Role::Registered).unwrap_or_default();
    let methods = schema.header(Role::Methods).unwrap_or_default();
    let value = cell.trim();
    let what = if value.is_empty() {
        "is empty".to_owned()
    } else {
        format!("holds {}, not True or False", quote(value))
    };
    let at = at.cell(Some(col));
    anyhow::anyhow!(
        "{at}: column {} ({}) {what}, and {} holds {} (the type name Export-Csv writes for a \
         list), so whether the user is registered for MFA cannot be told. Nothing was written.\n\
         hint: if {} holds True/False in your language, tell the mfa-audit maintainers the \
         words; if it is the wrong column, name the right one with --column registered=HEADER; \
         or export the method names as text: Get-MgReportAuthenticationMethodUserRegistrationDetail \
         -All | Select-Object UserPrincipalName,IsMfaRegistered,\
         @{{N='MethodsRegistered';E={{$_.MethodsRegistered -join ','}}}} | Export-Csv \
         -NoTypeInformation -Encoding UTF8 -Path registration.csv",
        col + 1,
        quote(header),
        quote(methods),
        quote(lost.type_name),
        quote(header),
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
    bar.set_message(crate::terminal::text(&spec.display()).into_owned());
    Some(bar)
}
