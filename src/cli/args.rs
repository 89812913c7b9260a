//! The command line: a contract that scripts and CI jobs rely on.

use clap::{Args, Parser, Subcommand, ValueEnum};
use encoding_rs::Encoding;
use regex::{Regex, RegexBuilder};

use crate::dates::{parse_day_arg, Day};
use crate::read::detect;
use crate::report::mfa_report::Column;

use crate::audit::vocab::NameStyle;
use crate::read::schema::{parse_override, ColumnOverride};
use crate::read::signin_columns::{parse_signin_override, SigninOverride};
use crate::report::table::TableFormat;

const EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    an audit gate failed (outputs are written; the summary names the gate)
  2    bad usage, unusable input, or an output that could not be written
  130  interrupted (Ctrl-C); no output was changed";

const AUDIT_EXAMPLES: &str = "\
Examples:
  # Export from PowerShell so that nothing is lost (MSOnline):
  #   Get-MsolUser -All | Select-Object UserPrincipalName,DisplayName,BlockCredential,
  #     @{N='StrongAuthenticationMethods';E={($_.StrongAuthenticationMethods | % MethodType) -join ','}},
  #     @{N='StrongAuthenticationRequirements';E={$_.StrongAuthenticationRequirements.State}} |
  #     Export-Csv -NoTypeInformation -Encoding UTF8 users.csv
  mfa-audit audit users.csv
  mfa-audit audit users.csv -o MFA_Report.csv --unregistered todo.csv --json summary.json
  mfa-audit audit tenant-a.csv tenant-b.csv --columns upn,display-name,status,methods,blocked
  mfa-audit audit users.xlsx --sheet Users -o MFA_Report.xlsx
  Get-Content users.csv | mfa-audit audit - -o - -q";

