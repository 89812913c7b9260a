//! Warnings collected during a run: kept in order, capped in memory, counted in full.
//!
//! Under `--strict` the first warning becomes the error that stops the run (exit code 2), before
//! any output is committed.

use anyhow::{bail, Result};

/// How many warnings are kept for the summary; the rest are only counted.
pub const KEPT: usize = 1000;

#[derive(Debug, Default)]
pub struct Warnings {
    /// Warnings that change how the whole result must be read (shown first).
    major: Vec<String>,
    kept: Vec<String>,
    total: u64,
    strict: bool,
}

impl Warnings {
    pub fn new(strict: bool) -> Warnings {
        Warnings {
            strict,
            ..Warnings::default()
        }
    }

    /// Records a warning; an error under `--strict`.
    pub fn push(&mut self, message: impl Into<String>) -> Result<()> {
        let message = message.into();
        if self.strict {
            bail!("{message}\n(--strict turns warnings into errors)");
        }
        self.total += 1;
        if self.kept.len() < KEPT {
            self.kept.push(message);
        }
        Ok(())
    }

    /// Records a warning that qualifies the whole result, e.g. blocked accounts that could not
    /// be excluded. Shown before everything else.
    pub fn push_major(&mut self, message: impl Into<String>) -> Result<()> {
        let message = message.into();
        if self.strict {
            bail!("{message}\n(--strict turns warnings into errors)");
        }
        self.total += 1;
        self.major.push(message);
        Ok(())
    }

    pub fn major(&self) -> &[String] {
        &self.major
    }

    /// Major warnings first, then the others, as kept.
    pub fn all(&self) -> impl Iterator<Item = &String> {
        self.major.iter().chain(self.kept.iter())
    }

    /// Every warning, including those not kept.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Warnings counted but not kept.
    pub fn dropped(&self) -> u64 {
        self.total - (self.major.len() + self.kept.len()) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_but_counted_and_major_first() {
        let mut w = Warnings::new(false);
        for i in 0..KEPT + 5 {
            w.push(format!("w{i}")).unwrap();
        }
        w.push_major("big").unwrap();
        assert_eq!(w.total(), KEPT as u64 + 6);
        assert_eq!(w.dropped(), 5);
        assert_eq!(w.all().next().unwrap(), "big");
    }

    #[test]
    fn strict_turns_the_first_warning_into_an_error() {
        let mut w = Warnings::new(true);
        let err = w.push("odd cell").unwrap_err().to_string();
        assert!(
            err.contains("odd cell") && err.contains("--strict"),
            "{err}"
        );
    }
}
