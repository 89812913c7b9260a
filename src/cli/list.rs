//! `mfa-audit list BUCKET`: the UPNs of one bucket, one per line, for pipes and scripts.
//!
//! Same reading and classification as `audit`; nothing is written but standard output.
//! Warnings go to standard error.
//!
//! UPNs are written as they are, except under GitHub Actions (`GITHUB_ACTIONS=true`), whose
//! runner reads our standard output for workflow commands: there a UPN that starts with `::`
//! or holds `##[` (no real UPN does) is written as [`crate::terminal::guard_commands`] shows it.
//! (A UPN cannot hold a line break: the audit stops on one.)

use std::io::{self, BufWriter, Stdout, Write};
use std::process::ExitCode;

use anyhow::Result;

use crate::audit::classify::{Bucket, Verdict};
use crate::audit::exceptions::Exception;
use crate::audit::run::{self, EngineOptions, Sink};
use crate::cli::args::{ListArgs, ListBucket};
use crate::read::schema::Role;
use crate::read::Location;

struct ListSink {
    /// `None`: the excepted users.
    bucket: Option<Bucket>,
    out: BufWriter<Stdout>,
    /// Under GitHub Actions: no line may pass for a workflow command.
    guard: bool,
}

impl Sink for ListSink {
    fn accept(
        &mut self,
        v: &Verdict,
        _at: Location<'_>,
        exception: Option<&Exception>,
    ) -> Result<()> {
        let wanted = match self.bucket {
            None => exception.is_some(),
            Some(b) => exception.is_none() && v.bucket == b,
        };
        if wanted && !v.upn.is_empty() {
            let upn = if self.guard {
                crate::terminal::guard_commands(v.upn)
            } else {
                v.upn.into()
            };
            self.out.write_all(upn.as_bytes())?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }
}

pub fn run(args: ListArgs) -> Result<ExitCode> {
    // First, so that a Ctrl-C at any point after it leaves no temporary file behind.
    run::install_interrupt_handler();
    let (specs, mut read) = super::inputs(&args.input)?;
    read.ignore[Role::DisplayName.index()] = true;
    read.ignore[Role::DefaultMethod.index()] = true;
    let bucket = match args.bucket {
        ListBucket::Registered => Some(Bucket::Registered),
        ListBucket::Unregistered => Some(Bucket::Unregistered),
        ListBucket::Blocked => Some(Bucket::Blocked),
        ListBucket::Unknown => Some(Bucket::Unknown),
        ListBucket::Excepted => None,
    };
    let mut sink = ListSink {
        bucket,
        out: BufWriter::with_capacity(64 * 1024, io::stdout()),
        guard: crate::terminal::github_actions(),
    };
    let options = EngineOptions {
        include_blocked: true,
        ..super::engine_options(&args.input.read, read, false)?
    };
    let outcome = run::run(&specs, &options, &mut sink)?;
    sink.out.flush()?;
    if !args.quiet {
        for w in outcome.warnings.all().take(20) {
            let line = format!("mfa-audit: warning: {}\n", crate::terminal::text(w));
            eprint!("{}", crate::terminal::layout(&line));
        }
        let rest = outcome.warnings.total().saturating_sub(20);
        if rest > 0 {
            eprintln!("mfa-audit: ... and {rest} more warnings (see `mfa-audit audit --json`)");
        }
    }
    Ok(ExitCode::SUCCESS)
}