#[derive(Debug, Parser)]
#[command(
    name = "mfa-audit",
    // Not the name the program was started by, which is `mfa-audit.exe` on Windows.
    bin_name = "mfa-audit",
    // The package version, and the commit when built from git (build.rs).
    version = env!("MFA_AUDIT_VERSION"),
    about = "Who in a Microsoft 365 / Entra ID tenant can and cannot do MFA, from user exports",
    long_about = "Reads the user lists admins export with PowerShell (Get-MsolUser | Export-Csv) or \
download from the Entra admin center, classifies every user the way Microsoft's own commands do \
(registered / unregistered, blocked users excluded), and writes MFA_Report.csv, lists and \
summaries. Offline, streaming, in seconds.",
    after_help = EXIT_CODES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit exports: write MFA_Report.csv, lists and a summary
    #[command(after_help = format!("{AUDIT_EXAMPLES}\n\n{EXIT_CODES}"))]
    Audit(Box<AuditArgs>),
    /// Print the UPNs of one bucket, one per line, on standard output
    #[command(after_help = format!("Examples:\n  mfa-audit list unregistered users.csv > todo.txt\n  mfa-audit list blocked users.csv | wc -l\n\n{EXIT_CODES}"))]
    List(ListArgs),
    /// Compare two audits: who became registered, lost registration, appeared, disappeared,
    /// changed MFA Status or methods
    #[command(after_help = format!("Examples:\n  mfa-audit diff last/MFA_Report.csv users.csv -o changes.csv\n  mfa-audit diff before.json after.json --fail-on-regression\n\n{EXIT_CODES}"))]
    Diff(DiffArgs),
    /// Answer the sign-in report's MFA questions from Entra sign-in downloads (CSV or JSON)
    #[command(after_help = format!("Examples:\n  mfa-audit signins InteractiveSignIns_2026-11-01_2026-11-08.csv\n  mfa-audit signins InteractiveSignIns_*.csv InteractiveSignIns_AuthDetails_*.csv --per-user users.csv\n  mfa-audit signins signins.json --users users.csv --json mfa.json\n\n{EXIT_CODES}"))]
    Signins(SigninsArgs),
    /// Explain a result code or an MFA result reason (any of the article's five languages)
    #[command(after_help = format!("Examples:\n  mfa-audit explain FAILED_PHONE_APP_NO_RESPONSE\n  mfa-audit explain \"user declined the authentication\"\n  mfa-audit explain tjänstfel\n  mfa-audit explain --list\n\n{EXIT_CODES}"))]
    Explain(ExplainArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  mfa-audit completions bash > /etc/bash_completion.d/mfa-audit\n  mfa-audit completions zsh > \"${fpath[1]}/_mfa-audit\"\n  mfa-audit completions powershell >> $PROFILE"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  mfa-audit man > /usr/local/share/man/man1/mfa-audit.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct SigninsArgs {
    /// Sign-in downloads: InteractiveSignIns / NonInteractiveSignIns CSV files, their
    /// AuthDetails companions, or JSON (portal download or Graph signIn objects)
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,

    /// Write per-user counts here (CSV, or .xlsx)
    #[arg(long, value_name = "PATH")]
    pub per_user: Option<String>,

    /// Write the MFA-relevant sign-ins here, normalised (CSV, or .xlsx)
    #[arg(long, value_name = "PATH")]
    pub events: Option<String>,

    /// Write the answers as JSON (- for standard output)
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,

    /// Write the answers as a self-contained HTML page
    #[arg(long, value_name = "PATH")]
    pub html: Option<String>,

    /// Write per Conditional Access policy counts here, enforced and report-only apart (CSV,
    /// or .xlsx; needs the JSON download, which lists the policies of each sign-in)
    #[arg(long, value_name = "PATH")]
    pub policy_counts: Option<String>,

    /// A user export to join: challenged users who are unregistered, registered users never
    /// challenged
    #[arg(long, value_name = "EXPORT")]
    pub users: Option<String>,

    /// Encoding of the inputs, overriding detection
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static Encoding>,

    /// Largest record of an input, in MiB (an unterminated quote would otherwise swallow the
    /// file)
    #[arg(long, value_name = "MB", default_value_t = 16,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_record_size: u64,

    /// Most columns an input may have
    #[arg(long, value_name = "N", default_value_t = 16_384, value_parser = parse_max_columns)]
    pub max_columns: usize,

    /// Use HEADER for ROLE in CSV downloads whose headers are not recognised (another portal
    /// language, a renamed column; repeatable). Roles: upn, request-id, date, requirement,
    /// result, status, error-code, method, detail, succeeded (AuthDetails files)
    #[arg(long = "column", id = "column", value_name = "ROLE=HEADER",
          value_parser = parse_signin_override)]
    pub column_map: Vec<SigninOverride>,

    /// Append step outputs (the answers' counts and the paths written) to $GITHUB_OUTPUT
    /// (GitHub Actions; refused when it is not set)
    #[arg(long)]
    pub github_output: bool,

    /// No human summary
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A result code (FAILED_SMS_NOT_SENT), a reason ("user declined the authentication") or a
    /// fragment, in English, Swedish, Dutch, French or Japanese
    #[arg(value_name = "CODE or TEXT", required_unless_present = "list")]
    pub query: Vec<String>,

    /// Print the whole reference
    #[arg(long)]
    pub list: bool,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier audit or export (any input format, e.g. last run's MFA_Report.csv)
    #[arg(value_name = "BEFORE")]
    pub before: String,

    /// The later one
    #[arg(value_name = "AFTER")]
    pub after: String,

    #[command(flatten)]
    pub read: ReadArgs,

    /// Write the changes here (CSV with a Change column; .xlsx for a workbook; - for standard
    /// output)
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<String>,

    /// Write the changes and their counts as JSON (- for standard output)
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,

    /// Write the changes as a self-contained HTML page
    #[arg(long, value_name = "PATH")]
    pub html: Option<String>,

    /// Exit with code 1 when someone lost registration or their MFA Status went down
    #[arg(long)]
    pub fail_on_regression: bool,

    /// No human summary
    #[arg(short, long)]
    pub quiet: bool,
}

/// The inputs of `audit` and `list`, and how to read them.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Export files (CSV, XLSX, XLSB, XLS or JSON); `-` reads standard input. Several files are
    /// one population
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<String>,

    #[command(flatten)]
    pub read: ReadArgs,
}

