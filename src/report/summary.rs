//! How a run's counts are shown: the JSON summary (`--json`) and the human summary on standard
//! error, with its colours.

use std::fmt::Write as _;

use serde::Serialize;

use crate::audit::admins::{AdminsSummary, StepUpSummary};
use crate::audit::enforced::{ByVerdict, Enforced, PolicySummary};
use crate::audit::gates::GateResult;
use crate::audit::phone_end::PhoneEnd;
use crate::audit::tally::{Count, NameCounter, Population, Tally};
use crate::numbers::{thousands, users};
use crate::read::InputInfo;
use crate::terminal::text;
use crate::warnings::Warnings;

/// The JSON summary (`--json`). The counts come from the [`Tally`] itself (flattened), so a
/// new count cannot be forgotten here.
#[derive(Debug, Serialize)]
pub struct JsonSummary<'a> {
    pub version: &'static str,
    #[serde(flatten)]
    pub tally: &'a Tally,
    pub coverage_percent: Option<f64>,
    pub blocked_excluded: bool,
    pub status: &'a NameCounter,
    pub methods: &'a NameCounter,
    pub users_with_unnamed_methods: u64,
    #[serde(flatten)]
    pub population: &'a Population,
    pub unrecognised_methods: &'a NameCounter,
    pub warnings: Vec<&'a str>,
    pub warnings_total: u64,
    pub inputs: &'a [InputInfo],
    /// The gates asked for, and whether all passed.
    pub gates: &'a [GateResult],
    pub passed: bool,
    /// With `--policies`: users in the report by MFA enforcement verdict, every verdict's key
    /// present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enforcement: Option<&'a ByVerdict>,
    /// With `--policies`: the files read or skipped, and how users were found in them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policies: Option<&'a PolicySummary>,
    /// The end of Microsoft-provided SMS and voice: the date, the days left, the users who
    /// rely on them alone (`audit` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_only: Option<&'a PhoneEnd>,
    /// With `--policies`: users holding a privileged role, and which are not Conditional
    /// Access-enforced or have no phishing-resistant method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admins: Option<&'a AdminsSummary>,
    /// With `--policies`: MFA policies that protect registration or step-up, not sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_up_only: Option<&'a StepUpSummary>,
    /// Only with `--timestamp`: outputs are otherwise the same bytes for the same input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
}

impl<'a> JsonSummary<'a> {
    pub fn new(
        tally: &'a Tally,
        warnings: &'a Warnings,
        inputs: &'a [InputInfo],
    ) -> JsonSummary<'a> {
        JsonSummary {
            version: env!("CARGO_PKG_VERSION"),
            tally,
            coverage_percent: tally.coverage_percent(),
            blocked_excluded: inputs.iter().all(|i| i.columns.contains_key("blocked")),
            status: &tally.status,
            methods: &tally.methods,
            users_with_unnamed_methods: tally.unnamed_methods,
            population: &tally.population,
            unrecognised_methods: &tally.unrecognised,
            warnings: warnings.all().map(String::as_str).collect(),
            warnings_total: warnings.total(),
            inputs,
            gates: &[],
            passed: true,
            enforcement: None,
            policies: None,
            phone_only: None,
            admins: None,
            step_up_only: None,
            generated_at: None,
        }
    }

    /// Adds the end of SMS and voice.
    pub fn with_phone_end(mut self, phone_end: &'a PhoneEnd) -> Self {
        self.phone_only = Some(phone_end);
        self
    }

    /// Adds what `--policies` decided, when the run had it.
    pub fn with_enforcement(mut self, enforced: Option<&'a Enforced>) -> Self {
        self.enforcement = enforced.map(|e| &e.counts);
        self.policies = enforced.map(|e| &e.summary);
        self.admins = enforced.map(|e| &e.findings.admins);
        self.step_up_only = enforced.map(|e| &e.findings.step_up);
        self
    }

    /// Adds the gates' outcome and, with `--timestamp`, the time of the run.
    pub fn with_gates(mut self, gates: &'a [GateResult], generated_at: Option<String>) -> Self {
        self.gates = gates;
        self.passed = gates.iter().all(|g| g.passed);
        self.generated_at = generated_at;
        self
    }
}

/// Colour for the human summary: only on a terminal that shows it (on Windows, a console in
/// virtual-terminal mode), and never when `NO_COLOR` is set.
pub fn colour_wanted() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && crate::terminal::stderr_takes_colour()
}

/// Marks warnings and failed gates red (and passed gates green) when `colour` is on. Call it on
/// text already escaped for the terminal ([`crate::terminal::layout`]): the codes it adds
/// must be the only ones that reach it.
pub fn paint(text: &str, colour: bool) -> String {
    if !colour {
        return text.to_owned();
    }
    text.replace("WARNING:", "\x1b[1;31mWARNING:\x1b[0m")
        .replace("  FAIL  ", "  \x1b[1;31mFAIL\x1b[0m  ")
        .replace("  pass  ", "  \x1b[32mpass\x1b[0m  ")
}

