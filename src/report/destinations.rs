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
//!
//! Windows and macOS file systems ignore case: `r.csv` and `R.CSV` are one file there, so
//! names that do not exist yet are compared case-insensitively on those systems (an existing
//! file is compared by identity on every system: (device, inode) on Unix, (volume serial
//! number, file index) on Windows).

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{bail, Result};

/// What a path names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Identity {
    /// An existing file; `device`: a character device, which never clashes.
    Node { dev: u64, ino: u64, device: bool },
    /// A name that does not exist (yet), made absolute and canonical as far as it exists;
    /// case-folded where the file system ignores case.
    Missing(PathBuf),
}

/// True where the file system ignores the case of names (NTFS and APFS as installed; a
/// case-sensitive APFS volume is rare, and erring this way only refuses a run, never loses
/// data).
const CASE_INSENSITIVE: bool = cfg!(any(windows, target_os = "macos"));

impl Identity {
    fn of(path: &str, fold_case: bool) -> Identity {
        // Standard input and output are whatever the shell connected them to.
        let path = match path {
            "-" => "/dev/stdin",
            p => p,
        };
        match fs::metadata(path).ok().and_then(|m| node(path, &m)) {
            Some(id) => id,
            None => {
                let name = missing(Path::new(path));
                Identity::Missing(if fold_case { fold(&name) } else { name })
            }
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
fn node(_path: &str, m: &fs::Metadata) -> Option<Identity> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    Some(Identity::Node {
        dev: m.dev(),
        ino: m.ino(),
        device: m.file_type().is_char_device(),
    })
}

/// An existing file on Windows: its volume serial number and file index, which std keeps
/// unstable, from `GetFileInformationByHandle`. A file that cannot be opened to ask (held
/// without sharing by another program) is compared by name instead.
#[cfg(windows)]
fn node(path: &str, m: &fs::Metadata) -> Option<Identity> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        GetFileInformationByHandle, BY_HANDLE_FILE_INFORMATION,
    };
    if !m.is_file() {
        // NUL, CON and other devices: never a clash, like /dev/null.
        return (!m.is_dir()).then_some(Identity::Node {
            dev: 0,
            ino: 0,
            device: true,
        });
    }
    let file = fs::File::open(path).ok()?;
    // SAFETY: a zeroed plain-data struct, filled by the call from a handle we own.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    let ok = unsafe { GetFileInformationByHandle(file.as_raw_handle() as _, &mut info) };
    (ok != 0).then_some(Identity::Node {
        dev: u64::from(info.dwVolumeSerialNumber),
        ino: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
        device: false,
    })
}

#[cfg(not(any(unix, windows)))]
fn node(_path: &str, _m: &fs::Metadata) -> Option<Identity> {
    None
}

/// `path` as a case-insensitive file system compares names: each character lowercased
/// (NTFS compares with a per-character upcase table; lowercasing per character agrees with it
/// for the names people give reports).
fn fold(path: &Path) -> PathBuf {
    PathBuf::from(
        path.to_string_lossy()
            .chars()
            .flat_map(char::to_lowercase)
            .collect::<String>(),
    )
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
    check(outputs, inputs, CASE_INSENSITIVE)
}

/// [`check_destinations`] with names compared case-insensitively when `fold_case`, so that the
/// Windows and macOS rule is tested on every system.
fn check(outputs: &[(&str, &str)], inputs: &[(&str, &str)], fold_case: bool) -> Result<()> {
    let inputs: Vec<(&str, &str, Identity)> = inputs
        .iter()
        .map(|(flag, path)| (*flag, *path, Identity::of(path, fold_case)))
        .collect();
    let mut seen: Vec<(&str, &str, Identity)> = Vec::new();
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if *out == "-" {
            if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| *o == "-") {
                bail!("{other} and {flag} both write to standard output; send one to a file");
            }
            // So that `--json /dev/stdout` next to `-o -` is refused too.
            seen.push((flag, out, Identity::of("/dev/stdout", fold_case)));
            continue;
        }
        let id = Identity::of(out, fold_case);
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
        if let Some((other, other_out, _)) = seen.iter().find(|(_, _, o)| o.clashes(&id)) {
            // Say why when the spellings differ only in case: it looks like two files.
            let why = if fold_case
                && other_out != out
                && fold(Path::new(other_out)) == fold(Path::new(out))
            {
                format!(" ({other_out} and {out} are one file here: file names ignore case)")
            } else {
                String::new()
            };
            bail!("{other} and {flag} both write {out}{why}; give each output its own file");
        }
        seen.push((flag, out, id));
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
    #[cfg(unix)] // symbolic links and /dev/null
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

    #[test]
    fn names_differing_in_case_are_one_file_where_case_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::write(d.join("users.csv"), "x").unwrap();
        let p = |s: &str| d.join(s).to_string_lossy().into_owned();
        // (output a, output b, clash on Windows/macOS, clash on Linux)
        let table = [
            ("r.csv", "R.CSV", true, false),
            ("Report.csv", "report.CSV", true, false),
            ("Übersicht.csv", "übersicht.csv", true, false),
            ("r.csv", "r.csv", true, true),
            ("r.csv", "r2.csv", false, false),
        ];
        for (a, b, folded, exact) in table {
            let (a, b) = (p(a), p(b));
            let outputs = [("-o", a.as_str()), ("--registered", b.as_str())];
            for (fold_case, want) in [(true, folded), (false, exact)] {
                let result = check(&outputs, &[], fold_case);
                assert_eq!(result.is_err(), want, "{a} {b} fold={fold_case}");
                if let (Err(e), true) = (&result, a != b) {
                    assert!(e.to_string().contains("ignore case"), "{e}");
                }
            }
        }
        // An output that names an existing input in another case: where the file system
        // ignores case (Windows, and Wine here) USERS.csv is the input file itself, compared
        // by identity; where it does not, it is another file.
        let (upper, input) = (p("USERS.csv"), p("users.csv"));
        let result = check_destinations(&[("-o", &upper)], &[("", &input)]);
        assert_eq!(result.is_err(), fs::metadata(&upper).is_ok(), "{result:?}");
        assert_eq!(CASE_INSENSITIVE, cfg!(any(windows, target_os = "macos")));
    }
}