/// How to read exports, shared by every command.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Encoding of the inputs, overriding detection (utf-8, utf-16le, utf-16be, windows-1252,
    /// shift_jis, or a PowerShell name such as Unicode)
    #[arg(long, value_name = "NAME", value_parser = parse_encoding)]
    pub encoding: Option<&'static Encoding>,

    /// Field delimiter, overriding detection: `,` `;` `tab` or any single character
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// Use HEADER for ROLE, over any recognised name (repeatable). Roles: upn, display-name,
    /// blocked (true = sign-in blocked), enabled (true = can sign in), methods, status,
    /// registered (a yes/no registration flag), default-method, mfa-capable, admin, user-type,
    /// any-method, method-sms, method-phone, method-otp, method-authenticator,
    /// method-passwordless, method-hello, method-fido2 (one true/false column per method)
    #[arg(long = "column", id = "column", value_name = "ROLE=HEADER", value_parser = parse_override)]
    pub column_map: Vec<ColumnOverride>,

    /// Worksheet to read in workbook inputs, by name or position from 1 (default: the first
    /// sheet with a user principal name column)
    #[arg(long, value_name = "NAME|INDEX")]
    pub sheet: Option<String>,

    /// A user list whose accountEnabled (or BlockCredential) column gives the sign-in state of
    /// inputs that have none, e.g. Graph registration details (joined by UPN)
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<String>,

    /// Audit only admins (needs an isAdmin column); the others are counted as excluded
    #[arg(long)]
    pub admins_only: bool,

    /// Audit only members, not guests (userType, or #EXT# in the UPN without that column)
    #[arg(long)]
    pub members_only: bool,

    /// Known exceptions (CSV with UserPrincipalName or Pattern, Reason, Expires, Owner; or
    /// lines "upn" / "regex:PATTERN"): left out of the gates and lists, counted as excepted
    #[arg(long, value_name = "FILE")]
    pub exceptions: Vec<String>,

    /// Except users whose UPN matches (repeatable; a quick exception without a reason)
    #[arg(long, value_name = "REGEX")]
    pub exclude: Vec<String>,

    /// Evaluate exception expiry dates as of this day (YYYY-MM-DD; default: today, UTC)
    #[arg(long, value_name = "DATE", value_parser = parse_day_arg)]
    pub today: Option<Day>,

    /// Read a Microsoft Graph page that still carries @odata.nextLink (one page of a longer
    /// list) instead of refusing it; the counts then cover that page only, said in a warning
    #[arg(long)]
    pub allow_partial: bool,

    /// Largest CSV record, in MiB (an unterminated quote would otherwise swallow the file)
    #[arg(long, value_name = "MB", default_value_t = 16,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_record_size: u64,

    /// Most columns an input may have
    #[arg(long, value_name = "N", default_value_t = 16_384, value_parser = parse_max_columns)]
    pub max_columns: usize,

    /// Largest total uncompressed size of a workbook, in GiB (a decompression bomb guard)
    #[arg(long, value_name = "GB", default_value = "4", value_parser = parse_gib)]
    pub max_unpacked: u64,

    /// Treat warnings as errors (exit code 2, nothing written)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Newline {
    Crlf,
    Lf,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Report path; `-` writes it to standard output. A .xlsx path writes a workbook
    #[arg(short, long, value_name = "PATH", default_value = "MFA_Report.csv")]
    pub output: String,

    /// Report format, when the path's extension should not decide (csv, xlsx)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<TableFormat>,

    /// Write the UPNs of registered, not blocked users here (header "UserPrincipalName"; CSV,
    /// or a workbook for a .xlsx path)
    #[arg(long, value_name = "PATH")]
    pub registered: Option<String>,

    /// Write the UPNs of unregistered, not blocked users here (like --registered)
    #[arg(long, value_name = "PATH")]
    pub unregistered: Option<String>,

    /// Write a machine-readable summary here (`-` for standard output)
    #[arg(long, value_name = "PATH")]
    pub json: Option<String>,

    /// Keep blocked users in the report (Microsoft's report command keeps everyone)
    #[arg(long)]
    pub include_blocked: bool,

    /// Report columns, from: upn,status,methods,display-name,default-method,registered,blocked,
    /// mfa-capable,admin,user-type,strongest-method,source, and with --policies enforcement,
    /// enforcement-detail
    #[arg(long, value_name = "LIST", default_value = "upn,status,methods", value_parser = parse_columns)]
    pub columns: Columns,

    /// Text between method names in the report
    #[arg(long, value_name = "S", default_value = ", ")]
    pub method_separator: String,

    /// Method names in the report: as written in the input, Graph's canonical names, or the
    /// Entra admin center's display names
    #[arg(long, value_enum, value_name = "STYLE", default_value = "as-written")]
    pub method_names: NameStyle,

    /// Start CSV outputs with a UTF-8 byte order mark (for Excel)
    #[arg(long)]
    pub bom: bool,

    /// Line ending of CSV outputs
    #[arg(long, value_enum, default_value = "crlf")]
    pub newline: Newline,

    /// Do not neutralise cells that a spreadsheet would run as formulas (=, +, -, @)
    #[arg(long)]
    pub no_sanitize: bool,

    /// Write a self-contained HTML report here (summary, charts, gates, searchable user table)
    #[arg(long, value_name = "PATH")]
    pub html: Option<String>,

    /// Write the CIS and CISA SCuBA MFA controls, each pass, fail or not assessable, as JSON
    /// (`-` for standard output; docs/controls.md)
    #[arg(long, value_name = "PATH")]
    pub controls: Option<String>,

    /// Write the same controls as SARIF 2.1.0 for code-scanning dashboards (`-` for standard
    /// output)
    #[arg(long, value_name = "PATH")]
    pub sarif: Option<String>,

    /// Write the excepted users here, with the reason, expiry and owner of their exception
    #[arg(long, value_name = "PATH")]
    pub excepted: Option<String>,

    /// Write the users who can sign in and rely on SMS or voice alone here (UPN, display
    /// name, methods; with --policies, whether the methods policy still allows SMS / voice):
    /// those Microsoft stops at sign-in once its SMS and voice end (docs/classification.md)
    #[arg(long, value_name = "PATH")]
    pub phone_only: Option<String>,

    /// Policy exports (Conditional Access, security defaults, group members, role
    /// assignments, per-user MFA, methods policy; a folder is read recursively; repeatable):
    /// decide whether MFA is enforced for each user (docs/enforcement.md)
    #[arg(long, value_name = "PATH")]
    pub policies: Vec<String>,

    #[command(flatten)]
    pub gates: GateArgs,

    /// Write a JUnit XML report: one test case per gate and per unregistered user
    #[arg(long, value_name = "PATH")]
    pub junit: Option<String>,

    /// Append a Markdown summary to $GITHUB_STEP_SUMMARY and annotate failed gates (GitHub
    /// Actions)
    #[arg(long)]
    pub github_summary: bool,

    /// Append step outputs (coverage, passed, counts, the paths written) to $GITHUB_OUTPUT
    /// (GitHub Actions; refused when it is not set)
    #[arg(long)]
    pub github_output: bool,

    /// Add "generated_at" to the JSON summary (otherwise outputs are byte-identical across runs)
    #[arg(long)]
    pub timestamp: bool,

    /// No progress bar and no human summary
    #[arg(short, long)]
    pub quiet: bool,
}