/// The gates, for the human summary: every gate with its outcome.
pub fn human_gates(gates: &[GateResult]) -> String {
    let mut s = String::new();
    if gates.is_empty() {
        return s;
    }
    let failed = gates.iter().filter(|g| !g.passed).count();
    let _ = writeln!(
        s,
        "\nGates: {}",
        if failed == 0 {
            "all passed".to_owned()
        } else {
            format!("{failed} of {} FAILED (exit code 1)", gates.len())
        }
    );
    for g in gates {
        let mark = if g.passed { "pass" } else { "FAIL" };
        let _ = writeln!(s, "  {mark}  {}: {}", text(&g.name), text(&g.summary));
    }
    s
}

/// The end of SMS and voice, for the human summary: the date line, the phone-only users and,
/// with the authentication methods policy, what it still allows them.
pub fn human_phone_end(p: &PhoneEnd) -> String {
    let mut s = format!("\nSMS and voice: {}\n", p.date_line());
    let _ = writeln!(
        s,
        "  {} who can sign in rely on SMS or voice alone (phone only){}",
        users(p.users),
        if p.passed {
            ": they are stopped at sign-in until they register a passkey"
        } else {
            ": they will be stopped at sign-in until they register a passkey"
        }
    );
    if p.cannot_tell > 0 {
        let _ = writeln!(
            s,
            "  {} whose methods cannot say (names mfa-audit does not know, or not exported)",
            users(p.cannot_tell)
        );
    }
    if let Some(c) = &p.policy {
        let on = |b: bool| if b { "enabled" } else { "disabled" };
        let _ = writeln!(
            s,
            "  Authentication methods policy: SMS {}, voice {}{}",
            on(c.sms_enabled),
            on(c.voice_enabled),
            if c.migration_complete {
                ""
            } else {
                " (migration not complete: the legacy MFA and SSPR policies may still allow them)"
            }
        );
        let _ = writeln!(
            s,
            "  Of the phone-only users: {} still allowed SMS or voice by policy (SMS {}, voice \
             {}), {} allowed neither, {} cannot tell",
            thousands(c.still_allowed),
            thousands(c.sms_allowed),
            thousands(c.voice_allowed),
            thousands(c.not_allowed),
            thousands(c.cannot_tell)
        );
    }
    s
}

/// Warnings shown in the human summary; the JSON summary keeps more.
const SHOWN_WARNINGS: usize = 20;

