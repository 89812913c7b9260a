//! Where an input's bytes come from: a file, or standard input (`-`).
//!
//! The choice is made once, from the argument as written, and every reader (user exports,
//! `--accounts`, `--exceptions`, sign-in downloads, `--users`, diff's BEFORE and AFTER) opens
//! its bytes through [`Source::open`], so that a byte-stream wrapper (counting, hashing) has
//! one place to go. Standard input can be read only once per run: [`stdin_at_most_once`]
//! refuses a second `-` among all the inputs of a command line before anything is read, since
//! the second reader would silently see an empty input.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// The bytes of an input, readable from a parser's thread.
pub type ByteStream = Box<dyn io::Read + Send>;

/// An input as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `-`.
    Stdin,
    Path(PathBuf),
}

/// The name user exports have long used for [`Source`].
pub type InputSpec = Source;

impl Source {
    /// The input an argument names: `-` is standard input, anything else a path.
    pub fn from_arg(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else {
            Source::Path(PathBuf::from(arg))
        }
    }

    pub fn is_stdin(&self) -> bool {
        matches!(self, Source::Stdin)
    }

    /// The file, when the input is one (formats that seek open it again).
    pub fn path(&self) -> Option<&Path> {
        match self {
            Source::Stdin => None,
            Source::Path(p) => Some(p),
        }
    }

    /// The name used in messages: the path as given, or `<stdin>`.
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_owned(),
            Source::Path(p) => p.to_string_lossy().into_owned(),
        }
    }

    /// The input's size in bytes, when it is a regular file.
    pub fn file_size(&self) -> Option<u64> {
        std::fs::metadata(self.path()?)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    }

    /// The input's bytes. The one place a stream is opened, for every kind of input.
    pub fn open(&self) -> Result<ByteStream> {
        let name = self.display();
        match self {
            Source::Stdin => Ok(Box::new(io::stdin())),
            Source::Path(path) => {
                if path.is_dir() {
                    bail!("{name}: is a folder; give the export file itself");
                }
                let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
                Ok(Box::new(file))
            }
        }
    }
}

/// Refuses a command line that names standard input (`-`) twice among all its inputs:
/// `uses` pairs how each input was given (`--accounts`, ...; empty, or `INPUT`, for a
/// positional input) with its argument.
pub fn stdin_at_most_once<'w, 'a>(
    uses: impl IntoIterator<Item = (&'w str, &'a str)>,
) -> Result<()> {
    let mut first: Option<&str> = None;
    for (what, arg) in uses {
        if arg != "-" {
            continue;
        }
        let what = if what.is_empty() { "INPUT" } else { what };
        match first {
            None => first = Some(what),
            Some(earlier) => bail!(
                "standard input (-) can be read only once, but both {earlier} and {what} name \
                 it\nhint: save one of them to a file and give its path"
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdin_and_is_claimed_once() {
        assert_eq!(Source::from_arg("-"), Source::Stdin);
        assert_eq!(Source::from_arg("-").display(), "<stdin>");
        assert_eq!(Source::from_arg("a.csv").display(), "a.csv");
        assert!(Source::from_arg("./-").path().is_some());
        type Uses<'a> = &'a [(&'a str, &'a str)];
        let cases: &[(Uses, Option<&str>)] = &[
            (&[("INPUT", "a.csv"), ("--accounts", "-")], None),
            (&[("INPUT", "-"), ("INPUT", "b.csv")], None),
            (
                &[("INPUT", "-"), ("--accounts", "x"), ("--exceptions", "-")],
                Some("both INPUT and --exceptions"),
            ),
            (
                &[("BEFORE", "-"), ("AFTER", "-")],
                Some("both BEFORE and AFTER"),
            ),
        ];
        for (uses, want) in cases {
            let got = stdin_at_most_once(uses.iter().copied())
                .err()
                .map(|e| e.to_string());
            match (want, got) {
                (None, None) => {}
                (Some(w), Some(g)) => assert!(g.contains(w), "{g}"),
                (w, g) => panic!("{uses:?}: wanted {w:?}, got {g:?}"),
            }
        }
    }
}