/// Conditions that fail the run with exit code 1 (outputs are still written).
#[derive(Debug, Args)]
#[command(next_help_heading = "Gates (exit code 1 when one fails)")]
pub struct GateArgs {
    /// Fail when coverage, registered / (registered + unregistered), is below PERCENT
    #[arg(long, value_name = "PERCENT")]
    pub fail_under: Option<f64>,

    /// Fail when more than N users are unregistered
    #[arg(long, value_name = "N")]
    pub max_unregistered: Option<u64>,

    /// Fail on any user whose sign-in state is unreadable, or an input that cannot exclude
    /// blocked accounts
    #[arg(long)]
    pub fail_on_unknown: bool,

    /// Every user who can sign in and whose UPN matches must be registered (repeatable)
    #[arg(long, value_name = "REGEX", value_parser = parse_upn_pattern)]
    pub require: Vec<Regex>,

    /// Every admin (isAdmin) who can sign in must be registered
    #[arg(long)]
    pub require_admins: bool,

    /// Fail on any registered user whose methods are all text message or voice call, or
    /// whose methods cannot say (names not exported or unknown)
    #[arg(long)]
    pub fail_on_phone_only: bool,

    /// Fail on any user who can sign in whose MFA enforcement is Conditional Access
    /// (partial), Report-only, Not enforced or Undetermined (needs --policies)
    #[arg(long, requires = "policies")]
    pub fail_on_unenforced: bool,

