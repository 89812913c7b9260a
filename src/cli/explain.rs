//! `mfa-audit explain`: what a result code, an MFA result reason (as the portal writes it, in
//! any of the five languages) or a sign-in error code means, whether it is a success or a
//! failure, and what to check; `--list` prints the whole reference.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Result};
use serde_json::json;

use crate::cli::args::ExplainArgs;
use crate::signins::errors::ERROR_CODES;
use crate::signins::reference::{Class, REASONS, RESULT_CODES};
use crate::signins::{lookup, Entry};

pub fn run(args: ExplainArgs) -> Result<ExitCode> {
    let entries: Vec<Entry> = if args.list {
        RESULT_CODES
            .iter()
            .map(Entry::Code)
            .chain(REASONS.iter().map(|r| Entry::Reason(r, "en", r.en)))
            .chain(ERROR_CODES.iter().map(Entry::Error))
            .collect()
    } else {
        let query = args.query.join(" ");
        let found = lookup(&query);
        if found.is_empty() {
            bail!(
                "nothing matches {}\nhint: give a result code (FAILED_SMS_NOT_SENT), a reason as \
                 the sign-in report writes it (MFA denied; user declined the authentication), a \
                 sign-in error code (500121 or AADSTS500121), or a fragment; mfa-audit explain \
                 --list shows everything",
                crate::terminal::quote(&query)
            );
        }
        found
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let items: Vec<_> = entries.iter().map(entry_json).collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        out.write_all(b"\n")?;
    } else {
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(describe(e).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn entry_json(e: &Entry) -> serde_json::Value {
    match e {
        Entry::Code(c) => json!({
            "kind": "result-code", "code": c.code, "outcome": c.outcome,
            "title": c.title, "meaning": c.meaning, "check": c.check,
        }),
        Entry::Reason(r, lang, text) => json!({
            "kind": "reason", "class": r.class, "group": r.group.map(|g| g.name()),
            "matched": {"language": lang, "text": text},
            "en": r.en, "translations": {"sv": r.sv, "nl": r.nl, "fr": r.fr, "ja": r.ja},
            "meaning": r.meaning, "check": r.check, "action": r.group.map(|g| g.action()),
        }),
        Entry::Error(e) => json!({
            "kind": "error-code", "code": e.code, "name": e.name, "mfa": e.kind,
            "meaning": e.meaning, "check": e.check,
        }),
    }
}

fn language(code: &str) -> &'static str {
    match code {
        "sv" => "Swedish",
        "nl" => "Dutch",
        "fr" => "French",
        "ja" => "Japanese",
        _ => "English",
    }
}

fn describe(e: &Entry) -> String {
    let mut s = String::new();
    match e {
        Entry::Code(c) => {
            let _ = writeln!(s, "{} (result code, {:?}): {}", c.code, c.outcome, c.title);
            let _ = writeln!(s, "  {}", c.meaning);
            let _ = writeln!(s, "  Check: {}", c.check);
        }
        Entry::Error(e) => {
            let _ = writeln!(
                s,
                "AADSTS{} (sign-in error code, {}): {}",
                e.code,
                e.kind.name(),
                e.name
            );
            let _ = writeln!(s, "  {}", e.meaning);
            let _ = writeln!(s, "  Check: {}", e.check);
        }
        Entry::Reason(r, lang, text) => {
            let class = match r.class {
                Class::Satisfied => "MFA satisfied",
                Class::Denied => "MFA denied",
            };
            if *lang == "en" {
                let _ = writeln!(s, "{:?} ({class})", r.en);
            } else {
                let _ = writeln!(s, "{text:?} ({}) = {:?} ({class})", language(lang), r.en);
            }
            let _ = writeln!(s, "  {}", r.meaning);
            let _ = writeln!(s, "  Check: {}", r.check);
            if let Some(g) = r.group {
                let _ = writeln!(s, "  Kind: {}. What to do: {}.", g.name(), g.action());
            }
        }
    }
    s
}
