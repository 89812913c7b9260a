//! Refuses, before anything is read or written, outputs that would overwrite an input of the
//! run or each other.
//!
//! Paths are compared by what they name, not by how they are spelled: an existing file by its
//! (device, inode) pair, so that `./u.csv`, `../dir/u.csv`, a symbolic link and a hard link to
//! `u.csv` are all `u.csv`; a name that does not exist yet by its canonical folder and name.
//! Every input counts: the positional ones, `--accounts`, each `--exceptions`, `signins
//! --users`, both sides of `diff`, every sign-in file, and standard input (`-`) by what it is
//! connected to. Character devices are exempt (`/dev/null` may take several outputs, and a
//! terminal both prompts and prints).

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Result};

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    /// An existing file; `device`: a character device, which never clashes.
    Node { dev: u64, ino: u64, device: bool },
    /// A name that does not exist (yet), made absolute and canonical as far as it exists.
    Missing(PathBuf),
}

impl Identity {
    fn of(path: &str) -> Identity {
        // Standard input and output are whatever the shell connected them to.
        let path = match path {
            "-" => "/dev/stdin",
            p => p,
        };
        match fs::metadata(path) {
            Ok(m) => node(&m),
            Err(_) => Identity::Missing(missing(Path::new(path))),
        }
    }

    /// True when writing one would change the other.
    fn clashes(&self, other: &Identity) -> bool {
        match (self, other) {
            (Identity::Node { device: true, .. }, _) | (_, Identity::Node { device: true, .. }) => {
                false
            }
            (a, b) => a == b,
        }
    }
}

#[cfg(unix)]
fn node(m: &fs::Metadata) -> Identity {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    Identity::Node {
        dev: m.dev(),
        ino: m.ino(),
        device: m.file_type().is_char_device(),
    }
}

#[cfg(not(unix))]
fn node(_m: &fs::Metadata) -> Identity {
    Identity::Missing(PathBuf::new())
}

/// The canonical form of a path that does not exist: its folder canonical (when it exists),
/// the name as given; a dangling symbolic link is followed to the name it points to.
fn missing(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match fs::read_link(&path) {
            Ok(target) => {
                path = match path.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                }
            }
            Err(_) => break,
        }
    }
    let absolute = std::path::absolute(&path).unwrap_or(path);
    let (Some(dir), Some(name)) = (absolute.parent(), absolute.file_name()) else {
        return lexical(&absolute);
    };
    match fs::canonicalize(dir) {
        Ok(dir) => dir.join(name),
        Err(_) => lexical(&absolute),
    }
}

/// `a/./b/../c` as `a/c`, for folders that do not exist either.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Refuses outputs that would overwrite an input or each other. Outputs are (flag, path);
/// inputs are (flag, path) with an empty flag for the positional inputs.
pub fn check_destinations(outputs: &[(&str, &str)], inputs: &[(&str, &str)]) -> Result<()> {
    let inputs: Vec<(&str, &str, Identity)> = inputs
        .iter()
        .map(|(flag, path)| (*flag, *path, Identity::of(path)))
        .collect();
    let mut seen: Vec<(&str, Identity)> = Vec::new();
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if *out == "-" {
            if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| *o == "-") {
                bail!("{other} and {flag} both write to standard output; send one to a file");
            }
            // So that `--json /dev/stdout` next to `-o -` is refused too.
            seen.push((flag, Identity::of("/dev/stdout")));
            continue;
        }
        let id = Identity::of(out);
        for (in_flag, input, in_id) in &inputs {
            if id.clashes(in_id) {
                let which = if in_flag.is_empty() {
                    format!("the input {input}")
                } else {
                    format!("{in_flag} {input}")
                };
                bail!(
                    "{flag} {out} is also an input ({which}); refusing to overwrite an input \
                     file: give {flag} another file name"
                );
            }
        }
        if let Some((other, _)) = seen.iter().find(|(_, o)| o.clashes(&id)) {
            bail!("{other} and {flag} both write {out}; give each output its own file");
        }
        seen.push((flag, id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_and_clashing_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("users.csv");
        fs::write(&input, "x").unwrap();
        let input_s = input.to_str().unwrap().to_owned();
        let err = check_destinations(&[("-o", &input_s)], &[("", &input_s)]).unwrap_err();
        assert!(err.to_string().contains("is also an input"), "{err}");
        let dotted = format!("{}/./users.csv", dir.path().display());
        assert!(check_destinations(&[("-o", &dotted)], &[("", &input_s)]).is_err());
        assert!(check_destinations(&[("-o", "-"), ("--json", "-")], &[]).is_err());
        assert!(check_destinations(&[("-o", "a.csv"), ("--registered", "a.csv")], &[]).is_err());
        assert!(check_destinations(&[("-o", "a.csv"), ("--json", "-")], &[("", &input_s)]).is_ok());
    }

    #[test]
    fn every_spelling_of_a_file_is_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir(d.join("sub")).unwrap();
        fs::write(d.join("acc.csv"), "x").unwrap();
        fs::hard_link(d.join("acc.csv"), d.join("hard.csv")).unwrap();
        std::os::unix::fs::symlink(d.join("acc.csv"), d.join("soft.csv")).unwrap();
        std::os::unix::fs::symlink(d.join("new.csv"), d.join("dangling.csv")).unwrap();
        let p = |s: &str| d.join(s).to_string_lossy().into_owned();
        let acc = p("acc.csv");
        let input = [("--accounts", acc.as_str())];
        for spelling in ["hard.csv", "soft.csv", "sub/../acc.csv", "./acc.csv"] {
            let out = p(spelling);
            let err = check_destinations(&[("--json", &out)], &input).unwrap_err();
            assert!(
                err.to_string().contains("(--accounts ") && err.to_string().contains("--json"),
                "{spelling}: {err}"
            );
        }
        // Two names for one file that does not exist yet.
        let table = [
            ("new.csv", "sub/../new.csv", true),
            ("new.csv", "dangling.csv", true),
            ("new.csv", "nowhere/../new.csv", true),
            ("new.csv", "other.csv", false),
        ];
        for (a, b, clash) in table {
            let (a, b) = (p(a), p(b));
            let result = check_destinations(&[("-o", &a), ("--json", &b)], &[]);
            assert_eq!(result.is_err(), clash, "{a} {b}");
        }
        // A device takes any number of outputs.
        assert!(check_destinations(&[("-o", "/dev/null"), ("--json", "/dev/null")], &[]).is_ok());
    }
}