    /// Every user who can sign in and whose UPN matches must be enforced by Conditional
    /// Access or security defaults (needs --policies; repeatable)
    #[arg(long, value_name = "REGEX", value_parser = parse_upn_pattern, requires = "policies")]
    pub require_enforced: Vec<Regex>,

    /// Every admin (privileged directory role at /, from the role assignments in --policies)
    /// who can sign in must have a phishing-resistant method registered (needs --policies)
    #[arg(long, requires = "policies")]
    pub require_admins_phishing_resistant: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListBucket {
    Registered,
    Unregistered,
    Blocked,
    Unknown,
    /// Users an exception covers
    Excepted,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which users to print
    #[arg(value_enum)]
    pub bucket: ListBucket,

    #[command(flatten)]
    pub input: InputArgs,

    /// Do not print warnings
    #[arg(short, long)]
    pub quiet: bool,
}

/// The report's columns (`--columns`), in order.
#[derive(Debug, Clone)]
pub struct Columns(pub Vec<Column>);

fn parse_columns(list: &str) -> Result<Columns, String> {
    Column::parse_list(list)
        .map(Columns)
        .map_err(|e| e.to_string().trim_start_matches("--columns: ").to_owned())
}

fn parse_encoding(name: &str) -> Result<&'static Encoding, String> {
    detect::lookup(name).map_err(|e| e.to_string())
}

/// A UPN pattern: case-insensitive, as UPNs are.
fn parse_upn_pattern(pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| format!("not a valid pattern: {e}"))
}

fn parse_max_columns(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "{s:?} is not a number of columns from 1 to 1,000,000"
        )),
    }
}

/// A size in GiB (fractions allowed), as bytes: positive, finite, at most 1,024 GiB.
fn parse_gib(s: &str) -> Result<u64, String> {
    match s.trim().parse::<f64>() {
        Ok(g) if g.is_finite() && g > 0.0 && g <= 1024.0 => Ok((g * f64::from(1u32 << 30)) as u64),
        _ => Err(format!(
            "{s:?} is not a size in GiB from more than 0 to 1024"
        )),
    }
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        "comma" => Ok(b','),
        "semicolon" => Ok(b';'),
        s if s.len() == 1 && s.is_ascii() && s != "\"" && s != "\n" && s != "\r" => {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!(
            "expected one ASCII character such as , ; or tab, got {s:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_names_the_program_without_its_file_name() {
        use clap::CommandFactory;
        for argv0 in ["mfa-audit.exe", "MFA-AUDIT.EXE", "renamed-copy"] {
            for args in [&[argv0, "--help"][..], &[argv0, "audit", "--help"]] {
                let err = Cli::command().try_get_matches_from(args).unwrap_err();
                let help = err.render().to_string();
                assert!(help.contains("Usage: mfa-audit "), "{args:?}: {help}");
                assert!(!help.contains(argv0), "{args:?}: {help}");
            }
        }
    }
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes_numbers_and_patterns() {
        assert_eq!(parse_gib("4"), Ok(4 << 30));
        assert_eq!(parse_gib("0.5"), Ok(1 << 29));
        for bad in ["NaN", "inf", "-1", "0", "1e9", "", "four"] {
            assert!(parse_gib(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_max_columns("16384"), Ok(16_384));
        for bad in ["0", "-3", "1e3", "99999999"] {
            assert!(parse_max_columns(bad).is_err(), "{bad}");
        }
        assert!(parse_upn_pattern("^ADMIN").unwrap().is_match("admin@x.com"));
        assert!(parse_upn_pattern("(").is_err());
        assert!(parse_encoding("Unicode").is_ok());
        assert!(parse_encoding("klingon").is_err());
        assert_eq!(parse_columns("upn,status").unwrap().0.len(), 2);
        assert!(parse_columns("upn,colour")
            .unwrap_err()
            .starts_with("unknown column"));
    }

    #[test]
    fn delimiters() {
        assert_eq!(parse_delimiter(";"), Ok(b';'));
        assert_eq!(parse_delimiter("tab"), Ok(b'\t'));
        assert!(parse_delimiter("\"").is_err());
        assert!(parse_delimiter(";;").is_err());
    }
}
