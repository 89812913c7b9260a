//! Output files that appear whole or not at all.
//!
//! Each output is written to a temporary file in the destination's folder
//! (`.NAME.mfa-audit-XXXXXX.tmp`) and renamed over the destination only once the whole run has
//! succeeded: an error, `--strict` stop or Ctrl-C leaves any existing report untouched and no
//! half-written file. `-` writes to standard output instead, unbuffered by this layer.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use tempfile::NamedTempFile;

/// Marks temporary files of ours in a folder.
pub const TEMP_SUFFIX: &str = ".mfa-audit.tmp";

/// Removes temporary files of `path` that a killed run left behind: ours by name, and whose
/// process is gone (Linux: no /proc/PID; elsewhere: older than a day). Best effort.
fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = fs::read_dir(&dir) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(file) = file.to_str() else { continue };
        let Some(middle) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let Some(pid) = middle.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !alive(pid, &entry) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn alive(pid: u32, entry: &fs::DirEntry) -> bool {
    if cfg!(target_os = "linux") {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    let day = std::time::Duration::from_secs(86_400);
    entry
        .metadata()
        .and_then(|m| m.modified())
        .map(|t| t.elapsed().map_or(true, |age| age < day))
        .unwrap_or(true)
}

/// One output: a file being prepared, or standard output.
pub enum Output {
    Stdout(io::Stdout),
    File { path: PathBuf, temp: NamedTempFile },
}

impl Output {
    /// Prepares `path` (`-` for standard output).
    pub fn create(path: &str) -> Result<Output> {
        if path == "-" {
            return Ok(Output::Stdout(io::stdout()));
        }
        let path = PathBuf::from(path);
        if path.is_dir() {
            bail!("{}: is a folder; give a file name", path.display());
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            bail!(
                "cannot write {}: folder {} does not exist",
                path.display(),
                dir.display()
            );
        }
        // .NAME.PID.XXXXXX.mfa-audit.tmp: the PID lets a later run tell a temporary file left
        // by a killed run from one a running audit is writing.
        let mut prefix = OsString::from(".");
        prefix.push(path.file_name().unwrap_or_default());
        prefix.push(format!(".{}.", std::process::id()));
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(TEMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Like any new file: 0666 less the umask; an existing report keeps its mode.
            let mode = fs::metadata(&path)
                .map(|m| m.permissions().mode() & 0o7777)
                .unwrap_or(0o666);
            builder.permissions(fs::Permissions::from_mode(mode));
        }
        let temp = builder
            .tempfile_in(&dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(Output::File { path, temp })
    }

    /// Makes the output visible: renames the temporary file over the destination.
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut s) => s.flush().context("cannot write to standard output"),
            Output::File { path, temp } => {
                temp.as_file()
                    .sync_all()
                    .with_context(|| format!("cannot write {}", path.display()))?;
                temp.persist(&path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                remove_stale_temps(&path);
                Ok(())
            }
        }
    }

    /// The destination, for messages.
    pub fn describe(&self) -> String {
        match self {
            Output::Stdout(_) => "standard output".to_owned(),
            Output::File { path, .. } => path.display().to_string(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(s) => s.write(buf),
            Output::File { temp, .. } => temp.write(buf),
        }
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(s) => s.write_all(buf),
            Output::File { temp, .. } => temp.write_all(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(s) => s.flush(),
            Output::File { temp, .. } => temp.flush(),
        }
    }
}

/// True when two paths name the same existing file (also through links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
        false
    }
    #[cfg(not(unix))]
    {
        match (fs::canonicalize(a), fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses outputs that would overwrite an input or each other. Pairs are (flag, path).
pub fn check_destinations(outputs: &[(&str, &str)], inputs: &[String]) -> Result<()> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        if *out == "-" {
            if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| *o == "-") {
                bail!("{other} and {flag} both write to standard output; send one to a file");
            }
            continue;
        }
        for input in inputs.iter().filter(|p| *p != "-") {
            if Path::new(out) == Path::new(input) || same_file(Path::new(out), Path::new(input)) {
                bail!("{flag} {out} is also an input; refusing to overwrite an input file");
            }
        }
        if let Some((other, _)) = outputs[..i].iter().find(|(_, o)| {
            *o != "-" && (Path::new(o) == Path::new(out) || same_file(Path::new(o), Path::new(out)))
        }) {
            bail!("{other} and {flag} both write {out}; give each output its own file");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("MFA_Report.csv");
        fs::write(&target, "old").unwrap();
        let mut out = Output::create(target.to_str().unwrap()).unwrap();
        out.write_all(b"new, half").unwrap();
        drop(out); // a failed run
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temp file removed"
        );
        let mut out = Output::create(target.to_str().unwrap()).unwrap();
        out.write_all(b"new").unwrap();
        out.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn inputs_and_clashing_outputs_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("users.csv");
        fs::write(&input, "x").unwrap();
        let input_s = input.to_str().unwrap().to_owned();
        let err =
            check_destinations(&[("-o", &input_s)], std::slice::from_ref(&input_s)).unwrap_err();
        assert!(err.to_string().contains("is also an input"), "{err}");
        let dotted = format!("{}/./users.csv", dir.path().display());
        assert!(check_destinations(&[("-o", &dotted)], std::slice::from_ref(&input_s)).is_err());
        assert!(check_destinations(&[("-o", "-"), ("--json", "-")], &[]).is_err());
        assert!(check_destinations(&[("-o", "a.csv"), ("--registered", "a.csv")], &[]).is_err());
        assert!(check_destinations(&[("-o", "a.csv"), ("--json", "-")], &[input_s]).is_ok());
    }
}