/// The human summary. Data in it (file names, sheet names, warnings that quote cells) is
/// escaped for the terminal with [`crate::terminal::text`]; print it through
/// [`crate::terminal::layout`].
pub fn human(
    tally: &Tally,
    warnings: &Warnings,
    inputs: &[InputInfo],
    include_blocked: bool,
) -> String {
    let mut s = String::new();
    for major in warnings.major() {
        let _ = writeln!(s, "WARNING: {}\n", text(major));
    }
    for i in inputs {
        let _ = writeln!(
            s,
            "{}: {} ({})",
            text(&i.path),
            users(i.rows),
            text(&i.describe())
        );
        if !i.sign_in_from.is_empty() {
            let _ = writeln!(s, "  {}", text(&i.columns_line()));
        }
    }
    let width = thousands(tally.users).len().max(5);
    let line = |s: &mut String, label: &str, n: u64, note: &str| {
        let _ = writeln!(s, "  {label:<13}{:>width$}  {note}", thousands(n));
    };
    let _ = writeln!(s);
    line(&mut s, "Users", tally.users, "rows read");
    let bucket = |s: &mut String, c: Count, note: &str| line(s, c.label(), tally.count(c), note);
    bucket(
        &mut s,
        Count::Registered,
        "at least one MFA method, sign-in allowed",
    );
    if tally.population.registered_by_unrecognised_names > 0 {
        let names: Vec<String> = tally
            .unrecognised
            .sorted()
            .iter()
            .take(5)
            .map(|(n, c)| format!("{} ({})", crate::terminal::quote(n), thousands(*c)))
            .collect();
        line(
            &mut s,
            "  of which",
            tally.population.registered_by_unrecognised_names,
            &format!(
                "registered only by method names mfa-audit does not know: {}{} \
                 (check them; --fail-on-unknown fails on them)",
                names.join(", "),
                if tally.unrecognised.sorted().len() > 5 {
                    ", ..."
                } else {
                    ""
                }
            ),
        );
    }
    bucket(
        &mut s,
        Count::Unregistered,
        "no MFA method, sign-in allowed",
    );
    let blocked_note = if include_blocked {
        "sign-in blocked (kept in the report: --include-blocked)"
    } else {
        "sign-in blocked (not in the lists or the report)"
    };
    bucket(&mut s, Count::Blocked, blocked_note);
    bucket(
        &mut s,
        Count::Unknown,
        "sign-in or registration unreadable, or no UPN: in neither list",
    );
    bucket(&mut s, Count::Duplicates, "repeated UPNs, counted once");
    if tally.excepted > 0 {
        bucket(
            &mut s,
            Count::Excepted,
            "covered by an exception: out of the gates and lists",
        );
    }
    if tally.excluded > 0 {
        bucket(
            &mut s,
            Count::Excluded,
            "left out by --admins-only / --members-only",
        );
    }
    let coverage = match tally.coverage_percent() {
        Some(p) => format!("{p:.1}%"),
        None => "n/a".to_owned(),
    };
    let _ = writeln!(
        s,
        "  {:<13}{coverage:>width$}  registered / (registered + unregistered) = {} / {}",
        "Coverage",
        thousands(tally.registered),
        thousands(tally.registered + tally.unregistered)
    );
    let p = &tally.population;
    if let Some(c) = p
        .flag_contradicts_methods
        .as_ref()
        .filter(|c| c.total() > 0)
    {
        let note = format!(
            "registration flag contradicts the method list, the flag decided: {} flagged no \
             list an MFA method (not allowed by the methods policy?), {} flagged yes list none",
            thousands(c.flag_no_with_mfa_methods),
            thousands(c.flag_yes_without_mfa_methods)
        );
        line(&mut s, "Contradicted", c.total(), &note);
    }
    if tally.lookalike_upns > 0 {
        line(
            &mut s,
            "Look-alikes",
            tally.lookalike_upns,
            "UPNs that read as another user's, letters of other scripts read as Latin: \
             probable impersonation (see the warnings)",
        );
    }
    if let Some(n) = p.mfa_capable {
        line(
            &mut s,
            "MFA capable",
            n,
            "of those who can sign in: registered and allowed by policy (isMfaCapable)",
        );
    }
    if let (Some(n), Some(without)) = (p.admins, p.admins_unregistered) {
        let note = format!(
            "of those who can sign in; {} without MFA",
            thousands(without)
        );
        line(&mut s, "Admins", n, &note);
    }
    if p.guests > 0 {
        line(&mut s, "Guests", p.guests, "of those who can sign in");
    }
    if !p.strongest_method.is_empty() {
        let order = [
            "phishing-resistant",
            "app",
            "phone",
            "not-mfa",
            "unrecognised",
        ];
        let mut parts: Vec<String> = order
            .iter()
            .filter_map(|k| {
                p.strongest_method
                    .get(k)
                    .map(|n| format!("{k} {}", thousands(*n)))
            })
            .collect();
        parts.extend(
            p.strongest_method
                .iter()
                .filter(|(k, _)| !order.contains(k))
                .map(|(k, n)| format!("{k} {}", thousands(*n))),
        );
        let _ = writeln!(
            s,
            "\nStrongest method (users who can sign in): {}",
            parts.join(", "),
        );
    }
    // Status values and method names are kept as the input wrote them.
    let join = |pairs: Vec<(&str, u64)>| {
        pairs
            .iter()
            .map(|(k, n)| format!("{} {}", text(k), thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let status = tally.status.sorted();
    if !status.is_empty() {
        let _ = writeln!(s, "\nMFA Status: {}", join(status));
    }
    let methods = tally.methods.sorted();
    if !methods.is_empty() || tally.unnamed_methods > 0 {
        let mut m = join(methods);
        if tally.unnamed_methods > 0 {
            if !m.is_empty() {
                m.push_str(", ");
            }
            let _ = write!(m, "names not in input {}", thousands(tally.unnamed_methods));
        }
        let _ = writeln!(s, "MFA Methods: {m}");
    }
    let others: Vec<&String> = warnings.all().skip(warnings.major().len()).collect();
    if !others.is_empty() {
        // Major warnings were printed first; this heading counts what follows it.
        let heading = if warnings.major().is_empty() {
            "Warnings"
        } else {
            "Other warnings"
        };
        let rest_total = warnings.total() - warnings.major().len() as u64;
        let _ = writeln!(s, "\n{heading} ({}):", thousands(rest_total));
        for w in others.iter().take(SHOWN_WARNINGS) {
            let _ = writeln!(s, "  - {}", text(w));
        }
        let rest = warnings.total()
            - warnings.major().len() as u64
            - others.len().min(SHOWN_WARNINGS) as u64;
        if rest > 0 {
            let _ = writeln!(
                s,
                "  ... and {} more (all kept ones are in --json)",
                thousands(rest)
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_wanted() {
        let text = "WARNING: x\n  FAIL  gate\n";
        assert_eq!(paint(text, false), text);
        assert!(paint(text, true).contains("\x1b[1;31mWARNING:\x1b[0m"));
    }

    #[test]
    fn data_is_escaped_before_the_colours_are_added() {
        let data = "\u{1b}[32m  pass  \u{202e}";
        let text = format!("WARNING: {}\n", crate::terminal::text(data));
        let shown = paint(&crate::terminal::layout(&text), true);
        assert_eq!(
            shown,
            "\x1b[1;31mWARNING:\x1b[0m \\u{1b}[32m  \x1b[32mpass\x1b[0m  \\u{202e}\n"
        );
        // The only escape characters left are our own colours.
        assert_eq!(shown.matches('\x1b').count(), 4);
    }
}
